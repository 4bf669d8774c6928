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
    Clock::from_env().now_rfc3339()
}

/// Today's date (local), or the date of `CASELOAD_NOW` when set.
pub fn today() -> Date {
    Clock::from_env().today()
}

/// The one clock the program reads "now" and "today" from: the system's (or `CASELOAD_NOW`'s,
/// fixed), or one a test sets and moves. The store writes the audit log's times from it (SQLite's
/// own `now` is never used), and the application asks it on every tick, so a window left open past
/// midnight works on the new day.
#[derive(Clone, Debug, Default)]
pub struct Clock(Source);

#[derive(Clone, Debug, Default)]
enum Source {
    #[default]
    System,
    Fixed(chrono::DateTime<chrono::FixedOffset>),
    Moved(std::sync::Arc<std::sync::Mutex<chrono::DateTime<chrono::FixedOffset>>>),
}

impl Clock {
    /// The system's clock, or `CASELOAD_NOW` when it is set (and well formed: the command line
    /// refuses a malformed one before anything else).
    pub fn from_env() -> Clock {
        match fixed_now() {
            Ok(Some(now)) => parse_moment(&now).map_or_else(Clock::default, |t| Clock(Source::Fixed(t))),
            _ => Clock::default(),
        }
    }

    /// A clock that stands at `at` until [`Clock::set`] moves it (for tests).
    pub fn settable(at: &str) -> Clock {
        let t = parse_moment(at).expect("an RFC 3339 moment or a date");
        Clock(Source::Moved(std::sync::Arc::new(std::sync::Mutex::new(t))))
    }

    /// Moves a [`Clock::settable`] clock (and every copy of it) to `at`; other clocks ignore it.
    pub fn set(&self, at: &str) {
        if let (Source::Moved(t), Some(at)) = (&self.0, parse_moment(at)) {
            *t.lock().unwrap_or_else(|e| e.into_inner()) = at;
        }
    }

    fn moment(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        match &self.0 {
            Source::System => None,
            Source::Fixed(t) => Some(*t),
            Source::Moved(t) => Some(*t.lock().unwrap_or_else(|e| e.into_inner())),
        }
    }

    /// Now, in UTC, to the millisecond (the audit log's times).
    pub fn now_millis(&self) -> String {
        let now = self.moment().map_or_else(chrono::Utc::now, |t| t.with_timezone(&chrono::Utc));
        now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    }

    /// Now, in RFC 3339 (UTC, whole seconds): a return's `generated_at`.
    pub fn now_rfc3339(&self) -> String {
        let now = self.moment().map_or_else(chrono::Utc::now, |t| t.with_timezone(&chrono::Utc));
        now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// Today: the local date (a fixed or set moment's own date).
    pub fn today(&self) -> Date {
        match self.moment() {
            Some(t) => t.date_naive().into(),
            None => chrono::Local::now().date_naive().into(),
        }
    }
}

/// An RFC 3339 moment, or a date (its midnight, UTC).
fn parse_moment(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let text = text.trim();
    chrono::DateTime::parse_from_rfc3339(text).ok().or_else(|| {
        let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        Some(day.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_moves_every_copy_and_its_day_turns_at_midnight() {
        let clock = Clock::settable("2026-12-01T23:59:59Z");
        let copy = clock.clone();
        assert_eq!(copy.today().to_string(), "2026-12-01");
        assert_eq!(copy.now_millis(), "2026-12-01T23:59:59.000Z");
        clock.set("2026-12-02T00:00:01Z");
        assert_eq!(copy.today().to_string(), "2026-12-02");
        assert_eq!(Clock::settable("2026-11-30").now_rfc3339(), "2026-11-30T00:00:00Z");
    }
}
