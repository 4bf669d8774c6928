//! Commands that only read (check, export, dump, report, audit, backup) never change a database:
//! not its bytes, not its permissions, not the files beside it; a foreign `-wal` beside it is not
//! merged into it; a file that is refused is left exactly as it was.

mod common;

use common::files_in;

use caseload::store::{SCHEMA_VERSION, Store};
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-30T12:00:00Z";

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    common::run_at(db, args, NOW)
}

fn district(dir: &Path, name: &str, fixture: &str) -> PathBuf {
    let db = dir.join(name);
    common::import(&mut Store::open(&db).unwrap(), &common::fixture(fixture));
    db
}

fn side(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A `-wal` of another copy of the database `db`, with a change not yet written into that copy: a
/// log SQLite would take as the database's own.
fn foreign_wal(dir: &Path, db: &Path) -> Vec<u8> {
    let other = dir.join("other.db");
    std::fs::copy(db, &other).unwrap();
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (zeroblob(20000));")
        .unwrap();
    // Read while the connection is open: on closing, SQLite writes it into its file and removes it.
    let wal = std::fs::read(side(&other, "-wal")).unwrap();
    assert!(!wal.is_empty(), "the other database's log holds its change");
    drop(conn);
    std::fs::remove_file(&other).unwrap();
    wal
}

#[test]
fn check_never_merges_a_foreign_wal_into_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = district(dir.path(), "district.db", "kpi_district.jsonl");
    let wal = foreign_wal(dir.path(), &db);
    let before = std::fs::read(&db).unwrap();
    std::fs::write(side(&db, "-wal"), &wal).unwrap();
    for args in [&["check"][..], &["audit", "--verify"], &["dump"], &["export", "--year", "2023-24"]] {
        let out = run(&db, args);
        if args == ["check"] {
            let said = String::from_utf8_lossy(&out.stderr);
            assert!(said.contains("write-ahead log") && said.contains("not merged"), "{said}");
        }
        assert!(std::fs::read(&db).unwrap() == before, "{args:?} changed the database file");
        assert!(std::fs::read(side(&db, "-wal")).unwrap() == wal, "{args:?} changed the -wal beside it");
    }
}

// Unix permission bits (a mode of 0400).
#[cfg(unix)]
#[test]
fn a_read_only_database_is_read_and_never_made_writable() {
    let dir = tempfile::tempdir().unwrap();
    let db = district(dir.path(), "district.db", "kpi_district.jsonl");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&db, &["export", "--year", "2023-24", "--term", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let backup = dir.path().join("copy.db");
    let out = run(&db, &["backup", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o400, "still read-only");
    assert!(std::fs::read(&db).unwrap() == before, "its bytes unchanged");
    // A command that changes records is told the file is read-only, and changes nothing.
    let records = dir.path().join("more.jsonl");
    std::fs::write(&records, "{\"type\":\"setting\",\"key\":\"S-NEW\",\"name\":\"New School\",\"phase\":\"primary\",\"in_district\":true}\n").unwrap();
    let out = run(&db, &["import", records.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("read-only"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::metadata(&db).unwrap().permissions().mode() & 0o777, 0o400);
}

#[test]
fn a_refused_newer_database_in_wal_mode_is_left_with_nothing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = district(dir.path(), "newer.db", "base.jsonl");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    let _ = std::fs::remove_file(side(&db, "-lock"));
    assert_eq!(files_in(dir.path()), ["newer.db"]);
    for args in [&["check"][..], &["dump"], &["import", "/dev/null"]] {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("newer version"));
        assert_eq!(files_in(dir.path()), ["newer.db"], "{args:?} left files beside it");
        assert!(std::fs::read(&db).unwrap() == before);
    }
}

#[test]
fn an_empty_file_is_not_taken_for_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.db");
    std::fs::write(&db, b"").unwrap();
    for args in [&["check"][..], &["import", common::fixture("base.jsonl").to_str().unwrap()], &["demo"]] {
        let out = run(&db, args);
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {said}");
        assert!(said.contains("is an empty file, not a caseload database"), "{said}");
        assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
        assert_eq!(files_in(dir.path()), ["empty.db"]);
    }
}

// Unix only: on Windows making a link needs a privilege users seldom have.
#[cfg(unix)]
#[test]
fn a_database_path_that_is_a_link_to_nowhere_is_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("district.db");
    std::os::unix::fs::symlink(dir.path().join("moved/district.db"), &link).unwrap();
    let out = std::process::Command::new(common::binary())
        .args(["import", common::fixture("base.jsonl").to_str().unwrap()])
        .env("CASELOAD_DB", &link)
        .env("CASELOAD_NOW", NOW)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("is a link to") && said.contains("which does not exist"), "{said}");
    assert!(!said.contains("os error"), "{said}");
}

/// A small filesystem of its own (tmpfs), unmounted when dropped; `None` where this process may
/// not mount one (not root, or a sandbox that forbids it).
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn new(dir: &Path, size: &str) -> Option<SmallDisk> {
        let point = dir.join("disk");
        std::fs::create_dir(&point).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&point)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk(point))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn with_the_disk_full_the_commands_that_read_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::new(dir.path(), "4m") else {
        eprintln!("skipped: this process cannot mount a small filesystem to fill (needs root)");
        return;
    };
    let db = disk.0.join("district.db");
    let out = run(&db, &["import", common::fixture("kpi_district.jsonl").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // Fill the disk to the last byte.
    let mut filler = std::fs::File::create(disk.0.join("filler")).unwrap();
    let block = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    drop(filler);
    for args in [&["check"][..], &["dump"], &["audit", "--verify"], &["export", "--year", "2023-24"]] {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // A copy can be taken to another disk; writing on the full one is said plainly.
    let copy = dir.path().join("copy.db");
    let out = run(&db, &["backup", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&db, &["export", "--year", "2023-24", "--out", disk.0.join("r.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the disk is full"));
}
