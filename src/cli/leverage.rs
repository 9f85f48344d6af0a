//! The one decision `analyze` and `pretranslate` share: a paragraph's best match in each target
//! language, by the paragraph as a whole or sentence by sentence, whichever scores higher. So
//! the band `analyze` counts a paragraph in is the percentage `pretranslate` fills it at.
//!
//! Sentence by sentence, the paragraph's number (`5. `) is not part of its first sentence
//! (`crate::reuse::query_sentences`) and goes back in front of the filled translation; every
//! sentence must have a match, and the paragraph's percentage is the lowest of them (a draft is
//! only as good as its worst sentence). Glue between the store and `crate::reuse`: no printing.

use super::lookup::Matcher;
use crate::error::Result;
use crate::reuse::{label_prefix, query_sentences, Match, Prepared};

/// A paragraph's best match in one target language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ParagraphBest {
    /// The match percentage (None: nothing at or above the minimum).
    pub percent: Option<u8>,
    /// The stored segment (the first sentence's, when filled by sentences).
    pub segment: Option<i64>,
    /// The translation to put in place of the paragraph.
    pub target: Option<String>,
    /// Whether it was matched sentence by sentence.
    pub by_sentence: bool,
}

impl ParagraphBest {
    /// Whether the fill is exact (100%).
    pub fn exact(&self) -> bool {
        self.percent == Some(100)
    }

    fn whole(m: &Match, prefix: &str) -> ParagraphBest {
        let c = &m.candidate;
        // A stored sentence has no paragraph number: the paragraph's goes in front.
        let target = if c.level == "sentence" {
            format!("{prefix}{}", c.target)
        } else {
            c.target.clone()
        };
        ParagraphBest {
            percent: Some(m.score.percent),
            segment: Some(c.id),
            target: Some(target),
            by_sentence: false,
        }
    }
}

/// Translations gathered sentence by sentence for one language.
struct BySentence {
    targets: Vec<String>,
    lowest: u8,
    first: i64,
}

/// The best match of a paragraph at or above `min` in each of the matcher's target languages
/// (in their order).
pub(super) fn paragraph_best(m: &Matcher, text: &str, min: u8) -> Result<Vec<ParagraphBest>> {
    let prefix = label_prefix(text);
    let mut out: Vec<ParagraphBest> = m
        .best(&Prepared::new(text), min, 1)?
        .into_iter()
        .map(|ms| {
            ms.first()
                .map_or_else(ParagraphBest::default, |b| ParagraphBest::whole(b, prefix))
        })
        .collect();
    let sentences = query_sentences(text);
    if sentences.len() < 2 || out.iter().all(ParagraphBest::exact) {
        return Ok(out);
    }
    let mut acc: Vec<Option<BySentence>> = (0..out.len())
        .map(|_| {
            Some(BySentence {
                targets: Vec::new(),
                lowest: 100,
                first: 0,
            })
        })
        .collect();
    for s in &sentences {
        let per = m.best(&Prepared::new(s), min, 1)?;
        for (slot, ms) in acc.iter_mut().zip(per) {
            let Some(a) = slot.as_mut() else { continue };
            match ms.first() {
                Some(b) => {
                    if a.targets.is_empty() {
                        a.first = b.candidate.id;
                    }
                    a.targets.push(b.candidate.target.clone());
                    a.lowest = a.lowest.min(b.score.percent);
                }
                None => *slot = None,
            }
        }
        if acc.iter().all(Option::is_none) {
            break;
        }
    }
    for (best, a) in out.iter_mut().zip(acc) {
        let Some(a) = a else { continue };
        if best.percent.is_none_or(|p| a.lowest > p) {
            *best = ParagraphBest {
                percent: Some(a.lowest),
                segment: Some(a.first),
                target: Some(format!("{prefix}{}", a.targets.join(" "))),
                by_sentence: true,
            };
        }
    }
    Ok(out)
}
