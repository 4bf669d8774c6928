//! Reading the schools register's CSV record by record, knowing the row each record is on as a
//! spreadsheet numbers it (the rows named in messages).

use std::io::Read;

/// One record of a CSV file: its fields, as bytes.
#[derive(Debug, Default)]
pub(super) struct CsvRecord {
    fields: Vec<Vec<u8>>,
    len: usize,
    /// The file ended inside a quoted value.
    pub(super) unclosed: bool,
    /// The record's length in bytes, counted to its end even past [`ROW_MAX`].
    pub(super) bytes: u64,
}

/// The longest record kept, in bytes: a register row is a few kilobytes. A longer one is read
/// to its end without being kept (its fields are then empty), so memory stays flat.
pub(super) const ROW_MAX: u64 = 1 << 20;

impl CsvRecord {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn get(&self, i: usize) -> Option<&[u8]> {
        self.fields[..self.len].get(i).map(Vec::as_slice)
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.fields[..self.len].iter().map(Vec::as_slice)
    }

    fn clear(&mut self) {
        self.len = 0;
        self.unclosed = false;
        self.bytes = 0;
    }

    /// Longer than [`ROW_MAX`]: not kept.
    pub(super) fn too_long(&self) -> bool {
        self.bytes > ROW_MAX
    }

    /// Counts a byte of the record; whether it may still be kept.
    fn room(&mut self) -> bool {
        self.bytes += 1;
        if self.too_long() {
            self.len = 0;
            return false;
        }
        true
    }

    fn start_field(&mut self) {
        if !self.room() {
            return;
        }
        if self.len == self.fields.len() {
            self.fields.push(Vec::new());
        }
        self.fields[self.len].clear();
        self.len += 1;
    }

    fn push(&mut self, b: u8) {
        if !self.room() {
            return;
        }
        if let Some(field) = self.fields[..self.len].last_mut() {
            field.push(b);
        }
    }
}

/// A streaming CSV reader (RFC 4180: commas, double quotes, `""` inside quotes; CRLF, LF or the
/// CR alone of old Mac files) that
/// knows the row each record is on as a spreadsheet numbers it: a line break inside a quoted
/// value stays in its row, and a blank line is a row of its own. The `csv` crate's positions are
/// physical lines and count CRLF unevenly, which would misnumber the rows reported to people.
pub(super) struct CsvRows<R> {
    input: R,
    buf: Box<[u8]>,
    at: usize,
    end: usize,
    /// Rows begun so far.
    rows: usize,
    started: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lex {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote seen inside a quoted value: the end of the value, or the first of `""`.
    QuoteInQuoted,
}

impl<R: Read> CsvRows<R> {
    pub(super) fn new(input: R) -> CsvRows<R> {
        CsvRows { input, buf: vec![0; 1 << 16].into_boxed_slice(), at: 0, end: 0, rows: 0, started: false }
    }

    fn byte(&mut self) -> std::io::Result<Option<u8>> {
        if self.at == self.end {
            self.end = loop {
                match self.input.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            self.at = 0;
            if self.end == 0 {
                return Ok(None);
            }
        }
        let b = self.buf[self.at];
        self.at += 1;
        Ok(Some(b))
    }

    /// Reads the next record; returns its row, or `None` at the end of the input.
    pub(super) fn read(&mut self, record: &mut CsvRecord) -> std::io::Result<Option<usize>> {
        record.clear();
        if !self.started {
            self.started = true;
            if self.byte()?.is_some() {
                self.at -= 1;
                // A UTF-8 byte order mark (in one piece: the first read is never that short).
                if self.buf[self.at..self.end].starts_with(b"\xEF\xBB\xBF") {
                    self.at += 3;
                }
            }
        }
        let Some(b) = self.byte()? else { return Ok(None) };
        self.rows += 1;
        record.start_field();
        self.rest(record, b).map(Some)
    }

    /// Reads the rest of a record whose next byte is `b`.
    fn rest(&mut self, record: &mut CsvRecord, mut b: u8) -> std::io::Result<usize> {
        let row = self.rows;
        let mut lex = Lex::FieldStart;
        loop {
            match (lex, b) {
                (Lex::Quoted, b'"') => lex = Lex::QuoteInQuoted,
                (Lex::Quoted, _) => record.push(b),
                (Lex::QuoteInQuoted, b'"') => {
                    record.push(b'"');
                    lex = Lex::Quoted;
                }
                (Lex::FieldStart, b'"') => lex = Lex::Quoted,
                (_, b',') => {
                    record.start_field();
                    lex = Lex::FieldStart;
                }
                (_, b'\n') => return Ok(row),
                // CRLF, or a CR alone (old Mac line ends): the end of the record either way.
                (_, b'\r') => {
                    match self.byte()? {
                        Some(b'\n') | None => {}
                        // Not part of this line end: read again as the next record's first byte.
                        Some(_) => self.at -= 1,
                    }
                    return Ok(row);
                }
                // Text after a closing quote, or a quote inside an unquoted value: kept as it is.
                (_, _) => {
                    record.push(b);
                    lex = Lex::Unquoted;
                }
            }
            match self.byte()? {
                Some(next) => b = next,
                None => {
                    record.unclosed = lex == Lex::Quoted;
                    return Ok(row);
                }
            }
        }
    }
}
