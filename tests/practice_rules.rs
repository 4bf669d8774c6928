//! The rules of the seed's practices through the records file and the store: each bad line named
//! with its field and rule in words, nothing written; and a planned meeting held later takes its
//! children.

mod common;

use caseload::domain::{LiftStatus, Record, RecordKind};
use caseload::import::{ImportError, ImportOptions, import_file};
use caseload::store::Store;

fn import_text(store: &mut Store, text: &str) -> Result<(), Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.jsonl");
    std::fs::write(&path, text).unwrap();
    let options = ImportOptions { today: common::TODAY.parse().unwrap(), ..ImportOptions::default() };
    match import_file(store, &path, options) {
        Ok(_) => Ok(()),
        Err(ImportError::Invalid { errors, .. }) => Err(errors.iter().map(|e| e.to_string()).collect()),
        Err(other) => panic!("{other}"),
    }
}

#[test]
fn bad_practices_are_refused_line_by_line_and_nothing_is_written() {
    let mut store = common::store_with_base();
    let before = common::dump_of(&store);
    let text = concat!(
        r#"{"type":"lift_meeting","key":"L-P","date":"2024-03-01","kind":"school","settings":[],"status":"planned","deadline":"2024-02-22"}"#,
        "\n",
        r#"{"type":"referral","key":"R-P","child":"C-AMY","setting":"S-OAK","received":"2024-02-01","phase":"primary","area":"semh","lift_meeting":"L-P"}"#,
        "\n",
        r#"{"type":"case","key":"K-EY","child":"C-AMY","setting":"S-ASH","phase":"early_years","area":"semh","opened":"2024-07-01","closed":"2024-07-20","closure_reason":"other","senif":true}"#,
        "\n",
        r#"{"type":"setting","key":"S-NEW","name":"New Nursery","phase":"early_years","in_district":true,"link_teacher":"T-NOBODY"}"#,
        "\n",
        r#"{"type":"case","key":"K-R","child":"C-AMY","setting":"S-OAK","phase":"primary","area":"semh","opened":"2024-08-01","open_reason":"bored"}"#,
        "\n",
        r#"{"type":"lift_meeting","key":"L-B","date":"2024-03-01","kind":"school","settings":[],"status":"planned","deadline":"2024-03-08"}"#,
        "\n",
    );
    let errors = import_text(&mut store, text).unwrap_err();
    let all = errors.join("\n");
    let has = |line: usize, words: &str| {
        errors.iter().any(|e| e.starts_with(&format!("line {line} ")) && e.contains(words))
    };
    assert!(has(6, "deadline") && has(6, "after the meeting's date"), "{all}");
    assert!(
        !errors.iter().any(|e| e.starts_with("line 1 ")),
        "a planned meeting ahead of its deadline is fine: {all}"
    );
    assert!(
        has(2, "lift_meeting") && has(2, "is planned: a meeting has no children discussed until it is held"),
        "{all}"
    );
    assert!(has(3, "senif") && has(3, "cannot be closed while SENIF support is recorded"), "{all}");
    assert!(has(4, "link_teacher") && has(4, "T-NOBODY"), "{all}");
    assert!(has(5, "open_reason") && has(5, "bored"), "{all}");
    assert_eq!(common::dump_of(&store), before, "nothing was written");
}

#[test]
fn a_planned_meeting_once_held_takes_its_children_and_counts() {
    let mut store = common::store_with_base();
    let planned = r#"{"type":"lift_meeting","key":"L-P","date":"2024-03-01","kind":"school","settings":["S-OAK"],"status":"planned","deadline":"2024-02-20"}"#;
    import_text(&mut store, &format!("{planned}\n")).unwrap();
    let referral = r#"{"type":"referral","key":"R-P","child":"C-AMY","setting":"S-OAK","received":"2024-02-01","phase":"primary","area":"semh","lift_meeting":"L-P"}"#;
    assert!(import_text(&mut store, &format!("{referral}\n")).is_err(), "not while it is planned");
    let Some(Record::LiftMeeting(mut m)) = store.reader().record(RecordKind::LiftMeeting, "L-P").unwrap()
    else {
        panic!("the meeting is stored")
    };
    m.status = LiftStatus::Held;
    store.save(&Record::LiftMeeting(m), true, common::TODAY.parse().unwrap()).unwrap();
    import_text(&mut store, &format!("{referral}\n")).unwrap();
    assert_eq!(store.audit_problems().unwrap(), Vec::<String>::new());
}
