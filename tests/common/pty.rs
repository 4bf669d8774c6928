//! The real program in a pseudo-terminal (Unix): keys and mouse events written as a terminal
//! would, the output parsed by a terminal emulator (`vt100`) and the screen read back as text.
//! Used by tests/e2e.rs and tests/server_tui.rs (`#[path]`-included, so only they compile it).
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long any one wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// The screen counts as settled when nothing has been written for this long.
const QUIET: Duration = Duration::from_millis(150);
const POLL: Duration = Duration::from_millis(10);
/// A frame reaches the terminal in several writes; a screen is only judged once nothing has
/// been written for this long, so that a condition is never met by half a frame.
const SETTLE: Duration = Duration::from_millis(25);

/// What the reader thread has seen.
struct Seen {
    parser: vt100::Parser,
    /// Every byte the program wrote, for assertions on the escape sequences.
    raw: Vec<u8>,
    last_output: Instant,
    /// The program's side of the terminal is closed (it exited).
    eof: bool,
}

/// The program running in a pseudo-terminal.
pub struct Term {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    seen: Arc<Mutex<Seen>>,
    reader: Option<JoinHandle<()>>,
    size: (u16, u16),
}

/// The screen as text: one line per row, trailing spaces trimmed.
pub fn text(screen: &vt100::Screen) -> String {
    let (_, cols) = screen.size();
    let mut out = String::new();
    for line in screen.rows(0, cols.get()) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One row of the screen as text (0-based).
pub fn row(screen: &str, y: usize) -> &str {
    screen.lines().nth(y).unwrap_or("")
}

/// The first row at or below `from` whose cell in column 1 is highlighted (the selected
/// row of a table: reversed without colour, a background colour with it).
pub fn highlighted_row(screen: &vt100::Screen, from: u16) -> Option<u16> {
    let (rows, _) = screen.size();
    (from..rows.get())
        .find(|y| screen.cell(*y, 1).is_some_and(|c| c.inverse() || c.bgcolor() != vt100::Color::Default))
}

/// Whether any cell has a foreground or background colour.
pub fn cells_coloured(screen: &vt100::Screen) -> bool {
    let (rows, cols) = screen.size();
    (0..rows.get()).any(|y| {
        (0..cols.get()).any(|x| {
            screen
                .cell(y, x)
                .is_some_and(|c| c.fgcolor() != vt100::Color::Default || c.bgcolor() != vt100::Color::Default)
        })
    })
}

impl Term {
    /// Starts `caseload --db DB` in a `cols`×`rows` terminal, on 27 November 2026.
    pub fn spawn(db: &Path, cols: u16, rows: u16, no_color: bool) -> Term {
        Term::spawn_in(db.as_os_str(), db.parent().unwrap(), cols, rows, no_color)
    }

    /// [`Term::spawn`] on a database named by `db` (a file's path or a server's address), in the
    /// folder `cwd`.
    pub fn spawn_in(db: &std::ffi::OsStr, cwd: &Path, cols: u16, rows: u16, no_color: bool) -> Term {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_caseload"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.cwd(cwd);
        cmd.env("CASELOAD_NOW", "2026-11-27T12:00:00Z");
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("CASELOAD_DB");
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let child = pair.slave.spawn_command(cmd).expect("start caseload");
        // Our copy of the program's side must close, or the reader never sees the end.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let seen = Arc::new(Mutex::new(Seen {
            parser: vt100::Parser::new(rows.try_into().unwrap(), cols.try_into().unwrap(), 0),
            raw: Vec::new(),
            last_output: Instant::now(),
            eof: false,
        }));
        let shared = Arc::clone(&seen);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                // EOF, or EIO on Linux once the program's side is closed.
                let n = match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let mut s = shared.lock().unwrap();
                s.parser.process(&buf[..n]);
                s.raw.extend_from_slice(&buf[..n]);
                s.last_output = Instant::now();
            }
            shared.lock().unwrap().eof = true;
        });
        Term { master: pair.master, writer, child, seen, reader: Some(reader), size: (cols, rows) }
    }

    /// The parsed screen now.
    pub fn screen(&self) -> vt100::Screen {
        self.seen.lock().unwrap().parser.screen().clone()
    }

    fn fail(&self, what: &str) -> ! {
        let (screen, raw_len, eof) = {
            let s = self.seen.lock().unwrap();
            (text(s.parser.screen()), s.raw.len(), s.eof)
        };
        panic!(
            "{what}\n(size {}x{}, {raw_len} bytes received, program exited: {eof})\n\
             ---- last screen ----\n{screen}---------------------",
            self.size.0, self.size.1
        );
    }

    /// Waits until the parsed screen satisfies `ok`; returns it.
    pub fn wait_for_screen(&self, what: &str, ok: impl Fn(&vt100::Screen) -> bool) -> vt100::Screen {
        let start = Instant::now();
        loop {
            let (screen, eof, settled) = {
                let s = self.seen.lock().unwrap();
                (s.parser.screen().clone(), s.eof, s.last_output.elapsed() >= SETTLE)
            };
            if settled && ok(&screen) {
                return screen;
            }
            if eof {
                self.fail(&format!("the program exited while waiting for: {what}"));
            }
            if start.elapsed() > TIMEOUT {
                self.fail(&format!("timed out after {TIMEOUT:?} waiting for: {what}"));
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the screen text satisfies `ok`; returns the text.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        text(&self.wait_for_screen(what, |s| ok(&text(s))))
    }

    /// Waits until the screen text contains `needle`.
    pub fn wait_text(&self, needle: &str) -> String {
        self.wait_for(&format!("{needle:?} on the screen"), |t| t.contains(needle))
    }

    /// Waits until the program has written nothing for a moment; returns the screen text.
    pub fn wait_stable(&self) -> String {
        let start = Instant::now();
        loop {
            {
                let s = self.seen.lock().unwrap();
                if s.last_output.elapsed() >= QUIET {
                    return text(s.parser.screen());
                }
            }
            if start.elapsed() > TIMEOUT {
                self.fail("the screen never settled");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Writes bytes as typed keys (`\r` Enter, `\x1b` Esc, `\x02` Ctrl-B, ...).
    /// At a LIFT referral: a new child typed by name (the picker offers "+ new child «name»"),
    /// born 3/4/16, at a primary setting, area the third listed, its first need, and the outcome
    /// `outcome` places down the list; the referral's own Ctrl-S is left to the caller.
    pub fn new_child_referral(&mut self, first: &str, last: &str, outcome: usize) {
        let down = "\x1b[B";
        self.send(format!("{first} {last}"));
        self.wait_text(&format!("+ new child «{first} {last}»"));
        self.send("\r");
        self.wait_text("Date of birth");
        self.send("3/4/16\r");
        self.send("primary");
        self.wait_stable();
        self.send("\r\r");
        // Each choice lists its options on arrival: area of need (the third), need type (the
        // first of the area's), outcome, all by ↓ and Enter.
        self.wait_text("Communication and interaction");
        self.send(down.repeat(3));
        self.wait_stable();
        self.send("\r");
        self.send(down);
        self.wait_stable();
        self.send("\r");
        self.send(down.repeat(outcome));
        self.wait_stable();
        self.send("\r");
    }

    pub fn send(&mut self, keys: impl AsRef<[u8]>) {
        self.writer.write_all(keys.as_ref()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Esc alone, then waits for the screen to settle, so that the next key is not read as
    /// Alt+key.
    pub fn esc(&mut self) -> String {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(30));
        self.wait_stable()
    }

    /// A left click at a 0-based screen cell (SGR mouse encoding: press and release).
    pub fn click(&mut self, x: u16, y: u16) {
        let (col, row) = (x + 1, y + 1);
        self.send(format!("\x1b[<0;{col};{row}M\x1b[<0;{col};{row}m"));
    }

    /// The mouse wheel, `n` notches down, at a 0-based cell.
    pub fn wheel_down(&mut self, x: u16, y: u16, n: usize) {
        let one = format!("\x1b[<65;{};{}M", x + 1, y + 1);
        self.send(one.repeat(n));
    }

    /// Resizes the terminal (the program gets SIGWINCH) and the emulator with it.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.seen.lock().unwrap().parser.set_size(rows.try_into().unwrap(), cols.try_into().unwrap());
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        self.size = (cols, rows);
    }

    /// Presses `q`; the program must exit with status 0 within a few seconds. Returns
    /// every byte it wrote.
    pub fn quit(self) -> Vec<u8> {
        self.quit_with("q")
    }

    /// Sends keys that end the program (Esc on the welcome), which must exit with success.
    pub fn quit_with(mut self, keys: &str) -> Vec<u8> {
        self.send(keys);
        let (status, raw) = self.ended(keys);
        assert!(status.success(), "exit status {status:?}");
        raw
    }

    /// Sends a signal (`TERM`, `HUP`) to the program; it must exit within a few seconds.
    /// Its exit code and every byte it wrote.
    pub fn signal(self, name: &str) -> (Option<i32>, Vec<u8>) {
        let pid = self.child.process_id().expect("a running program has a process id");
        std::process::Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).status().unwrap();
        let (status, raw) = self.ended(&format!("SIG{name}"));
        (Some(status.exit_code() as i32), raw)
    }

    /// Waits for the program to exit after `what`, and for the end of its output: how it
    /// exited and every byte it wrote.
    fn ended(mut self, what: &str) -> (portable_pty::ExitStatus, Vec<u8>) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(5) {
                self.fail(&format!("the program did not exit within 5 s of {what}"));
            }
            std::thread::sleep(POLL);
        };
        // Everything written before the exit is read before the end of the stream.
        while !self.seen.lock().unwrap().eof {
            if start.elapsed() > Duration::from_secs(10) {
                self.fail("the terminal output never ended after the program exited");
            }
            std::thread::sleep(POLL);
        }
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        (status, std::mem::take(&mut self.seen.lock().unwrap().raw))
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        // A failed test must not leave the program running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
