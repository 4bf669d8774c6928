//! Teachers: each teacher's open and active cases by area today, with their FTE: who has room.
//! The counts are the status words of `domain::status` (the Caseload's filters count the same),
//! and the open cases with no teacher close the list.

use super::{Ctx, Outcome, Screen, area_short, block};
use crate::domain::{Area, Date, Role};
use crate::store::{StoreError, TeacherLoad, TeamLoad};
use crate::tui::action::Action;
use crate::tui::widgets::fit;
use crate::tui::widgets::list::Cursor;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row, Table};

#[derive(Default)]
pub struct Teachers {
    load: TeamLoad,
    day: Option<Date>,
    cursor: Cursor,
}

impl Teachers {
    pub fn loads(&self) -> &[TeacherLoad] {
        &self.load.teachers
    }

    /// The row under the cursor (past the teachers: the cases with no teacher).
    pub fn selected(&self) -> usize {
        self.cursor.selected
    }

    /// Open cases with no teacher, by area.
    pub fn unallocated(&self) -> &[(Area, i64)] {
        &self.load.unallocated
    }

    /// Rows shown: the teachers, then "no teacher" when any open case has none.
    fn len(&self) -> usize {
        self.load.teachers.len() + usize::from(!self.load.unallocated.is_empty())
    }
}

impl Screen for Teachers {
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        self.load = ctx.reader.team_load(ctx.today)?;
        self.day = Some(ctx.today);
        self.cursor.set_len(self.len());
        Ok(())
    }

    fn handle(&mut self, action: Action, _ctx: &Ctx) -> Outcome {
        if self.cursor.apply(action) {
            return Ok(None);
        }
        // Enter: that teacher's cases on the Caseload (the last row: the cases with no teacher).
        if action == Action::Open && self.cursor.selected < self.len() {
            let teacher = self.load.teachers.get(self.cursor.selected).map(|t| (t.id, t.staff.name.clone()));
            return Ok(Some(super::Effect::CasesOf(teacher)));
        }
        Ok(None)
    }

    fn cursor(&mut self) -> Option<&mut Cursor> {
        Some(&mut self.cursor)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let day = self.day.unwrap_or(ctx.today).uk();
        let b = block(format!(" Teachers · cases on {day}: active / open, by area of need "), t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let body = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
        let visible = self.cursor.layout(body);
        let mut header = vec![
            "Teacher".to_string(),
            "Role".into(),
            "Area".into(),
            "FTE".into(),
            "Active".into(),
            "Open".into(),
        ];
        header.extend(Area::ALL.iter().map(|a| area_short(*a).to_string()));
        header.push("Open/FTE".into());
        let by_area = |counts: &dyn Fn(Area) -> (i64, i64)| -> Vec<Cell> {
            Area::ALL
                .iter()
                .map(|a| {
                    let (open, active) = counts(*a);
                    Cell::from(if open == 0 { "–".to_string() } else { format!("{active}/{open}") })
                })
                .collect()
        };
        // The name as wide as names need (up to 40), not the whole of a wide window.
        let name_width = inner.width.saturating_sub(8 + 4 + 4 + 6 + 4 + 5 * 4 + 8 + 10).clamp(12, 40);
        let rows: Vec<Row> = visible
            .map(|i| {
                let style = if i == self.cursor.selected { t.selected() } else { t.base() };
                let Some(l) = self.load.teachers.get(i) else {
                    let open: i64 = self.load.unallocated.iter().map(|(_, n)| n).sum();
                    let mut cells = vec![
                        Cell::from("No teacher"),
                        Cell::from(""),
                        Cell::from(""),
                        Cell::from(""),
                        Cell::from("0"),
                        Cell::from(open.to_string()),
                    ];
                    cells.extend(by_area(&|a| {
                        (self.load.unallocated.iter().find(|(x, _)| *x == a).map_or(0, |(_, n)| *n), 0)
                    }));
                    return Row::new(cells).style(t.attention().patch(style));
                };
                let s = &l.staff;
                let role = match s.role {
                    Role::Lead => "Lead",
                    Role::EarlyYearsSpecialist => "EY spec.",
                    Role::SpecialistTeacher => "Teacher",
                    _ => s.role.label(),
                };
                let name = if l.in_post { s.name.clone() } else { format!("{} (not in post)", s.name) };
                let mut cells = vec![
                    Cell::from(fit(&name, name_width.into())),
                    Cell::from(fit(role, 8)),
                    Cell::from(s.area.map_or("–", area_short)),
                    Cell::from(format!("{:.1}", s.fte)),
                    Cell::from(l.active().to_string()),
                    Cell::from(l.open().to_string()),
                ];
                cells.extend(by_area(&|a| {
                    l.by_area.iter().find(|(x, ..)| *x == a).map_or((0, 0), |(_, o, act)| (*o, *act))
                }));
                cells.push(Cell::from(format!("{:.0}", l.open() as f64 / s.fte)));
                Row::new(cells).style(style)
            })
            .collect();
        let mut widths = vec![
            Constraint::Length(name_width),
            Constraint::Length(8),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(4),
        ];
        widths.extend([Constraint::Length(5); 4]);
        widths.push(Constraint::Length(8));
        frame.render_widget(Table::new(rows, widths).header(Row::new(header).style(t.header())), inner);
    }
}
