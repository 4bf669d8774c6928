//! The county's workbook: the county's figures by section, a sheet per section putting the
//! districts side by side measure by measure (the annual report's appendix tables), the
//! districts' narratives and the definitions.

use super::expect::NO_RETURN;
use super::read::{COLUMNS, Given};
use super::write::Hides;
use super::{Combine, County, CountyMeasure};
use crate::export::xlsx::{Styles, fraction, print_setup, widths};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The format of a measure's numbers.
fn number<'a>(st: &'a Styles, m: &CountyMeasure) -> &'a Format {
    match m.unit.as_str() {
        "count" => &st.count,
        "percent" => &st.percent,
        "money" => &st.money,
        _ => &st.decimal,
    }
}

/// A number in its unit (a percentage as a fraction, shown as a percentage), or a word.
fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    m: &CountyMeasure,
    value: Option<f64>,
    word: Option<&str>,
    st: &Styles,
) -> Result<(), XlsxError> {
    match (word, value) {
        (Some(w), _) => ws.write_string_with_format(row, col, w, &st.c).map(drop),
        (None, Some(v)) if m.unit == "percent" => {
            ws.write_number_with_format(row, col, fraction(v), &st.percent).map(drop)
        }
        (None, Some(v)) => ws.write_number_with_format(row, col, v, number(st, m)).map(drop),
        (None, None) => Ok(()),
    }
}

fn district_cell(g: &Given, hidden: bool) -> (Option<f64>, Option<&'static str>) {
    match (hidden, g.not_collected) {
        (true, _) => (None, Some("c")),
        (false, true) => (None, Some("not collected")),
        _ => (g.value, None),
    }
}

fn heading(
    ws: &mut Worksheet,
    county: &County,
    hides: &dyn Hides,
    what: &str,
    st: &Styles,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(0, 0, format!("County: {what}"), &st.title)?;
    ws.write_string(
        1,
        0,
        format!(
            "Academic year {} · framework {} · {} districts' returns: {}",
            county.year,
            county.framework,
            county.districts.len(),
            county.districts.join(", ")
        ),
    )?;
    ws.write_string_with_format(2, 0, format!("Made {}", county.generated_at), &st.note)?;
    let mut row = 3;
    // Who sent a return, the days covered and the budget warnings, then what c means.
    let warnings = county.warnings.len();
    for (k, line) in county.preamble().into_iter().chain(hides.notice()).enumerate() {
        // A district missing and a warning stand out; the rest is said quietly.
        let loud = (k == 0 && !county.missing.is_empty()) || (2..2 + warnings).contains(&k);
        let format = if loud { &st.bold } else { &st.note };
        ws.write_string_with_format(row, 0, line, format)?;
        row += 1;
    }
    Ok(row + 1)
}

/// A county sheet's column widths (Excel's default for a column not given) and print setup,
/// the header naming the county's year and its districts' number.
fn laid_out(
    ws: &mut Worksheet,
    county: &County,
    columns: &[f64],
    titles: Option<u32>,
) -> Result<(), XlsxError> {
    const DEFAULT: f64 = 8.43;
    let given: Vec<f64> = columns.iter().map(|w| if *w > 0.0 { *w } else { DEFAULT }).collect();
    let width = widths(ws, &given)?;
    let period = format!("{} · {} districts", county.year, county.districts.len());
    print_setup(ws, width, titles, "The county's combined return", &period)
}

fn titles(ws: &mut Worksheet, row: u32, titles: &[&str], st: &Styles) -> Result<u32, XlsxError> {
    for (c, t) in titles.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *t, &st.header)?;
    }
    Ok(row + 1)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique. A long title
/// is shortened so that it still reads: the report's usual short forms first ("LAR", an acronym
/// given in brackets), then whole words with "…".
fn sheet_name(title: &str, used: &mut Vec<String>) -> String {
    const MOST: usize = 31;
    let clean: String = title.chars().filter(|c| !"[]:*?/\\".contains(*c)).collect();
    // Excel refuses a name that starts or ends with an apostrophe, and a blank one.
    let clean = match clean.trim().trim_matches('\'').trim() {
        "" => "Section".to_string(),
        trimmed => trimmed.to_string(),
    };
    let fits = |s: &str| s.chars().count() <= MOST;
    let mut name = clean.clone();
    if !fits(&name) {
        name = name.replace("Local Activity Report", "LAR");
    }
    if !fits(&name)
        && let (Some(open), Some(close)) = (name.find('('), name.find(')'))
        && open < close
    {
        // "Autism Education Trust (AET) programme" becomes "AET programme".
        name = format!("{}{}", &name[open + 1..close], &name[close + 1..]);
    }
    if !fits(&name) {
        let mut short = String::new();
        for word in name.split_whitespace() {
            let next = if short.is_empty() { word.to_string() } else { format!("{short} {word}") };
            if next.chars().count() > MOST - 1 {
                break;
            }
            short = next;
        }
        name = if short.is_empty() {
            name.chars().take(MOST - 1).collect::<String>() + "…"
        } else {
            format!("{}…", short.trim_end_matches([',', ';']))
        };
    }
    let base = name.clone();
    let mut n = 2;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        let suffix = format!(" {n}");
        name = base.chars().take(MOST - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    used.push(name.clone());
    name
}

fn county_sheet(wb: &mut Workbook, county: &County, hides: &dyn Hides, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("County")?;
    let row = heading(ws, county, hides, "the countywide figures", st)?;
    let mut columns = vec!["Measure"];
    columns.extend(COLUMNS.iter().map(|c| if *c == "year" { "Year" } else { *c }));
    columns.extend(["Districts reporting (year)", "Mean of districts (year)", "Note"]);
    let first = row;
    let mut row = titles(ws, row, &columns, st)?;
    ws.set_freeze_panes(row, 1)?;
    let mut section = "";
    for (i, m) in county.measures.iter().enumerate() {
        if m.section != section {
            section = &m.section;
            row += 1;
            ws.write_string_with_format(row, 0, section, &st.bold)?;
            row += 1;
        }
        ws.write_string(row, 0, &m.label)?;
        if m.combine != Combine::Text {
            for (c, f) in m.county.iter().enumerate() {
                let word = hides.hides(i, None, c).then_some("c");
                put(ws, row, 1 + c as u16, m, f.value, word, st)?;
            }
            let year = &m.county[6];
            ws.write_string(row, 8, format!("{} of {}", year.reporting, county.out_of()))?;
            if let Some(mean) =
                year.mean_of_districts.filter(|_| hides.shows_spread(i, 6, county.districts.len()))
            {
                // A mean of counts has its decimal (an average per district).
                let format = if m.unit == "count" { &st.decimal1 } else { number(st, m) };
                match m.unit.as_str() {
                    "percent" => put(ws, row, 9, m, Some(mean), None, st)?,
                    _ => drop(ws.write_number_with_format(row, 9, mean, format)?),
                }
            }
        }
        if let Some(note) = &m.note {
            ws.write_string_with_format(row, 10, note, &st.note)?;
        }
        row += 1;
    }
    let mut columns = vec![60.0];
    columns.extend([11.0; 7]);
    columns.extend([12.0, 12.0, 50.0]);
    laid_out(ws, county, &columns, Some(first))
}

/// About how many rows of the default height a landscape A4 page holds at the default margins.
const ROWS_PER_PAGE: u32 = 30;

/// One sheet per section: a table per measure, the districts and the county as rows.
fn section_sheets(
    wb: &mut Workbook,
    county: &County,
    hides: &dyn Hides,
    st: &Styles,
) -> Result<(), XlsxError> {
    // The workbook's own sheets, and "History", which Excel keeps for itself.
    let mut used: Vec<String> = ["County", "Narratives", "Definitions", "History"].map(String::from).to_vec();
    let mut sections: Vec<&str> = Vec::new();
    for m in &county.measures {
        if m.combine != Combine::Text && !sections.contains(&m.section.as_str()) {
            sections.push(&m.section);
        }
    }
    for section in sections {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(section, &mut used))?;
        let mut row = heading(ws, county, hides, &format!("{section}, district by district"), st)?;
        // Each measure's table kept on one printed page: a break before one that would cross.
        let (mut breaks, mut page_start) = (Vec::new(), 0);
        let table_rows = (county.districts.len() + county.missing.len()) as u32 + 4;
        for (i, m) in county
            .measures
            .iter()
            .enumerate()
            .filter(|(_, m)| m.section == section && m.combine != Combine::Text)
        {
            if row + table_rows > page_start + ROWS_PER_PAGE && row > page_start {
                breaks.push(row);
                page_start = row;
            }
            ws.write_string_with_format(row, 0, &m.label, &st.bold)?;
            row += 1;
            let mut columns = vec!["District"];
            columns.extend(COLUMNS.iter().map(|c| if *c == "year" { "Year" } else { *c }));
            columns.push("Note");
            row = titles(ws, row, &columns, st)?;
            for (d, (name, figures)) in county.districts.iter().zip(&m.districts).enumerate() {
                ws.write_string(row, 0, name)?;
                if let Some(figures) = figures {
                    for (c, g) in figures.iter().enumerate() {
                        let (value, word) = district_cell(g, hides.hides(i, Some(d), c));
                        put(ws, row, 1 + c as u16, m, value, word, st)?;
                    }
                }
                if let Some(note) = m.district_note(d, |c| !hides.hides(i, Some(d), c)) {
                    ws.write_string_with_format(row, 8, note, &st.note)?;
                }
                row += 1;
            }
            // A district that sent no return has its row, saying so.
            for name in &county.missing {
                ws.write_string(row, 0, name)?;
                ws.write_string_with_format(row, 8, NO_RETURN, &st.note)?;
                row += 1;
            }
            ws.write_string_with_format(row, 0, "County", &st.bold)?;
            for (c, f) in m.county.iter().enumerate() {
                put(ws, row, 1 + c as u16, m, f.value, hides.hides(i, None, c).then_some("c"), st)?;
            }
            if let Some(note) = &m.note {
                ws.write_string_with_format(row, 8, note, &st.note)?;
            }
            row += 2;
        }
        // A table for each measure, each with its own titles (none to repeat), kept whole; the
        // districts' notes in the last column.
        let mut columns = vec![44.0];
        columns.extend([11.0; 7]);
        columns.push(60.0);
        laid_out(ws, county, &columns, None)?;
        ws.set_page_breaks(&breaks)?;
    }
    Ok(())
}

fn narratives_sheet(
    wb: &mut Workbook,
    county: &County,
    hides: &dyn Hides,
    st: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Narratives")?;
    let row = heading(ws, county, hides, "the districts' narratives", st)?;
    let first = row;
    let mut row = titles(ws, row, &["District", "Term", "Heading", "Text"], st)?;
    for m in county.measures.iter().filter(|m| m.combine == Combine::Text) {
        for (name, figures) in county.districts.iter().zip(&m.districts) {
            for (c, g) in figures.iter().flatten().enumerate() {
                let Some(text) = &g.text else { continue };
                ws.write_string(row, 0, name)?;
                ws.write_string(row, 1, COLUMNS[c])?;
                ws.write_string(row, 2, &m.label)?;
                ws.write_string_with_format(row, 3, text, &st.wrap)?;
                row += 1;
            }
        }
    }
    laid_out(ws, county, &[24.0, 0.0, 30.0, 100.0], Some(first))
}

fn definitions_sheet(
    wb: &mut Workbook,
    county: &County,
    hides: &dyn Hides,
    st: &Styles,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Definitions")?;
    let row = heading(ws, county, hides, "what each measure counts", st)?;
    let first = titles(
        ws,
        row,
        &["Measure", "Measure id", "Unit", "Definition", "How the county's figure is made"],
        st,
    )?;
    for (row, m) in (first..).zip(&county.measures) {
        let how = match m.combine {
            Combine::Sum if m.unit == "count" => {
                "the sum over the districts reporting it (the mean of the districts beside: the average per district)"
            }
            Combine::Sum => "the sum over the districts reporting it",
            Combine::Pool => "pooled: the districts' numerators over their denominators (their mean beside)",
            Combine::Mean => "the mean of the districts' values",
            Combine::Text => "each district's text",
        };
        ws.write_string_with_format(row, 0, &m.label, &st.wrap)?;
        ws.write_string(row, 1, &m.id)?;
        ws.write_string(row, 2, &m.unit)?;
        ws.write_string_with_format(row, 3, &m.definition, &st.wrap)?;
        ws.write_string_with_format(row, 4, how, &st.wrap)?;
    }
    laid_out(ws, county, &[44.0, 36.0, 0.0, 80.0, 40.0], Some(row))
}

pub fn workbook(county: &County, hides: &dyn Hides) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    crate::export::mark_workbook(&mut wb);
    county_sheet(&mut wb, county, hides, &st)?;
    section_sheets(&mut wb, county, hides, &st)?;
    narratives_sheet(&mut wb, county, hides, &st)?;
    definitions_sheet(&mut wb, county, hides, &st)?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn long_section_titles_become_sheet_names_that_still_read() {
        let mut used = Vec::new();
        let mut name = |t: &str| sheet_name(t, &mut used);
        assert_eq!(name("Local Activity Report: referrals"), "Local Activity Report referrals");
        assert_eq!(name("Local Activity Report: referrals by need"), "LAR referrals by need");
        assert_eq!(name("Autism Education Trust (AET) programme"), "AET programme");
        assert_eq!(name("Clinics, surgeries and in-setting reviews"), "Clinics, surgeries and…");
        assert_eq!(name("Clinics, surgeries and in-setting reviews again"), "Clinics, surgeries and… 2");
        assert_eq!(name("LIFT"), "LIFT");
        assert_eq!(name("lift"), "lift 2");
        assert_eq!(name("'Caseload'"), "Caseload");
        assert_eq!(name("[]:*?/\\"), "Section");
        assert_eq!(name(""), "Section 2");
        let long = name(&"x".repeat(80));
        assert_eq!(long.chars().count(), 31);
    }

    #[test]
    fn every_sheet_name_made_is_one_excel_accepts() {
        let mut used = ["County", "Narratives", "Definitions", "History"].map(String::from).to_vec();
        let titles = [
            "County",
            "county",
            "HISTORY",
            "'",
            "''Referrals''",
            "Referrals: by need [2025-26] / term?",
            &"Local Activity Report ".repeat(4),
            &"é".repeat(40),
            "A (B) C (D) E F G H I J K L M N O P Q R S T U V W X Y Z",
            &format!("{}'", "y".repeat(29)),
        ];
        for title in titles.iter().chain(titles.iter()) {
            let name = sheet_name(title, &mut used);
            let accepted = rust_xlsxwriter::Worksheet::new().set_name(&name).map(drop);
            assert!(accepted.is_ok(), "{title:?} gave {name:?}: {accepted:?}");
            let reserved = ["county", "narratives", "definitions", "history"];
            assert!(!reserved.contains(&name.to_lowercase().as_str()), "{title:?} gave {name:?}");
        }
        let lower: Vec<String> = used.iter().map(|u| u.to_lowercase()).collect();
        let unique: std::collections::HashSet<&String> = lower.iter().collect();
        assert_eq!(unique.len(), lower.len(), "{used:?}");
    }
}
