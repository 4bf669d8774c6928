//! The team's work around the cases: LIFT meetings, clinics, training and transition support.

use super::children::ChildPlan;
use super::names::*;
use super::register::Register;
use super::{Window, date_between, weighted};
use crate::domain::*;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) struct Meeting {
    key: String,
    date: Date,
    kind: PhaseGroup,
}

/// The LIFT meetings of the window, by kind in date order.
pub(crate) struct Meetings {
    all: Vec<Meeting>,
    by_kind: BTreeMap<PhaseGroup, Vec<usize>>,
}

impl Meetings {
    pub fn date(&self, i: usize) -> Date {
        self.all[i].date
    }

    pub fn key(&self, i: usize) -> String {
        self.all[i].key.clone()
    }

    /// The first meeting of a kind dated from `from` to `until` (and not after today).
    pub fn next_after(&self, kind: PhaseGroup, from: Date, until: Date, today: Date) -> Option<usize> {
        let list = self.by_kind.get(&kind)?;
        let at = list.partition_point(|i| self.all[*i].date < from);
        list.get(at).copied().filter(|i| self.all[*i].date <= until.min(today))
    }
}

/// A weekday on or after a date.
fn weekday(d: Date) -> Date {
    use chrono::Datelike;
    match d.naive().weekday().num_days_from_monday() {
        5 => d.plus_days(2),
        6 => d.plus_days(1),
        _ => d,
    }
}

/// The terms of the window: (year, term, period), all of them (some may lie after today).
fn terms(w: &Window) -> Vec<(AcademicYear, Term, Period)> {
    w.years.iter().flat_map(|y| Term::ALL.iter().map(move |t| (y.year, *t, y.period(*t)))).collect()
}

/// About six school and four early years LIFT meetings a term (more in a very large district,
/// so each still discusses a manageable number of children).
pub(crate) fn meetings(rng: &mut fastrand::Rng, w: &Window, children: u32) -> Meetings {
    let per_term = f64::from(children) * 1.1 / (w.years.len() * 6) as f64;
    let school = ((per_term * 0.73 / 16.0).ceil() as usize).max(6);
    let early = ((per_term * 0.27 / 16.0).ceil() as usize).max(4);
    let mut all = Vec::new();
    for (year, term, period) in terms(w) {
        for (kind, count, tag) in [(PhaseGroup::School, school, "S"), (PhaseGroup::EarlyYears, early, "E")] {
            let span = period.end.days_since(period.start).max(1) as u64;
            for n in 0..count {
                let slot = period.start.plus_days(span * (2 * n as u64 + 1) / (2 * count as u64));
                let date = weekday(slot.plus_days(rng.u64(0..=2)));
                if date > w.today || date > period.end {
                    continue;
                }
                all.push(Meeting {
                    key: format!("L{}-{term}-{tag}{:02}", year.start_year(), n + 1),
                    date,
                    kind,
                });
            }
        }
    }
    all.sort_by_key(|m| m.date);
    let mut by_kind: BTreeMap<PhaseGroup, Vec<usize>> = BTreeMap::new();
    for (i, m) in all.iter().enumerate() {
        by_kind.entry(m.kind).or_default().push(i);
    }
    Meetings { all, by_kind }
}

/// The settings at each meeting: those whose children were discussed there.
pub(crate) struct Attendance(Vec<BTreeSet<usize>>);

impl Attendance {
    pub fn new(meetings: &Meetings) -> Attendance {
        Attendance(vec![BTreeSet::new(); meetings.all.len()])
    }

    /// Adds the attendance noted by another planner (of other children).
    pub fn merge(&mut self, other: Attendance) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            mine.extend(theirs);
        }
    }

    pub fn note(&mut self, plan: &ChildPlan) {
        for r in &plan.referrals {
            if let Some(m) = r.meeting {
                self.0[m].insert(r.setting);
            }
        }
    }
}

/// The meetings as records: the settings whose children were discussed attend, with a few
/// others, and the professionals who came.
pub(crate) fn meeting_records(
    rng: &mut fastrand::Rng,
    meetings: &Meetings,
    attending: Attendance,
    register: &Register,
) -> Vec<Record> {
    meetings
        .all
        .iter()
        .zip(attending.0)
        .map(|(m, mut settings)| {
            let phase = if m.kind == PhaseGroup::EarlyYears { Phase::EarlyYears } else { Phase::Primary };
            for _ in 0..rng.usize(0..=2) {
                settings.insert(register.pick_setting(rng, phase, m.date));
            }
            use Profession::*;
            let mut professionals = BTreeMap::from([(StlsLead, 1), (SpecialistTeacher, rng.i64(1..=3))]);
            let mut maybe = |p: Profession, chance: u8| {
                if rng.u8(0..10) < chance {
                    professionals.insert(p, 1);
                }
            };
            maybe(EducationalPsychologist, 8);
            maybe(EarlyHelp, 4);
            maybe(SpeechLanguage, if m.kind == PhaseGroup::EarlyYears { 8 } else { 4 });
            maybe(Health, 3);
            maybe(SocialCare, 2);
            if m.kind == PhaseGroup::EarlyYears {
                maybe(SenifPractitioner, 9);
            } else {
                maybe(Camhs, 4);
            }
            Record::LiftMeeting(LiftMeeting {
                key: m.key.clone(),
                date: m.date,
                kind: m.kind,
                focus: focus_of(m.kind, &m.key),
                settings: settings.into_iter().map(|i| register.settings[i].record.key.clone()).collect(),
                professionals,
                status: LiftStatus::Held,
                deadline: None,
            })
        })
        .collect()
}

/// A school meeting's focus: mostly primary, some secondary, a few mixed or not given. Taken
/// from the key rather than the random draws, so the rest of the district stays as it was.
fn focus_of(kind: PhaseGroup, key: &str) -> Option<LiftFocus> {
    let n = key.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 10;
    match (kind, n) {
        (PhaseGroup::EarlyYears, _) => None,
        (_, 0..=5) => Some(LiftFocus::Primary),
        (_, 6..=7) => Some(LiftFocus::Secondary),
        (_, 8) => Some(LiftFocus::Mixed),
        _ => None,
    }
}

/// Clinics, training and transition support, term by term.
pub(crate) fn other_work(
    rng: &mut fastrand::Rng,
    w: &Window,
    register: &Register,
    children: u32,
) -> Vec<Record> {
    let scale = (children as usize / 300).max(3);
    let current = w.years.last().map(|y| y.year);
    let mut out = Vec::new();
    for (year, term, period) in terms(w) {
        let tag = format!("{}-{term}", year.start_year());
        let until_today = period.end.min(w.today);
        if period.start <= w.today {
            for n in 0..scale {
                let date = date_between(rng, period.start, until_today);
                out.push(clinic(rng, register, format!("CL{tag}-{:03}", n + 1), date));
            }
            let weight = [1, 1, 1, 2, 4, 5][usize::from(term.number() - 1)];
            for n in 0..(scale * 2 / 3).max(2) * weight {
                let date = date_between(rng, period.start, until_today);
                let phase =
                    weighted(rng, &[(Phase::Primary, 45), (Phase::Secondary, 25), (Phase::EarlyYears, 30)]);
                out.push(Record::Transition(Transition {
                    key: format!("TN{tag}-{:03}", n + 1),
                    date,
                    setting: register.settings[register.pick_any(rng, phase, date, 1)].record.key.clone(),
                    events: rng.i64(1..=3),
                }));
            }
        }
        // Training is planned for the whole current year: later courses are booked.
        if period.start <= w.today || Some(year) == current {
            out.extend(training(rng, w, register, &tag, &period, scale));
        }
    }
    out
}

fn clinic(rng: &mut fastrand::Rng, register: &Register, key: String, date: Date) -> Record {
    let group = weighted(rng, &[(PhaseGroup::School, 6), (PhaseGroup::EarlyYears, 4)]);
    let phase = if group == PhaseGroup::EarlyYears { Phase::EarlyYears } else { Phase::Primary };
    let settings: BTreeSet<String> = (0..rng.usize(1..=3))
        .map(|_| register.settings[register.pick_setting(rng, phase, date)].record.key.clone())
        .collect();
    let mut cases_discussed = BTreeMap::new();
    for area in Area::ALL {
        let n = rng.i64(0..=3);
        if n > 0 {
            cases_discussed.insert(*area, n);
        }
    }
    let format = weighted(
        rng,
        &[(ClinicFormat::Clinic, 5), (ClinicFormat::Surgery, 3), (ClinicFormat::InSettingReview, 2)],
    );
    Record::Clinic(Clinic {
        key,
        date,
        phase: group,
        format,
        settings: settings.into_iter().collect(),
        cases_discussed,
        cases_to_lift: BTreeMap::new(),
    })
}

fn training(
    rng: &mut fastrand::Rng,
    w: &Window,
    register: &Register,
    tag: &str,
    period: &Period,
    scale: usize,
) -> Vec<Record> {
    let mut out = Vec::new();
    let core = 2 + rng.usize(0..=1) + scale / 10;
    let bespoke = 1 + rng.usize(0..=1) + scale / 10;
    let parental = rng.usize(0..=1);
    let aet = 1 + rng.usize(0..=1) + scale / 20;
    let plan = [
        (TrainingKind::Core, core, false),
        (TrainingKind::Bespoke, bespoke, false),
        (TrainingKind::Parental, parental, false),
        (TrainingKind::Core, aet, true),
    ];
    for (kind, count, is_aet) in plan {
        for _ in 0..count {
            let date = weekday(date_between(rng, period.start, period.end.minus_days(3)));
            let phase = weighted(
                rng,
                &[(Phase::Primary, 50), (Phase::Secondary, 15), (Phase::EarlyYears, 30), (Phase::Post16, 5)],
            );
            let title = if is_aet {
                AET_TITLES[rng.usize(0..AET_TITLES.len())].to_string()
            } else {
                let options: Vec<&str> =
                    TRAINING_TITLES.iter().filter(|(k, _)| *k == kind.code()).map(|(_, t)| *t).collect();
                options[rng.usize(0..options.len())].to_string()
            };
            let status = if date > w.today {
                TrainingStatus::Booked
            } else if rng.u8(0..100) < 8 {
                TrainingStatus::Cancelled
            } else {
                TrainingStatus::Delivered
            };
            let how_many = match kind {
                TrainingKind::Bespoke => 1,
                TrainingKind::Parental => rng.usize(1..=2),
                TrainingKind::Core if is_aet => rng.usize(2..=6),
                TrainingKind::Core => rng.usize(3..=8),
            };
            let settings: BTreeSet<String> = (0..how_many)
                .map(|_| register.settings[register.pick_any(rng, phase, date, 1)].record.key.clone())
                .collect();
            out.push(Record::Training(Training {
                key: format!("TR{tag}-{:03}", out.len() + 1),
                date,
                title,
                kind,
                programme: is_aet.then_some(Programme::Aet),
                phase,
                status,
                settings: settings.into_iter().collect(),
                attendees: (status == TrainingStatus::Delivered).then(|| rng.i64(6..=40)),
            }));
        }
    }
    out
}
