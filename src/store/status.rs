//! The status words of `domain::status` in SQL, as fragments that every query of cases shares:
//! the return, the caseload list, the teachers' load and the dashboard. The case row is `k`;
//! the days are the named parameters given (`":d"` for one day, `":s", ":e"` for a period).
//! Macros, so that each query stays one `&'static str` that SQLite prepares once.

/// A case open during the period: opened by its end, not closed before its start.
macro_rules! open_during {
    ($s:literal, $e:literal) => {
        concat!("(k.opened <= ", $e, " AND (k.closed IS NULL OR k.closed >= ", $s, "))")
    };
}

/// A case open on the day: opened by then and not closed on or before it.
macro_rules! open_on {
    ($d:literal) => {
        concat!("(k.opened <= ", $d, " AND (k.closed IS NULL OR k.closed > ", $d, "))")
    };
}

/// The case has an allocation in force on some day of the period.
macro_rules! allocated_during {
    ($s:literal, $e:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM allocations a WHERE a.case_id = k.id AND a.start_date <= ",
            $e,
            " AND (a.end_date IS NULL OR a.end_date >= ",
            $s,
            "))"
        )
    };
}

/// The case has a target in force on some day of the period.
macro_rules! targeted_during {
    ($s:literal, $e:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM targets g WHERE g.case_id = k.id AND g.set_on <= ",
            $e,
            " AND (g.ended IS NULL OR g.ended >= ",
            $s,
            "))"
        )
    };
}

/// Actively supported during the period: open, with an allocation and a target in force.
macro_rules! active_during {
    ($s:literal, $e:literal) => {
        concat!(open_during!($s, $e), " AND ", allocated_during!($s, $e), " AND ", targeted_during!($s, $e))
    };
}

/// The staff id of the case's teacher on the day (the allocation in force), or NULL; a case
/// closed on or before the day has none.
macro_rules! teacher_on {
    ($d:literal) => {
        concat!(
            "(SELECT a.staff_id FROM allocations a WHERE a.case_id = k.id AND (k.closed IS NULL OR k.closed > ",
            $d,
            ") AND a.start_date <= ",
            $d,
            " AND (a.end_date IS NULL OR a.end_date >= ",
            $d,
            ") ORDER BY a.start_date DESC, a.id DESC LIMIT 1)"
        )
    };
}

/// The case's last review on or before the day, or NULL.
macro_rules! last_review_on {
    ($d:literal) => {
        concat!("(SELECT max(v.date) FROM reviews v WHERE v.case_id = k.id AND v.date <= ", $d, ")")
    };
}

/// Whether a review-by date of the case's targets in force on the day has passed with no review
/// of the target (or of the whole case) since: NULL when none of them has a review-by date
/// (`domain::status::ReviewBy`).
macro_rules! review_by_passed_on {
    ($d:literal) => {
        concat!(
            "(SELECT CASE WHEN count(*) = 0 THEN NULL ELSE max(g.review_by < ",
            $d,
            " AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.case_id = k.id
                 AND (v.target_id IS NULL OR v.target_id = g.id) AND v.date BETWEEN g.review_by AND ",
            $d,
            ")) END FROM targets g WHERE g.case_id = k.id AND g.review_by IS NOT NULL AND g.set_on <= ",
            $d,
            " AND (g.ended IS NULL OR g.ended >= ",
            $d,
            "))"
        )
    };
}

/// The setting `s` is on the district's register for a period starting on the day given:
/// in district, and not closed before the period starts.
macro_rules! on_register {
    ($start:literal) => {
        concat!("(s.in_district = 1 AND (s.closed IS NULL OR s.closed >= ", $start, "))")
    };
}

/// The staff post `s` is in force on the day.
macro_rules! post_in_force {
    ($d:literal) => {
        concat!("(s.start_date <= ", $d, " AND (s.end_date IS NULL OR s.end_date >= ", $d, "))")
    };
}

/// Actively supported, of a case already known open on the day, from its `teacher`
/// ([`teacher_on`]) and `targeted` ([`targeted_during`]) columns.
macro_rules! active_given_open {
    () => {
        "(teacher IS NOT NULL AND targeted)"
    };
}

/// The staff roles that teach (`domain::Role::is_teacher`), as an SQL list for `IN`.
macro_rules! teacher_roles {
    () => {
        "('lead', 'specialist_teacher', 'early_years_specialist')"
    };
}

#[cfg(test)]
mod tests {
    use crate::domain::Role;

    #[test]
    fn the_teacher_roles_in_sql_are_the_domains() {
        let listed: Vec<&str> =
            teacher_roles!().trim_matches(['(', ')']).split(", ").map(|r| r.trim_matches('\'')).collect();
        let domain: Vec<&str> = Role::ALL.iter().filter(|r| r.is_teacher()).map(|r| r.code()).collect();
        assert_eq!(listed, domain);
    }
}
