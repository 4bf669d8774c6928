//! Opening a database file safely: owner-only permissions, a header check, connection settings.

use super::{Result, Store, StoreError, classify, migrate};
use rusqlite::{Connection, OpenFlags};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// How long a write waits for another process's write before giving up with "busy".
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub(super) fn open_file(path: &Path) -> Result<Store> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(StoreError::NotADatabase { path: path.to_path_buf() });
        }
        Ok(_) => check_header(path)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_private_file(path)?,
        Err(e) => return Err(StoreError::io(path, e)),
    }
    make_private(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|e| not_a_database(path, e))?;
    configure(&conn).map_err(|e| match e {
        StoreError::Sql(e) => not_a_database(path, e),
        other => other,
    })?;
    refuse_foreign(&conn, path)?;
    migrate::migrate(&mut conn, Some(path))?;
    Ok(Store { conn, path: Some(path.to_path_buf()) })
}

/// Connection settings every connection gets: foreign keys enforced, WAL with full sync (a
/// committed change survives power loss), and a busy timeout so a second process waits its turn.
pub(super) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Every statement the program runs stays prepared (the default of 16 would re-parse SQL on
    // almost every write of a large import).
    conn.set_prepared_statement_cache_capacity(256);
    conn.pragma_update(None, "foreign_keys", true)?;
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // 32 MB of page cache: large imports stay fast, well inside the 100 MB memory bar.
    conn.pragma_update(None, "cache_size", -32_000)?;
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
fn create_private_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(|e| StoreError::io(dir, e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop).map_err(|e| StoreError::io(path, e))
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Tightens an existing database file (and side files) to owner-only if it was more open.
fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut side = path.as_os_str().to_owned();
        for suffix in ["", "-wal", "-shm"] {
            side.clear();
            side.push(path.as_os_str());
            side.push(suffix);
            let file = Path::new(&side);
            let Ok(meta) = std::fs::metadata(file) else { continue };
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| StoreError::io(file, e))?;
            }
        }
    }
    let _ = path;
    Ok(())
}

pub(super) fn backup_connection(conn: &Connection, dest: &Path) -> Result<()> {
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = Path::new(&partial);
    let _ = std::fs::remove_file(partial);
    create_private_file(partial)?;
    let result = (|| -> Result<()> {
        let mut target = Connection::open(partial)?;
        let backup = rusqlite::backup::Backup::new(conn, &mut target)?;
        // Small steps with pauses let other processes keep writing while the copy is taken;
        // SQLite restarts the copy if the source changes, so the result is one consistent moment.
        backup.run_to_completion(256, Duration::from_millis(5), None).map_err(classify)?;
        drop(backup);
        target.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    })();
    match result {
        Ok(()) => std::fs::rename(partial, dest).map_err(|e| StoreError::io(dest, e)),
        Err(e) => {
            let _ = std::fs::remove_file(partial);
            Err(e)
        }
    }
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
