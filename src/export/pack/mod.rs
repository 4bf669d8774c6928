//! The district's monitoring pack: the return as one self-contained HTML document for the
//! meeting (docs/returns.md, "The monitoring pack"). Title block, the narrative, each section of
//! the framework as a table (each term, the period, the same period last year and the change,
//! notes), charts of the year's six terms, and the definitions. No scripts, fonts or files
//! outside it; it prints on A4. Counts only: no names, no dates of birth, no keys.

pub(crate) mod charts;
mod meeting;
mod tables;

use super::suppress::Plan;
use super::{ExportError, Suppression};
use crate::domain::{ManualValue, Scope};
use crate::kpi::catalogue::family::{family_of, need_area};
use crate::kpi::catalogue::{Figure, Unit, UnknownMeasure, definition, require};
use crate::kpi::framework;
use crate::kpi::report::{ReportError, Request, Return, build_from};
use crate::store::Store;
use charts::{Chart, Kind, Series};
use std::fmt::Write as _;
use tables::number;

/// What a chart draws: measures of the catalogue by id (their labels are the catalogue's), or
/// the referrals by area of need (sums of the need table's cells).
pub(crate) enum Measures {
    Ids(&'static [&'static str]),
    ReferralsByArea,
}

/// A chart of the year's six terms.
pub(crate) struct ChartOf {
    pub title: &'static str,
    pub unit: &'static str,
    pub kind: Kind,
    pub series: Measures,
}

/// The pack's charts, in order.
pub(crate) const CHARTS: &[ChartOf] = &[
    ChartOf {
        title: "Settings supported, % of the district's register",
        unit: "%",
        kind: Kind::Lines,
        series: Measures::Ids(&[
            "settings_supported_pct.early_years",
            "settings_supported_pct.primary",
            "settings_supported_pct.secondary",
            "settings_supported_pct.post16",
        ]),
    },
    ChartOf {
        title: "Children on the caseload and actively supported",
        unit: "children",
        kind: Kind::Lines,
        series: Measures::Ids(&[
            "caseload.school",
            "active.school",
            "caseload.early_years",
            "active.early_years",
        ]),
    },
    ChartOf {
        title: "Referrals received by phase",
        unit: "referrals",
        kind: Kind::Bars,
        series: Measures::Ids(&[
            "referrals.early_years",
            "referrals.primary",
            "referrals.secondary",
            "referrals.post16",
        ]),
    },
    ChartOf {
        title: "Referrals received by area of need",
        unit: "referrals",
        kind: Kind::Stacked,
        series: Measures::ReferralsByArea,
    },
    ChartOf {
        title: "Children discussed per LIFT meeting",
        unit: "children per meeting",
        kind: Kind::Lines,
        series: Measures::Ids(&[
            "lift_children_discussed_avg.school",
            "lift_children_discussed_avg.early_years",
        ]),
    },
    ChartOf {
        title: "Clinics, surgeries and in-setting reviews held",
        unit: "clinics",
        kind: Kind::Bars,
        series: Measures::Ids(&["clinics.school", "clinics.early_years"]),
    },
    ChartOf {
        title: "Training courses delivered",
        unit: "courses",
        kind: Kind::Stacked,
        series: Measures::Ids(&[
            "training_courses.core",
            "training_courses.bespoke",
            "training_courses.parental",
        ]),
    },
    ChartOf {
        title: "Transition events supported",
        unit: "events",
        kind: Kind::Bars,
        series: Measures::Ids(&["transition_events.school", "transition_events.early_years"]),
    },
    ChartOf {
        title: "Settings trained by the AET programme, % of the district's register",
        unit: "%",
        kind: Kind::Lines,
        series: Measures::Ids(&[
            "aet_settings_trained_pct.school_age",
            "aet_settings_trained_pct.early_years",
            "aet_settings_trained_pct.post16",
        ]),
    },
];

/// The labels of a chart's series: the catalogue's labels without the words they all share at
/// their start and end (the chart's title says those): "Referrals received: primary" and
/// "Referrals received: secondary" become "Primary" and "Secondary".
pub(crate) fn series_labels(ids: &[&str], place: &'static str) -> Result<Vec<String>, UnknownMeasure> {
    let labels: Vec<&str> =
        ids.iter().map(|id| require(id, place).map(|d| d.label.as_str())).collect::<Result<_, _>>()?;
    if labels.len() < 2 {
        return Ok(labels.iter().map(|l| l.to_string()).collect());
    }
    let words: Vec<Vec<&str>> = labels.iter().map(|l| l.split(' ').collect()).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let head = (0..shortest).take_while(|i| words.iter().all(|w| w[*i] == words[0][*i])).count();
    let from_end = |w: &Vec<&str>, i: usize| w[w.len() - 1 - i].to_string();
    let tail = (0..shortest - head)
        .take_while(|i| words.iter().all(|w| from_end(w, *i) == from_end(&words[0], *i)))
        .count();
    Ok(words
        .iter()
        .map(|w| {
            let kept = w[head..w.len() - tail].join(" ");
            let kept = kept.trim_matches(|c: char| c == ':' || c == ',' || c == ' ');
            let mut chars = kept.chars();
            chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
        })
        .collect())
}

/// What a pack shows: the return asked for, the same period a year before (when the database
/// has it), and the whole year with every measure (for the charts).
pub struct Pack {
    pub ret: Return,
    pub last_year: Option<Return>,
    pub year: Return,
    /// The county's monitoring meetings recorded, by date.
    pub meetings: Vec<crate::domain::MonitoringMeeting>,
}

/// The pack of a period, computed from one moment of the store, as HTML.
pub fn make(
    store: &mut Store,
    request: &Request<'_>,
    s: Suppression,
) -> Result<(Return, String), ExportError> {
    let snapshot = store.snapshot()?;
    let not_started = |e: ReportError| match e {
        ReportError::Store(e) => ExportError::Store(e),
        other => ExportError::NotStarted(other.to_string()),
    };
    let ret = build_from(&snapshot, request).map_err(not_started)?;
    super::names_no_child(snapshot.reader(), &ret)?;
    // Like with like: a period in progress is set beside last year's same span to the same day
    // and month; a whole period beside the whole period.
    let same_day = if ret.provisional { ret.period.end.minus_months(12) } else { request.today };
    let before = Request { year: request.year.prev(), today: same_day, ..request.clone() };
    let last_year = match build_from(&snapshot, &before) {
        Ok(r) if has_records(&r) => Some(r),
        Ok(_) | Err(ReportError::NotStarted { .. }) => None,
        Err(ReportError::Store(e)) => return Err(ExportError::Store(e)),
    };
    let all = framework::find("all").unwrap_or(request.framework);
    let whole = Request { span: Scope::Year, framework: all, ..request.clone() };
    let year = build_from(&snapshot, &whole).map_err(not_started)?;
    let meetings = snapshot.reader().monitoring_meetings()?;
    drop(snapshot);
    let pack = Pack { ret, last_year, year, meetings };
    let html = pack.html(s)?;
    Ok((pack.ret, html))
}

/// Whether a return has anything in it (the district kept records then).
fn has_records(r: &Return) -> bool {
    r.lines.iter().any(|l| matches!(l.measure.figure, Figure::Count(n) if n > 0))
}

/// Text made safe to put in HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A paragraph per line of a text.
fn paragraphs(text: &str) -> String {
    text.split('\n').filter(|l| !l.trim().is_empty()).map(|l| format!("<p>{}</p>", esc(l))).collect()
}

pub(crate) const STYLE: &str = "
@page { size: A4 portrait; margin: 14mm 12mm; }
body { font-family: 'Segoe UI', Arial, Helvetica, sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 19pt; margin: 0 0 4pt; }
h2 { font-size: 14pt; margin: 14pt 0 6pt; border-bottom: 1.5pt solid #111; padding-bottom: 2pt; }
h3 { font-size: 11pt; margin: 10pt 0 3pt; break-after: avoid; }
h2 { break-after: avoid; }
section.figures h3 { font-size: 12pt; border-bottom: 0.75pt solid #111; padding-bottom: 1pt; }
p { margin: 0 0 5pt; line-height: 1.35; }
.muted { color: #555; }
.title { border: 1.5pt solid #111; padding: 8pt 10pt; margin-bottom: 10pt; }
.title dl { display: grid; grid-template-columns: max-content auto; gap: 2pt 12pt; margin: 6pt 0 0; }
.title dt { font-weight: bold; }
.title dd { margin: 0; }
.provisional { font-weight: bold; }
section.page { break-before: page; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border-bottom: 0.5pt solid #999; padding: 2pt 4pt; vertical-align: top; text-align: left; }
table.figures td { font-size: 9.5pt; line-height: 1.25; }
th { background: #e8e8e8; font-size: 9pt; vertical-align: bottom; }
th .nb { white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
td.n.w { white-space: normal; }
td.note { font-size: 8.5pt; color: #333; overflow-wrap: anywhere; }
td.note p { margin: 0; }
td.measure { overflow-wrap: anywhere; }
h4 { font-size: 9.5pt; margin: 6pt 0 2pt; color: #333; break-after: avoid; }
figure { break-inside: avoid; margin: 0 0 12pt; }
figure svg { width: 100%; height: auto; display: block; border: 0.5pt solid #bbb; box-sizing: border-box; }
figcaption { font-size: 9pt; color: #333; margin-top: 3pt; }
.narrative { break-inside: auto; }
.definitions td { font-size: 8.5pt; padding: 1.5pt 4pt; }
table.figures.wide td.n { font-size: 8.5pt; padding: 2pt 3pt; }
table.county th:first-child { width: 30%; }
table.county th:last-child { width: 8%; }
table.county th.note { width: 24%; }
table.county tr.missing td { color: #555; font-style: italic; }
table.county td.n, table.county th.n { font-size: 8pt; padding: 2pt 2pt; }
table.county th.n { white-space: normal; }
@media print {
  body { max-width: none; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3, h4 { break-after: avoid; }
}
.narrative .term { font-size: 9pt; font-weight: bold; color: #444; margin-top: 4pt; }
";

impl Pack {
    /// Nothing is made when the small counts cannot be hidden safely.
    pub fn html(&self, s: Suppression) -> Result<String, ExportError> {
        // The tables and the charts show cells of the same year: planned as one publication.
        let (plan, year_plan) = Plan::for_return_and_year(&self.ret, &self.year, s)?;
        let last_plan = self.last_year.as_ref().map(|r| Plan::for_return(r, s)).transpose()?;
        let r = &self.ret;
        let mut out = String::with_capacity(200_000);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{} monitoring pack {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            esc(&r.district),
            esc(&r.period.label)
        );
        self.title(&mut out, s);
        self.narrative(&mut out);
        meeting::section(&mut out, &self.ret, &self.meetings);
        self.tables(&mut out, &plan, last_plan.as_ref());
        self.charts(&mut out, &year_plan, s)?;
        self.definitions(&mut out);
        out.push_str("</body>\n</html>\n");
        Ok(out)
    }

    fn title(&self, out: &mut String, s: Suppression) {
        let r = &self.ret;
        let period = match r.span {
            Scope::Year => format!("the academic year {}", r.year),
            Scope::Terms(_) => format!("{} (a monitoring period of two terms)", r.period.label),
            Scope::Term(_) => r.period.label.clone(),
        };
        let _ = write!(
            out,
            "<header class=\"title\">\n<h1>{}: monitoring pack</h1>\n<p>{}</p>\n<dl>\n\
             <dt>Academic year</dt><dd>{}</dd>\n<dt>Period</dt><dd>{} ({} to {}){}</dd>\n\
             <dt>Framework</dt><dd>{}</dd>\n<dt>Made</dt><dd>{}</dd>\n",
            esc(&r.district),
            esc(&period),
            r.year,
            esc(&r.period.label),
            r.period.start.uk(),
            r.period.end.uk(),
            if r.provisional {
                " <span class=\"provisional\">to date: provisional, the period is still in progress</span>"
            } else {
                ""
            },
            esc(&r.framework_name()),
            esc(&r.generated_at),
        );
        let last = match &self.last_year {
            Some(l) if l.provisional => format!(
                "beside the same period of {}, to the same day ({} to {})",
                l.year,
                l.period.start.uk(),
                l.period.end.uk()
            ),
            Some(l) => format!(
                "beside the same period of {} ({} to {})",
                l.year,
                l.period.start.uk(),
                l.period.end.uk()
            ),
            None => "the database has no records for the same period last year".into(),
        };
        let _ = writeln!(out, "<dt>Compared</dt><dd>{last}</dd>");
        if let Some(notice) = s.notice() {
            let _ = writeln!(out, "<dt>Small counts</dt><dd>{}</dd>", esc(&notice));
        }
        out.push_str("</dl>\n</header>\n");
    }

    /// The narrative under its headings, each term's text.
    fn narrative(&self, out: &mut String) {
        let r = &self.ret;
        let mut body = String::new();
        for line in r.lines.iter().filter(|l| l.measure.unit == Unit::Text) {
            let mut texts: Vec<(String, &str)> = Vec::new();
            if let Some(terms) = &line.terms {
                for (t, m) in r.span.terms().iter().zip(terms) {
                    if let Some(Figure::Manual(Some(ManualValue::Text(text)))) = m.as_ref().map(|m| &m.figure)
                    {
                        texts.push((format!("{} {t}", r.year), text));
                    }
                }
            }
            if let (Figure::Manual(Some(ManualValue::Text(text))), true) =
                (&line.measure.figure, texts.is_empty())
            {
                texts.push((r.period.label.clone(), text));
            }
            if texts.is_empty() {
                continue;
            }
            let _ = writeln!(body, "<h3>{}</h3>", esc(&line.measure.label));
            for (when, text) in texts {
                let _ = write!(body, "<p class=\"term\">{}</p>\n{}\n", esc(&when), paragraphs(text));
            }
        }
        out.push_str("<section class=\"narrative\">\n<h2>The district's narrative</h2>\n");
        if body.is_empty() {
            out.push_str("<p class=\"muted\">No narrative has been written for this period.</p>\n");
        } else {
            out.push_str(&body);
        }
        out.push_str("</section>\n");
    }

    fn charts(&self, out: &mut String, plan: &Plan, s: Suppression) -> Result<(), UnknownMeasure> {
        let y = &self.year;
        let terms = y.span.terms();
        // A measure's six terms as drawn: absent when not started, hidden or not collected.
        let series = |id: &str, label: String| -> Series {
            let mut values = vec![None; 6];
            if let Some(line) = y.line(id) {
                for (i, (t, m)) in terms.iter().zip(line.terms.iter().flatten()).enumerate().take(6) {
                    values[i] = m.as_ref().and_then(|m| number(&plan.value(m, Some(*t))));
                }
            }
            Series { label, values }
        };
        let mut list = Vec::with_capacity(CHARTS.len());
        for c in CHARTS {
            let series = match c.series {
                Measures::Ids(ids) => {
                    let labels = series_labels(ids, "the monitoring pack's charts")?;
                    ids.iter().zip(labels).map(|(id, label)| series(id, label)).collect()
                }
                Measures::ReferralsByArea => self.by_area(plan),
            };
            let (target, verdict) = self.target_of(c, plan);
            list.push((
                Chart {
                    title: c.title.into(),
                    unit: c.unit.into(),
                    kind: c.kind,
                    categories: charts::terms(),
                    series,
                    target,
                },
                verdict,
            ));
        }
        let missing = "Terms not yet started have no bar or point";
        let hidden = if s.below.is_some() { "; nor do hidden small counts (c)" } else { "" };
        out.push_str("<section class=\"page\">\n<h2>The year term by term</h2>\n");
        let _ = writeln!(
            out,
            "<p class=\"muted\">Each chart shows the six terms of {} for every measure of the \
             catalogue. {missing}{hidden}, nor figures not collected.</p>",
            y.year
        );
        for (chart, verdict) in list.drain(..) {
            let verdict = verdict.map(|v| format!("<br>{}", esc(&v))).unwrap_or_default();
            let _ = write!(
                out,
                "<figure class=\"chart\">\n{}\n<figcaption>{}{verdict}</figcaption>\n</figure>\n",
                chart.svg(),
                esc(&chart.title)
            );
        }
        out.push_str("</section>\n");
        Ok(())
    }

    /// The framework's target on a chart's measures (the first that has one), as a line, and in
    /// words for each series whether the year's figure so far meets it: "met" or "not yet" (no
    /// word for a figure hidden or not collected).
    fn target_of(&self, c: &ChartOf, plan: &Plan) -> (Option<charts::TargetLine>, Option<String>) {
        let Measures::Ids(ids) = c.series else { return (None, None) };
        let y = &self.year;
        // The target is the framework's the pack was asked for (its charts' year has every measure).
        let framework = &self.ret.framework_id;
        let Some(t) = ids.iter().find_map(|id| crate::kpi::framework::target_of(framework, id)) else {
            return (None, None);
        };
        let unit = if c.unit == "%" { "%" } else { "" };
        let name = format!("Target: {}{unit} by {}", t.value, t.by.uk());
        let labels = series_labels(ids, "the monitoring pack's charts").unwrap_or_default();
        let said: Vec<String> = ids
            .iter()
            .zip(labels)
            .filter_map(|(id, label)| {
                let line = y.line(id)?;
                let figure = number(&plan.value(&line.measure, None));
                let words = t.words(figure)?;
                Some(format!("{label} {words} ({}{unit})", figure.map(|v| v.to_string()).unwrap_or_default()))
            })
            .collect();
        let verdict = format!(
            "{name}: {}.",
            if said.is_empty() { "no figure to compare".into() } else { said.join("; ") }
        );
        (Some(charts::TargetLine { value: t.value, label: name }), Some(verdict))
    }

    /// Referrals by area of need in each term: the sum of the area's cells of the need table;
    /// absent when a cell of it is hidden (the sum would give the hidden cell away).
    fn by_area(&self, plan: &Plan) -> Vec<Series> {
        let y = &self.year;
        let terms = y.span.terms();
        crate::domain::Area::ALL
            .iter()
            .map(|area| {
                let mut values = vec![Some(0.0); 6];
                let cells = y.lines.iter().filter(|l| need_area(&l.measure.id) == Some(*area));
                for line in cells {
                    for (i, (t, m)) in terms.iter().zip(line.terms.iter().flatten()).enumerate().take(6) {
                        let v = m.as_ref().and_then(|m| number(&plan.value(m, Some(*t))));
                        values[i] = match (values[i], v) {
                            (Some(a), Some(b)) => Some(a + b),
                            _ => None,
                        };
                    }
                }
                // A term not started has no figures at all.
                let begun: Vec<bool> = y
                    .lines
                    .first()
                    .and_then(|l| l.terms.as_ref())
                    .map(|ts| ts.iter().map(Option::is_some).collect())
                    .unwrap_or_default();
                for (i, value) in values.iter_mut().enumerate() {
                    if !begun.get(i).copied().unwrap_or(false) {
                        *value = None;
                    }
                }
                Series { label: area.label().to_string(), values }
            })
            .collect()
    }

    /// What each measure shown counts; the referrals-by-need cells as one family.
    fn definitions(&self, out: &mut String) {
        out.push_str(
            "<section class=\"page definitions\">\n<h2>What the measures count</h2>\n<table>\n\
             <thead><tr><th>Measure</th><th>Definition</th></tr></thead>\n<tbody>\n",
        );
        let mut families: Vec<&str> = Vec::new();
        for line in &self.ret.lines {
            let m = &line.measure;
            if let Some(family) = family_of(&m.id) {
                if !families.contains(&family.prefix) {
                    families.push(family.prefix);
                    let _ = writeln!(
                        out,
                        "<tr><td>{}<br><span class=\"muted\">{}.*</span></td><td>{}</td></tr>",
                        esc(family.label),
                        esc(family.prefix),
                        esc(family.definition)
                    );
                }
                continue;
            }
            let _ = writeln!(
                out,
                "<tr><td>{}<br><span class=\"muted\">{}</span></td><td>{}</td></tr>",
                esc(&m.label),
                esc(&m.id),
                esc(definition(&m.id))
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_lists_measures_of_the_catalogue() {
        for c in CHARTS {
            if let Measures::Ids(ids) = c.series {
                assert!(series_labels(ids, "test").is_ok(), "{}", c.title);
            }
        }
        let err = series_labels(&["caseload.school", "caseload.skool"], "the monitoring pack's charts");
        let err = err.unwrap_err().to_string();
        assert!(err.contains("caseload.skool") && err.contains("monitoring pack"), "{err}");
    }

    #[test]
    fn series_are_named_by_what_tells_them_apart() {
        let labels = |ids: &[&str]| series_labels(ids, "test").unwrap();
        assert_eq!(
            labels(&["referrals.primary", "referrals.post16"]),
            ["Primary", "Post-16"],
            "\"Referrals received:\" is the chart's title"
        );
        assert_eq!(
            labels(&["training_courses.core", "training_courses.bespoke"]),
            ["Core", "Bespoke"],
            "the shared end goes too"
        );
        let children = labels(&["caseload.school", "active.school", "caseload.early_years"]);
        assert_eq!(
            children,
            ["On caseload: school age", "Actively supported: school age", "On caseload: early years"]
        );
        assert_eq!(
            labels(&["caseload.school"]),
            ["Children on caseload: school age"],
            "one series keeps its label"
        );
    }
}
