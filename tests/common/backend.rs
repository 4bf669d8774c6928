//! Where a test's desks keep the district: a file, or a database on the test's PostgreSQL server
//! (tests/common/pg.rs) with logins of each role: `ann` staff, `rita` reader, `ada` admin. The
//! same scenario runs on both and must end the same.

use super::pg;
use caseload::store::Store;
use caseload::store::server::{self, Server, Target};
use std::path::PathBuf;

pub enum Backend {
    /// The folder is held so that it lasts as long as the backend.
    File(#[allow(dead_code)] tempfile::TempDir, PathBuf),
    Server(String),
}

impl Backend {
    /// A new, empty database file.
    pub fn file() -> Backend {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("district.db");
        drop(Store::open(&path).unwrap());
        Backend::File(dir, path)
    }

    /// A new server database made by `server init`; `None` when there is no PostgreSQL (said by
    /// `pg::database`).
    pub fn server() -> Option<Backend> {
        let db = pg::database()?;
        let owner = db.split_whitespace().find_map(|p| p.strip_prefix("user=")).unwrap().to_string();
        let mut s = Server::connect(&target(&db, &owner)).unwrap();
        // Roles and grants belong to the whole server: one test at a time makes them.
        static ROLES: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one = ROLES.lock().unwrap_or_else(|e| e.into_inner());
        server::init(&mut s).unwrap();
        for (login, role) in
            [("ann", "caseload_staff"), ("rita", "caseload_reader"), ("ada", "caseload_admin")]
        {
            s.execute(&format!(
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN CREATE ROLE {login} LOGIN; END IF; END $$;
                 GRANT {role} TO {login};"
            ))
            .unwrap();
        }
        Some(Backend::Server(db))
    }

    /// The file, and the server when there is one.
    pub fn both() -> Vec<Backend> {
        let mut out = vec![Backend::file()];
        out.extend(Backend::server());
        out
    }

    /// A desk: a store opened by the login `who` (a file's desks are all the one user).
    pub fn desk(&self, who: &str) -> Store {
        match self {
            Backend::File(_, path) => Store::open(path).unwrap(),
            Backend::Server(db) => Store::open_server(&target(db, who)).unwrap(),
        }
    }

    /// What `--db` names for the login `who`.
    pub fn db_arg(&self, who: &str) -> std::ffi::OsString {
        match self {
            Backend::File(_, path) => path.clone().into_os_string(),
            Backend::Server(db) => pg::caseload_url(db, who).into(),
        }
    }

    pub fn is_server(&self) -> bool {
        matches!(self, Backend::Server(_))
    }
}

/// The server database `conninfo` names, for the login `who`.
pub fn target(conninfo: &str, who: &str) -> Target {
    Target::parse(&pg::caseload_url(conninfo, who), &|_| None).unwrap()
}
