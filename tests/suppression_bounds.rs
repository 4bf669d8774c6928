//! Suppression that holds against bounds: a reader of the published JSON alone, who knows every
//! `c` is a whole number of at least 0 and every relation between the figures (written out by
//! hand in `common::relations`, not read from the program), bounds each hidden cell by linear
//! programming over all the relations at once. No hidden cell may come out narrower than 1..N.
//!
//! The districts are generated and exported by the built binary (`CASELOAD_BIN` may name
//! another build: run against today's main, the reader finds narrowed cells).

mod common;

use common::relations::{Cell, equations, ratio_counts};
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

const NOW: &str = "2026-08-20T12:00:00Z";
const YEAR: &str = "2025-26";
const BELOW: f64 = 5.0;

/// What a copy shows of a cell: a number, or `c`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shown {
    Known(f64),
    Hidden,
}

/// What a reader knows: the cells shown, and the relations between cells.
#[derive(Default)]
struct Copy {
    shown: BTreeMap<Cell, Shown>,
    relations: Vec<(Vec<Cell>, Vec<Cell>)>,
}

fn bin() -> PathBuf {
    std::env::var_os("CASELOAD_BIN").map_or_else(common::binary, PathBuf::from)
}

fn run(db: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new(bin()).arg("--db").arg(db).args(args).env("CASELOAD_NOW", NOW).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn district(dir: &Path, name: &str, children: &str, seed: &str) -> PathBuf {
    let db = dir.join(format!("{name}.db"));
    run(&db, &["demo", "--children", children, "--years", "2", "--seed", seed, "--district", name]);
    db
}

fn shown(v: &Value) -> Option<Shown> {
    match v {
        Value::String(s) if s == "c" => Some(Shown::Hidden),
        Value::Number(n) => n.as_f64().map(Shown::Known),
        _ => None,
    }
}

fn prefixed(prefix: &str, cells: &[Cell]) -> Vec<Cell> {
    cells.iter().map(|(id, c)| (format!("{prefix}{id}"), c.clone())).collect()
}

/// The relations of one return's cells (`prefix` names whose), and its ratios' parts as the
/// counts they are.
fn relations_of(copy: &mut Copy, prefix: &str, columns: &[String]) {
    for (total, parts) in equations(columns, false) {
        copy.relations.push((prefixed(prefix, &total), prefixed(prefix, &parts)));
    }
    for (ratio, num, den) in ratio_counts() {
        for column in columns {
            for (count, part) in [(num.clone(), "numerator"), (den.clone(), "denominator")] {
                let Some(count) = count else { continue };
                copy.relations.push((
                    vec![(format!("{prefix}{count}"), column.clone())],
                    vec![(format!("{prefix}{ratio}#{part}"), column.clone())],
                ));
            }
        }
    }
}

/// A district's published return (JSON), as a reader takes it in.
fn read_return(bytes: &[u8]) -> (Copy, Vec<String>) {
    let v: Value = serde_json::from_slice(bytes).unwrap();
    let mut copy = Copy::default();
    let mut columns = vec![String::new()];
    for m in v["measures"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        let mut figures = vec![(String::new(), m)];
        if let Some(terms) = m["term_figures"].as_object() {
            for (t, f) in terms {
                if !columns.contains(t) {
                    columns.push(t.clone());
                }
                figures.push((t.clone(), f));
            }
        }
        for (column, f) in figures {
            let mut put = |key: String, v: &Value| {
                if let Some(s) = shown(v) {
                    copy.shown.insert((key, column.clone()), s);
                }
            };
            put(id.to_string(), &f["value"]);
            put(format!("{id}#numerator"), &f["numerator"]);
            put(format!("{id}#denominator"), &f["denominator"]);
        }
    }
    columns[1..].sort();
    relations_of(&mut copy, "", &columns);
    // The by-need cells are listed only when not zero: an absent one is a known 0.
    let zeros: Vec<Cell> = copy
        .relations
        .iter()
        .flat_map(|(t, p)| t.iter().chain(p))
        .filter(|(id, _)| id.starts_with("referrals_by_need."))
        .cloned()
        .collect();
    for cell in zeros {
        copy.shown.entry(cell).or_insert(Shown::Known(0.0));
    }
    (copy, columns)
}

/// The county's published copy (JSON): the county's cells, every district's, the relations of
/// each, and the county's counts as the sums of the districts reporting them.
fn read_county(bytes: &[u8]) -> Copy {
    let v: Value = serde_json::from_slice(bytes).unwrap();
    let mut copy = Copy::default();
    let column = |c: &str| if c == "year" { String::new() } else { c.to_string() };
    let names: Vec<String> =
        v["districts"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect();
    for m in v["measures"].as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        for (c, f) in m["county"].as_object().unwrap() {
            for (key, part) in [(id.to_string(), "value"), (format!("{id}#numerator"), "numerator")] {
                if let Some(s) = shown(&f[part]) {
                    copy.shown.insert((format!("County/{key}"), column(c)), s);
                }
            }
            if let Some(s) = shown(&f["denominator"]) {
                copy.shown.insert((format!("County/{id}#denominator"), column(c)), s);
            }
        }
        let mut reporting: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
        for (d, columns) in m["districts"].as_object().unwrap() {
            for (c, value) in columns.as_object().unwrap() {
                if let Some(s) = shown(value) {
                    let cell = (format!("{d}/{id}"), column(c));
                    copy.shown.insert(cell.clone(), s);
                    reporting.entry(column(c)).or_default().push(cell);
                }
            }
        }
        if m["unit"] == "count" {
            for (c, parts) in reporting {
                copy.relations.push((vec![(format!("County/{id}"), c)], parts));
            }
        }
    }
    let columns: Vec<String> =
        std::iter::once(String::new()).chain((1..=6).map(|t| format!("T{t}"))).collect();
    relations_of(&mut copy, "County/", &columns);
    for d in &names {
        relations_of(&mut copy, &format!("{d}/"), &columns);
    }
    copy
}

/// A hidden cell the reader narrows: its least and most over all the relations.
#[derive(Debug)]
struct Narrowed {
    cell: Cell,
    least: f64,
    most: f64,
}

/// Bounds every hidden cell of a copy by linear programming over all its relations at once
/// (unpublished cells of a relation are unknowns of at least 0 too). Returns the hidden cells
/// checked and those narrower than 1..N.
fn attack(copy: &Copy) -> (usize, Vec<Narrowed>) {
    // Unknowns: hidden cells, and cells a relation names that the copy does not show.
    let mut index: HashMap<Cell, usize> = HashMap::new();
    let mut unknowns: Vec<(Cell, bool)> = Vec::new();
    let mut rows: Vec<(Vec<(usize, f64)>, f64)> = Vec::new();
    for (total, parts) in &copy.relations {
        let mut terms: BTreeMap<usize, f64> = BTreeMap::new();
        let mut constant = 0.0;
        for (cell, sign) in total.iter().map(|c| (c, 1.0)).chain(parts.iter().map(|c| (c, -1.0))) {
            match copy.shown.get(cell) {
                Some(Shown::Known(v)) => constant -= sign * v,
                other => {
                    let i = *index.entry(cell.clone()).or_insert_with(|| {
                        unknowns.push((cell.clone(), other.is_some()));
                        unknowns.len() - 1
                    });
                    *terms.entry(i).or_default() += sign;
                }
            }
        }
        let terms: Vec<(usize, f64)> = terms.into_iter().filter(|(_, c)| *c != 0.0).collect();
        if terms.is_empty() {
            assert!(constant.abs() < 1e-9, "published figures break {total:?} = {parts:?}");
        } else {
            rows.push((terms, constant));
        }
    }
    // Connected sets of unknowns.
    let mut parent: Vec<usize> = (0..unknowns.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (terms, _) in &rows {
        for w in terms.windows(2) {
            let (a, b) = (root(&mut parent, w[0].0), root(&mut parent, w[1].0));
            parent[a] = b;
        }
    }
    let mut sets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..unknowns.len() {
        let r = root(&mut parent, i);
        sets.entry(r).or_default().push(i);
    }
    let mut row_set: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (r, (terms, _)) in rows.iter().enumerate() {
        let s = root(&mut parent, terms[0].0);
        row_set.entry(s).or_default().push(r);
    }
    let mut narrowed = Vec::new();
    let hidden_total = copy.shown.values().filter(|s| **s == Shown::Hidden).count();
    for (root_of, set) in &sets {
        let my_rows = row_set.get(root_of).cloned().unwrap_or_default();
        let bound = |target: usize, direction: OptimizationDirection| -> Option<f64> {
            let mut p = Problem::new(direction);
            let vars: HashMap<usize, microlp::Variable> = set
                .iter()
                .map(|&j| (j, p.add_var(if j == target { 1.0 } else { 0.0 }, (0.0, f64::INFINITY))))
                .collect();
            for &r in &my_rows {
                let (terms, constant) = &rows[r];
                let expr: Vec<(microlp::Variable, f64)> = terms.iter().map(|(j, c)| (vars[j], *c)).collect();
                p.add_constraint(expr, ComparisonOp::Eq, *constant);
            }
            match p.solve() {
                Ok(outcome) => Some(outcome.into_solution().unwrap().objective()),
                Err(microlp::Error::Unbounded) => None,
                Err(e) => panic!("the published figures have no solution ({e:?}): a relation is wrong"),
            }
        };
        for &i in set.iter().filter(|i| unknowns[**i].1) {
            let least = bound(i, OptimizationDirection::Minimize).unwrap_or(0.0);
            let most = bound(i, OptimizationDirection::Maximize).unwrap_or(f64::INFINITY);
            if least > 1.0 + 1e-6 || most < BELOW - 1e-6 {
                narrowed.push(Narrowed { cell: unknowns[i].0.clone(), least, most });
            }
        }
    }
    (hidden_total, narrowed)
}

/// Today's rule before this one: small counts hidden, then the smallest other cell of any
/// relation with exactly one hidden cell, until none has exactly one (from the true figures).
fn old_rule(truth: &Copy) -> Copy {
    let mut shown = truth.shown.clone();
    for s in shown.values_mut() {
        if matches!(s, Shown::Known(v) if *v >= 1.0 && *v < BELOW) {
            *s = Shown::Hidden;
        }
    }
    let value = |c: &Cell| match truth.shown.get(c) {
        Some(Shown::Known(v)) => *v,
        _ => f64::INFINITY,
    };
    loop {
        let mut changed = false;
        for (total, parts) in &truth.relations {
            let cells: Vec<&Cell> = total.iter().chain(parts).filter(|c| shown.contains_key(*c)).collect();
            if cells.iter().filter(|c| shown[**c] == Shown::Hidden).count() != 1 {
                continue;
            }
            let next = cells.iter().filter(|c| shown[**c] != Shown::Hidden).min_by(|a, b| {
                (value(a) == 0.0, value(a)).partial_cmp(&(value(b) == 0.0, value(b))).unwrap()
            });
            if let Some(c) = next {
                shown.insert((*c).clone(), Shown::Hidden);
                changed = true;
            }
        }
        if !changed {
            return Copy { shown, relations: truth.relations.clone() };
        }
    }
}

fn report(what: &str, narrowed: &[Narrowed]) -> String {
    let list: Vec<String> = narrowed
        .iter()
        .take(20)
        .map(|n| format!("  {} {}: {} to {}", n.cell.0, n.cell.1, n.least, n.most))
        .collect();
    format!("{what}: {} hidden cells narrowed, for example\n{}", narrowed.len(), list.join("\n"))
}

const PERIODS: [&[&str]; 4] = [&["--term", "3"], &["--terms", "1-2"], &["--terms", "5-6"], &[]];

#[test]
fn no_hidden_cell_of_a_district_return_is_narrowed_by_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut problems = Vec::new();
    let mut old_narrowed = 0;
    for (children, seed) in [("150", "4"), ("400", "11")] {
        let db = district(dir.path(), &format!("Small {seed}"), children, seed);
        for period in PERIODS {
            for framework in ["2023-24", "all"] {
                let mut args = vec!["export", "--year", YEAR, "--framework", framework, "--format", "json"];
                args.extend(period);
                let truth = read_return(&run(&db, &args)).0;
                args.extend(["--suppress-below", "5"]);
                let (copy, _) = read_return(&run(&db, &args));
                let (n, narrowed) = attack(&copy);
                checked += n;
                let what = format!("{children} children, {YEAR} {period:?} {framework}");
                if !narrowed.is_empty() {
                    problems.push(report(&what, &narrowed));
                }
                // The same reader undoes the rule of exactly one hidden cell per group.
                old_narrowed += attack(&old_rule(&truth)).1.len();
            }
        }
    }
    eprintln!("district returns: {checked} hidden cells checked; under the old rule {old_narrowed} narrowed");
    assert!(checked > 1000, "only {checked} hidden cells checked");
    assert!(old_narrowed > 0, "the reader should undo the old rule");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_hidden_cell_of_the_county_copy_is_narrowed_by_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, name) in ["Ashford", "Dover", "Swale", "Thanet", "Maidstone", "Tonbridge"].iter().enumerate() {
        let db = district(dir.path(), name, ["120", "200", "300"][i % 3], &(i + 20).to_string());
        let json = run(&db, &["export", "--year", YEAR, "--format", "json"]);
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, json).unwrap();
        files.push(file.to_str().unwrap().to_string());
    }
    let mut args = vec!["county"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "json", "--suppress-below", "5"]);
    let bytes = run(Path::new(&dir.path().join("none.db")), &args);
    let copy = read_county(&bytes);
    let (checked, narrowed) = attack(&copy);
    eprintln!("county copy of six districts: {checked} hidden cells checked, {} narrowed", narrowed.len());
    assert!(checked > 500, "only {checked} hidden cells checked");
    assert!(narrowed.is_empty(), "{}", report("county", &narrowed));
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["suppressed_below"], 5);
    assert!(v["suppression"].as_str().unwrap().starts_with("Counts from 1 to 4 are shown as c"));
}
