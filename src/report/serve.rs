//! `serve`'s own answers and log lines as JSON: the amaGama/tmserver suggestion list and its
//! language list (the shapes Weblate's `weblate/machinery/tmserver.py` reads), the batch of
//! lookup results, what an import stored, errors, health and one log line per request. The
//! answers that are a command's contract (`lookup`, `analyze`, `status`, `segments`) are written
//! by that command's writer in `memory/`; this file only wraps them. Pure: no socket, no clock.

use serde::Serialize;

use crate::exchange::MergeReport;
use crate::reuse::Match;

/// Serialize a value that cannot fail to serialize (plain structs of strings and numbers);
/// `null` if it ever did.
fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// One amaGama/tmserver suggestion (the shape Weblate reads: `source`, `target`, `quality`,
/// `rank`).
#[derive(Serialize)]
struct TmSuggestion<'a> {
    source: &'a str,
    target: &'a str,
    quality: f64,
    rank: f64,
}

/// `GET /tmserver/{src}/{tgt}/unit/{text}`: the matches as amaGama lists them, best first
/// (quality and rank both the match percentage).
pub(crate) fn tm_suggestions(matches: &[Match]) -> String {
    let list: Vec<TmSuggestion> = matches
        .iter()
        .map(|x| TmSuggestion {
            source: &x.candidate.source,
            target: &x.candidate.target,
            quality: f64::from(x.score.percent),
            rank: f64::from(x.score.percent),
        })
        .collect();
    to_json(&list)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TmLanguages<'a> {
    source_languages: &'a [String],
    target_languages: &'a [String],
}

/// `GET /tmserver/languages/`: `{"sourceLanguages": [...], "targetLanguages": [...]}`, the
/// codes as Weblate compares them (lower case, `_`: `pt_br`).
pub(crate) fn tm_languages(sources: &[String], targets: &[String]) -> String {
    to_json(&TmLanguages {
        source_languages: sources,
        target_languages: targets,
    })
}

/// `POST /api/v1/lookup`: `{"version": 1, "results": [...]}` around the objects
/// [`crate::report::memory::lookup::json_text`] wrote, in their order.
pub(crate) fn lookup_results(results: &[String]) -> String {
    format!("{{\"version\":1,\"results\":[{}]}}", results.join(","))
}

#[derive(Serialize)]
struct JsonImport<'a> {
    version: u32,
    units: usize,
    added: usize,
    existing: usize,
    documents_created: usize,
    langs: &'a [String],
}

/// `POST /api/v1/import`: what the merge stored (the numbers `import-tmx` prints).
pub(crate) fn import(r: &MergeReport) -> String {
    to_json(&JsonImport {
        version: 1,
        units: r.units,
        added: r.added,
        existing: r.existing,
        documents_created: r.documents_created,
        langs: &r.langs,
    })
}

/// An error answer: `{"error": "…"}`.
pub(crate) fn error(message: &str) -> String {
    to_json(&serde_json::json!({ "error": message }))
}

/// `GET /health`.
pub(crate) fn health() -> String {
    to_json(&serde_json::json!({ "status": "ok" }))
}

/// One request, as logged (never the text looked up or the body).
#[derive(Serialize)]
pub(crate) struct RequestLog<'a> {
    pub time: &'a str,
    pub client: Option<String>,
    pub method: &'a str,
    pub route: &'a str,
    pub status: u16,
    pub results: usize,
    pub ms: f64,
    pub sent: bool,
}

/// One log line (without its line end).
pub(crate) fn request_log(r: &RequestLog) -> String {
    let rounded = RequestLog {
        ms: (r.ms * 10.0).round() / 10.0,
        client: r.client.clone(),
        ..*r
    };
    to_json(&rounded)
}

/// An event of the server's life (`listening`, `writer`), as one log line.
pub(crate) fn event(time: &str, event: &str, fields: serde_json::Value) -> String {
    let mut v = serde_json::json!({ "time": time, "event": event });
    if let (Some(map), serde_json::Value::Object(more)) = (v.as_object_mut(), fields) {
        map.extend(more);
    }
    to_json(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_exact() {
        assert_eq!(tm_suggestions(&[]), "[]");
        assert_eq!(
            tm_languages(&["en".into()], &["es".into(), "pt_br".into()]),
            r#"{"sourceLanguages":["en"],"targetLanguages":["es","pt_br"]}"#
        );
        assert_eq!(
            lookup_results(&["{}".into(), "{}".into()]),
            r#"{"version":1,"results":[{},{}]}"#
        );
        let r = MergeReport {
            units: 3,
            added: 2,
            existing: 1,
            documents_created: 1,
            langs: vec!["en".into(), "es".into()],
        };
        assert_eq!(
            import(&r),
            r#"{"version":1,"units":3,"added":2,"existing":1,"documents_created":1,"langs":["en","es"]}"#
        );
        assert_eq!(error("no \"x\""), r#"{"error":"no \"x\""}"#);
        assert_eq!(health(), r#"{"status":"ok"}"#);
    }

    #[test]
    fn log_lines_are_exact() {
        let line = request_log(&RequestLog {
            time: "2024-03-14T10:00:00Z",
            client: Some("127.0.0.1".into()),
            method: "GET",
            route: "/tmserver/en/es/unit/…",
            status: 200,
            results: 2,
            ms: 1.26,
            sent: true,
        });
        assert_eq!(
            line,
            r#"{"time":"2024-03-14T10:00:00Z","client":"127.0.0.1","method":"GET","route":"/tmserver/en/es/unit/…","status":200,"results":2,"ms":1.3,"sent":true}"#
        );
        assert_eq!(
            event("t", "listening", serde_json::json!({"addr": "127.0.0.1:1"})),
            r#"{"addr":"127.0.0.1:1","event":"listening","time":"t"}"#
        );
    }
}
