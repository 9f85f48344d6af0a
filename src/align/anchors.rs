//! Anchors: pairs of paragraphs tied by a label, a long number or a link, checked
//! against their content and reduced to a monotone chain. They cut both documents into
//! segments that the dynamic programme aligns one by one. Pure: no files, no terminal.

use super::dp;
use crate::model::{mix_hash, MixMap};
use crate::score::{compare, probability, Features};

/// Candidate anchors: pairs tied by a long number or a link that occurs once on each
/// side (as Moore 2002 and hunalign pair rare tokens), or by a label that occurs as often on
/// each side (each occurrence paired with the same occurrence on the other side, in order),
/// kept when the content agrees, reduced to the longest monotone chain.
///
/// Where a text repeats its numbering (two books, each with its chapters and verses) no label
/// is unique, and without anchors one segment spans the whole pair and its band grows with the
/// pair's length. Labels repeated as often on both sides keep their order; a word or number
/// repeated in the text does not (it moves between neighbouring verses from one translation to
/// another: paired in order, such keys put 1.5 % of the pairs of two copies of 16 Bible books,
/// English and German, in the wrong place). A label repeated more than [`MAX_REPEATS`] times
/// says too little to be worth the checks.
pub(super) fn anchors(sides: &dp::Sides) -> Vec<(usize, usize)> {
    let mut cand: Vec<(usize, usize)> = Vec::new();
    let labels = |labels: &[Option<&str>]| {
        occurrences(
            labels
                .iter()
                .enumerate()
                .filter_map(|(i, l)| Some((i, hash_str(l.as_ref()?)))),
        )
    };
    in_order(
        &labels(sides.source_labels),
        &labels(sides.target_labels),
        &mut cand,
    );
    let content = |fs: &[Features]| occurrences(fs.iter().enumerate().flat_map(content_keys));
    let (sc, tc) = (content(sides.source), content(sides.target));
    for (k, s) in &sc {
        if let (&[i], Some(&[j])) = (s.as_slice(), tc.get(k).map(Vec::as_slice)) {
            cand.push((i, j));
        }
    }
    cand.sort_unstable();
    cand.dedup();
    // Keep the candidates whose content agrees.
    cand.retain(|&(i, j)| probability(llr(sides, i, j)) >= 0.8);
    longest_chain(&cand)
}

/// The content evidence that paragraphs `i` and `j` are translations.
fn llr(sides: &dp::Sides, i: usize, j: usize) -> f64 {
    compare(
        &sides.model,
        &[&sides.source[i]],
        &[&sides.target[j]],
        false,
    )
    .llr
}

/// A label repeated more often than this on a side gives no anchors.
const MAX_REPEATS: usize = 8;

/// The rare tokens of paragraph `i` that may anchor: numbers of three digits or more (each
/// value an ambiguous one may stand for: `1.234` is 1234 or 1.234) and links.
fn content_keys((i, f): (usize, &Features)) -> impl Iterator<Item = (usize, u64)> + '_ {
    let numbers = f
        .numbers
        .iter()
        .filter(|n| n.digits >= 3 && n.values.len() <= 2)
        .flat_map(|n| n.values.iter().copied());
    let links = f.links.iter().map(|l| hash_str(&format!("link:{l}")));
    numbers.chain(links).map(move |k| (i, k))
}

/// Where each key occurs: the paragraphs in order, each once.
fn occurrences(keys: impl Iterator<Item = (usize, u64)>) -> MixMap<u64, Vec<usize>> {
    let mut map: MixMap<u64, Vec<usize>> = MixMap::default();
    for (i, k) in keys {
        let at = map.entry(k).or_default();
        if at.last() != Some(&i) && at.len() <= MAX_REPEATS {
            at.push(i);
        }
    }
    map
}

/// For every key that occurs as often on both sides (and at most [`MAX_REPEATS`] times), pair
/// its occurrences in order.
fn in_order(
    source: &MixMap<u64, Vec<usize>>,
    target: &MixMap<u64, Vec<usize>>,
    cand: &mut Vec<(usize, usize)>,
) {
    for (k, s) in source {
        match target.get(k) {
            Some(t) if t.len() == s.len() && s.len() <= MAX_REPEATS => {
                cand.extend(s.iter().copied().zip(t.iter().copied()));
            }
            _ => {}
        }
    }
}

fn hash_str(s: &str) -> u64 {
    mix_hash(s)
}

/// The longest chain of candidates increasing in both coordinates (candidates sorted by i).
fn longest_chain(cand: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // Patience sorting on j, with strict increase in i guaranteed by grouping equal i.
    let mut tails: Vec<usize> = Vec::new(); // index into cand of the smallest tail of each length
    let mut prev: Vec<Option<usize>> = vec![None; cand.len()];
    let mut k = 0;
    while k < cand.len() {
        // Process candidates with the same i together so that two of them never chain.
        let mut end = k;
        while end < cand.len() && cand[end].0 == cand[k].0 {
            end += 1;
        }
        let mut updates = Vec::new();
        for idx in k..end {
            let j = cand[idx].1;
            let pos = tails.partition_point(|&t| cand[t].1 < j);
            updates.push((pos, idx));
            prev[idx] = if pos > 0 { Some(tails[pos - 1]) } else { None };
        }
        for (pos, idx) in updates {
            if pos == tails.len() {
                tails.push(idx);
            } else if cand[idx].1 < cand[tails[pos]].1 {
                tails[pos] = idx;
            }
        }
        k = end;
    }
    let mut out = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(c) = cur {
        out.push(cand[c]);
        cur = prev[c];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_is_monotone_and_longest() {
        let c = [(0, 0), (1, 2), (2, 1), (3, 3), (3, 4), (5, 5)];
        assert_eq!(longest_chain(&c), vec![(0, 0), (2, 1), (3, 3), (5, 5)]);
    }
}
