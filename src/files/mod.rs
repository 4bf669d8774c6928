//! Writing output files safely: never over the database, owner-only, created afresh (never
//! through a link or into a file someone else made), and never half-written under the final name.

pub mod backups;
mod ours;

pub use ours::{Found, WORKBOOK_MARK};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why an output cannot be written where asked.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path is the database or one of its side files, by whatever name or link.
    #[error(
        "{} is the database ({}) or one of its files; writing there would destroy it: choose another path",
        .path.display(), .database.display()
    )]
    IsDatabase { path: PathBuf, database: PathBuf },
    /// The path is one of the files the command is reading, by whatever name or link.
    #[error("{}", replaces_input(.path, .input))]
    IsInput { path: PathBuf, input: PathBuf },
    /// An SQLite database is there (another district's, a backup): never written over unasked.
    #[error(
        "{} is a database; writing there would destroy it: choose another path (or add --force if \
         you mean to replace it)",
        .path.display()
    )]
    OverDatabase { path: PathBuf },
    /// A file the program did not write is there.
    #[error(
        "{} is there already and was not written by caseload: choose another path (or add --force \
         to replace it)",
        .path.display()
    )]
    NotOurs { path: PathBuf },
    #[error("cannot write {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

fn replaces_input(path: &Path, input: &Path) -> String {
    let which = if path == input { String::new() } else { format!(" ({})", input.display()) };
    format!(
        "{} is one of the files being read{which}; writing there would replace it: choose another name for the output",
        path.display()
    )
}

impl OutputError {
    /// Bad input (exit 2) unless the disk itself failed (full, read-only, ...).
    pub fn is_bad_input(&self) -> bool {
        match self {
            OutputError::IsDatabase { .. }
            | OutputError::IsInput { .. }
            | OutputError::OverDatabase { .. }
            | OutputError::NotOurs { .. } => true,
            OutputError::Io { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::PermissionDenied
                    | std::io::ErrorKind::InvalidInput
                    | std::io::ErrorKind::NotADirectory
                    | std::io::ErrorKind::AlreadyExists
            ),
        }
    }
}

/// An output opened for writing (see [`open_output`]).
pub enum Output {
    /// A regular file: written beside its final name and renamed into place when finished.
    File(PendingFile),
    /// Not a regular file (`/dev/stdout`, a pipe): written directly.
    Direct { file: File, path: PathBuf },
    /// `-`: the program's standard output.
    Stdout(std::io::Stdout),
}

impl Output {
    /// Where the output goes (for messages).
    pub fn path(&self) -> &Path {
        match self {
            Output::File(f) => &f.dest,
            Output::Direct { path, .. } => path,
            Output::Stdout(_) => Path::new("standard output"),
        }
    }

    /// Everything written: flushed, on disk, under its final name.
    pub fn finish(self) -> std::io::Result<()> {
        match self {
            Output::File(f) => f.finish(),
            Output::Direct { mut file, .. } => file.flush(),
            Output::Stdout(mut out) => out.flush(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::File(f) => f.write(buf),
            Output::Direct { file, .. } => file.write(buf),
            Output::Stdout(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::File(f) => f.flush(),
            Output::Direct { file, .. } => file.flush(),
            Output::Stdout(out) => out.flush(),
        }
    }
}

/// Opens `dest` for an output: a folder gets `usual_name` inside it; the database and its side
/// files (`database` with `-wal`, `-shm`, `-journal`), reached by whatever name, link or hard
/// link, are refused; a target that is not a regular file is written directly.
pub fn open_output(dest: &Path, usual_name: &str, database: Option<&Path>) -> Result<Output, OutputError> {
    open_output_with(dest, usual_name, database, false)
}

/// As [`open_output`]; a file already there that the program did not write (or any database) is
/// written over only with `force`.
pub fn open_output_with(
    dest: &Path,
    usual_name: &str,
    database: Option<&Path>,
    force: bool,
) -> Result<Output, OutputError> {
    let io = |path: &Path, source| OutputError::Io { path: path.to_path_buf(), source };
    if dest.as_os_str() == "-" {
        return Ok(Output::Stdout(std::io::stdout()));
    }
    let dest = destination(dest, usual_name);
    if let Some(db) = database
        && is_database(&dest, db)
    {
        return Err(OutputError::IsDatabase { path: dest, database: db.to_path_buf() });
    }
    may_replace(&dest, force)?;
    match std::fs::metadata(&dest) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            let file = std::fs::OpenOptions::new().write(true).open(&dest).map_err(|e| io(&dest, e))?;
            Ok(Output::Direct { file, path: dest })
        }
        _ => PendingFile::create(&dest).map(Output::File).map_err(|e| io(&dest, e)),
    }
}

/// As [`open_output_with`], for a command that reads files (`county`): none of `inputs`, reached
/// by whatever name, link or hard link, is written over, and neither is the database.
pub fn open_output_sparing(
    dest: &Path,
    usual_name: &str,
    inputs: &[PathBuf],
    database: Option<&Path>,
    force: bool,
) -> Result<Output, OutputError> {
    let dest = destination(dest, usual_name);
    if let Some(input) = inputs.iter().find(|input| same_file(&dest, input)) {
        return Err(OutputError::IsInput { path: dest, input: input.clone() });
    }
    open_output_with(&dest, usual_name, database, force)
}

/// Whether the regular file at `dest` (if any) may be written over: an empty one or one of the
/// program's own outputs may; a database or another file only with `force`. What is not a
/// regular file (a pipe, a terminal) is written to, not over.
pub fn may_replace(dest: &Path, force: bool) -> Result<(), OutputError> {
    let regular = std::fs::metadata(dest).is_ok_and(|m| m.is_file());
    if force || !regular {
        return Ok(());
    }
    match ours::found(dest) {
        Found::Replaceable => Ok(()),
        Found::Database => Err(OutputError::OverDatabase { path: dest.to_path_buf() }),
        Found::Other => Err(OutputError::NotOurs { path: dest.to_path_buf() }),
    }
}

/// The file an output goes to: `dest`, or `usual_name` inside it when it is a folder.
fn destination(dest: &Path, usual_name: &str) -> PathBuf {
    match std::fs::metadata(dest) {
        Ok(meta) if meta.is_dir() => dest.join(usual_name),
        _ => dest.to_path_buf(),
    }
}

/// Whether two paths are one file: the same device and inode (links and other names count), or
/// the same place once links in the folders are resolved.
fn same_file(a: &Path, b: &Path) -> bool {
    let same_inode =
        crate::platform::file_id::of(a).is_some_and(|x| Some(x) == crate::platform::file_id::of(b));
    same_inode || resolved(a).is_some_and(|p| Some(p) == resolved(b))
}

/// The side files SQLite keeps beside a database, and the program's lock file.
const SIDE_FILES: [&str; 5] = ["", "-wal", "-shm", "-journal", "-lock"];

/// Whether `path` is the database or one of its side files: the same file (device and inode,
/// so links and other names count), or the same place once links in the folders are resolved.
pub fn is_database(path: &Path, database: &Path) -> bool {
    SIDE_FILES.iter().any(|suffix| {
        let mut side = database.as_os_str().to_owned();
        side.push(suffix);
        same_file(path, Path::new(&side))
    })
}

/// Where a path leads: itself resolved if it exists, else its folder resolved with its name
/// (following a link that points nowhere yet, a few steps deep).
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..8 {
        if let Ok(p) = std::fs::canonicalize(&path) {
            return Some(p);
        }
        match std::fs::read_link(&path) {
            Ok(target) => path = path.parent().unwrap_or(Path::new(".")).join(target),
            Err(_) => {
                let folder = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                return Some(std::fs::canonicalize(folder).ok()?.join(path.file_name()?));
            }
        }
    }
    None
}

/// A file being written beside its final path, renamed into place by [`PendingFile::finish`].
/// Dropped unfinished (or the program stopped by a signal), it removes itself.
pub struct PendingFile {
    temp: PathBuf,
    dest: PathBuf,
    out: Option<BufWriter<File>>,
}

impl PendingFile {
    /// Creates the temporary file: a fresh name, created exclusively (never a file or link that
    /// is there already), readable by the owner only (exports may hold children's records).
    pub fn create(dest: &Path) -> std::io::Result<PendingFile> {
        let name = dest.file_name().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "the output path has no file name")
        })?;
        remove_abandoned(dest);
        let mut attempts = 0;
        loop {
            let mut temp_name = std::ffi::OsString::from(".");
            temp_name.push(name);
            temp_name.push(format!(".{}.{:08x}.partial", std::process::id(), fastrand::u32(..)));
            let temp = dest.with_file_name(temp_name);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            crate::platform::permissions::private_temporary(&mut options);
            match crate::signals::create_unfinished(&temp, || options.open(&temp)) {
                Ok(file) => {
                    return Ok(PendingFile {
                        temp,
                        dest: dest.to_path_buf(),
                        out: Some(BufWriter::new(file)),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 8 => attempts += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// The temporary file's path (for a writer of its own, as SQLite's `VACUUM INTO`).
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.out.as_mut().expect("open until finished")
    }

    /// Flushes to disk and moves the file to its final name.
    pub fn finish(mut self) -> std::io::Result<()> {
        let out = self.out.take().expect("open until finished");
        let result = (|| {
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            crate::platform::replace::replace(&self.temp, &self.dest)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&self.temp);
        }
        crate::signals::finished(&self.temp);
        result
    }
}

/// Removes temporary files of `dest` left by a program that was killed outright (SIGKILL, a power
/// cut) before it could remove them: they may hold children's records. Only files of processes
/// that are no longer running are touched (see `platform::processes`; where that cannot be told,
/// nothing is removed).
fn remove_abandoned(dest: &Path) {
    let (Some(folder), Some(name)) = (dest.parent(), dest.file_name().and_then(|n| n.to_str())) else {
        return;
    };
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) =
            file.to_str().and_then(|f| f.strip_prefix(&prefix)).and_then(|r| r.strip_suffix(".partial"))
        else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && pid != std::process::id() && crate::platform::processes::has_ended(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if self.out.is_some() {
            self.out = None;
            let _ = std::fs::remove_file(&self.temp);
            crate::signals::finished(&self.temp);
        }
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_recognised_by_any_name_or_link() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("district.db");
        std::fs::write(&db, b"x").unwrap();
        std::fs::write(dir.path().join("district.db-wal"), b"x").unwrap();
        assert!(is_database(&db, &db));
        assert!(is_database(&dir.path().join("district.db-wal"), &db));
        assert!(is_database(&dir.path().join("district.db-shm"), &db), "a side file not there yet");
        assert!(is_database(&dir.path().join("./district.db"), &db));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&db, dir.path().join("link.json")).unwrap();
            assert!(is_database(&dir.path().join("link.json"), &db), "a link to it");
            std::os::unix::fs::symlink("district.db-journal", dir.path().join("dangling")).unwrap();
            assert!(is_database(&dir.path().join("dangling"), &db), "a link to a side file not there yet");
            std::fs::hard_link(&db, dir.path().join("hard.json")).unwrap();
            assert!(is_database(&dir.path().join("hard.json"), &db), "a hard link");
            std::fs::create_dir(dir.path().join("sub")).unwrap();
            std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/up")).unwrap();
            assert!(is_database(&dir.path().join("sub/up/district.db"), &db), "through a folder link");
        }
        assert!(!is_database(&dir.path().join("return.json"), &db));
        assert!(!is_database(&dir.path().join("district.db.json"), &db));
    }

    #[test]
    fn a_killed_programs_temporary_file_is_removed_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("dump.jsonl");
        // A process id that is not running (the highest possible is below 2^22 on Linux).
        let dead = dir.path().join(".dump.jsonl.4194399.0badc0de.partial");
        let alive = dir.path().join(format!(".dump.jsonl.{}.00000000.partial", std::process::id()));
        let other = dir.path().join(".other.jsonl.4194399.0badc0de.partial");
        for f in [&dead, &alive, &other] {
            std::fs::write(f, b"children's records").unwrap();
        }
        PendingFile::create(&dest).unwrap().finish().unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists(), "a dead program's leftover is removed");
        }
        assert!(alive.exists(), "a running program's file is not touched");
        assert!(other.exists(), "another output's file is not touched");
    }

    #[test]
    fn a_temporary_file_is_never_one_that_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.json");
        let mut a = PendingFile::create(&dest).unwrap();
        let b = PendingFile::create(&dest).unwrap();
        assert_ne!(a.temp, b.temp, "each its own name");
        a.write_all(b"{}").unwrap();
        let temp = a.temp.clone();
        a.finish().unwrap();
        assert!(!temp.exists());
        assert_eq!(std::fs::read(&dest).unwrap(), b"{}");
        let unfinished = b.temp.clone();
        drop(b);
        assert!(!unfinished.exists(), "dropped unfinished: removed");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
