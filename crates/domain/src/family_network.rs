//! The family network around a child: who is related to whom, and in which generation each
//! person sits relative to the child (parents one above, grandparents two, siblings and partners
//! level), so that a genogram can be drawn generation by generation.

use crate::ids::PersonId;
use crate::person::Relationship;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// One recorded relationship: `from` is `relationship` `to` ("Sarah is parent of Jamie").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Link {
    pub from: PersonId,
    pub to: PersonId,
    pub relationship: Relationship,
}

impl Relationship {
    /// How many generations the first person sits above the second.
    pub fn generations_above(self) -> i32 {
        match self {
            Relationship::ParentOf | Relationship::StepParentOf | Relationship::CarerOf => 1,
            Relationship::GrandparentOf => 2,
            Relationship::SiblingOf | Relationship::PartnerOf | Relationship::HouseholdMemberOf => {
                0
            }
        }
    }
}

/// Each connected person's generation relative to `subject` (0; parents -1, grandparents -2,
/// the subject's children +1), found by walking the links outward from the subject. Where the
/// records disagree (a loop that would put someone in two generations), the nearest path wins.
/// People the links do not connect to the subject are left out.
pub fn generations(subject: PersonId, links: &[Link]) -> BTreeMap<PersonId, i32> {
    let mut generation = BTreeMap::from([(subject, 0)]);
    let mut queue = VecDeque::from([subject]);
    while let Some(person) = queue.pop_front() {
        let here = generation[&person];
        for link in links {
            let up = link.relationship.generations_above();
            let (other, there) = if link.to == person {
                (link.from, here - up)
            } else if link.from == person {
                (link.to, here + up)
            } else {
                continue;
            };
            if let std::collections::btree_map::Entry::Vacant(slot) = generation.entry(other) {
                slot.insert(there);
                queue.push_back(other);
            }
        }
    }
    generation
}

/// Whether a "grandparent of" link is already shown by two "parent of" links through someone
/// in the network (so a drawing need not draw it again).
pub fn grandparent_through_parent(link: &Link, links: &[Link]) -> bool {
    link.relationship == Relationship::GrandparentOf
        && links.iter().any(|first| {
            first.from == link.from
                && first.relationship == Relationship::ParentOf
                && links.iter().any(|second| {
                    second.from == first.to
                        && second.to == link.to
                        && second.relationship == Relationship::ParentOf
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn person(n: u128) -> PersonId {
        PersonId(Uuid::from_u128(n))
    }

    fn link(from: u128, relationship: Relationship, to: u128) -> Link {
        Link {
            from: person(from),
            to: person(to),
            relationship,
        }
    }

    #[test]
    fn generations_follow_the_relationships_in_either_direction() {
        use Relationship::*;
        // 1 the child; 2 mother; 3 her partner; 4 maternal grandmother; 5 sister;
        // 6 the mother's own sibling (an aunt); 7 unconnected; 8 the child's baby.
        let links = [
            link(2, ParentOf, 1),
            link(3, PartnerOf, 2),
            link(4, GrandparentOf, 1),
            link(1, SiblingOf, 5),
            link(6, SiblingOf, 2),
            link(1, ParentOf, 8),
        ];
        let generation = generations(person(1), &links);
        assert_eq!(generation[&person(1)], 0);
        assert_eq!(generation[&person(2)], -1);
        assert_eq!(generation[&person(3)], -1);
        assert_eq!(generation[&person(4)], -2);
        assert_eq!(generation[&person(5)], 0);
        assert_eq!(generation[&person(6)], -1);
        assert_eq!(generation[&person(8)], 1);
        assert!(!generation.contains_key(&person(7)));
    }

    #[test]
    fn contradictory_records_keep_the_nearest_path() {
        use Relationship::*;
        // 2 is recorded as both parent and sibling of 1: the first link read wins, and the
        // walk still ends.
        let links = [link(2, ParentOf, 1), link(2, SiblingOf, 1)];
        let generation = generations(person(1), &links);
        assert_eq!(generation.len(), 2);
        assert_eq!(generation[&person(2)], -1);
    }

    #[test]
    fn a_grandparent_shown_through_a_parent_is_not_drawn_twice() {
        use Relationship::*;
        let links = [
            link(4, GrandparentOf, 1),
            link(4, ParentOf, 2),
            link(2, ParentOf, 1),
            link(5, GrandparentOf, 1),
        ];
        assert!(grandparent_through_parent(&links[0], &links));
        assert!(!grandparent_through_parent(&links[3], &links));
        assert!(!grandparent_through_parent(&links[1], &links));
    }
}
