//! A return: the framework's measures for a term, or for several terms (a monitoring period, the
//! whole year) with each term's figures beside.

use super::calendar::term_starts;
use super::catalogue::family::REFERRALS_BY_NEED;
use super::catalogue::{Figure, Measure, Unit, measures};
use super::framework::{Framework, Section};
use crate::domain::manual::{ManualUnit, manual_kind};
use crate::domain::{AcademicYear, Date, ManualMeasure, ManualValue, MeasureNote, Period, Scope};
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

impl Return {
    /// The return's figure of a measure: its line, or a cell of the need table (`None` for a
    /// measure the framework does not list, and for a need cell that is zero).
    pub fn get(&self, id: &str) -> Option<&Measure> {
        self.line(id).map(|l| &l.measure).or_else(|| self.by_need.iter().find(|m| m.id == id))
    }

    /// The return's line of a measure.
    pub fn line(&self, id: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.measure.id == id)
    }

    /// The framework as people read it: its title, with its id after only when the title does
    /// not say it already ("... (2023-24 framework)", not "... (2023-24 framework) (2023-24)").
    pub fn framework_name(&self) -> String {
        if self.framework_title.contains(&self.framework_id) {
            self.framework_title.clone()
        } else {
            format!("{} ({})", self.framework_title, self.framework_id)
        }
    }
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
    // What the team recorded for each term of the period: manual figures, notes.
    let span_terms = request.span.terms();
    let mut recorded = Vec::with_capacity(span_terms.len());
    for term in &span_terms {
        recorded.push(Recorded {
            manual: reader.manual_measures(request.year, *term)?,
            notes: reader.measure_notes(request.year, *term)?,
        });
    }
    let mut manual_ids: Vec<String> = Vec::new();
    for id in recorded.iter().flat_map(|r| r.manual.iter().map(|m| &m.id)) {
        if !manual_ids.contains(id) {
            manual_ids.push(id.clone());
        }
    }
    let (lines, by_need) = match request.span.term() {
        Some(_) => {
            let counts = counts_of(&[dates(&period)])?;
            let figures = counts.first().map(measures).unwrap_or_default();
            let term = &recorded[0];
            let lines = lay_out(request.framework, &figures, |id| term.manual_figure(id), &manual_ids)
                .into_iter()
                .map(|(section, mut measure)| {
                    term.annotate(&mut measure);
                    Line { section, measure, terms: None }
                })
                .collect();
            (lines, by_need_of(&figures))
        }
        None => {
            // The terms begun so far, each to date; the whole period first: it takes longest, so
            // the other core starts on a term meanwhile.
            let begun: Vec<Option<Period>> =
                span_terms.iter().map(|t| starts.period(*t).so_far(request.today)).collect();
            let mut periods = vec![dates(&period)];
            periods.extend(begun.iter().flatten().map(dates));
            let counts = counts_of(&periods)?;
            let mut all = counts.iter().map(measures);
            let figures = all.next().unwrap_or_default();
            let term_figures: Vec<Option<Vec<Measure>>> =
                begun.iter().map(|p| p.as_ref().and_then(|_| all.next())).collect();
            let whole = |id: &str| manual_over_terms(id, &recorded, &term_figures);
            let lines = lay_out(request.framework, &figures, whole, &manual_ids)
                .into_iter()
                .map(|(section, mut measure)| {
                    let terms: Vec<Option<Measure>> = term_figures
                        .iter()
                        .zip(&recorded)
                        .map(|(figures, term)| {
                            let figures = figures.as_ref()?;
                            let mut m = match measure.figure {
                                Figure::Manual(_) => {
                                    Measure { figure: term.manual_figure(&measure.id), ..measure.clone() }
                                }
                                _ => figures.iter().find(|m| m.id == measure.id).cloned().unwrap_or_else(
                                    || Measure { figure: Figure::Count(0), ..measure.clone() },
                                ),
                            };
                            term.annotate(&mut m);
                            Some(m)
                        })
                        .collect();
                    annotate_over_terms(&mut measure, &terms, &span_terms);
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

/// What the team recorded for one term.
struct Recorded {
    manual: Vec<ManualMeasure>,
    notes: Vec<MeasureNote>,
}

impl Recorded {
    fn manual_figure(&self, id: &str) -> Figure {
        Figure::Manual(self.manual.iter().find(|m| m.id == id).map(|m| m.value.clone()))
    }

    /// The term's figure as it counts towards a longer period: none when the team marked it not
    /// collected (a value typed before the mark is not the district's figure).
    fn collected_figure(&self, id: &str) -> Figure {
        if self.notes.iter().any(|n| n.id == id && n.not_collected) {
            return Figure::Manual(None);
        }
        self.manual_figure(id)
    }

    /// Puts the term's note and "not collected" mark on its figure.
    fn annotate(&self, m: &mut Measure) {
        if let Some(n) = self.notes.iter().find(|n| n.id == m.id) {
            m.note = n.note.clone();
            m.not_collected = n.not_collected;
        }
    }
}

/// A manual figure over several terms: counts and money add up, an FTE (and a figure for the
/// year) is the last term's, a percentage or a text has no value for the whole period.
fn manual_over_terms(id: &str, recorded: &[Recorded], begun: &[Option<Vec<Measure>>]) -> Figure {
    let Some(kind) = manual_kind(id) else { return Figure::Manual(None) };
    let values = recorded.iter().zip(begun).filter(|(_, b)| b.is_some()).map(|(r, _)| r.collected_figure(id));
    let number = |f: Figure| match f {
        Figure::Manual(Some(ManualValue::Number(x))) => Some(x),
        _ => None,
    };
    let last = || recorded.last().map_or(Figure::Manual(None), |r| r.collected_figure(id));
    match kind.unit {
        _ if kind.yearly => last(),
        ManualUnit::Fte => last(),
        ManualUnit::Count | ManualUnit::Money => {
            let numbers: Vec<f64> = values.filter_map(number).collect();
            let sum = (!numbers.is_empty()).then(|| (numbers.iter().sum::<f64>() * 100.0).round() / 100.0);
            Figure::Manual(sum.map(ManualValue::Number))
        }
        ManualUnit::Percent | ManualUnit::Text => Figure::Manual(None),
    }
}

/// The whole period's note: each term's, named; not collected when no term begun was.
fn annotate_over_terms(m: &mut Measure, terms: &[Option<Measure>], names: &[crate::domain::Term]) {
    let begun: Vec<(&crate::domain::Term, &Measure)> =
        names.iter().zip(terms).filter_map(|(t, m)| m.as_ref().map(|m| (t, m))).collect();
    let missing: Vec<String> =
        begun.iter().filter(|(_, m)| m.not_collected).map(|(t, _)| t.to_string()).collect();
    m.not_collected = !begun.is_empty() && missing.len() == begun.len();
    let mut lines: Vec<String> = Vec::new();
    if !missing.is_empty() && !m.not_collected {
        lines.push(format!("Not collected in {}.", missing.join(" and ")));
    }
    lines.extend(begun.iter().filter_map(|(t, m)| m.note.as_ref().map(|n| format!("{t}: {n}"))));
    m.note = (!lines.is_empty()).then(|| lines.join("\n"));
}

fn by_need_of(figures: &[Measure]) -> Vec<Measure> {
    figures.iter().filter(|m| REFERRALS_BY_NEED.holds(&m.id)).cloned().collect()
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
        let listed = section.manual.iter();
        let if_recorded = section.if_recorded.iter().filter(|id| recorded_manual.contains(id));
        let recorded = recorded_manual.iter().filter(|_| section.all_manual);
        for id in listed.chain(if_recorded).chain(recorded) {
            if seen.insert(id.clone()) {
                let label = manual_kind(id).map_or_else(|| id.clone(), |k| k.label.to_string());
                out.push((
                    section.title.clone(),
                    Measure {
                        id: id.clone(),
                        label,
                        unit: Unit::of_manual(id),
                        figure: manual(id),
                        note: None,
                        not_collected: false,
                    },
                ));
            }
        }
    }
    out
}
