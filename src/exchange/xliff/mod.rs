//! XLIFF: a language's paragraphs, out to a translator and back, in the two versions
//! CAT tools exchange: 2.0 (`v20.rs`, the default) and 1.2 (`v12.rs`, which most tools still
//! write: Trados, memoQ, OmegaT, Okapi, Weblate, Crowdin).
//!
//! Both versions carry the same values: [`TodoDoc`]s out through [`XliffWriter`], an
//! [`XliffFile`] of units back from [`read_xliff`], which tells the version by the root
//! element and reads either into identical units (same document, paragraph index, source and
//! target text, state in 2.0's names), so that the memory cannot tell which one came back.
//! The XML defences are one scanner (`scan.rs`) for both. No paths, no clock.

mod document;
mod scan;
mod v12;
mod v20;
mod write;

use std::borrow::Cow;
use std::io::Read;

use quick_xml::events::attributes::Attribute;
use quick_xml::name::QName;

use super::Limits;
use crate::error::Result;
use crate::language::LangTag;
pub use document::linked_set;
use scan::{get, Item, Scanner};
pub use write::XliffWriter;

/// paralign's own namespace, for the one attribute XLIFF has no place for: the folder the
/// memory's document paths are relative to (`paralign:root` on `<xliff>`), in both versions.
const NS_PARALIGN: &str = "urn:paralign:xliff:1";
/// The XLIFF 1.2 namespace (1.1 and 1.0 files use the same elements).
const NS_XLIFF12: &str = "urn:oasis:names:tc:xliff:document:1.2";

/// Which XLIFF a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum XliffVersion {
    /// XLIFF 1.2 (OASIS 2008), what most CAT tools exchange.
    V12,
    /// XLIFF 2.0 (OASIS 2014).
    #[default]
    V20,
}

impl XliffVersion {
    /// Its number, as written in `version`.
    pub fn as_str(self) -> &'static str {
        match self {
            XliffVersion::V12 => "1.2",
            XliffVersion::V20 => "2.0",
        }
    }
}

/// The languages of an XLIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffHeader {
    /// Source language.
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
}

/// Where a paragraph stands in the target language: to translate (missing, untranslated,
/// outdated: written without a target) or translated (sound, or flagged for review: written
/// with its translation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TodoState {
    /// The language has no paragraph for it.
    Missing,
    /// Its paragraph is left in the source language (or a third one).
    Untranslated,
    /// Its paragraph translates an earlier source text.
    Outdated,
    /// Translated, but the check questions it (diverging, misnumbered, reordered).
    Flagged,
    /// Translated, and nothing questions it.
    Translated,
}

impl TodoState {
    /// Every state.
    pub const ALL: [TodoState; 5] = [
        TodoState::Missing,
        TodoState::Untranslated,
        TodoState::Outdated,
        TodoState::Flagged,
        TodoState::Translated,
    ];

    /// Its name (`missing`, `untranslated`, `outdated`, `flagged`, `translated`).
    pub fn as_str(self) -> &'static str {
        match self {
            TodoState::Missing => "missing",
            TodoState::Untranslated => "untranslated",
            TodoState::Outdated => "outdated",
            TodoState::Flagged => "flagged",
            TodoState::Translated => "translated",
        }
    }

    /// Whether the paragraph still needs a translation (no target is written for it).
    pub fn to_translate(self) -> bool {
        matches!(
            self,
            TodoState::Missing | TodoState::Untranslated | TodoState::Outdated
        )
    }

    /// Parse a name.
    pub fn parse(s: &str) -> Option<TodoState> {
        TodoState::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// An earlier translation offered to the translator.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The source text it translates.
    pub source: String,
    /// The translation.
    pub target: String,
    /// How close its source is to the paragraph's, 0 to 100.
    pub similarity: f64,
    /// Where it comes from (`paralign memory`, `outdated translation`).
    pub origin: String,
}

/// One paragraph to translate.
#[derive(Debug, Clone, PartialEq)]
pub struct TodoParagraph {
    /// 0-based index in the source version.
    pub index: usize,
    /// 1-based line in the source file.
    pub line: usize,
    /// Its label, if any.
    pub label: Option<String>,
    /// The source text.
    pub text: String,
    /// Why it is here.
    pub state: TodoState,
    /// A suggestion, if the memory has one.
    pub suggestion: Option<Suggestion>,
    /// A draft translation already filled in (pretranslate): written as the segment's
    /// `<target>`, with state `translated` for an exact match and `initial` for one to revise.
    pub draft: Option<Draft>,
    /// Its current translation (state `translated` or `flagged`), written as the `<target>`.
    pub translation: Option<String>,
    /// The flags of its pair in the memory (`missing` for no translation).
    pub flags: Vec<crate::align::Flag>,
}

/// A translation filled in ahead of the translator.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The text.
    pub text: String,
    /// Whether it comes from an exact match (else a fuzzy one, to be revised).
    pub exact: bool,
    /// The match percentage it comes from (written as the metadata `match`).
    pub percent: u8,
}

/// Which paragraphs an XLIFF export takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodoFilter {
    /// The target language.
    pub lang: String,
    /// Only this document.
    pub document: Option<String>,
    /// Only the paragraphs whose pair has one of these flags (`missing` for a paragraph with
    /// no translation); `None` takes every paragraph of the document.
    pub only: Option<Vec<crate::align::Flag>>,
}

/// The paragraphs a language lacks, by document, with what could not be looked at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TodoReport {
    /// The source language of the documents taken.
    pub source_lang: Option<String>,
    /// The documents, by name (only those with something to translate).
    pub docs: Vec<TodoDoc>,
    /// Documents left out, and why.
    pub notes: Vec<String>,
}

/// One document's paragraphs to translate.
#[derive(Debug, Clone, PartialEq)]
pub struct TodoDoc {
    /// The document's name.
    pub document: String,
    /// The paragraphs, in order.
    pub paragraphs: Vec<TodoParagraph>,
}

/// A unit of a filled XLIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffUnit {
    /// The document (`original` of its `<file>`, or its `mda:meta type="document"`).
    pub document: String,
    /// The paragraph's 0-based index (`mda:meta type="paragraph"`, else the unit id `pN`).
    pub index: Option<usize>,
    /// The unit's id.
    pub id: String,
    /// The source text.
    pub source: String,
    /// The target text (None when the unit has no target or is marked `translate="no"`).
    pub target: Option<String>,
    /// The state of its (first) segment in 2.0's names (`initial`, `translated`, `reviewed`,
    /// `final`); in 1.2, its target's `state` (or `approved`) mapped onto them.
    pub state: Option<String>,
    /// Line and column of the `<unit>` (`<trans-unit>` in 1.2).
    pub place: (usize, usize),
    /// The line of its first `<source>` (0 when it has none) and of its first `<target>`.
    pub lines: (usize, Option<usize>),
    /// Whether it is to be translated (false for `translate="no"` on itself, its group or,
    /// in 2.0, its file).
    pub translate: bool,
}

/// A whole XLIFF file as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffFile {
    /// `srcLang` (1.2: `source-language` of the first `<file>`).
    pub source_lang: String,
    /// `trgLang` (1.2: `target-language` of the first `<file>`; empty when absent).
    pub target_lang: String,
    /// The units, in order.
    pub units: Vec<XliffUnit>,
    /// The folder the documents' paths are relative to, as the export recorded it.
    pub root: Option<String>,
}

fn attr<'a>(key: &'a str, value: &'a str) -> Attribute<'a> {
    Attribute {
        key: QName(key),
        value: Cow::Borrowed(value),
    }
}

/// Read an XLIFF file (1.2 or 2.0) under the default [`Limits`].
pub fn read_xliff<R: Read + Send>(r: R) -> Result<XliffFile> {
    read_xliff_with(r, Limits::default())
}

/// Read an XLIFF file (1.2 or 2.0, told by its root element) under these limits.
pub fn read_xliff_with<R: Read + Send>(r: R, limits: Limits) -> Result<XliffFile> {
    let mut scan = Scanner::new(r, limits)?;
    let (name, attrs, empty) = match scan.next_item()? {
        Item::Start { name, attrs, empty } => (name, attrs, empty),
        _ => return Err(scan.error("not an XLIFF file: no <xliff> element")),
    };
    if name != "xliff" {
        return Err(scan.error(format!("not an XLIFF file: the root element is <{name}>")));
    }
    let version = version_of(&attrs).map_err(|m| scan.error(m))?;
    if empty {
        return Err(scan.error("the XLIFF file holds no <file>"));
    }
    let mut out = XliffFile {
        source_lang: String::new(),
        target_lang: String::new(),
        units: Vec::new(),
        root: get(&attrs, "paralign:root").filter(|r| !r.is_empty()),
    };
    match version {
        XliffVersion::V20 => {
            out.source_lang = lang(&scan, &attrs, "srcLang")?;
            out.target_lang = lang(&scan, &attrs, "trgLang")?;
            v20::read_units(&mut scan, &mut out)?;
        }
        XliffVersion::V12 => v12::read_units(&mut scan, &mut out)?,
    }
    match scan.next_item()? {
        Item::Eof => Ok(out),
        _ => Err(scan.error("content after </xliff> is not allowed")),
    }
}

/// The version the root's `version` (or, lacking it, its namespace) names. 1.1 and 1.0 use
/// the elements of 1.2 and are read as 1.2.
fn version_of(attrs: &[(String, String)]) -> std::result::Result<XliffVersion, String> {
    let version = get(attrs, "version").unwrap_or_default();
    let v = version.trim();
    if v.starts_with('2') {
        Ok(XliffVersion::V20)
    } else if matches!(v, "1.2" | "1.1" | "1.0")
        || (v.is_empty() && get(attrs, "xmlns").as_deref() == Some(NS_XLIFF12))
    {
        Ok(XliffVersion::V12)
    } else {
        Err(format!(
            "XLIFF version {version}: paralign reads XLIFF 1.2 and 2.0 (the files `paralign export --format xliff` writes)"
        ))
    }
}

/// A language attribute checked as a BCP 47 tag (empty when absent).
fn lang(scan: &Scanner, attrs: &[(String, String)], key: &str) -> Result<String> {
    match get(attrs, key) {
        Some(v) if !v.trim().is_empty() => LangTag::parse(&v)
            .map(|t| t.as_str().to_string())
            .map_err(|e| scan.error(format!("{key}: {e}"))),
        _ => Ok(String::new()),
    }
}

/// Add text to `to`, refusing a text longer than the segment limit.
fn push_limited(to: &mut String, s: &str, limits: &Limits) -> std::result::Result<(), String> {
    if to.len() + s.len() > limits.max_segment {
        return Err(format!(
            "a segment longer than {} bytes (--max-segment-size); raise the limit to read it",
            limits.max_segment
        ));
    }
    to.push_str(s);
    Ok(())
}
