//! The `<tu>` being read: a small state machine that `TmxReader::next_tu` feeds one XML event
//! at a time. The segment's text stays plain; its inline codes, and the attributes, `<prop>`s
//! and `<note>`s of the `<tu>` and its `<tuv>`s, are kept apart, in file order. No I/O.

use quick_xml::events::BytesStart;

use super::{attr_value, grow};
use crate::error::Result;
use crate::exchange::markup::open_tag;
use crate::exchange::{
    clean_controls, describe, error_at, escape_into, parse_tmx_date, Annotation, InlineCode, Limits,
};

/// A line and column in the file.
type Place = (usize, usize);

/// A `<tuv>` as read.
pub(super) struct RawTuv {
    pub(super) place: Place,
    pub(super) lang: String,
    /// The plain text of its `<seg>`.
    pub(super) text: String,
    /// Characters in `text[..counted]`, so that placing a code costs only the text since the
    /// last one.
    chars: usize,
    counted: usize,
    pub(super) codes: Vec<InlineCode>,
    /// What the codes take, counted against the segment's limit.
    code_bytes: usize,
    /// Its attributes but the language, in file order.
    pub(super) attrs: Vec<(String, String)>,
    /// Its `<prop>`s and `<note>`s, in file order.
    pub(super) children: Vec<Annotation>,
    pub(super) created: Option<i64>,
    pub(super) changed: Option<i64>,
}

impl RawTuv {
    /// Where the next code goes: the characters of the text so far.
    fn at(&mut self) -> usize {
        self.chars += self.text[self.counted..].chars().count();
        self.counted = self.text.len();
        self.chars
    }

    /// Keep a code, counting what it takes (its parts and a fixed cost) against the segment's
    /// limit, so that a flood of empty codes holds no more memory than a long text may.
    fn push_code(&mut self, code: InlineCode, limits: &Limits, here: Place) -> Result<()> {
        let attrs: usize = code.attrs.iter().map(|(k, v)| k.len() + v.len()).sum();
        self.code_bytes += CODE_COST + code.tag.len() + code.content.len() + attrs;
        if self.code_bytes > limits.max_segment {
            return Err(error_at(
                here,
                format!(
                    "a segment whose inline codes take more than {} bytes (--max-segment-size); raise the limit to read it",
                    limits.max_segment
                ),
            ));
        }
        self.codes.push(code);
        Ok(())
    }
}

/// What each inline code counts for against the segment's limit beyond its own bytes (about
/// what it takes in memory).
const CODE_COST: usize = 64;

/// A `<tu>` as read.
pub(super) struct RawTu {
    pub(super) place: Place,
    pub(super) srclang: Option<String>,
    /// Its attributes but `srclang`, `creationdate` and `changedate`, in file order.
    pub(super) attrs: Vec<(String, String)>,
    /// Its `<prop>`s and `<note>`s, in file order.
    pub(super) children: Vec<Annotation>,
    pub(super) created: Option<i64>,
    pub(super) changed: Option<i64>,
    pub(super) tuvs: Vec<RawTuv>,
}

/// What an end tag finished.
pub(super) enum Closed {
    Nothing,
    Tu(RawTu),
    Body,
}

/// The inline elements of TMX 1.4 that hold a native code.
const CODES: [&str; 5] = ["bpt", "ept", "ph", "it", "ut"];

/// The attributes of a start tag, in file order.
pub(super) fn attrs_of(e: &BytesStart, here: Place) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| error_at(here, describe(&err.into())))?;
        out.push((a.key.as_ref().to_string(), attr_value(&a, here)?));
    }
    Ok(out)
}

fn read_tu(e: &BytesStart, here: Place) -> Result<RawTu> {
    let mut raw = RawTu {
        place: here,
        srclang: None,
        attrs: Vec::new(),
        children: Vec::new(),
        created: None,
        changed: None,
        tuvs: Vec::new(),
    };
    for (k, v) in attrs_of(e, here)? {
        match k.as_str() {
            "srclang" => raw.srclang = Some(v),
            "creationdate" => raw.created = parse_tmx_date(&v),
            "changedate" => raw.changed = parse_tmx_date(&v),
            _ => raw.attrs.push((k, v)),
        }
    }
    Ok(raw)
}

fn read_tuv(e: &BytesStart, here: Place) -> Result<RawTuv> {
    let mut raw = RawTuv {
        place: here,
        lang: String::new(),
        text: String::new(),
        chars: 0,
        counted: 0,
        codes: Vec::new(),
        code_bytes: 0,
        attrs: Vec::new(),
        children: Vec::new(),
        created: None,
        changed: None,
    };
    for (k, v) in attrs_of(e, here)? {
        match k.as_str() {
            "xml:lang" => raw.lang = v,
            "lang" if raw.lang.is_empty() => raw.lang = v,
            _ => {
                match k.as_str() {
                    "creationdate" => raw.created = parse_tmx_date(&v),
                    "changedate" => raw.changed = parse_tmx_date(&v),
                    _ => {}
                }
                raw.attrs.push((k, v));
            }
        }
    }
    if raw.lang.trim().is_empty() {
        return Err(error_at(here, "<tuv> without xml:lang"));
    }
    Ok(raw)
}

/// What `next_tu` has read of the current `<tu>`.
#[derive(Default)]
pub(super) struct TuState {
    tu: Option<RawTu>,
    tuv: Option<RawTuv>,
    in_seg: bool,
    /// The code being read (`<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>`) and how many elements
    /// are open in it, itself included.
    code: Option<(InlineCode, usize)>,
    /// The `<prop>` or `<note>` being read, and how many elements are open in it.
    annotation: Option<(Annotation, usize)>,
}

impl TuState {
    /// Inside a `<seg>`.
    pub(super) fn in_seg(&self) -> bool {
        self.in_seg
    }

    /// A start tag (`empty`: `<x/>`).
    pub(super) fn open(
        &mut self,
        e: &BytesStart,
        empty: bool,
        here: Place,
        limits: &Limits,
    ) -> Result<()> {
        let name = e.name().as_ref().to_string();
        if self.in_seg {
            return self.open_inline(&name, e, empty, here, limits);
        }
        if let Some((_, depth)) = &mut self.annotation {
            *depth += usize::from(!empty);
            return Ok(());
        }
        match name.as_str() {
            "prop" | "note" if self.tu.is_some() => {
                let a = Annotation {
                    element: name,
                    attrs: attrs_of(e, here)?,
                    text: String::new(),
                };
                self.annotation = Some((a, 0));
                if empty {
                    self.close_annotation();
                }
            }
            _ if empty => {}
            "tu" if self.tu.is_none() => self.tu = Some(read_tu(e, here)?),
            "tuv" if self.tu.is_some() && self.tuv.is_none() => self.tuv = Some(read_tuv(e, here)?),
            "seg" if self.tuv.is_some() => self.in_seg = true,
            "tu" | "tuv" | "seg" => {
                return Err(error_at(here, format!("<{name}> is not allowed here")));
            }
            _ => {}
        }
        Ok(())
    }

    fn open_inline(
        &mut self,
        name: &str,
        e: &BytesStart,
        empty: bool,
        here: Place,
        limits: &Limits,
    ) -> Result<()> {
        let attrs = attrs_of(e, here)?;
        if let Some((code, depth)) = &mut self.code {
            // Inside a code (a <sub> and what it holds): kept as written.
            let mut tag = String::new();
            open_tag(name, &attrs, &mut tag);
            tag.push_str(if empty { "/>" } else { ">" });
            *depth += usize::from(!empty);
            return grow(&mut code.content, &tag, limits, here);
        }
        let Some(tuv) = self.tuv.as_mut() else {
            return Ok(());
        };
        let at = tuv.at();
        let code = InlineCode {
            at,
            tag: name.to_string(),
            attrs,
            content: String::new(),
        };
        match name {
            "hi" => {
                tuv.push_code(code, limits, here)?;
                if empty {
                    tuv.push_code(hi_end(at), limits, here)?;
                }
            }
            _ if CODES.contains(&name) && empty => tuv.push_code(code, limits, here)?,
            _ if CODES.contains(&name) => self.code = Some((code, 1)),
            "sub" => {
                return Err(error_at(
                    here,
                    "<sub> outside an inline code: TMX allows it only inside <bpt>, <ept>, <it>, <ph> and <ut>",
                ))
            }
            _ => {
                return Err(error_at(
                    here,
                    format!("<{name}> in a <seg>: the inline elements of TMX 1.4 are <bpt>, <ept>, <hi>, <it>, <ph> and <ut>"),
                ))
            }
        }
        Ok(())
    }

    fn close_annotation(&mut self) {
        let Some((mut a, _)) = self.annotation.take() else {
            return;
        };
        a.text = clean_controls(a.text);
        match (self.tuv.as_mut(), self.tu.as_mut()) {
            (Some(v), _) => v.children.push(a),
            (None, Some(t)) => t.children.push(a),
            (None, None) => {}
        }
    }

    /// An end tag (the parser has checked that it matches its start).
    pub(super) fn close(&mut self, name: &str, here: Place, limits: &Limits) -> Result<Closed> {
        if self.in_seg {
            self.close_inline(name, here, limits)?;
            return Ok(Closed::Nothing);
        }
        if let Some((_, depth)) = &mut self.annotation {
            if *depth > 0 {
                *depth -= 1;
            } else {
                self.close_annotation();
            }
            return Ok(Closed::Nothing);
        }
        match name {
            "tuv" => {
                if let (Some(v), Some(t)) = (self.tuv.take(), self.tu.as_mut()) {
                    t.tuvs.push(v);
                }
            }
            "tu" => return Ok(self.tu.take().map_or(Closed::Nothing, Closed::Tu)),
            "body" => return Ok(Closed::Body),
            _ => {}
        }
        Ok(Closed::Nothing)
    }

    fn close_inline(&mut self, name: &str, here: Place, limits: &Limits) -> Result<()> {
        if let Some((mut code, depth)) = self.code.take() {
            if depth > 1 {
                grow(&mut code.content, &format!("</{name}>"), limits, here)?;
                self.code = Some((code, depth - 1));
            } else if let Some(v) = self.tuv.as_mut() {
                v.push_code(code, limits, here)?;
            }
            return Ok(());
        }
        match name {
            "hi" => {
                if let Some(v) = self.tuv.as_mut() {
                    let at = v.at();
                    v.push_code(hi_end(at), limits, here)?;
                }
            }
            "seg" => self.in_seg = false,
            _ => {}
        }
        Ok(())
    }

    /// Text, entities resolved: to the segment's plain text, the code being read (escaped
    /// again), or the prop or note being read; elsewhere dropped.
    pub(super) fn text(&mut self, s: &str, here: Place, limits: &Limits) -> Result<()> {
        if let Some((code, _)) = &mut self.code {
            let mut escaped = String::with_capacity(s.len());
            escape_into(s, false, &mut escaped);
            return grow(&mut code.content, &escaped, limits, here);
        }
        let into = if self.in_seg {
            self.tuv.as_mut().map(|v| &mut v.text)
        } else {
            self.annotation.as_mut().map(|(a, _)| &mut a.text)
        };
        match into {
            Some(t) => grow(t, s, limits, here),
            None => Ok(()),
        }
    }
}

fn hi_end(at: usize) -> InlineCode {
    InlineCode {
        at,
        tag: "/hi".into(),
        ..InlineCode::default()
    }
}
