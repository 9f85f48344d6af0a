//! From beads to flagged pairs: re-pairing reordered paragraphs, and the flags and reasons of
//! every pair. The thresholds that turn signals into flags are data in [`Thresholds`]
//! (`context.rs`).

use crate::document::{BlockKind, Document, Paragraph};
use crate::score::{compare, score, Features, PairModel, Signals};

use crate::model::{tokens, MixHasher, MixMap, Side};

use super::content::{cut_short, repeated, translates_another};
use super::context::{Context, Thresholds};
use super::dp::Bead;
use super::inline;
use super::part::only_a_part;
use super::repair::{self, RawPair};
use super::untranslated::{self, Verdict};
use super::{Flag, Note, Options, Pair, Reason};

/// How at home each paragraph's short words (four letters or fewer: mostly function words) are
/// in the rest of its document: the share of them found in two other paragraphs or more. A
/// paragraph in another language than its document's scores low. 0 (always look further) where
/// a document is too short to tell or its script writes no spaces.
fn at_home(doc: &Document) -> Vec<f64> {
    use std::hash::{Hash, Hasher};
    if doc.paragraphs.len() < 8 {
        return vec![0.0; doc.paragraphs.len()];
    }
    // Each paragraph's short words, lower-cased and hashed (no allocation per word).
    let short = |p: &Paragraph| -> Vec<u64> {
        let mut out = Vec::new();
        for w in p.body().split(|c: char| !c.is_alphabetic()) {
            let n = w.chars().count();
            if (1..=4).contains(&n) {
                let mut h = MixHasher::default();
                for c in w.chars().flat_map(char::to_lowercase) {
                    c.hash(&mut h);
                }
                out.push(h.finish());
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    };
    let words: Vec<Vec<u64>> = doc.paragraphs.iter().map(short).collect();
    let mut df: MixMap<u64, usize> = MixMap::default();
    for ws in &words {
        for w in ws {
            *df.entry(*w).or_default() += 1;
        }
    }
    words
        .iter()
        .map(|ws| {
            if ws.len() < 4 {
                return 0.0;
            }
            let home = ws
                .iter()
                .filter(|w| df.get(w).copied().unwrap_or(0) >= 3)
                .count();
            home as f64 / ws.len() as f64
        })
        .collect()
}

/// Turn beads into flagged pairs.
pub(super) fn pairs(
    source: &Document,
    target: &Document,
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    beads: &[Bead],
    opts: &Options,
) -> Vec<Pair> {
    let raw = repair::repair(source, target, sf, tf, model, beads);
    judge(source, target, sf, tf, model, &raw, opts)
}

/// Flag pairs as they are, none moved.
pub(super) fn judge(
    source: &Document,
    target: &Document,
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    raw: &[RawPair],
    opts: &Options,
) -> Vec<Pair> {
    let home = at_home(target);
    let source_repeated = repeated(source, sf);
    let repeated = repeated(target, tf);
    let cx = Context {
        source,
        target,
        sf,
        tf,
        model,
        opts,
        home: &home,
        repeated: &repeated,
        source_repeated: &source_repeated,
    };
    // Judging a pair (language detection above all) is the costly part: on every core.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = raw.len().div_ceil(threads).max(256);
    std::thread::scope(|scope| {
        let handles: Vec<_> = raw
            .chunks(chunk)
            .map(|part| {
                let cx = &cx;
                scope.spawn(move || {
                    part.iter()
                        .map(|r| flag(cx, r.source.clone(), r.target.clone(), r.reordered))
                        .collect::<Vec<Pair>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Judge one pair: its flags, its reasons and its score.
fn flag(cx: &Context, s: Vec<usize>, t: Vec<usize>, reordered: bool) -> Pair {
    if t.is_empty() {
        return unpaired(s, t, Flag::Missing);
    }
    if s.is_empty() {
        return unpaired(s, t, Flag::Extra);
    }
    let Context {
        source,
        target,
        sf,
        tf,
        model,
        opts,
        ..
    } = *cx;
    let mut flags = Vec::new();
    let mut reasons = Vec::new();
    let src: Vec<&Features> = s.iter().map(|&i| &sf[i]).collect();
    let tgt: Vec<&Features> = t.iter().map(|&j| &tf[j]).collect();
    let mut sig = compare(
        model,
        Features::without_fragments(&src),
        Features::without_fragments(&tgt),
        true,
    );
    let sc = score(&sig);

    let texts = [
        joined(&source.paragraphs, &s),
        joined(&target.paragraphs, &t),
    ];
    let prose = t.iter().any(|&j| {
        !matches!(
            target.paragraphs[j].kind,
            BlockKind::Code | BlockKind::Separator
        )
    });
    let verdict = translated(cx, &t, &texts, prose);
    let mut notes = Vec::new();
    if verdict == Verdict::Identical {
        notes.push(Note::Identical);
    }
    if let Verdict::Untranslated(r) = verdict {
        flags.push(Flag::Untranslated);
        reasons.push(r);
    } else {
        let diverging = diverging(cx, (&s, &t), &texts, prose, &mut sig, sc);
        if !diverging.is_empty() {
            flags.push(Flag::Diverging);
            reasons.extend(diverging);
        }
    }
    let sl = source.paragraphs[s[0]].label.as_ref();
    let tl = target.paragraphs[t[0]].label.as_ref();
    if let (Some(a), Some(b)) = (sl, tl) {
        if a.path != b.path {
            flags.push(Flag::Misnumbered);
            reasons.push(Reason::Label);
        }
    }
    if reordered {
        flags.push(Flag::Reordered);
    }
    flags.sort();
    reasons.sort();
    reasons.dedup();
    Pair {
        source: s,
        target: t,
        score: Some(sc),
        flags,
        reasons,
        signals: opts.signals.then_some(sig),
        notes,
    }
}

/// A pair with one side empty: `missing` or `extra`, nothing else to judge.
fn unpaired(s: Vec<usize>, t: Vec<usize>, flag: Flag) -> Pair {
    Pair {
        source: s,
        target: t,
        score: None,
        flags: vec![flag],
        reasons: Vec::new(),
        signals: None,
        notes: Vec::new(),
    }
}

/// Whether target paragraphs `t` are translated (`texts`: both sides' bodies joined): judged
/// only where they hold prose, as code and separators are compared as they are.
fn translated(cx: &Context, t: &[usize], texts: &[String; 2], prose: bool) -> Verdict {
    if !prose {
        return Verdict::Translated;
    }
    let home = t.iter().map(|&j| cx.home[j]).fold(1.0, f64::min);
    untranslated::judge(
        &texts[0],
        &texts[1],
        cx.opts.source_lang.as_ref(),
        cx.opts.target_lang.as_ref(),
        &cx.opts.thresholds,
        home,
    )
}

/// The reasons a translated pair diverges (`texts`: both sides' bodies joined): its signals,
/// its content (for a one-to-one pair), and in prose its inline codes and glossary terms.
/// Fills the glossary terms and the unmatched words of `sig` where they are reasons.
fn diverging(
    cx: &Context,
    (s, t): (&[usize], &[usize]),
    texts: &[String; 2],
    prose: bool,
    sig: &mut Signals,
    sc: f64,
) -> Vec<Reason> {
    let (source, target, opts) = (cx.source, cx.target, cx.opts);
    let [src_text, tgt_text] = texts;
    let mut diverging = divergence(sig, sc, cx.model, &opts.thresholds);
    if diverging.is_empty()
        && s.len() == 1
        && t.len() == 1
        && (translates_another(cx, s[0], t[0], sc)
            || only_a_part(cx, s[0], t[0], sig)
            || cut_short(cx, s[0], t[0], sig))
    {
        diverging.push(Reason::Content);
    }
    if prose {
        let targets = |doc: &Document, idx: &[usize]| -> Vec<String> {
            idx.iter()
                .flat_map(|&i| doc.paragraphs[i].targets.iter().cloned())
                .collect()
        };
        diverging.extend(inline::differences(
            src_text,
            &targets(source, s),
            tgt_text,
            &targets(target, t),
        ));
        if let Some(g) = &opts.glossary {
            let missing = g.missing(src_text, tgt_text);
            if !missing.is_empty() {
                diverging.push(Reason::Term);
                sig.terms_not_in_target = missing;
            }
        }
    }
    if diverging.contains(&Reason::LowScore) || diverging.contains(&Reason::Content) {
        unmatched_words(cx, s, t, sig);
    }
    diverging
}

fn joined(paragraphs: &[Paragraph], idx: &[usize]) -> String {
    idx.iter()
        .map(|&i| paragraphs[i].body())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Fill `sig` with the content words of each side whose translations the other side lacks
/// (what a reviewer reads first in a pair that diverges on its content).
fn unmatched_words(cx: &Context, s: &[usize], t: &[usize], sig: &mut Signals) {
    let Some(words) = &cx.model.words else {
        return;
    };
    let fold = cx.sf[s[0]].fold;
    let src: Vec<&[u32]> = s.iter().map(|&i| &cx.sf[i].lex[..]).collect();
    let tgt: Vec<&[u32]> = t.iter().map(|&j| &cx.tf[j].lex[..]).collect();
    let list = |side: Side, doc: &Document, idx: &[usize], from: &[&[u32]], to: &[&[u32]]| {
        let ids: Vec<u32> = from.iter().flat_map(|g| g.iter().copied()).collect();
        let missing = words.unmatched(fold, side, &ids, to);
        let mut out: Vec<String> = Vec::new();
        for &k in idx {
            for (token, w) in tokens::words(doc.paragraphs[k].body()) {
                if words
                    .id(side, token)
                    .is_some_and(|id| missing.contains(&id))
                    && !out.iter().any(|o| o.to_lowercase() == w.to_lowercase())
                {
                    out.push(w.to_string());
                }
            }
        }
        out.truncate(UNMATCHED_SHOWN);
        out
    };
    sig.words_not_in_target = list(Side::Source, cx.source, s, &src, &tgt);
    sig.words_not_in_source = list(Side::Target, cx.target, t, &tgt, &src);
}

/// At most this many unmatched words are listed for each side of a pair.
const UNMATCHED_SHOWN: usize = 8;

/// Names missing make a pair diverge only below this score (see [`divergence`]).
const NAMES_MAX_SCORE: f64 = 0.6;

/// The reasons a paired translation diverges from its source.
fn divergence(sig: &Signals, sc: f64, model: &PairModel, th: &Thresholds) -> Vec<Reason> {
    let mut r = Vec::new();
    if !sig.numbers_source_only.is_empty() || !sig.numbers_target_only.is_empty() {
        r.push(Reason::Numbers);
    }
    if !sig.links_source_only.is_empty() || !sig.links_target_only.is_empty() {
        r.push(Reason::Links);
    }
    let [a, b] = sig.chars;
    let ratio = ((b as f64 + 10.0) / (a as f64 + 10.0)).ln() - model.mu;
    if sig.length_z.abs() >= th.length_z && ratio.abs() >= th.length_factor.ln() && a.max(b) >= 40 {
        r.push(Reason::Length);
    }
    // Names are translated often enough (organisations, bodies, months: `Member States`,
    // `United Nations` become `κράτη μέλη`, `Ηνωμένων Εθνών`) that only a paragraph sharing
    // none of several names counts, and only when the rest of the evidence is lukewarm: in a
    // pair that scores well otherwise, missing names are translated names.
    if sig.names_source_only.len() >= 3 && sig.names_matched.is_empty() && sc < NAMES_MAX_SCORE {
        r.push(Reason::Names);
    }
    // Label-only paragraphs (`Article 5` / `第五条`) have no text to judge: their labels are.
    if sc < th.low_score && a.max(b) > 0 {
        r.push(Reason::LowScore);
    }
    r
}
