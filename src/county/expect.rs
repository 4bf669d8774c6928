//! Who should have sent a return (`--expect`): the county's list of districts, so that a
//! district that sent nothing is noticed and named in every output rather than read as "11 of
//! 11 reporting".

use super::County;
use super::read::{COUNTY, CountyError, DistrictReturn, name_key};
use crate::domain::rules;
use crate::domain::text::shown;
use std::path::Path;

/// What a district that sent no return shows in the district tables.
pub const NO_RETURN: &str = "no return";

/// A list of districts is a few hundred bytes; a far larger file is not one.
const LIST_MAX: u64 = 64 * 1024;
/// The longest district name, as a return's (check.rs).
const NAME_MAX: usize = 100;

/// The county's districts from `--expect`: names separated by commas, or a file of one name a
/// line (blank lines and lines starting `#` left out). A value naming a file that is there is
/// read as the file; one that looks like a file name but is not there is refused, not taken as
/// a district's name.
pub fn parse(value: &str) -> Result<Vec<String>, String> {
    let path = Path::new(value);
    let text = if path.is_file() {
        read_list(path)?
    } else if !value.contains(',') && looks_like_a_file(value) {
        return Err(format!(
            "--expect {}: there is no such file (give the file of districts, one a line, or their names separated by commas)",
            shown(value)
        ));
    } else {
        value.replace(',', "\n")
    };
    let names: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    if names.is_empty() {
        return Err(format!("--expect {}: names no district", shown(value)));
    }
    for (i, name) in names.iter().enumerate() {
        if let Some(v) = rules::text_ok("a district's name", name, NAME_MAX, false) {
            return Err(format!("--expect: {}", v.message));
        }
        if name_key(name) == name_key(COUNTY) {
            return Err(format!(
                "--expect: \"{}\" is the name of the county's own figures, not a district",
                shown(name)
            ));
        }
        if let Some(other) = names[..i].iter().find(|o| name_key(o) == name_key(name)) {
            let both = if other == name { String::new() } else { format!(" (as \"{}\")", shown(other)) };
            return Err(format!("--expect: {} is listed twice{both}", shown(name)));
        }
    }
    Ok(names)
}

fn looks_like_a_file(value: &str) -> bool {
    value.contains(['/', '\\']) || Path::new(value).extension().is_some_and(|e| !e.is_empty())
}

fn read_list(path: &Path) -> Result<String, String> {
    let at = |why: &str| format!("--expect {}: {why}", path.display());
    let meta = std::fs::metadata(path).map_err(|e| at(&e.to_string()))?;
    if meta.len() > LIST_MAX {
        return Err(at("is far larger than a list of districts"));
    }
    let bytes = std::fs::read(path).map_err(|e| at(&e.to_string()))?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| at("is not a text file of names (save it as UTF-8)"))
}

/// Checks every return against the list and notes in the county who sent none. A return of a
/// district not in the list is refused: a misspelling in the list, or a file that does not
/// belong, would otherwise count as a district and hide the one missing.
pub fn apply(
    county: &mut County,
    returns: &[DistrictReturn],
    expected: Vec<String>,
) -> Result<(), CountyError> {
    for r in returns {
        if !expected.iter().any(|e| name_key(e) == name_key(&r.district)) {
            return Err(CountyError::NotExpected(
                r.file.clone(),
                shown(&r.district),
                expected.len(),
                expected.iter().map(|e| shown(e)).collect::<Vec<_>>().join(", "),
            ));
        }
    }
    county.missing = expected
        .iter()
        .filter(|e| !returns.iter().any(|r| name_key(&r.district) == name_key(e)))
        .cloned()
        .collect();
    county.expected = Some(expected);
    Ok(())
}

impl County {
    /// How many districts a figure's "reporting" is out of: the county's list when given, else
    /// the returns read.
    pub fn out_of(&self) -> usize {
        self.expected.as_ref().map_or(self.districts.len(), Vec::len)
    }

    /// The sentence every output opens with: who sent a return, and who did not.
    pub fn coverage(&self) -> String {
        let sent = self.districts.len();
        match &self.expected {
            None => format!(
                "Returns from {sent} district{}; the county's list of districts was not given (--expect), \
                 so a district that sent no return would not be noticed.",
                if sent == 1 { "" } else { "s" }
            ),
            Some(all) if self.missing.is_empty() => {
                format!("Returns from all {} of the county's districts.", all.len())
            }
            Some(all) => format!(
                "Returns from {sent} of {} districts: no return from {}, so {} in none of the county's \
                 figures (not reporting any measure).",
                all.len(),
                and_list(&self.missing),
                if self.missing.len() == 1 { "it is" } else { "they are" }
            ),
        }
    }
}

impl County {
    /// The sentence saying which days the figures cover.
    pub fn covers(&self) -> String {
        if self.provisional {
            format!(
                "Provisional: the year {} was still in progress; the figures run from {} to {}, the day the \
                 districts' returns were made.",
                self.year,
                self.year.first_day(),
                self.end
            )
        } else {
            format!("The whole year {}: {} to {}.", self.year, self.year.first_day(), self.end)
        }
    }

    /// What every output says before its figures: who sent a return, the days covered, and the
    /// budget lines that disagree.
    pub fn preamble(&self) -> Vec<String> {
        let mut out = vec![self.coverage(), self.covers()];
        out.extend(self.warnings.iter().map(|w| format!("Warning: {w}")));
        out
    }
}

/// "A", "A and B", "A, B and C".
pub fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_from_commas_and_checked() {
        assert_eq!(parse("Ashford, Dover ,Thanet").unwrap(), ["Ashford", "Dover", "Thanet"]);
        assert_eq!(parse("Dover").unwrap(), ["Dover"]);
        assert!(parse("Dover, dover.").unwrap_err().contains("listed twice"));
        assert!(parse("Dover, County").unwrap_err().contains("county's own figures"));
        assert!(parse(" , ").unwrap_err().contains("names no district"));
        assert!(parse("districts.txt").unwrap_err().contains("no such file"));
        assert_eq!(and_list(&["A".into(), "B".into(), "C".into()]), "A, B and C");
    }
}
