//! Drawing: the tabs, the screen, an open form or overlay, and the status line. Drawing reads
//! the state and never changes the data.

use super::*;

/// A character never drawn: a control character or a direction override.
fn unsafe_char(c: char) -> bool {
    crate::domain::rules::forbidden_char(c.encode_utf8(&mut [0; 4]), false).is_some()
}

impl App {
    /// Draws everything. With `load`, a screen whose data is not read yet reads it first
    /// (without, it shows "Loading…": the first frame appears at once).
    pub fn draw(&mut self, frame: &mut Frame, load: bool) {
        self.draw_all(frame, load);
        // Whatever the data holds (a name written by another program, say), no control character
        // or direction override reaches the terminal: it could move the cursor or turn text round.
        for cell in frame.buffer_mut().content.iter_mut() {
            if cell.symbol().chars().any(unsafe_char) {
                let kept: String = cell.symbol().chars().filter(|c| !unsafe_char(*c)).collect();
                cell.set_symbol(if kept.is_empty() { " " } else { &kept });
            }
        }
    }

    pub(super) fn draw_all(&mut self, frame: &mut Frame, load: bool) {
        let area = frame.area();
        if self.blank {
            frame.render_widget(Clear, area);
            return;
        }
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            let text = format!(
                "Make the window larger: caseload needs at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{}).",
                area.width, area.height
            );
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            return;
        }
        if load && self.overlay.is_none() {
            self.prepare();
        }
        let [tabs, body, status] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(area);
        self.draw_tabs(frame, tabs);
        let ctx = ctx!(self);
        let screen = self.screens.get(self.screen);
        if let Some(editor) = &self.editor {
            editor.draw(frame, body, &self.theme);
        } else if self.ever_loaded[self.screen.index()] {
            screen.draw(frame, body, &ctx);
        } else {
            frame.render_widget(Paragraph::new(Span::styled("Loading…", self.theme.muted())), body);
        }
        let summary = screen.summary();
        self.draw_status(frame, status, summary);
        if let Some(overlay) = &mut self.overlay {
            let popup = match overlay {
                Overlay::Help(_) => centered(body, 72, body.height),
                Overlay::Palette(_) => {
                    Rect { y: body.y + 1, height: 8.min(body.height), ..centered(body, 70, 8) }
                }
                Overlay::Welcome(_) => centered(body, 70, 12),
                Overlay::Confirm { .. } => centered(body, 60, 5),
                Overlay::Erase { .. } => centered(body, 72, 12),
                Overlay::Find(_) | Overlay::Child(_) | Overlay::Messages(_) | Overlay::Reader(_) => {
                    centered(body, 100, body.height)
                }
            };
            frame.render_widget(Clear, popup);
            if let Overlay::Messages(scroll) = overlay {
                crate::tui::overlays::draw_messages(frame, popup, &self.messages, *scroll, &self.theme);
            } else {
                overlay.draw(frame, popup, &self.keymap, self.screen, &self.theme, self.initials);
            }
        }
    }

    pub(super) fn draw_tabs(&mut self, frame: &mut Frame, area: Rect) {
        let t = self.theme;
        self.tabs.clear();
        let narrow = area.width < 100;
        let mut x = area.x;
        let mut spans = Vec::new();
        for id in ScreenId::ALL {
            let title = if narrow && id == ScreenId::Work { "Clinics" } else { id.title() };
            // Padded when there is room; at 80 columns the eight tabs fit only unpadded.
            let text = if narrow {
                format!("{} {title} ", id.index() + 1)
            } else {
                format!(" {} {title} ", id.index() + 1)
            };
            let width = text.chars().count() as u16;
            if x + width > area.x + area.width {
                break;
            }
            self.tabs.push((Rect { x, y: area.y, width, height: 1 }, id));
            x += width;
            spans.push(Span::styled(text, t.tab_of(id == self.screen)));
        }
        let used: u16 = spans.iter().map(|s| s.content.chars().count() as u16).sum();
        let name = crate::tui::widgets::fit(&self.district, usize::from(area.width.saturating_sub(used + 1)));
        if !name.is_empty() {
            let pad = area.width.saturating_sub(used + name.chars().count() as u16);
            spans.push(Span::raw(" ".repeat(usize::from(pad))));
            spans.push(Span::styled(name, t.muted()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    pub(super) fn draw_status(&self, frame: &mut Frame, area: Rect, summary: String) {
        let t = &self.theme;
        let hints = "? keys  : commands  q quit";
        let (text, style) = match &self.status {
            Some(s) => (s.text.clone(), if s.error { t.error() } else { t.ok() }),
            None => (summary, t.muted()),
        };
        let privacy = if self.initials { " initials only " } else { "" };
        let room = usize::from(area.width).saturating_sub(hints.len() + privacy.len() + 1);
        // Too long for the line: shortened, and the whole of it is in :messages.
        let text = if text.chars().count() > room && self.status.is_some() {
            let more = " (:messages)";
            format!("{}{more}", crate::tui::widgets::fit(&text, room.saturating_sub(more.len())))
        } else {
            crate::tui::widgets::fit(&text, room)
        };
        let pad = usize::from(area.width).saturating_sub(text.chars().count() + hints.len() + privacy.len());
        let line = Line::from(vec![
            Span::styled(text, style),
            Span::raw(" ".repeat(pad)),
            Span::styled(privacy, t.tab_selected()),
            Span::styled(hints, t.muted()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
    }
}
