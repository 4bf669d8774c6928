//! Loading a records file (docs/records-file.md): all or nothing, every bad line reported.
//!
//! Lines are written as they are read, in one transaction, so memory stays small on large files;
//! a line whose references come later in the file waits and is written after the rest, in the
//! order of record types. If any line is bad the transaction is dropped and nothing is kept.

mod csv_rows;
pub mod input;
pub mod line;
pub mod register;

use crate::domain::{Date, Record, RecordKind};
use crate::handoff::{self, HungUp, Maker};
use crate::store::{Batch, PutError, Store, StoreError, Writer};
use line::{FieldProblem, Parsed, parse_line};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A bad line: where, which record, which field, and what rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number; `None` for a stored record that this file's records conflict with.
    pub line: Option<usize>,
    pub kind: Option<RecordKind>,
    pub key: Option<String>,
    pub field: Option<String>,
    pub message: String,
    /// The other record a cross-record rule concerns (the case an allocation falls outside, ...).
    pub related: Option<(RecordKind, String)>,
    /// With no line: the input was a stream, read once, so the line cannot be found again.
    pub streamed: bool,
}

/// Fields whose values a message never repeats: a child's names and date of birth.
const PRIVATE_FIELDS: [&str; 3] = ["first_name", "last_name", "dob"];

impl fmt::Display for LineError {
    /// Everything from the file is shown escaped and shortened (no control character reaches the
    /// terminal), and a child's name or date of birth is never repeated.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::domain::text::{shown, tidy};
        match self.line {
            Some(n) => write!(f, "line {n}")?,
            None if self.streamed => write!(f, "a record (its line is not known: the input was a stream)")?,
            None => write!(f, "stored record")?,
        }
        match (&self.kind, &self.key) {
            (Some(kind @ (RecordKind::ManualMeasure | RecordKind::MeasureNote)), Some(key))
                if free_text_id(*kind, key) =>
            {
                // "2023-24 T3 Isabella Mills": the id may be a name, so only the term is shown.
                let term: Vec<&str> = key.splitn(3, ' ').take(2).collect();
                write!(f, " ({} of {}, its id not repeated)", kind.label(), shown(&term.join(" ")))?
            }
            (Some(kind), Some(key)) => write!(f, " ({} \"{}\")", kind.label(), shown(key))?,
            (None, Some(key)) => write!(f, " (key \"{}\")", shown(key))?,
            (Some(kind), None) => write!(f, " ({})", kind.label())?,
            (None, None) => {}
        }
        if let Some(field) = &self.field {
            write!(f, ", field \"{}\"", shown(field))?;
        }
        let private = self.field.as_deref().is_some_and(|field| PRIVATE_FIELDS.contains(&field));
        write!(f, ": {}", tidy(&self.message, private))
    }
}

/// A manual figure's or note's key ("2023-24 T3 survey.responses") whose id is not a code.
fn free_text_id(kind: RecordKind, key: &str) -> bool {
    use crate::domain::manual::{id_problem, measure_id_problem};
    let id = key.splitn(3, ' ').nth(2).unwrap_or_default();
    let problem = if kind == RecordKind::ManualMeasure { id_problem(id) } else { measure_id_problem(id) };
    problem.is_some()
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The first [`PROBLEMS_KEPT`] problems found, and how many more there were.
    #[error("{} problem(s); nothing was imported", .errors.len() + .unlisted)]
    Invalid { errors: Vec<LineError>, unlisted: usize },
    #[error("{path} is not a text records file (it contains binary data); nothing was imported")]
    Binary { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} holds no records (it is empty, or only blank and // lines); nothing was imported: is it the \
         right file?"
    )]
    Empty { path: PathBuf },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How many problems an import keeps to report; the rest are only counted, so that a file of a
/// million bad lines does not fill memory with their messages.
pub const PROBLEMS_KEPT: usize = 1_000;

/// Problems to report: the first [`PROBLEMS_KEPT`] kept, the rest only counted.
#[derive(Debug)]
pub(crate) struct Kept<T> {
    pub items: Vec<T>,
    pub unlisted: usize,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept { items: Vec::new(), unlisted: 0 }
    }
}

impl<T> Kept<T> {
    pub fn push(&mut self, item: T) {
        if self.items.len() < PROBLEMS_KEPT {
            self.items.push(item);
        } else {
            self.unlisted += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T> Extend<T> for Kept<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        items.into_iter().for_each(|item| self.push(item));
    }
}

/// How many records on bad lines are remembered, to explain a reference to one of them.
const BAD_RECORDS_KEPT: usize = 100_000;

/// What an import wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Records written, by type: (new, replaced).
    pub by_kind: BTreeMap<RecordKind, (usize, usize)>,
    /// Things worth a look that break no rule (a second setting with the name and phase of another).
    pub warnings: Vec<String>,
}

impl ImportSummary {
    pub fn records(&self) -> usize {
        self.by_kind.values().map(|(n, r)| n + r).sum()
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.by_kind.is_empty() {
            return write!(f, "no records found; nothing imported");
        }
        let parts: Vec<String> = self
            .by_kind
            .iter()
            // A record found already stored exactly as it is (the district) is not news.
            .filter(|(_, (new, replaced))| new + replaced > 0)
            .map(|(kind, (new, replaced))| match replaced {
                0 => format!("{new} {}", kind.code()),
                r => format!("{new} new + {r} replaced {}", kind.code()),
            })
            .collect();
        if parts.is_empty() {
            return write!(f, "nothing to import: the file's records are stored already, as they are");
        }
        let n = self.records();
        write!(f, "imported {n} record{}: {}", if n == 1 { "" } else { "s" }, parts.join(", "))
    }
}

/// Options for [`import_file`].
pub struct ImportOptions<'p> {
    /// Replace stored records with the same key instead of refusing them.
    pub update: bool,
    /// Called now and then with (bytes read, file size).
    pub progress: Option<&'p mut dyn FnMut(u64, u64)>,
    /// The day of the import: nothing that has happened may be dated after it.
    pub today: Date,
}

impl Default for ImportOptions<'_> {
    /// No update, no progress, as of today (the clock, or `CASELOAD_NOW`).
    fn default() -> Self {
        ImportOptions { update: false, progress: None, today: crate::clock::today() }
    }
}

/// Imports a records file into the store, all or nothing.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    options: ImportOptions<'_>,
) -> Result<ImportSummary, ImportError> {
    let read_err = |source| ImportError::Read { path: path.to_path_buf(), source };
    let input = input::open(path).map_err(read_err)?;
    let size = input.size;
    // A NUL byte in the first 8 KiB marks a binary file (as `git` and `grep` judge it); the
    // bytes looked at are read on from, not read twice.
    let mut head = Vec::with_capacity(8192);
    let mut rest = input.reader;
    (&mut rest).take(8192).read_to_end(&mut head).map_err(read_err)?;
    if head.contains(&0) {
        return Err(ImportError::Binary { path: path.to_path_buf() });
    }
    let writer = store.write()?;
    let mut run = Run::new(&writer, options.update)?;
    let mut progress = options.progress;
    // Parsing is a good part of the work: done on a second thread meanwhile.
    let reader = BufReader::with_capacity(1 << 16, std::io::Cursor::new(head).chain(rest));
    let take = |line: ReadLine| -> Result<(), ImportError> {
        if line.number.is_multiple_of(16_384)
            && let Some(p) = progress.as_mut()
        {
            p(line.done, size);
        }
        match line.parsed {
            Some(parsed) => run.line(line.number, parsed)?,
            None => run.error(
                line.number,
                None,
                None,
                FieldProblem {
                    field: None,
                    message: "the line is not UTF-8 text (save the file as UTF-8)".into(),
                },
            ),
        }
        Ok(())
    };
    let today = options.today;
    handoff::run(|out| read_lines(reader, today, out), take, read_err)?;
    run.finish()?;
    if let Some(p) = progress.as_mut() {
        p(size, size);
    }
    // A file with nothing in it is almost always the wrong file.
    if run.errors.is_empty() && run.records == 0 {
        return Err(ImportError::Empty { path: path.to_path_buf() });
    }
    if !run.errors.is_empty() {
        let Kept { items: mut errors, unlisted } = run.errors;
        locate(input.again, &mut errors).map_err(read_err)?;
        errors.sort_by_key(|e| (e.line.unwrap_or(usize::MAX), e.field.clone()));
        return Err(ImportError::Invalid { errors, unlisted });
    }
    let summary = run.summary;
    writer.commit()?;
    Ok(summary)
}

/// A line of the file, parsed: `None` when it is not UTF-8.
struct ReadLine {
    number: usize,
    /// Bytes of the file read up to the end of this line.
    done: u64,
    parsed: Option<Parsed>,
}

/// Reads and parses the file's lines and sends them on, until the end of the file, a read error
/// (sent on) or the writer hanging up.
fn read_lines(
    mut reader: impl BufRead,
    today: Date,
    out: &mut Maker<ReadLine, std::io::Error>,
) -> Result<(), HungUp> {
    let mut buf = Vec::new();
    let (mut number, mut done) = (0usize, 0u64);
    loop {
        buf.clear();
        let n = read_line_at_most(&mut reader, &mut buf, LINE_MAX).map_err(|e| out.fail(e))?;
        if n == 0 {
            return Ok(());
        }
        number += 1;
        done += n as u64;
        let parsed = if n > LINE_MAX {
            Some(Parsed::Bad {
                kind: None,
                key: None,
                problems: vec![FieldProblem {
                    field: None,
                    message: format!(
                        "the line is {n} bytes long; a line may be at most 1 MB ({LINE_MAX} bytes): is this \
                         the right file?"
                    ),
                }],
            })
        } else {
            std::str::from_utf8(&buf).ok().map(|text| {
                parse_line(if number == 1 { text.trim_start_matches('\u{feff}') } else { text }, today)
            })
        };
        out.push(ReadLine { number, done, parsed })?;
    }
}

/// The longest line accepted, in bytes.
pub const LINE_MAX: usize = 1 << 20;

/// Reads one line (up to and including its newline) into `buf`, keeping at most `max` bytes of
/// it: the rest of a longer line is read and dropped, so memory stays flat whatever the line's
/// length. The line's whole length in bytes (0 at the end of the file).
fn read_line_at_most(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(total);
        }
        let (piece, end) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let room = (max + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&piece[..piece.len().min(room)]);
        let used = piece.len();
        total += used;
        reader.consume(used);
        if end {
            return Ok(total);
        }
    }
}

/// The state of one import.
struct Run<'w, 'c> {
    writer: &'w Writer<'c>,
    batch: Batch,
    /// Lines whose references were not yet stored when read.
    waiting: Vec<(usize, Record)>,
    /// Records on bad lines, so a reference to one is explained as such.
    bad_records: HashSet<(RecordKind, String)>,
    errors: Kept<LineError>,
    summary: ImportSummary,
    /// Lines that held a record (good or bad): none means the file holds nothing.
    records: usize,
}

impl<'w, 'c> Run<'w, 'c> {
    fn new(writer: &'w Writer<'c>, update: bool) -> Result<Self, StoreError> {
        Ok(Run {
            writer,
            batch: writer.bulk_batch(update)?,
            waiting: Vec::new(),
            bad_records: HashSet::new(),
            errors: Kept::default(),
            summary: ImportSummary::default(),
            records: 0,
        })
    }

    fn error(&mut self, line: usize, kind: Option<RecordKind>, key: Option<String>, p: FieldProblem) {
        self.errors.push(LineError {
            line: Some(line),
            kind,
            key,
            field: p.field,
            message: p.message,
            related: None,
            streamed: false,
        });
    }

    fn bad_record(&mut self, kind: RecordKind, key: String) {
        if self.bad_records.len() < BAD_RECORDS_KEPT {
            self.bad_records.insert((kind, key));
        }
    }

    fn line(&mut self, number: usize, parsed: Parsed) -> Result<(), StoreError> {
        match parsed {
            Parsed::Skip => Ok(()),
            Parsed::Bad { kind, key, problems } => {
                if let (Some(kind), Some(key)) = (kind, &key) {
                    self.bad_record(kind, key.clone());
                }
                for p in problems {
                    self.error(number, kind, key.clone(), p);
                }
                Ok(())
            }
            Parsed::Record(record) => {
                self.records += 1;
                self.put(number, record, false)
            }
        }
    }

    /// Writes a record; with `last_chance`, a missing reference is an error rather than a wait.
    fn put(&mut self, number: usize, record: Record, last_chance: bool) -> Result<(), StoreError> {
        let kind = record.kind();
        match self.writer.put(&mut self.batch, &record) {
            Ok(put) => {
                let entry = self.summary.by_kind.entry(kind).or_default();
                match put {
                    crate::store::Put::Inserted => entry.0 += 1,
                    crate::store::Put::Updated => entry.1 += 1,
                    crate::store::Put::Unchanged => {}
                }
                Ok(())
            }
            Err(PutError::Missing(_)) if !last_chance => {
                self.waiting.push((number, record));
                Ok(())
            }
            Err(PutError::Missing(missing)) => {
                let key = record.key();
                self.bad_record(kind, key.clone());
                for m in missing {
                    let message = self.explain_missing(m.kind, &m.key)?;
                    self.error(
                        number,
                        Some(kind),
                        Some(key.clone()),
                        FieldProblem { field: Some(m.field.to_string()), message },
                    );
                }
                Ok(())
            }
            Err(PutError::Duplicate { in_batch }) => {
                let key = record.key();
                let (field, what) = match kind {
                    RecordKind::District => ("name", "the district".to_string()),
                    RecordKind::TermDates => ("year", format!("term dates for {key}")),
                    RecordKind::ManualMeasure => ("id", format!("a manual figure for {key}")),
                    _ => ("key", format!("{} with key \"{key}\"", with_article(kind.label()))),
                };
                let message = match (in_batch, kind) {
                    (true, _) => format!("this file has {what} twice; each may appear only once"),
                    (false, RecordKind::District) => format!(
                        "the district is already named \"{}\"; import with --update to rename it",
                        self.writer.reader().district_name()?.unwrap_or_default()
                    ),
                    (false, _) => format!("{what} is already stored; import with --update to replace it"),
                };
                self.error(
                    number,
                    Some(kind),
                    Some(key),
                    FieldProblem { field: Some(field.into()), message },
                );
                Ok(())
            }
            Err(PutError::Store(StoreError::Sql(e))) => {
                // The database's own constraints are the last line of defence.
                self.error(
                    number,
                    Some(kind),
                    Some(record.key()),
                    FieldProblem { field: None, message: format!("the database refused this record: {e}") },
                );
                Ok(())
            }
            Err(PutError::Store(e)) => Err(e),
        }
    }

    fn explain_missing(&self, kind: RecordKind, key: &str) -> Result<String, StoreError> {
        if self.bad_records.contains(&(kind, key.to_string())) {
            return Ok(format!("refers to {} \"{key}\", whose line has errors", kind.label()));
        }
        let others: Vec<&str> =
            self.writer.reader().kinds_with_key(key)?.into_iter().map(|k| k.label()).collect();
        Ok(if others.is_empty() {
            format!("there is no {} with key \"{key}\" in this file or the database", kind.label())
        } else {
            format!(
                "there is no {} with key \"{key}\" (\"{key}\" is the key of {}, not of {})",
                kind.label(),
                others.iter().map(|o| with_article(o)).collect::<Vec<_>>().join(" and "),
                with_article(kind.label())
            )
        })
    }

    /// Writes the waiting lines in type order, then checks the rules that relate records.
    fn finish(&mut self) -> Result<(), StoreError> {
        let mut waiting = std::mem::take(&mut self.waiting);
        waiting.sort_by_key(|(line, record)| (record.kind(), *line));
        for (line, record) in waiting {
            self.put(line, record, true)?;
        }
        self.writer.finish_bulk(&mut self.batch)?;
        let mut broken = self.writer.batch_violations(&self.batch)?;
        broken.extend(self.writer.duplicate_children(&self.batch)?);
        for (key, name, phase, other) in self.writer.setting_twins(&self.batch)? {
            self.summary.warnings.push(format!(
                "setting \"{key}\" has the name and phase of the setting \"{other}\" ({name}, {phase}): check it \
                 is not the same setting twice"
            ));
        }
        for v in broken {
            self.errors.push(LineError {
                line: None,
                kind: Some(v.kind),
                key: Some(v.key),
                field: Some(v.field.to_string()),
                message: v.message,
                related: v.related,
                streamed: false,
            });
        }
        Ok(())
    }
}

/// Finds the line of each error that came from the database's rule checks (they know records by
/// key, not by line): the line of the record itself or, when that record was already stored, the
/// line of the related record that this file brought. A stream (`file` `None`) cannot be read
/// again: its errors say so.
fn locate(file: Option<std::fs::File>, errors: &mut [LineError]) -> std::io::Result<()> {
    let wanted: HashSet<(RecordKind, String)> = errors
        .iter()
        .filter(|e| e.line.is_none())
        .flat_map(|e| e.kind.zip(e.key.clone()).into_iter().chain(e.related.clone()))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let Some(mut file) = file else {
        errors.iter_mut().filter(|e| e.line.is_none()).for_each(|e| e.streamed = true);
        return Ok(());
    };
    let mut found: HashMap<(RecordKind, String), usize> = HashMap::new();
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(0))?;
    let reader = BufReader::new(file);
    for (i, text) in reader.split(b'\n').enumerate() {
        let text = text?;
        let Ok(text) = std::str::from_utf8(&text) else { continue };
        if let Some(id) = line::kind_and_key(text.trim_start_matches('\u{feff}'))
            && wanted.contains(&id)
        {
            found.entry(id).or_insert(i + 1);
        }
    }
    for e in errors.iter_mut().filter(|e| e.line.is_none()) {
        if let Some(line) = e.kind.zip(e.key.clone()).and_then(|id| found.get(&id).copied()) {
            e.line = Some(line);
        } else if let Some((kind, key)) = e.related.clone()
            && let Some(line) = found.get(&(kind, key.clone())).copied()
        {
            // Reported on the line of the record this file brought; the stored one is named.
            let stored = format!(
                "the stored {} \"{}\"",
                e.kind.map_or("record", |k| k.label()),
                e.key.as_deref().unwrap_or("")
            );
            e.message = format!("{stored} would break a rule: {}", e.message);
            e.related = e.kind.zip(e.key.take());
            e.kind = Some(kind);
            e.key = Some(key);
            e.field = None;
            e.line = Some(line);
        }
    }
    Ok(())
}

/// "a setting", "an allocation".
fn with_article(label: &str) -> String {
    let vowel = label.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']);
    format!("{} {label}", if vowel { "an" } else { "a" })
}
