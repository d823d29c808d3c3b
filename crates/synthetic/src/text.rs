//! The words on synthetic records: concern summaries, referrers, rationales.

use crate::pick::choose;
use frontdoor_domain::contact::{ConcernCategory, ContactChannel, ReferralSource};
use frontdoor_domain::decision::ThresholdOutcome;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(crate) fn concern_phrases(category: ConcernCategory) -> &'static [&'static str] {
    use ConcernCategory as C;
    match category {
        C::Neglect => &[
            "Child arriving at school hungry and in unwashed clothes on several days",
            "Home conditions reported as poor: little food and no working heating",
            "Repeated missed health appointments and untreated dental decay",
            "Young children left unsupervised for long periods",
        ],
        C::PhysicalAbuse => &[
            "Bruising to the upper arm noticed; the child gave inconsistent explanations",
            "Child disclosed being hit with a belt by a parent",
            "Unexplained injury to a non-mobile baby seen at hospital",
            "Finger-tip bruising to the face seen by staff",
        ],
        C::SexualAbuse => &[
            "Child made a disclosure of inappropriate touching by a family friend",
            "Sexualised behaviour reported that is not typical for the child's age",
        ],
        C::EmotionalAbuse => &[
            "Parent heard shouting at and belittling the child at the school gate",
            "Child says they are scared to go home because of the arguments",
            "Child describes being made to feel worthless and blamed for family problems",
        ],
        C::DomesticAbuse => &[
            "Police called to a domestic incident at the home with the children present",
            "Mother disclosed controlling behaviour and threats from her partner",
            "DASH risk assessment completed by police: children in the house at the time",
            "Neighbours report frequent shouting and a door being broken",
        ],
        C::ChildSexualExploitation => &[
            "Young person seen getting into cars with older males; phone holds unknown contacts",
            "Concerns about online contact with adults and gifts from unknown sources",
        ],
        C::ChildCriminalExploitation => &[
            "Young person found with cash and two phones; suspected county lines involvement",
            "Young person arrested away from home in an area known for drug dealing",
        ],
        C::GoingMissing => &[
            "Young person reported missing overnight and would not say where they had been",
            "Third missing episode this month",
        ],
        C::ParentalMentalHealth => &[
            "Parent presented at A&E in crisis; the children were at home with a neighbour",
            "Mother reports low mood and struggling to care for the baby",
        ],
        C::ParentalSubstanceMisuse => &[
            "Parent found intoxicated while caring for young children",
            "Concerns about drug use in the home; needles found by a visitor",
        ],
        C::ChildMentalHealth => &[
            "Child very withdrawn and tearful at school; says they feel hopeless",
            "CAMHS referral declined and concerns are escalating",
        ],
        C::SelfHarm => &[
            "Young person disclosed self-harm by cutting; wounds seen by the school nurse",
            "Attendance at A&E after an overdose of paracetamol",
        ],
        C::FemaleGenitalMutilation => &[
            "Mother has undergone FGM; concern for a daughter due to travel abroad in the holidays",
        ],
        C::Radicalisation => &[
            "Young person sharing extremist material online and expressing support for violence",
        ],
        C::Disability => {
            &["Family struggling to meet the child's complex care needs; risk of carer breakdown"]
        }
        C::Homelessness => &[
            "Family served notice and due to be evicted with nowhere to stay",
            "Family living in one room of a relative's house; severe overcrowding",
        ],
        C::Other => &[
            "Concerns raised about the child's welfare; details to be clarified with the referrer",
            "Private fostering arrangement identified",
        ],
    }
}

/// The youngest age (in whole years) at which a child can say what happened: below it, no
/// synthetic text has a child disclose, say, describe or tell anything.
pub const SPEAKING_AGE_YEARS: u32 = 3;

/// Words in a phrase that have the child speak: a disclosure, or something said or described.
pub const SPEECH_WORDS: [&str; 7] = [
    "disclos",
    "says",
    "said",
    "describes",
    "told",
    "would not say",
    "asked",
];

/// Whether a phrase has the child (or young person) speak.
pub fn is_speech(phrase: &str) -> bool {
    let lower = phrase.to_lowercase();
    SPEECH_WORDS.iter().any(|w| lower.contains(w))
        && (lower.contains("child") || lower.contains("young person"))
}

/// Whether a phrase fits a child of `age` years: no speech before the speaking age, no "young
/// person" before 11, no school before 4, no "non-mobile baby" after the first year.
pub fn suits_age(phrase: &str, age: u32) -> bool {
    let lower = phrase.to_lowercase();
    !(is_speech(phrase) && age < SPEAKING_AGE_YEARS
        || lower.contains("young person") && age < 11
        || lower.contains("school") && age < 4
        || lower.contains("non-mobile baby") && age >= 1)
}

/// What is said about a child too young for any of the category's phrases.
fn phrase_for_a_baby(category: ConcernCategory) -> &'static str {
    use ConcernCategory as C;
    match category {
        C::PhysicalAbuse => "Bruising seen on a baby by the health visitor; no explanation given by the parents",
        C::SexualAbuse => "Health professional concerned about possible sexual harm to a young child; medical examination arranged",
        C::EmotionalAbuse => "Parent heard shouting at the young child and handling them roughly",
        C::ChildMentalHealth | C::SelfHarm => "Health visitor concerned about the young child's development and the parents' responses",
        _ => "Concerns raised about the young child's welfare; details to be clarified with the referrer",
    }
}

/// A phrase for `category` that fits a child of `age` years (the youngest on the contact).
pub(crate) fn concern_phrase(
    rng: &mut ChaCha8Rng,
    category: ConcernCategory,
    age: u32,
) -> &'static str {
    let fitting: Vec<&'static str> = concern_phrases(category)
        .iter()
        .copied()
        .filter(|p| suits_age(p, age))
        .collect();
    if fitting.is_empty() {
        phrase_for_a_baby(category)
    } else {
        choose(rng, &fitting)
    }
}

/// A contact's summary, its wording fitting the youngest child's age (`youngest` years).
pub(crate) fn summary(
    rng: &mut ChaCha8Rng,
    source: ReferralSource,
    categories: &[ConcernCategory],
    youngest: u32,
) -> String {
    let opening = match source {
        ReferralSource::Police => "Police notification. ",
        ReferralSource::School | ReferralSource::EducationServices => "Referral from education. ",
        ReferralSource::Anonymous => "Anonymous caller. ",
        ReferralSource::AccidentAndEmergency => "Hospital safeguarding referral. ",
        _ => "",
    };
    let mut text = String::from(opening);
    for (i, category) in categories.iter().enumerate() {
        if i > 0 {
            text.push_str(". ");
        }
        text.push_str(concern_phrase(rng, *category, youngest));
    }
    text.push('.');
    text
}

pub(crate) fn rationale(rng: &mut ChaCha8Rng, outcome: ThresholdOutcome) -> String {
    use ThresholdOutcome as T;
    let options: &[&str] = match outcome {
        T::NoFurtherAction => &[
            "No safeguarding concerns identified after checks with school and health; no further action.",
            "Incident appears isolated and the parents responded protectively; no further action needed.",
        ],
        T::InformationAndAdvice => &[
            "Advice given to the referrer about universal services; no role for children's social care at present.",
            "Information shared with the family about local support; the threshold for early help is not met.",
        ],
        T::Signpost => &[
            "Needs can be met by a named specialist service; the family is signposted with their agreement.",
        ],
        T::EarlyHelp => &[
            "Additional needs identified; the family consents to an early help assessment with a lead professional.",
            "Level 2 needs: an early help offer to support parenting and school attendance.",
        ],
        T::ReferralForAssessment => &[
            "Needs are complex and the child may be a child in need; a child and family assessment is required.",
            "Cumulative concerns and previous history indicate that a statutory assessment is needed.",
        ],
        T::StrategyDiscussion => &[
            "Reasonable cause to suspect the child is suffering, or likely to suffer, significant harm: strategy discussion required.",
            "Disclosure of harm with injuries seen: strategy discussion with police and health today.",
        ],
    };
    choose(rng, options).to_string()
}

pub(crate) fn review_rationale(rng: &mut ChaCha8Rng) -> String {
    choose(
        rng,
        &[
            "Agree with the recommendation and the rationale given.",
            "Agreed: history reviewed and the decision is proportionate to the risks identified.",
            "Authorised; make sure the family and the referrer are told the outcome.",
            "Agree. Previous contacts considered; the decision is consistent with the threshold framework.",
        ],
    )
    .to_string()
}

pub(crate) fn signposted_service(rng: &mut ChaCha8Rng) -> String {
    choose(
        rng,
        &[
            "Young carers service",
            "Children and young people's mental health service",
            "Family hub",
            "Domestic abuse outreach service",
            "School nursing service",
            "Housing options",
            "Welfare rights and food bank",
        ],
    )
    .to_string()
}

/// Who refers from each source: organisation (with `{area}` for the area's name) and roles.
pub(crate) fn referrer_organisation(
    rng: &mut ChaCha8Rng,
    source: ReferralSource,
    area: &str,
) -> (String, String) {
    use ReferralSource as S;
    let stem = choose(
        rng,
        &[
            "Oakfield",
            "St Mary's",
            "Hillside",
            "Brookvale",
            "Meadowbank",
            "Riverside",
            "Holy Trinity",
            "Westgate",
            "Park View",
            "Ashbridge",
        ],
    );
    let (organisation, roles): (String, &[&str]) = match source {
        S::Police => (
            format!("{area} Police"),
            &["PC", "DC", "Sergeant", "MASH police officer"],
        ),
        S::School => (
            format!(
                "{stem} {}",
                choose(
                    rng,
                    &[
                        "Primary School",
                        "Academy",
                        "High School",
                        "Infant School",
                        "Junior School"
                    ]
                )
            ),
            &[
                "Designated safeguarding lead",
                "Headteacher",
                "Class teacher",
                "Pastoral lead",
            ],
        ),
        S::EducationServices => (
            format!("{area} Council education welfare service"),
            &["Education welfare officer"],
        ),
        S::GeneralPractitioner => (
            format!("{stem} Medical Practice"),
            &["GP", "Practice nurse"],
        ),
        S::HealthVisitor => (
            format!("{area} Community Health NHS Trust"),
            &["Health visitor"],
        ),
        S::SchoolNurse => (
            format!("{area} Community Health NHS Trust"),
            &["School nurse"],
        ),
        S::OtherPrimaryHealth => (
            format!("{area} Community Health NHS Trust"),
            &["Community midwife", "Dentist"],
        ),
        S::AccidentAndEmergency => (
            format!("{area} Hospitals NHS Foundation Trust"),
            &["A&E nurse", "Paediatric registrar"],
        ),
        S::OtherHealth => (
            format!("{area} Mental Health NHS Trust"),
            &["Mental health practitioner", "Drug and alcohol worker"],
        ),
        S::Housing => (format!("{area} Homes"), &["Housing officer"]),
        S::LaSocialCare => (
            format!("{area} Council children's social care"),
            &["Social worker"],
        ),
        S::LaOtherInternal => (format!("{area} Council youth service"), &["Youth worker"]),
        S::LaExternal => ("Another local authority".to_string(), &["Social worker"]),
        S::EarlyHelp => (
            format!("{area} Council early help"),
            &["Family support worker"],
        ),
        S::OtherLegalAgency => (
            choose(
                rng,
                &["Probation Service", "Youth Justice Service", "Cafcass"],
            )
            .to_string(),
            &["Probation officer", "Case manager", "Family court adviser"],
        ),
        S::Other => (
            choose(
                rng,
                &[
                    "Women's Aid",
                    "NSPCC",
                    "St Luke's Church",
                    "Local foodbank",
                    "Sports club",
                ],
            )
            .to_string(),
            &["Support worker", "Volunteer", "Coach"],
        ),
        S::Individual | S::Acquaintance => (
            String::new(),
            &["Member of the public", "Neighbour", "Family friend"],
        ),
        S::FamilyMember => (String::new(), &["Grandparent", "Aunt", "Uncle", "Parent"]),
        S::SelfReferral => (String::new(), &["Young person", "Parent"]),
        S::Anonymous => (String::new(), &[""]),
        S::Unknown => (String::new(), &["Not recorded"]),
    };
    (organisation, choose(rng, roles).to_string())
}

pub(crate) fn channel(rng: &mut ChaCha8Rng, source: ReferralSource) -> ContactChannel {
    use ContactChannel as Ch;
    use ReferralSource as S;
    let roll: f64 = rng.gen();
    match source {
        S::Police => {
            if roll < 0.5 {
                Ch::Api
            } else if roll < 0.85 {
                Ch::Email
            } else {
                Ch::Phone
            }
        }
        S::School
        | S::EducationServices
        | S::GeneralPractitioner
        | S::HealthVisitor
        | S::SchoolNurse
        | S::OtherPrimaryHealth
        | S::AccidentAndEmergency
        | S::OtherHealth => {
            if roll < 0.5 {
                Ch::OnlineForm
            } else if roll < 0.8 {
                Ch::Phone
            } else {
                Ch::Email
            }
        }
        S::Individual | S::FamilyMember | S::Acquaintance | S::SelfReferral | S::Anonymous => {
            if roll < 0.7 {
                Ch::Phone
            } else if roll < 0.95 {
                Ch::OnlineForm
            } else {
                Ch::InPerson
            }
        }
        _ => {
            if roll < 0.4 {
                Ch::Phone
            } else if roll < 0.8 {
                Ch::Email
            } else {
                Ch::OnlineForm
            }
        }
    }
}

/// An email domain under `.example` (reserved: never a real address).
pub(crate) fn email_domain(organisation: &str) -> String {
    let slug: String = organisation
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .take(24)
        .collect();
    if slug.is_empty() {
        "mail.example".into()
    } else {
        format!("{slug}.example")
    }
}
