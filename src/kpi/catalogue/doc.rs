//! `docs/measures.md`, made from the catalogue itself (a test fails when the file is out of date),
//! so the list people read is the list the program computes.

use super::{Unit, defs};
use crate::domain::manual::{MANUAL, ManualUnit};
use crate::kpi::framework::{self, Section};

/// Whether a framework's return holds a measure.
fn listed(framework: &str, id: &str, manual: bool) -> bool {
    framework::find(framework).is_some_and(|f| {
        f.sections.iter().any(|s| {
            if manual {
                s.manual.iter().any(|m| m == id) || s.all_manual
            } else {
                s.measures.iter().any(|e| Section::entry_matches(e, id))
            }
        })
    })
}

/// Where an entry is, as `src/kpi/catalogue/entries.rs:241` (with forward slashes on any
/// system, so the page is the same everywhere).
fn defined_at(d: &super::Def) -> String {
    format!("`{}:{}`", d.defined_at.file().replace('\\', "/"), d.defined_at.line())
}

fn unit_code(u: Unit) -> &'static str {
    u.code()
}

fn manual_unit(u: ManualUnit) -> &'static str {
    u.code()
}

/// The text of `docs/measures.md`.
pub fn markdown() -> String {
    let returns = ["2022-23", "2023-24"];
    let mut out = String::from(
        "# Measures\n\n\
         Every measure caseload computes or records, with what it counts. This page is made from the\n\
         program's own list of measures (a test fails when it is out of date), so it is always the\n\
         list the program uses. \"The period\" is the term, the monitoring period (two terms) or the\n\
         academic year being returned; a setting \"on the register\" is a district setting not closed\n\
         before the period starts. See [returns](returns.md) for periods, frameworks and formats.\n\n\
         The columns 2022-23 and 2023-24 say whether the framework of that name lists the measure\n\
         (`all` lists every one). \"Over several terms\" says how the figure of a monitoring period\n\
         or a year relates to its terms': a **sum** of the terms, counted **distinct** over the\n\
         whole period (a child in two terms counts once), or **as at the end** of the period.\n\
         \"Defined at\" is the file and line of the program where the measure is computed (ids such\n\
         as `active.school` are made from codes there, so searching the source for them finds\n\
         nothing: search this page).\n",
    );
    let all = framework::find("all").map(|f| f.sections.as_slice()).unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    for section in all.iter().filter(|s| !s.measures.is_empty()) {
        out.push_str(&format!("\n## {}\n\n", section.title));
        out.push_str("| id | defined at | unit | over several terms | 2022-23 | 2023-24 | definition |\n");
        out.push_str("|---|---|---|---|---|---|---|\n");
        for entry in &section.measures {
            for d in defs().iter().filter(|d| Section::entry_matches(entry, &d.id)) {
                if !seen.insert(d.id.as_str()) {
                    continue;
                }
                let marks: Vec<&str> =
                    returns.iter().map(|f| if listed(f, &d.id, false) { "yes" } else { "" }).collect();
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} | {} | {} |\n",
                    d.id,
                    defined_at(d),
                    unit_code(d.unit),
                    d.over_terms.words(),
                    marks[0],
                    marks[1],
                    d.definition
                ));
            }
        }
    }
    out.push_str(
        "\n## Figures the team types\n\n\
         Typed on the Returns screen (`m`, and `w` for the narrative) or loaded from a records file;\n\
         what is typed is checked against the unit.\n\n\
         | id | unit | 2022-23 | 2023-24 | definition |\n|---|---|---|---|---|\n",
    );
    for k in MANUAL {
        let marks: Vec<&str> =
            returns.iter().map(|f| if listed(f, k.id, true) { "yes" } else { "" }).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            k.id,
            manual_unit(k.unit),
            marks[0],
            marks[1],
            k.definition
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    /// `docs/measures.md` is the catalogue as it is. `CASELOAD_WRITE_DOCS=1 cargo test` rewrites it.
    #[test]
    fn docs_measures_md_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/measures.md");
        let made = super::markdown();
        if std::env::var_os("CASELOAD_WRITE_DOCS").is_some() {
            std::fs::write(&path, &made).unwrap();
        }
        for d in super::defs() {
            let row = format!("| `{}` | {} |", d.id, super::defined_at(d));
            assert!(made.contains(&row), "{} is missing from the page, or its place", d.id);
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default().replace("\r\n", "\n");
        assert!(
            on_disk == made,
            "docs/measures.md is out of date with the catalogue: run CASELOAD_WRITE_DOCS=1 cargo test --lib docs_measures"
        );
    }
}

#[cfg(test)]
mod places {
    use super::super::{defs, family::family_of};

    /// The line the page names for each measure is where it is made: the entry's call, with
    /// its id (or its family's maker) in the lines that follow, so a newcomer who searches the
    /// page for an id lands on its definition.
    #[test]
    fn the_page_names_the_line_that_defines_each_measure() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = std::collections::HashMap::new();
        for d in defs() {
            let file = d.defined_at.file().replace('\\', "/");
            let text = files
                .entry(file.clone())
                .or_insert_with(|| std::fs::read_to_string(root.join(&file)).unwrap_or_default());
            let lines: Vec<&str> = text.lines().collect();
            let at = (d.defined_at.line() as usize).saturating_sub(1);
            let call = lines.get(at).copied().unwrap_or_default();
            assert!(
                ["l.count(", "l.ratio(", "l.fte(", "l.push("].iter().any(|c| call.contains(c)),
                "{}: {file}:{} is not an entry ({call:?})",
                d.id,
                at + 1
            );
            let entry = lines[at..(at + 3).min(lines.len())].join("\n");
            let head = d.id.split('.').next().unwrap_or_default();
            let named = entry.contains(&format!("\"{}", d.id))
                || entry.contains(&format!("format!(\"{head}."))
                || family_of(&d.id).is_some() && entry.contains("family::");
            assert!(named, "{}: the entry at {file}:{} does not name it:\n{entry}", d.id, at + 1);
        }
    }
}
