//! Import into the PostgreSQL memory: the same rows as the SQLite import (`store/import/`),
//! in one transaction. Before it writes, the transaction takes an advisory lock on the hash of
//! each document's name, in one order, so that imports of different documents run at once and
//! two imports of one document run one after the other. A deadlock or serialisation failure
//! runs the whole transaction again. Many rows go in by `COPY … FROM STDIN` (a version's
//! paragraphs, an alignment's pairs); texts are found and added a version at a time. Whether a
//! pair is outdated is `crate::align`'s decision ([`mark_outdated`]); nothing here prints.

use std::collections::HashMap;

use postgres::{Client, Transaction};

use super::write::{put_alignment, put_pairs, put_version, version_texts, Aligned};
use super::{retryable, Pg, PgStore};
use crate::check::DocResult;
use crate::collect::DocumentSet;
use crate::error::Result;
use crate::language::LangTag;
use crate::store::import::{content_hash, target_summary};
use crate::store::{
    hash64, mark_outdated, Basis, Change, DocImport, ImportReport, Known, TargetImport,
    VersionImport,
};

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
