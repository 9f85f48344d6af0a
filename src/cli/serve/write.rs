//! `serve`'s one write route, `POST /api/v1/import`, and the single writer behind it. Writes
//! are allowed only when serve was started with a token (`--token`, `PARALIGN_TOKEN`), given
//! by the client as `Authorization: Bearer TOKEN` and compared in constant time (the SHA-256
//! digests of both, so neither the place of the first difference nor the length shows in the
//! time taken). The body is a TMX file, as `import-tmx` takes it; a worker parses it whole
//! (a malformed file writes nothing), then hands the units to the one writer thread, which
//! owns the only read-write connection and stores one import after another, each in its own
//! transaction, bringing the lookup index up to date after each. Readers keep their own
//! read-only connections (WAL): an import never blocks a lookup, and a lookup sees an import
//! whole or not at all. The word models are trained when the writer has been idle a second.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::read::{param, params_of};
use super::Reply;
use crate::error::{Error, Result};
use crate::exchange::{read_tmx, Limits, MergeReport, ReadOptions, Unit};
use crate::report::serve as json;
use crate::store::Store;

/// How long the writer waits without an import before training the word models.
const IDLE: Duration = Duration::from_secs(1);

/// The token writes need, kept as its digest.
pub(super) struct Token([u8; 32]);

impl Token {
    pub(super) fn new(token: &str) -> Token {
        Token(Sha256::digest(token.as_bytes()).into())
    }

    /// Whether an `Authorization` header carries the token (`Bearer TOKEN`, the scheme in any
    /// case), in time that does not depend on the token.
    pub(super) fn admits(&self, header: Option<&str>) -> bool {
        let given = header
            .and_then(|h| h.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim());
        let digest: [u8; 32] = Sha256::digest(given.unwrap_or("").as_bytes()).into();
        let diff = digest
            .iter()
            .zip(self.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        given.is_some() & (diff == 0)
    }
}

/// One import for the writer: the units, the document of those that name none, and where
/// to send what was stored.
pub(super) struct Job {
    units: Vec<Unit>,
    doc: String,
    reply: Sender<Result<MergeReport>>,
}

/// The workers' side of the writer.
pub(super) struct Writer {
    pub token: Token,
    jobs: Sender<Job>,
}

impl Writer {
    /// A writer taking the token, and the receiving end its thread runs [`write_loop`] on.
    pub(super) fn new(token: &str) -> (Writer, Receiver<Job>) {
        let (jobs, rx) = mpsc::channel();
        (
            Writer {
                token: Token::new(token),
                jobs,
            },
            rx,
        )
    }

    /// Store units through the writer thread; returns once they are committed.
    fn submit(&self, units: Vec<Unit>, doc: String) -> Result<MergeReport> {
        let (reply, answer) = mpsc::channel();
        let stopped = || Error::input("the memory's writer has stopped; restart serve");
        self.jobs
            .send(Job { units, doc, reply })
            .map_err(|_| stopped())?;
        answer.recv().map_err(|_| stopped())?
    }
}

/// The writer thread: store each import as it comes, in its own transaction, then bring the
/// lookup index up to date; `imported` is called after each commit. Train the word models
/// when a second passes without an import. Ends when every worker is gone.
pub(super) fn write_loop(
    mut store: Store,
    jobs: Receiver<Job>,
    imported: &dyn Fn(),
    log: &dyn Fn(&str),
) {
    let mut untrained = false;
    loop {
        match jobs.recv_timeout(IDLE) {
            Ok(job) => {
                let mut units = job.units.into_iter().map(Ok);
                let done = store
                    .merge_units("tmx", &job.doc, &mut units)
                    .and_then(|r| store.update_lookup_index().map(|_| r));
                if done.is_ok() {
                    untrained = true;
                    imported();
                }
                let _ = job.reply.send(done);
            }
            Err(RecvTimeoutError::Timeout) if untrained => {
                untrained = false;
                if let Err(e) = store.train_word_models() {
                    log(&format!("the word models could not be trained: {e}"));
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// `POST /api/v1/import[?doc=NAME][&source_lang=LANG]`: the body is a TMX file (UTF-8 or
/// UTF-16); `doc` names the document of units without an `x-document` property (`import` by
/// default), `source_lang` the source of a file whose header says `*all*`.
pub(super) fn import(
    writer: Option<&Writer>,
    auth: Option<&str>,
    query: &str,
    body: &[u8],
) -> Reply {
    let Some(writer) = writer else {
        return Reply::error(
            403,
            "this server is read-only: start serve with --token TOKEN (or PARALIGN_TOKEN) to allow imports",
        );
    };
    if !writer.token.admits(auth) {
        return Reply::error(
            401,
            "give the token serve was started with: Authorization: Bearer TOKEN",
        )
        .with_header("WWW-Authenticate", "Bearer");
    }
    let params = match params_of(query, &["doc", "source_lang"]) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let doc = param(&params, "doc").unwrap_or("import").to_string();
    if doc.trim().is_empty() {
        return Reply::error(400, "doc: name a document");
    }
    let source_lang = match super::super::lang_flag(param(&params, "source_lang"), "source_lang") {
        Ok(l) => l.map(|t| t.as_str().to_string()),
        Err(e) => return Reply::error(400, e.to_string()),
    };
    let opts = ReadOptions {
        source_lang,
        limits: Limits::default(),
    };
    let units = read_tmx(body, opts).and_then(|r| r.collect::<Result<Vec<Unit>>>());
    let units = match units {
        Ok(u) => u,
        Err(e) => {
            return Reply::error(
                400,
                format!("the body is not a TMX file that can be read: {e}"),
            )
        }
    };
    match writer.submit(units, doc) {
        Ok(report) => Reply::ok(json::import(&report), report.added),
        Err(e) => Reply::error(500, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_bearer_of_the_token_is_admitted() {
        let t = Token::new("s3cret-token");
        assert!(t.admits(Some("Bearer s3cret-token")));
        assert!(t.admits(Some("bearer  s3cret-token ")));
        assert!(!t.admits(Some("Bearer s3cret-tokem")));
        assert!(!t.admits(Some("Bearer s3cret-token2")));
        assert!(!t.admits(Some("Basic s3cret-token")));
        assert!(!t.admits(Some("s3cret-token")));
        assert!(!t.admits(None));
        // An empty token given is not an empty token matched.
        assert!(!Token::new("").admits(None));
        assert!(!Token::new("x").admits(Some("Bearer ")));
    }
}
