//! The national schools register (docs/records-file.md, "The schools register"): the CSV extract of Get
//! Information about Schools (the "edubase" file) loaded as settings.
//!
//! Reading is pure and streams the file, so the whole register (tens of thousands of rows, a few
//! hundred columns, ~60 MB) never sits in memory: [`sniff`] refuses files that are not CSV text,
//! [`encoding_of`] decides between UTF-8 and Windows-1252 (the published encoding), and
//! [`parse_register`] maps the rows of the chosen districts to settings, collecting every bad row.
//! [`write_register`] then writes them through the store in one transaction, or nothing at all.

use super::Kept;
use super::csv_rows::{CsvRecord, CsvRows, ROW_MAX};
use crate::domain::{Date, Phase, Record, RecordKind, Setting, rules};
use crate::store::{Put, PutError, Store, StoreError};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

/// The columns used, in the order of [`Col`]; every other column is ignored.
pub const COLUMNS: [&str; 8] = [
    "URN",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "PhaseOfEducation (name)",
    "EstablishmentStatus (name)",
    "DistrictAdministrative (name)",
    "LA (name)",
    "CloseDate",
];

/// A column used, as an index into [`COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Urn,
    Name,
    Type,
    Phase,
    Status,
    District,
    La,
    CloseDate,
}

impl Col {
    pub fn header(self) -> &'static str {
        COLUMNS[self as usize]
    }
}

/// How much of the file's start [`sniff`] looks at.
pub const HEAD_LEN: usize = 8192;

/// Why a register file was refused. Nothing is written for any of these.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("cannot read the file: {0}")]
    Read(#[from] std::io::Error),
    #[error("the file is empty; expected the schools register CSV (Get Information about Schools)")]
    Empty,
    #[error(
        "the file is UTF-16 text (Excel's \"Unicode Text\"), not CSV; save it as \"CSV (Comma \
         delimited)\" or \"CSV UTF-8\" and try again; nothing was imported"
    )]
    Utf16,
    #[error(
        "the file is not a CSV text file (it contains binary data{}); nothing was imported",
        .0.map(|what| format!(": it looks like {what}; save it as \"CSV (Comma delimited)\"")).unwrap_or_default()
    )]
    Binary(Option<&'static str>),
    #[error(
        "the header row (row 1) lacks the column{} {}{}; the register's CSV (Get Information about \
         Schools, the \"edubase\" establishment extract) has them; nothing was imported",
        if .missing.len() == 1 { "" } else { "s" },
        .missing.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
        .hint.as_deref().unwrap_or("")
    )]
    MissingColumns { missing: Vec<&'static str>, hint: Option<String> },
    /// The first [`super::PROBLEMS_KEPT`] bad rows, and how many more there were.
    #[error(
        "it is more than {0} MB, far more than the register, and is a stream (standard input or a \
         pipe), which is held in memory: save it to a file and give the file's name; nothing was imported"
    )]
    StreamTooLarge(usize),
    #[error("{} bad row(s); nothing was imported", .errors.len() + .unlisted)]
    Rows { errors: Vec<RowError>, unlisted: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Kept<RowError>> for RegisterError {
    fn from(kept: Kept<RowError>) -> RegisterError {
        RegisterError::Rows { errors: kept.items, unlisted: kept.unlisted }
    }
}

/// A bad row (or, with no row, a problem with the file as a whole, like a district not in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row as a spreadsheet numbers it: the header is row 1.
    pub row: Option<usize>,
    pub urn: Option<String>,
    pub column: Option<&'static str>,
    pub message: String,
}

impl fmt::Display for RowError {
    /// Values from the file are shown escaped and shortened: no control character reaches the
    /// terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::domain::text::{shown, tidy};
        let mut place = Vec::new();
        if let Some(row) = self.row {
            place.push(match &self.urn {
                Some(urn) => format!("row {row} (URN {})", shown(urn)),
                None => format!("row {row}"),
            });
        }
        if let Some(column) = self.column {
            place.push(format!("column \"{column}\""));
        }
        let message = tidy(&self.message, false);
        if place.is_empty() { write!(f, "{message}") } else { write!(f, "{}: {message}", place.join(", ")) }
    }
}

/// The districts to load: one in district, any number of neighbours out of district. Names are
/// compared case-insensitively, with spaces trimmed and runs of spaces taken as one.
#[derive(Debug, Clone)]
pub struct Selection {
    district: (String, String),
    neighbours: Vec<(String, String)>,
}

impl Selection {
    /// Refuses an empty name and a neighbour that is the district itself (exit 2 at the CLI).
    pub fn new(district: &str, neighbours: &[String]) -> Result<Selection, String> {
        let named = |s: &str| (s.split_whitespace().collect::<Vec<_>>().join(" "), normalise(s));
        let district = named(district);
        if district.1.is_empty() {
            return Err("--district must name a district, as in the register's \
                        \"DistrictAdministrative (name)\" column (e.g. --district Ashford)"
                .into());
        }
        let mut list: Vec<(String, String)> = Vec::new();
        for n in neighbours {
            let n = named(n);
            if n.1.is_empty() {
                return Err("--neighbour must name a district".into());
            }
            if n.1 == district.1 {
                return Err(format!(
                    "\"{}\" is given as both --district and --neighbour; a district is either in or out",
                    n.0
                ));
            }
            if !list.iter().any(|m| m.1 == n.1) {
                list.push(n);
            }
        }
        Ok(Selection { district, neighbours: list })
    }

    /// Whether a row's district is in district (`Some(true)`), a neighbour (`Some(false)`), or
    /// neither; with the index of the name matched (0 the district, 1.. the neighbours).
    fn place(&self, normalised: &str) -> Option<(bool, usize)> {
        if self.district.1 == normalised {
            return Some((true, 0));
        }
        self.neighbours.iter().position(|n| n.1 == normalised).map(|i| (false, i + 1))
    }

    fn names(&self) -> impl Iterator<Item = (&str, &str, &'static str)> {
        std::iter::once((self.district.0.as_str(), self.district.1.as_str(), "--district"))
            .chain(self.neighbours.iter().map(|n| (n.0.as_str(), n.1.as_str(), "--neighbour")))
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// `EstablishmentStatus (name)`, as the register writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    ProposedToClose,
    Closed,
    ProposedToOpen,
}

pub const STATUSES: [&str; 4] = ["Open", "Open, but proposed to close", "Closed", "Proposed to open"];

pub fn status_of(text: &str) -> Option<Status> {
    match normalise(text).as_str() {
        "open" => Some(Status::Open),
        "open, but proposed to close" => Some(Status::ProposedToClose),
        "closed" => Some(Status::Closed),
        "proposed to open" => Some(Status::ProposedToOpen),
        _ => None,
    }
}

/// What a `PhaseOfEducation (name)` means here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseText {
    Phase(Phase),
    /// Special schools, independent and other providers: skipped and counted.
    NotApplicable,
}

pub const PHASES: [&str; 8] = [
    "Nursery",
    "Primary",
    "Middle deemed primary",
    "Secondary",
    "Middle deemed secondary",
    "All-through",
    "16 plus",
    "Not applicable",
];

/// The phase of a register phase text; `None` for a text the register does not use.
pub fn phase_of(text: &str) -> Option<PhaseText> {
    Some(match normalise(text).as_str() {
        "nursery" => PhaseText::Phase(Phase::EarlyYears),
        "primary" | "middle deemed primary" => PhaseText::Phase(Phase::Primary),
        "secondary" | "middle deemed secondary" | "all-through" => PhaseText::Phase(Phase::Secondary),
        "16 plus" => PhaseText::Phase(Phase::Post16),
        "not applicable" => PhaseText::NotApplicable,
        _ => return None,
    })
}

/// A `CloseDate`: blank (none), `DD-MM-YYYY` as published, `DD/MM/YYYY` as a spreadsheet saves
/// it, or `YYYY-MM-DD`.
pub fn parse_close_date(text: &str) -> Result<Option<Date>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let number = |p: &str| p.parse::<u32>().unwrap_or(0);
    let parts: Vec<&str> = t.split(['-', '/']).collect();
    let separators_agree = t.matches('-').count() == 2 || t.matches('/').count() == 2;
    let ymd = match parts[..] {
        [y, m, d] if separators_agree && digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => {
            (number(y), number(m), number(d))
        }
        [d, m, y] if separators_agree && digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4) => {
            (number(y), number(m), number(d))
        }
        _ => return Err(format!("\"{t}\" is not a date in the form DD-MM-YYYY")),
    };
    Date::from_ymd(ymd.0 as i32, ymd.1, ymd.2)
        .map(Some)
        .ok_or_else(|| format!("\"{t}\" is not a real calendar date"))
}

/// Refuses, from its first bytes, a file that cannot be the register as CSV text: empty,
/// UTF-16, a workbook, or other binary data.
pub fn sniff(head: &[u8]) -> Result<(), RegisterError> {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(RegisterError::Utf16);
    }
    if head.starts_with(b"PK\x03\x04") {
        return Err(RegisterError::Binary(Some("an Excel workbook (.xlsx) or another zip archive")));
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(RegisterError::Binary(Some("an old Excel workbook (.xls)")));
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(RegisterError::Empty);
    }
    let nuls = body.iter().filter(|b| **b == 0).count();
    if nuls > 0 {
        // UTF-16 without a byte order mark: ASCII text with a NUL beside every character.
        let even = body.iter().step_by(2).filter(|b| **b == 0).count();
        let one_side = even.max(nuls - even);
        if nuls * 4 >= body.len() && one_side * 10 >= nuls * 9 {
            return Err(RegisterError::Utf16);
        }
        return Err(RegisterError::Binary(None));
    }
    let control = body.iter().filter(|b| (**b < 0x20 && !b"\t\n\r\x0C".contains(b)) || **b == 0x7F).count();
    if control * 100 > body.len() {
        return Err(RegisterError::Binary(None));
    }
    Ok(())
}

/// The text encoding of a register file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    /// The published encoding; taken whenever the bytes are not valid UTF-8.
    Windows1252,
}

impl TextEncoding {
    fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        match self {
            TextEncoding::Utf8 => String::from_utf8_lossy(bytes),
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
        }
    }
}

/// UTF-8 if the whole input is valid UTF-8, else Windows-1252. Reads the input once, in chunks.
pub fn encoding_of(mut input: impl Read) -> Result<TextEncoding, RegisterError> {
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0;
    loop {
        let n = match input.read(&mut buf[carry..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            // A sequence cut short at the very end is not UTF-8.
            return Ok(if carry == 0 { TextEncoding::Utf8 } else { TextEncoding::Windows1252 });
        }
        let len = carry + n;
        match std::str::from_utf8(&buf[..len]) {
            Ok(_) => carry = 0,
            Err(e) if e.error_len().is_none() => {
                // An incomplete character at the end of the chunk: keep it for the next one.
                let valid = e.valid_up_to();
                buf.copy_within(valid..len, 0);
                carry = len - valid;
            }
            Err(_) => return Ok(TextEncoding::Windows1252),
        }
    }
}

/// A row of the chosen districts, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// An open establishment: inserted, or replacing the stored setting with its URN.
    Open { row: usize, setting: Setting },
    /// A closed establishment: sets `closed` on the stored setting with its URN, if any.
    Closed { row: usize, urn: String, date: Date },
    /// Closed with no `CloseDate`: nothing to set; noted if the URN is stored.
    ClosedUndated { row: usize, urn: String },
}

/// What the file holds for the chosen districts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Register {
    pub entries: Vec<Entry>,
    /// Open rows of the chosen districts whose phase is `Not applicable`.
    pub skipped_not_applicable: usize,
    /// Rows of the chosen districts that are proposed to open.
    pub proposed_to_open: usize,
    /// Rows of every other district.
    pub other_districts: usize,
}

/// The largest register read from a stream (standard input, a pipe), which is held in memory
/// to be read twice (its encoding, then its rows): the published file is about 60 MB.
const STREAM_MAX: usize = 80 << 20;

/// Reads a register file: [`sniff`], [`encoding_of`], then [`parse_register`]. A stream (`-`, a
/// pipe) is read once, into memory.
pub fn read_file(path: &Path, selection: &Selection) -> Result<Register, RegisterError> {
    let input = super::input::open(path)?;
    let Some(mut file) = input.again else {
        // Room for all of it at once: growing by doubling would hold two copies for a moment.
        let mut bytes = Vec::with_capacity(STREAM_MAX + 1);
        input.reader.take(STREAM_MAX as u64 + 1).read_to_end(&mut bytes)?;
        if bytes.len() > STREAM_MAX {
            return Err(RegisterError::StreamTooLarge(STREAM_MAX >> 20));
        }
        return read_bytes(&bytes, selection);
    };
    let mut head = Vec::with_capacity(HEAD_LEN);
    (&mut file).take(HEAD_LEN as u64).read_to_end(&mut head)?;
    sniff(&head)?;
    file.seek(SeekFrom::Start(0))?;
    let encoding = encoding_of(BufReader::with_capacity(1 << 16, &mut file))?;
    file.seek(SeekFrom::Start(0))?;
    parse_register(BufReader::with_capacity(1 << 16, file), encoding, selection)
}

/// Reads a register held in memory (the same steps as [`read_file`]).
pub fn read_bytes(bytes: &[u8], selection: &Selection) -> Result<Register, RegisterError> {
    sniff(&bytes[..bytes.len().min(HEAD_LEN)])?;
    parse_register(bytes, encoding_of(bytes)?, selection)
}

/// Every district named in the file, with its local authority (for suggestions).
type Seen = BTreeMap<String, (String, String)>;

/// Maps the rows of the chosen districts; every bad row is reported, not just the first.
pub fn parse_register(
    input: impl Read,
    encoding: TextEncoding,
    selection: &Selection,
) -> Result<Register, RegisterError> {
    let mut reader = CsvRows::new(input);
    let mut record = CsvRecord::default();
    if reader.read(&mut record)?.is_none() {
        return Err(RegisterError::Empty);
    }
    if record.too_long() {
        let message = too_long(&record);
        return Err(RegisterError::Rows {
            errors: vec![RowError { row: Some(1), urn: None, column: None, message }],
            unlisted: 0,
        });
    }
    let header: Vec<String> = record.iter().map(|field| normalise(&encoding.decode(field))).collect();
    let mut index = [0usize; COLUMNS.len()];
    let mut missing = Vec::new();
    for (i, name) in COLUMNS.iter().enumerate() {
        match header.iter().position(|h| *h == name.to_lowercase()) {
            Some(at) => index[i] = at,
            None => missing.push(*name),
        }
    }
    if !missing.is_empty() {
        let first = record.get(0).unwrap_or_default();
        let hint = (record.len() == 1 && (first.contains(&b';') || first.contains(&b'\t')))
            .then(|| " (its columns seem to be separated by semicolons or tabs, not commas)".to_string());
        return Err(RegisterError::MissingColumns { missing, hint });
    }
    let width = record.len();

    let mut register = Register::default();
    let mut errors = Kept::default();
    let mut seen: Seen = BTreeMap::new();
    let mut matched = vec![0usize; 1 + selection.neighbours.len()];
    let mut urns: HashMap<String, usize> = HashMap::new();
    while let Some(row) = reader.read(&mut record)? {
        if record.too_long() {
            errors.push(RowError { row: Some(row), urn: None, column: None, message: too_long(&record) });
            continue;
        }
        if record.unclosed {
            errors.push(RowError {
                row: Some(row),
                urn: None,
                column: None,
                message: "a quoted value starts on this row and is never closed (a \" is missing)".into(),
            });
            continue;
        }
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() != width {
            errors.push(RowError {
                row: Some(row),
                urn: None,
                column: None,
                message: format!(
                    "the row has {} fields where the header has {width}; is it cut short, or does a \
                     value hold an unquoted comma?",
                    record.len()
                ),
            });
            continue;
        }
        let field = |col: Col| encoding.decode(record.get(index[col as usize]).unwrap_or_default());
        let district = field(Col::District);
        let district_key = normalise(&district);
        if !seen.contains_key(&district_key) {
            let la = field(Col::La).trim().to_string();
            seen.insert(district_key.clone(), (district.trim().to_string(), la));
        }
        let Some((in_district, which)) = selection.place(&district_key) else {
            register.other_districts += 1;
            continue;
        };
        matched[which] += 1;
        if let Some(entry) = parse_row(row, &field, in_district, &mut errors, &mut register) {
            let urn = match &entry {
                Entry::Open { setting, .. } => &setting.key,
                Entry::Closed { urn, .. } | Entry::ClosedUndated { urn, .. } => urn,
            };
            if let Some(first) = urns.get(urn) {
                errors.push(RowError {
                    row: Some(row),
                    urn: Some(urn.clone()),
                    column: Some(Col::Urn.header()),
                    message: format!("URN {urn} is also on row {first}; each establishment may appear once"),
                });
                continue;
            }
            urns.insert(urn.clone(), row);
            register.entries.push(entry);
        }
    }
    for ((shown, key, option), count) in selection.names().zip(&matched) {
        if *count == 0 {
            errors.push(unmatched(shown, key, option, &seen));
        }
    }
    if errors.is_empty() { Ok(register) } else { Err(errors.into()) }
}

/// Why a row longer than [`ROW_MAX`] was not read.
fn too_long(record: &CsvRecord) -> String {
    let reason = if record.unclosed {
        "a quoted value starts on this row and is never closed (a \" is missing), so the rest of the file is one row"
    } else {
        "a row of the register is a few kilobytes: is this the register's CSV?"
    };
    format!("the row is {} bytes long, more than the {ROW_MAX} bytes a row may have; {reason}", record.bytes)
}

/// Checks one row of a chosen district; `None` when it is bad or not to be written.
fn parse_row<'a>(
    row: usize,
    field: &dyn Fn(Col) -> Cow<'a, str>,
    in_district: bool,
    errors: &mut Kept<RowError>,
    register: &mut Register,
) -> Option<Entry> {
    let mut problems: Vec<(Col, String)> = Vec::new();
    let urn = field(Col::Urn).trim().to_string();
    if urn.is_empty() {
        problems.push((Col::Urn, "the URN is empty".into()));
    } else if !urn.bytes().all(|b| b.is_ascii_digit()) {
        problems.push((Col::Urn, format!("\"{urn}\" is not a URN (a URN is a number, like 118234)")));
    }
    let status_text = field(Col::Status);
    let status = status_of(&status_text);
    if status.is_none() {
        problems.push((
            Col::Status,
            format!(
                "\"{}\" is not an establishment status of the register; expected one of: {}",
                status_text.trim(),
                quoted_list(&STATUSES)
            ),
        ));
    }
    let date = parse_close_date(&field(Col::CloseDate)).unwrap_or_else(|message| {
        problems.push((Col::CloseDate, message));
        None
    });
    let phase = match status {
        Some(Status::Open | Status::ProposedToClose) => {
            let text = field(Col::Phase);
            let phase = phase_of(&text);
            if phase.is_none() {
                problems.push((
                    Col::Phase,
                    format!(
                        "\"{}\" is not a phase of education of the register; expected one of: {}",
                        text.trim(),
                        quoted_list(&PHASES)
                    ),
                ));
            }
            phase
        }
        _ => None,
    };
    let entry = match (status, phase) {
        _ if !problems.is_empty() => None,
        (Some(Status::ProposedToOpen), _) => {
            register.proposed_to_open += 1;
            None
        }
        (Some(Status::Closed), _) => Some(match date {
            Some(date) => Entry::Closed { row, urn: urn.clone(), date },
            None => Entry::ClosedUndated { row, urn: urn.clone() },
        }),
        (_, Some(PhaseText::NotApplicable)) => {
            register.skipped_not_applicable += 1;
            None
        }
        (Some(status), Some(PhaseText::Phase(phase))) => {
            let setting = Setting {
                key: urn.clone(),
                // A line break or tab inside a quoted name is layout, not part of the name.
                name: field(Col::Name).split_whitespace().collect::<Vec<_>>().join(" "),
                phase,
                in_district,
                urn: Some(urn.clone()),
                closed: if status == Status::ProposedToClose { date } else { None },
                // The national register knows nothing of link teachers (`write_register` keeps one).
                link_teacher: None,
            };
            // A setting's own rules do not depend on the day (its closing date may lie ahead).
            for v in rules::violations(&Record::Setting(setting.clone()), crate::clock::today()) {
                let column = match v.field {
                    "name" => Col::Name,
                    "phase" => Col::Phase,
                    "closed" => Col::CloseDate,
                    _ => Col::Urn,
                };
                problems.push((column, v.message.to_string()));
            }
            problems.is_empty().then_some(Entry::Open { row, setting })
        }
        _ => None,
    };
    let shown_urn = (!urn.is_empty()).then_some(urn);
    errors.extend(problems.into_iter().map(|(column, message)| RowError {
        row: Some(row),
        urn: shown_urn.clone(),
        column: Some(column.header()),
        message,
    }));
    entry
}

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

/// A chosen district with no row in the file, with the names it may have meant.
fn unmatched(shown: &str, key: &str, option: &str, seen: &Seen) -> RowError {
    let column = Some(Col::District.header());
    let la_districts: Vec<&str> =
        seen.values().filter(|(_, la)| normalise(la) == key).map(|(name, _)| name.as_str()).collect();
    let message = if !la_districts.is_empty() {
        format!(
            "\"{shown}\" ({option}) is a local authority (\"LA (name)\"), not a district; its districts \
             in this file are: {}",
            la_districts.join(", ")
        )
    } else {
        let close: Vec<&str> = seen
            .iter()
            .filter(|(k, _)| {
                !k.is_empty()
                    && (k.contains(key)
                        || key.contains(k.as_str())
                        || edit_distance(k, key) <= 2
                        || similar_word(k, key))
            })
            .map(|(_, (name, _))| name.as_str())
            .take(5)
            .collect();
        let hint = match close.as_slice() {
            [] => String::new(),
            names => format!(
                "; did you mean {}?",
                names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(" or ")
            ),
        };
        format!("no row has the district \"{shown}\" ({option}){hint}")
    };
    RowError { row: None, urn: None, column, message }
}

/// Whether a word of `b` (of four letters or more) is close to a word of `a`: "Folkstone" and
/// "Folkestone and Hythe".
fn similar_word(a: &str, b: &str) -> bool {
    b.split_whitespace()
        .filter(|w| w.chars().count() >= 4)
        .any(|w| a.split_whitespace().any(|v| edit_distance(v, w) <= 2.min(w.chars().count() / 4)))
}

/// Levenshtein distance in characters (district names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What [`write_register`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Open establishments of the district (written or already up to date).
    pub in_district: usize,
    /// Open establishments of the neighbours.
    pub out_of_district: usize,
    pub new: usize,
    /// Stored settings whose name, phase, district or closing date changed.
    pub updated: usize,
    /// Stored settings given a closing date by a Closed row.
    pub closed: usize,
    pub skipped_not_applicable: usize,
    /// Rows that changed nothing: proposed to open, or closed with a URN not stored, already
    /// closed on that date, or with no `CloseDate`.
    pub not_open: usize,
    pub other_districts: usize,
    /// Things worth a look that did not stop the import.
    pub warnings: Vec<String>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in district, {} out of district (neighbours), {} new, {} updated, {} closed, \
             {} skipped (phase \"Not applicable\")",
            self.in_district,
            self.out_of_district,
            self.new,
            self.updated,
            self.closed,
            self.skipped_not_applicable
        )?;
        if self.not_open > 0 {
            write!(f, ", {} not open (proposed to open, or closed) left as they are", self.not_open)?;
        }
        write!(f, ", {} rows of other districts ignored", self.other_districts)
    }
}

/// Writes the register in one transaction (update mode): new URNs inserted, stored ones replaced
/// when anything changed, closures set. If anything is refused, nothing is written.
pub fn write_register(store: &mut Store, register: &Register) -> Result<Summary, RegisterError> {
    let mut summary = Summary {
        skipped_not_applicable: register.skipped_not_applicable,
        not_open: register.proposed_to_open,
        other_districts: register.other_districts,
        ..Summary::default()
    };
    let writer = store.write()?;
    let mut batch = writer.batch(true)?;
    let mut errors = Kept::default();
    for entry in &register.entries {
        let (row, urn) = match entry {
            Entry::Open { row, setting } => (*row, &setting.key),
            Entry::Closed { row, urn, .. } | Entry::ClosedUndated { row, urn } => (*row, urn),
        };
        let stored = match writer.reader().record(RecordKind::Setting, urn)? {
            Some(Record::Setting(s)) => Some(s),
            _ => None,
        };
        let setting = match (entry, stored) {
            (Entry::Open { setting, .. }, stored) => {
                if setting.in_district {
                    summary.in_district += 1;
                } else {
                    summary.out_of_district += 1;
                }
                // The national register knows nothing of link teachers: a stored one is kept.
                let setting = Setting {
                    link_teacher: stored.as_ref().and_then(|s| s.link_teacher.clone()),
                    ..setting.clone()
                };
                if stored.as_ref() == Some(&setting) {
                    continue;
                }
                setting
            }
            (Entry::Closed { date, .. }, Some(stored)) if stored.closed != Some(*date) => {
                Setting { closed: Some(*date), ..stored }
            }
            (Entry::ClosedUndated { .. }, Some(stored)) if stored.closed.is_none() => {
                summary.warnings.push(format!(
                    "row {row}: \"{}\" (URN {urn}) is closed in the register but has no CloseDate; \
                     its closing date was not set",
                    stored.name
                ));
                summary.not_open += 1;
                continue;
            }
            _ => {
                summary.not_open += 1;
                continue;
            }
        };
        match writer.put(&mut batch, &Record::Setting(setting)) {
            Ok(Put::Inserted) => summary.new += 1,
            Ok(Put::Updated) if matches!(entry, Entry::Open { .. }) => summary.updated += 1,
            Ok(Put::Updated) => summary.closed += 1,
            Ok(Put::Unchanged) => {}
            Err(PutError::Store(StoreError::Sql(e))) => errors.push(RowError {
                row: Some(row),
                urn: Some(urn.clone()),
                column: None,
                message: format!("the database refused this establishment: {e}"),
            }),
            Err(PutError::Store(e)) => return Err(e.into()),
            Err(e @ (PutError::Duplicate { .. } | PutError::Missing(_))) => errors.push(RowError {
                row: Some(row),
                urn: Some(urn.clone()),
                column: None,
                message: format!("the database refused this establishment: {e}"),
            }),
        }
    }
    for v in writer.batch_violations(&batch)? {
        errors.push(RowError {
            row: None,
            urn: None,
            column: None,
            message: format!("{} \"{}\", field \"{}\": {}", v.kind.label(), v.key, v.field, v.message),
        });
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    writer.commit()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    fn ashford() -> Selection {
        Selection::new("Ashford", &["Folkestone and Hythe".to_string()]).unwrap()
    }

    const HEADER: &str = "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),\
        EstablishmentStatus (name),PhaseOfEducation (name),CloseDate,DistrictAdministrative (name)";

    fn csv(rows: &[&str]) -> Vec<u8> {
        let mut text = format!("{HEADER}\r\n");
        for r in rows {
            text.push_str(r);
            text.push_str("\r\n");
        }
        text.into_bytes()
    }

    fn row_errors(result: Result<Register, RegisterError>) -> Vec<RowError> {
        match result {
            Err(RegisterError::Rows { errors, .. }) => errors,
            other => panic!("expected bad rows, got {other:?}"),
        }
    }

    #[test]
    fn every_phase_text_maps() {
        use PhaseText::*;
        let cases = [
            ("Nursery", Phase(crate::domain::Phase::EarlyYears)),
            ("Primary", Phase(crate::domain::Phase::Primary)),
            ("Middle deemed primary", Phase(crate::domain::Phase::Primary)),
            ("Secondary", Phase(crate::domain::Phase::Secondary)),
            ("Middle deemed secondary", Phase(crate::domain::Phase::Secondary)),
            ("All-through", Phase(crate::domain::Phase::Secondary)),
            ("16 plus", Phase(crate::domain::Phase::Post16)),
            ("Not applicable", NotApplicable),
            ("  not  APPLICABLE ", NotApplicable),
        ];
        for (text, want) in cases {
            assert_eq!(phase_of(text), Some(want), "{text}");
        }
        for text in ["", "Infant", "Junior", "Post-16", "early_years", "All through"] {
            assert_eq!(phase_of(text), None, "{text}");
        }
    }

    #[test]
    fn statuses() {
        assert_eq!(status_of("Open"), Some(Status::Open));
        assert_eq!(status_of("Open, but proposed to close"), Some(Status::ProposedToClose));
        assert_eq!(status_of(" closed "), Some(Status::Closed));
        assert_eq!(status_of("Proposed to open"), Some(Status::ProposedToOpen));
        assert_eq!(status_of("Opne"), None);
    }

    #[test]
    fn close_dates() {
        assert_eq!(parse_close_date(""), Ok(None));
        assert_eq!(parse_close_date("  "), Ok(None));
        assert_eq!(parse_close_date("31-08-2024"), Ok(Some(d("2024-08-31"))));
        assert_eq!(parse_close_date("31/08/2024"), Ok(Some(d("2024-08-31"))));
        assert_eq!(parse_close_date("1-9-2024"), Ok(Some(d("2024-09-01"))));
        assert_eq!(parse_close_date("2024-08-31"), Ok(Some(d("2024-08-31"))));
        assert_eq!(parse_close_date("29-02-2024"), Ok(Some(d("2024-02-29"))));
        for impossible in ["31-02-2024", "29-02-2023", "00-01-2024", "12-13-2024", "2024-02-30"] {
            let err = parse_close_date(impossible).unwrap_err();
            assert!(err.contains("not a real calendar date"), "{impossible}: {err}");
        }
        for malformed in ["31-08-24", "31.08.2024", "31-08/2024", "tomorrow", "2024-8", "31-08-2024-1"] {
            let err = parse_close_date(malformed).unwrap_err();
            assert!(err.contains("DD-MM-YYYY"), "{malformed}: {err}");
        }
    }

    #[test]
    fn sniffing() {
        assert!(matches!(sniff(b""), Err(RegisterError::Empty)));
        assert!(matches!(sniff(b"\xEF\xBB\xBF \r\n"), Err(RegisterError::Empty)));
        assert!(matches!(sniff(b"\xFF\xFEU\0R\0N\0"), Err(RegisterError::Utf16)));
        assert!(matches!(sniff(b"\xFE\xFF\0U\0R\0N"), Err(RegisterError::Utf16)));
        assert!(matches!(sniff(b"U\0R\0N\0,\0L\0A\0"), Err(RegisterError::Utf16)));
        assert!(matches!(sniff(b"PK\x03\x04\x14\0"), Err(RegisterError::Binary(Some(_)))));
        assert!(matches!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(RegisterError::Binary(None))));
        assert!(matches!(sniff(b"\x01\x02\x03\x04abc"), Err(RegisterError::Binary(None))));
        assert!(sniff(b"URN,EstablishmentName\r\n").is_ok());
        assert!(sniff(b"URN,Name\r\n1,Caf\xE9\r\n").is_ok());
    }

    #[test]
    fn encodings() {
        assert_eq!(encoding_of(&b"Zo\xC3\xAB"[..]).unwrap(), TextEncoding::Utf8);
        assert_eq!(encoding_of(&b"Zo\xEB"[..]).unwrap(), TextEncoding::Windows1252);
        assert_eq!(encoding_of(&b"Zo\xC3"[..]).unwrap(), TextEncoding::Windows1252);
        // A character split across read chunks is still UTF-8.
        let mut long = vec![b'a'; (1 << 16) - 1];
        long.extend_from_slice("é".as_bytes());
        assert_eq!(encoding_of(&long[..]).unwrap(), TextEncoding::Utf8);
        assert_eq!(TextEncoding::Windows1252.decode(b"Cl\xE9ment\x92s"), "Clément\u{2019}s");
    }

    #[test]
    fn maps_rows_in_either_encoding() {
        let rows = [
            "100001,886,Kent,St Cl\u{e9}ment's Primary,Community school,Open,Primary,,Ashford",
            "100002,886,Kent,\"Hythe Academy, The\",Academy converter,\"Open, but proposed to close\",Secondary,31-08-2025,Folkestone and Hythe",
            "100003,886,Kent,Oak School,Community special school,Open,Not applicable,,ashford",
            "100004,886,Kent,Old School,Community school,Closed,Primary,31-08-2019,Ashford",
            "100005,886,Kent,New School,Free schools,Proposed to open,Primary,,Ashford",
            "100006,886,Kent,Far School,Community school,Open,Primary,,Canterbury",
        ];
        let utf8 = csv(&rows);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&utf8);
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(std::str::from_utf8(&utf8).unwrap());
        for bytes in [utf8.clone(), bom, cp1252.into_owned()] {
            let reg = read_bytes(&bytes, &ashford()).unwrap();
            assert_eq!(reg.skipped_not_applicable, 1);
            assert_eq!(reg.proposed_to_open, 1);
            assert_eq!(reg.other_districts, 1);
            assert_eq!(
                reg.entries,
                [
                    Entry::Open {
                        row: 2,
                        setting: Setting {
                            key: "100001".into(),
                            name: "St Clément's Primary".into(),
                            phase: Phase::Primary,
                            in_district: true,
                            urn: Some("100001".into()),
                            closed: None,
                            link_teacher: None
                        }
                    },
                    Entry::Open {
                        row: 3,
                        setting: Setting {
                            key: "100002".into(),
                            name: "Hythe Academy, The".into(),
                            phase: Phase::Secondary,
                            in_district: false,
                            urn: Some("100002".into()),
                            closed: Some(d("2025-08-31")),
                            link_teacher: None
                        }
                    },
                    Entry::Closed { row: 5, urn: "100004".into(), date: d("2019-08-31") },
                ]
            );
        }
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let bytes = csv(&[
            "100001,886,Kent,\"Two\nLines\",Community school,Open,Primary,,Ashford",
            "",
            "100002,886,Kent,B,Community school,Open,Infant,,Ashford",
            "100003,886,Kent,C,Community school,Open,Primary,31-02-2024,Ashford",
            "100001,886,Kent,D,Community school,Open,Primary,,Ashford",
            "x,886,Kent,E,Community school,Opne,Primary,,Ashford",
            "100006,886,Kent,F,Community school",
        ]);
        let errors = row_errors(read_bytes(&bytes, &ashford()));
        let got: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let want = [
            "row 4 (URN 100002), column \"PhaseOfEducation (name)\": \"Infant\"",
            "row 5 (URN 100003), column \"CloseDate\": \"31-02-2024\" is not a real calendar date",
            "row 6 (URN 100001), column \"URN\": URN 100001 is also on row 2",
            "row 7 (URN x), column \"URN\": \"x\" is not a URN",
            "row 7 (URN x), column \"EstablishmentStatus (name)\": \"Opne\"",
            "row 8: the row has 5 fields where the header has 9",
            "column \"DistrictAdministrative (name)\": no row has the district \"Folkestone and Hythe\"",
        ];
        assert_eq!(got.len(), want.len(), "{got:#?}");
        for (g, w) in got.iter().zip(want) {
            assert!(g.starts_with(w), "{g:?} should start with {w:?}");
        }
    }

    fn records(bytes: &[u8]) -> Vec<(usize, Vec<String>, bool)> {
        let mut rows = CsvRows::new(bytes);
        let mut record = CsvRecord::default();
        let mut out = Vec::new();
        while let Some(row) = rows.read(&mut record).unwrap() {
            let fields = record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
            out.push((row, fields, record.unclosed));
        }
        out
    }

    #[test]
    fn csv_reader() {
        let got =
            records(b"\xEF\xBB\xBF\"URN\",Name\r\n1,\"A, \"\"B\"\"\"\r\n\r\n2,\"x\r\ny\"\n3,,\n4,\"open");
        let want = [
            (1, vec!["URN", "Name"], false),
            (2, vec!["1", "A, \"B\""], false),
            (3, vec![""], false),
            (4, vec!["2", "x\r\ny"], false),
            (5, vec!["3", "", ""], false),
            (6, vec!["4", "open"], true),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1.iter().map(String::as_str).collect::<Vec<_>>(), g.2), w);
        }
        assert!(records(b"").is_empty());
        // Bytes that only look like the start of a byte order mark are kept.
        assert_eq!(records(b"\xEFx,y")[0].1, ["\u{FFFD}x", "y"]);
    }

    #[test]
    fn an_unclosed_quote_is_a_bad_row() {
        let bytes = csv(&["100001,886,Kent,\"A,Community school,Open,Primary,,Ashford"]);
        let errors = row_errors(read_bytes(&bytes, &ashford_only()));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].to_string().starts_with("row 2: a quoted value starts on this row"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn missing_columns_are_named() {
        let bytes = b"URN,EstablishmentName,LA (name)\r\n1,A,Kent\r\n";
        match read_bytes(bytes, &ashford()) {
            Err(e @ RegisterError::MissingColumns { .. }) => {
                let text = e.to_string();
                for col in ["TypeOfEstablishment (name)", "PhaseOfEducation (name)", "CloseDate"] {
                    assert!(text.contains(col), "{text}");
                }
                assert!(!text.contains("\"URN\""), "{text}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(read_bytes(b"\r\n\r\n", &ashford()), Err(RegisterError::Empty)));
    }

    #[test]
    fn unknown_districts_get_suggestions() {
        let bytes = csv(&["100001,886,Kent,A,Community school,Open,Primary,,Ashford"]);
        let sel = Selection::new("Ashfrod", &[]).unwrap();
        let errors = row_errors(read_bytes(&bytes, &sel));
        assert!(errors[0].message.contains("did you mean \"Ashford\""), "{}", errors[0]);
        let sel = Selection::new("kent", &[]).unwrap();
        let errors = row_errors(read_bytes(&bytes, &sel));
        assert!(errors[0].message.contains("local authority"), "{}", errors[0]);
        let sel = Selection::new("Ashford", &["Folkstone".into()]).unwrap();
        let bytes = csv(&[
            "100001,886,Kent,A,Community school,Open,Primary,,Ashford",
            "100002,886,Kent,B,Community school,Open,Primary,,Folkestone and Hythe",
            "100003,886,Kent,C,Community school,Open,Primary,,Dover",
        ]);
        let errors = row_errors(read_bytes(&bytes, &sel));
        assert!(errors[0].message.ends_with("did you mean \"Folkestone and Hythe\"?"), "{}", errors[0]);
        assert!(Selection::new(" ", &[]).is_err());
        assert!(Selection::new("Ashford", &["ASHFORD ".into()]).is_err());
    }

    #[test]
    fn writes_updates_and_closes_in_place() {
        let mut store = Store::open_in_memory().unwrap();
        let first = csv(&[
            "100001,886,Kent,A,Community school,Open,Primary,,Ashford",
            "100002,886,Kent,B,Community school,Open,Secondary,,Ashford",
        ]);
        let s = write_register(&mut store, &read_bytes(&first, &ashford_only()).unwrap()).unwrap();
        assert_eq!((s.in_district, s.new, s.updated, s.closed), (2, 2, 0, 0));
        let again = write_register(&mut store, &read_bytes(&first, &ashford_only()).unwrap()).unwrap();
        assert_eq!((again.in_district, again.new, again.updated, again.closed), (2, 0, 0, 0));
        let second = csv(&[
            "100001,886,Kent,A renamed,Community school,Open,Primary,,Ashford",
            "100002,886,Kent,B,Community school,Closed,Secondary,31-08-2024,Ashford",
            "100003,886,Kent,C,Community school,Closed,Secondary,31-08-2010,Ashford",
        ]);
        let s = write_register(&mut store, &read_bytes(&second, &ashford_only()).unwrap()).unwrap();
        assert_eq!((s.in_district, s.new, s.updated, s.closed, s.not_open), (1, 0, 1, 1, 1));
        assert_eq!(get(&store, "100001").name, "A renamed");
        assert_eq!(get(&store, "100002").closed, Some(d("2024-08-31")));
        assert!(store.reader().record(RecordKind::Setting, "100003").unwrap().is_none());

        // Closed with no date: nothing to set, but said.
        let third = csv(&["100001,886,Kent,A renamed,Community school,Closed,Primary,,Ashford"]);
        let s = write_register(&mut store, &read_bytes(&third, &ashford_only()).unwrap()).unwrap();
        assert_eq!((s.closed, s.not_open), (0, 1));
        assert!(s.warnings[0].contains("row 2: \"A renamed\" (URN 100001) is closed"), "{:?}", s.warnings);
        assert_eq!(get(&store, "100001").closed, None);
    }

    fn get(store: &Store, key: &str) -> Setting {
        match store.reader().record(RecordKind::Setting, key).unwrap() {
            Some(Record::Setting(s)) => s,
            other => panic!("{other:?}"),
        }
    }

    fn ashford_only() -> Selection {
        Selection::new("Ashford", &[]).unwrap()
    }
}
