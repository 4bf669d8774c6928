//! Colours and emphasis. With `NO_COLOR` set, only bold, reverse and underline are used.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) }
    }

    pub fn plain() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color { Style::new().fg(c) } else { Style::new() }
    }

    pub fn base(&self) -> Style {
        Style::new()
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn tab(&self) -> Style {
        self.fg(Color::Gray)
    }

    pub fn tab_selected(&self) -> Style {
        if self.color {
            Style::new().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    /// A tab's style: the selected one stands out.
    pub fn tab_of(&self, selected: bool) -> Style {
        if selected { self.tab_selected() } else { self.tab() }
    }

    pub fn header(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        if self.color {
            Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// Rows needing attention (no teacher, no targets, review overdue, open a long time).
    pub fn attention(&self) -> Style {
        if self.color {
            Style::new().fg(Color::LightRed)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn active(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn muted(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Bars of a chart: the first and second series.
    pub fn bar(&self, series: usize) -> Style {
        match (self.color, series) {
            (true, 0) => Style::new().fg(Color::Blue),
            (true, 1) => Style::new().fg(Color::Green),
            (true, 2) => Style::new().fg(Color::Magenta),
            (true, _) => Style::new().fg(Color::Yellow),
            (false, _) => Style::new(),
        }
    }
}
