//! Dashboard: the current term at a glance, and the six terms of its year in two charts.

use super::{Ctx, Effect, Outcome, Screen, block};
use crate::domain::{AcademicYear, Area, Period, Phase, PhaseGroup, Term};
use crate::kpi::calendar::term_starts;
use crate::store::{PeriodCounts, PeriodDates, StoreError, TermOverview};
use crate::tui::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};

pub struct Dashboard {
    year: Option<AcademicYear>,
    term: Term,
    period: Option<Period>,
    counts: PeriodCounts,
    terms: Vec<TermOverview>,
    overdue: i64,
}

impl Default for Dashboard {
    fn default() -> Dashboard {
        Dashboard {
            year: None,
            term: Term::ALL[0],
            period: None,
            counts: PeriodCounts::default(),
            terms: Vec::new(),
            overdue: 0,
        }
    }
}

impl Dashboard {
    /// The term shown: (year, term).
    pub fn showing(&self) -> Option<(AcademicYear, Term)> {
        self.year.map(|y| (y, self.term))
    }

    pub fn counts(&self) -> &PeriodCounts {
        &self.counts
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
        let period = starts.period(self.term);
        let whole = Period::year(year);
        self.counts = ctx.reader.period_counts(PeriodDates {
            start: period.start,
            end: period.end,
            year_start: whole.start,
            year_end: whole.end,
        })?;
        self.terms = Term::ALL
            .iter()
            .map(|t| {
                let p = starts.period(*t);
                if p.start > ctx.today {
                    Ok(TermOverview::default())
                } else {
                    ctx.reader.term_overview(p.start, p.end)
                }
            })
            .collect::<Result<_, _>>()?;
        self.overdue = ctx.reader.reviews_overdue(ctx.today, ctx.review_weeks)?;
        self.period = Some(period);
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
        let title = match &self.period {
            Some(p) => format!(" {} · {} to {} ", p.label, p.start.uk(), p.end.uk()),
            None => " Dashboard ".to_string(),
        };
        let outer = block(Line::from(vec![Span::raw(title), Span::styled("[ ] other terms ", t.muted())]), t);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let [figures, charts] = Layout::vertical([Constraint::Length(5), Constraint::Min(0)]).areas(inner);
        let c = &self.counts;
        let (school, early) = (
            get(&c.caseload_by_group, PhaseGroup::School),
            get(&c.caseload_by_group, PhaseGroup::EarlyYears),
        );
        let (school_active, early_active) =
            (get(&c.active_by_group, PhaseGroup::School), get(&c.active_by_group, PhaseGroup::EarlyYears));
        let pct =
            |a: i64, b: i64| if b == 0 { "n/a".to_string() } else { format!("{}%", (a * 100 + b / 2) / b) };
        let label = |s: &str| Span::styled(s.to_string(), t.muted());
        let value =
            |n: i64| Span::styled(n.to_string(), Style::new().add_modifier(ratatui::style::Modifier::BOLD));
        let lines = vec![
            Line::from(vec![
                label("On caseload   school "),
                value(school),
                label("  early years "),
                value(early),
            ]),
            Line::from(vec![
                label("Actively supported   school "),
                value(school_active),
                Span::raw(format!(" ({})", pct(school_active, school))),
                label("  early years "),
                value(early_active),
                Span::raw(format!(" ({})", pct(early_active, early))),
            ]),
            Line::from(
                [Phase::EarlyYears, Phase::Primary, Phase::Secondary, Phase::Post16]
                    .iter()
                    .flat_map(|p| {
                        let n: i64 = c.referrals.iter().filter(|((ph, ..), _)| ph == p).map(|(_, n)| n).sum();
                        [label(&format!(" {} ", p.label().to_lowercase())), value(n)]
                    })
                    .fold(vec![label("Referrals this term:")], |mut v, s| {
                        v.push(s);
                        v
                    }),
            ),
            Line::from(vec![
                label("LIFT meetings held   school "),
                value(get(&c.lift_meetings, PhaseGroup::School)),
                label("  early years "),
                value(get(&c.lift_meetings, PhaseGroup::EarlyYears)),
                label("   Clinics held "),
                value(c.clinics.values().sum()),
            ]),
            Line::from(vec![
                label(&format!("Reviews overdue today (no review for {} weeks) ", ctx.review_weeks)),
                Span::styled(self.overdue.to_string(), if self.overdue > 0 { t.attention() } else { t.ok() }),
            ]),
        ];
        frame.render_widget(Paragraph::new(lines), figures);

        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts);
        let groups: Vec<BarGroup> = self
            .terms
            .iter()
            .zip(Term::ALL)
            .map(|(o, term)| {
                let bars = vec![
                    Bar::default()
                        .value(sum(o.caseload))
                        .style(t.bar(0))
                        .text_value(sum(o.caseload).to_string()),
                    Bar::default().value(sum(o.active)).style(t.bar(1)).text_value(sum(o.active).to_string()),
                ];
                BarGroup::default().label(Line::from(term.to_string()).centered()).bars(&bars)
            })
            .collect();
        let mut chart = BarChart::default()
            .block(block(
                Line::from(vec![
                    Span::raw(" Caseload "),
                    Span::styled("■", t.bar(0)),
                    Span::raw(" vs active "),
                    Span::styled("■ ", t.bar(1)),
                ]),
                t,
            ))
            .bar_width(bar_width(left.width, 2))
            .bar_gap(0)
            .group_gap(1);
        for g in groups {
            chart = chart.data(g);
        }
        frame.render_widget(chart, left);

        let mut chart = BarChart::default()
            .block(block(
                Line::from(
                    Area::ALL
                        .iter()
                        .enumerate()
                        .flat_map(|(i, a)| {
                            [Span::styled("■", t.bar(i)), Span::raw(format!("{} ", super::area_short(*a)))]
                        })
                        .fold(vec![Span::raw(" Referrals ")], |mut v, s| {
                            v.push(s);
                            v
                        }),
                ),
                t,
            ))
            .bar_width(bar_width(right.width, 4))
            .bar_gap(0)
            .group_gap(1);
        for (o, term) in self.terms.iter().zip(Term::ALL) {
            let bars: Vec<Bar> = o
                .referrals_by_area
                .iter()
                .enumerate()
                .map(|(i, n)| Bar::default().value(*n as u64).style(t.bar(i)).text_value(String::new()))
                .collect();
            chart =
                chart.data(BarGroup::default().label(Line::from(term.to_string()).centered()).bars(&bars));
        }
        frame.render_widget(chart, right);
    }
}

fn sum(pair: [i64; 2]) -> u64 {
    (pair[0] + pair[1]).max(0) as u64
}

/// Bars as wide as the chart allows: six groups of `bars` bars with a gap between groups.
fn bar_width(width: u16, bars: u16) -> u16 {
    let usable = width.saturating_sub(2 + 5);
    (usable / (6 * bars)).clamp(1, 6)
}
