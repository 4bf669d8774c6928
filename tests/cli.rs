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

#[test]
fn a_dash_is_standard_input_for_import_and_standard_output_for_out() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let records = std::fs::read(fixture("base.jsonl")).unwrap();
    let mut child = Command::new(binary())
        .arg("--db")
        .arg(&db)
        .args(["import", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&records).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let to_stdout = run(&db, &["dump", "--out", "-"]);
    assert_eq!(to_stdout.status.code(), Some(0), "{}", text(&to_stdout.stderr));
    assert_eq!(text(&to_stdout.stdout), text(&run(&db, &["dump"]).stdout), "--out - is the same as no --out");
    assert_eq!(text(&to_stdout.stdout).lines().count(), 6);
    assert!(!dir.path().join("-").exists(), "no file named -");
    let year = run(&db, &["export", "--year", "2023-24", "--format", "csv", "--out", "-"]);
    assert_eq!(year.status.code(), Some(0), "{}", text(&year.stderr));
    assert!(text(&year.stdout).lines().count() > 10, "the return on standard output: {}", text(&year.stdout));
}

#[test]
fn every_subcommand_has_a_version_and_help_lists_the_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let version = env!("CARGO_PKG_VERSION");
    for sub in ["export", "dump", "check", "county", "completions"] {
        let out = run(&db, &[sub, "--version"]);
        assert_eq!(out.status.code(), Some(0), "{sub} --version: {}", text(&out.stderr));
        let said = text(&out.stdout);
        assert_eq!(said.trim(), format!("caseload-{sub} {version}"), "{sub} --version");
    }
    let help = text(&run(&db, &["--help"]).stdout);
    assert!(help.contains("Exit status: 0") && help.contains("2 bad usage"), "{help}");
    assert!(!db.exists(), "asking for help or a version makes no database");
}

#[test]
fn completions_are_written_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    for (shell, mark) in [
        ("bash", "complete"),
        ("zsh", "#compdef"),
        ("fish", "complete -c caseload"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run(&db, &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains(mark), "{shell}: {script}");
        assert!(script.contains("import-settings"), "{shell} names the commands");
    }
    assert_eq!(run(&db, &["completions", "tcsh"]).status.code(), Some(2));
}
