//! Windows drawn over the screens: the keys of the screen (`?`), the command palette (`:`) and
//! the welcome of a first run.

use super::action::ScreenId;
use super::keymap::Keymap;
use super::screens::block;
use super::theme::Theme;
use super::widgets::input::{Edit, LineInput};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub enum Overlay {
    /// The keys of the current screen, scrolled by so many lines.
    Help(usize),
    Palette(Palette),
    Welcome(Welcome),
    /// "Remove ...? y / n": the change made on yes.
    Confirm {
        message: String,
        ops: Vec<crate::store::Op>,
    },
    /// The session's messages, scrolled to this one (the last when past the end).
    Messages(usize),
    /// Find anyone.
    Find(super::find::Find),
    /// A child's page.
    Child(Box<super::find::ChildView>),
    /// "Erase ...? It cannot be undone. y / n": the child's key and how they are shown.
    Erase {
        key: String,
        shown: String,
    },
    /// One line in full (of a chronology, a list, a message), wrapped and scrolled.
    Reader(Reading),
}

/// What the reader shows: a title and the whole text, from this line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub title: String,
    pub text: String,
    pub scroll: usize,
}

impl Reading {
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Reading {
        Reading { title: title.into(), text: text.into(), scroll: 0 }
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, t: &Theme) {
        let b = block(format!(" {} (↑↓ scroll, any other key closes) ", self.title), t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let width = usize::from(inner.width).max(10);
        let lines: Vec<Line> = self
            .text
            .lines()
            .flat_map(|l| if l.is_empty() { vec![String::new()] } else { super::widgets::wrap(l, width) })
            .map(|l| Line::from(Span::raw(l)))
            .collect();
        let last = lines.len().saturating_sub(usize::from(inner.height));
        // Kept within the text, so ↑ after G moves at once.
        self.scroll = self.scroll.min(last);
        frame.render_widget(Paragraph::new(lines).scroll((self.scroll as u16, 0)), inner);
    }
}

/// The commands the palette offers (`<...>` takes a value).
pub const COMMANDS: &[(&str, &str)] = &[
    ("goto dashboard", "the current term at a glance"),
    ("goto caseload", "every case, filtered and sorted"),
    ("goto case", "the case last opened"),
    ("goto lift", "LIFT meetings"),
    ("goto clinics", "clinics, training and transition"),
    ("goto teachers", "each teacher's load"),
    ("goto register", "settings and staff"),
    ("goto returns", "the termly return"),
    ("find ", "find a child, case, setting or staff member, e.g. find smith"),
    ("open ", "open a case by its key, e.g. open K000123-1"),
    ("new", "new record here (on LIFT: record a meeting)"),
    ("undo", "undo the last change (again: the one before)"),
    ("redo", "redo what was undone"),
    ("district ", "rename the district, e.g. district Ashford"),
    ("export", "export the return (on Returns)"),
    ("initials", "children by initials only / by name"),
    ("blank", "blank the screen at once"),
    ("refresh", "read everything again from the database"),
    ("help", "the keys of this screen"),
    ("messages", "the session's messages in full"),
    ("quit", "leave caseload"),
];

#[derive(Default)]
pub struct Palette {
    pub input: LineInput,
    pub selected: usize,
}

pub enum PaletteOutcome {
    Open,
    Cancel,
    Run(String),
}

impl Palette {
    /// Commands matching what is typed: every typed word starts a word of the command.
    pub fn matches(&self) -> Vec<(&'static str, &'static str)> {
        let typed: Vec<String> = self.input.text.split_whitespace().map(str::to_lowercase).collect();
        COMMANDS
            .iter()
            .filter(|(command, _)| {
                let words: Vec<&str> = command.split_whitespace().collect();
                typed.iter().enumerate().all(|(i, t)| match words.get(i) {
                    Some(w) => w.starts_with(t.as_str()),
                    // Extra words are the command's value (`open K12`).
                    None => command.ends_with(' '),
                })
            })
            .copied()
            .collect()
    }

    pub fn key(&mut self, key: &KeyEvent) -> PaletteOutcome {
        let matches = self.matches();
        match key.code {
            KeyCode::Down => self.selected = (self.selected + 1).min(matches.len().saturating_sub(1)),
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            _ => match self.input.key(key) {
                Edit::Cancel => return PaletteOutcome::Cancel,
                Edit::Complete => {
                    if let Some((command, _)) = matches.get(self.selected) {
                        self.input.set(command);
                        self.selected = 0;
                    }
                }
                Edit::Submit => {
                    let typed = self.input.text.trim().to_string();
                    // A unique or chosen match completes what was typed; a value is kept.
                    let chosen = match matches.get(self.selected) {
                        Some((command, _)) if !command.ends_with(' ') => command.to_string(),
                        _ => typed,
                    };
                    return PaletteOutcome::Run(chosen);
                }
                Edit::Changed => self.selected = 0,
                _ => {}
            },
        }
        PaletteOutcome::Open
    }
}

/// The first run: the district's name, then whether to load the demonstration district.
pub struct Welcome {
    pub name: LineInput,
    /// The database is empty, so the demonstration can be offered.
    pub offer_demo: bool,
    /// The name is given; waiting for yes or no to the demonstration.
    pub asking_demo: bool,
}

pub enum WelcomeOutcome {
    Open,
    Quit,
    Done { district: String, demo: bool },
}

impl Welcome {
    pub fn new(offer_demo: bool) -> Welcome {
        Welcome { name: LineInput::default(), offer_demo, asking_demo: false }
    }

    pub fn key(&mut self, key: &KeyEvent) -> WelcomeOutcome {
        let name = self.name.text.trim().to_string();
        if self.asking_demo {
            return match key.code {
                KeyCode::Char('y' | 'Y') => WelcomeOutcome::Done { district: name, demo: true },
                KeyCode::Char('n' | 'N') | KeyCode::Enter => {
                    WelcomeOutcome::Done { district: name, demo: false }
                }
                KeyCode::Esc => {
                    self.asking_demo = false;
                    WelcomeOutcome::Open
                }
                _ => WelcomeOutcome::Open,
            };
        }
        match self.name.key(key) {
            Edit::Submit if !name.is_empty() => {
                if self.offer_demo {
                    self.asking_demo = true;
                    WelcomeOutcome::Open
                } else {
                    WelcomeOutcome::Done { district: name, demo: false }
                }
            }
            Edit::Cancel => WelcomeOutcome::Quit,
            _ => WelcomeOutcome::Open,
        }
    }
}

/// The session's messages, whole and wrapped, newest last.
pub fn draw_messages(
    frame: &mut Frame,
    area: Rect,
    messages: &[(String, String, bool)],
    scroll: usize,
    t: &Theme,
) {
    let b = block(" Messages of this session (↑↓ scroll, Esc closes) ", t);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let width = usize::from(inner.width).saturating_sub(7).max(10);
    let mut lines: Vec<Line> = Vec::new();
    let mut starts = Vec::new();
    for (time, text, error) in messages {
        starts.push(lines.len());
        let style = if *error { t.error() } else { t.base() };
        for (i, part) in super::widgets::wrap(text, width).into_iter().enumerate() {
            let when = if i == 0 { format!("{time:<6} ") } else { "       ".to_string() };
            lines.push(Line::from(vec![Span::styled(when, t.muted()), Span::styled(part, style)]));
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("No messages yet.", t.muted())));
    }
    // Scrolled so the chosen message (the newest at first) ends in view.
    let height = usize::from(inner.height);
    let chosen = scroll.min(messages.len().saturating_sub(1));
    let end = starts.get(chosen + 1).copied().unwrap_or(lines.len());
    let top = end.saturating_sub(height) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((top, 0)), inner);
}

impl Overlay {
    pub fn draw(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        keymap: &Keymap,
        screen: ScreenId,
        t: &Theme,
        initials: bool,
    ) {
        match self {
            Overlay::Find(f) => f.draw(frame, area, initials, t),
            Overlay::Reader(r) => r.draw(frame, area, t),
            Overlay::Messages(_) => {}
            Overlay::Child(c) => c.draw(frame, area, initials, t),
            Overlay::Help(scroll) => {
                let b = block(format!(" Keys: {} (Esc closes) ", screen.title()), t);
                let inner = b.inner(area);
                frame.render_widget(b, area);
                let mut lines: Vec<Line> = Vec::new();
                let mut last_screen = None;
                for binding in keymap.bindings_for(screen) {
                    if last_screen != Some(binding.screen) {
                        last_screen = Some(binding.screen);
                        let heading = if binding.screen.is_some() { "On this screen" } else { "Everywhere" };
                        lines.push(Line::from(Span::styled(heading, t.header())));
                    }
                    let what = match binding.action {
                        super::action::Action::Screen(s) => format!("go to {}", s.title()),
                        other => other.describe_on(screen).to_string(),
                    };
                    // Wrapped under itself, not cut, in a narrow window.
                    let room = usize::from(inner.width).saturating_sub(18).max(10);
                    for (i, part) in super::widgets::wrap(&what, room).into_iter().enumerate() {
                        let keys = if i == 0 { binding.keys.as_str() } else { "" };
                        lines.push(Line::from(vec![
                            Span::styled(format!("  {keys:<16}"), t.key()),
                            Span::raw(part),
                        ]));
                    }
                }
                lines.push(Line::from(""));
                if screen == ScreenId::Caseload {
                    // The legend of the Why column: why a row is highlighted.
                    lines.push(Line::from(Span::styled(
                        "Why a row is highlighted (the Why column)",
                        t.header(),
                    )));
                    for a in super::screens::caseload::Attention::ALL {
                        lines.push(Line::from(vec![
                            Span::styled(format!("  {:<16}", a.code()), t.key()),
                            Span::raw(a.label()),
                        ]));
                    }
                    lines.push(Line::from(""));
                }
                lines.push(Line::from(Span::styled(
                    "Mouse: click a tab or a row; double-click opens; the wheel scrolls.",
                    t.muted(),
                )));
                // G scrolls to the end: the last line at the bottom.
                let last = lines.len().saturating_sub(usize::from(inner.height));
                *scroll = (*scroll).min(last);
                frame.render_widget(Paragraph::new(lines).scroll((*scroll as u16, 0)), inner);
            }
            Overlay::Palette(p) => {
                let b = block(" Command (Tab completes, Enter runs, Esc closes) ", t);
                let inner = b.inner(area);
                frame.render_widget(b, area);
                let mut lines = vec![Line::from(vec![
                    Span::styled(": ", t.key()),
                    Span::raw(p.input.text.clone()),
                    Span::styled("▏", t.key()),
                ])];
                // A window of the commands that keeps the chosen one in view.
                let room = usize::from(inner.height.saturating_sub(1)).max(1);
                let start = p.selected.saturating_sub(room - 1);
                for (i, (command, what)) in p.matches().iter().enumerate().skip(start).take(room) {
                    let style = if i == p.selected { t.selected() } else { t.base() };
                    lines.push(Line::from(vec![
                        Span::styled(format!("  {command:<18}"), style),
                        Span::styled(format!(" {what}"), t.muted()),
                    ]));
                }
                frame.render_widget(Paragraph::new(lines), inner);
            }
            Overlay::Confirm { message, .. } => {
                let b = block(" Are you sure? ", t);
                let inner = b.inner(area);
                frame.render_widget(b, area);
                let lines = vec![
                    Line::from(format!("{}?", message[..1].to_uppercase() + &message[1..])),
                    Line::from(Span::styled("y removes it (u undoes); any other key keeps it", t.muted())),
                ];
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
            }
            Overlay::Erase { shown, .. } => {
                let b = block(" Erase this child? This cannot be undone ", t);
                let inner = b.inner(area);
                frame.render_widget(b, area);
                let lines = vec![
                    Line::from(format!("Erase {shown}?")),
                    Line::from(""),
                    Line::from(
                        "This cannot be undone (u cannot bring it back): their names, date of birth, UPN and \
                         every note, target and review text about them are removed for good, here and in the \
                         audit log. Their cases and referrals stay as \"erased child\", so every return keeps \
                         its figures. Older backups still hold the child.",
                    ),
                    Line::from(""),
                    Line::from(Span::styled("y erases the child; any other key keeps them", t.muted())),
                ];
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
            }
            Overlay::Welcome(w) => {
                let b = block(" Welcome to caseload ", t);
                let inner = b.inner(area);
                frame.render_widget(b, area);
                let mut lines = vec![
                    Line::from(
                        "This database is new. It keeps your district's caseload, LIFT meetings and the \
                         termly KPI return, on this computer only.",
                    ),
                    Line::from(""),
                    Line::from(vec![
                        Span::styled("District name: ", t.key()),
                        Span::raw(w.name.text.clone()),
                        Span::styled(if w.asking_demo { "" } else { "▏" }, t.key()),
                    ]),
                ];
                if w.asking_demo {
                    lines.push(Line::from(""));
                    lines.push(Line::from(
                        "Load a demonstration district (invented children) to look around? y / n",
                    ));
                    lines.push(Line::from(Span::styled(
                        "Choose n for a real district: start with the Register (7) or an import.",
                        t.muted(),
                    )));
                } else {
                    lines.push(Line::from(""));
                    lines.push(Line::from(Span::styled(
                        "Type the name and press Enter; Esc quits.",
                        t.muted(),
                    )));
                }
                frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
            }
        }
    }
}
