//! The caseload list: one summary row per case, for the Caseload and Teachers screens.
//!
//! One query reads the columns the list shows (no notes, no dates of birth); the screen filters
//! and sorts these rows in memory, so typing a filter or changing the sort on a district of
//! 100,000 children stays within a frame.

use super::{Reader, Result};
use crate::domain::{Area, Date, Need, Phase};
use rusqlite::named_params;

/// A case as the caseload list shows it.
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
    /// The teacher of the latest allocation (current when the case is active).
    pub teacher_id: Option<i64>,
    pub teacher: Option<String>,
    pub opened: Date,
    pub closed: Option<Date>,
    pub last_review: Option<Date>,
    /// An allocation in force today.
    pub allocated: bool,
    /// A target in force today.
    pub targeted: bool,
}

impl CaseRow {
    pub fn is_open(&self, today: Date) -> bool {
        self.opened <= today && self.closed.is_none_or(|c| c >= today)
    }

    /// Open, with a teacher allocated and targets in force: actively supported.
    pub fn is_active(&self, today: Date) -> bool {
        self.is_open(today) && self.allocated && self.targeted
    }
}

impl Reader<'_> {
    /// Every case's summary row, as of `today` (for "allocated" and "targets in force").
    pub fn case_rows(&self, today: Date) -> Result<Vec<CaseRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT k.id, k.key, c.id, c.first_name, c.last_name, s.id, s.name, k.phase, k.area, k.need,
                    latest.staff_id, st.name, k.opened, k.closed,
                    (SELECT max(v.date) FROM reviews v WHERE v.case_id = k.id),
                    EXISTS (SELECT 1 FROM allocations a WHERE a.case_id = k.id AND a.start_date <= :t
                            AND (a.end_date IS NULL OR a.end_date >= :t)),
                    EXISTS (SELECT 1 FROM targets g WHERE g.case_id = k.id AND g.set_on <= :t
                            AND (g.ended IS NULL OR g.ended >= :t))
             FROM cases k
             JOIN children c ON c.id = k.child_id
             JOIN settings s ON s.id = k.setting_id
             LEFT JOIN allocations latest ON latest.id = (SELECT a.id FROM allocations a WHERE a.case_id = k.id
                                                         ORDER BY a.start_date DESC, a.id DESC LIMIT 1)
             LEFT JOIN staff st ON st.id = latest.staff_id
             ORDER BY k.id",
        )?;
        let rows = stmt.query_map(named_params! { ":t": today.to_string() }, |r| {
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
                teacher_id: r.get(10)?,
                teacher: r.get(11)?,
                opened: r.get(12)?,
                closed: r.get(13)?,
                last_review: r.get(14)?,
                allocated: r.get(15)?,
                targeted: r.get(16)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
