//! Undo and redo go back and forth through every change of the session, each naming what it
//! undoes or does again.

mod common;

use caseload::domain::RecordKind;
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use common::app::{Keys, app, count, status};
use ratatui::crossterm::event::KeyCode;

fn add_setting(app: &mut App, name: &str) {
    app.update(Action::Screen(ScreenId::Register));
    app.prepare();
    let mut k = Keys { app, count: 0 };
    k.press(KeyCode::Char('n'));
    k.typed(name).enter().typed("early").enter();
    k.ctrl('s');
    assert!(status(k.app).starts_with(&format!("Added setting {name}")), "{}", status(k.app));
}

fn state(app: &App) -> (Option<String>, i64) {
    (app.store.reader().district_name().unwrap(), count(app, RecordKind::Setting))
}

#[test]
fn five_undos_revert_five_changes_each_named_and_redo_puts_them_back() {
    let mut app = app();
    let mut states = vec![state(&app)];
    app.run_command("district Alpha Vale");
    states.push(state(&app));
    add_setting(&mut app, "Ash Nursery");
    states.push(state(&app));
    add_setting(&mut app, "Birch Nursery");
    states.push(state(&app));
    app.run_command("district Beta Vale");
    states.push(state(&app));
    add_setting(&mut app, "Cedar Nursery");
    states.push(state(&app));
    let said = ["Cedar Nursery", "Beta Vale", "Birch Nursery", "Ash Nursery", "Alpha Vale"];
    for (n, name) in said.iter().enumerate() {
        app.update(Action::Undo);
        let message = status(&app);
        assert!(message.starts_with("Undone: ") && message.contains(name), "undo {}: {message}", n + 1);
        assert_eq!(state(&app), states[4 - n], "after undo {}", n + 1);
    }
    app.update(Action::Undo);
    assert!(status(&app).contains("Nothing to undo"));
    for (n, name) in said.iter().rev().enumerate() {
        app.update(Action::Redo);
        let message = status(&app);
        assert!(message.starts_with("Redone: ") && message.contains(name), "redo {}: {message}", n + 1);
        assert_eq!(state(&app), states[n + 1], "after redo {}", n + 1);
    }
    // A new change after an undo: what was undone cannot be redone over it.
    app.update(Action::Undo);
    add_setting(&mut app, "Damson Nursery");
    app.update(Action::Redo);
    assert!(status(&app).contains("Nothing to redo"), "{}", status(&app));
    // Keys: u undoes, U redoes.
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('u'));
    assert!(status(k.app).contains("Undone: Added setting Damson Nursery"), "{}", status(k.app));
    k.press(KeyCode::Char('U'));
    assert!(status(k.app).contains("Redone: Added setting Damson Nursery"), "{}", status(k.app));
}
