//! The monotone dynamic programme over two paragraph sequences.
//!
//! Steps (beads) are 1-1, 1-0, 0-1, 2-1, 1-2, 3-1 and 1-3. A bead's cost is minus the
//! log-likelihood ratio of its content (from `score`) plus a penalty for its type and a bonus or
//! penalty for its labels. The programme runs on one segment between two anchors, inside a
//! band around the segment's diagonal that widens until the best path no longer touches its
//! edge, so long documents stay near linear in time and memory.

use crate::score::{compare, Features, PairModel, WEIGHTS};

/// A step of the alignment: `s` source paragraphs from `i`, `t` target paragraphs from `j`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bead {
    /// First source paragraph.
    pub i: usize,
    /// First target paragraph.
    pub j: usize,
    /// Source paragraphs taken (0 to 3).
    pub s: usize,
    /// Target paragraphs taken (0 to 3).
    pub t: usize,
}

/// Bead shapes and their type penalties (a cost added to minus the content evidence).
///
/// Measured on real translations (`cargo bench --bench accuracy`, the UDHR in eight
/// languages, and `cargo bench --bench corpus`, legal, religious, technical and software text
/// in 10 to 20 languages each): a paragraph left out is far more common than two paragraphs
/// joined, so a merge costs more than a skip and must be earned by what the joined paragraph
/// brings (its words, numbers, names, or the length it makes up). With merges at 3.0 a
/// one-word message deleted beside its neighbour (`Sorting`) was absorbed into it: 76 % of
/// deleted paragraphs were found in the corpus, 87 % in the UDHR; at 6.0 (with
/// [`CONTINUED`]), 89 % and 90 %, paragraphs replaced by another's translation 72 → 75 % and
/// 77 → 84 %, and 107 false flags in the corpus where there were 126 (247 of 298,326 sound
/// UDHR pairs, 235 before). A paragraph that ends inside its sentence joins the next one at
/// the old price. The cost: the Greek UDHR, which lacks "Now, therefore,", now pairs it with
/// `Η ΓΕΝΙΚΗ ΣΥΝΕΛΕΥΣΗ` by length and reports "The General Assembly" missing.
const SHAPES: [(usize, usize, f64); 7] = [
    (1, 1, 0.0),
    (1, 0, SKIP),
    (0, 1, SKIP),
    (2, 1, 6.0),
    (1, 2, 6.0),
    (3, 1, 8.0),
    (1, 3, 8.0),
];

/// Taken off a merge whose paragraphs, all but the last, end inside their sentence
/// ([`Features::continues`]): a sentence split over two paragraphs is what translators join
/// (the UDHR's `Now, therefore,` goes with `The General Assembly proclaims` in Greek, French,
/// Russian and Japanese).
const CONTINUED: f64 = 3.0;

/// Added to a merge of paragraphs written in different scripts.
const MIXED_SCRIPTS: f64 = 6.0;

/// Cost of leaving a paragraph unpaired.
pub const SKIP: f64 = 4.0;

/// What the programme needs of both documents.
pub struct Sides<'a> {
    /// Source paragraph features.
    pub source: &'a [Features],
    /// Target paragraph features.
    pub target: &'a [Features],
    /// Source label paths (None where unlabelled).
    pub source_labels: &'a [Option<&'a str>],
    /// Target label paths.
    pub target_labels: &'a [Option<&'a str>],
    /// The length model.
    pub model: PairModel,
}

impl Sides<'_> {
    /// Log-likelihood evidence that the labels of two groups agree.
    pub fn label_llr(&self, i: usize, j: usize) -> f64 {
        match (self.source_labels[i], self.target_labels[j]) {
            (Some(a), Some(b)) if a == b => WEIGHTS.label_same,
            (Some(_), Some(_)) => WEIGHTS.label_differs,
            (Some(_), None) | (None, Some(_)) => WEIGHTS.label_one_side,
            (None, None) => 0.0,
        }
    }

    /// Cost of a bead.
    pub fn cost(&self, b: Bead, penalty: f64) -> f64 {
        if b.s == 0 || b.t == 0 {
            return penalty;
        }
        let mut src: [&Features; 3] = [&self.source[b.i]; 3];
        let mut tgt: [&Features; 3] = [&self.target[b.j]; 3];
        for (slot, f) in src.iter_mut().zip(&self.source[b.i..b.i + b.s]) {
            *slot = f;
        }
        for (slot, f) in tgt.iter_mut().zip(&self.target[b.j..b.j + b.t]) {
            *slot = f;
        }
        let sig = compare(
            &self.model,
            Features::without_fragments(&src[..b.s]),
            Features::without_fragments(&tgt[..b.t]),
            false,
        );
        // Paragraphs in two writing systems are not one paragraph split in two: one of them
        // is in another language (left untranslated, or from elsewhere).
        let mixed = |g: &[&Features]| {
            let mut scripts = g.iter().filter_map(|f| f.script);
            scripts.next().is_some_and(|a| scripts.any(|b| b != a))
        };
        let mixed_penalty = if mixed(&src[..b.s]) || mixed(&tgt[..b.t]) {
            MIXED_SCRIPTS
        } else {
            0.0
        };
        let mut label = self.label_llr(b.i, b.j);
        // A merged paragraph that carries its own label is less likely merged; one that carries
        // the other side's label means the paragraph before it is extra (or missing).
        for k in 1..b.s {
            if let (Some(a), Some(t)) = (self.source_labels[b.i + k], self.target_labels[b.j]) {
                label += if a == t {
                    WEIGHTS.merged_label_same
                } else {
                    WEIGHTS.merged_label_own
                };
            }
        }
        for k in 1..b.t {
            if let (Some(s), Some(a)) = (self.source_labels[b.i], self.target_labels[b.j + k]) {
                label += if a == s {
                    WEIGHTS.merged_label_same
                } else {
                    WEIGHTS.merged_label_own
                };
            }
        }
        let continued =
            |g: &[&Features]| g.len() > 1 && g[..g.len() - 1].iter().all(|f| f.continues);
        let joined = if continued(&src[..b.s]) || continued(&tgt[..b.t]) {
            CONTINUED
        } else {
            0.0
        };
        penalty + mixed_penalty - joined - sig.llr - label
    }
}

/// Align source paragraphs `s0..s1` with target paragraphs `t0..t1`, in a band of 8 cells
/// either side of the diagonal, plus twice the difference of the lengths, widened while the
/// best path touches its edge. (It started at 24: on the corpus of real translations and the
/// accuracy bench every figure is the same with 8, and a stretch with no anchor costs a third.)
pub fn align_segment(sides: &Sides, s0: usize, s1: usize, t0: usize, t1: usize) -> Vec<Bead> {
    let width = 8 + (s1 - s0).abs_diff(t1 - t0) * 2;
    align_within(sides, (s0, s1), (t0, t1), width)
}

/// [`align_segment`] in a band that starts `width` cells either side of the diagonal (and
/// widens until the best path no longer touches its edge).
pub fn align_within(
    sides: &Sides,
    (s0, s1): (usize, usize),
    (t0, t1): (usize, usize),
    mut width: usize,
) -> Vec<Bead> {
    let n = s1 - s0;
    let m = t1 - t0;
    if n == 0 || m == 0 {
        let mut out = Vec::new();
        for i in s0..s1 {
            out.push(Bead {
                i,
                j: t0,
                s: 1,
                t: 0,
            });
        }
        for j in t0..t1 {
            out.push(Bead {
                i: s1,
                j,
                s: 0,
                t: 1,
            });
        }
        return out;
    }
    loop {
        let full = width >= n.max(m);
        let w = if full { usize::MAX } else { width };
        let diag = |i: usize| (i as f64 * m as f64 / n as f64).round() as usize;
        let rows = (0..=n)
            .map(|i| (diag(i).saturating_sub(w), diag(i).saturating_add(w).min(m)))
            .collect();
        let (beads, touched) = banded(sides, s0, t0, n, m, rows);
        if full || !touched {
            return beads;
        }
        width *= 3;
    }
}

/// Realign source paragraphs `s0..s1` with target paragraphs `t0..t1` inside a corridor
/// around `path`, an earlier alignment of the same stretch (its beads, in order), that widens
/// until the best path no longer touches its edge. A second pass with better evidence moves
/// a path locally; keeping near the first one makes it cost a few cells per row.
pub fn realign_segment(
    sides: &Sides,
    (s0, s1): (usize, usize),
    (t0, t1): (usize, usize),
    path: &[Bead],
) -> Vec<Bead> {
    let n = s1 - s0;
    let m = t1 - t0;
    if n == 0 || m == 0 || path.is_empty() {
        return align_segment(sides, s0, s1, t0, t1);
    }
    // The columns the path visits on each row.
    let mut on: Vec<(usize, usize)> = vec![(usize::MAX, 0); n + 1];
    for b in path {
        for (lo, hi) in &mut on[b.i - s0..=b.i - s0 + b.s] {
            *lo = (*lo).min(b.j - t0);
            *hi = (*hi).max(b.j - t0 + b.t);
        }
    }
    let mut width = 4;
    loop {
        if width >= n.max(m) {
            return align_segment(sides, s0, s1, t0, t1);
        }
        let rows = on
            .iter()
            .map(|&(lo, hi)| (lo.min(m).saturating_sub(width), (hi + width).min(m)))
            .collect();
        let (beads, touched) = banded(sides, s0, t0, n, m, rows);
        if !touched && !beads.is_empty() {
            return beads;
        }
        width *= 3;
    }
}

/// The programme inside `rows`: for each source row 0..=n, the target columns it may visit
/// (monotone). Returns the beads and whether the path touched the band's edge.
fn banded(
    sides: &Sides,
    s0: usize,
    t0: usize,
    n: usize,
    m: usize,
    rows: Vec<(usize, usize)>,
) -> (Vec<Bead>, bool) {
    let back = fill(sides, (s0, t0), n, &rows);
    trace_back(&back, &rows, (s0, t0), (n, m))
}

/// The forward pass: for every cell of the band, the shape (index in [`SHAPES`]) of the
/// cheapest bead that ends there, `u8::MAX` where no path reaches it; cell `(i, j)` is at
/// `[i][j - a]`, `a` the first column of row `i`.
fn fill(
    sides: &Sides,
    (s0, t0): (usize, usize),
    n: usize,
    rows: &[(usize, usize)],
) -> Vec<Vec<u8>> {
    let mut cost: Vec<Vec<f64>> = rows
        .iter()
        .map(|(a, b)| vec![f64::INFINITY; b - a + 1])
        .collect();
    let mut back: Vec<Vec<u8>> = rows.iter().map(|(a, b)| vec![u8::MAX; b - a + 1]).collect();
    let get = |cost: &Vec<Vec<f64>>, i: usize, j: usize| -> f64 {
        let (a, b) = rows[i];
        if j < a || j > b {
            f64::INFINITY
        } else {
            cost[i][j - a]
        }
    };
    cost[0][0] = 0.0;
    for i in 0..=n {
        let (a, b) = rows[i];
        for j in a..=b {
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = f64::INFINITY;
            let mut arg = u8::MAX;
            for (k, &(ds, dt, pen)) in SHAPES.iter().enumerate() {
                if ds > i || dt > j {
                    continue;
                }
                let prev = get(&cost, i - ds, j - dt);
                if !prev.is_finite() {
                    continue;
                }
                let c = prev
                    + sides.cost(
                        Bead {
                            i: s0 + i - ds,
                            j: t0 + j - dt,
                            s: ds,
                            t: dt,
                        },
                        pen,
                    );
                if c < best {
                    best = c;
                    arg = k as u8;
                }
            }
            cost[i][j - a] = best;
            back[i][j - a] = arg;
        }
    }
    back
}

/// The best path, read back from the last cell `(n, m)` through the shapes of [`fill`]: its
/// beads in order, and whether it touched the band's edge (an empty path that touched, where
/// the last cell is unreachable inside the band).
fn trace_back(
    back: &[Vec<u8>],
    rows: &[(usize, usize)],
    (s0, t0): (usize, usize),
    (n, m): (usize, usize),
) -> (Vec<Bead>, bool) {
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    let mut touched = false;
    while i > 0 || j > 0 {
        let (a, b) = rows[i];
        if (j == a && a > 0) || (j == b && b < m) {
            touched = true;
        }
        let k = back[i][j - a];
        if k == u8::MAX {
            // Unreachable inside the band: force a widening.
            return (Vec::new(), true);
        }
        let (ds, dt, _) = SHAPES[k as usize];
        i -= ds;
        j -= dt;
        beads.push(Bead {
            i: s0 + i,
            j: t0 + j,
            s: ds,
            t: dt,
        });
    }
    beads.reverse();
    (beads, touched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Format};

    fn bead(i: usize, j: usize, s: usize, t: usize) -> Bead {
        Bead { i, j, s, t }
    }

    /// The programme over two small documents, in one segment, without labels.
    fn run(source: &str, target: &str, width: usize) -> Vec<Bead> {
        let sd = Document::parse("a.en.txt", source, Format::Text);
        let td = Document::parse("a.de.txt", target, Format::Text);
        let sf = Features::of_all(&sd.paragraphs);
        let tf = Features::of_all(&td.paragraphs);
        let total = |f: &[Features]| f.iter().map(|f| f.chars as u64).sum::<u64>();
        let none_s = vec![None; sf.len()];
        let none_t = vec![None; tf.len()];
        let sides = Sides {
            source: &sf,
            target: &tf,
            source_labels: &none_s,
            target_labels: &none_t,
            model: PairModel::from_totals(total(&sf), total(&tf), (sf.len(), tf.len())),
        };
        align_within(&sides, (0, sf.len()), (0, tf.len()), width)
    }

    const EN: &str =
        "The council met on 3 May 2021 and approved the budget of 4,500,000 euros.\n\n\
                      The museum closed for 18 months while 62 rooms were restored by 40 people.\n\n\
                      The new park opens in 2023 with 120 trees planted along the river.\n";
    const DE: &str =
        "Der Rat trat am 3. Mai 2021 zusammen und billigte den Haushalt von 4.500.000 Euro.\n\n\
                      Der neue Park öffnet 2023 mit 120 Bäumen, die am Fluss gepflanzt wurden.\n";

    #[test]
    fn a_paragraph_left_out_is_skipped_and_its_neighbours_pair() {
        // The numbers pair the first and last paragraphs; the one between has no counterpart
        // (its numbers are nowhere in the target): one-to-one, a skip, one-to-one.
        let expected = vec![bead(0, 0, 1, 1), bead(1, 1, 1, 0), bead(2, 1, 1, 1)];
        assert_eq!(run(EN, DE, 24), expected);
        // A band of one cell either side of the diagonal finds the same path.
        assert_eq!(run(EN, DE, 1), expected);
    }

    /// A one-word message left out beside its neighbour brings nothing to a merge (no word,
    /// number or name; a few letters of length): a gap, not two paragraphs joined. A piece of
    /// a sentence that goes on in the next paragraph joins it.
    #[test]
    fn a_merge_must_be_earned_unless_a_sentence_goes_on() {
        let en = "The archive holds 4,500 letters written between 1850 and 1910.\n\n\
                  Sorting\n\n\
                  The museum closed for 18 months while 62 rooms were restored.\n";
        let de = "Das Archiv bewahrt 4.500 Briefe auf, die zwischen 1850 und 1910 geschrieben \
                  wurden.\n\n\
                  Das Museum war 18 Monate geschlossen, während 62 Räume restauriert wurden.\n";
        assert_eq!(
            run(en, de, 24),
            vec![bead(0, 0, 1, 1), bead(1, 1, 1, 0), bead(2, 1, 1, 1)]
        );
        let en = "The archive holds 4,500 letters written between 1850 and 1910.\n\n\
                  Now, therefore,\n\n\
                  the museum closed for 18 months while 62 rooms were restored.\n";
        let de = "Das Archiv bewahrt 4.500 Briefe auf, die zwischen 1850 und 1910 geschrieben \
                  wurden.\n\n\
                  Daher war das Museum 18 Monate geschlossen, während 62 Räume restauriert wurden.\n";
        assert_eq!(run(en, de, 24), vec![bead(0, 0, 1, 1), bead(1, 1, 2, 1)]);
        assert!(Features::of_text("Now, therefore,").continues);
        assert!(Features::of_text("鉴于，").continues);
        assert!(!Features::of_text("Sorting").continues);
        // A short opening piece is left out of what a joined pair is compared on; a clause of
        // its own, and the last paragraph of a group, are not.
        let (now, assembly) = (
            Features::of_text("Now, therefore,"),
            Features::of_text("The General Assembly"),
        );
        let whereas = Features::of_text(
            "Whereas it is essential to promote the development of friendly relations,",
        );
        assert_eq!(Features::without_fragments(&[&now, &assembly]), [&assembly]);
        assert_eq!(
            Features::without_fragments(&[&whereas, &assembly]),
            [&whereas, &assembly]
        );
        assert_eq!(Features::without_fragments(&[&now]), [&now]);
    }

    #[test]
    fn an_empty_side_leaves_every_paragraph_unpaired() {
        assert_eq!(
            run(EN, "", 24),
            vec![bead(0, 0, 1, 0), bead(1, 0, 1, 0), bead(2, 0, 1, 0)]
        );
    }
}
