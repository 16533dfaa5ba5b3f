//! Client-side pacing: a token bucket per Connect API, shared by every
//! request in the process, so the handler does not spend its own quota on
//! calls Connect would throttle. A call that would wait longer than the
//! budget is not sent: the client is told to come back instead.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use scim_core::{DirectoryError, DirectoryResult};

/// Pace per API: `rate` calls per second, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Calls per second; `0` turns pacing off.
    pub rate: f64,
    /// Bucket size.
    pub burst: f64,
    /// Longest a call may wait for its turn.
    pub max_wait: Duration,
}

impl Pace {
    /// Connect's default quota for the user-management APIs: 2 RPS, burst 5.
    pub const CONNECT_DEFAULT: Pace = Pace {
        rate: 2.0,
        burst: 5.0,
        max_wait: Duration::from_secs(10),
    };
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

#[derive(Debug)]
pub(crate) struct Limiter {
    pace: Pace,
    buckets: Mutex<HashMap<&'static str, Bucket>>,
}

impl Limiter {
    pub(crate) fn new(pace: Pace) -> Self {
        Self {
            pace,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// How long `operation` must wait for its turn; the turn is reserved.
    fn reserve(&self, operation: &'static str) -> DirectoryResult<Duration> {
        let Pace {
            rate,
            burst: _,
            max_wait,
        } = self.pace;
        if rate <= 0.0 {
            return Ok(Duration::ZERO);
        }
        let mut buckets = self
            .buckets
            .lock()
            .map_err(|_| DirectoryError::Internal("limiter poisoned".into()))?;
        let bucket = refilled(&mut buckets, operation, self.pace);
        // Tokens may go negative: each waiter owns the slot it reserved.
        let wait = Duration::from_secs_f64(((1.0 - bucket.tokens) / rate).max(0.0));
        if wait > max_wait {
            return Err(DirectoryError::Throttled { retry_after: wait });
        }
        bucket.tokens -= 1.0;
        Ok(wait)
    }

    /// Takes a turn for an attempt already on its way (an SDK retry), without
    /// waiting: the bucket may go into debt, which the calls after it wait
    /// out (or are refused for, past the budget) as Connect's quota would.
    pub(crate) fn charge(&self, operation: &'static str) {
        if self.pace.rate <= 0.0 {
            return;
        }
        // A poisoned lock is a panic elsewhere; pacing is not worth another.
        if let Ok(mut buckets) = self.buckets.lock() {
            let bucket = refilled(&mut buckets, operation, self.pace);
            bucket.tokens -= 1.0;
        }
    }

    /// Waits for a turn to call `operation`.
    pub(crate) async fn acquire(&self, operation: &'static str) -> DirectoryResult<()> {
        let wait = self.reserve(operation)?;
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }
}

/// `operation`'s bucket, refilled for the time since it was last used.
fn refilled<'a>(
    buckets: &'a mut HashMap<&'static str, Bucket>,
    operation: &'static str,
    pace: Pace,
) -> &'a mut Bucket {
    let now = Instant::now();
    let bucket = buckets.entry(operation).or_insert(Bucket {
        tokens: pace.burst,
        at: now,
    });
    bucket.tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * pace.rate).min(pace.burst);
    bucket.at = now;
    bucket
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_paced_then_refused() {
        let limiter = Limiter::new(Pace {
            rate: 2.0,
            burst: 2.0,
            max_wait: Duration::from_secs(1),
        });
        assert_eq!(limiter.reserve("A").unwrap(), Duration::ZERO);
        assert_eq!(limiter.reserve("A").unwrap(), Duration::ZERO);
        let third = limiter.reserve("A").unwrap();
        assert!(
            third > Duration::from_millis(400) && third <= Duration::from_millis(500),
            "{third:?}"
        );
        let fourth = limiter.reserve("A").unwrap();
        assert!(fourth > Duration::from_millis(900), "{fourth:?}");
        assert!(matches!(
            limiter.reserve("A"),
            Err(DirectoryError::Throttled { .. })
        ));
        assert_eq!(
            limiter.reserve("B").unwrap(),
            Duration::ZERO,
            "each API has its own bucket"
        );
    }

    #[test]
    fn rate_zero_is_off() {
        let limiter = Limiter::new(Pace {
            rate: 0.0,
            ..Pace::CONNECT_DEFAULT
        });
        for _ in 0..100 {
            assert_eq!(limiter.reserve("A").unwrap(), Duration::ZERO);
        }
    }

    #[test]
    fn a_charged_retry_is_waited_out_by_the_next_call() {
        let limiter = Limiter::new(Pace {
            rate: 2.0,
            burst: 2.0,
            max_wait: Duration::from_secs(1),
        });
        assert_eq!(limiter.reserve("A").unwrap(), Duration::ZERO);
        limiter.charge("A");
        limiter.charge("A");
        let next = limiter.reserve("A").unwrap();
        assert!(
            next > Duration::from_millis(900) && next <= Duration::from_secs(1),
            "two retries put the next call a second back: {next:?}"
        );
        limiter.charge("A");
        assert!(
            matches!(limiter.reserve("A"), Err(DirectoryError::Throttled { .. })),
            "past the budget the next call is refused"
        );
        let off = Limiter::new(Pace {
            rate: 0.0,
            ..Pace::CONNECT_DEFAULT
        });
        off.charge("A");
        assert_eq!(off.reserve("A").unwrap(), Duration::ZERO);
    }
}
