//! The measure catalogue (docs/returns.md): every measure id with its label and unit, and its figure
//! for a period computed from the store's aggregates.

use crate::domain::*;
use crate::store::PeriodCounts;
use std::collections::BTreeMap;

/// How a measure is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Percent,
    Average,
    Fte,
    /// Typed by the team: a number or a short text.
    Manual,
}

impl Unit {
    pub fn code(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::Average => "average",
            Unit::Fte => "fte",
            Unit::Manual => "manual",
        }
    }
}

/// A measure's figure for one period.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    Count(i64),
    /// A percentage or average: numerator over denominator.
    Ratio {
        num: i64,
        den: i64,
    },
    Fte(f64),
    /// A manual figure; `None` when the team has not typed one for the period.
    Manual(Option<ManualValue>),
}

/// A measure with its figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: String,
    pub label: String,
    pub unit: Unit,
    pub figure: Figure,
}

/// `round(num / den * scale)` to the nearest whole number, halves away from zero, in exact integer
/// arithmetic (floating point would round 0.05 the wrong way now and then).
fn scaled_round(num: i64, den: i64, scale: i64) -> i64 {
    let (n, d) = (i128::from(num) * i128::from(scale), i128::from(den));
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let q = (2 * n.abs() + d) / (2 * d);
    (if n < 0 { -q } else { q }) as i64
}

impl Measure {
    /// The published value: counts whole, percentages and averages to 1 decimal, FTE to 2;
    /// `None` for a zero denominator or a manual figure not typed (or typed as text).
    pub fn value(&self) -> Option<f64> {
        match (&self.figure, self.unit) {
            (Figure::Count(n), _) => Some(*n as f64),
            (Figure::Ratio { den: 0, .. }, _) => None,
            (Figure::Ratio { num, den }, Unit::Percent) => Some(scaled_round(*num, *den, 1000) as f64 / 10.0),
            (Figure::Ratio { num, den }, _) => Some(scaled_round(*num, *den, 10) as f64 / 10.0),
            (Figure::Fte(x), _) => Some((x * 100.0).round() / 100.0),
            (Figure::Manual(Some(ManualValue::Number(x))), _) => Some(*x),
            (Figure::Manual(_), _) => None,
        }
    }

    pub fn ratio(&self) -> Option<(i64, i64)> {
        match self.figure {
            Figure::Ratio { num, den } => Some((num, den)),
            _ => None,
        }
    }
}

/// The AET programme's groups: school age (primary and secondary), early years, post-16.
const AET_GROUPS: [(&str, &str, &[Phase]); 3] = [
    ("school_age", "school age", &[Phase::Primary, Phase::Secondary]),
    ("early_years", "early years", &[Phase::EarlyYears]),
    ("post16", "post-16", &[Phase::Post16]),
];

fn lower(label: &str) -> String {
    // "Social, emotional and mental health" reads mid-sentence as "social, ..."; keep acronyms.
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(std::iter::once(second)).chain(chars).collect()
        }
        _ => label.to_string(),
    }
}

fn get<K: Ord>(map: &BTreeMap<K, i64>, k: &K) -> i64 {
    map.get(k).copied().unwrap_or(0)
}

fn group_label(g: PhaseGroup) -> &'static str {
    match g {
        PhaseGroup::School => "school age",
        PhaseGroup::EarlyYears => "early years",
    }
}

/// Every measure of the catalogue with its figure, in catalogue order. Referrals by need list only
/// their non-zero cells; manual measures are not part of the catalogue (see `report`).
pub fn measures(c: &PeriodCounts) -> Vec<Measure> {
    let mut out = Vec::with_capacity(160);
    let mut push = |id: String, label: String, unit: Unit, figure: Figure| {
        out.push(Measure { id, label, unit, figure });
    };
    let count = |n: i64| Figure::Count(n);
    let ratio = |num: i64, den: i64| Figure::Ratio { num, den };

    for p in Phase::ALL {
        let label = p.label();
        push(
            format!("settings_supported.{p}"),
            format!("{label} settings supported"),
            Unit::Count,
            count(get(&c.supported, p)),
        );
    }
    push(
        "settings_supported.out_of_district".into(),
        "Out-of-district settings supported".into(),
        Unit::Count,
        count(c.supported_out_of_district),
    );
    for p in Phase::ALL {
        push(
            format!("settings_supported_pct.{p}"),
            format!("{} settings supported (% of the district's register)", p.label()),
            Unit::Percent,
            ratio(get(&c.supported, p), get(&c.register, p)),
        );
    }
    for g in PhaseGroup::ALL {
        let figure = count(get(&c.caseload_by_group, g));
        push(
            format!("caseload.{g}"),
            format!("Children on caseload: {}", group_label(*g)),
            Unit::Count,
            figure,
        );
    }
    for p in [Phase::Primary, Phase::Secondary, Phase::Post16] {
        let figure = count(get(&c.caseload_by_phase, &p));
        push(
            format!("caseload.{p}"),
            format!("Children on caseload: {}", lower(p.label())),
            Unit::Count,
            figure,
        );
    }
    for g in PhaseGroup::ALL {
        let figure = count(get(&c.active_by_group, g));
        push(
            format!("active.{g}"),
            format!("Children actively supported: {}", group_label(*g)),
            Unit::Count,
            figure,
        );
    }
    for a in Area::ALL {
        let figure = count(get(&c.active_cases_by_area, a));
        push(
            format!("active_by_area.{a}"),
            format!("Cases actively supported: {}", lower(a.label())),
            Unit::Count,
            figure,
        );
    }
    push("cases_opened".into(), "Cases opened".into(), Unit::Count, count(c.cases_opened));
    push("cases_closed".into(), "Cases closed".into(), Unit::Count, count(c.cases_closed));
    push(
        "cases_open_over_six_months".into(),
        "Cases open for more than six months".into(),
        Unit::Count,
        count(c.cases_open_over_six_months),
    );
    push(
        "outreach_cases".into(),
        "Cases supported through special-school outreach".into(),
        Unit::Count,
        count(c.outreach_cases),
    );

    for g in PhaseGroup::ALL {
        let kind = if *g == PhaseGroup::School { "School" } else { "Early years" };
        push(
            format!("lift_meetings.{g}"),
            format!("{kind} LIFT meetings held"),
            Unit::Count,
            count(get(&c.lift_meetings, g)),
        );
    }
    for p in Phase::ALL {
        let figure = count(get(&c.lift_settings_attending, p));
        push(
            format!("lift_settings_attending.{p}"),
            format!("{} settings attending LIFT", p.label()),
            Unit::Count,
            figure,
        );
    }
    for p in Phase::ALL {
        push(
            format!("lift_settings_attending_pct.{p}"),
            format!("{} settings attending LIFT (% of the district's register)", p.label()),
            Unit::Percent,
            ratio(get(&c.lift_settings_attending, p), get(&c.register, p)),
        );
    }
    for g in PhaseGroup::ALL {
        let kind = if *g == PhaseGroup::School { "school" } else { "early years" };
        let figure = count(get(&c.lift_children_discussed, g));
        push(
            format!("lift_children_discussed.{g}"),
            format!("Children discussed at {kind} LIFT"),
            Unit::Count,
            figure,
        );
    }
    for g in PhaseGroup::ALL {
        let kind = if *g == PhaseGroup::School { "school" } else { "early years" };
        push(
            format!("lift_children_discussed_avg.{g}"),
            format!("Children discussed per {kind} LIFT meeting (average)"),
            Unit::Average,
            ratio(get(&c.lift_children_discussed, g), get(&c.lift_meetings, g)),
        );
    }
    for p in Profession::ALL {
        let figure = count(get(&c.lift_professionals, p));
        push(
            format!("lift_professionals.{p}"),
            format!("LIFT attendance: {}", p.label()),
            Unit::Count,
            figure,
        );
    }

    let mut by_phase: BTreeMap<Phase, i64> = BTreeMap::new();
    let mut by_need: BTreeMap<(PhaseGroup, Area, Option<Need>), i64> = BTreeMap::new();
    let mut by_outcome: BTreeMap<ReferralOutcome, i64> = BTreeMap::new();
    for ((phase, area, need, outcome), n) in &c.referrals {
        *by_phase.entry(*phase).or_default() += n;
        *by_need.entry((phase.group(), *area, *need)).or_default() += n;
        if let Some(o) = outcome {
            *by_outcome.entry(*o).or_default() += n;
        }
    }
    for p in Phase::ALL {
        push(
            format!("referrals.{p}"),
            format!("Referrals received: {}", lower(p.label())),
            Unit::Count,
            count(get(&by_phase, p)),
        );
    }
    // Catalogue order: early years before school, areas and needs in code order.
    for g in [PhaseGroup::EarlyYears, PhaseGroup::School] {
        for a in Area::ALL {
            let needs = Need::for_area(*a).map(Some).chain(std::iter::once(None));
            for need in needs {
                let n = get(&by_need, &(g, *a, need));
                if n == 0 {
                    continue;
                }
                let (code, name) = match need {
                    Some(need) => (need.code(), format!("{} ({})", need.label(), need.code())),
                    None => ("none", "no need type given".to_string()),
                };
                push(
                    format!("referrals_by_need.{g}.{a}.{code}"),
                    format!("Referrals, {}: {}, {}", group_label(g), lower(a.label()), lower(&name)),
                    Unit::Count,
                    count(n),
                );
            }
        }
    }
    for o in ReferralOutcome::ALL {
        push(
            format!("referral_outcomes.{o}"),
            format!("Referral outcome: {}", lower(o.label())),
            Unit::Count,
            count(get(&by_outcome, o)),
        );
    }
    push(
        "referred_other_agencies".into(),
        "Children referred to other agencies".into(),
        Unit::Count,
        count(get(&by_outcome, &ReferralOutcome::Signposted)),
    );

    for g in PhaseGroup::ALL {
        let figure = count(get(&c.clinics, g));
        push(
            format!("clinics.{g}"),
            format!("Clinics, surgeries and in-setting reviews: {}", group_label(*g)),
            Unit::Count,
            figure,
        );
    }
    for g in PhaseGroup::ALL {
        let figure = count(get(&c.clinic_cases_discussed, g));
        push(
            format!("clinic_cases_discussed.{g}"),
            format!("Cases discussed at clinics: {}", group_label(*g)),
            Unit::Count,
            figure,
        );
    }
    let by_group = |map: &BTreeMap<Phase, i64>, g: PhaseGroup| -> i64 {
        map.iter().filter(|(p, _)| p.group() == g).map(|(_, n)| n).sum()
    };
    for g in PhaseGroup::ALL {
        let figure = count(by_group(&c.transition_settings, *g));
        push(
            format!("transition_settings.{g}"),
            format!("Settings supported with transition: {}", group_label(*g)),
            Unit::Count,
            figure,
        );
    }
    for g in PhaseGroup::ALL {
        let figure = count(by_group(&c.transition_events, *g));
        push(
            format!("transition_events.{g}"),
            format!("Transition events supported: {}", group_label(*g)),
            Unit::Count,
            figure,
        );
    }
    for k in TrainingKind::ALL {
        let figure = count(get(&c.training_courses, k));
        push(
            format!("training_courses.{k}"),
            format!("{} training courses delivered", k.label()),
            Unit::Count,
            figure,
        );
    }
    let total: i64 = c.training_courses.values().sum();
    push("training_courses.total".into(), "Training courses delivered".into(), Unit::Count, count(total));
    for p in Phase::ALL {
        let figure = count(get(&c.training_settings, p));
        push(
            format!("training_settings.{p}"),
            format!("{} settings taking part in training", p.label()),
            Unit::Count,
            figure,
        );
    }

    let sum_of =
        |map: &BTreeMap<Phase, i64>, phases: &[Phase]| -> i64 { phases.iter().map(|p| get(map, p)).sum() };
    for (code, name, phases) in AET_GROUPS {
        let figure = count(sum_of(&c.aet_completed, phases));
        push(
            format!("aet_sessions.completed.{code}"),
            format!("AET sessions delivered this year to date: {name}"),
            Unit::Count,
            figure,
        );
    }
    for (code, name, phases) in AET_GROUPS {
        let figure = count(sum_of(&c.aet_booked, phases));
        push(
            format!("aet_sessions.booked.{code}"),
            format!("AET sessions booked or delivered this year: {name}"),
            Unit::Count,
            figure,
        );
    }
    for (code, name, phases) in AET_GROUPS {
        push(
            format!("aet_settings_trained_pct.{code}"),
            format!("Settings trained by AET, {name} (% of the district's register)"),
            Unit::Percent,
            ratio(sum_of(&c.aet_trained_settings, phases), sum_of(&c.register, phases)),
        );
    }
    for a in Area::ALL {
        push(
            format!("visits.{a}"),
            format!("Visits: {}", lower(a.label())),
            Unit::Count,
            count(get(&c.visits, a)),
        );
    }
    push(
        "targets_reviewed_pct".into(),
        "Children on caseload whose targets were reviewed (%)".into(),
        Unit::Percent,
        ratio(c.children_reviewed, c.caseload_children),
    );
    push(
        "targets_amended_pct".into(),
        "School-age cases reviewed whose targets were amended (%)".into(),
        Unit::Percent,
        ratio(c.school_cases_amended, c.school_cases_reviewed),
    );
    push(
        "closed_targets_achieved_pct".into(),
        "Cases closed with targets achieved (%)".into(),
        Unit::Percent,
        ratio(c.cases_closed_targets_achieved, c.cases_closed),
    );
    push("staff_fte.total".into(), "Staff in post (FTE)".into(), Unit::Fte, Figure::Fte(c.fte_filled));
    for a in Area::ALL {
        let fte = c.fte_teachers.get(a).copied().unwrap_or(0.0);
        push(
            format!("staff_fte.teachers.{a}"),
            format!("Specialist teachers in post (FTE): {}", lower(a.label())),
            Unit::Fte,
            Figure::Fte(fte),
        );
    }
    push("staff_fte.vacant".into(), "Vacant posts (FTE)".into(), Unit::Fte, Figure::Fte(c.fte_vacant));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(unit: Unit, figure: Figure) -> Measure {
        Measure { id: "x".into(), label: "x".into(), unit, figure }
    }

    #[test]
    fn percentages_round_half_away_from_zero_exactly() {
        let pct = |num, den| m(Unit::Percent, Figure::Ratio { num, den }).value();
        assert_eq!(pct(2, 3), Some(66.7));
        assert_eq!(pct(1, 3), Some(33.3));
        assert_eq!(pct(1, 8), Some(12.5));
        assert_eq!(pct(1, 16), Some(6.3)); // 6.25 rounds up
        assert_eq!(pct(1, 2000), Some(0.1)); // 0.05 rounds up, where floating point would not
        assert_eq!(pct(3, 3), Some(100.0));
        assert_eq!(pct(0, 5), Some(0.0));
        assert_eq!(pct(0, 0), None);
        assert_eq!(pct(5, 0), None);
    }

    #[test]
    fn averages_and_fte_round() {
        assert_eq!(m(Unit::Average, Figure::Ratio { num: 25, den: 4 }).value(), Some(6.3));
        assert_eq!(m(Unit::Average, Figure::Ratio { num: 7, den: 0 }).value(), None);
        assert_eq!(m(Unit::Fte, Figure::Fte(0.1 + 0.2 + 0.6)).value(), Some(0.9));
        assert_eq!(m(Unit::Fte, Figure::Fte(2.345_000_1)).value(), Some(2.35));
    }

    #[test]
    fn ids_are_unique_and_every_family_of_the_spec_is_there() {
        let all = measures(&PeriodCounts::default());
        let mut ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate ids");
        for id in [
            "settings_supported.post16",
            "settings_supported_pct.early_years",
            "settings_supported.out_of_district",
            "caseload.post16",
            "active.early_years",
            "active_by_area.sensory_physical",
            "cases_open_over_six_months",
            "outreach_cases",
            "lift_settings_attending_pct.secondary",
            "lift_children_discussed_avg.school",
            "lift_professionals.social_care",
            "referral_outcomes.withdrawn",
            "referred_other_agencies",
            "clinic_cases_discussed.early_years",
            "transition_events.school",
            "training_courses.total",
            "training_settings.post16",
            "aet_sessions.completed.school_age",
            "aet_sessions.booked.post16",
            "aet_settings_trained_pct.early_years",
            "visits.cognition_learning",
            "targets_amended_pct",
            "staff_fte.teachers.semh",
            "staff_fte.vacant",
        ] {
            assert!(ids.contains(&id), "{id} missing");
        }
        assert!(!ids.iter().any(|i| i.starts_with("referrals_by_need.")), "zero cells are not listed");
    }
}
