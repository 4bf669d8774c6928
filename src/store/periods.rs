//! The aggregates of several periods at once (a year's return has seven: the year and its six
//! terms), shared between two connections on two cores.
//!
//! Both connections must see the same moment. The second one opens its own read transaction and
//! compares the audit log's last entry with the first's: every committed change of any record
//! adds an entry (the log's triggers are part of the schema), so equal last entries mean equal
//! data. If they differ, or the second connection cannot be opened, the first one does the rest.
//! (A return read on a server shares its periods between server connections: `server::figures`.)

use super::returns::{PeriodCounts, PeriodDates};
use super::{Reader, Result, Snapshot, classify};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::sync::Mutex;

/// The audit log's last entry: the version of the data a read transaction sees.
fn version(reader: Reader<'_>) -> Result<i64> {
    Ok(reader.conn.query_row("SELECT coalesce(max(id), 0) FROM audit", [], |r| r.get(0))?)
}

/// Periods not yet taken: this thread takes from the front, the helper from the back.
type Left = Mutex<std::ops::Range<usize>>;

/// Takes the next period from the front, never the last: that one is always the helper's, so
/// its check of the moment is never skipped by a fast first thread (and the tests see it work).
fn take_front(left: &Left) -> Option<usize> {
    let mut r = left.lock().unwrap_or_else(|e| e.into_inner());
    (r.start + 1 < r.end).then(|| {
        r.start += 1;
        r.start - 1
    })
}

fn take_back(left: &Left) -> Option<usize> {
    let mut r = left.lock().unwrap_or_else(|e| e.into_inner());
    (r.start < r.end).then(|| {
        r.end -= 1;
        r.end
    })
}

/// The helper's share: a read-only connection of its own, on the moment of `version_wanted`
/// (nothing if the database has moved on since).
fn helper(
    path: &Path,
    version_wanted: i64,
    periods: &[PeriodDates],
    left: &Left,
) -> Result<Vec<(usize, PeriodCounts)>> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(classify)?;
    conn.busy_timeout(super::busy_timeout())?;
    conn.pragma_update(None, "cache_size", super::open::CACHE_SIZE)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred).map_err(classify)?;
    let reader = Reader { conn: &tx, figures: None };
    let mut done = Vec::new();
    if version(reader)? != version_wanted {
        return Ok(done);
    }
    while let Some(i) = take_back(left) {
        done.push((i, reader.period_counts(periods[i])?));
    }
    Ok(done)
}

impl Snapshot<'_> {
    /// The counts of each period, in order, as [`Reader::period_counts`] gives them one by one.
    /// For a database file, a second connection on another thread takes a share.
    pub fn period_counts_of(&self, periods: &[PeriodDates]) -> Result<Vec<PeriodCounts>> {
        if let Some(server) = self.figures {
            return server.period_counts_of(periods);
        }
        let reader = self.reader();
        let Some(path) = self.path.filter(|_| periods.len() > 1) else {
            return periods.iter().map(|p| reader.period_counts(*p)).collect();
        };
        let wanted = version(reader)?;
        let left: Left = Mutex::new(0..periods.len());
        let (mine, theirs) = std::thread::scope(|scope| {
            let theirs = scope.spawn(|| helper(path, wanted, periods, &left));
            let mut mine = Vec::new();
            while let Some(i) = take_front(&left) {
                mine.push((i, reader.period_counts(periods[i])));
            }
            (mine, theirs.join())
        });
        let mut counts: Vec<Option<PeriodCounts>> = vec![None; periods.len()];
        for (i, c) in mine {
            counts[i] = Some(c?);
        }
        // The helper's failure is not the return's: what it did not do is done here.
        for (i, c) in theirs.ok().and_then(|r| r.ok()).unwrap_or_default() {
            counts[i] = Some(c);
        }
        counts.into_iter().zip(periods).map(|(c, p)| c.map_or_else(|| reader.period_counts(*p), Ok)).collect()
    }
}
