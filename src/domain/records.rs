//! Every record type of the district, shaped as the records file (docs/records-file.md) writes them.
//!
//! Records refer to each other by `key`. Field names and optionality follow the spec exactly, and
//! unknown fields are refused so a misspelt field cannot silently lose data.

use super::calendar::{AcademicYear, Term};
use super::codes::*;
use super::date::Date;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_one(n: &i64) -> bool {
    *n == 1
}

/// Absent and `null` both mean "the default" for optional fields that have one.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn held() -> LiftStatus {
    LiftStatus::Held
}

fn is_held(s: &LiftStatus) -> bool {
    *s == LiftStatus::Held
}

fn status_or_held<'de, D: Deserializer<'de>>(d: D) -> Result<LiftStatus, D::Error> {
    Ok(Option::<LiftStatus>::deserialize(d)?.unwrap_or(LiftStatus::Held))
}

fn default_events() -> i64 {
    1
}

fn events_or_one<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(Option::<i64>::deserialize(d)?.unwrap_or(1))
}

/// A URN is digits; files write it as a string or a number.
fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        S(String),
        N(u64),
    }
    Ok(Option::<Either>::deserialize(d)
        .map_err(|_| serde::de::Error::custom("expected a string or a whole number"))?
        .map(|e| match e {
            Either::S(s) => s,
            Either::N(n) => n.to_string(),
        }))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    pub name: String,
    /// The retention schedule (docs/privacy.md); `None`: the default, `closed+6`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<super::retention::Retention>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermDates {
    pub year: AcademicYear,
    pub t2: Date,
    pub t3: Date,
    pub t4: Date,
    pub t5: Date,
    pub t6: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub key: String,
    pub name: String,
    pub phase: Phase,
    pub in_district: bool,
    #[serde(default, deserialize_with = "opt_string_or_number", skip_serializing_if = "Option::is_none")]
    pub urn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Date>,
    /// The staff member who is the setting's link teacher (a teacher per school or setting). The
    /// records file holds no dates for it: a link teacher is in force while set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_teacher: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staff {
    pub key: String,
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    pub fte: f64,
    pub start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "is_false")]
    pub vacant: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub key: String,
    pub first_name: String,
    pub last_name: String,
    pub dob: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftMeeting {
    pub key: String,
    pub date: Date,
    pub kind: PhaseGroup,
    /// Which schools a school meeting was for; none given counts as mixed. Early years
    /// meetings have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<LiftFocus>,
    pub settings: Vec<String>,
    /// Attendances by profession; professions not listed attended zero times.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "BTreeMap::is_empty")]
    pub professionals: BTreeMap<Profession, i64>,
    /// Held (the default), planned ahead, or cancelled.
    #[serde(default = "held", deserialize_with = "status_or_held", skip_serializing_if = "is_held")]
    pub status: LiftStatus,
    /// Referrals are due by this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    pub key: String,
    pub child: String,
    pub setting: String,
    pub received: Date,
    pub phase: Phase,
    pub area: Area,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<Need>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lift_meeting: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ReferralOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub key: String,
    pub child: String,
    pub setting: String,
    pub phase: Phase,
    pub area: Area,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<Need>,
    pub opened: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure_reason: Option<ClosureReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<String>,
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "is_false")]
    pub outreach: bool,
    /// Why the case is kept open while it is not actively supported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_reason: Option<OpenReason>,
    /// SENIF support is recorded (it needs the child open to STLS: the case cannot be closed).
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "is_false")]
    pub senif: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    pub key: String,
    pub case: String,
    pub staff: String,
    pub start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub key: String,
    pub case: String,
    pub text: String,
    pub set: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<Date>,
    /// When the target is next to be reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_by: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub key: String,
    pub case: String,
    pub date: Date,
    pub outcome: ReviewOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The target reviewed, when the review is of one target (of the same case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clinic {
    pub key: String,
    pub date: Date,
    pub phase: PhaseGroup,
    pub format: ClinicFormat,
    pub settings: Vec<String>,
    /// Cases discussed by area of need; areas not listed had none.
    #[serde(default, deserialize_with = "null_as_default")]
    pub cases_discussed: BTreeMap<Area, i64>,
    /// Of those, the cases later brought to LIFT, by area; areas not listed had none.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "BTreeMap::is_empty")]
    pub cases_to_lift: BTreeMap<Area, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    pub key: String,
    pub date: Date,
    pub title: String,
    pub kind: TrainingKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<Programme>,
    pub phase: Phase,
    pub status: TrainingStatus,
    pub settings: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendees: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub key: String,
    pub date: Date,
    pub setting: String,
    #[serde(default = "default_events", deserialize_with = "events_or_one", skip_serializing_if = "is_one")]
    pub events: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    pub key: String,
    pub case: String,
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<VisitPurpose>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A dated note or contact on a case (a phone call, a message, something to remember).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseNote {
    pub key: String,
    pub case: String,
    pub date: Date,
    pub text: String,
    /// Who made the note or contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
}

/// Support given to a group, a whole setting or a cluster of settings rather than one child.
/// Children are counted, never named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupWork {
    pub key: String,
    pub date: Date,
    pub setting: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    pub kind: GroupWorkKind,
    /// How many children the session reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The county's monitoring meeting of two terms: the district's questions submitted before it and
/// the actions agreed, each followed from meeting to meeting by its key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringMeeting {
    pub key: String,
    pub date: Date,
    pub year: AcademicYear,
    pub terms: MonitoringTerms,
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<MonitoringAction>,
}

/// An action agreed at a monitoring meeting. Its key stays the same in every meeting that
/// follows it, so its status can be traced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringAction {
    pub key: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    pub status: ActionStatus,
}

/// A figure of the return typed by the team rather than derived from records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualMeasure {
    pub year: AcademicYear,
    #[serde(serialize_with = "term_as_number", deserialize_with = "term_from_number_or_text")]
    pub term: Term,
    pub id: String,
    pub value: ManualValue,
}

impl ManualMeasure {
    /// A value written as people type it ("£12,500.50", "87%") read in the measure's unit, as
    /// the form reads it; anything else as it is (the rules then say what is wrong with it).
    pub fn as_typed(mut self) -> ManualMeasure {
        if let ManualValue::Text(text) = &self.value
            && let Some(kind) = super::manual::manual_kind(&self.id)
            && !kind.is_narrative()
            && let Ok(value) = kind.unit.read(text)
            && matches!(value, ManualValue::Number(_))
        {
            self.value = value;
        }
        self
    }
}

/// A note on a computed figure of a return for one term: why it looks as it does, or that it
/// was not collected (so a reader can tell a missing figure from a true zero).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureNote {
    pub year: AcademicYear,
    #[serde(serialize_with = "term_as_number", deserialize_with = "term_from_number_or_text")]
    pub term: Term,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "is_false")]
    pub not_collected: bool,
}

fn term_as_number<S: serde::Serializer>(t: &Term, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u8(t.number())
}

fn term_from_number_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Term, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    let text = match &v {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text.parse().map_err(serde::de::Error::custom)
}

/// A manual figure is a number or a short text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ManualValue {
    Number(f64),
    Text(String),
}

impl Serialize for ManualValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // Whole numbers are written without a decimal point, as people typed them.
            ManualValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => s.serialize_i64(*n as i64),
            ManualValue::Number(n) => s.serialize_f64(*n),
            ManualValue::Text(t) => s.serialize_str(t),
        }
    }
}

impl std::fmt::Display for ManualValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ManualValue::Number(n) => write!(f, "{n}"),
            ManualValue::Text(t) => f.write_str(t),
        }
    }
}

codes! {
    /// The record types of the records file, in the order that lets each refer to earlier ones.
    RecordKind, "record type" {
        District => "district", "district";
        TermDates => "term_dates", "term dates";
        Staff => "staff", "staff member";
        Setting => "setting", "setting";
        Child => "child", "child";
        LiftMeeting => "lift_meeting", "LIFT meeting";
        Referral => "referral", "referral";
        Case => "case", "case";
        Allocation => "allocation", "allocation";
        Target => "target", "target";
        Review => "review", "review";
        Clinic => "clinic", "clinic";
        Training => "training", "training course";
        Transition => "transition", "transition support";
        Visit => "visit", "visit";
        CaseNote => "case_note", "case note";
        GroupWork => "group_work", "group work session";
        MonitoringMeeting => "monitoring_meeting", "monitoring meeting";
        ManualMeasure => "manual_measure", "manual measure";
        MeasureNote => "measure_note", "measure note";
    }
}

/// Any record of the records file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    District(District),
    TermDates(TermDates),
    Setting(Setting),
    Staff(Staff),
    Child(Child),
    LiftMeeting(LiftMeeting),
    Referral(Referral),
    Case(Case),
    Allocation(Allocation),
    Target(Target),
    Review(Review),
    Clinic(Clinic),
    Training(Training),
    Transition(Transition),
    Visit(Visit),
    CaseNote(CaseNote),
    GroupWork(GroupWork),
    MonitoringMeeting(MonitoringMeeting),
    ManualMeasure(ManualMeasure),
    MeasureNote(MeasureNote),
}

/// A reference from one record to another, by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ref<'a> {
    pub field: &'static str,
    pub kind: RecordKind,
    pub key: &'a str,
}

impl Record {
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::District(_) => RecordKind::District,
            Record::TermDates(_) => RecordKind::TermDates,
            Record::Setting(_) => RecordKind::Setting,
            Record::Staff(_) => RecordKind::Staff,
            Record::Child(_) => RecordKind::Child,
            Record::LiftMeeting(_) => RecordKind::LiftMeeting,
            Record::Referral(_) => RecordKind::Referral,
            Record::Case(_) => RecordKind::Case,
            Record::Allocation(_) => RecordKind::Allocation,
            Record::Target(_) => RecordKind::Target,
            Record::Review(_) => RecordKind::Review,
            Record::Clinic(_) => RecordKind::Clinic,
            Record::Training(_) => RecordKind::Training,
            Record::Transition(_) => RecordKind::Transition,
            Record::Visit(_) => RecordKind::Visit,
            Record::CaseNote(_) => RecordKind::CaseNote,
            Record::GroupWork(_) => RecordKind::GroupWork,
            Record::MonitoringMeeting(_) => RecordKind::MonitoringMeeting,
            Record::ManualMeasure(_) => RecordKind::ManualMeasure,
            Record::MeasureNote(_) => RecordKind::MeasureNote,
        }
    }

    /// The record's identity within its type: its key, or for the keyless types the fields that
    /// make it unique (the year of term dates; year, term and id of a manual measure).
    pub fn key(&self) -> String {
        match self {
            Record::District(_) => "district".to_string(),
            Record::TermDates(t) => t.year.to_string(),
            Record::ManualMeasure(m) => format!("{} {} {}", m.year, m.term, m.id),
            Record::MeasureNote(m) => format!("{} {} {}", m.year, m.term, m.id),
            Record::Setting(r) => r.key.clone(),
            Record::Staff(r) => r.key.clone(),
            Record::Child(r) => r.key.clone(),
            Record::LiftMeeting(r) => r.key.clone(),
            Record::Referral(r) => r.key.clone(),
            Record::Case(r) => r.key.clone(),
            Record::Allocation(r) => r.key.clone(),
            Record::Target(r) => r.key.clone(),
            Record::Review(r) => r.key.clone(),
            Record::Clinic(r) => r.key.clone(),
            Record::Training(r) => r.key.clone(),
            Record::Transition(r) => r.key.clone(),
            Record::Visit(r) => r.key.clone(),
            Record::CaseNote(r) => r.key.clone(),
            Record::GroupWork(r) => r.key.clone(),
            Record::MonitoringMeeting(r) => r.key.clone(),
        }
    }

    /// Every reference this record makes to another record.
    pub fn refs(&self) -> Vec<Ref<'_>> {
        use RecordKind as K;
        fn one<'k>(field: &'static str, kind: RecordKind, key: &'k str) -> Ref<'k> {
            Ref { field, kind, key }
        }
        fn many<'k>(field: &'static str, kind: RecordKind, keys: &'k [String]) -> Vec<Ref<'k>> {
            keys.iter().map(|k| one(field, kind, k)).collect()
        }
        match self {
            Record::District(_) | Record::TermDates(_) | Record::Staff(_) => vec![],
            Record::ManualMeasure(_) | Record::MeasureNote(_) | Record::MonitoringMeeting(_) => vec![],
            Record::Setting(s) => s.link_teacher.iter().map(|t| one("link_teacher", K::Staff, t)).collect(),
            Record::GroupWork(g) => {
                let mut refs = vec![one("setting", K::Setting, &g.setting)];
                refs.extend(g.staff.iter().map(|s| one("staff", K::Staff, s)));
                refs
            }
            Record::Child(c) => c.setting.iter().map(|s| one("setting", K::Setting, s)).collect(),
            Record::LiftMeeting(m) => many("settings", K::Setting, &m.settings),
            Record::Referral(r) => {
                let mut v = vec![one("child", K::Child, &r.child), one("setting", K::Setting, &r.setting)];
                v.extend(r.lift_meeting.iter().map(|m| one("lift_meeting", K::LiftMeeting, m)));
                v
            }
            Record::Case(c) => {
                let mut v = vec![one("child", K::Child, &c.child), one("setting", K::Setting, &c.setting)];
                v.extend(c.referral.iter().map(|r| one("referral", K::Referral, r)));
                v
            }
            Record::Allocation(a) => vec![one("case", K::Case, &a.case), one("staff", K::Staff, &a.staff)],
            Record::Target(t) => vec![one("case", K::Case, &t.case)],
            Record::Review(r) => {
                let mut refs = vec![one("case", K::Case, &r.case)];
                refs.extend(r.target.iter().map(|t| one("target", K::Target, t)));
                refs
            }
            Record::CaseNote(n) => {
                let mut refs = vec![one("case", K::Case, &n.case)];
                refs.extend(n.staff.iter().map(|s| one("staff", K::Staff, s)));
                refs
            }
            Record::Clinic(c) => many("settings", K::Setting, &c.settings),
            Record::Training(t) => many("settings", K::Setting, &t.settings),
            Record::Transition(t) => vec![one("setting", K::Setting, &t.setting)],
            Record::Visit(v) => {
                let mut refs = vec![one("case", K::Case, &v.case)];
                refs.extend(v.staff.iter().map(|s| one("staff", K::Staff, s)));
                refs
            }
        }
    }
}

impl RecordKind {
    /// Whether records of other types refer to records of this type (see [`Record::refs`]).
    pub fn is_referred_to(self) -> bool {
        use RecordKind as K;
        matches!(self, K::Setting | K::Staff | K::Child | K::LiftMeeting | K::Referral | K::Case | K::Target)
    }
}

#[cfg(test)]
mod tests {
    use crate::import::line::{Parsed, parse_line};

    #[test]
    fn every_type_referred_to_says_so() {
        let file = include_str!("../../tests/fixtures/every_record.jsonl");
        let records: Vec<_> = file
            .lines()
            .filter_map(|l| match parse_line(l, crate::clock::today()) {
                Parsed::Record(r) => Some(r),
                _ => None,
            })
            .collect();
        assert!(records.len() >= 15, "the fixture has a record of every type");
        let referred: std::collections::BTreeSet<_> =
            records.iter().flat_map(|r| r.refs()).map(|r| r.kind).collect();
        for kind in crate::domain::RecordKind::ALL {
            assert_eq!(kind.is_referred_to(), referred.contains(kind), "{kind:?}");
        }
    }
}
