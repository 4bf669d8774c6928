//! Bulk writes (an import, the demonstration district) with the same audit log, faster.
//!
//! A table with a trigger makes SQLite keep an undo copy of every row a statement writes, and
//! the audit triggers then write one row at a time; together they halve the speed of a large
//! import. For a bulk batch the per-row INSERT audit triggers of the record tables (and of the
//! link tables of meetings, clinics and courses) are dropped inside the write transaction, and
//! before it commits the audit rows of every row the batch added are written set-wise, by the
//! trigger's own INSERT turned into an INSERT ... SELECT, and the triggers are created again
//! from their stored SQL. Other connections never see the triggers missing: the change is one
//! transaction (a crash rolls it all back), and updates and deletes keep their triggers.

use super::keys::table;
use super::settings::link_table;
use super::{Batch, Result, Writer};
use crate::domain::RecordKind;
use rusqlite::{OptionalExtension, params};

/// A trigger suspended for a bulk batch: what it logs and its CREATE statement.
#[derive(Debug, Clone)]
pub(super) struct Suspended {
    /// The record type whose rows the trigger logs (for a link table: whose links).
    kind: RecordKind,
    links: bool,
    create: String,
    /// The trigger's INSERT into the audit log as a set-wise INSERT ... SELECT over the rows
    /// of records with ids in `(?1, ?2]`.
    set_wise: String,
}

/// The audit triggers' time of a change and its user.
use super::triggers::NOW;
const USER: &str = "caseload_user()";

/// Turns `... BEGIN INSERT INTO audit (cols) VALUES (exprs of NEW.x); END` into
/// `INSERT INTO audit (cols) SELECT exprs of n.x FROM table AS n WHERE n.id > ?1 AND n.id <= ?2`
/// (`id` being `by`, the column that holds the record's id).
fn set_wise(create: &str, table: &str, by: &str) -> Option<String> {
    let body = create.split_once("BEGIN")?.1.rsplit_once("END")?.0.trim().strip_suffix(';')?;
    let (head, values) = body.split_once("VALUES")?;
    let values = values.trim().strip_prefix('(')?.strip_suffix(')')?;
    // One statement only, and no other row than NEW: otherwise the trigger stays as it is.
    if body.matches(';').count() > 0
        || values.contains("OLD.")
        || !head.trim_start().starts_with("INSERT INTO audit")
        || !values.contains(NOW)
        || !values.contains(USER)
    {
        return None;
    }
    // The time and the user are the same for every row of a statement: worked out once.
    let values = values.replace(NOW, "?3").replace(USER, "?4").replace("NEW.", "n.");
    Some(format!(
        "{} SELECT {values} FROM {table} AS n WHERE n.{by} > ?1 AND n.{by} <= ?2 ORDER BY n.{by}",
        head.trim(),
    ))
}

impl Writer<'_> {
    /// A batch for many records (see the module comment). Call [`Writer::finish_bulk`] before
    /// checking the batch's rules and committing.
    pub fn bulk_batch(&self, update: bool) -> Result<Batch> {
        let mut batch = self.batch(update)?;
        // A record's own entry is replayed before its links', so its history keeps time order.
        let rows = RecordKind::ALL.iter().map(|k| (*k, false, table(*k), "id"));
        let links =
            RecordKind::ALL.iter().filter_map(|k| link_table(*k).map(|(links, by)| (*k, true, links, by)));
        for (kind, links, table, by) in rows.chain(links) {
            let name = format!("{table}_audit_insert");
            let create: Option<String> = self
                .tx
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                    [&name],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(create) = create else { continue };
            let Some(set_wise) = set_wise(&create, table, by) else { continue };
            self.tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
            batch.suspended.push(Suspended { kind, links, create, set_wise });
        }
        Ok(batch)
    }

    /// Writes the audit entries of the rows the batch added and restores the triggers.
    pub fn finish_bulk(&self, batch: &mut Batch) -> Result<()> {
        // In slices: SQLite keeps each statement's undo copy in memory until the statement ends,
        // so one statement for a million rows would outgrow the memory bar. A meeting has a few
        // dozen links at most.
        const SLICE: i64 = 10_000;
        const LINK_SLICE: i64 = 500;
        for s in std::mem::take(&mut batch.suspended) {
            let mut statement = self.tx.prepare_cached(&s.set_wise)?;
            let last = self.reader().max_id(s.kind)?;
            let slice = if s.links { LINK_SLICE } else { SLICE };
            let mut from = batch.before[s.kind as usize];
            let stamp = || -> Result<(String, String)> {
                let sql = format!("SELECT {NOW}, {USER}");
                Ok(self.tx.query_row(&sql, [], |r| Ok((r.get(0)?, r.get(1)?)))?)
            };
            while from < last {
                let to = (from + slice).min(last);
                let (at, user) = stamp()?;
                statement.execute(params![from, to, at, user])?;
                from = to;
            }
            if s.links {
                // A stored record the batch replaced had its links deleted (logged) and written
                // again: those are new too.
                let mut replaced: Vec<i64> = batch.updated_ids(s.kind).collect();
                replaced.sort_unstable();
                for id in replaced {
                    let (at, user) = stamp()?;
                    statement.execute(params![id - 1, id, at, user])?;
                }
            }
            drop(statement);
            self.tx.execute_batch(&s.create)?;
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
    VALUES (caseload_now(), caseload_user(), 'settings', NEW.key, 'insert',
            json_object('key', NEW.key, 'name', NEW.name));
END";
        let sql = set_wise(create, "settings", "id").unwrap();
        assert!(
            sql.starts_with(
                "INSERT INTO audit (at, os_user, table_name, record_key, op, new) SELECT ?3, ?4, 'settings'"
            ),
            "{sql}"
        );
        assert!(sql.contains("json_object('key', n.key, 'name', n.name)"), "{sql}");
        assert!(sql.ends_with("FROM settings AS n WHERE n.id > ?1 AND n.id <= ?2 ORDER BY n.id"), "{sql}");
        assert!(
            set_wise("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END", "t", "id").is_none()
        );
        let link = "CREATE TRIGGER clinic_settings_audit_insert AFTER INSERT ON clinic_settings
BEGIN
    INSERT INTO audit (at, os_user, new) VALUES (caseload_now(), caseload_user(),
        json_object('clinic', (SELECT key FROM clinics WHERE id = NEW.clinic_id)));
END";
        let sql = set_wise(link, "clinic_settings", "clinic_id").unwrap();
        assert!(sql.contains("WHERE id = n.clinic_id"), "{sql}");
        assert!(sql.ends_with("n.clinic_id > ?1 AND n.clinic_id <= ?2 ORDER BY n.clinic_id"), "{sql}");
    }

    #[test]
    fn a_bulk_batch_suspends_every_insert_trigger_and_restores_them() {
        let mut store = crate::store::Store::open_in_memory().unwrap();
        let count = |w: &Writer<'_>| -> i64 {
            w.tx.query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%audit_insert'",
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        let writer = store.write().unwrap();
        let all = count(&writer);
        // The twenty record tables and the three link tables.
        assert_eq!(all, 23);
        let mut batch = writer.bulk_batch(false).unwrap();
        assert_eq!(count(&writer), 0);
        writer.finish_bulk(&mut batch).unwrap();
        assert_eq!(count(&writer), all);
    }
}
