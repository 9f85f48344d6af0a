//! The weights of the evidence, in one place: every log-likelihood ratio (LLR) a signal adds
//! or takes away, and the prior of the score. `align` (the dynamic programme's label evidence)
//! and the flags read them from here; nothing else holds a copy.
//!
//! Each weight is an LLR in natural-log units: how much more likely the observation is for a
//! translation than for an unrelated paragraph of the same document pair. Where a figure came
//! from a measurement, its comment says which (`cargo bench --bench accuracy`: our fixtures in
//! 18 languages and the UDHR in eight).

/// The weights of every signal. One value, [`WEIGHTS`], is used everywhere; the struct exists
/// so that each weight has a name and a comment, and so that experiments can build another.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Added to the sum of LLRs before the logistic: the pairs scored are the ones the
    /// alignment chose, so a small prior in their favour.
    pub prior: f64,
    /// Bounds of the length LLR (a very long or short paragraph is strong evidence against,
    /// a well-fitting length weak evidence for).
    pub length_min: f64,
    /// See [`Weights::length_min`].
    pub length_max: f64,
    /// Spread of the log length ratio for unrelated paragraphs.
    pub length_broad: f64,
    /// A number matched, by its significant digits (1, 2, 3, 4 or more): longer numbers are
    /// rarer and say more.
    pub number_found: [f64; 4],
    /// Share of a number's weight taken away when it is found on one side only.
    pub number_unmatched: f64,
    /// What a lone one-digit number on one side costs when the other side has no unmatched
    /// number (it may be written as a word there).
    pub number_spelled: f64,
    /// A link or e-mail address found on both sides.
    pub link_found: f64,
    /// A link on one side only.
    pub link_unmatched: f64,
    /// A name of the source found in the target.
    pub name_found: f64,
    /// A name of the source not found (where the target's script has case).
    pub name_unmatched: f64,
    /// Bounds of the names' total.
    pub names_min: f64,
    /// See [`Weights::names_min`].
    pub names_max: f64,
    /// The same non-zero count of question marks, exclamation marks or parentheses.
    pub punct_same: f64,
    /// Different counts of one of them.
    pub punct_differs: f64,
    /// The lexical LLR is multiplied by this (overdispersion: some translations paraphrase more
    /// than the binomial expects).
    pub lexical_temper: f64,
    /// Bounds of the lexical LLR.
    pub lexical_min: f64,
    /// See [`Weights::lexical_min`].
    pub lexical_max: f64,
    /// The word model's LLR is multiplied by this (its tokens are not independent: a word and
    /// its neighbour often translate together). With the bounds below, measured on real Bible,
    /// software and UDHR texts (`cargo bench --bench corpus`): 0.5 within [-10, 8] moved 1.2 %
    /// of sound pairs off their partner, 0.35 within [-4, 5] 0.09 %, for the same AUC.
    pub words_temper: f64,
    /// Bounds of the word model's LLR.
    pub words_min: f64,
    /// See [`Weights::words_min`].
    pub words_max: f64,
    /// Labels equal on both sides.
    pub label_same: f64,
    /// Labels on both sides that differ.
    pub label_differs: f64,
    /// A label on one side only.
    pub label_one_side: f64,
    /// A merged paragraph that carries the other side's label (the paragraph before it is
    /// extra or missing).
    pub merged_label_same: f64,
    /// A merged paragraph that carries a label of its own.
    pub merged_label_own: f64,
}

/// The weights in use.
pub const WEIGHTS: Weights = Weights {
    prior: 0.5,
    length_min: -12.0,
    length_max: 3.0,
    length_broad: 1.0,
    number_found: [1.0, 1.6, 2.2, 2.8],
    number_unmatched: 0.9,
    number_spelled: 0.3,
    link_found: 4.0,
    link_unmatched: -2.5,
    name_found: 1.2,
    name_unmatched: -0.35,
    names_min: -3.0,
    names_max: 6.0,
    punct_same: 0.5,
    punct_differs: -0.6,
    lexical_temper: 0.6,
    lexical_min: -6.0,
    lexical_max: 4.0,
    words_temper: 0.35,
    words_min: -4.0,
    words_max: 5.0,
    label_same: 4.0,
    label_differs: -3.0,
    label_one_side: -0.5,
    merged_label_same: -5.0,
    merged_label_own: -2.5,
};
