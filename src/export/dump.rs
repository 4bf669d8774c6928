//! `dump`: every stored record as a records file, in an order `import` can read as it stands.

use crate::store::{Reader, StoreError};
use std::io::Write;

/// Writes every record, one JSON object per line. Returns how many were written.
pub fn write_records(reader: Reader<'_>, out: &mut dyn Write) -> Result<usize, StoreError> {
    let mut count = 0;
    let io = |e: std::io::Error| StoreError::Io { path: "the dump output".into(), source: e };
    reader.each_record(&mut |record| {
        serde_json::to_writer(&mut *out, &record).map_err(|e| io(e.into()))?;
        out.write_all(b"\n").map_err(io)?;
        count += 1;
        Ok(())
    })?;
    out.flush().map_err(io)?;
    Ok(count)
}
