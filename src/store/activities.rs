//! The team's work with settings beyond cases: clinics, training courses, transition support,
//! group work; and the county's monitoring meetings.

use super::settings;
use crate::domain::{Area, Clinic, GroupWork, MonitoringMeeting, RecordKind, Training, Transition};
use rusqlite::{Connection, Row};
use std::collections::BTreeMap;

/// A clinic's counts by area are columns named by the area's code (cases discussed) and
/// `to_lift_` and the code (cases later brought to LIFT); every column is read by name.
pub(super) const SELECT_CLINIC: &str =
    "SELECT c.key AS key, c.date AS date, c.phase AS phase, c.format AS format,
     c.communication_interaction, c.cognition_learning, c.semh, c.sensory_physical, c.id AS id,
     c.to_lift_communication_interaction, c.to_lift_cognition_learning, c.to_lift_semh,
     c.to_lift_sensory_physical
     FROM clinics c";

pub(super) fn clinic_from_row(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<Clinic> {
    let by_area = |prefix: &str| -> rusqlite::Result<BTreeMap<Area, i64>> {
        let mut counts = BTreeMap::new();
        for area in Area::ALL {
            let n: i64 = row.get(format!("{prefix}{}", area.code()).as_str())?;
            if n != 0 {
                counts.insert(*area, n);
            }
        }
        Ok(counts)
    };
    let id: i64 = row.get("id")?;
    Ok(Clinic {
        key: row.get("key")?,
        date: row.get("date")?,
        phase: row.get("phase")?,
        format: row.get("format")?,
        settings: settings::linked(conn, RecordKind::Clinic, id)?,
        cases_discussed: by_area("")?,
        cases_to_lift: by_area("to_lift_")?,
    })
}

pub(super) const SELECT_TRAINING: &str =
    "SELECT t.key AS \"key\", t.date AS \"date\", t.title AS \"title\", t.kind AS \"kind\",
     t.programme AS \"programme\", t.phase AS \"phase\", t.status AS \"status\",
     t.attendees AS \"attendees\", t.id AS \"id\"
     FROM trainings t";

pub(super) fn training_from_row(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<Training> {
    let id: i64 = row.get(8)?;
    Ok(Training {
        key: row.get("key")?,
        date: row.get("date")?,
        title: row.get("title")?,
        kind: row.get("kind")?,
        programme: row.get("programme")?,
        phase: row.get("phase")?,
        status: row.get("status")?,
        settings: settings::linked(conn, RecordKind::Training, id)?,
        attendees: row.get("attendees")?,
    })
}

pub(super) const SELECT_TRANSITION: &str =
    "SELECT t.key AS \"key\", t.date AS \"date\", s.key AS \"setting\",
     t.events AS \"events\",
     t.id AS \"id\"
     FROM transitions t JOIN settings s ON s.id = t.setting_id";

pub(super) fn transition_from_row(row: &Row<'_>) -> rusqlite::Result<Transition> {
    Ok(Transition {
        key: row.get("key")?,
        date: row.get("date")?,
        setting: row.get("setting")?,
        events: row.get("events")?,
    })
}

pub(super) const SELECT_GROUP_WORK: &str =
    "SELECT g.key AS \"key\", g.date AS \"date\", s.key AS \"setting\", t.key AS \"staff\",
     g.kind AS \"kind\", g.children AS \"children\", g.area AS \"area\", g.notes AS \"notes\",
     g.id AS \"id\"
     FROM group_work g JOIN settings s ON s.id = g.setting_id LEFT JOIN staff t ON t.id = g.staff_id";

pub(super) fn group_work_from_row(row: &Row<'_>) -> rusqlite::Result<GroupWork> {
    Ok(GroupWork {
        key: row.get("key")?,
        date: row.get("date")?,
        setting: row.get("setting")?,
        staff: row.get("staff")?,
        kind: row.get("kind")?,
        children: row.get("children")?,
        area: row.get("area")?,
        notes: row.get("notes")?,
    })
}

pub(super) const SELECT_MONITORING: &str =
    "SELECT m.key AS \"key\", m.date AS \"date\", m.year AS \"year\", m.terms AS \"terms\",
     m.questions AS questions, m.actions AS actions, m.id AS \"id\"
     FROM monitoring_meetings m";

/// A JSON column read back; the table's CHECK keeps it an array the program wrote.
fn json_column<T: serde::de::DeserializeOwned>(row: &Row<'_>, name: &str) -> rusqlite::Result<T> {
    let text: String = row.get(name)?;
    let i = row.as_ref().column_index(name)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

pub(super) fn monitoring_from_row(row: &Row<'_>) -> rusqlite::Result<MonitoringMeeting> {
    Ok(MonitoringMeeting {
        key: row.get("key")?,
        date: row.get("date")?,
        year: row.get("year")?,
        terms: row.get("terms")?,
        questions: json_column(row, "questions")?,
        actions: json_column(row, "actions")?,
    })
}
