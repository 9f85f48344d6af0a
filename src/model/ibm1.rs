//! IBM Model 1 (Brown et al. 1993), trained with expectation-maximisation on pairs of token
//! sets: the probability `t(f | e)` that a source token `e` (or the empty token, NULL)
//! generates a target token `f`. Moore (2002) and hunalign's realign use it the same way to
//! align sentences: a first alignment by length gives pairs, the model learned from them reads
//! the words.
//!
//! Tokens are dense ids (`0..vocabulary`), each paragraph a sorted set. Every co-occurring
//! `(e, f)` gets a slot; EM runs over flat arrays of slots, so an iteration is a few passes
//! over memory. Pure and deterministic: no files, no clock, no randomness.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for the slot map: keys are two packed ids, already well spread by a multiply.
#[derive(Default)]
pub(crate) struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
    }
    fn write_u64(&mut self, k: u64) {
        let x = (self.0 ^ k).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 29);
    }
    fn write_u32(&mut self, k: u32) {
        self.write_u64(u64::from(k));
    }
}

/// A hash map with [`MixHasher`].
pub(crate) type MixMap<K, V> = HashMap<K, V, BuildHasherDefault<MixHasher>>;

/// A hash set with [`MixHasher`].
pub(crate) type MixSet<K> = std::collections::HashSet<K, BuildHasherDefault<MixHasher>>;

/// The [`MixHasher`] hash of a value: a key compared within one run, never stored (not
/// SipHash: no key here comes from an adversary who could aim at one bucket, and these run on
/// every word of every paragraph).
pub(crate) fn mix_hash<T: std::hash::Hash + ?Sized>(t: &T) -> u64 {
    let mut h = MixHasher::default();
    t.hash(&mut h);
    h.finish()
}

/// One direction of a trained model: for each source id, its target ids with `t(f | e)`, most
/// likely first (NULL's are not kept).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Per source id: (target id, probability), by probability descending then id.
    pub rows: Vec<Vec<(u32, f32)>>,
}

/// Train `t(f | e)` on `pairs` (source ids, target ids; each sorted and unique) over
/// `iterations` rounds of EM, starting from uniform. `source_vocabulary` bounds the source ids.
/// Only translations with `t(f | e) >= keep` are kept in the table.
pub fn train(
    pairs: &[(&[u32], &[u32])],
    source_vocabulary: usize,
    iterations: usize,
    keep: f32,
) -> Table {
    let null = source_vocabulary as u32;
    // Per pair, per target token, the slots of (e, f) for every e of the pair and NULL: sized
    // once (growing a vector of millions doubles it several times, each a fresh allocation).
    let cells: usize = pairs.iter().map(|(es, fs)| fs.len() * (es.len() + 1)).sum();
    let mut slots: Vec<u32> = Vec::with_capacity(cells);
    // Slots: one per co-occurring (e, f), NULL included; most pairs of words recur, so a
    // quarter of the cells is a fair first size for the map.
    let mut slot_of: MixMap<u64, u32> = MixMap::default();
    slot_of.reserve(cells / 4);
    let mut slot_e: Vec<u32> = Vec::with_capacity(cells / 4);
    let mut slot_f: Vec<u32> = Vec::with_capacity(cells / 4);
    let mut starts: Vec<usize> = Vec::with_capacity(pairs.len() + 1);
    for (es, fs) in pairs {
        starts.push(slots.len());
        for &f in *fs {
            for &e in es.iter().chain(std::iter::once(&null)) {
                let key = u64::from(e) << 32 | u64::from(f);
                let next = slot_e.len() as u32;
                let s = *slot_of.entry(key).or_insert(next);
                if s == next {
                    slot_e.push(e);
                    slot_f.push(f);
                }
                slots.push(s);
            }
        }
    }
    starts.push(slots.len());
    drop(slot_of);
    let n = slot_e.len();
    let mut prob = vec![1.0f32; n];
    let mut count = vec![0.0f32; n];
    let mut total = vec![0.0f32; source_vocabulary + 1];
    for _ in 0..iterations {
        count.iter_mut().for_each(|c| *c = 0.0);
        total.iter_mut().for_each(|c| *c = 0.0);
        for (k, (es, _)) in pairs.iter().enumerate() {
            let width = es.len() + 1;
            for row in slots[starts[k]..starts[k + 1]].chunks_exact(width) {
                let denom: f32 = row.iter().map(|&s| prob[s as usize]).sum();
                if denom <= 0.0 {
                    continue;
                }
                for &s in row {
                    let c = prob[s as usize] / denom;
                    count[s as usize] += c;
                    total[slot_e[s as usize] as usize] += c;
                }
            }
        }
        for s in 0..n {
            let t = total[slot_e[s] as usize];
            prob[s] = if t > 0.0 { count[s] / t } else { 0.0 };
        }
    }
    let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); source_vocabulary];
    for s in 0..n {
        let e = slot_e[s];
        if e != null && prob[s] >= keep {
            rows[e as usize].push((slot_f[s], prob[s]));
        }
    }
    for r in &mut rows {
        r.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    Table { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn em_finds_the_words_that_travel_together() {
        // "the house" / "la casa", "the book" / "el libro", "a book" / "un libro",
        // "a house" / "una casa": the = 0, house = 1, book = 2, a = 3;
        // la = 0, casa = 1, el = 2, libro = 3, un = 4, una = 5.
        let data: Vec<(Vec<u32>, Vec<u32>)> = vec![
            (vec![0, 1], vec![0, 1]),
            (vec![0, 2], vec![2, 3]),
            (vec![2, 3], vec![3, 4]),
            (vec![1, 3], vec![1, 5]),
        ];
        let pairs: Vec<(&[u32], &[u32])> = data
            .iter()
            .map(|(a, b)| (a.as_slice(), b.as_slice()))
            .collect();
        let t = train(&pairs, 4, 10, 0.3);
        // house -> casa, book -> libro, each most likely.
        assert_eq!(t.rows[1][0].0, 1);
        assert_eq!(t.rows[2][0].0, 3);
        assert!(t.rows[1][0].1 > 0.5, "{:?}", t.rows[1]);
        assert!(t.rows[2][0].1 > 0.5, "{:?}", t.rows[2]);
    }
}
