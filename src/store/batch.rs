//! Writing records: the one path every writer takes (import, the UI's forms, the demo district).
//!
//! A [`Batch`] belongs to one [`Writer`] transaction. It knows which rows the transaction has
//! written, so it can tell a key used twice in one import from a key already stored, and so the
//! rules that relate records are checked only where this batch could have broken them.

use super::{Reader, Result, StoreError, Writer, rows, settings};
use crate::domain::{Record, RecordKind};
use rusqlite::Connection;
use rustc_hash::FxHashMap;
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

/// How many keys a batch remembers before it starts afresh (about 10 MB at most).
const CACHE_LIMIT: usize = 100_000;

/// The rows one transaction has written.
pub struct Batch {
    update: bool,
    /// Row ids of keys, of the types other records refer to, resolved or written in this batch:
    /// most references point at records written shortly before, and a hash lookup is far
    /// cheaper than an index search.
    cache: Vec<FxHashMap<Box<str>, i64>>,
    cached_keys: usize,
    /// Per record kind: the largest row id before the batch began.
    pub(super) before: Vec<i64>,
    /// Rows that existed before the batch and were replaced by it.
    pub(super) updated: HashSet<(RecordKind, i64)>,
    pub inserted: usize,
    pub replaced: usize,
    /// Audit triggers suspended for a bulk batch (see `bulk`).
    pub(super) suspended: Vec<super::bulk::Suspended>,
}

impl Batch {
    fn remember(&mut self, kind: RecordKind, key: &str, id: i64) {
        if !kind.is_referred_to() {
            return;
        }
        if self.cached_keys >= CACHE_LIMIT {
            self.cache.iter_mut().for_each(FxHashMap::clear);
            self.cached_keys = 0;
        }
        if self.cache[kind as usize].insert(key.into(), id).is_none() {
            self.cached_keys += 1;
        }
    }

    /// The id of a stored key: from the cache, or from the database.
    fn lookup(&mut self, reader: Reader<'_>, kind: RecordKind, key: &str) -> Result<Option<i64>> {
        if let Some(id) = self.cache[kind as usize].get(key) {
            return Ok(Some(*id));
        }
        let id = reader.id_of(kind, key)?;
        if let Some(id) = id {
            self.remember(kind, key, id);
        }
        Ok(id)
    }

    /// Whether a key's row, found stored, was written or replaced by this batch.
    fn wrote_row(&self, kind: RecordKind, id: i64) -> bool {
        id > self.before[kind as usize] || self.updated.contains(&(kind, id))
    }

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
        Ok(Batch {
            update,
            cache: vec![FxHashMap::default(); RecordKind::ALL.len()],
            cached_keys: 0,
            before,
            updated: HashSet::new(),
            inserted: 0,
            replaced: 0,
            suspended: Vec::new(),
        })
    }

    /// Writes one record whose own rules have been checked ([`crate::domain::rules::violations`]).
    /// References are resolved by key; if any is missing nothing is written.
    pub fn put(&self, batch: &mut Batch, record: &Record) -> Result<Put, PutError> {
        let reader = self.reader();
        let ids = resolve(reader, batch, record)?;
        let kind = record.kind();
        let key = record.key();
        // A stored record to replace must be looked for first. Otherwise the key is simply
        // written: its UNIQUE constraint refuses a key already taken, with no search of ours.
        let looked_for = kind == RecordKind::District || (batch.update && batch.before[kind as usize] > 0);
        let existing = if looked_for { batch.lookup(reader, kind, &key)? } else { None };
        if let Some(id) = existing {
            if batch.wrote_row(kind, id) {
                return Err(PutError::Duplicate { in_batch: true });
            }
            if let Record::District(d) = record
                && reader.district()?.as_ref() == Some(d)
            {
                batch.updated.insert((kind, id));
                return Ok(Put::Unchanged);
            }
            if !batch.update {
                return Err(PutError::Duplicate { in_batch: false });
            }
        }
        let id = match write(&self.tx, record, &key, &ids, existing) {
            Ok(id) => id,
            Err(e) => {
                if !looked_for && let Some(id) = reader.id_of(kind, &key)? {
                    return Err(PutError::Duplicate { in_batch: batch.wrote_row(kind, id) });
                }
                return Err(e.into());
            }
        };
        batch.remember(kind, &key, id);
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
fn resolve(reader: Reader<'_>, batch: &mut Batch, record: &Record) -> Result<Vec<i64>, PutError> {
    let refs = record.refs();
    let mut ids = Vec::with_capacity(refs.len());
    let mut missing = Vec::new();
    for r in refs {
        match batch.lookup(reader, r.kind, r.key)? {
            Some(id) => ids.push(id),
            None => missing.push(MissingRef { field: r.field, kind: r.kind, key: r.key.to_string() }),
        }
    }
    if missing.is_empty() { Ok(ids) } else { Err(PutError::Missing(missing)) }
}

/// Writes the record's row (inserting, or replacing the row `existing`) and returns its id.
fn write(
    conn: &Connection,
    record: &Record,
    key: &str,
    ids: &[i64],
    existing: Option<i64>,
) -> rusqlite::Result<i64> {
    let id = rows::write_row(conn, record, key, ids, existing)?;
    // The settings a meeting, clinic or course lists: `ids` are those settings, in order.
    if let Some((table, column)) = settings::link_table(record.kind()) {
        settings::link(conn, table, column, id, ids, existing.is_some())?;
    }
    Ok(id)
}
