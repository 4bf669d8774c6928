//! Cases and the work recorded on them: allocations, targets, reviews and visits.

use crate::domain::{Allocation, Case, CaseNote, Review, Target, Visit};
use rusqlite::Row;

pub(super) const SELECT_CASE: &str =
    "SELECT k.key AS \"key\", c.key AS \"child\", s.key AS \"setting\", k.phase AS \"phase\",
     k.area AS \"area\", k.need AS \"need\", k.opened AS \"opened\", k.closed AS \"closed\",
     k.closure_reason AS \"closure_reason\", r.key AS \"referral\",
     k.outreach AS \"outreach\", k.id AS \"id\", k.open_reason AS \"open_reason\",
     k.senif AS \"senif\"
     FROM cases k JOIN children c ON c.id = k.child_id JOIN settings s ON s.id = k.setting_id LEFT JOIN referrals r ON r.id = k.referral_id";

pub(super) fn case_from_row(row: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        key: row.get("key")?,
        child: row.get("child")?,
        setting: row.get("setting")?,
        phase: row.get("phase")?,
        area: row.get("area")?,
        need: row.get("need")?,
        opened: row.get("opened")?,
        closed: row.get("closed")?,
        closure_reason: row.get("closure_reason")?,
        referral: row.get("referral")?,
        outreach: row.get("outreach")?,
        open_reason: row.get("open_reason")?,
        senif: row.get("senif")?,
    })
}

pub(super) const SELECT_ALLOCATION: &str = "SELECT a.key AS \"key\", k.key AS \"case\", s.key AS \"staff\",
     a.start_date AS \"start\", a.end_date AS \"end\",
     a.id AS \"id\"
     FROM allocations a JOIN cases k ON k.id = a.case_id JOIN staff s ON s.id = a.staff_id";

pub(super) fn allocation_from_row(row: &Row<'_>) -> rusqlite::Result<Allocation> {
    Ok(Allocation {
        key: row.get("key")?,
        case: row.get("case")?,
        staff: row.get("staff")?,
        start: row.get("start")?,
        end: row.get("end")?,
    })
}

pub(super) const SELECT_TARGET: &str =
    "SELECT t.key AS \"key\", k.key AS \"case\", t.text AS \"text\", t.set_on AS \"set\",
     t.ended AS \"ended\", t.id AS \"id\",
     t.review_by AS \"review_by\"
     FROM targets t JOIN cases k ON k.id = t.case_id";

pub(super) fn target_from_row(row: &Row<'_>) -> rusqlite::Result<Target> {
    Ok(Target {
        key: row.get("key")?,
        case: row.get("case")?,
        text: row.get("text")?,
        set: row.get("set")?,
        ended: row.get("ended")?,
        review_by: row.get("review_by")?,
    })
}

pub(super) const SELECT_REVIEW: &str =
    "SELECT v.key AS \"key\", k.key AS \"case\", v.date AS \"date\", v.outcome AS \"outcome\",
     v.notes AS \"notes\", v.id AS \"id\",
     t.key AS \"target\"
     FROM reviews v JOIN cases k ON k.id = v.case_id LEFT JOIN targets t ON t.id = v.target_id";

pub(super) fn review_from_row(row: &Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        key: row.get("key")?,
        case: row.get("case")?,
        date: row.get("date")?,
        outcome: row.get("outcome")?,
        notes: row.get("notes")?,
        target: row.get("target")?,
    })
}

pub(super) const SELECT_VISIT: &str =
    "SELECT v.key AS \"key\", k.key AS \"case\", v.date AS \"date\", s.key AS \"staff\",
     v.id AS \"id\", v.purpose AS \"purpose\",
     v.notes AS \"notes\"
     FROM visits v JOIN cases k ON k.id = v.case_id LEFT JOIN staff s ON s.id = v.staff_id";

pub(super) fn visit_from_row(row: &Row<'_>) -> rusqlite::Result<Visit> {
    Ok(Visit {
        key: row.get("key")?,
        case: row.get("case")?,
        date: row.get("date")?,
        staff: row.get("staff")?,
        purpose: row.get("purpose")?,
        notes: row.get("notes")?,
    })
}

pub(super) const SELECT_NOTE: &str =
    "SELECT n.key AS \"key\", k.key AS \"case\", n.date AS \"date\", n.text AS \"text\",
     s.key AS \"staff\",
     n.id AS \"id\"
     FROM case_notes n JOIN cases k ON k.id = n.case_id LEFT JOIN staff s ON s.id = n.staff_id";

pub(super) fn note_from_row(row: &Row<'_>) -> rusqlite::Result<CaseNote> {
    Ok(CaseNote {
        key: row.get("key")?,
        case: row.get("case")?,
        date: row.get("date")?,
        text: row.get("text")?,
        staff: row.get("staff")?,
    })
}
