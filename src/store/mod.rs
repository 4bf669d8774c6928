//! The records store: the only module that touches SQLite.
//!
//! A [`Store`] owns one connection to a district's database file, or, for a district on a
//! PostgreSQL server, to a working copy of it in memory whose writes go to the server at commit
//! (`server::live`): callers cannot tell which. Reads go through a [`Reader`]; every write goes
//! through a [`Writer`], an IMMEDIATE transaction that rolls back unless committed. The schema is versioned by `PRAGMA user_version` (see `migrate`).

#[macro_use]
mod status;
#[macro_use]
mod aggregate;
mod activities;
mod audit;
mod backup;
mod batch;
mod bulk;
mod calendar;
mod case_words;
mod caselist;
mod cases;
mod chain;
mod changes;
mod children;
mod dump;
mod erase;
mod find;
mod keys;
mod lift;
mod migrate;
mod open;
mod periods;
mod practices;
mod presence;
mod referrals;
mod retention;
mod returns;
mod rows;
mod rules;
pub mod server;
mod settings;
mod sql_types;
mod staff;
mod subject;
mod triggers;
mod views;

pub use audit::{AuditEntry, AuditOp, current_user};
pub use backup::{Restored, restore};
pub use batch::{Batch, MissingRef, Put, PutError};
pub use case_words::{Event, chronology, current_allocation, current_teacher, describe_status};
pub use caselist::CaseRow;
pub use changes::{Done, Op, SaveError, stale_message_of};
pub use erase::{ERASED_FIRST, ERASED_KEY_PREFIX, ERASED_LAST, EraseError, Erased, Erasure};
pub use find::{ChildCase, ChildPage, ChildReferral, Found, FoundKind};
pub use migrate::SCHEMA_VERSION;
pub use open::{
    FileChange, NetworkDrive, StoreOptions, busy_timeout, busy_timeout_setting, mount_fstype,
    network_filesystem, network_fuse,
};
pub use practices::PracticeCounts;
pub use presence::unmerged_log;
pub use retention::PastRetention;
pub use returns::{PeriodCounts, PeriodDates};
pub use rules::StoredViolation;
pub use subject::{MeetingSeen, SubjectAccess};
pub use views::{
    CaseDetail, ChildChoice, DayCounts, DiscussedReferral, MeetingRow, Named, OpenCaseOf, TeacherLoad,
    TeamLoad,
};

use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

/// Why the store could not do what was asked, in words an admin can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path} is not a caseload database (it is not an SQLite database file)")]
    NotADatabase { path: PathBuf },
    #[error("{} is an empty file, not a caseload database: check the path, or remove the file", .path.display())]
    EmptyFile { path: PathBuf },
    #[error(
        "{} is a link to {}, which does not exist: check the link, or give the database's own path",
        .path.display(), .target.display()
    )]
    DanglingLink { path: PathBuf, target: PathBuf },
    #[error(
        "{} is read-only and of an older version of caseload (schema version {found}): it needs \
         upgrading, which writes to it. Make it writable, or open a copy",
        .path.display()
    )]
    ReadOnlyOld { path: PathBuf, found: i64 },
    #[error("{path} is an SQLite database of another program, not a caseload database")]
    ForeignDatabase { path: PathBuf },
    #[error(
        "{path} was written by a newer version of caseload (database schema version {found}; \
         this program knows up to version {supported}). Use the newer program, or a backup."
    )]
    TooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("the database is busy: another caseload is writing to it. Try again in a moment.")]
    Busy,
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the database {} is damaged ({detail}): run caseload check, or restore a backup", .path.display())]
    Damaged { path: PathBuf, detail: String },
    #[error("the disk is full: nothing was changed (free some space, then try again)")]
    DiskFull,
    #[error("the database cannot be written: its file or folder is read-only (nothing was changed)")]
    ReadOnly,
    #[error("the database is damaged: run caseload check, or restore a backup")]
    Corrupt,
    #[error("a stored figure is too large to add up (a count above 10,000?): run caseload check to find it")]
    Overflow,
    #[error("the database refused the change: {0}")]
    Sql(rusqlite::Error),
    /// The file at the database's path is no longer the file this store opened: nothing is written
    /// (it would go to a file no one will open again, or spoil the file now there).
    #[error("{0}")]
    FileChanged(FileChange),
    /// Another program has the database open, and what was asked needs it to itself (a restore).
    #[error(
        "{} is open in another program (the terminal application, or a command still running): \
         close it there, then try again; nothing was changed",
        .path.display()
    )]
    InUse { path: PathBuf },
    /// A PostgreSQL server could not be reached, or refused what was asked: said with the server
    /// named (never its password).
    #[error("{0}")]
    Server(String),
    /// The server refused a change for lack of privilege: the login's role is a reader's.
    #[error("your role can read but not change records (the server said: {0})")]
    RoleCannotWrite(String),
    /// A record the write changes was changed by another desk after it was read: nothing was
    /// written (the server's row was not the one read).
    #[error("{}", changes::stale_message(.0))]
    Stale(Box<AuditEntry>),
    /// Another desk's change at the same moment took a key or removed a record this write needs.
    #[error(
        "another desk saved a change to the same records at the same moment{}: nothing was saved here. \
         The records are read again from the server: make the change again",
        if .0.is_empty() { String::new() } else { format!(" ({})", .0) }
    )]
    Collision(String),
}

impl StoreError {
    fn io(path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io { path: path.to_path_buf(), source }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        classify(e)
    }
}

/// Turns SQLite's errors about the disk and the file into plain messages, one for each cause.
fn classify(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy,
        Some(C::DiskFull) => StoreError::DiskFull,
        Some(C::ReadOnly) => StoreError::ReadOnly,
        Some(C::DatabaseCorrupt | C::NotADatabase) => StoreError::Corrupt,
        _ if e.to_string().contains("integer overflow") => StoreError::Overflow,
        _ => StoreError::Sql(e),
    }
}

/// An open district database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The file's device and inode when opened (Unix), to notice it being replaced.
    identity: Option<(u64, u64)>,
    /// Held while the store is open, so that a restore can tell the database is in use.
    _presence: Option<presence::Presence>,
    /// The file was found replaced or gone: set aside once (see [`Store::file_change`]).
    set_aside: std::cell::Cell<bool>,
    /// Where "now" and "today" come from, for the store and those who use it.
    clock: crate::clock::Clock,
    /// This opening created the file (a first run, a first import).
    created: bool,
    /// The server the records are on, when they are: the connection holds a working copy of it.
    remote: Option<Box<server::Live>>,
    /// The file's `data_version` when [`Store::changed_elsewhere`] last looked.
    seen_version: std::cell::Cell<Option<i64>>,
    /// The server the return's figures are read on, when the connection holds only the tables a
    /// return reads itself (an export from a server: `server::figures_of`).
    figures: Option<Box<server::Figures>>,
}

impl Store {
    /// Closes a database this run created and left with nothing in it (Esc on the welcome, a
    /// first import refused): the file and its side files are removed, so no empty database is
    /// left for the next run to mistake for the team's. Any other store is simply closed.
    /// True when the file was removed.
    pub fn close_discarding_if_unused(self) -> Result<bool> {
        let (Some(path), true) = (self.path.clone(), self.created) else { return Ok(false) };
        if !self.reader().is_empty()? {
            return Ok(false);
        }
        let Store { conn, _presence, .. } = self;
        conn.close().map_err(|(_, e)| StoreError::Sql(e))?;
        drop(_presence);
        // Someone else opened it meanwhile: it is theirs now too.
        let Ok(alone) = presence::alone(&path) else { return Ok(false) };
        for file in [path.clone(), open::side_file(&path, "-wal"), open::side_file(&path, "-shm")] {
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io(&file, e)),
            }
        }
        drop(alone);
        let _ = std::fs::remove_file(presence::lock_path(&path));
        Ok(true)
    }

    /// Opens (creating if needed, owner-only) the database at `path` and brings its schema up to
    /// date. Refuses files that are not caseload databases and databases from a newer version.
    pub fn open(path: &Path) -> Result<Store> {
        open::open_file(path)
    }

    /// A private database in memory, for tests and scratch work.
    pub fn open_in_memory() -> Result<Store> {
        Store::open_in_memory_with(crate::clock::Clock::from_env())
    }

    /// [`Store::open_in_memory`] on a clock of the caller's (a test's, that it moves).
    pub fn open_in_memory_with(clock: crate::clock::Clock) -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        open::configure(&conn, &clock)?;
        let mut store = Store {
            conn,
            path: None,
            identity: None,
            _presence: None,
            set_aside: Default::default(),
            clock,
            created: false,
            remote: None,
            seen_version: Default::default(),
            figures: None,
        };
        migrate::migrate(&mut store.conn, None)?;
        Ok(store)
    }

    /// The clock the store was opened with: the audit log's times, and "today" for the application.
    pub fn clock(&self) -> &crate::clock::Clock {
        &self.clock
    }

    /// The database file, or `None` for an in-memory store.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// A view for reading. Each query sees the latest committed data.
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.conn, figures: self.figures() }
    }

    fn figures(&self) -> Option<&dyn aggregate::Aggregates> {
        self.figures.as_deref().map(|f| f as &dyn aggregate::Aggregates)
    }

    /// Starts a write: an IMMEDIATE transaction, rolled back when dropped without [`Writer::commit`].
    /// Refused, writing nothing, when the file at the database's path is no longer the one opened.
    pub fn write(&mut self) -> Result<Writer<'_>> {
        if self.figures.is_some() {
            return Err(StoreError::Server("a return read from the server changes no records".into()));
        }
        if let Some(change) = self.file_change() {
            return Err(StoreError::FileChanged(change));
        }
        let opened = self.path.clone().zip(self.identity);
        if let Some(live) = self.remote.as_deref_mut() {
            live.reload_if_stale(&self.conn)?;
        }
        let conn = &self.conn;
        // A transaction on a shared borrow: the writer keeps the connection to read the replica
        // again after the server's answer, once the transaction is over.
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(classify)?;
        // Asked again with the write lock held: a replacement in the moment before is caught too.
        // (The side files are let go of at the next look, by the tick or the next save.)
        if let Some((path, id)) = opened {
            match open::identity(&path) {
                Some(now) if now == id => {}
                Some(_) => return Err(StoreError::FileChanged(FileChange::Replaced(path))),
                None => return Err(StoreError::FileChanged(FileChange::Gone(path))),
            }
        }
        // The log's last entry before this write: the entries after it are this write's own.
        let start = tx.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?;
        let remote = self.remote.as_deref_mut();
        if let Some(live) = &remote {
            live.begin(&tx)?;
        }
        Ok(Writer { tx, start, conn, remote })
    }

    /// A consistent view for a series of reads (a return computed from many queries): a read
    /// transaction that sees one moment of the database, whatever other processes commit meanwhile.
    pub fn snapshot(&mut self) -> Result<Snapshot<'_>> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Deferred).map_err(classify)?;
        // A deferred transaction takes its snapshot at the first read.
        tx.query_row("SELECT count(*) FROM district", [], |_| Ok(())).map_err(classify)?;
        Ok(Snapshot { tx, path: self.path.as_deref(), figures: self.figures.as_deref() })
    }

    /// Copies the database to `dest` with SQLite's online backup: consistent even while other
    /// processes use the database. The copy is written beside `dest` and renamed into place, so a
    /// failed backup never leaves a half-written file under that name.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        backup::backup_connection(&self.conn, dest)
    }

    /// SQLite's `data_version`: it changes when another connection commits (not for this one's own).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Whether the file at the database's path is no longer the file this store opened: replaced
    /// (a restore by hand: `cp other.db x && mv x district.db`), moved or deleted. Saves would go
    /// to a file no one opens again, so [`Store::write`] refuses them.
    ///
    /// The first time it is found, the store lets go of the path's side files: what it had
    /// committed is written into the file it opened (wherever that now is) and its `-wal` emptied,
    /// so that the file now at the path is not read with this file's log; and closing it later
    /// neither writes nor deletes anything at the path.
    pub fn file_change(&self) -> Option<FileChange> {
        let (Some(path), Some(opened)) = (&self.path, self.identity) else { return None };
        let change = match open::identity(path) {
            Some(now) if now == opened => return None,
            Some(_) => FileChange::Replaced(path.clone()),
            None => FileChange::Gone(path.clone()),
        };
        if !self.set_aside.replace(true) {
            let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            let _ =
                self.conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        }
        Some(change)
    }

    /// The audit log checked whole: its hash chain, seals, triggers (none missing or altered), and
    /// that every record is as the log last recorded it. Problems in words; empty when sound.
    pub fn audit_problems(&self) -> Result<Vec<String>> {
        let mut out = triggers::problems(&self.conn)?;
        out.extend(chain::problems(self.reader())?);
        Ok(out)
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: problems found, in words; empty when sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        open::integrity_problems(&self.conn)
    }
}

/// Read access to the store (from a [`Store`], a [`Snapshot`] or inside a [`Writer`]).
#[derive(Clone, Copy)]
pub struct Reader<'c> {
    conn: &'c Connection,
    /// Where the return's aggregates run instead of `conn`: the server (see [`Store::figures`]).
    figures: Option<&'c dyn aggregate::Aggregates>,
}

impl<'c> Reader<'c> {
    /// Where reads over all the records for a return run: the server when the store reads its
    /// figures there, else this connection.
    pub(crate) fn records(&self) -> aggregate::Query<'c> {
        aggregate::Query(self.figures.unwrap_or(self.conn))
    }
}

/// A consistent read view; see [`Store::snapshot`].
pub struct Snapshot<'c> {
    tx: Transaction<'c>,
    /// The database file (`None` in memory), for a second connection on the same moment.
    path: Option<&'c Path>,
    figures: Option<&'c server::Figures>,
}

impl Snapshot<'_> {
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.tx, figures: self.figures.map(|f| f as &dyn aggregate::Aggregates) }
    }
}

/// A write transaction. Dropping it without [`Writer::commit`] undoes everything it wrote.
pub struct Writer<'c> {
    tx: Transaction<'c>,
    /// The audit log's last entry when the write began.
    start: i64,
    /// The connection, to read the replica again once the transaction is over.
    conn: &'c Connection,
    /// The server the write goes to at commit, when the records are on one.
    remote: Option<&'c mut server::Live>,
}

impl Writer<'_> {
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.tx, figures: None }
    }

    /// Seals this write's entries of the audit log (its hash chain), then commits. On a server:
    /// the rows it changed are sent in one server transaction, checked against what was read, and
    /// the log's entries are the server's ([`StoreError::Stale`] when another desk changed them).
    pub fn commit(self) -> Result<()> {
        self.commit_entries().map(|_| ())
    }

    /// [`Writer::commit`], returning the range `(from, to]` of the log's entries it wrote.
    pub(crate) fn commit_entries(self) -> Result<(i64, i64)> {
        let Writer { tx, start, conn, remote } = self;
        match remote {
            Some(live) => live.commit(tx, conn),
            None => {
                chain::seal(&tx, start)?;
                let mark = tx.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?;
                tx.commit().map_err(classify)?;
                Ok((start, mark))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_of_the_disk_and_the_file_are_told_apart() {
        let sqlite = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        assert!(matches!(classify(sqlite(rusqlite::ffi::SQLITE_FULL)), StoreError::DiskFull));
        assert!(matches!(classify(sqlite(rusqlite::ffi::SQLITE_READONLY)), StoreError::ReadOnly));
        assert!(matches!(classify(sqlite(rusqlite::ffi::SQLITE_CORRUPT)), StoreError::Corrupt));
        assert!(matches!(classify(sqlite(rusqlite::ffi::SQLITE_BUSY)), StoreError::Busy));
        let messages: Vec<String> = [StoreError::DiskFull, StoreError::ReadOnly, StoreError::Corrupt]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            messages[0].contains("disk is full")
                && messages[1].contains("read-only")
                && messages[2].contains("damaged")
        );
    }
}
