//! Changes made from the application: records added, replaced or removed together in one
//! transaction, checked against every rule, and undone as a whole.

use super::{AuditEntry, PutError, Result as StoreResult, Store, StoreError, keys::table};
use crate::domain::{Date, Record, RecordKind, rules};

/// One step of a change.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Add a new record (its key must be free).
    Add(Record),
    /// Replace the stored record with the same key (or add it if there is none).
    Replace(Record),
    /// Remove a stored record.
    Remove(RecordKind, String),
}

/// A change that was made: the steps that undo it, and the audit log's mark just after it (a
/// later change by anyone to a record it touched stops the undo).
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    pub undo: Vec<Op>,
    pub mark: i64,
    /// The log's mark just before it: its own entries are those after `from`, up to `mark`.
    pub from: i64,
}

impl Done {
    /// The log entries this change wrote, as a range of ids `(from, mark]`.
    pub fn entries(&self) -> (i64, i64) {
        (self.from, self.mark)
    }
}

/// Why a change was refused, in words for the person who made it. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Rules broken: (field, message).
    #[error("{}", .0.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join("; "))]
    Rules(Vec<(String, String)>),
    #[error("there is already a {kind} with the key \"{key}\"")]
    Duplicate { kind: &'static str, key: String },
    #[error("{}", .0.iter().map(|(f, k, key)| format!("{f}: there is no {k} \"{key}\"")).collect::<Vec<_>>().join("; "))]
    Missing(Vec<(String, &'static str, String)>),
    #[error(
        "the {kind} \"{key}\" cannot be removed: other records still refer to it (remove or change those first)"
    )]
    InUse { kind: &'static str, key: String },
    #[error("there is no {kind} \"{key}\" to remove")]
    NotFound { kind: &'static str, key: String },
    /// The record changed after it was read: nothing was written.
    #[error("{}", stale_message(.0))]
    Stale(Box<AuditEntry>),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for SaveError {
    /// A server's refusal of a stale record is the same refusal as a file's.
    fn from(e: StoreError) -> SaveError {
        match e {
            StoreError::Stale(entry) => SaveError::Stale(entry),
            other => SaveError::Store(other),
        }
    }
}

/// "the case K-12 was changed by ann at 14:05 on 5 Mar 2024 (closed, closure_reason) after it
/// was read here": who, when and what, for a refused stale save.
pub(super) fn stale_message(e: &AuditEntry) -> String {
    let what = e.kind.map_or(e.table.as_str(), |k| k.label());
    stale_message_of(e, &format!("the {what} {}", crate::domain::text::shown(&e.key)))
}

/// [`SaveError::Stale`]'s message with the record named as the caller names it ("the case of
/// A. Smith"): who changed it, when and what.
pub fn stale_message_of(e: &AuditEntry, what: &str) -> String {
    let fields = e.changed_fields();
    let fields = if fields.is_empty() { String::new() } else { format!(" ({})", fields.join(", ")) };
    format!(
        "{what} was {} by {} at {}{fields} after it was read here: nothing was saved",
        e.op.verb(),
        e.user,
        e.local_when()
    )
}

impl Store {
    /// Saves one record: added, or with `replace` replacing the stored one with its key.
    pub fn save(&mut self, record: &Record, replace: bool, today: Date) -> Result<Done, SaveError> {
        let op = if replace { Op::Replace(record.clone()) } else { Op::Add(record.clone()) };
        self.change(&[op], today)
    }

    /// Makes every step, in order, in one transaction, as of `today` (nothing that has happened
    /// may be dated after it); then checks the rules that relate records. On any refusal nothing
    /// is changed. Returns the steps that undo the change.
    pub fn change(&mut self, ops: &[Op], today: Date) -> Result<Done, SaveError> {
        self.apply(ops, today, None, true)
    }

    /// [`Store::change`] of records read at `mark` (the audit log's mark then): refused with
    /// [`SaveError::Stale`], writing nothing, when a record it replaces or removes was changed by
    /// anyone after the mark.
    pub fn change_read_at(&mut self, ops: &[Op], today: Date, mark: i64) -> Result<Done, SaveError> {
        self.apply(ops, today, Some((mark, &[])), true)
    }

    /// As [`Store::change_read_at`], but the log entries in `own` (ranges of ids, as
    /// [`Done::entries`] gives them) do not make a record stale: they are the session's own
    /// changes since the mark (an undo back through changes made and undone after it).
    pub fn change_read_at_except(
        &mut self,
        ops: &[Op],
        today: Date,
        mark: i64,
        own: &[(i64, i64)],
    ) -> Result<Done, SaveError> {
        self.apply(ops, today, Some((mark, own)), true)
    }

    /// Whether [`Store::change`] would accept these steps: every check is made, and nothing is
    /// kept (the transaction is rolled back).
    pub fn try_change(&mut self, ops: &[Op], today: Date) -> Result<(), SaveError> {
        self.apply(ops, today, None, false).map(|_| ())
    }

    fn apply(
        &mut self,
        ops: &[Op],
        today: Date,
        read_at: Option<(i64, &[(i64, i64)])>,
        commit: bool,
    ) -> Result<Done, SaveError> {
        for op in ops {
            if let Op::Add(r) | Op::Replace(r) = op {
                let broken = rules::violations(r, today);
                if !broken.is_empty() {
                    return Err(SaveError::Rules(
                        broken.into_iter().map(|v| (v.field.to_string(), v.message)).collect(),
                    ));
                }
            }
        }
        let writer = self.write()?;
        // Inside the write transaction: no one can change the records between this check and
        // the write.
        if let Some((mark, own)) = read_at {
            for op in ops {
                let (kind, key) = match op {
                    Op::Replace(r) => (r.kind(), r.key()),
                    Op::Remove(kind, key) => (*kind, key.clone()),
                    // A record added back by an undo may have been added again by someone else.
                    Op::Add(r) if !own.is_empty() => (r.kind(), r.key()),
                    Op::Add(_) => continue,
                };
                if let Some(entry) = writer.reader().changed_since_except(kind, &key, mark, own)? {
                    return Err(SaveError::Stale(Box::new(entry)));
                }
            }
        }
        let from = writer.reader().audit_mark()?;
        let mut batch = writer.batch(true)?;
        let mut undo = Vec::with_capacity(ops.len());
        for op in ops {
            match op {
                Op::Add(record) | Op::Replace(record) => {
                    let (kind, key) = (record.kind(), record.key());
                    let before = writer.reader().record(kind, &key)?;
                    if matches!(op, Op::Add(_)) && before.is_some() {
                        return Err(SaveError::Duplicate { kind: kind.label(), key });
                    }
                    writer.put(&mut batch, record).map_err(|e| match e {
                        PutError::Duplicate { .. } => {
                            SaveError::Duplicate { kind: kind.label(), key: key.clone() }
                        }
                        PutError::Missing(m) => SaveError::Missing(
                            m.into_iter().map(|m| (m.field.to_string(), m.kind.label(), m.key)).collect(),
                        ),
                        PutError::Store(e) => SaveError::Store(e),
                    })?;
                    undo.push(match before {
                        Some(old) => Op::Replace(old),
                        None => Op::Remove(kind, key),
                    });
                }
                Op::Remove(kind, key) => {
                    let Some(old) = writer.reader().record(*kind, key)? else {
                        return Err(SaveError::NotFound { kind: kind.label(), key: key.clone() });
                    };
                    remove(&writer, *kind, key)?;
                    undo.push(Op::Add(old));
                }
            }
        }
        let broken = writer.batch_violations(&batch)?;
        if !broken.is_empty() {
            return Err(SaveError::Rules(
                broken.into_iter().map(|v| (v.field.to_string(), v.message)).collect(),
            ));
        }
        let mut mark = writer.reader().audit_mark()?;
        let mut from = from;
        if commit {
            // On a server the log's entries are numbered by the server as it takes them.
            (from, mark) = writer.commit_entries()?;
        }
        undo.reverse();
        Ok(Done { undo, mark, from })
    }
}

fn remove(writer: &super::Writer<'_>, kind: RecordKind, key: &str) -> Result<(), SaveError> {
    let sql = format!("DELETE FROM {} WHERE key = ?1", table(kind));
    let result: StoreResult<usize> = writer.tx.execute(&sql, [key]).map_err(super::classify);
    match result {
        Ok(_) => Ok(()),
        Err(StoreError::Sql(e))
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
        {
            Err(SaveError::InUse { kind: kind.label(), key: key.to_string() })
        }
        Err(e) => Err(e.into()),
    }
}
