//! Importing records files: the bad-input corpus, round trips, updates, and odd files.

mod common;

use caseload::import::{ImportError, ImportOptions, LineError, import_file};
use caseload::store::Store;
use common::{dump_of, fixture, import, store_with_base};
use std::path::Path;

/// One `// expect: line=N field=F contains=TEXT` line of a corpus file.
#[derive(Debug)]
struct Expect {
    line: usize,
    field: Option<String>,
    contains: String,
}

fn expectations(path: &Path) -> Vec<Expect> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("// expect: "))
        .map(|spec| {
            let (head, contains) = spec.split_once("contains=").expect("contains=");
            let mut line = None;
            let mut field = None;
            for part in head.split_whitespace() {
                match part.split_once('=') {
                    Some(("line", n)) => line = Some(n.parse().unwrap()),
                    Some(("field", f)) => field = Some(f.to_string()),
                    _ => panic!("bad expect line in {}: {spec}", path.display()),
                }
            }
            Expect { line: line.expect("line="), field, contains: contains.trim().to_string() }
        })
        .collect()
}

fn refused(store: &mut Store, path: &Path) -> Vec<LineError> {
    match import_file(store, path, ImportOptions::default()) {
        Err(ImportError::Invalid { errors, .. }) => errors,
        other => panic!("{} should be refused, got {other:?}", path.display()),
    }
}

#[test]
fn every_file_of_the_bad_corpus_is_refused_with_its_lines_named_and_nothing_written() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 19, "the corpus has {} files", files.len());
    for path in files {
        let mut store = store_with_base();
        let before = dump_of(&store);
        let errors = refused(&mut store, &path);
        let expected = expectations(&path);
        assert!(!expected.is_empty(), "{} has no expectations", path.display());
        for want in &expected {
            let found = errors.iter().any(|e| {
                e.line == Some(want.line)
                    && (want.field.is_none() || e.field == want.field)
                    && e.message.contains(&want.contains)
            });
            assert!(found, "{}: expected {want:?}\ngot:\n{}", path.display(), render(&errors));
        }
        // Every reported line is one the file expects: no spurious errors on good lines.
        for e in &errors {
            assert!(
                expected.iter().any(|w| Some(w.line) == e.line),
                "{}: unexpected error {e}\nall:\n{}",
                path.display(),
                render(&errors)
            );
        }
        assert_eq!(dump_of(&store), before, "{} changed the database", path.display());
    }
}

fn render(errors: &[LineError]) -> String {
    errors.iter().map(|e| format!("  {e}\n")).collect()
}

#[test]
fn a_good_district_imports_and_round_trips_exactly() {
    let mut first = Store::open_in_memory().unwrap();
    import(&mut first, &fixture("base.jsonl"));
    import(&mut first, &fixture("every_record.jsonl"));
    let dump1 = dump_of(&first);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dump.jsonl");
    std::fs::write(&file, &dump1).unwrap();
    let mut second = Store::open_in_memory().unwrap();
    import(&mut second, &file);
    let dump2 = dump_of(&second);
    assert_eq!(dump1, dump2);
    // Every record type is in the dump.
    for kind in caseload::domain::RecordKind::ALL {
        let tag = format!("{{\"type\":\"{}\"", kind.code());
        assert!(dump1.lines().any(|l| l.starts_with(&tag)), "no {} in dump", kind.code());
    }
}

#[test]
fn lines_may_come_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("every_record.jsonl")).unwrap();
    let base = std::fs::read_to_string(fixture("base.jsonl")).unwrap();
    let mut lines: Vec<&str> = base.lines().chain(text.lines()).collect();
    lines.reverse();
    let reversed = dir.path().join("reversed.jsonl");
    std::fs::write(&reversed, lines.join("\n")).unwrap();
    let mut a = Store::open_in_memory().unwrap();
    import(&mut a, &reversed);
    let mut b = Store::open_in_memory().unwrap();
    import(&mut b, &fixture("base.jsonl"));
    import(&mut b, &fixture("every_record.jsonl"));
    // Same records; only the order of writing (and so of the dump) may differ.
    let mut da: Vec<String> = dump_of(&a).lines().map(String::from).collect();
    let mut db: Vec<String> = dump_of(&b).lines().map(String::from).collect();
    da.sort();
    db.sort();
    assert_eq!(da, db);
}

#[test]
fn update_replaces_stored_records_in_place() {
    let mut store = store_with_base();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("update.jsonl");
    std::fs::write(
        &file,
        r#"{"type":"setting","key":"S-OAK","name":"Oak Academy","phase":"primary","in_district":true,"closed":"2025-08-31"}
{"type":"case","key":"K-AMY","child":"C-AMY","setting":"S-OAK","phase":"primary","area":"semh","opened":"2024-01-10"}"#,
    )
    .unwrap();
    let err = import_file(&mut store, &file, ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Invalid { errors: ref e, .. } if e.len() == 2), "{err:?}");
    let summary =
        import_file(&mut store, &file, ImportOptions { update: true, ..ImportOptions::default() }).unwrap();
    assert_eq!(summary.records(), 2);
    let dump = dump_of(&store);
    assert!(dump.contains(r#""name":"Oak Academy""#));
    assert!(dump.contains(r#""key":"K-AMY","child":"C-AMY","setting":"S-OAK","phase":"primary","area":"semh","opened":"2024-01-10"}"#), "{dump}");
    assert_eq!(dump.matches("\"type\":\"setting\"").count(), 2);
}

#[test]
fn an_update_that_breaks_stored_work_is_refused_on_the_files_line() {
    let mut store = store_with_base();
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.jsonl");
    std::fs::write(
        &review,
        r#"{"type":"review","key":"V1","case":"K-AMY","date":"2024-06-01","outcome":"unchanged"}"#,
    )
    .unwrap();
    import(&mut store, &review);
    // Closing the case earlier would leave the stored review after its closing date.
    let close = dir.path().join("close.jsonl");
    std::fs::write(
        &close,
        "// earlier closure\n{\"type\":\"case\",\"key\":\"K-AMY\",\"child\":\"C-AMY\",\"setting\":\"S-OAK\",\"phase\":\"primary\",\"area\":\"semh\",\"opened\":\"2024-01-10\",\"closed\":\"2024-03-01\",\"closure_reason\":\"other\"}\n",
    )
    .unwrap();
    let before = dump_of(&store);
    let errors =
        match import_file(&mut store, &close, ImportOptions { update: true, ..ImportOptions::default() }) {
            Err(ImportError::Invalid { errors: e, .. }) => e,
            other => panic!("{other:?}"),
        };
    assert_eq!(errors.len(), 1, "{}", render(&errors));
    assert_eq!(errors[0].line, Some(2));
    assert!(errors[0].message.contains("stored review \"V1\""), "{}", errors[0]);
    assert!(errors[0].message.contains("after the case was closed"), "{}", errors[0]);
    assert_eq!(dump_of(&store), before);
}

#[test]
fn a_binary_file_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("photo.jpg");
    std::fs::write(&file, [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00]).unwrap();
    let mut store = store_with_base();
    let err = import_file(&mut store, &file, ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Binary { .. }), "{err:?}");
    assert!(err.to_string().contains("binary"));
}

#[test]
fn text_in_another_encoding_is_refused_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cp1252.jsonl");
    // "Zoë" in Windows-1252: the ë is the single byte 0xEB.
    let mut bytes = br#"{"type":"setting","key":"S1","name":"Zo"#.to_vec();
    bytes.push(0xeb);
    bytes.extend_from_slice(br#" Nursery","phase":"early_years","in_district":true}"#);
    std::fs::write(&file, bytes).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let errors = refused(&mut store, &file);
    assert_eq!(errors[0].line, Some(1));
    assert!(errors[0].message.contains("UTF-8"), "{}", errors[0]);
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bom.jsonl");
    let text = "\u{feff}{\"type\":\"setting\",\"key\":\"S1\",\"name\":\"Zoë Nursery\",\"phase\":\"early_years\",\"in_district\":true}\r\n";
    std::fs::write(&file, text).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &file);
    assert!(dump_of(&store).contains("Zoë Nursery"));
}

#[test]
fn an_update_that_changes_nothing_says_so_and_names_only_what_it_wrote() {
    let mut store = store_with_base();
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("same.jsonl");
    std::fs::write(&same, "{\"type\":\"district\",\"name\":\"Test District\"}\n").unwrap();
    let update = || ImportOptions { update: true, ..Default::default() };
    let summary = import_file(&mut store, &same, update()).unwrap();
    assert_eq!(summary.records(), 0);
    assert_eq!(summary.to_string(), "nothing to import: the file's records are stored already, as they are");
    // The unchanged district is not listed beside what was written.
    let file = dir.path().join("more.jsonl");
    std::fs::write(
        &file,
        "{\"type\":\"district\",\"name\":\"Test District\"}\n\
         {\"type\":\"setting\",\"key\":\"S-ELM\",\"name\":\"Elm Primary\",\"phase\":\"primary\",\"in_district\":true}\n",
    )
    .unwrap();
    let summary = import_file(&mut store, &file, update()).unwrap();
    assert_eq!(summary.to_string(), "imported 1 record: 1 setting");
}

#[test]
fn a_second_setting_with_the_name_and_phase_of_another_is_imported_with_a_warning() {
    let mut store = store_with_base();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("twin.jsonl");
    let lines = [
        r#"{"type":"setting","key":"S-OAK2","name":" oak primary school","phase":"primary","in_district":true}"#,
        r#"{"type":"setting","key":"S-OAK-EY","name":"Oak Primary School","phase":"early_years","in_district":true}"#,
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let summary = import_file(&mut store, &file, ImportOptions::default()).unwrap();
    assert_eq!(summary.records(), 2, "a warning, not a refusal: two schools may share a name");
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert!(summary.warnings[0].contains("\"S-OAK2\"") && summary.warnings[0].contains("\"S-OAK\""));
}

#[test]
fn an_empty_file_or_one_of_comments_only_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("empty.jsonl", ""), ("comments.jsonl", "// nothing here\n\n   \n// really\n")] {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let mut store = store_with_base();
        match import_file(&mut store, &file, ImportOptions::default()) {
            Err(ImportError::Empty { .. }) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn a_line_over_a_megabyte_is_refused_by_its_length_without_being_held() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.jsonl");
    let base = std::fs::read_to_string(fixture("base.jsonl")).unwrap();
    let long = format!(
        "{{\"type\":\"setting\",\"key\":\"S-LONG\",\"name\":\"{}\",\"phase\":\"primary\",\"in_district\":true}}",
        "x".repeat(5 << 20)
    );
    std::fs::write(&file, format!("{base}{long}\n{{\"type\":\"setting\",\"key\":\"S-AFTER\",\"name\":\"After\",\"phase\":\"primary\",\"in_district\":true}}\n")).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let errors = refused(&mut store, &file);
    assert_eq!(errors.len(), 1, "{}", render(&errors));
    assert_eq!(errors[0].line, Some(8));
    assert!(errors[0].message.contains(&format!("{} bytes long", long.len() + 1)), "{}", errors[0].message);
    assert!(errors[0].to_string().len() < 300, "the message does not repeat the line");
}

#[test]
fn messages_escape_what_the_file_holds_and_never_repeat_a_childs_name_or_birthday() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.jsonl");
    let lines = [
        r#"{"type":"setting","key":"S\u001b]0;pwned\u0007","name":"Oak","phase":"primary","in_district":"yes"}"#,
        r#"{"type":"child","key":"C-X","first_name":"Secret","last_name":"Person","dob":"2016-13-01"}"#,
        r#"{"type":"child","key":"C-Y","first_name":12,"last_name":"Person","dob":"2016-01-01"}"#,
        r#"{"type":"setting","key":"S-V","name":"Oak","phase":"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz","in_district":true}"#,
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let shown = render(&refused(&mut store, &file));
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "no control character reaches the terminal:\n{shown:?}"
    );
    assert!(shown.contains("\\u001b"), "shown escaped:\n{shown}");
    assert!(!shown.contains("2016-13-01"), "no date of birth:\n{shown}");
    assert!(!shown.contains("Secret"), "no name:\n{shown}");
    assert!(!shown.contains(&"z".repeat(61)), "a long value is cut to 60 characters:\n{shown}");
}
