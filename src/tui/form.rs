//! Forms: one widget set for every record the application creates or edits.
//!
//! Fields are text, dates, numbers, a choice (completed as you type, fuzzily), several choices,
//! or yes/no. Each field is checked as you leave it; the rules of the domain and of the store
//! are shown beside the field they concern; the form will not save until every field is right.

use super::field_id::FieldId;
use super::theme::Theme;
use super::widgets::input::{Edit, LineInput};
use super::widgets::{fit, with_caret};
use crate::domain::Date;
use crate::domain::number::{typed_number, typed_whole};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The value of a picker's "+ new ..." option: offered last whatever is typed, so a record can be
/// added where it is needed (a new child at LIFT) without a hidden key.
pub const ADD_NEW: &str = "+new";

/// The most options a picker lists at once (the best matches); the rest are counted.
const LISTED: usize = 500;

/// One option of a choice: the value saved (a key or code) and what people read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// What typing searches, when not the label (a child shown by initials is found by name).
    pub search: Option<String>,
    /// More about the option, shown under the list while it is highlighted (a child's open case
    /// and teacher): what the person needs to choose, at any width.
    pub detail: Option<String>,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Choice {
        Choice { value: value.into(), label: label.into(), search: None, detail: None }
    }

    /// An option with more to say while highlighted.
    pub fn detailed(mut self, detail: impl Into<String>) -> Choice {
        self.detail = Some(detail.into());
        self
    }

    /// A choice found by other words than it shows.
    pub fn searched_as(mut self, words: impl Into<String>) -> Choice {
        self.search = Some(words.into());
        self
    }

    fn words(&self) -> &str {
        self.search.as_deref().unwrap_or(&self.label)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Text,
    Date,
    /// A whole number from 0 (counts), or a decimal (`integer: false`).
    Number {
        integer: bool,
    },
    Choice {
        options: Vec<Choice>,
        picked: Option<usize>,
    },
    Many {
        options: Vec<Choice>,
        picked: Vec<usize>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The record field it fills, so a rule's message lands beside it.
    pub id: &'static str,
    pub label: String,
    pub kind: Kind,
    /// What is typed: the value, or for choices the search.
    pub input: LineInput,
    pub optional: bool,
    pub hidden: bool,
    pub problem: Option<String>,
    /// Options listed (indices): every option when nothing is typed, else those matching the
    /// search, best first; and the one highlighted.
    matches: Vec<usize>,
    /// How many options match in all (only the best 500 are listed).
    found: usize,
    at: usize,
    /// The list has been moved through (↓ ↑) since the field was reached: Enter takes the
    /// highlighted option. Without it, Enter on an empty search keeps the value and moves on.
    browsing: bool,
    /// What was typed when an option was taken (a new child's name, from "+ new child «...»").
    pub query: String,
    /// Just reached: the first character typed replaces what is there (as a selected field does).
    fresh: bool,
    /// A figure typed as text (a manual figure in its unit): refused, it is replaced by what is
    /// typed next, as a number field is.
    figure: bool,
}

impl Field {
    fn new(id: FieldId, label: &str, kind: Kind) -> Field {
        Field {
            id: id.as_str(),
            label: label.to_string(),
            kind,
            input: LineInput::default(),
            optional: false,
            hidden: false,
            problem: None,
            matches: Vec::new(),
            found: 0,
            at: 0,
            browsing: false,
            query: String::new(),
            fresh: false,
            figure: false,
        }
    }

    /// What was typed changed: its old problem goes, and a choice forgets its pick and narrows its
    /// list to the new text.
    fn typed(&mut self) {
        self.problem = None;
        if self.is_choice() {
            if let Kind::Choice { picked, .. } = &mut self.kind {
                *picked = None;
            }
            self.search();
        }
    }

    /// Its id, typed (see [`FieldId`]).
    pub fn field_id(&self) -> FieldId {
        FieldId::of_code(self.id)
    }

    pub fn text(id: FieldId, label: &str) -> Field {
        Field::new(id, label, Kind::Text)
    }

    pub fn date(id: FieldId, label: &str) -> Field {
        Field::new(id, label, Kind::Date)
    }

    pub fn count(id: FieldId, label: &str) -> Field {
        Field::new(id, label, Kind::Number { integer: true })
    }

    pub fn decimal(id: FieldId, label: &str) -> Field {
        Field::new(id, label, Kind::Number { integer: false })
    }

    pub fn choice(id: FieldId, label: &str, options: Vec<Choice>) -> Field {
        Field::new(id, label, Kind::Choice { options, picked: None })
    }

    pub fn many(id: FieldId, label: &str, options: Vec<Choice>) -> Field {
        Field::new(id, label, Kind::Many { options, picked: Vec::new() })
    }

    /// A text that holds a figure (see [`Field::figure`]).
    pub fn as_figure(mut self) -> Field {
        self.figure = true;
        self
    }

    pub fn optional(mut self) -> Field {
        self.optional = true;
        self
    }

    /// Starts with a value: text as typed, or for choices the option with this value.
    pub fn with(mut self, value: &str) -> Field {
        self.set(value);
        self
    }

    pub fn set(&mut self, value: &str) {
        match &mut self.kind {
            Kind::Choice { options, picked } => {
                *picked = options.iter().position(|o| o.value == value);
                self.input = LineInput::default();
            }
            Kind::Many { options, picked } => {
                *picked = value
                    .split(',')
                    .filter_map(|v| options.iter().position(|o| o.value == v.trim()))
                    .collect();
            }
            _ => self.input.set(value),
        }
        self.problem = None;
    }

    pub fn set_many(&mut self, values: &[String]) {
        if let Kind::Many { options, picked } = &mut self.kind {
            *picked = values.iter().filter_map(|v| options.iter().position(|o| &o.value == v)).collect();
        }
    }

    /// Replaces a choice's options, keeping the pick when it is still offered.
    pub fn set_options(&mut self, new: Vec<Choice>) {
        if let Kind::Choice { options, picked } = &mut self.kind {
            let keep = picked.and_then(|i| options.get(i)).map(|o| o.value.clone());
            *options = new;
            *picked = keep.and_then(|v| options.iter().position(|o| o.value == v));
            // The list named the old options: listed again now, for a field that has the focus
            // already (the need types of an area just chosen) as for one reached later.
            self.search();
        }
    }

    fn options(&self) -> &[Choice] {
        match &self.kind {
            Kind::Choice { options, .. } | Kind::Many { options, .. } => options,
            _ => &[],
        }
    }

    /// The picked option's value (choices), or `None`.
    pub fn picked(&self) -> Option<&str> {
        match &self.kind {
            Kind::Choice { options, picked: Some(i) } => options.get(*i).map(|o| o.value.as_str()),
            _ => None,
        }
    }

    pub fn picked_many(&self) -> Vec<String> {
        match &self.kind {
            Kind::Many { options, picked } => {
                picked.iter().filter_map(|i| options.get(*i)).map(|o| o.value.clone()).collect()
            }
            _ => Vec::new(),
        }
    }

    fn is_choice(&self) -> bool {
        matches!(self.kind, Kind::Choice { .. } | Kind::Many { .. })
    }

    /// Lists the options that match what is typed (all of them, in their order, when nothing is),
    /// with "+ new" last unless an option matches exactly.
    fn search(&mut self) {
        let query = self.input.text.trim().to_lowercase();
        let options = self.options();
        let add = options.iter().position(|o| o.value == ADD_NEW);
        let mut scored: Vec<(u32, usize, usize)> = options
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != add)
            .filter_map(|(i, o)| {
                let score = if query.is_empty() { Some(0) } else { fuzzy_score(&query, o.words()) };
                score.map(|s| (s, if query.is_empty() { i } else { o.label.len() }, i))
            })
            .collect();
        scored.sort_unstable();
        let exact = !query.is_empty()
            && scored.first().is_some_and(|(s, _, i)| {
                *s == 0 && options[*i].words().to_lowercase().split(" (").next() == Some(query.as_str())
            });
        self.found = scored.len();
        self.matches = scored.into_iter().take(LISTED).map(|(_, _, i)| i).collect();
        if let Some(add) = add.filter(|_| !exact) {
            self.matches.push(add);
        }
        self.at = 0;
    }

    /// The list shown when the field is reached: every option, the value held highlighted.
    fn open_list(&mut self) {
        if !self.is_choice() {
            return;
        }
        self.search();
        self.browsing = false;
        if let Kind::Choice { picked: Some(p), .. } = &self.kind {
            self.at = self.matches.iter().position(|m| m == p).unwrap_or(0);
        }
    }

    /// Takes the highlighted match as the choice (or adds it, for several): when something is
    /// typed, or the list was moved through.
    fn accept(&mut self) {
        if self.input.text.trim().is_empty() && !self.browsing {
            return;
        }
        self.browsing = false;
        let Some(&chosen) = self.matches.get(self.at) else { return };
        self.query = self.input.text.trim().to_string();
        match &mut self.kind {
            Kind::Choice { picked, .. } => *picked = Some(chosen),
            Kind::Many { picked, .. } => {
                if !picked.contains(&chosen) {
                    picked.push(chosen);
                }
            }
            _ => return,
        }
        self.input = LineInput::default();
        // Every option listed again: the next of several is picked from the whole list.
        self.search();
    }

    /// Checks the field on its own: something given if required, a real date, a number.
    pub fn check(&mut self, today: Date) {
        let text = self.input.text.trim();
        self.problem = match &self.kind {
            Kind::Text if text.is_empty() && !self.optional => Some("required".into()),
            Kind::Date if text.is_empty() && !self.optional => Some("required".into()),
            Kind::Date if !text.is_empty() => Date::parse_typed(text, today).err().map(|e| e.to_string()),
            Kind::Number { .. } if text.is_empty() && !self.optional => Some("required".into()),
            Kind::Number { integer: true } if !text.is_empty() => match typed_whole(text) {
                Ok(n) if n < 0 => Some("cannot be negative".into()),
                Ok(_) => None,
                Err(why) => Some(why.to_string()),
            },
            Kind::Number { integer: false } if !text.is_empty() => {
                typed_number(text).err().map(|e| e.to_string())
            }
            Kind::Choice { picked: None, .. } if !text.is_empty() => {
                Some(format!("nothing matches \"{text}\""))
            }
            Kind::Choice { picked: None, .. } if !self.optional => Some("choose one (type to search)".into()),
            _ => None,
        };
    }

    /// The options listed under a focused choice: a window of six around the highlighted one,
    /// "+ new ..." with what is typed, and how many more there are.
    fn list_lines(&self, label_width: usize, room: usize, t: &Theme) -> Vec<Line<'static>> {
        let options = self.options();
        let pad = format!("{:w$}  ", "", w = label_width);
        let typed = self.input.text.trim();
        let mut out = Vec::new();
        if self.matches.is_empty() {
            let why = if typed.is_empty() {
                "nothing to choose from".to_string()
            } else {
                format!("nothing matches \"{typed}\"")
            };
            out.push(Line::from(Span::styled(format!("{pad}{why}"), t.error())));
            return out;
        }
        const SHOWN: usize = 6;
        let highlight = self.browsing || !typed.is_empty();
        let start = if highlight { self.at.saturating_sub(SHOWN - 1) } else { 0 };
        for (n, &m) in self.matches.iter().enumerate().skip(start).take(SHOWN) {
            let Some(o) = options.get(m) else { continue };
            let label = if o.value == ADD_NEW && !typed.is_empty() {
                format!("{} «{typed}»", o.label)
            } else {
                o.label.clone()
            };
            let style = if highlight && n == self.at { t.selected() } else { t.muted() };
            out.push(Line::from(vec![Span::raw(pad.clone()), Span::styled(fit(&label, room), style)]));
        }
        // Counted over every match, not only those listed: "1196 more" of 1,202 children.
        let listed_more = self.matches.len().saturating_sub(start + SHOWN);
        let more = listed_more + self.found.saturating_sub(LISTED);
        let hint = match (more, highlight) {
            (0, true) => String::new(),
            (0, false) => "↓ to choose".to_string(),
            (n, _) => format!("{n} more: ↓ or type to narrow"),
        };
        if !hint.is_empty() {
            out.push(Line::from(Span::styled(format!("{pad}{hint}"), t.muted())));
        }
        let highlighted = self.matches.get(self.at).filter(|_| highlight);
        if let Some(detail) = highlighted.and_then(|m| options.get(*m)?.detail.as_ref()) {
            out.push(Line::from(Span::styled(
                format!("{pad}{}", fit(&format!("↳ {detail}"), room)),
                t.muted(),
            )));
        }
        out
    }

    /// What the field shows when it does not have the focus.
    fn shown(&self) -> String {
        match &self.kind {
            Kind::Choice { options, picked } => match picked.and_then(|i| options.get(i)) {
                Some(o) => o.label.clone(),
                None => self.input.text.clone(),
            },
            Kind::Many { options, picked } => {
                let names: Vec<&str> =
                    picked.iter().filter_map(|i| options.get(*i)).map(|o| o.label.as_str()).collect();
                names.join(", ")
            }
            _ => self.input.text.clone(),
        }
    }
}

/// The end of a text that is too long, "…" in front (the settings picked, then what is typed).
fn fit_left(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut start = chars.len();
    while start > 0 && chars[start - 1..].iter().collect::<String>().width() < width {
        start -= 1;
    }
    format!("…{}", chars[start..].iter().collect::<String>())
}

/// How well `query` matches `label` (lower is better), or `None`. A match at the start, at
/// the start of a word, or anywhere as one piece ranks first; otherwise the query's letters must
/// begin words or run on from the letter before ("sms" finds "St Mary's School", "pri ac" finds
/// "Primary Academy"), so long labels do not match stray letters.
pub fn fuzzy_score(query: &str, label: &str) -> Option<u32> {
    if query.is_empty() {
        return Some(1000);
    }
    let label_lc = label.to_lowercase();
    if label_lc.starts_with(query) {
        return Some(0);
    }
    if label_lc.split([' ', ',', '-', '(']).any(|w| w.starts_with(query)) {
        return Some(1);
    }
    if label_lc.contains(query) {
        return Some(2);
    }
    let chars: Vec<char> = label_lc.chars().collect();
    let word_start = |i: usize| i == 0 || !chars[i - 1].is_alphanumeric();
    let mut next = 0;
    let mut last: Option<usize> = None;
    let mut skipped_words = 0u32;
    for q in query.chars().filter(|c| !c.is_whitespace()) {
        let found = (next..chars.len())
            .find(|&i| chars[i] == q && (word_start(i) || last == Some(i.wrapping_sub(1))))?;
        skipped_words += chars[next..found].iter().filter(|c| !c.is_alphanumeric()).count() as u32;
        last = Some(found);
        next = found + 1;
    }
    Some(10 + skipped_words)
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    Nothing,
    /// A field was finished (left forwards or backwards); the flow may fill others from it.
    Left(usize),
    /// Ctrl-S with every field right: save.
    Save,
    /// Leave the form (nothing to save, or the person confirmed discarding).
    Close,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Something was typed since the form opened or last saved.
    pub dirty: bool,
    /// Asking whether to discard the changes.
    pub confirm_leave: bool,
    /// A problem not tied to one field (shown above the hints).
    pub message: Option<String>,
    /// A line under the title (what the form is for, which meeting, ...).
    pub note: Option<String>,
    pub today: Date,
}

impl Form {
    pub fn new(title: impl Into<String>, today: Date, fields: Vec<Field>) -> Form {
        let mut form = Form {
            title: title.into(),
            fields,
            focus: 0,
            dirty: false,
            confirm_leave: false,
            message: None,
            note: None,
            today,
        };
        form.focus = form.next_visible(0, true).unwrap_or(0);
        form.arrive();
        form
    }

    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| id == f.id)
    }

    pub fn field_mut(&mut self, id: FieldId) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| id == f.id)
    }

    /// The typed text of a field (trimmed), empty when absent.
    pub fn text(&self, id: FieldId) -> String {
        self.field(id).map(|f| f.input.text.trim().to_string()).unwrap_or_default()
    }

    pub fn opt_text(&self, id: FieldId) -> Option<String> {
        Some(self.text(id)).filter(|t| !t.is_empty())
    }

    pub fn date(&self, id: FieldId) -> Option<Date> {
        Date::parse_typed(&self.text(id), self.today).ok()
    }

    pub fn number(&self, id: FieldId) -> Option<f64> {
        typed_number(&self.text(id)).ok()
    }

    pub fn count(&self, id: FieldId) -> Option<i64> {
        typed_whole(&self.text(id)).ok()
    }

    pub fn picked(&self, id: FieldId) -> Option<String> {
        self.field(id).and_then(|f| f.picked().map(str::to_string))
    }

    pub fn picked_many(&self, id: FieldId) -> Vec<String> {
        self.field(id).map(Field::picked_many).unwrap_or_default()
    }

    pub fn focused_id(&self) -> Option<&'static str> {
        self.fields.get(self.focus).map(|f| f.id)
    }

    pub fn set_hidden(&mut self, id: FieldId, hidden: bool) {
        if let Some(f) = self.field_mut(id) {
            f.hidden = hidden;
            if hidden {
                f.problem = None;
            }
        }
    }

    pub fn focus_on(&mut self, id: FieldId) {
        if let Some(i) = self.fields.iter().position(|f| id == f.id && !f.hidden) {
            self.focus = i;
            self.arrive();
        }
    }

    /// The focus reached a field: typing will replace its value.
    fn arrive(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.fresh = true;
            f.open_list();
        }
    }

    fn next_visible(&self, from: usize, forward: bool) -> Option<usize> {
        if forward {
            (from..self.fields.len()).find(|i| !self.fields[*i].hidden)
        } else {
            (0..=from).rev().find(|i| !self.fields[*i].hidden)
        }
    }

    /// Puts messages beside the fields they name; those naming no field go above the hints.
    pub fn show_problems(&mut self, problems: &[(String, String)]) {
        let mut other = Vec::new();
        for (id, message) in problems {
            match self.fields.iter_mut().find(|f| f.id == id.as_str() && !f.hidden) {
                Some(f) => f.problem = Some(message.clone()),
                None => other.push(message.clone()),
            }
        }
        self.message = (!other.is_empty()).then(|| other.join("; "));
        if let Some(i) = self.fields.iter().position(|f| f.problem.is_some()) {
            self.focus_refused(i);
        }
    }

    /// The focus on a field refused: a refused number or date is replaced by what is typed next
    /// (typing after "1,2.3" must not make "1,2.34"); a text keeps its words to be corrected.
    fn focus_refused(&mut self, i: usize) {
        self.focus = i;
        if let Some(f) = self.fields.get_mut(i) {
            f.fresh = f.figure || matches!(f.kind, Kind::Number { .. } | Kind::Date);
        }
    }

    /// Checks every visible field; true when all are right.
    pub fn check_all(&mut self) -> bool {
        let today = self.today;
        for f in self.fields.iter_mut().filter(|f| !f.hidden) {
            f.check(today);
        }
        match self.fields.iter().position(|f| f.problem.is_some() && !f.hidden) {
            Some(i) => {
                self.focus_refused(i);
                false
            }
            None => true,
        }
    }

    fn leave_field(&mut self, forward: bool) -> FormEvent {
        let left = self.focus;
        let today = self.today;
        if let Some(f) = self.fields.get_mut(left) {
            f.accept();
            f.check(today);
        }
        let next = if forward {
            self.next_visible(left + 1, true).unwrap_or(left)
        } else {
            left.checked_sub(1).and_then(|i| self.next_visible(i, false)).unwrap_or(left)
        };
        self.focus = next;
        self.arrive();
        FormEvent::Left(left)
    }

    pub fn key(&mut self, key: &KeyEvent) -> FormEvent {
        if self.confirm_leave {
            return match key.code {
                KeyCode::Char('y' | 'Y') => FormEvent::Close,
                _ => {
                    self.confirm_leave = false;
                    FormEvent::Nothing
                }
            };
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('s') if ctrl => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.accept();
                }
                self.message = None;
                return if self.check_all() { FormEvent::Save } else { FormEvent::Nothing };
            }
            KeyCode::Esc => {
                if self.dirty {
                    self.confirm_leave = true;
                    return FormEvent::Nothing;
                }
                return FormEvent::Close;
            }
            // Enter adds a match to several choices and stays; Tab moves on.
            KeyCode::Enter
                if matches!(self.fields.get(self.focus).map(|f| &f.kind), Some(Kind::Many { .. }))
                    && self.fields.get(self.focus).is_some_and(|f| !f.input.text.trim().is_empty()) =>
            {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.accept();
                }
                self.dirty = true;
                return FormEvent::Nothing;
            }
            KeyCode::Tab | KeyCode::Enter => return self.leave_field(true),
            KeyCode::BackTab => return self.leave_field(false),
            _ => {}
        }
        let Some(f) = self.fields.get_mut(self.focus) else { return FormEvent::Nothing };
        // Typing into a field just reached replaces its value; moving the cursor keeps it.
        if std::mem::take(&mut f.fresh) && !f.is_choice() {
            match key.code {
                KeyCode::Char(_) if !ctrl => f.input = LineInput::default(),
                KeyCode::Backspace | KeyCode::Delete => {
                    f.input = LineInput::default();
                    self.dirty = true;
                    return FormEvent::Nothing;
                }
                _ => {}
            }
        }
        if f.is_choice() {
            match key.code {
                KeyCode::Down
                | KeyCode::Up
                | KeyCode::PageDown
                | KeyCode::PageUp
                | KeyCode::End
                | KeyCode::Home
                    if !matches!(key.code, KeyCode::End | KeyCode::Home) || !f.matches.is_empty() =>
                {
                    if f.matches.is_empty() {
                        f.search();
                    }
                    let last = f.matches.len().saturating_sub(1);
                    let held = matches!(f.kind, Kind::Choice { picked: Some(_), .. });
                    // The first ↓ on an empty field highlights the first option.
                    f.at = match key.code {
                        KeyCode::Down if !f.browsing && !held && f.input.text.is_empty() => 0,
                        KeyCode::Down => (f.at + 1).min(last),
                        KeyCode::Up => f.at.saturating_sub(1),
                        KeyCode::PageDown => (f.at + 5).min(last),
                        KeyCode::End => last,
                        KeyCode::Home => 0,
                        _ => f.at.saturating_sub(5),
                    };
                    f.browsing = true;
                    return FormEvent::Nothing;
                }
                KeyCode::Backspace if f.input.text.is_empty() => {
                    match &mut f.kind {
                        Kind::Many { picked, .. } => {
                            picked.pop();
                        }
                        Kind::Choice { picked, .. } => *picked = None,
                        _ => {}
                    }
                    self.dirty = true;
                    return FormEvent::Nothing;
                }
                _ => {}
            }
        }
        if f.input.key(key) == Edit::Changed {
            self.dirty = true;
            f.typed();
        }
        FormEvent::Nothing
    }

    /// Pasted text goes into the focused field as typing would (a choice narrows its list).
    pub fn paste(&mut self, text: &str) {
        let Some(f) = self.fields.get_mut(self.focus) else { return };
        f.input.insert(text);
        self.dirty = true;
        f.typed();
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, t: &Theme) {
        let b = super::screens::block(format!(" {} ", self.title), t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let label_width = self
            .fields
            .iter()
            .filter(|f| !f.hidden)
            .map(|f| f.label.chars().count())
            .max()
            .unwrap_or(8)
            // Long labels (the manual figures) get up to two fifths of a wide window.
            .min((usize::from(inner.width) * 2 / 5).clamp(24, 44));
        let mut lines: Vec<Line> = Vec::new();
        let width = usize::from(inner.width);
        if let Some(note) = &self.note {
            lines.extend(
                super::widgets::wrap(note, width).into_iter().map(|l| Line::from(Span::styled(l, t.muted()))),
            );
        }
        let mut focus_line = 0;
        for (i, f) in self.fields.iter().enumerate().filter(|(_, f)| !f.hidden) {
            let focused = i == self.focus;
            if focused {
                focus_line = lines.len();
            }
            let marker = if focused { "›" } else { " " };
            let label = format!("{marker}{:<w$} ", fit(&f.label, label_width), w = label_width);
            let room = usize::from(inner.width).saturating_sub(label.chars().count() + 2);
            let typed = || with_caret(&f.input.text, f.input.cursor, room);
            // What is typed keeps its caret in view however long it grows.
            let value = if focused && f.is_choice() {
                let picked = f.shown();
                match (&f.kind, f.input.text.is_empty()) {
                    (Kind::Many { .. }, _) if !picked.is_empty() => {
                        let typed = with_caret(&f.input.text, f.input.cursor, room.saturating_sub(2).max(8));
                        fit_left(&format!("{picked}, {typed}"), room)
                    }
                    (Kind::Choice { .. }, true) if !picked.is_empty() => fit(&format!("{picked}▏"), room),
                    _ => typed(),
                }
            } else if focused {
                typed()
            } else {
                fit(&f.shown(), room)
            };
            let optional =
                if f.optional && value.trim_end_matches('▏').is_empty() { " (optional)" } else { "" };
            let indent = label.chars().count();
            let used = indent + value.chars().count() + optional.chars().count();
            let mut spans = vec![
                Span::styled(label, if focused { t.key() } else { t.muted() }),
                Span::styled(value, if focused { t.selected() } else { t.base() }),
                Span::styled(optional, t.muted()),
            ];
            // Beside the value when it fits; else on lines of its own under it, never cut off
            // (a long value fills the line).
            let mut below = Vec::new();
            if let Some(p) = &f.problem {
                let beside = format!("  ✗ {p}");
                if used + beside.chars().count() <= usize::from(inner.width) {
                    spans.push(Span::styled(beside, t.error()));
                } else {
                    let room = usize::from(inner.width).saturating_sub(indent).max(20);
                    for l in super::widgets::wrap(&format!("✗ {p}"), room) {
                        below.push(Line::from(vec![
                            Span::raw(" ".repeat(indent)),
                            Span::styled(l, t.error()),
                        ]));
                    }
                }
            }
            lines.push(Line::from(spans));
            lines.extend(below);
            if focused && f.is_choice() {
                lines.extend(f.list_lines(label_width, room, t));
            }
        }
        lines.push(Line::from(""));
        if let Some(m) = &self.message {
            let wrapped = super::widgets::wrap(&format!("✗ {m}"), width);
            lines.extend(wrapped.into_iter().map(|l| Line::from(Span::styled(l, t.error()))));
        }
        if self.confirm_leave {
            lines.push(Line::from(Span::styled(
                "Discard the changes? y to discard, any other key to go on",
                t.error(),
            )));
        } else {
            lines.push(Line::from(Span::styled(
                "Tab/Enter next · Shift-Tab back · ↑↓ choose · Ctrl-S save · Esc leave",
                t.muted(),
            )));
        }
        // Keep the focused field in view on small screens.
        let height = usize::from(inner.height);
        let scroll = focus_line.saturating_sub(height.saturating_sub(8).max(1));
        frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    mod id {
        pub use crate::tui::field_id::*;
        pub const FRUIT: FieldId = FieldId::of_code("fruit");
        pub const FRUITS: FieldId = FieldId::of_code("fruits");
        pub const KEPT: FieldId = FieldId::of_code("kept");
        pub const ONE: FieldId = FieldId::of_code("one");
        pub const N: FieldId = FieldId::of_code("n");
    }

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    fn press(form: &mut Form, code: KeyCode) -> FormEvent {
        form.key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn listed(field: &Field) -> String {
        let lines = field.list_lines(0, 60, &Theme::plain());
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect::<String>() + "\n").collect()
    }

    #[test]
    fn a_long_list_counts_every_option_it_does_not_show() {
        let options = (0..1202).map(|i| Choice::new(format!("C{i}"), format!("Child {i:04}"))).collect();
        let mut form = Form::new("t", d("2024-01-01"), vec![Field::choice(id::CHILD, "Child", options)]);
        let shown = listed(&form.fields[0]);
        assert!(shown.contains("1196 more"), "1,202 children, six shown: {shown}");
        press(&mut form, KeyCode::Char('1'));
        let matching = (0..1202).filter(|i| format!("Child {i:04}").contains('1')).count();
        let shown = listed(&form.fields[0]);
        assert!(shown.contains(&format!("{} more", matching - 6)), "{matching} match: {shown}");
    }

    #[test]
    fn a_list_is_never_empty_for_want_of_typing() {
        let options =
            || vec![Choice::new("a", "Apple"), Choice::new("b", "Banana"), Choice::new("c", "Cherry")];
        let fields =
            vec![Field::many(id::FRUITS, "Fruits", options()), Field::choice(id::ONE, "One", Vec::new())];
        let mut form = Form::new("t", d("2024-01-01"), fields);
        press(&mut form, KeyCode::Char('b'));
        press(&mut form, KeyCode::Enter);
        assert_eq!(form.fields[0].picked_many(), ["b"]);
        let shown = listed(&form.fields[0]);
        assert!(shown.contains("Apple") && shown.contains("Cherry") && !shown.contains("nothing"), "{shown}");
        // Options given to the field with the focus (the need types of an area just chosen) are listed.
        form.focus_on(id::ONE);
        form.fields[1].set_options(options());
        let shown = listed(&form.fields[1]);
        assert!(shown.contains("Apple") && !shown.contains("nothing"), "{shown}");
        form.fields[1].set_options(Vec::new());
        assert!(listed(&form.fields[1]).contains("nothing to choose from"));
        assert!(!listed(&form.fields[1]).contains("''"));
    }

    #[test]
    fn a_choice_lists_its_options_at_once_and_down_and_enter_pick_one() {
        let options =
            || vec![Choice::new("a", "Apple"), Choice::new("b", "Banana"), Choice::new("c", "Cherry")];
        let fields = vec![
            Field::choice(id::FRUIT, "Fruit", options()),
            Field::choice(id::KEPT, "Kept", options()).with("c"),
            Field::choice(
                id::CHILD,
                "Child",
                vec![Choice::new("k1", "Amy Smith (born 1 Jan 2016)"), Choice::new(ADD_NEW, "+ new child")],
            ),
        ];
        let mut form = Form::new("t", d("2024-01-01"), fields);
        // Listed as soon as it has the focus, nothing highlighted yet.
        assert_eq!(form.fields[0].matches, [0, 1, 2]);
        press(&mut form, KeyCode::Down);
        press(&mut form, KeyCode::Down);
        press(&mut form, KeyCode::Enter);
        assert_eq!(form.picked(id::FRUIT).as_deref(), Some("b"), "the second option, by ↓ ↓ Enter");
        // Enter on a field holding a value keeps it.
        press(&mut form, KeyCode::Enter);
        assert_eq!(form.picked(id::KEPT).as_deref(), Some("c"));
        // A name nobody has: "+ new child" is the only line, and takes what was typed.
        for c in "Zara Newcombe".chars() {
            press(&mut form, KeyCode::Char(c));
        }
        assert_eq!(form.fields[2].matches, [1]);
        press(&mut form, KeyCode::Enter);
        assert_eq!(form.picked(id::CHILD).as_deref(), Some(ADD_NEW));
        assert_eq!(form.fields[2].query, "Zara Newcombe");
    }

    #[test]
    fn new_is_offered_last_unless_a_name_matches_exactly() {
        let mut f = Field::choice(
            id::CHILD,
            "Child",
            vec![
                Choice::new("k1", "Amy Smith (born 1 Jan 2016)"),
                Choice::new("k2", "Amy Stone (born 2 Feb 2017)"),
                Choice::new(ADD_NEW, "+ new child"),
            ],
        );
        f.input.set("amy");
        f.search();
        assert_eq!(f.matches, [0, 1, 2], "children called Amy, then + new");
        f.input.set("amy smith");
        f.search();
        assert_eq!(f.matches, [0], "an exact name: no second Amy Smith offered here");
    }

    fn typed(form: &mut Form, text: &str) {
        for c in text.chars() {
            press(form, KeyCode::Char(c));
        }
    }

    fn settings() -> Vec<Choice> {
        vec![
            Choice::new("S1", "Oak Primary School"),
            Choice::new("S2", "St Mary's School"),
            Choice::new("S3", "Ashford Oaks Nursery"),
            Choice::new("S4", "Kingsnorth Primary"),
        ]
    }

    #[test]
    fn fuzzy_matching_ranks_prefixes_then_words_then_scattered_letters() {
        assert_eq!(fuzzy_score("oak", "Oak Primary School"), Some(0));
        assert_eq!(fuzzy_score("prim", "Oak Primary School"), Some(1));
        assert_eq!(fuzzy_score("ary s", "Oak Primary School"), Some(2));
        assert!(fuzzy_score("sms", "St Mary's School").unwrap() >= 10);
        assert!(fuzzy_score("pri ac", "Oak Primary Academy").is_some());
        assert_eq!(fuzzy_score("asd", "NSA SEN support but no specialist assessment"), None);
        assert_eq!(fuzzy_score("zz", "Oak Primary School"), None);
        assert_eq!(fuzzy_score("", "anything"), Some(1000));
    }

    #[test]
    fn a_choice_completes_as_you_type() {
        let mut f = Form::new("t", d("2024-03-10"), vec![Field::choice(id::SETTING, "Setting", settings())]);
        typed(&mut f, "oak");
        let field = f.field(id::SETTING).unwrap();
        assert_eq!(field.matches.first(), Some(&0), "Oak Primary first (prefix)");
        press(&mut f, KeyCode::Down);
        press(&mut f, KeyCode::Enter);
        assert_eq!(f.picked(id::SETTING).as_deref(), Some("S3"), "the second match, Ashford Oaks");
    }

    #[test]
    fn several_choices_add_up_and_backspace_removes_the_last() {
        let mut f = Form::new("t", d("2024-03-10"), vec![Field::many(id::SETTINGS, "Settings", settings())]);
        typed(&mut f, "oak p");
        f.fields[0].accept();
        typed(&mut f, "king");
        f.fields[0].accept();
        assert_eq!(f.picked_many(id::SETTINGS), ["S1", "S4"]);
        press(&mut f, KeyCode::Backspace);
        assert_eq!(f.picked_many(id::SETTINGS), ["S1"]);
    }

    #[test]
    fn dates_accept_the_forms_people_type_and_refuse_others() {
        let today = d("2024-03-10");
        let mut f = Form::new("t", today, vec![Field::date(id::DATE, "Date")]);
        for (typed_text, expected) in [
            ("5/3/24", "2024-03-05"),
            ("today", "2024-03-10"),
            ("yesterday", "2024-03-09"),
            ("2024-02-29", "2024-02-29"),
        ] {
            f.fields[0].set(typed_text);
            f.fields[0].check(today);
            assert_eq!(f.fields[0].problem, None, "{typed_text}");
            assert_eq!(f.date(id::DATE).unwrap().to_string(), expected);
        }
        for bad in ["31/2/24", "soon", "2023-02-29"] {
            f.fields[0].set(bad);
            f.fields[0].check(today);
            assert!(f.fields[0].problem.is_some(), "{bad}");
        }
    }

    #[test]
    fn numbers_and_required_fields_are_checked() {
        let mut f = Form::new(
            "t",
            d("2024-03-10"),
            vec![
                Field::count(id::N, "Count"),
                Field::decimal(id::FTE, "FTE"),
                Field::text(id::NAME, "Name"),
                Field::text(id::NOTES, "Notes").optional(),
            ],
        );
        f.fields[0].set("-2");
        f.fields[1].set("half");
        assert!(!f.check_all());
        assert_eq!(f.fields[0].problem.as_deref(), Some("cannot be negative"));
        assert!(f.fields[1].problem.as_deref().unwrap().contains("not a number"));
        assert_eq!(f.fields[2].problem.as_deref(), Some("required"));
        assert_eq!(f.fields[3].problem, None);
        assert_eq!(f.focus, 0, "the first problem gets the focus");
    }

    #[test]
    fn saving_is_blocked_until_every_field_is_right() {
        let mut f = Form::new(
            "t",
            d("2024-03-10"),
            vec![Field::text(id::NAME, "Name"), Field::date(id::DATE, "Date")],
        );
        assert_eq!(f.key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)), FormEvent::Nothing);
        typed(&mut f, "Oak");
        press(&mut f, KeyCode::Tab);
        typed(&mut f, "today");
        assert_eq!(f.key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)), FormEvent::Save);
    }

    #[test]
    fn leaving_with_changes_asks_first() {
        let mut f = Form::new("t", d("2024-03-10"), vec![Field::text(id::NAME, "Name")]);
        assert_eq!(press(&mut f, KeyCode::Esc), FormEvent::Close, "nothing typed: leaves at once");
        typed(&mut f, "x");
        assert_eq!(press(&mut f, KeyCode::Esc), FormEvent::Nothing);
        assert!(f.confirm_leave);
        assert_eq!(press(&mut f, KeyCode::Char('n')), FormEvent::Nothing);
        assert!(!f.confirm_leave);
        press(&mut f, KeyCode::Esc);
        assert_eq!(press(&mut f, KeyCode::Char('y')), FormEvent::Close);
    }

    #[test]
    fn rule_messages_land_beside_their_field() {
        let mut f = Form::new(
            "t",
            d("2024-03-10"),
            vec![Field::date(id::OPENED, "Opened"), Field::date(id::CLOSED, "Closed")],
        );
        f.show_problems(&[
            ("closed".into(), "closed is before opened".into()),
            ("referral".into(), "belongs to another child".into()),
        ]);
        assert_eq!(f.field(id::CLOSED).unwrap().problem.as_deref(), Some("closed is before opened"));
        assert_eq!(f.message.as_deref(), Some("belongs to another child"));
        assert_eq!(f.focus, 1);
    }
}
