//! The records of a case: allocations, targets, reviews, visits, notes. A new one belongs to the
//! case the form is made on ([`On::case`]); an edited one keeps its own.

use super::{On, Spec, chosen, chosen_code, code, date_text, nothing_follows, required};
use crate::domain::*;
use crate::store::current_allocation;
use crate::tui::editors::records::{Problems, codes};
use crate::tui::field_id as id;
use crate::tui::form::{Choice, Field, Form};

pub const ALLOCATION: Spec =
    Spec { kind: RecordKind::Allocation, fields: allocation_fields, read: allocation, left: nothing_follows };
pub const TARGET: Spec =
    Spec { kind: RecordKind::Target, fields: target_fields, read: target, left: nothing_follows };
pub const REVIEW: Spec =
    Spec { kind: RecordKind::Review, fields: review_fields, read: review, left: nothing_follows };
pub const VISIT: Spec =
    Spec { kind: RecordKind::Visit, fields: visit_fields, read: visit, left: nothing_follows };
pub const CASE_NOTE: Spec =
    Spec { kind: RecordKind::CaseNote, fields: note_fields, read: note, left: nothing_follows };

/// A date field: the record's own date, or today for a new record.
fn dated(id: crate::tui::field_id::FieldId, label: &str, stored: Option<Date>) -> Field {
    Field::date(id, label).with(&stored.map_or("today".to_string(), |d| d.to_string()))
}

/// The case a new record is added to (the original's own when editing).
fn case_of(original: Option<String>, on: &On, p: &mut Problems) -> String {
    original.or_else(|| on.case.map(|d| d.case.key.clone())).unwrap_or_else(|| {
        p.push((String::new(), "open the case first: a new record of a case is added on its screen".into()));
        String::new()
    })
}

/// Who a new visit or note is by: the case's teacher today.
fn by_default(stored: Option<Option<&str>>, on: &On) -> String {
    match stored {
        Some(staff) => staff.unwrap_or("").to_string(),
        None => {
            on.case.and_then(|d| current_allocation(d, on.today)).map(|a| a.staff.clone()).unwrap_or_default()
        }
    }
}

fn allocation_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let a = as_kind!(o, Allocation);
    let day = a.map_or(on.today, |a| a.start);
    let mut fields = vec![
        Field::choice(id::STAFF, "Teacher", on.lists.teacher_choices(day, a.map(|a| a.staff.as_str())))
            .with(a.map_or("", |a| &a.staff)),
        dated(id::START, "From", a.map(|a| a.start)),
    ];
    // A new allocation runs until the teacher changes (allocating another ends it).
    if let Some(a) = a {
        fields.push(Field::date(id::END, "Until").optional().with(&date_text(a.end)));
    }
    fields
}

fn allocation(form: &Form, key: String, o: Option<&Record>, on: &On, p: &mut Problems) -> Option<Record> {
    let a = as_kind!(o, Allocation);
    Some(Record::Allocation(Allocation {
        key: a.map_or(key, |a| a.key.clone()),
        case: case_of(a.map(|a| a.case.clone()), on, p),
        staff: chosen(form, id::STAFF, p).unwrap_or_default(),
        start: required(form.date(id::START), id::START, p).unwrap_or(form.today),
        end: a.and(form.date(id::END)),
    }))
}

fn target_fields(o: Option<&Record>, _: &On) -> Vec<Field> {
    let t = as_kind!(o, Target);
    let mut fields = vec![
        Field::text(id::TEXT, "Target").with(t.map_or("", |t| &t.text)),
        dated(id::SET, "Set on", t.map(|t| t.set)),
        // Blank: reviewed on the team's interval (the Caseload's "review overdue").
        Field::date(id::REVIEW_BY, "Review by").optional().with(&date_text(t.and_then(|t| t.review_by))),
    ];
    // A new target is in force; ending one is its own step (x on the case).
    if let Some(t) = t {
        fields.push(Field::date(id::ENDED, "Ended on").optional().with(&date_text(t.ended)));
    }
    fields
}

fn target(form: &Form, key: String, o: Option<&Record>, on: &On, p: &mut Problems) -> Option<Record> {
    let t = as_kind!(o, Target);
    Some(Record::Target(Target {
        key: t.map_or(key, |t| t.key.clone()),
        case: case_of(t.map(|t| t.case.clone()), on, p),
        text: form.text(id::TEXT),
        set: required(form.date(id::SET), id::SET, p).unwrap_or(form.today),
        ended: t.and(form.date(id::ENDED)),
        review_by: form.date(id::REVIEW_BY),
    }))
}

fn review_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let r = as_kind!(o, Review);
    let day = r.map_or(on.today, |r| r.date);
    // The target reviewed: one of the case's targets in force on the review's day (none: all of
    // them), and the one the review names whatever its state.
    let held = r.and_then(|r| r.target.as_deref());
    let targets: Vec<Choice> = on
        .case
        .map(|d| d.targets.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|t| t.ended.is_none_or(|e| e >= day) || held == Some(t.key.as_str()))
        .map(|t| Choice::new(&t.key, t.text.clone()))
        .collect();
    let targets = match held {
        Some(key) if !targets.iter().any(|c| c.value == key) => vec![Choice::new(key, key.to_string())],
        _ => targets,
    };
    vec![
        dated(id::DATE, "Reviewed on", r.map(|r| r.date)),
        Field::choice(
            id::OUTCOME,
            "Outcome",
            codes(ReviewOutcome::ALL, ReviewOutcome::code, ReviewOutcome::label),
        )
        .with(r.map_or("", |r| r.outcome.code())),
        Field::choice(id::TARGET, "Target reviewed (none: all)", targets).optional().with(held.unwrap_or("")),
        Field::text(id::NOTES, "Notes").optional().with(r.and_then(|r| r.notes.as_deref()).unwrap_or("")),
    ]
}

fn review(form: &Form, key: String, o: Option<&Record>, on: &On, p: &mut Problems) -> Option<Record> {
    let r = as_kind!(o, Review);
    let outcome = chosen_code(form, id::OUTCOME, p);
    Some(Record::Review(Review {
        key: r.map_or(key, |r| r.key.clone()),
        case: case_of(r.map(|r| r.case.clone()), on, p),
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        outcome: outcome.unwrap_or(ReviewOutcome::ALL[0]),
        notes: form.opt_text(id::NOTES),
        target: form.picked(id::TARGET),
    }))
}

fn visit_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let v = as_kind!(o, Visit);
    let day = v.map_or(on.today, |v| v.date);
    let held = v.and_then(|v| v.staff.as_deref());
    vec![
        dated(id::DATE, "Visited on", v.map(|v| v.date)),
        Field::choice(id::STAFF, "By", on.lists.teacher_choices(day, held))
            .optional()
            .with(&by_default(v.map(|v| v.staff.as_deref()), on)),
        Field::choice(
            id::PURPOSE,
            "Purpose",
            codes(VisitPurpose::ALL, VisitPurpose::code, VisitPurpose::label),
        )
        .optional()
        .with(v.and_then(|v| v.purpose).map_or("", |p| p.code())),
        Field::text(id::NOTES, "Notes").optional().with(v.and_then(|v| v.notes.as_deref()).unwrap_or("")),
    ]
}

fn visit(form: &Form, key: String, o: Option<&Record>, on: &On, p: &mut Problems) -> Option<Record> {
    let v = as_kind!(o, Visit);
    Some(Record::Visit(Visit {
        key: v.map_or(key, |v| v.key.clone()),
        case: case_of(v.map(|v| v.case.clone()), on, p),
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        staff: form.picked(id::STAFF),
        purpose: code(form, id::PURPOSE, p),
        notes: form.opt_text(id::NOTES),
    }))
}

fn note_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let n = as_kind!(o, CaseNote);
    let day = n.map_or(on.today, |n| n.date);
    let held = n.and_then(|n| n.staff.as_deref());
    vec![
        Field::text(id::TEXT, "Note or contact").with(n.map_or("", |n| &n.text)),
        dated(id::DATE, "On", n.map(|n| n.date)),
        Field::choice(id::STAFF, "By", on.lists.teacher_choices(day, held))
            .optional()
            .with(&by_default(n.map(|n| n.staff.as_deref()), on)),
    ]
}

fn note(form: &Form, key: String, o: Option<&Record>, on: &On, p: &mut Problems) -> Option<Record> {
    let n = as_kind!(o, CaseNote);
    Some(Record::CaseNote(CaseNote {
        key: n.map_or(key, |n| n.key.clone()),
        case: case_of(n.map(|n| n.case.clone()), on, p),
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        text: form.text(id::TEXT),
        staff: form.picked(id::STAFF),
    }))
}
