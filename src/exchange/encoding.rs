//! XML input as UTF-8: UTF-16 transcoded while it streams, and the encodings a declaration may
//! name.

use std::io::{self, BufRead, Read};

/// The encodings an XML file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16 {
    Le,
    Be,
}

/// Turns UTF-16 input into UTF-8, streaming.
struct Utf16Reader<R> {
    inner: R,
    order: Utf16,
    pending: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    high: Option<u16>,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.eof {
            let mut chunk = [0u8; 16 * 1024];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                self.eof = true;
                if !self.pending.is_empty() || self.high.is_some() {
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                }
                break;
            }
            self.pending.extend_from_slice(&chunk[..n]);
            let whole = self.pending.len() / 2 * 2;
            for pair in self.pending[..whole].chunks_exact(2) {
                let u = match self.order {
                    Utf16::Le => u16::from_le_bytes([pair[0], pair[1]]),
                    Utf16::Be => u16::from_be_bytes([pair[0], pair[1]]),
                };
                let c = match (self.high.take(), u) {
                    (None, 0xD800..=0xDBFF) => {
                        self.high = Some(u);
                        continue;
                    }
                    (Some(h), 0xDC00..=0xDFFF) => char::from_u32(
                        0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00),
                    )
                    .unwrap_or('\u{FFFD}'),
                    (Some(_), _) | (None, 0xDC00..=0xDFFF) => {
                        // A lone surrogate: XML cannot hold it.
                        if (0xD800..=0xDBFF).contains(&u) {
                            self.high = Some(u);
                        }
                        '\u{FFFD}'
                    }
                    (None, u) => char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
                };
                let mut b = [0u8; 4];
                self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
            self.pending.drain(..whole);
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        let n = (self.out.len() - self.pos).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// XML input as UTF-8: a UTF-16 file (with a byte-order mark, or starting `<?xml` in UTF-16
/// without one) is transcoded; UTF-8 passes through (its byte-order mark is dropped by the
/// parser). Other encodings are refused by the readers when the declaration names them.
pub(crate) fn utf8_input<'a, R: Read + Send + 'a>(
    mut r: R,
) -> io::Result<Box<dyn BufRead + Send + 'a>> {
    let mut head = [0u8; 4];
    let mut n = 0;
    while n < 4 {
        let k = r.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let head = &head[..n];
    let (order, skip) = match head {
        [0xFF, 0xFE, ..] => (Some(Utf16::Le), 2),
        [0xFE, 0xFF, ..] => (Some(Utf16::Be), 2),
        [b'<', 0, b'?', 0] => (Some(Utf16::Le), 0),
        [0, b'<', 0, b'?'] => (Some(Utf16::Be), 0),
        _ => (None, 0),
    };
    let rest = io::Cursor::new(head[skip..].to_vec()).chain(r);
    Ok(match order {
        Some(order) => Box::new(io::BufReader::with_capacity(
            64 * 1024,
            Utf16Reader {
                inner: rest,
                order,
                pending: Vec::new(),
                out: Vec::new(),
                pos: 0,
                high: None,
                eof: false,
            },
        )),
        None => Box::new(io::BufReader::with_capacity(64 * 1024, rest)),
    })
}

/// Whether an encoding named in an XML declaration is one the readers take.
pub(crate) fn known_encoding(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    matches!(
        n.as_str(),
        "utf-8" | "utf8" | "utf-16" | "utf-16le" | "utf-16be" | "ucs-2" | "us-ascii" | "ascii"
    )
}
