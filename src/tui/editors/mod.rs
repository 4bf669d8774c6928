//! Editors: a form with what it is for. An editor saves through the store (one transaction per
//! save), shows refusals beside the fields, and knows what comes next (the next referral of a
//! LIFT meeting, the case of an allocated referral).

pub mod case;
pub mod lift;
pub mod naming;
pub mod narrative;
pub mod records;
pub mod returns;
pub mod spec;

use super::form::{Field, Form, FormEvent};
use crate::domain::{Date, Record, RecordKind};
use crate::store::{CaseDetail, ChildChoice, Done, Op, SaveError, Store, StoreError};
use crate::tui::field_id::{self as id, FieldId};
use case::CaseAction;
use lift::{LiftFlow, Step};
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
    /// What leaving a field does, for what the form is for (the fields that follow from it).
    fn left(&self, form: &mut Form, left: FieldId, lists: &Lists) {
        match self {
            Purpose::Lift(_) => lift::follow(form, left, lists),
            Purpose::Case { action, .. } => case::left(*action, form, left, lists),
            Purpose::Record { kind, .. } => {
                if let Some(spec) = spec::of(*kind) {
                    spec.left(form, left, lists)
                }
            }
            _ => {}
        }
    }
}

pub struct Editor {
    pub form: Form,
    pub purpose: Purpose,
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
        Editor { form, purpose, lists, twin: None, twin_confirmed: None, read_mark: 0, initials: false }
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
        match &self.purpose {
            Purpose::Narrative(n) => n.dirty(),
            _ => self.form.dirty,
        }
    }

    /// Pasted text, in one step (however long, it costs one insertion, not a key each).
    pub fn paste(&mut self, text: &str) {
        match &mut self.purpose {
            Purpose::Narrative(n) => n.paste(text),
            _ => self.form.paste(text),
        }
    }

    pub fn key(&mut self, key: &KeyEvent, store: &mut Store, today: Date) -> EditorOutcome {
        if let Purpose::Narrative(n) = &mut self.purpose {
            self.form.message = None;
            return match n.key(key) {
                narrative::NarrativeEvent::Nothing => EditorOutcome::Stay,
                narrative::NarrativeEvent::Close => EditorOutcome::Close(None),
                narrative::NarrativeEvent::Save => self.save(store, today),
            };
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
                    self.purpose.left(&mut self.form, left, &self.lists);
                }
                EditorOutcome::Stay
            }
            FormEvent::Close => self.close(),
            FormEvent::Save => self.save(store, today),
        }
    }

    fn close(&mut self) -> EditorOutcome {
        let Purpose::Lift(flow) = &mut self.purpose else { return EditorOutcome::Close(None) };
        let today = self.form.today;
        match std::mem::replace(&mut flow.step, Step::Referral) {
            // Back from the case to the referral as it was typed: nothing of it is saved yet.
            Step::Case(pending) => {
                self.form = pending.referral_form;
                self.form.confirm_leave = false;
                self.form.message =
                    Some("Not saved yet: change the outcome, or Ctrl-S to open the case".into());
                EditorOutcome::Stay
            }
            // A half-typed referral discarded: the meeting stays open for the next child.
            Step::Referral if self.form.dirty => {
                self.form = lift::referral_form(flow, &self.lists, today);
                self.form.message =
                    Some("That referral was discarded. The next child, or Esc to finish".into());
                EditorOutcome::Stay
            }
            Step::Referral => EditorOutcome::Close(Some(flow.summary())),
            Step::Meeting => EditorOutcome::Close(None),
        }
    }

    /// Draws the editor: its form, or the narrative's own editor.
    pub fn draw(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        theme: &crate::tui::theme::Theme,
    ) {
        match &self.purpose {
            Purpose::Narrative(n) => n.draw(frame, area, theme, self.form.message.as_deref()),
            _ => self.form.draw(frame, area, theme),
        }
    }

    /// The changes the form asks for.
    fn ops(&self, store: &Store) -> Result<Vec<Op>, Problems> {
        let mut new_key = Editor::key_maker(store);
        match &self.purpose {
            Purpose::Record { kind, original } => {
                let key = original.as_ref().map(|r| r.key()).unwrap_or_else(|| new_key(*kind));
                let spec = spec::of(*kind).ok_or_else(|| {
                    vec![(String::new(), format!("{} records are not edited in a form", kind.label()))]
                })?;
                let on = spec::On::new(&self.lists, self.form.today);
                let record = spec.read(&self.form, key, original.as_ref(), &on)?;
                Ok(vec![if original.is_some() { Op::Replace(record) } else { Op::Add(record) }])
            }
            Purpose::Case { action, detail } => {
                case::ops(*action, &self.form, detail, &self.lists, &mut new_key)
            }
            Purpose::Lift(flow) => match &flow.step {
                Step::Meeting => {
                    let key = new_key(RecordKind::LiftMeeting);
                    let on = spec::On::new(&self.lists, self.form.today);
                    Ok(vec![Op::Add(spec::activities::LIFT_MEETING.read(&self.form, key, None, &on)?)])
                }
                Step::Referral => Ok(lift::referral_ops(&self.form, flow, &self.lists, &mut new_key)?.0),
                Step::Case(pending) => lift::case_ops(&self.form, pending, &self.lists, &mut new_key),
            },
            Purpose::TermDates(year) => returns::term_dates_ops(&self.form, *year),
            Purpose::Manual(target) => returns::manual_ops(&self.form, target),
            Purpose::Narrative(n) => Ok(n.ops()),
            Purpose::Note(target) => Ok(returns::note_ops(&self.form, target)),
            Purpose::Export(_) => Ok(Vec::new()),
        }
    }

    /// Runs the long work of an editor (writing a return): the message for the status line, or
    /// the editor again with the problems beside its fields.
    /// With the message, the folder written to.
    pub fn work(mut self: Box<Self>, store: &mut Store) -> Result<(String, Option<PathBuf>), Box<Editor>> {
        let Purpose::Export(target) = &self.purpose else { return Ok((String::new(), None)) };
        match returns::export(&self.form, target, store) {
            Ok(path) => Ok((format!("Wrote {}", path.display()), path.parent().map(PathBuf::from))),
            Err(problems) => {
                self.form.show_problems(&problems);
                Err(self)
            }
        }
    }

    fn save(&mut self, store: &mut Store, today: Date) -> EditorOutcome {
        if let Purpose::Export(target) = &self.purpose {
            let period = match target.span {
                crate::domain::Scope::Year => format!("{} (whole year)", target.year),
                span => format!("{} {}", target.year, span.short()),
            };
            return EditorOutcome::Work(format!("Writing the return of {period}…"));
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
        if let Purpose::Lift(flow) = &mut self.purpose
            && let Some(outcome) = lift_before_saving(flow, &mut self.form, &self.lists, store, &ops, today)
        {
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
        let mut status = self.saved_message(&ops, named);
        status.push_str(&setting_twins(store, &ops));
        if let Purpose::Narrative(n) = &mut self.purpose {
            // The narrative stays open: the next heading, or more of this one.
            n.saved();
            return EditorOutcome::Saved { status, done, close: false };
        }
        let Purpose::Lift(flow) = &mut self.purpose else {
            return EditorOutcome::Saved { status, done, close: true };
        };
        // A new child added inline can be chosen for the next referral.
        for op in &ops {
            if let Op::Add(Record::Child(c)) = op {
                self.lists.children.push(ChildChoice {
                    key: c.key.clone(),
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    dob: c.dob,
                    setting: c.setting.clone(),
                    setting_name: None,
                });
            }
        }
        match &flow.step {
            Step::Meeting => {
                if let Some(Op::Add(Record::LiftMeeting(m))) = ops.first() {
                    flow.meeting_saved(m.clone(), true);
                }
            }
            Step::Referral => flow.referral_saved(false),
            Step::Case(_) => flow.referral_saved(ops.iter().any(|op| matches!(op, Op::Add(Record::Case(_))))),
        }
        self.form = lift::referral_form(flow, &self.lists, today);
        EditorOutcome::Saved { status, done, close: false }
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

    /// What the status line says after a save, in the terms of the flow when there is one.
    fn saved_message(&self, ops: &[Op], named: String) -> String {
        let Purpose::Lift(flow) = &self.purpose else { return named };
        // A child added with this save is not in the lists yet: named from the save itself.
        let child = |key: &str| {
            let added = ops.iter().find_map(|op| match op {
                Op::Add(Record::Child(c)) if c.key == key => {
                    Some((c.first_name.clone(), c.last_name.clone()))
                }
                _ => None,
            });
            let listed = || self.lists.child(key).map(|c| (c.first_name.clone(), c.last_name.clone()));
            added.or_else(listed).map_or_else(
                || "the child".to_string(),
                |(first, last)| crate::tui::widgets::child_name(&first, &last, self.initials),
            )
        };
        let referral = ops.iter().find_map(|op| match op {
            Op::Add(Record::Referral(r)) => Some(r),
            _ => None,
        });
        match (&flow.step, referral) {
            (Step::Meeting, _) => "Saved the LIFT meeting: now the children discussed".to_string(),
            (Step::Referral, Some(r)) => {
                format!(
                    "Saved referral {} of this meeting, for {}",
                    flow.earlier + flow.referrals + 1,
                    child(&r.child)
                )
            }
            (Step::Case(pending), _) => {
                let teacher = self
                    .form
                    .picked(id::STAFF)
                    .and_then(|k| self.lists.staff.iter().find(|s| s.key == k).map(|s| s.name.clone()))
                    .unwrap_or_default();
                let what = if pending.open_case.is_some() { "the open case" } else { "a new case" };
                format!(
                    "Saved the referral of {} with {what}, teacher {teacher}",
                    child(&pending.referral.child)
                )
            }
            _ => named,
        }
    }

    /// Shows why the store refused a save, beside the fields concerned.
    fn refused(&mut self, e: SaveError) {
        let problems: Problems = problems_of(e)
            .into_iter()
            .map(|(field, message)| (case::field_of_rule(&self.form, field), message))
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

/// Before a LIFT step is saved: a meeting with no setting is held until its first child; an
/// allocated referral goes on to its case (checked first, so the case form never follows a
/// referral that could not be saved). `None`: save the steps now.
fn lift_before_saving(
    flow: &mut LiftFlow,
    form: &mut Form,
    lists: &Lists,
    store: &mut Store,
    ops: &[Op],
    today: Date,
) -> Option<EditorOutcome> {
    match (&flow.step, ops) {
        (Step::Meeting, [Op::Add(Record::LiftMeeting(m))]) if m.settings.is_empty() => {
            if let Err(e) = store.try_change(ops, today) {
                form.show_problems(&problems_of(e));
                return Some(EditorOutcome::Stay);
            }
            flow.meeting_saved(m.clone(), false);
            *form = lift::referral_form(flow, lists, today);
            Some(EditorOutcome::Stay)
        }
        (Step::Referral, _) => {
            let referral = ops.iter().find_map(|op| match op {
                Op::Add(Record::Referral(r))
                    if r.outcome == Some(crate::domain::ReferralOutcome::Allocated) =>
                {
                    Some(r.clone())
                }
                _ => None,
            })?;
            if let Err(e) = store.try_change(ops, today) {
                form.show_problems(&problems_of(e));
                return Some(EditorOutcome::Stay);
            }
            let open_case = match store.reader().open_case_of(&referral.child, referral.received) {
                Ok(Some(id)) => store.reader().case_detail(id).ok().flatten().map(Box::new),
                _ => None,
            };
            let meeting_date = flow.meeting.as_ref().map_or(today, |m| m.date);
            let pending =
                lift::Pending { referral_form: form.clone(), ops: ops.to_vec(), referral, open_case };
            *form = lift::case_form(&pending, lists, meeting_date, today);
            flow.step = Step::Case(Box::new(pending));
            Some(EditorOutcome::Stay)
        }
        _ => None,
    }
}

/// A save refused because someone changed the record since: said once, above the fields.
fn stale_problem(why: String) -> Problems {
    vec![(
        String::new(),
        format!("{why}. What you typed is kept: Esc, then open the record again to see the change"),
    )]
}

/// Why the store refused, as messages for the form's fields.
fn problems_of(e: SaveError) -> Problems {
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
