//! Staff posts of the team, filled or vacant.

use crate::domain::Staff;
use rusqlite::Row;

pub(super) const SELECT: &str =
    "SELECT s.key AS \"key\", s.name AS \"name\", s.role AS \"role\", s.area AS \"area\",
     s.fte AS \"fte\", s.start_date AS \"start\", s.end_date AS \"end\",
     s.vacant AS \"vacant\", s.id AS \"id\"
     FROM staff s";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Staff> {
    Ok(Staff {
        key: row.get("key")?,
        name: row.get("name")?,
        role: row.get("role")?,
        area: row.get("area")?,
        fte: row.get("fte")?,
        start: row.get("start")?,
        end: row.get("end")?,
        vacant: row.get("vacant")?,
    })
}
