//! Import into the PostgreSQL memory: the same rows as the SQLite import (`store/import/`),
//! in one transaction. Before it writes, the transaction takes an advisory lock on the hash of
//! each document's name, in one order, so that imports of different documents run at once and
//! two imports of one document run one after the other. A deadlock or serialisation failure
//! runs the whole transaction again. Many rows go in by `COPY … FROM STDIN` (a version's
//! paragraphs, an alignment's pairs); texts are found and added a version at a time. Whether a
//! pair is outdated is `crate::align`'s decision ([`mark_outdated`]); nothing here prints.

use std::collections::HashMap;
use std::io::Write;

use postgres::{Client, Transaction};

use super::{retryable, PgStore};
use crate::align::{Flag, Pair};
use crate::check::{DocResult, TargetResult};
use crate::collect::{DocumentSet, Version};
use crate::document::{normalize, Document};
use crate::error::Result;
use crate::language::LangTag;
use crate::reuse::{align_agreeing_sentences, align_sentences};
use crate::store::import::content_hash;
use crate::store::{
    flag_bit, hash64, mark_outdated, reason_bit, Basis, Change, DocImport, ImportReport, Known,
    PairHashes, TargetImport, VersionImport,
};

type Pg<T> = std::result::Result<T, postgres::Error>;

/// How many times an import that met a deadlock is run again.
const RETRIES: usize = 5;

impl PgStore {
    /// Store aligned documents in one transaction (see [`crate::store::Store::import`]).
    pub fn import(
        &mut self,
        docs: &mut [DocResult],
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport> {
        let now = self.clock.now();
        let mut tries = 0;
        loop {
            let client = self.client.get_mut().unwrap_or_else(|p| p.into_inner());
            match import_all(client, docs, now, progress) {
                Ok(r) => return Ok(r),
                Err(e) if retryable(&e) && tries < RETRIES => tries += 1,
                Err(e) => return Err(self.err(e)),
            }
        }
    }

    /// What an import of an unchanged set would report; else None.
    pub fn unchanged(
        &self,
        set: &DocumentSet,
        source_lang: Option<&LangTag>,
    ) -> Result<Option<DocImport>> {
        if !set.errors.is_empty() {
            return Ok(None);
        }
        let Some(si) = set.source_index(source_lang) else {
            return Ok(None);
        };
        let mut c = self.client();
        unchanged(&mut c, set, si).map_err(|e| self.err(e))
    }

    /// What the memory knows of a document, if anything.
    pub fn known(&self, name: &str) -> Result<Option<Known>> {
        let mut c = self.client();
        let q = |c: &mut Client| -> Pg<Option<Known>> {
            let Some(row) = c.query_opt(
                "SELECT id, source_lang FROM document WHERE name = $1",
                &[&name],
            )?
            else {
                return Ok(None);
            };
            let id: i64 = row.get(0);
            let versions = c
                .query(
                    "SELECT lang, path FROM version WHERE document_id = $1
                     AND superseded_at IS NULL ORDER BY lang COLLATE \"C\"",
                    &[&id],
                )?
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect();
            Ok(Some(Known {
                source_lang: row.get(1),
                versions,
            }))
        };
        q(&mut c).map_err(|e| self.err(e))
    }

    /// The basis of the current alignment of a document's target language.
    pub fn basis(&self, document: &str, lang: &str) -> Result<Basis> {
        let mut c = self.client();
        let q = |c: &mut Client| -> Pg<Basis> {
            let Some(row) = c.query_opt("SELECT id FROM document WHERE name = $1", &[&document])?
            else {
                return Ok(Basis::default());
            };
            match current_alignment(c, row.get(0), lang)? {
                Some((aid, ..)) => basis_of(c, aid),
                None => Ok(Basis::default()),
            }
        };
        q(&mut c).map_err(|e| self.err(e))
    }
}

fn import_all(
    c: &mut Client,
    docs: &mut [DocResult],
    now: i64,
    progress: &mut dyn FnMut(usize),
) -> Pg<ImportReport> {
    let mut tx = c.transaction()?;
    let mut keys: Vec<i64> = docs
        .iter()
        .filter(|d| d.source.is_some())
        .map(|d| hash64(&d.id))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for k in &keys {
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[k])?;
    }
    let mut report = ImportReport::default();
    for (k, doc) in docs.iter_mut().enumerate() {
        if let Some(d) = import_doc(&mut tx, doc, now)? {
            report.documents.push(d);
        }
        progress(k + 1);
    }
    tx.commit()?;
    Ok(report)
}

fn unchanged(c: &mut Client, set: &DocumentSet, si: usize) -> Pg<Option<DocImport>> {
    let source = &set.versions[si];
    let Some(row) = c.query_opt(
        "SELECT id, source_lang FROM document WHERE name = $1",
        &[&set.id],
    )?
    else {
        return Ok(None);
    };
    let (doc_id, slang): (i64, Option<String>) = (row.get(0), row.get(1));
    let Some(slang) = slang.filter(|s| s == source.lang.as_str()) else {
        return Ok(None);
    };
    let mut ids = Vec::with_capacity(set.versions.len());
    for v in &set.versions {
        let cur = c.query_opt(
            "SELECT id, content_hash, path FROM version
             WHERE document_id = $1 AND lang = $2 AND superseded_at IS NULL",
            &[&doc_id, &v.lang.as_str()],
        )?;
        match cur {
            Some(r)
                if r.get::<_, i64>(1) == content_hash(&v.doc)
                    && r.get::<_, String>(2) == v.doc.path =>
            {
                ids.push(r.get::<_, i64>(0))
            }
            _ => return Ok(None),
        }
    }
    let mut out = DocImport {
        id: set.id.clone(),
        versions: vec![VersionImport {
            lang: slang,
            path: source.doc.path.clone(),
            change: Change::Unchanged,
        }],
        targets: Vec::new(),
    };
    for (k, v) in set.versions.iter().enumerate() {
        if k == si {
            continue;
        }
        let lang = v.lang.as_str();
        let Some((aid, sv, tv)) = current_alignment(c, doc_id, lang)? else {
            return Ok(None);
        };
        if sv != ids[si] || tv != ids[k] {
            return Ok(None);
        }
        out.versions.push(VersionImport {
            lang: lang.to_string(),
            path: v.doc.path.clone(),
            change: Change::Unchanged,
        });
        let row = c.query_one(
            "SELECT (SELECT count(*) FROM pair
                     WHERE alignment_id = $1 AND source != '' AND target != ''),
                outdated FROM alignment WHERE id = $1",
            &[&aid],
        )?;
        out.targets.push(TargetImport {
            lang: lang.to_string(),
            realigned: false,
            pairs: row.get::<_, i64>(0) as usize,
            outdated: row.get::<_, i64>(1) as usize,
            segments_new: 0,
            segments_changed: 0,
        });
    }
    Ok(Some(out))
}

/// The current alignment of a document's target language: (id, source version, target version).
fn current_alignment(
    c: &mut impl postgres::GenericClient,
    doc_id: i64,
    lang: &str,
) -> Pg<Option<(i64, i64, i64)>> {
    Ok(c.query_opt(
        "SELECT id, source_version_id, target_version_id FROM alignment
         WHERE document_id = $1 AND target_lang = $2 AND superseded_at IS NULL",
        &[&doc_id, &lang],
    )?
    .map(|r| (r.get(0), r.get(1), r.get(2))))
}

fn basis_of(c: &mut impl postgres::GenericClient, alignment: i64) -> Pg<Basis> {
    let map: HashMap<i64, i64> = c
        .query(
            "SELECT target_hash, coalesce(basis_hash, source_hash) FROM pair
             WHERE alignment_id = $1 AND target_hash IS NOT NULL AND source_hash IS NOT NULL",
            &[&alignment],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok(Basis::from_map(map))
}

/// The ids of texts, each stored once: those the memory has are found in one query, the others
/// added in one statement.
fn text_ids(tx: &mut Transaction, bodies: &[&str]) -> Pg<Vec<i64>> {
    let hashes: Vec<i64> = bodies.iter().map(|b| hash64(b)).collect();
    let mut found: HashMap<(i64, &str), i64> = HashMap::new();
    let rows = tx.query(
        "SELECT min(id), hash, body FROM text WHERE hash = ANY($1) GROUP BY hash, body",
        &[&hashes],
    )?;
    let mut owned: Vec<(i64, i64, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let (mut new_h, mut new_b): (Vec<i64>, Vec<&str>) = (Vec::new(), Vec::new());
    for (h, b) in hashes.iter().zip(bodies) {
        let have = owned.iter().any(|(_, oh, ob)| oh == h && ob == b)
            || new_h.iter().zip(&new_b).any(|(nh, nb)| nh == h && nb == b);
        if !have {
            new_h.push(*h);
            new_b.push(b);
        }
    }
    if !new_h.is_empty() {
        let rows = tx.query(
            "INSERT INTO text (hash, body) SELECT * FROM unnest($1::bigint[], $2::text[])
             RETURNING id, hash, body",
            &[&new_h, &new_b],
        )?;
        owned.extend(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))));
    }
    for (id, h, b) in &owned {
        found.insert((*h, b.as_str()), *id);
    }
    Ok(hashes
        .iter()
        .zip(bodies)
        .map(|(h, b)| found.get(&(*h, *b)).copied().unwrap_or_default())
        .collect())
}

/// One text's id.
fn text_id(tx: &mut Transaction, body: &str) -> Pg<i64> {
    Ok(text_ids(tx, &[body])?.first().copied().unwrap_or_default())
}

/// A field of a `COPY … FROM STDIN` row in text format.
fn copy_field(out: &mut Vec<u8>, v: Option<&str>) {
    match v {
        None => out.extend_from_slice(b"\\N"),
        Some(s) => {
            for b in s.bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
    }
}

/// Rows into a table by `COPY … FROM STDIN`: each row its fields (None: NULL).
pub(super) fn copy_rows(tx: &mut Transaction, into: &str, rows: &[Vec<Option<String>>]) -> Pg<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut buf = Vec::new();
    for row in rows {
        for (k, f) in row.iter().enumerate() {
            if k > 0 {
                buf.push(b'\t');
            }
            copy_field(&mut buf, f.as_deref());
        }
        buf.push(b'\n');
    }
    let mut w = tx.copy_in(&format!("COPY {into} FROM STDIN"))?;
    // Writing to the COPY stream fails only with the connection; finish() reports it.
    let _ = w.write_all(&buf);
    w.finish()?;
    Ok(())
}

/// A version as stored.
struct VersionRow {
    id: i64,
    change: Change,
    texts: Option<Vec<i64>>,
}

fn put_version(tx: &mut Transaction, doc_id: i64, v: &Version, now: i64) -> Pg<VersionRow> {
    let lang = v.lang.as_str();
    let hash = content_hash(&v.doc);
    let current = tx.query_opt(
        "SELECT id, content_hash, path FROM version
         WHERE document_id = $1 AND lang = $2 AND superseded_at IS NULL",
        &[&doc_id, &lang],
    )?;
    if let Some(r) = &current {
        let (id, h, path): (i64, i64, String) = (r.get(0), r.get(1), r.get(2));
        if h == hash {
            if path != v.doc.path {
                tx.execute(
                    "UPDATE version SET path = $2 WHERE id = $1",
                    &[&id, &v.doc.path],
                )?;
            }
            return Ok(VersionRow {
                id,
                change: Change::Unchanged,
                texts: None,
            });
        }
        tx.execute(
            "UPDATE version SET superseded_at = $2 WHERE id = $1",
            &[&id, &now],
        )?;
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO version (document_id, lang, path, content_hash, paragraphs, imported_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &doc_id,
                &lang,
                &v.doc.path,
                &hash,
                &(v.doc.paragraphs.len() as i64),
                &now,
            ],
        )?
        .get(0);
    let bodies: Vec<&str> = v.doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let texts = text_ids(tx, &bodies)?;
    let rows: Vec<Vec<Option<String>>> = v
        .doc
        .paragraphs
        .iter()
        .zip(&texts)
        .map(|(p, t)| {
            vec![
                Some(id.to_string()),
                Some(p.index.to_string()),
                Some(p.line.to_string()),
                p.label.as_ref().map(|l| l.path.clone()),
                Some(t.to_string()),
            ]
        })
        .collect();
    copy_rows(
        tx,
        "paragraph (version_id, idx, line, label, text_id)",
        &rows,
    )?;
    Ok(VersionRow {
        id,
        change: if current.is_some() {
            Change::Changed
        } else {
            Change::New
        },
        texts: Some(texts),
    })
}

fn version_texts(tx: &mut Transaction, row: &mut VersionRow) -> Pg<()> {
    if row.texts.is_none() {
        let texts = tx
            .query(
                "SELECT text_id FROM paragraph WHERE version_id = $1 ORDER BY idx",
                &[&row.id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        row.texts = Some(texts);
    }
    Ok(())
}

fn target_summary(t: &TargetResult, realigned: bool) -> TargetImport {
    let c = t.alignment.counts();
    TargetImport {
        lang: t.version.lang.as_str().to_string(),
        realigned,
        pairs: c.pairs,
        outdated: c.outdated,
        segments_new: 0,
        segments_changed: 0,
    }
}

fn import_doc(tx: &mut Transaction, doc: &mut DocResult, now: i64) -> Pg<Option<DocImport>> {
    let Some(source) = &doc.source else {
        return Ok(None);
    };
    let slang = source.lang.as_str();
    let (doc_id, switched) = put_document(tx, &doc.id, slang, now)?;
    let mut src = put_version(tx, doc_id, source, now)?;
    let mut out = DocImport {
        id: doc.id.clone(),
        versions: vec![VersionImport {
            lang: slang.to_string(),
            path: source.doc.path.clone(),
            change: src.change,
        }],
        targets: Vec::new(),
    };
    for t in doc.targets.iter_mut() {
        let lang = t.version.lang.as_str().to_string();
        let mut tv = put_version(tx, doc_id, &t.version, now)?;
        out.versions.push(VersionImport {
            lang: lang.clone(),
            path: t.version.doc.path.clone(),
            change: tv.change,
        });
        let current = current_alignment(tx, doc_id, &lang)?;
        if let Some((id, s, v)) = current {
            if s == src.id && v == tv.id {
                let basis = basis_of(tx, id)?;
                mark_outdated(t, source, &basis);
                out.targets.push(target_summary(t, false));
                continue;
            }
        }
        let basis = match current {
            Some((id, ..)) if !switched => basis_of(tx, id)?,
            _ => Basis::default(),
        };
        let hashes = mark_outdated(t, source, &basis);
        if let Some((id, ..)) = current {
            tx.execute(
                "UPDATE alignment SET superseded_at = $2 WHERE id = $1",
                &[&id, &now],
            )?;
        }
        let id = put_alignment(tx, doc_id, (src.id, tv.id), source, t, now)?;
        version_texts(tx, &mut src)?;
        version_texts(tx, &mut tv)?;
        let aligned = Aligned {
            id,
            doc_id,
            source_lang: slang,
            target_lang: &lang,
            source: &source.doc,
            target: &t.version.doc,
            source_texts: src.texts.as_deref().unwrap_or_default(),
            target_texts: tv.texts.as_deref().unwrap_or_default(),
            now,
        };
        let mut summary = target_summary(t, true);
        put_pairs(tx, &aligned, &t.alignment.pairs, &hashes, &mut summary)?;
        out.targets.push(summary);
    }
    Ok(Some(out))
}

fn put_document(tx: &mut Transaction, name: &str, slang: &str, now: i64) -> Pg<(i64, bool)> {
    let found = tx.query_opt(
        "SELECT id, source_lang FROM document WHERE name = $1",
        &[&name],
    )?;
    let (doc_id, stored): (i64, Option<String>) = match found {
        Some(r) => (r.get(0), r.get(1)),
        None => {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO document (name, source_lang) VALUES ($1, $2) RETURNING id",
                    &[&name, &slang],
                )?
                .get(0);
            (id, Some(slang.to_string()))
        }
    };
    let switched = stored.as_deref() != Some(slang);
    if switched {
        tx.execute(
            "UPDATE document SET source_lang = $2 WHERE id = $1",
            &[&doc_id, &slang],
        )?;
        tx.execute(
            "UPDATE alignment SET superseded_at = $3
             WHERE document_id = $1 AND target_lang = $2 AND superseded_at IS NULL",
            &[&doc_id, &slang, &now],
        )?;
    }
    Ok((doc_id, switched))
}

fn put_alignment(
    tx: &mut Transaction,
    doc_id: i64,
    (source_version, target_version): (i64, i64),
    source: &Version,
    t: &TargetResult,
    now: i64,
) -> Pg<i64> {
    let c = t.alignment.counts();
    let translated: usize = t
        .alignment
        .pairs
        .iter()
        .filter(|p| !p.target.is_empty() && !p.flags.contains(&Flag::Untranslated))
        .map(|p| p.source.len())
        .sum();
    let n = |x: usize| x as i64;
    Ok(tx
        .query_one(
            "INSERT INTO alignment (document_id, target_lang, source_version_id, target_version_id,
                created_at, source_paragraphs, translated, missing, extra, untranslated, diverging,
                misnumbered, reordered, outdated, coverage)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
             RETURNING id",
            &[
                &doc_id,
                &t.version.lang.as_str(),
                &source_version,
                &target_version,
                &now,
                &n(source.doc.paragraphs.len()),
                &n(translated),
                &n(c.missing),
                &n(c.extra),
                &n(c.untranslated),
                &n(c.diverging),
                &n(c.misnumbered),
                &n(c.reordered),
                &n(c.outdated),
                &t.coverage(source),
            ],
        )?
        .get(0))
}

struct Aligned<'a> {
    id: i64,
    doc_id: i64,
    source_lang: &'a str,
    target_lang: &'a str,
    source: &'a Document,
    target: &'a Document,
    source_texts: &'a [i64],
    target_texts: &'a [i64],
    now: i64,
}

fn indices(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join("+")
}

/// The text id of one side of a pair (several paragraphs joined by a blank line).
fn side_text(tx: &mut Transaction, texts: &[i64], doc: &Document, idx: &[usize]) -> Pg<i64> {
    match idx {
        [i] => Ok(texts[*i]),
        _ => {
            let t: Vec<&str> = idx
                .iter()
                .map(|&i| doc.paragraphs[i].text.as_str())
                .collect();
            text_id(tx, &t.join("\n\n"))
        }
    }
}

fn put_pairs(
    tx: &mut Transaction,
    a: &Aligned,
    pairs: &[Pair],
    hashes: &[PairHashes],
    summary: &mut TargetImport,
) -> Pg<()> {
    let s = |v: Option<i64>| v.map(|x| x.to_string());
    let rows: Vec<Vec<Option<String>>> = pairs
        .iter()
        .zip(hashes)
        .enumerate()
        .map(|(seq, (p, h))| {
            let flags: i64 = p.flags.iter().map(|&f| flag_bit(f)).sum();
            let reasons: i64 = p.reasons.iter().map(|&r| reason_bit(r)).sum();
            vec![
                Some(a.id.to_string()),
                Some(seq.to_string()),
                Some(indices(&p.source)),
                Some(indices(&p.target)),
                p.score.map(|x| format!("{x:?}")),
                Some(flags.to_string()),
                Some(reasons.to_string()),
                s(h.source),
                s(h.target),
                s(h.basis),
            ]
        })
        .collect();
    copy_rows(
        tx,
        "pair (alignment_id, seq, source, target, score, flags, reasons, source_hash,
            target_hash, basis_hash)",
        &rows,
    )?;
    let mut sources: Vec<i64> = Vec::new();
    for (p, h) in pairs.iter().zip(hashes) {
        let (Some(shash), false, false) = (h.source, p.source.is_empty(), p.target.is_empty())
        else {
            continue;
        };
        let flags: i64 = p.flags.iter().map(|&f| flag_bit(f)).sum();
        let st = side_text(tx, a.source_texts, a.source, &p.source)?;
        let tt = side_text(tx, a.target_texts, a.target, &p.target)?;
        match put_segment(tx, a, p, flags, (st, tt, h.basis.unwrap_or(shash)))? {
            Some(true) => summary.segments_new += 1,
            Some(false) => summary.segments_changed += 1,
            None => {}
        }
        sources.push(st);
        add_sentences(tx, a.source_lang, a.target_lang, st, tt)?;
    }
    mark_sources(tx, &sources)
}

/// Mark texts as sources of segments, which lookups search (`text.is_source`).
pub(super) fn mark_sources(tx: &mut Transaction, ids: &[i64]) -> Pg<()> {
    if !ids.is_empty() {
        tx.execute(
            "UPDATE text SET is_source = true WHERE id = ANY($1) AND NOT is_source",
            &[&ids],
        )?;
    }
    Ok(())
}

/// A pair's segment, added or its attributes updated: Some(true) when added, Some(false) when
/// changed, None when it was there as it is. Looked up first rather than `INSERT … ON
/// CONFLICT`, which takes a sequence value even when the row is there: segment ids stay those
/// SQLite gives (one more than the highest), which `segments` and exports show.
fn put_segment(
    tx: &mut Transaction,
    a: &Aligned,
    p: &Pair,
    flags: i64,
    (st, tt, source_hash): (i64, i64, i64),
) -> Pg<Option<bool>> {
    let label = p
        .source
        .first()
        .and_then(|&i| a.source.paragraphs[i].label.as_ref())
        .map(|l| l.path.as_str());
    let found = tx.query_opt(
        "SELECT id FROM segment
         WHERE source_lang = $1 AND target_lang = $2 AND source_text_id = $3
            AND target_text_id = $4",
        &[&a.source_lang, &a.target_lang, &st, &tt],
    )?;
    let Some(found) = found else {
        tx.execute(
            "INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
                source_hash, document_id, label, score, flags, origin, created_at, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'import', $10, $10)",
            &[
                &a.source_lang,
                &a.target_lang,
                &st,
                &tt,
                &source_hash,
                &a.doc_id,
                &label,
                &p.score,
                &flags,
                &a.now,
            ],
        )?;
        return Ok(Some(true));
    };
    let id: i64 = found.get(0);
    let changed = tx.execute(
        "UPDATE segment SET source_hash = $2, document_id = $3, label = $4, score = $5,
            flags = $6, changed_at = $7
         WHERE id = $1 AND (source_hash IS DISTINCT FROM $2 OR document_id IS DISTINCT FROM $3
            OR label IS DISTINCT FROM $4 OR score IS DISTINCT FROM $5
            OR flags IS DISTINCT FROM $6)",
        &[
            &id,
            &source_hash,
            &a.doc_id,
            &label,
            &p.score,
            &flags,
            &a.now,
        ],
    )?;
    Ok((changed > 0).then_some(false))
}

/// The sentence pairs of a paragraph segment, as `store/texts.rs` stores them on SQLite.
fn add_sentences(
    tx: &mut Transaction,
    source_lang: &str,
    target_lang: &str,
    source_text: i64,
    target_text: i64,
) -> Pg<usize> {
    let row = tx.query_opt(
        "SELECT s.id, st.body, tt.body, s.flags,
            EXISTS (SELECT 1 FROM sentence_segment x WHERE x.segment_id = s.id)
         FROM segment s JOIN text st ON st.id = s.source_text_id
            JOIN text tt ON tt.id = s.target_text_id
         WHERE s.source_lang = $1 AND s.target_lang = $2 AND s.source_text_id = $3
            AND s.target_text_id = $4",
        &[&source_lang, &target_lang, &source_text, &target_text],
    )?;
    let Some(row) = row else { return Ok(0) };
    let (segment, flags, done): (i64, i64, bool) = (row.get(0), row.get(3), row.get(4));
    let (source, target): (String, String) = (row.get(1), row.get(2));
    let diverging = flags == flag_bit(Flag::Diverging);
    if (flags != 0 && !diverging) || done {
        return Ok(0);
    }
    let pairs = if diverging {
        align_agreeing_sentences(&source, &target)
    } else {
        align_sentences(&source, &target)
    };
    let Some(pairs) = pairs else { return Ok(0) };
    let bodies: Vec<&str> = pairs
        .iter()
        .flat_map(|p| [p.source.as_str(), p.target.as_str()])
        .collect();
    let ids = text_ids(tx, &bodies)?;
    let sources: Vec<i64> = ids.iter().step_by(2).copied().collect();
    mark_sources(tx, &sources)?;
    for (seq, p) in pairs.iter().enumerate() {
        tx.execute(
            "INSERT INTO sentence_segment (segment_id, seq, source_lang, target_lang,
                source_text_id, target_text_id, source_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &segment,
                &(seq as i64),
                &source_lang,
                &target_lang,
                &ids[2 * seq],
                &ids[2 * seq + 1],
                &hash64(&normalize(&p.source)),
            ],
        )?;
    }
    Ok(pairs.len())
}
