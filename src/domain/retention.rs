//! The district's retention schedule (docs/privacy.md): how long a child's records are kept.
//!
//! `closed+N`: N years after the child's last case closed or last referral was received,
//! whichever is later (never while a case is open). `age+N`: the child's Nth birthday. Both
//! (`closed+6,age+25`): the later of the two.

use super::Date;
use std::fmt;

/// The policy when the district has set none.
pub const DEFAULT_POLICY: &str = "closed+6";

/// The longest a rule may say, in years (a typing slip such as `closed+600` is refused).
const MAX_YEARS: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Years after the last case closed or referral received.
    pub closed: Option<u32>,
    /// The birthday after which the records go.
    pub age: Option<u32>,
}

impl Default for Retention {
    fn default() -> Retention {
        Retention { closed: Some(6), age: None }
    }
}

impl std::str::FromStr for Retention {
    type Err = String;

    fn from_str(text: &str) -> Result<Retention, String> {
        let usage = "a retention policy is closed+N, age+N or both (closed+6,age+25)";
        let mut policy = Retention { closed: None, age: None };
        for part in text.split(',').map(str::trim) {
            let (rule, years) = part.split_once('+').ok_or_else(|| format!("\"{part}\": {usage}"))?;
            let years: u32 =
                years.trim().parse().ok().filter(|n| (1..=MAX_YEARS).contains(n)).ok_or_else(|| {
                    format!("\"{part}\": the years are a whole number from 1 to {MAX_YEARS}")
                })?;
            let slot = match rule.trim() {
                "closed" => &mut policy.closed,
                "age" => &mut policy.age,
                _ => return Err(format!("\"{part}\": {usage}")),
            };
            if slot.replace(years).is_some() {
                return Err(format!("\"{text}\": each rule may be given once"));
            }
        }
        Ok(policy)
    }
}

impl fmt::Display for Retention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> =
            [self.closed.map(|n| format!("closed+{n}")), self.age.map(|n| format!("age+{n}"))]
                .into_iter()
                .flatten()
                .collect();
        f.write_str(&parts.join(","))
    }
}

// In the records file's `district` line as its text (`"retention": "closed+6"`).
impl serde::Serialize for Retention {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Retention {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Retention, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What the policy needs to know of one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub dob: Date,
    /// Whether any case of the child is open today.
    pub open_case: bool,
    /// The latest of the child's case closures and referrals received (`None`: neither).
    pub last_contact: Option<Date>,
}

/// When and why a child's records fall due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub date: Date,
    pub why: String,
}

/// The same day `n` years later (29 February becomes 28 February in a common year).
pub fn years_after(date: Date, n: u32) -> Date {
    date.plus_months(12 * n)
}

impl Retention {
    /// When the child's records fall due under the policy, and why; `None` while a case is open
    /// (under `closed+N`) or when nothing is recorded to count from.
    pub fn due(&self, child: &History) -> Option<Due> {
        let closed = match self.closed {
            None => None,
            Some(_) if child.open_case => return None,
            Some(n) => {
                let last = child.last_contact?;
                Some(Due {
                    date: years_after(last, n),
                    why: format!(
                        "{n} year{} after the last case closed or referral ({})",
                        if n == 1 { "" } else { "s" },
                        last.uk()
                    ),
                })
            }
        };
        let age = self.age.map(|n| Due {
            date: years_after(child.dob, n),
            why: format!("the child's {} birthday", super::text::ordinal(n)),
        });
        match (closed, age) {
            (Some(c), Some(a)) => Some(if a.date > c.date { a } else { c }),
            (c, a) => c.or(a),
        }
    }

    /// Whether the child's records are past the policy on `today`.
    pub fn past(&self, child: &History, today: Date) -> Option<Due> {
        self.due(child).filter(|d| d.date <= today)
    }
}

/// An erased child's date of birth: the 1 September that starts their school year of birth
/// (their cohort, which decides their phase), and nothing finer. The return itself counts by the
/// phase recorded on each referral and case, never by age; the date is kept only because the
/// rules ask every child to be born before their first referral and under 26 on their last date:
/// when the cohort's start would make them 26 by `latest`, the day after the date 26 years before
/// it is kept instead.
pub fn erased_dob(dob: Date, latest: Option<Date>) -> Date {
    let year = if dob.month() >= 9 { dob.year() } else { dob.year() - 1 };
    let cohort = Date::from_ymd(year, 9, 1).unwrap_or(dob);
    match latest {
        Some(last) if years_after(cohort, 26) <= last => last.minus_months(12 * 26).succ().min(dob),
        _ => cohort,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn policies_are_read_and_written_back_the_same() {
        for text in ["closed+6", "age+25", "closed+6,age+25"] {
            assert_eq!(text.parse::<Retention>().unwrap().to_string(), text);
        }
        assert_eq!(" age+25 , closed+3".parse::<Retention>().unwrap().to_string(), "closed+3,age+25");
        for bad in ["", "closed", "closed+", "closed+0", "closed+x", "open+6", "closed+6,closed+7", "age+101"]
        {
            assert!(bad.parse::<Retention>().is_err(), "{bad}");
        }
        assert_eq!(DEFAULT_POLICY.parse::<Retention>().unwrap(), Retention::default());
    }

    #[test]
    fn the_later_rule_decides_and_an_open_case_keeps_the_records() {
        let child = History { dob: d("2010-02-28"), open_case: false, last_contact: Some(d("2020-07-15")) };
        let closed: Retention = "closed+6".parse().unwrap();
        assert_eq!(closed.due(&child).unwrap().date, d("2026-07-15"));
        assert!(closed.past(&child, d("2026-07-14")).is_none());
        assert!(closed.past(&child, d("2026-07-15")).is_some());
        let both: Retention = "closed+6,age+25".parse().unwrap();
        assert_eq!(both.due(&child).unwrap().date, d("2035-02-28"));
        assert!(both.due(&child).unwrap().why.contains("25th birthday"));
        let open = History { open_case: true, ..child.clone() };
        assert!(both.due(&open).is_none());
        let age: Retention = "age+18".parse().unwrap();
        assert_eq!(age.due(&open).unwrap().date, d("2028-02-28"));
        let nothing = History { last_contact: None, ..child };
        assert!(closed.due(&nothing).is_none());
    }

    #[test]
    fn an_erased_date_of_birth_is_the_start_of_the_school_year_of_birth() {
        assert_eq!(erased_dob(d("2016-03-15"), Some(d("2024-01-10"))), d("2015-09-01"));
        assert_eq!(erased_dob(d("2016-09-01"), None), d("2016-09-01"));
        assert_eq!(erased_dob(d("2016-12-31"), None), d("2016-09-01"));
        // A young person near 26 at their last date: not made older than the rules allow.
        let kept = erased_dob(d("2000-03-15"), Some(d("2026-02-01")));
        assert!(years_after(kept, 26) > d("2026-02-01") && kept <= d("2000-03-15"), "{kept}");
    }
}
