//! Files private to their owner: exports and databases may hold children's records.
//!
//! Unix: new files are made with mode 0600 (the database's may be 0660 in a team's shared
//! folder, see `store::open::file_mode`), and a new temporary file is never opened through a link.
//!
//! Windows has no mode bits. A new file takes the access list its folder passes down; the data
//! folder is in the user's own profile (`AppData`, see `directories`), whose folders grant access
//! to that user, the system and administrators only: that is what "owner-only" means there.
//! Files written to another folder (an export to a shared drive) get that folder's access list;
//! no access list of our own is set (no well-kept pure-Rust crate does it, and a hand-made one
//! could lock out the council's own IT). A new temporary file is opened as the name itself, not
//! what a link there leads to (FILE_FLAG_OPEN_REPARSE_POINT), as O_NOFOLLOW does on Unix.

use std::fs::OpenOptions;

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
