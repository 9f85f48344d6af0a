//! TMX 1.4b: a streaming writer of a memory's units and a streaming, tolerant reader of what
//! CAT tools write. No paths, no clock: the header's date comes in with [`TmxHeader`].
//!
//! Written: `<tmx version="1.4">` (the DTD fixes the attribute; "1.4b" names the
//! specification), a header with every attribute the DTD requires, and one `<tu>` per unit:
//! `srclang`, the earliest `creationdate` and latest `changedate` of its translations, props
//! `x-document` and `x-label`, then the source `<tuv>` and one `<tuv>` per translation with its
//! own dates and props `x-score` and `x-flags`. No DOCTYPE, so that no reader goes looking for
//! the DTD file.
//!
//! Read: `<seg>` text with entity and character references resolved (plus entities declared in
//! the file's internal DTD subset, under the amplification limit of [`Limits`]). The text stays
//! plain: the inline codes `<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>` (with any `<sub>` inside
//! them) and the start and end of `<hi>` (whose text is kept) are kept apart as [`InlineCode`]s,
//! placed by character, and written back in their places; another element in a `<seg>` is an
//! error. The attributes, `<prop>`s and `<note>`s of a `<tu>` and its `<tuv>`s that paralign
//! has no field for are kept as they came ([`Meta`], file order) and written back after
//! paralign's own. The source of a unit is the `<tuv>` in the unit's `srclang`, else the header's;
//! with `*all*` (or a language no variant has) it is the one in [`ReadOptions::source_lang`],
//! else the first variant. UTF-8 and UTF-16 files are read; any malformation is an error that
//! names the line and column: a character XML 1.0 forbids (raw or as a reference), a file cut
//! short (no `</tmx>`) or with content after `</tmx>`, a limit of [`Limits`] passed, a
//! language tag that is not BCP 47, an `x-score` that is not a number from 0 to 1. C1 control
//! characters in text become U+FFFD.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Write};

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::{Reader, Writer};

use super::markup::seg_content;
use super::{
    clean_controls, describe, error_at, escape_into, forbidden_char, forbidden_message,
    format_flags, format_score, known_encoding, parse_flags, tmx_date, utf8_input, Annotation,
    Entities, InlineCode, Limits, Meta, Tracked, Unit, Variant, TOOL, TOOL_VERSION,
};
use crate::error::{Error, Result};
use crate::language::LangTag;
use tu::{Closed, RawTu, RawTuv, TuState};

mod tu;

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

/// How to read a TMX file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The source language when the file does not say (`srclang="*all*"`).
    pub source_lang: Option<String>,
    /// What the reader takes before refusing the file.
    pub limits: Limits,
}

/// What the reader found besides units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TmxStats {
    /// `<tu>` elements read.
    pub units: usize,
    /// Units skipped: no variant in the source language, or no translation.
    pub skipped: usize,
    /// The header's source language.
    pub srclang: Option<String>,
    /// The header's creating tool.
    pub tool: Option<String>,
    /// The header's segment type (`sentence`, `paragraph`, `block`, `phrase`).
    pub segtype: Option<String>,
}

/// Where the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Start,
    Tmx,
    Body,
    Done,
}

/// Reads units from a TMX file, one at a time (an iterator of `Result<Unit>`).
pub struct TmxReader<'a> {
    xml: Reader<Tracked<Box<dyn BufRead + Send + 'a>>>,
    buf: Vec<u8>,
    at: At,
    opts: ReadOptions,
    entities: Entities,
    stats: TmxStats,
    failed: bool,
    /// Elements open.
    depth: usize,
}

/// Start reading a TMX file: reads up to the header.
pub fn read_tmx<'a, R: Read + Send + 'a>(r: R, opts: ReadOptions) -> Result<TmxReader<'a>> {
    let input = utf8_input(r).map_err(Error::from)?;
    let mut xml = Reader::from_reader(Tracked::new(input, opts.limits));
    let cfg = xml.config_mut();
    cfg.trim_text(false);
    cfg.check_end_names = true;
    cfg.expand_empty_elements = false;
    let mut me = TmxReader {
        xml,
        buf: Vec::with_capacity(8 * 1024),
        at: At::Start,
        opts,
        entities: Entities::default(),
        stats: TmxStats::default(),
        failed: false,
        depth: 0,
    };
    me.read_header()?;
    Ok(me)
}

fn attr_value(a: &Attribute, here: (usize, usize)) -> Result<String> {
    let v = a
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map_err(|e| error_at(here, describe(&e)))?
        .into_owned();
    if let Some(c) = forbidden_char(&v) {
        return Err(error_at(here, forbidden_message(c, "in an attribute")));
    }
    Ok(v)
}

/// A language tag from the file, in canonical case; `what` names the attribute.
fn file_lang(s: &str, what: &str, here: (usize, usize)) -> Result<String> {
    LangTag::parse(s)
        .map(|t| t.as_str().to_string())
        .map_err(|e| error_at(here, format!("{what}: {e}")))
}

/// Append `s` to a text being read, refusing a text longer than the limit.
fn grow(text: &mut String, s: &str, limits: &Limits, here: (usize, usize)) -> Result<()> {
    if text.len() + s.len() > limits.max_segment {
        return Err(error_at(
            here,
            format!(
                "a segment longer than {} bytes (--max-segment-size); raise the limit to read it",
                limits.max_segment
            ),
        ));
    }
    text.push_str(s);
    Ok(())
}

/// Whether a text outside the elements is only white space (XML allows nothing else there).
fn blank(t: &BytesText) -> bool {
    t.xml10_content().bytes().all(|b| b.is_ascii_whitespace())
}

/// One element deeper, within the limit.
fn enter(depth: &mut usize, limits: &Limits, here: (usize, usize)) -> Result<()> {
    *depth += 1;
    if *depth > limits.max_depth {
        return Err(error_at(
            here,
            format!(
                "elements nested more than {} deep (--max-depth); raise the limit to read it",
                limits.max_depth
            ),
        ));
    }
    Ok(())
}

/// Resolve a reference `&name;` into `into` (None: resolved and dropped).
fn resolve_ref(
    entities: &mut Entities,
    limits: &Limits,
    consumed: u64,
    r: &quick_xml::events::BytesRef,
    into: Option<&mut String>,
    here: (usize, usize),
) -> Result<()> {
    let ch = r
        .resolve_char_ref()
        .map_err(|e| error_at(here, describe(&e)))?;
    let name = r.to_string();
    let mut scratch = String::new();
    let (out, room) = match into {
        Some(t) => {
            let room = limits.max_segment.saturating_sub(t.len());
            (t, room)
        }
        None => (&mut scratch, limits.max_segment),
    };
    entities
        .resolve(&name, ch, consumed, limits, room, out)
        .map_err(|m| error_at(here, m))
}

/// The text of the first `<prop>` of a type.
fn prop_text(children: &[Annotation], kind: &str) -> Option<String> {
    children
        .iter()
        .find(|a| a.prop_type() == Some(kind))
        .map(|a| a.text.clone())
}

/// What paralign keeps of an element as it came: its attributes but the dates (which it
/// keeps in columns of its own), its props and notes but the props of `own` types.
fn kept(attrs: &[(String, String)], children: &[Annotation], own: &[&str]) -> Meta {
    let dated = !own.is_empty();
    Meta {
        attrs: attrs
            .iter()
            .filter(|(k, _)| !(dated && (k == "creationdate" || k == "changedate")))
            .cloned()
            .collect(),
        children: children
            .iter()
            .filter(|a| a.prop_type().is_none_or(|t| !own.contains(&t)))
            .cloned()
            .collect(),
    }
}

/// A translation of a unit: a `<tuv>` not in the source language.
/// `tu`: the dates of the `<tu>`, for a `<tuv>` without its own.
fn variant(lang: &str, v: &RawTuv, tu: (Option<i64>, Option<i64>)) -> Result<Variant> {
    let score = match prop_text(&v.children, "x-score") {
        None => None,
        Some(s) => match s.trim().parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Some(x),
            _ => {
                return Err(error_at(
                    v.place,
                    format!("x-score `{}` is not a score between 0 and 1", s.trim()),
                ))
            }
        },
    };
    Ok(Variant {
        lang: lang.to_string(),
        text: clean_controls(v.text.clone()),
        score,
        flags: prop_text(&v.children, "x-flags")
            .map(|s| parse_flags(&s))
            .unwrap_or_default(),
        created: v.created.or(tu.0),
        changed: v.changed.or(tu.1).or(v.created).or(tu.0),
        codes: v.codes.clone(),
        meta: kept(&v.attrs, &v.children, &["x-score", "x-flags"]),
    })
}

/// Refuse a file whose XML declaration names an encoding paralign does not read.
fn declared_encoding(d: &BytesDecl, here: (usize, usize)) -> Result<()> {
    if let Some(Ok(enc)) = d.encoding() {
        let enc = enc.to_string();
        if !known_encoding(&enc) {
            return Err(error_at(
                here,
                format!("the file says it is in {enc}; paralign reads TMX in UTF-8 or UTF-16: convert it (iconv -f {enc} -t UTF-8)"),
            ));
        }
    }
    Ok(())
}

/// Refuse a root element that is not a `<tmx>` with content.
fn root(e: &BytesStart, is_start: bool, here: (usize, usize)) -> Result<()> {
    if e.name().as_ref() != "tmx" {
        let name = e.name().as_ref().to_string();
        return Err(error_at(
            here,
            format!("not a TMX file: the root element is <{name}>, not <tmx>"),
        ));
    }
    if !is_start {
        return Err(error_at(here, "the file's <tmx> is empty: no <body>"));
    }
    Ok(())
}

/// What the `<header>` says: its source language, creation tool and segment type.
fn header_attrs(e: &BytesStart, here: (usize, usize), stats: &mut TmxStats) -> Result<()> {
    for a in e.attributes() {
        let a = a.map_err(|e| error_at(here, describe(&e.into())))?;
        let v = attr_value(&a, here)?;
        match a.key.as_ref() {
            "srclang" => {
                let t = v.trim();
                stats.srclang = Some(if t.is_empty() || t == "*all*" {
                    v
                } else {
                    file_lang(t, "the header's srclang", here)?
                });
            }
            "creationtool" => stats.tool = Some(clean_controls(v)),
            "segtype" => stats.segtype = Some(clean_controls(v)),
            _ => {}
        }
    }
    Ok(())
}

impl<'a> TmxReader<'a> {
    /// What was read so far besides units (complete once the iterator is done).
    pub fn stats(&self) -> &TmxStats {
        &self.stats
    }

    fn place(&self, offset: u64) -> (usize, usize) {
        self.xml.get_ref().place(offset)
    }

    fn xml_error(&self, e: &quick_xml::Error) -> Error {
        self.xml
            .get_ref()
            .fault()
            .unwrap_or_else(|| error_at(self.place(self.xml.error_position()), describe(e)))
    }

    fn read_header(&mut self) -> Result<()> {
        loop {
            let start = self.xml.buffer_position();
            let here = self.place(start);
            self.buf.clear();
            self.xml.get_mut().start_event();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.xml_error(&e)),
            };
            if let Some(e) = self.xml.get_ref().fault() {
                return Err(e);
            }
            let is_start = matches!(ev, Event::Start(_));
            match ev {
                Event::Decl(d) => declared_encoding(&d, here)?,
                Event::DocType(t) => {
                    let text = t.xml10_content().into_owned();
                    self.entities.declare(&text);
                }
                Event::Start(e) | Event::Empty(e) if self.at == At::Start => {
                    root(&e, is_start, here)?;
                    enter(&mut self.depth, &self.opts.limits, here)?;
                    self.at = At::Tmx;
                }
                Event::Text(t) if self.at == At::Start && !blank(&t) => {
                    return Err(error_at(here, "not a TMX file: text before <tmx>"));
                }
                Event::GeneralRef(_) if self.at == At::Start => {
                    return Err(error_at(here, "not a TMX file: text before <tmx>"));
                }
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "header" => {
                    if is_start {
                        enter(&mut self.depth, &self.opts.limits, here)?;
                    }
                    header_attrs(&e, here, &mut self.stats)?;
                }
                Event::Start(e) if e.name().as_ref() == "body" => {
                    enter(&mut self.depth, &self.opts.limits, here)?;
                    self.at = At::Body;
                    return Ok(());
                }
                Event::Empty(e) if e.name().as_ref() == "body" => {
                    self.at = At::Done;
                    return Ok(());
                }
                Event::Start(_) => enter(&mut self.depth, &self.opts.limits, here)?,
                Event::End(_) => self.depth = self.depth.saturating_sub(1),
                Event::GeneralRef(r) => {
                    // Outside a segment: checked (a forbidden character, an unknown entity,
                    // the amplification limit), then dropped.
                    let consumed = self.xml.get_ref().consumed();
                    resolve_ref(
                        &mut self.entities,
                        &self.opts.limits,
                        consumed,
                        &r,
                        None,
                        here,
                    )?;
                }
                Event::Eof => {
                    return Err(error_at(
                        here,
                        if self.at == At::Start {
                            "not a TMX file: no <tmx> element"
                        } else {
                            "the file ends before <body>: is it cut short?"
                        },
                    ));
                }
                _ => {}
            }
        }
    }

    /// Read the next `<tu>`, or None at the end of `<body>`.
    fn next_tu(&mut self) -> Result<Option<RawTu>> {
        let mut st = TuState::default();
        let limits = self.opts.limits;
        loop {
            let start = self.xml.buffer_position();
            let here = self.place(start);
            self.buf.clear();
            self.xml.get_mut().start_event();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.xml_error(&e)),
            };
            if let Some(e) = self.xml.get_ref().fault() {
                return Err(e);
            }
            match ev {
                Event::Start(e) => {
                    enter(&mut self.depth, &limits, here)?;
                    st.open(&e, false, here, &limits)?;
                }
                Event::Empty(e) if !st.in_seg() && e.name().as_ref() == "tu" => {
                    self.stats.units += 1;
                    self.stats.skipped += 1;
                }
                Event::Empty(e) => st.open(&e, true, here, &limits)?,
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    match st.close(e.name().as_ref(), here, &limits)? {
                        Closed::Nothing => {}
                        Closed::Tu(tu) => return Ok(Some(tu)),
                        Closed::Body => {
                            self.at = At::Done;
                            return Ok(None);
                        }
                    }
                }
                Event::Text(t) => st.text(&t.xml10_content(), here, &limits)?,
                Event::CData(t) => {
                    let s = t.xml10_content().into_owned();
                    if let Some(f) = forbidden_char(&s) {
                        return Err(error_at(here, forbidden_message(f, "in CDATA")));
                    }
                    st.text(&s, here, &limits)?;
                }
                Event::GeneralRef(r) => {
                    let consumed = self.xml.get_ref().consumed();
                    let mut s = String::new();
                    resolve_ref(
                        &mut self.entities,
                        &limits,
                        consumed,
                        &r,
                        Some(&mut s),
                        here,
                    )?;
                    st.text(&s, here, &limits)?;
                }
                Event::Eof => {
                    return Err(error_at(
                        here,
                        "the file ends inside <body>: is it cut short? (</body> and </tmx> are missing)",
                    ));
                }
                _ => {}
            }
        }
    }

    /// Turn a `<tu>` into a unit (None when it has no usable source or translation).
    fn unit(&self, raw: RawTu) -> Result<Option<Unit>> {
        let here = raw.place;
        let all = |l: &Option<String>, what: &str| -> Result<Option<String>> {
            match l.as_deref().map(str::trim) {
                Some(l) if !l.is_empty() && l != "*all*" => file_lang(l, what, here).map(Some),
                _ => Ok(None),
            }
        };
        let mut tuvs: Vec<(String, RawTuv)> = Vec::with_capacity(raw.tuvs.len());
        for v in raw.tuvs {
            tuvs.push((file_lang(&v.lang, "the <tuv>'s xml:lang", v.place)?, v));
        }
        let wanted = [
            all(&raw.srclang, "the <tu>'s srclang")?,
            all(&self.stats.srclang, "the header's srclang")?,
            all(&self.opts.source_lang, "the source language")?,
        ];
        let find = |l: &str| -> Option<usize> {
            tuvs.iter().position(|(t, _)| t == l).or_else(|| {
                let primary = l.split('-').next().unwrap_or(l);
                tuvs.iter()
                    .position(|(t, _)| t.split('-').next() == Some(primary))
            })
        };
        let Some(src) = wanted
            .iter()
            .flatten()
            .find_map(|l| find(l))
            .or(if tuvs.is_empty() { None } else { Some(0) })
        else {
            return Ok(None);
        };
        let (source_lang, source) = (&tuvs[src].0, &tuvs[src].1);
        if source.text.is_empty() {
            return Ok(None);
        }
        let mut targets: Vec<Variant> = Vec::new();
        for (k, (lang, v)) in tuvs.iter().enumerate() {
            if k == src || lang == source_lang || v.text.is_empty() {
                continue;
            }
            targets.push(variant(lang, v, (raw.created, raw.changed))?);
        }
        if targets.is_empty() {
            return Ok(None);
        }
        let mut unit = Unit {
            source_lang: source_lang.clone(),
            source: clean_controls(source.text.clone()),
            document: prop_text(&raw.children, "x-document").filter(|d| !d.trim().is_empty()),
            label: prop_text(&raw.children, "x-label").filter(|d| !d.is_empty()),
            targets,
            source_codes: source.codes.clone(),
            meta: kept(&raw.attrs, &raw.children, &["x-document", "x-label"]),
            source_meta: kept(&source.attrs, &source.children, &[]),
        };
        // The writer dates a <tu> by its translations; a date of the file's own that says
        // otherwise is kept.
        for (k, date, derived) in [
            ("creationdate", raw.created, unit.created()),
            ("changedate", raw.changed, unit.changed()),
        ] {
            if let Some(d) = date.filter(|&d| Some(d) != derived) {
                unit.meta.attrs.push((k.to_string(), tmx_date(d)));
            }
        }
        Ok(Some(unit))
    }

    /// After `</body>`: only `</tmx>`, then nothing but comments, processing instructions and
    /// white space.
    fn finish_file(&mut self) -> Result<()> {
        let mut closed = false;
        loop {
            let start = self.xml.buffer_position();
            let here = self.place(start);
            self.buf.clear();
            self.xml.get_mut().start_event();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.xml_error(&e)),
            };
            if let Some(e) = self.xml.get_ref().fault() {
                return Err(e);
            }
            match ev {
                Event::Eof if closed => return Ok(()),
                Event::Eof => {
                    return Err(error_at(
                        here,
                        "the file ends before </tmx>: is it cut short?",
                    ))
                }
                Event::End(e) if e.name().as_ref() == "tmx" && !closed => closed = true,
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.name().as_ref().to_string();
                    let after = if closed { "</tmx>" } else { "</body>" };
                    return Err(error_at(
                        here,
                        format!("<{name}> after {after} is not allowed"),
                    ));
                }
                Event::Text(t) if !blank(&t) => {
                    let after = if closed { "</tmx>" } else { "</body>" };
                    return Err(error_at(here, format!("text after {after} is not allowed")));
                }
                Event::GeneralRef(_) | Event::CData(_) => {
                    return Err(error_at(here, "text after </body> is not allowed"));
                }
                _ => {}
            }
        }
    }
}

impl Iterator for TmxReader<'_> {
    type Item = Result<Unit>;

    fn next(&mut self) -> Option<Result<Unit>> {
        if self.failed {
            return None;
        }
        while self.at == At::Body {
            match self.next_tu() {
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
                Ok(None) => break,
                Ok(Some(raw)) => {
                    self.stats.units += 1;
                    match self.unit(raw) {
                        Ok(Some(u)) => return Some(Ok(u)),
                        Ok(None) => self.stats.skipped += 1,
                        Err(e) => {
                            self.failed = true;
                            return Some(Err(e));
                        }
                    }
                }
            }
        }
        if self.at == At::Done {
            // Check that the rest of the file is well formed too.
            self.failed = true; // done: nothing more
            if let Err(e) = self.finish_file() {
                return Some(Err(e));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::Flag;

    fn unit() -> Unit {
        Unit {
            source_lang: "en".into(),
            source: "Fares & \"wages\" <rise>\r\nnow\u{1}".into(),
            document: Some("statement".into()),
            label: Some("3".into()),
            targets: vec![
                Variant {
                    lang: "es".into(),
                    text: "Tarifas".into(),
                    score: Some(0.9123),
                    flags: vec![Flag::Diverging, Flag::Outdated],
                    created: Some(1_710_410_400),
                    changed: Some(1_710_410_460),
                    ..Variant::default()
                },
                Variant {
                    lang: "ru".into(),
                    text: "Тарифы".into(),
                    score: None,
                    flags: vec![],
                    created: Some(1_710_000_000),
                    changed: Some(1_710_000_000),
                    ..Variant::default()
                },
            ],
            ..Unit::default()
        }
    }

    fn write(units: &[Unit]) -> (String, usize) {
        let header = TmxHeader {
            srclang: "en".into(),
            segtype: "paragraph".into(),
            created: 1_710_410_400,
        };
        let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
        for u in units {
            w.write_unit(u).unwrap();
        }
        let (bytes, _, replaced) = w.finish().unwrap();
        (String::from_utf8(bytes).unwrap(), replaced)
    }

    #[test]
    fn writes_exact_bytes() {
        let (got, replaced) = write(&[unit()]);
        let want = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="paralign" creationtoolversion="VERSION" segtype="paragraph" o-tmf="paralign" adminlang="en" srclang="en" datatype="plaintext" creationdate="20240314T100000Z"/>
  <body>
    <tu srclang="en" creationdate="20240309T160000Z" changedate="20240314T100100Z">
      <prop type="x-document">statement</prop>
      <prop type="x-label">3</prop>
      <tuv xml:lang="en">
        <seg>Fares &amp; "wages" &lt;rise&gt;&#13;
now�</seg>
      </tuv>
      <tuv xml:lang="es" creationdate="20240314T100000Z" changedate="20240314T100100Z">
        <prop type="x-score">0.912</prop>
        <prop type="x-flags">diverging,outdated</prop>
        <seg>Tarifas</seg>
      </tuv>
      <tuv xml:lang="ru" creationdate="20240309T160000Z" changedate="20240309T160000Z">
        <seg>Тарифы</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"#
        .replace("VERSION", TOOL_VERSION);
        assert_eq!(got, want);
        assert_eq!(replaced, 1);
    }

    #[test]
    fn reads_back_what_it_writes() {
        let (text, _) = write(&[unit()]);
        let mut r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
        let got: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
        let mut want = unit();
        want.source = "Fares & \"wages\" <rise>\r\nnow\u{FFFD}".into();
        want.targets[0].score = Some(0.912);
        assert_eq!(got, vec![want]);
        assert_eq!(r.stats().units, 1);
    }

    fn code(at: usize, tag: &str, attrs: &[(&str, &str)], content: &str) -> InlineCode {
        InlineCode {
            at,
            tag: tag.into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            content: content.into(),
        }
    }

    #[test]
    fn inline_codes_are_kept_apart_from_the_plain_text() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd" [ <!ENTITY co "Acme&#160;Co"> ]>
<tmx version="1.4"><header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-us" srclang="*all*" datatype="html"/>
<body>
<tu><tuv lang="EN-US"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept><ph x="2">&lt;br/&gt;</ph> &co; <hi type="x">now</hi>&#x21;<it pos="begin">&lt;i&gt;</it><ut>{x}</ut></seg></tuv>
<tuv xml:lang="de-de"><seg>Hier <bpt i="1">&lt;b<sub>alt &amp; "neu"</sub>&gt;</bpt>klicken<ept i="1"/></seg></tuv></tu>
<tu srclang="de-DE"><tuv xml:lang="en-US"><seg>One</seg></tuv><tuv xml:lang="de-DE"><seg>Eins</seg></tuv></tu>
<tu><tuv xml:lang="en-US"><seg>alone</seg></tuv></tu>
</body></tmx>"#;
        let mut r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
        let got: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].source_lang, "en-US");
        assert_eq!(got[0].source, "Click here Acme\u{a0}Co now!");
        assert_eq!(
            got[0].source_codes,
            [
                code(6, "bpt", &[("i", "1")], "&lt;b&gt;"),
                code(10, "ept", &[("i", "1")], "&lt;/b&gt;"),
                code(10, "ph", &[("x", "2")], "&lt;br/&gt;"),
                code(19, "hi", &[("type", "x")], ""),
                code(22, "/hi", &[], ""),
                code(23, "it", &[("pos", "begin")], "&lt;i&gt;"),
                code(23, "ut", &[], "{x}"),
            ]
        );
        assert_eq!(got[0].targets[0].lang, "de-DE");
        assert_eq!(got[0].targets[0].text, "Hier klicken");
        assert_eq!(
            got[0].targets[0].codes,
            [
                code(
                    5,
                    "bpt",
                    &[("i", "1")],
                    "&lt;b<sub>alt &amp; \"neu\"</sub>&gt;"
                ),
                code(12, "ept", &[("i", "1")], ""),
            ]
        );
        assert_eq!(got[1].source_lang, "de-DE");
        assert_eq!(got[1].source, "Eins");
        assert!(got[1].source_codes.is_empty());
        assert_eq!(r.stats().units, 3);
        assert_eq!(r.stats().skipped, 1);

        // Written back in their places.
        let (out, _) = write(&got[..1]);
        assert!(
            out.contains("<seg>Click <bpt i=\"1\">&lt;b&gt;</bpt>here<ept i=\"1\">&lt;/b&gt;</ept><ph x=\"2\">&lt;br/&gt;</ph> Acme\u{a0}Co <hi type=\"x\">now</hi>!<it pos=\"begin\">&lt;i&gt;</it><ut>{x}</ut></seg>"),
            "{out}"
        );
        assert!(
            out.contains("<seg>Hier <bpt i=\"1\">&lt;b<sub>alt &amp; \"neu\"</sub>&gt;</bpt>klicken<ept i=\"1\"/></seg>"),
            "{out}"
        );
    }

    #[test]
    fn attributes_props_and_notes_are_kept_in_file_order() {
        let text = r#"<tmx version="1.4"><header srclang="en"/><body>
<tu tuid="7" srclang="en" creationid="ana" creationdate="20240101T000000Z" usagecount="3">
<note>check the &lt;b&gt;</note><prop type="x-document">law</prop><prop type="client" xml:lang="en">Acme</prop>
<tuv xml:lang="en" creationid="ana" creationdate="20230101T000000Z"><prop type="x-score">0.5</prop><seg>Hi</seg></tuv>
<tuv xml:lang="fr" changeid="bo" changedate="20240202T000000Z" lastusagedate="20240303T000000Z"><note/><prop type="x-score">0.25</prop><seg>Salut</seg></tuv>
</tu></body></tmx>"#;
        let got: Vec<Unit> = read_tmx(text.as_bytes(), ReadOptions::default())
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(k, x)| (k.to_string(), x.to_string()))
                .collect()
        };
        let note = |text: &str| Annotation {
            element: "note".into(),
            attrs: vec![],
            text: text.into(),
        };
        let u = &got[0];
        assert_eq!(u.document.as_deref(), Some("law"));
        assert_eq!(
            u.meta,
            Meta {
                attrs: pairs(&[("tuid", "7"), ("creationid", "ana"), ("usagecount", "3")]),
                children: vec![
                    note("check the <b>"),
                    Annotation {
                        element: "prop".into(),
                        attrs: pairs(&[("type", "client"), ("xml:lang", "en")]),
                        text: "Acme".into(),
                    },
                ],
            }
        );
        // The source keeps its dates and props as they came (paralign writes none there).
        assert_eq!(
            u.source_meta.attrs,
            pairs(&[("creationid", "ana"), ("creationdate", "20230101T000000Z")])
        );
        assert_eq!(u.source_meta.children.len(), 1);
        let t = &u.targets[0];
        assert_eq!(t.score, Some(0.25));
        assert_eq!(
            (t.created, t.changed),
            (Some(1_704_067_200), Some(1_706_832_000))
        );
        assert_eq!(
            t.meta,
            Meta {
                attrs: pairs(&[("changeid", "bo"), ("lastusagedate", "20240303T000000Z")]),
                children: vec![note("")],
            }
        );
    }

    #[test]
    fn a_tu_keeps_dates_its_translations_do_not_give() {
        let text = r#"<tmx version="1.4"><header srclang="en"/><body>
<tu creationdate="20200101T000000Z" changedate="20240101T000000Z"><tuv xml:lang="en"><seg>a</seg></tuv>
<tuv xml:lang="fr" creationdate="20220101T000000Z" changedate="20230101T000000Z"><seg>b</seg></tuv></tu>
<tu creationdate="20200101T000000Z"><tuv xml:lang="en"><seg>c</seg></tuv><tuv xml:lang="fr"><seg>d</seg></tuv></tu>
</body></tmx>"#;
        let got: Vec<Unit> = read_tmx(text.as_bytes(), ReadOptions::default())
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        let (out, _) = write(&got);
        let tus: Vec<&str> = out.lines().filter(|l| l.contains("<tu ")).collect();
        assert_eq!(
            tus,
            [
                r#"    <tu srclang="en" creationdate="20200101T000000Z" changedate="20240101T000000Z">"#,
                r#"    <tu srclang="en" creationdate="20200101T000000Z" changedate="20200101T000000Z">"#,
            ]
        );
        // The first unit keeps both (its translation says 2022 and 2023), the second none.
        assert_eq!(got[0].meta.attrs.len(), 2);
        assert!(got[1].meta.is_empty());
        assert_eq!(got[0].targets[0].created, Some(1_640_995_200));
    }

    #[test]
    fn a_flood_of_codes_meets_the_segment_limit() {
        let seg = |n: usize| {
            format!(
                "<tmx><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>a{}</seg></tuv><tuv xml:lang=\"fr\"><seg>b</seg></tuv></tu></body></tmx>",
                "<ph/>".repeat(n)
            )
        };
        let opts = ReadOptions {
            limits: Limits {
                max_segment: 200,
                ..Limits::default()
            },
            ..ReadOptions::default()
        };
        // Three codes take 3 × (64 + 2) bytes: past 200 at the fourth.
        let ok: Vec<Unit> = read_tmx(seg(3).as_bytes(), opts.clone())
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(ok[0].source_codes.len(), 3);
        let e = read_tmx(seg(4).as_bytes(), opts)
            .unwrap()
            .find_map(|u| u.err())
            .unwrap();
        assert_eq!(
            e.to_string(),
            "a segment whose inline codes take more than 200 bytes (--max-segment-size); raise the limit to read it"
        );
        assert_eq!((e.line(), e.column()), (Some(2), Some(45)));
    }

    #[test]
    fn elements_tmx_does_not_allow_in_a_seg_name_the_place() {
        for (seg, want) in [
            ("a<b>bold</b>", "<b> in a <seg>"),
            ("a<sub>x</sub>", "<sub> outside an inline code"),
        ] {
            let text = format!("<tmx><header srclang=\"en\"/><body>\n<tu><tuv xml:lang=\"en\"><seg>{seg}</seg></tuv><tuv xml:lang=\"fr\"><seg>b</seg></tuv></tu></body></tmx>");
            let e = read_tmx(text.as_bytes(), ReadOptions::default())
                .unwrap()
                .find_map(|u| u.err())
                .unwrap();
            assert!(e.to_string().contains(want), "{e}");
            assert_eq!((e.line(), e.column()), (Some(2), Some(30)), "{e}");
        }
    }

    #[test]
    fn malformed_file_names_line_and_column() {
        let text = "<tmx version=\"1.4\"><header srclang=\"en\"/>\n<body>\n  <tu><tuv xml:lang=\"en\"><seg>a</tuv></tu>\n</body></tmx>";
        let r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
        let errs: Vec<Error> = r.filter_map(|u| u.err()).collect();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line(), Some(3));
        assert_eq!(errs[0].column(), Some(32), "{}", errs[0]);
        let text = "<tmx><header/><body><tu><tuv xml:lang=\"en\"><seg>&nbsp;</seg>";
        let r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
        let e = r.filter_map(|u| u.err()).next().unwrap();
        assert!(e.to_string().contains("unknown entity `&nbsp;`"), "{e}");
        let cut = "<tmx><header/><body><tu>";
        let r = read_tmx(cut.as_bytes(), ReadOptions::default()).unwrap();
        let e = r.filter_map(|u| u.err()).next().unwrap();
        assert!(e.to_string().contains("cut short"), "{e}");
        let e = read_tmx(&b"<html/>"[..], ReadOptions::default())
            .err()
            .unwrap();
        assert!(e.to_string().contains("not a TMX file"), "{e}");
    }
}
