//! Staff posts of the team, filled or vacant.

use crate::domain::Staff;
use rusqlite::Row;

pub(super) const SELECT: &str =
    "SELECT s.key, s.name, s.role, s.area, s.fte, s.start_date, s.end_date, s.vacant, s.id FROM staff s";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Staff> {
    Ok(Staff {
        key: row.get(0)?,
        name: row.get(1)?,
        role: row.get(2)?,
        area: row.get(3)?,
        fte: row.get(4)?,
        start: row.get(5)?,
        end: row.get(6)?,
        vacant: row.get(7)?,
    })
}
