//! The seed's practices in the application: a LIFT meeting planned ahead, group work, the
//! county's monitoring meetings with actions followed from one to the next, and SENIF on a case.

mod common;

use caseload::domain::{ActionStatus, LiftStatus, Record, RecordKind};
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use caseload::tui::field_id::{self as id, FieldId};
use common::app::{Keys, app, count, open_case_where, screen, status};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn set(app: &mut App, field: FieldId, value: &str) {
    app.editor
        .as_mut()
        .expect("a form is open")
        .form
        .field_mut(field)
        .expect("the form has the field")
        .set(value);
}

fn field(app: &App, field: FieldId) -> String {
    let form = &app.editor.as_ref().expect("a form is open").form;
    form.picked(field).unwrap_or_else(|| form.text(field))
}

fn save(app: &mut App) {
    app.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
}

/// Adds records to the app's district, as an import would.
fn with(app: &mut App, lines: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("more.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    common::import(&mut app.store, &file);
    app.update(Action::Refresh);
}

fn records(app: &App, kind: RecordKind) -> Vec<Record> {
    common::dump_of(&app.store)
        .lines()
        .map(|l| serde_json::from_str::<Record>(l).unwrap())
        .filter(|r| r.kind() == kind)
        .collect()
}

#[test]
fn a_meeting_planned_ahead_is_saved_without_children_and_listed_as_planned() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Lift));
    let before = count(&app, RecordKind::LiftMeeting);
    Keys { app: &mut app, count: 0 }.press(KeyCode::Char('n'));
    set(&mut app, id::DATE, "2024-03-14");
    set(&mut app, id::STATUS, "planned");
    set(&mut app, id::DEADLINE, "2024-02-29");
    save(&mut app);
    assert!(app.editor.is_none(), "the form closes: a planned meeting has no children yet");
    assert!(status(&app).contains("planned LIFT meeting of 14 Mar 2024"), "{}", status(&app));
    assert_eq!(count(&app, RecordKind::LiftMeeting), before + 1);
    let planned = records(&app, RecordKind::LiftMeeting)
        .into_iter()
        .find_map(|r| match r {
            Record::LiftMeeting(m) if m.date.to_string() == "2024-03-14" => Some(m),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (planned.status, planned.deadline.map(|d| d.to_string())),
        (LiftStatus::Planned, Some("2024-02-29".into()))
    );
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("planned"), "the list says so:\n{text}");
    assert!(
        text.contains("referrals due by 29 Feb 2024"),
        "the meeting says when referrals are due:\n{text}"
    );
}

#[test]
fn group_work_is_recorded_from_its_list() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Work));
    for _ in 0..3 {
        app.update(Action::NextList);
    }
    let before = count(&app, RecordKind::GroupWork);
    app.update(Action::New);
    let setting = app.editor.as_ref().unwrap().lists.settings[0].clone();
    set(&mut app, id::SETTING, &setting.key);
    set(&mut app, id::CHILDREN, "7");
    set(&mut app, id::AREA, "semh");
    save(&mut app);
    assert!(app.editor.is_none(), "{}", status(&app));
    assert_eq!(count(&app, RecordKind::GroupWork), before + 1);
    let text = screen(&mut app, 120, 30);
    assert!(
        text.contains(&setting.name) && text.contains(" 7 "),
        "the new session is listed and selected:\n{text}"
    );
}

#[test]
fn a_new_monitoring_meeting_follows_up_the_last_ones_open_actions() {
    let mut app = app();
    with(
        &mut app,
        &[
            r#"{"type":"monitoring_meeting","key":"MM-T1","date":"2023-11-15","year":"2023-24","terms":"1-2","questions":["Why are early years referrals down?"],"actions":[{"key":"ACT-CAL","text":"Share the LIFT calendar with SENCos","owner":"District lead","due":"2024-01-31","status":"open"},{"key":"ACT-OLD","text":"Check the register","status":"done"}]}"#,
        ],
    );
    app.update(Action::Screen(ScreenId::Work));
    for _ in 0..4 {
        app.update(Action::NextList);
    }
    app.update(Action::New);
    let [key, text, owner, _, _] = id::ACTIONS[0];
    assert_eq!(field(&app, key), "ACT-CAL", "the open action is carried, under its own key");
    assert_eq!(field(&app, text), "Share the LIFT calendar with SENCos");
    assert_eq!(field(&app, owner), "District lead");
    assert_eq!(field(&app, id::ACTIONS[1][1]), "", "a done action is not carried");
    assert_eq!(
        (field(&app, id::YEAR), field(&app, id::TERMS)),
        ("2023-24".to_string(), "1-2".to_string()),
        "a meeting in February reviews terms 1 and 2, the last pair ended"
    );
    set(&mut app, id::ACTIONS[0][4], "done");
    set(&mut app, id::ACTIONS[1][1], "Bring the group work figures");
    set(&mut app, id::QUESTIONS[0], "What has the calendar changed?");
    save(&mut app);
    assert!(app.editor.is_none(), "{}", status(&app));
    let meetings: Vec<_> = records(&app, RecordKind::MonitoringMeeting)
        .into_iter()
        .filter_map(|r| match r {
            Record::MonitoringMeeting(m) if m.key != "MM-T1" => Some(m),
            _ => None,
        })
        .collect();
    let [new] = meetings.as_slice() else { panic!("one new meeting: {meetings:?}") };
    assert_eq!(new.questions, ["What has the calendar changed?"]);
    assert_eq!((new.actions[0].key.as_str(), new.actions[0].status), ("ACT-CAL", ActionStatus::Done));
    assert_eq!(new.actions[1].key, format!("{}-A2", new.key), "a new action gets a key of its own");
    assert_eq!(new.actions[1].status, ActionStatus::Open);
}

#[test]
fn a_case_with_senif_cannot_be_closed_and_the_case_screen_says_why_it_is_open() {
    let mut app = app();
    // SENIF is early years' support.
    open_case_where(&mut app, |r| r.phase == caseload::domain::Phase::EarlyYears && r.closed.is_none());
    app.prepare();
    app.case_action(caseload::tui::editors::case::CaseAction::Edit);
    set(&mut app, id::SENIF, "yes");
    set(&mut app, id::OPEN_REASON, "senif");
    save(&mut app);
    assert!(app.editor.is_none(), "{}", screen(&mut app, 140, 30));
    // At the smallest size too: its own line, not cut off the end of another.
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("SENIF support") && text.contains("Kept open for senif support"), "{text}");
    app.prepare();
    app.update(Action::CloseCase);
    set(&mut app, id::CLOSURE_REASON, "moved_away");
    save(&mut app);
    let refused = screen(&mut app, 140, 30);
    assert!(app.editor.is_some() && refused.contains("SENIF"), "closing is refused, saying why:\n{refused}");
}

/// A meeting with more actions than a form usually shows is edited whole: the form has a row for
/// each (and two free), and saving it unchanged keeps every one.
#[test]
fn a_meeting_with_many_actions_keeps_them_all_when_edited() {
    use caseload::tui::editors::spec::{self, On};
    let mut app = app();
    let actions: Vec<String> =
        (1..=9).map(|n| format!(r#"{{"key":"A{n}","text":"Action number {n}","status":"open"}}"#)).collect();
    let line = format!(
        r#"{{"type":"monitoring_meeting","key":"MM-BIG","date":"2024-01-20","year":"2023-24","terms":"1-2","actions":[{}]}}"#,
        actions.join(",")
    );
    with(&mut app, &[&line]);
    let meeting =
        records(&app, RecordKind::MonitoringMeeting).into_iter().find(|r| r.key() == "MM-BIG").unwrap();
    let lists = caseload::tui::editors::lists(&app.store).unwrap();
    let form_spec = spec::of(RecordKind::MonitoringMeeting).unwrap();
    let on = On::new(&lists, common::app::today());
    let form = form_spec.form(Some(&meeting), &on);
    assert!(form.field(id::ACTIONS[10][1]).is_some() && form.field(id::ACTIONS[11][1]).is_none());
    let read = form_spec.read(&form, "unused".into(), Some(&meeting), &on).unwrap();
    assert_eq!(read, meeting, "nothing lost or changed");
}
