//! What the word-processor readers (DOCX, ODT) share: a part of the zip package read with a
//! size cap, and its XML as a flat list of start, end and text events with prefixed names
//! (`w:p`, `text:list-item`), entities resolved. Errors say which part and which byte.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{Error, Result};

/// The largest part read out of a package (a zip bomb stops here).
const MAX_PART: u64 = 256 * 1024 * 1024;

/// An opened package.
pub(crate) struct Package {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    what: &'static str,
}

impl Package {
    /// Open the bytes of a zip package (`what` names the format in messages).
    pub fn open(bytes: &[u8], what: &'static str) -> Result<Package> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).map_err(|e| {
            Error::input(format!(
                "not a readable {what} file ({e}); save it again from the word processor"
            ))
        })?;
        Ok(Package { zip, what })
    }

    /// The text of a part, or `None` when the package has no such part.
    pub fn part(&mut self, name: &str) -> Result<Option<String>> {
        let what = self.what;
        let file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(Error::input(format!("{what} part {name}: {e}"))),
        };
        let mut bytes = Vec::new();
        file.take(MAX_PART + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::input(format!("{what} part {name}: {e}")))?;
        if bytes.len() as u64 > MAX_PART {
            return Err(Error::input(format!(
                "{what} part {name} is larger than {} MiB",
                MAX_PART / (1024 * 1024)
            )));
        }
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&bytes)
            .to_vec();
        String::from_utf8(bytes).map(Some).map_err(|e| {
            Error::input(format!(
                "{what} part {name}: invalid UTF-8 at byte {}",
                e.utf8_error().valid_up_to()
            ))
        })
    }
}

/// One XML event.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum X {
    /// A start tag (`empty` for `<a/>`, which has no end event) with its attributes.
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        empty: bool,
    },
    /// An end tag.
    End(String),
    /// Character data.
    Text(String),
}

impl X {
    /// The value of an attribute of a start tag.
    pub fn attr(&self, key: &str) -> Option<&str> {
        match self {
            X::Start { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// Read a part's XML into events; `part` names it in errors.
pub(crate) fn events(xml: &str, part: &str) -> Result<Vec<X>> {
    let mut r = Reader::from_str(xml);
    let mut out = Vec::new();
    let err = |at: u64, m: String| Error::input(format!("{part}, byte {at}: {m}"));
    loop {
        let at = r.buffer_position();
        match r
            .read_event()
            .map_err(|e| err(r.error_position(), e.to_string()))?
        {
            Event::Start(e) => out.push(start(&e, false).map_err(|m| err(at, m))?),
            Event::Empty(e) => out.push(start(&e, true).map_err(|m| err(at, m))?),
            Event::End(e) => out.push(X::End(e.name().as_ref().to_string())),
            Event::Text(t) => out.push(X::Text(t.xml10_content().into_owned())),
            Event::CData(t) => out.push(X::Text(t.xml10_content().into_owned())),
            Event::GeneralRef(g) => {
                let c = match g.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match g.as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => return Err(err(at, format!("unknown entity &{other};"))),
                    },
                    Err(e) => return Err(err(at, e.to_string())),
                };
                out.push(X::Text(c));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn start(e: &BytesStart, empty: bool) -> std::result::Result<X, String> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| x.to_string())?;
        let v = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|x| x.to_string())?
            .into_owned();
        attrs.push((a.key.as_ref().to_string(), v));
    }
    Ok(X::Start {
        name: e.name().as_ref().to_string(),
        attrs,
        empty,
    })
}

/// The number `n` written in a list format: decimal, letters or Roman numerals.
pub(crate) fn format_number(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" | "a" => letters(n, b'a'),
        "upperLetter" | "A" => letters(n, b'A'),
        "lowerRoman" | "i" => super::numerals::to_roman(n).to_lowercase(),
        "upperRoman" | "I" => super::numerals::to_roman(n),
        _ => n.to_string(),
    }
}

fn letters(n: u32, base: u8) -> String {
    if n == 0 {
        return "0".into();
    }
    // a..z, then aa, bb, ... as word processors write them.
    let c = char::from(base + u8::try_from((n - 1) % 26).unwrap_or(0));
    std::iter::repeat_n(c, ((n - 1) / 26 + 1) as usize).collect()
}

/// Add a paragraph's text to the last cell of the table row being read, if one is: table
/// cells are read as the cells of one paragraph per row (see `Builder::table_row`).
pub(super) fn into_cell(row: Option<&mut Vec<String>>, text: &str) -> bool {
    let Some(cell) = row.and_then(|r| r.last_mut()) else {
        return false;
    };
    if !cell.is_empty() {
        cell.push(' ');
    }
    cell.push_str(text.trim());
    true
}

/// A zip package made in memory, for the readers' tests.
#[cfg(test)]
pub(crate) fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_list_formats() {
        assert_eq!(format_number(3, "decimal"), "3");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(4, "i"), "iv");
    }

    #[test]
    fn events_resolve_entities() {
        let ev = events("<a x=\"1\"><b/>&amp;&#233;</a>", "t").unwrap();
        assert_eq!(ev[0].attr("x"), Some("1"));
        let text: String = ev
            .iter()
            .filter_map(|e| match e {
                X::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(text, "&é");
    }
}
