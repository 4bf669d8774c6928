//! A district's database on a PostgreSQL server (docs/server.md): the connection (address, password
//! file, TLS through rustls), `server init` (the schema, the roles and their grants, the audit
//! log's triggers), and copies between a file and a server, checked whole.
//!
//! The server's tables mirror the file's, column for column, generated from the file's schema as
//! this program makes it (`schema`), so a table a later migration adds has its server counterpart
//! without a second list to keep in step.

mod copy;
mod figures;
mod init;
mod live;
mod replay;
mod schema;
mod target;
mod tls;

pub use copy::{Copied, copy_from_server, copy_to_server, replica_of};
pub(crate) use figures::Figures;
pub use figures::figures_of;
pub use init::{Initialised, ROLES, init};
pub(crate) use live::Live;
pub(super) use replay::note_erasure;
pub use target::{SslMode, Target, is_server, pgpass_lookup};

use super::StoreError;

/// An open connection to a server database.
pub struct Server {
    pub(super) client: postgres::Client,
    target: Target,
}

impl Server {
    /// Connects to `target`, the password from `PGPASSWORD` or the password file when the server
    /// asks for one. TLS as `sslmode` says, with the server's certificate checked.
    pub fn connect(target: &Target) -> Result<Server, StoreError> {
        let mut config = postgres::Config::new();
        config
            .host(&target.host)
            .port(target.port)
            .user(&target.user)
            .dbname(&target.dbname)
            .application_name("caseload")
            .connect_timeout(std::time::Duration::from_secs(10));
        if let Some(password) = password_for(target) {
            config.password(password);
        }
        let client = match target.sslmode {
            SslMode::Disable => {
                config.ssl_mode(postgres::config::SslMode::Disable);
                config.connect(postgres::NoTls)
            }
            mode => {
                config.ssl_mode(if mode == SslMode::Prefer {
                    postgres::config::SslMode::Prefer
                } else {
                    postgres::config::SslMode::Require
                });
                config.connect(tls::connector().map_err(StoreError::Server)?)
            }
        }
        .map_err(|e| connect_error(target, e))?;
        Ok(Server { client, target: target.clone() })
    }

    /// The server database, as it may be shown (no password).
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The schema version the server's database holds (0: `server init` was never run).
    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        init::schema_version(&mut self.client).map_err(|e| self.error(e))
    }

    /// The server's refusal in words: a lack of privilege as the role's limit, the rest with the
    /// server named.
    pub(super) fn error(&self, e: postgres::Error) -> StoreError {
        refusal(&self.target, e)
    }
}

fn refusal(target: &Target, e: postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(db) if *db.code() == postgres::error::SqlState::INSUFFICIENT_PRIVILEGE => {
            StoreError::RoleCannotWrite(db.message().to_string())
        }
        Some(db) => StoreError::Server(format!("the server {target} refused: {}", db.message())),
        None => StoreError::Server(format!("the connection to the server {target} failed: {e}")),
    }
}

fn connect_error(target: &Target, e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    match e.as_db_error() {
        Some(db)
            if [SqlState::INVALID_PASSWORD, SqlState::INVALID_AUTHORIZATION_SPECIFICATION]
                .contains(db.code()) =>
        {
            StoreError::Server(format!(
                "the server {target} refused the login {}: {} (the password comes from PGPASSWORD or the \
                 password file, pgpass)",
                target.user,
                db.message()
            ))
        }
        Some(db) => {
            StoreError::Server(format!("the server {target} refused the connection: {}", db.message()))
        }
        None => StoreError::Server(format!("the server {target} refused the connection: {e}")),
    }
}

/// `PGPASSWORD`, else the first matching line of the password file (`PGPASSFILE`, else
/// `~/.pgpass`, or `%APPDATA%\postgresql\pgpass.conf` on Windows).
fn password_for(target: &Target) -> Option<String> {
    if let Ok(p) = std::env::var("PGPASSWORD") {
        return Some(p);
    }
    let file = match std::env::var_os("PGPASSFILE") {
        Some(f) => std::path::PathBuf::from(f),
        None if cfg!(windows) => {
            std::path::PathBuf::from(std::env::var_os("APPDATA")?).join("postgresql/pgpass.conf")
        }
        None => directories::BaseDirs::new()?.home_dir().join(".pgpass"),
    };
    pgpass_lookup(&std::fs::read_to_string(file).ok()?, target)
}

/// The address given to `--db` read with this process's environment.
pub fn target_from(text: &str) -> Result<Target, StoreError> {
    Target::parse(text, &|k| std::env::var(k).ok().filter(|v| !v.is_empty())).map_err(StoreError::Server)
}

impl Server {
    /// Runs SQL on the server (IT's scripts, the tests), its refusal in the program's words.
    pub fn execute(&mut self, sql: &str) -> Result<(), StoreError> {
        self.client.batch_execute(sql).map_err(|e| self.error(e))
    }

    /// A read-only transaction that sees one moment of the server's database (a copy read from
    /// it is of one moment, whatever other desks commit meanwhile).
    pub(super) fn read_snapshot(&mut self) -> Result<postgres::Transaction<'_>, StoreError> {
        let target = self.target.clone();
        self.client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(|e| refusal(&target, e))
    }

    /// Asks the server to tell this connection of every change to records by another desk.
    pub fn listen(&mut self) -> Result<(), StoreError> {
        self.execute("LISTEN caseload_changes")
    }

    /// Waits up to `wait` for another desk's change (after [`Server::listen`]): true if one came.
    /// Every notice waiting is taken, so one refresh answers a burst of changes.
    pub fn changed_within(&mut self, wait: std::time::Duration) -> Result<bool, StoreError> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut notices = self.client.notifications();
        let first = notices.timeout_iter(wait).next();
        let came = match first {
            Ok(n) => n.is_some(),
            Err(e) => return Err(refusal(&self.target, e)),
        };
        while let Ok(Some(_)) = notices.iter().next() {}
        Ok(came)
    }
}
