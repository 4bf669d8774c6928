//! Outputs never destroy the database, temporary files never leak, a mistyped database is never
//! reported as a success, a refused file is left as it was, and a backup can be put back safely.
//! Real processes on real files.

mod common;

use common::{binary, fixture};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(binary()).arg("--db").arg(db).args(args).env_remove("CASELOAD_DB").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A database holding the base fixture, in a folder of its own.
fn district() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("district.db");
    let out = run(&db, &["import", fixture("every_record.jsonl").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "every_record needs base first");
    let out = run(&db, &["import", fixture("base.jsonl").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (dir, db)
}

use common::files_in;

#[test]
fn no_output_can_be_the_database_or_one_of_its_files() {
    let (dir, db) = district();
    let before = run(&db, &["dump"]).stdout;
    let wal = dir.path().join("district.db-wal");
    // A link to it on Unix (on Windows making one needs a privilege users seldom have).
    #[cfg(unix)]
    let link = {
        let link = dir.path().join("return.json");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        link
    };
    #[cfg(not(unix))]
    let link = db.clone();
    let attempts: Vec<Vec<String>> = vec![
        vec!["export".into(), "--year".into(), "2023-24".into(), "--out".into(), db.display().to_string()],
        vec![
            "export".into(),
            "--year".into(),
            "2023-24".into(),
            "--format".into(),
            "json".into(),
            "--out".into(),
            wal.display().to_string(),
        ],
        vec!["export".into(), "--year".into(), "2023-24".into(), "--out".into(), link.display().to_string()],
        vec!["dump".into(), "--out".into(), db.display().to_string()],
        vec!["dump".into(), "--out".into(), dir.path().join("district.db-shm").display().to_string()],
        vec!["backup".into(), wal.display().to_string()],
        vec!["backup".into(), db.display().to_string()],
    ];
    for args in attempts {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("would destroy it"), "{args:?}: {}", text(&out.stderr));
        assert_eq!(run(&db, &["dump"]).stdout, before, "{args:?} changed the database");
    }
    assert!(!files_in(dir.path()).iter().any(|f| f.contains("partial")), "{:?}", files_in(dir.path()));
}

#[test]
fn a_folder_as_output_gets_the_usual_name_and_a_device_is_written_directly() {
    let (dir, db) = district();
    let folder = dir.path().join("returns");
    std::fs::create_dir(&folder).unwrap();
    let out = run(&db, &["export", "--year", "2023-24", "--term", "3", "--out", folder.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(files_in(&folder), ["test-district-return-2023-24-T3-2023-24.json"]);
    let out = run(&db, &["dump", "--out", folder.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(files_in(&folder).contains(&"caseload-records.jsonl".to_string()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        // A character device stays one: written directly, never replaced by a regular file.
        let out = run(&db, &["export", "--year", "2023-24", "--format", "csv", "--out", "/dev/null"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        // A full disk is a failure of the disk (exit 1), named as such, not bad input.
        let out = run(&db, &["export", "--year", "2023-24", "--format", "csv", "--out", "/dev/full"]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("the disk is full"), "{}", text(&out.stderr));
    }
}

#[cfg(unix)]
#[test]
fn a_stopped_dump_leaves_no_partial_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    let out = run(&db, &["demo", "--children", "3000", "--years", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let target = dir.path().join("out");
    std::fs::create_dir(&target).unwrap();
    let mut stopped = 0;
    for attempt in 0..20 {
        let mut child = Command::new(binary())
            .arg("--db")
            .arg(&db)
            .args(["dump", "--out", target.join("d.jsonl").to_str().unwrap()])
            .spawn()
            .unwrap();
        // Wait for the temporary file to appear, then stop the command while it writes.
        let started = std::time::Instant::now();
        while !files_in(&target).iter().any(|f| f.ends_with(".partial")) {
            if child.try_wait().unwrap().is_some() || started.elapsed().as_secs() > 10 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
        let status = child.wait().unwrap();
        let left = files_in(&target);
        assert!(!left.iter().any(|f| f.ends_with(".partial")), "attempt {attempt}: {left:?} ({status:?})");
        if status.code() == Some(143) {
            stopped += 1;
            assert!(left.is_empty(), "a stopped dump leaves nothing: {left:?}");
            if stopped >= 3 {
                break;
            }
        }
        let _ = std::fs::remove_file(target.join("d.jsonl"));
    }
    assert!(stopped >= 1, "the dump was never caught while writing");
}

#[test]
fn a_command_on_a_missing_database_refuses_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.db");
    let copy = dir.path().join("b.db");
    for args in [
        vec!["backup", copy.to_str().unwrap()],
        vec!["check"],
        vec!["dump"],
        vec!["export", "--year", "2023-24"],
        vec!["audit"],
    ] {
        let out = run(&typo, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(&format!("no database at {}", typo.display())),
            "{}",
            text(&out.stderr)
        );
    }
    assert!(files_in(dir.path()).is_empty(), "{:?}", files_in(dir.path()));
}

// Unix only: the home folder is HOME there; on Windows it is the profile's folder, which a test
// cannot move elsewhere.
#[cfg(unix)]
#[test]
fn a_tilde_in_the_database_path_is_the_home_folder() {
    let home = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let out = Command::new(binary())
        .current_dir(work.path())
        .env("HOME", home.path())
        .env("CASELOAD_DB", "~/district.db")
        .args(["import", fixture("base.jsonl").to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(home.path().join("district.db").exists());
    assert!(files_in(work.path()).is_empty(), "no folder named ~: {:?}", files_in(work.path()));
}

#[cfg(unix)]
#[test]
fn a_refused_file_is_left_exactly_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('theirs');").unwrap();
    drop(conn);
    let newer = dir.path().join("newer.db");
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.execute_batch("CREATE TABLE district (id INTEGER); PRAGMA user_version = 99;").unwrap();
    drop(conn);
    for (file, says) in [(&other, "another program"), (&newer, "newer version")] {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let bytes = std::fs::read(file).unwrap();
        let files = files_in(dir.path());
        for args in [vec!["check"], vec!["import", fixture("base.jsonl").to_str().unwrap()]] {
            let out = run(file, &args);
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
        }
        assert_eq!(std::fs::read(file).unwrap(), bytes, "{} changed", file.display());
        assert_eq!(std::fs::metadata(file).unwrap().permissions().mode() & 0o777, 0o644, "mode changed");
        assert_eq!(files_in(dir.path()), files, "no -wal or -shm made beside it");
    }
}

#[test]
fn the_terminal_application_needs_a_terminal() {
    let (_dir, db) = district();
    let out = run(&db, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("needs a terminal"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "nothing drawn into the pipe");
}

#[test]
fn a_backup_is_restored_over_a_changed_database_with_a_stale_wal_beside_it() {
    let (dir, db) = district();
    let backup = dir.path().join("backup.db");
    assert_eq!(run(&db, &["backup", backup.to_str().unwrap()]).status.code(), Some(0));
    let at_backup = run(&db, &["dump"]).stdout;
    let out = run(&db, &["import", fixture("every_record.jsonl").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let changed = run(&db, &["dump"]).stdout;
    assert_ne!(changed, at_backup);

    // Not a backup: refused, nothing changed.
    let bogus = dir.path().join("bogus.db");
    std::fs::write(&bogus, b"not a database at all").unwrap();
    let out = run(&db, &["restore", bogus.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(run(&db, &["dump"]).stdout, changed);

    // A leftover -wal from an earlier life must not be replayed into the restored file.
    let out = run(&db, &["restore", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(run(&db, &["dump"]).stdout, at_backup, "the backup's records, exactly");
    let aside: Vec<String> =
        files_in(dir.path()).into_iter().filter(|f| f.contains("before-restore")).collect();
    assert_eq!(aside.len(), 1, "{:?}", files_in(dir.path()));
    let kept = dir.path().join(&aside[0]);
    assert_eq!(run(&kept, &["dump"]).stdout, changed, "the replaced database is kept whole");
    let check = run(&db, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

#[test]
fn a_backup_finishes_while_another_connection_saves_fifty_times_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("busy.db");
    let out = run(&db, &["demo", "--children", "2000", "--years", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let saver = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut store = caseload::store::Store::open(&db).unwrap();
            let today: caseload::domain::Date = common::TODAY.parse().unwrap();
            let mut saves = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let name = format!("Busy School {saves}");
                let setting = caseload::domain::Setting {
                    key: format!("S-BUSY-{saves}"),
                    name,
                    phase: caseload::domain::Phase::Primary,
                    in_district: true,
                    urn: None,
                    closed: None,
                    link_teacher: None,
                };
                store.save(&caseload::domain::Record::Setting(setting), false, today).unwrap();
                saves += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            saves
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let copy = dir.path().join("copy.db");
    let started = std::time::Instant::now();
    let out = run(&db, &["backup", copy.to_str().unwrap()]);
    let took = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let saves = saver.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(saves > 3, "the other connection kept saving ({saves})");
    let check = run(&copy, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    eprintln!("backup of a 2,000-child district took {took:?} while another connection saved {saves} times");
}

#[test]
fn a_damaged_database_is_named_as_such() {
    let (_dir, db) = district();
    let ok = run(&db, &["check"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stdout));
    // Overwrite the middle of the file (past its header) with rubbish, as a failing disk might.
    let mut bytes = std::fs::read(&db).unwrap();
    let len = bytes.len();
    for b in bytes[len / 2..len / 2 + len / 4].iter_mut() {
        *b = 0x5A;
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(said.contains("damaged") || said.contains("integrity check"), "{said}");
}
