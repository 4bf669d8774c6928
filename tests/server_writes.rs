//! The same store scenarios on a file and on a PostgreSQL server (two desks each): saves, replace,
//! remove, rules refused, undo, no lost update, keys taken at the same moment, a reader's save
//! refused, and another desk's change seen through the store's change signal.
//!
//! Each server test has a database of its own on a throwaway server (tests/common/pg.rs); without
//! PostgreSQL they say they were skipped (and fail under CASELOAD_CI=1 on Linux).

mod common;

use caseload::domain::{Record, RecordKind};
use caseload::import::line::{Parsed, parse_line};
use caseload::store::server::Server;
use caseload::store::{Op, SaveError, Store, StoreError};
use common::backend::Backend;
use common::{dump_of, fixture};
use std::time::{Duration, Instant};

fn records(text: &str) -> Vec<Record> {
    text.lines()
        .filter_map(|l| match parse_line(l, common::TODAY.parse().unwrap()) {
            Parsed::Record(r) => Some(r),
            Parsed::Skip => None,
            Parsed::Bad { problems, .. } => panic!("{l}: {problems:?}"),
        })
        .collect()
}

fn record(line: &str) -> Record {
    records(line).pop().unwrap()
}

fn today() -> caseload::domain::Date {
    common::TODAY.parse().unwrap()
}

fn backends() -> Vec<Backend> {
    Backend::both()
}

fn first_name(store: &Store, key: &str) -> Option<String> {
    match store.reader().record(RecordKind::Child, key).unwrap()? {
        Record::Child(c) => Some(c.first_name.clone()),
        _ => None,
    }
}

const AMY: &str = r#"{"type":"child","key":"C-AMY","first_name":"Amy","last_name":"Smith","dob":"2016-04-01","setting":"S-OAK"}"#;

fn amy_named(name: &str) -> Record {
    record(&AMY.replace("\"Amy\"", &format!("\"{name}\"")))
}

#[test]
fn an_import_into_a_server_dumps_as_it_does_from_a_file_and_its_log_verifies() {
    let mut dumps = Vec::new();
    for backend in backends() {
        let mut desk = backend.desk("ann");
        common::import(&mut desk, &fixture("base.jsonl"));
        common::import(&mut desk, &fixture("every_record.jsonl"));
        assert_eq!(desk.audit_problems().unwrap(), Vec::<String>::new());
        // Read by another desk, from the server itself.
        let other = backend.desk("ada");
        assert_eq!(dump_of(&other), dump_of(&desk));
        assert_eq!(other.audit_problems().unwrap(), Vec::<String>::new());
        if backend.is_server() {
            let entries = other.reader().audit_since("2000-01-01".parse().unwrap()).unwrap();
            assert!(entries.len() > 20 && entries.iter().all(|e| e.user == "ann"), "the log names the login");
        }
        dumps.push(dump_of(&other));
    }
    assert!(dumps.windows(2).all(|w| w[0] == w[1]), "the dumps differ between the backends");
}

#[test]
fn saves_replace_remove_undo_and_refused_rules_are_the_same_on_both_backends() {
    let mut seen = Vec::new();
    for backend in backends() {
        let mut desk = backend.desk("ann");
        common::import(&mut desk, &fixture("base.jsonl"));
        let other = || backend.desk("ada");
        // Replace, seen by another desk.
        let done = desk.save(&amy_named("Amelia"), true, today()).unwrap();
        assert_eq!(first_name(&other(), "C-AMY").as_deref(), Some("Amelia"));
        // Undo, seen too.
        desk.change(&done.undo, today()).unwrap();
        assert_eq!(first_name(&other(), "C-AMY").as_deref(), Some("Amy"));
        // Adding a key that is there is refused, nothing changed.
        let e = desk.save(&amy_named("Again"), false, today()).unwrap_err();
        assert!(matches!(e, SaveError::Duplicate { .. }), "{e:?}");
        // A rule broken: refused before anything is sent.
        let mut future = amy_named("Amy");
        if let Record::Child(c) = &mut future {
            c.dob = "2099-01-01".parse().unwrap();
        }
        let e = desk.save(&future, true, today()).unwrap_err();
        assert!(matches!(e, SaveError::Rules(_)), "{e:?}");
        // A new child, then removed; a child with a case cannot be removed.
        let zed = record(
            r#"{"type":"child","key":"C-ZED","first_name":"Zed","last_name":"Ng","dob":"2015-02-02","setting":"S-OAK"}"#,
        );
        desk.save(&zed, false, today()).unwrap();
        assert_eq!(first_name(&other(), "C-ZED").as_deref(), Some("Zed"));
        desk.change(&[Op::Remove(RecordKind::Child, "C-ZED".into())], today()).unwrap();
        assert_eq!(first_name(&other(), "C-ZED"), None);
        let e = desk.change(&[Op::Remove(RecordKind::Child, "C-AMY".into())], today()).unwrap_err();
        assert!(matches!(e, SaveError::InUse { .. }), "{e:?}");
        let last = other();
        assert_eq!(last.audit_problems().unwrap(), Vec::<String>::new());
        // The saving desk's own copy holds the log as the server numbers it, sealed and whole.
        let log = |s: &Store| format!("{:?}", s.reader().audit_since("2000-01-01".parse().unwrap()).unwrap());
        assert_eq!(log(&desk), log(&last), "the desk's log is not the server's");
        assert_eq!(desk.audit_problems().unwrap(), Vec::<String>::new());
        assert_eq!(dump_of(&desk), dump_of(&last));
        seen.push(dump_of(&last));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "the backends ended differently");
}

#[test]
fn a_save_of_a_record_another_desk_changed_after_it_was_read_is_refused_on_both_backends() {
    for backend in backends() {
        let mut first = backend.desk("ann");
        common::import(&mut first, &fixture("base.jsonl"));
        let mut second = backend.desk("ada");
        let mark = second.reader().audit_mark().unwrap();
        first.save(&amy_named("Amelia"), true, today()).unwrap();
        // The second desk read Amy before the first saved: its save states the mark it read at.
        let e = second.change_read_at(&[Op::Replace(amy_named("Amy-Rose"))], today(), mark).unwrap_err();
        let SaveError::Stale(entry) = &e else { panic!("{e:?}") };
        if backend.is_server() {
            assert_eq!(entry.user, "ann", "the server's log names the login that changed it");
        }
        assert!(e.to_string().contains("nothing was saved"), "{e}");
        assert_eq!(first_name(&backend.desk("ann"), "C-AMY").as_deref(), Some("Amelia"), "no lost update");
        assert_eq!(first_name(&second, "C-AMY").as_deref(), Some("Amelia"), "the second desk sees it now");
    }
}

#[test]
fn on_a_server_a_save_from_a_copy_not_yet_refreshed_is_refused_by_the_row_it_read() {
    let Some(backend) = Backend::server() else { return };
    let mut first = backend.desk("ann");
    common::import(&mut first, &fixture("base.jsonl"));
    let mut second = backend.desk("ada");
    first.save(&amy_named("Amelia"), true, today()).unwrap();
    // The second desk has not looked for notices: its copy still says Amy, and its save (with no
    // mark) replaces that row, which the server no longer holds.
    assert_eq!(first_name(&second, "C-AMY").as_deref(), Some("Amy"));
    let e = second.save(&amy_named("Amy-Rose"), true, today()).unwrap_err();
    let SaveError::Stale(entry) = &e else { panic!("{e:?}") };
    assert_eq!((entry.user.as_str(), entry.key.as_str()), ("ann", "C-AMY"));
    assert!(e.to_string().starts_with("the child C-AMY was changed by ann"), "{e}");
    assert_eq!(first_name(&second, "C-AMY").as_deref(), Some("Amelia"), "read again after the refusal");
    assert!(second.changed_elsewhere().unwrap(), "the screens are told the copy was read again");
    assert!(!second.changed_elsewhere().unwrap(), "once");
    // Saved again from what it now shows, it goes through.
    second.save(&amy_named("Amy-Rose"), true, today()).unwrap();
    assert_eq!(first_name(&backend.desk("rita"), "C-AMY").as_deref(), Some("Amy-Rose"));
}

#[test]
fn two_desks_adding_at_the_same_moment_never_lose_either_record() {
    for backend in backends() {
        let mut first = backend.desk("ann");
        common::import(&mut first, &fixture("base.jsonl"));
        let mut second = backend.desk("ada");
        let child = |key: &str| {
            record(&format!(
                r#"{{"type":"child","key":"{key}","first_name":"N","last_name":"M","dob":"2015-02-02","setting":"S-OAK"}}"#
            ))
        };
        first.save(&child("C-ONE"), false, today()).unwrap();
        // On a server the second desk's copy gave the new child the same row number: the server
        // refuses it, nothing is saved, and saved again it goes through. A file has one numbering.
        match second.save(&child("C-TWO"), false, today()) {
            Ok(_) => assert!(!backend.is_server(), "the server must refuse a row number taken"),
            Err(e) => {
                assert!(backend.is_server(), "{e}");
                assert!(e.to_string().contains("another desk saved a change"), "{e}");
                second.save(&child("C-TWO"), false, today()).unwrap();
            }
        }
        let last = backend.desk("rita");
        assert!(first_name(&last, "C-ONE").is_some() && first_name(&last, "C-TWO").is_some());
        assert_eq!(last.audit_problems().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn a_readers_save_is_refused_by_the_server_in_words_and_changes_nothing() {
    let Some(backend) = Backend::server() else { return };
    let mut staff = backend.desk("ann");
    common::import(&mut staff, &fixture("base.jsonl"));
    let mut reader = backend.desk("rita");
    let before = dump_of(&reader);
    let e = reader.save(&amy_named("Amelia"), true, today()).unwrap_err();
    assert!(matches!(e, SaveError::Store(StoreError::RoleCannotWrite(_))), "{e:?}");
    assert!(e.to_string().starts_with("your role can read but not change records"), "{e}");
    assert_eq!(dump_of(&reader), before, "nothing changed in the reader's copy either");
    assert_eq!(dump_of(&backend.desk("ann")), before, "nor on the server");
}

#[test]
fn another_desks_change_is_seen_through_the_stores_change_signal_within_a_second() {
    for backend in backends() {
        let mut first = backend.desk("ann");
        common::import(&mut first, &fixture("base.jsonl"));
        let mut second = backend.desk("ada");
        assert!(!second.changed_elsewhere().unwrap());
        assert!(!second.changed_elsewhere().unwrap(), "nothing changed yet");
        let started = Instant::now();
        first.save(&amy_named("Amelia"), true, today()).unwrap();
        assert!(!first.changed_elsewhere().unwrap() || !backend.is_server(), "its own save is not another's");
        while !second.changed_elsewhere().unwrap() {
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "not seen within a second (server: {})",
                backend.is_server()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(first_name(&second, "C-AMY").as_deref(), Some("Amelia"));
    }
}

#[test]
fn an_erasure_on_a_server_is_an_admins_and_the_log_still_verifies_as_on_a_file() {
    let mut redacted = Vec::new();
    for backend in backends() {
        let mut desk = backend.desk("ann");
        common::import(&mut desk, &fixture("base.jsonl"));
        common::import(&mut desk, &fixture("every_record.jsonl"));
        desk.save(&amy_named("Amelia"), true, today()).unwrap();
        let keys = vec!["C-AMY".to_string()];
        if backend.is_server() {
            // Staff may not erase: said before anything is done.
            let before = dump_of(&desk);
            let e = desk.erase(&keys, Some("SAR-1"), false).unwrap_err().to_string();
            assert!(e.contains("needs the caseload_admin role") && e.contains("nothing was changed"), "{e}");
            assert_eq!(dump_of(&backend.desk("rita")), before);
        }
        let mut admin = backend.desk("ada");
        let done = admin.erase(&keys, Some("SAR-1"), false).unwrap();
        let new_key = &done.children[0].new_key;
        let fresh = backend.desk("rita");
        assert!(fresh.reader().is_erased(new_key).unwrap());
        assert_eq!(first_name(&fresh, "C-AMY"), None);
        let dump = dump_of(&fresh);
        assert!(!dump.contains("Amelia") && !dump.contains("Smith"), "the child's name is gone");
        assert_eq!(
            fresh.audit_problems().unwrap(),
            Vec::<String>::new(),
            "the log verifies after the erasure"
        );
        let entries = fresh.reader().audit_since("2000-01-01".parse().unwrap()).unwrap();
        let text: String = entries.iter().map(|e| format!("{} {:?} {:?}\n", e.key, e.old, e.new)).collect();
        assert!(!text.contains("Amelia") && !text.contains("C-AMY"), "the log keeps nothing of the child");
        redacted.push((done.children[0].redacted, fresh.reader().audit_redacted().unwrap()));
    }
    assert!(redacted.windows(2).all(|w| w[0] == w[1]), "redacted differently: {redacted:?}");
}

#[test]
fn a_save_of_another_record_goes_through_and_the_copy_then_holds_both_desks_changes() {
    for backend in backends() {
        let mut first = backend.desk("ann");
        common::import(&mut first, &fixture("base.jsonl"));
        common::import(&mut first, &fixture("every_record.jsonl"));
        let mut second = backend.desk("ada");
        first.save(&amy_named("Amelia"), true, today()).unwrap();
        // The second desk has not refreshed; it changes another child, which no one touched.
        let ben = second.reader().record(RecordKind::Child, "C-BEN").unwrap().unwrap();
        let Record::Child(mut ben) = ben else { panic!() };
        ben.first_name = "Benedict".into();
        second.save(&Record::Child(ben), true, today()).unwrap();
        assert_eq!(first_name(&second, "C-AMY").as_deref(), Some("Amelia"), "the other desk's change too");
        let fresh = backend.desk("rita");
        assert_eq!(dump_of(&second), dump_of(&fresh));
        let log = |s: &Store| format!("{:?}", s.reader().audit_since("2000-01-01".parse().unwrap()).unwrap());
        assert_eq!(log(&second), log(&fresh));
        assert_eq!(second.audit_problems().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn every_record_type_written_by_one_desk_reads_back_the_same_at_another_on_both_backends() {
    let mut all = records(&std::fs::read_to_string(fixture("base.jsonl")).unwrap());
    all.extend(records(&std::fs::read_to_string(fixture("every_record.jsonl")).unwrap()));
    for backend in backends() {
        let mut desk = backend.desk("ann");
        let writer = desk.write().unwrap();
        let mut batch = writer.batch(false).unwrap();
        for r in &all {
            writer.put(&mut batch, r).unwrap_or_else(|e| panic!("{r:?}: {e:?}"));
        }
        assert!(writer.batch_violations(&batch).unwrap().is_empty());
        writer.commit().unwrap();
        let other = backend.desk("rita");
        for r in &all {
            assert_eq!(other.reader().record(r.kind(), &r.key()).unwrap().as_ref(), Some(r), "{}", r.key());
        }
        // A write dropped without commit sends nothing.
        {
            let writer = desk.write().unwrap();
            let mut batch = writer.batch(true).unwrap();
            writer.put(&mut batch, &amy_named("Never")).unwrap();
        }
        assert_eq!(first_name(&backend.desk("rita"), "C-AMY").as_deref(), Some("Amy"));
    }
}

#[test]
fn a_generated_district_saved_through_a_server_gives_every_return_the_file_gives() {
    let dir = tempfile::tempdir().unwrap();
    let (_, file) = common::generated_district(dir.path(), 60, 11);
    let dump = dir.path().join("district.jsonl");
    std::fs::write(&dump, dump_of(&file)).unwrap();
    let Some(backend) = Backend::server() else { return };
    let mut desk = backend.desk("ann");
    common::import(&mut desk, &dump);
    let other = backend.desk("rita");
    assert_eq!(dump_of(&other), dump_of(&file));
    let from_file = common::every_return(&file, 2023..=2026);
    assert_eq!(common::every_return(&other, 2023..=2026), from_file);
    // A return counted on the server (what export and report do) gives the same, and its store
    // holds no records of its own: a read of them fails rather than finding none, and it writes
    // nothing.
    let Backend::Server(db) = &backend else { unreachable!() };
    let target = common::backend::target(db, "rita");
    let mut counted = caseload::store::server::figures_of(Server::connect(&target).unwrap()).unwrap();
    assert_eq!(common::every_return(&counted, 2023..=2026), from_file);
    assert!(counted.reader().count(RecordKind::Child).is_err());
    assert!(counted.write().is_err());
    // A year's periods shared between the server's connections, as an export shares them.
    let all = caseload::kpi::framework::find("all").unwrap();
    for year in 2023..=2026 {
        let request = caseload::kpi::report::Request {
            year: caseload::domain::AcademicYear::starting(year),
            span: caseload::domain::Scope::Year,
            framework: all,
            generated_at: String::new(),
            today: today(),
        };
        let shared = caseload::kpi::report::build_from(&counted.snapshot().unwrap(), &request);
        let one_by_one = caseload::kpi::report::build(file.reader(), &request);
        assert_eq!(format!("{shared:?}"), format!("{one_by_one:?}"), "{year}");
    }
}

#[test]
fn a_login_with_no_role_is_told_so_in_words() {
    let Some(Backend::Server(db)) = Backend::server() else { return };
    let owner = db.split_whitespace().find_map(|p| p.strip_prefix("user=")).unwrap().to_string();
    let mut s = caseload::store::server::Server::connect(&common::backend::target(&db, &owner)).unwrap();
    s.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nora') THEN CREATE ROLE nora LOGIN; END IF; END $$;",
    )
    .unwrap();
    let e = Store::open_server(&common::backend::target(&db, "nora")).err().unwrap().to_string();
    assert!(e.contains("the login nora has none of caseload's roles"), "{e}");
}
