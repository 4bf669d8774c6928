//! Writing a return as JSON or CSV (docs/returns.md, "Export formats"). Counts and percentages only.

use super::suppress::Plan;
use crate::domain::Scope;
use crate::kpi::catalogue::{Measure, definition};
use crate::kpi::framework::target_of;
use crate::kpi::report::Return;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;

/// The formats a return can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The format a file name's extension implies.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        path.extension().and_then(|e| e.to_str()).and_then(Format::parse)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// The JSON document of docs/returns.md ("Export formats"), fields in that order.
#[derive(Serialize)]
struct JsonReturn<'a> {
    district: &'a str,
    academic_year: String,
    period: JsonPeriod<'a>,
    /// The period was still in progress: figures to date (its end is that day).
    provisional: bool,
    framework: &'a str,
    generated_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed_below: Option<u32>,
    /// What `c` means, in one sentence (a suppressed copy only).
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<String>,
    measures: Vec<JsonMeasure<'a>>,
}

#[derive(Serialize)]
struct JsonPeriod<'a> {
    label: &'a str,
    start: String,
    end: String,
}

#[derive(Serialize)]
struct JsonMeasure<'a> {
    id: &'a str,
    label: &'a str,
    section: &'a str,
    unit: &'static str,
    value: Value,
    numerator: Value,
    denominator: Value,
    /// `not_collected` when the team marked the figure so (its value is then null).
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    /// The team's note on the figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    /// The framework's target on the measure, and whether the figure meets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<JsonTarget>,
    /// What the measure counts, in plain words.
    definition: &'static str,
    /// Each term's value (a monitoring period or the whole year); null for a term not started.
    #[serde(skip_serializing_if = "Option::is_none")]
    terms: Option<BTreeMap<String, Value>>,
    /// Each term's whole figure, so that returns can be combined (docs/returns.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    term_figures: Option<BTreeMap<String, Value>>,
}

/// A framework's target on a measure: its value, the day to reach it by, and "met" or "not yet"
/// (null for a figure not given).
#[derive(Serialize)]
struct JsonTarget {
    value: f64,
    by: String,
    status: Option<&'static str>,
}

fn status(m: &Measure) -> Option<&'static str> {
    m.not_collected.then_some("not_collected")
}

/// The return as the JSON document of docs/returns.md.
fn document<'a>(r: &'a Return, s: &Plan) -> JsonReturn<'a> {
    let measures = r
        .lines
        .iter()
        .map(|line| {
            let m = &line.measure;
            let (num, den) = s.parts(m, None);
            JsonMeasure {
                id: &m.id,
                label: &m.label,
                section: &line.section,
                unit: m.unit.code(),
                value: s.value(m, None).to_json(),
                numerator: num.to_json(),
                denominator: den.to_json(),
                status: status(m),
                note: m.note.as_deref(),
                target: target_of(&r.framework_id, &m.id).map(|t| JsonTarget {
                    value: t.value,
                    by: t.by.to_string(),
                    // A hidden figure's target says nothing about it (that would bound it).
                    status: t.words(s.value(m, None).to_json().as_f64()),
                }),
                definition: definition(&m.id),
                terms: line.terms.as_ref().map(|terms| {
                    r.span
                        .terms()
                        .iter()
                        .zip(terms)
                        .map(|(t, tm)| {
                            let v = tm.as_ref().map_or(Value::Null, |tm| s.value(tm, Some(*t)).to_json());
                            (t.to_string(), v)
                        })
                        .collect()
                }),
                term_figures: line.terms.as_ref().map(|terms| {
                    r.span
                        .terms()
                        .iter()
                        .zip(terms)
                        .map(|(t, tm)| {
                            let figure = tm.as_ref().map_or(Value::Null, |tm| {
                                let (num, den) = s.parts(tm, Some(*t));
                                let mut figure = serde_json::json!({
                                    "value": s.value(tm, Some(*t)).to_json(),
                                    "numerator": num.to_json(),
                                    "denominator": den.to_json(),
                                });
                                if let Some(status) = status(tm) {
                                    figure["status"] = status.into();
                                }
                                if let Some(note) = &tm.note {
                                    figure["note"] = note.as_str().into();
                                }
                                figure
                            });
                            (t.to_string(), figure)
                        })
                        .collect()
                }),
            }
        })
        .collect();
    JsonReturn {
        district: &r.district,
        academic_year: r.year.to_string(),
        period: JsonPeriod {
            label: &r.period.label,
            start: r.period.start.to_string(),
            end: r.period.end.to_string(),
        },
        provisional: r.provisional,
        framework: &r.framework_id,
        generated_at: &r.generated_at,
        suppressed_below: s.below,
        suppression: s.notice(),
        measures,
    }
}

pub fn write_json(r: &Return, s: &Plan, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(r, s))?;
    out.write_all(b"\n")
}

/// One row per measure: `district,academic_year,period,framework` (so that several districts'
/// files can be put one after another), then `section,id,label,unit,value,numerator,denominator,
/// target,target_by,target_status,note,definition`; a return of several terms has a column for each term before `value` (the
/// whole year's is called `year`).
pub fn write_csv(r: &Return, s: &Plan, out: &mut dyn Write, bom: bool) -> std::io::Result<()> {
    crate::export::csv_cell::start(&mut *out, bom, s.notice())?;
    let mut w = csv::Writer::from_writer(out);
    let names: Vec<String> = r.span.terms().iter().map(|t| t.to_string()).collect();
    let mut header =
        vec!["district", "academic_year", "period", "framework", "section", "id", "label", "unit"];
    match r.span {
        Scope::Term(_) => header.push("value"),
        Scope::Year => header.extend(names.iter().map(String::as_str).chain(["year"])),
        Scope::Terms(_) => header.extend(names.iter().map(String::as_str).chain(["value"])),
    }
    // The framework's target beside the figure: its value, its day, and "met" or "not yet".
    header.extend(["numerator", "denominator", "target", "target_by", "target_status", "note", "definition"]);
    super::csv_cell::write_row(&mut w, &header)?;
    let year = r.year.to_string();
    for line in &r.lines {
        let m = &line.measure;
        let mut row: Vec<&str> = vec![
            &r.district,
            &year,
            &r.period.label,
            &r.framework_id,
            &line.section,
            &m.id,
            &m.label,
            m.unit.code(),
        ];
        let mut cells = Vec::new();
        if let Some(terms) = &line.terms {
            let columns = r.span.terms().into_iter().zip(terms);
            cells.extend(
                columns.map(|(t, m)| m.as_ref().map(|m| s.value(m, Some(t)).to_csv()).unwrap_or_default()),
            );
        }
        cells.push(s.value(m, None).to_csv());
        let (num, den) = s.parts(m, None);
        cells.push(num.to_csv());
        cells.push(den.to_csv());
        let target = target_of(&r.framework_id, &m.id);
        cells.push(target.map(|t| t.value.to_string()).unwrap_or_default());
        cells.push(target.map(|t| t.by.to_string()).unwrap_or_default());
        let status = target.and_then(|t| t.words(s.value(m, None).to_json().as_f64()));
        cells.push(status.unwrap_or_default().to_string());
        row.extend(cells.iter().map(String::as_str));
        row.push(m.note.as_deref().unwrap_or(""));
        row.push(definition(&m.id));
        super::csv_cell::write_row(&mut w, &row)?;
    }
    w.flush()?;
    Ok(())
}
