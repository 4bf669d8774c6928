//! The Windows program (`caseload.exe`, run under Wine) makes the same demonstration district, the
//! same dump and the same returns as the Linux one. Runs when `CASELOAD_WINDOWS_EXE` names the
//! built `caseload.exe` (`.ci/run` sets it); otherwise it says it was skipped, and under CI
//! (`CASELOAD_CI=1`) that is a failure.
#![cfg(target_os = "linux")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The moment both programs take as now: inside a term, so the returns are "to date".
const NOW: &str = "2026-12-01T10:00:00Z";

fn windows_exe() -> Option<(PathBuf, PathBuf)> {
    let skip = |why: &str| {
        assert!(std::env::var_os("CASELOAD_CI").is_none(), "CI must run the Windows comparison: {why}");
        eprintln!("skipped: {why}");
        None
    };
    let Some(exe) = std::env::var_os("CASELOAD_WINDOWS_EXE").map(PathBuf::from) else {
        return skip("CASELOAD_WINDOWS_EXE is not set (see docs/windows.md)");
    };
    let wine = ["/usr/lib/wine/wine64", "/usr/bin/wine64", "/usr/bin/wine"].map(PathBuf::from);
    let Some(wine) = wine.into_iter().find(|w| w.exists()) else {
        return skip("Wine is not installed");
    };
    assert!(exe.exists(), "CASELOAD_WINDOWS_EXE names {} but it is not there", exe.display());
    Some((wine, exe))
}

/// Runs one program (`wine` + the .exe, or the Linux binary) on a database with "now" fixed.
fn run(program: &[&Path], db: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(program[0]);
    command.args(&program[1..]).arg("--db").arg(db).args(args);
    command
        .env("CASELOAD_NOW", NOW)
        .env("WINEDLLOVERRIDES", "bcryptprimitives=n")
        .env("WINEDEBUG", "-all")
        .output()
        .unwrap()
}

fn ok(out: Output, what: &str) -> Vec<u8> {
    assert_eq!(out.status.code(), Some(0), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn the_windows_program_makes_the_same_district_dump_and_returns() {
    let Some((wine, exe)) = windows_exe() else { return };
    let linux = common::binary();
    let dir = tempfile::tempdir().unwrap();
    let programs: [(&str, Vec<&Path>); 2] =
        [("linux", vec![linux.as_path()]), ("windows", vec![wine.as_path(), exe.as_path()])];
    let mut outputs: Vec<Vec<(String, Vec<u8>)>> = Vec::new();
    for (name, program) in &programs {
        let db = dir.path().join(format!("{name}.db"));
        ok(run(program, &db, &["demo", "--children", "300", "--years", "2"]), "demo");
        let mut got = vec![("dump".to_string(), ok(run(program, &db, &["dump"]), "dump"))];
        for period in [
            &["--year", "2025-26"][..],
            &["--year", "2025-26", "--term", "3"],
            &["--year", "2026-27", "--terms", "1-2"],
            &["--year", "2026-27", "--term", "2"],
        ] {
            let label = period.join(" ");
            for format in ["json", "csv"] {
                let args = [&["export"][..], period, &["--format", format]].concat();
                got.push((format!("export {label} {format}"), ok(run(program, &db, &args), &label)));
            }
        }
        outputs.push(got);
    }
    let (linux, windows) = (&outputs[0], &outputs[1]);
    for ((what, a), (_, b)) in linux.iter().zip(windows) {
        assert!(a.len() > 100, "{what} is not empty");
        assert!(
            a == b,
            "{what} differs between Linux and Windows:\nLinux:   {}\nWindows: {}",
            first_difference(a, b).0,
            first_difference(a, b).1
        );
    }
}

/// The line where two outputs part, from each.
fn first_difference(a: &[u8], b: &[u8]) -> (String, String) {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (x, y) in a.lines().zip(b.lines()) {
        if x != y {
            return (x.to_string(), y.to_string());
        }
    }
    (format!("{} lines", a.lines().count()), format!("{} lines", b.lines().count()))
}
