//! The team's work with settings beyond cases: clinics, training courses, transition support.

use super::settings;
use crate::domain::{Area, Clinic, RecordKind, Training, Transition};
use rusqlite::{Connection, Row};
use std::collections::BTreeMap;

/// The cases-discussed columns, in `Area::ALL` order (column name = area code).
pub(super) const SELECT_CLINIC: &str = "SELECT c.key, c.date, c.phase, c.format, c.communication_interaction,
     c.cognition_learning, c.semh, c.sensory_physical, c.id FROM clinics c";

pub(super) fn clinic_from_row(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<Clinic> {
    let mut cases_discussed = BTreeMap::new();
    for (i, area) in Area::ALL.iter().enumerate() {
        let n: i64 = row.get(4 + i)?;
        if n != 0 {
            cases_discussed.insert(*area, n);
        }
    }
    let id: i64 = row.get(8)?;
    Ok(Clinic {
        key: row.get(0)?,
        date: row.get(1)?,
        phase: row.get(2)?,
        format: row.get(3)?,
        settings: settings::linked(conn, RecordKind::Clinic, id)?,
        cases_discussed,
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
