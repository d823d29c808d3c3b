//! The family network on a child's record: the people related to the child (and to them, two
//! steps out), the relationships among them, each person's generation relative to the child,
//! and each person's open involvement: undecided contacts, open episodes with the team and
//! worker holding them, an assessment, enquiry or child protection plan in progress.

use crate::{App, AppError};
use frontdoor_domain::authorization::{Action, Actor};
use frontdoor_domain::family_network::{generations, Link};
use frontdoor_domain::ids::PersonId;
use frontdoor_domain::person::Relationship;
use frontdoor_store::events::NewEvent;
use frontdoor_store::family_network::{OpenContact, OpenEpisode};
use frontdoor_store::people::{self as people_store, Person};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A network larger than this is cut to the people nearest the child: a genogram of more
/// people than this cannot be read, and the text alternative lists them all anyway.
pub const NETWORK_LIMIT: usize = 40;

#[derive(Debug, Clone, Serialize)]
pub struct FamilyNetwork {
    pub subject: PersonId,
    /// The child first, then the others by generation (eldest first) and name.
    pub members: Vec<NetworkMember>,
    /// Every recorded relationship between two members.
    pub links: Vec<Link>,
    /// True when people further out were left off ([`NETWORK_LIMIT`]).
    pub cut: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkMember {
    pub person: Person,
    /// Relative to the child: parents -1, grandparents -2, the child's own children +1.
    pub generation: i32,
    pub open_contacts: Vec<OpenContact>,
    pub open_episodes: Vec<OpenEpisode>,
}

impl NetworkMember {
    /// The person's open involvement in a few words each ("Child protection plan (NEG)").
    pub fn involvement(&self) -> Vec<String> {
        let mut words = Vec::new();
        for episode in &self.open_episodes {
            let mut what = if let Some(category) = &episode.plan_category {
                format!("Child protection plan ({category})")
            } else if episode.enquiry_open {
                "Section 47 enquiry".to_string()
            } else if episode.assessment_open {
                "Assessment".to_string()
            } else {
                "Child in need".to_string()
            };
            match (&episode.worker_name, &episode.team_name) {
                (Some(worker), _) => what.push_str(&format!(", {worker}")),
                (None, Some(team)) => what.push_str(&format!(", {team} (unallocated)")),
                (None, None) => what.push_str(", unallocated"),
            }
            words.push(what);
        }
        match self.open_contacts.len() {
            0 => {}
            1 => words.push("A contact awaiting decision".to_string()),
            n => words.push(format!("{n} contacts awaiting decision")),
        }
        words
    }
}

/// A relationship as typed on the person page: the other person (their LA person id, or their
/// record's id), the relationship and which way it reads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RelationshipInput {
    pub related_person: String,
    /// A relationship code: parent_of, step_parent_of, carer_of, sibling_of, grandparent_of,
    /// partner_of, household_member_of.
    pub relationship: String,
    /// `they_are` ("they are parent of this person") or `this_person_is`.
    pub direction: String,
}

impl App {
    /// Records a relationship between `person` and another person, on both people's
    /// chronologies. Refused (naming the field) for an unknown person, the person themself, a
    /// merged record or an unknown relationship; a conflict when it is already recorded (also
    /// when two people record it at the same moment: it is stored once).
    pub async fn record_relationship(
        &self,
        actor: &Actor,
        person: PersonId,
        input: &RelationshipInput,
    ) -> Result<Link, AppError> {
        actor.may(Action::EditPerson)?;
        let authority = actor.authority;
        let this = self
            .store
            .person(authority, person)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        let typed = input.related_person.trim();
        let other = match self.store.person_id_by_la_id(authority, typed).await? {
            Some(id) => Some(id),
            None => match typed.parse::<PersonId>() {
                Ok(id) => self.store.person(authority, id).await.ok().map(|p| p.id),
                Err(_) => None,
            },
        };
        let Some(other) = other else {
            return Err(AppError::invalid(
                "related_person",
                "Enter the Person ID shown on the other person's record: no record has that ID.",
            ));
        };
        if other == person {
            return Err(AppError::invalid(
                "related_person",
                "A person cannot be related to themself: enter the other person's ID.",
            ));
        }
        let other_person = self.store.person(authority, other).await?;
        if this.merged_into.is_some() || other_person.merged_into.is_some() {
            return Err(AppError::invalid(
                "related_person",
                "That record was merged into another: record the relationship on the record it was merged into.",
            ));
        }
        let Some(relationship) = Relationship::from_code(input.relationship.trim()) else {
            return Err(AppError::invalid(
                "relationship",
                "Choose how the two people are related.",
            ));
        };
        let (mut from, mut to) = match input.direction.trim() {
            "they_are" => (other, person),
            "this_person_is" => (person, other),
            _ => {
                return Err(AppError::invalid(
                    "direction",
                    "Choose which way the relationship reads.",
                ))
            }
        };
        // Symmetric relationships read the same both ways: store them one way only.
        if relationship.generations_above() == 0 && from > to {
            std::mem::swap(&mut from, &mut to);
        }
        let now = self.now();
        let mut tx = self.store.begin().await?;
        // A merge that lands between the checks above and this write must not leave the
        // relationship on a merged record: both people are held and checked again.
        let held = people_store::people_for_update(&mut tx, authority, &[from, to]).await?;
        if held.len() != 2 || held.iter().any(|p| p.merged_into.is_some()) {
            return Err(AppError::Conflict(
                "One of these records has just been merged into another: record the relationship on the record it was merged into.".into(),
            ));
        }
        if !people_store::insert_relationship(&mut tx, authority, from, relationship, to, now)
            .await?
        {
            return Err(AppError::Conflict(
                "This relationship is already recorded: reload the record to see it.".into(),
            ));
        }
        let name = |id: PersonId| {
            if id == person {
                this.full_name()
            } else {
                other_person.full_name()
            }
        };
        NewEvent::by(actor, now, "relationship_recorded", from.0)
            .about_all([from, to])
            .with(json!({
                "from": from, "from_name": name(from), "relationship": relationship.code(),
                "to": to, "to_name": name(to),
            }))
            .append(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(Link {
            from,
            to,
            relationship,
        })
    }

    /// The family network of `subject`, for anyone who may read a child's record. Each person
    /// shown is a read of their record, written to the access log.
    pub async fn family_network(
        &self,
        actor: &Actor,
        subject: PersonId,
    ) -> Result<FamilyNetwork, AppError> {
        actor.may(Action::ViewChildRecord)?;
        let authority = actor.authority;
        self.store
            .person(authority, subject)
            .await
            .map_err(|e| AppError::from(e).normalise())?;
        // Out from the child one step at a time; the nearest people are kept when cut.
        let mut order = vec![subject];
        let mut links: Vec<Link> = Vec::new();
        let mut frontier = vec![subject];
        let mut cut = false;
        // Two steps out; a third query only finds the links among the people already found
        // (a grandmother and her partner, both reached through the mother).
        for step in 0..3 {
            if frontier.is_empty() {
                break;
            }
            let found = self
                .store
                .relationships_touching(authority, &frontier)
                .await?;
            let mut next = Vec::new();
            for link in found {
                if step < 2 {
                    for end in [link.from, link.to] {
                        if !order.contains(&end) && !next.contains(&end) {
                            next.push(end);
                        }
                    }
                }
                if !links.contains(&link) {
                    links.push(link);
                }
            }
            let room = NETWORK_LIMIT.saturating_sub(order.len());
            if next.len() > room {
                next.truncate(room);
                cut = true;
            }
            order.extend(&next);
            frontier = next;
        }
        let people = self.store.people_by_ids(authority, &order).await?;
        let kept: Vec<PersonId> = order
            .iter()
            .copied()
            .filter(|id| {
                people
                    .iter()
                    .any(|p| p.id == *id && p.merged_into.is_none())
            })
            .collect();
        links.retain(|l| kept.contains(&l.from) && kept.contains(&l.to));
        let generation = generations(subject, &links);
        let open_contacts = self.store.open_contacts_of(authority, &kept).await?;
        let open_episodes = self.store.open_episodes_of(authority, &kept).await?;
        let mut members: Vec<NetworkMember> = people
            .into_iter()
            .filter(|p| kept.contains(&p.id))
            .map(|person| NetworkMember {
                generation: generation.get(&person.id).copied().unwrap_or(0),
                open_contacts: open_contacts
                    .iter()
                    .filter(|c| c.person == person.id)
                    .cloned()
                    .collect(),
                open_episodes: open_episodes
                    .iter()
                    .filter(|e| e.person == person.id)
                    .cloned()
                    .collect(),
                person,
            })
            .collect();
        members.sort_by(|a, b| {
            (a.person.id != subject)
                .cmp(&(b.person.id != subject))
                .then(a.generation.cmp(&b.generation))
                .then(a.person.birth_date.cmp(&b.person.birth_date))
                .then(a.person.full_name().cmp(&b.person.full_name()))
        });
        self.store
            .log_accesses(authority, actor.worker, &kept, "family network", self.now())
            .await?;
        Ok(FamilyNetwork {
            subject,
            members,
            links,
            cut,
        })
    }
}
