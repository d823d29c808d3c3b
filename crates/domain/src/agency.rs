//! The agencies that work together at the front door: who attends a MASH triage meeting or a
//! strategy discussion, who is asked for information.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agency {
    ChildrensSocialCare,
    Police,
    Health,
    Education,
    Probation,
    Housing,
    EarlyHelp,
    /// Another local authority's children's services.
    OtherLocalAuthority,
    Other,
}

impl Agency {
    pub const ALL: [Agency; 9] = [
        Agency::ChildrensSocialCare,
        Agency::Police,
        Agency::Health,
        Agency::Education,
        Agency::Probation,
        Agency::Housing,
        Agency::EarlyHelp,
        Agency::OtherLocalAuthority,
        Agency::Other,
    ];

    /// The agencies an information request can go to: every partner, never the authority's
    /// own children's social care (first in [`Agency::ALL`]).
    pub const ASKED: &'static [Agency] = Agency::ALL.split_at(1).1;

    pub fn code(self) -> &'static str {
        match self {
            Agency::ChildrensSocialCare => "childrens_social_care",
            Agency::Police => "police",
            Agency::Health => "health",
            Agency::Education => "education",
            Agency::Probation => "probation",
            Agency::Housing => "housing",
            Agency::EarlyHelp => "early_help",
            Agency::OtherLocalAuthority => "other_local_authority",
            Agency::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Agency::ChildrensSocialCare => "Children's social care",
            Agency::Police => "Police",
            Agency::Health => "Health",
            Agency::Education => "Education",
            Agency::Probation => "Probation",
            Agency::Housing => "Housing",
            Agency::EarlyHelp => "Early help",
            Agency::OtherLocalAuthority => "Another local authority",
            Agency::Other => "Other agency",
        }
    }

    pub fn from_code(code: &str) -> Option<Agency> {
        let wanted = code.trim().to_ascii_lowercase();
        Agency::ALL.into_iter().find(|a| a.code() == wanted)
    }
}

impl std::fmt::Display for Agency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_agency_reads_back_from_its_code() {
        for agency in Agency::ALL {
            assert_eq!(Agency::from_code(agency.code()), Some(agency));
        }
        assert_eq!(Agency::from_code(" Police "), Some(Agency::Police));
        assert_eq!(Agency::from_code("army"), None);
    }
}
