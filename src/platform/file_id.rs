//! What a file is, whatever its name: it stays the same while the file is the same file, and
//! changes when another file is put in its place. Unix: its device and inode. Windows: its
//! volume's serial number and its file index (GetFileInformationByHandle).

use std::path::Path;

/// The identity of the file at `path` (links followed), or None when it cannot be read.
#[cfg(unix)]
pub fn of(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// The identity of the file at `path` (links followed), or None when it cannot be read.
#[cfg(windows)]
pub fn of(path: &Path) -> Option<(u64, u64)> {
    use std::os::windows::{fs::OpenOptionsExt, io::AsRawHandle};
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, FILE_FLAG_BACKUP_SEMANTICS, FILE_SHARE_DELETE, FILE_SHARE_READ,
        FILE_SHARE_WRITE, GetFileInformationByHandle,
    };
    // No access asked for (only its information is read), every sharing allowed (another program
    // may have it open), and folders too (the backup flag is how Windows opens a folder).
    let file = std::fs::OpenOptions::new()
        .access_mode(0)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
        .open(path)
        .ok()?;
    // SAFETY: the structure is plain data, filled by the call below.
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: the handle is open for the whole call and `info` is a valid place to write.
    if unsafe { GetFileInformationByHandle(file.as_raw_handle(), &mut info) } == 0 {
        return None;
    }
    let index = (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow);
    Some((u64::from(info.dwVolumeSerialNumber), index))
}

/// Whether opening failed because links lead round in a circle (Unix ELOOP; Windows "the name of
/// the file cannot be resolved", ERROR_CANT_RESOLVE_FILENAME).
pub fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    let code = nix::errno::Errno::ELOOP as i32;
    #[cfg(windows)]
    let code = windows_sys::Win32::Foundation::ERROR_CANT_RESOLVE_FILENAME as i32;
    e.raw_os_error() == Some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_keeps_its_identity_until_another_takes_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let (db, other) = (dir.path().join("district.db"), dir.path().join("other.db"));
        std::fs::write(&db, "a").unwrap();
        std::fs::write(&other, "b").unwrap();
        let first = of(&db).expect("a file's identity is read");
        std::fs::write(&db, "changed in place").unwrap();
        assert_eq!(of(&db), Some(first), "the same file written again");
        assert_ne!(of(&other), Some(first), "two files");
        std::fs::rename(&other, &db).unwrap();
        assert_ne!(of(&db), Some(first), "another file renamed into its place");
        assert!(of(dir.path()).is_some(), "a folder has one too");
        assert_eq!(of(&dir.path().join("gone")), None);
    }
}
