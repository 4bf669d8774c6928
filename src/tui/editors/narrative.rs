//! The narrative of a term under the county's headings, typed in a multi-line editor: one text
//! per heading, each up to 4,000 characters. Tab moves between headings; Ctrl-S saves every
//! heading changed (one transaction); Esc leaves, asking once when there is unsaved text.

use crate::domain::manual::{ManualKind, narratives};
use crate::domain::{AcademicYear, ManualMeasure, ManualValue, Record, RecordKind, Term};
use crate::store::Op;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};
use ratatui_textarea::{TextArea, WrapMode};

/// One heading: what is stored, and the text being typed.
#[derive(Debug, Clone)]
pub struct Heading {
    pub kind: &'static ManualKind,
    pub stored: Option<String>,
    pub area: TextArea<'static>,
}

impl Heading {
    pub fn text(&self) -> String {
        self.area.lines().join("\n").trim_end().to_string()
    }

    fn changed(&self) -> bool {
        self.text() != self.stored.as_deref().unwrap_or("").trim_end()
    }
}

/// The narrative of one term.
#[derive(Debug, Clone)]
pub struct Narrative {
    pub year: AcademicYear,
    pub term: Term,
    pub headings: Vec<Heading>,
    pub current: usize,
    /// Esc was pressed once with unsaved text.
    leaving: bool,
    pub message: Option<String>,
}

impl Narrative {
    /// Pasted text goes into the heading being written, line breaks and all.
    pub fn paste(&mut self, text: &str) {
        if let Some(h) = self.headings.get_mut(self.current) {
            h.area.insert_str(text);
        }
    }
}

/// What a key did.
pub enum NarrativeEvent {
    Nothing,
    Save,
    Close,
}

/// The term a heading is kept with: a heading for the year is kept with its last term.
pub fn term_of(kind: &ManualKind, term: Term) -> Term {
    if kind.yearly { Term::new(6).unwrap_or(term) } else { term }
}

fn area_of(text: &str) -> TextArea<'static> {
    let lines =
        if text.is_empty() { vec![String::new()] } else { text.lines().map(str::to_string).collect() };
    let mut area = TextArea::new(lines);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.set_max_histories(200);
    area
}

impl Narrative {
    /// The headings with what is stored for the term, and for the year's heading what is stored
    /// for the year's last term.
    pub fn of(
        year: AcademicYear,
        term: Term,
        this_term: &[ManualMeasure],
        last_term: &[ManualMeasure],
    ) -> Narrative {
        let headings = narratives()
            .map(|kind| {
                let held = if kind.yearly { last_term } else { this_term };
                let text = held.iter().find(|m| m.id == kind.id).map(|m| m.value.to_string());
                Heading { kind, area: area_of(text.as_deref().unwrap_or("")), stored: text }
            })
            .collect();
        Narrative { year, term, headings, current: 0, leaving: false, message: None }
    }

    pub fn dirty(&self) -> bool {
        self.headings.iter().any(Heading::changed)
    }

    pub fn key(&mut self, key: &KeyEvent) -> NarrativeEvent {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let leaving = std::mem::replace(&mut self.leaving, false);
        self.message = None;
        let n = self.headings.len().max(1);
        match key.code {
            KeyCode::Char('s') if ctrl => return NarrativeEvent::Save,
            KeyCode::Esc if leaving || !self.dirty() => return NarrativeEvent::Close,
            KeyCode::Esc => {
                self.leaving = true;
                self.message = Some("Not saved: Esc again leaves without saving, Ctrl-S saves".into());
            }
            KeyCode::Tab => self.current = (self.current + 1) % n,
            KeyCode::BackTab => self.current = (self.current + n - 1) % n,
            _ => {
                let Some(h) = self.headings.get_mut(self.current) else { return NarrativeEvent::Nothing };
                if h.area.input(*key) {
                    let len = h.area.lines().iter().map(|l| l.chars().count() + 1).sum::<usize>() - 1;
                    if len > h.kind.text_max() {
                        h.area.undo();
                        self.message =
                            Some(format!("At most {} characters under one heading", h.kind.text_max()));
                    }
                }
            }
        }
        NarrativeEvent::Nothing
    }

    /// The changes to save: each heading changed, written or removed.
    pub fn ops(&self) -> Vec<Op> {
        self.headings
            .iter()
            .filter(|h| h.changed())
            .map(|h| {
                let term = term_of(h.kind, self.term);
                let text = h.text();
                let record = ManualMeasure {
                    year: self.year,
                    term,
                    id: h.kind.id.into(),
                    value: ManualValue::Text(text),
                };
                if h.text().is_empty() {
                    Op::Remove(RecordKind::ManualMeasure, Record::ManualMeasure(record).key())
                } else {
                    Op::Replace(Record::ManualMeasure(record))
                }
            })
            .collect()
    }

    /// After a save: what was typed is what is stored.
    pub fn saved(&mut self) {
        for h in &mut self.headings {
            let text = h.text();
            h.stored = (!text.is_empty()).then_some(text);
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, problem: Option<&str>) {
        let title =
            format!(" Narrative {} {} · Tab next heading · Ctrl-S saves · Esc leaves ", self.year, self.term);
        let outer = Block::default().borders(Borders::ALL).title(title).style(theme.base());
        let inner = outer.inner(area);
        frame.render_widget(outer, area);
        if inner.width < 30 || inner.height < 6 {
            frame.render_widget(Paragraph::new("Make the window larger to write the narrative"), inner);
            return;
        }
        let [list_area, text_area] =
            Layout::horizontal([Constraint::Length(36.min(inner.width / 3)), Constraint::Min(20)])
                .areas(inner);
        let items: Vec<ListItem> = self
            .headings
            .iter()
            .map(|h| {
                let mark = if h.changed() {
                    "*"
                } else if h.text().is_empty() {
                    " "
                } else {
                    "•"
                };
                ListItem::new(format!("{mark} {}", h.kind.label))
            })
            .collect();
        let mut state = ListState::default().with_selected(Some(self.current));
        frame.render_stateful_widget(
            List::new(items).highlight_style(theme.selected()),
            list_area,
            &mut state,
        );
        let Some(h) = self.headings.get(self.current) else { return };
        let [about, editor, status] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(3), Constraint::Length(1)])
                .areas(text_area);
        let kept = if h.kind.yearly { " (for the whole year, kept with term 6)" } else { "" };
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(Span::styled(format!("{}{kept}", h.kind.label), theme.header())),
                Line::from(Span::styled(h.kind.definition, theme.muted())),
            ])
            .wrap(Wrap { trim: true }),
            about,
        );
        let mut area = h.area.clone();
        area.set_block(Block::default().borders(Borders::TOP));
        area.set_cursor_line_style(theme.base());
        frame.render_widget(&area, editor);
        let count = h.text().chars().count();
        let line = match problem.or(self.message.as_deref()) {
            Some(m) => Span::styled(m.to_string(), theme.error()),
            None => Span::styled(format!("{count} of {} characters", h.kind.text_max()), theme.muted()),
        };
        frame.render_widget(Paragraph::new(Line::from(line)), status);
    }
}

impl super::flow::Flow for Narrative {
    fn ops(
        &self,
        _form: &crate::tui::form::Form,
        _lists: &super::records::Lists,
        _new_key: &mut dyn FnMut(RecordKind) -> String,
    ) -> Result<Vec<Op>, super::records::Problems> {
        Ok(Narrative::ops(self))
    }

    /// Every key goes to the narrative's own editor.
    fn key(&mut self, key: &KeyEvent, form: &mut crate::tui::form::Form) -> Option<super::flow::FlowKey> {
        use super::flow::FlowKey;
        form.message = None;
        Some(match Narrative::key(self, key) {
            NarrativeEvent::Nothing => FlowKey::Stay,
            NarrativeEvent::Close => FlowKey::Close,
            NarrativeEvent::Save => FlowKey::Save,
        })
    }

    fn unsaved(&self, _form: &crate::tui::form::Form) -> bool {
        self.dirty()
    }

    fn paste(&mut self, _form: &mut crate::tui::form::Form, text: &str) {
        Narrative::paste(self, text)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, form: &crate::tui::form::Form) {
        Narrative::draw(self, frame, area, theme, form.message.as_deref())
    }

    /// The narrative stays open: the next heading, or more of this one.
    fn saved(
        &mut self,
        _form: &mut crate::tui::form::Form,
        _lists: &mut super::records::Lists,
        _ops: &[Op],
        _today: crate::domain::Date,
    ) -> bool {
        Narrative::saved(self);
        false
    }
}
