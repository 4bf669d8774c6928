//! The relations a reader of a published return could use to work out a hidden cell: the
//! figures that add up, written out by hand from the measures' definitions (not read from the
//! program's own suppression groups, so that the two check each other).

use caseload::domain::{Area, Need};

/// The relations a reader could use: each a set of cells whose sums are equal, per column.
pub fn relations(columns: &[String], need_table: bool) -> Vec<Vec<(String, String)>> {
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
    let additive: Vec<Vec<String>> = vec![
        [vec!["referrals.early_years".to_string()], by_need("early_years")].concat(),
        [
            ["referrals.primary", "referrals.secondary", "referrals.post16"].map(String::from).to_vec(),
            by_need("school"),
        ]
        .concat(),
        ["caseload.school", "caseload.primary", "caseload.secondary", "caseload.post16"]
            .map(String::from)
            .to_vec(),
        [
            "training_courses.total",
            "training_courses.core",
            "training_courses.bespoke",
            "training_courses.parental",
        ]
        .map(String::from)
        .to_vec(),
        ["referred_other_agencies", "referral_outcomes.signposted"].map(String::from).to_vec(),
        [
            "lift_meetings.school",
            "lift_meetings.school.primary",
            "lift_meetings.school.secondary",
            "lift_meetings.school.mixed",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let mut additive = additive;
    for g in ["school", "early_years"] {
        additive.push(
            ["", ".clinic", ".surgery", ".in_setting_review"]
                .iter()
                .map(|f| format!("clinics.{g}{f}"))
                .collect(),
        );
    }
    for k in ["core", "bespoke", "parental"] {
        additive.push(
            ["", ".early_years", ".school"].iter().map(|g| format!("training_courses.{k}{g}")).collect(),
        );
    }
    for p in caseload::domain::Profession::ALL {
        additive.push(
            ["", "school.", "early_years."].iter().map(|g| format!("lift_professionals.{g}{p}")).collect(),
        );
    }
    for column in columns {
        for ids in &additive {
            out.push(ids.iter().map(|id| (id.clone(), column.clone())).collect());
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
        ];
        for d in caseload::kpi::catalogue::defs() {
            if events.iter().any(|e| d.id.starts_with(e)) {
                out.push(columns.iter().map(|c| (d.id.clone(), c.clone())).collect());
            }
        }
    }
    if need_table {
        for a in Area::ALL {
            for code in Need::for_area(*a).map(|n| n.code().to_string()).chain(["none".to_string()]) {
                out.push(
                    ["early_years", "school", "total"]
                        .map(|g| (format!("need:{g}.{a}.{code}"), String::new()))
                        .to_vec(),
                );
            }
        }
        // The table's cells are the return's: a hidden one is worked out from the other.
        for g in ["early_years", "school"] {
            for id in by_need(g) {
                let cell = id.replacen("referrals_by_need.", "need:", 1);
                out.push(vec![(id, String::new()), (cell, String::new())]);
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
