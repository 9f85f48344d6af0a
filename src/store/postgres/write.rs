//! The rows of an import into the PostgreSQL memory: texts found or added a version at a time,
//! versions, alignments, pairs, segments and their sentences, many rows at a time by `COPY …
//! FROM STDIN`. `import.rs` drives them inside one transaction; `merge.rs` shares `copy_rows`.

use std::collections::HashMap;
use std::io::Write;

use postgres::Transaction;

use crate::align::{Flag, Pair};
use crate::check::TargetResult;
use crate::collect::Version;
use crate::document::{normalize, Document};
use crate::reuse::{align_agreeing_sentences, align_sentences};
use crate::store::import::content_hash;
use crate::store::{flag_bit, hash64, reason_bit, Change, PairHashes, TargetImport};

use super::Pg;

/// The ids of texts, each stored once: those the memory has are found in one query, the others
/// added in one statement.
pub(super) fn text_ids(tx: &mut Transaction, bodies: &[&str]) -> Pg<Vec<i64>> {
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
pub(super) fn text_id(tx: &mut Transaction, body: &str) -> Pg<i64> {
    Ok(text_ids(tx, &[body])?.first().copied().unwrap_or_default())
}

/// A field of a `COPY … FROM STDIN` row in text format.
pub(super) fn copy_field(out: &mut Vec<u8>, v: Option<&str>) {
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
pub(super) struct VersionRow {
    pub(super) id: i64,
    pub(super) change: Change,
    pub(super) texts: Option<Vec<i64>>,
}

pub(super) fn put_version(
    tx: &mut Transaction,
    doc_id: i64,
    v: &Version,
    now: i64,
) -> Pg<VersionRow> {
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

pub(super) fn version_texts(tx: &mut Transaction, row: &mut VersionRow) -> Pg<()> {
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

pub(super) fn put_alignment(
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

pub(super) struct Aligned<'a> {
    pub(super) id: i64,
    pub(super) doc_id: i64,
    pub(super) source_lang: &'a str,
    pub(super) target_lang: &'a str,
    pub(super) source: &'a Document,
    pub(super) target: &'a Document,
    pub(super) source_texts: &'a [i64],
    pub(super) target_texts: &'a [i64],
    pub(super) now: i64,
}

pub(super) fn indices(v: &[usize]) -> String {
    v.iter().map(usize::to_string).collect::<Vec<_>>().join("+")
}

/// The text id of one side of a pair (several paragraphs joined by a blank line).
pub(super) fn side_text(
    tx: &mut Transaction,
    texts: &[i64],
    doc: &Document,
    idx: &[usize],
) -> Pg<i64> {
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

pub(super) fn put_pairs(
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

/// Mark texts as sources of segments, which lookups search (`text.is_source`); those that were
/// not wait in `lookup_pending` for the lookup index.
pub(super) fn mark_sources(tx: &mut Transaction, ids: &[i64]) -> Pg<()> {
    if !ids.is_empty() {
        tx.execute(
            "WITH m AS (UPDATE text SET is_source = true WHERE id = ANY($1) AND NOT is_source
                RETURNING id)
             INSERT INTO lookup_pending (text_id) SELECT id FROM m ON CONFLICT DO NOTHING",
            &[&ids],
        )?;
    }
    Ok(())
}

/// A pair's segment, added or its attributes updated: Some(true) when added, Some(false) when
/// changed, None when it was there as it is. Looked up first rather than `INSERT … ON
/// CONFLICT`, which takes a sequence value even when the row is there: segment ids stay those
/// SQLite gives (one more than the highest), which `segments` and exports show.
pub(super) fn put_segment(
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
pub(super) fn add_sentences(
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
