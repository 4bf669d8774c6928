//! The LIFT flow and the forms' refusals, by keys as a person types them: an untouched meeting
//! is never saved, a discarded referral keeps the meeting, an allocated referral is saved with its
//! case or not at all, a child with an open case is allocated on it, a saved meeting takes more
//! children; implausible values are refused beside their field, a child recorded already is
//! offered before a second is added, and a clashing change of teacher is named.

mod common;

use caseload::domain::{Date, RecordKind, ReferralOutcome};
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use common::app::{Keys, app, app_on, count, status, today};
use ratatui::crossterm::event::KeyCode;

fn form(app: &App) -> &caseload::tui::form::Form {
    &app.editor.as_ref().expect("a form is open").form
}

/// Sets a field of the open editor's form directly (a value no picker offers).
fn set_field(app: &mut App, field: caseload::tui::field_id::FieldId, value: &str) {
    app.editor.as_mut().unwrap().form.field_mut(field).unwrap().set(value);
}

fn problem(app: &App, field: caseload::tui::field_id::FieldId) -> String {
    form(app).field(field).and_then(|f| f.problem.clone()).unwrap_or_default()
}

fn counts(app: &App) -> [i64; 5] {
    [
        RecordKind::LiftMeeting,
        RecordKind::Referral,
        RecordKind::Case,
        RecordKind::Allocation,
        RecordKind::Child,
    ]
    .map(|k| count(app, k))
}

/// A meeting with one setting attending, saved; the referral form is open.
fn meeting_with_a_setting(k: &mut Keys<'_>) {
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n'));
    k.enter().enter(); // today, school
    k.typed("fern").enter();
    k.ctrl('s');
    assert!(status(k.app).starts_with("Saved the LIFT meeting"), "{}", status(k.app));
}

/// Picks a known child by surname in the referral form and fills it up to the outcome.
fn known_child_referral(k: &mut Keys<'_>, surname: &str, outcome: &str) {
    k.typed(&surname.to_lowercase()).enter(); // child
    k.enter().enter(); // setting, phase: from the child
    k.typed("semh").enter().typed("semh").enter();
    k.typed(outcome).enter();
}

#[test]
fn an_untouched_meeting_is_never_saved() {
    let mut app = app();
    let before = counts(&app);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n')).ctrl('s');
    assert!(form(k.app).title.starts_with("Referral 1"), "{}", form(k.app).title);
    assert_eq!(counts(k.app), before, "a meeting with no setting waits for its first child");
    k.press(KeyCode::Esc);
    assert!(k.app.editor.is_none());
    assert!(status(k.app).starts_with("No LIFT meeting saved"), "{}", status(k.app));
    assert_eq!(counts(k.app), before);
    // ... and the Dashboard has nothing more to count.
    k.app.update(Action::Screen(ScreenId::Dashboard));
    k.app.prepare();
    let r = k.app.screens.dashboard.figures().unwrap();
    let count = |id: &str| r.get(id).and_then(|m| m.value()).unwrap_or(0.0) as i64;
    let meetings = count("lift_meetings.school") + count("lift_meetings.early_years");
    let stored = k.app.store.reader().meetings().unwrap();
    let term = Date::parse_iso("2024-01-03").unwrap()..=today();
    let in_term = stored.iter().filter(|m| term.contains(&m.meeting.date)).count();
    assert_eq!(meetings, in_term as i64);
}

#[test]
fn a_meeting_with_no_setting_is_saved_with_its_first_child() {
    let mut app = app();
    let before = counts(&app);
    let surname = app.store.reader().child_choices().unwrap()[0].last_name.clone();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n')).ctrl('s');
    known_child_referral(&mut k, &surname, "adv");
    k.ctrl('s');
    assert_eq!(counts(k.app)[..2], [before[0] + 1, before[1] + 1], "{}", status(k.app));
    let meeting =
        k.app.store.reader().meetings().unwrap().into_iter().find(|m| m.meeting.date == today()).unwrap();
    assert_eq!(meeting.referrals, 1);
}

#[test]
fn discarding_a_half_typed_referral_returns_to_the_meeting() {
    let mut app = app();
    let children = app.store.reader().child_choices().unwrap();
    let mut k = Keys { app: &mut app, count: 0 };
    meeting_with_a_setting(&mut k);
    let before = counts(k.app);
    known_child_referral(&mut k, &children[0].last_name, "adv");
    k.press(KeyCode::Esc);
    assert!(form(k.app).confirm_leave, "asks before discarding what was typed");
    k.press(KeyCode::Char('y'));
    let f = form(k.app);
    assert!(f.title.starts_with("Referral 1 at this meeting"), "{}", f.title);
    assert!(f.message.as_deref().unwrap_or("").contains("discarded"), "{:?}", f.message);
    assert!(f.picked(caseload::tui::field_id::CHILD).is_none(), "a fresh referral");
    assert_eq!(counts(k.app), before);
    // The meeting's remaining children can still be added.
    known_child_referral(&mut k, &children[1].last_name, "adv");
    k.ctrl('s');
    assert_eq!(counts(k.app)[1], before[1] + 1, "{}", status(k.app));
    k.press(KeyCode::Esc);
    assert!(status(k.app).contains("1 referral and 0 new cases saved"), "{}", status(k.app));
    // The list shows the meeting just saved selected, not the one selected before.
    k.app.prepare();
    use caseload::tui::screens::Screen;
    match k.app.screens.lift.selected_record() {
        Some(caseload::domain::Record::LiftMeeting(m)) => assert_eq!(m.date, today()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_allocated_referral_is_saved_with_its_case_or_not_at_all() {
    let mut app = app();
    let mut k = Keys { app: &mut app, count: 0 };
    meeting_with_a_setting(&mut k);
    let before = counts(k.app);
    // A new child, allocated: the case form comes first and nothing is saved yet.
    k.typed("Zoe Quartermain").enter();
    k.typed("3/4/16").enter();
    k.typed("fern").enter().enter();
    k.typed("semh").enter().typed("semh").enter();
    k.typed("allo").enter();
    k.ctrl('s');
    assert_eq!(form(k.app).title, "Open the case");
    assert_eq!(counts(k.app), before, "nothing saved before the case");
    // Esc goes back to the referral as typed, still unsaved.
    k.press(KeyCode::Esc);
    let f = form(k.app);
    assert!(f.title.starts_with("Referral 1"), "{}", f.title);
    assert_eq!(f.text(caseload::tui::field_id::LAST_NAME), "Quartermain", "what was typed is kept");
    assert_eq!(f.picked(caseload::tui::field_id::OUTCOME).as_deref(), Some("allocated"));
    assert_eq!(counts(k.app), before);
    // A case that cannot be saved (opened in the future) saves nothing of the referral either.
    k.ctrl('s');
    k.typed("semh").enter();
    k.typed("1/1/99").enter();
    k.ctrl('s');
    assert!(
        problem(k.app, caseload::tui::field_id::OPENED).contains("cannot be in the future"),
        "{}",
        problem(k.app, caseload::tui::field_id::OPENED)
    );
    assert_eq!(counts(k.app), before, "referral, child, case and allocation: all or nothing");
    // Corrected: all four are saved together.
    k.app.editor.as_mut().unwrap().form.field_mut(caseload::tui::field_id::OPENED).unwrap().set("today");
    k.ctrl('s');
    let after = counts(k.app);
    assert_eq!(after[1..], [before[1] + 1, before[2] + 1, before[3] + 1, before[4] + 1], "{}", status(k.app));
    assert!(status(k.app).contains("with a new case"), "{}", status(k.app));
    // The new child is named, not given by key.
    assert!(status(k.app).contains("Saved the referral of Zoe Quartermain"), "{}", status(k.app));
}

#[test]
fn allocated_for_a_child_with_an_open_case_allocates_on_that_case() {
    let mut app = app();
    let reader = app.store.reader();
    let row = reader
        .case_rows(today())
        .unwrap()
        .into_iter()
        .find(|r| r.is_open() && r.teacher_id.is_some())
        .unwrap();
    let detail = reader.case_detail(row.id).unwrap().unwrap();
    let old = caseload::tui::editors::case::current_allocation(&detail, today()).unwrap().clone();
    let other = common::app::another_teacher(&app.store, today(), Some(&old.staff));
    let surname = row.last_name.clone();
    let mut k = Keys { app: &mut app, count: 0 };
    meeting_with_a_setting(&mut k);
    let before = counts(k.app);
    known_child_referral(&mut k, &surname, "allo");
    k.ctrl('s');
    assert_eq!(form(k.app).title, "Allocate on the open case");
    assert!(form(k.app).note.as_deref().unwrap().contains(&row.key), "{:?}", form(k.app).note);
    let staff = form(k.app).field(caseload::tui::field_id::STAFF).unwrap();
    assert_eq!(staff.picked(), Some(old.staff.as_str()), "the case's teacher is offered first");
    // Another teacher from the meeting's day: the old allocation ends the day before.
    k.app.editor.as_mut().unwrap().form.field_mut(caseload::tui::field_id::STAFF).unwrap().set(&other.key);
    k.ctrl('s');
    assert_eq!(counts(k.app)[1..4], [before[1] + 1, before[2], before[3] + 1], "{}", status(k.app));
    let detail = k.app.store.reader().case_detail(row.id).unwrap().unwrap();
    let ended = detail.allocations.iter().find(|a| a.record.key == old.key).unwrap();
    assert_eq!(ended.record.end, Some(today().pred()));
    let now = caseload::tui::editors::case::current_allocation(&detail, today()).unwrap();
    assert_eq!(now.staff, other.key);
    assert!(k.app.store.reader().rule_violations().unwrap().is_empty());
    let referral = k.app.store.reader().discussed(
        k.app.store.reader().meetings().unwrap().iter().find(|m| m.meeting.date == today()).unwrap().id,
    );
    let referral = referral.unwrap()[0].referral.clone();
    assert_eq!(referral.outcome, Some(ReferralOutcome::Allocated));
    // The referral is in the open case's chronology, with its meeting and outcome.
    let events = caseload::tui::screens::case::chronology(&detail);
    let line = events
        .iter()
        .find(|e| e.record == Some((RecordKind::Referral, referral.key.clone())))
        .unwrap_or_else(|| panic!("{events:?}"));
    assert_eq!(line.date, today());
    assert!(line.what.contains("LIFT meeting of") && line.what.contains("allocated"), "{}", line.what);
}

#[test]
fn a_saved_meetings_children_are_listed_and_n_adds_another() {
    let mut app = app();
    let surname = app.store.reader().child_choices().unwrap()[3].last_name.clone();
    app.update(Action::Screen(ScreenId::Lift));
    app.prepare();
    // The latest meeting held by today (the fixture's year has later ones).
    let at = app.screens.lift.meetings().iter().position(|m| m.meeting.date <= today()).unwrap();
    let meeting = app.screens.lift.meetings()[at].clone();
    for _ in 0..at {
        app.update(Action::Down);
    }
    app.update(Action::Open);
    assert_eq!(app.screens.lift.adding_to().map(|m| m.id), Some(meeting.id));
    assert_eq!(app.screens.lift.discussed().len() as i64, meeting.referrals);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('n'));
    let title = form(k.app).title.clone();
    assert_eq!(title, format!("Referral {} at this meeting", meeting.referrals + 1));
    known_child_referral(&mut k, &surname, "adv");
    // The meeting's date, not today: the referral was discussed there.
    assert_eq!(form(k.app).date(caseload::tui::field_id::RECEIVED), Some(meeting.meeting.date));
    k.ctrl('s');
    k.press(KeyCode::Esc);
    k.app.prepare();
    let again = k.app.store.reader().meetings().unwrap().into_iter().find(|m| m.id == meeting.id).unwrap();
    assert_eq!(again.referrals, meeting.referrals + 1);
    assert_eq!(k.app.screens.lift.discussed().len() as i64, meeting.referrals + 1, "the list shows it");
}

#[test]
fn values_that_cannot_be_true_are_refused_beside_their_field() {
    let mut app = app();
    let mut k = Keys { app: &mut app, count: 0 };
    // A LIFT meeting dated after today.
    k.press(KeyCode::Char('4')).press(KeyCode::Char('n'));
    k.typed("1/1/99").enter().enter().typed("fern").enter();
    k.ctrl('s');
    assert!(
        problem(k.app, caseload::tui::field_id::DATE).contains("after today"),
        "{}",
        problem(k.app, caseload::tui::field_id::DATE)
    );
    k.app.editor.as_mut().unwrap().form.field_mut(caseload::tui::field_id::DATE).unwrap().set("today");
    k.ctrl('s');
    // A new child born in the future.
    let before = counts(k.app);
    k.typed("Fay Forward").enter();
    k.typed("1/1/2099").enter();
    k.typed("fern").enter().enter();
    k.typed("semh").enter().typed("semh").enter().typed("adv").enter();
    k.ctrl('s');
    let dob = problem(k.app, caseload::tui::field_id::DOB);
    assert!(dob.contains("after today") && !dob.contains("2099"), "{dob}");
    assert_eq!(counts(k.app), before);
    k.press(KeyCode::Esc).press(KeyCode::Char('y')).press(KeyCode::Esc);

    // A target set tomorrow and a case closed next year, on the Case screen.
    k.app.update(Action::Screen(ScreenId::Caseload));
    k.app.prepare();
    k.app.update(Action::Open);
    k.app.prepare();
    k.press(KeyCode::Char('t')).typed("Reads a visual timetable").enter().typed("tomorrow");
    k.app
        .editor
        .as_mut()
        .unwrap()
        .form
        .field_mut(caseload::tui::field_id::SET)
        .unwrap()
        .set(&today().succ().to_string());
    k.ctrl('s');
    assert!(
        problem(k.app, caseload::tui::field_id::SET).contains("after today"),
        "{}",
        problem(k.app, caseload::tui::field_id::SET)
    );
    k.press(KeyCode::Esc).press(KeyCode::Char('y'));
    k.press(KeyCode::Char('c')).typed("1/1/99").enter().typed("oth").enter();
    k.ctrl('s');
    assert!(
        problem(k.app, caseload::tui::field_id::CLOSED).contains("after today"),
        "{}",
        problem(k.app, caseload::tui::field_id::CLOSED)
    );
}

#[test]
fn a_child_recorded_already_is_offered_before_a_second_is_added() {
    let mut app = app();
    let twin = app.store.reader().child_choices().unwrap()[2].clone();
    let dob = format!("{}/{}/{}", twin.dob.day(), twin.dob.month(), twin.dob.year());
    let mut k = Keys { app: &mut app, count: 0 };
    meeting_with_a_setting(&mut k);
    let add_the_twin = |k: &mut Keys<'_>| {
        // The first name alone: children of that name, then "+ new child «...»" last.
        k.typed(&twin.first_name.to_uppercase()).press(KeyCode::End).enter();
        k.typed(&format!(" {}", twin.last_name)).enter();
        k.typed(&dob).enter();
        k.typed("fern").enter().enter();
        k.typed("semh").enter().typed("semh").enter().typed("adv").enter();
        k.ctrl('s');
    };
    let before = counts(k.app);
    add_the_twin(&mut k);
    let message = form(k.app).message.clone().unwrap_or_default();
    assert!(message.contains("is already recorded") && message.contains(&twin.last_name), "{message}");
    assert_eq!(counts(k.app), before, "nothing saved before the answer");
    // Enter uses the child already recorded.
    k.enter();
    assert_eq!(form(k.app).picked(caseload::tui::field_id::CHILD).as_deref(), Some(twin.key.as_str()));
    k.ctrl('s');
    assert_eq!(counts(k.app)[1], before[1] + 1);
    assert_eq!(counts(k.app)[4], before[4], "no second child");
    // Asked again, Ctrl-S adds a second child with that name and date of birth.
    add_the_twin(&mut k);
    assert!(form(k.app).message.as_deref().unwrap_or("").contains("is already recorded"));
    k.ctrl('s');
    assert_eq!(counts(k.app)[4], before[4] + 1, "{}", status(k.app));
}

#[test]
fn a_new_teacher_from_the_current_teachers_first_day_is_refused_naming_the_clash() {
    let day = Date::parse_iso("2024-09-10").unwrap();
    let mut app = app_on(day);
    let reader = app.store.reader();
    let row =
        reader.case_rows(day).unwrap().into_iter().find(|r| r.is_open() && r.teacher_id.is_some()).unwrap();
    let detail = reader.case_detail(row.id).unwrap().unwrap();
    let old = caseload::tui::editors::case::current_allocation(&detail, day).unwrap().clone();
    let other = common::app::another_teacher(&app.store, day, Some(&old.staff));
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    while app.screens.caseload.selected().map(|r| r.id) != Some(row.id) {
        app.update(Action::Down);
    }
    app.update(Action::Open);
    app.prepare();
    let before = common::dump_of(&app.store);
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('a')).typed(&other.name.to_lowercase()).enter();
    set_field(k.app, caseload::tui::field_id::START, &old.start.to_string());
    k.ctrl('s');
    let why = problem(k.app, caseload::tui::field_id::START);
    let shown = common::app::screen(k.app, 100, 30);
    assert!(why.contains("teacher since") && why.contains(&old.start.succ().uk()), "{why}\n{shown}");
    assert_eq!(common::dump_of(&k.app.store), before);
    // From the next day it is a change of teacher: one allocation in force on any day.
    set_field(k.app, caseload::tui::field_id::START, &old.start.succ().to_string());
    k.ctrl('s');
    let detail = k.app.store.reader().case_detail(row.id).unwrap().unwrap();
    for a in &detail.allocations {
        for b in &detail.allocations {
            if a.record.key < b.record.key {
                let overlap = caseload::domain::rules::periods_overlap(
                    (a.record.start, a.record.end),
                    (b.record.start, b.record.end),
                );
                assert!(!overlap, "{:?} and {:?}", a.record, b.record);
            }
        }
    }
}
