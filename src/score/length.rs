//! Length, Gale-Church style: the log ratio of target to source letters is normal around the
//! document pair's own ratio for translations, broad for unrelated text. The expected ratio and
//! its spread are estimated from the pair itself. Pure: no files, no terminal.

use super::{PairModel, WEIGHTS};

impl Default for PairModel {
    fn default() -> Self {
        PairModel {
            mu: 0.0,
            sigma: 0.22,
            lexicon: None,
            coverage: None,
            words: None,
        }
    }
}

impl PairModel {
    /// The model from total lengths: mu from the ratio of totals, a default spread. When the
    /// paragraph counts differ much (a version with parts missing), the totals say nothing and
    /// the model is a neutral, wider one until pairs refine it.
    pub fn from_totals(source: u64, target: u64, paragraphs: (usize, usize)) -> PairModel {
        let (n, m) = (paragraphs.0.max(1) as f64, paragraphs.1.max(1) as f64);
        if !(0.8..=1.25).contains(&(m / n)) {
            return PairModel {
                mu: 0.0,
                sigma: 0.35,
                lexicon: None,
                coverage: None,
                words: None,
            };
        }
        let mu = if source > 0 && target > 0 {
            ((target as f64) / (source as f64)).ln().clamp(-2.5, 2.5)
        } else {
            0.0
        };
        PairModel {
            mu,
            ..Default::default()
        }
    }

    /// Re-estimate from paired lengths (median and MAD of the log ratios), keeping a floor on
    /// the spread so that a few identical pairs do not make it brittle.
    pub fn from_pairs(pairs: &[(u32, u32)]) -> Option<PairModel> {
        let mut r: Vec<f64> = pairs
            .iter()
            .filter(|(s, t)| *s >= 20 && *t >= 20)
            .map(|(s, t)| ((*t as f64 + 10.0) / (*s as f64 + 10.0)).ln())
            .collect();
        if r.len() < 5 {
            return None;
        }
        r.sort_by(f64::total_cmp);
        let mu = r[r.len() / 2];
        let mut dev: Vec<f64> = r.iter().map(|x| (x - mu).abs()).collect();
        dev.sort_by(f64::total_cmp);
        let sigma = (dev[dev.len() / 2] * 1.4826).clamp(0.08, 0.5);
        Some(PairModel {
            mu,
            sigma,
            lexicon: None,
            coverage: None,
            words: None,
        })
    }

    /// z-score of a length pair: how many spreads the log ratio is from the expected one. The
    /// spread widens for short texts, whose lengths vary more.
    pub fn z(&self, source: u32, target: u32) -> f64 {
        let r = ((target as f64 + 10.0) / (source as f64 + 10.0)).ln();
        (r - self.mu) / self.spread(source, target)
    }

    /// The spread of the log ratio of a length pair (see [`PairModel::z`]).
    pub fn spread(&self, source: u32, target: u32) -> f64 {
        (self.sigma * self.sigma + 4.0 / (source as f64 + target as f64 + 20.0)).sqrt()
    }

    /// Log-likelihood ratio of the length pair: translation (normal around mu) against
    /// unrelated text (a broad normal).
    pub fn llr(&self, source: u32, target: u32) -> f64 {
        let s = self.spread(source, target);
        let z = self.z(source, target);
        let broad = WEIGHTS.length_broad;
        let r = z * s;
        let ll_t = -0.5 * z * z - s.ln();
        let ll_u = -0.5 * (r / broad).powi(2) - broad.ln();
        (ll_t - ll_u).clamp(WEIGHTS.length_min, WEIGHTS.length_max)
    }
}
