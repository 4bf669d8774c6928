//! The aggregates of the seed's practices (kpis.md, "More measures from the seed's practices"):
//! why open cases are not active, SENIF, link teachers, group work, clinics' cases brought to
//! LIFT, cancelled LIFT meetings and targets overdue for review.

use super::aggregate::Query;
use super::returns::PeriodDates;
use super::{Reader, Result};
use crate::domain::*;
use std::collections::BTreeMap;

/// One period's counts of the practices.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PracticeCounts {
    /// Cases open and not active on P's end date, by phase group and reason (`None`: none given).
    pub open_not_active: BTreeMap<(PhaseGroup, Option<OpenReason>), i64>,
    /// Early years cases open during P with SENIF recorded.
    pub cases_senif: i64,
    /// Settings on the register with a link teacher, by phase.
    pub settings_with_link_teacher: BTreeMap<Phase, i64>,
    /// Group sessions dated in P, and the children they reached, by the setting's phase group.
    pub group_work: BTreeMap<PhaseGroup, i64>,
    pub group_work_children: BTreeMap<PhaseGroup, i64>,
    /// Cases discussed at clinics held in P and later brought to LIFT, by the clinic's phase.
    pub clinic_cases_to_lift: BTreeMap<PhaseGroup, i64>,
    pub lift_meetings_cancelled: i64,
    /// Targets in force on P's end date whose review-by date has passed with no review since.
    pub targets_review_overdue: i64,
}

/// A phase as its group's code, in SQL.
macro_rules! group_of {
    ($phase:literal) => {
        concat!("CASE WHEN ", $phase, " = 'early_years' THEN 'early_years' ELSE 'school' END")
    };
}

impl Reader<'_> {
    /// The county's monitoring meetings, by date.
    pub fn monitoring_meetings(&self) -> Result<Vec<MonitoringMeeting>> {
        let sql = format!("{} ORDER BY m.date, m.id", super::activities::SELECT_MONITORING);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], super::activities::monitoring_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The period's counts of the practices, by the queries `q` runs (`returns::period_counts`).
pub(super) fn practice_counts(q: &Query<'_>, p: PeriodDates) -> Result<PracticeCounts> {
    let mut c = PracticeCounts::default();
    let (s, e) = (p.start.to_string(), p.end.to_string());
    let (s, e) = (s.as_str(), e.as_str());
    let dates: &[(&str, &str)] = &[(":s", s), (":e", e)];
    let end: &[(&str, &str)] = &[(":e", e)];

    // The status words of `domain::status` on the period's last day: open, not active. (A case
    // open on the day has a teacher on it exactly when an allocation is in force on it: asked as
    // that, not as which teacher, so the server need not sort each case's allocations.)
    q.grouped(
        concat!(
            "SELECT ",
            group_of!("k.phase"),
            ", k.open_reason, count(*) FROM cases k WHERE ",
            open_on!(":e"),
            " AND NOT (",
            allocated_during!(":e", ":e"),
            " AND ",
            targeted_during!(":e", ":e"),
            ") GROUP BY 1, 2"
        ),
        end,
        |r| {
            c.open_not_active.insert((r.get(0)?, r.get(1)?), r.get(2)?);
            Ok(())
        },
    )?;

    c.cases_senif = q.count(
        concat!(
            "SELECT count(*) FROM cases k WHERE k.phase = 'early_years' AND k.senif = 1 AND ",
            open_during!(":s", ":e")
        ),
        dates,
    )?;

    q.counted(
        concat!(
            "SELECT s.phase, count(*) FROM settings s WHERE s.link_teacher_id IS NOT NULL AND ",
            on_register!(":s"),
            " GROUP BY s.phase"
        ),
        &[(":s", s)],
        &mut c.settings_with_link_teacher,
    )?;

    q.grouped(
        concat!(
            "SELECT ",
            group_of!("s.phase"),
            ", count(*), coalesce(sum(g.children), 0) FROM group_work g JOIN settings s ON s.id = g.setting_id
             WHERE g.date BETWEEN :s AND :e GROUP BY 1"
        ),
        dates,
        |r| {
            c.group_work.insert(r.get(0)?, r.get(1)?);
            c.group_work_children.insert(r.get(0)?, r.get(2)?);
            Ok(())
        },
    )?;

    q.counted(
        "SELECT phase, sum(to_lift_communication_interaction + to_lift_cognition_learning + to_lift_semh
                           + to_lift_sensory_physical)
         FROM clinics WHERE date BETWEEN :s AND :e GROUP BY phase",
        dates,
        &mut c.clinic_cases_to_lift,
    )?;

    c.lift_meetings_cancelled = q.count(
        "SELECT count(*) FROM lift_meetings WHERE status = 'cancelled' AND date BETWEEN :s AND :e",
        dates,
    )?;

    // A target with no end on a closed case ends with the case (domain.md).
    c.targets_review_overdue = q.count(
        "SELECT count(*) FROM targets t JOIN cases k ON k.id = t.case_id
             WHERE t.set_on <= :e AND coalesce(t.ended, k.closed, :e) >= :e AND t.review_by < :e
               AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.case_id = t.case_id
                               AND (v.target_id IS NULL OR v.target_id = t.id)
                               AND v.date BETWEEN t.review_by AND :e)",
        end,
    )?;
    Ok(c)
}
