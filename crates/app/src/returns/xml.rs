//! The census as the DfE's XML (2025–26 specification): `Message` → `Header` and
//! `Children/Child`, elements in the specification's order, dates as YYYY-MM-DD, every value
//! escaped. A small hand-written writer: the file is a fixed tree of text elements.

use chrono::{DateTime, NaiveDate, Utc};
use frontdoor_domain::returns::cin_census::{CensusChild, CensusEpisode, CinCensus};
use std::fmt::Write;

struct Xml {
    out: String,
    depth: usize,
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => escaped.push(c),
        }
    }
    escaped
}

impl Xml {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
    fn open(&mut self, name: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>");
        self.depth += 1;
    }
    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }
    fn text(&mut self, name: &str, value: &str) {
        self.indent();
        let _ = writeln!(self.out, "<{name}>{}</{name}>", escape(value));
    }
    fn optional(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.text(name, value);
        }
    }
    fn date(&mut self, name: &str, value: Option<NaiveDate>) {
        if let Some(d) = value {
            self.text(name, &d.format("%Y-%m-%d").to_string());
        }
    }
}

fn flag(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// The return as XML; `produced_at` is the header's `DateTime`.
pub fn cin_census_xml(census: &CinCensus, produced_at: DateTime<Utc>) -> String {
    let mut x = Xml {
        out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        depth: 0,
    };
    x.open("Message");
    x.open("Header");
    x.open("CollectionDetails");
    x.text("Collection", "CIN");
    x.text("Year", &census.year.year().to_string());
    x.date("ReferenceDate", Some(census.year.reference_date()));
    x.close("CollectionDetails");
    x.open("Source");
    x.text("SourceLevel", "L");
    x.text("LEA", &census.la_number);
    x.text("SoftwareCode", "frontdoor");
    x.text("Release", env!("CARGO_PKG_VERSION"));
    x.text("SerialNo", "1");
    x.text(
        "DateTime",
        &produced_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
    );
    x.close("Source");
    x.close("Header");
    x.open("Children");
    for child in &census.children {
        write_child(&mut x, child);
    }
    x.close("Children");
    x.close("Message");
    x.out
}

fn write_child(x: &mut Xml, child: &CensusChild) {
    x.open("Child");
    x.open("ChildIdentifiers");
    x.text("LAchildID", &child.la_child_id);
    x.optional("UPN", child.upn.as_deref());
    x.optional("UPNunknown", child.upn_unknown.as_deref());
    x.date("PersonBirthDate", child.birth_date());
    x.date("ExpectedPersonBirthDate", child.expected_birth_date());
    x.text("Sex", &child.sex);
    x.date("PersonDeathDate", child.died_on);
    x.close("ChildIdentifiers");
    x.open("ChildCharacteristics");
    x.text("Ethnicity", &child.ethnicity);
    if !child.disabilities.is_empty() {
        x.open("Disabilities");
        for disability in &child.disabilities {
            x.text("Disability", disability);
        }
        x.close("Disabilities");
    }
    x.close("ChildCharacteristics");
    for episode in &child.episodes {
        write_episode(x, episode);
    }
    x.close("Child");
}

fn write_episode(x: &mut Xml, e: &CensusEpisode) {
    x.open("CINdetails");
    x.date("CINreferralDate", Some(e.referral_date));
    x.text("ReferralSource", &e.referral_source);
    x.optional("PrimaryNeedCode", e.primary_need.as_deref());
    x.date("CINclosureDate", e.closed_on);
    x.optional("ReasonForClosure", e.closure_reason.as_deref());
    x.text("ReferralNFA", flag(e.referral_nfa));
    for a in &e.assessments {
        x.open("Assessments");
        x.date("AssessmentActualStartDate", Some(a.started_on));
        x.date("AssessmentAuthorisationDate", a.authorised_on);
        if !a.factors.is_empty() {
            x.open("FactorsIdentifiedAtAssessment");
            for factor in &a.factors {
                x.text("AssessmentFactors", factor);
            }
            x.close("FactorsIdentifiedAtAssessment");
        }
        x.close("Assessments");
    }
    for p in &e.cin_plans {
        x.open("CINPlanDates");
        x.date("CINPlanStartDate", Some(p.started_on));
        x.date("CINPlanEndDate", p.ended_on);
        x.close("CINPlanDates");
    }
    for s in &e.section_47s {
        x.open("Section47");
        x.date("S47ActualStartDate", Some(s.started_on));
        x.date("InitialCPCtarget", s.icpc_target);
        x.date("DateOfInitialCPC", s.icpc_on);
        x.text("ICPCnotRequired", flag(s.icpc_not_required));
        x.close("Section47");
    }
    for p in &e.plans {
        x.open("ChildProtectionPlans");
        x.date("CPPstartDate", Some(p.started_on));
        x.date("CPPendDate", p.ended_on);
        x.text("InitialCategoryOfAbuse", &p.initial_category);
        x.text("LatestCategoryOfAbuse", &p.latest_category);
        x.text("NumberOfPreviousCPP", &p.previous_plans.to_string());
        if !p.reviews.is_empty() {
            x.open("Reviews");
            for review in &p.reviews {
                x.date("CPPreviewDate", Some(*review));
            }
            x.close("Reviews");
        }
        x.close("ChildProtectionPlans");
    }
    x.close("CINdetails");
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdoor_domain::ids::{EpisodeId, PersonId};
    use frontdoor_domain::person::BirthDate;
    use frontdoor_domain::returns::cin_census::{CensusPlan, CensusYear};

    #[test]
    fn values_are_escaped_and_elements_follow_the_specification() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let census = CinCensus {
            year: CensusYear::new(2026).expect("year"),
            la_number: "001".into(),
            children: vec![CensusChild {
                person: PersonId::new(),
                la_child_id: "P<1>&'\"".into(),
                upn: None,
                upn_unknown: None,
                birth: Some(BirthDate::Born(d(2015, 1, 2))),
                sex: "F".into(),
                died_on: None,
                ethnicity: "WBRI".into(),
                disabilities: vec!["NONE".into()],
                episodes: vec![CensusEpisode {
                    episode: EpisodeId::new(),
                    referral_date: d(2025, 5, 1),
                    referral_source: "2A".into(),
                    primary_need: Some("N1".into()),
                    closed_on: None,
                    closure_reason: None,
                    referral_nfa: false,
                    assessments: vec![],
                    cin_plans: vec![],
                    section_47s: vec![],
                    plans: vec![CensusPlan {
                        started_on: d(2025, 6, 1),
                        ended_on: None,
                        initial_category: "NEG".into(),
                        latest_category: "NEG".into(),
                        previous_plans: 1,
                        reviews: vec![d(2025, 8, 1), d(2025, 11, 1)],
                    }],
                }],
            }],
        };
        let xml = cin_census_xml(&census, Utc::now());
        assert!(xml.contains("<LAchildID>P&lt;1&gt;&amp;&apos;&quot;</LAchildID>"));
        assert!(xml.contains("<ReferenceDate>2026-03-31</ReferenceDate>"));
        assert!(xml.contains("<ReferralNFA>false</ReferralNFA>"));
        assert!(xml.contains("<NumberOfPreviousCPP>1</NumberOfPreviousCPP>"));
        // One Reviews group per plan, a date per review (the specification's 0..1 and 1..n).
        assert_eq!(xml.matches("<Reviews>").count(), 1);
        assert_eq!(xml.matches("<CPPreviewDate>").count(), 2);
        let order = [
            "<LAchildID>",
            "<PersonBirthDate>",
            "<Sex>",
            "<Ethnicity>",
            "<Disability>",
            "<CINreferralDate>",
            "<PrimaryNeedCode>",
            "<ReferralNFA>",
            "<CPPstartDate>",
        ];
        let positions: Vec<usize> = order
            .iter()
            .map(|t| xml.find(t).expect("element"))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{xml}");
        assert!(!xml.contains("<UPN>"));
    }
}
