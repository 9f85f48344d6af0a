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
mod tests {
    use super::super::*;
    use crate::align::Flag;

    fn doc() -> TodoDoc {
        let para = |index, line, label: Option<&str>, text: &str, state| TodoParagraph {
            index,
            line,
            label: label.map(String::from),
            text: text.into(),
            state,
            suggestion: None,
            draft: None,
            translation: None,
            flags: Vec::new(),
        };
        let mut first = para(
            3,
            10,
            Some("2"),
            "2. Fares <rise> & \"more\"\nagain\u{1}",
            TodoState::Missing,
        );
        first.suggestion = Some(Suggestion {
            source: "2. Fares rise".into(),
            target: "2. Las tarifas suben".into(),
            similarity: 87.0,
            origin: "paralign memory".into(),
        });
        let mut second = para(4, 12, None, "Title", TodoState::Outdated);
        second.draft = Some(Draft {
            text: "Título".into(),
            exact: false,
            percent: 91,
        });
        let mut third = para(5, 14, Some("3"), "3. Done", TodoState::Translated);
        third.translation = Some("3. Hecho".into());
        let mut fourth = para(6, 16, None, "Odd 38", TodoState::Flagged);
        fourth.translation = Some("Raro 83".into());
        fourth.flags = vec![Flag::Diverging, Flag::Misnumbered];
        TodoDoc {
            document: "sub/statement".into(),
            paragraphs: vec![first, second, third, fourth],
        }
    }

    fn write(version: XliffVersion) -> String {
        let header = XliffHeader {
            source_lang: "en".into(),
            target_lang: "es".into(),
        };
        let mut w = XliffWriter::with_version(Vec::new(), &header, Some("/w"), version).unwrap();
        w.write_doc(&doc()).unwrap();
        let (bytes, files, units, replaced) = w.finish().unwrap();
        assert_eq!((files, units, replaced), (1, 4, 1));
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn writes_exact_bytes() {
        let want = r##"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" xmlns:paralign="urn:paralign:xliff:1" paralign:root="/w">
  <file original="sub/statement" source-language="en" target-language="es" datatype="plaintext" xml:space="preserve">
    <body>
      <trans-unit id="p3" resname="2">
        <source>2. Fares &lt;rise&gt; &amp; "more"
again\u{FFFD}</source>
        <target state="new"></target>
        <note from="paralign">state: missing; line: 10; label: 2</note>
        <alt-trans match-quality="87.0" origin="paralign memory">
          <source>2. Fares rise</source>
          <target>2. Las tarifas suben</target>
        </alt-trans>
      </trans-unit>
      <trans-unit id="p4">
        <source>Title</source>
        <target state="needs-review-translation">Título</target>
        <note from="paralign">state: outdated; line: 12; match: 91</note>
      </trans-unit>
      <trans-unit id="p5" resname="3">
        <source>3. Done</source>
        <target state="final">3. Hecho</target>
        <note from="paralign">state: translated; line: 14; label: 3</note>
      </trans-unit>
      <trans-unit id="p6">
        <source>Odd 38</source>
        <target state="needs-review-translation">Raro 83</target>
        <note from="paralign">state: flagged; line: 16; flags: diverging,misnumbered</note>
      </trans-unit>
    </body>
  </file>
</xliff>
"##
        .replace("\\u{FFFD}", "\u{FFFD}");
        assert_eq!(write(XliffVersion::V12), want);
    }

    /// A unit as compared: document, index, id, source, target, state.
    type Unit = (
        String,
        Option<usize>,
        String,
        String,
        Option<String>,
        Option<String>,
    );

    /// The same file in both versions reads into the same units (the place aside).
    #[test]
    fn both_versions_read_alike() {
        let key = |x: XliffFile| {
            let units: Vec<_> = x
                .units
                .into_iter()
                .map(|u| (u.document, u.index, u.id, u.source, u.target, u.state))
                .collect();
            (x.source_lang, x.target_lang, x.root, units)
        };
        let v12 = key(read_xliff(write(XliffVersion::V12).as_bytes()).unwrap());
        let v20 = key(read_xliff(write(XliffVersion::V20).as_bytes()).unwrap());
        assert_eq!(v12.3[1].4.as_deref(), Some("Título"));
        assert_eq!(v12.2.as_deref(), Some("/w"));
        // 2.0 states every segment, 1.2 a target, empty for a paragraph to translate; 2.0 has
        // no state for a translation to review, and a 1.2 `needs-review-translation` has a
        // translation.
        let states = |v: &(String, String, Option<String>, Vec<Unit>)| -> Vec<Option<String>> {
            v.3.iter().map(|u| u.5.clone()).collect()
        };
        let named = |s: [&str; 4]| s.map(|s| Some(s.to_string())).to_vec();
        assert_eq!(
            states(&v20),
            named(["initial", "initial", "final", "translated"])
        );
        assert_eq!(
            states(&v12),
            named(["initial", "translated", "final", "translated"])
        );
        assert_eq!(v12.3[0].4.as_deref(), Some(""));
        assert_eq!(v20.3[0].4, None);
        let (mut v12, mut v20) = (v12, v20);
        for u in v12.3.iter_mut().chain(v20.3.iter_mut()) {
            u.5 = None;
            u.4 = u.4.take().filter(|t| !t.is_empty());
        }
        assert_eq!(v12, v20);
    }

    fn unit(body: &str) -> XliffUnit {
        let text = format!(
            r#"<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="d" source-language="en" target-language="fr" datatype="plaintext"><body>{body}</body></file></xliff>"#
        );
        let mut x = read_xliff(text.as_bytes()).unwrap();
        assert_eq!(x.units.len(), 1, "{body}");
        x.units.remove(0)
    }

    #[test]
    fn inline_codes_are_dropped_and_their_text_kept() {
        let u = unit(
            r#"<trans-unit id="p2"><source>A <g id="1" ctype="bold">bold</g> word<x id="2"/>, <bpt id="3">&lt;i&gt;</bpt>slanted<ept id="3">&lt;/i&gt;</ept><ph id="4">{0}<sub>alt</sub></ph> <it id="5" pos="open">&lt;u&gt;</it>end<bx id="6"/><ex id="6"/>.</source>
<target state="translated">Un mot <g id="1">gras</g><x id="2"/>, <bpt id="3">&lt;i&gt;</bpt>penché<ept id="3">&lt;/i&gt;</ept><ph id="4">{0}</ph> <mrk mtype="term">fin</mrk>.</target></trans-unit>"#,
        );
        assert_eq!(u.index, Some(2));
        assert_eq!(u.source, "A bold word, slanted end.");
        assert_eq!(u.target.as_deref(), Some("Un mot gras, penché fin."));
        assert_eq!(u.state.as_deref(), Some("translated"));
    }

    #[test]
    fn segments_pair_by_mid() {
        let u = unit(
            r#"<group id="g1"><group id="g2"><trans-unit id="p7"><source>One. Two. Three.</source>
<seg-source><mrk mtype="seg" mid="1">One.</mrk> <mrk mtype="seg" mid="2">Two.</mrk> <mrk mtype="seg" mid="3">Three.</mrk></seg-source>
<target state="needs-review-translation"><mrk mtype="seg" mid="2">Deux.</mrk> <mrk mtype="seg" mid="1">Un.</mrk></target>
<alt-trans match-quality="50"><source>One.</source><target>Faux.</target></alt-trans><note>n</note></trans-unit></group></group>"#,
        );
        assert_eq!(u.source, "One. Two. Three.");
        assert_eq!(u.target.as_deref(), Some("Un. Deux. Three."));
        assert_eq!(u.state.as_deref(), Some("translated"));
    }

    #[test]
    fn states_take_the_names_of_2_0() {
        let state = |given: &str| {
            unit(&format!(
                r#"<trans-unit id="p1"><source>a</source><target state="{given}">b</target></trans-unit>"#
            ))
            .state
        };
        for (given, want) in [
            ("new", Some("initial")),
            ("needs-translation", Some("initial")),
            ("translated", Some("translated")),
            ("needs-review-translation", Some("translated")),
            ("signed-off", Some("reviewed")),
            ("final", Some("final")),
            ("x-custom", None),
        ] {
            assert_eq!(state(given).as_deref(), want, "{given}");
        }
        let approved = unit(
            r#"<trans-unit id="p1" approved="yes"><source>a</source><target>b</target></trans-unit>"#,
        );
        assert_eq!(approved.state.as_deref(), Some("final"));
        let no = unit(
            r#"<trans-unit id="p1" translate="no"><source>a</source><target>b</target></trans-unit>"#,
        );
        assert_eq!((no.target, no.state), (None, None));
        let inherited = unit(
            r#"<group translate="no"><group><trans-unit id="p1"><source>a</source><target state="final">b</target></trans-unit></group></group>"#,
        );
        assert_eq!((inherited.target, inherited.state), (None, None));
        let back = unit(
            r#"<group translate="no"><trans-unit id="p1" translate="yes"><source>a</source><target>b</target></trans-unit></group>"#,
        );
        assert_eq!(back.target.as_deref(), Some("b"));
        let empty = unit(r#"<trans-unit id="p1"><source>a</source><target/></trans-unit>"#);
        assert_eq!(empty.target.as_deref(), Some(""));
    }

    #[test]
    fn malformed_files_name_the_place() {
        let err = |text: &str| {
            let e = read_xliff(text.as_bytes()).unwrap_err();
            format!("{}: {e}", e.line().unwrap_or(0))
        };
        assert_eq!(
            err("<xliff version=\"1.2\">\n<file original=\"d\" datatype=\"plaintext\"><body/></file></xliff>"),
            "2: <file> has no source-language, which XLIFF 1.2 requires; add the language the file is translated from (source-language=\"en\")"
        );
        assert_eq!(
            err("<xliff version=\"1.3\"><file/></xliff>"),
            "1: XLIFF version 1.3: paralign reads XLIFF 1.2 and 2.0 (the files `paralign export --format xliff` writes)"
        );
        let e = err("<xliff version=\"1.2\">\n<file original=\"d\" source-language=\"en\"><body><trans-unit id=\"p1\"><source>a</trans-unit>");
        assert!(e.starts_with("2:"), "{e}");
        let e = err("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file original=\"d\" source-language=\"en\" target-language=\"fr\"/><file original=\"e\" source-language=\"en\" target-language=\"de\"/></xliff>");
        assert!(e.contains("target-language `de` differs"), "{e}");
    }
}
