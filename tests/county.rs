//! `caseload county`: twelve generated districts' year returns combined, checked figure by figure
//! against sums and pools worked out here directly from the twelve JSON files; the refusals; a
//! measure not collected; the workbook and the pack.

mod common;

use calamine::{Data, Reader as _, Xlsx, open_workbook};
use common::binary;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-30T10:00:00Z";
const COLUMNS: [&str; 7] = ["T1", "T2", "T3", "T4", "T5", "T6", "year"];

fn run(args: &[&str]) -> Output {
    Command::new(binary()).args(args).env("CASELOAD_NOW", NOW).output().unwrap()
}

/// Twelve districts (different seeds and names), each exported as its 2025-26 year return.
fn twelve(dir: &Path) -> Vec<PathBuf> {
    districts(dir, 12, |_| None)
}

/// `count` districts, each given the records `records(n)` (a records file's lines) before it is
/// exported as its 2025-26 year return.
fn districts(dir: &Path, count: usize, records: impl Fn(usize) -> Option<String>) -> Vec<PathBuf> {
    (1..=count)
        .map(|n| {
            let db = dir.join(format!("d{n}.db"));
            let name = format!("District {n:02}");
            let db = db.to_str().unwrap();
            let seed = n.to_string();
            let out = run(&[
                "--db",
                db,
                "demo",
                "--children",
                "150",
                "--years",
                "2",
                "--seed",
                &seed,
                "--district",
                &name,
            ]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            if let Some(lines) = records(n) {
                let path = dir.join(format!("records-{n}.jsonl"));
                std::fs::write(&path, lines).unwrap();
                let out = run(&["--db", db, "import", path.to_str().unwrap()]);
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            }
            let file = dir.join(format!("district-{n:02}.json"));
            let out = run(&[
                "--db",
                db,
                "export",
                "--year",
                "2025-26",
                "--framework",
                "all",
                "--out",
                file.to_str().unwrap(),
            ]);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            file
        })
        .collect()
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn combine(files: &[PathBuf], extra: &[&str]) -> Output {
    let mut args = vec!["county".to_string()];
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args)
}

/// Rounded half away from zero to one decimal, as the return rounds.
fn round1(x: f64) -> f64 {
    (x * 10.0).abs().add_half_floor() * x.signum() / 10.0
}

trait HalfUp {
    fn add_half_floor(self) -> f64;
}

impl HalfUp for f64 {
    fn add_half_floor(self) -> f64 {
        (self + 0.5 + 1e-9).floor()
    }
}

/// A district's figure of a measure in a column: (value, numerator, denominator), `None` when
/// it does not report it.
fn figure(m: Option<&Value>, id: &str, column: &str) -> Option<(f64, Option<f64>, Option<f64>)> {
    let Some(m) = m else {
        // Referrals by need are listed only when not zero.
        return id.starts_with("referrals_by_need.").then_some((0.0, None, None));
    };
    let f = if column == "year" { m } else { &m["term_figures"][column] };
    if f["status"] == "not_collected" {
        return None;
    }
    Some((f["value"].as_f64()?, f["numerator"].as_f64(), f["denominator"].as_f64()))
}

/// The county figures worked out here, measure by measure, from the districts' files.
fn expected(files: &[Value]) -> BTreeMap<(String, String), (Option<f64>, usize)> {
    let mut ids: Vec<(String, String)> = Vec::new();
    for f in files {
        for m in f["measures"].as_array().unwrap() {
            let id = m["id"].as_str().unwrap().to_string();
            if !ids.iter().any(|(i, _)| *i == id) {
                ids.push((id, m["unit"].as_str().unwrap().to_string()));
            }
        }
    }
    let mut out = BTreeMap::new();
    for (id, unit) in ids {
        for column in COLUMNS {
            let given: Vec<(f64, Option<f64>, Option<f64>)> = files
                .iter()
                .filter_map(|f| {
                    figure(
                        f["measures"].as_array().unwrap().iter().find(|m| m["id"] == id.as_str()),
                        &id,
                        column,
                    )
                })
                .collect();
            let value = match unit.as_str() {
                _ if given.is_empty() => None,
                "count" => Some(given.iter().map(|g| g.0).sum()),
                "fte" => Some((given.iter().map(|g| g.0).sum::<f64>() * 100.0).round() / 100.0),
                "percent" | "average" => {
                    let num: f64 = given.iter().filter_map(|g| g.1).sum();
                    let den: f64 = given.iter().filter_map(|g| g.2).sum();
                    match (unit.as_str(), den) {
                        (_, 0.0) => None,
                        ("percent", _) => Some(round1(100.0 * num / den)),
                        _ => Some(round1(num / ((den * 100.0).round() / 100.0))),
                    }
                }
                _ => continue,
            };
            out.insert((id.clone(), column.to_string()), (value, given.len()));
        }
    }
    out
}

#[test]
fn twelve_districts_combine_to_the_sums_and_pools_of_their_files() {
    let dir = tempfile::tempdir().unwrap();
    let files = twelve(dir.path());
    let out = combine(&files, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let county: Value = serde_json::from_slice(&out.stdout).unwrap();
    let districts: Vec<Value> = files.iter().map(|f| read(f)).collect();
    assert_eq!(county["districts"].as_array().unwrap().len(), 12);
    let want = expected(&districts);
    let mut problems = Vec::new();
    let mut compared = 0;
    for ((id, column), (value, reporting)) in &want {
        let m = county["measures"].as_array().unwrap().iter().find(|m| m["id"] == id.as_str());
        let Some(m) = m else {
            problems.push(format!("{id}: missing from the county"));
            continue;
        };
        let f = &m["county"][column];
        let got = f["value"].as_f64();
        let same = match (got, value) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-6,
            (None, None) => true,
            _ => false,
        };
        if !same || f["reporting"].as_u64() != Some(*reporting as u64) {
            problems.push(format!(
                "{id} {column}: county {} ({}), by hand {value:?} ({reporting})",
                f["value"], f["reporting"]
            ));
        }
        compared += 1;
    }
    assert!(compared > 1000, "{compared}");
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
    // A pooled figure has the mean of the districts and their extremes beside it.
    let pct =
        county["measures"].as_array().unwrap().iter().find(|m| m["id"] == "targets_reviewed_pct").unwrap();
    let year = &pct["county"]["year"];
    let values: Vec<f64> = districts
        .iter()
        .filter_map(|d| {
            d["measures"].as_array().unwrap().iter().find(|m| m["id"] == "targets_reviewed_pct")?["value"]
                .as_f64()
        })
        .collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    assert!((year["mean_of_districts"].as_f64().unwrap() - (mean * 10.0).round() / 10.0).abs() < 1e-9);
    assert_eq!(year["min"]["value"].as_f64(), values.iter().copied().reduce(f64::min));
    // Counts have the mean of the districts beside them too (the county report's "average per
    // district"), with the lowest and highest, worked out here from the files.
    let mut means = 0;
    for m in county["measures"].as_array().unwrap().iter().filter(|m| m["unit"] == "count") {
        let id = m["id"].as_str().unwrap();
        for column in COLUMNS {
            let values: Vec<f64> = districts
                .iter()
                .filter_map(|d| {
                    figure(d["measures"].as_array().unwrap().iter().find(|x| x["id"] == id), id, column)
                })
                .map(|f| f.0)
                .collect();
            let f = &m["county"][column];
            if values.is_empty() {
                assert!(f["mean_of_districts"].is_null(), "{id} {column}");
                continue;
            }
            let mean = round1(values.iter().sum::<f64>() / values.len() as f64);
            assert_eq!(f["mean_of_districts"].as_f64(), Some(mean), "{id} {column}");
            assert_eq!(f["min"]["value"].as_f64(), values.iter().copied().reduce(f64::min), "{id} {column}");
            assert_eq!(f["max"]["value"].as_f64(), values.iter().copied().reduce(f64::max), "{id} {column}");
            means += 1;
        }
    }
    assert!(means > 1000, "{means}");
    // Settings are counted by each district: the county says so.
    let settings = county["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "settings_supported.primary")
        .unwrap();
    assert!(settings["note"].as_str().unwrap().contains("counted by both"));

    // The CSV has a row per district (and the county), measure and period.
    let out = combine(&files, &["--format", "csv"]);
    let text = String::from_utf8(out.stdout).unwrap();
    // The byte-order mark first, for Excel; none with --no-bom.
    let text =
        text.strip_prefix('\u{feff}').expect("the county's CSV starts with the byte-order mark").to_string();
    let bare = combine(&files, &["--format", "csv", "--no-bom"]).stdout;
    assert_eq!(bare, text.as_bytes(), "--no-bom: the same CSV less the mark");
    // It opens with who sent a return (no list was given, so it says so) and the days covered.
    let (preamble, table) = text.split_once("\nacademic_year,").unwrap();
    assert_eq!(preamble.lines().count(), 2, "{preamble}");
    assert!(preamble.contains("12 districts") && preamble.contains("was not given (--expect)"), "{preamble}");
    assert!(table.starts_with(
        "framework,district,section,id,label,unit,period,value,numerator,denominator,reporting,note\n"
    ));
    let table = format!("academic_year,{table}");
    // Every row: the county's as worked out from the files, each district's as its file has it.
    let mut rows = csv::Reader::from_reader(table.as_bytes());
    let (mut county_rows, mut district_rows) = (0, 0);
    for row in rows.records() {
        let row = row.unwrap();
        let (district, id, unit, period, value) = (&row[2], &row[4], &row[6], &row[7], &row[8]);
        if unit == "text" {
            continue;
        }
        let shown = (!value.is_empty()).then(|| value.parse::<f64>().unwrap());
        if district == "County" {
            let (want_value, reporting) = want[&(id.to_string(), period.to_string())];
            assert_eq!(shown, want_value, "County {id} {period}");
            assert_eq!(row[11].parse::<usize>().unwrap(), reporting, "County {id} {period}");
            county_rows += 1;
        } else {
            let n: usize = district.trim_start_matches("District ").parse().unwrap();
            let m = districts[n - 1]["measures"].as_array().unwrap().iter().find(|m| m["id"] == id);
            assert_eq!(shown, figure(m, id, period).map(|f| f.0), "{district} {id} {period}");
            district_rows += 1;
        }
    }
    // A row for every district beside each county row: a referrals-by-need cell a district does
    // not list is its zero (a return lists only the needs it had referrals for).
    assert_eq!(district_rows, 12 * county_rows);
    assert!(county_rows > 1000, "{county_rows}");

    // The workbook: the county sheet, a sheet per section with the districts side by side,
    // narratives and definitions.
    let xlsx = dir.path().join("county.xlsx");
    assert!(combine(&files, &["--out", xlsx.to_str().unwrap()]).status.success());
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("County"));
    assert!(
        names.contains(&"Caseload".to_string()) && names.contains(&"Definitions".to_string()),
        "{names:?}"
    );
    let caseload = book.worksheet_range("Caseload").unwrap();
    let rows: Vec<String> = caseload
        .rows()
        .filter_map(|r| match r.first() {
            Some(Data::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(
        (1..=12).all(|n| rows.contains(&format!("District {n:02}"))) && rows.contains(&"County".to_string())
    );

    // Every figure of the County sheet is the JSON's (a percentage as its fraction), row by row
    // in the JSON's order of measures.
    let sheet = book.worksheet_range("County").unwrap();
    let mut measures =
        county["measures"].as_array().unwrap().iter().filter(|m| m["unit"] != "text").peekable();
    let mut checked = 0;
    for row in sheet.rows() {
        let (Some(Data::String(label)), Some(m)) = (row.first(), measures.peek()) else { continue };
        if *label != m["label"] {
            continue;
        }
        for (c, column) in COLUMNS.iter().enumerate() {
            let scale = if m["unit"] == "percent" { 100.0 } else { 1.0 };
            let cell = match &row[1 + c] {
                Data::Float(x) => Some(x * scale),
                Data::Int(x) => Some(*x as f64 * scale),
                Data::Empty => None,
                other => panic!("{label} {column}: {other:?}"),
            };
            let json = m["county"][column]["value"].as_f64();
            assert!(
                cell.zip(json).map_or(cell == json, |(a, b)| (a - b).abs() < 1e-9),
                "{label} {column}: {cell:?} in the sheet, {json:?} in the JSON"
            );
            checked += 1;
        }
        // The year's mean of the districts, counts' with their decimal.
        let mean = m["county"]["year"]["mean_of_districts"].as_f64();
        let scale = if m["unit"] == "percent" { 100.0 } else { 1.0 };
        let cell = match row.get(9) {
            Some(Data::Float(x)) => Some(x * scale),
            Some(Data::Int(x)) => Some(*x as f64 * scale),
            _ => None,
        };
        assert!(
            cell.zip(mean).map_or(cell == mean, |(a, b)| (a - b).abs() < 1e-9),
            "{label}: mean {cell:?} in the sheet, {mean:?} in the JSON"
        );
        measures.next();
    }
    assert!(measures.peek().is_none(), "not on the County sheet: {}", measures.peek().unwrap()["id"]);
    assert!(checked > 1000, "{checked}");

    // The pack: offline, the countywide charts, figures as the JSON has them.
    let html = dir.path().join("county.html");
    assert!(combine(&files, &["--out", html.to_str().unwrap()]).status.success());
    let page = std::fs::read_to_string(&html).unwrap();
    let doc = scraper::Html::parse_document(&page);
    for tag in ["script", "link", "img"] {
        assert_eq!(doc.select(&scraper::Selector::parse(tag).unwrap()).count(), 0, "<{tag}>");
    }
    assert!(doc.select(&scraper::Selector::parse("figure svg").unwrap()).count() >= 12);
    let caseload_year = doc
        .select(
            &scraper::Selector::parse(
                "td[data-id=\"caseload.school\"][data-col=\"year\"]:not([data-district])",
            )
            .unwrap(),
        )
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    let year_want = want[&("caseload.school".to_string(), "year".to_string())].0.unwrap();
    assert_eq!(caseload_year.replace(',', "").parse::<f64>().unwrap(), year_want);
    // Every countywide cell shows the figure worked out from the files, a dash where none is.
    let cells = scraper::Selector::parse("td[data-id][data-col]:not([data-district])").unwrap();
    let mut checked = 0;
    for td in doc.select(&cells) {
        let key = (td.attr("data-id").unwrap().to_string(), td.attr("data-col").unwrap().to_string());
        let Some((value, _)) = want.get(&key) else { continue };
        let text: String = td.text().collect::<String>().replace([',', '%', '£'], "");
        match value {
            None => assert_eq!(text, "–", "{key:?}"),
            Some(v) => assert!((text.parse::<f64>().unwrap() - v).abs() < 0.006, "{key:?}: {text} not {v}"),
        }
        checked += 1;
    }
    assert!(checked > 500, "{checked} cells checked");
    // And every district's cell of the district tables is its file's figure.
    let cells = scraper::Selector::parse("td[data-district][data-id][data-col]").unwrap();
    let mut checked = 0;
    for td in doc.select(&cells) {
        let (district, id, column) =
            (td.attr("data-district").unwrap(), td.attr("data-id").unwrap(), td.attr("data-col").unwrap());
        let n: usize = district.trim_start_matches("District ").parse().unwrap();
        let m = districts[n - 1]["measures"].as_array().unwrap().iter().find(|m| m["id"] == id);
        let text: String = td.text().collect::<String>().replace([',', '%', '£'], "");
        let shown = (text != "–").then(|| text.parse::<f64>().unwrap());
        assert_eq!(shown, figure(m, id, column).map(|f| f.0), "{district} {id} {column} in the pack");
        checked += 1;
    }
    assert!(checked > 10_000, "{checked} district cells checked");
}

#[test]
fn returns_that_do_not_belong_together_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = twelve(dir.path()).into_iter().take(2).collect();
    let out_path = dir.path().join("county.json");
    let refused = |files: Vec<PathBuf>, says: &str, named: &Path| {
        let out = combine(&files, &["--out", out_path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says) && err.contains(named.file_name().unwrap().to_str().unwrap()), "{err}");
        assert!(!out_path.exists(), "nothing written");
    };
    // Two files of one district.
    let copy = dir.path().join("again.json");
    std::fs::copy(&files[0], &copy).unwrap();
    refused(vec![files[0].clone(), files[1].clone(), copy.clone()], "one file per district", &copy);
    // District 01's database exported otherwise: suppressed, another year, another framework,
    // one term.
    let db = dir.path().join("d1.db");
    let export = |name: &str, options: &[&str]| -> PathBuf {
        let file = dir.path().join(name);
        let mut args = vec!["--db", db.to_str().unwrap(), "export", "--out", file.to_str().unwrap()];
        args.extend(options);
        let out = run(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        file
    };
    let all = ["--framework", "all"];
    let suppressed =
        export("suppressed.json", &[&["--year", "2025-26", "--suppress-below", "5"][..], &all].concat());
    refused(vec![files[1].clone(), suppressed.clone()], "is suppressed", &suppressed);
    let other_year = export("year.json", &[&["--year", "2024-25"][..], &all].concat());
    refused(vec![files[1].clone(), other_year.clone()], "same year", &other_year);
    let other_framework = export("framework.json", &["--year", "2025-26"]);
    refused(vec![files[1].clone(), other_framework.clone()], "same framework", &other_framework);
    let term = export("term.json", &[&["--year", "2025-26", "--term", "3"][..], &all].concat());
    refused(vec![files[1].clone(), term.clone()], "export the whole year", &term);
    // A file that is not a return at all.
    let junk = dir.path().join("notes.json");
    std::fs::write(&junk, "{\"hello\": 1}").unwrap();
    refused(vec![files[1].clone(), junk.clone()], "is not a caseload year return", &junk);

    // The output never replaces a return being read: by its name, a link, a hard link, or a
    // folder whose usual name is one of them.
    let pair = vec![files[0].clone(), files[1].clone()];
    let before = std::fs::read(&files[1]).unwrap();
    // Links are made on Unix only: on Windows making one needs a privilege users seldom have.
    #[cfg(unix)]
    let link = dir.path().join("link.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&files[1], &link).unwrap();
    let hard = dir.path().join("hard.json");
    std::fs::hard_link(&files[1], &hard).unwrap();
    let folder = dir.path().join("sent");
    std::fs::create_dir(&folder).unwrap();
    let usual = folder.join("county-2025-26-all.json");
    std::fs::copy(&files[1], &usual).unwrap();
    for (inputs, out) in [
        (pair.clone(), files[1].clone()),
        #[cfg(unix)]
        (pair.clone(), link.clone()),
        (pair.clone(), hard.clone()),
        (vec![files[0].clone(), usual.clone()], folder.clone()),
    ] {
        let result = combine(&inputs, &["--out", out.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&result.stderr).to_string();
        assert_eq!(result.status.code(), Some(2), "{out:?}: {err}");
        assert!(err.contains("one of the files being read"), "{err}");
    }
    assert_eq!(std::fs::read(&files[1]).unwrap(), before);
    assert_eq!(std::fs::read(&usual).unwrap(), before);

    // Nor the team's database, which the county never opens, by its name or a link to it.
    let database = std::fs::read(&db).unwrap();
    #[cfg(unix)]
    let db_link = dir.path().join("figures.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&db, &db_link).unwrap();
    #[cfg(not(unix))]
    let db_link = db.clone();
    for out in [&db, &db_link] {
        let (db, out) = (db.to_str().unwrap(), out.to_str().unwrap());
        let mut args = vec!["--db", db, "county", "--format", "json", "--out", out];
        args.extend(pair.iter().map(|f| f.to_str().unwrap()));
        let result = run(&args);
        let err = String::from_utf8_lossy(&result.stderr).to_string();
        assert_eq!(result.status.code(), Some(2), "{out}: {err}");
        assert!(err.contains("is the database"), "{err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), database);
}

#[test]
fn a_measure_not_collected_lowers_its_reporting_count_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let files = twelve(dir.path());
    let before: Value = serde_json::from_slice(&combine(&files, &[]).stdout).unwrap();
    // District 05 did not collect its primary referrals in T3.
    let mut doc = read(&files[4]);
    let m =
        doc["measures"].as_array_mut().unwrap().iter_mut().find(|m| m["id"] == "referrals.primary").unwrap();
    let lost = m["term_figures"]["T3"]["value"].as_f64().unwrap();
    m["term_figures"]["T3"]["value"] = Value::Null;
    m["term_figures"]["T3"]["status"] = "not_collected".into();
    std::fs::write(&files[4], serde_json::to_vec(&doc).unwrap()).unwrap();
    let after: Value = serde_json::from_slice(&combine(&files, &[]).stdout).unwrap();
    let find = |doc: &Value, id: &str| {
        doc["measures"].as_array().unwrap().iter().find(|m| m["id"] == id).unwrap().clone()
    };
    let (b, a) = (find(&before, "referrals.primary"), find(&after, "referrals.primary"));
    assert_eq!(a["county"]["T3"]["reporting"], 11);
    assert_eq!(
        a["county"]["T3"]["value"].as_f64().unwrap(),
        b["county"]["T3"]["value"].as_f64().unwrap() - lost
    );
    assert_eq!(a["districts"]["District 05"]["T3"], "not collected");
    for column in ["T1", "T2", "T4", "T5", "T6", "year"] {
        assert_eq!(a["county"][column], b["county"][column], "{column}");
    }
    // Every other measure is as it was.
    for (x, y) in before["measures"].as_array().unwrap().iter().zip(after["measures"].as_array().unwrap()) {
        if x["id"] != "referrals.primary" {
            assert_eq!(x["county"], y["county"], "{}", x["id"]);
        }
    }

    // No district collected the courses cancelled: the pack names the measure once, with no
    // appendix table of dashes, and its countywide row shows none reporting.
    for file in &files {
        let mut doc = read(file);
        let m = doc["measures"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|m| m["id"] == "training_courses.cancelled")
            .unwrap();
        for column in &COLUMNS[..6] {
            m["term_figures"][*column]["value"] = Value::Null;
            m["term_figures"][*column]["status"] = "not_collected".into();
        }
        m["value"] = Value::Null;
        m["status"] = "not_collected".into();
        std::fs::write(file, serde_json::to_vec(&doc).unwrap()).unwrap();
    }
    let html = dir.path().join("county.html");
    assert!(combine(&files, &["--out", html.to_str().unwrap()]).status.success());
    let page = std::fs::read_to_string(&html).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let count = |css: &str| doc.select(&scraper::Selector::parse(css).unwrap()).count();
    assert_eq!(count("td[data-district][data-id=\"training_courses.cancelled\"]"), 0);
    assert_eq!(count("td[data-district][data-id=\"training_courses.total\"]"), 7 * 12);
    let named = page.split("Measures no district gave a figure for").nth(1).unwrap();
    assert!(named[..named.find("</p>").unwrap()].contains("Training courses cancelled"), "{named}");
}

/// A cell of the county's JSON as published: a number, `c`, or nothing a reader can use.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Num(f64),
    C,
    Unknown,
}

fn shown(v: &Value) -> Shown {
    match v {
        Value::String(s) if s == "c" => Shown::C,
        Value::Number(n) => Shown::Num(n.as_f64().unwrap()),
        _ => Shown::Unknown,
    }
}

#[test]
fn a_published_county_copy_has_no_hidden_cell_that_can_be_worked_out() {
    let dir = tempfile::tempdir().unwrap();
    let files = twelve(dir.path());
    let out = combine(&files, &["--suppress-below", "5"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<String> =
        doc["districts"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect();
    // Each column set (the county's, each district's) as the relations name its cells: the
    // year's column is "".
    let column = |c: &str| if c == "year" { String::new() } else { c.to_string() };
    let mut county: BTreeMap<(String, String), Shown> = BTreeMap::new();
    let mut districts: Vec<BTreeMap<(String, String), Shown>> = vec![BTreeMap::new(); names.len()];
    let mut counts = Vec::new();
    let mut leaks = Vec::new();
    let mut spread_guarded = 0;
    for m in doc["measures"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap().to_string();
        let unit = m["unit"].as_str().unwrap();
        if unit == "count" {
            counts.push(id.clone());
        }
        for c in COLUMNS {
            let f = &m["county"][c];
            if unit == "count" {
                county.insert((id.clone(), column(c)), shown(&f["value"]));
            } else if unit == "percent" || unit == "average" {
                let (value, num, den) =
                    (shown(&f["value"]), shown(&f["numerator"]), shown(&f["denominator"]));
                if matches!(value, Shown::Num(_)) && (num == Shown::C || den == Shown::C) {
                    leaks.push(format!("county {id} {c}: shown while a part of it is hidden"));
                }
                // The mean of the districts and the others shown would give a hidden one back;
                // the lowest and highest would name it.
                if names.iter().any(|n| shown(&m["districts"][n][c]) == Shown::C) {
                    spread_guarded += 1;
                    for key in ["mean_of_districts", "min", "max"] {
                        if !f[key].is_null() {
                            leaks.push(format!("county {id} {c}: {key} shown beside a hidden district"));
                        }
                    }
                }
            }
            for (d, name) in names.iter().enumerate() {
                let v = &m["districts"][name][c];
                // A district lists referrals by need only where it had some: the rest are zeros.
                let s = match shown(v) {
                    Shown::Unknown if v.is_null() && id.starts_with("referrals_by_need.") => Shown::Num(0.0),
                    s => s,
                };
                if unit == "count" {
                    districts[d].insert((id.clone(), column(c)), s);
                }
            }
        }
    }
    // Nothing small is shown, and something was hidden (so the checks below check something).
    let all = std::iter::once(&county).chain(&districts);
    let mut hidden = 0;
    for (set, cells) in all.enumerate() {
        for (key, s) in cells {
            match s {
                Shown::Num(x) => assert!(*x == 0.0 || *x >= 5.0, "set {set}: {key:?} is {x}"),
                Shown::C => hidden += 1,
                Shown::Unknown => {}
            }
        }
    }
    assert!(hidden > 100, "{hidden} hidden");
    // Within each column set: the figures that add up.
    let columns: Vec<String> = COLUMNS.iter().map(|c| column(c)).collect();
    for (set, cells) in std::iter::once(&county).chain(&districts).enumerate() {
        for rel in common::relations::relations(&columns, false) {
            let states: Vec<Shown> =
                rel.iter().map(|k| cells.get(k).cloned().unwrap_or(Shown::Unknown)).collect();
            let c = states.iter().filter(|s| **s == Shown::C).count();
            if c == 1 && !states.contains(&Shown::Unknown) {
                leaks.push(format!("set {set}: the only hidden cell of {rel:?}"));
            }
        }
    }
    // Across the districts: the county's count is the sum of the districts' that reported it.
    for id in &counts {
        for c in &columns {
            let key = (id.clone(), c.clone());
            let states: Vec<Shown> = std::iter::once(&county)
                .chain(&districts)
                .map(|cells| cells.get(&key).cloned().unwrap_or(Shown::Unknown))
                .collect();
            let c_count = states.iter().filter(|s| **s == Shown::C).count();
            if c_count == 1 {
                leaks.push(format!("{id} {c}: one hidden cell among the county and its districts"));
            }
        }
    }
    assert!(leaks.is_empty(), "{} ways to work out a hidden cell:\n{}", leaks.len(), leaks.join("\n"));
    assert!(spread_guarded > 10, "{spread_guarded} ratios with a hidden district");

    // The pack and the CSV hide the same cells as the JSON.
    let html = dir.path().join("county.html");
    assert!(combine(&files, &["--suppress-below", "5", "--out", html.to_str().unwrap()]).status.success());
    let page = scraper::Html::parse_document(&std::fs::read_to_string(&html).unwrap());
    let cells = scraper::Selector::parse("td[data-id][data-col]").unwrap();
    let mut compared = 0;
    for td in page.select(&cells) {
        let key = (td.attr("data-id").unwrap().to_string(), column(td.attr("data-col").unwrap()));
        let set = match td.attr("data-district") {
            None => &county,
            Some(name) => &districts[names.iter().position(|n| n == name).unwrap()],
        };
        if let Some(s) = set.get(&key) {
            assert_eq!(td.text().collect::<String>() == "c", *s == Shown::C, "{key:?} in the pack");
            compared += 1;
        }
    }
    assert!(compared > 1000, "{compared}");
}

/// The checks a return must pass refuse nothing the program itself writes: returns of the
/// hand-worked district and of the file holding every kind of record (manual figures, notes,
/// "not collected", the narrative), in every framework, a year gone and a year in progress.
#[test]
fn every_return_the_program_writes_passes_the_county_checks() {
    let dir = tempfile::tempdir().unwrap();
    let (_kpi_dir, kpi_db) = common::kpi_district();
    let every_db = dir.path().join("every.db");
    for fixture in ["base.jsonl", "every_record.jsonl"] {
        let file = common::fixture(fixture);
        let out = common::run_at(&every_db, &["import", file.to_str().unwrap()], "2024-09-02T09:00:00Z");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let mut checked = 0;
    for db in [&kpi_db, &every_db] {
        for (year, now) in [("2023-24", "2024-09-02T09:00:00Z"), ("2023-24", "2024-02-01T09:00:00Z")] {
            for framework in ["2022-23", "2023-24", "all"] {
                let file = dir.path().join(format!("r-{checked}.json"));
                let args =
                    ["export", "--year", year, "--framework", framework, "--out", file.to_str().unwrap()];
                let out = common::run_at(db, &args, now);
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                let out = combine(
                    std::slice::from_ref(&file),
                    &["--out", dir.path().join("c.json").to_str().unwrap()],
                );
                assert!(out.status.success(), "{framework} {now}: {}", String::from_utf8_lossy(&out.stderr));
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 12);
}

/// District 01's figures typed for the county: budgets that do not add up (the county report's
/// £364,850 against an SLA total of £364,800), spending to date that falls, a survey count typed
/// and then marked not collected, and a note on a figure; District 02's budgets agree.
fn typed_figures(n: usize) -> Option<String> {
    // (district, term, manual figure, value)
    const TYPED: [(usize, u32, &str, &str); 12] = [
        (1, 1, "budget.core", "300000"),
        (1, 1, "budget.outreach", "64850"),
        (1, 1, "budget.sla_total", "364800"),
        (1, 1, "spend.to_date", "50000"),
        (1, 2, "spend.to_date", "40000"),
        (1, 2, "survey.responses", "12"),
        (2, 1, "budget.core", "200000"),
        (2, 1, "budget.outreach", "50000"),
        (2, 1, "budget.sla_total", "250000"),
        (2, 1, "spend.to_date", "60000"),
        (2, 2, "spend.to_date", "90000"),
        (2, 1, "survey.responses", "7"),
    ];
    let mut lines: Vec<String> = TYPED
        .iter()
        .filter(|t| t.0 == n)
        .map(|(_, term, id, value)| {
            format!(
                "{{\"type\":\"manual_measure\",\"year\":\"2025-26\",\"term\":{term},\"id\":\"{id}\",\"value\":{value}}}\n"
            )
        })
        .collect();
    if n == 1 {
        lines.push("{\"type\":\"measure_note\",\"year\":\"2025-26\",\"term\":2,\"id\":\"survey.responses\",\"not_collected\":true}\n".into());
        lines.push("{\"type\":\"measure_note\",\"year\":\"2025-26\",\"term\":3,\"id\":\"referrals.primary\",\"note\":\"Two primary schools merged in January.\"}\n".into());
    }
    (!lines.is_empty()).then(|| lines.concat())
}

fn measure_of<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["measures"].as_array().unwrap().iter().find(|m| m["id"] == id).unwrap()
}

/// Three of the county's four districts send a return: every format says "3 of 4" and names the
/// one missing; District 01's note travels beside its figure; its budgets that do not add up are
/// a warning in every output, named with the difference; its survey figure marked not collected
/// is not reporting, in the year too.
#[test]
fn a_missing_district_notes_budget_warnings_and_figures_not_collected_reach_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let files = districts(dir.path(), 3, typed_figures);
    let list = dir.path().join("districts.txt");
    std::fs::write(&list, "# Our county\nDistrict 01\nDistrict 02\n\nDistrict 03\nDistrict 04\n").unwrap();
    let expect = ["--expect", list.to_str().unwrap()];
    let out = combine(&files, &expect);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let county: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sent: Vec<Value> = files.iter().map(|f| read(f)).collect();

    // Who sent a return.
    assert_eq!(county["missing"], serde_json::json!(["District 04"]));
    let coverage = county["coverage"].as_str().unwrap();
    assert!(coverage.contains("3 of 4 districts") && coverage.contains("District 04"), "{coverage}");
    assert!(stderr.contains("3 of 4 districts"), "{stderr}");
    assert_eq!(measure_of(&county, "caseload.school")["county"]["year"]["reporting"], 3);

    // The budget warnings: District 01's two, with the differences; none for District 02.
    let warnings: Vec<&str> =
        county["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].starts_with("District 01:") && warnings[0].contains("SLA total"), "{warnings:?}");
    assert!(warnings[0].contains("in T1 (") && warnings[0].contains("£50.00 more"), "{warnings:?}");
    assert!(warnings[1].contains("spending to date falls") && warnings[1].contains("£10,000.00 less"));
    assert!(stderr.contains("warning: District 01: the core and outreach budgets"), "{stderr}");
    // The figures are combined as sent: the county's T1 core budget is the files' sum.
    let find =
        |d: &Value, id: &str| d["measures"].as_array().unwrap().iter().find(|m| m["id"] == id).cloned();
    let core: f64 =
        sent.iter().filter_map(|d| find(d, "budget.core")?["term_figures"]["T1"]["value"].as_f64()).sum();
    assert_eq!(core, 500_000.0);
    assert_eq!(measure_of(&county, "budget.core")["county"]["T1"]["value"].as_f64(), Some(core));

    // A figure typed and marked not collected is not reporting, in its term and in the year.
    let survey = measure_of(&county, "survey.responses");
    assert_eq!(survey["districts"]["District 01"]["T2"], "not collected");
    let own = measure_of(&sent[0], "survey.responses");
    assert!(own["value"].is_null(), "District 01's year counts the figure not collected: {own}");
    let year_want: f64 = sent.iter().filter_map(|d| find(d, "survey.responses")?["value"].as_f64()).sum();
    assert_eq!(survey["county"]["year"]["value"].as_f64(), Some(year_want));
    assert_eq!(survey["county"]["year"]["reporting"], 1);
    assert_eq!(survey["county"]["T2"]["reporting"], 0);

    // District 01's note, beside its figure.
    let note = "Two primary schools merged in January.";
    let referrals = measure_of(&county, "referrals.primary");
    assert_eq!(referrals["notes"]["District 01"]["T3"], note);
    assert!(referrals["notes"].get("District 02").is_none());

    // CSV: the same sentences before the header, the note on its row.
    let out = combine(&files, &[&expect[..], &["--format", "csv"]].concat());
    let text = String::from_utf8(out.stdout).unwrap();
    let (preamble, table) = text.split_once("\nacademic_year,").unwrap();
    let lines: Vec<&str> = preamble.lines().collect();
    assert!(lines[0].contains("3 of 4 districts") && lines[0].contains("District 04"), "{preamble}");
    assert_eq!(lines.iter().filter(|l| l.contains("Warning: District 01")).count(), 2, "{preamble}");
    let table = format!("academic_year,{table}");
    let mut noted = 0;
    for row in csv::Reader::from_reader(table.as_bytes()).records() {
        let row = row.unwrap();
        if (&row[2], &row[4], &row[7]) == ("District 01", "referrals.primary", "T3") {
            assert_eq!(&row[12], note);
            noted += 1;
        } else if (&row[2], &row[4], &row[7]) == ("District 01", "referrals.primary", "year") {
            // The year's note names the term's, as the district's return has it.
            assert_eq!(row[12], format!("T3: {note}"));
        } else if row[2] != *"County" {
            assert!(row[12].is_empty() || row[4] == *"survey.responses", "{row:?}");
        }
        assert_ne!(&row[2], "District 04", "a district that sent nothing has no figures");
    }
    assert_eq!(noted, 1);

    // The workbook: the sentences on every sheet, the missing district's row in each table, the
    // note beside District 01's figures.
    let xlsx = dir.path().join("county.xlsx");
    assert!(combine(&files, &[&expect[..], &["--out", xlsx.to_str().unwrap()]].concat()).status.success());
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let strings = |book: &mut Xlsx<_>, sheet: &str| -> Vec<Vec<String>> {
        let range = book.worksheet_range(sheet).unwrap();
        range
            .rows()
            .map(|r| {
                r.iter().map(|c| if let Data::String(s) = c { s.clone() } else { String::new() }).collect()
            })
            .collect()
    };
    for sheet in book.sheet_names() {
        let rows = strings(&mut book, &sheet);
        let top: Vec<&String> = rows.iter().take(8).filter_map(|r| r.first()).collect();
        assert!(
            top.iter().any(|t| t.contains("3 of 4 districts") && t.contains("District 04")),
            "{sheet}: {top:?}"
        );
        assert!(top.iter().any(|t| t.starts_with("Warning: District 01")), "{sheet}: {top:?}");
    }
    let rows = strings(&mut book, "Referrals");
    let missing: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "District 04").collect();
    assert!(!missing.is_empty() && missing.iter().all(|r| r[8] == "no return"), "{missing:?}");
    let at = rows.iter().position(|r| r[0] == "Referrals received: primary").unwrap();
    let row = rows[at..].iter().find(|r| r[0] == "District 01").unwrap();
    assert_eq!(row[8], format!("T3: {note}"));

    // The pack: the sentences in the title block, the missing district's row, the note.
    let html = dir.path().join("county.html");
    assert!(combine(&files, &[&expect[..], &["--out", html.to_str().unwrap()]].concat()).status.success());
    let page = std::fs::read_to_string(&html).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let text_of = |css: &str| -> Vec<String> {
        doc.select(&scraper::Selector::parse(css).unwrap()).map(|e| e.text().collect::<String>()).collect()
    };
    let title = text_of("header.title").concat();
    assert!(title.contains("3 of 4 districts") && title.contains("District 04"), "{title}");
    assert!(title.contains("£50.00 more") && title.contains("to 2026-08-31"), "{title}");
    let tables = text_of("section.figures table").len();
    let missing = text_of("tr.missing");
    assert_eq!(missing.len(), tables);
    assert!(missing.iter().all(|t| t.contains("District 04") && t.contains("no return")));
    let noted = |id: &str| text_of(&format!("td.note[data-district=\"District 01\"][data-id=\"{id}\"]"));
    assert_eq!(noted("referrals.primary"), [format!("T3: {note}")]);
    assert_eq!(noted("survey.responses"), ["Not collected in T2."]);
    assert!(text_of("td.note[data-district=\"District 02\"]").iter().all(String::is_empty));
    assert!(text_of("figcaption").iter().all(|c| c.contains("of 4 districts reporting")));

    // Without the list, every format says it was not given.
    let out = combine(&files, &[]);
    let county: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(county["expected"].is_null());
    assert!(county["coverage"].as_str().unwrap().contains("was not given (--expect)"));
}
