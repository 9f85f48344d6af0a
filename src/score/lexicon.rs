//! Lexical overlap: how many lexical keys (folded word beginnings, and word links learned
//! from the document pair) translations share compared with unrelated paragraphs of the same
//! document pair, and the binomial LLR of a pair's shared keys. Pure: no files, no terminal.

use serde::Serialize;

use super::{round3, Features, WEIGHTS};

/// The share of lexical keys that translations share (`translated`) and that unrelated
/// paragraphs share by chance (`unrelated`), in one document pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lexicon {
    /// Share of keys shared by aligned pairs.
    #[serde(serialize_with = "round3")]
    pub translated: f64,
    /// Share of keys shared by unrelated pairs.
    #[serde(serialize_with = "round3")]
    pub unrelated: f64,
    /// For the word model's coverage, the translations' rate on each side (source words
    /// found in the target, target words found in the source), where it was measured on the
    /// document pair; `translated` is the two together.
    #[serde(skip)]
    pub sides: Option<[f64; 2]>,
}

impl Lexicon {
    /// Estimate from aligned pairs and from the same paragraphs paired with unrelated ones.
    /// None when the overlap does not tell translations apart (scripts with no shared
    /// spellings, too few pairs).
    pub fn estimate<'a>(
        aligned: impl Iterator<Item = (&'a Features, &'a Features)>,
        unrelated: impl Iterator<Item = (&'a Features, &'a Features)>,
    ) -> Option<Lexicon> {
        let rate = |it: &mut dyn Iterator<Item = (&'a Features, &'a Features)>| {
            let (mut k, mut n, mut pairs) = (0usize, 0usize, 0usize);
            for (a, b) in it {
                let (shared, total) = shared_keys(&[a], &[b]);
                if total >= 3 {
                    k += shared;
                    n += total;
                    pairs += 1;
                }
            }
            (pairs, if n == 0 { 0.0 } else { k as f64 / n as f64 })
        };
        let (pairs, translated) = rate(&mut { aligned });
        let (_, unrelated) = rate(&mut { unrelated });
        let unrelated = unrelated.max(0.005);
        (pairs >= 5 && translated >= 1.5 * unrelated + 0.03 && translated < 0.98).then_some(
            Lexicon {
                translated,
                unrelated,
                sides: None,
            },
        )
    }

    /// Log-likelihood ratio of `shared` keys out of `total`: binomial under each rate,
    /// tempered (overdispersion: some translations paraphrase more) and capped.
    pub fn llr(&self, shared: usize, total: usize) -> f64 {
        let (pt, pr) = (self.translated, self.unrelated);
        let k = shared as f64;
        let n = total as f64;
        (WEIGHTS.lexical_temper * (k * (pt / pr).ln() + (n - k) * ((1.0 - pt) / (1.0 - pr)).ln()))
            .clamp(WEIGHTS.lexical_min, WEIGHTS.lexical_max)
    }
}

/// Keys shared by two groups, and the larger group's number of keys (so that the half of a
/// merge that finds nothing on the other side counts against it).
pub fn shared_keys(a: &[&Features], b: &[&Features]) -> (usize, usize) {
    let count = |g: &[&Features]| g.iter().map(|f| f.keys.len()).sum::<usize>();
    let total = count(a).max(count(b));
    let mut shared = 0;
    for fa in a {
        for key in &fa.keys {
            if b.iter().any(|fb| fb.keys.binary_search(key).is_ok()) {
                shared += 1;
            }
        }
    }
    (shared.min(total), total)
}
