//! What the application remembers for its user between sessions (the export folder, who they
//! are), for each database, in a small file of the user's own configuration folder, readable by
//! them alone.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What is remembered, for one database: each district's database has its own (who I am in one
/// team's database is nobody in another's).
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
    /// The database they are for (its full path), the key in the file.
    #[serde(skip)]
    pub database: String,
}

/// The file: the preferences of each database, by the database's full path.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PrefsFile {
    #[serde(default)]
    databases: BTreeMap<String, Prefs>,
}

/// caseload's folder in the user's configuration folder (`~/.config/caseload` on Linux): the
/// preferences and the user's own `keymap.txt`.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "caseload").map(|d| d.config_dir().to_path_buf())
}

/// The name a database is remembered by: its full path (as given when it cannot be resolved).
fn database_key(database: Option<&Path>) -> String {
    match database {
        Some(p) => std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string(),
        None => "(in memory)".to_string(),
    }
}

impl Prefs {
    /// `preferences.json` in the user's configuration folder for caseload.
    pub fn default_path() -> Option<PathBuf> {
        config_dir().map(|d| d.join("preferences.json"))
    }

    /// Reads the file; an empty one when it is missing or unreadable (it is a convenience). A file
    /// that gives a setting twice is refused, naming it: which value was meant?
    fn read_file(path: Option<&Path>) -> Result<PrefsFile, String> {
        let read = path.and_then(|p| std::fs::read(p).ok());
        match read.map(|b| crate::json::from_slice::<PrefsFile>(&b)) {
            Some(Ok(file)) => Ok(file),
            Some(Err(e @ crate::json::JsonError::KeyTwice(_))) => {
                let shown = path.unwrap_or(Path::new("")).display().to_string();
                Err(format!("{shown}: {e} (or delete the file: it only remembers folders and who you are)"))
            }
            Some(Err(crate::json::JsonError::Invalid(_))) | None => Ok(PrefsFile::default()),
        }
    }

    /// What was remembered for this database.
    pub fn load(path: Option<PathBuf>, database: Option<&Path>) -> Result<Prefs, String> {
        let database = database_key(database);
        let mut file = Prefs::read_file(path.as_deref())?;
        let mut prefs = file.databases.remove(&database).unwrap_or_default();
        prefs.path = path;
        prefs.database = database;
        Ok(prefs)
    }

    /// Writes them whole (a new file renamed into place), owner-only.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        if let Some(folder) = path.parent() {
            crate::platform::permissions::create_private_dir(folder)?;
        }
        // The other databases' preferences are kept as they are in the file now.
        let mut whole = Prefs::read_file(Some(path)).map_err(std::io::Error::other)?;
        whole.databases.insert(self.database.clone(), self.clone());
        let temp = path.with_extension("json.new");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        crate::platform::permissions::create_with_mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        std::io::Write::write_all(&mut file, &serde_json::to_vec_pretty(&whole).unwrap_or_default())?;
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
        let db = dir.path().join("district.db");
        let mut prefs = Prefs::load(Some(path.clone()), Some(&db)).unwrap();
        assert_eq!(prefs.export_folder, None);
        prefs.export_folder = Some(dir.path().to_path_buf());
        prefs.me = Some("ST-1".into());
        prefs.save().unwrap();
        let again = Prefs::load(Some(path.clone()), Some(&db)).unwrap();
        assert_eq!(again.export_folder_or(|| PathBuf::from("/nowhere")), dir.path());
        assert_eq!(again.me.as_deref(), Some("ST-1"));
        // Another database: nobody yet, and saving it keeps the first one's.
        let other = dir.path().join("other.db");
        let mut second = Prefs::load(Some(path.clone()), Some(&other)).unwrap();
        assert_eq!((second.me.clone(), second.export_folder.clone()), (None, None), "per database");
        second.me = Some("ST-9".into());
        second.save().unwrap();
        assert_eq!(Prefs::load(Some(path.clone()), Some(&db)).unwrap().me.as_deref(), Some("ST-1"));
        assert_eq!(Prefs::load(Some(path.clone()), Some(&other)).unwrap().me.as_deref(), Some("ST-9"));
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
            Prefs::load(Some(path.clone()), Some(&db)).unwrap().export_folder,
            None,
            "an unreadable file is not an error"
        );
        // A setting given twice: which was meant? Refused, naming the file and the setting.
        std::fs::write(&path, r#"{"databases": {"x": {"me": "S1", "me": "S2"}}}"#).unwrap();
        let refused = Prefs::load(Some(path.clone()), Some(&db)).unwrap_err();
        assert!(
            refused.contains("preferences.json") && refused.contains(".me\" is given twice"),
            "{refused}"
        );
    }
}
