//! A long text with nothing unique to anchor on (no labels, every number repeated: the same
//! text twice) is aligned window by window, and every pair comes out right.

use paralign::align::{align, Flag, Options};
use paralign::document::{Document, Format};
use paralign::language::LangTag;

const SYLLABLES: [&str; 16] = [
    "ka", "lo", "mer", "sti", "na", "ve", "dor", "pu", "ri", "san", "te", "bo", "gal", "fi", "u",
    "zen",
];

/// A deterministic paragraph of pseudo-words, with a number in every third one.
fn paragraph(k: usize, state: &mut u64) -> String {
    let mut next = || {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 33) as usize
    };
    let words = 6 + next() % 30;
    let mut out: Vec<String> = (0..words)
        .map(|_| {
            (0..1 + next() % 3)
                .map(|_| SYLLABLES[next() % 16])
                .collect()
        })
        .collect();
    if k % 3 == 0 {
        out.push(format!("{}", 100 + next() % 900));
    }
    let mut s = out.join(" ");
    s.push('.');
    s
}

/// The "translation" of a paragraph: every word spelled backwards (another length where it
/// has three letters), numbers kept.
fn translate(p: &str) -> String {
    p.trim_end_matches('.')
        .split(' ')
        .map(|w| {
            if w.chars().all(|c| c.is_ascii_digit()) {
                return w.to_string();
            }
            let mut t: String = w.chars().rev().collect();
            if w.len() % 3 == 0 {
                t.push_str("en");
            }
            t
        })
        .collect::<Vec<_>>()
        .join(" ")
        + "."
}

#[test]
fn a_text_repeated_with_no_unique_anchor_is_aligned_right_window_by_window() {
    const N: usize = 1100;
    const DROPPED: usize = 700;
    let mut state = 7;
    let source: Vec<String> = (0..N).map(|k| paragraph(k, &mut state)).collect();
    let target: Vec<String> = source
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != DROPPED)
        .map(|(_, p)| translate(p))
        .collect();
    // Two copies: every number and every paragraph occurs twice on each side.
    let twice = |ps: &[String]| {
        let one = ps.join("\n\n");
        format!("{one}\n\n{one}\n")
    };
    let s = Document::parse("doc.en.txt", &twice(&source), Format::Text);
    let t = Document::parse("doc.es.txt", &twice(&target), Format::Text);
    assert_eq!((s.paragraphs.len(), t.paragraphs.len()), (2 * N, 2 * N - 2));
    let opts = Options {
        source_lang: LangTag::parse("en").ok(),
        target_lang: LangTag::parse("es").ok(),
        ..Options::default()
    };
    let a = align(&s, &t, &opts);
    // The target paragraph that translates source paragraph `i`.
    let expected = |i: usize| {
        let (copy, k) = (i / N, i % N);
        copy * (N - 1) + k - usize::from(k > DROPPED)
    };
    let mut missing = Vec::new();
    for p in &a.pairs {
        match (p.source.as_slice(), p.target.as_slice()) {
            (&[i], &[j]) => assert_eq!(j, expected(i), "source paragraph {i}"),
            (&[i], &[]) => missing.push(i),
            other => panic!("unexpected pair {other:?}"),
        }
    }
    assert_eq!(missing, [DROPPED, N + DROPPED]);
    let flagged_missing = a
        .pairs
        .iter()
        .filter(|p| p.flags.contains(&Flag::Missing))
        .count();
    assert_eq!(flagged_missing, 2);
}
