//! Find anyone (`F`, or `:find TEXT`): children with or without a case, cases, settings and
//! staff, by part of a name, a UPN or a key; Enter on a child opens the child's page.

use super::theme::Theme;
use super::widgets::input::{Edit, LineInput};
use super::widgets::{child_name, fit};
use crate::store::{ChildPage, Found, FoundKind};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The search box and what it found.
#[derive(Default)]
pub struct Find {
    pub input: LineInput,
    pub results: Vec<Found>,
    pub at: usize,
}

pub enum FindOutcome {
    Open,
    Cancel,
    /// What is typed changed: search again.
    Search,
    Choose(Found),
}

impl Find {
    pub fn with(text: &str) -> Find {
        Find { input: LineInput::with(text), ..Find::default() }
    }

    pub fn key(&mut self, key: &KeyEvent) -> FindOutcome {
        match key.code {
            KeyCode::Down => self.at = (self.at + 1).min(self.results.len().saturating_sub(1)),
            KeyCode::Up => self.at = self.at.saturating_sub(1),
            _ => match self.input.key(key) {
                Edit::Cancel => return FindOutcome::Cancel,
                Edit::Submit => {
                    return match self.results.get(self.at) {
                        Some(found) => FindOutcome::Choose(found.clone()),
                        None => FindOutcome::Open,
                    };
                }
                Edit::Changed => {
                    self.at = 0;
                    return FindOutcome::Search;
                }
                _ => {}
            },
        }
        FindOutcome::Open
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, initials: bool, t: &Theme) {
        let b = super::screens::block(
            " Find: a child, case, setting or staff member (Enter opens, Esc closes) ",
            t,
        );
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let width = usize::from(inner.width);
        let mut lines = vec![Line::from(vec![
            Span::styled("Find ", t.key()),
            Span::raw(super::widgets::with_caret(
                &self.input.text,
                self.input.cursor,
                width.saturating_sub(6),
            )),
        ])];
        if self.input.text.trim().is_empty() {
            lines.push(Line::from(Span::styled(
                "Type part of a name (either order), a UPN, a URN or a case key.",
                t.muted(),
            )));
        } else if self.results.is_empty() {
            lines.push(Line::from(Span::styled("Nothing found.", t.muted())));
        }
        let room = usize::from(inner.height).saturating_sub(2);
        let start = self.at.saturating_sub(room.saturating_sub(1));
        for (i, f) in self.results.iter().enumerate().skip(start).take(room) {
            let (what, name) = match f.kind {
                FoundKind::Child => {
                    let born = match (initials, f.dob) {
                        (false, Some(d)) => format!(" (born {})", d.uk()),
                        _ => String::new(),
                    };
                    ("child  ", format!("{}{born}", child_name(&f.first_name, &f.last_name, initials)))
                }
                FoundKind::Case => {
                    ("case   ", format!("{} {}", f.key, child_name(&f.first_name, &f.last_name, initials)))
                }
                FoundKind::Setting => ("setting", f.name.clone()),
                FoundKind::Staff => ("staff  ", f.name.clone()),
            };
            let style = if i == self.at { t.selected() } else { t.base() };
            let text = fit(&format!("{name} · {}", f.detail), width.saturating_sub(10));
            lines.push(Line::from(vec![
                Span::styled(format!(" {what} "), t.muted()),
                Span::styled(text, style),
            ]));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// A child's page: details, referrals, cases; ↑↓ choose a case, Enter opens it.
pub struct ChildView {
    pub page: ChildPage,
    pub at: usize,
}

pub enum ChildOutcome {
    Open,
    Close,
    OpenCase(i64),
    EditChild,
}

impl ChildView {
    pub fn key(&mut self, key: &KeyEvent) -> ChildOutcome {
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return ChildOutcome::Close,
            KeyCode::Down | KeyCode::Char('j') => {
                self.at = (self.at + 1).min(self.page.cases.len().saturating_sub(1))
            }
            KeyCode::Up | KeyCode::Char('k') => self.at = self.at.saturating_sub(1),
            KeyCode::Enter => {
                if let Some(c) = self.page.cases.get(self.at) {
                    return ChildOutcome::OpenCase(c.id);
                }
            }
            KeyCode::Char('e') => return ChildOutcome::EditChild,
            _ => {}
        }
        ChildOutcome::Open
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, initials: bool, t: &Theme) {
        let c = &self.page.child;
        let name = child_name(&c.first_name, &c.last_name, initials);
        let b = super::screens::block(
            format!(" Child: {name} (Enter a case · e edit · S subject access · E erase · Esc) "),
            t,
        );
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let width = usize::from(inner.width);
        let born = if initials { "hidden".to_string() } else { c.dob.uk() };
        let upn = match (&c.upn, initials) {
            (Some(u), false) => format!("  UPN {u}"),
            _ => String::new(),
        };
        let mut lines = vec![Line::from(vec![
            Span::styled("Born ", t.muted()),
            Span::raw(born),
            Span::styled("  Setting ", t.muted()),
            Span::raw(self.page.setting_name.clone().unwrap_or_else(|| "none recorded".into())),
            Span::raw(upn),
        ])];
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(format!("Cases ({})", self.page.cases.len()), t.header())));
        if self.page.cases.is_empty() {
            lines.push(Line::from(Span::styled(
                "  No case. A case is opened from a referral at LIFT (4, then n) or on an allocated referral.",
                t.muted(),
            )));
        }
        for (i, k) in self.page.cases.iter().enumerate() {
            let when = match k.closed {
                Some(d) => format!("{} to {}", k.opened.uk(), d.uk()),
                None => format!("open since {}", k.opened.uk()),
            };
            let text =
                format!("{}  {} · {} · {when} · {}", k.key, k.phase.label(), k.area.label(), k.setting);
            let style = if i == self.at { t.selected() } else { t.base() };
            lines.push(Line::from(Span::styled(fit(&format!("  {text}"), width), style)));
        }
        lines.push(Line::from(""));
        lines
            .push(Line::from(Span::styled(format!("Referrals ({})", self.page.referrals.len()), t.header())));
        for r in &self.page.referrals {
            let need = r.need.map(|n| format!(" {}", n.code())).unwrap_or_default();
            let meeting = match r.meeting {
                Some((d, k)) => format!(
                    " · {} LIFT {}",
                    if k == crate::domain::PhaseGroup::School { "school" } else { "early years" },
                    d.uk()
                ),
                None => String::new(),
            };
            let outcome = r.outcome.map_or("no outcome yet".to_string(), |o| o.label().to_lowercase());
            let text = format!(
                "  {}  {outcome} · {} · {}{need} · from {}{meeting}",
                r.received.uk(),
                r.phase.label(),
                r.area.label(),
                r.setting
            );
            lines.push(Line::from(fit(&text, width)));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
