//! The keymap as data: `assets/keymap.txt` binds keys to actions, per screen or globally.

use super::action::{Action, ScreenId};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;

const DEFAULT: &str = include_str!("../../assets/keymap.txt");

/// A key with its modifiers, as the keymap names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

impl Chord {
    pub fn of(key: &KeyEvent) -> Chord {
        // A typed character carries its case itself; Shift is not part of the chord.
        Chord {
            code: key.code,
            ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
            alt: key.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses `ctrl+c`, `G`, `pagedown`, `f1`, `?`.
    pub fn parse(text: &str) -> Option<Chord> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl+") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt+") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
            _ => return None,
        };
        Some(Chord { code, ctrl, alt })
    }
}

/// One line of the keymap, kept for the help overlay.
#[derive(Debug, Clone)]
pub struct Binding {
    pub screen: Option<ScreenId>,
    pub keys: String,
    pub action: Action,
}

pub struct Keymap {
    map: HashMap<(Option<ScreenId>, Chord), Action>,
    bindings: Vec<Binding>,
}

/// A line of the keymap that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub line: usize,
    pub message: String,
}

impl Keymap {
    /// The keymap shipped with the program.
    pub fn builtin() -> Keymap {
        // The shipped file is checked by a test; a line that cannot be read is left out.
        Keymap::parse(DEFAULT).0
    }

    /// The user's own keymap when the file exists, checked: on any line it cannot read (an
    /// unknown action, a key given twice) the shipped keys are used and the message names the
    /// lines. No file: the shipped keys, no message.
    pub fn load(path: Option<&std::path::Path>) -> (Keymap, Option<String>) {
        let Some(path) = path.filter(|p| p.exists()) else { return (Keymap::builtin(), None) };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                let why = format!("{} cannot be read ({e}): the default keys are used", path.display());
                return (Keymap::builtin(), Some(why));
            }
        };
        match Keymap::parse(&text) {
            (keymap, errors) if errors.is_empty() => (keymap, None),
            (_, errors) => {
                let lines: Vec<String> =
                    errors.iter().map(|e| format!("line {}: {}", e.line, e.message)).collect();
                let why = format!("{}: {}; the default keys are used", path.display(), lines.join("; "));
                (Keymap::builtin(), Some(why))
            }
        }
    }

    /// Reads a keymap; returns it with the lines it could not read.
    pub fn parse(text: &str) -> (Keymap, Vec<KeymapError>) {
        let mut first_line: HashMap<(Option<ScreenId>, Chord), usize> = HashMap::new();
        let mut map = HashMap::new();
        let mut bindings = Vec::new();
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let error = |message: String| KeymapError { line: i + 1, message };
            let screen = match words[0] {
                "global" => None,
                name => match ScreenId::from_name(name) {
                    Some(s) => Some(s),
                    None => {
                        errors.push(error(format!("unknown context \"{name}\"")));
                        continue;
                    }
                },
            };
            // The action is the last word, or the last two when it takes an argument.
            let (action, keys) = match words.len() {
                0..=2 => {
                    errors.push(error("expected: context, keys, action".into()));
                    continue;
                }
                n => match Action::parse(words[n - 1], None) {
                    Some(a) => (a, &words[1..n - 1]),
                    None => match Action::parse(words[n - 2], Some(words[n - 1])) {
                        Some(a) if n > 3 => (a, &words[1..n - 2]),
                        _ => {
                            errors.push(error(format!("unknown action \"{}\"", words[n - 1])));
                            continue;
                        }
                    },
                },
            };
            for key in keys {
                match Chord::parse(key) {
                    // A key given twice in one context: which was meant?
                    Some(chord) if first_line.contains_key(&(screen, chord)) => {
                        let first = first_line[&(screen, chord)];
                        errors.push(error(format!(
                            "the key \"{key}\" is given twice for {} (also on line {first})",
                            words[0]
                        )));
                    }
                    Some(chord) => {
                        first_line.insert((screen, chord), i + 1);
                        map.insert((screen, chord), action);
                    }
                    None => errors.push(error(format!("unknown key \"{key}\""))),
                }
            }
            bindings.push(Binding { screen, keys: keys.join(" "), action });
        }
        (Keymap { map, bindings }, errors)
    }

    /// The action a key asks for on a screen: the screen's own binding, else the global one.
    pub fn lookup(&self, screen: ScreenId, key: &KeyEvent) -> Option<Action> {
        let chord = Chord::of(key);
        self.map.get(&(Some(screen), chord)).or_else(|| self.map.get(&(None, chord))).copied()
    }

    /// The bindings that apply on a screen: its own first, then the global ones.
    pub fn bindings_for(&self, screen: ScreenId) -> Vec<&Binding> {
        let own = self.bindings.iter().filter(|b| b.screen == Some(screen));
        let global = self.bindings.iter().filter(|b| b.screen.is_none());
        own.chain(global).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_shipped_keymap_reads_without_errors() {
        let (_, errors) = Keymap::parse(DEFAULT);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn screen_keys_come_before_global_keys() {
        let k = Keymap::builtin();
        let open_bracket = key(KeyCode::Char('['), KeyModifiers::NONE);
        assert_eq!(k.lookup(ScreenId::Dashboard, &open_bracket), Some(Action::PrevTerm));
        assert_eq!(k.lookup(ScreenId::Caseload, &open_bracket), None);
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(k.lookup(ScreenId::Caseload, &q), Some(Action::Quit));
        assert_eq!(
            k.lookup(ScreenId::Caseload, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            k.lookup(ScreenId::Case, &key(KeyCode::Char('5'), KeyModifiers::NONE)),
            Some(Action::Screen(ScreenId::Work))
        );
        assert_eq!(
            k.lookup(ScreenId::Case, &key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            k.lookup(ScreenId::Case, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevScreen)
        );
    }

    #[test]
    fn the_users_keymap_is_used_when_right_and_the_defaults_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.txt");
        let (k, problem) = Keymap::load(Some(&path));
        assert!(problem.is_none(), "no file: the shipped keys, quietly");
        assert_eq!(
            k.lookup(ScreenId::Case, &key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        // A copy with quit moved to x.
        std::fs::write(&path, DEFAULT.replace("global      q                  quit", "global      Q  quit"))
            .unwrap();
        let (k, problem) = Keymap::load(Some(&path));
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(
            k.lookup(ScreenId::Case, &key(KeyCode::Char('Q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(k.lookup(ScreenId::Case, &key(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        // An unknown action and a key given twice are named; the defaults are kept.
        std::fs::write(&path, "global q quit\nglobal z frobnicate\ncase q history\nglobal ctrl+c  q  help\n")
            .unwrap();
        let (k, problem) = Keymap::load(Some(&path));
        let problem = problem.unwrap();
        assert!(problem.contains("line 2: unknown action \"frobnicate\""), "{problem}");
        assert!(
            problem.contains("line 4: the key \"q\" is given twice for global (also on line 1)"),
            "{problem}"
        );
        assert!(!problem.contains("line 3"), "a screen's own key may differ from the global one: {problem}");
        assert!(problem.contains("the default keys are used"), "{problem}");
        assert_eq!(
            k.lookup(ScreenId::Case, &key(KeyCode::Char('h'), KeyModifiers::NONE)),
            Some(Action::History)
        );
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let (k, errors) =
            Keymap::parse("global q quit\nglobal x frobnicate\nnowhere q quit\nglobal ctrl+ quit\n");
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(
            k.lookup(ScreenId::Dashboard, &key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
    }
}
