//! The rules the data must keep (docs/data-rules.md), as pure functions.
//!
//! Rules that need only the record itself are checked by [`violations`]; rules that relate two
//! records (a child's cases never overlap; work on a case lies within its open period) are the
//! functions below, which the store applies set-wise to what it holds.

use super::calendar::AcademicYear;
use super::codes::{Area, Need, PhaseGroup};
use super::date::Date;
use super::records::*;
use std::collections::BTreeMap;

/// A broken rule: the field it concerns and, in plain words, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: &'static str,
    pub message: String,
}

impl Violation {
    pub fn new(field: &'static str, message: impl Into<String>) -> Violation {
        Violation { field, message: message.into() }
    }
}

/// The longest text accepted for a manual measure's value.
pub const MANUAL_TEXT_MAX: usize = 500;
/// The longest note on a figure of a return.
pub const NOTE_MAX: usize = 500;

/// Limits on sizes (docs/data-rules.md): keys, names, titles, long texts (a target, a note), and
/// counts of events, cases discussed, professionals or attendees.
pub const KEY_MAX: usize = 64;
pub const NAME_MAX: usize = 100;
pub const TITLE_MAX: usize = 200;
pub const TEXT_MAX: usize = 4000;
pub const COUNT_MAX: i64 = 10_000;

/// No record is dated before this day (an earlier one is a mistyped year).
pub fn earliest_date() -> Date {
    Date::from_ymd(2000, 1, 1).expect("1 January 2000 exists")
}

/// Characters no text may hold: C0 and C1 controls, DEL, and the bidirectional overrides and
/// isolates that make text display in another order than it is stored. Tab and newline are
/// allowed in notes and narratives only (`multiline`).
pub fn forbidden_char(text: &str, multiline: bool) -> Option<char> {
    text.chars().find(|c| {
        let allowed = multiline && matches!(c, '\t' | '\n' | '\r');
        !allowed && (c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    })
}

/// A text field's length and characters: at most `max` characters, no control characters.
pub fn text_ok(field: &'static str, text: &str, max: usize, multiline: bool) -> Option<Violation> {
    let n = text.chars().count();
    if n > max {
        return Some(Violation::new(
            field,
            format!("{field} is {n} characters long; at most {max} are allowed"),
        ));
    }
    forbidden_char(text, multiline).map(|c| {
        let kind = if c.is_control() { "control" } else { "direction-override" };
        let note =
            if multiline || !c.is_control() { "" } else { " (a line break or tab is allowed only in notes)" };
        Violation::new(
            field,
            format!("{field} contains the {kind} character U+{:04X}{note}; remove it", u32::from(c)),
        )
    })
}

/// A count is at most [`COUNT_MAX`].
pub fn count_in_range(field: &'static str, what: &str, n: i64) -> Option<Violation> {
    (n > COUNT_MAX).then(|| Violation::new(field, format!("{what} is {n}; at most {COUNT_MAX} is plausible")))
}

/// A date is not before 2000; one that records something that happened is not after today.
/// A `private` date (a date of birth) is not repeated in the message.
pub fn date_plausible(
    field: &'static str,
    date: Date,
    today: Date,
    happened: Option<&str>,
    private: bool,
) -> Option<Violation> {
    let shown = if private { "the date of birth".to_string() } else { format!("{field} {date}") };
    if date < earliest_date() {
        return Some(Violation::new(field, format!("{shown} is before 1 January 2000: check the year")));
    }
    let what = happened?;
    (date > today).then(|| {
        Violation::new(field, format!("{shown} is after today ({today}): {what} cannot be in the future"))
    })
}

/// An end date must not be before its start date.
pub fn end_not_before_start(
    start_field: &str,
    start: Date,
    end_field: &'static str,
    end: Option<Date>,
) -> Option<Violation> {
    let end = end?;
    (end < start)
        .then(|| Violation::new(end_field, format!("{end_field} {end} is before {start_field} {start}")))
}

/// A need type must belong to the area of need it is recorded with.
pub fn need_in_area(area: Area, need: Option<Need>) -> Option<Violation> {
    let need = need?;
    (!need.belongs_to(area)).then(|| {
        Violation::new(
            "need",
            format!(
                "need type {} ({}) is not in the area {}; with that area use one of: {}",
                need.code(),
                need.label(),
                area.code(),
                Need::for_area(area).map(Need::code).collect::<Vec<_>>().join(", ")
            ),
        )
    })
}

/// A closed case has a closure reason; an open case has none.
pub fn closure_has_reason(closed: Option<Date>, reason_given: bool) -> Option<Violation> {
    match (closed.is_some(), reason_given) {
        (true, false) => Some(Violation::new(
            "closure_reason",
            "a closed case needs a closure reason (targets_achieved, setting_meeting_need, \
             transitioned, moved_away, specialist_provision or other)",
        )),
        (false, true) => Some(Violation::new(
            "closure_reason",
            "an open case cannot have a closure reason; give the closed date too, or remove the reason",
        )),
        _ => None,
    }
}

/// A staff post's FTE is more than 0 and at most 1.
pub fn fte_in_range(fte: f64) -> Option<Violation> {
    (!(fte > 0.0 && fte <= 1.0)).then(|| {
        Violation::new("fte", format!("fte {fte} must be more than 0 and at most 1 (1 is full time)"))
    })
}

/// Counts are never negative.
pub fn count_not_negative(field: &'static str, what: &str, n: i64) -> Option<Violation> {
    (n < 0).then(|| Violation::new(field, format!("{what} cannot be negative (got {n})")))
}

/// Required text must not be blank.
pub fn not_blank(field: &'static str, text: &str) -> Option<Violation> {
    text.trim().is_empty().then(|| Violation::new(field, format!("{field} must not be empty")))
}

/// Term start dates: after 1 September, in order, all within the academic year.
pub fn term_dates_in_order(year: AcademicYear, starts: [Date; 5]) -> Vec<Violation> {
    const FIELDS: [&str; 5] = ["t2", "t3", "t4", "t5", "t6"];
    let mut out = Vec::new();
    let mut previous = ("the first day of term 1", year.first_day());
    for (field, date) in FIELDS.into_iter().zip(starts) {
        if !year.contains(date) {
            out.push(Violation::new(field, format!("{field} {date} is outside the academic year {year}")));
        } else if date <= previous.1 {
            out.push(Violation::new(
                field,
                format!("{field} {date} must be after {} ({})", previous.0, previous.1),
            ));
        }
        previous = (field, date);
    }
    out
}

/// Two periods (end `None` = still running) share at least one day.
pub fn periods_overlap(a: (Date, Option<Date>), b: (Date, Option<Date>)) -> bool {
    let a_before_b_ends = b.1.is_none_or(|b_end| a.0 <= b_end);
    let b_before_a_ends = a.1.is_none_or(|a_end| b.0 <= a_end);
    a_before_b_ends && b_before_a_ends
}

/// Two cases of a child overlap when both are open on some day: a case is open from its opening
/// day up to the day before it closes (a case closed today is closed today), so a new case may open
/// on the day the last one closed.
pub fn cases_overlap(a: (Date, Option<Date>), b: (Date, Option<Date>)) -> bool {
    let a_before_b_closes = b.1.is_none_or(|b_closed| a.0 < b_closed);
    let b_before_a_closes = a.1.is_none_or(|a_closed| b.0 < a_closed);
    a_before_b_closes && b_before_a_closes
}

/// Work on a case (an allocation, target, review or visit) starts within the case's open period
/// (the closing day counts), and any end date is no later than the closing date.
pub fn within_case(
    case: (Date, Option<Date>),
    start_field: &'static str,
    start: Date,
    end_field: &'static str,
    end: Option<Date>,
) -> Option<Violation> {
    let (opened, closed) = case;
    if start < opened {
        return Some(Violation::new(
            start_field,
            format!("{start_field} {start} is before the case was opened ({opened})"),
        ));
    }
    if let Some(closed) = closed {
        if start > closed {
            return Some(Violation::new(
                start_field,
                format!("{start_field} {start} is after the case was closed ({closed})"),
            ));
        }
        if let Some(end) = end.filter(|e| *e > closed) {
            return Some(Violation::new(
                end_field,
                format!("{end_field} {end} is after the case was closed ({closed})"),
            ));
        }
    }
    None
}

fn counts<K: Copy>(
    out: &mut Vec<Violation>,
    field: &'static str,
    map: &BTreeMap<K, i64>,
    name: impl Fn(K) -> &'static str,
) {
    for (k, n) in map {
        let what = format!("the count for {}", name(*k));
        out.extend(count_not_negative(field, &what, *n));
        out.extend(count_in_range(field, &what, *n));
    }
}

/// Every rule a single record must keep on its own, on the day it is written (`today`: nothing
/// that has happened is dated after it).
pub fn violations(record: &Record, today: Date) -> Vec<Violation> {
    // Most records break no rule: build nothing unless one does.
    let mut many: Vec<Violation> = Vec::new();
    let mut out = Found(&mut many);
    let happened = |field, date, what| date_plausible(field, date, today, Some(what), false);
    let planned = |field, date| date_plausible(field, date, today, None, false);
    let key = |k: &str| text_ok("key", k, KEY_MAX, false);
    match record {
        Record::District(d) => {
            out.push(not_blank("name", &d.name));
            out.push(text_ok("name", &d.name, NAME_MAX, false));
        }
        Record::TermDates(t) => out.0.extend(term_dates_in_order(t.year, [t.t2, t.t3, t.t4, t.t5, t.t6])),
        Record::Setting(s) => {
            out.push(not_blank("key", &s.key));
            out.push(key(&s.key));
            out.push(not_blank("name", &s.name));
            out.push(text_ok("name", &s.name, NAME_MAX, false));
            out.push(s.urn.as_deref().and_then(|u| text_ok("urn", u, KEY_MAX, false)));
            out.push(s.closed.and_then(|d| planned("closed", d)));
        }
        Record::Staff(s) => {
            out.push(not_blank("key", &s.key));
            out.push(key(&s.key));
            out.push(not_blank("name", &s.name));
            out.push(text_ok("name", &s.name, NAME_MAX, false));
            out.push(fte_in_range(s.fte));
            out.push(end_not_before_start("start", s.start, "end", s.end));
            out.push(planned("start", s.start));
            out.push(s.end.and_then(|d| planned("end", d)));
        }
        Record::Child(c) => {
            out.push(not_blank("key", &c.key));
            out.push(key(&c.key));
            out.push(not_blank("first_name", &c.first_name));
            out.push(text_ok("first_name", &c.first_name, NAME_MAX, false));
            out.push(not_blank("last_name", &c.last_name));
            out.push(text_ok("last_name", &c.last_name, NAME_MAX, false));
            out.push(c.upn.as_deref().and_then(|u| text_ok("upn", u, KEY_MAX, false)));
            out.push(date_plausible("dob", c.dob, today, Some("a date of birth"), true));
        }
        Record::LiftMeeting(m) => {
            out.push(not_blank("key", &m.key));
            out.push(key(&m.key));
            out.0.extend(super::practices::meeting_rules(m, today));
            out.push((m.kind == PhaseGroup::EarlyYears && m.focus.is_some()).then(|| {
                Violation::new("focus", "an early years LIFT meeting has no focus (primary, secondary or mixed is for school meetings)")
            }));
            counts(out.0, "professionals", &m.professionals, |p| p.code());
        }
        Record::Referral(r) => {
            out.push(not_blank("key", &r.key));
            out.push(key(&r.key));
            out.push(need_in_area(r.area, r.need));
            out.push(happened("received", r.received, "a referral received"));
        }
        Record::Case(c) => {
            out.push(not_blank("key", &c.key));
            out.push(key(&c.key));
            out.push(need_in_area(c.area, c.need));
            out.push(end_not_before_start("opened", c.opened, "closed", c.closed));
            out.push(closure_has_reason(c.closed, c.closure_reason.is_some()));
            out.push(happened("opened", c.opened, "a case's opening"));
            out.push(c.closed.and_then(|d| happened("closed", d, "a case's closure")));
            out.0.extend(super::practices::case_rules(c));
        }
        Record::Allocation(a) => {
            out.push(not_blank("key", &a.key));
            out.push(key(&a.key));
            out.push(end_not_before_start("start", a.start, "end", a.end));
            out.push(happened("start", a.start, "the start of an allocation"));
            out.push(a.end.and_then(|d| planned("end", d)));
        }
        Record::Target(t) => {
            out.push(not_blank("key", &t.key));
            out.push(key(&t.key));
            out.push(not_blank("text", &t.text));
            out.push(text_ok("text", &t.text, TEXT_MAX, false));
            out.push(end_not_before_start("set", t.set, "ended", t.ended));
            out.push(happened("set", t.set, "a target set"));
            out.push(t.ended.and_then(|d| planned("ended", d)));
            out.push(super::practices::target_rules(t));
            out.push(t.review_by.and_then(|d| planned("review_by", d)));
        }
        Record::Review(r) => {
            out.push(not_blank("key", &r.key));
            out.push(key(&r.key));
            out.push(happened("date", r.date, "a review"));
            out.push(r.notes.as_deref().and_then(|n| text_ok("notes", n, TEXT_MAX, true)));
        }
        Record::Clinic(c) => {
            out.push(not_blank("key", &c.key));
            out.push(key(&c.key));
            out.push(happened("date", c.date, "a clinic held"));
            counts(out.0, "cases_discussed", &c.cases_discussed, |a| a.code());
            out.0.extend(super::practices::clinic_rules(c));
        }
        Record::Training(t) => {
            out.push(not_blank("key", &t.key));
            out.push(key(&t.key));
            out.push(not_blank("title", &t.title));
            out.push(text_ok("title", &t.title, TITLE_MAX, false));
            // Booked and cancelled courses are plans: only a delivered one must have happened.
            let delivered = t.status == crate::domain::TrainingStatus::Delivered;
            out.push(date_plausible("date", t.date, today, delivered.then_some("a course delivered"), false));
            if let Some(n) = t.attendees {
                out.push(count_not_negative("attendees", "attendees", n));
                out.push(count_in_range("attendees", "attendees", n));
            }
        }
        Record::Transition(t) => {
            out.push(not_blank("key", &t.key));
            out.push(key(&t.key));
            out.push(happened("date", t.date, "transition support given"));
            out.push(count_not_negative("events", "events", t.events));
            out.push(count_in_range("events", "events", t.events));
        }
        Record::Visit(v) => {
            out.push(not_blank("key", &v.key));
            out.push(key(&v.key));
            out.push(happened("date", v.date, "a visit"));
            out.push(v.notes.as_deref().and_then(|n| text_ok("notes", n, TEXT_MAX, true)));
        }
        Record::CaseNote(n) => {
            out.push(not_blank("key", &n.key));
            out.push(key(&n.key));
            out.push(happened("date", n.date, "a note or contact"));
            out.push(not_blank("text", &n.text));
            out.push(text_ok("text", &n.text, TEXT_MAX, true));
        }
        Record::GroupWork(g) => out.0.extend(super::practices::group_work_rules(g, today)),
        Record::MonitoringMeeting(m) => out.0.extend(super::practices::monitoring_rules(m, today)),
        Record::ManualMeasure(m) => {
            out.push(super::manual::id_problem(&m.id).map(|why| Violation::new("id", why)));
            let kind = super::manual::manual_kind(&m.id);
            let max = kind.map_or(MANUAL_TEXT_MAX, |k| k.text_max());
            match &m.value {
                ManualValue::Number(n) if !n.is_finite() => {
                    out.push(Some(Violation::new("value", "value must be a finite number")))
                }
                ManualValue::Text(t) if t.chars().count() > max => out.push(Some(Violation::new(
                    "value",
                    format!("value is {} characters long; at most {max} are allowed", t.chars().count()),
                ))),
                ManualValue::Text(t) => out.push(text_ok("value", t, max, true)),
                _ => {}
            }
            if let Some(kind) = kind {
                out.push(kind.unit.check(&m.value).err().map(|why| {
                    Violation::new("value", format!("{} is measured as {}: {why}", m.id, kind.unit.hint()))
                }));
                out.push((kind.yearly && m.term.number() != 6).then(|| {
                    Violation::new(
                        "term",
                        format!("{} is a figure for the whole year: record it against term 6", m.id),
                    )
                }));
            }
        }
        Record::MeasureNote(n) => {
            out.push(super::manual::measure_id_problem(&n.id).map(|why| Violation::new("id", why)));
            if let Some(note) = &n.note {
                out.push(not_blank("note", note));
                out.push(text_ok("note", note, NOTE_MAX, true));
            }
            out.push((n.note.is_none() && !n.not_collected).then(|| {
                Violation::new("note", "a measure note needs a note, or not_collected: true, or both")
            }));
        }
    }
    many
}

/// Collects the violations found, allocating only when there is one.
struct Found<'a>(&'a mut Vec<Violation>);

impl Found<'_> {
    fn push(&mut self, v: Option<Violation>) {
        self.0.extend(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    fn today() -> Date {
        d("2025-06-01")
    }

    fn case() -> Case {
        Case {
            key: "C1".into(),
            child: "K1".into(),
            setting: "S1".into(),
            phase: Phase::Primary,
            area: Area::Semh,
            need: Some(Need::Semh),
            opened: d("2024-01-10"),
            closed: None,
            closure_reason: None,
            referral: None,
            outreach: false,
            open_reason: None,
            senif: false,
        }
    }

    fn fields(r: &Record) -> Vec<&'static str> {
        violations(r, today()).into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn a_valid_case_has_no_violations() {
        assert!(violations(&Record::Case(case()), today()).is_empty());
    }

    #[test]
    fn case_closed_before_opened() {
        let mut c = case();
        c.closed = Some(d("2024-01-09"));
        c.closure_reason = Some(ClosureReason::Other);
        let v = violations(&Record::Case(c), today());
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, "closed");
        assert!(v[0].message.contains("before opened 2024-01-10"), "{}", v[0].message);
    }

    #[test]
    fn case_closed_on_its_opening_day_is_fine() {
        let mut c = case();
        c.closed = Some(d("2024-01-10"));
        c.closure_reason = Some(ClosureReason::Other);
        assert!(violations(&Record::Case(c), today()).is_empty());
    }

    #[test]
    fn closed_without_reason_and_open_with_reason() {
        let mut c = case();
        c.closed = Some(d("2024-02-01"));
        assert_eq!(fields(&Record::Case(c.clone())), ["closure_reason"]);
        c.closed = None;
        c.closure_reason = Some(ClosureReason::MovedAway);
        let v = violations(&Record::Case(c), today());
        assert!(v[0].message.contains("open case cannot have a closure reason"));
    }

    #[test]
    fn need_outside_its_area() {
        let mut c = case();
        c.need = Some(Need::Asd);
        let v = violations(&Record::Case(c.clone()), today());
        assert_eq!(v[0].field, "need");
        assert!(v[0].message.contains("ASD"), "{}", v[0].message);
        assert!(v[0].message.contains("SEMH, OTH, NSA"), "{}", v[0].message);
        c.need = Some(Need::Nsa);
        assert!(violations(&Record::Case(c), today()).is_empty());
    }

    #[test]
    fn referral_need_outside_its_area() {
        let r = Referral {
            key: "R1".into(),
            child: "K1".into(),
            setting: "S1".into(),
            received: d("2024-01-01"),
            phase: Phase::EarlyYears,
            area: Area::CognitionLearning,
            need: Some(Need::Hi),
            lift_meeting: None,
            outcome: None,
        };
        assert_eq!(fields(&Record::Referral(r)), ["need"]);
    }

    #[test]
    fn fte_must_be_in_range() {
        for ok in [0.1, 0.5, 1.0] {
            assert!(fte_in_range(ok).is_none(), "{ok}");
        }
        for bad in [0.0, -0.5, 1.01, f64::NAN, f64::INFINITY] {
            assert!(fte_in_range(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn staff_post_end_before_start() {
        let s = Staff {
            key: "T1".into(),
            name: "A Teacher".into(),
            role: Role::SpecialistTeacher,
            area: Some(Area::Semh),
            fte: 1.5,
            start: d("2024-01-01"),
            end: Some(d("2023-12-31")),
            vacant: false,
        };
        assert_eq!(fields(&Record::Staff(s)), ["fte", "end"]);
    }

    #[test]
    fn allocation_and_target_end_before_start() {
        let a = Allocation {
            key: "A".into(),
            case: "C".into(),
            staff: "T".into(),
            start: d("2024-03-01"),
            end: Some(d("2024-02-28")),
        };
        assert_eq!(fields(&Record::Allocation(a)), ["end"]);
        let t = Target {
            key: "T".into(),
            case: "C".into(),
            text: "Uses a visual timetable".into(),
            set: d("2024-03-01"),
            ended: Some(d("2024-02-28")),
            review_by: None,
        };
        assert_eq!(fields(&Record::Target(t)), ["ended"]);
    }

    #[test]
    fn negative_counts_are_refused() {
        let mut m = LiftMeeting {
            key: "L".into(),
            date: d("2024-01-01"),
            kind: PhaseGroup::School,
            focus: Some(LiftFocus::Secondary),
            settings: vec![],
            professionals: BTreeMap::from([(Profession::Camhs, 2)]),
            status: LiftStatus::Held,
            deadline: None,
        };
        assert!(violations(&Record::LiftMeeting(m.clone()), today()).is_empty());
        m.professionals.insert(Profession::Health, -1);
        assert_eq!(fields(&Record::LiftMeeting(m.clone())), ["professionals"]);
        m.professionals.clear();
        m.kind = PhaseGroup::EarlyYears;
        assert_eq!(fields(&Record::LiftMeeting(m.clone())), ["focus"], "a focus is for school meetings");
        m.focus = None;
        assert!(violations(&Record::LiftMeeting(m), today()).is_empty());
        let c = Clinic {
            key: "K".into(),
            date: d("2024-01-01"),
            phase: PhaseGroup::EarlyYears,
            format: ClinicFormat::Surgery,
            settings: vec![],
            cases_discussed: BTreeMap::from([(Area::Semh, -3)]),
            cases_to_lift: BTreeMap::new(),
        };
        assert_eq!(fields(&Record::Clinic(c)), ["cases_discussed"]);
        let t = Transition { key: "X".into(), date: d("2024-06-01"), setting: "S".into(), events: -1 };
        assert_eq!(fields(&Record::Transition(t)), ["events"]);
    }

    #[test]
    fn blank_names_and_keys() {
        let s = Setting {
            key: " ".into(),
            name: "".into(),
            phase: Phase::Primary,
            in_district: true,
            urn: None,
            closed: None,
            link_teacher: None,
        };
        assert_eq!(fields(&Record::Setting(s)), ["key", "name"]);
    }

    #[test]
    fn term_dates_out_of_order() {
        let y: AcademicYear = "2023-24".parse().unwrap();
        let good = [d("2023-10-30"), d("2024-01-03"), d("2024-02-19"), d("2024-04-15"), d("2024-06-03")];
        assert!(term_dates_in_order(y, good).is_empty());
        let mut swapped = good;
        swapped.swap(1, 2);
        let v = term_dates_in_order(y, swapped);
        assert_eq!(v.iter().map(|v| v.field).collect::<Vec<_>>(), ["t4"]);
        let mut outside = good;
        outside[4] = d("2024-09-02");
        assert_eq!(term_dates_in_order(y, outside)[0].field, "t6");
        let mut first_day = good;
        first_day[0] = d("2023-09-01");
        assert_eq!(term_dates_in_order(y, first_day)[0].field, "t2");
    }

    #[test]
    fn overlapping_periods() {
        let p = |a: &str, b: Option<&str>| (d(a), b.map(d));
        assert!(periods_overlap(p("2024-01-01", Some("2024-02-01")), p("2024-02-01", None)));
        assert!(!periods_overlap(p("2024-01-01", Some("2024-01-31")), p("2024-02-01", None)));
        assert!(periods_overlap(p("2024-01-01", None), p("2023-01-01", None)));
        assert!(!periods_overlap(p("2024-03-01", None), p("2023-01-01", Some("2024-02-29"))));
        assert!(periods_overlap(p("2024-01-05", Some("2024-01-06")), p("2024-01-01", Some("2024-12-31"))));
        // Cases: a new case may open on the day the last one closed, not before.
        assert!(!cases_overlap(p("2024-01-01", Some("2024-02-01")), p("2024-02-01", None)));
        assert!(cases_overlap(p("2024-01-01", Some("2024-02-02")), p("2024-02-01", None)));
        assert!(cases_overlap(p("2024-02-01", None), p("2024-01-01", None)));
    }

    #[test]
    fn work_within_the_case_period() {
        let open = (d("2024-01-10"), None);
        let closed = (d("2024-01-10"), Some(d("2024-06-30")));
        assert!(within_case(open, "start", d("2024-01-10"), "end", None).is_none());
        assert_eq!(within_case(open, "start", d("2024-01-09"), "end", None).unwrap().field, "start");
        assert!(within_case(closed, "date", d("2024-06-30"), "end", None).is_none());
        let late = within_case(closed, "date", d("2024-07-01"), "end", None).unwrap();
        assert!(late.message.contains("after the case was closed"), "{}", late.message);
        let v = within_case(closed, "set", d("2024-02-01"), "ended", Some(d("2024-07-01"))).unwrap();
        assert_eq!(v.field, "ended");
        assert!(within_case(closed, "set", d("2024-02-01"), "ended", Some(d("2024-06-30"))).is_none());
    }

    #[test]
    fn manual_values() {
        let m = |value| ManualMeasure {
            year: "2023-24".parse().unwrap(),
            term: "T1".parse().unwrap(),
            id: "survey".into(),
            value,
        };
        assert!(violations(&Record::ManualMeasure(m(ManualValue::Number(4.5))), today()).is_empty());
        let long = ManualValue::Text("x".repeat(MANUAL_TEXT_MAX + 1));
        assert_eq!(fields(&Record::ManualMeasure(m(long))), ["value"]);
    }

    #[test]
    fn nothing_that_happened_is_dated_after_today_and_nothing_before_2000() {
        let mut c = case();
        c.opened = today().succ();
        let v = violations(&Record::Case(c.clone()), today());
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, "opened");
        assert!(v[0].message.contains("is after today (2025-06-01)"), "{}", v[0].message);
        c.opened = today();
        assert!(violations(&Record::Case(c.clone()), today()).is_empty(), "today itself is fine");
        c.opened = d("1999-12-31");
        assert!(violations(&Record::Case(c), today())[0].message.contains("before 1 January 2000"));

        let child = Child {
            key: "C".into(),
            first_name: "Amy".into(),
            last_name: "Smith".into(),
            dob: d("2099-01-01"),
            upn: None,
            setting: None,
        };
        let v = violations(&Record::Child(child), today());
        assert_eq!(v[0].field, "dob");
        assert!(!v[0].message.contains("2099"), "a date of birth is never repeated: {}", v[0].message);

        // Plans may lie ahead: a booked course, a post that starts later, an allocation's end.
        let course = |status| Training {
            key: "TR".into(),
            date: d("2025-09-10"),
            title: "Autism awareness".into(),
            kind: TrainingKind::Core,
            programme: None,
            phase: Phase::Primary,
            status,
            settings: vec![],
            attendees: None,
        };
        assert!(violations(&Record::Training(course(TrainingStatus::Booked)), today()).is_empty());
        assert_eq!(fields(&Record::Training(course(TrainingStatus::Delivered))), ["date"]);
        let a = Allocation {
            key: "A".into(),
            case: "K".into(),
            staff: "T".into(),
            start: d("2025-01-01"),
            end: Some(d("2026-07-31")),
        };
        assert!(violations(&Record::Allocation(a.clone()), today()).is_empty());
        assert_eq!(fields(&Record::Allocation(Allocation { start: d("2025-06-02"), ..a })), ["start"]);
    }

    #[test]
    fn sizes_and_control_characters() {
        let mut s = Setting {
            key: "S".into(),
            name: "x".repeat(NAME_MAX),
            phase: Phase::Primary,
            in_district: true,
            urn: None,
            closed: None,
            link_teacher: None,
        };
        assert!(violations(&Record::Setting(s.clone()), today()).is_empty());
        s.name.push('x');
        let v = violations(&Record::Setting(s.clone()), today());
        assert!(v[0].message.contains("101 characters long; at most 100"), "{}", v[0].message);
        s.name = "Oak\u{1b}]0;pwned\u{7}".into();
        assert!(violations(&Record::Setting(s.clone()), today())[0].message.contains("U+001B"));
        s.name = "Oak \u{202E}loohcS".into();
        assert_eq!(fields(&Record::Setting(s.clone())), ["name"]);
        s.name = "Oak\nPrimary".into();
        assert_eq!(fields(&Record::Setting(s)), ["name"], "no line break in a name");
        s = Setting { key: "k".repeat(KEY_MAX + 1), ..s_default() };
        assert_eq!(fields(&Record::Setting(s)), ["key"]);

        let review = Review {
            key: "V".into(),
            case: "K".into(),
            date: d("2025-01-01"),
            outcome: ReviewOutcome::Amended,
            notes: Some("Met with parents.\n\tAgreed next steps.".into()),
            target: None,
        };
        assert!(violations(&Record::Review(review.clone()), today()).is_empty(), "notes may have lines");
        let long = Review { notes: Some("n".repeat(TEXT_MAX + 1)), ..review };
        assert_eq!(fields(&Record::Review(long)), ["notes"]);

        let t = Transition { key: "X".into(), date: d("2025-06-01"), setting: "S".into(), events: COUNT_MAX };
        assert!(violations(&Record::Transition(t.clone()), today()).is_empty());
        let t = Transition { events: 9_223_372_036_854_775_807, ..t };
        assert_eq!(fields(&Record::Transition(t)), ["events"]);
    }

    fn s_default() -> Setting {
        Setting {
            key: "S".into(),
            name: "Oak".into(),
            phase: Phase::Primary,
            in_district: true,
            urn: None,
            closed: None,
            link_teacher: None,
        }
    }
}
