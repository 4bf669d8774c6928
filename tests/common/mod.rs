//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod app;

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
            caseload::import::ImportError::Invalid(errors) => {
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

/// The path of the built `caseload` binary.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_caseload"))
}
