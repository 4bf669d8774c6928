//! Changes made from the application, and undoing and redoing them through the session.

use super::*;

impl App {
    /// Makes a change and remembers how to undo it.
    pub(super) fn commit(&mut self, ops: Vec<Op>, read_at: i64) {
        let named = crate::tui::editors::naming::describe_in(self.store.reader(), &ops, self.initials);
        match self.store.change_read_at(&ops, self.today, read_at) {
            Ok(done) => {
                let status = named;
                self.data_changed();
                self.say(format!("{status} · u undoes"));
                self.remember(status, done);
            }
            Err(e) => self.complain(format!("Not changed: {e}")),
        }
    }

    /// After a save, the records it added are selected where the screen lists them; a new case
    /// for the child, saved on the Case screen, is the case shown.
    pub(super) fn select_added(&mut self, done: &Done) {
        // Added to, not replaced: a LIFT meeting saved first stays the one to select when the
        // flow's later saves (its children) end.
        self.select_after.extend(done.undo.iter().filter_map(|op| match op {
            Op::Remove(kind, key) => Some((*kind, key.clone())),
            _ => None,
        }));
        if self.screen != ScreenId::Case {
            return;
        }
        let case = self.select_after.iter().find(|(k, _)| *k == RecordKind::Case).map(|(_, key)| key.clone());
        if let Some(Ok(Some(id))) = case.map(|key| self.store.reader().case_id(&key)) {
            let reload = self.screens.case.open(id);
            self.apply(Some(reload));
        }
    }

    /// A change saved: undo can take it back; what was undone before cannot be redone now.
    pub(super) fn remember(&mut self, what: String, done: Done) {
        self.own.push(done.entries());
        self.history.push((what, done));
        self.undone.clear();
    }

    /// Undoes the latest change of the session not undone yet (again and again, back through
    /// the session).
    pub fn undo(&mut self) {
        let Some((what, done)) = self.history.pop() else {
            self.complain("Nothing to undo");
            return;
        };
        // Refused when someone else has changed a record it would put back since (their change
        // stays); this session's own later changes, undone already, do not count.
        match self.store.change_read_at_except(&done.undo, self.today, done.mark, &self.own) {
            Ok(redo) => {
                self.own.push(redo.entries());
                self.data_changed();
                let left = self.history.len();
                self.say(format!("Undone: {what} · {left} more to undo · U redoes"));
                self.undone.push((what, redo));
            }
            Err(e) => {
                self.complain(format!("Could not undo ({what}): {e}"));
                self.history.push((what, done));
            }
        }
    }

    /// Does again the change undone last.
    pub fn redo(&mut self) {
        let Some((what, done)) = self.undone.pop() else {
            self.complain("Nothing to redo");
            return;
        };
        match self.store.change_read_at_except(&done.undo, self.today, done.mark, &self.own) {
            Ok(undo) => {
                self.own.push(undo.entries());
                self.data_changed();
                self.say(format!("Redone: {what} · u undoes"));
                self.history.push((what, undo));
            }
            Err(e) => {
                self.complain(format!("Could not redo ({what}): {e}"));
                self.undone.push((what, done));
            }
        }
    }
}
