//! The pack's page for the county's monitoring meeting: the questions the district submitted
//! for the period's meeting, and the actions agreed at earlier meetings with where each stands
//! (from `monitoring_meeting` records; an action is followed by its key).

use super::esc;
use crate::domain::{MonitoringMeeting, MonitoringTerms, Scope};
use crate::kpi::report::Return;
use std::fmt::Write;

/// The pair of terms a term belongs to.
fn pair_of(term: u8) -> MonitoringTerms {
    match term {
        1 | 2 => MonitoringTerms::T1To2,
        3 | 4 => MonitoringTerms::T3To4,
        _ => MonitoringTerms::T5To6,
    }
}

/// The section, written to `out`.
pub(super) fn section(out: &mut String, r: &Return, meetings: &[MonitoringMeeting]) {
    let pairs: Vec<MonitoringTerms> = match r.span {
        Scope::Term(t) | Scope::Terms(t) => vec![pair_of(t.number())],
        Scope::Year => MonitoringTerms::ALL.to_vec(),
    };
    let of_period: Vec<&MonitoringMeeting> =
        meetings.iter().filter(|m| m.year == r.year && pairs.contains(&m.terms)).collect();
    out.push_str("<section class=\"meeting\">\n<h2>The monitoring meeting</h2>\n");
    if of_period.is_empty() && meetings.is_empty() {
        out.push_str("<p class=\"muted\">No monitoring meeting is recorded.</p>\n</section>\n");
        return;
    }
    out.push_str("<h3>Questions submitted before the meeting</h3>\n");
    let mut asked = false;
    for m in &of_period {
        for q in &m.questions {
            let _ = writeln!(out, "<p>{} ({}): {}</p>", esc(&q_when(m)), esc(m.terms.label()), esc(q));
            asked = true;
        }
    }
    if !asked {
        out.push_str("<p class=\"muted\">No questions are recorded for this period's meeting.</p>\n");
    }
    // The earlier meetings: those before the period's first meeting (all, when it has none yet).
    let first = of_period.iter().map(|m| m.date).min();
    let earlier: Vec<&MonitoringMeeting> =
        meetings.iter().filter(|m| first.is_none_or(|f| m.date < f)).collect();
    // Each action once: where the last earlier meeting left it, and when it was first agreed.
    let mut actions: Vec<(String, &crate::domain::MonitoringAction, crate::domain::Date)> = Vec::new();
    for m in &earlier {
        for a in &m.actions {
            match actions.iter_mut().find(|(k, ..)| *k == a.key) {
                Some(found) => found.1 = a,
                None => actions.push((a.key.clone(), a, m.date)),
            }
        }
    }
    out.push_str("<h3>Actions of earlier meetings</h3>\n");
    if actions.is_empty() {
        out.push_str("<p class=\"muted\">No actions are recorded from earlier meetings.</p>\n");
    } else {
        out.push_str(
            "<table>\n<thead><tr><th>Action</th><th>Owner</th><th>Due</th><th>Agreed</th><th>Status</th></tr></thead>\n<tbody>\n",
        );
        for (_, a, agreed) in &actions {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&a.text),
                esc(a.owner.as_deref().unwrap_or("")),
                a.due.map(|d| d.uk()).unwrap_or_default(),
                agreed.uk(),
                esc(a.status.label())
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

fn q_when(m: &MonitoringMeeting) -> String {
    format!("For the meeting of {}", m.date.uk())
}
