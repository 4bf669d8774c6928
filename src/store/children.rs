//! Children known to the service.

use crate::domain::Child;
use crate::domain::Date;
use crate::domain::names::{Private, TextCheck};
use crate::domain::normal::name_key;
use rusqlite::Row;

pub(super) const SELECT: &str =
    "SELECT c.key AS \"key\", c.first_name AS \"first_name\", c.last_name AS \"last_name\",
     c.dob AS \"dob\", c.upn AS \"upn\", s.key AS \"setting\",
     c.id AS \"id\"
     FROM children c LEFT JOIN settings s ON s.id = c.setting_id";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Child> {
    Ok(Child {
        key: row.get("key")?,
        first_name: row.get("first_name")?,
        last_name: row.get("last_name")?,
        dob: row.get("dob")?,
        upn: row.get("upn")?,
        setting: row.get("setting")?,
    })
}

impl super::Reader<'_> {
    /// What in the texts (by position) identifies a child of the database: a name, a UPN, a date
    /// of birth (see `domain::names`); nothing read when the texts are blank.
    pub fn private_in_texts(&self, texts: &[&str]) -> super::Result<Vec<(usize, Private)>> {
        let mut check = TextCheck::of(texts);
        if check.is_empty() {
            return Ok(Vec::new());
        }
        // Every child's name: on the server when the return's figures are read there.
        self.records().grouped("SELECT first_name, last_name, dob, upn FROM children", &[], |row| {
            let (first, last): (String, String) = (row.get(0)?, row.get(1)?);
            let (dob, upn): (Date, Option<String>) = (row.get(2)?, row.get(3)?);
            check.child(&first, &last, Some(dob), upn.as_deref());
            Ok(())
        })?;
        Ok(check.found())
    }
}

impl super::Reader<'_> {
    /// The children of the database named in the texts (a given name beside the surname, as
    /// [`TextCheck`] finds them). Only the texts that name some child are read again child by child.
    pub fn children_named_in(&self, texts: &[&str]) -> super::Result<Vec<Child>> {
        let naming: Vec<&str> = self
            .private_in_texts(texts)?
            .into_iter()
            .filter(|(_, p)| *p == Private::Name)
            .filter_map(|(i, _)| texts.get(i).copied())
            .collect();
        if naming.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(SELECT)?;
        let mut named = Vec::new();
        for child in stmt.query_map([], from_row)? {
            let child = child?;
            let mut check = TextCheck::of(&naming);
            check.child(&child.first_name, &child.last_name, None, None);
            if !check.found().is_empty() {
                named.push(child);
            }
        }
        Ok(named)
    }
}

/// Registers `caseload_name_key(name)`, the SQL face of `domain::normal::name_key`, so that the
/// rule that finds the same child in SQL compares names exactly as the text check does. Every
/// connection gets it (see `open::configure`).
pub(super) fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags =
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("caseload_name_key", 1, flags, |ctx| {
        let name: Option<String> = ctx.get(0)?;
        Ok(name.map(|n| name_key(&n)))
    })
}
