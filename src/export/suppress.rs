//! Small-count suppression that cannot be undone by subtraction (docs/returns.md).
//!
//! Counts from 1 to N-1 are hidden (`c`), and so is every percentage or average built on one. That
//! alone leaks: a published total minus its other published parts gives a hidden cell back. So the
//! figures that add up are known as **groups** (cells whose sums are equal: a total and its parts,
//! a period and its terms, a table's row and its total, a ratio's numerator and the count it is),
//! and while any group has exactly one hidden cell, its smallest other cell (the first in the
//! return's order on a tie; a zero only when no other cell is left) is hidden too. The cells hidden
//! that way are listed (secondary).
//!
//! A percentage's or average's numerator and denominator are the catalogue counts they are built
//! on (the same cell, not a copy), so hiding the count hides the ratio, wherever it is shown.

use super::figures::{Shown, Suppression, plain, plain_parts};
use crate::domain::{Area, Need, PhaseGroup, Term};
use crate::kpi::catalogue::{Figure, Measure, OverTerms};
use crate::kpi::framework;
use crate::kpi::report::Return;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// One published number: a measure's count (or a ratio's numerator or denominator) in a column
/// (`None`: the period's own; `Some(term)`: that term's in a return of several terms).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub key: String,
    pub column: Option<Term>,
}

impl Cell {
    fn new(key: impl Into<String>, column: Option<Term>) -> Cell {
        Cell { key: key.into(), column }
    }

    /// How the JSON lists it: the key, with `@T3` for a term's column.
    pub fn name(&self) -> String {
        match self.column {
            None => self.key.clone(),
            Some(t) => format!("{}@{t}", self.key),
        }
    }
}

/// What a copy of a return hides.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    hidden: HashSet<Cell>,
    /// Hidden only so that another hidden cell cannot be worked out, in the order decided.
    pub secondary: Vec<Cell>,
    pub below: Option<u32>,
}

/// The key of a table row's total on the referrals-by-need sheet.
pub fn need_total_key(area: Area, code: &str) -> String {
    format!("referrals_by_need.total.{area}.{code}")
}

impl Plan {
    /// Nothing hidden (the team's own copy, the screens).
    pub fn none() -> Plan {
        Plan::default()
    }

    /// The cells of a return hidden at `s.below`, primary and secondary.
    pub fn for_return(r: &Return, s: Suppression) -> Plan {
        let Some(below) = s.below else { return Plan::none() };
        let sheet = Sheet::of(r);
        let (hidden, secondary) = decide(&sheet.cells, &groups(r, &sheet), below);
        Plan { hidden, secondary, below: Some(below) }
    }

    /// The plans of a whole and its parts (the county and its districts), whose cells also add up
    /// across them: a cell of the whole is the sum of the same cell in the parts that publish it.
    /// So a cell hidden in one part cannot be worked out from the whole's total and the other
    /// parts either. Returns the whole's plan and each part's.
    pub fn for_whole_and_parts(whole: &Return, parts: &[Return], s: Suppression) -> (Plan, Vec<Plan>) {
        let Some(below) = s.below else { return (Plan::none(), vec![Plan::none(); parts.len()]) };
        let returns: Vec<&Return> = std::iter::once(whole).chain(parts).collect();
        let sheets: Vec<Sheet> = returns.iter().map(|r| Sheet::of(r)).collect();
        let cells: Vec<((usize, Cell), i64)> = sheets
            .iter()
            .enumerate()
            .flat_map(|(i, sheet)| sheet.cells.iter().map(move |(c, v)| ((i, c.clone()), *v)))
            .collect();
        let mut all_groups: Vec<Vec<(usize, Cell)>> = Vec::new();
        for (i, (r, sheet)) in returns.iter().zip(&sheets).enumerate() {
            all_groups.extend(groups(r, sheet).into_iter().map(|g| g.into_iter().map(|c| (i, c)).collect()));
        }
        for (cell, _) in &sheets[0].cells {
            let mut group = vec![(0, cell.clone())];
            group.extend((1..sheets.len()).filter(|i| sheets[*i].has(cell)).map(|i| (i, cell.clone())));
            all_groups.push(group);
        }
        let (hidden, secondary) = decide(&cells, &all_groups, below);
        let plan = |i: usize| Plan {
            hidden: hidden.iter().filter(|(j, _)| *j == i).map(|(_, c)| c.clone()).collect(),
            secondary: secondary.iter().filter(|(j, _)| *j == i).map(|(_, c)| c.clone()).collect(),
            below: Some(below),
        };
        (plan(0), (1..returns.len()).map(plan).collect())
    }

    /// Whether a cell is hidden.
    pub fn hides_cell(&self, cell: &Cell) -> bool {
        self.hidden.contains(cell)
    }

    fn hides(&self, key: &str, column: Option<Term>) -> bool {
        !self.hidden.is_empty() && self.hidden.contains(&Cell::new(key, column))
    }

    fn hides_measure(&self, m: &Measure, column: Option<Term>) -> bool {
        match m.figure {
            Figure::Count(_) => self.hides(&m.id, column),
            Figure::Ratio { .. } => {
                let (num, den) = part_keys(&m.id);
                self.hides(&num, column) || self.hides(&den, column)
            }
            // The denominator is an FTE, not a count of people.
            Figure::PerFte { .. } => self.hides(&part_keys(&m.id).0, column),
            Figure::Fte(_) | Figure::Manual(_) => false,
        }
    }

    /// A measure's value in a column, as shown.
    pub fn value(&self, m: &Measure, column: Option<Term>) -> Shown {
        if !m.not_collected && self.hides_measure(m, column) {
            return Shown::Suppressed;
        }
        plain(m)
    }

    /// Numerator and denominator as shown (null for plain counts, FTE and manual figures).
    pub fn parts(&self, m: &Measure, column: Option<Term>) -> (Shown, Shown) {
        if m.is_ratio() && !m.not_collected && self.hides_measure(m, column) {
            return (Shown::Suppressed, Shown::Suppressed);
        }
        plain_parts(m)
    }
}

/// The cells of a ratio's numerator and denominator: the catalogue counts they are, where they
/// are counts of the catalogue, else their own.
fn part_keys(id: &str) -> (String, String) {
    let (num, den) = crate::kpi::catalogue::def(id).map(|d| d.parts()).unwrap_or_default();
    (
        num.map_or_else(|| format!("{id}#numerator"), str::to_string),
        den.map_or_else(|| format!("{id}#denominator"), str::to_string),
    )
}

/// Every count a return publishes, with its value, in the return's order.
struct Sheet {
    cells: Vec<(Cell, i64)>,
    index: HashMap<Cell, (usize, i64)>,
}

impl Sheet {
    fn of(r: &Return) -> Sheet {
        let mut sheet = Sheet { cells: Vec::new(), index: HashMap::new() };
        let terms = r.span.terms();
        for line in &r.lines {
            sheet.add_measure(&line.measure, None);
            for (t, m) in terms.iter().zip(line.terms.iter().flatten()) {
                if let Some(m) = m {
                    sheet.add_measure(m, Some(*t));
                }
            }
        }
        // The referrals-by-need sheet: every cell, and each row's total.
        for m in &r.by_need {
            sheet.add_measure(m, None);
        }
        for area in Area::ALL {
            for code in Need::for_area(*area).map(Need::code).chain(["none"]) {
                let [ey, school] = [PhaseGroup::EarlyYears, PhaseGroup::School]
                    .map(|g| sheet.value(&Cell::new(format!("referrals_by_need.{g}.{area}.{code}"), None)));
                sheet.add(Cell::new(need_total_key(*area, code), None), ey + school);
            }
        }
        sheet
    }

    fn add(&mut self, cell: Cell, value: i64) {
        if !self.index.contains_key(&cell) {
            self.index.insert(cell.clone(), (self.cells.len(), value));
            self.cells.push((cell, value));
        }
    }

    fn add_measure(&mut self, m: &Measure, column: Option<Term>) {
        // A figure not collected is not published: a reader knows nothing of it.
        if m.not_collected {
            return;
        }
        match m.figure {
            Figure::Count(n) => self.add(Cell::new(&m.id, column), n),
            Figure::Ratio { num, den } => {
                let (n, d) = part_keys(&m.id);
                self.add(Cell::new(n, column), num);
                self.add(Cell::new(d, column), den);
            }
            Figure::PerFte { num, .. } => self.add(Cell::new(part_keys(&m.id).0, column), num),
            _ => {}
        }
    }

    /// A cell's value; 0 for one not published (a by-need cell with no referral).
    fn value(&self, c: &Cell) -> i64 {
        self.index.get(c).map_or(0, |(_, v)| *v)
    }

    fn has(&self, c: &Cell) -> bool {
        self.index.contains_key(c)
    }

    /// The published cells of a column whose keys match a pattern (`prefix.*` or an id).
    fn matching(&self, pattern: &str, column: Option<Term>) -> Vec<Cell> {
        match pattern.strip_suffix(".*") {
            Some(prefix) => self
                .cells
                .iter()
                .filter(|(c, _)| {
                    c.column == column && c.key.starts_with(prefix) && c.key[prefix.len()..].starts_with('.')
                })
                .map(|(c, _)| c.clone())
                .collect(),
            None => {
                let c = Cell::new(pattern, column);
                if self.has(&c) { vec![c] } else { Vec::new() }
            }
        }
    }
}

/// The cells hidden at `below`: every small one, then, while any group has exactly one hidden
/// cell, its smallest other cell (not a zero while another is left, since a zero is often known
/// anyway; the first in `cells`' order on a tie), listed in the order decided as secondary.
fn decide<K: Clone + Eq + Hash>(cells: &[(K, i64)], groups: &[Vec<K>], below: u32) -> (HashSet<K>, Vec<K>) {
    let small = |n: i64| n >= 1 && n < i64::from(below);
    let at: HashMap<&K, (usize, i64)> = cells.iter().enumerate().map(|(i, (k, v))| (k, (i, *v))).collect();
    let value = |k: &K| at.get(k).map_or(0, |(_, v)| *v);
    let order = |k: &K| at.get(k).map_or(usize::MAX, |(i, _)| *i);
    let mut hidden: HashSet<K> = cells.iter().filter(|(_, v)| small(*v)).map(|(k, _)| k.clone()).collect();
    let mut secondary = Vec::new();
    loop {
        let mut changed = false;
        for group in groups {
            if group.iter().filter(|c| hidden.contains(*c)).count() != 1 {
                continue;
            }
            let next = group
                .iter()
                .filter(|c| !hidden.contains(*c))
                .min_by_key(|c| (value(c) == 0, value(c), order(c)))
                .cloned();
            if let Some(cell) = next {
                hidden.insert(cell.clone());
                secondary.push(cell);
                changed = true;
            }
        }
        if !changed {
            return (hidden, secondary);
        }
    }
}

/// Every group of cells whose sums are equal, for every column of the return.
fn groups(r: &Return, sheet: &Sheet) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    let mut columns = vec![None];
    columns.extend(r.span.terms().into_iter().map(Some).filter(|_| r.span.term().is_none()));
    // The framework's additive groups (a total and its parts).
    if let Some(f) = framework::find(&r.framework_id) {
        for g in &f.groups {
            for column in &columns {
                let cells: Vec<Cell> =
                    g.total.iter().chain(&g.parts).flat_map(|p| sheet.matching(p, *column)).collect();
                out.push(cells);
            }
        }
    }
    // A period of several terms: an event count is the sum of its terms' counts.
    if r.span.term().is_none() {
        let ids: Vec<String> = sheet
            .cells
            .iter()
            .filter(|(c, _)| {
                c.column.is_none()
                    && crate::kpi::catalogue::def(&c.key).is_some_and(|d| d.over_terms == OverTerms::Sum)
            })
            .map(|(c, _)| c.key.clone())
            .collect();
        for id in ids {
            let mut cells = vec![Cell::new(&id, None)];
            cells
                .extend(r.span.terms().into_iter().map(|t| Cell::new(&id, Some(t))).filter(|c| sheet.has(c)));
            out.push(cells);
        }
    }
    // The referrals-by-need sheet: each row's two cells and its total.
    for area in Area::ALL {
        for code in Need::for_area(*area).map(Need::code).chain(["none"]) {
            let mut cells: Vec<Cell> = [PhaseGroup::EarlyYears, PhaseGroup::School]
                .map(|g| Cell::new(format!("referrals_by_need.{g}.{area}.{code}"), None))
                .into_iter()
                .filter(|c| sheet.has(c))
                .collect();
            cells.push(Cell::new(need_total_key(*area, code), None));
            out.push(cells);
        }
    }
    out
}
