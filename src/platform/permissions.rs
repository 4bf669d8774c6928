//! Files private to their owner: exports and databases may hold children's records.
//!
//! Unix: new files are made with mode 0600 (the database's may be 0660 in a team's shared
//! folder, see [`shared_folder`]), and a new temporary file is never opened through a link.
//!
//! Windows has no mode bits. A new file takes the access list its folder passes down; the data
//! folder is in the user's own profile (`AppData`, see `directories`), whose folders grant access
//! to that user, the system and administrators only: that is what "owner-only" means there.
//! Files written to another folder (an export to a shared drive) get that folder's access list;
//! no access list of our own is set (no well-kept pure-Rust crate does it, and a hand-made one
//! could lock out the council's own IT). A new temporary file is opened as the name itself, not
//! what a link there leads to (FILE_FLAG_OPEN_REPARSE_POINT), as O_NOFOLLOW does on Unix.

use std::fs::OpenOptions;
use std::path::Path;

/// Makes `options` create a file with `mode` (Unix permission bits). Nothing on Windows.
pub fn create_with_mode(options: &mut OpenOptions, mode: u32) {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, mode);
    #[cfg(windows)]
    let _ = (options, mode);
}

/// Makes `options` create a temporary file readable by its owner only, never through a link.
pub fn private_temporary(options: &mut OpenOptions) {
    create_with_mode(options, 0o600);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(options, nix::fcntl::OFlag::O_NOFOLLOW.bits());
    #[cfg(windows)]
    std::os::windows::fs::OpenOptionsExt::custom_flags(
        options,
        windows_sys::Win32::Storage::FileSystem::FILE_FLAG_OPEN_REPARSE_POINT,
    );
}

/// Sets a file's mode bits (Unix); nothing on Windows.
pub fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(windows)]
    {
        let _ = (path, mode);
        Ok(())
    }
}

/// Takes away any of a file's mode bits not in `allowed`, adding none; a missing file is left
/// alone. Nothing on Windows (see the module's words on access lists).
pub fn narrow(path: &Path, allowed: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else { return Ok(()) };
        let mode = meta.permissions().mode() & 0o777;
        if mode & !allowed != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & allowed))?;
        }
        Ok(())
    }
    #[cfg(windows)]
    {
        let _ = (path, allowed);
        Ok(())
    }
}

/// Whether the file's folder is a team's shared folder: group-writable with the setgid bit, so
/// files made in it belong to its group (the usual shared folder on a Linux host). Never on
/// Windows, where sharing is the folder's access list.
pub fn shared_folder(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let folder = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::metadata(folder).is_ok_and(|m| m.permissions().mode() & 0o2070 == 0o2070)
    }
    #[cfg(windows)]
    {
        let _ = path;
        false
    }
}

/// Creates a folder (and its parents) that only its owner may enter (0700 on Unix).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
