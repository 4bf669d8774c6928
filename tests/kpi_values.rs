//! A hand-worked oracle for the termly KPI return (docs/returns.md).
//!
//! `tests/fixtures/kpi_district.jsonl` is a small district built by hand (its header comment lists the
//! cases, their allocations and targets). Every expected figure below was counted by hand from that file
//! and is written as a literal with its working; nothing here re-implements a measure.
//!
//! Readings of the spec used throughout:
//! - P = [start, end], both days included; a case is open during P when opened <= end and (no closed or
//!   closed >= start); allocations, targets and posts are in force likewise.
//! - Actively supported = the SAME case is open, has an allocation in force and a target in force in P.
//! - A setting is on the register in P when in district and not closed before P's start.
//! - Terms of 2023-24: T1 09-01..10-29, T2 10-30..01-02, T3 01-03..02-18, T4 02-19..04-14,
//!   T5 04-15..06-02, T6 06-03..08-31. Year = 2023-09-01..2024-08-31.
//!
//! Register of in-district settings:
//!   T3, T6 (S-IVY closed 2023-12-20 is off): early_years 4 (ACORN, BLUEBELL, CLOVER, DAISY);
//!     primary 5 (ELM, FERN, GORSE, HOLLY, JUNIPER); secondary 3 (KINGSWAY, LARCH, OAKWOOD); post16 0.
//!   Year (IVY closed after the year's start, so on it): early_years 4; primary 6; secondary 3; post16 0.
//!   Out of district: S-MAPLE (primary), S-NENE (post16, closed 2023-12-31).
//!
//! Each test gathers every mismatch and fails once with the full list, each line naming the period and
//! the measure id.

use serde_json::Value;
use std::collections::BTreeSet;
mod common;

const FIXTURE: &str = "tests/fixtures/kpi_district.jsonl";
const TOL: f64 = 1e-9;

/// Suffixes of the added measures' families, in catalogue order.
const PHASES: &[&str] = &["early_years", "primary", "secondary", "post16"];
const GROUPS: &[&str] = &["early_years", "school"];
const FOCUSES: &[&str] = &["primary", "secondary", "mixed"];
const FORMATS: &[&str] = &["clinic", "surgery", "in_setting_review"];
const PROFESSIONS: &[&str] = &[
    "stls_lead",
    "specialist_teacher",
    "educational_psychologist",
    "senif_practitioner",
    "early_help",
    "speech_language",
    "camhs",
    "health",
    "social_care",
    "other",
];

/// Imports the fixture into a fresh database and exports the `all` framework as JSON.
/// `term` is `Some("3")` for a term, `None` for the whole year. Returns stdout and its parse.
fn export(term: Option<&str>) -> (String, Value) {
    match term {
        Some(t) => export_with(&["--term", t]),
        None => export_with(&[]),
    }
}

/// As `export`, with the period's options given (`--terms 3-4`): the fixture imported into a
/// file and a server, and both exports found the same (`common::exports`).
fn export_with(period: &[&str]) -> (String, Value) {
    let mut args = vec!["export", "--year", "2023-24"];
    args.extend(period);
    args.extend(["--framework", "all", "--format", "json"]);
    let text = common::exports::on_both(FIXTURE, &args);
    let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "export {args:?} is not JSON ({e}):
{text}"
        )
    });
    (text, json)
}

fn find<'a>(json: &'a Value, id: &str) -> Option<&'a Value> {
    json["measures"].as_array()?.iter().find(|x| x["id"] == id)
}

/// The measure with this id; panics naming the id when it is missing.
fn m<'a>(json: &'a Value, id: &str) -> &'a Value {
    find(json, id).unwrap_or_else(|| panic!("measure {id} is missing from the export"))
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < TOL)
}

/// Collects mismatches for one export so that a failure lists all of them at once.
struct Check<'a> {
    json: &'a Value,
    period: &'static str,
    failures: Vec<String>,
    asserted: BTreeSet<String>,
}

impl<'a> Check<'a> {
    fn new(json: &'a Value, period: &'static str) -> Self {
        let mut c = Check { json, period, failures: Vec::new(), asserted: BTreeSet::new() };
        let ms = json["measures"].as_array();
        if ms.is_none() {
            c.failures.push(format!("{period}: no \"measures\" array"));
        }
        // Measure ids appear once each.
        let mut seen = BTreeSet::new();
        for x in ms.into_iter().flatten() {
            let id = x["id"].as_str().unwrap_or("<no id>").to_string();
            if !seen.insert(id.clone()) {
                c.failures.push(format!("{period} {id}: appears more than once"));
            }
        }
        c
    }

    fn fail(&mut self, id: &str, what: String) {
        self.failures.push(format!("{} {id}: {what}", self.period));
    }

    fn header(&mut self, field: &str, got: &Value, want: &str) {
        if got != want {
            self.fail(field, format!("is {got}, expected \"{want}\""));
        }
    }

    fn measure(&mut self, id: &str, unit: &str) -> Option<&'a Value> {
        self.asserted.insert(id.to_string());
        match find(self.json, id) {
            None => {
                self.fail(id, "missing from the export".into());
                None
            }
            Some(x) => {
                if x["unit"] != unit {
                    self.fail(id, format!("unit is {}, expected \"{unit}\"", x["unit"]));
                }
                Some(x)
            }
        }
    }

    /// A plain count: an integer value; numerator and denominator null.
    fn count(&mut self, id: &str, want: i64) {
        let Some(x) = self.measure(id, "count") else { return };
        if x["value"].as_i64() != Some(want) {
            self.fail(id, format!("value {} but hand count is {want}", x["value"]));
        }
        if !x["numerator"].is_null() || !x["denominator"].is_null() {
            self.fail(
                id,
                format!(
                    "a count should have null numerator/denominator, got {}/{}",
                    x["numerator"], x["denominator"]
                ),
            );
        }
    }

    fn ratio(&mut self, id: &str, unit: &str, want: Option<f64>, num: i64, den: i64) {
        let Some(x) = self.measure(id, unit) else { return };
        let ok = match want {
            None => x["value"].is_null(),
            Some(w) => close(&x["value"], w),
        };
        if !ok {
            self.fail(id, format!("value {} but hand value is {want:?} ({num}/{den})", x["value"]));
        }
        if x["numerator"].as_i64() != Some(num) {
            self.fail(id, format!("numerator {} but hand numerator is {num}", x["numerator"]));
        }
        if x["denominator"].as_i64() != Some(den) {
            self.fail(id, format!("denominator {} but hand denominator is {den}", x["denominator"]));
        }
    }

    /// A percentage: `None` when the denominator is 0.
    fn pct(&mut self, id: &str, want: Option<f64>, num: i64, den: i64) {
        self.ratio(id, "percent", want, num, den);
    }

    fn avg(&mut self, id: &str, want: Option<f64>, num: i64, den: i64) {
        self.ratio(id, "average", want, num, den);
    }

    /// An average per full-time teacher: a count over an FTE.
    fn per_fte(&mut self, id: &str, want: Option<f64>, num: i64, fte: f64) {
        let Some(x) = self.measure(id, "average") else { return };
        let ok = match want {
            None => x["value"].is_null(),
            Some(w) => close(&x["value"], w),
        };
        if !ok {
            self.fail(id, format!("value {} but hand value is {want:?} ({num}/{fte})", x["value"]));
        }
        if x["numerator"].as_i64() != Some(num) || !close(&x["denominator"], fte) {
            self.fail(id, format!("parts {}/{} but by hand {num}/{fte}", x["numerator"], x["denominator"]));
        }
    }

    /// The counts of a family, `prefix.suffix` for each suffix, in order.
    fn family(&mut self, prefix: &str, suffixes: &[&str], want: &[i64]) {
        assert_eq!(suffixes.len(), want.len(), "{prefix}: one figure per cell");
        for (suffix, n) in suffixes.iter().zip(want) {
            self.count(&format!("{prefix}.{suffix}"), *n);
        }
    }

    /// A monitoring period's `terms` of a count.
    fn two_terms(&mut self, id: &str, terms: [&str; 2], want: [i64; 2]) {
        let Some(x) = find(self.json, id) else { return };
        for (t, w) in terms.iter().zip(want) {
            if x["terms"][*t].as_i64() != Some(w) {
                self.fail(id, format!("terms.{t} is {} but hand count is {w}", x["terms"][*t]));
            }
        }
    }

    fn fte(&mut self, id: &str, want: f64) {
        let Some(x) = self.measure(id, "fte") else { return };
        if !close(&x["value"], want) {
            self.fail(id, format!("value {} but hand FTE is {want}", x["value"]));
        }
    }

    /// The non-zero cells of `referrals_by_need.*`; any other cell listed is a failure.
    fn need_cells(&mut self, cells: &[(&str, i64)]) {
        for (id, n) in cells {
            self.count(id, *n);
        }
        let wanted: BTreeSet<&str> = cells.iter().map(|(id, _)| *id).collect();
        let extra: Vec<String> = self.json["measures"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["id"].as_str())
            .filter(|id| id.starts_with("referrals_by_need.") && !wanted.contains(id))
            .map(str::to_string)
            .collect();
        for id in extra {
            self.fail(&id, "listed, but by hand this cell is 0 (only non-zero cells are listed)".into());
        }
    }

    /// Whole-year exports: `terms` values T1..T6 of a count.
    fn terms_count(&mut self, id: &str, want: [i64; 6]) {
        let Some(x) = find(self.json, id) else { return };
        for (i, w) in want.iter().enumerate() {
            let t = format!("T{}", i + 1);
            if x["terms"][&t].as_i64() != Some(*w) {
                self.fail(id, format!("terms.{t} is {} but hand count is {w}", x["terms"][&t]));
            }
        }
    }

    /// Whole-year exports: `terms` values T1..T6 of a percentage, average or FTE (None = null).
    fn terms_f64(&mut self, id: &str, want: [Option<f64>; 6]) {
        let Some(x) = find(self.json, id) else { return };
        for (i, w) in want.iter().enumerate() {
            let t = format!("T{}", i + 1);
            let got = &x["terms"][&t];
            let ok = match w {
                None => got.is_null(),
                Some(w) => close(got, *w),
            };
            if !ok {
                self.fail(id, format!("terms.{t} is {got} but hand value is {w:?}"));
            }
        }
    }

    /// Every id in the export must have been asserted (or be one of the allowed manual ids).
    fn no_unexpected_ids(&mut self, manual: &[&str]) {
        let ids: Vec<String> = self.json["measures"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| x["id"].as_str())
            .map(str::to_string)
            .collect();
        for id in ids {
            // Extra referrals_by_need cells are reported by need_cells.
            let cell = id.starts_with("referrals_by_need.");
            if !cell && !self.asserted.contains(&id) && !manual.contains(&id.as_str()) {
                self.fail(&id, "not a catalogue id of kpis.md (or a non-zero cell) expected here".into());
            }
        }
    }

    fn finish(self) {
        if !self.failures.is_empty() {
            panic!(
                "{} mismatch(es) in the {} export:\n  {}",
                self.failures.len(),
                self.period,
                self.failures.join("\n  ")
            );
        }
    }
}

/// Privacy (domain.md, kpis.md): no child's name or date of birth, no record key.
fn assert_private(text: &str, period: &str) {
    let fixture =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kpi_district.jsonl"))
            .expect("fixture readable");
    let mut leaks = Vec::new();
    for line in fixture.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")) {
        let record: Value = serde_json::from_str(line).expect("fixture line is JSON");
        for field in ["key", "first_name", "last_name", "dob"] {
            if let Some(s) = record[field].as_str()
                && text.contains(s)
            {
                leaks.push(format!("{field} {s:?}"));
            }
        }
    }
    assert!(leaks.is_empty(), "{period} export leaks personal data or record keys: {leaks:?}");
}

/// The measures of the seed's practices, for this district that records none of them (its
/// cases give no reason for staying open, no target has a review-by date, no setting a link
/// teacher): what the records do give, counted by hand for each period. The practices
/// themselves are checked on their own district in tests/practice_values.rs.
fn practices_unrecorded(c: &mut Check<'_>, none_given: [i64; 2], bespoke: [i64; 3], clinic_cases: [i64; 2]) {
    const REASONS: &[&str] =
        &["senif", "specialist_nursery", "ehcp_evidence", "medical", "school_request", "transition", "other"];
    for (g, n) in ["early_years", "school"].iter().zip(none_given) {
        for r in REASONS {
            c.count(&format!("open_not_active.{g}.{r}"), 0);
        }
        c.count(&format!("open_not_active.{g}.none_given"), n);
    }
    c.count("cases_senif", 0);
    c.family("settings_with_link_teacher", PHASES, &[0, 0, 0, 0]);
    c.family("group_work", GROUPS, &[0, 0]);
    c.family("group_work_children", GROUPS, &[0, 0]);
    for (g, den) in ["school", "early_years"].iter().zip(clinic_cases) {
        let want = if den == 0 { None } else { Some(0.0) };
        c.pct(&format!("clinic_cases_to_lift_pct.{g}"), want, 0, den);
    }
    c.count("lift_meetings.cancelled", 0);
    c.count("targets_review_overdue", 0);
    c.family("training_courses.bespoke", &["primary", "secondary", "post16"], &bespoke);
}

#[test]
fn term_3_return_matches_the_hand_count() {
    let (text, json) = export(Some("3"));
    assert_private(&text, "2023-24 T3");
    let mut c = Check::new(&json, "2023-24 T3");
    c.header("academic_year", &json["academic_year"], "2023-24");
    c.header("framework", &json["framework"], "all");
    c.header("district", &json["district"], "Testshire Vale");
    c.header("period.start", &json["period"]["start"], "2024-01-03");
    c.header("period.end", &json["period"]["end"], "2024-02-18");

    // ---- Settings supported (register: EY 4, primary 5, secondary 3, post16 0; IVY closed 2023-12-20).
    // EY: ACORN (REF-PEREGRINE 01-15, L-E1, K-AURELIA-EY), BLUEBELL (REF-BARTHOLOMEW, L-E1, K-BARTHOLOMEW
    // opened 02-18), CLOVER (CL-T3-EY, TN-CLOVER, K-LEOPOLD); not DAISY (its AET course is in June).
    c.count("settings_supported.early_years", 3);
    // Primary: ELM (L-S1, TR-CORE-T3, K-CALLIOPE closed 01-03), FERN (REF-DASHIELL, L-S1, L-S2, cases),
    // GORSE (L-S2, K-ELOWEN); not HOLLY (K-FENWICK opens 02-28), not JUNIPER; IVY is off the register.
    c.count("settings_supported.primary", 3);
    // Secondary: KINGSWAY (L-S1, REF-GUINEVERE, K-OTTOLINE), LARCH (CL-T3-SCH, TR-AET-T3, K-HAMISH).
    c.count("settings_supported.secondary", 2);
    c.count("settings_supported.post16", 0); // no post16 setting in district
    c.pct("settings_supported_pct.early_years", Some(75.0), 3, 4);
    c.pct("settings_supported_pct.primary", Some(60.0), 3, 5);
    c.pct("settings_supported_pct.secondary", Some(66.7), 2, 3); // 66.666.. -> 66.7
    c.pct("settings_supported_pct.post16", None, 0, 0); // denominator 0 -> null
    // MAPLE (REF-KESTRELLA, L-S1, TR-CORE-T3, K-KESTRELLA); NENE (closed 2023-12-31, but K-JOLYON open to 03-08).
    c.count("settings_supported.out_of_district", 2);

    // ---- Caseload. Open in T3 (11 cases, 10 children): AURELIA-EY, BARTHOLOMEW (opened 02-18, last day),
    // CALLIOPE (closed 01-03, first day), DASHIELL-1, DASHIELL-2, ELOWEN, HAMISH, JOLYON, KESTRELLA,
    // LEOPOLD, OTTOLINE.
    // School: Calliope, Dashiell (two cases, once), Elowen, Hamish, Jolyon, Kestrella, Ottoline = 7.
    c.count("caseload.school", 7);
    // Early years: Aurelia, Bartholomew, Leopold = 3.
    c.count("caseload.early_years", 3);
    c.count("caseload.primary", 4); // Calliope, Dashiell, Elowen, Kestrella
    c.count("caseload.secondary", 2); // Hamish, Ottoline
    c.count("caseload.post16", 1); // Jolyon
    // Active (same case: allocation and target in force in T3): AURELIA-EY, CALLIOPE (both run to the
    // closing day 01-03), DASHIELL-1, DASHIELL-2, HAMISH, KESTRELLA, LEOPOLD (target to 01-31), OTTOLINE.
    // Not: BARTHOLOMEW (allocation from 02-19), ELOWEN (allocation ended 2023-12-31), JOLYON (no target).
    c.count("active.school", 5); // Calliope, Dashiell, Hamish, Kestrella, Ottoline
    c.count("active.early_years", 2); // Aurelia, Leopold
    c.count("active_by_area.communication_interaction", 2); // AURELIA-EY, HAMISH
    c.count("active_by_area.cognition_learning", 1); // DASHIELL-1
    c.count("active_by_area.semh", 3); // CALLIOPE, DASHIELL-2, KESTRELLA
    c.count("active_by_area.sensory_physical", 2); // LEOPOLD, OTTOLINE
    c.count("cases_opened", 3); // KESTRELLA 01-12, DASHIELL-2 02-09, BARTHOLOMEW 02-18
    c.count("cases_closed", 2); // CALLIOPE 01-03, DASHIELL-1 01-20
    // Still open after 02-18 and opened before 2023-08-18: ELOWEN (2023-03-01), LEOPOLD (2023-05-10).
    // CALLIOPE (opened 2023-06-12) is closed by 02-18, so not counted.
    c.count("cases_open_over_six_months", 2);
    c.count("outreach_cases", 2); // ELOWEN, KESTRELLA (MIRABEL-1 closed 2023-11-30)

    // ---- LIFT: L-S1 (01-11, school), L-E1 (01-18, early years), L-S2 (02-08, school).
    c.count("lift_meetings.school", 2);
    c.count("lift_meetings.early_years", 1);
    c.count("lift_settings_attending.early_years", 2); // ACORN, BLUEBELL
    c.count("lift_settings_attending.primary", 3); // ELM, FERN, GORSE (MAPLE is out of district)
    c.count("lift_settings_attending.secondary", 1); // KINGSWAY
    c.count("lift_settings_attending.post16", 0);
    c.pct("lift_settings_attending_pct.early_years", Some(50.0), 2, 4);
    c.pct("lift_settings_attending_pct.primary", Some(60.0), 3, 5);
    c.pct("lift_settings_attending_pct.secondary", Some(33.3), 1, 3);
    c.pct("lift_settings_attending_pct.post16", None, 0, 0);
    // School: L-S1 REF-QUILLON-1 (received 2023-12-18, T2 - the LIFT date decides), REF-KESTRELLA;
    // L-S2 REF-DASHIELL, REF-NATHANIEL-1, REF-GUINEVERE = 5. Early years: L-E1 REF-BARTHOLOMEW, REF-PEREGRINE.
    c.count("lift_children_discussed.school", 5);
    c.count("lift_children_discussed.early_years", 2);
    c.avg("lift_children_discussed_avg.school", Some(2.5), 5, 2);
    c.avg("lift_children_discussed_avg.early_years", Some(2.0), 2, 1);
    // L-S1 {stls_lead 1, specialist_teacher 2, EP 1, camhs 1} + L-E1 {specialist_teacher 1, senif 1,
    // speech_language 1, early_help 1} + L-S2 {stls_lead 1, specialist_teacher 1, EP 1, social_care 1}.
    c.count("lift_professionals.stls_lead", 2);
    c.count("lift_professionals.specialist_teacher", 4);
    c.count("lift_professionals.educational_psychologist", 2);
    c.count("lift_professionals.senif_practitioner", 1);
    c.count("lift_professionals.early_help", 1);
    c.count("lift_professionals.speech_language", 1);
    c.count("lift_professionals.camhs", 1);
    c.count("lift_professionals.health", 0);
    c.count("lift_professionals.social_care", 1);
    c.count("lift_professionals.other", 0);

    // ---- Referrals received 01-03..02-18: KESTRELLA (primary semh OTH allocated), BARTHOLOMEW (EY CI ASD
    // allocated), PEREGRINE (EY CI no need, advice), DASHIELL (primary semh no need, allocated),
    // NATHANIEL-1 (primary semh SEMH signposted), GUINEVERE (secondary semh SEMH, no outcome).
    c.count("referrals.early_years", 2);
    c.count("referrals.primary", 3);
    c.count("referrals.secondary", 1);
    c.count("referrals.post16", 0);
    c.need_cells(&[
        ("referrals_by_need.early_years.communication_interaction.ASD", 1), // BARTHOLOMEW
        ("referrals_by_need.early_years.communication_interaction.none", 1), // PEREGRINE
        ("referrals_by_need.school.semh.OTH", 1),                           // KESTRELLA
        ("referrals_by_need.school.semh.none", 1),                          // DASHIELL
        ("referrals_by_need.school.semh.SEMH", 2),                          // NATHANIEL-1, GUINEVERE
    ]);
    c.count("referral_outcomes.allocated", 3); // KESTRELLA, BARTHOLOMEW, DASHIELL
    c.count("referral_outcomes.advice", 1); // PEREGRINE
    c.count("referral_outcomes.signposted", 1); // NATHANIEL-1
    c.count("referral_outcomes.deferred", 0); // QUILLON-1 was received in T2
    c.count("referral_outcomes.withdrawn", 0);
    c.count("referred_other_agencies", 1); // = signposted

    // ---- Clinics: CL-T3-SCH (01-24, semh 2 + cog 1), CL-T3-EY (02-07, CI 3 + semh 1).
    c.count("clinics.school", 1);
    c.count("clinics.early_years", 1);
    c.count("clinic_cases_discussed.school", 3);
    c.count("clinic_cases_discussed.early_years", 4);

    // ---- Transition: TN-CLOVER (02-14, 2 events).
    c.count("transition_settings.school", 0);
    c.count("transition_settings.early_years", 1);
    c.count("transition_events.school", 0);
    c.count("transition_events.early_years", 2);

    // ---- Training delivered in T3: TR-CORE-T3 core [ELM, MAPLE], TR-AET-T3 bespoke [LARCH],
    // TR-PAR-T3 parental [].
    c.count("training_courses.core", 1);
    c.count("training_courses.bespoke", 1);
    c.count("training_courses.parental", 1);
    c.count("training_courses.total", 3);
    c.count("training_settings.early_years", 0);
    c.count("training_settings.primary", 2); // ELM, MAPLE (any district)
    c.count("training_settings.secondary", 1); // LARCH
    c.count("training_settings.post16", 0);
    // ---- Added measures (kpis.md, "More measures"). Focus: L-S1 primary, L-S2 secondary.
    c.family("lift_meetings.school", FOCUSES, &[1, 1, 0]);
    // By kind of meeting: L-S1 + L-S2 (school), L-E1 (early years), as in lift_professionals above.
    c.family("lift_professionals.school", PROFESSIONS, &[2, 3, 2, 0, 0, 0, 1, 0, 1, 0]);
    c.family("lift_professionals.early_years", PROFESSIONS, &[0, 1, 0, 1, 1, 1, 0, 0, 0, 0]);
    // Received in T3 and linked to a meeting: BARTHOLOMEW, PEREGRINE (EY); KESTRELLA, DASHIELL,
    // NATHANIEL-1 (primary); GUINEVERE (secondary). QUILLON-1 was received in T2.
    c.family("lift_referrals", PHASES, &[2, 3, 1, 0]);
    // CL-T3-EY [CLOVER] (surgery), CL-T3-SCH [LARCH] (clinic).
    c.family("clinic_settings", PHASES, &[1, 0, 1, 0]);
    c.family("clinics.school", FORMATS, &[1, 0, 0]);
    c.family("clinics.early_years", FORMATS, &[0, 1, 0]);
    // TR-CORE-T3 core primary, TR-AET-T3 bespoke secondary, TR-PAR-T3 parental early years.
    c.family("training_courses.core", GROUPS, &[0, 1]);
    c.family("training_courses.bespoke", GROUPS, &[0, 1]);
    c.family("training_courses.parental", GROUPS, &[1, 0]);
    c.count("training_courses.cancelled", 1); // TR-CANC-T3
    c.family("training_settings.core", PHASES, &[0, 2, 0, 0]); // ELM, MAPLE (TR-CORE-T3)
    // Teacher posts on 02-18: LEAD 1.0 + SEMH 0.8 + COG 0.6 + CI 1.0 + EY 0.5 = 3.9 FTE.
    c.per_fte("caseload_per_teacher_fte.school", Some(1.8), 7, 3.9); // 1.79..
    c.per_fte("caseload_per_teacher_fte.early_years", Some(0.8), 3, 3.9); // 0.77..
    // AET delivered 2023-09-01..2024-02-18 by course phase: TR-AET-T1 (primary), TR-AET-T3 (secondary).
    c.count("aet_sessions.completed.school_age", 2);
    c.count("aet_sessions.completed.early_years", 0);
    c.count("aet_sessions.completed.post16", 0);
    // AET delivered or booked anywhere in 2023-24: AET-T1, AET-T3, AET-BOOK (school age); AET-T6 (EY);
    // AET-T4 (post16). Not AET-CANC (cancelled), not AET-2223 (2022-23).
    c.count("aet_sessions.booked.school_age", 3);
    c.count("aet_sessions.booked.early_years", 1);
    c.count("aet_sessions.booked.post16", 1);
    // School age on register = 5 primary + 3 secondary = 8; trained by a delivered AET session on or
    // before 02-18 (any year): FERN (AET-2223, 2022-23), ELM (AET-T1), LARCH (AET-T3) = 3 -> 37.5.
    // IVY was trained in 2022-23 but is off the register.
    c.pct("aet_settings_trained_pct.school_age", Some(37.5), 3, 8);
    c.pct("aet_settings_trained_pct.early_years", Some(0.0), 0, 4); // AET-T6 is after T3
    c.pct("aet_settings_trained_pct.post16", None, 0, 0);

    // ---- Visits 01-03..02-18: X-DASHIELL-1 (cog), X-KESTRELLA-1 (semh), X-AURELIA (CI), X-HAMISH (CI, 02-18).
    c.count("visits.communication_interaction", 2);
    c.count("visits.cognition_learning", 1);
    c.count("visits.semh", 1);
    c.count("visits.sensory_physical", 0);

    // ---- Impact. Children on caseload 10; with a review in T3: Dashiell (V-DASHIELL-1 on the closing
    // day 01-20, V-DASHIELL-2), Aurelia (V-AURELIA-EY), Hamish (V-HAMISH) = 3.
    c.pct("targets_reviewed_pct", Some(30.0), 3, 10);
    // School-phase cases reviewed in T3: DASHIELL-1 (achieved), DASHIELL-2 (amended), HAMISH (unchanged).
    c.pct("targets_amended_pct", Some(33.3), 1, 3);
    // Closed in T3: CALLIOPE (setting_meeting_need), DASHIELL-1 (targets_achieved).
    c.pct("closed_targets_achieved_pct", Some(50.0), 1, 2);

    // ---- Staff on 2024-02-18: LEAD 1.0 + SEMH 0.8 + COG 0.6 + CI 1.0 + EY 0.5 + ADM 0.7 + OTH 0.2 = 4.8
    // (T-SP starts 02-19; vacant posts excluded).
    c.fte("staff_fte.total", 4.8);
    c.fte("staff_fte.teachers.communication_interaction", 1.5); // CI 1.0 + EY 0.5
    c.fte("staff_fte.teachers.cognition_learning", 0.6); // COG
    c.fte("staff_fte.teachers.semh", 1.8); // LEAD 1.0 + SEMH 0.8
    c.fte("staff_fte.teachers.sensory_physical", 0.0); // T-SP not yet in post
    c.fte("staff_fte.vacant", 0.5); // T-VAC1 2023-09-01..2024-03-31

    // ---- The manual measure recorded for 2023-24 T3.
    if let Some(x) = find(&json, "survey.satisfaction_pct") {
        if !close(&x["value"], 92.0) {
            c.fail(
                "survey.satisfaction_pct",
                format!("value {} but the recorded manual value is 92", x["value"]),
            );
        }
    } else {
        c.fail(
            "survey.satisfaction_pct",
            "manual measure recorded for T3 is missing from the all export".into(),
        );
    }
    // On 2024-02-18 (the case table): early years K-BARTHOLOMEW (its allocation starts 02-19) and
    // K-LEOPOLD (its first target ended 01-31); school K-ELOWEN (allocation ended 2023-12-31) and
    // K-JOLYON (no target ever). TR-AET-T3 is the term's bespoke course (secondary).
    practices_unrecorded(&mut c, [2, 2], [0, 1, 0], [3, 4]);
    c.no_unexpected_ids(&["survey.satisfaction_pct"]);
    c.finish();
}

#[test]
fn term_6_return_matches_the_hand_count() {
    let (text, json) = export(Some("6"));
    assert_private(&text, "2023-24 T6");
    let mut c = Check::new(&json, "2023-24 T6");
    c.header("academic_year", &json["academic_year"], "2023-24");
    c.header("framework", &json["framework"], "all");
    c.header("period.start", &json["period"]["start"], "2024-06-03");
    c.header("period.end", &json["period"]["end"], "2024-08-31");

    // ---- Settings supported (register as in T3: EY 4, primary 5, secondary 3, post16 0).
    // EY: ACORN (TR-AET-T6, TN-ACORN, K-AURELIA-EY), BLUEBELL (K-BARTHOLOMEW), CLOVER (REF-ROSAMUND, L-E2,
    // K-LEOPOLD), DAISY (TR-AET-T6) = 4.
    c.count("settings_supported.early_years", 4);
    // Primary: ELM (TN-ELM-1/2), FERN (REF-NATHANIEL-2, L-S3, cases), GORSE (REF-QUILLON-2, CL-T6-SCH,
    // K-AURELIA-PR, K-ELOWEN), HOLLY (K-FENWICK) = 4; not JUNIPER.
    c.count("settings_supported.primary", 4);
    // Secondary: KINGSWAY (K-GUINEVERE, K-OTTOLINE), LARCH (REF-HAMISH-2, L-S3, K-HAMISH to 06-03) = 2;
    // not OAKWOOD (its only course, TR-AET-CANC, was cancelled).
    c.count("settings_supported.secondary", 2);
    c.count("settings_supported.post16", 0);
    c.pct("settings_supported_pct.early_years", Some(100.0), 4, 4);
    c.pct("settings_supported_pct.primary", Some(80.0), 4, 5);
    c.pct("settings_supported_pct.secondary", Some(66.7), 2, 3);
    c.pct("settings_supported_pct.post16", None, 0, 0);
    c.count("settings_supported.out_of_district", 1); // MAPLE (L-S3, TN-MAPLE, K-KESTRELLA); NENE nothing

    // ---- Caseload. Open in T6 (13 cases, 12 children): AURELIA-EY (..07-19), AURELIA-PR (07-22..),
    // BARTHOLOMEW, DASHIELL-2, ELOWEN, FENWICK, GUINEVERE, HAMISH (closed 06-03, first day), KESTRELLA,
    // LEOPOLD, MIRABEL-2, NATHANIEL, OTTOLINE (closed 08-31, last day).
    // School: Aurelia (primary case), Dashiell, Elowen, Fenwick, Guinevere, Hamish, Kestrella, Mirabel,
    // Nathaniel, Ottoline = 10. Early years: Aurelia (EY case), Bartholomew, Leopold = 3.
    c.count("caseload.school", 10);
    c.count("caseload.early_years", 3);
    c.count("caseload.primary", 7); // Aurelia, Dashiell, Elowen, Fenwick, Kestrella, Mirabel, Nathaniel
    c.count("caseload.secondary", 3); // Guinevere, Hamish, Ottoline
    c.count("caseload.post16", 0);
    // Active: BARTHOLOMEW, DASHIELL-2, FENWICK, HAMISH (allocation/target end with the case on 06-03),
    // KESTRELLA, LEOPOLD (G-LEOPOLD-2 from 07-01), MIRABEL-2 (allocation to 07-31), NATHANIEL.
    // Not: AURELIA-EY (allocation but target ended 05-24), AURELIA-PR (target but no allocation) - so
    // Aurelia is not active; ELOWEN, GUINEVERE, OTTOLINE (allocations ended 2023-12-31 / 05-31 / 05-31).
    c.count("active.school", 6); // Dashiell, Fenwick, Hamish, Kestrella, Mirabel, Nathaniel
    c.count("active.early_years", 2); // Bartholomew, Leopold
    c.count("active_by_area.communication_interaction", 2); // BARTHOLOMEW, HAMISH
    c.count("active_by_area.cognition_learning", 1); // MIRABEL-2
    c.count("active_by_area.semh", 3); // DASHIELL-2, KESTRELLA, NATHANIEL
    c.count("active_by_area.sensory_physical", 2); // FENWICK, LEOPOLD
    c.count("cases_opened", 2); // NATHANIEL 06-10, AURELIA-PR 07-22
    c.count("cases_closed", 3); // HAMISH 06-03, AURELIA-EY 07-19, OTTOLINE 08-31
    // Cut-off 2024-08-31 minus six months = 2024-02-29. Still open after 08-31 and opened before 02-29:
    // BARTHOLOMEW (02-18), DASHIELL-2 (02-09), ELOWEN (2023), FENWICK (02-28), KESTRELLA (01-12),
    // LEOPOLD (2023) = 6. Not GUINEVERE (opened 02-29), MIRABEL-2, NATHANIEL, AURELIA-PR;
    // not OTTOLINE (closed on 08-31, not after it).
    c.count("cases_open_over_six_months", 6);
    c.count("outreach_cases", 2); // ELOWEN, KESTRELLA

    // ---- LIFT: L-S3 (06-06, school) [FERN, LARCH, MAPLE]; L-E2 (06-13, early years) [CLOVER].
    c.count("lift_meetings.school", 1);
    c.count("lift_meetings.early_years", 1);
    c.count("lift_settings_attending.early_years", 1); // CLOVER
    c.count("lift_settings_attending.primary", 1); // FERN (MAPLE out of district)
    c.count("lift_settings_attending.secondary", 1); // LARCH
    c.count("lift_settings_attending.post16", 0);
    c.pct("lift_settings_attending_pct.early_years", Some(25.0), 1, 4);
    c.pct("lift_settings_attending_pct.primary", Some(20.0), 1, 5);
    c.pct("lift_settings_attending_pct.secondary", Some(33.3), 1, 3);
    c.pct("lift_settings_attending_pct.post16", None, 0, 0);
    c.count("lift_children_discussed.school", 2); // REF-NATHANIEL-2, REF-HAMISH-2
    c.count("lift_children_discussed.early_years", 1); // REF-ROSAMUND
    c.avg("lift_children_discussed_avg.school", Some(2.0), 2, 1);
    c.avg("lift_children_discussed_avg.early_years", Some(1.0), 1, 1);
    // L-S3 {stls_lead 1, specialist_teacher 2, health 1, other 1} + L-E2 {speech_language 2, early_help 1,
    // senif 1}.
    c.count("lift_professionals.stls_lead", 1);
    c.count("lift_professionals.specialist_teacher", 2);
    c.count("lift_professionals.educational_psychologist", 0);
    c.count("lift_professionals.senif_practitioner", 1);
    c.count("lift_professionals.early_help", 1);
    c.count("lift_professionals.speech_language", 2);
    c.count("lift_professionals.camhs", 0);
    c.count("lift_professionals.health", 1);
    c.count("lift_professionals.social_care", 0);
    c.count("lift_professionals.other", 1);

    // ---- Referrals received 06-03..08-31: NATHANIEL-2 (primary semh SEMH allocated), HAMISH-2 (secondary
    // CI ASD withdrawn), ROSAMUND (EY sensory_physical PD signposted), QUILLON-2 (primary cog SPLD advice).
    c.count("referrals.early_years", 1);
    c.count("referrals.primary", 2);
    c.count("referrals.secondary", 1);
    c.count("referrals.post16", 0);
    c.need_cells(&[
        ("referrals_by_need.early_years.sensory_physical.PD", 1), // ROSAMUND
        ("referrals_by_need.school.communication_interaction.ASD", 1), // HAMISH-2
        ("referrals_by_need.school.cognition_learning.SPLD", 1),  // QUILLON-2
        ("referrals_by_need.school.semh.SEMH", 1),                // NATHANIEL-2
    ]);
    c.count("referral_outcomes.allocated", 1);
    c.count("referral_outcomes.advice", 1);
    c.count("referral_outcomes.signposted", 1);
    c.count("referral_outcomes.deferred", 0);
    c.count("referral_outcomes.withdrawn", 1);
    c.count("referred_other_agencies", 1);

    // ---- Clinics: CL-T6-SCH (06-19, school, SP 1 + semh 1).
    c.count("clinics.school", 1);
    c.count("clinics.early_years", 0);
    c.count("clinic_cases_discussed.school", 2);
    c.count("clinic_cases_discussed.early_years", 0);

    // ---- Transition: TN-ELM-1 (3), TN-ELM-2 (1), TN-MAPLE (2, out of district counts) school;
    // TN-ACORN (events omitted = 1) early years.
    c.count("transition_settings.school", 2); // ELM, MAPLE
    c.count("transition_settings.early_years", 1); // ACORN
    c.count("transition_events.school", 6); // 3 + 1 + 2
    c.count("transition_events.early_years", 1);

    // ---- Training: only TR-AET-T6 (core, delivered, [ACORN, DAISY]); AET-BOOK and PAR-BOOK booked,
    // AET-CANC cancelled.
    c.count("training_courses.core", 1);
    c.count("training_courses.bespoke", 0);
    c.count("training_courses.parental", 0);
    c.count("training_courses.total", 1);
    c.count("training_settings.early_years", 2);
    c.count("training_settings.primary", 0);
    c.count("training_settings.secondary", 0);
    c.count("training_settings.post16", 0);
    // ---- Added measures. L-S3 has no focus given: it counts as mixed.
    c.family("lift_meetings.school", FOCUSES, &[0, 0, 1]);
    c.family("lift_professionals.school", PROFESSIONS, &[1, 2, 0, 0, 0, 0, 0, 1, 0, 1]); // L-S3
    c.family("lift_professionals.early_years", PROFESSIONS, &[0, 0, 0, 1, 1, 2, 0, 0, 0, 0]); // L-E2
    // ROSAMUND (L-E2); NATHANIEL-2, HAMISH-2 (L-S3). QUILLON-2 has no meeting.
    c.family("lift_referrals", PHASES, &[1, 1, 1, 0]);
    c.family("clinic_settings", PHASES, &[0, 1, 0, 0]); // CL-T6-SCH [GORSE]
    c.family("clinics.school", FORMATS, &[0, 0, 1]);
    c.family("clinics.early_years", FORMATS, &[0, 0, 0]);
    c.family("training_courses.core", GROUPS, &[1, 0]); // TR-AET-T6 (early years)
    c.family("training_courses.bespoke", GROUPS, &[0, 0]);
    c.family("training_courses.parental", GROUPS, &[0, 0]);
    c.count("training_courses.cancelled", 1); // TR-AET-CANC; booked courses are not cancelled
    c.family("training_settings.core", PHASES, &[2, 0, 0, 0]); // ACORN, DAISY
    // Teacher posts on 08-31: LEAD 1.0 + SEMH 0.8 + CI 1.0 + EY 0.5 + SP 0.4 = 3.7 (COG ended 07-31).
    c.per_fte("caseload_per_teacher_fte.school", Some(2.7), 10, 3.7); // 2.70..
    c.per_fte("caseload_per_teacher_fte.early_years", Some(0.8), 3, 3.7); // 0.81..
    // AET delivered 2023-09-01..2024-08-31: AET-T1 (primary), AET-T3 (secondary), AET-T4 (post16), AET-T6 (EY).
    c.count("aet_sessions.completed.school_age", 2);
    c.count("aet_sessions.completed.early_years", 1);
    c.count("aet_sessions.completed.post16", 1);
    c.count("aet_sessions.booked.school_age", 3); // AET-T1, AET-T3, AET-BOOK
    c.count("aet_sessions.booked.early_years", 1); // AET-T6
    c.count("aet_sessions.booked.post16", 1); // AET-T4
    // School age trained by 08-31 (any year), on register: ELM, FERN, LARCH = 3 of 8 (OAKWOOD's course
    // cancelled, GORSE's only booked).
    c.pct("aet_settings_trained_pct.school_age", Some(37.5), 3, 8);
    c.pct("aet_settings_trained_pct.early_years", Some(50.0), 2, 4); // ACORN, DAISY
    c.pct("aet_settings_trained_pct.post16", None, 0, 0);

    // ---- Visits: X-KESTRELLA-2 (semh), X-FENWICK, X-LEOPOLD, X-OTTOLINE (08-31 closing day) (SP).
    c.count("visits.communication_interaction", 0);
    c.count("visits.cognition_learning", 0);
    c.count("visits.semh", 1);
    c.count("visits.sensory_physical", 3);

    // ---- Impact. 12 children on caseload; reviewed in T6: Guinevere (06-05, 07-10), Elowen (06-20),
    // Leopold (07-01) = 3.
    c.pct("targets_reviewed_pct", Some(25.0), 3, 12);
    // School-phase cases reviewed: GUINEVERE (amended + unchanged), ELOWEN (unchanged); LEOPOLD is EY.
    c.pct("targets_amended_pct", Some(50.0), 1, 2);
    // Closed: HAMISH (transitioned), AURELIA-EY (transitioned), OTTOLINE (targets_achieved).
    c.pct("closed_targets_achieved_pct", Some(33.3), 1, 3);

    // ---- Staff on 2024-08-31: LEAD 1.0 + SEMH 0.8 + CI 1.0 + EY 0.5 + SP 0.4 + ADM 0.7 + OTH 0.2 = 4.6
    // (T-COG ended 07-31).
    c.fte("staff_fte.total", 4.6);
    c.fte("staff_fte.teachers.communication_interaction", 1.5);
    c.fte("staff_fte.teachers.cognition_learning", 0.0);
    c.fte("staff_fte.teachers.semh", 1.8);
    c.fte("staff_fte.teachers.sensory_physical", 0.4);
    c.fte("staff_fte.vacant", 0.6); // T-VAC2 from 2024-08-01 (T-VAC1 ended 03-31)

    if find(&json, "survey.satisfaction_pct").is_some() {
        c.fail("survey.satisfaction_pct", "a manual value recorded for T3 appears in the T6 return".into());
    }
    // On 2024-08-31 (the case table): school K-AURELIA-PR (no allocation), K-ELOWEN (allocation
    // ended 2023-12-31), K-GUINEVERE and K-MIRABEL-2 (allocations ended 05-31 and 07-31); no early
    // years case (K-LEOPOLD has its new target). No bespoke course delivered in T6.
    practices_unrecorded(&mut c, [0, 4], [0, 0, 0], [2, 0]);
    c.no_unexpected_ids(&[]);
    c.finish();
}

#[test]
fn whole_year_return_matches_the_hand_count() {
    let (text, json) = export(None);
    assert_private(&text, "2023-24 year");
    let mut c = Check::new(&json, "2023-24 year");
    c.header("academic_year", &json["academic_year"], "2023-24");
    c.header("framework", &json["framework"], "all");
    c.header("period.start", &json["period"]["start"], "2023-09-01");
    c.header("period.end", &json["period"]["end"], "2024-08-31");

    // ---- Settings (register for the year: EY 4, primary 6 incl. IVY, secondary 3, post16 0).
    c.count("settings_supported.early_years", 4); // ACORN, BLUEBELL, CLOVER, DAISY
    // ELM, FERN, GORSE, HOLLY, IVY (K-MIRABEL-1 open to 2023-11-30, L-S0); not JUNIPER.
    c.count("settings_supported.primary", 5);
    c.count("settings_supported.secondary", 2); // KINGSWAY, LARCH
    c.count("settings_supported.post16", 0);
    c.pct("settings_supported_pct.early_years", Some(100.0), 4, 4);
    c.pct("settings_supported_pct.primary", Some(83.3), 5, 6);
    c.pct("settings_supported_pct.secondary", Some(66.7), 2, 3);
    c.pct("settings_supported_pct.post16", None, 0, 0);
    c.count("settings_supported.out_of_district", 2); // MAPLE, NENE (REF-JOLYON 2023-09-12, K-JOLYON)

    // ---- Caseload: all 18 cases are open at some point in the year; 15 children (not Peregrine,
    // Quillon, Rosamund).
    // School: Aurelia (PR case), Calliope, Dashiell, Elowen, Fenwick, Guinevere, Hamish, Isadora, Jolyon,
    // Kestrella, Mirabel, Nathaniel, Ottoline = 13 (distinct, not a sum of terms).
    c.count("caseload.school", 13);
    c.count("caseload.early_years", 3); // Aurelia, Bartholomew, Leopold
    // Primary: Aurelia, Calliope, Dashiell, Elowen, Fenwick, Isadora, Kestrella, Mirabel, Nathaniel.
    c.count("caseload.primary", 9);
    c.count("caseload.secondary", 3); // Guinevere, Hamish, Ottoline
    c.count("caseload.post16", 1); // Jolyon
    // Active: every case except AURELIA-PR (no allocation) and JOLYON (no target) = 16 cases.
    // School children: Calliope, Dashiell, Elowen, Fenwick, Guinevere, Hamish, Isadora, Kestrella,
    // Mirabel, Nathaniel, Ottoline = 11.
    c.count("active.school", 11);
    c.count("active.early_years", 3); // Aurelia (EY case), Bartholomew, Leopold
    c.count("active_by_area.communication_interaction", 4); // AURELIA-EY, BARTHOLOMEW, HAMISH, ISADORA
    c.count("active_by_area.cognition_learning", 4); // DASHIELL-1, ELOWEN, MIRABEL-1, MIRABEL-2
    c.count("active_by_area.semh", 5); // CALLIOPE, DASHIELL-2, GUINEVERE, KESTRELLA, NATHANIEL
    c.count("active_by_area.sensory_physical", 3); // FENWICK, LEOPOLD, OTTOLINE
    // Opened in the year: all but CALLIOPE, ELOWEN, LEOPOLD, MIRABEL-1 (opened in 2022-23) = 14.
    c.count("cases_opened", 14);
    // Closed: MIRABEL-1, ISADORA, CALLIOPE, DASHIELL-1, JOLYON, HAMISH, AURELIA-EY, OTTOLINE = 8.
    c.count("cases_closed", 8);
    c.count("cases_open_over_six_months", 6); // as T6 (same end date)
    c.count("outreach_cases", 3); // ELOWEN, KESTRELLA, MIRABEL-1

    // ---- LIFT: school L-S0, L-S1, L-S2, L-S3 = 4; early years L-E1, L-E2 = 2.
    c.count("lift_meetings.school", 4);
    c.count("lift_meetings.early_years", 2);
    c.count("lift_settings_attending.early_years", 3); // ACORN, BLUEBELL, CLOVER
    c.count("lift_settings_attending.primary", 4); // IVY, ELM, FERN, GORSE
    c.count("lift_settings_attending.secondary", 2); // KINGSWAY, LARCH
    c.count("lift_settings_attending.post16", 0);
    c.pct("lift_settings_attending_pct.early_years", Some(75.0), 3, 4);
    c.pct("lift_settings_attending_pct.primary", Some(66.7), 4, 6);
    c.pct("lift_settings_attending_pct.secondary", Some(66.7), 2, 3);
    c.pct("lift_settings_attending_pct.post16", None, 0, 0);
    // School: 5 at T3 meetings + 2 at L-S3 + 0 at L-S0 = 7; early years 2 + 1 = 3.
    c.count("lift_children_discussed.school", 7);
    c.count("lift_children_discussed.early_years", 3);
    c.avg("lift_children_discussed_avg.school", Some(1.8), 7, 4); // 1.75 rounds half away from zero
    c.avg("lift_children_discussed_avg.early_years", Some(1.5), 3, 2);
    // L-S0 {EP 1, specialist_teacher 1} + T3 meetings + T6 meetings.
    c.count("lift_professionals.stls_lead", 3); // 0 + 2 + 1
    c.count("lift_professionals.specialist_teacher", 7); // 1 + 4 + 2
    c.count("lift_professionals.educational_psychologist", 3); // 1 + 2 + 0
    c.count("lift_professionals.senif_practitioner", 2);
    c.count("lift_professionals.early_help", 2);
    c.count("lift_professionals.speech_language", 3); // 1 + 2
    c.count("lift_professionals.camhs", 1);
    c.count("lift_professionals.health", 1);
    c.count("lift_professionals.social_care", 1);
    c.count("lift_professionals.other", 1);

    // ---- Referrals received 2023-09-01..2024-08-31 (14; REF-CALLIOPE of 2023-05-18 is outside).
    c.count("referrals.early_years", 3); // BARTHOLOMEW, PEREGRINE, ROSAMUND
    // ISADORA, QUILLON-1, KESTRELLA, DASHIELL, NATHANIEL-1, NATHANIEL-2, QUILLON-2.
    c.count("referrals.primary", 7);
    c.count("referrals.secondary", 3); // HAMISH-1, GUINEVERE, HAMISH-2
    c.count("referrals.post16", 1); // JOLYON
    c.need_cells(&[
        ("referrals_by_need.early_years.communication_interaction.ASD", 1), // BARTHOLOMEW
        ("referrals_by_need.early_years.communication_interaction.none", 1), // PEREGRINE
        ("referrals_by_need.early_years.sensory_physical.PD", 1),           // ROSAMUND
        ("referrals_by_need.school.communication_interaction.SLCN", 1),     // ISADORA
        ("referrals_by_need.school.communication_interaction.ASD", 2),      // HAMISH-1, HAMISH-2
        ("referrals_by_need.school.cognition_learning.NSA", 1),             // JOLYON
        ("referrals_by_need.school.cognition_learning.SPLD", 2),            // QUILLON-1, QUILLON-2
        ("referrals_by_need.school.semh.OTH", 1),                           // KESTRELLA
        ("referrals_by_need.school.semh.none", 1),                          // DASHIELL
        ("referrals_by_need.school.semh.SEMH", 3), // NATHANIEL-1, GUINEVERE, NATHANIEL-2
    ]);
    // allocated: JOLYON, ISADORA, HAMISH-1, KESTRELLA, BARTHOLOMEW, DASHIELL, NATHANIEL-2 = 7.
    c.count("referral_outcomes.allocated", 7);
    c.count("referral_outcomes.advice", 2); // PEREGRINE, QUILLON-2
    c.count("referral_outcomes.signposted", 2); // NATHANIEL-1, ROSAMUND
    c.count("referral_outcomes.deferred", 1); // QUILLON-1
    c.count("referral_outcomes.withdrawn", 1); // HAMISH-2 (GUINEVERE has no outcome)
    c.count("referred_other_agencies", 2);

    // ---- Clinics: school CL-T3-SCH (3), CL-T6-SCH (2); early years CL-T1-EY (2), CL-T3-EY (4).
    c.count("clinics.school", 2);
    c.count("clinics.early_years", 2);
    c.count("clinic_cases_discussed.school", 5);
    c.count("clinic_cases_discussed.early_years", 6);

    // ---- Transition: school ELM (3 + 1), MAPLE (2); early years CLOVER (2), ACORN (1).
    c.count("transition_settings.school", 2);
    c.count("transition_settings.early_years", 2);
    c.count("transition_events.school", 6);
    c.count("transition_events.early_years", 3);

    // ---- Training delivered in the year: core AET-T1, CORE-T3, AET-T6; bespoke AET-T3, AET-T4;
    // parental PAR-T3 (AET-2223 is 2022-23).
    c.count("training_courses.core", 3);
    c.count("training_courses.bespoke", 2);
    c.count("training_courses.parental", 1);
    c.count("training_courses.total", 6);
    c.count("training_settings.early_years", 2); // ACORN, DAISY
    c.count("training_settings.primary", 2); // ELM, MAPLE
    c.count("training_settings.secondary", 1); // LARCH
    c.count("training_settings.post16", 0);
    // ---- Added measures. Focus: L-S1 primary; L-S2 secondary; L-S0 mixed and L-S3 none given.
    c.family("lift_meetings.school", FOCUSES, &[1, 1, 2]);
    // School: L-S0 + L-S1 + L-S2 + L-S3; early years: L-E1 + L-E2 (they add up to the totals above).
    c.family("lift_professionals.school", PROFESSIONS, &[3, 6, 3, 0, 0, 0, 1, 1, 1, 1]);
    c.family("lift_professionals.early_years", PROFESSIONS, &[0, 1, 0, 2, 2, 3, 0, 0, 0, 0]);
    // Linked to a meeting: BARTHOLOMEW, PEREGRINE, ROSAMUND (EY); QUILLON-1, KESTRELLA, DASHIELL,
    // NATHANIEL-1, NATHANIEL-2 (primary); GUINEVERE, HAMISH-2 (secondary).
    c.family("lift_referrals", PHASES, &[3, 5, 2, 0]);
    // BLUEBELL (CL-T1-EY), CLOVER (CL-T3-EY); GORSE (CL-T6-SCH); LARCH (CL-T3-SCH).
    c.family("clinic_settings", PHASES, &[2, 1, 1, 0]);
    c.family("clinics.school", FORMATS, &[1, 0, 1]);
    c.family("clinics.early_years", FORMATS, &[1, 1, 0]);
    // Core: AET-T1, CORE-T3 (primary), AET-T6 (EY); bespoke: AET-T3 (secondary), AET-T4 (post16);
    // parental: PAR-T3 (EY).
    c.family("training_courses.core", GROUPS, &[1, 2]);
    c.family("training_courses.bespoke", GROUPS, &[0, 2]);
    c.family("training_courses.parental", GROUPS, &[1, 0]);
    c.count("training_courses.cancelled", 2); // TR-CANC-T3, TR-AET-CANC
    c.family("training_settings.core", PHASES, &[2, 2, 0, 0]); // ACORN, DAISY; ELM, MAPLE
    c.per_fte("caseload_per_teacher_fte.school", Some(3.5), 13, 3.7); // 3.51.. (posts on 08-31)
    c.per_fte("caseload_per_teacher_fte.early_years", Some(0.8), 3, 3.7);
    c.count("aet_sessions.completed.school_age", 2);
    c.count("aet_sessions.completed.early_years", 1);
    c.count("aet_sessions.completed.post16", 1);
    c.count("aet_sessions.booked.school_age", 3);
    c.count("aet_sessions.booked.early_years", 1);
    c.count("aet_sessions.booked.post16", 1);
    // School age on register 6 + 3 = 9; trained: ELM, FERN, IVY (AET-2223), LARCH = 4 -> 44.4.
    c.pct("aet_settings_trained_pct.school_age", Some(44.4), 4, 9);
    c.pct("aet_settings_trained_pct.early_years", Some(50.0), 2, 4);
    c.pct("aet_settings_trained_pct.post16", None, 0, 0);

    // ---- Visits: CI ISADORA, AURELIA, HAMISH; cog DASHIELL-1, JOLYON; semh KESTRELLA x2;
    // SP FENWICK, LEOPOLD, OTTOLINE.
    c.count("visits.communication_interaction", 3);
    c.count("visits.cognition_learning", 2);
    c.count("visits.semh", 2);
    c.count("visits.sensory_physical", 3);

    // ---- Impact. 15 children; reviewed in the year: Mirabel, Calliope, Ottoline, Dashiell, Aurelia,
    // Hamish, Guinevere, Elowen, Leopold = 9.
    c.pct("targets_reviewed_pct", Some(60.0), 9, 15);
    // School cases reviewed: MIRABEL-1 (amended), CALLIOPE, OTTOLINE, DASHIELL-1 (achieved), HAMISH,
    // DASHIELL-2 (amended), GUINEVERE (amended), ELOWEN = 8; amended 3.
    c.pct("targets_amended_pct", Some(37.5), 3, 8);
    c.pct("closed_targets_achieved_pct", Some(25.0), 2, 8); // DASHIELL-1, OTTOLINE of 8 closed

    // ---- Staff on 2024-08-31: as T6.
    c.fte("staff_fte.total", 4.6);
    c.fte("staff_fte.teachers.communication_interaction", 1.5);
    c.fte("staff_fte.teachers.cognition_learning", 0.0);
    c.fte("staff_fte.teachers.semh", 1.8);
    c.fte("staff_fte.teachers.sensory_physical", 0.4);
    c.fte("staff_fte.vacant", 0.6);

    // ---- Term columns of a handful of measures (year value above is distinct, not the sum).
    // Open cases by term (school children): T1 Calliope, Dashiell, Elowen, Isadora, Jolyon, Mirabel = 6;
    // T2 + Hamish, Ottoline = 8; T3 7; T4 Dashiell, Elowen, Fenwick, Guinevere, Hamish, Jolyon, Kestrella,
    // Ottoline = 8; T5 as T4 - Jolyon + Mirabel = 8; T6 10.
    c.terms_count("caseload.school", [6, 8, 7, 8, 8, 10]);
    // T1, T2 Aurelia, Leopold; T3..T6 + Bartholomew.
    c.terms_count("caseload.early_years", [2, 2, 3, 3, 3, 3]);
    // Active school: T1 Calliope, Dashiell, Elowen, Isadora, Mirabel = 5; T2 + Hamish, Ottoline = 7;
    // T3 5; T4 Dashiell, Fenwick, Guinevere, Hamish, Kestrella, Ottoline = 6; T5 + Mirabel = 7; T6 6.
    c.terms_count("active.school", [5, 7, 5, 6, 7, 6]);
    // T1 DASHIELL-1, JOLYON, ISADORA, AURELIA-EY; T2 HAMISH, OTTOLINE; T4 FENWICK, GUINEVERE; T5 MIRABEL-2.
    c.terms_count("cases_opened", [4, 2, 3, 2, 1, 2]);
    // T2 MIRABEL-1, ISADORA; T4 JOLYON.
    c.terms_count("cases_closed", [0, 2, 2, 1, 0, 3]);
    // T1 (cut-off 2023-04-29) ELOWEN, MIRABEL-1; T2 (2023-07-02) CALLIOPE (closes 01-03, after T2's end),
    // ELOWEN, LEOPOLD; T4 (2023-10-14) AURELIA-EY, ELOWEN, LEOPOLD; T5 (2023-12-02) AURELIA-EY, ELOWEN,
    // HAMISH (closes 06-03, after 06-02), LEOPOLD, OTTOLINE (opened 2023-12-01).
    c.terms_count("cases_open_over_six_months", [2, 3, 2, 3, 5, 6]);
    c.terms_count("lift_meetings.school", [0, 1, 2, 0, 0, 1]);
    // T1 ISADORA; T2 QUILLON-1; T3 KESTRELLA, DASHIELL, NATHANIEL-1; T6 NATHANIEL-2, QUILLON-2.
    c.terms_count("referrals.primary", [1, 1, 3, 0, 0, 2]);
    // T1..T3 4.8 (no T-SP); T4, T5 + T-SP 0.4 = 5.2; T6 4.6 (T-COG ended 07-31).
    c.terms_f64("staff_fte.total", [Some(4.8), Some(4.8), Some(4.8), Some(5.2), Some(5.2), Some(4.6)]);
    // T-VAC1 to 2024-03-31; T-VAC2 from 2024-08-01.
    c.terms_f64("staff_fte.vacant", [Some(0.5), Some(0.5), Some(0.5), Some(0.0), Some(0.0), Some(0.6)]);
    c.terms_f64("settings_supported_pct.post16", [None; 6]);
    c.terms_f64("lift_children_discussed_avg.school", [None, Some(0.0), Some(2.5), None, None, Some(2.0)]);

    // Added measures by term. QUILLON-1 (received in T2, discussed in T3) counts in T2.
    c.terms_count("lift_meetings.school.mixed", [0, 1, 0, 0, 0, 1]);
    c.terms_count("lift_referrals.primary", [0, 1, 3, 0, 0, 1]);
    c.terms_count("training_courses.cancelled", [0, 0, 1, 0, 0, 1]);
    c.terms_count("training_courses.bespoke.school", [0, 0, 1, 1, 0, 0]);
    // Teacher FTE at each term's end: 3.9, 3.9, 3.9, 4.3 (T-SP), 4.3, 3.7 (T-COG ended).
    c.terms_f64(
        "caseload_per_teacher_fte.school",
        [Some(1.5), Some(2.1), Some(1.8), Some(1.9), Some(1.9), Some(2.7)],
    );

    // Every catalogue measure of a whole-year export carries its six term values.
    let asserted = c.asserted.clone();
    for id in &asserted {
        if let Some(x) = find(&json, id) {
            let ok = (1..=6).all(|t| x["terms"].get(format!("T{t}")).is_some());
            if !ok {
                c.fail(id, format!("whole-year measure lacks terms T1..T6: {}", x["terms"]));
            }
        }
    }
    // On 2024-08-31, as at T6's end. Bespoke courses delivered: TR-AET-T3 (secondary, T3) and
    // TR-AET-T4 (post16, T4).
    practices_unrecorded(&mut c, [0, 4], [0, 1, 1], [5, 6]);
    c.no_unexpected_ids(&["survey.satisfaction_pct"]);
    c.finish();
}

#[test]
fn monitoring_period_3_4_added_measures_match_the_hand_count() {
    let (text, json) = export_with(&["--terms", "3-4"]);
    assert_private(&text, "2023-24 T3-4");
    let mut c = Check::new(&json, "2023-24 T3-4");
    c.header("period.start", &json["period"]["start"], "2024-01-03");
    c.header("period.end", &json["period"]["end"], "2024-04-14");
    // T4 (02-19..04-14) adds no meeting, referral or clinic; it adds TR-AET-T4 (bespoke, post16).
    c.family("lift_meetings.school", FOCUSES, &[1, 1, 0]);
    c.family("lift_professionals.school", PROFESSIONS, &[2, 3, 2, 0, 0, 0, 1, 0, 1, 0]);
    c.family("lift_professionals.early_years", PROFESSIONS, &[0, 1, 0, 1, 1, 1, 0, 0, 0, 0]);
    c.family("lift_referrals", PHASES, &[2, 3, 1, 0]);
    c.family("clinic_settings", PHASES, &[1, 0, 1, 0]);
    c.family("clinics.school", FORMATS, &[1, 0, 0]);
    c.family("clinics.early_years", FORMATS, &[0, 1, 0]);
    c.family("training_courses.core", GROUPS, &[0, 1]);
    c.family("training_courses.bespoke", GROUPS, &[0, 2]);
    c.family("training_courses.parental", GROUPS, &[1, 0]);
    c.count("training_courses.cancelled", 1);
    c.family("training_settings.core", PHASES, &[0, 2, 0, 0]);
    // School children with a case open in 01-03..04-14: Calliope, Dashiell, Elowen, Fenwick,
    // Guinevere, Hamish, Jolyon, Kestrella, Ottoline = 9; early years Aurelia, Bartholomew, Leopold.
    // Teacher posts on 04-14: 3.9 + T-SP 0.4 = 4.3.
    c.count("caseload.school", 9);
    c.count("caseload.early_years", 3);
    c.per_fte("caseload_per_teacher_fte.school", Some(2.1), 9, 4.3); // 2.09..
    c.per_fte("caseload_per_teacher_fte.early_years", Some(0.7), 3, 4.3); // 0.70 (0.697..)
    let t = ["T3", "T4"];
    c.two_terms("lift_meetings.school.primary", t, [1, 0]);
    c.two_terms("lift_referrals.primary", t, [3, 0]);
    c.two_terms("training_courses.bespoke.school", t, [1, 1]);
    c.two_terms("training_courses.cancelled", t, [1, 0]);
    c.two_terms("clinics.early_years.surgery", t, [1, 0]);
    c.finish();
}

#[test]
fn measure_helper_names_a_missing_id() {
    let json: Value = serde_json::json!({"measures": [{"id": "a"}]});
    assert_eq!(m(&json, "a")["id"], "a");
    let err = std::panic::catch_unwind(|| {
        m(&json, "no.such.id");
    })
    .unwrap_err();
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("no.such.id"), "{msg}");
}
