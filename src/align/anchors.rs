//! Anchors: pairs of paragraphs tied by a label, a long number or a link, checked
//! against their content and reduced to a monotone chain. They cut both documents into
//! segments that the dynamic programme aligns one by one. Pure: no files, no terminal.

use std::collections::BTreeMap;

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

/// A stretch between anchors longer than twice this many paragraphs on both sides is cut by
/// windows ([`windows`]).
pub(super) const WINDOW: usize = 400;

/// The band a window starts with, either side of its diagonal: narrow, as a window is short
/// and widens its band when the path touches the edge. (It was 8: the corpus and UDHR
/// benches are the same with 4, and a stretch with no anchor costs a third less.)
const WINDOW_BAND: usize = 4;

/// Anchors inside every long stretch that `anchors` leaves between its neighbours (or the
/// documents' ends), found window by window, added to `anchors`.
///
/// With no anchor in a long stretch (a text with no numbers, or a text repeated, whose labels
/// and rare numbers are never unique) the programme would run once over the whole stretch in
/// a band that grows with the difference of the two lengths: time and memory grow as the
/// square of the length. Instead the stretch is read in windows, as a coarse-to-fine aligner
/// does: from the last anchor, [`WINDOW`] source paragraphs against the target paragraphs of
/// about the same length in characters; the window's alignment gives the next anchor, a 1-1
/// pair past the window's middle whose neighbours are 1-1 too and whose content agrees (as
/// for the other anchors). The window's far end is a guess; its middle is not bound by it.
/// Each stretch costs about twice one banded pass over it with a narrow band: linear.
pub(super) fn windows(sides: &dp::Sides, anchors: Vec<(usize, usize)>) -> Windows {
    let (n, m) = (sides.source.len(), sides.target.len());
    let prefix = |fs: &[Features]| {
        let mut sums = Vec::with_capacity(fs.len() + 1);
        sums.push(0u64);
        for f in fs {
            sums.push(sums[sums.len() - 1] + u64::from(f.chars));
        }
        sums
    };
    let chars = (prefix(sides.source), prefix(sides.target));
    let mut out = Windows {
        anchors: Vec::with_capacity(anchors.len()),
        aligned: BTreeMap::new(),
    };
    let mut from = (0, 0);
    for &to in anchors.iter().chain(std::iter::once(&(n, m))) {
        fill(sides, &chars, from, to, &mut out);
        if to != (n, m) {
            out.anchors.push(to);
        }
        from = (to.0 + 1, to.1 + 1);
    }
    out
}

/// The anchors of a document pair, with the segments between window anchors that the windows
/// aligned already.
pub(super) struct Windows {
    /// The anchors, in order.
    pub anchors: Vec<(usize, usize)>,
    /// By its first corner (a window anchor): the segment's last corner (the next window
    /// anchor) and its beads, read off the windows' paths (the first pass need not align it
    /// again).
    pub aligned: Aligned,
}

/// Segments aligned already: by first corner, the last corner and the beads.
pub(super) type Aligned = BTreeMap<(usize, usize), ((usize, usize), Vec<dp::Bead>)>;

/// The window anchors of the stretch from `(i, j)` up to (not including) `end`.
fn fill(
    sides: &dp::Sides,
    (cs, ct): &(Vec<u64>, Vec<u64>),
    (mut i, mut j): (usize, usize),
    end: (usize, usize),
    out: &mut Windows,
) {
    // The segment open since the last window anchor: its first corner and its beads so far.
    let mut open: Option<((usize, usize), Vec<dp::Bead>)> = None;
    while end.0.saturating_sub(i) > 2 * WINDOW && end.1.saturating_sub(j) > 2 * WINDOW {
        let ws = i + WINDOW;
        // The target paragraph where the window's characters end, at the stretch's ratio.
        let ratio = (ct[end.1] - ct[j]) as f64 / (cs[end.0] - cs[i]).max(1) as f64;
        let want = ct[j] + ((cs[ws] - cs[i]) as f64 * ratio) as u64;
        let wt = ct.partition_point(|&c| c < want).clamp(j + 1, end.1 - 1);
        let beads = dp::align_within(sides, (i, ws), (j, wt), WINDOW_BAND);
        let middle = i + WINDOW / 2;
        let next = beads
            .windows(3)
            .filter(|w| w[1].i >= middle && w.iter().all(|b| b.s == 1 && b.t == 1))
            .map(|w| (w[1].i, w[1].j))
            .find(|&(a, b)| probability(llr(sides, a, b)) >= 0.8);
        let at = |(a, b): (usize, usize)| {
            beads
                .iter()
                .position(|x| (x.i, x.j, x.s, x.t) == (a, b, 1, 1))
        };
        match next.and_then(|anchor| Some((anchor, at(anchor)?))) {
            Some((anchor, k)) => {
                if let Some((first, mut segment)) = open.take() {
                    segment.extend_from_slice(&beads[..k]);
                    out.aligned.insert(first, (anchor, segment));
                }
                out.anchors.push(anchor);
                open = Some((anchor, vec![beads[k]]));
                (i, j) = (anchor.0 + 1, anchor.1 + 1);
            }
            // No pair to trust past the middle: go on from where the window's path is there.
            None => match beads.iter().position(|b| b.i >= middle) {
                Some(k) => {
                    if let Some((_, segment)) = open.as_mut() {
                        segment.extend_from_slice(&beads[..k]);
                    }
                    (i, j) = (beads[k].i, beads[k].j);
                }
                None => return,
            },
        }
    }
}

/// The second pass over one segment from `start` to `end`, given `path`, the first pass's
/// beads in it: realigned near that path ([`dp::realign_segment`]), except that a one-to-one
/// pair between one-to-one neighbours whose content agrees under the second pass's model (as
/// for an anchor) stays as it is and cuts the segment there. The stretches between such pairs
/// are what the better evidence may move; without the cut, a long segment (a text repeated, or
/// with no numbers, where anchors are a window apart) costs a corridor of cells, each scored
/// with the word model, on every row, where one score per sure row will do.
pub(super) fn realign_between_sure(
    sides: &dp::Sides,
    start: (usize, usize),
    end: (usize, usize),
    path: &[dp::Bead],
) -> Vec<dp::Bead> {
    let one_to_one = |b: &dp::Bead| b.s == 1 && b.t == 1;
    let mut out = Vec::with_capacity(path.len());
    let (mut from, mut first) = (start, 0);
    for k in 1..path.len().saturating_sub(1) {
        let b = path[k];
        if path[k - 1..=k + 1].iter().all(one_to_one) && sure(sides, b.i, b.j) {
            out.extend(dp::realign_segment(
                sides,
                (from.0, b.i),
                (from.1, b.j),
                &path[first..k],
            ));
            out.push(b);
            (from, first) = ((b.i + 1, b.j + 1), k + 1);
        }
    }
    out.extend(dp::realign_segment(
        sides,
        (from.0, end.0),
        (from.1, end.1),
        &path[first..],
    ));
    out
}

/// Whether the pair `(i, j)` is sure enough to stay as it is in the second pass: its content
/// agrees (as for an anchor), and neither target paragraph next to `j` fits source `i` at
/// even odds, so that the pair is not one of a run shifted by one (alike paragraphs in a row,
/// where the first pass put a skip in the wrong place).
fn sure(sides: &dp::Sides, i: usize, j: usize) -> bool {
    probability(llr(sides, i, j)) >= 0.8
        && [j.checked_sub(1), Some(j + 1)]
            .into_iter()
            .flatten()
            .filter(|&n| n < sides.target.len())
            .all(|n| probability(llr(sides, i, n)) < 0.5)
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
    use crate::document::{Document, Format};
    use crate::score::PairModel;

    fn bead(i: usize, j: usize, s: usize, t: usize) -> dp::Bead {
        dp::Bead { i, j, s, t }
    }

    const EN: &str = "The council met on 3 May 2021 and approved 4,500,000 euros.\n\n\
        The museum closed for 18 months while 62 rooms were restored.\n\n\
        The new park opened in 2023 with 120 trees along the river.\n\n\
        In 1998 the bridge was rebuilt for 7,300,000 euros by 415 workers.\n\n\
        The library lent 86,000 books in 2019 to 9,250 readers.\n";
    /// [`EN`] without its second paragraph.
    const DE: &str = "Der Rat trat am 3. Mai 2021 zusammen und billigte 4.500.000 Euro.\n\n\
        Der neue Park wurde 2023 mit 120 Bäumen am Fluss eröffnet.\n\n\
        1998 wurde die Brücke für 7.300.000 Euro von 415 Arbeitern neu gebaut.\n\n\
        Die Bibliothek verlieh 2019 86.000 Bücher an 9.250 Leser.\n";

    /// The second pass over [`EN`] and [`DE`] in one segment, from a first pass's `path`.
    fn second_pass(path: &[dp::Bead]) -> Vec<dp::Bead> {
        let sd = Document::parse("a.en.txt", EN, Format::Text);
        let td = Document::parse("a.de.txt", DE, Format::Text);
        let sf = Features::of_all(&sd.paragraphs);
        let tf = Features::of_all(&td.paragraphs);
        let total = |f: &[Features]| f.iter().map(|f| u64::from(f.chars)).sum::<u64>();
        let (none_s, none_t) = (vec![None; sf.len()], vec![None; tf.len()]);
        let sides = dp::Sides {
            source: &sf,
            target: &tf,
            source_labels: &none_s,
            target_labels: &none_t,
            model: PairModel::from_totals(total(&sf), total(&tf), (sf.len(), tf.len())),
        };
        realign_between_sure(&sides, (0, 0), (sf.len(), tf.len()), path)
    }

    #[test]
    fn the_second_pass_keeps_sure_pairs_and_moves_a_misplaced_skip() {
        let right = vec![
            bead(0, 0, 1, 1),
            bead(1, 1, 1, 0),
            bead(2, 1, 1, 1),
            bead(3, 2, 1, 1),
            bead(4, 3, 1, 1),
        ];
        assert_eq!(second_pass(&right), right);
        // A first pass that put the skip at the end paired three paragraphs with their
        // neighbours' translations: none of those pairs is sure, and the stretch is aligned
        // again.
        let shifted = vec![
            bead(0, 0, 1, 1),
            bead(1, 1, 1, 1),
            bead(2, 2, 1, 1),
            bead(3, 3, 1, 1),
            bead(4, 4, 1, 0),
        ];
        assert_eq!(second_pass(&shifted), right);
    }

    #[test]
    fn chain_is_monotone_and_longest() {
        let c = [(0, 0), (1, 2), (2, 1), (3, 3), (3, 4), (5, 5)];
        assert_eq!(longest_chain(&c), vec![(0, 0), (2, 1), (3, 3), (5, 5)]);
    }
}
