//! What `import-xliff` decides, once for both stores: which current source paragraph a unit of
//! a filled XLIFF file translates (or why it is refused), and a target document rebuilt with
//! the new translations along its alignment's pairs. Each store only reads its rows
//! ([`UnitReads`]) and writes them.

use std::collections::{BTreeMap, HashMap};

use crate::document::normalize;
use crate::exchange::{TargetDoc, XliffUnit};

use super::hash64;

/// A document's source by name (cached): (id, source language, current source version).
pub(super) type SourceDocs = HashMap<String, Option<(i64, String, i64)>>;

/// A paragraph as [`UnitReads::paragraph`] finds it: its text's id, its label and its text.
pub(super) type ParagraphRow = (i64, Option<String>, String);

/// The rows [`unit_source`] reads, in a store's transaction.
pub(super) trait UnitReads {
    /// The store's error.
    type Error;
    /// A document by name: its id, source language and current source version.
    fn source_doc(&mut self, name: &str) -> Result<Option<(i64, String, i64)>, Self::Error>;
    /// A version's paragraph by index: its text's id, its label and its text.
    fn paragraph(&mut self, version: i64, index: i64) -> Result<Option<ParagraphRow>, Self::Error>;
}

/// The source paragraph a unit of a filled XLIFF file translates, as the memory has it now.
pub(super) struct UnitSource {
    pub(super) doc_id: i64,
    pub(super) source_lang: String,
    /// The paragraph's index in the source version.
    pub(super) index: usize,
    /// Its text's id.
    pub(super) text: i64,
    pub(super) label: Option<String>,
    /// The hash of its normalised text.
    pub(super) hash: i64,
}

/// The current source paragraph a unit translates, or why the unit is refused (its document or
/// paragraph unknown, its source text not the paragraph's current text, compared normalised:
/// NFKC, white space folded). `docs` caches the documents looked up.
pub(super) fn unit_source<R: UnitReads>(
    reads: &mut R,
    u: &XliffUnit,
    docs: &mut SourceDocs,
) -> Result<Result<UnitSource, String>, R::Error> {
    let doc = match docs.get(&u.document) {
        Some(d) => d.clone(),
        None => {
            let d = reads.source_doc(&u.document)?;
            docs.insert(u.document.clone(), d.clone());
            d
        }
    };
    let Some((doc_id, source_lang, sv)) = doc else {
        let why = format!("unit {}: the memory has no document `{}`", u.id, u.document);
        return Ok(Err(why));
    };
    let Some(index) = u.index else {
        let why = format!(
            "unit {}: no paragraph index (mda:meta type=\"paragraph\" or an id pN)",
            u.id
        );
        return Ok(Err(why));
    };
    let Some((text, label, body)) = reads.paragraph(sv, index as i64)? else {
        let why = format!(
            "unit {}: `{}` has no paragraph {index} any more; export the file again",
            u.id, u.document
        );
        return Ok(Err(why));
    };
    let norm = normalize(&body);
    if normalize(&u.source) != norm {
        let why = format!(
            "unit {}: the source of `{}` paragraph {index} has changed since the file was exported (now: {}); export it again",
            u.id,
            u.document,
            crate::text::excerpt(&body, 60)
        );
        return Ok(Err(why));
    }
    Ok(Ok(UnitSource {
        doc_id,
        source_lang,
        index,
        text,
        label,
        hash: hash64(&norm),
    }))
}

/// Rebuild a target document along its alignment's pairs: a translated source paragraph's new
/// text replaces (or, where missing, is inserted instead of) its target paragraphs, the other
/// target paragraphs are kept.
pub(super) fn put_translations(
    out: &mut TargetDoc,
    pairs: Vec<(String, String)>,
    tparas: &[String],
    translations: &BTreeMap<usize, String>,
) {
    let split = |s: &str| -> Vec<usize> { s.split('+').filter_map(|x| x.parse().ok()).collect() };
    for (s, t) in pairs {
        let s = split(&s);
        let t = split(&t);
        let new: Vec<&String> = s.iter().filter_map(|i| translations.get(i)).collect();
        if new.is_empty() {
            out.paragraphs
                .extend(t.iter().filter_map(|&j| tparas.get(j).cloned()));
            continue;
        }
        out.replaced += new.len();
        out.paragraphs.extend(new.into_iter().cloned());
        if s.iter().any(|i| !translations.contains_key(i)) {
            out.paragraphs
                .extend(t.iter().filter_map(|&j| tparas.get(j).cloned()));
        }
    }
}
