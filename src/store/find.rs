//! Finding anyone: children (with or without a case), cases, settings and staff, by part of a
//! name, a UPN or a key; and a child's page (every referral and case of one child).

use super::{Reader, Result};
use crate::domain::{Area, Date, Need, Phase, PhaseGroup, ReferralOutcome};
use rusqlite::{OptionalExtension, named_params};

/// What a search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundKind {
    Child,
    Case,
    Setting,
    Staff,
}

/// One result of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: FoundKind,
    pub key: String,
    /// A child's names (shown in full or by initials by the screen).
    pub first_name: String,
    pub last_name: String,
    pub dob: Option<Date>,
    /// A setting's or staff member's name; a case's child's name is in the names above.
    pub name: String,
    /// What else helps tell results apart: a setting, a number of cases, a phase.
    pub detail: String,
    pub case_id: Option<i64>,
}

/// A referral on a child's page.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildReferral {
    pub received: Date,
    pub phase: Phase,
    pub area: Area,
    pub need: Option<Need>,
    pub outcome: Option<ReferralOutcome>,
    pub setting: String,
    pub meeting: Option<(Date, PhaseGroup)>,
}

/// A case on a child's page.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildCase {
    pub id: i64,
    pub key: String,
    pub phase: Phase,
    pub area: Area,
    pub opened: Date,
    pub closed: Option<Date>,
    pub setting: String,
}

/// Everything about one child.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildPage {
    pub child: crate::domain::Child,
    pub setting_name: Option<String>,
    pub referrals: Vec<ChildReferral>,
    pub cases: Vec<ChildCase>,
}

/// `LIKE` patterns match `%` and `_` literally when escaped with `\`.
fn like(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
        .collect();
    format!("%{escaped}%")
}

impl Reader<'_> {
    /// Children (whether or not they have a case), cases, settings and staff matching `text`: part
    /// of a name (either order), a UPN, a URN or a key, with at most `limit` of each kind.
    /// A child's cases "open" are those open on `day` (the status words of `domain::status`).
    pub fn find(&self, text: &str, limit: usize, day: crate::domain::Date) -> Result<Vec<Found>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let pattern = like(text);
        let limit = limit as i64;
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(concat!(
            "SELECT c.key, c.first_name, c.last_name, c.dob, s.name,
                    (SELECT count(*) FROM cases k WHERE k.child_id = c.id),
                    (SELECT count(*) FROM cases k WHERE k.child_id = c.id AND ",
            open_on!(":d"),
            ")
             FROM children c LEFT JOIN settings s ON s.id = c.setting_id
             WHERE c.first_name || ' ' || c.last_name LIKE :p ESCAPE '\\'
                OR c.last_name || ' ' || c.first_name LIKE :p ESCAPE '\\'
                OR c.last_name || ', ' || c.first_name LIKE :p ESCAPE '\\'
                OR c.upn = :t COLLATE NOCASE OR c.key = :t COLLATE NOCASE
             ORDER BY c.last_name, c.first_name LIMIT :n"
        ))?;
        let params = named_params! { ":p": pattern, ":t": text, ":n": limit, ":d": day.to_string() };
        let rows = stmt.query_map(params, |r| {
            let (cases, open): (i64, i64) = (r.get(5)?, r.get(6)?);
            let at = r.get::<_, Option<String>>(4)?.map(|s| format!("{s} · ")).unwrap_or_default();
            let detail = match (cases, open) {
                (0, _) => format!("{at}no case"),
                (n, 0) => format!("{at}{n} case(s), closed"),
                (n, o) => format!("{at}{n} case(s), {o} open"),
            };
            Ok(Found {
                kind: FoundKind::Child,
                key: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                dob: r.get(3)?,
                name: String::new(),
                detail,
                case_id: None,
            })
        })?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        let mut stmt = self.conn.prepare_cached(
            "SELECT k.id, k.key, c.first_name, c.last_name, k.phase, k.opened, k.closed
             FROM cases k JOIN children c ON c.id = k.child_id
             WHERE k.key = :t COLLATE NOCASE OR k.key LIKE :p ESCAPE '\\' ORDER BY k.key LIMIT :n",
        )?;
        let rows = stmt.query_map(named_params! { ":p": pattern, ":t": text, ":n": limit }, |r| {
            let phase: Phase = r.get(4)?;
            let opened: Date = r.get(5)?;
            let closed: Option<Date> = r.get(6)?;
            Ok(Found {
                kind: FoundKind::Case,
                key: r.get(1)?,
                first_name: r.get(2)?,
                last_name: r.get(3)?,
                dob: None,
                name: String::new(),
                detail: match closed {
                    Some(c) => format!("{} · opened {}, closed {}", phase.label(), opened.uk(), c.uk()),
                    None => format!("{} · opened {}", phase.label(), opened.uk()),
                },
                case_id: Some(r.get(0)?),
            })
        })?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, name, phase, in_district FROM settings
             WHERE name LIKE :p ESCAPE '\\' OR urn = :t ORDER BY name LIMIT :n",
        )?;
        let rows = stmt.query_map(named_params! { ":p": pattern, ":t": text, ":n": limit }, |r| {
            let phase: Phase = r.get(2)?;
            let out_of: bool = !r.get::<_, bool>(3)?;
            Ok(Found {
                kind: FoundKind::Setting,
                key: r.get(0)?,
                first_name: String::new(),
                last_name: String::new(),
                dob: None,
                name: r.get(1)?,
                detail: format!("{} setting{}", phase.label(), if out_of { ", out of district" } else { "" }),
                case_id: None,
            })
        })?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, name, role FROM staff WHERE name LIKE :p ESCAPE '\\' ORDER BY name LIMIT :n",
        )?;
        let rows = stmt.query_map(named_params! { ":p": pattern, ":n": limit }, |r| {
            let role: crate::domain::Role = r.get(2)?;
            Ok(Found {
                kind: FoundKind::Staff,
                key: r.get(0)?,
                first_name: String::new(),
                last_name: String::new(),
                dob: None,
                name: r.get(1)?,
                detail: role.label().to_string(),
                case_id: None,
            })
        })?;
        out.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        Ok(out)
    }

    /// A child's page: the child, every referral (with its meeting) and every case, oldest first.
    pub fn child_page(&self, key: &str) -> Result<Option<ChildPage>> {
        let Some(child) = self
            .conn
            .prepare_cached(&format!("{} WHERE c.key = ?1", super::children::SELECT))?
            .query_row([key], super::children::from_row)
            .optional()?
        else {
            return Ok(None);
        };
        let setting_name = match &child.setting {
            Some(s) => self
                .conn
                .query_row("SELECT name FROM settings WHERE key = ?1", [s], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.received, r.phase, r.area, r.need, r.outcome, s.name, m.date, m.kind
             FROM referrals r JOIN children c ON c.id = r.child_id JOIN settings s ON s.id = r.setting_id
             LEFT JOIN lift_meetings m ON m.id = r.lift_meeting_id
             WHERE c.key = ?1 ORDER BY r.received, r.id",
        )?;
        let referrals = stmt
            .query_map([key], |r| {
                let meeting = match (r.get::<_, Option<Date>>(6)?, r.get::<_, Option<PhaseGroup>>(7)?) {
                    (Some(d), Some(k)) => Some((d, k)),
                    _ => None,
                };
                Ok(ChildReferral {
                    received: r.get(0)?,
                    phase: r.get(1)?,
                    area: r.get(2)?,
                    need: r.get(3)?,
                    outcome: r.get(4)?,
                    setting: r.get(5)?,
                    meeting,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT k.id, k.key, k.phase, k.area, k.opened, k.closed, s.name
             FROM cases k JOIN children c ON c.id = k.child_id JOIN settings s ON s.id = k.setting_id
             WHERE c.key = ?1 ORDER BY k.opened, k.id",
        )?;
        let cases = stmt
            .query_map([key], |r| {
                Ok(ChildCase {
                    id: r.get(0)?,
                    key: r.get(1)?,
                    phase: r.get(2)?,
                    area: r.get(3)?,
                    opened: r.get(4)?,
                    closed: r.get(5)?,
                    setting: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(ChildPage { child, setting_name, referrals, cases }))
    }
}
