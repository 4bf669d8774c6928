//! How a return's figures are shown in files, with small-count suppression for published copies.

use crate::domain::ManualValue;
use crate::kpi::catalogue::{Figure, Measure, Unit};

/// A figure as written: a number, a text, nothing, or suppressed (`c`).
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Null,
    Int(i64),
    Num(f64),
    Text(String),
    /// A small count hidden in a published copy (the statisticians' `c`).
    Suppressed,
}

impl Shown {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Shown::Null => serde_json::Value::Null,
            Shown::Int(n) => (*n).into(),
            Shown::Num(x) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
            Shown::Text(t) => t.clone().into(),
            Shown::Suppressed => "c".into(),
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
        }
    }
}

/// Counts from 1 to `below - 1` are suppressed (and percentages and averages built on them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Suppression {
    pub below: Option<u32>,
}

impl Suppression {
    fn hides(self, n: i64) -> bool {
        self.below.is_some_and(|below| n >= 1 && n < i64::from(below))
    }

    fn hides_measure(self, m: &Measure) -> bool {
        match m.figure {
            Figure::Count(n) => self.hides(n),
            Figure::Ratio { num, den } => self.hides(num) || self.hides(den),
            Figure::Fte(_) | Figure::Manual(_) => false,
        }
    }

    /// The measure's value as shown.
    pub fn value(self, m: &Measure) -> Shown {
        if self.hides_measure(m) {
            return Shown::Suppressed;
        }
        match (&m.figure, m.value()) {
            (Figure::Count(n), _) => Shown::Int(*n),
            (Figure::Manual(Some(ManualValue::Text(t))), _) => Shown::Text(t.clone()),
            (_, Some(x)) => Shown::Num(x),
            (_, None) => Shown::Null,
        }
    }

    /// Numerator and denominator as shown (null for plain counts, FTE and manual figures).
    pub fn parts(self, m: &Measure) -> (Shown, Shown) {
        match m.ratio() {
            None => (Shown::Null, Shown::Null),
            Some(_) if self.hides_measure(m) => (Shown::Suppressed, Shown::Suppressed),
            Some((num, den)) => (Shown::Int(num), Shown::Int(den)),
        }
    }
}

/// Whether a unit is shown as a percentage.
pub fn is_percent(m: &Measure) -> bool {
    m.unit == Unit::Percent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(n: i64) -> Measure {
        Measure { id: "x".into(), label: "x".into(), unit: Unit::Count, figure: Figure::Count(n) }
    }

    fn pct(num: i64, den: i64) -> Measure {
        Measure { id: "p".into(), label: "p".into(), unit: Unit::Percent, figure: Figure::Ratio { num, den } }
    }

    #[test]
    fn small_counts_are_suppressed_but_zero_is_not() {
        let s = Suppression { below: Some(5) };
        assert_eq!(s.value(&count(0)), Shown::Int(0));
        assert_eq!(s.value(&count(1)), Shown::Suppressed);
        assert_eq!(s.value(&count(4)), Shown::Suppressed);
        assert_eq!(s.value(&count(5)), Shown::Int(5));
        assert_eq!(Suppression::default().value(&count(1)), Shown::Int(1));
    }

    #[test]
    fn percentages_built_on_small_counts_are_suppressed_whole() {
        let s = Suppression { below: Some(5) };
        assert_eq!(s.value(&pct(3, 40)), Shown::Suppressed);
        assert_eq!(s.parts(&pct(3, 40)), (Shown::Suppressed, Shown::Suppressed));
        assert_eq!(s.value(&pct(30, 4)), Shown::Suppressed);
        assert_eq!(s.value(&pct(30, 40)), Shown::Num(75.0));
        assert_eq!(s.value(&pct(0, 40)), Shown::Num(0.0));
        assert_eq!(s.value(&pct(0, 0)), Shown::Null);
    }
}
