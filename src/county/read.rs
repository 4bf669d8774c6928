//! Reading the districts' year returns (their JSON exports) and checking they can be combined:
//! year returns of caseload, one year and framework, one file per district, none suppressed.

use super::check;
use crate::domain::text::shown;
use crate::domain::{AcademicYear, Date};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The name of the county's own rows and columns in every output.
pub const COUNTY: &str = "County";

/// The seven columns of a year: T1 to T6, then the year itself.
pub const COLUMNS: [&str; 7] = ["T1", "T2", "T3", "T4", "T5", "T6", "year"];

/// A district's figure in one column, as its return gives it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Given {
    /// A number; `None` for no value (null, a term not started, a zero denominator).
    pub value: Option<f64>,
    pub text: Option<String>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub not_collected: bool,
    /// The district's note on the figure (why it looks as it does).
    pub note: Option<String>,
}

impl Given {
    /// The district reports this figure: a value it collected.
    pub fn reported(&self) -> bool {
        !self.not_collected && (self.value.is_some() || self.text.is_some())
    }
}

/// One measure of a district's return.
#[derive(Debug, Clone, PartialEq)]
pub struct GivenMeasure {
    pub id: String,
    pub label: String,
    pub section: String,
    pub unit: String,
    pub definition: String,
    /// T1..T6 and the year.
    pub columns: [Given; 7],
}

/// A district's year return.
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictReturn {
    pub file: PathBuf,
    pub district: String,
    pub year: AcademicYear,
    pub framework: String,
    pub provisional: bool,
    /// The last day of its period: the day it was exported, when provisional.
    pub end: Date,
    pub measures: Vec<GivenMeasure>,
}

/// Why the files cannot be combined; each names the file.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CountyError {
    #[error("{0}: cannot be read: {1}")]
    Read(PathBuf, String),
    #[error("{0}: is not a caseload year return ({1})")]
    NotAReturn(PathBuf, String),
    #[error(
        "{0}: is suppressed (its small counts are shown as c, which cannot be added up); send the \
         district's unsuppressed return, and give --suppress-below to the county command instead"
    )]
    Suppressed(PathBuf),
    #[error("{0}: is for {1}, but {2} is for {3}: every return must be for the same {4}")]
    // Box<str>, not String: with Windows' larger PathBuf the error stays small enough to return.
    Mixed(PathBuf, Box<str>, PathBuf, Box<str>, &'static str),
    #[error("{0} and {1} are both returns of {2}: one file per district")]
    SameDistrict(PathBuf, PathBuf, String),
    #[error("{0} gives measure {1} as a {2}, but {3} gives it as a {4}: the returns do not agree")]
    UnitsDiffer(PathBuf, Box<str>, Box<str>, PathBuf, Box<str>),
    #[error(
        "{0}: the district is named \"{1}\", the name of the county's own figures in every output: \
         a district may not be named County"
    )]
    NamedCounty(PathBuf, String),
    #[error(
        "{0} is provisional to {1}, but {2} is provisional to {3}: provisional returns must end on the \
         same day, so that their figures cover the same weeks; export them again on one day"
    )]
    EndsDiffer(PathBuf, Date, PathBuf, Date),
    #[error(
        "{0} is provisional to {1}, but {2} covers the whole year to {3}: a year still in progress cannot \
         be combined with a year complete; export {0}'s district's return again now the year is over"
    )]
    ProvisionalAmongFinal(PathBuf, Date, PathBuf, Date),
    #[error(
        "{0}: is the return of {1}, which is not one of the {2} districts given by --expect ({3}); \
         check the spelling in the list, or leave the file out"
    )]
    NotExpected(PathBuf, String, usize, String),
    #[error("{0}: {1}; this is not how the program writes a return: export it again")]
    Damaged(PathBuf, String),
    #[error("no files given: name the districts' year returns (JSON)")]
    NoFiles,
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn given(v: &Value) -> Given {
    Given {
        value: number(&v["value"]),
        text: v["value"].as_str().map(str::to_string),
        numerator: number(&v["numerator"]),
        denominator: number(&v["denominator"]),
        not_collected: v["status"].as_str() == Some("not_collected"),
        note: v["note"].as_str().map(str::to_string),
    }
}

/// A year return is a few hundred kilobytes; anything far larger is not one, and is not read
/// into memory.
const LARGEST: u64 = 64 * 1024 * 1024;

/// A year return lists a few hundred measures (the referrals-by-need cells included).
const MEASURES_MAX: usize = 2_000;

/// A file's bytes, or why it cannot be read, in words.
fn contents(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::ErrorKind as K;
    let said = |e: std::io::Error| match e.kind() {
        K::NotFound => "there is no such file".to_string(),
        K::PermissionDenied => "you are not allowed to read it".to_string(),
        K::IsADirectory => "it is a folder, not a file".to_string(),
        _ if crate::platform::file_id::is_link_loop(&e) => {
            "it is a link that leads back to itself, not to a file".to_string()
        }
        _ => e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(said)?;
    if meta.is_dir() {
        return Err("it is a folder, not a file".into());
    }
    if !meta.is_file() {
        return Err("it is not an ordinary file (a device or a pipe)".into());
    }
    if meta.len() > LARGEST {
        return Err(format!("it is {} MB, far larger than any year return", meta.len() / 1_048_576));
    }
    std::fs::read(path).map_err(said)
}

/// Reads one file as a district's year return.
pub fn read(path: &Path) -> Result<DistrictReturn, CountyError> {
    let text = contents(path).map_err(|why| CountyError::Read(path.to_path_buf(), why))?;
    let not = |why: &str| CountyError::NotAReturn(path.to_path_buf(), why.to_string());
    // A byte-order mark, as some editors save, is no part of the JSON.
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&text);
    if text.starts_with(&[0xff, 0xfe]) || text.starts_with(&[0xfe, 0xff]) {
        return Err(not("it is saved as UTF-16: save it as UTF-8, or export it again"));
    }
    let damaged = |why: String| CountyError::Damaged(path.to_path_buf(), why);
    let doc: Value = match crate::json::from_slice(text) {
        Ok(doc) => doc,
        Err(e @ crate::json::JsonError::KeyTwice(_)) => return Err(damaged(e.to_string())),
        Err(crate::json::JsonError::Invalid(_)) => return Err(not("it is not JSON")),
    };
    let district = check::district(&doc["district"]).map_err(|e| not(&e))?;
    // The county's own rows are named "County" in every output: a district so named would be
    // taken for them.
    if name_key(&district) == name_key(COUNTY) {
        return Err(CountyError::NamedCounty(path.to_path_buf(), shown(&district)));
    }
    let year = check::year(&doc["academic_year"]).map_err(|e| not(&e))?;
    let framework = check::framework(&doc["framework"]).map_err(|e| not(&e))?;
    if doc["period"]["label"].is_null() {
        return Err(not("it does not say which period it is for"));
    }
    if doc["period"]["label"].as_str() != Some(year.to_string().as_str()) {
        return Err(not("it is a term's or two terms' return: export the whole year (no --term)"));
    }
    match doc.get("suppressed_below") {
        None | Some(Value::Null) => {}
        Some(_) => return Err(CountyError::Suppressed(path.to_path_buf())),
    }
    let provisional = match &doc["provisional"] {
        Value::Bool(b) => *b,
        _ => return Err(not("it does not say whether it is provisional")),
    };
    check::known_fields(&doc, check::RETURN_FIELDS, "the return").map_err(damaged)?;
    check::known_fields(&doc["period"], check::PERIOD_FIELDS, "its period").map_err(damaged)?;
    let end = check::end_date(&doc["period"]).map_err(|e| not(&e))?;
    let list =
        doc["measures"].as_array().filter(|l| !l.is_empty()).ok_or_else(|| not("it has no measures"))?;
    if list.len() > MEASURES_MAX {
        return Err(not(&format!("it has {} measures, where a year return has a few hundred", list.len())));
    }
    let mut measures: Vec<GivenMeasure> = Vec::with_capacity(list.len());
    let mut ids = std::collections::HashSet::new();
    for m in list {
        let (id, unit) = check::measure(m).map_err(damaged)?;
        if !ids.insert(id.clone()) {
            return Err(damaged(format!("measure {} is listed twice", shown(&id))));
        }
        let what = format!("measure {}", shown(&id));
        check::known_fields(m, check::MEASURE_FIELDS, &what).map_err(damaged)?;
        let terms = m["term_figures"]
            .as_object()
            .ok_or_else(|| damaged(format!("measure {} has no term_figures", shown(&id))))?;
        for field in ["term_figures", "terms"] {
            check::known_fields(&m[field], check::TERMS, &what).map_err(damaged)?;
        }
        let mut columns: [Given; 7] = Default::default();
        for (i, name) in COLUMNS.iter().enumerate().take(6) {
            let figure = terms
                .get(*name)
                .ok_or_else(|| damaged(format!("measure {} has no figure for {name}", shown(&id))))?;
            check::known_fields(figure, check::FIGURE_FIELDS, &format!("{what}, {name}")).map_err(damaged)?;
            // A term not started has no figure at all.
            if !figure.is_null() {
                check::figure(&id, &unit, figure)
                    .map_err(|e| damaged(format!("measure {}, {name}: {e}", shown(&id))))?;
            }
            columns[i] = given(figure);
        }
        check::figure(&id, &unit, m)
            .map_err(|e| damaged(format!("measure {}, the year: {e}", shown(&id))))?;
        columns[6] = given(m);
        let text = |k: &str| m[k].as_str().unwrap_or_default().to_string();
        measures.push(GivenMeasure {
            id,
            label: text("label"),
            section: text("section"),
            unit,
            definition: text("definition"),
            columns,
        });
    }
    Ok(DistrictReturn { file: path.to_path_buf(), district, year, framework, provisional, end, measures })
}

/// A district's name as compared with the others': letters and digits only, in lower case, so
/// that "District 2", "district  2", "District 2." and a name with an invisible space in it are one.
pub(crate) fn name_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Reads every file and checks they belong together.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<DistrictReturn>, CountyError> {
    let first = paths.first().ok_or(CountyError::NoFiles)?;
    let returns = paths.iter().map(|p| read(p)).collect::<Result<Vec<_>, _>>()?;
    let head = &returns[0];
    for r in &returns[1..] {
        if r.year != head.year {
            return Err(CountyError::Mixed(
                r.file.clone(),
                r.year.to_string().into(),
                first.clone(),
                head.year.to_string().into(),
                "year",
            ));
        }
        if r.framework != head.framework {
            return Err(CountyError::Mixed(
                r.file.clone(),
                format!("framework {}", r.framework).into(),
                first.clone(),
                format!("framework {}", head.framework).into(),
                "framework",
            ));
        }
    }
    // Provisional returns cover the same weeks: they end on one day, and are not mixed with
    // returns of the year complete.
    let provisional: Vec<&DistrictReturn> = returns.iter().filter(|r| r.provisional).collect();
    if let Some(other) = provisional.iter().find(|r| r.end != provisional[0].end) {
        let head = provisional[0];
        return Err(CountyError::EndsDiffer(head.file.clone(), head.end, other.file.clone(), other.end));
    }
    if let (Some(p), Some(done)) = (provisional.first(), returns.iter().find(|r| !r.provisional)) {
        return Err(CountyError::ProvisionalAmongFinal(p.file.clone(), p.end, done.file.clone(), done.end));
    }
    for (i, r) in returns.iter().enumerate() {
        let key = name_key(&r.district);
        if let Some(other) = returns[..i].iter().find(|o| name_key(&o.district) == key) {
            let names = if other.district == r.district {
                shown(&r.district)
            } else {
                format!("{} ({})", shown(&other.district), shown(&r.district))
            };
            return Err(CountyError::SameDistrict(other.file.clone(), r.file.clone(), names));
        }
    }
    // A measure's unit is the same in every return (the catalogue's are checked already; this
    // holds a team's own manual measures to it too).
    let mut units: std::collections::HashMap<&str, (&str, &Path)> = std::collections::HashMap::new();
    for r in &returns {
        for m in &r.measures {
            let (unit, file) = *units.entry(&m.id).or_insert((&m.unit, &r.file));
            if unit != m.unit {
                return Err(CountyError::UnitsDiffer(
                    file.to_path_buf(),
                    shown(&m.id).into(),
                    unit.into(),
                    r.file.clone(),
                    m.unit.as_str().into(),
                ));
            }
        }
    }
    Ok(returns)
}
