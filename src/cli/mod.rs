//! The command line (docs/command-line.md): parsing, the default database, exit codes.

mod audit;
mod demo;
mod export;
mod records;
mod settings;

use crate::domain::{AcademicYear, Term};
use crate::export::Format;
use crate::store::{NetworkDrive, Store, StoreError, StoreOptions};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "caseload",
    version,
    about = "The caseload and termly KPI return of an STLS district team.",
    long_about = "The caseload and termly KPI return of an STLS district team.\n\n\
                  With no command, opens the terminal application on the database."
)]
pub struct Cli {
    /// The district database [default: caseload.db in your data folder]
    #[arg(long, env = "CASELOAD_DB", global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Open the database even on a network drive (NFS, SMB/CIFS), where SQLite's locking is unsafe
    #[arg(long, global = true)]
    pub allow_network_drive: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Load a records file (JSON Lines); all or nothing
    Import {
        file: PathBuf,
        /// Replace stored records that have the same key
        #[arg(long)]
        update: bool,
    },
    /// Load the national schools register CSV
    ImportSettings {
        file: PathBuf,
        /// The district whose open establishments are in district
        #[arg(long, value_name = "NAME")]
        district: String,
        /// A neighbouring district whose establishments are loaded as out of district
        #[arg(long, value_name = "NAME")]
        neighbour: Vec<String>,
    },
    /// Write every record as a records file (to stdout unless --out)
    Dump {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write a termly or yearly KPI return
    Export {
        /// Academic year, like 2023-24
        #[arg(long)]
        year: AcademicYear,
        /// Term 1 to 6 (or T1 to T6); without it, the whole year
        #[arg(long)]
        term: Option<Term>,
        /// 2022-23, 2023-24 or all [default: the one for the year]
        #[arg(long)]
        framework: Option<String>,
        /// The file format [default: from --out's extension, else json]
        #[arg(long, value_enum)]
        format: Option<Format>,
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Show counts from 1 to N-1 as "c" (for published copies)
        #[arg(long, value_name = "N")]
        suppress_below: Option<u32>,
    },
    /// Fill an empty database with a generated demonstration district
    Demo {
        #[arg(long, default_value_t = 1200)]
        children: u32,
        #[arg(long, default_value_t = 3)]
        years: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_name = "NAME")]
        district: Option<String>,
    },
    /// Make a consistent copy of the database, even while it is in use
    Backup { path: PathBuf },
    /// Check integrity, foreign keys and the domain rules; non-zero if anything is broken
    Check,
    /// Print the audit log (who changed which record, when; JSON Lines). It holds names: keep it private
    Audit {
        /// Only changes made on or after this day (UTC), like 2024-03-05 or 5/3/24
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
    },
}

/// A failed command: its message and exit status (2 bad usage or input, 1 anything else).
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into() }
    }

    pub fn other(message: impl Into<String>) -> Failure {
        Failure { code: 1, message: message.into() }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        match e {
            StoreError::NotADatabase { .. }
            | StoreError::ForeignDatabase { .. }
            | StoreError::TooNew { .. } => Failure::input(e.to_string()),
            // A database on a network drive: bad usage until --allow-network-drive is given.
            StoreError::Io { ref source, .. }
                if source.get_ref().is_some_and(|inner| inner.is::<NetworkDrive>()) =>
            {
                Failure::input(e.to_string())
            }
            other => Failure::other(other.to_string()),
        }
    }
}

pub type Outcome = Result<(), Failure>;

/// The database used when neither `--db` nor `CASELOAD_DB` is given.
pub fn default_db_path() -> Result<PathBuf, Failure> {
    directories::ProjectDirs::from("", "", "caseload")
        .map(|dirs| dirs.data_dir().join("caseload.db"))
        .ok_or_else(|| Failure::other("cannot find your home folder; give the database with --db PATH"))
}

pub fn open_store(cli: &Cli) -> Result<Store, Failure> {
    let path = match &cli.db {
        Some(p) => p.clone(),
        None => default_db_path()?,
    };
    let options = StoreOptions { allow_network_drive: cli.allow_network_drive, ..StoreOptions::default() };
    Ok(Store::open_with(&path, options)?)
}

/// Runs the program; exit statuses as in docs/command-line.md.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("caseload: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: &Cli) -> Outcome {
    match &cli.command {
        None => {
            let store = open_store(cli)?;
            crate::tui::run(store, today()).map_err(|e| Failure::other(e.to_string()))
        }
        Some(Command::Import { file, update }) => records::import(cli, file, *update),
        Some(Command::Dump { out }) => records::dump(cli, out.as_deref()),
        Some(Command::Check) => records::check(cli),
        Some(Command::Audit { since }) => audit::audit(cli, since.as_deref()),
        Some(Command::Backup { path }) => records::backup(cli, path),
        Some(Command::ImportSettings { file, district, neighbour }) => {
            settings::import_settings(cli, file, district, neighbour)
        }
        Some(Command::Export { year, term, framework, format, out, suppress_below }) => export::export(
            cli,
            export::ExportArgs {
                year: *year,
                term: *term,
                framework: framework.as_deref(),
                format: *format,
                out: out.as_deref(),
                suppress_below: *suppress_below,
            },
        ),
        Some(Command::Demo { children, years, seed, district }) => demo::demo(
            cli,
            crate::demo::DemoOptions {
                children: *children,
                years: *years,
                seed: *seed,
                district: district.clone().unwrap_or_else(|| "Demonstration District".into()),
            },
        ),
    }
}

pub use crate::clock::{now_rfc3339, today};
