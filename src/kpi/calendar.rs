//! The term calendar: the team's stored term dates, else the defaults shipped in `assets/`.

use crate::domain::{AcademicYear, Date, Period, Term, TermStarts};
use crate::store::{Reader, StoreError};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DEFAULTS: &str = include_str!("../../assets/term_dates.csv");

fn defaults() -> &'static BTreeMap<AcademicYear, TermStarts> {
    static TABLE: OnceLock<BTreeMap<AcademicYear, TermStarts>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = BTreeMap::new();
        for line in DEFAULTS.lines().filter(|l| !l.starts_with('#') && !l.starts_with("year")) {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let parsed = (|| {
                let year: AcademicYear = fields.first()?.parse().ok()?;
                let mut starts = [year.first_day(); 5];
                for (slot, text) in starts.iter_mut().zip(fields.get(1..6)?) {
                    *slot = Date::parse_iso(text).ok()?;
                }
                Some(TermStarts { year, starts })
            })();
            // The asset is part of the program and checked by a test; a bad line is skipped.
            if let Some(t) = parsed {
                table.insert(t.year, t);
            }
        }
        table
    })
}

/// The next `weekday` (0 = Monday) on or after a date.
fn on_or_after(date: Date, weekday: u32) -> Date {
    use chrono::Datelike;
    let today = date.naive().weekday().num_days_from_monday();
    date.plus_days(u64::from((7 + weekday - today) % 7))
}

/// Term dates for a year the asset does not cover, on the usual pattern.
fn pattern(year: AcademicYear) -> TermStarts {
    let y = year.start_year();
    let day = |yy, m, d| Date::from_ymd(yy, m, d).expect("fixed calendar days exist");
    let first_weekday = |d: Date| {
        use chrono::Datelike;
        match d.naive().weekday().num_days_from_monday() {
            5 => d.plus_days(2),
            6 => d.plus_days(1),
            _ => d,
        }
    };
    TermStarts {
        year,
        starts: [
            on_or_after(day(y, 10, 29), 0),
            first_weekday(day(y + 1, 1, 3)),
            on_or_after(day(y + 1, 2, 19), 0),
            on_or_after(day(y + 1, 4, 15), 0),
            on_or_after(day(y + 1, 6, 1), 0),
        ],
    }
}

/// The default term dates of a year (the shipped asset, or the usual pattern beyond it).
pub fn default_term_starts(year: AcademicYear) -> TermStarts {
    defaults().get(&year).copied().unwrap_or_else(|| pattern(year))
}

/// The term dates in force for a year: the team's own if stored, else the defaults.
pub fn term_starts(reader: Reader<'_>, year: AcademicYear) -> Result<TermStarts, StoreError> {
    Ok(reader.term_starts(year)?.unwrap_or_else(|| default_term_starts(year)))
}

/// The term a date falls in, with its year.
pub fn term_of(reader: Reader<'_>, date: Date) -> Result<(AcademicYear, Term, Period), StoreError> {
    let year = AcademicYear::containing(date);
    let starts = term_starts(reader, year)?;
    let term = starts.term_of(date).unwrap_or(Term::ALL[0]);
    Ok((year, term, starts.period(term)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::term_dates_in_order;

    #[test]
    fn the_asset_covers_2018_19_to_2029_30_with_valid_dates() {
        let table = defaults();
        for y in 2018..=2029 {
            let year = AcademicYear::starting(y);
            let t = table.get(&year).unwrap_or_else(|| panic!("{year} missing"));
            assert!(term_dates_in_order(year, t.starts).is_empty(), "{year}");
        }
    }

    #[test]
    fn the_published_kent_dates_are_used() {
        let t = default_term_starts("2023-24".parse().unwrap());
        assert_eq!(t.starts[0].to_string(), "2023-10-30");
        assert_eq!(t.starts[4].to_string(), "2024-06-03");
        let t = default_term_starts("2019-20".parse().unwrap());
        assert_eq!(t.starts[3].to_string(), "2020-04-16");
    }

    #[test]
    fn years_beyond_the_asset_follow_the_pattern() {
        for y in [1990, 2035, 2099] {
            let year = AcademicYear::starting(y);
            let t = default_term_starts(year);
            assert!(term_dates_in_order(year, t.starts).is_empty(), "{year}: {t:?}");
        }
    }
}
