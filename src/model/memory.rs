//! The word model a translation memory keeps for one language pair: what its stored pairs
//! taught, as token translations with accumulated expected counts, the number of trained pairs
//! that hold each token (for the chance rates), and how often a known token found a
//! translation in a true pair and in an unrelated one (the rates that turn coverage into
//! evidence). The store keeps it in tables (memory/0005); this file decides what goes in.
//!
//! **Training a batch** ([`MemoryModel::train`]): the pairs of one import (at most
//! [`BATCH_PAIRS`], evenly spread; every [`HELD_OUT`]th of them held out) train IBM Model 1
//! in both directions as a document pair's model does ([`super::train`], the rarest
//! [`BATCH_TOKENS`] tokens of each side). A translation `t(f | e)` becomes the expected
//! count `t(f | e) × (pairs of the batch holding e)`.
//!
//! **Merging** ([`MemoryModel::merge`]): counts and pair counts add up; the probability of a
//! translation is its accumulated count over the pairs holding its token. Then the model is
//! pruned: each side keeps the [`MAX_TOKENS`] tokens held by most pairs (ties by token), each
//! token its [`MAX_TRANSLATIONS`] best translations with a probability of [`PRUNE`] or more.
//! Scoring uses those at [`super::KEEP`] or more, of tokens held by 2 pairs or more and at most
//! half of them (as a document pair's model).
//!
//! **Rates**: the held-out pairs of each batch are scored by the merged model, which never saw
//! them: found over known tokens in the pair itself (`translated`) and in the pair's source
//! against another held-out pair's target (`unrelated`); the counts add up over batches.
//!
//! Pure and deterministic: rows are ordered by count, then token, never by hash-map order.

use crate::language::LangTag;

use super::{train, MixMap, ITERATIONS, KEEP};

/// At most this many pairs of one import train the model (evenly spread over them). Training
/// a pair costs about four times what storing it does, so an import of 100,000 segments trains
/// on a tenth of them to stay within a fifth of its time (measured: see the README).
pub const BATCH_PAIRS: usize = 10_000;
/// A rebuild trains on at most this many pairs, in batches of [`BATCH_PAIRS`].
pub const REBUILD_PAIRS: usize = 200_000;
/// Of each side of a pair, at most this many of its rarest tokens train the model (fewer than
/// a document pair's [`super::TRAIN_TOKENS`]: a memory has many more pairs to learn from, and
/// EM's work grows with the square of the tokens per pair).
pub const BATCH_TOKENS: usize = 16;
/// Every this many pairs of a batch, one is held out of training to measure the rates.
pub const HELD_OUT: usize = 8;
/// At most this many tokens of each side are kept per language pair (those held by most pairs).
pub const MAX_TOKENS: usize = 200_000;
/// At most this many translations are kept per token.
pub const MAX_TRANSLATIONS: usize = 4;
/// Translations below this probability are dropped when the model is pruned.
pub const PRUNE: f32 = 0.1;
/// Rates measured on fewer known tokens than this are not trusted.
pub const MIN_RATE_TOKENS: u64 = 50;

/// Found and known token counts: how often a known token found a translation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    /// Known tokens that found a translation on the other side.
    pub found: u64,
    /// Tokens the model knows.
    pub known: u64,
}

impl Rate {
    /// `found / known`, None when fewer than [`MIN_RATE_TOKENS`] were known.
    pub fn share(&self) -> Option<f64> {
        (self.known >= MIN_RATE_TOKENS).then(|| self.found as f64 / self.known as f64)
    }
}

/// The word model of one language pair of a memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoryModel {
    /// Pairs trained on.
    pub pairs: u64,
    /// Per side (0 source, 1 target): token → trained pairs that hold it.
    pub(crate) df: [MixMap<u32, u64>; 2],
    /// Per direction (0 source to target, 1 target to source): token → its translations with
    /// their accumulated expected counts, best first (then by token).
    pub(crate) counts: [MixMap<u32, Vec<(u32, f64)>>; 2],
    /// Held-out true pairs: known tokens of both sides and those that found a translation.
    pub translated: Rate,
    /// Held-out pairs' sources against other held-out pairs' targets.
    pub unrelated: Rate,
}

impl MemoryModel {
    /// Train on a batch of pairs (each side's tokens, see [`super::tokens::tokens`]): the
    /// model of these pairs alone, rates not measured (see [`MemoryModel::update`]).
    pub fn train(pairs: &[(&[u32], &[u32])]) -> MemoryModel {
        let mut vocab: [MixMap<u32, u32>; 2] = Default::default();
        let mut tokens: [Vec<u32>; 2] = Default::default();
        let mut dense = |side: usize, toks: &[u32]| -> Vec<u32> {
            let mut v: Vec<u32> = toks
                .iter()
                .map(|&t| {
                    let next = tokens[side].len() as u32;
                    let id = *vocab[side].entry(t).or_insert(next);
                    if id == next {
                        tokens[side].push(t);
                    }
                    id
                })
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let batch: Vec<(Vec<u32>, Vec<u32>)> = pairs
            .iter()
            .map(|(s, t)| (dense(0, s), dense(1, t)))
            .collect();
        let sizes = [tokens[0].len(), tokens[1].len()];
        let (df, reduced) = super::reduce(&batch, sizes, BATCH_TOKENS);
        let mut model = MemoryModel {
            pairs: batch.len() as u64,
            ..MemoryModel::default()
        };
        for side in 0..2 {
            for (id, &n) in df[side].iter().enumerate() {
                if n > 0 {
                    model.df[side].insert(tokens[side][id], u64::from(n));
                }
            }
            let data: Vec<(&[u32], &[u32])> = reduced
                .iter()
                .map(|(s, t)| {
                    if side == 0 {
                        (s.as_slice(), t.as_slice())
                    } else {
                        (t.as_slice(), s.as_slice())
                    }
                })
                .collect();
            let table = train(&data, sizes[side], ITERATIONS, PRUNE);
            for (e, row) in table.rows.iter().enumerate() {
                if row.is_empty() {
                    continue;
                }
                let n = f64::from(df[side][e]);
                let out: Vec<(u32, f64)> = row
                    .iter()
                    .map(|&(f, p)| (tokens[1 - side][f as usize], f64::from(p) * n))
                    .collect();
                model.counts[side].insert(tokens[side][e], out);
            }
        }
        model.prune();
        model
    }

    /// Learn from a batch of new pairs: at most [`BATCH_PAIRS`] of them, evenly spread, every
    /// [`HELD_OUT`]th held out; train on the rest, merge, and measure the rates on the held-out
    /// pairs with the merged model.
    pub fn update(&mut self, pairs: &[(&[u32], &[u32])]) {
        let step = pairs.len().div_ceil(BATCH_PAIRS).max(1);
        let sample: Vec<(&[u32], &[u32])> = pairs.iter().copied().step_by(step).collect();
        let (mut learn, mut held) = (Vec::new(), Vec::new());
        for (k, p) in sample.into_iter().enumerate() {
            if k % HELD_OUT == HELD_OUT - 1 {
                held.push(p);
            } else {
                learn.push(p);
            }
        }
        if !learn.is_empty() {
            self.merge(MemoryModel::train(&learn));
        }
        let half = held.len() / 2;
        for (k, &(s, t)) in held.iter().enumerate() {
            self.translated.add(self.found(s, t));
            if half > 0 {
                self.unrelated
                    .add(self.found(s, held[(k + half) % held.len()].1));
            }
        }
    }

    /// Learn from every pair given (at most [`REBUILD_PAIRS`], evenly spread), in batches of
    /// [`BATCH_PAIRS`], each batch's pairs spread over all of them.
    pub fn update_all(&mut self, pairs: &[(&[u32], &[u32])]) {
        let step = pairs.len().div_ceil(REBUILD_PAIRS).max(1);
        let pairs: Vec<(&[u32], &[u32])> = pairs.iter().copied().step_by(step).collect();
        let batches = pairs.len().div_ceil(BATCH_PAIRS).max(1);
        for b in 0..batches {
            let batch: Vec<(&[u32], &[u32])> =
                pairs.iter().copied().skip(b).step_by(batches).collect();
            self.update(&batch);
        }
    }

    /// Add another model's counts to this one, then prune (see the module docs).
    pub fn merge(&mut self, other: MemoryModel) {
        self.pairs += other.pairs;
        for side in 0..2 {
            for (t, n) in &other.df[side] {
                *self.df[side].entry(*t).or_insert(0) += n;
            }
            for (e, row) in &other.counts[side] {
                let mine = self.counts[side].entry(*e).or_default();
                for &(f, c) in row {
                    match mine.iter_mut().find(|(g, _)| *g == f) {
                        Some(slot) => slot.1 += c,
                        None => mine.push((f, c)),
                    }
                }
            }
        }
        self.translated.add(other.translated);
        self.unrelated.add(other.unrelated);
        self.prune();
    }

    /// Keep the bounds: [`MAX_TOKENS`] per side, [`MAX_TRANSLATIONS`] per token at
    /// [`PRUNE`] or more.
    fn prune(&mut self) {
        for side in 0..2 {
            if self.df[side].len() > MAX_TOKENS {
                let mut all: Vec<(u64, u32)> =
                    self.df[side].iter().map(|(&t, &n)| (n, t)).collect();
                all.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                for &(_, t) in &all[MAX_TOKENS..] {
                    self.df[side].remove(&t);
                }
            }
        }
        for side in 0..2 {
            let df = &self.df;
            self.counts[side].retain(|e, row| {
                let Some(&n) = df[side].get(e) else {
                    return false;
                };
                row.retain(|(f, c)| {
                    df[1 - side].contains_key(f) && *c >= f64::from(PRUNE) * n as f64
                });
                row.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                row.truncate(MAX_TRANSLATIONS);
                !row.is_empty()
            });
        }
    }

    /// Whether scoring counts a token of `side`: held by 2 pairs or more and at most half.
    pub fn known(&self, side: usize, token: u32) -> bool {
        let max = (self.pairs / 2).max(2);
        self.df[side]
            .get(&token)
            .is_some_and(|n| (2..=max).contains(n))
    }

    /// The translations scoring uses of a known token of `side` (probability [`KEEP`] or
    /// more), best first; empty for a token the model does not know.
    pub fn translations(&self, side: usize, token: u32) -> Vec<u32> {
        if !self.known(side, token) {
            return Vec::new();
        }
        let n = self.df[side][&token] as f64;
        self.counts[side].get(&token).map_or_else(Vec::new, |row| {
            row.iter()
                .filter(|(_, c)| c / n >= f64::from(KEEP))
                .map(|&(f, _)| f)
                .collect()
        })
    }

    /// Every translation kept of a token of `side` (known or not), with its probability, best
    /// first: what `paralign lexicon` shows.
    pub fn probabilities(&self, side: usize, token: u32) -> Vec<(u32, f64)> {
        let n = self.df[side].get(&token).copied().unwrap_or(0).max(1) as f64;
        self.counts[side].get(&token).map_or_else(Vec::new, |row| {
            row.iter().map(|&(f, c)| (f, (c / n).min(1.0))).collect()
        })
    }

    /// How often a pair's other side holds one of these translations by chance: the share of
    /// trained pairs holding each, summed (at most 1).
    pub fn chance(&self, side: usize, translations: &[u32]) -> f32 {
        let m = self.pairs.max(1) as f64;
        let hits: u64 = translations
            .iter()
            .map(|f| self.df[1 - side].get(f).copied().unwrap_or(0))
            .sum();
        (hits as f64 / m).min(1.0) as f32
    }

    /// Known tokens of both sides of a pair, and those that found a translation.
    fn found(&self, s: &[u32], t: &[u32]) -> Rate {
        let mut r = Rate::default();
        for (side, from, to) in [(0, s, t), (1, t, s)] {
            for &e in from {
                let tr = self.translations(side, e);
                if tr.is_empty() {
                    continue;
                }
                r.known += 1;
                if tr.iter().any(|f| to.binary_search(f).is_ok()) {
                    r.found += 1;
                }
            }
        }
        r
    }

    /// `(translated, unrelated)` rates, when both were measured on enough tokens and tell
    /// translations apart (as a document pair's model must: see `align::learn_words`).
    pub fn rates(&self) -> Option<(f64, f64)> {
        let translated = self.translated.share()?;
        let unrelated = self.unrelated.share()?.max(0.005);
        (translated >= 1.5 * unrelated + 0.03 && translated < 0.995)
            .then_some((translated, unrelated))
    }
}

/// The word models of a memory, by language pair (the languages' primary subtags, as the
/// memory stores them: `en`, `de`), as `check` and `align` take them.
#[derive(Debug, Clone, Default)]
pub struct MemoryModels {
    /// (source language, target language) → its model.
    pub pairs: std::collections::BTreeMap<(String, String), std::sync::Arc<MemoryModel>>,
}

impl MemoryModels {
    /// The model of a language pair, when the memory has one.
    pub fn pair(&self, source: &LangTag, target: &LangTag) -> Option<std::sync::Arc<MemoryModel>> {
        self.pairs
            .get(&(source.language().to_string(), target.language().to_string()))
            .cloned()
    }
}

impl Rate {
    fn add(&mut self, other: Rate) {
        self.found += other.found;
        self.known += other.known;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs where source word 100+k always stands with target word 200+k (k = 0..4), beside
    /// a second word that varies, and a filler on each side.
    fn pairs(n: u32) -> Vec<(Vec<u32>, Vec<u32>)> {
        (0..n)
            .map(|p| {
                let (k, j) = (p % 5, (p / 5) % 7);
                let mut s = vec![1, 100 + k, 300 + j];
                let mut t = vec![2, 200 + k, 400 + j];
                s.sort_unstable();
                t.sort_unstable();
                (s, t)
            })
            .collect()
    }

    fn refs(p: &[(Vec<u32>, Vec<u32>)]) -> Vec<(&[u32], &[u32])> {
        p.iter()
            .map(|(s, t)| (s.as_slice(), t.as_slice()))
            .collect()
    }

    #[test]
    fn a_batch_learns_translations_and_the_rates() {
        let data = pairs(140);
        let mut m = MemoryModel::default();
        m.update(&refs(&data));
        // 140 pairs, 17 held out.
        assert_eq!(m.pairs, 123);
        assert_eq!(m.translations(0, 103), vec![203]);
        assert_eq!(m.translations(1, 405), vec![305]);
        // The filler is in every pair: not known.
        assert!(m.translations(0, 1).is_empty());
        assert_eq!(
            m.translated,
            Rate {
                found: 68,
                known: 68
            }
        );
        assert!(
            m.unrelated.share().expect("measured") < 0.3,
            "{:?}",
            m.unrelated
        );
        // Every true pair covered: copies, not translations, as a document pair's rule says.
        assert_eq!(m.rates(), None);
    }

    #[test]
    fn merging_adds_counts_and_keeps_the_bounds() {
        let data = pairs(70);
        let mut a = MemoryModel::train(&refs(&data));
        let b = MemoryModel::train(&refs(&data));
        let before = a.counts[0][&102][0];
        a.merge(b);
        assert_eq!(a.pairs, 140);
        assert_eq!(a.df[0][&102], 28);
        assert_eq!(a.counts[0][&102][0], (202, before.1 * 2.0));
        assert!(a
            .counts
            .iter()
            .flat_map(|c| c.values())
            .all(|r| r.len() <= MAX_TRANSLATIONS));
    }
}
