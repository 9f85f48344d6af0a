//! The defences of the XML readers that are not byte by byte: the [`Limits`] a hostile file
//! meets, the characters XML 1.0 forbids, internal entities under libxml2's amplification cap,
//! and the error at a line and column (with a quick-xml error in words).

use std::collections::HashMap;

use crate::error::Error;

/// What the XML readers take from a file before refusing it, checked while it is parsed so
/// that a hostile file stops early with a message instead of filling the memory. The CLI sets
/// them from `--max-entity-expansion`, `--max-segment-size`, `--max-file-size` and
/// `--max-depth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How many times the bytes read so far the text made by internal entities may be, beyond
    /// the first [`ENTITY_EXPANSION_FREE`] bytes (libxml2's "maximum amplification factor",
    /// whose default is also 5). 0 refuses every declared entity.
    pub max_entity_expansion: u64,
    /// The longest segment text, and the longest single piece of markup or text between two
    /// tags the parser holds at once, in bytes.
    pub max_segment: usize,
    /// The largest file, in bytes (after UTF-16 is transcoded).
    pub max_file: u64,
    /// The deepest nesting of elements.
    pub max_depth: usize,
}

/// Text made by entities that is always allowed, whatever the file's size (libxml2's
/// `XML_PARSER_ALLOWED_EXPANSION`).
pub const ENTITY_EXPANSION_FREE: u64 = 1_000_000;

/// What each entity reference costs against the amplification limit on top of its text, so
/// that references to empty entities count too (libxml2's `XML_ENT_FIXED_COST`).
const ENTITY_REFERENCE_COST: u64 = 20;

/// How deep entities may refer to entities (libxml2 stops at 40).
const ENTITY_DEPTH: usize = 40;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_entity_expansion: 5,
            // libxml2's XML_MAX_TEXT_LENGTH.
            max_segment: 10_000_000,
            max_file: 4 << 30,
            // libxml2's default xmlParserMaxDepth.
            max_depth: 256,
        }
    }
}

/// Whether XML 1.0 allows a character (its `Char` production).
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of `s` that XML 1.0 forbids.
pub(crate) fn forbidden_char(s: &str) -> Option<char> {
    s.chars().find(|&c| !xml_char(c))
}

/// The message for a character XML 1.0 forbids.
pub(crate) fn forbidden_message(c: char, how: &str) -> String {
    format!(
        "the character U+{:04X} ({how}) is not allowed in XML 1.0; remove it from the file",
        c as u32
    )
}

/// The internal entities of a file's DTD subset (`<!ENTITY name "value">`), their values as
/// written, resolved at each use under the amplification limit.
#[derive(Debug, Default)]
pub(crate) struct Entities {
    raw: HashMap<String, String>,
    /// Bytes made by entity references so far, with [`ENTITY_REFERENCE_COST`] each.
    made: u64,
}

impl Entities {
    /// Read the declarations of an internal DTD subset. Parameter entities and external ones
    /// (`SYSTEM`, `PUBLIC`) are not declared: a use of them is an unknown entity, so nothing
    /// outside the file is ever read.
    pub(crate) fn declare(&mut self, doctype: &str) {
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
                // The first declaration of a name binds (XML 1.0, 4.2).
                self.raw
                    .entry(name)
                    .or_insert_with(|| after[1..1 + end].to_string());
            }
        }
    }

    /// The text of a general reference `&name;` (`ch`: what a character reference stands
    /// for), appended to `out`. `consumed` is how many bytes of the file were read so far, and
    /// `room` how many more bytes the text being built may take.
    pub(crate) fn resolve(
        &mut self,
        name: &str,
        ch: Option<char>,
        consumed: u64,
        limits: &Limits,
        room: usize,
        out: &mut String,
    ) -> std::result::Result<(), String> {
        if let Some(c) = ch {
            if !xml_char(c) {
                return Err(forbidden_message(c, &format!("written `&{name};`")));
            }
            out.push(c);
            return Ok(());
        }
        if let Some(v) = predefined(name) {
            out.push_str(v);
            return Ok(());
        }
        let allowed =
            ENTITY_EXPANSION_FREE.max(limits.max_entity_expansion.saturating_mul(consumed));
        let limit = Budget {
            allowed: if limits.max_entity_expansion == 0 {
                0
            } else {
                allowed
            },
            factor: limits.max_entity_expansion,
            room: out.len().saturating_add(room),
        };
        let mut stack = Vec::new();
        let mut made = self.made;
        let r = self.expand(name, &limit, &mut stack, &mut made, out);
        self.made = made;
        r
    }

    fn expand<'s>(
        &'s self,
        name: &'s str,
        limit: &Budget,
        stack: &mut Vec<&'s str>,
        made: &mut u64,
        out: &mut String,
    ) -> std::result::Result<(), String> {
        let Some(value) = self.raw.get(name) else {
            return Err(format!(
                "unknown entity `&{name};`; write the character itself or a reference such as &#160;"
            ));
        };
        if stack.contains(&name) {
            return Err(format!("the entity `&{name};` refers to itself"));
        }
        if stack.len() >= ENTITY_DEPTH {
            return Err(format!(
                "entities nested more than {ENTITY_DEPTH} deep at `&{name};`"
            ));
        }
        *made = made.saturating_add(ENTITY_REFERENCE_COST);
        limit.check(*made, out.len())?;
        stack.push(name);
        let mut rest = value.as_str();
        while !rest.is_empty() {
            let (text, after) = match rest.find('&') {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            };
            if let Some(c) = forbidden_char(text) {
                return Err(forbidden_message(c, &format!("in the entity `&{name};`")));
            }
            *made = made.saturating_add(text.len() as u64);
            limit.check(*made, out.len() + text.len())?;
            out.push_str(text);
            rest = after;
            if rest.is_empty() {
                break;
            }
            let Some(end) = rest.find(';') else {
                return Err(format!(
                    "the entity `&{name};` holds a `&` that starts no reference; write it &amp;"
                ));
            };
            let r = &rest[1..end];
            rest = &rest[end + 1..];
            if let Some(num) = r.strip_prefix('#') {
                let code = match num.strip_prefix('x') {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => num.parse().ok(),
                };
                match code.and_then(char::from_u32) {
                    Some(c) if xml_char(c) => out.push(c),
                    Some(c) => {
                        return Err(forbidden_message(c, &format!("written `&{r};`")));
                    }
                    None => return Err(format!("`&{r};` is not a character reference")),
                }
                *made = made.saturating_add(4);
            } else if let Some(v) = predefined(r) {
                out.push_str(v);
                *made = made.saturating_add(1);
            } else {
                self.expand(r, limit, stack, made, out)?;
            }
        }
        stack.pop();
        Ok(())
    }
}

/// The limits one reference is resolved under.
struct Budget {
    allowed: u64,
    factor: u64,
    room: usize,
}

impl Budget {
    fn check(&self, made: u64, len: usize) -> std::result::Result<(), String> {
        if made > self.allowed {
            return Err(format!(
                "maximum entity amplification factor exceeded: internal entities make more than {} times the bytes of the file read so far (--max-entity-expansion {}); is it an entity bomb?",
                self.factor, self.factor
            ));
        }
        if len > self.room {
            return Err(format!(
                "a segment grows past {} bytes through entities (--max-segment-size)",
                self.room
            ));
        }
        Ok(())
    }
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

/// An input error at a place: `line:column` and a message.
pub(crate) fn error_at(place: (usize, usize), msg: impl Into<String>) -> Error {
    Error::input(msg.into())
        .with_line(place.0)
        .with_column(place.1)
}

/// A quick-xml error in words.
pub(crate) fn describe(e: &quick_xml::Error) -> String {
    use quick_xml::Error as E;
    match e {
        E::Io(e) => format!("cannot read the file: {e}"),
        E::Syntax(s) => format!("malformed XML: {s}"),
        E::IllFormed(s) => format!("malformed XML: {s}"),
        E::InvalidAttr(a) => format!("malformed attribute: {a}"),
        E::Encoding(e) => format!("not valid UTF-8 ({e}); save the file as UTF-8 or UTF-16"),
        E::Escape(e) => format!("bad character or entity reference: {e}"),
        other => format!("malformed XML: {other}"),
    }
}
