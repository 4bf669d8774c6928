//! The operating system's name for the person running the program, for the audit log.

/// The account the program runs as. Unix: the effective user id's account. Windows: the
/// logged-on user (GetUserNameW), as `DOMAIN\user` when `USERDOMAIN` names a domain.
#[cfg(unix)]
pub fn account_name() -> Option<String> {
    let user = nix::unistd::User::from_uid(nix::unistd::geteuid()).ok()??;
    (!user.name.is_empty()).then_some(user.name)
}

/// The account the program runs as. Unix: the effective user id's account. Windows: the
/// logged-on user (GetUserNameW), as `DOMAIN\user` when `USERDOMAIN` names a domain.
#[cfg(windows)]
pub fn account_name() -> Option<String> {
    use windows_sys::Win32::System::WindowsProgramming::GetUserNameW;
    // A user name is at most 256 characters (UNLEN), and the terminating zero.
    let mut name = [0u16; 257];
    let mut len = name.len() as u32;
    // SAFETY: the buffer is as long as `len` says; Windows writes at most that and sets `len`.
    if unsafe { GetUserNameW(name.as_mut_ptr(), &mut len) } == 0 {
        return None;
    }
    let used = (len as usize).saturating_sub(1).min(name.len());
    let user = String::from_utf16_lossy(&name[..used]);
    if user.trim().is_empty() {
        return None;
    }
    Some(match std::env::var("USERDOMAIN") {
        Ok(domain) if !domain.trim().is_empty() => format!("{domain}\\{user}"),
        _ => user,
    })
}

/// What the audit log says when no name can be found.
pub fn unknown_user() -> String {
    #[cfg(unix)]
    {
        format!("uid {}", nix::unistd::geteuid())
    }
    #[cfg(windows)]
    {
        "unknown user".to_string()
    }
}
