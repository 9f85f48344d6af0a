//! The tokens the match percentage is computed on: words, numbers, *placeables* (placeholders
//! such as `%s`, `%1$d`, `%(name)s`, `{0}`, `{name}`, `${name}`, `%1`, markup tags such as
//! `<b>` and `</a>`, and character entities such as `&amp;`) and punctuation marks, and the
//! accent folding of words. Pure: no SQL, no printing.

use unicode_normalization::UnicodeNormalization;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Letters (and joiners): compared as words.
    Word,
    /// Digits with inner separators (`1,250`, `11.6`).
    Number,
    /// A placeholder, a tag or an entity: kept whole, compared as written.
    Placeable,
    /// Any other mark, one character.
    Punct,
}

/// One token of normalised text: its kind and byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Cut normalised text into words, numbers, placeables and punctuation marks.
pub(super) fn tokenize(norm: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut it = norm.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if matches!(c, '%' | '{' | '$' | '<' | '&') {
            if let Some(n) = crate::text::placeable_len(&norm[i..]) {
                while it.peek().is_some_and(|&(j, _)| j < i + n) {
                    it.next();
                }
                out.push(Token {
                    kind: Kind::Placeable,
                    start: i,
                    end: i + n,
                });
                continue;
            }
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

/// A lower-cased word with the accents of Latin letters taken off (`é` → `e`, `Ñ` → `n`) and
/// `ё` read as `е`, as CAT tools count an accent change: a small penalty, not a changed word.
/// Other scripts keep their marks (a Devanagari vowel sign or Cyrillic `й` makes another word).
pub(super) fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        let latin = matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF);
        if c == 'ё' {
            out.push('е');
        } else if latin {
            let mut d = std::iter::once(c).nfd();
            match d.next() {
                Some(base)
                    if base.is_ascii_alphabetic()
                        && d.all(|m| matches!(m as u32, 0x300..=0x36F)) =>
                {
                    out.push(base)
                }
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn placeables_are_whole_tokens() {
        for p in [
            "%s", "%d", "%1$s", "%(name)s", "%-5.2f", "%lld", "%1", "{0}", "{name}", "{0:N2}",
            "${user}", "<b>", "</a>", "<br/>", "&amp;", "&#160;", "%@",
        ] {
            assert_eq!(crate::text::placeable_len(p), Some(p.len()), "{p}");
        }
        for p in ["%%", "% of", "%son", "{ x", "<3", "& co", "$5"] {
            assert_ne!(crate::text::placeable_len(p), Some(p.len()), "{p}");
        }
        use Kind::*;
        assert_eq!(
            kinds("Delete %d files from <b>{dir}</b>? 64% of 1,250."),
            [
                (Word, "Delete"),
                (Placeable, "%d"),
                (Word, "files"),
                (Word, "from"),
                (Placeable, "<b>"),
                (Placeable, "{dir}"),
                (Placeable, "</b>"),
                (Punct, "?"),
                (Number, "64"),
                (Punct, "%"),
                (Word, "of"),
                (Number, "1,250"),
                (Punct, ".")
            ]
        );
    }

    #[test]
    fn accents_fold_in_latin_only() {
        assert_eq!(fold("Élève"), "eleve");
        assert_eq!(fold("año"), "ano");
        assert_eq!(fold("Ёлка"), "елка");
        assert_eq!(fold("мой"), "мой");
        assert_eq!(fold("हिंदी"), "हिंदी");
    }
}
