//! Referrals: children brought to the service.

use crate::domain::Referral;
use rusqlite::Row;

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
