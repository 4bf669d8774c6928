//! LIFT meetings: when, which kind, which settings attended, which professionals came.

use super::settings;
use crate::domain::{LiftMeeting, Profession, RecordKind};
use rusqlite::{Connection, Row};
use std::collections::BTreeMap;

/// The profession columns, in `Profession::ALL` order (column name = profession code).
pub(super) const SELECT: &str = "SELECT m.key, m.date, m.kind, m.stls_lead, m.specialist_teacher,
     m.educational_psychologist, m.senif_practitioner, m.early_help, m.speech_language, m.camhs,
     m.health, m.social_care, m.other, m.id, m.focus, m.status, m.deadline FROM lift_meetings m";

pub(super) const ID_COLUMN: usize = 13;
const FOCUS_COLUMN: usize = 14;
/// How many columns `SELECT` has: a query may add its own after them.
pub(super) const COLUMNS: usize = 17;

pub(super) fn from_row(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<LiftMeeting> {
    let mut professionals = BTreeMap::new();
    for (i, profession) in Profession::ALL.iter().enumerate() {
        let n: i64 = row.get(3 + i)?;
        if n != 0 {
            professionals.insert(*profession, n);
        }
    }
    let id: i64 = row.get(ID_COLUMN)?;
    Ok(LiftMeeting {
        key: row.get(0)?,
        date: row.get(1)?,
        kind: row.get(2)?,
        focus: row.get(FOCUS_COLUMN)?,
        settings: settings::linked(conn, RecordKind::LiftMeeting, id)?,
        professionals,
        status: row.get(FOCUS_COLUMN + 1)?,
        deadline: row.get(FOCUS_COLUMN + 2)?,
    })
}
