//! Alignment speed and memory on generated documents (run: `cargo bench --bench align`).
//!
//! The generator writes a source document and a "translation" of it: every word is mapped to
//! another spelling of a different length (so that only length, numbers, names and links carry
//! signal, as across real languages), numbers are rewritten in another convention, a few
//! paragraphs are dropped or inserted. Shapes: numbered paragraphs, no numbers at all, chapters
//! of numbered verses (nested labels, as in a Bible) and the same verses with their numbers
//! stripped. With no arguments each size is run twice its size too; `copies` aligns one, two and
//! four concatenated copies of a text, to show that cost grows linearly even where no label is
//! unique. Each run prints its wall-clock and CPU time; the process's peak memory comes last.
//! `WRITE=DIR cargo bench --bench align -- 32000 verses` writes the pair (`source.en.txt`,
//! `source.es.txt`) to DIR instead, to time `paralign align` on it; `-- files SOURCE TARGET`
//! aligns two files of real text.

mod common;

use common::{cpu_seconds, peak_mb, Rng};

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

/// How the paragraphs are numbered.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// `1.`, `2.`, ... on every paragraph.
    Numbered,
    /// No numbers at all.
    Unnumbered,
    /// Chapters of 20 to 40 verses: a `Chapter 3` heading, then `1.`, `2.`, ... (nested
    /// labels `3.1`, `3.2`, as in a Bible).
    Verses,
    /// The verses' text with every chapter heading and verse number taken out.
    Stripped,
}

impl Shape {
    fn parse(s: &str) -> Option<Shape> {
        Some(match s {
            "numbered" => Shape::Numbered,
            "unnumbered" => Shape::Unnumbered,
            "verses" => Shape::Verses,
            "stripped" => Shape::Stripped,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Shape::Numbered => "numbered",
            Shape::Unnumbered => "unnumbered",
            Shape::Verses => "verses",
            Shape::Stripped => "stripped",
        }
    }
}

/// One paragraph of the source and its "translation".
fn paragraph(rng: &mut Rng) -> (String, String) {
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
                let w = word(rng);
                let name = format!("{}{}", w[..1].to_uppercase(), &w[1..]);
                s.push(name.clone());
                t.push(name);
            }
            _ => {
                let w = word(rng);
                t.push(translate(&w));
                s.push(w);
            }
        }
    }
    (s.join(" "), t.join(" "))
}

/// `paragraphs` paragraphs in `shape` (chapter headings count as paragraphs), with a few
/// dropped from the target and a few extra ones inserted into it.
fn generate(paragraphs: usize, shape: Shape, seed: u64) -> Pair {
    let mut rng = Rng(seed);
    let mut source = String::new();
    let mut target = String::new();
    let (mut chapter, mut verse, mut verses) = (0, 0, 0);
    let mut i = 0;
    while i < paragraphs {
        let verses_shape = matches!(shape, Shape::Verses | Shape::Stripped);
        if verses_shape && verse == verses {
            chapter += 1;
            verse = 0;
            verses = 20 + rng.below(21);
            if shape == Shape::Verses {
                let heading = format!("Chapter {chapter}\n\n");
                source.push_str(&heading);
                target.push_str(&heading);
                i += 1;
                continue;
            }
        }
        verse += 1;
        let (s, t) = paragraph(&mut rng);
        let prefix = match shape {
            Shape::Numbered => format!("{}.\t", i + 1),
            Shape::Verses => format!("{verse}. "),
            Shape::Unnumbered | Shape::Stripped => String::new(),
        };
        source.push_str(&format!("{prefix}{s}.\n\n"));
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
                target.push_str(&format!("{prefix}{t}.\n\n"));
            }
            _ => target.push_str(&format!("{prefix}{t}.\n\n")),
        }
        i += 1;
    }
    Pair { source, target }
}

/// What one run cost.
struct Cost {
    wall: f64,
    cpu: f64,
}

/// Parse and align `pair`, printing what it cost; `what` names the case.
fn measure(pair: &Pair, what: &str) -> Cost {
    let (c0, t0) = (cpu_seconds(), Instant::now());
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
    let cost = Cost {
        wall: t0.elapsed().as_secs_f64(),
        cpu: cpu_seconds() - c0,
    };
    let c = a.counts();
    let words = if a.model.words.is_some() {
        "word model"
    } else {
        "no word model"
    };
    println!(
        "{what:<28} {:>6} + {:>6} paragraphs: parse {parsed:>6.3} s, parse+align {:>6.3} s wall, \
         {:>6.2} s CPU  ({} pairs, {} missing, {} extra, {} misnumbered; {words})",
        s.paragraphs.len(),
        t.paragraphs.len(),
        cost.wall,
        cost.cpu,
        c.pairs,
        c.missing,
        c.extra,
        c.misnumbered,
    );
    cost
}

fn run(paragraphs: usize, shape: Shape) -> f64 {
    let pair = generate(paragraphs, shape, 0x9E3779B97F4A7C15 ^ paragraphs as u64);
    // `WRITE=DIR` writes the pair to DIR instead, to time the binary on it.
    if let Some(dir) = std::env::var_os("WRITE") {
        let dir = std::path::Path::new(&dir);
        for (name, text) in [
            ("source.en.txt", &pair.source),
            ("source.es.txt", &pair.target),
        ] {
            if let Err(e) = std::fs::write(dir.join(name), text) {
                eprintln!("cannot write {}: {e}", dir.join(name).display());
            }
        }
        return 0.0;
    }
    measure(&pair, &format!("{paragraphs} {}", shape.name())).wall
}

/// Align two files (`-- files SOURCE TARGET`, languages from their names): real text, and
/// how many pairs keep their places (right where the two files are one to one, as in the
/// corpus of `scripts/corpus/`).
fn files(source: &str, target: &str) {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let (s, t) = (read(source), read(target));
    let lang = |p: &str| {
        let stem = p.rsplit('/').next().unwrap_or(p);
        LangTag::parse(stem.split('.').rev().nth(1).unwrap_or("")).ok()
    };
    let (c0, t0) = (cpu_seconds(), Instant::now());
    let sd = Document::parse(source, &s, Format::Text);
    let td = Document::parse(target, &t, Format::Text);
    let opts = Options {
        source_lang: lang(source),
        target_lang: lang(target),
        ..Options::default()
    };
    let a = align(&sd, &td, &opts);
    let (wall, cpu) = (t0.elapsed().as_secs_f64(), cpu_seconds() - c0);
    let ones = a
        .pairs
        .iter()
        .filter(|p| p.source.len() == 1 && p.target.len() == 1);
    let right = ones.filter(|p| p.source == p.target).count();
    println!(
        "{} + {} paragraphs: parse+align {wall:.3} s wall, {cpu:.2} s CPU; {right} pairs one to one \
         in place ({:.2} % of the source)",
        sd.paragraphs.len(),
        td.paragraphs.len(),
        100.0 * right as f64 / sd.paragraphs.len().max(1) as f64
    );
}

/// One copy of a text, then two and four copies of it one after the other (every number and
/// label repeated, so that no label is unique): cost must grow linearly.
fn copies(paragraphs: usize, shape: Shape) {
    let one = generate(paragraphs, shape, 0x9E3779B97F4A7C15 ^ paragraphs as u64);
    let base = measure(&one, &format!("{paragraphs} {} ×1", shape.name()));
    for k in [2, 4] {
        let pair = Pair {
            source: one.source.repeat(k),
            target: one.target.repeat(k),
        };
        let c = measure(&pair, &format!("{paragraphs} {} ×{k}", shape.name()));
        println!(
            "  ×{k}: CPU time × {:.2}, wall time × {:.2} (of one copy)",
            c.cpu / base.cpu,
            c.wall / base.wall
        );
    }
}

fn main() {
    // As the binary sets it (src/main.rs): mimalloc's `mi_option_purge_delay` (15), 10 s.
    // SAFETY: before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(15, 10_000) };
    // `cargo bench` passes --bench; a size may be given to run one case: `-- 30000`,
    // `-- 5000 unnumbered`, `-- 32000 verses`, `-- 32000 stripped`, and `-- 8000 verses copies`
    // for one, two and four concatenated copies of a text.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.first().is_some_and(|a| a == "files") && args.len() >= 3 {
        files(&args[1], &args[2]);
        println!("peak memory {:.0} MB", peak_mb());
        return;
    }
    if let Some(n) = args.first().and_then(|a| a.parse::<usize>().ok()) {
        let shape = args
            .get(1)
            .and_then(|s| Shape::parse(s))
            .unwrap_or(Shape::Numbered);
        if args.get(2).is_some_and(|a| a == "copies") {
            copies(n, shape);
        } else {
            run(n, shape);
        }
        println!("peak memory {:.0} MB", peak_mb());
        return;
    }
    let a = run(30_000, Shape::Numbered);
    let b = run(60_000, Shape::Numbered);
    println!(
        "numbered: doubling the input multiplies the time by {:.2}",
        b / a
    );
    let c = run(5_000, Shape::Unnumbered);
    let d = run(10_000, Shape::Unnumbered);
    println!(
        "unnumbered: doubling the input multiplies the time by {:.2}",
        d / c
    );
    println!("peak memory {:.0} MB (whole run)", peak_mb());
}
