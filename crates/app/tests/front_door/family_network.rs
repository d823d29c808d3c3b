//! The family network: relationships recorded by staff (validated, stored once, even when two
//! people record the same one at once), the network two steps out with each person's
//! generation and open involvement, and every person shown written to the access log.

use super::*;
use frontdoor_app::family_network::RelationshipInput;
use frontdoor_app::PersonInput;
use frontdoor_domain::ids::PersonId;
use frontdoor_domain::person::Relationship;

async fn adult(w: &World, given: &str, family: &str, born: &str, sex: &str) -> PersonId {
    w.app
        .create_person(
            &w.officer,
            &PersonInput {
                given_name: given.into(),
                family_name: family.into(),
                date_of_birth: born.into(),
                sex: sex.into(),
                ..Default::default()
            },
        )
        .await
        .expect("person")
        .id
}

fn relation(other: PersonId, relationship: &str, direction: &str) -> RelationshipInput {
    RelationshipInput {
        related_person: other.to_string(),
        relationship: relationship.into(),
        direction: direction.into(),
    }
}

/// Jamie (the child, on a contact still awaiting decision) and Ada, his sister; their mother
/// Sarah, her partner Dean (Jamie's step-father), Sarah's mother Maud; Maud's partner Len
/// (two steps from Jamie, reached through Maud).
struct Family {
    jamie: PersonId,
    ada: PersonId,
    sarah: PersonId,
    dean: PersonId,
    maud: PersonId,
    len: PersonId,
}

async fn family(w: &World) -> Family {
    let contact = linked(
        w,
        vec![
            child("Jamie", "Reed", "2019-02-03"),
            child("Ada", "Reed", "2016-06-07"),
        ],
    )
    .await;
    let view = w
        .app
        .view_contact(&w.officer, contact.id)
        .await
        .expect("view");
    let ids: Vec<PersonId> = view
        .subjects
        .iter()
        .filter_map(|s| s.person.as_ref().map(|p| p.id))
        .collect();
    let (jamie, ada) = (ids[0], ids[1]);
    let sarah = adult(w, "Sarah", "Reed", "1990-01-01", "F").await;
    let dean = adult(w, "Dean", "Shaw", "1988-01-01", "M").await;
    let maud = adult(w, "Maud", "Reed", "1962-01-01", "F").await;
    let len = adult(w, "Len", "Ward", "1960-01-01", "M").await;
    let record = |person: PersonId, input: RelationshipInput| async move {
        w.app
            .record_relationship(&w.officer, person, &input)
            .await
            .expect("relationship")
    };
    record(jamie, relation(sarah, "parent_of", "they_are")).await;
    record(ada, relation(sarah, "parent_of", "they_are")).await;
    record(jamie, relation(ada, "sibling_of", "this_person_is")).await;
    record(dean, relation(jamie, "step_parent_of", "this_person_is")).await;
    record(sarah, relation(dean, "partner_of", "this_person_is")).await;
    record(sarah, relation(maud, "parent_of", "they_are")).await;
    record(maud, relation(len, "partner_of", "this_person_is")).await;
    Family {
        jamie,
        ada,
        sarah,
        dean,
        maud,
        len,
    }
}

#[tokio::test]
async fn the_network_shows_generations_relationships_and_open_involvement() {
    each_backend(|w| async move {
        let f = family(&w).await;
        let network = w
            .app
            .family_network(&w.worker, f.jamie)
            .await
            .expect("network");
        assert_eq!(network.subject, f.jamie);
        assert_eq!(network.members[0].person.id, f.jamie, "the child first");
        let generation = |id: PersonId| {
            network
                .members
                .iter()
                .find(|m| m.person.id == id)
                .map(|m| m.generation)
        };
        assert_eq!(generation(f.jamie), Some(0));
        assert_eq!(generation(f.ada), Some(0));
        assert_eq!(generation(f.sarah), Some(-1));
        assert_eq!(generation(f.dean), Some(-1));
        assert_eq!(generation(f.maud), Some(-2));
        // Len is three steps from Jamie (Jamie → Sarah → Maud → Len): beyond the network.
        assert_eq!(generation(f.len), None);
        assert_eq!(network.members.len(), 5);
        // Every relationship among the five, and none to Len.
        assert_eq!(network.links.len(), 6, "{:?}", network.links);
        assert!(network
            .links
            .iter()
            .all(|l| l.from != f.len && l.to != f.len));
        // Both children are on a contact awaiting decision; the adults have nothing open.
        for member in &network.members {
            let expected = if [f.jamie, f.ada].contains(&member.person.id) {
                vec!["A contact awaiting decision".to_string()]
            } else {
                vec![]
            };
            assert_eq!(
                member.involvement(),
                expected,
                "{}",
                member.person.full_name()
            );
        }
        assert!(!network.cut);

        // Every person shown is a read of their record.
        for id in [f.jamie, f.ada, f.sarah, f.dean, f.maud] {
            let reads = w
                .app
                .store
                .accesses_of(w.authority, id, 5)
                .await
                .expect("log");
            assert!(
                reads
                    .iter()
                    .any(|a| a.purpose == "family network" && a.actor == w.worker.worker),
                "no access logged for {id}"
            );
        }
        let reads = w
            .app
            .store
            .accesses_of(w.authority, f.len, 5)
            .await
            .expect("log");
        assert!(reads.iter().all(|a| a.purpose != "family network"));
        // Seen from Sarah, Len is one step away and Jamie's step-father is in her generation.
        let network = w
            .app
            .family_network(&w.worker, f.sarah)
            .await
            .expect("network");
        assert_eq!(network.members.len(), 6);
        assert!(network
            .members
            .iter()
            .any(|m| m.person.id == f.len && m.generation == -1));
        assert!(network
            .members
            .iter()
            .any(|m| m.person.id == f.dean && m.generation == 0));
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn an_open_episode_shows_who_holds_it() {
    each_backend(|w| async move {
        let f = family(&w).await;
        let contact = linked(&w, vec![child("Cal", "Reed", "2021-03-04")]).await;
        let cal = w
            .app
            .view_contact(&w.officer, contact.id)
            .await
            .expect("view")
            .subjects[0]
            .person
            .as_ref()
            .expect("linked")
            .id;
        w.app
            .record_relationship(&w.officer, cal, &relation(f.sarah, "parent_of", "they_are"))
            .await
            .expect("relationship");
        recommended(&w, &w.worker, contact.id, "referral_for_assessment").await;
        assert_eq!(
            reviewed(&w, &w.manager, contact.id, true)
                .await
                .expect("authorised"),
            DecisionState::Authorised
        );
        let network = w
            .app
            .family_network(&w.worker, f.jamie)
            .await
            .expect("network");
        let cal = network
            .members
            .iter()
            .find(|m| m.person.id == cal)
            .expect("Cal, Jamie's half-brother through Sarah, is two steps out");
        assert_eq!(cal.open_episodes.len(), 1);
        assert_eq!(
            cal.involvement(),
            vec!["Child in need, MASH A (unallocated)".to_string()]
        );
    })
    .await;
}

#[tokio::test]
async fn a_relationship_is_refused_naming_what_is_wrong_and_nothing_is_stored() {
    each_backend(|w| async move {
        let f = family(&w).await;
        let before = w.app.family_network(&w.worker, f.jamie).await.expect("network").links.len();
        let refused = |input: RelationshipInput, person: PersonId| {
            let w = &w;
            async move { support::fields(w.app.record_relationship(&w.officer, person, &input).await) }
        };
        assert_eq!(
            refused(relation(f.jamie, "parent_of", "they_are"), f.jamie).await,
            vec!["related_person"],
            "with themself"
        );
        let nobody = RelationshipInput {
            related_person: "NO-SUCH-ID".into(),
            ..relation(f.sarah, "parent_of", "they_are")
        };
        assert_eq!(refused(nobody, f.jamie).await, vec!["related_person"]);
        assert_eq!(
            refused(relation(f.len, "cousin_of", "they_are"), f.jamie).await,
            vec!["relationship"]
        );
        assert_eq!(
            refused(relation(f.len, "carer_of", ""), f.jamie).await,
            vec!["direction"]
        );
        let after = w.app.family_network(&w.worker, f.jamie).await.expect("network").links.len();
        assert_eq!(before, after);
        // The same relationship again, and a symmetric one from the other side: conflicts.
        support::conflict(
            w.app
                .record_relationship(&w.officer, f.jamie, &relation(f.sarah, "parent_of", "they_are"))
                .await,
            "already recorded",
        );
        support::conflict(
            w.app
                .record_relationship(&w.officer, f.ada, &relation(f.jamie, "sibling_of", "they_are"))
                .await,
            "already recorded",
        );
        // The LA person id works as well as the record's id.
        let grandad = w.app.store.person(w.authority, f.len).await.expect("len");
        let by_la_id = RelationshipInput {
            related_person: grandad.la_person_id.clone(),
            relationship: Relationship::GrandparentOf.code().into(),
            direction: "they_are".into(),
        };
        let link = w.app.record_relationship(&w.officer, f.ada, &by_la_id).await.expect("by LA id");
        assert_eq!((link.from, link.to), (f.len, f.ada));
        // A partner practitioner may do neither.
        assert!(matches!(
            w.app.family_network(&w.partner, f.jamie).await,
            Err(AppError::Denied(_))
        ));
        assert!(matches!(
            w.app
                .record_relationship(&w.partner, f.jamie, &relation(f.len, "carer_of", "they_are"))
                .await,
            Err(AppError::Denied(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn the_same_relationship_recorded_at_once_is_stored_once() {
    each_backend(|w| async move {
        let f = family(&w).await;
        let input = relation(f.len, "carer_of", "they_are");
        let record = || w.app.record_relationship(&w.officer, f.ada, &input);
        let (a, b, c, d) = tokio::join!(record(), record(), record(), record());
        support::one_winner(&[a, b, c, d]);
        let network = w
            .app
            .family_network(&w.worker, f.ada)
            .await
            .expect("network");
        let carers = network
            .links
            .iter()
            .filter(|l| l.from == f.len && l.relationship == Relationship::CarerOf)
            .count();
        assert_eq!(carers, 1);
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}

#[tokio::test]
async fn a_merge_carries_the_merged_records_relationships_and_a_reversal_takes_them_back() {
    each_backend(|w| async move {
        let f = family(&w).await;
        // Sarah recorded a second time, with a child only that record knows, a relationship
        // the kept record already has (Ada's mother) and one to the kept record itself.
        let sara = adult(&w, "Sara", "Reed", "1990-01-01", "F").await;
        let finn = adult(&w, "Finn", "Reed", "2021-04-05", "M").await;
        let record = |person: PersonId, input: RelationshipInput| {
            let app = w.app.clone();
            let officer = w.officer.clone();
            async move {
                app.record_relationship(&officer, person, &input)
                    .await
                    .expect("relationship")
            }
        };
        record(finn, relation(sara, "parent_of", "they_are")).await;
        record(f.ada, relation(sara, "parent_of", "they_are")).await;
        record(f.sarah, relation(sara, "sibling_of", "this_person_is")).await;

        let merge = w
            .app
            .merge_people(
                &w.manager,
                f.sarah,
                sara,
                "Same person: the surname and date of birth agree, the given name was misspelt.",
            )
            .await
            .expect("merge");
        let moved: usize = ["relationships.person_id", "relationships.related_person_id"]
            .iter()
            .map(|key| merge.moved.get(*key).map_or(0, Vec::len))
            .sum();
        assert_eq!(
            moved, 1,
            "only Finn's relationship moves: {:?}",
            merge.moved
        );

        let network = w
            .app
            .family_network(&w.worker, f.sarah)
            .await
            .expect("network");
        let links_between = |a: PersonId, b: PersonId| {
            network
                .links
                .iter()
                .filter(|l| (l.from == a && l.to == b) || (l.from == b && l.to == a))
                .count()
        };
        assert_eq!(links_between(f.sarah, finn), 1, "Finn is Sarah's child now");
        assert_eq!(
            links_between(f.sarah, f.ada),
            1,
            "Ada's mother once, not twice"
        );
        assert!(
            network.members.iter().all(|m| m.person.id != sara),
            "the merged record is not in the network"
        );

        w.app
            .reverse_merge(
                &w.manager,
                merge.id,
                "Two different women: checked with the GP.",
            )
            .await
            .expect("reverse");
        let kept = w
            .app
            .family_network(&w.worker, f.sarah)
            .await
            .expect("network");
        // Finn is Sara's child again, not Sarah's (he is still two steps out, through the
        // sibling relationship recorded between the two records).
        assert!(!kept
            .links
            .iter()
            .any(|l| (l.from == f.sarah && l.to == finn) || (l.from == finn && l.to == f.sarah)));
        let restored = w
            .app
            .family_network(&w.worker, sara)
            .await
            .expect("network");
        assert!(restored
            .links
            .iter()
            .any(|l| l.from == sara && l.to == finn));
        support::assert_audit_intact(&w.app).await;
    })
    .await;
}
