//! Checking a contact as typed: text fields, dates and the people named.

use super::SubjectInput;
use crate::error::Checks;
use chrono::NaiveDate;
use frontdoor_domain::person::{NhsNumber, Postcode, Sex};

/// Parses a date as typed (YYYY-MM-DD, or DD/MM/YYYY).
pub(crate) fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| "Enter a real date, for example 2019-03-27.".to_string())
}

pub(super) struct ValidSubject {
    pub(super) given_name: String,
    pub(super) family_name: String,
    pub(super) birth_date: Option<NaiveDate>,
    pub(super) sex: Sex,
    pub(super) address: String,
    pub(super) postcode: Option<Postcode>,
    pub(super) nhs_number: Option<NhsNumber>,
}

pub(super) fn check_subject(
    checks: &mut Checks,
    prefix: &str,
    input: &SubjectInput,
    today: NaiveDate,
    is_child: bool,
) -> Option<ValidSubject> {
    let given_name = checks.text(&format!("{prefix}.given_name"), &input.given_name, 100);
    let family_name = checks.text(&format!("{prefix}.family_name"), &input.family_name, 100);
    let address = checks.text(&format!("{prefix}.address"), &input.address, 300);
    if family_name.is_empty() {
        checks.add(
            format!("{prefix}.family_name"),
            "Enter a family name (or 'Not known').",
        );
    }
    let birth_date = match parse_date(&input.date_of_birth) {
        Ok(Some(date)) if is_child && date > today + chrono::Duration::days(300) => {
            checks.add(format!("{prefix}.date_of_birth"), "A date of birth cannot be more than 10 months ahead (enter an expected date for an unborn child).");
            None
        }
        Ok(Some(date)) if !is_child && date > today => {
            checks.add(
                format!("{prefix}.date_of_birth"),
                "A date of birth must be in the past.",
            );
            None
        }
        Ok(Some(date))
            if date
                .years_since(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(date))
                .is_none() =>
        {
            checks.add(
                format!("{prefix}.date_of_birth"),
                "Enter a date of birth after 1900.",
            );
            None
        }
        Ok(date) => date,
        Err(message) => {
            checks.add(format!("{prefix}.date_of_birth"), message);
            None
        }
    };
    if is_child {
        if let Some(age) = birth_date.and_then(|d| today.years_since(d)) {
            if age >= 18 {
                checks.add(
                    format!("{prefix}.date_of_birth"),
                    "This person is 18 or over: add them as an adult in the household instead.",
                );
            }
        }
    }
    let sex = checks.take(&format!("{prefix}.sex"), input.sex.parse::<Sex>());
    let postcode = if input.postcode.trim().is_empty() {
        Some(None)
    } else {
        checks
            .take(
                &format!("{prefix}.postcode"),
                Postcode::parse(&input.postcode),
            )
            .map(Some)
    };
    let nhs_number = if input.nhs_number.trim().is_empty() {
        Some(None)
    } else {
        checks
            .take(
                &format!("{prefix}.nhs_number"),
                NhsNumber::parse(&input.nhs_number),
            )
            .map(Some)
    };
    Some(ValidSubject {
        given_name,
        family_name,
        birth_date,
        sex: sex?,
        address,
        postcode: postcode?,
        nhs_number: nhs_number?,
    })
}
