//! `paralign serve` called as Weblate calls it. Weblate's tmserver machinery
//! (`weblate/machinery/tmserver.py` in WeblateOrg/weblate) requests
//! `GET {url}/{source}/{target}/unit/{quote(text[:500])}` with language codes lower-cased and
//! `-` made `_`, and reads `line["target"]`, `int(line["quality"])` and `line["source"]` from
//! the JSON list it gets back; its tests (`weblate/machinery/tests.py`) mock the answer as
//! `AMAGAMA_JSON = [{"source": "World", "quality": 80.0, "target": "Svět", "rank": 100.0}]`.
//! Weblate asks `GET {url}/languages/` for the pairs served and reads
//! `data["sourceLanguages"]` and `data["targetLanguages"]` (`download_languages` in the same
//! file; amaGama's `get_languages` in `amagama/views/api.py` answers it).
//! The server is started on a free port (127.0.0.1:0, the address read from its first log
//! line) over a memory of fixtures/statement, and stopped at the end of each test. The other
//! routes are checked against the commands they serve: the same bytes as `--format json`.

mod util;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use util::http::{quote, Conn};
use util::{paralign, Dir};

/// A running server, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    db: String,
    _dir: Dir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Server {
    start_env(extra, &[])
}

fn start_env(extra: &[&str], env: &[(&str, &str)]) -> Server {
    let dir = Dir::new();
    let db = dir.join("memory.sqlite").display().to_string();
    start_on(dir, db, extra, env)
}

/// A server on the memory `db` (fixtures/statement imported into it first).
fn start_on(dir: Dir, db: String, extra: &[&str], env: &[(&str, &str)]) -> Server {
    paralign(["import", "fixtures/statement", "--db", &db])
        .env("PARALIGN_NOW", "2024-03-14T10:00:00Z")
        .expect_code(0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_paralign"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db", &db])
        .args(extra)
        .env_remove("PARALIGN_TOKEN")
        .envs(env.iter().copied())
        .current_dir(util::root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let event: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(event["event"], "listening", "{first}");
    let addr = event["addr"].as_str().unwrap().to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    // Keep reading the log so that the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = err.read_to_string(&mut sink);
    });
    Server {
        child,
        addr,
        db,
        _dir: dir,
    }
}

/// One HTTP/1.1 request; the status and the body.
fn request(addr: &str, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let (status, _, body) = request_with(addr, method, path, &[], body);
    (status, body)
}

/// One HTTP/1.1 request with extra header lines; the status, the head and the body.
fn request_with(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[&str],
    body: &[u8],
) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..end]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + n]);
        b = &b[end + 2 + n + 2..];
    }
}

const SENTENCE: &str = "The figures tell their own story.";

#[test]
fn weblate_tmserver_request_gets_amagama_suggestions() {
    let server = start(&[]);
    // As Weblate: text[:500] with \r made a space, UTF-8, quoted; codes lower-cased with `_`.
    let text: String = SENTENCE
        .chars()
        .take(500)
        .collect::<String>()
        .replace('\r', " ");
    let path = format!(
        "/tmserver/{}/{}/unit/{}",
        quote("en"),
        quote("es"),
        quote(&text)
    );
    let (status, body) = request(&server.addr, "GET", &path, b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    assert!(!list.is_empty());
    let first = list[0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["quality", "rank", "source", "target"]);
    assert_eq!(first["source"], SENTENCE);
    assert_eq!(first["target"], "Las cifras hablan por sí solas.");
    assert_eq!(first["quality"].as_f64(), Some(100.0));
    assert!(first["rank"].is_number());
    // A number inserted: a suggestion at 95-99, as Weblate reads it (int(quality)).
    let path = format!(
        "/tmserver/en/es/unit/{}",
        quote("The figures tell their own 2 story.")
    );
    let (status, body) = request(&server.addr, "GET", &path, b"");
    assert_eq!(status, 200);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    let q = list[0]["quality"].as_f64().unwrap() as i64;
    assert!((95..=99).contains(&q), "{list:?}");
    // Nothing for a pair the memory does not hold: an empty list.
    let (status, body) = request(
        &server.addr,
        "GET",
        &format!("/tmserver/en/fr/unit/{}", quote(SENTENCE)),
        b"",
    );
    assert_eq!((status, body.as_slice()), (200, &b"[]"[..]));
    // As amaGama, nothing below 70 unless `min_similarity` asks (a match at 64 here).
    let weak = quote("The figures tell their own story today and tomorrow.");
    let (status, body) = request(
        &server.addr,
        "GET",
        &format!("/tmserver/en/es/unit/{weak}"),
        b"",
    );
    assert_eq!((status, body.as_slice()), (200, &b"[]"[..]));
    let (status, body) = request(
        &server.addr,
        "GET",
        &format!("/tmserver/en/es/unit/{weak}?min_similarity=60&max_candidates=1&style=x"),
        b"",
    );
    assert_eq!(status, 200);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["quality"].as_f64(), Some(64.0));
    assert_eq!(list[0]["source"], SENTENCE);
}

#[test]
fn json_lookup_of_many_texts_and_limits() {
    let server = start(&["--max-body", "200"]);
    let req =
        serde_json::json!({"texts": [SENTENCE, "Nothing like it."], "to": "es", "from": "en"});
    let (status, body) = request(
        &server.addr,
        "POST",
        "/api/v1/lookup",
        req.to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    // Each result is the object `lookup --format json` prints, its fields in the same order.
    let text = String::from_utf8(body.clone()).unwrap();
    assert!(
        text.starts_with(r#"{"version":1,"results":[{"version":1,"query":"The figures"#),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["results"][0]["matches"][0]["percent"], 100);
    assert_eq!(v["results"][1]["matches"], serde_json::json!([]));
    // Too large, bad JSON, writes and unknown routes are refused.
    let big = serde_json::json!({"text": "x".repeat(300), "to": "es"}).to_string();
    assert_eq!(
        request(&server.addr, "POST", "/api/v1/lookup", big.as_bytes()).0,
        413
    );
    assert_eq!(
        request(&server.addr, "POST", "/api/v1/lookup", b"{\"txt\":1}").0,
        400
    );
    assert_eq!(request(&server.addr, "POST", "/import", b"{}").0, 404);
    // Without a token at start, the server is read-only: the import route is forbidden.
    assert_eq!(
        request(&server.addr, "POST", "/api/v1/import", b"<tmx/>").0,
        403
    );
    assert_eq!(
        request(&server.addr, "DELETE", "/api/v1/lookup", b"").0,
        405
    );
    assert_eq!(request(&server.addr, "GET", "/health", b"").0, 200);
    // A body refused unread does not spoil a kept-alive connection: the next request on it
    // is answered.
    let mut conn = Conn::open(&server.addr).unwrap();
    let r = conn
        .send("POST", "/api/v1/lookup", &[], big.as_bytes())
        .unwrap();
    assert_eq!(r.status, 413);
    let r = conn.send("GET", "/health", &[], b"").unwrap();
    assert_eq!((r.status, r.text().as_str()), (200, r#"{"status":"ok"}"#));
}

/// What a command prints on standard output over the server's memory.
fn cli_json(server: &Server, args: &[&str]) -> String {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--format", "json", "--db", &server.db]);
    paralign(all).expect_code(0).stdout
}

#[test]
fn analyze_status_and_segments_answer_what_the_commands_print() {
    let server = start(&[]);
    let doc = "fixtures/statement/statement.en.txt";
    let bytes = std::fs::read(util::root().join(doc)).unwrap();
    let (status, body) = request(
        &server.addr,
        "POST",
        &format!("/api/v1/analyze?to=es,ru&name={}", quote(doc)),
        &bytes,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let expected = cli_json(&server, &["analyze", doc, "--to", "es,ru"]);
    assert_eq!(String::from_utf8(body).unwrap(), expected);
    // Status of all documents, and of one.
    let (status, body) = request(&server.addr, "GET", "/api/v1/status", b"");
    assert_eq!(status, 200);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        cli_json(&server, &["status"])
    );
    let (status, body) = request(&server.addr, "GET", "/api/v1/status?doc=statement", b"");
    assert_eq!(status, 200);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        cli_json(&server, &["status", "statement"])
    );
    let (status, body) = request(&server.addr, "GET", "/api/v1/status?doc=nothing", b"");
    assert_eq!(status, 404, "{}", String::from_utf8_lossy(&body));
    // Segments: the flags as parameters, as written on the command line or with `_`.
    let (status, body) = request(
        &server.addr,
        "GET",
        "/api/v1/segments?lang-pair=en%3Aes&text=figures&limit=0",
        b"",
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let expected = cli_json(
        &server,
        &[
            "segments",
            "figures",
            "--lang-pair",
            "en:es",
            "--limit",
            "0",
        ],
    );
    assert_eq!(String::from_utf8(body).unwrap(), expected);
    let (status, body) = request(&server.addr, "GET", "/api/v1/segments?limit=2", b"");
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["segments"].as_array().unwrap().len(), 2);
    // Bad parameters are the flags' errors, as 400.
    for bad in [
        "/api/v1/segments?min_score=2",
        "/api/v1/segments?flag=purple",
        "/api/v1/segments?lang_pair=en&source_lang=en",
        "/api/v1/analyze?from=en",
    ] {
        let method = if bad.contains("analyze") {
            "POST"
        } else {
            "GET"
        };
        assert_eq!(request(&server.addr, method, bad, b"x").0, 400, "{bad}");
    }
}

#[test]
fn weblate_languages_request_lists_the_pairs() {
    let server = start(&[]);
    let (status, body) = request(&server.addr, "GET", "/tmserver/languages/", b"");
    assert_eq!(status, 200);
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"sourceLanguages":["en"],"targetLanguages":["es","ru"]}"#
    );
}

const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="paragraph" adminlang="en" creationtool="test" creationtoolversion="1" o-tmf="test"/><body>
<tu><tuv xml:lang="en"><seg>The river rose overnight.</seg></tuv><tuv xml:lang="fr"><seg>La rivière a monté pendant la nuit.</seg></tuv></tu>
</body></tmx>"#;

#[test]
fn imports_need_the_token_and_are_looked_up_at_once() {
    let server = start_env(&[], &[("PARALIGN_TOKEN", "t0ken-for-tests")]);
    let path = "/api/v1/import?doc=river";
    let (status, head, _) = request_with(&server.addr, "POST", path, &[], TMX.as_bytes());
    assert_eq!(status, 401);
    assert!(head.contains("WWW-Authenticate: Bearer"), "{head}");
    let wrong = ["Authorization: Bearer t0ken-for-tesT"];
    assert_eq!(
        request_with(&server.addr, "POST", path, &wrong, TMX.as_bytes()).0,
        401
    );
    let auth = ["Authorization: Bearer t0ken-for-tests"];
    let (status, _, body) = request_with(&server.addr, "POST", path, &auth, b"<tmx><body>");
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    let (status, _, body) = request_with(&server.addr, "POST", path, &auth, TMX.as_bytes());
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"version":1,"units":1,"added":1,"existing":0,"documents_created":1,"langs":["en","fr"]}"#
    );
    // The next lookup finds it, and the language list has the new pair.
    let (status, body) = request(
        &server.addr,
        "GET",
        &format!(
            "/tmserver/en/fr/unit/{}",
            quote("The river rose overnight.")
        ),
        b"",
    );
    assert_eq!(status, 200);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    assert_eq!(list[0]["target"], "La rivière a monté pendant la nuit.");
    let (_, body) = request(&server.addr, "GET", "/tmserver/languages/", b"");
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"sourceLanguages":["en"],"targetLanguages":["es","fr","ru"]}"#
    );
    // The same file again adds nothing.
    let (_, _, body) = request_with(&server.addr, "POST", path, &auth, TMX.as_bytes());
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"version":1,"units":1,"added":0,"existing":1,"documents_created":0,"langs":["en","fr"]}"#
    );
}

#[test]
fn a_token_that_cannot_be_a_header_is_refused_at_start() {
    let dir = Dir::new();
    let db = dir.join("memory.sqlite").display().to_string();
    let out = paralign(["serve", "--db", &db, "--token", "two words"]).expect_code(2);
    assert!(
        out.stderr.contains("--token: a token is one word"),
        "{}",
        out.stderr
    );
}

#[test]
fn requests_beyond_the_rate_get_429_and_retry_after() {
    // One a second, a burst of one: the second request within the second is refused (a
    // limit this low keeps the test exact unless three requests take a second).
    let server = start(&["--rate", "1"]);
    let codes: Vec<u16> = (0..2)
        .map(|_| request(&server.addr, "GET", "/health", b"").0)
        .collect();
    assert_eq!(codes, [200, 429]);
    let (status, head, body) = request_with(&server.addr, "GET", "/health", &[], b"");
    assert_eq!(status, 429);
    assert!(head.contains("Retry-After: 1"), "{head}");
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"error":"too many requests from this address; wait and retry"}"#
    );
}

/// A TMX file of `units` units, each a source and translation no other call makes.
fn tmx(writer: usize, doc: usize, units: usize) -> String {
    let tus: String = (0..units)
        .map(|u| {
            format!(
                "<tu><tuv xml:lang=\"en\"><seg>Writer {writer} wrote unit {u} of document {doc} today.</seg></tuv><tuv xml:lang=\"de\"><seg>Schreiber {writer} schrieb heute Einheit {u} von Dokument {doc}.</seg></tuv></tu>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"en\" datatype=\"plaintext\" segtype=\"sentence\" adminlang=\"en\" creationtool=\"t\" creationtoolversion=\"1\" o-tmf=\"t\"/><body>{tus}</body></tmx>"
    )
}

/// The totals of the memory as the commands see them: (documents, segments).
fn totals(db: &str) -> (u64, u64) {
    let status = paralign(["status", "--format", "json", "--db", db]).expect_code(0);
    let segments =
        paralign(["segments", "--limit", "1", "--format", "json", "--db", db]).expect_code(0);
    (
        status.json()["totals"]["documents"].as_u64().unwrap(),
        segments.json()["total"].as_u64().unwrap(),
    )
}

/// Writers importing different documents while 16 readers look up, through one serve process,
/// the single writer of the SQLite memory: every answer is 200 and every row posted is there.
/// `SERVE_SECONDS` sets how long (3 by default; the figures in the README are of 60).
#[test]
fn concurrent_imports_and_lookups_lose_nothing() {
    const WRITERS: usize = 4;
    const READERS: usize = 16;
    const UNITS: usize = 5;
    let seconds: u64 = std::env::var("SERVE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let server = start(&["--token", "concurrency-t0ken", "--workers", "2"]);
    let before = totals(&server.db);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let addr = server.addr.as_str();
    let (posts, lookups, failures, slowest) = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                scope.spawn(move || {
                    let mut conn = Conn::open(addr).unwrap();
                    let auth = ["Authorization: Bearer concurrency-t0ken"];
                    let (mut posts, mut failures) = (0usize, Vec::new());
                    while std::time::Instant::now() < until {
                        let path = format!("/api/v1/import?doc=w{w}-d{posts}");
                        let body = tmx(w, posts, UNITS);
                        match conn.send("POST", &path, &auth, body.as_bytes()) {
                            Ok(r) if r.status == 200 && r.text().contains("\"added\":5,") => {}
                            Ok(r) => failures.push(format!("{path}: {} {}", r.status, r.text())),
                            Err(e) => failures.push(format!("{path}: {e}")),
                        }
                        posts += 1;
                    }
                    (posts, failures)
                })
            })
            .collect();
        let readers: Vec<_> = (0..READERS)
            .map(|k| {
                scope.spawn(move || {
                    let mut conn = Conn::open(addr).unwrap();
                    let path = format!("/tmserver/en/es/unit/{}", quote(SENTENCE));
                    let (mut n, mut failures) = (0usize, Vec::new());
                    let mut slowest = std::time::Duration::ZERO;
                    while std::time::Instant::now() < until {
                        let asked = std::time::Instant::now();
                        let r = if k % 2 == 0 {
                            conn.send("GET", &path, &[], b"")
                        } else {
                            let body = format!("{{\"text\": \"Writer {k} wrote unit 1 of document 2 today.\", \"to\": \"de\"}}");
                            conn.send("POST", "/api/v1/lookup", &[], body.as_bytes())
                        };
                        match r {
                            Ok(r) if r.status == 200 => {
                                if k % 2 == 0 && !r.text().contains("Las cifras hablan por sí solas.") {
                                    failures.push(format!("reader {k}: {}", r.text()));
                                }
                            }
                            Ok(r) => failures.push(format!("reader {k}: {} {}", r.status, r.text())),
                            Err(e) => failures.push(format!("reader {k}: {e}")),
                        }
                        slowest = slowest.max(asked.elapsed());
                        n += 1;
                    }
                    (n, failures, slowest)
                })
            })
            .collect();
        let mut failures = Vec::new();
        let mut posts = 0;
        for h in writers {
            let (n, f) = h.join().unwrap();
            posts += n;
            failures.extend(f);
        }
        let (mut lookups, mut slowest) = (0, std::time::Duration::ZERO);
        for h in readers {
            let (n, f, s) = h.join().unwrap();
            lookups += n;
            failures.extend(f);
            slowest = slowest.max(s);
        }
        (posts, lookups, failures, slowest)
    });
    eprintln!(
        "{seconds} s: {posts} imports ({} segments) by {WRITERS} writers, {lookups} lookups by {READERS} readers ({:.0}/s, the slowest {slowest:.0?}), {} failures",
        posts * UNITS,
        lookups as f64 / seconds as f64,
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(posts >= WRITERS && lookups >= READERS, "{posts} {lookups}");
    let expected = (before.0 + posts as u64, before.1 + (posts * UNITS) as u64);
    assert_eq!(totals(&server.db), expected);
    // The server's own status route agrees.
    let mut conn = Conn::open(&server.addr).unwrap();
    let r = conn.send("GET", "/api/v1/status", &[], b"").unwrap();
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["totals"]["documents"].as_u64(), Some(expected.0));
}

/// A burst of kept-alive connections is answered, every one, while all stay open (tiny_http
/// 0.12's pool queued some behind the others until one closed: vendor/tiny_http/README.md).
#[test]
fn a_burst_of_kept_alive_connections_is_answered_while_all_stay_open() {
    let server = start(&[]);
    let conns: Vec<Conn> = (0..24).map(|_| Conn::open(&server.addr).unwrap()).collect();
    let all_answered = std::sync::Barrier::new(conns.len());
    let answered: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = conns
            .into_iter()
            .map(|mut c| {
                let all_answered = &all_answered;
                scope.spawn(move || {
                    c.set_timeout(std::time::Duration::from_secs(10)).unwrap();
                    let ok = c
                        .send("GET", "/health", &[], b"")
                        .is_ok_and(|r| r.status == 200);
                    // Keep the connection open until every one has had its answer.
                    all_answered.wait();
                    ok
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(answered, vec![true; 24]);
}

#[test]
fn a_postgres_memory_is_served_as_a_sqlite_one() {
    let sqlite = start(&[]);
    let pg = start_on(Dir::new(), util::pg::fresh_db(), &[], &[]);
    let doc = "fixtures/statement/statement.en.txt";
    let bytes = std::fs::read(util::root().join(doc)).unwrap();
    let lookup = format!(
        "{{\"texts\":[\"{SENTENCE}\",\"The figures tell their own 2 story.\"],\"to\":\"es\"}}"
    );
    let asks: [(&str, String, &[u8]); 6] = [
        (
            "GET",
            format!("/tmserver/en/es/unit/{}", quote(SENTENCE)),
            b"",
        ),
        ("GET", "/tmserver/languages/".to_string(), b""),
        ("POST", "/api/v1/lookup".to_string(), lookup.as_bytes()),
        (
            "POST",
            format!("/api/v1/analyze?to=es,ru&name={}", quote(doc)),
            &bytes,
        ),
        ("GET", "/api/v1/status?doc=statement".to_string(), b""),
        (
            "GET",
            "/api/v1/segments?lang-pair=en%3Aes&limit=3".to_string(),
            b"",
        ),
    ];
    for (method, path, body) in asks {
        let want = request(&sqlite.addr, method, &path, body);
        let got = request(&pg.addr, method, &path, body);
        assert_eq!(want.0, 200, "{path}: {}", String::from_utf8_lossy(&want.1));
        assert_eq!(
            String::from_utf8_lossy(&want.1),
            String::from_utf8_lossy(&got.1),
            "{path}"
        );
    }
}
