//! The one interface of the translation memory, over its two implementations.
//!
//! [`Store`] is what every command holds: `Store::open` picks SQLite for a file path (or
//! `:memory:`) and PostgreSQL for a `postgres://` address, and each method hands the call to
//! the one or the other. An enum rather than a trait: the commands call some forty methods
//! with borrowed arguments, callbacks and iterators, and a `match` in one file keeps them plain
//! functions (no `dyn` objects, no generics spreading into `cli/`); the two implementations
//! stay in their own files (`SqliteStore` in `mod.rs` and its siblings, `PgStore` in
//! `postgres/`), and no SQL leaves `src/store/`. A method PostgreSQL does not implement yet
//! returns an error naming what was asked and saying to use a SQLite memory: a command never
//! falls back to SQLite by itself.

use std::collections::BTreeMap;
use std::path::Path;

use super::postgres::{is_postgres_url, PgStore};
use super::{
    mark_outdated, Basis, CandidateQuery, Clock, DocDetail, DocImport, DocStatus, GlossaryReport,
    ImportReport, Known, MatchSource, ModelUpdate, SegmentFilter, SegmentPage, SqliteStore,
};
use crate::align::TermBase;
use crate::check::DocResult;
use crate::collect::DocumentSet;
use crate::error::{Error, Result};
use crate::exchange::{
    ApplyReport, ExportFilter, GlossaryConcept, MergeReport, Row, Suggestion, TargetDoc,
    TodoFilter, TodoReport, Unit, XliffFile,
};
use crate::language::LangTag;
use crate::model::MemoryModels;
use crate::reuse::{Candidate, Match, Prepared};

/// The two implementations.
enum Backend {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// A translation memory: SQLite (a file) or PostgreSQL (a `postgres://` address).
pub struct Store {
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path()).finish()
    }
}

/// Call the same method on either implementation.
macro_rules! both {
    ($self:ident, $s:ident => $e:expr) => {
        match &$self.backend {
            Backend::Sqlite($s) => $e,
            Backend::Postgres($s) => $e,
        }
    };
    (mut $self:ident, $s:ident => $e:expr) => {
        match &mut $self.backend {
            Backend::Sqlite($s) => $e,
            Backend::Postgres($s) => $e,
        }
    };
}

/// Call a method only SQLite implements; on PostgreSQL, the error that says so.
macro_rules! sqlite_only {
    ($self:ident, $what:expr, $s:ident => $e:expr) => {
        match &$self.backend {
            Backend::Sqlite($s) => $e,
            Backend::Postgres(p) => Err(unsupported(p, $what)),
        }
    };
    (mut $self:ident, $what:expr, $s:ident => $e:expr) => {
        match &mut $self.backend {
            Backend::Sqlite($s) => $e,
            Backend::Postgres(p) => Err(unsupported(p, $what)),
        }
    };
}

/// What PostgreSQL does not do yet, said as an input error (exit 2) naming the memory.
fn unsupported(p: &PgStore, what: &str) -> Error {
    Error::input(format!(
        "{what}: not supported on a PostgreSQL memory yet; use a SQLite memory (--db FILE) for this"
    ))
    .with_path(p.path())
}

impl Store {
    /// Open a memory for reading and writing, creating it (and the schema) when absent and
    /// migrating an older schema forward. `:memory:` opens a throw-away SQLite memory; a
    /// `postgres://user@host:port/db` address a PostgreSQL one.
    pub fn open(path: &Path, clock: Clock) -> Result<Store> {
        let backend = match path.to_str().filter(|_| is_postgres_url(path)) {
            Some(url) => Backend::Postgres(PgStore::connect(url, clock, true)?),
            None => Backend::Sqlite(SqliteStore::open(path, clock)?),
        };
        Ok(Store { backend })
    }

    /// Open an existing memory for reading only (status, segments, check, lookup).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let backend = match path.to_str().filter(|_| is_postgres_url(path)) {
            Some(url) => Backend::Postgres(PgStore::connect(url, Clock::System, false)?),
            None => Backend::Sqlite(SqliteStore::open_read_only(path)?),
        };
        Ok(Store { backend })
    }

    /// Whether this memory lives in PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// The file this memory lives in (`:memory:` for a throw-away one), or its PostgreSQL
    /// address without the password.
    pub fn path(&self) -> &Path {
        both!(self, s => s.path())
    }

    /// The schema version of the open memory (each implementation numbers its own).
    pub fn schema_version(&self) -> Result<i64> {
        both!(self, s => s.schema_version())
    }

    /// Run SQLite's integrity check; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        sqlite_only!(self, "an integrity check", s => s.integrity_check())
    }

    /// Store aligned documents in one transaction (see `import/`).
    pub fn import(
        &mut self,
        docs: &mut [DocResult],
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport> {
        both!(mut self, s => s.import(docs, progress))
    }

    /// What an import of an unchanged set would report; else None.
    pub fn unchanged(
        &self,
        set: &DocumentSet,
        source_lang: Option<&LangTag>,
    ) -> Result<Option<DocImport>> {
        both!(self, s => s.unchanged(set, source_lang))
    }

    /// What the memory knows of a document, if anything.
    pub fn known(&self, name: &str) -> Result<Option<Known>> {
        both!(self, s => s.known(name))
    }

    /// The basis of the current alignment of a document's target language (empty when none).
    pub fn basis(&self, document: &str, lang: &str) -> Result<Basis> {
        both!(self, s => s.basis(document, lang))
    }

    /// Mark the outdated pairs of checked documents from what the memory knows; returns how
    /// many pairs were marked. Nothing is written.
    pub fn mark_docs(&self, docs: &mut [DocResult]) -> Result<usize> {
        let mut n = 0;
        for doc in docs.iter_mut() {
            let Some(source) = &doc.source else { continue };
            for t in doc.targets.iter_mut() {
                let basis = self.basis(&doc.id, t.version.lang.as_str())?;
                if basis.is_empty() {
                    continue;
                }
                n += mark_outdated(t, source, &basis)
                    .iter()
                    .filter(|h| h.basis.is_some())
                    .count();
            }
        }
        Ok(n)
    }

    /// Every document with its source and targets, by name.
    pub fn status(&self) -> Result<Vec<DocStatus>> {
        both!(self, s => s.status())
    }

    /// One document paragraph by paragraph (None when the memory does not know it).
    pub fn document(&self, name: &str) -> Result<Option<DocDetail>> {
        both!(self, s => s.document(name))
    }

    /// The names of the documents the memory knows, sorted.
    pub fn document_names(&self) -> Result<Vec<String>> {
        both!(self, s => s.document_names())
    }

    /// Segments matching a filter, in the order stored, with the number matching in all.
    pub fn segments(&self, f: &SegmentFilter) -> Result<SegmentPage> {
        both!(self, s => s.segments(f))
    }

    /// Sizes of the memory: (documents, versions, segments, texts, bytes of text).
    pub fn sizes(&self) -> Result<(usize, usize, usize, usize, usize)> {
        both!(self, s => s.sizes())
    }

    /// Segments by level: (paragraph segments, sentence segments).
    pub fn segment_levels(&self) -> Result<(usize, usize)> {
        both!(self, s => s.segment_levels())
    }

    /// A document's stored result, as `check` would give it.
    pub fn doc_result(&self, name: &str) -> Result<Option<DocResult>> {
        both!(self, s => s.doc_result(name))
    }

    /// Stored segments that may match a query, unscored.
    pub fn candidates(&self, q: &CandidateQuery) -> Result<Vec<Candidate>> {
        both!(self, s => s.candidates(q))
    }

    /// The best matches of a prepared query at or above `min` percent, for each of the target
    /// languages (in their order), at most `limit` each.
    pub fn best_matches(
        &self,
        query: &Prepared,
        source_lang: Option<&str>,
        target_langs: &[String],
        min: u8,
        limit: usize,
    ) -> Result<Vec<Vec<Match>>> {
        both!(self, s => s.best_matches(query, source_lang, target_langs, min, limit))
    }

    /// Whether segments were stored since the lookup index was last brought up to date (on
    /// PostgreSQL, whose index follows every write: whether its trigram counts lag by a tenth).
    pub fn lookup_index_stale(&self) -> Result<bool> {
        both!(self, s => s.lookup_index_stale())
    }

    /// Bring the lookup index up to date; returns how many texts were added (none on
    /// PostgreSQL, which only counts its trigrams again when they lag).
    pub fn update_lookup_index(&mut self) -> Result<usize> {
        both!(mut self, s => s.update_lookup_index())
    }

    /// Count again how many indexed texts hold each trigram (after a bulk load).
    pub fn refresh_lookup_stats(&mut self) -> Result<()> {
        both!(mut self, s => s.refresh_lookup_stats())
    }

    /// Store a glossary's concepts, in one transaction.
    pub fn import_glossary(
        &mut self,
        origin: &str,
        concepts: &[GlossaryConcept],
    ) -> Result<GlossaryReport> {
        both!(mut self, s => s.import_glossary(origin, concepts))
    }

    /// Every concept of the memory's glossary.
    pub fn term_base(&self) -> Result<TermBase> {
        both!(self, s => s.term_base())
    }

    /// The language pairs the segments hold, (source, target), sorted.
    pub fn language_pairs(&self) -> Result<Vec<(String, String)>> {
        both!(self, s => s.language_pairs())
    }

    /// Tune a long-lived reader (`serve`'s workers): a memory map of up to `mmap` bytes and
    /// `cache` bytes of pages on SQLite; nothing to tune on PostgreSQL, whose server caches.
    pub fn tune_reads(&self, mmap: u64, cache: u64) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(s) => s.tune_reads(mmap, cache),
            Backend::Postgres(_) => Ok(()),
        }
    }

    /// How many concepts and terms the glossary holds.
    pub fn glossary_counts(&self) -> Result<(usize, usize)> {
        both!(self, s => s.glossary_counts())
    }

    /// The word models of every language pair between two of `langs` (all when None).
    pub fn word_models(&self, langs: Option<&[LangTag]>) -> Result<MemoryModels> {
        both!(self, s => s.word_models(langs))
    }

    /// Train the word models on the segments stored since they were last trained.
    pub fn train_word_models(&mut self) -> Result<Vec<ModelUpdate>> {
        both!(mut self, s => s.train_word_models())
    }

    /// Build the word models again from every segment.
    pub fn rebuild_word_models(&mut self) -> Result<Vec<ModelUpdate>> {
        both!(mut self, s => s.rebuild_word_models())
    }

    /// Merge exchange units (TMX, XLIFF) into the memory, in one transaction.
    pub fn merge_units(
        &mut self,
        origin: &str,
        default_document: &str,
        units: &mut dyn Iterator<Item = Result<Unit>>,
    ) -> Result<MergeReport> {
        both!(mut self, s => s.merge_units(origin, default_document, units))
    }

    /// The source languages of the segments an export takes, sorted.
    pub fn export_source_langs(&self, f: &ExportFilter) -> Result<Vec<String>> {
        both!(self, s => s.export_source_langs(f))
    }

    /// Stream the segments an export takes to `each`, in unit order; returns how many.
    pub fn export_rows(
        &self,
        f: &ExportFilter,
        each: &mut dyn FnMut(Row) -> Result<()>,
    ) -> Result<usize> {
        both!(self, s => s.export_rows(f, each))
    }

    /// Stream the units an export takes to `each`; returns how many segments.
    pub fn export_units(
        &self,
        f: &ExportFilter,
        each: &mut dyn FnMut(Unit) -> Result<()>,
    ) -> Result<usize> {
        both!(self, s => s.export_units(f, each))
    }

    /// A suggestion from the memory for one text (XLIFF export).
    pub fn suggest(
        &self,
        source_lang: &str,
        target_lang: &str,
        text: &str,
    ) -> Result<Option<Suggestion>> {
        both!(self, s => super::todo::suggest(s, source_lang, target_lang, text))
    }

    /// What is left to translate (XLIFF export).
    pub fn todo(&self, f: &TodoFilter) -> Result<TodoReport> {
        both!(self, s => super::todo::todo(s, f))
    }

    /// The translations of a filled XLIFF file, into the memory.
    pub fn apply_translations(
        &mut self,
        file: &XliffFile,
        target_lang: &str,
    ) -> Result<ApplyReport> {
        both!(mut self, s => s.apply_translations(file, target_lang))
    }

    /// A target document rebuilt from its source and the translations given.
    pub fn target_doc(
        &self,
        document: &str,
        lang: &str,
        translations: &BTreeMap<usize, String>,
    ) -> Result<Option<TargetDoc>> {
        both!(self, s => s.target_doc(document, lang, translations))
    }
}

impl MatchSource for Store {
    fn best_matches(
        &self,
        query: &Prepared,
        source_lang: Option<&str>,
        target_langs: &[String],
        min: u8,
        limit: usize,
    ) -> Result<Vec<Vec<Match>>> {
        Store::best_matches(self, query, source_lang, target_langs, min, limit)
    }
}
