//! The terminal application on a district's server database (in a pseudo-terminal): a LIFT
//! meeting's referral recorded by keys is saved to the server, where another desk's store reads it.
#![cfg(unix)]

mod common;
#[path = "common/pty.rs"]
mod harness;

use caseload::domain::RecordKind;
use caseload::store::Store;
use caseload::store::server::{self, Server, Target};
use common::pg;
use harness::{Term, row};
use std::process::Command;

fn run(db: &std::ffi::OsStr, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("CASELOAD_NOW", "2026-11-27T12:00:00Z")
        .env_remove("CASELOAD_DB")
        .output()
        .unwrap()
}

#[test]
fn the_application_on_a_server_saves_a_referral_another_desk_then_reads() {
    let Some(db) = pg::database() else { return };
    let owner = db.split_whitespace().find_map(|p| p.strip_prefix("user=")).unwrap().to_string();
    let target = |who: &str| Target::parse(&pg::caseload_url(&db, who), &|_| None).unwrap();
    let mut s = Server::connect(&target(&owner)).unwrap();
    server::init(&mut s).unwrap();
    s.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tess') THEN CREATE ROLE tess LOGIN; END IF; END $$;
         GRANT caseload_staff TO tess;",
    )
    .unwrap();
    // A demonstration district made in a file, copied to the server by its owner.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.db");
    let out = run(file.as_os_str(), &["demo", "--children", "300", "--years", "2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(file.as_os_str(), &["copy", "--to", &pg::caseload_url(&db, &owner)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let url = pg::caseload_url(&db, "tess");
    let mut term = Term::spawn_in(url.as_ref(), dir.path(), 100, 30, false);
    term.wait_for("the dashboard", |t| row(t, 1).contains("other terms"));
    term.send("4");
    term.wait_text("LIFT meetings");
    term.send("n");
    term.wait_text("New LIFT meeting");
    term.send("\r\r\t");
    term.send([0x13]);
    term.wait_text("Referral 1 at this meeting");
    // Advice (two down the outcomes): no case to open.
    term.new_child_referral("Zara", "Quillfeather", 2);
    term.send([0x13]);
    term.wait_text("Referral 2 at this meeting");
    let ended = term.esc();
    assert!(ended.contains("1 referral"), "{ended}");
    term.quit();

    // Another desk, on the server itself: the child and the referral are there, logged as tess's.
    let other = Store::open_server(&target(&owner)).unwrap();
    let reader = other.reader();
    let child = reader
        .find("Quillfeather", 10, "2026-11-27".parse().unwrap())
        .unwrap()
        .into_iter()
        .find(|f| f.kind == caseload::store::FoundKind::Child)
        .expect("the new child is on the server");
    let entries = reader.audit_of(RecordKind::Child, &child.key).unwrap();
    assert_eq!(entries.iter().map(|e| e.user.as_str()).collect::<Vec<_>>(), ["tess"]);
    assert_eq!(other.audit_problems().unwrap(), Vec::<String>::new());
}
