//! The rules that relate records, checked over what is stored.
//!
//! SQL finds the candidate rows set-wise (fast on a large district); the domain's pure rule
//! functions then decide and word each violation, so the UI, import and `check` all say the same.

use super::{Batch, Reader, Result, Writer};
use crate::domain::rules::{Violation, periods_overlap, within_case};
use crate::domain::{Date, RecordKind};
use rusqlite::params;

/// A broken rule found in stored data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredViolation {
    pub kind: RecordKind,
    pub key: String,
    pub field: &'static str,
    pub message: String,
    /// The other record involved (the case an allocation lies outside, the overlapping case, ...).
    pub related: Option<(RecordKind, String)>,
}

/// Which rows to check: those written after `since` (per kind) or listed in `updated` (per kind,
/// as a JSON array of row ids).
struct Scope {
    since: Vec<i64>,
    updated: Vec<String>,
}

impl Scope {
    fn all() -> Scope {
        Scope { since: vec![0; RecordKind::ALL.len()], updated: vec!["[]".into(); RecordKind::ALL.len()] }
    }

    fn of(batch: &Batch) -> Scope {
        let updated = RecordKind::ALL
            .iter()
            .map(|k| {
                let ids: Vec<String> = batch.updated_ids(*k).map(|id| id.to_string()).collect();
                format!("[{}]", ids.join(","))
            })
            .collect();
        Scope { since: batch.before.clone(), updated }
    }

    fn since(&self, k: RecordKind) -> i64 {
        self.since[k as usize]
    }

    fn updated(&self, k: RecordKind) -> &str {
        &self.updated[k as usize]
    }
}

impl Reader<'_> {
    /// Every broken cross-record rule in the whole database.
    pub fn rule_violations(&self) -> Result<Vec<StoredViolation>> {
        violations(*self, &Scope::all())
    }
}

impl Writer<'_> {
    /// The cross-record rules this batch could have broken, checked before it is committed.
    pub fn batch_violations(&self, batch: &Batch) -> Result<Vec<StoredViolation>> {
        violations(self.reader(), &Scope::of(batch))
    }
}

fn violations(reader: Reader<'_>, scope: &Scope) -> Result<Vec<StoredViolation>> {
    let mut out = overlapping_cases(reader, scope)?;
    out.extend(referral_of_another_child(reader, scope)?);
    for work in &WORK {
        out.extend(work_outside_case(reader, scope, work)?);
    }
    Ok(out)
}

fn overlapping_cases(reader: Reader<'_>, scope: &Scope) -> Result<Vec<StoredViolation>> {
    let mut stmt = reader.conn.prepare_cached(
        "SELECT a.key, a.opened, a.closed, b.key, b.opened, b.closed
         FROM cases a JOIN cases b ON b.child_id = a.child_id AND b.id > a.id
         WHERE a.child_id IN (SELECT child_id FROM cases WHERE id > ?1 OR id IN (SELECT value FROM json_each(?2)))
           AND a.opened <= coalesce(b.closed, '9999-12-31') AND b.opened <= coalesce(a.closed, '9999-12-31')
         ORDER BY b.id, a.id",
    )?;
    let rows =
        stmt.query_map(params![scope.since(RecordKind::Case), scope.updated(RecordKind::Case)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get::<_, Date>(1)?, r.get::<_, Option<Date>>(2)?),
                r.get::<_, String>(3)?,
                (r.get::<_, Date>(4)?, r.get::<_, Option<Date>>(5)?),
            ))
        })?;
    let mut out = Vec::new();
    for row in rows {
        let (a_key, a, b_key, b) = row?;
        if !periods_overlap(a, b) {
            continue;
        }
        out.push(StoredViolation {
            kind: RecordKind::Case,
            key: b_key,
            field: "opened",
            message: format!(
                "this case ({}) overlaps the child's case {a_key} ({}); a child has only one case at a \
                 time, so close the earlier case first",
                describe_period(b),
                describe_period(a)
            ),
            related: Some((RecordKind::Case, a_key)),
        });
    }
    Ok(out)
}

fn describe_period((opened, closed): (Date, Option<Date>)) -> String {
    match closed {
        Some(closed) => format!("opened {opened}, closed {closed}"),
        None => format!("opened {opened}, still open"),
    }
}

fn referral_of_another_child(reader: Reader<'_>, scope: &Scope) -> Result<Vec<StoredViolation>> {
    let mut stmt = reader.conn.prepare_cached(
        "SELECT k.key, r.key, ck.key, cr.key FROM cases k JOIN referrals r ON r.id = k.referral_id
         JOIN children ck ON ck.id = k.child_id JOIN children cr ON cr.id = r.child_id
         WHERE r.child_id <> k.child_id
           AND (k.id > ?1 OR k.id IN (SELECT value FROM json_each(?2))
                OR r.id > ?3 OR r.id IN (SELECT value FROM json_each(?4)))",
    )?;
    let rows = stmt.query_map(
        params![
            scope.since(RecordKind::Case),
            scope.updated(RecordKind::Case),
            scope.since(RecordKind::Referral),
            scope.updated(RecordKind::Referral)
        ],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (case, referral, case_child, referral_child) = row?;
        out.push(StoredViolation {
            kind: RecordKind::Case,
            key: case,
            field: "referral",
            message: format!(
                "referral {referral} is for child {referral_child}, but this case is for child {case_child}"
            ),
            related: Some((RecordKind::Referral, referral)),
        });
    }
    Ok(out)
}

/// Work recorded on a case: its table, date columns and field names.
struct Work {
    kind: RecordKind,
    table: &'static str,
    start_column: &'static str,
    start_field: &'static str,
    end_column: Option<&'static str>,
    end_field: &'static str,
}

const WORK: [Work; 4] = [
    Work {
        kind: RecordKind::Allocation,
        table: "allocations",
        start_column: "start_date",
        start_field: "start",
        end_column: Some("end_date"),
        end_field: "end",
    },
    Work {
        kind: RecordKind::Target,
        table: "targets",
        start_column: "set_on",
        start_field: "set",
        end_column: Some("ended"),
        end_field: "ended",
    },
    Work {
        kind: RecordKind::Review,
        table: "reviews",
        start_column: "date",
        start_field: "date",
        end_column: None,
        end_field: "date",
    },
    Work {
        kind: RecordKind::Visit,
        table: "visits",
        start_column: "date",
        start_field: "date",
        end_column: None,
        end_field: "date",
    },
];

fn work_outside_case(reader: Reader<'_>, scope: &Scope, work: &Work) -> Result<Vec<StoredViolation>> {
    let Work { table, start_column: start, .. } = work;
    let end = work.end_column.unwrap_or("NULL");
    let sql = format!(
        "SELECT x.key, x.{start}, {end_expr}, k.key, k.opened, k.closed FROM {table} x JOIN cases k ON k.id = x.case_id
         WHERE (x.{start} < k.opened OR (k.closed IS NOT NULL AND (x.{start} > k.closed OR {end_expr} > k.closed)))
           AND (x.id > ?1 OR x.id IN (SELECT value FROM json_each(?2))
                OR x.case_id > ?3 OR x.case_id IN (SELECT value FROM json_each(?4)))
         ORDER BY x.id",
        end_expr = if work.end_column.is_some() { format!("x.{end}") } else { "NULL".into() },
    );
    let mut stmt = reader.conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            scope.since(work.kind),
            scope.updated(work.kind),
            scope.since(RecordKind::Case),
            scope.updated(RecordKind::Case)
        ],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Date>(1)?,
                r.get::<_, Option<Date>>(2)?,
                r.get::<_, String>(3)?,
                (r.get::<_, Date>(4)?, r.get::<_, Option<Date>>(5)?),
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (key, start_date, end_date, case_key, case) = row?;
        let Some(Violation { field, message }) =
            within_case(case, work.start_field, start_date, work.end_field, end_date)
        else {
            continue;
        };
        out.push(StoredViolation {
            kind: work.kind,
            key,
            field,
            message: format!("{message} (case {case_key})"),
            related: Some((RecordKind::Case, case_key)),
        });
    }
    Ok(out)
}
