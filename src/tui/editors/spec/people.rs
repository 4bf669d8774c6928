//! Children, their referrals and their cases.

use super::{On, Spec, area_narrows_needs, chosen, chosen_code, code, required};
use crate::domain::*;
use crate::tui::editors::records::{Lists, Problems, areas, codes, needs, phases, yes_no};
use crate::tui::field_id::{self as id, FieldId};
use crate::tui::form::{Choice, Field, Form};

pub const CHILD: Spec =
    Spec { kind: RecordKind::Child, fields: child_fields, read: child, left: super::nothing_follows };
pub const REFERRAL: Spec =
    Spec { kind: RecordKind::Referral, fields: referral_fields, read: referral, left: referral_left };
pub const CASE: Spec =
    Spec { kind: RecordKind::Case, fields: case_fields, read: case, left: area_narrows_needs };

fn child_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let c = as_kind!(o, Child);
    let held = c.map_or(&[][..], |c| c.setting.as_slice());
    vec![
        Field::text(id::FIRST_NAME, "First name").with(c.map_or("", |c| &c.first_name)),
        Field::text(id::LAST_NAME, "Last name").with(c.map_or("", |c| &c.last_name)),
        Field::date(id::DOB, "Date of birth").with(&c.map(|c| c.dob.to_string()).unwrap_or_default()),
        Field::text(id::UPN, "UPN").optional().with(c.and_then(|c| c.upn.as_deref()).unwrap_or("")),
        Field::choice(id::SETTING, "Setting", on.lists.setting_choices(on.today, held))
            .optional()
            .with(c.and_then(|c| c.setting.as_deref()).unwrap_or("")),
    ]
}

fn child(form: &Form, key: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    Some(Record::Child(Child {
        key,
        first_name: form.text(id::FIRST_NAME),
        last_name: form.text(id::LAST_NAME),
        dob: required(form.date(id::DOB), id::DOB, p).unwrap_or(form.today),
        upn: form.opt_text(id::UPN),
        setting: form.picked(id::SETTING),
    }))
}

/// The settings offered for a referral: those attending its meeting first.
fn attending_first(mut options: Vec<Choice>, meeting: Option<&LiftMeeting>) -> Vec<Choice> {
    let attending = |c: &Choice| meeting.is_some_and(|m| m.settings.contains(&c.value));
    options.sort_by_key(|c| !attending(c));
    options
}

/// A referral's fields, in the order of the LIFT flow (the received date, the meeting's, last).
/// The child is chosen by the flow that makes the referral (a new referral is made at LIFT).
fn referral_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let r = as_kind!(o, Referral);
    let received = r.map(|r| r.received).or(on.meeting.map(|m| m.date)).unwrap_or(on.today);
    let held = r.map_or(&[][..], |r| std::slice::from_ref(&r.setting));
    vec![
        Field::choice(
            id::SETTING,
            "Referring setting",
            attending_first(on.lists.setting_choices(received, held), on.meeting),
        )
        .with(r.map_or("", |r| &r.setting)),
        Field::choice(id::PHASE, "Phase", phases()).with(r.map_or("", |r| r.phase.code())),
        Field::choice(id::AREA, "Area of need", areas()).with(r.map_or("", |r| r.area.code())),
        Field::choice(id::NEED, "Need type", needs(r.map(|r| r.area)))
            .optional()
            .with(r.and_then(|r| r.need).map_or("", |n| n.code())),
        Field::choice(
            id::OUTCOME,
            "Outcome",
            codes(ReferralOutcome::ALL, ReferralOutcome::code, ReferralOutcome::label),
        )
        .optional()
        .with(r.and_then(|r| r.outcome).map_or("", |o| o.code())),
        Field::date(id::RECEIVED, "Received").with(&received.to_string()),
    ]
}

fn referral(form: &Form, key: String, o: Option<&Record>, on: &On, p: &mut Problems) -> Option<Record> {
    let r = as_kind!(o, Referral);
    let setting = chosen(form, id::SETTING, p);
    let phase = chosen_code(form, id::PHASE, p);
    let area = chosen_code(form, id::AREA, p);
    Some(Record::Referral(Referral {
        key: r.map_or(key, |r| r.key.clone()),
        // A new referral's child is the flow's to give (the LIFT form's child, or one added).
        child: r.map(|r| r.child.clone()).or_else(|| form.picked(id::CHILD)).unwrap_or_default(),
        setting: setting.unwrap_or_default(),
        received: required(form.date(id::RECEIVED), id::RECEIVED, p).unwrap_or(form.today),
        phase: phase.unwrap_or(Phase::Primary),
        area: area.unwrap_or(Area::Semh),
        need: code(form, id::NEED, p),
        lift_meeting: r.map_or(on.meeting.map(|m| m.key.clone()), |r| r.lift_meeting.clone()),
        outcome: code(form, id::OUTCOME, p),
    }))
}

/// A referring setting gives the phase; an area of need narrows the need types.
fn referral_left(form: &mut Form, left: FieldId, lists: &Lists) {
    if left == id::SETTING
        && let Some(phase) = form.picked(id::SETTING).and_then(|k| lists.setting(&k).map(|s| s.phase))
        && let Some(f) = form.field_mut(id::PHASE)
    {
        f.set(phase.code());
    }
    area_narrows_needs(form, left, lists);
}

/// A case's fields: an edited case's own; a new case for the child of the case shown
/// ([`On::case`]) starts as that case was (setting, phase, area, need), opened today.
fn case_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let editing = as_kind!(o, Case);
    let Some(c) = editing.or(on.case.map(|d| &d.case)) else { return Vec::new() };
    let setting_choices = match editing {
        // What was valid when the case opened, and the case's own setting.
        Some(c) => on.lists.setting_choices(c.opened, std::slice::from_ref(&c.setting)),
        None => on.lists.setting_choices(on.today, &[]),
    };
    let mut fields = vec![
        Field::choice(id::SETTING, "Setting", setting_choices).with(&c.setting),
        Field::choice(id::PHASE, "Phase", phases()).with(c.phase.code()),
        Field::choice(id::AREA, "Area of need", areas()).with(c.area.code()),
        Field::choice(id::NEED, "Need type", needs(Some(c.area)))
            .optional()
            .with(c.need.map_or("", |n| n.code())),
        Field::date(id::OPENED, "Opened")
            .with(&editing.map_or("today".to_string(), |c| c.opened.to_string())),
        Field::choice(id::OUTREACH, "Special-school outreach", yes_no())
            .with(if editing.is_some_and(|c| c.outreach) { "yes" } else { "no" }),
        // Why it stays open while no teacher works to targets on it (the gap the county asks about).
        Field::choice(
            id::OPEN_REASON,
            "Kept open, not active, for",
            codes(OpenReason::ALL, OpenReason::code, OpenReason::label),
        )
        .optional()
        .with(editing.and_then(|c| c.open_reason).map_or("", |r| r.code())),
        Field::choice(id::SENIF, "SENIF support", yes_no()).with(if editing.is_some_and(|c| c.senif) {
            "yes"
        } else {
            "no"
        }),
    ];
    if let Some(c) = editing {
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

fn case(form: &Form, key: String, o: Option<&Record>, on: &On, p: &mut Problems) -> Option<Record> {
    let editing = as_kind!(o, Case);
    let Some(c) = editing.or(on.case.map(|d| &d.case)) else {
        p.push((String::new(), "a new case is opened from the child's last case, or at LIFT".into()));
        return None;
    };
    let setting = chosen(form, id::SETTING, p);
    Some(Record::Case(Case {
        key: editing.map_or(key, |c| c.key.clone()),
        child: c.child.clone(),
        setting: setting.unwrap_or_default(),
        phase: code(form, id::PHASE, p).unwrap_or(c.phase),
        area: code(form, id::AREA, p).unwrap_or(c.area),
        need: code(form, id::NEED, p),
        opened: required(form.date(id::OPENED), id::OPENED, p).unwrap_or(form.today),
        closed: editing.and(form.date(id::CLOSED)),
        closure_reason: editing.and(code(form, id::CLOSURE_REASON, p)),
        referral: editing.and_then(|c| c.referral.clone()),
        outreach: form.picked(id::OUTREACH).as_deref() == Some("yes"),
        open_reason: code(form, id::OPEN_REASON, p),
        senif: form.picked(id::SENIF).as_deref() == Some("yes"),
    }))
}
