//! `subject-access`, `retention` and `erase` (docs/privacy.md): the data protection duties.

use super::{Cli, Failure, Outcome, open_store, open_store_to_write, output_failure, today};
use crate::domain::retention::Retention;
use crate::domain::text::shown;
use crate::export::subject_access::{self, WriteError};
use crate::store::{EraseError, Erasure, Store};
use std::io::Write;
use std::path::Path;

pub fn subject_access(cli: &Cli, child: &str, out: Option<&Path>) -> Outcome {
    let folder = out.unwrap_or(Path::new("."));
    if !folder.is_dir() {
        return Err(Failure::input(format!(
            "--out: {} is not a folder (the two files, JSON and HTML, are written into a folder)",
            folder.display()
        )));
    }
    let store = open_store(cli)?;
    let written = subject_access::write(&store, child, folder, cli.force).map_err(|e| match e {
        WriteError::NoChild(_) => Failure::input(e.to_string()),
        WriteError::Store(e) => e.into(),
        WriteError::Output(e) => output_failure(e),
        WriteError::Io { path, source } => super::write_failure(&path, source),
    })?;
    for file in &written.files {
        eprintln!("wrote {}", file.display());
    }
    eprintln!(
        "{} record(s) and {} audit log entries about the child; the files name the child: keep them as safely as the database",
        written.records, written.entries
    );
    Ok(())
}

fn policy_of(store: &Store, policy: Option<&str>) -> Result<Retention, Failure> {
    match policy {
        Some(p) => p.parse().map_err(|e| Failure::input(format!("--policy: {e}"))),
        None => Ok(store.reader().retention()?),
    }
}

pub fn retention(cli: &Cli, policy: Option<&str>, apply: bool) -> Outcome {
    let mut store = if apply { open_store_to_write(cli)? } else { open_store(cli)? };
    let policy = policy_of(&store, policy)?;
    let past = store.reader().past_retention(&policy, today())?;
    if past.is_empty() {
        println!("no child's records are past the retention policy {policy} today");
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    for p in &past {
        // `| head`: the reader has what it wanted (nothing is changed without --apply anyway).
        if writeln!(out, "{}\t{}\tdue {}\t{}", p.key, p.initials, p.due.date, p.due.why).is_err() {
            return if apply {
                Err(Failure::other("the list could not be written: nothing was erased"))
            } else {
                Ok(())
            };
        }
    }
    drop(out);
    if !apply {
        eprintln!(
            "{} child(ren) past the retention policy {policy}; nothing was changed (give --apply to erase them)",
            past.len()
        );
        return Ok(());
    }
    let keys: Vec<String> = past.iter().map(|p| p.key.clone()).collect();
    let reason = format!("past the retention policy {policy}");
    let done = store.erase(&keys, Some(&reason), cli.force).map_err(erase_failure)?;
    report(&store, &done, &keys);
    Ok(())
}

pub fn erase(cli: &Cli, child: &str, reason: Option<&str>) -> Outcome {
    let mut store = open_store_to_write(cli)?;
    let keys = vec![child.to_string()];
    let done = store.erase(&keys, reason, cli.force).map_err(erase_failure)?;
    report(&store, &done, &keys);
    Ok(())
}

fn erase_failure(e: EraseError) -> Failure {
    match e {
        EraseError::Store(e) => e.into(),
        other => Failure::input(format!("{other}; nothing was changed")),
    }
}

/// What was erased, and what still holds the children.
fn report(store: &Store, done: &Erasure, old_keys: &[String]) {
    for e in &done.children {
        println!(
            "erased {}: now {} ({} audit log entries redacted)",
            shown(&e.old_key),
            e.new_key,
            e.redacted
        );
    }
    if !done.log_emptied {
        eprintln!(
            "warning: another program has the database open, so its write-ahead log ({}-wal) could not be \
             emptied yet: it is emptied when that program closes the database",
            store.path().map(|p| p.display().to_string()).unwrap_or_default()
        );
    }
    let recorded = store.path().map(crate::files::backups::known).unwrap_or_default();
    let holding = store.backups_holding(&recorded, old_keys);
    if holding.is_empty() {
        eprintln!("no backup caseload knows of holds the erased records; copies made by other means may");
    } else {
        eprintln!(
            "these older backups still hold the erased records (delete them, or keep them as your retention schedule says):"
        );
        for path in holding {
            eprintln!("  {}", path.display());
        }
    }
    eprintln!("an erasure cannot be undone");
}
