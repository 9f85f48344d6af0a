//! Similarity signals between paragraphs in different languages, and the combined score.
//!
//! Every signal crosses languages and scripts without a model: length (Gale-Church style, with
//! the expected ratio and spread estimated from the document pair), numbers (normalised across
//! writing conventions), names and cognates (transliterated to Latin, compared with strsim),
//! links and e-mail addresses, and punctuation (questions, exclamations, parentheses).
//!
//! Each signal contributes a log-likelihood ratio: the log of how much more likely the observed
//! value is for a translation than for an unrelated paragraph. The score is the logistic of
//! their sum, so it reads as a probability that the two are translations. Thresholds that turn
//! signals into flags come in as arguments. Nothing here touches files or the terminal.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::document::Paragraph;

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
}

/// A number as written and the canonical values it may stand for (`1.000` may be one thousand
/// or one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// As written.
    pub text: String,
    /// Canonical values (`11.6`, `1000`), hashed.
    pub values: Vec<u64>,
    /// Significant digits (a weight: a four-digit year says more than `2`).
    pub digits: u8,
}

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

fn hash<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

impl Features {
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
            f.links.extend(link(&text[start..end]));
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
        f.numbers = numbers(&rest);
        for c in rest.chars() {
            match c {
                '?' | '？' | '؟' => f.questions = f.questions.saturating_add(1),
                '!' | '！' => f.exclamations = f.exclamations.saturating_add(1),
                '(' | '（' => f.parens = f.parens.saturating_add(1),
                _ => {}
            }
        }
        let (names, words, cased, loose_capitals, keys) = words(&rest);
        f.keys = keys;
        f.names = names;
        f.words = words;
        f.cased = cased;
        f.loose_capitals = loose_capitals;
        f
    }
}

/// Byte spans of the links and e-mail addresses in text, found by scanning (not by splitting
/// on spaces: in Chinese or Japanese a link stands against the punctuation around it).
pub fn find_links(text: &str) -> Vec<(usize, usize)> {
    if !(text.contains("://")
        || text.contains('@')
        || text.contains("www.")
        || text.contains("WWW."))
    {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let at = |i: usize, p: &[u8]| {
        bytes.len() >= i + p.len() && bytes[i..i + p.len()].eq_ignore_ascii_case(p)
    };
    let url_char = |b: u8| {
        b.is_ascii_graphic()
            && !matches!(
                b,
                b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
            )
    };
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let starts = boundary
            && (at(i, b"http://") || at(i, b"https://") || at(i, b"ftp://") || at(i, b"www."));
        if starts {
            let mut end = i;
            while end < bytes.len() && url_char(bytes[end]) {
                end += 1;
            }
            // Trailing punctuation belongs to the sentence; a closing parenthesis only when the
            // link did not open it.
            loop {
                let last = bytes[end - 1];
                let span = &bytes[i..end];
                let unbalanced = span.iter().filter(|&&b| b == b')').count()
                    > span.iter().filter(|&&b| b == b'(').count();
                if matches!(last, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b']')
                    || (last == b')' && unbalanced)
                {
                    end -= 1;
                } else {
                    break;
                }
            }
            if end > i + 4 {
                spans.push((i, end));
            }
            i = end.max(i + 1);
            continue;
        }
        if bytes[i] == b'@' && i > 0 {
            let local =
                |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
            let mut start = i;
            while start > 0 && local(bytes[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-'))
            {
                end += 1;
            }
            while end > i + 1 && bytes[end - 1] == b'.' {
                end -= 1;
            }
            let overlaps = spans.last().is_some_and(|&(_, e)| e > start);
            if start < i && bytes[i + 1..end].contains(&b'.') && !overlaps {
                spans.push((start, end));
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    spans
}

/// Text with its links and e-mail addresses taken out (for language and script detection).
pub fn without_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in find_links(text) {
        out.push_str(&text[at..start]);
        out.push(' ');
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// A link or e-mail address, normalised (scheme, `www.` and trailing punctuation
/// removed, host lower-cased).
fn link(t: &str) -> Option<String> {
    let lower = t.to_lowercase();
    let body = if let Some(i) = lower.find("://") {
        let scheme = &lower[..i];
        if !scheme.chars().all(|c| c.is_ascii_alphabetic()) || scheme.is_empty() {
            return None;
        }
        &t[i + 3..]
    } else if lower.starts_with("www.") {
        t
    } else if let Some(at) = t.find('@') {
        let (user, host) = (&t[..at], &t[at + 1..]);
        if user.is_empty() || !host.contains('.') || host.ends_with('.') {
            return None;
        }
        return Some(format!("mailto:{}", t.to_lowercase()));
    } else {
        return None;
    };
    let body = body
        .strip_prefix("www.")
        .or_else(|| body.strip_prefix("WWW."))
        .unwrap_or(body);
    let (host, path) = match body.find('/') {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, ""),
    };
    if host.is_empty() {
        return None;
    }
    let path = path.trim_end_matches('/');
    Some(format!("{}{}", host.to_lowercase(), path))
}

/// Numbers in text, in any script's digits, with their possible canonical values.
fn numbers(text: &str) -> Vec<Number> {
    if !text.chars().any(|c| digit(c).is_some()) {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        // groups of digits and the separators between them
        let mut groups: Vec<String> = vec![String::new()];
        let mut seps: Vec<char> = Vec::new();
        let start = i;
        while i < chars.len() {
            let c = chars[i];
            if let Some(d) = digit(c) {
                if let Some(g) = groups.last_mut() {
                    g.push(char::from(b'0' + d as u8));
                }
                i += 1;
            } else if is_num_sep(c) && i + 1 < chars.len() && digit(chars[i + 1]).is_some() {
                // a space joins only a following group of exactly three digits
                let next: usize = chars[i + 1..]
                    .iter()
                    .take_while(|c| digit(**c).is_some())
                    .count();
                if (c == ' ' || c == '\u{a0}' || c == '\u{202f}')
                    && (next != 3 || groups.last().map_or(0, String::len) > 3)
                {
                    break;
                }
                seps.push(c);
                groups.push(String::new());
                i += 1;
            } else {
                break;
            }
        }
        // A month written as a number in Chinese, Japanese and Korean dates (3月, 3월) is a word
        // in most languages: it is not compared.
        if seps.is_empty() && groups[0].len() <= 2 && matches!(chars.get(i), Some('月' | '월')) {
            continue;
        }
        let written: String = chars[start..i].iter().collect();
        // a space-joined group that was not a thousands group splits numbers
        let values = interpretations(&groups, &seps);
        let digits = groups
            .iter()
            .map(|g| g.trim_start_matches('0').len())
            .sum::<usize>()
            .max(1);
        out.push(Number {
            text: written,
            values: values.iter().map(|v| hash(v.as_str())).collect(),
            digits: digits.min(12) as u8,
        });
    }
    out
}

fn digit(c: char) -> Option<u32> {
    crate::document::digit_value(c)
}

fn is_num_sep(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’' | '٫' | '٬'
    )
}

/// The canonical values a number may stand for.
fn interpretations(groups: &[String], seps: &[char]) -> Vec<String> {
    let canon = |int: &str, frac: &str| {
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    };
    if seps.is_empty() {
        return vec![canon(&groups[0], "")];
    }
    let mut out = Vec::new();
    let thousands_ok = groups[1..].iter().all(|g| g.len() == 3)
        && groups[0].len() <= 3
        && seps.iter().all(|s| *s == seps[0]);
    if thousands_ok {
        out.push(canon(&groups.concat(), ""));
    }
    let last = *seps.last().unwrap_or(&'.');
    if matches!(last, '.' | ',' | '٫') {
        let head = &groups[..groups.len() - 1];
        let head_seps = &seps[..seps.len() - 1];
        let head_ok = head.len() == 1
            || (head[1..].iter().all(|g| g.len() == 3)
                && head[0].len() <= 3
                && head_seps.iter().all(|s| *s == head_seps[0] && *s != last));
        if head_ok {
            out.push(canon(&head.concat(), &groups[groups.len() - 1]));
        }
    }
    if out.is_empty() {
        // Dates, versions and other dotted forms: compare the parts.
        out.push(
            groups
                .iter()
                .map(|g| canon(g, ""))
                .collect::<Vec<_>>()
                .join("."),
        );
    }
    out
}

/// Names and words of text: transliterated to Latin, folded. A name is a capitalised word
/// that does not open a sentence, or an acronym.
fn words(text: &str) -> (Vec<Word>, Vec<Word>, bool, bool, Vec<u32>) {
    let mut names = Vec::new();
    let mut keys = Vec::new();
    let mut words = Vec::new();
    let (mut letters, mut lower, mut upper) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_alphabetic() {
            letters += 1;
            lower += usize::from(c.is_lowercase());
            upper += usize::from(c.is_uppercase());
        }
    }
    // Georgian letters are lower case with upper-case forms nobody writes: a script counts as
    // cased only where capitals are in use.
    let cased = letters > 0 && (lower + upper) * 2 > letters && upper > 0;
    let (mut long, mut capitalised, mut inner, mut inner_capitalised) =
        (0usize, 0usize, 0usize, 0usize);
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
                long += 1;
                capitalised += usize::from(first.is_uppercase());
                if !at_start {
                    inner += 1;
                    inner_capitalised += usize::from(first.is_uppercase());
                }
                keys.extend(fold_key(token));
            }
            let acronym = token
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
            let is_name = first.is_uppercase() && (!at_start || acronym) && !calendar_word(token);
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
    // In title case (headlines, quoted titles) capitals say little about names.
    let title_case = long >= 3 && capitalised * 10 >= long * 6;
    // Capitalised nouns: three in ten words inside sentences are far more than names.
    let noun_capitals = inner >= 8 && inner_capitalised * 10 >= inner * 3;
    keys.sort_unstable();
    keys.dedup();
    (names, words, cased, title_case || noun_capitals, keys)
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

/// The model of a document pair, estimated from the pair itself: the expected log ratio of
/// target to source length and its spread, and (once a first alignment exists) how many lexical
/// keys translations share compared with unrelated paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
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
}

/// The share of lexical keys that translations share (`translated`) and that unrelated
/// paragraphs share by chance (`unrelated`), in one document pair.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lexicon {
    /// Share of keys shared by aligned pairs.
    #[serde(serialize_with = "round3")]
    pub translated: f64,
    /// Share of keys shared by unrelated pairs.
    #[serde(serialize_with = "round3")]
    pub unrelated: f64,
}

impl Lexicon {
    /// Estimate from aligned pairs and from the same paragraphs paired with unrelated ones.
    /// None when the overlap does not tell translations apart (scripts with no shared
    /// spellings, too few pairs).
    pub fn estimate<'a>(
        aligned: impl Iterator<Item = (&'a Features, &'a Features)>,
        unrelated: impl Iterator<Item = (&'a Features, &'a Features)>,
    ) -> Option<Lexicon> {
        let rate = |it: &mut dyn Iterator<Item = (&'a Features, &'a Features)>| {
            let (mut k, mut n, mut pairs) = (0usize, 0usize, 0usize);
            for (a, b) in it {
                let (shared, total) = shared_keys(&[a], &[b]);
                if total >= 3 {
                    k += shared;
                    n += total;
                    pairs += 1;
                }
            }
            (pairs, if n == 0 { 0.0 } else { k as f64 / n as f64 })
        };
        let (pairs, translated) = rate(&mut { aligned });
        let (_, unrelated) = rate(&mut { unrelated });
        let unrelated = unrelated.max(0.005);
        (pairs >= 5 && translated >= 1.5 * unrelated + 0.03 && translated < 0.98).then_some(
            Lexicon {
                translated,
                unrelated,
            },
        )
    }

    /// Log-likelihood ratio of `shared` keys out of `total`: binomial under each rate,
    /// tempered (overdispersion: some translations paraphrase more) and capped.
    pub fn llr(&self, shared: usize, total: usize) -> f64 {
        let (pt, pr) = (self.translated, self.unrelated);
        let k = shared as f64;
        let n = total as f64;
        (0.6 * (k * (pt / pr).ln() + (n - k) * ((1.0 - pt) / (1.0 - pr)).ln())).clamp(-6.0, 4.0)
    }
}

/// Keys shared by two groups, and the larger group's number of keys (so that the half of a
/// merge that finds nothing on the other side counts against it).
pub fn shared_keys(a: &[&Features], b: &[&Features]) -> (usize, usize) {
    let count = |g: &[&Features]| g.iter().map(|f| f.keys.len()).sum::<usize>();
    let total = count(a).max(count(b));
    let mut shared = 0;
    for fa in a {
        for key in &fa.keys {
            if b.iter().any(|fb| fb.keys.binary_search(key).is_ok()) {
                shared += 1;
            }
        }
    }
    (shared.min(total), total)
}

impl Default for PairModel {
    fn default() -> Self {
        PairModel {
            mu: 0.0,
            sigma: 0.22,
            lexicon: None,
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
        })
    }

    /// z-score of a length pair: how many spreads the log ratio is from the expected one. The
    /// spread widens for short texts, whose lengths vary more.
    pub fn z(&self, source: u32, target: u32) -> f64 {
        let r = ((target as f64 + 10.0) / (source as f64 + 10.0)).ln();
        (r - self.mu) / self.spread(source, target)
    }

    fn spread(&self, source: u32, target: u32) -> f64 {
        (self.sigma * self.sigma + 4.0 / (source as f64 + target as f64 + 20.0)).sqrt()
    }

    /// Log-likelihood ratio of the length pair: translation (normal around mu) against
    /// unrelated text (a broad normal).
    pub fn llr(&self, source: u32, target: u32) -> f64 {
        let s = self.spread(source, target);
        let z = self.z(source, target);
        let broad = 1.0_f64;
        let r = z * s;
        let ll_t = -0.5 * z * z - s.ln();
        let ll_u = -0.5 * (r / broad).powi(2) - broad.ln();
        (ll_t - ll_u).clamp(-12.0, 3.0)
    }
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
    /// Sum of the log-likelihood ratios.
    #[serde(serialize_with = "round3")]
    pub llr: f64,
}

/// Weight of a number: long numbers are rarer and say more.
fn number_weight(n: &Number) -> f64 {
    match n.digits {
        0..=1 => 1.0,
        2 => 1.6,
        3 => 2.2,
        _ => 2.8,
    }
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

    // Numbers: greedy matching on shared values (no allocation unless `detail`).
    let tn_count: usize = target.iter().map(|f| f.numbers.len()).sum();
    let mut used_small: u128 = 0;
    let mut used_big: Vec<bool> = if tn_count > 128 {
        vec![false; tn_count]
    } else {
        Vec::new()
    };
    let (mut s_small, mut s_big, mut s_unmatched) = (0usize, 0.0f64, 0usize);
    for n in source.iter().flat_map(|f| f.numbers.iter()) {
        let mut hit = false;
        for (j, m) in target.iter().flat_map(|f| f.numbers.iter()).enumerate() {
            let used = if tn_count > 128 {
                used_big[j]
            } else {
                used_small >> j & 1 == 1
            };
            if !used && m.values.iter().any(|v| n.values.contains(v)) {
                if tn_count > 128 {
                    used_big[j] = true;
                } else {
                    used_small |= 1 << j;
                }
                hit = true;
                break;
            }
        }
        if hit {
            llr += number_weight(n);
            if detail {
                sig.numbers_matched.push(n.text.clone());
            }
        } else {
            s_unmatched += 1;
            if n.digits <= 1 {
                s_small += 1;
            } else {
                s_big += number_weight(n);
            }
        }
    }
    let is_used = |j: usize| {
        if tn_count > 128 {
            used_big[j]
        } else {
            used_small >> j & 1 == 1
        }
    };
    let (mut t_small, mut t_big, mut t_unmatched) = (0usize, 0.0f64, 0usize);
    for (j, n) in target.iter().flat_map(|f| f.numbers.iter()).enumerate() {
        if !is_used(j) {
            t_unmatched += 1;
            if n.digits <= 1 {
                t_small += 1;
            } else {
                t_big += number_weight(n);
            }
        }
    }
    // A small number on one side with nothing unmatched on the other may be written as a word.
    let s_spelled = t_unmatched == 0;
    let t_spelled = s_unmatched == 0;
    llr -= if s_spelled {
        0.3 * s_small as f64
    } else {
        0.9 * s_small as f64
    } + 0.9 * s_big;
    llr -= if t_spelled {
        0.3 * t_small as f64
    } else {
        0.9 * t_small as f64
    } + 0.9 * t_big;
    if detail {
        // Source numbers not among the matched ones (by text, in order).
        let mut source_only = Vec::new();
        let mut pending: Vec<&str> = sig.numbers_matched.iter().map(String::as_str).collect();
        for n in source.iter().flat_map(|f| f.numbers.iter()) {
            if let Some(k) = pending.iter().position(|m| *m == n.text) {
                pending.remove(k);
            } else if !(s_spelled && n.digits <= 1) {
                source_only.push(n.text.clone());
            }
        }
        sig.numbers_source_only = source_only;
        for (j, n) in target.iter().flat_map(|f| f.numbers.iter()).enumerate() {
            let spelled = t_spelled && n.digits <= 1;
            if !is_used(j) && !spelled {
                sig.numbers_target_only.push(n.text.clone());
            }
        }
    }

    // Links.
    let target_links = || target.iter().flat_map(|f| f.links.iter());
    let source_links = || source.iter().flat_map(|f| f.links.iter());
    for l in source_links() {
        if target_links().any(|t| t == l) {
            sig.links_matched += 1;
            llr += 4.0;
        } else {
            llr -= 2.5;
            if detail {
                sig.links_source_only.push(l.clone());
            }
        }
    }
    for l in target_links() {
        if !source_links().any(|s| s == l) {
            llr -= 2.5;
            if detail {
                sig.links_target_only.push(l.clone());
            }
        }
    }

    // Names: each source name looked up among the target's names (or all its words where the
    // target's script has no case).
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
    let mut name_llr = 0.0_f64;
    let all_names = || {
        source
            .iter()
            .flat_map(|f| f.names.iter().map(move |n| (f, n)))
    };
    for (k, (f, n)) in all_names().enumerate() {
        if all_names().take(k).any(|(_, m)| m.folded == n.folded) {
            continue;
        }
        let found = pool().any(|w| w.key == n.key && similar(&w.folded, &n.folded));
        if found {
            name_llr += 1.2;
            if detail {
                sig.names_matched.push(n.text.clone());
            }
        } else if !f.loose_capitals && target_cased {
            // Names written in a caseless script are looked up among all its words, with
            // transliteration that often misses: only names found count there.
            name_llr -= 0.35;
            if detail {
                sig.names_source_only.push(n.text.clone());
            }
        }
    }
    llr += name_llr.clamp(-3.0, 6.0);

    // Punctuation.
    let count =
        |fs: &[&Features], g: fn(&Features) -> u8| fs.iter().map(|f| g(f) as u32).sum::<u32>();
    let mut mismatch = 0u8;
    for g in [
        (|f: &Features| f.questions) as fn(&Features) -> u8,
        |f: &Features| f.exclamations,
        |f: &Features| f.parens,
    ] {
        let (a, b) = (count(source, g), count(target, g));
        if a != b {
            mismatch += 1;
            llr -= 0.6;
        } else if a > 0 {
            llr += 0.5;
        }
    }
    sig.punctuation_mismatch = mismatch;
    if let Some(lex) = &model.lexicon {
        let (shared, total) = shared_keys(source, target);
        llr += lex.llr(shared, total);
        sig.keys_shared = Some([shared, total]);
    }
    sig.llr = llr;
    sig
}

/// Evidence, as a log-likelihood ratio without the length term, that `part` is a piece of a
/// translation of `whole`: what the part holds (numbers, links, names, lexical keys) is looked
/// up in the whole, and what the whole holds beyond it does not count. It tells a paragraph the
/// target cut short from one that continues its neighbour.
pub fn part_of(model: &PairModel, whole: &Features, part: &Features) -> f64 {
    let mut llr = 0.0;
    for n in &part.numbers {
        let found = whole
            .numbers
            .iter()
            .any(|m| m.values.iter().any(|v| n.values.contains(v)));
        llr += if found {
            number_weight(n)
        } else {
            -0.9 * number_weight(n)
        };
    }
    for l in &part.links {
        llr += if whole.links.contains(l) { 4.0 } else { -2.5 };
    }
    if part.cased && whole.cased {
        for n in &part.names {
            let found = whole
                .names
                .iter()
                .any(|w| w.key == n.key && similar(&w.folded, &n.folded));
            if found {
                llr += 1.2;
            } else if !part.loose_capitals {
                llr -= 0.35;
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

fn similar(a: &str, b: &str) -> bool {
    a == b || strsim::jaro_winkler(a, b) >= 0.82
}

/// The score of a comparison: the logistic of its log-likelihood ratio, in [0, 1].
pub fn score(sig: &Signals) -> f64 {
    1.0 / (1.0 + (-(sig.llr + 0.5)).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<u64>> {
        numbers(text).into_iter().map(|n| n.values).collect()
    }

    #[test]
    fn numbers_meet_across_conventions() {
        let h = |s: &str| hash(s);
        assert_eq!(
            values("11,6 and 11.6"),
            vec![vec![h("11.6")], vec![h("11.6")]]
        );
        assert_eq!(values("40%"), vec![vec![h("40")]]);
        assert_eq!(values("1 000 people"), vec![vec![h("1000")]]);
        assert_eq!(values("1,000"), vec![vec![h("1000"), h("1")]]);
        assert_eq!(values("1.250"), vec![vec![h("1250"), h("1.25")]]);
        assert_eq!(values("1.234.567,5"), vec![vec![h("1234567.5")]]);
        assert_eq!(
            values("in 2002 55 people"),
            vec![vec![h("2002")], vec![h("55")]]
        );
        assert_eq!(values("٢٠٢٤"), vec![vec![h("2024")]]);
        assert_eq!(values("05.01.2022"), vec![vec![h("5.1.2022")]]);
        assert_eq!(
            values("2024年3月14日"),
            vec![vec![h("2024")], vec![h("14")]]
        );
    }

    #[test]
    fn links_are_found_against_cjk_punctuation() {
        let f = Features::of_text(
            "声明、2024年3月14日、www.example.org（https://news.example.net/a?id=4417）。",
        );
        assert_eq!(f.links, vec!["example.org", "news.example.net/a?id=4417"]);
        let f = Features::of_text("(see https://en.wikipedia.org/wiki/Fable_(disambiguation)).");
        assert_eq!(
            f.links,
            vec!["en.wikipedia.org/wiki/Fable_(disambiguation)"]
        );
    }

    #[test]
    fn links_are_normalised() {
        let f = Features::of_text(
            "see (https://www.Example.org/a/) and www.example.org, mail ME@x.org.",
        );
        assert_eq!(
            f.links,
            vec!["example.org/a", "example.org", "mailto:me@x.org"]
        );
    }

    #[test]
    fn names_meet_across_scripts() {
        assert_eq!(fold("Kazakhstan"), fold("Казахстан"));
        assert_eq!(fold("Nazarbayev"), fold("Назарбаев"));
        let en = Features::of_text("Marta Ilyenko met Tomas Berger in Valmora.");
        let ru = Features::of_text("Марта Ильенко встретилась с Томасом Бергером в Вальморе.");
        let s = compare(&PairModel::default(), &[&en], &[&ru], true);
        assert_eq!(
            s.names_matched,
            vec!["Ilyenko", "Tomas", "Berger", "Valmora"]
        );
    }

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
