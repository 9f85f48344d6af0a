//! `paralign serve` under load (not a timed test).
//!
//! `cargo bench --bench serve` builds (once, then reuses) the memory of 1,000,000 segments the
//! lookup benchmark uses (`benches/common/memory.rs`, in `target/bench-lookup`), starts the
//! release `paralign serve` on it (127.0.0.1:0; `WORKERS` worker threads, 2 by default), and
//! runs `CLIENTS` client threads (16) for `SECONDS` seconds (10), each on one kept-alive
//! connection sending tmserver lookups as Weblate does (`GET /tmserver/en/es/unit/{text}`),
//! drawn from the lookup benchmark's queries (40% stored sources, 30% with a word or number
//! changed, 30% new text). Prints lookups per second, the latency the clients saw (median,
//! 99th percentile, maximum), the answers that were not 200, and the load average, as other
//! work on the machine shows in the figures. `PARALIGN_BIN` runs another build of the server
//! (to compare two builds under the same load); `STAGGER=1` connects the clients one by one.

mod common;
#[path = "../tests/util/http.rs"]
mod http;
#[path = "common/memory.rs"]
mod memory;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http::{quote, Conn};
use memory::{memory, queries, Words};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The server, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `paralign serve` on the memory; the server and the address it bound.
fn start(db: &std::path::Path, workers: u64) -> (Server, String) {
    let bin =
        std::env::var("PARALIGN_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_paralign").into());
    let mut child = Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--workers"])
        .arg(workers.to_string())
        .arg("--db")
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let event: serde_json::Value = serde_json::from_str(&first).unwrap();
    let addr = event["addr"].as_str().unwrap().to_string();
    // Keep reading the log (one line a request) so that the server never blocks on it.
    std::thread::spawn(move || {
        let mut sink = [0u8; 65536];
        while err.read(&mut sink).is_ok_and(|n| n > 0) {}
    });
    (Server(child), addr)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// One client: lookups from `paths`, starting at `from`, until `until`; the latencies and the
/// failures. `ready` is told once the first answer came.
fn client(
    addr: &str,
    paths: &[String],
    from: usize,
    until: Instant,
    ready: Option<std::sync::mpsc::Sender<()>>,
) -> (Vec<Duration>, usize) {
    let mut conn = Conn::open(addr).unwrap();
    let (mut times, mut failed) = (Vec::new(), 0);
    let mut k = from;
    let mut ready = ready;
    while Instant::now() < until {
        let t = Instant::now();
        match conn.send("GET", &paths[k % paths.len()], &[], b"") {
            Ok(r) if r.status == 200 => times.push(t.elapsed()),
            Ok(_) => failed += 1,
            Err(_) => {
                failed += 1;
                conn = Conn::open(addr).unwrap();
            }
        }
        if let Some(tx) = ready.take() {
            let _ = tx.send(());
        }
        k += 1;
    }
    (times, failed)
}

fn main() {
    let words = Words::new();
    let db = memory(&words);
    let (workers, clients, seconds) = (
        env_or("WORKERS", 2),
        env_or("CLIENTS", 16) as usize,
        env_or("SECONDS", 10),
    );
    let paths: Vec<String> = queries(&db, &words, 4_000, 99)
        .into_iter()
        .map(|(_, text, _)| format!("/tmserver/en/es/unit/{}", quote(&text)))
        .collect();
    let (_server, addr) = start(&db, workers);
    // Warm the page cache as a server that has run a while finds it.
    let warm = Instant::now() + Duration::from_secs(2);
    client(&addr, &paths[2_000..], 0, warm, None);
    // The clients connect all at once (as a burst of connections is what made tiny_http 0.12's
    // pool leave some unanswered: vendor/tiny_http/README.md); STAGGER=1 connects them one
    // after another, each once the one before had its first answer.
    let stagger = env_or("STAGGER", 0) == 1;
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let per_client = paths.len() / clients.max(1);
    let (mut times, failed) = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for c in 0..clients {
            let (addr, paths) = (&addr, &paths);
            let (tx, rx) = std::sync::mpsc::channel();
            handles.push(scope.spawn(move || client(addr, paths, c * per_client, until, Some(tx))));
            if stagger {
                let _ = rx.recv();
            }
        }
        let mut all = Vec::new();
        let mut failed = 0;
        for h in handles {
            let (t, f) = h.join().unwrap();
            all.extend(t);
            failed += f;
        }
        (all, failed)
    });
    let took = started.elapsed().as_secs_f64();
    times.sort();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "serve: {} lookups in {took:.1} s from {clients} clients, {workers} workers: {:.0} lookups/s; median {:.2?}, p99 {:.2?}, max {:.2?}; {failed} not 200",
        times.len(),
        times.len() as f64 / took,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or_default(),
    );
    println!(
        "  {} cores; load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load.split(' ').take(3).collect::<Vec<_>>().join(" ")
    );
}
