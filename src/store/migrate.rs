//! Ordered schema migrations; the version lives in `PRAGMA user_version`.
//!
//! Migration N (1-based) takes the schema from version N-1 to N. Shipped migrations never change:
//! a new schema is a new file at the end of the list.

use super::{Result, StoreError, classify};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_records.sql"),
    include_str!("migrations/0002_audit.sql"),
    include_str!("migrations/0003_audit_chain.sql"),
    include_str!("migrations/0004_monitoring.sql"),
    include_str!("migrations/0005_daily_work.sql"),
    include_str!("migrations/0006_clock.sql"),
    include_str!("migrations/0007_privacy.sql"),
    include_str!("migrations/0008_practices.sql"),
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Brings the schema up to [`SCHEMA_VERSION`] in one transaction. An existing database (version
/// 1 or more) is first copied beside itself, so a failed migration leaves the original untouched
/// and a successful one can still be undone.
pub(super) fn migrate(conn: &mut Connection, path: Option<&Path>) -> Result<()> {
    migrate_to(conn, path, SCHEMA_VERSION)
}

/// [`migrate`] up to version `target` only (a test makes the databases older programs left).
fn migrate_to(conn: &mut Connection, path: Option<&Path>, target: i64) -> Result<()> {
    let found = user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(path, found));
    }
    if found >= target {
        return Ok(());
    }
    if let (Some(path), true) = (path, found > 0) {
        let mut copy = path.as_os_str().to_owned();
        copy.push(format!(".v{found}.backup"));
        super::backup::backup_connection(conn, Path::new(&copy))?;
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(classify)?;
    // Another process may have migrated while we waited for the write lock.
    let found = user_version(&tx)?;
    if found > SCHEMA_VERSION {
        return Err(too_new(path, found));
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().take(target as usize).skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    // The audit triggers follow the tables as they now are, and the entries made so far (before
    // the chain existed) are sealed as they stand.
    super::triggers::make(&tx)?;
    if found < 3 {
        super::chain::baseline(&tx)?;
    }
    // Records logged before gain the columns added since: each is logged once with all of them.
    if found >= 2 {
        super::chain::log_added_columns(&tx, found, target)?;
    }
    // Version 7 keeps each entry's content hash beside its seal: the seals so far are made again.
    if found < 7 && target >= 7 {
        super::chain::seal_again_with_content(&tx)?;
    }
    super::chain::seal(&tx, 0)?;
    tx.commit().map_err(classify)
}

fn too_new(path: Option<&Path>, found: i64) -> StoreError {
    StoreError::TooNew {
        path: path.map(Path::to_path_buf).unwrap_or_default(),
        found,
        supported: SCHEMA_VERSION,
    }
}

#[cfg(test)]
#[path = "migrate_tests.rs"]
mod tests;
