//! Reuse of the translation memory: sentence segmentation, the match percentage, leverage
//! bands and pretranslated drafts.
//!
//! Everything here is pure: texts and candidates come in, scores, bands and drafts go out. The
//! store (`crate::store`) finds the candidates with its index; the CLI prints. No SQL, no files,
//! no terminal.

mod bands;
mod distance;
mod matching;
mod pretranslate;
mod sentence;
mod tokens;

use serde::Serialize;

pub use bands::{assign, Analysis, Band, Tally};
pub use distance::levenshtein;
pub use matching::{diff, diff_marked, length_window, match_score, DiffPart, MatchScore, Prepared};
pub use pretranslate::{draft, marker, Fill, Filled};
pub use sentence::{
    align as align_sentences, align_agreeing as align_agreeing_sentences, label_prefix,
    query_sentences, sentences, split as split_sentences, SentencePair,
};

/// A stored segment offered as a match, as the store finds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The segment's id in the memory.
    pub id: i64,
    /// `paragraph` or `sentence`.
    pub level: String,
    /// Source language.
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
    /// The stored source text.
    pub source: String,
    /// Its stored translation.
    pub target: String,
    /// The document it was last seen in.
    pub document: String,
    /// The source paragraph's label there.
    pub label: Option<String>,
    /// When it was last changed (seconds since 1970 UTC).
    pub changed: i64,
    /// Its flags as stored (a bit set, see memory/README.md).
    pub flags: i64,
}

/// A candidate with its match percentage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The stored segment.
    pub candidate: Candidate,
    /// Its score against the query.
    pub score: MatchScore,
}

/// Score candidates against a query and keep the best `limit` at or above `min_percent`: by
/// percentage, then paragraphs before sentences, then the most recent, then by id.
pub fn rank(
    query: &Prepared,
    candidates: Vec<Candidate>,
    min_percent: u8,
    limit: usize,
) -> Vec<Match> {
    let mut out: Vec<Match> = candidates
        .into_iter()
        .map(|c| {
            let score = query.score(&Prepared::new(&c.source));
            Match {
                candidate: c,
                score,
            }
        })
        .filter(|m| m.score.percent >= min_percent)
        .collect();
    out.sort_by(|a, b| {
        b.score
            .percent
            .cmp(&a.score.percent)
            .then_with(|| {
                (a.candidate.level != "paragraph").cmp(&(b.candidate.level != "paragraph"))
            })
            .then_with(|| b.candidate.changed.cmp(&a.candidate.changed))
            .then_with(|| a.candidate.id.cmp(&b.candidate.id))
    });
    // One match per stored source and translation (a text stored as paragraph and sentence).
    let mut seen = std::collections::HashSet::new();
    out.retain(|m| seen.insert((m.candidate.source.clone(), m.candidate.target.clone())));
    out.truncate(limit);
    out
}
