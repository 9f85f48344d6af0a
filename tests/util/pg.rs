//! A throw-away PostgreSQL server for the tests and benchmarks of the PostgreSQL memory.
//!
//! `PARALIGN_TEST_PG=postgres://user@host:port/` names a server where the tests may create
//! databases; without it, the first call starts a cluster of its own: `initdb` (from PATH or
//! `/usr/lib/postgresql/*/bin`) into a temporary folder, `pg_ctl start` on a free port of
//! 127.0.0.1, as the `postgres` user when running as root (PostgreSQL refuses root). A watchdog
//! started beside it (in its own session, so that Ctrl-C on the tests does not kill it first)
//! stops the cluster and removes its folder as soon as the test process ends, however it ends.
//! Each test takes a fresh database of its own ([`fresh_db`]). When PostgreSQL can be neither
//! found nor reached the test fails, saying how to install it: a skipped test would hide the
//! backend's bugs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

const HOW: &str = "the PostgreSQL memory's tests need PostgreSQL >= 14: install it (`sudo apt-get install postgresql`, which scripts/test does when it runs as root) or set PARALIGN_TEST_PG=postgres://user@host:port/ to a server where the tests may create databases";

/// The server's base address (no database), started once per test process.
fn server() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| match std::env::var("PARALIGN_TEST_PG") {
        Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_string(),
        _ => start_cluster(),
    })
}

/// Where `initdb` and `pg_ctl` are: PATH, else the newest `/usr/lib/postgresql/N/bin`.
fn bin_dir() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Some(dir);
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as the cluster's owner (`postgres` when we are root).
fn as_owner(root: bool, program: &Path) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port on 127.0.0.1 for PostgreSQL: {e}"))
}

fn run(what: &str, c: &mut Command) {
    let out = c
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}; {HOW}"));
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}\n{HOW}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Start a cluster in a temporary folder with its watchdog; its base address.
fn start_cluster() -> String {
    let bin = bin_dir().unwrap_or_else(|| {
        panic!("initdb not found on PATH nor in /usr/lib/postgresql/*/bin; {HOW}")
    });
    let root = is_root();
    let dir = tempfile::Builder::new()
        .prefix("paralign-pg-")
        .tempdir()
        .unwrap_or_else(|e| panic!("no temporary folder for PostgreSQL: {e}"))
        .keep();
    if root {
        run(
            "chown postgres (is there a `postgres` user?)",
            Command::new("chown").arg("postgres").arg(&dir),
        );
    }
    let data = dir.join("data");
    run(
        "initdb",
        as_owner(root, &bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--lc-ctype=C.UTF-8",
                "--no-sync",
            ]),
    );
    let port = free_port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=100",
        dir.display()
    );
    // The watchdog first, so that the cluster never outlives this process.
    let pid = std::process::id();
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {} {} -D {} stop -m immediate >/dev/null 2>&1; rm -rf {}",
        if root { "runuser -u postgres --" } else { "" },
        bin.join("pg_ctl").display(),
        data.display(),
        dir.display()
    );
    // `setsid -f` forks the watchdog off and returns at once.
    Command::new("setsid")
        .args(["-f", "sh", "-c", &stop])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| {
            panic!("cannot start the watchdog of the PostgreSQL cluster (setsid): {e}")
        });
    run(
        "pg_ctl start",
        as_owner(root, &bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .args(["-w", "-t", "60", "-o", &opts, "start"]),
    );
    format!("postgres://postgres@127.0.0.1:{port}")
}

/// A new, empty database on the test server; its address.
pub fn fresh_db() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let base = server();
    let name = format!(
        "paralign_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let mut c = postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {base}: {e}; {HOW}"));
    c.batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap_or_else(|e| panic!("cannot create a test database at {base}: {e}"));
    format!("{base}/{name}")
}
