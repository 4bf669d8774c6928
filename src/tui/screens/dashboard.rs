//! Dashboard: the current term at a glance, and the six terms of its year in two charts.

use super::{Ctx, Effect, Outcome, Screen, block};
use crate::domain::{AcademicYear, Area, Period, Phase, Scope, Term};
use crate::kpi::calendar::term_starts;
use crate::kpi::catalogue::family::need_area;
use crate::kpi::framework;
use crate::kpi::report::{ReportError, Request, Return, build};
use crate::store::{DayCounts, StoreError};
use crate::tui::action::Action;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

pub struct Dashboard {
    year: Option<AcademicYear>,
    term: Term,
    /// The six terms' returns, each to date (`None`: not started): every figure and bar shown
    /// is a measure of one of them, as an export of the term gives it.
    terms: Vec<Option<Return>>,
    /// The shown term's whole span (for "not yet" and "to date").
    period: Option<Period>,
    /// Cases by status today.
    day: Option<DayCounts>,
    /// How many children are past the district's retention policy today, and the policy.
    past_retention: Option<(usize, String)>,
}

impl Default for Dashboard {
    fn default() -> Dashboard {
        Dashboard {
            year: None,
            term: Term::ALL[0],
            terms: Vec::new(),
            period: None,
            day: None,
            past_retention: None,
        }
    }
}

impl Dashboard {
    /// The term shown: (year, term).
    pub fn showing(&self) -> Option<(AcademicYear, Term)> {
        self.year.map(|y| (y, self.term))
    }

    /// The shown term's return (to date while it runs); `None` when it has not started.
    pub fn figures(&self) -> Option<&Return> {
        self.terms.get(usize::from(self.term.number() - 1)).and_then(Option::as_ref)
    }

    /// Each term's return, as the charts show them (`None`: not started).
    pub fn terms(&self) -> &[Option<Return>] {
        &self.terms
    }

    /// The ids of the measures the figures above the charts show, in order.
    pub fn shown_ids() -> Vec<String> {
        let mut ids: Vec<String> = CHILDREN.iter().map(|s| s.to_string()).collect();
        ids.extend(Phase::ALL.iter().map(|p| format!("referrals.{p}")));
        ids.extend(ACTIVITY.iter().map(|s| s.to_string()));
        ids
    }

    /// Cases by status today, as the "Today" line shows them.
    pub fn day_counts(&self) -> Option<&DayCounts> {
        self.day.as_ref()
    }

    fn step(&mut self, forward: bool) -> Option<Effect> {
        let (year, term) = self.term.step(self.year?, forward);
        self.year = Some(year);
        self.term = term;
        Some(Effect::Reload)
    }
}

/// The children's figures and the first chart's bars: (school, early years) on the caseload and
/// actively supported.
const CHILDREN: [&str; 4] =
    ["caseload.school", "active.school", "caseload.early_years", "active.early_years"];
/// LIFT meetings, then clinics, by phase group.
const ACTIVITY: [&str; 4] =
    ["lift_meetings.school", "lift_meetings.early_years", "clinics.school", "clinics.early_years"];

/// A count of the return: its published value; 0 for a measure it lists as zero or not at
/// all (a need cell is listed only when not zero).
fn count(r: &Return, id: &str) -> i64 {
    r.get(id).and_then(|m| m.value()).map_or(0, |v| v as i64)
}

/// The referrals of an area of need: its cells of the need table.
fn referrals_in(r: &Return, area: Area) -> i64 {
    r.by_need
        .iter()
        .filter(|m| need_area(&m.id) == Some(area))
        .filter_map(|m| m.value())
        .map(|v| v as i64)
        .sum()
}

impl Screen for Dashboard {
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        if self.year.is_none() {
            let (year, term, _) = crate::kpi::calendar::term_of(ctx.reader, ctx.today)?;
            self.year = Some(year);
            self.term = term;
        }
        let year = self.year.unwrap_or_else(|| AcademicYear::containing(ctx.today));
        let starts = term_starts(ctx.reader, year)?;
        let all = framework::find("all").unwrap_or_else(|| framework::for_year(year));
        self.terms = Term::ALL
            .iter()
            .map(|t| {
                let request = Request {
                    year,
                    span: Scope::Term(*t),
                    framework: all,
                    generated_at: String::new(),
                    today: ctx.today,
                };
                match build(ctx.reader, &request) {
                    Ok(r) => Ok(Some(r)),
                    Err(ReportError::NotStarted { .. }) => Ok(None),
                    Err(ReportError::Store(e)) => Err(e),
                }
            })
            .collect::<Result<_, StoreError>>()?;
        self.period = Some(starts.period(self.term));
        self.day = Some(ctx.reader.day_counts(ctx.today, ctx.review_weeks)?);
        let policy = ctx.reader.retention()?;
        let past = ctx.reader.past_retention(&policy, ctx.today)?.len();
        self.past_retention = (past > 0).then(|| (past, policy.to_string()));
        Ok(())
    }

    fn handle(&mut self, action: Action, _ctx: &Ctx) -> Outcome {
        Ok(match action {
            Action::PrevTerm => self.step(false),
            Action::NextTerm => self.step(true),
            _ => None,
        })
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let title = match (&self.period, self.figures().map(|r| &r.period)) {
            (Some(whole), Some(p)) if p.end < whole.end => {
                format!(" {} · {} to {}, to date ", p.label, p.start.uk(), p.end.uk())
            }
            (Some(whole), _) => format!(" {} · {} to {} ", whole.label, whole.start.uk(), whole.end.uk()),
            (None, _) => " Dashboard ".to_string(),
        };
        let outer = block(Line::from(vec![Span::raw(title), Span::styled("[ ] other terms ", t.muted())]), t);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let mut lines = self.term_lines(t);
        lines.extend(self.today_lines(t, ctx.review_weeks));
        if let Some((n, policy)) = &self.past_retention {
            // Said only when anyone is: it asks the lead to act (docs/privacy.md).
            lines.push(Line::from(vec![
                Span::styled(
                    format!(
                        "{n} {} past the retention policy {policy}",
                        if *n == 1 { "child is" } else { "children are" }
                    ),
                    t.attention(),
                ),
                Span::styled(": caseload retention lists them, --apply erases them", t.muted()),
            ]));
        }
        // Nine lines of figures (at 80 columns the day's counts take three), one more for retention.
        let height = 9 + u16::from(self.past_retention.is_some());
        let [figures, charts] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(inner);
        frame.render_widget(Paragraph::new(lines), figures);

        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
        // Four bars a term, each a measure of the return: school and early years children on the
        // caseload and actively supported; referrals by area of need.
        let words = crate::export::pack::series_labels(&CHILDREN, "the Dashboard's chart")
            .unwrap_or_else(|_| CHILDREN.map(String::from).to_vec());
        let children = Series {
            title: " Children by term ",
            words: std::array::from_fn(|i| words.get(i).cloned().unwrap_or_default()),
            short: ["Sch", "SchA", "EY", "EYA"],
            values: self.terms.iter().map(|r| r.as_ref().map(|r| CHILDREN.map(|id| count(r, id)))).collect(),
        };
        let areas: [Area; 4] = std::array::from_fn(|i| Area::ALL[i]);
        let referrals = Series {
            title: " Referrals by term and area of need ",
            words: areas.map(|a| a.label().to_string()),
            short: areas.map(super::area_short),
            values: self
                .terms
                .iter()
                .map(|r| r.as_ref().map(|r| areas.map(|area| referrals_in(r, area))))
                .collect(),
        };
        // One window for both panes, so that the two charts show the same terms side by side.
        let digits = [&children, &referrals]
            .iter()
            .flat_map(|s| s.values.iter().flatten().flatten())
            .map(|n| n.max(&0).to_string().len())
            .max()
            .unwrap_or(1);
        let started = self.terms.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
        let shown = usize::from(self.term.number() - 1);
        let w = window(left.width.min(right.width).saturating_sub(2), digits as u16, shown, started);
        self.draw_chart(frame, left, &children, t, &w);
        self.draw_chart(frame, right, &referrals, t, &w);
    }
}

/// What a chart's four bars a term are: in words for the legend, and short for under a bar.
struct Series {
    title: &'static str,
    words: [String; 4],
    short: [&'static str; 4],
    /// Each term's four values (`None`: the term has not started).
    values: Vec<Option<[i64; 4]>>,
}

impl Dashboard {
    /// The shown term's figures, each saying what it counts and for when; or why there are none.
    fn term_lines(&self, t: &Theme) -> Vec<Line<'static>> {
        let (Some(r), Some(whole)) = (self.figures(), &self.period) else {
            let why = self.period.as_ref().map(|w| {
                format!("{} has not started: it starts on {}. No figures yet.", w.label, w.start.uk())
            });
            let mut lines = vec![Line::from(Span::styled(why.unwrap_or_default(), t.muted()))];
            lines.resize(6, Line::from(""));
            return lines;
        };
        let label = |s: &str| Span::styled(s.to_string(), t.muted());
        let when = format!("{}{}", self.term, if r.period.end < whole.end { " so far" } else { "" });
        let [school, school_active, early, early_active] = CHILDREN.map(|id| count(r, id));
        let [lift_school, lift_early, clinics_school, clinics_early] = ACTIVITY.map(|id| count(r, id));
        // A figure then what follows it, padded to the column's width.
        let cell = |n: i64, extra: String, width: usize| {
            [value(n), Span::raw(format!("{extra:<w$}", w = width.saturating_sub(n.to_string().len())))]
        };
        let row = |name: &str, a: [Span<'static>; 2], b: [Span<'static>; 2]| {
            let mut spans = vec![label(&format!("  {name:<22}"))]; // 24 wide, as the heading
            spans.extend(a);
            spans.extend(b);
            Line::from(spans)
        };
        let mut referrals = vec![label(&format!("Referrals, {when}:"))];
        for (i, phase) in Phase::ALL.iter().enumerate() {
            let n = count(r, &format!("referrals.{phase}"));
            let sep = if i == 0 { " " } else { " · " };
            referrals.extend([label(&format!("{sep}{} ", phase.label().to_lowercase())), value(n)]);
        }
        vec![
            Line::from(label(&format!("{:<24}{:<11}early years", format!("Children, {when}"), "school"))),
            row("on the caseload", cell(school, String::new(), 11), cell(early, String::new(), 0)),
            row(
                "actively supported",
                cell(school_active, String::new(), 11),
                cell(early_active, String::new(), 0),
            ),
            Line::from(referrals),
            Line::from(vec![
                label(&format!("LIFT meetings, {when}: school ")),
                value(lift_school),
                label(" · early years "),
                value(lift_early),
            ]),
            Line::from(vec![
                label(&format!("Clinics, surgeries and reviews, {when}: school ")),
                value(clinics_school),
                label(" · early years "),
                value(clinics_early),
            ]),
        ]
    }

    /// Today's cases by status: what the Caseload's filters and the Teachers screen count.
    fn today_lines(&self, t: &Theme, review_weeks: u32) -> Vec<Line<'static>> {
        let Some(d) = &self.day else { return Vec::new() };
        let label = |s: &str| Span::styled(s.to_string(), t.muted());
        let attention = |n: i64| Span::styled(n.to_string(), if n > 0 { t.attention() } else { t.ok() });
        // Three short lines rather than two long ones: at 80 columns no figure is cut.
        vec![
            Line::from(vec![
                label(&format!("Cases today, {}: open ", d.day.uk())),
                value(d.open),
                label(" · active "),
                value(d.active),
            ]),
            Line::from(vec![
                label("  no teacher "),
                attention(d.no_teacher),
                label(" · no targets "),
                attention(d.no_targets),
                label(" · open more than six months "),
                value(d.open_over_six_months),
            ]),
            Line::from(vec![
                label(&format!(
                    "  review overdue (review-by date passed, or none for {review_weeks} weeks) "
                )),
                attention(d.reviews_overdue),
            ]),
        ]
    }

    /// Four bars for each term of the year (none for a term not started), as wide as the pane
    /// allows, each with its value and its short name when they fit; the legend above in words.
    fn draw_chart(&self, frame: &mut Frame, area: Rect, series: &Series, t: &Theme, w: &Window) {
        let b = block(series.title, t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        // The legend in words, as many entries a line as fit; an entry too long for the pane
        // goes on over a second line, so no word is lost.
        let mut legend: Vec<Line> = Vec::new();
        let mut used = usize::MAX;
        let width = usize::from(inner.width);
        for (i, words) in series.words.iter().enumerate() {
            let text = format!("{} {words}", series.short[i]);
            let parts = crate::tui::widgets::wrap(&text, width.saturating_sub(2));
            let entry = parts.first().cloned().unwrap_or_default();
            let needed = entry.chars().count() + 2;
            if parts.len() > 1 || used.saturating_add(needed + 2) > width {
                legend.push(Line::default());
                used = 0;
            } else {
                // Two spaces part this entry from the one before it on the line.
                if let Some(line) = legend.last_mut() {
                    line.spans.push(Span::raw("  "));
                }
                used += 2;
            }
            used += needed;
            if let Some(line) = legend.last_mut() {
                line.spans.extend([Span::styled("■ ", t.bar(i)), Span::raw(entry)]);
            }
            for more in parts.iter().skip(1) {
                legend.push(Line::from(format!("  {more}")));
                used = usize::MAX;
            }
        }
        legend.truncate(5);
        let [key, plot] =
            Layout::vertical([Constraint::Length(legend.len() as u16), Constraint::Min(0)]).areas(inner);
        frame.render_widget(Paragraph::new(legend), key);
        let names_fit = series.short.iter().all(|n| n.chars().count() <= usize::from(w.bar));
        let mut chart = BarChart::default().bar_width(w.bar).bar_gap(1).group_gap(w.group_gap);
        let drawn = series.values.iter().zip(&self.terms).zip(Term::ALL).skip(w.first).take(w.terms);
        for ((term_values, counts), term) in drawn {
            let group: Vec<Bar> = term_values
                .unwrap_or([0; 4])
                .iter()
                .enumerate()
                .map(|(j, n)| {
                    let n = (*n).max(0) as u64;
                    let bar = Bar::default()
                        .value(n)
                        .style(t.bar(j))
                        .value_style(t.selected())
                        .text_value(if term_values.is_some() { n.to_string() } else { String::new() });
                    if names_fit { bar.label(Line::from(series.short[j])) } else { bar }
                })
                .collect();
            let label = Line::from(term_label(term, counts)).centered();
            chart = chart.data(BarGroup::default().label(label).bars(&group));
        }
        if w.terms < Term::ALL.len() {
            // On the frame's bottom line, right: the terms drawn (a wider window draws all six).
            let which = format!(" {} to {} ", Term::ALL[w.first], Term::ALL[w.first + w.terms - 1]);
            frame.render_widget(
                Paragraph::new(Line::from(Span::styled(which, t.muted())).right_aligned()),
                Rect {
                    x: area.x + 1,
                    y: area.bottom().saturating_sub(1),
                    width: area.width.saturating_sub(2),
                    height: 1,
                },
            );
        }
        frame.render_widget(chart, plot);
    }
}

fn value(n: i64) -> Span<'static> {
    Span::styled(n.to_string(), Style::new().add_modifier(ratatui::style::Modifier::BOLD))
}

/// A term's label under the charts: "T5 –" when it has not started.
fn term_label(term: Term, so_far: &Option<Return>) -> String {
    if so_far.is_some() { term.to_string() } else { format!("{term} –") }
}

/// Which terms a chart draws and how: `terms` terms from `first`, bars `bar` cells wide with
/// one cell between bars and `group_gap` between terms.
#[derive(Debug, PartialEq, Eq)]
struct Window {
    first: usize,
    terms: usize,
    bar: u16,
    group_gap: u16,
}

/// As many terms as fit with four bars each at least `digits` wide (2 at least, so values on
/// neighbouring bars never run together), the bars widened towards filling the pane (to a width
/// that still reads as a bar); the window ends at the term shown, and takes in later terms only
/// when they have started (`started` terms have) and there is room.
fn window(width: u16, digits: u16, shown: usize, started: usize) -> Window {
    // ratatui leaves the gap after a group's last bar too.
    let per_term = |bar: u16| 4 * bar + 4;
    let bar = digits.max(2);
    // The terms there is something to draw for: up to the later of the shown and the last started.
    let last = shown.max(started.saturating_sub(1)).min(5);
    // The gap after a group's last bar already parts two terms: more only when there is room.
    let fit = |terms: u16, bar: u16| terms * per_term(bar) - 1 <= width;
    let most = (1..=6u16).rev().find(|k| fit(*k, bar)).unwrap_or(1);
    let terms = most.min(last as u16 + 1);
    // Wider bars while they still fit, to at most three cells more than the values need.
    let mut wide = bar;
    while wide < bar + 3 && fit(terms, wide + 1) {
        wide += 1;
    }
    let used = terms * per_term(wide) - 1;
    let group_gap = if terms > 1 { (width.saturating_sub(used) / (terms - 1)).min(4) } else { 0 };
    let terms = usize::from(terms);
    let first = (shown + 1).saturating_sub(terms).min(last + 1 - terms);
    Window { first, terms, bar: wide, group_gap }
}

#[cfg(test)]
mod tests {
    use super::{Dashboard, Window, window};

    #[test]
    fn every_figure_the_dashboard_names_is_a_measure_of_the_catalogue() {
        for id in Dashboard::shown_ids() {
            assert!(crate::kpi::catalogue::require(&id, "the Dashboard").is_ok(), "{id}");
        }
    }

    #[test]
    fn every_bar_has_room_for_its_value_and_the_bars_fill_the_pane() {
        for width in [37u16, 57, 67, 97, 140] {
            for digits in 1..=4u16 {
                let w = window(width, digits, 5, 6);
                let terms = w.terms as u16;
                let used = terms * (4 * w.bar + 4) - 1 + (terms - 1) * w.group_gap;
                assert!(used <= width, "{width}/{digits}: {used}");
                assert!(w.bar >= digits.max(2), "{width}/{digits}: bars fit their values");
                assert!(
                    w.terms == 6 || width - used < 4 * w.bar + 4 + 5,
                    "{width}/{digits}: room for a term unused"
                );
                assert_eq!(w.first + w.terms, 6, "ends at the term shown");
            }
        }
        assert_eq!(window(97, 3, 0, 6).terms, 6, "a 200-column pane draws a past year's six terms");
        assert_eq!(
            window(37, 3, 1, 6),
            Window { first: 0, terms: 2, bar: 3, group_gap: 4 },
            "80 columns: two terms"
        );
        assert_eq!(window(37, 2, 0, 6).first, 0, "the window starts at T1 early in the year");
    }

    #[test]
    fn terms_not_started_are_not_drawn_unless_shown() {
        // T3 running: a 120-column pane has room for four terms but draws T1 to T3.
        let w = window(57, 2, 2, 3);
        assert_eq!((w.first, w.terms), (0, 3));
        // Stepping on to T5, not started: the window ends at T5, the term asked for.
        let w = window(57, 2, 4, 3);
        assert_eq!((w.first, w.terms), (1, 4));
        // Looking back at T1 of a past year: later terms have started, so they are drawn.
        let w = window(57, 2, 0, 6);
        assert_eq!((w.first, w.terms), (0, 4));
        // One term: bars wider than the values need, but still bars.
        let w = window(97, 2, 0, 1);
        assert_eq!((w.terms, w.bar), (1, 5));
    }
}
