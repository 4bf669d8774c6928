//! The audit log's triggers, generated from the record tables themselves (their columns and
//! foreign keys as SQLite describes them), so that every column of every record table is logged,
//! including columns a later migration adds: the triggers are made again after every migration.
//! `check` compares the triggers stored with these: a trigger dropped or altered by another
//! program is found.
//!
//! Each entry names the record by its key; a column that refers to another record is logged as
//! that record's key, under the name of its type (`case_id` as `"case": "K-104"`). The settings
//! linked to a meeting, clinic or course are logged under the key of the meeting, clinic or course,
//! and deleted (and so logged) before it.

use super::keys::table;
use super::settings::link_table;
use crate::domain::RecordKind;
use rusqlite::Connection;

/// The audit log's time of an entry: the program's clock (`audit::register_functions`).
pub(super) const NOW: &str = "caseload_now()";
const USER: &str = "caseload_user()";

/// A table's column as the log writes it: its name in the entry, and the SQL of its value for a
/// row (`ROW` stands for `NEW` or `OLD`).
pub(super) struct Logged {
    pub(super) column: String,
    pub(super) name: String,
    pub(super) value: String,
}

/// References logged under the role the other record plays, as the records file names the field,
/// rather than under its type: a setting's link teacher is a staff member, logged as
/// `"link_teacher"`.
const NAMED_BY_ROLE: &[&str] = &["link_teacher_id"];

/// The columns of a table, in order, without its integer `id`.
pub(super) fn logged_columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<Logged>> {
    let mut refs = std::collections::HashMap::new();
    let mut stmt =
        conn.prepare(&format!("SELECT \"from\", \"table\" FROM pragma_foreign_key_list('{table}')"))?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (column, target) = row?;
        refs.insert(column, target);
    }
    let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))?;
    let columns: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(columns
        .into_iter()
        .filter(|c| c != "id")
        .map(|column| match refs.get(&column) {
            Some(target) => Logged {
                name: if NAMED_BY_ROLE.contains(&column.as_str()) {
                    column.trim_end_matches("_id").to_string()
                } else {
                    kind_of(target)
                        .map_or_else(|| column.trim_end_matches("_id").to_string(), |k| k.code().into())
                },
                value: format!("(SELECT key FROM {target} WHERE id = ROW.{column})"),
                column,
            },
            None => Logged { name: column.clone(), value: format!("ROW.{column}"), column },
        })
        .collect())
}

/// A row as the log records it: `json_object(...)` of its columns, the row called `row`.
fn state_object(columns: &[Logged], row: &str) -> String {
    let pairs: Vec<String> = columns
        .iter()
        .map(|c| format!("'{}', {}", c.name, c.value.replace("ROW.", &format!("{row}."))))
        .collect();
    format!("json_object({})", pairs.join(", "))
}

/// The SQL of a record's state as its log entries hold it, for the row called `row`.
pub(super) fn logged_state(conn: &Connection, table: &str, row: &str) -> rusqlite::Result<String> {
    Ok(state_object(&logged_columns(conn, table)?, row))
}

fn kind_of(table_name: &str) -> Option<RecordKind> {
    RecordKind::ALL.iter().copied().find(|k| table(*k) == table_name)
}

/// Whether the table is there: one a later version adds is not while a test builds the
/// database an older version left.
pub(super) fn table_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1", [name], |r| {
        r.get(0)
    })
}

/// Every audit trigger the record tables need: (name, CREATE statement), in order.
pub(super) fn expected(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for kind in RecordKind::ALL {
        let records = table(*kind);
        if !table_exists(conn, records)? {
            continue;
        }
        out.extend(for_table(conn, records, "ROW.key".into())?);
        if let Some((links, by)) = link_table(*kind) {
            let key = format!("coalesce((SELECT key FROM {records} WHERE id = ROW.{by}), '#' || ROW.{by})");
            out.extend(for_table(conn, links, key)?);
            // The links go first when their parent is deleted, so each entry can name the parent.
            out.push((
                format!("{records}_audit_links"),
                format!(
                    "CREATE TRIGGER {records}_audit_links BEFORE DELETE ON {records}\nBEGIN\n    DELETE FROM {links} WHERE {by} = OLD.id;\nEND"
                ),
            ));
        }
    }
    Ok(out)
}

/// The insert, update and delete triggers of one table; `key` names the record (`ROW.` form).
fn for_table(conn: &Connection, table: &str, key: String) -> rusqlite::Result<Vec<(String, String)>> {
    let columns = logged_columns(conn, table)?;
    let object = |row: &str| state_object(&columns, row);
    let key_of = |row: &str| key.replace("ROW.", &format!("{row}."));
    let changed: Vec<String> = columns.iter().map(|c| format!("OLD.{0} IS NOT NEW.{0}", c.column)).collect();
    let head = |op: &str, cols: &str| {
        format!(
            "    INSERT INTO audit (at, os_user, table_name, record_key, op, {cols})\n    VALUES ({NOW}, {USER}, '{table}', "
        ) + &format!("{}, '{op}',\n", key_of(if op == "delete" { "OLD" } else { "NEW" }))
    };
    Ok(vec![
        (
            format!("{table}_audit_insert"),
            format!(
                "CREATE TRIGGER {table}_audit_insert AFTER INSERT ON {table}\nBEGIN\n{}            {});\nEND",
                head("insert", "new"),
                object("NEW")
            ),
        ),
        (
            format!("{table}_audit_update"),
            format!(
                "CREATE TRIGGER {table}_audit_update AFTER UPDATE ON {table}\nWHEN {}\nBEGIN\n{}            {},\n            {});\nEND",
                changed.join(" OR "),
                head("update", "old, new"),
                object("OLD"),
                object("NEW")
            ),
        ),
        (
            format!("{table}_audit_delete"),
            format!(
                "CREATE TRIGGER {table}_audit_delete AFTER DELETE ON {table}\nBEGIN\n{}            {});\nEND",
                head("delete", "old"),
                object("OLD")
            ),
        ),
    ])
}

/// The audit triggers stored (every trigger but the log's own guards): (name, CREATE statement).
pub(super) fn stored(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%\\_audit\\_%' ESCAPE '\\'
         ORDER BY name",
    )?;
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect()
}

/// Text compared without regard to spacing.
fn same_sql(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Makes the stored audit triggers exactly the expected ones (after a migration: a column added
/// is logged at once). Inside the caller's transaction.
pub(super) fn make(conn: &Connection) -> rusqlite::Result<()> {
    let expected = expected(conn)?;
    for (name, sql) in stored(conn)? {
        if !expected.iter().any(|(n, s)| *n == name && same_sql(s, &sql)) {
            conn.execute_batch(&format!("DROP TRIGGER {name}"))?;
        }
    }
    let now: Vec<String> = stored(conn)?.into_iter().map(|(n, _)| n).collect();
    for (name, sql) in expected {
        if !now.contains(&name) {
            conn.execute_batch(&sql)?;
        }
    }
    Ok(())
}

/// What is wrong with the stored triggers, in words: one missing or altered means changes go
/// unlogged (the database was edited by another program).
pub(super) fn problems(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let stored = stored(conn)?;
    let mut out = Vec::new();
    for (name, sql) in expected(conn)? {
        match stored.iter().find(|(n, _)| *n == name) {
            None => out.push(format!(
                "the audit trigger {name} is missing: changes are not being logged (the database was edited by \
                 another program)"
            )),
            Some((_, stored)) if !same_sql(stored, &sql) => out.push(format!(
                "the audit trigger {name} was altered: changes may not be logged (the database was edited by \
                 another program)"
            )),
            Some(_) => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> crate::store::Store {
        crate::store::Store::open_in_memory().unwrap()
    }

    #[test]
    fn the_generated_triggers_are_the_ones_shipped_in_migration_two() {
        // Migration 2 wrote them by hand; the generator says the same, so nothing changed for an
        // existing database but the source of truth.
        let s = store();
        assert!(problems(&s.conn).unwrap().is_empty(), "{:?}", problems(&s.conn).unwrap());
        assert_eq!(stored(&s.conn).unwrap().len(), expected(&s.conn).unwrap().len());
    }

    #[test]
    fn every_column_of_every_record_table_is_logged() {
        let s = store();
        let triggers = stored(&s.conn).unwrap();
        let mut tables: Vec<&str> = RecordKind::ALL.iter().map(|k| table(*k)).collect();
        tables.extend(RecordKind::ALL.iter().filter_map(|k| link_table(*k).map(|(t, _)| t)));
        for t in tables {
            let mut stmt = s.conn.prepare(&format!("SELECT name FROM pragma_table_info('{t}')")).unwrap();
            let columns: Vec<String> =
                stmt.query_map([], |r| r.get(0)).unwrap().map(|c| c.unwrap()).collect();
            for kind in ["insert", "update", "delete"] {
                let name = format!("{t}_audit_{kind}");
                let sql =
                    &triggers.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("{name} missing")).1;
                let row = if kind == "delete" { "OLD" } else { "NEW" };
                for c in columns.iter().filter(|c| *c != "id") {
                    assert!(sql.contains(&format!("{row}.{c}")), "{name} does not log {c}");
                }
            }
        }
    }

    #[test]
    fn a_column_added_later_is_logged_once_the_triggers_are_made_again() {
        let s = store();
        s.conn.execute_batch("ALTER TABLE children ADD COLUMN nickname TEXT").unwrap();
        assert!(!problems(&s.conn).unwrap().is_empty(), "the stored triggers no longer log every column");
        make(&s.conn).unwrap();
        assert!(problems(&s.conn).unwrap().is_empty());
        let sql = stored(&s.conn).unwrap().into_iter().find(|(n, _)| n == "children_audit_insert").unwrap().1;
        assert!(sql.contains("'nickname', NEW.nickname"), "{sql}");
    }

    #[test]
    fn a_dropped_or_altered_trigger_is_named() {
        let s = store();
        s.conn.execute_batch("DROP TRIGGER children_audit_update").unwrap();
        s.conn
            .execute_batch(
                "DROP TRIGGER cases_audit_delete;
                 CREATE TRIGGER cases_audit_delete AFTER DELETE ON cases BEGIN SELECT 1; END;",
            )
            .unwrap();
        let found = problems(&s.conn).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].contains("children_audit_update is missing")
                || found[1].contains("children_audit_update is missing")
        );
        assert!(found.iter().any(|p| p.contains("cases_audit_delete was altered")), "{found:?}");
    }
}
