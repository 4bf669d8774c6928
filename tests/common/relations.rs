//! The relations a reader of a published return could use to work out a hidden cell: the
//! figures that add up, written out by hand from the measures' definitions (not read from the
//! program's own suppression groups, so that the two check each other).

use caseload::domain::{Area, Need};

/// A cell: a measure id (or a need-table cell) and its column ("" for the period's own).
pub type Cell = (String, String);

/// The relations a reader could use: each a set of cells whose sums are equal, per column.
pub fn relations(columns: &[String], need_table: bool) -> Vec<Vec<Cell>> {
    equations(columns, need_table).into_iter().map(|(total, parts)| [total, parts].concat()).collect()
}

/// The same relations with their sides: the first cells' sum is the sum of the others.
pub fn equations(columns: &[String], need_table: bool) -> Vec<(Vec<Cell>, Vec<Cell>)> {
    let mut out = Vec::new();
    let by_need = |group: &str| -> Vec<String> {
        Area::ALL
            .iter()
            .flat_map(|a| {
                Need::for_area(*a)
                    .map(|n| n.code().to_string())
                    .chain(["none".to_string()])
                    .map(move |code| format!("referrals_by_need.{group}.{a}.{code}"))
            })
            .collect()
    };
    let ids = |list: &[&str]| -> Vec<String> { list.iter().map(|s| s.to_string()).collect() };
    // (totals, parts)
    let mut additive: Vec<(Vec<String>, Vec<String>)> = vec![
        (ids(&["referrals.early_years"]), by_need("early_years")),
        (ids(&["referrals.primary", "referrals.secondary", "referrals.post16"]), by_need("school")),
        (ids(&["caseload.school"]), ids(&["caseload.primary", "caseload.secondary", "caseload.post16"])),
        (
            ids(&["training_courses.total"]),
            ids(&["training_courses.core", "training_courses.bespoke", "training_courses.parental"]),
        ),
        (ids(&["referred_other_agencies"]), ids(&["referral_outcomes.signposted"])),
        (
            ids(&["lift_meetings.school"]),
            ids(&[
                "lift_meetings.school.primary",
                "lift_meetings.school.secondary",
                "lift_meetings.school.mixed",
            ]),
        ),
    ];
    for g in ["school", "early_years"] {
        additive.push((
            vec![format!("clinics.{g}")],
            [".clinic", ".surgery", ".in_setting_review"].iter().map(|f| format!("clinics.{g}{f}")).collect(),
        ));
    }
    for k in ["core", "bespoke", "parental"] {
        additive.push((
            vec![format!("training_courses.{k}")],
            [".early_years", ".school"].iter().map(|g| format!("training_courses.{k}{g}")).collect(),
        ));
    }
    // Bespoke courses by phase (early years is a phase and a group alike).
    let bespoke = |phases: &[&str]| -> Vec<String> {
        phases.iter().map(|p| format!("training_courses.bespoke.{p}")).collect()
    };
    additive.push((
        ids(&["training_courses.bespoke"]),
        bespoke(&["early_years", "primary", "secondary", "post16"]),
    ));
    additive.push((ids(&["training_courses.bespoke.school"]), bespoke(&["primary", "secondary", "post16"])));
    for p in caseload::domain::Profession::ALL {
        additive.push((
            vec![format!("lift_professionals.{p}")],
            ["school.", "early_years."].iter().map(|g| format!("lift_professionals.{g}{p}")).collect(),
        ));
    }
    let at = |list: &[String], column: &String| -> Vec<Cell> {
        list.iter().map(|id| (id.clone(), column.clone())).collect()
    };
    for column in columns {
        for (total, parts) in &additive {
            out.push((at(total, column), at(parts, column)));
        }
    }
    // A period of several terms: an event count is the sum of its terms' counts.
    if columns.len() > 1 {
        let events = [
            "referrals.",
            "referrals_by_need.",
            "referral_outcomes.",
            "referred_other_agencies",
            "lift_meetings.",
            "lift_children_discussed.",
            "lift_professionals.",
            "clinics.",
            "clinic_cases_discussed.",
            "training_courses.",
            "transition_events.",
            "cases_opened",
            "cases_closed",
            "visits.",
            "group_work.",
            "group_work_children.",
        ];
        for d in caseload::kpi::catalogue::defs() {
            if events.iter().any(|e| d.id.starts_with(e)) {
                let terms = columns[1..].iter().map(|c| (d.id.clone(), c.clone())).collect();
                out.push((vec![(d.id.clone(), columns[0].clone())], terms));
            }
        }
    }
    if need_table {
        for a in Area::ALL {
            for code in Need::for_area(*a).map(|n| n.code().to_string()).chain(["none".to_string()]) {
                let cell = |g: &str| (format!("need:{g}.{a}.{code}"), String::new());
                out.push((vec![cell("total")], vec![cell("early_years"), cell("school")]));
            }
        }
        // The table's cells are the return's: a hidden one is worked out from the other.
        for g in ["early_years", "school"] {
            for id in by_need(g) {
                let cell = id.replacen("referrals_by_need.", "need:", 1);
                out.push((vec![(id, String::new())], vec![(cell, String::new())]));
            }
        }
    }
    out
}

/// The ratios and the counts they are built on (numerator, denominator).
pub fn ratio_counts() -> Vec<(String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    for p in ["early_years", "primary", "secondary", "post16"] {
        out.push((format!("settings_supported_pct.{p}"), Some(format!("settings_supported.{p}")), None));
        out.push((
            format!("lift_settings_attending_pct.{p}"),
            Some(format!("lift_settings_attending.{p}")),
            None,
        ));
    }
    for g in ["school", "early_years"] {
        out.push((
            format!("lift_children_discussed_avg.{g}"),
            Some(format!("lift_children_discussed.{g}")),
            Some(format!("lift_meetings.{g}")),
        ));
    }
    out.push(("closed_targets_achieved_pct".into(), None, Some("cases_closed".into())));
    out
}
