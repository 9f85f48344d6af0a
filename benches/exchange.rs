//! Exchange speed and memory on generated data (not a timed test).
//!
//! `cargo bench --bench exchange` writes a TMX file of N generated units (English source, a
//! Spanish-like translation, document and label props: 1,000 documents of N/1,000 paragraphs),
//! imports it into an empty memory the way `paralign import-tmx` does, exports the memory to
//! TMX the way `paralign export --format tmx` does, and checks that the export holds N units
//! and is as long as the file it came from.
//! Two phases show the parts that run beside each other on two threads: `parse` (reading the
//! file, while import stores) and `read` (the export's query, while the units are written).
//! Each phase runs in a child process so that its peak resident memory (VmHWM) is its own; N
//! is 100,000 then 1,000,000, so that the peaks show whether memory stays flat as the file
//! grows. `cargo bench --bench exchange -- N` runs one size.

mod common;

use common::{peak_mb, Rng};

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use paralign::exchange::{
    read_tmx, write_behind, Grouper, ReadAhead, ReadOptions, TmxHeader, TmxWriter, Unit, Variant,
};
use paralign::store::{Clock, Store};

// The allocator the `paralign` binary uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORDS: [(&str, &str); 24] = [
    ("the", "el"),
    ("workers", "trabajadores"),
    ("union", "sindicato"),
    ("city", "ciudad"),
    ("council", "consejo"),
    ("port", "puerto"),
    ("railway", "ferrocarril"),
    ("strike", "huelga"),
    ("fare", "tarifa"),
    ("rise", "subida"),
    ("public", "público"),
    ("transport", "transporte"),
    ("support", "apoyo"),
    ("government", "gobierno"),
    ("against", "contra"),
    ("meeting", "reunión"),
    ("agreement", "acuerdo"),
    ("wages", "salarios"),
    ("hours", "horas"),
    ("and", "y"),
    ("of", "de"),
    ("with", "con"),
    ("for", "para"),
    ("<&>", "<&>"),
];

fn generate(path: &Path, n: usize) -> u64 {
    let w = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    let header = TmxHeader {
        srclang: "en".into(),
        segtype: "paragraph".into(),
        created: 1_700_000_000,
    };
    let mut tmx = TmxWriter::new(w, &header).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let per_doc = (n / 1000).max(1);
    for i in 0..n {
        let words = 8 + (rng.next() % 17) as usize;
        let (mut s, mut t) = (
            format!("{}. ", i % per_doc + 1),
            format!("{}. ", i % per_doc + 1),
        );
        for k in 0..words {
            let (a, b) = WORDS[(rng.next() % WORDS.len() as u64) as usize];
            if k > 0 {
                s.push(' ');
                t.push(' ');
            }
            s.push_str(a);
            t.push_str(b);
        }
        // A number makes every paragraph distinct.
        s.push_str(&format!(" {i}."));
        t.push_str(&format!(" {i}."));
        tmx.write_unit(&Unit {
            source_lang: "en".into(),
            source: s,
            document: Some(format!("doc{:04}", i / per_doc)),
            label: Some((i % per_doc + 1).to_string()),
            targets: vec![Variant {
                lang: "es".into(),
                text: t,
                score: Some(0.5 + (i % 500) as f64 / 1000.0),
                flags: vec![],
                created: Some(1_700_000_000 + i as i64),
                changed: Some(1_700_000_000 + i as i64),
                ..Variant::default()
            }],
            ..Unit::default()
        })
        .unwrap();
    }
    let (mut w, _, _) = tmx.finish().unwrap();
    w.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// Peak resident memory of this process, in MB.
fn phase_import(tmx: &Path, db: &Path) {
    let t = Instant::now();
    let mut store = Store::open(db, Clock::Fixed(1_710_410_400)).unwrap();
    let reader = read_tmx(File::open(tmx).unwrap(), ReadOptions::default()).unwrap();
    // As `paralign import-tmx` does it: parsing on another thread.
    let mut ahead = ReadAhead::new(reader, 4096);
    let report = store.merge_units("tmx", "bench.tmx", &mut ahead).unwrap();
    ahead.finish();
    println!(
        "import {:.2} s  peak {:.0} MB  ({} units, {} segments added)",
        t.elapsed().as_secs_f64(),
        peak_mb(),
        report.units,
        report.added
    );
}

fn phase_export(db: &Path, out: &Path) {
    let t = Instant::now();
    let store = Store::open_read_only(db).unwrap();
    let mut w = BufWriter::with_capacity(256 * 1024, File::create(out).unwrap());
    let header = TmxHeader {
        srclang: "en".into(),
        segtype: "paragraph".into(),
        created: 1_710_410_400,
    };
    let f = paralign::exchange::ExportFilter::default();
    // As `paralign export --format tmx` does it: units written on another thread.
    let mut n = 0;
    let units = write_behind(
        |unit| store.export_units(&f, unit).map(|k| n = k),
        |units| {
            let mut tmx = TmxWriter::new(&mut w, &header).unwrap();
            for u in units {
                tmx.write_unit(&u).unwrap();
            }
            Ok(tmx.finish().unwrap().1)
        },
    )
    .unwrap();
    w.flush().unwrap();
    assert_eq!(units, n, "one unit per segment in the generated memory");
    println!(
        "export {:.2} s  peak {:.0} MB  ({units} units, {n} segments)",
        t.elapsed().as_secs_f64(),
        peak_mb()
    );
}

fn child(args: &[&str]) {
    let status = Command::new(std::env::current_exe().unwrap())
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "phase {args:?} failed");
}

fn run(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let tmx = dir.path().join("in.tmx");
    let db = dir.path().join("memory.sqlite");
    let out = dir.path().join("out.tmx");
    let t = Instant::now();
    let size = generate(&tmx, n);
    println!(
        "== {n} units: generated {:.0} MB of TMX in {:.1} s",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    child(&["--phase-parse", tmx.to_str().unwrap()]);
    child(&[
        "--phase-import",
        tmx.to_str().unwrap(),
        db.to_str().unwrap(),
    ]);
    child(&["--phase-read", db.to_str().unwrap()]);
    child(&[
        "--phase-export",
        db.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    let out_size = std::fs::metadata(&out).unwrap().len();
    // The same units in the same order: only the header's date differs, in as many bytes.
    assert_eq!(out_size, size, "the export is the file imported");
    let db_size = std::fs::metadata(&db).unwrap().len();
    println!(
        "exported {:.0} MB of TMX; memory {:.0} MB",
        out_size as f64 / 1e6,
        db_size as f64 / 1e6
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--phase-import") => return phase_import(Path::new(&args[1]), Path::new(&args[2])),
        Some("--phase-export") => return phase_export(Path::new(&args[1]), Path::new(&args[2])),
        Some("--generate") => {
            let size = generate(Path::new(&args[1]), args[2].parse().unwrap());
            println!("wrote {} ({:.0} MB)", args[1], size as f64 / 1e6);
            return;
        }
        Some("--phase-read") => {
            // The export's reading side alone (its query and the grouping into units).
            let t = Instant::now();
            let store = Store::open_read_only(Path::new(&args[1])).unwrap();
            let mut g = Grouper::default();
            let mut units = 0;
            let n = store
                .export_rows(&Default::default(), &mut |row| {
                    units += g.push(row).len();
                    Ok(())
                })
                .unwrap();
            units += g.finish().len();
            println!(
                "read   {:.2} s  peak {:.0} MB  ({units} units, {n} segments)",
                t.elapsed().as_secs_f64(),
                peak_mb()
            );
            return;
        }
        Some("--phase-parse") => {
            let t = Instant::now();
            let r = read_tmx(File::open(&args[1]).unwrap(), ReadOptions::default()).unwrap();
            let mut n = 0;
            for u in r {
                u.unwrap();
                n += 1;
            }
            println!(
                "parse {:.2} s  peak {:.0} MB  ({n} units)",
                t.elapsed().as_secs_f64(),
                peak_mb()
            );
            return;
        }
        _ => {}
    }
    let sizes: Vec<usize> = args
        .iter()
        .filter_map(|a| a.replace(['_', ','], "").parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100_000, 1_000_000]
    } else {
        sizes
    };
    for n in sizes {
        run(n);
    }
}
