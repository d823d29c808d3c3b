//! The front door's use cases, end to end, on every backend: recording contacts (staff and the
//! online form), out-of-hours marking and the one-working-day timescale, linking, searching,
//! recommending, authorising (and every way of being refused), re-referrals, the chronology and
//! the access log.

use chrono::{NaiveDate, TimeZone, Utc};
use frontdoor_app::records::{OrganisationKind, QueueFilter, Referrer, Store};
use frontdoor_app::{
    App, AppError, ContactInput, LinkTarget, NewAuthority, NewWorker, PersonQuery,
    RecommendationInput, ReviewInput, Settings, SubjectInput,
};
use frontdoor_domain::authorization::{Actor, DenialReason, Role};
use frontdoor_domain::clock::FixedClock;
use frontdoor_domain::contact::ContactStatus;
use frontdoor_domain::decision::DecisionState;
use frontdoor_domain::ids::{AuthorityId, ContactId};
use frontdoor_store::testing::all_backends;
use std::sync::Arc;

const PASSWORD: &str = "a long enough password";

struct World {
    app: App,
    clock: Arc<FixedClock>,
    authority: AuthorityId,
    officer: Actor,
    worker: Actor,
    manager: Actor,
    manager_b: Actor,
    partner: Actor,
    admin: Actor,
}

async fn world(store: Store) -> World {
    // Tuesday 3 March 2026, 10:00 London (GMT).
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 3, 3, 10, 0, 0)
            .single()
            .expect("instant"),
    ));
    let app = App::new(store, clock.clone(), Settings::default());
    let authority = app
        .create_authority(&NewAuthority {
            code: "testshire".into(),
            name: "Testshire Council".into(),
            front_door_teams: vec!["MASH A".into(), "MASH B".into()],
            other_teams: vec![],
            partners: vec![("Testshire Police".into(), OrganisationKind::Police)],
        })
        .await
        .expect("authority");
    let teams = app.store.teams(authority).await.expect("teams");
    let police = app
        .store
        .organisations(authority)
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.kind == OrganisationKind::Police)
        .map(|o| o.id);
    let add = |username: &'static str, role: Role, team: Option<usize>, organisation| {
        let app = app.clone();
        let team = team.map(|i| teams[i].id);
        async move {
            app.add_worker_as_operator(&NewWorker {
                authority,
                username: username.into(),
                display_name: username.into(),
                role,
                team,
                organisation,
                asye: false,
                password: PASSWORD.into(),
            })
            .await
            .expect("worker")
            .actor()
        }
    };
    World {
        officer: add("officer", Role::ContactOfficer, Some(0), None).await,
        worker: add("worker", Role::MashSocialWorker, Some(0), None).await,
        manager: add("manager", Role::TeamManager, Some(0), None).await,
        manager_b: add("manager.b", Role::TeamManager, Some(1), None).await,
        partner: add("partner", Role::PartnerPractitioner, None, police).await,
        admin: add("admin", Role::Administrator, None, None).await,
        app,
        clock,
        authority,
    }
}

fn child(given: &str, family: &str, dob: &str) -> SubjectInput {
    SubjectInput {
        given_name: given.into(),
        family_name: family.into(),
        date_of_birth: dob.into(),
        sex: "female".into(),
        postcode: "NE61 2EF".into(),
        ..Default::default()
    }
}

fn contact_input(children: Vec<SubjectInput>) -> ContactInput {
    ContactInput {
        channel: "phone".into(),
        source: "2A".into(),
        referrer: Referrer {
            name: "Jo Teacher".into(),
            organisation: "Riverside Primary".into(),
            ..Default::default()
        },
        concern_categories: vec!["neglect".into()],
        concern_summary: "Hungry at school three days running; says there is no food at home."
            .into(),
        urgency: "standard".into(),
        family_consent: "given".into(),
        children,
        ..Default::default()
    }
}

fn recommendation(outcome: &str) -> RecommendationInput {
    RecommendationInput {
        outcome: outcome.into(),
        level_of_need: "3".into(),
        signposted_to: String::new(),
        rationale: "Neglect concerns from school; needs a child and family assessment.".into(),
    }
}

fn review(authorise: bool) -> ReviewInput {
    ReviewInput {
        authorise: Some(authorise),
        rationale: "Agreed after reading the history and the school's account.".into(),
    }
}

async fn link_all_new(w: &World, contact: ContactId) {
    let view = w.app.view_contact(&w.officer, contact).await.expect("view");
    for s in view.subjects {
        w.app
            .link_contact_subject(&w.officer, contact, s.subject.id, LinkTarget::NewRecord)
            .await
            .expect("link");
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(World) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for database in all_backends().await.expect("databases") {
        eprintln!("-- on {}", database.backend());
        test(world(database.store.clone()).await).await;
        database.remove().await;
    }
}

#[tokio::test]
async fn a_contact_goes_from_receipt_to_an_authorised_referral() {
    each_backend(|w| async move {
        let contact = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Amy", "Stone", "2016-04-01")]),
            )
            .await
            .expect("record");
        assert_eq!(contact.reference, "FD-2026-000001");
        assert!(!contact.out_of_hours, "Tuesday 10:00 is office hours");
        assert_eq!(contact.status, ContactStatus::AwaitingTriage);
        // Due by the end of Wednesday 4 March (London): breached from midnight.
        assert_eq!(
            contact.decision_due_at,
            Utc.with_ymd_and_hms(2026, 3, 5, 0, 0, 0)
                .single()
                .expect("instant")
        );

        // No recommendation before the child is linked to a record.
        let early = w
            .app
            .recommend_decision(
                &w.worker,
                contact.id,
                &recommendation("referral_for_assessment"),
            )
            .await;
        assert!(matches!(early, Err(AppError::Conflict(_))), "{early:?}");
        link_all_new(&w, contact.id).await;

        let decision = w
            .app
            .recommend_decision(
                &w.worker,
                contact.id,
                &recommendation("referral_for_assessment"),
            )
            .await
            .expect("recommend");
        assert_eq!(decision.state, DecisionState::Recommended);

        // Every refusal: the social worker's role, the other team's manager, a partner.
        let by_worker = w
            .app
            .review_decision(&w.worker, contact.id, &review(true))
            .await;
        assert!(
            matches!(
                by_worker,
                Err(AppError::Denied(DenialReason::RoleNotPermitted))
            ),
            "{by_worker:?}"
        );
        let by_other_team = w
            .app
            .review_decision(&w.manager_b, contact.id, &review(true))
            .await;
        assert!(
            matches!(
                by_other_team,
                Err(AppError::Denied(DenialReason::OtherTeam))
            ),
            "{by_other_team:?}"
        );
        let by_partner = w
            .app
            .review_decision(&w.partner, contact.id, &review(true))
            .await;
        assert!(
            matches!(
                by_partner,
                Err(AppError::Denied(DenialReason::RoleNotPermitted))
            ),
            "{by_partner:?}"
        );
        let too_short = w
            .app
            .review_decision(
                &w.manager,
                contact.id,
                &ReviewInput {
                    authorise: Some(true),
                    rationale: "ok".into(),
                },
            )
            .await;
        assert!(
            matches!(too_short, Err(AppError::Invalid(ref e)) if e[0].field == "rationale"),
            "{too_short:?}"
        );

        assert_eq!(
            w.app
                .review_decision(&w.manager, contact.id, &review(true))
                .await
                .expect("authorise"),
            DecisionState::Authorised
        );
        let view = w
            .app
            .view_contact(&w.manager, contact.id)
            .await
            .expect("view");
        assert_eq!(view.contact.status, ContactStatus::Decided);
        let person = view.subjects[0].person.clone().expect("linked");

        // The child's chronology shows the contact, the recommendation and the authorisation.
        let record = w
            .app
            .view_person(&w.worker, person.id)
            .await
            .expect("record");
        let kinds: Vec<&str> = record.chronology.iter().map(|e| e.kind.as_str()).collect();
        for kind in [
            "person_created",
            "contact_linked",
            "decision_recommended",
            "decision_authorised",
        ] {
            assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
        }
        // Both views were written to the access log, and the chains verify.
        assert!(record.recent_access.iter().any(|a| a.purpose == "record"));
        assert!(record
            .recent_access
            .iter()
            .any(|a| a.purpose.starts_with("contact FD-")));
        assert!(w
            .app
            .verify_audit_trail()
            .await
            .expect("verify")
            .is_intact());

        // A second contact two months later: the child's new referral is a re-referral.
        w.clock.set(
            Utc.with_ymd_and_hms(2026, 5, 5, 9, 30, 0)
                .single()
                .expect("instant"),
        );
        let second = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Amy", "Stone", "2016-04-01")]),
            )
            .await
            .expect("second");
        let sub = w
            .app
            .view_contact(&w.officer, second.id)
            .await
            .expect("view")
            .subjects[0]
            .subject
            .id;
        w.app
            .link_contact_subject(&w.officer, second.id, sub, LinkTarget::Existing(person.id))
            .await
            .expect("link existing");
        let view = w
            .app
            .view_contact(&w.worker, second.id)
            .await
            .expect("view");
        let history = view.subjects[0].history.clone().expect("history");
        assert!(history.would_be_re_referral, "{history:?}");
        assert_eq!(history.previous_contacts, 1);
        assert_eq!(
            view.subjects[0].known_concerns,
            vec![frontdoor_domain::contact::ConcernCategory::Neglect],
            "known risks from the earlier contact"
        );
        w.app
            .recommend_decision(&w.worker, second.id, &recommendation("strategy_discussion"))
            .await
            .expect("recommend");
        w.app
            .review_decision(&w.manager, second.id, &review(true))
            .await
            .expect("authorise");
        let dates = w
            .app
            .store
            .referrals_of(w.authority, person.id)
            .await
            .expect("referrals");
        assert_eq!(dates.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn nobody_authorises_their_own_recommendation_and_a_return_reopens_the_contact() {
    each_backend(|w| async move {
        let contact = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Bo", "Reed", "2019-01-02")]),
            )
            .await
            .expect("record");
        link_all_new(&w, contact.id).await;
        w.app
            .recommend_decision(&w.manager, contact.id, &recommendation("early_help"))
            .await
            .expect("a manager may recommend");
        let own = w
            .app
            .review_decision(&w.manager, contact.id, &review(true))
            .await;
        assert!(
            matches!(own, Err(AppError::Denied(DenialReason::OwnRecommendation))),
            "{own:?}"
        );

        let other = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Cy", "Reed", "2018-01-02")]),
            )
            .await
            .expect("record");
        link_all_new(&w, other.id).await;
        w.app
            .recommend_decision(&w.worker, other.id, &recommendation("no_further_action"))
            .await
            .expect("recommend");
        assert_eq!(
            w.app
                .review_decision(&w.manager, other.id, &review(false))
                .await
                .expect("return"),
            DecisionState::Returned
        );
        let view = w.app.view_contact(&w.worker, other.id).await.expect("view");
        assert_eq!(view.contact.status, ContactStatus::Returned);
        // Reviewing again finds nothing awaiting authorisation.
        assert!(matches!(
            w.app
                .review_decision(&w.manager, other.id, &review(true))
                .await,
            Err(AppError::Conflict(_))
        ));
        w.app
            .recommend_decision(&w.worker, other.id, &recommendation("early_help"))
            .await
            .expect("recommend again");
        assert_eq!(
            w.app
                .review_decision(&w.manager, other.id, &review(true))
                .await
                .expect("authorise"),
            DecisionState::Authorised
        );
    })
    .await;
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_nothing_is_stored() {
    each_backend(|w| async move {
        let events_before = w.app.store.event_count().await.expect("count");
        let mut input = contact_input(vec![SubjectInput {
            given_name: "Dee".into(),
            family_name: "".into(),
            date_of_birth: "2019-02-30".into(),
            postcode: "NOT A POSTCODE".into(),
            nhs_number: "1234567890".into(),
            ..Default::default()
        }]);
        input.source = "99".into();
        input.concern_categories = vec![];
        input.concern_summary = "".into();
        let Err(AppError::Invalid(errors)) = w.app.record_contact(&w.officer, &input).await else {
            panic!("expected field errors")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "source",
            "concern_categories",
            "concern_summary",
            "children[0].family_name",
            "children[0].date_of_birth",
            "children[0].postcode",
            "children[0].nhs_number",
        ] {
            assert!(fields.contains(&field), "{field} not in {fields:?}");
        }
        assert_eq!(
            w.app.store.contact_count(w.authority).await.expect("count"),
            0
        );
        assert_eq!(
            w.app.store.event_count().await.expect("count"),
            events_before
        );
        // A time received in the future is refused.
        let mut future = contact_input(vec![child("Eve", "Moss", "2015-01-01")]);
        future.received_date = "2026-03-04".into();
        future.received_time = "10:00".into();
        let Err(AppError::Invalid(errors)) = w.app.record_contact(&w.officer, &future).await else {
            panic!("expected field errors")
        };
        assert_eq!(errors[0].field, "received_date");
    })
    .await;
}

#[tokio::test]
async fn out_of_hours_and_the_timescale_follow_the_calendar() {
    each_backend(|w| async move {
        // Thursday 2 April 2026 at 18:30: out of hours; Good Friday and Easter Monday follow,
        // so the decision is due by the end of Tuesday 7 April.
        w.clock.set(
            Utc.with_ymd_and_hms(2026, 4, 2, 17, 30, 0)
                .single()
                .expect("instant"),
        );
        let contact = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Fay", "Lane", "2014-07-07")]),
            )
            .await
            .expect("record");
        assert!(contact.out_of_hours);
        let view = w
            .app
            .view_contact(&w.officer, contact.id)
            .await
            .expect("view");
        assert_eq!(
            view.due_date,
            NaiveDate::from_ymd_opt(2026, 4, 7).expect("date")
        );
        // The queue shows it, overdue once the due day has passed.
        w.clock.set(
            Utc.with_ymd_and_hms(2026, 4, 8, 9, 0, 0)
                .single()
                .expect("instant"),
        );
        let queue = w
            .app
            .contact_queue(
                &w.worker,
                &QueueFilter {
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .expect("queue");
        assert_eq!(queue.total, 1);
        assert_eq!(queue.overdue, 1);
        let out_of_hours_only = w
            .app
            .contact_queue(
                &w.worker,
                &QueueFilter {
                    out_of_hours: Some(false),
                    limit: 50,
                    ..Default::default()
                },
            )
            .await
            .expect("queue");
        assert_eq!(out_of_hours_only.total, 0);
    })
    .await;
}

#[tokio::test]
async fn the_online_form_records_a_contact_with_no_account() {
    each_backend(|w| async move {
        let mut input = contact_input(vec![child("Gus", "Hart", "2012-12-12")]);
        input.received_date = "2020-01-01".into(); // ignored: received when submitted
        let contact = w
            .app
            .submit_online_referral(w.authority, &input)
            .await
            .expect("submit");
        assert_eq!(contact.recorded_by, None);
        assert_eq!(contact.channel.code(), "online_form");
        assert_eq!(contact.received_at, w.app.now());
    })
    .await;
}

#[tokio::test]
async fn partners_see_only_their_own_referrals_and_never_search() {
    each_backend(|w| async move {
        let mine = w
            .app
            .record_contact(
                &w.partner,
                &contact_input(vec![child("Hal", "Ives", "2013-03-03")]),
            )
            .await
            .expect("partner refers");
        assert!(mine.made_by_organisation.is_some());
        // Their own referral's progress, not the working record (with its history).
        let progress = w
            .app
            .referral_progress(&w.partner, mine.id)
            .await
            .expect("own referral");
        assert_eq!(progress.children, vec!["Hal Ives".to_string()]);
        assert!(progress.outcome.is_none(), "nothing authorised yet");
        assert!(matches!(
            w.app.view_contact(&w.partner, mine.id).await,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        let schools = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Ida", "Jay", "2013-03-03")]),
            )
            .await
            .expect("record");
        assert!(matches!(
            w.app.referral_progress(&w.partner, schools.id).await,
            Err(AppError::Denied(DenialReason::OtherOrganisation))
        ));
        let search = w
            .app
            .search_people(
                &w.partner,
                &PersonQuery {
                    family_name: "Ives".into(),
                    ..Default::default()
                },
            )
            .await;
        assert!(matches!(
            search,
            Err(AppError::Denied(DenialReason::RoleNotPermitted))
        ));
        assert!(matches!(
            w.app
                .contact_queue(&w.partner, &QueueFilter::default())
                .await,
            Err(AppError::Denied(_))
        ));
        // Administrators run the system but do not read children's records.
        assert!(matches!(
            w.app.view_contact(&w.admin, schools.id).await,
            Err(AppError::Denied(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn search_finds_the_child_despite_errors_and_never_crosses_authorities() {
    each_backend(|w| async move {
        let contact = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Katherine", "Oduya-Smith", "2015-06-09")]),
            )
            .await
            .expect("record");
        link_all_new(&w, contact.id).await;
        let query = PersonQuery {
            given_name: "Kate".into(),
            family_name: "Oduya".into(),
            date_of_birth: "2015-09-06".into(),
            ..Default::default()
        };
        let found = w
            .app
            .search_people(&w.officer, &query)
            .await
            .expect("search");
        assert_eq!(
            found.results.first().map(|r| r.person.given_name.as_str()),
            Some("Katherine"),
            "{found:?}"
        );
        assert!(!found.results[0].reasons.is_empty());

        // Another authority in the same database sees nothing of this one's people.
        let other = w
            .app
            .create_authority(&NewAuthority {
                code: "otherton".into(),
                name: "Otherton".into(),
                front_door_teams: vec!["MASH".into()],
                other_teams: vec![],
                partners: vec![],
            })
            .await
            .expect("other authority");
        let other_team = w.app.store.teams(other).await.expect("teams")[0].id;
        let outsider = w
            .app
            .add_worker_as_operator(&NewWorker {
                authority: other,
                username: "outsider".into(),
                display_name: "Outsider".into(),
                role: Role::TeamManager,
                team: Some(other_team),
                organisation: None,
                asye: false,
                password: PASSWORD.into(),
            })
            .await
            .expect("worker")
            .actor();
        let found = w
            .app
            .search_people(&outsider, &query)
            .await
            .expect("search");
        assert!(found.results.is_empty());
        assert!(matches!(
            w.app
                .view_contact(&outsider, contact.id)
                .await
                .map_err(|e| e.normalise()),
            Err(AppError::NotFound(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn sign_in_is_throttled_after_repeated_failures() {
    each_backend(|w| async move {
        assert!(w.app.sign_in("officer", PASSWORD, "10.0.0.1").await.is_ok());
        for _ in 0..5 {
            assert!(matches!(
                w.app
                    .sign_in("officer", "wrong password!", "10.0.0.1")
                    .await,
                Err(AppError::SignIn(_))
            ));
        }
        let Err(AppError::TooManySignIns { message, .. }) =
            w.app.sign_in("officer", PASSWORD, "10.0.0.1").await
        else {
            panic!("expected throttling")
        };
        assert!(message.contains("locked"), "{message}");
        // Only that account: another from the same address signs in.
        assert!(w.app.sign_in("manager", PASSWORD, "10.0.0.1").await.is_ok());
        // Fifteen minutes later the right password works again.
        w.clock.advance(chrono::Duration::minutes(16));
        let session = w
            .app
            .sign_in("officer", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        assert!(w
            .app
            .session(&session.token)
            .await
            .expect("session")
            .is_some());
        w.app.sign_out(&session.token).await.expect("sign out");
        assert!(w
            .app
            .session(&session.token)
            .await
            .expect("session")
            .is_none());
        // Sessions expire when idle.
        let session = w
            .app
            .sign_in("officer", PASSWORD, "10.0.0.1")
            .await
            .expect("sign in");
        w.clock.advance(chrono::Duration::minutes(32));
        assert!(w
            .app
            .session(&session.token)
            .await
            .expect("session")
            .is_none());
    })
    .await;
}

#[tokio::test]
async fn duplicates_are_found_merged_and_unmerged_with_the_search_index_kept_right() {
    each_backend(|w| async move {
        // The same child recorded twice (a typo and a nickname), and an unrelated sibling.
        let first = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Katherine", "Mahoney", "2015-06-09")]),
            )
            .await
            .expect("record");
        link_all_new(&w, first.id).await;
        let second = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![
                    child("Kate", "Mahony", "2015-06-09"),
                    child("Liam", "Mahoney", "2017-01-20"),
                ]),
            )
            .await
            .expect("record");
        link_all_new(&w, second.id).await;

        let pairs = w
            .app
            .likely_duplicates(&w.manager, 50)
            .await
            .expect("duplicates");
        let pair = pairs.first().expect("a likely pair");
        let names = [
            pair.first.given_name.as_str(),
            pair.second.given_name.as_str(),
        ];
        assert!(
            names.contains(&"Katherine") && names.contains(&"Kate"),
            "{names:?}"
        );
        assert!(
            !pairs
                .iter()
                .any(|p| p.first.given_name == "Liam" || p.second.given_name == "Liam"),
            "siblings are not duplicates"
        );
        // Each record has its own LA person id: that they differ is not held against a pair.
        assert_ne!(pair.first.la_person_id, pair.second.la_person_id);
        assert!(
            pairs
                .iter()
                .all(|p| p.reasons.iter().all(|r| r.field != "LA person id")),
            "{pairs:?}"
        );
        assert!(matches!(
            w.app.likely_duplicates(&w.officer, 50).await,
            Err(AppError::Denied(_))
        ));

        let (kept, merged) = if pair.first.given_name == "Katherine" {
            (pair.first.id, pair.second.id)
        } else {
            (pair.second.id, pair.first.id)
        };
        assert!(matches!(
            w.app
                .merge_people(
                    &w.worker,
                    kept,
                    merged,
                    "Same NHS number on the school record."
                )
                .await,
            Err(AppError::Denied(_))
        ));
        assert!(matches!(
            w.app.merge_people(&w.manager, kept, merged, "same").await,
            Err(AppError::Invalid(_))
        ));
        let merge = w
            .app
            .merge_people(
                &w.manager,
                kept,
                merged,
                "Same date of birth, address and school; Kate is her usual name.",
            )
            .await
            .expect("merge");
        assert_eq!(merge.moved["contact_subjects"].len(), 1);

        // The kept record now carries both contacts and both chronologies; the merged one is out of search.
        let record = w.app.view_person(&w.manager, kept).await.expect("record");
        assert_eq!(record.contacts.len(), 2);
        assert!(record.chronology.iter().any(|e| e.kind == "person_merged"));
        let search = |given: &'static str| {
            let app = w.app.clone();
            let officer = w.officer.clone();
            async move {
                app.search_people(
                    &officer,
                    &PersonQuery {
                        given_name: given.into(),
                        family_name: "Mahony".into(),
                        date_of_birth: "2015-06-09".into(),
                        ..Default::default()
                    },
                )
                .await
                .expect("search")
            }
        };
        let found = search("Kate").await;
        assert!(
            found.results.iter().all(|r| r.person.id != merged),
            "a merged record is not offered"
        );
        assert_eq!(found.results.first().map(|r| r.person.id), Some(kept));
        assert!(matches!(
            w.app
                .merge_people(
                    &w.manager,
                    kept,
                    merged,
                    "Trying to merge the same pair twice."
                )
                .await,
            Err(AppError::Conflict(_))
        ));

        // Reversing puts exactly the moved links back and the record returns to search.
        w.app
            .reverse_merge(
                &w.manager,
                merge.id,
                "Different children: confirmed with the school.",
            )
            .await
            .expect("reverse");
        assert_eq!(
            w.app
                .view_person(&w.manager, kept)
                .await
                .expect("record")
                .contacts
                .len(),
            1
        );
        assert_eq!(
            w.app
                .view_person(&w.manager, merged)
                .await
                .expect("record")
                .contacts
                .len(),
            1
        );
        assert!(search("Kate")
            .await
            .results
            .iter()
            .any(|r| r.person.id == merged));
        assert!(matches!(
            w.app
                .reverse_merge(&w.manager, merge.id, "Reversing a second time must fail.")
                .await,
            Err(AppError::Conflict(_))
        ));
        assert!(w
            .app
            .verify_audit_trail()
            .await
            .expect("verify")
            .is_intact());
    })
    .await;
}

#[tokio::test]
async fn a_review_must_say_what_it_does_and_nobody_returns_their_own_recommendation() {
    each_backend(|w| async move {
        let contact = w
            .app
            .record_contact(
                &w.officer,
                &contact_input(vec![child("Kit", "Lowe", "2015-05-05")]),
            )
            .await
            .expect("record");
        link_all_new(&w, contact.id).await;
        w.app
            .recommend_decision(&w.manager, contact.id, &recommendation("early_help"))
            .await
            .expect("a manager may recommend");
        // Neither authorise nor return: refused, nothing assumed.
        let unsaid = ReviewInput {
            authorise: None,
            rationale: "Agreed after reading the history and the school's account.".into(),
        };
        match w
            .app
            .review_decision(&w.manager_b, contact.id, &unsaid)
            .await
        {
            Err(AppError::Invalid(errors)) => assert_eq!(errors[0].field, "authorise"),
            other => panic!("expected a field error, got {other:?}"),
        }
        // Returning one's own recommendation is refused with its own reason.
        match w
            .app
            .review_decision(&w.manager, contact.id, &review(false))
            .await
        {
            Err(AppError::Conflict(message)) => {
                assert!(message.contains("cannot return it yourself"), "{message}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let stored = w
            .app
            .store
            .contact(w.authority, contact.id)
            .await
            .expect("contact");
        assert_eq!(stored.status, ContactStatus::AwaitingAuthorisation);
    })
    .await;
}

#[tokio::test]
async fn a_merge_is_not_reversed_once_its_kept_record_has_been_merged_again() {
    each_backend(|w| async move {
        let mut people = Vec::new();
        for given in ["Nia", "Nya", "Niah"] {
            let contact = w
                .app
                .record_contact(
                    &w.officer,
                    &contact_input(vec![child(given, "Okafor", "2014-04-04")]),
                )
                .await
                .expect("record");
            link_all_new(&w, contact.id).await;
            let view = w
                .app
                .view_contact(&w.officer, contact.id)
                .await
                .expect("view");
            people.push(view.subjects[0].subject.person.expect("linked"));
        }
        let reason = "Same child: school and GP records agree on the address.";
        let first = w
            .app
            .merge_people(&w.manager, people[1], people[0], reason)
            .await
            .expect("merge the first into the second");
        w.app
            .merge_people(&w.manager, people[2], people[1], reason)
            .await
            .expect("merge the second into the third");
        // The first merge's rows now belong to the third record: reversing it would take them
        // from a record it never touched, so it is refused until the later merge is reversed.
        match w
            .app
            .reverse_merge(&w.manager, first.id, "Merged in error: different children.")
            .await
        {
            Err(AppError::Conflict(message)) => {
                assert!(message.contains("reverse that merge first"), "{message}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let third = w
            .app
            .store
            .contacts_of_person(w.authority, people[2])
            .await
            .expect("contacts");
        assert_eq!(third.len(), 3, "nothing moved by the refused reversal");
    })
    .await;
}

#[tokio::test]
async fn a_session_starts_only_against_the_password_hash_that_was_checked() {
    each_backend(|w| async move {
        use frontdoor_store::sessions::SessionRecord;
        let officer = w
            .app
            .store
            .worker_by_username("officer")
            .await
            .expect("query")
            .expect("officer");
        let now = w.app.now();
        let session = |n: u8| {
            (
                format!("token-hash-{n}"),
                SessionRecord {
                    worker: officer.id,
                    authority: officer.authority,
                    csrf_token: "csrf".into(),
                    expires_at: now + chrono::Duration::minutes(30),
                    last_seen_at: now,
                },
            )
        };
        // A password reset landed after the old password was checked: no session.
        let (hash, record) = session(1);
        let stale = "$argon2id$v=19$m=19456,t=2,p=1$c3RhbGVzYWx0$c3RhbGVoYXNo";
        assert!(!w
            .app
            .store
            .insert_session(&hash, &record, stale, now)
            .await
            .expect("insert"));
        assert!(w.app.store.session(&hash).await.expect("read").is_none());
        // The hash that was checked is still the worker's: the session starts.
        let (hash, record) = session(2);
        assert!(w
            .app
            .store
            .insert_session(&hash, &record, &officer.password_hash, now)
            .await
            .expect("insert"));
        assert!(w.app.store.session(&hash).await.expect("read").is_some());
    })
    .await;
}
