//! Finding what identifies a child in free text (a note, a narrative, a manual figure's text)
//! before it leaves the team: returns and packs are read outside it, and a name in a comment is as
//! much a leak as a name in a figure. Names are compared as [`super::normal`] spells them, so
//! "Sean O’Brien", "SEAN OBRIEN" and "Sеan O'Brien" (with a Cyrillic "е") are all Sean O'Brien.

use super::date::Date;
use super::normal::{fold, words};
use std::collections::HashMap;

/// What a text was found to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Private {
    Name,
    Upn,
    DateOfBirth,
}

impl Private {
    /// The rule the text breaks, in words; never the value found.
    pub fn rule(self) -> &'static str {
        match self {
            Private::Name => {
                "names a child on the register (a first name beside the surname, however it is spelled)"
            }
            Private::Upn => "holds a unique pupil number (UPN)",
            Private::DateOfBirth => "holds the date of birth of a child on the register",
        }
    }
}

/// Some texts, read once, to be checked against each child of the register in turn.
pub struct TextCheck {
    /// The words of each text, as names are compared.
    words: Vec<Vec<String>>,
    /// Where each word stands: (text, position).
    at: HashMap<String, Vec<(usize, usize)>>,
    /// Each run of letters and digits of the texts, in lower case (for UPNs).
    tokens: HashMap<String, Vec<usize>>,
    /// The dates written in the texts.
    dates: HashMap<Date, Vec<usize>>,
    found: Vec<(usize, Private)>,
}

impl TextCheck {
    pub fn of(texts: &[&str]) -> TextCheck {
        let mut check = TextCheck {
            words: Vec::with_capacity(texts.len()),
            at: HashMap::new(),
            tokens: HashMap::new(),
            dates: HashMap::new(),
            found: Vec::new(),
        };
        for (i, text) in texts.iter().enumerate() {
            let w = words(text);
            for (p, word) in w.iter().enumerate() {
                check.at.entry(word.clone()).or_default().push((i, p));
            }
            check.words.push(w);
            let folded = fold(text);
            for token in folded.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()) {
                if upn_shaped(token) {
                    check.found.push((i, Private::Upn));
                }
                check.tokens.entry(token.to_string()).or_default().push(i);
            }
            for date in dates_in(&folded) {
                check.dates.entry(date).or_default().push(i);
            }
        }
        check
    }

    /// No text holds anything to compare.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Compares the texts with one child of the register: each of the child's given names beside
    /// the whole surname, either way round ("Mary Smith-Jones", "Smith-Jones, Ann" for Mary Ann
    /// Smith-Jones); the child's UPN; the child's date of birth.
    pub fn child(&mut self, first_name: &str, last_name: &str, dob: Option<Date>, upn: Option<&str>) {
        // An initial alone is too common to be a name ("A Smith" may be anyone).
        let given: Vec<String> = words(first_name).into_iter().filter(|w| w.chars().count() > 1).collect();
        let surname = words(last_name);
        if let (false, Some(head)) = (given.is_empty(), surname.first()) {
            for &(t, p) in self.at.get(head).into_iter().flatten() {
                let w = &self.words[t];
                let end = p + surname.len();
                if w.get(p..end) != Some(surname.as_slice()) {
                    continue;
                }
                let before = p.checked_sub(1).and_then(|b| w.get(b));
                if before.into_iter().chain(w.get(end)).any(|n| given.contains(n)) {
                    self.found.push((t, Private::Name));
                }
            }
        }
        let upn: String = upn.map(fold).unwrap_or_default().chars().filter(|c| c.is_alphanumeric()).collect();
        // A UPN is 13 characters; a shorter one kept by hand may be a common word or number.
        if upn.chars().count() >= 8 {
            for &t in self.tokens.get(&upn).into_iter().flatten() {
                self.found.push((t, Private::Upn));
            }
        }
        for &t in dob.and_then(|d| self.dates.get(&d)).into_iter().flatten() {
            self.found.push((t, Private::DateOfBirth));
        }
    }

    /// What was found, by text (position), each kind once, in order.
    pub fn found(mut self) -> Vec<(usize, Private)> {
        self.found.sort_unstable();
        self.found.dedup();
        self.found
    }
}

/// A unique pupil number's form: 13 characters, a check letter, 11 digits, and a digit (or a
/// letter, for a temporary UPN).
fn upn_shaped(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() == 13
        && b[0].is_ascii_alphabetic()
        && b[1..12].iter().all(u8::is_ascii_digit)
        && b[12].is_ascii_alphanumeric()
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month by its name or its first three letters ("sept" too).
fn month(word: &str) -> Option<u32> {
    let n = MONTHS.iter().position(|m| *m == word || (word.len() >= 3 && m.starts_with(word)))?;
    u32::try_from(n + 1).ok()
}

/// A day of the month as written: `14`, `14th`, `1st`.
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let ok = matches!(suffix, "" | "st" | "nd" | "rd" | "th") && (1..=2).contains(&digits.len());
    ok.then(|| digits.parse().ok()).flatten()
}

fn year(word: &str) -> Option<i32> {
    match word.len() {
        4 => word.parse().ok(),
        2 => word.parse::<i32>().ok().map(|y| 2000 + y),
        _ => None,
    }
    .filter(|_| word.bytes().all(|c| c.is_ascii_digit()))
}

/// The dates written in a folded text: `2016-03-14`, `14/03/2016`, `14.3.16` (day first, as in
/// the UK), `14 March 2016`, `14th of Mar 2016`, `March 14, 2016`.
fn dates_in(folded: &str) -> Vec<Date> {
    let mut out = Vec::new();
    for token in folded.split(|c: char| !(c.is_ascii_digit() || matches!(c, '/' | '-' | '.'))) {
        let parts: Vec<&str> = token.trim_matches(['/', '-', '.']).split(['/', '-', '.']).collect();
        let [a, b, c] = parts[..] else { continue };
        let (y, m, d) = if a.len() == 4 { (year(a), b, c) } else { (year(c), b, a) };
        let number = |s: &str| (1..=2).contains(&s.len()).then(|| s.parse::<u32>().ok()).flatten();
        if let (Some(y), Some(m), Some(d)) = (y, number(m), number(d)) {
            out.extend(Date::from_ymd(y, m, d));
        }
    }
    let w: Vec<&str> =
        folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && *w != "of").collect();
    for t in w.windows(3) {
        let dmy = day(t[0]).zip(month(t[1]));
        let mdy = day(t[1]).zip(month(t[0]));
        if let (Some((d, m)), Some(y)) = (dmy.or(mdy), year(t[2]).filter(|_| t[2].len() == 4)) {
            out.extend(Date::from_ymd(y, m, d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    /// The kinds of private value found in each text, for one child.
    fn found(texts: &[&str], first: &str, last: &str) -> Vec<(usize, Private)> {
        let mut check = TextCheck::of(texts);
        check.child(first, last, Some(d("2016-03-14")), Some("K823200113004"));
        check.found()
    }

    fn names(text: &str, first: &str, last: &str) -> bool {
        found(&[text], first, last).contains(&(0, Private::Name))
    }

    #[test]
    fn a_name_is_found_however_it_is_spelled() {
        assert!(names("We met Sean O’Brien's school.", "Sean", "O'Brien"));
        assert!(names("Zoe\u{0308} Smith joined.", "Zoë", "Smith"));
        assert!(names("Har\u{200b}ry Clarke moved.", "Harry", "Clarke"));
        assert!(names("Har\u{00ad}ry Clarke moved.", "Harry", "Clarke"));
        assert!(names("Jose Nunez", "José", "Núñez"));
        assert!(names("\u{0410}my Smith", "Amy", "Smith"));
        assert!(names("Ａｍｙ Ｓｍｉｔｈ", "Amy", "Smith"));
        assert!(names("SMITH, AMY", "Amy", "Smith"));
    }

    #[test]
    fn each_given_name_is_checked_with_the_whole_surname() {
        assert!(names("Mary Smith-Jones", "Mary Ann", "Smith-Jones"));
        assert!(names("Ann Smith-Jones", "Mary Ann", "Smith-Jones"));
        assert!(names("Smith-Jones, Mary", "Mary Ann", "Smith-Jones"));
        assert!(names("Mary Smith–Jones", "Mary Ann", "Smith-Jones"));
        assert!(names("Mary Ann Smith Jones", "Mary Ann", "Smith-Jones"));
        assert!(names("Ann Smith", "Mary-Ann", "Smith"));
    }

    #[test]
    fn a_word_alone_or_a_part_of_a_surname_is_not_a_name() {
        assert!(!names("Amy and the Smiths", "Amy", "Smith"));
        assert!(!names("Amy joined; Smith left", "Amy", "Smith"));
        assert!(!names("Mary Smith", "Mary Ann", "Smith-Jones"));
        assert!(!names("Mary Jones", "Mary Ann", "Smith-Jones"));
        assert!(!names("A Smith", "A", "Smith"));
        assert!(!names("The May half term", "Summer", "May"));
        assert!(found(&["", "   "], "Amy", "Smith").is_empty());
    }

    #[test]
    fn upns_and_the_childrens_dates_of_birth_are_found() {
        let upn = |t: &str| found(&[t], "Amy", "Smith").contains(&(0, Private::Upn));
        assert!(upn("pupil K823200113004 moved"));
        assert!(upn("UPN: a12345678901b"));
        assert!(upn("k８２３２００１１３００４"));
        assert!(!upn("ref 123456789012"));
        assert!(!upn("K8232001130045"));
        let dob = |t: &str| found(&[t], "Amy", "Smith").contains(&(0, Private::DateOfBirth));
        for written in [
            "born 2016-03-14",
            "14/03/2016",
            "14.3.16",
            "14 March 2016",
            "14th of Mar 2016",
            "March 14, 2016",
        ] {
            assert!(dob(written), "{written}");
        }
        assert!(!dob("2016-03-15"));
        assert!(!dob("14 March 2017"));
        assert!(!dob("14 March"));
    }

    #[test]
    fn the_texts_found_are_given_by_position() {
        let texts = ["Amy Smith joined.", "nothing here", "and Amy Smith again, born 14/03/2016"];
        let f = found(&texts, "Amy", "Smith");
        assert_eq!(f, [(0, Private::Name), (2, Private::Name), (2, Private::DateOfBirth)]);
    }
}
