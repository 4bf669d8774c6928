//! The audit log's hash chain (migration 0003): each entry sealed with SHA-256 of the seal before
//! it and of its own content, when the change that wrote it commits. Verifying walks the chain:
//! an entry changed or removed by another program breaks it; one written by another program has
//! no seal; a record whose stored state differs from its last logged state was changed without
//! the log (its triggers dropped for the while).

use super::keys::table;
use super::{Reader, Result};
use crate::domain::RecordKind;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The seal of an entry before version 7: the seal before it, then each field with its length
/// (or absent). Kept to check seals no migration has seen yet.
fn seal_of(before: &[u8; 32], id: i64, fields: [Option<&str>; 7]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(before);
    h.update(id.to_le_bytes());
    hash_fields(&mut h, fields);
    h.finalize().into()
}

fn hash_fields(h: &mut Sha256, fields: [Option<&str>; 7]) {
    for field in fields {
        match field {
            Some(text) => {
                h.update([0u8]);
                h.update((text.len() as u64).to_le_bytes());
                h.update(text.as_bytes());
            }
            None => h.update([0xFFu8]),
        }
    }
}

/// The hash of an entry's own content (version 7 on): kept beside its seal, so that once the
/// entry is redacted its seal can still be checked.
fn content_of(id: i64, fields: [Option<&str>; 7]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"caseload audit entry");
    h.update(id.to_le_bytes());
    hash_fields(&mut h, fields);
    h.finalize().into()
}

/// The seal of an entry (version 7 on): the seal before it and the hash of its content.
fn link_of(before: &[u8; 32], id: i64, content: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(before);
    h.update(id.to_le_bytes());
    h.update(content);
    h.finalize().into()
}

/// A 32-byte hash read back (a column's CHECK keeps its length).
fn hash32(bytes: Vec<u8>) -> [u8; 32] {
    bytes.try_into().unwrap_or([0; 32])
}

const ENTRIES: &str = "SELECT a.id, a.at, a.os_user, a.table_name, a.record_key, a.op, a.old, a.new";

/// The original content of a redacted entry is gone: its stored content hash stands for it.
const GUARD_SEALS: &str = "CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal
BEGIN
    SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;";

type Entry = (i64, [Option<String>; 7]);

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?]))
}

fn fields(e: &Entry) -> [Option<&str>; 7] {
    std::array::from_fn(|i| e.1[i].as_deref())
}

/// The last seal, and the entry it seals (zeros and 0 before the first).
fn last_seal(conn: &Connection) -> rusqlite::Result<(i64, [u8; 32])> {
    let found: Option<(i64, Vec<u8>)> = conn
        .query_row("SELECT id, hash FROM audit_seal ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .ok();
    Ok(match found {
        Some((id, hash)) => (id, hash32(hash)),
        None => (0, [0; 32]),
    })
}

/// Seals the entries written after `from` (this transaction's own: those before it, if any are
/// unsealed, were written by another program and stay unsealed, as evidence).
pub(super) fn seal(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    let (last, mut before) = last_seal(conn)?;
    let mut read = conn.prepare_cached(&format!("{ENTRIES} FROM audit a WHERE a.id > ?1 ORDER BY a.id"))?;
    let mut write = conn.prepare_cached("INSERT INTO audit_seal (id, hash, content) VALUES (?1, ?2, ?3)")?;
    let mut rows = read.query([last.max(from)])?;
    while let Some(row) = rows.next()? {
        let e = entry(row)?;
        let content = content_of(e.0, fields(&e));
        before = link_of(&before, e.0, &content);
        write.execute(params![e.0, &before[..], &content[..]])?;
    }
    Ok(())
}

/// Migration 7: every seal made so far is made again under the new rule, with its entry's
/// content hash. A seal that did not hold under the old rule is made one that cannot hold under
/// the new, so the evidence of an entry changed outside caseload survives the migration.
pub(super) fn seal_again_with_content(conn: &Connection) -> rusqlite::Result<()> {
    let mut read = conn
        .prepare(&format!("{ENTRIES}, s.hash FROM audit a JOIN audit_seal s ON s.id = a.id ORDER BY a.id"))?;
    let mut write = conn.prepare("UPDATE audit_seal SET hash = ?2, content = ?3 WHERE id = ?1")?;
    let (mut old_before, mut new_before) = ([0u8; 32], [0u8; 32]);
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let e = entry(row)?;
        let stored = hash32(row.get(8)?);
        let content = content_of(e.0, fields(&e));
        new_before = if stored == seal_of(&old_before, e.0, fields(&e)) {
            link_of(&new_before, e.0, &content)
        } else {
            let mut h = Sha256::new();
            h.update(b"a seal that did not hold before version 7");
            h.update(stored);
            h.finalize().into()
        };
        old_before = stored;
        write.execute(params![e.0, &new_before[..], &content[..]])?;
    }
    conn.execute_batch(GUARD_SEALS)
}

/// What a redacted entry's old and new values become: when, and under which erasure.
pub(super) fn marker(erasure: &str, at: &str) -> String {
    serde_json::json!({ "redacted": at, "erasure": erasure }).to_string()
}

/// Redacts the entries `ids` for the erasure `erasure`: their old and new values become a
/// marker saying when and under which erasure, and their record key becomes `key` (the record's
/// key, which for the child is the new one). Their seals keep the hash of what they held, so the
/// chain still links. Entries already redacted are left as they are.
pub(super) fn redact(
    conn: &Connection,
    ids: &[i64],
    erasure: &str,
    at: &str,
    key_of: &dyn Fn(&str) -> String,
) -> rusqlite::Result<usize> {
    let marker = marker(erasure, at);
    let mut read = conn.prepare_cached("SELECT record_key FROM audit WHERE id = ?1 AND redacted IS NULL")?;
    let mut write = conn.prepare_cached(
        "UPDATE audit SET record_key = ?2, redacted = ?3,
             old = CASE WHEN old IS NULL THEN NULL ELSE ?4 END,
             new = CASE WHEN new IS NULL THEN NULL ELSE ?4 END
         WHERE id = ?1",
    )?;
    let mut done = 0;
    for id in ids {
        let Some(record_key) = read.query_row([id], |r| r.get::<_, String>(0)).optional()? else { continue };
        done += write.execute(params![id, key_of(&record_key), erasure, marker])?;
    }
    Ok(done)
}

/// How many entries of the log are redacted.
pub(super) fn redacted(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM audit WHERE redacted IS NOT NULL", [], |r| r.get(0))
}

/// The columns migrations added to tables whose records the log already held: (version, table,
/// the columns as the log names them).
const ADDED_COLUMNS: &[(i64, &str, &[&str])] = &[
    (4, "lift_meetings", &["focus"]),
    (5, "visits", &["purpose", "notes"]),
    (5, "reviews", &["target"]),
    (7, "district", &["retention"]),
    (8, "settings", &["link_teacher"]),
    (8, "cases", &["open_reason", "senif"]),
    (8, "targets", &["review_by"]),
    (8, "lift_meetings", &["status", "deadline"]),
    (
        8,
        "clinics",
        &[
            "to_lift_communication_interaction",
            "to_lift_cognition_learning",
            "to_lift_semh",
            "to_lift_sensory_physical",
        ],
    ),
];

/// After migrating from version `found` to `target`: for each table that gained columns since, logs, for
/// each record whose last entry is its stored state but for all those columns, their arrival in
/// one entry, so that every record still agrees with its last entry (and one changed outside
/// caseload before still does not). One entry per record, whichever versions added them.
pub(super) fn log_added_columns(conn: &Connection, found: i64, target: i64) -> rusqlite::Result<()> {
    let mut tables: Vec<(&str, Vec<&str>, Vec<i64>)> = Vec::new();
    for (version, t, columns) in ADDED_COLUMNS.iter().filter(|(v, ..)| *v > found && *v <= target) {
        match tables.iter_mut().find(|(name, ..)| name == t) {
            Some((_, all, versions)) => {
                all.extend(columns.iter());
                versions.push(*version);
            }
            None => tables.push((t, columns.to_vec(), vec![*version])),
        }
    }
    for (t, columns, mut versions) in tables {
        versions.dedup();
        let by = match versions.as_slice() {
            [one] => format!("a field added by version {one}"),
            many => format!(
                "fields added by versions {}",
                many.iter().map(i64::to_string).collect::<Vec<_>>().join(" and ")
            ),
        };
        let paths: Vec<String> = columns.iter().map(|c| format!("'$.{c}'")).collect();
        let state = super::triggers::logged_state(conn, t, "x")?;
        let last = format!(
            "(SELECT new FROM audit WHERE record_key = x.key AND table_name = '{t}' ORDER BY id DESC LIMIT 1)"
        );
        conn.execute_batch(&format!(
            "INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
             SELECT caseload_now(), 'caseload ({by})', '{t}', x.key, 'update', {last}, {state}
             FROM {t} AS x
             WHERE json_remove({state}, {paths}) IS {last} AND {state} IS NOT {last}",
            paths = paths.join(", ")
        ))?;
    }
    Ok(())
}

/// Logs, once, the records that have no entry yet (written before the log existed), so that every
/// record can be checked against its last entry.
pub(super) fn baseline(conn: &Connection) -> rusqlite::Result<()> {
    for kind in RecordKind::ALL {
        let t = table(*kind);
        if !super::triggers::table_exists(conn, t)? {
            continue;
        }
        let state = super::triggers::logged_state(conn, t, "x")?;
        conn.execute_batch(&format!(
            "INSERT INTO audit (at, os_user, table_name, record_key, op, new)
             SELECT caseload_now(), 'caseload (a record from before the audit log)', '{t}',
                    x.key, 'insert', {state}
             FROM {t} AS x
             WHERE NOT EXISTS (SELECT 1 FROM audit WHERE record_key = x.key AND table_name = '{t}')"
        ))?;
    }
    Ok(())
}

/// The first broken link of the chain, entries with no seal, seals with no entry, and records
/// whose stored state is not their last logged one: in words; empty when the log is whole.
pub(super) fn problems(reader: Reader<'_>) -> Result<Vec<String>> {
    let conn = reader.conn;
    let mut out = Vec::new();
    let mut before = [0u8; 32];
    let mut broken = false;
    let mut stmt = conn.prepare(&format!(
        "{ENTRIES}, s.hash, s.content, a.redacted IS NOT NULL FROM audit a LEFT JOIN audit_seal s ON s.id = a.id
         ORDER BY a.id"
    ))?;
    let mut rows = stmt.query([])?;
    let describe = |e: &Entry| {
        let f = |i: usize| e.1[i].as_deref().unwrap_or("");
        format!(
            "entry {} ({} by {}: {} {} {})",
            e.0,
            f(0),
            f(1),
            f(4),
            f(2),
            crate::domain::text::shown(f(3))
        )
    };
    let mut unsealed = 0;
    while let Some(row) = rows.next()? {
        let e = entry(row)?;
        let stored: Option<Vec<u8>> = row.get(8)?;
        match stored {
            None => {
                unsealed += 1;
                if unsealed <= 5 {
                    out.push(format!(
                        "the audit log's {} was written by another program (it has no seal)",
                        describe(&e)
                    ));
                }
            }
            Some(hash) => {
                let kept: Option<Vec<u8>> = row.get(9)?;
                let redacted: bool = row.get(10)?;
                let expected = match kept.map(hash32) {
                    // Sealed before version 7 and not yet sealed again: the old rule.
                    None => seal_of(&before, e.0, fields(&e)),
                    // A redacted entry is checked by the content hash its seal keeps.
                    Some(content) if redacted => link_of(&before, e.0, &content),
                    // Any other entry must still hash to the content its seal keeps.
                    Some(content) => {
                        let now = content_of(e.0, fields(&e));
                        if now == content { link_of(&before, e.0, &content) } else { [0; 32] }
                    }
                };
                if hash.as_slice() != expected && !broken {
                    broken = true;
                    out.push(format!(
                        "the audit log's chain is broken at {}: it, or an entry before it, was changed or removed \
                         outside caseload",
                        describe(&e)
                    ));
                }
                before = hash32(hash);
            }
        }
    }
    out.extend(redacted_without_erasure(conn)?);
    if unsealed > 5 {
        out.push(format!("... {} more entries with no seal", unsealed - 5));
    }
    let removed: Vec<i64> = conn
        .prepare("SELECT id FROM audit_seal WHERE id NOT IN (SELECT id FROM audit) ORDER BY id LIMIT 5")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in removed {
        out.push(format!("the audit log's entry {id} was removed outside caseload (its seal remains)"));
    }
    out.extend(unlogged_states(reader)?);
    Ok(out)
}

/// Redacted entries that no erasure recorded later in the log accounts for (redacted by another
/// program), at most five.
fn redacted_without_erasure(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT a.id FROM audit a WHERE a.redacted IS NOT NULL AND NOT EXISTS (
                 SELECT 1 FROM audit e WHERE e.table_name = 'erasures' AND e.op = 'insert'
                     AND e.record_key = a.redacted AND e.redacted IS NULL AND e.id > a.id)
             ORDER BY a.id LIMIT 5",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids
        .into_iter()
        .map(|id| {
            format!("the audit log's entry {id} was redacted outside caseload (no erasure accounts for it)")
        })
        .collect())
}

/// Records whose stored state is not what their last entry in the log says (changed while the
/// log's triggers were dropped), at most five per table.
fn unlogged_states(reader: Reader<'_>) -> Result<Vec<String>> {
    let conn = reader.conn;
    let mut out = Vec::new();
    for kind in RecordKind::ALL {
        let t = table(*kind);
        let object = super::triggers::logged_state(conn, t, "x")?;
        let sql = format!(
            "SELECT x.key FROM {t} AS x WHERE {object} IS NOT
                 (SELECT new FROM audit WHERE record_key = x.key AND table_name = '{t}' ORDER BY id DESC LIMIT 1)
             LIMIT 5"
        );
        let keys: Vec<String> =
            conn.prepare(&sql)?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        for key in keys {
            out.push(format!(
                "the {} {} is not as the audit log last recorded it: it was changed outside caseload",
                kind.label(),
                crate::domain::text::shown(&key)
            ));
        }
    }
    Ok(out)
}
