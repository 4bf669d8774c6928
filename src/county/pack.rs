//! The county pack: the combined return as one HTML document (docs/county.md): the countywide
//! figures term by term, and for each headline measure a chart of the six terms and a chart of
//! the districts side by side; the district appendix tables; the districts' narratives.

use super::expect::NO_RETURN;
use super::read::COLUMNS;
use super::write::Hides;
use super::{Combine, County, CountyMeasure};
use crate::domain::manual::grouped;
use crate::export::Suppression;
use crate::export::pack::charts::{self, Chart, Kind, Series};
use crate::export::pack::{STYLE, esc};
use crate::kpi::catalogue;
use std::fmt::Write as _;

/// The measures charted: (id, what the axis counts); each chart's title is the catalogue's label.
const HEADLINES: [(&str, &str); 12] = [
    ("caseload.school", "children"),
    ("caseload.early_years", "children"),
    ("active.school", "children"),
    ("active.early_years", "children"),
    ("referrals.primary", "referrals"),
    ("referrals.early_years", "referrals"),
    ("lift_meetings.school", "meetings"),
    ("lift_children_discussed_avg.school", "children per meeting"),
    ("settings_supported_pct.primary", "%"),
    ("clinics.school", "clinics"),
    ("training_courses.total", "courses"),
    ("transition_events.school", "events"),
];

/// The mean of the districts: a count's has its decimal (an average per district).
fn mean_shown(m: &CountyMeasure, v: f64) -> String {
    if m.unit == "count" { format!("{v:.1}") } else { shown(m, Some(v)) }
}

fn shown(m: &CountyMeasure, v: Option<f64>) -> String {
    match v {
        None => "–".into(),
        Some(x) if m.unit == "percent" => format!("{x}%"),
        Some(x) if m.unit == "money" => crate::domain::manual::money(x),
        Some(x) if m.unit == "count" => grouped(x as i64),
        Some(x) => format!("{x}"),
    }
}

/// The districts' names for a chart's axis: the words they all begin with left out ("District
/// 1", "District 2" become "1", "2"), so the part that differs shows.
fn short_names(names: &[String]) -> Vec<String> {
    let words: Vec<Vec<&str>> = names.iter().map(|n| n.split_whitespace().collect()).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let common = (0..shortest.saturating_sub(1))
        .take_while(|i| words.iter().all(|w| w[*i].eq_ignore_ascii_case(words[0][*i])))
        .count();
    if names.len() < 2 {
        return names.to_vec();
    }
    words.iter().map(|w| w[common..].join(" ")).collect()
}

/// The county pack of the combined figures.
pub fn html(county: &County, hides: &dyn Hides, below: Option<u32>) -> String {
    let mut out = String::with_capacity(400_000);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>County pack {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&county.year.to_string())
    );
    title(&mut out, county, below);
    figures(&mut out, county, hides);
    headline_charts(&mut out, county, hides);
    appendix(&mut out, county, hides);
    narratives(&mut out, county);
    out.push_str("</body>\n</html>\n");
    out
}

fn title(out: &mut String, county: &County, below: Option<u32>) {
    let _ = writeln!(
        out,
        "<header class=\"title\">\n<h1>The county: {}</h1>\n<p>The districts' returns combined</p>\n<dl>\n\
         <dt>Framework</dt><dd>{}</dd>\n<dt>Returns</dt><dd>{}</dd>\n<dt>Districts</dt><dd>{}</dd>",
        esc(&county.year.to_string()),
        esc(&county.framework),
        esc(&county.coverage()),
        esc(&county.districts.join(", ")),
    );
    let _ = writeln!(
        out,
        "<dt>Covers</dt><dd{}>{}</dd>",
        if county.provisional { " class=\"provisional\"" } else { "" },
        esc(&county.covers())
    );
    let _ = writeln!(out, "<dt>Made</dt><dd>{}</dd>", esc(&county.generated_at));
    if !county.warnings.is_empty() {
        out.push_str("<dt>Warnings</dt><dd><ul class=\"warnings\">");
        for w in &county.warnings {
            let _ = write!(out, "<li>{}</li>", esc(w));
        }
        out.push_str("</ul></dd>\n");
    }
    if let Some(notice) = (Suppression { below }).notice() {
        let _ = writeln!(out, "<dt>Small counts</dt><dd>{}</dd>", esc(&notice));
    }
    out.push_str(
        "</dl>\n<p class=\"muted\">Counts add up over the districts reporting them, with the mean of the districts \
         (the average per district) beside; percentages and averages are pooled (the districts' numerators over \
         their denominators), with the mean of the districts beside. A figure a district did not collect is left \
         out, and the number of districts reporting is given.</p>\n</header>\n",
    );
}

/// The countywide figures, section by section: T1-T6 and the year, with districts reporting.
fn figures(out: &mut String, county: &County, hides: &dyn Hides) {
    out.push_str("<section>\n<h2>The countywide figures</h2>\n");
    let mut section = "";
    for (i, m) in county.measures.iter().enumerate().filter(|(_, m)| m.combine != Combine::Text) {
        if m.section != section {
            if !section.is_empty() {
                out.push_str("</tbody>\n</table>\n");
            }
            section = &m.section;
            let _ = write!(
                out,
                "<h3>{}</h3>\n<table class=\"figures county\">\n<thead><tr><th>Measure</th>",
                esc(section)
            );
            for c in COLUMNS {
                let _ = write!(out, "<th class=\"n\">{}</th>", if c == "year" { "Year" } else { c });
            }
            out.push_str(
                "<th class=\"n\">Mean of districts (year)</th><th class=\"n\">Reporting (year)</th></tr></thead>\n<tbody>\n",
            );
        }
        let _ = write!(out, "<tr><td>{}</td>", esc(&m.label));
        for (c, f) in m.county.iter().enumerate() {
            let cell = if hides.hides(i, None, c) { "c".to_string() } else { shown(m, f.value) };
            let _ = write!(
                out,
                "<td class=\"n\" data-id=\"{}\" data-col=\"{}\">{cell}</td>",
                esc(&m.id),
                COLUMNS[c]
            );
        }
        let year = &m.county[6];
        let mean = if hides.shows_spread(i, 6, county.districts.len()) {
            year.mean_of_districts.map(|v| mean_shown(m, v)).unwrap_or_default()
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<td class=\"n\">{mean}</td><td class=\"n\">{} of {}</td></tr>",
            year.reporting,
            county.out_of()
        );
    }
    if !section.is_empty() {
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
}

/// For each headline measure: the county's six terms, and the districts side by side (the year).
fn headline_charts(out: &mut String, county: &County, hides: &dyn Hides) {
    out.push_str("<section class=\"page\">\n<h2>Headline measures</h2>\n");
    let mut drawn = 0;
    let mut not_listed: Vec<String> = Vec::new();
    for (id, unit) in HEADLINES {
        let title = catalogue::label(id);
        let Some((i, m)) = county.measures.iter().enumerate().find(|(_, m)| m.id == id) else {
            not_listed.push(title);
            continue;
        };
        let terms: Vec<Option<f64>> =
            (0..6).map(|c| if hides.hides(i, None, c) { None } else { m.county[c].value }).collect();
        let kind = if unit == "%" || unit == "children per meeting" { Kind::Lines } else { Kind::Bars };
        let over_terms = Chart {
            target: None,
            title: format!("{title}, the county term by term"),
            unit: unit.to_string(),
            kind,
            series: vec![Series { label: "County".into(), values: terms }],
            categories: charts::terms(),
        };
        // A district that sent no return has its place on the axis, empty.
        let districts: Vec<Option<f64>> = m
            .districts
            .iter()
            .enumerate()
            .map(|(d, f)| if hides.hides(i, Some(d), 6) { None } else { f.as_ref().and_then(|f| f[6].value) })
            .chain(county.missing.iter().map(|_| None))
            .collect();
        let names: Vec<String> = county.districts.iter().chain(&county.missing).cloned().collect();
        let side_by_side = Chart {
            target: None,
            title: format!("{title}, the districts' year"),
            unit: unit.to_string(),
            kind: Kind::Bars,
            series: vec![Series { label: "The year".into(), values: districts }],
            categories: short_names(&names),
        };
        let reporting = m.county[6].reporting;
        for chart in [over_terms, side_by_side] {
            let _ = writeln!(
                out,
                "<figure class=\"chart\">\n{}\n<figcaption>{} ({reporting} of {} districts reporting)</figcaption>\n</figure>",
                chart.svg(),
                esc(&chart.title),
                county.out_of()
            );
            drawn += 1;
        }
    }
    if drawn == 0 {
        out.push_str("<p class=\"muted\">None of the headline measures is in this framework.</p>\n");
    } else if !not_listed.is_empty() {
        // Said, not skipped: a reader looking for a headline learns why it is not drawn.
        let _ = writeln!(
            out,
            "<p class=\"muted\">Not in this framework, so not drawn: {}.</p>",
            esc(&not_listed.join("; "))
        );
    }
    out.push_str("</section>\n");
}

/// The appendix: for each measure, the districts by terms.
fn appendix(out: &mut String, county: &County, hides: &dyn Hides) {
    out.push_str("<section class=\"page\">\n<h2>District tables</h2>\n");
    // A measure no district gave a figure for is named once, not drawn as a table of dashes.
    let given = |m: &CountyMeasure| m.county.iter().any(|f| f.value.is_some());
    for (i, m) in county.measures.iter().enumerate().filter(|(_, m)| m.combine != Combine::Text && given(m)) {
        let _ = write!(
            out,
            "<section class=\"figures\">\n<h3>{}</h3>\n<table class=\"figures county\">\n<thead><tr><th>District</th>",
            esc(&m.label)
        );
        for c in COLUMNS {
            let _ = write!(out, "<th class=\"n\">{}</th>", if c == "year" { "Year" } else { c });
        }
        // The districts' notes beside their figures, where any district wrote one.
        let notes = m.has_district_notes();
        if notes {
            out.push_str("<th class=\"note\">Note</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (d, (name, figures)) in county.districts.iter().zip(&m.districts).enumerate() {
            let _ = write!(out, "<tr><td>{}</td>", esc(name));
            for c in 0..7 {
                let cell = match figures.as_ref().map(|f| &f[c]) {
                    _ if hides.hides(i, Some(d), c) => "c".to_string(),
                    Some(g) if g.not_collected => "not collected".into(),
                    Some(g) => shown(m, g.value),
                    None => "–".into(),
                };
                let _ = write!(
                    out,
                    "<td class=\"n\" data-district=\"{}\" data-id=\"{}\" data-col=\"{}\">{cell}</td>",
                    esc(name),
                    esc(&m.id),
                    COLUMNS[c]
                );
            }
            if notes {
                let note = m.district_note(d, |c| !hides.hides(i, Some(d), c)).unwrap_or_default();
                let _ = write!(
                    out,
                    "<td class=\"note\" data-district=\"{}\" data-id=\"{}\">{}</td>",
                    esc(name),
                    esc(&m.id),
                    esc_lines(&note)
                );
            }
            out.push_str("</tr>\n");
        }
        for name in &county.missing {
            let _ =
                write!(out, "<tr class=\"missing\"><td>{}</td><td colspan=\"7\">{NO_RETURN}</td>", esc(name));
            out.push_str(if notes { "<td></td></tr>\n" } else { "</tr>\n" });
        }
        out.push_str("<tr><td><b>County</b></td>");
        for (c, f) in m.county.iter().enumerate() {
            let cell = if hides.hides(i, None, c) { "c".to_string() } else { shown(m, f.value) };
            let _ = write!(out, "<td class=\"n\"><b>{cell}</b></td>");
        }
        if notes {
            out.push_str("<td></td>");
        }
        out.push_str("</tr>\n</tbody>\n</table>\n");
        if let Some(note) = &m.note {
            let _ = writeln!(out, "<p class=\"muted\">{}</p>", esc(note));
        }
        out.push_str("</section>\n");
    }
    let none: Vec<String> = county
        .measures
        .iter()
        .filter(|m| m.combine != Combine::Text && !given(m))
        .map(|m| esc(&m.label))
        .collect();
    if !none.is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"figures\">\n<h3>Measures no district gave a figure for</h3>\n<p>{}.</p>\n</section>",
            none.join("; ")
        );
    }
    out.push_str("</section>\n");
}

/// A text of several lines, escaped, its lines kept.
fn esc_lines(text: &str) -> String {
    text.split('\n').map(esc).collect::<Vec<_>>().join("<br>")
}

fn narratives(out: &mut String, county: &County) {
    out.push_str("<section class=\"page narrative\">\n<h2>The districts' narratives</h2>\n");
    let mut any = false;
    for (d, name) in county.districts.iter().enumerate() {
        let mut body = String::new();
        for m in county.measures.iter().filter(|m| m.combine == Combine::Text) {
            for (c, g) in m.districts[d].iter().flatten().enumerate() {
                let Some(text) = &g.text else { continue };
                let _ = writeln!(body, "<p class=\"term\">{} · {}</p>", esc(&m.label), COLUMNS[c]);
                for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
                    let _ = writeln!(body, "<p>{}</p>", esc(line));
                }
            }
        }
        if !body.is_empty() {
            any = true;
            let _ = writeln!(out, "<h3>{}</h3>\n{body}", esc(name));
        }
    }
    if !any {
        out.push_str("<p class=\"muted\">No district sent a narrative.</p>\n");
    }
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::HEADLINES;

    #[test]
    fn every_headline_is_a_measure_of_the_catalogue() {
        for (id, _) in HEADLINES {
            assert!(crate::kpi::catalogue::require(id, "the county pack's headlines").is_ok(), "{id}");
        }
    }
}
