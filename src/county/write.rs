//! The county's figures as JSON and CSV (docs/county.md, "Output"); hidden cells (`c`) when
//! small counts are suppressed.

use super::read::{COLUMNS, Given};
use super::{County, CountyFigure, CountyMeasure};
use crate::export::csv_cell::write_row;
use serde_json::{Map, Value, json};
use std::io::Write;

/// What a published copy hides: (measure index, district index or `None` for the county, column).
pub trait Hides {
    fn hides(&self, measure: usize, district: Option<usize>, column: usize) -> bool;

    /// The `--suppress-below` value, for the copy's opening sentence (none when nothing is hidden).
    fn below(&self) -> Option<u32> {
        None
    }

    /// The sentence a suppressed copy opens with.
    fn notice(&self) -> Option<String> {
        crate::export::Suppression { below: self.below() }.notice()
    }

    /// Whether the mean of the districts, and the lowest and highest with their districts, can
    /// be shown beside a county figure: not when any district's figure there is hidden (the
    /// mean and the others shown would give it back, and the extremes name it).
    fn shows_spread(&self, measure: usize, column: usize, districts: usize) -> bool {
        !self.hides(measure, None, column) && !(0..districts).any(|d| self.hides(measure, Some(d), column))
    }
}

/// Nothing hidden.
pub struct Nothing;

impl Hides for Nothing {
    fn hides(&self, _: usize, _: Option<usize>, _: usize) -> bool {
        false
    }
}

fn num(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 { json!(x as i64) } else { json!(x) }
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, num)
}

/// A county figure as JSON: only the keys that apply to it.
fn figure_json(f: &CountyFigure, hidden: bool, spread: bool) -> Value {
    let mut o = Map::new();
    if hidden {
        o.insert("value".into(), "c".into());
        o.insert("reporting".into(), f.reporting.into());
        return Value::Object(o);
    }
    o.insert("value".into(), opt(f.value));
    if f.numerator.is_some() {
        o.insert("numerator".into(), opt(f.numerator));
        o.insert("denominator".into(), opt(f.denominator));
    }
    if f.mean_of_districts.is_some() && spread {
        o.insert("mean_of_districts".into(), opt(f.mean_of_districts));
        let pair = |p: &Option<(f64, String)>| {
            p.as_ref().map_or(Value::Null, |(v, d)| json!({"value": num(*v), "district": d}))
        };
        o.insert("min".into(), pair(&f.min));
        o.insert("max".into(), pair(&f.max));
    }
    o.insert("reporting".into(), f.reporting.into());
    Value::Object(o)
}

/// A district's value as the county's tables give it.
fn given_json(g: &Given, hidden: bool) -> Value {
    if hidden {
        return "c".into();
    }
    if g.not_collected {
        return "not collected".into();
    }
    match (&g.text, g.value) {
        (Some(t), _) => t.clone().into(),
        (None, Some(v)) => num(v),
        _ => Value::Null,
    }
}

/// The districts' notes on a measure, by district and column, as their returns gave them (a
/// note beside a hidden cell left out, as it may speak of the figure); `None` when there are none.
fn district_notes(county: &County, m: &CountyMeasure, i: usize, hides: &dyn Hides) -> Option<Value> {
    let mut by_district = Map::new();
    for (d, (name, figures)) in county.districts.iter().zip(&m.districts).enumerate() {
        let mut cols = Map::new();
        for (col, g) in figures.iter().flatten().enumerate() {
            if let Some(note) = g.note.as_ref().filter(|_| !hides.hides(i, Some(d), col)) {
                cols.insert(COLUMNS[col].into(), note.clone().into());
            }
        }
        if !cols.is_empty() {
            by_district.insert(name.clone(), Value::Object(cols));
        }
    }
    (!by_district.is_empty()).then_some(Value::Object(by_district))
}

pub fn json(county: &County, hides: &dyn Hides, out: &mut dyn Write) -> std::io::Result<()> {
    let measures: Vec<Value> = county
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut c = Map::new();
            for (col, name) in COLUMNS.iter().enumerate() {
                let spread = hides.shows_spread(i, col, county.districts.len());
                c.insert((*name).into(), figure_json(&m.county[col], hides.hides(i, None, col), spread));
            }
            let mut d = Map::new();
            for (di, (name, figures)) in county.districts.iter().zip(&m.districts).enumerate() {
                let mut cols = Map::new();
                for (col, column) in COLUMNS.iter().enumerate() {
                    let v = figures.as_ref().map_or(Value::Null, |f| given_json(&f[col], hides.hides(i, Some(di), col)));
                    cols.insert((*column).into(), v);
                }
                d.insert(name.clone(), Value::Object(cols));
            }
            let mut o = json!({
                "id": m.id, "label": m.label, "section": m.section, "unit": m.unit, "definition": m.definition,
            });
            if let Some(note) = &m.note {
                o["note"] = note.clone().into();
            }
            o["county"] = Value::Object(c);
            o["districts"] = Value::Object(d);
            if let Some(notes) = district_notes(county, m, i, hides) {
                o["notes"] = notes;
            }
            o
        })
        .collect();
    let mut doc = json!({
        "academic_year": county.year.to_string(),
        "framework": county.framework,
        "districts": county.districts,
        "expected": county.expected,
        "missing": county.missing,
        "coverage": county.coverage(),
        "generated_at": county.generated_at,
        "provisional": county.provisional,
        "period": {
            "label": county.year.to_string(),
            "start": county.year.first_day().to_string(),
            "end": county.end.to_string(),
        },
        "warnings": county.warnings,
    });
    if let (Some(below), Some(notice)) = (hides.below(), hides.notice()) {
        doc["suppressed_below"] = below.into();
        doc["suppression"] = notice.into();
    }
    doc["measures"] = measures.into();
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// Long format: a row per district (and `County`), measure and period.
pub fn csv(county: &County, hides: &dyn Hides, out: &mut dyn Write, bom: bool) -> std::io::Result<()> {
    // The byte-order mark, then (a suppressed copy) what `c` means, on a line of its own.
    crate::export::csv_cell::start(&mut *out, bom, hides.notice())?;
    // Then who sent a return, the days covered and the budget warnings, a line each.
    for line in county.preamble() {
        crate::export::csv_cell::write_notice(&mut *out, Some(line))?;
    }
    let mut w = csv::Writer::from_writer(out);
    write_row(
        &mut w,
        [
            "academic_year",
            "framework",
            "district",
            "section",
            "id",
            "label",
            "unit",
            "period",
            "value",
            "numerator",
            "denominator",
            "reporting",
            "note",
        ],
    )?;
    let cell = |v: Option<f64>| v.map(|x| num(x).to_string()).unwrap_or_default();
    let year = county.year.to_string();
    // One row: who, what and when, then value, numerator, denominator and districts reporting.
    let row = |w: &mut csv::Writer<&mut dyn Write>,
               who: &str,
               m: &CountyMeasure,
               period: &str,
               figures: [&str; 5]| {
        let [value, n, d, reporting, note] = figures;
        write_row(
            w,
            [
                year.as_str(),
                &county.framework,
                who,
                &m.section,
                &m.id,
                &m.label,
                &m.unit,
                period,
                value,
                n,
                d,
                reporting,
                note,
            ],
        )
    };
    for (i, m) in county.measures.iter().enumerate() {
        for (col, period) in COLUMNS.iter().enumerate() {
            let f = &m.county[col];
            let hidden = hides.hides(i, None, col);
            let (value, n, d) = if hidden {
                ("c".to_string(), String::new(), String::new())
            } else {
                (cell(f.value), cell(f.numerator), cell(f.denominator))
            };
            let note = m.note.as_deref().unwrap_or_default();
            row(&mut w, "County", m, period, [&value, &n, &d, &f.reporting.to_string(), note])?;
        }
        for (di, (name, figures)) in county.districts.iter().zip(&m.districts).enumerate() {
            // A district whose return lacks the measure still has its rows, empty, as in JSON.
            let none: [Given; 7] = Default::default();
            let figures = figures.as_ref().unwrap_or(&none);
            for (col, period) in COLUMNS.iter().enumerate() {
                let g = &figures[col];
                let hidden = hides.hides(i, Some(di), col);
                let value = match given_json(g, hidden) {
                    Value::Null => String::new(),
                    Value::String(s) => s,
                    v => v.to_string(),
                };
                let (n, d) = if hidden || g.not_collected {
                    (String::new(), String::new())
                } else {
                    (cell(g.numerator), cell(g.denominator))
                };
                let note = g.note.as_deref().filter(|_| !hidden).unwrap_or_default();
                row(&mut w, name, m, period, [&value, &n, &d, "", note])?;
            }
        }
    }
    w.flush()
}
