//! Writing records: the one path every writer takes (import, the UI's forms, the demo district).
//!
//! A [`Batch`] belongs to one [`Writer`] transaction. It knows which rows the transaction has
//! written, so it can tell a key used twice in one import from a key already stored, and so the
//! rules that relate records are checked only where this batch could have broken them.

use super::{
    Reader, Result, StoreError, Writer, activities, calendar, cases, children, lift, referrals, settings,
    staff,
};
use crate::domain::{Record, RecordKind};
use rusqlite::Connection;
use std::collections::HashSet;

/// What a put did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Inserted,
    Updated,
    /// The same record was already stored (only the district, whose "key" is implicit).
    Unchanged,
}

/// A reference to a record that is not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRef {
    pub field: &'static str,
    pub kind: RecordKind,
    pub key: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PutError {
    /// The key is taken: by a record written earlier in this batch, or (when not updating) by a
    /// stored record.
    #[error("duplicate key")]
    Duplicate { in_batch: bool },
    /// One or more referenced records are not stored (nothing was written).
    #[error("missing references")]
    Missing(Vec<MissingRef>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for PutError {
    fn from(e: rusqlite::Error) -> PutError {
        PutError::Store(super::classify(e))
    }
}

/// The rows one transaction has written.
pub struct Batch {
    update: bool,
    /// Per record kind: the largest row id before the batch began.
    pub(super) before: Vec<i64>,
    /// Rows that existed before the batch and were replaced by it.
    pub(super) updated: HashSet<(RecordKind, i64)>,
    pub inserted: usize,
    pub replaced: usize,
}

impl Batch {
    pub fn updated_ids(&self, kind: RecordKind) -> impl Iterator<Item = i64> + '_ {
        self.updated.iter().filter(move |(k, _)| *k == kind).map(|(_, id)| *id)
    }
}

impl Writer<'_> {
    /// Starts a batch. With `update`, a record whose key is already stored replaces it; without,
    /// that is refused as a duplicate.
    pub fn batch(&self, update: bool) -> Result<Batch> {
        let reader = self.reader();
        let before = RecordKind::ALL.iter().map(|k| reader.max_id(*k)).collect::<Result<_>>()?;
        Ok(Batch { update, before, updated: HashSet::new(), inserted: 0, replaced: 0 })
    }

    /// Writes one record whose own rules have been checked ([`crate::domain::rules::violations`]).
    /// References are resolved by key; if any is missing nothing is written.
    pub fn put(&self, batch: &mut Batch, record: &Record) -> Result<Put, PutError> {
        let reader = self.reader();
        let ids = resolve(reader, record)?;
        let kind = record.kind();
        let key = record.key();
        let existing = reader.id_of(kind, &key)?;
        if let Some(id) = existing {
            if id > batch.before[kind as usize] || batch.updated.contains(&(kind, id)) {
                return Err(PutError::Duplicate { in_batch: true });
            }
            if let Record::District(d) = record
                && reader.district_name()?.as_deref() == Some(d.name.as_str())
            {
                batch.updated.insert((kind, id));
                return Ok(Put::Unchanged);
            }
            if !batch.update {
                return Err(PutError::Duplicate { in_batch: false });
            }
        }
        let id = write(&self.tx, record, &key, &ids)?;
        if existing.is_some() {
            batch.updated.insert((kind, id));
            batch.replaced += 1;
            Ok(Put::Updated)
        } else {
            batch.inserted += 1;
            Ok(Put::Inserted)
        }
    }
}

/// The row ids of a record's references, in the order of [`Record::refs`].
fn resolve(reader: Reader<'_>, record: &Record) -> Result<Vec<i64>, PutError> {
    let refs = record.refs();
    let mut ids = Vec::with_capacity(refs.len());
    let mut missing = Vec::new();
    for r in refs {
        match reader.id_of(r.kind, r.key)? {
            Some(id) => ids.push(id),
            None => missing.push(MissingRef { field: r.field, kind: r.kind, key: r.key.to_string() }),
        }
    }
    if missing.is_empty() { Ok(ids) } else { Err(PutError::Missing(missing)) }
}

fn write(conn: &Connection, record: &Record, key: &str, ids: &[i64]) -> rusqlite::Result<i64> {
    match record {
        Record::District(d) => calendar::put_district(conn, d),
        Record::TermDates(t) => calendar::put_term_dates(conn, t),
        Record::ManualMeasure(m) => calendar::put_manual(conn, m, key),
        Record::Setting(s) => settings::put(conn, s),
        Record::Staff(s) => staff::put(conn, s),
        Record::Child(c) => children::put(conn, c, ids),
        Record::LiftMeeting(m) => lift::put(conn, m, ids),
        Record::Referral(r) => referrals::put(conn, r, ids),
        Record::Case(c) => cases::put_case(conn, c, ids),
        Record::Allocation(a) => cases::put_allocation(conn, a, ids),
        Record::Target(t) => cases::put_target(conn, t, ids),
        Record::Review(r) => cases::put_review(conn, r, ids),
        Record::Visit(v) => cases::put_visit(conn, v, ids),
        Record::Clinic(c) => activities::put_clinic(conn, c, ids),
        Record::Training(t) => activities::put_training(conn, t, ids),
        Record::Transition(t) => activities::put_transition(conn, t, ids),
    }
}
