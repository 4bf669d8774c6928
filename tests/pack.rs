//! `caseload report`: the monitoring pack. The HTML is read back with an HTML parser, every
//! figure in it is checked against the JSON export of the same return, and it is searched for
//! anything that would identify a child.

mod common;

use common::fixture;
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

const NOW: &str = "2024-09-02T09:00:00Z";

fn district() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = common::kpi_district();
    // A narrative and a note, so the pack has them to show.
    let more = dir.path().join("more.jsonl");
    std::fs::write(
        &more,
        concat!(
            r#"{"type":"manual_measure","year":"2023-24","term":3,"id":"narrative.transition","value":"Visits to every Year 6 class.\nA <b>new</b> plan & more."}"#,
            "\n",
            r#"{"type":"measure_note","year":"2023-24","term":3,"id":"referrals.primary","note":"A school joined the panel."}"#,
            "\n",
            r#"{"type":"measure_note","year":"2023-24","term":4,"id":"clinics.school","not_collected":true}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = run(&db, &["import", more.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

fn run(db: &Path, args: &[&str]) -> Output {
    common::run_at(db, args, NOW)
}

fn pack(db: &Path, dir: &Path, period: &[&str], more: &[&str]) -> String {
    let out_path = dir.join("pack.html");
    let mut args = vec!["report", "--year", "2023-24"];
    args.extend(period);
    args.extend(more);
    args.extend(["--out", out_path.to_str().unwrap()]);
    let out = run(db, &args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(out_path).unwrap()
}

fn export(db: &Path, period: &[&str], more: &[&str]) -> Value {
    let mut args = vec!["export", "--year", "2023-24"];
    args.extend(period);
    args.extend(more);
    let out = run(db, &args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A figure as the JSON has it, in the pack's words: a number, `c`, `–` for no value, or
/// `not collected`.
fn expected(value: &Value, status: Option<&Value>) -> String {
    if status.and_then(Value::as_str) == Some("not_collected") {
        return "not collected".into();
    }
    match value {
        Value::Null => "–".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map(|x| format!("{x}")).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// A pack cell's text as a number when it is one (`12,500`, `75%`, `£1.50`).
fn as_figure(text: &str) -> String {
    let bare = text.trim().trim_end_matches('%').trim_start_matches('£').replace(',', "");
    match bare.parse::<f64>() {
        Ok(x) => format!("{x}"),
        Err(_) => text.trim().to_string(),
    }
}

/// Every figure cell of the pack: (measure id, column) -> text.
fn cells(html: &Html) -> Vec<(String, String, String)> {
    let td = Selector::parse("td[data-id]").unwrap();
    html.select(&td)
        .map(|c| {
            let v = c.value();
            (
                v.attr("data-id").unwrap().to_string(),
                v.attr("data-col").unwrap().to_string(),
                c.text().collect::<String>(),
            )
        })
        .collect()
}

/// Checks each figure of the pack against the JSON export; returns how many were compared.
fn agrees(html: &Html, json: &Value, what: &str) -> usize {
    let suppressed = json.get("suppressed_below").is_some();
    let mut compared = 0;
    let mut problems = Vec::new();
    for (id, column, text) in cells(html) {
        if column == "last_year" {
            continue;
        }
        let m = json["measures"].as_array().unwrap().iter().find(|m| m["id"] == id.as_str());
        let Some(m) = m else {
            problems.push(format!("{id}: in the pack, not in the export"));
            continue;
        };
        let want = match column.as_str() {
            "period" => expected(&m["value"], m.get("status")),
            term => {
                let figure = &m["term_figures"][term];
                expected(&figure["value"], figure.get("status"))
            }
        };
        // The pack is published with the year's charts, so it may hide more than the export
        // (a `c` where the export has a figure), never less.
        if as_figure(&text) != as_figure(&want) && !(suppressed && text.trim() == "c") {
            problems.push(format!("{id} {column}: pack shows {text:?}, the export {want:?}"));
        }
        compared += 1;
    }
    assert!(problems.is_empty(), "{what}:\n{}", problems.join("\n"));
    compared
}

#[test]
fn the_pack_shows_the_returns_figures_its_narrative_and_eight_charts() {
    let (dir, db) = district();
    let text = pack(&db, dir.path(), &["--terms", "3-4"], &[]);
    let html = Html::parse_document(&text);
    let json = export(&db, &["--terms", "3-4"], &[]);
    let n = agrees(&html, &json, "two terms");
    let figures = json["measures"].as_array().unwrap().iter().filter(|m| m["unit"] != "text").count();
    assert_eq!(n, figures * 3, "each figure of the return, for T3, T4 and the period");

    // The title block, the narrative under its heading (escaped, line by line), notes.
    let text_of = |sel: &str| -> Vec<String> {
        html.select(&Selector::parse(sel).unwrap()).map(|e| e.text().collect::<String>()).collect()
    };
    assert!(text_of("h1")[0].contains("Testshire Vale"));
    let narrative = text_of("section.narrative p").join("\n");
    assert!(narrative.contains("Visits to every Year 6 class."), "{narrative}");
    assert!(narrative.contains("A <b>new</b> plan & more."), "shown as typed, not as markup: {narrative}");
    let notes = text_of("td.note").join("\n");
    assert!(notes.contains("A school joined the panel."), "{notes}");
    assert!(notes.contains("Not collected"), "{notes}");

    // At least eight charts, drawn inline as SVG.
    let charts = html.select(&Selector::parse("figure svg").unwrap()).count();
    assert!(charts >= 8, "{charts} charts");
    // Self-contained: nothing fetched from elsewhere, no script.
    for tag in ["script", "link", "img", "iframe", "object"] {
        assert_eq!(html.select(&Selector::parse(tag).unwrap()).count(), 0, "<{tag}>");
    }
    // The only address in it is the SVG namespace, which names rather than fetches.
    assert_eq!(text.matches("http").count(), text.matches("xmlns=\"http://www.w3.org/2000/svg\"").count());
    assert!(text.contains("size: A4"));
    // The definitions of the measures shown.
    assert!(
        text_of("section.definitions td").join(" ").contains("Referrals received on a day in the period")
    );
}

#[test]
fn each_period_agrees_with_its_export_with_and_without_suppression() {
    let (dir, db) = district();
    for period in [vec!["--term", "3"], vec!["--terms", "5-6"], vec![]] {
        for more in [vec![], vec!["--suppress-below", "5"]] {
            let html = Html::parse_document(&pack(&db, dir.path(), &period, &more));
            let json = export(&db, &period, &more);
            let n = agrees(&html, &json, &format!("{period:?} {more:?}"));
            assert!(n > 100, "{period:?}: {n} figures compared");
        }
    }
    // A published copy hides what the export hides.
    let html = Html::parse_document(&pack(&db, dir.path(), &["--term", "3"], &["--suppress-below", "5"]));
    assert!(cells(&html).iter().any(|(_, _, t)| t == "c"));
}

#[test]
fn the_pack_holds_no_name_date_of_birth_or_key() {
    let (dir, db) = district();
    let texts = [
        pack(&db, dir.path(), &["--terms", "3-4"], &[]),
        pack(&db, dir.path(), &[], &[]),
        pack(&db, dir.path(), &["--term", "6"], &["--suppress-below", "3"]),
    ];
    let records = std::fs::read_to_string(fixture("kpi_district.jsonl")).unwrap();
    let mut secrets = BTreeSet::new();
    for line in records.lines().filter(|l| l.starts_with('{')) {
        let v: Value = serde_json::from_str(line).unwrap();
        if v["type"] == "child" {
            for field in ["first_name", "last_name", "dob", "upn"] {
                if let Some(s) = v[field].as_str() {
                    secrets.insert(s.to_string());
                }
            }
            if let Some(dob) = v["dob"].as_str().and_then(|d| caseload::domain::Date::parse_iso(d).ok()) {
                secrets.insert(dob.uk());
            }
        }
        // Record keys of the people and their cases (setting keys are not personal, but no key
        // belongs in a published figure either).
        if let Some(key) = v["key"].as_str() {
            secrets.insert(key.to_string());
        }
    }
    assert!(secrets.len() > 60);
    for text in &texts {
        let found: Vec<&String> = secrets.iter().filter(|s| text.contains(s.as_str())).collect();
        assert!(found.is_empty(), "the pack shows {found:?}");
    }
}

#[test]
fn a_pack_asked_wrongly_is_refused_and_never_written_over_the_database() {
    let (dir, db) = district();
    let out = run(&db, &["report", "--year", "2023-24", "--terms", "2-3", "--out", "x.html"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&db, &["report", "--year", "2023-24", "--out", db.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("database"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Into a folder: the usual name.
    let out =
        run(&db, &["report", "--year", "2023-24", "--term", "3", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("testshire-vale-pack-2023-24-T3-2023-24.html").exists());
}

/// A generated district of three years, made as on `now`.
fn demo_district(dir: &Path, now: &str) -> PathBuf {
    let db = dir.join("demo.db");
    let out = common::run_at(&db, &["demo", "--children", "300", "--years", "3"], now);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

/// Last year's column of a pack against a return of last year computed on its own: for each
/// measure, the pack's `last_year` cell and the export's figure; returns how many agreed.
fn last_year_agrees(html: &Html, json: &Value) -> usize {
    let mut compared = 0;
    let mut problems = Vec::new();
    for (id, column, text) in cells(html) {
        if column != "last_year" {
            continue;
        }
        let want = match json["measures"].as_array().unwrap().iter().find(|m| m["id"] == id.as_str()) {
            Some(m) => expected(&m["value"], m.get("status")),
            None => "–".into(),
        };
        if as_figure(&text) != as_figure(&want) {
            problems.push(format!("{id}: the pack shows last year as {text:?}, last year's return {want:?}"));
        }
        compared += 1;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    compared
}

#[test]
fn a_period_in_progress_is_set_beside_last_years_same_span_to_the_same_day() {
    let dir = tempfile::tempdir().unwrap();
    let now = "2026-12-01T10:00:00Z";
    let db = demo_district(dir.path(), now);
    let out_path = dir.path().join("in-progress.html");
    let args = ["report", "--year", "2026-27", "--terms", "1-2", "--out", out_path.to_str().unwrap()];
    let out = common::run_at(&db, &args, now);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&out_path).unwrap();
    let html = Html::parse_document(&text);

    // Last year's return made on the same day and month a year before, asked for on its own.
    let out = common::run_at(&db, &["export", "--year", "2025-26", "--terms", "1-2"], "2025-12-01T10:00:00Z");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let to_the_day: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(to_the_day["period"]["end"], "2025-12-01");
    let n = last_year_agrees(&html, &to_the_day);
    assert!(n > 100, "{n} of last year's figures compared");

    // It is not the whole of last year's period: that would have given other figures.
    let whole = export_at(&db, &["--year", "2025-26", "--terms", "1-2"], now);
    let differs = cells(&html).iter().filter(|(_, c, _)| c == "last_year").any(|(id, _, text)| {
        let m = whole["measures"].as_array().unwrap().iter().find(|m| m["id"] == id.as_str());
        m.is_some_and(|m| as_figure(text) != as_figure(&expected(&m["value"], m.get("status"))))
    });
    assert!(differs, "the whole of 2025-26 T1-T2 gives the same figures: the test shows nothing");

    // The column says what it is.
    let heads: Vec<String> =
        html.select(&Selector::parse("th").unwrap()).map(|e| e.text().collect::<String>()).collect();
    assert!(heads.iter().any(|h| h == "2025-26 T1-T2 to 1 Dec"), "{heads:?}");
    assert!(heads.iter().any(|h| h == "2026-27 T1-T2 to 1 Dec"), "{heads:?}");
    assert!(text.contains("to the same day (1 Sep 2025 to 1 Dec 2025)"));
}

#[test]
fn a_whole_period_is_set_beside_last_years_whole_period() {
    let dir = tempfile::tempdir().unwrap();
    let now = "2026-12-01T10:00:00Z";
    let db = demo_district(dir.path(), now);
    let out_path = dir.path().join("whole.html");
    let args = ["report", "--year", "2025-26", "--terms", "3-4", "--out", out_path.to_str().unwrap()];
    let out = common::run_at(&db, &args, now);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let html = Html::parse_document(&std::fs::read_to_string(&out_path).unwrap());
    let last = export_at(&db, &["--year", "2024-25", "--terms", "3-4"], now);
    assert_eq!(last["provisional"], false);
    assert!(last_year_agrees(&html, &last) > 100);
    let heads: Vec<String> =
        html.select(&Selector::parse("th").unwrap()).map(|e| e.text().collect::<String>()).collect();
    assert!(heads.iter().any(|h| h == "2024-25 T3-T4"), "{heads:?}");
}

fn export_at(db: &Path, args: &[&str], now: &str) -> Value {
    let mut all = vec!["export"];
    all.extend(args);
    let out = common::run_at(db, &all, now);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_aet_chart_draws_the_frameworks_target_and_says_whether_it_is_met() {
    let (dir, db) = district();
    let text = pack(&db, dir.path(), &[], &[]);
    let html = Html::parse_document(&text);
    let json = export(&db, &[], &[]);
    let figure = html
        .select(&Selector::parse("figure.chart").unwrap())
        .find(|f| f.text().collect::<String>().contains("Settings trained by the AET programme"))
        .expect("a chart of settings trained by AET");
    let caption: String =
        figure.select(&Selector::parse("figcaption").unwrap()).flat_map(|c| c.text()).collect();
    // Each group's verdict as the export gives it, its figure beside it.
    for (group, label) in [("school_age", "School age"), ("early_years", "Early years")] {
        let m = json["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == format!("aet_settings_trained_pct.{group}"))
            .unwrap();
        let status = m["target"]["status"].as_str().expect("a verdict");
        let said = format!("{label} {status} ({}%)", m["value"].as_f64().unwrap());
        assert!(caption.contains(&said), "{said:?} not in {caption:?}");
    }
    assert!(caption.contains("Target: 20% by 31 Aug 2024"), "{caption}");
    // The target's line: drawn dotted across the plot, and named in the key.
    let svg = figure.select(&Selector::parse("svg").unwrap()).next().unwrap().html();
    assert!(svg.contains("Target: 20% by 31 Aug 2024"), "the key names the target line");
    // Another framework sets no target: no line, no verdict.
    let all = pack(&db, dir.path(), &[], &["--framework", "all"]);
    assert!(!all.contains("Target: 20%"));
}

#[test]
fn the_pack_shows_the_meetings_questions_and_earlier_actions_with_their_status() {
    let (dir, db) = district();
    let meetings = dir.path().join("meetings.jsonl");
    std::fs::write(
        &meetings,
        concat!(
            r#"{"type":"monitoring_meeting","key":"MM-12","date":"2024-01-25","year":"2023-24","terms":"1-2","questions":["Why did referrals rise in T2?"],"actions":[{"key":"A1","text":"Share the LIFT calendar","owner":"District lead","due":"2024-03-01","status":"open"},{"key":"A2","text":"Review long-open cases","status":"open"}]}"#,
            "\n",
            r#"{"type":"monitoring_meeting","key":"MM-34","date":"2024-05-20","year":"2023-24","terms":"3-4","questions":["How is group work reaching secondary schools?"],"actions":[{"key":"A1","text":"Share the LIFT calendar","owner":"District lead","due":"2024-03-01","status":"done"},{"key":"A3","text":"Plan a cluster session","status":"open"}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = run(&db, &["import", meetings.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pack(&db, dir.path(), &["--terms", "3-4"], &[]);
    let html = Html::parse_document(&text);
    let section: String =
        html.select(&Selector::parse("section.meeting").unwrap()).flat_map(|s| s.text()).collect();
    // This period's questions, not another's.
    assert!(section.contains("How is group work reaching secondary schools?"), "{section}");
    assert!(!section.contains("Why did referrals rise in T2?"), "{section}");
    // The actions of the earlier meeting (1-2) as it left them; none agreed at this one.
    let rows: Vec<String> = html
        .select(&Selector::parse("section.meeting tbody tr").unwrap())
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    assert_eq!(
        rows,
        [
            "Share the LIFT calendar|District lead|1 Mar 2024|25 Jan 2024|Open",
            "Review long-open cases|25 Jan 2024|Open"
        ]
    );
    // In the next period's pack, the 3-4 meeting's word on A1 stands: done.
    let next = pack(&db, dir.path(), &["--terms", "5-6"], &[]);
    assert!(next.contains("<td>Share the LIFT calendar</td><td>District lead</td><td>1 Mar 2024</td><td>25 Jan 2024</td><td>Done</td>"), "{next}");
}
