//! Editors: a form with what it is for. An editor saves through the store (one transaction per
//! save), shows refusals beside the fields, and knows what comes next (the next referral of a
//! LIFT meeting, the case of an allocated referral).

pub mod case;
pub mod lift;
pub mod records;
pub mod returns;

use super::form::{Form, FormEvent};
use crate::domain::{Date, Record, RecordKind};
use crate::store::{CaseDetail, Done, Op, SaveError, Store, StoreError};
use case::CaseAction;
use lift::{LiftFlow, Step};
use ratatui::crossterm::event::KeyEvent;
use records::{Lists, Problems, key_prefix};

/// What an editor is for.
#[derive(Debug, Clone, PartialEq)]
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
}

pub struct Editor {
    pub form: Form,
    pub purpose: Purpose,
    pub lists: Lists,
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
        Editor { form, purpose, lists }
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

    pub fn key(&mut self, key: &KeyEvent, store: &mut Store, today: Date) -> EditorOutcome {
        match self.form.key(key) {
            FormEvent::Nothing => EditorOutcome::Stay,
            FormEvent::Left(i) => {
                if let Purpose::Lift(_) = self.purpose {
                    let id = self.form.fields.get(i).map(|f| f.id).unwrap_or("");
                    lift::follow(&mut self.form, id, &self.lists);
                }
                if let Some(id) = self.form.fields.get(i).map(|f| f.id)
                    && id == "area"
                    && matches!(self.purpose, Purpose::Case { .. })
                {
                    let area = self.form.picked("area").and_then(|a| a.parse().ok());
                    if let Some(f) = self.form.field_mut("need") {
                        f.set_options(records::needs(area));
                    }
                }
                EditorOutcome::Stay
            }
            FormEvent::Close => self.close(),
            FormEvent::Save => self.save(store, today),
        }
    }

    fn close(&mut self) -> EditorOutcome {
        match &self.purpose {
            Purpose::Lift(flow) => match &flow.step {
                // Skipping the case of an allocated referral goes on to the next referral.
                Step::Case(_) => {
                    let mut flow = flow.clone();
                    flow.step = Step::Referral;
                    self.form = lift::referral_form(&flow, &self.lists, self.form.today);
                    self.purpose = Purpose::Lift(flow);
                    EditorOutcome::Stay
                }
                _ => EditorOutcome::Close(Some(flow.summary())),
            },
            _ => EditorOutcome::Close(None),
        }
    }

    /// The changes the form asks for.
    fn ops(&self, store: &Store) -> Result<Vec<Op>, Problems> {
        let mut new_key = Editor::key_maker(store);
        match &self.purpose {
            Purpose::Record { kind, original } => {
                let key = original.as_ref().map(|r| r.key()).unwrap_or_else(|| new_key(*kind));
                let record = records::record_from(*kind, &self.form, key, original.as_ref())?;
                Ok(vec![if original.is_some() { Op::Replace(record) } else { Op::Add(record) }])
            }
            Purpose::Case { action, detail } => case::ops(*action, &self.form, detail, &mut new_key),
            Purpose::Lift(flow) => match &flow.step {
                Step::Meeting => {
                    let key = new_key(RecordKind::LiftMeeting);
                    Ok(vec![Op::Add(records::record_from(RecordKind::LiftMeeting, &self.form, key, None)?)])
                }
                Step::Referral => Ok(lift::referral_ops(&self.form, flow, &mut new_key)?.0),
                Step::Case(referral) => lift::case_ops(&self.form, referral, &mut new_key),
            },
            Purpose::TermDates(year) => returns::term_dates_ops(&self.form, *year),
            Purpose::Manual(target) => Ok(returns::manual_ops(&self.form, target)),
            Purpose::Export(_) => Ok(Vec::new()),
        }
    }

    /// Runs the long work of an editor (writing a return): the message for the status line, or
    /// the editor again with the problems beside its fields.
    pub fn work(mut self: Box<Self>, store: &mut Store) -> Result<String, Box<Editor>> {
        let Purpose::Export(target) = &self.purpose else { return Ok(String::new()) };
        match returns::export(&self.form, target, store) {
            Ok(path) => Ok(format!("Wrote {}", path.display())),
            Err(problems) => {
                self.form.show_problems(&problems);
                Err(self)
            }
        }
    }

    fn save(&mut self, store: &mut Store, today: Date) -> EditorOutcome {
        if let Purpose::Export(target) = &self.purpose {
            let period = target
                .term
                .map_or_else(|| format!("{} (whole year)", target.year), |t| format!("{} {t}", target.year));
            return EditorOutcome::Work(format!("Writing the return of {period}…"));
        }
        let ops = match self.ops(store) {
            Ok(ops) => ops,
            Err(problems) => {
                self.form.show_problems(&problems);
                return EditorOutcome::Stay;
            }
        };
        // The referral form's new child: remembered so the next referral can choose it.
        let new_child = match (&self.purpose, &self.form) {
            (Purpose::Lift(LiftFlow { step: Step::Referral, .. }), form) => {
                form.picked("child").filter(|c| c == lift::NEW_CHILD).and_then(|_| {
                    ops.iter().find_map(|op| match op {
                        Op::Add(Record::Child(c)) => Some(c.clone()),
                        _ => None,
                    })
                })
            }
            _ => None,
        };
        let done = match store.change(&ops, today) {
            Ok(done) => done,
            Err(e) => {
                self.refused(e);
                return EditorOutcome::Stay;
            }
        };
        let status = self.saved_message(&ops);
        match &mut self.purpose {
            Purpose::Lift(flow) => {
                let mut flow = flow.clone();
                match (&flow.step, &ops[..]) {
                    (Step::Meeting, [Op::Add(Record::LiftMeeting(m))]) => {
                        flow.meeting = Some(m.clone());
                        flow.step = Step::Referral;
                    }
                    (Step::Referral, _) => {
                        flow.referrals += 1;
                        if let Some(c) = new_child {
                            self.lists.children.push(crate::store::ChildChoice {
                                key: c.key,
                                first_name: c.first_name,
                                last_name: c.last_name,
                                dob: c.dob,
                                setting: c.setting,
                                setting_name: None,
                            });
                        }
                        let referral = ops.iter().find_map(|op| match op {
                            Op::Add(Record::Referral(r)) => Some(r.clone()),
                            _ => None,
                        });
                        flow.step = match referral {
                            Some(r) if r.outcome == Some(crate::domain::ReferralOutcome::Allocated) => {
                                Step::Case(r)
                            }
                            _ => Step::Referral,
                        };
                    }
                    (Step::Case(_), _) => {
                        flow.cases += 1;
                        flow.step = Step::Referral;
                    }
                    _ => {}
                }
                let meeting_date = flow.meeting.as_ref().map_or(today, |m| m.date);
                self.form = match &flow.step {
                    Step::Case(r) => lift::case_form(r, &self.lists, meeting_date, today),
                    _ => lift::referral_form(&flow, &self.lists, today),
                };
                self.purpose = Purpose::Lift(flow);
                EditorOutcome::Saved { status, done, close: false }
            }
            _ => EditorOutcome::Saved { status, done, close: true },
        }
    }

    /// What the status line says after a save, in the terms of the flow when there is one.
    fn saved_message(&self, ops: &[Op]) -> String {
        let Purpose::Lift(flow) = &self.purpose else { return describe(ops) };
        let child = |key: &str| {
            self.lists.child(key).map_or_else(
                || key.to_string(),
                |c| crate::tui::widgets::child_name(&c.first_name, &c.last_name, true),
            )
        };
        match &flow.step {
            Step::Meeting => "Saved the LIFT meeting: now the children discussed".to_string(),
            Step::Referral => ops
                .iter()
                .find_map(|op| match op {
                    Op::Add(Record::Referral(r)) => Some(format!(
                        "Saved referral {} for {}{}",
                        flow.referrals + 1,
                        child(&r.child),
                        if r.outcome == Some(crate::domain::ReferralOutcome::Allocated) {
                            ": now open the case"
                        } else {
                            ""
                        }
                    )),
                    _ => None,
                })
                .unwrap_or_else(|| describe(ops)),
            Step::Case(r) => {
                let teacher = self
                    .form
                    .picked("staff")
                    .and_then(|k| self.lists.staff.iter().find(|s| s.key == k).map(|s| s.name.clone()));
                format!("Opened the case of {} with {}", child(&r.child), teacher.unwrap_or_default())
            }
        }
    }

    /// Shows why the store refused a save, beside the fields concerned.
    fn refused(&mut self, e: SaveError) {
        let problems: Problems = match e {
            SaveError::Rules(rules) => rules
                .into_iter()
                .map(|(field, message)| {
                    // A new allocation's start is the case form's "opened".
                    let field = if field == "start" && self.form.field("start").is_none() {
                        "opened".into()
                    } else {
                        field
                    };
                    (field, message)
                })
                .collect(),
            SaveError::Missing(m) => {
                m.into_iter().map(|(f, kind, key)| (f, format!("there is no {kind} \"{key}\""))).collect()
            }
            other => vec![(String::new(), other.to_string())],
        };
        self.form.show_problems(&problems);
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
    Lists::read(store.reader())
}
