//! Returns: a term's or a year's return previewed section by section, computed by the same code
//! as `caseload export`.

use super::{Ctx, Effect, Outcome, Screen, block};
use crate::domain::manual::money;
use crate::domain::{AcademicYear, ManualValue, Scope, Term};
use crate::export::figures::Shown;
use crate::export::figures::{plain, plain_parts};
use crate::kpi::catalogue::{Figure, Measure, Unit};
use crate::kpi::framework::{self, Framework};
use crate::kpi::report::{ReportError, Request, Return, build};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::widgets::fit;
use crate::tui::widgets::list::Cursor;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

pub struct Returns {
    pub year: Option<AcademicYear>,
    /// A term, a monitoring period or the whole year.
    pub span: Scope,
    /// `None`: the framework for the year.
    pub framework: Option<&'static Framework>,
    report: Option<Return>,
    /// Why there is no report: the period chosen has not started.
    not_started: Option<String>,
    /// Section headings and lines, flattened for the table: `None` for a heading.
    rows: Vec<(Option<usize>, String)>,
    cursor: Cursor,
    /// The term `y` last left, to come back to from the year.
    term: Option<Term>,
}

impl Default for Returns {
    fn default() -> Returns {
        Returns {
            year: None,
            span: Scope::Term(Term::ALL[0]),
            framework: None,
            report: None,
            not_started: None,
            rows: Vec::new(),
            cursor: Cursor::default(),
            term: None,
        }
    }
}

impl Returns {
    pub fn report(&self) -> Option<&Return> {
        self.report.as_ref()
    }

    /// The measure of the selected row (none on a section heading).
    pub fn selected_measure(&self) -> Option<&crate::kpi::catalogue::Measure> {
        let (line, _) = self.rows.get(self.cursor.selected)?;
        Some(&self.report.as_ref()?.lines.get((*line)?)?.measure)
    }

    /// `[` `]`: the term, monitoring period or year before or after.
    fn step(&mut self, forward: bool) {
        let Some(year) = self.year else { return };
        match self.span {
            Scope::Year => self.year = Some(if forward { year.next() } else { year.prev() }),
            Scope::Term(term) => {
                let (y, t) = term.step(year, forward);
                self.year = Some(y);
                self.span = Scope::Term(t);
            }
            Scope::Terms(first) => {
                // Two terms at a time: from T3-T4 to T5-T6, or back to T1-T2.
                let (y, t) = first.step(year, forward);
                let (y, t) = t.step(y, forward);
                self.year = Some(y);
                self.span = Scope::monitoring_of(t);
            }
        }
    }
}

/// A figure as the screen shows it: in its unit, a narrative by its length.
fn shown(m: &Measure) -> String {
    match (&m.figure, plain(m)) {
        (_, Shown::NotCollected) => "not coll.".into(),
        // A manual figure nobody has typed yet is not a figure with no denominator.
        (Figure::Manual(None), _) => "not typed".into(),
        (_, Shown::Null) => "n/a".into(),
        (Figure::Manual(Some(ManualValue::Text(t))), _) if t.chars().count() > 10 => {
            format!("{} chars", t.chars().count())
        }
        (Figure::Manual(Some(ManualValue::Number(x))), _) if m.unit == Unit::Money => money(*x),
        (_, other) => other.to_csv(),
    }
}

impl Screen for Returns {
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        if self.year.is_none() {
            let (year, term, _) = crate::kpi::calendar::term_of(ctx.reader, ctx.today)?;
            self.year = Some(year);
            self.span = Scope::Term(term);
        }
        let year = self.year.unwrap_or_else(|| AcademicYear::containing(ctx.today));
        let framework = self.framework.unwrap_or_else(|| framework::for_year(year));
        let request =
            Request { year, span: self.span, framework, generated_at: String::new(), today: ctx.today };
        self.rows.clear();
        self.not_started = None;
        let report = match build(ctx.reader, &request) {
            Ok(report) => report,
            Err(ReportError::Store(e)) => return Err(e),
            Err(ReportError::NotStarted { label, start }) => {
                self.report = None;
                self.not_started =
                    Some(format!("{label} has not started: it starts on {}. No figures yet.", start.uk()));
                self.cursor.set_len(0);
                return Ok(());
            }
        };
        let mut section = "";
        for (i, line) in report.lines.iter().enumerate() {
            if line.section != section {
                section = &line.section;
                self.rows.push((None, section.to_string()));
            }
            let m = &line.measure;
            // A note shows as a mark on its line (the text is under the table).
            let noted = m.note.is_some() || line.terms.iter().flatten().flatten().any(|t| t.note.is_some());
            let mark = if noted { " ✎" } else { "" };
            self.rows.push((Some(i), format!("{}{mark}", m.label)));
        }
        self.report = Some(report);
        self.cursor.set_len(self.rows.len());
        Ok(())
    }

    fn handle(&mut self, action: Action, _ctx: &Ctx) -> Outcome {
        if self.cursor.apply(action) {
            return Ok(None);
        }
        match action {
            Action::PrevTerm => self.step(false),
            Action::NextTerm => self.step(true),
            // `y`: the term, then its monitoring period (two terms), then the whole year.
            // Back from the year to the term the person started from, not to T1.
            Action::ToggleYear => {
                self.span = match self.span {
                    Scope::Term(t) => {
                        self.term = Some(t);
                        Scope::monitoring_of(t)
                    }
                    Scope::Terms(first) => {
                        self.term.get_or_insert(first);
                        Scope::Year
                    }
                    Scope::Year => Scope::Term(self.term.unwrap_or(Term::ALL[0])),
                };
            }
            Action::NextFramework => {
                let all = framework::builtin();
                self.framework = match self.framework {
                    None => all.first(),
                    Some(f) => all.iter().position(|x| x.id == f.id).and_then(|i| all.get(i + 1)),
                };
            }
            _ => return Ok(None),
        }
        Ok(Some(Effect::Reload))
    }

    fn cursor(&mut self) -> Option<&mut Cursor> {
        Some(&mut self.cursor)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let Some(r) = &self.report else {
            let b = block(
                Line::from(vec![Span::raw(" Returns "), Span::styled("[ ] period  y term/year ", t.muted())]),
                t,
            );
            let inner = b.inner(area);
            frame.render_widget(b, area);
            if let Some(why) = &self.not_started {
                frame.render_widget(
                    ratatui::widgets::Paragraph::new(Span::styled(why.clone(), t.muted())),
                    inner,
                );
            }
            return;
        };
        let chosen = if self.framework.is_some() { "" } else { " (the year's)" };
        let to_date = if r.provisional { format!(" to date ({})", r.period.end.uk()) } else { String::new() };
        let head = format!(" Return {}{to_date} · framework {}{chosen} ", r.period.label, r.framework_id);
        // The keys of this screen, as many as the title has room for.
        let room = usize::from(area.width).saturating_sub(head.chars().count() + 2);
        let hints = [
            "[ ] period  y term/two terms/year  f framework  m figures  w narrative  n note  x export ",
            "[ ] y period  f framework  m figures  w narrative  n note  x export ",
            "[ ] y f  m w n x  (? keys) ",
            "? keys ",
        ];
        let hint = hints.iter().find(|h| h.chars().count() <= room).copied().unwrap_or("");
        let title = Line::from(vec![Span::raw(head), Span::styled(hint, t.muted())]);
        let b = block(title, t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        // The terms beside the period's figure, when there is room for them.
        let terms = r.span.terms();
        let year_view = r.span.term().is_none() && usize::from(inner.width) >= 43 + 8 * (terms.len() + 1);
        // Under the table: the selected figure's definition and note.
        let about_height = if inner.height >= 12 { 3 } else { 0 };
        let body = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1 + about_height), ..inner };
        let about =
            Rect { y: inner.y + inner.height.saturating_sub(about_height), height: about_height, ..inner };
        if let Some(m) = self.selected_measure().filter(|_| about_height > 0) {
            let mut text =
                vec![Line::from(Span::styled(crate::kpi::catalogue::definition(&m.id), t.muted()))];
            let note = match (m.not_collected, &m.note) {
                (true, n) => Some(format!("Not collected. {}", n.as_deref().unwrap_or(""))),
                (false, Some(n)) => Some(format!("Note: {n}")),
                (false, None) => None,
            };
            text.extend(note.map(|n| Line::from(Span::styled(n, t.attention()))));
            frame.render_widget(
                ratatui::widgets::Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
                about,
            );
        }
        let visible = self.cursor.layout(body);
        let label_width =
            usize::from(inner.width).saturating_sub(if year_view { 8 * terms.len() + 11 + 14 } else { 29 });
        let rows: Vec<Row> = visible
            .map(|i| {
                let (line, text) = &self.rows[i];
                let style = if i == self.cursor.selected { t.selected() } else { t.base() };
                let Some(li) = line else {
                    return Row::new(vec![Cell::from(text.clone())]).style(t.header().patch(style));
                };
                let line = &r.lines[*li];
                let m = &line.measure;
                let mut cells = vec![Cell::from(fit(text, label_width))];
                if year_view {
                    for tm in line.terms.iter().flatten() {
                        cells.push(Cell::from(tm.as_ref().map_or_else(|| "not yet".to_string(), shown)));
                    }
                }
                cells.push(Cell::from(shown(m)));
                cells.push(Cell::from(match plain_parts(m) {
                    (Shown::Null, _) => String::new(),
                    (n, d) => format!("{}/{}", n.to_csv(), d.to_csv()),
                }));
                Row::new(cells).style(style)
            })
            .collect();
        let mut widths = vec![Constraint::Min(20)];
        let mut header = vec!["Measure".to_string()];
        if year_view {
            widths.extend(terms.iter().map(|_| Constraint::Length(7)));
            header.extend(terms.iter().map(|t| t.to_string()));
            header.push(if r.span == Scope::Year { "Year".into() } else { "Period".into() });
        } else {
            header.push("Value".into());
        }
        widths.push(Constraint::Length(11));
        widths.push(Constraint::Length(13));
        header.push("Num/den".into());
        frame.render_widget(Table::new(rows, widths).header(Row::new(header).style(t.header())), inner);
    }
}
