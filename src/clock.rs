//! The clock, read only at the edges (the command line and the terminal application).
//! `CASELOAD_NOW` (RFC 3339) fixes "now", so output can be reproduced exactly.

use crate::domain::Date;

/// The variable that fixes "now".
pub const NOW_VAR: &str = "CASELOAD_NOW";

/// `CASELOAD_NOW` when set (blank counts as unset): an RFC 3339 moment or a date, as given;
/// otherwise why it cannot be used (the command line refuses it before doing anything).
pub fn fixed_now() -> Result<Option<String>, String> {
    let now = match std::env::var(NOW_VAR) {
        Err(std::env::VarError::NotPresent) => return Ok(None),
        Err(std::env::VarError::NotUnicode(raw)) => raw.to_string_lossy().into_owned(),
        Ok(now) if now.trim().is_empty() => return Ok(None),
        Ok(now) => now.trim().to_string(),
    };
    if chrono::DateTime::parse_from_rfc3339(&now).is_ok() || Date::parse_iso(&now).is_ok() {
        return Ok(Some(now));
    }
    Err(format!(
        "{NOW_VAR} is set to \"{}\", which is neither a moment like 2026-11-30T10:00:00Z (RFC 3339) \
         nor a date like 2026-11-30: set it so, or unset it",
        crate::domain::text::shown(&now)
    ))
}

/// The current moment in RFC 3339 (UTC), or `CASELOAD_NOW` when set.
pub fn now_rfc3339() -> String {
    match fixed_now() {
        Ok(Some(now)) => now,
        _ => chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

/// Today's date (local), or the date of `CASELOAD_NOW` when set.
pub fn today() -> Date {
    if let Ok(Some(now)) = fixed_now()
        && let Some(day) = now.get(..10).and_then(|d| Date::parse_iso(d).ok())
    {
        return day;
    }
    chrono::Local::now().date_naive().into()
}
