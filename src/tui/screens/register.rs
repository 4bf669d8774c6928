//! Register: the settings (phase, in or out of district, URN) and the staff posts.

use super::{Ctx, Outcome, Screen, area_short, block, day};
use crate::domain::{Setting, Staff};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::widgets::list::Cursor;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

#[derive(Default)]
pub struct Register {
    pub staff_list: bool,
    settings: Vec<Setting>,
    staff: Vec<Staff>,
    cursor: Cursor,
    /// The district's retention policy (D edits it with the name).
    retention: String,
}

impl Register {
    /// The staff member under the cursor, on the staff list.
    pub fn selected_staff(&self) -> Option<&Staff> {
        self.staff.get(self.cursor.selected).filter(|_| self.staff_list)
    }

    fn len(&self) -> usize {
        if self.staff_list { self.staff.len() } else { self.settings.len() }
    }
}

impl Screen for Register {
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        self.settings = ctx.reader.settings()?;
        self.staff = ctx.reader.staff()?;
        self.retention = ctx.reader.retention()?.to_string();
        self.cursor.set_len(self.len());
        Ok(())
    }

    fn select_record(
        &mut self,
        kind: crate::domain::RecordKind,
        key: &str,
        _ctx: &Ctx,
    ) -> Result<bool, StoreError> {
        use crate::domain::RecordKind;
        let (staff_list, at) = match kind {
            RecordKind::Setting => (false, self.settings.iter().position(|s| s.key == key)),
            RecordKind::Staff => (true, self.staff.iter().position(|s| s.key == key)),
            _ => return Ok(false),
        };
        let Some(at) = at else { return Ok(false) };
        self.staff_list = staff_list;
        self.cursor.set_len(self.len());
        self.cursor.select(at);
        Ok(true)
    }

    fn handle(&mut self, action: Action, _ctx: &Ctx) -> Outcome {
        if action == Action::NextList {
            self.staff_list = !self.staff_list;
            self.cursor = Cursor::default();
            self.cursor.set_len(self.len());
        } else {
            self.cursor.apply(action);
        }
        Ok(None)
    }

    fn selected_record(&self) -> Option<crate::domain::Record> {
        use crate::domain::Record;
        if self.staff_list {
            self.staff.get(self.cursor.selected).cloned().map(Record::Staff)
        } else {
            self.settings.get(self.cursor.selected).cloned().map(Record::Setting)
        }
    }

    fn new_kind(&self) -> Option<crate::domain::RecordKind> {
        use crate::domain::RecordKind;
        Some(if self.staff_list { RecordKind::Staff } else { RecordKind::Setting })
    }

    fn summary(&self) -> String {
        "n new  e edit  d remove  l settings/staff  D district".into()
    }

    fn cursor(&mut self) -> Option<&mut Cursor> {
        Some(&mut self.cursor)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let tab = |on: bool, name: String| Span::styled(name, t.tab_of(on));
        let title = Line::from(vec![
            tab(!self.staff_list, format!(" Settings {} ", self.settings.len())),
            tab(self.staff_list, format!(" Staff {} ", self.staff.len())),
            Span::styled(" l: switch ", t.muted()),
            Span::styled(format!(" retention {} (D changes it) ", self.retention), t.muted()),
        ]);
        let b = block(title, t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let body = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
        let visible = self.cursor.layout(body);
        let selected = self.cursor.selected;
        let style = |i: usize| if i == selected { t.selected() } else { t.base() };
        if self.staff_list {
            let rows: Vec<Row> = visible
                .map(|i| {
                    let s = &self.staff[i];
                    Row::new(vec![
                        Cell::from(s.name.clone()),
                        Cell::from(s.role.label()),
                        Cell::from(s.area.map_or("–", area_short)),
                        Cell::from(format!("{:.2}", s.fte)),
                        Cell::from(s.start.uk()),
                        Cell::from(day(s.end)),
                        Cell::from(if s.vacant { "vacant" } else { "" }),
                    ])
                    .style(style(i))
                })
                .collect();
            let widths = [
                Constraint::Min(16),
                Constraint::Length(24),
                Constraint::Length(5),
                Constraint::Length(5),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Length(7),
            ];
            let header = Row::new(vec!["Name", "Role", "Area", "FTE", "Start", "End", ""]).style(t.header());
            frame.render_widget(Table::new(rows, widths).header(header), inner);
        } else {
            let wide = inner.width >= 100;
            let link_teacher = |s: &crate::domain::Setting| {
                let key = s.link_teacher.as_deref();
                key.map(|k| self.staff.iter().find(|x| x.key == k).map_or(k.to_string(), |x| x.name.clone()))
                    .unwrap_or_default()
            };
            let rows: Vec<Row> = visible
                .map(|i| {
                    let s = &self.settings[i];
                    let st = if s.closed.is_some_and(|c| c < ctx.today) { t.muted() } else { style(i) };
                    let mut cells = vec![
                        Cell::from(s.name.clone()),
                        Cell::from(s.phase.label()),
                        Cell::from(if s.in_district { "in district" } else { "out of district" }),
                        Cell::from(s.urn.clone().unwrap_or_default()),
                        Cell::from(s.closed.map(|c| c.uk()).unwrap_or_default()),
                    ];
                    if wide {
                        cells.push(Cell::from(link_teacher(s)));
                    }
                    Row::new(cells).style(if i == selected { style(i) } else { st })
                })
                .collect();
            let mut widths = vec![
                Constraint::Min(20),
                Constraint::Length(11),
                Constraint::Length(15),
                Constraint::Length(7),
                Constraint::Length(11),
            ];
            let mut header = vec!["Setting", "Phase", "District", "URN", "Closed"];
            // The link teacher where there is room for it (from 100 columns; e shows it).
            if wide {
                widths.push(Constraint::Length(18));
                header.push("Link teacher");
            }
            let header = Row::new(header).style(t.header());
            frame.render_widget(Table::new(rows, widths).header(header), inner);
        }
    }
}
