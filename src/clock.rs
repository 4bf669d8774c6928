//! The clock, read only at the edges (the command line and the terminal application).
//! `CASELOAD_NOW` (RFC 3339) fixes "now", so output can be reproduced exactly.

use crate::domain::Date;

/// The current moment in RFC 3339 (UTC), or `CASELOAD_NOW` when set.
pub fn now_rfc3339() -> String {
    match std::env::var("CASELOAD_NOW") {
        Ok(now) if !now.trim().is_empty() => now.trim().to_string(),
        _ => chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

/// Today's date (local), or the date of `CASELOAD_NOW` when set.
pub fn today() -> Date {
    if let Ok(now) = std::env::var("CASELOAD_NOW")
        && let Some(day) = now.trim().get(..10).and_then(|d| Date::parse_iso(d).ok())
    {
        return day;
    }
    chrono::Local::now().date_naive().into()
}
