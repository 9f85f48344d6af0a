//! Word links learned from the document pair itself, for languages whose spellings share
//! nothing (English and Arabic, Russian, Chinese...): no dictionary, no model, only the
//! paragraphs a first alignment paired. A source word and a target word that occur in the
//! same pairs, and in few others, translate each other (`education` and `التعليم`, `marriage`
//! and `брак`); each such link becomes a lexical key on both sides, so that the lexicon of
//! `score` can weigh it like a shared spelling. Pure and deterministic: ties are broken by the
//! tokens' values, never by hash-map order.
//!
//! Tokens are the word model's (`crate::model::tokens`). The word model (`crate::model`)
//! reads the same pairs more finely; these links feed the lexical keys, a second and
//! independent view that still tells some pairs apart where the model's coverage does not.

use std::collections::BTreeMap;

use crate::model::MixMap;

use crate::score::Features;

/// At most this many pairs are read to learn links (evenly spread over the document),
const SAMPLE: usize = 1000;
/// and of each paragraph, at most this many of its rarest words (the ones that tell).
const RAREST: usize = 24;
/// A link needs its two words together in at least this many pairs,
const MIN_TOGETHER: u32 = 2;
/// and a Dice coefficient (2 × together / (pairs with one + pairs with the other)) this high.
const MIN_DICE: f64 = 0.5;
/// Words in more than this share of the pairs (and more than [`MIN_TOGETHER`] + 1) say too
/// little to link.
const MAX_SHARE: f64 = 0.3;
/// Link keys are this bit pattern or'd with the link's number: spelling keys
/// (`score::fold_key`) are three or four ASCII letters and never have this top byte.
const LINK_KEY: u32 = 0xFF00_0000;
/// The links between source and target tokens that the paired paragraphs `pairs` (source
/// index, target index) show, as (source token, target token), sorted.
pub fn learn(pairs: &[(usize, usize)], source: &[&[u32]], target: &[&[u32]]) -> Vec<(u32, u32)> {
    let step = pairs.len().div_ceil(SAMPLE).max(1);
    let sample: Vec<(usize, usize)> = pairs.iter().copied().step_by(step).collect();
    let n = sample.len();
    if n < 4 {
        return Vec::new();
    }
    let max_df = ((n as f64 * MAX_SHARE) as u32).max(MIN_TOGETHER + 1);
    let mut ds: MixMap<u32, u32> = MixMap::default();
    let mut dt: MixMap<u32, u32> = MixMap::default();
    for &(i, j) in &sample {
        for &s in source[i] {
            *ds.entry(s).or_default() += 1;
        }
        for &t in target[j] {
            *dt.entry(t).or_default() += 1;
        }
    }
    let useful = |df: u32| (MIN_TOGETHER..=max_df).contains(&df);
    let rarest = |toks: &[u32], df: &MixMap<u32, u32>| -> Vec<u32> {
        let mut v: Vec<(u32, u32)> = toks
            .iter()
            .map(|t| (df[t], *t))
            .filter(|&(d, _)| useful(d))
            .collect();
        v.sort_unstable();
        v.truncate(RAREST);
        v.into_iter().map(|(_, t)| t).collect()
    };
    let mut together: MixMap<u64, u32> = MixMap::default();
    for &(i, j) in &sample {
        let ts = rarest(target[j], &dt);
        for s in rarest(source[i], &ds) {
            for &t in &ts {
                *together
                    .entry(u64::from(s) << 32 | u64::from(t))
                    .or_default() += 1;
            }
        }
    }
    // The best partner of each word on either side, by Dice, then by token (deterministic).
    let mut best_s: BTreeMap<u32, (f64, u32)> = BTreeMap::new();
    let mut best_t: BTreeMap<u32, (f64, u32)> = BTreeMap::new();
    let better = |cur: Option<&(f64, u32)>, dice: f64, other: u32| match cur {
        None => true,
        Some(&(d, o)) => dice > d || (dice == d && other < o),
    };
    for (&st, &c) in &together {
        let (s, t) = ((st >> 32) as u32, st as u32);
        if c < MIN_TOGETHER {
            continue;
        }
        let dice = 2.0 * c as f64 / f64::from(ds[&s] + dt[&t]);
        if dice < MIN_DICE {
            continue;
        }
        if better(best_s.get(&s), dice, t) {
            best_s.insert(s, (dice, t));
        }
        if better(best_t.get(&t), dice, s) {
            best_t.insert(t, (dice, s));
        }
    }
    best_s
        .iter()
        .filter(|&(&s, &(_, t))| best_t.get(&t).is_some_and(|&(_, back)| back == s))
        .map(|(&s, &(_, t))| (s, t))
        .collect()
}

/// Add to each paragraph's features a key for every link whose word its tokens hold.
pub fn add_link_keys(links: &[(u32, u32)], features: &mut [Features], side: Side) {
    let index: MixMap<u32, u32> = links
        .iter()
        .enumerate()
        .map(|(k, &(s, t))| {
            (
                if side == Side::Source { s } else { t },
                LINK_KEY | k as u32,
            )
        })
        .collect();
    // Most words are in no link: a bit per low 16 bits of the token turns them away before
    // the map is asked.
    let mut seen = vec![0u64; 1 << 10];
    for &t in index.keys() {
        seen[(t & 0xFFFF) as usize >> 6] |= 1 << (t & 63);
    }
    let maybe = |t: u32| seen[(t & 0xFFFF) as usize >> 6] & (1 << (t & 63)) != 0;
    for f in features.iter_mut() {
        let before = f.keys.len();
        let found: Vec<u32> = f
            .tokens
            .iter()
            .filter(|&&t| maybe(t))
            .filter_map(|t| index.get(t).copied())
            .collect();
        f.keys.extend(found);
        if f.keys.len() > before {
            f.keys.sort_unstable();
            f.keys.dedup();
        }
    }
}

/// Which side of the pair a paragraph is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The source document.
    Source,
    /// The target document.
    Target,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slices(v: &[Vec<u32>]) -> Vec<&[u32]> {
        v.iter().map(Vec::as_slice).collect()
    }

    #[test]
    fn words_that_travel_together_are_linked() {
        // Six pairs: "edu" always with "تعل", "marr" with "زوا"; "right" and "حق" everywhere
        // (too common to link); a stray word once.
        let (edu, marr, right, stray) = (1, 2, 3, 4);
        let (t_edu, t_marr, t_right) = (11, 12, 13);
        let source = vec![
            vec![edu, right],
            vec![edu, right, stray],
            vec![marr, right],
            vec![marr, right],
            vec![right],
            vec![edu, right],
        ];
        let target = vec![
            vec![t_edu, t_right],
            vec![t_edu, t_right],
            vec![t_marr, t_right],
            vec![t_marr, t_right],
            vec![t_right],
            vec![t_edu, t_right],
        ];
        let pairs: Vec<(usize, usize)> = (0..6).map(|k| (k, k)).collect();
        assert_eq!(
            learn(&pairs, &slices(&source), &slices(&target)),
            vec![(edu, t_edu), (marr, t_marr)]
        );
        assert!(
            learn(&pairs[..3], &slices(&source), &slices(&target)).is_empty(),
            "too few pairs"
        );
    }
}
