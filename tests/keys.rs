//! Keys as Windows terminals send them: every key twice, once pressed and once released (and
//! again while held). A key pressed once acts once.

mod common;

use caseload::tui::action::ScreenId;
use caseload::tui::app::App;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// A key pressed and let go, as Windows reports it.
fn pressed_and_released(app: &mut App, code: KeyCode) {
    for kind in [KeyEventKind::Press, KeyEventKind::Release] {
        app.key(KeyEvent::new_with_kind(code, KeyModifiers::NONE, kind));
    }
}

#[test]
fn a_key_pressed_once_acts_once_when_its_release_is_reported_too() {
    let mut app = common::app::app();
    pressed_and_released(&mut app, KeyCode::Char('2'));
    assert_eq!(app.screen, ScreenId::Caseload);
    // Tab moves one screen on, not two.
    pressed_and_released(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, ScreenId::Case);
    // Typed text is typed once: "goto tea" would read "ggoottoo  tteeaa" otherwise.
    pressed_and_released(&mut app, KeyCode::Char(':'));
    for c in "goto tea".chars() {
        pressed_and_released(&mut app, KeyCode::Char(c));
    }
    pressed_and_released(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, ScreenId::Teachers, "{:?}", app.status.as_ref().map(|s| &s.text));
    assert!(app.overlay.is_none());
    // A release alone does nothing at all, q's included.
    app.key(KeyEvent::new_with_kind(KeyCode::Char('q'), KeyModifiers::NONE, KeyEventKind::Release));
    assert!(!app.quit);
    assert_eq!(app.screen, ScreenId::Teachers);
}

#[test]
fn a_key_held_down_repeats() {
    let mut app = common::app::app();
    pressed_and_released(&mut app, KeyCode::Char('2'));
    app.key(KeyEvent::new_with_kind(KeyCode::Tab, KeyModifiers::NONE, KeyEventKind::Press));
    app.key(KeyEvent::new_with_kind(KeyCode::Tab, KeyModifiers::NONE, KeyEventKind::Repeat));
    app.key(KeyEvent::new_with_kind(KeyCode::Tab, KeyModifiers::NONE, KeyEventKind::Release));
    let mut expected = common::app::app();
    for code in [KeyCode::Char('2'), KeyCode::Tab, KeyCode::Tab] {
        expected.key(KeyEvent::new(code, KeyModifiers::NONE));
    }
    assert_eq!(app.screen, expected.screen, "a press and a repeat: two steps");
    assert_ne!(app.screen, ScreenId::Case, "two steps, not one");
}
