//! Opening older databases (a backup copy first, then one migrating transaction) and refusing
//! databases on network drives.

mod common;

use caseload::domain::RecordKind;
use caseload::store::{NetworkDrive, SCHEMA_VERSION, Store, StoreError, StoreOptions};
use common::{binary, dump_of, fixture, import};
use std::path::Path;

const V1: &str = include_str!("../src/store/migrations/0001_records.sql");

/// A database as version 1 of the program left it: the first migration only, in WAL mode, with
/// a few records written directly (version 1 had no audit triggers).
fn version_1(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let _: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).unwrap();
    conn.execute_batch(V1).unwrap();
    conn.execute_batch(
        "INSERT INTO district (id, key, name) VALUES (1, 'district', 'Old District');
         INSERT INTO settings (key, name, phase, in_district) VALUES ('S-OAK', 'Oak Primary School', 'primary', 1);
         INSERT INTO children (key, first_name, last_name, dob, setting_id) VALUES ('C-AMY', 'Amy', 'Smith', '2016-04-01', 1);",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn user_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}

fn backup_of(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".v1.backup");
    name.into()
}

#[test]
fn a_version_1_database_is_copied_then_migrated() {
    assert_eq!(SCHEMA_VERSION, 8);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    version_1(&path);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.reader().count(RecordKind::Child).unwrap(), 1);
    assert_eq!(store.reader().district_name().unwrap().as_deref(), Some("Old District"));
    // Records from before the log get one entry each when the chain begins, so each can be
    // checked against its last entry.
    assert_eq!(store.reader().audit_len().unwrap(), 3, "the district, the setting and the child");
    assert!(store.audit_problems().unwrap().is_empty(), "{:?}", store.audit_problems().unwrap());
    // Records written now are logged.
    let more = dir.path().join("more.jsonl");
    std::fs::write(&more, "{\"type\":\"setting\",\"key\":\"S-ASH\",\"name\":\"Ash Nursery\",\"phase\":\"early_years\",\"in_district\":true}\n").unwrap();
    import(&mut store, &more);
    assert_eq!(store.reader().audit_of(RecordKind::Setting, "S-ASH").unwrap().len(), 1);
    drop(store);
    assert_eq!(user_version(&path), SCHEMA_VERSION);

    // The copy: version 1, the same records, owner-only.
    let copy = backup_of(&path);
    assert_eq!(user_version(&copy), 1);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let names: String =
        conn.query_row("SELECT group_concat(first_name) FROM children", [], |r| r.get(0)).unwrap();
    assert_eq!(names, "Amy");
    let audit: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'audit'", [], |r| r.get(0)).unwrap();
    assert_eq!(audit, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // The copy opens (and migrates) like the original: it is a real way back.
    drop(conn);
    let restored = dir.path().join("restored.db");
    std::fs::copy(&copy, &restored).unwrap();
    assert_eq!(Store::open(&restored).unwrap().reader().count(RecordKind::Child).unwrap(), 1);
}

#[test]
fn a_failing_migration_leaves_the_original_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    version_1(&path);
    // Another program left a table named like the one migration 2 creates: it cannot run.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE audit (note TEXT)").unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();

    let err = Store::open(&path).err().expect("the migration fails");
    assert!(matches!(err, StoreError::Sql(_)), "{err:?}");
    assert!(err.to_string().contains("audit"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the database file is byte for byte as it was");
    assert_eq!(user_version(&path), 1);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let triggers: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(triggers, 0, "nothing of migration 2 was kept");
    // The copy taken before it is there too.
    assert_eq!(user_version(&backup_of(&path)), 1);
}

#[test]
fn a_database_on_a_network_drive_is_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/district.db");
    for (magic, name) in [(0x6969, "NFS"), (0x517B, "SMB"), (0xFE53_4D42, "SMB2"), (0xFF53_4D42, "CIFS")] {
        let options = StoreOptions { assume_filesystem: Some(magic), ..StoreOptions::default() };
        let err = Store::open_with(&path, options).err().expect("refused");
        let StoreError::Io { source, .. } = &err else { panic!("{err:?}") };
        let refusal =
            source.get_ref().and_then(|e| e.downcast_ref::<NetworkDrive>()).expect("a NetworkDrive");
        assert_eq!(refusal.filesystem, name);
        let text = err.to_string();
        assert!(text.contains(&format!("network drive ({name})")), "{text}");
        assert!(text.contains("--allow-network-drive"), "{text}");
        assert!(!path.exists() && !path.parent().unwrap().exists(), "nothing is created when refused");
    }
    let options = StoreOptions {
        assume_filesystem: Some(0x6969),
        allow_network_drive: true,
        ..StoreOptions::default()
    };
    let mut store = Store::open_with(&path, options).unwrap();
    import(&mut store, &fixture("base.jsonl"));
    drop(store);
    // A local disk is judged by statfs, and opens with or without the option.
    assert!(Store::open_with(&path, StoreOptions::default()).is_ok());
    let out = std::process::Command::new(binary())
        .args(["--allow-network-drive", "--db"])
        .arg(&path)
        .arg("dump")
        .env_remove("CASELOAD_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), dump_of(&Store::open(&path).unwrap()));
}
