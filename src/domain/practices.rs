//! The rules of the seed's practices (docs/data-rules.md): why a case is open, SENIF, review-by
//! dates, LIFT meetings planned or cancelled, clinics' cases brought to LIFT, group work and the
//! county's monitoring meetings. Pure functions, called by `rules::violations`.

use super::codes::*;
use super::date::Date;
use super::records::*;
use super::rules::{
    COUNT_MAX, KEY_MAX, TEXT_MAX, TITLE_MAX, Violation, count_in_range, count_not_negative, date_plausible,
    not_blank, text_ok,
};

/// The rules a case's SENIF flag keeps: SENIF is early years funding that needs the child open
/// to STLS, so a case with it recorded is early years and is not closed.
pub fn case_rules(c: &Case) -> Vec<Violation> {
    let mut out = Vec::new();
    if c.senif && c.closed.is_some() {
        out.push(Violation::new(
            "senif",
            "this case cannot be closed while SENIF support is recorded on it (SENIF needs the child open \
             to STLS): record that SENIF has ended (senif false) before closing the case",
        ));
    }
    if c.senif && c.phase != Phase::EarlyYears {
        out.push(Violation::new(
            "senif",
            format!(
                "SENIF support is for early years; this case's phase is {}: set senif false or correct the phase",
                c.phase
            ),
        ));
    }
    out
}

/// A target is reviewed on or after the day it is set.
pub fn target_rules(t: &Target) -> Option<Violation> {
    let by = t.review_by?;
    (by < t.set).then(|| Violation::new("review_by", format!("review_by {by} is before set {}", t.set)))
}

/// A held meeting has happened; a planned or cancelled one may lie ahead. The referral deadline
/// is not after the meeting.
pub fn meeting_rules(m: &LiftMeeting, today: Date) -> Vec<Violation> {
    let mut out = Vec::new();
    let happened = (m.status == LiftStatus::Held).then_some("a meeting held");
    out.extend(date_plausible("date", m.date, today, happened, false));
    if let Some(deadline) = m.deadline {
        out.extend(date_plausible("deadline", deadline, today, None, false));
        if deadline > m.date {
            out.push(Violation::new(
                "deadline",
                format!(
                    "the referral deadline {deadline} is after the meeting's date {}: referrals are due before \
                     the meeting",
                    m.date
                ),
            ));
        }
    }
    if m.status != LiftStatus::Held && m.professionals.values().any(|n| *n != 0) {
        out.push(Violation::new(
            "professionals",
            format!(
                "a {} meeting has no attendance yet: record the professionals who came once it is held",
                m.status
            ),
        ));
    }
    out
}

/// The cases a clinic brought to LIFT are cases it discussed: per area, no more than discussed.
pub fn clinic_rules(c: &Clinic) -> Vec<Violation> {
    let mut out = Vec::new();
    for (area, n) in &c.cases_to_lift {
        let what = format!("the count for {}", area.code());
        out.extend(count_not_negative("cases_to_lift", &what, *n));
        let discussed = c.cases_discussed.get(area).copied().unwrap_or(0);
        if *n > discussed {
            out.push(Violation::new(
                "cases_to_lift",
                format!(
                    "{n} {} cases brought to LIFT, but the clinic discussed {discussed}: a case brought to LIFT \
                     is one the clinic discussed",
                    area.code()
                ),
            ));
        }
    }
    out
}

/// A group session has happened; it reaches a plausible number of children.
pub fn group_work_rules(g: &GroupWork, today: Date) -> Vec<Violation> {
    let mut out = Vec::new();
    out.extend(not_blank("key", &g.key));
    out.extend(text_ok("key", &g.key, KEY_MAX, false));
    out.extend(date_plausible("date", g.date, today, Some("a group session held"), false));
    if let Some(n) = g.children {
        out.extend(count_not_negative("children", "children", n));
        out.extend(count_in_range("children", "children", n));
    }
    if let Some(notes) = &g.notes {
        out.extend(text_ok("notes", notes, TEXT_MAX, true));
    }
    out
}

/// A monitoring meeting is of its year's terms; its questions and actions have text, and no
/// action is listed twice in one meeting.
pub fn monitoring_rules(m: &MonitoringMeeting, today: Date) -> Vec<Violation> {
    let mut out = Vec::new();
    out.extend(not_blank("key", &m.key));
    out.extend(text_ok("key", &m.key, KEY_MAX, false));
    // Questions are submitted before the meeting, which may lie ahead.
    out.extend(date_plausible("date", m.date, today, None, false));
    if m.date < m.year.first_day() {
        out.push(Violation::new(
            "date",
            format!("the meeting on {} is before the academic year {} it monitors began", m.date, m.year),
        ));
    }
    if m.questions.len() as i64 > COUNT_MAX || m.actions.len() as i64 > COUNT_MAX {
        out.push(Violation::new("questions", format!("at most {COUNT_MAX} questions and actions")));
    }
    for q in &m.questions {
        out.extend(not_blank("questions", q));
        out.extend(text_ok("questions", q, TEXT_MAX, true));
    }
    let mut seen = std::collections::BTreeSet::new();
    for a in &m.actions {
        out.extend(not_blank("actions", &a.key).map(|_| Violation::new("actions", "an action needs a key")));
        out.extend(text_ok("actions", &a.key, KEY_MAX, false));
        if !seen.insert(a.key.as_str()) {
            out.push(Violation::new(
                "actions",
                format!("the action {} is listed twice in this meeting", crate::domain::text::shown(&a.key)),
            ));
        }
        out.extend(
            not_blank("actions", &a.text).map(|_| Violation::new("actions", "an action needs its text")),
        );
        out.extend(text_ok("actions", &a.text, TEXT_MAX, true));
        if let Some(owner) = &a.owner {
            out.extend(text_ok("actions", owner, TITLE_MAX, false));
        }
        if let Some(due) = a.due {
            out.extend(date_plausible("actions", due, today, None, false));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::violations;
    use std::collections::BTreeMap;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    fn today() -> Date {
        d("2025-06-01")
    }

    fn fields(r: &Record) -> Vec<&'static str> {
        violations(r, today()).into_iter().map(|v| v.field).collect()
    }

    fn senif_case() -> Case {
        Case {
            key: "K".into(),
            child: "C".into(),
            setting: "S".into(),
            phase: Phase::EarlyYears,
            area: Area::SensoryPhysical,
            need: None,
            opened: d("2025-01-10"),
            closed: None,
            closure_reason: None,
            referral: None,
            outreach: false,
            open_reason: Some(OpenReason::Senif),
            senif: true,
        }
    }

    #[test]
    fn a_case_with_senif_cannot_be_closed_and_is_early_years() {
        let open = senif_case();
        assert!(violations(&Record::Case(open.clone()), today()).is_empty());
        let closed = Case {
            closed: Some(d("2025-05-01")),
            closure_reason: Some(ClosureReason::Transitioned),
            ..open.clone()
        };
        let v = violations(&Record::Case(closed.clone()), today());
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].field, "senif");
        assert!(
            v[0].message.contains("cannot be closed while SENIF support is recorded"),
            "{}",
            v[0].message
        );
        assert!(
            violations(&Record::Case(Case { senif: false, ..closed }), today()).is_empty(),
            "SENIF ended first"
        );
        let school = Case { phase: Phase::Primary, ..open };
        assert!(
            violations(&Record::Case(school), today())[0]
                .message
                .contains("SENIF support is for early years")
        );
    }

    #[test]
    fn a_review_by_date_is_not_before_the_target_was_set() {
        let t = Target {
            key: "G".into(),
            case: "K".into(),
            text: "Uses a visual timetable".into(),
            set: d("2025-02-01"),
            ended: None,
            review_by: Some(d("2025-01-31")),
        };
        assert_eq!(fields(&Record::Target(t.clone())), ["review_by"]);
        let ahead = Target { review_by: Some(d("2025-09-01")), ..t };
        assert!(violations(&Record::Target(ahead), today()).is_empty(), "a review may be planned ahead");
    }

    fn meeting(status: LiftStatus) -> LiftMeeting {
        LiftMeeting {
            key: "L".into(),
            date: d("2025-07-01"),
            kind: PhaseGroup::School,
            focus: None,
            settings: vec![],
            professionals: BTreeMap::new(),
            status,
            deadline: Some(d("2025-06-17")),
        }
    }

    #[test]
    fn a_planned_meeting_may_lie_ahead_a_held_one_may_not_and_the_deadline_comes_first() {
        assert!(violations(&Record::LiftMeeting(meeting(LiftStatus::Planned)), today()).is_empty());
        assert!(violations(&Record::LiftMeeting(meeting(LiftStatus::Cancelled)), today()).is_empty());
        assert_eq!(fields(&Record::LiftMeeting(meeting(LiftStatus::Held))), ["date"]);
        let late = LiftMeeting { deadline: Some(d("2025-07-02")), ..meeting(LiftStatus::Planned) };
        let v = violations(&Record::LiftMeeting(late), today());
        assert!(v[0].message.contains("after the meeting's date"), "{}", v[0].message);
        let attended = LiftMeeting {
            professionals: BTreeMap::from([(Profession::Camhs, 1)]),
            ..meeting(LiftStatus::Planned)
        };
        assert_eq!(fields(&Record::LiftMeeting(attended)), ["professionals"]);
    }

    #[test]
    fn a_clinic_brings_to_lift_no_more_cases_than_it_discussed() {
        let c = Clinic {
            key: "CL".into(),
            date: d("2025-03-01"),
            phase: PhaseGroup::School,
            format: ClinicFormat::Clinic,
            settings: vec![],
            cases_discussed: BTreeMap::from([(Area::Semh, 2)]),
            cases_to_lift: BTreeMap::from([(Area::Semh, 2)]),
        };
        assert!(violations(&Record::Clinic(c.clone()), today()).is_empty());
        let more = Clinic {
            cases_to_lift: BTreeMap::from([(Area::Semh, 3), (Area::CognitionLearning, 1)]),
            ..c.clone()
        };
        assert_eq!(fields(&Record::Clinic(more)), ["cases_to_lift", "cases_to_lift"]);
        let negative = Clinic { cases_to_lift: BTreeMap::from([(Area::Semh, -1)]), ..c };
        assert_eq!(fields(&Record::Clinic(negative)), ["cases_to_lift"]);
    }

    #[test]
    fn group_work_and_monitoring_meetings_keep_their_rules() {
        let g = GroupWork {
            key: "GW".into(),
            date: d("2025-03-01"),
            setting: "S".into(),
            staff: None,
            kind: GroupWorkKind::Group,
            children: Some(-2),
            area: None,
            notes: Some("Zones\nof regulation".into()),
        };
        assert_eq!(fields(&Record::GroupWork(g.clone())), ["children"]);
        assert_eq!(
            fields(&Record::GroupWork(GroupWork { date: d("2025-06-02"), children: None, ..g })),
            ["date"]
        );
        let action = |key: &str| MonitoringAction {
            key: key.into(),
            text: "Share the LIFT calendar".into(),
            owner: None,
            due: None,
            status: ActionStatus::Open,
        };
        let m = MonitoringMeeting {
            key: "MM".into(),
            date: d("2025-09-20"),
            year: "2024-25".parse().unwrap(),
            terms: MonitoringTerms::T5To6,
            questions: vec!["Why did referrals fall?".into()],
            actions: vec![action("A1"), action("A2")],
        };
        assert!(
            violations(&Record::MonitoringMeeting(m.clone()), today()).is_empty(),
            "a meeting may be ahead"
        );
        let twice = MonitoringMeeting { actions: vec![action("A1"), action("A1")], ..m.clone() };
        let v = violations(&Record::MonitoringMeeting(twice), today());
        assert!(v[0].message.contains("listed twice"), "{v:?}");
        let early = MonitoringMeeting { date: d("2024-08-31"), ..m.clone() };
        assert_eq!(fields(&Record::MonitoringMeeting(early)), ["date"]);
        let blank = MonitoringMeeting { questions: vec![" ".into()], ..m };
        assert_eq!(fields(&Record::MonitoringMeeting(blank)), ["questions"]);
    }
}
