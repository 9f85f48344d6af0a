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

use std::io::{BufRead, Read};

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesText, Event};
use quick_xml::Reader;

use super::{
    clean_controls, describe, error_at, forbidden_char, forbidden_message, parse_flags, tmx_date,
    utf8_input, Annotation, Entities, Limits, Meta, Tracked, Unit, Variant,
};
use crate::error::{Error, Result};
use crate::language::LangTag;
use header::{declared_encoding, header_attrs, root};
use tu::{Closed, RawTu, RawTuv, TuState};

mod header;
mod tu;
mod write;

pub use write::{TmxHeader, TmxWriter};

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
mod tests;
