//! `caseload export`: layouts (golden files), the workbook read back, suppression, bad input.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::run_at;
use std::path::{Path, PathBuf};
use std::process::Output;

/// After the hand-worked district's year (2023-24): every record is in the past, every term over.
const NOW: &str = "2024-09-02T09:00:00Z";

/// A database holding the hand-worked KPI district.
fn district() -> (tempfile::TempDir, PathBuf) {
    common::kpi_district()
}

fn run(db: &Path, args: &[&str]) -> Output {
    run_at(db, args, NOW)
}

fn stdout_of(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn term_json_layout_is_stable() {
    let (_dir, db) = district();
    insta::assert_snapshot!("term_json", stdout_of(&db, &["export", "--year", "2023-24", "--term", "3"]));
}

#[test]
fn term_csv_layout_is_stable() {
    let (_dir, db) = district();
    let csv = stdout_of(&db, &["export", "--year", "2023-24", "--term", "3", "--format", "csv"]);
    insta::assert_snapshot!("term_csv", without_bom(&csv));
}

#[test]
fn year_csv_layout_has_six_terms_and_the_year() {
    let (_dir, db) = district();
    let csv = stdout_of(&db, &["export", "--year", "2023-24", "--format", "csv", "--framework", "2022-23"]);
    let csv = without_bom(&csv);
    let header = "district,academic_year,period,framework,section,id,label,unit,T1,T2,T3,T4,T5,T6,year,numerator,\
                  denominator,target,target_by,target_status,note,definition\n";
    assert!(csv.starts_with(header), "{csv}");
    insta::assert_snapshot!("year_csv_2022_23", csv);
}

#[test]
fn the_framework_follows_the_year_unless_named() {
    let (_dir, db) = district();
    let ids = |args: &[&str]| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&stdout_of(&db, args)).unwrap();
        assert!(v["framework"].is_string());
        v["measures"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect()
    };
    let new = ids(&["export", "--year", "2023-24", "--term", "3"]);
    assert!(new.contains(&"settings_supported_pct.primary".to_string()));
    assert!(!new.contains(&"outreach_cases".to_string()));
    let old = ids(&["export", "--year", "2023-24", "--term", "3", "--framework", "2022-23"]);
    assert!(old.contains(&"outreach_cases".to_string()));
    assert!(!old.contains(&"settings_supported_pct.primary".to_string()));
    let earlier = ids(&["export", "--year", "2022-23", "--term", "1"]);
    assert!(earlier.contains(&"visits.semh".to_string()), "2022-23 uses its own framework");
    // Each id once, in the framework's order.
    let mut unique = new.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), new.len());
}

#[test]
fn the_workbook_stores_numbers_as_numbers_and_percentages_as_fractions() {
    let (dir, db) = district();
    let path = dir.path().join("return.xlsx");
    let out = run(&db, &["export", "--year", "2023-24", "--out", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["Return", "Year view", "Referrals by need", "Definitions"]);

    // The JSON of the same return says what each figure must be.
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&db, &["export", "--year", "2023-24"])).unwrap();
    let expected = |id: &str| -> serde_json::Value {
        json["measures"].as_array().unwrap().iter().find(|m| m["id"] == id).unwrap()["value"].clone()
    };
    let sheet = book.worksheet_range("Return").unwrap();
    let mut checked = 0;
    for row in sheet.rows() {
        let Some(Data::String(id)) = row.get(4) else { continue };
        if id == "Measure id" {
            continue;
        }
        let want = expected(id);
        match (&row[1], want.as_f64()) {
            (Data::Float(got), Some(want)) => {
                let unit =
                    json["measures"].as_array().unwrap().iter().find(|m| m["id"] == *id).unwrap()["unit"]
                        .clone();
                let want = if unit == "percent" { want / 100.0 } else { want };
                assert!((got - want).abs() < 1e-9, "{id}: {got} != {want}");
                checked += 1;
            }
            (Data::Empty, None) => {}
            (got, want) => panic!("{id}: cell {got:?}, expected {want:?}"),
        }
    }
    assert!(checked > 50, "only {checked} figures checked");

    let year = book.worksheet_range("Year view").unwrap();
    let header: Vec<String> = year
        .rows()
        .find(|r| r.first() == Some(&Data::String("Measure".into())))
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, ["Measure", "T1", "T2", "T3", "T4", "T5", "T6", "Year 2023-24"]);

    let need = book.worksheet_range("Referrals by need").unwrap();
    let totals: f64 = need
        .rows()
        .filter_map(|r| match r.get(4) {
            Some(Data::Float(x)) => Some(*x),
            _ => None,
        })
        .sum();
    let referrals: f64 = ["early_years", "primary", "secondary", "post16"]
        .iter()
        .map(|p| expected(&format!("referrals.{p}")).as_f64().unwrap())
        .sum();
    assert_eq!(totals, referrals, "the need table accounts for every referral of the year");
}

#[test]
fn suppression_hides_small_counts_and_what_is_built_on_them() {
    let (_dir, db) = district();
    let plain: serde_json::Value = serde_json::from_str(&stdout_of(
        &db,
        &["export", "--year", "2023-24", "--term", "3", "--framework", "all"],
    ))
    .unwrap();
    let published: serde_json::Value = serde_json::from_str(&stdout_of(
        &db,
        &["export", "--year", "2023-24", "--term", "3", "--framework", "all", "--suppress-below", "5"],
    ))
    .unwrap();
    assert_eq!(published["suppressed_below"], 5);
    let (plain, published) =
        (plain["measures"].as_array().unwrap(), published["measures"].as_array().unwrap());
    let mut hidden = 0;
    for (a, b) in plain.iter().zip(published) {
        assert_eq!(a["id"], b["id"]);
        let small = |v: &serde_json::Value| v.as_i64().is_some_and(|n| (1..5).contains(&n));
        if a["unit"] == "count" && small(&a["value"]) {
            assert_eq!(b["value"], "c", "{}", a["id"]);
            hidden += 1;
        } else if (a["unit"] == "percent" || a["unit"] == "average")
            && (small(&a["numerator"]) || small(&a["denominator"]))
        {
            // The figure is hidden, and so is each small part; a part shown is not small.
            assert_eq!(b["value"], "c", "{}", a["id"]);
            for part in ["numerator", "denominator"] {
                if small(&a[part]) {
                    assert_eq!(b[part], "c", "{} {part}", a["id"]);
                } else {
                    assert!(b[part] == "c" || b[part] == a[part], "{} {part}", a["id"]);
                }
            }
        } else {
            assert_eq!(a["value"], b["value"], "{}", a["id"]);
        }
    }
    assert!(hidden > 5, "the fixture has small counts to hide");
}

#[test]
fn a_year_with_no_data_is_a_return_of_zeros() {
    let (_dir, db) = district();
    // Before the district's first record (a later year would still have the open cases).
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&db, &["export", "--year", "2015-16", "--term", "2"])).unwrap();
    assert_eq!(v["period"]["label"], "2015-16 T2");
    for m in v["measures"].as_array().unwrap() {
        match m["unit"].as_str().unwrap() {
            "count" => assert_eq!(m["value"], 0, "{}", m["id"]),
            "fte" => assert_eq!(m["value"], 0.0, "{}", m["id"]),
            "percent" | "average" => assert!(m["value"].is_null() || m["value"] == 0.0, "{}", m["id"]),
            _ => {}
        }
    }
}

#[test]
fn bad_requests_exit_2_with_a_clear_message_and_no_file() {
    let (dir, db) = district();
    let cases: [(&[&str], &str); 8] = [
        (&["export", "--year", "2023/24"], "is not an academic year"),
        (&["export", "--year", "2023-25"], "is not an academic year"),
        (&["export", "--year", "2023-24", "--term", "7"], "is not a term"),
        (&["export", "--year", "2023-24", "--framework", "2019"], "choose one of: 2022-23, 2023-24, all"),
        (&["export", "--year", "2023-24", "--format", "pdf"], "possible values: json, csv, xlsx"),
        (&["export", "--year", "2024-25", "--term", "2"], "2024-25 T2 starts on 2024-11-04"),
        (&["export", "--year", "2030-31"], "2030-31 starts on 2030-09-01"),
        (
            &["export", "--year", "2023-24", "--out", "/no/such/folder/r.csv"],
            "cannot write /no/such/folder/r.csv",
        ),
    ];
    for (args, message) in cases {
        let out = run(&db, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let unknown = dir.path().join("r.pdf");
    let out = run(&db, &["export", "--year", "2023-24", "--out", unknown.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!unknown.exists());
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("k.db"))
        .collect();
    assert!(left.is_empty(), "no partial files: {left:?}");
}

#[test]
fn an_export_file_is_owner_only_and_replaced_whole() {
    let (dir, db) = district();
    let path = dir.path().join("r.csv");
    // A file caseload did not write is replaced only when asked (tests/outputs.rs).
    std::fs::write(&path, "old contents").unwrap();
    let out =
        run(&db, &["export", "--year", "2023-24", "--term", "3", "--out", path.to_str().unwrap(), "--force"]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&path).unwrap();
    let text = without_bom(&text);
    let header = "district,academic_year,period,framework,section,id,label,unit,value,numerator,denominator,target,target_by,\
                  target_status,note,\
                  definition\n";
    assert!(text.starts_with(header), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn a_period_in_progress_is_to_date_and_terms_ahead_have_no_figures() {
    let (_dir, db) = district();
    // 1 March 2024: T4 (from 19 February) is in progress; T5 and T6 have not started.
    let on = "2024-03-01T09:00:00Z";
    let out = run_at(&db, &["export", "--year", "2023-24", "--term", "4"], on);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let term: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(term["provisional"], true);
    assert_eq!(term["period"]["start"], "2024-02-19");
    assert_eq!(term["period"]["end"], "2024-03-01", "a term in progress runs to today");
    let out = run_at(&db, &["export", "--year", "2023-24", "--term", "3"], on);
    let over: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(over["provisional"], false);
    assert_eq!(over["period"]["end"], "2024-02-18");

    let out = run_at(&db, &["export", "--year", "2023-24", "--term", "5"], on);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2023-24 T5 starts on 2024-04-15"));
    assert!(out.stdout.is_empty());

    let out = run_at(&db, &["export", "--year", "2023-24"], on);
    let year: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(year["provisional"], true);
    assert_eq!(year["period"]["end"], "2024-03-01");
    let to_date =
        |id: &str| year["measures"].as_array().unwrap().iter().find(|m| m["id"] == id).unwrap().clone();
    let opened = to_date("cases_opened");
    for t in ["T5", "T6"] {
        assert!(opened["terms"][t].is_null(), "{t} has not started: no figure, not a copy of today's");
    }
    for t in ["T1", "T2", "T3", "T4"] {
        assert!(opened["terms"][t].is_i64(), "{t}: {}", opened["terms"][t]);
    }
    // The term in progress is the term export's figure to date; the year counts only what has happened.
    let t4 = term["measures"].as_array().unwrap().iter().find(|m| m["id"] == "caseload.school").unwrap();
    assert_eq!(to_date("caseload.school")["terms"]["T4"], t4["value"]);
    let whole: serde_json::Value =
        serde_json::from_slice(&run(&db, &["export", "--year", "2023-24"]).stdout).unwrap();
    let whole_opened =
        whole["measures"].as_array().unwrap().iter().find(|m| m["id"] == "cases_opened").unwrap();
    assert!(
        opened["value"].as_i64() < whole_opened["value"].as_i64(),
        "cases opened after 1 March are not counted"
    );

    let csv = String::from_utf8(run_at(&db, &["export", "--year", "2023-24", "--format", "csv"], on).stdout)
        .unwrap();
    let row = csv.lines().find(|l| l.contains(",cases_opened,")).unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(&cells[12..14], ["", ""], "T5 and T6 empty in CSV: {row}");
}

#[test]
fn a_monitoring_period_has_its_two_terms_figures_and_its_own() {
    let (_dir, db) = district();
    let json = |args: &[&str]| -> serde_json::Value { serde_json::from_str(&stdout_of(&db, args)).unwrap() };
    let period = json(&["export", "--year", "2023-24", "--terms", "3-4"]);
    assert_eq!(period["period"]["label"], "2023-24 T3-T4");
    assert_eq!(period["period"]["start"], "2024-01-03");
    assert_eq!(period["period"]["end"], "2024-04-14");
    let terms = [
        json(&["export", "--year", "2023-24", "--term", "3"]),
        json(&["export", "--year", "2023-24", "--term", "4"]),
    ];
    let by_id = |doc: &serde_json::Value| -> std::collections::BTreeMap<String, serde_json::Value> {
        doc["measures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["id"].as_str().unwrap().to_string(), m.clone()))
            .collect()
    };
    let (whole, t3, t4) = (by_id(&period), by_id(&terms[0]), by_id(&terms[1]));
    for (id, m) in &whole {
        for (name, term) in [("T3", &t3), ("T4", &t4)] {
            let Some(single) = term.get(id) else { continue };
            assert_eq!(m["terms"][name], single["value"], "{id} {name}");
            let figure = &m["term_figures"][name];
            assert_eq!(figure["value"], single["value"], "{id} {name}");
            assert_eq!(figure["numerator"], single["numerator"], "{id} {name}");
            assert_eq!(figure["denominator"], single["denominator"], "{id} {name}");
        }
        assert!(m["terms"].as_object().unwrap().keys().eq(["T3", "T4"].iter()), "{id}: {}", m["terms"]);
    }
    // Children are counted once over the two terms: at least either term's, at most both.
    let n = |m: &serde_json::Value| m.as_i64().unwrap();
    let (p, a, b) = (
        n(&whole["caseload.school"]["value"]),
        n(&t3["caseload.school"]["value"]),
        n(&t4["caseload.school"]["value"]),
    );
    assert!(p >= a.max(b) && p <= a + b, "distinct over the period: {p} from {a} and {b}");
    // Events add up: the period's referrals are the two terms'.
    let r =
        |doc: &std::collections::BTreeMap<String, serde_json::Value>| n(&doc["referrals.primary"]["value"]);
    assert_eq!(r(&whole), r(&t3) + r(&t4));
    // The year carries each term's whole figure too.
    let year = json(&["export", "--year", "2023-24"]);
    let active = year["measures"].as_array().unwrap().iter().find(|m| m["id"] == "active.school").unwrap();
    assert_eq!(active["term_figures"].as_object().unwrap().len(), 6);
    // CSV: the two terms and the period.
    let csv = stdout_of(&db, &["export", "--year", "2023-24", "--terms", "3-4", "--format", "csv"]);
    let csv = without_bom(&csv);
    let header = "district,academic_year,period,framework,section,id,label,unit,T3,T4,value,numerator,\
                  denominator,target,target_by,target_status,note,definition\n";
    assert!(csv.starts_with(header), "{csv}");
    // Asked wrongly: refused.
    for (args, says) in [
        (vec!["export", "--year", "2023-24", "--terms", "2-3"], "is not a monitoring period"),
        (vec!["export", "--year", "2023-24", "--term", "3", "--terms", "3-4"], "cannot be used with"),
    ] {
        let out = run(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A CSV the program wrote, after the byte-order mark it must start with.
fn without_bom(csv: &str) -> &str {
    csv.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("a CSV starts with the byte-order mark: {csv:.80}"))
}

#[test]
fn a_csv_starts_with_the_byte_order_mark_unless_no_bom_is_given() {
    let (dir, db) = district();
    let plain = ["export", "--year", "2023-24", "--term", "3", "--format", "csv"];
    let with = run(&db, &plain).stdout;
    assert!(with.starts_with(b"\xEF\xBB\xBF"), "{:?}", &with[..12]);
    // Excel reads the mark as UTF-8: what follows it is the header, once.
    assert!(with[3..].starts_with(b"district,academic_year,"));
    assert_eq!(with.windows(3).filter(|w| *w == b"\xEF\xBB\xBF").count(), 1);
    // --no-bom after the command or before it (a global option): the same bytes, less the mark.
    let after: Vec<&str> = plain.iter().copied().chain(["--no-bom"]).collect();
    let before: Vec<&str> = ["--no-bom"].iter().copied().chain(plain).collect();
    for args in [after, before] {
        let without = run(&db, &args).stdout;
        assert_eq!(without, with[3..], "{args:?}");
    }
    // Into a file, and the other formats never have one.
    let path = dir.path().join("r.csv");
    assert_eq!(
        run(&db, &["export", "--year", "2023-24", "--out", path.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert!(std::fs::read(&path).unwrap().starts_with(b"\xEF\xBB\xBF"));
    let json = run(&db, &["export", "--year", "2023-24", "--term", "3"]).stdout;
    assert_eq!(json.first(), Some(&b'{'));
    // A CSV reader that knows the mark (as the csv crate does) reads the header's first name plainly.
    let mut reader = csv::Reader::from_reader(&with[..]);
    assert_eq!(reader.headers().unwrap().get(0), Some("district"));
}
