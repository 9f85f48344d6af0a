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

/// The length in bytes of the placeable that starts `s`, if one does.
///
/// printf (`%s`, `%-5.2f`, `%1$s`, `%(name)s`, `%lld`, `%@`), Qt (`%1`), .NET and ICU (`{0}`,
/// `{count}`, `{0:N2}`), shell and template (`${name}`, `$name$`), markup tags (`<b>`,
/// `</a>`, `<br/>`) and entities (`&amp;`, `&#160;`). `%%` and a `%` before a space are no
/// placeables (`64% of`).
pub(super) fn placeable_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let first = *b.first()?;
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    match first {
        b'%' => {
            let mut i = 1;
            if b.get(i) == Some(&b'(') {
                let close = s[i..].find(')')? + i;
                if close == i + 1 || !b[i + 1..close].iter().all(|&c| ident(c)) {
                    return None;
                }
                i = close + 1;
            } else {
                let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                if digits > 0 && b.get(i + digits) == Some(&b'$') {
                    i += digits + 1;
                } else if digits > 0
                    && !b
                        .get(i + digits)
                        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'.')
                {
                    // Qt's %1
                    return Some(i + digits);
                }
            }
            i += b[i..]
                .iter()
                .take_while(|c| matches!(c, b'-' | b'+' | b'#' | b'0'))
                .count();
            i += b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if b.get(i) == Some(&b'.') {
                i += 1 + b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            }
            i += b[i..]
                .iter()
                .take_while(|c| matches!(c, b'h' | b'l' | b'z' | b'j' | b't' | b'L' | b'q'))
                .count()
                .min(2);
            let conv = *b.get(i)?;
            matches!(
                conv,
                b's' | b'd'
                    | b'i'
                    | b'u'
                    | b'f'
                    | b'F'
                    | b'e'
                    | b'E'
                    | b'g'
                    | b'G'
                    | b'x'
                    | b'X'
                    | b'o'
                    | b'c'
                    | b'p'
                    | b'@'
            )
            .then_some(i + 1)
            // `%son` is no placeable: a conversion letter ends a word
            .filter(|&n| !b.get(n).is_some_and(|&c| c.is_ascii_alphabetic()))
        }
        b'{' => {
            let close = s.find('}')?;
            let inner = &b[1..close];
            (close <= 40
                && inner.first().is_none_or(|&c| ident(c))
                && inner
                    .iter()
                    .all(|&c| ident(c) || matches!(c, b':' | b'.' | b',' | b'#' | b'-' | b' ')))
            .then_some(close + 1)
        }
        b'$' => {
            if b.get(1) == Some(&b'{') {
                let close = s.find('}')?;
                (close > 2 && close <= 40 && b[2..close].iter().all(|&c| ident(c) || c == b'.'))
                    .then_some(close + 1)
            } else {
                None
            }
        }
        b'<' => {
            let close = s.find('>')?;
            let inner = &s[1..close];
            let name = inner.trim_start_matches('/');
            (close <= 80
                && name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
                && !inner.contains('<'))
            .then_some(close + 1)
        }
        b'&' => {
            let close = s.find(';')?;
            let inner = &b[1..close];
            (close <= 10
                && !inner.is_empty()
                && (inner.iter().all(u8::is_ascii_alphanumeric)
                    || (inner[0] == b'#'
                        && inner.len() > 1
                        && inner[1..].iter().all(u8::is_ascii_alphanumeric))))
            .then_some(close + 1)
        }
        _ => None,
    }
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
            if let Some(n) = placeable_len(&norm[i..]) {
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
            assert_eq!(placeable_len(p), Some(p.len()), "{p}");
        }
        for p in ["%%", "% of", "%son", "{ x", "<3", "& co", "$5"] {
            assert_ne!(placeable_len(p), Some(p.len()), "{p}");
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
