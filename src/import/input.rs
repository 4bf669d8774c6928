//! Opening the file an import reads: once. A regular file can be read again (to find the line of
//! a record a later check names); standard input (`-`), a pipe (`<(cat file)`) or a named pipe
//! is a stream, read once as it comes, since opening it again would find it already read.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// An input, open once.
pub struct Input {
    /// Its bytes, from the start.
    pub reader: Box<dyn Read + Send>,
    /// A regular file's size (for progress); 0 for a stream.
    pub size: u64,
    /// A regular file, to read again from its start: the same file, not whatever the name now
    /// leads to. `None` for a stream.
    pub again: Option<File>,
}

/// How long a named pipe is waited for before saying so.
const QUIET_WAIT: Duration = Duration::from_secs(1);
/// How long a named pipe is waited for at most: a writer that never starts must not leave the
/// command waiting for ever.
pub const PIPE_WAIT: Duration = Duration::from_secs(120);

/// Opens `path` (`-`: standard input) to be read once.
pub fn open(path: &Path) -> std::io::Result<Input> {
    if path.as_os_str() == "-" {
        return Ok(Input { reader: Box::new(std::io::stdin()), size: 0, again: None });
    }
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::IsADirectory, "it is a folder, not a file"));
    }
    if meta.is_file() {
        let file = File::open(path)?;
        let again = file.try_clone()?;
        return Ok(Input { reader: Box::new(file), size: meta.len(), again: Some(again) });
    }
    Ok(Input { reader: Box::new(open_stream(path)?), size: 0, again: None })
}

/// Opens a pipe or device. Opening a named pipe waits for a program to start writing to it:
/// after a second the wait is told on stderr, and after [`PIPE_WAIT`] it is given up.
fn open_stream(path: &Path) -> std::io::Result<File> {
    let (sent, opened) = mpsc::channel();
    let owned = path.to_path_buf();
    // The thread is left behind only when the wait is given up, and the command then ends.
    std::thread::spawn(move || sent.send(File::open(owned)));
    match opened.recv_timeout(QUIET_WAIT) {
        Ok(result) => return result,
        Err(mpsc::RecvTimeoutError::Disconnected) => return Err(std::io::ErrorKind::BrokenPipe.into()),
        Err(mpsc::RecvTimeoutError::Timeout) => {}
    }
    eprintln!(
        "waiting for a program to write to {} (a pipe); start it, or press Ctrl-C to stop",
        path.display()
    );
    opened.recv_timeout(PIPE_WAIT - QUIET_WAIT).unwrap_or_else(|_| {
        Err(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("no program wrote to it within {} seconds", PIPE_WAIT.as_secs()),
        ))
    })
}
