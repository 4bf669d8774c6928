//! `document`: the case summary, the record of visit, or a LIFT meeting's outcome sheets, as
//! HTML pages to print (packs.md, "Documents about one child, one visit, one meeting").

use super::{Cli, Failure, Outcome, open_store, output_failure, today, write_failure};
use crate::export::document::{Document, DocumentError, Kind, Options, into_folder, make};
use crate::files::open_output_with;
use std::io::{IsTerminal, Write};
use std::path::Path;

pub struct DocumentArgs<'a> {
    pub kind: Kind,
    pub key: &'a str,
    pub out: Option<&'a Path>,
    pub initials: bool,
}

pub fn document(cli: &Cli, a: DocumentArgs<'_>) -> Outcome {
    let to_stdout = a.out.is_none_or(|o| o.as_os_str() == "-");
    if a.kind == Kind::Lift {
        if a.out.is_some_and(|o| o.as_os_str() == "-") {
            return Err(Failure::input(
                "the LIFT outcome sheets are one file per setting: give --out FOLDER, not -",
            ));
        }
    } else if a.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::input(
            "the document is an HTML page: give --out FILE.html (or a folder, or - for standard output)",
        ));
    }
    let mut store = open_store(cli)?;
    let db = store.path().map(Path::to_path_buf);
    let snapshot = store.snapshot()?;
    let options = Options::new(today(), a.initials);
    let documents = make(snapshot.reader(), a.kind, a.key, &options).map_err(|e| match e {
        DocumentError::Store(e) => Failure::from(e),
        refused @ (DocumentError::Unknown { .. } | DocumentError::Nothing(_)) => {
            Failure::input(refused.to_string())
        }
    })?;
    drop(snapshot);
    if a.kind == Kind::Lift {
        return write_sheets(cli, &documents, a.out.unwrap_or(Path::new(".")), db.as_deref());
    }
    let Some(doc) = documents.first() else { return Ok(()) };
    match a.out {
        Some(out) if !to_stdout => {
            let mut file =
                open_output_with(out, &doc.file_name, db.as_deref(), cli.force).map_err(output_failure)?;
            let path = file.path().to_path_buf();
            file.write_all(doc.html.as_bytes())
                .and_then(|()| file.finish())
                .map_err(|e| write_failure(&path, e))?;
            // The path names keys only: never a child's name on the terminal or in a log.
            eprintln!("wrote the {} to {}", what(a.kind), path.display());
        }
        _ => {
            let mut stdout = std::io::stdout().lock();
            let written = stdout.write_all(doc.html.as_bytes()).and_then(|()| stdout.flush());
            written.map_err(|e| write_failure(Path::new("standard output"), e))?;
        }
    }
    Ok(())
}

fn what(kind: Kind) -> &'static str {
    match kind {
        Kind::Case => "case summary",
        Kind::Visit => "record of visit",
        Kind::Lift => "LIFT outcome sheets",
    }
}

/// Every sheet into the folder, or none (`into_folder`).
fn write_sheets(cli: &Cli, documents: &[Document], folder: &Path, db: Option<&Path>) -> Outcome {
    if !folder.is_dir() {
        return Err(Failure::input(format!(
            "--out {}: there is no such folder (the LIFT outcome sheets are one file per setting, \
             written into a folder that is there already)",
            folder.display()
        )));
    }
    let written = into_folder(documents, folder, db, cli.force).map_err(output_failure)?;
    let names: Vec<String> =
        written.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
    eprintln!("wrote {} LIFT outcome sheet(s) to {}: {}", names.len(), folder.display(), names.join(", "));
    Ok(())
}
