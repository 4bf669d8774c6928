//! Driving the application as a person would: keys in, the screen and the store out.

use super::{fixture, import};
use caseload::domain::{Date, RecordKind};
use caseload::store::Store;
use caseload::tui::app::App;
use caseload::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn today() -> Date {
    Date::parse_iso("2024-02-10").unwrap()
}

pub fn app() -> App {
    app_on(today())
}

pub fn app_on(day: Date) -> App {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &fixture("kpi_district.jsonl"));
    App::new(store, day, Theme::plain()).unwrap()
}

/// Sends keys and counts them: what a person would press.
pub struct Keys<'a> {
    pub app: &'a mut App,
    pub count: usize,
}

impl Keys<'_> {
    pub fn press(&mut self, code: KeyCode) -> &mut Self {
        self.app.key(KeyEvent::new(code, KeyModifiers::NONE));
        self.count += 1;
        self
    }

    pub fn ctrl(&mut self, c: char) -> &mut Self {
        self.app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self.count += 1;
        self
    }

    pub fn typed(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
        self
    }

    pub fn enter(&mut self) -> &mut Self {
        self.press(KeyCode::Enter)
    }
}

pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.draw(f, true)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>().trim_end().to_string()
                + "\n"
        })
        .collect()
}

pub fn count(app: &App, kind: RecordKind) -> i64 {
    app.store.reader().count(kind).unwrap()
}

pub fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

/// A teacher in post on `day` (one the forms offer) other than the staff member `not`.
pub fn another_teacher(store: &Store, day: Date, not: Option<&str>) -> caseload::domain::Staff {
    let offered = caseload::tui::editors::lists(store).unwrap().teacher_choices(day, None);
    let key =
        offered.iter().map(|c| c.value.as_str()).find(|k| Some(*k) != not).expect("another teacher in post");
    store.reader().staff().unwrap().into_iter().find(|s| s.key == key).unwrap()
}

/// Opens on the Case screen the first case on the Caseload that `pick` chooses.
pub fn open_case_where(
    app: &mut App,
    pick: impl Fn(&caseload::store::CaseRow) -> bool,
) -> caseload::store::CaseRow {
    app.update(caseload::tui::action::Action::Screen(caseload::tui::action::ScreenId::Caseload));
    app.prepare();
    let row = app.screens.caseload.shown().find(|r| pick(r)).cloned().expect("a case to open");
    while app.screens.caseload.selected().map(|r| r.id) != Some(row.id) {
        app.update(caseload::tui::action::Action::Down);
    }
    app.update(caseload::tui::action::Action::Open);
    row
}
