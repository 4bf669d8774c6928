//! Cases and the work recorded on them: allocations, targets, reviews and visits.

use crate::domain::{Allocation, Case, CaseNote, Review, Target, Visit};
use rusqlite::Row;

pub(super) const SELECT_CASE: &str =
    "SELECT k.key, c.key, s.key, k.phase, k.area, k.need, k.opened, k.closed,
     k.closure_reason, r.key, k.outreach, k.id, k.open_reason, k.senif
     FROM cases k JOIN children c ON c.id = k.child_id JOIN settings s ON s.id = k.setting_id
     LEFT JOIN referrals r ON r.id = k.referral_id";

pub(super) fn case_from_row(row: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        key: row.get(0)?,
        child: row.get(1)?,
        setting: row.get(2)?,
        phase: row.get(3)?,
        area: row.get(4)?,
        need: row.get(5)?,
        opened: row.get(6)?,
        closed: row.get(7)?,
        closure_reason: row.get(8)?,
        referral: row.get(9)?,
        outreach: row.get(10)?,
        open_reason: row.get(12)?,
        senif: row.get(13)?,
    })
}

pub(super) const SELECT_ALLOCATION: &str = "SELECT a.key, k.key, s.key, a.start_date, a.end_date, a.id
     FROM allocations a JOIN cases k ON k.id = a.case_id JOIN staff s ON s.id = a.staff_id";

pub(super) fn allocation_from_row(row: &Row<'_>) -> rusqlite::Result<Allocation> {
    Ok(Allocation {
        key: row.get(0)?,
        case: row.get(1)?,
        staff: row.get(2)?,
        start: row.get(3)?,
        end: row.get(4)?,
    })
}

pub(super) const SELECT_TARGET: &str =
    "SELECT t.key, k.key, t.text, t.set_on, t.ended, t.id, t.review_by FROM targets t
     JOIN cases k ON k.id = t.case_id";

pub(super) fn target_from_row(row: &Row<'_>) -> rusqlite::Result<Target> {
    Ok(Target {
        key: row.get(0)?,
        case: row.get(1)?,
        text: row.get(2)?,
        set: row.get(3)?,
        ended: row.get(4)?,
        review_by: row.get(6)?,
    })
}

pub(super) const SELECT_REVIEW: &str = "SELECT v.key, k.key, v.date, v.outcome, v.notes, v.id, t.key
     FROM reviews v JOIN cases k ON k.id = v.case_id LEFT JOIN targets t ON t.id = v.target_id";

pub(super) fn review_from_row(row: &Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        key: row.get(0)?,
        case: row.get(1)?,
        date: row.get(2)?,
        outcome: row.get(3)?,
        notes: row.get(4)?,
        target: row.get(6)?,
    })
}

pub(super) const SELECT_VISIT: &str = "SELECT v.key, k.key, v.date, s.key, v.id, v.purpose, v.notes
     FROM visits v JOIN cases k ON k.id = v.case_id LEFT JOIN staff s ON s.id = v.staff_id";

pub(super) fn visit_from_row(row: &Row<'_>) -> rusqlite::Result<Visit> {
    Ok(Visit {
        key: row.get(0)?,
        case: row.get(1)?,
        date: row.get(2)?,
        staff: row.get(3)?,
        purpose: row.get(5)?,
        notes: row.get(6)?,
    })
}

pub(super) const SELECT_NOTE: &str = "SELECT n.key, k.key, n.date, n.text, s.key, n.id
     FROM case_notes n JOIN cases k ON k.id = n.case_id LEFT JOIN staff s ON s.id = n.staff_id";

pub(super) fn note_from_row(row: &Row<'_>) -> rusqlite::Result<CaseNote> {
    Ok(CaseNote {
        key: row.get(0)?,
        case: row.get(1)?,
        date: row.get(2)?,
        text: row.get(3)?,
        staff: row.get(4)?,
    })
}
