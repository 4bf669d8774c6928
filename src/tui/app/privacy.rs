//! The data protection requests on a child (docs/privacy.md): `S` writes the subject access file,
//! `E` erases the child after saying it cannot be undone. For the lead and the admin staff.

use super::App;
use crate::domain::{Child, Record, RecordKind};
use crate::tui::action::{Action, ScreenId};
use crate::tui::find::ChildView;
use crate::tui::overlays::Overlay;
use ratatui::crossterm::event::KeyEvent;

impl App {
    /// The request a key asks for on a child's page: the case screen's keys for them.
    pub(super) fn request_key(&self, key: &KeyEvent) -> Option<Action> {
        self.keymap
            .lookup(ScreenId::Case, key)
            .filter(|a| matches!(a, Action::SubjectAccess | Action::EraseChild))
    }

    /// A child as the application shows them now (by initials when asked).
    fn shown_child(&self, c: &Child) -> String {
        format!("{} ({})", crate::tui::widgets::child_name(&c.first_name, &c.last_name, self.initials), c.key)
    }

    /// `S` or `E` on the child's page: the page stays open behind what follows.
    pub(super) fn request_on_child(&mut self, child: ChildView, key: &KeyEvent) {
        let Some(action) = self.request_key(key) else { return };
        let c = child.page.child.clone();
        self.overlay = Some(Overlay::Child(Box::new(child)));
        self.request(action, &c);
    }

    /// `S` or `E` on the case screen: the case's child.
    pub(super) fn request_on_case(&mut self, action: Action) {
        if self.screen != ScreenId::Case {
            self.complain("That is for a child: open their case (Caseload, Enter) or find them (F)");
            return;
        }
        self.prepare();
        let Some(child) = self.screens.case.detail().map(|d| d.child.clone()) else {
            self.complain("Open a case first (Caseload, Enter)");
            return;
        };
        self.request(action, &child);
    }

    /// Whether the user may answer requests: who they are must be known, in a role that does.
    fn may_answer_requests(&mut self) -> bool {
        let Some(me) = self.me.clone().or_else(|| self.prefs.me.clone()) else {
            self.complain(
                "Subject access and erasure are for the lead and the admin staff: say who you are first \
                 (Register's staff list: 7, l, then i on yourself)",
            );
            return false;
        };
        match self.store.reader().record(RecordKind::Staff, &me) {
            Ok(Some(Record::Staff(s))) if s.role.answers_requests() => true,
            Ok(Some(Record::Staff(s))) => {
                self.complain(format!(
                    "Subject access and erasure are for the lead and the admin staff; you are recorded as {}: \
                     ask one of them",
                    s.role.label().to_lowercase()
                ));
                false
            }
            Ok(_) => {
                self.complain(format!(
                    "There is no staff member {me} any more: press i on yourself on the Register"
                ));
                false
            }
            Err(e) => {
                self.store_failed(e);
                false
            }
        }
    }

    fn request(&mut self, action: Action, child: &Child) {
        if !self.may_answer_requests() {
            return;
        }
        match action {
            Action::SubjectAccess => self.subject_access(&child.key),
            _ => self.ask_erase(child),
        }
    }

    /// Writes the child's subject access file into the export folder.
    fn subject_access(&mut self, key: &str) {
        let folder = self.prefs.export_folder_or(crate::tui::editors::returns::default_folder);
        match crate::export::subject_access::write(&self.store, key, &folder, false) {
            Ok(w) => self.say(format!(
                "Subject access file written to {} ({} records, {} audit entries): it names the child, keep it safe",
                folder.display(),
                w.records,
                w.entries
            )),
            Err(e) => self.complain(format!("The subject access file was not written: {e}")),
        }
    }

    /// Asks before erasing, saying it cannot be undone; a child with an open case is refused here.
    fn ask_erase(&mut self, child: &Child) {
        match self.store.reader().is_erased(&child.key) {
            Ok(true) => return self.complain("This child is erased already"),
            Ok(false) => {}
            Err(e) => return self.store_failed(e),
        }
        self.overlay = Some(Overlay::Erase { key: child.key.clone(), shown: self.shown_child(child) });
    }

    /// Erases the child (the answer was yes). The session's undo history goes: it holds what was
    /// erased.
    pub(super) fn erase_now(&mut self, key: &str) {
        let reason = "an erasure from the application";
        match self.store.erase(&[key.to_string()], Some(reason), false) {
            Ok(done) => {
                self.history.clear();
                self.undone.clear();
                self.overlay = None;
                self.data_changed();
                let recorded = self.store.path().map(crate::files::backups::known).unwrap_or_default();
                let backups = self.store.backups_holding(&recorded, &[key.to_string()]);
                let new_key = done.children.first().map(|c| c.new_key.clone()).unwrap_or_default();
                let held = match backups.len() {
                    0 => "no backup caseload knows of holds the child".to_string(),
                    n => format!("{n} older backup(s) still hold the child (caseload erase lists them)"),
                };
                self.say(format!("Erased: the child is now {new_key}; this cannot be undone; {held}"));
            }
            Err(crate::store::EraseError::OpenCase { .. }) => self.complain(
                "This child has an open case: close it first (erasing removes the records the team works from); \
                 the command line's erase --force can erase now if it must",
            ),
            Err(e) => self.complain(format!("The child was not erased: {e}")),
        }
    }
}
