//! The pack's figure tables: each section of the framework, every measure in its unit, the terms
//! of the period, the period, last year's same span and the change. A period of more than two
//! terms is too wide for an A4 page in one table, so each section is split in two that both
//! start with the measure: the terms with the period, then the period against last year.

use super::{Pack, esc, paragraphs};
use crate::domain::Term;
use crate::domain::manual::{grouped, money};
use crate::export::figures::Shown;
use crate::export::suppress::Plan;
use crate::kpi::catalogue::{Measure, Unit};
use crate::kpi::report::Line;
use std::fmt::Write as _;

/// The most terms that fit beside the comparison columns in one table on A4 portrait.
const TERMS_IN_ONE_TABLE: usize = 2;

/// A column of a figures table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Term(Term),
    Period,
    LastYear,
    Change,
    Parts,
    Note,
}

/// A figure as the pack shows it, in its unit: money always with `£`, percentages with `%`,
/// whether the figure is whole or not.
pub(super) fn shown(m: &Measure, v: &Shown) -> String {
    match v {
        Shown::Null => "–".into(),
        Shown::Suppressed => "c".into(),
        Shown::NotCollected => "not collected".into(),
        Shown::Text(t) => esc(t),
        Shown::Int(n) => match m.unit {
            Unit::Percent => format!("{n}%"),
            Unit::Money => money(*n as f64),
            Unit::Fte => format!("{n}.00"),
            _ => grouped(*n),
        },
        Shown::Num(x) => match m.unit {
            Unit::Percent => format!("{x}%"),
            Unit::Money => money(*x),
            Unit::Fte => format!("{x:.2}"),
            _ => format!("{x}"),
        },
    }
}

pub(super) fn number(v: &Shown) -> Option<f64> {
    match v {
        Shown::Int(n) => Some(*n as f64),
        Shown::Num(x) => Some(*x),
        _ => None,
    }
}

/// This year's figure against last year's, in the figure's unit: `+3`, `-1.5 pts` for
/// percentages, `+£250.00` for money.
fn change(m: &Measure, now: &Shown, before: &Shown) -> String {
    let (Some(a), Some(b)) = (number(now), number(before)) else { return String::new() };
    let d = ((a - b) * 100.0).round() / 100.0;
    let sign = if d > 0.0 { "+" } else { "" };
    match m.unit {
        Unit::Percent => format!("{sign}{d:.1} pts"),
        Unit::Count => format!("{sign}{}", grouped(d as i64)),
        Unit::Money => format!("{sign}{}", money(d)),
        Unit::Fte => format!("{sign}{d:.2}"),
        _ => format!("{sign}{d}"),
    }
}

/// A figure cell: numbers never wrap; words ("not collected") may.
fn figure_cell(out: &mut String, id: &str, col: &str, text: &str) {
    let class =
        if text.chars().any(|c| c.is_ascii_digit()) || text.chars().count() <= 2 { "n" } else { "n w" };
    let _ = write!(out, "<td class=\"{class}\" data-id=\"{id}\" data-col=\"{col}\">{text}</td>");
}

/// A header that wraps only between its words ("2025-26" never breaks at its hyphen).
fn header_words(head: &str) -> String {
    head.split(' ').map(|w| format!("<span class=\"nb\">{}</span>", esc(w))).collect::<Vec<_>>().join(" ")
}

impl Pack {
    /// Each section of the framework as a table (two when the period has many terms).
    pub(super) fn tables(&self, out: &mut String, plan: &Plan, last_plan: Option<&Plan>) {
        let r = &self.ret;
        let terms: Vec<Term> = if r.span.term().is_none() { r.span.terms() } else { Vec::new() };
        let figures: Vec<&Line> = r.lines.iter().filter(|l| l.measure.unit != Unit::Text).collect();
        let mut sections: Vec<(&str, Vec<&Line>)> = Vec::new();
        for line in figures {
            match sections.last_mut() {
                Some((title, lines)) if *title == line.section => lines.push(line),
                _ => sections.push((&line.section, vec![line])),
            }
        }
        let compared = self.last_year.is_some();
        let mut comparison = vec![Column::Period];
        if compared {
            comparison.extend([Column::LastYear, Column::Change]);
        }
        comparison.extend([Column::Parts, Column::Note]);
        let tables: Vec<(Option<String>, Vec<Column>)> = if terms.len() > TERMS_IN_ONE_TABLE {
            let mut by_term: Vec<Column> = terms.iter().map(|t| Column::Term(*t)).collect();
            by_term.push(Column::Period);
            let against = if compared {
                format!("{} against {}", r.period.label, self.last_label())
            } else {
                format!("{}: the figures behind it", r.period.label)
            };
            vec![(Some("Term by term".to_string()), by_term), (Some(against), comparison)]
        } else {
            let mut all: Vec<Column> = terms.iter().map(|t| Column::Term(*t)).collect();
            all.extend(comparison);
            vec![(None, all)]
        };
        out.push_str("<section class=\"page\">\n<h2 class=\"part\">The figures</h2>\n");
        for (title, lines) in &sections {
            let _ = writeln!(out, "<section class=\"figures\">\n<h3>{}</h3>", esc(title));
            for (caption, columns) in &tables {
                if let Some(caption) = caption {
                    let _ = writeln!(out, "<h4>{}</h4>", esc(caption));
                }
                self.table(out, lines, columns, plan, last_plan);
            }
            out.push_str("</section>\n");
        }
        out.push_str("</section>\n");
    }

    /// What last year's column is: the same span, to the same day when this one is in progress.
    pub(super) fn last_label(&self) -> String {
        match &self.last_year {
            Some(l) if l.provisional => format!("{} to {}", l.period.label, l.period.end.day_month()),
            Some(l) => l.period.label.clone(),
            None => String::new(),
        }
    }

    fn table(&self, out: &mut String, lines: &[&Line], columns: &[Column], plan: &Plan, last: Option<&Plan>) {
        let r = &self.ret;
        let wide = if columns.len() >= 7 { " wide" } else { "" };
        // The same widths in every section's table, so the columns line up down the pack: a
        // note a sixth, the figures sharing what the measure's part leaves (less in a wide
        // table). The measure takes the rest, so it gives way (wrapping) when a figure needs more
        // than its share; the wider it is, the fewer lines a row takes in print.
        let measure = if wide.is_empty() { 40.0 } else { 30.0 };
        let note = if columns.contains(&Column::Note) { 16.0 } else { 0.0 };
        let share = (100.0 - measure - note) / columns.iter().filter(|c| **c != Column::Note).count() as f64;
        let _ = write!(out, "<table class=\"figures{wide}\">\n<thead><tr><th class=\"measure\">Measure</th>");
        for c in columns {
            let head = match c {
                Column::Term(t) => t.to_string(),
                Column::Period if r.provisional => {
                    format!("{} to {}", r.period.label, r.period.end.day_month())
                }
                Column::Period => r.period.label.clone(),
                Column::LastYear => self.last_label(),
                Column::Change => "Change".into(),
                Column::Parts => "Num / den".into(),
                Column::Note => "Note".into(),
            };
            let (class, width) = if *c == Column::Note { ("note", note) } else { ("n", share) };
            let _ = write!(
                out,
                "<th class=\"{class}\" style=\"width: {width:.1}%\">{}</th>",
                header_words(&head)
            );
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for line in lines {
            self.row(out, line, columns, plan, last);
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn row(&self, out: &mut String, line: &Line, columns: &[Column], plan: &Plan, last_plan: Option<&Plan>) {
        let m = &line.measure;
        let id = esc(&m.id);
        let _ = write!(out, "<tr><td class=\"measure\">{}</td>", esc(&m.label));
        let now = plan.value(m, None);
        let before = match (&self.last_year, last_plan) {
            (Some(last), Some(last_plan)) => last
                .lines
                .iter()
                .find(|l| l.measure.id == m.id)
                .map(|l| (&l.measure, last_plan.value(&l.measure, None))),
            _ => None,
        };
        let terms = self.ret.span.terms();
        for c in columns {
            match c {
                Column::Term(t) => {
                    let tm = terms.iter().position(|x| x == t).and_then(|i| line.terms.as_ref()?.get(i));
                    let cell = match tm {
                        Some(Some(tm)) => shown(tm, &plan.value(tm, Some(*t))),
                        _ => "not yet".to_string(),
                    };
                    figure_cell(out, &id, &t.to_string(), &cell);
                }
                Column::Period => figure_cell(out, &id, "period", &shown(m, &now)),
                Column::LastYear => {
                    let cell = before.as_ref().map_or_else(|| "–".to_string(), |(b, v)| shown(b, v));
                    figure_cell(out, &id, "last_year", &cell);
                }
                Column::Change => {
                    let delta = before.as_ref().map(|(_, v)| change(m, &now, v)).unwrap_or_default();
                    let _ = write!(out, "<td class=\"n\">{delta}</td>");
                }
                Column::Parts => {
                    let parts = match plan.parts(m, None) {
                        (Shown::Null, _) => String::new(),
                        (n, d) => format!(
                            "{} / {}",
                            shown(m, &n).trim_end_matches('%'),
                            shown(m, &d).trim_end_matches('%')
                        ),
                    };
                    let _ = write!(out, "<td class=\"n\">{parts}</td>");
                }
                Column::Note => {
                    let note = match (m.not_collected, &m.note) {
                        (true, n) => format!("Not collected. {}", n.as_deref().map(esc).unwrap_or_default()),
                        (false, Some(n)) => paragraphs(n),
                        (false, None) => String::new(),
                    };
                    let _ = write!(out, "<td class=\"note\">{note}</td>");
                }
            }
        }
        out.push_str("</tr>\n");
    }
}
