//! The records-file line parser on arbitrary bytes: it must never panic, and whatever it accepts
//! must be a record whose own rules hold.
#![no_main]

use caseload::import::line::{Parsed, kind_and_key, parse_line};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Parsed::Record(record) = parse_line(text) {
        assert!(caseload::domain::rules::violations(&record).is_empty());
        // What is accepted serializes back to a line that parses to the same record.
        let again = serde_json::to_string(&record).unwrap();
        match parse_line(&again) {
            Parsed::Record(back) => assert_eq!(back, record),
            other => panic!("{again} did not parse back: {other:?}"),
        }
    }
    let _ = kind_and_key(text);
});
