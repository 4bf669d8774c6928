//! Which table holds each record type, and finding records by key.

use super::{Reader, Result};
use crate::domain::RecordKind;
use rusqlite::OptionalExtension;

pub(super) fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::District => "district",
        RecordKind::TermDates => "term_dates",
        RecordKind::Setting => "settings",
        RecordKind::Staff => "staff",
        RecordKind::Child => "children",
        RecordKind::LiftMeeting => "lift_meetings",
        RecordKind::Referral => "referrals",
        RecordKind::Case => "cases",
        RecordKind::Allocation => "allocations",
        RecordKind::Target => "targets",
        RecordKind::Review => "reviews",
        RecordKind::Clinic => "clinics",
        RecordKind::Training => "trainings",
        RecordKind::Transition => "transitions",
        RecordKind::Visit => "visits",
        RecordKind::CaseNote => "case_notes",
        RecordKind::GroupWork => "group_work",
        RecordKind::MonitoringMeeting => "monitoring_meetings",
        RecordKind::ManualMeasure => "manual_measures",
        RecordKind::MeasureNote => "measure_notes",
    }
}

impl Reader<'_> {
    /// The row id of the record of `kind` with `key`, if stored.
    pub fn id_of(&self, kind: RecordKind, key: &str) -> Result<Option<i64>> {
        let sql = format!("SELECT id FROM {} WHERE key = ?1", table(kind));
        Ok(self.conn.prepare_cached(&sql)?.query_row([key], |r| r.get(0)).optional()?)
    }

    /// The largest row id of a type (0 when empty): rows above it were written later.
    pub fn max_id(&self, kind: RecordKind) -> Result<i64> {
        let sql = format!("SELECT coalesce(max(id), 0) FROM {}", table(kind));
        Ok(self.conn.prepare_cached(&sql)?.query_row([], |r| r.get(0))?)
    }

    /// How many records of a type are stored.
    pub fn count(&self, kind: RecordKind) -> Result<i64> {
        let sql = format!("SELECT count(*) FROM {}", table(kind));
        Ok(self.conn.prepare_cached(&sql)?.query_row([], |r| r.get(0))?)
    }

    /// Whether nothing at all is stored (no district, no records).
    pub fn is_empty(&self) -> Result<bool> {
        for kind in RecordKind::ALL {
            if self.count(*kind)? > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The record types that have a record with this key (to explain a reference of the wrong type).
    pub fn kinds_with_key(&self, key: &str) -> Result<Vec<RecordKind>> {
        let mut kinds = Vec::new();
        for kind in RecordKind::ALL {
            if self.id_of(*kind, key)?.is_some() {
                kinds.push(*kind);
            }
        }
        Ok(kinds)
    }
}
