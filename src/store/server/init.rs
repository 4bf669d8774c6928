//! `caseload server init`: run once by IT as the database's owner. Makes the schema, the three
//! roles and their grants, and the audit log's triggers; run again, it leaves the data alone and
//! puts the grants back as they should be.

use super::Server;
use super::schema;
use crate::store::{SCHEMA_VERSION, Store, StoreError};

/// The roles IT grants to logins: everything; read and write records; read only.
pub const ROLES: [&str; 3] = ["caseload_admin", "caseload_staff", "caseload_reader"];

/// The version `server init` wrote, or 0 when it never ran on this database.
pub(super) fn schema_version(client: &mut postgres::Client) -> Result<i64, postgres::Error> {
    let exists: bool =
        client.query_one("SELECT to_regclass('public.caseload_schema') IS NOT NULL", &[])?.get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client.query_opt("SELECT version FROM caseload_schema", &[])?.map_or(0, |r| r.get(0)))
}

/// What `server init` did, to say to IT.
pub struct Initialised {
    pub created_schema: bool,
    pub created_roles: Vec<&'static str>,
}

/// Makes the schema (when the database has none), the roles (those missing) and the grants.
pub fn init(server: &mut Server) -> Result<Initialised, StoreError> {
    let found = server.schema_version()?;
    let target = server.target.clone();
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: target.to_string().into(), found, supported: SCHEMA_VERSION });
    }
    if found != 0 && found < SCHEMA_VERSION {
        return Err(StoreError::Server(format!(
            "the server database {target} holds schema version {found}, older than this program's \
             ({SCHEMA_VERSION}); upgrading a server's schema in place is not yet done by caseload: copy it to a \
             file (caseload copy --from), make a new server database, and copy it back (caseload copy --to)"
        )));
    }
    let shape = Store::open_in_memory_with(crate::clock::Clock::from_env())?;
    let tables = schema::tables(&shape.conn)?;
    let mut sql = String::new();
    if found == 0 {
        let taken: bool = server
            .client
            .query_one("SELECT to_regclass('public.district') IS NOT NULL OR to_regclass('public.audit') IS NOT NULL", &[])
            .map_err(|e| server.error(e))?
            .get(0);
        if taken {
            return Err(StoreError::Server(format!(
                "the server database {target} has tables of another program (district, audit) but no caseload \
                 schema: give caseload a database of its own"
            )));
        }
        sql.push_str(schema::HELPERS);
        sql.push_str(&schema::tables_ddl(&shape.conn, &tables)?);
        sql.push_str(&schema::audit_ddl(&shape.conn, &tables)?);
        sql.push_str(schema::SEAL);
        sql.push_str(&notify_ddl());
        sql.push_str(&format!("CREATE TABLE caseload_schema (version bigint NOT NULL);\nINSERT INTO caseload_schema VALUES ({SCHEMA_VERSION});\n"));
    }
    let created_roles = make_roles(server)?;
    sql.push_str(&grants());
    let mut tx = server.client.transaction().map_err(|e| refusal(&target, e))?;
    tx.batch_execute(&sql).map_err(|e| refusal(&target, e))?;
    tx.commit().map_err(|e| refusal(&target, e))?;
    Ok(Initialised { created_schema: found == 0, created_roles })
}

fn refusal(target: &super::Target, e: postgres::Error) -> StoreError {
    super::refusal(target, e)
}

/// Every change to records tells the desks listening (`LISTEN caseload_changes`), once per
/// statement, when its transaction commits: their views refresh within a moment.
fn notify_ddl() -> String {
    let mut out = String::from(
        "CREATE FUNCTION caseload_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('caseload_changes', TG_TABLE_NAME);
    RETURN NULL;
END $$;
",
    );
    for t in schema::record_tables() {
        out.push_str(&format!(
            "CREATE TRIGGER {t}_notify AFTER INSERT OR UPDATE OR DELETE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION caseload_notify();\n"
        ));
    }
    out
}

/// The roles missing, made (roles belong to the whole server: another district's database on it
/// may have made them already).
fn make_roles(server: &mut Server) -> Result<Vec<&'static str>, StoreError> {
    let mut made = Vec::new();
    for role in ROLES {
        let exists: bool = server
            .client
            .query_one("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", &[&role])
            .map_err(|e| server.error(e))?
            .get(0);
        if exists {
            continue;
        }
        match server.client.batch_execute(&format!("CREATE ROLE {role} NOLOGIN")) {
            Ok(()) => made.push(role),
            // Made meanwhile by another database's init on the same server.
            Err(e) if e.code() == Some(&postgres::error::SqlState::DUPLICATE_OBJECT) => {}
            Err(e) => {
                let why = e.as_db_error().map_or_else(|| e.to_string(), |d| d.message().to_string());
                return Err(StoreError::Server(format!(
                    "the role {role} could not be made ({why}): ask the server's administrator to run \
                 CREATE ROLE {role} NOLOGIN; (and the same for {}), then run caseload server init again",
                    ROLES.join(", ")
                )));
            }
        }
    }
    Ok(made)
}

/// Readers read everything; staff also change records; admins also record erasures. No role may
/// write the audit log or its seals: only the triggers do, with the owner's rights.
fn grants() -> String {
    let [admin, staff, reader] = ROLES;
    let records = schema::record_tables().join(", ");
    format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO {reader}, {staff}, {admin};
GRANT {reader} TO {staff};
GRANT {staff} TO {admin};
GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader};
GRANT INSERT, UPDATE, DELETE ON {records} TO {staff};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {staff};
GRANT INSERT ON erasures TO {admin};
"
    )
}
