//! Paragraph numbers (labels): `1.`, `1)`, `(1)`, `§ 1`, `1.2.`, roman `IV.`, and short
//! headings that name a number in any language (`Article 5`, `Статья 5`, `第五条`).
//!
//! Numbering that restarts under numbered headings is nested: the label is the path (`2.1`).
//! Gaps and duplicates in the numbering are reported. Works on normalised text only.

use serde::Serialize;

use super::heading::{numbered, numbered_as, Numbered};
use super::numerals::{cjk_value, digit_value, is_cjk_numeral, roman_value};
use super::{BlockKind, Paragraph};

/// What kind of number a label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelKind {
    /// A number that opens a paragraph of running text (`1.`, `(2)`, `§ 3`).
    Item,
    /// A short heading that names a number (`Article 5`, `IV.`, `## 2. Definitions`).
    Heading,
    /// A caption that opens a longer paragraph, learned from the document (`Table 3.2. The
    /// meaning of ...`, `表4.3 ...`).
    Caption,
    /// A footnote's marker (`[1] ...`).
    Footnote,
}

/// A paragraph's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The full path, nested under numbered headings where numbering restarts (`2.1`).
    pub path: String,
    /// The number as written (`1.`, `IV.`, `Artículo 5`).
    pub raw: String,
    /// The paragraph's own number components (`[1, 2]` for `1.2.`).
    pub own: Vec<u32>,
    /// Heading or item.
    pub kind: LabelKind,
    /// The frame of a learned heading or caption (`article #`, `제 # 조`), empty for the fixed
    /// forms: numbering runs within one frame.
    #[serde(skip)]
    pub series: String,
    /// The number is the renderer's, not the author's: a Markdown list written `1.` `1.`
    /// `1.` (`raw` keeps what was written).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rendered: bool,
}

/// Give a paragraph the number its list gave it (Markdown's ordered lists).
pub(crate) fn set_list_number(p: &mut Paragraph, n: super::markdown::ListNumber) {
    let end = if p.norm.starts_with(&n.raw) {
        n.raw.len()
    } else {
        0
    };
    p.body_start = skip_separators(&p.norm, end);
    p.label = Some(Label {
        path: join(&n.own),
        raw: n.raw,
        own: n.own,
        kind: LabelKind::Item,
        series: String::new(),
        rendered: n.rendered,
    });
}

/// A gap or duplicate in a document's numbering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberingIssue {
    /// The paragraph where it shows.
    pub index: usize,
    /// Its label path.
    pub label: String,
    /// What is wrong.
    #[serde(flatten)]
    pub kind: NumberingIssueKind,
}

/// What is wrong with the numbering at a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "issue", rename_all = "lowercase")]
pub enum NumberingIssueKind {
    /// The number skips: `expected` was due.
    Gap {
        /// The number that was due.
        expected: String,
    },
    /// The same label stands earlier at paragraph `first`.
    Duplicate {
        /// The earlier paragraph with this label.
        first: usize,
    },
}

/// Find the label of every paragraph, nest where numbering restarts under headings, and return
/// the numbering's gaps and duplicates.
pub(crate) fn assign(paragraphs: &mut [Paragraph]) -> Vec<NumberingIssue> {
    let mut framed: Vec<Option<Numbered>> = vec![None; paragraphs.len()];
    for (k, p) in paragraphs.iter_mut().enumerate() {
        if p.kind == BlockKind::Code || p.kind == BlockKind::Separator || p.label.is_some() {
            continue;
        }
        if let Some((label, body_start)) = fixed(&p.norm, p.kind) {
            p.label = Some(label);
            p.body_start = body_start;
            continue;
        }
        let short = short(&p.norm) || p.kind == BlockKind::Heading;
        framed[k] = numbered_as(&p.norm, short).filter(|n| eligible(n, short, p.kind));
    }
    learn(paragraphs, &framed);
    for (k, p) in paragraphs.iter_mut().enumerate() {
        if p.label.is_some() || framed[k].is_none() {
            continue;
        }
        if let Some((label, body_start)) = prior(&p.norm, p.kind) {
            p.label = Some(label);
            p.body_start = body_start;
        }
    }
    nest(paragraphs);
    issues(paragraphs)
}

fn short(norm: &str) -> bool {
    norm.split(' ').count() <= 12 && norm.chars().count() <= 100
}

/// Whether a framed number may be a heading's or a caption's: in a short paragraph or a
/// heading; in a longer one only as a caption (`Table 3.2.`, `表4.3`: one or two words
/// before it, then a separator or written against it).
fn eligible(n: &Numbered, short: bool, kind: BlockKind) -> bool {
    if short || kind == BlockKind::Heading {
        return true;
    }
    let before = if n.prefix.is_empty() {
        0
    } else {
        n.prefix.split(' ').count()
    };
    (1..=2).contains(&before) && (n.closed || n.attached) && !n.spelled
}

/// A frame is a heading's when it stands around this many different numbers or more.
const FRAME_MIN_NUMBERS: usize = 3;
/// A frame with no word before the number (`5 бап`) needs this many.
const BARE_FRAME_MIN_NUMBERS: usize = 3;
/// At least this share (numerator, denominator) of a frame's steps through the document go up.
const FRAME_MIN_RISING_OF: (usize, usize) = (3, 4);

/// Frames that repeat around different numbers are headings or captions: label them.
fn learn(paragraphs: &mut [Paragraph], framed: &[Option<Numbered>]) {
    use std::collections::{HashMap, HashSet};
    /// A frame's different numbers, and its numbers in document order.
    type Seen<'a> = (HashSet<&'a [u32]>, Vec<&'a [u32]>);
    let mut numbers: HashMap<String, Seen> = HashMap::new();
    for n in framed.iter().flatten() {
        for with_suffix in [false, true] {
            if (with_suffix && n.suffix.is_empty()) || (!with_suffix && n.prefix.is_empty()) {
                continue;
            }
            let e = numbers.entry(n.key(with_suffix)).or_default();
            e.0.insert(&n.own);
            e.1.push(&n.own);
        }
    }
    let learned = |key: &str, bare: bool| {
        let need = if bare {
            BARE_FRAME_MIN_NUMBERS
        } else {
            FRAME_MIN_NUMBERS
        };
        numbers.get(key).is_some_and(|(distinct, seq)| {
            // Headings and captions count up through a document; cross-references
            // (`see Section 9.3.4`) and sentences that open with a number do not.
            let steps = seq.len() - 1;
            let up = seq.windows(2).filter(|w| w[1] > w[0]).count();
            distinct.len() >= need && up * FRAME_MIN_RISING_OF.1 >= steps * FRAME_MIN_RISING_OF.0
        })
    };
    let chosen: Vec<Option<(String, usize)>> = framed
        .iter()
        .map(|n| {
            let n = n.as_ref()?;
            let bare = n.prefix.is_empty();
            if !n.suffix.is_empty() && learned(&n.key(true), bare) {
                Some((n.key(true), n.suffix_end))
            } else if !bare && learned(&n.key(false), false) {
                Some((n.key(false), n.end))
            } else {
                None
            }
        })
        .collect();
    // A frame that opens a long paragraph anywhere, or numbers by chapter (`2.15`), is a
    // caption's (`Table 2.15. ...`, `表 2.15`), also where its text is short: captions do
    // not restart the numbering of items.
    let captions: HashSet<&str> = chosen
        .iter()
        .zip(paragraphs.iter().zip(framed))
        .filter_map(|(c, (p, n))| {
            let (key, _) = c.as_ref()?;
            let long = !short(&p.norm) && p.kind != BlockKind::Heading;
            let dotted = n.as_ref().is_some_and(|n| n.own.len() > 1);
            (long || dotted).then_some(key.as_str())
        })
        .collect();
    let captions: HashSet<String> = captions.into_iter().map(str::to_string).collect();
    for ((p, n), c) in paragraphs.iter_mut().zip(framed).zip(chosen) {
        let (Some(n), Some((key, end))) = (n, c) else {
            continue;
        };
        let kind = if captions.contains(&key) {
            LabelKind::Caption
        } else {
            LabelKind::Heading
        };
        p.label = Some(Label {
            path: join(&n.own),
            raw: p.norm[..end].trim().to_string(),
            own: n.own.clone(),
            kind,
            series: key,
            rendered: false,
        });
        p.body_start = skip_separators(&p.norm, end);
    }
}

/// The fixed forms at the very start: `1.`, `(2)`, `§ 3`, `1.2.`, `IV.`, `[1]`.
fn fixed(norm: &str, kind: BlockKind) -> Option<(Label, usize)> {
    let (own, raw_end, roman) = leading_number(norm)?;
    let body_start = skip_separators(norm, raw_end);
    let kind = if norm.starts_with('[') {
        LabelKind::Footnote
    } else if kind == BlockKind::Heading || (roman && short(norm)) {
        LabelKind::Heading
    } else {
        LabelKind::Item
    };
    Some((
        Label {
            path: join(&own),
            raw: norm[..raw_end].trim().to_string(),
            own,
            kind,
            series: String::new(),
            rendered: false,
        },
        body_start,
    ))
}

/// A heading met once, known by its shape: a capitalised word and a number that ends the
/// text or is followed by a separator (`Article 5`, `Статья 5 —`, `Chapter IV`), or a CJK
/// ordinal heading (`第五条`).
fn prior(norm: &str, kind: BlockKind) -> Option<(Label, usize)> {
    if !(short(norm) || kind == BlockKind::Heading) {
        return None;
    }
    let (own, end): (Vec<u32>, usize) = match numbered(norm) {
        Some(n)
            if n.capital
                && n.closed
                && (2..=20).contains(&n.prefix.chars().count())
                && (!n.spelled || kind == BlockKind::Heading || n.words <= 3) =>
        {
            (n.own, n.end)
        }
        _ => {
            let (v, end) = cjk_number(norm)?;
            (vec![v], end)
        }
    };
    Some((
        Label {
            path: join(&own),
            raw: norm[..end].trim().to_string(),
            own,
            kind: LabelKind::Heading,
            series: String::new(),
            rendered: false,
        },
        skip_separators(norm, end),
    ))
}

fn join(own: &[u32]) -> String {
    own.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

/// Skip white space and the punctuation that separates a label from its text.
fn skip_separators(s: &str, mut at: usize) -> usize {
    for c in s[at..].chars() {
        if c.is_whitespace() || matches!(c, '.' | ':' | '-' | '–' | '—' | ')' | '|') {
            at += c.len_utf8();
        } else {
            break;
        }
    }
    at
}

/// A number at the very start: `1.`, `1)`, `(1)`, `§ 1`, `1.2.`, `1.2`, `IV.`, `(iv)`.
/// Returns the components, the byte end of the label, and whether it was roman.
fn leading_number(s: &str) -> Option<(Vec<u32>, usize, bool)> {
    let mut at = 0;
    let mut paren = false;
    if let Some(rest) = s.strip_prefix('§') {
        at = s.len() - rest.trim_start_matches('§').trim_start().len();
    } else if s.starts_with('(') || s.starts_with('[') {
        paren = true;
        at = 1;
    }
    let (comps, end, last_dot) = dotted_digits(s, at)?;
    if comps.is_empty() {
        return leading_roman(s, at, paren);
    }
    let after = &s[end..];
    if paren && !(after.starts_with(')') || after.starts_with(']')) {
        return None;
    }
    let end = if paren || after.starts_with(')') {
        end + 1
    } else {
        end
    };
    let after = &s[end..];
    let bounded = after.is_empty() || after.starts_with(' ');
    // A bare single number ("5 people") is no label; "5." "5)" "(5)" "§ 5" "1.2" are.
    let section = s.starts_with('§');
    let marked = section || paren || last_dot || comps.len() > 1 || s[..end].ends_with(')');
    // `1.0 source package`: a version, not a section (sections do not number from 0).
    if comps.len() > 1 && comps[1..].contains(&0) && !last_dot {
        return None;
    }
    (bounded && marked && comps.iter().all(|&v| v < 10_000)).then_some((comps, end, false))
}

/// Digits with dots between levels from byte `at` of `s`: the components (none when no digit
/// is there), the byte end, and whether a dot ends them. `None` for a level of five digits or
/// more (no label).
fn dotted_digits(s: &str, at: usize) -> Option<(Vec<u32>, usize, bool)> {
    let mut comps = Vec::new();
    let mut cur: Option<u32> = None;
    let mut digits = 0;
    let mut end = at;
    let mut last_dot = false;
    for (i, c) in s[at..].char_indices() {
        if let Some(d) = digit_value(c) {
            digits += 1;
            if digits > 4 {
                return None;
            }
            cur = Some(cur.unwrap_or(0) * 10 + d);
            end = at + i + c.len_utf8();
            last_dot = false;
        } else if c == '.' && cur.is_some() {
            comps.push(cur.take().unwrap_or(0));
            digits = 0;
            end = at + i + 1;
            last_dot = true;
        } else {
            break;
        }
    }
    comps.extend(cur);
    Some((comps, end, last_dot))
}

/// Roman numerals from byte `at`, followed by `.` or `)` (lower case only in parentheses).
fn leading_roman(s: &str, at: usize, paren: bool) -> Option<(Vec<u32>, usize, bool)> {
    let letters: String = s[at..].chars().take_while(|c| is_roman(*c)).collect();
    if letters.is_empty() || letters.len() > 8 {
        return None;
    }
    let upper = letters.chars().all(|c| c.is_ascii_uppercase());
    let lower = letters.chars().all(|c| c.is_ascii_lowercase());
    if !(upper || lower) || (lower && !paren) {
        return None;
    }
    let end = at + letters.len();
    let after = &s[end..];
    if !(after.starts_with('.') || after.starts_with(')')) {
        return None;
    }
    let end = end + 1;
    if !(s[end..].is_empty() || s[end..].starts_with(' ')) {
        return None;
    }
    roman_value(&letters.to_ascii_uppercase()).map(|v| (vec![v], end, true))
}

fn is_roman(c: char) -> bool {
    matches!(
        c,
        'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M' | 'i' | 'v' | 'x' | 'l' | 'c' | 'd' | 'm'
    )
}

/// CJK ordinal headings: `第五条`, `第5章`, `第十二節`, `第一百二十一条`.
fn cjk_number(s: &str) -> Option<(u32, usize)> {
    let rest = s.strip_prefix('第')?;
    let num: String = rest
        .chars()
        .take_while(|&c| digit_value(c).is_some() || is_cjk_numeral(c))
        .collect();
    if num.is_empty() {
        return None;
    }
    let after = &rest[num.len()..];
    let unit = after.chars().next()?;
    if !"条條章节節款部篇回编編卷項项".contains(unit) {
        return None;
    }
    let value = if num.chars().all(|c| digit_value(c).is_some()) {
        num.chars()
            .try_fold(0u32, |a, c| a.checked_mul(10)?.checked_add(digit_value(c)?))?
    } else {
        u32::try_from(cjk_value(&num)?).ok()?
    };
    Some((value, '第'.len_utf8() + num.len() + unit.len_utf8()))
}

/// Nest item numbers under numbered headings when item numbering restarts under them.
fn nest(paragraphs: &mut [Paragraph]) {
    let mut heading: Option<String> = None;
    let mut restarts = 0;
    let mut seen_item_in_section = false;
    for p in paragraphs.iter() {
        match &p.label {
            Some(l) if l.kind == LabelKind::Heading => {
                heading = Some(l.path.clone());
                seen_item_in_section = false;
            }
            Some(l) if l.kind == LabelKind::Item && l.own.len() == 1 && heading.is_some() => {
                if !seen_item_in_section && l.own[0] == 1 {
                    restarts += 1;
                }
                seen_item_in_section = true;
            }
            _ => {}
        }
    }
    if restarts < 2 {
        return;
    }
    let mut heading: Option<String> = None;
    for p in paragraphs.iter_mut() {
        match p.label.as_mut() {
            Some(l) if l.kind == LabelKind::Heading => heading = Some(l.path.clone()),
            Some(l) if l.kind == LabelKind::Item && l.own.len() == 1 => {
                if let Some(h) = &heading {
                    l.path = format!("{h}.{}", l.own[0]);
                }
            }
            _ => {}
        }
    }
}

/// Gaps and duplicates: each label is compared with the previous one of the same kind and
/// depth under the same parent.
fn issues(paragraphs: &[Paragraph]) -> Vec<NumberingIssue> {
    let mut out = Vec::new();
    type Key = (LabelKind, String, String);
    let mut seen: std::collections::HashMap<Key, usize> = Default::default();
    let mut last: std::collections::HashMap<Key, u32> = Default::default();
    for p in paragraphs {
        let Some(l) = &p.label else { continue };
        if let Some(&first) = seen.get(&(l.kind, l.series.clone(), l.path.clone())) {
            out.push(NumberingIssue {
                index: p.index,
                label: l.path.clone(),
                kind: NumberingIssueKind::Duplicate { first },
            });
            continue;
        }
        seen.insert((l.kind, l.series.clone(), l.path.clone()), p.index);
        let (parent, own) = match l.path.rsplit_once('.') {
            Some((a, b)) => (a.to_string(), b.parse::<u32>().unwrap_or(0)),
            None => (String::new(), l.own.last().copied().unwrap_or(0)),
        };
        let key = (l.kind, l.series.clone(), parent.clone());
        let expected = last
            .get(&key)
            .map(|v| v + 1)
            .unwrap_or(if parent.is_empty() { own } else { 1 });
        if own > expected && own != 0 {
            let expected = if parent.is_empty() {
                expected.to_string()
            } else {
                format!("{parent}.{expected}")
            };
            out.push(NumberingIssue {
                index: p.index,
                label: l.path.clone(),
                kind: NumberingIssueKind::Gap { expected },
            });
        }
        // The highest number so far: one paragraph moved back does not make every later one
        // look like a gap.
        let top = last.entry(key).or_insert(own);
        *top = (*top).max(own);
    }
    out
}

#[cfg(test)]
mod tests;
