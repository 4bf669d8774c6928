//! The terminal application: a synchronous loop that draws the [`app::App`], waits for a key,
//! a click or a resize, and hands it over.

pub mod action;
pub mod app;
mod draft;
pub mod editors;
pub mod field_id;
pub mod find;
pub mod form;
pub mod keymap;
pub mod overlays;
pub mod prefs;
pub mod screens;
pub mod theme;
pub mod widgets;

use crate::domain::Date;
use crate::store::{Store, StoreError};
use app::App;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use std::io::{Stdout, stdout};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error("the terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The preferences file cannot be used as it is.
    #[error("{0}")]
    Prefs(String),
}

/// Puts the terminal back as it was: cooked mode, main screen, no mouse reporting.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

/// A signal stops the program: the terminal is put back, then anything typed and not saved is
/// said to be lost (standard error, after the screen is restored, so it stays readable).
fn stopped() {
    restore();
    if let Some(words) = draft::lost() {
        eprintln!("{words}");
    }
}

/// Restores the terminal when dropped, on every way out (return, error, panic unwinding).
struct Session;

impl Drop for Session {
    fn drop(&mut self) {
        restore();
    }
}

fn start() -> Result<(Session, Terminal<CrosstermBackend<Stdout>>), UiError> {
    // SIGTERM and SIGHUP (a closed terminal window) put the terminal back too.
    crate::signals::on_stop(stopped);
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    enable_raw_mode()?;
    let session = Session;
    execute!(stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    // A paste arrives as one event (not a key per character, each taken for a command), where
    // the terminal can say so (an old Windows console cannot: keys then, as before).
    let _ = execute!(stdout(), EnableBracketedPaste);
    let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok((session, terminal))
}

/// How often the application looks for other processes' commits while it waits.
const TICK: Duration = Duration::from_millis(500);

/// Runs the application until the person quits.
pub fn run(store: Store, today: Date, me: Option<String>) -> Result<(), UiError> {
    let mut app = App::new(store, today, theme::Theme::from_env())?;
    let database = app.store.path().map(std::path::Path::to_path_buf);
    app.prefs =
        prefs::Prefs::load(prefs::Prefs::default_path(), database.as_deref()).map_err(UiError::Prefs)?;
    // The user's own keys, when they have written them (checked: the defaults on any mistake).
    let (keymap, problem) =
        keymap::Keymap::load(prefs::config_dir().map(|d| d.join("keymap.txt")).as_deref());
    app.keymap = keymap;
    if let Some(problem) = problem {
        app.complain(problem);
    }
    app.me = me;
    let (_session, mut terminal) = start()?;
    loop {
        // Every frame is drawn before the work it waits for (a screen's data, writing a return),
        // so the first frame appears at once and long work shows what it is doing.
        terminal.draw(|f| app.draw(f, false))?;
        if app.quit {
            break;
        }
        if app.needs_work() {
            app.work();
            continue;
        }
        // Waiting for a key, a click or a resize, the application notices other processes'
        // commits and draws the visible screen again with what they wrote.
        let mut changed = false;
        while !event::poll(TICK)? {
            if app.tick() {
                changed = true;
                break;
            }
        }
        if changed {
            continue;
        }
        let mut next = Some(event::read()?);
        // Take every event already waiting before drawing again, so held keys never queue up.
        while let Some(ev) = next {
            match ev {
                Event::Key(key) => app.key(key),
                Event::Mouse(m) => app.mouse(m),
                Event::Paste(text) => app.paste(&text),
                _ => {}
            }
            if app.quit {
                break;
            }
            next = if event::poll(Duration::ZERO)? { Some(event::read()?) } else { None };
        }
        draft::note(app.unsaved_form());
        if app.quit {
            break;
        }
    }
    // A first run that did nothing (Esc on the welcome) leaves no empty database behind.
    drop(terminal);
    app.store.close_discarding_if_unused()?;
    Ok(())
}
