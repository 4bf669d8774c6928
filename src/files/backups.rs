//! The backups `caseload backup` made, listed in the user's data folder (`known-backups.tsv`), so
//! that an erasure can name the copies that still hold the child. The list is kept there, not in
//! the database, because `backup` only reads the database (docs/command-line.md). One line a
//! backup: when, the database's full path, the backup's full path, separated by tabs.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The list's file: in the data folder, or `CASELOAD_BACKUP_LIST` when set (a test's own).
fn list() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CASELOAD_BACKUP_LIST") {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "caseload").map(|d| d.data_dir().join("known-backups.tsv"))
}

fn full(path: &Path) -> Option<String> {
    let full = std::fs::canonicalize(path).ok()?;
    let text = full.to_str()?.to_string();
    // A tab or a line break in a path would break the list's lines.
    (!text.contains(['\t', '\n', '\r'])).then_some(text)
}

/// Adds a backup of `database` to the list (owner-only). Returns the list's path.
pub fn record(database: &Path, backup: &Path, at: &str) -> std::io::Result<PathBuf> {
    let list = list().ok_or_else(|| std::io::Error::other("there is no data folder to keep the list in"))?;
    let (Some(db), Some(copy)) = (full(database), full(backup)) else {
        return Err(std::io::Error::other("the path cannot be written in the list"));
    };
    if let Some(folder) = list.parent() {
        crate::platform::permissions::create_private_dir(folder)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    crate::platform::permissions::create_with_mode(&mut options, 0o600);
    let mut file = options.open(&list)?;
    writeln!(file, "{at}\t{db}\t{copy}")?;
    Ok(list)
}

/// The backups of `database` on the list, oldest first (whether or not they still exist).
pub fn known(database: &Path) -> Vec<PathBuf> {
    let (Some(list), Some(db)) = (list(), full(database)) else { return Vec::new() };
    let Ok(text) = std::fs::read_to_string(list) else { return Vec::new() };
    text.lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let (_at, of, copy) = (parts.next()?, parts.next()?, parts.next()?);
            (of == db).then(|| PathBuf::from(copy))
        })
        .collect()
}
