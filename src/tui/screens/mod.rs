//! The screens. Each keeps its own state, reads the store when loaded, turns actions into changes
//! of that state (or into an [`Effect`] for the application), and draws itself.

pub mod case;
pub mod caseload;
pub mod dashboard;
pub mod lift;
pub mod register;
pub mod returns;
pub mod teachers;
pub mod work;

use super::action::{Action, ScreenId};
use super::theme::Theme;
use crate::domain::Date;
use crate::store::{Reader, StoreError};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

/// What a screen needs to know to load and draw.
pub struct Ctx<'a> {
    pub reader: Reader<'a>,
    pub today: Date,
    /// Children by initials only.
    pub initials: bool,
    pub theme: Theme,
    /// A review is overdue after this many weeks without one.
    pub review_weeks: u32,
}

/// What a screen asks of the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    OpenCase(i64),
    Goto(ScreenId),
    /// What the screen shows changed (another term, another framework): read it again.
    Reload,
    /// The Caseload, showing a teacher's open cases (`None`: those with no teacher).
    CasesOf(Option<(i64, String)>),
    /// A line in full, in the reader.
    Read(super::overlays::Reading),
}

pub type Outcome = Result<Option<Effect>, StoreError>;

pub trait Screen {
    /// Reads (again) what the screen shows. The application calls it when the screen is shown
    /// and its data is stale: at first, after a change to the database, after [`Effect::Reload`].
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError>;

    fn handle(&mut self, action: Action, ctx: &Ctx) -> Outcome;

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx);

    /// A text field has the keyboard: keys go to [`Screen::type_key`], not the keymap.
    fn typing(&self) -> bool {
        false
    }

    fn type_key(&mut self, _key: &KeyEvent, _ctx: &Ctx) -> Outcome {
        Ok(None)
    }

    /// Starts the screen's own filter of its list with `text` typed (`/`, or a name typed
    /// straight onto the list). False when the screen has none: the application searches
    /// everyone instead.
    fn start_filter(&mut self, _text: &str) -> bool {
        false
    }

    /// The screen's list cursor, when it has one list (clicks select its rows).
    fn cursor(&mut self) -> Option<&mut super::widgets::list::Cursor> {
        None
    }

    /// A click at a screen position (`double`: the second click on the same row). By default it
    /// selects the row under it in the screen's list.
    fn click(&mut self, x: u16, y: u16, _double: bool, _ctx: &Ctx) -> Outcome {
        if let Some(cursor) = self.cursor()
            && let Some(row) = cursor.row_at(x, y)
        {
            cursor.select(row);
        }
        Ok(None)
    }

    /// The mouse wheel.
    fn scroll(&mut self, down: bool, ctx: &Ctx) -> Outcome {
        self.handle(if down { Action::Down } else { Action::Up }, ctx)
    }

    /// A line for the status bar about the screen's state (filters, counts).
    fn summary(&self) -> String {
        String::new()
    }

    /// The stored record under the cursor (for edit and remove).
    fn selected_record(&self) -> Option<crate::domain::Record> {
        None
    }

    /// Selects the record of that kind and key when the screen lists it (after a save, the new
    /// record is selected); false when it does not.
    fn select_record(
        &mut self,
        _kind: crate::domain::RecordKind,
        _key: &str,
        _ctx: &Ctx,
    ) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// The kind of record `n` creates here.
    fn new_kind(&self) -> Option<crate::domain::RecordKind> {
        None
    }
}

/// Short codes for tight columns.
pub fn phase_short(p: crate::domain::Phase) -> &'static str {
    use crate::domain::Phase::*;
    match p {
        EarlyYears => "EY",
        Primary => "Pri",
        Secondary => "Sec",
        Post16 => "P16",
    }
}

pub fn area_short(a: crate::domain::Area) -> &'static str {
    use crate::domain::Area::*;
    match a {
        CommunicationInteraction => "C&I",
        CognitionLearning => "C&L",
        Semh => "SEMH",
        SensoryPhysical => "S&P",
    }
}

/// "5 Jan 2026" style dates, or a dash.
pub fn day(d: Option<Date>) -> String {
    d.map_or_else(|| "–".to_string(), |d| d.uk())
}

/// A block with the screen's title.
pub fn block<'a>(title: impl Into<ratatui::text::Line<'a>>, theme: &Theme) -> ratatui::widgets::Block<'a> {
    ratatui::widgets::Block::bordered().title(title).title_style(theme.title()).border_style(theme.muted())
}
