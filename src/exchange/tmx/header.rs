//! The checks of what comes before a TMX file's `<body>`: the declared encoding, the root
//! element, and what the `<header>` says ([`TmxStats`]).

use quick_xml::events::{BytesDecl, BytesStart};

use super::{attr_value, file_lang, TmxStats};
use crate::error::Result;
use crate::exchange::{clean_controls, describe, error_at, known_encoding};

/// Refuse a file whose XML declaration names an encoding paralign does not read.
pub(super) fn declared_encoding(d: &BytesDecl, here: (usize, usize)) -> Result<()> {
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
pub(super) fn root(e: &BytesStart, is_start: bool, here: (usize, usize)) -> Result<()> {
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
pub(super) fn header_attrs(
    e: &BytesStart,
    here: (usize, usize),
    stats: &mut TmxStats,
) -> Result<()> {
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
