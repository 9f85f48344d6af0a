//! An XLIFF file read as a document pair for `check` and `align`: its sources one language
//! version, its targets the other, one paragraph per unit in file order, the pairing given by
//! the units. Paragraphs are placed by the line of the unit's `<source>` (or `<target>`) in the
//! file; they carry no label but the number their text starts with, as any document's do (a unit
//! id is a key, not a number a translation must repeat). Units not to translate are left out.
//! No paths are opened here, nothing is printed.

use super::XliffFile;
use crate::check::LinkedSet;
use crate::collect::Version;
use crate::document::{Block, BlockKind, Document, Format};
use crate::error::{Error, Result};
use crate::language::LangTag;

/// The document pair of an XLIFF file already read; `path` names the file in reports and
/// errors, `id` the document.
pub fn linked_set(file: &XliffFile, path: &str, id: String) -> Result<LinkedSet> {
    let source_lang = language(
        &file.source_lang,
        "srcLang on <xliff> (1.2: source-language on <file>)",
        path,
    )?;
    let target_lang = language(
        &file.target_lang,
        "trgLang on <xliff> (1.2: target-language on <file>)",
        path,
    )?;
    let mut sources = Vec::new();
    let mut targets = Vec::new();
    let mut links = Vec::new();
    for u in file.units.iter().filter(|u| u.translate) {
        if u.source.trim().is_empty() {
            continue;
        }
        let target = u.target.as_deref().filter(|t| !t.trim().is_empty());
        let j = target.map(|t| {
            let line = u.lines.1.unwrap_or(u.place.0);
            targets.push(block(t, line));
            targets.len() - 1
        });
        let line = if u.lines.0 == 0 { u.place.0 } else { u.lines.0 };
        sources.push(block(&u.source, line));
        links.push((sources.len() - 1, j));
    }
    if sources.is_empty() {
        return Err(Error::input(
            "the XLIFF file holds no unit to check (every unit is empty or marked translate=\"no\")",
        )
        .with_path(path));
    }
    let mut target = version(path, targets, target_lang);
    // A gap in the targets' numbering is a unit left untranslated, already found `missing`.
    target.doc.numbering.clear();
    Ok(LinkedSet {
        id,
        source: version(path, sources, source_lang),
        target,
        links,
    })
}

/// The file's language `value`, which must be there.
fn language(value: &str, name: &str, path: &str) -> Result<LangTag> {
    if value.trim().is_empty() {
        return Err(Error::input(format!(
            "the XLIFF file names no {name}: paralign checks a translation against its source only when both languages are given"
        ))
        .with_path(path));
    }
    LangTag::parse(value).map_err(|e| Error::input(format!("{name}: {e}")).with_path(path))
}

fn block(text: &str, line: usize) -> Block {
    Block {
        text: text.to_string(),
        line,
        kind: BlockKind::Text,
        targets: Vec::new(),
    }
}

fn version(path: &str, blocks: Vec<Block>, lang: LangTag) -> Version {
    let mut doc = Document::from_blocks(path, blocks, Format::Xliff);
    doc.lang = Some(lang.clone());
    Version {
        lang,
        doc,
        origin: None,
    }
}
