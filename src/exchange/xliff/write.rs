//! The writer both versions share: escaping (characters XML forbids become U+FFFD and are
//! counted), the counts of files and units, and the order of a file. What each version writes
//! for the root, a document and a paragraph lives in `v20.rs` and `v12.rs`.

use std::io::{self, Write};

use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::super::escape_into;
use super::{TodoDoc, XliffHeader, XliffVersion};

/// Writes an XLIFF file (2.0 or 1.2) of paragraphs to translate.
pub struct XliffWriter<W: Write> {
    pub(super) xml: Writer<W>,
    scratch: String,
    pub(super) version: XliffVersion,
    pub(super) files: usize,
    pub(super) units: usize,
    replaced: usize,
    /// The languages, escaped (1.2 writes them on every `<file>`).
    pub(super) langs: (String, String),
}

impl<W: Write> XliffWriter<W> {
    /// Start an XLIFF 2.0 file: the declaration and `<xliff>`.
    pub fn new(w: W, header: &XliffHeader) -> io::Result<XliffWriter<W>> {
        XliffWriter::with_root(w, header, None)
    }

    /// Start an XLIFF 2.0 file that records `root`, the folder the documents' paths are
    /// relative to, so that `import-xliff --write-docs` writes there wherever it runs.
    pub fn with_root(w: W, header: &XliffHeader, root: Option<&str>) -> io::Result<XliffWriter<W>> {
        XliffWriter::with_version(w, header, root, XliffVersion::V20)
    }

    /// Start a file in `version` that records `root` (see [`XliffWriter::with_root`]).
    pub fn with_version(
        w: W,
        header: &XliffHeader,
        root: Option<&str>,
        version: XliffVersion,
    ) -> io::Result<XliffWriter<W>> {
        let mut me = XliffWriter {
            xml: Writer::new_with_indent(w, b' ', 2),
            scratch: String::new(),
            version,
            files: 0,
            units: 0,
            replaced: 0,
            langs: (String::new(), String::new()),
        };
        match version {
            XliffVersion::V20 => me.start_v20(header, root)?,
            XliffVersion::V12 => me.start_v12(header, root)?,
        }
        Ok(me)
    }

    /// `s` escaped for an attribute.
    pub(super) fn esc_attr(&mut self, s: &str) -> String {
        let mut out = String::new();
        self.replaced += escape_into(s, true, &mut out);
        out
    }

    /// An element holding only `text`.
    pub(super) fn element(&mut self, start: BytesStart, text: &str) -> io::Result<()> {
        let end = BytesEnd::new(start.name().as_ref().to_string());
        self.xml.write_event(Event::Start(start))?;
        self.scratch.clear();
        self.replaced += escape_into(text, false, &mut self.scratch);
        self.xml
            .write_event(Event::Text(BytesText::from_escaped(self.scratch.as_str())))?;
        self.xml.write_event(Event::End(end))
    }

    /// Open an element.
    pub(super) fn open(&mut self, start: BytesStart) -> io::Result<()> {
        self.xml.write_event(Event::Start(start))
    }

    /// Close an element.
    pub(super) fn close(&mut self, name: &str) -> io::Result<()> {
        self.xml.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Write one document's paragraphs as a `<file>` (nothing when it has none).
    pub fn write_doc(&mut self, doc: &TodoDoc) -> io::Result<()> {
        if doc.paragraphs.is_empty() {
            return Ok(());
        }
        self.files += 1;
        match self.version {
            XliffVersion::V20 => self.doc_v20(doc),
            XliffVersion::V12 => self.doc_v12(doc),
        }
    }

    /// Close the file; returns the writer, the number of files and units written, and how
    /// many characters XML forbids were replaced by U+FFFD.
    pub fn finish(mut self) -> io::Result<(W, usize, usize, usize)> {
        self.close("xliff")?;
        let mut w = self.xml.into_inner();
        w.write_all(b"\n")?;
        w.flush()?;
        Ok((w, self.files, self.units, self.replaced))
    }
}
