//! Where the return's aggregate queries run: on the file's connection, or on the server that
//! holds the records (`server::Figures`). Each query is one text for both, written in the SQL
//! the two share (a condition counted as `flag!`, not as SQLite's 0 or 1), so that the figures
//! are defined once and cannot drift between the backends.

use super::Result;
use rusqlite::types::{FromSql, FromSqlError, Value, ValueRef};

/// A query's named parameters (`:s`), each a text: the period's dates.
pub(crate) type Params<'a> = &'a [(&'a str, &'a str)];

/// A condition as 1 or 0, to sum or take the greatest of (PostgreSQL has no sum of booleans).
macro_rules! flag {
    ($cond:literal) => {
        concat!("(CASE WHEN ", $cond, " THEN 1 ELSE 0 END)")
    };
}

/// One row of an aggregate's answer, read as the file's rows are (`FromSql`).
pub(crate) struct Cells(pub(crate) Vec<Value>);

impl Cells {
    pub fn get<T: FromSql>(&self, i: usize) -> rusqlite::Result<T> {
        let v = self.0.get(i).ok_or(rusqlite::Error::InvalidColumnIndex(i))?;
        T::column_result(ValueRef::from(v)).map_err(|e| match e {
            FromSqlError::InvalidType => rusqlite::Error::InvalidColumnType(i, String::new(), v.data_type()),
            FromSqlError::OutOfRange(n) => rusqlite::Error::IntegralValueOutOfRange(i, n),
            other => rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(other)),
        })
    }
}

/// Runs one query and hands each row of its answer to `each`.
pub(crate) trait Aggregates {
    fn rows(
        &self,
        sql: &str,
        params: Params<'_>,
        each: &mut dyn FnMut(&Cells) -> rusqlite::Result<()>,
    ) -> Result<()>;
}

impl Aggregates for rusqlite::Connection {
    fn rows(
        &self,
        sql: &str,
        params: Params<'_>,
        each: &mut dyn FnMut(&Cells) -> rusqlite::Result<()>,
    ) -> Result<()> {
        let mut stmt = self.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let bound: Vec<(&str, &dyn rusqlite::ToSql)> =
            params.iter().map(|(k, v)| (*k, v as &dyn rusqlite::ToSql)).collect();
        let mut rows = stmt.query(bound.as_slice())?;
        while let Some(row) = rows.next()? {
            let cells = (0..columns).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<_>>()?;
            each(&Cells(cells))?;
        }
        Ok(())
    }
}

/// The grouping and single-row helpers the return's queries are written with.
pub(crate) struct Query<'q>(pub(crate) &'q dyn Aggregates);

impl Query<'_> {
    /// Runs a grouping query and hands each row to `each`.
    pub fn grouped(
        &self,
        sql: &str,
        params: Params<'_>,
        mut each: impl FnMut(&Cells) -> rusqlite::Result<()>,
    ) -> Result<()> {
        self.0.rows(sql, params, &mut each)
    }

    /// Runs a `key, count` query into a map.
    pub fn counted<K: FromSql + Ord>(
        &self,
        sql: &str,
        params: Params<'_>,
        into: &mut std::collections::BTreeMap<K, i64>,
    ) -> Result<()> {
        self.grouped(sql, params, |r| {
            into.insert(r.get(0)?, r.get(1)?);
            Ok(())
        })
    }

    /// Runs a query of one row (an aggregate without grouping) and hands it to `each`.
    pub fn one(
        &self,
        sql: &str,
        params: Params<'_>,
        mut each: impl FnMut(&Cells) -> rusqlite::Result<()>,
    ) -> Result<()> {
        let mut seen = false;
        self.0.rows(sql, params, &mut |r| {
            seen = true;
            each(r)
        })?;
        if seen { Ok(()) } else { Err(rusqlite::Error::QueryReturnedNoRows.into()) }
    }

    /// A single count.
    pub fn count(&self, sql: &str, params: Params<'_>) -> Result<i64> {
        let mut n = 0;
        self.one(sql, params, |r| {
            n = r.get(0)?;
            Ok(())
        })?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_the_same_cells_and_types_as_the_file_rows_do() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let q = Query(&conn);
        let mut got = Vec::new();
        q.grouped(concat!("SELECT :s, 2, 1.5, NULL, ", flag!("'a' = :s")), &[(":s", "a")], |r| {
            got.push((r.get::<String>(0)?, r.get::<i64>(1)?, r.get::<f64>(2)?, r.get::<Option<i64>>(3)?));
            assert!(r.get::<bool>(4)?);
            assert!(r.get::<String>(1).is_err() && r.get::<i64>(9).is_err());
            Ok(())
        })
        .unwrap();
        assert_eq!(got, [("a".to_string(), 2, 1.5, None)]);
        assert_eq!(q.count("SELECT count(*) FROM (SELECT 1 UNION SELECT 2)", &[]).unwrap(), 2);
        assert!(q.one("SELECT 1 WHERE 0", &[], |_| Ok(())).is_err());
    }
}
