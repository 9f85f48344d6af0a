//! Glossaries: the terms a team agreed on, concept by concept, and the test that a translation
//! uses them. A [`TermBase`] holds every concept in every language (from the memory or from a
//! file); [`TermBase::pair`] makes the [`Glossary`] of one language pair, which `flags.rs` asks
//! for each pair of paragraphs and `lookup` for a query.
//!
//! Finding the source terms of a text is one pass of one Aho-Corasick automaton over the
//! text, lower-cased and in NFC, whatever the number of terms: a scan per term per paragraph
//! would cost thousands of terms times thousands of paragraphs. A match counts only as whole
//! words (where the script writes spaces). A target term counts as present when each of its
//! words starts a word of the translation with the term word's first max(4, length − 2)
//! letters (a simple tolerance for inflection: `Folter` finds `Folterungen`), or, in scripts
//! written without spaces (Chinese, Japanese, Thai, ...), as a plain substring.
//!
//! Pure: built from values, no files, no SQL, no terminal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_normalization::UnicodeNormalization;

use crate::language::LangTag;
use crate::score::TermPair;

/// One concept of a glossary: its terms, each with its language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Concept {
    /// The terms, in the order of the file (the first of a language is the preferred one).
    pub terms: Vec<(LangTag, String)>,
}

/// Every concept of a glossary, in all its languages, and the glossaries of the language
/// pairs a run asked for so far (built once per pair, however many documents a run checks).
#[derive(Debug, Default)]
pub struct TermBase {
    concepts: Vec<Concept>,
    built: Mutex<Built>,
}

/// The glossaries built so far, by (source, target) language subtag.
type Built = HashMap<(String, String), Option<Arc<Glossary>>>;

impl TermBase {
    /// A term base of these concepts.
    pub fn new(concepts: Vec<Concept>) -> TermBase {
        TermBase {
            concepts,
            built: Mutex::default(),
        }
    }

    /// [`TermBase::pair`], built once per pair of languages and shared.
    pub fn shared_pair(&self, source: &LangTag, target: &LangTag) -> Option<Arc<Glossary>> {
        self.shared(Some(source), target)
    }

    /// [`TermBase::pair`] from `source`, or [`TermBase::into_lang`] without it, built once
    /// and shared (a server answers many lookups of one pair).
    pub fn shared(&self, source: Option<&LangTag>, target: &LangTag) -> Option<Arc<Glossary>> {
        // `*`: every language but the target's (no language subtag is written so).
        let key = (
            source.map_or("*", |s| s.language()).to_string(),
            target.language().to_string(),
        );
        let build = || {
            match source {
                Some(s) => self.pair(s, target),
                None => self.into_lang(target),
            }
            .map(Arc::new)
        };
        // A poisoned lock (a panic elsewhere) only costs building the glossary again.
        match self.built.lock() {
            Ok(mut built) => built.entry(key).or_insert_with(build).clone(),
            Err(_) => build(),
        }
    }

    /// Whether it holds no concept.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// The glossary as a run shares it between threads: none when it holds no concept, as a run
    /// with an empty glossary judges like one without.
    pub fn for_a_run(self) -> Option<std::sync::Arc<TermBase>> {
        (!self.is_empty()).then(|| std::sync::Arc::new(self))
    }

    /// How many concepts it holds.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    /// The glossary of one language pair (languages compared as [`LangTag::same_language`]
    /// does, so `en-GB` terms serve an `en` source): the concepts with terms in both. None
    /// when there is none.
    pub fn pair(&self, source: &LangTag, target: &LangTag) -> Option<Glossary> {
        self.entries(|l| l.same_language(source), target)
    }

    /// The glossary from every language into `target` (for a text whose language is not
    /// known): each concept's terms in the other languages are its source terms.
    pub fn into_lang(&self, target: &LangTag) -> Option<Glossary> {
        self.entries(|l| !l.same_language(target), target)
    }

    /// The glossary whose source terms are in the languages `source` takes.
    fn entries(&self, source: impl Fn(&LangTag) -> bool, target: &LangTag) -> Option<Glossary> {
        let of = |c: &Concept, take: &dyn Fn(&LangTag) -> bool| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for (l, t) in &c.terms {
                if take(l) && !out.contains(t) {
                    out.push(t.clone());
                }
            }
            out
        };
        let mut entries: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in &self.concepts {
            let e = (of(c, &source), of(c, &|l| l.same_language(target)));
            // The same pair from two files (a TSV and a TBX) is one concept here.
            if !e.0.is_empty() && !e.1.is_empty() && seen.insert(e.clone()) {
                entries.push(e);
            }
        }
        Glossary::new(entries)
    }
}

/// One concept's terms in a language pair.
#[derive(Debug, Clone)]
struct Entry {
    /// Source terms as written.
    source: Vec<String>,
    /// Target terms as written.
    target: Vec<String>,
    /// Target terms as they are looked for: the words' prefixes, or the whole key for a
    /// script without spaces.
    target_keys: Vec<TargetKey>,
}

/// How a target term is looked for in a translation.
#[derive(Debug, Clone)]
enum TargetKey {
    /// Consecutive words, each starting with this prefix.
    Words(Vec<String>),
    /// A plain substring (scripts written without spaces).
    Substring(String),
}

/// The glossary of one language pair, ready to search texts.
#[derive(Debug, Clone)]
pub struct Glossary {
    entries: Vec<Entry>,
    /// For each pattern of the automaton: its entry and the source term's index in it.
    patterns: Vec<(usize, usize)>,
    automaton: AhoCorasick,
}

/// The lookup key of a term or a text: lower-cased, in NFC, typographic apostrophes as `'`
/// (`droits de l’homme` is `droits de l'homme`); the form `glossary_term.lookup_key` stores.
pub fn term_key(text: &str) -> String {
    text.nfc()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '\u{2019}' | '\u{02BC}' => '\'',
            c => c,
        })
        .nfc()
        .collect::<String>()
}

/// Whether a character belongs to a script written without spaces between words (Han, kana,
/// Thai, Lao, Khmer, Myanmar), where a term is found as a plain substring.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// A word character: what a whole-word match may not touch.
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\u{200D}' || c == '\u{00AD}'
}

/// The letters of a term word that a translation's word must start with: the first
/// max(4, length − 2) (all of a shorter word).
fn prefix(word: &str) -> String {
    let n = word.chars().count();
    word.chars()
        .take(n.min(4.max(n.saturating_sub(2))))
        .collect()
}

/// The words of a key (runs of word characters).
fn words(key: &str) -> impl Iterator<Item = &str> {
    key.split(|c: char| !word_char(c)).filter(|w| !w.is_empty())
}

impl Glossary {
    /// A glossary of `(source terms, target terms)` per concept; None when there is no term to
    /// look for.
    pub fn new(concepts: Vec<(Vec<String>, Vec<String>)>) -> Option<Glossary> {
        let mut entries = Vec::with_capacity(concepts.len());
        let mut keys: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        for (source, target) in concepts {
            let e = entries.len();
            for (k, s) in source.iter().enumerate() {
                let key = term_key(s.trim());
                if key.chars().any(word_char) {
                    keys.push(key);
                    patterns.push((e, k));
                }
            }
            let target_keys = target
                .iter()
                .map(|t| {
                    let key = term_key(t.trim());
                    if key.chars().any(unspaced) {
                        TargetKey::Substring(key)
                    } else {
                        TargetKey::Words(words(&key).map(prefix).collect())
                    }
                })
                .collect();
            entries.push(Entry {
                source,
                target,
                target_keys,
            });
        }
        if keys.is_empty() {
            return None;
        }
        // Overlapping matches: `human rights` and `rights` in one text are both terms.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .ok()?;
        Some(Glossary {
            entries,
            patterns,
            automaton,
        })
    }

    /// How many concepts it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds no concept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The concepts whose source terms occur in `text` as whole words: (entry, the term's
    /// index), each concept once, in the order of their first occurrence.
    fn found(&self, key: &str) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for m in self.automaton.find_overlapping_iter(key) {
            let (start, end) = (m.start(), m.end());
            let term = &key[start..end];
            let first = term.chars().next().unwrap_or(' ');
            let last = term.chars().next_back().unwrap_or(' ');
            let before = key[..start].chars().next_back();
            let after = key[end..].chars().next();
            let bounded = |edge: char, next: Option<char>| {
                !word_char(edge) || unspaced(edge) || !next.is_some_and(word_char)
            };
            if !(bounded(first, before) && bounded(last, after)) {
                continue;
            }
            let (e, k) = self.patterns[m.pattern().as_usize()];
            if !out.iter().any(|&(f, _)| f == e) {
                out.push((e, k));
            }
        }
        out
    }

    /// The glossary terms found in `text`, each with its concept's target terms.
    pub fn terms_in(&self, text: &str) -> Vec<(String, Vec<String>)> {
        self.found(&term_key(text))
            .into_iter()
            .map(|(e, k)| {
                let entry = &self.entries[e];
                (entry.source[k].clone(), entry.target.clone())
            })
            .collect()
    }

    /// The terms of `source` whose concept has none of its target terms in `target`: each
    /// source term as found with the concept's preferred target term.
    pub fn missing(&self, source: &str, target: &str) -> Vec<TermPair> {
        let found = self.found(&term_key(source));
        if found.is_empty() {
            return Vec::new();
        }
        let key = term_key(target);
        let target_words: Vec<&str> = words(&key).collect();
        found
            .into_iter()
            .filter(|&(e, _)| {
                !self.entries[e]
                    .target_keys
                    .iter()
                    .any(|t| present(t, &key, &target_words))
            })
            .map(|(e, k)| {
                let entry = &self.entries[e];
                TermPair {
                    source: entry.source[k].clone(),
                    target: entry.target.first().cloned().unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// Whether a target term is in a translation (its key and its words).
fn present(term: &TargetKey, key: &str, words: &[&str]) -> bool {
    match term {
        TargetKey::Substring(s) => key.contains(s.as_str()),
        TargetKey::Words(prefixes) if prefixes.is_empty() => false,
        TargetKey::Words(prefixes) => words.windows(prefixes.len()).any(|w| {
            w.iter()
                .zip(prefixes)
                .all(|(word, p)| word.starts_with(p.as_str()))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> LangTag {
        LangTag::parse(s).unwrap()
    }

    fn base() -> TermBase {
        let c = |terms: &[(&str, &str)]| Concept {
            terms: terms.iter().map(|(l, t)| (tag(l), t.to_string())).collect(),
        };
        TermBase::new(vec![
            c(&[("en", "torture"), ("de", "Folter"), ("fr", "torture")]),
            c(&[("en", "human rights"), ("de", "Menschenrechte")]),
            c(&[("en", "rights"), ("de", "Rechte")]),
            c(&[("en", "asylum"), ("zh", "庇护")]),
            c(&[("en", "Nation"), ("fr", "nation")]),
        ])
    }

    #[test]
    fn finds_whole_words_case_insensitively() {
        let g = base().pair(&tag("en"), &tag("de")).unwrap();
        assert_eq!(g.len(), 3);
        let found = g.terms_in("No one shall be subjected to Torture; Human Rights apply.");
        assert_eq!(
            found,
            vec![
                ("torture".to_string(), vec!["Folter".to_string()]),
                (
                    "human rights".to_string(),
                    vec!["Menschenrechte".to_string()]
                ),
                ("rights".to_string(), vec!["Rechte".to_string()]),
            ]
        );
        // Inside a longer word: no term.
        assert!(g.terms_in("tortured copyrights").is_empty());
    }

    #[test]
    fn a_target_term_may_be_inflected() {
        let g = base().pair(&tag("en"), &tag("de")).unwrap();
        assert!(g
            .missing("Freedom from torture.", "Freiheit von Folterungen.")
            .is_empty());
        assert_eq!(
            g.missing("Freedom from torture.", "Freiheit von Misshandlung."),
            vec![TermPair {
                source: "torture".into(),
                target: "Folter".into()
            }]
        );
        // The first max(4, len - 2) letters: `Fol` alone is not enough.
        assert_eq!(g.missing("torture", "Fol").len(), 1);
    }

    #[test]
    fn unspaced_scripts_match_as_substrings() {
        let g = base().pair(&tag("en"), &tag("zh")).unwrap();
        assert!(g.missing("The right of asylum.", "庇护权。").is_empty());
        assert_eq!(g.missing("The right of asylum.", "权利。").len(), 1);
        let back = base().pair(&tag("zh"), &tag("en")).unwrap();
        assert_eq!(
            back.terms_in("寻求庇护权"),
            vec![("庇护".into(), vec!["asylum".into()])]
        );
    }

    #[test]
    fn keys_fold_case_apostrophes_and_normalization() {
        assert_eq!(term_key("Droits de l’Homme"), "droits de l'homme");
        // A decomposed é (e + U+0301) is the composed one.
        assert_eq!(term_key("Re\u{301}fugie\u{301}"), "réfugié");
    }

    #[test]
    fn no_pair_without_shared_concepts() {
        assert!(base().pair(&tag("de"), &tag("es")).is_none());
        let g = base().pair(&tag("en-GB"), &tag("fr")).unwrap();
        assert_eq!(g.len(), 2);
    }
}
