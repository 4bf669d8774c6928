//! Erasing a child (docs/privacy.md): everything that identifies the child or says something about
//! them as a person is removed, the skeleton the returns count stays, the audit log's entries
//! about them are redacted (the chain still links), and the file keeps no trace of the erased
//! values (secure delete, the database rebuilt, the write-ahead log emptied).

use super::{Reader, Result, Store, StoreError, Writer, chain, triggers};
use crate::domain::Date;
use crate::domain::retention::erased_dob;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;
use std::path::PathBuf;

/// What an erased child is called everywhere ("erased child").
pub const ERASED_FIRST: &str = "erased";
pub const ERASED_LAST: &str = "child";
/// What an erased free text reads (targets and case notes must have a text).
pub const ERASED_TEXT: &str = "erased";
/// The start of an erased child's new key: nothing of the old one.
pub const ERASED_KEY_PREFIX: &str = "erased-";

/// The record tables whose rows hang off a case of the child.
const CASE_ITEMS: [&str; 5] = ["allocations", "targets", "reviews", "visits", "case_notes"];

/// One child erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub old_key: String,
    pub new_key: String,
    /// Entries of the audit log redacted.
    pub redacted: usize,
}

/// What an erasure did, and what it could not reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub children: Vec<Erased>,
    /// Whether the write-ahead log could be emptied (another program reading the database can
    /// keep it from being; it is emptied when that program closes).
    pub log_emptied: bool,
}

/// Why an erasure was refused (nothing was changed).
#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    #[error("there is no child with the key \"{}\"", crate::domain::text::shown(.0))]
    NoChild(String),
    #[error("the child {0} is erased already")]
    Erased(String),
    #[error(
        "the child {key} has an open case ({}): erasing them removes the records the team is working \
         from today, and cannot be undone. Close the case first, or give --force if the erasure must \
         happen now",
        .cases.join(", ")
    )]
    OpenCase { key: String, cases: Vec<String> },
    #[error(
        "the reason names or identifies a child (a name, date of birth or UPN): the erasure's record \
         must hold no personal data. Give the request's reference instead"
    )]
    PersonalReason,
    #[error("the reason is too long or holds control characters: at most 200 characters of plain text")]
    BadReason,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for EraseError {
    fn from(e: rusqlite::Error) -> EraseError {
        EraseError::Store(e.into())
    }
}

/// A new key that says nothing of the child and is not taken.
fn new_key(reader: Reader<'_>) -> Result<String> {
    loop {
        let key = format!("{ERASED_KEY_PREFIX}{:012x}", fastrand::u64(..) & 0xFFFF_FFFF_FFFF);
        let taken: bool = reader.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM children WHERE key = ?1) OR EXISTS (SELECT 1 FROM erasures WHERE key = ?1)",
            [&key],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(key);
        }
    }
}

fn keys(reader: Reader<'_>, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<Vec<String>> {
    reader.conn.prepare(sql)?.query_map(p, |r| r.get(0))?.collect()
}

/// The ids of the audit log's entries about the child `key` (row `id`): the child's own, those of
/// their referrals and cases (stored now or deleted), and of everything logged against their cases.
pub(super) fn entries_about(reader: Reader<'_>, id: i64, key: &str) -> rusqlite::Result<Vec<i64>> {
    AboutIndex::read(reader, Some(key))?.entries_about(reader, id, key)
}

/// The audit log's entries about children, read in one pass: erasing many children at once (a
/// retention run) looks each one up here instead of scanning the whole log twice per child.
#[derive(Default)]
struct AboutIndex {
    /// A child's key: the entries of the child and of cases and referrals naming them.
    by_child: HashMap<String, Vec<i64>>,
    /// A child's key: the cases whose entries name them (deleted cases too).
    cases_of_child: HashMap<String, Vec<String>>,
    /// A case's key: the entries of the records logged against it.
    by_case: HashMap<String, Vec<i64>>,
}

impl AboutIndex {
    /// Reads the log's unredacted entries about children: all of them, or about the child `only`
    /// (which narrows the scan of the children's and cases' entries, not of the case items').
    fn read(reader: Reader<'_>, only: Option<&str>) -> rusqlite::Result<AboutIndex> {
        let items = CASE_ITEMS.map(|t| format!("'{t}'")).join(", ");
        let mut index = AboutIndex::default();
        let mut stmt = reader.conn.prepare(&format!(
            "SELECT id, table_name, record_key, json_extract(old, '$.child'), json_extract(new, '$.child'),
                    coalesce(json_extract(new, '$.case'), json_extract(old, '$.case'))
             FROM audit WHERE redacted IS NULL AND table_name IN ('children', 'cases', 'referrals', {items})"
        ))?;
        let mut rows = stmt.query([])?;
        let text = |v: Value| match v {
            Value::Text(t) => Some(t),
            _ => None,
        };
        while let Some(r) = rows.next()? {
            let (entry, table, record_key): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let children = [text(r.get(3)?), text(r.get(4)?)];
            match table.as_str() {
                "children" => {
                    if only.is_none_or(|k| k == record_key) {
                        index.by_child.entry(record_key).or_default().push(entry);
                    }
                }
                "cases" | "referrals" => {
                    let mut named: Vec<String> = children.into_iter().flatten().collect();
                    named.dedup();
                    for child in named.into_iter().filter(|c| only.is_none_or(|k| k == c)) {
                        if table == "cases" {
                            index.cases_of_child.entry(child.clone()).or_default().push(record_key.clone());
                        }
                        index.by_child.entry(child).or_default().push(entry);
                    }
                }
                _ => {
                    if let Some(case) = text(r.get(5)?) {
                        index.by_case.entry(case).or_default().push(entry);
                    }
                }
            }
        }
        Ok(index)
    }

    /// The entries about the child `key` (row `id`), in the log's order.
    fn entries_about(&self, reader: Reader<'_>, id: i64, key: &str) -> rusqlite::Result<Vec<i64>> {
        let mut case_keys = keys(reader, "SELECT key FROM cases WHERE child_id = ?1", [id])?;
        case_keys.extend(self.cases_of_child.get(key).into_iter().flatten().cloned());
        case_keys.sort();
        case_keys.dedup();
        let mut ids: Vec<i64> = self.by_child.get(key).into_iter().flatten().copied().collect();
        for case in &case_keys {
            ids.extend(self.by_case.get(case).into_iter().flatten());
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }
}

impl Writer<'_> {
    /// Erases one child (see the module). `erasure` is not yet written: the caller records it.
    /// With it, what a server needs to redact its own log the same way: the entries redacted that
    /// were there before this write, the marker, and the log's last entry before those it adds.
    fn erase_one(
        &self,
        key: &str,
        force: bool,
        index: &AboutIndex,
    ) -> Result<(Erased, Redaction), EraseError> {
        let reader = self.reader();
        let conn = &*self.tx;
        let found: Option<(i64, Date)> = conn
            .query_row("SELECT id, dob FROM children WHERE key = ?1", [key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((id, dob)) = found else { return Err(EraseError::NoChild(key.to_string())) };
        if key.starts_with(ERASED_KEY_PREFIX) && erased(reader, key)? {
            return Err(EraseError::Erased(key.to_string()));
        }
        let open = keys(
            reader,
            "SELECT key FROM cases WHERE child_id = ?1 AND closed IS NULL ORDER BY opened",
            [id],
        )?;
        if !open.is_empty() && !force {
            return Err(EraseError::OpenCase { key: key.to_string(), cases: open });
        }
        let about = index.entries_about(reader, id, key)?;
        let new_key = new_key(reader)?;
        let before: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?;
        // The date of birth as coarse as the rules allow: the return counts by the phase recorded
        // on each referral and case, never by age (see `erased_dob`).
        let latest: Option<Date> = conn.query_row(
            "SELECT max(d) FROM (SELECT max(received) AS d FROM referrals WHERE child_id = ?1
                                 UNION ALL SELECT max(coalesce(closed, opened)) FROM cases WHERE child_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        conn.execute(
            "UPDATE children SET key = ?2, first_name = ?3, last_name = ?4, dob = ?5, upn = NULL WHERE id = ?1",
            params![id, new_key, ERASED_FIRST, ERASED_LAST, erased_dob(dob, latest)],
        )?;
        let of_cases = "case_id IN (SELECT id FROM cases WHERE child_id = ?1)";
        conn.execute(&format!("UPDATE targets SET text = ?2 WHERE {of_cases}"), params![id, ERASED_TEXT])?;
        conn.execute(&format!("UPDATE case_notes SET text = ?2 WHERE {of_cases}"), params![id, ERASED_TEXT])?;
        conn.execute(&format!("UPDATE reviews SET notes = NULL WHERE {of_cases}"), [id])?;
        conn.execute(&format!("UPDATE visits SET notes = NULL WHERE {of_cases}"), [id])?;
        // The entries the changes above wrote hold the old values too.
        let mut ids = about;
        ids.extend(keys_i64(reader, "SELECT id FROM audit WHERE id > ?1", [before])?);
        let at: String = conn.query_row("SELECT caseload_now()", [], |r| r.get(0))?;
        let key_of =
            |record_key: &str| if record_key == key { new_key.clone() } else { record_key.to_string() };
        let redacted = chain::redact(conn, &ids, &new_key, &at, &key_of)?;
        let redaction = Redaction {
            before_write: ids.iter().copied().filter(|id| *id <= self.start).collect(),
            marker: chain::marker(&new_key, &at),
            appended_after: conn.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?,
        };
        // Each record that stays is logged as it now stands, so every record still agrees with
        // its last entry.
        for (table, rows) in
            [("children", "id = ?1"), ("referrals", "child_id = ?1"), ("cases", "child_id = ?1")]
                .into_iter()
                .chain(CASE_ITEMS.map(|t| (t, of_cases)))
        {
            let state = triggers::logged_state(conn, table, "x")?;
            conn.execute(
                &format!(
                    "INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
                     SELECT caseload_now(), caseload_user(), '{table}', x.key, 'update', json_object('erasure', ?2), {state}
                     FROM {table} AS x WHERE {rows}"
                ),
                params![id, new_key],
            )?;
        }
        Ok((Erased { old_key: key.to_string(), new_key, redacted }, redaction))
    }
}

/// An erasure's redaction of the log, as a server does it again on its own log.
pub(super) struct Redaction {
    /// Entries written before this write (numbered as the server numbers them).
    pub before_write: Vec<i64>,
    pub marker: String,
    /// The log's last entry before the entries the erasure adds ("as it now stands", the erasure).
    pub appended_after: i64,
}

fn keys_i64(reader: Reader<'_>, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<Vec<i64>> {
    reader.conn.prepare(sql)?.query_map(p, |r| r.get(0))?.collect()
}

/// Whether the child `key` is one erased: an erased child's key and name say so (in a dump and
/// its import too, where no erasure is recorded).
fn erased(reader: Reader<'_>, key: &str) -> rusqlite::Result<bool> {
    reader.conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM children WHERE key = ?1 AND key GLOB 'erased-*'
                        AND first_name = ?2 AND last_name = ?3)",
        params![key, ERASED_FIRST, ERASED_LAST],
        |r| r.get(0),
    )
}

impl Reader<'_> {
    /// Whether the child with this key was erased.
    pub fn is_erased(&self, key: &str) -> Result<bool> {
        Ok(erased(*self, key)?)
    }

    /// How many entries of the audit log are redacted.
    pub fn audit_redacted(&self) -> Result<i64> {
        Ok(chain::redacted(self.conn)?)
    }
}

impl Store {
    /// Erases the children `keys` in one transaction (all or none), records each erasure in the
    /// audit log without personal data, then rebuilds the file so that no erased value is left in
    /// its free space, and empties the write-ahead log. Not undoable.
    pub fn erase(
        &mut self,
        keys: &[String],
        reason: Option<&str>,
        force: bool,
    ) -> Result<Erasure, EraseError> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = reason {
            if r.chars().count() > 200 || r.chars().any(char::is_control) {
                return Err(EraseError::BadReason);
            }
            if !self.reader().private_in_texts(&[r])?.is_empty() {
                return Err(EraseError::PersonalReason);
            }
        }
        if let Some(live) = self.remote.as_deref_mut() {
            live.may_erase()?;
        }
        let writer = self.write()?;
        let mut children = Vec::new();
        // Read before any child is erased: what the erasures write is about the erased children
        // only (each erasure takes its own new entries too), and redacting skips an entry done.
        let index = AboutIndex::read(writer.reader(), None)?;
        for key in keys {
            let (erased, redaction) = writer.erase_one(key, force, &index)?;
            writer.tx.execute(
                "INSERT INTO erasures (key, at, os_user, reason) VALUES (?1, caseload_now(), caseload_user(), ?2)",
                params![erased.new_key, reason],
            )?;
            writer.tx.execute(
                "INSERT INTO audit (at, os_user, table_name, record_key, op, new)
                 SELECT at, os_user, 'erasures', key, 'insert',
                        json_object('key', key, 'at', at, 'reason', reason, 'entries_redacted', ?2)
                 FROM erasures WHERE key = ?1",
                params![erased.new_key, erased.redacted as i64],
            )?;
            if writer.remote.is_some() {
                super::server::note_erasure(&writer.tx, &erased, &redaction)?;
            }
            children.push(erased);
        }
        writer.commit()?;
        let log_emptied = self.scrub()?;
        Ok(Erasure { children, log_emptied })
    }

    /// Leaves no deleted value anywhere in the file's bytes: the database is rebuilt (its free
    /// space and free pages held old values: secure delete clears what is deleted from now on,
    /// not what was left before), and the write-ahead log is written into it and emptied.
    /// Returns whether the log could be emptied (a reader in another program can hold it).
    fn scrub(&mut self) -> Result<bool> {
        if self.path.is_none() {
            return Ok(true);
        }
        self.conn.execute_batch("VACUUM").map_err(super::classify)?;
        let busy: i64 = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        Ok(busy == 0)
    }

    /// Where the database's own copies are kept beside it: the copies made before an upgrade
    /// (`NAME.v6.backup`) and before a restore (`NAME.before-restore-DATE`), with the backups
    /// `caseload backup` made (`recorded`), those that still exist and hold any of `keys`
    /// (a copy that cannot be read is named too: it may).
    pub fn backups_holding(&self, recorded: &[PathBuf], keys: &[String]) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = recorded.to_vec();
        if let Some(db) = &self.path
            && let (Some(folder), Some(name)) = (db.parent(), db.file_name().and_then(|n| n.to_str()))
        {
            let folder = if folder.as_os_str().is_empty() { std::path::Path::new(".") } else { folder };
            if let Ok(entries) = std::fs::read_dir(folder) {
                for entry in entries.flatten() {
                    let file = entry.file_name().to_string_lossy().into_owned();
                    let upgrade = file
                        .strip_prefix(name)
                        .and_then(|r| r.strip_prefix(".v"))
                        .is_some_and(|r| r.ends_with(".backup"));
                    let restore = file.strip_prefix(name).is_some_and(|r| r.starts_with(".before-restore-"));
                    if upgrade || restore {
                        found.push(entry.path());
                    }
                }
            }
        }
        found.sort();
        found.dedup();
        found.retain(|path| super::backup::may_hold(path, keys));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;

    /// The one-pass index gives every child the entries the per-child scan gives.
    #[test]
    fn the_index_finds_what_the_scan_of_each_child_finds() {
        let mut store = Store::open_in_memory_with(Clock::settable("2026-11-30T12:00:00Z")).unwrap();
        let options =
            crate::demo::DemoOptions { children: 120, years: 2, seed: 5, district: "Testshire".into() };
        let today = store.clock().today();
        crate::demo::generate(&mut store, &options, today, &mut |_| {}).unwrap();
        let reader = store.reader();
        let children: Vec<(i64, String)> = reader
            .conn
            .prepare("SELECT id, key FROM children")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let index = AboutIndex::read(reader, None).unwrap();
        let mut some = 0;
        for (id, key) in &children {
            let scanned = entries_about(reader, *id, key).unwrap();
            assert_eq!(index.entries_about(reader, *id, key).unwrap(), scanned, "child {key}");
            some += usize::from(scanned.len() > 1);
        }
        assert!(some > children.len() / 2, "most children have entries beyond their own");
    }
}
