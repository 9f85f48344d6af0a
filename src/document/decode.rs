//! Bytes to text: byte-order marks, UTF-8 and UTF-16, line ends, and the refusal of binary files.
//!
//! This is the only place that looks at raw bytes of a document. It never guesses legacy
//! encodings: text that is not UTF-8 (or UTF-16 with a BOM) is an error naming the byte offset.

use crate::error::{Error, ErrorKind, Result};

/// Decode a document's bytes into a string with `\n` line ends.
pub fn decode(bytes: &[u8]) -> Result<String> {
    // Where a character of the decoded text stood in the file: the BOM's length, and for
    // UTF-16 two bytes per code unit.
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (utf8(rest, 3)?, Encoding::Utf8 { offset: 3 })
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, u16::from_le_bytes)?, Encoding::Utf16)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, u16::from_be_bytes)?, Encoding::Utf16)
    } else {
        if looks_binary(bytes) {
            return Err(Error::new(ErrorKind::Binary));
        }
        (utf8(bytes, 0)?, Encoding::Utf8 { offset: 0 })
    };
    if let Some((at, _)) = text
        .char_indices()
        .find(|(_, c)| *c == '\0' || is_bad_control(*c))
    {
        let byte = match encoding {
            Encoding::Utf8 { offset } => offset + at,
            Encoding::Utf16 => 2 + 2 * text[..at].chars().map(char::len_utf16).sum::<usize>(),
        };
        let line = 1 + text[..at].matches('\n').count();
        return Err(Error::new(ErrorKind::Binary)
            .with_line(line)
            .with_byte(byte));
    }
    // C1 controls and DEL are not text (they are what is left of a legacy encoding read wrong,
    // or an attempt to drive a terminal): stored and printed as U+FFFD.
    let text = crate::text::clean_controls(text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if text.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    Ok(text)
}

enum Encoding {
    Utf8 { offset: usize },
    Utf16,
}

/// Control characters that never occur in a text document (tab, line feed, carriage return,
/// form feed and vertical tab are fine).
fn is_bad_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0B' | '\x0C') && (c as u32) < 0x20
}

/// A NUL byte in the first 8 KiB without a UTF-16 BOM means a binary file.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

fn utf8(bytes: &[u8], offset: usize) -> Result<String> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
            Err(Error::new(ErrorKind::Encoding(
                "invalid UTF-8; save the file as UTF-8 (or UTF-16 with a byte-order mark)".into(),
            ))
            .with_line(line)
            .with_byte(at + offset))
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String> {
    if bytes.len() % 2 != 0 {
        return Err(Error::new(ErrorKind::Encoding(
            "UTF-16 text with an odd number of bytes (truncated file?)".into(),
        ))
        .with_byte(bytes.len() + 1));
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    let mut out = String::with_capacity(units.len());
    let mut unit = 0;
    for r in char::decode_utf16(units.iter().copied()) {
        match r {
            Ok(c) => {
                out.push(c);
                unit += c.len_utf16();
            }
            Err(_) => {
                let line = 1 + out.matches('\n').count();
                return Err(Error::new(ErrorKind::Encoding(
                    "invalid UTF-16 (an unpaired surrogate)".into(),
                ))
                .with_line(line)
                .with_byte(2 + 2 * unit));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_crlf() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb\r\n").unwrap(), "a\nb\n");
    }

    #[test]
    fn utf16_both_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Да\r\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&le).unwrap(), "Да\n");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Sí".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&be).unwrap(), "Sí");
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let e = decode(b"ok\nbad \xFF here").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert_eq!(e.byte(), Some(7));
    }

    #[test]
    fn offsets_count_file_bytes() {
        let mut bad16 = vec![0xFF, 0xFE];
        bad16.extend("😀".encode_utf16().flat_map(|u| u.to_le_bytes()));
        bad16.extend([0x00, 0xD8]);
        assert_eq!(decode(&bad16).unwrap_err().byte(), Some(6));
        assert_eq!(decode(b"\xEF\xBB\xBFab\x01cd").unwrap_err().byte(), Some(5));
        let mut ctl16 = vec![0xFF, 0xFE];
        ctl16.extend("ab\u{1}cd".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&ctl16).unwrap_err().byte(), Some(6));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(
            decode(b"\x7fELF\0\0\x01").unwrap_err().kind(),
            &ErrorKind::Binary
        );
        assert_eq!(decode(b"  \n\n ").unwrap_err().kind(), &ErrorKind::Empty);
        assert_eq!(decode(b"").unwrap_err().kind(), &ErrorKind::Empty);
    }
}
