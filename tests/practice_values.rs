//! The measures of the seed's practices (kpis.md, "More measures from the seed's practices"),
//! checked against a small district worked out by hand: `tests/fixtures/practices_district.jsonl`
//! (its header lists each case's status and each target's review on the days that matter). Every
//! expected figure is a literal counted by hand, with its working; nothing re-implements a measure.
//!
//! Periods: term 3 of 2024-01-03..2024-02-18; the year 2023-09-01..2024-08-31. Figures "on the
//! period's last day" are read on 2024-02-18 and 2024-08-31.

use serde_json::Value;
mod common;

const FIXTURE: &str = "tests/fixtures/practices_district.jsonl";
const REASONS: &[&str] = &[
    "senif",
    "specialist_nursery",
    "ehcp_evidence",
    "medical",
    "school_request",
    "transition",
    "other",
    "none_given",
];

/// The fixture imported into a file and a server, exported with the `all` framework in
/// `format`, the two exports found the same (`common::exports`).
fn export(period: &[&str], format: &str) -> String {
    let mut args = vec!["export", "--year", "2023-24"];
    args.extend(period);
    args.extend(["--framework", "all", "--format", format]);
    common::exports::on_both(FIXTURE, &args)
}

/// Mismatches gathered, so that a failure lists every one.
struct Check {
    json: Value,
    period: &'static str,
    failures: Vec<String>,
}

impl Check {
    fn of(period: &'static str, args: &[&str]) -> Check {
        let json = serde_json::from_str(&export(args, "json")).expect("the export is JSON");
        Check { json, period, failures: Vec::new() }
    }

    fn get(&mut self, id: &str, unit: &str) -> Option<Value> {
        let found =
            self.json["measures"].as_array().and_then(|ms| ms.iter().find(|x| x["id"] == id)).cloned();
        match found {
            None => self.failures.push(format!("{} {id}: missing", self.period)),
            Some(x) if x["unit"] != unit => {
                self.failures.push(format!("{} {id}: unit {} not {unit}", self.period, x["unit"]))
            }
            Some(x) => return Some(x),
        }
        None
    }

    fn count(&mut self, id: &str, want: i64) {
        let Some(x) = self.get(id, "count") else { return };
        if x["value"].as_i64() != Some(want) {
            self.failures.push(format!("{} {id}: {} but by hand {want}", self.period, x["value"]));
        }
    }

    fn family(&mut self, prefix: &str, suffixes: &[&str], want: &[i64]) {
        assert_eq!(suffixes.len(), want.len(), "{prefix}: one figure per cell");
        for (s, n) in suffixes.iter().zip(want) {
            self.count(&format!("{prefix}.{s}"), *n);
        }
    }

    fn pct(&mut self, id: &str, want: Option<f64>, num: i64, den: i64) {
        let Some(x) = self.get(id, "percent") else { return };
        let value_ok = match want {
            Some(w) => x["value"].as_f64().is_some_and(|v| (v - w).abs() < 1e-9),
            None => x["value"].is_null(),
        };
        if !value_ok || x["numerator"].as_i64() != Some(num) || x["denominator"].as_i64() != Some(den) {
            self.failures.push(format!(
                "{} {id}: {} ({}/{}) but by hand {want:?} ({num}/{den})",
                self.period, x["value"], x["numerator"], x["denominator"]
            ));
        }
    }

    /// The year's `terms` of a count, T1..T6.
    fn terms(&mut self, id: &str, want: [i64; 6]) {
        let Some(x) = self.get(id, "count") else { return };
        for (i, w) in want.iter().enumerate() {
            let t = format!("T{}", i + 1);
            if x["terms"][&t].as_i64() != Some(*w) {
                self.failures
                    .push(format!("{} {id}: terms.{t} {} but by hand {w}", self.period, x["terms"][&t]));
            }
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} mismatch(es):\n  {}",
            self.failures.len(),
            self.failures.join("\n  ")
        );
    }
}

#[test]
fn term_3_practices_match_the_hand_count() {
    let mut c = Check::of("2023-24 T3", &["--term", "3"]);
    // On 2024-02-18. Early years: K1 (senif, no teacher); K2 is active. School: K3 (ehcp_evidence,
    // its allocation ended 2023-12-31), K6 (no reason, no allocation), K8 (other, no allocation);
    // K4 is active, K5 closed 2024-01-20, K7 not yet opened.
    c.family("open_not_active.early_years", REASONS, &[1, 0, 0, 0, 0, 0, 0, 0]);
    c.family("open_not_active.school", REASONS, &[0, 0, 1, 0, 0, 0, 1, 1]);
    // K1 and K2: early years, SENIF recorded, open in T3.
    c.count("cases_senif", 2);
    // On T3's register: S-A early years; S-C and S-D primary (S-H closed before T3, S-G out of
    // district); S-E secondary; S-F post16 has none.
    c.family("settings_with_link_teacher", &["early_years", "primary", "secondary", "post16"], &[1, 2, 1, 0]);
    // GW1 (S-C, 6) and GW3 (S-G, out of district but primary, 12): school; GW2 (S-A, no count): early years.
    c.family("group_work", &["school", "early_years"], &[2, 1]);
    c.family("group_work_children", &["school", "early_years"], &[18, 0]);
    // CL1: 2 of 5 to LIFT; CL2: 1 of 4.
    c.pct("clinic_cases_to_lift_pct.school", Some(40.0), 2, 5);
    c.pct("clinic_cases_to_lift_pct.early_years", Some(25.0), 1, 4);
    // L2 cancelled; L1 held (the only meeting counted as held).
    c.count("lift_meetings.cancelled", 1);
    c.count("lift_meetings.school", 1);
    c.count("lift_meetings.early_years", 0);
    // G3 (review by 2024-01-31, never reviewed) and G6 (2023-12-01, never); G4 was reviewed with its
    // case on 2024-02-05, after its review-by date; G4B is due 2024-03-01; G5 ended with its case.
    c.count("targets_review_overdue", 2);
    // TR3 early years, TR1 primary, TR2 secondary delivered; TR4 (post16) only booked.
    c.family("training_courses.bespoke", &["early_years", "primary", "secondary", "post16"], &[1, 1, 1, 0]);
    c.count("training_courses.bespoke.school", 2);
    c.count("training_courses.bespoke", 3);
    c.finish();
}

#[test]
fn whole_year_practices_match_the_hand_count() {
    let mut c = Check::of("2023-24", &[]);
    // On 2024-08-31. Early years: K1 (senif), K7 (medical: opened 2024-03-01, a target but no
    // teacher); K2 active. School: K3 (ehcp_evidence), K6 (none given); K8 closed 2024-07-15.
    c.family("open_not_active.early_years", REASONS, &[1, 0, 0, 1, 0, 0, 0, 0]);
    c.family("open_not_active.school", REASONS, &[0, 0, 1, 0, 0, 0, 0, 1]);
    // K8 (opened 2023-09-01, never a teacher) on every term's last day until it closed in T6.
    c.terms("open_not_active.school.other", [1, 1, 1, 1, 1, 0]);
    c.count("cases_senif", 2);
    // On the year's register S-H is too (closed 2023-12-20, after the year began).
    c.family("settings_with_link_teacher", &["early_years", "primary", "secondary", "post16"], &[1, 3, 1, 0]);
    // School: GW5 (T1, 5), GW1 and GW3 (T3, 18); early years: GW2 (T3), GW4 (T5, 4).
    c.family("group_work", &["school", "early_years"], &[3, 2]);
    c.family("group_work_children", &["school", "early_years"], &[23, 4]);
    c.terms("group_work.school", [1, 0, 2, 0, 0, 0]);
    c.terms("group_work.early_years", [0, 0, 1, 0, 1, 0]);
    c.terms("group_work_children.school", [5, 0, 18, 0, 0, 0]);
    // CL1 and CL3: 2 of 6; CL2: 1 of 4.
    c.pct("clinic_cases_to_lift_pct.school", Some(33.3), 2, 6);
    c.pct("clinic_cases_to_lift_pct.early_years", Some(25.0), 1, 4);
    // L2 (T3) and L4 (T5) cancelled; L3 planned for 2024-07-10 is not held; L1 held.
    c.count("lift_meetings.cancelled", 2);
    c.terms("lift_meetings.cancelled", [0, 0, 1, 0, 1, 0]);
    c.count("lift_meetings.school", 1);
    c.count("lift_settings_attending.primary", 1);
    // G3 and G6 still unreviewed; G7 due 2024-06-01, never reviewed; G4B reviewed 2024-03-20.
    // By term: T1 none due; T2 (2024-01-02) G5 (its case still open) and G6; T3 G3 and G6 (G5
    // ended with its case); T4 the same (G4B reviewed in time); T5 and T6 G7 as well.
    c.count("targets_review_overdue", 3);
    c.terms("targets_review_overdue", [0, 2, 2, 2, 3, 3]);
    // TR5 (primary, T6) too.
    c.family("training_courses.bespoke", &["early_years", "primary", "secondary", "post16"], &[1, 2, 1, 0]);
    c.terms("training_courses.bespoke.primary", [0, 0, 1, 0, 0, 1]);
    c.count("training_courses.bespoke.school", 3);
    c.finish();
}

#[test]
fn the_csv_export_carries_the_same_figures() {
    let csv = export(&["--term", "3"], "csv");
    let row = |id: &str| {
        csv.lines()
            .find(|l| l.split(',').nth(5) == Some(id))
            .unwrap_or_else(|| panic!("{id} not in:\n{csv}"))
            .to_string()
    };
    assert!(row("targets_review_overdue").contains(",count,2,"), "{}", row("targets_review_overdue"));
    assert!(
        row("clinic_cases_to_lift_pct.school").contains(",percent,40,2,5,"),
        "{}",
        row("clinic_cases_to_lift_pct.school")
    );
}
