//! What a published copy of the county's figures hides (`--suppress-below N`): small counts of
//! the county and of each district, what is built on them, and the cells that keep them from
//! being worked out or narrowed, over the whole copy at once (`export::suppress`).

use super::read::Given;
use super::write::Hides;
use super::{Combine, County, CountyFigure, CountyMeasure};
use crate::domain::{Period, Scope, Term};
use crate::export::Suppression;
use crate::export::figures::Shown;
use crate::export::suppress::{Plan, Unprotectable};
use crate::kpi::catalogue::family::REFERRALS_BY_NEED;
use crate::kpi::catalogue::{Figure, Measure, Unit};
use crate::kpi::report::{Line, Return};
use std::collections::HashSet;

/// The cells hidden: (measure, district or `None` for the county, column), at `below`.
#[derive(Debug, Default)]
pub struct Hidden {
    cells: HashSet<(usize, Option<usize>, usize)>,
    below: Option<u32>,
}

impl Hides for Hidden {
    fn hides(&self, measure: usize, district: Option<usize>, column: usize) -> bool {
        self.cells.contains(&(measure, district, column))
    }

    fn below(&self) -> Option<u32> {
        self.below
    }
}

/// A figure as a return would hold it, for the suppression plan: counts and ratios only.
fn figure(m: &CountyMeasure, value: Option<f64>, num: Option<f64>, den: Option<f64>) -> Figure {
    match (m.combine, m.unit.as_str()) {
        (Combine::Sum, "count") => value.map_or(Figure::Manual(None), |v| Figure::Count(v as i64)),
        (Combine::Pool, _) => match (num, den) {
            (Some(n), Some(d)) if d.fract() == 0.0 => Figure::Ratio { num: n as i64, den: d as i64 },
            (Some(n), Some(d)) => Figure::PerFte { num: n as i64, fte: d },
            _ => Figure::Manual(None),
        },
        _ => Figure::Manual(None),
    }
}

fn measure(m: &CountyMeasure, f: Figure) -> Measure {
    let unit = match m.unit.as_str() {
        "percent" => Unit::Percent,
        "average" => Unit::Average,
        _ => Unit::Count,
    };
    Measure { id: m.id.clone(), label: m.label.clone(), unit, figure: f, note: None, not_collected: false }
}

/// The seven columns of a measure (T1..T6, year) as a return's line.
fn line(m: &CountyMeasure, columns: [Figure; 7]) -> Line {
    let [t1, t2, t3, t4, t5, t6, year] = columns;
    Line {
        section: m.section.clone(),
        measure: measure(m, year),
        terms: Some([t1, t2, t3, t4, t5, t6].into_iter().map(|f| Some(measure(m, f))).collect()),
    }
}

/// A column set (the county's, or a district's) as a return, so that it can be planned as one.
fn as_return(county: &County, lines: Vec<Line>) -> Return {
    let year = county.year;
    let by_need =
        lines.iter().filter(|l| REFERRALS_BY_NEED.holds(&l.measure.id)).map(|l| l.measure.clone()).collect();
    Return {
        district: String::new(),
        year,
        span: Scope::Year,
        period: Period::year(year),
        provisional: county.provisional,
        framework_id: county.framework.clone(),
        framework_title: String::new(),
        generated_at: String::new(),
        lines,
        by_need,
    }
}

/// The cells a column set's plan hides.
fn mark(r: &Return, plan: &Plan, who: Option<usize>, out: &mut Hidden) {
    for (i, l) in r.lines.iter().enumerate() {
        if plan.value(&l.measure, None) == Shown::Suppressed {
            out.cells.insert((i, who, 6));
        }
        for (c, (t, m)) in Term::ALL.iter().zip(l.terms.iter().flatten()).enumerate() {
            if m.as_ref().is_some_and(|m| plan.value(m, Some(*t)) == Shown::Suppressed) {
                out.cells.insert((i, who, c));
            }
        }
    }
}

impl Hidden {
    /// What to hide at `below` (nothing without it): the county's cells and every district's,
    /// with each district's relations and the county's totals as sums of the districts', are
    /// protected as one publication (`export::suppress`).
    pub fn of(county: &County, below: Option<u32>) -> Result<Hidden, Unprotectable> {
        let mut out = Hidden { below, ..Hidden::default() };
        let Some(below) = below else { return Ok(out) };
        let county_lines = county
            .measures
            .iter()
            .map(|m| {
                line(
                    m,
                    m.county.clone().map(|f: CountyFigure| figure(m, f.value, f.numerator, f.denominator)),
                )
            })
            .collect();
        let whole = as_return(county, county_lines);
        let parts: Vec<Return> = (0..county.districts.len())
            .map(|d| {
                let lines = county
                    .measures
                    .iter()
                    .map(|m| {
                        let given: [Given; 7] = m.districts[d].clone().unwrap_or_default();
                        line(
                            m,
                            given.map(|g| {
                                if g.not_collected {
                                    Figure::Manual(None)
                                } else {
                                    figure(m, g.value, g.numerator, g.denominator)
                                }
                            }),
                        )
                    })
                    .collect();
                as_return(county, lines)
            })
            .collect();
        let s = Suppression { below: Some(below) };
        let (plan, plans) = Plan::for_whole_and_parts(&whole, &parts, &county.districts, s)?;
        mark(&whole, &plan, None, &mut out);
        for (d, (r, plan)) in parts.iter().zip(&plans).enumerate() {
            mark(r, plan, Some(d), &mut out);
        }
        Ok(out)
    }
}
