//! What every API call passes before it reaches the state: the call counter,
//! the per-API token bucket, and injected faults and latency.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;

use crate::config::{Faults, Quota};
use crate::error::ConnectError;

/// Counts for one API, as `GET /_sim/stats` shows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OpStats {
    /// Every call, throttled and failed ones included.
    pub calls: u64,
    /// Calls answered 429 ThrottlingException.
    pub throttled: u64,
    /// Calls answered 500 InternalServiceException by fault injection.
    pub faulted: u64,
}

/// The body of `GET /_sim/stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Counts by Connect operation name (`CreateUser`, `SearchUsers`, …).
    pub operations: BTreeMap<String, OpStats>,
}

impl Stats {
    /// Calls made to `operation` (0 when never called).
    pub fn calls(&self, operation: &str) -> u64 {
        self.operations.get(operation).map_or(0, |s| s.calls)
    }

    /// Calls of every operation.
    pub fn total_calls(&self) -> u64 {
        self.operations.values().map(|s| s.calls).sum()
    }

    /// What happened between `earlier` and `self`, per operation.
    pub fn since(&self, earlier: &Stats) -> Stats {
        let operations = self
            .operations
            .iter()
            .filter_map(|(op, now)| {
                let before = earlier.operations.get(op).copied().unwrap_or_default();
                let delta = OpStats {
                    calls: now.calls - before.calls,
                    throttled: now.throttled - before.throttled,
                    faulted: now.faulted - before.faulted,
                };
                (delta.calls > 0).then(|| (op.clone(), delta))
            })
            .collect();
        Stats { operations }
    }
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

#[derive(Debug)]
struct GateState {
    quota: Quota,
    faults: Faults,
    buckets: BTreeMap<&'static str, Bucket>,
    stats: Stats,
    dice: u64,
}

/// Admission control shared by all requests of one simulator.
#[derive(Debug)]
pub(crate) struct Gate {
    state: Mutex<GateState>,
}

impl Gate {
    pub(crate) fn new(quota: Quota, faults: Faults) -> Self {
        Self {
            state: Mutex::new(GateState {
                quota,
                faults,
                buckets: BTreeMap::new(),
                stats: Stats::default(),
                // xorshift must not start at zero.
                dice: faults.seed | 1,
            }),
        }
    }

    /// Counts the call, then applies latency, the quota and fault injection,
    /// in the order a client sees them.
    pub(crate) async fn admit(&self, operation: &'static str) -> Result<(), ConnectError> {
        let latency = self.lock().faults.latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let mut state = self.lock();
        let quota = state.quota;
        let throttled = quota.rate > 0.0 && !take_token(&mut state.buckets, operation, quota);
        let faulted = !throttled && roll(&mut state.dice) < state.faults.error_rate;
        let entry = state.stats.operations.entry(operation.to_owned()).or_default();
        entry.calls += 1;
        if throttled {
            entry.throttled += 1;
            return Err(ConnectError::Throttling("Rate exceeded".to_owned()));
        }
        if faulted {
            entry.faulted += 1;
            return Err(ConnectError::InternalService(
                "Request processing failed (injected by the simulator)".to_owned(),
            ));
        }
        Ok(())
    }

    /// After a call took effect: whether its answer is lost (counted as faulted).
    pub(crate) fn lose_response(&self, operation: &'static str) -> Result<(), ConnectError> {
        let mut state = self.lock();
        let rate = state.faults.lost_response_rate;
        if rate <= 0.0 || roll(&mut state.dice) >= rate {
            return Ok(());
        }
        state
            .stats
            .operations
            .entry(operation.to_owned())
            .or_default()
            .faulted += 1;
        Err(ConnectError::InternalService(
            "Request processing failed after the change was applied (injected by the simulator)".to_owned(),
        ))
    }

    pub(crate) fn stats(&self) -> Stats {
        self.lock().stats.clone()
    }

    pub(crate) fn reset_stats(&self) {
        self.lock().stats = Stats::default();
    }

    pub(crate) fn set_quota(&self, quota: Quota) {
        let mut state = self.lock();
        state.quota = quota;
        state.buckets.clear();
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        let mut state = self.lock();
        state.faults = faults;
        state.dice = faults.seed | 1;
    }

    pub(crate) fn settings(&self) -> (Quota, Faults) {
        let state = self.lock();
        (state.quota, state.faults)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        // A panic while holding this lock leaves only counters behind; keep going.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn take_token(buckets: &mut BTreeMap<&'static str, Bucket>, operation: &'static str, quota: Quota) -> bool {
    let now = Instant::now();
    let burst = f64::from(quota.burst.max(1));
    let bucket = buckets.entry(operation).or_insert(Bucket {
        tokens: burst,
        last: now,
    });
    let refill = now.duration_since(bucket.last).as_secs_f64() * quota.rate;
    bucket.tokens = (bucket.tokens + refill).min(burst);
    bucket.last = now;
    if bucket.tokens >= 1.0 {
        bucket.tokens -= 1.0;
        true
    } else {
        false
    }
}

/// A uniform draw in [0, 1) from an xorshift64 generator.
fn roll(dice: &mut u64) -> f64 {
    let mut x = *dice;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *dice = x;
    // Top 53 bits give an exactly representable fraction.
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn burst_then_throttle_per_operation() {
        let gate = Gate::new(Quota { rate: 1.0, burst: 5 }, Faults::default());
        for _ in 0..5 {
            gate.admit("CreateUser").await.unwrap();
        }
        let err = gate.admit("CreateUser").await.unwrap_err();
        assert_eq!(err.code(), "ThrottlingException");
        // Another API has its own bucket.
        gate.admit("DescribeUser").await.unwrap();
        let stats = gate.stats();
        assert_eq!(
            stats.operations["CreateUser"],
            OpStats {
                calls: 6,
                throttled: 1,
                faulted: 0
            }
        );
        assert_eq!(stats.calls("DescribeUser"), 1);
    }

    #[tokio::test]
    async fn tokens_refill_at_the_rate() {
        let gate = Gate::new(Quota { rate: 50.0, burst: 1 }, Faults::default());
        gate.admit("ListUsers").await.unwrap();
        assert!(gate.admit("ListUsers").await.is_err());
        tokio::time::sleep(Duration::from_millis(40)).await;
        gate.admit("ListUsers").await.unwrap();
    }

    #[tokio::test]
    async fn rate_zero_never_throttles() {
        let gate = Gate::new(Quota::UNLIMITED, Faults::default());
        for _ in 0..1000 {
            gate.admit("SearchUsers").await.unwrap();
        }
        assert_eq!(gate.stats().operations["SearchUsers"].throttled, 0);
    }

    #[tokio::test]
    async fn injected_error_share_is_close_to_the_setting() {
        let faults = Faults {
            error_rate: 0.05,
            seed: 7,
            ..Faults::default()
        };
        let gate = Gate::new(Quota::UNLIMITED, faults);
        let mut failed = 0;
        for _ in 0..10_000 {
            if let Err(e) = gate.admit("CreateUser").await {
                assert_eq!(e.code(), "InternalServiceException");
                failed += 1;
            }
        }
        assert!((400..=600).contains(&failed), "{failed} faults in 10000 calls");
        assert_eq!(gate.stats().operations["CreateUser"].faulted, failed);
    }

    #[test]
    fn since_reports_deltas_only_for_called_operations() {
        let mut before = Stats::default();
        before.operations.insert(
            "A".into(),
            OpStats {
                calls: 2,
                throttled: 1,
                faulted: 0,
            },
        );
        before.operations.insert(
            "B".into(),
            OpStats {
                calls: 1,
                throttled: 0,
                faulted: 0,
            },
        );
        let mut after = before.clone();
        after.operations.insert(
            "A".into(),
            OpStats {
                calls: 5,
                throttled: 1,
                faulted: 0,
            },
        );
        let delta = after.since(&before);
        assert_eq!(delta.operations.len(), 1);
        assert_eq!(delta.calls("A"), 3);
    }
}
