//! Frameworks: which measures make a return, in what sections and order. Kept as data files in
//! `assets/frameworks/`, so next year's change of KPI set is an edit of a file.

use crate::domain::AcademicYear;
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
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    /// Measure ids; `prefix.*` stands for every catalogue measure under that prefix.
    #[serde(default)]
    pub measures: Vec<String>,
    /// Figures the team types in each term (ids of `domain::manual`).
    #[serde(default)]
    pub manual: Vec<String>,
    /// Manual figures shown only when the team recorded one (ids of earlier frameworks).
    #[serde(default)]
    pub if_recorded: Vec<String>,
    /// Every manual figure recorded for the period, whatever its id.
    #[serde(default)]
    pub all_manual: bool,
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
