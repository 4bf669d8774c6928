//! A subject access file (docs/privacy.md): everything held about one child, as JSON (each record in
//! the records file's form, then the audit log's entries about them) and as a printable page.
//! Nothing about any other child: a LIFT meeting is its date and kind only.

use super::audit::audit_line;
use super::pack::{STYLE, esc};
use crate::domain::Record;
use crate::store::{AuditEntry, Store, StoreError, SubjectAccess};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Who asked for what, when: the file's heading.
pub struct Heading<'a> {
    pub child_key: &'a str,
    pub district: &'a str,
    /// When the file was made (RFC 3339, UTC).
    pub made_at: &'a str,
}

/// The file names the two files get in the folder.
pub fn file_names(child_key: &str) -> (String, String) {
    let safe: String = child_key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    (format!("{safe}-subject-access.json"), format!("{safe}-subject-access.html"))
}

const ABOUT: &str = "Every record the service holds about this child (the child, their referrals, cases, \
    teachers allocated, targets, reviews, visits and case notes) and every entry of the audit log about \
    any of them, with when and by which user. A LIFT meeting appears by its date and kind only; staff \
    appear by name, in the role they acted in. Nothing about any other child is included.";

/// Each record in the records file's form (one JSON object each), settings and staff first, as
/// a records file has them.
fn record_lines(sa: &SubjectAccess) -> Vec<String> {
    let line = |r: &Record| serde_json::to_string(r).unwrap_or_default();
    let text = |s: &str| Value::from(s).to_string();
    let mut out: Vec<String> = sa.settings.iter().map(|s| line(&Record::Setting(s.clone()))).collect();
    // Staff by name and role: what they did for the child, not their employment.
    out.extend(sa.staff.iter().map(|s| {
        format!(
            "{{\"type\":\"staff\",\"key\":{},\"name\":{},\"role\":\"{}\"}}",
            text(&s.key),
            text(&s.name),
            s.role.code()
        )
    }));
    out.extend(sa.meetings.iter().map(|m| {
        format!(
            "{{\"type\":\"lift_meeting\",\"key\":{},\"date\":\"{}\",\"kind\":\"{}\"}}",
            text(&m.key),
            m.date,
            m.kind.code()
        )
    }));
    out.extend(sa.records.iter().map(line));
    out
}

/// The JSON file: `{"subject_access": {...}, "records": [...], "audit": [...]}`, one record or
/// entry a line so that it reads like a records file.
pub fn json(sa: &SubjectAccess, h: &Heading<'_>) -> String {
    let heading = json!({
        "child": h.child_key, "district": h.district, "made_at": h.made_at, "about": ABOUT,
        "records": sa.records.len(), "audit_entries": sa.audit.len(),
    });
    let records = record_lines(sa);
    let audit: Vec<String> = sa.audit.iter().map(|e| audit_line(e).trim_end().to_string()).collect();
    format!(
        "{{\"subject_access\":{heading},\n\"records\":[\n{}\n],\n\"audit\":[\n{}\n]}}\n",
        records.join(",\n"),
        audit.join(",\n")
    )
}

/// Names for the keys the records hold: settings, staff, meetings.
struct Names(BTreeMap<(&'static str, String), String>);

impl Names {
    fn of(sa: &SubjectAccess) -> Names {
        let mut m = BTreeMap::new();
        for s in &sa.settings {
            m.insert(("setting", s.key.clone()), s.name.clone());
        }
        for s in &sa.staff {
            m.insert(("staff", s.key.clone()), s.name.clone());
        }
        for x in &sa.meetings {
            m.insert(
                ("lift_meeting", x.key.clone()),
                format!("{} ({} meeting)", x.date.uk(), words(x.kind.code())),
            );
        }
        Names(m)
    }

    /// A field's value in words.
    fn shown(&self, field: &str, v: &Value) -> String {
        let text = match v {
            Value::Null => return String::new(),
            Value::String(s) => s.clone(),
            Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
            other => other.to_string(),
        };
        for kind in ["setting", "staff", "lift_meeting"] {
            if field == kind
                && let Some(name) = self.0.get(&(kind, text.clone()))
            {
                return name.clone();
            }
        }
        match crate::domain::Date::parse_iso(&text) {
            Ok(d) => d.uk(),
            Err(_) if text.chars().all(|c| c.is_ascii_lowercase() || c == '_') => words(&text),
            Err(_) => text,
        }
    }
}

fn words(code: &str) -> String {
    code.replace('_', " ")
}

/// A table of records of one type: a column per field (the key first).
fn table(names: &Names, rows: &[&Record]) -> String {
    let objects: Vec<Map<String, Value>> = rows
        .iter()
        .filter_map(|r| match serde_json::to_value(r) {
            Ok(Value::Object(mut m)) => {
                m.remove("type");
                Some(m)
            }
            _ => None,
        })
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for o in &objects {
        for k in o.keys() {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    columns.sort_by_key(|c| (c != "key", c == "text" || c == "notes"));
    let head: String = columns.iter().map(|c| format!("<th>{}</th>", esc(&words(c)))).collect();
    let body: String = objects
        .iter()
        .map(|o| {
            let cells: String = columns
                .iter()
                .map(|c| format!("<td>{}</td>", esc(&names.shown(c, o.get(c).unwrap_or(&Value::Null)))))
                .collect();
            format!("<tr>{cells}</tr>\n")
        })
        .collect();
    format!("<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n")
}

/// What an entry of the log changed, in words.
fn change(e: &AuditEntry) -> String {
    let object = |t: &Option<String>| match t.as_deref().map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(m))) => m,
        _ => Map::new(),
    };
    let (old, new) = (object(&e.old), object(&e.new));
    if let Some(Value::String(at)) = new.get("redacted").or(old.get("redacted")) {
        return format!("redacted by an erasure on {}", at.get(..10).unwrap_or(at));
    }
    let plain = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "(none)".into(),
        other => other.to_string(),
    };
    let fields: Vec<String> = match e.op {
        crate::store::AuditOp::Update => e
            .changed_fields()
            .iter()
            .map(|f| {
                let was = old.get(f).map(plain).unwrap_or_default();
                let now = new.get(f).map(plain).unwrap_or_default();
                format!("{f}: {was} → {now}")
            })
            .collect(),
        crate::store::AuditOp::Insert => new.iter().map(|(k, v)| format!("{k}: {}", plain(v))).collect(),
        crate::store::AuditOp::Delete => old.iter().map(|(k, v)| format!("{k}: {}", plain(v))).collect(),
    };
    fields.join("; ")
}

/// The printable page: a cover saying what the file is, then a section per kind of record, then
/// the audit log's entries.
pub fn html(sa: &SubjectAccess, h: &Heading<'_>) -> String {
    let names = Names::of(sa);
    let child = sa.records.iter().find_map(|r| match r {
        Record::Child(c) => Some(c),
        _ => None,
    });
    let who = child.map(|c| format!("{} {}", c.first_name, c.last_name)).unwrap_or_default();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Subject access {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(h.child_key)
    );
    out += &format!(
        "<section class=\"title\"><h1>Records held about {}</h1>\n<p>A subject access file: {}</p>\n<dl>\
         <dt>Child's key</dt><dd>{}</dd><dt>District</dt><dd>{}</dd><dt>Made</dt><dd>{}</dd>\
         <dt>Records</dt><dd>{}</dd><dt>Audit log entries</dt><dd>{}</dd></dl></section>\n",
        esc(&who),
        esc(ABOUT),
        esc(h.child_key),
        esc(h.district),
        esc(h.made_at),
        sa.records.len(),
        sa.audit.len()
    );
    let sections: [(&str, crate::domain::RecordKind); 8] = {
        use crate::domain::RecordKind as K;
        [
            ("The child", K::Child),
            ("Referrals", K::Referral),
            ("Cases", K::Case),
            ("Teachers allocated", K::Allocation),
            ("Targets", K::Target),
            ("Reviews", K::Review),
            ("Visits", K::Visit),
            ("Case notes", K::CaseNote),
        ]
    };
    for (title, kind) in sections {
        let rows: Vec<&Record> = sa.records.iter().filter(|r| r.kind() == kind).collect();
        // The cover is a page of its own; the records follow one another.
        let class = if kind == crate::domain::RecordKind::Child { " class=\"page\"" } else { "" };
        out += &format!("<section{class}><h2>{}</h2>\n", esc(title));
        out += &if rows.is_empty() {
            "<p class=\"muted\">None recorded.</p>\n".to_string()
        } else {
            table(&names, &rows)
        };
        out += "</section>\n";
    }
    out += "<section class=\"page\"><h2>The audit log</h2>\n<p>Every change made to the records above: \
            when (UTC), by which user of the computer, and what changed.</p>\n";
    out += "<table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Change</th></tr></thead><tbody>\n";
    for e in &sa.audit {
        let what = e.kind.map_or_else(|| words(&e.table), |k| k.label().to_string());
        out += &format!(
            "<tr><td>{}</td><td>{}</td><td>{} {} {}</td><td class=\"note\">{}</td></tr>\n",
            esc(&e.at),
            esc(&e.user),
            esc(&what),
            esc(&e.key),
            esc(e.op.verb()),
            esc(&change(e))
        );
    }
    out += "</tbody></table></section>\n</body>\n</html>\n";
    out
}

/// Why the files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("there is no child with the key \"{}\"", crate::domain::text::shown(.0))]
    NoChild(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Output(#[from] crate::files::OutputError),
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// What was written.
pub struct Written {
    pub files: Vec<PathBuf>,
    pub records: usize,
    pub entries: usize,
}

/// Writes the child's two files into `folder` (owner-only, through `files`: never over the
/// database or a file the program did not write, unless `force`).
pub fn write(store: &Store, child_key: &str, folder: &Path, force: bool) -> Result<Written, WriteError> {
    let reader = store.reader();
    let sa = reader.subject_access(child_key)?.ok_or_else(|| WriteError::NoChild(child_key.to_string()))?;
    let district = reader.district_name()?.unwrap_or_default();
    let made_at = store.clock().now_rfc3339();
    let heading = Heading { child_key, district: &district, made_at: &made_at };
    let (json_name, html_name) = file_names(child_key);
    let mut files = Vec::new();
    for (name, text) in [(json_name, json(&sa, &heading)), (html_name, html(&sa, &heading))] {
        let dest = folder.join(&name);
        let mut file = crate::files::open_output_with(&dest, &name, store.path(), force)?;
        let io = |source| WriteError::Io { path: dest.clone(), source };
        file.write_all(text.as_bytes()).map_err(io)?;
        file.finish().map_err(io)?;
        files.push(dest);
    }
    Ok(Written { files, records: sa.records.len(), entries: sa.audit.len() })
}
