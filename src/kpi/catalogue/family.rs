//! Families of measures: ids made of a prefix and codes (`referrals_by_need.school.semh.ADHD`),
//! defined once here so no module recognises a family by spelling its prefix. The pack's
//! definitions, the county's combination, the suppression and the workbook's need table read
//! a family through these functions.

use crate::domain::{Area, Need, PhaseGroup};

/// A family of measures that share a prefix and one definition.
#[derive(Debug, PartialEq, Eq)]
pub struct Family {
    /// The ids' first part, without the dot.
    pub prefix: &'static str,
    /// The family as one line of a list of definitions.
    pub label: &'static str,
    pub definition: &'static str,
    /// Only cells that are not zero are listed in a return.
    pub only_when_not_zero: bool,
}

impl Family {
    /// Whether an id belongs to the family.
    pub fn holds(&self, id: &str) -> bool {
        id.strip_prefix(self.prefix).is_some_and(|rest| rest.starts_with('.'))
    }

    /// The id of a member: the prefix and the codes, dot-separated.
    pub fn id(&self, codes: &[&str]) -> String {
        let mut id = self.prefix.to_string();
        for c in codes {
            id.push('.');
            id.push_str(c);
        }
        id
    }

    /// The codes after the prefix of a member's id.
    pub fn codes<'a>(&self, id: &'a str) -> Option<Vec<&'a str>> {
        self.holds(id).then(|| id[self.prefix.len() + 1..].split('.').collect())
    }
}

/// The referrals-by-need table: one count for each phase group, area of need and priority need
/// type ("none" when not given).
pub const REFERRALS_BY_NEED: Family = Family {
    prefix: "referrals_by_need",
    label: "Referrals by phase group, area and need type",
    definition: "Referrals received in the period by the phase group of the child (early years; school \
                 age: primary, secondary or post-16), the area of need and the priority need type \
                 (\"none\" when not given). Only cells that are not zero are listed.",
    only_when_not_zero: true,
};

/// Cases open and not active on the period's last day, by phase group and the reason the case
/// is kept open ("none_given" when blank).
pub const OPEN_NOT_ACTIVE: Family = Family {
    prefix: "open_not_active",
    label: "Cases open but not active, by phase group and reason",
    definition: "Cases open and not actively supported on the period's last day, by the phase group of \
                 the case (early years; school age: primary, secondary or post-16) and the reason the case \
                 is kept open (\"none_given\" when no reason is recorded): the gap between the caseload \
                 and the children actively supported, explained.",
    only_when_not_zero: false,
};

/// The code of "no reason given" among the open-not-active reasons.
pub const NONE_GIVEN: &str = "none_given";

/// Every family, for lookups by id.
pub const FAMILIES: &[&Family] = &[&REFERRALS_BY_NEED, &OPEN_NOT_ACTIVE];

/// The family an id belongs to, if any.
pub fn family_of(id: &str) -> Option<&'static Family> {
    FAMILIES.iter().copied().find(|f| f.holds(id))
}

/// The code of "no need type given" in the need table.
pub const NO_NEED: &str = "none";

/// The need table's rows of an area: each need type's code, then "none".
pub fn need_codes(area: Area) -> impl Iterator<Item = &'static str> {
    Need::for_area(area).map(Need::code).chain([NO_NEED])
}

/// A cell of the need table.
pub fn need_cell(group: PhaseGroup, area: Area, code: &str) -> String {
    REFERRALS_BY_NEED.id(&[group.code(), area.code(), code])
}

/// The key of a row's total (both groups) on the need sheet of an export.
pub fn need_total(area: Area, code: &str) -> String {
    REFERRALS_BY_NEED.id(&["total", area.code(), code])
}

/// The area of need of a cell of the need table.
pub fn need_area(id: &str) -> Option<Area> {
    let codes = REFERRALS_BY_NEED.codes(id)?;
    Area::ALL.iter().copied().find(|a| codes.get(1) == Some(&a.code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_holds_its_members_and_nothing_that_only_begins_alike() {
        let cell = need_cell(PhaseGroup::School, Area::Semh, "ADHD");
        assert_eq!(cell, "referrals_by_need.school.semh.ADHD");
        assert!(REFERRALS_BY_NEED.holds(&cell));
        assert!(!REFERRALS_BY_NEED.holds("referrals_by_needs.school"));
        assert!(!REFERRALS_BY_NEED.holds("referrals.primary"));
        assert_eq!(need_area(&cell), Some(Area::Semh));
        assert_eq!(family_of(&cell), Some(&REFERRALS_BY_NEED));
        assert_eq!(family_of("caseload.school"), None);
    }

    #[test]
    fn every_cell_of_the_need_table_is_a_measure_of_the_catalogue() {
        let mut cells = 0;
        for g in PhaseGroup::ALL {
            for a in Area::ALL {
                for code in need_codes(*a) {
                    let d = super::super::def(&need_cell(*g, *a, code));
                    assert!(d.is_some_and(|d| d.only_when_not_zero), "{g} {a} {code}");
                    cells += 1;
                }
            }
        }
        let in_catalogue = super::super::defs().iter().filter(|d| REFERRALS_BY_NEED.holds(&d.id)).count();
        assert_eq!(cells, in_catalogue, "the catalogue's cells are the table's");
    }
}
