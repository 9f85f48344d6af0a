//! The input side of the XML readers byte by byte: [`Tracked`] counts lines and columns of
//! what the parser consumed (for error messages) and enforces the file size, the size of one
//! event and the characters XML 1.0 forbids raw.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use crate::error::Error;

use super::{error_at, forbidden_message, Limits};

/// How many positions the reader remembers to place an error: bytes consumed at each read
/// boundary (every markup start and end), enough for the event being parsed.
const MARKS: usize = 4096;

/// A [`BufRead`] that counts lines and columns (in characters) of what the XML parser
/// consumed, so that an error at a byte offset can name its line and column without keeping
/// the input. It also enforces what can be seen byte by byte: the file's size, the size of
/// one event (a text run, a tag, the DTD subset), and the characters XML 1.0 forbids raw. A
/// breach is kept as a fault with its place and ends the input with an error; the readers ask
/// for it with [`Tracked::fault`] after every event.
pub(crate) struct Tracked<R> {
    inner: R,
    consumed: u64,
    line: usize,
    column: usize,
    marks: VecDeque<(u64, usize, usize)>,
    limits: Limits,
    event_start: u64,
    /// Bytes of U+FFFE/U+FFFF seen so far (EF, then BF).
    pending_ef: u8,
    fault: Option<((usize, usize), String)>,
}

impl<R: BufRead> Tracked<R> {
    pub(crate) fn new(inner: R, limits: Limits) -> Tracked<R> {
        // The start of the file is a known place: an error in the first tag names its start.
        let mut marks = VecDeque::with_capacity(MARKS);
        marks.push_back((0, 1, 1));
        Tracked {
            inner,
            consumed: 0,
            line: 1,
            column: 1,
            marks,
            limits,
            event_start: 0,
            pending_ef: 0,
            fault: None,
        }
    }

    /// The line and column (1-based) of a byte offset among those consumed lately; the
    /// nearest earlier boundary when the exact one is no longer known.
    pub(crate) fn place(&self, offset: u64) -> (usize, usize) {
        if offset >= self.consumed {
            return (self.line, self.column);
        }
        let mut best = None;
        for &(o, l, c) in self.marks.iter().rev() {
            if o <= offset {
                best = Some((l, c));
                break;
            }
        }
        best.unwrap_or((self.line, self.column))
    }

    /// How many bytes the parser has consumed.
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Mark the start of the next event: one event may hold at most `max_segment` bytes.
    pub(crate) fn start_event(&mut self) {
        self.event_start = self.consumed;
    }

    /// The first limit breached or forbidden character met, with its place.
    pub(crate) fn fault(&self) -> Option<Error> {
        self.fault
            .as_ref()
            .map(|(place, msg)| error_at(*place, msg.clone()))
    }

    fn set_fault(&mut self, place: (usize, usize), msg: String) {
        if self.fault.is_none() {
            self.fault = Some((place, msg));
        }
    }
}

impl<R: BufRead> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some((_, msg)) = &self.fault {
            return Err(io::Error::other(msg.clone()));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt == 0 {
            return;
        }
        // The bytes consumed are the start of the inner buffer, which fill_buf returns again
        // without reading.
        let mut bad = None;
        if let Ok(buf) = self.inner.fill_buf() {
            let bytes = &buf[..amt.min(buf.len())];
            for &b in bytes {
                if b == b'\n' {
                    self.line += 1;
                    self.column = 1;
                } else if (b & 0xC0) != 0x80 {
                    self.column += 1;
                }
                // Forbidden raw: C0 controls but tab, line feed, carriage return; U+FFFE and
                // U+FFFF (EF BF BE, EF BF BF).
                self.pending_ef = match (self.pending_ef, b) {
                    (_, 0xEF) => 1,
                    (1, 0xBF) => 2,
                    (2, 0xBE | 0xBF) => {
                        if bad.is_none() {
                            let c = if b == 0xBE { 0xFFFE } else { 0xFFFF };
                            bad = Some(((self.line, self.column - 1), c));
                        }
                        0
                    }
                    _ => 0,
                };
                if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') && bad.is_none() {
                    bad = Some(((self.line, self.column - 1), u32::from(b)));
                }
            }
        }
        if let Some((place, code)) = bad {
            let c = char::from_u32(code).unwrap_or('\u{FFFD}');
            let how = if code < 0x20 {
                "a control character"
            } else {
                "a non-character"
            };
            self.set_fault(place, forbidden_message(c, how));
        }
        self.consumed += amt as u64;
        if self.consumed > self.limits.max_file {
            let msg = format!(
                "the file is larger than {} bytes (--max-file-size); raise the limit to read it",
                self.limits.max_file
            );
            self.set_fault((self.line, self.column), msg);
        }
        if self.consumed - self.event_start > self.limits.max_segment as u64 {
            let msg = format!(
                "a text, tag or declaration longer than {} bytes (--max-segment-size); raise the limit to read it",
                self.limits.max_segment
            );
            self.set_fault((self.line, self.column), msg);
        }
        if self.marks.len() == MARKS {
            self.marks.pop_front();
        }
        self.marks
            .push_back((self.consumed, self.line, self.column));
        self.inner.consume(amt);
    }
}
