//! The audit log: every insert, update and delete of a record is logged in the same transaction,
//! by whoever writes; the log cannot be changed; `caseload audit` prints it.

mod common;

use caseload::domain::{Record, RecordKind};
use caseload::import::{ImportOptions, import_file};
use caseload::store::{AuditOp, Op, Store, current_user};
use common::{binary, fixture, import};
use std::path::Path;
use std::process::Command;

fn on_disk() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    (dir, path)
}

fn stored(store: &Store, kind: RecordKind, key: &str) -> Record {
    store.reader().record(kind, key).unwrap().unwrap()
}

/// A bare connection that gives itself caseload's function (another program editing the file).
fn foreign_writer(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    common::as_another_program(&conn, "intruder");
    conn
}

#[test]
fn an_import_logs_every_record_it_writes_in_the_same_transaction() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &fixture("base.jsonl"));
    import(&mut store, &fixture("every_record.jsonl"));
    let reader = store.reader();
    // 6 + 29 records, plus the settings linked to meetings (2 + 1), a clinic (1) and a course (2).
    assert_eq!(reader.audit_len().unwrap(), 6 + 29 + 6);
    let amy = reader.audit_of(RecordKind::Child, "C-AMY").unwrap();
    assert_eq!(amy.len(), 1);
    let e = &amy[0];
    assert_eq!((e.op, e.table.as_str(), e.key.as_str()), (AuditOp::Insert, "children", "C-AMY"));
    assert_eq!(e.kind, Some(RecordKind::Child));
    assert_eq!(e.user, current_user());
    assert!(e.old.is_none());
    let new: serde_json::Value = serde_json::from_str(e.new.as_deref().unwrap()).unwrap();
    assert_eq!(new["first_name"], "Amy");
    assert_eq!(new["dob"], "2016-04-01");
    assert_eq!(new["setting"], "S-OAK", "references are logged by key");
    assert!(e.at.ends_with('Z') && e.at.len() == 24, "{}", e.at);
    assert!(e.date().is_some());

    // A meeting's history includes its links to settings.
    let meeting = reader.audit_of(RecordKind::LiftMeeting, "L-EY1").unwrap();
    let tables: Vec<&str> = meeting.iter().map(|e| e.table.as_str()).collect();
    assert_eq!(tables, ["lift_meetings", "lift_meeting_settings", "lift_meeting_settings"]);

    // A refused import logs nothing (its transaction, log included, is dropped).
    let before = store.reader().audit_len().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"type\":\"setting\",\"key\":\"S-NEW\",\"name\":\"New\",\"phase\":\"primary\",\"in_district\":true}\n\
         {\"type\":\"setting\",\"key\":\"S-BAD\",\"name\":\"Bad\",\"phase\":\"college\",\"in_district\":true}\n",
    )
    .unwrap();
    assert!(import_file(&mut store, &bad, ImportOptions::default()).is_err());
    assert_eq!(store.reader().audit_len().unwrap(), before);
}

#[test]
fn updates_log_old_and_new_values_and_deletes_log_the_old_row() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &fixture("base.jsonl"));
    import(&mut store, &fixture("every_record.jsonl"));

    // Close Ben's case (the UI's save path).
    let Record::Case(mut case) = stored(&store, RecordKind::Case, "K-BEN") else { panic!() };
    case.closed = Some(caseload::domain::Date::parse_iso("2024-07-31").unwrap());
    case.closure_reason = Some("targets_achieved".parse().unwrap());
    store.save(&Record::Case(case), true, common::TODAY.parse().unwrap()).unwrap();
    let history = store.reader().audit_of(RecordKind::Case, "K-BEN").unwrap();
    assert_eq!(history.iter().map(|e| e.op).collect::<Vec<_>>(), [AuditOp::Insert, AuditOp::Update]);
    let update = &history[1];
    assert_eq!(update.changed_fields(), ["closed", "closure_reason"]);
    let old: serde_json::Value = serde_json::from_str(update.old.as_deref().unwrap()).unwrap();
    let new: serde_json::Value = serde_json::from_str(update.new.as_deref().unwrap()).unwrap();
    assert_eq!(old["closed"], serde_json::Value::Null);
    assert_eq!(new["closed"], "2024-07-31");
    assert_eq!(store.reader().last_change(RecordKind::Case, "K-BEN").unwrap().unwrap().id, update.id);

    // Saving a record unchanged logs nothing.
    let len = store.reader().audit_len().unwrap();
    let same = stored(&store, RecordKind::Child, "C-AMY");
    store.save(&same, true, common::TODAY.parse().unwrap()).unwrap();
    assert_eq!(store.reader().audit_len().unwrap(), len);

    // The case's chronology: the case and its allocation, target, reviews, visits and note.
    let chronology = store.reader().audit_of_case("K-BEN").unwrap();
    let keys: Vec<&str> = chronology.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["K-BEN", "A-BEN", "G-BEN", "V-BEN", "V-BEN-2", "X-BEN", "X-BEN-2", "N-BEN-1", "K-BEN"]);
    assert!(chronology.windows(2).all(|w| w[0].id < w[1].id));

    // Deleting a LIFT meeting logs the meeting and, by cascade, its links, all under its key.
    let referral = stored(&store, RecordKind::Referral, "R-BEN");
    let Record::Referral(mut unlinked) = referral else { panic!() };
    unlinked.lift_meeting = None;
    store.save(&Record::Referral(unlinked), true, common::TODAY.parse().unwrap()).unwrap();
    store
        .change(&[Op::Remove(RecordKind::LiftMeeting, "L-EY1".into())], common::TODAY.parse().unwrap())
        .unwrap();
    let meeting = store.reader().audit_of(RecordKind::LiftMeeting, "L-EY1").unwrap();
    let deletes: Vec<(&str, &str)> = meeting
        .iter()
        .filter(|e| e.op == AuditOp::Delete)
        .map(|e| (e.table.as_str(), e.key.as_str()))
        .collect();
    assert_eq!(deletes.len(), 3, "{meeting:#?}");
    assert!(deletes.contains(&("lift_meetings", "L-EY1")));
    assert_eq!(
        deletes.iter().filter(|d| *d == &("lift_meeting_settings", "L-EY1")).count(),
        2,
        "{deletes:?}"
    );
    let gone = meeting.iter().find(|e| e.table == "lift_meetings" && e.op == AuditOp::Delete).unwrap();
    assert!(gone.new.is_none());
    assert!(gone.old.as_deref().unwrap().contains("\"kind\":\"early_years\""));
}

#[test]
fn the_log_cannot_be_changed_and_other_programs_cannot_write_records() {
    let (_dir, path) = on_disk();
    let mut store = Store::open(&path).unwrap();
    import(&mut store, &fixture("base.jsonl"));
    let len = store.reader().audit_len().unwrap();
    drop(store);

    // A program without caseload's function (the sqlite3 shell, a script) cannot write records.
    let bare = rusqlite::Connection::open(&path).unwrap();
    let err = bare.execute("UPDATE children SET first_name = 'Amelia' WHERE key = 'C-AMY'", []).unwrap_err();
    assert!(err.to_string().contains("no such function: caseload_"), "{err}");
    let err = bare
        .execute("INSERT INTO settings (key, name, phase, in_district) VALUES ('S-X', 'X', 'primary', 1)", [])
        .unwrap_err();
    assert!(err.to_string().contains("no such function: caseload_"), "{err}");
    // Nor change or remove the log.
    for sql in ["UPDATE audit SET os_user = 'nobody'", "DELETE FROM audit", "DELETE FROM audit WHERE id = 1"]
    {
        let err = bare.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("the audit log cannot be changed"), "{sql}: {err}");
    }
    drop(bare);

    // One that gives itself the function is still logged, under the name it gave.
    let foreign = foreign_writer(&path);
    foreign.execute("UPDATE children SET first_name = 'Amelia' WHERE key = 'C-AMY'", []).unwrap();
    assert!(foreign.execute("DELETE FROM audit", []).is_err());
    drop(foreign);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.reader().audit_len().unwrap(), len + 1);
    let last = store.reader().last_change(RecordKind::Child, "C-AMY").unwrap().unwrap();
    assert_eq!((last.user.as_str(), last.op), ("intruder", AuditOp::Update));
    assert_eq!(last.changed_fields(), ["first_name"]);
}

#[test]
fn the_audit_command_prints_json_lines_since_a_day() {
    let (_dir, db) = on_disk();
    let run = |args: &[&str]| {
        Command::new(binary()).arg("--db").arg(&db).args(args).env_remove("CASELOAD_DB").output().unwrap()
    };
    let out = run(&["import", fixture("base.jsonl").to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = run(&["audit"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 6);
    let amy = lines.iter().find(|l| l["key"] == "C-AMY").unwrap();
    assert_eq!(amy["table"], "children");
    assert_eq!(amy["op"], "insert");
    assert_eq!(amy["user"], current_user());
    assert_eq!(amy["new"]["last_name"], "Smith");
    assert_eq!(amy["old"], serde_json::Value::Null);

    // Everything was written today (UTC): nothing since tomorrow, everything since yesterday.
    let today = chrono::Utc::now().date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let since = |d: &str| run(&["audit", "--since", d]).stdout.iter().filter(|b| **b == b'\n').count();
    assert_eq!(since(&day(today.succ_opt().unwrap())), 0);
    assert_eq!(since(&day(today.pred_opt().unwrap())), 6);

    let bad = run(&["audit", "--since", "31/02/2024"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--since"));
}

/// An import writes its audit entries set-wise (see `store::bulk`); they must say exactly what
/// the per-row triggers say when the same records are saved one at a time.
#[test]
fn bulk_audit_entries_match_those_of_single_saves() {
    use caseload::import::line::{Parsed, parse_line};
    let entries = |store: &Store| -> Vec<(String, String, String, Option<String>)> {
        let mut all = Vec::new();
        store
            .reader()
            .each_audit_entry(None, &mut |e| {
                all.push((e.table.clone(), e.key.clone(), e.op.code().to_string(), e.new.clone()));
                Ok(())
            })
            .unwrap();
        all.sort();
        all
    };
    // Then a meeting and a clinic replaced (their links deleted and written again) beside a new
    // meeting: the links of both are logged.
    let dir = tempfile::tempdir().unwrap();
    let replacing = dir.path().join("replacing.jsonl");
    std::fs::write(
        &replacing,
        r#"{"type":"lift_meeting","key":"L-EY1","date":"2024-01-15","kind":"early_years","settings":["S-OAK","S-OUT"]}
{"type":"clinic","key":"CL-1","date":"2024-02-07","phase":"school","format":"in_setting_review","settings":["S-ASH","S-OAK"]}
{"type":"lift_meeting","key":"L-NEW","date":"2024-03-04","kind":"school","settings":["S-ASH"]}
"#,
    )
    .unwrap();
    let mut bulk = Store::open_in_memory().unwrap();
    import(&mut bulk, &fixture("base.jsonl"));
    import(&mut bulk, &fixture("every_record.jsonl"));
    let options = ImportOptions { update: true, ..Default::default() };
    import_file(&mut bulk, &replacing, options).unwrap();
    let mut single = Store::open_in_memory().unwrap();
    for (path, update) in
        [(fixture("base.jsonl"), false), (fixture("every_record.jsonl"), false), (replacing, true)]
    {
        for line in std::fs::read_to_string(path).unwrap().lines() {
            if let Parsed::Record(r) = parse_line(line, common::TODAY.parse().unwrap()) {
                single.save(&r, update, common::TODAY.parse().unwrap()).unwrap();
            }
        }
    }
    let (b, s) = (entries(&bulk), entries(&single));
    assert_eq!(b.len(), s.len());
    assert_eq!(b, s);
    // The replaced meeting's history: its insert, its links, the update, the links deleted and
    // written again, in that order.
    let history: Vec<(String, String)> = bulk
        .reader()
        .audit_of(RecordKind::LiftMeeting, "L-EY1")
        .unwrap()
        .iter()
        .map(|e| (e.table.clone(), e.op.code().to_string()))
        .collect();
    let expected = [
        ("lift_meetings", "insert"),
        ("lift_meeting_settings", "insert"),
        ("lift_meeting_settings", "insert"),
        ("lift_meetings", "update"),
        ("lift_meeting_settings", "delete"),
        ("lift_meeting_settings", "delete"),
        ("lift_meeting_settings", "insert"),
        ("lift_meeting_settings", "insert"),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(t, o)| (t.to_string(), o.to_string())).collect();
    assert_eq!(history, expected);
}

/// A district changed by the program (import, then a save) in a database file.
fn sealed_district() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sealed.db");
    let mut store = Store::open(&db).unwrap();
    common::import(&mut store, &common::fixture("base.jsonl"));
    common::import(&mut store, &common::fixture("every_record.jsonl"));
    let mut child = match store.reader().record(RecordKind::Child, "C-AMY").unwrap().unwrap() {
        Record::Child(c) => c,
        _ => unreachable!(),
    };
    child.upn = Some("A999999999999".into());
    store.save(&Record::Child(child), true, common::TODAY.parse().unwrap()).unwrap();
    (dir, db)
}

fn verify(db: &std::path::Path) -> (Option<i32>, String) {
    let out = std::process::Command::new(common::binary())
        .arg("--db")
        .arg(db)
        .args(["audit", "--verify"])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Another SQLite program on the file, with a function of the same name as caseload's.
fn other_program(db: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    common::as_another_program(&conn, "mallory");
    conn
}

#[test]
fn the_log_of_a_district_changed_only_by_caseload_verifies() {
    let (_dir, db) = sealed_district();
    let (code, out) = verify(&db);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("ok: the audit log's"), "{out}");
}

#[test]
fn editing_around_the_log_with_another_program_is_found() {
    // A trigger dropped (and left dropped).
    let (_dir, db) = sealed_district();
    other_program(&db).execute_batch("DROP TRIGGER children_audit_update").unwrap();
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1));
    assert!(out.contains("children_audit_update is missing"), "{out}");

    // A child edited with the triggers dropped, and the triggers put back as they were.
    let (_dir, db) = sealed_district();
    let conn = other_program(&db);
    let sql: String = conn
        .query_row("SELECT sql FROM sqlite_schema WHERE name = 'children_audit_update'", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER children_audit_update; UPDATE children SET first_name = 'Amelia' WHERE key = 'C-AMY'; {sql};"
    ))
    .unwrap();
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1));
    assert!(out.contains("child C-AMY is not as the audit log last recorded it"), "{out}");

    // An entry of the log removed (its guard dropped first).
    let (_dir, db) = sealed_district();
    other_program(&db)
        .execute_batch(
            "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);",
        )
        .unwrap();
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1));
    assert!(out.contains("was removed outside caseload"), "{out}");

    // An entry changed (its guard dropped first): the chain breaks there.
    let (_dir, db) = sealed_district();
    other_program(&db)
        .execute_batch(
            "DROP TRIGGER audit_no_update; UPDATE audit SET os_user = 'someone else' WHERE id = 3;",
        )
        .unwrap();
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1));
    assert!(out.contains("chain is broken at entry 3"), "{out}");

    // A change made with another program (its trigger writes an entry): never sealed, even after
    // caseload saves again.
    let (_dir, db) = sealed_district();
    other_program(&db).execute_batch("UPDATE children SET last_name = 'Smyth' WHERE key = 'C-AMY'").unwrap();
    let mut store = Store::open(&db).unwrap();
    common::import(&mut store, &{
        let f = db.with_file_name("later.jsonl");
        std::fs::write(&f, r#"{"type":"setting","key":"S-LATER","name":"Later School","phase":"primary","in_district":true}"#).unwrap();
        f
    });
    drop(store);
    let (code, out) = verify(&db);
    assert_eq!(code, Some(1));
    assert!(out.contains("by mallory") && out.contains("written by another program"), "{out}");
    // `check` says so too.
    let check =
        std::process::Command::new(common::binary()).arg("--db").arg(&db).arg("check").output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("written by another program"));
}
