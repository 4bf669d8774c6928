//! Who has a database open. Every open store holds a shared lock on a small file beside the
//! database (`NAME-lock`); a restore, which must have the database to itself, takes the lock
//! exclusively, so it can tell that a window is still open on the file (SQLite's own locks say
//! only whether someone is reading or writing at this moment). The lock is the operating system's
//! (`flock` on Unix, `LockFileEx` on Windows): it goes when the program ends, however it ends.

use super::{Result, StoreError, open};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A held lock on a database's lock file; released when dropped.
#[derive(Debug)]
pub struct Presence {
    _file: File,
}

/// The lock file of the database at `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    open::side_file(db, "-lock")
}

fn open_lock_file(db: &Path) -> std::io::Result<File> {
    let path = lock_path(db);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    crate::platform::permissions::create_with_mode(&mut options, open::file_mode(db));
    options.open(path)
}

/// Says that this program has the database open (a shared lock: many may hold it at once). Waits
/// the busy timeout for a restore under way to finish. Where no lock file can be made (a
/// read-only folder: nothing can be restored there either), nothing is held.
pub fn join(db: &Path) -> Result<Option<Presence>> {
    let Ok(file) = open_lock_file(db) else { return Ok(None) };
    let deadline = Instant::now() + open::busy_timeout();
    loop {
        match file.try_lock_shared() {
            Ok(()) => return Ok(Some(Presence { _file: file })),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => return Err(StoreError::Busy),
            // A filesystem without locks: nothing to hold.
            Err(TryLockError::Error(_)) => return Ok(None),
        }
    }
}

/// Takes the database to this program alone (an exclusive lock), or says who has it: refused at
/// once while any other program has it open.
pub fn alone(db: &Path) -> Result<Presence> {
    let file = open_lock_file(db).map_err(|e| StoreError::io(&lock_path(db), e))?;
    match file.try_lock() {
        Ok(()) => Ok(Presence { _file: file }),
        Err(TryLockError::WouldBlock) => Err(StoreError::InUse { path: db.to_path_buf() }),
        Err(TryLockError::Error(e)) => Err(StoreError::io(&lock_path(db), e)),
    }
}

/// Whether a `-wal` with changes not yet in the database is beside it while no program has it
/// open: left by a program that was stopped outright, or copied there from elsewhere. Commands
/// that only read do not take it in (it might not be this database's); opening the database to
/// change it does, as SQLite always has.
pub fn unmerged_log(db: &Path) -> bool {
    std::fs::metadata(open::side_file(db, "-wal")).is_ok_and(|m| m.len() > 0) && alone(db).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_open_anywhere_cannot_be_taken_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.db");
        let a = join(&db).unwrap().expect("a lock file in a writable folder");
        let b = join(&db).unwrap().expect("shared: two windows at once");
        assert!(matches!(alone(&db), Err(StoreError::InUse { .. })));
        drop(a);
        assert!(matches!(alone(&db), Err(StoreError::InUse { .. })), "one is still open");
        drop(b);
        let only = alone(&db).unwrap();
        drop(only);
        assert!(join(&db).unwrap().is_some());
    }
}
