//! Writing documents into a folder: every one or none.

use super::Document;
use crate::files::{Output, OutputError, open_output_with};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes each document under its usual name into `folder` (owner-only, never over the database
/// or a file caseload did not write unless `force`). Every file is opened, and refused if it must
/// be, before any is written, and each is renamed into place only when all are written: a
/// meeting's sheets are there together or not at all. The paths written, in order.
pub fn into_folder(
    documents: &[Document],
    folder: &Path,
    database: Option<&Path>,
    force: bool,
) -> Result<Vec<PathBuf>, OutputError> {
    let mut files: Vec<Output> = Vec::with_capacity(documents.len());
    for doc in documents {
        files.push(open_output_with(&folder.join(&doc.file_name), &doc.file_name, database, force)?);
    }
    let failed = |path: &Path, source| OutputError::Io { path: path.to_path_buf(), source };
    for (file, doc) in files.iter_mut().zip(documents) {
        let path = file.path().to_path_buf();
        file.write_all(doc.html.as_bytes()).map_err(|e| failed(&path, e))?;
    }
    let mut written = Vec::with_capacity(files.len());
    for file in files {
        let path = file.path().to_path_buf();
        file.finish().map_err(|e| failed(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
