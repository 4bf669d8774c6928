//! The rules the data must keep (docs/data-rules.md), as pure functions.
//!
//! Rules that need only the record itself are checked by [`violations`]; rules that relate two
//! records (a child's cases never overlap; work on a case lies within its open period) are the
//! functions below, which the store applies set-wise to what it holds.

use super::calendar::AcademicYear;
use super::codes::{Area, Need};
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
        out.extend(count_not_negative(field, &format!("the count for {}", name(*k)), *n));
    }
}

/// Every rule a single record must keep on its own.
pub fn violations(record: &Record) -> Vec<Violation> {
    // Most records break no rule: build nothing unless one does.
    let mut many: Vec<Violation> = Vec::new();
    let mut out = Found(&mut many);
    match record {
        Record::District(d) => out.push(not_blank("name", &d.name)),
        Record::TermDates(t) => out.0.extend(term_dates_in_order(t.year, [t.t2, t.t3, t.t4, t.t5, t.t6])),
        Record::Setting(s) => {
            out.push(not_blank("key", &s.key));
            out.push(not_blank("name", &s.name));
        }
        Record::Staff(s) => {
            out.push(not_blank("key", &s.key));
            out.push(not_blank("name", &s.name));
            out.push(fte_in_range(s.fte));
            out.push(end_not_before_start("start", s.start, "end", s.end));
        }
        Record::Child(c) => {
            out.push(not_blank("key", &c.key));
            out.push(not_blank("first_name", &c.first_name));
            out.push(not_blank("last_name", &c.last_name));
        }
        Record::LiftMeeting(m) => {
            out.push(not_blank("key", &m.key));
            counts(out.0, "professionals", &m.professionals, |p| p.code());
        }
        Record::Referral(r) => {
            out.push(not_blank("key", &r.key));
            out.push(need_in_area(r.area, r.need));
        }
        Record::Case(c) => {
            out.push(not_blank("key", &c.key));
            out.push(need_in_area(c.area, c.need));
            out.push(end_not_before_start("opened", c.opened, "closed", c.closed));
            out.push(closure_has_reason(c.closed, c.closure_reason.is_some()));
        }
        Record::Allocation(a) => {
            out.push(not_blank("key", &a.key));
            out.push(end_not_before_start("start", a.start, "end", a.end));
        }
        Record::Target(t) => {
            out.push(not_blank("key", &t.key));
            out.push(not_blank("text", &t.text));
            out.push(end_not_before_start("set", t.set, "ended", t.ended));
        }
        Record::Review(r) => out.push(not_blank("key", &r.key)),
        Record::Clinic(c) => {
            out.push(not_blank("key", &c.key));
            counts(out.0, "cases_discussed", &c.cases_discussed, |a| a.code());
        }
        Record::Training(t) => {
            out.push(not_blank("key", &t.key));
            out.push(not_blank("title", &t.title));
            if let Some(n) = t.attendees {
                out.push(count_not_negative("attendees", "attendees", n));
            }
        }
        Record::Transition(t) => {
            out.push(not_blank("key", &t.key));
            out.push(count_not_negative("events", "events", t.events));
        }
        Record::Visit(v) => out.push(not_blank("key", &v.key)),
        Record::ManualMeasure(m) => {
            out.push(not_blank("id", &m.id));
            match &m.value {
                ManualValue::Number(n) if !n.is_finite() => {
                    out.push(Some(Violation::new("value", "value must be a finite number")))
                }
                ManualValue::Text(t) if t.chars().count() > MANUAL_TEXT_MAX => out.push(Some(
                    Violation::new("value", format!("value is longer than {MANUAL_TEXT_MAX} characters")),
                )),
                _ => {}
            }
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
        }
    }

    fn fields(r: &Record) -> Vec<&'static str> {
        violations(r).into_iter().map(|v| v.field).collect()
    }

    #[test]
    fn a_valid_case_has_no_violations() {
        assert!(violations(&Record::Case(case())).is_empty());
    }

    #[test]
    fn case_closed_before_opened() {
        let mut c = case();
        c.closed = Some(d("2024-01-09"));
        c.closure_reason = Some(ClosureReason::Other);
        let v = violations(&Record::Case(c));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].field, "closed");
        assert!(v[0].message.contains("before opened 2024-01-10"), "{}", v[0].message);
    }

    #[test]
    fn case_closed_on_its_opening_day_is_fine() {
        let mut c = case();
        c.closed = Some(d("2024-01-10"));
        c.closure_reason = Some(ClosureReason::Other);
        assert!(violations(&Record::Case(c)).is_empty());
    }

    #[test]
    fn closed_without_reason_and_open_with_reason() {
        let mut c = case();
        c.closed = Some(d("2024-02-01"));
        assert_eq!(fields(&Record::Case(c.clone())), ["closure_reason"]);
        c.closed = None;
        c.closure_reason = Some(ClosureReason::MovedAway);
        let v = violations(&Record::Case(c));
        assert!(v[0].message.contains("open case cannot have a closure reason"));
    }

    #[test]
    fn need_outside_its_area() {
        let mut c = case();
        c.need = Some(Need::Asd);
        let v = violations(&Record::Case(c.clone()));
        assert_eq!(v[0].field, "need");
        assert!(v[0].message.contains("ASD"), "{}", v[0].message);
        assert!(v[0].message.contains("SEMH, OTH, NSA"), "{}", v[0].message);
        c.need = Some(Need::Nsa);
        assert!(violations(&Record::Case(c)).is_empty());
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
        };
        assert_eq!(fields(&Record::Target(t)), ["ended"]);
    }

    #[test]
    fn negative_counts_are_refused() {
        let mut m = LiftMeeting {
            key: "L".into(),
            date: d("2024-01-01"),
            kind: PhaseGroup::School,
            settings: vec![],
            professionals: BTreeMap::from([(Profession::Camhs, 2)]),
        };
        assert!(violations(&Record::LiftMeeting(m.clone())).is_empty());
        m.professionals.insert(Profession::Health, -1);
        assert_eq!(fields(&Record::LiftMeeting(m)), ["professionals"]);
        let c = Clinic {
            key: "K".into(),
            date: d("2024-01-01"),
            phase: PhaseGroup::EarlyYears,
            format: ClinicFormat::Surgery,
            settings: vec![],
            cases_discussed: BTreeMap::from([(Area::Semh, -3)]),
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
        assert!(violations(&Record::ManualMeasure(m(ManualValue::Number(4.5)))).is_empty());
        let long = ManualValue::Text("x".repeat(MANUAL_TEXT_MAX + 1));
        assert_eq!(fields(&Record::ManualMeasure(m(long))), ["value"]);
    }
}
