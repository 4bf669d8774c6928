//! The database file changes under an open window: replaced by another database (a restore by
//! hand), deleted, or restored by `caseload restore`. No save goes anywhere but the file the user
//! is looking at; what was typed is kept; the file now at the path is left sound and unchanged.
//! (Unix only: on Windows a database SQLite has open cannot be deleted, moved or renamed over,
//! since SQLite opens it without FILE_SHARE_DELETE, so Windows itself refuses these changes.)
#![cfg(unix)]

mod common;

use caseload::store::{FileChange, Store, StoreError};
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use caseload::tui::theme::Theme;
use common::app::Keys;
use ratatui::crossterm::event::KeyCode;
use std::path::{Path, PathBuf};

fn day() -> caseload::domain::Date {
    "2024-02-10".parse().unwrap()
}

/// A database holding the hand-worked district, and a second, different one (another district's).
fn two_databases() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("district.db");
    let other = dir.path().join("other.db");
    common::import(&mut Store::open(&db).unwrap(), &common::fixture("kpi_district.jsonl"));
    common::import(&mut Store::open(&other).unwrap(), &common::fixture("base.jsonl"));
    (dir, db, other)
}

/// A window on the database, showing a case.
fn window_on_a_case(db: &Path) -> App {
    let mut app = App::new(Store::open(db).unwrap(), day(), Theme::plain()).unwrap();
    app.tick();
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    app.update(Action::Open);
    app.prepare();
    assert!(app.screens.case.detail().is_some(), "a case is shown");
    app
}

fn form_message(app: &App) -> String {
    app.editor.as_ref().and_then(|e| e.form.message.clone()).unwrap_or_default()
}

/// Types a note on the shown case and saves it.
fn save_a_note(app: &mut App, note: &str) {
    let mut k = Keys { app, count: 0 };
    k.press(KeyCode::Char('w')).typed(note).ctrl('s');
}

fn dump(db: &Path) -> String {
    common::dump_of(&Store::open(db).unwrap())
}

fn check_passes(db: &Path) {
    let out = common::run_at(db, &["check"], "2026-11-30T12:00:00Z");
    assert_eq!(out.status.code(), Some(0), "check: {}", String::from_utf8_lossy(&out.stdout));
}

/// `cp other.db x && mv x district.db`, as a restore by hand does.
fn replace_by_hand(db: &Path, other: &Path) {
    let x = db.with_file_name("x");
    std::fs::copy(other, &x).unwrap();
    std::fs::rename(&x, db).unwrap();
}

#[test]
fn a_note_saved_after_the_file_was_replaced_is_not_written_and_stays_in_the_form() {
    let (_dir, db, other) = two_databases();
    let other_dump = dump(&other);
    let mut app = window_on_a_case(&db);
    // A save before: it is in the file the window opened.
    save_a_note(&mut app, "Phoned the SENCo before.");
    assert!(app.editor.is_none(), "saved and closed: {}", form_message(&app));
    replace_by_hand(&db, &other);
    save_a_note(&mut app, "Phoned the SENCo after.");
    let message = form_message(&app);
    assert!(app.editor.is_some(), "the form stays open");
    assert!(
        message.contains("nothing was saved") && message.contains("replaced by another file"),
        "{message}"
    );
    let typed = app.editor.as_ref().unwrap().form.text(caseload::tui::field_id::TEXT);
    assert_eq!(typed, "Phoned the SENCo after.", "what was typed is kept");
    // The window is closed; the file now at the path is the other database, whole and unchanged.
    drop(app);
    check_passes(&db);
    assert_eq!(dump(&db), other_dump, "the replacement holds none of the window's work");
    assert!(!dump(&db).contains("Phoned the SENCo"));
}

#[test]
fn the_window_says_so_by_itself_before_anyone_saves() {
    let (_dir, db, other) = two_databases();
    let mut app = window_on_a_case(&db);
    replace_by_hand(&db, &other);
    assert!(app.tick(), "the tick notices");
    let status = common::app::status(&app);
    assert!(status.contains("replaced by another file") && status.contains("Quit"), "{status}");
}

#[test]
fn a_save_after_the_file_was_deleted_is_refused_and_no_file_appears() {
    let (_dir, db, _other) = two_databases();
    let mut app = window_on_a_case(&db);
    std::fs::remove_file(&db).unwrap();
    save_a_note(&mut app, "Visited on Tuesday.");
    let message = form_message(&app);
    assert!(message.contains("nothing was saved") && message.contains("deleted or moved"), "{message}");
    drop(app);
    assert!(!db.exists(), "no database appears at the path");
}

#[test]
fn a_store_refuses_writes_to_a_moved_file_and_keeps_what_it_had_committed_in_it() {
    let (dir, db, _other) = two_databases();
    let mut store = Store::open(&db).unwrap();
    let before = common::dump_of(&store);
    let moved = dir.path().join("moved.db");
    std::fs::rename(&db, &moved).unwrap();
    let setting = caseload::domain::Setting {
        key: "S-NEW".into(),
        name: "New School".into(),
        phase: "primary".parse().unwrap(),
        in_district: true,
        urn: None,
        closed: None,
        link_teacher: None,
    };
    let record = caseload::domain::Record::Setting(setting);
    match store.save(&record, false, day()) {
        Err(caseload::store::SaveError::Store(StoreError::FileChanged(FileChange::Gone(p)))) => {
            assert_eq!(p, db)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    drop(store);
    // The moved file opens alone (its log was written into it before the window let go).
    assert_eq!(dump(&moved), before);
    assert!(!db.exists());
}

#[test]
fn restore_is_refused_while_a_window_has_the_database_open() {
    let (dir, db, _other) = two_databases();
    let backup = dir.path().join("backup.db");
    let out = common::run_at(&db, &["backup", backup.to_str().unwrap()], "2024-02-10T12:00:00Z");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut app = window_on_a_case(&db);
    let out = common::run_at(&db, &["restore", backup.to_str().unwrap()], "2024-02-10T12:00:00Z");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("open in another program") && said.contains("nothing was changed"), "{said}");
    // The window still saves into the database it has open.
    save_a_note(&mut app, "Saved while a restore was refused.");
    assert!(app.editor.is_none(), "{}", form_message(&app));
    drop(app);
    assert!(dump(&db).contains("Saved while a restore was refused."));
    // With the window closed, the restore goes ahead.
    let out = common::run_at(&db, &["restore", backup.to_str().unwrap()], "2024-02-10T12:00:00Z");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    check_passes(&db);
}
