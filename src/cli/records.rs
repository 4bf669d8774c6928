//! `import`, `dump`, `check` and `backup`: moving records in and out whole, and keeping them sound.

use super::{Cli, Failure, Outcome, open_store};
use crate::domain::rules;
use crate::export::dump::write_records;
use crate::export::files::PendingFile;
use crate::import::{ImportError, ImportOptions, import_file};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub fn import(cli: &Cli, file: &Path, update: bool) -> Outcome {
    let mut store = open_store(cli)?;
    let show = std::io::stderr().is_terminal();
    let mut progress = |done: u64, total: u64| {
        if show && total > 0 {
            eprint!("\rimporting {}: {:>3}%", file.display(), done * 100 / total);
        }
    };
    let options = ImportOptions { update, progress: Some(&mut progress), today: super::today() };
    let result = import_file(&mut store, file, options);
    if show {
        eprint!("\r\x1b[K");
    }
    match result {
        Ok(summary) => {
            eprintln!("{}: {summary}", file.display());
            for w in &summary.warnings {
                eprintln!("{}: warning: {w}", file.display());
            }
            Ok(())
        }
        Err(ImportError::Invalid(errors)) => {
            let mut err = std::io::stderr().lock();
            for e in &errors {
                let _ = writeln!(err, "{}:{e}", file.display());
            }
            let lines: std::collections::BTreeSet<_> = errors.iter().filter_map(|e| e.line).collect();
            Err(Failure::input(format!(
                "{}: {} problem(s) on {} line(s); nothing was imported",
                file.display(),
                errors.len(),
                lines.len()
            )))
        }
        Err(e @ (ImportError::Binary { .. } | ImportError::Read { .. })) => {
            Err(Failure::input(e.to_string()))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

pub fn dump(cli: &Cli, out: Option<&Path>) -> Outcome {
    let mut store = open_store(cli)?;
    // One read transaction: the dump is one moment of the database, even while another process
    // imports (its tables would otherwise be read before and after that import's commit).
    let snapshot = store.snapshot()?;
    match out {
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            write_records(snapshot.reader(), &mut lock)?;
            Ok(())
        }
        Some(path) => {
            let cannot = |e: std::io::Error| Failure::input(format!("cannot write {}: {e}", path.display()));
            let mut file = PendingFile::create(path).map_err(cannot)?;
            let count = write_records(snapshot.reader(), &mut file)?;
            file.finish().map_err(cannot)?;
            eprintln!("wrote {count} records to {}", path.display());
            Ok(())
        }
    }
}

pub fn check(cli: &Cli) -> Outcome {
    let today = super::today();
    let mut store = open_store(cli)?;
    let mut problems = store.integrity_problems()?;
    let snapshot = store.snapshot()?;
    let reader = snapshot.reader();
    let mut records = 0usize;
    reader.each_record(&mut |record| {
        records += 1;
        for v in rules::violations(&record, today) {
            problems.push(format!(
                "{} \"{}\", field \"{}\": {}",
                record.kind().label(),
                record.key(),
                v.field,
                v.message
            ));
        }
        Ok(())
    })?;
    for v in reader.rule_violations()? {
        problems.push(format!("{} \"{}\", field \"{}\": {}", v.kind.label(), v.key, v.field, v.message));
    }
    if problems.is_empty() {
        println!("ok: {records} records checked; integrity, references and rules all sound");
        return Ok(());
    }
    for p in &problems {
        println!("{p}");
    }
    Err(Failure::other(format!("{} problem(s) found in {records} records", problems.len())))
}

pub fn backup(cli: &Cli, path: &Path) -> Outcome {
    let store = open_store(cli)?;
    if store.path().is_some_and(|db| same_file(db, path)) {
        return Err(Failure::input("the backup path is the database itself; choose another path"));
    }
    store.backup_to(path).map_err(|e| Failure::other(format!("backup to {} failed: {e}", path.display())))?;
    eprintln!("backed up to {}", path.display());
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
