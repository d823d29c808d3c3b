//! The DfE's validation rules for the census, ported: each keeps the DfE's code and message,
//! and [`check`] runs them all over a return.

use super::*;

mod episodes;

/// An error stops the return being accepted; a query must be answered (amended, or explained
/// to the DfE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    Error,
    Query,
}

impl IssueKind {
    pub fn label(self) -> &'static str {
        match self {
            IssueKind::Error => "Error",
            IssueKind::Query => "Query",
        }
    }
}

/// A DfE validation rule: its code and message exactly as the DfE publishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CensusRule {
    pub code: &'static str,
    pub kind: IssueKind,
    pub message: &'static str,
}

const fn error(code: &'static str, message: &'static str) -> CensusRule {
    CensusRule {
        code,
        kind: IssueKind::Error,
        message,
    }
}
const fn query(code: &'static str, message: &'static str) -> CensusRule {
    CensusRule {
        code,
        kind: IssueKind::Query,
        message,
    }
}

/// Every rule ported here (the DfE's 2025–26 rule set has about 110; those left out need data
/// this system does not hold, such as a former UPN, or concern the file's header).
pub const RULES: &[CensusRule] = &[
    error("8500", "LA Child ID missing"),
    error("1570", "LA Child ID must not be longer than 20 characters"),
    error("1580", "LA Child ID must not contain any non-alphanumeric characters"),
    error("8510", "More than one child record with the same LA Child ID"),
    error("1510", "UPN invalid (wrong check letter at character 1)"),
    error("1530", "UPN invalid (characters 2-4 not a recognised LA code)"),
    error("1540", "UPN invalid (characters 5-12 not all numeric)"),
    error("1550", "UPN invalid (character 13 not a recognised value)"),
    error("1520", "More than one record with the same UPN."),
    query("8770Q", "Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is UN1 for a child who is of school age."),
    error("4180", "Sex must be provided and equal M, F, or U"),
    error("8750", "Sex must equal U for an unborn child"),
    query("8525Q", "Either Date of Birth or Expected Date of Birth must be provided (but not both)"),
    error("8520", "Date of Birth is after data collection period (must be on or before the end of the census period)"),
    query("8530Q", "Please check and either amend data or provide a reason: Expected Date of Birth is outside the expected range for this census (March to December of the Census Year end)"),
    query("8775Q", "Please check and either amend data or provide a reason: Child is over 25 years old"),
    error("4220", "Ethnicity is missing or invalid (see Ethnicity table)"),
    error("8540", "Child’s disability is missing or invalid (see Disability table)"),
    error("8790", "Disability information includes both None and other values"),
    error("8794", "Child has two or more disabilities with the same code"),
    error("8590", "Child does not have a recorded CIN episode."),
    error("8600", "Child referral date missing or after data collection period"),
    error("8866", "Source of Referral is missing or an invalid code"),
    error("8650", "Primary Need Code invalid (see Primary Need table in CIN census code set)"),
    error("8610", "Primary Need code is missing for a referral which led to further action."),
    error("8640", "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)"),
    error("8805", "A CIN case cannot have a CIN closure date without a Reason for Closure"),
    error("8810", "A CIN case cannot have a Reason for Closure without a CIN Closure Date"),
    error("8620", "CIN Closure Date present and does not fall within the Census year"),
    error("8630", "CIN Closure Date is before CIN Referral Date for the same CIN episode"),
    query("8569Q", "A case with referral date before one working day prior to the collection start date must not be flagged as a no further action case"),
    error("8831", "Activity is recorded against a case marked as a referral with no further action"),
    error("8832", "Child Protection details provided for a referral with no further action."),
    error("4000", "CIN Plan details provided for a referral with no further action"),
    query("8825Q", "Please check and either amend data or provide a reason: Reason for Closure code RC8 (case closed after assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there is no assessment present for the episode."),
    error("2990", "Activity is recorded against a case marked as ‘Case closed after assessment, no further action’ or 'case closed after assessment, referred to early help'."),
    error("8565", "Activity shown after a case has been closed"),
    error("8867", "CIN episode is shown as closed, however Assessment is not shown as completed"),
    error("8868", "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or ICPC not required flag"),
    error("8815", "More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this child and case is not a referral with no further action."),
    error("8816", "An open CIN episode is shown and case is not a referral with no further action, but it is not the latest episode."),
    error("8820", "The dates on the CIN episodes for this child overlap"),
    error("1103", "The assessment start date cannot be before the referral date"),
    error("8608", "Assessment Start Date cannot be later than its End Date"),
    error("8696", "Assessment end date must fall within the census year"),
    error("8736", "For an Assessment that has not been completed, the start date must fall within the census year"),
    error("8896", "Within one CINDetails group there are 2 or more open Assessments groups"),
    query("8863Q", "An Assessment is shown as starting when there is another Assessment ongoing."),
    query("8670Q", "Please check and either amend data or provide a reason: Assessment started more than 45 working days before the end of the census year. However, there is no Assessment end date."),
    query("8897Q", "Parental or child factors at assessment information is missing from a completed assessment"),
    error("8614", "Parental or child factors at assessment should only be present for a completed assessment."),
    error("8869", "The assessment factors code “21” cannot be used in conjunction with any other assessment factors."),
    error("8898", " The assessment has more than one parental or child factors with the same code"),
    error("4010", "CIN Plan start date is missing or out of data collection period"),
    error("4011", "CIN Plan End Date earlier than Start Date"),
    error("4013", "CIN Plan end date must fall within the census year"),
    error("4015", "The CIN Plan start date cannot be before the referral date"),
    error("2889", "The S47 start date cannot be before the referral date."),
    error("8615", "Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference"),
    error("8715", "Date of Initial Child Protection Conference must fall within the census year"),
    error("1104", "The date of the initial child protection conference cannot be before the referral date"),
    error("8740", "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the census year, the start date must fall within the census year"),
    query("8675Q", "Please check and either amend data or provide a reason: S47 Enquiry started more than 15 working days before the end of the census year. However, there is no date of Initial Child Protection Conference."),
    error("8839", "Within one CINDetails group there are 2 or more open S47 Assessments"),
    error("8890", "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing"),
    error("8875", "The Date of Initial Child Protection Conference cannot be a weekend"),
    query("8870Q", "Please check and either amend or provide a reason: The Target Date for Initial Child Protection Conference should not be a weekend"),
    error("1105", "The child protection plan start date cannot be before the referral date"),
    error("8720", "Child Protection Plan Start Date missing or out of data collection period"),
    error("8925", "Child Protection Plan End Date earlier than Start Date"),
    error("8840", "Child Protection Plan cannot start and end on the same day"),
    error("8930", "Child Protection Plan End Date must fall within the census year"),
    error("8935", "This child is showing more than one open Child Protection plan, i.e. with no End Date"),
    error("8940", "Child Protection Plan data contains overlapping dates"),
    error("8905", "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)"),
    error("8910", "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)"),
    error("8841", "The review date cannot be on the same day or before the Child protection Plan start date."),
    error("2885", "Child protection plan shown as starting a different day to the initial child protection conference."),
    error("2883", "There are more child protection plans starting than initial conferences taking place"),
    query("2886Q", "Please check and either amend or provide a reason: Percentage of children with no sex recorded is more than 2% (excluding unborns)"),
    query("2887Q", "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return"),
    query("2888Q", "Please check and either amend or provide a reason: Only one disability code is recorded per child and multiple disabilities should be recorded where possible."),
];

/// The rule with this code (one of [`RULES`]).
pub fn rule(code: &str) -> Option<&'static CensusRule> {
    RULES.iter().find(|r| r.code == code)
}

/// The child an issue is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueChild {
    pub person: PersonId,
    pub la_child_id: String,
}

/// A rule broken: by one child (with what, in our words), or by the return as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CensusIssue {
    pub code: &'static str,
    pub kind: IssueKind,
    pub message: &'static str,
    pub child: Option<IssueChild>,
    pub detail: String,
}

struct Checker<'a> {
    year: CensusYear,
    calendar: &'a WorkingDayCalendar,
    issues: Vec<CensusIssue>,
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Checker<'_> {
    fn push(&mut self, code: &'static str, child: Option<&CensusChild>, detail: String) {
        let Some(rule) = rule(code) else { return };
        self.issues.push(CensusIssue {
            code: rule.code,
            kind: rule.kind,
            message: rule.message,
            child: child.map(|c| IssueChild {
                person: c.person,
                la_child_id: c.la_child_id.clone(),
            }),
            detail,
        });
    }

    /// `n` working days before `date` (the DfE counts the reference date as the first).
    fn working_days_before(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut d = date;
        for _ in 1..n {
            d = self.calendar.previous_working_day(d);
        }
        d
    }

    fn child(&mut self, c: &CensusChild) {
        let end = self.year.reference_date();
        let id = c.la_child_id.as_str();
        if id.trim().is_empty() {
            self.push("8500", Some(c), "The child has no LA child ID.".into());
        }
        if id.chars().count() > 20 {
            self.push(
                "1570",
                Some(c),
                format!("LA child ID '{id}' is longer than 20 characters."),
            );
        }
        if !id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            self.push(
                "1580",
                Some(c),
                format!("LA child ID '{id}' has characters other than letters and digits."),
            );
        }
        if let Some(upn) = &c.upn {
            self.upn(c, upn);
        }
        if !codes::SEX.contains(&c.sex.as_str()) {
            self.push(
                "4180",
                Some(c),
                format!("Sex '{}' is not M, F or U.", c.sex),
            );
        }
        match c.birth {
            None => self.push(
                "8525Q",
                Some(c),
                "Neither a date of birth nor an expected date of birth is recorded.".into(),
            ),
            Some(BirthDate::Expected(expected)) => {
                if c.sex != "U" {
                    self.push(
                        "8750",
                        Some(c),
                        format!(
                            "The child is unborn (expected {}) but sex is '{}'.",
                            day(expected),
                            c.sex
                        ),
                    );
                }
                let earliest = end - chrono::Duration::days(30);
                let latest = end.checked_add_months(Months::new(9)).unwrap_or(end);
                if expected < earliest || expected > latest {
                    self.push(
                        "8530Q",
                        Some(c),
                        format!(
                            "Expected date of birth {} is outside {} to {}.",
                            day(expected),
                            day(earliest),
                            day(latest)
                        ),
                    );
                }
            }
            Some(BirthDate::Born(born)) => {
                if born > end {
                    self.push(
                        "8520",
                        Some(c),
                        format!(
                            "Date of birth {} is after the reference date {}.",
                            day(born),
                            day(end)
                        ),
                    );
                }
            }
        }
        if !codes::ETHNICITY.contains(&c.ethnicity.as_str()) {
            self.push(
                "4220",
                Some(c),
                format!("Ethnicity '{}' is missing or not a DfE code.", c.ethnicity),
            );
        }
        let further_action = c.episodes.iter().any(|e| !e.referral_nfa);
        if c.birth_date().is_some() && further_action {
            let invalid: Vec<&str> = c
                .disabilities
                .iter()
                .map(String::as_str)
                .filter(|d| !codes::DISABILITY.contains(d))
                .collect();
            if c.disabilities.is_empty() {
                self.push(
                    "8540",
                    Some(c),
                    "No disability is recorded (record NONE when the child has none).".into(),
                );
            } else if !invalid.is_empty() {
                self.push(
                    "8540",
                    Some(c),
                    format!("Disability '{}' is not a DfE code.", invalid.join(", ")),
                );
            }
        }
        if c.disabilities.iter().any(|d| d == "NONE") && c.disabilities.iter().any(|d| d != "NONE")
        {
            self.push(
                "8790",
                Some(c),
                format!("Disabilities recorded as {}.", c.disabilities.join(", ")),
            );
        }
        let distinct: BTreeSet<&String> = c.disabilities.iter().collect();
        if distinct.len() < c.disabilities.len() {
            self.push(
                "8794",
                Some(c),
                format!("Disabilities recorded as {}.", c.disabilities.join(", ")),
            );
        }
        // School age: born on or before 31 August six years before the year's 31 August.
        let school_cut_off = end
            .checked_add_months(Months::new(4))
            .map(|d| d + chrono::Duration::days(31))
            .and_then(|d| d.checked_sub_months(Months::new(72)));
        if let (Some(born), Some(cut_off)) = (c.birth_date(), school_cut_off) {
            let reason_given = c.upn_unknown.as_deref().is_some_and(|r| {
                codes::UPN_UNKNOWN_FOR_SCHOOL_AGE.contains(&r.to_ascii_uppercase().as_str())
            });
            if further_action && born <= cut_off && c.upn.is_none() && !reason_given {
                self.push(
                    "8770Q",
                    Some(c),
                    "The child is of school age and has no UPN, nor a reason it is unknown.".into(),
                );
            }
            if let Some(twenty_five) = born.checked_add_months(Months::new(300)) {
                if twenty_five < end
                    && c.episodes
                        .iter()
                        .any(|e| e.closed_on.is_none_or(|d| d > twenty_five))
                {
                    self.push(
                        "8775Q",
                        Some(c),
                        format!("Born {}: over 25 years old.", day(born)),
                    );
                }
            }
        }
        if c.episodes.is_empty() {
            self.push(
                "8590",
                Some(c),
                "The child has no episode in the year.".into(),
            );
        }
        for e in &c.episodes {
            self.episode(c, e);
        }
        self.episodes_together(c);
        self.plans_together(c);
    }

    fn upn(&mut self, c: &CensusChild, upn: &str) {
        let b = upn.as_bytes();
        if b.len() != 13 {
            self.push(
                "1510",
                Some(c),
                format!("UPN '{upn}' is not 13 characters."),
            );
            return;
        }
        const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
        let mut sum = 0usize;
        for (i, ch) in b[1..].iter().enumerate() {
            let value = if ch.is_ascii_digit() {
                usize::from(ch - b'0')
            } else {
                LETTERS.iter().position(|l| l == ch).unwrap_or(0)
            };
            sum += value * (i + 2);
        }
        if LETTERS[sum % 23] != b[0] {
            self.push(
                "1510",
                Some(c),
                format!("UPN '{upn}' has the wrong check letter."),
            );
        }
        let la = std::str::from_utf8(&b[1..4])
            .ok()
            .and_then(|s| s.parse::<u32>().ok());
        if !la.is_some_and(codes::is_upn_la_number) {
            self.push(
                "1530",
                Some(c),
                format!("UPN '{upn}': characters 2–4 are not a DfE LA number."),
            );
        }
        if !b[4..12].iter().all(u8::is_ascii_digit) {
            self.push(
                "1540",
                Some(c),
                format!("UPN '{upn}': characters 5–12 are not all digits."),
            );
        }
        if !(b[12].is_ascii_digit() || LETTERS.contains(&b[12])) {
            self.push(
                "1550",
                Some(c),
                format!("UPN '{upn}': character 13 is not a digit or an allowed letter."),
            );
        }
    }
}

/// Runs every ported rule over the return: errors and queries, children's in order.
pub fn check(census: &CinCensus, calendar: &WorkingDayCalendar) -> Vec<CensusIssue> {
    let mut checker = Checker {
        year: census.year,
        calendar,
        issues: Vec::new(),
    };
    for child in &census.children {
        checker.child(child);
    }
    checker.whole_return(&census.children);
    checker.issues
}
