//! Re-pairing the beads of the dynamic programme before they are judged: a moved paragraph
//! found again by its label, a paragraph cut short given back to its source, a merge the
//! words do not bear out split, and unpaired neighbours pinned together by position. Decides
//! which paragraphs form a pair, never its flags (`flags.rs` does).

use crate::document::Document;
use crate::model::Side;
use crate::score::{compare, part_of, score, Features, PairModel, WEIGHTS};

use super::dp::Bead;

/// A pair before it is judged: its source and target paragraphs (indices, in order) and
/// whether re-pairing brought the target here from another place (flag `reordered`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct RawPair {
    /// The source paragraphs.
    pub(super) source: Vec<usize>,
    /// The target paragraphs.
    pub(super) target: Vec<usize>,
    /// Whether the target was moved here from elsewhere.
    pub(super) reordered: bool,
}

impl RawPair {
    /// A pair in place (not reordered).
    pub(super) fn new(source: Vec<usize>, target: Vec<usize>) -> RawPair {
        RawPair {
            source,
            target,
            reordered: false,
        }
    }
}

/// The beads as pairs, re-paired: every step in turn, in this order.
pub(super) fn repair(
    source: &Document,
    target: &Document,
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    beads: &[Bead],
) -> Vec<RawPair> {
    let mut raw: Vec<RawPair> = beads
        .iter()
        .map(|b| RawPair::new((b.i..b.i + b.s).collect(), (b.j..b.j + b.t).collect()))
        .collect();
    repair_reordered(source, target, sf, tf, model, &mut raw);
    unmerge_cut(source, target, sf, tf, model, &mut raw);
    split_unsupported(sf, tf, model, &mut raw);
    pin_by_position(sf, tf, model, &mut raw);
    raw
}

/// A source paragraph left unpaired beside a merge on the target side is often one that the
/// target cut short: the short remainder fits into the neighbour's merge at little cost in
/// length. When that target paragraph's content (numbers, names, links, words) matches the
/// unpaired source paragraph better than the one it was merged under, it is given back.
fn unmerge_cut(
    source: &Document,
    target: &Document,
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    raw: &mut [RawPair],
) {
    let content = |i: usize, j: usize| {
        let label = match (&source.paragraphs[i].label, &target.paragraphs[j].label) {
            (Some(a), Some(b)) if a.path == b.path => WEIGHTS.label_same,
            (Some(_), Some(_)) => WEIGHTS.label_differs,
            _ => 0.0,
        };
        part_of(model, &sf[i], &tf[j]) + label
    };
    for k in 0..raw.len() {
        if !(raw[k].source.len() == 1 && raw[k].target.is_empty()) {
            continue;
        }
        let i = raw[k].source[0];
        // The merge before (its last target paragraph) or after (its first).
        for (n, last) in [(k.wrapping_sub(1), true), (k + 1, false)] {
            let Some(RawPair {
                source: s,
                target: t,
                ..
            }) = raw.get(n)
            else {
                continue;
            };
            if s.len() != 1 || t.len() < 2 {
                continue;
            }
            let j = if last { t[t.len() - 1] } else { t[0] };
            let mine = content(i, j);
            if mine >= 0.0 && mine > content(s[0], j) + 1.0 {
                if last {
                    raw[n].target.pop();
                } else {
                    raw[n].target.remove(0);
                }
                raw[k].target.push(j);
                break;
            }
        }
    }
    unmerge_other_script(tf, raw);
}

/// The mirror case of [`unmerge_cut`], for a paragraph in another language: put in place of a
/// source paragraph (left untranslated, or from elsewhere), it is an extra beside a merge of
/// that source paragraph with its neighbour. Written in another script than the merge's target
/// paragraph, it takes that source paragraph back.
fn unmerge_other_script(tf: &[Features], raw: &mut [RawPair]) {
    for k in 0..raw.len() {
        if !(raw[k].source.is_empty() && raw[k].target.len() == 1) {
            continue;
        }
        let j = raw[k].target[0];
        for (n, last) in [(k.wrapping_sub(1), true), (k + 1, false)] {
            let Some(RawPair {
                source: s,
                target: t,
                ..
            }) = raw.get(n)
            else {
                continue;
            };
            if s.len() < 2 || t.len() != 1 {
                continue;
            }
            let (a, b) = (tf[j].script, tf[t[0]].script);
            if a.is_some() && b.is_some() && a != b {
                let i = if last {
                    raw[n].source.pop()
                } else {
                    Some(raw[n].source.remove(0))
                };
                raw[k].source.extend(i);
                break;
            }
        }
    }
}

/// A merge must be borne out by the words: a two-to-one merge whose one paragraph finds none
/// of its content in the other side while its partner does is a pair and a paragraph left
/// out (typically a missing translation that the neighbour's length could absorb). Only with
/// a lexicon or a word model: without words, length alone decided the merge and nothing here
/// can overrule it.
fn split_unsupported(sf: &[Features], tf: &[Features], model: &PairModel, raw: &mut Vec<RawPair>) {
    if model.lexicon.is_none() && model.coverage.is_none() {
        return;
    }
    let mut out = Vec::with_capacity(raw.len() + 4);
    for r in raw.drain(..) {
        let (s, t) = (&r.source, &r.target);
        // (the side with two paragraphs, their features, the other side's one paragraph)
        let split = if s.len() == 2 && t.len() == 1 {
            Some((true, [&sf[s[0]], &sf[s[1]]], &tf[t[0]]))
        } else if s.len() == 1 && t.len() == 2 {
            Some((false, [&tf[t[0]], &tf[t[1]]], &sf[s[0]]))
        } else {
            None
        };
        let Some((source_side, [first, second], one)) = split else {
            out.push(r);
            continue;
        };
        let (a, b) = (part_of(model, one, first), part_of(model, one, second));
        let (sa, sb) = (share_in(model, one, first), share_in(model, one, second));
        // Which of the two stands alone: index 0 or 1, or neither.
        // Either strong evidence against one part, or, where the word model knows enough of
        // both parts' words, one part whose words find theirs at half its partner's rate or
        // less with no other evidence for it.
        let lone = |x: f64, y: f64, sx: Option<f64>, sy: Option<f64>| {
            let words_say = match (sx, sy) {
                (Some(sx), Some(sy)) => {
                    sy >= HIGH_SHARE && (sx <= LOW_SHARE || (x <= 0.0 && y > 0.0 && sx * 2.0 <= sy))
                }
                _ => false,
            };
            (x <= -UNSUPPORTED && y > 0.0) || (x < SUPPORTED && y >= BORNE_OUT) || words_say
        };
        let alone = if lone(b, a, sb, sa) {
            Some(1)
        } else if lone(a, b, sa, sb) {
            Some(0)
        } else {
            None
        };
        // A fragment opening its partner's sentence (`Now, therefore,`) is part of it, whether
        // or not the translation kept its words.
        let Some(k) = alone.filter(|&k| !(k == 0 && first.is_fragment())) else {
            out.push(r);
            continue;
        };
        let (mut kept, mut left) = (r, RawPair::default());
        if source_side {
            left.source.push(kept.source.remove(k));
        } else {
            left.target.push(kept.target.remove(k));
        }
        if k == 0 {
            out.push(left);
            out.push(kept);
        } else {
            out.push(kept);
            out.push(left);
        }
    }
    *raw = out;
}

/// How far below zero the evidence that a merged paragraph belongs must fall to split it off.
const UNSUPPORTED: f64 = 2.0;
/// A merged paragraph with less evidence than this that it belongs (log-likelihood ratio,
/// [`part_of`]) is split off when its partner's evidence is at least [`BORNE_OUT`]: the words
/// show the pair, nothing shows the merge (a paragraph left out beside its neighbour, whose
/// length the merge absorbed). Where neither part shows much, the words cannot tell a merge
/// (`Now, therefore,` joined to the next line) from a gap, and the merge stands.
const SUPPORTED: f64 = 1.0;
/// See [`SUPPORTED`].
const BORNE_OUT: f64 = 2.0;
/// A merged paragraph of which at most this share of the words the word model knows find a
/// translation in the other side is split off, when its partner's words find theirs at least
/// at [`HIGH_SHARE`].
const LOW_SHARE: f64 = 0.2;
/// See [`LOW_SHARE`].
const HIGH_SHARE: f64 = 0.5;
/// At least this many known words make a share (see [`share_in`]).
const SHARE_KNOWN: usize = 4;

/// The share of the words of `part` that the word model knows and that find a translation in
/// `whole`; None (no evidence) where the model is off or knows fewer than [`SHARE_KNOWN`].
fn share_in(model: &PairModel, whole: &Features, part: &Features) -> Option<f64> {
    let (Some(words), Some(rates)) = (&model.words, &model.coverage) else {
        return None;
    };
    let (side, fold) = if part.fold == crate::model::TARGET_FOLD {
        (Side::Target, whole.fold)
    } else {
        (Side::Source, part.fold)
    };
    let (_, k, n) = words.one_way(fold, side, rates.translated, &[&part.lex], &[&whole.lex]);
    (n >= SHARE_KNOWN).then(|| k as f64 / n as f64)
}

/// Unpaired source and target paragraphs that stand next to each other occupy the same place:
/// position pins them together, so they are one pair (which the flags then judge, typically
/// `diverging`) rather than a `missing` and an `extra`. Where the counts differ, the pairing
/// in order with the best total score is kept.
fn pin_by_position(sf: &[Features], tf: &[Features], model: &PairModel, raw: &mut Vec<RawPair>) {
    let lone = |r: &RawPair| {
        r.source.is_empty() != r.target.is_empty() && r.source.len() + r.target.len() == 1
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut k = 0;
    while k < raw.len() {
        if !lone(&raw[k]) {
            out.push(std::mem::take(&mut raw[k]));
            k += 1;
            continue;
        }
        let start = k;
        while k < raw.len() && lone(&raw[k]) {
            k += 1;
        }
        pin_run(sf, tf, model, &raw[start..k], &mut out);
    }
    *raw = out;
}

/// One run of unpaired neighbours (each a lone source or target paragraph) into `out`:
/// paired by [`best_pairing`] where both sides have some and neither more than eight, else
/// as they are.
fn pin_run(
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    run: &[RawPair],
    out: &mut Vec<RawPair>,
) {
    let missing: Vec<usize> = run.iter().flat_map(|r| r.source.iter().copied()).collect();
    let extra: Vec<usize> = run.iter().flat_map(|r| r.target.iter().copied()).collect();
    let n = missing.len().min(extra.len());
    if n == 0 || missing.len().max(extra.len()) > 8 {
        out.extend(run.iter().cloned());
        return;
    }
    let pairs = best_pairing(sf, tf, model, &missing, &extra);
    emit_in_order(&missing, &extra, pairs, out);
}

/// The (source, target) pairs that pair every paragraph of the shorter side with one of the
/// longer, in order, with the best total score (the first best in the order of
/// [`combinations`]).
fn best_pairing(
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    missing: &[usize],
    extra: &[usize],
) -> Vec<(usize, usize)> {
    let (short, long, source_long) = if missing.len() <= extra.len() {
        (missing, extra, false)
    } else {
        (extra, missing, true)
    };
    let score_of = |a: usize, b: usize| {
        let (i, j) = if source_long { (b, a) } else { (a, b) };
        score(&compare(model, &[&sf[i]], &[&tf[j]], false))
    };
    let mut best: (f64, Vec<usize>) = (f64::NEG_INFINITY, Vec::new());
    for chosen in combinations(long.len(), short.len()) {
        let total: f64 = short
            .iter()
            .zip(&chosen)
            .map(|(&a, &c)| score_of(a, long[c]))
            .sum();
        if total > best.0 {
            best = (total, chosen);
        }
    }
    short
        .iter()
        .zip(&best.1)
        .map(|(&a, &c)| {
            if source_long {
                (long[c], a)
            } else {
                (a, long[c])
            }
        })
        .collect()
}

/// The pairs into `out` in document order: before each pair the paragraphs left unpaired
/// that come before it, after the last the rest.
fn emit_in_order(
    missing: &[usize],
    extra: &[usize],
    pairs: Vec<(usize, usize)>,
    out: &mut Vec<RawPair>,
) {
    let (mut si, mut ti) = (0, 0);
    for (i, j) in pairs {
        while si < missing.len() && missing[si] < i {
            out.push(RawPair::new(vec![missing[si]], Vec::new()));
            si += 1;
        }
        while ti < extra.len() && extra[ti] < j {
            out.push(RawPair::new(Vec::new(), vec![extra[ti]]));
            ti += 1;
        }
        out.push(RawPair::new(vec![i], vec![j]));
        si += 1;
        ti += 1;
    }
    out.extend(
        missing[si..]
            .iter()
            .map(|&i| RawPair::new(vec![i], Vec::new())),
    );
    out.extend(
        extra[ti..]
            .iter()
            .map(|&j| RawPair::new(Vec::new(), vec![j])),
    );
}

/// Every increasing choice of `k` positions out of `n`.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(k);
    fn go(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for x in start..n {
            if n - x < k - cur.len() {
                break;
            }
            cur.push(x);
            go(x + 1, n, k, cur, out);
            cur.pop();
        }
    }
    go(0, n, k, &mut cur, &mut out);
    out
}

/// Pair a missing source paragraph with an extra target paragraph that carries the same label
/// and agrees in content: the target moved it.
fn repair_reordered(
    source: &Document,
    target: &Document,
    sf: &[Features],
    tf: &[Features],
    model: &PairModel,
    raw: &mut Vec<RawPair>,
) {
    let extras: Vec<usize> = raw
        .iter()
        .enumerate()
        .filter(|(_, r)| r.source.is_empty() && r.target.len() == 1)
        .map(|(k, _)| k)
        .collect();
    if extras.is_empty() {
        return;
    }
    let mut taken = vec![false; raw.len()];
    for k in 0..raw.len() {
        let (s, t) = (&raw[k].source, &raw[k].target);
        if t.is_empty() && s.len() == 1 {
            let i = s[0];
            let best = extras
                .iter()
                .filter(|&&e| !taken[e])
                .map(|&e| {
                    let j = raw[e].target[0];
                    let sig = compare(model, &[&sf[i]], &[&tf[j]], false);
                    let same_label = matches!((&source.paragraphs[i].label, &target.paragraphs[j].label),
                        (Some(a), Some(b)) if a.path == b.path);
                    (e, j, score(&sig), same_label)
                })
                .filter(|&(_, _, sc, same_label)| (same_label && sc >= 0.7) || sc >= 0.99)
                .max_by(|a, b| (a.3, a.2).partial_cmp(&(b.3, b.2)).unwrap_or(std::cmp::Ordering::Equal));
            if let Some((e, j, _, _)) = best {
                taken[e] = true;
                raw[k] = RawPair {
                    source: vec![i],
                    target: vec![j],
                    reordered: true,
                };
            }
        }
    }
    let mut k = 0;
    raw.retain(|_| {
        k += 1;
        !taken[k - 1]
    });
}
