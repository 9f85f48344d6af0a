//! Merging units (TMX import, and the bulk load the benchmark measures) into the PostgreSQL
//! memory: one transaction, as on SQLite (texts stored once, a segment the memory has left as
//! it is, the first error rolling everything back), done a batch at a time with `COPY`: the
//! batch's new texts go into `text` by `COPY … FROM STDIN` with ids taken from its sequence in
//! one query (the new source texts queued for the lookup index), its segments by `COPY` into a
//! temporary table, then into `segment` with one `INSERT … SELECT` that leaves out those the
//! memory has (ids in the units' order, as SQLite gives them). Each document is locked for the
//! transaction (an advisory lock on its name's hash) when the merge first meets it. Once a
//! merge into an empty memory has brought [`BULK`] segments it goes on as a bulk load
//! (`bulk.rs`), which takes the tables for itself.

use std::collections::{BTreeSet, HashMap};

use postgres::Transaction;

use super::bulk::{codes_json, meta_json, Batch, Bulk, BULK, COLUMNS};
use super::write::{copy_rows, mark_sources};
use super::{pg_error, PgStore};
use crate::document::normalize;
use crate::error::Result;
use crate::exchange::{MergeReport, Unit};
use crate::store::{flag_bit, hash64};

use super::Pg;

/// Segments per batch.
const BATCH: usize = 50_000;

/// The staging table of a merge's segments (dropped at commit).
const STAGE: &str = "CREATE TEMP TABLE merge_stage (
        ord BIGINT, source_lang TEXT, target_lang TEXT, source_text_id BIGINT,
        target_text_id BIGINT, source_hash BIGINT, document_id BIGINT, label TEXT,
        score DOUBLE PRECISION, flags BIGINT, created_at BIGINT, changed_at BIGINT,
        source_codes TEXT, target_codes TEXT, tu_meta TEXT, source_meta TEXT, target_meta TEXT
    ) ON COMMIT DROP";

impl PgStore {
    /// Merge units into the memory in one transaction (see
    /// [`crate::store::Store::merge_units`]).
    pub fn merge_units(
        &mut self,
        origin: &str,
        default_document: &str,
        units: &mut dyn Iterator<Item = Result<Unit>>,
    ) -> Result<MergeReport> {
        let path = self.path.clone();
        let err = |e: postgres::Error| pg_error(&path, &e);
        let mut b = Batch {
            now: self.clock.now(),
            units: Vec::new(),
            segments: 0,
            docs: HashMap::new(),
            ord: 0,
        };
        let client = self.client.get_mut().unwrap_or_else(|p| p.into_inner());
        let mut tx = client.transaction().map_err(err)?;
        tx.batch_execute(STAGE).map_err(err)?;
        let (mut bulk, mut decided): (Option<Bulk>, bool) = (None, false);
        let mut report = MergeReport::default();
        let mut langs: BTreeSet<String> = BTreeSet::new();
        for unit in units {
            let unit: Unit = unit?;
            report.units += 1;
            langs.insert(unit.source_lang.clone());
            langs.extend(unit.targets.iter().map(|t| t.lang.clone()));
            let name = unit.document.as_deref().unwrap_or(default_document);
            let doc = document(&mut tx, &mut b.docs, name, &mut report).map_err(err)?;
            b.segments += unit.targets.len();
            b.units.push((unit, doc));
            if b.segments >= BATCH {
                let seen = report.added + report.existing + b.segments;
                if !decided && seen >= BULK {
                    decided = true;
                    bulk = Bulk::begin(&mut tx).map_err(err)?;
                }
                match &mut bulk {
                    Some(k) => k.flush(&mut tx, &mut b, origin, &mut report),
                    None => flush(&mut tx, &mut b, origin, &mut report),
                }
                .map_err(err)?;
            }
        }
        match &mut bulk {
            Some(k) => k.flush(&mut tx, &mut b, origin, &mut report),
            None => flush(&mut tx, &mut b, origin, &mut report),
        }
        .map_err(err)?;
        if let Some(k) = bulk {
            k.finish(&mut tx).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        report.langs = langs.into_iter().collect();
        Ok(report)
    }
}

/// A document's id by name (added, and counted, when the memory has none), locked for the
/// transaction.
fn document(
    tx: &mut Transaction,
    docs: &mut HashMap<String, i64>,
    name: &str,
    report: &mut MergeReport,
) -> Pg<i64> {
    if let Some(&id) = docs.get(name) {
        return Ok(id);
    }
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&hash64(name)])?;
    let id = match tx.query_opt("SELECT id FROM document WHERE name = $1", &[&name])? {
        Some(r) => r.get(0),
        None => {
            report.documents_created += 1;
            tx.query_one(
                "INSERT INTO document (name) VALUES ($1) RETURNING id",
                &[&name],
            )?
            .get(0)
        }
    };
    docs.insert(name.to_string(), id);
    Ok(id)
}

/// The ids of texts, each stored once: found by hash, the new ones added by COPY with ids
/// from the sequence, in the order first met.
fn bulk_text_ids(tx: &mut Transaction, bodies: &[&str], source: &[bool]) -> Pg<Vec<i64>> {
    let hashes: Vec<i64> = bodies.iter().map(|b| hash64(b)).collect();
    let mut ids: HashMap<(i64, &str), i64> = HashMap::with_capacity(bodies.len());
    let mut wanted: Vec<i64> = hashes.clone();
    wanted.sort_unstable();
    wanted.dedup();
    let rows = tx.query(
        "SELECT min(id), hash, body FROM text WHERE hash = ANY($1) GROUP BY hash, body",
        &[&wanted],
    )?;
    let found: Vec<(i64, i64, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    for (id, h, b) in &found {
        ids.insert((*h, b.as_str()), *id);
    }
    let mut new: Vec<(i64, &str, bool)> = Vec::new();
    let mut is_new: HashMap<(i64, &str), usize> = HashMap::new();
    // Texts the memory had that are sources now (new ones are written so).
    let mut had_sources: Vec<i64> = Vec::new();
    for ((h, b), &src) in hashes.iter().zip(bodies).zip(source) {
        if let Some(&k) = is_new.get(&(*h, *b)) {
            new[k].2 |= src;
        } else if let Some(&id) = ids.get(&(*h, *b)) {
            if src {
                had_sources.push(id);
            }
        } else {
            is_new.insert((*h, b), new.len());
            new.push((*h, b, src));
        }
    }
    mark_sources(tx, &had_sources)?;
    if !new.is_empty() {
        let seq: Vec<i64> = tx
            .query(
                "SELECT nextval('text_id_seq') FROM generate_series(1, $1::bigint)",
                &[&(new.len() as i64)],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut seq = seq;
        seq.sort_unstable();
        let rows: Vec<Vec<Option<String>>> = new
            .iter()
            .zip(&seq)
            .map(|((h, b, src), id)| {
                vec![
                    Some(id.to_string()),
                    Some(h.to_string()),
                    Some(b.to_string()),
                    Some(if *src { "t" } else { "f" }.to_string()),
                ]
            })
            .collect();
        copy_rows(tx, "text (id, hash, body, is_source)", &rows)?;
        let sources: Vec<i64> = new
            .iter()
            .zip(&seq)
            .filter(|((_, _, src), _)| *src)
            .map(|(_, id)| *id)
            .collect();
        tx.execute(
            "INSERT INTO lookup_pending (text_id) SELECT unnest($1::bigint[])",
            &[&sources],
        )?;
        for ((h, b, _), id) in new.iter().zip(&seq) {
            ids.insert((*h, b), *id);
        }
    }
    Ok(hashes
        .iter()
        .zip(bodies)
        .map(|(h, b)| ids.get(&(*h, *b)).copied().unwrap_or_default())
        .collect())
}

/// Write the waiting units: texts, then segments through the staging table.
fn flush(tx: &mut Transaction, b: &mut Batch, origin: &str, report: &mut MergeReport) -> Pg<()> {
    if b.units.is_empty() {
        return Ok(());
    }
    let mut bodies: Vec<&str> = Vec::with_capacity(b.segments * 2);
    let mut source: Vec<bool> = Vec::with_capacity(b.segments * 2);
    for (u, _) in &b.units {
        bodies.push(&u.source);
        source.push(!u.targets.is_empty());
        for t in &u.targets {
            bodies.push(&t.text);
            source.push(false);
        }
    }
    let ids = bulk_text_ids(tx, &bodies, &source)?;
    let mut rows: Vec<Vec<Option<String>>> = Vec::with_capacity(b.segments);
    let mut k = 0;
    for (u, doc) in &b.units {
        let src = ids[k];
        k += 1;
        let src_hash = hash64(&normalize(&u.source)).to_string();
        let (source_codes, tu_meta, source_meta) = (
            codes_json(&u.source_codes),
            meta_json(&u.meta),
            meta_json(&u.source_meta),
        );
        for t in &u.targets {
            let tgt = ids[k];
            k += 1;
            let flags: i64 = t.flags.iter().map(|&f| flag_bit(f)).sum();
            let created = t.created.unwrap_or(b.now);
            let changed = t.changed.unwrap_or(created);
            b.ord += 1;
            rows.push(vec![
                Some(b.ord.to_string()),
                Some(u.source_lang.clone()),
                Some(t.lang.clone()),
                Some(src.to_string()),
                Some(tgt.to_string()),
                Some(src_hash.clone()),
                Some(doc.to_string()),
                u.label.clone(),
                t.score.map(|x| format!("{x:?}")),
                Some(flags.to_string()),
                Some(created.to_string()),
                Some(changed.to_string()),
                source_codes.clone(),
                codes_json(&t.codes),
                tu_meta.clone(),
                source_meta.clone(),
                meta_json(&t.meta),
            ]);
        }
    }
    copy_rows(tx, "merge_stage", &rows)?;
    let added = tx.execute(
        &format!(
            "INSERT INTO segment ({COLUMNS})
             SELECT source_lang, target_lang, source_text_id, target_text_id, source_hash,
                document_id, label, score, flags, $1, created_at, changed_at, source_codes,
                target_codes, tu_meta, source_meta, target_meta
             FROM (SELECT DISTINCT ON (source_lang, target_lang, source_text_id, target_text_id) *
                   FROM merge_stage
                   ORDER BY source_lang, target_lang, source_text_id, target_text_id, ord) x
             WHERE NOT EXISTS (SELECT 1 FROM segment s WHERE s.source_lang = x.source_lang
                AND s.target_lang = x.target_lang AND s.source_text_id = x.source_text_id
                AND s.target_text_id = x.target_text_id)
             ORDER BY ord
             ON CONFLICT DO NOTHING"
        ),
        &[&origin],
    )? as usize;
    tx.batch_execute("TRUNCATE merge_stage")?;
    report.added += added;
    report.existing += rows.len() - added;
    b.units.clear();
    b.segments = 0;
    Ok(())
}
