//! Calendar dates (no times), as the domain uses them.

use chrono::{Datelike, Days, Months, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// A calendar day. Written `YYYY-MM-DD` in files; ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

/// Why text was not accepted as a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("\"{0}\" is not a date in the form YYYY-MM-DD")]
    Format(String),
    #[error("\"{0}\" is not a real calendar date")]
    Impossible(String),
    #[error("\"{0}\" is not a date; use 2024-03-05, 5/3/24 (day first), today or yesterday")]
    Unrecognised(String),
}

impl Date {
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }

    pub fn naive(self) -> NaiveDate {
        self.0
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u32 {
        self.0.month()
    }

    pub fn day(self) -> u32 {
        self.0.day()
    }

    /// The day before (saturates at the earliest representable day).
    pub fn pred(self) -> Date {
        Date(self.0.pred_opt().unwrap_or(self.0))
    }

    /// The day after (saturates at the latest representable day).
    pub fn succ(self) -> Date {
        Date(self.0.succ_opt().unwrap_or(self.0))
    }

    pub fn plus_days(self, days: u64) -> Date {
        Date(self.0.checked_add_days(Days::new(days)).unwrap_or(self.0))
    }

    pub fn minus_days(self, days: u64) -> Date {
        Date(self.0.checked_sub_days(Days::new(days)).unwrap_or(self.0))
    }

    /// The same day `n` calendar months earlier, the day clamped to the month's length
    /// (2024-08-31 minus six months is 2024-02-29).
    pub fn minus_months(self, n: u32) -> Date {
        Date(self.0.checked_sub_months(Months::new(n)).unwrap_or(self.0))
    }

    /// The same day `n` calendar months later, the day clamped to the month's length.
    pub fn plus_months(self, n: u32) -> Date {
        Date(self.0.checked_add_months(Months::new(n)).unwrap_or(self.0))
    }

    /// Days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        (self.0 - earlier.0).num_days()
    }

    /// Parses the strict file form `YYYY-MM-DD` (four-digit year, two-digit month and day).
    pub fn parse_iso(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(DateError::Format(s.to_string()));
        }
        let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
        NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
            .map(Date)
            .ok_or_else(|| DateError::Impossible(s.to_string()))
    }

    /// Parses what people type into a form: `2024-03-05`, `5/3/24` or `05/03/2024` (UK order:
    /// day first), `today`, `yesterday`. `today` is passed in, never read from the clock here.
    pub fn parse_typed(s: &str, today: Date) -> Result<Date, DateError> {
        let t = s.trim();
        match t.to_ascii_lowercase().as_str() {
            "today" | "t" => return Ok(today),
            "yesterday" | "y" => return Ok(today.pred()),
            _ => {}
        }
        if t.contains('-') {
            return Date::parse_iso(t);
        }
        let parts: Vec<&str> = t.split(['/', '.']).collect();
        let [d, m, y] = parts[..] else {
            return Err(DateError::Unrecognised(t.to_string()));
        };
        let all_digits = |p: &str| !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit());
        if !(all_digits(d) && all_digits(m) && all_digits(y)) || d.len() > 2 || m.len() > 2 {
            return Err(DateError::Unrecognised(t.to_string()));
        }
        let year = match y.len() {
            2 => 2000 + y.parse::<i32>().unwrap_or(0),
            4 => y.parse::<i32>().unwrap_or(0),
            _ => return Err(DateError::Unrecognised(t.to_string())),
        };
        let (day, month) = (d.parse::<u32>().unwrap_or(0), m.parse::<u32>().unwrap_or(0));
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Date)
            .ok_or_else(|| DateError::Impossible(t.to_string()))
    }

    /// Day and month for people, UK style: `5 Mar 2024`.
    pub fn uk(self) -> String {
        self.0.format("%-d %b %Y").to_string()
    }

    /// Day and month without the year, for a span "to 1 Dec" whose year is said beside it.
    pub fn day_month(self) -> String {
        self.0.format("%-d %b").to_string()
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Date {
        Date(d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Date, DateError> {
        Date::parse_iso(s)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Iso;
        impl serde::de::Visitor<'_> for Iso {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written as text, like \"2024-03-05\"")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse_iso(s).map_err(E::custom)
            }
        }
        d.deserialize_str(Iso)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn iso_dates_parse_strictly() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        assert!(matches!(Date::parse_iso("2023-02-29"), Err(DateError::Impossible(_))));
        assert!(matches!(Date::parse_iso("2024-13-01"), Err(DateError::Impossible(_))));
        assert!(matches!(Date::parse_iso("2024-00-10"), Err(DateError::Impossible(_))));
        for bad in ["2024-3-5", "24-03-05", "2024/03/05", "", "2024-03-05T00:00", "२०२४-०३-०५", "abcd-ef-gh"]
        {
            assert!(matches!(Date::parse_iso(bad), Err(DateError::Format(_))), "{bad}");
        }
    }

    #[test]
    fn six_months_back_clamps_the_day() {
        assert_eq!(d("2024-08-31").minus_months(6), d("2024-02-29"));
        assert_eq!(d("2023-08-31").minus_months(6), d("2023-02-28"));
        assert_eq!(d("2024-03-31").minus_months(6), d("2023-09-30"));
        assert_eq!(d("2024-12-15").minus_months(6), d("2024-06-15"));
    }

    #[test]
    fn typed_dates_accept_the_forms_people_use() {
        let today = d("2024-03-10");
        assert_eq!(Date::parse_typed("2024-03-05", today).unwrap(), d("2024-03-05"));
        assert_eq!(Date::parse_typed("5/3/24", today).unwrap(), d("2024-03-05"));
        assert_eq!(Date::parse_typed("05/03/2024", today).unwrap(), d("2024-03-05"));
        assert_eq!(Date::parse_typed("5.3.2024", today).unwrap(), d("2024-03-05"));
        assert_eq!(Date::parse_typed(" today ", today).unwrap(), today);
        assert_eq!(Date::parse_typed("Yesterday", today).unwrap(), d("2024-03-09"));
        assert_eq!(Date::parse_typed("1/1/25", d("2025-01-01")).unwrap(), d("2025-01-01"));
    }

    #[test]
    fn typed_dates_reject_nonsense_without_panicking() {
        let today = d("2024-03-10");
        for bad in
            ["", "31/2/24", "5/3", "5/3/245", "x/y/z", "1/1/1/1", "tomorrow", "99/99/99", "/ /", "5//24"]
        {
            assert!(Date::parse_typed(bad, today).is_err(), "{bad}");
        }
        assert!(matches!(Date::parse_typed("31/2/24", today), Err(DateError::Impossible(_))));
    }

    #[test]
    fn serde_is_the_iso_form() {
        let x: Date = serde_json::from_str("\"2024-01-03\"").unwrap();
        assert_eq!(serde_json::to_string(&x).unwrap(), "\"2024-01-03\"");
        assert!(serde_json::from_str::<Date>("\"2024-02-30\"").is_err());
        assert!(serde_json::from_str::<Date>("20240103").is_err());
    }

    #[test]
    fn uk_display() {
        assert_eq!(d("2024-03-05").uk(), "5 Mar 2024");
    }
}
