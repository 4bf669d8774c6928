//! The store on in-memory and on-disk SQLite: round trips, transactions, versions, permissions.

mod common;

use caseload::domain::Record;
use caseload::import::line::{Parsed, parse_line};
use caseload::store::{SCHEMA_VERSION, Store, StoreError};
use common::{dump_of, fixture, import};

fn records_of(name: &str) -> Vec<Record> {
    std::fs::read_to_string(fixture(name))
        .unwrap()
        .lines()
        .filter_map(|l| match parse_line(l, common::TODAY.parse().unwrap()) {
            Parsed::Record(r) => Some(r),
            Parsed::Skip => None,
            Parsed::Bad { problems, .. } => panic!("{l}: {problems:?}"),
        })
        .collect()
}

fn put_all(store: &mut Store, records: &[Record]) {
    let writer = store.write().unwrap();
    let mut batch = writer.batch(false).unwrap();
    for r in records {
        writer.put(&mut batch, r).unwrap_or_else(|e| panic!("{r:?}: {e:?}"));
    }
    assert!(writer.batch_violations(&batch).unwrap().is_empty());
    writer.commit().unwrap();
}

fn round_trip(store: &mut Store) {
    let mut records = records_of("base.jsonl");
    records.extend(records_of("every_record.jsonl"));
    put_all(store, &records);
    for r in &records {
        let back = store.reader().record(r.kind(), &r.key()).unwrap();
        assert_eq!(back.as_ref(), Some(r), "{} {}", r.kind(), r.key());
    }
}

#[test]
fn every_record_type_round_trips_in_memory() {
    round_trip(&mut Store::open_in_memory().unwrap());
}

#[test]
fn every_record_type_round_trips_on_disk_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("district.db");
    let mut store = Store::open(&path).unwrap();
    round_trip(&mut store);
    let dump = dump_of(&store);
    drop(store);
    let reopened = Store::open(&path).unwrap();
    assert_eq!(dump_of(&reopened), dump);
}

#[test]
fn a_dropped_transaction_leaves_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    {
        let writer = store.write().unwrap();
        let mut batch = writer.batch(false).unwrap();
        for r in records_of("base.jsonl") {
            writer.put(&mut batch, &r).unwrap();
        }
        assert!(!writer.reader().is_empty().unwrap(), "visible inside the transaction");
    }
    assert!(store.reader().is_empty().unwrap());
    assert_eq!(dump_of(&store), "");
}

#[test]
fn a_missing_reference_writes_nothing_of_the_record() {
    let mut store = Store::open_in_memory().unwrap();
    let records = records_of("every_record.jsonl");
    let writer = store.write().unwrap();
    let mut batch = writer.batch(false).unwrap();
    let child = records.iter().find(|r| r.kind() == caseload::domain::RecordKind::Child).unwrap();
    match writer.put(&mut batch, child) {
        Err(caseload::store::PutError::Missing(m)) => {
            assert_eq!(m.len(), 1);
            assert_eq!((m[0].field, m[0].key.as_str()), ("setting", "S-ASH"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(writer.reader().count(caseload::domain::RecordKind::Child).unwrap(), 0);
}

#[test]
fn an_empty_file_is_not_a_database_and_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let err = Store::open(&path).err().expect("a 0-byte file is refused");
    assert!(err.to_string().contains("is an empty file, not a caseload database"), "{err}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "not turned into a database");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["empty.db"], "nothing made beside it");
}

#[test]
fn an_sqlite_database_with_nothing_in_it_is_migrated_to_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("blank.db");
    // A database file with a header and no tables (as `sqlite3 blank.db 'VACUUM'` leaves).
    rusqlite::Connection::open(&path).unwrap().execute_batch("VACUUM").unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    let store = Store::open(&path).unwrap();
    assert!(store.reader().is_empty().unwrap());
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn a_database_from_a_newer_version_is_refused_naming_both_versions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 7).unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(
        matches!(err, StoreError::TooNew { found, supported, .. } if found == SCHEMA_VERSION + 7 && supported == SCHEMA_VERSION)
    );
    let text = err.to_string();
    assert!(text.contains(&format!("version {}", SCHEMA_VERSION + 7)), "{text}");
    assert!(text.contains(&format!("up to version {SCHEMA_VERSION}")), "{text}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the newer database is left as it was");
}

#[test]
fn files_that_are_not_caseload_databases_are_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "Dear parents,\nThe LIFT meeting is on Tuesday.\n").unwrap();
    let err = Store::open(&text).err().expect("refused");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("not a caseload database"));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "Dear parents,\nThe LIFT meeting is on Tuesday.\n");

    let other = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)").unwrap();
    drop(conn);
    let err = Store::open(&other).err().expect("refused");
    assert!(matches!(err, StoreError::ForeignDatabase { .. }), "{err:?}");

    let err = Store::open(dir.path()).err().expect("a folder is refused");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
}

#[cfg(unix)]
#[test]
fn the_database_and_its_side_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new/folder/district.db");
    let mut store = Store::open(&path).unwrap();
    import(&mut store, &fixture("base.jsonl"));
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file} has mode {mode:o}");
    }
    let folder = std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777;
    assert_eq!(folder, 0o700);
    let backup = dir.path().join("copy.db");
    store.backup_to(&backup).unwrap();
    assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
}

#[cfg(unix)]
#[test]
fn an_existing_database_open_to_others_is_tightened() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    drop(Store::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    drop(Store::open(&path).unwrap());
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn a_backup_holds_committed_data_while_another_writer_is_mid_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    let mut writer_store = Store::open(&path).unwrap();
    import(&mut writer_store, &fixture("base.jsonl"));
    let committed = dump_of(&writer_store);

    // A second connection starts writing and has not committed.
    let writer = writer_store.write().unwrap();
    let mut batch = writer.batch(false).unwrap();
    for r in records_of("every_record.jsonl") {
        writer.put(&mut batch, &r).unwrap();
    }

    let reader_store = Store::open(&path).unwrap();
    let copy = dir.path().join("copy.db");
    reader_store.backup_to(&copy).unwrap();
    writer.commit().unwrap();

    let restored = Store::open(&copy).unwrap();
    assert!(restored.integrity_problems().unwrap().is_empty());
    assert_eq!(dump_of(&restored), committed);
}

#[test]
fn the_cross_record_rules_find_broken_stored_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.db");
    let mut store = Store::open(&path).unwrap();
    import(&mut store, &fixture("base.jsonl"));
    import(&mut store, &fixture("every_record.jsonl"));
    assert!(store.reader().rule_violations().unwrap().is_empty());
    drop(store);
    // Another program edits the file behind caseload's back (giving itself the function that the
    // audit triggers call: without it no program can write records).
    let conn = rusqlite::Connection::open(&path).unwrap();
    common::as_another_program(&conn, "someone else");
    conn.execute("UPDATE cases SET closed = '2024-02-01', closure_reason = 'other' WHERE key = 'K-BEN'", [])
        .unwrap();
    conn.execute("UPDATE cases SET child_id = (SELECT id FROM children WHERE key = 'C-BEN'), opened = '2023-09-01' WHERE key = 'K-AMY'", []).unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let found: Vec<(String, &str)> =
        store.reader().rule_violations().unwrap().into_iter().map(|v| (v.key, v.field)).collect();
    assert!(found.contains(&("K-BEN".into(), "opened")), "{found:?}");
    assert!(found.contains(&("A-BEN".into(), "end")), "{found:?}");
    assert!(found.contains(&("V-BEN".into(), "date")), "{found:?}");
    assert!(found.contains(&("X-BEN".into(), "date")), "{found:?}");
    assert!(!found.iter().any(|(k, _)| k == "G-BEN"), "the target was set before closure: {found:?}");
}

#[cfg(unix)]
#[test]
fn in_a_teams_shared_folder_the_database_is_the_groups() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("team");
    std::fs::create_dir(&shared).unwrap();
    // Group-writable with the setgid bit: files made in it belong to its group.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let path = shared.join("district.db");
    let mut store = Store::open(&path).unwrap();
    import(&mut store, &fixture("base.jsonl"));
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o660, "{file} has mode {mode:o}");
    }
    drop(store);
    // Never open to others, even there.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    drop(Store::open(&path).unwrap());
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o660);
    // A folder that is not shared keeps the owner-only mode.
    let own = dir.path().join("own.db");
    drop(Store::open(&own).unwrap());
    assert_eq!(std::fs::metadata(&own).unwrap().permissions().mode() & 0o777, 0o600);
}

/// A new database is made in a file beside its name and linked into place whole: a run killed
/// while making it leaves no empty file under the name (which the next run would refuse), and
/// nothing of the making is left beside it.
#[test]
fn a_new_database_appears_whole_under_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("district.db");
    let store = Store::open(&path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 0, "the schema is in the file when it appears");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!left.iter().any(|n| n.contains(".new-")), "nothing of the making is left: {left:?}");
    drop(store);
    // Opened again, it is the same database (not made a second time).
    let again = Store::open(&path).unwrap();
    assert!(again.reader().is_empty().unwrap());
    assert!(again.audit_problems().unwrap().is_empty());
}
