//! Accuracy on the multilingual fixtures (run: `cargo bench --bench accuracy`).
//!
//! For every translation in `fixtures/multilingual/` (and `fixtures/statement/`), aligned with
//! the English source in three shapes (numbered paragraphs as written, numbered headings
//! followed by paragraphs, and no numbers at all), it measures the share of paragraph pairs
//! right, then injects one defect at a time into every numbered paragraph in turn — a deleted
//! paragraph, a changed number, a paragraph cut to a third, a paragraph from elsewhere, the
//! source text left untranslated, an inserted paragraph — and counts the right flag, and the
//! false flags on the sound paragraphs around it.

mod common;

use std::collections::BTreeMap;

use common::Tally;
use paralign::align::{align, Flag, Options, Pair};
use paralign::document::{Document, Format, LabelKind};
use paralign::language::{close_relatives, LangTag};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Shape {
    Numbered,
    Headings,
    Unnumbered,
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Remove a leading label `N.` and the space after it.
fn strip_label(p: &str) -> String {
    let t = p.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && t[digits..].starts_with('.') {
        t[digits + 1..].trim_start().to_string()
    } else {
        p.to_string()
    }
}

fn label_of(p: &str) -> Option<String> {
    let t = p.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && t[digits..].starts_with('.')).then(|| t[..digits].to_string())
}

/// The document in a shape: numbered as is; a heading `Section N` before each paragraph; or
/// labels removed. Returns the text and, for each original paragraph, its index in the shape.
fn shaped(ps: &[String], shape: Shape, heading_word: &str) -> (Vec<String>, Vec<usize>) {
    let mut out = Vec::new();
    let mut map = Vec::new();
    for p in ps {
        match shape {
            Shape::Numbered => {
                map.push(out.len());
                out.push(p.clone());
            }
            Shape::Unnumbered => {
                map.push(out.len());
                out.push(strip_label(p));
            }
            Shape::Headings => {
                if let Some(l) = label_of(p) {
                    out.push(format!("{heading_word} {l}"));
                }
                map.push(out.len());
                out.push(strip_label(p));
            }
        }
    }
    (out, map)
}

fn doc(ps: &[String], path: &str, lang: &str) -> Document {
    let mut d = Document::parse(path, &ps.join("\n\n"), Format::Text);
    d.lang = LangTag::parse(lang).ok();
    d
}

fn run(src: &Document, tgt: &Document, sl: &str, tl: &str) -> Vec<Pair> {
    let opts = Options {
        source_lang: LangTag::parse(sl).ok(),
        target_lang: LangTag::parse(tl).ok(),
        signals: true,
        ..Options::default()
    };
    align(src, tgt, &opts).pairs
}

fn main() {
    let mut files: Vec<(String, String)> = Vec::new();
    for dir in ["fixtures/statement", "fixtures/multilingual"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        names.sort();
        for p in names {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if let Some((_, tag)) = LangTag::from_file_name(&name) {
                if tag.as_str() != "en" {
                    files.push((
                        tag.to_string(),
                        std::fs::read_to_string(&p).unwrap_or_default(),
                    ));
                }
            }
        }
    }
    let en = paragraphs(
        &std::fs::read_to_string("fixtures/statement/statement.en.txt")
            .expect("the English source"),
    );
    let mut pairs_right: BTreeMap<Shape, Tally> = BTreeMap::new();
    let mut flags_right: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut false_flags = Tally::default();
    let mut failures: Vec<String> = Vec::new();
    let numbered: Vec<usize> = (0..en.len())
        .filter(|&i| label_of(&en[i]).is_some())
        .collect();
    for (n, (lang, text)) in files.iter().enumerate() {
        let tr = paragraphs(text);
        // The same statement in a third language: the next one in the list that is not a close
        // relative (Russian for Spanish, Arabic for Russian, ...).
        let tag = LangTag::parse(lang).expect("a tag");
        let third: Vec<String> = (1..files.len())
            .map(|d| &files[(n + d) % files.len()])
            .find(|(l, _)| !close_relatives(&tag, &LangTag::parse(l).expect("a tag")))
            .map(|(_, t)| paragraphs(t))
            .unwrap_or_default();
        if third.len() != en.len() {
            continue;
        }
        if tr.len() != en.len() {
            eprintln!(
                "skipping {lang}: {} paragraphs, the source has {}",
                tr.len(),
                en.len()
            );
            continue;
        }
        for shape in [Shape::Numbered, Shape::Headings, Shape::Unnumbered] {
            let (s_ps, s_map) = shaped(&en, shape, "Section");
            let src = doc(&s_ps, "en", "en");
            // Sound translation: every pair 1-1 and unflagged.
            let (t_ps, t_map) = shaped(&tr, shape, "§");
            let pairs = run(&src, &doc(&t_ps, lang, lang), "en", lang);
            for (k, &si) in s_map.iter().enumerate() {
                let ok = pairs
                    .iter()
                    .any(|p| p.source == [si] && p.target == [t_map[k]]);
                pairs_right.entry(shape).or_default().add(ok);
                if !ok {
                    failures.push(format!(
                        "{lang} {shape:?}: source {si} not paired with {}",
                        t_map[k]
                    ));
                }
            }
            for p in &pairs {
                false_flags.add(p.flags.is_empty());
                if !p.flags.is_empty() {
                    failures.push(format!(
                        "{lang} {shape:?}: sound pair {:?}->{:?} flagged {:?} {:?}",
                        p.source, p.target, p.flags, p.reasons
                    ));
                }
            }
            // Defects, one at a time, on each numbered paragraph.
            for &k in &numbered {
                let defects = defects(&tr, &en, &third, k);
                for (what, t) in defects {
                    let (t_ps, _) = shaped(&t, shape, "§");
                    let pairs = run(&src, &doc(&t_ps, lang, lang), "en", lang);
                    let si = s_map[k];
                    let ok = caught(what, &pairs, si);
                    flags_right.entry(what).or_default().add(ok);
                    if !ok {
                        failures.push(format!(
                            "{lang} {shape:?}: {what} at source {si} not flagged"
                        ));
                    }
                    // False flags: pairs away from the defect.
                    for p in &pairs {
                        let near = p.source.iter().any(|&i| i + 1 >= si && i <= si + 1)
                            || p.source.is_empty() && what == "extra";
                        if !near {
                            false_flags.add(p.flags.is_empty());
                            if !p.flags.is_empty() {
                                failures.push(format!("{lang} {shape:?} with {what} at {si}: false flag on {:?}->{:?} {:?} {:?}", p.source, p.target, p.flags, p.reasons));
                            }
                        }
                    }
                }
            }
        }
    }
    println!(
        "languages: {}",
        files
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (shape, t) in &pairs_right {
        println!("pairs right, {shape:?}: {}", t.pct(1));
    }
    for (what, t) in &flags_right {
        println!("flagged, {what}: {}", t.pct(1));
    }
    println!("sound pairs not flagged: {}", false_flags.pct(1));
    let show: usize = std::env::var("SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    for f in failures.iter().take(show) {
        println!("  {f}");
    }
    if failures.len() > show {
        println!("  ... {} more (SHOW=N to see more)", failures.len() - show);
    }
    real_texts(show);
}

/// The same measures on real translations: the articles of the Universal Declaration of
/// Human Rights (fixtures/udhr, from `Article 1` to the end: one to one in every language),
/// as written (article headings) and without the headings; defects go into every paragraph
/// of the articles' text. The preambles differ between languages and are left out.
fn real_texts(show: usize) {
    let read = |lang: &str| {
        paragraphs(
            &std::fs::read_to_string(format!("fixtures/udhr/udhr.{lang}.txt"))
                .expect("fixtures/udhr"),
        )
    };
    let en_all = read("en");
    let start = en_all
        .iter()
        .position(|p| p == "Article 1")
        .expect("Article 1 in the English UDHR");
    let n = en_all.len() - start;
    let en_doc = Document::parse("en", &en_all[start..].join("\n\n"), Format::Text);
    let headings: Vec<bool> = en_doc
        .paragraphs
        .iter()
        .map(|p| {
            p.label
                .as_ref()
                .is_some_and(|l| l.kind == LabelKind::Heading)
        })
        .collect();
    assert_eq!(headings.len(), n, "one paragraph per block");
    let langs = ["ar", "el", "es", "fr", "hi", "ja", "ru", "zh-Hans"];
    let texts: Vec<Vec<String>> = langs
        .iter()
        .map(|l| {
            let all = read(l);
            assert!(all.len() >= n, "{l}: the articles");
            all[all.len() - n..].to_vec()
        })
        .collect();
    let mut pairs_right: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut flags_right: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut false_flags = Tally::default();
    let mut failures: Vec<String> = Vec::new();
    let mut as_they_are: Vec<String> = Vec::new();
    for shape in ["with headings", "without headings"] {
        let keep = |ps: &[String]| -> Vec<String> {
            ps.iter()
                .zip(&headings)
                .filter(|(_, &h)| shape == "with headings" || !h)
                .map(|(p, _)| p.clone())
                .collect()
        };
        let en = keep(&en_all[start..]);
        let src = doc(&en, "en", "en");
        let body: Vec<usize> = (0..en.len())
            .filter(|&k| shape == "without headings" || !headings[k])
            .collect();
        for (i, lang) in langs.iter().enumerate() {
            let tr = keep(&texts[i]);
            let tag = LangTag::parse(lang).expect("a tag");
            let third = (1..langs.len())
                .map(|d| (i + d) % langs.len())
                .find(|&j| !close_relatives(&tag, &LangTag::parse(langs[j]).expect("a tag")))
                .map(|j| keep(&texts[j]))
                .expect("a third language");
            let pairs = run(&src, &doc(&tr, lang, lang), "en", lang);
            for k in 0..en.len() {
                let ok = pairs.iter().any(|p| p.source == [k] && p.target == [k]);
                pairs_right.entry(shape).or_default().add(ok);
                if !ok {
                    failures.push(format!("{lang} {shape}: source {k} not paired with {k}"));
                }
            }
            // What is flagged in the texts as they are: real differences (the Japanese
            // text's own typo) or false flags, listed; not counted again around each defect.
            let mut known: Vec<Vec<usize>> = Vec::new();
            for p in &pairs {
                false_flags.add(p.flags.is_empty());
                if !p.flags.is_empty() {
                    known.push(p.source.clone());
                    as_they_are.push(format!(
                        "{lang} {shape}: {:?}->{:?} flagged {:?} {:?}",
                        p.source, p.target, p.flags, p.reasons
                    ));
                }
            }
            for &k in &body {
                for (what, t) in defects(&tr, &en, &third, k) {
                    let pairs = run(&src, &doc(&t, lang, lang), "en", lang);
                    let ok = caught(what, &pairs, k);
                    flags_right.entry(what).or_default().add(ok);
                    if !ok {
                        failures.push(format!("{lang} {shape}: {what} at source {k} not flagged"));
                    }
                    for p in &pairs {
                        let near = p.source.iter().any(|&i| i + 1 >= k && i <= k + 1)
                            || p.source.is_empty() && what == "extra";
                        if !near && !known.contains(&p.source) {
                            false_flags.add(p.flags.is_empty());
                            if !p.flags.is_empty() {
                                failures.push(format!(
                                    "{lang} {shape} with {what} at {k}: false flag on {:?}->{:?} {:?} {:?}",
                                    p.source, p.target, p.flags, p.reasons
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    println!();
    println!(
        "real translations: the UDHR's articles ({n} paragraphs), en against {}",
        langs.join(" ")
    );
    for (shape, t) in &pairs_right {
        println!("pairs right, {shape}: {}", t.pct(1));
    }
    for (what, t) in &flags_right {
        println!("flagged, {what}: {}", t.pct(1));
    }
    println!("sound pairs not flagged: {}", false_flags.pct(1));
    println!("flagged in the texts as they are: {}", as_they_are.len());
    for f in &as_they_are {
        println!("  {f}");
    }
    for f in failures.iter().take(show) {
        println!("  {f}");
    }
    if failures.len() > show {
        println!("  ... {} more (SHOW=N to see more)", failures.len() - show);
    }
}

/// The defects injected at paragraph `k` of a translation `tr` of `en` (`third`: the same
/// text in a third language), each with its name; a changed number only where `tr[k]` has a
/// number of two digits or more.
fn defects(
    tr: &[String],
    en: &[String],
    third: &[String],
    k: usize,
) -> Vec<(&'static str, Vec<String>)> {
    let with = |f: &dyn Fn(&mut Vec<String>)| {
        let mut t = tr.to_vec();
        f(&mut t);
        t
    };
    let mut out = vec![(
        "missing",
        with(&|t| {
            t.remove(k);
        }),
    )];
    if let Some(c) = change_number(&tr[k]) {
        out.push(("diverging: changed number", with(&|t| t[k] = c.clone())));
    }
    out.push(("diverging: cut to a third", with(&|t| t[k] = cut(&tr[k]))));
    out.push((
        "diverging: from elsewhere",
        with(&|t| {
            let other = strip_label(&tr[if k + 5 < tr.len() - 2 { k + 5 } else { k - 5 }]);
            t[k] = match label_of(&tr[k]) {
                Some(l) => format!("{l}. {other}"),
                None => other,
            };
        }),
    ));
    out.push(("untranslated", with(&|t| t[k] = en[k].clone())));
    out.push((
        "untranslated: a third language",
        with(&|t| t[k] = third[k].clone()),
    ));
    out.push(("extra", with(&|t| t.insert(k, EXTRA.to_string()))));
    out
}

/// Whether the alignment of a translation with defect `what` at source paragraph `si`
/// flags it.
fn caught(what: &str, pairs: &[Pair], si: usize) -> bool {
    match what {
        "missing" => pairs
            .iter()
            .any(|p| p.source.contains(&si) && p.flags.contains(&Flag::Missing)),
        "extra" => pairs
            .iter()
            .any(|p| p.source.is_empty() && p.flags.contains(&Flag::Extra)),
        "untranslated" | "untranslated: a third language" => pairs
            .iter()
            .any(|p| p.source.contains(&si) && p.flags.contains(&Flag::Untranslated)),
        _ => pairs
            .iter()
            .any(|p| p.source.contains(&si) && p.flags.contains(&Flag::Diverging)),
    }
}

const EXTRA: &str = "Zürich, 3 May 1999 — The orchestra (founded in 1861) plays Mahler's Symphony No. 5 tonight at 19:30; tickets cost 45 francs.";

/// Change the first number with two or more digits: its first digit goes up by one (9 to 1).
fn change_number(p: &str) -> Option<String> {
    let body_start = label_of(p).map(|l| l.len() + 1).unwrap_or(0);
    let chars: Vec<char> = p.chars().collect();
    let mut i = p[..body_start].chars().count();
    while i < chars.len() {
        if chars[i].is_ascii_digit() && i + 1 < chars.len() && chars[i + 1].is_ascii_digit() {
            let mut out = chars.clone();
            out[i] = if chars[i] == '9' {
                '1'
            } else {
                char::from(chars[i] as u8 + 1)
            };
            return Some(out.into_iter().collect());
        }
        i += 1;
    }
    None
}

/// Keep the label and the first third of the text (at the next word boundary when one comes
/// within 20 characters; Chinese and Japanese have none, and are cut at the third).
fn cut(p: &str) -> String {
    let chars: Vec<char> = p.chars().collect();
    let third = chars.len() / 3;
    let end = (third..chars.len().min(third + 20))
        .find(|&e| chars[e].is_whitespace())
        .unwrap_or(third);
    chars[..end].iter().collect()
}
