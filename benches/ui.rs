//! The terminal UI's latency (docs/performance.md: first frame < 0.2 s; a keystroke to the next frame on
//! the caseload < 16 ms, not growing with the number of cases).
//!
//! `cargo bench --bench ui` (add `-- --quick` for the 10,000-children district only). The
//! districts are generated once (`demo --children N --years 5 --seed 7`, on 27 November 2026)
//! into `target/bench-ui-10k.db` and `target/bench-ui-100k.db` and reused by later runs.
//!
//! Everything runs through the library as the program does, on a `TestBackend` of 120×40: the
//! times are the application's own work (reading, filtering, sorting, laying out the frame and
//! diffing it), without the terminal emulator's drawing.

use caseload::demo::{DemoOptions, generate};
use caseload::domain::Date;
use caseload::store::Store;
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use caseload::tui::screens::Screen;
use caseload::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// How many times the program is opened afresh for the start-up figures.
const OPENS: usize = 5;

fn today() -> Date {
    Date::parse_iso("2026-11-27").unwrap()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The benchmark district of `children` children, generated when it is not there yet.
fn database(children: u32, label: &str) -> PathBuf {
    let path = target_dir().join(format!("bench-ui-{label}.db"));
    if path.exists() {
        let reusable =
            Store::open(&path).ok().and_then(|s| s.reader().district_name().ok().flatten()).is_some();
        if reusable {
            eprintln!("reusing {}", path.display());
            return path;
        }
        eprintln!("{} is incomplete: generating it again", path.display());
        remove_db(&path);
    }
    // Generated under another name and renamed when complete, so an interrupted run leaves
    // nothing that a later run would take for the district.
    let part = path.with_extension("db.part");
    remove_db(&part);
    let started = Instant::now();
    {
        let mut store = Store::open(&part).expect("create the benchmark database");
        let options = DemoOptions { children, years: 5, seed: 7, district: "Benchmark District".into() };
        let summary = generate(&mut store, &options, today(), &mut |n| {
            eprint!("\rgenerating {label}: {n} records");
        })
        .expect("generate the district");
        eprintln!(
            "\rgenerated {label}: {} records in {:.1} s",
            summary.records(),
            started.elapsed().as_secs_f64()
        );
    } // Closing the store checkpoints the write-ahead log into the file.
    std::fs::rename(&part, &path).expect("rename the benchmark database");
    path
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median, 95th percentile and maximum of a sample, in ms.
struct Stats {
    n: usize,
    median: f64,
    p95: f64,
    max: f64,
}

fn stats(samples: &[Duration]) -> Stats {
    let mut v: Vec<f64> = samples.iter().copied().map(ms).collect();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Stats { n: v.len(), median: at(0.5), p95: at(0.95), max: v[v.len() - 1] }
}

/// One row of the table.
struct Line {
    operation: String,
    stats: Stats,
    bar_ms: f64,
}

fn line(operation: impl Into<String>, samples: &[Duration], bar_ms: f64) -> Line {
    Line { operation: operation.into(), stats: stats(samples), bar_ms }
}

/// The slowest of a cycle of states (`samples[i]` reached `states[i % n]`), as a line of the table.
fn slowest(key: &str, samples: &[Duration], states: &[&str]) -> Line {
    let (i, _) = (0..states.len())
        .map(|i| {
            let of: Vec<Duration> = samples.iter().skip(i).step_by(states.len()).copied().collect();
            (i, stats(&of).median)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    let of: Vec<Duration> = samples.iter().skip(i).step_by(states.len()).copied().collect();
    line(format!("  slowest: {key} to \"{}\"", states[i]), &of, f64::NAN)
}

/// A key and the frame drawn after it: what a person waits for.
fn keystroke(app: &mut App, term: &mut Terminal<TestBackend>, code: KeyCode) -> Duration {
    let started = Instant::now();
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
    term.draw(|f| app.draw(f, true)).unwrap();
    started.elapsed()
}

/// The release binary started in a pseudo-terminal of 120×40: the time from starting the process
/// to the first frame on the screen (the tab bar), and to the dashboard drawn with its figures.
fn process_start(db: &Path) -> (Vec<Duration>, Vec<Duration>) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::{Read, Write};
    use std::sync::mpsc;
    let (mut first, mut loaded) = (Vec::new(), Vec::new());
    for _ in 0..OPENS {
        let pair = native_pty_system()
            .openpty(PtySize { rows: HEIGHT, cols: WIDTH, pixel_width: 0, pixel_height: 0 })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_caseload"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.env("CASELOAD_NOW", "2026-11-27T12:00:00Z");
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("CASELOAD_DB");
        let mut reader = pair.master.try_clone_reader().unwrap();
        let mut writer = pair.master.take_writer().unwrap();
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        let mut child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut parser = vt100::Parser::new(HEIGHT.try_into().unwrap(), WIDTH.try_into().unwrap(), 0);
        let (mut at_first, mut at_loaded) = (None, None);
        while at_loaded.is_none() {
            let bytes = rx.recv_timeout(Duration::from_secs(30)).expect("the program draws its screens");
            parser.process(&bytes);
            let top: Vec<String> = parser.screen().rows(0, WIDTH).take(2).collect();
            if at_first.is_none() && top[0].contains("1 Dashboard") {
                at_first = Some(started.elapsed());
            }
            if top[1].contains("other terms") {
                at_loaded = Some(started.elapsed());
            }
        }
        first.push(at_first.unwrap());
        loaded.push(at_loaded.unwrap());
        writer.write_all(b"q").unwrap();
        writer.flush().unwrap();
        assert!(child.wait().unwrap().success());
    }
    (first, loaded)
}

fn measure(db: &Path) -> (Vec<Line>, String) {
    let mut lines = Vec::new();

    let (first, loaded) = process_start(db);
    lines.push(line("process start to first frame (release binary, pty)", &first, 200.0));
    lines.push(line("process start to the dashboard with figures", &loaded, f64::NAN));

    // Start-up, each time on a fresh store and application as the program does.
    let (mut first, mut dashboard, mut caseload) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..OPENS {
        let mut term = terminal();
        let started = Instant::now();
        let store = Store::open(db).unwrap();
        let mut app = App::new(store, today(), Theme::plain()).unwrap();
        term.draw(|f| app.draw(f, false)).unwrap();
        first.push(started.elapsed());
        let t = Instant::now();
        term.draw(|f| app.draw(f, true)).unwrap();
        dashboard.push(t.elapsed());
        caseload.push(keystroke(&mut app, &mut term, KeyCode::Char('2')));
        assert_eq!(app.screen, ScreenId::Caseload);
        assert!(app.screens.caseload.total() > 0);
    }
    lines.push(line("library: open, App::new, first draw", &first, 200.0));
    lines.push(line("  then the dashboard loaded and drawn", &dashboard, f64::NAN));
    lines.push(line("  then 2: the caseload loaded and drawn", &caseload, f64::NAN));
    let mut total = first.clone();
    for (i, t) in total.iter_mut().enumerate() {
        *t += dashboard[i] + caseload[i];
    }
    lines.push(line("open to the caseload drawn (the three above)", &total, f64::NAN));

    // The caseload, loaded, at 120×40.
    let store = Store::open(db).unwrap();
    let mut app = App::new(store, today(), Theme::plain()).unwrap();
    let mut term = terminal();
    app.update(Action::Screen(ScreenId::Caseload));
    term.draw(|f| app.draw(f, true)).unwrap();
    let c = &app.screens.caseload;
    let about = format!("{} cases, {} open (the default filter)", c.total(), c.shown().count());
    // Surnames to type: spread over the list, so the filters differ.
    let shown: Vec<String> = c.shown().map(|r| r.last_name.to_lowercase()).collect();
    let words: Vec<String> = (0..10)
        .map(|i| &shown[i * (shown.len() - 1) / 9])
        .map(|s| s.chars().filter(|c| c.is_alphabetic()).take(4).collect())
        .collect();

    let samples: Vec<Duration> =
        (0..200).map(|_| keystroke(&mut app, &mut term, KeyCode::Char('j'))).collect();
    lines.push(line("j (down one row), 200 times", &samples, 16.0));
    let samples: Vec<Duration> = (0..50).map(|_| keystroke(&mut app, &mut term, KeyCode::PageDown)).collect();
    lines.push(line("PageDown, 50 times", &samples, 16.0));

    let (mut typing, mut erasing, mut escaping) = (Vec::new(), Vec::new(), Vec::new());
    for word in &words {
        keystroke(&mut app, &mut term, KeyCode::Char('/'));
        for ch in word.chars() {
            typing.push(keystroke(&mut app, &mut term, KeyCode::Char(ch)));
        }
        assert!(app.screens.caseload.shown().count() > 0, "{word}");
        for _ in word.chars() {
            erasing.push(keystroke(&mut app, &mut term, KeyCode::Backspace));
        }
        for ch in word.chars() {
            keystroke(&mut app, &mut term, KeyCode::Char(ch));
        }
        escaping.push(keystroke(&mut app, &mut term, KeyCode::Esc));
        assert!(!app.screens.caseload.typing());
    }
    lines.push(line("/ then typing 4 letters of a surname (per key)", &typing, 16.0));
    lines.push(line("Backspace, the filter shortening (per key)", &erasing, 16.0));
    lines.push(line("Esc, clearing a 4-letter filter", &escaping, 16.0));

    // 9 presses go through the 8 columns and back to the default order.
    let samples: Vec<Duration> =
        (0..27).map(|_| keystroke(&mut app, &mut term, KeyCode::Char('s'))).collect();
    lines.push(line("s (next sort column), 27 times", &samples, 16.0));
    let columns =
        ["child", "setting", "phase", "area", "teacher", "opened", "last review", "status", "newest first"];
    lines.push(slowest("s", &samples, &columns));
    keystroke(&mut app, &mut term, KeyCode::Char('s')); // by child
    let samples: Vec<Duration> =
        (0..20).map(|_| keystroke(&mut app, &mut term, KeyCode::Char('r'))).collect();
    lines.push(line("r (reverse the sort by child), 20 times", &samples, 16.0));
    let samples: Vec<Duration> =
        (0..25).map(|_| keystroke(&mut app, &mut term, KeyCode::Char('f'))).collect();
    lines.push(line("f (next quick filter), 25 times", &samples, 16.0));
    lines.push(slowest("f", &samples, &["active", "open, not active", "closed", "all", "open"]));
    (lines, about)
}

fn print(label: &str, about: &str, lines: &[Line]) {
    println!("\n{label}: {about}");
    println!("{:<52} {:>4} {:>9} {:>9} {:>9}  bar", "operation", "n", "median ms", "p95 ms", "max ms");
    for l in lines {
        let s = &l.stats;
        let verdict = if l.bar_ms.is_nan() {
            String::new()
        } else if s.max < l.bar_ms {
            format!("< {} ms: met", l.bar_ms)
        } else if s.p95 < l.bar_ms {
            format!("< {} ms: met at p95, max over", l.bar_ms)
        } else {
            format!("< {} ms: MISSED", l.bar_ms)
        };
        println!("{:<52} {:>4} {:>9.2} {:>9.2} {:>9.2}  {verdict}", l.operation, s.n, s.median, s.p95, s.max);
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let mut sizes = vec![(10_000, "10k")];
    if !quick {
        sizes.push((100_000, "100k"));
    }
    let mut worst: Option<(String, String, f64)> = None;
    for (children, label) in sizes {
        let db = database(children, label);
        let (lines, about) = measure(&db);
        print(&format!("{children} children ({})", db.display()), &about, &lines);
        for l in lines.iter().filter(|l| !l.bar_ms.is_nan() && l.bar_ms < 100.0) {
            if worst.as_ref().is_none_or(|(_, _, m)| l.stats.p95 > *m) {
                worst = Some((label.to_string(), l.operation.clone(), l.stats.p95));
            }
        }
    }
    if let Some((label, op, p95)) = worst {
        println!("\nslowest keystroke (by p95): {op} on {label}, {p95:.2} ms");
    }
}
