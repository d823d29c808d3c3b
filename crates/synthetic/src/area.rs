//! A made-up area: towns, outward codes, streets and postcodes that are well-formed UK
//! postcodes (they parse with [`Postcode::parse`]) but belong to no real postcode area.

use crate::pick::{choose, weighted_index};
use frontdoor_domain::person::Postcode;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

/// Letters allowed in the last two places of an inward code.
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

const TOWNS: &[(&str, u32, f64)] = &[
    // (town, number of outward districts, relative population)
    ("Ashbridge", 6, 3.0),
    ("Kelmsford", 4, 2.0),
    ("Northbridge", 3, 1.5),
    ("Eastholme", 3, 1.2),
    ("Milton Fields", 2, 1.0),
    ("Hartley Moor", 2, 0.7),
    ("Sallowby", 2, 0.6),
    ("Thornwick", 1, 0.4),
];

const STREET_STEMS: &[&str] = &[
    "Acacia",
    "Albert",
    "Alder",
    "Ash",
    "Beech",
    "Birch",
    "Blackthorn",
    "Bramble",
    "Brook",
    "Canal",
    "Castle",
    "Cedar",
    "Chapel",
    "Cherry",
    "Church",
    "Clifton",
    "Coronation",
    "Cross",
    "Dale",
    "Elm",
    "Fern",
    "Field",
    "Forge",
    "Foxglove",
    "Garden",
    "Gladstone",
    "Granby",
    "Green",
    "Hawthorn",
    "Hazel",
    "Heather",
    "High",
    "Highfield",
    "Hill",
    "Holly",
    "Juniper",
    "Kestrel",
    "King",
    "Larch",
    "Laurel",
    "Lime",
    "Linden",
    "Manor",
    "Maple",
    "Market",
    "Meadow",
    "Mill",
    "Moor",
    "Nelson",
    "New",
    "North",
    "Oak",
    "Orchard",
    "Park",
    "Primrose",
    "Priory",
    "Queen",
    "Railway",
    "Rowan",
    "Sandy",
    "School",
    "Spring",
    "Station",
    "Sycamore",
    "Tannery",
    "Victoria",
    "Wellington",
    "West",
    "Willow",
    "Windmill",
    "Woodland",
    "Wren",
    "Yew",
    "York",
];

const STREET_KINDS: &[&str] = &[
    "Road", "Street", "Close", "Avenue", "Lane", "Way", "Crescent", "Drive", "Gardens", "Terrace",
    "Grove", "Place", "Court", "View", "Rise", "Walk",
];

const BLOCKS: &[&str] = &[
    "Kestrel House",
    "Falcon Court",
    "Heron Tower",
    "Swift House",
    "Mallard Court",
    "Osprey House",
    "Lapwing Court",
    "Curlew House",
    "Merlin Court",
    "Skylark House",
];

/// A street and the postcodes along it.
#[derive(Debug, Clone)]
pub struct Street {
    pub name: String,
    pub town: &'static str,
    pub postcodes: Vec<Postcode>,
}

/// An address in the area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticAddress {
    pub line1: String,
    pub line2: String,
    pub town: String,
    pub postcode: Postcode,
}

impl SyntheticAddress {
    /// One line, as a referrer might give it: "12 Acacia Road, Ashbridge".
    pub fn one_line(&self) -> String {
        if self.line2.is_empty() {
            format!("{}, {}", self.line1, self.town)
        } else {
            format!("{}, {}, {}", self.line1, self.line2, self.town)
        }
    }
}

/// The area's towns, streets and postcodes.
#[derive(Debug, Clone)]
pub struct Area {
    pub postcode_area: String,
    pub streets: Vec<Street>,
    /// Relative chance that a family lives on each street.
    street_weights: Vec<f64>,
    /// Used only if the area had no streets (it always has).
    fallback_postcode: Postcode,
}

impl Area {
    /// Builds the area. `postcode_area` is one or two letters (default "NS", which is not a
    /// real postcode area).
    pub fn generate(rng: &mut ChaCha8Rng, postcode_area: &str) -> Self {
        let letters: String = postcode_area
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .take(2)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let letters = if letters.is_empty() {
            "NS".to_string()
        } else {
            letters
        };
        let mut streets = Vec::new();
        let mut street_weights = Vec::new();
        let mut seen = BTreeSet::new();
        let mut district = 1u32;
        for (town, districts, population) in TOWNS {
            for _ in 0..*districts {
                let outward = format!("{letters}{district}");
                district += 1;
                let street_count = rng.gen_range(45..75);
                let mut names = BTreeSet::new();
                while names.len() < street_count {
                    let name = format!(
                        "{} {}",
                        choose(rng, STREET_STEMS),
                        choose(rng, STREET_KINDS)
                    );
                    names.insert(name);
                }
                for name in names {
                    let mut postcodes = Vec::new();
                    for _ in 0..rng.gen_range(1..=4) {
                        for _attempt in 0..20 {
                            let inward = format!(
                                "{}{}{}",
                                rng.gen_range(0..10),
                                INWARD_LETTERS[rng.gen_range(0..INWARD_LETTERS.len())] as char,
                                INWARD_LETTERS[rng.gen_range(0..INWARD_LETTERS.len())] as char
                            );
                            let text = format!("{outward} {inward}");
                            if seen.contains(&text) {
                                continue;
                            }
                            if let Ok(postcode) = Postcode::parse(&text) {
                                seen.insert(text);
                                postcodes.push(postcode);
                                break;
                            }
                        }
                    }
                    if !postcodes.is_empty() {
                        street_weights
                            .push(population / f64::from(*districts) * postcodes.len() as f64);
                        streets.push(Street {
                            name,
                            town,
                            postcodes,
                        });
                    }
                }
            }
        }
        // "GIR 0AA" is special-cased by the parser and always accepted.
        let fallback_postcode =
            Postcode::parse("GIR 0AA").expect("GIR 0AA is always a valid postcode");
        Self {
            postcode_area: letters,
            streets,
            street_weights,
            fallback_postcode,
        }
    }

    /// Every postcode in the area.
    pub fn postcodes(&self) -> impl Iterator<Item = &Postcode> {
        self.streets.iter().flat_map(|s| s.postcodes.iter())
    }

    /// A new address for a family.
    pub fn address(&self, rng: &mut ChaCha8Rng) -> SyntheticAddress {
        let Some(street) = self.streets.get(weighted_index(rng, &self.street_weights)) else {
            return SyntheticAddress {
                line1: "1 High Street".into(),
                line2: String::new(),
                town: "Ashbridge".into(),
                postcode: self.fallback_postcode.clone(),
            };
        };
        let postcode = street
            .postcodes
            .get(rng.gen_range(0..street.postcodes.len().max(1)))
            .cloned()
            .unwrap_or_else(|| self.fallback_postcode.clone());
        let (line1, line2) = if rng.gen_bool(0.16) {
            (
                format!("Flat {}, {}", rng.gen_range(1..=48), choose(rng, BLOCKS)),
                street.name.clone(),
            )
        } else {
            (
                format!("{} {}", rng.gen_range(1..=180), street.name),
                String::new(),
            )
        };
        SyntheticAddress {
            line1,
            line2,
            town: street.town.to_string(),
            postcode,
        }
    }

    /// Any postcode of the area (for a family that moved, say).
    pub fn random_postcode(&self, rng: &mut ChaCha8Rng) -> Postcode {
        self.address(rng).postcode
    }
}
