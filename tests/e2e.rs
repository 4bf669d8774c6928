//! The real program in a pseudo-terminal: keys and mouse events written as a terminal would,
//! the output parsed by a terminal emulator (`vt100`) and the screen read back as text.
//!
//! Synchronisation is by polling the parsed screen until a condition holds (or it stops
//! changing), with an overall timeout that fails the test and prints the last screen.
//!
//! Unix only: it needs a Unix pseudo-terminal (and sends SIGTERM and SIGHUP). Windows' own
//! (ConPTY) gives the program no console under Wine, where the Windows tests run.
#![cfg(unix)]

use harness::{Term, cells_coloured, highlighted_row, row};
use std::path::Path;
use std::process::Command;

#[path = "common/pty.rs"]
mod harness;

/// Runs the program outside the terminal (`demo`, ...), on the same day.
fn cli(db: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("CASELOAD_NOW", "2026-11-27T12:00:00Z")
        .env_remove("CASELOAD_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "caseload {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A database with a generated district of 300 children over two years.
fn demo_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("x.db");
    cli(&db, &["demo", "--children", "300", "--years", "2"]);
    db
}

/// The rows of the caseload table: after the tab bar, the border, the filter line and the header.
const FIRST_CASE_ROW: usize = 4;

/// The child's name in a caseload table row (the first column, 18 wide, inside the border).
fn child_cell(line: &str) -> String {
    line.chars().skip(1).take(18).collect::<String>().trim().to_string()
}

/// The numbers of "Caseload N of M" in the title row.
fn caseload_counts(screen: &str) -> Option<(usize, usize)> {
    let title = row(screen, 1);
    let rest = &title[title.find("Caseload ")? + "Caseload ".len()..];
    let mut words = rest.split_whitespace();
    let shown = words.next()?.parse().ok()?;
    (words.next()? == "of").then_some(())?;
    let total = words.next()?.parse().ok()?;
    Some((shown, total))
}

/// The escape sequences crossterm writes to stop mouse reporting.
const DISABLE_MOUSE: &str = "\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l";

fn last(haystack: &[u8], needle: &str) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle.as_bytes())
}

#[test]
fn a_first_run_left_at_the_welcome_leaves_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let term = Term::spawn(&db, 80, 24, false);
    term.wait_text("District name");
    assert!(db.exists(), "the database is made to ask for its district");
    term.quit_with("\x1b");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "Esc on the welcome leaves nothing behind: {left:?}");
}

#[test]
fn first_run_demo_caseload_filter_case_and_a_clean_exit() {
    let dir = tempfile::tempdir().unwrap();
    let mut term = Term::spawn(&dir.path().join("x.db"), 120, 40, false);

    term.wait_text("District name");
    term.send("Ashford\r");
    term.wait_text("demonstration district");
    term.send("y");
    let dash = term.wait_for("the dashboard of the demonstration district", |t| {
        t.contains("Loaded the demonstration district") && row(t, 1).contains("other terms")
    });
    assert!(row(&dash, 0).contains("Ashford"), "{dash}");
    let figures = dash.lines().skip(2).filter(|l| l.chars().any(|c| c.is_ascii_digit())).count();
    assert!(figures >= 5, "the dashboard shows figures:\n{dash}");
    assert!(cells_coloured(&term.screen()), "colour without NO_COLOR");

    term.send("2");
    let list = term.wait_for("the caseload with cases", |t| caseload_counts(t).is_some_and(|(n, _)| n > 0));
    let (shown, _) = caseload_counts(&list).unwrap();
    // A surname shown in full on the screen, and a few of its letters.
    let surname = list
        .lines()
        .skip(FIRST_CASE_ROW)
        .take(20)
        .filter_map(|l| child_cell(l).split_whitespace().nth(1).map(str::to_string))
        .find(|s| s.chars().count() >= 5 && s.chars().all(char::is_alphabetic))
        .unwrap_or_else(|| panic!("no surname of 5 letters or more on the screen:\n{list}"));
    let letters: String = surname.chars().take(4).collect::<String>().to_lowercase();

    term.send("/");
    term.wait_text("Filter: ");
    term.send(&letters);
    let filtered = term.wait_for("the caseload filtered by the typed letters", |t| {
        t.contains(&format!("Filter: {letters}")) && caseload_counts(t).is_some_and(|(n, _)| n < shown)
    });
    let rows: Vec<&str> =
        filtered.lines().skip(FIRST_CASE_ROW).take_while(|l| !child_cell(l).is_empty()).collect();
    assert!(!rows.is_empty(), "{filtered}");
    assert!(
        rows.iter().any(|l| child_cell(l).to_lowercase().contains(&letters)),
        "a child whose name has {letters:?}:\n{filtered}"
    );
    // Every case shown matches by child or setting; a setting filling its column may be cut off,
    // its match beyond the edge.
    let header = row(&filtered, FIRST_CASE_ROW - 1);
    let column = |name: &str| header[..header.find(name).unwrap()].chars().count();
    let (from, to) = (column("Setting"), column("Ph ") - 1);
    for line in &rows {
        let chars: Vec<char> = line.chars().collect();
        let setting: String = chars[from..to].iter().collect();
        let cut = !setting.ends_with(' ');
        let shown = format!("{} {}", child_cell(line), setting).to_lowercase();
        assert!(shown.contains(&letters) || cut, "a row without {letters:?}: {line}\n{filtered}");
    }

    // Enter keeps the filter; Enter again opens the highlighted case.
    term.send("\r");
    let kept = term.wait_text(&format!("\"{letters}\""));
    let selected = highlighted_row(&term.screen(), FIRST_CASE_ROW as u16)
        .unwrap_or_else(|| panic!("no highlighted row:\n{kept}"));
    let child = child_cell(row(&kept, usize::from(selected)));
    let child = child.trim_end_matches('…').to_string();
    term.send("\r");
    let case = term.wait_for("the Case screen with its chronology", |t| {
        row(t, 1).contains(" Case ") && t.contains("Chronology") && t.contains("Case opened")
    });
    assert!(row(&case, 1).contains(&child), "the case of {child:?}:\n{case}");

    let raw = term.quit();
    // The terminal is restored: mouse reporting off, then the main screen, as the last things.
    let end = last(&raw, "\x1b[?1049l").expect("leaves the alternate screen");
    assert!(end > last(&raw, "\x1b[?1049h").expect("entered the alternate screen"));
    let tail = String::from_utf8_lossy(&raw[end + "\x1b[?1049l".len()..]).to_string();
    assert!(tail.is_empty() || tail == "\x1b[?25h", "after leaving the alternate screen: {tail:?}");
    let mouse_off = last(&raw, DISABLE_MOUSE).expect("mouse capture disabled");
    assert_eq!(mouse_off + DISABLE_MOUSE.len(), end, "mouse capture disabled just before leaving");
    assert!(mouse_off > last(&raw, "\x1b[?1000h").expect("mouse capture was enabled"));
}

#[test]
fn every_screen_draws_at_80x24_with_help_and_palette() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut term = Term::spawn(&db, 80, 24, true);
    term.wait_for("the dashboard", |t| row(t, 1).contains("other terms"));

    let titles = [
        ('1', "other terms"),
        ('2', "Caseload"),
        ('3', " Case "),
        ('4', "LIFT meetings"),
        ('5', "Clinics"),
        ('6', "Teachers · cases on"),
        ('7', "Settings"),
        ('8', "Return "),
    ];
    for (key, title) in titles {
        term.send(key.to_string());
        let shown = term.wait_for(&format!("screen {key} titled {title:?}"), |t| {
            row(t, 1).contains(title) && !t.contains("Loading…")
        });
        assert!(!shown.contains("Make the window larger"), "{shown}");
        assert!(row(&shown, 23).contains("? keys"), "the status line:\n{shown}");
        // The selected tab is the one of this screen (reversed, NO_COLOR being set).
        let screen = term.screen();
        let tab_x = row(&shown, 0).find(&format!("{key} ")).unwrap() as u16;
        assert!(screen.cell(0, tab_x).unwrap().inverse(), "tab {key} selected:\n{shown}");
        assert!(!cells_coloured(&screen), "no colour with NO_COLOR:\n{shown}");
    }

    term.send("?");
    let help = term.wait_text("Keys: Returns");
    assert!(help.contains("Everywhere") && help.contains("quit"), "{help}");
    let closed = term.esc();
    assert!(!closed.contains("Keys: Returns"), "{closed}");

    term.send(":");
    term.wait_text("Command (Tab completes");
    term.send("goto teachers");
    term.wait_text(": goto teachers");
    term.send("\r");
    let teachers = term.wait_for("the Teachers screen", |t| row(t, 1).contains("Teachers · cases on"));
    assert!(!teachers.contains("Command (Tab"), "{teachers}");
    term.quit();
}

#[test]
fn resizing_below_the_minimum_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut term = Term::spawn(&db, 80, 24, false);
    term.send("2");
    term.wait_for("the caseload", |t| caseload_counts(t).is_some());

    term.resize(40, 10);
    let small = term.wait_text("Make the window larger");
    assert!(small.contains("(now 40×10)"), "{small}");

    term.resize(100, 30);
    let big = term.wait_for("the caseload drawn again at 100x30", |t| {
        caseload_counts(t).is_some() && !t.contains("Make the window larger") && row(t, 29).contains("? keys")
    });
    assert!(row(&big, 0).contains(" 1 Dashboard "), "the padded tabs of a wide window:\n{big}");
    term.resize(60, 12);
    term.wait_for("the smallest usable size", |t| {
        caseload_counts(t).is_some() && row(t, 11).contains("q quit")
    });
    term.quit();
}

#[test]
fn mouse_clicks_select_tabs_and_rows_and_the_wheel_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut term = Term::spawn(&db, 120, 40, false);
    let dash = term.wait_for("the dashboard", |t| row(t, 1).contains("other terms"));

    let x = row(&dash, 0).find("2 Caseload").expect("the Caseload tab") as u16;
    term.click(x + 3, 0);
    let list = term.wait_for("the caseload after a click on its tab", |t| caseload_counts(t).is_some());
    let top = FIRST_CASE_ROW as u16;
    assert_eq!(highlighted_row(&term.screen(), top), Some(top), "the first row selected:\n{list}");

    // One notch moves the selection; many scroll the table.
    term.wheel_down(30, 10, 1);
    term.wait_for_screen("the selection one row down", |s| highlighted_row(s, top) == Some(top + 1));
    let first = child_cell(row(&list, FIRST_CASE_ROW)).to_string();
    term.wheel_down(30, 10, 60);
    let scrolled = term.wait_for_screen("the table scrolled by the wheel", |s| {
        highlighted_row(s, top) == Some(37) // the last row of the table at 40 rows
    });
    let scrolled = harness::text(&scrolled);
    assert_ne!(child_cell(row(&scrolled, FIRST_CASE_ROW)), first, "{scrolled}");

    // A click selects a row; a second click on it opens the case.
    term.click(10, 20);
    term.wait_for_screen("the clicked row selected", |s| highlighted_row(s, top) == Some(20));
    term.click(10, 20);
    term.wait_for("the case opened by a double click", |t| {
        row(t, 1).contains(" Case ") && t.contains("Chronology")
    });
    term.quit();
}

#[test]
fn the_privacy_key_blanks_the_screen_and_any_key_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut term = Term::spawn(&db, 80, 24, false);
    term.send("2");
    let list = term.wait_for("the caseload", |t| caseload_counts(t).is_some_and(|(n, _)| n > 3));
    let names: Vec<String> = list.lines().skip(FIRST_CASE_ROW).take(3).map(child_cell).collect();
    assert!(names.iter().all(|n| n.len() > 3), "{list}");

    term.send("\x02"); // Ctrl-B
    let blank = term.wait_for("a blank screen", |t| t.trim().is_empty());
    assert!(names.iter().all(|n| !blank.contains(n.as_str())));

    term.send("x");
    let back = term.wait_for("the caseload back", |t| caseload_counts(t).is_some());
    assert!(back.contains(names[0].as_str()), "{back}");
    assert!(!back.contains("Filter"), "the key that restores does nothing else:\n{back}");

    // `i` shows children by initials only.
    term.send("i");
    let initials = term.wait_text("initials only");
    assert!(names.iter().all(|n| !initials.contains(n.as_str())), "{initials}");
    term.quit();
}

/// Records a LIFT meeting with three referrals by keys alone (one allocated, the children added
/// inline), then finds the new case on the caseload.
#[test]
fn recording_a_lift_meeting_by_keys_and_finding_the_new_case() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut term = Term::spawn(&db, 100, 30, false);
    term.wait_for("the dashboard", |t| row(t, 1).contains("other terms"));
    term.send("4");
    term.wait_text("LIFT meetings");
    term.send("n");
    term.wait_text("New LIFT meeting");
    // Today, school, no settings typed, no professionals: save the meeting.
    term.send("\r\r\t");
    term.send([0x13]);
    term.wait_text("Referral 1 at this meeting");
    // The outcome is picked from its list with ↓ and Enter: allocated, advice, signposted.
    let children = [("Zara", "Quillfeather", 1), ("Yusuf", "Quillfeather", 2), ("Ivy", "Quillfeather", 3)];
    for (n, (first, last, outcome)) in children.iter().enumerate() {
        // Only what the screen shows: the name typed offers "+ new child «name»".
        term.new_child_referral(first, last, *outcome);
        term.send([0x13]);
        if n == 0 {
            term.wait_text("Open the case");
            term.send("spec");
            term.wait_stable();
            term.send("\r");
            term.send([0x13]);
        }
        term.wait_text(&format!("Referral {} at this meeting", n + 2));
    }
    let ended = term.esc();
    assert!(ended.contains("3 referrals and 1 new case saved"), "{ended}");
    term.send("2");
    term.wait_for("the caseload", |t| row(t, 1).contains("Caseload"));
    term.send("/quillf");
    let found = term.wait_for("the new case", |t| t.contains("Zara Quillfeather"));
    assert!(!found.contains("Yusuf Quillfeather"), "advice gives no case:\n{found}");
    let line = found.lines().find(|l| l.contains("Zara Quillfeather")).unwrap();
    assert!(line.contains("27 Nov 2026"), "opened today: {line}");
    term.send("\r\r");
    term.wait_text("Case opened");
    term.quit();
}

#[test]
fn sigterm_and_sighup_put_the_terminal_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    for signal in ["TERM", "HUP"] {
        let term = Term::spawn(&db, 80, 24, false);
        term.wait_for("the dashboard", |t| row(t, 1).contains("other terms"));
        let (code, raw) = term.signal(signal);
        let raw = String::from_utf8_lossy(&raw);
        let entered = raw.rfind("\x1b[?1049h").expect("the alternate screen was entered");
        let left = raw
            .rfind("\x1b[?1049l")
            .unwrap_or_else(|| panic!("SIG{signal}: the alternate screen was never left"));
        assert!(left > entered, "SIG{signal}: left after entering");
        assert!(raw[entered..].contains(DISABLE_MOUSE), "SIG{signal}: mouse reporting turned off");
        assert!(code.is_some_and(|c| c >= 128), "SIG{signal}: ended by the signal ({code:?})");
    }
}

/// Goes from the Dashboard to the first case on the Caseload and opens the note form there.
fn open_a_note_form(term: &mut Term) {
    term.send("2");
    term.wait_text("Caseload");
    term.send("\r");
    term.wait_text("Chronology");
    term.send("w");
    term.wait_text("Add a note or contact");
}

#[test]
fn a_signal_in_the_middle_of_a_form_says_what_was_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut term = Term::spawn(&db, 100, 30, false);
    term.wait_for("the dashboard", |t| row(t, 1).contains("other terms"));
    open_a_note_form(&mut term);
    term.send("Rang the SENCo");
    term.wait_text("Rang the SENCo");
    let (code, raw) = term.signal("TERM");
    let raw = String::from_utf8_lossy(&raw);
    let left = raw.rfind("\x1b[?1049l").expect("the alternate screen was left");
    assert!(
        raw[left..]
            .contains("with the form \"Add a note or contact\" open: what was typed there was not saved"),
        "{}",
        &raw[left..]
    );
    assert!(code.is_some_and(|c| c >= 128));
}

#[test]
fn a_long_paste_goes_into_the_form_at_once_and_a_paste_elsewhere_runs_no_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let mut term = Term::spawn(&db, 100, 30, false);
    term.wait_for("the dashboard", |t| row(t, 1).contains("other terms"));
    // Pasted outside a form, "q" and the rest are not keys: the program does not quit, it
    // searches for what was pasted.
    term.send("\x1b[200~quit 2 3\x1b[201~");
    term.wait_text("quit 2 3");
    term.esc();
    term.wait_for("find closed", |t| !t.contains("quit 2 3"));
    open_a_note_form(&mut term);
    let long = "y".repeat(200 * 1024);
    term.send(format!("\x1b[200~{long}\x1b[201~"));
    term.send("\x13");
    term.wait_text("characters long; at most 4000 are allowed");
    term.esc();
    term.wait_text("Discard the changes?");
    term.send("y");
    term.wait_text("Chronology");
    let raw = term.quit();
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        raw.contains("\x1b[?2004h") && raw.contains("\x1b[?2004l"),
        "bracketed paste asked for, then ended"
    );
}
