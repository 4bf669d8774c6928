//! The team's work with settings beyond cases: clinics, training courses, transition support.

use super::settings;
use crate::domain::{Area, Clinic, Training, Transition};
use rusqlite::{Connection, Row, params};
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
        settings: settings::linked(conn, "clinic_settings", "clinic_id", id)?,
        cases_discussed,
    })
}

/// `ids`: the attending settings.
pub(super) fn put_clinic(conn: &Connection, c: &Clinic, ids: &[i64]) -> rusqlite::Result<i64> {
    let n = |a: Area| c.cases_discussed.get(&a).copied().unwrap_or(0);
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO clinics (key, date, phase, format, communication_interaction, cognition_learning,
                 semh, sensory_physical)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (key) DO UPDATE SET date = excluded.date, phase = excluded.phase,
                 format = excluded.format, communication_interaction = excluded.communication_interaction,
                 cognition_learning = excluded.cognition_learning, semh = excluded.semh,
                 sensory_physical = excluded.sensory_physical
             RETURNING id",
        )?
        .query_row(
            params![
                c.key,
                c.date,
                c.phase,
                c.format,
                n(Area::CommunicationInteraction),
                n(Area::CognitionLearning),
                n(Area::Semh),
                n(Area::SensoryPhysical)
            ],
            |r| r.get(0),
        )?;
    settings::link(conn, "clinic_settings", "clinic_id", id, ids)?;
    Ok(id)
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
        settings: settings::linked(conn, "training_settings", "training_id", id)?,
        attendees: row.get(7)?,
    })
}

/// `ids`: the settings taking part.
pub(super) fn put_training(conn: &Connection, t: &Training, ids: &[i64]) -> rusqlite::Result<i64> {
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO trainings (key, date, title, kind, programme, phase, status, attendees)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (key) DO UPDATE SET date = excluded.date, title = excluded.title, kind = excluded.kind,
                 programme = excluded.programme, phase = excluded.phase, status = excluded.status,
                 attendees = excluded.attendees
             RETURNING id",
        )?
        .query_row(
            params![t.key, t.date, t.title, t.kind, t.programme, t.phase, t.status, t.attendees],
            |r| r.get(0),
        )?;
    settings::link(conn, "training_settings", "training_id", id, ids)?;
    Ok(id)
}

pub(super) const SELECT_TRANSITION: &str =
    "SELECT t.key, t.date, s.key, t.events, t.id FROM transitions t JOIN settings s ON s.id = t.setting_id";

pub(super) fn transition_from_row(row: &Row<'_>) -> rusqlite::Result<Transition> {
    Ok(Transition { key: row.get(0)?, date: row.get(1)?, setting: row.get(2)?, events: row.get(3)? })
}

/// `ids`: the setting.
pub(super) fn put_transition(conn: &Connection, t: &Transition, ids: &[i64]) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO transitions (key, date, setting_id, events) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key) DO UPDATE SET date = excluded.date, setting_id = excluded.setting_id,
             events = excluded.events
         RETURNING id",
    )?
    .query_row(params![t.key, t.date, ids[0], t.events], |r| r.get(0))
}
