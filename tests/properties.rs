//! Properties over generated districts and arbitrary text: a valid district round-trips through
//! import and dump; any single corruption of a valid line is refused, naming that line, with the
//! database unchanged; the readers of dates, lines and the schools register never panic.

mod common;

use caseload::demo::{DemoOptions, generate};
use caseload::domain::Date;
use caseload::import::line::parse_line;
use caseload::import::register::{Selection, read_bytes};
use caseload::import::{ImportError, ImportOptions, import_file};
use caseload::store::Store;
use common::dump_of;
use proptest::prelude::*;
use serde_json::{Map, Value};
use std::path::Path;

/// The cases a property is tried on: all of them, or the percentage that
/// `CASELOAD_PROPERTY_CASES_PERCENT` gives (the Windows run under Wine, where every case costs
/// many times more and the properties themselves are the same as on Linux).
fn cases(full: u32) -> u32 {
    let percent = std::env::var("CASELOAD_PROPERTY_CASES_PERCENT").ok().and_then(|p| p.parse::<u32>().ok());
    (full * percent.unwrap_or(100).clamp(1, 100) / 100).max(8)
}

fn today() -> Date {
    Date::from_ymd(2026, 11, 27).unwrap()
}

/// A generated district's records file (the dump of `demo` into an empty store).
fn district(seed: u64, children: u32, years: u32) -> String {
    let mut store = Store::open_in_memory().unwrap();
    let options = DemoOptions { children, years, seed, district: "Property District".into() };
    generate(&mut store, &options, today(), &mut |_| {}).unwrap();
    dump_of(&store)
}

fn import_text(store: &mut Store, dir: &Path, text: &str, update: bool) -> Result<(), ImportError> {
    let file = dir.join("records.jsonl");
    std::fs::write(&file, text).unwrap();
    import_file(store, &file, ImportOptions { update, ..ImportOptions::default() }).map(|_| ())
}

fn sorted_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines
}

/// The ways one line is spoiled; each makes any line of the records file bad.
#[derive(Debug, Clone, Copy)]
enum Corruption {
    /// A field's value of another JSON type (text for a number, true for text, ...).
    FieldType,
    /// A code field (phase, area, outcome, ...) with a value that is not a code.
    EnumValue,
    /// A date field with an impossible or wrongly written date.
    Date,
    /// The record's key (or `type`, or the district's name) left out.
    MissingField,
    /// A field that no record type has.
    UnknownField,
    /// The line cut short: not a whole JSON object.
    BrokenJson,
}

const CODE_FIELDS: &[&str] =
    &["phase", "kind", "area", "need", "role", "outcome", "status", "format", "closure_reason", "programme"];
const BAD_DATES: &[&str] = &["2023-02-30", "2023-13-01", "31/12/2023", "2023-1-1", "", "2023-02-29T00:00"];

fn is_date(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.len() == 10 && Date::parse_iso(s).is_ok())
}

/// Spoils `line` in the way asked, choosing among its fields with `pick`. `None` when the line
/// has no field of that kind (the case is then skipped).
fn corrupt(line: &str, how: Corruption, pick: usize) -> Option<String> {
    let Value::Object(mut map) = serde_json::from_str::<Value>(line).ok()? else { return None };
    let choose = |names: Vec<String>| -> Option<String> {
        if names.is_empty() { None } else { Some(names[pick % names.len()].clone()) }
    };
    let fields = |f: &dyn Fn(&str, &Value) -> bool| -> Vec<String> {
        map.iter().filter(|(k, v)| f(k, v)).map(|(k, _)| k.clone()).collect()
    };
    match how {
        Corruption::FieldType => {
            let name = choose(fields(&|k, v| k != "type" && !v.is_null()))?;
            let spoiled = match &map[&name] {
                Value::String(_) => Value::Bool(true),
                Value::Number(_) => Value::String("many".into()),
                Value::Bool(_) => Value::String("yes".into()),
                Value::Array(_) => Value::String("S0001".into()),
                Value::Object(_) => Value::from(3),
                Value::Null => return None,
            };
            map.insert(name, spoiled);
        }
        Corruption::EnumValue => {
            let name = choose(fields(&|k, v| CODE_FIELDS.contains(&k) && v.is_string()))?;
            map.insert(name, Value::String("not_a_code".into()));
        }
        Corruption::Date => {
            let name = choose(fields(&|_, v| is_date(v)))?;
            map.insert(name, Value::String(BAD_DATES[pick % BAD_DATES.len()].into()));
        }
        Corruption::MissingField => {
            let name = if map.contains_key("key") && pick.is_multiple_of(2) {
                "key"
            } else if map["type"] == "district" && pick.is_multiple_of(2) {
                "name"
            } else {
                "type"
            };
            map.remove(name);
        }
        Corruption::UnknownField => {
            map.insert("colour".into(), Value::String("blue".into()));
        }
        Corruption::BrokenJson => {
            let text = Value::Object(map).to_string();
            let cut = 1 + pick % (text.len() - 1);
            return Some(text[..cut].to_string());
        }
    }
    Some(Value::Object(Map::from_iter(map)).to_string())
}

fn corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        Just(Corruption::FieldType),
        Just(Corruption::EnumValue),
        Just(Corruption::Date),
        Just(Corruption::MissingField),
        Just(Corruption::UnknownField),
        Just(Corruption::BrokenJson),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(48), ..ProptestConfig::default() })]

    /// Import of a dump, in its order, dumps the same bytes; in any order, the same records.
    #[test]
    fn a_generated_district_round_trips_through_import_and_dump(
        seed in any::<u64>(),
        children in 1u32..12,
        years in 1u32..3,
        shuffle in any::<u64>(),
    ) {
        let text = district(seed, children, years);
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        import_text(&mut store, dir.path(), &text, false).unwrap();
        prop_assert_eq!(dump_of(&store), text.clone());

        let mut lines: Vec<&str> = text.lines().collect();
        fastrand::Rng::with_seed(shuffle).shuffle(&mut lines);
        let mut store = Store::open_in_memory().unwrap();
        import_text(&mut store, dir.path(), &(lines.join("\n") + "\n"), false).unwrap();
        let dump = dump_of(&store);
        prop_assert_eq!(sorted_lines(&dump), sorted_lines(&text));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), ..ProptestConfig::default() })]

    /// One spoiled line: refused, that line named, the database (records and log) unchanged.
    #[test]
    fn any_single_corruption_is_refused_naming_its_line(
        seed in any::<u64>(),
        children in 1u32..6,
        line in any::<prop::sample::Index>(),
        how in corruption(),
        pick in any::<usize>(),
    ) {
        let text = district(seed, children, 1);
        let lines: Vec<&str> = text.lines().collect();
        let n = line.index(lines.len());
        let Some(bad) = corrupt(lines[n], how, pick) else { return Ok(()) };
        let mut spoiled: Vec<&str> = lines.clone();
        spoiled[n] = &bad;
        let spoiled = spoiled.join("\n") + "\n";

        // Into an empty database, and over the same district already stored (with --update).
        let dir = tempfile::tempdir().unwrap();
        for prefilled in [false, true] {
            let mut store = Store::open_in_memory().unwrap();
            if prefilled {
                import_text(&mut store, dir.path(), &text, false).unwrap();
            }
            let (before, log) = (dump_of(&store), store.reader().audit_len().unwrap());
            match import_text(&mut store, dir.path(), &spoiled, prefilled) {
                Err(ImportError::Invalid { errors, .. }) => {
                    prop_assert!(
                        errors.iter().any(|e| e.line == Some(n + 1)),
                        "{:?} of line {}: {}\nerrors: {:?}", how, n + 1, bad, errors
                    );
                }
                other => prop_assert!(false, "{:?} of line {} was not refused: {}\n{:?}", how, n + 1, bad, other),
            }
            prop_assert_eq!(dump_of(&store), before);
            prop_assert_eq!(store.reader().audit_len().unwrap(), log);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(4000), ..ProptestConfig::default() })]

    #[test]
    fn date_parsing_never_panics(s in any::<String>(), shaped in "[0-9]{0,5}[-/. ]?[0-9]{0,3}[-/.]?[0-9]{0,5}[a-z]{0,2}") {
        for text in [&s, &shaped] {
            let _ = Date::parse_iso(text);
            if let Ok(d) = Date::parse_typed(text, today()) {
                // Whatever is accepted is a real day, written back as it is read.
                prop_assert_eq!(Date::parse_iso(&d.to_string()), Ok(d));
            }
        }
    }

    #[test]
    fn date_reading_round_trips(days in 0u64..200_000) {
        let d = Date::from_ymd(1900, 1, 1).unwrap().plus_days(days);
        prop_assert_eq!(Date::parse_iso(&d.to_string()), Ok(d));
        prop_assert_eq!(Date::parse_typed(&format!("{}/{}/{}", d.day(), d.month(), d.year()), today()), Ok(d));
    }

    #[test]
    fn line_and_register_readers_never_panic(s in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_line(&s, common::TODAY.parse().unwrap());
        let _ = parse_line(&format!("{{\"type\":\"child\",{s}}}"), common::TODAY.parse().unwrap());
        let selection = Selection::new("Ashford", &[]).unwrap();
        let _ = read_bytes(&bytes, &selection);
        let _ = read_bytes(s.as_bytes(), &selection);
    }
}

/// Found by the `parse_line` fuzz target: a figure given as a huge integer was read as one
/// double and written back as text that read as another (serde_json's fast float reading is off
/// by one unit in the last place for some inputs; `float_roundtrip` reads them exactly).
#[test]
fn regression_a_manual_figure_reads_back_exactly_after_writing() {
    let line = r#"{"type":"manual_measure","year":"2023-24","term":3,"id":"surves.satisfeasure","value":9277777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777}"#;
    let caseload::import::line::Parsed::Record(record) = parse_line(line, common::TODAY.parse().unwrap())
    else {
        panic!("{line}")
    };
    let again = serde_json::to_string(&record).unwrap();
    let caseload::import::line::Parsed::Record(back) = parse_line(&again, common::TODAY.parse().unwrap())
    else {
        panic!("{again}")
    };
    assert_eq!(back, record);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), ..ProptestConfig::default() })]

    /// Every number a manual figure can hold survives writing and reading back.
    #[test]
    fn manual_figures_round_trip_exactly(x in any::<f64>().prop_filter("finite", |x| x.is_finite()), digits in "[1-9][0-9]{0,120}") {
        for value in [serde_json::to_string(&x).unwrap(), digits] {
            let line = format!(r#"{{"type":"manual_measure","year":"2023-24","term":3,"id":"m","value":{value}}}"#);
            if let caseload::import::line::Parsed::Record(record) = parse_line(&line, common::TODAY.parse().unwrap()) {
                let again = serde_json::to_string(&record).unwrap();
                let caseload::import::line::Parsed::Record(back) = parse_line(&again, common::TODAY.parse().unwrap()) else { panic!("{again}") };
                prop_assert_eq!(back, record);
            }
        }
    }
}
