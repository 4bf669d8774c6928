//! Finding a child's name in free text (a note, a narrative) before it leaves the team: returns
//! and packs are read outside it, and a name in a comment is as much a leak as a name in a figure.

use std::collections::HashMap;

/// The words of a text, in lower case (letters, digits, hyphens and apostrophes).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        // "Amy's" is Amy's name too.
        .map(|w| w.trim_end_matches("'s").trim_end_matches("’s").trim_matches(|c| c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The neighbouring words of some texts: a full name written in one of them ("Amy Smith", or
/// "Smith, Amy") shows as a pair of its words.
pub struct WordPairs(HashMap<(String, String), Vec<usize>>);

impl WordPairs {
    pub fn of(texts: &[&str]) -> WordPairs {
        let mut pairs: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, text) in texts.iter().enumerate() {
            let w = words(text);
            for pair in w.windows(2) {
                let seen = pairs.entry((pair[0].clone(), pair[1].clone())).or_default();
                if seen.last() != Some(&i) {
                    seen.push(i);
                }
            }
        }
        WordPairs(pairs)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The texts (by position) that name this person: the last word of the first name next to
    /// the first word of the surname, either way round.
    pub fn naming(&self, first_name: &str, last_name: &str) -> Vec<usize> {
        let (first, last) = (words(first_name), words(last_name));
        let (Some(a), Some(b)) = (first.last(), last.first()) else { return Vec::new() };
        let mut out = Vec::new();
        for key in [(a.clone(), b.clone()), (b.clone(), a.clone())] {
            out.extend(self.0.get(&key).into_iter().flatten().copied());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_name_is_found_either_way_round_and_in_any_case() {
        let texts = ["Amy Smith joined in May.", "We met SMITH, AMY's school.", "Amy and the Smiths.", ""];
        let pairs = WordPairs::of(&texts);
        assert_eq!(pairs.naming("Amy", "Smith"), [0, 1]);
        assert_eq!(pairs.naming("Mary Ann", "Smith"), Vec::<usize>::new());
        assert_eq!(WordPairs::of(&["Mary Ann Smith-Jones"]).naming("Mary Ann", "Smith-Jones"), [0]);
        assert!(WordPairs::of(&[""]).is_empty());
    }
}
