//! Whether another program is still running, by its process id: the clean-up of temporary
//! files a killed program left behind removes only those of programs that have ended.

/// True only when it is certain that no process `pid` is running. Linux: no `/proc/<pid>`
/// (where there is no `/proc`, as on other Unixes, it cannot be told, so false).
#[cfg(unix)]
pub fn has_ended(pid: u32) -> bool {
    use std::path::Path;
    Path::new("/proc/self").exists() && !Path::new("/proc").join(pid.to_string()).exists()
}

/// True only when it is certain that no process `pid` is running. Windows: OpenProcess says
/// there is no such process, or the process has ended (its exit code is no longer STILL_ACTIVE).
/// A process the user may not look at (another user's) is taken to be running.
#[cfg(windows)]
pub fn has_ended(pid: u32) -> bool {
    use windows_sys::Win32::Foundation::{CloseHandle, ERROR_INVALID_PARAMETER, GetLastError, STILL_ACTIVE};
    use windows_sys::Win32::System::Threading::{
        GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
    };
    // SAFETY: plain calls; the handle, when there is one, is closed before returning.
    unsafe {
        let process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
        if process.is_null() {
            return GetLastError() == ERROR_INVALID_PARAMETER;
        }
        let mut code = 0u32;
        let ended = GetExitCodeProcess(process, &mut code) != 0 && code != STILL_ACTIVE as u32;
        CloseHandle(process);
        ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_process_that_has_ended_is_said_to_have_ended() {
        assert!(!has_ended(std::process::id()), "this program is running");
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        child.wait().unwrap();
        // Once waited for, its id is free (it could be reused, but not this soon in practice).
        if cfg!(target_os = "linux") || cfg!(windows) {
            assert!(has_ended(pid), "a finished child has ended");
        }
    }
}
