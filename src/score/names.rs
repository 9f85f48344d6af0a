//! Names and cognates: capitalised words that do not open a sentence (and acronyms),
//! transliterated to Latin with any_ascii and folded (`c/k/q`, `j/y/i`, `w/v`, `z/s`, `h` and
//! doubled letters dropped), so that `Kazakhstan`, `Казахстан` and `Kazajistán` meet; compared
//! with Jaro-Winkler. Also the folded lexical keys of every word. Pure: no files, no terminal.

use super::{hash, Features, Signals, WEIGHTS};

/// A word transliterated to Latin and folded so that spellings across languages meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As written.
    pub text: String,
    /// Folded Latin form.
    pub folded: String,
    /// Hash of the first two folded letters (the candidate key).
    pub key: u64,
}

/// Names and words of text: transliterated to Latin, folded. A name is a capitalised word
/// that does not open a sentence, or an acronym.
pub(super) fn words(text: &str) -> (Vec<Word>, Vec<Word>, bool, bool, Vec<u32>) {
    let mut names = Vec::new();
    let mut keys = Vec::new();
    let mut words = Vec::new();
    let cased = cased(text);
    let mut capitals = Capitals::default();
    let mut sentence_start = true;
    for ws in text.split_whitespace() {
        let tail = ws.trim_end_matches(['"', '\'', '»', '”', '’', ')', ']']);
        let ends = tail.ends_with(['.', '!', '?', ':', '…', '。', '！', '？', '؟']);
        let mut first_part = true;
        for raw in ws.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
            let token = raw.trim_matches(|c: char| c == '\'' || c == '’');
            if token.is_empty() {
                continue;
            }
            let at_start = sentence_start && first_part;
            first_part = false;
            let n_letters = token.chars().filter(|c| c.is_alphabetic()).count();
            if n_letters < 3 {
                continue;
            }
            let first = token.chars().next().unwrap_or(' ');
            if n_letters >= 4 {
                capitals.add(first, at_start);
                keys.extend(fold_key(token));
            }
            // (An acronym is read only where the first letter is a capital.)
            let acronym = || {
                token
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase)
            };
            let is_name = first.is_uppercase() && (!at_start || acronym()) && !calendar_word(token);
            // Words are kept for caseless scripts only, where names cannot be told apart.
            let keep_word = !cased && n_letters >= 4;
            if !is_name && !keep_word {
                continue;
            }
            let folded = fold(token);
            if folded.len() < 3 {
                continue;
            }
            let w = Word {
                text: token.to_string(),
                key: hash(&folded[..2]),
                folded,
            };
            if is_name && keep_word {
                names.push(w.clone());
                words.push(w);
            } else if is_name {
                names.push(w);
            } else {
                words.push(w);
            }
        }
        sentence_start = ends;
    }
    keys.sort_unstable();
    keys.dedup();
    (names, words, cased, capitals.say_little(), keys)
}

/// Whether the script of `text` is cased. Georgian letters are lower case with upper-case
/// forms nobody writes: a script counts as cased only where capitals are in use.
fn cased(text: &str) -> bool {
    let (mut letters, mut lower, mut upper) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_alphabetic() {
            letters += 1;
            lower += usize::from(c.is_lowercase());
            upper += usize::from(c.is_uppercase());
        }
    }
    letters > 0 && (lower + upper) * 2 > letters && upper > 0
}

/// How many words of four letters or more a text has and how many are capitalised, in all
/// and inside sentences (not opening one).
#[derive(Default)]
struct Capitals {
    long: usize,
    capitalised: usize,
    inner: usize,
    inner_capitalised: usize,
}

impl Capitals {
    /// Count a word that starts with `first`, opening a sentence or not.
    fn add(&mut self, first: char, at_start: bool) {
        self.long += 1;
        self.capitalised += usize::from(first.is_uppercase());
        if !at_start {
            self.inner += 1;
            self.inner_capitalised += usize::from(first.is_uppercase());
        }
    }

    /// Whether capitals say little about names here: title case, or capitalised nouns.
    fn say_little(&self) -> bool {
        // In title case (headlines, quoted titles) capitals say little about names.
        let title_case = self.long >= 3 && self.capitalised * 10 >= self.long * 6;
        // Capitalised nouns: three in ten words inside sentences are far more than names.
        let noun_capitals = self.inner >= 8 && self.inner_capitalised * 10 >= self.inner * 3;
        title_case || noun_capitals
    }
}

/// Month and weekday names, capitalised in English and German though they are no names and
/// are translated like any word.
fn calendar_word(token: &str) -> bool {
    const WORDS: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "januar",
        "februar",
        "märz",
        "juni",
        "juli",
        "oktober",
        "dezember",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
    ];
    token.len() <= 9 && WORDS.contains(&token.to_lowercase().as_str())
}

/// Transliterate to Latin and fold spellings that differ across languages: lower case,
/// letters only, `c`/`q` to `k`, `j`/`y` to `i`, `w` to `v`, `z` to `s`; `h`, doubled
/// letters and `i` after a vowel dropped.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_bytes(word, |b| {
        out.push(char::from(b));
        true
    });
    out
}

/// The first four folded letters of a word packed in a number (None under three letters): the
/// key under which words of two languages meet for the lexical overlap.
pub fn fold_key(word: &str) -> Option<u32> {
    let mut key = 0u32;
    let mut n = 0;
    fold_bytes(word, |b| {
        key = key << 8 | u32::from(b);
        n += 1;
        n < 4
    });
    (n >= 3).then_some(key)
}

/// Feed the folded letters of a word to `push` until it returns false.
fn fold_bytes(word: &str, mut push: impl FnMut(u8) -> bool) {
    let mut prev = b' ';
    let mut step = |b: u8| -> bool {
        let c = match b.to_ascii_lowercase() {
            c @ b'a'..=b'z' => c,
            _ => return true,
        };
        let c = match c {
            b'c' | b'q' | b'x' => b'k',
            b'j' | b'y' => b'i',
            b'w' => b'v',
            b'z' => b's',
            b'h' => return true,
            c => c,
        };
        // `i` after a vowel is mostly a glide that other spellings leave out (Tokayev, Токаев).
        let keep = c != prev && !(c == b'i' && matches!(prev, b'a' | b'e' | b'o' | b'u'));
        prev = c;
        !keep || push(c)
    };
    for ch in word.chars() {
        let more = if ch.is_ascii() {
            step(ch as u8)
        } else {
            any_ascii::any_ascii_char(ch).bytes().all(&mut step)
        };
        if !more {
            return;
        }
    }
}

pub(super) fn similar(a: &str, b: &str) -> bool {
    a == b || strsim::jaro_winkler(a, b) >= 0.82
}

/// Whether the name `n` is among `pool` (same first letters, similar spelling).
pub(super) fn found<'a>(n: &Word, mut pool: impl Iterator<Item = &'a Word>) -> bool {
    pool.any(|w| w.key == n.key && similar(&w.folded, &n.folded))
}

/// The names' LLR of a pair: each source name looked up among the target's names (or all its
/// words where the target's script has no case). With `detail`, the names found and not found
/// are written into `sig`.
pub(super) fn compare(
    source: &[&Features],
    target: &[&Features],
    sig: &mut Signals,
    detail: bool,
) -> f64 {
    let target_cased = target.iter().any(|f| f.cased);
    let pool = || {
        target.iter().flat_map(move |f| {
            if target_cased {
                f.names.iter()
            } else {
                f.words.iter()
            }
        })
    };
    let mut llr = 0.0_f64;
    let all_names = || {
        source
            .iter()
            .flat_map(|f| f.names.iter().map(move |n| (f, n)))
    };
    for (k, (f, n)) in all_names().enumerate() {
        if all_names().take(k).any(|(_, m)| m.folded == n.folded) {
            continue;
        }
        if found(n, pool()) {
            llr += WEIGHTS.name_found;
            if detail {
                sig.names_matched.push(n.text.clone());
            }
        } else if !f.loose_capitals && target_cased {
            // Names written in a caseless script are looked up among all its words, with
            // transliteration that often misses: only names found count there.
            llr += WEIGHTS.name_unmatched;
            if detail {
                sig.names_source_only.push(n.text.clone());
            }
        }
    }
    llr.clamp(WEIGHTS.names_min, WEIGHTS.names_max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::PairModel;

    #[test]
    fn names_meet_across_scripts() {
        assert_eq!(fold("Kazakhstan"), fold("Казахстан"));
        assert_eq!(fold("Nazarbayev"), fold("Назарбаев"));
        let en = Features::of_text("Marta Ilyenko met Tomas Berger in Valmora.");
        let ru = Features::of_text("Марта Ильенко встретилась с Томасом Бергером в Вальморе.");
        let s = crate::score::compare(&PairModel::default(), &[&en], &[&ru], true);
        assert_eq!(
            s.names_matched,
            vec!["Ilyenko", "Tomas", "Berger", "Valmora"]
        );
    }
}
