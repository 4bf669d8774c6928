//! Erasing a child (docs/privacy.md): every return of every period stays the same, the child's
//! names, date of birth and UPN are gone from the dump and from the bytes of the database and its
//! side files, and the audit log still verifies with the entries about the child redacted.

mod common;

use caseload::domain::{Date, Record};
use caseload::store::{EraseError, Store};
use common::{TODAY, dump_of, fixture, import, run_at};
use std::path::{Path, PathBuf};

/// What identifies the child of `long_history.jsonl`, and the surname they had before.
const TRACES: [&str; 5] = ["Quillonby", "Zarathustrine", "Q998877665544", "2012-02-03", "Vantablack-Ewell"];

fn today() -> Date {
    TODAY.parse().unwrap()
}

/// A generated district of three years with the long-history child in it, whose surname was once
/// another (so the old one is in the audit log and, before the erasure, in the file's free space).
pub fn district(dir: &Path) -> (PathBuf, Store) {
    let (path, mut store) = common::generated_district(dir, 150, 7);
    import(&mut store, &fixture("long_history.jsonl"));
    let Some(Record::Child(mut child)) =
        store.reader().record(caseload::domain::RecordKind::Child, "CZ-77").unwrap()
    else {
        panic!("the fixture's child is there")
    };
    let real = child.last_name.clone();
    child.last_name = "Vantablack-Ewell".into();
    store.save(&Record::Child(child.clone()), true, today()).unwrap();
    child.last_name = real;
    store.save(&Record::Child(child), true, today()).unwrap();
    (path, store)
}

/// Every return of the fixture's years and the generated ones (five academic years).
fn every_return(store: &Store) -> Vec<String> {
    common::every_return(store, 2022..=2026)
}

/// The bytes of the database and of each side file SQLite keeps beside it.
pub fn file_bytes(path: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .filter_map(|suffix| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            std::fs::read(&name).ok().map(|b| (PathBuf::from(name).display().to_string(), b))
        })
        .collect()
}

pub fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

/// Which of `traces` are found anywhere in the file or its side files, or in the dump.
pub fn traces_left(path: &Path, store: &Store, traces: &[&str]) -> Vec<String> {
    let dump = dump_of(store);
    let mut found = Vec::new();
    for t in traces {
        if dump.contains(t) {
            found.push(format!("{t} in the dump"));
        }
        for (file, bytes) in file_bytes(path) {
            if holds(&bytes, t) {
                found.push(format!("{t} in {file}"));
            }
        }
    }
    found
}

#[test]
fn an_erased_child_leaves_every_return_the_same_and_no_trace_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = district(dir.path());
    let before = every_return(&store);
    assert!(before.iter().filter(|r| r.contains("caseload")).count() > 20, "the returns have figures");
    // The test can see a trace: before the erasure each is in the dump or the file.
    for t in TRACES {
        assert!(!traces_left(&path, &store, &[t]).is_empty(), "{t} is in the file before the erasure");
    }
    let dump = dump_of(&store);
    let others: String =
        dump.lines().filter(|l| !l.contains("CZ-77") && !l.contains("\"case\":\"KZ-")).collect();
    assert!(
        !others.contains("2012-02-03"),
        "no other record has the child's date of birth, so finding it means the child"
    );

    let done = store.erase(&["CZ-77".to_string()], Some("erasure request 2026/14"), false).unwrap();
    let erased = &done.children[0];
    assert!(done.log_emptied);
    assert!(erased.new_key.starts_with("erased-") && !erased.new_key.contains("77"), "{}", erased.new_key);
    assert!(erased.redacted >= 20, "the child's entries are redacted: {}", erased.redacted);

    assert_eq!(every_return(&store), before, "every return of every period is the same");
    assert_eq!(traces_left(&path, &store, &TRACES), Vec::<String>::new());
    assert!(store.audit_problems().unwrap().is_empty(), "{:?}", store.audit_problems().unwrap());
    assert!(store.integrity_problems().unwrap().is_empty());

    // The skeleton: the child is "erased", their cases and referrals still theirs, nothing they said.
    let sa = store.reader().subject_access(&erased.new_key).unwrap().unwrap();
    let Some(Record::Child(child)) = sa.records.first() else { panic!("the child first") };
    assert_eq!(
        (child.first_name.as_str(), child.last_name.as_str(), child.upn.as_deref()),
        ("erased", "child", None)
    );
    assert_eq!(child.dob.to_string(), "2011-09-01", "the start of the school year of birth, nothing finer");
    assert_eq!(child.setting.as_deref(), Some("SZ-2"));
    let cases = sa.records.iter().filter(|r| matches!(r, Record::Case(_))).count();
    let referrals = sa.records.iter().filter(|r| matches!(r, Record::Referral(_))).count();
    assert_eq!((cases, referrals), (2, 2));
    drop(store);

    // The commands say the same: check passes, the log verifies and counts its redactions.
    let check = run_at(&path, &["check"], "2026-11-30T12:00:00Z");
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    let verify = run_at(&path, &["audit", "--verify"], "2026-11-30T12:00:00Z");
    let said = String::from_utf8_lossy(&verify.stdout);
    assert_eq!(verify.status.code(), Some(0), "{said}");
    assert!(said.contains(&format!("{} of them redacted", erased.redacted)), "{said}");
    // One entry records the erasure: when, who, why, the new key; no personal data.
    let log = run_at(&path, &["audit"], "2026-11-30T12:00:00Z");
    let log = String::from_utf8_lossy(&log.stdout).into_owned();
    let entry = log.lines().find(|l| l.contains("\"table\":\"erasures\"")).unwrap();
    assert!(entry.contains(&erased.new_key) && entry.contains("erasure request 2026/14"), "{entry}");
    assert!(
        !TRACES.iter().any(|t| log.contains(t)) && !log.contains("CZ-77"),
        "the old key is gone from the log too"
    );
}

#[test]
fn the_erasure_keeps_the_dump_importable_and_the_same_after_a_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let (_path, mut store) = district(dir.path());
    store.erase(&["CZ-77".to_string()], None, false).unwrap();
    let dump = dump_of(&store);
    let file = dir.path().join("dump.jsonl");
    std::fs::write(&file, &dump).unwrap();
    let mut copy = Store::open_in_memory().unwrap();
    import(&mut copy, &file);
    assert_eq!(dump_of(&copy), dump);
    assert_eq!(every_return(&copy), every_return(&store));
}

#[test]
fn a_child_with_an_open_case_is_erased_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = district(dir.path());
    let dump = dump_of(&store);
    let open_case = dump
        .lines()
        .find(|l| l.starts_with("{\"type\":\"case\"") && !l.contains("\"closed\""))
        .expect("the generated district has an open case");
    let case: serde_json::Value = serde_json::from_str(open_case).unwrap();
    let child = case["child"].as_str().unwrap().to_string();
    match store.erase(std::slice::from_ref(&child), None, false) {
        Err(e @ EraseError::OpenCase { .. }) => {
            let said = e.to_string();
            assert!(
                said.contains("open case") && said.contains("cannot be undone") && said.contains("--force"),
                "{said}"
            );
        }
        other => panic!("refused, not {other:?}"),
    }
    assert_eq!(dump_of(&store), dump, "nothing was changed");
    // A reason that names a child is refused: the erasure's record holds no personal data.
    let named = store.erase(&["CZ-77".to_string()], Some("Quillonby Zarathustrine asked"), false);
    assert!(matches!(named, Err(EraseError::PersonalReason)), "{named:?}");
    let before = every_return(&store);
    store.erase(&[child], None, true).unwrap();
    assert_eq!(every_return(&store), before);
    assert!(store.audit_problems().unwrap().is_empty());
    drop(store);
    // Erasing one already erased, or one not there, is told.
    let out = run_at(&path, &["erase", "nobody"], "2026-11-30T12:00:00Z");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no child with the key \"nobody\""));
}

#[test]
fn an_entry_redacted_or_changed_by_another_program_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = district(dir.path());
    store.erase(&["CZ-77".to_string()], None, false).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    common::as_another_program(&conn, "mallory");
    // Redacting an entry no erasure accounts for, to hide what it said.
    conn.execute(
        "UPDATE audit SET redacted = 'erased-000000000000', new = '{}' WHERE id = (SELECT min(id) FROM audit WHERE redacted IS NULL AND table_name = 'staff')",
        [],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let problems = store.audit_problems().unwrap();
    assert!(problems.iter().any(|p| p.contains("redacted outside caseload")), "{problems:?}");
    drop(store);

    // A redacted entry still holds its place: removing one breaks the chain at the next.
    let dir = tempfile::tempdir().unwrap();
    let (path, mut store) = district(dir.path());
    store.erase(&["CZ-77".to_string()], None, false).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_no_delete;
         DELETE FROM audit WHERE id = (SELECT min(id) FROM audit WHERE redacted IS NOT NULL);",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let problems = store.audit_problems().unwrap();
    assert!(problems.iter().any(|p| p.contains("chain is broken")), "{problems:?}");
}

/// The application: on the child's page `E` asks, saying it cannot be undone, and `y` erases;
/// only the lead and the admin staff may; `S` writes the subject access file.
#[test]
fn the_application_erases_from_the_childs_page_for_the_roles_allowed() {
    use caseload::tui::app::App;
    use common::app::{Keys, screen, status};
    use ratatui::crossterm::event::KeyCode;
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &fixture("long_history.jsonl"));
    let admin = caseload::domain::Staff {
        key: "TZ-ADMIN".into(),
        name: "Pennyroyal Admin".into(),
        role: caseload::domain::Role::Admin,
        area: None,
        fte: 0.5,
        start: "2020-09-01".parse().unwrap(),
        end: None,
        vacant: false,
    };
    store.save(&Record::Staff(admin), false, today()).unwrap();
    let before = every_return(&store);
    let mut app = App::new(store, today(), caseload::tui::theme::Theme::plain()).unwrap();
    let folder = tempfile::tempdir().unwrap();
    app.prefs.export_folder = Some(folder.path().to_path_buf());
    let open_page = |app: &mut App| {
        let mut keys = Keys { app, count: 0 };
        keys.press(KeyCode::Esc).press(KeyCode::Char('F')).typed("Zarathustrine").enter();
    };

    // A teacher is told to ask the lead or the admin staff.
    app.me = Some("TZ-1".into());
    open_page(&mut app);
    assert!(screen(&mut app, 120, 30).contains("S subject access · E erase"));
    Keys { app: &mut app, count: 0 }.press(KeyCode::Char('E'));
    assert!(status(&app).contains("for the lead and the admin staff"), "{}", status(&app));
    assert!(!app.store.reader().is_erased("CZ-77").unwrap() && dump_of(&app.store).contains("Quillonby"));

    app.me = Some("TZ-ADMIN".into());
    open_page(&mut app);
    Keys { app: &mut app, count: 0 }.press(KeyCode::Char('S'));
    assert!(status(&app).contains("Subject access file written"), "{}", status(&app));
    assert_eq!(common::files_in(folder.path()), ["CZ-77-subject-access.html", "CZ-77-subject-access.json"]);

    // Any key but y keeps the child.
    open_page(&mut app);
    Keys { app: &mut app, count: 0 }.press(KeyCode::Char('E'));
    let asked = screen(&mut app, 120, 30);
    assert!(
        asked.contains("Erase Quillonby Zarathustrine (CZ-77)?") && asked.contains("cannot be undone"),
        "{asked}"
    );
    Keys { app: &mut app, count: 0 }.press(KeyCode::Char('n'));
    assert!(dump_of(&app.store).contains("Quillonby"));

    open_page(&mut app);
    Keys { app: &mut app, count: 0 }.press(KeyCode::Char('E')).press(KeyCode::Char('y'));
    assert!(status(&app).starts_with("Erased: the child is now erased-"), "{}", status(&app));
    let dump = dump_of(&app.store);
    assert!(TRACES[..4].iter().all(|t| !dump.contains(t)), "{dump}");
    assert_eq!(every_return(&app.store), before);
    // Nothing to undo: the session's history went with the erasure.
    Keys { app: &mut app, count: 0 }.press(KeyCode::Char('u'));
    assert!(!dump_of(&app.store).contains("Quillonby"));
    // Found again, the child is shown as erased.
    let mut keys = Keys { app: &mut app, count: 0 };
    keys.press(KeyCode::Esc).press(KeyCode::Char('F')).typed("erased").enter();
    assert!(screen(&mut app, 120, 30).contains("Child: erased child"));
}

/// The command names the older backups that still hold the child: those `backup` made (listed
/// when made) that still exist and hold them, not those made after.
#[test]
fn the_erasure_names_the_backups_that_still_hold_the_child() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = district(dir.path());
    drop(store);
    let list = dir.path().join("known-backups.tsv");
    let run = |args: &[&str]| {
        std::process::Command::new(common::binary())
            .arg("--db")
            .arg(&path)
            .args(args)
            .env("CASELOAD_NOW", "2026-11-30T12:00:00Z")
            .env("CASELOAD_BACKUP_LIST", &list)
            .output()
            .unwrap()
    };
    let (kept, removed) = (dir.path().join("kept.db"), dir.path().join("removed.db"));
    for b in [&kept, &removed] {
        assert_eq!(run(&["backup", b.to_str().unwrap()]).status.code(), Some(0));
    }
    std::fs::remove_file(&removed).unwrap();
    let out = run(&["erase", "CZ-77", "--reason", "request 9"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("older backups still hold") && said.contains("kept.db"), "{said}");
    assert!(!said.contains("removed.db") && said.contains("cannot be undone"), "{said}");
    // A backup made after the erasure does not hold the child.
    let after = dir.path().join("after.db");
    assert_eq!(run(&["backup", after.to_str().unwrap()]).status.code(), Some(0));
    let sa = Store::open(&after).unwrap();
    assert!(sa.reader().subject_access("CZ-77").unwrap().is_none());
}
