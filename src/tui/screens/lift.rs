//! LIFT: meetings by date; the selected meeting's attendance and the referrals discussed.

use super::{Ctx, Effect, Outcome, Screen, area_short, block, phase_short};
use crate::domain::{LiftStatus, PhaseGroup, Profession};
use crate::store::{DiscussedReferral, MeetingRow, StoreError};
use crate::tui::action::Action;
use crate::tui::widgets::list::Cursor;
use crate::tui::widgets::{child_name, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

#[derive(Default)]
pub struct Lift {
    meetings: Vec<MeetingRow>,
    cursor: Cursor,
    /// The selected meeting's referrals and setting names, read when the selection changes.
    shown: Option<(i64, Vec<DiscussedReferral>, Vec<String>)>,
    /// On the selected meeting's children (Enter), rather than the list of meetings: `n` then
    /// adds a referral to that meeting, Enter opens a child's case.
    children: Option<Cursor>,
}

impl Lift {
    pub fn meetings(&self) -> &[MeetingRow] {
        &self.meetings
    }

    /// The meeting whose children have the focus: `n` adds a referral to it.
    pub fn adding_to(&self) -> Option<&MeetingRow> {
        self.children.as_ref().and(self.meetings.get(self.cursor.selected))
    }

    /// The referrals discussed at the selected meeting.
    pub fn discussed(&self) -> &[DiscussedReferral] {
        self.shown.as_ref().map_or(&[], |(_, referrals, _)| referrals.as_slice())
    }

    fn load_selected(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        let Some(m) = self.meetings.get(self.cursor.selected) else {
            self.shown = None;
            return Ok(());
        };
        if self.shown.as_ref().is_some_and(|(id, ..)| *id == m.id) {
            return Ok(());
        }
        let referrals = ctx.reader.discussed(m.id)?;
        let names = ctx.reader.setting_names(&m.meeting.settings)?;
        self.shown = Some((m.id, referrals, names));
        Ok(())
    }
}

impl Screen for Lift {
    fn select_record(
        &mut self,
        kind: crate::domain::RecordKind,
        key: &str,
        ctx: &Ctx,
    ) -> Result<bool, StoreError> {
        if kind != crate::domain::RecordKind::LiftMeeting {
            return Ok(false);
        }
        let Some(at) = self.meetings.iter().position(|m| m.meeting.key == key) else { return Ok(false) };
        self.cursor.select(at);
        self.load_selected(ctx)?;
        let n = self.discussed().len();
        if let Some(c) = &mut self.children {
            *c = Cursor::default();
            c.set_len(n);
        }
        Ok(true)
    }

    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        // The selected meeting stays selected (a referral added to it moves it nowhere).
        let keep = self.meetings.get(self.cursor.selected).map(|m| m.id);
        self.meetings = ctx.reader.meetings()?;
        self.cursor.set_len(self.meetings.len());
        if let Some(at) = keep.and_then(|id| self.meetings.iter().position(|m| m.id == id)) {
            self.cursor.select(at);
        }
        self.shown = None;
        self.load_selected(ctx)?;
        let n = self.discussed().len();
        if let Some(c) = &mut self.children {
            c.set_len(n);
        }
        Ok(())
    }

    fn handle(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        if let Some(children) = &mut self.children {
            if children.apply(action) {
                return Ok(None);
            }
            return match action {
                Action::Back => {
                    self.children = None;
                    Ok(None)
                }
                Action::Open => {
                    let Some(d) = self.discussed().get(children_selected(&self.children)) else {
                        return Ok(None);
                    };
                    Ok(ctx.reader.case_of_referral(&d.referral.key)?.map(Effect::OpenCase))
                }
                _ => Ok(None),
            };
        }
        if self.cursor.apply(action) {
            self.load_selected(ctx)?;
            return Ok(None);
        }
        if action == Action::Open && !self.meetings.is_empty() {
            let mut c = Cursor::default();
            c.set_len(self.discussed().len());
            self.children = Some(c);
        }
        Ok(None)
    }

    fn click(&mut self, x: u16, y: u16, _double: bool, ctx: &Ctx) -> Outcome {
        if let Some(row) = self.cursor.row_at(x, y) {
            self.cursor.select(row);
            self.load_selected(ctx)?;
        }
        Ok(None::<Effect>)
    }

    fn summary(&self) -> String {
        match self.adding_to() {
            Some(m) => format!(
                "Meeting of {}: n adds a child  Enter opens the child's case  Esc back to the meetings",
                m.meeting.date.uk()
            ),
            None => format!("{} meetings · n new  Enter children  e edit  d remove", self.meetings.len()),
        }
    }

    fn selected_record(&self) -> Option<crate::domain::Record> {
        self.meetings.get(self.cursor.selected).map(|m| crate::domain::Record::LiftMeeting(m.meeting.clone()))
    }

    fn new_kind(&self) -> Option<crate::domain::RecordKind> {
        Some(crate::domain::RecordKind::LiftMeeting)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let [list, detail] = if area.width >= 100 {
            Layout::horizontal([Constraint::Length(44), Constraint::Min(0)]).areas(area)
        } else {
            Layout::vertical([Constraint::Percentage(40), Constraint::Min(0)]).areas(area)
        };
        let b = block(format!(" LIFT meetings {} ", self.meetings.len()), t);
        let inner = b.inner(list);
        frame.render_widget(b, list);
        let body = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
        let rows: Vec<Row> = self
            .cursor
            .layout(body)
            .map(|i| {
                let m = &self.meetings[i];
                let kind = if m.meeting.kind == PhaseGroup::EarlyYears { "Early years" } else { "School" };
                let style = if i == self.cursor.selected { t.selected() } else { t.base() };
                Row::new(vec![
                    Cell::from(m.meeting.date.uk()),
                    Cell::from(kind),
                    Cell::from(m.meeting.settings.len().to_string()),
                    // A meeting planned ahead or cancelled has no children: its status instead.
                    Cell::from(match m.meeting.status {
                        LiftStatus::Held => m.referrals.to_string(),
                        other => other.label().to_lowercase(),
                    }),
                ])
                .style(style)
            })
            .collect();
        let table = Table::new(
            rows,
            [Constraint::Length(12), Constraint::Length(12), Constraint::Length(8), Constraint::Length(9)],
        )
        .header(Row::new(vec!["Date", "Kind", "Settings", "Children"]).style(t.header()));
        frame.render_widget(table, inner);
        if self.meetings.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled("No LIFT meetings recorded yet.", t.muted())),
                body,
            );
        }

        let (Some(m), Some((_, referrals, names))) = (self.meetings.get(self.cursor.selected), &self.shown)
        else {
            frame.render_widget(block(" Meeting ", t), detail);
            return;
        };
        let b = block(
            format!(
                " Meeting of {}: {} child{} discussed{} ",
                m.meeting.date.uk(),
                referrals.len(),
                if referrals.len() == 1 { "" } else { "ren" },
                if self.children.is_some() {
                    " · n adds a child · Esc back"
                } else {
                    " · Enter: its children"
                }
            ),
            t,
        );
        let inner = b.inner(detail);
        frame.render_widget(b, detail);
        let professionals: Vec<String> = Profession::ALL
            .iter()
            .filter_map(|p| m.meeting.professionals.get(p).map(|n| format!("{} {n}", p.label())))
            .collect();
        let mut when = Vec::new();
        if m.meeting.status != LiftStatus::Held {
            when.push(Span::styled(m.meeting.status.label().to_string(), t.attention()));
        }
        if let Some(d) = m.meeting.deadline {
            when.push(Span::styled(
                if when.is_empty() { "Referrals due by " } else { " · referrals due by " },
                t.muted(),
            ));
            when.push(Span::raw(d.uk()));
        }
        let mut head = vec![
            Line::from(vec![Span::styled("Settings: ", t.muted()), Span::raw(names.join(", "))]),
            Line::from(vec![Span::styled("Professionals: ", t.muted()), Span::raw(professionals.join(", "))]),
        ];
        if !when.is_empty() {
            head.insert(0, Line::from(when));
        }
        let head_height = (head.len() as u16 + names.join(", ").len() as u16 / inner.width.max(1))
            .min(inner.height / 2)
            .max(2);
        let [top, bottom] =
            Layout::vertical([Constraint::Length(head_height + 1), Constraint::Min(0)]).areas(inner);
        frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: true }), top);
        let focus = self.children.as_ref().map(|c| c.selected);
        let rows: Vec<Row> = referrals
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let r = &d.referral;
                let style = if focus == Some(i) { t.selected() } else { t.base() };
                Row::new(vec![
                    Cell::from(fit(&child_name(&d.child_name.0, &d.child_name.1, ctx.initials), 18)),
                    Cell::from(d.setting_name.clone()),
                    Cell::from(phase_short(r.phase)),
                    Cell::from(format!(
                        "{}{}",
                        area_short(r.area),
                        r.need.map(|n| format!(" {}", n.code())).unwrap_or_default()
                    )),
                    Cell::from(r.outcome.map_or("–", |o| o.code())),
                ])
                .style(style)
            })
            .collect();
        let table = Table::new(
            rows,
            [
                Constraint::Length(18),
                Constraint::Min(10),
                Constraint::Length(4),
                Constraint::Length(9),
                Constraint::Length(10),
            ],
        )
        .header(Row::new(vec!["Child", "Setting", "Ph", "Area", "Outcome"]).style(t.header()));
        frame.render_widget(table, bottom);
    }
}

fn children_selected(children: &Option<Cursor>) -> usize {
    children.as_ref().map_or(0, |c| c.selected)
}
