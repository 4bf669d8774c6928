//! Suppression that holds: every export with `--suppress-below` is searched for a hidden cell that
//! can be worked out from what is published, and none is found.
//!
//! The relations below are written out by hand from the definitions (docs/returns.md), not read
//! from the framework files the program uses: a group the files forgot shows up here as a leak.
//! Each export is read back from its bytes (JSON, CSV and the workbook), the way a reader would.

mod common;

use common::relations::{ratio_counts, relations};

use calamine::{Data, Reader as _, Xlsx};
use caseload::demo::{DemoOptions, generate};
use caseload::domain::{AcademicYear, Area, Date, Scope, Term};
use caseload::export::{Format, Suppression, render};
use caseload::kpi::framework;
use caseload::kpi::report::{Request, Return, build};
use caseload::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

/// A published cell: a measure id (or a need-table cell) and its column ("" for the period's own,
/// "T3" for a term's).
type Key = (String, String);

#[derive(Debug, Clone, PartialEq)]
enum Val {
    Num(f64),
    C,
}

/// A ratio's value, numerator and denominator as shown (`None`: not shown).
type RatioShown = (Option<Val>, Option<Val>, Option<Val>);

/// What one export shows.
#[derive(Default, Debug)]
struct Published {
    cells: BTreeMap<Key, Val>,
    /// Ratio ids with the value shown.
    ratios: BTreeMap<Key, RatioShown>,
    /// The by-need cells are listed only when not zero: an absent one is a known zero.
    lists_by_need: bool,
    /// Each measure's unit (JSON).
    units: BTreeMap<String, String>,
}

impl Published {
    /// A cell's state: `Some(C)` hidden, `Some(Num)` known, `None` not published at all.
    fn get(&self, id: &str, column: &str) -> Option<Val> {
        let key = (id.to_string(), column.to_string());
        match self.cells.get(&key) {
            Some(v) => Some(v.clone()),
            None if self.lists_by_need && id.starts_with("referrals_by_need.") => Some(Val::Num(0.0)),
            None => None,
        }
    }
}

fn val_json(v: &serde_json::Value) -> Option<Val> {
    match v {
        serde_json::Value::String(s) if s == "c" => Some(Val::C),
        serde_json::Value::Number(n) => n.as_f64().map(Val::Num),
        _ => None,
    }
}

fn val_text(s: &str) -> Option<Val> {
    match s {
        "c" => Some(Val::C),
        "" => None,
        s => s.parse().ok().map(Val::Num),
    }
}

fn val_xlsx(d: Option<&Data>) -> Option<Val> {
    match d? {
        Data::String(s) if s == "c" => Some(Val::C),
        Data::Float(x) => Some(Val::Num(*x)),
        Data::Int(n) => Some(Val::Num(*n as f64)),
        _ => None,
    }
}

/// A term's column title ("T3").
fn is_term(title: &str) -> bool {
    title.starts_with('T') && title.parse::<Term>().is_ok()
}

fn is_ratio(unit: &str) -> bool {
    unit == "percent" || unit == "average"
}

fn read_json(bytes: &[u8]) -> Published {
    let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let mut p = Published { lists_by_need: true, ..Published::default() };
    assert!(v.get("secondary_suppressed").is_none(), "a copy never says which hidden cells are small");
    for m in v["measures"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap().to_string();
        let unit = m["unit"].as_str().unwrap();
        p.units.insert(id.clone(), unit.to_string());
        let mut columns = vec![(String::new(), m.clone())];
        if let Some(figures) = m["term_figures"].as_object() {
            columns.extend(figures.iter().map(|(t, f)| (t.clone(), f.clone())));
        }
        for (column, f) in columns {
            if is_ratio(unit) {
                let parts = (val_json(&f["value"]), val_json(&f["numerator"]), val_json(&f["denominator"]));
                p.ratios.insert((id.clone(), column), parts);
            } else if let Some(v) = val_json(&f["value"]) {
                p.cells.insert((id.clone(), column), v);
            }
        }
    }
    p
}

fn read_csv(bytes: &[u8]) -> Published {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("a CSV starts with the byte-order mark");
    // A suppressed copy opens with a sentence on a line of its own, before the header.
    let bytes = match bytes.starts_with(b"\"Counts from ") {
        true => &bytes[bytes.iter().position(|b| *b == b'\n').unwrap() + 1..],
        false => bytes,
    };
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let at = |name: &str| header.iter().position(|h| h == name);
    let (id_at, unit_at) = (at("id").unwrap(), at("unit").unwrap());
    // The period's own figure: `value`, or `year` for a whole year (`period` is its label).
    let value_at = at("value").or_else(|| at("year")).unwrap();
    let terms: Vec<(String, usize)> =
        header.iter().enumerate().filter(|(_, h)| is_term(h)).map(|(i, h)| (h.clone(), i)).collect();
    let mut p = Published { lists_by_need: true, ..Published::default() };
    for row in r.records() {
        let row = row.unwrap();
        let id = row[id_at].to_string();
        if is_ratio(&row[unit_at]) {
            let parts = (
                val_text(&row[value_at]),
                val_text(&row[at("numerator").unwrap()]),
                val_text(&row[at("denominator").unwrap()]),
            );
            p.ratios.insert((id.clone(), String::new()), parts);
            for (t, i) in &terms {
                p.ratios.insert((id.clone(), t.clone()), (val_text(&row[*i]), None, None));
            }
            continue;
        }
        if let Some(v) = val_text(&row[value_at]) {
            p.cells.insert((id.clone(), String::new()), v);
        }
        for (t, i) in &terms {
            if let Some(v) = val_text(&row[*i]) {
                p.cells.insert((id.clone(), t.clone()), v);
            }
        }
    }
    p
}

/// The workbook: the Return sheet (ids in its last column), the terms view (same rows), and the
/// referrals-by-need table (cells `need:{group}.{area}.{code}`, totals `need:total.{area}.{code}`).
fn read_xlsx(bytes: &[u8]) -> Published {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut p = Published::default();
    let ret = wb.worksheet_range("Return").unwrap();
    let mut ids: BTreeMap<u32, (String, bool)> = BTreeMap::new();
    for (i, row) in ret.rows().enumerate() {
        let Some(Data::String(id)) = row.get(4) else { continue };
        if id == "Measure id" {
            continue;
        }
        // A percentage or average has its numerator and denominator beside it.
        let ratio = val_xlsx(row.get(2)).is_some();
        ids.insert(i as u32, (id.clone(), ratio));
        let key = (id.clone(), String::new());
        if ratio {
            p.ratios.insert(key, (val_xlsx(row.get(1)), val_xlsx(row.get(2)), val_xlsx(row.get(3))));
        } else if let Some(v) = val_xlsx(row.get(1)) {
            p.cells.insert(key, v);
        }
    }
    for name in ["Terms view", "Year view"] {
        let Ok(view) = wb.worksheet_range(name) else { continue };
        let header =
            view.rows().find(|r| matches!(r.first(), Some(Data::String(s)) if s == "Measure")).unwrap();
        let terms: Vec<(usize, String)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, d)| match d {
                Data::String(s) if is_term(s) => Some((i, s.clone())),
                _ => None,
            })
            .collect();
        for (i, row) in view.rows().enumerate() {
            let Some((id, ratio)) = ids.get(&(i as u32)) else { continue };
            for (col, t) in &terms {
                let key = (id.clone(), t.clone());
                match val_xlsx(row.get(*col)) {
                    Some(v) if *ratio => {
                        p.ratios.insert(key, (Some(v), None, None));
                    }
                    Some(v) => {
                        p.cells.insert(key, v);
                    }
                    None => {}
                }
            }
        }
    }
    let need = wb.worksheet_range("Referrals by need").unwrap();
    let mut rows =
        need.rows().skip_while(|r| !matches!(r.first(), Some(Data::String(s)) if s == "Area of need"));
    rows.next();
    for row in rows {
        let (Some(Data::String(area)), Some(Data::String(need))) = (row.first(), row.get(1)) else {
            continue;
        };
        let area = Area::ALL.iter().find(|a| a.label() == area).unwrap();
        let code = match need.rsplit_once('(') {
            Some((_, code)) => code.trim_end_matches(')').to_string(),
            None => "none".to_string(),
        };
        for (col, group) in [(2, "early_years"), (3, "school"), (4, "total")] {
            let v = val_xlsx(row.get(col)).unwrap_or(Val::Num(0.0));
            p.cells.insert((format!("need:{group}.{area}.{code}"), String::new()), v);
        }
    }
    p
}

/// Every way a hidden cell of this export can be worked out; empty when it holds.
fn leaks(p: &Published, columns: &[String], need_table: bool, what: &str) -> Vec<String> {
    let mut found = Vec::new();
    for rel in relations(columns, need_table) {
        let states: Vec<Option<Val>> = rel.iter().map(|(id, c)| p.get(id, c)).collect();
        let hidden: Vec<usize> = (0..rel.len()).filter(|i| states[*i] == Some(Val::C)).collect();
        let unknown = states.iter().filter(|s| s.is_none()).count();
        if hidden.len() == 1 && unknown == 0 {
            let (id, c) = &rel[hidden[0]];
            found.push(format!("{what}: {id} {c} is the only hidden cell of {rel:?}"));
        }
    }
    for ((id, column), (value, num, den)) in &p.ratios {
        let Some(Val::Num(_)) = value else { continue };
        if num == &Some(Val::C) || den == &Some(Val::C) {
            found.push(format!("{what}: {id} {column} is shown but a part of it is hidden"));
        }
        for (ratio, num_count, den_count) in ratio_counts() {
            if &ratio != id {
                continue;
            }
            for count in [num_count, den_count].into_iter().flatten() {
                if p.get(&count, column) == Some(Val::C) {
                    found.push(format!(
                        "{what}: {id} {column} is shown while {count}, a part of it, is hidden"
                    ));
                }
            }
        }
    }
    found
}

fn d(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

/// Districts with many small counts: the hand-worked one, and small generated ones in a year
/// gone by and in the year in progress (provisional).
fn districts() -> Vec<(String, Store, AcademicYear, Date)> {
    let mut out = Vec::new();
    let mut hand = Store::open_in_memory().unwrap();
    common::import(&mut hand, &common::fixture("kpi_district.jsonl"));
    out.push(("hand-worked".into(), hand, "2023-24".parse().unwrap(), d("2024-09-02")));
    for (children, seed) in [(120, 5), (400, 9)] {
        for year in ["2024-25", "2025-26"] {
            let mut store = Store::open_in_memory().unwrap();
            let options = DemoOptions { children, years: 2, seed, district: "Small District".into() };
            generate(&mut store, &options, d("2026-07-20"), &mut |_| {}).unwrap();
            let name = format!("demo {children} children seed {seed} {year}");
            out.push((name, store, year.parse().unwrap(), d("2026-07-20")));
        }
    }
    out
}

fn returns_of(store: &Store, year: AcademicYear, today: Date) -> Vec<Return> {
    let mut out = Vec::new();
    let spans = [Scope::Term("T3".parse().unwrap()), Scope::Terms("T3".parse().unwrap()), Scope::Year];
    for span in spans {
        for f in ["all", "2022-23", "2023-24"] {
            let request = Request {
                year,
                span,
                framework: framework::find(f).unwrap(),
                generated_at: String::new(),
                today,
            };
            out.push(build(store.reader(), &request).unwrap());
        }
    }
    out
}

#[test]
fn no_export_has_a_hidden_cell_that_can_be_worked_out() {
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut protecting_seen = 0;
    for (name, store, year, today) in districts() {
        for r in returns_of(&store, year, today) {
            let mut columns = vec![String::new()];
            if r.span.term().is_none() {
                columns.extend(r.span.terms().iter().map(Term::to_string));
            }
            for below in [3, 5, 10] {
                let s = Suppression { below: Some(below) };
                let what =
                    |f: &str| format!("{name} {} {} {f} below {below}", r.period.label, r.framework_id);
                let json = read_json(&render(&r, Format::Json, s, true).unwrap());
                let csv = read_csv(&render(&r, Format::Csv, s, true).unwrap());
                let xlsx = read_xlsx(&render(&r, Format::Xlsx, s, true).unwrap());
                problems.extend(leaks(&json, &columns, false, &what("json")));
                problems.extend(leaks(&csv, &columns, false, &what("csv")));
                problems.extend(leaks(&xlsx, &columns, true, &what("xlsx")));
                // The three formats of one return hide the same cells.
                for (key, v) in &json.cells {
                    for (other, f) in [(&csv, "csv"), (&xlsx, "xlsx")] {
                        if other.cells.get(key).is_some_and(|w| (v == &Val::C) != (w == &Val::C)) {
                            problems.push(format!("{}: {key:?} differs between json and {f}", what("")));
                        }
                    }
                }
                protecting_seen += not_small_hidden(&r, &json, below).len();
                checked += 3;
            }
        }
    }
    assert!(checked >= 200, "only {checked} exports checked");
    assert!(protecting_seen > 10, "the districts should need further cells hidden ({protecting_seen} seen)");
    assert!(problems.is_empty(), "{} leaks:\n{}", problems.len(), problems.join("\n"));
}

/// The counts a copy hides that are not small (hidden to protect the small ones).
fn not_small_hidden(r: &Return, json: &Published, below: u32) -> BTreeSet<Key> {
    let plain = read_json(&render(r, Format::Json, Suppression::default(), true).unwrap());
    json.cells
        .iter()
        .filter(|(k, v)| **v == Val::C && json.units[&k.0] == "count")
        .filter(|(k, _)| matches!(plain.cells[*k], Val::Num(n) if n == 0.0 || n >= f64::from(below)))
        .map(|(k, _)| k.clone())
        .collect()
}

/// Without the cells hidden to protect the small ones (primary only), the same search finds
/// leaks: the test can fail.
#[test]
fn the_search_finds_the_leaks_of_primary_suppression_alone() {
    let (name, store, year, today) = districts().remove(0);
    let r = &returns_of(&store, year, today)[6]; // the year, all measures
    let json = read_json(&render(r, Format::Json, Suppression { below: Some(5) }, true).unwrap());
    let mut undone = Published { lists_by_need: true, ..Published::default() };
    let protecting = not_small_hidden(r, &json, 5);
    assert!(!protecting.is_empty(), "{name}: the year needs further cells hidden");
    // Publish the protecting cells again, as primary-only suppression would.
    let plain = read_json(&render(r, Format::Json, Suppression::default(), true).unwrap());
    for (key, v) in &json.cells {
        let shown = if protecting.contains(key) { plain.cells[key].clone() } else { v.clone() };
        undone.cells.insert(key.clone(), shown);
    }
    let columns: Vec<String> =
        std::iter::once(String::new()).chain(r.span.terms().iter().map(Term::to_string)).collect();
    assert!(!leaks(&undone, &columns, false, "primary only").is_empty());
}

#[test]
fn every_small_count_is_hidden_and_every_copy_says_how_in_its_first_lines() {
    let (_, store, year, today) = districts().remove(0);
    for r in returns_of(&store, year, today) {
        let plain = read_json(&render(&r, Format::Json, Suppression::default(), true).unwrap());
        let s = Suppression { below: Some(5) };
        let bytes = render(&r, Format::Json, s, true).unwrap();
        let json = read_json(&bytes);
        for (key, v) in json.cells.iter().filter(|(k, _)| json.units[&k.0] == "count") {
            let Val::Num(n) = plain.cells[key] else { panic!("{key:?} hidden without suppression") };
            let small = (1.0..5.0).contains(&n);
            assert!(!small || v == &Val::C, "{key:?}: a small count is always hidden");
        }
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let sentence = "Counts from 1 to 4 are shown as c to protect individuals";
        assert_eq!(doc["suppressed_below"], 5);
        assert!(doc["suppression"].as_str().unwrap().starts_with(sentence), "{}", doc["suppression"]);
        let csv = String::from_utf8(render(&r, Format::Csv, s, true).unwrap()).unwrap();
        // One field, quoted as CSV quotes a text with commas.
        let first = csv.lines().next().unwrap().strip_prefix('\u{feff}').expect("the byte-order mark first");
        assert!(first.trim_matches('"').starts_with(sentence), "{first}");
        assert!(csv.lines().nth(1).unwrap().starts_with("district,academic_year"));
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(render(&r, Format::Xlsx, s, true).unwrap())).unwrap();
        let sheet = wb.worksheet_range("Return").unwrap();
        let first_lines: Vec<String> =
            sheet.rows().take(6).filter_map(|row| row.first().map(|d| d.to_string())).collect();
        assert!(first_lines.iter().any(|l| l.starts_with(sentence)), "{first_lines:?}");
        // Unsuppressed copies say nothing of it.
        let plain_csv =
            String::from_utf8(render(&r, Format::Csv, Suppression::default(), true).unwrap()).unwrap();
        assert!(plain_csv.starts_with("\u{feff}district,"), "the byte-order mark, then the header");
    }
}

/// The monitoring pack shows a period's tables and the year's charts: a cell they share is
/// hidden in both or in neither (else the chart would give back what the table protects).
#[test]
fn the_pack_hides_a_cell_in_its_tables_and_its_charts_alike() {
    use caseload::export::suppress::Plan;
    let mut shared = 0;
    let mut hidden = 0;
    for (name, store, year, today) in districts().into_iter().skip(1) {
        let all = framework::find("all").unwrap();
        let whole = Request { year, span: Scope::Year, framework: all, generated_at: String::new(), today };
        let year_return = build(store.reader(), &whole).unwrap();
        for r in returns_of(&store, year, today).iter().filter(|r| r.span != Scope::Year) {
            let s = Suppression { below: Some(5) };
            let (plan, year_plan) = Plan::for_return_and_year(r, &year_return, s).unwrap();
            for line in &r.lines {
                let columns: Vec<(Option<Term>, &caseload::kpi::catalogue::Measure)> = match r.span {
                    Scope::Term(t) => vec![(Some(t), &line.measure)],
                    _ => r
                        .span
                        .terms()
                        .into_iter()
                        .zip(line.terms.iter().flatten())
                        .filter_map(|(t, m)| Some((Some(t), m.as_ref()?)))
                        .collect(),
                };
                let Some(y) = year_return.lines.iter().find(|l| l.measure.id == line.measure.id) else {
                    continue;
                };
                for (t, m) in columns {
                    let own = if matches!(r.span, Scope::Term(_)) { None } else { t };
                    let Some(Some(ym)) =
                        y.terms.as_ref().and_then(|ts| ts.get(usize::from(t.unwrap().number()) - 1))
                    else {
                        continue;
                    };
                    let a = plan.value(m, own) == caseload::export::figures::Shown::Suppressed;
                    let b = year_plan.value(ym, t) == caseload::export::figures::Shown::Suppressed;
                    assert_eq!(a, b, "{name} {} {} {t:?}", r.period.label, m.id);
                    shared += 1;
                    hidden += usize::from(a);
                }
            }
        }
    }
    assert!(shared > 1000 && hidden > 50, "{shared} shared cells, {hidden} hidden");
}
