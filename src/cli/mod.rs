//! The command line (docs/command-line.md): parsing, the default database, exit codes.

mod audit;
mod county;
mod demo;
mod document;
mod export;
mod privacy;
mod records;
mod report;
pub(crate) mod server;
mod settings;

use crate::domain::{AcademicYear, Scope, Term};
use crate::export::Format;
use crate::store::{NetworkDrive, Store, StoreError, StoreOptions};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "caseload",
    version,
    propagate_version = true,
    after_help = EXIT_CODES,
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

    /// Write an output over a file that is there already although caseload did not write it (or
    /// over a database that is not this one)
    #[arg(long, global = true)]
    pub force: bool,

    /// Write CSV files without the UTF-8 byte-order mark they start with (Excel needs it to
    /// read `£` and accented names; another program may not want it)
    #[arg(long, global = true)]
    pub no_bom: bool,

    /// Who is using the application, for "my cases" (m): a staff member's key or name
    #[arg(long = "as", value_name = "STAFF")]
    pub as_staff: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Said at the end of `--help`: what the exit status means (docs/command-line.md).
const EXIT_CODES: &str = "Exit status: 0 done; 2 bad usage or bad input (the message says what and where); \
                          1 anything else (the disk, a database in use, a check that found problems).";

/// The shells `completions` writes for.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// Which return: the year, term or monitoring period, the framework, and small-count suppression
/// (`export` and `report` alike).
#[derive(clap::Args, Debug)]
pub struct PeriodArgs {
    /// Academic year, like 2023-24
    #[arg(long)]
    pub year: AcademicYear,
    /// Term 1 to 6 (or T1 to T6); without it (or --terms), the whole year
    #[arg(long, conflicts_with = "terms")]
    pub term: Option<Term>,
    /// A monitoring period of two terms: 1-2, 3-4 or 5-6
    #[arg(long, value_name = "A-B")]
    pub terms: Option<Scope>,
    /// 2022-23, 2023-24 or all [default: the one for the year]
    #[arg(long)]
    pub framework: Option<String>,
    /// Show counts from 1 to N-1 as "c", and the cells that would give them away or narrow them (for published copies)
    #[arg(long, value_name = "N")]
    pub suppress_below: Option<u32>,
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
        #[command(flatten)]
        period: PeriodArgs,
        /// The file format [default: from --out's extension, else json]
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// The file, or a folder to write it in under its usual name [default: standard output]
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Write the district's monitoring pack: the return as an HTML document with charts
    Report {
        #[command(flatten)]
        period: PeriodArgs,
        /// The HTML file (or a folder to write it in)
        #[arg(long, value_name = "FILE.html")]
        out: Option<PathBuf>,
    },
    /// Combine the districts' year returns (their JSON exports) into the county's figures
    County {
        /// The districts' whole-year JSON returns
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The format [default: from --out's extension, else json]
        #[arg(long, value_enum)]
        format: Option<county::CountyFormat>,
        /// The file, or a folder to write it in under its usual name [default: standard output]
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Show counts from 1 to N-1 as "c", and the cells that would give them away or narrow them (for published copies)
        #[arg(long, value_name = "N")]
        suppress_below: Option<u32>,
        /// The county's districts, so that one that sent no return is named: their names separated by commas, or a file of one name a line
        #[arg(long, value_name = "NAMES|FILE")]
        expect: Option<String>,
    },
    /// Write a page to print: a case summary, a record of visit, or a LIFT meeting's outcome sheets
    ///
    /// The case summary, the record of visit for the SENCo, or a LIFT meeting's outcome sheets (one
    /// per setting, each with only that setting's children), as HTML pages that print on A4. They
    /// name children: for the setting and the team, never for publication; written owner-only.
    Document {
        /// case (a case summary), visit (a record of visit) or lift (a meeting's outcome sheets)
        #[arg(value_enum)]
        kind: crate::export::document::Kind,
        /// The key of the case, visit or LIFT meeting
        key: String,
        /// The HTML file, a folder to write it in, or - for standard output (lift: a folder,
        /// by default the current one)
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
        /// Children by initials only: no full name, date of birth or UPN
        #[arg(long)]
        initials: bool,
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
    /// Replace the database with a backup, safely (the current one is kept aside)
    Restore { backup: PathBuf },
    /// Check integrity, foreign keys and the domain rules; non-zero if anything is broken
    Check,
    /// Everything held about one child (a subject access request): JSON and printable HTML, owner-only
    SubjectAccess {
        /// The child's key
        child: String,
        /// The folder the two files are written into [default: the current folder]
        #[arg(long, value_name = "FOLDER")]
        out: Option<PathBuf>,
    },
    /// The children whose records are past the district's retention policy; --apply erases them
    Retention {
        /// closed+N, age+N or both (closed+6,age+25), instead of the district's for this run
        #[arg(long, value_name = "POLICY")]
        policy: Option<String>,
        /// Erase them all, in one transaction (not undoable)
        #[arg(long)]
        apply: bool,
    },
    /// Erase one child now (an erasure request); the returns stay the same; not undoable. A child
    /// with an open case only with --force
    Erase {
        /// The child's key
        child: String,
        /// Why (the request's reference): no names, it is kept in the audit log
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Print the audit log (who changed which record, when; JSON Lines). It holds names: keep it private
    Audit {
        /// Only changes made on or after this day (UTC), like 2024-03-05 or 5/3/24
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Check the log instead of printing it: its hash chain, its triggers, and every record
        /// against its last entry (exit 1 if anything was changed outside caseload)
        #[arg(long)]
        verify: bool,
    },
    /// Write the shell's completions for caseload's commands and options to standard output
    /// (bash: `caseload completions bash > ~/.local/share/bash-completion/completions/caseload`)
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// A database on a PostgreSQL server: `server init`, run once by IT as the database's owner
    Server {
        #[command(subcommand)]
        action: ServerAction,
    },
    /// Copy a file's database into an empty server database (--to), or a server's into a new file
    /// (--from; --db names the file); checked whole
    Copy {
        /// The server database to fill: postgres://LOGIN@HOST[:PORT]/DATABASE[?sslmode=require]
        #[arg(long, value_name = "URL", conflicts_with = "from", required_unless_present = "from")]
        to: Option<String>,
        /// The server database to copy into a new file
        #[arg(long, value_name = "URL")]
        from: Option<String>,
    },
}

/// What `caseload server` does.
#[derive(Subcommand, Debug)]
pub enum ServerAction {
    /// Make the schema, the roles (caseload_admin, caseload_staff, caseload_reader) and their
    /// grants in the server database --db names; run again, it puts the grants back
    Init,
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
            | StoreError::EmptyFile { .. }
            | StoreError::DanglingLink { .. }
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

/// An output that cannot be opened: bad input (exit 2) for a wrong path, exit 1 for the disk.
pub fn output_failure(e: crate::files::OutputError) -> Failure {
    match e {
        crate::files::OutputError::Io { path, source } => write_failure(&path, source),
        refusal => Failure::input(refusal.to_string()),
    }
}

/// Writing `path` failed: which way, in words, with exit 1 when the disk failed (full, read-only,
/// no permission) and 2 when the path itself is wrong.
pub fn write_failure(path: &std::path::Path, e: std::io::Error) -> Failure {
    use std::io::ErrorKind as K;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    match e.kind() {
        K::StorageFull => Failure::other(format!("the disk is full: {} was not written", path.display())),
        // `| head`: the reader had what it wanted; still not all was written, so not a success.
        K::BrokenPipe => Failure::other(format!(
            "the program reading {} stopped before all of it was written",
            path.display()
        )),
        K::ReadOnlyFilesystem => Failure::other(format!(
            "the folder {} is read-only: {} was not written",
            folder.display(),
            path.display()
        )),
        K::PermissionDenied => Failure::other(format!(
            "no permission to write in the folder {}: {} was not written",
            folder.display(),
            path.display()
        )),
        // Windows: the old file is open in Excel; the error's own words say so and what to do.
        K::ResourceBusy => Failure::other(e.to_string()),
        K::NotFound | K::NotADirectory | K::InvalidInput => {
            Failure::input(format!("cannot write {}: {e}", path.display()))
        }
        _ => Failure::other(format!("cannot write {}: {e}", path.display())),
    }
}

/// An input as messages name it: `-` is standard input.
pub fn input_name(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" { "standard input".into() } else { path.display().to_string() }
}

/// The most problems (or warnings) printed: a flood shows its first ones, then how many more.
pub const PROBLEMS_PRINTED: usize = 100;

/// Writes the first [`PROBLEMS_PRINTED`] lines, then one line counting the rest (`unlisted`: found
/// beyond those the command kept). What went wrong writing to stderr cannot be told anywhere.
pub fn print_first(
    out: &mut dyn std::io::Write,
    lines: impl IntoIterator<Item = String>,
    unlisted: usize,
    what: &str,
) {
    let mut rest = unlisted;
    for (n, line) in lines.into_iter().enumerate() {
        if n < PROBLEMS_PRINTED {
            let _ = writeln!(out, "{line}");
        } else {
            rest += 1;
        }
    }
    if rest > 0 {
        let _ =
            writeln!(out, "... and {rest} more {what} not listed (the first {PROBLEMS_PRINTED} are above)");
    }
}

/// The database used when neither `--db` nor `CASELOAD_DB` is given.
pub fn default_db_path() -> Result<PathBuf, Failure> {
    directories::ProjectDirs::from("", "", "caseload")
        .map(|dirs| dirs.data_dir().join("caseload.db"))
        .ok_or_else(|| Failure::other("cannot find your home folder; give the database with --db PATH"))
}

/// The database path: `--db` or `CASELOAD_DB` (with `~` at its start the home folder), else the
/// default database.
pub fn db_path(cli: &Cli) -> Result<PathBuf, Failure> {
    match &cli.db {
        Some(p) => Ok(expand_home(p)),
        None => default_db_path(),
    }
}

/// `~` or `~/...` (Windows: `~\...` too) at the start of a path is the home folder (as a shell
/// would read it).
fn expand_home(path: &std::path::Path) -> PathBuf {
    let Some(text) = path.to_str() else { return path.to_path_buf() };
    let home = || directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    match text.strip_prefix('~') {
        Some("") => home().unwrap_or_else(|| path.to_path_buf()),
        // `/`, and on Windows `\` too.
        Some(rest) if rest.starts_with(std::path::is_separator) => home()
            .map_or_else(|| path.to_path_buf(), |h| h.join(rest.trim_start_matches(std::path::is_separator))),
        _ => path.to_path_buf(),
    }
}

/// Opens the database to read it (the commands that read or copy it): it must exist, so a
/// mistyped `--db` is refused (exit 2) rather than reported as a success, and it is opened
/// read-only, so nothing is written to it or beside it.
pub fn open_store(cli: &Cli) -> Result<Store, Failure> {
    if let Some(url) = server::server_db(cli) {
        // A return's figures are read on the server, with no copy of the records.
        if matches!(cli.command, Some(Command::Export { .. } | Command::Report { .. })) {
            return Ok(crate::store::server::figures_of(server::connect(&url)?)?);
        }
        return Ok(crate::store::server::replica_of(&mut server::connect(&url)?)?);
    }
    let path = db_path(cli)?;
    if !path.exists() {
        return Err(Failure::input(format!(
            "no database at {}: check --db or CASELOAD_DB (import, import-settings and demo create one)",
            path.display()
        )));
    }
    open_path(cli, &path, true)
}

/// The database, which must exist, opened to be written. A server's records are opened as a
/// working copy whose writes go to the server.
pub fn open_store_to_write(cli: &Cli) -> Result<Store, Failure> {
    if let Some(url) = server::server_db(cli) {
        return server::open_to_write(&url);
    }
    let path = db_path(cli)?;
    if !path.exists() {
        return Err(Failure::input(format!("no database at {}: check --db or CASELOAD_DB", path.display())));
    }
    open_path(cli, &path, false)
}

/// Opens the database to change it, creating it when it does not exist (import,
/// import-settings, demo, and the application's first run). A server database is never made
/// here: IT makes it with `server init`.
pub fn open_or_create_store(cli: &Cli) -> Result<Store, Failure> {
    if let Some(url) = server::server_db(cli) {
        return server::open_to_write(&url);
    }
    open_path(cli, &db_path(cli)?, false)
}

fn open_path(cli: &Cli, path: &std::path::Path, read_only: bool) -> Result<Store, Failure> {
    let options =
        StoreOptions { allow_network_drive: cli.allow_network_drive, read_only, ..StoreOptions::default() };
    Ok(Store::open_with(path, options)?)
}

/// Runs the program; exit statuses as in docs/command-line.md.
pub fn main() -> ExitCode {
    crate::signals::install();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                // Messages may repeat a path or a value: never a control character to the terminal.
                eprintln!("caseload: {}", crate::domain::text::tidy(&f.message, false));
            }
            ExitCode::from(f.code)
        }
    }
}

/// The staff member `--as` names, by key or by name (any case).
fn staff_key(store: &Store, who: &str) -> Result<String, Failure> {
    let staff = store.reader().staff().map_err(Failure::from)?;
    staff
        .iter()
        .find(|s| s.key == who)
        .or_else(|| staff.iter().find(|s| s.name.eq_ignore_ascii_case(who.trim())))
        .map(|s| s.key.clone())
        .ok_or_else(|| Failure::input(format!("--as: no staff member with the key or name \"{who}\"")))
}

/// The environment variables that change how the program works, when set, must say something it
/// can use: refused before anything is done, rather than quietly ignored.
fn check_environment() -> Outcome {
    crate::clock::fixed_now().map_err(Failure::input)?;
    crate::store::busy_timeout_setting().map_err(Failure::input)?;
    Ok(())
}

fn run(cli: &Cli) -> Outcome {
    check_environment()?;
    match &cli.command {
        None => {
            use std::io::IsTerminal;
            // Who `--as` names is checked first: a mistyped name is told at once.
            if let Some(who) = &cli.as_staff {
                staff_key(&open_store(cli)?, who)?;
            }
            if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
                return Err(Failure::input(
                    "the terminal application needs a terminal (its input or output is a pipe or a file); \
                     run it in a terminal, or use a command such as export or dump (caseload --help)",
                ));
            }
            let store = open_or_create_store(cli)?;
            let me = match &cli.as_staff {
                Some(who) => Some(staff_key(&store, who)?),
                None => None,
            };
            crate::tui::run(store, today(), me).map_err(|e| match e {
                crate::tui::UiError::Prefs(why) => Failure::input(why),
                other => Failure::other(other.to_string()),
            })
        }
        Some(Command::Import { file, update }) => records::import(cli, file, *update),
        Some(Command::Dump { out }) => records::dump(cli, out.as_deref()),
        Some(Command::Check) => records::check(cli),
        Some(Command::Audit { verify: true, .. }) => audit::verify(cli),
        Some(Command::Audit { since, .. }) => audit::audit(cli, since.as_deref()),
        Some(Command::SubjectAccess { child, out }) => privacy::subject_access(cli, child, out.as_deref()),
        Some(Command::Retention { policy, apply }) => privacy::retention(cli, policy.as_deref(), *apply),
        Some(Command::Erase { child, reason }) => privacy::erase(cli, child, reason.as_deref()),
        Some(Command::Backup { path }) => records::backup(cli, path),
        Some(Command::Restore { backup }) => records::restore(cli, backup),
        Some(Command::ImportSettings { file, district, neighbour }) => {
            settings::import_settings(cli, file, district, neighbour)
        }
        Some(Command::Export { period, format, out }) => {
            export::export(cli, export::ExportArgs { period, format: *format, out: out.as_deref() })
        }
        Some(Command::Report { period, out }) => {
            report::report(cli, report::ReportArgs { period, out: out.as_deref() })
        }
        Some(Command::County { files, format, out, suppress_below, expect }) => {
            // The county never opens a database, but its output must not replace the team's.
            let database = db_path(cli).ok();
            let args = county::CountyArgs {
                format: *format,
                out: out.as_deref(),
                below: *suppress_below,
                expect: expect.as_deref(),
                bom: !cli.no_bom,
            };
            county::county(files, args, database.as_deref(), cli.force)
        }
        Some(Command::Completions { shell }) => completions(*shell),
        Some(Command::Server { action: ServerAction::Init }) => server::init(cli),
        Some(Command::Copy { to, from }) => server::copy(cli, to.as_deref(), from.as_deref()),
        Some(Command::Document { kind, key, out, initials }) => document::document(
            cli,
            document::DocumentArgs { kind: *kind, key, out: out.as_deref(), initials: *initials },
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

/// `completions`: clap's own script for the shell, from the same definition `--help` reads.
fn completions(shell: CompletionShell) -> Outcome {
    use clap::CommandFactory;
    use clap_complete::Shell;
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "caseload", &mut script);
    use std::io::Write;
    std::io::stdout()
        .write_all(&script)
        .map_err(|e| write_failure(std::path::Path::new("standard output"), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_tilde_and_a_separator_start_in_the_home_folder() {
        let home = directories::BaseDirs::new().unwrap().home_dir().to_path_buf();
        assert_eq!(expand_home(Path::new("~/district.db")), home.join("district.db"));
        // Windows' own separator too (on Unix `\` is part of a name).
        let backslash = expand_home(Path::new(r"~\district.db"));
        if cfg!(windows) {
            assert_eq!(backslash, home.join("district.db"));
        } else {
            assert_eq!(backslash, PathBuf::from(r"~\district.db"));
        }
        assert_eq!(expand_home(Path::new("~other/x.db")), PathBuf::from("~other/x.db"));
    }
}
