//! A lexicon learned from pairs of texts (a memory's segments of one language pair), shown as
//! words: what `paralign lexicon` prints, so that a user can see which translations the word
//! model finds for a word and how sure it is.
//!
//! The same model as a document pair's (IBM Model 1 on token sets, [`super::train`]), learned
//! in one fold from every pair given (at most [`MAX_PAIRS`], evenly spread). Scoring keeps a
//! translation from `t(f | e) >=` [`super::KEEP`]; the lexicon shows down to [`SHOWN`], so that
//! words that always come together (`right` with `toda persona tiene derecho`, whose weight EM
//! shares out) still show what they stand with. A token is shown as the word form it stands
//! for most often.
//! Pure and deterministic: ties are broken by the tokens' values, never by hash-map order.

use super::tokens::{tokens, words};
use super::{train, MixMap, ITERATIONS};

/// At most this many pairs are learned from (evenly spread over those given): a minute's
/// memory of a large TM, a second or two of work.
pub const MAX_PAIRS: usize = 50_000;

/// Translations down to this `t(f | e)` are shown.
pub const SHOWN: f32 = 0.1;

/// One translation of a source word.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The target word, as written most often.
    pub word: String,
    /// `t(target | source)` under the model.
    pub probability: f32,
    /// Pairs that hold both words.
    pub together: usize,
}

/// A source word and what the model learned for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The word, as written most often.
    pub word: String,
    /// Pairs whose source holds it.
    pub pairs: usize,
    /// Its translations, most likely first.
    pub translations: Vec<Translation>,
}

/// What was learned from a set of pairs.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Pairs learned from (those with words on both sides).
    pub pairs: usize,
    /// Whether the pairs given were more than [`MAX_PAIRS`], and an even sample was read.
    pub sampled: bool,
    /// Every source word with a translation, the most frequent first (then by word).
    entries: Vec<Entry>,
    /// Source token to its entry.
    index: MixMap<u32, usize>,
    /// Target token to the form it is written in most often.
    target_forms: MixMap<u32, String>,
}

/// Per token of one side: dense id, pairs holding it, and its written forms with counts.
#[derive(Default)]
struct Vocab {
    ids: MixMap<u32, u32>,
    tokens: Vec<u32>,
    df: Vec<usize>,
    forms: Vec<MixMap<String, usize>>,
}

impl Vocab {
    /// The sorted, unique ids of a text's tokens, counting their forms and pairs.
    fn read(&mut self, text: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        for (token, form) in words(text) {
            let next = self.tokens.len() as u32;
            let id = *self.ids.entry(token).or_insert(next);
            if id == next {
                self.tokens.push(token);
                self.df.push(0);
                self.forms.push(MixMap::default());
            }
            *self.forms[id as usize]
                .entry(form.to_lowercase())
                .or_default() += 1;
            ids.push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        for &id in &ids {
            self.df[id as usize] += 1;
        }
        ids
    }

    /// The form a token is written in most often (the first in sort order on a tie).
    fn form(&self, id: u32) -> String {
        let forms = &self.forms[id as usize];
        let mut best: Option<(&String, usize)> = None;
        for (f, &n) in forms {
            if best.is_none_or(|(b, m)| n > m || (n == m && f < b)) {
                best = Some((f, n));
            }
        }
        best.map(|(f, _)| f.clone()).unwrap_or_default()
    }
}

impl Lexicon {
    /// Learn from `pairs` of (source text, target text).
    pub fn learn<'a>(pairs: impl ExactSizeIterator<Item = (&'a str, &'a str)>) -> Lexicon {
        let step = pairs.len().div_ceil(MAX_PAIRS).max(1);
        let (mut src, mut tgt) = (Vocab::default(), Vocab::default());
        let sets: Vec<(Vec<u32>, Vec<u32>)> = pairs
            .step_by(step)
            .map(|(s, t)| (src.read(s), tgt.read(t)))
            .filter(|(s, t)| !s.is_empty() && !t.is_empty())
            .collect();
        let refs: Vec<(&[u32], &[u32])> = sets
            .iter()
            .map(|(s, t)| (s.as_slice(), t.as_slice()))
            .collect();
        let table = train(&refs, src.tokens.len(), ITERATIONS, SHOWN);
        // Pairs holding both a word and each of its translations.
        let mut together: Vec<Vec<usize>> = table.rows.iter().map(|r| vec![0; r.len()]).collect();
        for (s, t) in &sets {
            for &e in s {
                for (k, &(f, _)) in table.rows[e as usize].iter().enumerate() {
                    if t.binary_search(&f).is_ok() {
                        together[e as usize][k] += 1;
                    }
                }
            }
        }
        let mut entries: Vec<(u32, Entry)> = table
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| !row.is_empty())
            .map(|(e, row)| {
                let translations = row
                    .iter()
                    .zip(&together[e])
                    .map(|(&(f, p), &n)| Translation {
                        word: tgt.form(f),
                        probability: p,
                        together: n,
                    })
                    .collect();
                let entry = Entry {
                    word: src.form(e as u32),
                    pairs: src.df[e],
                    translations,
                };
                (src.tokens[e], entry)
            })
            .collect();
        entries.sort_by(|a, b| b.1.pairs.cmp(&a.1.pairs).then(a.1.word.cmp(&b.1.word)));
        let index = entries
            .iter()
            .enumerate()
            .map(|(k, (t, _))| (*t, k))
            .collect();
        let target_forms = (0..tgt.tokens.len())
            .map(|id| (tgt.tokens[id], tgt.form(id as u32)))
            .collect();
        Lexicon {
            pairs: sets.len(),
            sampled: step > 1,
            entries: entries.into_iter().map(|(_, e)| e).collect(),
            index,
            target_forms,
        }
    }

    /// What was learned for a word (its first token: the first five letters, lower-cased), if
    /// the model found it a translation.
    pub fn get(&self, word: &str) -> Option<&Entry> {
        let token = *tokens(word).first()?;
        self.index.get(&token).map(|&k| &self.entries[k])
    }

    /// The form a target token is written in most often in the pairs learned from.
    pub fn target_form(&self, token: u32) -> Option<&str> {
        self.target_forms.get(&token).map(String::as_str)
    }

    /// Every word with a translation, the most frequent first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Word pairs that recur in different company: the model learns each one.
    #[test]
    fn learns_recurring_words_with_their_forms_and_counts() {
        let pairs = [
            ("the red house", "la casa roja"),
            ("the green house", "la casa verde"),
            ("a red car", "un coche rojo"),
            ("the green car", "el coche verde"),
            ("red houses", "casas rojas"),
            ("a house", "una casa"),
        ];
        let lex = Lexicon::learn(pairs.iter().copied());
        assert_eq!(lex.pairs, 6);
        let house = lex.get("house").expect("house is learned");
        assert_eq!(house.word, "house");
        assert_eq!(house.pairs, 4);
        assert_eq!(house.translations[0].word, "casa");
        // `casas` is another token than `casa` (five letters are kept, and `casa` has four).
        assert_eq!(house.translations[0].together, 3);
        assert!(house.translations[0].probability > 0.5);
        let green = lex.get("Green").expect("green is learned");
        assert_eq!(green.translations[0].word, "verde");
        assert_eq!(green.translations[0].together, 2);
        assert!(lex.get("bicycle").is_none());
        // Most frequent first.
        assert_eq!(lex.entries()[0].pairs, 4);
    }

    #[test]
    fn nothing_to_learn_from_nothing() {
        let lex = Lexicon::learn(std::iter::empty::<(&str, &str)>());
        assert_eq!(lex.pairs, 0);
        assert!(lex.entries().is_empty());
        assert!(lex.get("house").is_none());
    }
}
