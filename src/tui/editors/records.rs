//! The form of each record type, and the record a filled form makes.

use crate::domain::status;
use crate::domain::*;
use crate::store::{ChildChoice, OpenCaseOf, Reader, StoreError};
use crate::tui::field_id::{self as id, FieldId};
use crate::tui::form::{Choice, Field, Form};

/// What forms offer to choose from: children, settings, staff, read when a form opens.
#[derive(Default, Clone)]
pub struct Lists {
    pub children: Vec<ChildChoice>,
    pub settings: Vec<Setting>,
    pub staff: Vec<Staff>,
    /// Children shown by initials (still found by their names).
    pub initials: bool,
    /// Each child's open case on the day the lists were read, by child key.
    pub open_cases: std::collections::HashMap<String, OpenCaseOf>,
    /// Each teacher's (active, open) cases on that day, by staff key.
    pub loads: std::collections::HashMap<String, (i64, i64)>,
}

impl Lists {
    /// What forms offer, as of `day` (a child's open case and a teacher's load are those of the day).
    pub fn read(reader: Reader<'_>, day: Date) -> Result<Lists, StoreError> {
        let open_cases =
            reader.open_cases_of_children(day)?.into_iter().map(|c| (c.child.clone(), c)).collect();
        let loads = reader
            .team_load(day)?
            .teachers
            .into_iter()
            .map(|t| (t.staff.key.clone(), (t.active(), t.open())))
            .collect();
        Ok(Lists {
            children: reader.child_choices()?,
            settings: reader.settings()?,
            staff: reader.staff()?,
            initials: false,
            open_cases,
            loads,
        })
    }

    /// A child's open case, when they have one.
    pub fn open_case(&self, child: &str) -> Option<&OpenCaseOf> {
        self.open_cases.get(child)
    }

    /// Settings open on a day, and those in `held` whatever their state: a form editing a record
    /// offers what was valid on the record's own date and keeps what the record holds, so an
    /// unchanged save never drops a setting that has since closed.
    pub fn setting_choices(&self, day: Date, held: &[String]) -> Vec<Choice> {
        self.settings
            .iter()
            .filter(|s| s.closed.is_none_or(|c| c >= day) || held.contains(&s.key))
            .map(|s| {
                let outside = if s.in_district { "" } else { ", out of district" };
                let closed =
                    s.closed.filter(|c| *c < day).map(|c| format!(", closed {}", c.uk())).unwrap_or_default();
                Choice::new(
                    &s.key,
                    format!("{} ({}{outside}{closed})", s.name, s.phase.label().to_lowercase()),
                )
            })
            .collect()
    }

    /// Teachers in post on a day, and the staff member `held` (the record's own) whatever their post.
    pub fn teacher_choices(&self, day: Date, held: Option<&str>) -> Vec<Choice> {
        self.staff
            .iter()
            .filter(|s| {
                let in_post = s.role.is_teacher() && !s.vacant && status::in_force_on(s.start, s.end, day);
                in_post || held == Some(s.key.as_str())
            })
            .map(|s| {
                let area = s.area.map(|a| format!(", {}", a.label().to_lowercase())).unwrap_or_default();
                // Who has room: their active and open cases, as on the Teachers screen.
                let (active, open) = self.loads.get(&s.key).copied().unwrap_or((0, 0));
                let role = format!("({}{area})", s.role.label().to_lowercase());
                Choice::new(&s.key, format!("{} · {active} active, {open} open {role}", s.name))
                    .searched_as(format!("{} {role}", s.name))
            })
            .collect()
    }

    pub fn child_choices(&self) -> Vec<Choice> {
        self.children
            .iter()
            .map(|c| {
                let at = c.setting_name.as_ref().map(|s| format!(" · {s}")).unwrap_or_default();
                // Their open case and its teacher: whether an outcome allocates on it.
                // Their open case and its teacher (whether an outcome allocates on it), under the
                // list while the child is highlighted.
                let detail = match self.open_case(&c.key) {
                    Some(open) => format!(
                        "open case {}, {}, {}",
                        open.case,
                        open.area.label(),
                        open.teacher.as_deref().map_or("no teacher".to_string(), |t| format!("teacher {t}"))
                    ),
                    None => "no open case".to_string(),
                };
                let name = format!("{} {}", c.first_name, c.last_name);
                let choice = if self.initials {
                    let shown = crate::tui::widgets::child_name(&c.first_name, &c.last_name, true);
                    Choice::new(&c.key, format!("{shown}{at}")).searched_as(name)
                } else {
                    Choice::new(&c.key, format!("{name} (born {}){at}", c.dob.uk()))
                };
                choice.detailed(detail)
            })
            .collect()
    }

    pub fn setting(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.key == key)
    }

    pub fn child(&self, key: &str) -> Option<&ChildChoice> {
        self.children.iter().find(|c| c.key == key)
    }
}

/// The options of a code list, with their full names.
pub fn codes<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter().map(|x| Choice::new(code(*x), label(*x))).collect()
}

pub fn phases() -> Vec<Choice> {
    codes(Phase::ALL, Phase::code, Phase::label)
}

pub fn areas() -> Vec<Choice> {
    codes(Area::ALL, Area::code, Area::label)
}

/// The need types of an area (or all of them when no area is chosen yet).
pub fn needs(area: Option<Area>) -> Vec<Choice> {
    Need::ALL
        .iter()
        .filter(|n| area.is_none_or(|a| n.belongs_to(a)))
        .map(|n| Choice::new(n.code(), format!("{} {}", n.code(), n.label())))
        .collect()
}

pub fn yes_no() -> Vec<Choice> {
    vec![Choice::new("yes", "yes"), Choice::new("no", "no")]
}

fn group_choices() -> Vec<Choice> {
    vec![Choice::new("school", "School"), Choice::new("early_years", "Early years")]
}

fn focus_choices() -> Vec<Choice> {
    LiftFocus::ALL.iter().map(|f| Choice::new(f.code(), f.label())).collect()
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A field's value parsed as a code, or a problem for that field.
fn code<T: std::str::FromStr>(form: &Form, id: FieldId, problems: &mut Vec<(String, String)>) -> Option<T> {
    let value = form.picked(id)?;
    match value.parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            problems.push((id.as_str().to_string(), format!("\"{value}\" is not allowed here")));
            None
        }
    }
}

fn required<T>(v: Option<T>, id: FieldId, problems: &mut Vec<(String, String)>) -> Option<T> {
    if v.is_none() {
        problems.push((id.as_str().to_string(), "required".to_string()));
    }
    v
}

pub type Problems = Vec<(String, String)>;

/// The form for a record type: empty (new) or filled from a stored record.
pub fn form_for(kind: RecordKind, original: Option<&Record>, lists: &Lists, today: Date) -> Option<Form> {
    let verb = if original.is_some() { "Edit" } else { "New" };
    let title = format!("{verb} {}", kind.label());
    let fields = match (kind, original) {
        (RecordKind::District, Some(Record::District(d))) => vec![
            Field::text(id::NAME, "Name").with(&d.name),
            // The retention schedule (docs/privacy.md): blank is the default, closed+6.
            Field::text(id::RETENTION, "Retention (closed+N, age+N or both)")
                .optional()
                .with(&d.retention.map(|r| r.to_string()).unwrap_or_default()),
        ],
        (RecordKind::Setting, o) => {
            let s = match o {
                Some(Record::Setting(s)) => Some(s),
                _ => None,
            };
            vec![
                Field::text(id::NAME, "Name").with(s.map_or("", |s| &s.name)),
                Field::choice(id::PHASE, "Phase", phases()).with(s.map_or("", |s| s.phase.code())),
                Field::choice(id::IN_DISTRICT, "In district", yes_no())
                    .with(if s.is_none_or(|s| s.in_district) { "yes" } else { "no" }),
                Field::text(id::URN, "URN").optional().with(s.and_then(|s| s.urn.as_deref()).unwrap_or("")),
                Field::date(id::CLOSED, "Closed on").optional().with(&date_text(s.and_then(|s| s.closed))),
            ]
        }
        (RecordKind::Staff, o) => {
            let s = match o {
                Some(Record::Staff(s)) => Some(s),
                _ => None,
            };
            vec![
                Field::text(id::NAME, "Name").with(s.map_or("", |s| &s.name)),
                Field::choice(id::ROLE, "Role", codes(Role::ALL, Role::code, Role::label))
                    .with(s.map_or("specialist_teacher", |s| s.role.code())),
                Field::choice(id::AREA, "Area of need", areas())
                    .optional()
                    .with(s.and_then(|s| s.area).map_or("", |a| a.code())),
                Field::decimal(id::FTE, "FTE").with(&s.map_or("1".to_string(), |s| s.fte.to_string())),
                Field::date(id::START, "Start").with(&s.map_or(today.to_string(), |s| s.start.to_string())),
                Field::date(id::END, "End").optional().with(&date_text(s.and_then(|s| s.end))),
                Field::choice(id::VACANT, "Vacant post", yes_no()).with(if s.is_some_and(|s| s.vacant) {
                    "yes"
                } else {
                    "no"
                }),
            ]
        }
        (RecordKind::Clinic, o) => {
            let c = match o {
                Some(Record::Clinic(c)) => Some(c),
                _ => None,
            };
            let mut fields = vec![
                Field::date(id::DATE, "Date").with(&c.map_or(today.to_string(), |c| c.date.to_string())),
                Field::choice(id::PHASE, "Phase", group_choices())
                    .with(c.map_or("school", |c| c.phase.code())),
                Field::choice(
                    id::FORMAT,
                    "Format",
                    codes(ClinicFormat::ALL, ClinicFormat::code, ClinicFormat::label),
                )
                .with(c.map_or("clinic", |c| c.format.code())),
                Field::many(
                    id::SETTINGS,
                    "Settings attending",
                    lists.setting_choices(c.map_or(today, |c| c.date), c.map_or(&[], |c| &c.settings)),
                )
                .optional(),
            ];
            if let (Some(c), Some(f)) = (c, fields.last_mut()) {
                f.set_many(&c.settings);
            }
            for a in Area::ALL {
                let n = c.and_then(|c| c.cases_discussed.get(a).copied()).unwrap_or(0);
                fields.push(
                    Field::count(area_field(*a), &format!("Cases: {}", a.label())).with(&n.to_string()),
                );
            }
            fields
        }
        (RecordKind::Training, o) => {
            let t = match o {
                Some(Record::Training(t)) => Some(t),
                _ => None,
            };
            let choices = lists.setting_choices(t.map_or(today, |t| t.date), t.map_or(&[], |t| &t.settings));
            let mut settings = Field::many(id::SETTINGS, "Settings taking part", choices).optional();
            if let Some(t) = t {
                settings.set_many(&t.settings);
            }
            vec![
                Field::date(id::DATE, "Date").with(&t.map_or(today.to_string(), |t| t.date.to_string())),
                Field::text(id::TITLE, "Title").with(t.map_or("", |t| &t.title)),
                Field::choice(
                    id::KIND,
                    "Kind",
                    codes(TrainingKind::ALL, TrainingKind::code, TrainingKind::label),
                )
                .with(t.map_or("core", |t| t.kind.code())),
                Field::choice(
                    id::PROGRAMME,
                    "Programme",
                    codes(Programme::ALL, Programme::code, Programme::label),
                )
                .optional()
                .with(t.and_then(|t| t.programme).map_or("", |p| p.code())),
                Field::choice(id::PHASE, "Phase", phases()).with(t.map_or("primary", |t| t.phase.code())),
                Field::choice(
                    id::STATUS,
                    "Status",
                    codes(TrainingStatus::ALL, TrainingStatus::code, TrainingStatus::label),
                )
                .with(t.map_or("booked", |t| t.status.code())),
                settings,
                Field::count(id::ATTENDEES, "Attendees")
                    .optional()
                    .with(&t.and_then(|t| t.attendees).map_or(String::new(), |n| n.to_string())),
            ]
        }
        (RecordKind::Transition, o) => {
            let t = match o {
                Some(Record::Transition(t)) => Some(t),
                _ => None,
            };
            vec![
                Field::date(id::DATE, "Date").with(&t.map_or(today.to_string(), |t| t.date.to_string())),
                Field::choice(
                    id::SETTING,
                    "Setting",
                    lists.setting_choices(
                        t.map_or(today, |t| t.date),
                        t.map(|t| std::slice::from_ref(&t.setting)).unwrap_or(&[]),
                    ),
                )
                .with(t.map_or("", |t| &t.setting)),
                Field::count(id::EVENTS, "Events").with(&t.map_or("1".to_string(), |t| t.events.to_string())),
            ]
        }
        (RecordKind::Child, Some(Record::Child(c))) => vec![
            Field::text(id::FIRST_NAME, "First name").with(&c.first_name),
            Field::text(id::LAST_NAME, "Last name").with(&c.last_name),
            Field::date(id::DOB, "Date of birth").with(&c.dob.to_string()),
            Field::text(id::UPN, "UPN").optional().with(c.upn.as_deref().unwrap_or("")),
            Field::choice(id::SETTING, "Setting", lists.setting_choices(today, c.setting.as_slice()))
                .optional()
                .with(c.setting.as_deref().unwrap_or("")),
        ],
        (RecordKind::LiftMeeting, o) => {
            let m = match o {
                Some(Record::LiftMeeting(m)) => Some(m),
                _ => None,
            };
            let choices = lists.setting_choices(m.map_or(today, |m| m.date), m.map_or(&[], |m| &m.settings));
            let mut settings = Field::many(id::SETTINGS, "Settings attending", choices).optional();
            if let Some(m) = m {
                settings.set_many(&m.settings);
            }
            let mut fields = vec![
                Field::date(id::DATE, "Date").with(&m.map_or(today.to_string(), |m| m.date.to_string())),
                Field::choice(id::KIND, "Kind", group_choices()).with(m.map_or("school", |m| m.kind.code())),
                settings,
                Field::choice(id::FOCUS, "Focus (school meetings)", focus_choices())
                    .optional()
                    .with(m.and_then(|m| m.focus).map_or("", |f| f.code())),
            ];
            for p in Profession::ALL {
                let n = m.and_then(|m| m.professionals.get(p).copied()).unwrap_or(0);
                fields.push(Field::count(FieldId::of_code(p.code()), p.label()).with(&n.to_string()));
            }
            fields
        }
        (RecordKind::Allocation, Some(Record::Allocation(a))) => vec![
            Field::choice(id::STAFF, "Teacher", lists.teacher_choices(a.start, Some(&a.staff)))
                .with(&a.staff),
            Field::date(id::START, "From").with(&a.start.to_string()),
            Field::date(id::END, "Until").optional().with(&date_text(a.end)),
        ],
        (RecordKind::Target, Some(Record::Target(t))) => vec![
            Field::text(id::TEXT, "Target").with(&t.text),
            Field::date(id::SET, "Set on").with(&t.set.to_string()),
            Field::date(id::ENDED, "Ended on").optional().with(&date_text(t.ended)),
        ],
        (RecordKind::Review, Some(Record::Review(r))) => vec![
            Field::date(id::DATE, "Reviewed on").with(&r.date.to_string()),
            Field::choice(
                id::OUTCOME,
                "Outcome",
                codes(ReviewOutcome::ALL, ReviewOutcome::code, ReviewOutcome::label),
            )
            .with(r.outcome.code()),
            Field::text(id::NOTES, "Notes").optional().with(r.notes.as_deref().unwrap_or("")),
        ],
        (RecordKind::Visit, Some(Record::Visit(v))) => vec![
            Field::date(id::DATE, "Visited on").with(&v.date.to_string()),
            Field::choice(id::STAFF, "By", lists.teacher_choices(v.date, v.staff.as_deref()))
                .optional()
                .with(v.staff.as_deref().unwrap_or("")),
            Field::choice(
                id::PURPOSE,
                "Purpose",
                codes(VisitPurpose::ALL, VisitPurpose::code, VisitPurpose::label),
            )
            .optional()
            .with(v.purpose.map_or("", |p| p.code())),
            Field::text(id::NOTES, "Notes").optional().with(v.notes.as_deref().unwrap_or("")),
        ],
        (RecordKind::CaseNote, Some(Record::CaseNote(n))) => vec![
            Field::text(id::TEXT, "Note or contact").with(&n.text),
            Field::date(id::DATE, "On").with(&n.date.to_string()),
            Field::choice(id::STAFF, "By", lists.teacher_choices(n.date, n.staff.as_deref()))
                .optional()
                .with(n.staff.as_deref().unwrap_or("")),
        ],
        (RecordKind::Referral, Some(Record::Referral(r))) => vec![
            Field::choice(
                id::SETTING,
                "Referring setting",
                lists.setting_choices(r.received, std::slice::from_ref(&r.setting)),
            )
            .with(&r.setting),
            Field::date(id::RECEIVED, "Received").with(&r.received.to_string()),
            Field::choice(id::PHASE, "Phase", phases()).with(r.phase.code()),
            Field::choice(id::AREA, "Area of need", areas()).with(r.area.code()),
            Field::choice(id::NEED, "Need type", needs(Some(r.area)))
                .optional()
                .with(r.need.map_or("", |n| n.code())),
            Field::choice(
                id::OUTCOME,
                "Outcome",
                codes(ReferralOutcome::ALL, ReferralOutcome::code, ReferralOutcome::label),
            )
            .optional()
            .with(r.outcome.map_or("", |o| o.code())),
        ],
        _ => return None,
    };
    let mut form = Form::new(title, today, fields);
    // Editing starts with the form clean; fields prefilled for a new record do too.
    form.dirty = false;
    Some(form)
}

/// What leaving a field does in a record's form: a referral's area offers its need types.
pub fn left(kind: RecordKind, form: &mut Form, left: FieldId) {
    if kind == RecordKind::Referral {
        super::case::left(form, left);
    }
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

/// The record a filled form makes (keeping the original's key and links when editing).
pub fn record_from(
    kind: RecordKind,
    form: &Form,
    key: String,
    original: Option<&Record>,
) -> Result<Record, Problems> {
    let mut p = Problems::new();
    let record = match (kind, original) {
        (RecordKind::Allocation, Some(Record::Allocation(a))) => Record::Allocation(Allocation {
            staff: required(form.picked(id::STAFF), id::STAFF, &mut p).unwrap_or_default(),
            start: required(form.date(id::START), id::START, &mut p).unwrap_or(a.start),
            end: form.date(id::END),
            ..a.clone()
        }),
        (RecordKind::Target, Some(Record::Target(t))) => Record::Target(Target {
            text: form.text(id::TEXT),
            set: required(form.date(id::SET), id::SET, &mut p).unwrap_or(t.set),
            ended: form.date(id::ENDED),
            ..t.clone()
        }),
        (RecordKind::Review, Some(Record::Review(r))) => Record::Review(Review {
            date: required(form.date(id::DATE), id::DATE, &mut p).unwrap_or(r.date),
            outcome: required(code(form, id::OUTCOME, &mut p), id::OUTCOME, &mut p).unwrap_or(r.outcome),
            notes: form.opt_text(id::NOTES),
            ..r.clone()
        }),
        (RecordKind::Visit, Some(Record::Visit(v))) => Record::Visit(Visit {
            date: required(form.date(id::DATE), id::DATE, &mut p).unwrap_or(v.date),
            staff: form.picked(id::STAFF),
            purpose: code(form, id::PURPOSE, &mut p),
            notes: form.opt_text(id::NOTES),
            ..v.clone()
        }),
        (RecordKind::CaseNote, Some(Record::CaseNote(n))) => Record::CaseNote(CaseNote {
            date: required(form.date(id::DATE), id::DATE, &mut p).unwrap_or(n.date),
            text: form.text(id::TEXT),
            staff: form.picked(id::STAFF),
            ..n.clone()
        }),
        (RecordKind::Referral, Some(Record::Referral(r))) => Record::Referral(Referral {
            setting: required(form.picked(id::SETTING), id::SETTING, &mut p).unwrap_or_default(),
            received: required(form.date(id::RECEIVED), id::RECEIVED, &mut p).unwrap_or(r.received),
            phase: required(code(form, id::PHASE, &mut p), id::PHASE, &mut p).unwrap_or(r.phase),
            area: required(code(form, id::AREA, &mut p), id::AREA, &mut p).unwrap_or(r.area),
            need: code(form, id::NEED, &mut p),
            outcome: code(form, id::OUTCOME, &mut p),
            ..r.clone()
        }),
        _ => keep_unshown(record_without_links(kind, form, key, &mut p)?, original),
    };
    if p.is_empty() { Ok(record) } else { Err(p) }
}

/// An edited record keeps the fields its form does not show yet (a setting's link teacher, a
/// meeting's status and deadline, a clinic's cases brought to LIFT), so saving a form never
/// loses them.
fn keep_unshown(record: Record, original: Option<&Record>) -> Record {
    match (record, original) {
        (Record::Setting(s), Some(Record::Setting(o))) => {
            Record::Setting(Setting { link_teacher: o.link_teacher.clone(), ..s })
        }
        (Record::LiftMeeting(m), Some(Record::LiftMeeting(o))) => {
            Record::LiftMeeting(LiftMeeting { status: o.status, deadline: o.deadline, ..m })
        }
        (Record::Clinic(c), Some(Record::Clinic(o))) => {
            Record::Clinic(Clinic { cases_to_lift: o.cases_to_lift.clone(), ..c })
        }
        (record, _) => record,
    }
}

/// Records whose every field is on the form.
fn record_without_links(
    kind: RecordKind,
    form: &Form,
    key: String,
    p: &mut Problems,
) -> Result<Record, Problems> {
    let record = match kind {
        RecordKind::District => {
            let retention = form.opt_text(id::RETENTION).and_then(|text| match text.parse() {
                Ok(policy) => Some(policy),
                Err(why) => {
                    p.push(("retention".to_string(), why));
                    None
                }
            });
            Record::District(District { name: form.text(id::NAME), retention })
        }
        RecordKind::Setting => {
            let phase = required(code::<Phase>(form, id::PHASE, p), id::PHASE, p);
            let s = Setting {
                key,
                name: form.text(id::NAME),
                phase: phase.unwrap_or(Phase::Primary),
                in_district: form.picked(id::IN_DISTRICT).as_deref() != Some("no"),
                urn: form.opt_text(id::URN),
                closed: form.date(id::CLOSED),
                link_teacher: None,
            };
            Record::Setting(s)
        }
        RecordKind::Staff => Record::Staff(Staff {
            key,
            name: form.text(id::NAME),
            role: required(code(form, id::ROLE, p), id::ROLE, p).unwrap_or(Role::Other),
            area: code(form, id::AREA, p),
            fte: form.number(id::FTE).unwrap_or(0.0),
            start: required(form.date(id::START), id::START, p).unwrap_or(form.today),
            end: form.date(id::END),
            vacant: form.picked(id::VACANT).as_deref() == Some("yes"),
        }),
        RecordKind::Clinic => Record::Clinic(Clinic {
            key,
            date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
            phase: required(code(form, id::PHASE, p), id::PHASE, p).unwrap_or(PhaseGroup::School),
            format: required(code(form, id::FORMAT, p), id::FORMAT, p).unwrap_or(ClinicFormat::Clinic),
            settings: form.picked_many(id::SETTINGS),
            cases_discussed: Area::ALL
                .iter()
                .filter_map(|a| form.count(area_field(*a)).filter(|n| *n != 0).map(|n| (*a, n)))
                .collect(),
            cases_to_lift: std::collections::BTreeMap::new(),
        }),
        RecordKind::Training => Record::Training(Training {
            key,
            date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
            title: form.text(id::TITLE),
            kind: required(code(form, id::KIND, p), id::KIND, p).unwrap_or(TrainingKind::Core),
            programme: code(form, id::PROGRAMME, p),
            phase: required(code(form, id::PHASE, p), id::PHASE, p).unwrap_or(Phase::Primary),
            status: required(code(form, id::STATUS, p), id::STATUS, p).unwrap_or(TrainingStatus::Booked),
            settings: form.picked_many(id::SETTINGS),
            attendees: form.count(id::ATTENDEES),
        }),
        RecordKind::Transition => Record::Transition(Transition {
            key,
            date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
            setting: required(form.picked(id::SETTING), id::SETTING, p).unwrap_or_default(),
            events: form.count(id::EVENTS).unwrap_or(1),
        }),
        RecordKind::Child => Record::Child(Child {
            key,
            first_name: form.text(id::FIRST_NAME),
            last_name: form.text(id::LAST_NAME),
            dob: required(form.date(id::DOB), id::DOB, p).unwrap_or(form.today),
            upn: form.opt_text(id::UPN),
            setting: form.picked(id::SETTING),
        }),
        RecordKind::LiftMeeting => Record::LiftMeeting(LiftMeeting {
            key,
            date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
            kind: required(code(form, id::KIND, p), id::KIND, p).unwrap_or(PhaseGroup::School),
            focus: code(form, id::FOCUS, p),
            settings: form.picked_many(id::SETTINGS),
            professionals: Profession::ALL
                .iter()
                .filter_map(|x| form.count(FieldId::of_code(x.code())).filter(|n| *n != 0).map(|n| (*x, n)))
                .collect(),
            status: LiftStatus::Held,
            deadline: None,
        }),
        _ => return Err(vec![(String::new(), format!("{} records are not edited in a form", kind.label()))]),
    };
    Ok(record)
}

/// The prefix of generated keys for each record type.
pub fn key_prefix(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Setting => "S",
        RecordKind::Staff => "T",
        RecordKind::Child => "C",
        RecordKind::LiftMeeting => "L",
        RecordKind::Referral => "R",
        RecordKind::Case => "K",
        RecordKind::Allocation => "A",
        RecordKind::Target => "G",
        RecordKind::Review => "V",
        RecordKind::Clinic => "CL",
        RecordKind::Training => "TR",
        RecordKind::Transition => "TN",
        RecordKind::Visit => "X",
        RecordKind::CaseNote => "N",
        _ => "Z",
    }
}
