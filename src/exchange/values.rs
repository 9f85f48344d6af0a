//! The plain values exchange passes between the store and the formats: what an export takes,
//! what a merge and an apply report say, a memory's rows and the multilingual
//! units they group into (TMX holds one unit per source text, with every translation).

use crate::align::Flag;

use super::{InlineCode, Meta};

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
