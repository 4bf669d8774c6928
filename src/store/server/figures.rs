//! A return read where the records are: its aggregate queries (`store::returns`, the same text
//! as on a file) run on the server, and only the few small tables a return reads itself (the
//! district's name, term dates, manual figures and notes, monitoring meetings) are copied. A
//! year's return of a large district then costs the server's queries, not a copy of every record.
//!
//! Everything is read in one read-only REPEATABLE READ transaction held while the store is open,
//! so every figure of the return sees the same moment of the server's database. A year's seven
//! periods are shared between this connection and two more on the same moment (the snapshot
//! exported by the first), so the server works on them side by side.

use super::Server;
use super::copy::{check_version, load};
use super::schema::{self, Table};
use crate::store::aggregate::{Aggregates, Cells, Params, Query};
use crate::store::returns::{PeriodCounts, PeriodDates, period_counts};
use crate::store::{Result, Store, StoreError, triggers};
use postgres::types::{FromSql, ToSql, Type};
use rusqlite::types::Value;
use std::collections::HashMap;
use std::sync::Mutex;

/// The tables a return reads from its own connection; every other table's figures come from
/// the server, and the tables are left out of the copy (so a read of them fails, never
/// silently finds nothing).
const COPIED: [&str; 5] =
    ["district", "term_dates", "manual_measures", "measure_notes", "monitoring_meetings"];

/// Connections that read a year's periods side by side (this one and two helpers).
const CONNECTIONS: usize = 3;

/// The server connection the figures are read on, in its open snapshot.
pub(crate) struct Figures {
    state: Mutex<State>,
    /// The snapshot's name, for a helper connection to read the same moment.
    snapshot: String,
}

struct State {
    server: Server,
    /// Each query prepared once: a year's return runs each of them seven times.
    prepared: HashMap<String, (postgres::Statement, Vec<String>)>,
}

/// A store for a return from the server: the small tables copied, the figures read there.
pub fn figures_of(mut server: Server) -> Result<Store> {
    check_version(&mut server)?;
    let snapshot = begin(&mut server, None)?;
    let target = server.target().clone();
    let mut store = Store::open_in_memory()?;
    let (copied, left): (Vec<Table>, Vec<Table>) =
        schema::tables(&store.conn)?.into_iter().partition(|t| COPIED.contains(&t.name.as_str()));
    store.conn.pragma_update(None, "foreign_keys", false)?;
    let tx = store.conn.transaction()?;
    for (name, _) in triggers::stored(&tx)? {
        tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    load(&mut server.client, &tx, &copied, &target)?;
    for t in left.iter().rev() {
        tx.execute_batch(&format!("DROP TABLE \"{}\"", t.name))?;
    }
    tx.commit()?;
    store.figures = Some(Box::new(Figures::of(server, snapshot)));
    Ok(store)
}

/// Starts the connection's read-only snapshot (the moment `of` names, when given): its name.
fn begin(server: &mut Server, of: Option<&str>) -> Result<String> {
    let mut sql = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;".to_string();
    if let Some(name) = of {
        sql.push_str(&format!("SET TRANSACTION SNAPSHOT '{}';", name.replace('\'', "")));
    }
    server.client.batch_execute(&sql).map_err(|e| server.error(e))?;
    let row = server.client.query_one("SELECT pg_export_snapshot()", &[]).map_err(|e| server.error(e))?;
    Ok(row.get(0))
}

impl Figures {
    fn of(server: Server, snapshot: String) -> Figures {
        Figures { state: Mutex::new(State { server, prepared: HashMap::new() }), snapshot }
    }

    /// The counts of each period, in order, the periods shared between this connection and
    /// helpers on the same moment (the longest periods first). A helper that cannot connect
    /// leaves its share to the others.
    pub(crate) fn period_counts_of(&self, periods: &[PeriodDates]) -> Result<Vec<PeriodCounts>> {
        let mut order: Vec<usize> = (0..periods.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(periods[i].end.days_since(periods[i].start)));
        let left = Mutex::new(order.into_iter());
        let next = || left.lock().unwrap_or_else(|e| e.into_inner()).next();
        let target = self.state.lock().unwrap_or_else(|e| e.into_inner()).server.target().clone();
        let helpers = CONNECTIONS.min(periods.len()).saturating_sub(1);
        let work = |figures: &Figures| {
            let mut done = Vec::new();
            while let Some(i) = next() {
                done.push((i, period_counts(&Query(figures), periods[i])?));
            }
            Ok::<_, StoreError>(done)
        };
        let (mine, theirs) = std::thread::scope(|scope| {
            let theirs: Vec<_> = (0..helpers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut server = Server::connect(&target)?;
                        begin(&mut server, Some(&self.snapshot))?;
                        work(&Figures::of(server, self.snapshot.clone()))
                    })
                })
                .collect();
            (work(self), theirs.into_iter().map(|t| t.join()).collect::<Vec<_>>())
        });
        let mut counts: Vec<Option<PeriodCounts>> = vec![None; periods.len()];
        for (i, c) in mine? {
            counts[i] = Some(c);
        }
        // A helper's failure is not the return's: what it took and did not finish is done here.
        for (i, c) in theirs.into_iter().filter_map(|t| t.ok()).filter_map(|r| r.ok()).flatten() {
            counts[i] = Some(c);
        }
        counts
            .into_iter()
            .zip(periods)
            .map(|(c, p)| c.map_or_else(|| period_counts(&Query(self), *p), Ok))
            .collect()
    }
}

impl Aggregates for Figures {
    fn rows(
        &self,
        sql: &str,
        params: Params<'_>,
        each: &mut dyn FnMut(&Cells) -> rusqlite::Result<()>,
    ) -> Result<()> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let State { server, prepared } = &mut *state;
        if !prepared.contains_key(sql) {
            let (text, names) = numbered(sql);
            let statement = server.client.prepare(&text).map_err(|e| server.error(e))?;
            prepared.insert(sql.to_string(), (statement, names));
        }
        let Some((statement, names)) = prepared.get(sql) else { return Ok(()) };
        let mut values: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(names.len());
        for name in names {
            let Some((_, value)) = params.iter().find(|(k, _)| k == name) else {
                return Err(StoreError::Server(format!("a query of the return was given no {name}")));
            };
            values.push(value);
        }
        let rows = server.client.query(statement, &values).map_err(|e| server.error(e))?;
        for row in rows {
            let cells = (0..row.len()).map(|i| cell(&row, i)).collect::<std::result::Result<_, _>>();
            each(&Cells(cells.map_err(|e| server.error(e))?))?;
        }
        Ok(())
    }
}

/// The query with its named parameters (`:s`) as the server's numbered ones (`$1`), and the
/// names in the order numbered. Quoted text and casts (`::`) are left as they are.
fn numbered(sql: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(sql.len());
    let mut names: Vec<String> = Vec::new();
    let mut chars = sql.chars().peekable();
    let (mut quoted, mut before) = (false, ' ');
    while let Some(c) = chars.next() {
        let starts_name = chars.peek().is_some_and(|n| n.is_ascii_alphabetic() || *n == '_');
        if c == '\'' {
            quoted = !quoted;
        } else if c == ':' && !quoted && before != ':' && starts_name {
            let mut name = String::from(":");
            while let Some(n) = chars.next_if(|n| n.is_ascii_alphanumeric() || *n == '_') {
                name.push(n);
            }
            let at = names.iter().position(|n| *n == name).unwrap_or_else(|| {
                names.push(name);
                names.len() - 1
            });
            out.push_str(&format!("${}", at + 1));
            before = '0';
            continue;
        }
        out.push(c);
        before = c;
    }
    (out, names)
}

/// One cell of the server's answer as the file's connection would give it: counts and sums
/// as integers (a sum on the server is `numeric`), figures as reals, codes as text.
fn cell(row: &postgres::Row, i: usize) -> std::result::Result<Value, postgres::Error> {
    let ty = row.columns()[i].type_().clone();
    Ok(match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map_or(Value::Null, Value::Integer),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map_or(Value::Null, |n| Value::Integer(n.into())),
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map_or(Value::Null, |n| Value::Integer(n.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map_or(Value::Null, |b| Value::Integer(b.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i)?.map_or(Value::Null, |f| Value::Real(f.into())),
        Type::NUMERIC => row.try_get::<_, Option<Numeric>>(i)?.map_or(Value::Null, |n| n.0),
        _ => row.try_get::<_, Option<String>>(i)?.map_or(Value::Null, Value::Text),
    })
}

/// A `numeric` from the server's binary form: an integer when it has no fraction and fits.
struct Numeric(Value);

impl<'a> FromSql<'a> for Numeric {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let word = |k: usize| {
            raw.get(2 * k..2 * k + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or("a numeric cut short")
        };
        let (digits, weight, sign, scale) = (word(0)?, word(1)? as i16, word(2)?, word(3)?);
        let negative = match sign {
            0x0000 => false,
            0x4000 => true,
            _ => return Err("a numeric that is not a number".into()),
        };
        // Base-10000 digits, the first of weight `weight`.
        let (mut whole, mut real) = (Some(0i128), 0f64);
        for k in 0..usize::from(digits) {
            let d = word(4 + k)?;
            let power = i32::from(weight) - k as i32;
            real += f64::from(d) * 10_000f64.powi(power);
            whole = match (whole, u32::try_from(power)) {
                (Some(w), Ok(p)) => 10_000i128
                    .checked_pow(p)
                    .and_then(|m| m.checked_mul(i128::from(d)))
                    .and_then(|x| w.checked_add(x)),
                _ => None,
            };
        }
        let sign = if negative { -1 } else { 1 };
        Ok(Numeric(match whole.map(|w| w * sign).and_then(|w| i64::try_from(w).ok()) {
            Some(n) if scale == 0 => Value::Integer(n),
            _ => Value::Real(real * sign as f64),
        }))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_parameters_become_numbered_once_each_and_casts_and_quotes_are_kept() {
        let (sql, names) = numbered("SELECT ':x', a::text FROM t WHERE d BETWEEN :s AND :e OR d = :s");
        assert_eq!(sql, "SELECT ':x', a::text FROM t WHERE d BETWEEN $1 AND $2 OR d = $1");
        assert_eq!(names, [":s", ":e"]);
    }

    #[test]
    fn a_servers_numeric_is_read_as_an_integer_or_a_real() {
        let numeric = |words: &[u16]| {
            let raw: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
            Numeric::from_sql(&Type::NUMERIC, &raw).map(|n| n.0)
        };
        // 123456789 = 1·10000² + 2345·10000 + 6789; 0; -12.5; a NaN.
        assert_eq!(numeric(&[3, 2, 0, 0, 1, 2345, 6789]).unwrap(), Value::Integer(123_456_789));
        assert_eq!(numeric(&[0, 0, 0, 0]).unwrap(), Value::Integer(0));
        assert_eq!(numeric(&[2, 0, 0x4000, 1, 12, 5000]).unwrap(), Value::Real(-12.5));
        assert!(numeric(&[0, 0, 0xC000, 0]).is_err() && numeric(&[3, 0]).is_err());
    }
}
