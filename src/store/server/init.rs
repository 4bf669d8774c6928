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
    sql.push_str(ERASURE);
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

/// An erasure's redaction of the log (src/store/erase.rs, as on a file): the entries about the
/// child from before the erasure (`redact`), and the erasure's own entries written since
/// `after` in this transaction, have their values replaced by the marker and the child's key by
/// the new one; their seals keep the hash of what they held, so the chain still verifies. Then
/// the records as they now stand and the erasure itself are logged (`appended`), naming the
/// login. The log is append-only by privilege: this function, run with the owner's rights and
/// executable by admins alone, is the one way an entry is changed, and only for an erasure this
/// transaction recorded. Returns the log's last entry.
const ERASURE: &str = r#"
CREATE OR REPLACE FUNCTION caseload_erasure(erasure text, marker text, old_key text, new_key text,
                                            redact bigint[], after bigint, appended json)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    e json;
    last bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM erasures WHERE key = erasure AND xmin::text = (txid_current() % 4294967296)::text) THEN
        RAISE EXCEPTION 'no erasure % was recorded by this transaction', erasure;
    END IF;
    UPDATE audit SET record_key = CASE WHEN record_key = old_key THEN new_key ELSE record_key END,
                     redacted = erasure,
                     old = CASE WHEN old IS NULL THEN NULL ELSE marker END,
                     new = CASE WHEN new IS NULL THEN NULL ELSE marker END
    WHERE redacted IS NULL
      AND (id = ANY (redact) OR (id > after AND xmin::text = (txid_current() % 4294967296)::text));
    FOR e IN SELECT value FROM json_array_elements(appended) LOOP
        IF NOT ((e->>'op' = 'update' AND e->>'old' = caseload_json(json_build_object('erasure', erasure)))
                OR (e->>'table_name' = 'erasures' AND e->>'op' = 'insert' AND e->>'record_key' = erasure)) THEN
            RAISE EXCEPTION 'an erasure adds only the records as they now stand and the erasure itself';
        END IF;
        INSERT INTO audit (at, os_user, table_name, record_key, op, old, new)
        VALUES (caseload_now(), session_user, e->>'table_name', e->>'record_key', e->>'op', e->>'old', e->>'new');
    END LOOP;
    SELECT coalesce(max(id), 0) INTO last FROM audit;
    RETURN last;
END $$;
REVOKE ALL ON FUNCTION caseload_erasure(text, text, text, text, bigint[], bigint, json) FROM PUBLIC;
"#;

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
GRANT EXECUTE ON FUNCTION caseload_erasure(text, text, text, text, bigint[], bigint, json) TO {admin};
"
    )
}
