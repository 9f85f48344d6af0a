//! XLIFF 1.2 (OASIS 2008), the version most CAT tools still exchange; 1.1 and 1.0 files use
//! the same elements and are read alike.
//!
//! Written as the 2.0 writer writes, in 1.2's elements: one `<file>` per document (`original`
//! its name, `source-language`, `target-language`, `datatype="plaintext"`,
//! `xml:space="preserve"`) with a `<body>`, one `<trans-unit>` per paragraph (`id` p + its
//! 0-based index, `resname` its label) holding the source, a `<target state>` (a draft:
//! `translated` for an exact match, `needs-review-translation` for one to revise; a
//! translation: `final`, or `needs-review-translation` when flagged; none: empty, `new`, or
//! `needs-translation` when untranslated or outdated), a `<note from="paralign">` with where it
//! stands, and the memory's suggestion as `<alt-trans>`.
//! paralign's root folder goes on `<xliff>` as `paralign:root`, as in 2.0.
//!
//! Read into the same units as 2.0: the document from `<file original>`, the paragraph index
//! from the unit id `pN`, source and target text with the text of `<g>` and `<mrk>` kept and
//! the codes dropped (`<x/>`, `<bx/>`, `<ex/>`, and `<ph>`, `<bpt>`, `<ept>`, `<it>` with the
//! native code they hold), as the 2.0 reader keeps `<pc>` and drops `<ph/>`, `<sc/>`, `<ec/>`.
//! With a `<seg-source>`, the target's `<mrk mtype="seg">` pair with its segments by `mid`
//! (a segment left without a target keeps its source, as 2.0 does). `<alt-trans>` and notes
//! are passed over; a unit marked `translate="no"` has no target. States take 2.0's names.

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesStart, Event};

use super::scan::{get, Item, Scanner};
use super::{
    attr, push_limited, Limits, TodoDoc, TodoParagraph, TodoState, XliffFile, XliffHeader,
    XliffUnit, XliffWriter, NS_PARALIGN, NS_XLIFF12,
};
use crate::error::Result;
use crate::exchange::clean_controls;
use crate::language::LangTag;

impl<W: Write> XliffWriter<W> {
    /// The declaration and `<xliff>` of a 1.2 file.
    pub(super) fn start_v12(&mut self, header: &XliffHeader, root: Option<&str>) -> io::Result<()> {
        self.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        self.langs = (
            self.esc_attr(&header.source_lang),
            self.esc_attr(&header.target_lang),
        );
        let root = root.map(|r| self.esc_attr(r));
        let mut x = BytesStart::new("xliff");
        x.push_attribute(attr("xmlns", NS_XLIFF12));
        x.push_attribute(attr("version", "1.2"));
        if let Some(r) = &root {
            x.push_attribute(attr("xmlns:paralign", NS_PARALIGN));
            x.push_attribute(attr("paralign:root", r));
        }
        self.open(x)
    }

    /// One document as a 1.2 `<file>` with its `<body>`.
    pub(super) fn doc_v12(&mut self, doc: &TodoDoc) -> io::Result<()> {
        let original = self.esc_attr(&doc.document);
        let (src, trg) = self.langs.clone();
        let mut f = BytesStart::new("file");
        for (k, v) in [
            ("original", original.as_str()),
            ("source-language", src.as_str()),
            ("target-language", trg.as_str()),
            ("datatype", "plaintext"),
            ("xml:space", "preserve"),
        ] {
            f.push_attribute(attr(k, v));
        }
        self.open(f)?;
        self.open(BytesStart::new("body"))?;
        for p in &doc.paragraphs {
            self.unit_v12(p)?;
        }
        self.close("body")?;
        self.close("file")
    }

    fn unit_v12(&mut self, p: &TodoParagraph) -> io::Result<()> {
        self.units += 1;
        let id = format!("p{}", p.index);
        let mut u = BytesStart::new("trans-unit");
        u.push_attribute(attr("id", &id));
        let label = p.label.as_deref().map(|l| self.esc_attr(l));
        if let Some(l) = &label {
            u.push_attribute(attr("resname", l));
        }
        self.open(u)?;
        self.element(BytesStart::new("source"), &p.text)?;
        let (state, text) = target_v12(p);
        let mut t = BytesStart::new("target");
        t.push_attribute(attr("state", state));
        self.element(t, text)?;
        let mut n = BytesStart::new("note");
        n.push_attribute(attr("from", "paralign"));
        self.element(n, &note(p))?;
        if let Some(s) = &p.suggestion {
            let quality = format!("{:.1}", s.similarity.clamp(0.0, 100.0));
            let origin = self.esc_attr(&s.origin);
            let mut a = BytesStart::new("alt-trans");
            a.push_attribute(attr("match-quality", &quality));
            a.push_attribute(attr("origin", &origin));
            self.open(a)?;
            self.element(BytesStart::new("source"), &s.source)?;
            self.element(BytesStart::new("target"), &s.target)?;
            self.close("alt-trans")?;
        }
        self.close("trans-unit")
    }
}

/// A paragraph's `<target>` in 1.2: its `state` and text. A draft is `translated` when exact,
/// else `needs-review-translation`; a sound translation `final`, a flagged one
/// `needs-review-translation`; a paragraph with no translation an empty target `new`, one
/// left untranslated or outdated an empty target `needs-translation`.
fn target_v12(p: &TodoParagraph) -> (&'static str, &str) {
    if let Some(d) = &p.draft {
        let state = if d.exact {
            "translated"
        } else {
            "needs-review-translation"
        };
        return (state, &d.text);
    }
    let text = p.translation.as_deref().unwrap_or_default();
    match p.state {
        TodoState::Translated if p.translation.is_some() => ("final", text),
        TodoState::Flagged if p.translation.is_some() => ("needs-review-translation", text),
        TodoState::Untranslated | TodoState::Outdated => ("needs-translation", ""),
        _ => ("new", ""),
    }
}

/// What the 2.0 file says in its metadata, as one note for the translator: why the paragraph
/// is here, its flags, its line, its label and the match its draft comes from.
fn note(p: &TodoParagraph) -> String {
    let mut s = format!("state: {}; line: {}", p.state.as_str(), p.line);
    if p.flags.len() > 1 || p.state == TodoState::Flagged {
        let flags: Vec<&str> = p.flags.iter().map(|f| f.as_str()).collect();
        s.push_str(&format!("; flags: {}", flags.join(",")));
    }
    if let Some(l) = &p.label {
        s.push_str(&format!("; label: {l}"));
    }
    if let Some(d) = &p.draft {
        s.push_str(&format!("; match: {}", d.percent));
    }
    s
}

/// A 1.2 target state (and `approved`) in the names of 2.0.
fn state_v20(state: Option<&str>, approved: bool) -> Option<String> {
    let s = match state.map(str::trim) {
        _ if approved => "final",
        Some("new" | "needs-translation" | "needs-adaptation" | "needs-l10n") => "initial",
        Some(
            "translated"
            | "needs-review-translation"
            | "needs-review-adaptation"
            | "needs-review-l10n",
        ) => "translated",
        Some("signed-off") => "reviewed",
        Some("final") => "final",
        _ => return None,
    };
    Some(s.to_string())
}

/// The text of a `<source>`, `<seg-source>` or `<target>`, whole and in pieces: the segments
/// (`<mrk mtype="seg">`, with their `mid`) and the text between them.
#[derive(Debug, Default)]
struct Split {
    all: String,
    pieces: Vec<(Option<String>, String)>,
    in_seg: bool,
}

impl Split {
    fn push(&mut self, s: &str, limits: &Limits) -> std::result::Result<(), String> {
        push_limited(&mut self.all, s, limits)?;
        match self.pieces.last_mut() {
            Some((Some(_), t)) if self.in_seg => t.push_str(s),
            Some((None, t)) => t.push_str(s),
            _ => self.pieces.push((None, s.to_string())),
        }
        Ok(())
    }

    fn has_segments(&self) -> bool {
        self.pieces.iter().any(|p| p.0.is_some())
    }

    /// The target of a segmented unit: each segment of `source` replaced by the target's
    /// segment with its `mid`, the text between segments as in the source.
    fn paired(&self, source: &Split) -> String {
        let mut out = String::new();
        for (mid, text) in &source.pieces {
            let t = mid.as_ref().and_then(|m| {
                self.pieces
                    .iter()
                    .find(|(tm, _)| tm.as_ref() == Some(m))
                    .map(|p| p.1.as_str())
            });
            out.push_str(t.unwrap_or(text));
        }
        out
    }
}

/// Which text is being collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Into {
    Source,
    SegSource,
    Target,
}

/// An inline element open inside a collected text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inline {
    /// Its text is the translatable text (`<g>`, `<mrk>`).
    Keep,
    /// A segment of a `<seg-source>` or `<target>`.
    Segment,
    /// Native code (`<ph>`, `<bpt>`, `<ept>`, `<it>`), dropped with what it holds.
    Code,
}

/// One `<trans-unit>` being read.
struct Unit {
    unit: XliffUnit,
    translate: bool,
    approved: bool,
    has_source: bool,
    source: Split,
    seg_source: Split,
    target: Option<Split>,
    state: Option<String>,
}

/// The state of reading the units of a 1.2 file.
#[derive(Default)]
struct Units {
    file_doc: String,
    unit: Option<Unit>,
    into: Option<Into>,
    inline: Vec<Inline>,
    /// How deep inside `<alt-trans>`: nothing there is read.
    alt: usize,
    /// For each open `<group>`: whether it is not to be translated (`translate="no"`,
    /// inherited by the groups and units inside).
    no_translate: Vec<bool>,
}

/// Read the units of a 1.2 file, from after `<xliff>` to its end tag.
pub(super) fn read_units(scan: &mut Scanner, out: &mut XliffFile) -> Result<()> {
    scan.want_attrs(&["file", "group", "trans-unit", "target", "mrk"]);
    let mut u = Units::default();
    loop {
        match scan.next_item()? {
            Item::Start { name, attrs, empty } => u.start(scan, &name, &attrs, empty, out)?,
            Item::End(_) if scan.depth() == 0 => return Ok(()),
            Item::End(name) => u.end(&name, out),
            Item::Text(s) => u.text(&s, scan.limits()).map_err(|m| scan.error(m))?,
            Item::Eof => return Ok(()),
        }
    }
}

impl Units {
    fn start(
        &mut self,
        scan: &Scanner,
        name: &str,
        a: &[(String, String)],
        empty: bool,
        out: &mut XliffFile,
    ) -> Result<()> {
        if self.alt > 0 || name == "alt-trans" {
            self.alt += usize::from(!empty);
            return Ok(());
        }
        if self.into.is_some() {
            if !empty {
                self.open_inline(name, a);
            }
            return Ok(());
        }
        let inherited = self.no_translate.last().copied().unwrap_or(false);
        let translate = match get(a, "translate").as_deref() {
            Some("no") => false,
            Some("yes") => true,
            _ => !inherited,
        };
        match name {
            "file" => self.file(scan, a, out)?,
            "group" if !empty => self.no_translate.push(!translate),
            "trans-unit" => {
                let id = get(a, "id").unwrap_or_default();
                self.unit = Some(Unit {
                    unit: XliffUnit {
                        document: self.file_doc.clone(),
                        index: id.strip_prefix('p').and_then(|n| n.parse().ok()),
                        id,
                        source: String::new(),
                        target: None,
                        state: None,
                        place: scan.here(),
                        lines: (0, None),
                        translate,
                    },
                    translate,
                    approved: get(a, "approved").as_deref() == Some("yes"),
                    has_source: false,
                    source: Split::default(),
                    seg_source: Split::default(),
                    target: None,
                    state: None,
                });
            }
            _ => self.open_text(name, a, empty, scan.here().0),
        }
        Ok(())
    }

    /// A `<source>`, `<seg-source>` or `<target>` of the unit being read.
    fn open_text(&mut self, name: &str, a: &[(String, String)], empty: bool, line: usize) {
        let Some(u) = self.unit.as_mut() else {
            return;
        };
        let into = match name {
            "source" => {
                u.has_source = true;
                if u.unit.lines.0 == 0 {
                    u.unit.lines.0 = line;
                }
                Into::Source
            }
            "seg-source" => Into::SegSource,
            "target" => {
                u.unit.lines.1.get_or_insert(line);
                u.target = Some(Split::default());
                u.state = get(a, "state");
                Into::Target
            }
            _ => return,
        };
        if !empty {
            self.into = Some(into);
        }
    }

    /// A `<file>`: its document, and its languages checked as BCP 47 tags.
    fn file(&mut self, scan: &Scanner, a: &[(String, String)], out: &mut XliffFile) -> Result<()> {
        self.file_doc = get(a, "original").unwrap_or_default();
        let tag = |key: &str| -> Result<Option<String>> {
            match get(a, key) {
                Some(v) if !v.trim().is_empty() => LangTag::parse(&v)
                    .map(|t| Some(t.as_str().to_string()))
                    .map_err(|e| scan.error(format!("{key}: {e}"))),
                _ => Ok(None),
            }
        };
        let Some(src) = tag("source-language")? else {
            return Err(scan.error(
                "<file> has no source-language, which XLIFF 1.2 requires; add the language the file is translated from (source-language=\"en\")",
            ));
        };
        if out.source_lang.is_empty() {
            out.source_lang = src;
        }
        let trg = tag("target-language")?.unwrap_or_default();
        if out.target_lang.is_empty() {
            out.target_lang = trg;
        } else if !trg.is_empty() && trg != out.target_lang {
            return Err(scan.error(format!(
                "<file> target-language `{trg}` differs from the first <file>'s `{}`; paralign imports one target language per file",
                out.target_lang
            )));
        }
        Ok(())
    }

    /// An element inside a collected text: kept, a segment, or code.
    fn open_inline(&mut self, name: &str, a: &[(String, String)]) {
        let kind = match name {
            _ if self.inline.contains(&Inline::Code) => Inline::Code,
            "ph" | "bpt" | "ept" | "it" => Inline::Code,
            "mrk"
                if self.into != Some(Into::Source) && get(a, "mtype").as_deref() == Some("seg") =>
            {
                Inline::Segment
            }
            _ => Inline::Keep,
        };
        if kind == Inline::Segment {
            if let Some(s) = self.split() {
                s.pieces
                    .push((Some(get(a, "mid").unwrap_or_default()), String::new()));
                s.in_seg = true;
            }
        }
        self.inline.push(kind);
    }

    /// The text being collected.
    fn split(&mut self) -> Option<&mut Split> {
        let u = self.unit.as_mut()?;
        match self.into? {
            Into::Source => Some(&mut u.source),
            Into::SegSource => Some(&mut u.seg_source),
            Into::Target => u.target.as_mut(),
        }
    }

    fn text(&mut self, s: &str, limits: &Limits) -> std::result::Result<(), String> {
        if self.alt > 0 || self.inline.contains(&Inline::Code) {
            return Ok(());
        }
        match self.split() {
            Some(t) => t.push(s, limits),
            None => Ok(()),
        }
    }

    fn end(&mut self, name: &str, out: &mut XliffFile) {
        if self.alt > 0 {
            self.alt -= 1;
            return;
        }
        if self.into.is_some() {
            match self.inline.pop() {
                Some(Inline::Segment) => {
                    if let Some(s) = self.split() {
                        s.in_seg = false;
                    }
                }
                Some(_) => {}
                None => self.into = None,
            }
            return;
        }
        match name {
            "group" => {
                self.no_translate.pop();
            }
            "trans-unit" => {
                if let Some(u) = self.unit.take() {
                    out.units.push(u.finish());
                }
            }
            _ => {}
        }
    }
}

impl Unit {
    /// The unit as 2.0 would have read it.
    fn finish(self) -> XliffUnit {
        let mut u = self.unit;
        let source = if self.has_source {
            self.source.all
        } else {
            self.seg_source.all.clone()
        };
        u.source = clean_controls(source);
        // A unit not to translate has no target, and so no state of one.
        let target = self.target.filter(|_| self.translate).map(|t| {
            if t.has_segments() && self.seg_source.has_segments() {
                t.paired(&self.seg_source)
            } else {
                t.all
            }
        });
        u.target = target.map(clean_controls);
        u.state = (self.translate)
            .then(|| state_v20(self.state.as_deref(), self.approved))
            .flatten();
        u.document = clean_controls(u.document);
        u
    }
}

#[cfg(test)]
mod tests;
