//! Forms: opening one on what a screen shows (a new record, an edit, a case's actions, the
//! return's figures, notes and narrative), and removing a record.

use super::*;

impl App {
    pub(super) fn open_editor(
        &mut self,
        build: impl FnOnce(crate::tui::editors::records::Lists) -> Option<Editor>,
    ) {
        match crate::tui::editors::lists_on(&self.store, self.today) {
            Ok(mut lists) => match build({
                lists.initials = self.initials;
                lists
            }) {
                Some(editor) => self.start_editing(editor),
                None => self.complain("That is not edited in a form"),
            },
            Err(e) => self.store_failed(e),
        }
    }

    /// `n`: a new record of the screen's kind; on LIFT, recording a meeting.
    pub fn new_record(&mut self) {
        let Some(kind) = self.screens.get(self.screen).new_kind() else {
            let hint = match self.screen {
                ScreenId::Caseload | ScreenId::Case => {
                    "A case is opened from a referral: record the LIFT meeting (4, then n); on a case, n opens another"
                }
                _ => {
                    "Nothing is created on this screen: n makes a record on LIFT, Clinics·Training and the Register"
                }
            };
            self.complain(hint);
            return;
        };
        let today = self.today;
        if kind == RecordKind::LiftMeeting {
            // On a meeting's children: another child for that meeting; else a new meeting.
            let adding = self.screens.lift.adding_to().filter(|_| self.screen == ScreenId::Lift);
            let flow = adding.map(|m| LiftFlow::adding_to(m.meeting.clone(), m.referrals as usize));
            self.open_editor(|lists| {
                let (form, flow) = match flow {
                    Some(flow) => (lift_flow::referral_form(&flow, &lists, today), flow),
                    None => (lift_flow::meeting_form(&lists, today), LiftFlow::new()),
                };
                Some(Editor::new(form, Purpose::Lift(flow), lists))
            });
            return;
        }
        // A new monitoring meeting follows up the open actions of the last one.
        let last = match kind {
            RecordKind::MonitoringMeeting => match self.store.reader().monitoring_meetings() {
                Ok(meetings) => meetings.into_iter().rev().find(|m| m.date <= today),
                Err(e) => return self.store_failed(e),
            },
            _ => None,
        };
        self.open_editor(|lists| {
            let on = crate::tui::editors::spec::On::new(&lists, today).after_monitoring(last.as_ref());
            let form = crate::tui::editors::spec::of(kind)?.form(None, &on);
            Some(Editor::new(form, Purpose::Record { kind, original: None }, lists))
        });
    }

    /// `e`: edit the selected record.
    pub fn edit_selected(&mut self) {
        self.prepare();
        let selected = self.screens.get(self.screen).selected_record();
        if self.screen == ScreenId::Case && selected.as_ref().is_none_or(|r| r.kind() == RecordKind::Case) {
            return self.case_action(CaseAction::Edit);
        }
        let Some(record) = selected else {
            self.complain("Nothing selected to edit");
            return;
        };
        let today = self.today;
        // A record of the case shown is edited knowing its case (a review offers the case's targets).
        let case = self.screens.case.detail().filter(|_| self.screen == ScreenId::Case).cloned();
        self.open_editor(|lists| {
            let kind = record.kind();
            let on = crate::tui::editors::spec::On::new(&lists, today).on_case(case.as_ref());
            let form = crate::tui::editors::spec::of(kind)?.form(Some(&record), &on);
            Some(Editor::new(form, Purpose::Record { kind, original: Some(record) }, lists))
        });
    }

    /// Edits the child of the case shown.
    pub fn edit_child(&mut self) {
        self.prepare();
        let Some(child) = self.screens.case.detail().map(|d| Record::Child(d.child.clone())) else {
            self.complain("Open a case first (Caseload, Enter)");
            return;
        };
        let today = self.today;
        self.open_editor(|lists| {
            let form = form_for(RecordKind::Child, Some(&child), &lists, today)?;
            Some(Editor::new(form, Purpose::Record { kind: RecordKind::Child, original: Some(child) }, lists))
        });
    }

    /// `D` on the Register: the district's name and retention policy.
    pub fn edit_district(&mut self) {
        if self.screen != ScreenId::Register {
            return self.complain("The district's settings are on the Register: press 7, then D");
        }
        self.prepare();
        let district = match self.store.reader().district() {
            Ok(Some(d)) => Record::District(d),
            Ok(None) => return self.complain("The district has no name yet: :district NAME names it"),
            Err(e) => return self.store_failed(e),
        };
        let today = self.today;
        self.open_editor(|lists| {
            let form = form_for(RecordKind::District, Some(&district), &lists, today)?;
            Some(Editor::new(
                form,
                Purpose::Record { kind: RecordKind::District, original: Some(district) },
                lists,
            ))
        });
    }

    /// `d`: remove the selected record, after asking.
    pub fn delete_selected(&mut self) {
        self.prepare();
        let Some(record) = self.screens.get(self.screen).selected_record() else {
            self.complain("Nothing selected to remove");
            return;
        };
        let what = crate::tui::editors::naming::thing(self.store.reader(), &record, self.initials);
        let message = format!("remove {what}");
        self.overlay = Some(Overlay::Confirm { message, ops: vec![Op::Remove(record.kind(), record.key())] });
    }

    /// An action on the case shown.
    pub fn case_action(&mut self, action: CaseAction) {
        if self.screen != ScreenId::Case {
            return;
        }
        self.prepare();
        let Some(detail) = self.screens.case.detail().cloned() else {
            self.complain("Open a case first (Caseload, Enter)");
            return;
        };
        if action == CaseAction::Reopen && detail.case.closed.is_none() {
            self.complain("This case is open: o reopens a closed case (c closes this one)");
            return;
        }
        if action == CaseAction::NewCase && detail.case.closed.is_none_or(|c| c > self.today) {
            self.complain("This case is still open: close it before opening a new one for the child");
            return;
        }
        let today = self.today;
        self.open_editor(|lists| {
            let form = crate::tui::editors::case::form(action, &detail, &lists, today);
            Some(Editor::new(form, Purpose::Case { action, detail: Box::new(detail) }, lists))
        });
    }

    /// Returns: export, manual figures, term dates.
    pub(super) fn returns_form(&mut self, action: Action) {
        if self.screen != ScreenId::Returns {
            self.complain(format!(
                "That is on the Returns screen: press 8, then {}",
                match action {
                    Action::Export => "x",
                    Action::ManualFigures => "m",
                    Action::Narrative => "w",
                    Action::Note => "n on a figure",
                    _ => "t",
                }
            ));
            return;
        }
        self.prepare();
        let Some(report) = self.screens.returns.report() else { return };
        let (year, span, framework) = (report.year, report.span, report.framework_id.clone());
        let today = self.today;
        let reader = self.store.reader();
        let editor = match action {
            Action::Export => {
                let target = ExportTarget { year, span, framework };
                let folder = self.prefs.export_folder_or(crate::tui::editors::returns::default_folder);
                let form = crate::tui::editors::returns::export_form(&target, today, &folder);
                Editor::new(form, Purpose::Export(target), Default::default())
            }
            Action::ManualFigures => {
                let Some(term) = span.term() else {
                    self.complain("Manual figures are typed per term: press y to choose a term");
                    return;
                };
                let Some(f) = crate::kpi::framework::find(&framework) else { return };
                let stored = match reader.manual_measures(year, term) {
                    Ok(m) => m,
                    Err(e) => return self.store_failed(e),
                };
                let target = ManualTarget::of(year, term, f, &stored);
                let form = crate::tui::editors::returns::manual_form(&target, today);
                Editor::new(form, Purpose::Manual(target), Default::default())
            }
            Action::Narrative => {
                let Some(term) = span.term() else {
                    self.complain("The narrative is written per term: press y to choose a term");
                    return;
                };
                let last = crate::domain::Term::new(6).unwrap_or(term);
                let (this_term, last_term) =
                    match (reader.manual_measures(year, term), reader.manual_measures(year, last)) {
                        (Ok(a), Ok(b)) => (a, b),
                        (Err(e), _) | (_, Err(e)) => return self.store_failed(e),
                    };
                let n = Narrative::of(year, term, &this_term, &last_term);
                let form = crate::tui::form::Form::new(format!("Narrative {year} {term}"), today, Vec::new());
                Editor::new(form, Purpose::Narrative(Box::new(n)), Default::default())
            }
            Action::Note => {
                let Some(term) = span.term() else {
                    self.complain("Notes are kept per term: press y to choose a term");
                    return;
                };
                let Some(m) = self.screens.returns.selected_measure() else {
                    self.complain("Choose a figure first (↑ ↓)");
                    return;
                };
                if m.def().is_none() {
                    self.complain("Notes are for computed figures; a manual figure is typed with m");
                    return;
                }
                let stored = match reader.measure_notes(year, term) {
                    Ok(notes) => notes.into_iter().find(|n| n.id == m.id),
                    Err(e) => return self.store_failed(e),
                };
                let target = NoteTarget { year, term, id: m.id.clone(), label: m.label.clone(), stored };
                let form = crate::tui::editors::returns::note_form(&target, today);
                Editor::new(form, Purpose::Note(target), Default::default())
            }
            _ => {
                let starts = match crate::kpi::calendar::term_starts(reader, year) {
                    Ok(s) => s,
                    Err(e) => return self.store_failed(e),
                };
                let form = crate::tui::editors::returns::term_dates_form(&starts, today);
                Editor::new(form, Purpose::TermDates(year), Default::default())
            }
        };
        self.start_editing(editor);
    }

    /// Opens a form on what the current screen shows: its saves are checked against the moment
    /// the screen read its data (a record someone changed since is not overwritten).
    pub(super) fn start_editing(&mut self, mut editor: Editor) {
        editor.read_mark = self.marks[self.screen.index()];
        editor.initials = self.initials;
        self.editor = Some(editor);
    }
}
