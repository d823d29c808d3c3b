//! The ways a person's details come out differently in another record: typing errors,
//! phonetic spellings, nicknames and spelling variants, double-barrelled family names, day and
//! month swapped, a digit wrong. Each function returns `None` when it does not apply.
//!
//! These tables are the generator's own, written from how names are recorded, not copied from
//! the matcher's: a labelled test set built from the matcher's tables would flatter it.

use chrono::{Datelike, NaiveDate};
use frontdoor_domain::person::{nhs_check_digit, NhsNumber};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Groups of given names recorded for the same person: nicknames, short and anglicised forms.
const NICKNAMES: &[&[&str]] = &[
    &["William", "Bill", "Will", "Billy", "Liam"],
    &["John", "Jack", "Johnny", "Jon"],
    &["Jack", "John", "Jackie"],
    &["Catherine", "Kate", "Cathy", "Katie", "Kat"],
    &["Katherine", "Kate", "Kathy", "Katie"],
    &["Kathryn", "Kate", "Katie", "Kath"],
    &["Elizabeth", "Liz", "Beth", "Lizzie", "Betty", "Eliza"],
    &["Robert", "Bob", "Rob", "Bobby", "Robbie"],
    &["Richard", "Rich", "Ricky", "Dick"],
    &["Margaret", "Maggie", "Peggy", "Meg"],
    &["James", "Jim", "Jimmy", "Jamie"],
    &["Thomas", "Tom", "Tommy"],
    &["Michael", "Mike", "Mikey", "Mick"],
    &["Alexander", "Alex", "Alec", "Sandy"],
    &["Alexandra", "Alex", "Sasha", "Lexi"],
    &["Daniel", "Dan", "Danny"],
    &["Samuel", "Sam", "Sammy"],
    &["Joseph", "Joe", "Joey"],
    &["Edward", "Ed", "Eddie", "Ted", "Teddy"],
    &["Henry", "Harry", "Hal"],
    &["Charlotte", "Charlie", "Lottie"],
    &["Victoria", "Vicky", "Tori"],
    &["Rebecca", "Becky", "Becca"],
    &["Jessica", "Jess", "Jessie"],
    &["Abigail", "Abbie", "Abby"],
    &["Olivia", "Liv", "Livvy"],
    &["Isabella", "Bella", "Izzy", "Isabel"],
    &["Nicholas", "Nick", "Nicky"],
    &["Christopher", "Chris", "Kit"],
    &["Matthew", "Matt", "Matty"],
    &["Benjamin", "Ben", "Benny"],
    &["Jacob", "Jake"],
    &["Patrick", "Paddy", "Pat"],
    &["Anthony", "Tony", "Ant"],
    &["Stephen", "Steve", "Stevie"],
    &["Steven", "Steve", "Stevie"],
    &["Jonathan", "Jon", "Jonny"],
    &["Samantha", "Sam", "Sammy"],
    &["Jennifer", "Jenny", "Jen"],
    &["Deborah", "Debbie", "Deb"],
    &["Susan", "Sue", "Susie"],
    &["Amanda", "Mandy"],
    &["Nicola", "Nicky", "Nikki"],
    &["Zachary", "Zach", "Zac"],
    &["Frankie", "Francis", "Frank"],
    &["Alfie", "Alfred", "Alf"],
    &["Archie", "Archibald"],
    &["Theo", "Theodore", "Teddy"],
    &["Teddy", "Edward", "Theodore"],
    &["Harriet", "Hattie"],
    &["Eleanor", "Ellie", "Nell"],
    &["Florence", "Flo", "Florrie"],
    &["Amelia", "Millie", "Milly"],
    &["Millie", "Amelia", "Camilla"],
    &["Sebastian", "Seb"],
    &["Philip", "Phil"],
    &["Ronnie", "Ronald"],
    &["Reggie", "Reginald"],
    &["Freddie", "Frederick", "Fred"],
    &["Tommy", "Thomas", "Tom"],
    &["Katarzyna", "Kasia", "Kate"],
    &["Aleksandra", "Ola", "Alexandra"],
    &["Małgorzata", "Gosia", "Margaret"],
    &["Malgorzata", "Gosia", "Margaret"],
    &["Jakub", "Kuba", "Jacob"],
    &["Wojciech", "Wojtek"],
    &["Piotr", "Peter"],
    &["Michał", "Michael"],
    &["Michal", "Michael"],
    &["Krzysztof", "Christopher", "Krzys"],
    &["Tomasz", "Tomek", "Thomas"],
    &["Łukasz", "Luke"],
    &["Lukasz", "Luke"],
    &["Mateusz", "Matthew", "Matt"],
    &["Paweł", "Paul"],
    &["Pawel", "Paul"],
    &["Zuzanna", "Zuza", "Susanna"],
    &["Andrei", "Andrew", "Andy"],
    &["Alexandru", "Alex"],
    &["Mihai", "Michael"],
    &["Oluwaseun", "Seun"],
    &["Babatunde", "Tunde"],
    &["Chukwuemeka", "Emeka"],
    &["Oluwatoyin", "Toyin"],
    &["Funmilayo", "Funmi"],
    &["Temiloluwa", "Temi"],
    &["Chiamaka", "Amaka"],
    &["Abdirahman", "Abdi"],
    &["Abdullahi", "Abdi"],
    &["Muhammad", "Mo"],
    &["Mohammed", "Mo"],
    &["Ibrahim", "Ibby"],
];

/// Groups of spellings of the same name.
const SPELLINGS: &[&[&str]] = &[
    &[
        "Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohamad",
    ],
    &["Catherine", "Katherine", "Kathryn", "Katharine"],
    &["Stephen", "Steven"],
    &["Sean", "Shaun", "Shawn", "Seán"],
    &["Aisha", "Ayesha", "Aysha", "Aishah"],
    &["Zoe", "Zoey", "Zoë"],
    &["Jayden", "Jaden", "Jaiden", "Jaydon"],
    &["Leah", "Lea", "Leia"],
    &["Isabel", "Isobel", "Isabelle"],
    &["Sophie", "Sofie"],
    &["Sophia", "Sofia"],
    &["Hannah", "Hanna"],
    &["Niamh", "Neve", "Neave"],
    &["Siobhán", "Siobhan", "Shevaun"],
    &["Saoirse", "Seersha"],
    &["Caoimhe", "Keeva"],
    &["Callum", "Calum", "Kallum"],
    &["Lewis", "Louis"],
    &["Freya", "Freja"],
    &["Ellie", "Elly"],
    &["Esme", "Esmee", "Esmée"],
    &["Yusuf", "Yousef", "Youssef", "Yusef", "Yousuf"],
    &["Ibrahim", "Ebrahim"],
    &["Fatima", "Fatimah", "Fatma", "Fatema"],
    &["Fatema", "Fatima"],
    &["Maryam", "Mariam", "Mariyam"],
    &["Mariam", "Maryam"],
    &["Ahmed", "Ahmad"],
    &["Ahmad", "Ahmed"],
    &["Hussain", "Hussein", "Husain"],
    &["Hassan", "Hasan"],
    &["Zainab", "Zaynab"],
    &["Khadija", "Khadijah"],
    &["Amina", "Aminah"],
    &["Abdullah", "Abdulla"],
    &["Zakariya", "Zakaria", "Zachariah"],
    &["Zakaria", "Zakariya"],
    &["Ayaan", "Ayan"],
    &["Rayyan", "Rayan"],
    &["Zain", "Zayn", "Zane"],
    &["Hamza", "Hamzah"],
    &["Omar", "Umar"],
    &["Kacper", "Casper", "Kasper"],
    &["Oliwia", "Olivia"],
    &["Wiktoria", "Viktoria", "Victoria"],
    &["Oliwer", "Oliver"],
    &["Nikola", "Nicola"],
    &["Tyrese", "Tyreese"],
    &["Aaliyah", "Aliyah", "Aleah"],
    &["Nevaeh", "Neveah"],
    &["Jermaine", "Jermain"],
    &["Shanice", "Shaniece"],
    &["Chantelle", "Shantelle"],
    &["Keisha", "Keesha"],
    &["Tia", "Tiah"],
    &["Kayla", "Kaylah"],
    &["Lacey", "Lacie"],
    &["Jasmine", "Jasmin", "Yasmin"],
    &["Jasmin", "Jasmine"],
    &["Yasmin", "Yasmine", "Jasmine"],
    &["Amelia", "Emilia"],
    &["Aidan", "Aiden"],
    &["Mia", "Miah"],
    &["Lily", "Lilly", "Lillie"],
    &["Riley", "Rylee"],
    &["Kian", "Keyan"],
    &["Connor", "Conor"],
    &["Conor", "Connor"],
    &["Ciarán", "Ciaran", "Kieran"],
    &["Cian", "Kian"],
    &["Oisín", "Oisin", "Osheen"],
    &["Ruairí", "Rory", "Ruairi"],
    &["Darragh", "Dara"],
    &["Aoife", "Eefa"],
    &["Róisín", "Roisin", "Rosheen"],
    &["Sinéad", "Sinead", "Shinead"],
    &["Gráinne", "Grainne", "Grania"],
    &["Abdi", "Abdy"],
    &["Mohamed", "Mohammed", "Muhammad"],
    &["Mohamud", "Mahmoud", "Mahmood"],
    &["Mahmood", "Mahmud", "Mehmood"],
    &["Choudhury", "Chowdhury", "Chaudhry", "Choudhry"],
    &["Chowdhury", "Choudhury"],
    &["Chaudhry", "Choudhry", "Chaudhary"],
    &["Rahman", "Rehman"],
    &["Rehman", "Rahman"],
    &["McDonald", "MacDonald", "Macdonald"],
    &["MacLeod", "McLeod"],
    &["Thompson", "Thomson"],
    &["Clarke", "Clark"],
    &["Davies", "Davis"],
    &["Phillips", "Philips"],
    &["Stephenson", "Stevenson"],
    &["Miah", "Meah", "Mia"],
    &["Hoque", "Haque", "Huq"],
    &["Haque", "Hoque"],
    &["Hossain", "Hussain"],
    &["Yousaf", "Yusuf", "Yousef"],
    &["Begum", "Begom"],
    &["Uddin", "Udin"],
    &["Okafor", "Okafo"],
    &["Al-Hassan", "Al Hassan", "Alhassan", "Hassan"],
    &["Al-Sayed", "El-Sayed", "Al Sayed", "Sayed"],
    &["Al-Amin", "Alamin", "Amin"],
    &["El-Masri", "Al-Masri", "Masri"],
    &["Abdel-Rahman", "Abdelrahman", "Abdul Rahman"],
    &["Al Khatib", "Al-Khatib", "Khatib"],
    &["Wong", "Wang"],
    &["Chan", "Chen"],
    &["Cheung", "Zhang"],
    &["Lau", "Liu"],
    &["Ng", "Wu"],
];

/// Letters next to each other on a UK keyboard (lower case), for slips of the finger.
fn neighbours(c: char) -> &'static str {
    match c {
        'a' => "qwsz",
        'b' => "vghn",
        'c' => "xdfv",
        'd' => "serfcx",
        'e' => "wsdr",
        'f' => "drtgvc",
        'g' => "ftyhbv",
        'h' => "gyujnb",
        'i' => "ujko",
        'j' => "huikmn",
        'k' => "jiolm",
        'l' => "kop",
        'm' => "njk",
        'n' => "bhjm",
        'o' => "iklp",
        'p' => "ol",
        'q' => "wa",
        'r' => "edft",
        's' => "awedxz",
        't' => "rfgy",
        'u' => "yhji",
        'v' => "cfgb",
        'w' => "qase",
        'x' => "zsdc",
        'y' => "tghu",
        'z' => "asx",
        _ => "",
    }
}

fn same_case(like: char, c: char) -> char {
    if like.is_uppercase() {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// One typing slip: a neighbouring key, a letter dropped, doubled, or two letters swapped.
/// The first letter is usually right (people check it).
pub(crate) fn typo(rng: &mut ChaCha8Rng, text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let letters: Vec<usize> = (0..chars.len())
        .filter(|i| chars[*i].is_alphabetic())
        .collect();
    if letters.len() < 3 {
        return None;
    }
    for _attempt in 0..10 {
        let from = if rng.gen_bool(0.9) { 1 } else { 0 };
        let at = letters[rng.gen_range(from..letters.len())];
        let mut out = chars.clone();
        match rng.gen_range(0..4) {
            0 => {
                let lower = chars[at].to_lowercase().next().unwrap_or(chars[at]);
                let options: Vec<char> = neighbours(lower).chars().collect();
                if options.is_empty() {
                    continue;
                }
                out[at] = same_case(chars[at], options[rng.gen_range(0..options.len())]);
            }
            1 => {
                out.remove(at);
            }
            2 => {
                out.insert(at, chars[at].to_lowercase().next().unwrap_or(chars[at]));
            }
            _ => {
                if at + 1 >= chars.len() || !chars[at + 1].is_alphabetic() {
                    continue;
                }
                let (a, b) = (chars[at], chars[at + 1]);
                out[at] = same_case(a, b.to_lowercase().next().unwrap_or(b));
                out[at + 1] = a.to_lowercase().next().unwrap_or(a);
            }
        }
        let result: String = out.into_iter().collect();
        if result != text && !result.trim().is_empty() {
            return Some(result);
        }
    }
    None
}

/// Sound-alike spellings: (written, heard as). Applied to one place in the name.
const PHONETIC_RULES: &[(&str, &str)] = &[
    ("ph", "f"),
    ("f", "ph"),
    ("ck", "k"),
    ("k", "ck"),
    ("c", "k"),
    ("k", "c"),
    ("ee", "ea"),
    ("ea", "ee"),
    ("ie", "y"),
    ("y", "ie"),
    ("ey", "y"),
    ("ll", "l"),
    ("l", "ll"),
    ("nn", "n"),
    ("rr", "r"),
    ("tt", "t"),
    ("ss", "s"),
    ("mm", "m"),
    ("ou", "ow"),
    ("ai", "ay"),
    ("ay", "ai"),
    ("th", "t"),
    ("s", "z"),
    ("z", "s"),
    ("mc", "mac"),
    ("mac", "mc"),
    ("ei", "ie"),
    ("x", "ks"),
    ("sh", "sch"),
    ("w", "v"),
    ("j", "y"),
    ("i", "y"),
    ("y", "i"),
    ("oo", "u"),
    ("u", "oo"),
    ("aa", "a"),
    ("kh", "k"),
    ("q", "k"),
    ("dh", "d"),
    ("ah", "a"),
    ("a", "ah"),
    ("an", "en"),
    ("er", "a"),
    ("our", "or"),
    ("son", "sen"),
    ("ski", "sky"),
    ("ska", "skaya"),
    ("cz", "ch"),
    ("sz", "sh"),
    ("wicz", "vich"),
];

/// Makes each word (and each part after a hyphen or apostrophe) start with a capital.
fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = matches!(c, ' ' | '-' | '\'');
    }
    out
}

/// A spelling that sounds the same: Stephen → Stefen, Mackenzie → McKenzie, Wiktoria → Viktoria.
pub(crate) fn phonetic(rng: &mut ChaCha8Rng, text: &str) -> Option<String> {
    if let Some(variant) = from_groups(rng, SPELLINGS, text) {
        if rng.gen_bool(0.5) {
            return Some(variant);
        }
    }
    let lower = text.to_lowercase();
    let applicable: Vec<(usize, &(&str, &str))> = PHONETIC_RULES
        .iter()
        .flat_map(|rule| lower.match_indices(rule.0).map(move |(at, _)| (at, rule)))
        .collect();
    if applicable.is_empty() {
        return None;
    }
    for _attempt in 0..6 {
        let (at, (from, to)) = applicable[rng.gen_range(0..applicable.len())];
        let mut changed = String::with_capacity(lower.len() + 2);
        changed.push_str(&lower[..at]);
        changed.push_str(to);
        changed.push_str(&lower[at + from.len()..]);
        let result = title_case(&changed);
        if result != text && result.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
            return Some(result);
        }
    }
    None
}

fn from_groups(rng: &mut ChaCha8Rng, groups: &[&[&str]], name: &str) -> Option<String> {
    let candidates: Vec<&str> = groups
        .iter()
        .filter(|g| g.first() == Some(&name))
        .flat_map(|g| g.iter().skip(1).copied())
        .collect();
    if candidates.is_empty() {
        return None;
    }
    Some(candidates[rng.gen_range(0..candidates.len())].to_string())
}

/// A nickname or another form of the given name (Bill for William, Kasia for Katarzyna).
pub(crate) fn nickname(rng: &mut ChaCha8Rng, given: &str) -> Option<String> {
    // Reverse direction too: a child known as Jack may be recorded as John.
    from_groups(rng, NICKNAMES, given).or_else(|| {
        let formal: Vec<&str> = NICKNAMES
            .iter()
            .filter(|g| g.iter().skip(1).any(|n| *n == given))
            .filter_map(|g| g.first().copied())
            .collect();
        if formal.is_empty() {
            None
        } else {
            Some(formal[rng.gen_range(0..formal.len())].to_string())
        }
    })
}

/// Another accepted spelling of a name (Mohammed / Muhammad, Choudhury / Chowdhury).
pub(crate) fn spelling_variant(rng: &mut ChaCha8Rng, name: &str) -> Option<String> {
    from_groups(rng, SPELLINGS, name)
}

/// A double-barrelled or de-hyphenated family name: Smith-Jones from Smith, Jones from
/// Smith-Jones, Smith Jones from Smith-Jones, O Brien from O'Brien.
pub(crate) fn double_barrelled(rng: &mut ChaCha8Rng, family: &str, other: &str) -> Option<String> {
    if family.contains('-') || family.contains(' ') {
        let parts: Vec<&str> = family.split(['-', ' ']).filter(|p| !p.is_empty()).collect();
        if parts.len() < 2 {
            return None;
        }
        return Some(match rng.gen_range(0..4) {
            0 => parts[0].to_string(),
            1 => parts[parts.len() - 1].to_string(),
            2 => parts.join(if family.contains('-') { " " } else { "-" }),
            _ => parts.concat(),
        });
    }
    if family.contains('\'') {
        return Some(if rng.gen_bool(0.5) {
            family.replace('\'', "")
        } else {
            family.replace('\'', " ")
        });
    }
    if other.is_empty() || other == family {
        return None;
    }
    Some(if rng.gen_bool(0.6) {
        format!("{family}-{other}")
    } else {
        format!("{other}-{family}")
    })
}

/// Day and month swapped (only where both readings are dates and they differ).
pub(crate) fn swap_day_month(date: NaiveDate) -> Option<NaiveDate> {
    if date.day() > 12 || date.day() == date.month() {
        return None;
    }
    NaiveDate::from_ymd_opt(date.year(), date.day(), date.month())
}

/// One digit of the date (as YYYYMMDD) typed wrong, still a real date no later than `latest`.
pub(crate) fn date_digit_wrong(
    rng: &mut ChaCha8Rng,
    date: NaiveDate,
    latest: NaiveDate,
) -> Option<NaiveDate> {
    let digits: Vec<u8> = date.format("%Y%m%d").to_string().bytes().collect();
    for _attempt in 0..30 {
        // The century digits are rarely the ones mistyped.
        let at = rng.gen_range(2..8);
        let mut changed = digits.clone();
        let new_digit = b'0' + rng.gen_range(0..10u8);
        if new_digit == changed[at] {
            continue;
        }
        changed[at] = new_digit;
        let text = String::from_utf8_lossy(&changed).to_string();
        if let Ok(candidate) = NaiveDate::parse_from_str(&text, "%Y%m%d") {
            if candidate != date && candidate <= latest {
                return Some(candidate);
            }
        }
    }
    None
}

/// One digit of an NHS number wrong. A single wrong digit always breaks the check digit; with
/// `keep_valid` the check digit is recomputed too, giving a valid but wrong number (as a system
/// that checks numbers would hold, had someone typed another valid number).
pub(crate) fn nhs_digit_wrong(
    rng: &mut ChaCha8Rng,
    number: &NhsNumber,
    keep_valid: bool,
) -> Option<String> {
    let digits: Vec<u8> = number.as_str().bytes().collect();
    for _attempt in 0..30 {
        let at = rng.gen_range(3..9);
        let new_digit = b'0' + rng.gen_range(0..10u8);
        if new_digit == digits[at] {
            continue;
        }
        let mut changed = digits.clone();
        changed[at] = new_digit;
        if keep_valid {
            let first_nine = String::from_utf8_lossy(&changed[..9]).to_string();
            let Some(check) = nhs_check_digit(&first_nine) else {
                continue;
            };
            return Some(format!("{first_nine}{check}"));
        }
        return Some(String::from_utf8_lossy(&changed).to_string());
    }
    None
}

#[cfg(test)]
mod tests;
