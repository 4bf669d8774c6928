//! Two application windows on one database (two connections, as two desks or two terminal
//! windows): no save overwrites a change it has not seen, undo never undoes someone else's later
//! work, and each window shows the other's changes by itself. Each scenario runs on a file and on
//! a server database (tests/common/backend.rs: two logins there, ann and ada).

mod common;

use caseload::domain::{Date, RecordKind};
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use caseload::tui::editors::case::CaseAction;
use caseload::tui::theme::Theme;
use common::app::{Keys, status};
use common::backend::Backend;
use ratatui::crossterm::event::KeyCode;

fn today() -> Date {
    Date::parse_iso("2024-09-10").unwrap()
}

/// The district of tests/fixtures/kpi_district.jsonl on each backend.
fn databases() -> Vec<Backend> {
    let both = Backend::both();
    for b in &both {
        common::import(&mut b.desk("ann"), &common::fixture("kpi_district.jsonl"));
    }
    both
}

fn window(db: &Backend, who: &str) -> App {
    let mut app = App::new(db.desk(who), today(), Theme::plain()).unwrap();
    app.tick();
    app
}

/// Ticks until the window notices another's change (at once on a file; a server's notice takes a
/// moment to arrive): whether it did within a second.
fn notices(app: &mut App) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(1) {
        if app.tick() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}

/// Opens the same open case (with a teacher, nothing dated after today) in a window.
fn open_case(app: &mut App, key: &str) {
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    app.update(Action::Screen(ScreenId::Case));
    let id = app.store.reader().case_id(key).unwrap().unwrap();
    app.update(Action::Screen(ScreenId::Caseload));
    while app.screens.caseload.selected().map(|r| r.id) != Some(id) {
        let before = app.screens.caseload.selected().map(|r| r.id);
        app.update(Action::Down);
        assert_ne!(app.screens.caseload.selected().map(|r| r.id), before, "case {key} not on the caseload");
    }
    app.update(Action::Open);
    app.prepare();
    assert_eq!(app.screens.case.detail().unwrap().case.key, key);
}

/// A case both windows can work on: open today, with a teacher and a target, nothing later.
fn a_case(db: &Backend) -> String {
    let store = db.desk("ann");
    let reader = store.reader();
    reader
        .case_rows(today())
        .unwrap()
        .into_iter()
        .filter(|r| r.is_active())
        .find(|r| {
            let d = reader.case_detail(r.id).unwrap().unwrap();
            d.reviews.iter().all(|v| v.date <= today())
                && d.visits.iter().all(|v| v.record.date <= today())
                && d.allocations
                    .iter()
                    .all(|a| a.record.start < today() && a.record.end.is_none_or(|e| e <= today()))
                && d.targets.iter().all(|t| t.set <= today())
        })
        .expect("an active case")
        .key
}

/// Two windows on one database, both showing the same case.
fn two_windows_on_a_case(db: &Backend) -> (String, App, App) {
    let key = a_case(db);
    let mut a = window(db, "ann");
    let mut b = window(db, "ada");
    open_case(&mut a, &key);
    open_case(&mut b, &key);
    (key, a, b)
}

fn error(app: &App) -> String {
    let form = app.editor.as_ref().map(|e| e.form.message.clone().unwrap_or_default()).unwrap_or_default();
    format!("{form}{}", app.status.as_ref().filter(|s| s.error).map_or("", |s| s.text.as_str()))
}

#[test]
fn a_save_from_an_older_view_is_refused_and_the_other_edit_kept() {
    for db in databases() {
        let (key, mut a, mut b) = two_windows_on_a_case(&db);
        // A: edit the case (outreach on).
        a.case_action(CaseAction::Edit);
        let mut k = Keys { app: &mut a, count: 0 };
        k.app.editor.as_mut().unwrap().form.field_mut(caseload::tui::field_id::OUTREACH).unwrap().set("yes");
        k.ctrl('s');
        assert!(status(k.app).starts_with("Saved"), "{}", status(k.app));
        // B, from its older view, closes the case: refused, naming who changed what.
        let mut k = Keys { app: &mut b, count: 0 };
        k.press(KeyCode::Char('c')).typed("today").enter().typed("oth").enter();
        k.ctrl('s');
        let why = error(k.app);
        // Named as people know it, not by key.
        let child = k.app.screens.case.detail().unwrap().child.clone();
        let name = format!("the case of {} {} was changed by", child.first_name, child.last_name);
        assert!(why.contains(&name) && why.contains("outreach") && !why.contains(&key), "{why}");
        assert!(k.app.editor.is_some(), "the form stays, with what was typed");
        assert_eq!(
            k.app.editor.as_ref().unwrap().form.picked(caseload::tui::field_id::CLOSURE_REASON).as_deref(),
            Some("other")
        );
        let stored =
            a.store.reader().case_detail(a.store.reader().case_id(&key).unwrap().unwrap()).unwrap().unwrap();
        assert!(stored.case.outreach, "A's edit is kept");
        assert!(stored.case.closed.is_none(), "B's close was not written over it");
    }
}

#[test]
fn undo_never_undoes_under_someone_elses_later_change() {
    for db in databases() {
        let key = a_case(&db);
        let mut a = window(&db, "ann");
        let mut b = window(&db, "ada");
        open_case(&mut a, &key);
        a.case_action(CaseAction::Edit);
        let mut k = Keys { app: &mut a, count: 0 };
        k.app.editor.as_mut().unwrap().form.field_mut(caseload::tui::field_id::OUTREACH).unwrap().set("yes");
        k.ctrl('s');
        // B, after A's edit (it has seen it), closes the case.
        assert!(notices(&mut b), "B notices A's save by itself");
        open_case(&mut b, &key);
        let mut k = Keys { app: &mut b, count: 0 };
        k.press(KeyCode::Char('c')).typed("today").enter().typed("oth").enter();
        k.ctrl('s');
        assert!(status(k.app).starts_with("Saved"), "{}", status(k.app));
        // A's undo would put back the case as it was before A's edit: open again. Refused.
        a.update(Action::Undo);
        let why = error(&a);
        assert!(why.contains("Could not undo") && why.contains("closed"), "{why}");
        let stored =
            a.store.reader().case_detail(a.store.reader().case_id(&key).unwrap().unwrap()).unwrap().unwrap();
        assert_eq!(stored.case.closed, Some(today()), "B's closing stays");
    }
}

#[test]
fn a_target_removed_in_one_window_does_not_come_back_from_the_other() {
    for db in databases() {
        let (_, mut a, mut b) = two_windows_on_a_case(&db);
        let target =
            a.screens.case.detail().unwrap().targets.iter().find(|t| t.ended.is_none()).unwrap().key.clone();
        // A removes the target (select its line, d, y).
        let line = a
            .screens
            .case
            .events()
            .iter()
            .position(|e| e.record.as_ref().is_some_and(|(_, k)| *k == target))
            .unwrap();
        a.update(Action::Top);
        for _ in 0..line {
            a.update(Action::Down);
        }
        let mut k = Keys { app: &mut a, count: 0 };
        k.press(KeyCode::Char('d')).press(KeyCode::Char('y'));
        assert!(a.store.reader().record(RecordKind::Target, &target).unwrap().is_none(), "{}", status(&a));
        // B ends it from its older view: refused, and it stays removed.
        let mut k = Keys { app: &mut b, count: 0 };
        k.press(KeyCode::Char('x'));
        k.app.editor.as_mut().unwrap().form.field_mut(caseload::tui::field_id::TARGET).unwrap().set(&target);
        k.ctrl('s');
        let why = error(k.app);
        assert!(why.contains(&format!("the target {target} was deleted by")), "{why}");
        assert!(b.store.reader().record(RecordKind::Target, &target).unwrap().is_none());
    }
}

#[test]
fn two_windows_changing_the_teacher_leave_one_allocation_in_force() {
    for db in databases() {
        let (key, mut a, mut b) = two_windows_on_a_case(&db);
        let current = a.screens.case.detail().unwrap().allocations.last().unwrap().record.staff.clone();
        let others: Vec<String> = caseload::tui::editors::lists(&a.store)
            .unwrap()
            .teacher_choices(today(), None)
            .into_iter()
            .map(|c| c.value)
            .filter(|k| *k != current)
            .take(2)
            .collect();
        for (app, teacher) in [(&mut a, &others[0]), (&mut b, &others[1])] {
            let mut k = Keys { app, count: 0 };
            k.press(KeyCode::Char('a'));
            k.app
                .editor
                .as_mut()
                .unwrap()
                .form
                .field_mut(caseload::tui::field_id::STAFF)
                .unwrap()
                .set(teacher);
            k.ctrl('s');
        }
        assert!(error(&b).contains("was changed by"), "B's change of teacher is refused: {}", error(&b));
        let reader = a.store.reader();
        let detail = reader.case_detail(reader.case_id(&key).unwrap().unwrap()).unwrap().unwrap();
        let in_force =
            detail.allocations.iter().filter(|x| x.record.end.is_none_or(|e| e >= today())).count();
        assert_eq!(in_force, 1, "{:?}", detail.allocations);
        assert!(reader.rule_violations().unwrap().is_empty());
    }
}

#[test]
fn an_open_window_shows_another_processs_import_by_itself() {
    for db in databases() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = window(&db, "ada");
        a.update(Action::Screen(ScreenId::Caseload));
        a.prepare();
        let before = a.screens.caseload.total();
        assert!(!a.tick(), "nothing changed yet");
        let file = dir.path().join("more.jsonl");
        std::fs::write(
            &file,
            concat!(
                r#"{"type":"child","key":"C-NEW","first_name":"Nia","last_name":"Newly","dob":"2017-05-05"}"#,
                "\n",
                r#"{"type":"case","key":"K-NEW","child":"C-NEW","setting":"S-FERN","phase":"primary","area":"semh","opened":"2024-09-02"}"#,
                "\n"
            ),
        )
        .unwrap();
        let out = std::process::Command::new(common::binary())
            .arg("--db")
            .arg(db.db_arg("ann"))
            .args(["import", file.to_str().unwrap()])
            .env("CASELOAD_NOW", "2024-09-10T10:00:00Z")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        // The application's loop looks every half second: on a file one look is enough, a
        // server's notice comes within a second.
        assert!(notices(&mut a), "the other process's commit is noticed");
        a.prepare();
        assert_eq!(a.screens.caseload.total(), before + 1, "the caseload shows the imported case");
    }
}
