//! Peak memory of the readers on hostile files (not a timed test).
//!
//! `cargo bench --bench hostile` reads every entity bomb and limit case of `tests/hostile/`
//! (`cases.tsv`), and two large files it generates (a 60 MB text run without markup, and a
//! 20 MB file whose internal entity is used until it would make 400 MB), each in a child
//! process so that its peak resident memory (VmHWM) is its own, as `paralign import-tmx` and
//! `import-xliff` read them (default limits). It prints each peak and fails when one reaches
//! 100 MB or a file is accepted.

mod common;

use common::peak_mb;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use paralign::exchange::{read_tmx, read_xliff, ReadOptions};

// The allocator the `paralign` binary uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The most a hostile file may make the reader hold.
const LIMIT_MB: f64 = 100.0;

/// Read a file as the import commands do; the error's message, or None when accepted.
fn read(path: &Path) -> Option<String> {
    let file = File::open(path).unwrap();
    let tmx = path.extension().is_some_and(|e| e == "tmx");
    let result = if tmx {
        match read_tmx(file, ReadOptions::default()) {
            Ok(r) => r.collect::<Result<Vec<_>, _>>().map(drop),
            Err(e) => Err(e),
        }
    } else {
        read_xliff(file).map(drop)
    };
    result.err().map(|e| e.to_string())
}

fn generate(dir: &Path) -> Vec<PathBuf> {
    let head = "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>";
    let tail = "</seg></tuv><tuv xml:lang=\"es\"><seg>x</seg></tuv></tu>\n</body></tmx>\n";
    let long = dir.join("text-run-60mb.tmx");
    let mut w = BufWriter::new(File::create(&long).unwrap());
    w.write_all(head.as_bytes()).unwrap();
    let chunk = "words without markup ".repeat(1000);
    for _ in 0..(60_000_000 / chunk.len()) {
        w.write_all(chunk.as_bytes()).unwrap();
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.flush().unwrap();
    let bomb = dir.join("entities-20mb.tmx");
    let mut w = BufWriter::new(File::create(&bomb).unwrap());
    let value = "E".repeat(100);
    w.write_all(format!("<!DOCTYPE tmx [<!ENTITY e \"{value}\">]>\n").as_bytes())
        .unwrap();
    w.write_all(head.as_bytes()).unwrap();
    // Each reference is 3 bytes that make 100: 20 MB of them would make 660 MB. A text run
    // ends at each reference, so only the segment limit (or the amplification cap) stops it.
    for _ in 0..(20_000_000 / 3 / 1000) {
        w.write_all("&e;".repeat(1000).as_bytes()).unwrap();
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.flush().unwrap();
    vec![long, bomb]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        let said = read(Path::new(&args[1]));
        println!(
            "{:.1}\t{}",
            peak_mb(),
            said.unwrap_or_else(|| "ACCEPTED".into())
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = std::fs::read_to_string(root.join("tests/hostile/cases.tsv")).unwrap();
    let mut files: Vec<PathBuf> = cases
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            // The bombs and limit cases that hold at the default limits.
            let hostile =
                f[4] == "AMPLIFICATION" || f[4] == "--max-depth" || f[4] == "refers to itself";
            (hostile && f[2].is_empty()).then(|| root.join("tests/hostile/corpus").join(f[0]))
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    files.extend(generate(tmp.path()));
    let me = std::env::current_exe().unwrap();
    let mut worst = 0.0f64;
    let mut failed = false;
    for f in &files {
        let out = Command::new(&me).arg("--child").arg(f).output().unwrap();
        let line = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let (peak, said) = line.split_once('\t').unwrap_or(("NaN", "the child failed"));
        let peak: f64 = peak.parse().unwrap_or(f64::NAN);
        let size = std::fs::metadata(f).unwrap().len() as f64 / 1e6;
        println!(
            "{:<28} {size:>6.1} MB file  peak {peak:>5.1} MB  {}",
            f.file_name().unwrap().to_string_lossy(),
            said.splitn(3, ':')
                .nth(2)
                .unwrap_or(said)
                .trim()
                .chars()
                .take(70)
                .collect::<String>()
        );
        worst = worst.max(peak);
        if peak.is_nan() || peak >= LIMIT_MB || said == "ACCEPTED" || !out.status.success() {
            failed = true;
        }
    }
    println!(
        "{} hostile files, highest peak {worst:.1} MB (limit {LIMIT_MB} MB)",
        files.len()
    );
    if failed {
        eprintln!("hostile: a file was accepted or its peak reached {LIMIT_MB} MB");
        std::process::exit(1);
    }
}
