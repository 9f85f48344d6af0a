//! The word-translation model: which words of the target translate which words of the source,
//! learned with no network and no downloaded model.
//!
//! **What is learned.** IBM Model 1 (`ibm1.rs`), trained with EM in both directions on the
//! paragraph pairs that a first alignment (labels, length, numbers, names) found. From the
//! probabilities, every source token keeps the target tokens it generates with `t(f | e) >=`
//! [`KEEP`] (and the reverse direction likewise): its translations.
//!
//! **Why not score with likelihoods.** A pair scored by a model trained on that very pair
//! translates itself (a paragraph substituted by another paragraph's translation would look
//! perfect), and words never seen in training drag an average likelihood down by chance. So
//! (as measured in the design note on seven languages, ROC AUC 0.85-0.96 against 0.40-0.69 for
//! likelihoods): the model is **cross-fitted** — the pairs are split in two folds by the source
//! paragraph's place, each fold's pairs are scored by the model trained on the other fold —
//! and a pair's evidence is its **coverage**: of the tokens the model knows (seen in two
//! training pairs or more, in at most half of them, with a translation), how many find one of
//! their translations on the other side, counted in both directions. `score` turns the coverage
//! into a log-likelihood ratio with the rates measured on the document pair itself
//! ([`WordModel::one_way`]).
//!
//! **Tokens** (`tokens.rs`) work for every script: the first five letters of a word, lower-cased
//! (so that forms of a word meet), and every character in Chinese and Japanese text.
//!
//! Pure and deterministic: no files, no terminal, no clock, no randomness.

mod ibm1;
pub mod lexicon;
pub mod memory;
pub mod tokens;

use std::sync::Arc;

pub(crate) use ibm1::{mix_hash, MixHasher, MixMap, MixSet};
pub use ibm1::{train, Table};
pub use memory::{MemoryModel, MemoryModels};

/// A translation is kept when `t(f | e)` is at least this (0.3 separated translations from
/// their neighbours better than 0.1 or 0.5 on real Bible, software and UDHR texts: ROC AUC
/// 0.942 against 0.935 and 0.924, `cargo bench --bench corpus`; keeping also every
/// translation at half the best one's probability lost 0.008 and raised false flags).
pub const KEEP: f32 = 0.3;
/// EM iterations (Model 1's likelihood is convex: a few rounds from uniform are enough to rank
/// translations, which is all that coverage needs).
pub const ITERATIONS: usize = 5;
/// At most this many pairs train the model of a document pair (evenly spread).
pub const TRAIN_PAIRS: usize = 2400;
/// Of each paragraph, at most this many of its rarest tokens train the model.
pub const TRAIN_TOKENS: usize = 40;
/// Consecutive source paragraphs fall into the same fold in blocks of this many.
pub const FOLD_BLOCK: usize = 4;

/// Which side of a pair a paragraph is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The source document.
    Source,
    /// The target document.
    Target,
}

/// A trained, cross-fitted model of one document pair (or of a memory, with one fold).
#[derive(Debug, Clone, Default)]
pub struct WordModel {
    /// Token (see [`tokens::tokens`]) to dense id, per side.
    ids: [MixMap<u32, u32>; 2],
    /// Per fold, per side: for each id, the ids on the other side that translate it, sorted.
    translations: Vec<[Vec<Vec<u32>>; 2]>,
    /// Per fold, per side: for each id, the chance that a paragraph of the other document
    /// holds one of its translations (the share of its paragraphs that do): how often the
    /// token is covered by an unrelated paragraph.
    chance: Vec<[Vec<f32>; 2]>,
    /// Per fold, for each source id, whether it translates some target token (see
    /// [`WordModel::found_both_ways`]).
    known_back: Vec<Vec<bool>>,
}

/// The fold marked on target paragraphs: they are scored with their source's fold.
pub const TARGET_FOLD: u8 = u8::MAX;

/// The fold of a source paragraph.
pub fn fold_of(i: usize, folds: usize) -> u8 {
    if folds < 2 {
        0
    } else {
        ((i / FOLD_BLOCK) % folds) as u8
    }
}

impl WordModel {
    /// Learn from paired paragraphs: `pairs` (source index, target index) into the token sets
    /// of both documents. With `folds` = 2 the model is cross-fitted (see the module docs).
    /// None when there is too little to learn from.
    pub fn learn(
        pairs: &[(usize, usize)],
        source: &[&[u32]],
        target: &[&[u32]],
        folds: usize,
    ) -> Option<Arc<WordModel>> {
        WordModel::learn_with(pairs, source, target, folds, None)
    }

    /// [`WordModel::learn`] with a memory's model as a prior: each fold's translations get
    /// the memory's translations of a token (those that stand in the other document) before
    /// the chance rates are measured.
    pub fn learn_with(
        pairs: &[(usize, usize)],
        source: &[&[u32]],
        target: &[&[u32]],
        folds: usize,
        prior: Option<&MemoryModel>,
    ) -> Option<Arc<WordModel>> {
        let step = pairs.len().div_ceil(TRAIN_PAIRS).max(1);
        let sample: Vec<(usize, usize)> = pairs.iter().copied().step_by(step).collect();
        if sample.len() < 8 {
            return None;
        }
        let folds = folds.clamp(1, 2);
        let mut model = WordModel::default();
        // Dense ids for every token of both documents (scoring needs them all).
        for (side, doc) in [source, target].into_iter().enumerate() {
            let ids = &mut model.ids[side];
            for toks in doc {
                for &t in *toks {
                    let next = ids.len() as u32;
                    ids.entry(t).or_insert(next);
                }
            }
        }
        let dense = |side: usize, toks: &[u32]| -> Vec<u32> {
            let mut v: Vec<u32> = toks.iter().map(|t| model.ids[side][t]).collect();
            v.sort_unstable();
            v
        };
        let sizes = [model.ids[0].len(), model.ids[1].len()];
        let learned = learn_folds(folds, sizes, |fold| {
            // Train on the pairs of the other fold(s).
            sample
                .iter()
                .filter(|&&(i, _)| folds == 1 || fold_of(i, folds) as usize != fold)
                .map(|&(i, j)| (dense(0, source[i]), dense(1, target[j])))
                .collect()
        });
        for mut fold in learned {
            if let Some(memory) = prior {
                model.add_prior(&mut fold, memory);
            }
            model.translations.push(fold);
        }
        // How often each token's translations stand in a paragraph of the other document.
        let docs = [
            source.iter().map(|t| dense(0, t)).collect::<Vec<_>>(),
            target.iter().map(|t| dense(1, t)).collect::<Vec<_>>(),
        ];
        let df: Vec<Vec<u32>> = (0..2)
            .map(|side| {
                let mut df = vec![0u32; sizes[side]];
                for p in &docs[side] {
                    for &id in p {
                        df[id as usize] += 1;
                    }
                }
                df
            })
            .collect();
        for tr in &model.translations {
            let chance: [Vec<f32>; 2] = std::array::from_fn(|side| {
                let other = 1 - side;
                let m = docs[other].len().max(1) as f32;
                tr[side]
                    .iter()
                    .map(|set| {
                        let hits: u32 = set.iter().map(|&f| df[other][f as usize]).sum();
                        (hits as f32 / m).min(1.0)
                    })
                    .collect()
            });
            model.chance.push(chance);
        }
        model.index_backward();
        Some(Arc::new(model))
    }

    /// Add to a fold's translations (by dense id) the memory's translations of each token
    /// that stand in the other document.
    fn add_prior(&self, fold: &mut [Vec<Vec<u32>>; 2], memory: &MemoryModel) {
        for (side, table) in fold.iter_mut().enumerate() {
            for (&token, &e) in &self.ids[side] {
                let extra: Vec<u32> = memory
                    .translations(side, token)
                    .iter()
                    .filter_map(|f| self.ids[1 - side].get(f).copied())
                    .collect();
                if extra.is_empty() {
                    continue;
                }
                let set = &mut table[e as usize];
                set.extend(extra);
                set.sort_unstable();
                set.dedup();
            }
        }
    }

    /// The model of a memory alone, for a pair of documents too short to learn from (one
    /// fold): every token of both documents and the memory's translations of those it knows
    /// get ids; the chance rates are the memory's (see [`MemoryModel::chance`]).
    pub fn from_memory(
        memory: &MemoryModel,
        source: &[&[u32]],
        target: &[&[u32]],
    ) -> Arc<WordModel> {
        let mut model = WordModel::default();
        let mut tokens: [Vec<u32>; 2] = Default::default();
        for (side, doc) in [source, target].into_iter().enumerate() {
            for &t in doc.iter().flat_map(|p| p.iter()) {
                dense_id(&mut model.ids[side], &mut tokens[side], t);
            }
        }
        // Only the documents' own tokens are looked up (not the translations added after).
        let own = [tokens[0].len(), tokens[1].len()];
        let mut rows: [Vec<(f32, Vec<u32>)>; 2] = Default::default();
        for side in 0..2 {
            for k in 0..own[side] {
                let tr = memory.translations(side, tokens[side][k]);
                let (ids, toks) = (&mut model.ids[1 - side], &mut tokens[1 - side]);
                let mut set: Vec<u32> = tr.iter().map(|&f| dense_id(ids, toks, f)).collect();
                set.sort_unstable();
                rows[side].push((memory.chance(side, &tr), set));
            }
        }
        let mut translations: [Vec<Vec<u32>>; 2] = Default::default();
        let mut chance: [Vec<f32>; 2] = Default::default();
        for side in 0..2 {
            let n = model.ids[side].len();
            translations[side] = vec![Vec::new(); n];
            chance[side] = vec![0.0; n];
            for (k, (c, set)) in std::mem::take(&mut rows[side]).into_iter().enumerate() {
                translations[side][k] = set;
                chance[side][k] = c;
            }
        }
        model.translations.push(translations);
        model.chance.push(chance);
        model.index_backward();
        Arc::new(model)
    }

    /// Of a source paragraph's tokens `from` (dense ids, in the order they stand), whether
    /// each found a translation in the target paragraph `to` (sorted dense ids), looked up both
    /// ways with the model of `fold`: one of its translations stands in `to`, or it is a
    /// translation of a token of `to`. None for a token the model knows neither way (Chinese
    /// and Japanese characters translate English words one way only).
    pub fn found_both_ways(&self, fold: u8, from: &[u32], to: &[u32]) -> Vec<Option<bool>> {
        let f = usize::from(fold).min(self.translations.len().saturating_sub(1));
        let Some([forward, backward]) = self.translations.get(f) else {
            return vec![None; from.len()];
        };
        let mut reached: Vec<u32> = to
            .iter()
            .flat_map(|&t| backward.get(t as usize).into_iter().flatten().copied())
            .collect();
        reached.sort_unstable();
        reached.dedup();
        let known_back = &self.known_back[f];
        from.iter()
            .map(|&e| {
                let set = forward.get(e as usize).map_or(&[][..], Vec::as_slice);
                let back = known_back.get(e as usize).copied().unwrap_or(false);
                if set.is_empty() && !back {
                    return None;
                }
                Some(
                    set.iter().any(|x| to.binary_search(x).is_ok())
                        || reached.binary_search(&e).is_ok(),
                )
            })
            .collect()
    }

    /// Per fold, which source ids are a translation of some target token.
    fn index_backward(&mut self) {
        self.known_back = self
            .translations
            .iter()
            .map(|[forward, backward]| {
                let mut known = vec![false; forward.len()];
                for &e in backward.iter().flatten() {
                    if let Some(k) = known.get_mut(e as usize) {
                        *k = true;
                    }
                }
                known
            })
            .collect();
    }

    /// The dense id of one token on one side, if the model has seen it.
    pub fn id(&self, side: Side, token: u32) -> Option<u32> {
        self.ids[side as usize].get(&token).copied()
    }

    /// The dense ids of a paragraph's tokens on one side, sorted (tokens the model has never
    /// seen are left out).
    pub fn ids(&self, side: Side, tokens: &[u32]) -> Vec<u32> {
        let mut v: Vec<u32> = tokens.iter().filter_map(|&t| self.id(side, t)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The log-likelihood ratio of the coverage of a pair's tokens on one `side`, looked up in
    /// the other side's (dense ids, see [`WordModel::ids`]), scored by the model of `fold`, with
    /// the coverage counts: (LLR, tokens that found a translation, tokens the model knows).
    ///
    /// Token by token: a known token that finds a translation adds `ln(rate / chance)`, one that
    /// finds none adds `ln((1 - rate) / (1 - chance))`, where `rate` is how often a known token
    /// of a translation finds one (measured on the document pair) and `chance` how often that
    /// token's translations stand in any paragraph of the other document. A rare word's
    /// translation found says much, a common one's little.
    pub fn one_way(
        &self,
        fold: u8,
        side: Side,
        rate: f64,
        from: &[&[u32]],
        to: &[&[u32]],
    ) -> (f64, usize, usize) {
        let f = usize::from(fold).min(self.translations.len() - 1);
        let side = side as usize;
        let (table, chance) = (&self.translations[f][side], &self.chance[f][side]);
        let mut llr = 0.0;
        let (mut k, mut n) = (0, 0);
        for group in from {
            for &e in *group {
                let set = &table[e as usize];
                if set.is_empty() {
                    continue;
                }
                n += 1;
                let c = f64::from(chance[e as usize]).clamp(0.002, rate - 0.02);
                if set
                    .iter()
                    .any(|f| to.iter().any(|g| g.binary_search(f).is_ok()))
                {
                    k += 1;
                    llr += (rate / c).ln();
                } else {
                    llr += ((1.0 - rate) / (1.0 - c)).ln();
                }
            }
        }
        (llr, k, n)
    }

    /// Tokens of `from` (dense ids) the model knows and that found no translation in `to`,
    /// scored by the model of `fold`; `side` is the side of `from`.
    pub fn unmatched(&self, fold: u8, side: Side, from: &[u32], to: &[&[u32]]) -> Vec<u32> {
        let tr = &self.translations[usize::from(fold).min(self.translations.len() - 1)];
        let table = &tr[side as usize];
        from.iter()
            .copied()
            .filter(|&e| {
                let set = &table[e as usize];
                !set.is_empty()
                    && !set
                        .iter()
                        .any(|f| to.iter().any(|g| g.binary_search(f).is_ok()))
            })
            .collect()
    }

    /// How many folds the model has.
    pub fn folds(&self) -> usize {
        self.translations.len()
    }
}

/// The dense id of a token, given the next one when it is new (and noted in `tokens`).
fn dense_id(ids: &mut MixMap<u32, u32>, tokens: &mut Vec<u32>, t: u32) -> u32 {
    let next = tokens.len() as u32;
    let id = *ids.entry(t).or_insert(next);
    if id == next {
        tokens.push(t);
    }
    id
}

/// Document frequencies of a batch of pairs (dense ids, `sizes` per side), and each pair
/// reduced to its rarest `keep` tokens seen in two pairs or more (a token seen once cannot be
/// learned, and would only soak up probability).
pub(crate) type Reduced = ([Vec<u32>; 2], Vec<(Vec<u32>, Vec<u32>)>);

/// See [`Reduced`].
pub(crate) fn reduce(pairs: &[(Vec<u32>, Vec<u32>)], sizes: [usize; 2], keep: usize) -> Reduced {
    let mut df = [vec![0u32; sizes[0]], vec![0u32; sizes[1]]];
    for (s, t) in pairs {
        for &e in s {
            df[0][e as usize] += 1;
        }
        for &f in t {
            df[1][f as usize] += 1;
        }
    }
    let rarest = |side: usize, toks: &[u32]| -> Vec<u32> {
        let mut v: Vec<(u32, u32)> = toks
            .iter()
            .filter(|&&t| df[side][t as usize] >= 2)
            .map(|&t| (df[side][t as usize], t))
            .collect();
        v.sort_unstable();
        v.truncate(keep);
        let mut ids: Vec<u32> = v.into_iter().map(|(_, t)| t).collect();
        ids.sort_unstable();
        ids
    };
    let reduced = pairs
        .iter()
        .map(|(s, t)| (rarest(0, s), rarest(1, t)))
        .collect();
    (df, reduced)
}

/// [`learn_fold`] for each of `folds` folds, on the pairs `pairs(fold)` gives. The folds are
/// independent: each trains on a core of its own.
fn learn_folds(
    folds: usize,
    sizes: [usize; 2],
    pairs: impl Fn(usize) -> Vec<(Vec<u32>, Vec<u32>)>,
) -> Vec<[Vec<Vec<u32>>; 2]> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..folds)
            .map(|fold| {
                let train_on = pairs(fold);
                scope.spawn(move || learn_fold(&train_on, sizes))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Train both directions on one fold's pairs and keep, for each token the fold knows, its
/// translations.
fn learn_fold(pairs: &[(Vec<u32>, Vec<u32>)], sizes: [usize; 2]) -> [Vec<Vec<u32>>; 2] {
    let n = pairs.len();
    let (df, reduced) = reduce(pairs, sizes, TRAIN_TOKENS);
    let max_df = (n as u32 / 2).max(2);
    let known = |side: usize, id: u32| (2..=max_df).contains(&df[side][id as usize]);
    let forward: Vec<(&[u32], &[u32])> = reduced
        .iter()
        .map(|(s, t)| (s.as_slice(), t.as_slice()))
        .collect();
    let backward: Vec<(&[u32], &[u32])> = reduced
        .iter()
        .map(|(s, t)| (t.as_slice(), s.as_slice()))
        .collect();
    let tables = [
        train(&forward, sizes[0], ITERATIONS, KEEP),
        train(&backward, sizes[1], ITERATIONS, KEEP),
    ];
    let mut out: [Vec<Vec<u32>>; 2] = [vec![Vec::new(); sizes[0]], vec![Vec::new(); sizes[1]]];
    for side in 0..2 {
        for (e, row) in tables[side].rows.iter().enumerate() {
            if !known(side, e as u32) {
                continue;
            }
            let mut set: Vec<u32> = row
                .iter()
                .filter(|&&(f, _)| known(1 - side, f))
                .map(|&(f, _)| f)
                .collect();
            set.sort_unstable();
            out[side][e] = set;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cross_fitted_model_knows_words_from_the_other_fold() {
        // Sixteen pairs: word 100+k always with word 200+k (k = 0..3, four times each, spread
        // over both folds), and a filler word everywhere.
        let mut source = Vec::new();
        let mut target = Vec::new();
        for p in 0..16u32 {
            let k = p % 4;
            source.push(vec![100 + k, 1]);
            target.push(vec![200 + k, 2]);
        }
        let pairs: Vec<(usize, usize)> = (0..16).map(|k| (k, k)).collect();
        let s_refs: Vec<&[u32]> = source.iter().map(Vec::as_slice).collect();
        let t_refs: Vec<&[u32]> = target.iter().map(Vec::as_slice).collect();
        let m = WordModel::learn(&pairs, &s_refs, &t_refs, 2).expect("a model");
        assert_eq!(m.folds(), 2);
        for p in 0..16usize {
            let fold = fold_of(p, 2);
            let s = m.ids(Side::Source, &source[p]);
            let t = m.ids(Side::Target, &target[p]);
            let other = m.ids(Side::Target, &target[(p + 1) % 16]);
            // Both content words are known and found; the filler is in every pair.
            let counts = |to: &[u32]| {
                let (_, k, n) = m.one_way(fold, Side::Source, 0.5, &[&s], &[to]);
                let (_, k2, n2) = m.one_way(fold, Side::Target, 0.5, &[to], &[&s]);
                (k + k2, n + n2)
            };
            assert_eq!(counts(&t), (2, 2), "pair {p}");
            assert_eq!(counts(&other), (0, 2), "pair {p}");
            // In the order they stand: the content word found in its own target, not in
            // another; the filler (in every pair) is known neither way.
            let words = [source[p][0], source[p][1]].map(|w| m.id(Side::Source, w).unwrap());
            assert_eq!(m.found_both_ways(fold, &words, &t), [Some(true), None]);
            assert_eq!(m.found_both_ways(fold, &words, &other), [Some(false), None]);
        }
    }

    #[test]
    fn a_memory_teaches_a_word_the_document_pair_saw_once() {
        // The document pair of the test above, and word 500 with its translation 600 in
        // pair 3 only: seen once, the document's model cannot learn it.
        let mut source: Vec<Vec<u32>> = (0..16u32).map(|p| vec![1, 100 + p % 4]).collect();
        let mut target: Vec<Vec<u32>> = (0..16u32).map(|p| vec![2, 200 + p % 4]).collect();
        source[3].push(500);
        target[3].push(600);
        let pairs: Vec<(usize, usize)> = (0..16).map(|k| (k, k)).collect();
        let s_refs: Vec<&[u32]> = source.iter().map(Vec::as_slice).collect();
        let t_refs: Vec<&[u32]> = target.iter().map(Vec::as_slice).collect();
        // A memory where 500 and 600 stand together in a third of 30 pairs.
        let mem_pairs: Vec<(Vec<u32>, Vec<u32>)> = (0..30u32)
            .map(|p| {
                let w = if p % 3 == 0 {
                    (500, 600)
                } else {
                    (700 + p, 800 + p)
                };
                (vec![w.0, 900 + p % 5], vec![w.1, 950 + p % 5])
            })
            .collect();
        let refs: Vec<(&[u32], &[u32])> = mem_pairs
            .iter()
            .map(|(a, b)| (a.as_slice(), b.as_slice()))
            .collect();
        let memory = MemoryModel::train(&refs);
        assert_eq!(memory.translations(0, 500), vec![600]);
        let counts = |m: &WordModel| {
            let s = m.ids(Side::Source, &source[3]);
            let t = m.ids(Side::Target, &target[3]);
            let (_, k, n) = m.one_way(fold_of(3, 2), Side::Source, 0.5, &[&s], &[&t]);
            (k, n)
        };
        let plain = WordModel::learn(&pairs, &s_refs, &t_refs, 2).expect("a model");
        assert_eq!(counts(&plain), (1, 1));
        let with = WordModel::learn_with(&pairs, &s_refs, &t_refs, 2, Some(&memory));
        assert_eq!(counts(&with.expect("a model")), (2, 2));
        // Alone, the memory knows 500 (and 900 + k, not in these documents).
        let alone = WordModel::from_memory(&memory, &s_refs, &t_refs);
        assert_eq!(alone.folds(), 1);
        let s = alone.ids(Side::Source, &source[3]);
        let t = alone.ids(Side::Target, &target[3]);
        assert_eq!(alone.one_way(0, Side::Source, 0.5, &[&s], &[&t]).1, 1);
    }
}
