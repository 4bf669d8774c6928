//! `caseload import-settings`: the national schools register CSV, through the real binary.
//!
//! `tests/fixtures/register.csv` is in the published layout (Windows-1252, CRLF, 51 columns):
//! district Ashford has 9 open establishments of every phase (one proposed to close), 2 "Not
//! applicable", one closed and one proposed to open; neighbour Folkestone and Hythe has 2 open,
//! one "Not applicable" and one closed; 4 rows of other districts (one with an unknown phase and
//! one with an impossible date, which must not matter) are ignored.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE_SUMMARY: &str = "register.csv: 9 in district, 2 out of district (neighbours), 11 new, \
     0 updated, 0 closed, 3 skipped (phase \"Not applicable\"), 3 not open (proposed to open, or \
     closed) left as they are, 4 rows of other districts ignored";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register.csv")
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("CASELOAD_DB")
        .output()
        .expect("run caseload")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `import-settings FILE --district Ashford --neighbour "Folkestone and Hythe"`.
fn import(db: &Path, file: &Path) -> Output {
    let file = file.to_str().expect("utf-8 path");
    run(db, &["import-settings", file, "--district", "Ashford", "--neighbour", "Folkestone and Hythe"])
}

/// The whole database as `caseload dump` writes it.
fn dump(db: &Path) -> String {
    let out = run(db, &["dump"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The settings in the database, by key.
fn settings(db: &Path) -> BTreeMap<String, Value> {
    dump(db)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("dump line is JSON"))
        .filter(|v| v["type"] == "setting")
        .map(|v| (v["key"].as_str().expect("key").to_string(), v))
        .collect()
}

/// The fixture as a table of text (decoded from Windows-1252), to edit and write back.
struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    fn fixture() -> Table {
        let bytes = std::fs::read(fixture()).expect("fixture");
        assert!(std::str::from_utf8(&bytes).is_err(), "the fixture must be Windows-1252, not UTF-8");
        let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&bytes);
        assert!(!bad);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let rows =
            reader.records().map(|r| r.expect("fixture row").iter().map(String::from).collect()).collect();
        Table { rows }
    }

    fn column(&self, name: &str) -> usize {
        self.rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }

    /// Sets a column of the row with this URN.
    fn set(&mut self, urn: &str, column: &str, value: &str) -> &mut Table {
        let c = self.column(column);
        let row = self.rows.iter_mut().find(|r| r[0] == urn).unwrap_or_else(|| panic!("no URN {urn}"));
        row[c] = value.to_string();
        self
    }

    fn drop_column(&mut self, name: &str) -> &mut Table {
        let c = self.column(name);
        self.rows.iter_mut().for_each(|r| {
            r.remove(c);
        });
        self
    }

    fn csv_text(&self) -> String {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        for r in &self.rows {
            w.write_record(r).expect("write row");
        }
        String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
    }

    fn windows_1252(&self) -> Vec<u8> {
        let text = self.csv_text();
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    fn write(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, self.windows_1252()).expect("write file");
        path
    }
}

#[test]
fn the_register_loads_with_phases_districts_and_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    // District names are matched case-insensitively, with spaces trimmed.
    let file = fixture();
    let out = run(
        &db,
        &[
            "import-settings",
            file.to_str().unwrap(),
            "--district",
            "ashford",
            "--neighbour",
            " FOLKESTONE AND HYTHE ",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.trim_end().ends_with(FIXTURE_SUMMARY), "{err}");

    let settings = settings(&db);
    let want = [
        ("118200", "early_years", true),
        ("118211", "primary", true),
        ("138742", "primary", true),
        ("140117", "primary", true),   // Middle deemed primary
        ("136402", "secondary", true), // Secondary
        ("141930", "secondary", true), // Middle deemed secondary
        ("145288", "secondary", true), // All-through
        ("130689", "post16", true),
        ("118230", "primary", true), // Open, but proposed to close
        ("118400", "primary", false),
        ("137001", "secondary", false),
    ];
    assert_eq!(settings.len(), want.len(), "{settings:#?}");
    for (urn, phase, in_district) in want {
        let s = &settings[urn];
        assert_eq!(s["phase"], phase, "{urn}");
        assert_eq!(s["in_district"], in_district, "{urn}");
        assert_eq!(s["urn"], urn, "{urn}");
        let closed = if urn == "118230" { Value::from("2025-08-31") } else { Value::Null };
        assert_eq!(s.get("closed").cloned().unwrap_or(Value::Null), closed, "{urn}");
    }
    assert_eq!(settings["118211"]["name"], "St Mary's and St Clément's CofE Primary School");
    assert_eq!(settings["138742"]["name"], "Kennington Church of England Academy, Ashford");
    assert_eq!(settings["118200"]["name"], "Willesborough Nursery School");

    let check = run(&db, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

#[test]
fn a_utf8_copy_with_or_without_bom_loads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("ref.db");
    assert_eq!(import(&reference, &fixture()).status.code(), Some(0));
    let utf8 = Table::fixture().csv_text();
    for (name, bytes) in [
        ("plain.csv", utf8.clone().into_bytes()),
        ("bom.csv", [&b"\xEF\xBB\xBF"[..], utf8.as_bytes()].concat()),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let db = dir.path().join(format!("{name}.db"));
        let out = import(&db, &file);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert_eq!(dump(&db), dump(&reference), "{name}");
    }
}

#[test]
fn a_rerun_updates_in_place_and_sets_closures() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    assert_eq!(import(&db, &fixture()).status.code(), Some(0));
    let first = dump(&db);

    // The same file again changes nothing.
    let out = import(&db, &fixture());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(": 9 in district, 2 out of district (neighbours), 0 new, 0 updated, 0 closed,"),
        "{err}"
    );
    assert_eq!(dump(&db), first);

    // A later register: one school renamed, one now closed, one no longer proposed to close.
    let changed = Table::fixture()
        .set("138742", "EstablishmentName", "Kennington CofE Academy")
        .set("136402", "EstablishmentStatus (name)", "Closed")
        .set("136402", "CloseDate", "31-12-2024")
        .set("118230", "EstablishmentStatus (name)", "Open")
        .set("118230", "CloseDate", "")
        .write(dir.path(), "register-2025.csv");
    let out = import(&db, &changed);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(": 8 in district, 2 out of district (neighbours), 0 new, 2 updated, 1 closed,"),
        "{err}"
    );
    let settings = settings(&db);
    assert_eq!(settings.len(), 11, "no duplicates: {settings:#?}");
    assert_eq!(settings["138742"]["name"], "Kennington CofE Academy");
    assert_eq!(settings["136402"]["closed"], "2024-12-31");
    assert_eq!(settings["136402"]["name"], "The Towers Secondary Academy");
    assert_eq!(settings["136402"]["phase"], "secondary");
    assert!(settings["118230"].get("closed").is_none_or(Value::is_null), "{:?}", settings["118230"]);
}

/// Runs a bad file against a database holding the fixture: exit 2, every `expected` text in the
/// messages, and the database unchanged.
fn refused(name: &str, bytes: &[u8], expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    assert_eq!(import(&db, &fixture()).status.code(), Some(0));
    let before = dump(&db);
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    let out = import(&db, &file);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {err}");
    for e in expected {
        assert!(err.contains(e), "{name}: missing {e:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(dump(&db), before, "{name}: the database must be unchanged");
}

#[test]
fn missing_columns_are_named() {
    let bytes =
        Table::fixture().drop_column("PhaseOfEducation (name)").drop_column("CloseDate").windows_1252();
    refused(
        "missing.csv",
        &bytes,
        &["lacks the columns \"PhaseOfEducation (name)\", \"CloseDate\"", "nothing was imported"],
    );
}

#[test]
fn an_unknown_phase_names_every_bad_row() {
    let bytes = Table::fixture()
        .set("118211", "PhaseOfEducation (name)", "Infant")
        .set("137001", "PhaseOfEducation (name)", "Junior")
        .windows_1252();
    refused(
        "phase.csv",
        &bytes,
        &[
            "row 3 (URN 118211), column \"PhaseOfEducation (name)\": \"Infant\" is not a phase of education",
            "row 16 (URN 137001), column \"PhaseOfEducation (name)\": \"Junior\"",
            "2 problem(s) on 2 row(s); nothing was imported",
        ],
    );
}

#[test]
fn an_impossible_close_date_names_the_row() {
    let bytes = Table::fixture().set("118230", "CloseDate", "31-02-2025").windows_1252();
    refused(
        "date.csv",
        &bytes,
        &["row 12 (URN 118230), column \"CloseDate\": \"31-02-2025\" is not a real calendar date"],
    );
}

#[test]
fn utf16_files_are_refused() {
    let text = Table::fixture().csv_text();
    let mut with_bom = vec![0xFF, 0xFE];
    let mut without_bom = Vec::new();
    for unit in text.encode_utf16() {
        with_bom.extend_from_slice(&unit.to_le_bytes());
        without_bom.extend_from_slice(&unit.to_le_bytes());
    }
    refused("utf16.csv", &with_bom, &["UTF-16", "CSV UTF-8"]);
    refused("utf16-no-bom.csv", &without_bom, &["UTF-16"]);
    refused("utf16be.csv", b"\xFE\xFF\0U\0R\0N", &["UTF-16"]);
}

#[test]
fn binary_and_empty_files_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0\x5c\x72\xa8\x66";
    refused("picture.csv", png, &["not a CSV text file", "binary"]);
    refused("workbook.csv", b"PK\x03\x04\x14\0\x06\0\x08\0", &["Excel workbook"]);
    refused("empty.csv", b"", &["empty"]);
    refused("blank.csv", b"\r\n\r\n", &["empty"]);

    // A bad file never creates the database.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(import(&db, &empty).status.code(), Some(2));
    assert!(!db.exists());
}

#[test]
fn an_unknown_district_is_bad_usage_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let file = fixture();
    let out = run(&db, &["import-settings", file.to_str().unwrap(), "--district", "Ashfrod"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean \"Ashford\""), "{}", text(&out.stderr));
    let out = run(&db, &["import-settings", file.to_str().unwrap(), "--district", "Kent"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("local authority"), "{}", text(&out.stderr));
    let out = run(&db, &["import-settings", "/no/such/register.csv", "--district", "Ashford"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read /no/such/register.csv"), "{}", text(&out.stderr));
    assert!(!db.exists());
}

#[test]
fn a_value_with_an_escape_sequence_is_shown_escaped() {
    let bytes = Table::fixture()
        .set("118211", "PhaseOfEducation (name)", "Pri\u{1b}]0;pwned\u{7}mary")
        .windows_1252();
    refused("escape.csv", &bytes, &["row 3 (URN 118211)", "\\u001b]0;pwned\\u0007"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("escape.csv");
    std::fs::write(&file, &bytes).unwrap();
    let out = import(&dir.path().join("d.db"), &file);
    assert!(!text(&out.stderr).contains('\u{1b}'), "no escape character reaches the terminal");
}
