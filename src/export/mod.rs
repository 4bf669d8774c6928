//! Formats at the edge going out: the records file (dump) and the termly return.

pub mod dump;
pub mod figures;
pub mod files;
pub mod returns;
pub mod xlsx;

pub use figures::Suppression;
pub use returns::Format;

use crate::kpi::report::Return;

/// A return written in a format, as bytes (JSON and CSV are UTF-8 text).
pub fn render(r: &Return, format: Format, suppression: Suppression) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        Format::Json => returns::write_json(r, suppression, &mut out).map_err(|e| e.to_string())?,
        Format::Csv => returns::write_csv(r, suppression, &mut out).map_err(|e| e.to_string())?,
        Format::Xlsx => out = xlsx::workbook(r, suppression).map_err(|e| e.to_string())?,
    }
    Ok(out)
}
