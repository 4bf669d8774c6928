//! Cases and the work recorded on them: allocations, targets, reviews and visits.

use crate::domain::{Allocation, Case, Review, Target, Visit};
use rusqlite::{Connection, Row, params};

pub(super) const SELECT_CASE: &str =
    "SELECT k.key, c.key, s.key, k.phase, k.area, k.need, k.opened, k.closed,
     k.closure_reason, r.key, k.outreach, k.id
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
    })
}

/// `ids`: child, setting, then the referral when given.
pub(super) fn put_case(conn: &Connection, c: &Case, ids: &[i64]) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO cases (key, child_id, setting_id, phase, area, need, opened, closed, closure_reason,
             referral_id, outreach)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (key) DO UPDATE SET child_id = excluded.child_id, setting_id = excluded.setting_id,
             phase = excluded.phase, area = excluded.area, need = excluded.need, opened = excluded.opened,
             closed = excluded.closed, closure_reason = excluded.closure_reason,
             referral_id = excluded.referral_id, outreach = excluded.outreach
         RETURNING id",
    )?
    .query_row(
        params![
            c.key,
            ids[0],
            ids[1],
            c.phase,
            c.area,
            c.need,
            c.opened,
            c.closed,
            c.closure_reason,
            ids.get(2),
            c.outreach
        ],
        |r| r.get(0),
    )
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

/// `ids`: case, staff.
pub(super) fn put_allocation(conn: &Connection, a: &Allocation, ids: &[i64]) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO allocations (key, case_id, staff_id, start_date, end_date) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (key) DO UPDATE SET case_id = excluded.case_id, staff_id = excluded.staff_id,
             start_date = excluded.start_date, end_date = excluded.end_date
         RETURNING id",
    )?
    .query_row(params![a.key, ids[0], ids[1], a.start, a.end], |r| r.get(0))
}

pub(super) const SELECT_TARGET: &str =
    "SELECT t.key, k.key, t.text, t.set_on, t.ended, t.id FROM targets t JOIN cases k ON k.id = t.case_id";

pub(super) fn target_from_row(row: &Row<'_>) -> rusqlite::Result<Target> {
    Ok(Target {
        key: row.get(0)?,
        case: row.get(1)?,
        text: row.get(2)?,
        set: row.get(3)?,
        ended: row.get(4)?,
    })
}

/// `ids`: case.
pub(super) fn put_target(conn: &Connection, t: &Target, ids: &[i64]) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO targets (key, case_id, text, set_on, ended) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (key) DO UPDATE SET case_id = excluded.case_id, text = excluded.text,
             set_on = excluded.set_on, ended = excluded.ended
         RETURNING id",
    )?
    .query_row(params![t.key, ids[0], t.text, t.set, t.ended], |r| r.get(0))
}

pub(super) const SELECT_REVIEW: &str =
    "SELECT v.key, k.key, v.date, v.outcome, v.notes, v.id FROM reviews v JOIN cases k ON k.id = v.case_id";

pub(super) fn review_from_row(row: &Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        key: row.get(0)?,
        case: row.get(1)?,
        date: row.get(2)?,
        outcome: row.get(3)?,
        notes: row.get(4)?,
    })
}

/// `ids`: case.
pub(super) fn put_review(conn: &Connection, r: &Review, ids: &[i64]) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO reviews (key, case_id, date, outcome, notes) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (key) DO UPDATE SET case_id = excluded.case_id, date = excluded.date,
             outcome = excluded.outcome, notes = excluded.notes
         RETURNING id",
    )?
    .query_row(params![r.key, ids[0], r.date, r.outcome, r.notes], |row| row.get(0))
}

pub(super) const SELECT_VISIT: &str = "SELECT v.key, k.key, v.date, s.key, v.id
     FROM visits v JOIN cases k ON k.id = v.case_id LEFT JOIN staff s ON s.id = v.staff_id";

pub(super) fn visit_from_row(row: &Row<'_>) -> rusqlite::Result<Visit> {
    Ok(Visit { key: row.get(0)?, case: row.get(1)?, date: row.get(2)?, staff: row.get(3)? })
}

/// `ids`: case, then the visiting staff member when given.
pub(super) fn put_visit(conn: &Connection, v: &Visit, ids: &[i64]) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO visits (key, case_id, date, staff_id) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key) DO UPDATE SET case_id = excluded.case_id, date = excluded.date,
             staff_id = excluded.staff_id
         RETURNING id",
    )?
    .query_row(params![v.key, ids[0], v.date, ids.get(1)], |r| r.get(0))
}
