//! What judging a pair needs, shared by the flags (`flags.rs`) and the content checks
//! (`content.rs`), which both read it: the two documents, their features, the word model and the
//! options, and what was measured of each target paragraph in its document; and the
//! thresholds where signals turn into flags.

use crate::document::Document;
use crate::score::{Features, PairModel};

use super::Options;

/// What judging a pair needs.
#[derive(Clone, Copy)]
pub(super) struct Context<'a> {
    pub(super) source: &'a Document,
    pub(super) target: &'a Document,
    pub(super) sf: &'a [Features],
    pub(super) tf: &'a [Features],
    pub(super) model: &'a PairModel,
    pub(super) opts: &'a Options,
    /// Per target paragraph, how at home its short words are in the rest of its document.
    pub(super) home: &'a [f64],
    /// Per target paragraph, whether its text (20 characters or more) stands elsewhere in the
    /// target too.
    pub(super) repeated: &'a [bool],
    /// The same per source paragraph, in the source.
    pub(super) source_repeated: &'a [bool],
}

/// Where signals turn into flags.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A pair scoring below this is `diverging` with reason `low-score`.
    pub low_score: f64,
    /// A length ratio this many spreads from the expected one, and
    pub length_z: f64,
    /// this many times longer or shorter than expected, is reason `length`.
    pub length_factor: f64,
    /// Fewer letters than this and a paragraph's language is not judged.
    pub min_letters: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            low_score: 0.2,
            length_z: 3.0,
            length_factor: 1.8,
            min_letters: 30,
        }
    }
}
