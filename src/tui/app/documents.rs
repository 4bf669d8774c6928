//! `P`: a document to print, made from what the screen shows and written into the export folder
//! (the one the Returns screen's exports use), by initials when the screen shows initials.

use super::App;
use crate::domain::Record;
use crate::export::document::{DocumentError, Kind, Options, into_folder, make};
use crate::tui::action::ScreenId;
use crate::tui::screens::Screen;

impl App {
    pub(super) fn document(&mut self) {
        self.prepare();
        let Some((kind, key)) = self.document_subject() else {
            self.complain(
                "P prints a document: on a case (3; on a visit line, the record of visit), on the \
                 Caseload's selected case (2), or on a LIFT meeting (4)",
            );
            return;
        };
        let options = Options { today: self.today, initials: self.initials, review_weeks: self.review_weeks };
        let documents = match make(self.store.reader(), kind, &key, &options) {
            Ok(d) => d,
            Err(DocumentError::Store(e)) => return self.store_failed(e),
            Err(unknown) => return self.complain(format!("Not written: {unknown}")),
        };
        let folder = self.prefs.export_folder_or(crate::tui::editors::returns::default_folder);
        match into_folder(&documents, &folder, self.store.path(), false) {
            Ok(written) => {
                let message = match (written.as_slice(), documents.first()) {
                    ([one], Some(doc)) => format!("Wrote {} to {}", doc.about, one.display()),
                    _ => format!(
                        "Wrote {} LIFT outcome sheets (one per setting) into {}",
                        written.len(),
                        folder.display()
                    ),
                };
                self.say(message);
            }
            Err(e) => self.complain(format!("Not written: {e}")),
        }
    }

    /// What `P` makes a document of here: the case (or the visit under the cursor), the
    /// Caseload's selected case, or the selected meeting.
    fn document_subject(&mut self) -> Option<(Kind, String)> {
        match self.screen {
            ScreenId::Case => {
                let case = self.screens.case.detail()?.case.key.clone();
                match self.screens.case.selected_record() {
                    Some(Record::Visit(v)) => Some((Kind::Visit, v.key)),
                    _ => Some((Kind::Case, case)),
                }
            }
            ScreenId::Caseload => self.screens.caseload.selected().map(|r| (Kind::Case, r.key.clone())),
            ScreenId::Lift => match self.screens.lift.selected_record() {
                Some(Record::LiftMeeting(m)) => Some((Kind::Lift, m.key)),
                _ => None,
            },
            _ => None,
        }
    }
}
