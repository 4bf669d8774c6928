//! Teachers: each teacher's open and active cases by area, with their FTE: who has room.

use super::{Ctx, Outcome, Screen, area_short, block};
use crate::domain::{Area, Role};
use crate::store::{StoreError, TeacherLoad};
use crate::tui::action::Action;
use crate::tui::widgets::fit;
use crate::tui::widgets::list::Cursor;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row, Table};

#[derive(Default)]
pub struct Teachers {
    loads: Vec<TeacherLoad>,
    cursor: Cursor,
}

impl Teachers {
    pub fn loads(&self) -> &[TeacherLoad] {
        &self.loads
    }
}

impl Screen for Teachers {
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        self.loads = ctx.reader.teacher_loads(ctx.today)?;
        self.cursor.set_len(self.loads.len());
        Ok(())
    }

    fn handle(&mut self, action: Action, _ctx: &Ctx) -> Outcome {
        self.cursor.apply(action);
        Ok(None)
    }

    fn cursor(&mut self) -> Option<&mut Cursor> {
        Some(&mut self.cursor)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let b = block(format!(" Teachers in post {} · active / open cases by area ", ctx.today.uk()), t);
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
        let rows: Vec<Row> = visible
            .map(|i| {
                let l = &self.loads[i];
                let s = &l.staff;
                let role = match s.role {
                    Role::Lead => "Lead",
                    Role::EarlyYearsSpecialist => "EY spec.",
                    _ => "Teacher",
                };
                let mut cells = vec![
                    Cell::from(fit(&s.name, 22)),
                    Cell::from(role),
                    Cell::from(s.area.map_or("–", area_short)),
                    Cell::from(format!("{:.1}", s.fte)),
                    Cell::from(l.active().to_string()),
                    Cell::from(l.open().to_string()),
                ];
                for a in Area::ALL {
                    let (open, active) =
                        l.by_area.iter().find(|(x, ..)| x == a).map_or((0, 0), |(_, o, act)| (*o, *act));
                    cells.push(Cell::from(if open == 0 {
                        "–".to_string()
                    } else {
                        format!("{active}/{open}")
                    }));
                }
                cells.push(Cell::from(format!("{:.0}", l.open() as f64 / s.fte)));
                Row::new(cells).style(if i == self.cursor.selected { t.selected() } else { t.base() })
            })
            .collect();
        let mut widths = vec![
            Constraint::Min(12),
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
