//! LIFT meetings: when, which kind, which settings attended, which professionals came.

use super::settings;
use crate::domain::{LiftMeeting, Profession, RecordKind};
use rusqlite::{Connection, Row};
use std::collections::BTreeMap;

/// The profession columns are named by the profession's code; every column is read by name.
pub(super) const SELECT: &str = "SELECT m.key AS key, m.date AS date, m.kind AS kind, m.stls_lead,
     m.specialist_teacher, m.educational_psychologist, m.senif_practitioner, m.early_help,
     m.speech_language, m.camhs, m.health, m.social_care, m.other, m.id AS id, m.focus AS focus,
     m.status AS status, m.deadline AS deadline FROM lift_meetings m";

pub(super) fn from_row(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<LiftMeeting> {
    let mut professionals = BTreeMap::new();
    for profession in Profession::ALL {
        let n: i64 = row.get(profession.code())?;
        if n != 0 {
            professionals.insert(*profession, n);
        }
    }
    let id: i64 = row.get("id")?;
    Ok(LiftMeeting {
        key: row.get("key")?,
        date: row.get("date")?,
        kind: row.get("kind")?,
        focus: row.get("focus")?,
        settings: settings::linked(conn, RecordKind::LiftMeeting, id)?,
        professionals,
        status: row.get("status")?,
        deadline: row.get("deadline")?,
    })
}
