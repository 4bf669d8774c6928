//! Reading JSON strictly: a key given twice in one object is refused wherever the program reads
//! JSON (records files, county returns, preferences). serde_json keeps the last of duplicate keys
//! without a word (and has no option to refuse them), so a hand-edited `"value": 8, "value": 800` would silently count as 800.

use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;

/// Why a text is not strict JSON.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    /// The path (`a.b` when nested, `a[2].b` in a list) of the first key given twice in one object.
    #[error("\"{0}\" is given twice: which value was meant? Give it once")]
    KeyTwice(String),
    #[error(transparent)]
    Invalid(#[from] serde_json::Error),
}

/// Parses JSON text, refusing a key given twice in any object of it.
pub fn from_slice<T: DeserializeOwned>(text: &[u8]) -> Result<T, JsonError> {
    if let Some(path) = key_given_twice(text) {
        return Err(JsonError::KeyTwice(path));
    }
    Ok(serde_json::from_slice(text)?)
}

/// The first key given twice in one object of the text (its path, as in [`JsonError::KeyTwice`]), if any. A text
/// that is not JSON has none (its parse reports the error).
pub fn key_given_twice(text: &[u8]) -> Option<String> {
    let mut d = serde_json::Deserializer::from_slice(text);
    match Walk("").deserialize(&mut d) {
        Err(e) => e.to_string().split_once(TWICE).map(|(_, rest)| strip_position(rest).to_string()),
        Ok(()) => None,
    }
}

/// Marks the walk's own error among serde_json's.
const TWICE: &str = "given twice: ";

/// serde_json's message without its " at line 1 column 7".
pub fn strip_position(s: &str) -> &str {
    s.rsplit_once(" at line ").map_or(s, |(m, _)| m)
}

/// Walks a JSON value without building it; fails with the dotted path of a key found twice in
/// one object.
struct Walk<'p>(&'p str);

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: Vec<Cow<'de, str>> = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let path = if self.0.is_empty() { key.to_string() } else { format!("{}.{key}", self.0) };
            if keys.contains(&key) {
                return Err(serde::de::Error::custom(TWICE.to_string() + &path));
            }
            map.next_value_seed(Walk(&path))?;
            keys.push(key);
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Items are numbered from 1, as people count them.
        for n in 1.. {
            if seq.next_element_seed(Walk(&format!("{}[{n}]", self.0)))?.is_none() {
                break;
            }
        }
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn a_key_given_twice_is_named_at_any_depth() {
        assert_eq!(key_given_twice(br#"{"a":1,"a":2}"#).as_deref(), Some("a"));
        assert_eq!(key_given_twice(br#"{"m":[{"v":1},{"v":8,"v":800}]}"#).as_deref(), Some("m[2].v"));
        assert_eq!(key_given_twice(br#"{"a":{"b":1},"c":{"b":2}}"#), None);
        assert_eq!(key_given_twice(b"not json"), None);
        assert!(matches!(from_slice::<Value>(br#"{"x":1,"x":1}"#), Err(JsonError::KeyTwice(k)) if k == "x"));
        assert!(matches!(from_slice::<Value>(b"{"), Err(JsonError::Invalid(_))));
        assert_eq!(from_slice::<Value>(br#"{"x":[1,2]}"#).unwrap()["x"][1], 2);
    }
}
