//! Dates of front matter and sidecars: kept as written for display, compared by value.
//! The only module that calls jiff, so the date crate can be swapped here alone.

use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// The accepted forms, for hints.
pub const FORMS: &str = "YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date and time (2018-10-22T14:03:00Z, 2018-10-22T14:03:00+02:00)";

/// How much of a date was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// `YYYY`.
    Year,
    /// `YYYY-MM` (or `YYYY-M`).
    Month,
    /// `YYYY-MM-DD` (month and day may have one digit).
    Day,
    /// A date and time with its UTC offset.
    Instant,
}

/// A valid date as the author wrote it: `2018`, `2018-9`, `2018-09-30`, or an RFC 3339 time.
///
/// Dates are ordered by the instant they start at, in UTC: a partial date is its earliest
/// instant (`2018` is 2018-01-01T00:00Z, `2018-9` is 2018-09-01T00:00Z) and a time is
/// converted from its offset. At the same instant the less precise date comes first (`2018`
/// < `2018-01` < `2018-01-01` < `2018-01-01T00:00:00Z`), then the text breaks ties. So in a
/// newest-first list, `2018` follows every more precise date of 2018 and precedes 2017's.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Date {
    text: String,
    value: jiff::Timestamp,
    precision: Precision,
}

/// Why a text is not a date: `reason` is set when the form is right but the value is not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// What is wrong with the value (`there is no month 13`); `None` when the text is in no
    /// accepted form, so the caller's message lists [`FORMS`] instead.
    pub reason: Option<String>,
}

impl Date {
    /// Reads `YYYY`, `YYYY-M[M]`, `YYYY-M[M]-D[D]` or a date and time with a UTC offset.
    pub fn parse(text: &str) -> Result<Date, Invalid> {
        let date = |value, precision| Date {
            text: text.to_string(),
            value,
            precision,
        };
        let has_time = text.len() > 10 && matches!(text.as_bytes()[10], b'T' | b't' | b' ');
        if has_time {
            if let Ok(value) = text.parse::<jiff::Timestamp>() {
                return Ok(date(value, Precision::Instant));
            }
            // Say what is wrong when the date part or the missing offset explains it.
            civil(&text[..10])?;
            return Err(Invalid {
                reason: text
                    .parse::<jiff::civil::DateTime>()
                    .is_ok()
                    .then(|| "a time needs a UTC offset, such as `Z` or `+02:00`".to_string()),
            });
        }
        let (day, precision) = civil(text)?;
        let midnight = day.to_datetime(jiff::civil::Time::midnight());
        let value = jiff::tz::Offset::UTC
            .to_timestamp(midnight)
            .map_err(|_| Invalid { reason: None })?;
        Ok(date(value, precision))
    }

    /// The date as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// How much of the date was written; ordering uses it to break ties at the same instant.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The instant the date starts at, in UTC, as RFC 3339 (`2018-09-01T00:00:00Z` for
    /// `2018-9`), as Atom and schema.org want it.
    pub fn rfc3339(&self) -> String {
        // A timestamp displays as RFC 3339 in UTC.
        self.value.to_string()
    }

    /// The instant `seconds` after 1970-01-01T00:00:00Z (as `SOURCE_DATE_EPOCH` gives a build
    /// time), written in RFC 3339; `None` outside the years 1 to 9999.
    pub fn from_epoch(seconds: i64) -> Option<Date> {
        let value = jiff::Timestamp::from_second(seconds).ok()?;
        Some(Date {
            text: value.to_string(),
            value,
            precision: Precision::Instant,
        })
    }
}

/// Today's date in UTC as `YYYY-MM-DD`: the one reading of the wall clock, for the `retrieved`
/// date that `init` and `new seed` record when a text is acquired (never used by a build).
pub fn today_utc() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(seconds)
        .ok()
        .and_then(utc_day)
        .unwrap_or_else(|| "1970-01-01".to_string())
}

/// The UTC day (`YYYY-MM-DD`) of a time given in seconds since 1970 (as `SOURCE_DATE_EPOCH`
/// and `git log --format=%ct` write it); `None` before 1970 or after 9999.
pub fn utc_day(seconds: i64) -> Option<String> {
    if !(0..=253_402_300_799).contains(&seconds) {
        return None;
    }
    let time = jiff::Timestamp::from_second(seconds).ok()?;
    // A timestamp displays as RFC 3339 in UTC: `2026-12-02T16:44:16Z`.
    Some(time.to_string()[..10].to_string())
}

/// A partial or full calendar date, `YYYY[-M[M][-D[D]]]`, with how much of it was written.
fn civil(text: &str) -> Result<(jiff::civil::Date, Precision), Invalid> {
    let not_a_date = || Invalid { reason: None };
    let number = |s: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i16>().ok())
            .flatten()
    };
    let mut parts = text.split('-');
    let year = parts.next().and_then(|y| number(y, 4..=4));
    let month = parts.next().map(|m| number(m, 1..=2));
    let day = parts.next().map(|d| number(d, 1..=2));
    let (Some(year), None) = (year, parts.next()) else {
        return Err(not_a_date());
    };
    let (month, day, precision) = match (month, day) {
        (None, _) => (1, 1, Precision::Year),
        (Some(Some(m)), None) => (m, 1, Precision::Month),
        (Some(Some(m)), Some(Some(d))) => (m, d, Precision::Day),
        _ => return Err(not_a_date()),
    };
    if !(1..=12).contains(&month) {
        return Err(Invalid {
            reason: Some(format!("there is no month {month}")),
        });
    }
    // Year, month and day are in range here, so both dates exist.
    let first = jiff::civil::Date::new(year, month as i8, 1).map_err(|_| not_a_date())?;
    let days = first.days_in_month();
    if day < 1 || day > i16::from(days) {
        return Err(Invalid {
            reason: Some(format!("{year:04}-{month:02} has {days} days")),
        });
    }
    let date = jiff::civil::Date::new(year, month as i8, day as i8).map_err(|_| not_a_date())?;
    Ok((date, precision))
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.value, self.precision, &self.text).cmp(&(other.value, other.precision, &other.text))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// As written: templates and `dossier.json` see the author's text.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn reason(text: &str) -> Option<String> {
        Date::parse(text).unwrap_err().reason
    }

    #[test]
    fn accepted_forms_keep_their_text_and_precision() {
        for (text, precision) in [
            ("2018", Precision::Year),
            ("2018-9", Precision::Month),
            ("2018-09", Precision::Month),
            ("2018-9-5", Precision::Day),
            ("2018-11-02", Precision::Day),
            ("2024-02-29", Precision::Day),
            ("2018-10-22T14:03:00Z", Precision::Instant),
            ("2018-10-22T14:03:00+02:00", Precision::Instant),
            ("2018-10-22T14:03:00.5-05:30", Precision::Instant),
        ] {
            let d = date(text);
            assert_eq!((d.as_str(), d.precision()), (text, precision));
            assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{text}\""));
        }
    }

    #[test]
    fn invalid_dates_say_why_when_they_can() {
        assert_eq!(reason("2018-13").as_deref(), Some("there is no month 13"));
        assert_eq!(reason("2018-0").as_deref(), Some("there is no month 0"));
        assert_eq!(reason("2018-02-30").as_deref(), Some("2018-02 has 28 days"));
        assert_eq!(reason("2023-02-29").as_deref(), Some("2023-02 has 28 days"));
        assert_eq!(reason("2018-4-0").as_deref(), Some("2018-04 has 30 days"));
        assert_eq!(
            reason("2018-13-01T10:00:00Z").as_deref(),
            Some("there is no month 13")
        );
        assert_eq!(
            reason("2018-10-22T14:03:00").as_deref(),
            Some("a time needs a UTC offset, such as `Z` or `+02:00`")
        );
        for text in [
            "yesterday",
            "18-10-2018",
            "",
            "2018-",
            "2018-10-",
            "20180",
            "2018-001",
            "2018-10-22-1",
            "+2018",
            "2018-10-22T25:00:00Z",
            "2018 10",
        ] {
            assert_eq!(reason(text), None, "{text:?}");
        }
    }

    #[test]
    fn dates_sort_by_value_then_precision() {
        let mut dates: Vec<Date> = [
            "2018-10",
            "2018-9",
            "2019",
            "2018",
            "2018-10-22T14:03:00Z",
            "2018-10-22T15:03:00+02:00",
            "2018-10-22",
            "2018-01-01",
            "2018-01",
            "2017-12-31T23:30:00-01:00",
        ]
        .iter()
        .map(|t| date(t))
        .collect();
        dates.sort();
        let texts: Vec<&str> = dates.iter().map(Date::as_str).collect();
        assert_eq!(
            texts,
            [
                "2018",
                "2018-01",
                "2018-01-01",
                // 2018-01-01T00:30Z: after the day's midnight.
                "2017-12-31T23:30:00-01:00",
                "2018-9",
                "2018-10",
                "2018-10-22",
                // 13:03Z, then 14:03Z.
                "2018-10-22T15:03:00+02:00",
                "2018-10-22T14:03:00Z",
                "2019",
            ]
        );
    }

    #[test]
    fn rfc3339_is_the_utc_instant_a_date_starts_at() {
        for (text, utc) in [
            ("2018", "2018-01-01T00:00:00Z"),
            ("2018-9", "2018-09-01T00:00:00Z"),
            ("2018-10-22", "2018-10-22T00:00:00Z"),
            ("2018-10-22T15:03:00+02:00", "2018-10-22T13:03:00Z"),
            ("2018-10-22T14:03:00Z", "2018-10-22T14:03:00Z"),
        ] {
            assert_eq!(date(text).rfc3339(), utc, "{text}");
        }
    }

    #[test]
    fn from_epoch_is_an_instant_in_utc() {
        let d = Date::from_epoch(1_540_217_000).unwrap();
        assert_eq!(d.as_str(), "2018-10-22T14:03:20Z");
        assert_eq!(d.rfc3339(), d.as_str());
        assert_eq!(d.precision(), Precision::Instant);
        assert_eq!(
            Date::from_epoch(0).unwrap().as_str(),
            "1970-01-01T00:00:00Z"
        );
        assert!(Date::from_epoch(i64::MAX).is_none());
        assert!(date("2018-10-22T14:03:19Z") < d);
    }
}
