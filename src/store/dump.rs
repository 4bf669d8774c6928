//! Reading records back whole: for `dump`, and for fetching one record by key.

use super::{Reader, Result, activities, calendar, cases, children, lift, referrals, settings, staff};
use crate::domain::{Record, RecordKind};
use rusqlite::{Connection, Row, ToSql};

/// The query for a record type and the alias of its main table.
fn select_of(kind: RecordKind) -> (&'static str, &'static str) {
    use RecordKind as K;
    match kind {
        K::District => (calendar::SELECT_DISTRICT, "d"),
        K::TermDates => (calendar::SELECT_TERM_DATES, "t"),
        K::Setting => (settings::SELECT, "s"),
        K::Staff => (staff::SELECT, "s"),
        K::Child => (children::SELECT, "c"),
        K::LiftMeeting => (lift::SELECT, "m"),
        K::Referral => (referrals::SELECT, "r"),
        K::Case => (cases::SELECT_CASE, "k"),
        K::Allocation => (cases::SELECT_ALLOCATION, "a"),
        K::Target => (cases::SELECT_TARGET, "t"),
        K::Review => (cases::SELECT_REVIEW, "v"),
        K::Clinic => (activities::SELECT_CLINIC, "c"),
        K::Training => (activities::SELECT_TRAINING, "t"),
        K::Transition => (activities::SELECT_TRANSITION, "t"),
        K::Visit => (cases::SELECT_VISIT, "v"),
        K::CaseNote => (cases::SELECT_NOTE, "n"),
        K::GroupWork => (activities::SELECT_GROUP_WORK, "g"),
        K::MonitoringMeeting => (activities::SELECT_MONITORING, "m"),
        K::ManualMeasure => (calendar::SELECT_MANUAL, "m"),
        K::MeasureNote => (calendar::SELECT_NOTES, "n"),
    }
}

fn from_row(conn: &Connection, kind: RecordKind, row: &Row<'_>) -> rusqlite::Result<Record> {
    use RecordKind as K;
    Ok(match kind {
        K::District => Record::District(calendar::district_from_row(row)?),
        K::TermDates => Record::TermDates(calendar::term_dates_from_row(row)?),
        K::Setting => Record::Setting(settings::from_row(row)?),
        K::Staff => Record::Staff(staff::from_row(row)?),
        K::Child => Record::Child(children::from_row(row)?),
        K::LiftMeeting => Record::LiftMeeting(lift::from_row(conn, row)?),
        K::Referral => Record::Referral(referrals::from_row(row)?),
        K::Case => Record::Case(cases::case_from_row(row)?),
        K::Allocation => Record::Allocation(cases::allocation_from_row(row)?),
        K::Target => Record::Target(cases::target_from_row(row)?),
        K::Review => Record::Review(cases::review_from_row(row)?),
        K::Clinic => Record::Clinic(activities::clinic_from_row(conn, row)?),
        K::Training => Record::Training(activities::training_from_row(conn, row)?),
        K::Transition => Record::Transition(activities::transition_from_row(row)?),
        K::Visit => Record::Visit(cases::visit_from_row(row)?),
        K::CaseNote => Record::CaseNote(cases::note_from_row(row)?),
        K::GroupWork => Record::GroupWork(activities::group_work_from_row(row)?),
        K::MonitoringMeeting => Record::MonitoringMeeting(activities::monitoring_from_row(row)?),
        K::ManualMeasure => Record::ManualMeasure(calendar::manual_from_row(row)?),
        K::MeasureNote => Record::MeasureNote(calendar::note_from_row(row)?),
    })
}

impl Reader<'_> {
    /// Every stored record, type by type in dependency order and in the order written, so that a
    /// records file made from them can be imported as it stands.
    pub fn each_record(&self, f: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
        for kind in RecordKind::ALL {
            let (select, alias) = select_of(*kind);
            let mut stmt = self.conn.prepare(&format!("{select} ORDER BY {alias}.id"))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                f(from_row(self.conn, *kind, row)?)?;
            }
        }
        Ok(())
    }

    /// One record by type and key.
    pub fn record(&self, kind: RecordKind, key: &str) -> Result<Option<Record>> {
        let (select, alias) = select_of(kind);
        let sql = format!("{select} WHERE {alias}.key = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([&key as &dyn ToSql])?;
        match rows.next()? {
            Some(row) => Ok(Some(from_row(self.conn, kind, row)?)),
            None => Ok(None),
        }
    }
}
