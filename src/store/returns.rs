//! The SQL aggregates behind the termly return (docs/returns.md), one set per period.
//!
//! Each query aggregates over indexed date ranges; nothing loads the records themselves. The
//! `kpi` module turns these counts into the measures of the catalogue.

use super::aggregate::Query;
use super::practices::PracticeCounts;
use super::{Reader, Result};
use crate::domain::*;
use std::collections::BTreeMap;

/// The counts one period's return is made from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodCounts {
    /// In-district settings on the register in P, by phase.
    pub register: BTreeMap<Phase, i64>,
    /// Of those, the ones supported in P.
    pub supported: BTreeMap<Phase, i64>,
    pub supported_out_of_district: i64,
    /// Distinct children with a case of the phase (group) open during P.
    pub caseload_by_group: BTreeMap<PhaseGroup, i64>,
    pub caseload_by_phase: BTreeMap<Phase, i64>,
    /// Distinct children on the caseload in P (any phase).
    pub caseload_children: i64,
    pub active_by_group: BTreeMap<PhaseGroup, i64>,
    /// Cases actively supported, by the case's area.
    pub active_cases_by_area: BTreeMap<Area, i64>,
    pub cases_opened: i64,
    pub cases_closed: i64,
    pub cases_closed_targets_achieved: i64,
    pub cases_open_over_six_months: i64,
    pub outreach_cases: i64,
    pub lift_meetings: BTreeMap<PhaseGroup, i64>,
    /// School LIFT meetings by focus (none given counts as mixed).
    pub lift_meetings_by_focus: BTreeMap<LiftFocus, i64>,
    pub lift_professionals: BTreeMap<Profession, i64>,
    pub lift_professionals_by_group: BTreeMap<(PhaseGroup, Profession), i64>,
    pub lift_settings_attending: BTreeMap<Phase, i64>,
    pub lift_children_discussed: BTreeMap<PhaseGroup, i64>,
    /// Referrals received in P by (phase, area, need, outcome).
    pub referrals: BTreeMap<(Phase, Area, Option<Need>, Option<ReferralOutcome>), i64>,
    /// Referrals received in P linked to a LIFT meeting, by the referral's phase.
    pub lift_referrals: BTreeMap<Phase, i64>,
    pub clinics: BTreeMap<PhaseGroup, i64>,
    pub clinics_by_format: BTreeMap<(PhaseGroup, ClinicFormat), i64>,
    /// Distinct settings (any district) recorded at a clinic held in P, by the setting's phase.
    pub clinic_settings: BTreeMap<Phase, i64>,
    pub clinic_cases_discussed: BTreeMap<PhaseGroup, i64>,
    /// Distinct settings supported with transition in P, and events, by the setting's phase.
    pub transition_settings: BTreeMap<Phase, i64>,
    pub transition_events: BTreeMap<Phase, i64>,
    pub training_courses: BTreeMap<TrainingKind, i64>,
    /// Delivered courses in P by kind and the course's phase group.
    pub training_courses_by_group: BTreeMap<(TrainingKind, PhaseGroup), i64>,
    /// Courses dated in P with status `cancelled`.
    pub training_cancelled: i64,
    /// Distinct settings (any district) in delivered training in P, by the setting's phase.
    pub training_settings: BTreeMap<Phase, i64>,
    /// The same, for delivered core training.
    pub training_settings_core: BTreeMap<Phase, i64>,
    /// Delivered AET sessions from the year's start to P's end, by course phase.
    pub aet_completed: BTreeMap<Phase, i64>,
    /// AET sessions delivered or booked in P's academic year, by course phase.
    pub aet_booked: BTreeMap<Phase, i64>,
    /// Settings on the register with a delivered AET session on or before P's end, by phase.
    pub aet_trained_settings: BTreeMap<Phase, i64>,
    pub visits: BTreeMap<Area, i64>,
    /// Distinct children on the caseload in P with a review dated in P.
    pub children_reviewed: i64,
    /// School-phase cases with a review in P; of those, with an `amended` review in P.
    pub school_cases_reviewed: i64,
    pub school_cases_amended: i64,
    /// FTE of posts in force on P's end date: filled, filled teachers by area, vacant.
    pub fte_filled: f64,
    pub fte_teachers: BTreeMap<Area, f64>,
    /// FTE of filled teacher posts (lead, specialist teacher, early years specialist), any area.
    pub fte_teachers_total: f64,
    pub fte_vacant: f64,
    /// Delivered courses in P by kind and the course's phase.
    pub training_courses_by_phase: BTreeMap<(TrainingKind, Phase), i64>,
    /// The seed's practices (`store::practices`).
    pub practices: PracticeCounts,
}

/// Where a period sits: its days, and the academic year it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct PeriodDates {
    pub start: Date,
    pub end: Date,
    pub year_start: Date,
    pub year_end: Date,
}

impl PeriodDates {
    /// A period of an academic year (which keeps its whole span: booked AET sessions count
    /// anywhere in the year, even while the period is in progress).
    pub fn of(period: &Period, year: AcademicYear) -> PeriodDates {
        let whole = Period::year(year);
        PeriodDates { start: period.start, end: period.end, year_start: whole.start, year_end: whole.end }
    }
}

impl Reader<'_> {
    /// Every aggregate of the return for one period, where the records are (the file, or the
    /// server when the store reads its figures there).
    pub fn period_counts(&self, p: PeriodDates) -> Result<PeriodCounts> {
        period_counts(&self.records(), p)
    }
}

/// Every aggregate of the return for one period, by the queries `q` runs.
pub(super) fn period_counts(q: &Query<'_>, p: PeriodDates) -> Result<PeriodCounts> {
    let mut c = PeriodCounts::default();
    let (s, e) = (p.start.to_string(), p.end.to_string());
    let (s, e) = (s.as_str(), e.as_str());
    let dates: &[(&str, &str)] = &[(":s", s), (":e", e)];

    q.counted(
        concat!("SELECT s.phase, count(*) FROM settings s WHERE ", on_register!(":s"), " GROUP BY s.phase"),
        &[(":s", s)],
        &mut c.register,
    )?;

    q.grouped(
        concat!(
            "WITH supported (setting_id) AS (
             SELECT setting_id FROM referrals WHERE received BETWEEN :s AND :e
             UNION SELECT ms.setting_id FROM lift_meeting_settings ms
                 JOIN lift_meetings m ON m.id = ms.meeting_id WHERE m.status = 'held' AND m.date BETWEEN :s AND :e
             UNION SELECT cs.setting_id FROM clinic_settings cs
                 JOIN clinics c ON c.id = cs.clinic_id WHERE c.date BETWEEN :s AND :e
             UNION SELECT ts.setting_id FROM training_settings ts JOIN trainings t ON t.id = ts.training_id
                 WHERE t.status = 'delivered' AND t.date BETWEEN :s AND :e
             UNION SELECT setting_id FROM transitions WHERE date BETWEEN :s AND :e
             UNION SELECT k.setting_id FROM cases k WHERE ",
            open_during!(":s", ":e"),
            ")
         SELECT s.phase, s.in_district, count(*) FROM settings s JOIN supported ON supported.setting_id = s.id
         WHERE s.in_district = 0 OR ",
            on_register!(":s"),
            " GROUP BY s.phase, s.in_district"
        ),
        dates,
        |r| {
            let n: i64 = r.get(2)?;
            if r.get::<bool>(1)? {
                *c.supported.entry(r.get(0)?).or_default() += n;
            } else {
                c.supported_out_of_district += n;
            }
            Ok(())
        },
    )?;

    // Children on the caseload: one row per child first (which phases their open cases are
    // in), then summed; cheaper than several DISTINCT counts over the cases.
    q.one(
        concat!(
            "SELECT coalesce(sum(ey), 0), coalesce(sum(school), 0), coalesce(sum(primary_), 0),
                coalesce(sum(secondary), 0), coalesce(sum(post16), 0), count(*), coalesce(sum(outreach), 0)
         FROM (SELECT max(",
            flag!("k.phase = 'early_years'"),
            ") AS ey, max(",
            flag!("k.phase <> 'early_years'"),
            ") AS school,
                      max(",
            flag!("k.phase = 'primary'"),
            ") AS primary_, max(",
            flag!("k.phase = 'secondary'"),
            ") AS secondary,
                      max(",
            flag!("k.phase = 'post16'"),
            ") AS post16, sum(k.outreach) AS outreach
               FROM cases k WHERE ",
            open_during!(":s", ":e"),
            " GROUP BY k.child_id) per_child"
        ),
        dates,
        |r| {
            c.caseload_by_group.insert(PhaseGroup::EarlyYears, r.get(0)?);
            c.caseload_by_group.insert(PhaseGroup::School, r.get(1)?);
            c.caseload_by_phase.insert(Phase::EarlyYears, r.get(0)?);
            c.caseload_by_phase.insert(Phase::Primary, r.get(2)?);
            c.caseload_by_phase.insert(Phase::Secondary, r.get(3)?);
            c.caseload_by_phase.insert(Phase::Post16, r.get(4)?);
            c.caseload_children = r.get(5)?;
            c.outreach_cases = r.get(6)?;
            Ok(())
        },
    )?;

    // Actively supported: the case open, with an allocation and a target in force, in P.
    q.one(
        concat!(
            "SELECT coalesce(sum(ey), 0), coalesce(sum(school), 0), coalesce(sum(ci), 0), coalesce(sum(cl), 0),
                coalesce(sum(semh), 0), coalesce(sum(sp), 0)
         FROM (SELECT max(",
            flag!("k.phase = 'early_years'"),
            ") AS ey, max(",
            flag!("k.phase <> 'early_years'"),
            ") AS school,
                      sum(",
            flag!("k.area = 'communication_interaction'"),
            ") AS ci, sum(",
            flag!("k.area = 'cognition_learning'"),
            ") AS cl,
                      sum(",
            flag!("k.area = 'semh'"),
            ") AS semh, sum(",
            flag!("k.area = 'sensory_physical'"),
            ") AS sp
               FROM cases k WHERE ",
            active_during!(":s", ":e"),
            " GROUP BY k.child_id) per_child"
        ),
        dates,
        |r| {
        c.active_by_group.insert(PhaseGroup::EarlyYears, r.get(0)?);
        c.active_by_group.insert(PhaseGroup::School, r.get(1)?);
        for (i, area) in Area::ALL.iter().enumerate() {
            c.active_cases_by_area.insert(*area, r.get(2 + i)?);
        }
        Ok(())
    })?;

    let cutoff = crate::domain::status::six_months_before(p.end).to_string();
    q.one(
        concat!(
            "SELECT (SELECT count(*) FROM cases WHERE opened BETWEEN :s AND :e),
                (SELECT count(*) FROM cases WHERE closed BETWEEN :s AND :e),
                (SELECT count(*) FROM cases WHERE closed BETWEEN :s AND :e
                    AND closure_reason = 'targets_achieved'),
                (SELECT count(*) FROM cases k WHERE k.opened < :cutoff AND ",
            open_on!(":e"),
            ")"
        ),
        &[(":s", s), (":e", e), (":cutoff", cutoff.as_str())],
        |r| {
            c.cases_opened = r.get(0)?;
            c.cases_closed = r.get(1)?;
            c.cases_closed_targets_achieved = r.get(2)?;
            c.cases_open_over_six_months = r.get(3)?;
            Ok(())
        },
    )?;

    q.grouped(
        "SELECT kind, count(*), sum(stls_lead), sum(specialist_teacher), sum(educational_psychologist),
                sum(senif_practitioner), sum(early_help), sum(speech_language), sum(camhs), sum(health),
                sum(social_care), sum(other)
         FROM lift_meetings WHERE status = 'held' AND date BETWEEN :s AND :e GROUP BY kind",
        dates,
        |r| {
            let kind: PhaseGroup = r.get(0)?;
            c.lift_meetings.insert(kind, r.get(1)?);
            for (i, profession) in Profession::ALL.iter().enumerate() {
                let n = r.get::<i64>(2 + i)?;
                *c.lift_professionals.entry(*profession).or_default() += n;
                c.lift_professionals_by_group.insert((kind, *profession), n);
            }
            Ok(())
        },
    )?;

    q.counted(
        "SELECT coalesce(focus, 'mixed'), count(*) FROM lift_meetings
         WHERE kind = 'school' AND status = 'held' AND date BETWEEN :s AND :e GROUP BY 1",
        dates,
        &mut c.lift_meetings_by_focus,
    )?;

    q.counted(
        "SELECT phase, count(*) FROM referrals
         WHERE received BETWEEN :s AND :e AND lift_meeting_id IS NOT NULL GROUP BY phase",
        dates,
        &mut c.lift_referrals,
    )?;

    q.counted(
        concat!(
            "SELECT s.phase, count(DISTINCT s.id) FROM lift_meeting_settings ms
             JOIN lift_meetings m ON m.id = ms.meeting_id JOIN settings s ON s.id = ms.setting_id
             WHERE m.status = 'held' AND m.date BETWEEN :s AND :e AND ",
            on_register!(":s"),
            " GROUP BY s.phase"
        ),
        dates,
        &mut c.lift_settings_attending,
    )?;

    q.counted(
        "SELECT m.kind, count(*) FROM referrals r JOIN lift_meetings m ON m.id = r.lift_meeting_id
         WHERE m.status = 'held' AND m.date BETWEEN :s AND :e GROUP BY m.kind",
        dates,
        &mut c.lift_children_discussed,
    )?;

    q.grouped(
        "SELECT phase, area, need, outcome, count(*) FROM referrals WHERE received BETWEEN :s AND :e
         GROUP BY phase, area, need, outcome",
        dates,
        |r| {
            c.referrals.insert((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), r.get(4)?);
            Ok(())
        },
    )?;

    q.grouped(
        "SELECT phase, format, count(*), sum(communication_interaction + cognition_learning + semh + sensory_physical)
         FROM clinics WHERE date BETWEEN :s AND :e GROUP BY phase, format",
        dates,
        |r| {
            let group: PhaseGroup = r.get(0)?;
            let n: i64 = r.get(2)?;
            *c.clinics.entry(group).or_default() += n;
            c.clinics_by_format.insert((group, r.get(1)?), n);
            *c.clinic_cases_discussed.entry(group).or_default() += r.get::<i64>(3)?;
            Ok(())
        },
    )?;

    q.counted(
        "SELECT s.phase, count(DISTINCT s.id) FROM clinic_settings cs
         JOIN clinics k ON k.id = cs.clinic_id JOIN settings s ON s.id = cs.setting_id
         WHERE k.date BETWEEN :s AND :e GROUP BY s.phase",
        dates,
        &mut c.clinic_settings,
    )?;

    q.grouped(
        "SELECT s.phase, count(DISTINCT s.id), sum(t.events) FROM transitions t
         JOIN settings s ON s.id = t.setting_id WHERE t.date BETWEEN :s AND :e GROUP BY s.phase",
        dates,
        |r| {
            c.transition_settings.insert(r.get(0)?, r.get(1)?);
            c.transition_events.insert(r.get(0)?, r.get(2)?);
            Ok(())
        },
    )?;

    q.grouped(
        "SELECT kind, phase, status, count(*) FROM trainings
         WHERE status IN ('delivered', 'cancelled') AND date BETWEEN :s AND :e GROUP BY kind, phase, status",
        dates,
        |r| {
            let n: i64 = r.get(3)?;
            if r.get::<TrainingStatus>(2)? == TrainingStatus::Cancelled {
                c.training_cancelled += n;
                return Ok(());
            }
            let (kind, phase): (TrainingKind, Phase) = (r.get(0)?, r.get(1)?);
            *c.training_courses.entry(kind).or_default() += n;
            *c.training_courses_by_phase.entry((kind, phase)).or_default() += n;
            *c.training_courses_by_group.entry((kind, phase.group())).or_default() += n;
            Ok(())
        },
    )?;

    q.grouped(
        "SELECT s.phase, count(DISTINCT s.id), count(DISTINCT CASE WHEN t.kind = 'core' THEN s.id END)
         FROM training_settings ts
         JOIN trainings t ON t.id = ts.training_id JOIN settings s ON s.id = ts.setting_id
         WHERE t.status = 'delivered' AND t.date BETWEEN :s AND :e GROUP BY s.phase",
        dates,
        |r| {
            c.training_settings.insert(r.get(0)?, r.get(1)?);
            c.training_settings_core.insert(r.get(0)?, r.get(2)?);
            Ok(())
        },
    )?;

    let (ys, ye) = (p.year_start.to_string(), p.year_end.to_string());
    q.grouped(
        concat!(
            "SELECT phase, sum(",
            flag!("status = 'delivered' AND date <= :e"),
            "), count(*) FROM trainings
         WHERE programme = 'aet' AND status IN ('delivered', 'booked') AND date BETWEEN :ys AND :ye
         GROUP BY phase"
        ),
        &[(":e", e), (":ys", ys.as_str()), (":ye", ye.as_str())],
        |r| {
            c.aet_completed.insert(r.get(0)?, r.get(1)?);
            c.aet_booked.insert(r.get(0)?, r.get(2)?);
            Ok(())
        },
    )?;

    q.counted(
        concat!(
            "SELECT s.phase, count(*) FROM settings s WHERE ",
            on_register!(":s"),
            " AND EXISTS (SELECT 1 FROM training_settings ts JOIN trainings t ON t.id = ts.training_id
                       WHERE ts.setting_id = s.id AND t.programme = 'aet' AND t.status = 'delivered'
                         AND t.date <= :e)
             GROUP BY s.phase"
        ),
        dates,
        &mut c.aet_trained_settings,
    )?;

    q.counted(
        "SELECT k.area, sum(v.n) FROM (SELECT case_id, count(*) AS n FROM visits
             WHERE date BETWEEN :s AND :e GROUP BY case_id) v
         JOIN cases k ON k.id = v.case_id GROUP BY k.area",
        dates,
        &mut c.visits,
    )?;

    // A review lies within its case's open period (a rule every write keeps), so a case with
    // a review dated in P is open during P.
    q.one(
        concat!(
            "SELECT count(DISTINCT k.child_id), coalesce(sum(",
            flag!("k.phase <> 'early_years'"),
            "), 0),
                coalesce(sum(",
            flag!("k.phase <> 'early_years' AND v.amended = 1"),
            "), 0)
             FROM (SELECT case_id, max(",
            flag!("outcome = 'amended'"),
            ") AS amended FROM reviews
                   WHERE date BETWEEN :s AND :e GROUP BY case_id) v
             JOIN cases k ON k.id = v.case_id"
        ),
        dates,
        |r| {
            c.children_reviewed = r.get(0)?;
            c.school_cases_reviewed = r.get(1)?;
            c.school_cases_amended = r.get(2)?;
            Ok(())
        },
    )?;

    q.grouped(
        concat!(
            "SELECT s.vacant, s.role, s.area, sum(s.fte) FROM staff s WHERE ",
            post_in_force!(":e"),
            " GROUP BY s.vacant, s.role, s.area"
        ),
        &[(":e", e)],
        |r| {
            let fte: f64 = r.get(3)?;
            if r.get::<bool>(0)? {
                c.fte_vacant += fte;
                return Ok(());
            }
            c.fte_filled += fte;
            let role: Role = r.get(1)?;
            if role.is_teacher() {
                c.fte_teachers_total += fte;
            }
            if let (true, Some(area)) = (role.is_teacher(), r.get::<Option<Area>>(2)?) {
                *c.fte_teachers.entry(area).or_default() += fte;
            }
            Ok(())
        },
    )?;
    c.practices = super::practices::practice_counts(q, p)?;
    Ok(c)
}
