//! Alignment speed and memory on generated documents (run: `cargo bench --bench align`).
//!
//! The generator writes a source document and a "translation" of it: every word is mapped to
//! another spelling of a different length (so that only length, numbers, names and links carry
//! signal, as across real languages), numbers are rewritten in another convention, a few
//! paragraphs are dropped, merged or inserted. Two shapes: numbered paragraphs and no numbers
//! at all. Each size is run twice its size too, to show that time grows linearly.

mod common;

use common::{peak_mb, Rng};

use std::time::Instant;

use paralign::align::{align, Options};
use paralign::document::{Document, Format};
use paralign::language::LangTag;

// The allocator the `paralign` binary uses (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SYLLABLES: [&str; 16] = [
    "ka", "lo", "mer", "sti", "na", "ve", "dor", "pu", "ri", "san", "te", "bo", "gal", "fi", "u",
    "zen",
];

fn word(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3);
    (0..n).map(|_| SYLLABLES[rng.below(16) as usize]).collect()
}

/// "Translate" a word: another spelling of another length, the same for every occurrence.
fn translate(w: &str) -> String {
    let mut out: String = w.chars().rev().collect();
    if w.len() % 3 == 0 {
        out.push_str("en");
    }
    out
}

struct Pair {
    source: String,
    target: String,
}

fn generate(paragraphs: usize, numbered: bool, seed: u64) -> Pair {
    let mut rng = Rng(seed);
    let mut source = String::new();
    let mut target = String::new();
    let mut label = 0;
    for i in 0..paragraphs {
        let words = 20 + rng.below(80) as usize;
        let mut s = Vec::new();
        let mut t = Vec::new();
        for _ in 0..words {
            match rng.below(40) {
                0 => {
                    let n = rng.below(100_000);
                    s.push(format!("{},{:03}", n / 1000 + 1, n % 1000));
                    t.push(format!("{}.{:03}", n / 1000 + 1, n % 1000));
                }
                1 => {
                    let w = word(&mut rng);
                    let name = format!("{}{}", w[..1].to_uppercase(), &w[1..]);
                    s.push(name.clone());
                    t.push(name);
                }
                _ => {
                    let w = word(&mut rng);
                    t.push(translate(&w));
                    s.push(w);
                }
            }
        }
        label += 1;
        let prefix = if numbered {
            format!("{label}.\t")
        } else {
            String::new()
        };
        source.push_str(&format!("{prefix}{}.\n\n", s.join(" ")));
        match (i % 97, i % 211) {
            (13, _) => {} // dropped in the target
            (_, 17) => {
                // an extra target paragraph before this one
                let extra: Vec<String> = (0..30).map(|_| translate(&word(&mut rng))).collect();
                target.push_str(&format!(
                    "{} {}.\n\n",
                    extra.join(" "),
                    1000 + rng.below(9000)
                ));
                target.push_str(&format!("{prefix}{}.\n\n", t.join(" ")));
            }
            _ => target.push_str(&format!("{prefix}{}.\n\n", t.join(" "))),
        }
    }
    Pair { source, target }
}

fn run(paragraphs: usize, numbered: bool) -> f64 {
    let pair = generate(paragraphs, numbered, 0x9E3779B97F4A7C15 ^ paragraphs as u64);
    let t0 = Instant::now();
    let s = Document::parse("source.en.txt", &pair.source, Format::Text);
    let t = Document::parse("target.es.txt", &pair.target, Format::Text);
    let parsed = t0.elapsed().as_secs_f64();
    // With languages, as `check` runs it: every pair's language is judged too.
    let opts = Options {
        source_lang: LangTag::parse("en").ok(),
        target_lang: LangTag::parse("es").ok(),
        ..Options::default()
    };
    let a = align(&s, &t, &opts);
    let total = t0.elapsed().as_secs_f64();
    let c = a.counts();
    println!(
        "{:>6} paragraphs, {:<10} parse {:>6.3} s, parse+align {:>6.3} s  ({} pairs, {} missing, {} extra)",
        paragraphs,
        if numbered { "numbered" } else { "unnumbered" },
        parsed,
        total,
        c.pairs,
        c.missing,
        c.extra
    );
    total
}

fn main() {
    // `cargo bench` passes --bench; a size may be given to run one case.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let Some(n) = args.first().and_then(|a| a.parse::<usize>().ok()) {
        run(n, args.get(1).map(|s| s != "unnumbered").unwrap_or(true));
        println!("peak memory {:.0} MB", peak_mb());
        return;
    }
    let a = run(30_000, true);
    let b = run(60_000, true);
    println!(
        "numbered: doubling the input multiplies the time by {:.2}",
        b / a
    );
    let c = run(5_000, false);
    let d = run(10_000, false);
    println!(
        "unnumbered: doubling the input multiplies the time by {:.2}",
        d / c
    );
    println!("peak memory {:.0} MB (whole run)", peak_mb());
}
