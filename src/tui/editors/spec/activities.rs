//! The team's activities: clinics, training, transition support, LIFT meetings.

use super::{On, Spec, code, nothing_follows, required};
use crate::domain::*;
use crate::tui::editors::records::{Problems, codes, phases};
use crate::tui::field_id::{self as id, FieldId};
use crate::tui::form::{Choice, Field, Form};

pub const CLINIC: Spec =
    Spec { kind: RecordKind::Clinic, fields: clinic_fields, read: clinic, left: nothing_follows };
pub const TRAINING: Spec =
    Spec { kind: RecordKind::Training, fields: training_fields, read: training, left: nothing_follows };
pub const TRANSITION: Spec =
    Spec { kind: RecordKind::Transition, fields: transition_fields, read: transition, left: nothing_follows };
pub const LIFT_MEETING: Spec =
    Spec { kind: RecordKind::LiftMeeting, fields: meeting_fields, read: meeting, left: nothing_follows };

fn group_choices() -> Vec<Choice> {
    vec![Choice::new("school", "School"), Choice::new("early_years", "Early years")]
}

fn focus_choices() -> Vec<Choice> {
    LiftFocus::ALL.iter().map(|f| Choice::new(f.code(), f.label())).collect()
}

/// The field id of a clinic's count for an area.
fn area_field(a: Area) -> FieldId {
    match a {
        Area::CommunicationInteraction => id::CD_COMMUNICATION_INTERACTION,
        Area::CognitionLearning => id::CD_COGNITION_LEARNING,
        Area::Semh => id::CD_SEMH,
        Area::SensoryPhysical => id::CD_SENSORY_PHYSICAL,
    }
}

/// The field id of a clinic's count, for an area, of the cases later brought to LIFT.
fn to_lift_field(a: Area) -> FieldId {
    match a {
        Area::CommunicationInteraction => id::TL_COMMUNICATION_INTERACTION,
        Area::CognitionLearning => id::TL_COGNITION_LEARNING,
        Area::Semh => id::TL_SEMH,
        Area::SensoryPhysical => id::TL_SENSORY_PHYSICAL,
    }
}

/// Counts by area from their fields (an area left at 0 is not listed).
fn counts_by_area(form: &Form, field: fn(Area) -> FieldId) -> std::collections::BTreeMap<Area, i64> {
    Area::ALL.iter().filter_map(|a| form.count(field(*a)).filter(|n| *n != 0).map(|n| (*a, n))).collect()
}

/// The settings taking part: those open on the record's day, and the record's own whatever
/// their state (an unchanged save never drops a setting that has since closed).
fn settings_field(label: &str, day: Date, held: &[String], on: &On) -> Field {
    let mut f = Field::many(id::SETTINGS, label, on.lists.setting_choices(day, held)).optional();
    f.set_many(held);
    f
}

fn clinic_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let c = as_kind!(o, Clinic);
    let mut fields = vec![
        Field::date(id::DATE, "Date").with(&c.map_or(on.today, |c| c.date).to_string()),
        Field::choice(id::PHASE, "Phase", group_choices()).with(c.map_or("school", |c| c.phase.code())),
        Field::choice(
            id::FORMAT,
            "Format",
            codes(ClinicFormat::ALL, ClinicFormat::code, ClinicFormat::label),
        )
        .with(c.map_or("clinic", |c| c.format.code())),
        settings_field(
            "Settings attending",
            c.map_or(on.today, |c| c.date),
            c.map_or(&[], |c| &c.settings),
            on,
        ),
    ];
    for a in Area::ALL {
        let n = c.and_then(|c| c.cases_discussed.get(a).copied()).unwrap_or(0);
        fields.push(Field::count(area_field(*a), &format!("Cases: {}", a.label())).with(&n.to_string()));
    }
    // Whether the clinic's cases went on to LIFT (often known a term later: edit the clinic then).
    for a in Area::ALL {
        let n = c.and_then(|c| c.cases_to_lift.get(a).copied()).unwrap_or(0);
        fields.push(
            Field::count(
                to_lift_field(*a),
                &format!("Went on to LIFT: {}", crate::tui::screens::area_short(*a)),
            )
            .with(&n.to_string()),
        );
    }
    fields
}

fn clinic(form: &Form, key: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    Some(Record::Clinic(Clinic {
        key,
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        phase: required(code(form, id::PHASE, p), id::PHASE, p).unwrap_or(PhaseGroup::School),
        format: required(code(form, id::FORMAT, p), id::FORMAT, p).unwrap_or(ClinicFormat::Clinic),
        settings: form.picked_many(id::SETTINGS),
        cases_discussed: counts_by_area(form, area_field),
        cases_to_lift: counts_by_area(form, to_lift_field),
    }))
}

fn training_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let t = as_kind!(o, Training);
    vec![
        Field::date(id::DATE, "Date").with(&t.map_or(on.today, |t| t.date).to_string()),
        Field::text(id::TITLE, "Title").with(t.map_or("", |t| &t.title)),
        Field::choice(id::KIND, "Kind", codes(TrainingKind::ALL, TrainingKind::code, TrainingKind::label))
            .with(t.map_or("core", |t| t.kind.code())),
        Field::choice(id::PROGRAMME, "Programme", codes(Programme::ALL, Programme::code, Programme::label))
            .optional()
            .with(t.and_then(|t| t.programme).map_or("", |p| p.code())),
        Field::choice(id::PHASE, "Phase", phases()).with(t.map_or("primary", |t| t.phase.code())),
        Field::choice(
            id::STATUS,
            "Status",
            codes(TrainingStatus::ALL, TrainingStatus::code, TrainingStatus::label),
        )
        .with(t.map_or("booked", |t| t.status.code())),
        settings_field(
            "Settings taking part",
            t.map_or(on.today, |t| t.date),
            t.map_or(&[], |t| &t.settings),
            on,
        ),
        Field::count(id::ATTENDEES, "Attendees")
            .optional()
            .with(&t.and_then(|t| t.attendees).map_or(String::new(), |n| n.to_string())),
    ]
}

fn training(form: &Form, key: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    Some(Record::Training(Training {
        key,
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        title: form.text(id::TITLE),
        kind: required(code(form, id::KIND, p), id::KIND, p).unwrap_or(TrainingKind::Core),
        programme: code(form, id::PROGRAMME, p),
        phase: required(code(form, id::PHASE, p), id::PHASE, p).unwrap_or(Phase::Primary),
        status: required(code(form, id::STATUS, p), id::STATUS, p).unwrap_or(TrainingStatus::Booked),
        settings: form.picked_many(id::SETTINGS),
        attendees: form.count(id::ATTENDEES),
    }))
}

fn transition_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let t = as_kind!(o, Transition);
    let held = t.map(|t| std::slice::from_ref(&t.setting)).unwrap_or(&[]);
    vec![
        Field::date(id::DATE, "Date").with(&t.map_or(on.today, |t| t.date).to_string()),
        Field::choice(id::SETTING, "Setting", on.lists.setting_choices(t.map_or(on.today, |t| t.date), held))
            .with(t.map_or("", |t| &t.setting)),
        Field::count(id::EVENTS, "Events").with(&t.map_or(1, |t| t.events).to_string()),
    ]
}

fn transition(form: &Form, key: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    Some(Record::Transition(Transition {
        key,
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        setting: required(form.picked(id::SETTING), id::SETTING, p).unwrap_or_default(),
        events: form.count(id::EVENTS).unwrap_or(1),
    }))
}

fn meeting_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let m = as_kind!(o, LiftMeeting);
    let mut fields = vec![
        Field::date(id::DATE, "Date").with(&m.map_or(on.today, |m| m.date).to_string()),
        Field::choice(id::KIND, "Kind", group_choices()).with(m.map_or("school", |m| m.kind.code())),
        settings_field(
            "Settings attending",
            m.map_or(on.today, |m| m.date),
            m.map_or(&[], |m| &m.settings),
            on,
        ),
        Field::choice(id::FOCUS, "Focus (school meetings)", focus_choices())
            .optional()
            .with(m.and_then(|m| m.focus).map_or("", |f| f.code())),
    ];
    for x in Profession::ALL {
        let n = m.and_then(|m| m.professionals.get(x).copied()).unwrap_or(0);
        fields.push(Field::count(FieldId::of_code(x.code()), x.label()).with(&n.to_string()));
    }
    // Last, so a meeting held today is saved without passing them: a meeting in the calendar
    // ahead is planned (its children come when it is held), with the day referrals are due.
    fields.push(
        Field::choice(id::STATUS, "Status", codes(LiftStatus::ALL, LiftStatus::code, LiftStatus::label))
            .with(m.map_or("held", |m| m.status.code())),
    );
    fields.push(
        Field::date(id::DEADLINE, "Referrals due by")
            .optional()
            .with(&m.and_then(|m| m.deadline).map(|d| d.to_string()).unwrap_or_default()),
    );
    fields
}

fn meeting(form: &Form, key: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    Some(Record::LiftMeeting(LiftMeeting {
        key,
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        kind: required(code(form, id::KIND, p), id::KIND, p).unwrap_or(PhaseGroup::School),
        focus: code(form, id::FOCUS, p),
        settings: form.picked_many(id::SETTINGS),
        professionals: Profession::ALL
            .iter()
            .filter_map(|x| form.count(FieldId::of_code(x.code())).filter(|n| *n != 0).map(|n| (*x, n)))
            .collect(),
        status: code(form, id::STATUS, p).unwrap_or(LiftStatus::Held),
        deadline: form.date(id::DEADLINE),
    }))
}

pub const GROUP_WORK: Spec =
    Spec { kind: RecordKind::GroupWork, fields: group_work_fields, read: group_work, left: nothing_follows };

fn group_work_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let g = as_kind!(o, GroupWork);
    let day = g.map_or(on.today, |g| g.date);
    let setting = g.map(|g| std::slice::from_ref(&g.setting)).unwrap_or(&[]);
    vec![
        Field::date(id::DATE, "Date").with(&day.to_string()),
        Field::choice(id::SETTING, "Setting", on.lists.setting_choices(day, setting))
            .with(g.map_or("", |g| &g.setting)),
        Field::choice(id::KIND, "For", codes(GroupWorkKind::ALL, GroupWorkKind::code, GroupWorkKind::label))
            .with(g.map_or("group", |g| g.kind.code())),
        Field::choice(id::STAFF, "Led by", on.lists.teacher_choices(day, g.and_then(|g| g.staff.as_deref())))
            .optional()
            .with(g.and_then(|g| g.staff.as_deref()).unwrap_or("")),
        // Counted, never named: a group's children are not recorded one by one.
        Field::count(id::CHILDREN, "Children reached")
            .optional()
            .with(&g.and_then(|g| g.children).map_or(String::new(), |n| n.to_string())),
        Field::choice(id::AREA, "Area of need", crate::tui::editors::records::areas())
            .optional()
            .with(g.and_then(|g| g.area).map_or("", |a| a.code())),
        Field::text(id::NOTES, "Notes").optional().with(g.and_then(|g| g.notes.as_deref()).unwrap_or("")),
    ]
}

fn group_work(form: &Form, key: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    Some(Record::GroupWork(GroupWork {
        key,
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        setting: super::chosen(form, id::SETTING, p).unwrap_or_default(),
        staff: form.picked(id::STAFF),
        kind: super::chosen_code(form, id::KIND, p).unwrap_or(GroupWorkKind::Group),
        children: form.count(id::CHILDREN),
        area: code(form, id::AREA, p),
        notes: form.opt_text(id::NOTES),
    }))
}
