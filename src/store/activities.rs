//! The team's work with settings beyond cases: clinics, training courses, transition support,
//! group work; and the county's monitoring meetings.

use super::settings;
use crate::domain::{Area, Clinic, GroupWork, MonitoringMeeting, RecordKind, Training, Transition};
use rusqlite::{Connection, Row};
use std::collections::BTreeMap;

/// The cases-discussed columns, then the cases later brought to LIFT, in `Area::ALL` order
/// (column name = area code, `to_lift_` + area code).
pub(super) const SELECT_CLINIC: &str = "SELECT c.key, c.date, c.phase, c.format, c.communication_interaction,
     c.cognition_learning, c.semh, c.sensory_physical, c.id, c.to_lift_communication_interaction,
     c.to_lift_cognition_learning, c.to_lift_semh, c.to_lift_sensory_physical FROM clinics c";

pub(super) fn clinic_from_row(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<Clinic> {
    let by_area = |from: usize| -> rusqlite::Result<BTreeMap<Area, i64>> {
        let mut counts = BTreeMap::new();
        for (i, area) in Area::ALL.iter().enumerate() {
            let n: i64 = row.get(from + i)?;
            if n != 0 {
                counts.insert(*area, n);
            }
        }
        Ok(counts)
    };
    let id: i64 = row.get(8)?;
    Ok(Clinic {
        key: row.get(0)?,
        date: row.get(1)?,
        phase: row.get(2)?,
        format: row.get(3)?,
        settings: settings::linked(conn, RecordKind::Clinic, id)?,
        cases_discussed: by_area(4)?,
        cases_to_lift: by_area(9)?,
    })
}

pub(super) const SELECT_TRAINING: &str =
    "SELECT t.key, t.date, t.title, t.kind, t.programme, t.phase, t.status,
     t.attendees, t.id FROM trainings t";

pub(super) fn training_from_row(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<Training> {
    let id: i64 = row.get(8)?;
    Ok(Training {
        key: row.get(0)?,
        date: row.get(1)?,
        title: row.get(2)?,
        kind: row.get(3)?,
        programme: row.get(4)?,
        phase: row.get(5)?,
        status: row.get(6)?,
        settings: settings::linked(conn, RecordKind::Training, id)?,
        attendees: row.get(7)?,
    })
}

pub(super) const SELECT_TRANSITION: &str =
    "SELECT t.key, t.date, s.key, t.events, t.id FROM transitions t JOIN settings s ON s.id = t.setting_id";

pub(super) fn transition_from_row(row: &Row<'_>) -> rusqlite::Result<Transition> {
    Ok(Transition { key: row.get(0)?, date: row.get(1)?, setting: row.get(2)?, events: row.get(3)? })
}

pub(super) const SELECT_GROUP_WORK: &str =
    "SELECT g.key, g.date, s.key, t.key, g.kind, g.children, g.area, g.notes, g.id FROM group_work g
     JOIN settings s ON s.id = g.setting_id LEFT JOIN staff t ON t.id = g.staff_id";

pub(super) fn group_work_from_row(row: &Row<'_>) -> rusqlite::Result<GroupWork> {
    Ok(GroupWork {
        key: row.get(0)?,
        date: row.get(1)?,
        setting: row.get(2)?,
        staff: row.get(3)?,
        kind: row.get(4)?,
        children: row.get(5)?,
        area: row.get(6)?,
        notes: row.get(7)?,
    })
}

pub(super) const SELECT_MONITORING: &str =
    "SELECT m.key, m.date, m.year, m.terms, m.questions, m.actions, m.id FROM monitoring_meetings m";

/// A JSON column read back; the table's CHECK keeps it an array the program wrote.
fn json_column<T: serde::de::DeserializeOwned>(row: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = row.get(i)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

pub(super) fn monitoring_from_row(row: &Row<'_>) -> rusqlite::Result<MonitoringMeeting> {
    Ok(MonitoringMeeting {
        key: row.get(0)?,
        date: row.get(1)?,
        year: row.get(2)?,
        terms: row.get(3)?,
        questions: json_column(row, 4)?,
        actions: json_column(row, 5)?,
    })
}
