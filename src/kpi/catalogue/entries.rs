//! The entries of the catalogue, in the order of the `all` framework. Each entry is one call:
//! id, label, definition, how it adds up over terms, and its computation, side by side.
//!
//! Definitions say "the period" for the term, monitoring period or year computed; "on the
//! register" means an in-district setting not closed before the period's start.

use super::{Compute, Def, OverTerms, Part, Unit, family};

#[path = "practices.rs"]
mod practices;
use crate::domain::*;
use crate::store::PeriodCounts;
use std::collections::BTreeMap;

/// One period's aggregates with the referrals tallied every way the catalogue reads them.
pub struct Tally<'a> {
    pub c: &'a PeriodCounts,
    pub referrals_by_phase: BTreeMap<Phase, i64>,
    pub referrals_by_need: BTreeMap<(PhaseGroup, Area, Option<Need>), i64>,
    pub referrals_by_outcome: BTreeMap<ReferralOutcome, i64>,
}

impl<'a> Tally<'a> {
    pub fn of(c: &'a PeriodCounts) -> Tally<'a> {
        let mut t = Tally {
            c,
            referrals_by_phase: BTreeMap::new(),
            referrals_by_need: BTreeMap::new(),
            referrals_by_outcome: BTreeMap::new(),
        };
        for ((phase, area, need, outcome), n) in &c.referrals {
            *t.referrals_by_phase.entry(*phase).or_default() += n;
            *t.referrals_by_need.entry((phase.group(), *area, *need)).or_default() += n;
            if let Some(o) = outcome {
                *t.referrals_by_outcome.entry(*o).or_default() += n;
            }
        }
        t
    }
}

fn get<K: Ord>(map: &BTreeMap<K, i64>, k: &K) -> i64 {
    map.get(k).copied().unwrap_or(0)
}

/// The sum over the phases of a group.
fn in_group(map: &BTreeMap<Phase, i64>, g: PhaseGroup) -> i64 {
    map.iter().filter(|(p, _)| p.group() == g).map(|(_, n)| n).sum()
}

fn sum_of(map: &BTreeMap<Phase, i64>, phases: &[Phase]) -> i64 {
    phases.iter().map(|p| get(map, p)).sum()
}

/// "Social, emotional and mental health" reads mid-sentence as "social, ..."; acronyms stay.
fn lower(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(std::iter::once(second)).chain(chars).collect()
        }
        _ => label.to_string(),
    }
}

fn group_label(g: PhaseGroup) -> &'static str {
    match g {
        PhaseGroup::School => "school age",
        PhaseGroup::EarlyYears => "early years",
    }
}

/// Which phases a group holds, in words.
fn group_phases(g: PhaseGroup) -> &'static str {
    match g {
        PhaseGroup::School => "primary, secondary or post-16",
        PhaseGroup::EarlyYears => "early years",
    }
}

/// The AET programme's groups: school age (primary and secondary), early years, post-16.
const AET_GROUPS: [(&str, &str, &[Phase]); 3] = [
    ("school_age", "school age", &[Phase::Primary, Phase::Secondary]),
    ("early_years", "early years", &[Phase::EarlyYears]),
    ("post16", "post-16", &[Phase::Post16]),
];

/// The catalogue as it is built.
struct List(Vec<Def>);

type CountFn = Box<dyn Fn(&Tally) -> i64 + Send + Sync>;

// `track_caller`: each entry records the line of its call here, which `docs/measures.md` names.
impl List {
    #[track_caller]
    fn push(
        &mut self,
        id: String,
        label: String,
        unit: Unit,
        definition: String,
        over: OverTerms,
        compute: Compute,
    ) {
        self.0.push(Def {
            id,
            label,
            unit,
            definition,
            over_terms: over,
            only_when_not_zero: false,
            compute,
            defined_at: std::panic::Location::caller(),
        });
    }

    #[track_caller]
    fn count(
        &mut self,
        id: impl Into<String>,
        label: impl Into<String>,
        over: OverTerms,
        definition: impl Into<String>,
        f: impl Fn(&Tally) -> i64 + Send + Sync + 'static,
    ) {
        self.push(id.into(), label.into(), Unit::Count, definition.into(), over, Compute::Count(Box::new(f)));
    }

    /// A numerator part that is an earlier count of the list.
    fn measure(&self, id: &str) -> Part {
        match self.0.iter().position(|d| d.id == id && matches!(d.compute, Compute::Count(_))) {
            Some(i) => Part::Measure(i),
            None => {
                // The list is code: a test proves every named part exists.
                debug_assert!(false, "no count {id} before its ratio");
                Part::Count(Box::new(|_| 0))
            }
        }
    }

    #[track_caller]
    fn ratio(
        &mut self,
        id: impl Into<String>,
        label: impl Into<String>,
        unit: Unit,
        definition: impl Into<String>,
        num: Part,
        den: Part,
    ) {
        let over = OverTerms::Distinct;
        self.push(id.into(), label.into(), unit, definition.into(), over, Compute::Ratio(num, den));
    }

    #[track_caller]
    fn fte(
        &mut self,
        id: impl Into<String>,
        label: impl Into<String>,
        definition: impl Into<String>,
        f: impl Fn(&Tally) -> f64 + Send + Sync + 'static,
    ) {
        let (id, label, definition) = (id.into(), label.into(), definition.into());
        self.push(id, label, Unit::Fte, definition, OverTerms::AtEnd, Compute::Fte(Box::new(f)));
    }
}

fn count(f: impl Fn(&Tally) -> i64 + Send + Sync + 'static) -> Part {
    let f: CountFn = Box::new(f);
    Part::Count(f)
}

pub(super) fn all() -> Vec<Def> {
    let mut l = List(Vec::with_capacity(320));
    settings_and_caseload(&mut l);
    practices::settings(&mut l);
    practices::caseload(&mut l);
    lift(&mut l);
    practices::lift(&mut l);
    referrals(&mut l);
    activities(&mut l);
    practices::activities(&mut l);
    practices::training(&mut l);
    impact_and_staffing(&mut l);
    practices::impact(&mut l);
    l.0
}

fn settings_and_caseload(l: &mut List) {
    use OverTerms::*;
    for p in Phase::ALL {
        let p = *p;
        l.count(
            format!("settings_supported.{p}"),
            format!("{} settings supported", p.label()),
            Distinct,
            format!(
                "{} settings on the register that were supported in the period: dated in it, they referred a \
                 child, attended a LIFT meeting or a clinic, took part in delivered training or were \
                 supported with transition, or a case open in the period is held at them.",
                p.label()
            ),
            move |t| get(&t.c.supported, &p),
        );
    }
    l.count(
        "settings_supported.out_of_district",
        "Out-of-district settings supported",
        Distinct,
        "Settings outside the district (any phase) supported in the period, in the same ways.",
        |t| t.c.supported_out_of_district,
    );
    for p in Phase::ALL {
        let p = *p;
        let num = l.measure(&format!("settings_supported.{p}"));
        l.ratio(
            format!("settings_supported_pct.{p}"),
            format!("{} settings supported (% of the district's register)", p.label()),
            Unit::Percent,
            format!(
                "{} settings supported in the period, as a percentage of the {} settings on the register.",
                p.label(),
                lower(p.label())
            ),
            num,
            count(move |t| get(&t.c.register, &p)),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        l.count(
            format!("caseload.{g}"),
            format!("Children on caseload: {}", group_label(g)),
            Distinct,
            format!(
                "Children with a case open during the period whose phase is {}, each child counted once.",
                group_phases(g)
            ),
            move |t| get(&t.c.caseload_by_group, &g),
        );
    }
    for p in [Phase::Primary, Phase::Secondary, Phase::Post16] {
        l.count(
            format!("caseload.{p}"),
            format!("Children on caseload: {}", lower(p.label())),
            Distinct,
            format!("Children with a {} case open during the period, each counted once.", lower(p.label())),
            move |t| get(&t.c.caseload_by_phase, &p),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        l.count(
            format!("active.{g}"),
            format!("Children actively supported: {}", group_label(g)),
            Distinct,
            format!(
                "Children with a case ({}) that was open, had a teacher allocated and a target in force \
                 during the period, each child counted once.",
                group_phases(g)
            ),
            move |t| get(&t.c.active_by_group, &g),
        );
    }
    for a in Area::ALL {
        let a = *a;
        l.count(
            format!("active_by_area.{a}"),
            format!("Cases actively supported: {}", lower(a.label())),
            Distinct,
            format!(
                "Cases whose area of need is {} that were open, had a teacher allocated and a target in \
                 force during the period.",
                lower(a.label())
            ),
            move |t| get(&t.c.active_cases_by_area, &a),
        );
    }
    l.count("cases_opened", "Cases opened", Sum, "Cases opened on a day in the period.", |t| {
        t.c.cases_opened
    });
    l.count("cases_closed", "Cases closed", Sum, "Cases closed on a day in the period.", |t| {
        t.c.cases_closed
    });
    l.count(
        "cases_open_over_six_months",
        "Cases open for more than six months",
        AtEnd,
        "Cases still open at the end of the period that were opened before the date six calendar months \
         before its last day.",
        |t| t.c.cases_open_over_six_months,
    );
    l.count(
        "outreach_cases",
        "Cases supported through special-school outreach",
        Distinct,
        "Cases marked as special-school outreach that were open during the period.",
        |t| t.c.outreach_cases,
    );
}

fn lift(l: &mut List) {
    use OverTerms::*;
    for g in PhaseGroup::ALL {
        let g = *g;
        let kind = if g == PhaseGroup::School { "School" } else { "Early years" };
        l.count(
            format!("lift_meetings.{g}"),
            format!("{kind} LIFT meetings held"),
            Sum,
            format!("{kind} LIFT meetings held on a day in the period."),
            move |t| get(&t.c.lift_meetings, &g),
        );
    }
    for f in LiftFocus::ALL {
        let f = *f;
        let (label, which) = match f {
            LiftFocus::Primary => ("primary schools", "for primary schools"),
            LiftFocus::Secondary => ("secondary schools", "for secondary schools"),
            LiftFocus::Mixed => {
                ("mixed or not given", "for primary and secondary schools together, or with no focus given")
            }
        };
        l.count(
            format!("lift_meetings.school.{f}"),
            format!("School LIFT meetings held: {label}"),
            Sum,
            format!("School LIFT meetings held in the period {which}."),
            move |t| get(&t.c.lift_meetings_by_focus, &f),
        );
    }
    for p in Phase::ALL {
        let p = *p;
        l.count(
            format!("lift_settings_attending.{p}"),
            format!("{} settings attending LIFT", p.label()),
            Distinct,
            format!(
                "{} settings on the register recorded as attending a LIFT meeting held in the period, each \
                 counted once.",
                p.label()
            ),
            move |t| get(&t.c.lift_settings_attending, &p),
        );
    }
    for p in Phase::ALL {
        let p = *p;
        let num = l.measure(&format!("lift_settings_attending.{p}"));
        l.ratio(
            format!("lift_settings_attending_pct.{p}"),
            format!("{} settings attending LIFT (% of the district's register)", p.label()),
            Unit::Percent,
            format!(
                "{} settings that attended a LIFT meeting in the period, as a percentage of the {} settings \
                 on the register.",
                p.label(),
                lower(p.label())
            ),
            num,
            count(move |t| get(&t.c.register, &p)),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        let kind = if g == PhaseGroup::School { "school" } else { "early years" };
        l.count(
            format!("lift_children_discussed.{g}"),
            format!("Children discussed at {kind} LIFT"),
            Sum,
            format!("Referrals linked to a {kind} LIFT meeting held in the period."),
            move |t| get(&t.c.lift_children_discussed, &g),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        let kind = if g == PhaseGroup::School { "school" } else { "early years" };
        let (num, den) =
            (l.measure(&format!("lift_children_discussed.{g}")), l.measure(&format!("lift_meetings.{g}")));
        l.ratio(
            format!("lift_children_discussed_avg.{g}"),
            format!("Children discussed per {kind} LIFT meeting (average)"),
            Unit::Average,
            format!(
                "Children discussed at {kind} LIFT meetings held in the period, divided by the number of \
                 those meetings."
            ),
            num,
            den,
        );
    }
    for p in Profession::ALL {
        let p = *p;
        l.count(
            format!("lift_professionals.{p}"),
            format!("LIFT attendance: {}", p.label()),
            Sum,
            format!(
                "Attendances of {} at LIFT meetings held in the period, added up over the meetings.",
                lower(p.label())
            ),
            move |t| get(&t.c.lift_professionals, &p),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        let kind = if g == PhaseGroup::School { "school" } else { "early years" };
        for p in Profession::ALL {
            let p = *p;
            l.count(
                format!("lift_professionals.{g}.{p}"),
                format!("Attendance at {kind} LIFT: {}", p.label()),
                Sum,
                format!(
                    "Attendances of {} at {kind} LIFT meetings held in the period, added up over the meetings.",
                    lower(p.label())
                ),
                move |t| get(&t.c.lift_professionals_by_group, &(g, p)),
            );
        }
    }
    for p in Phase::ALL {
        let p = *p;
        l.count(
            format!("lift_referrals.{p}"),
            format!("LIFT referrals received: {}", lower(p.label())),
            Sum,
            format!(
                "Referrals received in the period whose phase is {} and that are linked to a LIFT meeting.",
                lower(p.label())
            ),
            move |t| get(&t.c.lift_referrals, &p),
        );
    }
}

fn referrals(l: &mut List) {
    use OverTerms::*;
    for p in Phase::ALL {
        let p = *p;
        l.count(
            format!("referrals.{p}"),
            format!("Referrals received: {}", lower(p.label())),
            Sum,
            format!("Referrals received on a day in the period whose phase is {}.", lower(p.label())),
            move |t| get(&t.referrals_by_phase, &p),
        );
    }
    // Early years before school, areas and needs in code order.
    for g in [PhaseGroup::EarlyYears, PhaseGroup::School] {
        for a in Area::ALL {
            let a = *a;
            for need in Need::for_area(a).map(Some).chain(std::iter::once(None)) {
                let (code, name, given) = match need {
                    Some(need) => (
                        need.code(),
                        format!("{} ({})", need.label(), need.code()),
                        format!("priority need type {}", need.code()),
                    ),
                    None => (
                        family::NO_NEED,
                        "no need type given".to_string(),
                        "no priority need type given".to_string(),
                    ),
                };
                l.count(
                    family::need_cell(g, a, code),
                    format!("Referrals, {}: {}, {}", group_label(g), lower(a.label()), lower(&name)),
                    Sum,
                    format!(
                        "Referrals received in the period for a child of {} phase, area of need {}, {given} \
                         (listed only when not zero).",
                        group_phases(g),
                        lower(a.label())
                    ),
                    move |t| get(&t.referrals_by_need, &(g, a, need)),
                );
                if let Some(d) = l.0.last_mut() {
                    d.only_when_not_zero = family::REFERRALS_BY_NEED.only_when_not_zero;
                }
            }
        }
    }
    for o in ReferralOutcome::ALL {
        let o = *o;
        l.count(
            format!("referral_outcomes.{o}"),
            format!("Referral outcome: {}", lower(o.label())),
            Sum,
            format!(
                "Referrals received in the period whose outcome is \"{}\" (an outcome not yet recorded is not \
                 counted).",
                lower(o.label())
            ),
            move |t| get(&t.referrals_by_outcome, &o),
        );
    }
    l.count(
        "referred_other_agencies",
        "Children referred to other agencies",
        Sum,
        "Referrals received in the period that were signposted to another agency (the 2022-23 name of \
         referral_outcomes.signposted).",
        |t| get(&t.referrals_by_outcome, &ReferralOutcome::Signposted),
    );
}

fn activities(l: &mut List) {
    use OverTerms::*;
    for g in PhaseGroup::ALL {
        let g = *g;
        l.count(
            format!("clinics.{g}"),
            format!("Clinics, surgeries and in-setting reviews: {}", group_label(g)),
            Sum,
            format!(
                "Clinics, surgeries and in-setting reviews for the {} phase held in the period.",
                group_label(g)
            ),
            move |t| get(&t.c.clinics, &g),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        for f in ClinicFormat::ALL {
            let f = *f;
            let plural = match f {
                ClinicFormat::Clinic => "Clinics",
                ClinicFormat::Surgery => "Surgeries",
                ClinicFormat::InSettingReview => "In-setting reviews",
            };
            l.count(
                format!("clinics.{g}.{f}"),
                format!("{plural} held: {}", group_label(g)),
                Sum,
                format!("{plural} for the {} phase held in the period.", group_label(g)),
                move |t| get(&t.c.clinics_by_format, &(g, f)),
            );
        }
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        l.count(
            format!("clinic_cases_discussed.{g}"),
            format!("Cases discussed at clinics: {}", group_label(g)),
            Sum,
            format!(
                "Cases discussed at {} clinics held in the period, added up over the clinics.",
                group_label(g)
            ),
            move |t| get(&t.c.clinic_cases_discussed, &g),
        );
    }
    for p in Phase::ALL {
        let p = *p;
        l.count(
            format!("clinic_settings.{p}"),
            format!("{} settings attending clinics", p.label()),
            Distinct,
            format!(
                "{} settings (in or out of the district) recorded as attending a clinic, surgery or \
                 in-setting review held in the period, each counted once.",
                p.label()
            ),
            move |t| get(&t.c.clinic_settings, &p),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        l.count(
            format!("transition_settings.{g}"),
            format!("Settings supported with transition: {}", group_label(g)),
            Distinct,
            format!(
                "Settings (in or out of the district) of {} phase supported with transition in the period, \
                 each counted once.",
                group_phases(g)
            ),
            move |t| in_group(&t.c.transition_settings, g),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        l.count(
            format!("transition_events.{g}"),
            format!("Transition events supported: {}", group_label(g)),
            Sum,
            format!(
                "Transition events supported in the period at settings of {} phase (the events recorded \
                 with each transition, added up).",
                group_phases(g)
            ),
            move |t| in_group(&t.c.transition_events, g),
        );
    }
    for k in TrainingKind::ALL {
        let k = *k;
        l.count(
            format!("training_courses.{k}"),
            format!("{} training courses delivered", k.label()),
            Sum,
            format!("{} training courses delivered on a day in the period.", k.label()),
            move |t| get(&t.c.training_courses, &k),
        );
    }
    for k in TrainingKind::ALL {
        let k = *k;
        for g in [PhaseGroup::EarlyYears, PhaseGroup::School] {
            l.count(
                format!("training_courses.{k}.{g}"),
                format!("{} training courses delivered: {}", k.label(), group_label(g)),
                Sum,
                format!(
                    "{} training courses for the {} phase delivered on a day in the period.",
                    k.label(),
                    group_label(g)
                ),
                move |t| get(&t.c.training_courses_by_group, &(k, g)),
            );
        }
    }
    l.count(
        "training_courses.total",
        "Training courses delivered",
        Sum,
        "Training courses of every kind delivered on a day in the period.",
        |t| t.c.training_courses.values().sum(),
    );
    l.count(
        "training_courses.cancelled",
        "Training courses cancelled",
        Sum,
        "Training courses of any kind dated in the period whose status is cancelled.",
        |t| t.c.training_cancelled,
    );
    for p in Phase::ALL {
        let p = *p;
        l.count(
            format!("training_settings.{p}"),
            format!("{} settings taking part in training", p.label()),
            Distinct,
            format!(
                "{} settings (in or out of the district) that took part in training delivered in the \
                 period, each counted once.",
                p.label()
            ),
            move |t| get(&t.c.training_settings, &p),
        );
    }
    for p in Phase::ALL {
        let p = *p;
        l.count(
            format!("training_settings.core.{p}"),
            format!("{} settings taking part in core training", p.label()),
            Distinct,
            format!(
                "{} settings (in or out of the district) that took part in core training delivered in the \
                 period, each counted once.",
                p.label()
            ),
            move |t| get(&t.c.training_settings_core, &p),
        );
    }
    for (code, name, phases) in AET_GROUPS {
        l.count(
            format!("aet_sessions.completed.{code}"),
            format!("AET sessions delivered this year to date: {name}"),
            AtEnd,
            format!(
                "Autism Education Trust sessions for the {name} phase delivered from the start of the \
                 academic year to the period's end."
            ),
            move |t| sum_of(&t.c.aet_completed, phases),
        );
    }
    for (code, name, phases) in AET_GROUPS {
        l.count(
            format!("aet_sessions.booked.{code}"),
            format!("AET sessions booked or delivered this year: {name}"),
            AtEnd,
            format!(
                "Autism Education Trust sessions for the {name} phase delivered or booked (not cancelled) \
                 on any day of the academic year."
            ),
            move |t| sum_of(&t.c.aet_booked, phases),
        );
    }
    for (code, name, phases) in AET_GROUPS {
        l.ratio(
            format!("aet_settings_trained_pct.{code}"),
            format!("Settings trained by AET, {name} (% of the district's register)"),
            Unit::Percent,
            format!(
                "Settings on the register of the {name} phase that have taken part in a delivered Autism \
                 Education Trust session on or before the period's end (in any year), as a percentage of \
                 those settings on the register."
            ),
            count(move |t| sum_of(&t.c.aet_trained_settings, phases)),
            count(move |t| sum_of(&t.c.register, phases)),
        );
    }
    for a in Area::ALL {
        let a = *a;
        l.count(
            format!("visits.{a}"),
            format!("Visits: {}", lower(a.label())),
            Sum,
            format!("Visits made in the period on cases whose area of need is {}.", lower(a.label())),
            move |t| get(&t.c.visits, &a),
        );
    }
}

fn impact_and_staffing(l: &mut List) {
    l.ratio(
        "targets_reviewed_pct",
        "Children on caseload whose targets were reviewed (%)",
        Unit::Percent,
        "Children on the caseload in the period with a target review dated in it, as a percentage of the \
         children on the caseload.",
        count(|t| t.c.children_reviewed),
        count(|t| t.c.caseload_children),
    );
    l.ratio(
        "targets_amended_pct",
        "School-age cases reviewed whose targets were amended (%)",
        Unit::Percent,
        "School-age cases with a review in the period of which at least one amended the targets, as a \
         percentage of the school-age cases reviewed in it.",
        count(|t| t.c.school_cases_amended),
        count(|t| t.c.school_cases_reviewed),
    );
    let den = l.measure("cases_closed");
    l.ratio(
        "closed_targets_achieved_pct",
        "Cases closed with targets achieved (%)",
        Unit::Percent,
        "Cases closed in the period because their targets were achieved, as a percentage of the cases \
         closed in it.",
        count(|t| t.c.cases_closed_targets_achieved),
        den,
    );
    l.fte(
        "staff_fte.total",
        "Staff in post (FTE)",
        "Full-time equivalent of the filled (not vacant) staff posts in force on the period's last day.",
        |t| t.c.fte_filled,
    );
    for a in Area::ALL {
        let a = *a;
        l.fte(
            format!("staff_fte.teachers.{a}"),
            format!("Specialist teachers in post (FTE): {}", lower(a.label())),
            format!(
                "Full-time equivalent of the filled teacher posts (lead, specialist teacher, early years \
                 specialist) for {} in force on the period's last day.",
                lower(a.label())
            ),
            move |t| t.c.fte_teachers.get(&a).copied().unwrap_or(0.0),
        );
    }
    l.fte(
        "staff_fte.vacant",
        "Vacant posts (FTE)",
        "Full-time equivalent of the vacant posts in force on the period's last day.",
        |t| t.c.fte_vacant,
    );
    for g in PhaseGroup::ALL {
        let g = *g;
        let num = l.measure(&format!("caseload.{g}"));
        l.push(
            format!("caseload_per_teacher_fte.{g}"),
            format!("Children on caseload per full-time teacher: {}", group_label(g)),
            Unit::Average,
            format!(
                "Children on the caseload in the period ({}), divided by the full-time equivalent of the \
                 filled teacher posts (lead, specialist teacher, early years specialist) in force on its \
                 last day.",
                group_phases(g)
            ),
            OverTerms::Distinct,
            Compute::PerFte(num, Box::new(|t| t.c.fte_teachers_total)),
        );
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Aggregates where every figure differs from every other (so a measure that reads the wrong
    /// one shows): each key gets the next prime-ish number.
    pub fn distinct_counts() -> PeriodCounts {
        let mut n = 0i64;
        let mut next = || {
            n += 1;
            n * 7 + 3
        };
        let mut c = PeriodCounts::default();
        for p in Phase::ALL {
            for map in [
                &mut c.register,
                &mut c.supported,
                &mut c.caseload_by_phase,
                &mut c.lift_settings_attending,
                &mut c.transition_settings,
                &mut c.transition_events,
                &mut c.training_settings,
                &mut c.aet_completed,
                &mut c.aet_booked,
                &mut c.aet_trained_settings,
            ] {
                map.insert(*p, next());
            }
        }
        for g in PhaseGroup::ALL {
            for map in [
                &mut c.caseload_by_group,
                &mut c.active_by_group,
                &mut c.lift_meetings,
                &mut c.lift_children_discussed,
                &mut c.clinics,
                &mut c.clinic_cases_discussed,
            ] {
                map.insert(*g, next());
            }
        }
        for a in Area::ALL {
            c.active_cases_by_area.insert(*a, next());
            c.visits.insert(*a, next());
        }
        for p in Profession::ALL {
            c.lift_professionals.insert(*p, next());
        }
        for k in TrainingKind::ALL {
            c.training_courses.insert(*k, next());
        }
        for (i, o) in ReferralOutcome::ALL.iter().enumerate() {
            let phase = Phase::ALL[i % Phase::ALL.len()];
            c.referrals.insert((phase, Area::Semh, None, Some(*o)), next());
        }
        c.supported_out_of_district = next();
        c.caseload_children = next();
        c.cases_opened = next();
        c.cases_closed = next();
        c.cases_closed_targets_achieved = next();
        c.cases_open_over_six_months = next();
        c.outreach_cases = next();
        c.children_reviewed = next();
        c.school_cases_reviewed = next();
        c.school_cases_amended = next();
        c
    }
}
