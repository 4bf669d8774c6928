//! A database as the previous version (7) left it, with records and an audit log, migrated to
//! version 8: the log still verifies, and the records dump, import and dump again the same.

use super::*;
use crate::domain::Date;
use crate::store::Store;

/// Version 7's schema with its triggers, records written by SQL (as version 7 wrote them, the
/// triggers logging each), one record changed afterwards, and the log sealed.
fn version_7(path: &Path) {
    let mut conn = Connection::open(path).unwrap();
    super::super::open::configure(&conn, &crate::clock::Clock::from_env()).unwrap();
    migrate_to(&mut conn, None, 7).unwrap();
    assert_eq!(user_version(&conn).unwrap(), 7);
    conn.execute_batch(
        "INSERT INTO district (id, key, name) VALUES (1, 'district', 'Old District');
         INSERT INTO settings (key, name, phase, in_district) VALUES ('S1', 'Oak Primary', 'primary', 1),
             ('S2', 'Ash Nursery', 'early_years', 1);
         INSERT INTO staff (key, name, role, area, fte, start_date) VALUES ('T1', 'Jo', 'specialist_teacher', 'semh', 1, '2020-09-01');
         INSERT INTO children (key, first_name, last_name, dob, setting_id) VALUES ('C1', 'Amy', 'Smith', '2016-04-01', 1);
         INSERT INTO lift_meetings (key, date, kind, camhs) VALUES ('L1', '2024-01-15', 'school', 1);
         INSERT INTO lift_meeting_settings (meeting_id, setting_id) VALUES (1, 1);
         INSERT INTO referrals (key, child_id, setting_id, received, phase, area, lift_meeting_id, outcome)
             VALUES ('R1', 1, 1, '2024-01-08', 'primary', 'semh', 1, 'allocated');
         INSERT INTO cases (key, child_id, setting_id, phase, area, opened, referral_id)
             VALUES ('K1', 1, 1, 'primary', 'semh', '2024-01-16', 1);
         INSERT INTO allocations (key, case_id, staff_id, start_date) VALUES ('A1', 1, 1, '2024-01-16');
         INSERT INTO targets (key, case_id, text, set_on) VALUES ('G1', 1, 'Uses a calm box', '2024-01-20');
         INSERT INTO clinics (key, date, phase, format, semh) VALUES ('CL1', '2024-02-07', 'school', 'clinic', 2);
         UPDATE targets SET text = 'Uses a calm box when upset' WHERE key = 'G1';",
    )
    .unwrap();
    super::super::chain::seal(&conn, 0).unwrap();
}

fn dump(store: &Store) -> Vec<String> {
    let mut lines = Vec::new();
    store
        .reader()
        .each_record(&mut |r| {
            lines.push(serde_json::to_string(&r).unwrap());
            Ok(())
        })
        .unwrap();
    lines
}

#[test]
fn a_version_7_database_with_a_log_migrates_to_8_and_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    version_7(&path);
    let store = Store::open(&path).unwrap();
    assert_eq!(user_version(&store.conn).unwrap(), SCHEMA_VERSION);
    assert_eq!(store.audit_problems().unwrap(), Vec::<String>::new());

    // Each record of a table that gained columns is logged once with all of them, under the
    // version that added them; the new columns read as unset.
    let added: Vec<(String, String)> = store
        .conn
        .prepare("SELECT table_name, record_key FROM audit WHERE os_user = 'caseload (a field added by version 8)' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let pairs: Vec<(&str, &str)> = added.iter().map(|(t, k)| (t.as_str(), k.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("settings", "S1"),
            ("settings", "S2"),
            ("cases", "K1"),
            ("targets", "G1"),
            ("lift_meetings", "L1"),
            ("clinics", "CL1")
        ]
    );
    let new: String = store
        .conn
        .query_row("SELECT new FROM audit WHERE table_name = 'settings' AND record_key = 'S1' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(new.ends_with(r#""link_teacher":null}"#), "the staff key is logged as link_teacher: {new}");

    // The dump imports into an empty database and dumps the same.
    let first = dump(&store);
    assert!(
        first.iter().any(|l| l.contains(r#""key":"L1""#) && !l.contains("status")),
        "held is the default"
    );
    let file = dir.path().join("dump.jsonl");
    std::fs::write(&file, first.join("\n")).unwrap();
    let mut copy = Store::open(&dir.path().join("copy.db")).unwrap();
    let today = Date::parse_iso("2025-01-01").unwrap();
    crate::import::import_file(
        &mut copy,
        &file,
        crate::import::ImportOptions { update: false, progress: None, today },
    )
    .unwrap();
    assert_eq!(dump(&copy), first);
    assert_eq!(copy.audit_problems().unwrap(), Vec::<String>::new());
}

#[test]
fn a_record_changed_outside_caseload_before_the_migration_is_still_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    version_7(&path);
    {
        let conn = Connection::open(&path).unwrap();
        // Another program drops the case's update trigger, edits the case, and puts it back.
        let sql: String = conn
            .query_row("SELECT sql FROM sqlite_schema WHERE name = 'cases_audit_update'", [], |r| r.get(0))
            .unwrap();
        conn.execute_batch(&format!(
            "DROP TRIGGER cases_audit_update; UPDATE cases SET outreach = 1 WHERE key = 'K1'; {sql};"
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let problems = store.audit_problems().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("case K1") && problems[0].contains("changed outside caseload"),
        "{problems:?}"
    );
}
