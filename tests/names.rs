//! Names however spelled (docs/returns.md, "Names in notes and narratives"): a child on the
//! register stays out of every return's narrative, note and manual figure whatever the spelling
//! (curly apostrophe, combining accent, invisible characters, no accents, one given name of
//! several, look-alike letters, full-width letters), and so do UPNs and dates of birth; a manual
//! figure's id is a code; and "the same child" is decided by the same comparison. Through the
//! real binary on a real database.

mod common;

use common::run_at;
use std::path::{Path, PathBuf};

const NOW: &str = "2024-09-02T09:00:00Z";

/// Children added to the hand-worked district, with the words of their names.
const CHILDREN: &str = r#"{"type":"child","key":"CH-SEAN","first_name":"Sean","last_name":"O'Brien","dob":"2016-05-01"}
{"type":"child","key":"CH-ZOE","first_name":"Zoë","last_name":"Smith","dob":"2017-02-03"}
{"type":"child","key":"CH-HARRY","first_name":"Harry","last_name":"Clarke","dob":"2015-07-08"}
{"type":"child","key":"CH-JOSE","first_name":"José","last_name":"Núñez","dob":"2014-09-10"}
{"type":"child","key":"CH-MARY","first_name":"Mary Ann","last_name":"Smith-Jones","dob":"2013-11-12","upn":"K823200113004"}
{"type":"child","key":"CH-AMY","first_name":"Amy","last_name":"Smith","dob":"2018-01-02"}
{"type":"child","key":"CH-ISABELLA","first_name":"Isabella","last_name":"Mills","dob":"2012-04-05"}
"#;

/// Words of the children's names and the private values: no message may hold any of them.
const NEVER_SHOWN: [&str; 14] = [
    "Sean",
    "Brien",
    "Zo",
    "Harry",
    "Clarke",
    "Jos",
    "Nu",
    "Mary",
    "Smith",
    "Amy",
    "Isabella",
    "Mills",
    "K823200113004",
    "12/11/2013",
];

fn district() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = common::kpi_district();
    let children = write(dir.path(), "children.jsonl", CHILDREN);
    let out = run_at(&db, &["import", &children], NOW);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Imports one record (replacing what has its key), which must be accepted.
fn import(db: &Path, record: serde_json::Value) {
    let file = write(db.parent().unwrap(), "one.jsonl", &format!("{record}\n"));
    let out = run_at(db, &["import", "--update", &file], NOW);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

fn narrative(db: &Path, text: &str) {
    import(
        db,
        serde_json::json!({"type":"manual_measure","year":"2023-24","term":3,"id":"narrative.staffing","value":text}),
    );
}

/// The term's return as CSV: the exit code, what was written, what was said.
fn export_csv(db: &Path) -> (Option<i32>, String, String) {
    let out = run_at(db, &["export", "--year", "2023-24", "--term", "3", "--format", "csv"], NOW);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_refused(db: &Path, written: &str, place: &str, rule: &str) {
    let (code, stdout, stderr) = export_csv(db);
    assert_eq!(code, Some(2), "{written:?} should be refused: {stderr}");
    assert!(stdout.is_empty(), "{written:?}: nothing is written");
    assert!(stderr.contains(place) && stderr.contains(rule), "{written:?}: {stderr}");
    for word in NEVER_SHOWN {
        assert!(!stderr.contains(word), "{written:?}: the message repeats {word:?}: {stderr}");
    }
}

#[test]
fn a_narrative_naming_a_child_however_spelled_is_refused_without_repeating_the_name() {
    let (_dir, db) = district();
    let name = "names a child on the register";
    for written in [
        "We met Sean O\u{2019}Brien at school.",
        "Zoe\u{0308} Smith moved in May.",
        "Har\u{200b}ry Clarke settled well.",
        "Har\u{00ad}ry Clarke settled well.",
        "Jose Nunez joined Year 3.",
        "Mary Smith-Jones needs a new plan.",
        "Ann Smith\u{2013}Jones needs a new plan.",
        "Smith-Jones, Mary: review due.",
        "\u{0410}my Smith was discussed.",
        "Am\u{0308}y Smith was discussed.",
        "\u{ff21}\u{ff4d}\u{ff59} \u{ff33}\u{ff4d}\u{ff49}\u{ff54}\u{ff48} was discussed.",
    ] {
        narrative(&db, written);
        assert_refused(&db, written, "narrative.staffing (2023-24 T3)", name);
    }
    narrative(&db, "The pupil K823200113004 moved.");
    assert_refused(&db, "a UPN", "narrative.staffing", "unique pupil number (UPN)");
    narrative(&db, "A pupil, A123456789012, moved.");
    assert_refused(&db, "a UPN of no child", "narrative.staffing", "unique pupil number (UPN)");
    for born in ["born 12/11/2013", "born \u{ff11}\u{ff12}/11/2013", "born 12 Nov 2013", "born 2013-11-12"] {
        narrative(&db, &format!("A child {born} was discussed."));
        assert_refused(&db, born, "narrative.staffing", "date of birth of a child on the register");
    }

    // A word of a name alone, or a surname's part, is no name: the return goes out.
    narrative(&db, "Amy and the Smiths met Mary; Jones left. Two posts vacant since 12/11/2023.");
    let (code, stdout, stderr) = export_csv(&db);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Amy and the Smiths"), "{stdout}");
}

#[test]
fn a_note_naming_a_child_is_refused_and_names_its_measure() {
    let (_dir, db) = district();
    import(
        &db,
        serde_json::json!({"type":"measure_note","year":"2023-24","term":3,"id":"referrals.primary",
                           "note":"Includes smith\u{2011}jones, ann twice."}),
    );
    assert_refused(&db, "a note", "the note on referrals.primary (2023-24 T3)", "names a child");
}

#[test]
fn a_manual_figures_id_is_a_code_never_free_text() {
    let (dir, db) = district();
    for id in ["Isabella Mills", "isabella mills", "Isabella_Mills"] {
        let record =
            serde_json::json!({"type":"manual_measure","year":"2023-24","term":3,"id":id,"value":"x"});
        let file = write(dir.path(), "id.jsonl", &format!("{record}\n"));
        let out = run_at(&db, &["import", &file], NOW);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{id}: {err}");
        assert!(err.contains("field \"id\"") && err.contains("not a code"), "{id}: {err}");
        assert!(!err.to_lowercase().contains("isabella") && !err.to_lowercase().contains("mills"), "{err}");
    }
    // A code that spells a child's name is a name all the same.
    import(
        &db,
        serde_json::json!({"type":"manual_measure","year":"2023-24","term":3,"id":"isabella_mills","value":"x"}),
    );
    let out = run_at(&db, &["export", "--year", "2023-24", "--term", "3", "--framework", "all"], NOW);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the id of a manual figure") && err.contains("names a child"), "{err}");
    assert!(!err.to_lowercase().contains("isabella") && out.stdout.is_empty(), "{err}");
}

#[test]
fn the_same_child_is_found_however_the_name_is_spelled() {
    let (dir, db) = district();
    let twins = "{\"type\":\"child\",\"key\":\"CH-T1\",\"first_name\":\"Seán\",\"last_name\":\"O\u{2019}BRIEN\",\"dob\":\"2016-05-01\"}\n\
        {\"type\":\"child\",\"key\":\"CH-T2\",\"first_name\":\"\u{0410}my\",\"last_name\":\"Smi\u{200b}th\",\"dob\":\"2018-01-02\"}\n\
        {\"type\":\"child\",\"key\":\"CH-T3\",\"first_name\":\"Mary-Ann\",\"last_name\":\"Smith\u{2013}Jones\",\"dob\":\"2013-11-12\"}\n\
        {\"type\":\"child\",\"key\":\"CH-T4\",\"first_name\":\"\u{ff2a}ose\",\"last_name\":\"Nunez\",\"dob\":\"2014-09-10\"}\n";
    let file = write(dir.path(), "twins.jsonl", twins);
    let out = run_at(&db, &["import", &file], NOW);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for (new, old) in [("CH-T1", "CH-SEAN"), ("CH-T2", "CH-AMY"), ("CH-T3", "CH-MARY"), ("CH-T4", "CH-JOSE")]
    {
        let line = err.lines().find(|l| l.contains(new)).unwrap_or_else(|| panic!("{new}: {err}"));
        assert!(line.contains("same name and date of birth") && line.contains(old), "{line}");
    }
    for word in NEVER_SHOWN {
        assert!(!err.contains(word), "{word}: {err}");
    }
    let dump = run_at(&db, &["dump"], NOW);
    assert!(!String::from_utf8_lossy(&dump.stdout).contains("CH-T1"), "nothing was imported");

    // Another child: another date of birth, or another given name.
    let others = "{\"type\":\"child\",\"key\":\"CH-O1\",\"first_name\":\"Sean\",\"last_name\":\"O'Brien\",\"dob\":\"2016-05-02\"}\n\
        {\"type\":\"child\",\"key\":\"CH-O2\",\"first_name\":\"Mary\",\"last_name\":\"Smith-Jones\",\"dob\":\"2013-11-12\"}\n";
    let file = write(dir.path(), "others.jsonl", others);
    let out = run_at(&db, &["import", &file], NOW);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    // The form asks about the same child by the same rule.
    let store = caseload::store::Store::open(&db).unwrap();
    let dob = "2018-01-02".parse().unwrap();
    let twin = store.reader().same_child("\u{ff21}\u{ff4d}\u{ff59}", "SMITH", dob, "").unwrap();
    assert_eq!(twin.map(|t| t.key).as_deref(), Some("CH-AMY"));
    assert_eq!(store.reader().same_child("Amie", "Smith", dob, "").unwrap(), None);
}

#[test]
fn the_returns_screen_refuses_a_narrative_naming_a_child_however_spelled() {
    use common::app::{Keys, app, screen};
    use ratatui::crossterm::event::KeyCode;
    let mut app = app();
    app.update(caseload::tui::action::Action::Screen(caseload::tui::action::ScreenId::Returns));
    app.prepare();
    let mut k = Keys { app: &mut app, count: 0 };
    k.press(KeyCode::Char('w'));
    k.typed("Fenw\u{00ed}ck O\u{200b}LLERENSHAW settled well.");
    k.ctrl('s');
    let shown = screen(k.app, 110, 30);
    assert!(shown.contains("names a child"), "{shown}");
    let year = "2023-24".parse().unwrap();
    let stored = k.app.store.reader().manual_measures(year, caseload::domain::Term::new(3).unwrap()).unwrap();
    assert!(!stored.iter().any(|m| m.id.starts_with("narrative")), "{stored:?}");
}
