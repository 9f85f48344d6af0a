//! XLIFF 2.0.
//!
//! Written: one `<file>` per document (`id` f1, f2…, `original` the document's name,
//! `canResegment="no"` and `xml:space="preserve"` so that a unit stays one paragraph with its
//! line breaks), one `<unit>` per paragraph (`id` p + its 0-based index, `name` its label), with
//! the paragraph's identity in the Metadata module (`mda:` document, paragraph, line, label,
//! state, flags) and, when the memory has a close earlier translation, that as a suggestion in
//! the Translation Candidates module (`mtc:match` with its similarity, 0 to 100), then one
//! segment with the source text and its translation or draft if any, its `state` `final` for
//! a sound translation, `translated` for an exact draft and (with `subState="paralign:FLAGS"`)
//! a flagged translation, `initial` for one to translate or a fuzzy draft.
//!
//! Read: every unit with its document, paragraph index, source and target text (the segments
//! and ignorables of a unit joined, inline codes dropped, the text of `<pc>` and `<mrk>` kept,
//! `<cp>` as U+FFFD; no target for a unit marked `translate="no"`, on itself, its group or its
//! file), strictly: the scanner's defences, and `srcLang` or `trgLang` must be a
//! BCP 47 tag. C1 control characters become U+FFFD.

use std::io::{self, Write};

use quick_xml::events::{BytesDecl, BytesStart, Event};

use super::scan::{get, Item, Scanner};
use super::{
    attr, push_limited, TodoDoc, TodoParagraph, TodoState, XliffFile, XliffHeader, XliffUnit,
    XliffWriter, NS_PARALIGN,
};
use crate::error::Result;
use crate::exchange::clean_controls;

/// The XLIFF 2.0 namespaces.
const NS_XLIFF: &str = "urn:oasis:names:tc:xliff:document:2.0";
const NS_MTC: &str = "urn:oasis:names:tc:xliff:matches:2.0";
const NS_MDA: &str = "urn:oasis:names:tc:xliff:metadata:2.0";

impl<W: Write> XliffWriter<W> {
    /// The declaration and `<xliff>` of a 2.0 file.
    pub(super) fn start_v20(&mut self, header: &XliffHeader, root: Option<&str>) -> io::Result<()> {
        self.xml
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let src = self.esc_attr(&header.source_lang);
        let trg = self.esc_attr(&header.target_lang);
        let root = root.map(|r| self.esc_attr(r));
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
        self.open(x)
    }

    fn meta(&mut self, kind: &str, value: &str) -> io::Result<()> {
        let mut m = BytesStart::new("mda:meta");
        m.push_attribute(attr("type", kind));
        self.element(m, value)
    }

    /// One document as a 2.0 `<file>`.
    pub(super) fn doc_v20(&mut self, doc: &TodoDoc) -> io::Result<()> {
        let id = format!("f{}", self.files);
        let original = self.esc_attr(&doc.document);
        let mut f = BytesStart::new("file");
        f.push_attribute(attr("id", &id));
        f.push_attribute(attr("original", &original));
        f.push_attribute(attr("canResegment", "no"));
        f.push_attribute(attr("xml:space", "preserve"));
        self.open(f)?;
        for p in &doc.paragraphs {
            self.unit_v20(&doc.document, p)?;
        }
        self.close("file")
    }

    fn unit_v20(&mut self, document: &str, p: &TodoParagraph) -> io::Result<()> {
        self.units += 1;
        let id = format!("p{}", p.index);
        let mut u = BytesStart::new("unit");
        u.push_attribute(attr("id", &id));
        let label = p.label.as_deref().map(|l| self.esc_attr(l));
        if let Some(l) = &label {
            u.push_attribute(attr("name", l));
        }
        self.open(u)?;
        if let Some(s) = &p.suggestion {
            self.open(BytesStart::new("mtc:matches"))?;
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
            self.open(m)?;
            self.element(BytesStart::new("source"), &s.source)?;
            self.element(BytesStart::new("target"), &s.target)?;
            self.close("mtc:match")?;
            self.close("mtc:matches")?;
        }
        self.metadata_v20(document, p)?;
        let mut s = BytesStart::new("segment");
        s.push_attribute(attr("id", "s1"));
        let (state, sub) = state_v20(p);
        s.push_attribute(attr("state", state));
        if let Some(sub) = &sub {
            s.push_attribute(attr("subState", sub));
        }
        self.open(s)?;
        self.element(BytesStart::new("source"), &p.text)?;
        let target = p.draft.as_ref().map(|d| &d.text).or(p.translation.as_ref());
        if let Some(t) = target {
            self.element(BytesStart::new("target"), t)?;
        }
        self.close("segment")?;
        self.close("unit")
    }

    /// The paragraph's identity in the Metadata module.
    fn metadata_v20(&mut self, document: &str, p: &TodoParagraph) -> io::Result<()> {
        self.open(BytesStart::new("mda:metadata"))?;
        let mut g = BytesStart::new("mda:metaGroup");
        g.push_attribute(attr("category", "paralign"));
        self.open(g)?;
        self.meta("document", document)?;
        self.meta("paragraph", &p.index.to_string())?;
        self.meta("line", &p.line.to_string())?;
        if let Some(l) = &p.label {
            self.meta("label", l)?;
        }
        self.meta("state", p.state.as_str())?;
        if p.flags.len() > 1 || p.state == TodoState::Flagged {
            let flags: Vec<&str> = p.flags.iter().map(|f| f.as_str()).collect();
            self.meta("flags", &flags.join(","))?;
        }
        if let Some(d) = &p.draft {
            self.meta("match", &d.percent.to_string())?;
        }
        self.close("mda:metaGroup")?;
        self.close("mda:metadata")
    }
}

/// A paragraph's segment `state` in 2.0's names, and its `subState` (paralign's flags): a
/// draft is `translated` when exact, else `initial`; a paragraph to translate is `initial`; a
/// sound translation `final`; a flagged one `translated` (2.0 has no state for a translation
/// to review), its flags in `subState` (`paralign:diverging`, `paralign:diverging,misnumbered`).
fn state_v20(p: &TodoParagraph) -> (&'static str, Option<String>) {
    if let Some(d) = &p.draft {
        return (if d.exact { "translated" } else { "initial" }, None);
    }
    match p.state {
        TodoState::Translated => ("final", None),
        TodoState::Flagged => {
            let flags: Vec<&str> = p.flags.iter().map(|f| f.as_str()).collect();
            ("translated", Some(format!("paralign:{}", flags.join(","))))
        }
        _ => ("initial", None),
    }
}

/// Which text is being collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Into {
    Nothing,
    Source,
    Target,
    Meta,
}

/// The state of reading the units of a 2.0 file.
struct Units {
    file_doc: String,
    unit: Option<XliffUnit>,
    into: Into,
    meta: Option<(String, String)>,
    seg_source: String,
    seg_target: Option<String>,
    /// The unit's segments and ignorables: source and target, if any.
    parts: Vec<(String, Option<String>)>,
    in_match: bool,
    /// For each open `<file>`, `<group>` and `<unit>`: whether it is not to be translated
    /// (`translate="no"`, inherited).
    no_translate: Vec<bool>,
}

/// Read the units of a 2.0 file, from after `<xliff>` to its end tag.
pub(super) fn read_units(scan: &mut Scanner, out: &mut XliffFile) -> Result<()> {
    scan.want_attrs(&[
        "file",
        "group",
        "unit",
        "segment",
        "ignorable",
        "mda:meta",
        "meta",
    ]);
    let mut u = Units {
        file_doc: String::new(),
        unit: None,
        into: Into::Nothing,
        meta: None,
        seg_source: String::new(),
        seg_target: None,
        parts: Vec::new(),
        in_match: false,
        no_translate: Vec::new(),
    };
    loop {
        match scan.next_item()? {
            Item::Start { name, attrs, empty } => u.start(scan, &name, &attrs, empty)?,
            Item::End(_) if scan.depth() == 0 => return Ok(()),
            Item::End(name) => u.end(&name, out),
            Item::Text(s) => u.push(&s, scan.limits()).map_err(|m| scan.error(m))?,
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
    ) -> Result<()> {
        if empty {
            if self.into != Into::Nothing && name == "cp" {
                // A character XML cannot hold, by its code point: U+FFFD, as the writers do.
                self.push("\u{FFFD}", scan.limits())
                    .map_err(|m| scan.error(m))?;
            } else if name == "target" && self.unit.is_some() && !self.in_match {
                self.seg_target = Some(String::new());
                self.note_line(false, scan.here().0);
            }
            return Ok(());
        }
        if self.into != Into::Nothing && !matches!(name, "source" | "target") {
            // Inline markup: the text of <pc> and <mrk> is kept.
            return Ok(());
        }
        let in_unit = self.unit.is_some() && !self.in_match;
        if matches!(name, "file" | "group" | "unit") {
            let inherited = self.no_translate.last().copied().unwrap_or(false);
            self.no_translate
                .push(match get(a, "translate").as_deref() {
                    Some("no") => true,
                    Some("yes") => false,
                    _ => inherited,
                });
        }
        match name {
            "file" => self.file_doc = get(a, "original").unwrap_or_default(),
            "unit" => {
                let id = get(a, "id").unwrap_or_default();
                self.parts.clear();
                self.unit = Some(XliffUnit {
                    document: self.file_doc.clone(),
                    index: id.strip_prefix('p').and_then(|n| n.parse().ok()),
                    id,
                    source: String::new(),
                    target: None,
                    state: None,
                    place: scan.here(),
                    lines: (0, None),
                    translate: true,
                });
            }
            "mtc:matches" | "matches" => self.in_match = true,
            "segment" | "ignorable" => {
                self.seg_source.clear();
                self.seg_target = None;
                if let Some(u) = self.unit.as_mut() {
                    if u.state.is_none() {
                        u.state = get(a, "state");
                    }
                }
            }
            "source" if in_unit => {
                self.into = Into::Source;
                self.note_line(true, scan.here().0);
            }
            "target" if in_unit => {
                self.into = Into::Target;
                self.note_line(false, scan.here().0);
                self.seg_target = Some(String::new());
            }
            "mda:meta" | "meta" if in_unit => {
                self.meta = Some((get(a, "type").unwrap_or_default(), String::new()));
                self.into = Into::Meta;
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &str, out: &mut XliffFile) {
        if self.into != Into::Nothing && !matches!(name, "source" | "target" | "mda:meta" | "meta")
        {
            return;
        }
        match name {
            "source" | "target" => self.into = Into::Nothing,
            "mda:meta" | "meta" => {
                self.into = Into::Nothing;
                self.apply_meta();
            }
            "mtc:matches" | "matches" => self.in_match = false,
            "segment" | "ignorable" => {
                let part = (std::mem::take(&mut self.seg_source), self.seg_target.take());
                self.parts.push(part);
            }
            "file" | "group" => {
                self.no_translate.pop();
            }
            "unit" => {
                // A unit not to translate has no target, whatever a tool copied into it.
                let translate = self.no_translate.pop() != Some(true);
                if let Some(mut u) = self.unit.take() {
                    u.translate = translate;
                    let parts = &self.parts;
                    u.source = clean_controls(parts.iter().map(|p| p.0.as_str()).collect());
                    if !translate {
                        u.state = None;
                    } else if parts.iter().any(|p| p.1.is_some()) {
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

    /// The line of the unit's first `<source>` (or `<target>`).
    fn note_line(&mut self, source: bool, line: usize) {
        if let Some(u) = self.unit.as_mut() {
            if source && u.lines.0 == 0 {
                u.lines.0 = line;
            } else if !source && u.lines.1.is_none() {
                u.lines.1 = Some(line);
            }
        }
    }

    /// A `mda:meta` just closed: the document and paragraph it names.
    fn apply_meta(&mut self) {
        let (Some((k, v)), Some(u)) = (self.meta.take(), self.unit.as_mut()) else {
            return;
        };
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

    /// Add text to what is being collected.
    fn push(&mut self, s: &str, limits: &super::Limits) -> std::result::Result<(), String> {
        let to = match self.into {
            Into::Source => &mut self.seg_source,
            Into::Target => match self.seg_target.as_mut() {
                Some(t) => t,
                None => return Ok(()),
            },
            Into::Meta => match self.meta.as_mut() {
                Some(m) => &mut m.1,
                None => return Ok(()),
            },
            Into::Nothing => return Ok(()),
        };
        push_limited(to, s, limits)
    }
}

#[cfg(test)]
mod tests;
