//! The schools register CSV reader (sniffing, encoding, CSV, row mapping) on arbitrary bytes.
#![no_main]

use caseload::import::register::{Selection, read_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let selection = Selection::new("Ashford", &["Swale".to_string()]).unwrap();
    let _ = read_bytes(data, &selection);
});
