//! Writing output files safely: owner-only, and never a half-written file under the final name.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written beside its final path, renamed into place by [`PendingFile::finish`].
/// Dropped unfinished, it removes itself.
pub struct PendingFile {
    temp: PathBuf,
    dest: PathBuf,
    out: Option<BufWriter<File>>,
}

impl PendingFile {
    /// Creates the temporary file (mode 0600: exports may hold children's records).
    pub fn create(dest: &Path) -> std::io::Result<PendingFile> {
        let name = dest.file_name().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "the output path has no file name")
        })?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".{}.partial", std::process::id()));
        let temp = dest.with_file_name(temp_name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&temp)?;
        Ok(PendingFile { temp, dest: dest.to_path_buf(), out: Some(BufWriter::new(file)) })
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.out.as_mut().expect("open until finished")
    }

    /// Flushes to disk and moves the file to its final name.
    pub fn finish(mut self) -> std::io::Result<()> {
        let out = self.out.take().expect("open until finished");
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&self.temp, &self.dest)
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if self.out.is_some() {
            self.out = None;
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}
