//! Formats at the edge going out: the records file (dump) and the termly return.

pub mod audit;
pub mod csv_cell;
pub mod document;
pub mod dump;
pub mod figures;
pub mod pack;
pub mod protect;
pub mod returns;
pub mod subject_access;
pub mod suppress;
pub mod xlsx;

pub use figures::Suppression;
pub use returns::Format;

use crate::kpi::report::{ReportError, Request, Return, build_from};
use crate::store::{Store, StoreError};

/// The usual file name of a return: district, year, period, framework, and for a period in
/// progress the day it runs to (so a return to date never takes the place of the final one).
pub fn file_name(r: &Return, format: Format) -> String {
    name_of(r, "return", format.extension())
}

/// The usual file name of a district's monitoring pack.
pub fn pack_file_name(r: &Return) -> String {
    name_of(r, "pack", "html")
}

fn name_of(r: &Return, what: &str, extension: &str) -> String {
    let slug = match slug(&r.district) {
        s if s.is_empty() => "district".to_string(),
        s => s,
    };
    let period = r.span.short();
    let to_date = if r.provisional { format!("-to-{}", r.period.end) } else { String::new() };
    format!("{slug}-{what}-{}-{period}-{}{to_date}.{extension}", r.year, r.framework_id)
}

/// Text as a part of a file name: its runs of ASCII letters and digits, in lower case, joined by
/// `-` (empty when it has none).
pub fn slug(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A return written in a format, as bytes (JSON and CSV are UTF-8 text; a CSV starts with the
/// byte-order mark when `bom`). Nothing is written when the small counts cannot be hidden safely.
pub fn render(
    r: &Return,
    format: Format,
    suppression: Suppression,
    bom: bool,
) -> Result<Vec<u8>, ExportError> {
    let plan = suppress::Plan::for_return(r, suppression)?;
    let mut out = Vec::new();
    let failed = |e: String| ExportError::Render(e);
    match format {
        Format::Json => returns::write_json(r, &plan, &mut out).map_err(|e| failed(e.to_string()))?,
        Format::Csv => returns::write_csv(r, &plan, &mut out, bom).map_err(|e| failed(e.to_string()))?,
        Format::Xlsx => out = xlsx::workbook(r, &plan).map_err(|e| failed(e.to_string()))?,
    }
    Ok(out)
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The period has not started.
    #[error("{0}")]
    NotStarted(String),
    #[error("could not write the return: {0}")]
    Render(String),
    /// Suppression cannot protect the small counts of this copy: nothing is written.
    #[error(transparent)]
    Unprotectable(#[from] suppress::Unprotectable),
    /// A list in the program names a measure the catalogue does not define (a defect, which a
    /// test catches): nothing is written rather than a chart or table left out in silence.
    #[error(transparent)]
    UnknownMeasure(#[from] crate::kpi::catalogue::UnknownMeasure),
    /// A note, narrative or manual figure holds what identifies a child (a name, a UPN, a date
    /// of birth), or a manual figure's id is free text: nothing is written. The message names
    /// where and the rule, never the value.
    #[error("{0}; a return goes out of the team, so write around it on the Returns screen and export again")]
    NamesAChild(String),
}

/// Refuses a return whose notes, narratives or manual figures identify a child of the database,
/// or whose manual figures have an id that is not a code: they go out with the figures, and a
/// name in a comment is as much a leak as a name in a figure.
pub fn names_no_child(reader: crate::store::Reader<'_>, r: &Return) -> Result<(), ExportError> {
    let mut places: Vec<String> = Vec::new();
    let mut texts: Vec<&str> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let terms = r.span.terms();
    for line in &r.lines {
        let columns = std::iter::once((r.period.label.clone(), Some(&line.measure)));
        let per_term = terms
            .iter()
            .zip(line.terms.iter().flatten())
            .map(|(t, m)| (format!("{} {t}", r.year), m.as_ref()));
        for (when, m) in columns.chain(per_term) {
            let Some(m) = m else { continue };
            // Manual figures recorded before ids were checked may still hold free text as their id.
            let manual = matches!(m.figure, crate::kpi::catalogue::Figure::Manual(_));
            if let Some(why) = crate::domain::manual::id_problem(&m.id).filter(|_| manual) {
                let problem = format!("a manual figure of the period has an id that is refused ({why})");
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
                continue;
            }
            // A code may still spell a name ("isabella_mills"): it is read as words too.
            if manual {
                places.push(format!("the id of a manual figure ({when})"));
                texts.push(&m.id);
            }
            if let Some(note) = &m.note {
                places.push(format!("the note on {} ({when})", m.id));
                texts.push(note);
            }
            if let crate::kpi::catalogue::Figure::Manual(Some(crate::domain::ManualValue::Text(t))) =
                &m.figure
            {
                places.push(format!("{} ({when})", m.id));
                texts.push(t);
            }
        }
    }
    for (i, private) in reader.private_in_texts(&texts)? {
        let Some(place) = places.get(i) else { continue };
        let problem = format!("{place} {}", private.rule());
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(ExportError::NamesAChild(problems.join("; ")))
}

/// A return computed from one moment of the store (a snapshot: every figure sees the same data)
/// and written in a format: what `caseload export` and the Returns screen both write.
pub fn make(
    store: &mut Store,
    request: &Request<'_>,
    format: Format,
    suppression: Suppression,
    bom: bool,
) -> Result<(Return, Vec<u8>), ExportError> {
    let snapshot = store.snapshot()?;
    let ret = build_from(&snapshot, request).map_err(|e| match e {
        ReportError::Store(e) => ExportError::Store(e),
        not_started => ExportError::NotStarted(not_started.to_string()),
    })?;
    names_no_child(snapshot.reader(), &ret)?;
    drop(snapshot);
    let bytes = render(&ret, format, suppression, bom)?;
    Ok((ret, bytes))
}

/// Marks a workbook as the program's (a custom document property), so that a later export may
/// write over it without `--force` (files::ours).
pub fn mark_workbook(wb: &mut rust_xlsxwriter::Workbook) {
    let properties =
        rust_xlsxwriter::DocProperties::new().set_custom_property("generator", crate::files::WORKBOOK_MARK);
    wb.set_properties(&properties);
}
