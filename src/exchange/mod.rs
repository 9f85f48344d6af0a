//! Exchange formats: TMX 1.4b (`tmx.rs`, the `<tu>` reader in `tmx/tu.rs`), XLIFF 1.2 and 2.0
//! (`xliff/`), TSV (`tsv.rs`), and the glossaries a team keeps (TBX, TSV, CSV: `glossary.rs`).
//! What a TMX unit carries besides plain text, its inline codes and the metadata of CAT tools,
//! are plain values of `markup.rs`.
//!
//! Each format is a pure writer over [`std::io::Write`] and, where the format comes back, a
//! streaming reader over [`std::io::Read`]. Nothing here opens a file, reads the clock or the
//! environment, or speaks SQL: the CLI hands in the bytes, the time and the tool's metadata, and
//! `store` turns rows into the plain values defined here ([`Row`], [`Unit`]) and back.
//!
//! Shared here: the values, the grouping of a memory's segments into multilingual units, XML
//! escaping (characters XML 1.0 forbids are replaced by U+FFFD and counted, never written raw),
//! TMX dates, and the input side of the XML readers: UTF-16 input transcoded to UTF-8, the line
//! and column of a byte offset for error messages, and the [`Limits`] a hostile file meets while
//! it is parsed (file size, size of one text or tag, element depth, entity amplification as
//! libxml2 caps it), with the characters XML 1.0 forbids refused wherever they stand.

mod glossary;
mod markup;
mod tmx;
mod tsv;
mod xliff;

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead, Read};

use crate::align::Flag;
use crate::error::Error;
pub(crate) use crate::text::clean_controls;

pub use glossary::{read_glossary, Delimiter, GlossaryConcept, GlossaryOptions, GlossaryTerm};
pub use markup::{Annotation, InlineCode, Meta};
pub use tmx::{read_tmx, ReadOptions, TmxHeader, TmxReader, TmxStats, TmxWriter};
pub use tsv::TsvWriter;
pub use xliff::{
    linked_set, read_xliff, read_xliff_with, Draft, Suggestion, TodoDoc, TodoParagraph, TodoState,
    XliffFile, XliffHeader, XliffUnit, XliffVersion, XliffWriter,
};

/// The name written as the creating tool.
pub const TOOL: &str = "paralign";
/// The version written with it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Which segments an export takes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportFilter {
    /// Only segments whose source and target languages are both among these (`en` also
    /// takes `en-GB`); one language: the segments into or out of it; empty: every language.
    pub langs: Vec<String>,
    /// Only segments last seen in this document.
    pub document: Option<String>,
    /// Only segments scoring at least this.
    pub min_score: Option<f64>,
    /// Leave out segments with any of these flags.
    pub exclude_flags: Vec<Flag>,
    /// The sentence pairs of the segments taken (memory/0002), instead of the segments.
    pub sentences: bool,
}

/// What merging units into the memory did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Units read.
    pub units: usize,
    /// Segments added.
    pub added: usize,
    /// Segments the memory already had (left as they were).
    pub existing: usize,
    /// Documents created for units naming a document the memory did not know.
    pub documents_created: usize,
    /// The languages seen, sorted.
    pub langs: Vec<String>,
}

/// Which paragraphs an XLIFF export takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodoFilter {
    /// The target language.
    pub lang: String,
    /// Only this document.
    pub document: Option<String>,
    /// Only the paragraphs whose pair has one of these flags (`missing` for a paragraph with
    /// no translation); `None` takes every paragraph of the document.
    pub only: Option<Vec<crate::align::Flag>>,
}

/// The paragraphs a language lacks, by document, with what could not be looked at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TodoReport {
    /// The source language of the documents taken.
    pub source_lang: Option<String>,
    /// The documents, by name (only those with something to translate).
    pub docs: Vec<TodoDoc>,
    /// Documents left out, and why.
    pub notes: Vec<String>,
}

/// What importing a filled XLIFF file did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplyReport {
    /// Translations written to the memory: (document, paragraph index, text).
    pub applied: Vec<(String, usize, String)>,
    /// Segments among them the memory did not have.
    pub added: usize,
    /// Units without a translation.
    pub empty: usize,
    /// Units refused, with the reason, at their place in the file.
    pub refused: Vec<((usize, usize), String)>,
}

/// A target document rebuilt with new translations in their places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetDoc {
    /// The document.
    pub document: String,
    /// Where its current version of the language was imported from, if it has one.
    pub path: Option<String>,
    /// Where its source was imported from.
    pub source_path: String,
    /// The paragraphs' texts, in order.
    pub paragraphs: Vec<String>,
    /// How many of them are new translations.
    pub replaced: usize,
    /// The language's version is aligned with an earlier source version, so the paragraphs'
    /// places are unknown (nothing rebuilt).
    pub stale: bool,
}

/// One segment of the memory as exported: a source text and one translation of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Rows with the same group belong to one unit: the same source text in the same
    /// document and paragraph, translated into one or more languages.
    pub group: i64,
    /// Source language (BCP 47).
    pub source_lang: String,
    /// Target language.
    pub target_lang: String,
    /// The document where the segment was last seen.
    pub document: String,
    /// The source paragraph's label, if any.
    pub label: Option<String>,
    /// Source text.
    pub source: String,
    /// Target text.
    pub target: String,
    /// The aligner's score (None for segments that came without one).
    pub score: Option<f64>,
    /// Flags.
    pub flags: Vec<Flag>,
    /// When first stored (seconds since 1970 UTC).
    pub created: i64,
    /// When last changed.
    pub changed: i64,
    /// The source text's inline codes.
    pub source_codes: Vec<InlineCode>,
    /// The target text's inline codes.
    pub target_codes: Vec<InlineCode>,
    /// What the `<tu>` it came in carried (see [`Meta`]).
    pub tu_meta: Meta,
    /// What its source `<tuv>` carried.
    pub source_meta: Meta,
    /// What its target `<tuv>` carried.
    pub target_meta: Meta,
}

/// One translation in a unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Variant {
    /// Its language.
    pub lang: String,
    /// Its text.
    pub text: String,
    /// The aligner's score for this pair.
    pub score: Option<f64>,
    /// Its flags.
    pub flags: Vec<Flag>,
    /// When first stored (seconds since 1970 UTC), if known.
    pub created: Option<i64>,
    /// When last changed, if known.
    pub changed: Option<i64>,
    /// Its inline codes (the text stays plain).
    pub codes: Vec<InlineCode>,
    /// What its `<tuv>` carried besides the text, the dates and paralign's props.
    pub meta: Meta,
}

/// A multilingual unit: one source text and its translations, at most one per language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unit {
    /// Source language.
    pub source_lang: String,
    /// Source text.
    pub source: String,
    /// The document it belongs to, if known.
    pub document: Option<String>,
    /// The source paragraph's label, if any.
    pub label: Option<String>,
    /// The translations, by language.
    pub targets: Vec<Variant>,
    /// The source text's inline codes (the text stays plain).
    pub source_codes: Vec<InlineCode>,
    /// What the `<tu>` carried besides the languages, the dates and paralign's props.
    pub meta: Meta,
    /// What the source `<tuv>` carried besides its language.
    pub source_meta: Meta,
}

impl Unit {
    /// The earliest creation time of its translations.
    pub fn created(&self) -> Option<i64> {
        self.targets.iter().filter_map(|t| t.created).min()
    }

    /// The latest change time of its translations.
    pub fn changed(&self) -> Option<i64> {
        self.targets.iter().filter_map(|t| t.changed).max()
    }
}

/// The units of one group of rows (same `group`, sorted by target language then age). A
/// source text with two translations into one language becomes two units, the first holding
/// the first translation of every language, and so on, so that no unit has two variants of a
/// language.
pub fn units_of(rows: &[Row]) -> Vec<Unit> {
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    let mut units: Vec<Unit> = Vec::new();
    let mut k = 0;
    for (i, r) in rows.iter().enumerate() {
        if i > 0 && rows[i - 1].target_lang == r.target_lang {
            k += 1;
        } else {
            k = 0;
        }
        if units.len() <= k {
            units.push(Unit {
                source_lang: first.source_lang.clone(),
                source: first.source.clone(),
                document: Some(first.document.clone()),
                label: first.label.clone(),
                targets: Vec::new(),
                source_codes: first.source_codes.clone(),
                meta: first.tu_meta.clone(),
                source_meta: first.source_meta.clone(),
            });
        }
        units[k].targets.push(Variant {
            lang: r.target_lang.clone(),
            text: r.target.clone(),
            score: r.score,
            flags: r.flags.clone(),
            created: Some(r.created),
            changed: Some(r.changed),
            codes: r.target_codes.clone(),
            meta: r.target_meta.clone(),
        });
    }
    units
}

/// Collects rows streamed in group order and hands out whole groups.
#[derive(Debug, Default)]
pub struct Grouper {
    rows: Vec<Row>,
}

impl Grouper {
    /// Add a row; returns the previous group's units when this row starts a new group.
    pub fn push(&mut self, row: Row) -> Vec<Unit> {
        let done = match self.rows.last() {
            Some(last) if last.group != row.group => {
                let u = units_of(&self.rows);
                self.rows.clear();
                u
            }
            _ => Vec::new(),
        };
        self.rows.push(row);
        done
    }

    /// The last group's units.
    pub fn finish(&mut self) -> Vec<Unit> {
        let u = units_of(&self.rows);
        self.rows.clear();
        u
    }
}

/// Escape text for XML content or a double-quoted attribute into `out`. Characters XML 1.0
/// forbids (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF) become U+FFFD;
/// returns how many. A carriage return is written `&#13;` (a parser would turn a raw one into a
/// line feed); in attributes tab and line feed are written as references too, so that attribute
/// normalisation does not turn them into spaces.
pub(crate) fn escape_into(s: &str, attribute: bool, out: &mut String) -> usize {
    let bytes = s.as_bytes();
    let mut replaced = 0;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Most bytes need nothing: look at the few that may.
        if b >= 0x20 && !matches!(b, b'<' | b'>' | b'&' | b'"' | 0xEF) {
            i += 1;
            continue;
        }
        let (rep, len): (&str, usize) = match b {
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'&' => ("&amp;", 1),
            b'"' if attribute => ("&quot;", 1),
            b'\r' => ("&#13;", 1),
            b'\n' if attribute => ("&#10;", 1),
            b'\t' if attribute => ("&#9;", 1),
            b'\n' | b'\t' | b'"' => {
                i += 1;
                continue;
            }
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE) | Some(0xBF)) =>
            {
                replaced += 1;
                ("\u{FFFD}", 3)
            }
            0xEF => {
                i += 1;
                continue;
            }
            _ => {
                // Another C0 control character.
                replaced += 1;
                ("\u{FFFD}", 1)
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    replaced
}

/// A time in the TMX format, `YYYYMMDDThhmmssZ`.
pub fn tmx_date(secs: i64) -> String {
    // The store's civil date, written without the formatting machinery: an export writes
    // millions of these.
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::time::civil_from_days(days);
    if !(0..=9999).contains(&y) {
        let t = crate::time::format_time(secs);
        return t.chars().filter(|c| *c != '-' && *c != ':').collect();
    }
    let mut b = *b"00000000T000000Z";
    let mut put = |at: usize, width: usize, mut v: i64| {
        for k in (0..width).rev() {
            b[at + k] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y);
    put(4, 2, m);
    put(6, 2, d);
    put(9, 2, rem / 3600);
    put(11, 2, rem / 60 % 60);
    put(13, 2, rem % 60);
    String::from_utf8_lossy(&b).into_owned()
}

/// Parse a TMX date (`YYYYMMDDThhmmssZ`); also takes RFC 3339 (`2024-03-14T10:00:00Z`).
pub fn parse_tmx_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() == 16 && b[8] == b'T' && matches!(b[15], b'Z' | b'z') {
        let t = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &s[0..4],
            &s[4..6],
            &s[6..8],
            &s[9..11],
            &s[11..13],
            &s[13..15]
        );
        return crate::time::parse_time(&t);
    }
    crate::time::parse_time(s)
}

/// Format a score as the JSON contract does (3 decimals, no trailing zeros).
pub fn format_score(x: f64) -> String {
    let s = format!("{:.3}", (x * 1000.0).round() / 1000.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// The flags as a comma-separated list.
pub fn format_flags(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Parse a comma-separated list of flags; unknown names are dropped.
pub fn parse_flags(s: &str) -> Vec<Flag> {
    let mut v: Vec<Flag> = s.split(',').filter_map(Flag::parse).collect();
    v.sort();
    v.dedup();
    v
}

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

/// How many positions the reader remembers to place an error: bytes consumed at each read
/// boundary (every markup start and end), enough for the event being parsed.
const MARKS: usize = 4096;

/// A [`BufRead`] that counts lines and columns (in characters) of what the XML parser
/// consumed, so that an error at a byte offset can name its line and column without keeping
/// the input. It also enforces what can be seen byte by byte: the file's size, the size of
/// one event (a text run, a tag, the DTD subset), and the characters XML 1.0 forbids raw. A
/// breach is kept as a fault with its place and ends the input with an error; the readers ask
/// for it with [`Tracked::fault`] after every event.
pub(crate) struct Tracked<R> {
    inner: R,
    consumed: u64,
    line: usize,
    column: usize,
    marks: VecDeque<(u64, usize, usize)>,
    limits: Limits,
    event_start: u64,
    /// Bytes of U+FFFE/U+FFFF seen so far (EF, then BF).
    pending_ef: u8,
    fault: Option<((usize, usize), String)>,
}

impl<R: BufRead> Tracked<R> {
    pub(crate) fn new(inner: R, limits: Limits) -> Tracked<R> {
        // The start of the file is a known place: an error in the first tag names its start.
        let mut marks = VecDeque::with_capacity(MARKS);
        marks.push_back((0, 1, 1));
        Tracked {
            inner,
            consumed: 0,
            line: 1,
            column: 1,
            marks,
            limits,
            event_start: 0,
            pending_ef: 0,
            fault: None,
        }
    }

    /// The line and column (1-based) of a byte offset among those consumed lately; the
    /// nearest earlier boundary when the exact one is no longer known.
    pub(crate) fn place(&self, offset: u64) -> (usize, usize) {
        if offset >= self.consumed {
            return (self.line, self.column);
        }
        let mut best = None;
        for &(o, l, c) in self.marks.iter().rev() {
            if o <= offset {
                best = Some((l, c));
                break;
            }
        }
        best.unwrap_or((self.line, self.column))
    }

    /// How many bytes the parser has consumed.
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Mark the start of the next event: one event may hold at most `max_segment` bytes.
    pub(crate) fn start_event(&mut self) {
        self.event_start = self.consumed;
    }

    /// The first limit breached or forbidden character met, with its place.
    pub(crate) fn fault(&self) -> Option<Error> {
        self.fault
            .as_ref()
            .map(|(place, msg)| error_at(*place, msg.clone()))
    }

    fn set_fault(&mut self, place: (usize, usize), msg: String) {
        if self.fault.is_none() {
            self.fault = Some((place, msg));
        }
    }
}

impl<R: BufRead> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if let Some((_, msg)) = &self.fault {
            return Err(io::Error::other(msg.clone()));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt == 0 {
            return;
        }
        // The bytes consumed are the start of the inner buffer, which fill_buf returns again
        // without reading.
        let mut bad = None;
        if let Ok(buf) = self.inner.fill_buf() {
            let bytes = &buf[..amt.min(buf.len())];
            for &b in bytes {
                if b == b'\n' {
                    self.line += 1;
                    self.column = 1;
                } else if (b & 0xC0) != 0x80 {
                    self.column += 1;
                }
                // Forbidden raw: C0 controls but tab, line feed, carriage return; U+FFFE and
                // U+FFFF (EF BF BE, EF BF BF).
                self.pending_ef = match (self.pending_ef, b) {
                    (_, 0xEF) => 1,
                    (1, 0xBF) => 2,
                    (2, 0xBE | 0xBF) => {
                        if bad.is_none() {
                            let c = if b == 0xBE { 0xFFFE } else { 0xFFFF };
                            bad = Some(((self.line, self.column - 1), c));
                        }
                        0
                    }
                    _ => 0,
                };
                if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') && bad.is_none() {
                    bad = Some(((self.line, self.column - 1), u32::from(b)));
                }
            }
        }
        if let Some((place, code)) = bad {
            let c = char::from_u32(code).unwrap_or('\u{FFFD}');
            let how = if code < 0x20 {
                "a control character"
            } else {
                "a non-character"
            };
            self.set_fault(place, forbidden_message(c, how));
        }
        self.consumed += amt as u64;
        if self.consumed > self.limits.max_file {
            let msg = format!(
                "the file is larger than {} bytes (--max-file-size); raise the limit to read it",
                self.limits.max_file
            );
            self.set_fault((self.line, self.column), msg);
        }
        if self.consumed - self.event_start > self.limits.max_segment as u64 {
            let msg = format!(
                "a text, tag or declaration longer than {} bytes (--max-segment-size); raise the limit to read it",
                self.limits.max_segment
            );
            self.set_fault((self.line, self.column), msg);
        }
        if self.marks.len() == MARKS {
            self.marks.pop_front();
        }
        self.marks
            .push_back((self.consumed, self.line, self.column));
        self.inner.consume(amt);
    }
}

/// The encodings an XML file may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf16 {
    Le,
    Be,
}

/// Turns UTF-16 input into UTF-8, streaming.
struct Utf16Reader<R> {
    inner: R,
    order: Utf16,
    pending: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    high: Option<u16>,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.eof {
            let mut chunk = [0u8; 16 * 1024];
            let n = self.inner.read(&mut chunk)?;
            if n == 0 {
                self.eof = true;
                if !self.pending.is_empty() || self.high.is_some() {
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                }
                break;
            }
            self.pending.extend_from_slice(&chunk[..n]);
            let whole = self.pending.len() / 2 * 2;
            for pair in self.pending[..whole].chunks_exact(2) {
                let u = match self.order {
                    Utf16::Le => u16::from_le_bytes([pair[0], pair[1]]),
                    Utf16::Be => u16::from_be_bytes([pair[0], pair[1]]),
                };
                let c = match (self.high.take(), u) {
                    (None, 0xD800..=0xDBFF) => {
                        self.high = Some(u);
                        continue;
                    }
                    (Some(h), 0xDC00..=0xDFFF) => char::from_u32(
                        0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00),
                    )
                    .unwrap_or('\u{FFFD}'),
                    (Some(_), _) | (None, 0xDC00..=0xDFFF) => {
                        // A lone surrogate: XML cannot hold it.
                        if (0xD800..=0xDBFF).contains(&u) {
                            self.high = Some(u);
                        }
                        '\u{FFFD}'
                    }
                    (None, u) => char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
                };
                let mut b = [0u8; 4];
                self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
            self.pending.drain(..whole);
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        let n = (self.out.len() - self.pos).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// XML input as UTF-8: a UTF-16 file (with a byte-order mark, or starting `<?xml` in UTF-16
/// without one) is transcoded; UTF-8 passes through (its byte-order mark is dropped by the
/// parser). Other encodings are refused by the readers when the declaration names them.
pub(crate) fn utf8_input<'a, R: Read + Send + 'a>(
    mut r: R,
) -> io::Result<Box<dyn BufRead + Send + 'a>> {
    let mut head = [0u8; 4];
    let mut n = 0;
    while n < 4 {
        let k = r.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let head = &head[..n];
    let (order, skip) = match head {
        [0xFF, 0xFE, ..] => (Some(Utf16::Le), 2),
        [0xFE, 0xFF, ..] => (Some(Utf16::Be), 2),
        [b'<', 0, b'?', 0] => (Some(Utf16::Le), 0),
        [0, b'<', 0, b'?'] => (Some(Utf16::Be), 0),
        _ => (None, 0),
    };
    let rest = io::Cursor::new(head[skip..].to_vec()).chain(r);
    Ok(match order {
        Some(order) => Box::new(io::BufReader::with_capacity(
            64 * 1024,
            Utf16Reader {
                inner: rest,
                order,
                pending: Vec::new(),
                out: Vec::new(),
                pos: 0,
                high: None,
                eof: false,
            },
        )),
        None => Box::new(io::BufReader::with_capacity(64 * 1024, rest)),
    })
}

/// Whether an encoding named in an XML declaration is one the readers take.
pub(crate) fn known_encoding(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    matches!(
        n.as_str(),
        "utf-8" | "utf8" | "utf-16" | "utf-16le" | "utf-16be" | "ucs-2" | "us-ascii" | "ascii"
    )
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

/// Run an iterator on another thread, up to `depth` items ahead of its consumer, so that
/// reading a file overlaps with storing what it holds. Items arrive in order; [`finish`]
/// gives the iterator back (for its statistics) once the consumer is done or has stopped.
///
/// [`finish`]: ReadAhead::finish
pub struct ReadAhead<I: Iterator> {
    rx: std::sync::mpsc::Receiver<Vec<I::Item>>,
    handle: std::thread::JoinHandle<I>,
    batch: std::vec::IntoIter<I::Item>,
}

/// Items travel between the threads in batches of this many (one wake-up each, not one per
/// item).
const READ_AHEAD_BATCH: usize = 512;

impl<I> ReadAhead<I>
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
{
    /// Start reading `source` ahead, up to `depth` items.
    pub fn new(mut source: I, depth: usize) -> ReadAhead<I> {
        let (tx, rx) = std::sync::mpsc::sync_channel(depth.div_ceil(READ_AHEAD_BATCH).max(1));
        let handle = std::thread::spawn(move || {
            loop {
                let batch: Vec<I::Item> = source.by_ref().take(READ_AHEAD_BATCH).collect();
                let last = batch.len() < READ_AHEAD_BATCH;
                if (!batch.is_empty() && tx.send(batch).is_err()) || last {
                    break; // done, or the consumer stopped
                }
            }
            source
        });
        ReadAhead {
            rx,
            handle,
            batch: Vec::new().into_iter(),
        }
    }

    /// Stop reading and give the iterator back.
    pub fn finish(self) -> I {
        let ReadAhead { rx, handle, .. } = self;
        drop(rx);
        handle
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    }
}

impl<I: Iterator> Iterator for ReadAhead<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(item);
            }
            self.batch = self.rx.recv().ok()?.into_iter();
        }
    }
}

/// Items travel from [`write_behind`]'s producer to its consumer in batches of this many.
const WRITE_BEHIND_BATCH: usize = 256;

/// Run `consume` on another thread while `produce` makes its items on this one: an export
/// formats and writes units while the memory is still being read. `produce` hands each item
/// to the function it is given, in order; `consume` takes them as an iterator and its result
/// is returned. The first error wins: when the consumer stops (a full disk, a closed pipe),
/// the producer's next hand-over fails and the consumer's error is returned; when the
/// producer fails, the consumer's items end early and the producer's error is returned.
pub fn write_behind<T, R>(
    produce: impl FnOnce(&mut dyn FnMut(T) -> crate::Result<()>) -> crate::Result<()>,
    consume: impl FnOnce(&mut dyn Iterator<Item = T>) -> crate::Result<R> + Send,
) -> crate::Result<R>
where
    T: Send,
    R: Send,
{
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<T>>(8);
    std::thread::scope(|s| {
        let worker = s.spawn(move || consume(&mut rx.into_iter().flatten()));
        let mut batch = Vec::with_capacity(WRITE_BEHIND_BATCH);
        let produced = produce(&mut |item| {
            batch.push(item);
            if batch.len() == WRITE_BEHIND_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(WRITE_BEHIND_BATCH));
                // A closed channel: the consumer has stopped, and says why below.
                tx.send(full)
                    .map_err(|_| Error::input("the writer stopped"))?;
            }
            Ok(())
        });
        if produced.is_ok() && !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        let consumed = worker
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        match (produced, consumed) {
            (_, Err(e)) | (Err(e), Ok(_)) => Err(e),
            (Ok(()), Ok(r)) => Ok(r),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_behind_hands_over_every_item_in_order() {
        let got = write_behind(
            |put| (0..1000).try_for_each(&mut *put),
            |items| Ok(items.collect::<Vec<i32>>()),
        )
        .unwrap();
        assert_eq!(got, (0..1000).collect::<Vec<_>>());
        let none = write_behind::<i32, _>(|_| Ok(()), |items| Ok(items.count())).unwrap();
        assert_eq!(none, 0);
    }

    #[test]
    fn write_behind_stops_the_producer_when_the_consumer_fails() {
        let mut made = 0;
        let e = write_behind(
            |put| {
                for i in 0..1_000_000 {
                    made += 1;
                    put(i)?;
                }
                Ok(())
            },
            |items| {
                for i in items {
                    if i == 10 {
                        return Err(Error::input("disk full"));
                    }
                }
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "disk full");
        // Stopped within what the channel holds: 8 batches queued, one being filled, one taken.
        assert!(made <= 10 * WRITE_BEHIND_BATCH, "{made}");
    }

    #[test]
    fn write_behind_returns_the_producers_error() {
        let mut seen = 0;
        let e = write_behind(
            |put| {
                (0..300).try_for_each(&mut *put)?;
                Err(Error::input("database went away"))
            },
            |items| {
                seen = items.count();
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "database went away");
        assert_eq!(
            seen, 256,
            "the full batch went over, the partial one did not"
        );
    }

    #[test]
    fn escaping_replaces_what_xml_forbids() {
        let mut s = String::new();
        let n = escape_into("a<b>&\"c\"\r\n\t\u{1}\u{FFFE}z", false, &mut s);
        assert_eq!(s, "a&lt;b&gt;&amp;\"c\"&#13;\n\t\u{FFFD}\u{FFFD}z");
        assert_eq!(n, 2);
        let mut s = String::new();
        escape_into("x\"\n\ty", true, &mut s);
        assert_eq!(s, "x&quot;&#10;&#9;y");
    }

    #[test]
    fn tmx_dates_round_trip() {
        assert_eq!(tmx_date(1_710_410_400), "20240314T100000Z");
        assert_eq!(parse_tmx_date("20240314T100000Z"), Some(1_710_410_400));
        assert_eq!(parse_tmx_date("2024-03-14T10:00:00Z"), Some(1_710_410_400));
        assert_eq!(parse_tmx_date("20241314T100000Z"), None);
        for t in [0, 951_782_400, 1_709_164_800, 4_102_444_799, -86_401] {
            let want: String = crate::time::format_time(t)
                .chars()
                .filter(|c| *c != '-' && *c != ':')
                .collect();
            assert_eq!(tmx_date(t), want);
        }
    }

    #[test]
    fn scores_have_three_decimals() {
        assert_eq!(format_score(0.8765), "0.877");
        assert_eq!(format_score(1.0), "1");
        assert_eq!(format_score(0.5), "0.5");
        assert_eq!(format_score(0.0), "0");
    }

    fn row(group: i64, lang: &str, target: &str) -> Row {
        Row {
            group,
            source_lang: "en".into(),
            target_lang: lang.into(),
            document: "d".into(),
            label: None,
            source: "S".into(),
            target: target.into(),
            score: None,
            flags: vec![],
            created: 1,
            changed: 2,
            ..Row::default()
        }
    }

    #[test]
    fn a_second_translation_into_a_language_makes_a_second_unit() {
        let units = units_of(&[row(1, "es", "A"), row(1, "es", "B"), row(1, "ru", "C")]);
        assert_eq!(units.len(), 2);
        let langs = |u: &Unit| {
            u.targets
                .iter()
                .map(|t| format!("{}={}", t.lang, t.text))
                .collect::<Vec<_>>()
        };
        assert_eq!(langs(&units[0]), ["es=A", "ru=C"]);
        assert_eq!(langs(&units[1]), ["es=B"]);
        let mut g = Grouper::default();
        assert!(g.push(row(1, "es", "A")).is_empty());
        assert_eq!(g.push(row(2, "es", "B")).len(), 1);
        assert_eq!(g.finish().len(), 1);
    }

    #[test]
    fn utf16_input_becomes_utf8() {
        let text = "<?xml version=\"1.0\"?><a>é𝄞</a>";
        let mut le = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let mut out = String::new();
        utf8_input(&le[..])
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, text);
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let mut out = String::new();
        utf8_input(&be[..])
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn tracked_reader_knows_lines_and_columns() {
        let mut t = Tracked::new(
            io::BufReader::new(&b"ab\ncd\n\xc3\xa9f"[..]),
            Limits::default(),
        );
        let mut s = String::new();
        t.read_to_string(&mut s).unwrap();
        assert_eq!(t.place(100), (3, 3));
    }
}
