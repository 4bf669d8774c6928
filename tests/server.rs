//! The district's database on a PostgreSQL server: `server init`, copies both ways checked whole,
//! the same returns as from the file, the roles the server enforces, the audit log append-only by
//! privilege and naming the login, and another desk's change told within a second.
//!
//! Each test has a database of its own on a throwaway server (tests/common/pg.rs); without
//! PostgreSQL they say they were skipped (and fail under CASELOAD_CI=1).

mod common;

use caseload::store::StoreError;
use caseload::store::server::{self, Server, Target};
use common::pg;
use std::time::{Duration, Instant};

fn connect(conninfo: &str, user: &str) -> Server {
    let url = pg::caseload_url(conninfo, user);
    let target = Target::parse(&url, &|_| None).unwrap();
    Server::connect(&target).unwrap()
}

fn owner(conninfo: &str) -> Server {
    let user = conninfo.split_whitespace().find_map(|p| p.strip_prefix("user=")).unwrap().to_string();
    connect(conninfo, &user)
}

/// A server database made by `server init`, with logins of each role (`ann` staff, `rita`
/// reader, `ada` admin): its conninfo.
fn initialised() -> Option<(String, Server)> {
    let db = pg::database()?;
    let mut s = owner(&db);
    // Roles and grants belong to the whole server: one test at a time makes them.
    static ROLES: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ROLES.lock().unwrap_or_else(|e| e.into_inner());
    server::init(&mut s).unwrap();
    for (login, role) in [("ann", "caseload_staff"), ("rita", "caseload_reader"), ("ada", "caseload_admin")] {
        // Logins belong to the whole server: another test may have made them.
        s.execute(&format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN CREATE ROLE {login} LOGIN; END IF; END $$;
             GRANT {role} TO {login};"
        ))
        .unwrap();
    }
    Some((db, s))
}

#[test]
fn a_district_copied_to_a_server_and_back_is_the_same_records_log_and_returns() {
    let Some((db, mut s)) = initialised() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (_, file) = common::generated_district(dir.path(), 80, 7);
    let copied = server::copy_to_server(&file, &mut s).unwrap();
    assert!(copied.tables.iter().any(|(t, n)| t == "children" && *n == 80), "{:?}", copied.tables);
    assert!(copied.tables.iter().any(|(t, n)| t == "audit" && *n > 80));

    // Read from the server (the commands that only read), and copied back into a new file.
    let replica = server::replica_of(&mut owner(&db)).unwrap();
    let back_path = dir.path().join("back.db");
    let (back, _) = server::copy_from_server(&mut owner(&db), &back_path).unwrap();
    let years = 2023..=2026;
    let file_returns = common::every_return(&file, years.clone());
    for copy in [&replica, &back] {
        assert_eq!(common::dump_of(copy), common::dump_of(&file), "the dump differs");
        assert_eq!(common::every_return(copy, years.clone()), file_returns, "a return differs");
        assert_eq!(copy.audit_problems().unwrap(), Vec::<String>::new(), "the log's chain must verify");
        assert_eq!(copy.reader().audit_len().unwrap(), file.reader().audit_len().unwrap());
    }
    // Whole and checked: a second copy into the filled database is refused, leaving it as it was.
    let e = server::copy_to_server(&file, &mut s).err().unwrap().to_string();
    assert!(e.contains("is not empty"), "{e}");
    // And a file is never overwritten by copy --from.
    let e = server::copy_from_server(&mut owner(&db), &back_path).err().unwrap().to_string();
    assert!(e.contains("there already"), "{e}");
}

#[test]
fn a_readers_save_is_refused_by_the_server_in_words() {
    let Some((db, _)) = initialised() else { return };
    let mut reader = connect(&db, "rita");
    let e = reader.execute("INSERT INTO district (id, key, name) VALUES (1, 'district', 'X')").unwrap_err();
    assert!(matches!(e, StoreError::RoleCannotWrite(_)), "{e:?}");
    assert!(e.to_string().starts_with("your role can read but not change records"), "{e}");
    // Staff may write; the log names the server login, whoever runs the program.
    let mut staff = connect(&db, "ann");
    staff.execute("INSERT INTO district (id, key, name) VALUES (1, 'district', 'North')").unwrap();
    let replica = server::replica_of(&mut reader).unwrap();
    let entries = replica.reader().audit_since("2000-01-01".parse().unwrap()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].user, "ann");
    assert_eq!(entries[0].new.as_deref(), Some(r#"{"key":"district","name":"North","retention":null}"#));
    // Sealed on the server by the file's rule: the log verifies on a copy.
    staff.execute("UPDATE district SET name = 'North Shire'; INSERT INTO settings (key, name, phase, in_district) VALUES ('S1', 'A School', 'primary', 1)").unwrap();
    let replica = server::replica_of(&mut reader).unwrap();
    assert_eq!(replica.reader().audit_len().unwrap(), 3);
    assert_eq!(replica.audit_problems().unwrap(), Vec::<String>::new());
}

#[test]
fn the_audit_log_is_append_only_for_every_role() {
    let Some((db, _)) = initialised() else { return };
    let mut staff = connect(&db, "ann");
    staff.execute("INSERT INTO district (id, key, name) VALUES (1, 'district', 'North')").unwrap();
    for login in ["ann", "ada", "rita"] {
        let mut s = connect(&db, login);
        for sql in [
            "UPDATE audit SET os_user = 'someone else'",
            "DELETE FROM audit",
            "INSERT INTO audit (at, os_user, table_name, record_key, op) VALUES ('x', 'y', 'district', 'district', 'insert')",
            "DELETE FROM audit_seal",
        ] {
            let e = s.execute(sql).unwrap_err();
            assert!(matches!(e, StoreError::RoleCannotWrite(_)), "{login}: {sql}: {e:?}");
        }
    }
}

#[test]
fn another_desks_change_is_told_within_a_second() {
    let Some((db, _)) = initialised() else { return };
    let mut desk = connect(&db, "rita");
    desk.listen().unwrap();
    assert!(!desk.changed_within(Duration::from_millis(200)).unwrap(), "nothing changed yet");
    let mut other = connect(&db, "ann");
    let started = Instant::now();
    other.execute("INSERT INTO district (id, key, name) VALUES (1, 'district', 'North')").unwrap();
    assert!(desk.changed_within(Duration::from_secs(1)).unwrap(), "the change was not told");
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn server_init_twice_keeps_the_records_and_a_newer_schema_is_refused() {
    let Some((db, mut s)) = initialised() else { return };
    connect(&db, "ann")
        .execute("INSERT INTO district (id, key, name) VALUES (1, 'district', 'North')")
        .unwrap();
    let again = server::init(&mut s).unwrap();
    assert!(!again.created_schema);
    let replica = server::replica_of(&mut s).unwrap();
    assert_eq!(replica.reader().district().unwrap().map(|d| d.name), Some("North".to_string()));
    s.execute("UPDATE caseload_schema SET version = version + 1").unwrap();
    let e = server::replica_of(&mut s).err().unwrap();
    assert!(matches!(e, StoreError::TooNew { .. }), "{e:?}");
    assert!(matches!(server::init(&mut s).err().unwrap(), StoreError::TooNew { .. }));
}

#[test]
fn the_command_line_inits_copies_and_exports_from_a_server() {
    let Some(db) = pg::database() else { return };
    let user = db.split_whitespace().find_map(|p| p.strip_prefix("user=")).unwrap();
    let url = pg::caseload_url(&db, user);
    let run = |db: &str, args: &[&str]| {
        let out = std::process::Command::new(common::binary())
            .arg("--db")
            .arg(db)
            .args(args)
            .env("CASELOAD_NOW", "2024-09-02T09:00:00Z")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, err) = run(&url, &["server", "init"]);
    assert_eq!(code, Some(0), "{err}");
    let (_dir, file) = common::kpi_district();
    let file = file.to_str().unwrap();
    let (code, _, err) = run(file, &["copy", "--to", &url]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("checked"), "{err}");
    for args in [&["export", "--year", "2023-24", "--format", "json"][..], &["dump"][..]] {
        let (code, from_file, err) = run(file, args);
        assert_eq!(code, Some(0), "{err}");
        let (code, from_server, err) = run(&url, args);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(from_server, from_file, "{args:?}");
    }
    for args in [&["backup", "x.db"][..], &["restore", "x.db"][..]] {
        let (code, _, err) = run(&url, args);
        assert_eq!(code, Some(2));
        assert!(err.contains("IT") && err.contains("copy --from"), "{args:?}: {err}");
    }
    let (code, _, err) = run("postgres://ann:secret@localhost/x", &["dump"]);
    assert_eq!(code, Some(2));
    assert!(!err.contains("secret"), "{err}");
}

#[test]
fn the_command_line_imports_erases_and_verifies_on_a_server_by_role() {
    let Some((db, _)) = initialised() else { return };
    let run = |who: &str, args: &[&str]| {
        let out = std::process::Command::new(common::binary())
            .arg("--db")
            .arg(pg::caseload_url(&db, who))
            .args(args)
            .env("CASELOAD_NOW", "2026-11-30T09:00:00Z")
            .env_remove("CASELOAD_DB")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let base = common::fixture("base.jsonl");
    let every = common::fixture("every_record.jsonl");
    // A reader's import is refused by the server in words, and nothing is written.
    let (code, _, err) = run("rita", &["import", base.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("your role can read but not change records"), "{err}");
    for file in [&base, &every] {
        let (code, _, err) = run("ann", &["import", file.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{err}");
    }
    // The server's dump is the file's for the same imports.
    let dir = tempfile::tempdir().unwrap();
    let mut local = caseload::store::Store::open(&dir.path().join("d.db")).unwrap();
    common::import(&mut local, &base);
    common::import(&mut local, &every);
    let (code, dump, err) = run("rita", &["dump"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(dump, common::dump_of(&local));
    // Staff may not erase; an admin may, and the log still verifies.
    let (code, _, err) = run("ann", &["erase", "C-AMY", "--reason", "SAR-1"]);
    assert_ne!(code, Some(0));
    assert!(err.contains("needs the caseload_admin role"), "{err}");
    let (code, out, err) = run("ada", &["erase", "C-AMY", "--reason", "SAR-1"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("erased C-AMY"), "{out}");
    let (code, out, err) = run("rita", &["audit", "--verify"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (_, dump, _) = run("rita", &["dump"]);
    assert!(!dump.contains("Smith") && !dump.contains("C-AMY"), "{dump}");
}
