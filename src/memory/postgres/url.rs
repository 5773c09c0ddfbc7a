//! Where a PostgreSQL memory lives: a `postgres://` or `postgresql://` URL,
//! how it is shown (never with its password), and where the password comes
//! from when the URL has none (`PGPASSWORD`, then `~/.pgpass`, as libpq
//! does).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ::postgres::Config;
use ::postgres::config::Host;

/// The PostgreSQL schema a memory lives in unless the URL names another
/// (`?schema=NAME`): the database can hold other things beside it.
pub const DEFAULT_SCHEMA: &str = "dragoman";

/// A parsed PostgreSQL memory URL. `Display` shows user, host, port,
/// database and schema, never the password.
#[derive(Clone)]
pub struct PostgresUrl {
    /// Boxed: a location is passed around by value, and the driver's
    /// settings are large beside a path.
    config: Box<Config>,
    schema: String,
}

/// Why a URL is not a usable memory location.
#[derive(Debug, thiserror::Error)]
#[error("{shown}: not a usable PostgreSQL URL: {reason}")]
pub struct UrlError {
    /// The URL as given, its password removed.
    shown: String,
    reason: String,
}

impl PostgresUrl {
    /// Whether `text` names a PostgreSQL memory rather than a file.
    pub fn is_postgres_url(text: &str) -> bool {
        let lower = text.trim_start().to_ascii_lowercase();
        lower.starts_with("postgres://") || lower.starts_with("postgresql://")
    }

    /// The PostgreSQL schema holding the memory.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The database name (the user's name when the URL gives none, as libpq).
    pub fn database(&self) -> &str {
        self.config.get_dbname().or(self.config.get_user()).unwrap_or("postgres")
    }

    /// The same server and database with another schema.
    pub fn with_schema(&self, schema: &str) -> Result<PostgresUrl, UrlError> {
        check_schema(schema).map_err(|reason| UrlError { shown: self.to_string(), reason })?;
        Ok(PostgresUrl { config: self.config.clone(), schema: schema.to_string() })
    }

    /// The connection settings with the password filled in from
    /// `PGPASSWORD` or the password file when the URL has none.
    pub(crate) fn connect_config(&self) -> Config {
        let mut config = (*self.config).clone();
        if config.get_password().is_none() {
            if let Some(password) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
                config.password(password.to_string_lossy().as_bytes());
            } else if let Some(password) = self.password_from_file() {
                config.password(password.as_bytes());
            }
        }
        if config.get_connect_timeout().is_none() {
            // An unreachable host fails in seconds, not after the operating
            // system's TCP timeout of minutes.
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        // The process id lets a waiting writer say who holds the lock.
        config.application_name(&format!("dragoman (pid {})", std::process::id()));
        config
    }

    /// The password of the first matching line of `PGPASSFILE` or
    /// `~/.pgpass` (`host:port:database:user:password`, `*` matching
    /// anything, `\` escaping `:` and `\`).
    fn password_from_file(&self) -> Option<String> {
        let path = std::env::var_os("PGPASSFILE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".pgpass")))?;
        let text = std::fs::read_to_string(path).ok()?;
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) => host.clone(),
            // libpq matches socket connections against `localhost`.
            _ => "localhost".to_string(),
        };
        let port = self.port().to_string();
        let wanted = [host.as_str(), port.as_str(), self.database(), self.user()];
        text.lines().filter(|line| !line.starts_with('#')).find_map(|line| {
            let fields = split_pgpass_line(line);
            let [h, p, d, u, password] = <[String; 5]>::try_from(fields).ok()?;
            let matches =
                [h, p, d, u].iter().zip(wanted).all(|(field, value)| field == "*" || field == value);
            matches.then_some(password)
        })
    }

    fn port(&self) -> u16 {
        self.config.get_ports().first().copied().unwrap_or(5432)
    }

    fn user(&self) -> &str {
        self.config.get_user().unwrap_or("")
    }
}

/// The fields of a password-file line, unescaped.
fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().unwrap().extend(chars.next()),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// A schema name is put into SQL as a quoted identifier: keep it to plain
/// lower-case letters, digits and underscores.
fn check_schema(schema: &str) -> Result<(), String> {
    let valid = !schema.is_empty()
        && schema.len() <= 63
        && schema.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !schema.as_bytes()[0].is_ascii_digit()
        && !schema.starts_with("pg_");
    if valid {
        Ok(())
    } else {
        Err(format!("schema `{schema}`: use lower-case letters, digits and `_` (not starting with `pg_`)"))
    }
}

/// `text` with the password of its user-info part replaced, for messages
/// about a URL that could not be parsed.
fn without_password(text: &str) -> String {
    let Some(scheme_end) = text.find("://") else { return text.to_string() };
    let rest = &text[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!("{}{}:***{}", &text[..scheme_end + 3], &authority[..colon], &rest[at..])
        }
        _ => text.to_string(),
    }
}

impl FromStr for PostgresUrl {
    type Err = UrlError;

    fn from_str(text: &str) -> Result<PostgresUrl, UrlError> {
        let text = text.trim();
        let error = |reason: String| UrlError { shown: without_password(text), reason };
        // `schema` is ours, not a libpq parameter: take it out before the
        // driver parses the rest.
        let (base, query) = match text.split_once('?') {
            Some((base, query)) => (base, query),
            None => (text, ""),
        };
        let mut schema = DEFAULT_SCHEMA.to_string();
        let mut kept = Vec::new();
        for parameter in query.split('&').filter(|p| !p.is_empty()) {
            match parameter.split_once('=') {
                Some(("schema", value)) => schema = value.to_string(),
                _ => kept.push(parameter),
            }
        }
        check_schema(&schema).map_err(error)?;
        let url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
        let mut config = Config::from_str(&url).map_err(|e| error(e.to_string()))?;
        if config.get_user().is_none()
            && let Some(user) = std::env::var_os("PGUSER").or_else(|| std::env::var_os("USER"))
        {
            config.user(&user.to_string_lossy());
        }
        if config.get_hosts().is_empty() {
            match std::env::var("PGHOST") {
                Ok(host) if host.starts_with('/') => {
                    config.host_path(host);
                }
                Ok(host) if !host.is_empty() => {
                    config.host(&host);
                }
                _ if Path::new("/var/run/postgresql").is_dir() => {
                    config.host_path("/var/run/postgresql");
                }
                _ => {
                    config.host("localhost");
                }
            }
        }
        if config.get_ports().is_empty()
            && let Some(port) = std::env::var("PGPORT").ok().and_then(|p| p.parse().ok())
        {
            config.port(port);
        }
        Ok(PostgresUrl { config: Box::new(config), schema })
    }
}

impl fmt::Display for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "postgres://")?;
        if let Some(user) = self.config.get_user() {
            write!(f, "{user}@")?;
        }
        match self.config.get_hosts().first() {
            Some(Host::Tcp(host)) if host.contains(':') => write!(f, "[{host}]")?,
            Some(Host::Tcp(host)) => write!(f, "{host}")?,
            // A socket directory goes in the query, as libpq writes it.
            Some(Host::Unix(_)) | None => {}
        }
        write!(f, ":{}/{}", self.port(), self.database())?;
        let mut separator = '?';
        if let Some(Host::Unix(dir)) = self.config.get_hosts().first() {
            write!(f, "{separator}host={}", dir.display())?;
            separator = '&';
        }
        if self.schema != DEFAULT_SCHEMA {
            write!(f, "{separator}schema={}", self.schema)?;
        }
        Ok(())
    }
}

impl fmt::Debug for PostgresUrl {
    /// As `Display`: a debug print must not show the password either.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PostgresUrl({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_never_shown() {
        let url: PostgresUrl =
            "postgresql://ed:s3cr%40t@db.newsroom.example:6543/news?schema=desk".parse().unwrap();
        assert_eq!(url.to_string(), "postgres://ed@db.newsroom.example:6543/news?schema=desk");
        assert!(!format!("{url:?}").contains("s3cr"), "{url:?}");
        assert_eq!(url.connect_config().get_password(), Some(&b"s3cr@t"[..]));
        assert_eq!((url.schema(), url.database()), ("desk", "news"));

        let error = "postgres://ed:s3cret@db:notaport/news".parse::<PostgresUrl>().unwrap_err();
        assert!(!error.to_string().contains("s3cret"), "{error}");
        assert!(error.to_string().contains("postgres://ed:***@db:notaport/news"), "{error}");
    }

    #[test]
    fn schema_names_are_checked() {
        let error = "postgres://ed@db/news?schema=x;drop".parse::<PostgresUrl>().unwrap_err();
        assert!(error.to_string().contains("schema `x;drop`"), "{error}");
        let url: PostgresUrl = "postgres://ed@db/news".parse().unwrap();
        assert_eq!(url.schema(), DEFAULT_SCHEMA);
        assert!(url.with_schema("pg_catalog").is_err());
    }

    #[test]
    fn pgpass_lines_are_unescaped_and_matched() {
        assert_eq!(split_pgpass_line(r"db:5432:*:ed:pa\:ss\\word"), ["db", "5432", "*", "ed", r"pa:ss\word"]);
        assert_eq!(split_pgpass_line("db:5432:news:ed:a:b"), ["db", "5432", "news", "ed", "a:b"]);
    }
}
