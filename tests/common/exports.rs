//! The hand-worked returns run on both backends: a fixture imported into a new file and, where
//! the tests have PostgreSQL, into a new server database (by a staff login), then exported from
//! each (the server's by a reader). The server's output must be the file's byte for byte, so
//! every figure the tests check by hand holds on both.

use super::backend::Backend;
use std::process::Command;

/// "Now" for both exports, so that their `generated_at` agree.
const NOW: &str = "2026-11-30T12:00:00Z";

/// Runs the real binary from the crate root; panics with its stderr on a non-zero exit.
pub fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CASELOAD_NOW", NOW)
        .args(args)
        .output()
        .expect("the caseload binary runs");
    assert!(
        out.status.success(),
        "caseload {args:?} exited with {}:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// `caseload --db DB ARGS` for the fixture imported into each backend: the file's output, once
/// the server's is found the same.
pub fn on_both(fixture: &str, args: &[&str]) -> String {
    let mut outputs = Vec::new();
    let server = Backend::server();
    for backend in std::iter::once(Backend::file()).chain(server) {
        let (writer, reader) = (backend.db_arg("ann"), backend.db_arg("rita"));
        run(&["--db", writer.to_str().unwrap(), "import", fixture]);
        let mut all = vec!["--db", reader.to_str().unwrap()];
        all.extend(args);
        outputs.push((backend.is_server(), run(&all)));
    }
    let (_, file) = outputs.remove(0);
    for (_, server) in outputs {
        assert!(
            server == file,
            "caseload {args:?} on a server differs from the file's:\n{server}\n---\n{file}"
        );
    }
    file
}
