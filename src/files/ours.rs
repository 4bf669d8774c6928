//! Whether a file already at an output's path is one this program wrote (an earlier export,
//! dump, pack or workbook), judged by its content, not its name: only those are written over
//! without `--force`. A database of any kind never is.

use std::io::Read;
use std::path::Path;

/// What is at an output's path, as far as writing over it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Nothing there, an empty file, or one of this program's outputs.
    Replaceable,
    /// An SQLite database (a district's, another program's, a backup).
    Database,
    /// A file of some other kind, or one this program did not write.
    Other,
}

/// The first bytes looked at: enough for every output's opening.
const LOOK: u64 = 16 * 1024;

/// What the regular file at `path` is (nothing there: replaceable).
pub fn found(path: &Path) -> Found {
    let Ok(mut file) = std::fs::File::open(path) else { return Found::Replaceable };
    let mut head = Vec::new();
    if file.by_ref().take(LOOK).read_to_end(&mut head).is_err() {
        return Found::Other;
    }
    // A zip names its files in the directory at its end.
    if head.starts_with(b"PK\x03\x04") {
        use std::io::{Seek, SeekFrom};
        let len = file.metadata().map_or(0, |m| m.len());
        let mut tail = Vec::new();
        if file.seek(SeekFrom::Start(len.saturating_sub(LOOK))).is_ok() {
            let _ = file.take(LOOK).read_to_end(&mut tail);
        }
        head.extend_from_slice(&tail);
    }
    judge(&head)
}

/// The most lines a CSV of this program's opens with before its header.
const PREAMBLE_LINES: usize = 64;

fn judge(head: &[u8]) -> Found {
    if head.is_empty() {
        return Found::Replaceable;
    }
    if head.starts_with(b"SQLite format 3\0") {
        return Found::Database;
    }
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    let first_line = text.lines().next().unwrap_or_default();
    let ours = is_workbook(head)
        // A records file (dump): its first record is the district.
        || first_line.starts_with("{\"type\":\"district\"")
        // A subject access file.
        || first_line.starts_with("{\"subject_access\":")
        // A return or the county, as JSON.
        || (text.trim_start().starts_with('{') && text.contains("\"academic_year\"") && text.contains("\"generated_at\""))
        // A return's CSV, or the county's (a suppressed copy's header follows its sentence; the
        // county's, its lines on who sent a return and its warnings).
        || text.lines().take(PREAMBLE_LINES).any(|line| {
            line.starts_with("district,academic_year,") || line.starts_with("academic_year,framework,district,")
        })
        // A monitoring pack or the county pack.
        || (text.starts_with("<!DOCTYPE html>")
            && (text.contains(" monitoring pack ")
                || text.contains("<title>County pack ")
                || text.contains(crate::export::document::GENERATOR)
                || text.contains("<title>Subject access ")));
    if ours { Found::Replaceable } else { Found::Other }
}

/// The name of the workbook property that marks the program's workbooks.
pub const WORKBOOK_MARK: &str = "caseload";

/// A workbook (a zip) of this program's: it carries the custom property file its writer adds.
fn is_workbook(head: &[u8]) -> bool {
    let has = |name: &[u8]| head.windows(name.len()).any(|w| w == name);
    head.starts_with(b"PK\x03\x04") && has(b"xl/workbook.xml") && has(b"docProps/custom.xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_told_from_other_files_by_their_content() {
        assert_eq!(judge(b""), Found::Replaceable);
        assert_eq!(judge(b"SQLite format 3\0rest"), Found::Database);
        assert_eq!(judge(b"{\"type\":\"district\",\"name\":\"X\"}\n{}"), Found::Replaceable);
        assert_eq!(judge(b"\xEF\xBB\xBFdistrict,academic_year,period\n"), Found::Replaceable);
        assert_eq!(
            judge(b"{\n  \"district\": \"X\",\n  \"academic_year\": \"2024-25\",\n  \"generated_at\": \"\"}"),
            Found::Replaceable
        );
        assert_eq!(
            judge(b"<!DOCTYPE html>\n<title>X monitoring pack 2024-25 T1</title>"),
            Found::Replaceable
        );
        assert_eq!(
            judge(b"\"Counts from 1 to 4 are shown as c\"\ndistrict,academic_year,period\n"),
            Found::Replaceable
        );
        assert_eq!(
            judge(
                b"<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"generator\" content=\"caseload document\">"
            ),
            Found::Replaceable
        );
        assert_eq!(judge(b"<!DOCTYPE html>\n<title>Our newsletter</title>"), Found::Other);
        // The county's CSV: who sent a return, the days covered and its warnings, then the header.
        let county = "\"Returns from 11 of 12 districts\"\nThe whole year\n\"Warning: Dover\"\n".repeat(8)
            + "academic_year,framework,district,section\n";
        assert_eq!(judge(county.as_bytes()), Found::Replaceable);
        assert_eq!(judge(b"Dear parents,\nthe meeting"), Found::Other);
        assert_eq!(judge(b"{\"budget\": 12}"), Found::Other);
        assert_eq!(judge(b"PK\x03\x04....xl/workbook.xml"), Found::Other, "someone else's workbook");
        assert_eq!(judge(b"PK\x03\x04..docProps/custom.xml..xl/workbook.xml"), Found::Replaceable);
    }
}
