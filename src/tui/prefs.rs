//! What the application remembers for its user between sessions (the export folder), in a small
//! file of the user's own configuration folder, readable by them alone.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prefs {
    /// The folder returns were last exported to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_folder: Option<PathBuf>,
    /// The staff member (key) the user is, for "my cases".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub me: Option<String>,
    /// Where they are kept; `None`: nowhere (tests, and when the user has no home).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl Prefs {
    /// `preferences.json` in the user's configuration folder for caseload.
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "caseload").map(|d| d.config_dir().join("preferences.json"))
    }

    /// What was remembered; nothing when the file is missing or unreadable (it is a convenience).
    /// A file that gives a setting twice is refused, naming it: which value was meant?
    pub fn load(path: Option<PathBuf>) -> Result<Prefs, String> {
        let read = path.as_deref().and_then(|p| std::fs::read(p).ok());
        let mut prefs: Prefs = match read.map(|b| crate::json::from_slice(&b)) {
            Some(Ok(prefs)) => prefs,
            Some(Err(e @ crate::json::JsonError::KeyTwice(_))) => {
                let shown = path.as_deref().unwrap_or(Path::new("")).display().to_string();
                return Err(format!("{shown}: {e} (or delete the file: it only remembers folders)"));
            }
            Some(Err(crate::json::JsonError::Invalid(_))) | None => Prefs::default(),
        };
        prefs.path = path;
        Ok(prefs)
    }

    /// Writes them whole (a new file renamed into place), owner-only.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let temp = path.with_extension("json.new");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        crate::platform::permissions::create_with_mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        std::io::Write::write_all(&mut file, &serde_json::to_vec_pretty(self).unwrap_or_default())?;
        file.sync_all()?;
        crate::platform::replace::replace(&temp, path)
    }

    /// The folder to offer for an export: the one used last while it exists, else the default.
    pub fn export_folder_or(&self, default: impl FnOnce() -> PathBuf) -> PathBuf {
        self.export_folder.clone().filter(|f| Path::new(f).is_dir()).unwrap_or_else(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_folder_is_remembered_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conf/preferences.json");
        let mut prefs = Prefs::load(Some(path.clone())).unwrap();
        assert_eq!(prefs.export_folder, None);
        prefs.export_folder = Some(dir.path().to_path_buf());
        prefs.save().unwrap();
        let again = Prefs::load(Some(path.clone())).unwrap();
        assert_eq!(again.export_folder_or(|| PathBuf::from("/nowhere")), dir.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // A folder since removed is not offered.
        let gone = Prefs { export_folder: Some(dir.path().join("gone")), ..Prefs::default() };
        assert_eq!(gone.export_folder_or(|| PathBuf::from("/default")), PathBuf::from("/default"));
        std::fs::write(&path, "not json").unwrap();
        assert_eq!(
            Prefs::load(Some(path.clone())).unwrap().export_folder,
            None,
            "an unreadable file is not an error"
        );
        // A setting given twice: which was meant? Refused, naming the file and the setting.
        std::fs::write(&path, r#"{"me": "S1", "me": "S2"}"#).unwrap();
        let refused = Prefs::load(Some(path.clone())).unwrap_err();
        assert!(
            refused.contains("preferences.json") && refused.contains("\"me\" is given twice"),
            "{refused}"
        );
    }
}
