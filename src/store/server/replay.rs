//! What a write did to the replica, row by row, to be done again on the server: temporary
//! triggers (in the connection's `temp` schema, so never part of the database's own schema or its
//! audit triggers) note every row each table gains, loses or changes, with all its old and new
//! values, in the order SQLite made the changes (a cascade's rows before their parent's, links
//! before their record), which is an order the server's keys and references accept too.
//!
//! The tables are the schema's own (every table but the audit log and its seals, which the
//! server writes itself), so a table a later migration adds is followed without a list to edit.

use super::schema::Table;
use rusqlite::Connection;
use rusqlite::types::Value;

/// The log and its seals are written by the server's triggers, never sent.
pub(super) fn followed(t: &Table) -> bool {
    !["audit", "audit_seal"].contains(&t.name.as_str())
}

/// What happened to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Insert,
    Update,
    Delete,
}

/// One step to do again on the server: a row's change, or an erasure's redaction of the log.
#[derive(Debug)]
pub(super) enum Step {
    Row(Change),
    Erasure(Erasure),
}

/// An erasure's redaction, done on the server by `caseload_erasure` (server init makes it, for
/// admins only): the entries from before the write to redact, the server's own entries this write
/// made (redacted there by the transaction that wrote them), and the entries to add.
#[derive(Debug)]
pub(super) struct Erasure {
    pub erasure: String,
    pub marker: String,
    pub old_key: String,
    pub new_key: String,
    pub redact: Vec<i64>,
    /// A JSON array of the entries added: table_name, record_key, op, old, new.
    pub appended: String,
}

/// One row's change: which table (an index into the tables), its values before and after (empty
/// for the side that is not there).
#[derive(Debug)]
pub(super) struct Change {
    pub table: usize,
    pub action: Action,
    pub old: Vec<Value>,
    pub new: Vec<Value>,
}

fn store_of(t: &Table) -> String {
    format!("temp.\"caseload_replay_{}\"", t.name)
}

fn trigger_of(t: &Table, action: &str) -> String {
    format!("\"caseload_replay_trigger_{}_{action}\"", t.name)
}

/// Makes the temporary tables and triggers (again after a reload: see [`remove_triggers`]).
pub(super) fn install(conn: &Connection, tables: &[Table]) -> rusqlite::Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS caseload_replay (seq INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, action TEXT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS caseload_replay_erasure (seq INTEGER PRIMARY KEY, erasure TEXT, marker TEXT, old_key TEXT, new_key TEXT, redact TEXT, appended TEXT);\n",
    );
    for (i, t) in tables.iter().enumerate().filter(|(_, t)| followed(t)) {
        let n = t.columns.len();
        // Columns without a type keep each value exactly as it was (no affinity).
        let cols: Vec<String> = (0..n).flat_map(|c| [format!("o{c}"), format!("n{c}")]).collect();
        sql.push_str(&format!(
            "CREATE TEMP TABLE IF NOT EXISTS \"caseload_replay_{}\" (seq INTEGER PRIMARY KEY, {});\n",
            t.name,
            cols.join(", ")
        ));
        let row = |side: &str, of: &str| -> (String, String) {
            let names = (0..n).map(|c| format!("{side}{c}")).collect::<Vec<_>>().join(", ");
            let values =
                t.columns.iter().map(|c| format!("{of}.\"{}\"", c.name)).collect::<Vec<_>>().join(", ");
            (names, values)
        };
        for (action, event) in [("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")] {
            let (mut names, mut values) = (Vec::new(), Vec::new());
            if action != "insert" {
                let (a, b) = row("o", "OLD");
                names.push(a);
                values.push(b);
            }
            if action != "delete" {
                let (a, b) = row("n", "NEW");
                names.push(a);
                values.push(b);
            }
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS {trigger} AFTER {event} ON main.\"{table}\"
BEGIN
    INSERT INTO caseload_replay (tbl, action) VALUES ({i}, '{action}');
    INSERT INTO \"caseload_replay_{table}\" (seq, {names}) VALUES (last_insert_rowid(), {values});
END;
",
                trigger = trigger_of(t, action),
                table = t.name,
                names = names.join(", "),
                values = values.join(", "),
            ));
        }
    }
    conn.execute_batch(&sql)
}

/// Takes the triggers away while the replica is filled from the server (what it copies is no
/// change to send back).
pub(super) fn remove_triggers(conn: &Connection, tables: &[Table]) -> rusqlite::Result<()> {
    let mut sql = String::new();
    for t in tables.iter().filter(|t| followed(t)) {
        for action in ["insert", "update", "delete"] {
            sql.push_str(&format!("DROP TRIGGER IF EXISTS temp.{};\n", trigger_of(t, action)));
        }
    }
    conn.execute_batch(&sql)
}

/// Forgets the changes noted (at the start of each write).
pub(super) fn clear(conn: &Connection, tables: &[Table]) -> rusqlite::Result<()> {
    let mut sql =
        String::from("DELETE FROM temp.caseload_replay;\nDELETE FROM temp.caseload_replay_erasure;\n");
    for t in tables.iter().filter(|t| followed(t)) {
        sql.push_str(&format!("DELETE FROM {};\n", store_of(t)));
    }
    conn.execute_batch(&sql)
}

/// Notes an erasure (after its rows' changes and its entries in the replica's log), to be done
/// on the server's log in its place among the changes.
pub(in crate::store) fn note_erasure(
    conn: &Connection,
    erased: &crate::store::Erased,
    redaction: &crate::store::erase::Redaction,
) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO temp.caseload_replay (tbl, action) VALUES (-1, 'erasure')", [])?;
    let seq = conn.last_insert_rowid();
    let redact = serde_json::to_string(&redaction.before_write).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO temp.caseload_replay_erasure (seq, erasure, marker, old_key, new_key, redact, appended)
         SELECT ?1, ?2, ?3, ?4, ?2, ?5, coalesce(json_group_array(json_object(
                    'table_name', table_name, 'record_key', record_key, 'op', op, 'old', old, 'new', new)), '[]')
         FROM (SELECT * FROM audit WHERE id > ?6 ORDER BY id)",
        rusqlite::params![seq, erased.new_key, redaction.marker, erased.old_key, redact, redaction.appended_after],
    )?;
    Ok(())
}

/// The steps noted since [`clear`], in the order they were made.
pub(super) fn collect(conn: &Connection, tables: &[Table]) -> rusqlite::Result<Vec<Step>> {
    let mut order: Vec<(i64, i64, Action)> = Vec::new();
    let mut stmt = conn.prepare("SELECT seq, tbl, action FROM temp.caseload_replay ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let action = match r.get_ref(2)?.as_str()? {
            "insert" => Action::Insert,
            "update" => Action::Update,
            _ => Action::Delete,
        };
        order.push((r.get(0)?, r.get(1)?, action));
    }
    let mut values: std::collections::HashMap<i64, (Vec<Value>, Vec<Value>)> = Default::default();
    let mut used: Vec<usize> = order.iter().filter_map(|(_, t, _)| usize::try_from(*t).ok()).collect();
    used.sort_unstable();
    used.dedup();
    for i in used {
        let Some(t) = tables.get(i) else { continue };
        let n = t.columns.len();
        let mut stmt = conn.prepare(&format!("SELECT * FROM {}", store_of(t)))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let mut old = Vec::with_capacity(n);
            let mut new = Vec::with_capacity(n);
            for c in 0..n {
                old.push(r.get::<_, Value>(1 + 2 * c)?);
                new.push(r.get::<_, Value>(2 + 2 * c)?);
            }
            values.insert(seq, (old, new));
        }
    }
    let mut erasures: std::collections::HashMap<i64, Erasure> = Default::default();
    let mut stmt = conn.prepare(
        "SELECT seq, erasure, marker, old_key, new_key, redact, appended FROM temp.caseload_replay_erasure",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let redact: String = r.get(5)?;
        erasures.insert(
            r.get(0)?,
            Erasure {
                erasure: r.get(1)?,
                marker: r.get(2)?,
                old_key: r.get(3)?,
                new_key: r.get(4)?,
                redact: serde_json::from_str(&redact).unwrap_or_default(),
                appended: r.get(6)?,
            },
        );
    }
    Ok(order
        .into_iter()
        .filter_map(|(seq, table, action)| {
            let Ok(table) = usize::try_from(table) else { return erasures.remove(&seq).map(Step::Erasure) };
            let (old, new) = values.remove(&seq)?;
            let keep = |v: Vec<Value>, there: bool| if there { v } else { Vec::new() };
            Some(Step::Row(Change {
                table,
                action,
                old: keep(old, action != Action::Insert),
                new: keep(new, action != Action::Delete),
            }))
        })
        .collect())
}
