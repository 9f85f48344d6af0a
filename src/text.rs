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

#[cfg(test)]
mod tests {
    use super::clean_controls;

    #[test]
    fn c1_controls_and_del_become_replacement_characters() {
        assert_eq!(
            clean_controls("a\u{85}b\u{9B}31mc\u{7F}".into()),
            "a\u{FFFD}b\u{FFFD}31mc\u{FFFD}"
        );
        assert_eq!(clean_controls("día\tüber\n".into()), "día\tüber\n");
    }
}
