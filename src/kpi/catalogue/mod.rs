//! The measure catalogue: every measure the program computes, each defined once (`entries`): its
//! id, label, unit, definition in plain words, how it behaves over several terms, and how it is
//! computed from one period's aggregates (the store's `PeriodCounts`). Exports, the screens, the
//! suppression of small counts and `docs/measures.md` all read it from here.
//!
//! Adding a measure: one call in `entries.rs` (`l.count`, `l.ratio`, `l.fte`) with its id, label,
//! definition and computation; list it in a framework (`assets/frameworks/`) to put it in a
//! return; a family of ids made from codes gets a [`family::Family`] so other modules can know
//! its members; then `CASELOAD_WRITE_DOCS=1 cargo test --lib docs_measures` rewrites
//! `docs/measures.md`. Screens, packs and charts name measures by id and take labels from here
//! ([`label`], [`require`], `Return::get`); a test of each list fails on an id not defined here.

pub mod doc;
mod entries;
pub mod family;

use crate::domain::ManualValue;
use crate::domain::manual::ManualUnit;
use crate::store::PeriodCounts;
use std::collections::HashMap;
use std::sync::OnceLock;

pub use entries::Tally;

/// How a measure is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Percent,
    Average,
    Fte,
    /// Pounds (a manual figure).
    Money,
    /// A text (a manual figure: a narrative, a comment).
    Text,
    /// A manual figure under an id no framework defines: a number or a text, as typed.
    Manual,
}

impl Unit {
    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Average => "average",
            Unit::Fte => "fte",
            Unit::Money => "money",
            Unit::Text => "text",
            Unit::Manual => "manual",
        }
    }

    /// The unit of a manual figure.
    pub fn of_manual(id: &str) -> Unit {
        match crate::domain::manual::manual_kind(id).map(|k| k.unit) {
            Some(ManualUnit::Count) => Unit::Count,
            Some(ManualUnit::Percent) => Unit::Percent,
            Some(ManualUnit::Money) => Unit::Money,
            Some(ManualUnit::Fte) => Unit::Fte,
            Some(ManualUnit::Text) => Unit::Text,
            None => Unit::Manual,
        }
    }
}

/// How a measure of a period of several terms (a monitoring period, the year) relates to its
/// terms' figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverTerms {
    /// Events dated in the period: the period's count is the sum of its terms' counts.
    Sum,
    /// Distinct children, cases or settings over the whole period (one counted once even when
    /// it appears in several terms), or a figure built on such counts.
    Distinct,
    /// A state on the period's last day (staffing) or to it (AET sessions so far).
    AtEnd,
}

impl OverTerms {
    /// In words, for `docs/measures.md`.
    pub fn words(self) -> &'static str {
        match self {
            OverTerms::Sum => "sum of the terms",
            OverTerms::Distinct => "distinct over the period",
            OverTerms::AtEnd => "as at the period's end",
        }
    }
}

/// A measure's figure for one period.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Count(i64),
    /// A percentage or average: numerator over denominator.
    Ratio {
        num: i64,
        den: i64,
    },
    Fte(f64),
    /// An average per full-time teacher: a count over an FTE.
    PerFte {
        num: i64,
        fte: f64,
    },
    /// A manual figure; `None` when the team has not typed one for the period.
    Manual(Option<ManualValue>),
}

/// A measure with its figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: String,
    pub label: String,
    pub unit: Unit,
    pub figure: Figure,
    /// The team's note on the figure for the period (why it looks as it does).
    pub note: Option<String>,
    /// The figure was not collected for the period: it has no value (not a zero).
    pub not_collected: bool,
}

/// A measure's definition in plain words, computed or manual; empty for an id no framework
/// defines.
pub fn definition(id: &str) -> &'static str {
    match def(id) {
        Some(d) => d.definition.as_str(),
        None => crate::domain::manual::manual_kind(id).map_or("", |k| k.definition),
    }
}

/// FTE as published: 2 decimals.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `round(num / den * scale)` to the nearest whole number, halves away from zero, in exact integer
/// arithmetic (floating point would round 0.05 the wrong way now and then).
pub(crate) fn scaled_round(num: i64, den: i64, scale: i64) -> i64 {
    let (n, d) = (i128::from(num) * i128::from(scale), i128::from(den));
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let q = (2 * n.abs() + d) / (2 * d);
    (if n < 0 { -q } else { q }) as i64
}

impl Measure {
    /// The published value: counts whole, percentages and averages to 1 decimal, FTE to 2;
    /// `None` for a zero denominator or a manual figure not typed (or typed as text).
    pub fn value(&self) -> Option<f64> {
        match (&self.figure, self.unit) {
            (Figure::Count(n), _) => Some(*n as f64),
            (Figure::Ratio { den: 0, .. }, _) => None,
            (Figure::Ratio { num, den }, Unit::Percent) => Some(scaled_round(*num, *den, 1000) as f64 / 10.0),
            (Figure::Ratio { num, den }, _) => Some(scaled_round(*num, *den, 10) as f64 / 10.0),
            (Figure::Fte(x), _) => Some(round2(*x)),
            (Figure::PerFte { num, fte }, _) => {
                // Divided by the FTE as published (2 decimals), so the figure can be checked.
                let hundredths = (fte * 100.0).round() as i64;
                (hundredths > 0).then(|| scaled_round(num.saturating_mul(100), hundredths, 10) as f64 / 10.0)
            }
            (Figure::Manual(Some(ManualValue::Number(x))), _) => Some(*x),
            (Figure::Manual(_), _) => None,
        }
    }

    /// Whether the figure is a numerator over a denominator (a percentage or an average).
    pub fn is_ratio(&self) -> bool {
        matches!(self.figure, Figure::Ratio { .. } | Figure::PerFte { .. })
    }

    /// The catalogue's entry for this measure (`None` for a manual figure).
    pub fn def(&self) -> Option<&'static Def> {
        def(&self.id)
    }
}

/// How a figure is computed from one period's aggregates.
pub(crate) enum Compute {
    Count(Box<dyn Fn(&Tally) -> i64 + Send + Sync>),
    /// Numerator and denominator, each a count of the catalogue (by position) or computed.
    Ratio(Part, Part),
    Fte(FteFn),
    /// A count over a full-time equivalent.
    PerFte(Part, FteFn),
}

pub(crate) type FteFn = Box<dyn Fn(&Tally) -> f64 + Send + Sync>;

/// A numerator or denominator.
pub(crate) enum Part {
    /// The figure of an earlier count of the catalogue (so the two can never disagree).
    Measure(usize),
    Count(Box<dyn Fn(&Tally) -> i64 + Send + Sync>),
}

/// One measure of the catalogue.
pub struct Def {
    pub id: String,
    pub label: String,
    pub unit: Unit,
    /// What is counted, in plain words ("the period" is the term, monitoring period or year).
    pub definition: String,
    pub over_terms: OverTerms,
    /// Listed only when not zero (the referrals-by-need cells).
    pub only_when_not_zero: bool,
    pub(crate) compute: Compute,
    /// Where in the source the entry is (for `docs/measures.md`: ids built with `format!` are
    /// not found by searching for them).
    pub defined_at: &'static std::panic::Location<'static>,
}

impl Def {
    /// For a percentage or average: the ids of the catalogue counts that are its numerator and
    /// denominator, where they are measures themselves.
    pub fn parts(&self) -> (Option<&'static str>, Option<&'static str>) {
        let id = |p: &Part| match p {
            Part::Measure(i) => Some(defs()[*i].id.as_str()),
            Part::Count(_) => None,
        };
        match &self.compute {
            Compute::Ratio(num, den) => (id(num), id(den)),
            Compute::PerFte(num, _) => (id(num), None),
            _ => (None, None),
        }
    }
}

/// Every measure of the catalogue, in catalogue order.
pub fn defs() -> &'static [Def] {
    static ALL: OnceLock<Vec<Def>> = OnceLock::new();
    ALL.get_or_init(entries::all)
}

/// The catalogue's entry for an id.
pub fn def(id: &str) -> Option<&'static Def> {
    static INDEX: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| defs().iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect());
    index.get(id).map(|i| &defs()[*i])
}

/// A measure named in code (a chart, a pack, a screen) that the catalogue does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{place} shows the measure \"{id}\", which the measure catalogue (src/kpi/catalogue/entries.rs) \
     does not define: the id is misspelt or the measure was removed"
)]
pub struct UnknownMeasure {
    pub id: String,
    /// Where it is named, in words ("the monitoring pack's charts").
    pub place: &'static str,
}

/// The catalogue's entry for an id that a list in code names; an error naming the list when the
/// catalogue does not define it.
pub fn require(id: &str, place: &'static str) -> Result<&'static Def, UnknownMeasure> {
    def(id).ok_or_else(|| UnknownMeasure { id: id.to_string(), place })
}

/// The catalogue's label of a measure, computed or manual; the id itself when neither knows it.
pub fn label(id: &str) -> String {
    match def(id) {
        Some(d) => d.label.clone(),
        None => {
            crate::domain::manual::manual_kind(id).map_or_else(|| id.to_string(), |k| k.label.to_string())
        }
    }
}

/// Every measure of the catalogue with its figure, in catalogue order. Referrals by need list only
/// their non-zero cells; manual measures are not part of the catalogue (see `report`).
pub fn measures(c: &PeriodCounts) -> Vec<Measure> {
    let tally = Tally::of(c);
    let all = defs();
    let mut counts = vec![0i64; all.len()];
    let mut out = Vec::with_capacity(all.len());
    for (i, d) in all.iter().enumerate() {
        let part = |p: &Part| match p {
            Part::Measure(j) => counts[*j],
            Part::Count(f) => f(&tally),
        };
        let figure = match &d.compute {
            Compute::Count(f) => {
                let n = f(&tally);
                counts[i] = n;
                Figure::Count(n)
            }
            Compute::Ratio(num, den) => Figure::Ratio { num: part(num), den: part(den) },
            Compute::Fte(f) => Figure::Fte(f(&tally)),
            Compute::PerFte(num, fte) => Figure::PerFte { num: part(num), fte: fte(&tally) },
        };
        if d.only_when_not_zero && figure == Figure::Count(0) {
            continue;
        }
        out.push(Measure {
            id: d.id.clone(),
            label: d.label.clone(),
            unit: d.unit,
            figure,
            note: None,
            not_collected: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(unit: Unit, figure: Figure) -> Measure {
        Measure { id: "x".into(), label: "x".into(), unit, figure, note: None, not_collected: false }
    }

    #[test]
    fn percentages_round_half_away_from_zero_exactly() {
        let pct = |num, den| m(Unit::Percent, Figure::Ratio { num, den }).value();
        assert_eq!(pct(2, 3), Some(66.7));
        assert_eq!(pct(1, 3), Some(33.3));
        assert_eq!(pct(1, 8), Some(12.5));
        assert_eq!(pct(1, 16), Some(6.3)); // 6.25 rounds up
        assert_eq!(pct(1, 2000), Some(0.1)); // 0.05 rounds up, where floating point would not
        assert_eq!(pct(3, 3), Some(100.0));
        assert_eq!(pct(0, 5), Some(0.0));
        assert_eq!(pct(0, 0), None);
        assert_eq!(pct(5, 0), None);
    }

    #[test]
    fn averages_and_fte_round() {
        assert_eq!(m(Unit::Average, Figure::Ratio { num: 25, den: 4 }).value(), Some(6.3));
        assert_eq!(m(Unit::Average, Figure::Ratio { num: 7, den: 0 }).value(), None);
        assert_eq!(m(Unit::Fte, Figure::Fte(0.1 + 0.2 + 0.6)).value(), Some(0.9));
        assert_eq!(m(Unit::Fte, Figure::Fte(2.345_000_1)).value(), Some(2.35));
    }

    #[test]
    fn every_entry_is_whole_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for d in defs() {
            assert!(seen.insert(d.id.as_str()), "{} twice", d.id);
            // Notes and county returns accept only ids of this form.
            assert_eq!(crate::domain::manual::measure_id_problem(&d.id), None, "{}", d.id);
            assert!(
                !d.label.is_empty() && d.definition.len() > 20,
                "{} needs a label and a definition",
                d.id
            );
            assert!(d.definition.ends_with('.'), "{}: a definition is a sentence", d.id);
            assert!(
                !d.definition.contains(" P ") && !d.definition.contains(" P."),
                "{}: say \"the period\"",
                d.id
            );
            let ratio = matches!(d.compute, Compute::Ratio(..) | Compute::PerFte(..));
            assert_eq!(ratio, matches!(d.unit, Unit::Percent | Unit::Average), "{}", d.id);
            assert_eq!(def(&d.id).map(|x| &x.id), Some(&d.id));
        }
    }

    #[test]
    fn a_ratio_built_on_a_count_shows_that_count_as_its_numerator_or_denominator() {
        // A district where every aggregate differs, so a part read from the wrong count shows.
        let c = entries::tests::distinct_counts();
        let figures = measures(&c);
        let value = |id: &str| figures.iter().find(|m| m.id == id).map(|m| m.figure.clone());
        let mut checked = 0;
        for d in defs() {
            let (num, den) = d.parts();
            let (n, dn) = match value(&d.id) {
                Some(Figure::Ratio { num, den }) => (num, den),
                Some(Figure::PerFte { num, .. }) => (num, -1),
                _ => continue,
            };
            if let Some(num) = num {
                assert_eq!(value(num), Some(Figure::Count(n)), "{} numerator", d.id);
                checked += 1;
            }
            if let Some(den) = den {
                assert_eq!(value(den), Some(Figure::Count(dn)), "{} denominator", d.id);
                checked += 1;
            }
        }
        assert!(checked >= 10, "only {checked} parts checked");
    }

    #[test]
    fn ids_are_unique_and_every_family_of_the_spec_is_there() {
        let all = measures(&PeriodCounts::default());
        let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
        for id in [
            "settings_supported.post16",
            "settings_supported_pct.early_years",
            "settings_supported.out_of_district",
            "caseload.post16",
            "active.early_years",
            "active_by_area.sensory_physical",
            "cases_open_over_six_months",
            "outreach_cases",
            "lift_settings_attending_pct.secondary",
            "lift_children_discussed_avg.school",
            "lift_professionals.social_care",
            "referral_outcomes.withdrawn",
            "referred_other_agencies",
            "clinic_cases_discussed.early_years",
            "transition_events.school",
            "training_courses.total",
            "training_settings.post16",
            "aet_sessions.completed.school_age",
            "aet_sessions.booked.post16",
            "aet_settings_trained_pct.early_years",
            "visits.cognition_learning",
            "targets_amended_pct",
            "staff_fte.teachers.semh",
            "staff_fte.vacant",
        ] {
            assert!(ids.contains(&id), "{id} missing");
        }
        assert!(!ids.iter().any(|i| i.starts_with("referrals_by_need.")), "zero cells are not listed");
        assert!(def("referrals_by_need.school.semh.none").is_some(), "but the catalogue knows them");
    }
}
