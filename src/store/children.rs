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

impl super::Reader<'_> {
    /// Which of the texts (by position) name a child of the database (first name and surname
    /// side by side); none read when the texts have fewer than two words.
    pub fn texts_naming_children(&self, texts: &[&str]) -> super::Result<Vec<usize>> {
        let pairs = crate::domain::names::WordPairs::of(texts);
        if pairs.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached("SELECT first_name, last_name FROM children")?;
        let mut rows = stmt.query([])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            let (first, last): (String, String) = (row.get(0)?, row.get(1)?);
            found.extend(pairs.naming(&first, &last));
        }
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }
}
