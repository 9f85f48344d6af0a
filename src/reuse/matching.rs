//! The match percentage between a new source text and a stored one, with its inputs, and the
//! differences between them for display.
//!
//! Both texts are normalised (Unicode NFKC, white space folded) and cut into tokens
//! (`tokens.rs`): words, numbers, placeables (placeholders such as `%s` or `{0}`, tags,
//! entities) and punctuation marks. The *skeleton* of a text is its words, lower-cased and with
//! the accents of Latin letters folded; numbers, placeables and punctuation are not in it, as
//! CAT tools treat them as placeables. Then:
//!
//! ```text
//! token similarity  ts = 1 - Levenshtein(skeleton words) / max(word counts)
//! char similarity   cs = 1 - Levenshtein(skeleton joined by spaces, in characters) / max(lengths)
//! penalty           p  = min(5, 2 × (number edits + placeable edits) + punctuation edits
//!                            + (1 if accents differ) + (1 if case differs))
//! match             100                                    when the normalised texts are equal
//!                   clamp(floor(50 × (ts + cs)) − p, 0, 99)  otherwise
//! ```
//!
//! "Number edits" is the Levenshtein distance between the two sequences of numbers as written,
//! "placeable edits" that between the sequences of placeables, "punctuation edits" that between
//! the sequences of punctuation marks. So a text that differs only in numbers or placeholders
//! (inserted, removed or changed), in punctuation, in accents or in case scores 95 to 99 and
//! never 100, and only the same text scores 100. Pure: no SQL, no printing.

use serde::Serialize;

use super::distance::levenshtein;
use super::tokens::{fold, tokenize, Kind, Token};
use crate::document::normalize;

/// The match percentage of a stored text against a query, with every input of the formula.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MatchScore {
    /// The match percentage, 0 to 100 (100 only for the same normalised text).
    pub percent: u8,
    /// Whether the normalised texts are equal.
    pub exact: bool,
    /// Words of the query (numbers and placeables are not counted here).
    pub query_tokens: usize,
    /// Words of the stored text.
    pub stored_tokens: usize,
    /// Word edits (insertions, deletions, substitutions) between the two skeletons.
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
    /// Edits between the sequences of placeables (placeholders, tags, entities) as written.
    pub placeable_edits: usize,
    /// Edits between the sequences of punctuation marks.
    pub punctuation_edits: usize,
    /// Whether the words differ in accents only (where the folded words are the same).
    pub accent_differs: bool,
    /// Whether the texts differ in letter case (where the words are otherwise the same).
    pub case_differs: bool,
    /// Points taken off: `min(5, 2 × (number_edits + placeable_edits) + punctuation_edits +
    /// accent + case)`.
    pub penalty: u8,
}

/// A text prepared for comparison (prepare a query once, compare it with many stored texts).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The normalised text.
    norm: String,
    tokens: Vec<Token>,
    /// Skeleton symbols: folded words, interned.
    skeleton: Vec<u32>,
    /// The skeleton as characters (words joined by one space).
    skeleton_chars: Vec<u32>,
    /// Numbers as written.
    numbers: Vec<u32>,
    /// Placeables as written.
    placeables: Vec<u32>,
    /// Punctuation marks.
    punct: Vec<u32>,
    /// Words lower-cased, accents kept (to tell a difference in accents).
    lower: Vec<u32>,
    /// Words as written (to tell a difference in case).
    cased: Vec<u32>,
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

impl Prepared {
    /// Prepare a text.
    pub fn new(text: &str) -> Prepared {
        let norm = normalize(text);
        let tokens = tokenize(&norm);
        let mut p = Prepared {
            norm: String::new(),
            tokens: Vec::new(),
            skeleton: Vec::new(),
            skeleton_chars: Vec::new(),
            numbers: Vec::new(),
            placeables: Vec::new(),
            punct: Vec::new(),
            lower: Vec::new(),
            cased: Vec::new(),
        };
        for t in &tokens {
            let s = &norm[t.start..t.end];
            match t.kind {
                Kind::Word => {
                    if !p.skeleton.is_empty() {
                        p.skeleton_chars.push(u32::from(' '));
                    }
                    let folded = fold(s);
                    p.skeleton.push(symbol(&folded));
                    p.skeleton_chars.extend(folded.chars().map(u32::from));
                    p.lower.push(symbol(&s.to_lowercase()));
                    p.cased.push(symbol(s));
                }
                Kind::Number => p.numbers.push(symbol(s)),
                Kind::Placeable => p.placeables.push(symbol(s)),
                Kind::Punct => p.punct.extend(s.chars().map(u32::from)),
            }
        }
        p.norm = norm;
        p.tokens = tokens;
        p
    }

    /// The normalised text.
    pub fn norm(&self) -> &str {
        &self.norm
    }

    /// Words, numbers and placeables (what `analyze` counts as words).
    pub fn words(&self) -> usize {
        self.skeleton.len() + self.numbers.len() + self.placeables.len()
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
        let number_edits = levenshtein(&self.numbers, &stored.numbers);
        let placeable_edits = levenshtein(&self.placeables, &stored.placeables);
        let punctuation_edits = levenshtein(&self.punct, &stored.punct);
        let accent_differs = token_edits == 0 && self.lower != stored.lower;
        let case_differs = token_edits == 0 && !accent_differs && self.cased != stored.cased;
        let raw = 2 * (number_edits + placeable_edits)
            + punctuation_edits
            + usize::from(accent_differs)
            + usize::from(case_differs);
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
            placeable_edits,
            punctuation_edits,
            accent_differs,
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
    fn placeables_cost_a_fixed_penalty_never_a_word() {
        let pct = |q: &str, s: &str| match_score(q, s).percent;
        // An inserted, removed or changed number: 98, whatever the length.
        assert_eq!(pct("Delete 3 files?", "Delete files?"), 98);
        assert_eq!(pct("Delete files?", "Delete 3 files?"), 98);
        assert_eq!(
            pct(
                "Could not open the file after 5 attempts.",
                "Could not open the file after attempts."
            ),
            98
        );
        assert_eq!(pct("Delete 3 files?", "Delete 4 files?"), 98);
        // A changed or inserted placeholder or tag: 98.
        assert_eq!(pct("Delete %d files?", "Delete %s files?"), 98);
        assert_eq!(pct("Delete {count} files?", "Delete files?"), 98);
        assert_eq!(pct("Open <b>%s</b>", "Open %s"), 96);
        // Two numbers inserted: 96; three or more: 95 (the penalty is at most 5).
        assert_eq!(pct("Page 1 of 2", "Page of"), 96);
        assert_eq!(pct("From 1 to 2 in 3 steps", "From to in steps"), 95);
        // An accent or a case change: 99.
        let s = match_score("Le fichier a été supprimé.", "Le fichier a ete supprime.");
        assert_eq!((s.percent, s.accent_differs, s.token_edits), (99, true, 0));
        // A changed word still costs a word.
        assert_eq!(pct("Delete 3 files?", "Remove 3 files?"), 58);
        assert_eq!(pct("Delete 3 files?", "Remove 4 files?"), 56);
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
