//! The writes of an import, one step each: the document row, its versions, a target's new
//! alignment, its pairs and the segments they become. Called inside the import's transaction
//! (`SqliteStore::import` in `mod.rs`); SQL only, the outdated pairs are marked before anything is
//! written ([`super::mark_outdated`]). Nothing here prints.

use rusqlite::{params, OptionalExtension, Transaction};

use super::{
    basis_of, content_hash, current_alignment, mark_outdated, target_summary, Basis, Change,
    DocImport, PairHashes, TargetImport, VersionImport,
};
use crate::align::{Flag, Pair};
use crate::check::{DocResult, TargetResult};
use crate::collect::Version;
use crate::document::Document;
use crate::store::texts::{add_sentences, text_id};
use crate::store::{flag_bit, reason_bit};

fn indices(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join("+")
}

/// A version as stored.
struct VersionRow {
    id: i64,
    change: Change,
    /// Text ids by paragraph index (filled when the version was written, else loaded on demand).
    texts: Option<Vec<i64>>,
}

/// Store a version unless the current one has the same paragraphs.
fn put_version(
    tx: &Transaction,
    doc_id: i64,
    v: &Version,
    now: i64,
) -> rusqlite::Result<VersionRow> {
    let lang = v.lang.as_str();
    let hash = content_hash(&v.doc);
    let current: Option<(i64, i64, String)> = tx
        .prepare_cached(
            "SELECT id, content_hash, path FROM version
             WHERE document_id = ?1 AND lang = ?2 AND superseded_at IS NULL",
        )?
        .query_row(params![doc_id, lang], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    if let Some((id, h, path)) = &current {
        if *h == hash {
            if *path != v.doc.path {
                tx.prepare_cached("UPDATE version SET path = ?2 WHERE id = ?1")?
                    .execute(params![id, v.doc.path])?;
            }
            return Ok(VersionRow {
                id: *id,
                change: Change::Unchanged,
                texts: None,
            });
        }
        tx.prepare_cached("UPDATE version SET superseded_at = ?2 WHERE id = ?1")?
            .execute(params![id, now])?;
    }
    tx.prepare_cached(
        "INSERT INTO version (document_id, lang, path, content_hash, paragraphs, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        doc_id,
        lang,
        v.doc.path,
        hash,
        v.doc.paragraphs.len() as i64,
        now
    ])?;
    let id = tx.last_insert_rowid();
    let mut texts = Vec::with_capacity(v.doc.paragraphs.len());
    for p in &v.doc.paragraphs {
        let t = text_id(tx, &p.text)?;
        tx.prepare_cached(
            "INSERT INTO paragraph (version_id, idx, line, label, text_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            id,
            p.index as i64,
            p.line as i64,
            p.label.as_ref().map(|l| l.path.as_str()),
            t
        ])?;
        texts.push(t);
    }
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

/// The text ids of a stored version's paragraphs.
fn version_texts(tx: &Transaction, row: &mut VersionRow) -> rusqlite::Result<()> {
    if row.texts.is_some() {
        return Ok(());
    }
    let mut st =
        tx.prepare_cached("SELECT text_id FROM paragraph WHERE version_id = ?1 ORDER BY idx")?;
    let texts = st
        .query_map([row.id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    row.texts = Some(texts);
    Ok(())
}

/// The text id of one side of a pair (a new text for several paragraphs, joined by a blank line).
fn side_text(
    tx: &Transaction,
    texts: &[i64],
    doc: &Document,
    idx: &[usize],
) -> rusqlite::Result<i64> {
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

/// Store one document; None when it has no source.
pub(super) fn import_doc(
    tx: &Transaction,
    doc: &mut DocResult,
    now: i64,
    first_new_segment: i64,
) -> rusqlite::Result<Option<DocImport>> {
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
                // Nothing new: show the caller the stored verdict.
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
            tx.prepare_cached("UPDATE alignment SET superseded_at = ?2 WHERE id = ?1")?
                .execute(params![id, now])?;
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
            first_new_segment,
        };
        let mut summary = target_summary(t, true);
        put_pairs(tx, &aligned, &t.alignment.pairs, &hashes, &mut summary)?;
        out.targets.push(summary);
    }
    Ok(Some(out))
}

/// The document's row, added when new, its source language updated when it switched (the
/// current alignment into the new source language is superseded then): (id, switched).
fn put_document(
    tx: &Transaction,
    name: &str,
    slang: &str,
    now: i64,
) -> rusqlite::Result<(i64, bool)> {
    let found: Option<(i64, Option<String>)> = tx
        .prepare_cached("SELECT id, source_lang FROM document WHERE name = ?1")?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (doc_id, stored_lang) = match found {
        Some(f) => f,
        None => {
            tx.prepare_cached("INSERT INTO document (name, source_lang) VALUES (?1, ?2)")?
                .execute(params![name, slang])?;
            (tx.last_insert_rowid(), Some(slang.to_string()))
        }
    };
    let switched = stored_lang.as_deref() != Some(slang);
    if switched {
        tx.prepare_cached("UPDATE document SET source_lang = ?2 WHERE id = ?1")?
            .execute(params![doc_id, slang])?;
        // The new source language is no longer a target.
        tx.prepare_cached(
            "UPDATE alignment SET superseded_at = ?3
             WHERE document_id = ?1 AND target_lang = ?2 AND superseded_at IS NULL",
        )?
        .execute(params![doc_id, slang, now])?;
    }
    Ok((doc_id, switched))
}

/// A target's new alignment row, with its counts; returns its id.
fn put_alignment(
    tx: &Transaction,
    doc_id: i64,
    (source_version, target_version): (i64, i64),
    source: &Version,
    t: &TargetResult,
    now: i64,
) -> rusqlite::Result<i64> {
    let c = t.alignment.counts();
    let translated: usize = t
        .alignment
        .pairs
        .iter()
        .filter(|p| !p.target.is_empty() && !p.flags.contains(&Flag::Untranslated))
        .map(|p| p.source.len())
        .sum();
    tx.prepare_cached(
        "INSERT INTO alignment (document_id, target_lang, source_version_id, target_version_id,
            created_at, source_paragraphs, translated, missing, extra, untranslated, diverging,
            misnumbered, reordered, outdated, coverage)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        doc_id,
        t.version.lang.as_str(),
        source_version,
        target_version,
        now,
        source.doc.paragraphs.len() as i64,
        translated as i64,
        c.missing as i64,
        c.extra as i64,
        c.untranslated as i64,
        c.diverging as i64,
        c.misnumbered as i64,
        c.reordered as i64,
        c.outdated as i64,
        t.coverage(source),
    ])?;
    Ok(tx.last_insert_rowid())
}

/// A new alignment being written: where its pairs go and what they are read from.
struct Aligned<'a> {
    /// The alignment's id.
    id: i64,
    doc_id: i64,
    source_lang: &'a str,
    target_lang: &'a str,
    source: &'a Document,
    target: &'a Document,
    /// Text ids of the source version's paragraphs, by index.
    source_texts: &'a [i64],
    /// Text ids of the target version's paragraphs, by index.
    target_texts: &'a [i64],
    now: i64,
    /// Segment ids from this one on were added by this import.
    first_new_segment: i64,
}

/// The pairs of a new alignment, and the segments (with their sentences) of those with both
/// sides; counts the segments added and changed into `summary`.
fn put_pairs(
    tx: &Transaction,
    a: &Aligned,
    pairs: &[Pair],
    hashes: &[PairHashes],
    summary: &mut TargetImport,
) -> rusqlite::Result<()> {
    for (seq, (p, h)) in pairs.iter().zip(hashes).enumerate() {
        let flags: i64 = p.flags.iter().map(|&f| flag_bit(f)).sum();
        let reasons: i64 = p.reasons.iter().map(|&r| reason_bit(r)).sum();
        tx.prepare_cached(
            "INSERT INTO pair (alignment_id, seq, source, target, score, flags, reasons,
                source_hash, target_hash, basis_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            a.id,
            seq as i64,
            indices(&p.source),
            indices(&p.target),
            p.score,
            flags,
            reasons,
            h.source,
            h.target,
            h.basis
        ])?;
        let (Some(shash), false, false) = (h.source, p.source.is_empty(), p.target.is_empty())
        else {
            continue;
        };
        let st = side_text(tx, a.source_texts, a.source, &p.source)?;
        let tt = side_text(tx, a.target_texts, a.target, &p.target)?;
        let texts = (st, tt, h.basis.unwrap_or(shash));
        match put_segment(tx, a, p, flags, texts)? {
            Some(id) if id >= a.first_new_segment => summary.segments_new += 1,
            Some(_) => summary.segments_changed += 1,
            None => {}
        }
        add_sentences(tx, a.source_lang, a.target_lang, st, tt)?;
    }
    Ok(())
}

/// A pair's segment, added or its attributes updated: its id when it was added or changed,
/// None when it was there as it is. `texts` are the source and target text ids and the source
/// hash to store (the basis when the pair is outdated).
fn put_segment(
    tx: &Transaction,
    a: &Aligned,
    p: &Pair,
    flags: i64,
    (st, tt, source_hash): (i64, i64, i64),
) -> rusqlite::Result<Option<i64>> {
    let label = p
        .source
        .first()
        .and_then(|&i| a.source.paragraphs[i].label.as_ref())
        .map(|l| l.path.as_str());
    tx.prepare_cached(
        "INSERT INTO segment (source_lang, target_lang, source_text_id, target_text_id,
            source_hash, document_id, label, score, flags, origin, created_at, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'import', ?10, ?10)
         ON CONFLICT (source_lang, target_lang, source_text_id, target_text_id)
         DO UPDATE SET source_hash = excluded.source_hash,
            document_id = excluded.document_id, label = excluded.label,
            score = excluded.score, flags = excluded.flags,
            changed_at = excluded.changed_at
         WHERE source_hash IS NOT excluded.source_hash
            OR document_id IS NOT excluded.document_id
            OR label IS NOT excluded.label
            OR score IS NOT excluded.score
            OR flags IS NOT excluded.flags
         RETURNING id",
    )?
    .query_row(
        params![
            a.source_lang,
            a.target_lang,
            st,
            tt,
            source_hash,
            a.doc_id,
            label,
            p.score,
            flags,
            a.now
        ],
        |r| r.get(0),
    )
    .optional()
}
