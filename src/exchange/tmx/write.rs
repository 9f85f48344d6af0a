//! The TMX writer: a memory's units as TMX 1.4b, streaming (see `tmx.rs` for what is written).
//! No paths, no clock: the header's date comes in with [`TmxHeader`].

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::Writer;

use super::super::markup::seg_content;
use super::super::{
    escape_into, format_flags, format_score, tmx_date, InlineCode, Meta, Unit, Variant, TOOL,
    TOOL_VERSION,
};

/// What the header of an exported file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TmxHeader {
    /// The source language of every unit, or `*all*` when they differ.
    pub srclang: String,
    /// `paragraph` (segments are paragraphs) or `sentence`.
    pub segtype: String,
    /// When the file was made (seconds since 1970 UTC).
    pub created: i64,
}

/// Writes units as TMX 1.4b, one at a time.
pub struct TmxWriter<W: Write> {
    xml: Writer<W>,
    scratch: String,
    replaced: usize,
    units: usize,
    /// Written on every `<tu>` when the segments are not paragraphs.
    segtype: Option<String>,
}

fn attr<'a>(key: &'a str, value: &'a str) -> Attribute<'a> {
    Attribute {
        key: QName(key),
        value: Cow::Borrowed(value),
    }
}

impl<W: Write> TmxWriter<W> {
    /// Start a file: the XML declaration, `<tmx>`, the header and `<body>`.
    pub fn new(w: W, header: &TmxHeader) -> io::Result<TmxWriter<W>> {
        let mut xml = Writer::new_with_indent(w, b' ', 2);
        xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut tmx = BytesStart::new("tmx");
        tmx.push_attribute(attr("version", "1.4"));
        xml.write_event(Event::Start(tmx))?;
        let mut me = TmxWriter {
            xml,
            scratch: String::new(),
            replaced: 0,
            units: 0,
            segtype: Some(header.segtype.clone()).filter(|s| s != "paragraph"),
        };
        let date = tmx_date(header.created);
        let srclang = me.esc_attr(&header.srclang);
        let segtype = me.esc_attr(&header.segtype);
        let mut h = BytesStart::new("header");
        for (k, v) in [
            ("creationtool", TOOL),
            ("creationtoolversion", TOOL_VERSION),
            ("segtype", segtype.as_str()),
            ("o-tmf", TOOL),
            ("adminlang", "en"),
            ("srclang", srclang.as_str()),
            ("datatype", "plaintext"),
            ("creationdate", date.as_str()),
        ] {
            h.push_attribute(attr(k, v));
        }
        me.xml.write_event(Event::Empty(h))?;
        me.xml.write_event(Event::Start(BytesStart::new("body")))?;
        Ok(me)
    }

    fn esc_attr(&mut self, s: &str) -> String {
        let mut out = String::new();
        self.replaced += escape_into(s, true, &mut out);
        out
    }

    fn text(&mut self, s: &str) -> io::Result<()> {
        self.scratch.clear();
        self.replaced += escape_into(s, false, &mut self.scratch);
        self.xml
            .write_event(Event::Text(BytesText::from_escaped(self.scratch.as_str())))
    }

    fn prop(&mut self, kind: &str, value: &str) -> io::Result<()> {
        let mut p = BytesStart::new("prop");
        p.push_attribute(attr("type", kind));
        self.xml.write_event(Event::Start(p))?;
        self.text(value)?;
        self.xml.write_event(Event::End(BytesEnd::new("prop")))
    }

    /// A start tag: paralign's attributes, then the kept ones it has not written.
    fn start_tag(
        &mut self,
        name: &str,
        own: &[(&str, String)],
        kept: &[(String, String)],
    ) -> io::Result<()> {
        let mut t = BytesStart::new(name);
        for (k, v) in own {
            t.push_attribute(attr(k, &self.esc_attr(v)));
        }
        for (k, v) in kept {
            if !own.iter().any(|(o, _)| o == k) {
                t.push_attribute(attr(k, &self.esc_attr(v)));
            }
        }
        self.xml.write_event(Event::Start(t))
    }

    /// The kept `<prop>`s and `<note>`s, in their order.
    fn children(&mut self, meta: &Meta) -> io::Result<()> {
        for a in &meta.children {
            let mut t = BytesStart::new(a.element.as_str());
            for (k, v) in &a.attrs {
                t.push_attribute(attr(k, &self.esc_attr(v)));
            }
            self.xml.write_event(Event::Start(t))?;
            self.text(&a.text)?;
            self.xml
                .write_event(Event::End(BytesEnd::new(a.element.as_str())))?;
        }
        Ok(())
    }

    fn seg(&mut self, text: &str, codes: &[InlineCode]) -> io::Result<()> {
        self.xml.write_event(Event::Start(BytesStart::new("seg")))?;
        self.scratch.clear();
        self.replaced += seg_content(text, codes, &mut self.scratch);
        self.xml
            .write_event(Event::Text(BytesText::from_escaped(self.scratch.as_str())))?;
        self.xml.write_event(Event::End(BytesEnd::new("seg")))
    }

    fn source_tuv(&mut self, u: &Unit) -> io::Result<()> {
        self.start_tag(
            "tuv",
            &[("xml:lang", u.source_lang.clone())],
            &u.source_meta.attrs,
        )?;
        self.children(&u.source_meta)?;
        self.seg(&u.source, &u.source_codes)?;
        self.xml.write_event(Event::End(BytesEnd::new("tuv")))
    }

    fn target_tuv(&mut self, v: &Variant) -> io::Result<()> {
        let mut own = vec![("xml:lang", v.lang.clone())];
        own.extend(v.created.map(|c| ("creationdate", tmx_date(c))));
        own.extend(v.changed.map(|c| ("changedate", tmx_date(c))));
        self.start_tag("tuv", &own, &v.meta.attrs)?;
        if let Some(s) = v.score {
            self.prop("x-score", &format_score(s))?;
        }
        if !v.flags.is_empty() {
            self.prop("x-flags", &format_flags(&v.flags))?;
        }
        self.children(&v.meta)?;
        self.seg(&v.text, &v.codes)?;
        self.xml.write_event(Event::End(BytesEnd::new("tuv")))
    }

    /// Write one unit as a `<tu>`.
    pub fn write_unit(&mut self, u: &Unit) -> io::Result<()> {
        let mut own = vec![("srclang", u.source_lang.clone())];
        if let Some(s) = &self.segtype {
            own.push(("segtype", s.clone()));
        }
        // The unit's own dates when it came with dates of its own, else its translations'.
        let date = |k: &str, derived: Option<i64>| {
            let own = u.meta.attrs.iter().find(|(a, _)| a == k);
            own.map(|(_, v)| v.clone()).or(derived.map(tmx_date))
        };
        own.extend(date("creationdate", u.created()).map(|c| ("creationdate", c)));
        own.extend(date("changedate", u.changed()).map(|c| ("changedate", c)));
        self.start_tag("tu", &own, &u.meta.attrs)?;
        if let Some(d) = &u.document {
            self.prop("x-document", d)?;
        }
        if let Some(l) = &u.label {
            self.prop("x-label", l)?;
        }
        self.children(&u.meta)?;
        self.source_tuv(u)?;
        for v in &u.targets {
            self.target_tuv(v)?;
        }
        self.units += 1;
        self.xml.write_event(Event::End(BytesEnd::new("tu")))
    }

    /// Close the file; returns the writer, the number of units written and how many
    /// characters XML forbids were replaced by U+FFFD.
    pub fn finish(mut self) -> io::Result<(W, usize, usize)> {
        self.xml.write_event(Event::End(BytesEnd::new("body")))?;
        self.xml.write_event(Event::End(BytesEnd::new("tmx")))?;
        let mut w = self.xml.into_inner();
        w.write_all(b"\n")?;
        w.flush()?;
        Ok((w, self.units, self.replaced))
    }
}
