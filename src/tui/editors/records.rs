//! What forms offer to choose from (children, settings, staff and the code lists), and the keys
//! of new records. Each record kind's form itself is its specification in [`super::spec`].

use crate::domain::status;
use crate::domain::*;
use crate::store::{ChildChoice, OpenCaseOf, Reader, StoreError};
use crate::tui::form::{Choice, Form};

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

/// Why a form cannot be saved: (field id, message); an empty id puts the message above the fields.
pub type Problems = Vec<(String, String)>;

/// One problem, beside a field of the form (`None`: above the fields).
pub fn problem(field: Option<crate::tui::field_id::FieldId>, message: impl Into<String>) -> Problems {
    vec![(field.map_or("", |f| f.as_str()).to_string(), message.into())]
}

/// The form for a record type: empty (new) or filled from a stored record (see [`super::spec`]).
pub fn form_for(kind: RecordKind, original: Option<&Record>, lists: &Lists, today: Date) -> Option<Form> {
    Some(super::spec::of(kind)?.form(original, &super::spec::On::new(lists, today)))
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
        RecordKind::GroupWork => "GW",
        RecordKind::MonitoringMeeting => "MM",
        _ => "Z",
    }
}

/// Adding or editing one record in its kind's form (the Register, the activity lists, a line
/// of a case's chronology, a child).
pub struct RecordEdit {
    pub kind: RecordKind,
    pub original: Option<Record>,
}

impl super::flow::Flow for RecordEdit {
    fn ops(
        &self,
        form: &Form,
        lists: &Lists,
        new_key: &mut dyn FnMut(RecordKind) -> String,
    ) -> Result<Vec<crate::store::Op>, Problems> {
        use crate::store::Op;
        let spec = super::spec::of(self.kind).ok_or_else(|| {
            vec![(String::new(), format!("{} records are not edited in a form", self.kind.label()))]
        })?;
        let key = self.original.as_ref().map(|r| r.key()).unwrap_or_else(|| new_key(self.kind));
        let record =
            spec.read(form, key, self.original.as_ref(), &super::spec::On::new(lists, form.today))?;
        Ok(vec![if self.original.is_some() { Op::Replace(record) } else { Op::Add(record) }])
    }

    fn left(&self, form: &mut Form, left: crate::tui::field_id::FieldId, lists: &Lists) {
        if let Some(spec) = super::spec::of(self.kind) {
            spec.left(form, left, lists)
        }
    }
}
