//! Threading helpers of the exchange commands: reading a file ahead of the store on another
//! thread ([`ReadAhead`]), and handing items to a writer on another thread ([`write_behind`]).

use crate::error::Error;
/// Run an iterator on another thread, up to `depth` items ahead of its consumer, so that
/// reading a file overlaps with storing what it holds. Items arrive in order; [`finish`]
/// gives the iterator back (for its statistics) once the consumer is done or has stopped.
///
/// [`finish`]: ReadAhead::finish
pub struct ReadAhead<I: Iterator> {
    rx: std::sync::mpsc::Receiver<Vec<I::Item>>,
    handle: std::thread::JoinHandle<I>,
    batch: std::vec::IntoIter<I::Item>,
}

/// Items travel between the threads in batches of this many (one wake-up each, not one per
/// item).
const READ_AHEAD_BATCH: usize = 512;

impl<I> ReadAhead<I>
where
    I: Iterator + Send + 'static,
    I::Item: Send + 'static,
{
    /// Start reading `source` ahead, up to `depth` items.
    pub fn new(mut source: I, depth: usize) -> ReadAhead<I> {
        let (tx, rx) = std::sync::mpsc::sync_channel(depth.div_ceil(READ_AHEAD_BATCH).max(1));
        let handle = std::thread::spawn(move || {
            loop {
                let batch: Vec<I::Item> = source.by_ref().take(READ_AHEAD_BATCH).collect();
                let last = batch.len() < READ_AHEAD_BATCH;
                if (!batch.is_empty() && tx.send(batch).is_err()) || last {
                    break; // done, or the consumer stopped
                }
            }
            source
        });
        ReadAhead {
            rx,
            handle,
            batch: Vec::new().into_iter(),
        }
    }

    /// Stop reading and give the iterator back.
    pub fn finish(self) -> I {
        let ReadAhead { rx, handle, .. } = self;
        drop(rx);
        handle
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    }
}

impl<I: Iterator> Iterator for ReadAhead<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        loop {
            if let Some(item) = self.batch.next() {
                return Some(item);
            }
            self.batch = self.rx.recv().ok()?.into_iter();
        }
    }
}

/// Items travel from [`write_behind`]'s producer to its consumer in batches of this many.
pub(super) const WRITE_BEHIND_BATCH: usize = 256;

/// Run `consume` on another thread while `produce` makes its items on this one: an export
/// formats and writes units while the memory is still being read. `produce` hands each item
/// to the function it is given, in order; `consume` takes them as an iterator and its result
/// is returned. The first error wins: when the consumer stops (a full disk, a closed pipe),
/// the producer's next hand-over fails and the consumer's error is returned; when the
/// producer fails, the consumer's items end early and the producer's error is returned.
pub fn write_behind<T, R>(
    produce: impl FnOnce(&mut dyn FnMut(T) -> crate::Result<()>) -> crate::Result<()>,
    consume: impl FnOnce(&mut dyn Iterator<Item = T>) -> crate::Result<R> + Send,
) -> crate::Result<R>
where
    T: Send,
    R: Send,
{
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<T>>(8);
    std::thread::scope(|s| {
        let worker = s.spawn(move || consume(&mut rx.into_iter().flatten()));
        let mut batch = Vec::with_capacity(WRITE_BEHIND_BATCH);
        let produced = produce(&mut |item| {
            batch.push(item);
            if batch.len() == WRITE_BEHIND_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(WRITE_BEHIND_BATCH));
                // A closed channel: the consumer has stopped, and says why below.
                tx.send(full)
                    .map_err(|_| Error::input("the writer stopped"))?;
            }
            Ok(())
        });
        if produced.is_ok() && !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        let consumed = worker
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        match (produced, consumed) {
            (_, Err(e)) | (Err(e), Ok(_)) => Err(e),
            (Ok(()), Ok(r)) => Ok(r),
        }
    })
}
