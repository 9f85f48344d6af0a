//! A bulk load into an empty PostgreSQL memory (what `merge.rs` switches to once a merge has
//! brought [`BULK`] segments and the memory held no text and no segment): the tables `text`,
//! `segment` and `lookup_posting` are locked for the transaction (`ACCESS EXCLUSIVE`: other
//! writers and lookups wait for the commit), their secondary indexes and the segments' unique
//! and foreign key constraints are dropped and made again once at the end (one build costs far
//! less than an index insert per row; the keys are checked then), texts are told apart here (by
//! hash, a hit checked against the body) instead of by a query, text ids are reserved a batch
//! at a time, texts and segments go in by one binary `COPY` each per batch (`binary.rs`), and
//! the source texts' trigrams and words go straight into the lookup index, gathered and encoded
//! on a thread of their own (`indexer.rs`) while this one writes. All inside the merge's one
//! transaction: a failure rolls everything back, indexes and constraints included.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::io::Write;

use postgres::Transaction;

use super::indexer::Indexer;
use super::postings::{copy_postings, refresh_stats, INDEX_LOCK};
use super::{binary, Pg};
use crate::document::normalize;
use crate::exchange::{InlineCode, MergeReport, Meta, Unit};
use crate::store::{flag_bit, hash64};

/// A merge turns bulk once it has brought this many segments into an empty memory.
pub(super) const BULK: usize = 50_000;

/// What the memory keeps as JSON: None when there is nothing.
pub(super) fn codes_json(v: &[InlineCode]) -> Option<String> {
    (!v.is_empty())
        .then(|| serde_json::to_string(v).ok())
        .flatten()
}

pub(super) fn meta_json(m: &Meta) -> Option<String> {
    (!m.is_empty())
        .then(|| serde_json::to_string(m).ok())
        .flatten()
}

/// Units waiting to go in, with the documents met so far.
pub(super) struct Batch {
    pub(super) now: i64,
    pub(super) units: Vec<(Unit, i64)>,
    pub(super) segments: usize,
    pub(super) docs: HashMap<String, i64>,
    pub(super) ord: i64,
}

/// A text of a batch: known (its id) or new (its place among the batch's new texts).
#[derive(Clone, Copy)]
enum Slot {
    Known(i64),
    New(usize),
}

/// Segments as (source text, target text).
type Pairs = HashSet<(i64, i64)>;

/// Texts to index: (text id, place among a batch's texts).
type ToIndex = Vec<(i64, usize)>;

/// The state of a bulk load.
pub(super) struct Bulk {
    /// Each text's id by hash (the first text of that hash).
    texts: HashMap<i64, i64>,
    /// Texts whose hash another text had first.
    collided: HashMap<String, i64>,
    /// The source texts (ids).
    sources: HashSet<i64>,
    /// The segments written, by language pair: (source text, target text).
    pairs: Vec<(String, String, Pairs)>,
    /// The lookup index being made, on a thread of its own.
    index: Indexer,
    /// The indexes and constraints dropped, as SQL that makes them again.
    restore: Vec<String>,
}

impl Bulk {
    /// Turn bulk when the memory is empty: lock `text`, `segment` and `lookup_posting`, drop
    /// their secondary indexes and the segments' constraints. None (and nothing done) when the
    /// memory holds texts or segments.
    pub(super) fn begin(tx: &mut Transaction) -> Pg<Option<Bulk>> {
        let empty = "SELECT NOT EXISTS (SELECT 1 FROM text) AND NOT EXISTS (SELECT 1 FROM segment)";
        if !tx.query_one(empty, &[])?.get::<_, bool>(0) {
            return Ok(None);
        }
        // The index lock first, as index updates take it before they read `text`.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INDEX_LOCK])?;
        tx.batch_execute("LOCK TABLE text, segment, lookup_posting IN ACCESS EXCLUSIVE MODE")?;
        if !tx.query_one(empty, &[])?.get::<_, bool>(0) {
            return Ok(None);
        }
        let mut drop = Vec::new();
        let mut restore = Vec::new();
        for r in tx.query(
            "SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
             WHERE conrelid = 'segment'::regclass AND contype IN ('u', 'f')
             ORDER BY contype DESC, conname",
            &[],
        )? {
            let (name, def): (String, String) = (r.get(0), r.get(1));
            drop.push(format!("ALTER TABLE segment DROP CONSTRAINT {name}"));
            restore.push(format!("ALTER TABLE segment ADD CONSTRAINT {name} {def}"));
        }
        for r in tx.query(
            "SELECT quote_ident(i.relname), pg_get_indexdef(x.indexrelid)
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
             WHERE x.indrelid IN ('text'::regclass, 'segment'::regclass,
                    'lookup_posting'::regclass)
                AND NOT x.indisprimary
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
             ORDER BY 1",
            &[],
        )? {
            let (name, def): (String, String) = (r.get(0), r.get(1));
            drop.push(format!("DROP INDEX {name}"));
            restore.insert(0, def);
        }
        tx.batch_execute(&drop.join(";\n"))?;
        Ok(Some(Bulk {
            texts: HashMap::new(),
            collided: HashMap::new(),
            sources: HashSet::new(),
            pairs: Vec::new(),
            index: Indexer::start(),
            restore,
        }))
    }

    /// Write a batch: its new texts, its new segments, their trigrams when enough wait.
    pub(super) fn flush(
        &mut self,
        tx: &mut Transaction,
        b: &mut Batch,
        origin: &str,
        report: &mut MergeReport,
    ) -> Pg<()> {
        let mut bodies: Vec<(&str, bool)> = Vec::with_capacity(b.segments * 2);
        // The unit of each source text.
        let mut unit_of: HashMap<usize, usize> = HashMap::new();
        for (j, (u, _)) in b.units.iter().enumerate() {
            unit_of.insert(bodies.len(), j);
            bodies.push((&u.source, !u.targets.is_empty()));
            bodies.extend(u.targets.iter().map(|t| (t.text.as_str(), false)));
        }
        let (ids, index) = self.text_ids(tx, &bodies)?;
        let mut buf = binary::start(b.segments * 200);
        let (mut k, mut added) = (0, 0);
        for (u, doc) in &b.units {
            let src = ids[k];
            k += 1;
            let fixed = UnitFields::of(u, src, *doc, hash64(&normalize(&u.source)));
            for t in &u.targets {
                let tgt = ids[k];
                k += 1;
                if !self.pair_set(&u.source_lang, &t.lang).insert((src, tgt)) {
                    continue;
                }
                added += 1;
                fixed.row(&mut buf, t, tgt, origin, b.now);
            }
        }
        if added > 0 {
            binary::end(&mut buf);
            let sql = format!("COPY segment ({COLUMNS}) FROM STDIN (FORMAT binary)");
            let mut w = tx.copy_in(&sql)?;
            // Fails only with the connection; finish() reports it.
            let _ = w.write_all(&buf);
            w.finish()?;
        }
        report.added += added;
        report.existing += b.segments - added;
        // The texts to index leave their units, which are done with.
        let texts = index
            .into_iter()
            .filter_map(|(id, k)| {
                let j = *unit_of.get(&k)?;
                Some((id, std::mem::take(&mut b.units[j].0.source)))
            })
            .collect();
        self.index.add(texts);
        for piece in self.index.ready() {
            copy_postings(tx, &piece)?;
        }
        b.units.clear();
        b.segments = 0;
        Ok(())
    }

    /// The segments written in a language pair.
    fn pair_set(&mut self, source: &str, target: &str) -> &mut Pairs {
        let k = match self
            .pairs
            .iter()
            .position(|p| p.0 == source && p.1 == target)
        {
            Some(k) => k,
            None => {
                self.pairs
                    .push((source.to_string(), target.to_string(), HashSet::new()));
                self.pairs.len() - 1
            }
        };
        &mut self.pairs[k].2
    }

    /// The ids of a batch's texts (with whether each is a source): the known ones found here,
    /// the new ones written by `COPY` under ids reserved at once; and the texts that are
    /// sources now and were not (their ids and places in `bodies`), to be indexed.
    fn text_ids(
        &mut self,
        tx: &mut Transaction,
        bodies: &[(&str, bool)],
    ) -> Pg<(Vec<i64>, ToIndex)> {
        let mut slots: Vec<Slot> = Vec::with_capacity(bodies.len());
        let mut new: Vec<(i64, &str, bool)> = Vec::new();
        let mut in_batch: HashMap<i64, usize> = HashMap::new();
        let mut check: Vec<(usize, i64)> = Vec::new();
        for (k, &(body, src)) in bodies.iter().enumerate() {
            let h = hash64(body);
            let slot = match in_batch.get(&h) {
                Some(&j) if new[j].1 == body => Slot::New(j),
                Some(_) => self.slot(body, h, &mut new),
                None => match (self.collided.get(body), self.texts.get(&h)) {
                    (Some(&id), _) => Slot::Known(id),
                    (None, Some(&id)) => {
                        check.push((k, id));
                        Slot::Known(id)
                    }
                    (None, None) => {
                        in_batch.insert(h, new.len());
                        new.push((h, body, false));
                        Slot::New(new.len() - 1)
                    }
                },
            };
            if let Slot::New(j) = slot {
                new[j].2 |= src;
            }
            slots.push(slot);
        }
        self.check_bodies(tx, bodies, &check, &mut slots, &mut new)?;
        let first = self.add_texts(tx, &new)?;
        let ids: Vec<i64> = slots
            .iter()
            .map(|s| match *s {
                Slot::Known(id) => id,
                Slot::New(j) => first + j as i64,
            })
            .collect();
        // Texts that are sources now; the known ones among them are marked so.
        let (mut index, mut marked) = (Vec::new(), Vec::new());
        for (k, (&id, slot)) in ids.iter().zip(&slots).enumerate() {
            if bodies[k].1 && self.sources.insert(id) {
                index.push((id, k));
                if let Slot::Known(_) = slot {
                    marked.push(id);
                }
            }
        }
        if !marked.is_empty() {
            tx.execute(
                "UPDATE text SET is_source = true WHERE id = ANY($1) AND NOT is_source",
                &[&marked],
            )?;
        }
        Ok((ids, index))
    }

    /// A text whose hash another text of the batch has: known by its body, else new.
    fn slot<'a>(&self, body: &'a str, h: i64, new: &mut Vec<(i64, &'a str, bool)>) -> Slot {
        if let Some(&id) = self.collided.get(body) {
            return Slot::Known(id);
        }
        if let Some(j) = new.iter().position(|n| n.1 == body) {
            return Slot::New(j);
        }
        new.push((h, body, false));
        Slot::New(new.len() - 1)
    }

    /// Check the texts found by hash against their stored bodies; one that differs is new.
    fn check_bodies<'a>(
        &self,
        tx: &mut Transaction,
        bodies: &[(&'a str, bool)],
        check: &[(usize, i64)],
        slots: &mut [Slot],
        new: &mut Vec<(i64, &'a str, bool)>,
    ) -> Pg<()> {
        if check.is_empty() {
            return Ok(());
        }
        let mut wanted: Vec<i64> = check.iter().map(|c| c.1).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let stored: HashMap<i64, String> = tx
            .query("SELECT id, body FROM text WHERE id = ANY($1)", &[&wanted])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for &(k, id) in check {
            let body = bodies[k].0;
            if stored.get(&id).map(String::as_str) != Some(body) {
                let slot = self.slot(body, hash64(body), new);
                if let Slot::New(j) = slot {
                    new[j].2 |= bodies[k].1;
                }
                slots[k] = slot;
            }
        }
        Ok(())
    }

    /// Write new texts under ids reserved in one call (nobody else takes ids from `text`'s
    /// sequence while the table is locked); the first id.
    fn add_texts(&mut self, tx: &mut Transaction, new: &[(i64, &str, bool)]) -> Pg<i64> {
        if new.is_empty() {
            return Ok(0);
        }
        let last: i64 = tx
            .query_one(
                "SELECT setval('text_id_seq', nextval('text_id_seq') + $1 - 1)",
                &[&(new.len() as i64)],
            )?
            .get(0);
        let first = last - new.len() as i64 + 1;
        let mut buf = binary::start(new.iter().map(|n| n.1.len() + 40).sum());
        for (j, &(h, body, src)) in new.iter().enumerate() {
            let id = first + j as i64;
            binary::row(&mut buf, 4);
            binary::int8(&mut buf, id);
            binary::int8(&mut buf, h);
            binary::text(&mut buf, Some(body));
            binary::boolean(&mut buf, src);
            match self.texts.entry(h) {
                Entry::Vacant(e) => {
                    e.insert(id);
                }
                Entry::Occupied(_) => {
                    self.collided.insert(body.to_string(), id);
                }
            }
        }
        binary::end(&mut buf);
        let mut w =
            tx.copy_in("COPY text (id, hash, body, is_source) FROM STDIN (FORMAT binary)")?;
        let _ = w.write_all(&buf);
        w.finish()?;
        Ok(first)
    }

    /// Index what waits, make the indexes and constraints again (checking every key), count
    /// the trigrams.
    pub(super) fn finish(self, tx: &mut Transaction) -> Pg<()> {
        for piece in self.index.finish() {
            copy_postings(tx, &piece)?;
        }
        tx.batch_execute("SET LOCAL maintenance_work_mem = '512MB'")?;
        tx.batch_execute(&self.restore.join(";\n"))?;
        refresh_stats(tx)
    }
}

/// The segment columns a merge writes.
pub(super) const COLUMNS: &str = "source_lang, target_lang, source_text_id, target_text_id,
    source_hash, document_id, label, score, flags, origin, created_at, changed_at, source_codes,
    target_codes, tu_meta, source_meta, target_meta";

/// What the segments of one unit share.
struct UnitFields<'a> {
    unit: &'a Unit,
    src: i64,
    doc: i64,
    hash: i64,
    source_codes: Option<String>,
    tu_meta: Option<String>,
    source_meta: Option<String>,
}

impl<'a> UnitFields<'a> {
    fn of(unit: &'a Unit, src: i64, doc: i64, hash: i64) -> UnitFields<'a> {
        UnitFields {
            unit,
            src,
            doc,
            hash,
            source_codes: codes_json(&unit.source_codes),
            tu_meta: meta_json(&unit.meta),
            source_meta: meta_json(&unit.source_meta),
        }
    }

    /// One segment as a binary `COPY` row of [`COLUMNS`].
    fn row(
        &self,
        buf: &mut Vec<u8>,
        t: &crate::exchange::Variant,
        tgt: i64,
        origin: &str,
        now: i64,
    ) {
        let u = self.unit;
        let flags: i64 = t.flags.iter().map(|&f| flag_bit(f)).sum();
        let created = t.created.unwrap_or(now);
        let changed = t.changed.unwrap_or(created);
        binary::row(buf, 17);
        binary::text(buf, Some(&u.source_lang));
        binary::text(buf, Some(&t.lang));
        for v in [self.src, tgt, self.hash, self.doc] {
            binary::int8(buf, v);
        }
        binary::text(buf, u.label.as_deref());
        binary::float8(buf, t.score);
        binary::int8(buf, flags);
        binary::text(buf, Some(origin));
        binary::int8(buf, created);
        binary::int8(buf, changed);
        binary::text(buf, self.source_codes.as_deref());
        binary::text(buf, codes_json(&t.codes).as_deref());
        binary::text(buf, self.tu_meta.as_deref());
        binary::text(buf, self.source_meta.as_deref());
        binary::text(buf, meta_json(&t.meta).as_deref());
    }
}
