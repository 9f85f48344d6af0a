//! TSV for spreadsheets: one line per segment, a header line first. Columns: `source`,
//! `target`, `source_lang`, `target_lang`, `document`, `label`, `score`, `flags`. In a field a
//! backslash is written `\\`, a tab `\t`, a line feed `\n` and a carriage return `\r`, so that
//! every segment is one line with eight fields; an empty field is an absent value. Other
//! control characters (ESC, DEL, the C1 controls) are written `\u001b`, so that a file shown
//! on a terminal cannot drive it.

use std::io::{self, Write};

use super::{format_flags, format_score, Row};

/// The header line's fields.
pub const TSV_COLUMNS: [&str; 8] = [
    "source",
    "target",
    "source_lang",
    "target_lang",
    "document",
    "label",
    "score",
    "flags",
];

/// Writes segments as TSV.
pub struct TsvWriter<W: Write> {
    w: W,
    rows: usize,
}

fn field(s: &str, out: &mut Vec<u8>) {
    let mut b = [0u8; 4];
    for c in s.chars() {
        match c {
            '\\' => out.extend_from_slice(b"\\\\"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            // Other control characters could drive a terminal the file is shown on.
            '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
            }
            _ => out.extend_from_slice(c.encode_utf8(&mut b).as_bytes()),
        }
    }
}

impl<W: Write> TsvWriter<W> {
    /// Start a file with its header line.
    pub fn new(mut w: W) -> io::Result<TsvWriter<W>> {
        writeln!(w, "{}", TSV_COLUMNS.join("\t"))?;
        Ok(TsvWriter { w, rows: 0 })
    }

    /// Write one segment.
    pub fn write_row(&mut self, r: &Row) -> io::Result<()> {
        let mut line = Vec::with_capacity(r.source.len() + r.target.len() + 64);
        let score = r.score.map(format_score).unwrap_or_default();
        let flags = format_flags(&r.flags);
        let fields = [
            r.source.as_str(),
            r.target.as_str(),
            r.source_lang.as_str(),
            r.target_lang.as_str(),
            r.document.as_str(),
            r.label.as_deref().unwrap_or(""),
            score.as_str(),
            flags.as_str(),
        ];
        for (k, f) in fields.iter().enumerate() {
            if k > 0 {
                line.push(b'\t');
            }
            field(f, &mut line);
        }
        line.push(b'\n');
        self.rows += 1;
        self.w.write_all(&line)
    }

    /// Finish; returns the writer and the number of rows.
    pub fn finish(mut self) -> io::Result<(W, usize)> {
        self.w.flush()?;
        Ok((self.w, self.rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::Flag;

    #[test]
    fn writes_exact_bytes() {
        let mut w = TsvWriter::new(Vec::new()).unwrap();
        w.write_row(&Row {
            group: 1,
            source_lang: "en".into(),
            target_lang: "es".into(),
            document: "statement".into(),
            label: Some("2".into()),
            source: "a\tb\\c\nd".into(),
            target: "x".into(),
            score: Some(0.8),
            flags: vec![Flag::Diverging, Flag::Outdated],
            created: 0,
            changed: 0,
            ..Row::default()
        })
        .unwrap();
        let (bytes, n) = w.finish().unwrap();
        assert_eq!(n, 1);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "source\ttarget\tsource_lang\ttarget_lang\tdocument\tlabel\tscore\tflags\n\
             a\\tb\\\\c\\nd\tx\ten\tes\tstatement\t2\t0.8\tdiverging,outdated\n"
        );
    }
}
