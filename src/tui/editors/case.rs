//! The actions on a case: allocate or change teacher, add and end targets, record a review or a
//! visit, close with a reason, open a new case for the child, and edit the case.

use super::records::{Lists, Problems, areas, codes, needs, phases, yes_no};
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

/// Leaving the area of need offers that area's need types.
pub fn left(form: &mut Form, left: FieldId) {
    if left == id::AREA {
        let area = form.picked(id::AREA).and_then(|a| a.parse().ok());
        if let Some(f) = form.field_mut(id::NEED) {
            f.set_options(super::records::needs(area));
        }
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
    let teacher = current_allocation(d, today).map(|a| a.staff.clone()).unwrap_or_default();
    let fields = match action {
        CaseAction::Allocate => vec![
            Field::choice(id::STAFF, "Teacher", lists.teacher_choices(today, None)),
            Field::date(id::START, "From").with("today"),
        ],
        CaseAction::AddTarget => {
            vec![Field::text(id::TEXT, "Target"), Field::date(id::SET, "Set on").with("today")]
        }
        CaseAction::EndTarget => {
            let open: Vec<Choice> = d
                .targets
                .iter()
                .filter(|t| t.ended.is_none())
                .map(|t| Choice::new(&t.key, t.text.clone()))
                .collect();
            vec![Field::choice(id::TARGET, "Target", open), Field::date(id::ENDED, "Ended on").with("today")]
        }
        CaseAction::Review => {
            // The target reviewed: one of the case's targets in force (none: all of them).
            let targets: Vec<Choice> = d
                .targets
                .iter()
                .filter(|t| t.ended.is_none_or(|e| e >= today))
                .map(|t| Choice::new(&t.key, t.text.clone()))
                .collect();
            vec![
                Field::date(id::DATE, "Reviewed on").with("today"),
                Field::choice(
                    id::OUTCOME,
                    "Outcome",
                    codes(ReviewOutcome::ALL, ReviewOutcome::code, ReviewOutcome::label),
                ),
                Field::choice(id::TARGET, "Target reviewed (none: all)", targets).optional(),
                Field::text(id::NOTES, "Notes").optional(),
            ]
        }
        CaseAction::Visit => vec![
            Field::date(id::DATE, "Visited on").with("today"),
            Field::choice(id::STAFF, "By", lists.teacher_choices(today, None)).optional().with(&teacher),
            Field::choice(
                id::PURPOSE,
                "Purpose",
                codes(VisitPurpose::ALL, VisitPurpose::code, VisitPurpose::label),
            )
            .optional(),
            Field::text(id::NOTES, "Notes").optional(),
        ],
        CaseAction::Note => vec![
            Field::text(id::TEXT, "Note or contact"),
            Field::date(id::DATE, "On").with("today"),
            Field::choice(id::STAFF, "By", lists.teacher_choices(today, None)).optional().with(&teacher),
        ],
        CaseAction::Close => vec![
            Field::date(id::CLOSED, "Closed on").with("today"),
            Field::choice(
                id::CLOSURE_REASON,
                "Reason",
                codes(ClosureReason::ALL, ClosureReason::code, ClosureReason::label),
            ),
        ],
        CaseAction::Reopen => vec![Field::date(id::REOPENED, "Reopened on").with("today")],
        CaseAction::NewCase | CaseAction::Edit => {
            let editing = action == CaseAction::Edit;
            let mut fields = vec![
                // Editing: what was valid when the case opened, and the case's own setting.
                Field::choice(
                    id::SETTING,
                    "Setting",
                    if editing {
                        lists.setting_choices(c.opened, std::slice::from_ref(&c.setting))
                    } else {
                        lists.setting_choices(today, &[])
                    },
                )
                .with(&c.setting),
                Field::choice(id::PHASE, "Phase", phases()).with(c.phase.code()),
                Field::choice(id::AREA, "Area of need", areas()).with(c.area.code()),
                Field::choice(id::NEED, "Need type", needs(Some(c.area)))
                    .optional()
                    .with(c.need.map_or("", |n| n.code())),
                Field::date(id::OPENED, "Opened").with(&if editing {
                    c.opened.to_string()
                } else {
                    "today".into()
                }),
                Field::choice(id::OUTREACH, "Special-school outreach", yes_no())
                    .with(if c.outreach && editing { "yes" } else { "no" }),
            ];
            if editing {
                fields.push(
                    Field::date(id::CLOSED, "Closed")
                        .optional()
                        .with(&c.closed.map(|d| d.to_string()).unwrap_or_default()),
                );
                fields.push(
                    Field::choice(
                        id::CLOSURE_REASON,
                        "Closure reason",
                        codes(ClosureReason::ALL, ClosureReason::code, ClosureReason::label),
                    )
                    .optional()
                    .with(c.closure_reason.map_or("", |r| r.code())),
                );
            }
            fields
        }
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
    new_key: &mut dyn FnMut(RecordKind) -> String,
) -> Result<Vec<Op>, Problems> {
    let c = &d.case;
    let date =
        |id: FieldId| form.date(id).ok_or_else(|| vec![(id.as_str().to_string(), "required".to_string())]);
    let picked = |id: FieldId| {
        form.picked(id).ok_or_else(|| vec![(id.as_str().to_string(), "choose one".to_string())])
    };
    Ok(match action {
        CaseAction::Allocate => {
            let start = date(id::START)?;
            let staff = picked(id::STAFF)?;
            let mut ops = Vec::new();
            // Changing teacher: the allocation in force ends the day before the new one starts, so a
            // case never has two teachers on one day.
            if let Some(old) = current_allocation(d, start) {
                if old.staff == staff {
                    return Err(vec![("staff".into(), "this teacher is already allocated".into())]);
                }
                if start <= old.start {
                    let name =
                        d.allocations.iter().find(|a| a.record.key == old.key).and_then(|a| a.name.clone());
                    return Err(vec![(
                        "start".into(),
                        format!(
                            "{} has been the teacher since {}: a new teacher can start on {} or later (to \
                             correct that allocation instead, edit it in the chronology)",
                            name.unwrap_or_else(|| old.staff.clone()),
                            old.start.uk(),
                            old.start.succ().uk()
                        ),
                    )]);
                }
                ops.push(Op::Replace(Record::Allocation(Allocation {
                    end: Some(start.pred()),
                    ..old.clone()
                })));
            }
            ops.push(Op::Add(Record::Allocation(Allocation {
                key: new_key(RecordKind::Allocation),
                case: c.key.clone(),
                staff,
                start,
                end: None,
            })));
            ops
        }
        CaseAction::AddTarget => vec![Op::Add(Record::Target(Target {
            key: new_key(RecordKind::Target),
            case: c.key.clone(),
            text: form.text(id::TEXT),
            set: date(id::SET)?,
            ended: None,
            review_by: None,
        }))],
        CaseAction::EndTarget => {
            let key = picked(id::TARGET)?;
            let Some(t) = d.targets.iter().find(|t| t.key == key) else {
                return Err(vec![("target".into(), "choose one of the open targets".into())]);
            };
            vec![Op::Replace(Record::Target(Target { ended: Some(date(id::ENDED)?), ..t.clone() }))]
        }
        CaseAction::Review => vec![Op::Add(Record::Review(Review {
            key: new_key(RecordKind::Review),
            case: c.key.clone(),
            date: date(id::DATE)?,
            outcome: picked(id::OUTCOME)?
                .parse()
                .map_err(|_| vec![("outcome".to_string(), "choose one".to_string())])?,
            notes: form.opt_text(id::NOTES),
            target: form.picked(id::TARGET),
        }))],
        CaseAction::Visit => vec![Op::Add(Record::Visit(Visit {
            key: new_key(RecordKind::Visit),
            case: c.key.clone(),
            date: date(id::DATE)?,
            staff: form.picked(id::STAFF),
            purpose: form.picked(id::PURPOSE).and_then(|p| p.parse().ok()),
            notes: form.opt_text(id::NOTES),
        }))],
        CaseAction::Note => vec![Op::Add(Record::CaseNote(CaseNote {
            key: new_key(RecordKind::CaseNote),
            case: c.key.clone(),
            date: date(id::DATE)?,
            text: form.text(id::TEXT),
            staff: form.picked(id::STAFF),
        }))],
        CaseAction::Close => vec![Op::Replace(Record::Case(Case {
            closed: Some(date(id::CLOSED)?),
            closure_reason: Some(
                picked(id::CLOSURE_REASON)?
                    .parse()
                    .map_err(|_| vec![("closure_reason".to_string(), "choose one".to_string())])?,
            ),
            ..c.clone()
        }))],
        CaseAction::Reopen => {
            let on = date(id::REOPENED)?;
            let Some(closed) = c.closed else {
                return Err(vec![("reopened".into(), "the case is open".into())]);
            };
            if on < closed {
                return Err(vec![(
                    "reopened".into(),
                    format!("the case closed on {}: it reopens on that day or later", closed.uk()),
                )]);
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
        CaseAction::NewCase | CaseAction::Edit => {
            let mut problems = Problems::new();
            let parse = |id: FieldId| form.picked(id);
            let case = Case {
                key: if action == CaseAction::Edit { c.key.clone() } else { new_key(RecordKind::Case) },
                child: c.child.clone(),
                setting: parse(id::SETTING).unwrap_or_default(),
                phase: parse(id::PHASE).and_then(|p| p.parse().ok()).unwrap_or(c.phase),
                area: parse(id::AREA).and_then(|a| a.parse().ok()).unwrap_or(c.area),
                need: parse(id::NEED).and_then(|n| n.parse().ok()),
                opened: form.date(id::OPENED).unwrap_or(form.today),
                closed: if action == CaseAction::Edit { form.date(id::CLOSED) } else { None },
                closure_reason: if action == CaseAction::Edit {
                    parse(id::CLOSURE_REASON).and_then(|r| r.parse().ok())
                } else {
                    None
                },
                referral: if action == CaseAction::Edit { c.referral.clone() } else { None },
                outreach: parse(id::OUTREACH).as_deref() == Some("yes"),
                // Not on the form yet: an edit keeps them, a new case starts without.
                open_reason: if action == CaseAction::Edit { c.open_reason } else { None },
                senif: action == CaseAction::Edit && c.senif,
            };
            if case.setting.is_empty() {
                problems.push(("setting".into(), "choose one".into()));
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            vec![if action == CaseAction::Edit {
                Op::Replace(Record::Case(case))
            } else {
                Op::Add(Record::Case(case))
            }]
        }
    })
}
