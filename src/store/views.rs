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
    /// Notes and contacts, oldest first, with who made them.
    pub notes: Vec<Named<CaseNote>>,
    /// The child's other cases, newest first.
    pub other_cases: Vec<Case>,
    /// The child's referrals received while this case was open, other than the one that opened
    /// it (a LIFT referral allocated on the open case), oldest first, with the meeting's day and
    /// kind when one discussed it.
    pub later_referrals: Vec<(Referral, Option<(Date, PhaseGroup)>)>,
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

/// A teacher's load on a day: open and active cases by area.
#[derive(Debug, Clone, PartialEq)]
pub struct TeacherLoad {
    pub staff: Staff,
    pub id: i64,
    /// A teacher in post on the day (otherwise listed because they are still some case's teacher).
    pub in_post: bool,
    /// (area, open, active) cases by the case's area.
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
                with_columns(cases::SELECT_ALLOCATION, "s.name AS staff_name")
            ))?
            .query_map([id], |r| {
                Ok(Named { record: cases::allocation_from_row(r)?, name: r.get("staff_name")? })
            })?,
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
                with_columns(cases::SELECT_VISIT, "s.name AS staff_name")
            ))?
            .query_map([id], |r| {
                Ok(Named { record: cases::visit_from_row(r)?, name: r.get("staff_name")? })
            })?,
        )?;
        let notes = collect(
            conn.prepare_cached(&format!(
                "{} WHERE n.case_id = ?1 ORDER BY n.date, n.id",
                with_columns(cases::SELECT_NOTE, "s.name AS staff_name")
            ))?
            .query_map([id], |r| {
                Ok(Named { record: cases::note_from_row(r)?, name: r.get("staff_name")? })
            })?,
        )?;
        let other_cases = collect(
            conn.prepare_cached(&format!(
                "{} WHERE k.child_id = (SELECT child_id FROM cases WHERE id = ?1) AND k.id <> ?1
                 ORDER BY k.opened DESC",
                cases::SELECT_CASE
            ))?
            .query_map([id], cases::case_from_row)?,
        )?;
        let later_referrals = collect(
            conn.prepare_cached(&format!(
                "{} WHERE c.key = ?1 AND r.received >= ?2 AND (?3 IS NULL OR r.received <= ?3)
                   AND r.key IS NOT ?4
                 ORDER BY r.received, r.id",
                with_columns(referrals::SELECT, "m.date AS meeting_date, m.kind AS meeting_kind")
            ))?
            .query_map(params![case.child, case.opened, case.closed, case.referral], |r| {
                let meeting = match (
                    r.get::<_, Option<Date>>("meeting_date")?,
                    r.get::<_, Option<PhaseGroup>>("meeting_kind")?,
                ) {
                    (Some(d), Some(k)) => Some((d, k)),
                    _ => None,
                };
                Ok((referrals::from_row(r)?, meeting))
            })?,
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
            notes,
            other_cases,
            later_referrals,
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
            with_columns(
                lift::SELECT,
                "(SELECT count(*) FROM referrals r WHERE r.lift_meeting_id = m.id) AS referrals"
            )
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([], |r| {
            Ok(MeetingRow {
                id: r.get("id")?,
                meeting: lift::from_row(self.conn, r)?,
                referrals: r.get("referrals")?,
            })
        })?)
    }

    /// The referrals discussed at a meeting.
    pub fn discussed(&self, meeting_id: i64) -> Result<Vec<DiscussedReferral>> {
        let sql = format!(
            "{} WHERE r.lift_meeting_id = ?1 ORDER BY r.id",
            with_columns(
                referrals::SELECT,
                "c.first_name AS first_name, c.last_name AS last_name, s.name AS setting_name"
            )
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([meeting_id], |r| {
            Ok(DiscussedReferral {
                referral: referrals::from_row(r)?,
                child_name: (r.get("first_name")?, r.get("last_name")?),
                setting_name: r.get("setting_name")?,
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
            with_columns(activities::SELECT_TRANSITION, "s.name AS setting_name")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([], |r| {
            Ok(Named { record: activities::transition_from_row(r)?, name: r.get("setting_name")? })
        })?)
    }

    /// Group work, newest first, with the setting's name.
    pub fn group_work(&self) -> Result<Vec<Named<GroupWork>>> {
        let sql = format!(
            "{} ORDER BY g.date DESC, g.id DESC",
            with_columns(activities::SELECT_GROUP_WORK, "s.name AS setting_name")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        collect(stmt.query_map([], |r| {
            Ok(Named { record: activities::group_work_from_row(r)?, name: r.get("setting_name")? })
        })?)
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

    /// The team's load on a day: each teacher in post (and anyone else who is the teacher of an
    /// open case) with their open and active cases by area, and the open cases with no teacher.
    pub fn team_load(&self, day: Date) -> Result<TeamLoad> {
        let d = day.to_string();
        let mut counts: std::collections::BTreeMap<Option<i64>, Vec<(Area, i64, i64)>> = Default::default();
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT teacher, area, count(*), coalesce(sum(",
            active_given_open!(),
            "), 0)
             FROM (SELECT ",
            teacher_on!(":d"),
            " AS teacher, k.area, ",
            targeted_during!(":d", ":d"),
            " AS targeted FROM cases k WHERE ",
            open_on!(":d"),
            ") GROUP BY teacher, area ORDER BY area"
        ))?;
        let mut rows = stmt.query(named_params! { ":d": d })?;
        while let Some(r) = rows.next()? {
            counts.entry(r.get(0)?).or_default().push((r.get(1)?, r.get(2)?, r.get(3)?));
        }
        let sql = format!(
            "{} WHERE (s.role IN {} AND s.vacant = 0
               AND {}) OR s.id IN (SELECT value FROM json_each(:ids))
             ORDER BY s.name, s.id",
            staff::SELECT,
            teacher_roles!(),
            post_in_force!(":d")
        );
        let with_cases: Vec<i64> = counts.keys().flatten().copied().collect();
        let ids = serde_json::to_string(&with_cases).unwrap_or_else(|_| "[]".into());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let people = collect(stmt.query_map(named_params! { ":d": d, ":ids": ids }, |r| {
            Ok((staff::from_row(r)?, r.get::<_, i64>(8)?))
        })?)?;
        let teachers = people
            .into_iter()
            .map(|(staff, id)| {
                let in_post = staff.role.is_teacher()
                    && !staff.vacant
                    && crate::domain::status::in_force_on(staff.start, staff.end, day);
                let by_area = counts.remove(&Some(id)).unwrap_or_default();
                TeacherLoad { staff, id, in_post, by_area }
            })
            .collect();
        let unallocated =
            counts.remove(&None).unwrap_or_default().into_iter().map(|(a, n, _)| (a, n)).collect();
        Ok(TeamLoad { teachers, unallocated })
    }

    /// How many cases are open on a day, active, without a teacher, without targets, overdue for
    /// review (a review-by date passed, or with none set none for `review_weeks` weeks) and open
    /// more than six months: the status words of `domain::status`, counted.
    pub fn day_counts(&self, day: Date, review_weeks: u32) -> Result<DayCounts> {
        use crate::domain::status::{review_cutoff, six_months_before};
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT count(*), coalesce(sum(",
            active_given_open!(),
            "), 0), coalesce(sum(teacher IS NULL), 0),
                    coalesce(sum(NOT targeted), 0),
                    coalesce(sum(targeted AND (review_by_passed = 1
                        OR (review_by_passed IS NULL AND coalesce(last_review, opened) < :cutoff))), 0),
                    coalesce(sum(opened < :six), 0)
             FROM (SELECT k.opened, ",
            teacher_on!(":d"),
            " AS teacher, ",
            targeted_during!(":d", ":d"),
            " AS targeted, ",
            last_review_on!(":d"),
            " AS last_review, ",
            review_by_passed_on!(":d"),
            " AS review_by_passed FROM cases k WHERE ",
            open_on!(":d"),
            ")"
        ))?;
        let params = named_params! {
            ":d": day.to_string(),
            ":cutoff": review_cutoff(day, review_weeks).to_string(),
            ":six": six_months_before(day).to_string(),
        };
        Ok(stmt.query_row(params, |r| {
            Ok(DayCounts {
                day,
                open: r.get(0)?,
                active: r.get(1)?,
                no_teacher: r.get(2)?,
                no_targets: r.get(3)?,
                reviews_overdue: r.get(4)?,
                open_over_six_months: r.get(5)?,
            })
        })?)
    }
}

/// The team's load on a day (see [`Reader::team_load`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeamLoad {
    pub teachers: Vec<TeacherLoad>,
    /// Open cases with no teacher, by area.
    pub unallocated: Vec<(Area, i64)>,
}

/// Cases on a day, by status (see [`Reader::day_counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCounts {
    pub day: Date,
    pub open: i64,
    pub active: i64,
    pub no_teacher: i64,
    pub no_targets: i64,
    pub reviews_overdue: i64,
    pub open_over_six_months: i64,
}

/// A record type's SELECT with more columns after its own (so its row reader still applies).
fn with_columns(select: &str, extra: &str) -> String {
    match select.find("FROM ") {
        Some(i) => format!("{}, {extra} {}", select[..i].trim_end(), &select[i..]),
        None => select.to_string(),
    }
}

fn child_choice(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChildChoice> {
    Ok(ChildChoice {
        key: r.get(0)?,
        first_name: r.get(1)?,
        last_name: r.get(2)?,
        dob: r.get(3)?,
        setting: r.get(4)?,
        setting_name: r.get(5)?,
    })
}

/// A child's case open on a day, as a picker shows it beside the child.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenCaseOf {
    pub child: String,
    pub case: String,
    pub area: Area,
    pub need: Option<Need>,
    /// The case's teacher on the day, by name.
    pub teacher: Option<String>,
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
    /// Another child with the same first and last name (however spelled: `domain::normal`) and date
    /// of birth.
    pub fn same_child(
        &self,
        first: &str,
        last: &str,
        dob: Date,
        except: &str,
    ) -> Result<Option<ChildChoice>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.key, c.first_name, c.last_name, c.dob, s.key, s.name FROM children c
             LEFT JOIN settings s ON s.id = c.setting_id
             WHERE c.dob = ?3 AND c.key <> ?4 AND caseload_name_key(c.first_name) = caseload_name_key(?1)
               AND caseload_name_key(c.last_name) = caseload_name_key(?2) ORDER BY c.id LIMIT 1",
        )?;
        Ok(stmt.query_row(params![first, last, dob, except], child_choice).optional()?)
    }

    /// Other settings with this name (trimmed, any case) and phase.
    pub fn settings_named(&self, name: &str, phase: Phase, except: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key FROM settings WHERE lower(trim(name)) = lower(trim(?1)) AND phase = ?2 AND key <> ?3
             ORDER BY id",
        )?;
        collect(stmt.query_map(params![name, phase, except], |r| r.get(0))?)
    }

    /// The row id of the case opened from a referral, if any.
    pub fn case_of_referral(&self, referral: &str) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT k.id FROM cases k JOIN referrals r ON r.id = k.referral_id WHERE r.key = ?1 LIMIT 1",
        )?;
        Ok(stmt.query_row([referral], |r| r.get(0)).optional()?)
    }

    /// The row id of the child's case open on a day, if any.
    pub fn open_case_of(&self, child: &str, day: Date) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT k.id FROM cases k JOIN children c ON c.id = k.child_id WHERE c.key = :child AND ",
            open_on!(":d"),
            " ORDER BY k.opened DESC LIMIT 1"
        ))?;
        Ok(stmt
            .query_row(named_params! { ":child": child, ":d": day.to_string() }, |r| r.get(0))
            .optional()?)
    }

    /// Every child, by surname, for choosing in a form.
    pub fn child_choices(&self) -> Result<Vec<ChildChoice>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.key, c.first_name, c.last_name, c.dob, s.key, s.name FROM children c
             LEFT JOIN settings s ON s.id = c.setting_id ORDER BY c.last_name, c.first_name, c.id",
        )?;
        collect(stmt.query_map([], child_choice)?)
    }

    /// Every child's case open on the day, with its area, need and teacher (a child has at most
    /// one): what the child picker says beside the name, and where a referral's area comes from.
    pub fn open_cases_of_children(&self, day: Date) -> Result<Vec<OpenCaseOf>> {
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT c.key AS child, k.key AS case_key, k.area AS area, k.need AS need, st.name AS teacher
             FROM (SELECT k.*, ",
            teacher_on!(":d"),
            " AS teacher FROM cases k WHERE ",
            open_on!(":d"),
            ") k JOIN children c ON c.id = k.child_id LEFT JOIN staff st ON st.id = k.teacher
             ORDER BY k.opened, k.id"
        ))?;
        collect(stmt.query_map(named_params! { ":d": day.to_string() }, |r| {
            Ok(OpenCaseOf {
                child: r.get("child")?,
                case: r.get("case_key")?,
                area: r.get("area")?,
                need: r.get("need")?,
                teacher: r.get("teacher")?,
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
