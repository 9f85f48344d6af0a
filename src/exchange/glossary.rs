//! Glossary files: TBX (ISO 30042: TBX-Basic and TBX-Core, a `<martif>` or `<tbx>` root,
//! `termEntry`/`conceptEntry`, `langSet`/`langSec` with `xml:lang`, `tig`/`ntig`/`termSec`
//! holding a `term`) and delimited files (TSV, or CSV with RFC 4180 quoting) with a column per
//! language, into [`GlossaryConcept`]s.
//!
//! A file is read whole (a glossary is small; the size is capped by [`Limits::max_file`]) so
//! that its kind can be told from its first bytes: `<` opens XML, anything else is a table.
//! The XML side streams through the same guarded reader as TMX and XLIFF (limits on size,
//! depth and entities; errors with line and column). Pure: bytes in, concepts out; the CLI
//! names the file in the error.

use std::io::{BufRead, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{
    describe, error_at, forbidden_char, forbidden_message, known_encoding, utf8_input, Entities,
    Limits, Tracked,
};
use crate::error::{Error, ErrorKind, Result};
use crate::language::LangTag;

/// One term of a concept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlossaryTerm {
    /// Its language (BCP 47, canonical).
    pub lang: String,
    /// The term, white space folded.
    pub text: String,
    /// Its part of speech, when the file says (`termNote type="partOfSpeech"`).
    pub part_of_speech: Option<String>,
    /// A note on it (`note`), when the file has one.
    pub note: Option<String>,
}

/// One concept: its terms in every language of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlossaryConcept {
    /// The terms in file order.
    pub terms: Vec<GlossaryTerm>,
}

/// Which table a delimited file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// Tab-separated.
    Tab,
    /// Comma-separated.
    Comma,
}

/// How to read a glossary file.
#[derive(Debug, Clone, Default)]
pub struct GlossaryOptions {
    /// The separator of a table [default: a tab when the first line has one, else a comma].
    pub delimiter: Option<Delimiter>,
    /// The languages of a table's two columns when it has no header row of language tags.
    pub langs: Option<(LangTag, LangTag)>,
    /// What an XML file may hold.
    pub limits: Limits,
}

/// Read a glossary (TBX, TSV or CSV) from its bytes.
pub fn read_glossary<R: Read>(mut r: R, opts: &GlossaryOptions) -> Result<Vec<GlossaryConcept>> {
    let mut bytes = Vec::new();
    r.by_ref()
        .take(opts.limits.max_file.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Error::from)?;
    if bytes.len() as u64 > opts.limits.max_file {
        return Err(Error::input(format!(
            "the file is larger than {} bytes (--max-file-size); raise the limit to read it",
            opts.limits.max_file
        )));
    }
    if is_xml(&bytes) {
        read_tbx(&bytes, opts.limits)
    } else {
        let text = crate::document::decode(&bytes)?;
        read_table(&text, opts)
    }
}

/// Whether the bytes open an XML document: `<` first, after a byte-order mark and white space.
fn is_xml(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE, b'<', 0]) || bytes.starts_with(&[0xFE, 0xFF, 0, b'<']) {
        return true;
    }
    let rest = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    rest.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Fold runs of white space into one space and trim.
fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A language tag of the file, canonical; the error says where.
fn lang_tag(s: &str) -> std::result::Result<String, String> {
    LangTag::parse(s)
        .map(|t| t.as_str().to_string())
        .map_err(|e| e.to_string())
}

/// What text is being collected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Collecting {
    #[default]
    Nothing,
    Term,
    PartOfSpeech,
    Note,
}

/// The term group being read (`tig`, `ntig`, `termSec`).
#[derive(Debug, Default)]
struct Group {
    term: Option<String>,
    pos: Option<String>,
    note: Option<String>,
}

/// The local name of an element (`tbx:term` is `term`).
fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => name.to_string(),
    }
}

/// An attribute's value by its name, normalised; errors at `here`.
fn attr(e: &BytesStart, name: &str, here: (usize, usize)) -> Result<Option<String>> {
    for a in e.attributes() {
        let a = a.map_err(|x| error_at(here, describe(&x.into())))?;
        if a.key.as_ref() == name {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|x| error_at(here, describe(&x)))?
                .into_owned();
            if let Some(c) = forbidden_char(&v) {
                return Err(error_at(here, forbidden_message(c, "in an attribute")));
            }
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// Read a TBX file.
fn read_tbx(bytes: &[u8], limits: Limits) -> Result<Vec<GlossaryConcept>> {
    let input: Box<dyn BufRead + Send> = utf8_input(bytes).map_err(Error::from)?;
    let mut xml = Reader::from_reader(Tracked::new(input, limits));
    xml.config_mut().trim_text(false);
    let mut buf = Vec::new();
    let mut tbx = Tbx::default();
    let mut entities = Entities::default();
    loop {
        let start = xml.buffer_position();
        buf.clear();
        xml.get_mut().start_event();
        let ev = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                if let Some(f) = xml.get_ref().fault() {
                    return Err(f);
                }
                let at = xml.get_ref().place(xml.error_position());
                return Err(error_at(at, describe(&e)));
            }
        };
        if let Some(f) = xml.get_ref().fault() {
            return Err(f);
        }
        let here = xml.get_ref().place(start);
        let consumed = xml.get_ref().consumed();
        match ev {
            Event::Decl(d) => utf8_declared(&d, here)?,
            Event::DocType(t) => entities.declare(&t.xml10_content()),
            Event::Start(_) if tbx.stack.len() >= limits.max_depth => {
                return Err(error_at(
                    here,
                    format!(
                        "elements nested more than {} deep (--max-depth); raise the limit to read it",
                        limits.max_depth
                    ),
                ));
            }
            Event::Start(ref e) => tbx.start(e, false, here)?,
            Event::Empty(ref e) => tbx.start(e, true, here)?,
            Event::End(e) => {
                tbx.stack.pop();
                tbx.end(&local(e.name().as_ref()));
            }
            Event::Text(t)
                if tbx.stack.is_empty()
                    && !t.xml10_content().bytes().all(|b| b.is_ascii_whitespace()) =>
            {
                return Err(error_at(
                    here,
                    "text outside the root element is not allowed",
                ));
            }
            Event::Text(t) => tbx.grow(&t.xml10_content(), here, &limits)?,
            Event::CData(t) if tbx.into != Collecting::Nothing => {
                let s = t.xml10_content().into_owned();
                if let Some(c) = forbidden_char(&s) {
                    return Err(error_at(here, forbidden_message(c, "in CDATA")));
                }
                tbx.grow(&s, here, &limits)?;
            }
            Event::GeneralRef(r) => {
                let c = r
                    .resolve_char_ref()
                    .map_err(|e| error_at(here, describe(&e)))?;
                let mut s = String::new();
                entities
                    .resolve(&r, c, consumed, &limits, limits.max_segment, &mut s)
                    .map_err(|m| error_at(here, m))?;
                tbx.grow(&s, here, &limits)?;
            }
            Event::Eof => return tbx.finish(here),
            _ => {}
        }
    }
}

/// An XML declaration that names an encoding other than UTF-8 is refused with a hint.
fn utf8_declared(d: &quick_xml::events::BytesDecl, here: (usize, usize)) -> Result<()> {
    if let Some(Ok(enc)) = d.encoding() {
        let enc = enc.to_string();
        if !known_encoding(&enc) {
            return Err(error_at(
                here,
                format!("the file says it is in {enc}; save it as UTF-8"),
            ));
        }
    }
    Ok(())
}

/// What a TBX reader has read and what is open.
#[derive(Default)]
struct Tbx {
    out: Vec<GlossaryConcept>,
    /// The names of the open elements.
    stack: Vec<String>,
    /// The root element was read.
    rooted: bool,
    concept: Option<GlossaryConcept>,
    lang: Option<String>,
    group: Option<Group>,
    /// What the text being read is.
    into: Collecting,
    text: String,
}

impl Tbx {
    /// An element opens (and, when `empty`, closes at once).
    fn start(&mut self, e: &BytesStart, empty: bool, here: (usize, usize)) -> Result<()> {
        let name = local(e.name().as_ref());
        if !self.rooted {
            if name != "martif" && name != "tbx" {
                return Err(error_at(
                    here,
                    format!("not a TBX file: the root element is <{name}>, not <martif> or <tbx>"),
                ));
            }
            self.rooted = true;
        } else if self.stack.is_empty() {
            return Err(error_at(
                here,
                format!("<{name}> after the root element is not allowed"),
            ));
        }
        self.open(e, &name, here)?;
        if empty {
            self.end(&name);
        } else {
            self.stack.push(name);
        }
        Ok(())
    }

    /// What an element opens: an entry, a language, a term's group, a term or its notes.
    fn open(&mut self, e: &BytesStart, name: &str, here: (usize, usize)) -> Result<()> {
        match name {
            "termEntry" | "conceptEntry" => {
                if self.concept.is_some() {
                    return Err(error_at(here, format!("<{name}> inside another entry")));
                }
                self.concept = Some(GlossaryConcept::default());
            }
            "langSet" | "langSec" => {
                if self.concept.is_none() {
                    return Err(error_at(
                        here,
                        format!("<{name}> outside a <termEntry> or <conceptEntry>"),
                    ));
                }
                let tag = match attr(e, "xml:lang", here)? {
                    Some(v) => v,
                    None => attr(e, "lang", here)?.ok_or_else(|| {
                        error_at(here, format!("<{name}> has no xml:lang; add the language of its terms (xml:lang=\"en\")"))
                    })?,
                };
                self.lang = Some(lang_tag(&tag).map_err(|m| error_at(here, m))?);
            }
            "tig" | "ntig" | "termSec" => self.group = Some(Group::default()),
            "term" => {
                if self.lang.is_none() {
                    return Err(error_at(here, "<term> outside a <langSet> with xml:lang"));
                }
                self.collect(Collecting::Term);
            }
            "termNote"
                if self.group.is_some()
                    && attr(e, "type", here)?.as_deref() == Some("partOfSpeech") =>
            {
                self.collect(Collecting::PartOfSpeech);
            }
            "note" if self.group.is_some() => self.collect(Collecting::Note),
            _ => {}
        }
        Ok(())
    }

    fn collect(&mut self, into: Collecting) {
        self.into = into;
        self.text.clear();
    }

    /// Text read: kept when a term or a note is being read, up to the segment limit.
    fn grow(&mut self, s: &str, here: (usize, usize), limits: &Limits) -> Result<()> {
        if self.into == Collecting::Nothing {
            return Ok(());
        }
        if self.text.len() + s.len() > limits.max_segment {
            return Err(error_at(
                here,
                format!(
                    "a term longer than {} bytes (--max-segment-size)",
                    limits.max_segment
                ),
            ));
        }
        self.text.push_str(s);
        Ok(())
    }

    /// The end of the file: every element closed, the root seen.
    fn finish(self, here: (usize, usize)) -> Result<Vec<GlossaryConcept>> {
        if let Some(open) = self.stack.last() {
            return Err(error_at(
                here,
                format!("the file ends inside <{open}>: is it cut short?"),
            ));
        }
        if !self.rooted {
            return Err(error_at(
                here,
                "not a TBX file: no <martif> or <tbx> element",
            ));
        }
        Ok(self.out)
    }

    /// The end of an element: what it closes is kept.
    fn end(&mut self, name: &str) {
        let Tbx {
            concept,
            lang,
            group,
            into,
            text,
            out,
            ..
        } = self;
        let push = |concept: &mut Option<GlossaryConcept>, lang: &Option<String>, g: Group| {
            if let (Some(c), Some(l), Some(t)) = (concept.as_mut(), lang, g.term) {
                if !t.is_empty() {
                    c.terms.push(GlossaryTerm {
                        lang: l.clone(),
                        text: t,
                        part_of_speech: g.pos.filter(|p| !p.is_empty()),
                        note: g.note.filter(|n| !n.is_empty()),
                    });
                }
            }
        };
        match name {
            "term" if *into == Collecting::Term => {
                let t = crate::text::clean_controls(folded(text));
                match group.as_mut() {
                    Some(g) if g.term.is_none() => g.term = Some(t),
                    Some(_) => {}
                    // A term outside a group stands alone.
                    None => push(
                        concept,
                        lang,
                        Group {
                            term: Some(t),
                            ..Group::default()
                        },
                    ),
                }
                *into = Collecting::Nothing;
            }
            "termNote" if *into == Collecting::PartOfSpeech => {
                if let Some(g) = group.as_mut() {
                    g.pos = Some(folded(text));
                }
                *into = Collecting::Nothing;
            }
            "note" if *into == Collecting::Note => {
                if let Some(g) = group.as_mut() {
                    g.note = Some(folded(text));
                }
                *into = Collecting::Nothing;
            }
            "tig" | "ntig" | "termSec" => {
                if let Some(g) = group.take() {
                    push(concept, lang, g);
                }
            }
            "langSet" | "langSec" => *lang = None,
            "termEntry" | "conceptEntry" => {
                if let Some(c) = concept.take() {
                    if !c.terms.is_empty() {
                        out.push(c);
                    }
                }
            }
            _ => {}
        }
    }
}

/// One record of a table and the line it starts on.
type Record = (usize, Vec<String>);

/// Split a table into records: fields separated by `sep`, records by line ends; a field that
/// starts with `"` is quoted as RFC 4180 says (`""` is a quote; separators and line ends are
/// text inside). Blank lines are skipped.
fn records(text: &str, sep: char) -> Result<Vec<Record>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        loop {
            let mut field = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c);
                        }
                        None => {
                            return Err(Error::input(
                                "a quoted field that starts on this line never ends; close its quote (\")",
                            )
                            .with_line(start))
                        }
                    }
                }
                match chars.peek() {
                    None | Some('\n') => {}
                    Some(&c) if c == sep => {}
                    Some(_) => {
                        return Err(Error::input(
                            "text after a quoted field's closing quote; write a quote inside a quoted field as \"\"",
                        )
                        .with_line(line))
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == sep || c == '\n' {
                        break;
                    }
                    field.push(c);
                    chars.next();
                }
            }
            fields.push(field);
            match chars.next() {
                Some(c) if c == sep => continue,
                Some(_) => {
                    line += 1;
                    break;
                }
                None => break,
            }
        }
        if !(fields.len() == 1 && fields[0].trim().is_empty()) {
            out.push((start, fields));
        }
    }
    Ok(out)
}

/// Read a TSV or CSV table.
fn read_table(text: &str, opts: &GlossaryOptions) -> Result<Vec<GlossaryConcept>> {
    let sep = match opts.delimiter {
        Some(Delimiter::Tab) => '\t',
        Some(Delimiter::Comma) => ',',
        None if text.lines().next().is_some_and(|l| l.contains('\t')) => '\t',
        None => ',',
    };
    let rows = records(text, sep)?;
    let Some((first_line, first)) = rows.first() else {
        return Err(Error::new(ErrorKind::Empty));
    };
    // A header row: every field a language tag, at least two, each once.
    let header: Option<Vec<String>> = first
        .iter()
        .map(|f| lang_tag(f.trim()).ok())
        .collect::<Option<Vec<_>>>()
        .filter(|h| h.len() >= 2 && h.iter().enumerate().all(|(i, l)| !h[..i].contains(l)));
    let (langs, body) = match (header, &opts.langs) {
        (Some(h), _) => (h, &rows[1..]),
        (None, Some((s, t))) => {
            if s.same_language(t) {
                return Err(Error::usage(
                    "--source-lang and --target-lang name the same language",
                ));
            }
            (vec![s.as_str().to_string(), t.as_str().to_string()], &rows[..])
        }
        (None, None) => {
            return Err(Error::usage(
                "the first row is not a header of language tags (en, de, fr); add one, or give --source-lang and --target-lang",
            )
            .with_line(*first_line))
        }
    };
    let mut out = Vec::with_capacity(body.len());
    for (line, fields) in body {
        if fields.len() != langs.len() {
            return Err(Error::input(format!(
                "this row has {} fields where the {} has {}; every row needs one field per language (quote a field that holds a separator)",
                fields.len(),
                if rows.len() > body.len() { "header" } else { "language list" },
                langs.len()
            ))
            .with_line(*line));
        }
        let terms: Vec<GlossaryTerm> = langs
            .iter()
            .zip(fields)
            .map(|(l, f)| (l, crate::text::clean_controls(folded(f))))
            .filter(|(_, f)| !f.is_empty())
            .map(|(l, f)| GlossaryTerm {
                lang: l.clone(),
                text: f,
                part_of_speech: None,
                note: None,
            })
            .collect();
        if !terms.is_empty() {
            out.push(GlossaryConcept { terms });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
