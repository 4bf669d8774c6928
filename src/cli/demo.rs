//! `demo`: fill an empty database with a generated demonstration district.

use super::{Cli, Failure, Outcome, open_or_create_store, today};
use crate::demo::{DemoError, DemoOptions, generate};
use std::io::IsTerminal;
use std::time::Instant;

pub fn demo(cli: &Cli, options: DemoOptions) -> Outcome {
    // Bad options create nothing: checked before the database is opened.
    options.check().map_err(|e| Failure::input(e.to_string()))?;
    let mut store = open_or_create_store(cli)?;
    let show = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut progress = |done: usize| {
        if show {
            eprint!("\rgenerating the demonstration district: {done} records");
        }
    };
    let result = generate(&mut store, &options, today(), &mut progress);
    if show {
        eprint!("\r\x1b[K");
    }
    let summary = result.map_err(|e| match e {
        DemoError::NotEmpty | DemoError::BadOption(_) => Failure::input(e.to_string()),
        DemoError::Store(e) => e.into(),
        other => Failure::other(other.to_string()),
    })?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "generated \"{}\": {} children, {} records in {seconds:.1} s ({:.0} records/s)",
        options.district,
        options.children,
        summary.records(),
        summary.records() as f64 / seconds.max(1e-9)
    );
    Ok(())
}
