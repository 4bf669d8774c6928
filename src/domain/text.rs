//! Values from files and forms as messages may repeat them: control characters and direction
//! overrides escaped (so a message can never move the cursor, set a terminal's title or turn text
//! around), long values shortened, and private values (a name, a date of birth) never repeated.

/// The longest value a message repeats, in characters.
pub const SHOWN_MAX: usize = 60;

/// A value as a message shows it: escaped, and cut to [`SHOWN_MAX`] characters with "…".
pub fn shown(value: &str) -> String {
    let mut out = String::new();
    for (n, c) in value.chars().enumerate() {
        if n == SHOWN_MAX {
            out.push('…');
            break;
        }
        push_escaped(&mut out, c);
    }
    out
}

/// A number as an ordinal in words people write: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A whole message made safe to print: every control character and direction override escaped
/// (`\u001b`), and each quoted value in it (`"..."` or `` `...` ``) cut to [`SHOWN_MAX`]
/// characters. With `private` (the message is about a name or a date of birth) quoted values are
/// left out altogether.
pub fn tidy(message: &str, private: bool) -> String {
    let mut out = String::with_capacity(message.len().min(4096));
    let mut quote: Option<(char, usize)> = None;
    for c in message.chars() {
        match quote {
            Some((q, _)) if c == q => {
                quote = None;
                out.push(c);
            }
            Some((_, ref mut n)) => {
                *n += 1;
                if private {
                    if *n == 1 {
                        out.push_str("not repeated here");
                    }
                } else if *n <= SHOWN_MAX {
                    push_escaped(&mut out, c);
                } else if *n == SHOWN_MAX + 1 {
                    out.push('…');
                }
            }
            None => {
                if c == '"' || c == '`' {
                    quote = Some((c, 0));
                    out.push(c);
                } else {
                    push_escaped(&mut out, c);
                }
            }
        }
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    if c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
        out.push_str(&format!("\\u{:04x}", u32::from(c)));
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_written() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 25, 101, 111].map(ordinal).to_vec();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "25th", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn control_characters_are_escaped_and_long_values_cut() {
        assert_eq!(shown("Oak\u{1b}]0;pwned\u{7}"), "Oak\\u001b]0;pwned\\u0007");
        assert_eq!(shown("a\u{202e}b"), "a\\u202eb");
        let long = "x".repeat(200);
        assert_eq!(shown(&long).chars().count(), SHOWN_MAX + 1);
        assert!(shown(&long).ends_with('…'));
    }

    #[test]
    fn messages_keep_their_words_and_lose_what_is_dangerous() {
        let m = tidy("value not allowed: \"\u{1b}[2J\"; expected a date", false);
        assert_eq!(m, "value not allowed: \"\\u001b[2J\"; expected a date");
        let long = format!("unknown variant `{}`, expected x", "y".repeat(500));
        assert!(tidy(&long, false).len() < 100, "{}", tidy(&long, false));
        assert_eq!(
            tidy("\"2016-13-01\" is not a real calendar date", true),
            "\"not repeated here\" is not a real calendar date"
        );
        assert_eq!(tidy("no quotes \u{7} here", false), "no quotes \\u0007 here");
    }
}
