//! The documents about one child, one visit, one meeting (packs.md, "Documents about one child,
//! one visit, one meeting"): what each holds, what it never holds, initials only, owner-only
//! files, `P` in the application, and their layout in a real browser.

mod common;

use caseload::domain::{Child, Date, Record, RecordKind};
use caseload::export::document::{Document, Kind, Options, make};
use caseload::store::Store;
use common::{fixture, import, run_at};

const NOW: &str = "2024-09-02T09:00:00Z";

fn today() -> Date {
    Date::parse_iso("2024-09-02").unwrap()
}

/// The documents district (tests/fixtures/documents.jsonl), in memory.
fn district() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &fixture("documents.jsonl"));
    store
}

/// A generated district, for documents over many children.
fn demo(children: u32) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let options = caseload::demo::DemoOptions {
        children,
        years: 2,
        seed: 7,
        district: "Demonstration District".into(),
    };
    caseload::demo::generate(&mut store, &options, common::TODAY.parse().unwrap(), &mut |_| {}).unwrap();
    store
}

thread_local! {
    /// The staff names of the district being checked (a document names its teachers).
    static STAFF: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The children of the district, remembering its staff's names for [`names_no_other_child`].
fn children(store: &Store) -> Vec<Child> {
    let staff = store.reader().staff().unwrap().into_iter().map(|s| s.name).collect();
    STAFF.with(|s| *s.borrow_mut() = staff);
    let mut out = Vec::new();
    store
        .reader()
        .each_record(&mut |r| {
            if let Record::Child(c) = r {
                out.push(c);
            }
            Ok(())
        })
        .unwrap();
    out
}

fn full_name(c: &Child) -> String {
    format!("{} {}", c.first_name, c.last_name)
}

fn one(store: &Store, kind: Kind, key: &str, initials: bool) -> Document {
    let o = Options::new(today(), initials);
    let mut docs = make(store.reader(), kind, key, &o).unwrap();
    assert_eq!(docs.len(), 1);
    docs.remove(0)
}

/// Every other child of the database (not one who shares the subject's name) is absent by name,
/// and, where asked, by UPN and date of birth.
fn names_no_other_child(html: &str, all: &[Child], subjects: &[&str], what: &str, strict: bool) {
    let mut named: Vec<String> =
        all.iter().filter(|c| subjects.contains(&c.key.as_str())).map(full_name).collect();
    // A generated district draws staff from the same names as children: a teacher is named.
    named.extend(STAFF.with(|s| s.borrow().clone()));
    for other in all.iter().filter(|c| !subjects.contains(&c.key.as_str())) {
        if named.contains(&full_name(other)) {
            continue;
        }
        assert!(
            !regex_free_word(html, &full_name(other)),
            "{what} names {} ({})",
            full_name(other),
            other.key
        );
        if strict {
            assert!(!html.contains(&other.dob.uk()), "{what} holds {}'s date of birth", other.key);
            if let Some(upn) = &other.upn {
                assert!(!html.contains(upn.as_str()), "{what} holds {}'s UPN", other.key);
            }
        }
    }
}

#[test]
fn a_case_summary_holds_the_child_every_target_and_visit_and_no_other_child() {
    let store = district();
    let doc = one(&store, Kind::Case, "K-AVA", false);
    let html = &doc.html;
    for fact in
        ["Ava Smith", "4 May 2016", "A123456789012", "Ash Primary School", "Specific learning difficulty"]
    {
        assert!(html.contains(fact), "the child and the case: {fact}");
    }
    assert!(html.contains("Jo Teacher"), "the teacher in force");
    assert!(html.contains("active"), "the status today");
    let reader = store.reader();
    let id = reader.case_id("K-AVA").unwrap().unwrap();
    let detail = reader.case_detail(id).unwrap().unwrap();
    assert_eq!(detail.targets.len(), 2);
    for t in &detail.targets {
        assert!(html.contains(&caseload::export::pack::esc(&t.text)), "target {}", t.key);
    }
    assert_eq!(detail.visits.len(), 2);
    for v in &detail.visits {
        assert!(html.contains(&v.record.date.uk()), "visit {} by its date", v.record.key);
        let first_line = v.record.notes.as_deref().unwrap().lines().next().unwrap();
        assert!(html.contains(&caseload::export::pack::esc(first_line)), "visit {}'s notes", v.record.key);
    }
    for r in &detail.reviews {
        assert!(html.contains(&r.date.uk()), "review {}", r.key);
    }
    // The referral with its meeting and outcome, the note, in the chronology.
    assert!(html.contains("5 Mar 2024") && html.contains("specialist teacher allocated"), "{html}");
    assert!(html.contains("Phoned Ava&#39;s mother"), "the case note");
    // Mia, of another school, is named in that note: shown by initials, as every other child is.
    assert!(html.contains("M. J.&#39;s mother sat in"), "another child in a note: {html}");
    // Eli's case is at the same school with the same kind of records: none of it is here.
    assert!(!html.contains("calm corner") && !html.contains("Mo Teacher"), "another child's case");
    names_no_other_child(html, &children(&store), &["C-AVA"], "Ava's summary", true);
    assert_eq!(doc.file_name, "case-summary-k-ava.html", "a file name holds keys, never a name");
}

#[test]
fn over_a_whole_district_no_summary_or_record_of_visit_names_another_child() {
    let store = demo(150);
    let all = children(&store);
    let rows = store.reader().case_rows(today()).unwrap();
    let mut visits_seen = 0;
    for row in rows.iter().step_by(7).take(12) {
        let doc = one(&store, Kind::Case, &row.key, false);
        assert!(
            doc.html.contains(&caseload::export::pack::esc(&format!("{} {}", row.first_name, row.last_name)))
        );
        names_no_other_child(&doc.html, &all, &[child_key(&store, &row.key).as_str()], &row.key, false);
        let detail = store.reader().case_detail(row.id).unwrap().unwrap();
        for t in &detail.targets {
            assert!(
                doc.html.contains(&caseload::export::pack::esc(&t.text)),
                "{}: target {}",
                row.key,
                t.key
            );
        }
        let chronology = doc.html.split("<h2>Chronology</h2>").nth(1).unwrap();
        let visit_lines = chronology.matches("<td class=\"note\">Visit").count();
        assert_eq!(visit_lines, detail.visits.len(), "{}: every visit in the chronology", row.key);
        for v in detail.visits.iter().take(2) {
            visits_seen += 1;
            let record = one(&store, Kind::Visit, &v.record.key, false);
            names_no_other_child(&record.html, &all, &[detail.child.key.as_str()], &v.record.key, false);
        }
    }
    assert!(visits_seen > 0, "the district's cases have visits");
}

fn child_key(store: &Store, case: &str) -> String {
    match store.reader().record(RecordKind::Case, case).unwrap() {
        Some(Record::Case(c)) => c.child,
        _ => panic!("no case {case}"),
    }
}

#[test]
fn a_record_of_visit_holds_the_visit_the_targets_in_force_and_the_next_review() {
    let store = district();
    let doc = one(&store, Kind::Visit, "X-AVA-2", false);
    let html = &doc.html;
    for fact in
        ["Ava Smith", "Ash Primary School", "14 May 2024", "Jo Teacher", "Observation", "phonics group"]
    {
        assert!(html.contains(fact), "{fact}");
    }
    // Both targets were in force on 14 May; the review is 12 weeks after the case opened (no
    // review had been held yet): 29 May 2024.
    assert!(html.contains("Ava reads ten common words by sight") && html.contains("Asks an adult for help"));
    assert!(html.contains("by 29 May 2024 (12 weeks after the case opened)"), "{html}");
    // After the review of 1 July, the next is 12 weeks on.
    let later = one(&store, Kind::Visit, "X-AVA-1", false);
    assert!(later.html.contains("Set the first targets"), "the visit's own notes");
    assert!(!later.html.contains("phonics group"), "not another visit's notes");
    names_no_other_child(html, &children(&store), &["C-AVA"], "the record of visit", true);
}

fn sheets(store: &Store, key: &str, initials: bool) -> Vec<Document> {
    make(store.reader(), Kind::Lift, key, &Options::new(today(), initials)).unwrap()
}

fn sheet_of<'a>(docs: &'a [Document], setting: &str) -> &'a Document {
    docs.iter().find(|d| d.html.contains(&format!("LIFT outcomes for {setting}"))).unwrap()
}

#[test]
fn a_lift_outcome_sheet_names_only_its_own_settings_children() {
    let store = district();
    let docs = sheets(&store, "L-1", false);
    assert_eq!(docs.len(), 3, "Ash and Oak attended; Elm's child was discussed too");
    let all = children(&store);
    let ash = sheet_of(&docs, "Ash Primary School");
    assert!(ash.html.contains("Ava Smith") && ash.html.contains("Leo Brown"), "Ash brought Ava and Leo");
    assert!(ash.html.contains("Jo Teacher"), "Ava's teacher allocated");
    // Leo has moved to Oak since: his outcome is Ash's, and on no other sheet.
    names_no_other_child(&ash.html, &all, &["C-AVA", "C-LEO"], "Ash's sheet", true);
    let oak = sheet_of(&docs, "Oak Primary School");
    assert!(oak.html.contains("Mia Jones") && oak.html.contains("Signposted"));
    names_no_other_child(&oak.html, &all, &["C-MIA"], "Oak's sheet", true);
    let elm = sheet_of(&docs, "Elm Junior School");
    assert!(elm.html.contains("Zak Patel") && elm.html.contains("not recorded as attending"));
    names_no_other_child(&elm.html, &all, &["C-ZAK"], "Elm's sheet", true);
    let mut names: Vec<&str> = docs.iter().map(|d| d.file_name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 3, "one file each");
}

#[test]
fn over_a_whole_district_every_sheet_holds_exactly_its_settings_children() {
    let store = demo(200);
    let all = children(&store);
    let reader = store.reader();
    let meetings = reader.meetings().unwrap();
    assert!(meetings.len() > 10);
    for m in &meetings {
        let discussed = reader.discussed(m.id).unwrap();
        if discussed.is_empty() && m.meeting.settings.is_empty() {
            let nothing = make(reader, Kind::Lift, &m.meeting.key, &Options::new(today(), false));
            assert!(matches!(nothing, Err(caseload::export::document::DocumentError::Nothing(_))));
            continue;
        }
        let docs = sheets(&store, &m.meeting.key, false);
        for doc in &docs {
            let setting = discussed
                .iter()
                .map(|d| &d.setting_name)
                .chain(reader.setting_names(&m.meeting.settings).unwrap().iter())
                .find(|name| {
                    doc.html.contains(&format!("LIFT outcomes for {}", caseload::export::pack::esc(name)))
                })
                .cloned()
                .unwrap_or_else(|| panic!("{}: a sheet for a setting of the meeting", m.meeting.key));
            let own: Vec<&str> = discussed
                .iter()
                .filter(|d| d.setting_name == setting)
                .map(|d| d.referral.child.as_str())
                .collect();
            for d in discussed.iter().filter(|d| d.setting_name == setting) {
                let name = format!("{} {}", d.child_name.0, d.child_name.1);
                assert!(
                    doc.html.contains(&caseload::export::pack::esc(&name)),
                    "{name} on {setting}'s sheet"
                );
            }
            assert_eq!(
                doc.html.matches("<tr><td class=\"\">").count(),
                own.len(),
                "{setting}: one row a child"
            );
            names_no_other_child(
                &doc.html,
                &all,
                &own,
                &format!("{}: {setting}'s sheet", m.meeting.key),
                false,
            );
        }
    }
}

#[test]
fn by_initials_a_document_holds_no_full_name_date_of_birth_or_upn() {
    let store = district();
    let mut docs = vec![one(&store, Kind::Case, "K-AVA", true), one(&store, Kind::Visit, "X-AVA-1", true)];
    docs.extend(sheets(&store, "L-1", true));
    for doc in &docs {
        for c in children(&store) {
            for word in [c.first_name.as_str(), c.last_name.as_str()] {
                let as_word = regex_free_word(&doc.html, word);
                assert!(!as_word, "{}: {word} is shown (initials only)", doc.file_name);
            }
            assert!(!doc.html.contains(&c.dob.uk()), "{}: a date of birth", doc.file_name);
            if let Some(upn) = &c.upn {
                assert!(!doc.html.contains(upn.as_str()), "{}: a UPN", doc.file_name);
            }
        }
        assert!(doc.file_name.ends_with("-initials.html"), "{}", doc.file_name);
    }
    assert!(docs[0].html.contains("Case summary: A.S."));
    assert!(docs[0].html.contains("Phoned A.&#39;s mother"), "the name in a note is its initial");
    assert!(docs[0].html.contains("S. family pleased"), "the surname in a review's notes too");
}

/// Whether `word` stands in `text` as a word (not inside another, as "Ava" in "Avalon").
fn regex_free_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_some_and(char::is_alphanumeric);
        let after = text[i + word.len()..].chars().next().is_some_and(char::is_alphanumeric);
        !before && !after
    })
}

fn district_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let out = run_at(&db, &["import", fixture("documents.jsonl").to_str().unwrap()], NOW);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

#[test]
fn the_command_writes_owner_only_files_and_says_what_is_wrong_in_words() {
    let (dir, db) = district_file();
    let out = run_at(&db, &["document", "case", "K-AVA", "--out", dir.path().to_str().unwrap()], NOW);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = dir.path().join("case-summary-k-ava.html");
    assert!(std::fs::read_to_string(&summary).unwrap().contains("Ava Smith"));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("Ava"), "no child's name on the terminal: {said}");
    // Made again, it replaces its own earlier copy without --force.
    let again = run_at(&db, &["document", "case", "K-AVA", "--out", summary.to_str().unwrap()], NOW);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    // Standard output with -.
    let stdout = run_at(&db, &["document", "visit", "X-AVA-1", "--out", "-", "--initials"], NOW);
    assert_eq!(stdout.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&stdout.stdout).contains("Record of visit: A.S."));
    let sheets = dir.path().join("sheets");
    std::fs::create_dir(&sheets).unwrap();
    let out = run_at(&db, &["document", "lift", "L-1", "--out", sheets.to_str().unwrap()], NOW);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(common::files_in(&sheets).len(), 3, "{:?}", common::files_in(&sheets));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut written = vec![summary.clone()];
        written.extend(common::files_in(&sheets).iter().map(|n| sheets.join(n)));
        for f in written {
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is owner-only", f.display());
        }
    }
    // Unknown keys, a key of another kind, and a file caseload did not write: exit 2, in words.
    let refused = |args: &[&str], words: &str| {
        let out = run_at(&db, args, NOW);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(words), "{args:?}: {said}");
    };
    let out_file = dir.path().join("x.html");
    let x = out_file.to_str().unwrap();
    refused(&["document", "case", "K-NOBODY", "--out", x], "there is no case with the key \"K-NOBODY\"");
    refused(
        &["document", "case", "X-AVA-1", "--out", x],
        "X-AVA-1 is a visit: caseload document visit X-AVA-1",
    );
    refused(&["document", "lift", "L-9", "--out", x], "there is no LIFT meeting with the key \"L-9\"");
    refused(&["document", "lift", "L-1", "--out", "-"], "one file per setting");
    refused(&["document", "lift", "L-1", "--out", x], "there is no such folder");
    assert!(!out_file.exists(), "nothing written for a refusal");
    // A meeting kept with no setting and no child (imported): nothing to write, said so.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(
        &empty,
        r#"{"type":"lift_meeting","key":"L-EMPTY","date":"2024-04-05","kind":"school","settings":[]}"#,
    )
    .unwrap();
    assert_eq!(run_at(&db, &["import", empty.to_str().unwrap()], NOW).status.code(), Some(0));
    refused(
        &["document", "lift", "L-EMPTY", "--out", sheets.to_str().unwrap()],
        "there is no sheet to write",
    );
    let letter = dir.path().join("letter.html");
    std::fs::write(&letter, "<!DOCTYPE html>\n<title>A letter to parents</title>").unwrap();
    refused(&["document", "case", "K-AVA", "--out", letter.to_str().unwrap()], "was not written by caseload");
    assert!(std::fs::read_to_string(&letter).unwrap().contains("letter to parents"), "left as it was");
    refused(&["document", "case", "K-AVA", "--out", db.to_str().unwrap()], "is the database");
}

#[test]
fn p_in_the_application_writes_the_document_into_the_export_folder() {
    use caseload::tui::app::App;
    use caseload::tui::theme::Theme;
    use ratatui::crossterm::event::KeyCode;
    let folder = tempfile::tempdir().unwrap();
    let mut app = App::new(district(), today(), Theme::plain()).unwrap();
    app.prefs.export_folder = Some(folder.path().to_path_buf());
    app.run_command("open K-AVA");
    common::app::Keys { app: &mut app, count: 0 }.typed("P");
    let summary = folder.path().join("case-summary-k-ava.html");
    let status = common::app::status(&app);
    assert!(summary.exists(), "{status}");
    assert!(
        status.contains("case summary of Ava Smith") && status.contains("case-summary-k-ava.html"),
        "{status}"
    );
    // On a visit line of the chronology, by initials: the record of that visit, and no name.
    let at = app.screens.case.events().iter().position(|e| {
        e.record.as_ref().is_some_and(|(kind, key)| *kind == RecordKind::Visit && key == "X-AVA-2")
    });
    let mut keys = common::app::Keys { app: &mut app, count: 0 };
    keys.press(KeyCode::Char('i'));
    for _ in 0..at.unwrap() {
        keys.press(KeyCode::Char('j'));
    }
    keys.press(KeyCode::Char('P'));
    let record = folder.path().join("record-of-visit-x-ava-2-initials.html");
    let status = common::app::status(&app);
    assert!(record.exists(), "{status}");
    assert!(!status.contains("Ava") && status.contains("A.S."), "{status}");
    let html = std::fs::read_to_string(&record).unwrap();
    assert!(html.contains("phonics group") && !html.contains("Ava"), "that visit, by initials");
    // On the LIFT screen: the selected meeting's sheets.
    let mut keys = common::app::Keys { app: &mut app, count: 0 };
    keys.press(KeyCode::Char('4')).press(KeyCode::Char('P'));
    let status = common::app::status(&app);
    assert!(status.contains("Wrote 3 LIFT outcome sheets"), "{status}");
    assert_eq!(common::files_in(folder.path()).iter().filter(|n| n.starts_with("lift-")).count(), 3);
    // Asked (`:document`) where there is nothing to print, it says where P works.
    common::app::Keys { app: &mut app, count: 0 }.press(KeyCode::Char('6'));
    app.run_command("document");
    assert!(common::app::status(&app).contains("P prints a document"), "{}", common::app::status(&app));
}

/// The width the documents print at: A4 less the page's margins (14 mm each side), at 96 px an
/// inch. The browser harness checks the window's width; printed, the page is this narrower.
const PRINTED: u32 = 688;

/// Each kind of document, from the small district (long notes, an unbroken word) and from a
/// generated one (its busiest case and meeting), laid out at A4 width and on a wide window, and
/// printed: nothing overflows, and the page count is sane.
#[test]
fn every_kind_of_document_reads_at_a4_and_wide_and_prints_on_few_pages() {
    let Some(chromium) = common::browser::chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let small = district();
    let big = demo(300);
    let reader = big.reader();
    let busiest = reader
        .case_rows(today())
        .unwrap()
        .into_iter()
        .map(|r| (reader.case_detail(r.id).unwrap().unwrap(), r.key))
        .max_by_key(|(d, _)| d.visits.len() + d.targets.len() + d.reviews.len() + d.notes.len())
        .unwrap();
    let visit = busiest.0.visits[0].record.key.clone();
    let meeting = reader.meetings().unwrap().into_iter().max_by_key(|m| m.referrals).unwrap().meeting.key;
    let mut pages: Vec<(Document, usize)> = vec![
        (one(&small, Kind::Case, "K-AVA", false), 3),
        (one(&small, Kind::Visit, "X-AVA-1", false), 2),
        (one(&big, Kind::Case, &busiest.1, false), 4),
        (one(&big, Kind::Visit, &visit, true), 2),
    ];
    pages.extend(sheets(&small, "L-1", false).into_iter().map(|d| (d, 2)));
    let biggest = sheets(&big, &meeting, false);
    let fullest = biggest.into_iter().max_by_key(|d| d.html.len()).unwrap();
    pages.push((fullest, 2));
    for (doc, most) in &pages {
        let path = dir.path().join(&doc.file_name);
        std::fs::write(&path, &doc.html).unwrap();
        for width in [PRINTED, common::browser::A4_WIDTH, common::browser::WIDE] {
            let problems = common::browser::layout_problems(&chromium, &path, width);
            assert!(problems.is_empty(), "{} at {width} px:\n{}", doc.file_name, problems.join("\n"));
        }
        let n = common::browser::pdf_pages(&common::browser::print_to_pdf(&chromium, &path));
        assert!((1..=*most).contains(&n), "{} prints on {n} pages (at most {most})", doc.file_name);
    }
}
