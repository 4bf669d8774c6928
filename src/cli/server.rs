//! `caseload server init` and `caseload copy --to/--from`: a district's database on a PostgreSQL
//! server (docs/server.md).

use super::{Cli, Failure, Outcome, db_path, open_store};
use crate::store::server::{self, Server};

/// The server `text` names, connected.
pub fn connect(text: &str) -> Result<Server, Failure> {
    let target = server::target_from(text).map_err(|e| Failure::input(e.to_string()))?;
    Ok(Server::connect(&target)?)
}

/// The server database `url` names, opened to read and write records through a working copy.
pub fn open_to_write(url: &str) -> Result<crate::store::Store, Failure> {
    let target = server::target_from(url).map_err(|e| Failure::input(e.to_string()))?;
    Ok(crate::store::Store::open_server(&target)?)
}

/// The database `--db` names when it is a server address (not a file's path).
pub fn server_db(cli: &Cli) -> Option<String> {
    let text = cli.db.as_ref()?.to_str()?;
    server::is_server(text).then(|| text.to_string())
}

/// `server init`: the schema, the roles and their grants, on the server `--db` names.
pub fn init(cli: &Cli) -> Outcome {
    let Some(url) = server_db(cli) else {
        return Err(Failure::input(
            "caseload server init is run on a server database: give it with --db postgres://LOGIN@HOST/DATABASE",
        ));
    };
    let mut server = connect(&url)?;
    let done = server::init(&mut server)?;
    let target = server.target();
    if done.created_schema {
        eprintln!("made the caseload schema in {target}");
    } else {
        eprintln!("{target} had the caseload schema already: its records are as they were");
    }
    for role in &done.created_roles {
        eprintln!("made the role {role}");
    }
    eprintln!(
        "granted: {} (everything), {} (read and change records), {} (read only). \
         Give each person's login one of them: GRANT caseload_staff TO login;",
        server::ROLES[0],
        server::ROLES[1],
        server::ROLES[2]
    );
    Ok(())
}

/// `copy --to URL`: this file's database into an empty server database; `copy --from URL`: a
/// server database into a new file (`--db`). Both checked whole.
pub fn copy(cli: &Cli, to: Option<&str>, from: Option<&str>) -> Outcome {
    if server_db(cli).is_some() {
        return Err(Failure::input(
            "copy moves between a file and a server: --db names the file, --to or --from the server",
        ));
    }
    match (to, from) {
        (Some(url), None) => {
            let store = open_store(cli)?;
            let mut server = connect(url)?;
            let copied = server::copy_to_server(&store, &mut server)?;
            say_copied(&copied, &format!("to {}", server.target()));
            Ok(())
        }
        (None, Some(url)) => {
            let path = db_path(cli)?;
            let mut server = connect(url)?;
            let (_store, copied) = server::copy_from_server(&mut server, &path)?;
            say_copied(&copied, &format!("from {} to {}", server.target(), path.display()));
            Ok(())
        }
        _ => Err(Failure::input("copy needs one of --to URL or --from URL")),
    }
}

fn say_copied(copied: &server::Copied, whither: &str) {
    let count = |name: &str| copied.tables.iter().find(|(t, _)| t == name).map_or(0, |(_, n)| *n);
    let records: u64 = copied
        .tables
        .iter()
        .filter(|(t, _)| !["audit", "audit_seal", "erasures"].contains(&t.as_str()))
        .map(|(_, n)| n)
        .sum();
    eprintln!(
        "copied {records} rows of records and {} audit entries {whither}; checked: every table is the same on both sides",
        count("audit")
    );
}
