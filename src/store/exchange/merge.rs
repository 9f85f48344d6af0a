//! Merging units (TMX import) into the memory: one transaction, texts stored once, a segment
//! the memory has left as it is, a bulk merge rebuilding the indexes at its end. SQL only.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::to_json;
use crate::document::normalize;
use crate::error::Result;
use crate::exchange::{MergeReport, Unit};
use crate::store::texts::TextIds;
use crate::store::{db_error, flag_bit, hash64, SqliteStore};

/// The page cache of a merge, in KiB.
const MERGE_CACHE_KIB: i64 = 32 * 1024;

impl SqliteStore {
    /// Merge units into the memory in one transaction: each translation becomes a segment of
    /// (source language, target language, source text, target text) unless the memory has it.
    /// Units without a document go to `default_document`. `origin` says how they came (`tmx`).
    /// The first error (from the units or the database) rolls everything back.
    pub fn merge_units(
        &mut self,
        origin: &str,
        default_document: &str,
        units: &mut dyn Iterator<Item = Result<Unit>>,
    ) -> Result<MergeReport> {
        self.merge_units_with(origin, default_document, units, BULK)
    }

    /// [`SqliteStore::merge_units`], counting as bulk from `bulk` segments on (see [`BULK`]).
    pub(super) fn merge_units_with(
        &mut self,
        origin: &str,
        default_document: &str,
        units: &mut dyn Iterator<Item = Result<Unit>>,
        bulk: usize,
    ) -> Result<MergeReport> {
        let now = self.clock.now();
        let path = self.path.clone();
        let err = |e| db_error(&path, e);
        let cache: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .map_err(err)?;
        // For the length of the merge: a bigger page cache, as the indexes of `text` and
        // `segment` take random inserts (a fixed amount, whatever the file's size); and no
        // foreign key checks, which cost a lookup in `text` and `document` per segment and a
        // statement journal per insert, while the merge writes only ids it has just read or
        // written in the same transaction. Both are set back however the merge ends.
        self.conn
            .execute_batch(&format!(
                "PRAGMA cache_size = -{MERGE_CACHE_KIB}; PRAGMA foreign_keys = OFF"
            ))
            .map_err(err)?;
        let merged = (|| -> Result<MergeReport> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let report =
                merge(&tx, now, origin, default_document, units, bulk).map_err(|e| match e {
                    MergeError::Db(e) => err(e),
                    MergeError::Input(e) => e,
                })?;
            tx.commit().map_err(err)?;
            Ok(report)
        })();
        let restored = self
            .conn
            .execute_batch(&format!(
                "PRAGMA cache_size = {cache}; PRAGMA foreign_keys = ON"
            ))
            .map_err(err);
        let report = merged?;
        restored?;
        Ok(report)
    }
}

/// Why a merge stopped: the units (an input error, already placed) or the database.
enum MergeError {
    Input(crate::error::Error),
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for MergeError {
    fn from(e: rusqlite::Error) -> MergeError {
        MergeError::Db(e)
    }
}

/// The secondary indexes of `segment`, as memory/0002 creates them. A bulk merge drops them
/// and creates them again at its end, in the same transaction: one sort then costs less than
/// a random insert into each for every segment.
pub(super) const SEGMENT_INDEXES: [(&str, &str); 2] = [
    (
        "segment_by_source_hash",
        "CREATE INDEX segment_by_source_hash ON segment (source_hash)",
    ),
    (
        "segment_by_source_text",
        "CREATE INDEX segment_by_source_text ON segment (source_text_id)",
    ),
];

/// A merge counts as bulk, and drops [`SEGMENT_INDEXES`] until its end, once it has brought
/// this many segments and at least as many as the memory had (so that building the indexes
/// anew never costs much more than keeping them would have).
const BULK: usize = 50_000;

/// The body of [`SqliteStore::merge_units`], in its transaction.
fn merge(
    tx: &Transaction,
    now: i64,
    origin: &str,
    default_document: &str,
    units: &mut dyn Iterator<Item = Result<Unit>>,
    bulk_from: usize,
) -> std::result::Result<MergeReport, MergeError> {
    let mut report = MergeReport::default();
    let mut langs: BTreeSet<String> = BTreeSet::new();
    let had: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM segment", [], |r| r.get(0))?;
    let mut m = Merger::new(tx, now, origin)?;
    let mut bulk = false;
    for unit in units {
        let unit = unit.map_err(MergeError::Input)?;
        report.units += 1;
        let name = unit.document.as_deref().unwrap_or(default_document);
        let doc_id = m.document(name, &mut report)?;
        if !langs.contains(&unit.source_lang) {
            langs.insert(unit.source_lang.clone());
        }
        for t in &unit.targets {
            if !langs.contains(&t.lang) {
                langs.insert(t.lang.clone());
            }
        }
        m.unit(&unit, doc_id, &mut report)?;
        let seen = report.added + report.existing;
        if !bulk && seen >= bulk_from && seen as i64 >= had {
            for (name, _) in SEGMENT_INDEXES {
                tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
            }
            bulk = true;
        }
    }
    if bulk {
        for (_, create) in SEGMENT_INDEXES {
            tx.execute_batch(create)?;
        }
    }
    report.langs = langs.into_iter().collect();
    Ok(report)
}

/// A merge's statements, prepared once, and the documents it has seen.
struct Merger<'t> {
    tx: &'t Transaction<'t>,
    now: i64,
    origin: &'t str,
    docs: HashMap<String, i64>,
    find_doc: rusqlite::Statement<'t>,
    add_doc: rusqlite::Statement<'t>,
    texts: TextIds<'t>,
    add: rusqlite::Statement<'t>,
}

impl<'t> Merger<'t> {
    fn new(tx: &'t Transaction<'t>, now: i64, origin: &'t str) -> rusqlite::Result<Merger<'t>> {
        Ok(Merger {
            tx,
            now,
            origin,
            docs: HashMap::new(),
            find_doc: tx.prepare("SELECT id FROM document WHERE name = ?1")?,
            add_doc: tx.prepare("INSERT INTO document (name) VALUES (?1)")?,
            texts: TextIds::new(tx)?,
            add: tx.prepare(
                "INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                    source_hash, document_id, label, score, flags, origin, created_at, changed_at,
                    source_codes, target_codes, tu_meta, source_meta, target_meta)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17)
                 ON CONFLICT (source_lang, target_lang, source_text_id, target_text_id) DO NOTHING",
            )?,
        })
    }

    /// The id of a document by name, added (and counted) when the memory has none.
    fn document(&mut self, name: &str, report: &mut MergeReport) -> rusqlite::Result<i64> {
        if let Some(&id) = self.docs.get(name) {
            return Ok(id);
        }
        let id = match self.find_doc.query_row([name], |r| r.get(0)).optional()? {
            Some(id) => id,
            None => {
                self.add_doc.execute([name])?;
                report.documents_created += 1;
                self.tx.last_insert_rowid()
            }
        };
        self.docs.insert(name.to_string(), id);
        Ok(id)
    }

    /// A unit's translations as segments of document `doc_id`, each added unless the memory
    /// has it (counted as added or existing).
    fn unit(&mut self, unit: &Unit, doc_id: i64, report: &mut MergeReport) -> rusqlite::Result<()> {
        let src = self.texts.id(&unit.source)?;
        let source_codes = to_json(&unit.source_codes);
        let tu_meta = to_json(&unit.meta);
        let source_meta = to_json(&unit.source_meta);
        let src_hash = hash64(&normalize(&unit.source));
        for t in &unit.targets {
            let tgt = self.texts.id(&t.text)?;
            let flags: i64 = t.flags.iter().map(|&f| flag_bit(f)).sum();
            let created = t.created.unwrap_or(self.now);
            let changed = t.changed.unwrap_or(created);
            let added = self.add.execute(params![
                unit.source_lang,
                t.lang,
                src,
                tgt,
                src_hash,
                doc_id,
                unit.label,
                t.score,
                flags,
                self.origin,
                created,
                changed,
                source_codes,
                to_json(&t.codes),
                tu_meta,
                source_meta,
                to_json(&t.meta),
            ])?;
            report.added += added;
            report.existing += 1 - added;
        }
        Ok(())
    }
}
