//! The family network section of a person's record: a genogram-style picture drawn here on the
//! server as SVG (no script), and beside it the text alternative, which lists every person with
//! their open involvement and every relationship, so that nothing is only in the picture.
//!
//! The drawing follows genogram conventions: a square for a male, a circle for a female, a
//! diamond where sex is not known; a double outline for the person whose record it is; one row
//! per generation, eldest at the top; a solid line to a parent, dashed to a step-parent, dotted
//! to a carer; partners joined side by side; siblings without a parent in the picture joined by
//! a bracket above them; others in the household joined by a dotted line.

use super::parse_id;
use crate::auth::Worker;
use crate::errors::PageError;
use crate::forms::{after_form, Choice, FormData, FormState, SignedInForm};
use crate::views::{render, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use frontdoor_app::family_network::{FamilyNetwork, NetworkMember, RelationshipInput};
use frontdoor_app::SignedIn;
use frontdoor_domain::family_network::{grandparent_through_parent, Link};
use frontdoor_domain::ids::PersonId;
use frontdoor_domain::person::{Relationship, Sex};
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Template)]
#[template(path = "relationship_new.html")]
pub struct NewRelationshipPage {
    pub chrome: Chrome,
    pub form: FormState,
    pub person_id: String,
    pub name: String,
    pub relationships: Vec<Choice>,
    pub directions: Vec<Choice>,
}

async fn relationship_form(
    state: &AppState,
    worker: &SignedIn,
    id: PersonId,
    form: FormState,
) -> Result<Response, PageError> {
    let person = state.app.view_person(&worker.actor(), id).await?.person;
    Ok(render(&NewRelationshipPage {
        chrome: Chrome::for_worker(state, worker, ""),
        form,
        person_id: id.to_string(),
        name: person.full_name(),
        relationships: Relationship::ALL
            .iter()
            .map(|r| Choice::new(r.code(), r.label()))
            .collect(),
        directions: vec![
            Choice::new(
                "they_are",
                format!("The other person is … {}", person.full_name()),
            ),
            Choice::new(
                "this_person_is",
                format!("{} is … the other person", person.full_name()),
            ),
        ],
    }))
}

/// `GET /people/{id}/relationships/new`: the form to record a relationship.
pub async fn new_relationship_page(
    State(state): State<AppState>,
    Worker(worker): Worker,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: PersonId = parse_id(&id)?;
    relationship_form(&state, &worker, id, FormState::filled(vec![])).await
}

fn relationship_input(form: &FormData) -> RelationshipInput {
    RelationshipInput {
        related_person: form.get("related_person").to_string(),
        relationship: form.get("relationship").to_string(),
        direction: form.get("direction").to_string(),
    }
}

/// `POST /people/{id}/relationships`: records it and goes back to the family network.
pub async fn record_relationship(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedInForm(worker, form): SignedInForm,
) -> Result<Response, PageError> {
    let id: PersonId = parse_id(&id)?;
    let result = state
        .app
        .record_relationship(&worker.actor(), id, &relationship_input(&form))
        .await;
    after_form(
        result,
        |_| format!("/people/{id}#family-network"),
        |errors| relationship_form(&state, &worker, id, FormState::sent(form, errors)),
    )
    .await
}

/// Horizontal room for one person, and vertical room for one generation, in SVG units.
const COLUMN: i32 = 180;
const ROW: i32 = 140;
/// Half the width of a person's symbol.
const HALF: i32 = 16;
const MARGIN: i32 = 24;

/// What the person page shows of the family network.
pub struct FamilyNetworkSection {
    /// The picture, as SVG markup (every text in it escaped here).
    pub svg: String,
    /// Each person: link, name, place in the family, born, open involvement.
    pub people: Vec<(String, String, String, String, String)>,
    /// Each relationship: link, name, "is parent of", link, name.
    pub relationships: Vec<(String, String, String, String, String)>,
    pub cut: bool,
}

impl FamilyNetworkSection {
    pub fn of(network: &FamilyNetwork) -> Self {
        let name_of = |id: PersonId| {
            network
                .members
                .iter()
                .find(|m| m.person.id == id)
                .map(|m| m.person.full_name())
                .unwrap_or_default()
        };
        FamilyNetworkSection {
            svg: genogram(network),
            people: network
                .members
                .iter()
                .map(|m| {
                    let involvement = m.involvement();
                    (
                        format!("/people/{}", m.person.id),
                        m.person.full_name(),
                        place(m, network.subject),
                        m.person
                            .birth_date
                            .map(|d| d.format("%-d %B %Y").to_string())
                            .unwrap_or_else(|| "Not known".into()),
                        if involvement.is_empty() {
                            "None open".into()
                        } else {
                            involvement.join("; ")
                        },
                    )
                })
                .collect(),
            relationships: network
                .links
                .iter()
                .map(|l| {
                    (
                        format!("/people/{}", l.from),
                        name_of(l.from),
                        format!("is {}", l.relationship.label()),
                        format!("/people/{}", l.to),
                        name_of(l.to),
                    )
                })
                .collect(),
            cut: network.cut,
        }
    }
}

/// Where a person sits relative to the child, in words.
fn place(member: &NetworkMember, subject: PersonId) -> String {
    if member.person.id == subject {
        return "This person".into();
    }
    match member.generation {
        0 => "Same generation".into(),
        -1 => "Parents' generation".into(),
        -2 => "Grandparents' generation".into(),
        1 => "Children's generation".into(),
        g if g < 0 => format!("{} generations above", -g),
        g => format!("{g} generations below"),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// At most `limit` characters, with an ellipsis when cut (the full text is in the table).
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        let kept: String = text.chars().take(limit.saturating_sub(1)).collect();
        format!("{}…", kept.trim_end())
    }
}

fn is_parental(r: Relationship) -> bool {
    r.generations_above() > 0
}

/// Each person's column within their generation's row: siblings and the child by age; the
/// generations above under-over their children, those below under their parents; partners
/// side by side.
fn columns(network: &FamilyNetwork) -> BTreeMap<i32, Vec<PersonId>> {
    let mut rows: BTreeMap<i32, Vec<&NetworkMember>> = BTreeMap::new();
    for m in &network.members {
        rows.entry(m.generation).or_default().push(m);
    }
    let mut placed: BTreeMap<PersonId, f64> = BTreeMap::new();
    let mut order: BTreeMap<i32, Vec<PersonId>> = BTreeMap::new();
    // The child's own generation first, eldest on the left.
    let mut generations: Vec<i32> = vec![0];
    generations.extend(rows.keys().filter(|g| **g < 0).rev());
    generations.extend(rows.keys().filter(|g| **g > 0));
    for generation in generations {
        let Some(members) = rows.get_mut(&generation) else {
            continue;
        };
        if generation == 0 {
            // Eldest first; a date not known last.
            members.sort_by_key(|m| (m.person.birth_date.is_none(), m.person.birth_date));
        }
        let mut keyed: Vec<(f64, &NetworkMember)> = members
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let near: Vec<f64> = network
                    .links
                    .iter()
                    .filter(|l| is_parental(l.relationship))
                    .filter_map(|l| {
                        let other = if l.from == m.person.id {
                            l.to
                        } else if l.to == m.person.id {
                            l.from
                        } else {
                            return None;
                        };
                        placed.get(&other).copied()
                    })
                    .collect();
                let key = if generation == 0 || near.is_empty() {
                    // In the order sorted above, after those placed by their relatives.
                    1000.0 + i as f64
                } else {
                    near.iter().sum::<f64>() / near.len() as f64
                };
                (key, *m)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut row: Vec<PersonId> = keyed.iter().map(|(_, m)| m.person.id).collect();
        // Partners side by side.
        for link in &network.links {
            if link.relationship != Relationship::PartnerOf {
                continue;
            }
            let (Some(a), Some(b)) = (
                row.iter().position(|p| *p == link.from),
                row.iter().position(|p| *p == link.to),
            ) else {
                continue;
            };
            if a.abs_diff(b) > 1 {
                let moved = row.remove(b);
                let at = row.iter().position(|p| *p == link.from).unwrap_or(0) + 1;
                row.insert(at.min(row.len()), moved);
            }
        }
        for (i, id) in row.iter().enumerate() {
            placed.insert(*id, i as f64);
        }
        order.insert(generation, row);
    }
    order
}

/// The genogram as SVG markup.
pub fn genogram(network: &FamilyNetwork) -> String {
    let rows = columns(network);
    let widest = rows.values().map(Vec::len).max().unwrap_or(1) as i32;
    let top = rows.keys().next().copied().unwrap_or(0);
    let width = widest * COLUMN + 2 * MARGIN;
    let height = rows.len() as i32 * ROW + MARGIN;
    let mut at: BTreeMap<PersonId, (i32, i32)> = BTreeMap::new();
    for (generation, row) in &rows {
        let offset = MARGIN + (widest - row.len() as i32) * COLUMN / 2;
        for (i, id) in row.iter().enumerate() {
            let x = offset + i as i32 * COLUMN + COLUMN / 2;
            let y = MARGIN + (generation - top) * ROW + HALF + 8;
            at.insert(*id, (x, y));
        }
    }
    let subject_name = network
        .members
        .iter()
        .find(|m| m.person.id == network.subject)
        .map(|m| m.person.full_name())
        .unwrap_or_default();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="family-network-title family-network-desc" class="fd-genogram" font-family="Arial, sans-serif">"##
    );
    let _ = write!(
        svg,
        r#"<title id="family-network-title">Family network of {}</title><desc id="family-network-desc">{} people and {} relationships, one row for each generation. Every person and relationship is listed in the tables that follow the picture.</desc>"#,
        escape(&subject_name),
        network.members.len(),
        network.links.len()
    );
    svg.push_str(r##"<g fill="none" stroke="#0b0c0c" stroke-width="2">"##);
    for link in &network.links {
        let (Some(&(x1, y1)), Some(&(x2, y2))) = (at.get(&link.from), at.get(&link.to)) else {
            continue;
        };
        if let Some(path) = line(link, &network.links, (x1, y1), (x2, y2)) {
            svg.push_str(&path);
        }
    }
    svg.push_str("</g>");
    for member in &network.members {
        let Some(&(x, y)) = at.get(&member.person.id) else {
            continue;
        };
        svg.push_str(&person(member, member.person.id == network.subject, x, y));
    }
    svg.push_str("</svg>");
    svg
}

fn dash(relationship: Relationship) -> &'static str {
    match relationship {
        Relationship::StepParentOf => r#" stroke-dasharray="8 5""#,
        Relationship::CarerOf | Relationship::HouseholdMemberOf => r#" stroke-dasharray="2 4""#,
        Relationship::GrandparentOf => r#" stroke-dasharray="12 4 2 4""#,
        _ => "",
    }
}

/// The line for one relationship, or none where the picture already shows it (a sibling
/// under a shared parent; a grandparent through a parent).
fn line(link: &Link, links: &[Link], from: (i32, i32), to: (i32, i32)) -> Option<String> {
    let ((x1, y1), (x2, y2)) = (from, to);
    let style = dash(link.relationship);
    match link.relationship {
        r if is_parental(r) && y1 < y2 => {
            if grandparent_through_parent(link, links) {
                return None;
            }
            let middle = y2 - ROW / 2 + 10;
            Some(format!(
                r#"<path d="M{x1} {} V{middle} H{x2} V{}"{style}/>"#,
                y1 + HALF,
                y2 - HALF
            ))
        }
        Relationship::SiblingOf if y1 == y2 => {
            let shared_parent = links.iter().any(|p| {
                p.relationship == Relationship::ParentOf
                    && p.to == link.from
                    && links.iter().any(|q| {
                        q.relationship == Relationship::ParentOf
                            && q.from == p.from
                            && q.to == link.to
                    })
            });
            if shared_parent {
                return None;
            }
            let above = y1 - HALF - 14;
            Some(format!(
                r#"<path d="M{x1} {} V{above} H{x2} V{}"/>"#,
                y1 - HALF,
                y2 - HALF
            ))
        }
        Relationship::PartnerOf if y1 == y2 => {
            let (left, right) = (x1.min(x2) + HALF, x1.max(x2) - HALF);
            Some(format!(r#"<path d="M{left} {y1} H{right}"/>"#))
        }
        // Anything else, or records that disagree with the rows: a straight line.
        _ => Some(format!(r#"<path d="M{x1} {y1} L{x2} {y2}"{style}/>"#)),
    }
}

/// A person's symbol and, under it, their name, year of birth and first open involvement.
fn person(member: &NetworkMember, is_subject: bool, x: i32, y: i32) -> String {
    let involved = !member.involvement().is_empty();
    let fill = if involved { "#fff7bf" } else { "#ffffff" };
    let shape = |grow: i32, fill: &str| match member.person.sex {
        Sex::Male => format!(
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#0b0c0c" stroke-width="2"/>"##,
            x - HALF - grow,
            y - HALF - grow,
            2 * (HALF + grow),
            2 * (HALF + grow)
        ),
        Sex::Female => format!(
            r##"<circle cx="{x}" cy="{y}" r="{}" fill="{fill}" stroke="#0b0c0c" stroke-width="2"/>"##,
            HALF + grow
        ),
        Sex::Indeterminate | Sex::NotKnown => {
            let r = HALF + 3 + grow;
            format!(
                r##"<polygon points="{x},{} {},{y} {x},{} {},{y}" fill="{fill}" stroke="#0b0c0c" stroke-width="2"/>"##,
                y - r,
                x + r,
                y + r,
                x - r
            )
        }
    };
    let mut out = String::from("<g>");
    if is_subject {
        out.push_str(&shape(6, "#ffffff"));
    }
    out.push_str(&shape(0, fill));
    let text_y = y + HALF + 22;
    let _ = write!(
        out,
        r##"<text x="{x}" y="{text_y}" text-anchor="middle" font-size="14" font-weight="bold" fill="#0b0c0c">{}</text>"##,
        escape(&shorten(&member.person.full_name(), 22))
    );
    let born = member
        .person
        .birth_date
        .map(|d| format!("born {}", d.format("%Y")))
        .unwrap_or_else(|| "date of birth not known".into());
    let _ = write!(
        out,
        r##"<text x="{x}" y="{}" text-anchor="middle" font-size="13" fill="#0b0c0c">{born}</text>"##,
        text_y + 17
    );
    if let Some(first) = member.involvement().first() {
        let _ = write!(
            out,
            r##"<text x="{x}" y="{}" text-anchor="middle" font-size="13" fill="#0b0c0c">{}</text>"##,
            text_y + 34,
            escape(&shorten(first, 24))
        );
    }
    out.push_str("</g>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use frontdoor_app::records::Person;
    use frontdoor_domain::ids::AuthorityId;
    use frontdoor_domain::person::EthnicityCode;
    use uuid::Uuid;

    fn member(n: u128, name: &str, sex: Sex, born: i32, generation: i32) -> NetworkMember {
        NetworkMember {
            person: Person {
                id: PersonId(Uuid::from_u128(n)),
                authority: AuthorityId(Uuid::from_u128(99)),
                la_person_id: String::new(),
                given_name: name.into(),
                family_name: "Test".into(),
                birth_date: NaiveDate::from_ymd_opt(born, 1, 1),
                birth_date_expected: false,
                sex,
                ethnicity: EthnicityCode::NOT_OBTAINED,
                nhs_number: None,
                upn: None,
                disabilities: "NONE".into(),
                postcode: None,
                merged_into: None,
            },
            generation,
            open_contacts: vec![],
            open_episodes: vec![],
        }
    }

    fn link(from: u128, relationship: Relationship, to: u128) -> Link {
        Link {
            from: PersonId(Uuid::from_u128(from)),
            to: PersonId(Uuid::from_u128(to)),
            relationship,
        }
    }

    fn network() -> FamilyNetwork {
        use Relationship::*;
        FamilyNetwork {
            subject: PersonId(Uuid::from_u128(1)),
            members: vec![
                member(1, "Jamie <b>", Sex::Male, 2019, 0),
                member(2, "Sarah", Sex::Female, 1990, -1),
                member(3, "Dean", Sex::Male, 1988, -1),
                member(4, "Ada", Sex::Female, 2016, 0),
                member(5, "Kit", Sex::NotKnown, 1960, -2),
            ],
            links: vec![
                link(2, ParentOf, 1),
                link(2, ParentOf, 4),
                link(3, StepParentOf, 1),
                link(3, PartnerOf, 2),
                link(4, SiblingOf, 1),
                link(5, GrandparentOf, 1),
            ],
            cut: false,
        }
    }

    #[test]
    fn the_picture_has_a_symbol_for_each_person_and_escapes_names() {
        let svg = genogram(&network());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // The child (male) has a double outline: two rects; Dean one; Sarah and Ada circles;
        // Kit, whose sex is not known, a diamond.
        assert_eq!(svg.matches("<rect").count(), 3);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("<polygon").count(), 1);
        assert!(svg.contains("Jamie &lt;b&gt; Test"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains(r#"role="img""#));
    }

    #[test]
    fn lines_follow_the_conventions_and_are_not_drawn_twice() {
        let svg = genogram(&network());
        // Two parent lines (one of them dashed for the step-parent) and the grandparent's,
        // one partner line; the siblings share Sarah, so no bracket.
        assert_eq!(svg.matches("<path").count(), 5);
        assert_eq!(svg.matches(r#"stroke-dasharray="8 5""#).count(), 1);
        assert_eq!(svg.matches(r#"stroke-dasharray="12 4 2 4""#).count(), 1);
    }

    #[test]
    fn generations_are_rows_eldest_at_the_top_and_partners_side_by_side() {
        let rows = columns(&network());
        let id = |n: u128| PersonId(Uuid::from_u128(n));
        assert_eq!(rows.keys().copied().collect::<Vec<_>>(), vec![-2, -1, 0]);
        let parents = &rows[&-1];
        assert_eq!(parents.len(), 2);
        assert!(parents.contains(&id(2)) && parents.contains(&id(3)));
        // The children's row by age: Ada (2016) left of Jamie (2019).
        assert_eq!(rows[&0], vec![id(4), id(1)]);
    }

    #[test]
    fn the_text_alternative_lists_everyone_and_every_relationship() {
        let section = FamilyNetworkSection::of(&network());
        assert_eq!(section.people.len(), 5);
        assert_eq!(section.relationships.len(), 6);
        assert_eq!(section.people[0].2, "This person");
        assert!(section
            .relationships
            .iter()
            .any(|r| r.1 == "Dean Test" && r.2 == "is step-parent of" && r.4 == "Jamie <b> Test"));
    }
}
