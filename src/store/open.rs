//! Opening a database file safely: owner-only permissions, a header check, a refusal of network
//! drives, connection settings (including the audit log's `caseload_user()` function).

use super::presence::{self, Presence};
use super::{Result, Store, StoreError, audit, classify, migrate};
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another process's write before giving up with "busy".
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Overrides [`BUSY_TIMEOUT`] (whole milliseconds), so tests need not wait five seconds for "busy".
pub const BUSY_TIMEOUT_VAR: &str = "CASELOAD_BUSY_TIMEOUT_MS";

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How to open a database file; [`Store::open`] uses the defaults.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Where "now" comes from: the audit log's times (default: the system's, or `CASELOAD_NOW`).
    pub clock: crate::clock::Clock,
    /// Open the database even on a network filesystem (`--allow-network-drive`).
    pub allow_network_drive: bool,
    /// Judge the folder as if `statfs` had reported this filesystem type (for tests).
    #[doc(hidden)]
    pub assume_filesystem: Option<u64>,
    /// Only read (the commands that read or copy the database): the file is opened read-only, so
    /// nothing is written to it or beside it, no log is merged into it, its permissions are not
    /// touched. (A database of an older version is still upgraded, which is a write.)
    pub read_only: bool,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            clock: crate::clock::Clock::from_env(),
            allow_network_drive: false,
            assume_filesystem: None,
            read_only: false,
        }
    }
}

/// Why a database on a network drive is refused; carried as the source of [`StoreError::Io`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the folder {} is on a network drive ({filesystem}). SQLite's file locking is not reliable on \
     network drives, so two people (or one crash) could corrupt the database there. Keep the \
     database on this computer's own disk (copy it with `caseload backup` to share it), or give \
     --allow-network-drive if you are sure that only one program at a time will ever open it.",
    folder.display()
)]
pub struct NetworkDrive {
    pub folder: PathBuf,
    pub filesystem: String,
}

/// How the file at a database's path changed while it was open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// Another file is there now (a backup put back by hand, another district's database).
    Replaced(PathBuf),
    /// No file is there now (deleted, or moved away).
    Gone(PathBuf),
}

impl FileChange {
    /// What the application says when it notices, before anyone tries to save.
    pub fn warning(&self) -> String {
        let (path, what) = match self {
            FileChange::Replaced(p) => (p, "was replaced by another file"),
            FileChange::Gone(p) => (p, "was deleted or moved away"),
        };
        format!(
            "The database file {} {what}: nothing more can be saved in this window. Quit and start \
             caseload again to work on the database there now",
            path.display()
        )
    }
}

impl std::fmt::Display for FileChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (path, what) = match self {
            FileChange::Replaced(p) => (p, "was replaced by another file"),
            FileChange::Gone(p) => (p, "was deleted or moved away"),
        };
        write!(
            f,
            "nothing was saved: the database file {} {what} while caseload had it open. Quit caseload \
             and start it again to work on the database that is there now (or put the file back)",
            path.display()
        )
    }
}

impl Store {
    /// [`Store::open`] with options: a database on a network filesystem is refused unless
    /// `allow_network_drive` (plain [`Store::open`] always refuses it).
    pub fn open_with(path: &Path, options: StoreOptions) -> Result<Store> {
        open_checked(path, options)
    }
}

/// [`Store::open`]: the default options.
pub(super) fn open_file(path: &Path) -> Result<Store> {
    open_checked(path, StoreOptions::default())
}

fn open_checked(path: &Path, options: StoreOptions) -> Result<Store> {
    open_present(path, options, false)
}

/// Opens the database; `held`: the caller holds its lock file already (a restore holds it alone),
/// otherwise the store joins those who have it open.
pub(super) fn open_present(path: &Path, options: StoreOptions, held: bool) -> Result<Store> {
    // Before anything is created: a refused database leaves no file behind.
    if !options.allow_network_drive {
        refuse_network_drive(path, options.assume_filesystem)?;
    }
    let mut read_only = options.read_only;
    let mut created = false;
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(StoreError::NotADatabase { path: path.to_path_buf() });
        }
        // A file with nothing in it is not a database (a mistyped path that someone created).
        Ok(meta) if meta.len() == 0 => return Err(StoreError::EmptyFile { path: path.to_path_buf() }),
        Ok(meta) => {
            check_header(path)?;
            // Judged before anything is written to it: a refused file is left as it was (no
            // journal-mode change, no permission change, no side files).
            let version = inspect(path)?;
            // A file marked read-only is opened read-only, never made writable.
            read_only |= meta.permissions().readonly();
            // An older database is upgraded, which writes; an empty one (version 0) is a new one.
            if version < migrate::SCHEMA_VERSION && !meta.permissions().readonly() {
                read_only = false;
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(target) = std::fs::read_link(path) {
                return Err(StoreError::DanglingLink { path: path.to_path_buf(), target });
            }
            create_database(path, &options.clock)?;
            created = true;
            read_only = false;
        }
        Err(e) => return Err(StoreError::io(path, e)),
    }
    let presence: Option<Presence> = if held { None } else { presence::join(path)? };
    let mut conn = if read_only {
        open_reading(path, &options.clock)?
    } else {
        make_private(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| not_a_database(path, e))?;
        configure(&conn, &options.clock).map_err(|e| match e {
            StoreError::Sql(e) => not_a_database(path, e),
            other => other,
        })?;
        conn
    };
    refuse_foreign(&conn, path)?;
    if read_only {
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != migrate::SCHEMA_VERSION {
            return Err(StoreError::ReadOnlyOld { path: path.to_path_buf(), found: version });
        }
    } else {
        migrate::migrate(&mut conn, Some(path))?;
    }
    Ok(Store {
        conn,
        path: Some(path.to_path_buf()),
        identity: identity(path),
        _presence: presence,
        set_aside: Default::default(),
        clock: options.clock,
        created,
        remote: None,
        seen_version: Default::default(),
        figures: None,
    })
}

/// A connection that only reads: SQLite writes nothing to the file (no checkpoint, so a `-wal`
/// beside it is never merged into it). Where the usual read-only connection cannot be had for
/// want of its shared-memory file (a full disk, a read-only folder) and no `-wal` is beside the
/// database (so no one is writing it), the file is read as immutable, which needs no side files.
fn open_reading(path: &Path, clock: &crate::clock::Clock) -> Result<Connection> {
    let flags =
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open = |query: &str| -> Result<Connection> {
        let conn = Connection::open_with_flags(format!("file:{}?{query}", uri_path(path)), flags)
            .map_err(|e| not_a_database(path, e))?;
        configure_reading(&conn, clock)?;
        // The first read is where a missing side file shows.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .map_err(|e| not_a_database(path, e))?;
        Ok(conn)
    };
    let shm = side_file(path, "-shm");
    let shm_was_there = shm.exists();
    match open("mode=ro") {
        Err(StoreError::Sql(_) | StoreError::ReadOnly | StoreError::DiskFull)
            if std::fs::metadata(side_file(path, "-wal")).map_or(true, |m| m.len() == 0) =>
        {
            // A shared-memory file begun here and never finished (one in use is 32 KiB or more).
            if !shm_was_there && std::fs::metadata(&shm).is_ok_and(|m| m.len() < 32 * 1024) {
                let _ = std::fs::remove_file(&shm);
            }
            open("mode=ro&immutable=1")
        }
        other => other,
    }
}

/// A side file of the database at `path` (`-wal`, `-shm`, `-lock`): its name with `suffix` added.
pub(super) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A file's identity (device and inode; Windows: volume and file index): what stays the same
/// while the file is the same file.
pub(super) fn identity(path: &Path) -> Option<(u64, u64)> {
    crate::platform::file_id::of(path)
}

/// Every connection's page cache: 32 MB (SQLite's negative cache size is in KiB).
pub(super) const CACHE_SIZE: i64 = -32_000;

/// The program's own SQL functions, on every connection: the audit log's user and time (from the
/// store's clock) and the name key that decides whether two children are the same.
fn functions(conn: &Connection, clock: &crate::clock::Clock) -> Result<()> {
    conn.busy_timeout(busy_timeout())?;
    audit::register_functions(conn, clock.clone())?;
    super::children::register_functions(conn)?;
    Ok(())
}

/// The settings of a connection that only reads (none of them writes to the file).
fn configure_reading(conn: &Connection, clock: &crate::clock::Clock) -> Result<()> {
    functions(conn, clock)?;
    conn.set_prepared_statement_cache_capacity(256);
    conn.pragma_update(None, "cache_size", CACHE_SIZE)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Connection settings every connection gets: foreign keys enforced, WAL with full sync (a
/// committed change survives power loss), and a busy timeout so a second process waits its turn.
pub(super) fn configure(conn: &Connection, clock: &crate::clock::Clock) -> Result<()> {
    functions(conn, clock)?;
    // Every statement the program runs stays prepared (the default of 16 would re-parse SQL on
    // almost every write of a large import).
    conn.set_prepared_statement_cache_capacity(256);
    conn.pragma_update(None, "foreign_keys", true)?;
    // A new database gets 8 KiB pages (SQLite's default is 4 KiB): half the pages to write,
    // link and log for the same rows, which makes a large import about a tenth faster. It must
    // be set before WAL; on an existing database it changes nothing.
    conn.pragma_update(None, "page_size", 8192)?;
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // What is deleted or overwritten is overwritten with zeros, not left in the file's free space
    // (an erased child's name must not stay in the bytes: docs/privacy.md).
    conn.pragma_update(None, "secure_delete", true)?;
    // 32 MB of page cache: large imports stay fast, well inside the 100 MB memory bar.
    conn.pragma_update(None, "cache_size", CACHE_SIZE)?;
    // The audit triggers make every write statement keep a statement journal (the pages it
    // touches, to undo that statement alone). On disk, once one statement spills it past 64 KiB,
    // every later write of the transaction costs file writes (9 million of them in a large
    // import); in memory it is a few pages at a time.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

fn not_a_database(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase { path: path.to_path_buf() },
        _ => classify(e),
    }
}

/// Any non-empty file must start with SQLite's header; an empty file is a new database.
fn check_header(path: &Path) -> Result<()> {
    let mut file = std::fs::File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut head = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut head).map_err(|e| StoreError::io(path, e))?;
    if head.is_empty() || head == SQLITE_HEADER {
        Ok(())
    } else {
        Err(StoreError::NotADatabase { path: path.to_path_buf() })
    }
}

/// Reads an existing SQLite file's schema version without changing anything (read-only and
/// immutable: no lock, no side file): refuses another program's database, one of a newer version
/// and a damaged one. The version found (0 for an empty database).
pub(super) fn inspect(path: &Path) -> Result<i64> {
    let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase { path: path.to_path_buf() },
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            StoreError::Damaged { path: path.to_path_buf(), detail: "its file is corrupt".into() }
        }
        _ => classify(e),
    };
    // Read-only with the usual locks (a database another process is writing is read consistently);
    // a file whose side files cannot be made read-only is read as immutable (no lock, no side file).
    let read = |query: &str| -> rusqlite::Result<(Connection, i64)> {
        let flags =
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(format!("file:{}?{query}", uri_path(path)), flags)?;
        let version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok((conn, version))
    };
    // Immutable while no `-wal` is beside it (nothing else can then be writing): nothing is made
    // beside a file that may be refused. With one, read under the usual locks.
    let (conn, version) = if side_file(path, "-wal").exists() {
        match read("mode=ro") {
            Ok(found) => found,
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                return Err(damaged(e));
            }
            Err(_) => read("mode=ro&immutable=1").map_err(damaged)?,
        }
    } else {
        read("mode=ro&immutable=1").map_err(damaged)?
    };
    refuse_foreign(&conn, path)?;
    if version > migrate::SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: migrate::SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// A path as SQLite's URI filenames want it (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// An SQLite file with tables but no caseload schema version belongs to some other program.
fn refuse_foreign(conn: &Connection, path: &Path) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| r.get(0))?;
    if version == 0 && tables > 0 {
        return Err(StoreError::ForeignDatabase { path: path.to_path_buf() });
    }
    Ok(())
}

/// Creates the file (and any missing folders) readable and writable by the owner only, so the
/// database is private from its first byte. SQLite gives its `-wal` and `-shm` files the same mode.
pub(super) fn create_private_file(path: &Path) -> Result<()> {
    use crate::platform::permissions;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        permissions::create_private_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    permissions::create_with_mode(&mut options, file_mode(path));
    options.open(path).map(drop).map_err(|e| StoreError::io(path, e))?;
    // The mode asked for is narrowed by the umask; a team's shared file must be group-writable.
    permissions::set_mode(path, file_mode(path)).map_err(|e| StoreError::io(path, e))
}

/// A new database: its schema made in a private file beside `path`, then linked into place, so a
/// program killed while creating it leaves no empty or half-made file under the name (the next
/// run creates it afresh). When another process created the database meanwhile, theirs stays.
fn create_database(path: &Path, clock: &crate::clock::Clock) -> Result<()> {
    let making = side_file(path, &format!(".new-{}", std::process::id()));
    let _ = std::fs::remove_file(&making);
    create_private_file(&making)?;
    let made = (|| -> Result<()> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&making, flags)?;
        configure(&conn, clock)?;
        migrate::migrate(&mut conn, None)?;
        conn.close().map_err(|(_, e)| StoreError::Sql(e))
    })();
    let placed = made.and_then(|()| match std::fs::hard_link(&making, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A filesystem without hard links (a memory stick): moved into place instead.
        Err(_) if !path.exists() => std::fs::rename(&making, path).map_err(|e| StoreError::io(path, e)),
        Err(e) => Err(StoreError::io(path, e)),
    });
    for file in [making.clone(), side_file(&making, "-wal"), side_file(&making, "-shm")] {
        let _ = std::fs::remove_file(file);
    }
    placed
}

/// The mode of the database and its side files: owner-only (0600), or readable and writable by
/// the folder's group (0660) when the folder is a team's shared folder (see
/// `platform::permissions::shared_folder`).
pub(super) fn file_mode(path: &Path) -> u32 {
    if crate::platform::permissions::shared_folder(path) { 0o660 } else { 0o600 }
}

/// Tightens an existing database file (and side files) to [`file_mode`] if it was more open.
/// Bits are only taken away: a file made read-only stays read-only.
fn make_private(path: &Path) -> Result<()> {
    let allowed = file_mode(path);
    for suffix in ["", "-wal", "-shm"] {
        let file = side_file(path, suffix);
        crate::platform::permissions::narrow(&file, allowed).map_err(|e| StoreError::io(&file, e))?;
    }
    Ok(())
}

pub(super) fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for row in rows {
        let line = row?;
        if line != "ok" {
            problems.push(format!("integrity check: {line}"));
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, String>(2)?))
    })?;
    for row in rows {
        let (table, rowid, parent) = row?;
        let row = rowid.map_or_else(|| "a row".to_string(), |id| format!("row {id}"));
        problems.push(format!("{row} of {table} refers to a missing record in {parent}"));
    }
    Ok(problems)
}

/// The busy timeout: [`BUSY_TIMEOUT`], or [`BUSY_TIMEOUT_VAR`] milliseconds when that is set.
pub fn busy_timeout() -> Duration {
    busy_timeout_setting().unwrap_or(BUSY_TIMEOUT)
}

/// The longest busy timeout accepted: an hour.
const BUSY_TIMEOUT_MAX_MS: u64 = 3_600_000;

/// [`BUSY_TIMEOUT_VAR`] read strictly (blank counts as unset), or why it cannot be used (the
/// command line refuses it before doing anything).
pub fn busy_timeout_setting() -> Result<Duration, String> {
    let text = match std::env::var(BUSY_TIMEOUT_VAR) {
        Err(std::env::VarError::NotPresent) => return Ok(BUSY_TIMEOUT),
        Err(std::env::VarError::NotUnicode(raw)) => raw.to_string_lossy().into_owned(),
        Ok(v) if v.trim().is_empty() => return Ok(BUSY_TIMEOUT),
        Ok(v) => v.trim().to_string(),
    };
    match text.parse::<u64>() {
        Ok(ms) if text.bytes().all(|b| b.is_ascii_digit()) && ms <= BUSY_TIMEOUT_MAX_MS => {
            Ok(Duration::from_millis(ms))
        }
        _ => Err(format!(
            "{BUSY_TIMEOUT_VAR} is set to \"{}\", which is not a whole number of milliseconds from 0 \
             to {BUSY_TIMEOUT_MAX_MS} (like 5000): set it so, or unset it",
            crate::domain::text::shown(&text)
        )),
    }
}

// --- Network filesystems -------------------------------------------------------------------------

/// `statfs` f_type of FUSE, whose real filesystem is named in the mount table (`fuse.sshfs`).
pub const FUSE_SUPER_MAGIC: u64 = 0x6573_5546;

/// The network filesystem that a `statfs` f_type (Linux's `*_SUPER_MAGIC`) stands for, if it is one.
pub fn network_filesystem(magic: u64) -> Option<&'static str> {
    Some(match magic & 0xFFFF_FFFF {
        0x6969 => "NFS",
        0x517B => "SMB",
        0xFE53_4D42 => "SMB2",
        0xFF53_4D42 => "CIFS",
        0x0102_1997 => "9P, as used for Windows drives under WSL and for virtual machines' shared folders",
        0x5346_414F => "AFS",
        0x7375_7245 => "Coda",
        0x00C3_6400 => "CephFS",
        0x0BD0_0BD0 => "Lustre",
        0x0116_1970 => "GFS2",
        0x7461_636F => "OCFS2",
        _ => return None,
    })
}

/// Whether a FUSE filesystem type from the mount table (`fuse.sshfs`, `fuse.rclone`) reaches over
/// the network; local FUSE filesystems (encrypted folders, archives) are not refused.
pub fn network_fuse(fstype: &str) -> Option<&'static str> {
    let sub = fstype.strip_prefix("fuse.").or_else(|| fstype.strip_prefix("fuseblk.")).unwrap_or(fstype);
    Some(match sub {
        "sshfs" => "SSHFS",
        "rclone" => "rclone",
        "s3fs" => "s3fs",
        "gcsfuse" => "Cloud Storage FUSE",
        "davfs" | "davfs2" => "WebDAV",
        "curlftpfs" => "FTP",
        "smbnetfs" => "SMB (smbnetfs)",
        "glusterfs" => "GlusterFS",
        "cephfs" | "ceph-fuse" => "CephFS",
        _ => return None,
    })
}

/// The filesystem type of the mount holding `dir`, from the text of `/proc/self/mountinfo`: the
/// mount point that is the longest whole-component prefix of `dir` (which must be absolute).
pub fn mount_fstype(mountinfo: &str, dir: &Path) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for line in mountinfo.lines() {
        let Some((left, right)) = line.split_once(" - ") else { continue };
        let Some(point) = left.split(' ').nth(4) else { continue };
        let point = point.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
        let fstype = right.split(' ').next().unwrap_or_default();
        let depth = Path::new(&point).components().count();
        if dir.starts_with(&point) && best.as_ref().is_none_or(|(d, _)| depth >= *d) {
            best = Some((depth, fstype.to_string()));
        }
    }
    best.map(|(_, t)| t)
}

/// The folder a database at `path` lives in, or its nearest existing ancestor (a new database's
/// folders are created on opening).
fn existing_folder(path: &Path) -> PathBuf {
    let mut dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    while !dir.is_dir() {
        if !dir.pop() || dir.as_os_str().is_empty() {
            return PathBuf::from(".");
        }
    }
    dir
}

/// Refuses a database whose folder is on a network filesystem. `assume` replaces what `statfs`
/// reports (tests). Where the filesystem cannot be told (not Linux, statfs failing) it is allowed.
fn refuse_network_drive(path: &Path, assume: Option<u64>) -> Result<()> {
    let folder = existing_folder(path);
    let Some(magic) = assume.or_else(|| filesystem_magic(&folder)) else { return Ok(()) };
    let filesystem = match network_filesystem(magic) {
        Some(name) => Some(name.to_string()),
        None if magic == FUSE_SUPER_MAGIC && assume.is_none() => fuse_type(&folder)
            .and_then(|t| network_fuse(&t).map(|name| format!("{name}, a FUSE filesystem over the network"))),
        None => None,
    };
    match filesystem {
        Some(filesystem) => {
            let shown = std::fs::canonicalize(&folder).unwrap_or(folder);
            let refusal = NetworkDrive { folder: shown, filesystem };
            Err(StoreError::io(path, std::io::Error::other(refusal)))
        }
        None => Ok(()),
    }
}

fn filesystem_magic(dir: &Path) -> Option<u64> {
    crate::platform::network::filesystem_magic(dir)
}

fn fuse_type(dir: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    mount_fstype(&mountinfo, &dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_filesystems_are_told_by_their_magic_numbers() {
        for (magic, name) in [
            (0x6969, "NFS"),
            (0x517B, "SMB"),
            (0xFE53_4D42, "SMB2"),
            (0xFF53_4D42, "CIFS"),
            // A 32-bit `long` holds the SMB2/CIFS numbers as negative values, sign-extended.
            (0xFFFF_FFFF_FF53_4D42, "CIFS"),
            (0x0102_1997, "9P"),
        ] {
            assert!(network_filesystem(magic).is_some_and(|n| n.starts_with(name)), "{magic:x}");
        }
        // ext4, btrfs, xfs, tmpfs, overlayfs, FUSE (decided by its subtype), zfs.
        for magic in
            [0xEF53, 0x9123_683E, 0x5846_5342, 0x0102_1994, 0x794C_7630, FUSE_SUPER_MAGIC, 0x2FC1_2FC1]
        {
            assert_eq!(network_filesystem(magic), None, "{magic:x}");
        }
        assert_eq!(network_fuse("fuse.sshfs"), Some("SSHFS"));
        assert_eq!(network_fuse("fuse.rclone"), Some("rclone"));
        assert_eq!(network_fuse("fuse.gocryptfs"), None);
        assert_eq!(network_fuse("fuse.portal"), None);
    }

    #[test]
    fn the_mount_table_names_the_filesystem_of_a_folder() {
        let mountinfo = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /home/ann/remote rw,nosuid shared:20 - fuse.sshfs ann@server:/srv rw,user_id=1000
41 22 0:36 / /mnt/my\\040share rw - cifs //nas/share rw
42 40 0:37 / /home/ann/remote/local rw - tmpfs tmpfs rw
";
        let of = |p: &str| mount_fstype(mountinfo, Path::new(p));
        assert_eq!(of("/home/ann").as_deref(), Some("ext4"));
        assert_eq!(of("/home/ann/remote/district").as_deref(), Some("fuse.sshfs"));
        assert_eq!(of("/home/ann/remote/local/x").as_deref(), Some("tmpfs"));
        assert_eq!(of("/home/ann/remoteish").as_deref(), Some("ext4"));
        assert_eq!(of("/mnt/my share/db").as_deref(), Some("cifs"));
        assert_eq!(mount_fstype("garbage", Path::new("/")), None);
    }

    #[test]
    fn the_folder_judged_is_the_nearest_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(existing_folder(&dir.path().join("a/b/c.db")), dir.path());
        assert_eq!(existing_folder(Path::new("c.db")), Path::new("."));
        assert_eq!(existing_folder(Path::new("no-such-folder/c.db")), Path::new("."));
    }

    #[test]
    fn this_test_folder_is_not_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(refuse_network_drive(&dir.path().join("x.db"), None).is_ok());
        assert!(!dir.path().join("x.db").exists());
        let err = refuse_network_drive(&dir.path().join("x.db"), Some(0x6969)).unwrap_err();
        assert!(err.to_string().contains("network drive (NFS)"), "{err}");
    }
}
