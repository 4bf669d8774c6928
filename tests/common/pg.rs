//! A throwaway PostgreSQL server for the server tests: started once per test program with the
//! distribution's `initdb` and `pg_ctl` in a temporary folder, on a free local port, and stopped
//! when the test program ends (a watcher waits for it). As root, the server runs as `nobody`
//! (PostgreSQL refuses to run as root). `CASELOAD_TEST_PG=postgres://superuser@host:port/db`
//! uses a server of one's own instead.
//!
//! Without PostgreSQL the tests say they were skipped, and why; with `CASELOAD_CI=1` they fail.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A running server: how a superuser reaches it.
pub struct Server {
    pub host: String,
    pub port: u16,
    pub superuser: String,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// A new, empty database on the test server, owned by the superuser: its URL. `None` (having
/// said why) when no server can be had; under `CASELOAD_CI=1` that fails the test instead.
pub fn database() -> Option<String> {
    let server = match SERVER.get_or_init(start) {
        Ok(s) => s,
        Err(why) => {
            // Under Wine there is no PostgreSQL to be had: a skip there is expected, even in CI.
            if !cfg!(windows) && std::env::var("CASELOAD_CI").as_deref() == Ok("1") {
                panic!("{why}, and CASELOAD_CI=1 asks for it to fail instead");
            }
            eprintln!("SKIPPED: {why}");
            return None;
        }
    };
    let name = format!("t{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::SeqCst));
    let admin = server.url_of("postgres", &server.superuser);
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("connect to the test server");
    client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    Some(server.url_of(&name, &server.superuser))
}

impl Server {
    pub fn url_of(&self, db: &str, user: &str) -> String {
        format!("host={} port={} user={user} dbname={db} sslmode=disable", self.host, self.port)
    }
}

/// The `caseload --db` URL of a database for a login.
pub fn caseload_url(conninfo: &str, user: &str) -> String {
    let part = |k: &str| {
        conninfo.split_whitespace().find_map(|p| p.strip_prefix(&format!("{k}="))).unwrap().to_string()
    };
    format!("postgres://{user}@{}:{}/{}?sslmode=disable", part("host"), part("port"), part("dbname"))
}

fn start() -> Result<Server, String> {
    if cfg!(windows) {
        return Err("the server tests run on Linux (under Wine there is no PostgreSQL)".into());
    }
    if let Ok(url) = std::env::var("CASELOAD_TEST_PG") {
        let config: postgres::Config = url.parse().map_err(|e| format!("CASELOAD_TEST_PG: {e}"))?;
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            _ => "localhost".into(),
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let superuser = config.get_user().unwrap_or("postgres").to_string();
        return Ok(Server { host, port, superuser });
    }
    let bin = binaries().ok_or(
        "PostgreSQL is not installed (looked for initdb in /usr/lib/postgresql/*/bin and on PATH, \
         and for $CASELOAD_TEST_PG); the server tests were skipped",
    )?;
    let dir = tempfile::Builder::new().prefix("caseload-pg").tempdir().map_err(|e| e.to_string())?.keep();
    let data = dir.join("data");
    let root = is_root();
    let user = if root { "nobody" } else { "" };
    let as_user = |program: PathBuf, args: &[&str]| -> Command {
        if root {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program).args(args);
            c
        } else {
            let mut c = Command::new(program);
            c.args(args);
            c
        }
    };
    if root {
        let ok = Command::new("chown").arg("-R").arg(format!("{user}:")).arg(&dir).status();
        if !ok.map(|s| s.success()).unwrap_or(false) {
            return Err("could not give the test server's folder to nobody".into());
        }
    }
    let superuser = "caseload_test_owner";
    let out = as_user(
        bin.join("initdb"),
        &["-D", data.to_str().unwrap(), "-U", superuser, "--auth=trust", "-E", "UTF8", "--no-locale"],
    )
    .output()
    .map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let port = free_port();
    let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", dir.display());
    let log = dir.join("log");
    let out = as_user(
        bin.join("pg_ctl"),
        &["-D", data.to_str().unwrap(), "-l", log.to_str().unwrap(), "-o", &options, "-w", "start"],
    )
    .output()
    .map_err(|e| format!("pg_ctl: {e}"))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        return Err(format!("pg_ctl start failed: {}{log}", String::from_utf8_lossy(&out.stderr)));
    }
    // Stopped when this test program ends, however it ends.
    let stop = format!(
        "while [ -d /proc/{} ]; do sleep 0.5; done; {} -D {} -m immediate stop >/dev/null 2>&1; rm -rf {}",
        std::process::id(),
        bin.join("pg_ctl").display(),
        data.display(),
        dir.display()
    );
    let mut watcher = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", user, "--", "sh", "-c", &stop]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", &stop]);
        c
    };
    watcher.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null());
    watcher.spawn().map_err(|e| format!("the test server's watcher: {e}"))?;
    Ok(Server { host: "127.0.0.1".into(), port, superuser: superuser.into() })
}

fn binaries() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .collect();
    found.sort_by_key(|p| p.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()).unwrap_or(0));
    if let Some(newest) = found.pop() {
        return Some(newest);
    }
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|d| d.join("initdb").exists())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.trim_ascii() == b"0").unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
