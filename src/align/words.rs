//! The words of a document pair, learned from a first alignment: the lexical overlap of its
//! pairs (`Lexicon`), the word links added to both sides' features, and the word model
//! (cross-fitted, with the memory's as a prior) whose ids number both documents' tokens.
//! Pure: what the beads show, nothing read from elsewhere.

use std::borrow::Cow;

use crate::model::{fold_of, MemoryModel, Side, WordModel, TARGET_FOLD};
use crate::score::{word_llr, Features, Lexicon, PairModel};

use super::{both, dp, links};

/// Learn the document pair's word model from the one-to-one pairs of `beads`, number both
/// documents' tokens with it, and measure how its coverage tells translations from their
/// neighbours; the model goes into `model` when it does.
pub(super) fn learn_words(
    model: &mut PairModel,
    sf: &mut Cow<[Features]>,
    tf: &mut Cow<[Features]>,
    beads: &[dp::Bead],
    memory: Option<&MemoryModel>,
) {
    let ones = one_to_one(beads);
    let Some(words) = WordModel::learn_with(&ones, &tokens(sf), &tokens(tf), 2, memory) else {
        if let Some((memory, (translated, unrelated))) = memory.and_then(|m| Some((m, m.rates()?)))
        {
            // Too little to learn from: the memory's model alone, with its own rates.
            let words = WordModel::from_memory(memory, &tokens(sf), &tokens(tf));
            number_tokens(&words, sf.to_mut(), tf.to_mut());
            model.coverage = Some(Lexicon {
                translated,
                unrelated,
                sides: None,
            });
            model.words = Some(words);
        }
        return;
    };
    number_tokens(&words, sf.to_mut(), tf.to_mut());
    let step = ones.len().div_ceil(LEXICON_SAMPLE).max(1);
    let sample: Vec<(usize, usize)> = ones.iter().copied().step_by(step).collect();
    // Found and known words of each side over the pairs with three known words or more.
    let tally = |pairs: &mut dyn Iterator<Item = (usize, usize)>| {
        let (mut found, mut count) = ([[0usize; 2]; 2], 0usize);
        for (i, j) in pairs {
            let (_, cov) = word_llr(&words, 0.5, &[&sf[i]], &[&tf[j]]);
            if cov.source[1] + cov.target[1] >= 3 {
                for (side, [k, n]) in [cov.source, cov.target].into_iter().enumerate() {
                    found[side][0] += k;
                    found[side][1] += n;
                }
                count += 1;
            }
        }
        (count, found)
    };
    let share = |k: usize, n: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let (count, [s, t]) = tally(&mut sample.iter().copied());
    let translated = share(s[0] + t[0], s[1] + t[1]);
    let sides = [share(s[0], s[1]), share(t[0], t[1])];
    // Neighbours two places away: the paragraphs an alignment confuses.
    let m = tf.len();
    let (_, [s, t]) = tally(&mut sample.iter().flat_map(|&(i, j)| {
        [(i, j + 2), (i, j.wrapping_sub(2))]
            .into_iter()
            .filter(move |&(_, j)| j < m)
    }));
    let unrelated = share(s[0] + t[0], s[1] + t[1]);
    let unrelated = unrelated.max(0.005);
    if count >= 5 && translated >= 1.5 * unrelated + 0.03 && translated < 0.995 {
        model.coverage = Some(Lexicon {
            translated,
            unrelated,
            sides: Some(sides),
        });
        model.words = Some(words);
    }
}

/// Number both documents' tokens with the word model's ids, and give each source paragraph
/// its fold.
pub(super) fn number_tokens(words: &WordModel, sf: &mut [Features], tf: &mut [Features]) {
    let folds = words.folds();
    for (i, f) in sf.iter_mut().enumerate() {
        f.lex = words.ids(Side::Source, &f.tokens);
        f.fold = fold_of(i, folds);
    }
    for f in tf.iter_mut() {
        f.lex = words.ids(Side::Target, &f.tokens);
        f.fold = TARGET_FOLD;
    }
}

/// Add to the features of both documents a key for each word link that the one-to-one pairs
/// of `beads` show (see [`links`]); false when they show none (nothing is added).
pub(super) fn add_link_keys(
    sf: &mut Cow<[Features]>,
    tf: &mut Cow<[Features]>,
    beads: &[dp::Bead],
) -> bool {
    let learned = links::learn(&one_to_one(beads), &tokens(sf), &tokens(tf));
    if learned.is_empty() {
        return false;
    }
    both(
        || links::add_link_keys(&learned, sf.to_mut(), links::Side::Source),
        || links::add_link_keys(&learned, tf.to_mut(), links::Side::Target),
    );
    true
}

/// The (source, target) paragraphs of the one-to-one beads.
pub(super) fn one_to_one(beads: &[dp::Bead]) -> Vec<(usize, usize)> {
    beads
        .iter()
        .filter(|b| b.s == 1 && b.t == 1)
        .map(|b| (b.i, b.j))
        .collect()
}

/// Each paragraph's word-model tokens, borrowed.
fn tokens(fs: &[Features]) -> Vec<&[u32]> {
    fs.iter().map(|f| f.tokens.as_slice()).collect()
}

/// At most this many pairs estimate a document pair's lexicon (evenly spread).
const LEXICON_SAMPLE: usize = 2000;

/// The lexical overlap of a document pair, from an alignment of it: its one-to-one pairs
/// against the same paragraphs paired with ones far away.
pub(super) fn lexicon(sf: &[Features], tf: &[Features], beads: &[dp::Bead]) -> Option<Lexicon> {
    let ones = one_to_one(beads);
    // Two rates want a few thousand pairs, not every pair of a long document.
    let step = ones.len().div_ceil(LEXICON_SAMPLE).max(1);
    let ones: Vec<(usize, usize)> = ones.into_iter().step_by(step).collect();
    let half = ones.len() / 2;
    Lexicon::estimate(
        ones.iter().map(|&(i, j)| (&sf[i], &tf[j])),
        ones.iter()
            .enumerate()
            .map(|(k, &(i, _))| (&sf[i], &tf[ones[(k + half) % ones.len()].1])),
    )
}
