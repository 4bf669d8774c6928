//! Case: one child's case with its chronology, and the child's other cases.

use super::{Ctx, Effect, Outcome, Screen, block};
use crate::domain::{Record, RecordKind};
use crate::store::{CaseDetail, StoreError};
pub use crate::store::{Event, chronology, current_teacher, describe_status};
use crate::tui::action::Action;
use crate::tui::widgets::child_name;
use crate::tui::widgets::list::Cursor;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

#[derive(Default)]
pub struct CaseScreen {
    case_id: Option<i64>,
    detail: Option<CaseDetail>,
    events: Vec<Event>,
    cursor: Cursor,
    /// Other cases' ids in the order shown under the chronology.
    other_ids: Vec<i64>,
    /// Who changed the case and its work, when (the audit log), oldest first.
    history: Vec<crate::store::AuditEntry>,
    /// Showing the history instead of the chronology.
    pub showing_history: bool,
}

impl CaseScreen {
    /// Shows a case (the application then reads it, as for any screen whose subject changed).
    pub fn open(&mut self, case_id: i64) -> Effect {
        self.case_id = Some(case_id);
        self.cursor = Cursor::default();
        Effect::Reload
    }

    pub fn detail(&self) -> Option<&CaseDetail> {
        self.detail.as_ref()
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }
}

impl Screen for CaseScreen {
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        self.detail = match self.case_id {
            Some(id) => ctx.reader.case_detail(id)?,
            None => None,
        };
        self.events = self.detail.as_ref().map(chronology).unwrap_or_default();
        self.other_ids.clear();
        if let Some(d) = &self.detail {
            for other in &d.other_cases {
                if let Some(id) = ctx.reader.case_id(&other.key)? {
                    self.other_ids.push(id);
                }
            }
            let first_other = self.events.len() - d.other_cases.len();
            for (e, id) in self.events[first_other..].iter_mut().zip(&self.other_ids) {
                e.case_id = Some(*id);
            }
        }
        self.history = match &self.detail {
            Some(d) => ctx.reader.audit_of_case(&d.case.key)?,
            None => Vec::new(),
        };
        self.cursor.set_len(if self.showing_history { self.history.len() } else { self.events.len() });
        Ok(())
    }

    fn handle(&mut self, action: Action, _ctx: &Ctx) -> Outcome {
        if self.cursor.apply(action) {
            return Ok(None);
        }
        match action {
            Action::History => {
                self.showing_history = !self.showing_history;
                self.cursor = Cursor::default();
                self.cursor.set_len(if self.showing_history {
                    self.history.len()
                } else {
                    self.events.len()
                });
                Ok(None)
            }
            Action::Open if !self.showing_history => {
                Ok(self.events.get(self.cursor.selected).and_then(|e| e.case_id).map(Effect::OpenCase))
            }
            Action::Back => Ok(Some(Effect::Goto(crate::tui::action::ScreenId::Caseload))),
            _ => Ok(None),
        }
    }

    /// The record of the chronology line under the cursor (the case itself for its own lines).
    fn selected_record(&self) -> Option<Record> {
        let d = self.detail.as_ref()?;
        if self.showing_history {
            return None;
        }
        let (kind, key) = self.events.get(self.cursor.selected)?.record.clone()?;
        match kind {
            RecordKind::Case => Some(Record::Case(d.case.clone())),
            RecordKind::Allocation => d
                .allocations
                .iter()
                .find(|a| a.record.key == key)
                .map(|a| Record::Allocation(a.record.clone())),
            RecordKind::Target => d.targets.iter().find(|t| t.key == key).cloned().map(Record::Target),
            RecordKind::Review => d.reviews.iter().find(|r| r.key == key).cloned().map(Record::Review),
            RecordKind::Visit => {
                d.visits.iter().find(|v| v.record.key == key).map(|v| Record::Visit(v.record.clone()))
            }
            RecordKind::Referral => d.referral.clone().map(Record::Referral),
            _ => None,
        }
    }

    fn summary(&self) -> String {
        "a allocate  t target  x end target  r review  v visit  c close  n new case  e edit  d remove".into()
    }

    fn click(&mut self, x: u16, y: u16, double: bool, _ctx: &Ctx) -> Outcome {
        if let Some(row) = self.cursor.row_at(x, y) {
            let again = row == self.cursor.selected;
            self.cursor.select(row);
            if double && again {
                return Ok(self.events.get(row).and_then(|e| e.case_id).map(Effect::OpenCase));
            }
        }
        Ok(None)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let Some(d) = &self.detail else {
            let b = block(" Case ", t);
            let inner = b.inner(area);
            frame.render_widget(b, area);
            let text = "No case open. Choose one on the Caseload (2) and press Enter.";
            frame.render_widget(Paragraph::new(Span::styled(text, t.muted())), inner);
            return;
        };
        let c = &d.case;
        let name = child_name(&d.child.first_name, &d.child.last_name, ctx.initials);
        let b = block(format!(" Case {}: {name} ", c.key), t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let [facts, list] = Layout::vertical([Constraint::Length(4), Constraint::Min(0)]).areas(inner);
        let status = describe_status(d, ctx.today);
        let dob = if ctx.initials { "hidden".to_string() } else { d.child.dob.uk() };
        let need = c.need.map(|n| format!(" · {}", n.label())).unwrap_or_default();
        let lines = vec![
            Line::from(vec![
                Span::styled("Born ", t.muted()),
                Span::raw(dob),
                Span::styled("  Setting ", t.muted()),
                Span::raw(d.setting_name.clone()),
            ]),
            Line::from(vec![
                Span::styled("Teacher ", t.muted()),
                Span::raw(current_teacher(d, ctx.today)),
                Span::styled(
                    match self.history.last() {
                        Some(e) => format!(
                            "  Last {} by {} on {}  (h: history)",
                            e.op.verb(),
                            e.user,
                            e.date().map_or(e.at.clone(), |d| d.uk())
                        ),
                        None => "  (h: history)".to_string(),
                    },
                    t.muted(),
                ),
            ]),
            Line::from(vec![
                Span::styled("Need ", t.muted()),
                Span::raw(format!("{} · {}{need}", c.phase.label(), c.area.label())),
            ]),
            Line::from(vec![
                Span::styled("Opened ", t.muted()),
                Span::raw(c.opened.uk()),
                Span::styled("  Status ", t.muted()),
                Span::raw(status),
                Span::styled("  Outreach ", t.muted()),
                Span::raw(if c.outreach { "yes" } else { "no" }),
            ]),
        ];
        // One line each, cut at the edge rather than wrapped: the teacher line is never pushed
        // out of its four lines by a long need or setting.
        frame.render_widget(Paragraph::new(lines), facts);
        let body = Rect { y: list.y + 1, height: list.height.saturating_sub(1), ..list };
        let visible = self.cursor.layout(body);
        if self.showing_history {
            let rows: Vec<Row> = visible
                .map(|i| {
                    let e = &self.history[i];
                    let fields = e.changed_fields();
                    let what = match (e.kind, fields.is_empty()) {
                        (Some(kind), true) => format!("{} {} {}", kind.label(), e.key, e.op.verb()),
                        (Some(kind), false) => {
                            format!("{} {} changed: {}", kind.label(), e.key, fields.join(", "))
                        }
                        (None, _) => format!("{} {} {}", e.table, e.key, e.op.verb()),
                    };
                    let when = e.at.get(..16).unwrap_or(&e.at).replace('T', " ");
                    let style = if i == self.cursor.selected { t.selected() } else { t.base() };
                    Row::new(vec![Cell::from(when), Cell::from(e.user.clone()), Cell::from(what)])
                        .style(style)
                })
                .collect();
            let table =
                Table::new(rows, [Constraint::Length(17), Constraint::Length(12), Constraint::Min(10)])
                    .header(
                        Row::new(vec!["When (UTC)", "Who", "What changed (h: back to the chronology)"])
                            .style(t.header()),
                    );
            frame.render_widget(table, list);
            return;
        }
        let rows: Vec<Row> = visible
            .map(|i| {
                let e = &self.events[i];
                let style = if i == self.cursor.selected { t.selected() } else { t.base() };
                let style = if e.case_id.is_some() && i != self.cursor.selected { t.muted() } else { style };
                Row::new(vec![Cell::from(e.date.uk()), Cell::from(e.what.clone())]).style(style)
            })
            .collect();
        let table = Table::new(rows, [Constraint::Length(12), Constraint::Min(10)])
            .header(Row::new(vec!["Date", "Chronology"]).style(t.header()));
        frame.render_widget(table, list);
    }
}
