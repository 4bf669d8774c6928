//! `import`, `dump`, `check` and `backup`: moving records in and out whole, and keeping them sound.

use super::{
    Cli, Failure, Outcome, input_name, open_or_create_store, open_store, output_failure, print_first,
    write_failure,
};
use crate::domain::rules;
use crate::domain::text::{shown, tidy};
use crate::export::dump::write_records;
use crate::files::open_output_with;
use crate::import::{ImportError, ImportOptions, import_file};
use std::io::IsTerminal;
use std::path::Path;

pub fn import(cli: &Cli, file: &Path, update: bool) -> Outcome {
    let mut store = open_or_create_store(cli)?;
    let show = std::io::stderr().is_terminal();
    let mut progress = |done: u64, total: u64| {
        if show && total > 0 {
            eprint!("\rimporting {}: {:>3}%", input_name(file), done * 100 / total);
        }
    };
    let options = ImportOptions { update, progress: Some(&mut progress), today: super::today() };
    let result = import_file(&mut store, file, options);
    if show {
        eprint!("\r\x1b[K");
    }
    // A first import refused leaves no empty database behind (nothing was imported).
    if result.is_err() {
        store.close_discarding_if_unused()?;
    }
    match result {
        Ok(summary) => {
            eprintln!("{}: {summary}", input_name(file));
            let warnings =
                summary.warnings.iter().map(|w| format!("{}: warning: {}", input_name(file), tidy(w, false)));
            print_first(&mut std::io::stderr().lock(), warnings, 0, "warning(s)");
            Ok(())
        }
        Err(ImportError::Invalid { errors, unlisted }) => {
            let lines = errors.iter().map(|e| format!("{}:{e}", input_name(file)));
            print_first(&mut std::io::stderr().lock(), lines, unlisted, "problem(s)");
            let on_lines = match unlisted {
                0 => {
                    let lines: std::collections::BTreeSet<_> = errors.iter().filter_map(|e| e.line).collect();
                    format!(" on {} line(s)", lines.len())
                }
                _ => String::new(),
            };
            Err(Failure::input(format!(
                "{}: {} problem(s){on_lines}; nothing was imported",
                input_name(file),
                errors.len() + unlisted
            )))
        }
        Err(e @ (ImportError::Binary { .. } | ImportError::Read { .. } | ImportError::Empty { .. })) => {
            Err(Failure::input(e.to_string()))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

pub fn dump(cli: &Cli, out: Option<&Path>) -> Outcome {
    let mut store = open_store(cli)?;
    let db = store.path().map(Path::to_path_buf);
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
            let mut file = open_output_with(path, "caseload-records.jsonl", db.as_deref(), cli.force)
                .map_err(output_failure)?;
            let written = file.path().to_path_buf();
            let count = write_records(snapshot.reader(), &mut file).map_err(|e| match e {
                crate::store::StoreError::Io { source, .. } => write_failure(&written, source),
                other => Failure::from(other),
            })?;
            file.finish().map_err(|e| write_failure(&written, e))?;
            eprintln!("wrote {count} records to {}", written.display());
            Ok(())
        }
    }
}

pub fn check(cli: &Cli) -> Outcome {
    let today = super::today();
    if let Ok(db) = super::db_path(cli)
        && crate::store::unmerged_log(&db)
    {
        eprintln!(
            "note: a write-ahead log ({}-wal) is beside the database with changes not yet in it, and no \
             program has the database open. It is read here but not merged. If caseload was stopped \
             suddenly, opening caseload takes it in; if the file came from elsewhere, move it away first.",
            db.display()
        );
    }
    let mut store = open_store(cli)?;
    let mut problems = store.integrity_problems()?;
    problems.extend(store.audit_problems()?);
    let snapshot = store.snapshot()?;
    let reader = snapshot.reader();
    let mut records = 0usize;
    reader.each_record(&mut |record| {
        records += 1;
        for v in rules::violations(&record, today) {
            problems.push(format!(
                "{} \"{}\", field \"{}\": {}",
                record.kind().label(),
                shown(&record.key()),
                v.field,
                tidy(&v.message, false)
            ));
        }
        Ok(())
    })?;
    for v in reader.rule_violations()? {
        problems.push(format!(
            "{} \"{}\", field \"{}\": {}",
            v.kind.label(),
            shown(&v.key),
            v.field,
            tidy(&v.message, false)
        ));
    }
    if problems.is_empty() {
        println!("ok: {records} records checked; integrity, references and rules all sound");
        return Ok(());
    }
    print_first(&mut std::io::stdout().lock(), problems.iter().cloned(), 0, "problem(s)");
    Err(Failure::other(format!("{} problem(s) found in {records} records", problems.len())))
}

/// A server's database is backed up and restored by IT, not by caseload: said for both commands.
fn refuse_on_a_server(cli: &Cli, what: &str) -> Outcome {
    if super::server::server_db(cli).is_some() {
        return Err(super::Failure::input(format!(
            "a database on a server is {what} by IT's backups of the server (pg_dump and pg_restore, and the \
             like), not by caseload; to make a file of it, use caseload copy --from URL --db NEW-FILE"
        )));
    }
    Ok(())
}

pub fn backup(cli: &Cli, path: &Path) -> Outcome {
    refuse_on_a_server(cli, "backed up")?;
    let store = open_store(cli)?;
    let db = store.path().map(Path::to_path_buf);
    // A folder gets the usual name; the database and its side files are never the target.
    let dest = if path.is_dir() {
        path.join(format!("caseload-backup-{}.db", super::today()))
    } else {
        path.to_path_buf()
    };
    if let Some(db) = &db
        && crate::files::is_database(&dest, db)
    {
        let refusal = crate::files::OutputError::IsDatabase { path: dest, database: db.clone() };
        return Err(output_failure(refusal));
    }
    crate::files::may_replace(&dest, cli.force).map_err(output_failure)?;
    store.backup_to(&dest).map_err(|e| match e {
        crate::store::StoreError::Io { path, source } => write_failure(&path, source),
        other => Failure::from(other),
    })?;
    eprintln!("backed up to {}", dest.display());
    // Listed (outside the database, which a backup only reads) so that an erasure can name the
    // backups that still hold the child.
    if let Some(db) = &db
        && dest.is_file()
        && let Err(e) = crate::files::backups::record(db, &dest, &store.clock().now_rfc3339())
    {
        eprintln!("note: the backup could not be added to the list of known backups ({e})");
    }
    Ok(())
}

pub fn restore(cli: &Cli, backup: &Path) -> Outcome {
    refuse_on_a_server(cli, "restored")?;
    let db = super::db_path(cli)?;
    let restored = crate::store::restore(&db, backup, super::today()).map_err(|e| match e {
        crate::store::StoreError::Busy => Failure::other(format!(
            "{} is in use by another caseload (the application or a command): close it, then restore",
            db.display()
        )),
        crate::store::StoreError::NotADatabase { .. } | crate::store::StoreError::ForeignDatabase { .. } => {
            Failure::input(format!("{} is not a caseload backup: nothing was changed", backup.display()))
        }
        other => Failure::from(other),
    })?;
    match restored.kept_aside {
        Some(aside) => eprintln!(
            "restored {} from {}; the database it replaced is kept as {}",
            db.display(),
            backup.display(),
            aside.display()
        ),
        None => eprintln!("restored {} from {}", db.display(), backup.display()),
    }
    Ok(())
}
