//! The lookup index of a bulk load, made beside it: a thread of its own gathers the posting
//! lists of the source texts the load hands it ([`Postings`]) and encodes them for `COPY`,
//! while the load's thread finds text ids and has the server write texts and segments; the
//! load copies the encoded pieces as they come back, on its one connection. Nothing here
//! touches the database.
//!
//! A bulk load spent half of its client time on the posting lists, and waited for the server
//! at each `COPY` meanwhile; on two cores the two now overlap. The texts go over a channel of
//! [`AHEAD`] batches, so a load that outruns the thread waits for it rather than holding every
//! text in memory; the pieces come back over an unbounded one (the load takes them after each
//! batch), so the thread never waits for the load and the two cannot block each other.

use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::postings::{Postings, HELD};

/// Batches of texts handed over and not yet indexed, at most.
const AHEAD: usize = 2;

/// What the load tells the thread.
enum Msg {
    /// Source texts to index: (text id, body).
    Texts(Vec<(i64, String)>),
    /// No more texts: encode what waits, then stop.
    Finish,
}

/// The thread that indexes a bulk load's source texts (or, if no thread could be started,
/// the load's own thread).
pub(super) struct Indexer {
    to: Option<SyncSender<Msg>>,
    from: Receiver<Vec<u8>>,
    worker: Option<JoinHandle<()>>,
    here: Postings,
    pieces: Vec<Vec<u8>>,
}

impl Indexer {
    /// Start the thread.
    pub(super) fn start() -> Indexer {
        let (to, inbox) = sync_channel::<Msg>(AHEAD);
        let (outbox, from) = channel::<Vec<u8>>();
        let worker = std::thread::Builder::new()
            .name("paralign-pg-index".into())
            .spawn(move || {
                let mut postings = Postings::default();
                // A failed send means the load gave up: the pieces are not wanted.
                let mut send = |piece: Vec<u8>| {
                    let _ = outbox.send(piece);
                };
                while let Ok(msg) = inbox.recv() {
                    match msg {
                        Msg::Texts(texts) => {
                            for (id, body) in &texts {
                                postings.add(*id, body);
                            }
                            if postings.held() >= HELD {
                                postings.encode(&mut send);
                            }
                        }
                        Msg::Finish => {
                            postings.encode(&mut send);
                            return;
                        }
                    }
                }
            })
            .ok();
        Indexer {
            to: Some(to),
            from,
            worker,
            here: Postings::default(),
            pieces: Vec::new(),
        }
    }

    /// Hand over source texts (waiting while the thread is [`AHEAD`] batches behind).
    pub(super) fn add(&mut self, texts: Vec<(i64, String)>) {
        if texts.is_empty() {
            return;
        }
        // Fails only when no thread took the other end: then the texts are indexed here.
        let msg = match &self.to {
            Some(to) => match to.send(Msg::Texts(texts)) {
                Ok(()) => return,
                Err(e) => e.0,
            },
            None => Msg::Texts(texts),
        };
        if let Msg::Texts(texts) = msg {
            for (id, body) in &texts {
                self.here.add(*id, body);
            }
            if self.here.held() >= HELD {
                let pieces = &mut self.pieces;
                self.here.encode(&mut |p| pieces.push(p));
            }
        }
    }

    /// The pieces encoded so far, for `COPY` (see [`Postings::encode`]).
    pub(super) fn ready(&mut self) -> Vec<Vec<u8>> {
        let mut out = std::mem::take(&mut self.pieces);
        out.extend(self.from.try_iter());
        out
    }

    /// Tell the thread that no text comes any more and wait for it; the pieces not yet
    /// taken. A panic of the thread goes on here.
    pub(super) fn finish(mut self) -> Vec<Vec<u8>> {
        if let Some(to) = self.to.take() {
            let _ = to.send(Msg::Finish);
        }
        if let Some(worker) = self.worker.take() {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        let pieces = &mut self.pieces;
        self.here.encode(&mut |p| pieces.push(p));
        self.ready()
    }
}

impl Drop for Indexer {
    /// A load that failed: the thread stops at its next batch and is waited for.
    fn drop(&mut self) {
        self.to.take();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
