//! `paralign serve`: the translation memory over HTTP, read-only, for CAT tools and Weblate.
//!
//! Routes (every answer is JSON):
//! - `GET /tmserver/{src}/{tgt}/unit/{text}`: the amaGama/tmserver API that Weblate's `tmserver`
//!   and `Amagama` machinery and Virtaal call (`weblate/machinery/tmserver.py`): a list of
//!   `{"source", "target", "quality", "rank"}`, best first. Language codes come as Weblate
//!   sends them (`pt_br`), the text percent-encoded.
//! - `POST /api/v1/lookup`: `{"text": "…"}` or `{"texts": ["…", …]}` with `"to"`, and
//!   optionally `"from"`, `"min_match"`, `"limit"`: `{"version": 1, "results": [...]}`, one
//!   result per text, each the object `paralign lookup --format json` prints.
//! - `GET /health`: `{"status": "ok"}`.
//!
//! Bound to 127.0.0.1 unless `--listen` says otherwise; request bodies above `--max-body` are
//! refused (413) before they are read; no route writes. One JSON line per request on stderr
//! (time, method, route, status, results, milliseconds), never the text looked up. Each worker
//! thread has its own read-only connection; the lookup index is brought up to date once at
//! start.

use std::io::{self, Read, Write};
use std::path::Path;
use std::time::Instant;

use clap::Args;
use serde::{Deserialize, Serialize};

use super::import::{db_location, open_for_lookup};
use super::lookup::{answer, Matcher};
use super::{lang_flag, DbArgs, EXIT_OK};
use crate::align::TermBase;
use crate::error::{Error, Result};
use crate::report::memory::lookup::{json_text, Found};
use crate::store::{MatchSource, Store};

#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    /// The address and port to listen on (127.0.0.1:0 picks a free port; the address bound is
    /// logged on stderr).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Refuse request bodies larger than BYTES (413).
    #[arg(long, value_name = "BYTES", default_value_t = 1_048_576)]
    max_body: usize,
    /// Answer at most N matches per text.
    #[arg(long, value_name = "N", default_value_t = 10)]
    limit: usize,
    /// Worker threads, each with its own read-only connection.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    workers: u16,
    #[command(flatten)]
    db: DbArgs,
}

/// An answer: HTTP status and JSON body.
#[derive(Debug, PartialEq)]
pub(super) struct Reply {
    pub status: u16,
    /// JSON text.
    pub body: String,
    /// How many matches it carries (for the log).
    pub results: usize,
}

impl Reply {
    fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply {
            status,
            body: serde_json::json!({ "error": message.into() }).to_string(),
            results: 0,
        }
    }
}

/// One amaGama/tmserver suggestion (the shape Weblate reads: `weblate/machinery/tmserver.py`).
#[derive(Debug, Serialize)]
struct TmSuggestion<'a> {
    source: &'a str,
    target: &'a str,
    quality: f64,
    rank: f64,
}

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

/// Decode a percent-encoded path segment (`+` is a plus sign in a path).
pub(super) fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A language code as Weblate sends it (`pt_br`) as a tag (`pt-BR`).
fn tag(code: &str) -> Result<String> {
    let code = code.replace('_', "-");
    Ok(lang_flag(Some(&code), "language")?
        .map(|t| t.to_string())
        .unwrap_or_default())
}

/// `GET /tmserver/{src}/{tgt}/unit/{text}`.
fn tmserver(store: &dyn MatchSource, limit: usize, rest: &str) -> Reply {
    let parts: Vec<&str> = rest.splitn(4, '/').collect();
    let [src, tgt, "unit", text] = parts.as_slice() else {
        return Reply::error(404, "use /tmserver/{source}/{target}/unit/{text}");
    };
    let (Ok(src), Ok(tgt)) = (tag(src), tag(tgt)) else {
        return Reply::error(400, "unknown language code");
    };
    let Some(text) = percent_decode(text).filter(|t| !t.trim().is_empty()) else {
        return Reply::error(400, "the text is empty or not percent-encoded UTF-8");
    };
    let m = Matcher {
        store,
        path: None,
        source_lang: Some(src),
        target_langs: vec![tgt],
    };
    match m.best(&crate::reuse::Prepared::new(&text), 50, limit) {
        Ok(mut per) => {
            let matches = per.pop().unwrap_or_default();
            let list: Vec<TmSuggestion> = matches
                .iter()
                .map(|x| TmSuggestion {
                    source: &x.candidate.source,
                    target: &x.candidate.target,
                    quality: f64::from(x.score.percent),
                    rank: f64::from(x.score.percent),
                })
                .collect();
            Reply {
                status: 200,
                results: list.len(),
                body: serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()),
            }
        }
        Err(e) => Reply::error(500, e.to_string()),
    }
}

/// `POST /api/v1/lookup`.
fn lookup(store: &dyn MatchSource, terms: &TermBase, limit: usize, body: &[u8]) -> Reply {
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
    let glossary = super::lookup::glossary(terms, from.as_deref(), &to);
    let mut results = Vec::with_capacity(texts.len());
    let mut count = 0;
    for t in &texts {
        let found = glossary
            .as_ref()
            .map(|g| super::lookup::terms_in(g, t))
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
    Reply {
        status: 200,
        // The results as `lookup --format json` writes them, fields in the same order.
        body: format!("{{\"version\":1,\"results\":[{}]}}", results.join(",")),
        results: count,
    }
}

/// Answer one request (no socket: the route, the method and the body).
pub(super) fn route(
    store: &dyn MatchSource,
    terms: &TermBase,
    limit: usize,
    method: &str,
    path: &str,
    body: &[u8],
) -> Reply {
    let path = path.split('?').next().unwrap_or("");
    match (method, path) {
        ("GET", "/health") => Reply {
            status: 200,
            body: serde_json::json!({ "status": "ok" }).to_string(),
            results: 0,
        },
        ("GET", p) if p.starts_with("/tmserver/") => {
            tmserver(store, limit, &p["/tmserver/".len()..])
        }
        ("POST", "/api/v1/lookup") => lookup(store, terms, limit, body),
        (_, "/api/v1/lookup" | "/health") => Reply::error(405, "method not allowed"),
        (_, p) if p.starts_with("/tmserver/") => Reply::error(405, "method not allowed"),
        _ => Reply::error(404, "no such route"),
    }
}

/// The route as logged: the tmserver text left out.
fn logged_route(path: &str) -> String {
    match path.find("/unit/") {
        Some(k) if path.starts_with("/tmserver/") => format!("{}/unit/…", &path[..k]),
        _ => path.split('?').next().unwrap_or("").to_string(),
    }
}

/// One JSON log line on stderr.
fn log(event: serde_json::Value) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{event}");
}

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    crate::store::format_time(secs)
}

/// Serve requests from `server` until it stops.
fn work(server: &tiny_http::Server, store: &Store, terms: &TermBase, args: &ServeArgs) {
    for mut req in server.incoming_requests() {
        let started = Instant::now();
        let method = req.method().as_str().to_string();
        let url = req.url().to_string();
        let reply = if req.body_length().is_some_and(|n| n > args.max_body) {
            Reply::error(
                413,
                format!("the body is larger than {} bytes", args.max_body),
            )
        } else {
            let mut body = Vec::new();
            let limit = args.max_body as u64 + 1;
            match req.as_reader().take(limit).read_to_end(&mut body) {
                Ok(n) if n > args.max_body => Reply::error(
                    413,
                    format!("the body is larger than {} bytes", args.max_body),
                ),
                Ok(_) => route(store, terms, args.limit, &method, &url, &body),
                Err(e) => Reply::error(400, format!("the body could not be read: {e}")),
            }
        };
        let bytes = reply.body.into_bytes();
        let header = tiny_http::Header::from_bytes(
            &b"Content-Type"[..],
            &b"application/json; charset=utf-8"[..],
        );
        let mut response = tiny_http::Response::from_data(bytes).with_status_code(reply.status);
        if let Ok(h) = header {
            response = response.with_header(h);
        }
        let sent = req.respond(response);
        log(serde_json::json!({
            "time": now(),
            "method": method,
            "route": logged_route(&url),
            "status": reply.status,
            "results": reply.results,
            "ms": (started.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
            "sent": sent.is_ok(),
        }));
    }
}

pub(super) fn run(args: ServeArgs) -> Result<i32> {
    let loc = db_location(&args.db);
    if loc.path.as_os_str() == crate::store::IN_MEMORY {
        return Err(Error::usage(
            "--db: serve needs a memory on disk (`:memory:` would be empty)",
        ));
    }
    // Bring the index up to date once; the workers only read.
    drop(open_for_lookup(&args.db)?);
    let server = tiny_http::Server::http(args.listen.as_str()).map_err(|e| {
        Error::usage(format!(
            "--listen {}: cannot listen there ({e}); give ADDR:PORT, such as 127.0.0.1:8080",
            args.listen
        ))
    })?;
    let addr = server
        .server_addr()
        .to_ip()
        .map_or_else(|| args.listen.clone(), |a| a.to_string());
    let stores = (0..args.workers)
        .map(|_| Store::open_read_only(Path::new(&loc.path)))
        .collect::<Result<Vec<Store>>>()?;
    log(serde_json::json!({
        "time": now(),
        "event": "listening",
        "addr": addr,
        "db": stores.first().map_or(&*loc.path, |s| s.path()).display().to_string(),
        "workers": args.workers,
    }));
    // The glossary is read once; each language pair's is built at its first lookup and shared.
    let terms = match stores.first() {
        Some(s) => s.term_base()?,
        None => TermBase::default(),
    };
    std::thread::scope(|scope| {
        for store in stores {
            let (server, args, terms) = (&server, &args, &terms);
            scope.spawn(move || work(server, &store, terms, args));
        }
    });
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_decode_and_logs_hide_the_text() {
        assert_eq!(
            percent_decode("Hello%20W%C3%B6rld+1").as_deref(),
            Some("Hello Wörld+1")
        );
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%C3"), None);
        assert_eq!(
            logged_route("/tmserver/en/es/unit/Secret%20text"),
            "/tmserver/en/es/unit/…"
        );
        assert_eq!(logged_route("/api/v1/lookup?x=1"), "/api/v1/lookup");
        assert_eq!(tag("pt_br").unwrap(), "pt-BR");
    }

    #[test]
    fn the_lookup_api_lists_glossary_terms() {
        use crate::align::Concept;
        use crate::language::LangTag;
        let store = Store::open(
            Path::new(crate::store::IN_MEMORY),
            crate::store::Clock::System,
        )
        .unwrap();
        let lang = |s: &str| LangTag::parse(s).unwrap();
        let terms = TermBase::new(vec![Concept {
            terms: vec![
                (lang("en"), "torture".into()),
                (lang("de"), "Folter".into()),
            ],
        }]);
        let body = br#"{"text": "Freedom from torture.", "from": "en", "to": "de"}"#;
        let reply = route(&store, &terms, 5, "POST", "/api/v1/lookup", body);
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(
            reply.body,
            r#"{"version":1,"results":[{"version":1,"query":"Freedom from torture.","source_lang":"en","target_lang":"de","min_match":50,"matches":[],"sentences":[],"terms":[{"source":"torture","target":"Folter"}]}]}"#
        );
    }
}
