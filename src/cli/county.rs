//! `county`: the districts' year returns combined into the countywide figures. It reads only the
//! files given (the districts' JSON exports), never a database.

use super::{Failure, Outcome, now_rfc3339, write_failure};
use crate::county::read::{CountyError, read_all};
use crate::county::{self, write};
use crate::files::open_output_sparing;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// The formats of the county's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CountyFormat {
    Json,
    Csv,
    Xlsx,
    Html,
}

impl CountyFormat {
    fn extension(self) -> &'static str {
        match self {
            CountyFormat::Json => "json",
            CountyFormat::Csv => "csv",
            CountyFormat::Xlsx => "xlsx",
            CountyFormat::Html => "html",
        }
    }

    fn of(path: &Path) -> Option<CountyFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(CountyFormat::Json),
            "csv" => Some(CountyFormat::Csv),
            "xlsx" => Some(CountyFormat::Xlsx),
            "html" | "htm" => Some(CountyFormat::Html),
            _ => None,
        }
    }
}

/// What the county command was asked for.
pub struct CountyArgs<'a> {
    pub format: Option<CountyFormat>,
    pub out: Option<&'a Path>,
    pub below: Option<u32>,
    /// `--expect`: the county's districts, as names or a file.
    pub expect: Option<&'a str>,
    /// The CSV starts with the UTF-8 byte-order mark (not with `--no-bom`).
    pub bom: bool,
}

/// `database` is never opened, only kept from being written over.
pub fn county(files: &[PathBuf], args: CountyArgs, database: Option<&Path>, force: bool) -> Outcome {
    let CountyArgs { format, out, below, expect, bom } = args;
    // The list is read first: a mistake in it is said before the returns are read.
    let expected = expect.map(county::expect::parse).transpose().map_err(Failure::input)?;
    let returns = read_all(files).map_err(|e| Failure::input(e.to_string()))?;
    let folder = out.is_some_and(Path::is_dir);
    let format = match (format, out) {
        (Some(f), _) => f,
        (None, Some(path)) if !folder => CountyFormat::of(path).ok_or_else(|| {
            Failure::input(format!(
                "cannot tell the format from {}; end the name in .json, .csv, .xlsx or .html, or give --format",
                path.display()
            ))
        })?,
        _ => CountyFormat::Json,
    };
    if matches!(format, CountyFormat::Xlsx) && out.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::input("an XLSX workbook cannot be shown in the terminal; give --out FILE.xlsx"));
    }
    let mut combined = county::combine(&returns, &now_rfc3339())
        .ok_or_else(|| Failure::input(CountyError::NoFiles.to_string()))?;
    if let Some(expected) = expected {
        county::expect::apply(&mut combined, &returns, expected)
            .map_err(|e| Failure::input(e.to_string()))?;
    }
    let hides = county::hidden::Hidden::of(&combined, below).map_err(|e| Failure::input(e.to_string()))?;
    let mut bytes = Vec::new();
    let written = match format {
        CountyFormat::Json => write::json(&combined, &hides, &mut bytes).map_err(|e| e.to_string()),
        CountyFormat::Csv => write::csv(&combined, &hides, &mut bytes, bom).map_err(|e| e.to_string()),
        CountyFormat::Xlsx => {
            county::xlsx::workbook(&combined, &hides).map(|b| bytes = b).map_err(|e| e.to_string())
        }
        CountyFormat::Html => {
            bytes = county::pack::html(&combined, &hides, below).into_bytes();
            Ok(())
        }
    };
    written.map_err(|e| Failure::other(format!("could not write the county's figures: {e}")))?;
    match out {
        Some(path) => {
            let name = format!("county-{}-{}.{}", combined.year, combined.framework, format.extension());
            let mut file =
                open_output_sparing(path, &name, files, database, force).map_err(super::output_failure)?;
            let written_to = file.path().to_path_buf();
            file.write_all(&bytes).and_then(|()| file.finish()).map_err(|e| write_failure(&written_to, e))?;
            eprintln!(
                "combined {} districts' returns of {} into {}",
                combined.districts.len(),
                combined.year,
                written_to.display()
            );
            say_what_to_check(&combined);
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|_| stdout.flush())
                .map_err(|e| write_failure(Path::new("standard output"), e))?;
            say_what_to_check(&combined);
        }
    }
    Ok(())
}

/// Who sent no return and the budget lines that disagree, said on the terminal too (the outputs
/// say them as well), so that whoever runs the command sees them.
fn say_what_to_check(county: &county::County) {
    if !county.missing.is_empty() {
        eprintln!("note: {}", county.coverage());
    }
    for warning in &county.warnings {
        eprintln!("warning: {warning}");
    }
}
