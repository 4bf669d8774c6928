//! `export`: a termly or yearly return in JSON, CSV or XLSX.

use super::{Cli, Failure, Outcome, now_rfc3339, open_store, today};
use crate::domain::{AcademicYear, Term};
use crate::export::files::PendingFile;
use crate::export::{ExportError, Format, Suppression, make};
use crate::kpi::framework;
use crate::kpi::report::Request;
use std::io::{IsTerminal, Write};
use std::path::Path;

pub struct ExportArgs<'a> {
    pub year: AcademicYear,
    pub term: Option<Term>,
    pub framework: Option<&'a str>,
    pub format: Option<Format>,
    pub out: Option<&'a Path>,
    pub suppress_below: Option<u32>,
}

pub fn export(cli: &Cli, a: ExportArgs<'_>) -> Outcome {
    let (year, term) = (a.year, a.term);
    let framework = match a.framework {
        Some(id) => framework::find(id).ok_or_else(|| {
            Failure::input(format!(
                "--framework: no framework \"{id}\"; choose one of: {}",
                framework::ids().join(", ")
            ))
        })?,
        None => framework::for_year(year),
    };
    let format = match (a.format, a.out) {
        (Some(f), _) => f,
        (None, Some(out)) => Format::from_path(out).ok_or_else(|| {
            Failure::input(format!(
                "cannot tell the format from {}; end the name in .json, .csv or .xlsx, or give --format",
                out.display()
            ))
        })?,
        (None, None) => Format::Json,
    };
    if format == Format::Xlsx && a.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::input("an XLSX workbook cannot be shown in the terminal; give --out FILE.xlsx"));
    }
    // Open the output first so an unwritable path fails before any work, leaving no file behind.
    let mut pending = match a.out {
        Some(path) => Some(PendingFile::create(path).map_err(|e| cannot_write(path, e))?),
        None => None,
    };
    let mut store = open_store(cli)?;
    let request = Request { year, term, framework, generated_at: now_rfc3339(), today: today() };
    let (ret, bytes) =
        make(&mut store, &request, format, Suppression { below: a.suppress_below }).map_err(|e| match e {
            ExportError::Store(e) => Failure::from(e),
            ExportError::NotStarted(message) => Failure::input(message),
            render => Failure::other(render.to_string()),
        })?;
    match (pending.take(), a.out) {
        (Some(mut file), Some(path)) => {
            file.write_all(&bytes).map_err(|e| cannot_write(path, e))?;
            file.finish().map_err(|e| cannot_write(path, e))?;
            eprintln!(
                "wrote the {} return ({} measures) to {}",
                ret.period.label,
                ret.lines.len(),
                path.display()
            );
        }
        _ => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|_| stdout.flush())
                .map_err(|e| Failure::other(e.to_string()))?;
        }
    }
    Ok(())
}

fn cannot_write(path: &Path, e: std::io::Error) -> Failure {
    Failure::input(format!("cannot write {}: {e}", path.display()))
}
