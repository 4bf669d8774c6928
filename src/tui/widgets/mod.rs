//! Widgets shared by the screens: a scrolling list cursor, a one-line text input, and helpers.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub mod input;
pub mod list;

use ratatui::layout::Rect;

pub use crate::domain::initials::child_name;

/// Cuts text to at most `width` characters, with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    // Widths are terminal cells: a CJK name takes two a character, a combining mark none.
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// A line being typed, with its caret (▏) at the cursor, slid so the caret stays in view in
/// `room` cells: what has scrolled off the start shows as "…".
pub fn with_caret(text: &str, cursor: usize, room: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let cursor = cursor.min(chars.len());
    let width = |cs: &[char]| cs.iter().map(|c| c.width().unwrap_or(0)).sum::<usize>();
    let room = room.max(2);
    // From the start when it fits; else start late enough that "…" + text to the caret + caret fit.
    let mut start = 0;
    if width(&chars[..cursor]) + 1 > room {
        start = cursor;
        while start > 0 && width(&chars[start - 1..cursor]) + 2 <= room {
            start -= 1;
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..cursor]);
    out.push('▏');
    let used = out.width();
    out.push_str(&fit(&chars[cursor..].iter().collect::<String>(), room.saturating_sub(used)));
    out
}

/// Breaks text into lines of at most `width` characters at spaces (a longer word is cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let (n, w) = (line.chars().count(), word.chars().count());
        if n > 0 && n + 1 + w > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let rest: String = line.chars().skip(width).collect();
            lines.push(line.chars().take(width).collect());
            line = rest;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A rectangle centred in another, at most `width` × `height`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Whether a point lies in a rectangle.
pub fn contains(area: Rect, x: u16, y: u16) -> bool {
    x >= area.x && x < area.x + area.width && y >= area.y && y < area.y + area.height
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces_within_the_width() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
        assert!(
            wrap("LIFT meeting 10 Feb 2024 (school) and more words", 20)
                .iter()
                .all(|l| l.chars().count() <= 20)
        );
    }

    #[test]
    fn names_and_initials() {
        assert_eq!(child_name("amy", "Smith", true), "A.S.");
        assert_eq!(child_name("Amy", "Smith", false), "Amy Smith");
        assert_eq!(child_name("", "", true), "..");
    }

    #[test]
    fn the_caret_stays_in_view_while_typing_a_long_text() {
        let long = "x".repeat(200);
        let shown = with_caret(&long, 200, 40);
        assert!(shown.ends_with('▏') && shown.starts_with('…') && shown.width() <= 40, "{shown}");
        let shown = with_caret(&long, 10, 40);
        assert!(shown.contains('▏') && shown.width() <= 40 && !shown.starts_with('…'), "{shown}");
        assert_eq!(with_caret("Amy", 1, 40), "A▏my");
        // Wide characters count as two cells.
        assert!(with_caret(&"漢".repeat(50), 50, 20).width() <= 20);
    }

    #[test]
    fn fitting_text() {
        assert_eq!(fit("漢字漢字", 5), "漢字…");
        assert_eq!(fit("Oak Primary", 20), "Oak Primary");
        assert_eq!(fit("Oak Primary", 5), "Oak …");
        assert_eq!(fit("Zoë", 2), "Z…");
        assert_eq!(fit("x", 1), "x");
        assert_eq!(fit("xy", 0), "");
    }

    #[test]
    fn centring_never_overflows() {
        let r = centered(Rect::new(0, 0, 10, 5), 40, 20);
        assert_eq!(r, Rect::new(0, 0, 10, 5));
    }
}
