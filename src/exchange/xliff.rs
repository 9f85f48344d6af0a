//! XLIFF 2.0: the paragraphs a language lacks, out to a translator and back.
//!
//! Written: one `<file>` per document (`id` f1, f2…, `original` the document's name,
//! `canResegment="no"` and `xml:space="preserve"` so that a unit stays one paragraph with its
//! line breaks), one `<unit>` per paragraph (`id` p + its 0-based index, `name` its label), with
//! the paragraph's identity in the Metadata module (`mda:` document, paragraph, line, label,
//! state) and, when the memory has a close earlier translation, that as a suggestion in the
//! Translation Candidates module (`mtc:match` with its similarity, 0 to 100), then one segment
//! with the source text and no target. No paths, no clock.
//!
//! Read: every unit with its document, paragraph index, source and target text (the segments
//! and ignorables of a unit joined, inline codes dropped, the text of `<pc>` and `<mrk>` kept),
//! strictly: a malformed file is an error with line and column, and so are a character XML 1.0
//! forbids (raw or as a reference), a file cut short or with content after `</xliff>`, a limit
//! of [`Limits`] passed (internal entities resolve under its amplification cap), and a
//! `srcLang` or `trgLang` that is not a BCP 47 tag. C1 control characters become U+FFFD.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Write};

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::{Reader, Writer};

use super::{
    clean_controls, describe, error_at, escape_into, forbidden_char, forbidden_message,
    known_encoding, utf8_input, Entities, Limits, Tracked,
};
use crate::error::{Error, Result};
use crate::language::LangTag;

/// The XLIFF 2.0 namespaces.
const NS_XLIFF: &str = "urn:oasis:names:tc:xliff:document:2.0";
const NS_MTC: &str = "urn:oasis:names:tc:xliff:matches:2.0";
const NS_MDA: &str = "urn:oasis:names:tc:xliff:metadata:2.0";
/// paralign's own namespace, for the one attribute XLIFF has no place for: the folder the
/// memory's document paths are relative to (`paralign:root` on `<xliff>`).
const NS_PARALIGN: &str = "urn:paralign:xliff:1";

/// The languages of an XLIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffHeader {
    /// Source language.
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
}

/// Why a paragraph needs translating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TodoState {
    /// The language has no paragraph for it.
    Missing,
    /// Its paragraph is left in the source language (or a third one).
    Untranslated,
    /// Its paragraph translates an earlier source text.
    Outdated,
}

impl TodoState {
    /// Every state.
    pub const ALL: [TodoState; 3] = [
        TodoState::Missing,
        TodoState::Untranslated,
        TodoState::Outdated,
    ];

    /// Its name (`missing`, `untranslated`, `outdated`).
    pub fn as_str(self) -> &'static str {
        match self {
            TodoState::Missing => "missing",
            TodoState::Untranslated => "untranslated",
            TodoState::Outdated => "outdated",
        }
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

/// One document's paragraphs to translate.
#[derive(Debug, Clone, PartialEq)]
pub struct TodoDoc {
    /// The document's name.
    pub document: String,
    /// The paragraphs, in order.
    pub paragraphs: Vec<TodoParagraph>,
}

/// Writes an XLIFF 2.0 file of paragraphs to translate.
pub struct XliffWriter<W: Write> {
    xml: Writer<W>,
    scratch: String,
    files: usize,
    units: usize,
    replaced: usize,
}

fn attr<'a>(key: &'a str, value: &'a str) -> Attribute<'a> {
    Attribute {
        key: QName(key),
        value: Cow::Borrowed(value),
    }
}

impl<W: Write> XliffWriter<W> {
    /// Start a file: the declaration and `<xliff>`.
    pub fn new(w: W, header: &XliffHeader) -> io::Result<XliffWriter<W>> {
        XliffWriter::with_root(w, header, None)
    }

    /// Start a file that records `root`, the folder the documents' paths are relative to,
    /// so that `import-xliff --write-docs` writes there wherever it runs.
    pub fn with_root(w: W, header: &XliffHeader, root: Option<&str>) -> io::Result<XliffWriter<W>> {
        let mut me = XliffWriter {
            xml: Writer::new_with_indent(w, b' ', 2),
            scratch: String::new(),
            files: 0,
            units: 0,
            replaced: 0,
        };
        me.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let src = me.esc_attr(&header.source_lang);
        let trg = me.esc_attr(&header.target_lang);
        let root = root.map(|r| me.esc_attr(r));
        let mut x = BytesStart::new("xliff");
        for (k, v) in [
            ("xmlns", NS_XLIFF),
            ("xmlns:mtc", NS_MTC),
            ("xmlns:mda", NS_MDA),
            ("version", "2.0"),
            ("srcLang", src.as_str()),
            ("trgLang", trg.as_str()),
        ] {
            x.push_attribute(attr(k, v));
        }
        if let Some(r) = &root {
            x.push_attribute(attr("xmlns:paralign", NS_PARALIGN));
            x.push_attribute(attr("paralign:root", r));
        }
        me.xml.write_event(Event::Start(x))?;
        Ok(me)
    }

    fn esc_attr(&mut self, s: &str) -> String {
        let mut out = String::new();
        self.replaced += escape_into(s, true, &mut out);
        out
    }

    fn element(&mut self, start: BytesStart, text: &str) -> io::Result<()> {
        let end = BytesEnd::new(start.name().as_ref().to_string());
        self.xml.write_event(Event::Start(start))?;
        self.scratch.clear();
        self.replaced += escape_into(text, false, &mut self.scratch);
        self.xml
            .write_event(Event::Text(BytesText::from_escaped(self.scratch.as_str())))?;
        self.xml.write_event(Event::End(end))
    }

    fn meta(&mut self, kind: &str, value: &str) -> io::Result<()> {
        let mut m = BytesStart::new("mda:meta");
        m.push_attribute(attr("type", kind));
        self.element(m, value)
    }

    /// Write one document's paragraphs as a `<file>` (nothing when it has none).
    pub fn write_doc(&mut self, doc: &TodoDoc) -> io::Result<()> {
        if doc.paragraphs.is_empty() {
            return Ok(());
        }
        self.files += 1;
        let id = format!("f{}", self.files);
        let original = self.esc_attr(&doc.document);
        let mut f = BytesStart::new("file");
        f.push_attribute(attr("id", &id));
        f.push_attribute(attr("original", &original));
        f.push_attribute(attr("canResegment", "no"));
        f.push_attribute(attr("xml:space", "preserve"));
        self.xml.write_event(Event::Start(f))?;
        for p in &doc.paragraphs {
            self.unit(&doc.document, p)?;
        }
        self.xml.write_event(Event::End(BytesEnd::new("file")))
    }

    fn unit(&mut self, document: &str, p: &TodoParagraph) -> io::Result<()> {
        self.units += 1;
        let id = format!("p{}", p.index);
        let mut u = BytesStart::new("unit");
        u.push_attribute(attr("id", &id));
        let label = p.label.as_deref().map(|l| self.esc_attr(l));
        if let Some(l) = &label {
            u.push_attribute(attr("name", l));
        }
        self.xml.write_event(Event::Start(u))?;
        if let Some(s) = &p.suggestion {
            self.xml
                .write_event(Event::Start(BytesStart::new("mtc:matches")))?;
            let sim = format!("{:.1}", s.similarity.clamp(0.0, 100.0));
            let origin = self.esc_attr(&s.origin);
            let mut m = BytesStart::new("mtc:match");
            for (k, v) in [
                ("ref", "#s1"),
                ("similarity", sim.as_str()),
                ("type", "tm"),
                ("origin", origin.as_str()),
            ] {
                m.push_attribute(attr(k, v));
            }
            self.xml.write_event(Event::Start(m))?;
            self.element(BytesStart::new("source"), &s.source)?;
            self.element(BytesStart::new("target"), &s.target)?;
            self.xml
                .write_event(Event::End(BytesEnd::new("mtc:match")))?;
            self.xml
                .write_event(Event::End(BytesEnd::new("mtc:matches")))?;
        }
        self.xml
            .write_event(Event::Start(BytesStart::new("mda:metadata")))?;
        let mut g = BytesStart::new("mda:metaGroup");
        g.push_attribute(attr("category", "paralign"));
        self.xml.write_event(Event::Start(g))?;
        self.meta("document", document)?;
        self.meta("paragraph", &p.index.to_string())?;
        self.meta("line", &p.line.to_string())?;
        if let Some(l) = &p.label {
            self.meta("label", l)?;
        }
        self.meta("state", p.state.as_str())?;
        if let Some(d) = &p.draft {
            self.meta("match", &d.percent.to_string())?;
        }
        self.xml
            .write_event(Event::End(BytesEnd::new("mda:metaGroup")))?;
        self.xml
            .write_event(Event::End(BytesEnd::new("mda:metadata")))?;
        let mut s = BytesStart::new("segment");
        s.push_attribute(attr("id", "s1"));
        let exact = p.draft.as_ref().is_some_and(|d| d.exact);
        s.push_attribute(attr("state", if exact { "translated" } else { "initial" }));
        self.xml.write_event(Event::Start(s))?;
        self.element(BytesStart::new("source"), &p.text)?;
        if let Some(d) = &p.draft {
            self.element(BytesStart::new("target"), &d.text)?;
        }
        self.xml.write_event(Event::End(BytesEnd::new("segment")))?;
        self.xml.write_event(Event::End(BytesEnd::new("unit")))
    }

    /// Close the file; returns the writer, the number of files and units written, and how
    /// many characters XML forbids were replaced by U+FFFD.
    pub fn finish(mut self) -> io::Result<(W, usize, usize, usize)> {
        self.xml.write_event(Event::End(BytesEnd::new("xliff")))?;
        let mut w = self.xml.into_inner();
        w.write_all(b"\n")?;
        w.flush()?;
        Ok((w, self.files, self.units, self.replaced))
    }
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
    /// The target text (None when the unit has no target).
    pub target: Option<String>,
    /// The state of its (first) segment.
    pub state: Option<String>,
    /// Line and column of the `<unit>`.
    pub place: (usize, usize),
}

/// A whole XLIFF file as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XliffFile {
    /// `srcLang`.
    pub source_lang: String,
    /// `trgLang` (empty when absent).
    pub target_lang: String,
    /// The units, in order.
    pub units: Vec<XliffUnit>,
    /// The folder the documents' paths are relative to, as the export recorded it.
    pub root: Option<String>,
}

/// Read an XLIFF 2.0 file under the default [`Limits`].
pub fn read_xliff<R: Read + Send>(r: R) -> Result<XliffFile> {
    read_xliff_with(r, Limits::default())
}

/// Read an XLIFF 2.0 file under these limits.
pub fn read_xliff_with<R: Read + Send>(r: R, limits: Limits) -> Result<XliffFile> {
    let input: Box<dyn BufRead + Send> = utf8_input(r).map_err(Error::from)?;
    let mut xml = Reader::from_reader(Tracked::new(input, limits));
    xml.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut out = XliffFile {
        source_lang: String::new(),
        target_lang: String::new(),
        units: Vec::new(),
        root: None,
    };
    let mut stack: Vec<String> = Vec::new();
    let mut file_doc = String::new();
    let mut unit: Option<XliffUnit> = None;
    // Which text is being collected: 1 source, 2 target, 3 meta.
    let mut into = 0u8;
    let mut meta: Option<(String, String)> = None;
    let mut seg_target: Option<String> = None;
    let mut seg_source = String::new();
    // The unit's segments and ignorables: source and target, if any.
    let mut parts: Vec<(String, Option<String>)> = Vec::new();
    let mut in_match = false;
    let mut entities = Entities::default();
    // The root element was closed: nothing but comments and white space may follow.
    let mut closed = false;
    loop {
        let start = xml.buffer_position();
        buf.clear();
        xml.get_mut().start_event();
        let ev = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                if let Some(f) = xml.get_ref().fault() {
                    return Err(f);
                }
                let at = xml.get_ref().place(xml.error_position());
                return Err(error_at(at, describe(&e)));
            }
        };
        if let Some(f) = xml.get_ref().fault() {
            return Err(f);
        }
        let here = xml.get_ref().place(start);
        let consumed = xml.get_ref().consumed();
        let attrs = |e: &BytesStart| -> Result<Vec<(String, String)>> {
            let mut v: Vec<(String, String)> = Vec::new();
            for a in e.attributes() {
                let a = a.map_err(|x| error_at(here, describe(&x.into())))?;
                let val = a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|x| error_at(here, describe(&x)))?
                    .into_owned();
                if let Some(c) = forbidden_char(&val) {
                    return Err(error_at(here, forbidden_message(c, "in an attribute")));
                }
                v.push((a.key.as_ref().to_string(), val));
            }
            Ok(v)
        };
        let get = |v: &[(String, String)], k: &str| {
            v.iter().find(|(n, _)| n == k).map(|(_, s)| s.clone())
        };
        match ev {
            Event::Start(e) | Event::Empty(e) if closed => {
                return Err(error_at(
                    here,
                    format!("<{}> after </xliff> is not allowed", e.name().as_ref()),
                ));
            }
            Event::Text(t)
                if stack.is_empty()
                    && !t.xml10_content().bytes().all(|b| b.is_ascii_whitespace()) =>
            {
                let at = if closed {
                    "after </xliff>"
                } else {
                    "before <xliff>"
                };
                return Err(error_at(here, format!("text {at} is not allowed")));
            }
            Event::GeneralRef(_) | Event::CData(_) if stack.is_empty() => {
                let at = if closed {
                    "after </xliff>"
                } else {
                    "before <xliff>"
                };
                return Err(error_at(here, format!("text {at} is not allowed")));
            }
            Event::DocType(t) => entities.declare(&t.xml10_content()),
            Event::Decl(d) => {
                if let Some(Ok(enc)) = d.encoding() {
                    let enc = enc.to_string();
                    if !known_encoding(&enc) {
                        return Err(error_at(
                            here,
                            format!("the file says it is in {enc}; save it as UTF-8"),
                        ));
                    }
                }
            }
            Event::Start(_) if stack.len() >= limits.max_depth => {
                return Err(error_at(
                    here,
                    format!(
                        "elements nested more than {} deep (--max-depth); raise the limit to read it",
                        limits.max_depth
                    ),
                ));
            }
            Event::Start(e) if into != 0 && !matches!(e.name().as_ref(), "source" | "target") => {
                // Inline markup: the text of <pc> and <mrk> is kept.
                stack.push(e.name().as_ref().to_string());
            }
            Event::Empty(e) if into != 0 && e.name().as_ref() == "cp" => {
                // A character XML cannot hold, by its code point: U+FFFD, as the writers do.
                push(
                    into,
                    "\u{FFFD}",
                    &mut seg_source,
                    &mut seg_target,
                    &mut meta,
                    &limits,
                )
                .map_err(|m| error_at(here, m))?;
            }
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                let a = attrs(&e)?;
                match name.as_str() {
                    "xliff" if stack.is_empty() => {
                        let version = get(&a, "version").unwrap_or_default();
                        if !version.starts_with('2') {
                            return Err(error_at(
                                here,
                                format!("XLIFF version {version}: paralign reads XLIFF 2.0 (the files `paralign export --format xliff` writes)"),
                            ));
                        }
                        let lang = |k: &str| -> Result<String> {
                            match get(&a, k) {
                                Some(v) if !v.trim().is_empty() => LangTag::parse(&v)
                                    .map(|t| t.as_str().to_string())
                                    .map_err(|e| error_at(here, format!("{k}: {e}"))),
                                _ => Ok(String::new()),
                            }
                        };
                        out.source_lang = lang("srcLang")?;
                        out.target_lang = lang("trgLang")?;
                        out.root = get(&a, "paralign:root").filter(|r| !r.is_empty());
                    }
                    _ if stack.is_empty() => {
                        return Err(error_at(
                            here,
                            format!("not an XLIFF file: the root element is <{}>", name),
                        ))
                    }
                    "file" => file_doc = get(&a, "original").unwrap_or_default(),
                    "unit" => {
                        let id = get(&a, "id").unwrap_or_default();
                        parts.clear();
                        unit = Some(XliffUnit {
                            document: file_doc.clone(),
                            index: id.strip_prefix('p').and_then(|n| n.parse().ok()),
                            id,
                            source: String::new(),
                            target: None,
                            state: None,
                            place: here,
                        });
                    }
                    "mtc:matches" | "matches" => in_match = true,
                    "segment" | "ignorable" => {
                        seg_source.clear();
                        seg_target = None;
                        if let Some(u) = unit.as_mut() {
                            if u.state.is_none() {
                                u.state = get(&a, "state");
                            }
                        }
                    }
                    "source" if unit.is_some() && !in_match => into = 1,
                    "target" if unit.is_some() && !in_match => {
                        into = 2;
                        seg_target = Some(String::new());
                    }
                    "mda:meta" | "meta" if unit.is_some() && !in_match => {
                        meta = Some((get(&a, "type").unwrap_or_default(), String::new()));
                        into = 3;
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::Empty(e) if stack.is_empty() => {
                let a = attrs(&e)?;
                let version = get(&a, "version").unwrap_or_default();
                return Err(error_at(
                    here,
                    if e.name().as_ref() != "xliff" {
                        format!(
                            "not an XLIFF file: the root element is <{}>",
                            e.name().as_ref()
                        )
                    } else if !version.starts_with('2') {
                        format!("XLIFF version {version}: paralign reads XLIFF 2.0 (the files `paralign export --format xliff` writes)")
                    } else {
                        "the XLIFF file holds no <file>".to_string()
                    },
                ));
            }
            Event::Empty(e) if e.name().as_ref() == "target" && unit.is_some() && !in_match => {
                seg_target = Some(String::new());
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                stack.pop();
                closed = stack.is_empty();
                if into != 0 && !matches!(name.as_str(), "source" | "target" | "mda:meta" | "meta")
                {
                    continue;
                }
                match name.as_str() {
                    "source" | "target" => into = 0,
                    "mda:meta" | "meta" => {
                        into = 0;
                        if let (Some((k, v)), Some(u)) = (meta.take(), unit.as_mut()) {
                            match k.as_str() {
                                "document" if !v.trim().is_empty() => u.document = v,
                                "paragraph" => {
                                    if let Ok(n) = v.trim().parse() {
                                        u.index = Some(n)
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    "mtc:matches" | "matches" => in_match = false,
                    "segment" | "ignorable" => {
                        parts.push((std::mem::take(&mut seg_source), seg_target.take()));
                    }
                    "unit" => {
                        if let Some(mut u) = unit.take() {
                            u.source = clean_controls(parts.iter().map(|p| p.0.as_str()).collect());
                            if parts.iter().any(|p| p.1.is_some()) {
                                u.target = Some(clean_controls(
                                    parts
                                        .iter()
                                        .map(|p| p.1.as_deref().unwrap_or(&p.0))
                                        .collect(),
                                ));
                            }
                            u.document = clean_controls(u.document);
                            out.units.push(u);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                push(
                    into,
                    &s,
                    &mut seg_source,
                    &mut seg_target,
                    &mut meta,
                    &limits,
                )
                .map_err(|m| error_at(here, m))?;
            }
            Event::CData(t) => {
                let s = t.xml10_content().into_owned();
                if let Some(c) = forbidden_char(&s) {
                    return Err(error_at(here, forbidden_message(c, "in CDATA")));
                }
                push(
                    into,
                    &s,
                    &mut seg_source,
                    &mut seg_target,
                    &mut meta,
                    &limits,
                )
                .map_err(|m| error_at(here, m))?;
            }
            Event::GeneralRef(r) => {
                let c = r
                    .resolve_char_ref()
                    .map_err(|e| error_at(here, describe(&e)))?;
                let mut s = String::new();
                entities
                    .resolve(&r, c, consumed, &limits, limits.max_segment, &mut s)
                    .map_err(|m| error_at(here, m))?;
                push(
                    into,
                    &s,
                    &mut seg_source,
                    &mut seg_target,
                    &mut meta,
                    &limits,
                )
                .map_err(|m| error_at(here, m))?;
            }
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(error_at(
                        here,
                        format!(
                            "the file ends inside <{}>: is it cut short?",
                            stack.last().map(String::as_str).unwrap_or_default()
                        ),
                    ));
                }
                if out.source_lang.is_empty() && out.units.is_empty() {
                    return Err(error_at(here, "not an XLIFF file: no <xliff> element"));
                }
                break;
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Add text to what is being collected (`into`: 1 source, 2 target, 3 meta), refusing a
/// text longer than the segment limit.
fn push(
    into: u8,
    s: &str,
    source: &mut String,
    target: &mut Option<String>,
    meta: &mut Option<(String, String)>,
    limits: &Limits,
) -> std::result::Result<(), String> {
    let t = match into {
        1 => source,
        2 => match target.as_mut() {
            Some(t) => t,
            None => return Ok(()),
        },
        3 => match meta.as_mut() {
            Some(m) => &mut m.1,
            None => return Ok(()),
        },
        _ => return Ok(()),
    };
    if t.len() + s.len() > limits.max_segment {
        return Err(format!(
            "a segment longer than {} bytes (--max-segment-size); raise the limit to read it",
            limits.max_segment
        ));
    }
    t.push_str(s);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> TodoDoc {
        TodoDoc {
            document: "sub/statement".into(),
            paragraphs: vec![
                TodoParagraph {
                    index: 3,
                    line: 10,
                    label: Some("2".into()),
                    text: "2. Fares <rise> & \"more\"\nagain\u{1}".into(),
                    state: TodoState::Missing,
                    suggestion: Some(Suggestion {
                        source: "2. Fares rise".into(),
                        target: "2. Las tarifas suben".into(),
                        similarity: 87.0,
                        origin: "paralign memory".into(),
                    }),
                    draft: None,
                },
                TodoParagraph {
                    index: 4,
                    line: 12,
                    label: None,
                    text: "Title".into(),
                    state: TodoState::Outdated,
                    suggestion: None,
                    draft: None,
                },
            ],
        }
    }

    fn write() -> String {
        let header = XliffHeader {
            source_lang: "en".into(),
            target_lang: "es".into(),
        };
        let mut w = XliffWriter::new(Vec::new(), &header).unwrap();
        w.write_doc(&doc()).unwrap();
        w.write_doc(&TodoDoc {
            document: "empty".into(),
            paragraphs: vec![],
        })
        .unwrap();
        let (bytes, files, units, replaced) = w.finish().unwrap();
        assert_eq!((files, units, replaced), (1, 2, 1));
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn writes_exact_bytes() {
        let want = r##"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.0" srcLang="en" trgLang="es">
  <file id="f1" original="sub/statement" canResegment="no" xml:space="preserve">
    <unit id="p3" name="2">
      <mtc:matches>
        <mtc:match ref="#s1" similarity="87.0" type="tm" origin="paralign memory">
          <source>2. Fares rise</source>
          <target>2. Las tarifas suben</target>
        </mtc:match>
      </mtc:matches>
      <mda:metadata>
        <mda:metaGroup category="paralign">
          <mda:meta type="document">sub/statement</mda:meta>
          <mda:meta type="paragraph">3</mda:meta>
          <mda:meta type="line">10</mda:meta>
          <mda:meta type="label">2</mda:meta>
          <mda:meta type="state">missing</mda:meta>
        </mda:metaGroup>
      </mda:metadata>
      <segment id="s1" state="initial">
        <source>2. Fares &lt;rise&gt; &amp; "more"
again\u{FFFD}</source>
      </segment>
    </unit>
    <unit id="p4">
      <mda:metadata>
        <mda:metaGroup category="paralign">
          <mda:meta type="document">sub/statement</mda:meta>
          <mda:meta type="paragraph">4</mda:meta>
          <mda:meta type="line">12</mda:meta>
          <mda:meta type="state">outdated</mda:meta>
        </mda:metaGroup>
      </mda:metadata>
      <segment id="s1" state="initial">
        <source>Title</source>
      </segment>
    </unit>
  </file>
</xliff>
"##
        .replace("\\u{FFFD}", "\u{FFFD}");
        assert_eq!(write(), want);
    }

    #[test]
    fn reads_a_filled_file() {
        let filled = write().replace(
            "again\u{FFFD}</source>\n      </segment>",
            "again\u{FFFD}</source>\n        <target>2. Tarifas <pc id=\"1\">suben</pc><ph id=\"2\"/> &amp; <cp hex=\"0001\"/></target>\n      </segment>",
        );
        let x = read_xliff(filled.as_bytes()).unwrap();
        assert_eq!(
            (x.source_lang.as_str(), x.target_lang.as_str()),
            ("en", "es")
        );
        assert_eq!(x.units.len(), 2);
        let u = &x.units[0];
        assert_eq!(u.document, "sub/statement");
        assert_eq!(u.index, Some(3));
        assert_eq!(u.source, "2. Fares <rise> & \"more\"\nagain\u{FFFD}");
        assert_eq!(u.target.as_deref(), Some("2. Tarifas suben & \u{FFFD}"));
        assert_eq!(u.state.as_deref(), Some("initial"));
        assert_eq!(u.place.0, 4);
        assert_eq!(x.units[1].target, None);
    }

    #[test]
    fn segments_of_a_unit_are_joined() {
        let text = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">
<file id="f1" original="d"><unit id="p7"><segment><source>One. </source><target>Un. </target></segment>
<ignorable><source> </source></ignorable><segment><source>Two.</source><target>Deux.</target></segment></unit></file></xliff>"#;
        let x = read_xliff(text.as_bytes()).unwrap();
        assert_eq!(x.units[0].index, Some(7));
        assert_eq!(x.units[0].source, "One.  Two.");
        assert_eq!(x.units[0].target.as_deref(), Some("Un.  Deux."));
        let e = read_xliff(&b"<xliff version=\"1.2\"/>"[..]).unwrap_err();
        assert!(e.to_string().contains("XLIFF version 1.2"), "{e}");
        let e = read_xliff(&b"<xliff version=\"2.0\"><file id=\"f\">"[..]).unwrap_err();
        assert!(e.to_string().contains("cut short"), "{e}");
    }
}
