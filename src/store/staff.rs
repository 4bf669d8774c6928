//! Staff posts of the team, filled or vacant.

use crate::domain::Staff;
use rusqlite::{Connection, Row, params};

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

pub(super) fn put(conn: &Connection, s: &Staff) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO staff (key, name, role, area, fte, start_date, end_date, vacant)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, role = excluded.role, area = excluded.area,
             fte = excluded.fte, start_date = excluded.start_date, end_date = excluded.end_date,
             vacant = excluded.vacant
         RETURNING id",
    )?
    .query_row(params![s.key, s.name, s.role, s.area, s.fte, s.start, s.end, s.vacant], |r| r.get(0))
}
