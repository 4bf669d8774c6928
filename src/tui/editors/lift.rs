//! Recording a LIFT meeting, the most-used flow: the meeting, then the children discussed one
//! after another; an `allocated` outcome goes straight on to open the case and allocate a teacher.

use super::records::{Lists, Problems, form_for, problem};
use super::spec::{self, On};
use crate::domain::*;
use crate::store::{CaseDetail, ChildChoice, Op};
use crate::tui::field_id::{self as id, FieldId};
use crate::tui::form::{Choice, Field, Form};

/// The choice that adds a new child inline.
pub const NEW_CHILD: &str = crate::tui::form::ADD_NEW;

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Meeting,
    Referral,
    /// An allocated referral: its case is opened (or, when the child has one open, allocated on)
    /// before anything of the referral is saved, so referral, case and allocation are saved
    /// together or not at all.
    Case(Box<Pending>),
}

/// An allocated referral waiting for its case.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The referral form as filled in, to go back to.
    pub referral_form: Form,
    /// What saving the referral writes: the meeting (when not stored yet), a new child, the referral.
    pub ops: Vec<Op>,
    pub referral: Referral,
    /// The child's case open on the meeting's day: allocated on, instead of opening another.
    pub open_case: Option<Box<CaseDetail>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LiftFlow {
    pub meeting: Option<LiftMeeting>,
    /// The meeting is in the database. One with no setting attending is saved with its first
    /// child, so a meeting with no setting and no child is never saved.
    pub stored: bool,
    pub step: Step,
    /// Referrals of the meeting saved before this flow began (when adding to a stored meeting).
    pub earlier: usize,
    pub referrals: usize,
    pub cases: usize,
}

impl LiftFlow {
    pub fn new() -> LiftFlow {
        LiftFlow { meeting: None, stored: false, step: Step::Meeting, earlier: 0, referrals: 0, cases: 0 }
    }

    /// More referrals for a stored meeting that has `earlier` already (`n` on its children).
    pub fn adding_to(meeting: LiftMeeting, earlier: usize) -> LiftFlow {
        LiftFlow {
            meeting: Some(meeting),
            stored: true,
            step: Step::Referral,
            earlier,
            referrals: 0,
            cases: 0,
        }
    }

    pub fn summary(&self) -> String {
        match (&self.meeting, self.stored) {
            (Some(m), true) => format!(
                "LIFT meeting of {}: {} referral{} and {} new case{} saved",
                m.date.uk(),
                self.referrals,
                if self.referrals == 1 { "" } else { "s" },
                self.cases,
                if self.cases == 1 { "" } else { "s" },
            ),
            _ => "No LIFT meeting saved: a meeting with no setting attending and no child discussed is not kept"
                .to_string(),
        }
    }

    /// The meeting's step saved (or held): what comes next.
    pub fn meeting_saved(&mut self, meeting: LiftMeeting, stored: bool) {
        self.meeting = Some(meeting);
        self.stored = stored;
        self.step = Step::Referral;
    }

    /// A referral saved (with its case when `case`): the next referral.
    pub fn referral_saved(&mut self, case: bool) {
        self.stored = true;
        self.referrals += 1;
        self.cases += usize::from(case);
        self.step = Step::Referral;
    }

    /// The meeting as the referral's ops must write it: `None` once stored.
    pub fn meeting_to_write(&self) -> Option<&LiftMeeting> {
        self.meeting.as_ref().filter(|_| !self.stored)
    }
}

impl Default for LiftFlow {
    fn default() -> LiftFlow {
        LiftFlow::new()
    }
}

pub fn meeting_form(lists: &Lists, today: Date) -> Form {
    let mut form = form_for(RecordKind::LiftMeeting, None, lists, today).expect("meetings have a form");
    form.title = "New LIFT meeting".into();
    form.note = Some("Then the children discussed, one after another. Ctrl-S saves the meeting.".into());
    form
}

fn child_options(lists: &Lists) -> Vec<Choice> {
    // "+ new child" is listed last, with what was typed (the form puts it there).
    let mut options = lists.child_choices();
    options.push(Choice::new(NEW_CHILD, "+ new child"));
    options
}

pub fn referral_form(flow: &LiftFlow, lists: &Lists, today: Date) -> Form {
    let m = flow.meeting.as_ref();
    let mut first = Field::text(id::FIRST_NAME, "First name");
    let mut last = Field::text(id::LAST_NAME, "Last name");
    let mut dob = Field::date(id::DOB, "Date of birth");
    for f in [&mut first, &mut last, &mut dob] {
        f.hidden = true;
    }
    // The child (found, or added here), then the referral's own fields.
    let mut fields = vec![Field::choice(id::CHILD, "Child", child_options(lists)), first, last, dob];
    fields.extend(spec::REFERRAL.fields(None, &On::new(lists, today).at_meeting(m)));
    let number = flow.earlier + flow.referrals + 1;
    let mut form = Form::new(format!("Referral {number} at this meeting"), today, fields);
    // One setting came: a new child is most likely theirs (a known child's own setting replaces it).
    if let Some([only]) = m.map(|m| m.settings.as_slice())
        && let Some(f) = form.field_mut(id::SETTING)
    {
        f.set(only);
    }
    form.note = m.map(|m| {
        let kind = if m.kind == PhaseGroup::EarlyYears { "early years" } else { "school" };
        let held = if flow.stored { "" } else { " (saved with its first child)" };
        format!(
            "LIFT meeting {} ({kind}){held}. Type a child's name to find them, or to add a new child. Ctrl-S \
             saves the referral; Esc on an empty one ends the meeting.",
            m.date.uk()
        )
    });
    form
}

/// Whether the form picks a child (a LIFT referral): a twin found can be used instead.
pub fn picks_a_child(form: &Form) -> bool {
    form.field(id::CHILD).is_some()
}

/// Takes the child already recorded (the twin of the one typed) as the referral's child.
pub fn use_recorded_child(form: &mut Form, twin: &ChildChoice, lists: &Lists) {
    if let Some(f) = form.field_mut(id::CHILD) {
        f.set(&twin.key);
    }
    follow(form, id::CHILD, lists);
    form.message = None;
    form.note = Some(format!(
        "Using {} {}, already recorded. Ctrl-S saves the referral.",
        twin.first_name, twin.last_name
    ));
}

/// Fills the fields that follow from the one just left: a known child's setting and phase, the
/// phase of a setting, the need types of an area; shows the new child's fields when asked.
pub fn follow(form: &mut Form, left: FieldId, lists: &Lists) {
    match left {
        id::CHILD => {
            let new = form.picked(id::CHILD).as_deref() == Some(NEW_CHILD);
            for field in [id::FIRST_NAME, id::LAST_NAME, id::DOB] {
                form.set_hidden(field, !new);
            }
            if new {
                // The name typed to search is the new child's: "Zara Newcombe" fills both.
                let typed = form.field(id::CHILD).map(|f| f.query.clone()).unwrap_or_default();
                let (first, last) = typed.split_once(' ').unwrap_or((typed.as_str(), ""));
                for (field, value) in [(id::FIRST_NAME, first.trim()), (id::LAST_NAME, last.trim())] {
                    if let Some(f) = form.field_mut(field).filter(|f| f.input.text.is_empty()) {
                        f.set(value);
                    }
                }
                let next = if first.is_empty() {
                    id::FIRST_NAME
                } else if last.trim().is_empty() {
                    id::LAST_NAME
                } else {
                    id::DOB
                };
                form.focus_on(next);
            } else if let Some(child) = form.picked(id::CHILD).and_then(|k| lists.child(&k).cloned()) {
                if let Some(setting) = child.setting.clone() {
                    if let Some(f) = form.field_mut(id::SETTING) {
                        f.set(&setting);
                    }
                    follow(form, id::SETTING, lists);
                }
                // A child with an open case is most often brought back for the same need.
                if let Some(open) = lists.open_case(&child.key).cloned() {
                    if let Some(f) = form.field_mut(id::AREA) {
                        f.set(open.area.code());
                    }
                    follow(form, id::AREA, lists);
                    if let (Some(need), Some(f)) = (open.need, form.field_mut(id::NEED)) {
                        f.set(need.code());
                    }
                }
            }
        }
        other => spec::REFERRAL.left(form, other, lists),
    }
}

/// The records a referral form makes: the new child (when added inline) and the referral.
pub fn referral_ops(
    form: &Form,
    flow: &LiftFlow,
    lists: &Lists,
    new_key: &mut dyn FnMut(RecordKind) -> String,
) -> Result<(Vec<Op>, Referral, Option<ChildChoice>), Problems> {
    let on = On::new(lists, form.today).at_meeting(flow.meeting.as_ref());
    let read = spec::REFERRAL.read(form, new_key(RecordKind::Referral), None, &on);
    let no_child =
        form.picked(id::CHILD).is_none().then(|| (id::CHILD.as_str().to_string(), "choose one".to_string()));
    let mut referral = match (read, no_child) {
        (Ok(Record::Referral(r)), None) => r,
        (Err(mut problems), child) => {
            problems.splice(0..0, child);
            return Err(problems);
        }
        (_, child) => return Err(child.into_iter().collect()),
    };
    let mut ops: Vec<Op> =
        flow.meeting_to_write().map(|m| Op::Add(Record::LiftMeeting(m.clone()))).into_iter().collect();
    let mut new_child = None;
    let child_key = match form.picked(id::CHILD) {
        // A child added here: the child's own form's fields (name, date of birth), at the
        // referring setting.
        Some(pick) if pick == NEW_CHILD => {
            let Record::Child(child) = spec::CHILD.read(form, new_key(RecordKind::Child), None, &on)? else {
                return Err(problem(Some(id::CHILD), "choose one"));
            };
            new_child = Some(ChildChoice {
                key: child.key.clone(),
                first_name: child.first_name.clone(),
                last_name: child.last_name.clone(),
                dob: child.dob,
                setting: child.setting.clone(),
                setting_name: None,
            });
            let key = child.key.clone();
            ops.push(Op::Add(Record::Child(child)));
            key
        }
        Some(key) => key,
        None => return Err(vec![(id::CHILD.as_str().to_string(), "choose one".to_string())]),
    };
    referral.child = child_key;
    ops.push(Op::Add(Record::Referral(referral.clone())));
    Ok((ops, referral, new_child))
}

/// The case form of an allocated referral: a new case and its teacher or, when the child has a
/// case open on the meeting's day, the teacher on that case.
pub fn case_form(pending: &Pending, lists: &Lists, meeting_date: Date, today: Date) -> Form {
    let referral = &pending.referral;
    let child = lists.child(&referral.child).map_or_else(
        || "the child".to_string(),
        |c| crate::tui::widgets::child_name(&c.first_name, &c.last_name, lists.initials),
    );
    let teachers = Field::choice(id::STAFF, "Teacher", lists.teacher_choices(meeting_date, None));
    let mut form = match &pending.open_case {
        Some(open) => {
            let teacher = super::case::current_allocation(open, meeting_date).map(|a| a.staff.clone());
            let fields = vec![
                teachers.with(teacher.as_deref().unwrap_or("")),
                Field::date(id::START, "Teacher from").with(&meeting_date.to_string()),
            ];
            let mut form = Form::new("Allocate on the open case", today, fields);
            let now = crate::tui::screens::case::current_teacher(open, meeting_date);
            form.note = Some(format!(
                "{child} already has an open case ({}, {}, opened {}; teacher: {now}): the referral is \
                 saved with this allocation on it. Esc goes back to the referral.",
                open.case.key,
                open.case.area.label(),
                open.case.opened.uk()
            ));
            form
        }
        None => {
            let fields =
                vec![teachers, Field::date(id::OPENED, "Case opened").with(&meeting_date.to_string())];
            let mut form = Form::new("Open the case", today, fields);
            let need = referral.need.map(|n| format!(", {}", n.code())).unwrap_or_default();
            form.note = Some(format!(
                "Allocated: a case opens for {child} ({}, {}{need}), saved with the referral. Esc goes back to \
                 the referral.",
                referral.phase.label(),
                referral.area.label()
            ));
            form
        }
    };
    form.dirty = false;
    form
}

/// Everything an allocated referral saves: the referral's own steps, then a new case and its
/// allocation, or an allocation on the child's open case (ending the one in force the day before).
pub fn case_ops(
    form: &Form,
    pending: &Pending,
    lists: &Lists,
    new_key: &mut dyn FnMut(RecordKind) -> String,
) -> Result<Vec<Op>, Problems> {
    let referral = &pending.referral;
    let mut ops = pending.ops.clone();
    if let Some(open) = &pending.open_case {
        let staff = form.picked(id::STAFF).ok_or_else(|| problem(Some(id::STAFF), "choose the teacher"))?;
        let start = form.date(id::START).ok_or_else(|| problem(Some(id::START), "required"))?;
        // The teacher in force already: the referral alone is saved.
        if super::case::current_allocation(open, start).is_some_and(|a| a.staff == staff) {
            return Ok(ops);
        }
        ops.extend(super::case::ops(super::case::CaseAction::Allocate, form, open, lists, new_key)?);
        return Ok(ops);
    }
    let Some(staff) = form.picked(id::STAFF) else {
        return Err(problem(Some(id::STAFF), "choose the teacher"));
    };
    let Some(opened) = form.date(id::OPENED) else {
        return Err(problem(Some(id::OPENED), "required"));
    };
    let case = Case {
        key: new_key(RecordKind::Case),
        child: referral.child.clone(),
        setting: referral.setting.clone(),
        phase: referral.phase,
        area: referral.area,
        need: referral.need,
        opened,
        closed: None,
        closure_reason: None,
        referral: Some(referral.key.clone()),
        outreach: false,
        open_reason: None,
        senif: false,
    };
    let allocation = Allocation {
        key: new_key(RecordKind::Allocation),
        case: case.key.clone(),
        staff,
        start: opened,
        end: None,
    };
    ops.extend([Op::Add(Record::Case(case)), Op::Add(Record::Allocation(allocation))]);
    Ok(ops)
}
