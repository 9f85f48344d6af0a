//! Similarity signals between paragraphs in different languages, and the combined score.
//!
//! Every signal crosses languages and scripts without a model, one file each: length
//! (`length.rs`, Gale-Church style, with the expected ratio and spread estimated from the
//! document pair), numbers (`numbers.rs`, normalised across writing conventions), names and
//! cognates (`names.rs`, transliterated to Latin, compared with strsim), links and e-mail
//! addresses (`links.rs`), the lexical evidence (`lexicon.rs`), and punctuation (questions,
//! exclamations, parentheses, here). Their weights are one documented struct (`weights.rs`).
//!
//! Each signal contributes a log-likelihood ratio: the log of how much more likely the observed
//! value is for a translation than for an unrelated paragraph. The score is the logistic of
//! their sum, so it reads as a probability that the two are translations. Thresholds that turn
//! signals into flags come in as arguments. Nothing here touches files or the terminal.

mod length;
mod lexicon;
mod links;
mod names;
mod numbers;
mod weights;

use std::hash::Hash;

use serde::Serialize;

use crate::document::Paragraph;

pub use lexicon::{shared_keys, Lexicon};
pub use links::{find_links, without_links};
pub use names::{fold, fold_key, Word};
pub use numbers::Number;
pub use weights::{Weights, WEIGHTS};

/// The signals of one paragraph, extracted once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Letters and digits in the body (the length that Gale-Church compares).
    pub chars: u32,
    /// Numbers, each with the values it may stand for.
    pub numbers: Vec<Number>,
    /// Links and e-mail addresses, normalised.
    pub links: Vec<String>,
    /// Proper names (capitalised words not opening a sentence), transliterated and folded.
    pub names: Vec<Word>,
    /// Words of four letters or more, transliterated and folded: kept only for caseless
    /// scripts, where names cannot be told by their capital.
    pub words: Vec<Word>,
    /// Whether the text's script has case (so that `names` means something).
    pub cased: bool,
    /// Lexical keys: the first four folded letters of every word of four letters or more,
    /// sorted and unique. Cognates, names and borrowed words of two languages share them.
    pub keys: Vec<u32>,
    /// Whether capitals are loose in this text: title case (a headline) or capitalised common
    /// nouns (German). Its capitals need not be names, so names found in the target count for
    /// it and names not found do not count against it.
    pub loose_capitals: bool,
    /// Question marks.
    pub questions: u8,
    /// Exclamation marks.
    pub exclamations: u8,
    /// Opening parentheses.
    pub parens: u8,
    /// The writing system of its letters (None when it has too few).
    pub script: Option<crate::language::ScriptId>,
    /// The word model's tokens (see [`crate::model::tokens`]), sorted and unique.
    pub tokens: Vec<u32>,
    /// The same tokens as the document pair's word model numbers them (empty until a model
    /// is learned), sorted.
    pub lex: Vec<u32>,
    /// The word model's fold this paragraph is scored with (see [`crate::model`]).
    pub fold: u8,
    /// Whether the text ends inside a sentence (a comma, a semicolon or a dash last, in any
    /// script): a piece of a sentence that goes on in the next paragraph, which a translator
    /// may well join with it (`Now, therefore,` before `The General Assembly proclaims`).
    pub continues: bool,
}

fn hash<T: Hash + ?Sized>(t: &T) -> u64 {
    crate::model::mix_hash(t)
}

impl Features {
    /// Whether this paragraph is a short piece of the next one's sentence (`Now, therefore,`):
    /// it ends inside its sentence with fewer than [`FRAGMENT_CHARS`] letters and digits.
    pub fn is_fragment(&self) -> bool {
        self.continues && self.chars < FRAGMENT_CHARS
    }

    /// A group of paragraphs joined in one pair, without the fragments that open it (all but
    /// the last paragraph at most): what its length, numbers and words are compared on. A
    /// translation that drops a connective such as `Now, therefore,` while joining it to the
    /// sentence it opens is not short by its letters.
    pub fn without_fragments<'a, 'b>(group: &'b [&'a Features]) -> &'b [&'a Features] {
        let lead = group
            .iter()
            .take(group.len().saturating_sub(1))
            .take_while(|f| f.is_fragment())
            .count();
        &group[lead..]
    }

    /// The features of every paragraph of a document, on every core.
    pub fn of_all(paragraphs: &[Paragraph]) -> Vec<Features> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if threads < 2 || paragraphs.len() < 2048 {
            return paragraphs.iter().map(Features::of).collect();
        }
        let chunk = paragraphs.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = paragraphs
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().map(Features::of).collect::<Vec<_>>()))
                .collect();
            parts
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    }

    /// Extract the signals of a paragraph's body.
    pub fn of(p: &Paragraph) -> Features {
        Features::of_text(p.body())
    }

    /// Extract the signals of normalised text.
    pub fn of_text(text: &str) -> Features {
        let mut f = Features::default();
        let mut rest = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in find_links(text) {
            rest.push_str(&text[at..start]);
            rest.push(' ');
            f.links.extend(links::link(&text[start..end]));
            at = end;
        }
        rest.push_str(&text[at..]);
        f.chars = rest.chars().filter(|c| c.is_alphanumeric()).count() as u32;
        // The first few hundred bytes tell the script as well as the whole.
        let head = rest
            .char_indices()
            .nth(300)
            .map_or(rest.as_str(), |(i, _)| &rest[..i]);
        f.script = crate::language::script_of(head);
        f.numbers = numbers::numbers(&rest);
        for c in rest.chars() {
            match c {
                '?' | '？' | '؟' => f.questions = f.questions.saturating_add(1),
                '!' | '！' => f.exclamations = f.exclamations.saturating_add(1),
                '(' | '（' => f.parens = f.parens.saturating_add(1),
                _ => {}
            }
        }
        let (names, words, cased, loose_capitals, keys) = names::words(&rest);
        f.keys = keys;
        f.names = names;
        f.words = words;
        f.cased = cased;
        f.loose_capitals = loose_capitals;
        f.tokens = crate::model::tokens::tokens(&rest);
        // Kept for the whole run, one per paragraph: no room to spare (grown by pushes, they
        // held up to twice their length).
        f.tokens.shrink_to_fit();
        f.keys.shrink_to_fit();
        f.names.shrink_to_fit();
        f.words.shrink_to_fit();
        f.numbers.shrink_to_fit();
        f.links.shrink_to_fit();
        f.continues = text.trim_end().ends_with([
            ',', ';', '\u{2014}', '\u{2013}', '\u{FF0C}', '\u{3001}', '\u{FF1B}', '\u{060C}',
            '\u{061B}',
        ]);
        f
    }
}

/// See [`Features::is_fragment`]: a clause of its own (the UDHR's `Whereas ...,` paragraphs)
/// is longer.
pub const FRAGMENT_CHARS: u32 = 40;

/// The model of a document pair, estimated from the pair itself: the expected log ratio of
/// target to source length and its spread, and (once a first alignment exists) how many lexical
/// keys translations share compared with unrelated paragraphs.
#[derive(Debug, Clone, Serialize)]
pub struct PairModel {
    /// Expected `ln(target chars / source chars)`.
    #[serde(serialize_with = "round3")]
    pub mu: f64,
    /// Spread of that log ratio for translations.
    #[serde(serialize_with = "round3")]
    pub sigma: f64,
    /// Lexical overlap of translations and of unrelated paragraphs, when it tells them apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lexicon: Option<Lexicon>,
    /// The word model's coverage of translations and of neighbouring non-pairs, when it
    /// tells them apart (see [`crate::model`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Lexicon>,
    /// The word model learned from the document pair (and the memory).
    #[serde(skip)]
    pub words: Option<std::sync::Arc<crate::model::WordModel>>,
}

impl PartialEq for PairModel {
    /// Models are equal when their estimates are (the word model is compared by identity).
    fn eq(&self, other: &Self) -> bool {
        self.mu == other.mu
            && self.sigma == other.sigma
            && self.lexicon == other.lexicon
            && self.coverage == other.coverage
            && match (&self.words, &other.words) {
                (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

/// A glossary term of the source and the agreed translation of its concept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TermPair {
    /// The source term, as the glossary writes it.
    pub source: String,
    /// The concept's preferred term in the target language.
    pub target: String,
}

/// The evidence behind a score, for reports and for the flags.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Signals {
    /// Letters and digits on each side.
    pub chars: [u32; 2],
    /// How many spreads the length ratio is from the expected one.
    #[serde(serialize_with = "round3")]
    pub length_z: f64,
    /// Numbers found on both sides.
    pub numbers_matched: Vec<String>,
    /// Numbers of the source the target lacks.
    pub numbers_source_only: Vec<String>,
    /// Numbers of the target the source lacks.
    pub numbers_target_only: Vec<String>,
    /// Links on both sides.
    pub links_matched: usize,
    /// Links of the source the target lacks.
    pub links_source_only: Vec<String>,
    /// Links of the target the source lacks.
    pub links_target_only: Vec<String>,
    /// Names of the source found in the target.
    pub names_matched: Vec<String>,
    /// Names of the source not found in the target (where the target's script has case).
    pub names_source_only: Vec<String>,
    /// Question, exclamation and parenthesis counts that disagree.
    pub punctuation_mismatch: u8,
    /// Lexical keys shared, and the larger side's number of keys (when the document pair's
    /// lexical overlap tells translations apart).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys_shared: Option<[usize; 2]>,
    /// Lexical coverage of each side (when the document pair's word model tells translations
    /// apart): of the words the model knows, how many found a translation on the other side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// Content words of the source whose translations the target lacks (filled by the flags,
    /// for pairs that diverge on their content).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words_not_in_target: Vec<String>,
    /// Content words of the target whose counterparts the source lacks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words_not_in_source: Vec<String>,
    /// Glossary terms of the source whose agreed translations the target lacks (filled by the
    /// flags when a glossary is given: reason `term`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms_not_in_target: Vec<TermPair>,
    /// Sum of the log-likelihood ratios.
    #[serde(serialize_with = "round3")]
    pub llr: f64,
}

/// Compare two groups of paragraphs (a merge of one to three on each side).
pub fn compare(
    model: &PairModel,
    source: &[&Features],
    target: &[&Features],
    detail: bool,
) -> Signals {
    let mut sig = Signals::default();
    let sc: u32 = source.iter().map(|f| f.chars).sum();
    let tc: u32 = target.iter().map(|f| f.chars).sum();
    sig.chars = [sc, tc];
    sig.length_z = model.z(sc, tc);
    let mut llr = model.llr(sc, tc);
    llr += numbers::compare(source, target, &mut sig, detail);
    llr += links::compare(source, target, &mut sig, detail);
    llr += names::compare(source, target, &mut sig, detail);
    llr += punctuation(source, target, &mut sig);
    if let Some(lex) = &model.lexicon {
        let (shared, total) = shared_keys(source, target);
        llr += lex.llr(shared, total);
        sig.keys_shared = Some([shared, total]);
    }
    if let (Some(words), Some(rates)) = (&model.words, &model.coverage) {
        let (l, cov) = word_llr(words, rates.translated, source, target);
        llr += (WEIGHTS.words_temper * l).clamp(WEIGHTS.words_min, WEIGHTS.words_max);
        sig.coverage = Some(cov);
    }
    sig.llr = llr;
    sig
}

/// The word model's LLR of two groups (see [`crate::model::WordModel::one_way`]), scored by the
/// fold of the first source paragraph, with the coverage of each side.
pub fn word_llr(
    words: &crate::model::WordModel,
    rate: f64,
    source: &[&Features],
    target: &[&Features],
) -> (f64, Coverage) {
    let fold = source.first().map_or(0, |f| f.fold);
    let mut s: [&[u32]; 3] = [&[]; 3];
    let mut t: [&[u32]; 3] = [&[]; 3];
    for (slot, f) in s.iter_mut().zip(source) {
        *slot = &f.lex;
    }
    for (slot, f) in t.iter_mut().zip(target) {
        *slot = &f.lex;
    }
    let (s, t) = (&s[..source.len().min(3)], &t[..target.len().min(3)]);
    let (a, ka, na) = words.one_way(fold, crate::model::Side::Source, rate, s, t);
    let (b, kb, nb) = words.one_way(fold, crate::model::Side::Target, rate, t, s);
    (
        a + b,
        Coverage {
            source: [ka, na],
            target: [kb, nb],
        },
    )
}

/// Of the words the word model knows on each side, `[found, known]`: how many found a
/// translation on the other side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Source words found in the target, and source words known.
    pub source: [usize; 2],
    /// Target words found in the source, and target words known.
    pub target: [usize; 2],
}

impl Coverage {
    /// Found over known on each side (1 where nothing is known).
    pub fn shares(&self) -> [f64; 2] {
        let share = |[k, n]: [usize; 2]| if n == 0 { 1.0 } else { k as f64 / n as f64 };
        [share(self.source), share(self.target)]
    }
}

/// Question marks, exclamation marks and parentheses: the same non-zero count on both sides
/// adds, a different count takes away.
fn punctuation(source: &[&Features], target: &[&Features], sig: &mut Signals) -> f64 {
    let count =
        |fs: &[&Features], g: fn(&Features) -> u8| fs.iter().map(|f| g(f) as u32).sum::<u32>();
    let mut llr = 0.0;
    let mut mismatch = 0u8;
    for g in [
        (|f: &Features| f.questions) as fn(&Features) -> u8,
        |f: &Features| f.exclamations,
        |f: &Features| f.parens,
    ] {
        let (a, b) = (count(source, g), count(target, g));
        if a != b {
            mismatch += 1;
            llr += WEIGHTS.punct_differs;
        } else if a > 0 {
            llr += WEIGHTS.punct_same;
        }
    }
    sig.punctuation_mismatch = mismatch;
    llr
}

/// Evidence, as a log-likelihood ratio without the length term, that `part` is a piece of a
/// translation of `whole`: what the part holds (numbers, links, names, lexical keys) is looked
/// up in the whole, and what the whole holds beyond it does not count. It tells a paragraph the
/// target cut short from one that continues its neighbour.
pub fn part_of(model: &PairModel, whole: &Features, part: &Features) -> f64 {
    let mut llr = 0.0;
    for n in &part.numbers {
        let w = numbers::weight(n);
        llr += if whole.numbers.iter().any(|m| numbers::same(n, m)) {
            w
        } else {
            -WEIGHTS.number_unmatched * w
        };
    }
    for l in &part.links {
        llr += if whole.links.contains(l) {
            WEIGHTS.link_found
        } else {
            WEIGHTS.link_unmatched
        };
    }
    if part.cased && whole.cased {
        for n in &part.names {
            if names::found(n, whole.names.iter()) {
                llr += WEIGHTS.name_found;
            } else if !part.loose_capitals {
                llr += WEIGHTS.name_unmatched;
            }
        }
    }
    if let Some(lex) = &model.lexicon {
        let shared = part
            .keys
            .iter()
            .filter(|k| whole.keys.binary_search(k).is_ok())
            .count();
        llr += lex.llr(shared, part.keys.len());
    }
    if let (Some(words), Some(rates)) = (&model.words, &model.coverage) {
        // A target paragraph is scored with the fold of the source it is looked up in.
        let (side, fold) = if part.fold == crate::model::TARGET_FOLD {
            (crate::model::Side::Target, whole.fold)
        } else {
            (crate::model::Side::Source, part.fold)
        };
        let (l, _, _) = words.one_way(fold, side, rates.translated, &[&part.lex], &[&whole.lex]);
        llr += (WEIGHTS.words_temper * l).clamp(WEIGHTS.words_min, WEIGHTS.words_max);
    }
    llr
}

/// Serialise a float rounded to three places (scores, z-scores) so output stays readable and
/// stable across platforms.
pub(crate) fn round3<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((x * 1000.0).round() / 1000.0)
}

/// [`round3`] for an optional float.
pub(crate) fn round3_opt<S: serde::Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => round3(x, s),
        None => s.serialize_none(),
    }
}

/// The score of a comparison: the logistic of its log-likelihood ratio, in [0, 1].
pub fn score(sig: &Signals) -> f64 {
    probability(sig.llr)
}

/// The score of a log-likelihood ratio: its logistic, with the prior.
pub fn probability(llr: f64) -> f64 {
    1.0 / (1.0 + (-(llr + WEIGHTS.prior)).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_score_high_and_unrelated_text_low() {
        let m = PairModel::from_totals(100, 110, (1, 1));
        let en = Features::of_text("In 2021 the network carried 11.6 million passengers and covered 64% of its costs (Kessler Logistics).");
        let es = Features::of_text("En 2021 la red transportó 11,6 millones de pasajeros y cubrió el 64 % de sus costes (Kessler Logistics).");
        let other = Features::of_text("Se bate el huevo con una pizca de sal y se añade la patata cortada en láminas finas a la sartén.");
        let good = score(&compare(&m, &[&en], &[&es], false));
        let bad = score(&compare(&m, &[&en], &[&other], false));
        assert!(good > 0.95, "{good}");
        assert!(bad < 0.2, "{bad}");
    }
}
