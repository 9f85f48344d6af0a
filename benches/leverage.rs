//! Leverage on real software messages: where a stored message with a number inserted, a number
//! changed, a placeholder changed or a number removed lands, through the memory's lookup (what
//! `paralign lookup` and `analyze` run), side by side with translate-toolkit's matcher.
//!
//! Run: `CORPUS=/path/to/corpus cargo bench --bench leverage`. The corpus is kept outside the
//! repository; `scripts/corpus/build.sh OUT` builds it (its `software/` genre: gettext
//! catalogs of Debian 12 packages, `software/DOMAIN/LANG.txt`, line k of every language the
//! translation of line k of `en.txt`). Without `CORPUS` the benchmark says so and stops.
//!
//! For each target language (`LANGS`, default `es,fr,de,ru`) it stores every message pair of
//! every domain in a memory (`target/bench-leverage/LANG.sqlite`, rebuilt each run), draws
//! `SAMPLE` (default 1000) messages of at least three words (a fixed seed), and makes one query
//! of each kind from each message it applies to:
//! - `insert number`: a number (1-999) inserted between two words;
//! - `change number`: the message's first number (standing on its own: not in `utf8`, `%1$s`
//!   or `1.5`) replaced by the next one;
//! - `remove number`: that number taken out;
//! - `change placeholder`: its first `%s` made `%d` (or `%d` made `%s`).
//!
//! Each query is looked up (`Store::best_matches`, minimum 50, the best match) and the
//! benchmark counts: the best match is the message it was made from (or the same text), its
//! percentage is in 95-99, is 100 (never right: the texts differ), and the median. The same
//! pairs scored with translate-toolkit's matcher (`translate/search/lshtein.py`,
//! `LevenshteinComparer.similarity`: `100 − 100 × Levenshtein(characters) / len(longer)` on the
//! first 200 characters, 7 points off when it cuts the longer text and the cut texts are the
//! same; reimplemented here from that description, the package is not installed) give its
//! share in 95-99 beside ours, on the message the query was made from.

mod common;

use std::path::{Path, PathBuf};

use common::Rng;
use paralign::document::normalize;
use paralign::reuse::{levenshtein, match_score};
use paralign::store::{hash64, Clock, Store};
use rusqlite::{params, Connection};

/// The kinds of query, in report order.
const KINDS: [&str; 4] = [
    "insert number",
    "change number",
    "remove number",
    "change placeholder",
];

/// Message pairs (English, translation) of every domain that has the language.
fn pairs(software: &Path, lang: &str) -> Vec<(String, String)> {
    let mut domains: Vec<PathBuf> = std::fs::read_dir(software)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    domains.sort();
    let mut out = Vec::new();
    for d in domains {
        let (Ok(en), Ok(tr)) = (
            std::fs::read_to_string(d.join("en.txt")),
            std::fs::read_to_string(d.join(format!("{lang}.txt"))),
        ) else {
            continue;
        };
        out.extend(
            en.lines()
                .zip(tr.lines())
                .map(|(a, b)| (a.to_string(), b.to_string())),
        );
    }
    out
}

/// A memory of these pairs at `path` (made anew), indexed for lookup.
fn memory(path: &Path, lang: &str, pairs: &[(String, String)]) {
    let _ = std::fs::remove_file(path);
    drop(Store::open(path, Clock::Fixed(1_710_410_400)).unwrap());
    let mut c = Connection::open(path).unwrap();
    c.pragma_update(None, "synchronous", "OFF").unwrap();
    let tx = c.transaction().unwrap();
    tx.execute(
        "INSERT INTO document (name, source_lang) VALUES ('software', 'en')",
        [],
    )
    .unwrap();
    let doc = tx.last_insert_rowid();
    {
        let mut text = tx
            .prepare("INSERT INTO text (hash, body) VALUES (?1, ?2)")
            .unwrap();
        let mut seg = tx
            .prepare(
                "INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                    source_hash, document_id, label, score, flags, origin, created_at, changed_at)
                 VALUES ('en', ?5, ?1, ?2, ?3, ?4, NULL, 0.9, 0, 'import', 1710410400, 1710410400)",
            )
            .unwrap();
        for (s, t) in pairs {
            text.execute(params![hash64(s), s]).unwrap();
            let sid = tx.last_insert_rowid();
            text.execute(params![hash64(t), t]).unwrap();
            let tid = tx.last_insert_rowid();
            seg.execute(params![sid, tid, hash64(&normalize(s)), doc, lang])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    drop(c);
    let mut store = Store::open(path, Clock::Fixed(1_710_410_400)).unwrap();
    store.update_lookup_index().unwrap();
    store.refresh_lookup_stats().unwrap();
}

/// The byte range of the first number of a text standing on its own (digits not inside a
/// word such as `utf8` or a placeholder such as `%1$s`), if any.
fn first_number(text: &str) -> Option<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let before = start.checked_sub(1).map(|k| b[k]);
        let after = b.get(i).copied();
        let glued = |c: Option<u8>| {
            c.is_some_and(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'%' | b'$' | b'_' | b'.' | b',')
            })
        };
        if !glued(before) && !glued(after) {
            return Some(start..i);
        }
    }
    None
}

/// The query of one kind made from a message, if the kind applies to it.
fn query(kind: &str, text: &str, rng: &mut Rng) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    match kind {
        "insert number" => {
            let at = 1 + rng.below(words.len() as u64 - 1) as usize;
            let n = (1 + rng.below(999)).to_string();
            let mut w: Vec<&str> = words.clone();
            w.insert(at, &n);
            Some(w.join(" "))
        }
        "change number" => {
            let r = first_number(text)?;
            let old: u64 = text[r.clone()].parse().ok()?;
            Some(format!("{}{}{}", &text[..r.start], old + 1, &text[r.end..]))
        }
        "remove number" => {
            let r = first_number(text)?;
            let out = format!("{}{}", &text[..r.start], &text[r.end..]);
            Some(out.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        "change placeholder" => {
            if text.contains("%s") {
                Some(text.replacen("%s", "%d", 1))
            } else if text.contains("%d") {
                Some(text.replacen("%d", "%s", 1))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// translate-toolkit's `LevenshteinComparer.similarity` (see the module doc), truncated to an
/// integer as its matcher reports it.
fn toolkit(a: &str, b: &str) -> u8 {
    let mut a: Vec<u32> = a.chars().map(u32::from).collect();
    let mut b: Vec<u32> = b.chars().map(u32::from).collect();
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a.len() > b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    let mut penalty = 0.0;
    if b.len() > 200 {
        b.truncate(200);
        penalty += 7.0;
        if a.len() > 200 {
            a.truncate(200);
            penalty += 7.0;
        }
    }
    let d = levenshtein(&a, &b);
    if d != 0 {
        penalty = 0.0;
    }
    let s = 100.0 - 100.0 * d as f64 / b.len() as f64 - penalty;
    s.max(0.0) as u8
}

/// What one kind of query gave.
#[derive(Default)]
struct Tally {
    queries: usize,
    found: usize,
    high: usize,
    hundred: usize,
    ours_formula_high: usize,
    toolkit_high: usize,
    percents: Vec<u8>,
    toolkit: Vec<u8>,
}

fn median(v: &mut [u8]) -> u8 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn run_lang(software: &Path, lang: &str, sample: usize) {
    let pairs = pairs(software, lang);
    if pairs.is_empty() {
        println!("{lang}: no messages");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-leverage");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{lang}.sqlite"));
    memory(&path, lang, &pairs);
    let store = Store::open_read_only(&path).unwrap();
    let mut rng = Rng(0x5EED_1E7E_4A6E_0016);
    let mut picked: Vec<usize> = (0..pairs.len())
        .filter(|&i| pairs[i].0.split(' ').count() >= 3)
        .collect();
    // A fixed shuffle, then the first `sample`.
    for i in (1..picked.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        picked.swap(i, j);
    }
    picked.truncate(sample);
    let mut tallies: Vec<Tally> = KINDS.iter().map(|_| Tally::default()).collect();
    let langs = vec![lang.to_string()];
    for &i in &picked {
        let stored = &pairs[i].0;
        for (k, kind) in KINDS.iter().enumerate() {
            let Some(q) = query(kind, stored, &mut rng) else {
                continue;
            };
            let t = &mut tallies[k];
            t.queries += 1;
            let tk = toolkit(&q, stored);
            t.toolkit.push(tk);
            t.toolkit_high += usize::from((95..=99).contains(&tk));
            let formula = match_score(&q, stored).percent;
            t.ours_formula_high += usize::from((95..=99).contains(&formula));
            let prepared = paralign::reuse::Prepared::new(&q);
            let best = store
                .best_matches(&prepared, Some("en"), &langs, 50, 1)
                .unwrap()
                .pop()
                .unwrap_or_default();
            let Some(m) = best.first() else {
                t.percents.push(0);
                continue;
            };
            let same = normalize(&m.candidate.source) == normalize(stored);
            t.found += usize::from(same);
            t.high += usize::from(same && (95..=99).contains(&m.score.percent));
            t.hundred += usize::from(m.score.percent == 100);
            t.percents.push(m.score.percent);
        }
    }
    println!(
        "{lang}: {} message pairs stored, {} messages drawn",
        pairs.len(),
        picked.len()
    );
    println!(
        "  {:<19} {:>7} {:>9} {:>8} {:>6} {:>7} | {:>10} {:>11} {:>10}",
        "query", "queries", "found", "95-99", "100", "median", "formula", "toolkit", "tk median"
    );
    for (kind, t) in KINDS.iter().zip(&mut tallies) {
        println!(
            "  {:<19} {:>7} {:>8.1}% {:>7.1}% {:>6} {:>7} | {:>9.1}% {:>10.1}% {:>10}",
            kind,
            t.queries,
            pct(t.found, t.queries),
            pct(t.high, t.queries),
            t.hundred,
            median(&mut t.percents),
            pct(t.ours_formula_high, t.queries),
            pct(t.toolkit_high, t.queries),
            median(&mut t.toolkit),
        );
    }
}

fn main() {
    let Some(corpus) = std::env::var_os("CORPUS").map(PathBuf::from) else {
        println!(
            "leverage: set CORPUS to a corpus built by `scripts/corpus/build.sh OUT` \
             (its software/ genre is used); nothing measured"
        );
        return;
    };
    let software = corpus.join("software");
    let langs = std::env::var("LANGS").unwrap_or_else(|_| "es,fr,de,ru".into());
    let sample: usize = std::env::var("SAMPLE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    println!(
        "leverage on {} (found: the best match is the message the query was made from; \
         95-99: found there; formula: our score against that message; toolkit: \
         translate-toolkit's against it)",
        software.display()
    );
    for lang in langs.split(',').map(str::trim).filter(|l| !l.is_empty()) {
        run_lang(&software, lang, sample);
    }
}
