//! What the status line says of a change, in the words of the people and things it concerns
//! ("Closed the case of A. Smith", "Removed LIFT meeting of 5 Mar 2024"), never bare keys.

use crate::domain::{Record, RecordKind};
use crate::store::{Op, Reader};
use crate::tui::widgets::child_name;

/// The child a record is about, by name (initials when the screen shows initials). `saving`:
/// the records saved with it, where a new child (and a new case) are before the store has them.
fn child_of(reader: Reader<'_>, record: &Record, initials: bool, saving: &[Op]) -> Option<String> {
    let added = |kind: RecordKind, key: &str| {
        saving.iter().find_map(|op| match op {
            Op::Add(r) | Op::Replace(r) if r.kind() == kind && r.key() == key => Some(r.clone()),
            _ => None,
        })
    };
    let stored =
        |kind: RecordKind, key: &str| added(kind, key).or_else(|| reader.record(kind, key).ok().flatten());
    let case_child = |case: &str| match stored(RecordKind::Case, case) {
        Some(Record::Case(c)) => Some(c.child),
        _ => None,
    };
    let child_key = match record {
        Record::Child(c) => return Some(child_name(&c.first_name, &c.last_name, initials)),
        Record::Case(c) => Some(c.child.clone()),
        Record::Referral(r) => Some(r.child.clone()),
        Record::Allocation(a) => case_child(&a.case),
        Record::Target(t) => case_child(&t.case),
        Record::Review(r) => case_child(&r.case),
        Record::Visit(v) => case_child(&v.case),
        Record::CaseNote(n) => case_child(&n.case),
        _ => None,
    }?;
    match stored(RecordKind::Child, &child_key) {
        Some(Record::Child(c)) => Some(child_name(&c.first_name, &c.last_name, initials)),
        _ => None,
    }
}

/// A record in words: "setting Ash Nursery", "case of A. Smith", "LIFT meeting of 5 Mar 2024".
pub fn thing(reader: Reader<'_>, record: &Record, initials: bool) -> String {
    thing_saved_with(reader, record, initials, &[])
}

/// [`thing`], of a record saved with others (a new child named in the referral saved with it).
fn thing_saved_with(reader: Reader<'_>, record: &Record, initials: bool, saving: &[Op]) -> String {
    let of = |what: &str| match child_of(reader, record, initials, saving) {
        Some(name) => format!("{what} of {name}"),
        None => format!("{what} {}", record.key()),
    };
    match record {
        Record::District(d) => format!("the district's name ({})", d.name),
        Record::TermDates(t) => format!("the term dates of {}", t.year),
        Record::Setting(s) => format!("setting {}", s.name),
        Record::Staff(s) => format!("staff member {}", s.name),
        Record::Child(_) => of("child").replacen("child of ", "child ", 1),
        Record::LiftMeeting(m) => format!("LIFT meeting of {}", m.date.uk()),
        Record::Referral(r) => format!("{} ({})", of("referral"), r.received.uk()),
        Record::Case(_) => of("the case"),
        Record::Allocation(_) => of("the allocation"),
        Record::Target(_) => of("a target"),
        Record::Review(r) => format!("{} ({})", of("the review"), r.date.uk()),
        Record::Visit(v) => format!("{} ({})", of("the visit"), v.date.uk()),
        Record::CaseNote(n) => format!("{} ({})", of("a note on the case"), n.date.uk()),
        Record::Clinic(c) => format!("clinic of {}", c.date.uk()),
        Record::Training(t) => format!("course \"{}\" ({})", t.title, t.date.uk()),
        Record::Transition(t) => format!("transition support of {}", t.date.uk()),
        Record::GroupWork(g) => format!("group work of {}", g.date.uk()),
        Record::MonitoringMeeting(m) => format!("monitoring meeting of {}", m.date.uk()),
        Record::ManualMeasure(m) => format!("{} for {} {}", m.id, m.year, m.term),
        Record::MeasureNote(n) => format!("the note on {} for {} {}", n.id, n.year, n.term),
    }
}

/// The status line's words for a set of changes: the main one named, and how many more.
pub fn describe_in(reader: Reader<'_>, ops: &[Op], initials: bool) -> String {
    let one = |op: &Op| match op {
        Op::Add(r) => format!("Added {}", thing_saved_with(reader, r, initials, ops)),
        Op::Replace(r) => format!("Saved {}", thing_saved_with(reader, r, initials, ops)),
        Op::Remove(kind, key) => match reader.record(*kind, key).ok().flatten() {
            Some(r) => format!("Removed {}", thing(reader, &r, initials)),
            None => format!("Removed a {}", kind.label()),
        },
    };
    match ops {
        [] => "Nothing to save".into(),
        [op] => one(op),
        // The first change is the one asked for (a referral; its case and allocation follow).
        [first, rest @ ..] => format!("{} (and {} more change(s))", one(first), rest.len()),
    }
}
