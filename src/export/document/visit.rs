//! The record of visit for the SENCo: who was visited, when, by whom and why, what was seen and
//! advised, the targets in force, and when they are next reviewed.

use super::case::{child_part, detail, made};
use super::page::{col, facts, heading, page, table};
use super::{Document, DocumentError, Options, Texts, file_name};
use crate::domain::status::in_force_on;
use crate::domain::{Date, Record, RecordKind};
use crate::store::{CaseDetail, Reader, current_teacher};

pub fn record(reader: Reader<'_>, key: &str, o: &Options) -> Result<Document, DocumentError> {
    let unknown = || DocumentError::unknown(reader, RecordKind::Visit, key);
    let Some(Record::Visit(v)) = reader.record(RecordKind::Visit, key)? else { return Err(unknown()) };
    let d = detail(reader, &v.case)?.ok_or_else(unknown)?;
    let child = &d.child;
    let name = o.name(child);
    let texts = Texts::of(reader, &d, o)?;
    // Who visited: the visit's teacher, else the case's teacher on the day.
    let staff = d.visits.iter().find(|x| x.record.key == v.key).and_then(|x| x.name.clone());
    let teacher = staff.unwrap_or_else(|| current_teacher(&d, v.date));
    let mut body = heading("The visit");
    body.push_str(&facts(&[
        ("Date", v.date.uk()),
        ("Setting", d.setting_name.clone()),
        ("Specialist teacher", teacher),
        ("Purpose", v.purpose.map_or_else(|| "not recorded".to_string(), |p| p.label().to_string())),
        ("Case", format!("{} ({}, opened {})", d.case.key, d.case.area.label(), d.case.opened.uk())),
    ]));
    body.push_str(&heading("Notes of the visit"));
    body.push_str(&match &v.notes {
        Some(n) if !n.trim().is_empty() => {
            format!("<p class=\"note\">{}</p>\n", crate::export::pack::esc(&texts.show(n)))
        }
        _ => "<p class=\"none\">No notes were recorded.</p>\n".into(),
    });
    body.push_str(&child_part(reader, child, o)?);
    body.push_str(&heading(&format!("Targets in force on {}", v.date.uk())));
    let rows: Vec<Vec<String>> = d
        .targets
        .iter()
        .filter(|t| in_force_on(t.set, t.ended, v.date))
        .map(|t| vec![texts.show(&t.text), t.set.uk()])
        .collect();
    body.push_str(&table(&[col("Target", "note"), col("Set", "date")], &rows, "No target was in force."));
    body.push_str(&facts(&[("Next review", next_review(&d, v.date, o.review_weeks))]));
    body.push_str(
        "<table class=\"sign\">\n<thead><tr><th>Seen by (SENCo)</th><th>Signature</th><th class=\"date\">Date</th></tr></thead>\n\
         <tbody><tr><td></td><td></td><td class=\"date\"></td></tr></tbody>\n</table>\n",
    );
    let title = format!("Record of visit: {name}");
    let subtitle = format!("{} · {}", d.setting_name, v.date.uk());
    Ok(Document {
        file_name: file_name(&["record-of-visit", &v.key], o),
        html: page(&title, &subtitle, &made(o), &body),
        about: format!("the record of visit of {} to {name}", v.date.uk()),
    })
}

/// When the targets are next to be reviewed, as of the visit: their review-by dates when given,
/// else the last review on or before it (else the opening) and the team's interval; or why there
/// is none.
fn next_review(d: &CaseDetail, day: Date, weeks: u32) -> String {
    if d.case.closed.is_some_and(|c| c <= day) {
        return "none: the case is closed".into();
    }
    if !d.targets.iter().any(|t| in_force_on(t.set, t.ended, day)) {
        return "none: no target is in force".into();
    }
    // The targets' own review-by dates, when given, say it (the earliest not met by a review
    // since), as the caseload's "review overdue" reads them.
    let dated = d.targets.iter().filter(|t| in_force_on(t.set, t.ended, day)).filter_map(|t| {
        let by = t.review_by?;
        let reviewed = d
            .reviews
            .iter()
            .any(|r| r.date >= by && r.date <= day && r.target.as_ref().is_none_or(|k| *k == t.key));
        (!reviewed).then_some(by)
    });
    if d.targets.iter().any(|t| in_force_on(t.set, t.ended, day) && t.review_by.is_some()) {
        return match dated.min() {
            Some(by) if by < day => format!("overdue since {} (the target's review-by date)", by.uk()),
            Some(by) => format!("by {} (the target's review-by date)", by.uk()),
            None => "none due: each target's review-by date was met by a review".into(),
        };
    }
    let last = d.reviews.iter().map(|r| r.date).filter(|r| *r <= day).max();
    let due = last.unwrap_or(d.case.opened).plus_days(u64::from(weeks) * 7);
    let since = last.map_or_else(
        || format!("{weeks} weeks after the case opened"),
        |l| format!("{weeks} weeks after the last review, {}", l.uk()),
    );
    if due < day {
        format!("overdue since {} ({since})", due.uk())
    } else {
        format!("by {} ({since})", due.uk())
    }
}
