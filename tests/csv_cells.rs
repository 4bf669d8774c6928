//! CSV cells that spreadsheets would run as formulas (quality.md, "Added 2"): every CSV the
//! program writes (the return's, the county's) writes a cell beginning with `=`, `+`, `-`, `@`,
//! a tab or a carriage return with a `'` before it, so it is shown as text; a number (a fall of
//! -250.5) stays a number. Through the real binary, read back with a CSV reader.

mod common;

use common::run_at;
use std::path::Path;

const NOW: &str = "2024-09-02T09:00:00Z";

/// Narratives that a spreadsheet would run, by heading.
const NARRATIVES: [(&str, &str); 6] = [
    ("narrative.staffing", "=cmd|' /C calc'!A0"),
    ("narrative.transition", "+1 more setting than last term"),
    ("narrative.innovation", "@SUM(A1:A2)"),
    ("narrative.anomalies", "\tindented by a tab"),
    ("narrative.challenges", "\r=1+1"),
    ("narrative.process_changes", "-2 posts, =HYPERLINK(\"x\")"),
];
const NOTE: &str = "- two posts vacant";

fn district() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = common::kpi_district();
    let mut records: Vec<serde_json::Value> = NARRATIVES
        .iter()
        .map(|(id, text)| {
            serde_json::json!({"type":"manual_measure","year":"2023-24","term":3,"id":id,"value":text})
        })
        .collect();
    records.push(serde_json::json!({"type":"manual_measure","year":"2023-24","term":3,
                                    "id":"budget.other_income","value":-250.5}));
    records.push(serde_json::json!({"type":"measure_note","year":"2023-24","term":3,
                                    "id":"referrals.primary","note":NOTE}));
    let file = dir.path().join("formulas.jsonl");
    let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = run_at(&db, &["import", file.to_str().unwrap()], NOW);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

fn rows(csv: &[u8]) -> Vec<Vec<String>> {
    // Flexible: the county's CSV opens with sentences of one cell before its header.
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

fn plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all(whole) && all(fraction)
}

/// No cell a spreadsheet would run, every text written as text, and the negative figure a number.
fn assert_safe(what: &str, rows: &[Vec<String>], id_column: usize) {
    let mut narratives = 0;
    let mut negative = 0;
    for row in rows {
        for cell in row {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                assert!(plain_number(cell), "{what}: a spreadsheet would run {cell:?} in {row:?}");
            }
        }
        let id = row[id_column].as_str();
        if let Some((_, text)) = NARRATIVES.iter().find(|(n, _)| *n == id)
            && row.iter().any(|c| *c == format!("'{text}"))
        {
            narratives += 1;
        }
        if id == "budget.other_income" && row.iter().any(|c| c == "-250.5") {
            negative += 1;
        }
    }
    assert!(narratives >= NARRATIVES.len(), "{what}: every narrative is there, as text ({narratives})");
    assert!(negative >= 1, "{what}: the negative figure is written as a number");
}

fn export(db: &Path, args: &[&str]) -> Vec<u8> {
    let out = run_at(db, args, NOW);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn the_returns_csv_writes_formulas_as_text_and_numbers_as_numbers() {
    let (_dir, db) = district();
    let term = rows(&export(&db, &["export", "--year", "2023-24", "--term", "3", "--format", "csv"]));
    let header = &term[0];
    let id = header.iter().position(|h| h == "id").unwrap();
    let note = header.iter().position(|h| h == "note").unwrap();
    assert_safe("the term's return", &term, id);
    let primary = term.iter().find(|r| r[id] == "referrals.primary").unwrap();
    assert_eq!(primary[note], format!("'{NOTE}"));

    let year = rows(&export(&db, &["export", "--year", "2023-24", "--format", "csv"]));
    assert_safe("the year's return", &year, id);
    let monitoring =
        rows(&export(&db, &["export", "--year", "2023-24", "--terms", "3-4", "--format", "csv"]));
    assert_safe("the monitoring period's return", &monitoring, id);
}

#[test]
fn the_countys_csv_writes_formulas_as_text_and_numbers_as_numbers() {
    let (dir, db) = district();
    let json = dir.path().join("testshire.json");
    export(&db, &["export", "--year", "2023-24", "--out", json.to_str().unwrap()]);
    let county = rows(&export(&db, &["county", "--format", "csv", json.to_str().unwrap()]));
    // Who sent a return and the days covered, a sentence a line, then the header.
    let header = county.iter().position(|r| r.len() > 1).unwrap();
    assert!(header >= 2 && county[..header].iter().all(|r| r.len() == 1), "{:?}", &county[..header]);
    let county = &county[header..];
    let id = county[0].iter().position(|h| h == "id").unwrap();
    let note = county[0].iter().position(|h| h == "note").unwrap();
    assert_safe("the county's CSV", county, id);
    // The district's note goes out beside its figure, as text.
    let primary =
        county.iter().find(|r| r[id] == "referrals.primary" && r[2] != "County" && r[7] == "T3").unwrap();
    assert_eq!(primary[note], format!("'{NOTE}"));
    let district_total = county
        .iter()
        .find(|r| r[id] == "budget.other_income" && r[2] == "County" && r.contains(&"T3".to_string()))
        .unwrap();
    assert!(district_total.contains(&"-250.5".to_string()), "{district_total:?}");
}
