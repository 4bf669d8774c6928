//! The monitoring cycle from the Returns screen to the files: the narrative typed over several
//! lines under the county's headings, notes and "not collected" on a figure, manual figures
//! checked against their units, and all of it in every export format.

mod common;

use calamine::{Data, Reader as _, Xlsx};
use caseload::domain::{AcademicYear, Date, ManualValue, Scope, Term};
use caseload::export::{Format, Suppression, render};
use caseload::import::{ImportError, ImportOptions, import_file};
use caseload::kpi::framework;
use caseload::kpi::report::{Request, Return, build};
use caseload::store::Store;
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use common::app::{Keys, app, screen, status, today};
use ratatui::crossterm::event::KeyCode;
use std::io::Read;

fn year() -> AcademicYear {
    "2023-24".parse().unwrap()
}

fn t(n: u8) -> Term {
    Term::new(n).unwrap()
}

/// The return of a period as the files have it, made after the year (every term over).
fn report(store: &Store, span: Scope, framework: &str) -> Return {
    let request = Request {
        year: year(),
        span,
        framework: framework::find(framework).unwrap(),
        generated_at: String::new(),
        today: Date::parse_iso("2024-09-02").unwrap(),
    };
    build(store.reader(), &request).unwrap()
}

fn json(r: &Return) -> serde_json::Value {
    serde_json::from_slice(&render(r, Format::Json, Suppression::default(), true).unwrap()).unwrap()
}

fn measure<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["measures"].as_array().unwrap().iter().find(|m| m["id"] == id).unwrap_or_else(|| panic!("{id}"))
}

/// The CSV's rows as maps from column title to cell.
fn csv_rows(r: &Return) -> Vec<std::collections::HashMap<String, String>> {
    let bytes = render(r, Format::Csv, Suppression::default(), true).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    reader
        .records()
        .map(|row| header.iter().cloned().zip(row.unwrap().iter().map(str::to_string)).collect())
        .collect()
}

fn returns_screen() -> App {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Returns));
    app.prepare();
    app
}

/// Moves the Returns screen's cursor to a measure.
fn select(k: &mut Keys<'_>, id: &str) {
    for _ in 0..400 {
        if k.app.screens.returns.selected_measure().is_some_and(|m| m.id == id) {
            return;
        }
        k.press(KeyCode::Down);
    }
    panic!("{id} is not on the Returns screen");
}

#[test]
fn the_narrative_is_typed_over_several_lines_and_exported_in_full() {
    let mut app = returns_screen();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('w'));
    let shown = screen(k.app, 100, 30);
    assert!(shown.contains("Narrative 2023-24 T3") && shown.contains("Anomalies and exceptions"), "{shown}");
    // Transition: two lines.
    k.typed("Two new LIFT chairs.").enter().typed("Transition days moved to June.");
    // Process changes.
    k.press(KeyCode::Tab).typed("A new referral form.");
    // The year's reflections, the last heading.
    k.press(KeyCode::Tab).press(KeyCode::BackTab).press(KeyCode::BackTab).press(KeyCode::BackTab);
    k.typed("A year of growth.");
    k.ctrl('s');
    assert!(status(k.app).starts_with("Saved"), "{}", status(k.app));
    assert!(k.app.editor.is_some(), "the narrative stays open after a save");
    let stored = |app: &App, term: u8| app.store.reader().manual_measures(year(), t(term)).unwrap();
    let text = |app: &App, term: u8, id: &str| {
        stored(app, term).into_iter().find(|m| m.id == id).map(|m| m.value.to_string())
    };
    assert_eq!(
        text(k.app, 3, "narrative.transition").as_deref(),
        Some("Two new LIFT chairs.\nTransition days moved to June.")
    );
    assert_eq!(text(k.app, 3, "narrative.process_changes").as_deref(), Some("A new referral form."));
    assert_eq!(text(k.app, 6, "narrative.reflections").as_deref(), Some("A year of growth."), "kept with T6");
    assert_eq!(text(k.app, 3, "narrative.reflections"), None);

    // Esc with unsaved text asks first; a second Esc leaves without saving.
    k.typed(" More.");
    k.press(KeyCode::Esc);
    assert!(k.app.editor.is_some());
    assert!(screen(k.app, 100, 30).contains("Esc again leaves without saving"));
    k.press(KeyCode::Esc);
    assert!(k.app.editor.is_none());
    assert_eq!(text(k.app, 6, "narrative.reflections").as_deref(), Some("A year of growth."));

    // At most 4,000 characters under one heading.
    k.press(KeyCode::Char('w'));
    for _ in 0..4010 {
        k.press(KeyCode::Char('x'));
    }
    assert!(screen(k.app, 100, 30).contains("At most 4000 characters"));
    k.ctrl('s');
    let long = text(k.app, 3, "narrative.transition").unwrap();
    assert_eq!(long.chars().count(), 4000, "the text typed up to the limit is kept");
    k.press(KeyCode::Esc);

    // Every format carries the text in full.
    let store = &k.app.store;
    let term = report(store, Scope::Term(t(3)), "2023-24");
    assert_eq!(measure(&json(&term), "narrative.transition")["value"], long.as_str());
    assert_eq!(measure(&json(&term), "narrative.transition")["unit"], "text");
    let row = csv_rows(&term).into_iter().find(|r| r["id"] == "narrative.process_changes").unwrap();
    assert_eq!(row["value"], "A new referral form.");
    let whole = json(&report(store, Scope::Year, "2023-24"));
    assert_eq!(measure(&whole, "narrative.reflections")["value"], "A year of growth.");
    let monitoring = json(&report(store, Scope::Terms(t(3)), "2023-24"));
    let m = measure(&monitoring, "narrative.process_changes");
    assert!(m["value"].is_null(), "a text has no value for the whole period");
    assert_eq!(m["terms"]["T3"], "A new referral form.", "each term's text");
    let bytes = render(&term, Format::Xlsx, Suppression::default(), true).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Narrative").unwrap();
    assert!(sheet.rows().any(|r| r.iter().any(|c| *c == Data::String("A new referral form.".into()))));
}

#[test]
fn a_note_and_not_collected_travel_with_the_figure() {
    let mut app = returns_screen();
    let mut k = Keys { app: &mut app, count: 0 };
    select(&mut k, "referrals.primary");
    k.press(KeyCode::Char('n'));
    assert!(screen(k.app, 100, 24).contains("Note on Referrals received"), "{}", screen(k.app, 100, 24));
    k.typed("The visit log moved to a new system in January.").enter();
    k.typed("not").enter();
    k.ctrl('s');
    assert!(status(k.app).starts_with("Saved"), "{}", status(k.app));
    let notes = k.app.store.reader().measure_notes(year(), t(3)).unwrap();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].not_collected && notes[0].id == "referrals.primary");
    k.app.prepare();
    let shown = screen(k.app, 140, 40);
    assert!(shown.contains("not coll.") && shown.contains("Referrals received: primary ✎"), "{shown}");

    let store = &k.app.store;
    // The term: no value, its status, the note; a reader can tell it from a zero.
    let term = report(store, Scope::Term(t(3)), "all");
    let m = measure(&json(&term), "referrals.primary").clone();
    assert!(m["value"].is_null());
    assert_eq!(m["status"], "not_collected");
    assert_eq!(m["note"], "The visit log moved to a new system in January.");
    assert!(m["definition"].as_str().unwrap().starts_with("Referrals received on a day in the period"));
    assert!(measure(&json(&term), "referrals.secondary").get("status").is_none());
    let row = csv_rows(&term).into_iter().find(|r| r["id"] == "referrals.primary").unwrap();
    assert_eq!(
        (row["value"].as_str(), row["note"].as_str()),
        ("not collected", "The visit log moved to a new system in January.")
    );
    let bytes = render(&term, Format::Xlsx, Suppression::default(), true).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Return").unwrap();
    let line = sheet.rows().find(|r| r.get(4) == Some(&Data::String("referrals.primary".into()))).unwrap();
    assert_eq!(line[1], Data::Empty, "an empty cell, not a zero");
    assert_eq!(
        line[5],
        Data::String("Not collected. The visit log moved to a new system in January.".into())
    );
    // The year: its own figure stands, and says which term was not collected.
    let whole = json(&report(store, Scope::Year, "all"));
    let m = measure(&whole, "referrals.primary");
    assert!(m["value"].is_number());
    assert_eq!(m["term_figures"]["T3"]["status"], "not_collected");
    assert!(m["note"].as_str().unwrap().starts_with("Not collected in T3."), "{}", m["note"]);

    // In the records file, and back.
    let dump = common::dump_of(store);
    assert!(dump.lines().any(|l| l.contains("\"measure_note\"") && l.contains("\"not_collected\":true")));

    // Removing the note and the mark removes the record.
    select(&mut k, "referrals.primary");
    k.press(KeyCode::Char('n'));
    for _ in 0..60 {
        k.press(KeyCode::Backspace);
    }
    k.enter().typed("collected").enter();
    k.ctrl('s');
    assert!(k.app.store.reader().measure_notes(year(), t(3)).unwrap().is_empty(), "{}", status(k.app));
}

fn import_lines(store: &mut Store, lines: &str) -> Result<(), ImportError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.jsonl");
    std::fs::write(&path, lines).unwrap();
    let options = ImportOptions { today: today(), ..ImportOptions::default() };
    import_file(store, &path, options).map(drop)
}

#[test]
fn manual_figures_are_checked_against_their_units_and_added_up_by_them() {
    let mut store = Store::open_in_memory().unwrap();
    common::import(&mut store, &common::fixture("kpi_district.jsonl"));
    for (value, says) in
        [(r#""very good""#, "is not a percentage"), ("140", "from 0 to 100"), ("94.55", "one decimal")]
    {
        let line = format!(
            r#"{{"type":"manual_measure","year":"2023-24","term":3,"id":"survey.settings_satisfied_pct","value":{value}}}"#
        );
        match import_lines(&mut store, &line) {
            Err(ImportError::Invalid { errors, .. }) => {
                let text = errors[0].to_string();
                assert!(text.contains(says), "{value}: {text}");
            }
            other => panic!("{value} should be refused, got {other:?}"),
        }
    }
    let yearly =
        r#"{"type":"manual_measure","year":"2023-24","term":3,"id":"narrative.reflections","value":"Good"}"#;
    assert!(import_lines(&mut store, yearly).is_err(), "the year's reflections belong to term 6");

    let good = [
        r#"{"type":"manual_measure","year":"2023-24","term":3,"id":"budget.core","value":12500.5}"#,
        r#"{"type":"manual_measure","year":"2023-24","term":4,"id":"budget.core","value":100}"#,
        r#"{"type":"manual_measure","year":"2023-24","term":3,"id":"survey.settings_satisfied_pct","value":92.5}"#,
        r#"{"type":"manual_measure","year":"2023-24","term":3,"id":"staff.absence_fte","value":1.5}"#,
        r#"{"type":"manual_measure","year":"2023-24","term":6,"id":"staff.absence_fte","value":0.4}"#,
    ]
    .join("\n");
    import_lines(&mut store, &good).unwrap();
    let whole = json(&report(&store, Scope::Year, "2023-24"));
    assert_eq!(measure(&whole, "budget.core")["value"], 12600.5, "money adds up over the terms");
    assert_eq!(measure(&whole, "budget.core")["unit"], "money");
    // A whole figure typed is written as typed: 100, not 100.0.
    assert_eq!(measure(&whole, "budget.core")["term_figures"]["T4"]["value"].to_string(), "100");
    assert!(measure(&whole, "survey.settings_satisfied_pct")["value"].is_null(), "a percentage does not");
    assert_eq!(measure(&whole, "staff.absence_fte")["value"], 0.4, "an FTE is the last term's");
    let monitoring = json(&report(&store, Scope::Terms(t(3)), "2023-24"));
    assert_eq!(measure(&monitoring, "budget.core")["value"], 12600.5);
    assert_eq!(measure(&monitoring, "staff.absence_fte")["value"], serde_json::Value::Null, "T4 has none");

    // The workbook writes money as money and the percentage as a percentage.
    let term = report(&store, Scope::Term(t(3)), "2023-24");
    let bytes = render(&term, Format::Xlsx, Suppression::default(), true).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut styles = String::new();
    zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(styles.contains("£#,##0.00"), "a money format: {styles}");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Return").unwrap();
    let value = |id: &str| {
        sheet.rows().find(|r| r.get(4) == Some(&Data::String(id.into()))).map(|r| r[1].clone()).unwrap()
    };
    assert_eq!(value("budget.core"), Data::Float(12500.5), "a number, not a text");
    assert_eq!(
        value("survey.settings_satisfied_pct"),
        Data::Float(0.925),
        "a fraction shown as a percentage"
    );
    let stored = store.reader().manual_measures(year(), t(3)).unwrap();
    assert!(stored.iter().any(|m| m.id == "budget.core" && m.value == ManualValue::Number(12500.5)));
}

#[test]
fn a_note_or_narrative_that_names_a_child_never_leaves_the_team() {
    // On the Returns screen: refused before it is saved.
    let mut app = returns_screen();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('w'));
    k.typed("Fenwick Ollerenshaw settled well after the move.");
    k.ctrl('s');
    assert!(screen(k.app, 100, 30).contains("names a child"), "{}", screen(k.app, 100, 30));
    let stored = k.app.store.reader().manual_measures(year(), t(3)).unwrap();
    assert!(!stored.iter().any(|m| m.id.starts_with("narrative")), "{stored:?}");
    k.press(KeyCode::Esc).press(KeyCode::Esc);
    select(&mut k, "referrals.primary");
    k.press(KeyCode::Char('n')).typed("Mostly about ollerenshaw, fenwick").ctrl('s');
    assert!(screen(k.app, 100, 24).contains("names a child"));
    assert!(k.app.store.reader().measure_notes(year(), t(3)).unwrap().is_empty());

    // Loaded from a file all the same: the export and the pack refuse, naming the place only; on
    // a server too, where the names are read from the server's records.
    for backend in common::backend::Backend::both() {
        let dir = tempfile::tempdir().unwrap();
        let run = |who: &str, args: &[&str]| {
            std::process::Command::new(common::binary())
                .arg("--db")
                .arg(backend.db_arg(who))
                .args(args)
                .env("CASELOAD_NOW", "2024-09-02T09:00:00Z")
                .output()
                .unwrap()
        };
        let fixture = common::fixture("kpi_district.jsonl");
        assert!(run("ann", &["import", fixture.to_str().unwrap()]).status.success());
        let note = dir.path().join("note.jsonl");
        std::fs::write(
            &note,
            r#"{"type":"measure_note","year":"2023-24","term":3,"id":"referrals.primary","note":"Includes Fenwick Ollerenshaw twice."}"#,
        )
        .unwrap();
        assert!(run("ann", &["import", note.to_str().unwrap()]).status.success());
        for args in [
            vec!["export", "--year", "2023-24", "--term", "3"],
            vec!["export", "--year", "2023-24", "--format", "csv"],
            vec!["report", "--year", "2023-24", "--terms", "3-4", "--out", dir.path().to_str().unwrap()],
        ] {
            let out = run("rita", &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains("the note on referrals.primary") && err.contains("names a child"), "{err}");
            assert!(!err.contains("Ollerenshaw") && out.stdout.is_empty(), "{err}");
        }
        assert_eq!(
            std::fs::read_dir(dir.path())
                .unwrap()
                .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "html"))
                .count(),
            0
        );
    }
}
