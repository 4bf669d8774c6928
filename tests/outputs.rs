//! Every file an output is aimed at is checked first: an SQLite database (any, by its content) or
//! a file caseload did not write is not written over without `--force`; the program's own earlier
//! outputs are; a pipe is written as a pipe, never replaced by a file.

mod common;

use std::path::Path;

const NOW: &str = "2026-11-30T12:00:00Z";

fn run(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = common::run_at(db, args, NOW);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn another_database_is_never_written_over_unasked() {
    let (dir, db) = common::kpi_district();
    let other = dir.path().join("other-district.db");
    common::import(&mut caseload::store::Store::open(&other).unwrap(), &common::fixture("base.jsonl"));
    let before = std::fs::read(&other).unwrap();
    let target = other.to_str().unwrap();
    for args in [
        &["export", "--year", "2023-24", "--format", "json", "--out", target][..],
        &["dump", "--out", target],
        &["report", "--year", "2023-24", "--term", "1", "--out", target],
        &["backup", target],
    ] {
        let (code, said) = run(&db, args);
        assert_eq!(code, Some(2), "{args:?}: {said}");
        assert!(said.contains("is a database") && said.contains("--force"), "{said}");
        assert!(std::fs::read(&other).unwrap() == before, "{args:?} changed it");
    }
    let (code, said) = run(&db, &["--force", "backup", target]);
    assert_eq!(code, Some(0), "{said}");
    assert!(std::fs::read(&other).unwrap() != before, "--force replaces it");
}

#[test]
fn a_file_caseload_did_not_write_is_kept_unless_forced() {
    let (dir, db) = common::kpi_district();
    let letter = dir.path().join("letter.csv");
    std::fs::write(&letter, "Dear parents,\nthe meeting is on Tuesday.\n").unwrap();
    let target = letter.to_str().unwrap();
    let (code, said) = run(&db, &["export", "--year", "2023-24", "--out", target]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("not written by caseload"), "{said}");
    assert_eq!(std::fs::read_to_string(&letter).unwrap(), "Dear parents,\nthe meeting is on Tuesday.\n");
    let (code, said) = run(&db, &["export", "--year", "2023-24", "--out", target, "--force"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(std::fs::read_to_string(&letter).unwrap().contains("academic_year"));
}

#[test]
fn the_programs_own_outputs_are_written_again_without_asking() {
    let (dir, db) = common::kpi_district();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec!["export".into(), "--year".into(), "2023-24".into(), "--out".into(), out("r.json")],
        vec!["export".into(), "--year".into(), "2023-24".into(), "--out".into(), out("r.csv")],
        vec![
            "export".into(),
            "--year".into(),
            "2023-24".into(),
            "--suppress-below".into(),
            "5".into(),
            "--out".into(),
            out("published.csv"),
        ],
        vec!["export".into(), "--year".into(), "2023-24".into(), "--out".into(), out("r.xlsx")],
        vec![
            "report".into(),
            "--year".into(),
            "2023-24".into(),
            "--term".into(),
            "1".into(),
            "--out".into(),
            out("p.html"),
        ],
        vec!["dump".into(), "--out".into(), out("d.jsonl")],
    ];
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for time in ["first", "second"] {
            let (code, said) = run(&db, &args);
            assert_eq!(code, Some(0), "{args:?}, {time} time: {said}");
        }
    }
    // The county's own outputs too.
    let year = out("year.json");
    let (code, said) = run(&db, &["export", "--year", "2023-24", "--out", &year]);
    assert_eq!(code, Some(0), "{said}");
    for format in ["json", "csv", "xlsx", "html"] {
        let target = out(&format!("county.{format}"));
        for suppress in ["0", "5"] {
            let (code, said) = run(&db, &["county", &year, "--out", &target, "--suppress-below", suppress]);
            assert_eq!(code, Some(0), "county {format}: {said}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_backup_onto_a_named_pipe_goes_through_the_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let (dir, db) = common::kpi_district();
    let pipe = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read(pipe).unwrap())
    };
    let (code, said) = run(&db, &["backup", pipe.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{said}");
    // (Asked before waiting for the reader: a pipe replaced by a file would leave it waiting.)
    assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
    let bytes = reader.join().unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"), "the copy went through it");
    let copy = dir.path().join("from-pipe.db");
    std::fs::write(&copy, &bytes).unwrap();
    let (code, said) = run(&copy, &["check"]);
    assert_eq!(code, Some(0), "the copy is whole: {said}");
}
