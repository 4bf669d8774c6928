//! Data entry from the terminal application, driven by keys: the LIFT meeting flow (with its
//! keystroke count), case actions, the other forms, undo, and export from the Returns screen.

mod common;

use caseload::domain::{Date, ManualValue, Record, RecordKind, ReferralOutcome};
use caseload::store::Store;
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use caseload::tui::theme::Theme;
use common::{fixture, import};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use common::app::{Keys, another_teacher, app, app_on, count, open_case_where, screen, status, today};

/// Records a LIFT meeting with ten referrals by keys alone, one of them allocated and one a new
/// child, and counts the keystrokes.
#[test]
fn a_lift_meeting_with_ten_referrals_by_keyboard() {
    let mut app = app();
    let before = (
        count(&app, RecordKind::LiftMeeting),
        count(&app, RecordKind::Referral),
        count(&app, RecordKind::Case),
    );
    let children: Vec<(String, String)> = app
        .store
        .reader()
        .child_choices()
        .unwrap()
        .into_iter()
        .filter(|c| c.setting.is_some())
        .map(|c| (c.first_name, c.last_name))
        .collect();
    assert!(children.len() >= 9);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n'));
    // The meeting: today (Enter), school (Enter), two settings by search, its focus, two professionals.
    k.enter().enter();
    k.typed("fern").enter().typed("larch").enter().press(KeyCode::Tab);
    k.typed("mixed").enter();
    k.typed("1").enter().typed("1").enter();
    k.ctrl('s');
    assert!(status(k.app).starts_with("Saved the LIFT meeting"), "{}", status(k.app));
    let meeting_keys = k.count;

    for (i, (first, last)) in children.iter().take(9).enumerate() {
        // Child by surname; setting and phase follow from the child; area and need typed.
        k.typed(&last.to_lowercase()[..4.min(last.len())]);
        k.enter(); // child
        let _ = first;
        k.enter().enter(); // setting, phase: as filled in
        k.typed("semh").enter(); // area
        k.typed("semh").enter(); // need
        let outcome = if i == 0 { "allocated" } else { "advice" };
        k.typed(&outcome[..3]).enter();
        k.ctrl('s');
        if i == 0 {
            // The allocated referral opens the case: the teacher, then save.
            assert!(k.app.editor.as_ref().unwrap().form.title.contains("Open the case"));
            k.typed("semh").enter();
            k.ctrl('s');
        }
    }
    // The tenth: a new child, added inline.
    // Typing a name nobody has offers "+ new child «Zara Newcombe»"; the name fills the form.
    k.typed("Zara Newcombe").enter();
    k.typed("3/4/16").enter();
    k.typed("fern").enter().enter(); // setting, phase
    k.typed("cog").enter().typed("mld").enter();
    k.typed("adv").enter();
    k.ctrl('s');
    k.press(KeyCode::Esc); // ends the meeting
    let total = k.count;
    assert!(status(&app).contains("10 referrals and 1 new case saved"), "{}", status(&app));
    let after = (
        count(&app, RecordKind::LiftMeeting),
        count(&app, RecordKind::Referral),
        count(&app, RecordKind::Case),
    );
    assert_eq!(after, (before.0 + 1, before.1 + 10, before.2 + 1));
    assert!(app.store.reader().rule_violations().unwrap().is_empty());
    println!("LIFT meeting with ten referrals: {total} keystrokes ({meeting_keys} for the meeting itself)");
    // A spreadsheet row per child (name, setting, phase, area, need, outcome, date typed in full,
    // with a Tab between cells) takes about 80 keystrokes; ten take about 800.
    assert!(total < 300, "{total} keystrokes");

    // The new case is on the caseload, allocated.
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    let newest = app.screens.caseload.shown().next().unwrap().clone();
    assert_eq!(newest.opened, today());
    assert!(newest.teacher_id.is_some(), "the new case has its teacher");
    let referrals = app.store.reader().meetings().unwrap();
    let meeting = referrals.iter().find(|m| m.meeting.date == today()).unwrap();
    assert_eq!(meeting.referrals, 10);
    assert_eq!(meeting.meeting.focus, Some(caseload::domain::LiftFocus::Mixed), "the focus typed is kept");
    let discussed = app.store.reader().discussed(meeting.id).unwrap();
    assert_eq!(
        discussed.iter().filter(|d| d.referral.outcome == Some(ReferralOutcome::Allocated)).count(),
        1
    );
    assert!(discussed.iter().any(|d| d.child_name == ("Zara".to_string(), "Newcombe".to_string())));
}

#[test]
fn a_referral_with_a_need_outside_its_area_is_refused_with_the_reason() {
    let mut app = app();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n')).ctrl('s');
    let last = k.app.store.reader().child_choices().unwrap()[0].last_name.clone();
    k.typed(&last.to_lowercase()).enter().enter().enter();
    k.typed("semh").enter();
    // The need types offered are those of the area: ASD is not among them.
    k.typed("asd");
    let shown = screen(k.app, 100, 30);
    assert!(shown.contains("nothing matches \"asd\""), "{shown}");
    k.ctrl('s');
    let shown = screen(k.app, 100, 30);
    assert!(shown.contains("nothing matches \"asd\""), "{shown}");
    insta::assert_snapshot!("referral_form_with_error", shown);
}

#[test]
fn case_actions_allocate_target_review_visit_close_and_reopen() {
    // After the fixture's year, so that nothing on the case lies in the future.
    let today = || Date::parse_iso("2024-09-10").unwrap();
    let mut app = app_on(today());
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    // An open case with no teacher today and nothing recorded after today (so it can close today).
    let reader = app.store.reader();
    let later = |id: i64| {
        let d = reader.case_detail(id).unwrap().unwrap();
        d.reviews.iter().any(|r| r.date > today())
            || d.visits.iter().any(|v| v.record.date > today())
            || d.targets.iter().any(|t| t.set > today() || t.ended.is_some_and(|e| e > today()))
            || d.allocations
                .iter()
                .any(|a| a.record.start > today() || a.record.end.is_some_and(|e| e > today()))
    };
    let row = app.screens.caseload.shown().find(|r| !later(r.id)).cloned().expect("an open case");
    let current = app.store.reader().case_detail(row.id).unwrap().unwrap();
    let current =
        caseload::tui::editors::case::current_allocation(&current, today()).map(|a| a.staff.clone());
    let teacher = another_teacher(&app.store, today(), current.as_deref());
    while app.screens.caseload.selected().map(|r| r.id) != Some(row.id) {
        app.update(Action::Down);
    }
    app.update(Action::Open);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('a'));
    insta::assert_snapshot!("allocate_form", screen(k.app, 80, 24));
    k.typed(&teacher.name.to_lowercase()).enter().ctrl('s');
    assert!(status(k.app).contains("allocation"), "{}", status(k.app));
    k.press(KeyCode::Char('t')).typed("Uses a calm box when upset").enter().ctrl('s');
    k.press(KeyCode::Char('r')).enter().typed("ame").enter().ctrl('s');
    k.press(KeyCode::Char('v')).ctrl('s');
    k.app.prepare();
    let d = k.app.screens.case.detail().unwrap().clone();
    assert!(
        d.allocations
            .iter()
            .any(|a| a.record.start == today() && a.record.end.is_none() && a.record.staff == teacher.key)
    );
    assert!(d.targets.iter().any(|t| t.text == "Uses a calm box when upset"));
    assert!(d.reviews.iter().any(|r| r.date == today()));
    assert!(d.visits.iter().any(|v| v.record.date == today()));

    // The history shows who made each change (the audit log).
    k.press(KeyCode::Char('h'));
    let history = screen(k.app, 120, 30);
    assert!(history.contains("allocation"), "{history}");
    assert!(history.contains(caseload::store::current_user()), "{history}");
    k.press(KeyCode::Char('h'));

    // A second open case for the child is refused, with the reason.
    k.press(KeyCode::Char('n'));
    assert!(status(k.app).contains("still open"), "{}", status(k.app));

    // Closing before the visit just recorded breaks a rule: refused beside the date.
    k.press(KeyCode::Char('c')).typed("5/9/24").enter().typed("targ").enter().ctrl('s');
    let shown = screen(k.app, 100, 30);
    assert!(shown.contains("after the case was closed"), "{shown}");
    insta::assert_snapshot!("close_form_refused", shown);
    k.press(KeyCode::Esc).press(KeyCode::Char('y'));
    // Closing today is fine; then a new case can be opened.
    k.press(KeyCode::Char('c')).enter().typed("targ").enter().ctrl('s');
    assert!(k.app.editor.is_none(), "{}", screen(k.app, 100, 30));
    k.app.prepare();
    assert_eq!(k.app.screens.case.detail().unwrap().case.closed, Some(today()));
    // A closed case has no teacher, from the day it closes.
    let shown = screen(k.app, 100, 30);
    let header = shown.lines().nth(3).unwrap_or_default();
    assert!(header.starts_with("│No teacher"), "{shown}");
    assert!(!header.contains(&teacher.name), "a closed case names no current teacher: {shown}");
    // A case closed today is closed today: the child can be opened to the service again at once,
    // and the screen then shows the new case.
    let closed_key = k.app.screens.case.detail().unwrap().case.key.clone();
    let cases_before = count(k.app, RecordKind::Case);
    k.press(KeyCode::Char('n'));
    assert!(k.app.editor.is_some(), "{}", status(k.app));
    k.ctrl('s');
    assert_eq!(count(k.app, RecordKind::Case), cases_before + 1, "{}", status(k.app));
    k.app.prepare();
    let d = k.app.screens.case.detail().unwrap();
    assert_eq!((d.case.opened, d.case.closed), (today(), None), "the new case is the one shown");
    assert!(d.other_cases.iter().any(|c| c.key == closed_key && c.closed == Some(today())));
}

#[test]
fn changing_teacher_ends_the_current_allocation() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    let row = app.screens.caseload.shown().find(|r| r.teacher_id.is_some()).cloned().unwrap();
    while app.screens.caseload.selected().map(|r| r.id) != Some(row.id) {
        app.update(Action::Down);
    }
    app.update(Action::Open);
    app.prepare();
    let old = app.screens.case.detail().unwrap().allocations.last().unwrap().record.clone();
    let mut k = Keys { app: &mut app, count: 0 };
    // Whoever is not the current teacher: search by a letter and take the first match that differs.
    let other = another_teacher(&k.app.store, today(), Some(&old.staff));
    k.press(KeyCode::Char('a')).typed(&other.name.to_lowercase()).enter().ctrl('s');
    k.app.prepare();
    let allocations = &k.app.screens.case.detail().unwrap().allocations;
    let ended = allocations.iter().find(|a| a.record.key == old.key).unwrap();
    assert_eq!(ended.record.end, Some(today().pred()));
    assert!(allocations.iter().any(|a| a.record.staff == other.key && a.record.end.is_none()));
}

#[test]
fn undo_takes_back_the_last_saved_change() {
    let mut app = app();
    let before = common::dump_of(&app.store);
    app.update(Action::Screen(ScreenId::Work));
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('n'));
    k.enter().enter().enter(); // date, phase, format
    k.typed("fern").enter().press(KeyCode::Tab);
    k.typed("2").enter();
    k.ctrl('s');
    assert!(status(k.app).starts_with("Added clinic"), "{}", status(k.app));
    assert_ne!(common::dump_of(&k.app.store), before);
    k.press(KeyCode::Char('u'));
    assert!(status(k.app).starts_with("Undone"), "{}", status(k.app));
    assert_eq!(common::dump_of(&k.app.store), before);
    k.press(KeyCode::Char('u'));
    assert!(k.app.status.as_ref().unwrap().error, "nothing more to undo");
}

#[test]
fn the_register_edits_and_removes_with_a_question_first() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Register));
    app.prepare();
    let mut k = Keys { app: &mut app, count: 0 };
    // A new setting.
    k.press(KeyCode::Char('n'));
    insta::assert_snapshot!("new_setting_form", screen(k.app, 80, 24));
    k.typed("Quince Primary School").enter().typed("pri").enter().enter().typed("119999").enter().ctrl('s');
    let added = k
        .app
        .store
        .reader()
        .settings()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Quince Primary School")
        .unwrap();
    assert!(added.in_district);
    assert_eq!(added.urn.as_deref(), Some("119999"));
    // Select it and rename it.
    k.app.prepare();
    let position = k.app.store.reader().settings().unwrap().iter().position(|s| s.key == added.key).unwrap();
    for _ in 0..position {
        k.app.update(Action::Down);
    }
    k.press(KeyCode::Char('e')).typed("Quince Academy").ctrl('s');
    let renamed = k.app.store.reader().record(RecordKind::Setting, &added.key).unwrap();
    assert!(matches!(renamed, Some(Record::Setting(s)) if s.name == "Quince Academy"));
    // Removing asks first; n keeps it, y removes it.
    k.press(KeyCode::Char('d')).press(KeyCode::Char('n'));
    assert!(k.app.store.reader().record(RecordKind::Setting, &added.key).unwrap().is_some());
    k.press(KeyCode::Char('d')).press(KeyCode::Char('y'));
    assert!(k.app.store.reader().record(RecordKind::Setting, &added.key).unwrap().is_none());
    // A setting in use cannot be removed: the reason is given and nothing changes.
    k.app.update(Action::Top);
    k.press(KeyCode::Char('d')).press(KeyCode::Char('y'));
    assert!(k.app.status.as_ref().is_some_and(|s| s.error && s.text.contains("other records still refer")));
}

#[test]
fn leaving_a_form_with_changes_asks_first() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Work));
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('n')).typed("5/2/24");
    k.press(KeyCode::Esc);
    assert!(screen(k.app, 80, 24).contains("Discard the changes?"));
    k.press(KeyCode::Char('n'));
    assert!(k.app.editor.is_some());
    k.press(KeyCode::Esc).press(KeyCode::Char('y'));
    assert!(k.app.editor.is_none());
}

#[test]
fn manual_figures_and_term_dates_from_the_returns_screen() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Returns));
    app.prepare();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('m'));
    insta::assert_snapshot!("manual_figures_form", screen(k.app, 100, 24));
    // Checked against their units: a percentage of 140 or "very good" is refused beside it.
    // The core budget comes after the survey's four counts.
    k.typed("140").enter().enter().enter().enter().enter().typed("£12,500.50").ctrl('s');
    assert!(screen(k.app, 100, 24).contains("0 to 100"), "{}", screen(k.app, 100, 24));
    for _ in 0..5 {
        k.press(KeyCode::Up);
    }
    for _ in 0..3 {
        k.press(KeyCode::Backspace);
    }
    k.typed("very good").ctrl('s');
    assert!(screen(k.app, 100, 24).contains("is not a percentage"), "{}", screen(k.app, 100, 24));
    for _ in 0.."very good".len() {
        k.press(KeyCode::Backspace);
    }
    k.typed("88.5").ctrl('s');
    let stored =
        k.app.store.reader().manual_measures("2023-24".parse().unwrap(), "T3".parse().unwrap()).unwrap();
    let value = |id: &str| stored.iter().find(|m| m.id == id).map(|m| m.value.clone());
    assert_eq!(value("survey.settings_satisfied_pct"), Some(ManualValue::Number(88.5)));
    assert_eq!(value("budget.core"), Some(ManualValue::Number(12500.5)), "money typed with £ and commas");
    // Shown again in its unit.
    k.app.prepare();
    k.press(KeyCode::Char('m'));
    assert!(screen(k.app, 100, 24).contains("£12,500.50"), "{}", screen(k.app, 100, 24));
    k.press(KeyCode::Esc);

    k.press(KeyCode::Char('t'));
    k.typed("1/11/23").ctrl('s');
    let starts = k.app.store.reader().term_starts("2023-24".parse().unwrap()).unwrap().unwrap();
    assert_eq!(starts.starts[0].to_string(), "2023-11-01");
    // A T2 start after T3's is refused beside the field.
    k.press(KeyCode::Char('t')).typed("1/2/24").ctrl('s');
    assert!(screen(k.app, 100, 24).contains("must be after"));
}

#[test]
fn an_export_from_the_returns_screen_matches_the_command_line_byte_for_byte() {
    // SAFETY of the environment: this test alone sets CASELOAD_NOW in this process.
    unsafe { std::env::set_var("CASELOAD_NOW", "2024-02-10T10:00:00Z") };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let mut store = Store::open(&db).unwrap();
    import(&mut store, &fixture("kpi_district.jsonl"));
    let mut app = App::new(store, today(), Theme::plain()).unwrap();
    app.update(Action::Screen(ScreenId::Returns));
    app.prepare();
    for (format, letters) in [("csv", "csv"), ("json", "json")] {
        let mut k = Keys { app: &mut app, count: 0 };
        k.press(KeyCode::Char('x')).typed(letters).enter();
        k.typed(dir.path().to_str().unwrap()).enter();
        k.ctrl('s');
        assert!(status(k.app).starts_with("Writing the return of 2023-24 T3"), "{}", status(k.app));
        k.app.work();
        let said = status(k.app);
        assert!(said.starts_with("Wrote "), "{said}");
        let written = std::path::PathBuf::from(said.trim_start_matches("Wrote "));
        let from_ui = std::fs::read(&written).unwrap();
        let cli = std::process::Command::new(common::binary())
            .args([
                "--db",
                db.to_str().unwrap(),
                "export",
                "--year",
                "2023-24",
                "--term",
                "3",
                "--format",
                format,
            ])
            .env("CASELOAD_NOW", "2024-02-10T10:00:00Z")
            .output()
            .unwrap();
        assert_eq!(cli.status.code(), Some(0));
        assert_eq!(from_ui, cli.stdout, "{format} differs");
    }
}

#[test]
fn the_export_folder_is_offered_again_in_the_next_session() {
    let dir = tempfile::tempdir().unwrap();
    let prefs = dir.path().join("config/preferences.json");
    let out = dir.path().join("returns");
    std::fs::create_dir(&out).unwrap();
    let session = |prefs: &std::path::Path| {
        let mut app = app();
        app.prefs = caseload::tui::prefs::Prefs::load(Some(prefs.to_path_buf()), None).unwrap();
        app.update(Action::Screen(ScreenId::Returns));
        app.prepare();
        app
    };
    let mut app = session(&prefs);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('x')).typed("json").enter();
    k.typed(out.to_str().unwrap()).enter();
    k.ctrl('s');
    k.app.work();
    assert!(status(k.app).starts_with("Wrote "), "{}", status(k.app));
    // A new session on the same machine offers the same folder.
    let mut app = session(&prefs);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('x'));
    let folder = k.app.editor.as_ref().unwrap().form.text(caseload::tui::field_id::FOLDER);
    assert_eq!(folder, out.to_str().unwrap());
}

/// Every form, as it opens, at 80×24.
#[test]
fn snapshots_of_every_form() {
    let day = Date::parse_iso("2024-09-10").unwrap();
    let mut app = app_on(day);
    let mut shots: Vec<(String, String)> = Vec::new();
    let mut shot = |app: &mut App, name: &str| shots.push((name.to_string(), screen(app, 80, 24)));
    let esc = |app: &mut App| {
        app.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        if app.editor.is_some() {
            app.key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE));
        }
        assert!(app.editor.is_none());
    };
    let press = |app: &mut App, c: char| app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));

    app.update(Action::Screen(ScreenId::Work));
    for (list, name) in ["clinic", "training", "transition"].iter().enumerate() {
        if list > 0 {
            app.update(Action::NextList);
        }
        press(&mut app, 'n');
        shot(&mut app, &format!("new_{name}"));
        esc(&mut app);
    }
    app.update(Action::Screen(ScreenId::Register));
    for (list, name) in ["setting", "staff"].iter().enumerate() {
        if list > 0 {
            app.update(Action::NextList);
        }
        press(&mut app, 'e');
        shot(&mut app, &format!("edit_{name}"));
        esc(&mut app);
    }
    app.update(Action::Screen(ScreenId::Lift));
    press(&mut app, 'n');
    shot(&mut app, "new_lift_meeting");
    app.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    shot(&mut app, "lift_referral");
    esc(&mut app);
    press(&mut app, 'e');
    shot(&mut app, "edit_lift_meeting");
    esc(&mut app);

    app.update(Action::Screen(ScreenId::Caseload));
    app.update(Action::Open);
    for (key, name) in [
        ('a', "allocate"),
        ('t', "add_target"),
        ('x', "end_target"),
        ('r', "review"),
        ('v', "visit"),
        ('c', "close"),
        ('e', "edit_case"),
        ('C', "edit_child"),
    ] {
        press(&mut app, key);
        shot(&mut app, &format!("case_{name}"));
        esc(&mut app);
    }
    app.update(Action::Screen(ScreenId::Returns));
    for (key, name) in [('x', "export"), ('m', "manual_figures"), ('t', "term_dates")] {
        press(&mut app, key);
        shot(&mut app, &format!("returns_{name}"));
        esc(&mut app);
    }
    for (name, text) in shots {
        // The export folder is the machine's documents folder: the same everywhere in the snapshot,
        // and the form's border where it is whatever the folder's length (Windows' is longer).
        let folder = caseload::tui::editors::returns::default_folder().display().to_string();
        let text = text.lines().map(|line| documents_redacted(line, &folder) + "\n").collect::<String>();
        insta::assert_snapshot!(format!("form_{name}"), text);
    }
}

#[test]
fn the_district_is_renamed_from_the_palette_and_can_be_undone() {
    let mut app = app();
    let before = app.store.reader().district_name().unwrap();
    app.run_command("district Ashford and Tenterden");
    assert_eq!(app.store.reader().district_name().unwrap().as_deref(), Some("Ashford and Tenterden"));
    assert!(screen(&mut app, 140, 24).contains("Ashford and Tenterden"));
    app.undo();
    assert_eq!(app.store.reader().district_name().unwrap(), before);
    let shown = screen(&mut app, 140, 24);
    assert!(!shown.lines().next().unwrap().contains("Ashford and Tenterden"), "the title bar:\n{shown}");
    assert!(shown.contains("Undone: Saved the district's name (Ashford and Tenterden)"), "{shown}");
}

#[test]
fn at_80x24_the_case_keeps_its_teacher_and_a_long_text_keeps_its_caret_in_view() {
    let mut app = app();
    // The case with the longest need and setting names.
    let longest = {
        app.update(Action::Screen(ScreenId::Caseload));
        app.prepare();
        app.screens
            .caseload
            .shown()
            .max_by_key(|r| r.setting.len() + r.need.map_or(0, |n| n.label().len()))
            .map(|r| r.id)
            .unwrap()
    };
    open_case_where(&mut app, |r| r.id == longest);
    for width in [80, 60] {
        let shown = screen(&mut app, width, 24);
        assert!(shown.lines().any(|l| l.contains("│Teacher ")), "{width} columns:\n{shown}");
    }
    // A target 200 characters long: the caret and the last words typed stay in view.
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('t'));
    let text = "Uses a calm box when upset and asks an adult for help before leaving the classroom; \
                practises the plan with the teaching assistant every morning and again after lunch, \
                and records each use of it here today";
    assert!(text.chars().count() >= 200, "{}", text.chars().count());
    k.typed(text);
    let shown = screen(k.app, 80, 24);
    let line = shown.lines().find(|l| l.contains('▏')).unwrap_or_else(|| panic!("no caret:\n{shown}"));
    assert!(line.contains("each use of it here today▏"), "{line}");
    assert!(line.contains('…'), "the start scrolled off: {line}");
}

#[test]
fn find_shows_a_child_with_no_case_and_opens_the_childs_page() {
    let mut app = app();
    // Peregrine Ashdown was referred (advice) but has no case.
    let no_case = app.store.reader().find("ashd", 10, today()).unwrap();
    assert!(no_case.iter().any(|f| f.last_name == "Ashdown" && f.detail.contains("no case")), "{no_case:?}");
    app.run_command("find ashd");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Peregrine Ashdown") && shown.contains("no case"), "{shown}");
    let mut k = Keys { app: &mut app, count: 0 };
    k.enter();
    let shown = screen(k.app, 100, 30);
    assert!(shown.contains("Child: Peregrine Ashdown"), "{shown}");
    assert!(
        shown.contains("No case.") && shown.contains("Referrals (1)") && shown.contains("advice"),
        "{shown}"
    );
    k.press(KeyCode::Esc);
    // F anywhere, part of a surname then the first name, any case; a child with a case opens it.
    k.press(KeyCode::Char('F')).typed("MERRIWEATHER dash");
    k.enter();
    let shown = screen(k.app, 100, 30);
    assert!(shown.contains("Cases (2)"), "{shown}");
    k.enter();
    assert_eq!(k.app.screen, ScreenId::Case);
    // Initials only: no name nor date of birth in the results.
    k.app.update(Action::Initials);
    k.app.run_command("find merri");
    let shown = screen(k.app, 100, 30);
    assert!(!shown.contains("Merriweather") && !shown.contains("born"), "{shown}");
}

/// The meeting of the keystroke figures in the README: ten children, four of them new.
#[test]
fn a_lift_meeting_with_ten_children_four_of_them_new_by_keyboard() {
    let mut app = app();
    let known: Vec<String> = app
        .store
        .reader()
        .child_choices()
        .unwrap()
        .into_iter()
        .filter(|c| c.setting.is_some())
        .map(|c| c.last_name)
        .take(6)
        .collect();
    let before = count(&app, RecordKind::Referral);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n'));
    k.enter().enter(); // today, school
    k.typed("fern").enter().typed("larch").enter().press(KeyCode::Tab);
    k.typed("mixed").enter();
    k.typed("1").enter().typed("1").enter();
    k.ctrl('s');
    for last in &known {
        k.typed(&last.to_lowercase()[..4.min(last.len())]).enter();
        k.enter().enter(); // setting, phase: from the child
        k.typed("semh").enter().typed("semh").enter();
        k.typed("adv").enter();
        k.ctrl('s');
    }
    for (first, last) in [("Zara", "Newcombe"), ("Yusuf", "Okafor"), ("Ivy", "Lindqvist"), ("Tom", "Baker")] {
        k.typed(&format!("{first} {last}")).enter(); // "+ new child «...»": the name fills the form
        k.typed("3/4/16").enter();
        k.typed("fern").enter().enter(); // setting, phase
        k.typed("cog").enter().typed("mld").enter();
        k.typed("adv").enter();
        k.ctrl('s');
    }
    k.press(KeyCode::Esc);
    let total = k.count;
    assert_eq!(count(&app, RecordKind::Referral), before + 10, "{}", status(&app));
    println!("LIFT meeting with ten children, four new: {total} keystrokes");
}

#[test]
fn initials_hold_in_pickers_and_messages_can_be_read_whole() {
    let mut app = app();
    app.update(Action::Initials);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n')).ctrl('s');
    k.typed("merri");
    let shown = screen(k.app, 100, 30);
    assert!(shown.contains("D.M.") && !shown.contains("Merriweather") && !shown.contains("born"), "{shown}");
    k.press(KeyCode::Esc).press(KeyCode::Char('y')).press(KeyCode::Esc);
    // A message longer than the line is shortened there and whole in :messages.
    let long = format!("A long message {} the end", "that goes on and on ".repeat(8));
    k.app.say(long.clone());
    let shown = screen(k.app, 80, 24);
    assert!(shown.lines().last().unwrap().contains("(:messages)"), "{shown}");
    k.app.run_command("messages");
    let shown = screen(k.app, 80, 24);
    assert!(shown.contains("the end"), "{shown}");
    // Commands that belong elsewhere say where.
    k.press(KeyCode::Esc);
    k.app.run_command("export");
    assert!(status(k.app).contains("Returns screen: press 8, then x"), "{}", status(k.app));
    k.app.update(Action::Screen(ScreenId::Caseload));
    k.app.run_command("new");
    assert!(status(k.app).contains("A case is opened from a referral"), "{}", status(k.app));
}

#[test]
fn a_case_takes_notes_visits_with_a_purpose_and_reviews_of_one_target() {
    let mut app = app();
    // An active case: it has a target to review.
    let row = open_case_where(&mut app, |r| r.status == caseload::domain::CaseStatus::Active);
    let detail = app.store.reader().case_detail(row.id).unwrap().unwrap();
    assert!(detail.targets.iter().any(|t| t.ended.is_none()), "the case has a target to review");
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('w')).typed("Phoned the SENCo: the calm box is used daily.").ctrl('s');
    assert!(
        status(k.app).contains("Added a note on the case of"),
        "{}\n{}",
        status(k.app),
        screen(k.app, 100, 30)
    );
    k.press(KeyCode::Char('v')).enter().enter(); // today, by the teacher
    k.typed("obs").enter().typed("Watched a maths lesson").ctrl('s');
    k.press(KeyCode::Char('r')).enter(); // today
    k.typed("amen").enter();
    k.press(KeyCode::Down).enter(); // the first target listed
    k.ctrl('s');
    k.app.prepare();
    let shown = screen(k.app, 140, 40);
    assert!(shown.contains("Note (") && shown.contains("the calm box is used daily"), "{shown}");
    assert!(
        shown.contains("Visit (observation) by") && shown.contains(": Watched a maths lesson"),
        "{shown}"
    );
    let detail = k.app.store.reader().case_detail(row.id).unwrap().unwrap();
    let review = detail.reviews.iter().max_by_key(|r| r.date).unwrap();
    assert!(review.target.is_some(), "{review:?}");
    let reviewed = detail.targets.iter().find(|t| Some(&t.key) == review.target.as_ref()).unwrap();
    assert!(
        shown.contains(&format!("Target reviewed, \"{}", &reviewed.text[..20.min(reviewed.text.len())])),
        "{shown}"
    );
    // All of it in the records file.
    let dump = common::dump_of(&k.app.store);
    assert!(dump.lines().any(|l| l.contains("\"type\":\"case_note\"") && l.contains("calm box")));
    assert!(dump.lines().any(|l| l.contains("\"purpose\":\"observation\"")));
    assert!(dump.lines().any(|l| l.contains("\"type\":\"review\"") && l.contains("\"target\":")));
}

#[test]
fn figures_typed_with_misplaced_commas_or_in_exponent_form_are_refused_saying_how_to_type_them() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Returns));
    app.prepare();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('m'));
    // The sixth field is the core budget (after the survey's figures): £1,2,3 would be stored as 123.
    k.enter().enter().enter().enter().enter().typed("£1,2,3").ctrl('s');
    assert!(screen(k.app, 200, 24).contains("groups of three"), "{}", screen(k.app, 200, 24));
    // What is typed next replaces the refused figure, it is not added to its end.
    k.typed("1e3");
    let form = &k.app.editor.as_ref().unwrap().form;
    assert_eq!(form.fields[form.focus].input.text, "1e3");
    k.ctrl('s');
    assert!(screen(k.app, 200, 24).contains("exponent form"), "{}", screen(k.app, 200, 24));
    let stored =
        k.app.store.reader().manual_measures("2023-24".parse().unwrap(), "T3".parse().unwrap()).unwrap();
    assert!(stored.iter().all(|m| m.id != "budget.core"), "{stored:?}");
}

#[test]
fn a_note_too_long_to_save_says_why_on_the_screen_and_keeps_the_text() {
    let mut app = app();
    open_case_where(&mut app, |_| true);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('w'));
    // Pasted (one step), as a long text usually arrives.
    k.app.paste(&"x".repeat(4001));
    k.ctrl('s');
    assert!(k.app.editor.is_some(), "not saved: the form stays");
    assert_eq!(
        k.app.editor.as_ref().unwrap().form.text(caseload::tui::field_id::TEXT).len(),
        4001,
        "the text is kept"
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let shown = screen(k.app, w, h);
        assert!(shown.contains("at most 4000 are allowed"), "{w}x{h}:\n{shown}");
    }
}

/// `line` with the folder (and the blanks after it) replaced by `<documents>` padded to the same
/// width, so what follows stays in its column.
fn documents_redacted(line: &str, folder: &str) -> String {
    let Some(at) = line.find(folder) else { return line.to_string() };
    let rest = &line[at + folder.len()..];
    let blanks = rest.len() - rest.trim_start_matches(' ').len();
    let width = folder.chars().count() + blanks;
    format!("{}{:<width$}{}", &line[..at], "<documents>", &rest[blanks..])
}

#[test]
fn a_paste_into_the_find_box_is_typed_there_and_outside_a_box_runs_no_command() {
    let mut app = app();
    app.paste("quit");
    assert!(!app.quit, "a paste outside a form or box is not keys");
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('F'));
    k.app.paste("Qzx\nquit");
    assert!(!k.app.quit);
    let shown = screen(k.app, 100, 30);
    assert!(shown.contains("Qzxquit"), "the pasted text is in the box, on one line:\n{shown}");
}
