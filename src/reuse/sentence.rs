//! Sentences: Unicode sentence boundaries (UAX #29, from `unicode-segmentation`) corrected for
//! abbreviations, initials and paragraph labels, and the alignment of the sentences of a
//! paragraph pair when it is clean.
//!
//! UAX #29 ends a sentence at a full stop followed by a space and a capital, so "Dr. Berger"
//! and "1.   Since" would be cut; a boundary after a known abbreviation of the language
//! (`abbreviation`), a single letter (an initial) or a lone number (a label) is taken back.
//! The sentence pairs of a paragraph pair are kept only when they align cleanly: the same
//! number of sentences with lengths in proportion, or a Gale-Church style alignment with
//! one-to-one, one-to-two and two-to-one steps whose every step is in proportion, and whose
//! numbers agree step by step. Pure: no SQL, no printing.

use unicode_segmentation::UnicodeSegmentation;

use crate::score::Features;

/// Abbreviations that end with a full stop inside a sentence, lower-cased, without the final
/// stop, for English, Spanish and Russian (also used for other languages written in the same
/// scripts: a wrong abbreviation only keeps two sentences together).
const ABBREVIATIONS: &[&str] = &[
    // English
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "sr",
    "jr",
    "no",
    "nos",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "cf",
    "approx",
    "dept",
    "est",
    "fig",
    "gen",
    "gov",
    "inc",
    "ltd",
    "co",
    "corp",
    "mt",
    "rev",
    "sen",
    "rep",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "p",
    "pp",
    "vol",
    "ch",
    "art",
    "para",
    "u.s",
    "u.k",
    "a.m",
    "p.m",
    // Spanish
    "sra",
    "srta",
    "dra",
    "ud",
    "uds",
    "vd",
    "vds",
    "d",
    "dña",
    "núm",
    "pág",
    "págs",
    "av",
    "avda",
    "c",
    "cía",
    "ee.uu",
    "p.ej",
    "ej",
    "aprox",
    "admón",
    "gral",
    "lic",
    "ing",
    "dcha",
    "izq",
    "tel",
    "apdo",
    // Russian
    "т",
    "т.е",
    "т.к",
    "т.д",
    "т.п",
    "т.н",
    "г",
    "гг",
    "ул",
    "им",
    "др",
    "пр",
    "см",
    "стр",
    "руб",
    "тыс",
    "млн",
    "млрд",
    "проф",
    "акад",
    "д-р",
    "е",
    "д",
    "п",
    "к",
    "ст",
    "рис",
    "табл",
    "напр",
    "пер",
    "просп",
    "обл",
    "р-н",
    "н.э",
    "до н.э",
    "с",
    "гл",
    "ред",
    "изд",
];

/// Whether `word` (as written before a full stop) is an abbreviation.
fn abbreviation(word: &str) -> bool {
    let w = word.to_lowercase();
    let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
    if w.is_empty() {
        return false;
    }
    // A single letter: an initial (J. Smith) or a one-letter abbreviation.
    if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
        return true;
    }
    ABBREVIATIONS.contains(&w)
}

/// The last word of a piece of text (letters, digits, inner stops and hyphens).
fn last_word(text: &str) -> &str {
    let t = text.trim_end();
    let t = t.strip_suffix('.').unwrap_or(t);
    let start = t
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.' || c == '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &t[start..]
}

/// Whether a boundary after `piece` is no sentence end.
fn keeps_going(piece: &str, next: &str) -> bool {
    let t = piece.trim_end();
    if !t.ends_with('.') {
        return false;
    }
    let w = last_word(t);
    // A label or a lone number (`1.`, `2.1.`) opening the paragraph.
    if t.chars()
        .all(|c| c.is_numeric() || c == '.' || c.is_whitespace())
    {
        return true;
    }
    if abbreviation(w) {
        return true;
    }
    // Two-part Russian and Spanish abbreviations written with a space: "т. е.", "p. ej.".
    let first = next.split_whitespace().next().unwrap_or("");
    let pair = format!(
        "{}.{}",
        w.to_lowercase(),
        first.trim_end_matches('.').to_lowercase()
    );
    first.ends_with('.') && ABBREVIATIONS.contains(&pair.as_str())
}

/// The sentences of a text as byte ranges, trimmed of surrounding white space.
pub fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut pending: Option<std::ops::Range<usize>> = None;
    let pieces: Vec<(usize, &str)> = text.split_sentence_bound_indices().collect();
    for (k, &(at, piece)) in pieces.iter().enumerate() {
        let range = at..at + piece.len();
        let range = match pending.take() {
            Some(p) => p.start..range.end,
            None => range,
        };
        let next = pieces.get(k + 1).map_or("", |p| p.1);
        if !next.is_empty() && keeps_going(&text[range.clone()], next) {
            pending = Some(range);
            continue;
        }
        out.push(range);
    }
    if let Some(p) = pending {
        out.push(p);
    }
    out.into_iter()
        .filter_map(|r| {
            let s = &text[r.clone()];
            let lead = s.len() - s.trim_start().len();
            let trail = s.len() - s.trim_end().len();
            (lead + trail < s.len()).then(|| r.start + lead..r.end - trail)
        })
        .collect()
}

/// The sentences of a text as strings.
pub fn split(text: &str) -> Vec<&str> {
    sentences(text).into_iter().map(|r| &text[r]).collect()
}

/// A paragraph's label as written at its start (`5.   `, with the space after it), if it has one.
pub fn label_prefix(text: &str) -> &str {
    let t = text.trim_start();
    let lead = text.len() - t.len();
    match unlabel(t) {
        Some(body) => &text[..lead + t.len() - body.len()],
        None => &text[..0],
    }
}

/// The sentences of a paragraph as they are matched: its paragraph number (`5. `) is not part
/// of its first sentence.
pub fn query_sentences(text: &str) -> Vec<&str> {
    let mut s = split(text);
    if let Some(first) = s.first_mut() {
        if let Some(body) = unlabel(first) {
            *first = body;
        }
    }
    s
}

/// One step of a sentence alignment: source sentences and target sentences joined by a space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentencePair {
    /// The source sentence (or two, joined).
    pub source: String,
    /// The target sentence (or two, joined).
    pub target: String,
}

/// A sentence without the paragraph number that opens it (`3.   The figures` → `The figures`).
fn unlabel(sentence: &str) -> Option<&str> {
    let label = sentence
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_digit() || c == '.')
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let rest = &sentence[label..];
    let body = rest.trim_start();
    // `5.` or `2.1.`, not a number opening the sentence (`11.6 million`).
    (sentence[..label]
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit())
        && sentence[..label].ends_with('.')
        && body.len() < rest.len()
        && !body.is_empty())
    .then_some(body)
}

/// How far a step's length ratio may stray from the paragraph's (natural log).
const MAX_RATIO_DEVIATION: f64 = 0.45;

fn letters(s: &str) -> f64 {
    s.chars().filter(|c| c.is_alphanumeric()).count() as f64 + 1.0
}

/// Whether the numbers of two pieces agree (every number of each side has a value on the other).
fn numbers_agree(a: &str, b: &str) -> bool {
    let fa = Features::of_text(a);
    let fb = Features::of_text(b);
    let covered = |x: &Features, y: &Features| {
        x.numbers.iter().all(|n| {
            y.numbers
                .iter()
                .any(|m| n.values.iter().any(|v| m.values.contains(v)))
        })
    };
    covered(&fa, &fb) && covered(&fb, &fa)
}

/// The sentence pairs of a paragraph pair, when its sentences align cleanly (None otherwise, or
/// when either side is one sentence: the paragraph pair says it all).
pub fn align(source: &str, target: &str) -> Option<Vec<SentencePair>> {
    let pairs = steps(source, target)?;
    pairs
        .iter()
        .all(|p| numbers_agree(&p.source, &p.target))
        .then_some(pairs)
}

/// The sentence pairs of a paragraph pair flagged `diverging` that pair up: its sentences must
/// align in proportion as in [`align`], and the steps whose numbers disagree are left out (a
/// changed figure in one sentence does not spoil the others). None when nothing is left.
pub fn align_agreeing(source: &str, target: &str) -> Option<Vec<SentencePair>> {
    let pairs: Vec<SentencePair> = steps(source, target)?
        .into_iter()
        .filter(|p| numbers_agree(&p.source, &p.target))
        .collect();
    (!pairs.is_empty()).then_some(pairs)
}

/// The steps of the sentence alignment of a paragraph pair, numbers unchecked.
fn steps(source: &str, target: &str) -> Option<Vec<SentencePair>> {
    let mut s = split(source);
    let mut t = split(target);
    if s.len() < 2 || t.len() < 2 {
        return None;
    }
    // The paragraph's number belongs to the paragraph, not to its first sentence.
    if let (Some(a), Some(b)) = (unlabel(s[0]), unlabel(t[0])) {
        s[0] = a;
        t[0] = b;
    }
    let mu = (letters(target) / letters(source)).ln();
    let cost = |a: &[&str], b: &[&str]| -> f64 {
        let la: f64 = a.iter().map(|x| letters(x)).sum();
        let lb: f64 = b.iter().map(|x| letters(x)).sum();
        ((lb / la).ln() - mu).abs()
    };
    // Dynamic programme over steps 1-1, 1-2, 2-1 (a step of several sentences costs a little
    // more, so that equal counts prefer one-to-one).
    let (n, m) = (s.len(), t.len());
    let inf = f64::INFINITY;
    let mut best = vec![vec![inf; m + 1]; n + 1];
    let mut back = vec![vec![(0usize, 0usize); m + 1]; n + 1];
    best[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if best[i][j] == inf {
                continue;
            }
            for &(di, dj, extra) in &[(1, 1, 0.0), (1, 2, 0.15), (2, 1, 0.15)] {
                let (ni, nj) = (i + di, j + dj);
                if ni > n || nj > m {
                    continue;
                }
                let c = cost(&s[i..ni], &t[j..nj]);
                if c > MAX_RATIO_DEVIATION {
                    continue;
                }
                let total = best[i][j] + c + extra;
                if total < best[ni][nj] {
                    best[ni][nj] = total;
                    back[ni][nj] = (i, j);
                }
            }
        }
    }
    if best[n][m] == inf {
        return None;
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (pi, pj) = back[i][j];
        steps.push((pi..i, pj..j));
        (i, j) = (pi, pj);
    }
    steps.reverse();
    let pairs: Vec<SentencePair> = steps
        .into_iter()
        .map(|(a, b)| SentencePair {
            source: s[a].join(" "),
            target: t[b].join(" "),
        })
        .collect();
    (pairs.len() >= 2).then_some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_initials_and_labels_do_not_end_sentences() {
        assert_eq!(
            split("1.            Mr. Berger met Dr. Ilyenko on 12 March. They talked, e.g. about fares. J. Smith left."),
            vec![
                "1.            Mr. Berger met Dr. Ilyenko on 12 March.",
                "They talked, e.g. about fares.",
                "J. Smith left."
            ]
        );
        assert_eq!(
            split("El Sr. Berger y la Dra. Ilyenko hablaron. Luego se fueron."),
            vec![
                "El Sr. Berger y la Dra. Ilyenko hablaron.",
                "Luego se fueron."
            ]
        );
        assert_eq!(
            split("Это касается тарифов, т. е. цен. В 2024 г. Совет решил иначе. Конец."),
            vec![
                "Это касается тарифов, т. е. цен.",
                "В 2024 г. Совет решил иначе.",
                "Конец."
            ]
        );
        assert_eq!(split("Why? Because!"), vec!["Why?", "Because!"]);
    }

    #[test]
    fn the_label_is_not_part_of_the_first_sentence() {
        let p = "5.   The port stopped. About 1,250 dockers joined.";
        assert_eq!(
            query_sentences(p),
            ["The port stopped.", "About 1,250 dockers joined."]
        );
        assert_eq!(label_prefix(p), "5.   ");
        assert_eq!(label_prefix("The port stopped."), "");
        assert_eq!(
            query_sentences("11.6 million passengers."),
            ["11.6 million passengers."]
        );
    }

    #[test]
    fn clean_pairs_align_and_mismatched_numbers_do_not() {
        let en =
            "The port stopped on 11 March. About 1,250 dockers joined. It is the largest strike.";
        let es = "El puerto se paró el 11 de marzo. Unos 1.250 estibadores se sumaron. Es la mayor huelga.";
        let pairs = align(&format!("1.   {en}"), &format!("1.   {es}")).unwrap();
        assert_eq!(pairs[0].source, "The port stopped on 11 March.");
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[1].source, "About 1,250 dockers joined.");
        assert_eq!(pairs[1].target, "Unos 1.250 estibadores se sumaron.");
        let bad = "El puerto se paró el 12 de marzo. Unos 1.250 estibadores se sumaron. Es la mayor huelga.";
        assert_eq!(align(en, bad), None);
        // Diverging: the two sentences whose numbers agree are kept.
        let kept = align_agreeing(en, bad).unwrap();
        assert_eq!(
            kept.iter().map(|p| p.target.as_str()).collect::<Vec<_>>(),
            ["Unos 1.250 estibadores se sumaron.", "Es la mayor huelga."]
        );
        assert_eq!(align("One sentence.", "Una frase."), None);
    }
}
