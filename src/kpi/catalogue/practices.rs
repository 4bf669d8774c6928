//! The catalogue's entries for the seed's practices (kpis.md, "More measures from the seed's
//! practices"): a part of `entries`, in its own file to keep each small.

use super::super::family::{self, NONE_GIVEN};
use super::{List, count, get, group_label, group_phases, lower};
use crate::domain::*;
use crate::kpi::catalogue::{OverTerms, Unit};

pub(super) fn caseload(l: &mut List) {
    for g in PhaseGroup::ALL {
        let g = *g;
        for reason in OpenReason::ALL.iter().copied().map(Some).chain([None]) {
            let (code, name) = match reason {
                Some(r) => (r.code(), lower(r.label())),
                None => (NONE_GIVEN, "no reason given".to_string()),
            };
            l.count(
                family::OPEN_NOT_ACTIVE.id(&[g.code(), code]),
                format!("Open, not active ({}): {name}", group_label(g)),
                OverTerms::AtEnd,
                format!(
                    "Cases ({}) open and not actively supported on the period's last day (no teacher \
                     allocated or no target in force that day) whose reason for staying open is: {name}.",
                    group_phases(g)
                ),
                move |t| get(&t.c.practices.open_not_active, &(g, reason)),
            );
        }
    }
    l.count(
        "cases_senif",
        "Early years cases with SENIF support",
        OverTerms::Distinct,
        "Early years cases open during the period with SENIF support recorded (as recorded now: the \
         records keep no dates for SENIF).",
        |t| t.c.practices.cases_senif,
    );
}

pub(super) fn settings(l: &mut List) {
    for p in Phase::ALL {
        let p = *p;
        l.count(
            format!("settings_with_link_teacher.{p}"),
            format!("{} settings with a link teacher", p.label()),
            OverTerms::AtEnd,
            format!(
                "{} settings on the register that have a link teacher (a link teacher has no dates: one \
                 recorded now counts for every period).",
                p.label()
            ),
            move |t| get(&t.c.practices.settings_with_link_teacher, &p),
        );
    }
}

pub(super) fn lift(l: &mut List) {
    l.count(
        "lift_meetings.cancelled",
        "LIFT meetings cancelled",
        OverTerms::Sum,
        "LIFT meetings of either kind dated in the period whose status is cancelled.",
        |t| t.c.practices.lift_meetings_cancelled,
    );
}

pub(super) fn activities(l: &mut List) {
    for g in PhaseGroup::ALL {
        let g = *g;
        l.count(
            format!("group_work.{g}"),
            format!("Group support sessions: {}", group_label(g)),
            OverTerms::Sum,
            format!(
                "Group support sessions (a group, a whole setting or a cluster) dated in the period at \
                 settings of {} phase.",
                group_phases(g)
            ),
            move |t| get(&t.c.practices.group_work, &g),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        l.count(
            format!("group_work_children.{g}"),
            format!("Children reached by group support: {}", group_label(g)),
            OverTerms::Sum,
            format!(
                "Children reached by the group support sessions dated in the period at settings of {} \
                 phase (the children recorded with each session, added up).",
                group_phases(g)
            ),
            move |t| get(&t.c.practices.group_work_children, &g),
        );
    }
    for g in PhaseGroup::ALL {
        let g = *g;
        let den = l.measure(&format!("clinic_cases_discussed.{g}"));
        l.ratio(
            format!("clinic_cases_to_lift_pct.{g}"),
            format!("Cases discussed at clinics later brought to LIFT: {} (%)", group_label(g)),
            Unit::Percent,
            format!(
                "Cases discussed at {} clinics held in the period that were later brought to LIFT, as a \
                 percentage of all the cases discussed at those clinics.",
                group_label(g)
            ),
            count(move |t| get(&t.c.practices.clinic_cases_to_lift, &g)),
            den,
        );
    }
}

pub(super) fn training(l: &mut List) {
    // Early years is a phase and a phase group alike: `training_courses.bespoke.early_years`
    // is already in the catalogue; the school phases are added here.
    for p in [Phase::Primary, Phase::Secondary, Phase::Post16] {
        l.count(
            format!("training_courses.bespoke.{p}"),
            format!("Bespoke training courses delivered: {}", lower(p.label())),
            OverTerms::Sum,
            format!(
                "Bespoke training courses for the {} phase delivered on a day in the period.",
                lower(p.label())
            ),
            move |t| get(&t.c.training_courses_by_phase, &(TrainingKind::Bespoke, p)),
        );
    }
}

pub(super) fn impact(l: &mut List) {
    l.count(
        "targets_review_overdue",
        "Targets overdue for review",
        OverTerms::AtEnd,
        "Targets in force on the period's last day whose review-by date is before that day with no review \
         of the target (or of its whole case) dated from the review-by date to the period's end.",
        |t| t.c.practices.targets_review_overdue,
    );
}
