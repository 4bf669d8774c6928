//! The audit log (migration 0002): who changed which record, when, and from what to what.
//!
//! The log is written by SQLite triggers, in the same transaction as each change, so every writer
//! is covered without taking part. The triggers call `caseload_user()`, registered here on every
//! connection the program opens; a program without it cannot write records. This module reads
//! the log: for `caseload audit`, and for the UI's chronology of a record ("changed by ... on ...").
//!
//! Entries hold names and dates of birth, as the records do: they stay in the database and are
//! never written to log files or exports of figures.

use super::{Reader, Result, keys};
use crate::domain::{Date, RecordKind};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension, Row};
use std::sync::OnceLock;

/// What a change did to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditOp {
    Insert,
    Update,
    Delete,
}

impl AuditOp {
    pub fn code(self) -> &'static str {
        match self {
            AuditOp::Insert => "insert",
            AuditOp::Update => "update",
            AuditOp::Delete => "delete",
        }
    }

    /// "added", "changed", "deleted": for sentences like "changed by ann on 5 Mar 2024".
    pub fn verb(self) -> &'static str {
        match self {
            AuditOp::Insert => "added",
            AuditOp::Update => "changed",
            AuditOp::Delete => "deleted",
        }
    }

    fn from_code(code: &str) -> Option<AuditOp> {
        match code {
            "insert" => Some(AuditOp::Insert),
            "update" => Some(AuditOp::Update),
            "delete" => Some(AuditOp::Delete),
            _ => None,
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Increasing in the order the changes were made.
    pub id: i64,
    /// When, in UTC: `2024-03-05T14:05:09.123Z`.
    pub at: String,
    /// The OS user of the program that made the change.
    pub user: String,
    /// The table changed (`cases`, `lift_meeting_settings`, ...).
    pub table: String,
    /// The record type the table holds; for a link table (the settings of a LIFT meeting, clinic
    /// or course), the type of the meeting, clinic or course.
    pub kind: Option<RecordKind>,
    /// The record's key (for a link table, the key of its meeting, clinic or course).
    pub key: String,
    pub op: AuditOp,
    /// The row before the change, as a JSON object (update and delete).
    pub old: Option<String>,
    /// The row after the change, as a JSON object (insert and update).
    pub new: Option<String>,
}

impl AuditEntry {
    /// The day of the change (UTC).
    pub fn date(&self) -> Option<Date> {
        self.at.get(..10).and_then(|d| Date::parse_iso(d).ok())
    }

    /// When, in the machine's local time, as people read it: "14:05 on 5 Mar 2024" (the stored
    /// time when it cannot be read).
    pub fn local_when(&self) -> String {
        match chrono::DateTime::parse_from_rfc3339(&self.at) {
            Ok(t) => {
                let t = t.with_timezone(&chrono::Local);
                format!("{} on {}", t.format("%H:%M"), Date::from(t.date_naive()).uk())
            }
            Err(_) => self.at.clone(),
        }
    }

    /// The fields whose value an update changed, in the table's column order; empty for an
    /// insert or a delete.
    pub fn changed_fields(&self) -> Vec<String> {
        let (Some(old), Some(new)) = (&self.old, &self.new) else { return Vec::new() };
        let object = |text: &str| match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        let (old, new) = (object(old), object(new));
        let mut fields: Vec<String> =
            new.iter().filter(|(k, v)| old.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect();
        fields.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
        fields
    }
}

/// The table of each record type's links to settings.
fn link_table(kind: RecordKind) -> Option<&'static str> {
    match kind {
        RecordKind::LiftMeeting => Some("lift_meeting_settings"),
        RecordKind::Clinic => Some("clinic_settings"),
        RecordKind::Training => Some("training_settings"),
        _ => None,
    }
}

fn kind_of_table(table: &str) -> Option<RecordKind> {
    RecordKind::ALL.iter().copied().find(|k| keys::table(*k) == table || link_table(*k) == Some(table))
}

const SELECT: &str = "SELECT id, at, os_user, table_name, record_key, op, old, new FROM audit";

fn from_row(row: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    let table: String = row.get(3)?;
    let op: String = row.get(5)?;
    Ok(AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        user: row.get(2)?,
        kind: kind_of_table(&table),
        table,
        key: row.get(4)?,
        // The table's CHECK allows only the three codes.
        op: AuditOp::from_code(&op).unwrap_or(AuditOp::Update),
        old: row.get(6)?,
        new: row.get(7)?,
    })
}

impl Reader<'_> {
    /// Every entry made on or after `since` (a UTC day; all entries when `None`), oldest first,
    /// handed to `f` one at a time (the log of a large district does not fit in memory).
    pub fn each_audit_entry(
        &self,
        since: Option<Date>,
        f: &mut dyn FnMut(AuditEntry) -> Result<()>,
    ) -> Result<()> {
        let since = since.map(|d| d.to_string()).unwrap_or_default();
        let mut stmt = self.conn.prepare(&format!("{SELECT} WHERE at >= ?1 ORDER BY id"))?;
        let mut rows = stmt.query([since])?;
        while let Some(row) = rows.next()? {
            f(from_row(row)?)?;
        }
        Ok(())
    }

    /// The entries made on or after `since` (a UTC day), oldest first.
    pub fn audit_since(&self, since: Date) -> Result<Vec<AuditEntry>> {
        let mut entries = Vec::new();
        self.each_audit_entry(Some(since), &mut |e| {
            entries.push(e);
            Ok(())
        })?;
        Ok(entries)
    }

    /// The history of one record, oldest first: its own entries and, for a LIFT meeting, clinic
    /// or course, the entries of its links to settings.
    pub fn audit_of(&self, kind: RecordKind, key: &str) -> Result<Vec<AuditEntry>> {
        let table = keys::table(kind);
        let link = link_table(kind).unwrap_or(table);
        let sql = format!("{SELECT} WHERE record_key = ?1 AND table_name IN (?2, ?3) ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map((key, table, link), from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest entry of a record (for "changed by ann on 5 Mar 2024"), if any.
    pub fn last_change(&self, kind: RecordKind, key: &str) -> Result<Option<AuditEntry>> {
        Ok(self.audit_of(kind, key)?.pop())
    }

    /// The chronology of a case: the entries of the case and of the allocations, targets,
    /// reviews and visits now stored for it, oldest first. (An item deleted from the case is
    /// found by its own key with [`Reader::audit_of`].)
    pub fn audit_of_case(&self, case_key: &str) -> Result<Vec<AuditEntry>> {
        let mut entries = self.audit_of(RecordKind::Case, case_key)?;
        for kind in [
            RecordKind::Allocation,
            RecordKind::Target,
            RecordKind::Review,
            RecordKind::Visit,
            RecordKind::CaseNote,
        ] {
            let sql = format!(
                "SELECT x.key FROM {} x JOIN cases c ON c.id = x.case_id WHERE c.key = ?1",
                keys::table(kind)
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let item_keys: Vec<String> =
                stmt.query_map([case_key], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            for key in item_keys {
                entries.extend(self.audit_of(kind, &key)?);
            }
        }
        entries.sort_by_key(|e| e.id);
        Ok(entries)
    }

    /// The log's last entry: every committed change of a record adds one, so it marks a moment of
    /// the data. What a screen shows was read at the mark taken before reading it.
    pub fn audit_mark(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?)
    }

    /// The latest change of a record made after `mark` (by anyone), if any.
    pub fn changed_since(&self, kind: RecordKind, key: &str, mark: i64) -> Result<Option<AuditEntry>> {
        let table = keys::table(kind);
        let link = link_table(kind).unwrap_or(table);
        let sql = format!(
            "{SELECT} WHERE record_key = ?1 AND table_name IN (?2, ?3) AND id > ?4 ORDER BY id DESC LIMIT 1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt.query_row((key, table, link, mark), from_row).optional()?)
    }

    /// As [`Reader::changed_since`], passing over the entries whose ids lie in one of the ranges
    /// `(from, to]` of `own`.
    pub fn changed_since_except(
        &self,
        kind: RecordKind,
        key: &str,
        mark: i64,
        own: &[(i64, i64)],
    ) -> Result<Option<AuditEntry>> {
        if own.is_empty() {
            return self.changed_since(kind, key, mark);
        }
        let table = keys::table(kind);
        let link = link_table(kind).unwrap_or(table);
        let sql =
            format!("{SELECT} WHERE record_key = ?1 AND table_name IN (?2, ?3) AND id > ?4 ORDER BY id DESC");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map((key, table, link, mark), from_row)?;
        for entry in rows {
            let entry = entry?;
            if !own.iter().any(|(from, to)| entry.id > *from && entry.id <= *to) {
                return Ok(Some(entry));
            }
        }
        Ok(None)
    }

    /// One entry by its id.
    pub fn audit_entry(&self, id: i64) -> Result<Option<AuditEntry>> {
        let mut stmt = self.conn.prepare_cached(&format!("{SELECT} WHERE id = ?1"))?;
        Ok(stmt.query_row([id], from_row).optional()?)
    }

    /// How many entries the log holds.
    pub fn audit_len(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?)
    }
}

/// The OS user running this program: the account name of the effective user on Unix (from the
/// user database, not the environment), `USERNAME` on Windows; never empty.
pub fn current_user() -> &'static str {
    static USER: OnceLock<String> = OnceLock::new();
    USER.get_or_init(|| {
        crate::platform::user::account_name()
            .or_else(|| {
                ["USER", "LOGNAME", "USERNAME"]
                    .iter()
                    .filter_map(|v| std::env::var(v).ok())
                    .find(|v| !v.trim().is_empty())
            })
            .unwrap_or_else(crate::platform::user::unknown_user)
    })
}

/// Registers the SQL functions the audit triggers call. Every connection gets them (see
/// `open::configure`); without them no record can be written.
pub(super) fn register_functions(conn: &Connection, clock: crate::clock::Clock) -> rusqlite::Result<()> {
    let user = current_user();
    // Deterministic (it cannot change while the program runs), so SQLite may evaluate it once per
    // statement; innocuous, so it may be used in triggers even with `trusted_schema` off.
    let flags =
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("caseload_user", 0, flags, move |_| Ok(user))?;
    // The log's times come from the program's clock, not SQLite's (so a fixed or moved clock is
    // the one every part of the program agrees on).
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("caseload_now", 0, flags, move |_| Ok(clock.now_millis()))
}
