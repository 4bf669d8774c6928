//! Which server: `postgres://USER@HOST[:PORT]/DBNAME[?sslmode=...]`, or bare `postgres:` with the
//! standard `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGSSLMODE` variables filling what the
//! address leaves out. A password is never part of the address (it would sit in the shell's
//! history and in `ps`): it comes from `PGPASSWORD` or the password file (`pgpass`).

use std::fmt;

/// How the connection is protected (libpq's names). `require` and `verify-full` both check the
/// server's certificate: a council's data does not go to a server that cannot prove who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Result<SslMode, String> {
        Ok(match text {
            "disable" => SslMode::Disable,
            "prefer" | "allow" => SslMode::Prefer,
            "require" | "verify-ca" => SslMode::Require,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(format!(
                    "sslmode={other} is not one caseload knows: use disable, prefer, require or verify-full"
                ));
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// A server database, as named by the user. Holds no password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub dbname: String,
    pub sslmode: SslMode,
}

/// Whether `--db` names a server rather than a file.
pub fn is_server(db: &str) -> bool {
    db.starts_with("postgres:") || db.starts_with("postgresql:")
}

impl Target {
    /// Reads an address; `env` gives the `PG*` variables (and `USER`/`USERNAME` for the login's
    /// default, as libpq does). Refuses an address with a password in it.
    pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Target, String> {
        let rest = text
            .strip_prefix("postgresql:")
            .or_else(|| text.strip_prefix("postgres:"))
            .ok_or_else(|| format!("{text:?} is not a server address (it starts postgres://)"))?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let rest = match rest.strip_prefix("//") {
            Some(r) => r,
            None if rest.is_empty() => "",
            None => return Err("a server address is written postgres://USER@HOST:PORT/DATABASE".into()),
        };
        let (authority, dbname) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        if userinfo.is_some_and(|u| u.contains(':')) {
            return Err("the server address holds a password: caseload never takes one on the command \
                        line. Remove it, and put it in PGPASSWORD or the password file (pgpass)"
                .into());
        }
        let (host, port) = split_port(hostport)?;
        let mut sslmode = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("sslmode", v)) => sslmode = Some(SslMode::parse(&decode(v)?)?),
                Some(("password", _)) => {
                    return Err("the server address holds a password: caseload never takes one on the \
                                command line. Put it in PGPASSWORD or the password file (pgpass)"
                        .into());
                }
                _ => {
                    return Err(format!(
                        "{pair:?} in the server address is not one caseload knows (only sslmode)"
                    ));
                }
            }
        }
        let or_env = |given: Option<String>, var: &str| given.filter(|s| !s.is_empty()).or_else(|| env(var));
        let host = or_env(host.map(decode).transpose()?, "PGHOST").unwrap_or_else(|| "localhost".into());
        let port = match port {
            Some(p) => p,
            None => match env("PGPORT") {
                Some(p) => p.parse().map_err(|_| format!("PGPORT={p:?} is not a port number"))?,
                None => 5432,
            },
        };
        let user = or_env(userinfo.map(decode).transpose()?, "PGUSER")
            .or_else(|| env("USER"))
            .or_else(|| env("USERNAME"))
            .ok_or(
                "the server address names no login: write postgres://LOGIN@HOST/DATABASE, or set PGUSER",
            )?;
        let dbname = or_env(Some(decode(dbname)?), "PGDATABASE").unwrap_or_else(|| user.clone());
        let sslmode = match sslmode {
            Some(m) => m,
            None => env("PGSSLMODE").map(|m| SslMode::parse(&m)).transpose()?.unwrap_or(SslMode::Prefer),
        };
        Ok(Target { host, port, user, dbname, sslmode })
    }
}

fn split_port(hostport: &str) -> Result<(Option<&str>, Option<u16>), String> {
    if hostport.is_empty() {
        return Ok((None, None));
    }
    // `[::1]:5432`: an IPv6 address in brackets.
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let (h, after) = inner.split_once(']').ok_or("an IPv6 address is written in [brackets]")?;
        (h, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    let port = port
        .map(|p| p.parse::<u16>().map_err(|_| format!("{p:?} in the server address is not a port number")))
        .transpose()?;
    Ok(((!host.is_empty()).then_some(host), port))
}

/// `%XX` escapes of an address part.
fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .ok_or("a % in the server address is not followed by two hex digits")?;
            out.push(
                u8::from_str_radix(hex, 16)
                    .map_err(|_| format!("%{hex} in the server address is not an escape"))?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the server address is not valid UTF-8 once unescaped".into())
}

/// The address as it may be shown: never a password (there is none to show).
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        write!(f, "postgres://{}@{host}:{}/{}", self.user, self.port, self.dbname)
    }
}

/// The password for a target from a password file's text (`host:port:db:user:password`, `*`
/// matching anything, `\:` and `\\` escaped): the first line that matches, as libpq reads it.
pub fn pgpass_lookup(text: &str, t: &Target) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        let port = t.port.to_string();
        let wanted = [t.host.as_str(), port.as_str(), t.dbname.as_str(), t.user.as_str()];
        let host_ok = |f: &str, w: &str| f == "*" || f == w || (f == "localhost" && w.starts_with('/'));
        if fields[..4]
            .iter()
            .zip(wanted)
            .enumerate()
            .all(|(i, (f, w))| if i == 0 { host_ok(f, w) } else { f == "*" || f == w })
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().unwrap().push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, vars: &[(&str, &str)]) -> Result<Target, String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Target::parse(text, &|k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn an_address_names_login_host_port_database_and_tls() {
        let t = parse("postgres://ann@db.council.example:6543/stls?sslmode=verify-full", &[]).unwrap();
        assert_eq!(
            t,
            Target {
                host: "db.council.example".into(),
                port: 6543,
                user: "ann".into(),
                dbname: "stls".into(),
                sslmode: SslMode::VerifyFull
            }
        );
        assert_eq!(t.to_string(), "postgres://ann@db.council.example:6543/stls");
    }

    #[test]
    fn bare_postgres_takes_the_standard_variables() {
        let vars = [
            ("PGHOST", "pg1"),
            ("PGPORT", "5433"),
            ("PGUSER", "bob"),
            ("PGDATABASE", "d"),
            ("PGSSLMODE", "require"),
        ];
        let t = parse("postgres:", &vars).unwrap();
        assert_eq!((t.host.as_str(), t.port, t.user.as_str(), t.dbname.as_str()), ("pg1", 5433, "bob", "d"));
        assert_eq!(t.sslmode, SslMode::Require);
        // What the address gives wins over the variables.
        let t = parse("postgres://carol@h/x", &vars).unwrap();
        assert_eq!((t.host.as_str(), t.port, t.user.as_str(), t.dbname.as_str()), ("h", 5433, "carol", "x"));
    }

    #[test]
    fn a_password_in_the_address_is_refused_without_being_repeated() {
        for text in ["postgres://ann:s3cret@h/d", "postgres://ann@h/d?password=s3cret"] {
            let e = parse(text, &[]).unwrap_err();
            assert!(e.contains("never takes one on the command line"), "{e}");
            assert!(!e.contains("s3cret"), "{e}");
        }
    }

    #[test]
    fn mistakes_in_an_address_are_said_not_panicked() {
        for text in [
            "postgres://a@h:99999/d",
            "postgres://a@h/d?sslmode=maybe",
            "postgres://a@h/d?x=1",
            "postgres:h/d",
            "postgres://a@[::1/d",
            "postgres://a@h/%zz",
        ] {
            assert!(parse(text, &[]).is_err(), "{text}");
        }
        assert_eq!(parse("postgres://a@[::1]:7/d", &[]).unwrap().host, "::1");
    }

    #[test]
    fn the_password_file_is_read_as_libpq_reads_it() {
        let t = parse("postgres://ann@h:5432/stls", &[]).unwrap();
        let file = "# comment\nother:5432:stls:ann:no\nh:5432:stls:bob:no\nh:*:stls:ann:pa\\:ss\nh:5432:stls:ann:later\n";
        assert_eq!(pgpass_lookup(file, &t).as_deref(), Some("pa:ss"));
        assert_eq!(pgpass_lookup("*:*:*:*:any", &t).as_deref(), Some("any"));
        assert_eq!(pgpass_lookup("h:1:stls:ann:x\nbad line", &t), None);
    }
}
