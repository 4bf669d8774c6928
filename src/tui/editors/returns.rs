//! The Returns screen's forms: export a return to a folder, type the manual figures of a term
//! (checked against their units), a note on a figure, correct a year's term dates.

use super::records::{Lists, Problems, problem};
use crate::domain::manual::{ManualUnit, manual_kind};
use crate::domain::*;
use crate::export::{ExportError, Format, Suppression, make};
use crate::files::open_output;
use crate::kpi::framework;
use crate::kpi::report::Request;
use crate::store::{Op, Store};
use crate::tui::field_id::{self as id, FieldId};
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

pub fn export_form(target: &ExportTarget, today: Date, folder: &std::path::Path) -> Form {
    let formats = vec![
        Choice::new("xlsx", "XLSX workbook (for commissioners)"),
        Choice::new("csv", "CSV (one row per measure)"),
        Choice::new("json", "JSON (for the county, and other programs)"),
    ];
    let fields = vec![
        Field::choice(id::FORMAT, "Format", formats).with("xlsx"),
        Field::text(id::FOLDER, "Folder").with(&folder.display().to_string()),
        Field::count(id::SUPPRESS_BELOW, "Hide counts below").optional(),
    ];
    let mut form = Form::new("Export the return", today, fields);
    let period = match target.span {
        Scope::Year => format!("{} (whole year)", target.year),
        span => format!("{} {}", target.year, span.short()),
    };
    form.note = Some(format!(
        "{period}, framework {}. Leave \"hide counts below\" empty for the team's copy and the county's; 5 for a published one.",
        target.framework
    ));
    form
}

/// Writes the return where the form says; the path written, or the problems to show.
pub fn export(form: &Form, target: &ExportTarget, store: &mut Store) -> Result<PathBuf, Problems> {
    let format = form
        .picked(id::FORMAT)
        .as_deref()
        .and_then(Format::parse)
        .ok_or_else(|| problem(Some(id::FORMAT), "choose one"))?;
    let folder = PathBuf::from(form.text(id::FOLDER));
    if !folder.is_dir() {
        return Err(problem(Some(id::FOLDER), "there is no such folder"));
    }
    let below = form.count(id::SUPPRESS_BELOW).map(|n| n.clamp(0, i64::from(u32::MAX)) as u32);
    let framework = framework::find(&target.framework).ok_or_else(|| problem(None, "unknown framework"))?;
    let request = Request {
        year: target.year,
        span: target.span,
        framework,
        generated_at: store.clock().now_rfc3339(),
        today: form.today,
    };
    let failed = |e: String| problem(None, format!("could not write the return: {e}"));
    // The application writes CSVs for Excel: always with the byte-order mark.
    let (ret, bytes) = make(store, &request, format, Suppression { below }, true).map_err(|e| match e {
        ExportError::Store(e) => failed(e.to_string()),
        render => problem(None, render.to_string()),
    })?;
    let mut file = open_output(&folder, &crate::export::file_name(&ret, format), store.path())
        .map_err(|e| problem(Some(id::FOLDER), e.to_string()))?;
    let path = file.path().to_path_buf();
    file.write_all(&bytes).map_err(|e| failed(e.to_string()))?;
    file.finish().map_err(|e| failed(e.to_string()))?;
    Ok(path)
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
    /// The manual figures a framework lists (narratives apart: they have their own editor), with
    /// the values stored for the term, then any other figure stored for it.
    pub fn of(
        year: AcademicYear,
        term: Term,
        framework: &framework::Framework,
        stored: &[ManualMeasure],
    ) -> ManualTarget {
        let value = |id: &str| stored.iter().find(|m| m.id == id).map(|m| m.value.clone());
        let label = |id: &str| manual_kind(id).map_or_else(|| id.to_string(), |k| k.label.to_string());
        let typed_here =
            |id: &str| !manual_kind(id).is_some_and(|k| k.unit == ManualUnit::Text && k.id != "narrative");
        let mut figures: Vec<(String, String, Option<ManualValue>)> = Vec::new();
        let listed = framework.sections.iter().flat_map(|s| s.manual.iter().chain(&s.if_recorded));
        let kept = stored.iter().map(|m| &m.id);
        for id in listed.chain(kept) {
            let recorded_only = framework.sections.iter().any(|s| s.if_recorded.contains(id));
            if figures.iter().any(|(i, ..)| i == id)
                || !typed_here(id)
                || (recorded_only && value(id).is_none())
            {
                continue;
            }
            figures.push((id.clone(), label(id), value(id)));
        }
        figures.truncate(SLOTS.len());
        ManualTarget { year, term, figures }
    }
}

/// Field ids must be `'static`; manual figures are named by position.
/// The slots of the manual figures' form: the figures themselves are data (the catalogue's).
const SLOTS: [FieldId; 20] = [
    id::M0,
    id::M1,
    id::M2,
    id::M3,
    id::M4,
    id::M5,
    id::M6,
    id::M7,
    id::M8,
    id::M9,
    id::M10,
    id::M11,
    id::M12,
    id::M13,
    id::M14,
    id::M15,
    id::M16,
    id::M17,
    id::M18,
    id::M19,
];

/// The term starts' fields, terms 2 to 6 (term 1 starts with the year).
const TERM_STARTS: [FieldId; 5] = [id::T2, id::T3, id::T4, id::T5, id::T6];

/// A stored value as the form shows it: in its unit (`£12,500.50`), as typed for other ids.
fn shown_value(id: &str, value: &ManualValue) -> String {
    manual_kind(id).map_or_else(|| value.to_string(), |k| k.unit.format(value))
}

pub fn manual_form(target: &ManualTarget, today: Date) -> Form {
    let fields = target
        .figures
        .iter()
        .zip(SLOTS)
        .map(|((id, label, value), slot)| {
            Field::text(slot, label)
                .as_figure()
                .optional()
                .with(&value.as_ref().map(|v| shown_value(id, v)).unwrap_or_default())
        })
        .collect();
    let mut form = Form::new(format!("Manual figures for {} {}", target.year, target.term), today, fields);
    form.note = Some(
        "Percentages 0 to 100, money in pounds (12,500 or £12,500.50), counts whole. Leave empty to remove. \
         The narrative has its own editor: w on the Returns screen."
            .into(),
    );
    form
}

/// The changes typed: each figure changed, read in its unit; a figure left as shown is not
/// written again (someone else may have changed another).
pub fn manual_ops(form: &Form, target: &ManualTarget) -> Result<Vec<Op>, Problems> {
    let mut ops = Vec::new();
    let mut problems = Vec::new();
    for ((id, _, stored), slot) in target.figures.iter().zip(SLOTS) {
        let text = form.text(slot);
        let measure = |value| ManualMeasure { year: target.year, term: target.term, id: id.clone(), value };
        if stored.as_ref().map(|v| shown_value(id, v)).unwrap_or_default() == text {
            continue;
        }
        if text.trim().is_empty() {
            let key = Record::ManualMeasure(measure(ManualValue::Number(0.0))).key();
            ops.push(Op::Remove(RecordKind::ManualMeasure, key));
            continue;
        }
        let value = match manual_kind(id) {
            Some(kind) => kind.unit.read(&text),
            None => Ok(crate::domain::number::typed_number(&text)
                .map(ManualValue::Number)
                .unwrap_or(ManualValue::Text(text.clone()))),
        };
        match value {
            Ok(value) => ops.push(Op::Replace(Record::ManualMeasure(measure(value)))),
            Err(why) => problems.push((slot.as_str().to_string(), why)),
        }
    }
    if problems.is_empty() { Ok(ops) } else { Err(problems) }
}

/// The note and "not collected" mark on one computed figure of a term.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteTarget {
    pub year: AcademicYear,
    pub term: Term,
    pub id: String,
    pub label: String,
    pub stored: Option<MeasureNote>,
}

pub fn note_form(target: &NoteTarget, today: Date) -> Form {
    let stored = target.stored.as_ref();
    let fields = vec![
        Field::text(id::NOTE, "Note").optional().with(stored.and_then(|n| n.note.as_deref()).unwrap_or("")),
        Field::choice(
            id::NOT_COLLECTED,
            "Collected",
            vec![Choice::new("no", "Collected"), Choice::new("yes", "Not collected this term")],
        )
        .with(if stored.is_some_and(|n| n.not_collected) { "yes" } else { "no" }),
    ];
    let mut form =
        Form::new(format!("Note on {} ({} {})", target.label, target.year, target.term), today, fields);
    form.note = Some(
        "Why the figure looks as it does (goes out with the return). \"Not collected\" shows no value rather than a zero."
            .into(),
    );
    form
}

pub fn note_ops(form: &Form, target: &NoteTarget) -> Vec<Op> {
    let note = form.opt_text(id::NOTE);
    let not_collected = form.picked(id::NOT_COLLECTED).as_deref() == Some("yes");
    let record =
        MeasureNote { year: target.year, term: target.term, id: target.id.clone(), note, not_collected };
    let unchanged = target.stored.as_ref() == Some(&record);
    match (record.note.is_none() && !not_collected, target.stored.is_some()) {
        _ if unchanged => Vec::new(),
        (true, true) => vec![Op::Remove(RecordKind::MeasureNote, Record::MeasureNote(record).key())],
        (true, false) => Vec::new(),
        (false, _) => vec![Op::Replace(Record::MeasureNote(record))],
    }
}

pub fn term_dates_form(starts: &TermStarts, today: Date) -> Form {
    let fields = TERM_STARTS
        .iter()
        .zip(starts.starts)
        .map(|(field, d)| {
            Field::date(*field, &format!("Term {} starts", &field.as_str()[1..])).with(&d.to_string())
        })
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
    for (slot, field) in dates.iter_mut().zip(TERM_STARTS) {
        *slot = form.date(field).ok_or_else(|| problem(Some(field), "required"))?;
    }
    let [t2, t3, t4, t5, t6] = dates;
    Ok(vec![Op::Replace(Record::TermDates(TermDates { year, t2, t3, t4, t5, t6 }))])
}

/// Lists are not needed by these forms; kept for one signature across editors.
pub fn no_lists() -> Lists {
    Lists::default()
}

/// Correcting a year's term dates.
pub struct TermDatesOf(pub AcademicYear);

type NewKey<'k> = &'k mut dyn FnMut(RecordKind) -> String;

impl super::flow::Flow for ExportTarget {
    fn ops(&self, _: &Form, _: &Lists, _: NewKey) -> Result<Vec<Op>, Problems> {
        Ok(Vec::new())
    }

    /// An export writes files, not records: after the next frame (so "Writing…" shows first).
    fn long_work(&self) -> Option<String> {
        let period = match self.span {
            Scope::Year => format!("{} (whole year)", self.year),
            span => format!("{} {}", self.year, span.short()),
        };
        Some(format!("Writing the return of {period}…"))
    }

    fn work(&self, form: &Form, store: &mut Store) -> Result<(String, Option<PathBuf>), Problems> {
        let path = export(form, self, store)?;
        Ok((format!("Wrote {}", path.display()), path.parent().map(PathBuf::from)))
    }
}

impl super::flow::Flow for TermDatesOf {
    fn ops(&self, form: &Form, _: &Lists, _: NewKey) -> Result<Vec<Op>, Problems> {
        term_dates_ops(form, self.0)
    }
}

impl super::flow::Flow for ManualTarget {
    fn ops(&self, form: &Form, _: &Lists, _: NewKey) -> Result<Vec<Op>, Problems> {
        manual_ops(form, self)
    }
}

impl super::flow::Flow for NoteTarget {
    fn ops(&self, form: &Form, _: &Lists, _: NewKey) -> Result<Vec<Op>, Problems> {
        Ok(note_ops(form, self))
    }
}
