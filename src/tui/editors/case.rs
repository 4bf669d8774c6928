//! The actions on a case: allocate or change teacher, add and end targets, record a review or a
//! visit, close with a reason, open a new case for the child, and edit the case.

use super::records::{Lists, Problems, codes, problem};
use super::spec::{self, On};
use crate::domain::*;
use crate::store::{CaseDetail, Op};
use crate::tui::field_id::{self as id, FieldId};
use crate::tui::form::{Choice, Field, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    Allocate,
    AddTarget,
    EndTarget,
    Review,
    Visit,
    /// A dated note or contact on the case.
    Note,
    Close,
    /// A closed case opened again from a date (the gap is a note in its chronology).
    Reopen,
    NewCase,
    Edit,
}

impl CaseAction {
    /// The kind of record the action adds or edits with that kind's form; `None` for the steps
    /// that change one field of a record (end a target, close, reopen).
    pub fn kind(self) -> Option<RecordKind> {
        match self {
            CaseAction::Allocate => Some(RecordKind::Allocation),
            CaseAction::AddTarget => Some(RecordKind::Target),
            CaseAction::Review => Some(RecordKind::Review),
            CaseAction::Visit => Some(RecordKind::Visit),
            CaseAction::Note => Some(RecordKind::CaseNote),
            CaseAction::NewCase | CaseAction::Edit => Some(RecordKind::Case),
            CaseAction::EndTarget | CaseAction::Close | CaseAction::Reopen => None,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            CaseAction::Allocate => "Allocate a teacher",
            CaseAction::AddTarget => "Add a target",
            CaseAction::EndTarget => "End a target",
            CaseAction::Review => "Record a review",
            CaseAction::Visit => "Record a visit",
            CaseAction::Note => "Add a note or contact",
            CaseAction::Close => "Close the case",
            CaseAction::Reopen => "Reopen the case",
            CaseAction::NewCase => "Open a new case for the child",
            CaseAction::Edit => "Edit the case",
        }
    }
}

/// The allocation in force on a day (the case's teacher then), if any.
pub use crate::store::current_allocation;

/// What leaving a field does on a case's forms: those of the record the action makes.
pub fn left_case(action: CaseAction, form: &mut Form, left: FieldId, lists: &Lists) {
    if let Some(spec) = action.kind().and_then(spec::of) {
        spec.left(form, left, lists);
    }
}

/// The field a store rule's message goes beside: a new allocation's start is the case form's
/// "opened" when the form has no "start".
pub fn field_of_rule(form: &Form, field: String) -> String {
    if id::START == field.as_str() && form.field(id::START).is_none() {
        id::OPENED.as_str().into()
    } else {
        field
    }
}

pub fn form(action: CaseAction, d: &CaseDetail, lists: &Lists, today: Date) -> Form {
    let c = &d.case;
    let on = On::new(lists, today).on_case(Some(d));
    let editing = (action == CaseAction::Edit).then(|| Record::Case(c.clone()));
    let fields = match action.kind().and_then(spec::of) {
        Some(spec) => spec.fields(editing.as_ref(), &on),
        None => match action {
            CaseAction::EndTarget => {
                let open: Vec<Choice> = d
                    .targets
                    .iter()
                    .filter(|t| t.ended.is_none())
                    .map(|t| Choice::new(&t.key, t.text.clone()))
                    .collect();
                vec![
                    Field::choice(id::TARGET, "Target", open),
                    Field::date(id::ENDED, "Ended on").with("today"),
                ]
            }
            CaseAction::Close => vec![
                Field::date(id::CLOSED, "Closed on").with("today"),
                Field::choice(
                    id::CLOSURE_REASON,
                    "Reason",
                    codes(ClosureReason::ALL, ClosureReason::code, ClosureReason::label),
                ),
            ],
            _ => vec![Field::date(id::REOPENED, "Reopened on").with("today")],
        },
    };
    let mut form = Form::new(action.title(), today, fields);
    form.note = Some(format!("Case {} · {} · {}", c.key, c.area.label(), d.setting_name));
    form
}

/// The changes a filled form makes to the case. `new_key(kind)` gives keys for new records.
pub fn ops(
    action: CaseAction,
    form: &Form,
    d: &CaseDetail,
    lists: &Lists,
    new_key: &mut dyn FnMut(RecordKind) -> String,
) -> Result<Vec<Op>, Problems> {
    let c = &d.case;
    let date = |id: FieldId| form.date(id).ok_or_else(|| problem(Some(id), "required"));
    let picked = |id: FieldId| form.picked(id).ok_or_else(|| problem(Some(id), "choose one"));
    // The record the action's form makes (its kind's specification).
    let on = On::new(lists, form.today).on_case(Some(d));
    let editing = (action == CaseAction::Edit).then(|| Record::Case(c.clone()));
    let record = match action.kind().and_then(spec::of) {
        Some(spec) => Some(spec.read(form, new_key(spec.kind), editing.as_ref(), &on)?),
        None => None,
    };
    Ok(match (action, record) {
        (CaseAction::Allocate, Some(Record::Allocation(new))) => {
            let (start, staff) = (new.start, new.staff.clone());
            let mut ops = Vec::new();
            // Changing teacher: the allocation in force ends the day before the new one starts, so a
            // case never has two teachers on one day.
            if let Some(old) = current_allocation(d, start) {
                if old.staff == staff {
                    return Err(problem(Some(id::STAFF), "this teacher is already allocated"));
                }
                if start <= old.start {
                    let name =
                        d.allocations.iter().find(|a| a.record.key == old.key).and_then(|a| a.name.clone());
                    return Err(problem(
                        Some(id::START),
                        format!(
                            "{} has been the teacher since {}: a new teacher can start on {} or later (to \
                             correct that allocation instead, edit it in the chronology)",
                            name.unwrap_or_else(|| old.staff.clone()),
                            old.start.uk(),
                            old.start.succ().uk()
                        ),
                    ));
                }
                ops.push(Op::Replace(Record::Allocation(Allocation {
                    end: Some(start.pred()),
                    ..old.clone()
                })));
            }
            ops.push(Op::Add(Record::Allocation(new)));
            ops
        }
        (CaseAction::Edit, Some(record)) => vec![Op::Replace(record)],
        (_, Some(record)) => vec![Op::Add(record)],
        (CaseAction::EndTarget, _) => {
            let key = picked(id::TARGET)?;
            let Some(t) = d.targets.iter().find(|t| t.key == key) else {
                return Err(problem(Some(id::TARGET), "choose one of the open targets"));
            };
            vec![Op::Replace(Record::Target(Target { ended: Some(date(id::ENDED)?), ..t.clone() }))]
        }
        (CaseAction::Close, _) => vec![Op::Replace(Record::Case(Case {
            closed: Some(date(id::CLOSED)?),
            closure_reason: Some(
                picked(id::CLOSURE_REASON)?
                    .parse()
                    .map_err(|_| problem(Some(id::CLOSURE_REASON), "choose one"))?,
            ),
            ..c.clone()
        }))],
        (CaseAction::Reopen, _) => {
            let on = date(id::REOPENED)?;
            let Some(closed) = c.closed else {
                return Err(problem(Some(id::REOPENED), "the case is open"));
            };
            if on < closed {
                return Err(problem(
                    Some(id::REOPENED),
                    format!("the case closed on {}: it reopens on that day or later", closed.uk()),
                ));
            }
            let reason =
                c.closure_reason.map(|r| format!(" ({})", r.label().to_lowercase())).unwrap_or_default();
            // The case is open again, its work still on it; the closing it had is kept as a note,
            // dated the day it reopened, so the chronology says what happened.
            vec![
                Op::Replace(Record::Case(Case { closed: None, closure_reason: None, ..c.clone() })),
                Op::Add(Record::CaseNote(CaseNote {
                    key: new_key(RecordKind::CaseNote),
                    case: c.key.clone(),
                    date: on,
                    text: format!("Case reopened on {}; it had closed on {}{reason}", on.uk(), closed.uk()),
                    staff: None,
                })),
            ]
        }
        // Every other action's kind has a form, read above.
        (_, None) => Vec::new(),
    })
}

/// An action on the case shown, in its form.
pub struct CaseEdit {
    pub action: CaseAction,
    pub detail: Box<CaseDetail>,
}

impl super::flow::Flow for CaseEdit {
    fn ops(
        &self,
        form: &Form,
        lists: &Lists,
        new_key: &mut dyn FnMut(RecordKind) -> String,
    ) -> Result<Vec<Op>, Problems> {
        ops(self.action, form, &self.detail, lists, new_key)
    }

    fn left(&self, form: &mut Form, left: FieldId, lists: &Lists) {
        left_case(self.action, form, left, lists)
    }

    fn field_of_rule(&self, form: &Form, field: String) -> String {
        field_of_rule(form, field)
    }
}
