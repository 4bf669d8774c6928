//! The rules that relate records, checked over what is stored.
//!
//! SQL finds the candidate rows set-wise (fast on a large district); the domain's pure rule
//! functions then decide and word each violation, so the UI, import and `check` all say the same.

use super::{Batch, Reader, Result, Writer};
use crate::domain::rules::{Violation, cases_overlap, within_case};
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
    out.extend(overlapping_allocations(reader, scope)?);
    out.extend(dated_outside_childhood(reader, scope)?);
    out.extend(urn_used_twice(reader, scope)?);
    out.extend(target_of_another_case(reader, scope)?);
    out.extend(children_at_a_meeting_not_held(reader, scope)?);
    Ok(out)
}

/// A planned or cancelled LIFT meeting has no children discussed: referrals are linked to a
/// meeting once it is held.
fn children_at_a_meeting_not_held(reader: Reader<'_>, scope: &Scope) -> Result<Vec<StoredViolation>> {
    let mut stmt = reader.conn.prepare_cached(
        "SELECT r.key, m.key, m.status FROM referrals r JOIN lift_meetings m ON m.id = r.lift_meeting_id
         WHERE m.status <> 'held' AND (r.id > ?1 OR r.id IN (SELECT value FROM json_each(?2))
               OR m.id > ?3 OR m.id IN (SELECT value FROM json_each(?4)))
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map(
        params![
            scope.since(RecordKind::Referral),
            scope.updated(RecordKind::Referral),
            scope.since(RecordKind::LiftMeeting),
            scope.updated(RecordKind::LiftMeeting)
        ],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)),
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (referral, meeting, status) = row?;
        out.push(StoredViolation {
            kind: RecordKind::Referral,
            key: referral,
            field: "lift_meeting",
            message: format!(
                "the LIFT meeting {meeting} is {status}: a meeting has no children discussed until it is held \
                 (mark it held first, or link the referral to a meeting that was held)"
            ),
            related: Some((RecordKind::LiftMeeting, meeting)),
        });
    }
    Ok(out)
}

/// A review of one target reviews a target of its own case.
fn target_of_another_case(reader: Reader<'_>, scope: &Scope) -> Result<Vec<StoredViolation>> {
    let mut stmt = reader.conn.prepare_cached(
        "SELECT v.key, t.key, kv.key FROM reviews v JOIN targets t ON t.id = v.target_id
         JOIN cases kv ON kv.id = v.case_id
         WHERE t.case_id <> v.case_id AND (v.id > ?1 OR v.id IN (SELECT value FROM json_each(?2)))",
    )?;
    let rows = stmt
        .query_map(params![scope.since(RecordKind::Review), scope.updated(RecordKind::Review)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
    let mut out = Vec::new();
    for row in rows {
        let (review, target, case) = row?;
        out.push(StoredViolation {
            kind: RecordKind::Review,
            key: review,
            field: "target",
            message: format!("target {target} is not one of case {case}'s targets"),
            related: Some((RecordKind::Target, target)),
        });
    }
    Ok(out)
}

impl Writer<'_> {
    /// Children written by this batch with the same first name, last name (however spelled:
    /// `domain::normal`) and date of birth as a child stored or written before them: a records
    /// file must use the existing child's key. (A form asks first instead, and may add a second
    /// child after an explicit confirmation.)
    pub fn duplicate_children(&self, batch: &Batch) -> Result<Vec<StoredViolation>> {
        let scope = Scope::of(batch);
        let mut stmt = self.tx.prepare_cached(
            // The first child of each name and date of birth (by row), beside every later one;
            // names are keyed only for dates of birth that two children share. Erased children
            // (store::erase: their key and name say so, in a dump too) are no one to be the same as.
            "SELECT key, first FROM (
                 SELECT id, key, first_value(key) OVER (PARTITION BY f, l, dob ORDER BY id) AS first FROM (
                     SELECT id, key, dob, caseload_name_key(first_name) AS f, caseload_name_key(last_name) AS l
                     FROM children WHERE dob IN (SELECT dob FROM children GROUP BY dob HAVING count(*) > 1)
                         AND NOT (key GLOB 'erased-*' AND first_name = 'erased' AND last_name = 'child')))
             WHERE first <> key AND (id > ?1 OR id IN (SELECT value FROM json_each(?2))) ORDER BY id",
        )?;
        let rows = stmt
            .query_map(params![scope.since(RecordKind::Child), scope.updated(RecordKind::Child)], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, other) = row?;
            out.push(StoredViolation {
                kind: RecordKind::Child,
                key,
                field: "first_name",
                message: format!(
                    "a child with the same name and date of birth is already recorded (key {other}): \
                     refer to that key instead of adding the child twice"
                ),
                related: Some((RecordKind::Child, other)),
            });
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Settings written by this batch with the name (trimmed, any case) and phase of a setting
    /// stored or written before them: (key, name, phase, the other's key). Worth a warning, not
    /// a refusal (two schools may share a name).
    pub fn setting_twins(&self, batch: &Batch) -> Result<Vec<(String, String, String, String)>> {
        let scope = Scope::of(batch);
        let mut stmt = self.tx.prepare_cached(
            "WITH twins AS (SELECT lower(trim(name)) AS n, phase FROM settings GROUP BY 1, 2 HAVING count(*) > 1)
             SELECT key, name, phase, first FROM (
                 SELECT s.id, s.key, s.name, s.phase,
                        (SELECT o.key FROM settings o WHERE o.id < s.id AND lower(trim(o.name)) = t.n
                           AND o.phase = t.phase ORDER BY o.id LIMIT 1) AS first
                 FROM twins t JOIN settings s ON lower(trim(s.name)) = t.n AND s.phase = t.phase
                 WHERE s.id > ?1 OR s.id IN (SELECT value FROM json_each(?2)))
             WHERE first IS NOT NULL ORDER BY id",
        )?;
        let rows = stmt.query_map(
            params![scope.since(RecordKind::Setting), scope.updated(RecordKind::Setting)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// An allocation as its rule reads it: key, start, end, teacher's name.
type Span = (String, Date, Option<Date>, String);

/// A case has one teacher at a time: its allocations never overlap.
fn overlapping_allocations(reader: Reader<'_>, scope: &Scope) -> Result<Vec<StoredViolation>> {
    let mut stmt = reader.conn.prepare_cached(
        "SELECT a.key, a.start_date, a.end_date, sa.name, b.key, b.start_date, b.end_date, sb.name, k.key,
                (b.id > ?1 OR b.id IN (SELECT value FROM json_each(?2)))
         FROM allocations a JOIN allocations b ON b.case_id = a.case_id AND b.id > a.id
         JOIN cases k ON k.id = a.case_id JOIN staff sa ON sa.id = a.staff_id JOIN staff sb ON sb.id = b.staff_id
         WHERE a.case_id IN (SELECT case_id FROM allocations WHERE id > ?1 OR id IN (SELECT value FROM json_each(?2)))
           AND a.start_date <= coalesce(b.end_date, '9999-12-31') AND b.start_date <= coalesce(a.end_date, '9999-12-31')
         ORDER BY b.id, a.id",
    )?;
    let rows = stmt.query_map(
        params![scope.since(RecordKind::Allocation), scope.updated(RecordKind::Allocation)],
        |r| {
            let allocation = |i| -> rusqlite::Result<Span> {
                Ok((r.get(i)?, r.get(i + 1)?, r.get(i + 2)?, r.get(i + 3)?))
            };
            Ok((allocation(0)?, allocation(4)?, r.get::<_, String>(8)?, r.get::<_, bool>(9)?))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (a, b, case, b_written) = row?;
        // On the allocation this change wrote (the later one when both).
        let (this, other) = if b_written { (b, a) } else { (a, b) };
        let until = |end: Option<Date>| end.map_or_else(|| "with no end".to_string(), |e| format!("to {e}"));
        out.push(StoredViolation {
            kind: RecordKind::Allocation,
            key: this.0,
            field: "start",
            message: format!(
                "this allocation (from {} {}) overlaps the allocation {} to {} (from {} {}) of the same case \
                 {case}; a case has one teacher at a time: end the other allocation the day before this one starts",
                this.1,
                until(this.2),
                other.0,
                other.3,
                other.1,
                until(other.2)
            ),
            related: Some((RecordKind::Allocation, other.0)),
        });
    }
    Ok(out)
}

/// A child is born on or before their first referral or case, and is under 26 on every
/// referral and case date (the SEND age range, 0 to 25). Dates of birth are never repeated.
fn dated_outside_childhood(reader: Reader<'_>, scope: &Scope) -> Result<Vec<StoredViolation>> {
    let mut stmt = reader.conn.prepare_cached(
        "SELECT x.kind, x.key, x.date, c.key, x.date < c.dob, x.written,
                (c.id > ?5 OR c.id IN (SELECT value FROM json_each(?6)))
         FROM (SELECT 'referral' AS kind, r.key, r.received AS date, r.child_id,
                      (r.id > ?1 OR r.id IN (SELECT value FROM json_each(?2))) AS written FROM referrals r
               UNION ALL
               SELECT 'case', k.key, k.opened, k.child_id,
                      (k.id > ?3 OR k.id IN (SELECT value FROM json_each(?4))) FROM cases k) x
         JOIN children c ON c.id = x.child_id
         WHERE (x.written OR c.id > ?5 OR c.id IN (SELECT value FROM json_each(?6)))
           AND (x.date < c.dob OR x.date >= date(c.dob, '+26 years'))
         ORDER BY x.kind, x.key",
    )?;
    let rows = stmt.query_map(
        params![
            scope.since(RecordKind::Referral),
            scope.updated(RecordKind::Referral),
            scope.since(RecordKind::Case),
            scope.updated(RecordKind::Case),
            scope.since(RecordKind::Child),
            scope.updated(RecordKind::Child)
        ],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Date>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, bool>(6)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (what, key, date, child, before_birth, written, child_written) = row?;
        let (kind, field, other) = if what == "referral" {
            (RecordKind::Referral, "received", "referral")
        } else {
            (RecordKind::Case, "opened", "case")
        };
        let rule = if before_birth {
            "is before the child's date of birth"
        } else {
            "is on or after the child's 26th birthday: the service supports children and young people aged 0 to 25"
        };
        // On the record this change wrote: the referral or case, else the child's date of birth.
        out.push(if written || !child_written {
            StoredViolation {
                kind,
                key,
                field,
                message: format!("{field} {date} {rule} (child {child})"),
                related: Some((RecordKind::Child, child)),
            }
        } else {
            StoredViolation {
                kind: RecordKind::Child,
                key: child,
                field: "dob",
                message: format!("the {other} {key} ({field} {date}) {rule}"),
                related: Some((kind, key.clone())),
            }
        });
    }
    Ok(out)
}

/// A setting's URN is unique.
fn urn_used_twice(reader: Reader<'_>, scope: &Scope) -> Result<Vec<StoredViolation>> {
    let mut stmt = reader.conn.prepare_cached(
        "WITH twice AS (SELECT urn FROM settings WHERE urn IS NOT NULL GROUP BY urn HAVING count(*) > 1)
         SELECT s.key, s.urn, (SELECT o.key FROM settings o WHERE o.urn = s.urn AND o.id <> s.id ORDER BY o.id LIMIT 1)
         FROM settings s JOIN twice ON twice.urn = s.urn
         WHERE s.id > ?1 OR s.id IN (SELECT value FROM json_each(?2))
         ORDER BY s.id",
    )?;
    let rows = stmt
        .query_map(params![scope.since(RecordKind::Setting), scope.updated(RecordKind::Setting)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
    let mut out = Vec::new();
    for row in rows {
        let (key, urn, other) = row?;
        out.push(StoredViolation {
            kind: RecordKind::Setting,
            key,
            field: "urn",
            message: format!(
                "URN {urn} is already the URN of the setting {other}; a URN belongs to one setting"
            ),
            related: Some((RecordKind::Setting, other)),
        });
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
        if !cases_overlap(a, b) {
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
