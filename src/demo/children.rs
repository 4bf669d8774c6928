//! Children's journeys through the service: referral, LIFT, perhaps a case with a teacher,
//! targets, reviews and visits, closure; now and then a second referral later on.

use super::activities::Meetings;
use super::names::*;
use super::register::Register;
use super::{Window, date_between, weighted};
use crate::domain::*;

pub(crate) struct ChildPlan {
    first: &'static str,
    last: &'static str,
    dob: Date,
    pub referrals: Vec<ReferralPlan>,
}

pub(crate) struct ReferralPlan {
    received: Date,
    phase: Phase,
    pub setting: usize,
    area: Area,
    need: Option<Need>,
    outcome: Option<ReferralOutcome>,
    pub meeting: Option<usize>,
    case: Option<CasePlan>,
}

struct CasePlan {
    opened: Date,
    /// When allocation and targets end (the case may stay open after, not active).
    active_end: Date,
    closed: Option<(Date, ClosureReason)>,
    teacher: Option<usize>,
    outreach: bool,
}

/// Referrals by phase: about 60% primary, 13% secondary, 27% early years (annual report).
const PHASES: [(Phase, u32); 4] =
    [(Phase::Primary, 60), (Phase::Secondary, 12), (Phase::Post16, 1), (Phase::EarlyYears, 27)];

fn area_for(rng: &mut fastrand::Rng, phase: Phase) -> Area {
    use Area::*;
    match phase {
        // Communication and interaction is the commonest early years need.
        Phase::EarlyYears => weighted(
            rng,
            &[(CommunicationInteraction, 55), (Semh, 15), (CognitionLearning, 15), (SensoryPhysical, 15)],
        ),
        // SEMH is the commonest school need.
        _ => weighted(
            rng,
            &[(Semh, 36), (CommunicationInteraction, 28), (CognitionLearning, 26), (SensoryPhysical, 10)],
        ),
    }
}

fn need_for(rng: &mut fastrand::Rng, area: Area) -> Option<Need> {
    use Need::*;
    let need = match area {
        Area::CommunicationInteraction => {
            weighted(rng, &[(Some(Asd), 48), (Some(Slcn), 40), (Some(Nsa), 4), (None, 8)])
        }
        Area::CognitionLearning => weighted(
            rng,
            &[(Some(Spld), 38), (Some(Mld), 38), (Some(Sld), 8), (Some(Pmld), 3), (Some(Oth), 3), (None, 10)],
        ),
        Area::Semh => weighted(rng, &[(Some(Semh), 84), (Some(Nsa), 6), (None, 10)]),
        Area::SensoryPhysical => weighted(
            rng,
            &[(Some(Hi), 25), (Some(Vi), 18), (Some(Pd), 38), (Some(Msi), 4), (Some(Oth), 7), (None, 8)],
        ),
    };
    need.filter(|n| n.belongs_to(area))
}

/// The phase of a child of this age in days.
fn phase_at_age(days: i64) -> Phase {
    match days / 365 {
        0..=3 => Phase::EarlyYears,
        4 if days % 365 < 180 => Phase::EarlyYears,
        4..=10 => Phase::Primary,
        11..=15 => Phase::Secondary,
        _ => Phase::Post16,
    }
}

fn age_range(phase: Phase) -> (u64, u64) {
    match phase {
        Phase::EarlyYears => (2 * 365, 4 * 365 + 150),
        Phase::Primary => (4 * 365 + 200, 11 * 365 - 10),
        Phase::Secondary => (11 * 365 + 20, 16 * 365 - 10),
        Phase::Post16 => (16 * 365 + 20, 18 * 365),
    }
}

/// Not in August: few referrals arrive in the summer holiday.
fn referral_date(rng: &mut fastrand::Rng, from: Date, to: Date) -> Date {
    let mut d = date_between(rng, from, to);
    for _ in 0..4 {
        if d.month() != 8 {
            break;
        }
        d = date_between(rng, from, to);
    }
    d
}

impl ChildPlan {
    pub fn first_received(&self) -> Option<Date> {
        self.referrals.first().map(|r| r.received)
    }
}

/// Plans one child's referrals and cases (dates only; the records are made from the plan).
pub(crate) fn plan_child(
    rng: &mut fastrand::Rng,
    w: &Window,
    register: &Register,
    meetings: &Meetings,
    left_and_came_back: bool,
) -> ChildPlan {
    let latest = w.today.minus_days(3);
    let mut received = if left_and_came_back {
        date_between(rng, w.start.plus_days(20), w.start.plus_days(60)).min(latest)
    } else {
        referral_date(rng, w.start, latest)
    };
    let phase = weighted(rng, &PHASES);
    let (lo, hi) = age_range(phase);
    let dob = received.minus_days(rng.u64(lo..=hi));
    let mut plan = ChildPlan {
        first: FIRST_NAMES[rng.usize(0..FIRST_NAMES.len())],
        last: LAST_NAMES[rng.usize(0..LAST_NAMES.len())],
        dob,
        referrals: Vec::new(),
    };
    let mut previous_setting: Option<usize> = None;
    while plan.referrals.len() < 3 && received <= latest {
        let phase = phase_at_age(received.days_since(dob));
        let setting: usize = match previous_setting {
            Some(s)
                if register.settings[s].phase() == phase
                    && register.settings[s].open_on(received)
                    && rng.bool() =>
            {
                s
            }
            _ => register.pick_setting(rng, phase, received),
        };
        previous_setting = Some(setting);
        let area = area_for(rng, phase);
        let need = need_for(rng, area);
        let meeting =
            meetings.next_after(phase.group(), received.plus_days(2), received.plus_days(70), w.today);
        let outcome = meeting.map(|_| {
            if left_and_came_back && plan.referrals.is_empty() {
                ReferralOutcome::Allocated
            } else {
                use ReferralOutcome::*;
                weighted(
                    rng,
                    &[(Allocated, 55), (Advice, 25), (Signposted, 10), (Deferred, 6), (Withdrawn, 4)],
                )
            }
        });
        let case = match (outcome, meeting) {
            (Some(ReferralOutcome::Allocated), Some(m)) => plan_case(
                rng,
                w,
                register,
                meetings.date(m),
                phase,
                area,
                left_and_came_back && plan.referrals.is_empty(),
            ),
            _ => None,
        };
        // What happens next: a second referral after the case closes, now and then.
        let next = match &case {
            Some(CasePlan { closed: Some((closed, reason)), .. }) => {
                let chance = match reason {
                    _ if left_and_came_back => 10,
                    ClosureReason::MovedAway => 4,
                    _ => 1,
                };
                (rng.u8(0..10) < chance).then(|| closed.plus_days(rng.u64(90..=400)))
            }
            Some(_) => None,
            None => (rng.u8(0..100) < 6).then(|| received.plus_days(rng.u64(120..=500))),
        };
        plan.referrals.push(ReferralPlan { received, phase, setting, area, need, outcome, meeting, case });
        match next {
            Some(d) => received = d,
            None => break,
        }
    }
    plan
}

fn plan_case(
    rng: &mut fastrand::Rng,
    w: &Window,
    register: &Register,
    meeting_date: Date,
    phase: Phase,
    area: Area,
    moves_away: bool,
) -> Option<CasePlan> {
    let opened = meeting_date.plus_days(rng.u64(1..=10));
    if opened > w.today {
        return None;
    }
    let active_end = opened.plus_days(rng.u64(60..=270));
    // About half the cases stay open for a while after active work ends (funding, transition).
    let closed_on = if rng.u8(0..100) < 45 { active_end } else { active_end.plus_days(rng.u64(90..=500)) };
    let reason = if moves_away {
        ClosureReason::MovedAway
    } else {
        use ClosureReason::*;
        weighted(
            rng,
            &[
                (TargetsAchieved, 25),
                (SettingMeetingNeed, 30),
                (Transitioned, 18),
                (MovedAway, 12),
                (SpecialistProvision, 8),
                (Other, 7),
            ],
        )
    };
    Some(CasePlan {
        opened,
        active_end,
        closed: (closed_on <= w.today).then_some((closed_on, reason)),
        teacher: register.teacher_for(rng, phase, area, opened),
        outreach: rng.u8(0..100) < 5,
    })
}

/// Gives a child a surname no other child of the same first name and date of birth has (`taken`
/// holds a hash of each (first name, surname, date of birth) given so far).
pub(crate) fn make_unique(child: &mut Child, taken: &mut rustc_hash::FxHashSet<u64>) {
    use std::hash::{Hash, Hasher};
    let surname = child.last_name.clone();
    for attempt in 0.. {
        let mut h = rustc_hash::FxHasher::default();
        (child.first_name.to_lowercase(), child.last_name.to_lowercase(), child.dob).hash(&mut h);
        if taken.insert(h.finish()) {
            return;
        }
        child.last_name = format!("{surname}-{}", LAST_NAMES[attempt % LAST_NAMES.len()]);
    }
}

/// The records of one child, in an order the store accepts (each refers only to earlier ones).
pub(crate) fn records(
    rng: &mut fastrand::Rng,
    w: &Window,
    register: &Register,
    meetings: &Meetings,
    index: usize,
    plan: &ChildPlan,
) -> Vec<Record> {
    let child_key = format!("C{:06}", index + 1);
    let setting_key = |i: usize| register.settings[i].record.key.clone();
    let mut out = Vec::with_capacity(16);
    let school_age = plan.referrals.iter().any(|r| r.phase != Phase::EarlyYears);
    out.push(Record::Child(Child {
        key: child_key.clone(),
        first_name: plan.first.to_string(),
        last_name: plan.last.to_string(),
        dob: plan.dob,
        upn: (school_age && rng.u8(0..10) < 7)
            .then(|| format!("A{:012}", rng.u64(100_000_000_000..999_999_999_999))),
        setting: plan.referrals.last().map(|r| setting_key(r.setting)),
    }));
    for (j, r) in plan.referrals.iter().enumerate() {
        let suffix = format!("{:06}-{}", index + 1, j + 1);
        let referral_key = format!("R{suffix}");
        out.push(Record::Referral(Referral {
            key: referral_key.clone(),
            child: child_key.clone(),
            setting: setting_key(r.setting),
            received: r.received,
            phase: r.phase,
            area: r.area,
            need: r.need,
            lift_meeting: r.meeting.map(|m| meetings.key(m)),
            outcome: r.outcome,
        }));
        if let Some(c) = &r.case {
            case_records(rng, w, register, &mut out, &suffix, &child_key, &referral_key, r, c);
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn case_records(
    rng: &mut fastrand::Rng,
    w: &Window,
    register: &Register,
    out: &mut Vec<Record>,
    suffix: &str,
    child_key: &str,
    referral_key: &str,
    r: &ReferralPlan,
    c: &CasePlan,
) {
    let case_key = format!("K{suffix}");
    let closed = c.closed.map(|(d, _)| d);
    out.push(Record::Case(Case {
        key: case_key.clone(),
        child: child_key.to_string(),
        setting: register.settings[r.setting].record.key.clone(),
        phase: r.phase,
        area: r.area,
        need: r.need,
        opened: c.opened,
        closed,
        closure_reason: c.closed.map(|(_, reason)| reason),
        referral: Some(referral_key.to_string()),
        outreach: c.outreach,
        open_reason: None,
        senif: false,
    }));
    // Work stops at the end of active support, the closure, or today, whichever is first.
    let limit = [Some(c.active_end), closed, Some(w.today)].into_iter().flatten().min().unwrap_or(w.today);
    // An end date when active work ended before today and before the case closed; with a case
    // closed at the end of active work, the end date is left out half the time (it ends with the case).
    let work_end = if c.active_end > w.today {
        None
    } else if closed == Some(c.active_end) {
        rng.bool().then_some(c.active_end)
    } else {
        Some(c.active_end)
    };
    let Some(teacher) = c.teacher else { return };
    let staff_key = register.staff[teacher].record.key.clone();
    out.push(Record::Allocation(Allocation {
        key: format!("A{suffix}"),
        case: case_key.clone(),
        staff: staff_key.clone(),
        start: c.opened,
        end: work_end,
    }));
    let set = c.opened.plus_days(rng.u64(3..=20));
    if set <= limit {
        for m in 0..rng.usize(1..=3) {
            out.push(Record::Target(Target {
                key: format!("G{suffix}-{}", m + 1),
                case: case_key.clone(),
                text: TARGETS[rng.usize(0..TARGETS.len())].to_string(),
                set,
                ended: work_end,
                review_by: None,
            }));
        }
        let mut review = set.plus_days(rng.u64(42..=70));
        let mut n = 0;
        while review <= limit {
            n += 1;
            use ReviewOutcome::*;
            out.push(Record::Review(Review {
                key: format!("V{suffix}-{n}"),
                case: case_key.clone(),
                date: review,
                outcome: weighted(rng, &[(Amended, 45), (Unchanged, 35), (Achieved, 20)]),
                notes: None,
                target: None,
            }));
            // Now and then a review is late: the dashboard has overdue ones to show, as a real one would.
            review = review.plus_days(rng.u64(42..=105));
        }
        if let Some((day, ClosureReason::TargetsAchieved)) = c.closed {
            // The closing review, on the day the case closes.
            out.push(Record::Review(Review {
                key: format!("V{suffix}-{}", n + 1),
                case: case_key.clone(),
                date: day,
                outcome: ReviewOutcome::Achieved,
                notes: Some("Targets achieved; case closed".into()),
                target: None,
            }));
        }
    }
    let mut visit = c.opened.plus_days(rng.u64(5..=15));
    let mut n = 0;
    while visit <= limit {
        n += 1;
        out.push(Record::Visit(Visit {
            key: format!("X{suffix}-{n}"),
            case: case_key.clone(),
            date: visit,
            staff: Some(staff_key.clone()),
            purpose: None,
            notes: None,
        }));
        visit = visit.plus_days(rng.u64(21..=45));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_child_of_the_same_name_and_birthday_gets_another_surname() {
        let child = |first: &str, last: &str| Child {
            key: "C".into(),
            first_name: first.into(),
            last_name: last.into(),
            dob: Date::parse_iso("2017-03-04").unwrap(),
            upn: None,
            setting: None,
        };
        let mut taken = rustc_hash::FxHashSet::default();
        let mut names = Vec::new();
        for _ in 0..3 {
            let mut c = child("Amy", "Smith");
            make_unique(&mut c, &mut taken);
            names.push(c.last_name);
        }
        assert_eq!(names[0], "Smith");
        assert!(
            names[1].starts_with("Smith-") && names[2].starts_with("Smith-") && names[1] != names[2],
            "{names:?}"
        );
        let mut other = child("Ben", "Smith");
        make_unique(&mut other, &mut taken);
        assert_eq!(other.last_name, "Smith", "another first name is another child");
    }
}
