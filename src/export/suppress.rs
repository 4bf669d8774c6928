//! Small-count suppression that holds against bounds (docs/returns.md, "Small-count
//! suppression").
//!
//! Counts from 1 to N-1 are hidden (`c`), and so is every percentage or average built on one. That
//! alone leaks: a published total minus its other published parts gives a hidden cell back, and
//! a reader can narrow hidden cells over all the figures that add up at once. So the figures that
//! add up are known as **relations** (a total and its parts, a period and its terms, a table's
//! row and its total), and further cells are hidden until every hidden cell could still be any
//! value from 1 to N (`protect`). A copy never says which hidden cells were small.
//!
//! A percentage's or average's numerator and denominator are the catalogue counts they are built
//! on (the same cell, not a copy), so hiding the count hides the ratio, wherever it is shown.

use super::figures::{Shown, Suppression, plain, plain_parts};
use super::protect::{Relation, protect};
use crate::domain::{Area, PhaseGroup, Scope, Term};
use crate::kpi::catalogue::family::{need_cell, need_codes};
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
}

/// What a copy of a return hides (small counts and the cells that protect them alike: a
/// published copy does not tell them apart).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    hidden: HashSet<Cell>,
    pub below: Option<u32>,
}

/// A copy that cannot be protected: a hidden cell stays narrowed however much else is hidden.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "small counts cannot be hidden safely at --suppress-below {below}: {cell} could still be worked \
     out from the other figures however many of them are hidden, so the copy is not written; \
     choose a smaller --suppress-below, or do not publish this return"
)]
pub struct Unprotectable {
    pub cell: String,
    pub below: u32,
}

/// The key of a table row's total on the referrals-by-need sheet.
pub fn need_total_key(area: Area, code: &str) -> String {
    crate::kpi::catalogue::family::need_total(area, code)
}

impl Plan {
    /// Nothing hidden (the team's own copy, the screens).
    pub fn none() -> Plan {
        Plan::default()
    }

    /// The cells of a return hidden at `s.below`: the small counts and those that protect them.
    pub fn for_return(r: &Return, s: Suppression) -> Result<Plan, Unprotectable> {
        let Some(below) = s.below else { return Ok(Plan::none()) };
        let sheet = Sheet::of(r);
        let hidden = decide(&sheet.cells, &groups(r, &sheet), below, HashSet::new())
            .map_err(|cell| Unprotectable { cell: describe(&cell), below })?;
        Ok(Plan { hidden, below: Some(below) })
    }

    /// The plans of a whole and its parts (the county and its districts), whose cells also add up
    /// across them: a cell of the whole is the sum of the same cell in the parts that publish it.
    /// So a cell hidden in one part cannot be worked out from the whole's total and the other
    /// parts either. Returns the whole's plan and each part's (`names`: the parts', for a
    /// message).
    pub fn for_whole_and_parts(
        whole: &Return,
        parts: &[Return],
        names: &[String],
        s: Suppression,
    ) -> Result<(Plan, Vec<Plan>), Unprotectable> {
        let Some(below) = s.below else { return Ok((Plan::none(), vec![Plan::none(); parts.len()])) };
        let returns: Vec<&Return> = std::iter::once(whole).chain(parts).collect();
        // A cell of the whole is the sum of the same cell in the parts that publish it.
        let across = |sheets: &[Sheet]| -> Vec<Relation<(usize, Cell)>> {
            sheets[0]
                .cells
                .iter()
                .map(|(cell, _)| {
                    let parts = (1..sheets.len())
                        .filter(|i| sheets[*i].has(cell))
                        .map(|i| (i, cell.clone()))
                        .collect();
                    Relation { total: vec![(0, cell.clone())], parts }
                })
                .collect()
        };
        let whose =
            |i: usize| if i == 0 { "the county's".to_string() } else { format!("{}'s", names[i - 1]) };
        let mut plans = together(&returns, across, below, whose, &[])?;
        let whole = plans.remove(0);
        Ok((whole, plans))
    }

    /// The plans of a return and of the whole year it is part of, published together (the
    /// monitoring pack's tables and its charts): a cell the two share is the same cell, so it
    /// is hidden in both or in neither, and neither copy's figures narrow the other's.
    pub fn for_return_and_year(
        r: &Return,
        year: &Return,
        s: Suppression,
    ) -> Result<(Plan, Plan), Unprotectable> {
        let Some(below) = s.below else { return Ok((Plan::none(), Plan::none())) };
        // The return's column that is the year's term column or the year's own.
        let same = |column: Option<Term>| -> Option<Option<Term>> {
            match (r.span, column) {
                (Scope::Term(t), None) => Some(Some(t)),
                (Scope::Terms(_), Some(t)) | (Scope::Year, Some(t)) => Some(Some(t)),
                (Scope::Year, None) => Some(None),
                _ => None,
            }
        };
        let link = |sheets: &[Sheet]| -> Vec<Relation<(usize, Cell)>> {
            sheets[0]
                .cells
                .iter()
                .filter_map(|(cell, _)| {
                    let twin = Cell::new(&cell.key, same(cell.column)?);
                    sheets[1]
                        .has(&twin)
                        .then(|| Relation { total: vec![(0, cell.clone())], parts: vec![(1, twin)] })
                })
                .collect()
        };
        let whose = |i: usize| if i == 0 { "the return's".to_string() } else { "the year's".to_string() };
        // Each hides at least what its own export hides, so that the pack and the exports of
        // the same figures do not give each other away.
        let own = [Plan::for_return(r, s)?, Plan::for_return(year, s)?];
        let mut plans = together(&[r, year], link, below, whose, &[&own[0], &own[1]])?;
        let year_plan = plans.pop().unwrap_or_default();
        Ok((plans.pop().unwrap_or_default(), year_plan))
    }

    /// The sentence a copy made with this plan opens with (none when nothing is suppressed).
    pub fn notice(&self) -> Option<String> {
        Suppression { below: self.below }.notice()
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
    /// Each part is `c` only where its own cell is hidden: a part that is a count shown
    /// elsewhere in the copy would otherwise be a `c` anyone can read off.
    pub fn parts(&self, m: &Measure, column: Option<Term>) -> (Shown, Shown) {
        let (num, den) = plain_parts(m);
        if !m.is_ratio() || m.not_collected {
            return (num, den);
        }
        let (num_key, den_key) = part_keys(&m.id);
        let hide = |shown: Shown, key: &str, counted: bool| {
            if counted && self.hides(key, column) { Shown::Suppressed } else { shown }
        };
        // An FTE denominator is not a count of people, and is never hidden.
        let den_counted = matches!(m.figure, Figure::Ratio { .. });
        (hide(num, &num_key, true), hide(den, &den_key, den_counted))
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
            for code in need_codes(*area) {
                let [ey, school] = [PhaseGroup::EarlyYears, PhaseGroup::School]
                    .map(|g| sheet.value(&Cell::new(need_cell(g, *area, code), None)));
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

/// The plans of several returns published together: each one's cells and relations, and the
/// relations `across` them, protected as one.
fn together(
    returns: &[&Return],
    across: impl Fn(&[Sheet]) -> Vec<Relation<(usize, Cell)>>,
    below: u32,
    whose: impl Fn(usize) -> String,
    already: &[&Plan],
) -> Result<Vec<Plan>, Unprotectable> {
    let sheets: Vec<Sheet> = returns.iter().map(|r| Sheet::of(r)).collect();
    let cells: Vec<((usize, Cell), i64)> = sheets
        .iter()
        .enumerate()
        .flat_map(|(i, sheet)| sheet.cells.iter().map(move |(c, v)| ((i, c.clone()), *v)))
        .collect();
    let mut all: Vec<Relation<(usize, Cell)>> = Vec::new();
    for (i, (r, sheet)) in returns.iter().zip(&sheets).enumerate() {
        let tag = |side: Vec<Cell>| side.into_iter().map(|c| (i, c)).collect();
        all.extend(
            groups(r, sheet).into_iter().map(|g| Relation { total: tag(g.total), parts: tag(g.parts) }),
        );
    }
    all.extend(across(&sheets));
    let hidden = already.iter().enumerate().flat_map(|(i, p)| p.hidden.iter().map(move |c| (i, c.clone())));
    let hidden = decide(&cells, &all, below, hidden.collect())
        .map_err(|(i, cell)| Unprotectable { cell: format!("{} {}", whose(i), describe(&cell)), below })?;
    let plan = |i: usize| Plan {
        hidden: hidden.iter().filter(|(j, _)| *j == i).map(|(_, c)| c.clone()).collect(),
        below: Some(below),
    };
    Ok((0..returns.len()).map(plan).collect())
}

/// The cells hidden at `below`: those `already` hidden and every small one, then as many others
/// as it takes for each to hold against bounds (`protect`). Returns a cell that cannot be
/// protected.
fn decide<K: Clone + Eq + Hash>(
    cells: &[(K, i64)],
    relations: &[Relation<K>],
    below: u32,
    mut already: HashSet<K>,
) -> Result<HashSet<K>, K> {
    let small = |n: i64| n >= 1 && n < i64::from(below);
    already.extend(cells.iter().filter(|(_, v)| small(*v)).map(|(k, _)| k.clone()));
    protect(cells, relations, &mut already, below)?;
    Ok(already)
}

/// A cell in words, for a message: its measure id, and the term of a term's column.
fn describe(c: &Cell) -> String {
    match c.column {
        None => c.key.clone(),
        Some(t) => format!("{} in {t}", c.key),
    }
}

/// Every relation between the cells (a total and the parts it is the sum of), for every
/// column of the return.
fn groups(r: &Return, sheet: &Sheet) -> Vec<Relation<Cell>> {
    let mut out = Vec::new();
    let mut columns = vec![None];
    columns.extend(r.span.terms().into_iter().map(Some).filter(|_| r.span.term().is_none()));
    // The framework's additive groups (a total and its parts).
    if let Some(f) = framework::find(&r.framework_id) {
        for g in &f.groups {
            for column in &columns {
                // A named cell the return does not publish is still in the sum: an unknown.
                let side = |patterns: &[String]| -> Vec<Cell> {
                    patterns
                        .iter()
                        .flat_map(|p| match p.ends_with(".*") {
                            true => sheet.matching(p, *column),
                            false => vec![Cell::new(p, *column)],
                        })
                        .collect()
                };
                out.push(Relation { total: side(&g.total), parts: side(&g.parts) });
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
            let parts = r
                .span
                .terms()
                .into_iter()
                .map(|t| Cell::new(&id, Some(t)))
                .filter(|c| sheet.has(c))
                .collect();
            out.push(Relation { total: vec![Cell::new(&id, None)], parts });
        }
    }
    // The referrals-by-need sheet: each row's total and its two cells.
    for area in Area::ALL {
        for code in need_codes(*area) {
            let parts: Vec<Cell> = [PhaseGroup::EarlyYears, PhaseGroup::School]
                .map(|g| Cell::new(need_cell(g, *area, code), None))
                .into_iter()
                .filter(|c| sheet.has(c))
                .collect();
            out.push(Relation { total: vec![Cell::new(need_total_key(*area, code), None)], parts });
        }
    }
    out
}
