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
    assert_eq!(f.picked(caseload::tui::field_id::CHILD).as_deref(), Some(child.key.as_str()));
    assert_eq!(f.picked(caseload::tui::field_id::AREA).as_deref(), Some(case.area.code()));
    assert_eq!(f.picked(caseload::tui::field_id::NEED).as_deref(), case.need.map(|n| n.code()));
    assert_eq!(f.picked(caseload::tui::field_id::SETTING), child.setting);
    // The setting picker offers the meeting's setting first.
    k.app.editor.as_mut().unwrap().form.focus_on(caseload::tui::field_id::SETTING);
    let shown = screen(k.app, 100, 40);
    let under = shown.lines().skip_while(|l| !l.contains("Referring setting")).nth(1).unwrap_or_default();
    assert!(under.contains("Fern"), "the attending setting first: {shown}");
    // The need list of the area is there when the field is reached.
    k.app.editor.as_mut().unwrap().form.focus_on(caseload::tui::field_id::NEED);
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
    let ids: Vec<_> = form(k.app).fields.iter().map(|f| f.field_id()).collect();
    for id in ids {
        let field = k.app.editor.as_mut().unwrap().form.field_mut(id).unwrap();
        match id.as_str() {
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

#[test]
fn enter_reads_any_line_in_full_wrapped_and_scrolled() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    app.update(Action::Open);
    app.prepare();
    // A target far longer than the screen is wide, set on the case shown.
    let long = "Uses the visual timetable to move between lessons without an adult, ".repeat(3)
        + "and asks for a movement break when needed";
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('t')).typed(&long).enter().ctrl('s');
    assert!(k.app.editor.is_none(), "{}", screen(k.app, 80, 24));
    k.app.prepare();
    // The new target's line is selected; at 80 columns it is cut, Enter reads it whole.
    let shown = screen(k.app, 80, 24);
    assert!(!shown.contains("when needed"), "{shown}");
    k.enter();
    let shown = screen(k.app, 80, 24);
    let joined: String =
        shown.lines().map(|l| l.trim_matches(|c| c == '│' || c == ' ')).collect::<Vec<_>>().join(" ");
    assert!(joined.contains("movement break when needed"), "{shown}");
    assert!(shown.contains("Chronology,"), "{shown}");
    k.press(KeyCode::Esc);
    assert!(k.app.overlay.is_none());
    // A message in full: Enter on it in :messages.
    let mut k = Keys { app: k.app, count: 0 };
    k.press(KeyCode::Char(':')).typed("messages").enter();
    k.enter();
    let shown = screen(k.app, 80, 24);
    assert!(shown.contains("Message of"), "{shown}");
    assert!(shown.contains("target"), "{shown}");
}

#[test]
fn the_help_scrolls_to_its_end_with_g_and_wraps() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    app.update(Action::Help);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('G'));
    assert!(k.app.overlay.is_some(), "G scrolls, it does not close the keys");
    let shown = screen(k.app, 80, 24);
    assert!(shown.contains("the wheel scrolls"), "the end of the keys: {shown}");
    // One line back up shows the line before the end: the scroll stopped at the end.
    k.press(KeyCode::Char('k'));
    let up = screen(k.app, 80, 24);
    assert!(!up.contains("the wheel scrolls") && up != shown, "{up}");
    k.press(KeyCode::Char('g'));
    let shown = screen(k.app, 80, 24);
    assert!(shown.contains("Everywhere") || shown.contains("On this screen"), "{shown}");
}

#[test]
fn y_from_the_whole_year_comes_back_to_the_term_it_left() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Returns));
    app.prepare();
    let term = app.screens.returns.report().unwrap().span;
    assert_ne!(term.short(), "T1", "the fixture's today is later in the year");
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('y'));
    k.app.prepare();
    k.press(KeyCode::Char('y'));
    k.app.prepare();
    assert_eq!(k.app.screens.returns.report().unwrap().span, caseload::domain::Scope::Year);
    k.press(KeyCode::Char('y'));
    k.app.prepare();
    assert_eq!(k.app.screens.returns.report().unwrap().span, term);
}

#[test]
fn a_closed_case_reopens_with_its_date_and_each_step_undoes_alone() {
    // After every dated record of the fixture: the case can close today.
    let day = caseload::domain::Date::parse_iso("2024-09-10").unwrap();
    let mut app = common::app::app_on(day);
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    app.update(Action::Open);
    app.prepare();
    let key = app.screens.case.detail().unwrap().case.key.clone();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('o'));
    assert!(k.app.editor.is_none() && status(k.app).contains("This case is open"), "{}", status(k.app));
    // Closed today, reopened today.
    k.press(KeyCode::Char('c')).enter().typed("targ").enter().ctrl('s');
    assert!(k.app.editor.is_none(), "{}", screen(k.app, 100, 30));
    k.app.prepare();
    assert_eq!(k.app.screens.case.detail().unwrap().case.closed, Some(day));
    k.press(KeyCode::Char('o'));
    assert_eq!(form(k.app).title, "Reopen the case");
    // Not before it closed.
    k.app
        .editor
        .as_mut()
        .unwrap()
        .form
        .field_mut(caseload::tui::field_id::REOPENED)
        .unwrap()
        .set(&day.pred().to_string());
    k.ctrl('s');
    let problem = form(k.app)
        .field(caseload::tui::field_id::REOPENED)
        .and_then(|f| f.problem.clone())
        .unwrap_or_default();
    assert!(problem.contains("on that day or later"), "{problem}");
    k.app.editor.as_mut().unwrap().form.field_mut(caseload::tui::field_id::REOPENED).unwrap().set("today");
    k.ctrl('s');
    assert!(k.app.editor.is_none(), "{}", screen(k.app, 100, 30));
    k.app.prepare();
    let d = k.app.screens.case.detail().unwrap();
    assert_eq!((d.case.closed, d.case.closure_reason), (None, None));
    let events = caseload::tui::screens::case::chronology(d);
    assert!(events.iter().any(|e| e.what.contains("Case reopened") && e.date == day), "{events:?}");
    // Undo: closed again (the note goes with it); undo again: open as before the close.
    k.press(KeyCode::Char('u'));
    let case =
        |app: &caseload::tui::app::App| match app.store.reader().record(RecordKind::Case, &key).unwrap() {
            Some(caseload::domain::Record::Case(c)) => c,
            other => panic!("{other:?}"),
        };
    assert_eq!(case(k.app).closed, Some(day), "{}", status(k.app));
    assert!(status(k.app).starts_with("Undone:"), "{}", status(k.app));
    k.app.prepare();
    let events = caseload::tui::screens::case::chronology(k.app.screens.case.detail().unwrap());
    assert!(!events.iter().any(|e| e.what.contains("Case reopened")));
    k.press(KeyCode::Char('u'));
    assert_eq!(case(k.app).closed, None, "{}", status(k.app));
}

/// The LIFT meeting of the issue: four children, two of them new, the two known ones with an
/// open case. Typed as before (area and need typed for every child) and as now (a known child's
/// area and need come from their open case, a new child's setting is the one attending: Enter
/// takes them); both save the same four referrals.
#[test]
fn the_four_children_two_new_lift_meeting_in_keystrokes() {
    let run = |typing_known_needs: bool| {
        let mut app = app();
        let reader = app.store.reader();
        let children = reader.child_choices().unwrap();
        let known: Vec<(String, caseload::store::OpenCaseOf)> = reader
            .open_cases_of_children(today())
            .unwrap()
            .into_iter()
            .filter(|c| c.need.is_some())
            .filter_map(|c| {
                let child = children.iter().find(|ch| ch.key == c.child && ch.setting.is_some())?;
                Some((child.last_name.clone(), c))
            })
            .take(2)
            .collect();
        assert_eq!(known.len(), 2);
        let before = common::app::count(&app, RecordKind::Referral);
        let mut k = Keys { app: &mut app, count: 0 };
        k.press(KeyCode::Char('4')).press(KeyCode::Char('n'));
        k.enter().enter(); // today, school
        k.typed("fern").enter().press(KeyCode::Tab);
        k.typed("mixed").enter();
        k.typed("1").enter().typed("1").enter();
        k.ctrl('s');
        assert!(status(k.app).starts_with("Saved the LIFT meeting"), "{}", status(k.app));
        for (last, case) in &known {
            k.typed(&last.to_lowercase()).enter();
            k.enter().enter(); // setting, phase: from the child
            if typing_known_needs {
                let area = case.area.label().to_lowercase();
                let need = case.need.unwrap().code().to_lowercase();
                k.typed(&area[..4]).enter().typed(&need).enter();
            } else {
                k.enter().enter(); // area, need: from the open case
            }
            k.typed("adv").enter();
            k.ctrl('s');
            assert!(status(k.app).starts_with("Saved referral"), "{}", screen(k.app, 100, 40));
        }
        for (first, last) in [("Zara", "Newcombe"), ("Yusuf", "Okafor")] {
            k.typed(&format!("{first} {last}")).enter();
            k.typed("3/4/16").enter();
            if typing_known_needs {
                k.typed("fern").enter().enter(); // setting, phase
            } else {
                k.enter().enter(); // setting: the one attending; phase: from the setting
            }
            k.typed("cog").enter().typed("mld").enter();
            k.typed("adv").enter();
            k.ctrl('s');
        }
        k.press(KeyCode::Esc);
        let total = k.count;
        assert_eq!(common::app::count(&app, RecordKind::Referral), before + 4, "{}", status(&app));
        let reader = app.store.reader();
        let meeting = reader.meetings().unwrap().into_iter().find(|m| m.meeting.date == today()).unwrap();
        let saved = reader.discussed(meeting.id).unwrap();
        assert_eq!(saved.len(), 4);
        for (_, case) in &known {
            let r = &saved.iter().find(|d| d.referral.child == case.child).unwrap().referral;
            assert_eq!((r.area, r.need), (case.area, case.need), "the open case's area and need");
        }
        assert!(saved.iter().all(
            |d| d.referral.setting == "S-FERN" || known.iter().any(|(_, c)| c.child == d.referral.child)
        ));
        total
    };
    let typed = run(true);
    let now = run(false);
    println!("LIFT meeting, four children, two new: {typed} keystrokes typing every need, {now} now");
    assert!(now < typed, "{now} vs {typed}");
}

#[test]
fn a_manual_figure_not_typed_says_so_and_is_not_shown_as_no_denominator() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Returns));
    app.prepare();
    let report = app.screens.returns.report().unwrap();
    let untyped = report
        .lines
        .iter()
        .find(|l| matches!(l.measure.figure, caseload::kpi::catalogue::Figure::Manual(None)))
        .expect("a manual figure not typed in the fixture's term")
        .measure
        .label
        .clone();
    let shown = screen(&mut app, 160, 300);
    let line = shown.lines().find(|l| l.contains(&untyped)).unwrap_or_else(|| panic!("{shown}"));
    assert!(line.contains("not typed") && !line.contains("n/a"), "{line}");
}
