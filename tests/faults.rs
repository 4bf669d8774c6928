//! Crash safety and concurrency with real processes: `caseload import` killed with SIGKILL at
//! random moments, a burst of single-record saves killed likewise, commands run while another
//! process reads or writes, several writers at once, and a writer blocked past the busy timeout.
//!
//! The records files are generated once per run of this test binary (`demo` + `dump`). Set
//! `CASELOAD_FAULTS_SEED` to repeat the random kill moments of an earlier run (each test prints
//! its seed).
#![cfg(unix)]

mod common;

use caseload::domain::{Record, RecordKind, Setting};
use caseload::store::Store;
use common::binary;
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-27T12:00:00Z";

fn caseload(db: &Path) -> Command {
    let mut cmd = Command::new(binary());
    cmd.arg("--db").arg(db).env_remove("CASELOAD_DB").env("CASELOAD_NOW", NOW);
    cmd
}

fn run(db: &Path, args: &[&str]) -> Output {
    caseload(db).args(args).output().unwrap()
}

fn ok(out: &Output) {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
}

/// Generated records files, made once per run of this binary.
struct Fixtures {
    dir: PathBuf,
    /// 3,000 children over 3 years (about 25,000 records): imports long enough to kill.
    large: PathBuf,
    /// 300 children over 2 years, in three copies with disjoint keys (prefixes A, B, C).
    small: [PathBuf; 3],
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        // Earlier runs' files (this binary's own, under target/tmp) are removed.
        if let Ok(entries) = std::fs::read_dir(root) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with("faults-") {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = root.join(format!("faults-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let generate = |name: &str, children: &str, years: &str| {
            let db = dir.join(format!("{name}.db"));
            ok(&run(&db, &["demo", "--children", children, "--years", years, "--seed", "11"]));
            let file = dir.join(format!("{name}.jsonl"));
            ok(&run(&db, &["dump", "--out", file.to_str().unwrap()]));
            file
        };
        let large = generate("large", "3000", "3");
        let small = generate("small", "300", "2");
        let text = std::fs::read_to_string(&small).unwrap();
        let small = ["A", "B", "C"].map(|p| {
            let file = dir.join(format!("small-{p}.jsonl"));
            std::fs::write(&file, prefixed(&text, p)).unwrap();
            file
        });
        Fixtures { dir, large, small }
    })
}

/// A copy of a records file with every key (and every reference to one) prefixed, so that copies
/// with different prefixes can be imported into one database; URNs and children's surnames are
/// marked too, as a URN belongs to one setting and a child is recorded once. The district line is
/// left as it is (importing the same district again changes nothing).
fn prefixed(text: &str, prefix: &str) -> String {
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let keys: HashSet<String> =
        lines.iter().filter_map(|v| v.get("key").and_then(|k| k.as_str()).map(str::to_string)).collect();
    fn walk(v: &mut serde_json::Value, keys: &HashSet<String>, prefix: &str) {
        match v {
            serde_json::Value::String(s) if keys.contains(s.as_str()) => *s = format!("{prefix}-{s}"),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| walk(i, keys, prefix)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|i| walk(i, keys, prefix)),
            _ => {}
        }
    }
    let mut out = String::new();
    for mut v in lines {
        walk(&mut v, &keys, prefix);
        for (field, mark) in [("urn", format!("{prefix}-")), ("last_name", format!("{prefix}-"))] {
            if let Some(serde_json::Value::String(text)) = v.get_mut(field) {
                *text = format!("{mark}{text}");
            }
        }
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

fn seed(test: &str) -> u64 {
    let seed = std::env::var("CASELOAD_FAULTS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("{test}: CASELOAD_FAULTS_SEED={seed}");
    seed
}

/// Rows of every record table, and of the audit log, read by a plain connection after
/// `PRAGMA integrity_check` (which must say "ok"). `None` when the schema was never committed.
fn state(db: &Path) -> Option<(Vec<i64>, i64)> {
    // Not there: nothing was made. (Opened to look without the flag that creates: an empty file
    // made by the looking would be refused by the next import, as it should be.)
    if !db.exists() {
        return None;
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = rusqlite::Connection::open_with_flags(db, flags).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok", "{}", db.display());
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    if version == 0 {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).unwrap();
        assert_eq!(tables, 0, "a half-made schema in {}", db.display());
        return None;
    }
    let tables = [
        "district",
        "settings",
        "staff",
        "children",
        "lift_meetings",
        "lift_meeting_settings",
        "referrals",
        "cases",
        "allocations",
        "targets",
        "reviews",
        "visits",
        "clinics",
        "clinic_settings",
        "trainings",
        "training_settings",
        "transitions",
    ];
    let counts = tables
        .iter()
        .map(|t| conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap())
        .collect();
    let audit = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
    Some((counts, audit))
}

fn kill(child: &mut Child) -> bool {
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    killed
}

#[test]
fn an_import_killed_at_random_moments_leaves_all_of_it_or_none() {
    let f = fixtures();
    let work = tempfile::tempdir_in(&f.dir).unwrap();
    let mut rng = fastrand::Rng::with_seed(seed("import kills"));

    // One import run to the end: what "all" is, and how long the whole process takes.
    let full_db = work.path().join("full.db");
    let started = Instant::now();
    ok(&run(&full_db, &["import", f.large.to_str().unwrap()]));
    let full_time = started.elapsed();
    let all = state(&full_db).unwrap();
    let all_dump = common::dump_of(&Store::open(&full_db).unwrap());
    let empty = (vec![0; all.0.len()], 0);

    let (mut kills, mut none_left, mut all_left, mut attempts) = (0, 0, 0, 0);
    // Anywhere from before the file is opened to just after the commit; the window shrinks when
    // an import beats the kill (the first run may have been slowed by other tests starting).
    let mut window = full_time.as_millis() as u64 * 11 / 10;
    while kills < 25 && attempts < 100 {
        attempts += 1;
        let db = work.path().join(format!("k{attempts}.db"));
        let mut child = caseload(&db)
            .args(["import", f.large.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = rng.u64(0..=window);
        std::thread::sleep(Duration::from_millis(delay));
        if !kill(&mut child) {
            window = (delay * 9 / 10).max(100);
            continue;
        }
        kills += 1;
        match state(&db) {
            None => none_left += 1,
            Some(s) if s == empty => none_left += 1,
            Some(s) => {
                assert_eq!(s, all, "kill {kills}: neither none nor all of the import");
                let store = Store::open(&db).unwrap();
                assert!(store.integrity_problems().unwrap().is_empty());
                assert!(store.audit_problems().unwrap().is_empty(), "kill {kills}: the log is whole");
                assert_eq!(common::dump_of(&store), all_dump, "kill {kills}");
                all_left += 1;
            }
        }
        // A database left with nothing of the import takes it afresh.
        if kills % 8 == 0 && state(&db).is_none_or(|s| s == empty) {
            ok(&run(&db, &["import", f.large.to_str().unwrap()]));
            assert_eq!(state(&db).unwrap(), all);
        }
        let _ = std::fs::remove_file(&db);
    }
    eprintln!("import kills: {kills} kills survived ({none_left} left nothing, {all_left} everything)");
    assert_eq!(kills, 25, "the import finished before most kill moments ({attempts} attempts)");
}

/// Run as a child process by the test below: saves settings one at a time (the UI's save path,
/// one transaction each) and prints the number of each after its commit. Does nothing otherwise.
#[test]
fn save_burst_child() {
    let Some(db) = std::env::var_os("CASELOAD_SAVE_BURST_DB") else { return };
    let mut store = Store::open(Path::new(&db)).unwrap();
    // libtest has printed "test save_burst_child ... " with no newline: end that line first, so
    // every report below stands on a line of its own (the parent reads whole lines).
    println!();
    for i in 0.. {
        let setting = Setting {
            key: format!("S-BURST-{i:05}"),
            name: format!("Burst School {i}"),
            phase: "primary".parse().unwrap(),
            in_district: true,
            urn: None,
            closed: None,
            link_teacher: None,
        };
        store.save(&Record::Setting(setting), false, common::TODAY.parse().unwrap()).unwrap();
        println!("saved {i}");
    }
}

#[test]
fn a_burst_of_saves_killed_at_random_moments_loses_no_committed_save() {
    let mut rng = fastrand::Rng::with_seed(seed("save kills"));
    let work = tempfile::tempdir().unwrap();
    let mut kills = 0;
    for round in 0..10 {
        let db = work.path().join(format!("s{round}.db"));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "save_burst_child", "--nocapture", "--test-threads=1"])
            .env("CASELOAD_SAVE_BURST_DB", &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // Read the commits reported; kill at a random moment once saving is under way.
        let reader = std::thread::spawn(move || {
            let mut last = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // A report may follow other text on its line (libtest's own words): take the last.
                let report = line.rsplit_once("saved ").map(|(_, n)| n.trim());
                if let Some(n) = report.and_then(|n| n.parse::<i64>().ok()) {
                    last = Some(n);
                }
            }
            last
        });
        std::thread::sleep(Duration::from_millis(300 + rng.u64(0..700)));
        assert!(kill(&mut child), "the saving process ended by itself");
        kills += 1;
        let last_reported = reader.join().unwrap();
        let Some((_, audit)) = state(&db) else {
            assert!(last_reported.is_none());
            continue;
        };
        let store = Store::open(&db).unwrap();
        assert!(store.integrity_problems().unwrap().is_empty());
        let saved = store.reader().count(RecordKind::Setting).unwrap();
        // Every save reported committed is there; at most one more (committed, not yet reported).
        let reported = last_reported.map_or(0, |n| n + 1);
        assert!(
            saved == reported || saved == reported + 1,
            "round {round}: {saved} saved, {reported} reported"
        );
        for i in 0..saved {
            assert!(store.reader().id_of(RecordKind::Setting, &format!("S-BURST-{i:05}")).unwrap().is_some());
        }
        assert_eq!(audit, saved, "one audit entry per save");
        // Every committed save sealed its entry: the log is whole after the kill.
        let problems = store.audit_problems().unwrap();
        assert!(problems.is_empty(), "round {round}: {problems:?}");
    }
    eprintln!("save kills: {kills} kills survived");
}

#[test]
fn export_backup_and_dump_run_while_another_process_reads_or_imports() {
    let f = fixtures();
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("d.db");
    ok(&run(&db, &["import", f.small[0].to_str().unwrap()]));
    let before = run(&db, &["dump"]).stdout.iter().filter(|b| **b == b'\n').count();

    // Another process holding a read transaction: every command, and a write, go ahead.
    let reader = rusqlite::Connection::open(&db).unwrap();
    reader.execute_batch("BEGIN; SELECT count(*) FROM children;").unwrap();
    ok(&run(&db, &["export", "--year", "2025-26", "--term", "3"]));
    ok(&run(&db, &["backup", work.path().join("held.db").to_str().unwrap()]));
    assert_eq!(run(&db, &["dump"]).stdout.iter().filter(|b| **b == b'\n').count(), before);
    ok(&run(&db, &["import", f.small[1].to_str().unwrap()]));
    let one: i64 = reader.query_row("SELECT count(*) FROM children", [], |r| r.get(0)).unwrap();
    assert_eq!(one, 300, "the reader still sees its own moment");
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    let middle = run(&db, &["dump"]).stdout.iter().filter(|b| **b == b'\n').count();

    // While a large import writes: each dump and backup is one moment, before it or after it.
    let mut import =
        caseload(&db).args(["import", f.large.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap();
    let mut seen = HashSet::new();
    let mut rounds = 0;
    loop {
        rounds += 1;
        let done = import.try_wait().unwrap().is_some();
        let dump = run(&db, &["dump"]);
        ok(&dump);
        seen.insert(dump.stdout.iter().filter(|b| **b == b'\n').count());
        let copy = work.path().join(format!("copy{rounds}.db"));
        ok(&run(&db, &["backup", copy.to_str().unwrap()]));
        let copied = Store::open(&copy).unwrap();
        assert!(copied.integrity_problems().unwrap().is_empty());
        seen.insert(common::dump_of(&copied).lines().count());
        drop(copied);
        ok(&run(&db, &["export", "--year", "2025-26"]));
        if done {
            break;
        }
    }
    let out = import.wait_with_output().unwrap();
    ok(&out);
    let after = run(&db, &["dump"]).stdout.iter().filter(|b| **b == b'\n').count();
    assert!(after > middle);
    let allowed: HashSet<usize> = [middle, after].into();
    assert!(seen.is_subset(&allowed), "dumps saw {seen:?}; only {allowed:?} are whole moments");
    eprintln!("commands during an import: {rounds} rounds of dump + backup + export, all whole moments");
}

#[test]
fn three_imports_at_once_all_land() {
    let f = fixtures();
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("d.db");
    // Created first, so that the three do not race to create the file.
    drop(Store::open(&db).unwrap());
    let children: Vec<Child> = f
        .small
        .iter()
        .map(|file| {
            caseload(&db).args(["import", file.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for child in children {
        ok(&child.wait_with_output().unwrap());
    }
    let store = Store::open(&db).unwrap();
    assert!(store.integrity_problems().unwrap().is_empty());
    assert_eq!(store.reader().count(RecordKind::Child).unwrap(), 900);
    let dump = common::dump_of(&store);
    for p in ["A", "B", "C"] {
        assert!(dump.contains(&format!("\"key\":\"{p}-C000300\"")), "{p}'s last child is missing");
    }
    // Every record is logged once (the district once: the later imports found it unchanged).
    let lines = std::fs::read_to_string(&f.small[0]).unwrap().lines().count() as i64;
    let links: i64 =
        ["lift_meeting_settings", "clinic_settings", "training_settings"].iter().map(|t| count(&db, t)).sum();
    assert_eq!(store.reader().audit_len().unwrap(), 3 * (lines - 1) + 1 + links);
    eprintln!("concurrent writers: 3 imports held at once, none lost");
}

fn count(db: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_writer_blocked_past_the_busy_timeout_says_busy_and_changes_nothing() {
    let f = fixtures();
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("d.db");
    drop(Store::open(&db).unwrap());
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();

    let started = Instant::now();
    let out = caseload(&db)
        .args(["import", f.small[0].to_str().unwrap()])
        .env("CASELOAD_BUSY_TIMEOUT_MS", "400")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("database is busy") && stderr.contains("Try again"), "{stderr}");
    assert!(started.elapsed() >= Duration::from_millis(400));
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(state(&db).unwrap().1, 0, "nothing was written");

    // A wait shorter than the timeout is just a wait.
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(700));
        holder.execute_batch("COMMIT").unwrap();
    });
    let started = Instant::now();
    let out = caseload(&db)
        .args(["import", f.small[0].to_str().unwrap()])
        .env("CASELOAD_BUSY_TIMEOUT_MS", "20000")
        .output()
        .unwrap();
    ok(&out);
    assert!(started.elapsed() >= Duration::from_millis(600), "the import waited for the lock");
    release.join().unwrap();
    assert_eq!(count(&db, "children"), 300);
}
