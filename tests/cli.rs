//! The command line as people run it: exit codes, messages, files.

mod common;

use common::{binary, fixture};
use std::path::Path;
use std::process::{Command, Output};

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(binary()).arg("--db").arg(db).args(args).env_remove("CASELOAD_DB").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn import_dump_and_check_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let base = fixture("base.jsonl");
    let out = run(&db, &["import", base.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("imported 6 records"), "{}", text(&out.stderr));

    let dump = run(&db, &["dump"]);
    assert_eq!(dump.status.code(), Some(0));
    assert_eq!(text(&dump.stdout).lines().count(), 6);

    let file = dir.path().join("out.jsonl");
    let out = run(&db, &["dump", "--out", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(&file).unwrap(), dump.stdout);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }

    let check = run(&db, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    assert!(text(&check.stdout).starts_with("ok: 6 records"));
}

#[test]
fn a_bad_file_exits_2_and_names_every_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let bad = fixture("bad/many_errors.jsonl");
    let out = run(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for line in [
        "line 7 (setting \"S3\"), field \"phase\"",
        "line 9:",
        "line 11 (staff member \"T1\"), field \"fte\"",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
    assert!(err.contains("nothing was imported"), "{err}");
    // A first import refused leaves no empty database (nor its side files) behind.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "{left:?}");
    // Refused into a database that was there already: it stays, as it was.
    let out = run(&db, &["import", fixture("base.jsonl").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let before = run(&db, &["dump"]).stdout;
    let out = run(&db, &["import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(run(&db, &["dump"]).stdout, before, "nothing written");
}

#[test]
fn a_missing_file_and_a_binary_file_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let out = run(&db, &["import", "/no/such/file.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read /no/such/file.jsonl"), "{}", text(&out.stderr));
    let bin = dir.path().join("x.bin");
    std::fs::write(&bin, [0u8, 1, 2, 3, 255]).unwrap();
    let out = run(&db, &["import", bin.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("binary"));
}

#[test]
fn the_database_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("env.db");
    let out = Command::new(binary())
        .args(["import", fixture("base.jsonl").to_str().unwrap()])
        .env("CASELOAD_DB", &db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(db.exists());
}

#[test]
fn backup_makes_a_copy_that_opens_with_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    run(&db, &["import", fixture("base.jsonl").to_str().unwrap()]);
    let copy = dir.path().join("backup.db");
    let out = run(&db, &["backup", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(run(&copy, &["dump"]).stdout, run(&db, &["dump"]).stdout);
    let same = run(&db, &["backup", db.to_str().unwrap()]);
    assert_eq!(same.status.code(), Some(2), "backing up onto itself is refused");
}

#[test]
fn check_reports_broken_data_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    run(&db, &["import", fixture("base.jsonl").to_str().unwrap()]);
    let conn = rusqlite::Connection::open(&db).unwrap();
    // The audit triggers need the function caseload registers; a bare connection cannot write.
    common::as_another_program(&conn, "someone else");
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO reviews (key, case_id, date, outcome) VALUES ('V-LATE', 1, '2025-01-01', 'amended');
         INSERT INTO targets (key, case_id, text, set_on) VALUES ('G-ORPHAN', 999, 'x', '2024-01-01');",
    )
    .unwrap();
    drop(conn);
    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(report.contains("review \"V-LATE\", field \"date\""), "{report}");
    assert!(report.contains("refers to a missing record in cases"), "{report}");
}

#[test]
fn a_file_that_is_not_a_database_exits_2_and_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("letter.txt");
    std::fs::write(&db, "not a database at all, just some text that is long enough").unwrap();
    let out = run(&db, &["dump"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a caseload database"), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&db).unwrap(),
        "not a database at all, just some text that is long enough"
    );
}

#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    assert_eq!(run(&db, &["import"]).status.code(), Some(2));
    assert_eq!(run(&db, &["frobnicate"]).status.code(), Some(2));
    let help = run(&db, &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("import-settings"));
}
