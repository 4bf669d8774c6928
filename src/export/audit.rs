//! The audit log's entries as JSON (`caseload audit`, and a subject access file).

use crate::store::AuditEntry;

/// One entry as a JSON line. `old` and `new` are JSON objects written by SQLite's `json_object`,
/// embedded as they are.
pub fn audit_line(e: &AuditEntry) -> String {
    let text = |s: &str| serde_json::Value::from(s).to_string();
    let object = |v: &Option<String>| match v {
        Some(json) if serde_json::from_str::<serde_json::Value>(json).is_ok() => json.clone(),
        Some(other) => text(other),
        None => "null".to_string(),
    };
    format!(
        "{{\"id\":{},\"at\":{},\"user\":{},\"table\":{},\"key\":{},\"op\":\"{}\",\"old\":{},\"new\":{}}}\n",
        e.id,
        text(&e.at),
        text(&e.user),
        text(&e.table),
        text(&e.key),
        e.op.code(),
        object(&e.old),
        object(&e.new)
    )
}
