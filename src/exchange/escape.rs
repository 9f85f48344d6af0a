//! XML escaping for the writers: characters XML 1.0 forbids are replaced by U+FFFD and
//! counted, never written raw.

/// Escape text for XML content or a double-quoted attribute into `out`. Characters XML 1.0
/// forbids (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF) become U+FFFD;
/// returns how many. A carriage return is written `&#13;` (a parser would turn a raw one into a
/// line feed); in attributes tab and line feed are written as references too, so that attribute
/// normalisation does not turn them into spaces.
pub(crate) fn escape_into(s: &str, attribute: bool, out: &mut String) -> usize {
    let bytes = s.as_bytes();
    let mut replaced = 0;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Most bytes need nothing: look at the few that may.
        if b >= 0x20 && !matches!(b, b'<' | b'>' | b'&' | b'"' | 0xEF) {
            i += 1;
            continue;
        }
        let (rep, len): (&str, usize) = match b {
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'&' => ("&amp;", 1),
            b'"' if attribute => ("&quot;", 1),
            b'\r' => ("&#13;", 1),
            b'\n' if attribute => ("&#10;", 1),
            b'\t' if attribute => ("&#9;", 1),
            b'\n' | b'\t' | b'"' => {
                i += 1;
                continue;
            }
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE) | Some(0xBF)) =>
            {
                replaced += 1;
                ("\u{FFFD}", 3)
            }
            0xEF => {
                i += 1;
                continue;
            }
            _ => {
                // Another C0 control character.
                replaced += 1;
                ("\u{FFFD}", 1)
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    replaced
}
