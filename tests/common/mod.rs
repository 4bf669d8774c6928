//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod app;
pub mod backend;
pub mod browser;
pub mod exports;
pub mod pg;
pub mod relations;

use caseload::export::dump::write_records;
use caseload::import::{ImportOptions, import_file};
use caseload::store::Store;
use std::path::{Path, PathBuf};

/// The day the tests take as today, unless they say otherwise: after every fixture's records.
pub const TODAY: &str = "2026-11-30";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Imports a file that must be good.
pub fn import(store: &mut Store, path: &Path) {
    let options = ImportOptions { today: TODAY.parse().unwrap(), ..ImportOptions::default() };
    if let Err(e) = import_file(store, path, options) {
        match e {
            caseload::import::ImportError::Invalid { errors, .. } => {
                let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                panic!("{} should import:\n{}", path.display(), lines.join("\n"))
            }
            other => panic!("{} should import: {other}", path.display()),
        }
    }
}

/// The whole database as a records file.
pub fn dump_of(store: &Store) -> String {
    let mut out = Vec::new();
    write_records(store.reader(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// An in-memory store holding `tests/fixtures/base.jsonl`.
pub fn store_with_base() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &fixture("base.jsonl"));
    store
}

/// A database file holding the hand-worked KPI district (`tests/fixtures/kpi_district.jsonl`).
pub fn kpi_district() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let out =
        run_at(&db, &["import", fixture("kpi_district.jsonl").to_str().unwrap()], "2024-09-02T09:00:00Z");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

/// Runs the binary on a database with "now" fixed.
pub fn run_at(db: &Path, args: &[&str], now: &str) -> std::process::Output {
    std::process::Command::new(binary())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("CASELOAD_NOW", now)
        .output()
        .unwrap()
}

/// The path of the built `caseload` binary.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_caseload"))
}

/// Gives a plain SQLite connection the functions the audit triggers call (the user and the
/// time), as another program that edits the file behind caseload's back would have to.
pub fn as_another_program(conn: &rusqlite::Connection, user: &'static str) {
    let flags = rusqlite::functions::FunctionFlags::SQLITE_UTF8;
    conn.create_scalar_function("caseload_user", 0, flags, move |_| Ok(user)).unwrap();
    conn.create_scalar_function("caseload_now", 0, flags, |_| Ok("2024-01-01T00:00:00.000Z")).unwrap();
}

/// The names of the files in a folder, sorted.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A generated district (`demo`) of three years to `TODAY`, in a database file in `dir`.
pub fn generated_district(dir: &Path, children: u32, seed: u64) -> (PathBuf, Store) {
    let path = dir.join("d.db");
    let mut store = Store::open(&path).unwrap();
    let options = caseload::demo::DemoOptions { children, years: 3, seed, district: "Generated".into() };
    caseload::demo::generate(&mut store, &options, TODAY.parse().unwrap(), &mut |_| {}).unwrap();
    (path, store)
}

/// Every term, two-term and year return of the academic years `years` (with every measure),
/// made on `TODAY`; a period not yet started gives its refusal. For comparing before and after.
pub fn every_return(store: &Store, years: std::ops::RangeInclusive<i32>) -> Vec<String> {
    use caseload::domain::{AcademicYear, Scope, Term};
    use caseload::kpi::report::{Request, build};
    let all = caseload::kpi::framework::find("all").unwrap();
    let mut spans: Vec<Scope> = (1..=6).map(|t| Scope::Term(Term::new(t).unwrap())).collect();
    spans.extend([1, 3, 5].map(|t| Scope::Terms(Term::new(t).unwrap())));
    spans.push(Scope::Year);
    let mut out = Vec::new();
    for year in years {
        for span in &spans {
            let request = Request {
                year: AcademicYear::starting(year),
                span: *span,
                framework: all,
                generated_at: String::new(),
                today: TODAY.parse().unwrap(),
            };
            out.push(match build(store.reader(), &request) {
                Ok(r) => format!("{r:?}"),
                Err(e) => e.to_string(),
            });
        }
    }
    out
}
