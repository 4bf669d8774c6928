//! The return as a workbook a commissioner can open and read: the return by section (with the
//! team's notes), the terms view (each term and the period), the referrals-by-need table, the
//! narrative in full, and each measure's definition. Numbers are stored as numbers, percentages
//! formatted as percentages and money as money.

use super::figures::{Shown, is_percent};
use super::suppress::{Cell, Plan, need_total_key};
use crate::domain::{Area, ManualValue, Need, PhaseGroup, Term};
use crate::kpi::catalogue::{Figure, Measure, Unit, definition};
use crate::kpi::report::{Line, Return};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// The workbooks' cell formats (the return's and the county's look alike).
pub(crate) struct Styles {
    pub title: Format,
    pub bold: Format,
    pub header: Format,
    pub count: Format,
    pub percent: Format,
    pub decimal1: Format,
    /// One or two decimals, for a figure of no fixed precision (an FTE summed, an average).
    pub decimal: Format,
    pub fte: Format,
    pub money: Format,
    pub wrap: Format,
    /// Right-aligned text: `c` and other words in a column of numbers.
    pub c: Format,
    pub note: Format,
}

impl Styles {
    pub fn new() -> Styles {
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_background_color("#D9E1F2")
                .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin),
            count: Format::new().set_num_format("#,##0"),
            percent: Format::new().set_num_format("0.0%"),
            decimal1: Format::new().set_num_format("0.0"),
            decimal: Format::new().set_num_format("0.0#"),
            fte: Format::new().set_num_format("0.00"),
            money: Format::new().set_num_format("£#,##0.00"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            c: Format::new().set_align(FormatAlign::Right),
            note: Format::new().set_italic().set_font_color("#595959"),
        }
    }

    fn for_measure(&self, m: &Measure) -> &Format {
        match m.unit {
            Unit::Count => &self.count,
            Unit::Percent => &self.percent,
            Unit::Average => &self.decimal1,
            Unit::Fte => &self.fte,
            Unit::Money => &self.money,
            Unit::Text => &self.wrap,
            Unit::Manual => &self.decimal1,
        }
    }
}

/// A percentage as the fraction a workbook stores, rounded as it is shown (`0.0%`): 88.6 is
/// stored as 0.886, not 0.8859999999999999.
pub(crate) fn fraction(percent: f64) -> f64 {
    (percent * 10.0).round() / 1000.0
}

/// The widths of a sheet's columns, from the first; returns their sum (in characters).
pub(crate) fn widths(ws: &mut Worksheet, widths: &[f64]) -> Result<f64, XlsxError> {
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    Ok(widths.iter().sum())
}

/// About how many characters of column fit across A4 portrait at the default margins; a sheet
/// wider than this prints on landscape.
const PORTRAIT_CHARACTERS: f64 = 95.0;

/// Print setup for a sheet: A4, one page wide (as many long as it takes), landscape when its
/// columns are wider than portrait, the column titles (`titles`, a row) repeated on every page,
/// and a header and footer naming the district (or county) and the period.
pub(crate) fn print_setup(
    ws: &mut Worksheet,
    width: f64,
    titles: Option<u32>,
    who: &str,
    period: &str,
) -> Result<(), XlsxError> {
    // `&` starts a control code in a header; a name's own is doubled.
    let said = |s: &str| s.replace('&', "&&");
    ws.set_paper_size(9);
    if width > PORTRAIT_CHARACTERS {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    if let Some(row) = titles {
        ws.set_repeat_rows(row, row)?;
    }
    // Excel takes at most 255 characters, control codes included.
    let short = |s: &str, n: usize| -> String { said(&s.chars().take(n).collect::<String>()) };
    ws.set_header(format!("&L{}&R{}", short(who, 110), short(period, 110)));
    ws.set_footer("&L&A&RPage &P of &N");
    Ok(())
}

/// Writes one figure into a cell: numbers as numbers (percentages as fractions, formatted `0.0%`).
fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    m: &Measure,
    shown: Shown,
    st: &Styles,
) -> Result<(), XlsxError> {
    match shown {
        Shown::Null => {}
        Shown::Int(n) => {
            ws.write_number_with_format(row, col, n as f64, st.for_measure(m))?;
        }
        Shown::Num(x) if is_percent(m) => {
            ws.write_number_with_format(row, col, fraction(x), &st.percent)?;
        }
        Shown::Num(x) => {
            ws.write_number_with_format(row, col, x, st.for_measure(m))?;
        }
        Shown::Text(t) => {
            ws.write_string_with_format(row, col, t, &st.wrap)?;
        }
        // Not collected: an empty cell, with the note saying so.
        Shown::NotCollected => {}
        Shown::Suppressed => {
            ws.write_string_with_format(row, col, "c", &st.c)?;
        }
    }
    Ok(())
}

fn put_part(ws: &mut Worksheet, row: u32, col: u16, part: Shown, st: &Styles) -> Result<(), XlsxError> {
    match part {
        Shown::Int(n) => ws.write_number_with_format(row, col, n as f64, &st.count).map(drop),
        Shown::Num(x) => ws.write_number_with_format(row, col, x, &st.fte).map(drop),
        Shown::Suppressed => ws.write_string_with_format(row, col, "c", &st.c).map(drop),
        _ => Ok(()),
    }
}

/// A return's sheet: its column widths and its print setup, the header naming the district and
/// the period.
fn laid_out(ws: &mut Worksheet, r: &Return, columns: &[f64], titles: u32) -> Result<(), XlsxError> {
    let width = widths(ws, columns)?;
    let to_date = if r.provisional { ", to date" } else { "" };
    let p = &r.period;
    let period = format!("{} ({} to {}){to_date}", p.label, p.start.uk(), p.end.uk());
    print_setup(ws, width, Some(titles), &r.district, &period)
}

/// Title lines at the top of each sheet; returns the next free row.
fn heading(ws: &mut Worksheet, r: &Return, s: &Plan, what: &str, st: &Styles) -> Result<u32, XlsxError> {
    ws.write_string_with_format(0, 0, format!("{}: {what}", r.district), &st.title)?;
    ws.write_string(1, 0, r.framework_name())?;
    ws.write_string(
        2,
        0,
        format!(
            "Period: {} ({} to {}){}",
            r.period.label,
            r.period.start.uk(),
            r.period.end.uk(),
            if r.provisional { ", to date: provisional, the period is still in progress" } else { "" }
        ),
    )?;
    ws.write_string_with_format(3, 0, format!("Generated {}", r.generated_at), &st.note)?;
    let mut row = 4;
    if let Some(notice) = s.notice() {
        ws.write_string_with_format(row, 0, notice, &st.note)?;
        row += 1;
    }
    Ok(row + 1)
}

/// Writes a row of column titles; returns the next row.
fn titles(ws: &mut Worksheet, row: u32, titles: &[&str], st: &Styles) -> Result<u32, XlsxError> {
    for (col, title) in titles.iter().enumerate() {
        ws.write_string_with_format(row, col as u16, *title, &st.header)?;
    }
    Ok(row + 1)
}

/// Writes the column titles (kept in view when scrolling), then the return's lines under their
/// section headings; `cells` writes the figures of one line on its row, after its label.
fn by_section(
    ws: &mut Worksheet,
    row: u32,
    columns: &[&str],
    r: &Return,
    st: &Styles,
    mut cells: impl FnMut(&mut Worksheet, u32, &Line) -> Result<(), XlsxError>,
) -> Result<(), XlsxError> {
    ws.set_freeze_panes(row + 1, 1)?;
    let mut row = titles(ws, row, columns, st)?;
    let mut section = "";
    for line in &r.lines {
        if line.section != section {
            section = &line.section;
            row += 1;
            ws.write_string_with_format(row, 0, section, &st.bold)?;
            row += 1;
        }
        ws.write_string(row, 0, &line.measure.label)?;
        cells(ws, row, line)?;
        row += 1;
    }
    Ok(())
}

fn return_sheet(wb: &mut Workbook, r: &Return, s: &Plan, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Return")?;
    let row = heading(ws, r, s, "KPI return", st)?;
    let columns = ["Measure", "Value", "Numerator", "Denominator", "Measure id", "Note", "Target"];
    by_section(ws, row, &columns, r, st, |ws, row, line| {
        let m = &line.measure;
        put(ws, row, 1, m, s.value(m, None), st)?;
        let (num, den) = s.parts(m, None);
        put_part(ws, row, 2, num, st)?;
        put_part(ws, row, 3, den, st)?;
        ws.write_string_with_format(row, 4, &m.id, &st.note)?;
        if let Some(note) = note_of(m) {
            ws.write_string_with_format(row, 5, note, &st.wrap)?;
        }
        if let Some(t) = crate::kpi::framework::target_of(&r.framework_id, &m.id) {
            ws.write_string(row, 6, target_words(&t, m, s))?;
        }
        Ok(())
    })?;
    laid_out(ws, r, &[70.0, 16.0, 13.0, 13.0, 45.0, 60.0, 34.0], row)
}

/// The period term by term: a column for each term, then the whole period.
fn terms_sheet(wb: &mut Workbook, r: &Return, s: &Plan, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    let (name, what, whole) = match r.span {
        crate::domain::Scope::Year => ("Year view", "the year term by term", format!("Year {}", r.year)),
        _ => ("Terms view", "the period term by term", r.period.label.clone()),
    };
    ws.set_name(name)?;
    let row = heading(ws, r, s, what, st)?;
    let terms = r.span.terms();
    let mut columns = vec!["Measure".to_string()];
    columns.extend(terms.iter().map(Term::to_string));
    columns.push(whole);
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    by_section(ws, row, &columns, r, st, |ws, row, line| {
        // A term not started yet has no figure: its cell stays empty.
        for (i, (t, m)) in terms.iter().zip(line.terms.iter().flatten()).enumerate() {
            if let Some(m) = m {
                put(ws, row, 1 + i as u16, m, s.value(m, Some(*t)), st)?;
            }
        }
        put(ws, row, 1 + terms.len() as u16, &line.measure, s.value(&line.measure, None), st)
    })?;
    let mut columns = vec![70.0];
    columns.extend(std::iter::repeat_n(11.0, terms.len() + 1));
    laid_out(ws, r, &columns, row)
}

fn need_sheet(wb: &mut Workbook, r: &Return, s: &Plan, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Referrals by need")?;
    let row = heading(ws, r, s, "referrals by area and type of need", st)?;
    let columns = ["Area of need", "Priority need type", "Early years", "School age", "Total"];
    let first = row;
    let mut row = titles(ws, row, &columns, st)?;
    let cell = |group: PhaseGroup, area: Area, code: &str| -> (i64, Cell) {
        let id = crate::kpi::catalogue::family::need_cell(group, area, code);
        let n = r.by_need.iter().find(|m| m.id == id).and_then(|m| m.value()).map_or(0, |v| v as i64);
        (n, Cell { key: id, column: None })
    };
    let shown = |(n, cell): (i64, Cell)| if s.hides_cell(&cell) { Shown::Suppressed } else { Shown::Int(n) };
    let count = Measure {
        id: String::new(),
        label: String::new(),
        unit: Unit::Count,
        figure: Figure::Count(0),
        note: None,
        not_collected: false,
    };
    for area in Area::ALL {
        let needs: Vec<(String, String)> = Need::for_area(*area)
            .map(|n| (n.code().to_string(), format!("{} ({})", n.label(), n.code())))
            .chain(std::iter::once((
                crate::kpi::catalogue::family::NO_NEED.to_string(),
                "Not given".to_string(),
            )))
            .collect();
        for (code, name) in needs {
            let ey = cell(PhaseGroup::EarlyYears, *area, &code);
            let school = cell(PhaseGroup::School, *area, &code);
            let total = (ey.0 + school.0, Cell { key: need_total_key(*area, &code), column: None });
            ws.write_string(row, 0, area.label())?;
            ws.write_string(row, 1, name)?;
            put(ws, row, 2, &count, shown(ey), st)?;
            put(ws, row, 3, &count, shown(school), st)?;
            put(ws, row, 4, &count, shown(total), st)?;
            row += 1;
        }
    }
    laid_out(ws, r, &[38.0, 58.0, 12.0, 12.0, 12.0], first)
}

/// What the Note column says: "Not collected" first when it was not, then the team's note.
/// A target as a reader says it: "20% by 31 Aug 2024: not yet" (no verdict on a hidden figure).
pub(crate) fn target_words(t: &crate::kpi::framework::MeasureTarget, m: &Measure, s: &Plan) -> String {
    let unit = if m.unit == crate::kpi::catalogue::Unit::Percent { "%" } else { "" };
    let verdict = t.words(s.value(m, None).to_json().as_f64()).map(|w| format!(": {w}")).unwrap_or_default();
    format!("{}{unit} by {}{verdict}", t.value, t.by.uk())
}

fn note_of(m: &Measure) -> Option<String> {
    match (m.not_collected, &m.note) {
        (false, None) => None,
        (false, Some(n)) => Some(n.clone()),
        (true, None) => Some("Not collected".into()),
        (true, Some(n)) => Some(format!("Not collected. {n}")),
    }
}

/// Each measure's definition, in the return's order.
fn definitions_sheet(wb: &mut Workbook, r: &Return, s: &Plan, st: &Styles) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Definitions")?;
    let row = heading(ws, r, s, "what each measure counts", st)?;
    let first = titles(ws, row, &["Measure", "Measure id", "Unit", "Definition"], st)?;
    ws.set_freeze_panes(first, 1)?;
    for (row, line) in (first..).zip(&r.lines) {
        let m = &line.measure;
        ws.write_string_with_format(row, 0, &m.label, &st.wrap)?;
        ws.write_string(row, 1, &m.id)?;
        ws.write_string(row, 2, m.unit.code())?;
        ws.write_string_with_format(row, 3, definition(&m.id), &st.wrap)?;
    }
    laid_out(ws, r, &[50.0, 40.0, 9.0, 90.0], row)
}

/// The narrative in full, heading by heading (each term's for a period of several terms).
fn narrative_sheet(wb: &mut Workbook, r: &Return, s: &Plan, st: &Styles) -> Result<(), XlsxError> {
    let texts: Vec<(&str, String, &str)> = r
        .lines
        .iter()
        .filter(|l| l.measure.unit == Unit::Text)
        .flat_map(|l| {
            let mut out = Vec::new();
            if let Figure::Manual(Some(ManualValue::Text(t))) = &l.measure.figure {
                out.push((l.measure.label.as_str(), r.period.label.clone(), t.as_str()));
            }
            for (term, m) in r.span.terms().iter().zip(l.terms.iter().flatten()) {
                if let Some(Figure::Manual(Some(ManualValue::Text(t)))) = m.as_ref().map(|m| &m.figure) {
                    out.push((l.measure.label.as_str(), format!("{} {term}", r.year), t.as_str()));
                }
            }
            out
        })
        .collect();
    if texts.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet();
    ws.set_name("Narrative")?;
    let row = heading(ws, r, s, "the district's narrative", st)?;
    let first = titles(ws, row, &["Heading", "Term", "Text"], st)?;
    for (row, (heading, term, text)) in (first..).zip(texts) {
        ws.write_string_with_format(row, 0, heading, &st.bold)?;
        ws.write_string(row, 1, &term)?;
        ws.write_string_with_format(row, 2, text, &st.wrap)?;
    }
    laid_out(ws, r, &[32.0, 14.0, 110.0], row)
}

/// The workbook's bytes.
pub fn workbook(r: &Return, s: &Plan) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    crate::export::mark_workbook(&mut wb);
    return_sheet(&mut wb, r, s, &st)?;
    if r.span.term().is_none() {
        terms_sheet(&mut wb, r, s, &st)?;
    }
    need_sheet(&mut wb, r, s, &st)?;
    narrative_sheet(&mut wb, r, s, &st)?;
    definitions_sheet(&mut wb, r, s, &st)?;
    wb.save_to_buffer()
}
