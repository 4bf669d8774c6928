//! The demonstration district's practices (issue 24): link teachers, why open cases are not
//! active and SENIF, review-by dates, clinics' cases brought to LIFT, group work, LIFT meetings
//! planned and cancelled, and the county's monitoring meetings. Drawn from a generator of their
//! own, so the rest of the district stays as it was for the same seed.

use super::register::Register;
use super::{Window, date_between, weighted};
use crate::domain::status::CaseStatus;
use crate::domain::*;
use std::collections::BTreeMap;

/// The practices' own generator for a seed.
pub(crate) fn rng(seed: u64) -> fastrand::Rng {
    fastrand::Rng::with_seed(seed ^ 0x0009_1C7E_5EED_0024)
}

/// Most in-district settings open today have a link teacher: a teacher in post today, early
/// years specialists for early years settings.
pub(crate) fn link_teachers(rng: &mut fastrand::Rng, register: &Register, today: Date) -> Vec<Setting> {
    let teachers = |early: bool| -> Vec<&str> {
        register
            .staff
            .iter()
            .filter(|s| s.in_post_on(today))
            .filter(|s| match early {
                true => s.record.role == Role::EarlyYearsSpecialist,
                false => matches!(s.record.role, Role::SpecialistTeacher | Role::Lead),
            })
            .map(|s| s.record.key.as_str())
            .collect()
    };
    let (early, school) = (teachers(true), teachers(false));
    register
        .settings
        .iter()
        .map(|s| {
            let mut record = s.record.clone();
            let pool = if record.phase == Phase::EarlyYears { &early } else { &school };
            if record.in_district && s.open_on(today) && !pool.is_empty() && rng.u8(0..10) < 8 {
                record.link_teacher = Some(pool[rng.usize(0..pool.len())].to_string());
            }
            record
        })
        .collect()
}

/// A child's records with the practices added: a reason on most cases open and not active
/// today, SENIF on a few early years cases still open, and review-by dates on most targets.
pub(crate) fn child_practices(rng: &mut fastrand::Rng, records: &mut [Record], today: Date) {
    let allocations: Vec<Allocation> = records
        .iter()
        .filter_map(|r| if let Record::Allocation(a) = r { Some(a.clone()) } else { None })
        .collect();
    let targets: Vec<Target> = records
        .iter()
        .filter_map(|r| if let Record::Target(t) = r { Some(t.clone()) } else { None })
        .collect();
    for record in records.iter_mut() {
        match record {
            Record::Case(c) => {
                let of = |k: &str| k == c.key;
                let status = CaseStatus::of_case(
                    c,
                    allocations.iter().filter(|a| of(&a.case)),
                    targets.iter().filter(|t| of(&t.case)),
                    today,
                );
                let early = c.phase == Phase::EarlyYears;
                if early && c.closed.is_none() && rng.u8(0..100) < 8 {
                    c.senif = true;
                }
                if status == CaseStatus::Open && rng.u8(0..100) < 85 {
                    c.open_reason = Some(if c.senif { OpenReason::Senif } else { open_reason(rng, early) });
                }
            }
            Record::Target(t) if rng.u8(0..10) < 7 => {
                t.review_by = Some(t.set.plus_days(7 * rng.u64(8..=12)));
            }
            _ => {}
        }
    }
}

fn open_reason(rng: &mut fastrand::Rng, early: bool) -> OpenReason {
    use OpenReason::*;
    if early {
        weighted(
            rng,
            &[(SpecialistNursery, 30), (EhcpEvidence, 25), (Medical, 15), (Transition, 20), (Other, 10)],
        )
    } else {
        weighted(
            rng,
            &[(EhcpEvidence, 35), (SchoolRequest, 30), (Medical, 15), (Transition, 10), (Other, 10)],
        )
    }
}

/// Of the cases a clinic discussed, those later brought to LIFT: about half of the social,
/// emotional and mental health cases (which "will usually go on to attend LIFT"), a fifth of
/// the others.
pub(crate) fn cases_to_lift(rng: &mut fastrand::Rng, clinic: &mut Clinic) {
    let mut to_lift = BTreeMap::new();
    for (area, n) in &clinic.cases_discussed {
        let chance = if *area == Area::Semh { 50 } else { 20 };
        let k = (0..*n).filter(|_| rng.u8(0..100) < chance).count() as i64;
        if k > 0 {
            to_lift.insert(*area, k);
        }
    }
    clinic.cases_to_lift = to_lift;
}

/// One to three group sessions a week in term time's weeks, mostly at schools.
pub(crate) fn group_work(rng: &mut fastrand::Rng, w: &Window, register: &Register) -> Vec<Record> {
    const NOTES: [&str; 5] = [
        "Zones of regulation with a small group",
        "Attention Autism session",
        "Social communication group",
        "Phonics catch-up group",
        "Whole-staff drop-in on sensory needs",
    ];
    let teachers: Vec<&super::register::DemoStaff> =
        register.staff.iter().filter(|s| s.record.role.is_teacher() && !s.record.vacant).collect();
    let mut out = Vec::new();
    let mut week = w.start;
    while week <= w.today {
        for _ in 0..rng.usize(1..=3) {
            let date = date_between(rng, week, week.plus_days(4).min(w.today));
            let phase = weighted(
                rng,
                &[(Phase::Primary, 55), (Phase::Secondary, 20), (Phase::EarlyYears, 20), (Phase::Post16, 5)],
            );
            let setting = register.pick_setting(rng, phase, date);
            let kind = weighted(
                rng,
                &[
                    (GroupWorkKind::Group, 75),
                    (GroupWorkKind::WholeSetting, 15),
                    (GroupWorkKind::Cluster, 10),
                ],
            );
            let in_post: Vec<&&super::register::DemoStaff> =
                teachers.iter().filter(|t| t.in_post_on(date)).collect();
            let staff = (!in_post.is_empty()).then(|| in_post[rng.usize(0..in_post.len())]);
            out.push(Record::GroupWork(GroupWork {
                key: format!("GW-{:05}", out.len() + 1),
                date,
                setting: register.settings[setting].record.key.clone(),
                staff: staff.map(|s| s.record.key.clone()),
                kind,
                children: (kind != GroupWorkKind::WholeSetting).then(|| rng.i64(3..=12)),
                area: Some(Area::ALL[rng.usize(0..Area::ALL.len())]),
                notes: (rng.u8(0..3) == 0).then(|| NOTES[rng.usize(0..NOTES.len())].to_string()),
            }));
        }
        week = week.plus_days(7);
    }
    out
}

/// Two school LIFT meetings planned ahead (with their referral deadlines) and an early years one
/// cancelled last month.
pub(crate) fn lift_calendar(w: &Window) -> Vec<Record> {
    let meeting = |key: &str, date: Date, kind: PhaseGroup, status: LiftStatus| {
        Record::LiftMeeting(LiftMeeting {
            key: key.into(),
            date,
            kind,
            focus: (kind == PhaseGroup::School).then_some(LiftFocus::Primary),
            settings: Vec::new(),
            professionals: BTreeMap::new(),
            status,
            deadline: (status == LiftStatus::Planned).then(|| date.minus_days(14)),
        })
    };
    vec![
        meeting("L-PLANNED-1", w.today.plus_days(16), PhaseGroup::School, LiftStatus::Planned),
        meeting("L-PLANNED-2", w.today.plus_days(44), PhaseGroup::School, LiftStatus::Planned),
        meeting("L-CANCELLED-1", w.today.minus_days(23), PhaseGroup::EarlyYears, LiftStatus::Cancelled),
    ]
}

/// The county's monitoring meetings: one for each pair of terms once it is over (and the next,
/// ahead, with its questions), each agreeing actions that later meetings follow by key.
pub(crate) fn monitoring(rng: &mut fastrand::Rng, w: &Window) -> Vec<Record> {
    const QUESTIONS: [&str; 6] = [
        "Why did early years referrals fall this period?",
        "How is the group work offer reaching secondary schools?",
        "What explains the gap between the caseload and children actively supported?",
        "Are LIFT deadlines understood by new SENCos?",
        "How many settings still need the AET training?",
        "What support do the district's special schools' outreach teams give?",
    ];
    const ACTIONS: [&str; 6] = [
        "Share the LIFT calendar and deadlines with every SENCo",
        "Review cases open over six months with the lead teachers",
        "Offer AET Making Sense of Autism to the settings not yet trained",
        "Send the county the narrative on transition by the next meeting",
        "Record the reason each open case is not active",
        "Plan a cluster session for the secondary schools",
    ];
    let mut out = Vec::new();
    // The actions still open after the last meeting.
    let mut open: Vec<MonitoringAction> = Vec::new();
    let mut agreed = 0;
    for y in &w.years {
        let (year, next) = (y.year, y.year.start_year() + 1);
        let dates = [
            (MonitoringTerms::T1To2, Date::from_ymd(next, 1, 25)),
            (MonitoringTerms::T3To4, Date::from_ymd(next, 5, 20)),
            (MonitoringTerms::T5To6, Date::from_ymd(next, 10, 15)),
        ];
        for (terms, date) in dates {
            let Some(date) = date else { continue };
            let ahead = date > w.today;
            // The meeting follows the actions left open, each under its key; once held, some
            // are done or dropped, and new ones are agreed.
            let mut followed = open.clone();
            if !ahead {
                for a in &mut followed {
                    a.status = weighted(
                        rng,
                        &[(ActionStatus::Done, 60), (ActionStatus::Dropped, 10), (ActionStatus::Open, 30)],
                    );
                }
                for _ in 0..rng.usize(1..=3) {
                    // An action not already being followed (two with the same words would confuse).
                    let fresh: Vec<&str> = ACTIONS
                        .iter()
                        .copied()
                        .filter(|t| !followed.iter().any(|a| a.text == *t && a.status == ActionStatus::Open))
                        .collect();
                    let Some(text) = fresh.get(rng.usize(0..fresh.len().max(1))) else { break };
                    agreed += 1;
                    followed.push(MonitoringAction {
                        key: format!("MA-{agreed:03}"),
                        text: text.to_string(),
                        owner: Some(if rng.bool() { "District lead" } else { "County officer" }.to_string()),
                        due: Some(date.plus_days(60)),
                        status: ActionStatus::Open,
                    });
                }
            }
            open = followed.iter().filter(|a| a.status == ActionStatus::Open).cloned().collect();
            let mut questions: Vec<String> =
                (0..rng.usize(1..=3)).map(|_| QUESTIONS[rng.usize(0..QUESTIONS.len())].to_string()).collect();
            questions.sort();
            questions.dedup();
            out.push(Record::MonitoringMeeting(MonitoringMeeting {
                key: format!("MM-{year}-{terms}"),
                date,
                year,
                terms,
                questions,
                actions: followed,
            }));
            if ahead {
                return out;
            }
        }
    }
    out
}
