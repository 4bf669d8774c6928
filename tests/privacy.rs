//! Privacy: no export of figures holds a child's name, date of birth or any record key; the
//! database and its side files are the owner's alone.
//!
//! Every format (JSON, CSV, XLSX: every part of the workbook's zip, XML included) of a term's
//! and a year's return of a generated district is searched for every child's first name, last
//! name and date of birth, every record key, and every staff and setting name, each as a whole
//! word. A string that also appears in the same exports of a database holding only the district
//! (the template: measure labels, section names, period dates, the district's name) cannot tell
//! anything and is not searched for; the test names how many were left out that way.
//! (The files' modes are Unix permission bits: checked on Unix only.)

mod common;

use caseload::domain::Record;
use caseload::store::Store;
use common::binary;
use std::collections::BTreeSet;
use std::io::Read;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const NOW: &str = "2026-11-27T12:00:00Z";
const YEAR: &str = "2025-26";

fn run(db: &Path, args: &[&str]) {
    let out = Command::new(binary())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("CASELOAD_DB")
        .env("CASELOAD_NOW", NOW)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The text of every export of the term 3 and whole-year returns, in every format.
fn exports(db: &Path, dir: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for term in [Some("3"), None] {
        for format in ["json", "csv", "xlsx"] {
            let name =
                format!("{}-{}.{format}", term.unwrap_or("year"), db.file_stem().unwrap().to_string_lossy());
            let out = dir.join(&name);
            let mut args = vec!["export", "--year", YEAR, "--format", format, "--out", out.to_str().unwrap()];
            if let Some(t) = term {
                args.extend(["--term", t]);
            }
            run(db, &args);
            #[cfg(unix)]
            assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
            let bytes = std::fs::read(&out).unwrap();
            if format == "xlsx" {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                for i in 0..zip.len() {
                    let mut part = zip.by_index(i).unwrap();
                    let mut text = String::new();
                    part.read_to_string(&mut text).unwrap();
                    let part_name = part.name().map(|n| n.to_string()).unwrap_or_default();
                    texts.push((format!("{name}:{part_name}"), unescape_xml(&text)));
                }
            } else {
                texts.push((name, String::from_utf8(bytes).unwrap()));
            }
        }
    }
    texts
}

fn unescape_xml(text: &str) -> String {
    text.replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Whether `needle` occurs in `hay` as a whole word (not inside a longer word or number).
fn has_word(hay: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    hay.match_indices(needle)
        .any(|(i, _)| !word(hay[..i].chars().next_back()) && !word(hay[i + needle.len()..].chars().next()))
}

#[test]
fn no_export_holds_a_name_a_date_of_birth_or_a_record_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("district.db");
    run(&db, &["demo", "--children", "600", "--years", "3", "--seed", "5"]);

    // The needles, from the records themselves.
    let store = Store::open(&db).unwrap();
    let (mut names, mut dobs, mut keys, mut district) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new(), None);
    store
        .reader()
        .each_record(&mut |record| {
            match &record {
                Record::District(d) => district = Some(d.name.clone()),
                Record::Child(c) => {
                    names.insert(c.first_name.clone());
                    names.insert(c.last_name.clone());
                    dobs.insert(c.dob.to_string());
                    if let Some(upn) = &c.upn {
                        keys.insert(upn.clone());
                    }
                }
                Record::Staff(s) => {
                    names.insert(s.name.clone());
                }
                Record::Setting(s) => {
                    names.insert(s.name.clone());
                }
                _ => {}
            }
            if !matches!(record, Record::District(_) | Record::TermDates(_) | Record::ManualMeasure(_)) {
                keys.insert(record.key());
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    assert!(
        names.len() > 200 && dobs.len() > 300 && keys.len() > 3000,
        "{} {} {}",
        names.len(),
        dobs.len(),
        keys.len()
    );

    // The template: the same exports of a database holding only the district.
    let template_db = dir.path().join("template.db");
    let district_line = dir.path().join("district.jsonl");
    let line = serde_json::json!({"type": "district", "name": district.unwrap()}).to_string();
    std::fs::write(&district_line, line + "\n").unwrap();
    run(&template_db, &["import", district_line.to_str().unwrap()]);
    let template: String = exports(&template_db, dir.path()).into_iter().map(|(_, t)| t).collect();

    let texts = exports(&db, dir.path());
    assert!(texts.len() > 6, "the workbooks' parts are searched too");
    let mut searched = 0;
    let mut left_out = Vec::new();
    for (what, needles) in [("name", &names), ("date of birth", &dobs), ("record key", &keys)] {
        for needle in needles.iter() {
            if has_word(&template, needle) {
                left_out.push(needle.clone());
                continue;
            }
            searched += 1;
            for (file, text) in &texts {
                assert!(!has_word(text, needle), "{file} holds a {what}: {needle:?}");
            }
        }
    }
    eprintln!(
        "privacy: {searched} names, dates of birth and keys searched in {} export parts; left out as template words: {left_out:?}",
        texts.len()
    );
    assert!(left_out.len() < 10, "too many needles are template words: {left_out:?}");
}

// Unix permission bits (on Windows the profile's folders keep files owner-only: docs/windows.md).
#[cfg(unix)]
#[test]
fn the_database_and_its_side_files_are_the_owners_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("private/district.db");
    run(&db, &["demo", "--children", "50", "--years", "1"]);
    run(&db, &["backup", dir.path().join("copy.db").to_str().unwrap()]);
    run(&db, &["dump", "--out", dir.path().join("dump.jsonl").to_str().unwrap()]);
    run(&db, &["audit"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // While a program has it open, the WAL and shared-memory files exist: owner-only too.
    let store = Store::open(&db).unwrap();
    let mut files = vec![db.clone(), dir.path().join("copy.db"), dir.path().join("dump.jsonl")];
    for side in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(side);
        files.push(name.into());
    }
    for file in &files {
        assert!(file.exists(), "{}", file.display());
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    drop(store);
    for entry in std::fs::read_dir(db.parent().unwrap()).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}
