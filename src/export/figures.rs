//! How a return's figures are shown in files, with small-count suppression for published copies.

use crate::domain::ManualValue;
use crate::kpi::catalogue::{Figure, Measure, Unit, round2};

/// A figure as written: a number, a text, nothing, or suppressed (`c`).
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Null,
    Int(i64),
    Num(f64),
    Text(String),
    /// A small count hidden in a published copy (the statisticians' `c`).
    Suppressed,
    /// The team marked the figure as not collected for the period: no value, not a zero.
    NotCollected,
}

impl Shown {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Shown::Null => serde_json::Value::Null,
            Shown::Int(n) => (*n).into(),
            Shown::Num(x) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
            Shown::Text(t) => t.clone().into(),
            Shown::Suppressed => "c".into(),
            Shown::NotCollected => serde_json::Value::Null,
        }
    }

    /// The CSV cell: empty for no value.
    pub fn to_csv(&self) -> String {
        match self {
            Shown::Null => String::new(),
            Shown::Int(n) => n.to_string(),
            Shown::Num(x) => x.to_string(),
            Shown::Text(t) => t.clone(),
            Shown::Suppressed => "c".into(),
            Shown::NotCollected => "not collected".into(),
        }
    }
}

/// Counts from 1 to `below - 1` are suppressed (and percentages and averages built on them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Suppression {
    pub below: Option<u32>,
}

impl Suppression {
    /// The sentence a suppressed copy opens with (every format: docs/returns.md).
    pub fn notice(self) -> Option<String> {
        let below = self.below?;
        let small = match below {
            0 | 1 => {
                return Some(format!("No count is small enough to be hidden at --suppress-below {below}."));
            }
            2 => "Counts of 1".to_string(),
            _ => format!("Counts from 1 to {}", below - 1),
        };
        Some(format!(
            "{small} are shown as c to protect individuals, and so are as many other figures as it takes \
             for none of them to be worked out or narrowed from the rest; a c does not say which it is."
        ))
    }
}

/// A measure's value as shown when nothing is hidden.
pub fn plain(m: &Measure) -> Shown {
    if m.not_collected {
        return Shown::NotCollected;
    }
    match (&m.figure, m.value()) {
        (Figure::Count(n), _) => Shown::Int(*n),
        (Figure::Manual(Some(ManualValue::Text(t))), _) => Shown::Text(t.clone()),
        // A typed whole number is written as typed (a count of 12 is 12, not 12.0).
        (Figure::Manual(Some(ManualValue::Number(x))), _) if x.fract() == 0.0 && x.abs() < 1e15 => {
            Shown::Int(*x as i64)
        }
        (_, Some(x)) => Shown::Num(x),
        (_, None) => Shown::Null,
    }
}

/// A percentage's or average's numerator and denominator as shown when nothing is hidden (null
/// for other figures); an FTE denominator to 2 decimals.
pub fn plain_parts(m: &Measure) -> (Shown, Shown) {
    if m.not_collected {
        return (Shown::Null, Shown::Null);
    }
    match m.figure {
        Figure::Ratio { num, den } => (Shown::Int(num), Shown::Int(den)),
        Figure::PerFte { num, fte } => (Shown::Int(num), Shown::Num(round2(fte))),
        _ => (Shown::Null, Shown::Null),
    }
}

/// Whether a unit is shown as a percentage.
pub fn is_percent(m: &Measure) -> bool {
    m.unit == Unit::Percent
}
