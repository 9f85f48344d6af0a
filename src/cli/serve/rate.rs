//! `serve --rate N`: at most N requests per second from each client address, as a token bucket
//! per address (a burst of N, refilled at N per second). A request beyond it is answered 429
//! with how long to wait. No socket, no clock of its own: the time is given.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Buckets kept before the full ones (clients quiet for a second) are dropped.
const KEPT: usize = 10_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets of every client address.
pub(super) struct Limiter {
    rate: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl Limiter {
    /// A limit of `per_second` requests per second and address (at least 1).
    pub(super) fn new(per_second: u32) -> Limiter {
        Limiter {
            rate: f64::from(per_second.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take one request's token for `client` at `now`; when none is left, how long until one
    /// is.
    pub(super) fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut map = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if map.len() >= KEPT {
            let rate = self.rate;
            map.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * rate < rate
            });
        }
        let b = map.entry(client).or_insert(Bucket {
            tokens: self.rate,
            at: now,
        });
        let elapsed = now.saturating_duration_since(b.at).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(self.rate);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / self.rate))
        }
    }
}

/// A wait as the whole seconds of `Retry-After` (at least 1).
pub(super) fn retry_after(wait: Duration) -> u64 {
    wait.as_secs_f64().ceil().max(1.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_n_then_n_per_second_per_address() {
        let l = Limiter::new(2);
        let t0 = Instant::now();
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "::1".parse().unwrap();
        assert_eq!(l.take(a, t0), Ok(()));
        assert_eq!(l.take(a, t0), Ok(()));
        assert_eq!(l.take(a, t0), Err(Duration::from_millis(500)));
        // Another address has its own bucket.
        assert_eq!(l.take(b, t0), Ok(()));
        // Half a second later one token is back, and only one.
        let t1 = t0 + Duration::from_millis(500);
        assert_eq!(l.take(a, t1), Ok(()));
        assert!(l.take(a, t1).is_err());
        // A long pause refills the bucket to the burst, not beyond.
        let t2 = t1 + Duration::from_secs(60);
        assert_eq!(l.take(a, t2), Ok(()));
        assert_eq!(l.take(a, t2), Ok(()));
        assert!(l.take(a, t2).is_err());
        assert_eq!(retry_after(Duration::from_millis(500)), 1);
        assert_eq!(retry_after(Duration::from_millis(1500)), 2);
    }
}
