//! A subject access file (docs/privacy.md): every record about the child, checked against the
//! dump, every audit entry about them, and nothing about any other child.

mod common;

use caseload::store::Store;
use common::{dump_of, fixture, import, run_at};
use serde_json::Value;
use std::collections::BTreeSet;

fn district(dir: &std::path::Path) -> std::path::PathBuf {
    let (path, mut store) = common::generated_district(dir, 150, 3);
    import(&mut store, &fixture("long_history.jsonl"));
    path
}

#[test]
fn the_file_holds_every_record_of_the_child_and_nothing_of_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let path = district(dir.path());
    let dump = dump_of(&Store::open(&path).unwrap());
    let out_dir = dir.path().join("sar");
    std::fs::create_dir(&out_dir).unwrap();
    let out = run_at(
        &path,
        &["subject-access", "CZ-77", "--out", out_dir.to_str().unwrap()],
        "2026-11-30T12:00:00Z",
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json_text = std::fs::read_to_string(out_dir.join("CZ-77-subject-access.json")).unwrap();
    let html = std::fs::read_to_string(out_dir.join("CZ-77-subject-access.html")).unwrap();
    let file: Value = serde_json::from_str(&json_text).expect("the JSON file is one JSON document");

    // The child's records, as the dump has them: the child, their referrals and cases, and
    // everything recorded against those cases.
    let lines: Vec<Value> = dump.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let cases: BTreeSet<&str> = lines
        .iter()
        .filter(|v| v["type"] == "case" && v["child"] == "CZ-77")
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    let theirs: Vec<&Value> = lines
        .iter()
        .filter(|v| {
            (v["type"] == "child" && v["key"] == "CZ-77")
                || v["child"] == "CZ-77"
                || v["case"].as_str().is_some_and(|c| cases.contains(c))
        })
        .collect();
    assert_eq!(theirs.len(), 17, "the fixture's child has seventeen records");
    let records = file["records"].as_array().unwrap();
    for record in &theirs {
        assert!(records.contains(record), "missing from the subject access file: {record}");
    }
    let about_child =
        records.iter().filter(|r| !matches!(r["type"].as_str(), Some("setting" | "staff" | "lift_meeting")));
    assert_eq!(about_child.count(), theirs.len(), "nothing else is said to be the child's");
    // A LIFT meeting is its date and kind, not the settings or other children there.
    let meeting = records.iter().find(|r| r["type"] == "lift_meeting").unwrap();
    assert_eq!(meeting.as_object().unwrap().len(), 4, "{meeting}");
    assert_eq!((meeting["date"].as_str(), meeting["kind"].as_str()), (Some("2022-10-10"), Some("school")));

    // Every audit entry about any of the records, and only those.
    let keys: BTreeSet<&str> = theirs.iter().map(|v| v["key"].as_str().unwrap()).collect();
    let audit = file["audit"].as_array().unwrap();
    let log = run_at(&path, &["audit"], "2026-11-30T12:00:00Z");
    let expected = String::from_utf8_lossy(&log.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| {
            keys.contains(e["key"].as_str().unwrap()) && e["table"] != "settings" && e["table"] != "staff"
        })
        .count();
    assert_eq!(audit.len(), expected);
    assert!(
        audit.iter().all(|e| keys.contains(e["key"].as_str().unwrap())
            && e["at"].is_string()
            && e["user"].is_string())
    );

    // No other child: not their names, not their keys.
    for other in lines.iter().filter(|v| v["type"] == "child" && v["key"] != "CZ-77") {
        let name =
            format!("{} {}", other["first_name"].as_str().unwrap(), other["last_name"].as_str().unwrap());
        let key = format!("\"{}\"", other["key"].as_str().unwrap());
        for (what, text) in [("JSON", &json_text), ("HTML", &html)] {
            assert!(!text.contains(&name), "the {what} names another child");
            assert!(!text.contains(&key), "the {what} has another child's key");
        }
    }

    // The printable copy: a cover saying what it is, then sections, on A4.
    assert!(html.contains("<h1>Records held about Quillonby Zarathustrine</h1>"));
    assert!(html.contains("A subject access file") && html.contains("size: A4"));
    for section in ["Referrals", "Cases", "Targets", "Reviews", "Visits", "Case notes", "The audit log"] {
        assert!(html.contains(&format!("<h2>{section}</h2>")), "{section}");
    }
    assert!(html.contains("Observed Quillonby in class") && html.contains("Ottoline Brisk"));
    #[cfg(unix)]
    for name in ["CZ-77-subject-access.json", "CZ-77-subject-access.html"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out_dir.join(name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{name} is owner-only");
    }
    // Made again, the files are written over (they are the program's own); a child not there is told.
    let again = run_at(
        &path,
        &["subject-access", "CZ-77", "--out", out_dir.to_str().unwrap()],
        "2026-11-30T12:00:00Z",
    );
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    let missing = run_at(
        &path,
        &["subject-access", "C-NONE", "--out", out_dir.to_str().unwrap()],
        "2026-11-30T12:00:00Z",
    );
    assert_eq!(missing.status.code(), Some(2));
}
