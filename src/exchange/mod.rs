//! Exchange formats: TMX 1.4b (the reader in `tmx.rs`, its `<tu>` reader in `tmx/tu.rs`, the
//! writer in `tmx/write.rs`), XLIFF 1.2 and 2.0 (`xliff/`), TSV (`tsv.rs`), and the glossaries
//! a team keeps (TBX, TSV, CSV: `glossary.rs`). What a TMX unit carries besides plain text, its
//! inline codes and the metadata of CAT tools, are plain values of `markup.rs`.
//!
//! Each format is a pure writer over [`std::io::Write`] and, where the format comes back, a
//! streaming reader over [`std::io::Read`]. Nothing here opens a file, reads the clock or the
//! environment, or speaks SQL: the CLI hands in the bytes, the time and the tool's metadata, and
//! `store` turns rows into the plain values defined here ([`Row`], [`Unit`]) and back.
//!
//! Shared here, one file each and re-exported flat: the values (`values.rs`), the grouping of a memory's segments into multilingual units, XML
//! escaping (characters XML 1.0 forbids are replaced by U+FFFD and counted, never written raw),
//! TMX dates, and the input side of the XML readers: UTF-16 input transcoded to UTF-8, the line
//! and column of a byte offset for error messages, and the [`Limits`] a hostile file meets while
//! it is parsed (file size, size of one text or tag, element depth, entity amplification as
//! libxml2 caps it), with the characters XML 1.0 forbids refused wherever they stand.

mod encoding;
mod escape;
mod glossary;
mod markup;
mod notation;
mod threads;
mod tmx;
mod tracked;
mod tsv;
mod values;
mod xliff;
mod xml;

pub(crate) use crate::text::clean_controls;
pub(crate) use encoding::{known_encoding, utf8_input};
pub(crate) use escape::escape_into;
pub use notation::{format_flags, format_score, parse_flags, parse_tmx_date, tmx_date};
pub use threads::{write_behind, ReadAhead};
pub(crate) use tracked::Tracked;
pub use values::{
    units_of, ApplyReport, ExportFilter, Grouper, MergeReport, Row, TargetDoc, Unit, Variant,
};
pub(crate) use xml::{describe, error_at, forbidden_char, forbidden_message, Entities};
pub use xml::{Limits, ENTITY_EXPANSION_FREE};

pub use glossary::{read_glossary, Delimiter, GlossaryConcept, GlossaryOptions, GlossaryTerm};
pub use markup::{Annotation, InlineCode, Meta};
pub use tmx::{read_tmx, ReadOptions, TmxHeader, TmxReader, TmxStats, TmxWriter};
pub use tsv::TsvWriter;
pub use xliff::{
    linked_set, read_xliff, read_xliff_with, Draft, Suggestion, TodoDoc, TodoFilter, TodoParagraph,
    TodoReport, TodoState, XliffFile, XliffHeader, XliffUnit, XliffVersion, XliffWriter,
};

/// The name written as the creating tool.
pub const TOOL: &str = "paralign";
/// The version written with it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests;
