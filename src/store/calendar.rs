//! The district itself, its term dates, and the manual figures of its returns.

use super::{Reader, Result};
use crate::domain::{
    AcademicYear, District, ManualMeasure, ManualValue, MeasureNote, Term, TermDates, TermStarts,
};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};

pub(super) const SELECT_DISTRICT: &str = "SELECT d.name, d.retention, d.id FROM district d";

pub(super) fn district_from_row(row: &Row<'_>) -> rusqlite::Result<District> {
    // Written only by this program, from a policy it read: one it cannot read is the default.
    let retention: Option<String> = row.get(1)?;
    Ok(District { name: row.get(0)?, retention: retention.and_then(|r| r.parse().ok()) })
}

pub(super) const SELECT_TERM_DATES: &str =
    "SELECT t.key, t.t2, t.t3, t.t4, t.t5, t.t6, t.id FROM term_dates t";

pub(super) fn term_dates_from_row(row: &Row<'_>) -> rusqlite::Result<TermDates> {
    Ok(TermDates {
        year: row.get(0)?,
        t2: row.get(1)?,
        t3: row.get(2)?,
        t4: row.get(3)?,
        t5: row.get(4)?,
        t6: row.get(5)?,
    })
}

pub(super) const SELECT_MANUAL: &str =
    "SELECT m.year, m.term, m.measure, m.value, m.id FROM manual_measures m";

pub(super) fn manual_from_row(row: &Row<'_>) -> rusqlite::Result<ManualMeasure> {
    let term: u8 = row.get(1)?;
    let value = match row.get::<_, Value>(3)? {
        Value::Integer(n) => ManualValue::Number(n as f64),
        Value::Real(x) => ManualValue::Number(x),
        Value::Text(t) => ManualValue::Text(t),
        other => {
            return Err(rusqlite::Error::InvalidColumnType(3, "value".into(), other.data_type()));
        }
    };
    Ok(ManualMeasure {
        year: row.get(0)?,
        term: Term::new(term).ok_or(rusqlite::Error::IntegralValueOutOfRange(1, i64::from(term)))?,
        id: row.get(2)?,
        value,
    })
}

pub(super) const SELECT_NOTES: &str =
    "SELECT n.year, n.term, n.measure, n.note, n.not_collected, n.id FROM measure_notes n";

pub(super) fn note_from_row(row: &Row<'_>) -> rusqlite::Result<MeasureNote> {
    let term: u8 = row.get(1)?;
    Ok(MeasureNote {
        year: row.get(0)?,
        term: Term::new(term).ok_or(rusqlite::Error::IntegralValueOutOfRange(1, i64::from(term)))?,
        id: row.get(2)?,
        note: row.get(3)?,
        not_collected: row.get(4)?,
    })
}

impl Reader<'_> {
    /// The district's name, once set.
    pub fn district_name(&self) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT name FROM district", [], |r| r.get(0)).optional()?)
    }

    /// The district record, once set.
    pub fn district(&self) -> Result<Option<District>> {
        Ok(self.conn.query_row(SELECT_DISTRICT, [], district_from_row).optional()?)
    }

    /// The district's retention policy: its own, or the default (`closed+6`).
    pub fn retention(&self) -> Result<crate::domain::retention::Retention> {
        Ok(self.district()?.and_then(|d| d.retention).unwrap_or_default())
    }

    /// Term start dates the team has stored for a year (overriding the defaults), if any.
    pub fn term_starts(&self, year: AcademicYear) -> Result<Option<TermStarts>> {
        let sql = format!("{SELECT_TERM_DATES} WHERE t.key = ?1");
        let row =
            self.conn.prepare_cached(&sql)?.query_row([year.to_string()], term_dates_from_row).optional()?;
        Ok(row.map(|t| TermStarts { year: t.year, starts: [t.t2, t.t3, t.t4, t.t5, t.t6] }))
    }

    /// The manual figures typed for one term.
    pub fn manual_measures(&self, year: AcademicYear, term: Term) -> Result<Vec<ManualMeasure>> {
        let sql = format!("{SELECT_MANUAL} WHERE m.year = ?1 AND m.term = ?2 ORDER BY m.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![year, term.number()], manual_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The notes and "not collected" marks on the figures of one term.
    pub fn measure_notes(&self, year: AcademicYear, term: Term) -> Result<Vec<MeasureNote>> {
        let sql = format!("{SELECT_NOTES} WHERE n.year = ?1 AND n.term = ?2 ORDER BY n.measure");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![year, term.number()], note_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
