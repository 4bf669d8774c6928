//! Copies of the database: a backup that is one consistent moment however busy the database is,
//! and putting a backup back in place of the database safely.

use super::{Result, StoreError, classify, open};
use crate::files::PendingFile;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Copies the database of `conn` to `dest` with `VACUUM INTO`: one read transaction, so the copy
/// is one moment of the database and finishes however often other processes commit meanwhile
/// (SQLite's online backup starts again after each of their commits). Written into a fresh
/// owner-only file beside `dest`, flushed, and renamed into place.
pub(super) fn backup_connection(conn: &Connection, dest: &Path) -> Result<()> {
    let io = |e: std::io::Error| StoreError::io(dest, e);
    // A pipe or a device is written to as a stream: the copy is made in a private file of the
    // temporary folder first (SQLite writes a file, not a stream), then sent, then removed.
    let stream = std::fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let pending = if stream {
        PendingFile::create(&std::env::temp_dir().join("caseload-backup.db")).map_err(io)?
    } else {
        PendingFile::create(dest).map_err(io)?
    };
    let temp = pending.temp_path().to_path_buf();
    let temp_text = temp.to_str().ok_or_else(|| io(std::io::Error::other("the path is not UTF-8")))?;
    // VACUUM sorts to build the copy's indexes: on disk, so a large database stays within the
    // memory bar (the connection keeps its temporary data in memory otherwise).
    conn.pragma_update(None, "temp_store", "FILE")?;
    conn.pragma_update(None, "cache_size", -4000)?;
    let vacuumed = conn.execute("VACUUM INTO ?1", [temp_text]).map_err(classify);
    conn.pragma_update(None, "cache_size", super::open::CACHE_SIZE)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    vacuumed?;
    // A copy that stands on its own: no -wal beside it is needed to read it.
    let copy = Connection::open(&temp).map_err(classify)?;
    let _mode: String = copy.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    drop(copy);
    if stream {
        let mut target = std::fs::OpenOptions::new().write(true).open(dest).map_err(io)?;
        let mut source = std::fs::File::open(&temp).map_err(io)?;
        std::io::copy(&mut source, &mut target)
            .and_then(|_| std::io::Write::flush(&mut target))
            .map_err(io)?;
        // Dropped unfinished: the temporary copy is removed.
        drop(pending);
        return Ok(());
    }
    // Written by SQLite's own handle: finishing flushes the file to disk and renames it.
    pending.finish().map_err(io)
}

/// Whether the copy of a database at `path` holds any of the children `keys` (one that cannot be
/// read may: it is named to the user all the same).
pub(super) fn may_hold(path: &Path, keys: &[String]) -> bool {
    if !path.is_file() {
        return false;
    }
    let held = || -> rusqlite::Result<bool> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let list = serde_json::to_string(keys).unwrap_or_else(|_| "[]".into());
        conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM children WHERE key IN (SELECT value FROM json_each(?1)))",
            [list],
            |r| r.get(0),
        )
    };
    held().unwrap_or(true)
}

/// Whether a file offered as a backup is a sound caseload database of a version this program
/// reads (checked without changing it).
fn check_backup(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| StoreError::io(path, e))?;
    if !meta.is_file() || meta.len() == 0 {
        return Err(StoreError::NotADatabase { path: path.to_path_buf() });
    }
    if open::inspect(path)? == 0 {
        return Err(StoreError::ForeignDatabase { path: path.to_path_buf() });
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(classify)?;
    let problems = open::integrity_problems(&conn)?;
    if !problems.is_empty() {
        return Err(StoreError::Damaged { path: path.to_path_buf(), detail: problems.join("; ") });
    }
    Ok(())
}

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Where the database that was replaced now is (`None`: there was none).
    pub kept_aside: Option<PathBuf>,
}

/// Replaces the database at `db` with the backup at `backup`. The backup is checked first (a
/// caseload database, not newer than this program, sound); the current database is checkpointed
/// (its `-wal` written into it) and kept beside it as `NAME.before-restore-DATE`; stale `-wal` and
/// `-shm` files are removed; the backup is copied in under a fresh name and renamed into place,
/// then opened (and migrated, if it is older).
pub fn restore(db: &Path, backup: &Path, day: crate::domain::Date) -> Result<Restored> {
    if crate::files::is_database(backup, db) {
        return Err(StoreError::io(backup, std::io::Error::other("the backup is the database itself")));
    }
    check_backup(backup)?;
    // No other program may have the database open: a window's later saves would go to the file
    // set aside. Held until the backup is in place.
    let alone = super::presence::alone(db)?;
    let kept_aside = if db.exists() {
        // Everything committed is in the main file before it is set aside; a database in use
        // elsewhere cannot be checkpointed whole, and is not replaced.
        let store = open::open_present(db, super::StoreOptions::default(), true)?;
        let (busy, _, _): (i64, i64, i64) = store
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(classify)?;
        drop(store);
        if busy != 0 {
            return Err(StoreError::Busy);
        }
        let aside = free_name(db, &format!(".before-restore-{day}"));
        std::fs::rename(db, &aside).map_err(|e| StoreError::io(db, e))?;
        for suffix in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(open::side_file(db, suffix));
        }
        Some(aside)
    } else {
        None
    };
    let mut copy = PendingFile::create(db).map_err(|e| StoreError::io(db, e))?;
    let mut source = std::fs::File::open(backup).map_err(|e| StoreError::io(backup, e))?;
    std::io::copy(&mut source, copy.writer()).map_err(|e| StoreError::io(db, e))?;
    copy.finish().map_err(|e| StoreError::io(db, e))?;
    drop(open::open_present(db, super::StoreOptions::default(), true)?);
    drop(alone);
    Ok(Restored { kept_aside })
}

/// `path` with `suffix`, or with `-2`, `-3`, ... after it when that name is taken.
fn free_name(path: &Path, suffix: &str) -> PathBuf {
    let mut n = 1;
    loop {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        if n > 1 {
            name.push(format!("-{n}"));
        }
        let candidate = PathBuf::from(name);
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}
