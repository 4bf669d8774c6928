//! Who is past the district's retention schedule (docs/privacy.md).

use super::{Reader, Result};
use crate::domain::Date;
use crate::domain::retention::{Due, History, Retention};

/// A child whose records are past the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastRetention {
    pub key: String,
    /// "A. S.": enough for the team to know whom they are about to erase, no more.
    pub initials: String,
    pub due: Due,
}

fn initial(name: &str) -> String {
    name.trim().chars().next().map(|c| format!("{}.", c.to_uppercase())).unwrap_or_default()
}

impl Reader<'_> {
    /// The children (not erased) past `policy` on `today`, those longest past first.
    pub fn past_retention(&self, policy: &Retention, today: Date) -> Result<Vec<PastRetention>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.key, c.first_name, c.last_name, c.dob,
                    EXISTS (SELECT 1 FROM cases k WHERE k.child_id = c.id AND k.closed IS NULL),
                    max(coalesce((SELECT max(closed) FROM cases k WHERE k.child_id = c.id), ''),
                        coalesce((SELECT max(received) FROM referrals r WHERE r.child_id = c.id), ''))
             FROM children c
             WHERE NOT (c.key GLOB 'erased-*' AND c.first_name = ?1 AND c.last_name = ?2)
             ORDER BY c.id",
        )?;
        let mut rows = stmt.query([super::ERASED_FIRST, super::ERASED_LAST])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let last: String = row.get(5)?;
            let history =
                History { dob: row.get(3)?, open_case: row.get(4)?, last_contact: last.parse().ok() };
            if let Some(due) = policy.past(&history, today) {
                let (first, family): (String, String) = (row.get(1)?, row.get(2)?);
                out.push(PastRetention {
                    key: row.get(0)?,
                    initials: format!("{} {}", initial(&first), initial(&family)),
                    due,
                });
            }
        }
        out.sort_by(|a, b| a.due.date.cmp(&b.due.date).then_with(|| a.key.cmp(&b.key)));
        Ok(out)
    }
}
