//! One line of a records file: JSON text to a [`Record`], or the reasons it is not one.

use crate::domain::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A problem with one field of a line (or with the whole line when `field` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Option<String>,
    pub message: String,
}

impl FieldProblem {
    fn line(message: impl Into<String>) -> FieldProblem {
        FieldProblem { field: None, message: message.into() }
    }

    fn field(field: impl Into<String>, message: impl Into<String>) -> FieldProblem {
        FieldProblem { field: Some(field.into()), message: message.into() }
    }
}

/// What a line held.
#[derive(Debug)]
pub enum Parsed {
    /// A blank line or a `//` comment.
    Skip,
    Record(Record),
    /// Not a valid record; `key` is the line's key when one could be read.
    Bad {
        kind: Option<RecordKind>,
        key: Option<String>,
        problems: Vec<FieldProblem>,
    },
}

/// Parses one line (without its line ending), checking its own rules as of `today`.
pub fn parse_line(text: &str, today: Date) -> Parsed {
    let text = text.trim();
    if text.is_empty() || text.starts_with("//") {
        return Parsed::Skip;
    }
    // A field given twice (at any depth) would silently lose one value: which was meant?
    if let Some(field) = crate::json::key_given_twice(text.as_bytes()) {
        let message = format!("\"{field}\" is given twice in this line: which value was meant? Give it once");
        // Which record it is, as far as the line says.
        let value: Option<Value> = serde_json::from_str(text).ok();
        let kind = value.as_ref().and_then(|v| v.get("type")?.as_str()?.parse().ok());
        let key = value.as_ref().and_then(|v| Some(v.get("key")?.as_str()?.to_string()));
        return Parsed::Bad { kind, key, problems: vec![FieldProblem::field(field, message)] };
    }
    // Fast path: a good line in one pass. Anything wrong is parsed again, slowly, to say exactly
    // which field is wrong and why.
    if let Ok(record) = serde_json::from_str::<Record>(text) {
        let problems = rules::violations(&record, today);
        if problems.is_empty() {
            return Parsed::Record(record);
        }
    }
    let bad = |kind, key, problems| Parsed::Bad { kind, key, problems };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return bad(None, None, vec![FieldProblem::line(json_problem(&e))]),
    };
    let Value::Object(mut map) = value else {
        return bad(
            None,
            None,
            vec![FieldProblem::line("each line must be one JSON object, like {\"type\": \"setting\", ...}")],
        );
    };
    let key = match map.get("key") {
        Some(Value::String(k)) => Some(k.clone()),
        _ => None,
    };
    let kind = match map.remove("type") {
        None => return bad(None, key, vec![FieldProblem::field("type", "every record needs a \"type\"")]),
        Some(Value::String(t)) => match t.parse::<RecordKind>() {
            Ok(kind) => kind,
            Err(e) => return bad(None, key, vec![FieldProblem::field("type", e.to_string())]),
        },
        Some(other) => {
            return bad(
                None,
                key,
                vec![FieldProblem::field("type", format!("must be text, not {}", describe(&other)))],
            );
        }
    };
    match record_of(kind, map) {
        Ok(record) => {
            let problems: Vec<FieldProblem> = rules::violations(&record, today)
                .into_iter()
                .map(|v| FieldProblem::field(v.field, v.message))
                .collect();
            if problems.is_empty() {
                Parsed::Record(record)
            } else {
                let key = Some(record.key());
                bad(Some(kind), key, problems)
            }
        }
        Err(problem) => bad(Some(kind), key, vec![problem]),
    }
}

fn record_of(kind: RecordKind, map: Map<String, Value>) -> Result<Record, FieldProblem> {
    let v = Value::Object(map);
    use RecordKind as K;
    Ok(match kind {
        K::District => Record::District(typed(kind, v)?),
        K::TermDates => Record::TermDates(typed(kind, v)?),
        K::Setting => Record::Setting(typed(kind, v)?),
        K::Staff => Record::Staff(typed(kind, v)?),
        K::Child => Record::Child(typed(kind, v)?),
        K::LiftMeeting => Record::LiftMeeting(typed(kind, v)?),
        K::Referral => Record::Referral(typed(kind, v)?),
        K::Case => Record::Case(typed(kind, v)?),
        K::Allocation => Record::Allocation(typed(kind, v)?),
        K::Target => Record::Target(typed(kind, v)?),
        K::Review => Record::Review(typed(kind, v)?),
        K::Clinic => Record::Clinic(typed(kind, v)?),
        K::Training => Record::Training(typed(kind, v)?),
        K::Transition => Record::Transition(typed(kind, v)?),
        K::Visit => Record::Visit(typed(kind, v)?),
        K::CaseNote => Record::CaseNote(typed(kind, v)?),
        K::GroupWork => Record::GroupWork(typed(kind, v)?),
        K::MonitoringMeeting => Record::MonitoringMeeting(typed(kind, v)?),
        K::ManualMeasure => Record::ManualMeasure(typed::<ManualMeasure>(kind, v)?.as_typed()),
        K::MeasureNote => Record::MeasureNote(typed(kind, v)?),
    })
}

/// Deserializes the fields of one record type, naming the field that is wrong.
fn typed<T: DeserializeOwned>(kind: RecordKind, v: Value) -> Result<T, FieldProblem> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        explain_serde(kind, &path, &inner)
    })
}

/// Rewords serde's messages for the people who fix records files.
fn explain_serde(kind: RecordKind, path: &str, message: &str) -> FieldProblem {
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = quoted(rest).unwrap_or_default();
        return FieldProblem::field(
            &field,
            format!("a {} needs \"{field}\", and it is missing", kind.label()),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = quoted(rest).unwrap_or_default();
        let expected = rest.split_once("expected ").map(|(_, e)| e.replace('`', "")).unwrap_or_default();
        let whole = if path == "." || path.is_empty() { field.clone() } else { path.to_string() };
        return FieldProblem::field(
            whole,
            format!(
                "\"{field}\" is not a field of a {} record (misspelt?); expected {expected}",
                kind.label()
            ),
        );
    }
    let field = if path == "." || path.is_empty() { None } else { Some(path.to_string()) };
    let message = message
        .replace("invalid type: ", "wrong kind of value: ")
        .replace("invalid value: ", "value not allowed: ")
        .replace(", expected ", "; expected ");
    FieldProblem { field, message }
}

fn json_problem(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the line ends before the JSON object is complete",
        _ => "the line is not valid JSON",
    };
    format!("{what} (at column {}: {})", e.column(), crate::json::strip_position(&e.to_string()))
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The type and key of a line, read without full validation (to find a record's line again).
pub fn kind_and_key(text: &str) -> Option<(RecordKind, String)> {
    let text = text.trim();
    if !text.starts_with('{') {
        return None;
    }
    // Any day will do: a line that breaks a rule still says its type and key.
    match parse_line(text, rules::earliest_date()) {
        Parsed::Record(r) => Some((r.kind(), r.key())),
        Parsed::Bad { kind: Some(kind), key: Some(key), .. } => Some((kind, key)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse_iso("2026-11-30").unwrap()
    }

    fn problems(text: &str) -> Vec<FieldProblem> {
        match parse_line(text, today()) {
            Parsed::Bad { problems, .. } => problems,
            other => panic!("expected a bad line, got {other:?}"),
        }
    }

    #[test]
    fn manual_figures_written_as_typed_are_read_in_their_unit() {
        let value = |id: &str, value: &str| match parse_line(
            &format!(r#"{{"type":"manual_measure","year":"2023-24","term":6,"id":"{id}","value":{value}}}"#),
            today(),
        ) {
            Parsed::Record(Record::ManualMeasure(m)) => Ok(m.value),
            Parsed::Bad { problems, .. } => Err(problems.len()),
            other => panic!("{other:?}"),
        };
        assert_eq!(value("budget.core", r#""£12,500.50""#), Ok(ManualValue::Number(12_500.5)));
        assert_eq!(value("budget.core", "12500.5"), Ok(ManualValue::Number(12_500.5)));
        assert_eq!(value("survey.settings_satisfied_pct", r#""87.5%""#), Ok(ManualValue::Number(87.5)));
        // Words stay words, and are then refused in a money figure; a narrative stays its text.
        assert!(value("budget.core", r#""about twelve thousand""#).is_err());
        assert_eq!(value("narrative.staffing", r#""12""#), Ok(ManualValue::Text("12".into())));
    }

    #[test]
    fn a_good_line_parses() {
        let Parsed::Record(Record::Setting(s)) = parse_line(
            r#"{"type":"setting","key":"S1","name":"Oak Primary","phase":"primary","in_district":true,"urn":118234}"#,
            today(),
        ) else {
            panic!()
        };
        assert_eq!(s.urn.as_deref(), Some("118234"));
    }

    #[test]
    fn blank_and_comment_lines_are_skipped() {
        assert!(matches!(parse_line("   ", today()), Parsed::Skip));
        assert!(matches!(parse_line("// exported 2024", today()), Parsed::Skip));
    }

    #[test]
    fn each_kind_of_bad_line_names_the_field() {
        let p = problems(r#"{"type":"setting","key":"S1","nmae":"x","phase":"primary","in_district":true}"#);
        assert_eq!(p[0].field.as_deref(), Some("nmae"), "{p:?}");
        assert!(p[0].message.contains("not a field of a setting"), "{p:?}");

        let p = problems(r#"{"type":"setting","key":"S1","name":"x","in_district":true}"#);
        assert_eq!(p[0].field.as_deref(), Some("phase"));
        assert!(p[0].message.contains("missing"));

        let p = problems(r#"{"type":"setting","key":"S1","name":"x","phase":"primry","in_district":true}"#);
        assert_eq!(p[0].field.as_deref(), Some("phase"));
        assert!(p[0].message.contains("not a known phase"), "{p:?}");

        let p = problems(r#"{"type":"setting","key":"S1","name":"x","phase":"primary","in_district":"yes"}"#);
        assert_eq!(p[0].field.as_deref(), Some("in_district"));

        let p = problems(r#"{"type":"child","key":"C","first_name":"A","last_name":"B","dob":"2019-02-30"}"#);
        assert_eq!(p[0].field.as_deref(), Some("dob"));
        assert!(p[0].message.contains("not a real calendar date"), "{p:?}");

        let p = problems(r#"{"type":"pupil","key":"C"}"#);
        assert_eq!(p[0].field.as_deref(), Some("type"));

        let p = problems(r#"[1,2]"#);
        assert_eq!(p[0].field, None);

        let p = problems(r#"{"type":"setting","key":"S1""#);
        assert!(p[0].message.contains("ends before"), "{p:?}");

        let p = problems(
            r#"{"type":"lift_meeting","key":"L","date":"2024-01-01","kind":"school","settings":[],"professionals":{"dentist":1}}"#,
        );
        assert_eq!(p[0].field.as_deref(), Some("professionals.dentist"), "{p:?}");
    }

    #[test]
    fn rule_violations_are_reported_with_the_key() {
        let line = r#"{"type":"case","key":"K1","child":"C","setting":"S","phase":"primary","area":"semh","need":"ASD","opened":"2024-01-02","closed":"2024-01-01"}"#;
        let Parsed::Bad { key, problems, .. } = parse_line(line, today()) else { panic!() };
        assert_eq!(key.as_deref(), Some("K1"));
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_deref().unwrap()).collect();
        assert_eq!(fields, ["need", "closed", "closure_reason"]);
    }

    #[test]
    fn null_optional_fields_are_absent() {
        let line = r#"{"type":"case","key":"K1","child":"C","setting":"S","phase":"primary","area":"semh","need":null,"opened":"2024-01-02","closed":null,"closure_reason":null,"referral":null,"outreach":null}"#;
        assert!(matches!(parse_line(line, today()), Parsed::Record(Record::Case(_))));
    }
}
