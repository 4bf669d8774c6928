//! A case in the words every screen and document uses: its chronology, its status and its
//! teacher on a day.

use super::CaseDetail;
use crate::domain::Allocation;
use crate::domain::status::{in_force_on, teacher_on};
use crate::domain::{CaseStatus, Date, PhaseGroup, RecordKind};

/// One line of the chronology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub date: Date,
    pub what: String,
    /// The other case this line opens, for earlier cases.
    pub case_id: Option<i64>,
    /// The record the line is about (edit and remove act on it).
    pub record: Option<(RecordKind, String)>,
}

/// The chronology, in date order: referral and meeting, opening, allocations, targets, reviews,
/// visits, closure.
pub fn chronology(d: &CaseDetail) -> Vec<Event> {
    let mut out = Vec::new();
    let mut on = |date: Date, what: String, record: Option<(RecordKind, &str)>| {
        out.push(Event { date, what, case_id: None, record: record.map(|(k, key)| (k, key.to_string())) })
    };
    if let Some(r) = &d.referral {
        let outcome =
            r.outcome.map(|o| format!("; outcome: {}", o.label().to_lowercase())).unwrap_or_default();
        on(
            r.received,
            format!("Referral received ({}){outcome}", r.area.label()),
            Some((RecordKind::Referral, &r.key)),
        );
        if let Some((date, kind)) = d.meeting {
            let kind = if kind == PhaseGroup::EarlyYears { "early years" } else { "school" };
            on(date, format!("Discussed at the {kind} LIFT meeting"), None);
        }
    }
    for (r, meeting) in &d.later_referrals {
        let outcome =
            r.outcome.map(|o| format!("; outcome: {}", o.label().to_lowercase())).unwrap_or_default();
        let at = match meeting {
            Some((date, kind)) => {
                let kind = if *kind == PhaseGroup::EarlyYears { "early years" } else { "school" };
                format!(" at the {kind} LIFT meeting of {}", date.uk())
            }
            None => String::new(),
        };
        on(
            r.received,
            format!("Referred again{at} ({}){outcome}", r.area.label()),
            Some((RecordKind::Referral, &r.key)),
        );
    }
    let c = &d.case;
    let need = c.need.map(|n| format!(", {}", n.label())).unwrap_or_default();
    let case = Some((RecordKind::Case, c.key.as_str()));
    on(
        c.opened,
        format!("Case opened: {} ({}{need}) at {}", c.phase.label(), c.area.label(), d.setting_name),
        case,
    );
    for a in &d.allocations {
        let who = a.name.clone().unwrap_or_else(|| a.record.staff.clone());
        let it = Some((RecordKind::Allocation, a.record.key.as_str()));
        on(a.record.start, format!("Allocated to {who}"), it);
        if let Some(end) = a.record.end {
            on(end, format!("Allocation to {who} ended"), it);
        }
    }
    for t in &d.targets {
        let it = Some((RecordKind::Target, t.key.as_str()));
        let review = t.review_by.map(|d| format!(" (review by {})", d.uk())).unwrap_or_default();
        on(t.set, format!("Target set: {}{review}", t.text), it);
        if let Some(end) = t.ended {
            on(end, format!("Target ended: {}", t.text), it);
        }
    }
    for r in &d.reviews {
        let notes = r.notes.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
        let it = Some((RecordKind::Review, r.key.as_str()));
        let outcome = r.outcome.label().to_lowercase();
        let what = match r.target.as_ref().and_then(|k| d.targets.iter().find(|t| &t.key == k)) {
            Some(t) => format!("Target reviewed, \"{}\": {outcome}{notes}", t.text),
            None => format!("Targets reviewed: {outcome}{notes}"),
        };
        on(r.date, what, it);
    }
    for v in &d.visits {
        let who = v.name.as_ref().map(|n| format!(" by {n}")).unwrap_or_default();
        let purpose =
            v.record.purpose.map(|p| format!(" ({})", p.label().to_lowercase())).unwrap_or_default();
        let notes = v.record.notes.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
        on(
            v.record.date,
            format!("Visit{purpose}{who}{notes}"),
            Some((RecordKind::Visit, v.record.key.as_str())),
        );
    }
    for n in &d.notes {
        let who = n.name.as_ref().map(|w| format!(" ({w})")).unwrap_or_default();
        on(
            n.record.date,
            format!("Note{who}: {}", n.record.text),
            Some((RecordKind::CaseNote, n.record.key.as_str())),
        );
    }
    if let (Some(closed), Some(reason)) = (c.closed, c.closure_reason) {
        on(closed, format!("Case closed: {}", reason.label().to_lowercase()), case);
    }
    // Stable: same-day events keep the order above (referral before meeting before opening ...).
    out.sort_by_key(|e| e.date);
    for other in &d.other_cases {
        let until = other.closed.map_or_else(|| "open".to_string(), |c| format!("closed {}", c.uk()));
        out.push(Event {
            date: other.opened,
            what: format!(
                "Other case {}: {} ({}), {until}",
                other.key,
                other.area.label(),
                other.phase.label()
            ),
            case_id: None,
            record: None,
        });
    }
    out
}

/// The allocation in force on a day (the case's teacher then), if any: none once it is closed.
pub fn current_allocation(d: &CaseDetail, day: Date) -> Option<&Allocation> {
    teacher_on(d.case.closed, d.allocations.iter().map(|a| &a.record), day)
}

/// The case's status on a day in the words every screen uses, with why an open case is not active.
pub fn describe_status(d: &CaseDetail, day: Date) -> String {
    let c = &d.case;
    let allocated = current_allocation(d, day).is_some();
    let targeted = d.targets.iter().any(|t| in_force_on(t.set, t.ended, day));
    match CaseStatus::on(day, c.opened, c.closed, allocated, targeted) {
        CaseStatus::Closed => {
            let reason =
                c.closure_reason.map(|r| format!(" ({})", r.label().to_lowercase())).unwrap_or_default();
            format!("closed {}{reason}", c.closed.map_or_else(String::new, Date::uk))
        }
        CaseStatus::Open => {
            let missing = match (allocated, targeted) {
                (false, false) => "no teacher, no targets",
                (false, true) => "no teacher",
                _ => "no targets",
            };
            format!("open, not active ({missing})")
        }
        CaseStatus::NotYetOpen => format!("not yet open (opens {})", c.opened.uk()),
        active => active.label().to_string(),
    }
}

/// The teacher of the case on a day (the allocation in force), or "no teacher".
pub fn current_teacher(d: &CaseDetail, day: Date) -> String {
    let now = current_allocation(d, day);
    d.allocations
        .iter()
        .find(|a| now.is_some_and(|n| n.key == a.record.key))
        .map(|a| a.name.clone().unwrap_or_else(|| a.record.staff.clone()))
        .unwrap_or_else(|| "no teacher".to_string())
}
