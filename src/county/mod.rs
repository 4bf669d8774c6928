//! The county: the districts' year returns combined into the countywide figures (docs/county.md).
//! Counts and FTE add up over the districts that report them; percentages and averages are pooled
//! (their numerators and denominators added up) with the mean of the districts beside; a figure
//! not collected, null or missing is left out and counted, never taken as zero. The year column is
//! the districts' own year figures combined, never a sum of terms.

pub mod budget;
mod check;
pub mod expect;
pub mod hidden;
pub mod pack;
pub mod read;
pub mod write;
pub mod xlsx;

use crate::domain::manual::{ManualUnit, manual_kind};
use crate::domain::{AcademicYear, Date};
use crate::kpi::catalogue::family::REFERRALS_BY_NEED;
use crate::kpi::catalogue::{self, Figure, Measure, Unit};
use read::{COLUMNS, DistrictReturn, Given};

/// A county figure in one column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountyFigure {
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// Counts, percentages and averages, and manual percentages: the mean of the districts'
    /// values (for counts, the report's "average per district").
    pub mean_of_districts: Option<f64>,
    pub min: Option<(f64, String)>,
    pub max: Option<(f64, String)>,
    /// How many districts report the figure.
    pub reporting: usize,
}

/// How a measure's district figures combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// Counts, FTE, money: the sum.
    Sum,
    /// Percentages and averages computed from records: sum of numerators over sum of denominators.
    Pool,
    /// A manual percentage: the mean of the districts' values.
    Mean,
    /// A text: no county figure; each district's text.
    Text,
}

/// A measure combined.
#[derive(Debug, Clone, PartialEq)]
pub struct CountyMeasure {
    pub id: String,
    pub label: String,
    pub section: String,
    pub unit: String,
    pub definition: String,
    pub combine: Combine,
    /// What a reader should know of the county figure (settings counted by each district).
    pub note: Option<String>,
    /// T1..T6 and the year.
    pub county: [CountyFigure; 7],
    /// Each district's figures, in the order of the districts (`None`: not in its return).
    pub districts: Vec<Option<[Given; 7]>>,
}

/// The districts' returns combined.
#[derive(Debug, Clone, PartialEq)]
pub struct County {
    pub year: AcademicYear,
    pub framework: String,
    pub districts: Vec<String>,
    pub provisional: bool,
    /// The last day the figures cover: the year's end, or the day provisional returns ran to.
    pub end: Date,
    pub generated_at: String,
    pub measures: Vec<CountyMeasure>,
    /// The county's districts, from `--expect` (`None`: the list was not given).
    pub expected: Option<Vec<String>>,
    /// The districts expected that sent no return, in the list's order.
    pub missing: Vec<String>,
    /// Budget lines that do not agree, one a district and check (budget.rs).
    pub warnings: Vec<String>,
}

/// Settings cannot be told apart across districts (returns hold no setting identities).
const SETTING_COUNTS: [&str; 6] = [
    "settings_supported",
    "lift_settings_attending",
    "transition_settings",
    "training_settings",
    "clinic_settings",
    "aet_settings_trained_pct",
];

fn combine_of(id: &str, unit: &str) -> Combine {
    let manual = catalogue::def(id).is_none();
    match unit {
        "percent" if manual => Combine::Mean,
        "percent" | "average" => Combine::Pool,
        "text" => Combine::Text,
        _ if manual && manual_kind(id).is_some_and(|k| k.unit == ManualUnit::Percent) => Combine::Mean,
        _ => Combine::Sum,
    }
}

fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

/// The mean of figures published to one decimal, to one decimal, rounded half away from zero
/// as the return rounds: worked in whole tenths, so that neither the floating-point sum nor the
/// order the districts come in can tip a half the wrong way.
fn mean_of_tenths(values: impl Iterator<Item = f64>) -> Option<f64> {
    let tenths: Vec<i64> = values.map(|v| (v * 10.0).round() as i64).collect();
    let (sum, n) = (tenths.iter().sum::<i64>(), tenths.len() as i64);
    (n > 0).then(|| catalogue::scaled_round(sum, n, 1) as f64 / 10.0)
}

/// One column combined from the districts' figures of it (`None`: not in that return).
fn combine_column(m: &CountyMeasure, figures: &[(&str, Option<&Given>)]) -> CountyFigure {
    let reporting: Vec<(&str, &Given)> = figures
        .iter()
        .filter_map(|(d, g)| g.map(|g| (*d, g)))
        .filter(|(_, g)| g.reported() && (g.value.is_some() || m.combine == Combine::Text))
        .collect();
    let mut out = CountyFigure { reporting: reporting.len(), ..CountyFigure::default() };
    if reporting.is_empty() {
        return out;
    }
    let values: Vec<(f64, &str)> = reporting.iter().filter_map(|(d, g)| g.value.map(|v| (v, *d))).collect();
    let spread = |out: &mut CountyFigure| {
        out.mean_of_districts = mean_of_tenths(values.iter().map(|(v, _)| *v));
        // On a tie the first district in the order given, for the lowest and the highest alike.
        out.min = values.iter().min_by(|a, b| a.0.total_cmp(&b.0)).map(|(v, d)| (*v, d.to_string()));
        out.max = values.iter().rev().max_by(|a, b| a.0.total_cmp(&b.0)).map(|(v, d)| (*v, d.to_string()));
    };
    match m.combine {
        Combine::Sum => {
            let places = if m.unit == "count" { 0 } else { 2 };
            out.value = Some(round(values.iter().map(|(v, _)| v).sum(), places));
            // The county report's "average per district" figures are of counts.
            if m.unit == "count" {
                spread(&mut out);
            }
        }
        Combine::Pool => {
            let num: f64 = reporting.iter().filter_map(|(_, g)| g.numerator).sum();
            let den: f64 = reporting.iter().filter_map(|(_, g)| g.denominator).sum();
            let unit = if m.unit == "percent" { Unit::Percent } else { Unit::Average };
            // Rounded as a district's own figure is: from whole numerators and denominators, or
            // over an FTE (caseload per teacher).
            let figure = if den.fract() == 0.0 {
                Figure::Ratio { num: num as i64, den: den as i64 }
            } else {
                Figure::PerFte { num: num as i64, fte: den }
            };
            let pooled = Measure {
                id: m.id.clone(),
                label: String::new(),
                unit,
                figure,
                note: None,
                not_collected: false,
            };
            out.value = pooled.value();
            out.numerator = Some(num);
            out.denominator = Some(round(den, 2));
            spread(&mut out);
        }
        Combine::Mean => {
            // The figure is the mean itself: not given twice.
            spread(&mut out);
            out.value = out.mean_of_districts.take();
        }
        Combine::Text => {}
    }
    out
}

/// The measures of every return, in the order they come (a measure one district lists and
/// another does not, as a referrals-by-need cell, is put after the one before it).
fn measure_order(returns: &[DistrictReturn]) -> Vec<&read::GivenMeasure> {
    let mut order: Vec<&read::GivenMeasure> = Vec::new();
    for r in returns {
        let mut after: Option<usize> = None;
        for m in &r.measures {
            match order.iter().position(|o| o.id == m.id) {
                Some(i) => after = Some(i),
                None => {
                    let at = after.map_or(0, |i| i + 1);
                    order.insert(at, m);
                    after = Some(at);
                }
            }
        }
    }
    order
}

/// A referrals-by-need cell a district does not list: a return lists only the needs it had
/// referrals for, so it is a true zero, in each term that has figures (a term not started has
/// none: as the district's other counts show).
fn no_referrals(r: &DistrictReturn) -> [Given; 7] {
    let started =
        r.measures.iter().find(|m| m.unit == "count").map(|m| m.columns.clone()).unwrap_or_default();
    started
        .map(|g| Given { value: (g.value.is_some() || g.not_collected).then_some(0.0), ..Given::default() })
}

/// Whether a district sent its referrals-by-need table: it lists a cell of it, or had no
/// referrals in the year (so had none to list). A return missing the whole table otherwise is
/// taken as not reporting it, not as zeros.
fn sends_need_table(r: &DistrictReturn) -> bool {
    let referrals: f64 = r
        .measures
        .iter()
        .filter(|m| m.id.starts_with("referrals.") && m.unit == "count")
        .filter_map(|m| m.columns[6].value)
        .sum();
    referrals == 0.0 || r.measures.iter().any(|m| REFERRALS_BY_NEED.holds(&m.id))
}

/// The districts' returns combined (checked by [`read::read_all`] first).
pub fn combine(returns: &[DistrictReturn], generated_at: &str) -> Option<County> {
    let head = returns.first()?;
    let districts: Vec<String> = returns.iter().map(|r| r.district.clone()).collect();
    let by_id: Vec<std::collections::HashMap<&str, &read::GivenMeasure>> =
        returns.iter().map(|r| r.measures.iter().map(|m| (m.id.as_str(), m)).collect()).collect();
    let measures = measure_order(returns)
        .into_iter()
        .map(|first| {
            let per_district: Vec<Option<[Given; 7]>> = by_id
                .iter()
                .zip(returns)
                .map(|(ms, r)| match ms.get(first.id.as_str()) {
                    Some(m) => Some(m.columns.clone()),
                    None if REFERRALS_BY_NEED.holds(&first.id) && sends_need_table(r) => {
                        Some(no_referrals(r))
                    }
                    None => None,
                })
                .collect();
            let settings = SETTING_COUNTS.iter().any(|p| first.id.starts_with(p));
            let mut m = CountyMeasure {
                id: first.id.clone(),
                label: first.label.clone(),
                section: first.section.clone(),
                unit: first.unit.clone(),
                definition: first.definition.clone(),
                combine: combine_of(&first.id, &first.unit),
                note: settings.then(|| {
                    if first.unit == "percent" {
                        "Pooled from the districts' counts of settings: a setting supported by two districts \
                         is counted by both (returns name no settings)."
                    } else {
                        "The sum of the districts' figures: a setting supported by two districts is counted by \
                         both (returns name no settings)."
                    }
                    .to_string()
                }),
                county: Default::default(),
                districts: per_district,
            };
            for (c, _) in COLUMNS.iter().enumerate() {
                let column: Vec<(&str, Option<&Given>)> = districts
                    .iter()
                    .zip(&m.districts)
                    .map(|(d, figures)| (d.as_str(), figures.as_ref().map(|f| &f[c])))
                    .collect();
                m.county[c] = combine_column(&m, &column);
            }
            m
        })
        .collect();
    let mut county = County {
        year: head.year,
        framework: head.framework.clone(),
        districts,
        provisional: returns.iter().any(|r| r.provisional),
        // The returns end on one day (read_all).
        end: head.end,
        generated_at: generated_at.to_string(),
        measures,
        expected: None,
        missing: Vec::new(),
        warnings: Vec::new(),
    };
    county.warnings = budget::warnings(&county);
    Some(county)
}

impl CountyMeasure {
    /// A district's notes on the measure, as one text for its row: each term's note named by
    /// its term, and what the year's note adds (its "not collected in" line); a note beside a
    /// cell `shown` says is hidden is left out, as it may speak of the hidden figure.
    pub fn district_note(&self, district: usize, shown: impl Fn(usize) -> bool) -> Option<String> {
        let columns = self.districts[district].as_ref()?;
        let mut lines: Vec<String> = Vec::new();
        for (c, g) in columns.iter().enumerate().take(6) {
            if let Some(note) = g.note.as_ref().filter(|_| shown(c)) {
                lines.push(format!("{}: {note}", COLUMNS[c]));
            }
        }
        if let Some(year) = columns[6].note.as_ref().filter(|_| shown(6)) {
            // The year's note repeats each term's under its name; those are kept once.
            let terms: Vec<String> = columns
                .iter()
                .take(6)
                .enumerate()
                .filter_map(|(c, g)| g.note.as_ref().map(|n| format!("{}: {n}", COLUMNS[c])))
                .collect();
            let rest = terms.iter().fold(year.clone(), |rest, t| rest.replacen(t.as_str(), "", 1));
            lines.extend(rest.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string));
        }
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// Whether any district has a note on the measure.
    pub fn has_district_notes(&self) -> bool {
        self.districts.iter().flatten().flatten().any(|g| g.note.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::read::GivenMeasure;
    use super::*;

    /// A district's return of the given measures, each the same figure in every column.
    fn district(name: &str, measures: &[(&str, &str, Given)]) -> DistrictReturn {
        DistrictReturn {
            file: format!("{name}.json").into(),
            district: name.to_string(),
            year: "2025-26".parse().unwrap(),
            framework: "all".into(),
            provisional: false,
            end: crate::domain::Date::parse_iso("2026-08-31").unwrap(),
            measures: measures
                .iter()
                .map(|(id, unit, g)| GivenMeasure {
                    id: id.to_string(),
                    label: id.to_string(),
                    section: "S".into(),
                    unit: unit.to_string(),
                    definition: String::new(),
                    columns: std::array::from_fn(|_| g.clone()),
                })
                .collect(),
        }
    }

    fn value(v: f64) -> Given {
        Given { value: Some(v), ..Given::default() }
    }

    fn ratio(v: f64, n: f64, d: f64) -> Given {
        Given { value: Some(v), numerator: Some(n), denominator: Some(d), ..Given::default() }
    }

    fn year_of<'a>(c: &'a County, id: &str) -> &'a CountyFigure {
        &c.measures.iter().find(|m| m.id == id).unwrap().county[6]
    }

    #[test]
    fn the_mean_of_districts_rounds_a_half_up_whatever_their_order() {
        // 80.1 and 80.0: 80.05 exactly, which a floating-point mean can put either side.
        let [a, b] = [("A", 80.1, 801.0), ("B", 80.0, 80.0)].map(|(n, v, num)| {
            district(n, &[("targets_reviewed_pct", "percent", ratio(v, num, num * 100.0 / v))])
        });
        for returns in [vec![a.clone(), b.clone()], vec![b, a]] {
            let c = combine(&returns, "now").unwrap();
            assert_eq!(year_of(&c, "targets_reviewed_pct").mean_of_districts, Some(80.1));
        }
        assert_eq!(mean_of_tenths([69.4, 69.5].into_iter()), Some(69.5));
        assert_eq!(mean_of_tenths([81.2, 81.1].into_iter()), Some(81.2));
        assert_eq!(mean_of_tenths(std::iter::empty()), None);
    }

    #[test]
    fn a_districts_notes_are_named_by_term_once_and_not_beside_a_hidden_cell() {
        let noted = |note: &str| Given { value: Some(3.0), note: Some(note.into()), ..Given::default() };
        let mut columns: [Given; 7] = std::array::from_fn(|_| value(3.0));
        columns[1] = noted("Two schools\nmerged.");
        columns[4] = noted("A new chair.");
        columns[6] = noted("Not collected in T4.\nT2: Two schools\nmerged.\nT5: A new chair.");
        let mut returns = vec![district("A", &[("referrals.primary", "count", value(1.0))])];
        returns[0].measures[0].columns = columns;
        let c = combine(&returns, "now").unwrap();
        let m = &c.measures[0];
        assert!(m.has_district_notes());
        assert_eq!(
            m.district_note(0, |_| true).as_deref(),
            Some("T2: Two schools\nmerged.\nT5: A new chair.\nNot collected in T4.")
        );
        // T5 hidden: its note is not shown, in its term nor through the year's.
        assert_eq!(
            m.district_note(0, |c| c != 4).as_deref(),
            Some("T2: Two schools\nmerged.\nNot collected in T4.")
        );
        assert_eq!(m.district_note(0, |c| c == 4).as_deref(), Some("T5: A new chair."));
    }

    #[test]
    fn the_list_of_districts_names_who_sent_nothing_and_refuses_a_stranger() {
        let returns: Vec<DistrictReturn> = ["Ashford", "Dover"]
            .iter()
            .map(|n| district(n, &[("cases_opened", "count", value(2.0))]))
            .collect();
        let with = |list: &[&str]| {
            let mut c = combine(&returns, "now").unwrap();
            expect::apply(&mut c, &returns, list.iter().map(|s| s.to_string()).collect()).map(|()| c)
        };
        let none = combine(&returns, "now").unwrap();
        assert!(none.coverage().contains("2 districts; the county's list of districts was not given"));
        assert_eq!(none.out_of(), 2);
        let all = with(&["dover", "Ashford"]).unwrap();
        assert_eq!(all.coverage(), "Returns from all 2 of the county's districts.");
        let short = with(&["Ashford", "Canterbury", "Dover", "Thanet"]).unwrap();
        assert_eq!(short.missing, ["Canterbury", "Thanet"]);
        assert_eq!(short.out_of(), 4);
        assert!(
            short
                .coverage()
                .starts_with("Returns from 2 of 4 districts: no return from Canterbury and Thanet")
        );
        // The figures are the two returns', whoever is missing.
        assert_eq!(year_of(&short, "cases_opened").value, Some(4.0));
        assert!(matches!(with(&["Ashford", "Deal"]), Err(read::CountyError::NotExpected(..))));
    }

    #[test]
    fn ties_go_to_the_first_district_given_for_lowest_and_highest() {
        let returns: Vec<DistrictReturn> = ["A", "B", "C"]
            .iter()
            .map(|n| district(n, &[("targets_reviewed_pct", "percent", ratio(50.0, 1.0, 2.0))]))
            .collect();
        let f = year_of(&combine(&returns, "now").unwrap(), "targets_reviewed_pct").clone();
        assert_eq!(f.min.map(|m| m.1), Some("A".to_string()));
        assert_eq!(f.max.map(|m| m.1), Some("A".to_string()));
    }

    #[test]
    fn a_manual_percentage_is_the_mean_given_once_and_texts_count_as_reporting() {
        let text = Given { text: Some("A busy term.".into()), ..Given::default() };
        let returns = vec![
            district(
                "A",
                &[
                    ("survey.settings_satisfied_pct", "percent", value(90.0)),
                    ("narrative.staffing", "text", text),
                ],
            ),
            district("B", &[("survey.settings_satisfied_pct", "percent", value(81.0))]),
        ];
        let c = combine(&returns, "now").unwrap();
        let survey = year_of(&c, "survey.settings_satisfied_pct");
        assert_eq!((survey.value, survey.mean_of_districts), (Some(85.5), None));
        assert_eq!(survey.min.as_ref().map(|m| m.0), Some(81.0));
        let narrative = year_of(&c, "narrative.staffing");
        assert_eq!((narrative.value, narrative.reporting), (None, 1));
    }

    #[test]
    fn a_need_a_district_does_not_list_is_its_zero_only_when_it_sent_the_table() {
        let need = "referrals_by_need.school.semh.SEMH";
        let other = "referrals_by_need.school.semh.ADHD";
        let returns = vec![
            district("A", &[("referrals.primary", "count", value(9.0)), (need, "count", value(4.0))]),
            // Sent the table, without this need: a zero.
            district("B", &[("referrals.primary", "count", value(3.0)), (other, "count", value(3.0))]),
            // No table at all though it had referrals: not reporting.
            district("C", &[("referrals.primary", "count", value(5.0))]),
            // No referrals, so no table to send: zeros.
            district("D", &[("referrals.primary", "count", value(0.0))]),
        ];
        let f = year_of(&combine(&returns, "now").unwrap(), need).clone();
        assert_eq!((f.value, f.reporting), (Some(4.0), 3));
    }
}
