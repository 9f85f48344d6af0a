//! The reason `content` of a one-to-one pair whose signals say nothing: the words show that
//! its target translates another source paragraph nearby, only a part of its source, or the
//! beginning of its source and not its end. Decides only whether the reason holds; the pair's
//! other flags and reasons are `flags.rs`'s.

use crate::document::Document;
use crate::model::{tokens, MixMap, Side};
use crate::score::{compare, score, Features, Signals};

use super::context::Context;

/// Whether the target paragraph `j`, paired with source `i` at a middling score `own`, reads
/// as the translation of another source paragraph nearby: a paragraph put in from elsewhere,
/// which its length alone did not give away.
///
/// A target paragraph whose text stands twice in the target (a translation pasted in twice)
/// is judged so at any score of its own: one of its two places has the wrong text, and it is
/// the one whose source it fits worse than a nearby source by [`REPEATED_MARGIN`]. Not where
/// its source's text stands twice in the source too (a refrain, a text repeated whole): the
/// source explains the repeat.
pub(super) fn translates_another(cx: &Context, i: usize, j: usize, own: f64) -> bool {
    let repeated = cx.repeated[j] && !cx.source_repeated[i];
    if (own >= ELSEWHERE_OWN && !repeated) || cx.tf[j].chars < 20 {
        return false;
    }
    let logit = |p: f64| {
        let p = p.clamp(1e-9, 1.0 - 1e-9);
        (p / (1.0 - p)).ln()
    };
    let near = i.saturating_sub(ELSEWHERE_REACH)..(i + ELSEWHERE_REACH + 1).min(cx.sf.len());
    near.filter(|&k| k != i && cx.sf[k].chars >= 20).any(|k| {
        let other = score(&compare(cx.model, &[&cx.sf[k]], &[&cx.tf[j]], false));
        other >= ELSEWHERE_OTHER
            && (own < ELSEWHERE_OWN || logit(other) - logit(own) >= REPEATED_MARGIN)
    })
}

/// See [`translates_another`]: how much better (in log-odds) a repeated target paragraph must
/// fit another source than its own (e^4: about 55 to 1).
const REPEATED_MARGIN: f64 = 4.0;

/// Per paragraph of a document, whether its text (20 characters or more) stands elsewhere in
/// the document too.
pub(super) fn repeated(doc: &Document, fs: &[Features]) -> Vec<bool> {
    let keys: Vec<Option<u64>> = doc
        .paragraphs
        .iter()
        .zip(fs)
        .map(|(p, f)| (f.chars >= 20).then(|| crate::model::mix_hash(p.body())))
        .collect();
    let mut seen: MixMap<u64, usize> = MixMap::default();
    for k in keys.iter().flatten() {
        *seen.entry(*k).or_default() += 1;
    }
    keys.iter()
        .map(|k| k.is_some_and(|k| seen[&k] > 1))
        .collect()
}

/// See [`translates_another`]: a pair scoring under this,
const ELSEWHERE_OWN: f64 = 0.7;
/// whose target scores at least this with another source paragraph
const ELSEWHERE_OTHER: f64 = 0.97;
/// within this many paragraphs, diverges.
const ELSEWHERE_REACH: usize = 8;

/// Whether target `j` translates the beginning of source `i` and not its end (a paragraph cut
/// short, or its last sentences left out): where the target is shorter than expected, the
/// source's known words are split at the middle of its text, and the first half's find their
/// translations in the target (log-likelihood ratio of its coverage, [`WordModel::one_way`],
/// at least 0) while the second half's do not (at most -[`CUT_LLR`]). A paragraph's coverage
/// taken whole cannot tell this from a loose translation; its place in the text can.
///
/// [`WordModel::one_way`]: crate::model::WordModel::one_way
pub(super) fn cut_short(cx: &Context, i: usize, j: usize, sig: &Signals) -> bool {
    if sig.length_z > -CUT_SHORTER {
        return false;
    }
    let (Some(words), Some(rates)) = (&cx.model.words, &cx.model.coverage) else {
        return false;
    };
    let body = cx.source.paragraphs[i].body();
    let mid = body.len() / 2;
    let mut halves: [Vec<u32>; 2] = Default::default();
    for (token, w) in tokens::words(body) {
        // `w` is a slice of `body`: its offset is where it stands.
        let at = w.as_ptr() as usize - body.as_ptr() as usize;
        halves[usize::from(at >= mid)].extend(words.id(Side::Source, token));
    }
    for h in &mut halves {
        h.sort_unstable();
        h.dedup();
    }
    let (fold, to) = (cx.sf[i].fold, [&cx.tf[j].lex[..]]);
    let rate = rates.translated;
    let (head, _, _) = words.one_way(fold, Side::Source, rate, &[&halves[0]], &to);
    let (tail, _, known) = words.one_way(fold, Side::Source, rate, &[&halves[1]], &to);
    known >= CUT_KNOWN && head >= 0.0 && tail <= -CUT_LLR
}

/// See [`cut_short`]: a target at least this many spreads shorter than expected,
const CUT_SHORTER: f64 = 1.0;
/// whose source's second half holds at least this many words the model knows,
const CUT_KNOWN: usize = 3;
/// with this much evidence (log-likelihood ratio, about 20 to 1) that they are not translated.
const CUT_LLR: f64 = 3.0;
