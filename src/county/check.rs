//! What a district's return must hold to be added up: the shapes and ranges this program's own
//! export gives, checked field by field and figure by figure. A file damaged or edited by hand is
//! refused with the place named, rather than added into county figures that look right and are
//! not.

use crate::domain::rules;
use crate::domain::text::shown;
use crate::domain::{AcademicYear, Date};
use crate::kpi::catalogue;
use crate::kpi::framework;
use serde_json::Value;

/// The longest district name, as for every name the program keeps.
const NAME_MAX: usize = 100;
/// No district counts a billion of anything: a larger count is damage, and adding such counts up
/// would lose precision.
const COUNT_MAX: f64 = 1e9;
/// Pounds: a county's budgets are well under a trillion.
const MONEY_MAX: f64 = 1e12;
/// A figure's text (a narrative heading's, with each term's): generous, but bounded.
const TEXT_MAX: usize = 20_000;
/// A figure's note: a term's is at most 500 characters; the year's names each term's.
const NOTE_MAX: usize = 4_000;
/// How far a percentage or average may stand from its numerator over its denominator: the
/// return rounds to one decimal, and an FTE denominator is shown to two.
const ROUNDING: f64 = 0.051;

/// The units a return's measures come in.
const UNITS: [&str; 7] = ["count", "percent", "average", "fte", "money", "text", "manual"];

/// A text field of the return: a string, no longer than `max`, with none of the characters the
/// program's own texts may not hold (they would reach every output and message).
fn text<'a>(v: &'a Value, what: &'static str, max: usize, multiline: bool) -> Result<&'a str, String> {
    let s = v.as_str().ok_or_else(|| format!("{what} is not a text"))?;
    rules::text_ok(what, s, max, multiline).map_or(Ok(s), |violation| Err(violation.message))
}

/// The fields of a return, its period, a measure and a figure: what the program's export writes.
pub const RETURN_FIELDS: &[&str] = &[
    "district",
    "academic_year",
    "period",
    "provisional",
    "framework",
    "generated_at",
    "suppressed_below",
    "secondary_suppressed",
    "measures",
];
pub const PERIOD_FIELDS: &[&str] = &["label", "start", "end"];
pub const MEASURE_FIELDS: &[&str] = &[
    "id",
    "label",
    "section",
    "unit",
    "value",
    "numerator",
    "denominator",
    "status",
    "note",
    // The framework's target on the measure: the county has its own framework, so it is read past.
    "target",
    "definition",
    "terms",
    "term_figures",
];
pub const FIGURE_FIELDS: &[&str] = &["value", "numerator", "denominator", "status", "note"];
/// The terms of a year, as a return names them.
pub const TERMS: &[&str] = &["T1", "T2", "T3", "T4", "T5", "T6"];

/// A field the return's format does not have (misspelt, or added by hand): refused, since a
/// figure given under an unknown name would silently be left out.
pub fn known_fields(v: &Value, known: &[&str], what: &str) -> Result<(), String> {
    let Some(object) = v.as_object() else { return Ok(()) };
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(other) if known == TERMS => {
            Err(format!("{what}: \"{}\" is not a term (T1 to T6)", shown(other)))
        }
        Some(other) => Err(format!(
            "{what}: \"{}\" is not a field of a year return (expected one of {})",
            shown(other),
            known.join(", ")
        )),
        None => Ok(()),
    }
}

/// The last day of the return's period (a provisional return's is the day it was exported).
pub fn end_date(period: &Value) -> Result<Date, String> {
    let s = period["end"].as_str().ok_or("it does not say the day its period ends")?;
    Date::parse_iso(s).map_err(|_| format!("its period's end \"{}\" is not a date like 2026-03-31", shown(s)))
}

/// The district's name: present, not blank, a name's length, printable.
pub fn district(v: &Value) -> Result<String, String> {
    if v.is_null() {
        return Err("it names no district".into());
    }
    let name = text(v, "the district's name", NAME_MAX, false)?.trim();
    if name.is_empty() {
        return Err("the district's name is blank".into());
    }
    Ok(name.to_string())
}

/// The academic year, as `2025-26`.
pub fn year(v: &Value) -> Result<AcademicYear, String> {
    let s = v.as_str().ok_or("it has no academic year")?;
    s.parse::<AcademicYear>()
        .map_err(|_| format!("its academic year \"{}\" is not a year like 2025-26", shown(s)))
}

/// A framework this program knows.
pub fn framework(v: &Value) -> Result<String, String> {
    let s = v.as_str().ok_or("it names no framework")?;
    if framework::find(s).is_none() {
        return Err(format!(
            "its framework \"{}\" is not one this program knows ({})",
            shown(s),
            framework::ids().join(", ")
        ));
    }
    Ok(s.to_string())
}

/// A measure's id and unit: a printable id, a known unit, and the catalogue's unit for an id the
/// catalogue defines.
pub fn measure(m: &Value) -> Result<(String, String), String> {
    let id = m["id"].as_str().ok_or("a measure's id is not a text")?;
    if id.is_empty() {
        return Err("a measure has no id".into());
    }
    // An id goes out again in the county's files (as the label too, for a manual figure no
    // framework defines): a code, never free text that may hold a name.
    if let Some(why) = crate::domain::manual::measure_id_problem(id) {
        return Err(format!("a measure's id is refused: {why}"));
    }
    let unit = m["unit"].as_str().unwrap_or_default();
    if !UNITS.contains(&unit) {
        return Err(format!(
            "measure {}: its unit \"{}\" is not one of {}",
            shown(id),
            shown(unit),
            UNITS.join(", ")
        ));
    }
    if let Some(def) = catalogue::def(id)
        && def.unit.code() != unit
    {
        return Err(format!(
            "measure {}: its unit is {unit}, but this measure is a {}",
            shown(id),
            def.unit.code()
        ));
    }
    for (field, max, multiline) in
        [("label", 300, false), ("section", 300, false), ("definition", 2_000, true)]
    {
        if !m[field].is_null() {
            text(&m[field], field, max, multiline).map_err(|e| format!("measure {}: {e}", shown(id)))?;
        }
    }
    Ok((id.to_string(), unit.to_string()))
}

/// A number that is there: `Ok(None)` for null or absent, an error for anything but a number.
fn number(f: &Value, key: &str) -> Result<Option<f64>, String> {
    match &f[key] {
        Value::Null => Ok(None),
        v => {
            v.as_f64().filter(|x| x.is_finite()).map(Some).ok_or_else(|| format!("its {key} is not a number"))
        }
    }
}

fn whole(x: f64, what: &str, max: f64) -> Result<(), String> {
    if x < 0.0 || x.fract() != 0.0 || x > max {
        return Err(format!("{what} must be a whole number from 0 to {max:.0} (it is {x})"));
    }
    Ok(())
}

/// One figure of a measure (a term's, or the year's: the measure itself), as its unit allows.
pub fn figure(id: &str, unit: &str, f: &Value) -> Result<(), String> {
    if !f.is_object() {
        return Err("its figure is not a figure (an object with a value)".into());
    }
    let not_collected = match &f["status"] {
        Value::Null => false,
        Value::String(s) if s == "not_collected" => true,
        _ => return Err("its status is not \"not_collected\", the only status a figure has".into()),
    };
    let (value, num, den) = (number_or_text(f, unit)?, number(f, "numerator")?, number(f, "denominator")?);
    if !f["note"].is_null() {
        text(&f["note"], "its note", NOTE_MAX, true)?;
    }
    if not_collected && value.is_some() {
        return Err("it is marked not collected, yet has a value".into());
    }
    let catalogued_ratio = catalogue::def(id).is_some() && (unit == "percent" || unit == "average");
    if !catalogued_ratio && (num.is_some() || den.is_some()) {
        return Err(format!("a {unit} has no numerator or denominator"));
    }
    match unit {
        "count" => value.map_or(Ok(()), |v| whole(v, "a count", COUNT_MAX)),
        "fte" if value.is_some_and(|v| !(0.0..=COUNT_MAX).contains(&v)) => {
            Err(format!("an FTE must be 0 or more (it is {})", value.unwrap_or_default()))
        }
        "money" if value.is_some_and(|v| v.abs() > MONEY_MAX) => {
            Err("a sum of money is far too large".into())
        }
        "percent" if value.is_some_and(|v| !(0.0..=100.0).contains(&v)) => {
            Err(format!("a percentage must be from 0 to 100 (it is {})", value.unwrap_or_default()))
        }
        "percent" | "average" if catalogued_ratio => ratio(unit, value, num, den),
        _ => Ok(()),
    }
}

/// The value as a number, for the units that have one; a text is checked as a text.
fn number_or_text(f: &Value, unit: &str) -> Result<Option<f64>, String> {
    match (&f["value"], unit) {
        (Value::String(_), "text" | "manual") => text(&f["value"], "its text", TEXT_MAX, true).map(|_| None),
        (Value::String(_), _) => Err(format!("its value is a text, but a {unit} is a number")),
        (_, "text") if !f["value"].is_null() => Err("its value is not a text".into()),
        _ => number(f, "value"),
    }
}

/// A percentage or average: its parts are there when it is, whole counts (an average's
/// denominator may be an FTE), and it is what they make.
fn ratio(unit: &str, value: Option<f64>, num: Option<f64>, den: Option<f64>) -> Result<(), String> {
    let (Some(n), Some(d)) = (num, den) else {
        return match value {
            Some(_) => Err(format!("a {unit} shown needs its numerator and denominator")),
            None => Ok(()),
        };
    };
    whole(n, "a numerator", COUNT_MAX)?;
    if unit == "percent" {
        whole(d, "a denominator", COUNT_MAX)?;
        if n > d {
            return Err(format!("its numerator ({n}) is more than its denominator ({d})"));
        }
    } else if !(0.0..=COUNT_MAX).contains(&d) {
        return Err(format!("its denominator must be 0 or more (it is {d})"));
    }
    let made = if d == 0.0 {
        None
    } else if unit == "percent" {
        Some(100.0 * n / d)
    } else {
        Some(n / d)
    };
    match (value, made) {
        (Some(_), None) => Err("it has a value, but its denominator is 0".into()),
        (Some(v), Some(m)) if (v - m).abs() > ROUNDING + m.abs() * 0.01 * f64::from(unit == "average") => {
            Err(format!("its value {v} is not its numerator {n} over its denominator {d}"))
        }
        _ => Ok(()),
    }
}
