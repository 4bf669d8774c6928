//! A store whose records are on a server: the same [`Store`] every caller uses, holding a working
//! copy of the server's database in memory (the replica) that every read and every rule runs on,
//! as on a file. A write is made in the replica first (its rules, stale checks and undo as on a
//! file); at commit the rows it changed ([`replay`]) are sent to the server in one transaction,
//! each update and delete matched against the whole row as it was read, each insert against the
//! keys. If the server's row is not the one read (another desk changed it), or a key is taken
//! meanwhile, nothing is written on either side, the replica is read again, and the caller is told
//! who changed what, from the server's log. After a write the replica takes the server's entries
//! of the log for it in place of its own; when another desk wrote meanwhile, and when the server
//! notifies another desk's change, the replica is read again whole (in one snapshot, by COPY): a
//! whole copy cannot drift from the server the way a patched one could.

use super::copy::{self, Cell};
use super::replay::{self, Action, Change, Step};
use super::schema::{self, Table};
use super::{Server, Target};
use crate::store::{Reader, Result, Store, StoreError, triggers};
use postgres::types::ToSql;
use rusqlite::Connection;
use std::collections::HashMap;

/// The server behind a store, and what the replica holds of it.
pub(crate) struct Live {
    server: Server,
    tables: Vec<Table>,
    /// The server's last audit entry when the replica was read: later entries are others' changes.
    known: i64,
    /// This connection's server process, whose own notifications are not another desk's.
    pid: i32,
    /// The replica is to be read again before it is next trusted (a failed write, a notice).
    stale: bool,
    /// The replica was read again since [`Store::changed_elsewhere`] last said so (after a
    /// refused save, or a save with another desk's change meanwhile): the screens read it again.
    news: bool,
}

/// What the server took: the range of the log's entries the write made, the log's last entry,
/// and whether the write was the only change since the replica was read.
struct Sent {
    range: (i64, i64),
    newest: i64,
    alone: bool,
}

/// Why the server did not take a write.
enum Refusal {
    /// A row read was changed or removed on the server meanwhile: its table and record key.
    Stale {
        table: String,
        key: Option<String>,
    },
    /// A key taken or a record referred to removed, by another desk at the same moment.
    Collision(String),
    Store(StoreError),
}

impl Store {
    /// Opens the district database on the server `target` names: its records read into a working
    /// copy, and the server asked to tell of every change another desk makes.
    pub fn open_server(target: &Target) -> Result<Store> {
        let mut server = Server::connect(target)?;
        copy::check_version(&mut server)?;
        let mut store = Store::open_in_memory()?;
        let tables = schema::tables(&store.conn)?;
        // Before the first reading: a change committed after it is told.
        server.listen()?;
        let pid: i32 =
            server.client.query_one("SELECT pg_backend_pid()", &[]).map_err(|e| server.error(e))?.get(0);
        // The replica's own entries (replaced by the server's at each reading) name the login too.
        let login = target.user.clone();
        store.conn.create_scalar_function(
            "caseload_user",
            0,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8
                | rusqlite::functions::FunctionFlags::SQLITE_DETERMINISTIC
                | rusqlite::functions::FunctionFlags::SQLITE_INNOCUOUS,
            move |_| Ok(login.clone()),
        )?;
        let mut live = Live { server, tables, known: 0, pid, stale: false, news: false };
        live.reload(&store.conn)?;
        live.news = false;
        store.remote = Some(Box::new(live));
        Ok(store)
    }

    /// Whether another program or desk changed the database since this was last asked (the first
    /// time: since the store was opened): a file's `data_version`, a server's notifications. On a
    /// server the working copy is read again first, so what is read next is the change.
    pub fn changed_elsewhere(&mut self) -> Result<bool> {
        match self.remote.as_deref_mut() {
            Some(live) => live.refresh_if_told(&self.conn),
            None => {
                let now = self.data_version()?;
                Ok(self.seen_version.replace(Some(now)).is_some_and(|seen| seen != now))
            }
        }
    }

    /// The server this store's records are on, if they are.
    pub fn server_target(&self) -> Option<&Target> {
        self.remote.as_deref().map(|live| live.server.target())
    }
}

impl Live {
    /// Reads the replica again if the server told of another desk's change (or a write failed).
    fn refresh_if_told(&mut self, conn: &Connection) -> Result<bool> {
        let told = self.drain_notices()?;
        if told || self.stale {
            self.reload(conn)?;
        }
        Ok(std::mem::take(&mut self.news))
    }

    /// Takes every notice waiting; true if one was another connection's.
    fn drain_notices(&mut self) -> Result<bool> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut told = false;
        let target = self.server.target.clone();
        let mut notices = self.server.client.notifications();
        // A moment's wait: the connection's socket is only read while waiting (the non-blocking
        // iterator gives only what was read already).
        let mut waiting = notices.timeout_iter(std::time::Duration::from_millis(2));
        loop {
            match waiting.next() {
                Ok(Some(n)) => told |= n.process_id() != self.pid,
                Ok(None) => break,
                Err(e) => return Err(super::refusal(&target, e)),
            }
        }
        Ok(told)
    }

    /// Makes the replica the server's database as it is now, in one snapshot of it.
    pub(crate) fn reload(&mut self, conn: &Connection) -> Result<()> {
        self.stale = true;
        self.drain_notices()?;
        replay::remove_triggers(conn, &self.tables)?;
        let target = self.server.target().clone();
        let refuse = |e: postgres::Error| super::refusal(&target, e);
        let mut read = self.server.read_snapshot()?;
        // The server's references hold already: not checked again row by row.
        conn.pragma_update(None, "foreign_keys", false)?;
        let loaded = load_replica(&self.tables, &target, conn, &mut read);
        conn.pragma_update(None, "foreign_keys", true)?;
        let known = loaded?;
        read.commit().map_err(refuse)?;
        replay::install(conn, &self.tables)?;
        self.known = known;
        self.stale = false;
        self.news = true;
        Ok(())
    }

    /// An erasure needs the admin role (the server's function for it is an admin's alone): said
    /// before anything is done.
    pub(crate) fn may_erase(&mut self) -> Result<()> {
        let admin: bool = self
            .server
            .client
            .query_one("SELECT pg_has_role(session_user, 'caseload_admin', 'MEMBER')", &[])
            .map_err(|e| self.server.error(e))?
            .get(0);
        if admin {
            return Ok(());
        }
        Err(StoreError::Server(format!(
            "erasing a child needs the caseload_admin role, and the login {} has not got it: ask IT, or an \
             admin of the team; nothing was changed",
            self.server.target().user
        )))
    }

    /// Before a write: the replica read again if a failed write or a lost answer left it unsure.
    pub(crate) fn reload_if_stale(&mut self, conn: &Connection) -> Result<()> {
        if self.stale { self.reload(conn) } else { Ok(()) }
    }

    /// At the start of a write (in its transaction): the changes noted are this write's alone.
    pub(crate) fn begin(&self, conn: &Connection) -> Result<()> {
        Ok(replay::clear(conn, &self.tables)?)
    }

    /// Sends the write's changes to the server and commits both sides, or neither. The range of
    /// the log's entries the write made, as the server numbers them.
    pub(crate) fn commit(&mut self, tx: rusqlite::Transaction<'_>, conn: &Connection) -> Result<(i64, i64)> {
        let changes = replay::collect(&tx, &self.tables)?;
        if changes.is_empty() {
            drop(tx);
            return Ok((self.known, self.known));
        }
        let before = self.known;
        match self.send(&changes, &tx) {
            Ok(sent) => {
                // The server has the write: what follows only brings the copy up to date. If it
                // fails, the copy is read again before the next write (the save is not undone).
                self.stale = true;
                // The replica's records are the server's now: when no one else wrote meanwhile,
                // only the log's new entries differ (the server's numbers, login and time), so
                // they alone are read.
                let synced = sent.alone && self.take_own_entries(&tx).is_ok();
                let committed = if synced {
                    tx.commit().is_ok()
                } else {
                    drop(tx);
                    false
                };
                if committed {
                    self.known = sent.newest;
                    self.stale = false;
                } else {
                    let _ = self.reload(conn);
                }
                Ok(sent.range)
            }
            Err(refusal) => {
                drop(tx);
                self.stale = true;
                // Read again to show what the server holds now (and to name who changed it); if
                // even that fails, the refusal is what the person needs to hear, and the copy
                // stays marked to be read again before the next write.
                let _ = self.reload(conn);
                let e = match refusal {
                    Refusal::Stale { table, key } => {
                        let entry = key
                            .map(|key| last_entry(Reader { conn, figures: None }, &table, &key, before))
                            .transpose()?
                            .flatten();
                        match entry {
                            Some(entry) => StoreError::Stale(Box::new(entry)),
                            None => StoreError::Collision(format!("a record of {table} changed")),
                        }
                    }
                    Refusal::Collision(why) => StoreError::Collision(why),
                    Refusal::Store(e) => e,
                };
                Err(e)
            }
        }
    }

    /// Each change done again on the server, in one transaction, each checked against the row
    /// read; committed only when every one matched.
    fn send(&mut self, changes: &[Step], local: &Connection) -> Result<Sent, Refusal> {
        let target = self.server.target().clone();
        let refuse = |e: postgres::Error| classify(&target, e);
        let tables = &self.tables;
        let mut tx = self.server.client.transaction().map_err(refuse)?;
        let mut prepared: HashMap<String, postgres::Statement> = HashMap::new();
        // The log's last entry an erasure has seen to: its own entries after it are the next's.
        let mut erased_to = 0i64;
        for step in changes {
            let change = match step {
                Step::Row(change) => change,
                Step::Erasure(e) => {
                    let row = tx
                        .query_one(
                            "SELECT caseload_erasure($1, $2, $3, $4, $5, $6, $7::text::json)",
                            &[
                                &e.erasure,
                                &e.marker,
                                &e.old_key,
                                &e.new_key,
                                &e.redact,
                                &erased_to,
                                &e.appended,
                            ],
                        )
                        .map_err(refuse)?;
                    erased_to = row.get(0);
                    continue;
                }
            };
            let t = &tables[change.table];
            let Some((sql, values)) = statement(t, change) else { continue };
            let stmt = match prepared.get(&sql) {
                Some(s) => s.clone(),
                None => {
                    let s = tx.prepare(&sql).map_err(refuse)?;
                    prepared.insert(sql, s.clone());
                    s
                }
            };
            let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|b| b.as_ref()).collect();
            let rows = tx.execute(&stmt, &refs).map_err(refuse)?;
            if rows != 1 {
                return Err(Refusal::Stale { table: t.name.clone(), key: record_key(t, change, local) });
            }
        }
        // The entries the server's triggers wrote for this transaction: the only ones it wrote
        // (the log's seal is taken one transaction at a time, so they are numbered together).
        let row = tx
            .query_one(
                "SELECT coalesce(min(id) FILTER (WHERE own), 0), coalesce(max(id) FILTER (WHERE own), 0),
                        coalesce(max(id), $1), count(*) FILTER (WHERE NOT own)
                 FROM (SELECT id, xmin::text = (txid_current() % 4294967296)::text AS own
                       FROM audit WHERE id > $1) AS since",
                &[&self.known],
            )
            .map_err(refuse)?;
        let (first, last, newest, others): (i64, i64, i64, i64) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        tx.commit().map_err(refuse)?;
        let range = if first == 0 { (newest, newest) } else { (first - 1, last) };
        // No other desk's entry since the replica was read, and no erasure (which rewrites older
        // entries): the replica differs from the server only by this write's entries.
        let alone = others == 0 && erased_to == 0;
        Ok(Sent { range, newest, alone })
    }

    /// The write's entries in the replica's log (its own numbers) replaced by the server's.
    fn take_own_entries(&mut self, local: &Connection) -> Result<()> {
        let target = self.server.target().clone();
        let log: Vec<&Table> =
            self.tables.iter().filter(|t| ["audit", "audit_seal"].contains(&t.name.as_str())).collect();
        for t in &log {
            local.execute(&format!("DELETE FROM \"{}\" WHERE id > ?1", t.name), [self.known])?;
        }
        let mut read = self.server.client.transaction().map_err(|e| super::refusal(&target, e))?;
        for t in log {
            copy::load_rows(&mut read, local, t, &format!("id > {}", self.known), &target)?;
        }
        read.commit().map_err(|e| super::refusal(&target, e))?;
        Ok(())
    }
}

/// The replica's tables emptied and filled from the snapshot `read`: the server's last entry.
fn load_replica(
    tables: &[Table],
    target: &Target,
    conn: &Connection,
    read: &mut postgres::Transaction<'_>,
) -> Result<i64> {
    let tx = conn.unchecked_transaction()?;
    for (name, _) in triggers::stored(&tx)? {
        tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
    }
    // The log's guards: the replica's log is the server's, replaced whole at each reading
    // (on the server the log is append-only by privilege).
    let guards: Vec<String> = tx
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('audit', 'audit_seal')",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in guards {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    for t in tables.iter().rev() {
        tx.execute_batch(&format!("DELETE FROM \"{}\"", t.name))?;
    }
    copy::load(read, &tx, tables, target)?;
    let known: i64 = read
        .query_one("SELECT coalesce(max(id), 0) FROM audit", &[])
        .map_err(|e| super::refusal(target, e))?
        .get(0);
    triggers::make(&tx)?;
    tx.commit()?;
    Ok(known)
}

/// The SQL and values that do one change on the server (`None`: an update that changed nothing).
/// An update or delete names the row by its key and every other column's old value.
fn statement(t: &Table, change: &Change) -> Option<(String, Vec<Box<dyn ToSql + Sync>>)> {
    let cols = &t.columns;
    let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    let mut param = |v: &rusqlite::types::Value, kind| {
        values.push(Cell::from_sqlite(v.clone()).to_pg(kind));
        format!("${}", values.len())
    };
    let sql = match change.action {
        Action::Insert => {
            let marks: Vec<String> = cols.iter().zip(&change.new).map(|(c, v)| param(v, c.kind)).collect();
            format!("INSERT INTO \"{}\" ({}) VALUES ({})", t.name, t.column_list(), marks.join(", "))
        }
        Action::Update => {
            let set: Vec<String> = cols
                .iter()
                .zip(change.old.iter().zip(&change.new))
                .filter(|(_, (old, new))| old != new)
                .map(|(c, (_, new))| format!("\"{}\" = {}", c.name, param(new, c.kind)))
                .collect();
            if set.is_empty() {
                return None;
            }
            let matched = matching(t, &change.old, &mut param);
            format!("UPDATE \"{}\" SET {} WHERE {matched}", t.name, set.join(", "))
        }
        Action::Delete => {
            let matched = matching(t, &change.old, &mut param);
            format!("DELETE FROM \"{}\" WHERE {matched}", t.name)
        }
    };
    Some((sql, values))
}

/// The row as it was read: its key (which the index finds) and every other column's value.
fn matching(
    t: &Table,
    old: &[rusqlite::types::Value],
    param: &mut dyn FnMut(&rusqlite::types::Value, schema::Kind) -> String,
) -> String {
    t.columns
        .iter()
        .zip(old)
        .map(|(c, v)| {
            let p = param(v, c.kind);
            if t.key.contains(&c.name) {
                format!("\"{}\" = {p}", c.name)
            } else {
                format!("\"{}\" IS NOT DISTINCT FROM {p}", c.name)
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The key the log names a changed row by: its own `key`, or (a link) its record's.
fn record_key(t: &Table, change: &Change, local: &Connection) -> Option<String> {
    let row = if change.old.is_empty() { &change.new } else { &change.old };
    let text = |v: &rusqlite::types::Value| match v {
        rusqlite::types::Value::Text(s) => Some(s.clone()),
        _ => None,
    };
    if let Some(i) = t.columns.iter().position(|c| c.name == "key") {
        return text(&row[i]);
    }
    let (column, parent, _) = t.refs.first()?;
    let i = t.columns.iter().position(|c| c.name == *column)?;
    local.query_row(&format!("SELECT key FROM \"{parent}\" WHERE id = ?1"), [&row[i]], |r| r.get(0)).ok()
}

/// The latest entry about the record after `after`: who changed it meanwhile.
fn last_entry(
    reader: Reader<'_>,
    table: &str,
    key: &str,
    after: i64,
) -> Result<Option<crate::store::AuditEntry>> {
    let id: Option<i64> = reader.conn.query_row(
        "SELECT max(id) FROM audit WHERE table_name = ?1 AND record_key = ?2 AND id > ?3",
        rusqlite::params![table, key, after],
        |r| r.get(0),
    )?;
    match id {
        Some(id) => reader.audit_entry(id),
        None => Ok(None),
    }
}

/// The server's refusal of a change: a lack of privilege is the role's limit, a key taken or a
/// record gone is another desk's change at the same moment.
fn classify(target: &Target, e: postgres::Error) -> Refusal {
    use postgres::error::SqlState;
    let Some(db) = e.as_db_error() else { return Refusal::Store(super::refusal(target, e)) };
    let code = db.code();
    if [SqlState::UNIQUE_VIOLATION, SqlState::FOREIGN_KEY_VIOLATION].contains(code) {
        let what = db.table().map_or_else(String::new, |t| format!("a record of {t}"));
        return Refusal::Collision(what);
    }
    if [SqlState::T_R_SERIALIZATION_FAILURE, SqlState::T_R_DEADLOCK_DETECTED].contains(code) {
        return Refusal::Collision(String::new());
    }
    Refusal::Store(super::refusal(target, e))
}
