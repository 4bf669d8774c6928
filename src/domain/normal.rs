//! The one way names are compared (docs/returns.md, "A name is never sent"): however a
//! name is spelled (curly or straight apostrophe, accents or none, look-alike letters from other
//! alphabets, full-width letters, invisible characters typed or pasted in), it compares equal to
//! the name on the register. The check that keeps children's names out of returns and the rule
//! that says two children are the same child both use it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Characters that show as nothing: zero-width spaces and joiners, the soft hyphen, word
/// joiners, direction marks and overrides, variation selectors, byte order marks (Unicode's
/// default-ignorable code points). Typed inside a name, they would split or hide it.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Apostrophes as people type them (curly, modifier letters, primes, accents, full-width).
fn apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '‛' | 'ʼ' | 'ʻ' | 'ʽ' | 'ˈ' | '′' | '`' | '´' | '＇' | 'ꞌ')
}

/// Hyphens and dashes (hyphen, non-breaking hyphen, figure and en/em dashes, minus signs).
fn hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' | '－' | '⁃' | '﹘' | '⸺' | '⸻')
}

/// Letters that carry an accent without being written as letter + accent in Unicode, and the
/// letters case folding spells out: "Søren" is "Soren", "Straße" is "Strasse".
fn spelled_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'ı' => "i",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ς' => "σ",
        _ => return None,
    })
}

/// A text made plain, in its own case: invisible characters dropped, apostrophes written `'`
/// and hyphens `-` (before NFKC, which would turn an acute accent used as an apostrophe into a
/// space), NFKC (full-width and other compatibility forms), and accents removed (decomposed,
/// combining marks dropped).
fn plain(text: &str) -> String {
    let unified: String = text
        .chars()
        .filter(|c| !invisible(*c))
        .map(|c| {
            if apostrophe(c) {
                '\''
            } else if hyphen(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    unified.nfkc().collect::<String>().nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Lower case, with the letters case folding or accent removal spell out.
fn lower(text: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    for c in text.flat_map(char::to_lowercase) {
        match spelled_out(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
    }
    out
}

/// A text folded for comparison: made plain (see [`words`]) and in lower case. Digits and
/// punctuation stay, so dates and UPNs can be read from the result.
pub fn fold(text: &str) -> String {
    lower(plain(text).chars())
}

/// The words of a text as names are compared: invisible characters dropped, apostrophes and
/// hyphens unified, NFKC, accents removed; cut at anything but a letter, a digit or an
/// apostrophe (so a hyphenated surname is its parts in order); a possessive "'s" and the
/// apostrophes dropped ("O'Brien" is "obrien"); in lower case, each letter of another alphabet
/// that looks like a Latin letter written as that letter ([`latin`]).
pub fn words(text: &str) -> Vec<String> {
    plain(text)
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.strip_suffix("'s").or_else(|| w.strip_suffix("'S")).unwrap_or(w))
        .filter_map(|w| {
            let mut word = String::with_capacity(w.len());
            for c in w.chars().filter(|c| *c != '\'') {
                latin(c, &mut word);
            }
            (!word.is_empty()).then_some(word)
        })
        .collect()
}

/// One letter in lower case, as the Latin letter it looks like when it has the look of one
/// (Unicode's confusables skeleton, UTS #39: Cyrillic "А" and Greek "Α" are "a"). The skeleton is
/// taken in the letter's own case, since look-alikes differ by case (Greek "Μ" looks like "M",
/// its "μ" like no Latin letter); Latin letters stay as they are, as the skeleton would make
/// "m" of "rn" and "l" of "I".
fn latin(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let lowered = lower(std::iter::once(c));
    if lowered.is_ascii() {
        out.push_str(&lowered);
        return;
    }
    let skeleton: String =
        unicode_security::skeleton(&c.to_string()).filter(|c| !is_combining_mark(*c)).collect();
    // The skeleton writes "I" as "l" and "m" as "rn": a capital that looks like "I" is an "i".
    let skeleton = match skeleton.as_str() {
        "l" if c.is_uppercase() => "i",
        "rn" => "m",
        other => other,
    };
    if !skeleton.is_empty() && skeleton.chars().all(|c| c.is_ascii_alphanumeric()) {
        out.push_str(&skeleton.to_ascii_lowercase());
    } else {
        out.push_str(&lowered);
    }
}

/// A name as one comparable string: its [`words`] joined by spaces. Two children are the same
/// child when their first names' keys, surnames' keys and dates of birth are equal.
pub fn name_key(name: &str) -> String {
    words(name).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(name_key(a), name_key(b), "{a:?} and {b:?} should compare equal");
    }

    #[test]
    fn every_spelling_of_a_name_compares_equal() {
        same("Sean O’Brien", "Sean O'Brien");
        same("Sean O‘Brien", "sean obrien");
        same("Sean Oʼbrien", "Sean O´Brien");
        same("Zoe\u{0308} Smith", "Zoë Smith");
        same("Zoë Smith", "zoe smith");
        // An accent on a letter that has no accented form of its own is dropped too.
        same("Am\u{0308}y Smith", "Amy Smith");
        same("Har\u{200b}ry Clarke", "Harry Clarke");
        same("Har\u{00ad}ry Cl\u{2060}ar\u{feff}ke", "Harry Clarke");
        same("Ha\u{200d}rry\u{200e} Cla\u{202e}rke", "harry clarke");
        same("Jose Nunez", "José Núñez");
        same("\u{0410}my", "Amy");
        same("Аmу Ѕmіth", "Amy Smith");
        same("Ａｍｙ Ｓｍｉｔｈ", "Amy Smith");
        same("Smith–Jones", "Smith-Jones");
        same("Smith—Jones", "smith jones");
        same("Søren Straße", "Soren Strasse");
        same("ΑΜΥ", "amy");
        same("\u{0406}sla", "Isla");
        same("SMITH", "Smith");
    }

    #[test]
    fn different_names_stay_different() {
        assert_ne!(name_key("Amy"), name_key("Amie"));
        assert_ne!(name_key("Mary Ann"), name_key("Mary"));
        assert_ne!(name_key("Smith"), name_key("Smyth"));
        assert_eq!(words("Amy's school, and O'Brien's."), words("amy school and obrien"));
        assert_eq!(words("Amy's school, and O'Brien's.").len(), 4);
        // Latin letters stay themselves, though "rn" looks like "m".
        assert_ne!(name_key("Amy"), name_key("Arny"));
        assert_ne!(name_key("Ian"), name_key("lan"));
        assert!(words("  — ’ ").is_empty());
    }

    #[test]
    fn fold_keeps_digits_and_separators_for_dates() {
        assert_eq!(fold("１４／０３／２０１６"), "14/03/2016");
        assert_eq!(fold("2016\u{2013}03\u{2011}14"), "2016-03-14");
        assert_eq!(fold("A12\u{200b}3"), "a123");
    }
}
