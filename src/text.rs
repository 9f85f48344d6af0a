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

/// A placeholder of a program's message, standing for text filled in at run time: printf's
/// `%s`, `%d`, `%1$s`, `%-5.2f`, `%(name)s`, `%@`; `{0}`, `{name}`, `{{var}}`; `${x}`, `$x$`.
pub fn is_placeholder(w: &str) -> bool {
    let b = w.as_bytes();
    if let Some(spec) = w.strip_prefix('%') {
        // %[(name)][index$][flags][width][.precision][length]conversion
        let spec = match spec.strip_prefix('(') {
            Some(rest) => match rest.find(')') {
                Some(end) => &rest[end + 1..],
                None => return false,
            },
            None => spec,
        };
        let body = spec.trim_start_matches(|c: char| {
            c.is_ascii_digit() || matches!(c, '$' | '-' | '+' | ' ' | '#' | '0' | '.' | '*' | '\'')
        });
        let body = body.trim_start_matches(['h', 'l', 'L', 'q', 'j', 'z', 't']);
        return body.len() == 1 && body.chars().all(|c| "diouxXeEfFgGaAcspn@".contains(c));
    }
    let inner = |open: &str, close: &str| {
        w.strip_prefix(open)
            .and_then(|r| r.strip_suffix(close))
            .is_some_and(|name| {
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | ':' | ' '))
            })
    };
    b.len() >= 3 && (inner("{{", "}}") || inner("${", "}") || inner("{", "}") || inner("$", "$"))
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
        for w in [
            "%", "100%", "%zz", "{}", "{ }x", "a{0}", "$5", "word", "%(x",
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
