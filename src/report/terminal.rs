//! Text bound for a terminal: characters that could drive it (C0 controls such as ESC, DEL, the
//! C1 controls such as CSI) are written as visible escapes (`\u001b`), so that a memory or a
//! file name holding them prints as text and cannot move the cursor, retitle the window or
//! hide a line. Pure functions; nothing here prints.

use std::borrow::Cow;

/// Whether a character must be escaped; `keep_newlines` lets line feeds through (multi-line
/// output), tabs always pass.
fn unsafe_char(c: char, keep_newlines: bool) -> bool {
    match c {
        '\t' => false,
        '\n' => !keep_newlines,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => true,
        _ => false,
    }
}

/// `s` with every control character but tab written `\u00XX` (line feeds too: the result is
/// one line). Borrowed when there is nothing to escape.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// As [`terminal_safe`], keeping line feeds.
pub fn terminal_safe_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| unsafe_char(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c, keep_newlines) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_drives_a_terminal() {
        assert_eq!(
            terminal_safe("a\u{1b}]0;pwned\u{7}b\u{9b}2J\tc\nd\r"),
            "a\\u001b]0;pwned\\u0007b\\u009b2J\tc\\u000ad\\u000d"
        );
        assert_eq!(terminal_safe_lines("x\ny\u{7f}"), "x\ny\\u007f");
        assert!(matches!(terminal_safe("plain é 𝄞"), Cow::Borrowed(_)));
    }
}
