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
//! the file's internal DTD subset); inline codes `<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>` are
//! native codes and are dropped with their content (and any `<sub>` inside them); `<hi>` keeps
//! its text. The source of a unit is the `<tuv>` in the unit's `srclang`, else the header's;
//! with `*all*` (or a language no variant has) it is the one in [`ReadOptions::source_lang`],
//! else the first variant. UTF-8 and UTF-16 files are read; any malformation is an error that
//! names the line and column.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufRead, Read, Write};

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use quick_xml::{Reader, Writer};

use super::{
    describe, error_at, escape_into, format_flags, format_score, known_encoding, parse_flags,
    parse_tmx_date, tmx_date, utf8_input, Tracked, Unit, Variant, TOOL, TOOL_VERSION,
};
use crate::error::{Error, Result};
use crate::language::LangTag;

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

    fn tuv(&mut self, lang: &str, text: &str, v: Option<&Variant>) -> io::Result<()> {
        let lang = self.esc_attr(lang);
        let mut t = BytesStart::new("tuv");
        t.push_attribute(attr("xml:lang", &lang));
        let dates = v.map(|v| (v.created.map(tmx_date), v.changed.map(tmx_date)));
        if let Some((c, ch)) = &dates {
            if let Some(c) = c {
                t.push_attribute(attr("creationdate", c));
            }
            if let Some(ch) = ch {
                t.push_attribute(attr("changedate", ch));
            }
        }
        self.xml.write_event(Event::Start(t))?;
        if let Some(v) = v {
            if let Some(s) = v.score {
                self.prop("x-score", &format_score(s))?;
            }
            if !v.flags.is_empty() {
                self.prop("x-flags", &format_flags(&v.flags))?;
            }
        }
        self.xml.write_event(Event::Start(BytesStart::new("seg")))?;
        self.text(text)?;
        self.xml.write_event(Event::End(BytesEnd::new("seg")))?;
        self.xml.write_event(Event::End(BytesEnd::new("tuv")))
    }

    /// Write one unit as a `<tu>`.
    pub fn write_unit(&mut self, u: &Unit) -> io::Result<()> {
        let srclang = self.esc_attr(&u.source_lang);
        let created = u.created().map(tmx_date);
        let changed = u.changed().map(tmx_date);
        let mut tu = BytesStart::new("tu");
        tu.push_attribute(attr("srclang", &srclang));
        if let Some(c) = &created {
            tu.push_attribute(attr("creationdate", c));
        }
        if let Some(c) = &changed {
            tu.push_attribute(attr("changedate", c));
        }
        self.xml.write_event(Event::Start(tu))?;
        if let Some(d) = &u.document {
            self.prop("x-document", d)?;
        }
        if let Some(l) = &u.label {
            self.prop("x-label", l)?;
        }
        self.tuv(&u.source_lang, &u.source, None)?;
        for v in &u.targets {
            self.tuv(&v.lang, &v.text, Some(v))?;
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

struct RawTuv {
    lang: String,
    text: String,
    props: Vec<(String, String)>,
    created: Option<i64>,
    changed: Option<i64>,
}

struct RawTu {
    srclang: Option<String>,
    props: Vec<(String, String)>,
    created: Option<i64>,
    changed: Option<i64>,
    tuvs: Vec<RawTuv>,
}

/// Reads units from a TMX file, one at a time (an iterator of `Result<Unit>`).
pub struct TmxReader<'a> {
    xml: Reader<Tracked<Box<dyn BufRead + Send + 'a>>>,
    buf: Vec<u8>,
    at: At,
    opts: ReadOptions,
    entities: HashMap<String, String>,
    stats: TmxStats,
    failed: bool,
}

/// Start reading a TMX file: reads up to the header.
pub fn read_tmx<'a, R: Read + Send + 'a>(r: R, opts: ReadOptions) -> Result<TmxReader<'a>> {
    let input = utf8_input(r).map_err(Error::from)?;
    let mut xml = Reader::from_reader(Tracked::new(input));
    let cfg = xml.config_mut();
    cfg.trim_text(false);
    cfg.check_end_names = true;
    cfg.expand_empty_elements = false;
    let mut me = TmxReader {
        xml,
        buf: Vec::with_capacity(8 * 1024),
        at: At::Start,
        opts,
        entities: HashMap::new(),
        stats: TmxStats::default(),
        failed: false,
    };
    me.read_header()?;
    Ok(me)
}

fn attr_value(a: &Attribute) -> std::result::Result<String, quick_xml::Error> {
    Ok(a.normalized_value(quick_xml::XmlVersion::Implicit1_0)?
        .into_owned())
}

/// Canonical case for a tag that parses; the tag as written otherwise.
fn canonical_lang(s: &str) -> String {
    match LangTag::parse(s) {
        Ok(t) => t.as_str().to_string(),
        Err(_) => s.trim().to_string(),
    }
}

/// The entities declared in an internal DTD subset: `<!ENTITY name "value">`.
fn declared_entities(doctype: &str, into: &mut HashMap<String, String>) {
    let mut rest = doctype;
    while let Some(i) = rest.find("<!ENTITY") {
        rest = &rest[i + 8..];
        let t = rest.trim_start();
        if t.starts_with('%') {
            continue;
        }
        let name: String = t
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .collect();
        let after = t[name.len()..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = after[1..].find(q) {
            let raw = &after[1..1 + end];
            let value = quick_xml::escape::unescape(raw)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| raw.to_string());
            into.entry(name).or_insert(value);
        }
    }
}

/// Resolve a general reference `&name;`.
fn reference(
    entities: &HashMap<String, String>,
    name: &str,
    is_char: Option<char>,
    here: (usize, usize),
) -> Result<String> {
    if let Some(c) = is_char {
        return Ok(c.to_string());
    }
    let v = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        other => match entities.get(other) {
            Some(v) => return Ok(v.clone()),
            None => {
                return Err(error_at(
                    here,
                    format!("unknown entity `&{other};`; write the character itself or a reference such as &#160;"),
                ))
            }
        },
    };
    Ok(v.to_string())
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
        error_at(self.place(self.xml.error_position()), describe(e))
    }

    fn read_header(&mut self) -> Result<()> {
        loop {
            let start = self.xml.buffer_position();
            let here = self.place(start);
            self.buf.clear();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.xml_error(&e)),
            };
            match ev {
                Event::Decl(d) => {
                    if let Some(Ok(enc)) = d.encoding() {
                        let enc = enc.to_string();
                        if !known_encoding(&enc) {
                            let place = here;
                            return Err(error_at(
                                place,
                                format!("the file says it is in {enc}; paralign reads TMX in UTF-8 or UTF-16: convert it (iconv -f {enc} -t UTF-8)"),
                            ));
                        }
                    }
                }
                Event::DocType(t) => {
                    let text = t.xml10_content().into_owned();
                    declared_entities(&text, &mut self.entities);
                }
                Event::Start(e) | Event::Empty(e) if self.at == At::Start => {
                    if e.name().as_ref() != "tmx" {
                        let name = e.name().as_ref().to_string();
                        let place = here;
                        return Err(error_at(
                            place,
                            format!("not a TMX file: the root element is <{name}>, not <tmx>"),
                        ));
                    }
                    self.at = At::Tmx;
                }
                Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "header" => {
                    for a in e.attributes() {
                        let a = a.map_err(|e| error_at(here, describe(&e.into())))?;
                        let v = attr_value(&a).map_err(|e| error_at(here, describe(&e)))?;
                        match a.key.as_ref() {
                            "srclang" => self.stats.srclang = Some(v),
                            "creationtool" => self.stats.tool = Some(v),
                            "segtype" => self.stats.segtype = Some(v),
                            _ => {}
                        }
                    }
                }
                Event::Start(e) if e.name().as_ref() == "body" => {
                    self.at = At::Body;
                    return Ok(());
                }
                Event::Empty(e) if e.name().as_ref() == "body" => {
                    self.at = At::Done;
                    return Ok(());
                }
                Event::Eof => {
                    let place = here;
                    return Err(error_at(
                        place,
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
    fn next_tu(&mut self) -> Result<Option<(RawTu, u64)>> {
        let mut tu: Option<(RawTu, u64)> = None;
        let mut tuv: Option<RawTuv> = None;
        let mut in_seg = false;
        // Depth inside an inline code whose content is dropped.
        let mut skip = 0usize;
        // The prop being read: (type, text, in a tuv).
        let mut prop: Option<(String, String)> = None;
        let mut note = 0usize;
        loop {
            let start = self.xml.buffer_position();
            let here = self.place(start);
            self.buf.clear();
            let ev = match self.xml.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.xml_error(&e)),
            };
            match ev {
                Event::Start(e) => {
                    let name = e.name().as_ref().to_string();
                    if in_seg {
                        if skip > 0
                            || matches!(name.as_str(), "bpt" | "ept" | "ph" | "it" | "ut" | "sub")
                        {
                            skip += 1;
                        }
                        continue;
                    }
                    match name.as_str() {
                        "tu" if tu.is_none() => {
                            let mut raw = RawTu {
                                srclang: None,
                                props: Vec::new(),
                                created: None,
                                changed: None,
                                tuvs: Vec::new(),
                            };
                            for a in e.attributes() {
                                let a = a.map_err(|e| error_at(here, describe(&e.into())))?;
                                let v = attr_value(&a).map_err(|e| error_at(here, describe(&e)))?;
                                match a.key.as_ref() {
                                    "srclang" => raw.srclang = Some(v),
                                    "creationdate" => raw.created = parse_tmx_date(&v),
                                    "changedate" => raw.changed = parse_tmx_date(&v),
                                    _ => {}
                                }
                            }
                            tu = Some((raw, start));
                        }
                        "tuv" if tu.is_some() && tuv.is_none() => {
                            let mut raw = RawTuv {
                                lang: String::new(),
                                text: String::new(),
                                props: Vec::new(),
                                created: None,
                                changed: None,
                            };
                            for a in e.attributes() {
                                let a = a.map_err(|e| error_at(here, describe(&e.into())))?;
                                let v = attr_value(&a).map_err(|e| error_at(here, describe(&e)))?;
                                match a.key.as_ref() {
                                    "xml:lang" => raw.lang = v,
                                    "lang" if raw.lang.is_empty() => raw.lang = v,
                                    "creationdate" => raw.created = parse_tmx_date(&v),
                                    "changedate" => raw.changed = parse_tmx_date(&v),
                                    _ => {}
                                }
                            }
                            if raw.lang.trim().is_empty() {
                                let place = here;
                                return Err(error_at(place, "<tuv> without xml:lang"));
                            }
                            tuv = Some(raw);
                        }
                        "seg" if tuv.is_some() => in_seg = true,
                        "prop" if tu.is_some() => {
                            let mut kind = String::new();
                            for a in e.attributes() {
                                let a = a.map_err(|e| error_at(here, describe(&e.into())))?;
                                if a.key.as_ref() == "type" {
                                    kind =
                                        attr_value(&a).map_err(|e| error_at(here, describe(&e)))?;
                                }
                            }
                            prop = Some((kind, String::new()));
                        }
                        "note" => note += 1,
                        "tu" | "tuv" | "seg" => {
                            let place = here;
                            return Err(error_at(place, format!("<{}> is not allowed here", name)));
                        }
                        _ => {}
                    }
                }
                Event::Empty(e) => {
                    if in_seg {
                        continue;
                    }
                    if e.name().as_ref() == "tu" {
                        self.stats.units += 1;
                        self.stats.skipped += 1;
                    }
                }
                Event::End(e) => {
                    let name = e.name().as_ref().to_string();
                    if in_seg {
                        if skip > 0 {
                            skip -= 1;
                            continue;
                        }
                        if name == "seg" {
                            in_seg = false;
                        }
                        continue;
                    }
                    match name.as_str() {
                        "prop" => {
                            if let Some(p) = prop.take() {
                                match tuv.as_mut() {
                                    Some(v) => v.props.push(p),
                                    None => {
                                        if let Some((t, _)) = tu.as_mut() {
                                            t.props.push(p)
                                        }
                                    }
                                }
                            }
                        }
                        "note" => note = note.saturating_sub(1),
                        "tuv" => {
                            if let (Some(v), Some((t, _))) = (tuv.take(), tu.as_mut()) {
                                t.tuvs.push(v);
                            }
                        }
                        "tu" => return Ok(tu.take()),
                        "body" => {
                            self.at = At::Done;
                            return Ok(None);
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    let s = t.xml10_content();
                    if in_seg && skip == 0 {
                        if let Some(v) = tuv.as_mut() {
                            v.text.push_str(&s);
                        }
                    } else if let Some(p) = prop.as_mut() {
                        if note == 0 {
                            p.1.push_str(&s);
                        }
                    }
                }
                Event::CData(t) => {
                    let s = t.xml10_content().into_owned();
                    if in_seg && skip == 0 {
                        if let Some(v) = tuv.as_mut() {
                            v.text.push_str(&s);
                        }
                    } else if let Some(p) = prop.as_mut() {
                        p.1.push_str(&s);
                    }
                }
                Event::GeneralRef(r) => {
                    let ch = r
                        .resolve_char_ref()
                        .map_err(|e| error_at(here, describe(&e)))?;
                    let name = r.to_string();
                    let s = reference(&self.entities, &name, ch, here)?;
                    if in_seg && skip == 0 {
                        if let Some(v) = tuv.as_mut() {
                            v.text.push_str(&s);
                        }
                    } else if let Some(p) = prop.as_mut() {
                        p.1.push_str(&s);
                    }
                }
                Event::Eof => {
                    let place = here;
                    return Err(error_at(
                        place,
                        "the file ends inside <body>: is it cut short? (</body> and </tmx> are missing)",
                    ));
                }
                _ => {}
            }
        }
    }

    /// Turn a `<tu>` into a unit (None when it has no usable source or translation).
    fn unit(&self, raw: RawTu) -> Option<Unit> {
        let all = |l: &Option<String>| {
            l.as_deref()
                .map(str::trim)
                .filter(|l| !l.is_empty() && *l != "*all*")
                .map(canonical_lang)
        };
        let tuvs: Vec<(String, RawTuv)> = raw
            .tuvs
            .into_iter()
            .map(|v| (canonical_lang(&v.lang), v))
            .collect();
        let wanted = [
            all(&raw.srclang),
            all(&self.stats.srclang),
            all(&self.opts.source_lang),
        ];
        let find = |l: &str| -> Option<usize> {
            tuvs.iter().position(|(t, _)| t == l).or_else(|| {
                let primary = l.split('-').next().unwrap_or(l);
                tuvs.iter()
                    .position(|(t, _)| t.split('-').next() == Some(primary))
            })
        };
        let src = wanted
            .iter()
            .flatten()
            .find_map(|l| find(l))
            .or(if tuvs.is_empty() { None } else { Some(0) })?;
        let (source_lang, source) = (&tuvs[src].0, &tuvs[src].1);
        if source.text.is_empty() {
            return None;
        }
        let prop = |props: &[(String, String)], k: &str| {
            props.iter().find(|(t, _)| t == k).map(|(_, v)| v.clone())
        };
        let targets: Vec<Variant> = tuvs
            .iter()
            .enumerate()
            .filter(|(k, (lang, v))| *k != src && lang != source_lang && !v.text.is_empty())
            .map(|(_, (lang, v))| Variant {
                lang: lang.clone(),
                text: v.text.clone(),
                score: prop(&v.props, "x-score").and_then(|s| s.trim().parse().ok()),
                flags: prop(&v.props, "x-flags")
                    .map(|s| parse_flags(&s))
                    .unwrap_or_default(),
                created: v.created.or(raw.created),
                changed: v.changed.or(raw.changed).or(v.created).or(raw.created),
            })
            .collect();
        if targets.is_empty() {
            return None;
        }
        Some(Unit {
            source_lang: source_lang.clone(),
            source: source.text.clone(),
            document: prop(&raw.props, "x-document").filter(|d| !d.trim().is_empty()),
            label: prop(&raw.props, "x-label").filter(|d| !d.is_empty()),
            targets,
        })
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
                Ok(Some((raw, _))) => {
                    self.stats.units += 1;
                    match self.unit(raw) {
                        Some(u) => return Some(Ok(u)),
                        None => self.stats.skipped += 1,
                    }
                }
            }
        }
        if self.at == At::Done {
            // Check that the rest of the file is well formed too.
            loop {
                let start = self.xml.buffer_position();
                let here = self.place(start);
                self.buf.clear();
                match self.xml.read_event_into(&mut self.buf) {
                    Ok(Event::Eof) => break,
                    Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                        let name = e.name().as_ref().to_string();
                        let place = here;
                        self.failed = true;
                        return Some(Err(error_at(
                            place,
                            format!("<{name}> after </body> is not allowed"),
                        )));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.failed = true;
                        return Some(Err(self.xml_error(&e)));
                    }
                }
            }
            self.failed = true; // done: nothing more
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
                },
                Variant {
                    lang: "ru".into(),
                    text: "Тарифы".into(),
                    score: None,
                    flags: vec![],
                    created: Some(1_710_000_000),
                    changed: Some(1_710_000_000),
                },
            ],
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

    #[test]
    fn inline_codes_are_dropped_and_hi_kept() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd" [ <!ENTITY co "Acme&#160;Co"> ]>
<tmx version="1.4"><header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-us" srclang="*all*" datatype="html"/>
<body>
<tu><tuv lang="EN-US"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept><ph x="2">&lt;br/&gt;</ph> &co; <hi type="x">now</hi>&#x21;<it pos="begin">&lt;i&gt;</it><ut>{x}</ut></seg></tuv>
<tuv xml:lang="de-de"><seg>Hier <bpt i="1">&lt;b<sub>alt</sub>&gt;</bpt>klicken<ept i="1"/></seg></tuv></tu>
<tu srclang="de-DE"><tuv xml:lang="en-US"><seg>One</seg></tuv><tuv xml:lang="de-DE"><seg>Eins</seg></tuv></tu>
<tu><tuv xml:lang="en-US"><seg>alone</seg></tuv></tu>
</body></tmx>"#;
        let mut r = read_tmx(text.as_bytes(), ReadOptions::default()).unwrap();
        let got: Vec<Unit> = r.by_ref().collect::<Result<_>>().unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].source_lang, "en-US");
        assert_eq!(got[0].source, "Click here Acme\u{a0}Co now!");
        assert_eq!(got[0].targets[0].lang, "de-DE");
        assert_eq!(got[0].targets[0].text, "Hier klicken");
        assert_eq!(got[1].source_lang, "de-DE");
        assert_eq!(got[1].source, "Eins");
        assert_eq!(r.stats().units, 3);
        assert_eq!(r.stats().skipped, 1);
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
