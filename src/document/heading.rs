//! Numbered headings and captions read from the words around a number near a paragraph's
//! start, in any script: `Article 5`, `5 бап`, `제 10 조`, `Kifungu cha 10.`, `第十一条`,
//! `Глава первая`, `Erster Teil`, `פרק י״א`, `表4.3`, `Table 3.2.`.
//!
//! [`numbered`] finds the number and its frame (the words before and the word after); `label.rs`
//! decides which frames are headings: a frame that repeats around different numbers in the
//! same document is one, whatever its words. Works on normalised text only; knows no document.

use unicode_normalization::char::is_combining_mark;

use super::numerals::{cjk_value, digit_value, is_cjk_numeral, letter_number, word_number};

/// What class of characters a piece of the opening is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Decimal digits of any script, with the dots between them (`12.5.2`).
    Digits,
    /// CJK numerals (`十一`).
    Cjk,
    /// Anything else: words, punctuation.
    Word,
}

#[derive(Debug, Clone, Copy)]
struct Piece {
    class: Class,
    start: usize,
    end: usize,
}

/// How far into a paragraph a heading's number is looked for (characters).
const OPENING_CHARS: usize = 80;
/// At most this many pieces stand before the number.
const MAX_BEFORE: usize = 3;

/// The opening of normalised text cut into pieces: at spaces, and between digits, CJK numerals
/// and other characters (`表4.3` is `表` and `4.3`; `Art.5` is `Art.` and `5`).
fn pieces(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut cur: Option<(Class, usize)> = None;
    let mut end = 0;
    let mut it = s.char_indices().take(OPENING_CHARS).peekable();
    while let Some((i, c)) = it.next() {
        end = i + c.len_utf8();
        if c == ' ' {
            if let Some((class, start)) = cur.take() {
                out.push(Piece {
                    class,
                    start,
                    end: i,
                });
            }
            continue;
        }
        let next_digit = it.peek().is_some_and(|&(_, n)| digit_value(n).is_some());
        let class = if digit_value(c).is_some()
            || (c == '.' && next_digit && matches!(cur, Some((Class::Digits, _))))
        {
            Class::Digits
        } else if is_cjk_numeral(c) {
            Class::Cjk
        } else {
            Class::Word
        };
        match cur {
            Some((k, _)) if k == class => {}
            Some((k, start)) => {
                out.push(Piece {
                    class: k,
                    start,
                    end: i,
                });
                cur = Some((class, i));
            }
            None => cur = Some((class, i)),
        }
    }
    if let Some((class, start)) = cur {
        out.push(Piece { class, start, end });
    }
    out
}

/// A number near the start of a paragraph and the words framing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Numbered {
    /// The number's components (`[12, 5, 2]` for `12.5.2`).
    pub own: Vec<u32>,
    /// The words before it, folded (`article`, `kifungu cha`, `第`, `제`); empty when the
    /// number opens the text.
    pub prefix: String,
    /// The word after it, folded (`조`, `бап`, `条`, `teil`), if any.
    pub suffix: String,
    /// Byte end of the number.
    pub end: usize,
    /// Byte end of the word after it.
    pub suffix_end: usize,
    /// The number ends the text or a separator follows it (`.`, `:`, `)`, a dash).
    pub closed: bool,
    /// The prefix is one word of letters only that does not open with a small letter
    /// (`Article`, `अनुच्छेद`), as a heading's word is written.
    pub capital: bool,
    /// The prefix is written against the number with no space (`表4.3`, `第十一条`).
    pub attached: bool,
    /// Written in words, letters or CJK numerals rather than digits.
    pub spelled: bool,
    /// How many words the text has in all.
    pub words: usize,
}

impl Numbered {
    /// The frame as a key: the words before, `#`, the word after.
    pub fn key(&self, with_suffix: bool) -> String {
        if with_suffix {
            format!("{} # {}", self.prefix, self.suffix)
        } else {
            format!("{} #", self.prefix)
        }
    }
}

fn fold(s: &str) -> String {
    s.trim_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .flat_map(char::to_lowercase)
        .collect()
}

/// Dotted digits (`12`, `3.2`, `12.5.2`) as components; None for what is no label's number
/// (more than four digits in a part, a version's `.0`).
fn dotted(s: &str) -> Option<Vec<u32>> {
    let mut own = Vec::new();
    for part in s.split('.') {
        if part.is_empty() || part.chars().count() > 4 {
            return None;
        }
        own.push(
            part.chars()
                .try_fold(0u32, |a, c| Some(a * 10 + digit_value(c)?))?,
        );
    }
    if own.len() > 6 || own[1..].contains(&0) {
        return None;
    }
    Some(own)
}

/// A roman numeral in capitals (`IV`, `XII`).
fn roman(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 8 || !s.chars().all(|c| "IVXLCDM".contains(c)) {
        return None;
    }
    super::numerals::roman_value(s)
}

/// The number near the start of normalised text and its frame, if there is one.
pub(super) fn numbered(s: &str) -> Option<Numbered> {
    numbered_as(s, true)
}

/// [`numbered`], reading numbers in words and letters only when `spelled` (a long paragraph's
/// caption has digits: the tables are not even loaded for it).
pub(super) fn numbered_as(s: &str, spelled: bool) -> Option<Numbered> {
    let ps = pieces(s);
    for idx in 0..ps.len().min(MAX_BEFORE + 1) {
        // `?`: a piece of digits that is no number ends the search.
        let Some((own, next, spelled_number)) = number_at(s, &ps, idx, spelled)? else {
            continue;
        };
        let before = &ps[..idx];
        if !before
            .iter()
            .all(|q| q.class == Class::Word && s[q.start..q.end].chars().any(char::is_alphabetic))
        {
            return None;
        }
        return Some(frame(s, &ps, idx, next, own, spelled_number));
    }
    None
}

/// A number found: its components, the index of the piece after it, and whether it is spelled.
type Found = (Vec<u32>, usize, bool);

/// The number that piece `idx` starts: its components, the index of the piece after it, and
/// whether it is spelled (in words, letters or CJK numerals). `None` when the pieces of digits
/// there are no number at all (the search ends), `Some(None)` when the piece starts none.
fn number_at(s: &str, ps: &[Piece], idx: usize, spelled: bool) -> Option<Option<Found>> {
    let p = ps[idx];
    let text = &s[p.start..p.end];
    Some(match p.class {
        Class::Digits => Some((dotted(text)?, idx + 1, false)),
        Class::Cjk => match cjk_value(text) {
            Some(v) if (1..10_000).contains(&v) => Some((vec![v as u32], idx + 1, true)),
            _ => None,
        },
        Class::Word if !spelled => None,
        Class::Word => {
            let bare = text.trim_end_matches(['.', ':', ')', ',']);
            let after = &s[p.end..];
            // A keraia typed as an accent comes apart in NFKC (`α´` is `α ́`).
            let mark_next = ps.get(idx + 1).is_some_and(|q| {
                s[q.start..q.end]
                    .chars()
                    .all(|c| c == '\u{301}' || c == '\u{2b9}' || c == '\'')
            });
            let closed_here =
                text.len() > bare.len() || after.is_empty() || after.starts_with(" —");
            if let Some(v) = roman(bare).filter(|_| closed_here || idx > 0) {
                Some((vec![v], idx + 1, false))
            } else if let Some(v) = letter_number(bare, mark_next).filter(|_| {
                closed_here
                    || mark_next
                    || bare.chars().count() == 1
                    || bare.contains(['׳', '״', 'ʹ'])
            }) {
                Some((vec![v], idx + 1 + usize::from(mark_next), true))
            } else {
                // Words spelled out, over the whole words that follow.
                let words: Vec<&str> = ps[idx..]
                    .iter()
                    .take_while(|q| q.class == Class::Word)
                    .map(|q| &s[q.start..q.end])
                    .collect();
                word_number(&words).map(|(v, n)| (vec![v], idx + n, true))
            }
        }
    })
}

/// The frame of the number `own` found at piece `idx` (the words before it, the word after
/// it, whether a separator closes it), ending before piece `next`.
fn frame(s: &str, ps: &[Piece], idx: usize, next: usize, own: Vec<u32>, spelled: bool) -> Numbered {
    let (p, before) = (ps[idx], &ps[..idx]);
    let end = ps[next - 1].end;
    let rest = s[end..].trim_start();
    // A separator closes the number when a space or the end follows it (`5 —`, `5.`,
    // but not `0-2` or `5.x`).
    let sep_then_space = rest
        .strip_prefix(['.', ':', ')', '-', '–', '—', '|'])
        .is_some_and(|r| r.is_empty() || r.starts_with(' '));
    let closed = rest.is_empty() || s[..end].ends_with(['.', ':', ')']) || sep_then_space;
    let (suffix, suffix_end) = match ps.get(next) {
        Some(q) if q.class == Class::Word => {
            let f = fold(&s[q.start..q.end]);
            if f.is_empty() {
                (String::new(), end)
            } else {
                (f, q.end)
            }
        }
        _ => (String::new(), end),
    };
    let prefix = before
        .iter()
        .map(|q| fold(&s[q.start..q.end]))
        .collect::<Vec<_>>()
        .join(" ");
    let capital = before.len() == 1
        && p.start > before[0].end
        && s[before[0].start..before[0].end]
            .chars()
            .all(|c| c.is_alphabetic() || is_combining_mark(c))
        && s[before[0].start..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && !c.is_lowercase());
    let attached = before.last().is_some_and(|q| q.end == p.start);
    Numbered {
        own,
        prefix,
        suffix,
        end,
        suffix_end,
        closed,
        capital,
        attached,
        spelled,
        words: s.split(' ').count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::normalize;

    fn frame(s: &str) -> Option<(Vec<u32>, String, String, bool)> {
        numbered(s).map(|n| (n.own, n.prefix, n.suffix, n.closed))
    }

    fn some(
        own: &[u32],
        prefix: &str,
        suffix: &str,
        closed: bool,
    ) -> Option<(Vec<u32>, String, String, bool)> {
        Some((own.to_vec(), prefix.into(), suffix.into(), closed))
    }

    #[test]
    fn frames_in_many_scripts() {
        assert_eq!(frame("Article 5"), some(&[5], "article", "", true));
        assert_eq!(frame("제 10 조 (목적)"), some(&[10], "제", "조", false));
        assert_eq!(frame("10 бап"), some(&[10], "", "бап", false));
        assert_eq!(
            frame("Kifungu cha 10."),
            some(&[10], "kifungu cha", "", true)
        );
        assert_eq!(frame("第十一条 总则"), some(&[11], "第", "条", false));
        assert_eq!(frame("第 9.3.4 节"), some(&[9, 3, 4], "第", "节", false));
        assert_eq!(frame("表4.3 …"), some(&[4, 3], "表", "", false));
        assert_eq!(
            frame("Table 3.2. The meaning"),
            some(&[3, 2], "table", "", true)
        );
        assert_eq!(frame("Глава первая"), some(&[1], "глава", "", true));
        assert_eq!(frame("Erster Teil"), some(&[1], "", "teil", false));
        assert_eq!(frame("Chapter One"), some(&[1], "chapter", "", true));
        assert_eq!(frame("بیست و یک"), some(&[21], "", "", true));
        assert_eq!(frame("פרק י״א"), some(&[11], "פרק", "", true));
        assert_eq!(frame("Κεφάλαιο ιαʹ"), some(&[11], "κεφάλαιο", "", true));
        assert_eq!(
            frame(&normalize("Κεφάλαιο ια´")),
            some(&[11], "κεφάλαιο", "", true)
        );
        assert_eq!(frame("Chapter XII."), some(&[12], "chapter", "", true));
        assert_eq!(
            frame("Section 12.5.2"),
            some(&[12, 5, 2], "section", "", true)
        );
        assert_eq!(frame("The 1.0 source package"), None);
        assert_eq!(
            frame("Linux 2.4 NAT HOWTO"),
            some(&[2, 4], "linux", "nat", false)
        );
        assert_eq!(frame("In the year 12345"), None);
        assert_eq!(
            frame("ファイルデスクリプタの 0-2 は"),
            some(&[0], "ファイルデスクリプタの", "", false)
        );
        assert!(!numbered("以上で、date(1) プログラム").unwrap().capital);
    }
}
