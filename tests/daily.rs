//! At the desk all day: the lead's filters with a reason on every highlighted row, Enter on a
//! teacher, and "my cases".

mod common;

use caseload::tui::action::{Action, ScreenId};
use caseload::tui::screens::caseload::{Attention, attention};
use common::app::{Keys, app, screen, status, today};
use ratatui::crossterm::event::KeyCode;

#[test]
fn the_attention_filter_shows_each_reason_and_every_highlighted_row_says_why() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    let all_open: Vec<_> = app.screens.caseload.shown().cloned().collect();
    // !: any reason, then each reason in turn.
    app.update(Action::NextAttentionFilter);
    let any: Vec<i64> = app.screens.caseload.shown().map(|r| r.id).collect();
    let expected: Vec<i64> =
        all_open.iter().filter(|r| attention(r, today(), 12).is_some()).map(|r| r.id).collect();
    assert_eq!(any, expected);
    assert!(!any.is_empty());
    for reason in Attention::ALL {
        app.update(Action::NextAttentionFilter);
        let shown: Vec<i64> = app.screens.caseload.shown().map(|r| r.id).collect();
        let want: Vec<i64> =
            all_open.iter().filter(|r| reason.applies(r, today(), 12)).map(|r| r.id).collect();
        assert_eq!(shown, want, "{}", reason.label());
    }
    app.update(Action::NextAttentionFilter);
    assert_eq!(app.screens.caseload.shown().count(), all_open.len(), "back to every open case");
    // The Why column gives the reason of each highlighted row; ? explains the codes.
    let shown = screen(&mut app, 100, 30);
    for r in all_open.iter().filter(|r| attention(r, today(), 12).is_some()) {
        let code = attention(r, today(), 12).unwrap().code();
        let line = shown.lines().find(|l| l.contains(&r.first_name)).unwrap_or_else(|| panic!("{shown}"));
        assert!(line.trim_end_matches('│').trim_end().ends_with(code), "{line}");
    }
    app.update(Action::Help);
    let mut help = String::new();
    let mut k = Keys { app: &mut app, count: 0 };
    for _ in 0..6 {
        help.push_str(&screen(k.app, 100, 40));
        k.press(KeyCode::PageDown);
    }
    for a in Attention::ALL {
        assert!(help.lines().any(|l| l.contains(a.code()) && l.contains(a.label())), "{}: {help}", a.code());
    }
}

#[test]
fn the_phase_filter_goes_through_every_phase() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    app.update(Action::ClearFilters);
    let mut seen = Vec::new();
    for _ in 0..6 {
        app.update(Action::NextPhaseFilter);
        let phases: std::collections::BTreeSet<_> = app.screens.caseload.shown().map(|r| r.phase).collect();
        seen.push(phases);
    }
    use caseload::domain::Phase::*;
    assert_eq!(seen[1].iter().copied().collect::<Vec<_>>(), [Primary]);
    assert_eq!(seen[2].iter().copied().collect::<Vec<_>>(), [Secondary]);
    assert_eq!(seen[3].iter().copied().collect::<Vec<_>>(), [Post16]);
    assert_eq!(seen[4].iter().copied().collect::<Vec<_>>(), [EarlyYears]);
    assert!(!seen[0].contains(&EarlyYears) && seen[5].len() == 4);
}

#[test]
fn enter_on_a_teacher_and_my_cases_open_the_caseload_filtered() {
    let mut app = app();
    // The Caseload's cursor left on its last row first: the teacher's list must still open at its top.
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    app.update(Action::Bottom);
    app.update(Action::Screen(ScreenId::Teachers));
    app.prepare();
    let teacher = app.screens.teachers.loads().iter().find(|t| t.open() > 1).unwrap().clone();
    while app.screens.teachers.loads().get(app.screens.teachers.selected()).map(|t| t.id) != Some(teacher.id)
    {
        app.update(Action::Down);
    }
    app.update(Action::Open);
    assert_eq!(app.screen, ScreenId::Caseload);
    let shown: Vec<_> = app.screens.caseload.shown().cloned().collect();
    assert_eq!(shown.len() as i64, teacher.open());
    assert!(shown.iter().all(|r| r.teacher_id == Some(teacher.id)));
    assert_eq!(app.screens.caseload.selected().map(|r| r.id), Some(shown[0].id), "opens at its top");

    // m before saying who I am explains how; i on my staff row, then m.
    app.update(Action::MyCases);
    assert!(status(&app).contains("Who are you?"), "{}", status(&app));
    app.update(Action::Screen(ScreenId::Register));
    app.prepare();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('l'));
    while k.app.screens.register.selected_staff().map(|s| s.key.clone()) != Some(teacher.staff.key.clone()) {
        k.press(KeyCode::Down);
    }
    k.press(KeyCode::Char('i'));
    assert!(status(k.app).starts_with(&format!("You are {}", teacher.staff.name)), "{}", status(k.app));
    k.press(KeyCode::Char('2')).press(KeyCode::Char('c')).press(KeyCode::Char('m'));
    assert!(k.app.screens.caseload.shown().all(|r| r.teacher_id == Some(teacher.id)));
    assert_eq!(k.app.screens.caseload.shown().count() as i64, teacher.open());
}

#[test]
fn as_names_a_staff_member_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let out = common::run_at(
        &db,
        &["import", common::fixture("kpi_district.jsonl").to_str().unwrap()],
        "2024-09-02T09:00:00Z",
    );
    assert!(out.status.success());
    // Refused before the terminal is needed, naming what was given.
    let out = common::run_at(&db, &["--as", "Nobody Atall"], "2024-09-02T09:00:00Z");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--as: no staff member") && err.contains("Nobody Atall"), "{err}");
    // A name known (any case) passes to the terminal check (this test has no terminal).
    let out = common::run_at(&db, &["--as", "semh teacher"], "2024-09-02T09:00:00Z");
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
}
