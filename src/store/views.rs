//! What the screens read besides the caseload list: one case whole, the lists of meetings,
//! clinics, courses and transition support, the register, the team's load, and the dashboard.

use super::{Reader, Result, activities, cases, children, lift, referrals, settings, staff};
use crate::domain::*;
use rusqlite::{OptionalExtension, named_params, params};

/// A staff member's name with a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T> {
    pub record: T,
    /// The name of the staff member (or setting) it refers to, for display.
    pub name: Option<String>,
}

/// One case with everything its chronology shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDetail {
    pub id: i64,
    pub case: Case,
    pub child: Child,
    pub setting_name: String,
    pub referral: Option<Referral>,
    /// The LIFT meeting the referral was discussed at: (date, kind).
    pub meeting: Option<(Date, PhaseGroup)>,
    pub allocations: Vec<Named<Allocation>>,
    pub targets: Vec<Target>,
    pub reviews: Vec<Review>,
    pub visits: Vec<Named<Visit>>,
    /// The child's other cases, newest first.
    pub other_cases: Vec<Case>,
}

/// A LIFT meeting in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRow {
    pub id: i64,
    pub meeting: LiftMeeting,
    pub referrals: i64,
}

/// A referral discussed at a meeting, with the names to show.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscussedReferral {
    pub referral: Referral,
    pub child_name: (String, String),
    pub setting_name: String,
}

/// A teacher's load: open and active cases by area.
#[derive(Debug, Clone, PartialEq)]
pub struct TeacherLoad {
    pub staff: Staff,
    pub id: i64,
    /// (open, active) cases by the case's area.
    pub by_area: Vec<(Area, i64, i64)>,
}

impl TeacherLoad {
    pub fn open(&self) -> i64 {
        self.by_area.iter().map(|(_, o, _)| o).sum()
    }

    pub fn active(&self) -> i64 {
        self.by_area.iter().map(|(_, _, a)| a).sum()
    }
}

fn collect<T>(rows: impl Iterator<Item = rusqlite::Result<T>>) -> Result<Vec<T>> {
    Ok(rows.collect::<rusqlite::Result<Vec<T>>>()?)
}

impl Reader<'_> {
    /// The case with this row id, with its chronology, or `None`.
    pub fn case_detail(&self, id: i64) -> Result<Option<CaseDetail>> {
        let conn = self.conn;
        let sql = format!("{} WHERE k.id = ?1", cases::SELECT_CASE);
        let Some(case) = conn.prepare_cached(&sql)?.query_row([id], cases::case_from_row).optional()? else {
            return Ok(None);
        };
        let child = conn
            .prepare_cached(&format!("{} WHERE c.key = ?1", children::SELECT))?
            .query_row([&case.child], children::from_row)?;
        let setting_name: String = conn
            .prepare_cached("SELECT name FROM settings WHERE key = ?1")?
            .query_row([&case.setting], |r| r.get(0))?;
        let referral = match &case.referral {
            Some(key) => conn
                .prepare_cached(&format!("{} WHERE r.key = ?1", referrals::SELECT))?
                .query_row([key], referrals::from_row)
                .optional()?,
            None => None,
        };
        let meeting = match referral.as_ref().and_then(|r| r.lift_meeting.as_ref()) {
            Some(key) => conn
                .prepare_cached("SELECT date, kind FROM lift_meetings WHERE key = ?1")?
                .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?,
            None => None,
        };
        let allocations = collect(
            conn.prepare_cached(&format!(
                "{} WHERE a.case_id = ?1 ORDER BY a.start_date, a.id",
                with_columns(cases::SELECT_ALLOCATION, "s.name")
            ))?
            .query_map([id], |r| Ok(Named { record: cases::allocation_from_row(r)?, name: r.get(6)? }))?,
        )?;
        let targets = collect(
            conn.prepare_cached(&format!(
                "{} WHERE t.case_id = ?1 ORDER BY t.set_on, t.id",
                cases::SELECT_TARGET
            ))?
            .query_map([id], cases::target_from_row)?,
        )?;
        let reviews = collect(
            conn.prepare_cached(&format!(
                "{} WHERE v.case_id = ?1 ORDER BY v.date, v.id",
                cases::SELECT_REVIEW
            ))?
            .query_map([id], cases::review_from_row)?,
        )?;
        let visits = collect(
            conn.prepare_cached(&format!(
                "{} WHERE v.case_id = ?1 ORDER BY v.date, v.id",
                with_columns(cases::SELECT_VISIT, "s.name")
            ))?
            .query_map([id], |r| Ok(Named { record: cases::visit_from_row(r)?, name: r.get(5)? }))?,
        )?;
        let other_cases = collect(
            conn.prepare_cached(&format!(
                "{} WHERE k.child_id = (SELECT child_id FROM cases WHERE id = ?1) AND k.id <> ?1
                 ORDER BY k.opened DESC",
                cases::SELECT_CASE
            ))?
            .query_map([id], cases::case_from_row)?,
        )?;
        Ok(Some(CaseDetail {
            id,
            case,
            child,
            setting_name,
            referral,
            meeting,
            allocations,
            targets,
            reviews,
            visits,
            other_cases,
        }))
    }

    /// The row id of a case by key.
    pub fn case_id(&self, key: &str) -> Result<Option<i64>> {
        self.id_of(RecordKind::Case, key)
    }

    /// LIFT meetings, newest first, with the number of referrals discussed.
    pub fn meetings(&self) -> Result<Vec<MeetingRow>> {
        let sql = format!(
            "{} ORDER BY m.date DESC, m.id DESC",
            with_columns(lift::SELECT, "(SELECT count(*) FROM referrals r WHERE r.lift_meeting_id = m.id)")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([], |r| {
            Ok(MeetingRow { id: r.get(13)?, meeting: lift::from_row(self.conn, r)?, referrals: r.get(14)? })
        })?)
    }

    /// The referrals discussed at a meeting.
    pub fn discussed(&self, meeting_id: i64) -> Result<Vec<DiscussedReferral>> {
        let sql = format!(
            "{} WHERE r.lift_meeting_id = ?1 ORDER BY r.id",
            with_columns(referrals::SELECT, "c.first_name, c.last_name, s.name")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([meeting_id], |r| {
            Ok(DiscussedReferral {
                referral: referrals::from_row(r)?,
                child_name: (r.get(10)?, r.get(11)?),
                setting_name: r.get(12)?,
            })
        })?)
    }

    /// Setting names by key, for lists that refer to settings.
    pub fn setting_names(&self, keys: &[String]) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT name FROM settings WHERE key = ?1")?;
        keys.iter()
            .map(|k| Ok(stmt.query_row([k], |r| r.get(0)).optional()?.unwrap_or_else(|| k.clone())))
            .collect()
    }

    pub fn clinics(&self) -> Result<Vec<Clinic>> {
        let sql = format!("{} ORDER BY c.date DESC, c.id DESC", activities::SELECT_CLINIC);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([], |r| activities::clinic_from_row(self.conn, r))?)
    }

    pub fn trainings(&self) -> Result<Vec<Training>> {
        let sql = format!("{} ORDER BY t.date DESC, t.id DESC", activities::SELECT_TRAINING);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([], |r| activities::training_from_row(self.conn, r))?)
    }

    /// Transition support, newest first, with the setting's name.
    pub fn transitions(&self) -> Result<Vec<Named<Transition>>> {
        let sql = format!(
            "{} ORDER BY t.date DESC, t.id DESC",
            with_columns(activities::SELECT_TRANSITION, "s.name")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(
            stmt.query_map([], |r| {
                Ok(Named { record: activities::transition_from_row(r)?, name: r.get(5)? })
            })?,
        )
    }

    /// The register of settings, by name.
    pub fn settings(&self) -> Result<Vec<Setting>> {
        let sql = format!("{} ORDER BY s.name, s.id", settings::SELECT);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([], settings::from_row)?)
    }

    /// Staff posts, by name.
    pub fn staff(&self) -> Result<Vec<Staff>> {
        let sql = format!("{} ORDER BY s.vacant, s.name, s.id", staff::SELECT);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([], staff::from_row)?)
    }

    /// Each teacher in post today with their open and active cases by area.
    pub fn teacher_loads(&self, today: Date) -> Result<Vec<TeacherLoad>> {
        let t = today.to_string();
        let sql = format!(
            "{} WHERE s.role IN ('lead', 'specialist_teacher', 'early_years_specialist') AND s.vacant = 0
               AND s.start_date <= ?1 AND (s.end_date IS NULL OR s.end_date >= ?1)
             ORDER BY s.name",
            staff::SELECT
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let people = collect(stmt.query_map([&t], |r| Ok((staff::from_row(r)?, r.get::<_, i64>(8)?)))?)?;
        let mut load = self.conn.prepare_cached(
            "SELECT k.area, count(*),
                    sum(EXISTS (SELECT 1 FROM targets g WHERE g.case_id = k.id AND g.set_on <= :t
                                AND (g.ended IS NULL OR g.ended >= :t)))
             FROM allocations a JOIN cases k ON k.id = a.case_id
             WHERE a.staff_id = :staff AND a.start_date <= :t AND (a.end_date IS NULL OR a.end_date >= :t)
               AND k.opened <= :t AND (k.closed IS NULL OR k.closed >= :t)
             GROUP BY k.area",
        )?;
        people
            .into_iter()
            .map(|(staff, id)| {
                let by_area = collect(load.query_map(named_params! { ":t": t, ":staff": id }, |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?)?;
                Ok(TeacherLoad { staff, id, by_area })
            })
            .collect()
    }

    /// Open cases with targets whose last review (or, with none, whose opening) is more than
    /// `weeks` weeks before `today`.
    pub fn reviews_overdue(&self, today: Date, weeks: u32) -> Result<i64> {
        let cutoff = today.minus_days(u64::from(weeks) * 7).to_string();
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM cases k
             WHERE k.opened <= ?1 AND (k.closed IS NULL OR k.closed >= ?1)
               AND EXISTS (SELECT 1 FROM targets g WHERE g.case_id = k.id AND g.set_on <= ?1
                           AND (g.ended IS NULL OR g.ended >= ?1))
               AND coalesce((SELECT max(v.date) FROM reviews v WHERE v.case_id = k.id), k.opened) < ?2",
            )?
            .query_row(params![today.to_string(), cutoff], |r| r.get(0))?)
    }

    /// For the dashboard's charts: children on the caseload and actively supported, by phase
    /// group, and referrals received by area, in a period.
    pub fn term_overview(&self, start: Date, end: Date) -> Result<TermOverview> {
        let (s, e) = (start.to_string(), end.to_string());
        let mut o = TermOverview::default();
        self.conn.prepare_cached(
            "SELECT coalesce(sum(ey), 0), coalesce(sum(school), 0), coalesce(sum(active_ey), 0),
                    coalesce(sum(active_school), 0)
             FROM (SELECT max(k.phase = 'early_years') AS ey, max(k.phase <> 'early_years') AS school,
                          max(k.phase = 'early_years' AND k.active) AS active_ey,
                          max(k.phase <> 'early_years' AND k.active) AS active_school
                   FROM (SELECT c.child_id, c.phase,
                                EXISTS (SELECT 1 FROM allocations a WHERE a.case_id = c.id AND a.start_date <= :e
                                        AND (a.end_date IS NULL OR a.end_date >= :s))
                                AND EXISTS (SELECT 1 FROM targets t WHERE t.case_id = c.id AND t.set_on <= :e
                                        AND (t.ended IS NULL OR t.ended >= :s)) AS active
                         FROM cases c WHERE c.opened <= :e AND (c.closed IS NULL OR c.closed >= :s)) k
                   GROUP BY k.child_id)",
        )?
        .query_row(named_params! { ":s": s, ":e": e }, |r| {
            o.caseload = [r.get(0)?, r.get(1)?];
            o.active = [r.get(2)?, r.get(3)?];
            Ok(())
        })?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT area, phase = 'early_years', count(*) FROM referrals WHERE received BETWEEN :s AND :e
             GROUP BY area, phase = 'early_years'",
        )?;
        let mut rows = stmt.query(named_params! { ":s": s, ":e": e })?;
        while let Some(r) = rows.next()? {
            let area: Area = r.get(0)?;
            let early: bool = r.get(1)?;
            let n: i64 = r.get(2)?;
            o.referrals_by_area[area as usize] += n;
            o.referrals[usize::from(!early)] += n;
        }
        Ok(o)
    }
}

/// Children on the caseload and active ([early years, school]); referrals by area (in
/// `Area::ALL` order) and by phase group ([early years, school]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermOverview {
    pub caseload: [i64; 2],
    pub active: [i64; 2],
    pub referrals_by_area: [i64; 4],
    pub referrals: [i64; 2],
}

/// A record type's SELECT with more columns after its own (so its row reader still applies).
fn with_columns(select: &str, extra: &str) -> String {
    match select.find("FROM ") {
        Some(i) => format!("{}, {extra} {}", select[..i].trim_end(), &select[i..]),
        None => select.to_string(),
    }
}

/// A child as offered in a form: enough to tell children apart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildChoice {
    pub key: String,
    pub first_name: String,
    pub last_name: String,
    pub dob: Date,
    pub setting: Option<String>,
    pub setting_name: Option<String>,
}

impl Reader<'_> {
    /// Every child, by surname, for choosing in a form.
    pub fn child_choices(&self) -> Result<Vec<ChildChoice>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.key, c.first_name, c.last_name, c.dob, s.key, s.name FROM children c
             LEFT JOIN settings s ON s.id = c.setting_id ORDER BY c.last_name, c.first_name, c.id",
        )?;
        collect(stmt.query_map([], |r| {
            Ok(ChildChoice {
                key: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                dob: r.get(3)?,
                setting: r.get(4)?,
                setting_name: r.get(5)?,
            })
        })?)
    }

    /// A key for a new record: the prefix and the next free number (`R00042`).
    pub fn next_key(&self, kind: RecordKind, prefix: &str) -> Result<String> {
        let mut n = self.max_id(kind)? + 1;
        loop {
            let key = format!("{prefix}{n:05}");
            if self.id_of(kind, &key)?.is_none() {
                return Ok(key);
            }
            n += 1;
        }
    }

    /// The key of a case by row id.
    pub fn case_key(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT key FROM cases WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }
}
