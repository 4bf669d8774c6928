//! Whether a folder is on a network drive, where SQLite's locking cannot be trusted. The store
//! decides by Linux's filesystem type numbers (`statfs`), so Windows answers in the same terms.

use std::path::Path;

/// SMB's `statfs` number: what a Windows network share is (a `\\server\share` path, or a drive
/// letter mapped to one), so the store's refusal names it the same way on both systems.
#[cfg(windows)]
const SMB_MAGIC: u64 = 0x517B;

/// The filesystem type number of the folder `dir` (Linux `statfs`'s `f_type`), or None where it
/// cannot be told (other Unixes; `statfs` failing).
#[cfg(unix)]
pub fn filesystem_magic(dir: &Path) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let fs = nix::sys::statfs::statfs(dir).ok()?;
        #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
        let magic = fs.filesystem_type().0 as u64;
        Some(magic)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

/// SMB's number when the folder `dir` is on a network share: a `\\server\share` path (also in
/// its `\\?\UNC\` form) or a drive whose type is DRIVE_REMOTE (a mapped network drive). None for
/// a local drive or where the drive cannot be told.
#[cfg(windows)]
pub fn filesystem_magic(dir: &Path) -> Option<u64> {
    use std::os::windows::ffi::OsStrExt;
    use std::path::{Component, Prefix};
    use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;
    use windows_sys::Win32::System::WindowsProgramming::DRIVE_REMOTE;
    let full = std::path::absolute(dir).ok()?;
    let Some(Component::Prefix(prefix)) = full.components().next() else { return None };
    let letter = match prefix.kind() {
        Prefix::UNC(..) | Prefix::VerbatimUNC(..) => return Some(SMB_MAGIC),
        Prefix::Disk(letter) | Prefix::VerbatimDisk(letter) => letter,
        _ => return None,
    };
    let root: Vec<u16> =
        std::ffi::OsStr::new(&format!("{}:\\", char::from(letter))).encode_wide().chain(Some(0)).collect();
    // SAFETY: `root` is a zero-terminated wide string that lives for the call.
    let kind = unsafe { GetDriveTypeW(root.as_ptr()) };
    (kind == DRIVE_REMOTE).then_some(SMB_MAGIC)
}

#[cfg(all(test, windows))]
mod tests {
    use super::*;

    #[test]
    fn a_share_is_a_network_drive_and_a_local_folder_is_not() {
        assert_eq!(filesystem_magic(Path::new(r"\\server\share\caseload")), Some(SMB_MAGIC));
        assert_eq!(filesystem_magic(Path::new(r"\\?\UNC\server\share\caseload")), Some(SMB_MAGIC));
        let local = tempfile::tempdir().unwrap();
        assert_eq!(filesystem_magic(local.path()), None);
        assert_eq!(filesystem_magic(&std::fs::canonicalize(local.path()).unwrap()), None);
    }
}
