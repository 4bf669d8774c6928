//! The LIFT flow as an editor's [`Flow`]: the meeting, then its children one after another (each
//! referral, and for an allocated one its case), Esc stepping back rather than leaving.

use super::EditorOutcome;
use super::flow::Flow;
use super::lift::{self, LiftFlow, Pending, Step};
use super::records::{Lists, Problems};
use super::spec;
use crate::domain::{Date, Record, RecordKind};
use crate::store::{ChildChoice, Op, Store};
use crate::tui::field_id::{self as id, FieldId};
use crate::tui::form::Form;

impl Flow for LiftFlow {
    fn ops(
        &self,
        form: &Form,
        lists: &Lists,
        new_key: &mut dyn FnMut(RecordKind) -> String,
    ) -> Result<Vec<Op>, Problems> {
        match &self.step {
            Step::Meeting => {
                let on = spec::On::new(lists, form.today);
                let key = new_key(RecordKind::LiftMeeting);
                Ok(vec![Op::Add(spec::activities::LIFT_MEETING.read(form, key, None, &on)?)])
            }
            Step::Referral => Ok(lift::referral_ops(form, self, lists, new_key)?.0),
            Step::Case(pending) => lift::case_ops(form, pending, lists, new_key),
        }
    }

    fn left(&self, form: &mut Form, left: FieldId, lists: &Lists) {
        lift::follow(form, left, lists)
    }

    fn close(&mut self, form: &mut Form, lists: &Lists) -> EditorOutcome {
        let today = form.today;
        match std::mem::replace(&mut self.step, Step::Referral) {
            // Back from the case to the referral as it was typed: nothing of it is saved yet.
            Step::Case(pending) => {
                *form = pending.referral_form;
                form.confirm_leave = false;
                form.message = Some("Not saved yet: change the outcome, or Ctrl-S to open the case".into());
                EditorOutcome::Stay
            }
            // A half-typed referral discarded: the meeting stays open for the next child.
            Step::Referral if form.dirty => {
                *form = lift::referral_form(self, lists, today);
                form.message = Some("That referral was discarded. The next child, or Esc to finish".into());
                EditorOutcome::Stay
            }
            Step::Referral => EditorOutcome::Close(Some(self.summary())),
            Step::Meeting => EditorOutcome::Close(None),
        }
    }

    /// A meeting with no setting is held until its first child; an allocated referral goes on to
    /// its case (checked first, so the case form never follows a referral that could not be saved).
    fn before_saving(
        &mut self,
        form: &mut Form,
        lists: &Lists,
        store: &mut Store,
        ops: &[Op],
        today: Date,
    ) -> Option<EditorOutcome> {
        match (&self.step, ops) {
            (Step::Meeting, [Op::Add(Record::LiftMeeting(m))]) if m.settings.is_empty() && held(m) => {
                if let Err(e) = store.try_change(ops, today) {
                    form.show_problems(&super::problems_of(e));
                    return Some(EditorOutcome::Stay);
                }
                self.meeting_saved(m.clone(), false);
                *form = lift::referral_form(self, lists, today);
                Some(EditorOutcome::Stay)
            }
            (Step::Referral, _) => {
                let referral = ops.iter().find_map(|op| match op {
                    Op::Add(Record::Referral(r))
                        if r.outcome == Some(crate::domain::ReferralOutcome::Allocated) =>
                    {
                        Some(r.clone())
                    }
                    _ => None,
                })?;
                if let Err(e) = store.try_change(ops, today) {
                    form.show_problems(&super::problems_of(e));
                    return Some(EditorOutcome::Stay);
                }
                let open_case = match store.reader().open_case_of(&referral.child, referral.received) {
                    Ok(Some(id)) => store.reader().case_detail(id).ok().flatten().map(Box::new),
                    _ => None,
                };
                let meeting_date = self.meeting.as_ref().map_or(today, |m| m.date);
                let pending = Pending { referral_form: form.clone(), ops: ops.to_vec(), referral, open_case };
                *form = lift::case_form(&pending, lists, meeting_date, today);
                self.step = Step::Case(Box::new(pending));
                Some(EditorOutcome::Stay)
            }
            _ => None,
        }
    }

    /// The meeting stays open: the next child's referral. A meeting planned ahead (or cancelled)
    /// has no children yet: it is saved and the form closes.
    fn saved(&mut self, form: &mut Form, lists: &mut Lists, ops: &[Op], today: Date) -> bool {
        if let (Step::Meeting, Some(Op::Add(Record::LiftMeeting(m)))) = (&self.step, ops.first())
            && !held(m)
        {
            return true;
        }
        // A new child added inline can be chosen for the next referral.
        for op in ops {
            if let Op::Add(Record::Child(c)) = op {
                lists.children.push(ChildChoice {
                    key: c.key.clone(),
                    first_name: c.first_name.clone(),
                    last_name: c.last_name.clone(),
                    dob: c.dob,
                    setting: c.setting.clone(),
                    setting_name: None,
                });
            }
        }
        match &self.step {
            Step::Meeting => {
                if let Some(Op::Add(Record::LiftMeeting(m))) = ops.first() {
                    self.meeting_saved(m.clone(), true);
                }
            }
            Step::Referral => self.referral_saved(false),
            Step::Case(_) => self.referral_saved(ops.iter().any(|op| matches!(op, Op::Add(Record::Case(_))))),
        }
        *form = lift::referral_form(self, lists, today);
        false
    }

    fn saved_message(&self, ops: &[Op], named: String, form: &Form, lists: &Lists, initials: bool) -> String {
        // A child added with this save is not in the lists yet: named from the save itself.
        let child = |key: &str| {
            let added = ops.iter().find_map(|op| match op {
                Op::Add(Record::Child(c)) if c.key == key => {
                    Some((c.first_name.clone(), c.last_name.clone()))
                }
                _ => None,
            });
            let listed = || lists.child(key).map(|c| (c.first_name.clone(), c.last_name.clone()));
            added.or_else(listed).map_or_else(
                || "the child".to_string(),
                |(first, last)| crate::tui::widgets::child_name(&first, &last, initials),
            )
        };
        let referral = ops.iter().find_map(|op| match op {
            Op::Add(Record::Referral(r)) => Some(r),
            _ => None,
        });
        match (&self.step, referral) {
            (Step::Meeting, _) => match ops.first() {
                Some(Op::Add(Record::LiftMeeting(m))) if !held(m) => format!(
                    "Saved the {} LIFT meeting of {}{}",
                    m.status.label().to_lowercase(),
                    m.date.uk(),
                    if m.status == crate::domain::LiftStatus::Planned {
                        ": its children are recorded once it is held (e on it: status held)"
                    } else {
                        ""
                    }
                ),
                _ => "Saved the LIFT meeting: now the children discussed".to_string(),
            },
            (Step::Referral, Some(r)) => {
                format!(
                    "Saved referral {} of this meeting, for {}",
                    self.earlier + self.referrals + 1,
                    child(&r.child)
                )
            }
            (Step::Case(pending), _) => {
                let teacher = form
                    .picked(id::STAFF)
                    .and_then(|k| lists.staff.iter().find(|s| s.key == k).map(|s| s.name.clone()))
                    .unwrap_or_default();
                let what = if pending.open_case.is_some() { "the open case" } else { "a new case" };
                format!(
                    "Saved the referral of {} with {what}, teacher {teacher}",
                    child(&pending.referral.child)
                )
            }
            _ => named,
        }
    }

    fn field_of_rule(&self, form: &Form, field: String) -> String {
        super::case::field_of_rule(form, field)
    }
}

/// Whether a meeting was held (a planned or cancelled one has no children).
fn held(m: &crate::domain::LiftMeeting) -> bool {
    m.status == crate::domain::LiftStatus::Held
}
