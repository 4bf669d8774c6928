//! Editors: a form with what it is for. An editor saves through the store (one transaction per
//! save), shows refusals beside the fields, and knows what comes next (the next referral of a
//! LIFT meeting, the case of an allocated referral).

pub mod case;
pub mod flow;
pub mod lift;
mod lift_steps;
pub mod naming;
pub mod narrative;
pub mod records;
pub mod returns;
pub mod spec;

use super::form::{Field, Form, FormEvent};
use crate::domain::{Date, Record, RecordKind};
use crate::store::{CaseDetail, ChildChoice, Done, Op, SaveError, Store, StoreError};
use crate::tui::field_id as id;
use case::CaseAction;
use flow::{Flow, FlowKey};
use lift::LiftFlow;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use records::{Lists, Problems, key_prefix};
use std::path::PathBuf;

/// What an editor is for.
#[derive(Debug, Clone)]
pub enum Purpose {
    /// A new record (no original) or an edit of a stored one.
    Record {
        kind: RecordKind,
        original: Option<Record>,
    },
    Case {
        action: CaseAction,
        detail: Box<CaseDetail>,
    },
    Lift(LiftFlow),
    Export(returns::ExportTarget),
    TermDates(crate::domain::AcademicYear),
    Manual(returns::ManualTarget),
    /// The narrative of a term, in its own multi-line editor (the form holds only messages).
    Narrative(Box<narrative::Narrative>),
    /// The note and "not collected" mark on one figure of a term.
    Note(returns::NoteTarget),
}

impl Purpose {
    /// The flow that carries the purpose out (each beside its own forms).
    fn into_flow(self) -> Box<dyn Flow> {
        match self {
            Purpose::Record { kind, original } => Box::new(records::RecordEdit { kind, original }),
            Purpose::Case { action, detail } => Box::new(case::CaseEdit { action, detail }),
            Purpose::Lift(flow) => Box::new(flow),
            Purpose::Export(target) => Box::new(target),
            Purpose::TermDates(year) => Box::new(returns::TermDatesOf(year)),
            Purpose::Manual(target) => Box::new(target),
            Purpose::Narrative(narrative) => narrative,
            Purpose::Note(target) => Box::new(target),
        }
    }
}

pub struct Editor {
    pub form: Form,
    /// What the editor is for, and how it carries that out.
    flow: Box<dyn Flow>,
    pub lists: Lists,
    /// A child already recorded with the name and date of birth of the child being saved: the
    /// form asks before adding a second one (Enter uses this child, Ctrl-S adds another).
    twin: Option<ChildChoice>,
    /// The child the person chose to add anyway, although it has this twin.
    twin_confirmed: Option<String>,
    /// The audit log's mark when what the form edits was read: a save over a record changed
    /// since is refused (see [`Store::change_read_at`]).
    pub read_mark: i64,
    /// Children are shown by initials: messages name them so too.
    pub initials: bool,
}

/// What the application must do after a key in an editor.
#[derive(Debug)]
pub enum EditorOutcome {
    Stay,
    /// The editor is finished (with a message for the status line).
    Close(Option<String>),
    /// A change was saved (undo steps kept); `close` when the editor is finished.
    Saved {
        status: String,
        done: Done,
        close: bool,
    },
    /// Long work to run after the next frame is drawn (so "Writing…" shows first).
    Work(String),
}

impl Editor {
    pub fn new(form: Form, purpose: Purpose, lists: Lists) -> Editor {
        let flow = purpose.into_flow();
        Editor { form, flow, lists, twin: None, twin_confirmed: None, read_mark: 0, initials: false }
    }

    /// A new key for a record type, unique in the database.
    fn key_maker(store: &Store) -> impl FnMut(RecordKind) -> String + '_ {
        move |kind| {
            store
                .reader()
                .next_key(kind, key_prefix(kind))
                .unwrap_or_else(|_| format!("{}{}", key_prefix(kind), std::process::id()))
        }
    }

    /// Whether anything typed here is not yet saved.
    pub fn unsaved(&self) -> bool {
        self.flow.unsaved(&self.form)
    }

    /// Pasted text, in one step (however long, it costs one insertion, not a key each).
    pub fn paste(&mut self, text: &str) {
        self.flow.paste(&mut self.form, text)
    }

    pub fn key(&mut self, key: &KeyEvent, store: &mut Store, today: Date) -> EditorOutcome {
        match self.flow.key(key, &mut self.form) {
            Some(FlowKey::Stay) => return EditorOutcome::Stay,
            Some(FlowKey::Close) => return EditorOutcome::Close(None),
            Some(FlowKey::Save) => return self.save(store, today),
            None => {}
        }
        if let Some(twin) = self.twin.take() {
            let ctrl = key.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Enter if lift::picks_a_child(&self.form) => {
                    lift::use_recorded_child(&mut self.form, &twin, &self.lists);
                    return EditorOutcome::Stay;
                }
                KeyCode::Char('s') if ctrl => self.twin_confirmed = Some(twin.key),
                _ => self.form.message = None,
            }
        }
        match self.form.key(key) {
            FormEvent::Nothing => EditorOutcome::Stay,
            FormEvent::Left(i) => {
                if let Some(left) = self.form.fields.get(i).map(Field::field_id) {
                    self.flow.left(&mut self.form, left, &self.lists);
                }
                EditorOutcome::Stay
            }
            FormEvent::Close => self.flow.close(&mut self.form, &self.lists),
            FormEvent::Save => self.save(store, today),
        }
    }

    /// Draws the editor: its form, or the flow's own editor (the narrative's).
    pub fn draw(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        theme: &crate::tui::theme::Theme,
    ) {
        self.flow.draw(frame, area, theme, &self.form)
    }

    /// The changes the form asks for.
    fn ops(&self, store: &Store) -> Result<Vec<Op>, Problems> {
        self.flow.ops(&self.form, &self.lists, &mut Editor::key_maker(store))
    }

    /// Runs the long work of an editor (writing a return): the message for the status line, or
    /// the editor again with the problems beside its fields.
    /// With the message, the folder written to.
    pub fn work(mut self: Box<Self>, store: &mut Store) -> Result<(String, Option<PathBuf>), Box<Editor>> {
        match self.flow.work(&self.form, store) {
            Ok(done) => Ok(done),
            Err(problems) => {
                self.form.show_problems(&problems);
                Err(self)
            }
        }
    }

    fn save(&mut self, store: &mut Store, today: Date) -> EditorOutcome {
        if let Some(message) = self.flow.long_work() {
            return EditorOutcome::Work(message);
        }
        let ops = match self.ops(store) {
            Ok(ops) => ops,
            Err(problems) => {
                self.form.show_problems(&problems);
                return EditorOutcome::Stay;
            }
        };
        if self.asks_about_a_twin(store, &ops) {
            return EditorOutcome::Stay;
        }
        if let Some(refusal) = names_a_child(store, &ops) {
            self.form.message = Some(refusal);
            return EditorOutcome::Stay;
        }
        if let Some(outcome) = self.flow.before_saving(&mut self.form, &self.lists, store, &ops, today) {
            return outcome;
        }
        // Named before the change: a record removed can still be read.
        let named = naming::describe_in(store.reader(), &ops, self.initials);
        let done = match store.change_read_at(&ops, today, self.read_mark) {
            Ok(done) => {
                // What this form saved is now what it has read.
                self.read_mark = done.mark;
                done
            }
            // A record changed by someone else is named as people know it, not by its key.
            Err(SaveError::Stale(entry)) => {
                let named = entry
                    .kind
                    .and_then(|kind| store.reader().record(kind, &entry.key).ok().flatten())
                    .map(|r| naming::thing(store.reader(), &r, self.initials));
                let why = match named {
                    Some(name) => crate::store::stale_message_of(
                        &entry,
                        &format!("the {}", name.trim_start_matches("the ")),
                    ),
                    None => SaveError::Stale(entry).to_string(),
                };
                self.form.show_problems(&stale_problem(why));
                return EditorOutcome::Stay;
            }
            Err(e) => {
                self.refused(e);
                return EditorOutcome::Stay;
            }
        };
        self.twin_confirmed = None;
        let mut status = self.flow.saved_message(&ops, named, &self.form, &self.lists, self.initials);
        status.push_str(&setting_twins(store, &ops));
        let close = self.flow.saved(&mut self.form, &mut self.lists, &ops, today);
        EditorOutcome::Saved { status, done, close }
    }

    /// When the steps add or rename a child to the name and date of birth of another child, shows
    /// that child and asks (once) whether to use it or add a second one.
    fn asks_about_a_twin(&mut self, store: &Store, ops: &[Op]) -> bool {
        let twin = ops.iter().find_map(|op| match op {
            Op::Add(Record::Child(c)) | Op::Replace(Record::Child(c)) => {
                store.reader().same_child(&c.first_name, &c.last_name, c.dob, &c.key).ok().flatten()
            }
            _ => None,
        });
        let Some(twin) = twin.filter(|t| self.twin_confirmed.as_deref() != Some(t.key.as_str())) else {
            return false;
        };
        let at = twin.setting_name.as_ref().map(|s| format!(", {s}")).unwrap_or_default();
        let use_it = if self.form.field(id::CHILD).is_some() { "Enter uses that child; " } else { "" };
        self.form.message = Some(format!(
            "{} {} (born {}{at}) is already recorded. {use_it}Ctrl-S adds a second child with the same \
             name and date of birth; any other key goes back to the form",
            twin.first_name,
            twin.last_name,
            twin.dob.uk()
        ));
        self.twin = Some(twin);
        true
    }

    /// Shows why the store refused a save, beside the fields concerned.
    fn refused(&mut self, e: SaveError) {
        let problems: Problems = problems_of(e)
            .into_iter()
            .map(|(field, message)| (self.flow.field_of_rule(&self.form, field), message))
            .collect();
        self.form.show_problems(&problems);
    }
}

/// Notes, narratives and manual texts go out with the return: one that identifies a child of
/// the database (a name, however spelled; a UPN; a date of birth) is refused, before it is saved.
fn names_a_child(store: &Store, ops: &[Op]) -> Option<String> {
    let texts: Vec<&str> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Replace(Record::ManualMeasure(m)) | Op::Add(Record::ManualMeasure(m)) => match &m.value {
                crate::domain::ManualValue::Text(t) => Some(t.as_str()),
                _ => None,
            },
            Op::Replace(Record::MeasureNote(n)) | Op::Add(Record::MeasureNote(n)) => n.note.as_deref(),
            _ => None,
        })
        .collect();
    match store.reader().private_in_texts(&texts) {
        Ok(found) => found.first().map(|(_, private)| {
            format!("Not saved: this {}. It goes out with the return: write around it", private.rule())
        }),
        Err(e) => Some(format!("Not saved: {e}")),
    }
}

/// "Saved referral R00012", "Saved 2 changes", for the status line.
pub fn describe(ops: &[Op]) -> String {
    let name = |op: &Op| match op {
        Op::Add(r) => format!("Added {} {}", r.kind().label(), r.key()),
        Op::Replace(r) => format!("Saved {} {}", r.kind().label(), r.key()),
        Op::Remove(kind, key) => format!("Removed {} {key}", kind.label()),
    };
    match ops {
        [] => "Nothing to save".into(),
        [one] => name(one),
        [.., last] => format!("{} (and {} more change(s))", name(last), ops.len() - 1),
    }
}

/// Reads what the forms offer to choose from.
pub fn lists(store: &Store) -> Result<Lists, StoreError> {
    lists_on(store, store.clock().today())
}

/// What forms offer, as of the application's day.
pub fn lists_on(store: &Store, day: Date) -> Result<Lists, StoreError> {
    Lists::read(store.reader(), day)
}

/// A save refused because someone changed the record since: said once, above the fields.
fn stale_problem(why: String) -> Problems {
    vec![(
        String::new(),
        format!("{why}. What you typed is kept: Esc, then open the record again to see the change"),
    )]
}

/// Why the store refused, as messages for the form's fields.
pub(super) fn problems_of(e: SaveError) -> Problems {
    match e {
        SaveError::Stale(_) => stale_problem(e.to_string()),
        SaveError::Rules(rules) => rules,
        SaveError::Missing(m) => {
            m.into_iter().map(|(f, kind, key)| (f, format!("there is no {kind} \"{key}\""))).collect()
        }
        other => vec![(String::new(), other.to_string())],
    }
}

/// A note for the status line when a saved setting shares its name and phase with another.
fn setting_twins(store: &Store, ops: &[Op]) -> String {
    ops.iter()
        .filter_map(|op| match op {
            Op::Add(Record::Setting(s)) | Op::Replace(Record::Setting(s)) => {
                let others = store.reader().settings_named(&s.name, s.phase, &s.key).ok()?;
                (!others.is_empty()).then(|| {
                    format!(
                        " · note: another {} setting is called {}",
                        s.phase.label().to_lowercase(),
                        s.name
                    )
                })
            }
            _ => None,
        })
        .collect()
}
