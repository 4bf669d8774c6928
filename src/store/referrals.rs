//! Referrals: children brought to the service.

use crate::domain::Referral;
use rusqlite::Row;

pub(super) const SELECT: &str =
    "SELECT r.key AS \"key\", c.key AS \"child\", s.key AS \"setting\",
     r.received AS \"received\", r.phase AS \"phase\", r.area AS \"area\", r.need AS \"need\",
     m.key AS \"lift_meeting\", r.outcome AS \"outcome\",
     r.id AS \"id\"
     FROM referrals r JOIN children c ON c.id = r.child_id JOIN settings s ON s.id = r.setting_id LEFT JOIN lift_meetings m ON m.id = r.lift_meeting_id";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Referral> {
    Ok(Referral {
        key: row.get("key")?,
        child: row.get("child")?,
        setting: row.get("setting")?,
        received: row.get("received")?,
        phase: row.get("phase")?,
        area: row.get("area")?,
        need: row.get("need")?,
        lift_meeting: row.get("lift_meeting")?,
        outcome: row.get("outcome")?,
    })
}
