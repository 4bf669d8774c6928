//! `export`: a termly or yearly return in JSON, CSV or XLSX.

use super::{
    Cli, Failure, Outcome, PeriodArgs, now_rfc3339, open_store, output_failure, today, write_failure,
};
use crate::domain::Scope;
use crate::export::{ExportError, Format, Suppression, file_name, make};
use crate::files::{OutputError, is_database, open_output_with};
use crate::kpi::framework;
use crate::kpi::report::Request;
use std::io::{IsTerminal, Write};
use std::path::Path;

pub struct ExportArgs<'a> {
    pub period: &'a PeriodArgs,
    pub format: Option<Format>,
    pub out: Option<&'a Path>,
}

/// The period and framework asked for: a term, a monitoring period, else the whole year; the
/// framework named, else the year's.
pub fn period_of(p: &PeriodArgs) -> Result<(Scope, &'static framework::Framework), Failure> {
    let (year, term, terms, framework) = (p.year, p.term, p.terms, p.framework.as_deref());
    let span = match (term, terms) {
        (Some(t), _) => Scope::Term(t),
        (None, Some(span)) => span,
        (None, None) => Scope::Year,
    };
    let framework = match framework {
        Some(id) => framework::find(id).ok_or_else(|| {
            Failure::input(format!(
                "--framework: no framework \"{id}\"; choose one of: {}",
                framework::ids().join(", ")
            ))
        })?,
        None => framework::for_year(year),
    };
    Ok((span, framework))
}

pub fn export(cli: &Cli, a: ExportArgs<'_>) -> Outcome {
    let year = a.period.year;
    let (span, framework) = period_of(a.period)?;
    let mut store = open_store(cli)?;
    // Refused before any work: an output over the database would destroy it.
    if let (Some(out), Some(db)) = (a.out, store.path())
        && is_database(out, db)
    {
        let refusal = OutputError::IsDatabase { path: out.to_path_buf(), database: db.to_path_buf() };
        return Err(output_failure(refusal));
    }
    // A folder named by --out says nothing of the format: JSON unless --format says otherwise.
    let folder = a.out.is_some_and(Path::is_dir);
    let format = match (a.format, a.out) {
        (Some(f), _) => f,
        (None, Some(out)) if !folder => Format::from_path(out).ok_or_else(|| {
            Failure::input(format!(
                "cannot tell the format from {}; end the name in .json, .csv or .xlsx, or give --format",
                out.display()
            ))
        })?,
        _ => Format::Json,
    };
    if format == Format::Xlsx && a.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::input("an XLSX workbook cannot be shown in the terminal; give --out FILE.xlsx"));
    }
    let request = Request { year, span, framework, generated_at: now_rfc3339(), today: today() };
    let (ret, bytes) =
        make(&mut store, &request, format, Suppression { below: a.period.suppress_below }, !cli.no_bom)
            .map_err(|e| match e {
                ExportError::Store(e) => Failure::from(e),
                ExportError::NotStarted(message) => Failure::input(message),
                named @ ExportError::NamesAChild(_) => Failure::input(named.to_string()),
                unsafe_copy @ ExportError::Unprotectable(_) => Failure::input(unsafe_copy.to_string()),
                render => Failure::other(render.to_string()),
            })?;
    match a.out {
        Some(out) => {
            let mut file = open_output_with(out, &file_name(&ret, format), store.path(), cli.force)
                .map_err(output_failure)?;
            let path = file.path().to_path_buf();
            file.write_all(&bytes).and_then(|()| file.finish()).map_err(|e| write_failure(&path, e))?;
            eprintln!(
                "wrote the {} return ({} measures) to {}",
                ret.period.label,
                ret.lines.len(),
                path.display()
            );
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let written = stdout.write_all(&bytes).and_then(|_| stdout.flush());
            written.map_err(|e| write_failure(Path::new("standard output"), e))?;
        }
    }
    Ok(())
}
