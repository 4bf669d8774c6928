//! Children known to the service.

use crate::domain::Child;
use rusqlite::Row;

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
