//! The XML side of reading XLIFF, shared by both versions: quick-xml events turned into owned
//! start tags, end tags and resolved text, with every defence against a hostile file applied
//! once (the [`Limits`], characters XML 1.0 forbids, internal entities under the amplification
//! cap, an encoding other than UTF-8 or UTF-16, content before or after `<xliff>`, a file cut
//! short). The version readers see only well-formed, bounded content inside the root.
//!
//! It knows no XLIFF element: what a tag means is the version reader's business, and the
//! version reader names the elements whose attributes it reads ([`Scanner::want_attrs`]);
//! the attributes of the others (inline codes, notes) are left unparsed, as nothing in them
//! reaches the memory: parsing them all made reading a quarter slower.

use std::io::{BufRead, Read};

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use super::super::{
    describe, error_at, forbidden_char, forbidden_message, known_encoding, utf8_input, Entities,
    Limits, Tracked,
};
use crate::error::{Error, Result};

/// One piece of the file, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    /// A start tag (`empty` for `<x/>`, which has no matching [`Item::End`]).
    Start {
        /// Its qualified name, as written (`mda:meta`).
        name: String,
        /// Its attributes, normalised, by qualified name (empty unless the root or an element
        /// named in [`Scanner::want_attrs`]).
        attrs: Vec<(String, String)>,
        /// Whether it is an empty element.
        empty: bool,
    },
    /// An end tag.
    End(String),
    /// Text, CDATA or a resolved reference inside the root.
    Text(String),
    /// The end of the file, every element closed.
    Eof,
}

/// The value of attribute `key`, if present.
pub(super) fn get(attrs: &[(String, String)], key: &str) -> Option<String> {
    attrs.iter().find(|(n, _)| n == key).map(|(_, s)| s.clone())
}

/// Reads an XLIFF file as [`Item`]s under [`Limits`].
pub(super) struct Scanner<'a> {
    xml: Reader<Tracked<Box<dyn BufRead + Send + 'a>>>,
    buf: Vec<u8>,
    entities: Entities,
    limits: Limits,
    stack: Vec<String>,
    /// The root element was closed: nothing but comments and white space may follow.
    closed: bool,
    /// Line and column of the last item read.
    here: (usize, usize),
    /// The elements whose attributes are read (the root's always are).
    wanted: &'static [&'static str],
}

impl<'a> Scanner<'a> {
    /// Start reading `r` (UTF-8 or UTF-16).
    pub(super) fn new<R: Read + Send + 'a>(r: R, limits: Limits) -> Result<Scanner<'a>> {
        let input: Box<dyn BufRead + Send + 'a> = utf8_input(r).map_err(Error::from)?;
        let mut xml = Reader::from_reader(Tracked::new(input, limits));
        xml.config_mut().trim_text(false);
        Ok(Scanner {
            xml,
            buf: Vec::new(),
            entities: Entities::default(),
            limits,
            stack: Vec::new(),
            closed: false,
            here: (1, 1),
            wanted: &[],
        })
    }

    /// Read the attributes of these elements from now on.
    pub(super) fn want_attrs(&mut self, names: &'static [&'static str]) {
        self.wanted = names;
    }

    /// The attributes of a start tag, if its element is wanted.
    fn wanted_attrs(&self, e: &BytesStart, name: &str) -> Result<Vec<(String, String)>> {
        if self.stack.is_empty() || self.wanted.contains(&name) {
            self.attrs(e)
        } else {
            Ok(Vec::new())
        }
    }

    /// The limits the file is read under.
    pub(super) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// How many elements are open.
    pub(super) fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Line and column of the last item read.
    pub(super) fn here(&self) -> (usize, usize) {
        self.here
    }

    /// An error at the last item read.
    pub(super) fn error(&self, msg: impl Into<String>) -> Error {
        error_at(self.here, msg)
    }

    /// Where (outside the root) a stray text stands.
    fn outside(&self) -> Error {
        let at = if self.closed {
            "after </xliff>"
        } else {
            "before <xliff>"
        };
        self.error(format!("text {at} is not allowed"))
    }

    /// The next item; declarations, comments and processing instructions are checked and
    /// passed over.
    pub(super) fn next_item(&mut self) -> Result<Item> {
        // The buffer is taken out while its event is read, so that the event borrows it
        // rather than being copied.
        let mut buf = std::mem::take(&mut self.buf);
        let item = loop {
            let start = self.xml.buffer_position();
            buf.clear();
            self.xml.get_mut().start_event();
            let ev = match self.xml.read_event_into(&mut buf) {
                Ok(e) => e,
                Err(e) => {
                    if let Some(f) = self.xml.get_ref().fault() {
                        break Err(f);
                    }
                    let at = self.xml.get_ref().place(self.xml.error_position());
                    break Err(error_at(at, describe(&e)));
                }
            };
            if let Some(f) = self.xml.get_ref().fault() {
                break Err(f);
            }
            self.here = self.xml.get_ref().place(start);
            match self.item(ev) {
                Ok(None) => continue,
                Ok(Some(item)) => break Ok(item),
                Err(e) => break Err(e),
            }
        };
        self.buf = buf;
        item
    }

    /// The item an event makes, if any.
    fn item(&mut self, ev: Event<'_>) -> Result<Option<Item>> {
        let consumed = self.xml.get_ref().consumed();
        match ev {
            Event::Start(e) | Event::Empty(e) if self.closed => Err(self.error(format!(
                "<{}> after </xliff> is not allowed",
                e.name().as_ref()
            ))),
            Event::Start(_) if self.stack.len() >= self.limits.max_depth => {
                Err(self.error(format!(
                    "elements nested more than {} deep (--max-depth); raise the limit to read it",
                    self.limits.max_depth
                )))
            }
            Event::Start(e) => self.start(&e, false).map(Some),
            Event::Empty(e) => self.start(&e, true).map(Some),
            Event::End(e) => {
                self.stack.pop();
                self.closed = self.stack.is_empty();
                Ok(Some(Item::End(e.name().as_ref().to_string())))
            }
            Event::Text(t) => {
                let s = t.xml10_content().into_owned();
                if !self.stack.is_empty() {
                    Ok(Some(Item::Text(s)))
                } else if s.bytes().all(|b| b.is_ascii_whitespace()) {
                    Ok(None)
                } else {
                    Err(self.outside())
                }
            }
            Event::GeneralRef(_) | Event::CData(_) if self.stack.is_empty() => Err(self.outside()),
            Event::CData(t) => {
                let s = t.xml10_content().into_owned();
                match forbidden_char(&s) {
                    Some(c) => Err(self.error(forbidden_message(c, "in CDATA"))),
                    None => Ok(Some(Item::Text(s))),
                }
            }
            Event::GeneralRef(r) => self.reference(&r, consumed).map(Some),
            Event::DocType(t) => {
                self.entities.declare(&t.xml10_content());
                Ok(None)
            }
            Event::Decl(d) => match d.encoding() {
                Some(Ok(enc)) if !known_encoding(&enc) => {
                    Err(self.error(format!("the file says it is in {}; save it as UTF-8", enc)))
                }
                _ => Ok(None),
            },
            Event::Eof => match self.stack.last() {
                Some(open) => {
                    Err(self.error(format!("the file ends inside <{open}>: is it cut short?")))
                }
                None => Ok(Some(Item::Eof)),
            },
            _ => Ok(None),
        }
    }

    /// A start tag (an empty element's when `empty`), entering its element unless empty.
    fn start(&mut self, e: &BytesStart, empty: bool) -> Result<Item> {
        let name = e.name().as_ref().to_string();
        let attrs = self.wanted_attrs(e, &name)?;
        if !empty {
            self.stack.push(name.clone());
        }
        Ok(Item::Start { name, attrs, empty })
    }

    /// A character or entity reference inside the root, resolved (`consumed`: the bytes read
    /// so far, for the amplification cap).
    fn reference(&mut self, r: &BytesRef, consumed: u64) -> Result<Item> {
        let c = r.resolve_char_ref().map_err(|e| self.error(describe(&e)))?;
        let mut s = String::new();
        let max = self.limits.max_segment;
        self.entities
            .resolve(r, c, consumed, &self.limits, max, &mut s)
            .map_err(|m| self.error(m))?;
        Ok(Item::Text(s))
    }

    /// A tag's attributes, normalised, refusing characters XML 1.0 forbids.
    fn attrs(&self, e: &BytesStart) -> Result<Vec<(String, String)>> {
        let mut v: Vec<(String, String)> = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|x| self.error(describe(&x.into())))?;
            let val = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|x| self.error(describe(&x)))?
                .into_owned();
            if let Some(c) = forbidden_char(&val) {
                return Err(self.error(forbidden_message(c, "in an attribute")));
            }
            v.push((a.key.as_ref().to_string(), val));
        }
        Ok(v)
    }
}
