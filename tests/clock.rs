//! One clock: the audit log's times come from the program's clock (fixed by `CASELOAD_NOW`, or a
//! test's), never SQLite's; and the application left open past midnight works on the new day.

mod common;

use caseload::clock::Clock;
use caseload::domain::{Record, Setting};
use caseload::store::Store;
use caseload::tui::app::App;
use caseload::tui::theme::Theme;

fn setting(key: &str) -> Record {
    Record::Setting(Setting {
        key: key.into(),
        name: format!("School {key}"),
        phase: "primary".parse().unwrap(),
        in_district: true,
        urn: None,
        closed: None,
        link_teacher: None,
    })
}

fn last_audit_time(store: &Store) -> String {
    store.reader().audit_since("2000-01-01".parse().unwrap()).unwrap().last().unwrap().at.clone()
}

#[test]
fn the_audit_log_takes_its_times_from_the_stores_clock() {
    let clock = Clock::settable("2025-03-04T10:20:30Z");
    let mut store = Store::open_in_memory_with(clock.clone()).unwrap();
    store.save(&setting("S-A"), false, clock.today()).unwrap();
    assert_eq!(last_audit_time(&store), "2025-03-04T10:20:30.000Z");
    clock.set("2025-03-05T08:00:00Z");
    store.save(&setting("S-B"), false, clock.today()).unwrap();
    assert_eq!(last_audit_time(&store), "2025-03-05T08:00:00.000Z");
    assert!(store.audit_problems().unwrap().is_empty(), "the chain holds");
}

#[test]
fn caseload_now_fixes_the_audit_times_of_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let out = common::run_at(
        &db,
        &["import", common::fixture("base.jsonl").to_str().unwrap()],
        "2026-11-30T09:15:00Z",
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let store = Store::open(&db).unwrap();
    let entries = store.reader().audit_since("2000-01-01".parse().unwrap()).unwrap();
    assert!(!entries.is_empty());
    assert!(entries.iter().all(|e| e.at == "2026-11-30T09:15:00.000Z"), "{:?}", entries.last().unwrap().at);
}

#[test]
fn a_window_left_open_past_midnight_works_on_the_new_day() {
    let clock = Clock::settable("2024-02-09T23:59:00Z");
    let mut store = Store::open_in_memory_with(clock.clone()).unwrap();
    common::import(&mut store, &common::fixture("kpi_district.jsonl"));
    let mut app = App::new(store, clock.today(), Theme::plain()).unwrap();
    app.tick();
    assert_eq!(app.today.to_string(), "2024-02-09");
    assert!(!app.tick(), "nothing changes while the day is the same");
    clock.set("2024-02-10T00:00:30Z");
    assert!(app.tick(), "the tick notices the new day");
    assert_eq!(app.today.to_string(), "2024-02-10");
    assert!(common::app::status(&app).contains("10 Feb 2024"), "{}", common::app::status(&app));
    // A note saved now is dated the new day.
    app.update(caseload::tui::action::Action::Screen(caseload::tui::action::ScreenId::Caseload));
    app.prepare();
    app.update(caseload::tui::action::Action::Open);
    app.prepare();
    let mut k = common::app::Keys { app: &mut app, count: 0 };
    k.press(ratatui::crossterm::event::KeyCode::Char('w')).typed("After midnight.").ctrl('s');
    let dump = common::dump_of(&app.store);
    let line = dump.lines().find(|l| l.contains("After midnight.")).expect("the note is saved");
    assert!(line.contains("\"2024-02-10\""), "{line}");
}
