//! What happens on Ctrl-C, SIGTERM or SIGHUP (Windows: Ctrl-C, Ctrl-Break, closing the window): half-written output files (which may hold
//! children's records) are removed and the terminal is put back, then the program ends. A thread
//! waits for the signals, so nothing runs inside a signal handler.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Temporary files being written, removed if the program is stopped before they are finished.
fn pending() -> &'static Mutex<Vec<PathBuf>> {
    static PENDING: OnceLock<Mutex<Vec<PathBuf>>> = OnceLock::new();
    PENDING.get_or_init(Default::default)
}

/// Run when a signal stops the program (the terminal application puts the terminal back).
static ON_STOP: OnceLock<fn()> = OnceLock::new();

/// Starts waiting for SIGINT, SIGTERM and SIGHUP (Windows: Ctrl-C, Ctrl-Break, the console
/// window closed; see `platform::signals`). Called once, at start.
pub fn install() {
    crate::platform::signals::when_asked_to_stop(stop);
}

/// Removes what is unfinished, restores the terminal, and ends the program with `status`.
fn stop(status: i32) {
    // Held until the end: no file is made (and left behind) after these are removed.
    let mut pending = pending().lock().unwrap_or_else(|e| e.into_inner());
    for path in pending.drain(..) {
        let _ = std::fs::remove_file(path);
    }
    if let Some(on_stop) = ON_STOP.get() {
        on_stop();
    }
    std::process::exit(status);
}

/// Asks for `f` to run if a signal stops the program.
pub fn on_stop(f: fn()) {
    let _ = ON_STOP.set(f);
}

/// Creates a temporary file with `create` and marks it to be removed if the program is stopped
/// before [`finished`] is called for it, as one step: a signal waits for
/// both (so a file is never made just after the stop removed the unfinished ones, nor made and
/// not yet marked when the stop comes).
pub fn create_unfinished<T>(path: &Path, create: impl FnOnce() -> std::io::Result<T>) -> std::io::Result<T> {
    let mut pending = pending().lock().unwrap_or_else(|e| e.into_inner());
    let made = create()?;
    pending.push(path.to_path_buf());
    Ok(made)
}

/// The file is finished (renamed into place) or removed already.
pub fn finished(path: &Path) {
    pending().lock().unwrap_or_else(|e| e.into_inner()).retain(|p| p != path);
}
