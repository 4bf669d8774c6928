//! The terminal application without a terminal: app state driven by actions and keys, every
//! screen drawn on a test backend (snapshots), and random keys at random sizes.

mod common;

use caseload::domain::{Date, Scope, Term};
use caseload::store::Store;
use caseload::tui::action::{Action, ScreenId};
use caseload::tui::app::App;
use caseload::tui::overlays::Overlay;
use caseload::tui::theme::Theme;
use common::{fixture, import};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn today() -> Date {
    Date::parse_iso("2024-02-10").unwrap()
}

/// The application on the hand-worked KPI district, on 10 February 2024 (2023-24 T3).
fn app() -> App {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &fixture("kpi_district.jsonl"));
    App::new(store, today(), Theme::plain()).unwrap()
}

fn key(app: &mut App, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The screen as text, one line per row (trailing spaces trimmed).
fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.draw(f, true)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let line: String = (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect();
        out.push_str(&redact_audit(line.trim_end()));
        out.push('\n');
    }
    out
}

/// The case screen names who last changed the case and when (the audit log): the OS user and
/// the real time of the test run, replaced so snapshots are the same everywhere (what follows is
/// cut at the same column however long the user's name: Windows' is `DOMAIN\user`).
fn redact_audit(line: &str) -> String {
    let Some(start) = line.find("Last change: ") else { return line.to_string() };
    let Some(by) = line[start..].find(" by ").map(|i| start + i) else { return line.to_string() };
    let end = line.rfind('│').filter(|e| *e > by).unwrap_or(line.len());
    let width = line[by..end].chars().count();
    let replacement: String =
        format!(" by USER (TIME)  (h: history){:width$}", "").chars().take(width).collect();
    format!("{}{replacement}{}", &line[..by], &line[end..])
}

#[test]
fn number_keys_tab_and_the_palette_move_between_screens() {
    let mut app = app();
    assert_eq!(app.screen, ScreenId::Dashboard);
    key(&mut app, KeyCode::Char('2'));
    assert_eq!(app.screen, ScreenId::Caseload);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, ScreenId::Case);
    app.key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(app.screen, ScreenId::Caseload);
    app.update(Action::PrevScreen);
    app.update(Action::PrevScreen);
    assert_eq!(app.screen, ScreenId::Returns, "wraps round");
    key(&mut app, KeyCode::Char(':'));
    typed(&mut app, "goto tea");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, ScreenId::Teachers);
    assert!(app.overlay.is_none());
    app.run_command("frobnicate");
    assert!(app.status.as_ref().unwrap().error);
    key(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn the_caseload_filters_as_you_type_and_opens_a_case() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    let open = app.screens.caseload.shown().count();
    assert!(open > 5, "{open}");
    assert!(app.screens.caseload.shown().all(|r| r.is_open()));

    app.update(Action::NextQuickFilter); // active
    let active: Vec<_> = app.screens.caseload.shown().map(|r| r.id).collect();
    assert!(!active.is_empty() && active.len() < open);
    assert!(app.screens.caseload.shown().all(|r| r.is_active()));
    app.update(Action::NextQuickFilter); // open, not active
    assert_eq!(app.screens.caseload.shown().count(), open - active.len());
    app.update(Action::NextQuickFilter); // closed
    assert!(app.screens.caseload.shown().all(|r| !r.is_open()));
    app.update(Action::NextQuickFilter); // all
    assert_eq!(app.screens.caseload.shown().count(), app.screens.caseload.total());

    // Typing filters over child and setting names; Esc clears.
    let first = app.screens.caseload.shown().next().unwrap().clone();
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, &first.last_name.to_lowercase());
    assert!(app.screens.caseload.shown().count() >= 1);
    assert!(app.screens.caseload.shown().all(|r| {
        format!("{} {} {}", r.first_name, r.last_name, r.setting)
            .to_lowercase()
            .contains(&first.last_name.to_lowercase())
    }));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screens.caseload.shown().count(), app.screens.caseload.total());

    // Sort by child name.
    app.update(Action::NextSort);
    let names: Vec<String> = app
        .screens
        .caseload
        .shown()
        .map(|r| format!("{} {}", r.last_name, r.first_name).to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    app.update(Action::ReverseSort);
    let reversed: Vec<String> = app
        .screens
        .caseload
        .shown()
        .map(|r| format!("{} {}", r.last_name, r.first_name).to_lowercase())
        .collect();
    assert_eq!(reversed.first(), sorted.last());

    // Enter opens the selected case with its chronology.
    app.update(Action::Down);
    let selected = app.screens.caseload.selected().unwrap().clone();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, ScreenId::Case);
    app.prepare();
    let detail = app.screens.case.detail().unwrap();
    assert_eq!(detail.case.key, selected.key);
    assert!(app.screens.case.events().iter().any(|e| e.what.starts_with("Case opened")));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, ScreenId::Caseload);
}

#[test]
fn teacher_and_setting_filters_follow_the_selected_row() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    app.prepare();
    let row = app.screens.caseload.shown().find(|r| r.teacher_id.is_some()).unwrap().clone();
    while app.screens.caseload.selected().map(|r| r.id) != Some(row.id) {
        app.update(Action::Down);
    }
    app.update(Action::TeacherFilter);
    assert!(app.screens.caseload.shown().all(|r| r.teacher_id == row.teacher_id));
    app.update(Action::TeacherFilter);
    app.update(Action::SettingFilter);
    assert!(app.screens.caseload.shown().all(|r| r.setting_id == row.setting_id));
    // `c` goes back to how the list opens: every open case.
    app.update(Action::ClearFilters);
    let open = app.screens.caseload.count(caseload::tui::screens::caseload::Quick::Open);
    assert_eq!(app.screens.caseload.shown().count(), open);
    assert!(app.screens.caseload.shown().all(|r| r.is_open()));
    assert!(open < app.screens.caseload.total(), "the fixture has closed cases too");
}

#[test]
fn the_dashboard_steps_through_terms() {
    let mut app = app();
    app.prepare();
    let (year, term) = app.screens.dashboard.showing().unwrap();
    assert_eq!((year.to_string(), term.to_string()), ("2023-24".into(), "T3".into()));
    key(&mut app, KeyCode::Char('['));
    app.prepare();
    assert_eq!(app.screens.dashboard.showing().unwrap().1.to_string(), "T2");
    for _ in 0..2 {
        key(&mut app, KeyCode::Char('['));
    }
    app.prepare();
    let (year, term) = app.screens.dashboard.showing().unwrap();
    assert_eq!((year.to_string(), term.to_string()), ("2022-23".into(), "T6".into()));
}

#[test]
fn the_privacy_keys_blank_the_screen_and_hide_names() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    let shown = screen(&mut app, 100, 30);
    let row = app.screens.caseload.shown().next().unwrap().clone();
    assert!(shown.contains(&row.first_name), "{shown}");
    app.key(KeyEvent::new(KeyCode::Char('b'), KeyModifiers::CONTROL));
    assert!(app.blank);
    assert!(screen(&mut app, 100, 30).trim().is_empty(), "nothing at all is drawn");
    key(&mut app, KeyCode::Char('x'));
    assert!(!app.blank, "any key brings it back");
    key(&mut app, KeyCode::Char('i'));
    let hidden = screen(&mut app, 100, 30);
    assert!(!hidden.contains(&format!("{} {}", row.first_name, row.last_name)), "{hidden}");
    let initials = format!("{}.{}.", &row.first_name[..1], &row.last_name[..1]);
    assert!(hidden.contains(&initials), "{hidden}");
}

#[test]
fn the_first_run_asks_for_the_district_and_offers_the_demonstration() {
    let store = Store::open_in_memory().unwrap();
    let mut app = App::new(store, today(), Theme::plain()).unwrap();
    assert!(matches!(app.overlay, Some(Overlay::Welcome(_))));
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("District name"), "{text}");
    key(&mut app, KeyCode::Enter); // no name yet: stays
    assert!(app.overlay.is_some());
    typed(&mut app, "Ashford");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 80, 24).contains("demonstration district"));
    key(&mut app, KeyCode::Char('y'));
    assert!(app.overlay.is_none());
    assert_eq!(app.store.reader().district_name().unwrap().as_deref(), Some("Ashford"));
    assert!(app.store.reader().count(caseload::domain::RecordKind::Case).unwrap() > 100);
    assert!(app.store.reader().rule_violations().unwrap().is_empty());
}

#[test]
fn declining_the_demonstration_leaves_an_empty_named_district() {
    let store = Store::open_in_memory().unwrap();
    let mut app = App::new(store, today(), Theme::plain()).unwrap();
    typed(&mut app, "Dover");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(app.store.reader().district_name().unwrap().as_deref(), Some("Dover"));
    assert_eq!(app.store.reader().count(caseload::domain::RecordKind::Case).unwrap(), 0);
    let text = screen(&mut app, 80, 24);
    assert!(text.contains("Dover"), "{text}");
}

#[test]
fn the_returns_screen_previews_the_same_figures_as_the_export() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Returns));
    app.prepare();
    let r = app.screens.returns.report().unwrap();
    assert_eq!(r.period.label, "2023-24 T3");
    assert_eq!(r.framework_id, "2023-24");
    let caseload = r.lines.iter().find(|l| l.measure.id == "caseload.school").unwrap().measure.value();
    let text = screen(&mut app, 120, 40);
    assert!(text.contains("Children on caseload: school age"), "{text}");
    assert!(caseload.is_some());
    key(&mut app, KeyCode::Char('y'));
    app.prepare();
    let two = app.screens.returns.report().unwrap();
    assert_eq!(two.span, Scope::Terms(Term::new(3).unwrap()), "the term's monitoring period");
    assert_eq!(two.period.label, "2023-24 T3-T4");
    key(&mut app, KeyCode::Char('y'));
    app.prepare();
    assert_eq!(app.screens.returns.report().unwrap().span, Scope::Year, "the whole year");
    key(&mut app, KeyCode::Char('f'));
    app.prepare();
    assert_eq!(app.screens.returns.report().unwrap().framework_id, "2022-23");
}

#[test]
fn a_tiny_window_asks_to_be_made_larger() {
    let mut app = app();
    let text = screen(&mut app, 50, 10);
    assert!(text.contains("Make the window larger"), "{text}");
    let text = screen(&mut app, 80, 24);
    assert!(!text.contains("Make the window larger"));
}

/// Every screen at the smallest common size and a large one, on a fixed district and day.
#[test]
fn snapshots_of_every_screen() {
    for (width, height) in [(80, 24), (140, 40)] {
        let mut app = app();
        for id in ScreenId::ALL {
            if id == ScreenId::Case {
                // The case screen shows the first case of the caseload.
                app.update(Action::Screen(ScreenId::Caseload));
                app.update(Action::Open);
            } else {
                app.update(Action::Screen(id));
            }
            let text = screen(&mut app, width, height);
            insta::assert_snapshot!(format!("{}_{width}x{height}", id.name()), text);
        }
        app.update(Action::Help);
        insta::assert_snapshot!(format!("help_{width}x{height}"), screen(&mut app, width, height));
    }
}

/// The Dashboard's charts at three sizes: every bar drawn carries its value, and the shown
/// term's school caseload (the first bar of its group) is among them.
#[test]
fn dashboard_charts_at_three_sizes_show_values_on_their_bars() {
    for (width, height) in [(80u16, 24u16), (120, 40), (200, 50)] {
        let mut app = app();
        app.update(Action::Screen(ScreenId::Dashboard));
        let text = screen(&mut app, width, height);
        let r = app.screens.dashboard.figures().expect("the day's term has begun").clone();
        let school = r.get("caseload.school").and_then(|m| m.value()).unwrap() as i64;
        let chart_rows: Vec<&str> = text.lines().skip_while(|l| !l.contains("Children by term")).collect();
        assert!(
            chart_rows
                .iter()
                .any(|l| l.contains(&format!("█{school}█")) || l.contains(&format!("{school}█"))),
            "{width}x{height}: the caseload's bar shows {school}:\n{text}"
        );
        assert!(!chart_rows.iter().any(|l| l.contains('…')), "{width}x{height}: the legend is cut:\n{text}");
        // Both panes draw the same terms, and only terms that have started (T3 runs on this day).
        let under: Vec<&&str> = chart_rows.iter().filter(|l| l.contains("T1") || l.contains("T2")).collect();
        assert!(
            under.iter().any(|l| l.matches("T3").count() == 2 && !l.contains("T4")),
            "{width}x{height}: both charts end at T3:\n{text}"
        );
        // 80x24 is the every-screen snapshot's dashboard_80x24 already.
        if width > 80 {
            insta::assert_snapshot!(format!("dashboard_charts_{width}x{height}"), text);
        }
    }
}

/// Random keys at random sizes, from 1×1 up: nothing panics.
#[test]
fn random_keys_and_sizes_never_panic() {
    let keys = [
        KeyCode::Char('j'),
        KeyCode::Char('k'),
        KeyCode::Char('f'),
        KeyCode::Char('s'),
        KeyCode::Char('r'),
        KeyCode::Char('t'),
        KeyCode::Char('o'),
        KeyCode::Char('p'),
        KeyCode::Char('a'),
        KeyCode::Char('/'),
        KeyCode::Char('['),
        KeyCode::Char(']'),
        KeyCode::Char('y'),
        KeyCode::Char('l'),
        KeyCode::Char('i'),
        KeyCode::Char('?'),
        KeyCode::Char(':'),
        KeyCode::Char('G'),
        KeyCode::Char('g'),
        KeyCode::Char('é'),
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::PageDown,
        KeyCode::PageUp,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
    ];
    let mut rng = fastrand::Rng::with_seed(11);
    let mut app = app();
    for step in 0..3000 {
        let code = if rng.u8(0..10) == 0 {
            KeyCode::Char(char::from(b'1' + rng.u8(0..8)))
        } else {
            keys[rng.usize(0..keys.len())]
        };
        if code == KeyCode::Char('q') {
            continue;
        }
        app.key(KeyEvent::new(code, KeyModifiers::NONE));
        if step % 7 == 0 {
            let (w, h) = (rng.u16(1..=200), rng.u16(1..=60));
            screen(&mut app, w, h);
        }
        if app.quit {
            app.quit = false;
        }
    }
    for (w, h) in [(1, 1), (2, 1), (1, 2), (59, 11), (60, 12), (61, 13), (300, 100)] {
        screen(&mut app, w, h);
    }
}

#[test]
fn control_characters_stored_by_another_program_are_never_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hostile.db");
    let mut store = Store::open(&db).unwrap();
    import(&mut store, &fixture("kpi_district.jsonl"));
    drop(store);
    // Written around the rules, as another program could: an escape sequence and a direction override.
    let conn = rusqlite::Connection::open(&db).unwrap();
    common::as_another_program(&conn, "mallory");
    conn.execute_batch(
        "UPDATE children SET first_name = 'Ev' || char(27) || ']0;pwned' || char(7) || 'e',
                             last_name = 'Right' || char(8238) || 'tfel'",
    )
    .unwrap();
    drop(conn);
    let mut app = App::new(Store::open(&db).unwrap(), today(), Theme::plain()).unwrap();
    for target in [ScreenId::Caseload, ScreenId::Lift, ScreenId::Case] {
        app.update(Action::Screen(ScreenId::Caseload));
        app.prepare();
        if target == ScreenId::Case {
            app.update(Action::Open);
        } else {
            app.update(Action::Screen(target));
        }
        let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
        terminal.draw(|f| app.draw(f, true)).unwrap();
        let buffer = terminal.backend().buffer();
        for cell in buffer.content() {
            let bad = cell.symbol().chars().any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c));
            assert!(!bad, "{target:?} drew {:?}", cell.symbol());
        }
    }
}

/// A name typed straight onto a screen searches: the Caseload filters its list, other screens
/// find anyone. Its letters are not taken for commands ("Dashiell" on the Caseload would cycle
/// the area filter and the sort; "Ned" on LIFT would ask to remove a meeting).
#[test]
fn a_name_typed_outside_a_form_searches_instead_of_firing_commands() {
    let mut app = app();
    app.update(Action::Screen(ScreenId::Caseload));
    let all = screen(&mut app, 120, 30);
    typed(&mut app, "Dashiell");
    let text = screen(&mut app, 120, 30);
    assert!(text.contains("Filter: Dashiell"), "{text}");
    // "Caseload N of M cases": fewer shown, and Dashiell among them.
    let shown = |t: &str| -> usize {
        let after = &t[t.find("┌ Caseload ").unwrap() + "┌ Caseload ".len()..];
        after.split(' ').next().unwrap().parse().unwrap()
    };
    assert!(shown(&text) < shown(&all) && text.lines().any(|l| l.contains("Dashiell M")), "{text}");
    key(&mut app, KeyCode::Enter);
    let kept = screen(&mut app, 120, 30);
    assert!(
        !kept.contains("area") && !kept.to_lowercase().contains("sorted"),
        "no filter but the text:\n{kept}"
    );

    let mut app = app_on(ScreenId::Lift);
    screen(&mut app, 100, 30);
    let meetings = app.screens.lift.meetings().len();
    typed(&mut app, "Ned");
    match &app.overlay {
        Some(Overlay::Find(f)) => assert_eq!(f.input.text, "Ned"),
        _ => panic!("LIFT: a typed name opens find anyone:\n{}", screen(&mut app, 100, 30)),
    }
    key(&mut app, KeyCode::Esc);
    screen(&mut app, 100, 30);
    assert!(meetings > 0);
    assert_eq!(app.screens.lift.meetings().len(), meetings, "nothing was removed");
    assert!(app.overlay.is_none());

    // A pasted name on the Dashboard: a search for it, with the child among what it finds.
    let mut app = app_on(ScreenId::Dashboard);
    app.paste("Aurelia Thistlewood");
    match &app.overlay {
        Some(Overlay::Find(f)) => {
            assert_eq!(f.input.text, "Aurelia Thistlewood");
            assert!(!f.results.is_empty(), "the child is found");
        }
        _ => panic!("a pasted name searches"),
    }
}

fn app_on(id: ScreenId) -> App {
    let mut app = app();
    app.update(Action::Screen(id));
    app
}
