//! Editing keeps history intact: every record kind opened in its form and saved unchanged is
//! stored exactly as it was, including records whose setting has since closed, whose teacher has
//! left, and whose dates lie years back.

mod common;

use caseload::domain::{Date, Record, RecordKind};
use caseload::kpi::calendar::term_starts;
use caseload::kpi::framework;
use caseload::store::Store;
use caseload::tui::app::App;
use caseload::tui::editors::case::{self, CaseAction};
use caseload::tui::editors::records::form_for;
use caseload::tui::editors::returns::{ManualTarget, NoteTarget, manual_form, note_form, term_dates_form};
use caseload::tui::editors::{Editor, EditorOutcome, Purpose, lists};
use caseload::tui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

fn today() -> Date {
    common::TODAY.parse().unwrap()
}

/// A district with one record of every kind, and a second world around a setting that closed
/// and a teacher who left: everything that refers to them was recorded while they were there.
fn district() -> Store {
    let mut store = common::store_with_base();
    common::import(&mut store, &common::fixture("every_record.jsonl"));
    let lines = [
        r#"{"type":"setting","key":"S-GONE","name":"Old Mill Primary","phase":"primary","in_district":true,"urn":"119999","closed":"2024-03-31"}"#,
        r#"{"type":"staff","key":"T-LEFT","name":"Lee Left","role":"specialist_teacher","area":"cognition_learning","fte":0.6,"start":"2019-09-01","end":"2024-04-30"}"#,
        r#"{"type":"child","key":"C-GONE","first_name":"Gina","last_name":"Mill","dob":"2015-05-05","upn":"B987654321098","setting":"S-GONE"}"#,
        r#"{"type":"lift_meeting","key":"L-GONE","date":"2024-01-22","kind":"school","settings":["S-GONE","S-OAK"],"professionals":{"educational_psychologist":1}}"#,
        r#"{"type":"referral","key":"R-GONE","child":"C-GONE","setting":"S-GONE","received":"2024-01-22","phase":"primary","area":"cognition_learning","need":"MLD","lift_meeting":"L-GONE","outcome":"allocated"}"#,
        r#"{"type":"case","key":"K-GONE","child":"C-GONE","setting":"S-GONE","phase":"primary","area":"cognition_learning","need":"MLD","opened":"2024-01-23","closed":"2024-03-28","closure_reason":"moved_away","referral":"R-GONE"}"#,
        r#"{"type":"allocation","key":"A-GONE","case":"K-GONE","staff":"T-LEFT","start":"2024-01-23"}"#,
        r#"{"type":"target","key":"G-GONE","case":"K-GONE","text":"Counts to twenty","set":"2024-01-30","ended":"2024-03-28"}"#,
        r#"{"type":"review","key":"V-GONE","case":"K-GONE","date":"2024-03-01","outcome":"amended","notes":"Moved on two steps.\nNext: number bonds."}"#,
        r#"{"type":"visit","key":"X-GONE","case":"K-GONE","date":"2024-02-12","staff":"T-LEFT"}"#,
        r#"{"type":"clinic","key":"CL-GONE","date":"2024-02-14","phase":"school","format":"surgery","settings":["S-GONE"],"cases_discussed":{"cognition_learning":3}}"#,
        r#"{"type":"training","key":"TR-GONE","date":"2024-02-20","title":"Precision teaching","kind":"core","phase":"primary","status":"delivered","settings":["S-GONE","S-OAK"],"attendees":12}"#,
        r#"{"type":"transition","key":"TN-GONE","date":"2024-03-20","setting":"S-GONE","events":2}"#,
        r#"{"type":"manual_measure","year":"2023-24","term":3,"id":"narrative.code","value":"007"}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gone.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    common::import(&mut store, &file);
    store
}

fn ctrl_s() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
}

/// Saves an editor's form as it opened; the status it reports.
fn save_unchanged(mut editor: Editor, store: &mut Store, what: &str) -> String {
    editor.read_mark = store.reader().audit_mark().unwrap();
    match editor.key(&ctrl_s(), store, today()) {
        EditorOutcome::Saved { status, .. } => status,
        other => panic!(
            "{what}: the unchanged form did not save ({other:?}); problems: {:?} {:?}",
            editor
                .form
                .fields
                .iter()
                .filter_map(|f| f.problem.clone().map(|p| (f.id, p)))
                .collect::<Vec<_>>(),
            editor.form.message
        ),
    }
}

/// The stored records by (type, key): what must not change.
fn records(store: &Store) -> BTreeMap<(String, String), String> {
    common::dump_of(store)
        .lines()
        .map(|line| {
            let record: Record = serde_json::from_str(line).unwrap();
            ((record.kind().code().to_string(), record.key()), line.to_string())
        })
        .collect()
}

#[test]
fn every_record_kind_survives_an_unchanged_edit_byte_for_byte() {
    let mut store = district();
    let before = records(&store);
    let mut kinds_saved = std::collections::BTreeSet::new();
    for ((_, key), line) in &before {
        let record: Record = serde_json::from_str(line).unwrap();
        let kind = record.kind();
        let lists = lists(&store).unwrap();
        let editor = match kind {
            RecordKind::Case => {
                let id = store.reader().case_id(key).unwrap().unwrap();
                let detail = store.reader().case_detail(id).unwrap().unwrap();
                let form = case::form(CaseAction::Edit, &detail, &lists, today());
                Editor::new(form, Purpose::Case { action: CaseAction::Edit, detail: Box::new(detail) }, lists)
            }
            RecordKind::ManualMeasure => {
                let Record::ManualMeasure(m) = &record else { unreachable!() };
                let stored = store.reader().manual_measures(m.year, m.term).unwrap();
                let target = ManualTarget::of(m.year, m.term, framework::for_year(m.year), &stored);
                Editor::new(manual_form(&target, today()), Purpose::Manual(target), Default::default())
            }
            RecordKind::MeasureNote => {
                let Record::MeasureNote(n) = &record else { unreachable!() };
                let target = NoteTarget {
                    year: n.year,
                    term: n.term,
                    id: n.id.clone(),
                    label: n.id.clone(),
                    stored: Some(n.clone()),
                };
                Editor::new(note_form(&target, today()), Purpose::Note(target), Default::default())
            }
            RecordKind::TermDates => {
                let Record::TermDates(t) = &record else { unreachable!() };
                let starts = term_starts(store.reader(), t.year).unwrap();
                Editor::new(term_dates_form(&starts, today()), Purpose::TermDates(t.year), Default::default())
            }
            RecordKind::District => continue,
            _ => {
                let form = form_for(kind, Some(&record), &lists, today())
                    .unwrap_or_else(|| panic!("{kind:?} has no edit form"));
                Editor::new(form, Purpose::Record { kind, original: Some(record.clone()) }, lists)
            }
        };
        save_unchanged(editor, &mut store, &format!("{kind:?} {key}"));
        kinds_saved.insert(kind.code());
        let after = records(&store);
        let diff: Vec<_> = after.iter().filter(|(k, v)| before.get(*k) != Some(*v)).collect();
        assert!(diff.is_empty(), "saving {kind:?} {key} unchanged changed: {diff:#?}\nwas: {line}");
        assert_eq!(after.len(), before.len(), "saving {kind:?} {key} added or removed a record");
    }
    // Every kind with a form was tried (the district is renamed from the palette, below).
    assert_eq!(kinds_saved.len(), RecordKind::ALL.len() - 1, "{kinds_saved:?}");
}

#[test]
fn the_district_renamed_to_its_own_name_is_unchanged() {
    let store = district();
    let before = common::dump_of(&store);
    let mut app = App::new(store, today(), Theme::plain()).unwrap();
    app.run_command("district Test District");
    assert!(!app.status.as_ref().unwrap().error);
    assert_eq!(common::dump_of(&app.store), before);
}

#[test]
fn an_edit_offers_what_was_valid_on_the_records_date_and_what_it_holds() {
    let store = district();
    let lists = lists(&store).unwrap();
    // The closed setting is offered for the meeting it attended, not for a new meeting today.
    let meeting = common::dump_of(&store)
        .lines()
        .map(|l| serde_json::from_str::<Record>(l).unwrap())
        .find(|r| r.key() == "L-GONE")
        .unwrap();
    let form = form_for(RecordKind::LiftMeeting, Some(&meeting), &lists, today()).unwrap();
    assert_eq!(form.picked_many(caseload::tui::field_id::SETTINGS), ["S-GONE", "S-OAK"]);
    let new = form_for(RecordKind::LiftMeeting, None, &lists, today()).unwrap();
    let offered = |f: &caseload::tui::form::Form| {
        format!("{:?}", f.field(caseload::tui::field_id::SETTINGS).unwrap().kind)
    };
    assert!(!offered(&new).contains("S-GONE"), "a closed setting is not offered for a new record");
    // The teacher who left is offered on their own allocation, not for a new one.
    let choices = |held: Option<&str>| lists.teacher_choices(today(), held);
    assert!(!choices(None).iter().any(|c| c.value == "T-LEFT"));
    assert!(choices(Some("T-LEFT")).iter().any(|c| c.value == "T-LEFT"));
}

/// Creating and editing a record use the one form of its kind: a new record's fields are the
/// edit form's, in the same order and with the same labels (editing may add a field a new record
/// cannot have yet: a target's end, a case's closing).
#[test]
fn a_new_record_and_an_edited_one_have_the_same_form() {
    use caseload::tui::editors::spec::{self, On};
    let store = district();
    let lists = lists(&store).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for line in common::dump_of(&store).lines() {
        let record: Record = serde_json::from_str(line).unwrap();
        let Some(form_spec) = spec::of(record.kind()) else { continue };
        // A record of a case is made on its case's screen.
        let case_key = match &record {
            Record::Allocation(a) => Some(a.case.clone()),
            Record::Target(t) => Some(t.case.clone()),
            Record::Review(r) => Some(r.case.clone()),
            Record::Visit(v) => Some(v.case.clone()),
            Record::CaseNote(n) => Some(n.case.clone()),
            Record::Case(c) => Some(c.key.clone()),
            _ => None,
        };
        let detail = case_key.map(|k| {
            let id = store.reader().case_id(&k).unwrap().unwrap();
            store.reader().case_detail(id).unwrap().unwrap()
        });
        let on = On::new(&lists, today()).on_case(detail.as_ref());
        let shape = |fields: Vec<caseload::tui::form::Field>| -> Vec<(String, String)> {
            fields.iter().map(|f| (f.field_id().as_str().to_string(), f.label.clone())).collect()
        };
        let new = shape(form_spec.fields(None, &on));
        let edit = shape(form_spec.fields(Some(&record), &on));
        let mut rest = edit.iter();
        assert!(
            new.iter().all(|f| rest.any(|e| e == f)),
            "{:?}: the new form {new:?} is not the edit form {edit:?} less some fields",
            record.kind()
        );
        assert!(!new.is_empty(), "{:?} has a form for a new record", record.kind());
        kinds.insert(record.kind().code());
    }
    assert!(kinds.len() >= 14, "every kind with a form was tried: {kinds:?}");
}
