//! The caseload list: one summary row per case with its status on a day, for the Caseload.
//!
//! One query reads the columns the list shows (no notes, no dates of birth); the screen filters
//! and sorts these rows in memory, so typing a filter or changing the sort on a district of
//! 100,000 children stays within a frame.

use super::{Reader, Result};
use crate::domain::status::{self, CaseStatus, ReviewBy};
use crate::domain::{Area, Date, Need, Phase};
use rusqlite::named_params;

/// A case as the caseload list shows it, on the day it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub id: i64,
    pub key: String,
    pub child_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub setting_id: i64,
    pub setting: String,
    pub phase: Phase,
    pub area: Area,
    pub need: Option<Need>,
    /// The teacher on the day: the staff member of the allocation in force, if any.
    pub teacher_id: Option<i64>,
    pub teacher: Option<String>,
    pub opened: Date,
    pub closed: Option<Date>,
    /// The last review on or before the day.
    pub last_review: Option<Date>,
    pub status: CaseStatus,
    /// A target in force on the day.
    pub targeted: bool,
    /// What its targets' review-by dates say on the day.
    pub review_by: ReviewBy,
}

impl CaseRow {
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Open with a teacher allocated and targets in force: actively supported.
    pub fn is_active(&self) -> bool {
        self.status == CaseStatus::Active
    }

    /// Open without a teacher.
    pub fn has_no_teacher(&self) -> bool {
        self.is_open() && self.teacher_id.is_none()
    }

    /// Open without a target in force.
    pub fn has_no_targets(&self) -> bool {
        self.is_open() && !self.targeted
    }

    pub fn review_overdue(&self, day: Date, weeks: u32) -> bool {
        status::review_overdue(
            self.status,
            self.targeted,
            self.last_review.unwrap_or(self.opened),
            self.review_by,
            day,
            weeks,
        )
    }

    pub fn open_over_six_months(&self, day: Date) -> bool {
        status::open_over_six_months(self.status, self.opened, day)
    }
}

impl Reader<'_> {
    /// Every case's summary row, with its status and teacher on `day`.
    pub fn case_rows(&self, day: Date) -> Result<Vec<CaseRow>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT k.id, k.key, c.id, c.first_name, c.last_name, s.id, s.name, k.phase, k.area, k.need,
                    k.teacher, st.name, k.opened, k.closed, k.last_review, k.targeted, k.review_by_passed
             FROM (SELECT k.*, ",
            teacher_on!(":d"),
            " AS teacher, ",
            last_review_on!(":d"),
            " AS last_review, ",
            targeted_during!(":d", ":d"),
            " AS targeted, ",
            review_by_passed_on!(":d"),
            " AS review_by_passed FROM cases k) k
             JOIN children c ON c.id = k.child_id
             JOIN settings s ON s.id = k.setting_id
             LEFT JOIN staff st ON st.id = k.teacher
             ORDER BY k.id"
        ))?;
        let rows = stmt.query_map(named_params! { ":d": day.to_string() }, |r| {
            let teacher_id: Option<i64> = r.get(10)?;
            let opened: Date = r.get(12)?;
            let closed: Option<Date> = r.get(13)?;
            let targeted: bool = r.get(15)?;
            Ok(CaseRow {
                id: r.get(0)?,
                key: r.get(1)?,
                child_id: r.get(2)?,
                first_name: r.get(3)?,
                last_name: r.get(4)?,
                setting_id: r.get(5)?,
                setting: r.get(6)?,
                phase: r.get(7)?,
                area: r.get(8)?,
                need: r.get(9)?,
                teacher_id,
                teacher: r.get(11)?,
                opened,
                closed,
                last_review: r.get(14)?,
                status: CaseStatus::on(day, opened, closed, teacher_id.is_some(), targeted),
                targeted,
                review_by: ReviewBy::from_passed(r.get(16)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
