//! Annex A's column headings and the values its drop-down lists offer, word for word (the
//! sources, and what could not be confirmed, are in `docs/decisions/0021-ofsted-annex-a.md`).
//! Each value maps from the code this system records (the DfE census codes, where the census
//! has one).

/// The sheet names (also the CSV file names' stems), lists 1 to 7.
pub const LIST_NAMES: [&str; 7] = [
    "List 1", "List 2", "List 3", "List 4", "List 5", "List 6", "List 7",
];

/// What each list is about, for people (the page's summary).
pub const LIST_TITLES: [&str; 7] = [
    "Contacts",
    "Early help assessments",
    "Referrals",
    "Assessments",
    "Section 47 enquiries and initial child protection conferences",
    "Children in need",
    "Child protection plans",
];

/// The five columns every list starts with.
pub const CHILD_HEADINGS: [&str; 5] = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
];

pub const DISABILITY_HEADING: &str = "Does the Child have a Disability";

/// The headings after the child's columns (and, for lists 4–7, after the disability column).
pub const LIST_1_HEADINGS: &[&str] = &["Date of Contact", "Contact Source"];
pub const LIST_2_HEADINGS: &[&str] = &[
    "Assessment start date",
    "Assessment completion date",
    "Organisation completing assessment",
];
pub const LIST_3_HEADINGS: &[&str] = &[
    "Date of referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
];
pub const LIST_4_HEADINGS: &[&str] = &[
    "Continuous Assessment Start Date",
    "Child Seen During Continuous Assessment",
    "Continuous Assessment Date of Authorisation",
    "Was the child assessed as requiring LA children's social care support?",
    "Allocated Team",
    "Allocated Worker",
];
pub const LIST_5_HEADINGS: &[&str] = &[
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
    "Allocated Team",
    "Allocated Worker",
];
pub const LIST_6_HEADINGS: &[&str] = &[
    "CIN Start Date",
    "Primary Need Code",
    "Date Child Was Last Seen",
    "CIN Closure Date",
    "Reason for Closure",
    "Case Status",
    "Allocated Team",
    "Allocated Worker",
];
pub const LIST_7_HEADINGS: &[&str] = &[
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
];

/// A list's full headings: the child's columns, the disability column for lists 4–7, then
/// the list's own.
pub fn headings(list: usize) -> Vec<&'static str> {
    let own = match list {
        1 => LIST_1_HEADINGS,
        2 => LIST_2_HEADINGS,
        3 => LIST_3_HEADINGS,
        4 => LIST_4_HEADINGS,
        5 => LIST_5_HEADINGS,
        6 => LIST_6_HEADINGS,
        _ => LIST_7_HEADINGS,
    };
    let mut all: Vec<&'static str> = CHILD_HEADINGS.to_vec();
    if list >= 4 {
        all.push(DISABILITY_HEADING);
    }
    all.extend_from_slice(own);
    all
}

pub const YES: &str = "a) Yes";
pub const NO: &str = "b) No";
pub const UNKNOWN: &str = "c) Unknown";

pub fn yes_no(value: bool) -> &'static str {
    if value {
        YES
    } else {
        NO
    }
}

pub fn yes_no_unknown(value: Option<bool>) -> &'static str {
    value.map_or(UNKNOWN, yes_no)
}

/// Gender, from the sex recorded (`male`, `female`, `not_known`, `indeterminate`).
pub fn gender(sex: &str) -> &'static str {
    match sex.trim() {
        "male" | "M" | "1" => "a) Male",
        "female" | "F" | "2" => "b) Female",
        "indeterminate" => "d) Neither",
        _ => "c) Not stated/recorded",
    }
}

/// The census ethnicity codes in Annex A's order: the value is "<letter>) <code>".
const ETHNICITY_ORDER: [&str; 20] = [
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
];

/// Ethnicity, from the census code recorded; no code recorded is "information not yet
/// obtained".
pub fn ethnicity(code: &str) -> String {
    let code = code.trim().to_ascii_uppercase();
    let index = ETHNICITY_ORDER
        .iter()
        .position(|c| *c == code)
        .unwrap_or(ETHNICITY_ORDER.len() - 1);
    format!("{}) {}", letter(index), ETHNICITY_ORDER[index])
}

/// Contact and referral source, from the census code (1A–10): "<letter>) <code>: <group>".
pub fn source(code: &str) -> String {
    let (letter, group) = match code.trim().to_ascii_uppercase().as_str() {
        "1A" => ("a", "1A: Individual"),
        "1B" => ("b", "1B: Individual"),
        "1C" => ("c", "1C: Individual"),
        "1D" => ("d", "1D: Individual"),
        "2A" => ("e", "2A: Schools"),
        "2B" => ("f", "2B: Education services"),
        "3A" => ("g", "3A: Health services"),
        "3B" => ("h", "3B: Health services"),
        "3C" => ("i", "3C: Health services"),
        "3D" => ("j", "3D: Health services"),
        "3E" => ("k", "3E: Health services"),
        "3F" => ("l", "3F: Health services"),
        "4" => ("m", "4: Housing"),
        "5A" => ("n", "5A: LA services"),
        "5B" => ("o", "5B: LA services"),
        "5C" => ("p", "5C: LA services"),
        "5D" => ("p1", "5D: LA services"),
        "6" => ("q", "6: Police"),
        "7" => ("r", "7: Other legal agency"),
        "8" => ("s", "8: Other"),
        "9" => ("t", "9: Anonymous"),
        _ => ("u", "10: Unknown"),
    };
    format!("{letter}) {group}")
}

/// Disability, from the census codes recorded: `NONE` is no, any other code yes, nothing
/// recorded unknown.
pub fn disability(recorded: &str) -> &'static str {
    let codes = crate::returns::cin_census::disability_codes(recorded);
    if codes.is_empty() {
        UNKNOWN
    } else if codes.iter().all(|c| c == "NONE") {
        NO
    } else {
        YES
    }
}

/// Primary need, from the census code (N0–N9): "<code> - <label>".
pub fn primary_need(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "N0" => "N0 - Not stated",
        "N1" => "N1 - Abuse or neglect",
        "N2" => "N2 - Child's disability",
        "N3" => "N3 - Parental disability or illness",
        "N4" => "N4 - Family in acute stress",
        "N5" => "N5 - Family dysfunction",
        "N6" => "N6 - Socially unacceptable behaviour",
        "N7" => "N7 - Low income",
        "N8" => "N8 - Absent parenting",
        "N9" => "N9 - Cases other than children in need",
        _ => return None,
    })
}

/// Reason for closure, from the census code (RC1–RC9): "<code> - <label>".
pub fn closure_reason(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "RC1" => "RC1 - Adopted",
        "RC2" => "RC2 - Died",
        "RC3" => "RC3 - Child arrangements order",
        "RC4" => "RC4 - Special guardianship order",
        "RC5" => "RC5 - Transferred to services of another local authority",
        "RC6" => "RC6 - Transferred to adult social care services",
        "RC7" => "RC7 - Services ceased for any other reason, including child no longer in need",
        "RC8" => "RC8 - Case closed after assessment, no further action",
        "RC9" => "RC9 - Case closed after assessment, referred to early help",
        _ => return None,
    })
}

/// Category of abuse, from the census code (NEG, PHY, SAB, EMO, MUL).
pub fn category_of_abuse(code: &str) -> Option<&'static str> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "NEG" => "a) Neglect",
        "PHY" => "b) Physical abuse",
        "SAB" => "c) Sexual abuse",
        "EMO" => "d) Emotional abuse",
        "MUL" => "e) Multiple/not recommended",
        _ => return None,
    })
}

/// Where a child in need's case stands on the inspection date (list 6's case status). This
/// system records no looked-after children, so "a) Looked after child" is never given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseStatus {
    ChildProtectionPlan,
    ChildInNeedPlan,
    OpenAssessment,
    Closed,
}

impl CaseStatus {
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::ChildProtectionPlan => "b) Child Protection plan",
            CaseStatus::ChildInNeedPlan => "c) Child in need plan",
            CaseStatus::OpenAssessment => "d) Open assessment",
            CaseStatus::Closed => "e) Closed episode",
        }
    }
}

/// Whether an assessment's outcome means the child needed LA children's social care support
/// (a child in need plan, or a strategy discussion); none for an outcome not recorded.
pub fn requires_social_care_support(outcome: &str) -> Option<bool> {
    match outcome.trim() {
        "child_in_need_plan" | "strategy_discussion" => Some(true),
        "no_further_action" | "early_help" => Some(false),
        _ => None,
    }
}

/// Whether an emergency action recorded is an emergency protection order or police protection.
pub fn is_protective_emergency_action(action: &str) -> bool {
    matches!(
        action.trim(),
        "police_protection" | "emergency_protection_order"
    )
}

fn letter(index: usize) -> char {
    (b'a' + u8::try_from(index).unwrap_or(25).min(25)) as char
}
