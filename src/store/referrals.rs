//! Referrals: children brought to the service.

use crate::domain::Referral;
use rusqlite::{Connection, Row, params};

pub(super) const SELECT: &str =
    "SELECT r.key, c.key, s.key, r.received, r.phase, r.area, r.need, m.key, r.outcome, r.id
     FROM referrals r JOIN children c ON c.id = r.child_id JOIN settings s ON s.id = r.setting_id
     LEFT JOIN lift_meetings m ON m.id = r.lift_meeting_id";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Referral> {
    Ok(Referral {
        key: row.get(0)?,
        child: row.get(1)?,
        setting: row.get(2)?,
        received: row.get(3)?,
        phase: row.get(4)?,
        area: row.get(5)?,
        need: row.get(6)?,
        lift_meeting: row.get(7)?,
        outcome: row.get(8)?,
    })
}

/// `ids`: child, setting, then the LIFT meeting when given.
pub(super) fn put(conn: &Connection, r: &Referral, ids: &[i64]) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO referrals (key, child_id, setting_id, received, phase, area, need, lift_meeting_id, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (key) DO UPDATE SET child_id = excluded.child_id, setting_id = excluded.setting_id,
             received = excluded.received, phase = excluded.phase, area = excluded.area, need = excluded.need,
             lift_meeting_id = excluded.lift_meeting_id, outcome = excluded.outcome
         RETURNING id",
    )?
    .query_row(
        params![r.key, ids[0], ids[1], r.received, r.phase, r.area, r.need, ids.get(2), r.outcome],
        |row| row.get(0),
    )
}
