//! A private PostgreSQL server for the tests: `initdb` and `postgres` in a
//! temporary directory, on a free 127.0.0.1 port, started once per test
//! binary and stopped (its directory deleted) when the binary exits.
//!
//! Without the server binaries the tests that need one say loudly that they
//! were skipped; with `DRAGOMAN_REQUIRE_PG=1` (CI) that is a failure. As
//! root (CI), the server runs as the `postgres` user: PostgreSQL refuses to
//! run as root.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The superuser's name and password.
pub const USER: &str = "dragoman";
pub const PASSWORD: &str = "pg-test-secret";
/// A role that may connect but not create anything.
pub const READER: &str = "reader";
pub const READER_PASSWORD: &str = "reader-secret";
/// The database the tests' memories live in (each test in its own schema).
pub const DATABASE: &str = "dragoman_test";

pub struct Server {
    pub port: u16,
    dir: PathBuf,
    /// Closing it (when the test binary exits) stops the server.
    _stop: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();

/// The private server, started on first use; `None` (after a loud message)
/// when PostgreSQL is not installed and `DRAGOMAN_REQUIRE_PG` is not set.
pub fn server() -> Option<&'static Server> {
    SERVER
        .get_or_init(|| match bin_dir() {
            Some(bin) => Some(Server::start(&bin)),
            None => {
                let message = "PostgreSQL server binaries (initdb, postgres) not found: install `postgresql` \
                               (Debian) to run the PostgreSQL memory tests";
                if std::env::var_os("DRAGOMAN_REQUIRE_PG").is_some_and(|v| v == "1") {
                    panic!("DRAGOMAN_REQUIRE_PG=1: {message}");
                }
                eprintln!("\n*** SKIPPED: {message} ***\n");
                None
            }
        })
        .as_ref()
}

/// A memory URL in the test database, in schema `schema`.
pub fn url(schema: &str) -> Option<String> {
    let server = server()?;
    Some(format!("postgres://{USER}:{PASSWORD}@127.0.0.1:{}/{DATABASE}?schema={schema}", server.port))
}

/// A URL of database `database` with the memory in the default schema.
pub fn database_url(database: &str) -> Option<String> {
    let server = server()?;
    Some(format!("postgres://{USER}:{PASSWORD}@127.0.0.1:{}/{database}", server.port))
}

/// A superuser connection to `database`.
pub fn admin(database: &str) -> postgres::Client {
    let server = server().expect("a server");
    connect(server.port, database).unwrap()
}

/// Creates database `name` (once; tests sharing it use their own schemas).
pub fn create_database(name: &str) {
    let mut client = admin("postgres");
    let exists =
        client.query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name]).unwrap().is_some();
    if !exists {
        client.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
    }
}

fn connect(port: u16, database: &str) -> Result<postgres::Client, postgres::Error> {
    postgres::Config::new()
        .host("127.0.0.1")
        .port(port)
        .user(USER)
        .password(PASSWORD)
        .dbname(database)
        .connect(postgres::NoTls)
}

/// Debian's `/usr/lib/postgresql/VERSION/bin` (the newest), or the
/// directory of an `initdb` on the `PATH`.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(PathBuf::from)
        .find(|dir| dir.join("initdb").exists() && dir.join("postgres").exists())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// `program` with `args`, as the `postgres` user when we are root.
fn command(program: &Path, root: bool) -> Command {
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Server {
    fn start(bin: &Path) -> Server {
        let root = is_root();
        let dir = tempfile::Builder::new().prefix("dragoman-pg-").tempdir().unwrap().keep();
        std::fs::write(dir.join("password"), PASSWORD).unwrap();
        if root {
            let status = Command::new("chown").args(["-R", "postgres:"]).arg(&dir).status().unwrap();
            assert!(status.success(), "chown of {} failed", dir.display());
        }
        let output = command(&bin.join("initdb"), root)
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-U", USER, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync", "--no-instructions"])
            .arg(format!("--pwfile={}", dir.join("password").display()))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "initdb failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let port = free_port();
        // The shell waits for its standard input to close (this process
        // exiting), then stops the server fast and deletes its directory.
        let script = r#"
            "$0" -D "$1/data" -p "$2" -k "$1" -c listen_addresses=127.0.0.1 \
                -c fsync=off -c full_page_writes=off -c max_connections=60 >"$1/log" 2>&1 </dev/null &
            pid=$!
            read _ignored
            kill -INT "$pid"
            wait "$pid"
            rm -rf "$1"
        "#;
        let mut child = command(Path::new("sh"), root)
            .arg("-c")
            .arg(script)
            .arg(bin.join("postgres"))
            .arg(&dir)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stop = child.stdin.take().unwrap();
        let started = Instant::now();
        loop {
            match connect(port, "postgres") {
                Ok(_) => break,
                Err(error) => {
                    let log = || {
                        let mut text = String::new();
                        let _ = std::fs::File::open(dir.join("log")).map(|mut f| f.read_to_string(&mut text));
                        text
                    };
                    if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(60) {
                        panic!("the test PostgreSQL server did not start: {error}\n{}", log());
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
        let server = Server { port, dir, _stop: Mutex::new(stop), _child: Mutex::new(child) };
        let mut client = connect(port, "postgres").unwrap();
        client.batch_execute(&format!("CREATE DATABASE {DATABASE}")).unwrap();
        client.batch_execute(&format!("CREATE ROLE {READER} LOGIN PASSWORD '{READER_PASSWORD}'")).unwrap();
        server
    }
}
