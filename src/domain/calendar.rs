//! Academic years, terms and reporting periods.
//!
//! An academic year runs 1 September to 31 August and has six contiguous terms: term k runs from
//! its start date to the day before term k+1 starts, so every date falls in exactly one term.

use super::date::Date;
use std::fmt;
use std::str::FromStr;

/// An academic year, written `2023-24`; holds the calendar year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AcademicYear(i32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not an academic year; write it like 2023-24")]
pub struct YearError(pub String);

impl AcademicYear {
    pub fn starting(year: i32) -> AcademicYear {
        AcademicYear(year)
    }

    /// The calendar year the academic year starts in (2023 for 2023-24).
    pub fn start_year(self) -> i32 {
        self.0
    }

    /// The academic year a date falls in.
    pub fn containing(date: Date) -> AcademicYear {
        if date.month() >= 9 { AcademicYear(date.year()) } else { AcademicYear(date.year() - 1) }
    }

    pub fn first_day(self) -> Date {
        Date::from_ymd(self.0, 9, 1).expect("1 September exists")
    }

    pub fn last_day(self) -> Date {
        Date::from_ymd(self.0 + 1, 8, 31).expect("31 August exists")
    }

    pub fn next(self) -> AcademicYear {
        AcademicYear(self.0 + 1)
    }

    pub fn prev(self) -> AcademicYear {
        AcademicYear(self.0 - 1)
    }

    pub fn contains(self, date: Date) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }
}

impl fmt::Display for AcademicYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

impl FromStr for AcademicYear {
    type Err = YearError;
    fn from_str(s: &str) -> Result<AcademicYear, YearError> {
        let err = || YearError(s.to_string());
        let (a, b) = s.split_once('-').ok_or_else(err)?;
        if a.len() != 4 || b.len() != 2 || !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        let start: i32 = a.parse().map_err(|_| err())?;
        let end: i32 = b.parse().map_err(|_| err())?;
        if (start + 1).rem_euclid(100) != end || !(1900..=2200).contains(&start) {
            return Err(err());
        }
        Ok(AcademicYear(start))
    }
}

impl serde::Serialize for AcademicYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for AcademicYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One of the six terms, `T1`..`T6`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a term; terms are 1 to 6 (or T1 to T6)")]
pub struct TermError(pub String);

impl Term {
    pub const ALL: [Term; 6] = [Term(1), Term(2), Term(3), Term(4), Term(5), Term(6)];

    pub fn new(n: u8) -> Option<Term> {
        (1..=6).contains(&n).then_some(Term(n))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn next(self) -> Option<Term> {
        Term::new(self.0 + 1)
    }

    pub fn prev(self) -> Option<Term> {
        Term::new(self.0.wrapping_sub(1))
    }

    /// The term after (or before) this one, across the end of the academic year.
    pub fn step(self, year: AcademicYear, forward: bool) -> (AcademicYear, Term) {
        match (forward, self.next(), self.prev()) {
            (true, Some(next), _) => (year, next),
            (true, None, _) => (year.next(), Term::ALL[0]),
            (false, _, Some(prev)) => (year, prev),
            (false, _, None) => (year.prev(), Term::ALL[5]),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T{}", self.0)
    }
}

impl FromStr for Term {
    type Err = TermError;
    fn from_str(s: &str) -> Result<Term, TermError> {
        let digits = s.strip_prefix(['T', 't']).unwrap_or(s);
        digits.parse::<u8>().ok().and_then(Term::new).ok_or_else(|| TermError(s.to_string()))
    }
}

/// Start dates of terms 2..6 of one academic year (term 1 always starts on 1 September).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermStarts {
    pub year: AcademicYear,
    /// Start dates of T2, T3, T4, T5, T6.
    pub starts: [Date; 5],
}

impl TermStarts {
    /// The first day of a term.
    pub fn start(&self, term: Term) -> Date {
        match term.0 {
            1 => self.year.first_day(),
            n => self.starts[usize::from(n) - 2],
        }
    }

    /// The last day of a term: the day before the next term starts, or 31 August for T6.
    pub fn end(&self, term: Term) -> Date {
        match term.next() {
            Some(next) => self.start(next).pred(),
            None => self.year.last_day(),
        }
    }

    pub fn period(&self, term: Term) -> Period {
        Period { start: self.start(term), end: self.end(term), label: format!("{} {}", self.year, term) }
    }

    /// The term a date of this year falls in.
    pub fn term_of(&self, date: Date) -> Option<Term> {
        if !self.year.contains(date) {
            return None;
        }
        Term::ALL.into_iter().rev().find(|t| self.start(*t) <= date)
    }
}

/// What a return covers: one term, the two terms of a monitoring meeting (T1-T2, T3-T4, T5-T6),
/// or the whole year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Term(Term),
    /// A monitoring period: its first term (T1, T3 or T5) and the one after.
    Terms(Term),
    Year,
}

impl Scope {
    /// The terms it covers, in order.
    pub fn terms(self) -> Vec<Term> {
        match self {
            Scope::Term(t) => vec![t],
            Scope::Terms(first) => [Some(first), first.next()].into_iter().flatten().collect(),
            Scope::Year => Term::ALL.to_vec(),
        }
    }

    /// The term, when it is one term.
    pub fn term(self) -> Option<Term> {
        match self {
            Scope::Term(t) => Some(t),
            _ => None,
        }
    }

    /// Its days in a year of these term dates, labelled `2023-24 T3`, `2023-24 T3-T4` or `2023-24`.
    pub fn period(self, starts: &TermStarts) -> Period {
        match self {
            Scope::Term(t) => starts.period(t),
            Scope::Year => Period::year(starts.year),
            Scope::Terms(first) => {
                let last = first.next().unwrap_or(first);
                Period {
                    start: starts.start(first),
                    end: starts.end(last),
                    label: format!("{} {first}-{last}", starts.year),
                }
            }
        }
    }

    /// A short name for file names: `T3`, `T3-4`, `year`.
    pub fn short(self) -> String {
        match self {
            Scope::Term(t) => t.to_string(),
            Scope::Terms(first) => format!("{first}-{}", first.number() + 1),
            Scope::Year => "year".to_string(),
        }
    }

    /// The monitoring period holding a term (T3 and T4 for T4).
    pub fn monitoring_of(term: Term) -> Scope {
        Scope::Terms(Term((term.0 - 1) / 2 * 2 + 1))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a monitoring period; write 1-2, 3-4 or 5-6")]
pub struct ScopeError(pub String);

/// A monitoring period as typed: `1-2`, `3-4` or `5-6` (or `T3-T4`).
impl FromStr for Scope {
    type Err = ScopeError;
    fn from_str(s: &str) -> Result<Scope, ScopeError> {
        let err = || ScopeError(s.to_string());
        let (a, b) = s.split_once('-').ok_or_else(err)?;
        let (a, b): (Term, Term) =
            (a.trim().parse().map_err(|_| err())?, b.trim().parse().map_err(|_| err())?);
        (a.0 % 2 == 1 && b.0 == a.0 + 1).then_some(Scope::Terms(a)).ok_or_else(err)
    }
}

/// A reporting period: both days included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Date,
    pub label: String,
}

impl Period {
    pub fn year(year: AcademicYear) -> Period {
        Period { start: year.first_day(), end: year.last_day(), label: year.to_string() }
    }

    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }

    /// The period as far as it has gone on `today`: `None` before it starts; while it is in
    /// progress it ends today (its figures are provisional, "to date").
    pub fn so_far(&self, today: Date) -> Option<Period> {
        (self.start <= today).then(|| Period { end: self.end.min(today), ..self.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn years_parse_and_print() {
        let y: AcademicYear = "2023-24".parse().unwrap();
        assert_eq!(y.start_year(), 2023);
        assert_eq!(y.to_string(), "2023-24");
        assert_eq!("1999-00".parse::<AcademicYear>().unwrap().to_string(), "1999-00");
        for bad in ["2023-25", "2023", "23-24", "2023/24", "2023-2024", "", "abcd-ef"] {
            assert!(bad.parse::<AcademicYear>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_date_belongs_to_one_year() {
        assert_eq!(AcademicYear::containing(d("2024-08-31")).to_string(), "2023-24");
        assert_eq!(AcademicYear::containing(d("2024-09-01")).to_string(), "2024-25");
    }

    #[test]
    fn terms_parse() {
        assert_eq!("3".parse::<Term>().unwrap().number(), 3);
        assert_eq!("T6".parse::<Term>().unwrap().number(), 6);
        for bad in ["0", "7", "T", "", "-1", "3.0"] {
            assert!(bad.parse::<Term>().is_err(), "{bad}");
        }
    }

    #[test]
    fn terms_are_contiguous_and_cover_the_year() {
        let starts = TermStarts {
            year: "2023-24".parse().unwrap(),
            starts: [d("2023-10-30"), d("2024-01-03"), d("2024-02-19"), d("2024-04-15"), d("2024-06-03")],
        };
        assert_eq!(starts.start(Term(1)), d("2023-09-01"));
        assert_eq!(starts.end(Term(1)), d("2023-10-29"));
        assert_eq!(starts.end(Term(2)), d("2024-01-02"));
        assert_eq!(starts.end(Term(6)), d("2024-08-31"));
        for t in Term::ALL.iter().skip(1) {
            assert_eq!(starts.start(*t), starts.end(t.prev().unwrap()).succ());
        }
        assert_eq!(starts.term_of(d("2023-12-25")), Some(Term(2)));
        assert_eq!(starts.term_of(d("2024-08-31")), Some(Term(6)));
        assert_eq!(starts.term_of(d("2024-09-01")), None);
        assert_eq!(starts.period(Term(3)).label, "2023-24 T3");
        let y = starts.year;
        assert_eq!(Term(6).step(y, true), (y.next(), Term(1)));
        assert_eq!(Term(1).step(y, false), (y.prev(), Term(6)));
        assert_eq!(Term(3).step(y, true), (y, Term(4)));
    }

    #[test]
    fn monitoring_periods_are_pairs_of_terms() {
        let starts = TermStarts {
            year: "2023-24".parse().unwrap(),
            starts: [d("2023-10-30"), d("2024-01-03"), d("2024-02-19"), d("2024-04-15"), d("2024-06-03")],
        };
        let span: Scope = "3-4".parse().unwrap();
        assert_eq!(span, Scope::Terms(Term(3)));
        assert_eq!(span.terms(), [Term(3), Term(4)]);
        let p = span.period(&starts);
        assert_eq!((p.start, p.end, p.label.as_str()), (d("2024-01-03"), d("2024-04-14"), "2023-24 T3-T4"));
        assert_eq!("T5-T6".parse::<Scope>().unwrap(), Scope::Terms(Term(5)));
        for bad in ["2-3", "1-3", "3", "4-3", "0-1", "5-6-7"] {
            assert!(bad.parse::<Scope>().is_err(), "{bad}");
        }
        assert_eq!(Scope::monitoring_of(Term(4)), Scope::Terms(Term(3)));
        assert_eq!(Scope::monitoring_of(Term(5)), Scope::Terms(Term(5)));
        assert_eq!(span.short(), "T3-4");
    }

    #[test]
    fn a_period_so_far() {
        let p = Period { start: d("2024-01-03"), end: d("2024-02-18"), label: "2023-24 T3".into() };
        assert_eq!(p.so_far(d("2024-01-02")), None, "not started");
        assert_eq!(p.so_far(d("2024-01-03")).unwrap().end, d("2024-01-03"), "its first day");
        assert_eq!(p.so_far(d("2024-02-01")).unwrap().end, d("2024-02-01"), "in progress: to date");
        assert_eq!(p.so_far(d("2024-05-01")), Some(p.clone()), "over: whole");
    }
}
