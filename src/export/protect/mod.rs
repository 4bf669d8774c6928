//! The protection rule (docs/returns.md, "Suppression that holds against bounds"): a reader who knows that every
//! `c` is a whole number of at least 0, and every relation between the figures (a total is the sum
//! of its parts, a period the sum of its terms, the county the sum of its districts), must still
//! find every value from 1 to N possible for every hidden cell. The program checks it before
//! writing, and hides further cells until it holds.
//!
//! The check bounds each hidden cell by linear programming over all the relations at once: the
//! least and the most it can be, with the published figures as constants and the hidden ones as
//! unknowns of at least 0. That is the reader's strongest linear attack: any bound a reader can
//! reach by adding and subtracting relations and using "at least 0" is a combination of those
//! inequalities, and by linear programming duality the programme's optimum is the tightest such
//! bound. (A cell's true value is always possible, so the programme is never infeasible.)
//!
//! Cheap reasoning comes first, and the solver only where it is needed: cells are checked one
//! connected set at a time (cells linked by relations); a cell whose true value is 0 or 1 can be
//! at most 1, and one of N or more can be N, as it is; every solution the solver finds is such a
//! witness for every cell of its set (one programme pushes many cells to N, or to 1, at once); a
//! relation whose unknowns are all on one side bounds each of them by its constant, and bounds
//! narrowed relation by relation find most narrowed cells, without a solve. Hiding a further cell only turns a constant into
//! an unknown, so what a cell could be only widens: a cell once shown safe stays safe.

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// Cells whose sums are equal: `total` (one or more cells) is the sum of `parts`.
#[derive(Debug, Clone)]
pub struct Relation<K> {
    pub total: Vec<K>,
    pub parts: Vec<K>,
}

/// Slack for the solver's round-off (figures are whole numbers).
const EPS: f64 = 1e-6;

/// A relation over cell indices: sum of `coef * x` is 0.
struct Equation(Vec<(usize, i64)>);

struct State {
    values: Vec<i64>,
    hidden: Vec<bool>,
    /// The cell can be at most 1 (a witness found).
    low: Vec<bool>,
    /// The cell can be `below` or more.
    high: Vec<bool>,
    below: f64,
    equations: Vec<Equation>,
    /// The equations each cell is in.
    of_cell: Vec<Vec<usize>>,
}

/// Hides further cells of `cells` (in the return's order) until every hidden cell could be any
/// value from 1 to `below`. Returns the cell that cannot be protected however much is hidden.
pub fn protect<K: Clone + Eq + Hash>(
    cells: &[(K, i64)],
    relations: &[Relation<K>],
    hidden: &mut HashSet<K>,
    below: u32,
) -> Result<(), K> {
    if below <= 1 {
        return Ok(());
    }
    let mut st = State::new(cells, relations, hidden, below);
    loop {
        st.hide_for_single_relations().map_err(|i| cells[i].0.clone())?;
        // Every failing cell of every set, then one more hidden cell for each, but not for a
        // cell near one just dealt with (the cell hidden for it may be enough for both).
        let mut near: HashSet<usize> = HashSet::new();
        let mut hid = false;
        for set in st.connected_sets() {
            for failing in st.failing(&set) {
                let neighbours: Vec<usize> = st.of_cell[failing]
                    .iter()
                    .flat_map(|e| st.equations[*e].0.iter().map(|(j, _)| *j))
                    .collect();
                if near.contains(&failing) || neighbours.iter().any(|j| near.contains(j)) {
                    near.insert(failing);
                    continue;
                }
                let candidate = st.candidate(failing, &set).ok_or_else(|| cells[failing].0.clone())?;
                st.hide(candidate);
                near.extend(neighbours);
                hid = true;
            }
        }
        if !hid {
            break;
        }
    }
    hidden.extend((0..cells.len()).filter(|i| st.hidden[*i]).map(|i| cells[i].0.clone()));
    Ok(())
}

impl State {
    fn new<K: Clone + Eq + Hash>(
        cells: &[(K, i64)],
        relations: &[Relation<K>],
        hidden: &HashSet<K>,
        below: u32,
    ) -> State {
        let mut at: HashMap<&K, usize> = cells.iter().enumerate().map(|(i, (k, _))| (k, i)).collect();
        let mut values: Vec<i64> = cells.iter().map(|(_, v)| *v).collect();
        let mut equations = Vec::new();
        for r in relations {
            let mut coef: HashMap<usize, i64> = HashMap::new();
            let mut unknown = false;
            let sides = r.total.iter().map(|k| (k, 1)).chain(r.parts.iter().map(|k| (k, -1)));
            for (k, sign) in sides {
                // A cell the copy does not publish is an unknown of at least 0 to a reader.
                let i = *at.entry(k).or_insert_with(|| {
                    values.push(0);
                    values.len() - 1
                });
                unknown |= i >= cells.len();
                *coef.entry(i).or_default() += sign;
            }
            let mut terms: Vec<(usize, i64)> = coef.into_iter().filter(|(_, c)| *c != 0).collect();
            terms.sort_unstable();
            // Only what is true of the figures binds them (a relation that does not hold tells
            // a reader nothing true); one with an unpublished cell cannot be checked.
            if terms.len() > 1 && (unknown || terms.iter().map(|(i, c)| c * values[*i]).sum::<i64>() == 0) {
                equations.push(Equation(terms));
            }
        }
        let mut of_cell = vec![Vec::new(); values.len()];
        for (e, eq) in equations.iter().enumerate() {
            for (i, _) in &eq.0 {
                of_cell[*i].push(e);
            }
        }
        let n = values.len();
        let mut st = State {
            hidden: vec![false; n],
            low: vec![false; n],
            high: vec![false; n],
            values,
            below: f64::from(below),
            equations,
            of_cell,
        };
        for (i, (k, _)) in cells.iter().enumerate() {
            if hidden.contains(k) {
                st.hide(i);
            }
        }
        // Unpublished cells: unknowns, never shown, so nothing to protect or hide.
        for i in cells.len()..n {
            (st.hidden[i], st.low[i], st.high[i]) = (true, true, true);
        }
        st
    }

    fn hide(&mut self, i: usize) {
        self.hidden[i] = true;
        // Its own value is possible; a cell in no relation can be anything.
        let free = self.of_cell[i].is_empty();
        self.low[i] = free || self.values[i] <= 1;
        self.high[i] = free || self.values[i] as f64 >= self.below;
    }

    fn safe(&self, i: usize) -> bool {
        self.low[i] && self.high[i]
    }

    /// The hidden cells linked by relations, each set in the return's order; only sets with a
    /// cell not yet shown safe.
    fn connected_sets(&self) -> Vec<Vec<usize>> {
        let n = self.values.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for eq in &self.equations {
            let mut first = None;
            for (i, _) in eq.0.iter().filter(|(i, _)| self.hidden[*i]) {
                match first {
                    None => first = Some(*i),
                    Some(f) => {
                        let (a, b) = (root(&mut parent, f), root(&mut parent, *i));
                        parent[a] = b;
                    }
                }
            }
        }
        let mut sets: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut order = Vec::new();
        for i in (0..n).filter(|i| self.hidden[*i]) {
            let r = root(&mut parent, i);
            let set = sets.entry(r).or_default();
            if set.is_empty() {
                order.push(r);
            }
            set.push(i);
        }
        order
            .into_iter()
            .filter_map(|r| sets.remove(&r))
            .filter(|set| set.iter().any(|i| !self.safe(*i)))
            .collect()
    }

    /// An equation's unknowns (hidden cells with their coefficients) and its constant: the sum
    /// of `coef * x` over the unknowns equals the constant.
    fn unknowns(&self, e: usize) -> (Vec<(usize, i64)>, i64) {
        let mut unknowns = Vec::new();
        let mut constant = 0;
        for (i, c) in &self.equations[e].0 {
            if self.hidden[*i] {
                unknowns.push((*i, *c));
            } else {
                constant -= c * self.values[*i];
            }
        }
        (unknowns, constant)
    }

    /// The cheap part, over every cell at once: while a hidden cell is given away by one
    /// relation alone, hide another of its relations' cells.
    fn hide_for_single_relations(&mut self) -> Result<(), usize> {
        loop {
            let mut changed = false;
            for i in 0..self.values.len() {
                if self.hidden[i] && !self.safe(i) && self.bounded_by_one_relation(i) {
                    let c = self.candidate(i, &[i]).ok_or(i)?;
                    self.hide(c);
                    changed = true;
                }
            }
            if !changed {
                return Ok(());
            }
        }
    }

    /// The cells of a set that a reader could narrow, after the cheap reasoning and then the
    /// solver; every solution found shows other cells of the set safe too.
    fn failing(&mut self, set: &[usize]) -> Vec<usize> {
        let cheap: Vec<usize> =
            set.iter().copied().filter(|i| !self.safe(*i) && self.bounded_by_one_relation(*i)).collect();
        if !cheap.is_empty() {
            return cheap;
        }
        let bounds = self.propagate(set);
        let narrowed: Vec<usize> = set
            .iter()
            .copied()
            .filter(|i| {
                let (least, most) = bounds[i];
                (!self.low[*i] && least > 1.0 + EPS) || (!self.high[*i] && most < self.below - EPS)
            })
            .collect();
        if !narrowed.is_empty() {
            return narrowed;
        }
        // One programme for many cells: as many of them as can be N (or 1) at once.
        for high in [true, false] {
            while self.solve_many(set, high) > 0 {}
        }
        let mut out = Vec::new();
        for &i in set {
            for (needed, direction) in [
                (!self.low[i], OptimizationDirection::Minimize),
                (!self.high[i], OptimizationDirection::Maximize),
            ] {
                if needed && !self.solve(set, i, direction) {
                    out.push(i);
                    break;
                }
            }
        }
        out
    }

    /// Bounds on every unknown of a set, narrowed relation by relation until they settle (or
    /// for a fixed number of rounds): each is sound, so a bound that fails the rule shows a
    /// narrowed cell without the solver (the solver's bounds are never wider).
    fn propagate(&self, set: &[usize]) -> HashMap<usize, (f64, f64)> {
        let mut bounds: HashMap<usize, (f64, f64)> = set.iter().map(|&i| (i, (0.0, f64::INFINITY))).collect();
        let equations: HashSet<usize> = set.iter().flat_map(|i| self.of_cell[*i].iter().copied()).collect();
        let mut equations: Vec<usize> = equations.into_iter().collect();
        equations.sort_unstable();
        let system: Vec<(Vec<(usize, i64)>, i64)> = equations.iter().map(|e| self.unknowns(*e)).collect();
        for _ in 0..50 {
            let mut changed = false;
            for (unknowns, constant) in &system {
                for (i, ci) in unknowns {
                    // ci * x_i = constant - (the others), whose least and most are:
                    let (mut least, mut most) = (0.0, 0.0);
                    for (j, cj) in unknowns.iter().filter(|(j, _)| j != i) {
                        let (lo, hi) = bounds[j];
                        let cj = *cj as f64;
                        if cj > 0.0 {
                            (least, most) = (least + cj * lo, most + cj * hi);
                        } else {
                            (least, most) = (least + cj * hi, most + cj * lo);
                        }
                    }
                    let (a, b) =
                        ((*constant as f64 - most) / *ci as f64, (*constant as f64 - least) / *ci as f64);
                    let (lo, hi) = if *ci > 0 { (a, b) } else { (b, a) };
                    let entry = bounds.get_mut(i).expect("an unknown of the set");
                    if lo > entry.0 + EPS {
                        entry.0 = lo;
                        changed = true;
                    }
                    if hi < entry.1 - EPS {
                        entry.1 = hi;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        bounds
    }

    /// A relation whose unknowns are all on one side: each is at most its constant, so one
    /// below N gives the cell away.
    fn bounded_by_one_relation(&self, i: usize) -> bool {
        self.of_cell[i].iter().any(|&e| {
            let (unknowns, constant) = self.unknowns(e);
            let sign = unknowns.iter().find(|(j, _)| *j == i).map_or(0, |(_, c)| c.signum());
            let one_side = unknowns.iter().all(|(_, c)| c.signum() == sign);
            let most = constant * sign;
            // A lone unknown is known exactly, which no N of 2 or more allows.
            one_side && (unknowns.len() == 1 || (most as f64) < self.below)
        })
    }

    /// The set's relations, as constraints of a programme over its cells' unknowns.
    fn constrain(&self, problem: &mut Problem, set: &[usize], vars: &HashMap<usize, microlp::Variable>) {
        let mut seen = HashSet::new();
        for &j in set {
            for &e in &self.of_cell[j] {
                if !seen.insert(e) {
                    continue;
                }
                let (unknowns, constant) = self.unknowns(e);
                let expr: Vec<(microlp::Variable, f64)> =
                    unknowns.iter().map(|(k, c)| (vars[k], *c as f64)).collect();
                problem.add_constraint(expr, ComparisonOp::Eq, constant as f64);
            }
        }
    }

    /// Records a solution's cells as witnesses; returns how many bounds it newly showed.
    fn witness(&mut self, vars: &HashMap<usize, microlp::Variable>, solution: &microlp::Solution) -> usize {
        let mut shown = 0;
        for (&j, var) in vars {
            let x = solution.var_value(*var);
            let (low, high) = (x <= 1.0 + EPS, x >= self.below - EPS);
            shown += usize::from(low && !self.low[j]) + usize::from(high && !self.high[j]);
            self.low[j] |= low;
            self.high[j] |= high;
        }
        shown
    }

    /// Pushes every cell of the set not yet shown to reach N (`high`) or 1 towards it at once:
    /// the most of their sum with each at most N, or the least of their sum. (Their true values
    /// meet those bounds, so the programme has a solution, and any solution is a witness.)
    /// Returns how many bounds it showed.
    fn solve_many(&mut self, set: &[usize], high: bool) -> usize {
        let todo: HashSet<usize> =
            set.iter().copied().filter(|j| if high { !self.high[*j] } else { !self.low[*j] }).collect();
        if todo.is_empty() {
            return 0;
        }
        let direction = if high { OptimizationDirection::Maximize } else { OptimizationDirection::Minimize };
        let mut problem = Problem::new(direction);
        let vars: HashMap<usize, microlp::Variable> = set
            .iter()
            .map(|&j| {
                let pushed = todo.contains(&j);
                let most = if pushed && high { self.below } else { f64::INFINITY };
                (j, problem.add_var(if pushed { 1.0 } else { 0.0 }, (0.0, most)))
            })
            .collect();
        self.constrain(&mut problem, set, &vars);
        match problem.solve().map(|o| o.into_solution()) {
            Ok(Ok(solution)) => self.witness(&vars, &solution),
            _ => 0,
        }
    }

    /// The least (or most) cell `i` can be over the set's relations; records every solution's
    /// cells as witnesses and says whether `i` passes in that direction.
    fn solve(&mut self, set: &[usize], i: usize, direction: OptimizationDirection) -> bool {
        let mut problem = Problem::new(direction);
        let vars: HashMap<usize, microlp::Variable> = set
            .iter()
            .map(|&j| (j, problem.add_var(if j == i { 1.0 } else { 0.0 }, (0.0, f64::INFINITY))))
            .collect();
        self.constrain(&mut problem, set, &vars);
        let solved = problem.solve();
        let solution = match solved.map(|o| o.into_solution()) {
            Ok(Ok(s)) => s,
            // No limit upwards: the cell can be as large as any N.
            Err(microlp::Error::Unbounded) if direction == OptimizationDirection::Maximize => {
                self.high[i] = true;
                return true;
            }
            // The solver could not answer: count the cell as narrowed, and hide more.
            _ => return false,
        };
        self.witness(&vars, &solution);
        match direction {
            OptimizationDirection::Minimize => self.low[i],
            OptimizationDirection::Maximize => self.high[i],
        }
    }

    /// The cell to hide next for a failing one: the smallest published cell of its relations
    /// (the first in the return's order on a tie; a zero only when nothing else is left), else
    /// of its set's relations.
    fn candidate(&self, failing: usize, set: &[usize]) -> Option<usize> {
        let pick = |equations: &mut dyn Iterator<Item = usize>| {
            equations
                .flat_map(|e| self.equations[e].0.iter().map(|(j, _)| *j))
                .filter(|j| !self.hidden[*j])
                .min_by_key(|j| (self.values[*j] == 0, self.values[*j], *j))
        };
        pick(&mut self.of_cell[failing].iter().copied())
            .or_else(|| pick(&mut set.iter().flat_map(|i| self.of_cell[*i].iter().copied())))
    }
}

#[cfg(test)]
mod tests;
