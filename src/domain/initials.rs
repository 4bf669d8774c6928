//! Children by initials only (the application's `i`, and documents made `--initials`): the name
//! shown as initials, and the child's own names in free text (a note, a target) written so too.

use super::normal::words;

/// A child's name as shown: in full, or initials only.
pub fn child_name(first: &str, last: &str, initials: bool) -> String {
    if initials {
        let i = |s: &str| s.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
        format!("{}.{}.", i(first), i(last))
    } else {
        format!("{first} {last}")
    }
}

/// `text` with every word that is one of the child's names (given or surname, compared as names
/// are: any case, accents and apostrophes aside) written as its initial: "Ava read to Mr Smith's
/// class" for Ava Smith is "A. read to Mr S.'s class". A name of one letter is left: it is
/// already an initial.
pub fn names_as_initials(text: &str, first: &str, last: &str) -> String {
    let names: Vec<String> =
        words(first).into_iter().chain(words(last)).filter(|w| w.chars().count() > 1).collect();
    if names.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        // A possessive stays after the initial ("S.'s").
        let (stem, tail) = match word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")) {
            Some(stem) => (stem.to_string(), &word[stem.len()..]),
            None => (word.clone(), ""),
        };
        let is_name = !stem.is_empty() && words(&stem).iter().all(|w| names.contains(w));
        match stem.chars().next() {
            Some(c) if is_name => {
                out.extend(c.to_uppercase());
                out.push('.');
                out.push_str(tail);
            }
            _ => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || ((c == '\'' || c == '’') && !word.is_empty()) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_childs_names_in_text_become_initials_and_nothing_else_does() {
        assert_eq!(child_name("ava", "Smith", true), "A.S.");
        assert_eq!(child_name("Ava", "Smith", false), "Ava Smith");
        assert_eq!(
            names_as_initials("Ava read to Mr SMITH's class; Avalon did not.", "Ava", "Smith"),
            "A. read to Mr S.'s class; Avalon did not."
        );
        // A hyphenated surname is its parts; an accent or an apostrophe does not hide a name.
        assert_eq!(names_as_initials("Zoë O'Brien-Kay and Kay", "Zoe", "O'Brien-Kay"), "Z. O.-K. and K.");
        assert_eq!(names_as_initials("A plan for A", "A", "B"), "A plan for A");
    }
}
