//! A return: the framework's measures for a term, or for several terms (a monitoring period, the
//! whole year) with each term's figures beside.

use super::calendar::term_starts;
use super::catalogue::{Figure, Measure, Unit, measures};
use super::framework::{Framework, Section};
use crate::domain::{AcademicYear, Date, ManualMeasure, Period, Scope};
use crate::store::{PeriodCounts, PeriodDates, Reader, Snapshot, StoreError};

/// One line of a return.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub section: String,
    /// The figure for the return's period (for a year, the whole year's figure).
    pub measure: Measure,
    /// For a return of several terms (a monitoring period, the year): each term's figure, in
    /// order; `None` for a term that has not started ("not yet": no figures, never a copy of
    /// today's state).
    pub terms: Option<Vec<Option<Measure>>>,
}

/// Why a return could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The period asked for has not started on the day the return is made.
    #[error("{label} starts on {start}; there are no figures for it yet")]
    NotStarted { label: String, start: Date },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A termly or yearly return, ready to be written in any format.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    pub district: String,
    pub year: AcademicYear,
    /// A term, a monitoring period (two terms) or the whole year.
    pub span: Scope,
    /// The period computed: for one in progress, up to the day the return was made.
    pub period: Period,
    /// The period was still in progress: its figures are "to date".
    pub provisional: bool,
    pub framework_id: String,
    pub framework_title: String,
    pub generated_at: String,
    pub lines: Vec<Line>,
    /// The referrals-by-need cells of the period (whatever the framework lists), for the table.
    pub by_need: Vec<Measure>,
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct Request<'f> {
    pub year: AcademicYear,
    pub span: Scope,
    pub framework: &'f Framework,
    /// When the return is made (RFC 3339), passed in so output can be reproduced.
    pub generated_at: String,
    /// The day it is made: a period that has not started is refused, one in progress is cut here.
    pub today: Date,
}

/// Builds a return from the store, one period after another. Use a snapshot reader so every
/// figure sees the same moment.
pub fn build(reader: Reader<'_>, request: &Request<'_>) -> Result<Return, ReportError> {
    build_with(reader, request, &|periods| periods.iter().map(|p| reader.period_counts(*p)).collect())
}

/// Builds a return from a snapshot; a year's seven periods are shared between two cores.
pub fn build_from(snapshot: &Snapshot<'_>, request: &Request<'_>) -> Result<Return, ReportError> {
    build_with(snapshot.reader(), request, &|periods| snapshot.period_counts_of(periods))
}

/// The counts of each period, in order.
type CountsOf<'a> = dyn Fn(&[PeriodDates]) -> Result<Vec<PeriodCounts>, StoreError> + 'a;

fn build_with(
    reader: Reader<'_>,
    request: &Request<'_>,
    counts_of: &CountsOf<'_>,
) -> Result<Return, ReportError> {
    let starts = term_starts(reader, request.year)?;
    let asked = request.span.period(&starts);
    let period = asked
        .so_far(request.today)
        .ok_or_else(|| ReportError::NotStarted { label: asked.label.clone(), start: asked.start })?;
    let provisional = period.end < asked.end;
    let dates = |p: &Period| PeriodDates::of(p, request.year);
    let district = reader.district_name()?.unwrap_or_default();
    let (lines, by_need) = match request.span.term() {
        Some(term) => {
            let counts = counts_of(&[dates(&period)])?;
            let figures = counts.first().map(measures).unwrap_or_default();
            let manual = reader.manual_measures(request.year, term)?;
            let lines =
                lay_out(request.framework, &figures, |id| manual_figure(&manual, id), &manual_ids(&manual))
                    .into_iter()
                    .map(|(section, measure)| Line { section, measure, terms: None })
                    .collect();
            (lines, by_need_of(&figures))
        }
        None => {
            // The terms begun so far, each to date; the whole period first: it takes longest, so
            // the other core starts on a term meanwhile.
            let span_terms = request.span.terms();
            let begun: Vec<Option<Period>> =
                span_terms.iter().map(|t| starts.period(*t).so_far(request.today)).collect();
            let mut periods = vec![dates(&period)];
            periods.extend(begun.iter().flatten().map(dates));
            let counts = counts_of(&periods)?;
            let mut all = counts.iter().map(measures);
            let figures = all.next().unwrap_or_default();
            let term_figures: Vec<Option<Vec<Measure>>> =
                begun.iter().map(|p| p.as_ref().and_then(|_| all.next())).collect();
            let mut term_manual = Vec::with_capacity(span_terms.len());
            for term in &span_terms {
                term_manual.push(reader.manual_measures(request.year, *term)?);
            }
            let mut all_manual: Vec<String> = term_manual.iter().flat_map(|m| manual_ids(m)).collect();
            all_manual.dedup();
            // A manual figure is typed per term and has no value for the whole period.
            let year_lines = lay_out(request.framework, &figures, |_| Figure::Manual(None), &all_manual);
            let lines = year_lines
                .into_iter()
                .map(|(section, measure)| {
                    let terms = term_figures
                        .iter()
                        .zip(&term_manual)
                        .map(|(figures, manual)| {
                            let figures = figures.as_ref()?;
                            Some(match measure.unit {
                                Unit::Manual => {
                                    Measure { figure: manual_figure(manual, &measure.id), ..measure.clone() }
                                }
                                _ => figures.iter().find(|m| m.id == measure.id).cloned().unwrap_or_else(
                                    || Measure { figure: Figure::Count(0), ..measure.clone() },
                                ),
                            })
                        })
                        .collect();
                    Line { section, measure, terms: Some(terms) }
                })
                .collect();
            (lines, by_need_of(&figures))
        }
    };
    Ok(Return {
        district,
        year: request.year,
        span: request.span,
        period,
        provisional,
        framework_id: request.framework.id.clone(),
        framework_title: request.framework.title.clone(),
        generated_at: request.generated_at.clone(),
        lines,
        by_need,
    })
}

fn manual_ids(manual: &[ManualMeasure]) -> Vec<String> {
    manual.iter().map(|m| m.id.clone()).collect()
}

fn manual_figure(manual: &[ManualMeasure], id: &str) -> Figure {
    Figure::Manual(manual.iter().find(|m| m.id == id).map(|m| m.value.clone()))
}

fn by_need_of(figures: &[Measure]) -> Vec<Measure> {
    figures.iter().filter(|m| m.id.starts_with("referrals_by_need.")).cloned().collect()
}

/// The framework's sections filled from the catalogue's figures, each measure once, in order.
fn lay_out(
    framework: &Framework,
    figures: &[Measure],
    manual: impl Fn(&str) -> Figure,
    recorded_manual: &[String],
) -> Vec<(String, Measure)> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for section in &framework.sections {
        for entry in &section.measures {
            for m in figures.iter().filter(|m| Section::entry_matches(entry, &m.id)) {
                if seen.insert(m.id.clone()) {
                    out.push((section.title.clone(), m.clone()));
                }
            }
        }
        let listed = section.manual.iter().map(|d| (d.id.clone(), d.label.clone()));
        let recorded =
            recorded_manual.iter().filter(|_| section.all_manual).map(|id| (id.clone(), id.clone()));
        for (id, label) in listed.chain(recorded) {
            if seen.insert(id.clone()) {
                let figure = manual(&id);
                out.push((section.title.clone(), Measure { id, label, unit: Unit::Manual, figure }));
            }
        }
    }
    out
}
