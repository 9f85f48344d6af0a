//! Translation memory speed and size on generated documents (not a timed test).
//!
//! `cargo bench --bench store` runs every case; `cargo bench --bench store -- CASE` runs one:
//! - `import`: a pair of 30,000-paragraph documents written to files, imported the way
//!   `paralign import` does it (read, align, store in one transaction), then imported again
//!   unchanged, then with one source paragraph edited.
//! - `million`: 1,000,000 segments built from generated documents and a generated alignment
//!   (1,000 documents of 1,000 paragraphs, 20 imports of 50 documents), with the database's size
//!   against the text it holds. `million-aligned` (only when named) aligns them with paralign.
//! - `status`: `status` over 1,000 documents in 20 languages, through the library and the binary.
//!
//! The generator maps every word to another spelling of another length, so that only length,
//! numbers and names carry signal, as between real languages.

mod common;

use common::Rng;

use std::path::{Path, PathBuf};
use std::time::Instant;

use paralign::align::{align, Options, Pair};
use paralign::check::{check_set, CheckOptions, DocResult, TargetResult};
use paralign::collect::{collect, DocumentSet, Version};
use paralign::document::{Document, Format};
use paralign::language::LangTag;
use paralign::store::{Clock, Store};

/// Common English words and their Spanish counterparts, so that language detection sees
/// English and Spanish.
const WORDS: [(&str, &str); 96] = [
    ("the", "el"),
    ("of", "de"),
    ("and", "y"),
    ("to", "a"),
    ("in", "en"),
    ("is", "es"),
    ("that", "que"),
    ("for", "para"),
    ("it", "lo"),
    ("with", "con"),
    ("as", "como"),
    ("was", "fue"),
    ("on", "sobre"),
    ("are", "son"),
    ("by", "por"),
    ("this", "este"),
    ("from", "desde"),
    ("have", "tienen"),
    ("not", "no"),
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
    ("people", "gente"),
    ("support", "apoyo"),
    ("government", "gobierno"),
    ("law", "ley"),
    ("right", "derecho"),
    ("work", "trabajo"),
    ("day", "día"),
    ("year", "año"),
    ("week", "semana"),
    ("month", "mes"),
    ("new", "nuevo"),
    ("old", "viejo"),
    ("great", "gran"),
    ("many", "muchos"),
    ("all", "todos"),
    ("some", "algunos"),
    ("other", "otro"),
    ("first", "primero"),
    ("last", "último"),
    ("against", "contra"),
    ("between", "entre"),
    ("because", "porque"),
    ("without", "sin"),
    ("after", "después"),
    ("before", "antes"),
    ("during", "durante"),
    ("also", "también"),
    ("only", "solo"),
    ("still", "todavía"),
    ("more", "más"),
    ("less", "menos"),
    ("must", "deben"),
    ("can", "pueden"),
    ("will", "van"),
    ("say", "dicen"),
    ("demand", "exigen"),
    ("call", "llaman"),
    ("meeting", "reunión"),
    ("agreement", "acuerdo"),
    ("wages", "salarios"),
    ("hours", "horas"),
    ("house", "casa"),
    ("school", "escuela"),
    ("water", "agua"),
    ("money", "dinero"),
    ("price", "precio"),
    ("family", "familia"),
    ("children", "niños"),
    ("street", "calle"),
    ("country", "país"),
    ("world", "mundo"),
    ("committee", "comité"),
    ("secretary", "secretaria"),
    ("press", "prensa"),
    ("statement", "declaración"),
    ("police", "policía"),
    ("court", "tribunal"),
    ("which", "cual"),
    ("where", "donde"),
    ("when", "cuando"),
    ("they", "ellos"),
    ("we", "nosotros"),
    ("our", "nuestro"),
    ("their", "su"),
    ("would", "sería"),
    ("should", "debería"),
];

/// "Translate" a word into target language `k`: Spanish for the first, another spelling for
/// the others, the same for every occurrence.
fn translate(w: usize, k: usize) -> String {
    if k == 0 {
        return WORDS[w].1.to_string();
    }
    let mut out: String = WORDS[w].0.chars().rev().collect();
    out.push_str(["en", "o", "ak", "i", "um"][k % 5]);
    out.insert(0, (b'a' + (k % 26) as u8) as char);
    out
}

fn name(rng: &mut Rng) -> String {
    const S: [&str; 8] = ["Val", "mo", "ra", "Kes", "ler", "Ber", "ger", "ta"];
    let a = S[rng.below(8) as usize];
    let b = S[rng.below(8) as usize].to_lowercase();
    format!("{}{b}", a[..1].to_uppercase() + &a[1..].to_lowercase())
}

/// A source text and its translations into `langs` languages, `paragraphs` numbered
/// paragraphs of `min..min+spread` words.
fn generate(
    paragraphs: usize,
    langs: usize,
    words: (u64, u64),
    seed: u64,
) -> (String, Vec<String>) {
    let mut rng = Rng(seed | 1);
    let mut source = String::new();
    let mut targets = vec![String::new(); langs];
    for i in 0..paragraphs {
        let n = words.0 + rng.below(words.1);
        let mut s = Vec::new();
        let mut t: Vec<Vec<String>> = vec![Vec::new(); langs];
        for _ in 0..n {
            match rng.below(25) {
                0 => {
                    let v = rng.below(100_000);
                    s.push(v.to_string());
                    t.iter_mut().for_each(|t| t.push(v.to_string()));
                }
                1 => {
                    let nm = name(&mut rng);
                    t.iter_mut().for_each(|t| t.push(nm.clone()));
                    s.push(nm);
                }
                _ => {
                    let w = rng.below(WORDS.len() as u64) as usize;
                    for (k, t) in t.iter_mut().enumerate() {
                        t.push(translate(w, k));
                    }
                    s.push(WORDS[w].0.to_string());
                }
            }
        }
        source.push_str(&format!("{}.\t{}.\n\n", i + 1, s.join(" ")));
        for (k, t) in t.iter().enumerate() {
            targets[k].push_str(&format!("{}.\t{}.\n\n", i + 1, t.join(" ")));
        }
    }
    (source, targets)
}

const LANGS: [&str; 21] = [
    "en", "es", "fr", "de", "it", "pt", "nl", "ru", "pl", "sv", "da", "fi", "cs", "hu", "ro", "tr",
    "el", "bg", "uk", "hr", "sk",
];

fn version(id: &str, lang: &str, text: &str) -> Version {
    let tag = LangTag::parse(lang).expect("a known tag");
    let mut doc = Document::parse(&format!("{id}.{lang}.txt"), text, Format::Text);
    doc.lang = Some(tag.clone());
    Version {
        lang: tag,
        doc,
        origin: None,
    }
}

/// Generated documents aligned in memory (no files), ready to import.
fn aligned_docs(
    first: usize,
    count: usize,
    paragraphs: usize,
    langs: usize,
    words: (u64, u64),
) -> Vec<DocResult> {
    let opts = CheckOptions {
        source_lang: LangTag::parse("en").ok(),
        ..CheckOptions::default()
    };
    (first..first + count)
        .map(|d| {
            let id = format!("doc{d:05}");
            let (s, ts) = generate(paragraphs, langs, words, 0x9E37_79B9 ^ (d as u64) << 20);
            let mut versions = vec![version(&id, "en", &s)];
            for (k, t) in ts.iter().enumerate() {
                versions.push(version(&id, LANGS[k + 1], t));
            }
            let set = DocumentSet {
                id,
                versions,
                errors: Vec::new(),
                split: false,
            };
            check_set(set, &opts)
        })
        .collect()
}

fn file_size(p: &Path) -> u64 {
    let wal = PathBuf::from(format!("{}-wal", p.display()));
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn bench_import(dir: &Path) {
    println!("== import: a pair of 30,000-paragraph documents");
    let (s, ts) = generate(30_000, 1, (12, 30), 42);
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("big.en.txt"), &s).unwrap();
    std::fs::write(docs.join("big.es.txt"), &ts[0]).unwrap();
    let db = dir.join("import.sqlite");
    let run = |label: &str| {
        let t0 = Instant::now();
        let mut store = Store::open(&db, Clock::Fixed(1_700_000_000)).unwrap();
        let c = collect(std::slice::from_ref(&docs));
        let read = t0.elapsed().as_secs_f64();
        let mut results: Vec<DocResult> = c
            .sets
            .into_iter()
            .map(|s| check_set(s, &CheckOptions::default()))
            .collect();
        let aligned = t0.elapsed().as_secs_f64();
        let report = store.import(&mut results, &mut |_| {}).unwrap();
        let total = t0.elapsed().as_secs_f64();
        let t = &report.documents[0].targets[0];
        println!(
            "{label:<30} read {read:>6.3} s, align {:>6.3} s, store {:>6.3} s, total {total:>6.3} s \
             ({} pairs, {} new segments, {} outdated)",
            aligned - read,
            total - aligned,
            t.pairs,
            t.segments_new,
            t.outdated
        );
    };
    run("library, first import");
    // The same through the binary, as a user runs it.
    let exe = env!("CARGO_BIN_EXE_paralign");
    let cli_db = dir.join("import-cli.sqlite");
    let cli = |label: &str| {
        let t = Instant::now();
        let out = std::process::Command::new(exe)
            .arg("import")
            .arg(&docs)
            .arg("--db")
            .arg(&cli_db)
            .env("PARALIGN_NOW", "2024-03-14T10:00:00Z")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        println!(
            "{label:<30} {:>6.3} s  {}",
            t.elapsed().as_secs_f64(),
            text.lines().last().unwrap_or("")
        );
    };
    cli("paralign import, first");
    cli("paralign import, unchanged");
    let edited = s.replacen("1.\t", "1.\tEdited ", 1);
    std::fs::write(docs.join("big.en.txt"), edited).unwrap();
    cli("paralign import, 1 edited");
    println!(
        "text {:.1} MB, database {:.1} MB",
        mb((s.len() + ts[0].len()) as u64),
        mb(file_size(&db))
    );
}

/// Generated documents with a generated one-to-one alignment (no aligner): what the memory
/// itself costs.
fn paired_docs(first: usize, count: usize, paragraphs: usize) -> Vec<DocResult> {
    let empty = Document::parse("empty.txt", "", Format::Text);
    let template = align(&empty, &empty, &Options::default());
    (first..first + count)
        .map(|d| {
            let id = format!("doc{d:05}");
            let (s, ts) = generate(paragraphs, 1, (8, 16), 0x9E37_79B9 ^ (d as u64) << 20);
            let source = version(&id, "en", &s);
            let target = version(&id, "es", &ts[0]);
            let mut alignment = template.clone();
            alignment.pairs = (0..paragraphs)
                .map(|i| Pair {
                    source: vec![i],
                    target: vec![i],
                    score: Some(0.5 + (i % 50) as f64 / 100.0),
                    flags: Vec::new(),
                    reasons: Vec::new(),
                    signals: None,
                    notes: Vec::new(),
                })
                .collect();
            DocResult {
                id,
                source: Some(source),
                targets: vec![TargetResult {
                    version: target,
                    alignment,
                }],
                errors: Vec::new(),
                notes: Vec::new(),
            }
        })
        .collect()
}

fn bench_million(dir: &Path, aligned: bool) {
    println!(
        "== million{}: 1,000,000 segments from 1,000 generated documents of 1,000 paragraphs{}",
        if aligned { "-aligned" } else { "" },
        if aligned {
            ", aligned by paralign on 2 threads"
        } else {
            ", with a generated alignment"
        }
    );
    let db = dir.join(if aligned {
        "million-aligned.sqlite"
    } else {
        "million.sqlite"
    });
    let mut store = Store::open(&db, Clock::Fixed(1_700_000_000)).unwrap();
    let (mut gen_s, mut store_s) = (0.0, 0.0);
    let t0 = Instant::now();
    for batch in 0..20 {
        let t = Instant::now();
        let mut docs = if aligned {
            // Two threads, as the machine has two cores.
            let (a, b) = std::thread::scope(|sc| {
                let a = sc.spawn(|| aligned_docs(batch * 50, 25, 1_000, 1, (8, 16)));
                let b = sc.spawn(|| aligned_docs(batch * 50 + 25, 25, 1_000, 1, (8, 16)));
                (a.join().unwrap(), b.join().unwrap())
            });
            a.into_iter().chain(b).collect()
        } else {
            paired_docs(batch * 50, 50, 1_000)
        };
        gen_s += t.elapsed().as_secs_f64();
        let t = Instant::now();
        store.import(&mut docs, &mut |_| {}).unwrap();
        store_s += t.elapsed().as_secs_f64();
    }
    let total = t0.elapsed().as_secs_f64();
    let (documents, versions, segments, texts, text_bytes) = store.sizes().unwrap();
    drop(store);
    let size = file_size(&db);
    println!(
        "{segments} segments, {documents} documents, {versions} versions, {texts} texts: \
         {} {gen_s:.1} s, store {store_s:.1} s, total {total:.1} s",
        if aligned {
            "generate+parse+align"
        } else {
            "generate+parse"
        }
    );
    println!(
        "text held {:.1} MB, database {:.1} MB: {:.2} times the text",
        mb(text_bytes as u64),
        mb(size),
        size as f64 / text_bytes as f64
    );
}

fn bench_status(dir: &Path) {
    println!("== status: 1,000 documents in 20 languages");
    let db = dir.join("status.sqlite");
    let mut store = Store::open(&db, Clock::Fixed(1_700_000_000)).unwrap();
    let t0 = Instant::now();
    for batch in 0..10 {
        let mut docs = aligned_docs(batch * 100, 100, 12, 20, (8, 10));
        store.import(&mut docs, &mut |_| {}).unwrap();
    }
    println!("built in {:.1} s", t0.elapsed().as_secs_f64());
    drop(store);
    let t = Instant::now();
    let store = Store::open_read_only(&db).unwrap();
    let docs = store.status().unwrap();
    let rows: usize = docs.iter().map(|d| d.targets.len()).sum();
    println!(
        "library: open + status {:.3} s ({} documents, {rows} rows)",
        t.elapsed().as_secs_f64(),
        docs.len()
    );
    let exe = env!("CARGO_BIN_EXE_paralign");
    for format in ["text", "json", "markdown"] {
        let t = Instant::now();
        let out = std::process::Command::new(exe)
            .args(["status", "--format", format, "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success());
        println!(
            "binary: paralign status --format {format:<8} {:.3} s ({} bytes)",
            t.elapsed().as_secs_f64(),
            out.stdout.len()
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let want = |name: &str| args.is_empty() || args.iter().any(|a| a == name);
    let dir = tempfile::tempdir().unwrap();
    if want("import") {
        bench_import(dir.path());
    }
    if want("million") {
        bench_million(dir.path(), false);
    }
    // Through the aligner too: slow (about two minutes), so only when asked.
    if args.iter().any(|a| a == "million-aligned") {
        bench_million(dir.path(), true);
    }
    if want("status") {
        bench_status(dir.path());
    }
}
