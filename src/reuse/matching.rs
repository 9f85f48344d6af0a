//! The match percentage between a new source text and a stored one, with its inputs, and the
//! differences between them for display.
//!
//! Both texts are normalised (Unicode NFKC, white space folded) and cut into tokens: words
//! (lower-cased), numbers and punctuation marks. The *skeleton* of a text is its words with
//! every number replaced by `#`, without punctuation. Then:
//!
//! ```text
//! token similarity  ts = 1 - Levenshtein(skeleton tokens) / max(token counts)
//! char similarity   cs = 1 - Levenshtein(skeleton joined by spaces, in characters) / max(lengths)
//! penalty           p  = min(5, 2 × number edits + punctuation edits + (1 if case differs))
//! match             100                                    when the normalised texts are equal
//!                   clamp(floor(50 × (ts + cs)) − p, 0, 99)  otherwise
//! ```
//!
//! "Number edits" is the Levenshtein distance between the two sequences of numbers as written,
//! "punctuation edits" that between the sequences of punctuation marks. So a text that differs
//! only in a number, in punctuation or in case scores 95 to 99 and never 100, and only the same
//! text scores 100. Pure: no SQL, no printing.

use std::collections::HashMap;

use serde::Serialize;

use crate::document::normalize;

/// The match percentage of a stored text against a query, with every input of the formula.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MatchScore {
    /// The match percentage, 0 to 100 (100 only for the same normalised text).
    pub percent: u8,
    /// Whether the normalised texts are equal.
    pub exact: bool,
    /// Words and numbers of the query.
    pub query_tokens: usize,
    /// Words and numbers of the stored text.
    pub stored_tokens: usize,
    /// Token edits (insertions, deletions, substitutions) between the two skeletons.
    pub token_edits: usize,
    /// Characters of the query's skeleton.
    pub query_chars: usize,
    /// Characters of the stored text's skeleton.
    pub stored_chars: usize,
    /// Character edits between the two skeletons.
    pub char_edits: usize,
    /// `1 - token_edits / max(query_tokens, stored_tokens)`.
    pub token_similarity: f64,
    /// `1 - char_edits / max(query_chars, stored_chars)`.
    pub char_similarity: f64,
    /// Edits between the sequences of numbers as written.
    pub number_edits: usize,
    /// Edits between the sequences of punctuation marks.
    pub punctuation_edits: usize,
    /// Whether the texts differ in letter case (where the words are otherwise the same).
    pub case_differs: bool,
    /// Points taken off: `min(5, 2 × number_edits + punctuation_edits + case)`.
    pub penalty: u8,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Number,
    Punct,
}

/// One token of normalised text: its kind and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// A text prepared for comparison (prepare a query once, compare it with many stored texts).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The normalised text.
    norm: String,
    tokens: Vec<Token>,
    /// Skeleton symbols: lower-cased words and `#` for numbers, interned.
    skeleton: Vec<u32>,
    /// The skeleton as characters (words joined by one space).
    skeleton_chars: Vec<u32>,
    /// Numbers as written.
    numbers: Vec<String>,
    /// Punctuation marks.
    punct: Vec<u32>,
    /// Words as written (to tell a difference in case).
    cased: Vec<String>,
}

/// Interning of skeleton tokens: the same word gets the same symbol in both texts.
fn symbol(word: &str) -> u32 {
    // FNV-1a, folded to 32 bits: collisions only merge two distinct words in rare cases, which
    // can only raise a score that is below 100 anyway (exactness is decided on the text).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in word.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

const NUMBER_SYMBOL: u32 = 0x23; // '#'

/// Cut normalised text into words, numbers and punctuation marks.
fn tokenize(norm: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut it = norm.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_numeric() {
            let mut end = i + c.len_utf8();
            // Digits with inner separators (1,250 / 11.6 / 1 250 is two numbers here).
            while let Some(&(j, d)) = it.peek() {
                if d.is_numeric() {
                    end = j + d.len_utf8();
                    it.next();
                } else if matches!(d, '.' | ',' | '\'' | '\u{2019}') {
                    let mut look = it.clone();
                    look.next();
                    match look.peek() {
                        Some(&(_, e)) if e.is_numeric() => {
                            it.next();
                        }
                        _ => break,
                    }
                } else {
                    break;
                }
            }
            out.push(Token {
                kind: Kind::Number,
                start: i,
                end,
            });
        } else if c.is_alphanumeric() || is_joiner(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if (d.is_alphanumeric() && !d.is_numeric()) || is_joiner(d) {
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push(Token {
                kind: Kind::Word,
                start: i,
                end,
            });
        } else {
            out.push(Token {
                kind: Kind::Punct,
                start: i,
                end: i + c.len_utf8(),
            });
        }
    }
    out
}

/// Combining marks and joiners stay inside a word.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{200C}' | '\u{200D}')
        || (c as u32 >= 0x900 && c as u32 <= 0xDFF && !c.is_alphanumeric() && !c.is_whitespace())
}

impl Prepared {
    /// Prepare a text.
    pub fn new(text: &str) -> Prepared {
        let norm = normalize(text);
        let tokens = tokenize(&norm);
        let mut skeleton = Vec::new();
        let mut skeleton_chars = Vec::new();
        let mut numbers = Vec::new();
        let mut punct = Vec::new();
        let mut cased = Vec::new();
        for t in &tokens {
            let s = &norm[t.start..t.end];
            match t.kind {
                Kind::Word | Kind::Number => {
                    if !skeleton.is_empty() {
                        skeleton_chars.push(u32::from(' '));
                    }
                    if t.kind == Kind::Word {
                        let lower = s.to_lowercase();
                        skeleton.push(symbol(&lower));
                        skeleton_chars.extend(lower.chars().map(u32::from));
                        cased.push(s.to_string());
                    } else {
                        skeleton.push(NUMBER_SYMBOL);
                        skeleton_chars.push(NUMBER_SYMBOL);
                        numbers.push(s.to_string());
                    }
                }
                Kind::Punct => punct.extend(s.chars().map(u32::from)),
            }
        }
        Prepared {
            norm,
            tokens,
            skeleton,
            skeleton_chars,
            numbers,
            punct,
            cased,
        }
    }

    /// The normalised text.
    pub fn norm(&self) -> &str {
        &self.norm
    }

    /// Words and numbers (what `analyze` counts as words).
    pub fn words(&self) -> usize {
        self.skeleton.len()
    }

    /// Characters of the skeleton (the length the candidate window is computed on).
    pub fn chars(&self) -> usize {
        self.skeleton_chars.len()
    }

    /// The words of the text, lower-cased, longest first (the candidate search terms).
    pub fn search_words(&self) -> Vec<String> {
        let mut words: Vec<String> = self
            .tokens
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .map(|t| self.norm[t.start..t.end].to_lowercase())
            .collect();
        words.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        words.dedup();
        words
    }

    /// Score a stored text against this query.
    pub fn score(&self, stored: &Prepared) -> MatchScore {
        let exact = self.norm == stored.norm;
        let token_edits = levenshtein(&self.skeleton, &stored.skeleton);
        let char_edits = levenshtein(&self.skeleton_chars, &stored.skeleton_chars);
        let sim = |d: usize, a: usize, b: usize| {
            let n = a.max(b);
            if n == 0 {
                1.0
            } else {
                1.0 - d as f64 / n as f64
            }
        };
        let token_similarity = sim(token_edits, self.skeleton.len(), stored.skeleton.len());
        let char_similarity = sim(
            char_edits,
            self.skeleton_chars.len(),
            stored.skeleton_chars.len(),
        );
        let number_edits = edit_strings(&self.numbers, &stored.numbers);
        let punctuation_edits = levenshtein(&self.punct, &stored.punct);
        let case_differs = token_edits == 0 && self.cased != stored.cased;
        let raw = 2 * number_edits + punctuation_edits + usize::from(case_differs);
        let penalty = raw.min(5) as u8;
        let percent = if exact {
            100
        } else {
            let base = (50.0 * (token_similarity + char_similarity) + 1e-9).floor() as i64;
            (base - i64::from(penalty)).clamp(0, 99) as u8
        };
        MatchScore {
            percent,
            exact,
            query_tokens: self.skeleton.len(),
            stored_tokens: stored.skeleton.len(),
            token_edits,
            query_chars: self.skeleton_chars.len(),
            stored_chars: stored.skeleton_chars.len(),
            char_edits,
            token_similarity,
            char_similarity,
            number_edits,
            punctuation_edits,
            case_differs,
            penalty,
        }
    }
}

/// The match percentage of `stored` against `query` (see the module's formula).
pub fn match_score(query: &str, stored: &str) -> MatchScore {
    Prepared::new(query).score(&Prepared::new(stored))
}

/// The window of lengths (in characters) worth searching for matches of at least
/// `min_percent` against a query of `chars` characters, inclusive. Both similarities of the
/// formula are bounded by the ratio of the two lengths (shorter / longer), so a text whose ratio
/// is `r` reaches about `100 r` at most: the window keeps `r >= min_percent / 100`. Texts are
/// compared on their skeletons and the store counts characters as written, so callers widen it.
pub fn length_window(chars: usize, min_percent: u8) -> (usize, usize) {
    let r = (f64::from(min_percent) / 100.0).clamp(0.0, 1.0);
    if r <= 0.0 {
        return (0, usize::MAX / 4);
    }
    let lo = (chars as f64 * r).floor() as usize;
    let hi = (chars as f64 / r).ceil() as usize;
    (lo, hi)
}

fn edit_strings(a: &[String], b: &[String]) -> usize {
    let sa: Vec<u32> = a.iter().map(|s| symbol(s)).collect();
    let sb: Vec<u32> = b.iter().map(|s| symbol(s)).collect();
    levenshtein(&sa, &sb)
}

/// Levenshtein distance between two symbol sequences: Myers' bit-parallel algorithm in Hyyrö's
/// block form, O(⌈m/64⌉·n).
pub fn levenshtein(a: &[u32], b: &[u32]) -> usize {
    let (pattern, text) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let m = pattern.len();
    if m == 0 {
        return text.len();
    }
    let blocks = m.div_ceil(64);
    let mut peq: HashMap<u32, Vec<u64>> = HashMap::new();
    for (i, &s) in pattern.iter().enumerate() {
        peq.entry(s).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
    }
    let mut pv = vec![!0u64; blocks];
    let mut mv = vec![0u64; blocks];
    let last = blocks - 1;
    let last_bit = 1u64 << ((m - 1) % 64);
    let mut score = m;
    let none = vec![0u64; blocks];
    for &c in text {
        let eqs = peq.get(&c).unwrap_or(&none);
        let mut hin: i8 = 1;
        for k in 0..blocks {
            let mut eq = eqs[k];
            let (p, n) = (pv[k], mv[k]);
            let xv = eq | n;
            if hin < 0 {
                eq |= 1;
            }
            let xh = (((eq & p).wrapping_add(p)) ^ p) | eq;
            let mut ph = n | !(xh | p);
            let mut mh = p & xh;
            let high = if k == last { last_bit } else { 1 << 63 };
            let hout: i8 = if ph & high != 0 {
                1
            } else if mh & high != 0 {
                -1
            } else {
                0
            };
            ph <<= 1;
            mh <<= 1;
            if hin < 0 {
                mh |= 1;
            } else if hin > 0 {
                ph |= 1;
            }
            pv[k] = mh | !(xv | ph);
            mv[k] = ph & xv;
            hin = hout;
        }
        score = (score as isize + hin as isize) as usize;
    }
    score
}

/// A piece of the stored text as shown beside the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum DiffPart {
    /// The same in both.
    Same(String),
    /// In the stored text only (to take out).
    Stored(String),
    /// In the query only (to put in).
    Query(String),
}

/// The differences between a query and a stored text, token by token (punctuation and numbers
/// included), as runs in reading order.
pub fn diff(query: &Prepared, stored: &Prepared) -> Vec<DiffPart> {
    let key = |p: &Prepared, t: &Token| -> String {
        let s = &p.norm[t.start..t.end];
        s.to_string()
    };
    let a: Vec<String> = query.tokens.iter().map(|t| key(query, t)).collect();
    let b: Vec<String> = stored.tokens.iter().map(|t| key(stored, t)).collect();
    let (n, m) = (a.len(), b.len());
    // Longest common subsequence table (texts are paragraphs: at most a few hundred tokens).
    let mut l = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[at(i, j)] = if a[i] == b[j] {
                l[at(i + 1, j + 1)] + 1
            } else {
                l[at(i + 1, j)].max(l[at(i, j + 1)])
            };
        }
    }
    let mut parts: Vec<DiffPart> = Vec::new();
    let gap = |p: &Prepared, from: &Token, prev_end: Option<usize>| -> String {
        match prev_end {
            Some(e) if e < from.start => p.norm[e..from.start].to_string(),
            _ => String::new(),
        }
    };
    let push = |parts: &mut Vec<DiffPart>, part: DiffPart| match (parts.last_mut(), part) {
        (Some(DiffPart::Same(x)), DiffPart::Same(y)) => x.push_str(&y),
        (Some(DiffPart::Stored(x)), DiffPart::Stored(y)) => x.push_str(&y),
        (Some(DiffPart::Query(x)), DiffPart::Query(y)) => x.push_str(&y),
        (_, p) => parts.push(p),
    };
    let (mut i, mut j) = (0, 0);
    let (mut qe, mut se): (Option<usize>, Option<usize>) = (None, None);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            let t = &stored.tokens[j];
            let mut s = gap(stored, t, se);
            s.push_str(&b[j]);
            push(&mut parts, DiffPart::Same(s));
            qe = Some(query.tokens[i].end);
            se = Some(t.end);
            i += 1;
            j += 1;
        } else if j < m && (i == n || l[at(i, j + 1)] >= l[at(i + 1, j)]) {
            let t = &stored.tokens[j];
            let g = gap(stored, t, se);
            if !g.is_empty() {
                push(&mut parts, DiffPart::Same(g));
            }
            push(&mut parts, DiffPart::Stored(b[j].clone()));
            se = Some(t.end);
            j += 1;
        } else {
            let t = &query.tokens[i];
            let g = gap(query, t, qe);
            let mut s = String::new();
            match parts.last() {
                Some(DiffPart::Query(_)) => s.push_str(&g),
                Some(DiffPart::Same(_)) if !g.is_empty() => {
                    push(&mut parts, DiffPart::Same(" ".into()));
                }
                _ => {}
            }
            s.push_str(&a[i]);
            push(&mut parts, DiffPart::Query(s));
            qe = Some(t.end);
            i += 1;
        }
    }
    parts
}

/// The differences as one line: `[-stored-]` and `{+query+}` marks (as `git diff --word-diff`).
pub fn diff_marked(parts: &[DiffPart]) -> String {
    let mut out = String::new();
    for p in parts {
        match p {
            DiffPart::Same(s) => out.push_str(s),
            DiffPart::Stored(s) => {
                out.push_str("[-");
                out.push_str(s);
                out.push_str("-]");
            }
            DiffPart::Query(s) => {
                out.push_str("{+");
                out.push_str(s);
                out.push_str("+}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[u32], b: &[u32]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, x) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, y) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(x != y))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn bit_parallel_levenshtein_equals_the_table() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..300 {
            let la = next(200) as usize;
            let lb = next(200) as usize;
            let a: Vec<u32> = (0..la).map(|_| next(4) as u32).collect();
            let mut b: Vec<u32> = a.clone();
            b.truncate(lb.min(b.len()));
            for _ in 0..next(20) {
                let len = b.len() as u64 + 1;
                let k = next(len) as usize;
                b.insert(k, next(5) as u32);
            }
            assert_eq!(levenshtein(&a, &b), naive(&a, &b), "{a:?} {b:?}");
        }
        let s = |t: &str| t.chars().map(u32::from).collect::<Vec<_>>();
        assert_eq!(levenshtein(&s("kitten"), &s("sitting")), 3);
        assert_eq!(levenshtein(&s(""), &s("abc")), 3);
    }

    #[test]
    fn only_the_same_text_is_100() {
        let s = match_score(
            "The strike began on 11 March.",
            "The  strike began on 11 March.",
        );
        assert_eq!((s.percent, s.exact), (100, true));
        let s = match_score(
            "The strike began on 11 March.",
            "The strike began on 12 March.",
        );
        assert!(!s.exact);
        assert_eq!((s.percent, s.number_edits, s.penalty), (98, 1, 2));
        let s = match_score(
            "The strike began on 11 March.",
            "The strike began on 11 March!",
        );
        assert_eq!((s.percent, s.punctuation_edits), (99, 1));
        let s = match_score(
            "The strike began on 11 March.",
            "the strike began on 11 march.",
        );
        assert_eq!((s.percent, s.case_differs), (99, true));
        let s = match_score("The strike began.", "Completely unrelated words here.");
        assert!(s.percent < 50, "{s:?}");
    }

    #[test]
    fn long_paragraph_with_one_number_changed_is_in_95_99() {
        let a = "In 2021, the city's bus and tram network carried 11.6 million passengers, and ticket revenue covered 64% of its operating costs.";
        let b = a.replace("11.6", "16.1");
        let s = match_score(&b, a);
        assert!((95..=99).contains(&s.percent), "{s:?}");
    }

    #[test]
    fn window_bounds_the_score() {
        assert_eq!(length_window(100, 50), (50, 200));
        assert_eq!(length_window(100, 80), (80, 125));
        assert_eq!(length_window(100, 100), (100, 100));
        // A text at the edge of the window cannot reach more than about the ratio.
        let q = "one two three four five six seven eight nine ten";
        let s = match_score(q, "one two three four five");
        assert!(s.percent <= 55, "{s:?}");
    }

    #[test]
    fn diff_marks_changed_tokens() {
        let q = Prepared::new("The strike began on 12 March.");
        let s = Prepared::new("The strike began on 11 March.");
        assert_eq!(
            diff_marked(&diff(&q, &s)),
            "The strike began on [-11-]{+12+} March."
        );
    }
}
