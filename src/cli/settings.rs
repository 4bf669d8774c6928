//! `import-settings`: the national schools register CSV loaded as settings (docs/records-file.md, "The schools register").

use super::{Cli, Failure, Outcome, input_name, open_or_create_store, print_first};
use crate::import::register::{self, RegisterError, Selection};
use std::io::Write;
use std::path::Path;

pub fn import_settings(cli: &Cli, file: &Path, district: &str, neighbours: &[String]) -> Outcome {
    let selection = Selection::new(district, neighbours).map_err(Failure::input)?;
    // The file is read and checked whole before the database is opened: a bad file changes nothing.
    let register = register::read_file(file, &selection).map_err(|e| failure(file, e))?;
    let mut store = open_or_create_store(cli)?;
    let summary = register::write_register(&mut store, &register).map_err(|e| failure(file, e))?;
    let mut err = std::io::stderr().lock();
    let warnings = summary
        .warnings
        .iter()
        .map(|w| format!("{}: warning: {}", input_name(file), crate::domain::text::tidy(w, false)));
    print_first(&mut err, warnings, 0, "warning(s)");
    let _ = writeln!(err, "{}: {summary}", input_name(file));
    Ok(())
}

/// Every bad row on its own line, then the verdict; exit 2 for bad input, 1 for the store.
fn failure(file: &Path, e: RegisterError) -> Failure {
    match e {
        RegisterError::Rows { errors, unlisted } => {
            let lines = errors.iter().map(|e| format!("{}: {e}", input_name(file)));
            print_first(&mut std::io::stderr().lock(), lines, unlisted, "problem(s)");
            let rows: std::collections::BTreeSet<_> = errors.iter().filter_map(|e| e.row).collect();
            let on_rows = match rows.len() {
                n if n == 0 || unlisted > 0 => String::new(),
                n => format!(" on {n} row(s)"),
            };
            Failure::input(format!(
                "{}: {} problem(s){on_rows}; nothing was imported",
                input_name(file),
                errors.len() + unlisted
            ))
        }
        RegisterError::Read(e) => Failure::input(format!("cannot read {}: {e}", input_name(file))),
        RegisterError::Store(e) => e.into(),
        e => Failure::input(format!("{}: {e}", input_name(file))),
    }
}
