//! Case: one child's case with its chronology, and the child's other cases.

use super::{Ctx, Effect, Outcome, Screen, block};
use crate::domain::{Record, RecordKind};
use crate::store::{CaseDetail, StoreError};
pub use crate::store::{Event, chronology, current_teacher, describe_status};
use crate::tui::action::Action;
use crate::tui::editors::case::current_allocation;
use crate::tui::overlays::Reading;
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

    fn select_record(&mut self, kind: RecordKind, key: &str, _ctx: &Ctx) -> Result<bool, StoreError> {
        let at =
            self.events.iter().position(|e| e.record.as_ref().is_some_and(|(k, r)| *k == kind && r == key));
        let Some(at) = at.filter(|_| !self.showing_history) else { return Ok(false) };
        self.cursor.select(at);
        Ok(true)
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
            // Enter: an earlier case opens; any other line is read in full.
            Action::Open if !self.showing_history => {
                Ok(self.events.get(self.cursor.selected).map(|e| match e.case_id {
                    Some(id) => Effect::OpenCase(id),
                    None => {
                        Effect::Read(Reading::new(format!("Chronology, {}", e.date.uk()), e.what.clone()))
                    }
                }))
            }
            Action::Open => Ok(self
                .history
                .get(self.cursor.selected)
                .map(|e| Effect::Read(Reading::new("Change", change_in_full(e))))),
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
        let extra = u16::from(c.senif || c.open_reason.is_some());
        let [facts, list] =
            Layout::vertical([Constraint::Length(4 + extra), Constraint::Min(0)]).areas(inner);
        let status = describe_status(d, ctx.today);
        let dob = if ctx.initials { "hidden".to_string() } else { d.child.dob.uk() };
        let need = c.need.map(|n| format!(" · {}", n.label())).unwrap_or_default();
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Born ", t.muted()),
                Span::raw(dob),
                Span::styled("  Setting ", t.muted()),
                Span::raw(d.setting_name.clone()),
            ]),
            Line::from(vec![
                match current_allocation(d, ctx.today) {
                    Some(_) => Span::styled("Teacher ", t.muted()),
                    None => Span::styled("No teacher", t.muted()),
                },
                Span::raw(
                    current_allocation(d, ctx.today)
                        .map(|_| current_teacher(d, ctx.today))
                        .unwrap_or_default(),
                ),
                Span::styled(
                    match self.history.last() {
                        Some(e) => format!(
                            "  Last change: {} ({})  (h: history)",
                            change_in_words(e),
                            e.local_when()
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
        // SENIF and why an open case with no work to targets stays open (the county asks): a
        // line of their own when recorded, so no width cuts them off the end of another.
        if c.senif || c.open_reason.is_some() {
            lines.push(Line::from(vec![
                Span::styled(if c.senif { "SENIF support  " } else { "" }, t.attention()),
                Span::styled(if c.open_reason.is_some() { "Kept open for " } else { "" }, t.muted()),
                Span::raw(c.open_reason.map_or(String::new(), |r| r.label().to_lowercase())),
            ]));
        }
        // One line each, cut at the edge rather than wrapped: the teacher line is never pushed
        // out of its four lines by a long need or setting.
        frame.render_widget(Paragraph::new(lines), facts);
        let body = Rect { y: list.y + 1, height: list.height.saturating_sub(1), ..list };
        let visible = self.cursor.layout(body);
        if self.showing_history {
            let rows: Vec<Row> = visible
                .map(|i| {
                    let e = &self.history[i];
                    let style = if i == self.cursor.selected { t.selected() } else { t.base() };
                    Row::new(vec![Cell::from(e.local_when()), Cell::from(change_in_words(e))]).style(style)
                })
                .collect();
            let table = Table::new(rows, [Constraint::Length(20), Constraint::Min(10)]).header(
                Row::new(vec!["When", "What changed, by whom (h: back to the chronology)"]).style(t.header()),
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

/// An audit entry in full: who, when, and each field's value before and after.
fn change_in_full(e: &crate::store::AuditEntry) -> String {
    let object = |text: &Option<String>| match text.as_deref().map(serde_json::from_str::<serde_json::Value>)
    {
        Some(Ok(serde_json::Value::Object(map))) => map,
        _ => serde_json::Map::new(),
    };
    let (old, new) = (object(&e.old), object(&e.new));
    let shown = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "–".to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let mut text = format!("{}, {}\n", change_in_words(e), e.local_when());
    let fields = if e.old.is_some() && e.new.is_some() {
        e.changed_fields()
    } else {
        old.keys().chain(new.keys()).filter(|k| *k != "id").cloned().collect()
    };
    for f in fields {
        let (before, after) = (shown(old.get(&f)), shown(new.get(&f)));
        let line = match e.op {
            crate::store::AuditOp::Insert => format!("\n{}: {after}", f.replace('_', " ")),
            crate::store::AuditOp::Delete => format!("\n{}: {before}", f.replace('_', " ")),
            crate::store::AuditOp::Update => format!("\n{}: {before} → {after}", f.replace('_', " ")),
        };
        text.push_str(&line);
    }
    text
}

/// An audit entry in words: "target added by ann", "case changed (closed, closure reason) by ann".
pub fn change_in_words(e: &crate::store::AuditEntry) -> String {
    let what = e.kind.map_or_else(|| e.table.replace('_', " "), |k| k.label().to_string());
    let fields = e.changed_fields();
    let change = if fields.is_empty() {
        e.op.verb().to_string()
    } else {
        format!("{} ({})", e.op.verb(), fields.join(", ").replace('_', " "))
    };
    format!("{what} {change} by {}", e.user)
}
