//! Frameworks: which measures make a return, in what sections and order. Kept as data files in
//! `assets/frameworks/`, so next year's change of KPI set is an edit of a file.

use crate::domain::{AcademicYear, Date};
use serde::Deserialize;
use std::sync::OnceLock;

/// The frameworks shipped with the program.
const FILES: [(&str, &str); 3] = [
    ("2022-23", include_str!("../../assets/frameworks/2022-23.json")),
    ("2023-24", include_str!("../../assets/frameworks/2023-24.json")),
    ("all", include_str!("../../assets/frameworks/all.json")),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub title: String,
    /// The first academic year this framework is the default for; `None` for analysts' lists.
    #[serde(default)]
    pub applies_from: Option<String>,
    pub sections: Vec<Section>,
    /// Figures that add up (docs/returns.md, "Suppression"): published together, one hidden
    /// small count could be worked out from the others, so suppression hides a second.
    #[serde(default)]
    pub groups: Vec<Group>,
}

/// A total and the parts that sum to it; each side one or more measure ids or `prefix.*`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub total: Vec<String>,
    pub parts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawSection")]
pub struct Section {
    pub title: String,
    /// Measure ids; `prefix.*` stands for every catalogue measure under that prefix.
    pub measures: Vec<String>,
    /// The targets the framework sets on its measures: (the entry, as in `measures`, and its
    /// target). A target on `prefix.*` is each member's.
    pub targets: Vec<(String, MeasureTarget)>,
    /// Figures the team types in each term (ids of `domain::manual`).
    #[serde(default)]
    pub manual: Vec<String>,
    /// Manual figures shown only when the team recorded one (ids of earlier frameworks).
    #[serde(default)]
    pub if_recorded: Vec<String>,
    /// Every manual figure recorded for the period, whatever its id.
    pub all_manual: bool,
}

/// A target the county sets on a measure: a value to reach by a day (the AET programme's 20% of
/// settings trained by 31 August 2024).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasureTarget {
    pub value: f64,
    pub by: Date,
}

impl MeasureTarget {
    /// Whether a figure meets the target (reaches its value); `None` without a figure.
    pub fn met(&self, figure: Option<f64>) -> Option<bool> {
        figure.map(|v| v >= self.value)
    }

    /// "met" or "not yet", as the exports and packs say it; `None` without a figure.
    pub fn words(&self, figure: Option<f64>) -> Option<&'static str> {
        self.met(figure).map(|met| if met { "met" } else { "not yet" })
    }
}

/// A section as its file writes it: a measure is an id, or `{"id", "target": {"value", "by"}}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: String,
    #[serde(default)]
    measures: Vec<serde_json::Value>,
    #[serde(default)]
    manual: Vec<String>,
    #[serde(default)]
    if_recorded: Vec<String>,
    #[serde(default)]
    all_manual: bool,
}

impl TryFrom<RawSection> for Section {
    type Error = String;

    fn try_from(raw: RawSection) -> Result<Section, String> {
        let place = |i: usize| format!("section \"{}\", measure {}", raw.title, i + 1);
        let mut measures = Vec::with_capacity(raw.measures.len());
        let mut targets = Vec::new();
        for (i, entry) in raw.measures.iter().enumerate() {
            match entry {
                serde_json::Value::String(id) => measures.push(id.clone()),
                serde_json::Value::Object(fields) => {
                    let (id, target) =
                        entry_with_target(fields).map_err(|why| format!("{}: {why}", place(i)))?;
                    measures.push(id.clone());
                    targets.push((id, target));
                }
                _ => return Err(format!("{}: a measure is an id or {{\"id\", \"target\"}}", place(i))),
            }
        }
        Ok(Section {
            title: raw.title,
            measures,
            targets,
            manual: raw.manual,
            if_recorded: raw.if_recorded,
            all_manual: raw.all_manual,
        })
    }
}

/// `{"id": ..., "target": {"value": 20, "by": "2024-08-31"}}`, every key checked.
fn entry_with_target(
    fields: &serde_json::Map<String, serde_json::Value>,
) -> Result<(String, MeasureTarget), String> {
    if let Some(key) = fields.keys().find(|k| !["id", "target"].contains(&k.as_str())) {
        return Err(format!("unknown key \"{key}\" (a measure has \"id\" and \"target\")"));
    }
    let id = fields.get("id").and_then(|v| v.as_str()).ok_or("\"id\" (the measure's id) is missing")?;
    let target = fields
        .get("target")
        .and_then(|v| v.as_object())
        .ok_or_else(|| format!("{id}: \"target\" is missing or not an object"))?;
    if let Some(key) = target.keys().find(|k| !["value", "by"].contains(&k.as_str())) {
        return Err(format!(
            "{id}: the target has an unknown key \"{key}\" (a target has \"value\" and \"by\")"
        ));
    }
    let value = target
        .get("value")
        .and_then(|v| v.as_f64())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| format!("{id}: the target's \"value\" must be a number of at least 0"))?;
    let by = target
        .get("by")
        .and_then(|v| v.as_str())
        .and_then(|d| Date::parse_iso(d).ok())
        .ok_or_else(|| format!("{id}: the target's \"by\" must be a date (YYYY-MM-DD)"))?;
    Ok((id.to_string(), MeasureTarget { value, by }))
}

/// The shipped frameworks. They are part of the program; a test proves each one loads and lists
/// only known measures, so a broken file cannot ship.
pub fn builtin() -> &'static [Framework] {
    static ALL: OnceLock<Vec<Framework>> = OnceLock::new();
    ALL.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(name, text)| match serde_json::from_str::<Framework>(text) {
                Ok(f) => Some(f),
                Err(e) => {
                    debug_assert!(false, "framework {name}: {e}");
                    None
                }
            })
            .collect()
    })
}

impl Framework {
    /// The target the framework sets on a measure, if any.
    pub fn target(&self, id: &str) -> Option<MeasureTarget> {
        self.sections
            .iter()
            .flat_map(|s| &s.targets)
            .find(|(entry, _)| Section::entry_matches(entry, id))
            .map(|(_, t)| *t)
    }
}

/// The target a shipped framework sets on a measure (exports and packs name the framework by id).
pub fn target_of(framework_id: &str, id: &str) -> Option<MeasureTarget> {
    find(framework_id).and_then(|f| f.target(id))
}

/// A framework by id.
pub fn find(id: &str) -> Option<&'static Framework> {
    builtin().iter().find(|f| f.id == id)
}

/// The ids of the shipped frameworks, for messages.
pub fn ids() -> Vec<&'static str> {
    builtin().iter().map(|f| f.id.as_str()).collect()
}

/// The framework for an academic year: the latest whose `applies_from` is not after the year.
pub fn for_year(year: AcademicYear) -> &'static Framework {
    let from = |f: &Framework| f.applies_from.as_deref().and_then(|y| y.parse::<AcademicYear>().ok());
    let dated = || builtin().iter().filter_map(|f| from(f).map(|y| (y, f)));
    dated()
        .filter(|(y, _)| *y <= year)
        .max_by_key(|(y, _)| *y)
        .or_else(|| dated().min_by_key(|(y, _)| *y))
        .map(|(_, f)| f)
        .expect("at least one dated framework ships")
}

impl Section {
    /// Whether a catalogue id is listed by an entry (exactly or under a `prefix.*`).
    pub fn entry_matches(entry: &str, id: &str) -> bool {
        match entry.strip_suffix('*') {
            Some(prefix) => id.starts_with(prefix),
            None => entry == id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::catalogue::measures;
    use crate::store::PeriodCounts;

    #[test]
    fn every_shipped_framework_loads_and_lists_only_known_measures() {
        assert_eq!(builtin().len(), FILES.len());
        let catalogue: Vec<String> = measures(&PeriodCounts::default()).into_iter().map(|m| m.id).collect();
        for f in builtin() {
            for s in &f.sections {
                for entry in &s.measures {
                    let known = crate::kpi::catalogue::family::REFERRALS_BY_NEED.holds(entry)
                        || catalogue.iter().any(|id| Section::entry_matches(entry, id));
                    assert!(known, "framework {} lists unknown measure {entry}", f.id);
                }
                for id in s.manual.iter().chain(&s.if_recorded) {
                    let kind = crate::domain::manual::manual_kind(id);
                    assert!(kind.is_some(), "framework {} lists unknown manual figure {id}", f.id);
                }
            }
        }
    }

    #[test]
    fn every_group_names_measures_of_the_catalogue() {
        for f in builtin() {
            assert!(!f.groups.is_empty(), "framework {} declares its additive groups", f.id);
            for g in &f.groups {
                assert!(!g.total.is_empty() && !g.parts.is_empty(), "framework {}: {g:?}", f.id);
                for entry in g.total.iter().chain(&g.parts) {
                    let prefix = entry.strip_suffix('*');
                    let known = crate::kpi::catalogue::defs().iter().any(|d| match prefix {
                        Some(p) => d.id.starts_with(p),
                        None => &d.id == entry,
                    });
                    assert!(known, "framework {} groups unknown measure {entry}", f.id);
                }
            }
        }
    }

    #[test]
    fn a_target_is_read_and_every_mistake_in_it_is_named_with_its_place() {
        let f = find("2023-24").unwrap();
        let aet = f.target("aet_settings_trained_pct.school_age").expect("the AET target");
        assert_eq!(aet, MeasureTarget { value: 20.0, by: Date::parse_iso("2024-08-31").unwrap() });
        assert_eq!(aet.words(Some(20.0)), Some("met"));
        assert_eq!(aet.words(Some(19.9)), Some("not yet"));
        assert_eq!(aet.words(None), None);
        assert!(f.target("caseload.school").is_none());
        let section = |measure: &str| {
            serde_json::from_str::<Section>(&format!(
                r#"{{"title": "AET", "measures": ["caseload.school", {measure}]}}"#
            ))
            .map(|s| s.targets)
            .map_err(|e| e.to_string())
        };
        let ok =
            section(r#"{"id": "aet_settings_trained_pct.*", "target": {"value": 20, "by": "2024-08-31"}}"#);
        assert_eq!(ok.unwrap().len(), 1);
        for (bad, words) in [
            (
                r#"{"id": "x", "target": {"value": 20, "by": "2024-08-31"}, "note": 1}"#,
                "unknown key \"note\"",
            ),
            (r#"{"id": "x", "target": {"vlaue": 20, "by": "2024-08-31"}}"#, "unknown key \"vlaue\""),
            (r#"{"id": "x", "target": {"value": "20%", "by": "2024-08-31"}}"#, "\"value\" must be a number"),
            (r#"{"id": "x", "target": {"value": 20, "by": "31/08/2024"}}"#, "\"by\" must be a date"),
            (r#"{"target": {"value": 20, "by": "2024-08-31"}}"#, "\"id\""),
            ("7", "a measure is an id"),
        ] {
            let err = section(bad).unwrap_err();
            assert!(err.contains("section \"AET\", measure 2") && err.contains(words), "{bad}: {err}");
        }
    }

    #[test]
    fn the_framework_follows_the_year() {
        let y = |s: &str| s.parse::<AcademicYear>().unwrap();
        assert_eq!(for_year(y("2019-20")).id, "2022-23");
        assert_eq!(for_year(y("2022-23")).id, "2022-23");
        assert_eq!(for_year(y("2023-24")).id, "2023-24");
        assert_eq!(for_year(y("2027-28")).id, "2023-24");
        assert!(find("all").is_some());
        assert!(find("2021-22").is_none());
    }

    #[test]
    fn the_2023_24_framework_drops_and_adds_what_the_county_changed() {
        let listed = |f: &Framework, id: &str| {
            f.sections.iter().flat_map(|s| &s.measures).any(|e| Section::entry_matches(e, id))
        };
        let old = find("2022-23").unwrap();
        let new = find("2023-24").unwrap();
        for id in [
            "cases_open_over_six_months",
            "outreach_cases",
            "visits.semh",
            "training_courses.core",
            "referred_other_agencies",
        ] {
            assert!(listed(old, id) && !listed(new, id), "{id}");
        }
        for id in [
            "settings_supported_pct.primary",
            "active_by_area.semh",
            "clinic_cases_discussed.school",
            "training_courses.total",
            "training_settings.primary",
        ] {
            assert!(listed(new, id) && !listed(old, id), "{id}");
        }
    }
}
