//! What a screen means by "open", "active" and "teacher": a case's status on a day
//! (docs/data-rules.md). Every screen, count and filter asks these functions, or the SQL of
//! `store::status` that says the same; a test holds the two together.
//!
//! The return's period rule is different on purpose: a case is on a period's caseload when it
//! was open on any day of it, so a case closed during a term counts in that term.

use super::date::Date;
use super::records::{Allocation, Case, Target};

/// A case's status on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CaseStatus {
    /// Open, with an allocation and a target in force: actively supported.
    Active,
    /// Open, but without an allocation or without a target in force.
    Open,
    /// Closed on or before the day (a case closed today is closed today).
    Closed,
    /// Opened after the day.
    NotYetOpen,
}

impl CaseStatus {
    /// The status on `day` of a case opened and closed on these dates, given whether an
    /// allocation and a target are in force on that day.
    pub fn on(day: Date, opened: Date, closed: Option<Date>, allocated: bool, targeted: bool) -> CaseStatus {
        if opened > day {
            CaseStatus::NotYetOpen
        } else if closed.is_some_and(|c| c <= day) {
            CaseStatus::Closed
        } else if allocated && targeted {
            CaseStatus::Active
        } else {
            CaseStatus::Open
        }
    }

    /// The status on `day` of a case with its allocations and targets.
    pub fn of_case<'a>(
        case: &Case,
        allocations: impl IntoIterator<Item = &'a Allocation>,
        targets: impl IntoIterator<Item = &'a Target>,
        day: Date,
    ) -> CaseStatus {
        let allocated = allocations.into_iter().any(|a| in_force_on(a.start, a.end, day));
        let targeted = targets.into_iter().any(|t| in_force_on(t.set, t.ended, day));
        CaseStatus::on(day, case.opened, case.closed, allocated, targeted)
    }

    /// Open on the day: active, or open but not active.
    pub fn is_open(self) -> bool {
        matches!(self, CaseStatus::Active | CaseStatus::Open)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Active => "active",
            CaseStatus::Open => "open, not active",
            CaseStatus::Closed => "closed",
            CaseStatus::NotYetOpen => "not yet open",
        }
    }

    /// The label in a narrow column.
    pub fn short(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::NotYetOpen => "not yet",
            other => other.label(),
        }
    }
}

/// Whether something that runs from `start` to an optional `end` (an allocation, a target, a
/// staff post; both days included) is in force on `day`.
pub fn in_force_on(start: Date, end: Option<Date>, day: Date) -> bool {
    in_force_during(start, end, day, day)
}

/// Whether it is in force on any day from `from` to `to`.
pub fn in_force_during(start: Date, end: Option<Date>, from: Date, to: Date) -> bool {
    start <= to && end.is_none_or(|e| e >= from)
}

/// The teacher of a case on a day: the allocation in force then (the latest to start, should a
/// stored district break the rule that allocations never overlap). None: the case has no teacher.
/// A case closed on or before the day has none: its allocations ended with it, even those
/// stored without an end.
pub fn teacher_on<'a>(
    closed: Option<Date>,
    allocations: impl IntoIterator<Item = &'a Allocation>,
    day: Date,
) -> Option<&'a Allocation> {
    if closed.is_some_and(|c| c <= day) {
        return None;
    }
    allocations.into_iter().filter(|a| in_force_on(a.start, a.end, day)).max_by_key(|a| a.start)
}

/// The last day a review may have been held for a case's review not to be overdue on `day`.
pub fn review_cutoff(day: Date, weeks: u32) -> Date {
    day.minus_days(u64::from(weeks) * 7)
}

/// What the review-by dates of a case's targets in force on a day say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReviewBy {
    /// No target in force has a review-by date: the fixed interval applies.
    #[default]
    NoneSet,
    /// A target's review-by date is before the day and it has not been reviewed since.
    Passed,
    /// Every review-by date given is still ahead, or was met by a review.
    NotPassed,
}

impl ReviewBy {
    /// From SQL's answer: NULL when no date is set, else whether one has passed unreviewed.
    pub fn from_passed(passed: Option<bool>) -> ReviewBy {
        match passed {
            None => ReviewBy::NoneSet,
            Some(true) => ReviewBy::Passed,
            Some(false) => ReviewBy::NotPassed,
        }
    }
}

/// An open case with targets is overdue for review on `day` when a target's review-by date has
/// passed with no review since; when none of its targets in force has a review-by date, when its
/// last review (or, with none, its opening) is before the cutoff: more than `weeks` weeks ago.
pub fn review_overdue(
    status: CaseStatus,
    targeted: bool,
    last_review_or_opened: Date,
    review_by: ReviewBy,
    day: Date,
    weeks: u32,
) -> bool {
    let overdue = match review_by {
        ReviewBy::Passed => true,
        ReviewBy::NotPassed => false,
        ReviewBy::NoneSet => last_review_or_opened < review_cutoff(day, weeks),
    };
    status.is_open() && targeted && overdue
}

/// The day before which a case still open on `day` has been open more than six months
/// (`cases_open_over_six_months` of the return, whose period ends on `day`).
pub fn six_months_before(day: Date) -> Date {
    day.minus_months(6)
}

/// A case still open on `day` that was opened more than six months before it.
pub fn open_over_six_months(status: CaseStatus, opened: Date, day: Date) -> bool {
    status.is_open() && opened < six_months_before(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn a_case_closed_today_is_closed_today() {
        let day = d("2024-03-05");
        assert_eq!(CaseStatus::on(day, d("2024-01-01"), Some(day), true, true), CaseStatus::Closed);
        assert_eq!(CaseStatus::on(day, d("2024-01-01"), Some(day.succ()), true, true), CaseStatus::Active);
        assert_eq!(CaseStatus::on(day, d("2024-01-01"), None, true, false), CaseStatus::Open);
        assert_eq!(CaseStatus::on(day, d("2024-01-01"), None, false, true), CaseStatus::Open);
        assert_eq!(CaseStatus::on(day, day.succ(), None, true, true), CaseStatus::NotYetOpen);
        assert_eq!(CaseStatus::on(day, day, None, true, true), CaseStatus::Active, "opened today is open");
    }

    #[test]
    fn the_teacher_is_the_allocation_in_force() {
        let a = |key: &str, start: &str, end: Option<&str>| Allocation {
            key: key.into(),
            case: "K".into(),
            staff: format!("T{key}"),
            start: d(start),
            end: end.map(d),
        };
        let list = [a("1", "2024-01-01", Some("2024-02-29")), a("2", "2024-03-01", None)];
        assert_eq!(teacher_on(None, &list, d("2024-02-29")).unwrap().key, "1");
        assert_eq!(teacher_on(None, &list, d("2024-03-01")).unwrap().key, "2");
        assert!(teacher_on(None, &list, d("2023-12-31")).is_none());
        let ended = [a("1", "2024-01-01", Some("2024-02-29"))];
        assert!(teacher_on(None, &ended, d("2024-03-01")).is_none(), "an ended allocation is no teacher");
        let closed = Some(d("2024-03-10"));
        assert_eq!(teacher_on(closed, &list, d("2024-03-09")).unwrap().key, "2", "the day before closing");
        assert!(teacher_on(closed, &list, d("2024-03-10")).is_none(), "closed today: no teacher");
        assert!(teacher_on(closed, &list, d("2024-03-24")).is_none(), "closed two weeks ago: no teacher");
    }

    #[test]
    fn reviews_are_overdue_after_the_interval() {
        let day = d("2024-03-25");
        let open = CaseStatus::Active;
        assert_eq!(review_cutoff(day, 12), d("2024-01-01"));
        let none = ReviewBy::NoneSet;
        assert!(!review_overdue(open, true, d("2024-01-01"), none, day, 12), "exactly twelve weeks: not yet");
        assert!(review_overdue(open, true, d("2023-12-31"), none, day, 12));
        assert!(
            !review_overdue(open, false, d("2023-01-01"), none, day, 12),
            "no targets: nothing to review"
        );
        assert!(!review_overdue(CaseStatus::Closed, true, d("2023-01-01"), none, day, 12));
        // A review-by date, when a target in force has one, decides instead of the interval.
        assert!(
            review_overdue(open, true, d("2024-03-20"), ReviewBy::Passed, day, 12),
            "reviewed lately, but due"
        );
        assert!(!review_overdue(open, true, d("2023-01-01"), ReviewBy::NotPassed, day, 12), "due later");
        assert!(!review_overdue(CaseStatus::Closed, true, d("2023-01-01"), ReviewBy::Passed, day, 12));
    }

    #[test]
    fn six_months_is_calendar_months_clamped() {
        assert_eq!(six_months_before(d("2024-08-31")), d("2024-02-29"));
        assert!(open_over_six_months(CaseStatus::Open, d("2024-02-28"), d("2024-08-31")));
        assert!(!open_over_six_months(CaseStatus::Open, d("2024-02-29"), d("2024-08-31")));
    }
}
