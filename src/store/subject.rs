//! Everything held about one child, for a subject access request (docs/privacy.md).

use super::{AuditEntry, Reader, Result};
use crate::domain::{Record, RecordKind, Setting, Staff};
use rusqlite::OptionalExtension;

/// A LIFT meeting as a subject access file shows it: when and of which kind, nothing of the
/// other children discussed there or of the settings that came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingSeen {
    pub key: String,
    pub date: crate::domain::Date,
    pub kind: crate::domain::PhaseGroup,
}

/// What the service holds about one child.
#[derive(Debug, Clone)]
pub struct SubjectAccess {
    /// The child, then their referrals, cases and the cases' allocations, targets, reviews,
    /// visits and notes, in the records file's order.
    pub records: Vec<Record>,
    pub meetings: Vec<MeetingSeen>,
    /// The settings and staff the records name (they acted in their role).
    pub settings: Vec<Setting>,
    pub staff: Vec<Staff>,
    /// Every entry of the audit log about any of the records, oldest first.
    pub audit: Vec<AuditEntry>,
}

impl Reader<'_> {
    /// Everything held about the child `key`; `None` when there is no such child.
    pub fn subject_access(&self, key: &str) -> Result<Option<SubjectAccess>> {
        let conn = self.conn;
        let Some(id) = conn
            .query_row("SELECT id FROM children WHERE key = ?1", [key], |r| r.get::<_, i64>(0))
            .optional()?
        else {
            return Ok(None);
        };
        let of_cases = "case_id IN (SELECT id FROM cases WHERE child_id = ?1)";
        let mut records = Vec::new();
        for (kind, rows) in [
            (RecordKind::Child, "id = ?1"),
            (RecordKind::Referral, "child_id = ?1"),
            (RecordKind::Case, "child_id = ?1"),
            (RecordKind::Allocation, of_cases),
            (RecordKind::Target, of_cases),
            (RecordKind::Review, of_cases),
            (RecordKind::Visit, of_cases),
            (RecordKind::CaseNote, of_cases),
        ] {
            let sql = format!("SELECT key FROM {} WHERE {rows} ORDER BY id", super::keys::table(kind));
            let keys: Vec<String> =
                conn.prepare(&sql)?.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            for k in keys {
                records.extend(self.record(kind, &k)?);
            }
        }
        let mut meetings: Vec<MeetingSeen> = conn
            .prepare(
                "SELECT DISTINCT m.key, m.date, m.kind FROM lift_meetings m JOIN referrals r ON r.lift_meeting_id = m.id
                 WHERE r.child_id = ?1 ORDER BY m.date, m.key",
            )?
            .query_map([id], |r| Ok(MeetingSeen { key: r.get(0)?, date: r.get(1)?, kind: r.get(2)? }))?
            .collect::<rusqlite::Result<_>>()?;
        meetings.dedup();
        let (mut settings, mut staff) = (Vec::new(), Vec::new());
        let (mut setting_keys, mut staff_keys) = (Vec::new(), Vec::new());
        for r in &records {
            match r {
                Record::Child(c) => setting_keys.extend(c.setting.clone()),
                Record::Referral(x) => setting_keys.push(x.setting.clone()),
                Record::Case(x) => setting_keys.push(x.setting.clone()),
                Record::Allocation(a) => staff_keys.push(a.staff.clone()),
                Record::Visit(v) => staff_keys.extend(v.staff.clone()),
                Record::CaseNote(n) => staff_keys.extend(n.staff.clone()),
                _ => {}
            }
        }
        for keys in [&mut setting_keys, &mut staff_keys] {
            keys.sort();
            keys.dedup();
        }
        for k in setting_keys {
            if let Some(Record::Setting(s)) = self.record(RecordKind::Setting, &k)? {
                settings.push(s);
            }
        }
        for k in staff_keys {
            if let Some(Record::Staff(s)) = self.record(RecordKind::Staff, &k)? {
                staff.push(s);
            }
        }
        let ids = super::erase::entries_about(*self, id, key)?;
        let mut audit = Vec::with_capacity(ids.len());
        for entry_id in ids {
            audit.extend(self.audit_entry(entry_id)?);
        }
        Ok(Some(SubjectAccess { records, meetings, settings, staff, audit }))
    }
}
