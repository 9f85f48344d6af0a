//! Text helpers every reader shares: what is stored and printed is cleaned here once.
//!
//! A leaf module: it uses nothing of the crate.

/// Replace the C1 control characters (U+0080 to U+009F, which XML allows but which can drive a
/// terminal) and DEL by U+FFFD: text read from a file is stored clean.
pub fn clean_controls(s: String) -> String {
    if !s
        .chars()
        .any(|c| c == '\u{7F}' || ('\u{80}'..='\u{9F}').contains(&c))
    {
        return s;
    }
    s.chars()
        .map(|c| {
            if c == '\u{7F}' || ('\u{80}'..='\u{9F}').contains(&c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// The length in bytes of the placeable that starts `s`, if one does.
///
/// printf (`%s`, `%-5.2f`, `%1$s`, `%(name)s`, `%lld`, `%@`), Qt (`%1`), .NET and ICU (`{0}`,
/// `{count}`, `{0:N2}`), shell and template (`${name}`, `$name$`), markup tags (`<b>`,
/// `</a>`, `<br/>`) and entities (`&amp;`, `&#160;`). `%%` and a `%` before a space are no
/// placeables (`64% of`).
pub fn placeable_len(s: &str) -> Option<usize> {
    match *s.as_bytes().first()? {
        b'%' => printf_len(s.as_bytes()),
        b'{' if s.starts_with("{{") => {
            let close = s.find("}}")?;
            let inner = s[2..close].trim();
            (close <= 40
                && !inner.is_empty()
                && inner
                    .bytes()
                    .all(|c| ident(c) || matches!(c, b'.' | b'-' | b'|' | b' ')))
            .then_some(close + 2)
        }
        b'{' => {
            let close = s.find('}')?;
            let inner = &s.as_bytes()[1..close];
            (close <= 40
                && inner.first().is_none_or(|&c| ident(c))
                && inner
                    .iter()
                    .all(|&c| ident(c) || matches!(c, b':' | b'.' | b',' | b'#' | b'-' | b' ')))
            .then_some(close + 1)
        }
        b'$' => dollar_len(s),
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
            let inner = &s.as_bytes()[1..close];
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

/// A byte of an identifier.
fn ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The length of the printf or Qt placeable that starts `b` (at its `%`).
fn printf_len(b: &[u8]) -> Option<usize> {
    let mut i = 1;
    if b.get(i) == Some(&b'(') {
        let close = b[i..].iter().position(|&c| c == b')')? + i;
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
        .take_while(|c| matches!(c, b'-' | b'+' | b'#' | b'0' | b'\''))
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
    b"sdiufFeEgGxXocp@"
        .contains(b.get(i)?)
        .then_some(i + 1)
        // `%son` is no placeable: a conversion letter ends a word
        .filter(|&n| !b.get(n).is_some_and(|&c| c.is_ascii_alphabetic()))
}

/// The length of the `${name}` or `$name$` placeable that starts `s`.
fn dollar_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'{') {
        let close = s.find('}')?;
        (close > 2 && close <= 40 && b[2..close].iter().all(|&c| ident(c) || c == b'.'))
            .then_some(close + 1)
    } else {
        let close = s[1..].find('$')? + 1;
        (close > 1 && close <= 40 && b[1..close].iter().all(|&c| ident(c))).then_some(close + 1)
    }
}

/// A placeholder of a program's message, standing for text filled in at run time, or a tag
/// or an entity: the whole of `w` is one placeable ([`placeable_len`]).
pub fn is_placeholder(w: &str) -> bool {
    !w.is_empty() && placeable_len(w) == Some(w.len())
}

/// `one` or `many` by the count `n` (English: 1 is singular, 0 and the rest plural).
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A value rounded to four decimal places, for output that stays readable and stable.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The count and its noun: `1 segment`, `3 segments`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// A short excerpt of text for one line of output.
pub fn excerpt(text: &str, max: usize) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        t
    } else {
        let cut: String = t.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The columns a text takes on a terminal: two for a wide (Chinese, Japanese, Korean)
/// character, none for a combining mark.
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` and spaces after it up to `columns` terminal columns (as `{:<n}` would with one column a
/// character).
pub fn pad_right(s: &str, columns: usize) -> String {
    format!("{s}{}", " ".repeat(columns.saturating_sub(width(s))))
}

#[cfg(test)]
mod tests {
    use super::{clean_controls, is_placeholder, pad_right, width};

    #[test]
    fn placeholders_of_every_convention() {
        for p in [
            "%s", "%d", "%1$s", "%-5.2f", "%(name)s", "%@", "%ld", "{0}", "{name}", "{{var}}",
            "${x}", "$count$", "%'d",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        // Python's `{}` is a placeholder too.
        assert!(is_placeholder("{}"));
        for w in [
            "%", "100%", "%zz", "{ }x", "a{0}", "$5", "word", "%(x", "%%",
        ] {
            assert!(!is_placeholder(w), "{w}");
        }
    }

    #[test]
    fn c1_controls_and_del_become_replacement_characters() {
        assert_eq!(
            clean_controls("a\u{85}b\u{9B}31mc\u{7F}".into()),
            "a\u{FFFD}b\u{FFFD}31mc\u{FFFD}"
        );
        assert_eq!(clean_controls("día\tüber\n".into()), "día\tüber\n");
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("第5条"), 5);
        assert_eq!(width("é"), 1);
        assert_eq!(pad_right("第5条", 7), "第5条  ");
        assert_eq!(pad_right("abc", 2), "abc");
    }
}
