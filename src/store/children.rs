//! Children known to the service.

use crate::domain::Child;
use rusqlite::{Connection, Row, params};

pub(super) const SELECT: &str = "SELECT c.key, c.first_name, c.last_name, c.dob, c.upn, s.key, c.id
     FROM children c LEFT JOIN settings s ON s.id = c.setting_id";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Child> {
    Ok(Child {
        key: row.get(0)?,
        first_name: row.get(1)?,
        last_name: row.get(2)?,
        dob: row.get(3)?,
        upn: row.get(4)?,
        setting: row.get(5)?,
    })
}

/// `ids`: the child's setting, when it has one.
pub(super) fn put(conn: &Connection, c: &Child, ids: &[i64]) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO children (key, first_name, last_name, dob, upn, setting_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (key) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
             dob = excluded.dob, upn = excluded.upn, setting_id = excluded.setting_id
         RETURNING id",
    )?
    .query_row(params![c.key, c.first_name, c.last_name, c.dob, c.upn, ids.first()], |r| r.get(0))
}
