//! Copies between a file and a server, table by table, every row as it stands (the audit log and
//! its seals too, so the log's chain verifies on the copy). Checked whole: each table's rows are
//! read back on both sides and their hashes compared, so a copy that differs in any value of any
//! row is refused (the server copy rolled back, the file copy removed).
//!
//! No audit entry is written for what a copy carries: the entries it carries are the history.

use super::Server;
use super::schema::{self, Kind, Table};
use crate::store::{Result, Store, StoreError, triggers};
use postgres::types::{ToSql, Type};
use rusqlite::types::Value;
use sha2::{Digest, Sha256};
use std::path::Path;

/// One value of a row, whichever side it was read from.
#[derive(Debug, PartialEq)]
pub(super) enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Cell {
    fn hash(&self, h: &mut Sha256) {
        match self {
            Cell::Null => h.update([0]),
            Cell::Int(i) => {
                h.update([1]);
                h.update(i.to_le_bytes());
            }
            Cell::Real(f) => {
                h.update([2]);
                h.update(f.to_bits().to_le_bytes());
            }
            Cell::Text(t) => {
                h.update([3]);
                h.update((t.len() as u64).to_le_bytes());
                h.update(t.as_bytes());
            }
            Cell::Blob(b) => {
                h.update([4]);
                h.update((b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    }

    pub(super) fn from_sqlite(v: Value) -> Cell {
        match v {
            Value::Null => Cell::Null,
            Value::Integer(i) => Cell::Int(i),
            Value::Real(f) => Cell::Real(f),
            Value::Text(t) => Cell::Text(t),
            Value::Blob(b) => Cell::Blob(b),
        }
    }

    fn into_sqlite(self) -> Value {
        match self {
            Cell::Null => Value::Null,
            Cell::Int(i) => Value::Integer(i),
            Cell::Real(f) => Value::Real(f),
            Cell::Text(t) => Value::Text(t),
            Cell::Blob(b) => Value::Blob(b),
        }
    }

    /// The server's value for a column of this kind (an `ANY` figure as its JSON).
    pub(super) fn to_pg(&self, kind: Kind) -> Box<dyn ToSql + Sync> {
        match (self, kind) {
            (Cell::Null, Kind::Integer) => Box::new(None::<i64>),
            (Cell::Null, Kind::Real) => Box::new(None::<f64>),
            (Cell::Null, Kind::Blob) => Box::new(None::<Vec<u8>>),
            (Cell::Null, _) => Box::new(None::<String>),
            (c, Kind::Any) => Box::new(match c {
                Cell::Int(i) => serde_json::Value::from(*i).to_string(),
                Cell::Real(f) => serde_json::Value::from(*f).to_string(),
                Cell::Text(t) => serde_json::Value::from(t.as_str()).to_string(),
                Cell::Blob(_) | Cell::Null => String::new(),
            }),
            (Cell::Int(i), _) => Box::new(*i),
            (Cell::Real(f), _) => Box::new(*f),
            (Cell::Text(t), _) => Box::new(t.clone()),
            (Cell::Blob(b), _) => Box::new(b.clone()),
        }
    }

    fn from_pg(row: &postgres::Row, i: usize, kind: Kind) -> std::result::Result<Cell, postgres::Error> {
        Ok(match kind {
            Kind::Integer => row.try_get::<_, Option<i64>>(i)?.map(Cell::Int),
            Kind::Real => row.try_get::<_, Option<f64>>(i)?.map(Cell::Real),
            Kind::Text => row.try_get::<_, Option<String>>(i)?.map(Cell::Text),
            Kind::Blob => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Cell::Blob),
            Kind::Any => row.try_get::<_, Option<String>>(i)?.map(Cell::from_json),
        }
        .unwrap_or(Cell::Null))
    }

    /// [`Cell::from_pg`] of a row of a binary COPY.
    fn from_copy(
        row: &postgres::binary_copy::BinaryCopyOutRow,
        i: usize,
        kind: Kind,
    ) -> std::result::Result<Cell, postgres::Error> {
        Ok(match kind {
            Kind::Integer => row.try_get::<Option<i64>>(i)?.map(Cell::Int),
            Kind::Real => row.try_get::<Option<f64>>(i)?.map(Cell::Real),
            Kind::Text => row.try_get::<Option<String>>(i)?.map(Cell::Text),
            Kind::Blob => row.try_get::<Option<Vec<u8>>>(i)?.map(Cell::Blob),
            Kind::Any => row.try_get::<Option<String>>(i)?.map(Cell::from_json),
        }
        .unwrap_or(Cell::Null))
    }

    /// A typed figure from the JSON the server holds it as.
    fn from_json(json: String) -> Cell {
        match serde_json::from_str(&json) {
            Ok(serde_json::Value::Number(n)) if n.is_i64() => Cell::Int(n.as_i64().unwrap_or_default()),
            Ok(serde_json::Value::Number(n)) => Cell::Real(n.as_f64().unwrap_or_default()),
            Ok(serde_json::Value::String(s)) => Cell::Text(s),
            _ => Cell::Text(json),
        }
    }
}

fn pg_type(kind: Kind) -> Type {
    match kind {
        Kind::Integer => Type::INT8,
        Kind::Real => Type::FLOAT8,
        Kind::Text | Kind::Any => Type::TEXT,
        Kind::Blob => Type::BYTEA,
    }
}

fn select(t: &Table) -> String {
    format!("SELECT {} FROM {} ORDER BY {}", t.column_list(), t.name, t.order_by())
}

/// Each row of a file's table, in key order.
fn each_file_row(
    conn: &rusqlite::Connection,
    t: &Table,
    f: &mut dyn FnMut(Vec<Cell>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&select(t))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let cells = (0..t.columns.len()).map(|i| row.get::<_, Value>(i).map(Cell::from_sqlite));
        f(cells.collect::<rusqlite::Result<_>>()?)?;
    }
    Ok(())
}

/// Each row of a server's table, in key order, read as it streams.
fn each_server_row(
    client: &mut impl postgres::GenericClient,
    t: &Table,
    f: &mut dyn FnMut(Vec<Cell>) -> Result<()>,
) -> std::result::Result<Result<()>, postgres::Error> {
    use postgres::fallible_iterator::FallibleIterator;
    let mut rows = client.query_raw(&select(t), std::iter::empty::<i64>())?;
    while let Some(row) = rows.next()? {
        let cells = t.columns.iter().enumerate().map(|(i, c)| Cell::from_pg(&row, i, c.kind));
        if let Err(e) = f(cells.collect::<std::result::Result<_, _>>()?) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(()))
}

/// A table's rows hashed in order, with their count.
#[derive(PartialEq, Debug)]
struct Digest32 {
    rows: u64,
    hash: [u8; 32],
}

fn digest(feed: impl FnOnce(&mut dyn FnMut(Vec<Cell>) -> Result<()>) -> Result<()>) -> Result<Digest32> {
    let mut h = Sha256::new();
    let mut rows = 0;
    feed(&mut |cells| {
        rows += 1;
        for c in &cells {
            c.hash(&mut h);
        }
        Ok(())
    })?;
    Ok(Digest32 { rows, hash: h.finalize().into() })
}

fn tables_of(store: &Store) -> Result<Vec<Table>> {
    Ok(schema::tables(&store.conn)?)
}

/// Compares every table on both sides; the first that differs, in words.
fn check(
    conn: &rusqlite::Connection,
    client: &mut impl postgres::GenericClient,
    target: &super::Target,
    tables: &[Table],
) -> Result<()> {
    for t in tables {
        let file = digest(|f| each_file_row(conn, t, f))?;
        let mut err = None;
        let on_server = digest(|f| match each_server_row(client, t, f) {
            Ok(r) => r,
            Err(e) => {
                err = Some(e);
                Ok(())
            }
        })?;
        if let Some(e) = err {
            return Err(super::refusal(target, e));
        }
        if file != on_server {
            return Err(StoreError::Server(format!(
                "the copy is not whole: the table {} has {} rows in the file and {} on the server {}, or \
                 they differ; nothing was kept",
                t.name, file.rows, on_server.rows, target
            )));
        }
    }
    Ok(())
}

/// What a copy carried.
pub struct Copied {
    /// Rows of each table, in the order copied.
    pub tables: Vec<(String, u64)>,
}

/// Copies a file's whole database into a server database that `server init` made and nothing has
/// written to. Run by the database's owner (it sets the triggers aside while it copies). In one
/// transaction, checked before it commits: a copy that is not whole leaves the server empty.
pub fn copy_to_server(store: &Store, server: &mut Server) -> Result<Copied> {
    let found = server.schema_version()?;
    if found != crate::store::SCHEMA_VERSION {
        return Err(StoreError::Server(format!(
            "the server database {} {}: run caseload server init on it first (as its owner)",
            server.target(),
            if found == 0 {
                "has no caseload schema".to_string()
            } else {
                format!("holds schema version {found}, not this program's")
            }
        )));
    }
    let tables = tables_of(store)?;
    let target = server.target().clone();
    let refuse = |e: postgres::Error| super::refusal(&target, e);
    let mut tx = server.client.transaction().map_err(refuse)?;
    for t in &tables {
        let any: bool =
            tx.query_one(&format!("SELECT EXISTS (SELECT 1 FROM {})", t.name), &[]).map_err(refuse)?.get(0);
        if any {
            return Err(StoreError::Server(format!(
                "the server database {target} is not empty (its table {} has rows): copy --to fills only a \
                 database that nothing has written to",
                t.name
            )));
        }
    }
    // The log's own seal trigger too: the entries copied keep their numbers and seals.
    let mut records = schema::record_tables();
    records.push("audit");
    for t in tables.iter().filter(|t| records.contains(&t.name.as_str())) {
        tx.batch_execute(&format!("ALTER TABLE {} DISABLE TRIGGER USER", t.name)).map_err(refuse)?;
    }
    let mut copied = Vec::new();
    for t in &tables {
        let types: Vec<Type> = t.columns.iter().map(|c| pg_type(c.kind)).collect();
        let sink = tx
            .copy_in(&format!("COPY {} ({}) FROM STDIN BINARY", t.name, t.column_list()))
            .map_err(refuse)?;
        let mut writer = postgres::binary_copy::BinaryCopyInWriter::new(sink, &types);
        let mut rows = 0u64;
        let mut failed = None;
        each_file_row(&store.conn, t, &mut |cells| {
            let values: Vec<Box<dyn ToSql + Sync>> =
                cells.iter().zip(&t.columns).map(|(c, col)| c.to_pg(col.kind)).collect();
            let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
            if let Err(e) = writer.write(&refs) {
                failed.get_or_insert(e);
            }
            rows += 1;
            Ok(())
        })?;
        if let Some(e) = failed {
            return Err(refuse(e));
        }
        writer.finish().map_err(refuse)?;
        if t.numbered() {
            tx.batch_execute(&format!(
                "SELECT setval(pg_get_serial_sequence('{0}', 'id'), coalesce((SELECT max(id) FROM {0}), 0) + 1, false)",
                t.name
            ))
            .map_err(refuse)?;
        }
        copied.push((t.name.clone(), rows));
    }
    for t in tables.iter().filter(|t| records.contains(&t.name.as_str())) {
        tx.batch_execute(&format!("ALTER TABLE {} ENABLE TRIGGER USER", t.name)).map_err(refuse)?;
    }
    check(&store.conn, &mut tx, &target, &tables)?;
    tx.commit().map_err(refuse)?;
    // The server's planner learns the tables' sizes now, not at its next automatic look: the
    // first return read from the copy is planned on what is there.
    for t in &tables {
        server.client.batch_execute(&format!("ANALYZE {}", t.name)).map_err(refuse)?;
    }
    Ok(Copied { tables: copied })
}

/// Copies a server database into a new file at `path` (which must not exist), checked whole; a
/// copy that is not whole is removed.
pub fn copy_from_server(server: &mut Server, path: &Path) -> Result<(Store, Copied)> {
    if path.exists() {
        return Err(StoreError::Server(format!(
            "{} is there already: copy --from makes a new file (name one that does not exist with --db)",
            path.display()
        )));
    }
    let mut store = Store::open(path)?;
    match fill(server, &mut store, true) {
        Ok(copied) => Ok((store, copied)),
        Err(e) => {
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(crate::store::open::side_file(path, suffix));
            }
            Err(e)
        }
    }
}

/// The server database as a private database in memory, read at one moment: what the commands
/// that only read and are not a return (dump, audit) run on, with the audit log.
pub fn replica_of(server: &mut Server) -> Result<Store> {
    let mut store = Store::open_in_memory()?;
    // Read in one snapshot, in one transaction: not compared again row by row (that is for
    // copies that are kept), so a command's reading costs one pass.
    fill(server, &mut store, false)?;
    Ok(store)
}

/// Copies every table of the server into an empty store, in one transaction on each side (the
/// server's a read-only snapshot), with the file's audit triggers set aside meanwhile.
fn fill(server: &mut Server, store: &mut Store, checked: bool) -> Result<Copied> {
    check_version(server)?;
    let tables = tables_of(store)?;
    let target = server.target().clone();
    let refuse = |e: postgres::Error| super::refusal(&target, e);
    let mut read = server.read_snapshot()?;
    // The server's references hold already: not checked again row by row (a copy kept as a file
    // is compared whole below; `check` looks at the references of a file too).
    store.conn.pragma_update(None, "foreign_keys", false)?;
    let filled = (|| {
        let tx = store.conn.transaction()?;
        for (name, _) in triggers::stored(&tx)? {
            tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
        }
        let copied = load(&mut read, &tx, &tables, &target)?;
        triggers::make(&tx)?;
        if checked {
            check(&tx, &mut read, &target, &tables)?;
        }
        tx.commit()?;
        read.commit().map_err(refuse)?;
        Ok(Copied { tables: copied })
    })();
    store.conn.pragma_update(None, "foreign_keys", true)?;
    filled
}

/// Every row of `tables` on the server (in the snapshot `read`) inserted into the replica's
/// empty tables: the rows each table had.
///
/// The server's rows are read and decoded on a second thread while this one inserts them, and
/// the replica's indexes are set aside meanwhile and made again at the end (one sorted build each
/// instead of an insert per row): the reading is most of a command's time on a server.
pub(super) fn load(
    read: &mut (impl postgres::GenericClient + Send),
    tx: &rusqlite::Connection,
    tables: &[Table],
    target: &super::Target,
) -> Result<Vec<(String, u64)>> {
    let indexes: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    let (rows, sink) = std::sync::mpsc::sync_channel::<(usize, Vec<Vec<Value>>)>(16);
    let (copied, reading) = std::thread::scope(|scope| {
        let reading = scope.spawn(move || stream_tables(read, tables, rows));
        let copied = insert_all(tx, tables, sink);
        // The reader stops at its next chunk once the inserting side is gone.
        (copied, reading.join())
    });
    let read_result = match reading {
        Ok(r) => r,
        Err(_) => {
            return Err(StoreError::Server(format!("reading the server {target} stopped unexpectedly")));
        }
    };
    // An insert's failure is the cause when both failed (the reader then only saw it stop).
    let copied = copied?;
    read_result.map_err(|e| super::refusal(target, e))?;
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    Ok(tables.iter().map(|t| t.name.clone()).zip(copied).collect())
}

/// The rows of each table, read by binary COPY and sent in chunks (the table's index, its rows).
fn stream_tables(
    read: &mut impl postgres::GenericClient,
    tables: &[Table],
    out: std::sync::mpsc::SyncSender<(usize, Vec<Vec<Value>>)>,
) -> std::result::Result<(), postgres::Error> {
    use postgres::fallible_iterator::FallibleIterator;
    const CHUNK: usize = 2048;
    for (n, t) in tables.iter().enumerate() {
        let types: Vec<Type> = t.columns.iter().map(|c| pg_type(c.kind)).collect();
        let source = read.copy_out(&format!("COPY ({}) TO STDOUT (FORMAT binary)", select(t)))?;
        let mut stream = postgres::binary_copy::BinaryCopyOutIter::new(source, &types);
        let mut chunk = Vec::with_capacity(CHUNK);
        while let Some(row) = stream.next()? {
            let mut values = Vec::with_capacity(t.columns.len());
            for (i, c) in t.columns.iter().enumerate() {
                values.push(Cell::from_copy(&row, i, c.kind)?.into_sqlite());
            }
            chunk.push(values);
            if chunk.len() == CHUNK
                && out.send((n, std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))).is_err()
            {
                return Ok(());
            }
        }
        if out.send((n, chunk)).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// Inserts the chunks as they come: the rows each table had.
fn insert_all(
    tx: &rusqlite::Connection,
    tables: &[Table],
    chunks: std::sync::mpsc::Receiver<(usize, Vec<Vec<Value>>)>,
) -> Result<Vec<u64>> {
    let mut counts = vec![0u64; tables.len()];
    let mut statements = Vec::with_capacity(tables.len());
    for t in tables {
        let marks: Vec<String> = (1..=t.columns.len()).map(|i| format!("?{i}")).collect();
        statements.push(tx.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            t.name,
            t.column_list(),
            marks.join(", ")
        ))?);
    }
    for (n, rows) in chunks {
        let insert = &mut statements[n];
        for values in rows {
            insert.execute(rusqlite::params_from_iter(values))?;
            counts[n] += 1;
        }
    }
    Ok(counts)
}

/// The rows of one table that `filter` (SQL) keeps, inserted into the replica: how many.
pub(super) fn load_rows(
    read: &mut postgres::Transaction<'_>,
    tx: &rusqlite::Connection,
    t: &Table,
    filter: &str,
    target: &super::Target,
) -> Result<u64> {
    let refuse = |e: postgres::Error| super::refusal(target, e);
    let marks: Vec<String> = (1..=t.columns.len()).map(|i| format!("?{i}")).collect();
    let mut insert =
        tx.prepare(&format!("INSERT INTO {} ({}) VALUES ({})", t.name, t.column_list(), marks.join(", ")))?;
    let mut rows = 0;
    // COPY in the binary format: the rows stream without a round trip or a text parse each.
    let types: Vec<Type> = t.columns.iter().map(|c| pg_type(c.kind)).collect();
    let sql = format!(
        "COPY (SELECT {} FROM {} WHERE {filter} ORDER BY {}) TO STDOUT (FORMAT binary)",
        t.column_list(),
        t.name,
        t.order_by()
    );
    let source = read.copy_out(&sql).map_err(refuse)?;
    let mut stream = postgres::binary_copy::BinaryCopyOutIter::new(source, &types);
    use postgres::fallible_iterator::FallibleIterator;
    while let Some(row) = stream.next().map_err(refuse)? {
        let mut values = Vec::with_capacity(t.columns.len());
        for (i, c) in t.columns.iter().enumerate() {
            values.push(Cell::from_copy(&row, i, c.kind).map_err(refuse)?.into_sqlite());
        }
        insert.execute(rusqlite::params_from_iter(values))?;
        rows += 1;
    }
    Ok(rows)
}

/// The server's database holds this program's schema version (an older or newer one refused).
pub(super) fn check_version(server: &mut Server) -> Result<()> {
    // A login with none of the roles could read nothing: said as such, not as a reader's limit.
    let reads: bool = server
        .client
        .query_one(
            "SELECT CASE WHEN to_regclass('public.caseload_schema') IS NULL THEN true
                         ELSE has_table_privilege(to_regclass('public.caseload_schema'), 'SELECT') END",
            &[],
        )
        .map_err(|e| server.error(e))?
        .get(0);
    if !reads {
        return Err(StoreError::Server(format!(
            "the login {} has none of caseload's roles on the server {}: ask IT to grant it caseload_reader, \
             caseload_staff or caseload_admin",
            server.target().user,
            server.target()
        )));
    }
    let found = server.schema_version()?;
    if found > crate::store::SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: server.target().to_string().into(),
            found,
            supported: crate::store::SCHEMA_VERSION,
        });
    }
    if found < crate::store::SCHEMA_VERSION {
        return Err(StoreError::Server(format!(
            "the server database {} {}",
            server.target(),
            if found == 0 {
                "has no caseload schema: IT runs caseload server init on it first".to_string()
            } else {
                format!("holds schema version {found}, older than this program's")
            }
        )));
    }
    Ok(())
}
