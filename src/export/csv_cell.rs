//! Every CSV the program writes goes through here: a cell that a spreadsheet would run as a
//! formula (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a `'`
//! before it, so Excel and LibreOffice show it as text (docs/returns.md, "CSV"). A number stays
//! a number: `-3` (a fall) and `-27.3` are figures, not formulas.

use std::borrow::Cow;
use std::io::Write;

/// A cell as written.
pub fn cell(value: &str) -> Cow<'_, str> {
    let runs = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if runs && !is_number(value) { Cow::Owned(format!("'{value}")) } else { Cow::Borrowed(value) }
}

/// A plain decimal number, signed or not: `-3`, `+2`, `-27.3`.
fn is_number(value: &str) -> bool {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

/// The UTF-8 byte-order mark a CSV starts with unless `--no-bom` is given: without it Excel
/// reads the file in the PC's own code page and shows `£` as `Â£` (docs/returns.md, "CSV").
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The start of every CSV: the byte-order mark (unless `bom` is false), then a suppressed copy's
/// opening sentence on a line of its own before the header (a flexible record: the rows after it
/// have more cells).
pub fn start(out: &mut dyn Write, bom: bool, notice: Option<String>) -> std::io::Result<()> {
    if bom {
        out.write_all(BOM)?;
    }
    write_notice(out, notice)
}

/// A sentence on a line of its own before the header (a flexible record: the rows after it have
/// more cells); nothing for `None`.
pub fn write_notice(out: &mut dyn Write, notice: Option<String>) -> std::io::Result<()> {
    if let Some(notice) = notice {
        let mut first = csv::WriterBuilder::new().flexible(true).from_writer(&mut *out);
        write_row(&mut first, [notice])?;
        first.flush()?;
    }
    Ok(())
}

/// Writes one record, each cell through [`cell`].
pub fn write_row<W: Write, S: AsRef<str>>(
    w: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    let cells: Vec<S> = cells.into_iter().collect();
    w.write_record(cells.iter().map(|c| cell(c.as_ref()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        for (given, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("- two posts vacant", "'- two posts vacant"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("+44 1622", "'+44 1622"),
            ("\tx", "'\tx"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-3.", "'-3."),
            ("-1e5", "'-1e5"),
        ] {
            assert_eq!(cell(given), written, "{given:?}");
        }
    }

    #[test]
    fn numbers_and_ordinary_text_are_unchanged() {
        for same in ["-3", "-27.3", "+2", "0", "12.5", "A busy term", "", "c", "not collected", " =x"] {
            assert_eq!(cell(same), same);
        }
    }
}

#[cfg(test)]
mod every_writer {
    /// No CSV is written past [`super::write_row`]: a new writer that calls `write_record`
    /// itself would let formulas through.
    #[test]
    fn every_csv_record_of_the_program_is_written_here() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src];
        let mut raw = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("export/csv_cell.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if text.contains(".write_record(") || text.contains(".write_field(") {
                        raw.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(raw.is_empty(), "CSV written around csv_cell::write_row in {raw:?}");
    }
}
