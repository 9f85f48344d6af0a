//! Documents: bytes in, a [`Document`] of numbered, normalised [`Paragraph`]s out.
//!
//! One file per input format (`text.rs`, `markdown.rs`) turns decoded text into blocks; this
//! module normalises them and `label.rs` finds their numbers. Nothing here aligns, scores or
//! prints.

mod build;
#[cfg(test)]
mod corpus;
mod decode;
mod docx;
mod heading;
mod html;
mod label;
mod markdown;
mod numerals;
mod odt;
mod office;
mod text;

use std::path::Path;

use serde::Serialize;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

use crate::error::{Error, ErrorKind, Result};
use crate::language::LangTag;

pub use decode::decode;
pub use label::{Label, LabelKind, NumberingIssue, NumberingIssueKind};
pub(crate) use numerals::digit_value;
pub(crate) use text::is_separator;

/// The input formats paralign reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: paragraphs are blocks of non-blank lines.
    Text,
    /// CommonMark: paragraphs, headings, list items, code blocks and thematic breaks.
    Markdown,
    /// HTML: block elements, headings, list items with their numbers, `<pre>`.
    Html,
    /// Word (Office Open XML): paragraphs, headings, numbered lists, table rows, footnotes.
    Docx,
    /// OpenDocument text: the same as Word.
    Odt,
    /// XLIFF (1.2 or 2.0): one paragraph per unit, its source or its target; read by
    /// `exchange`, whose XML reader it shares, and placed by the line of the unit's
    /// `<source>` or `<target>`.
    Xliff,
}

impl Format {
    /// The format of a file, from its extension (`.md`/`.markdown` is Markdown, `.html`/`.htm`
    /// HTML, `.docx` Word, `.odt` OpenDocument, `.xlf`/`.xliff` XLIFF, anything else plain
    /// text).
    pub fn from_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md" | "markdown") => Format::Markdown,
            Some("html" | "htm") => Format::Html,
            Some("docx") => Format::Docx,
            Some("odt") => Format::Odt,
            Some("xlf" | "xliff") => Format::Xliff,
            _ => Format::Text,
        }
    }

    /// Whether a paragraph's place is a line of the file (text, Markdown, HTML) rather than
    /// its paragraph number (Word, OpenDocument).
    pub fn has_lines(self) -> bool {
        !matches!(self, Format::Docx | Format::Odt)
    }

    /// The word for a paragraph's place in a report: `line` (text, Markdown, HTML) or
    /// `paragraph` (Word and OpenDocument, whose places are paragraph numbers).
    pub fn place(self) -> &'static str {
        if self.has_lines() {
            "line"
        } else {
            "paragraph"
        }
    }

    /// How a report names an unlabelled paragraph by its place: `the paragraph at line 7`,
    /// or `paragraph 7` where places are paragraph numbers.
    pub fn paragraph_at(self, place: usize) -> String {
        if self.has_lines() {
            format!("the paragraph at line {place}")
        } else {
            format!("paragraph {place}")
        }
    }

    /// Whether paralign can write a document of this format (drafts, `--write-docs`).
    pub fn is_plain(self) -> bool {
        matches!(self, Format::Text | Format::Markdown)
    }
}

/// What kind of block a paragraph came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// Running text.
    Text,
    /// A Markdown heading.
    Heading,
    /// A Markdown list item.
    Item,
    /// A code block (compared as is, never translated).
    Code,
    /// A separator such as `* * *` or a Markdown thematic break.
    Separator,
}

impl BlockKind {
    /// The kind's name in stored hashes (a version's content hash in the memory): written out
    /// so that renaming a variant never changes a stored value. Never change one; a new kind
    /// takes a new name.
    pub fn stored_name(self) -> &'static str {
        match self {
            BlockKind::Text => "Text",
            BlockKind::Heading => "Heading",
            BlockKind::Item => "Item",
            BlockKind::Code => "Code",
            BlockKind::Separator => "Separator",
        }
    }
}

/// One paragraph of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// 0-based position in the document (titles, bylines and separators count).
    pub index: usize,
    /// 1-based line on which the paragraph starts.
    pub line: usize,
    /// The text as written (lines of a block joined with `\n`; Markdown markup removed).
    pub text: String,
    /// The text normalised for comparison: Unicode NFKC, white space folded to one space.
    pub norm: String,
    /// Byte offset in `norm` where the text after the label starts.
    pub body_start: usize,
    /// The paragraph's number, if it has one.
    pub label: Option<Label>,
    /// The block it came from.
    pub kind: BlockKind,
    /// Link and image targets the text does not show (Markdown's `[text](target)`): compared
    /// between source and translation as protected tokens.
    pub targets: Vec<String>,
}

impl Paragraph {
    /// The normalised text without its label.
    pub fn body(&self) -> &str {
        &self.norm[self.body_start..]
    }
}

/// A document: one language version, split into paragraphs.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user gave it (for messages and reports).
    pub path: String,
    /// The language, when known from the file name, a flag or detection.
    pub lang: Option<LangTag>,
    /// The format it was read as.
    pub format: Format,
    /// Its paragraphs in document order.
    pub paragraphs: Vec<Paragraph>,
    /// Gaps and duplicates in its numbering.
    pub numbering: Vec<NumberingIssue>,
    /// The direction its text is declared in, and the line of the declaration (HTML: `dir`
    /// on `<body>`, else on `<html>`; `auto` declares none).
    pub dir: Option<(Direction, usize)>,
}

/// Of the letters of a document, the share one direction's script must have for the document
/// to be written in that direction: a right-to-left page quotes Latin names, numbers and
/// links, a Latin one a word of Arabic, without turning mixed.
pub const DIRECTION_SHARE: f64 = 0.8;

/// The fewest letters that tell a document's direction (a title alone does not).
pub const DIRECTION_MIN_LETTERS: usize = 20;

/// The direction a text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

impl Direction {
    /// As HTML writes it: `ltr`, `rtl`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }

    /// An HTML `dir` value (`ltr`, `rtl`, any case); `auto` and anything else give none.
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ltr" => Some(Direction::Ltr),
            "rtl" => Some(Direction::Rtl),
            _ => None,
        }
    }
}

/// A letter of a script written right to left: Hebrew, Arabic (with its supplements and
/// presentation forms), Syriac, Thaana, N'Ko.
fn is_rtl_letter(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
        && c.is_alphabetic()
}

/// A block before normalisation: its text, first line and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub text: String,
    pub line: usize,
    pub kind: BlockKind,
    /// Link and image targets the text does not show (Markdown).
    pub targets: Vec<String>,
}

impl Document {
    /// Read and parse a file; the language is left unset.
    pub fn read(path: &Path) -> Result<Document> {
        let bytes = std::fs::read(path).map_err(|e| Error::from(e).with_path(path))?;
        Document::from_bytes(path, &bytes)
    }

    /// Parse the bytes of a file already read (its format from the path's extension); the
    /// language is left unset.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Document> {
        refuse_pdf(path)?;
        let format = Format::from_path(path);
        let shown = path.display().to_string();
        let packaged = match format {
            Format::Docx => Some(docx::blocks(bytes)),
            Format::Odt => Some(odt::blocks(bytes)),
            _ => None,
        };
        let doc = match packaged {
            Some(read) => {
                let (blocks, numbers) = read.map_err(|e| e.with_path(path))?;
                Document::from_numbered_blocks(&shown, blocks, numbers, format)
            }
            None => {
                let text = decode(bytes).map_err(|e| e.with_path(path))?;
                Document::parse(&shown, &text, format)
            }
        };
        if doc.paragraphs.is_empty() {
            return Err(Error::new(ErrorKind::Empty).with_path(path));
        }
        Ok(doc)
    }

    /// Parse decoded text (with `\n` line ends) in the given format (Word and OpenDocument
    /// files are zip packages, read by [`Document::from_bytes`]: given as text, they are read
    /// as plain text).
    pub fn parse(path: &str, text: &str, format: Format) -> Document {
        let mut dir = None;
        let (blocks, numbers) = match format {
            Format::Text | Format::Docx | Format::Odt | Format::Xliff => {
                (text::blocks(text), Vec::new())
            }
            Format::Markdown => markdown::blocks(text),
            Format::Html => {
                let page = html::blocks(text);
                dir = page.dir;
                (page.blocks, page.numbers)
            }
        };
        let mut doc = Document::from_numbered_blocks(path, blocks, numbers, format);
        doc.dir = dir;
        doc
    }

    /// The direction the document's letters are written in: right to left when at least
    /// [`DIRECTION_SHARE`] of them are of a right-to-left script (Hebrew, Arabic, Syriac,
    /// Thaana, N'Ko), left to right when as many are of another script; `None` for a document
    /// with too few letters ([`DIRECTION_MIN_LETTERS`]) or mixed scripts.
    pub fn script_direction(&self) -> Option<Direction> {
        let (mut rtl, mut ltr) = (0usize, 0usize);
        for c in self.paragraphs.iter().flat_map(|p| p.norm.chars()) {
            if is_rtl_letter(c) {
                rtl += 1;
            } else if c.is_alphabetic() {
                ltr += 1;
            }
        }
        let total = rtl + ltr;
        if total < DIRECTION_MIN_LETTERS {
            return None;
        }
        let share = |n: usize| n as f64 / total as f64;
        if share(rtl) >= DIRECTION_SHARE {
            Some(Direction::Rtl)
        } else if share(ltr) >= DIRECTION_SHARE {
            Some(Direction::Ltr)
        } else {
            None
        }
    }

    /// The declared direction and its line, with the script's direction, when they disagree
    /// (an Arabic page under `dir="ltr"`, a Latin one under `dir="rtl"`).
    pub fn direction_conflict(&self) -> Option<(Direction, usize, Direction)> {
        let (declared, line) = self.dir?;
        let script = self.script_direction()?;
        (declared != script).then_some((declared, line, script))
    }

    pub(crate) fn from_blocks(path: &str, blocks: Vec<Block>, format: Format) -> Document {
        Document::from_numbered_blocks(path, blocks, Vec::new(), format)
    }

    /// Blocks with the list numbers their format gave some of them (Markdown's ordered
    /// lists); the other labels are found in the text.
    fn from_numbered_blocks(
        path: &str,
        blocks: Vec<Block>,
        numbers: Vec<Option<markdown::ListNumber>>,
        format: Format,
    ) -> Document {
        let mut paragraphs: Vec<Paragraph> = blocks
            .into_iter()
            .enumerate()
            .map(|(index, b)| {
                let norm = normalize(&b.text);
                Paragraph {
                    index,
                    line: b.line,
                    text: b.text,
                    norm,
                    body_start: 0,
                    label: None,
                    kind: b.kind,
                    targets: b.targets,
                }
            })
            .collect();
        for (p, n) in paragraphs.iter_mut().zip(numbers) {
            if let Some(n) = n {
                label::set_list_number(p, n);
            }
        }
        let numbering = label::assign(&mut paragraphs);
        Document {
            path: path.to_string(),
            lang: None,
            format,
            paragraphs,
            numbering,
            dir: None,
        }
    }

    /// A new document made of some of this one's paragraphs (re-indexed from 0), for a file
    /// that holds several language versions.
    pub fn subset(&self, indices: &[usize], lang: Option<LangTag>) -> Document {
        let blocks: Vec<Block> = indices
            .iter()
            .map(|&i| {
                let p = &self.paragraphs[i];
                Block {
                    text: p.text.clone(),
                    line: p.line,
                    kind: p.kind,
                    targets: p.targets.clone(),
                }
            })
            .collect();
        let mut doc = Document::from_blocks(&self.path, blocks, self.format);
        doc.lang = lang;
        doc
    }
}

/// A PDF is refused with the way to read it.
fn refuse_pdf(path: &Path) -> Result<()> {
    let pdf = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if pdf {
        return Err(Error::input(format!(
            "paralign does not read PDF: convert it to text first (pdftotext -layout {} out.txt), or use the document it was made from",
            path.display()
        ))
        .with_path(path));
    }
    Ok(())
}

/// Normalise text for comparison: NFKC, every run of white space folded to one space, trimmed.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() || unicode_normalization::is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        return fold_space(text.chars());
    }
    fold_space(text.nfkc())
}

fn fold_space(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in chars {
        if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_space_and_compatibility_forms() {
        assert_eq!(normalize("  ﬁne\t\u{00A0}１２\n text "), "fine 12 text");
    }

    #[test]
    fn text_paragraphs_keep_index_line_and_label() {
        let d = Document::parse(
            "x.en.txt",
            "Title\n\n\n1.\tFirst\nstill first\n\n2.    Second\n",
            Format::Text,
        );
        let got: Vec<(usize, usize, Option<String>, &str)> = d
            .paragraphs
            .iter()
            .map(|p| {
                (
                    p.index,
                    p.line,
                    p.label.as_ref().map(|l| l.path.clone()),
                    p.body(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (0, 1, None, "Title"),
                (1, 4, Some("1".into()), "First still first"),
                (2, 7, Some("2".into()), "Second"),
            ]
        );
    }

    #[test]
    fn a_documents_direction_is_its_scripts_when_one_has_four_fifths_of_its_letters() {
        let dir = |text: &str| Document::parse("x.txt", text, Format::Text).script_direction();
        // 26 Hebrew letters and a 5-letter Latin name: right to left.
        assert_eq!(
            dir("שלום עליכם חברים יקרים ברוכים הבאים Berta"),
            Some(Direction::Rtl)
        );
        assert_eq!(
            dir("Since the early hours of March the port has stood still"),
            Some(Direction::Ltr)
        );
        // Half and half, or too few letters: no direction.
        assert_eq!(dir("שלום עליכם חברים Since the early hours"), None);
        assert_eq!(dir("שלום 2024"), None);
    }
}
