//! Caseload: every case in a table, filtered and sorted as you type.
//!
//! The case summaries are read once (one query); filters and sorting work on them in memory, so
//! a keystroke costs the same whether the district has a thousand cases or a hundred thousand.

use super::{Ctx, Effect, Outcome, Screen, area_short, block, day, phase_short};
use crate::domain::{Area, CaseStatus, Date, PhaseGroup};
use crate::store::{CaseRow, StoreError};
use crate::tui::action::Action;
use crate::tui::widgets::input::{Edit, LineInput};
use crate::tui::widgets::list::Cursor;
use crate::tui::widgets::{child_name, fit};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

/// Which cases by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quick {
    Open,
    Active,
    OpenNotActive,
    Closed,
    All,
}

impl Quick {
    fn next(self) -> Quick {
        match self {
            Quick::Open => Quick::Active,
            Quick::Active => Quick::OpenNotActive,
            Quick::OpenNotActive => Quick::Closed,
            Quick::Closed => Quick::All,
            Quick::All => Quick::Open,
        }
    }

    /// Whether a case's row is one this filter shows (its status on the day the rows were read).
    pub fn shows(self, r: &CaseRow) -> bool {
        match self {
            Quick::Open => r.is_open(),
            Quick::Active => r.status == CaseStatus::Active,
            Quick::OpenNotActive => r.status == CaseStatus::Open,
            Quick::Closed => r.status == CaseStatus::Closed,
            Quick::All => true,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Quick::Open => "open",
            Quick::Active => "active",
            Quick::OpenNotActive => "open, not active",
            Quick::Closed => "closed",
            Quick::All => "all",
        }
    }
}

/// Columns to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Child,
    Setting,
    Phase,
    Area,
    Teacher,
    Opened,
    LastReview,
    Status,
}

impl SortBy {
    const ALL: [SortBy; 8] = [
        SortBy::Child,
        SortBy::Setting,
        SortBy::Phase,
        SortBy::Area,
        SortBy::Teacher,
        SortBy::Opened,
        SortBy::LastReview,
        SortBy::Status,
    ];

    fn label(self) -> &'static str {
        match self {
            SortBy::Child => "child",
            SortBy::Setting => "setting",
            SortBy::Phase => "phase",
            SortBy::Area => "area",
            SortBy::Teacher => "teacher",
            SortBy::Opened => "opened",
            SortBy::LastReview => "last review",
            SortBy::Status => "status",
        }
    }
}

/// Why an open case needs attention (the lead's questions), in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attention {
    NoTeacher,
    NoTargets,
    ReviewOverdue,
    OverSixMonths,
}

impl Attention {
    pub const ALL: [Attention; 4] =
        [Attention::NoTeacher, Attention::NoTargets, Attention::ReviewOverdue, Attention::OverSixMonths];

    pub fn label(self) -> &'static str {
        match self {
            Attention::NoTeacher => "no teacher",
            Attention::NoTargets => "no targets",
            Attention::ReviewOverdue => "review overdue",
            Attention::OverSixMonths => "open more than six months",
        }
    }

    /// The few letters of the Why column (the legend is in the Caseload's help).
    pub fn code(self) -> &'static str {
        match self {
            Attention::NoTeacher => "tchr",
            Attention::NoTargets => "tgts",
            Attention::ReviewOverdue => "rev",
            Attention::OverSixMonths => "6m+",
        }
    }

    pub fn applies(self, row: &CaseRow, day: Date, review_weeks: u32) -> bool {
        match self {
            Attention::NoTeacher => row.has_no_teacher(),
            Attention::NoTargets => row.has_no_targets(),
            Attention::ReviewOverdue => row.review_overdue(day, review_weeks),
            Attention::OverSixMonths => row.open_over_six_months(day),
        }
    }
}

/// Why an open case needs attention on `day`, if it does (the first reason that applies).
pub fn attention(row: &CaseRow, day: Date, review_weeks: u32) -> Option<Attention> {
    Attention::ALL.into_iter().find(|a| a.applies(row, day, review_weeks))
}

/// The phase filter: a phase group, or one phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseChoice {
    Group(PhaseGroup),
    Phase(crate::domain::Phase),
}

impl PhaseChoice {
    /// `p` goes through these, then back to every phase.
    const CYCLE: [PhaseChoice; 5] = [
        PhaseChoice::Group(PhaseGroup::School),
        PhaseChoice::Phase(crate::domain::Phase::Primary),
        PhaseChoice::Phase(crate::domain::Phase::Secondary),
        PhaseChoice::Phase(crate::domain::Phase::Post16),
        PhaseChoice::Group(PhaseGroup::EarlyYears),
    ];

    fn shows(self, r: &CaseRow) -> bool {
        match self {
            PhaseChoice::Group(g) => r.phase.group() == g,
            PhaseChoice::Phase(p) => r.phase == p,
        }
    }

    fn label(self) -> String {
        match self {
            PhaseChoice::Group(PhaseGroup::School) => "school age".into(),
            PhaseChoice::Group(PhaseGroup::EarlyYears) => "early years".into(),
            PhaseChoice::Phase(p) => p.label().to_lowercase(),
        }
    }
}

#[derive(Default)]
pub struct Caseload {
    rows: Vec<CaseRow>,
    /// Lower-cased "child setting" text of each row, for the typed filter.
    search: Vec<String>,
    /// Lower-cased sort keys of each row: "surname first name", setting, teacher.
    names: Vec<String>,
    settings: Vec<String>,
    teachers: Vec<String>,
    /// Row orders by sort (see [`Caseload::sort_order`]), emptied when the rows are read again.
    orders: Vec<(Option<SortBy>, Vec<usize>)>,
    /// Indices of `rows` shown, in order.
    view: Vec<usize>,
    cursor: Cursor,
    filter: Filters,
    typing: bool,
    sort: Option<(SortBy, bool)>,
    /// The day the rows' status is for.
    day: Option<Date>,
    /// Weeks without a review before one is overdue (the district's setting).
    review_weeks: u32,
}

#[derive(Debug, Clone)]
struct Filters {
    quick: Quick,
    phase: Option<PhaseChoice>,
    /// Only the cases needing this attention (`Some(None)`: any).
    attention: Option<Option<Attention>>,
    area: Option<Area>,
    teacher: Option<(i64, String)>,
    setting: Option<(i64, String)>,
    text: LineInput,
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            quick: Quick::Open,
            phase: None,
            attention: None,
            area: None,
            teacher: None,
            setting: None,
            text: LineInput::default(),
        }
    }
}

impl Caseload {
    /// The case under the cursor.
    pub fn selected(&self) -> Option<&CaseRow> {
        self.view.get(self.cursor.selected).map(|i| &self.rows[*i])
    }

    /// The cases shown, in order (for tests and the status line).
    pub fn shown(&self) -> impl Iterator<Item = &CaseRow> {
        self.view.iter().map(|i| &self.rows[*i])
    }

    pub fn total(&self) -> usize {
        self.rows.len()
    }

    /// Shows one teacher's open cases (`None`: the open cases with no teacher), every other
    /// filter cleared.
    pub fn show_teacher(&mut self, teacher: Option<(i64, String)>) {
        self.filter = Filters { quick: Quick::Open, ..Filters::default() };
        match teacher {
            Some(t) => self.filter.teacher = Some(t),
            None => self.filter.attention = Some(Some(Attention::NoTeacher)),
        }
        // Another list: it opens at its top, not where the cursor was in the last one.
        self.cursor = Cursor::default();
        self.refresh();
    }

    /// Shows the cases of a status (the `f` key cycles through them).
    pub fn set_quick(&mut self, quick: Quick) {
        self.filter.quick = quick;
        self.refresh();
    }

    /// How many cases a quick filter shows on its own (no other filter).
    pub fn count(&self, quick: Quick) -> usize {
        self.rows.iter().filter(|r| quick.shows(r)).count()
    }

    fn matches(&self, i: usize, needle: &str) -> bool {
        let r = &self.rows[i];
        let f = &self.filter;
        let needs = |a: Option<Attention>| {
            self.day.is_some_and(|day| match a {
                Some(a) => r.is_open() && a.applies(r, day, self.review_weeks),
                None => r.is_open() && attention(r, day, self.review_weeks).is_some(),
            })
        };
        f.quick.shows(r)
            && f.phase.is_none_or(|p| p.shows(r))
            && f.attention.is_none_or(needs)
            && f.area.is_none_or(|a| r.area == a)
            && f.teacher.as_ref().is_none_or(|(id, _)| r.teacher_id == Some(*id))
            && f.setting.as_ref().is_none_or(|(id, _)| r.setting_id == *id)
            && (needle.is_empty() || self.search[i].contains(needle))
    }

    /// How two rows compare in a sort: by the column, then newest first, then by id, so the
    /// order is always the same. Keys are read in place: no allocation per row.
    fn compare(&self, by: SortBy, a: usize, b: usize) -> std::cmp::Ordering {
        let (x, y) = (&self.rows[a], &self.rows[b]);
        let first = match by {
            SortBy::Child => self.names[a].cmp(&self.names[b]),
            SortBy::Setting => self.settings[a].cmp(&self.settings[b]),
            SortBy::Teacher => self.teachers[a].cmp(&self.teachers[b]),
            SortBy::Phase => (x.phase as u8).cmp(&(y.phase as u8)),
            SortBy::Area => (x.area as u8).cmp(&(y.area as u8)),
            SortBy::Opened => x.opened.cmp(&y.opened),
            SortBy::LastReview => x.last_review.unwrap_or(x.opened).cmp(&y.last_review.unwrap_or(y.opened)),
            SortBy::Status => x.status.cmp(&y.status),
        };
        first.then_with(|| y.opened.cmp(&x.opened)).then_with(|| x.id.cmp(&y.id))
    }

    /// Every row in a sort's order (newest first when there is no sort), computed once per load
    /// and sort: a keystroke then only filters, in one pass, whatever the number of cases.
    fn sort_order(&mut self, by: Option<SortBy>) {
        if !self.orders.iter().any(|(b, _)| *b == by) {
            let mut order: Vec<usize> = (0..self.rows.len()).collect();
            match by {
                Some(by) => order.sort_unstable_by(|a, b| self.compare(by, *a, *b)),
                None => order.sort_unstable_by(|a, b| {
                    let (x, y) = (&self.rows[*a], &self.rows[*b]);
                    y.opened.cmp(&x.opened).then_with(|| y.id.cmp(&x.id))
                }),
            }
            self.orders.push((by, order));
        }
    }

    /// Applies the filters and sort, keeping the selected case selected when it is still shown.
    fn refresh(&mut self) {
        let keep = self.selected().map(|r| r.id);
        let needle = self.filter.text.text.trim().to_lowercase();
        let (by, descending) = match self.sort {
            Some((by, d)) => (Some(by), d),
            None => (None, false),
        };
        self.sort_order(by);
        let order = self.orders.iter().find(|(b, _)| *b == by).map(|(_, o)| o.as_slice()).unwrap_or(&[]);
        let matching = |i: &&usize| self.matches(**i, &needle);
        let view: Vec<usize> = if descending {
            order.iter().rev().filter(matching).copied().collect()
        } else {
            order.iter().filter(matching).copied().collect()
        };
        self.view = view;
        self.cursor.set_len(self.view.len());
        // The row selected stays selected when still shown; else the filtered list opens at its top.
        let at = keep.and_then(|id| self.view.iter().position(|i| self.rows[*i].id == id));
        self.cursor.select(at.unwrap_or(0));
    }

    fn describe_filters(&self) -> String {
        let f = &self.filter;
        let mut parts = vec![f.quick.label().to_string()];
        if let Some(p) = f.phase {
            parts.push(p.label());
        }
        match f.attention {
            Some(Some(a)) => parts.push(a.label().into()),
            Some(None) => parts.push("needing attention".into()),
            None => {}
        }
        if let Some(a) = f.area {
            parts.push(area_short(a).into());
        }
        if let Some((_, t)) = &f.teacher {
            parts.push(format!("teacher {t}"));
        }
        if let Some((_, s)) = &f.setting {
            parts.push(s.clone());
        }
        if !f.text.text.is_empty() {
            parts.push(format!("\"{}\"", f.text.text));
        }
        if let Some((by, desc)) = self.sort {
            parts.push(format!("by {}{}", by.label(), if desc { " ↓" } else { "" }));
        }
        parts.join(" · ")
    }
}

impl Screen for Caseload {
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        self.rows = ctx.reader.case_rows(ctx.today)?;
        self.search = self
            .rows
            .iter()
            .map(|r| format!("{} {} {}", r.first_name, r.last_name, r.setting).to_lowercase())
            .collect();
        self.names =
            self.rows.iter().map(|r| format!("{} {}", r.last_name, r.first_name).to_lowercase()).collect();
        self.settings = self.rows.iter().map(|r| r.setting.to_lowercase()).collect();
        self.teachers = self.rows.iter().map(|r| r.teacher.as_deref().unwrap_or("").to_lowercase()).collect();
        self.orders.clear();
        // Every order now, while the screen loads, so that no keystroke waits for a sort.
        self.sort_order(None);
        for by in SortBy::ALL {
            self.sort_order(Some(by));
        }
        self.day = Some(ctx.today);
        self.review_weeks = ctx.review_weeks;
        self.refresh();
        Ok(())
    }

    fn handle(&mut self, action: Action, _ctx: &Ctx) -> Outcome {
        if self.cursor.apply(action) {
            return Ok(None);
        }
        let f = &mut self.filter;
        match action {
            Action::Open => return Ok(self.selected().map(|r| Effect::OpenCase(r.id))),
            Action::NextQuickFilter => f.quick = f.quick.next(),
            Action::NextPhaseFilter => {
                let cycle = PhaseChoice::CYCLE;
                f.phase = match f.phase {
                    None => Some(cycle[0]),
                    Some(p) => cycle.iter().position(|x| *x == p).and_then(|i| cycle.get(i + 1)).copied(),
                }
            }
            Action::NextAttentionFilter => {
                // Any reason first, then each reason, then every case again.
                f.attention = match f.attention {
                    None => Some(None),
                    Some(None) => Some(Some(Attention::ALL[0])),
                    Some(Some(a)) => Attention::ALL
                        .iter()
                        .position(|x| *x == a)
                        .and_then(|i| Attention::ALL.get(i + 1))
                        .map(|a| Some(*a)),
                };
                if f.attention.is_some() && f.quick == Quick::Closed {
                    f.quick = Quick::Open;
                }
            }
            Action::NextAreaFilter => {
                f.area = match f.area {
                    None => Some(Area::ALL[0]),
                    Some(a) => {
                        Area::ALL.iter().position(|x| *x == a).and_then(|i| Area::ALL.get(i + 1)).copied()
                    }
                }
            }
            Action::TeacherFilter => {
                let selected = self.view.get(self.cursor.selected).map(|i| &self.rows[*i]);
                let f = &mut self.filter;
                f.teacher = match (&f.teacher, selected) {
                    (None, Some(r)) => r.teacher_id.zip(r.teacher.clone()),
                    _ => None,
                };
            }
            Action::SettingFilter => {
                let selected = self.view.get(self.cursor.selected).map(|i| &self.rows[*i]);
                let f = &mut self.filter;
                f.setting = match (&f.setting, selected) {
                    (None, Some(r)) => Some((r.setting_id, r.setting.clone())),
                    _ => None,
                };
            }
            // Back to how the list opens: the open cases, nothing else.
            Action::ClearFilters => self.filter = Filters::default(),
            Action::Back if !self.filter.text.text.is_empty() => self.filter.text = LineInput::default(),
            Action::NextSort => {
                self.sort = match self.sort {
                    None => Some((SortBy::ALL[0], false)),
                    Some((by, _)) => SortBy::ALL
                        .iter()
                        .position(|x| *x == by)
                        .and_then(|i| SortBy::ALL.get(i + 1))
                        .map(|b| (*b, false)),
                }
            }
            Action::ReverseSort => {
                self.sort = Some(match self.sort {
                    None => (SortBy::Opened, false),
                    Some((by, desc)) => (by, !desc),
                })
            }
            _ => return Ok(None),
        }
        self.refresh();
        Ok(None)
    }

    fn typing(&self) -> bool {
        self.typing
    }

    fn start_filter(&mut self, text: &str) -> bool {
        self.typing = true;
        if !text.is_empty() {
            self.filter.text.insert(text);
            self.refresh();
        }
        true
    }

    fn type_key(&mut self, key: &KeyEvent, _ctx: &Ctx) -> Outcome {
        match self.filter.text.key(key) {
            Edit::Changed => self.refresh(),
            Edit::Submit => self.typing = false,
            Edit::Cancel => {
                self.typing = false;
                self.filter.text = LineInput::default();
                self.refresh();
            }
            _ => {}
        }
        Ok(None)
    }

    fn click(&mut self, x: u16, y: u16, double: bool, _ctx: &Ctx) -> Outcome {
        if let Some(row) = self.cursor.row_at(x, y) {
            let again = row == self.cursor.selected;
            self.cursor.select(row);
            if double && again {
                return Ok(self.selected().map(|r| Effect::OpenCase(r.id)));
            }
        }
        Ok(None)
    }

    fn summary(&self) -> String {
        format!("{} of {} cases", self.view.len(), self.rows.len())
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let on = self.day.map(|d| format!(" · status on {}", d.uk())).unwrap_or_default();
        let title = Line::from(vec![
            Span::raw(" Caseload "),
            Span::styled(format!("{} of {} cases{on} ", self.view.len(), self.rows.len()), t.muted()),
        ]);
        let outer = block(title, t);
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        let [filters, table] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        let mut line = vec![Span::styled("Showing: ", t.muted()), Span::raw(self.describe_filters())];
        if self.typing {
            line = vec![
                Span::styled("Filter: ", t.key()),
                Span::raw(self.filter.text.text.clone()),
                Span::styled("▏", t.key()),
                Span::styled("  Enter keep · Esc clear", t.muted()),
            ];
        }
        frame.render_widget(Paragraph::new(Line::from(line)), filters);

        // Columns by width: child, teacher and status always; the narrow layout drops the
        // opening date and last review, and shortens the status.
        let wide = table.width >= 110;
        let medium = table.width >= 90;
        let status_width = if wide { 16 } else { 7 };
        // A wide window gives its width to names: the child's and the teacher's grow, the
        // setting takes the rest.
        let extra = table.width.saturating_sub(110);
        let child_width = 18 + (extra / 3).min(14);
        let teacher_width = 14 + (extra / 6).min(10);
        let mut widths = vec![
            Constraint::Length(child_width),
            Constraint::Min(10),
            Constraint::Length(3),
            Constraint::Length(9),
            Constraint::Length(teacher_width),
        ];
        let mut header = vec!["Child", "Setting", "Ph", "Area", "Teacher"];
        if medium {
            widths.push(Constraint::Length(11));
            header.push("Opened");
        }
        if wide {
            widths.push(Constraint::Length(11));
            header.push("Last review");
        }
        widths.push(Constraint::Length(status_width));
        header.push("Status");
        // Why a row is highlighted (the legend is in the help: ?).
        widths.push(Constraint::Length(4));
        header.push("Why");
        let body = Rect { y: table.y + 1, height: table.height.saturating_sub(1), ..table };
        let visible = self.cursor.layout(body);
        let today = self.day.unwrap_or(ctx.today);
        let rows: Vec<Row> = visible
            .clone()
            .map(|vi| {
                let r = &self.rows[self.view[vi]];
                let status = r.status;
                let need = r.need.map(|n| format!(" {}", n.code())).unwrap_or_default();
                let mut cells = vec![
                    Cell::from(fit(
                        &child_name(&r.first_name, &r.last_name, ctx.initials),
                        child_width.into(),
                    )),
                    Cell::from(r.setting.clone()),
                    Cell::from(phase_short(r.phase)),
                    Cell::from(format!("{}{need}", area_short(r.area))),
                ];
                let teacher = match (&r.teacher, r.is_open()) {
                    (Some(name), _) => name.as_str(),
                    (None, true) => "no teacher",
                    (None, false) => "–",
                };
                cells.push(Cell::from(fit(teacher, teacher_width.into())));
                if medium {
                    cells.push(Cell::from(r.opened.uk()));
                }
                if wide {
                    cells.push(Cell::from(day(r.last_review)));
                }
                cells.push(Cell::from(if wide { status.label() } else { status.short() }));
                let why = attention(r, today, ctx.review_weeks).filter(|_| r.is_open());
                cells.push(Cell::from(why.map_or("", Attention::code)));
                let style = match (why, status) {
                    (Some(_), _) => t.attention(),
                    (None, CaseStatus::Active) => t.active(),
                    (None, CaseStatus::Closed | CaseStatus::NotYetOpen) => t.muted(),
                    (None, CaseStatus::Open) => Style::new(),
                };
                let style = if vi == self.cursor.selected { style.patch(t.selected()) } else { style };
                Row::new(cells).style(style)
            })
            .collect();
        let widget = Table::new(rows, widths).header(Row::new(header).style(t.header())).column_spacing(1);
        frame.render_widget(widget, table);
        if self.view.is_empty() {
            let message = if self.rows.is_empty() {
                "No cases yet. Record a LIFT meeting (4) or import a records file."
            } else {
                "No case matches these filters. c clears them."
            };
            frame.render_widget(Paragraph::new(Span::styled(message, t.muted())), body);
        }
    }
}
