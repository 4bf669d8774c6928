//! The Register's records: the district, settings, staff.

use super::{On, Spec, code, date_text, nothing_follows, required};
use crate::domain::*;
use crate::tui::editors::records::{Problems, areas, codes, phases, yes_no};
use crate::tui::field_id as id;
use crate::tui::form::{Field, Form};

pub const DISTRICT: Spec =
    Spec { kind: RecordKind::District, fields: district_fields, read: district, left: nothing_follows };
pub const SETTING: Spec =
    Spec { kind: RecordKind::Setting, fields: setting_fields, read: setting, left: nothing_follows };
pub const STAFF: Spec =
    Spec { kind: RecordKind::Staff, fields: staff_fields, read: staff, left: nothing_follows };

fn district_fields(o: Option<&Record>, _: &On) -> Vec<Field> {
    let d = as_kind!(o, District);
    vec![
        Field::text(id::NAME, "Name").with(d.map_or("", |d| &d.name)),
        // The retention schedule (docs/privacy.md): blank is the default, closed+6.
        Field::text(id::RETENTION, "Retention (closed+N, age+N or both)")
            .optional()
            .with(&d.and_then(|d| d.retention).map(|r| r.to_string()).unwrap_or_default()),
    ]
}

fn district(form: &Form, _: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    let retention = form.opt_text(id::RETENTION).and_then(|text| match text.parse() {
        Ok(policy) => Some(policy),
        Err(why) => {
            p.push((id::RETENTION.as_str().to_string(), why));
            None
        }
    });
    Some(Record::District(District { name: form.text(id::NAME), retention }))
}

fn setting_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let s = as_kind!(o, Setting);
    let link = s.and_then(|s| s.link_teacher.as_deref());
    vec![
        Field::text(id::NAME, "Name").with(s.map_or("", |s| &s.name)),
        Field::choice(id::PHASE, "Phase", phases()).with(s.map_or("", |s| s.phase.code())),
        Field::choice(id::IN_DISTRICT, "In district", yes_no()).with(if s.is_none_or(|s| s.in_district) {
            "yes"
        } else {
            "no"
        }),
        Field::text(id::URN, "URN").optional().with(s.and_then(|s| s.urn.as_deref()).unwrap_or("")),
        Field::date(id::CLOSED, "Closed on").optional().with(&date_text(s.and_then(|s| s.closed))),
        // The teacher the setting has as its own (a teacher per school or setting).
        Field::choice(id::LINK_TEACHER, "Link teacher", on.lists.teacher_choices(on.today, link))
            .optional()
            .with(link.unwrap_or("")),
    ]
}

fn setting(form: &Form, key: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    let phase = required(code::<Phase>(form, id::PHASE, p), id::PHASE, p);
    Some(Record::Setting(Setting {
        key,
        name: form.text(id::NAME),
        phase: phase.unwrap_or(Phase::Primary),
        in_district: form.picked(id::IN_DISTRICT).as_deref() != Some("no"),
        urn: form.opt_text(id::URN),
        closed: form.date(id::CLOSED),
        link_teacher: form.picked(id::LINK_TEACHER),
    }))
}

fn staff_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let s = as_kind!(o, Staff);
    vec![
        Field::text(id::NAME, "Name").with(s.map_or("", |s| &s.name)),
        Field::choice(id::ROLE, "Role", codes(Role::ALL, Role::code, Role::label))
            .with(s.map_or("specialist_teacher", |s| s.role.code())),
        Field::choice(id::AREA, "Area of need", areas())
            .optional()
            .with(s.and_then(|s| s.area).map_or("", |a| a.code())),
        Field::decimal(id::FTE, "FTE").with(&s.map_or("1".to_string(), |s| s.fte.to_string())),
        Field::date(id::START, "Start").with(&s.map_or(on.today.to_string(), |s| s.start.to_string())),
        Field::date(id::END, "End").optional().with(&date_text(s.and_then(|s| s.end))),
        Field::choice(id::VACANT, "Vacant post", yes_no()).with(if s.is_some_and(|s| s.vacant) {
            "yes"
        } else {
            "no"
        }),
    ]
}

fn staff(form: &Form, key: String, _: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    Some(Record::Staff(Staff {
        key,
        name: form.text(id::NAME),
        role: required(code(form, id::ROLE, p), id::ROLE, p).unwrap_or(Role::Other),
        area: code(form, id::AREA, p),
        fte: form.number(id::FTE).unwrap_or(0.0),
        start: required(form.date(id::START), id::START, p).unwrap_or(form.today),
        end: form.date(id::END),
        vacant: form.picked(id::VACANT).as_deref() == Some("yes"),
    }))
}
