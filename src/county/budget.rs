//! The districts' budget lines checked against each other: the core and outreach budgets make
//! the SLA total, and spending to date never falls from one term to the next. A mismatch is a
//! warning in every output, naming the district, the column and the difference; the figures are
//! combined as sent (the district's own return is the record).

use super::County;
use super::read::COLUMNS;
use crate::domain::manual::money;

/// Pennies apart, from typing or rounding, is not a mismatch.
const TOLERANCE: f64 = 0.005;

impl County {
    /// A district's number for a measure in a column, when it reports one.
    fn given(&self, id: &str, district: usize, column: usize) -> Option<f64> {
        let m = self.measures.iter().find(|m| m.id == id)?;
        let g = &m.districts[district].as_ref()?[column];
        g.value.filter(|_| g.reported())
    }
}

/// The warnings of every district, one line per district and check.
pub fn warnings(county: &County) -> Vec<String> {
    let mut out = Vec::new();
    for (d, name) in county.districts.iter().enumerate() {
        let mut sla = Vec::new();
        for (c, column) in COLUMNS.iter().enumerate() {
            let parts = (
                county.given("budget.core", d, c),
                county.given("budget.outreach", d, c),
                county.given("budget.sla_total", d, c),
            );
            let (Some(core), Some(outreach), Some(total)) = parts else { continue };
            let difference = core + outreach - total;
            if difference.abs() > TOLERANCE {
                sla.push(format!(
                    "in {} ({} + {} = {} against {}: {} {})",
                    column_name(column),
                    money(core),
                    money(outreach),
                    money(core + outreach),
                    money(total),
                    money(difference.abs()),
                    if difference > 0.0 { "more" } else { "less" }
                ));
            }
        }
        if !sla.is_empty() {
            out.push(format!(
                "{name}: the core and outreach budgets do not add up to the SLA total: {}.",
                sla.join("; ")
            ));
        }
        // Spending to date runs from the year's start, so a later term's is never less.
        let mut falls = Vec::new();
        let mut before: Option<f64> = None;
        for (c, term) in COLUMNS.iter().enumerate().take(6) {
            let Some(spent) = county.given("spend.to_date", d, c) else { continue };
            if let Some(earlier) = before
                && spent + TOLERANCE < earlier
            {
                falls.push(format!(
                    "{} to {} in {} ({} less)",
                    money(earlier),
                    money(spent),
                    term,
                    money(earlier - spent)
                ));
            }
            before = Some(spent);
        }
        if !falls.is_empty() {
            out.push(format!(
                "{name}: spending to date falls from one term to the next, which it cannot (it runs from \
                 the year's start): {}.",
                falls.join("; ")
            ));
        }
    }
    out
}

fn column_name(column: &str) -> &str {
    if column == "year" { "the year" } else { column }
}
