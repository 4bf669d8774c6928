//! A cursor over a list that scrolls to keep the selected row in view.

use crate::tui::action::Action;
use ratatui::layout::Rect;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
    pub len: usize,
    /// Rows visible at the last draw (for paging and clicks).
    pub height: usize,
    /// Where the rows were drawn (for mouse clicks).
    pub area: Rect,
}

impl Cursor {
    /// Sets the list's length, keeping the selection in range.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        if self.selected >= len {
            self.selected = len.saturating_sub(1);
        }
        self.keep_visible();
    }

    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.len.saturating_sub(1));
        self.keep_visible();
    }

    /// Moves for a movement action; true when the action was one.
    pub fn apply(&mut self, action: Action) -> bool {
        let page = self.height.max(1);
        let last = self.len.saturating_sub(1);
        self.selected = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        self.keep_visible();
        true
    }

    /// Scrolls by the mouse wheel without moving past the ends.
    pub fn scroll(&mut self, down: bool) {
        self.apply(if down { Action::Down } else { Action::Up });
    }

    /// Records the drawn area; returns the visible range of rows.
    pub fn layout(&mut self, area: Rect) -> std::ops::Range<usize> {
        self.area = area;
        self.height = usize::from(area.height);
        self.keep_visible();
        self.offset..(self.offset + self.height).min(self.len)
    }

    /// The row under a click, if any.
    pub fn row_at(&self, x: u16, y: u16) -> Option<usize> {
        if !super::contains(self.area, x, y) {
            return None;
        }
        let index = self.offset + usize::from(y - self.area.y);
        (index < self.len).then_some(index)
    }

    fn keep_visible(&mut self) {
        let h = self.height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        let max_offset = self.len.saturating_sub(h);
        self.offset = self.offset.min(max_offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_keeps_the_selection_visible_and_in_range() {
        let mut c = Cursor::default();
        c.set_len(100);
        let visible = c.layout(Rect::new(0, 2, 40, 10));
        assert_eq!(visible, 0..10);
        c.apply(Action::PageDown);
        assert_eq!(c.selected, 10);
        assert_eq!(c.offset, 1);
        c.apply(Action::Bottom);
        assert_eq!((c.selected, c.offset), (99, 90));
        c.apply(Action::Down);
        assert_eq!(c.selected, 99);
        c.apply(Action::Top);
        assert_eq!((c.selected, c.offset), (0, 0));
        c.set_len(0);
        assert_eq!(c.selected, 0);
        c.apply(Action::Down);
        assert_eq!(c.selected, 0);
    }

    #[test]
    fn clicks_map_to_rows() {
        let mut c = Cursor::default();
        c.set_len(5);
        c.layout(Rect::new(0, 3, 40, 10));
        assert_eq!(c.row_at(5, 3), Some(0));
        assert_eq!(c.row_at(5, 7), Some(4));
        assert_eq!(c.row_at(5, 8), None);
        assert_eq!(c.row_at(5, 2), None);
    }
}
