//! Each record type's row: the table, its columns and the values. One place builds the INSERT
//! (new record) and the UPDATE (replacing a stored one by id) for every type.

use crate::domain::{Area, ManualValue, Profession, Record, RecordKind};
use rusqlite::types::Value;
use rusqlite::{Connection, ToSql};
use std::sync::OnceLock;

type Param<'r> = Box<dyn ToSql + 'r>;

fn p<'r, T: ToSql + 'r>(v: T) -> Param<'r> {
    Box::new(v)
}

/// The table, columns and values of a record. `ids` are the row ids of its references, in the
/// order of [`Record::refs`].
fn row<'r>(
    record: &'r Record,
    key: &'r str,
    ids: &'r [i64],
) -> (&'static str, &'static [&'static str], Vec<Param<'r>>) {
    match record {
        Record::District(d) => (
            "district",
            &["id", "key", "name", "retention"],
            vec![p(1), p("district"), p(&d.name), p(d.retention.map(|r| r.to_string()))],
        ),
        Record::TermDates(t) => (
            "term_dates",
            &["key", "t2", "t3", "t4", "t5", "t6"],
            vec![p(t.year), p(t.t2), p(t.t3), p(t.t4), p(t.t5), p(t.t6)],
        ),
        Record::ManualMeasure(m) => {
            let value = match &m.value {
                ManualValue::Number(x) => Value::Real(*x),
                ManualValue::Text(t) => Value::Text(t.clone()),
            };
            (
                "manual_measures",
                &["key", "year", "term", "measure", "value"],
                vec![p(key), p(m.year), p(m.term.number()), p(&m.id), p(value)],
            )
        }
        Record::MeasureNote(n) => (
            "measure_notes",
            &["key", "year", "term", "measure", "note", "not_collected"],
            vec![p(key), p(n.year), p(n.term.number()), p(&n.id), p(&n.note), p(n.not_collected)],
        ),
        Record::Setting(s) => (
            "settings",
            &["key", "name", "phase", "in_district", "urn", "closed", "link_teacher_id"],
            vec![p(&s.key), p(&s.name), p(s.phase), p(s.in_district), p(&s.urn), p(s.closed), p(ids.first())],
        ),
        Record::Staff(s) => (
            "staff",
            &["key", "name", "role", "area", "fte", "start_date", "end_date", "vacant"],
            vec![p(&s.key), p(&s.name), p(s.role), p(s.area), p(s.fte), p(s.start), p(s.end), p(s.vacant)],
        ),
        Record::Child(c) => (
            "children",
            &["key", "first_name", "last_name", "dob", "upn", "setting_id"],
            vec![p(&c.key), p(&c.first_name), p(&c.last_name), p(c.dob), p(&c.upn), p(ids.first())],
        ),
        Record::LiftMeeting(m) => {
            let mut values = vec![p(&m.key), p(m.date), p(m.kind)];
            values.extend(Profession::ALL.iter().map(|x| p(m.professionals.get(x).copied().unwrap_or(0))));
            values.extend([p(m.focus), p(m.status), p(m.deadline)]);
            ("lift_meetings", LIFT_COLUMNS, values)
        }
        Record::Referral(r) => (
            "referrals",
            &[
                "key",
                "child_id",
                "setting_id",
                "received",
                "phase",
                "area",
                "need",
                "lift_meeting_id",
                "outcome",
            ],
            vec![
                p(&r.key),
                p(ids[0]),
                p(ids[1]),
                p(r.received),
                p(r.phase),
                p(r.area),
                p(r.need),
                p(ids.get(2)),
                p(r.outcome),
            ],
        ),
        Record::Case(c) => (
            "cases",
            &[
                "key",
                "child_id",
                "setting_id",
                "phase",
                "area",
                "need",
                "opened",
                "closed",
                "closure_reason",
                "referral_id",
                "outreach",
                "open_reason",
                "senif",
            ],
            vec![
                p(&c.key),
                p(ids[0]),
                p(ids[1]),
                p(c.phase),
                p(c.area),
                p(c.need),
                p(c.opened),
                p(c.closed),
                p(c.closure_reason),
                p(ids.get(2)),
                p(c.outreach),
                p(c.open_reason),
                p(c.senif),
            ],
        ),
        Record::Allocation(a) => (
            "allocations",
            &["key", "case_id", "staff_id", "start_date", "end_date"],
            vec![p(&a.key), p(ids[0]), p(ids[1]), p(a.start), p(a.end)],
        ),
        Record::Target(t) => (
            "targets",
            &["key", "case_id", "text", "set_on", "ended", "review_by"],
            vec![p(&t.key), p(ids[0]), p(&t.text), p(t.set), p(t.ended), p(t.review_by)],
        ),
        Record::Review(r) => (
            "reviews",
            &["key", "case_id", "date", "outcome", "notes", "target_id"],
            vec![p(&r.key), p(ids[0]), p(r.date), p(r.outcome), p(&r.notes), p(ids.get(1))],
        ),
        Record::Visit(v) => (
            "visits",
            &["key", "case_id", "date", "staff_id", "purpose", "notes"],
            vec![p(&v.key), p(ids[0]), p(v.date), p(ids.get(1)), p(v.purpose), p(&v.notes)],
        ),
        Record::CaseNote(n) => (
            "case_notes",
            &["key", "case_id", "date", "text", "staff_id"],
            vec![p(&n.key), p(ids[0]), p(n.date), p(&n.text), p(ids.get(1))],
        ),
        Record::Clinic(c) => {
            let mut values = vec![p(&c.key), p(c.date), p(c.phase), p(c.format)];
            values.extend(Area::ALL.iter().map(|a| p(c.cases_discussed.get(a).copied().unwrap_or(0))));
            values.extend(Area::ALL.iter().map(|a| p(c.cases_to_lift.get(a).copied().unwrap_or(0))));
            ("clinics", CLINIC_COLUMNS, values)
        }
        Record::Training(t) => (
            "trainings",
            &["key", "date", "title", "kind", "programme", "phase", "status", "attendees"],
            vec![
                p(&t.key),
                p(t.date),
                p(&t.title),
                p(t.kind),
                p(t.programme),
                p(t.phase),
                p(t.status),
                p(t.attendees),
            ],
        ),
        Record::GroupWork(g) => (
            "group_work",
            &["key", "date", "setting_id", "staff_id", "kind", "children", "area", "notes"],
            vec![
                p(&g.key),
                p(g.date),
                p(ids[0]),
                p(ids.get(1)),
                p(g.kind),
                p(g.children),
                p(g.area),
                p(&g.notes),
            ],
        ),
        Record::MonitoringMeeting(m) => (
            "monitoring_meetings",
            &["key", "date", "year", "terms", "questions", "actions"],
            vec![
                p(&m.key),
                p(m.date),
                p(m.year),
                p(m.terms),
                p(json_array(&m.questions)),
                p(json_array(&m.actions)),
            ],
        ),
        Record::Transition(t) => (
            "transitions",
            &["key", "date", "setting_id", "events"],
            vec![p(&t.key), p(t.date), p(ids[0]), p(t.events)],
        ),
    }
}

/// A meeting's columns: the profession counts follow `Profession::ALL` (column = code).
const LIFT_COLUMNS: &[&str] = &[
    "key",
    "date",
    "kind",
    "stls_lead",
    "specialist_teacher",
    "educational_psychologist",
    "senif_practitioner",
    "early_help",
    "speech_language",
    "camhs",
    "health",
    "social_care",
    "other",
    "focus",
    "status",
    "deadline",
];

/// A clinic's columns: the counts by area follow `Area::ALL` (column = code).
const CLINIC_COLUMNS: &[&str] = &[
    "key",
    "date",
    "phase",
    "format",
    "communication_interaction",
    "cognition_learning",
    "semh",
    "sensory_physical",
    "to_lift_communication_interaction",
    "to_lift_cognition_learning",
    "to_lift_semh",
    "to_lift_sensory_physical",
];

/// A list held as a JSON array column (a monitoring meeting's questions and actions).
fn json_array<T: serde::Serialize>(items: &[T]) -> String {
    // Serialising strings and plain structs cannot fail; an empty array is never wrong.
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Writes a record's row: inserted when new, or the stored row `existing` replaced in place (so
/// what refers to it stays linked). Returns the row id.
pub(super) fn write_row(
    conn: &Connection,
    record: &Record,
    key: &str,
    ids: &[i64],
    existing: Option<i64>,
) -> rusqlite::Result<i64> {
    let (table, columns, mut values) = row(record, key, ids);
    let (insert, update) = statements(record.kind(), table, columns);
    match existing {
        None => {
            conn.prepare_cached(insert)?.execute(rusqlite::params_from_iter(values.iter()))?;
            Ok(conn.last_insert_rowid())
        }
        Some(id) => {
            values.push(p(id));
            conn.prepare_cached(update)?.execute(rusqlite::params_from_iter(values.iter()))?;
            Ok(id)
        }
    }
}

/// The INSERT and UPDATE of a record type, built once.
fn statements(kind: RecordKind, table: &str, columns: &[&str]) -> (&'static str, &'static str) {
    // One slot per record type, filled on first use: no lock on the path of every record.
    static BUILT: [OnceLock<(&'static str, &'static str)>; 32] = [const { OnceLock::new() }; 32];
    let build = || {
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let insert = format!("INSERT INTO {table} ({}) VALUES ({})", columns.join(", "), marks.join(", "));
        let sets: Vec<String> =
            columns.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 1)).collect();
        let update = format!("UPDATE {table} SET {} WHERE id = ?{}", sets.join(", "), columns.len() + 1);
        // Sixteen record types: built once each for the life of the program.
        (&*Box::leak(insert.into_boxed_str()), &*Box::leak(update.into_boxed_str()))
    };
    *BUILT[kind as usize].get_or_init(build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_type_has_a_statement_slot() {
        assert!(RecordKind::ALL.iter().all(|k| (*k as usize) < 32));
    }

    #[test]
    fn the_count_columns_follow_the_code_order() {
        let lift: Vec<&str> = Profession::ALL.iter().map(|p| p.code()).collect();
        assert_eq!(&LIFT_COLUMNS[3..3 + lift.len()], lift.as_slice());
        let clinic: Vec<&str> = Area::ALL.iter().map(|a| a.code()).collect();
        assert_eq!(&CLINIC_COLUMNS[4..8], clinic.as_slice());
        let to_lift: Vec<String> = clinic.iter().map(|a| format!("to_lift_{a}")).collect();
        assert_eq!(&CLINIC_COLUMNS[8..], to_lift.as_slice());
    }
}
