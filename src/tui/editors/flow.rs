//! What an editor is for, as one interface: the generic [`super::Editor`] asks its flow for the
//! changes a filled form makes and lets it step in where a purpose does more than one save (the
//! LIFT meeting's children one after another, the narrative's own multi-line editor, an export
//! that writes files instead of records). Each purpose implements it beside its own forms.

use super::EditorOutcome;
use super::records::{Lists, Problems};
use crate::domain::{Date, RecordKind};
use crate::store::{Op, Store};
use crate::tui::field_id::FieldId;
use crate::tui::form::Form;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use std::path::PathBuf;

/// What a key taken by the flow itself did.
pub enum FlowKey {
    Stay,
    Save,
    Close,
}

pub trait Flow {
    /// The changes the filled form asks for; `new_key(kind)` gives keys for new records.
    fn ops(
        &self,
        form: &Form,
        lists: &Lists,
        new_key: &mut dyn FnMut(RecordKind) -> String,
    ) -> Result<Vec<Op>, Problems>;

    /// What leaving a field does: the fields that follow from it.
    fn left(&self, _form: &mut Form, _left: FieldId, _lists: &Lists) {}

    /// A key the flow takes before the form does (`None`: the form has it).
    fn key(&mut self, _key: &KeyEvent, _form: &mut Form) -> Option<FlowKey> {
        None
    }

    /// Whether anything typed is not saved yet.
    fn unsaved(&self, form: &Form) -> bool {
        form.dirty
    }

    fn paste(&mut self, form: &mut Form, text: &str) {
        form.paste(text)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, form: &Form) {
        form.draw(frame, area, theme)
    }

    /// Leaving the form (Esc, asked first when something was typed).
    fn close(&mut self, _form: &mut Form, _lists: &Lists) -> EditorOutcome {
        EditorOutcome::Close(None)
    }

    /// Long work that runs instead of a save (writing a return): the message shown meanwhile.
    fn long_work(&self) -> Option<String> {
        None
    }

    /// That work: the file written (and the folder), or problems beside the fields.
    fn work(&self, _form: &Form, _store: &mut Store) -> Result<(String, Option<PathBuf>), Problems> {
        Ok((String::new(), None))
    }

    /// Before the changes are saved: `Some` to stop there (a step that continues the flow).
    fn before_saving(
        &mut self,
        _form: &mut Form,
        _lists: &Lists,
        _store: &mut Store,
        _ops: &[Op],
        _today: Date,
    ) -> Option<EditorOutcome> {
        None
    }

    /// After the changes were saved: whether the editor closes (the flow may give the next form).
    fn saved(&mut self, _form: &mut Form, _lists: &mut Lists, _ops: &[Op], _today: Date) -> bool {
        true
    }

    /// The status line after a save, in the flow's words (`named`: the changes as named).
    fn saved_message(
        &self,
        _ops: &[Op],
        named: String,
        _form: &Form,
        _lists: &Lists,
        _initials: bool,
    ) -> String {
        named
    }

    /// The field a store rule's message goes beside.
    fn field_of_rule(&self, _form: &Form, field: String) -> String {
        field
    }
}
