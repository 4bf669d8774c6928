//! Strict inputs (quality.md, "Strict inputs everywhere"), through the real binary: keys given
//! twice, numbers typed amiss, malformed environment variables, floods of bad lines, streams and
//! names checked before anything is created. Each refusal is exit 2 in words, with nothing written.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const NOW: &str = "2026-11-30T10:00:00Z";

fn caseload(db: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(common::binary());
    command.arg("--db").arg(db).args(args).env("CASELOAD_NOW", NOW).env_remove("CASELOAD_BUSY_TIMEOUT_MS");
    command
}

fn run(db: &Path, args: &[&str]) -> Output {
    caseload(db, args).stdin(Stdio::null()).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A records file of the given lines, in `dir`.
fn records(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn district() -> String {
    r#"{"type":"district","name":"Ashford"}"#.to_string()
}

fn manual(id: &str, value: &str) -> String {
    format!(r#"{{"type":"manual_measure","year":"2025-26","term":1,"id":"{id}","value":{value}}}"#)
}

/// Imports `lines` into a new database: its exit status, what it said, and whether the
/// database holds anything afterwards.
fn import_new(lines: &[String]) -> (Option<i32>, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let file = records(dir.path(), "in.jsonl", lines);
    let out = run(&db, &["import", file.to_str().unwrap()]);
    let dumped = run(&db, &["dump"]);
    (out.status.code(), stderr(&out), String::from_utf8_lossy(&dumped.stdout).contains("\"type\""))
}

#[test]
fn a_field_given_twice_in_a_records_line_is_refused_naming_the_line_and_field() {
    let (code, err, stored) =
        import_new(&[district(), r#"{"type":"district","name":"Ashford","name":"Dover"}"#.to_string()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("line 2") && err.contains("\"name\" is given twice"), "{err}");
    assert!(!stored, "nothing is imported");
}

#[test]
fn manual_figures_with_misplaced_separators_or_exponents_are_refused_saying_how_to_type_them() {
    for (value, said) in [
        (r#""£1,2,3""#, "groups of three"),
        (r#""1,00""#, "groups of three"),
        (r#""12,5000.50""#, "groups of three"),
        (r#""1e3""#, "exponent form"),
    ] {
        let (code, err, stored) = import_new(&[district(), manual("budget.core", value)]);
        assert_eq!(code, Some(2), "{value}: {err}");
        assert!(err.contains(said) && err.contains("line 2"), "{value}: {err}");
        assert!(!stored, "{value}: nothing is imported");
    }
    // Typed as people write money, it is read.
    let (code, err, stored) = import_new(&[district(), manual("budget.core", r#""£1,234,567.50""#)]);
    assert_eq!((code, stored), (Some(0), true), "{err}");
}

#[test]
fn environment_variables_set_but_malformed_are_refused_naming_the_variable_before_anything_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let file = records(dir.path(), "in.jsonl", &[district()]);
    for (var, value, said) in [
        ("CASELOAD_NOW", "garbage", "2026-11-30T10:00:00Z"),
        ("CASELOAD_NOW", "2026-13-45", "RFC 3339"),
        ("CASELOAD_BUSY_TIMEOUT_MS", "abc", "milliseconds"),
        ("CASELOAD_BUSY_TIMEOUT_MS", "-5", "milliseconds"),
        ("CASELOAD_BUSY_TIMEOUT_MS", "1e3", "milliseconds"),
    ] {
        let out = caseload(&db, &["import", file.to_str().unwrap()]).env(var, value).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{var}={value}: {err}");
        assert!(err.contains(var) && err.contains(value) && err.contains(said), "{var}={value}: {err}");
        assert!(!db.exists(), "{var}={value}: no database is created");
    }
    // Well formed, they are used: the moment as given, a date on its own too.
    for now in ["2026-11-30T10:00:00+01:00", "2026-11-30"] {
        let out = caseload(&db, &["import", file.to_str().unwrap()])
            .env("CASELOAD_NOW", now)
            .env("CASELOAD_BUSY_TIMEOUT_MS", "250")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{now}: {}", stderr(&out));
    }
}

#[test]
fn a_demo_district_name_that_breaks_the_name_rules_is_refused_before_a_database_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let long = "D".repeat(150);
    for name in ["District\u{1b}[2J", long.as_str(), "   "] {
        let out = run(&db, &["demo", "--children", "10", "--years", "1", "--district", name]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name:?}: {err}");
        assert!(err.contains("--district") && !err.contains("bug"), "{name:?}: {err}");
        assert!(!err.contains('\u{1b}'), "{name:?}: the escape is shown escaped: {err}");
        assert!(!db.exists(), "{name:?}: no database is created");
    }
    let out = run(&db, &["demo", "--children", "0", "--district", "Ashford"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!db.exists(), "a bad --children creates nothing either");
}

/// The register's header, as in the published file (the columns caseload reads).
const REGISTER_HEADER: &str = "URN,EstablishmentName,TypeOfEstablishment (name),PhaseOfEducation (name),\
EstablishmentStatus (name),DistrictAdministrative (name),LA (name),CloseDate";

fn register_row(urn: u32, name: &str) -> String {
    format!("{urn},{name},Community school,Primary,Open,Ashford,Kent,")
}

#[test]
fn a_flood_of_bad_lines_prints_the_first_hundred_problems_then_a_count_of_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let lines: Vec<String> = (0..20_000).map(|i| format!("{{\"type\":\"nonsense{i}\"}}")).collect();
    let file = records(dir.path(), "bad.jsonl", &lines);
    let out = run(&db, &["import", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{}", &err[..err.len().min(2000)]);
    let said: Vec<&str> = err.lines().collect();
    assert_eq!(said.len(), 102, "100 problems, the count of the rest, the verdict: {:?}", &said[..5]);
    assert!(said[0].contains("line 1,") || said[0].contains("line 1 "), "{}", said[0]);
    assert!(said[100].contains("19900 more problem(s) not listed"), "{}", said[100]);
    assert!(
        said[101].contains("20000 problem(s)") && said[101].contains("nothing was imported"),
        "{}",
        said[101]
    );

    // The schools register's rows alike.
    let mut csv = vec![REGISTER_HEADER.to_string()];
    csv.extend((0..5_000).map(|i| format!("{i},cut short")));
    csv.push(register_row(100_001, "Oak Primary"));
    let register = dir.path().join("register.csv");
    std::fs::write(&register, csv.join("\r\n")).unwrap();
    let out = run(&db, &["import-settings", register.to_str().unwrap(), "--district", "Ashford"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{}", &err[..err.len().min(2000)]);
    let said: Vec<&str> = err.lines().collect();
    assert_eq!(said.len(), 102, "{:?}", &said[..5]);
    assert!(said[100].contains("4900 more problem(s) not listed"), "{}", said[100]);
    assert!(said[101].contains("5000 problem(s)"), "{}", said[101]);
}

#[test]
fn a_register_with_old_mac_line_ends_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let rows = [
        REGISTER_HEADER.to_string(),
        register_row(100_001, "Oak Primary"),
        register_row(100_002, "Elm Primary"),
    ];
    let register = dir.path().join("register.csv");
    std::fs::write(&register, rows.join("\r") + "\r").unwrap();
    let out = run(&db, &["import-settings", register.to_str().unwrap(), "--district", "Ashford"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("2 in district") && err.contains("2 new"), "{err}");
}

#[test]
fn a_register_field_far_longer_than_any_row_is_refused_while_reading() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let huge = "A".repeat(8 << 20);
    for (name, field) in [("unquoted", huge.clone()), ("quoted", format!("\"{huge}\""))] {
        let rows = [
            REGISTER_HEADER.to_string(),
            register_row(100_001, "Oak Primary"),
            register_row(100_002, &field),
        ];
        let register = dir.path().join(format!("{name}.csv"));
        std::fs::write(&register, rows.join("\r\n")).unwrap();
        let out = run(&db, &["import-settings", register.to_str().unwrap(), "--district", "Ashford"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", &err[..err.len().min(500)]);
        assert!(
            err.contains("row 3") && err.contains("bytes long"),
            "{name}: {}",
            &err[..err.len().min(500)]
        );
        assert!(err.len() < 2_000, "{name}: the field is not repeated: {} bytes said", err.len());
        assert!(!db.exists(), "{name}: nothing is created");
    }
}

/// Runs caseload with `input` written to its standard input.
fn run_with_stdin(db: &Path, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = caseload(db, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn standard_input_and_pipes_are_read_once_as_streams() {
    let dir = tempfile::tempdir().unwrap();
    let lines = [district(), manual("budget.core", "12500")].join("\n") + "\n";
    // `-`, and a pipe named as a file (as `import <(cat file)` gives it): both read once.
    for (n, name) in ["-", "/dev/stdin"].iter().enumerate() {
        #[cfg(not(unix))]
        if *name == "/dev/stdin" {
            continue;
        }
        let db = dir.path().join(format!("{n}.db"));
        let out = run_with_stdin(&db, &["import", name], lines.as_bytes());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{name}: {err}");
        assert!(err.contains("imported 2 records"), "{name}: {err}");
    }
    let db = dir.path().join("register.db");
    let csv = [REGISTER_HEADER.to_string(), register_row(100_001, "Oak Primary")].join("\r\n");
    let out = run_with_stdin(&db, &["import-settings", "-", "--district", "Ashford"], csv.as_bytes());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.starts_with("standard input: 1 in district"), "{err}");
}

/// A named pipe whose writer starts late: the wait is told, then the file is read.
#[cfg(unix)]
#[test]
fn a_named_pipe_whose_writer_starts_late_is_waited_for_saying_so() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (db, fifo, said) =
        (dir.path().join("d.db"), dir.path().join("records.fifo"), dir.path().join("said.txt"));
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let mut child = caseload(&db, &["import", fifo.to_str().unwrap()])
        .stdin(Stdio::null())
        .stderr(std::fs::File::create(&said).unwrap())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2_000));
    let waiting = std::fs::read_to_string(&said).unwrap();
    assert!(
        waiting.contains("waiting for a program to write to") && waiting.contains("records.fifo"),
        "{waiting:?}"
    );
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writer.write_all((district() + "\n").as_bytes()).unwrap();
    drop(writer);
    let status = child.wait().unwrap();
    let err = std::fs::read_to_string(&said).unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.contains("imported 1 record"), "{err}");
}
