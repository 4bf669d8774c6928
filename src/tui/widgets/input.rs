//! A one-line text input.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

/// What a key did to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Moved,
    Submit,
    Cancel,
    /// Tab: complete, or move on.
    Complete,
    Ignored,
}

impl LineInput {
    pub fn with(text: &str) -> LineInput {
        LineInput { text: text.to_string(), cursor: text.chars().count() }
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text.char_indices().nth(chars).map_or(self.text.len(), |(i, _)| i)
    }

    /// Inserts text at the cursor in one step (a paste): line breaks and tabs become spaces, other
    /// control characters are left out.
    pub fn insert(&mut self, text: &str) {
        let clean: String = text
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = text.chars().count();
    }

    pub fn key(&mut self, key: &KeyEvent) -> Edit {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => Edit::Submit,
            KeyCode::Esc => Edit::Cancel,
            KeyCode::Tab => Edit::Complete,
            KeyCode::Char('u') if ctrl => {
                self.text.clear();
                self.cursor = 0;
                Edit::Changed
            }
            KeyCode::Char('w') if ctrl => {
                let before: String = self.text.chars().take(self.cursor).collect();
                let trimmed = before.trim_end();
                let keep = trimmed.rfind(' ').map_or(0, |i| i + 1);
                let kept_chars = trimmed[..keep].chars().count();
                let after: String = self.text.chars().skip(self.cursor).collect();
                self.text = format!("{}{after}", &trimmed[..keep]);
                self.cursor = kept_chars;
                Edit::Changed
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                // At the end of plain text (a paste arriving key by key) without walking it.
                let at =
                    if self.cursor == self.text.len() { self.text.len() } else { self.byte_at(self.cursor) };
                self.text.insert(at, c);
                self.cursor += 1;
                Edit::Changed
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                Edit::Changed
            }
            KeyCode::Delete if self.cursor < self.text.chars().count() => {
                let at = self.byte_at(self.cursor);
                self.text.remove(at);
                Edit::Changed
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                Edit::Moved
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(self.text.chars().count());
                Edit::Moved
            }
            KeyCode::Home => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::End => {
                self.cursor = self.text.chars().count();
                Edit::Moved
            }
            _ => Edit::Ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(input: &mut LineInput, code: KeyCode) -> Edit {
        input.key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn typing_and_editing_with_non_ascii_text() {
        let mut i = LineInput::default();
        for c in "Zoë S".chars() {
            press(&mut i, KeyCode::Char(c));
        }
        assert_eq!(i.text, "Zoë S");
        press(&mut i, KeyCode::Left);
        press(&mut i, KeyCode::Left);
        press(&mut i, KeyCode::Backspace);
        assert_eq!(i.text, "Zo S");
        press(&mut i, KeyCode::Home);
        press(&mut i, KeyCode::Backspace);
        assert_eq!(i.text, "Zo S");
        press(&mut i, KeyCode::Delete);
        assert_eq!(i.text, "o S");
        assert_eq!(press(&mut i, KeyCode::Enter), Edit::Submit);
        i.key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(i.text, "");
    }

    #[test]
    fn a_paste_goes_in_at_the_cursor_in_one_step_and_on_one_line() {
        let mut i = LineInput::with("Zoë Smith");
        i.cursor = 4;
        i.insert("and\r\nJo\u{1b}e ");
        assert_eq!(i.text, "Zoë and  Joe Smith");
        assert_eq!(i.cursor, 13);
        let mut end = LineInput::with("ab");
        press(&mut end, KeyCode::Char('c'));
        end.cursor = 1;
        press(&mut end, KeyCode::Char('é'));
        press(&mut end, KeyCode::End);
        press(&mut end, KeyCode::Char('d'));
        assert_eq!(end.text, "aébcd");
    }

    #[test]
    fn ctrl_w_deletes_a_word() {
        let mut i = LineInput::with("goto case");
        i.key(&KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(i.text, "goto ");
    }
}
