//! Settings: early years settings, schools and post-16 providers.

use crate::domain::{RecordKind, Setting};
use rusqlite::{Connection, Row};

pub(super) const SELECT: &str = "SELECT s.key AS \"key\", s.name AS \"name\", s.phase AS \"phase\",
     s.in_district AS \"in_district\", s.urn AS \"urn\", s.closed AS \"closed\",
     s.id AS \"id\",
     t.key AS \"link_teacher\"
     FROM settings s LEFT JOIN staff t ON t.id = s.link_teacher_id";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Setting> {
    Ok(Setting {
        key: row.get("key")?,
        name: row.get("name")?,
        phase: row.get("phase")?,
        in_district: row.get("in_district")?,
        urn: row.get("urn")?,
        closed: row.get("closed")?,
        link_teacher: row.get("link_teacher")?,
    })
}

/// The link table listing a record's settings, and its column naming the record (meetings,
/// clinics and courses list the settings that took part).
pub(super) fn link_table(kind: RecordKind) -> Option<(&'static str, &'static str)> {
    match kind {
        RecordKind::LiftMeeting => Some(("lift_meeting_settings", "meeting_id")),
        RecordKind::Clinic => Some(("clinic_settings", "clinic_id")),
        RecordKind::Training => Some(("training_settings", "training_id")),
        _ => None,
    }
}

/// Keys of the settings a meeting, clinic or course (`kind`, row `id`) lists, in key order.
pub(super) fn linked(conn: &Connection, kind: RecordKind, id: i64) -> rusqlite::Result<Vec<String>> {
    let Some((link_table, parent_column)) = link_table(kind) else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT s.key FROM {link_table} l JOIN settings s ON s.id = l.setting_id
         WHERE l.{parent_column} = ?1 ORDER BY s.key"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    stmt.query_map([id], |r| r.get(0))?.collect()
}

/// Links settings to a parent row, replacing any links it had (`replacing`: it had some).
pub(super) fn link(
    conn: &Connection,
    link_table: &str,
    parent_column: &str,
    id: i64,
    setting_ids: &[i64],
    replacing: bool,
) -> rusqlite::Result<()> {
    if replacing {
        conn.prepare_cached(&format!("DELETE FROM {link_table} WHERE {parent_column} = ?1"))?
            .execute([id])?;
    }
    let mut insert = conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO {link_table} ({parent_column}, setting_id) VALUES (?1, ?2)"
    ))?;
    for setting in setting_ids {
        insert.execute([id, *setting])?;
    }
    Ok(())
}
