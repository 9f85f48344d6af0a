//! What an XLIFF export asks of a memory, decided once for both stores: which documents are
//! exported (those in the source language most have), where each source paragraph stands in
//! the language (its pair's flags and its translation), what is left to translate, and a
//! suggestion from the memory for it. Each store only reads its rows ([`TodoReads`]).

use std::collections::{BTreeMap, HashMap};

use crate::align::Flag;
use crate::error::Result;
use crate::exchange::{Suggestion, TodoDoc, TodoFilter, TodoParagraph, TodoReport, TodoState};
use crate::reuse::Prepared;

use super::{flags_of, MatchSource};

/// The smallest match percentage a suggestion needs.
const SUGGEST_MIN: u8 = 70;

/// A document to look at: name, source language, id, current source version.
pub(super) type DocRow = (String, String, i64, i64);
/// A paragraph of a version: index, line, label, text.
pub(super) type TodoRow = (usize, usize, Option<String>, String);
/// Where a source paragraph stands in a language: its pair's flags, and its translation.
type Standing = (Vec<Flag>, Option<String>);

/// The rows an XLIFF export reads, from either store (and its matches, for suggestions).
pub(super) trait TodoReads: MatchSource {
    /// The documents with a current source version (only `document` when named), by name.
    fn todo_docs(&self, document: Option<&str>) -> Result<Vec<DocRow>>;
    /// A version's paragraphs, in order.
    fn version_paragraphs(&self, version: i64) -> Result<Vec<TodoRow>>;
    /// A document's current alignment into `lang` (the tag compared without case): its id and
    /// its source and target versions.
    fn current_alignment(&self, doc_id: i64, lang: &str) -> Result<Option<(i64, i64, i64)>>;
    /// An alignment's pairs in order: source indices, target indices (`1+2`), flag bits.
    fn alignment_pairs(&self, alignment: i64) -> Result<Vec<(String, String, i64)>>;
}

/// The closest earlier translation of `text` into `target_lang`, as `paralign lookup` finds
/// and scores it (at least [`SUGGEST_MIN`] percent), if any.
pub(super) fn suggest(
    s: &impl TodoReads,
    source_lang: &str,
    target_lang: &str,
    text: &str,
) -> Result<Option<Suggestion>> {
    let query = Prepared::new(text);
    let found = s.best_matches(
        &query,
        Some(source_lang),
        &[target_lang.to_string()],
        SUGGEST_MIN,
        1,
    )?;
    Ok(found.into_iter().flatten().next().map(|m| Suggestion {
        source: m.candidate.source,
        target: m.candidate.target,
        similarity: f64::from(m.score.percent),
        origin: "paralign memory".into(),
    }))
}

/// What an XLIFF export makes of a paragraph with these flags (and a translation or not).
fn todo_state(flags: &[Flag], translated: bool) -> TodoState {
    let has = |f: Flag| flags.contains(&f);
    if !translated || has(Flag::Missing) {
        TodoState::Missing
    } else if has(Flag::Untranslated) {
        TodoState::Untranslated
    } else if has(Flag::Outdated) {
        TodoState::Outdated
    } else if flags.is_empty() {
        TodoState::Translated
    } else {
        TodoState::Flagged
    }
}

/// The paragraphs a language lacks in each document (missing, untranslated, outdated, as
/// asked), each with a suggestion from the memory when it has one. Documents in another
/// source language than most, or aligned with an earlier source version, are left out with a
/// note.
pub(super) fn todo(s: &impl TodoReads, f: &TodoFilter) -> Result<TodoReport> {
    let docs = s.todo_docs(f.document.as_deref())?;
    let mut notes = Vec::new();
    let primary = |l: &str| l.split('-').next().unwrap_or(l).to_ascii_lowercase();
    let target_primary = primary(&f.lang);
    // The source language most documents have (ties: the first by name).
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (_, sl, ..) in &docs {
        if primary(sl) != target_primary {
            *counts.entry(sl.clone()).or_default() += 1;
        }
    }
    let source_lang = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(l, _)| l.clone());
    let mut report = TodoReport {
        source_lang: source_lang.clone(),
        ..TodoReport::default()
    };
    for (name, sl, doc_id, sv) in docs {
        if primary(&sl) == target_primary {
            continue;
        }
        if Some(&sl) != source_lang.as_ref() {
            notes.push(format!(
                "{name}: its source is in {sl}, not {}; export it with --doc {name} on its own",
                source_lang.as_deref().unwrap_or("-")
            ));
            continue;
        }
        if let Some(doc) = todo_doc(s, (&name, &sl, doc_id, sv), f, &mut notes)? {
            if !doc.paragraphs.is_empty() {
                report.docs.push(doc);
            }
        }
    }
    report.notes = notes;
    Ok(report)
}

fn todo_doc(
    s: &impl TodoReads,
    (name, source_lang, doc_id, sv): (&str, &str, i64, i64),
    f: &TodoFilter,
    notes: &mut Vec<String>,
) -> Result<Option<TodoDoc>> {
    let paras = s.version_paragraphs(sv)?;
    let Some(standing) = todo_standing(s, doc_id, sv, &f.lang, paras.len())? else {
        notes.push(format!(
            "{name}: its {} version is aligned with an earlier source version; run `paralign import` on the document first",
            f.lang
        ));
        return Ok(None);
    };
    let mut out = TodoDoc {
        document: name.to_string(),
        paragraphs: Vec::with_capacity(paras.len()),
    };
    for ((index, line, label, text), (flags, translation)) in paras.into_iter().zip(standing) {
        if let Some(only) = &f.only {
            if !flags.iter().any(|fl| only.contains(fl)) {
                continue;
            }
        }
        let state = todo_state(&flags, translation.is_some());
        // A suggestion helps only where a translation is still to be made.
        let suggestion = if state.to_translate() {
            suggest(s, source_lang, &f.lang, &text)?
        } else {
            None
        };
        out.paragraphs.push(TodoParagraph {
            index,
            line,
            label,
            text,
            state,
            suggestion,
            draft: None,
            translation: translation.filter(|_| !state.to_translate()),
            flags,
        });
    }
    Ok(Some(out))
}

/// For each of `n` source paragraphs, the flags of its pair in the current alignment into
/// `lang` and its translation (the pair's target paragraphs joined; given to the first source
/// paragraph of a merge only): `missing` and none where the language has no alignment, `None`
/// when the alignment is with an earlier source version.
fn todo_standing(
    s: &impl TodoReads,
    doc_id: i64,
    sv: i64,
    lang: &str,
    n: usize,
) -> Result<Option<Vec<Standing>>> {
    let mut standing: Vec<Standing> = vec![(vec![Flag::Missing], None); n];
    let (aid, tv) = match s.current_alignment(doc_id, lang)? {
        None => return Ok(Some(standing)),
        Some((_, asv, _)) if asv != sv => return Ok(None),
        Some((aid, _, tv)) => (aid, tv),
    };
    let targets: HashMap<usize, String> = s
        .version_paragraphs(tv)?
        .into_iter()
        .map(|(i, _, _, text)| (i, text))
        .collect();
    let indices = |s: &str| -> Vec<usize> {
        s.split('+')
            .filter_map(|x| x.parse::<usize>().ok())
            .collect()
    };
    for (src, tgt, bits) in s.alignment_pairs(aid)? {
        let texts: Vec<&str> = indices(&tgt)
            .iter()
            .filter_map(|j| targets.get(j).map(String::as_str))
            .collect();
        let translation = (!texts.is_empty()).then(|| texts.join("\n"));
        let mut flags = flags_of(bits);
        if texts.is_empty() && !flags.contains(&Flag::Missing) {
            flags.insert(0, Flag::Missing);
        }
        for (k, i) in indices(&src).into_iter().enumerate() {
            if let Some(slot) = standing.get_mut(i) {
                *slot = (flags.clone(), translation.clone().filter(|_| k == 0));
            }
        }
    }
    Ok(Some(standing))
}
