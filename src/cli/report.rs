//! `report`: the district's monitoring pack, one HTML file to read (or print) in the meeting.

use super::export::period_of;
use super::{
    Cli, Failure, Outcome, PeriodArgs, now_rfc3339, open_store, output_failure, today, write_failure,
};
use crate::export::{ExportError, Suppression, pack, pack_file_name};
use crate::files::{OutputError, is_database, open_output_with};
use crate::kpi::report::Request;
use std::io::{IsTerminal, Write};
use std::path::Path;

pub struct ReportArgs<'a> {
    pub period: &'a PeriodArgs,
    pub out: Option<&'a Path>,
}

pub fn report(cli: &Cli, a: ReportArgs<'_>) -> Outcome {
    let (span, framework) = period_of(a.period)?;
    if a.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::input("the pack is an HTML document: give --out FILE.html (or a folder)"));
    }
    let mut store = open_store(cli)?;
    if let (Some(out), Some(db)) = (a.out, store.path())
        && is_database(out, db)
    {
        let refusal = OutputError::IsDatabase { path: out.to_path_buf(), database: db.to_path_buf() };
        return Err(output_failure(refusal));
    }
    let request =
        Request { year: a.period.year, span, framework, generated_at: now_rfc3339(), today: today() };
    let (ret, html) = pack::make(&mut store, &request, Suppression { below: a.period.suppress_below })
        .map_err(|e| match e {
            ExportError::Store(e) => Failure::from(e),
            ExportError::NotStarted(message) => Failure::input(message),
            named @ ExportError::NamesAChild(_) => Failure::input(named.to_string()),
            unsafe_copy @ ExportError::Unprotectable(_) => Failure::input(unsafe_copy.to_string()),
            other => Failure::other(other.to_string()),
        })?;
    match a.out {
        Some(out) => {
            let mut file = open_output_with(out, &pack_file_name(&ret), store.path(), cli.force)
                .map_err(output_failure)?;
            let path = file.path().to_path_buf();
            file.write_all(html.as_bytes())
                .and_then(|()| file.finish())
                .map_err(|e| write_failure(&path, e))?;
            eprintln!("wrote the {} monitoring pack to {}", ret.period.label, path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let written = stdout.write_all(html.as_bytes()).and_then(|_| stdout.flush());
            written.map_err(|e| write_failure(Path::new("standard output"), e))?;
        }
    }
    Ok(())
}
