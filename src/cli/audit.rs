//! `audit`: the audit log as JSON Lines, oldest first.
//!
//! One object a line: `id`, `at` (UTC), `user` (OS user), `table`, `key`, `op` (insert, update,
//! delete), `old` and `new` (the row as an object, or null). The log holds what the records hold,
//! names included: like a dump, it is for the team's own eyes, not an export of figures.

use super::{Cli, Failure, Outcome, open_store, today};
use crate::domain::Date;
use crate::export::audit::audit_line;
use crate::store::StoreError;
use std::io::Write;

/// `audit --verify`: the log's hash chain, seals and triggers, and every record against its last
/// entry; exit 1 when anything is wrong.
pub fn verify(cli: &Cli) -> Outcome {
    let store = open_store(cli)?;
    let problems = store.audit_problems()?;
    if problems.is_empty() {
        let n = store.reader().audit_len()?;
        let redacted = store.reader().audit_redacted()?;
        let redacted = match redacted {
            0 => String::new(),
            r => format!("; {r} of them redacted by erasures, checked by the content hash each keeps"),
        };
        println!(
            "ok: the audit log's {n} entries are whole (chain, seals, triggers and records all agree){redacted}"
        );
        return Ok(());
    }
    for p in &problems {
        println!("{p}");
    }
    Err(Failure::other(format!("the audit log is not whole: {} problem(s)", problems.len())))
}

pub fn audit(cli: &Cli, since: Option<&str>) -> Outcome {
    let since = since
        .map(|s| Date::parse_typed(s, today()))
        .transpose()
        .map_err(|e| Failure::input(format!("--since: {e}")))?;
    let store = open_store(cli)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| StoreError::Io { path: "standard output".into(), source: e };
    let result = store
        .reader()
        .each_audit_entry(since, &mut |entry| out.write_all(audit_line(&entry).as_bytes()).map_err(io));
    let result = result.and_then(|()| out.flush().map_err(io));
    match result {
        Ok(()) => Ok(()),
        // The reader stopped early (`caseload audit | head`): not a failure.
        Err(StoreError::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(e.into()),
    }
}
