//! One form specification per record kind: its fields (empty for a new record, filled from a
//! stored one), the record a filled form makes, and what leaving a field does. Every path that
//! creates or edits a record builds its form here: the Register and the activity lists (`n`, `e`),
//! the Case screen's actions (add a target, record a visit, ...) and the LIFT flow's referrals, so
//! a field added to a record kind is added once, for creating and editing alike.

/// The record of a kind, when `original` is one.
macro_rules! as_kind {
    ($original:expr, $variant:ident) => {
        match $original {
            Some(crate::domain::Record::$variant(r)) => Some(r),
            _ => None,
        }
    };
}

pub mod activities;
mod case_items;
mod monitoring;
pub mod people;
mod register;

pub use people::{CHILD, REFERRAL};

use super::records::{Lists, Problems};
use crate::domain::{Date, LiftMeeting, Record, RecordKind};
use crate::store::CaseDetail;
use crate::tui::field_id::FieldId;
use crate::tui::form::{Field, Form};

/// What a form is made in the light of: the lists to choose from, the day, and for a record of a
/// case (a target, a visit, ...) the case; for a referral, the LIFT meeting it is discussed at.
#[derive(Clone, Copy)]
pub struct On<'a> {
    pub lists: &'a Lists,
    pub today: Date,
    pub case: Option<&'a CaseDetail>,
    pub meeting: Option<&'a LiftMeeting>,
    /// For a new monitoring meeting, the last one before it (whose open actions it carries).
    pub monitoring: Option<&'a crate::domain::MonitoringMeeting>,
}

impl<'a> On<'a> {
    pub fn new(lists: &'a Lists, today: Date) -> On<'a> {
        On { lists, today, case: None, meeting: None, monitoring: None }
    }

    pub fn on_case(self, case: Option<&'a CaseDetail>) -> On<'a> {
        On { case, ..self }
    }

    pub fn at_meeting(self, meeting: Option<&'a LiftMeeting>) -> On<'a> {
        On { meeting, ..self }
    }

    pub fn after_monitoring(self, monitoring: Option<&'a crate::domain::MonitoringMeeting>) -> On<'a> {
        On { monitoring, ..self }
    }
}

/// A record kind's form: its fields, the record they make, what leaving a field does.
pub struct Spec {
    pub kind: RecordKind,
    fields: fn(Option<&Record>, &On) -> Vec<Field>,
    /// The record made from a filled form: `key` for a new one, the original's links kept when
    /// editing. Problems found are pushed; the record is then `None` or not to be saved.
    read: fn(&Form, String, Option<&Record>, &On, &mut Problems) -> Option<Record>,
    left: fn(&mut Form, FieldId, &Lists),
}

/// The kinds with a form, each once.
const SPECS: &[Spec] = &[
    register::DISTRICT,
    register::SETTING,
    register::STAFF,
    activities::CLINIC,
    activities::TRAINING,
    activities::TRANSITION,
    activities::LIFT_MEETING,
    activities::GROUP_WORK,
    monitoring::MONITORING_MEETING,
    people::CHILD,
    people::REFERRAL,
    people::CASE,
    case_items::ALLOCATION,
    case_items::TARGET,
    case_items::REVIEW,
    case_items::VISIT,
    case_items::CASE_NOTE,
];

/// The form specification of a record kind; `None` for kinds not edited in a form.
pub fn of(kind: RecordKind) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.kind == kind)
}

impl Spec {
    /// The fields, empty (new) or filled from `original`.
    pub fn fields(&self, original: Option<&Record>, on: &On) -> Vec<Field> {
        (self.fields)(original, on)
    }

    /// The whole form: "New …" or "Edit …", clean (nothing typed yet).
    pub fn form(&self, original: Option<&Record>, on: &On) -> Form {
        let verb = if original.is_some() { "Edit" } else { "New" };
        let mut form =
            Form::new(format!("{verb} {}", self.kind.label()), on.today, self.fields(original, on));
        form.dirty = false;
        form
    }

    /// The record a filled form makes, or the problems beside their fields.
    pub fn read(
        &self,
        form: &Form,
        key: String,
        original: Option<&Record>,
        on: &On,
    ) -> Result<Record, Problems> {
        let mut problems = Problems::new();
        match (self.read)(form, key, original, on, &mut problems) {
            Some(record) if problems.is_empty() => Ok(record),
            _ if !problems.is_empty() => Err(problems),
            _ => Err(vec![(String::new(), format!("this {} cannot be made here", self.kind.label()))]),
        }
    }

    /// What leaving a field does: the fields that follow from it.
    pub fn left(&self, form: &mut Form, left: FieldId, lists: &Lists) {
        (self.left)(form, left, lists)
    }
}

/// Leaving a field changes nothing else.
fn nothing_follows(_: &mut Form, _: FieldId, _: &Lists) {}

/// Leaving the area of need offers that area's need types.
fn area_narrows_needs(form: &mut Form, left: FieldId, _: &Lists) {
    if left == crate::tui::field_id::AREA {
        let area = form.picked(crate::tui::field_id::AREA).and_then(|a| a.parse().ok());
        if let Some(f) = form.field_mut(crate::tui::field_id::NEED) {
            f.set_options(super::records::needs(area));
        }
    }
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A field's value parsed as a code, or a problem for that field.
fn code<T: std::str::FromStr>(form: &Form, id: FieldId, problems: &mut Problems) -> Option<T> {
    let value = form.picked(id)?;
    match value.parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            problems.push((id.as_str().to_string(), format!("\"{value}\" is not allowed here")));
            None
        }
    }
}

/// A value the record cannot be without: "required" beside its field when missing.
fn required<T>(v: Option<T>, id: FieldId, problems: &mut Problems) -> Option<T> {
    if v.is_none() {
        problems.push((id.as_str().to_string(), "required".to_string()));
    }
    v
}

/// A code the record cannot be without: "choose one" when none is picked.
fn chosen_code<T: std::str::FromStr>(form: &Form, id: FieldId, problems: &mut Problems) -> Option<T> {
    chosen(form, id, problems)?;
    code(form, id, problems)
}

/// A choice the record cannot be without: "choose one" beside its field when none is picked.
fn chosen(form: &Form, id: FieldId, problems: &mut Problems) -> Option<String> {
    let v = form.picked(id);
    if v.is_none() {
        problems.push((id.as_str().to_string(), "choose one".to_string()));
    }
    v
}
