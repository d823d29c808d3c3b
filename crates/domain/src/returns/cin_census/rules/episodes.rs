//! The rules about a child's episodes (CIN details, assessments, CIN plans, section 47
//! enquiries, child protection plans) and about the return as a whole.

use super::*;

impl Checker<'_> {
    pub(super) fn episode(&mut self, c: &CensusChild, e: &CensusEpisode) {
        let (start, end) = (self.year.start(), self.year.reference_date());
        let referred = e.referral_date;
        let on = format!("Episode referred {}", day(referred));
        if referred > end {
            self.push("8600", Some(c), format!("{on}: after the reference date."));
        }
        let since_2013 = NaiveDate::from_ymd_opt(2013, 4, 1).unwrap_or(NaiveDate::MIN);
        if referred >= since_2013 && !codes::REFERRAL_SOURCE.contains(&e.referral_source.as_str()) {
            self.push(
                "8866",
                Some(c),
                format!(
                    "{on}: referral source '{}' is not a DfE code.",
                    e.referral_source
                ),
            );
        }
        match &e.primary_need {
            Some(need) if !codes::PRIMARY_NEED.contains(&need.as_str()) => {
                self.push(
                    "8650",
                    Some(c),
                    format!("{on}: primary need '{need}' is not N0 to N9."),
                );
            }
            None if !e.referral_nfa => {
                self.push(
                    "8610",
                    Some(c),
                    format!("{on}: no primary need is recorded."),
                );
            }
            _ => {}
        }
        if let Some(reason) = &e.closure_reason {
            if !codes::CLOSURE_REASON.contains(&reason.as_str()) {
                self.push(
                    "8640",
                    Some(c),
                    format!("{on}: closure reason '{reason}' is not RC1 to RC9."),
                );
            }
        }
        match (e.closed_on, &e.closure_reason) {
            (Some(closed), None) => self.push(
                "8805",
                Some(c),
                format!("{on}: closed {} with no reason.", day(closed)),
            ),
            (None, Some(reason)) => self.push(
                "8810",
                Some(c),
                format!("{on}: reason {reason} but no closure date."),
            ),
            _ => {}
        }
        if let Some(closed) = e.closed_on {
            if !self.year.contains(closed) {
                self.push(
                    "8620",
                    Some(c),
                    format!("{on}: closed {}, outside the census year.", day(closed)),
                );
            }
            if closed < referred {
                self.push(
                    "8630",
                    Some(c),
                    format!("{on}: closed {}, before the referral.", day(closed)),
                );
            }
            let activity = e
                .assessments
                .iter()
                .flat_map(|a| [Some(a.started_on), a.authorised_on])
                .chain(
                    e.section_47s
                        .iter()
                        .flat_map(|s| [Some(s.started_on), s.icpc_on]),
                )
                .chain(e.plans.iter().map(|p| p.ended_on))
                .chain(
                    e.cin_plans
                        .iter()
                        .flat_map(|p| [Some(p.started_on), p.ended_on]),
                )
                .flatten()
                .filter(|d| *d > closed)
                .max();
            if let Some(after) = activity {
                self.push(
                    "8565",
                    Some(c),
                    format!(
                        "{on}: closed {} but has activity dated {}.",
                        day(closed),
                        day(after)
                    ),
                );
            }
            if e.assessments.iter().any(|a| a.authorised_on.is_none()) {
                self.push(
                    "8867",
                    Some(c),
                    format!(
                        "{on}: closed {} with an assessment not completed.",
                        day(closed)
                    ),
                );
            }
            if e.section_47s
                .iter()
                .any(|s| s.icpc_on.is_none() && !s.icpc_not_required)
            {
                self.push("8868", Some(c), format!("{on}: closed {} with a section 47 enquiry neither at conference nor concluded without one.", day(closed)));
            }
        }
        let previous_working_day = self.calendar.previous_working_day(start);
        if e.referral_nfa && referred < previous_working_day {
            self.push(
                "8569Q",
                Some(c),
                format!("{on}: no further action, referred before the year."),
            );
        }
        if e.referral_nfa {
            if !e.assessments.is_empty() || !e.section_47s.is_empty() {
                self.push(
                    "8831",
                    Some(c),
                    format!("{on}: no further action, but has an assessment or enquiry."),
                );
            }
            if !e.plans.is_empty() {
                self.push(
                    "8832",
                    Some(c),
                    format!("{on}: no further action, but has a child protection plan."),
                );
            }
            if !e.cin_plans.is_empty() {
                self.push(
                    "4000",
                    Some(c),
                    format!("{on}: no further action, but has a CIN plan."),
                );
            }
        }
        if matches!(e.closure_reason.as_deref(), Some("RC8" | "RC9")) {
            if e.assessments.is_empty() {
                self.push(
                    "8825Q",
                    Some(c),
                    format!("{on}: closed after assessment, but no assessment is in the return."),
                );
            }
            if !e.section_47s.is_empty() || !e.plans.is_empty() || !e.cin_plans.is_empty() {
                self.push(
                    "2990",
                    Some(c),
                    format!("{on}: closed after assessment, but has an enquiry or plan."),
                );
            }
        }
        self.assessments(c, e, &on);
        self.cin_plans(c, e, &on);
        self.section_47s(c, e, &on);
        for p in &e.plans {
            let at = format!("{on}: child protection plan started {}", day(p.started_on));
            if p.started_on < referred {
                self.push("1105", Some(c), format!("{at}, before the referral."));
            }
            if p.started_on > end {
                self.push("8720", Some(c), format!("{at}, after the reference date."));
            }
            if let Some(ended) = p.ended_on {
                if ended < p.started_on {
                    self.push(
                        "8925",
                        Some(c),
                        format!("{at} ended {}, before it started.", day(ended)),
                    );
                }
                if ended == p.started_on {
                    self.push("8840", Some(c), format!("{at} ended the same day."));
                }
                if !self.year.contains(ended) {
                    self.push(
                        "8930",
                        Some(c),
                        format!("{at} ended {}, outside the census year.", day(ended)),
                    );
                }
            }
            if !codes::CATEGORY_OF_ABUSE.contains(&p.initial_category.as_str()) {
                self.push(
                    "8905",
                    Some(c),
                    format!(
                        "{at}: initial category '{}' is not a DfE code.",
                        p.initial_category
                    ),
                );
            }
            if !codes::CATEGORY_OF_ABUSE.contains(&p.latest_category.as_str()) {
                self.push(
                    "8910",
                    Some(c),
                    format!(
                        "{at}: latest category '{}' is not a DfE code.",
                        p.latest_category
                    ),
                );
            }
            if let Some(review) = p.reviews.iter().find(|r| **r <= p.started_on) {
                self.push(
                    "8841",
                    Some(c),
                    format!("{at}: reviewed {}, not after it started.", day(*review)),
                );
            }
            if self.year.contains(p.started_on) {
                let matched = if e.section_47s.is_empty() {
                    false
                } else {
                    e.section_47s
                        .iter()
                        .any(|s| s.icpc_on == Some(p.started_on))
                };
                if !matched {
                    self.push(
                        "2885",
                        Some(c),
                        format!("{at}: no initial conference of the episode was held that day."),
                    );
                }
            }
        }
    }

    fn assessments(&mut self, c: &CensusChild, e: &CensusEpisode, on: &str) {
        let end = self.year.reference_date();
        let oldest_open = self.working_days_before(end, 45);
        for (i, a) in e.assessments.iter().enumerate() {
            let at = format!("{on}: assessment started {}", day(a.started_on));
            if a.started_on < e.referral_date {
                self.push("1103", Some(c), format!("{at}, before the referral."));
            }
            match a.authorised_on {
                Some(done) => {
                    if done < a.started_on {
                        self.push(
                            "8608",
                            Some(c),
                            format!("{at}, authorised {}, before it started.", day(done)),
                        );
                    }
                    if !self.year.contains(done) {
                        self.push(
                            "8696",
                            Some(c),
                            format!("{at}, authorised {}, outside the census year.", day(done)),
                        );
                    }
                    let valid = a
                        .factors
                        .iter()
                        .any(|f| codes::ASSESSMENT_FACTORS.contains(&f.as_str()));
                    if done >= self.year.start() && !valid {
                        self.push(
                            "8897Q",
                            Some(c),
                            format!(
                                "{at}, completed {}, with no factors identified at assessment.",
                                day(done)
                            ),
                        );
                    }
                }
                None => {
                    if !self.year.contains(a.started_on) {
                        self.push(
                            "8736",
                            Some(c),
                            format!("{at}, not completed, and started outside the census year."),
                        );
                    }
                    if a.started_on < oldest_open {
                        self.push("8670Q", Some(c), format!("{at}, more than 45 working days before the reference date, and not completed."));
                    }
                    if !a.factors.is_empty() {
                        self.push(
                            "8614",
                            Some(c),
                            format!("{at}: factors recorded before it was completed."),
                        );
                    }
                }
            }
            if a.factors.iter().any(|f| f == "21") && a.factors.len() > 1 {
                self.push(
                    "8869",
                    Some(c),
                    format!("{at}: factor 21 (no factors) with others."),
                );
            }
            let distinct: BTreeSet<&String> = a.factors.iter().collect();
            if distinct.len() < a.factors.len() {
                self.push(
                    "8898",
                    Some(c),
                    format!("{at}: a factor is recorded twice."),
                );
            }
            let overlapped = e.assessments.iter().enumerate().any(|(j, other)| {
                j != i
                    && other.started_on <= a.started_on
                    && a.started_on <= other.authorised_on.unwrap_or(end)
                    && (other.started_on, j) < (a.started_on, i)
            });
            if overlapped {
                self.push(
                    "8863Q",
                    Some(c),
                    format!("{at}, while another assessment was ongoing."),
                );
            }
        }
        if e.assessments
            .iter()
            .filter(|a| a.authorised_on.is_none())
            .count()
            > 1
        {
            self.push(
                "8896",
                Some(c),
                format!("{on}: more than one assessment not completed."),
            );
        }
    }

    fn cin_plans(&mut self, c: &CensusChild, e: &CensusEpisode, on: &str) {
        let end = self.year.reference_date();
        for p in &e.cin_plans {
            let at = format!("{on}: CIN plan started {}", day(p.started_on));
            if p.started_on > end {
                self.push("4010", Some(c), format!("{at}, after the reference date."));
            }
            if p.started_on < e.referral_date {
                self.push("4015", Some(c), format!("{at}, before the referral."));
            }
            if let Some(ended) = p.ended_on {
                if ended < p.started_on {
                    self.push(
                        "4011",
                        Some(c),
                        format!("{at} ended {}, before it started.", day(ended)),
                    );
                }
                if !self.year.contains(ended) {
                    self.push(
                        "4013",
                        Some(c),
                        format!("{at} ended {}, outside the census year.", day(ended)),
                    );
                }
            }
        }
    }

    fn section_47s(&mut self, c: &CensusChild, e: &CensusEpisode, on: &str) {
        let end = self.year.reference_date();
        let oldest_open = self.working_days_before(end, 15);
        let open = |s: &CensusSection47| s.icpc_on.is_none() && !s.icpc_not_required;
        for (i, s) in e.section_47s.iter().enumerate() {
            let at = format!("{on}: section 47 enquiry started {}", day(s.started_on));
            if s.started_on < e.referral_date {
                self.push("2889", Some(c), format!("{at}, before the referral."));
            }
            if let Some(icpc) = s.icpc_on {
                if s.started_on > icpc {
                    self.push(
                        "8615",
                        Some(c),
                        format!("{at}, after its initial conference on {}.", day(icpc)),
                    );
                }
                if !self.year.contains(icpc) {
                    self.push(
                        "8715",
                        Some(c),
                        format!(
                            "{at}: initial conference {} outside the census year.",
                            day(icpc)
                        ),
                    );
                }
                if icpc < e.referral_date {
                    self.push(
                        "1104",
                        Some(c),
                        format!(
                            "{at}: initial conference {} before the referral.",
                            day(icpc)
                        ),
                    );
                }
                if is_weekend(icpc) {
                    self.push(
                        "8875",
                        Some(c),
                        format!("{at}: initial conference on a {}.", icpc.format("%A")),
                    );
                }
            }
            if let Some(target) = s.icpc_target {
                if is_weekend(target) {
                    self.push(
                        "8870Q",
                        Some(c),
                        format!("{at}: conference due on a {}.", target.format("%A")),
                    );
                }
            }
            if open(s) {
                if !self.year.contains(s.started_on) {
                    self.push(
                        "8740",
                        Some(c),
                        format!(
                            "{at}, no initial conference yet, and started outside the census year."
                        ),
                    );
                }
                if s.started_on < oldest_open {
                    self.push("8675Q", Some(c), format!("{at}, more than 15 working days before the reference date, with no initial conference."));
                }
            }
            let overlapped = e.section_47s.iter().enumerate().any(|(j, other)| {
                let other_end = match (other.icpc_on, open(other)) {
                    (Some(d), _) => Some(d),
                    (None, true) => Some(end),
                    (None, false) => None,
                };
                j != i
                    && other_end.is_some_and(|until| {
                        other.started_on <= s.started_on && s.started_on <= until
                    })
                    && (other.started_on, j) < (s.started_on, i)
            });
            if overlapped {
                self.push(
                    "8890",
                    Some(c),
                    format!("{at}, while another enquiry was ongoing."),
                );
            }
        }
        if e.section_47s.iter().filter(|s| open(s)).count() > 1 {
            self.push(
                "8839",
                Some(c),
                format!("{on}: more than one section 47 enquiry without an initial conference."),
            );
        }
    }

    pub(super) fn episodes_together(&mut self, c: &CensusChild) {
        let end = self.year.reference_date();
        let open: Vec<&CensusEpisode> = c
            .episodes
            .iter()
            .filter(|e| e.closed_on.is_none() && !e.referral_nfa)
            .collect();
        if open.len() > 1 {
            self.push(
                "8815",
                Some(c),
                format!("{} episodes are open.", open.len()),
            );
        }
        let latest = c.episodes.iter().map(|e| e.referral_date).max();
        for e in &open {
            if Some(e.referral_date) != latest {
                self.push(
                    "8816",
                    Some(c),
                    format!(
                        "Episode referred {} is open but a later referral follows.",
                        day(e.referral_date)
                    ),
                );
            }
        }
        for (i, e) in c.episodes.iter().enumerate() {
            let overlaps = c.episodes.iter().enumerate().any(|(j, other)| {
                j != i
                    && e.referral_date >= other.referral_date
                    && match other.closed_on {
                        Some(closed) => e.referral_date < closed,
                        None => !other.referral_nfa && e.referral_date < end,
                    }
            });
            if overlaps {
                self.push(
                    "8820",
                    Some(c),
                    format!(
                        "Episode referred {} starts while another episode is open.",
                        day(e.referral_date)
                    ),
                );
            }
        }
    }

    pub(super) fn plans_together(&mut self, c: &CensusChild) {
        let end = self.year.reference_date();
        let plans: Vec<&CensusPlan> = c.episodes.iter().flat_map(|e| e.plans.iter()).collect();
        if plans.iter().filter(|p| p.ended_on.is_none()).count() > 1 {
            self.push(
                "8935",
                Some(c),
                "More than one child protection plan is open.".into(),
            );
        }
        for (i, p) in plans.iter().enumerate() {
            let overlaps = plans.iter().enumerate().any(|(j, other)| {
                j != i
                    && other.started_on <= p.started_on
                    && p.started_on <= other.ended_on.unwrap_or(end)
                    && (other.started_on, j) < (p.started_on, i)
            });
            if overlaps {
                self.push(
                    "8940",
                    Some(c),
                    format!("Plan started {} overlaps another plan.", day(p.started_on)),
                );
            }
        }
    }

    pub(super) fn whole_return(&mut self, children: &[CensusChild]) {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut upns: HashMap<&str, u32> = HashMap::new();
        for c in children {
            *ids.entry(c.la_child_id.as_str()).or_default() += 1;
            if let Some(upn) = &c.upn {
                *upns.entry(upn.as_str()).or_default() += 1;
            }
        }
        for c in children {
            if ids.get(c.la_child_id.as_str()).is_some_and(|n| *n > 1) {
                self.push(
                    "8510",
                    Some(c),
                    format!("LA child ID '{}' is used by another child.", c.la_child_id),
                );
            }
            if let Some(upn) = &c.upn {
                if upns.get(upn.as_str()).is_some_and(|n| *n > 1) {
                    self.push(
                        "1520",
                        Some(c),
                        format!("UPN '{upn}' is recorded for another child."),
                    );
                }
            }
        }
        let in_year = |d: &NaiveDate| self.year.contains(*d);
        let plans_started = children
            .iter()
            .flat_map(|c| c.episodes.iter().flat_map(|e| e.plans.iter()))
            .filter(|p| in_year(&p.started_on))
            .count();
        let conferences = children
            .iter()
            .flat_map(|c| c.episodes.iter().flat_map(|e| e.section_47s.iter()))
            .filter_map(|s| s.icpc_on)
            .filter(in_year)
            .count();
        if plans_started > conferences {
            self.push("2883", None, format!("{plans_started} plans started in the year, after {conferences} initial conferences."));
        }
        let born: Vec<&CensusChild> = children
            .iter()
            .filter(|c| c.expected_birth_date().is_none())
            .collect();
        let unknown = born.iter().filter(|c| c.sex == "U").count();
        if !children.is_empty() && unknown * 50 > children.len() {
            self.push(
                "2886Q",
                None,
                format!("{unknown} of {} children have sex U.", children.len()),
            );
        }
        let disabled: Vec<&CensusChild> = children
            .iter()
            .filter(|c| c.disabilities.iter().any(|d| d != "NONE"))
            .collect();
        let codes_used: BTreeSet<&String> = disabled
            .iter()
            .flat_map(|c| c.disabilities.iter())
            .filter(|d| *d != "NONE")
            .collect();
        if codes_used.len() <= 7 {
            self.push(
                "2887Q",
                None,
                format!("Disability codes in use: {}.", codes_used.len()),
            );
        }
        if !disabled.iter().any(|c| c.disabilities.len() > 1) {
            self.push(
                "2888Q",
                None,
                format!(
                    "None of the {} disabled children has more than one disability recorded.",
                    disabled.len()
                ),
            );
        }
    }
}
