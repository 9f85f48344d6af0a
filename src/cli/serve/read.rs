//! `serve`'s read-only routes, each a function from the request's parts and a read-only store
//! to a [`Reply`]: the amaGama/tmserver lookup and language list, the JSON lookup of one or many
//! texts, and `analyze`, `status` and `segments`, which call the commands' own functions and
//! answer the JSON their `--format json` prints (written by `report::memory`). Nothing here
//! writes to the memory or prints.

use std::path::Path;

use serde::Deserialize;

use super::super::analyze::analyze as analyze_doc;
use super::super::lookup::{answer, glossary, target_langs, terms_in, Matcher};
use super::super::segments::{filter, SegmentsArgs, SegmentsFormat};
use super::super::status::not_found;
use super::super::{lang_flag, DbArgs};
use super::http::{query_params, tag, weblate_code};
use super::Reply;
use crate::align::TermBase;
use crate::collect::detect_document;
use crate::document::Document;
use crate::language::LangTag;
use crate::report::memory::analyze::{write_json as analyze_json, Report};
use crate::report::memory::lookup::{json_text, Found};
use crate::report::memory::segments::write_json as segments_json;
use crate::report::memory::{status, status_doc, Form};
use crate::report::serve as json;
use crate::store::Store;

/// The body of `POST /api/v1/lookup`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LookupRequest {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    texts: Option<Vec<String>>,
    to: String,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    min_match: Option<u8>,
    #[serde(default)]
    limit: Option<usize>,
}

/// The parameters of a query string, each named in `allowed` and given once (400 otherwise).
pub(super) fn params_of(query: &str, allowed: &[&str]) -> Result<Vec<(String, String)>, Reply> {
    let params = query_params(query)
        .ok_or_else(|| Reply::error(400, "the query string is not percent-encoded UTF-8"))?;
    for (k, (name, _)) in params.iter().enumerate() {
        if !allowed.contains(&name.as_str()) {
            return Err(Reply::error(
                400,
                format!(
                    "unknown parameter `{name}`; this route takes {}",
                    allowed.join(", ")
                ),
            ));
        }
        if params[..k].iter().any(|(n, _)| n == name) {
            return Err(Reply::error(400, format!("`{name}` is given twice")));
        }
    }
    Ok(params)
}

/// The value of a parameter.
pub(super) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Bytes a report writer wrote, as a 200 answer.
fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>, results: usize) -> Reply {
    let mut out = Vec::new();
    match write(&mut out) {
        Ok(()) => Reply::ok(String::from_utf8_lossy(&out).into_owned(), results),
        Err(e) => Reply::error(500, format!("the answer could not be written: {e}")),
    }
}

/// The lowest match percentage the tmserver route answers unless asked otherwise, and the
/// floor of what it may be asked: amaGama's `MIN_SIMILARITY` default and its floor
/// (`translate_unit` in `amagama/tmdb.py`). Weblate drops what is below its own threshold (80
/// by default) anyway.
const TM_MIN_SIMILARITY: u8 = 70;
const TM_FLOOR: u8 = 30;

/// `GET /tmserver/{src}/{tgt}/unit/{text}[?min_similarity=N][&max_candidates=N]`, the query
/// parameters amaGama reads (`translate_unit` in `amagama/views/api.py`); others (`style`)
/// are ignored as amaGama ignores what it does not use.
pub(super) fn tmserver(store: &Store, limit: usize, rest: &str, query: &str) -> Reply {
    let parts: Vec<&str> = rest.splitn(4, '/').collect();
    let [src, tgt, "unit", text] = parts.as_slice() else {
        return Reply::error(404, "use /tmserver/{source}/{target}/unit/{text}");
    };
    let (Ok(src), Ok(tgt)) = (tag(src), tag(tgt)) else {
        return Reply::error(400, "unknown language code");
    };
    let Some(text) = super::http::percent_decode(text).filter(|t| !t.trim().is_empty()) else {
        return Reply::error(400, "the text is empty or not percent-encoded UTF-8");
    };
    let params = query_params(query).unwrap_or_default();
    // As amaGama: a value that is not a number is as if not given.
    let number = |name: &str| param(&params, name).and_then(|v| v.trim().parse::<usize>().ok());
    let min = number("min_similarity").map_or(TM_MIN_SIMILARITY, |m| {
        m.clamp(usize::from(TM_FLOOR), 100) as u8
    });
    let limit = number("max_candidates").map_or(limit, |n| n.clamp(1, limit));
    let m = Matcher {
        store,
        path: None,
        source_lang: Some(src),
        target_langs: vec![tgt],
    };
    match m.best(&crate::reuse::Prepared::new(&text), min, limit) {
        Ok(mut per) => {
            let matches = per.pop().unwrap_or_default();
            Reply::ok(json::tm_suggestions(&matches), matches.len())
        }
        Err(e) => Reply::error(500, e.to_string()),
    }
}

/// `GET /tmserver/languages/`: the source and target languages of the memory's segments.
pub(super) fn tm_languages(store: &Store) -> Reply {
    match store.language_pairs() {
        Ok(pairs) => {
            let mut sources: Vec<String> = pairs.iter().map(|p| weblate_code(&p.0)).collect();
            let mut targets: Vec<String> = pairs.iter().map(|p| weblate_code(&p.1)).collect();
            for list in [&mut sources, &mut targets] {
                list.sort();
                list.dedup();
            }
            Reply::ok(json::tm_languages(&sources, &targets), pairs.len())
        }
        Err(e) => Reply::error(500, e.to_string()),
    }
}

/// `POST /api/v1/lookup`.
pub(super) fn lookup(store: &Store, terms: &TermBase, limit: usize, body: &[u8]) -> Reply {
    let req: LookupRequest = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => return Reply::error(400, format!("not a lookup request: {e}")),
    };
    let texts: Vec<String> = match (req.text, req.texts) {
        (Some(t), None) => vec![t],
        (None, Some(ts)) => ts,
        _ => return Reply::error(400, "give \"text\" or \"texts\" (not both)"),
    };
    if texts.iter().any(|t| t.trim().is_empty()) {
        return Reply::error(400, "a text is empty");
    }
    let (to, from) = match (tag(&req.to), req.from.as_deref().map(tag).transpose()) {
        (Ok(to), Ok(from)) => (to, from),
        _ => return Reply::error(400, "unknown language code in \"to\" or \"from\""),
    };
    let min = req.min_match.unwrap_or(50).min(100);
    let limit = req.limit.unwrap_or(limit).min(limit);
    let m = Matcher {
        store,
        path: None,
        source_lang: from.clone(),
        target_langs: vec![to.clone()],
    };
    let glossary = glossary(terms, from.as_deref(), &to);
    let mut results = Vec::with_capacity(texts.len());
    let mut count = 0;
    for t in &texts {
        let found = glossary
            .as_ref()
            .map(|g| terms_in(g, t))
            .unwrap_or_default();
        let a = match answer(&m, t, min, limit) {
            Ok(a) => a,
            Err(e) => return Reply::error(500, e.to_string()),
        };
        count += a.matches.len();
        results.push(json_text(&Found {
            answer: &a,
            line: None,
            id: None,
            source_lang: from.as_deref(),
            target_lang: &to,
            min_match: min,
            terms: &found,
        }));
    }
    Reply::ok(json::lookup_results(&results), count)
}

/// `POST /api/v1/analyze?to=es,ru[&from=en][&name=FILE]`: the body is the document (its format
/// from `name`'s extension, plain text by default; its language from `from`, else from `name`,
/// else detected).
pub(super) fn analyze(store: &Store, query: &str, body: &[u8]) -> Reply {
    let params = match params_of(query, &["to", "from", "name"]) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(to) = param(&params, "to") else {
        return Reply::error(400, "give the target languages: ?to=es or ?to=es,ru");
    };
    let langs = match target_langs(to) {
        Ok(l) => l,
        Err(e) => return Reply::error(400, e.to_string()),
    };
    let name = param(&params, "name").unwrap_or("document.txt");
    let mut doc = match Document::from_bytes(Path::new(name), body) {
        Ok(d) => d,
        Err(e) => return Reply::error(400, e.to_string()),
    };
    let lang = match lang_flag(param(&params, "from"), "from") {
        Ok(Some(l)) => Some(l),
        Ok(None) => LangTag::from_file_name(name)
            .map(|(_, l)| l)
            .or_else(|| detect_document(&doc)),
        Err(e) => return Reply::error(400, e.to_string()),
    };
    let Some(lang) = lang else {
        return Reply::error(
            400,
            "cannot tell the document's language; give ?from=LANG or a name such as ?name=doc.en.txt",
        );
    };
    doc.lang = Some(lang.clone());
    let matcher = Matcher {
        store,
        path: None,
        source_lang: Some(lang.to_string()),
        target_langs: langs,
    };
    let (languages, rows) = match analyze_doc(&matcher, &doc) {
        Ok(r) => r,
        Err(e) => return Reply::error(500, e.to_string()),
    };
    let report = Report {
        file: name.to_string(),
        source_lang: lang.to_string(),
        languages,
        rows,
    };
    written(|w| analyze_json(&report, w), report.rows.len())
}

/// `GET /api/v1/status[?doc=NAME]`.
pub(super) fn status(store: &Store, query: &str) -> Reply {
    let params = match params_of(query, &["doc"]) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(name) = param(&params, "doc") else {
        return match store.status() {
            Ok(docs) => written(|w| status::write(&docs, Form::Json, w), docs.len()),
            Err(e) => Reply::error(500, e.to_string()),
        };
    };
    match store.document(name) {
        Ok(Some(d)) => written(|w| status_doc::write(&d, Form::Json, w), 1),
        Ok(None) => match not_found(store, name) {
            Ok(e) => Reply::error(404, e.to_string()),
            Err(e) => Reply::error(500, e.to_string()),
        },
        Err(e) => Reply::error(500, e.to_string()),
    }
}

/// The parameters of `GET /api/v1/segments`, as `segments`' flags.
const SEGMENT_PARAMS: &[&str] = &[
    "text",
    "lang_pair",
    "source_lang",
    "target_lang",
    "doc",
    "min_score",
    "flag",
    "limit",
];

/// `GET /api/v1/segments?…`: the parameters are `segments`' flags (`limit` 50 by default, 0
/// for all).
pub(super) fn segments(store: &Store, query: &str) -> Reply {
    let params = match params_of(query, SEGMENT_PARAMS) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let get = |n: &str| param(&params, n).map(str::to_string);
    let min_score = match get("min_score").map(|v| v.parse::<f64>()).transpose() {
        Ok(m) => m,
        Err(_) => return Reply::error(400, "min_score: give a score between 0 and 1"),
    };
    let limit = match get("limit").map(|v| v.parse::<usize>()).transpose() {
        Ok(l) => l.unwrap_or(50),
        Err(_) => return Reply::error(400, "limit: give a number of segments (0 for all)"),
    };
    if get("lang_pair").is_some() && (get("source_lang").is_some() || get("target_lang").is_some())
    {
        return Reply::error(400, "give lang_pair or source_lang/target_lang, not both");
    }
    let args = SegmentsArgs {
        text: get("text"),
        lang_pair: get("lang_pair"),
        source_lang: get("source_lang"),
        target_lang: get("target_lang"),
        doc: get("doc"),
        min_score,
        flag: get("flag"),
        limit,
        format: SegmentsFormat::Json,
        output: None,
        db: DbArgs { db: None },
    };
    let f = match filter(&args) {
        Ok(f) => f,
        Err(e) => return Reply::error(400, e.to_string()),
    };
    match store.segments(&f) {
        Ok(page) => written(|w| segments_json(&page, w), page.segments.len()),
        Err(e) => Reply::error(500, e.to_string()),
    }
}
