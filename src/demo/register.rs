//! The demonstration district's settings and staff.

use super::names::*;
use super::{Window, date_between};
use crate::domain::{Area, Date, Phase, Role, Setting, Staff};
use std::collections::HashSet;

pub(crate) struct DemoSetting {
    pub record: Setting,
}

impl DemoSetting {
    pub fn phase(&self) -> Phase {
        self.record.phase
    }

    /// Whether a child could be referred from here on `date`.
    pub fn open_on(&self, date: Date) -> bool {
        self.record.closed.is_none_or(|c| date <= c)
    }
}

pub(crate) struct DemoStaff {
    pub record: Staff,
}

impl DemoStaff {
    pub fn in_post_on(&self, date: Date) -> bool {
        let r = &self.record;
        !r.vacant && r.start <= date && r.end.is_none_or(|e| date <= e)
    }
}

pub(crate) struct Register {
    pub settings: Vec<DemoSetting>,
    pub staff: Vec<DemoStaff>,
    /// In-district settings by phase (indices into `settings`), in `Phase::ALL` order.
    by_phase: [Vec<usize>; 4],
    /// Out-of-district settings (indices into `settings`).
    outside: Vec<usize>,
}

impl Register {
    fn new(settings: Vec<DemoSetting>, staff: Vec<DemoStaff>) -> Register {
        let mut by_phase: [Vec<usize>; 4] = Default::default();
        for (i, s) in settings.iter().enumerate().filter(|(_, s)| s.record.in_district) {
            by_phase[s.phase() as usize].push(i);
        }
        let outside = (0..settings.len()).filter(|i| !settings[*i].record.in_district).collect();
        Register { settings, staff, by_phase, outside }
    }

    /// A random in-district setting of a phase that is open on a date.
    pub fn pick_setting(&self, rng: &mut fastrand::Rng, phase: Phase, date: Date) -> usize {
        let pool = &self.by_phase[phase as usize];
        let mut pick = pool[rng.usize(0..pool.len())];
        for _ in 0..20 {
            if self.settings[pick].open_on(date) {
                break;
            }
            pick = pool[rng.usize(0..pool.len())];
        }
        pick
    }

    /// A random setting, out of district one time in `out_of_ten` tenths.
    pub fn pick_any(&self, rng: &mut fastrand::Rng, phase: Phase, date: Date, out_of_ten: u8) -> usize {
        if rng.u8(0..10) < out_of_ten && !self.outside.is_empty() {
            return self.outside[rng.usize(0..self.outside.len())];
        }
        self.pick_setting(rng, phase, date)
    }

    /// Teachers in post on a date who can take a case of this phase, preferring the area.
    pub fn teacher_for(
        &self,
        rng: &mut fastrand::Rng,
        phase: Phase,
        area: Area,
        date: Date,
    ) -> Option<usize> {
        let role_fits = |s: &DemoStaff| match phase {
            Phase::EarlyYears => s.record.role == Role::EarlyYearsSpecialist,
            _ => s.record.role == Role::SpecialistTeacher || s.record.role == Role::Lead,
        };
        let candidates: Vec<usize> = (0..self.staff.len())
            .filter(|i| role_fits(&self.staff[*i]) && self.staff[*i].in_post_on(date))
            .collect();
        let same_area: Vec<usize> =
            candidates.iter().copied().filter(|i| self.staff[*i].record.area == Some(area)).collect();
        let pool = if !same_area.is_empty() && rng.u8(0..10) < 8 { same_area } else { candidates };
        (!pool.is_empty()).then(|| pool[rng.usize(0..pool.len())])
    }
}

/// The n-th place name; beyond the list, the same places with a quarter ("Kingsnorth Vale").
fn place(n: usize) -> String {
    const QUARTERS: [&str; 8] = ["North", "South", "East", "West", "Park", "Green", "Vale", "Hill"];
    let base = PLACES[n % PLACES.len()];
    match n / PLACES.len() {
        0 => base.to_string(),
        k => format!("{base} {}", QUARTERS[(k - 1) % QUARTERS.len()]),
    }
}

/// A setting's name no other setting of the district has: beyond a few hundred settings (far
/// larger districts than real ones, for benchmarks) the places repeat, and a street tells them
/// apart ("Kingsnorth Vale Lane Day Nursery").
fn distinct_name(used: &mut HashSet<String>, place: &str, kind: &str) -> String {
    const STREETS: [&str; 8] = ["Road", "Lane", "Cross", "Street", "Common", "End", "Heath", "Fields"];
    std::iter::once(format!("{place} {kind}"))
        .chain(STREETS.iter().map(|street| format!("{place} {street} {kind}")))
        .chain((2..).map(|n| format!("{place} {kind} {n}")))
        .find(|name| used.insert(name.clone()))
        .unwrap_or_default()
}

pub(crate) fn generate(rng: &mut fastrand::Rng, window: &Window, children: u32) -> Register {
    let n = children as usize;
    let counts = [
        (Phase::Primary, (n / 17).max(12), PRIMARY_KINDS),
        (Phase::Secondary, (n / 100).max(3), SECONDARY_KINDS),
        (Phase::Post16, (n / 600).max(1), POST16_KINDS),
        (Phase::EarlyYears, (n / 27).max(8), EARLY_YEARS_KINDS),
    ];
    let mut settings = Vec::new();
    let mut used = HashSet::new();
    let mut urn = 118_000 + rng.u32(0..1000);
    for (phase, count, kinds) in counts {
        for i in 0..count {
            let name = distinct_name(&mut used, &place(settings.len() + i * 7), kinds[i % kinds.len()]);
            // Private and voluntary early years settings are not in the schools register: no URN.
            let urn_of = (phase != Phase::EarlyYears || i % 3 == 0).then(|| {
                urn += 1 + rng.u32(0..40);
                urn.to_string()
            });
            settings.push(DemoSetting {
                record: Setting {
                    key: format!("S{:04}", settings.len() + 1),
                    name,
                    phase,
                    in_district: true,
                    urn: urn_of,
                    closed: None,
                    link_teacher: None,
                },
            });
        }
    }
    // One primary closed partway through (an amalgamation): off the register from then on.
    let closed_on = window.start.plus_days(window.days() / 2).min(window.today);
    if let Some(s) = settings.iter_mut().find(|s| s.record.phase == Phase::Primary) {
        s.record.closed = Some(closed_on);
        s.record.name = format!("{} (closed)", s.record.name.replace(" (closed)", ""));
    }
    // Neighbouring districts' schools the team also works with.
    let neighbours = [
        ("Folkestone", Phase::Secondary),
        ("Canterbury", Phase::Secondary),
        ("Maidstone", Phase::Primary),
        ("Tenterden", Phase::Primary),
        ("Dover", Phase::Secondary),
        ("Faversham", Phase::Post16),
    ];
    for (town, phase) in neighbours {
        let kind = match phase {
            Phase::Primary => "Primary School",
            Phase::Secondary => "Academy",
            _ => "College",
        };
        urn += 1 + rng.u32(0..40);
        settings.push(DemoSetting {
            record: Setting {
                key: format!("S{:04}", settings.len() + 1),
                name: format!("{town} {kind}"),
                phase,
                in_district: false,
                urn: Some(urn.to_string()),
                closed: None,
                link_teacher: None,
            },
        });
    }
    let staff = staff(rng, window, n);
    Register::new(settings, staff)
}

fn staff(rng: &mut fastrand::Rng, window: &Window, children: usize) -> Vec<DemoStaff> {
    let teachers = (children / 90).max(8);
    let ey = (teachers * 3 / 10).max(2);
    let mut out = Vec::new();
    let mut push = |rng: &mut fastrand::Rng,
                    role: Role,
                    area: Option<Area>,
                    fte: f64,
                    start: Date,
                    end: Option<Date>,
                    vacant: bool| {
        let name = if vacant {
            "Vacant post".to_string()
        } else {
            format!(
                "{} {}",
                FIRST_NAMES[rng.usize(0..FIRST_NAMES.len())],
                LAST_NAMES[rng.usize(0..LAST_NAMES.len())]
            )
        };
        out.push(DemoStaff {
            record: Staff {
                key: format!("T{:03}", out.len() + 1),
                name,
                role,
                area,
                fte,
                start,
                end,
                vacant,
            },
        });
    };
    let long_ago = window.start.minus_months(30);
    push(rng, Role::Lead, Some(Area::Semh), 1.0, long_ago, None, false);
    let ftes = [1.0, 1.0, 0.8, 0.6, 0.5, 0.4];
    for i in 0..teachers {
        let role = if i < ey { Role::EarlyYearsSpecialist } else { Role::SpecialistTeacher };
        let area = if role == Role::EarlyYearsSpecialist {
            if i % 2 == 0 { Area::CommunicationInteraction } else { Area::Semh }
        } else {
            Area::ALL[i % 4]
        };
        let fte = ftes[rng.usize(0..ftes.len())];
        let start = long_ago.plus_days(rng.u64(0..500));
        push(rng, role, Some(area), fte, start, None, false);
    }
    // A teacher who left partway through, and the colleague who replaced them.
    let left = date_between(rng, window.start.plus_days(window.days() / 3), window.today);
    push(rng, Role::SpecialistTeacher, Some(Area::CognitionLearning), 0.6, long_ago, Some(left), false);
    push(rng, Role::SpecialistTeacher, Some(Area::CognitionLearning), 0.6, left.succ(), None, false);
    // Vacancies: posts the team is recruiting to.
    push(rng, Role::SpecialistTeacher, Some(Area::SensoryPhysical), 0.5, window.start, None, true);
    if children > 2000 {
        push(
            rng,
            Role::EarlyYearsSpecialist,
            Some(Area::CommunicationInteraction),
            1.0,
            window.start,
            None,
            true,
        );
    }
    push(rng, Role::Admin, None, 1.0, long_ago, None, false);
    push(rng, Role::Admin, None, 0.5, long_ago, None, false);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_of_a_large_district_has_its_own_name() {
        let window = Window::new(Date::parse_iso("2026-11-27").unwrap(), 5);
        let register = generate(&mut fastrand::Rng::with_seed(7), &window, 60_000);
        assert!(register.settings.len() > 5_000);
        let names: HashSet<&str> = register.settings.iter().map(|s| s.record.name.as_str()).collect();
        assert_eq!(names.len(), register.settings.len());
    }
}
