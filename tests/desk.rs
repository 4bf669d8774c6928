//! At the desk, round 2: what the LIFT form knows (a child's open case, the meeting's settings),
//! lists that open where the eye is, and reading every line in full.

mod common;

use caseload::domain::RecordKind;
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::screens::Screen;
use common::app::{Keys, app, screen, status, today};
use ratatui::crossterm::event::KeyCode;

fn form(app: &caseload::tui::app::App) -> &caseload::tui::form::Form {
    &app.editor.as_ref().expect("a form is open").form
}

#[test]
fn the_lift_form_uses_what_it_knows_of_the_child_and_the_meeting() {
    let mut app = app();
    let reader = app.store.reader();
    let open = reader.open_cases_of_children(today()).unwrap();
    let children = reader.child_choices().unwrap();
    // A child with an open case and a need, whose setting is not the one attending.
    let (child, case) = open
        .iter()
        .filter(|c| c.need.is_some())
        .find_map(|c| {
            let child = children.iter().find(|ch| ch.key == c.child)?;
            (child.setting.as_deref() != Some("S-FERN")).then(|| (child.clone(), c.clone()))
        })
        .expect("a child with an open case");
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n'));
    k.enter().enter(); // today, school
    k.typed("fern").enter();
    // The settings list after a pick lists every setting again, for the next one.
    let shown = screen(k.app, 100, 40);
    assert!(!shown.contains("nothing matches"), "{shown}");
    k.ctrl('s');
    assert!(status(k.app).starts_with("Saved the LIFT meeting"), "{}", status(k.app));
    // The child picker says, of the highlighted child, their open case and its teacher.
    k.typed(&child.last_name.to_lowercase());
    let shown = screen(k.app, 80, 24);
    let teacher = case.teacher.clone().unwrap_or_else(|| "no teacher".into());
    assert!(shown.contains(&format!("↳ open case {}", case.case)), "{shown}");
    assert!(shown.contains(&teacher), "{shown}");
    k.enter();
    // Area and need come from the open case; the setting from the child.
    let f = form(k.app);
    assert_eq!(f.picked("child").as_deref(), Some(child.key.as_str()));
    assert_eq!(f.picked("area").as_deref(), Some(case.area.code()));
    assert_eq!(f.picked("need").as_deref(), case.need.map(|n| n.code()));
    assert_eq!(f.picked("setting"), child.setting);
    // The setting picker offers the meeting's setting first.
    k.app.editor.as_mut().unwrap().form.focus_on("setting");
    let shown = screen(k.app, 100, 40);
    let under = shown.lines().skip_while(|l| !l.contains("Referring setting")).nth(1).unwrap_or_default();
    assert!(under.contains("Fern"), "the attending setting first: {shown}");
    // The need list of the area is there when the field is reached.
    k.app.editor.as_mut().unwrap().form.focus_on("need");
    let shown = screen(k.app, 100, 40);
    assert!(!shown.contains("nothing matches"), "{shown}");
}

#[test]
fn lists_open_at_today_and_select_what_was_saved() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Work));
    app.prepare();
    // The training list opens at the latest course held by today, not at next year's bookings.
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('l'));
    k.app.prepare();
    let courses = k.app.store.reader().trainings().unwrap();
    assert!(courses.first().is_some_and(|c| c.date > today()), "the fixture books courses ahead");
    let expected = courses.iter().find(|c| c.date <= today()).unwrap().key.clone();
    match k.app.screens.work.selected_record() {
        Some(caseload::domain::Record::Training(t)) => assert_eq!(t.key, expected),
        other => panic!("{other:?}"),
    }
    // A course saved is the course selected.
    let before = common::app::count(k.app, RecordKind::Training);
    k.press(KeyCode::Char('n'));
    let ids: Vec<&str> = form(k.app).fields.iter().map(|f| f.id).collect();
    for id in ids {
        let field = k.app.editor.as_mut().unwrap().form.field_mut(id).unwrap();
        match id {
            "title" => field.set("Sensory circuits"),
            "date" => field.set("2024-02-01"),
            "kind" => field.set("core"),
            "phase" => field.set("primary"),
            "status" => field.set("delivered"),
            "attendees" => field.set("12"),
            _ => {}
        }
    }
    k.ctrl('s');
    if k.app.editor.is_some() {
        panic!("{}", screen(k.app, 100, 40));
    }
    assert_eq!(common::app::count(k.app, RecordKind::Training), before + 1, "{}", status(k.app));
    k.app.prepare();
    match k.app.screens.work.selected_record() {
        Some(caseload::domain::Record::Training(t)) => assert_eq!(t.title, "Sensory circuits"),
        other => panic!("{other:?}"),
    }
}
