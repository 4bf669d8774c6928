//! The application: which screen is showing, the overlays (help, command palette, first-run
//! welcome), the privacy toggles, and the status line. Keys and clicks become [`Action`]s;
//! [`App::update`] carries them out. Drawing reads the state and never changes the data.

use super::action::{Action, ScreenId};
use super::editors::case::CaseAction;
use super::editors::lift::{self as lift_flow, LiftFlow};
use super::editors::narrative::Narrative;
use super::editors::records::form_for;
use super::editors::returns::{ExportTarget, ManualTarget, NoteTarget};
use super::editors::{Editor, EditorOutcome, Purpose};
use super::find::{ChildOutcome, ChildView, Find, FindOutcome};
use super::keymap::Keymap;
use super::overlays::{Overlay, Palette, PaletteOutcome, Reading, Welcome, WelcomeOutcome};
use super::screens::case::CaseScreen;
use super::screens::caseload::Caseload;
use super::screens::dashboard::Dashboard;
use super::screens::lift::Lift;
use super::screens::register::Register;
use super::screens::returns::Returns;
use super::screens::teachers::Teachers;
use super::screens::work::Work;
use super::screens::{Ctx, Effect, Screen};
use super::theme::Theme;
use super::widgets::{centered, contains};
use crate::domain::Date;
use crate::domain::{Record, RecordKind};
use crate::store::{Done, Found, FoundKind, Op, Store, StoreError};
use ratatui::Frame;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// The context a screen reads and draws with. A macro, not a method, so that it borrows only the
/// store and the view settings, leaving the screens free to be borrowed mutably beside it.
macro_rules! ctx {
    ($app:ident) => {
        Ctx {
            reader: $app.store.reader(),
            today: $app.today,
            initials: $app.initials,
            theme: $app.theme,
            review_weeks: $app.review_weeks,
        }
    };
}

mod documents;
mod draw;
mod editing;
mod history;
mod privacy;

/// The smallest window the screens can be drawn in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;

/// The screens, each with its own state.
#[derive(Default)]
pub struct Screens {
    pub dashboard: Dashboard,
    pub caseload: Caseload,
    pub case: CaseScreen,
    pub lift: Lift,
    pub work: Work,
    pub teachers: Teachers,
    pub register: Register,
    pub returns: Returns,
}

impl Screens {
    pub fn get(&mut self, id: ScreenId) -> &mut dyn Screen {
        match id {
            ScreenId::Dashboard => &mut self.dashboard,
            ScreenId::Caseload => &mut self.caseload,
            ScreenId::Case => &mut self.case,
            ScreenId::Lift => &mut self.lift,
            ScreenId::Work => &mut self.work,
            ScreenId::Teachers => &mut self.teachers,
            ScreenId::Register => &mut self.register,
            ScreenId::Returns => &mut self.returns,
        }
    }
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub store: Store,
    pub today: Date,
    /// The clock's day when last looked at: when it turns, `today` becomes the new day.
    clock_day: Date,
    pub screen: ScreenId,
    previous: ScreenId,
    pub screens: Screens,
    pub overlay: Option<Overlay>,
    /// The screen is blanked (someone walked up); any key brings it back.
    pub blank: bool,
    /// Children shown by initials only.
    pub initials: bool,
    pub status: Option<Status>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub quit: bool,
    pub review_weeks: u32,
    pub district: String,
    tabs: Vec<(Rect, ScreenId)>,
    last_click: Option<(ScreenId, u16, u16, std::time::Instant)>,
    /// The form being filled in, over the current screen.
    pub editor: Option<Editor>,
    /// The session's changes, oldest first, each with what it was and the steps that undo it.
    pub history: Vec<(String, Done)>,
    /// Changes undone, most recent last, with the steps that do them again (cleared by a new
    /// change).
    pub undone: Vec<(String, Done)>,
    /// The audit log entries this session wrote (undo may pass over them; nobody else's).
    own: Vec<(i64, i64)>,
    /// The session's messages (time, text, whether a refusal), for `:messages`.
    pub messages: Vec<(String, String, bool)>,
    /// What is remembered between sessions (the export folder, who the user is).
    pub prefs: super::prefs::Prefs,
    /// Who the user is for this session (`--as STAFF`), over what is remembered.
    pub me: Option<String>,
    /// An editor whose long work runs after the next frame (see [`App::work`]).
    pub pending: Option<Box<Editor>>,
    /// Screens whose data is read and current, by screen index.
    fresh: [bool; 8],
    /// Screens that have read their data once (a stale one keeps showing it while it reloads).
    ever_loaded: [bool; 8],
    /// The audit log's mark when each screen last read its data.
    marks: [i64; 8],
    /// The database file was replaced under the application, and it has said so.
    replaced_warned: bool,
    /// Records a save added, to select when the screen has read them.
    select_after: Vec<(RecordKind, String)>,
}

/// The most of a paste a search box or filter takes (a name or a few words).
const PASTED_INTO_A_BOX: usize = 200;

impl App {
    /// The application on a store, as of `today`. An empty database opens on the welcome.
    pub fn new(store: Store, today: Date, theme: Theme) -> Result<App, StoreError> {
        let clock_day = store.clock().today();
        let district = store.reader().district_name()?;
        let empty = store.reader().is_empty()?;
        let overlay = match (&district, empty) {
            (None, empty) => Some(Overlay::Welcome(Welcome::new(empty))),
            _ => None,
        };
        Ok(App {
            store,
            today,
            clock_day,
            screen: ScreenId::Dashboard,
            previous: ScreenId::Dashboard,
            screens: Screens::default(),
            overlay,
            blank: false,
            initials: false,
            status: None,
            keymap: Keymap::builtin(),
            theme,
            quit: false,
            review_weeks: 12,
            district: district.unwrap_or_default(),
            tabs: Vec::new(),
            last_click: None,
            editor: None,
            history: Vec::new(),
            undone: Vec::new(),
            own: Vec::new(),
            messages: Vec::new(),
            prefs: Default::default(),
            me: None,
            pending: None,
            fresh: [false; 8],
            ever_loaded: [false; 8],
            marks: [0; 8],
            replaced_warned: false,
            select_after: Vec::new(),
        })
    }

    pub fn say(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.log(&text, false);
        self.status = Some(Status { text, error: false });
    }

    pub fn complain(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.log(&text, true);
        self.status = Some(Status { text, error: true });
    }

    /// Keeps the session's messages for `:messages` (the status line may have to shorten them).
    fn log(&mut self, text: &str, error: bool) {
        let at = self.store.clock().now_rfc3339();
        let time = at.get(11..16).unwrap_or("").to_string();
        self.messages.push((time, text.to_string(), error));
        if self.messages.len() > 500 {
            self.messages.remove(0);
        }
    }

    fn store_failed(&mut self, e: StoreError) {
        self.complain(format!("Could not read the database: {e}"));
    }

    /// Reads the current screen's data if it is not loaded.
    pub fn prepare(&mut self) {
        let i = self.screen.index();
        if !self.fresh[i] {
            // The mark before reading: a change made while the screen reads makes its saves
            // refused (safe), never accepted over unseen data.
            let mark = self.store.reader().audit_mark().unwrap_or(0);
            let ctx = ctx!(self);
            match self.screens.get(self.screen).load(&ctx) {
                Ok(()) => {
                    self.fresh[i] = true;
                    self.ever_loaded[i] = true;
                    self.marks[i] = mark;
                }
                Err(e) => self.store_failed(e),
            }
            // After a save, the record it added is selected (the first the screen lists).
            for (kind, key) in std::mem::take(&mut self.select_after) {
                let ctx = ctx!(self);
                match self.screens.get(self.screen).select_record(kind, &key, &ctx) {
                    Ok(true) => break,
                    Ok(false) => {}
                    Err(e) => return self.store_failed(e),
                }
            }
        }
    }

    /// Whether there is work to do before waiting for the next key: a screen to read, or an
    /// editor's long work. The loop draws first, so "Loading…" or "Writing…" shows at once.
    pub fn needs_work(&mut self) -> bool {
        self.pending.is_some()
            || (self.overlay.is_none() && self.editor.is_none() && !self.fresh[self.screen.index()])
    }

    /// Does that work.
    pub fn work(&mut self) {
        match self.pending.take() {
            Some(editor) => match editor.work(&mut self.store) {
                Ok((message, folder)) => {
                    self.say(message);
                    // The folder written to is offered next time, in this session and the next.
                    if let Some(folder) = folder.filter(|f| self.prefs.export_folder.as_ref() != Some(f)) {
                        self.prefs.export_folder = Some(folder);
                        if let Err(e) = self.prefs.save() {
                            self.complain(format!(
                                "Wrote the return, but could not remember its folder: {e}"
                            ));
                        }
                    }
                }
                Err(editor) => {
                    self.complain("Not written: see the form");
                    self.editor = Some(*editor);
                }
            },
            None => self.prepare(),
        }
    }

    /// Marks every screen's data as stale (after a change to the database).
    pub fn data_changed(&mut self) {
        self.fresh = [false; 8];
        if let Ok(Some(name)) = self.store.reader().district_name() {
            self.district = name;
        }
    }

    pub fn goto(&mut self, screen: ScreenId) {
        if screen != self.screen {
            self.previous = self.screen;
            self.screen = screen;
        }
    }

    pub(super) fn apply(&mut self, effect: Option<Effect>) {
        match effect {
            Some(Effect::OpenCase(id)) => {
                let reload = self.screens.case.open(id);
                self.goto(ScreenId::Case);
                self.apply(Some(reload));
            }
            Some(Effect::Goto(s)) => self.goto(s),
            Some(Effect::Reload) => self.fresh[self.screen.index()] = false,
            Some(Effect::CasesOf(teacher)) => self.cases_of(teacher),
            Some(Effect::Read(reading)) => self.overlay = Some(Overlay::Reader(reading)),
            None => {}
        }
    }

    /// Carries out an action.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.overlay = Some(Overlay::Help(0)),
            Action::Palette => self.overlay = Some(Overlay::Palette(Palette::default())),
            Action::Find => self.find(""),
            Action::Filter => self.search_here(""),
            Action::MyCases => self.my_cases(),
            Action::ThisIsMe => self.this_is_me(),
            Action::NextScreen => self.goto(ScreenId::ALL[(self.screen.index() + 1) % 8]),
            Action::PrevScreen => self.goto(ScreenId::ALL[(self.screen.index() + 7) % 8]),
            Action::Screen(s) => self.goto(s),
            Action::Blank => self.blank = true,
            Action::Initials => {
                self.initials = !self.initials;
                self.say(if self.initials {
                    "Children shown by initials only"
                } else {
                    "Children shown by name"
                });
            }
            Action::Refresh => {
                self.data_changed();
                self.say("Reloaded from the database");
            }
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::New => self.new_record(),
            Action::Edit => self.edit_selected(),
            Action::Delete => self.delete_selected(),
            Action::Allocate => self.case_action(CaseAction::Allocate),
            Action::AddTarget => self.case_action(CaseAction::AddTarget),
            Action::EndTarget => self.case_action(CaseAction::EndTarget),
            Action::RecordReview => self.case_action(CaseAction::Review),
            Action::RecordVisit => self.case_action(CaseAction::Visit),
            Action::AddNote => self.case_action(CaseAction::Note),
            Action::CloseCase => self.case_action(CaseAction::Close),
            Action::ReopenCase => self.case_action(CaseAction::Reopen),
            Action::NewCase => self.case_action(CaseAction::NewCase),
            Action::EditChild if self.screen == ScreenId::Case => self.edit_child(),
            Action::Document => self.document(),
            Action::SubjectAccess | Action::EraseChild => self.request_on_case(action),
            Action::EditDistrict => self.edit_district(),
            Action::Export | Action::ManualFigures | Action::Narrative | Action::Note | Action::TermDates => {
                self.returns_form(action)
            }
            other => {
                self.prepare();
                let ctx = ctx!(self);
                match self.screens.get(self.screen).handle(other, &ctx) {
                    Ok(effect) => self.apply(effect),
                    Err(e) => self.store_failed(e),
                }
            }
        }
    }

    /// A key press.
    /// The title of the form open with typing not yet saved, if any.
    pub fn unsaved_form(&self) -> Option<String> {
        let editor = self.editor.as_ref()?;
        editor.unsaved().then(|| editor.form.title.clone())
    }

    /// Text pasted into the terminal: into the form being filled in; elsewhere it is not taken
    /// for keys (a pasted name would otherwise fire a command per letter).
    pub fn paste(&mut self, text: &str) {
        self.blank = false;
        if let Some(editor) = self.editor.as_mut() {
            editor.paste(text);
        } else if self.overlay.is_some() || self.screens.get(self.screen).typing() {
            // A search box or a filter being typed: the text as its letters, on one line.
            for c in text.chars().take(PASTED_INTO_A_BOX).filter(|c| !c.is_control()) {
                self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
            }
        } else {
            let line: String = text.chars().take(PASTED_INTO_A_BOX).filter(|c| !c.is_control()).collect();
            self.search_here(line.trim());
        }
    }

    /// Searches with `text` typed: the screen's own list when it filters one (the Caseload),
    /// everyone otherwise (find anyone). A name typed onto a screen, or pasted, comes here
    /// rather than being taken for commands letter by letter.
    fn search_here(&mut self, text: &str) {
        self.status = None;
        if !self.screens.get(self.screen).start_filter(text) {
            self.find(text);
        }
    }

    pub fn key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if self.blank {
            self.blank = false;
            return;
        }
        // The privacy key works everywhere, even in the middle of a form.
        if self.keymap.lookup(self.screen, &key) == Some(Action::Blank) && !self.typing_text(&key) {
            self.blank = true;
            return;
        }
        if let Some(overlay) = self.overlay.take() {
            self.overlay_key(overlay, &key);
            return;
        }
        if let Some(mut editor) = self.editor.take() {
            match editor.key(&key, &mut self.store, self.today) {
                EditorOutcome::Stay => self.editor = Some(editor),
                EditorOutcome::Close(message) => {
                    if let Some(m) = message {
                        self.say(m);
                    }
                }
                EditorOutcome::Work(message) => {
                    self.say(message);
                    self.pending = Some(Box::new(editor));
                }
                EditorOutcome::Saved { status, done, close } => {
                    self.select_added(&done);
                    self.data_changed();
                    self.remember(status.clone(), done);
                    self.say(format!("{status} · u undoes"));
                    if !close {
                        self.editor = Some(editor);
                    }
                }
            }
            return;
        }
        self.prepare();
        if self.screens.get(self.screen).typing() {
            let ctx = ctx!(self);
            match self.screens.get(self.screen).type_key(&key, &ctx) {
                Ok(effect) => self.apply(effect),
                Err(e) => self.store_failed(e),
            }
            return;
        }
        if let Some(action) = self.keymap.lookup(self.screen, &key) {
            self.status = None;
            self.update(action);
        } else if let Some(c) = starts_a_name(&key) {
            self.search_here(&c.to_string());
        }
    }

    /// A scrolled overlay's next position after a key; `None`: any other key closes it.
    fn scrolled(&self, scroll: usize, key: &KeyEvent) -> Option<usize> {
        match self.keymap.lookup(self.screen, key) {
            Some(Action::Down) => Some(scroll + 1),
            Some(Action::Up) => Some(scroll.saturating_sub(1)),
            Some(Action::PageDown) => Some(scroll + 10),
            Some(Action::PageUp) => Some(scroll.saturating_sub(10)),
            Some(Action::Top) => Some(0),
            // The drawing stops at the end.
            Some(Action::Bottom) => Some(usize::MAX / 2),
            _ => None,
        }
    }

    fn overlay_key(&mut self, overlay: Overlay, key: &KeyEvent) {
        match overlay {
            Overlay::Help(scroll) => self.overlay = self.scrolled(scroll, key).map(Overlay::Help),
            Overlay::Palette(mut palette) => match palette.key(key) {
                PaletteOutcome::Open => self.overlay = Some(Overlay::Palette(palette)),
                PaletteOutcome::Cancel => {}
                PaletteOutcome::Run(command) => self.run_command(&command),
            },
            Overlay::Confirm { message, ops } => match key.code {
                ratatui::crossterm::event::KeyCode::Char('y' | 'Y') => {
                    // The record removed is the one the screen showed: refused if changed since.
                    let mark = self.marks[self.screen.index()];
                    self.commit(ops, mark)
                }
                _ => self.say(format!("Kept: {message}")),
            },
            Overlay::Reader(mut r) => {
                self.overlay = self.scrolled(r.scroll, key).map(|scroll| {
                    r.scroll = scroll;
                    Overlay::Reader(r)
                });
            }
            Overlay::Messages(scroll) if self.keymap.lookup(self.screen, key) == Some(Action::Open) => {
                // Enter: the message chosen, in full.
                let chosen = scroll.min(self.messages.len().saturating_sub(1));
                if let Some((time, text, _)) = self.messages.get(chosen) {
                    let reading = Reading::new(format!("Message of {time}"), text.clone());
                    self.overlay = Some(Overlay::Reader(reading));
                }
            }
            Overlay::Messages(scroll) => {
                let scroll = scroll.min(self.messages.len().saturating_sub(1));
                self.overlay = self.scrolled(scroll, key).map(Overlay::Messages);
            }
            Overlay::Find(mut find) => match find.key(key) {
                FindOutcome::Open => self.overlay = Some(Overlay::Find(find)),
                FindOutcome::Cancel => {}
                FindOutcome::Search => {
                    match self.store.reader().find(&find.input.text, 25, self.today) {
                        Ok(found) => find.results = found,
                        Err(e) => return self.store_failed(e),
                    }
                    self.overlay = Some(Overlay::Find(find));
                }
                FindOutcome::Choose(found) => self.open_found(found),
            },
            Overlay::Erase { key: child, .. } => match key.code {
                ratatui::crossterm::event::KeyCode::Char('y' | 'Y') => self.erase_now(&child),
                _ => self.say("Kept: the child was not erased"),
            },
            Overlay::Child(child) if self.request_key(key).is_some() => self.request_on_child(*child, key),
            Overlay::Child(mut child) => match child.key(key) {
                ChildOutcome::Open => self.overlay = Some(Overlay::Child(child)),
                ChildOutcome::Close => {}
                ChildOutcome::OpenCase(id) => self.apply(Some(Effect::OpenCase(id))),
                ChildOutcome::EditChild => {
                    let record = Record::Child(child.page.child.clone());
                    let today = self.today;
                    self.open_editor(|lists| {
                        let form = form_for(RecordKind::Child, Some(&record), &lists, today)?;
                        Some(Editor::new(
                            form,
                            Purpose::Record { kind: RecordKind::Child, original: Some(record) },
                            lists,
                        ))
                    });
                }
            },
            Overlay::Welcome(mut welcome) => match welcome.key(key) {
                WelcomeOutcome::Open => self.overlay = Some(Overlay::Welcome(welcome)),
                WelcomeOutcome::Quit => self.quit = true,
                WelcomeOutcome::Done { district, demo } => self.first_run(&district, demo),
            },
        }
    }

    /// The Caseload showing a teacher's open cases (or those with no teacher).
    fn cases_of(&mut self, teacher: Option<(i64, String)>) {
        self.goto(ScreenId::Caseload);
        self.prepare();
        let what = teacher.as_ref().map_or("with no teacher".to_string(), |(_, name)| format!("of {name}"));
        self.screens.caseload.show_teacher(teacher);
        self.say(format!("The open cases {what}: c clears the filter"));
    }

    /// `m`: the cases of the person using the program.
    fn my_cases(&mut self) {
        let Some(key) = self.me.clone().or_else(|| self.prefs.me.clone()) else {
            self.complain(
                "Who are you? On the Register's staff list (7, then l), choose yourself and press i",
            );
            return;
        };
        let reader = self.store.reader();
        match (reader.id_of(RecordKind::Staff, &key), reader.record(RecordKind::Staff, &key)) {
            (Ok(Some(id)), Ok(Some(Record::Staff(s)))) => self.cases_of(Some((id, s.name))),
            (Err(e), _) | (_, Err(e)) => self.store_failed(e),
            _ => self.complain(format!(
                "There is no staff member {key} any more: press i on yourself on the Register"
            )),
        }
    }

    /// `i` on the Register's staff: remembers who the user is.
    fn this_is_me(&mut self) {
        self.prepare();
        let Some(Record::Staff(s)) = self.screens.get(self.screen).selected_record() else {
            self.complain("Choose yourself on the Register's staff list (7, then l), then press i");
            return;
        };
        self.prefs.me = Some(s.key.clone());
        match self.prefs.save() {
            Ok(()) => self.say(format!("You are {}: m on the Caseload shows your cases", s.name)),
            Err(e) => self.complain(format!("Could not remember who you are: {e}")),
        }
    }

    /// Opens the search, with `text` searched already.
    pub fn find(&mut self, text: &str) {
        let mut find = Find::with(text);
        match self.store.reader().find(text, 25, self.today) {
            Ok(found) => find.results = found,
            Err(e) => return self.store_failed(e),
        }
        self.overlay = Some(Overlay::Find(find));
    }

    /// What a search found, opened: a child's page, a case, the Register or a teacher's cases.
    fn open_found(&mut self, found: Found) {
        match found.kind {
            FoundKind::Child => match self.store.reader().child_page(&found.key) {
                Ok(Some(page)) => self.overlay = Some(Overlay::Child(Box::new(ChildView { page, at: 0 }))),
                Ok(None) => self.complain("That child is no longer recorded"),
                Err(e) => self.store_failed(e),
            },
            FoundKind::Case => {
                if let Some(id) = found.case_id {
                    self.apply(Some(Effect::OpenCase(id)));
                }
            }
            FoundKind::Setting => {
                self.goto(ScreenId::Register);
                self.say(format!("{} is on the Register", found.name));
            }
            FoundKind::Staff => {
                self.goto(ScreenId::Teachers);
                self.say(format!("{} is on the Teachers screen", found.name));
            }
        }
    }

    /// Runs a palette command (`goto caseload`, `open K12`, `quit`, ...).
    pub fn run_command(&mut self, command: &str) {
        let words: Vec<&str> = command.split_whitespace().collect();
        match words.as_slice() {
            ["open", key] => match self.store.reader().case_id(key) {
                Ok(Some(id)) => self.apply(Some(Effect::OpenCase(id))),
                Ok(None) => self.complain(format!("There is no case with key \"{key}\"")),
                Err(e) => self.store_failed(e),
            },
            ["find", text @ ..] => self.find(&text.join(" ")),
            ["messages"] => self.overlay = Some(Overlay::Messages(usize::MAX)),
            ["district", name @ ..] if !name.is_empty() => {
                // The district's other settings stay as they are.
                let retention = self.store.reader().district().ok().flatten().and_then(|d| d.retention);
                let record = Record::District(crate::domain::District { name: name.join(" "), retention });
                let ops = vec![crate::store::Op::Replace(record)];
                // A new name for the district, whatever it was: nothing read to be stale.
                let mark = self.store.reader().audit_mark().unwrap_or(0);
                self.commit(ops, mark);
            }
            [] => {}
            [name, rest @ ..] => match Action::parse(name, rest.first().copied()) {
                Some(action) if rest.len() <= 1 => self.update(action),
                _ => self
                    .complain(format!("Unknown command \"{command}\"; press : then Tab to see the commands")),
            },
        }
    }

    /// The welcome's answer: name the district, and perhaps load the demonstration.
    fn first_run(&mut self, district: &str, demo: bool) {
        let result = if demo {
            let options = crate::demo::DemoOptions {
                children: 1200,
                years: 3,
                seed: 1,
                district: district.to_string(),
            };
            crate::demo::generate(&mut self.store, &options, self.today, &mut |_| {})
                .map(|s| format!("Loaded the demonstration district: {} records", s.records()))
                .map_err(|e| e.to_string())
        } else {
            let record = crate::domain::Record::District(crate::domain::District {
                name: district.to_string(),
                retention: None,
            });
            self.store
                .save(&record, true, self.today)
                .map(|_| format!("Welcome, {district}. Press ? for the keys of each screen."))
                .map_err(|e| e.to_string())
        };
        match result {
            Ok(message) => {
                self.district = district.to_string();
                self.data_changed();
                self.say(message);
            }
            Err(e) => self.complain(format!("Could not set up the district: {e}")),
        }
    }

    /// Whether a key is text being typed (so a letter bound to an action is not taken as one).
    fn typing_text(&mut self, key: &KeyEvent) -> bool {
        let plain = matches!(key.code, ratatui::crossterm::event::KeyCode::Char(_))
            && !key.modifiers.contains(ratatui::crossterm::event::KeyModifiers::CONTROL);
        plain && (self.editor.is_some() || self.overlay.is_some() || self.screens.get(self.screen).typing())
    }

    /// Notices other processes' commits (an import, another window, another desk on the server):
    /// the screens read their data again. True when something changed (the screen is to be drawn again).
    pub fn tick(&mut self) -> bool {
        // Past midnight the window works on the new day: the screens read their figures again.
        let today = self.store.clock().today();
        if today != self.clock_day {
            self.clock_day = today;
            self.today = today;
            self.data_changed();
            self.say(format!("It is now {}: the screens show today's figures", today.uk()));
            return true;
        }
        if !self.replaced_warned
            && let Some(change) = self.store.file_change()
        {
            self.replaced_warned = true;
            self.complain(change.warning());
            return true;
        }
        // Another program's commit to the file, or another desk's change told by the server
        // (the store has read it in already).
        match self.store.changed_elsewhere() {
            Ok(true) => {
                self.data_changed();
                true
            }
            _ => false,
        }
    }
    pub fn mouse(&mut self, m: MouseEvent) {
        if self.blank || self.overlay.is_some() || self.editor.is_some() {
            if matches!(m.kind, MouseEventKind::Down(_)) {
                self.blank = false;
                if matches!(self.overlay, Some(Overlay::Help(_))) {
                    self.overlay = None;
                }
            }
            return;
        }
        self.prepare();
        let ctx = ctx!(self);
        let result = match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some((_, id)) = self.tabs.iter().find(|(r, _)| contains(*r, m.column, m.row)) {
                    let id = *id;
                    self.goto(id);
                    return;
                }
                let now = std::time::Instant::now();
                let double = self.last_click.is_some_and(|(s, x, y, at)| {
                    s == self.screen
                        && y == m.row
                        && x.abs_diff(m.column) < 30
                        && now.duration_since(at).as_millis() < 500
                });
                self.last_click = Some((self.screen, m.column, m.row, now));
                self.screens.get(self.screen).click(m.column, m.row, double, &ctx)
            }
            MouseEventKind::ScrollDown => self.screens.get(self.screen).scroll(true, &ctx),
            MouseEventKind::ScrollUp => self.screens.get(self.screen).scroll(false, &ctx),
            _ => Ok(None),
        };
        match result {
            Ok(effect) => self.apply(effect),
            Err(e) => self.store_failed(e),
        }
    }
}

/// A letter or digit that no key of the screen is bound to (capitals mostly are not): the start
/// of a name, a UPN or a case key being typed, not a command.
fn starts_a_name(key: &KeyEvent) -> Option<char> {
    use ratatui::crossterm::event::KeyModifiers as M;
    match key.code {
        KeyCode::Char(c) if c.is_alphanumeric() && (key.modifiers - M::SHIFT).is_empty() => Some(c),
        _ => None,
    }
}
