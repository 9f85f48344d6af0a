//! `paralign serve`: the translation memory over HTTP, for CAT tools, Weblate and scripts.
//!
//! Routes (every answer is JSON; `read.rs` and `write.rs` hold them, `report::serve` and
//! `report::memory` write them):
//! - `GET /tmserver/{src}/{tgt}/unit/{text}`: the amaGama/tmserver API that Weblate's `tmserver`
//!   and `Amagama` machinery and Virtaal call (`weblate/machinery/tmserver.py`): a list of
//!   `{"source", "target", "quality", "rank"}`, best first, at least 70 unless
//!   `min_similarity` says otherwise (as amaGama). Language codes come as Weblate sends them
//!   (`pt_br`), the text percent-encoded.
//! - `GET /tmserver/languages/`: `{"sourceLanguages": [...], "targetLanguages": [...]}`, which
//!   Weblate's `download_languages` reads (amaGama's `get_languages`, `amagama/views/api.py`).
//! - `POST /api/v1/lookup`: `{"text": "…"}` or `{"texts": ["…", …]}` with `"to"`, and
//!   optionally `"from"`, `"min_match"`, `"limit"`: `{"version": 1, "results": [...]}`, one
//!   result per text, each the object `paralign lookup --format json` prints.
//! - `POST /api/v1/analyze?to=es,ru`, `GET /api/v1/status`, `GET /api/v1/segments?…`: what
//!   `analyze`, `status` and `segments` print with `--format json`.
//! - `POST /api/v1/import`: a TMX body, stored by the one writer; only with the token.
//! - `GET /health`: `{"status": "ok"}`.
//!
//! Bound to 127.0.0.1 unless `--listen` says otherwise; request bodies above `--max-body` are
//! refused (413) before they are read; `--rate N` answers 429 beyond N requests a second from
//! one address. Read-only unless started with a token. One JSON line per request on stderr
//! (time, client, method, route, status, results, milliseconds), never the text looked up.
//! Each worker thread has its own read-only connection; the lookup index is brought up to date
//! at start (and by the writer after each import).

mod http;
mod rate;
mod read;
mod write;

use std::io::{self, Read, Write};
use std::net::IpAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use clap::Args;

use super::import::{clock, db_location, open_for_lookup};
use super::{DbArgs, EXIT_OK};
use crate::align::TermBase;
use crate::error::{Error, Result};
use crate::report::serve as json;
use crate::store::{Store, IN_MEMORY};

/// How much of the memory each worker's connection maps (SQLite's `mmap_size`): the whole
/// file up to this size is read from the OS's page cache without a copy per page.
const READ_MMAP: u64 = 4 << 30;
/// Each worker's own page cache (SQLite's `cache_size`).
const READ_CACHE: u64 = 64 << 20;

/// The environment variable giving the token writes need.
const ENV_TOKEN: &str = "PARALIGN_TOKEN";

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
    /// Allow imports (POST /api/v1/import) from clients sending `Authorization: Bearer
    /// TOKEN`; without it the server is read-only. PARALIGN_TOKEN gives it without showing it
    /// in the process list.
    #[arg(long, value_name = "TOKEN")]
    token: Option<String>,
    /// Answer at most N requests per second from one client address (a burst of N), 429 with
    /// Retry-After beyond; 0 for no limit.
    #[arg(long, value_name = "N", default_value_t = 0)]
    rate: u32,
    #[command(flatten)]
    db: DbArgs,
}

/// An answer: HTTP status, JSON body and extra headers.
#[derive(Debug, PartialEq)]
pub(super) struct Reply {
    pub status: u16,
    /// JSON text.
    pub body: String,
    /// How many results it carries (for the log).
    pub results: usize,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn ok(body: String, results: usize) -> Reply {
        Reply {
            status: 200,
            body,
            results,
            headers: Vec::new(),
        }
    }

    fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply {
            status,
            body: json::error(&message.into()),
            results: 0,
            headers: Vec::new(),
        }
    }

    fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// One request, as the routes see it.
pub(super) struct Req<'a> {
    pub method: &'a str,
    /// The path and query string.
    pub url: &'a str,
    pub body: &'a [u8],
    /// The `Authorization` header.
    pub auth: Option<&'a str>,
}

/// What every worker shares.
struct Ctx {
    terms: TermBase,
    limit: usize,
    max_body: usize,
    /// None: read-only.
    writer: Option<write::Writer>,
    rate: Option<rate::Limiter>,
    /// Imports so far; the language list is cached for the count it was read at.
    imports: AtomicU64,
    languages: Mutex<Option<(u64, String, usize)>>,
}

impl Ctx {
    /// `GET /tmserver/languages/`, read again after an import.
    fn languages(&self, store: &Store) -> Reply {
        let now = self.imports.load(Ordering::Acquire);
        let mut cache = self.languages.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, body, n)) = cache.as_ref().filter(|c| c.0 == now) {
            return Reply::ok(body.clone(), *n);
        }
        let reply = read::tm_languages(store);
        if reply.status == 200 {
            *cache = Some((now, reply.body.clone(), reply.results));
        }
        reply
    }
}

/// Answer one request (no socket: the method, the URL, the body and the token given).
fn route(ctx: &Ctx, store: &Store, req: &Req) -> Reply {
    let (path, query) = req.url.split_once('?').unwrap_or((req.url, ""));
    match (req.method, path) {
        ("GET", "/health") => Reply::ok(json::health(), 0),
        ("GET", "/tmserver/languages/" | "/tmserver/languages") => ctx.languages(store),
        ("GET", p) if p.starts_with("/tmserver/") => {
            read::tmserver(store, ctx.limit, &p["/tmserver/".len()..], query)
        }
        ("POST", "/api/v1/lookup") => read::lookup(store, &ctx.terms, ctx.limit, req.body),
        ("POST", "/api/v1/analyze") => read::analyze(store, query, req.body),
        ("GET", "/api/v1/status") => read::status(store, query),
        ("GET", "/api/v1/segments") => read::segments(store, query),
        ("POST", "/api/v1/import") => write::import(ctx.writer.as_ref(), req.auth, query, req.body),
        (_, "/api/v1/lookup" | "/api/v1/analyze" | "/api/v1/import") => {
            Reply::error(405, "method not allowed: use POST").with_header("Allow", "POST")
        }
        (_, "/api/v1/status" | "/api/v1/segments" | "/health") => {
            Reply::error(405, "method not allowed: use GET").with_header("Allow", "GET")
        }
        (_, p) if p.starts_with("/tmserver/") => {
            Reply::error(405, "method not allowed: use GET").with_header("Allow", "GET")
        }
        _ => Reply::error(404, "no such route"),
    }
}

/// One log line on stderr.
fn log(line: &str) {
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    crate::store::format_time(secs)
}

/// The answer to a request read from the socket: the rate limit, the body's size, the route.
fn answer(ctx: &Ctx, store: &Store, req: &mut tiny_http::Request, client: Option<IpAddr>) -> Reply {
    if let (Some(limiter), Some(ip)) = (&ctx.rate, client) {
        if let Err(wait) = limiter.take(ip, Instant::now()) {
            return Reply::error(429, "too many requests from this address; wait and retry")
                .with_header("Retry-After", rate::retry_after(wait).to_string());
        }
    }
    let too_large = || {
        Reply::error(
            413,
            format!(
                "the body is larger than {} bytes (--max-body)",
                ctx.max_body
            ),
        )
    };
    if req.body_length().is_some_and(|n| n > ctx.max_body) {
        return too_large();
    }
    let auth = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .map(|h| h.value.as_str().to_string());
    let method = req.method().as_str().to_string();
    let url = req.url().to_string();
    let mut body = Vec::new();
    match req
        .as_reader()
        .take(ctx.max_body as u64 + 1)
        .read_to_end(&mut body)
    {
        Ok(n) if n > ctx.max_body => too_large(),
        Ok(_) => route(
            ctx,
            store,
            &Req {
                method: &method,
                url: &url,
                body: &body,
                auth: auth.as_deref(),
            },
        ),
        Err(e) => Reply::error(400, format!("the body could not be read: {e}")),
    }
}

/// Serve requests from `server` until it stops.
fn work(server: &tiny_http::Server, store: &Store, ctx: &Ctx) {
    for mut req in server.incoming_requests() {
        let started = Instant::now();
        let method = req.method().as_str().to_string();
        let url = req.url().to_string();
        let client = req.remote_addr().map(|a| a.ip());
        let reply = answer(ctx, store, &mut req, client);
        let mut response =
            tiny_http::Response::from_data(reply.body.into_bytes()).with_status_code(reply.status);
        let headers = [(
            "Content-Type",
            "application/json; charset=utf-8".to_string(),
        )];
        for (name, value) in headers.into_iter().chain(reply.headers) {
            if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        let sent = req.respond(response);
        log(&json::request_log(&json::RequestLog {
            time: &now(),
            client: client.map(|c| c.to_string()),
            method: &method,
            route: &http::logged_route(&url),
            status: reply.status,
            results: reply.results,
            ms: started.elapsed().as_secs_f64() * 1000.0,
            sent: sent.is_ok(),
        }));
    }
}

/// The token writes need: --token, else PARALIGN_TOKEN; None: read-only.
fn token(args: &ServeArgs) -> Result<Option<String>> {
    let (token, from) = match &args.token {
        Some(t) => (Some(t.clone()), "--token"),
        None => (
            std::env::var(ENV_TOKEN).ok().filter(|v| !v.is_empty()),
            ENV_TOKEN,
        ),
    };
    match token {
        Some(t) if t.is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) => {
            Err(Error::usage(format!(
                "{from}: a token is one word of visible characters (an HTTP header carries it); generate one with `openssl rand -hex 32`"
            )))
        }
        t => Ok(t),
    }
}

/// Run the writer (when there is one) and a worker per read-only store until the server stops.
fn serve_all(
    server: &tiny_http::Server,
    ctx: &Ctx,
    stores: Vec<Store>,
    writer: Option<(Store, std::sync::mpsc::Receiver<write::Job>)>,
) {
    std::thread::scope(|scope| {
        if let Some((store, jobs)) = writer {
            scope.spawn(move || {
                let imported = || {
                    ctx.imports.fetch_add(1, Ordering::AcqRel);
                };
                let warn = |m: &str| {
                    log(&json::event(
                        &now(),
                        "writer",
                        serde_json::json!({ "error": m }),
                    ))
                };
                write::write_loop(store, jobs, &imported, &warn);
            });
        }
        for store in stores {
            scope.spawn(move || work(server, &store, ctx));
        }
    });
}

pub(super) fn run(args: ServeArgs) -> Result<i32> {
    let loc = db_location(&args.db);
    if loc.path.as_os_str() == IN_MEMORY {
        return Err(Error::usage(
            "--db: serve needs a memory on disk (`:memory:` would be empty)",
        ));
    }
    let token = token(&args)?;
    // With a token the writer's connection is opened first (making the memory when it is
    // new); either way the lookup index is brought up to date before the readers open.
    let writer_store = match &token {
        Some(_) => {
            let mut s = Store::open(&loc.path, clock()?)?;
            s.update_lookup_index()?;
            Some(s)
        }
        None => {
            drop(open_for_lookup(&args.db)?);
            None
        }
    };
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
        .map(|_| {
            let s = Store::open_read_only(Path::new(&loc.path))?;
            s.tune_reads(READ_MMAP, READ_CACHE)?;
            Ok(s)
        })
        .collect::<Result<Vec<Store>>>()?;
    // The glossary is read once; each language pair's is built at its first lookup and shared.
    let terms = match stores.first() {
        Some(s) => s.term_base()?,
        None => TermBase::default(),
    };
    let (writer, jobs) = match token.as_deref() {
        Some(t) => {
            let (w, rx) = write::Writer::new(t);
            (Some(w), Some(rx))
        }
        None => (None, None),
    };
    let ctx = Ctx {
        terms,
        limit: args.limit,
        max_body: args.max_body,
        writer,
        rate: (args.rate > 0).then(|| rate::Limiter::new(args.rate)),
        imports: AtomicU64::new(0),
        languages: Mutex::new(None),
    };
    log(&json::event(
        &now(),
        "listening",
        serde_json::json!({
            "addr": addr,
            "db": stores.first().map_or(&*loc.path, |s| s.path()).display().to_string(),
            "workers": args.workers,
            "writes": ctx.writer.is_some(),
            "rate": args.rate,
        }),
    ));
    serve_all(&server, &ctx, stores, writer_store.zip(jobs));
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(terms: TermBase) -> Ctx {
        Ctx {
            terms,
            limit: 5,
            max_body: 1000,
            writer: None,
            rate: None,
            imports: AtomicU64::new(0),
            languages: Mutex::new(None),
        }
    }

    fn get(ctx: &Ctx, store: &Store, method: &str, url: &str, body: &[u8]) -> Reply {
        route(
            ctx,
            store,
            &Req {
                method,
                url,
                body,
                auth: None,
            },
        )
    }

    #[test]
    fn the_lookup_api_lists_glossary_terms() {
        use crate::align::Concept;
        use crate::language::LangTag;
        let store = Store::open(Path::new(IN_MEMORY), crate::store::Clock::System).unwrap();
        let lang = |s: &str| LangTag::parse(s).unwrap();
        let terms = TermBase::new(vec![Concept {
            terms: vec![
                (lang("en"), "torture".into()),
                (lang("de"), "Folter".into()),
            ],
        }]);
        let body = br#"{"text": "Freedom from torture.", "from": "en", "to": "de"}"#;
        let reply = get(&ctx(terms), &store, "POST", "/api/v1/lookup", body);
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(
            reply.body,
            r#"{"version":1,"results":[{"version":1,"query":"Freedom from torture.","source_lang":"en","target_lang":"de","min_match":50,"matches":[],"sentences":[],"terms":[{"source":"torture","target":"Folter"}]}]}"#
        );
    }

    #[test]
    fn writes_are_refused_without_a_token_and_methods_are_named() {
        let store = Store::open(Path::new(IN_MEMORY), crate::store::Clock::System).unwrap();
        let c = ctx(TermBase::default());
        let r = get(&c, &store, "POST", "/api/v1/import", b"<tmx/>");
        assert_eq!(r.status, 403, "{}", r.body);
        let r = get(&c, &store, "GET", "/api/v1/import", b"");
        assert_eq!((r.status, r.headers), (405, vec![("Allow", "POST".into())]));
        let r = get(&c, &store, "POST", "/api/v1/status", b"");
        assert_eq!((r.status, r.headers), (405, vec![("Allow", "GET".into())]));
        let r = get(&c, &store, "GET", "/api/v1/segments?colour=red", b"");
        assert_eq!(r.status, 400);
        assert_eq!(
            r.body,
            r#"{"error":"unknown parameter `colour`; this route takes text, lang_pair, source_lang, target_lang, doc, min_score, flag, limit"}"#
        );
        let r = get(&c, &store, "GET", "/tmserver/languages/", b"");
        assert_eq!(
            (r.status, r.body.as_str()),
            (200, r#"{"sourceLanguages":[],"targetLanguages":[]}"#)
        );
    }
}
