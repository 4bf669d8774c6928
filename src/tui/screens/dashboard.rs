//! Dashboard: the current term at a glance, and the six terms of its year in two charts.

use super::{Ctx, Effect, Outcome, Screen, block};
use crate::domain::{AcademicYear, Area, Period, Phase, PhaseGroup, Term};
use crate::kpi::calendar::term_starts;
use crate::store::{DayCounts, PeriodCounts, PeriodDates, StoreError};
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
    /// The six terms of the year as far as each has gone (`None`: not started), with the
    /// return's counts for each: the figures and the charts are the return's own.
    terms: Vec<Option<(Period, PeriodCounts)>>,
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

    /// The shown term's period so far and its counts; `None` when it has not started.
    pub fn figures(&self) -> Option<&(Period, PeriodCounts)> {
        self.terms.get(usize::from(self.term.number() - 1)).and_then(Option::as_ref)
    }

    /// Each term's period so far and counts, as the charts show them (`None`: not started).
    pub fn terms(&self) -> &[Option<(Period, PeriodCounts)>] {
        &self.terms
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

fn get<K: Ord>(map: &std::collections::BTreeMap<K, i64>, k: K) -> i64 {
    map.get(&k).copied().unwrap_or(0)
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
        self.terms = Term::ALL
            .iter()
            .map(|t| match starts.period(*t).so_far(ctx.today) {
                Some(p) => Ok(Some((p.clone(), ctx.reader.period_counts(PeriodDates::of(&p, year))?))),
                None => Ok(None),
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
        let title = match (&self.period, self.figures()) {
            (Some(whole), Some((p, _))) if p.end < whole.end => {
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
        // Eight lines of figures (at 80 columns the day's counts take three), one more for retention.
        let height = 8 + u16::from(self.past_retention.is_some());
        let [figures, charts] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(inner);
        frame.render_widget(Paragraph::new(lines), figures);

        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
        // Four bars a term, each a measure of the return: school and early years children on the
        // caseload and actively supported; referrals by area of need.
        let groups = [PhaseGroup::School, PhaseGroup::EarlyYears];
        let children = Series {
            title: " Children by term ",
            words: [
                "school, on the caseload",
                "school, actively supported",
                "early years, on the caseload",
                "early years, actively supported",
            ],
            short: ["Sch", "SchA", "EY", "EYA"],
        };
        self.draw_chart(frame, left, &children, t, |c| {
            let [s, e] = groups.map(|g| (get(&c.caseload_by_group, g), get(&c.active_by_group, g)));
            [s.0, s.1, e.0, e.1]
        });
        let areas: [Area; 4] = std::array::from_fn(|i| Area::ALL[i]);
        let referrals = Series {
            title: " Referrals by term and area of need ",
            words: areas.map(|a| a.label()),
            short: areas.map(super::area_short),
        };
        self.draw_chart(frame, right, &referrals, t, |c| {
            areas.map(|area| c.referrals.iter().filter(|((_, a, ..), _)| *a == area).map(|(_, n)| n).sum())
        });
    }
}

/// What a chart's four bars a term are: in words for the legend, and short for under a bar.
struct Series {
    title: &'static str,
    words: [&'static str; 4],
    short: [&'static str; 4],
}

impl Dashboard {
    /// The shown term's figures, each saying what it counts and for when; or why there are none.
    fn term_lines(&self, t: &Theme) -> Vec<Line<'static>> {
        let (Some((p, c)), Some(whole)) = (self.figures(), &self.period) else {
            let why = self.period.as_ref().map(|w| {
                format!("{} has not started: it starts on {}. No figures yet.", w.label, w.start.uk())
            });
            let mut lines = vec![Line::from(Span::styled(why.unwrap_or_default(), t.muted()))];
            lines.resize(5, Line::from(""));
            return lines;
        };
        let label = |s: &str| Span::styled(s.to_string(), t.muted());
        let when = format!("{}{}", self.term, if p.end < whole.end { " so far" } else { "" });
        let [school, early] =
            [PhaseGroup::School, PhaseGroup::EarlyYears].map(|g| get(&c.caseload_by_group, g));
        let [school_active, early_active] =
            [PhaseGroup::School, PhaseGroup::EarlyYears].map(|g| get(&c.active_by_group, g));
        let pct =
            |a: i64, b: i64| if b == 0 { String::new() } else { format!(" ({}%)", (a * 100 + b / 2) / b) };
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
            let n: i64 = c.referrals.iter().filter(|((ph, ..), _)| ph == phase).map(|(_, n)| n).sum();
            let sep = if i == 0 { " " } else { " · " };
            referrals.extend([label(&format!("{sep}{} ", phase.label().to_lowercase())), value(n)]);
        }
        vec![
            Line::from(label(&format!("{:<24}{:<11}early years", format!("Children, {when}"), "school"))),
            row("on the caseload", cell(school, String::new(), 11), cell(early, String::new(), 0)),
            row(
                "actively supported",
                cell(school_active, pct(school_active, school), 11),
                cell(early_active, pct(early_active, early), 0),
            ),
            Line::from(referrals),
            Line::from(vec![
                label(&format!("LIFT meetings, {when}: school ")),
                value(get(&c.lift_meetings, PhaseGroup::School)),
                label(" · early years "),
                value(get(&c.lift_meetings, PhaseGroup::EarlyYears)),
                label(" · clinics held "),
                value(c.clinics.values().sum()),
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
                label(&format!("  review overdue (none for {review_weeks} weeks) ")),
                attention(d.reviews_overdue),
            ]),
        ]
    }

    /// Four bars for each term of the year (none for a term not started), as wide as the pane
    /// allows, each with its value and its short name when they fit; the legend above in words.
    fn draw_chart(
        &self,
        frame: &mut Frame,
        area: Rect,
        series: &Series,
        t: &Theme,
        bars: impl Fn(&PeriodCounts) -> [i64; 4],
    ) {
        let b = block(series.title, t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        // The legend in words, as many entries a line as fit.
        let mut legend: Vec<Line> = Vec::new();
        let mut used = usize::MAX;
        for (i, words) in series.words.iter().enumerate() {
            // The short name first (as under the bars); words cut with "…" in a narrow pane.
            let room = usize::from(inner.width).saturating_sub(4);
            let entry =
                format!("{}  ", crate::tui::widgets::fit(&format!("{} {words}", series.short[i]), room));
            let width = entry.chars().count() + 2;
            if used.saturating_add(width) > usize::from(inner.width) {
                legend.push(Line::default());
                used = 0;
            }
            used += width;
            if let Some(line) = legend.last_mut() {
                line.spans.extend([Span::styled("■ ", t.bar(i)), Span::raw(entry)]);
            }
        }
        legend.truncate(4);
        let [key, plot] =
            Layout::vertical([Constraint::Length(legend.len() as u16), Constraint::Min(0)]).areas(inner);
        frame.render_widget(Paragraph::new(legend), key);
        let (width, bar_gap, gap) = bar_layout(plot.width, 4);
        // Values and names only on bars set apart by a gap (side by side, "254" and "132" would
        // read as "254132"), and names only when every one fits.
        let values_fit = bar_gap > 0;
        let names_fit = values_fit && series.short.iter().all(|n| n.chars().count() <= usize::from(width));
        let mut chart = BarChart::default().bar_width(width).bar_gap(bar_gap).group_gap(gap);
        for (term_counts, term) in self.terms.iter().zip(Term::ALL) {
            let values = term_counts.as_ref().map_or([0; 4], |(_, c)| bars(c));
            let group: Vec<Bar> = values
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let n = (*n).max(0) as u64;
                    // A value that does not fit is left out, never cut.
                    let shown = n.to_string();
                    let fits = values_fit && shown.chars().count() <= usize::from(width);
                    let bar = Bar::default()
                        .value(n)
                        .style(t.bar(i))
                        .value_style(t.selected())
                        .text_value(if fits { shown } else { String::new() });
                    if names_fit { bar.label(Line::from(series.short[i])) } else { bar }
                })
                .collect();
            let label = Line::from(term_label(term, term_counts)).centered();
            chart = chart.data(BarGroup::default().label(label).bars(&group));
        }
        frame.render_widget(chart, plot);
    }
}

fn value(n: i64) -> Span<'static> {
    Span::styled(n.to_string(), Style::new().add_modifier(ratatui::style::Modifier::BOLD))
}

/// A term's label under the charts: "T5 –" when it has not started.
fn term_label(term: Term, so_far: &Option<(Period, PeriodCounts)>) -> String {
    if so_far.is_some() { term.to_string() } else { format!("{term} –") }
}

/// Bars as wide as the chart allows, the gap between bars (one, when the bars are two cells
/// wide or more) and the gap between terms that fills the rest: six groups of `bars` bars.
fn bar_layout(width: u16, bars: u16) -> (u16, u16, u16) {
    let per_group = 6 * bars;
    let plain = (width.saturating_sub(5) / per_group).max(1);
    let spaced = width.saturating_sub(5 + 6 * (bars - 1)) / per_group;
    let (bar, bar_gap) = if spaced >= 2 { (spaced, 1) } else { (plain, 0) };
    let used = bar * per_group + bar_gap * 6 * (bars - 1);
    let gap = (width.saturating_sub(used) / 5).clamp(1, 4);
    (bar, bar_gap, gap)
}

#[cfg(test)]
mod tests {
    use super::bar_layout;

    #[test]
    fn bars_fill_the_pane_and_values_are_only_shown_set_apart() {
        for width in [37u16, 50, 67, 97, 140] {
            let (bar, bar_gap, gap) = bar_layout(width, 4);
            let used = bar * 24 + bar_gap * 18 + gap * 5;
            assert!(used <= width, "{width}: {used}");
            assert!(width - used < 24 + 5 * 4, "{width}: the bars fill the pane ({used} used)");
            assert!(bar_gap == 0 || bar >= 2, "{width}: a gap only between bars wide enough for a value");
        }
        assert_eq!(bar_layout(97, 4).1, 1, "a wide pane sets its bars apart");
        let (bar, bar_gap, _) = bar_layout(37, 4);
        assert_eq!((bar, bar_gap), (1, 0), "an 80-column pane: one-cell bars, no values");
    }
}
