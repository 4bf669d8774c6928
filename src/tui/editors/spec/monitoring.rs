//! The county's monitoring meeting of two terms: the questions the district sends before it, and
//! the actions agreed, each with its owner, due date and status (the form holds eight questions
//! and twelve actions, with room for two more of each than the meeting has). A new meeting carries the
//! earlier meeting's open actions (the same keys), so an action is followed from one to the next.

use super::{On, Spec, chosen_code, code, date_text, nothing_follows, required};
use crate::domain::*;
use crate::tui::editors::records::{Problems, codes};
use crate::tui::field_id as id;
use crate::tui::form::{Field, Form};

pub const MONITORING_MEETING: Spec = Spec {
    kind: RecordKind::MonitoringMeeting,
    fields: meeting_fields,
    read: meeting,
    left: nothing_follows,
};

/// The two terms a meeting on `day` reviews: the last pair ended by then (a meeting in January
/// reviews terms 1 and 2, in May terms 3 and 4, in the autumn the previous year's 5 and 6), by
/// month, as a default the form lets the user change.
fn period_reviewed(day: Date) -> (AcademicYear, MonitoringTerms) {
    let year = AcademicYear::containing(day);
    match day.month() {
        1..=4 => (year, MonitoringTerms::T1To2),
        5..=8 => (year, MonitoringTerms::T3To4),
        _ => (year.prev(), MonitoringTerms::T5To6),
    }
}

fn meeting_fields(o: Option<&Record>, on: &On) -> Vec<Field> {
    let m = as_kind!(o, MonitoringMeeting);
    // A new meeting: the actions still open at the last one before it, to follow up.
    let carried: Vec<MonitoringAction> = match m {
        Some(m) => m.actions.clone(),
        None => on
            .monitoring
            .map(|last| last.actions.iter().filter(|a| a.status == ActionStatus::Open).cloned().collect())
            .unwrap_or_default(),
    };
    let (year, terms) = m.map_or_else(|| period_reviewed(on.today), |m| (m.year, m.terms));
    let mut fields = vec![
        Field::date(id::DATE, "Meeting on").with(&m.map_or(on.today, |m| m.date).to_string()),
        Field::text(id::YEAR, "Academic year").with(&year.to_string()),
        Field::choice(
            id::TERMS,
            "Terms",
            codes(MonitoringTerms::ALL, MonitoringTerms::code, MonitoringTerms::label),
        )
        .with(terms.code()),
    ];
    // The meeting's own questions and actions, and room for two more of each.
    let questions = m.map_or(0, |m| m.questions.len()) + 2;
    let actions = carried.len() + 2;
    for (i, q) in id::QUESTIONS.iter().enumerate().take(questions) {
        let text = m.and_then(|m| m.questions.get(i)).map_or("", String::as_str);
        fields.push(Field::text(*q, &format!("Question {}", i + 1)).optional().with(text));
    }
    for (i, [key, text, owner, due, status]) in id::ACTIONS.iter().enumerate().take(actions) {
        let a = carried.get(i);
        let mut k = Field::text(*key, "Action key").optional().with(a.map_or("", |a| &a.key));
        k.hidden = true;
        fields.push(k);
        fields.push(
            Field::text(*text, &format!("Action {}", i + 1)).optional().with(a.map_or("", |a| &a.text)),
        );
        fields.push(
            Field::text(*owner, "  owner").optional().with(a.and_then(|a| a.owner.as_deref()).unwrap_or("")),
        );
        fields.push(Field::date(*due, "  due by").optional().with(&date_text(a.and_then(|a| a.due))));
        fields.push(
            Field::choice(
                *status,
                "  status",
                codes(ActionStatus::ALL, ActionStatus::code, ActionStatus::label),
            )
            .with(a.map_or("open", |a| a.status.code())),
        );
    }
    fields
}

fn meeting(form: &Form, key: String, o: Option<&Record>, _: &On, p: &mut Problems) -> Option<Record> {
    let year = match form.text(id::YEAR).trim().parse::<AcademicYear>() {
        Ok(y) => Some(y),
        Err(_) => {
            p.push((id::YEAR.as_str().to_string(), "an academic year, as 2024-25".to_string()));
            None
        }
    };
    let key = as_kind!(o, MonitoringMeeting).map_or(key, |m| m.key.clone());
    let original = as_kind!(o, MonitoringMeeting);
    let mut questions: Vec<String> = id::QUESTIONS.iter().filter_map(|q| form.opt_text(*q)).collect();
    // A meeting imported with more than the form holds keeps the rest as they were.
    questions.extend(
        original.map_or(&[][..], |m| m.questions.get(id::QUESTIONS.len()..).unwrap_or(&[])).iter().cloned(),
    );
    let mut actions = Vec::new();
    for (i, [k, text, owner, due, status]) in id::ACTIONS.iter().enumerate() {
        let Some(text) = form.opt_text(*text) else { continue };
        actions.push(MonitoringAction {
            // A new action is known by the meeting it was agreed at, and its place there.
            key: form.opt_text(*k).unwrap_or_else(|| format!("{key}-A{}", i + 1)),
            text,
            owner: form.opt_text(*owner),
            due: form.date(*due),
            status: code(form, *status, p).unwrap_or(ActionStatus::Open),
        });
    }
    actions.extend(
        original.map_or(&[][..], |m| m.actions.get(id::ACTIONS.len()..).unwrap_or(&[])).iter().cloned(),
    );
    Some(Record::MonitoringMeeting(MonitoringMeeting {
        key,
        date: required(form.date(id::DATE), id::DATE, p).unwrap_or(form.today),
        year: year?,
        terms: chosen_code(form, id::TERMS, p).unwrap_or(MonitoringTerms::T1To2),
        questions,
        actions,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form's default is the pair the county's meetings review: as the pack reads them.
    #[test]
    fn a_meeting_reviews_the_last_pair_of_terms_ended() {
        let on = |s: &str| {
            let (year, terms) = period_reviewed(Date::parse_iso(s).unwrap());
            (year.to_string(), terms.code())
        };
        assert_eq!(on("2026-01-25"), ("2025-26".to_string(), "1-2"));
        assert_eq!(on("2026-05-20"), ("2025-26".to_string(), "3-4"));
        assert_eq!(on("2026-10-15"), ("2025-26".to_string(), "5-6"));
    }
}
