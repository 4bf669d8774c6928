//! The Returns screen's forms: export a return to a folder, type the manual figures of a term,
//! correct a year's term dates.

use super::records::{Lists, Problems};
use crate::domain::*;
use crate::export::{ExportError, Format, Suppression, make};
use crate::files::open_output;
use crate::kpi::framework;
use crate::kpi::report::Request;
use crate::store::{Op, Store};
use crate::tui::form::{Choice, Field, Form};
use std::io::Write;
use std::path::PathBuf;

/// Which return to export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportTarget {
    pub year: AcademicYear,
    pub span: Scope,
    pub framework: String,
}

/// The user's documents folder, else the home folder, else the current one.
pub fn default_folder() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(PathBuf::from).or_else(|| Some(u.home_dir().to_path_buf())))
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn export_form(target: &ExportTarget, today: Date) -> Form {
    let formats = vec![
        Choice::new("xlsx", "XLSX workbook (for commissioners)"),
        Choice::new("csv", "CSV (one row per measure)"),
        Choice::new("json", "JSON (for other programs)"),
    ];
    let fields = vec![
        Field::choice("format", "Format", formats).with("xlsx"),
        Field::text("folder", "Folder").with(&default_folder().display().to_string()),
        Field::count("suppress_below", "Hide counts below").optional(),
    ];
    let mut form = Form::new("Export the return", today, fields);
    let period = match target.span {
        Scope::Year => format!("{} (whole year)", target.year),
        span => format!("{} {}", target.year, span.short()),
    };
    form.note = Some(format!(
        "{period}, framework {}. Leave \"hide counts below\" empty for the team's copy; 5 for a published one.",
        target.framework
    ));
    form
}

/// Writes the return where the form says; the path written, or the problems to show.
pub fn export(form: &Form, target: &ExportTarget, store: &mut Store) -> Result<PathBuf, Problems> {
    let format = form
        .picked("format")
        .as_deref()
        .and_then(Format::parse)
        .ok_or_else(|| problem("format", "choose one"))?;
    let folder = PathBuf::from(form.text("folder"));
    if !folder.is_dir() {
        return Err(problem("folder", "there is no such folder"));
    }
    let below = form.count("suppress_below").map(|n| n.clamp(0, i64::from(u32::MAX)) as u32);
    let framework = framework::find(&target.framework).ok_or_else(|| problem("", "unknown framework"))?;
    let request = Request {
        year: target.year,
        span: target.span,
        framework,
        generated_at: crate::clock::now_rfc3339(),
        today: form.today,
    };
    let failed = |e: String| problem("", &format!("could not write the return: {e}"));
    let (ret, bytes) = make(store, &request, format, Suppression { below }).map_err(|e| match e {
        ExportError::Store(e) => failed(e.to_string()),
        render => problem("", &render.to_string()),
    })?;
    let mut file = open_output(&folder, &crate::export::file_name(&ret, format), store.path())
        .map_err(|e| problem("folder", &e.to_string()))?;
    let path = file.path().to_path_buf();
    file.write_all(&bytes).map_err(|e| failed(e.to_string()))?;
    file.finish().map_err(|e| failed(e.to_string()))?;
    Ok(path)
}

fn problem(field: &str, message: &str) -> Problems {
    vec![(field.to_string(), message.to_string())]
}

/// The manual figures of a term: which framework's.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualTarget {
    pub year: AcademicYear,
    pub term: Term,
    /// (id, label) of each figure, and what is stored now.
    pub figures: Vec<(String, String, Option<ManualValue>)>,
}

impl ManualTarget {
    /// The manual figures a framework lists, with the values stored for the term.
    pub fn of(
        year: AcademicYear,
        term: Term,
        framework: &framework::Framework,
        stored: &[ManualMeasure],
    ) -> ManualTarget {
        let mut figures: Vec<(String, String, Option<ManualValue>)> = framework
            .sections
            .iter()
            .flat_map(|s| &s.manual)
            .map(|d| {
                (d.id.clone(), d.label.clone(), stored.iter().find(|m| m.id == d.id).map(|m| m.value.clone()))
            })
            .collect();
        for m in stored {
            if !figures.iter().any(|(id, ..)| *id == m.id) {
                figures.push((m.id.clone(), m.id.clone(), Some(m.value.clone())));
            }
        }
        ManualTarget { year, term, figures }
    }
}

/// Field ids must be `'static`; manual figures are named by position.
const SLOTS: [&str; 12] = ["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11"];

pub fn manual_form(target: &ManualTarget, today: Date) -> Form {
    let fields = target
        .figures
        .iter()
        .zip(SLOTS)
        .map(|((_, label, value), slot)| {
            Field::text(slot, label)
                .optional()
                .with(&value.as_ref().map(|v| v.to_string()).unwrap_or_default())
        })
        .collect();
    let mut form = Form::new(format!("Manual figures for {} {}", target.year, target.term), today, fields);
    form.note =
        Some("A number or a short text; leave empty to remove. They go into the return as typed.".into());
    form
}

pub fn manual_ops(form: &Form, target: &ManualTarget) -> Vec<Op> {
    target
        .figures
        .iter()
        .zip(SLOTS)
        .filter_map(|((id, _, stored), slot)| {
            let text = form.text(slot);
            let measure =
                |value| ManualMeasure { year: target.year, term: target.term, id: id.clone(), value };
            match (text.is_empty(), stored) {
                (true, None) => None,
                (true, Some(_)) => Some(Op::Remove(
                    RecordKind::ManualMeasure,
                    Record::ManualMeasure(measure(ManualValue::Number(0.0))).key(),
                )),
                // A value shown and left as it was is kept as it is (a text "007" stays a text).
                (false, Some(value)) if value.to_string() == text => {
                    Some(Op::Replace(Record::ManualMeasure(measure(value.clone()))))
                }
                (false, _) => {
                    let value =
                        text.parse::<f64>().map(ManualValue::Number).unwrap_or(ManualValue::Text(text));
                    Some(Op::Replace(Record::ManualMeasure(measure(value))))
                }
            }
        })
        .collect()
}

pub fn term_dates_form(starts: &TermStarts, today: Date) -> Form {
    let fields = ["t2", "t3", "t4", "t5", "t6"]
        .iter()
        .zip(starts.starts)
        .map(|(id, d)| Field::date(id, &format!("Term {} starts", &id[1..])).with(&d.to_string()))
        .collect();
    let mut form = Form::new(format!("Term dates {}", starts.year), today, fields);
    form.note = Some(format!(
        "Term 1 starts on {}; each term runs to the day before the next.",
        starts.year.first_day().uk()
    ));
    form
}

pub fn term_dates_ops(form: &Form, year: AcademicYear) -> Result<Vec<Op>, Problems> {
    let mut dates = [year.first_day(); 5];
    for (slot, id) in dates.iter_mut().zip(["t2", "t3", "t4", "t5", "t6"]) {
        *slot = form.date(id).ok_or_else(|| problem(id, "required"))?;
    }
    let [t2, t3, t4, t5, t6] = dates;
    Ok(vec![Op::Replace(Record::TermDates(TermDates { year, t2, t3, t4, t5, t6 }))])
}

/// Lists are not needed by these forms; kept for one signature across editors.
pub fn no_lists() -> Lists {
    Lists::default()
}
