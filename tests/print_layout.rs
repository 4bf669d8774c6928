//! Packs as people read and print them, checked in headless Chromium (tests/common/browser.rs):
//! every kind of pack (a term, two terms, the year, the county) of a generated district, at A4
//! width and in a wide window, has no text running out of its box or into a neighbour, nothing
//! wider than the page and every cell under its header; printed to PDF, each has a sane number
//! of pages. Skipped, saying so, where Chromium is not installed (failed under `CASELOAD_CI=1`).

mod common;

use common::binary;
use common::browser::{self, A4_WIDTH, WIDE};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A day inside 2026-27's second term: the year before (2025-26) is whole, and the one before
/// that (2024-25) gives it a previous year to be compared with.
const NOW: &str = "2026-12-01T10:00:00Z";

fn run(args: &[&str]) -> Output {
    Command::new(binary()).args(args).env("CASELOAD_NOW", NOW).output().unwrap()
}

fn ok(out: &Output, what: &str) {
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A generated district of three years, as `caseload demo` makes one.
fn district(dir: &Path, seed: u32) -> PathBuf {
    let db = dir.join(format!("d{seed}.db"));
    let name = format!("District {seed:02}");
    let out = run(&[
        "--db",
        db.to_str().unwrap(),
        "demo",
        "--children",
        "400",
        "--years",
        "3",
        "--seed",
        &seed.to_string(),
        "--district",
        &name,
    ]);
    ok(&out, "demo");
    db
}

/// What makes a table wide and a figure long: money in every term of both years (whole pounds
/// and pence, large), a note of many words with a long unbroken one, a figure not collected.
fn money_and_notes(db: &Path, dir: &Path) {
    let mut lines = Vec::new();
    for year in ["2024-25", "2025-26"] {
        for term in 1..=6 {
            for (id, value) in [("budget.core", "95120"), ("spend.direct_staffing", "1295120.5")] {
                lines.push(format!(
                    r#"{{"type":"manual_measure","year":"{year}","term":{term},"id":"{id}","value":{value}}}"#
                ));
            }
        }
        lines.push(format!(
            r#"{{"type":"measure_note","year":"{year}","term":3,"id":"referrals.primary","note":"Two schools joined the panel in the spring; see the minutes of the partnership board (reference PARTNERSHIPBOARDMINUTES2025SPRINGTERMITEMSEVEN) for the terms agreed."}}"#
        ));
        lines.push(format!(
            r#"{{"type":"measure_note","year":"{year}","term":4,"id":"clinics.school","not_collected":true}}"#
        ));
    }
    let file = dir.join("money.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    ok(&run(&["--db", db.to_str().unwrap(), "import", file.to_str().unwrap()]), "import");
}

/// The pack of a period of 2025-26 (`--term 3`, `--terms 3-4`, or the year).
fn pack(db: &Path, dir: &Path, year: &str, period: &[&str], name: &str) -> PathBuf {
    let path = dir.join(name);
    let mut args = vec!["--db", db.to_str().unwrap(), "report", "--year", year];
    args.extend(period);
    args.extend(["--out", path.to_str().unwrap()]);
    ok(&run(&args), name);
    path
}

/// The county pack of three districts' 2025-26 returns.
fn county_pack(dir: &Path, dbs: &[PathBuf]) -> PathBuf {
    let mut files = Vec::new();
    for (i, db) in dbs.iter().enumerate() {
        let file = dir.join(format!("return-{i}.json"));
        // The whole year with every measure, as the county asks the districts for it.
        let mut args = vec!["--db", db.to_str().unwrap(), "export", "--year", "2025-26"];
        args.extend(["--framework", "all", "--out", file.to_str().unwrap()]);
        ok(&run(&args), "export");
        files.push(file.to_str().unwrap().to_string());
    }
    let path = dir.join("county.html");
    let mut args: Vec<&str> = vec!["county"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "html", "--out", path.to_str().unwrap()]);
    ok(&run(&args), "county");
    path
}

/// The width of an A4 page's text when printed (210 mm less the pack's 12 mm margins, at 96 dots
/// an inch): the browser lays the page out at about this width for print.
const PRINTED: u32 = 703;

/// What a printed pack may take. Each part (title and narrative, figures, charts, definitions)
/// starts a page, so at least four. A table row is at most three lines of small type, so at
/// least 20 rows fit a page; a chart is under a third of a page: more than 4 + rows / 20 +
/// charts / 3 pages means rows or charts are being given pages of their own. Fewer than rows /
/// 60 means rows were cut off or squeezed past reading.
fn page_bounds(html: &str) -> (usize, usize) {
    let rows = html.matches("<tr").count();
    let charts = html.matches("<svg").count();
    (4.max(rows / 60), 4 + rows.div_ceil(20) + charts.div_ceil(3))
}

#[test]
fn every_kind_of_pack_reads_at_a4_width_and_in_a_wide_window_and_prints_on_sane_pages() {
    let Some(chromium) = browser::chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let dbs: Vec<PathBuf> = (1..=3).map(|s| district(dir.path(), s)).collect();
    money_and_notes(&dbs[0], dir.path());
    let packs = [
        pack(&dbs[0], dir.path(), "2025-26", &["--term", "3"], "term.html"),
        pack(&dbs[0], dir.path(), "2025-26", &["--terms", "3-4"], "two-terms.html"),
        pack(&dbs[0], dir.path(), "2025-26", &[], "year.html"),
        pack(&dbs[0], dir.path(), "2026-27", &["--terms", "1-2"], "in-progress.html"),
        county_pack(dir.path(), &dbs),
    ];
    let mut report = Vec::new();
    for p in &packs {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        for width in [A4_WIDTH, PRINTED, WIDE] {
            let found = browser::layout_problems(&chromium, p, width);
            eprintln!("{name} at {width} px: {} problems", found.len());
            for f in found.iter().take(8) {
                eprintln!("    {f}");
            }
            if !found.is_empty() {
                report.push(format!("{name} at {width} px: {} problems, first: {}", found.len(), found[0]));
            }
        }
        let html = std::fs::read_to_string(p).unwrap();
        let pages = browser::pdf_pages(&browser::print_to_pdf(&chromium, p));
        let (least, most) = page_bounds(&html);
        eprintln!("{name}: {pages} printed pages (sane: {least} to {most})");
        if !(least..=most).contains(&pages) {
            report.push(format!("{name}: printed on {pages} pages, not {least} to {most}"));
        }
    }
    assert!(report.is_empty(), "layout problems:\n{}", report.join("\n"));

    // Money with its pound sign in every section, whole pounds or not; the change too.
    let year = std::fs::read_to_string(&packs[2]).unwrap();
    assert!(year.contains(">£95,120.00<"), "a budget in whole pounds shows £ and pence");
    assert!(year.contains(">£1,295,120.50<"), "spending shows £ and pence");
    assert!(!year.contains(">95,120<"), "no budget without its unit");
}

/// The checker itself: a page built to go wrong in each way is caught, and the same page built
/// right is not (so a pack passing means something).
#[test]
fn the_browser_check_finds_what_it_looks_for_and_nothing_else() {
    let Some(chromium) = browser::chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = |body: &str| -> PathBuf {
        let path = dir.path().join(format!("p{}.html", body.len()));
        let html = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>\
             body {{ margin: 0 auto; max-width: 190mm; font: 10pt Arial; }} \
             table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }} \
             td {{ white-space: nowrap; }}</style></head><body>{body}</body></html>"
        );
        std::fs::write(&path, html).unwrap();
        path
    };
    let bad = page(
        "<table><thead><tr><th>Measure</th><th>A</th><th>B</th></tr></thead><tbody>\
         <tr><td>Referrals</td><td>£95,120.50£95,120.50£95,120.50£95,120.50</td><td>1</td></tr>\
         <tr><td>Short row</td><td>2</td></tr></tbody></table>\
         <svg width=\"1400\" height=\"40\"></svg>",
    );
    let found = browser::layout_problems(&chromium, &bad, A4_WIDTH);
    let has = |words: &str| found.iter().any(|f| f.contains(words));
    assert!(has("text overflows its box") && has("£95,120.50"), "{found:#?}");
    assert!(has("a row has 2 columns under 3 headers"), "{found:#?}");
    assert!(has("wider than the page") && has("svg"), "{found:#?}");
    let good = page(
        "<table><thead><tr><th>Measure</th><th>A</th><th>B</th></tr></thead><tbody>\
         <tr><td>Referrals</td><td>£95,120.50</td><td>1</td></tr></tbody></table>\
         <svg viewBox=\"0 0 1400 40\" style=\"width: 100%\"></svg>",
    );
    assert_eq!(browser::layout_problems(&chromium, &good, A4_WIDTH), Vec::<String>::new());
    assert_eq!(browser::layout_problems(&chromium, &good, WIDE), Vec::<String>::new());
    // Printed: one short page.
    assert_eq!(browser::pdf_pages(&browser::print_to_pdf(&chromium, &good)), 1);
}
