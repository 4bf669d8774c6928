//! Moving a finished file over its final name. Unix: `rename`, which replaces the old file even
//! while another program reads it. Windows: a file another program holds open without sharing
//! delete access (Excel holds a workbook so, as long as it is open) cannot be replaced; virus
//! scanners and the search indexer hold new files the same way for a moment. So the move is tried
//! again for a while, then refused with words naming the file, not "access denied".

use std::path::Path;

/// Moves `from` over `to`. When `to` is held open by another program until the retries run out,
/// the error's kind is [`std::io::ErrorKind::ResourceBusy`] and its text says what to do.
pub fn replace(from: &Path, to: &Path) -> std::io::Result<()> {
    replace_with(from, to, RETRIES, std::time::Duration::from_millis(100))
}

/// How often a move that another program blocks is tried again (at 100 ms apart: two seconds).
const RETRIES: u32 = 20;

fn replace_with(from: &Path, to: &Path, retries: u32, wait: std::time::Duration) -> std::io::Result<()> {
    let mut tries = 0;
    loop {
        match std::fs::rename(from, to) {
            Ok(()) => return Ok(()),
            Err(e) if held_by_another_program(&e, to) => {
                if tries >= retries {
                    return Err(open_elsewhere(to));
                }
                tries += 1;
                std::thread::sleep(wait);
            }
            Err(e) => return Err(e),
        }
    }
}

/// The error said when the old file stays open in another program.
pub fn open_elsewhere(to: &Path) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ResourceBusy,
        format!(
            "{} is open in another program (Excel or a browser, perhaps): close it there and try again (it was left as it was)",
            to.display()
        ),
    )
}

#[cfg(unix)]
fn held_by_another_program(_e: &std::io::Error, _to: &Path) -> bool {
    // Unix never refuses a rename because the old file is open.
    false
}

#[cfg(windows)]
fn held_by_another_program(e: &std::io::Error, to: &Path) -> bool {
    use windows_sys::Win32::Foundation::{
        ERROR_ACCESS_DENIED, ERROR_LOCK_VIOLATION, ERROR_SHARING_VIOLATION,
    };
    let held = [ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_ACCESS_DENIED];
    // Access is denied for a file marked read-only too: that is not another program's doing, and
    // the caller's own words for a permission say it.
    let read_only = std::fs::metadata(to).is_ok_and(|m| m.permissions().readonly());
    e.raw_os_error().is_some_and(|code| held.contains(&(code as u32))) && to.exists() && !read_only
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let (new, old) = (dir.path().join("new"), dir.path().join("old"));
        std::fs::write(&new, "new").unwrap();
        std::fs::write(&old, "old").unwrap();
        replace(&new, &old).unwrap();
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "new");
        assert!(!new.exists());
    }

    /// What Excel does to a workbook it has open: no sharing of delete access.
    #[cfg(windows)]
    #[test]
    fn a_file_open_elsewhere_is_refused_in_words_then_replaced_once_closed() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (new, old) = (dir.path().join("new.xlsx"), dir.path().join("old.xlsx"));
        std::fs::write(&new, "new").unwrap();
        std::fs::write(&old, "old").unwrap();
        let held = std::fs::OpenOptions::new().read(true).share_mode(1 /* read only */).open(&old).unwrap();
        let e = replace_with(&new, &old, 2, std::time::Duration::from_millis(10)).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::ResourceBusy, "{e}");
        assert!(e.to_string().contains("is open in another program"), "{e}");
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "old", "the old file is as it was");
        drop(held);
        replace(&new, &old).unwrap();
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "new");
    }

    /// A scanner that holds the file for a moment: the retries outlast it.
    #[cfg(windows)]
    #[test]
    fn a_file_held_for_a_moment_is_replaced_after_it_is_let_go() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (new, old) = (dir.path().join("new.csv"), dir.path().join("old.csv"));
        std::fs::write(&new, "new").unwrap();
        std::fs::write(&old, "old").unwrap();
        let held = std::fs::OpenOptions::new().read(true).share_mode(1).open(&old).unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(held);
        });
        replace(&new, &old).unwrap();
        release.join().unwrap();
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "new");
    }
}
