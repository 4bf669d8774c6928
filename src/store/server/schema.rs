//! The server's schema, made from the file's as this program creates it: each table with the same
//! columns (SQLite's types as PostgreSQL's), keys, unique keys, references and indexes, and the
//! audit log's triggers in PL/pgSQL logging each record exactly as the file's triggers do.
//!
//! The CHECK constraints of the file are not repeated: the program checks every record before it
//! writes (the same code on either backend), and a copy only carries records a file accepted.

use crate::domain::RecordKind;
use crate::store::keys::table as table_of;
use crate::store::settings::link_table;
use crate::store::triggers::logged_columns;
use rusqlite::Connection;

/// A column's kind, from its SQLite type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Integer,
    Real,
    Text,
    Blob,
    /// SQLite's `ANY` (a typed figure): held on the server as the JSON of the value.
    Any,
}

impl Kind {
    fn of(sqlite_type: &str) -> Kind {
        match sqlite_type.to_ascii_uppercase().as_str() {
            "INTEGER" => Kind::Integer,
            "REAL" => Kind::Real,
            "BLOB" => Kind::Blob,
            "ANY" => Kind::Any,
            _ => Kind::Text,
        }
    }

    fn pg(self) -> &'static str {
        match self {
            Kind::Integer => "bigint",
            Kind::Real => "double precision",
            Kind::Text | Kind::Any => "text",
            Kind::Blob => "bytea",
        }
    }
}

pub(super) struct Column {
    pub name: String,
    pub kind: Kind,
    not_null: bool,
    default: Option<String>,
}

pub(super) struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    /// The primary key's columns, in order (`id` for all but the link tables).
    pub key: Vec<String>,
    uniques: Vec<Vec<String>>,
    /// (column, table referred to, ON DELETE CASCADE).
    pub refs: Vec<(String, String, bool)>,
}

impl Table {
    /// The table has an integer `id` the server numbers (an identity column).
    pub fn numbered(&self) -> bool {
        self.key == ["id"]
    }

    pub fn column_list(&self) -> String {
        self.columns.iter().map(|c| format!("\"{}\"", c.name)).collect::<Vec<_>>().join(", ")
    }

    pub fn order_by(&self) -> String {
        self.key.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
    }
}

/// Every table of the file's schema, in the order made (so each comes after those it refers to).
pub(super) fn tables(conn: &Connection) -> rusqlite::Result<Vec<Table>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
    )?;
    let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let made: Vec<Table> =
        names.into_iter().map(|name| table(conn, name)).collect::<rusqlite::Result<_>>()?;
    Ok(after_what_they_refer_to(made))
}

/// The tables in the order made, except that a table comes after every table it refers to (a
/// column added later may refer to a table made after it: a setting's link teacher, a staff
/// member). A reference to itself or in a cycle keeps the order made.
fn after_what_they_refer_to(mut left: Vec<Table>) -> Vec<Table> {
    let mut out: Vec<Table> = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|t| {
                t.refs.iter().all(|(_, target, _)| {
                    *target == t.name
                        || out.iter().any(|o| o.name == *target)
                        || !left.iter().any(|l| l.name == *target)
                })
            })
            .unwrap_or(0);
        out.push(left.remove(ready));
    }
    out
}

fn table(conn: &Connection, name: String) -> rusqlite::Result<Table> {
    let mut stmt = conn
        .prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid")?;
    let mut key: Vec<(i64, String)> = Vec::new();
    let mut columns = Vec::new();
    let rows = stmt.query_map([&name], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (column, sqlite_type, not_null, default, pk) = row?;
        if pk > 0 {
            key.push((pk, column.clone()));
        }
        columns.push(Column { name: column, kind: Kind::of(&sqlite_type), not_null, default });
    }
    key.sort();
    let mut stmt = conn.prepare("SELECT name FROM pragma_index_list(?1) WHERE origin = 'u' ORDER BY seq")?;
    let indexes: Vec<String> = stmt.query_map([&name], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut uniques = Vec::new();
    for index in indexes {
        let mut stmt = conn.prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")?;
        uniques.push(stmt.query_map([&index], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?);
    }
    let mut stmt =
        conn.prepare("SELECT \"from\", \"table\", on_delete FROM pragma_foreign_key_list(?1) ORDER BY id")?;
    let refs = stmt
        .query_map([&name], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)? == "CASCADE")))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Table { name, columns, key: key.into_iter().map(|(_, c)| c).collect(), uniques, refs })
}

/// The CREATE statements of the tables and their indexes.
pub(super) fn tables_ddl(conn: &Connection, tables: &[Table]) -> rusqlite::Result<String> {
    let mut out = String::new();
    for t in tables {
        let mut lines: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let mut line = format!("    \"{}\" {}", c.name, c.kind.pg());
                if t.numbered() && c.name == "id" {
                    line.push_str(" GENERATED BY DEFAULT AS IDENTITY");
                } else {
                    if c.not_null {
                        line.push_str(" NOT NULL");
                    }
                    if let Some(d) = &c.default {
                        line.push_str(&format!(" DEFAULT {d}"));
                    }
                }
                line
            })
            .collect();
        lines.push(format!("    PRIMARY KEY ({})", t.order_by()));
        for u in &t.uniques {
            lines.push(format!(
                "    UNIQUE ({})",
                u.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
            ));
        }
        for (column, target, cascade) in &t.refs {
            let on_delete = if *cascade { " ON DELETE CASCADE" } else { "" };
            lines.push(format!("    FOREIGN KEY (\"{column}\") REFERENCES {target} (id){on_delete}"));
        }
        out.push_str(&format!("CREATE TABLE {} (\n{}\n);\n", t.name, lines.join(",\n")));
    }
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid")?;
    for sql in stmt.query_map([], |r| r.get::<_, String>(0))? {
        out.push_str(&sql?);
        out.push_str(";\n");
    }
    Ok(out)
}

/// The functions every trigger uses: the log's time (UTC to the millisecond, as the file writes
/// it) and a JSON object written as SQLite's `json_object` writes it (no spaces), so an entry
/// reads, and hashes, the same whichever backend wrote it.
pub(super) const HELPERS: &str = r#"
CREATE FUNCTION caseload_now() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
CREATE FUNCTION caseload_json(j json) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT '{' || coalesce(string_agg(to_json(e.key)::text || ':' || e.value::text, ',' ORDER BY e.n), '') || '}'
    FROM json_each(j) WITH ORDINALITY AS e(key, value, n)
$$;
CREATE FUNCTION caseload_real(x double precision) RETURNS json LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x IS NULL THEN NULL WHEN x = trunc(x) AND abs(x) < 1e15 THEN (trunc(x)::bigint::text || '.0')::json ELSE to_json(x) END
$$;

CREATE FUNCTION caseload_le8(n bigint) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT decode(string_agg(lpad(to_hex((n >> (8 * i)) & 255), 2, '0'), '' ORDER BY i), 'hex')
    FROM generate_series(0, 7) AS i
$$;
CREATE FUNCTION caseload_field(t text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN t IS NULL THEN '\xff'::bytea
                ELSE '\x00'::bytea || caseload_le8(octet_length(convert_to(t, 'UTF8'))) || convert_to(t, 'UTF8') END
$$;
"#;

/// The log's hash chain, sealed as each entry is written (src/store/chain.rs's rule, in SQL): the
/// seals are taken one transaction at a time (the lock is held until commit), and the entry is
/// numbered once the lock is held, so entries are sealed in the order of their numbers.
pub(super) const SEAL: &str = r#"
CREATE FUNCTION caseload_seal() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    before bytea;
    content bytea;
BEGIN
    LOCK TABLE audit_seal IN SHARE ROW EXCLUSIVE MODE;
    NEW.id := nextval(pg_get_serial_sequence('audit', 'id'));
    SELECT hash INTO before FROM audit_seal ORDER BY id DESC LIMIT 1;
    before := coalesce(before, decode(repeat('00', 32), 'hex'));
    content := sha256(convert_to('caseload audit entry', 'UTF8') || caseload_le8(NEW.id)
        || caseload_field(NEW.at) || caseload_field(NEW.os_user) || caseload_field(NEW.table_name)
        || caseload_field(NEW.record_key) || caseload_field(NEW.op) || caseload_field(NEW.old)
        || caseload_field(NEW.new));
    INSERT INTO audit_seal (id, hash, content) VALUES (NEW.id, sha256(before || caseload_le8(NEW.id) || content), content);
    RETURN NEW;
END $$;
CREATE TRIGGER audit_seal BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION caseload_seal();
"#;

/// The audit triggers of every record table and link table, as PL/pgSQL. The functions run
/// with their owner's rights (SECURITY DEFINER): no login may write the log directly, yet every
/// change writes it; `session_user` is the login that made the change.
pub(super) fn audit_ddl(conn: &Connection, tables: &[Table]) -> rusqlite::Result<String> {
    let mut out = String::new();
    for kind in RecordKind::ALL {
        let records = table_of(*kind);
        out.push_str(&for_table(conn, tables, records, "ROW.key")?);
        if let Some((links, by)) = link_table(*kind) {
            let key = format!("coalesce((SELECT key FROM {records} WHERE id = ROW.{by}), '#' || ROW.{by})");
            out.push_str(&for_table(conn, tables, links, &key)?);
            // The links go first when their parent is deleted, so each entry can name the parent.
            out.push_str(&format!(
                "CREATE FUNCTION {records}_audit_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {links} WHERE {by} = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER {records}_audit_links BEFORE DELETE ON {records} FOR EACH ROW EXECUTE FUNCTION {records}_audit_links();
"
            ));
        }
    }
    Ok(out)
}

fn for_table(conn: &Connection, tables: &[Table], name: &str, key: &str) -> rusqlite::Result<String> {
    let columns = logged_columns(conn, name)?;
    let kinds = tables.iter().find(|t| t.name == name).map(|t| &t.columns);
    let kind_of = |c: &str| kinds.and_then(|k| k.iter().find(|x| x.name == c)).map_or(Kind::Text, |x| x.kind);
    let object = |row: &str| {
        let pairs: Vec<String> = columns
            .iter()
            .map(|c| {
                let value = c.value.replace("ROW.", &format!("{row}."));
                let value = match kind_of(&c.column) {
                    Kind::Real if c.value == format!("ROW.{}", c.column) => format!("caseload_real({value})"),
                    Kind::Any => format!("({value})::json"),
                    _ => value,
                };
                format!("'{}', {}", c.name, value)
            })
            .collect();
        format!("caseload_json(json_build_object({}))", pairs.join(", "))
    };
    let key_of = |row: &str| key.replace("ROW.", &format!("{row}."));
    let changed: Vec<String> =
        columns.iter().map(|c| format!("OLD.\"{0}\" IS DISTINCT FROM NEW.\"{0}\"", c.column)).collect();
    let insert = |op: &str, cols: &str, values: String| {
        format!(
            "INSERT INTO audit (at, os_user, table_name, record_key, op, {cols})\n        VALUES (caseload_now(), session_user, '{name}', {}, '{op}', {values});",
            key_of(if op == "delete" { "OLD" } else { "NEW" })
        )
    };
    Ok(format!(
        "CREATE FUNCTION {name}_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {}
    ELSIF TG_OP = 'UPDATE' THEN
        IF {} THEN
        {}
        END IF;
    ELSE
        {}
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {name}_audit AFTER INSERT OR UPDATE OR DELETE ON {name} FOR EACH ROW EXECUTE FUNCTION {name}_audit();
",
        insert("insert", "new", object("NEW")),
        changed.join(" OR "),
        insert("update", "old, new", format!("{}, {}", object("OLD"), object("NEW"))),
        insert("delete", "old", object("OLD")),
    ))
}

/// The record tables and their link tables: what staff may change (the rest is the log's).
pub(super) fn record_tables() -> Vec<&'static str> {
    let mut out = Vec::new();
    for kind in RecordKind::ALL {
        out.push(table_of(*kind));
        if let Some((links, _)) = link_table(*kind) {
            out.push(links);
        }
    }
    out
}
