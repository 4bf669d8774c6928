//! How the operating system asks the program to stop. Unix: SIGINT, SIGTERM and SIGHUP, waited
//! for on a thread (nothing runs inside a signal handler). Windows: Ctrl-C, Ctrl-Break, closing
//! the console window, logging off and shutting down, through the console's control handler,
//! which Windows runs on a thread of its own (so it too may lock, remove files and restore).

/// Calls `stop` once, with the exit status the program should end with, when it is asked to stop.
#[cfg(unix)]
pub fn when_asked_to_stop(stop: fn(i32)) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // As the signal itself would end it.
            stop(128 + signal);
        }
    });
}

/// Calls `stop` once, with the exit status the program should end with, when it is asked to stop.
#[cfg(windows)]
pub fn when_asked_to_stop(stop: fn(i32)) {
    use std::sync::OnceLock;
    use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;
    static STOP: OnceLock<fn(i32)> = OnceLock::new();
    /// Windows' own status for a program ended by Ctrl-C (STATUS_CONTROL_C_EXIT).
    const CONTROL_C_EXIT: i32 = 0xC000_013A_u32 as i32;

    unsafe extern "system" fn handler(_event: u32) -> windows_sys::core::BOOL {
        match STOP.get() {
            // `stop` ends the process; for a closed window Windows waits for it (a few seconds).
            Some(stop) => {
                stop(CONTROL_C_EXIT);
                1
            }
            None => 0,
        }
    }
    if STOP.set(stop).is_ok() {
        // SAFETY: `handler` is a plain function that lives as long as the program.
        unsafe { SetConsoleCtrlHandler(Some(handler), 1) };
    }
}
