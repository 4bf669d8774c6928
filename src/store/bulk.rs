//! Bulk writes (an import, the demonstration district) with the same audit log, faster.
//!
//! A table with a trigger makes SQLite keep an undo copy of every row a statement writes, and
//! the audit triggers then write one row at a time; together they halve the speed of a large
//! import. For a bulk batch the per-row INSERT audit triggers of the record tables are dropped
//! inside the write transaction, and before it commits the audit rows of every record the batch
//! added are written set-wise, by the trigger's own INSERT turned into an INSERT ... SELECT, and
//! the triggers are created again from their stored SQL. Other connections never see the
//! triggers missing: the change is one transaction (a crash rolls it all back), and updates and
//! deletes keep their triggers throughout.

use super::keys::table;
use super::{Batch, Result, Writer};
use crate::domain::RecordKind;
use rusqlite::OptionalExtension;

/// A trigger suspended for a bulk batch: its table's record type, name, and CREATE statement.
#[derive(Debug, Clone)]
pub(super) struct Suspended {
    kind: RecordKind,
    name: String,
    create: String,
    /// The trigger's INSERT into the audit log as a set-wise INSERT ... SELECT over the new rows.
    set_wise: String,
}

/// Turns `... BEGIN INSERT INTO audit (cols) VALUES (exprs of NEW.x); END` into
/// `INSERT INTO audit (cols) SELECT exprs of n.x FROM table AS n WHERE n.id > ?1 AND n.id <= ?2`.
fn set_wise(create: &str, table: &str) -> Option<String> {
    let body = create.split_once("BEGIN")?.1.rsplit_once("END")?.0.trim().strip_suffix(';')?;
    let (head, values) = body.split_once("VALUES")?;
    let values = values.trim().strip_prefix('(')?.strip_suffix(')')?;
    // One statement only, and no other row than NEW: otherwise the trigger stays as it is.
    if body.matches(';').count() > 0
        || values.contains("OLD.")
        || !head.trim_start().starts_with("INSERT INTO audit")
    {
        return None;
    }
    Some(format!(
        "{} SELECT {} FROM {table} AS n WHERE n.id > ?1 AND n.id <= ?2 ORDER BY n.id",
        head.trim(),
        values.replace("NEW.", "n.")
    ))
}

impl Writer<'_> {
    /// A batch for many records (see the module comment). Call [`Writer::finish_bulk`] before
    /// checking the batch's rules and committing.
    pub fn bulk_batch(&self, update: bool) -> Result<Batch> {
        let mut batch = self.batch(update)?;
        for kind in RecordKind::ALL {
            // Meetings, clinics and courses keep their trigger: their links to settings are
            // logged by triggers as they are written, after the record's own entry, so a
            // record's history stays in time order. They are few in any district.
            if matches!(kind, RecordKind::LiftMeeting | RecordKind::Clinic | RecordKind::Training) {
                continue;
            }
            let name = format!("{}_audit_insert", table(*kind));
            let create: Option<String> = self
                .tx
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(create) = create else { continue };
            let Some(set_wise) = set_wise(&create, table(*kind)) else { continue };
            self.tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
            batch.suspended.push(Suspended { kind: *kind, name, create, set_wise });
        }
        Ok(batch)
    }

    /// Writes the audit entries of the records the batch added and restores the triggers.
    pub fn finish_bulk(&self, batch: &mut Batch) -> Result<()> {
        // In slices of rows: SQLite keeps each statement's undo copy in memory until the statement
        // ends, so one statement for a million rows would outgrow the memory bar.
        const SLICE: i64 = 10_000;
        for s in std::mem::take(&mut batch.suspended) {
            let last = self.reader().max_id(s.kind)?;
            let mut from = batch.before[s.kind as usize];
            let mut statement = self.tx.prepare_cached(&s.set_wise)?;
            while from < last {
                let to = (from + SLICE).min(last);
                statement.execute([from, to])?;
                from = to;
            }
            drop(statement);
            self.tx.execute_batch(&s.create)?;
            debug_assert!(!s.name.is_empty());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insert_trigger_becomes_a_set_wise_insert() {
        let create = "CREATE TRIGGER settings_audit_insert AFTER INSERT ON settings
BEGIN
    INSERT INTO audit (at, os_user, table_name, record_key, op, new)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), caseload_user(), 'settings', NEW.key, 'insert',
            json_object('key', NEW.key, 'name', NEW.name));
END";
        let sql = set_wise(create, "settings").unwrap();
        assert!(
            sql.starts_with(
                "INSERT INTO audit (at, os_user, table_name, record_key, op, new) SELECT strftime("
            ),
            "{sql}"
        );
        assert!(sql.contains("json_object('key', n.key, 'name', n.name)"), "{sql}");
        assert!(sql.ends_with("FROM settings AS n WHERE n.id > ?1 AND n.id <= ?2 ORDER BY n.id"), "{sql}");
        assert!(set_wise("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END", "t").is_none());
    }
}
