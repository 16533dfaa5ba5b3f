//! The calls the audit line and the ConnectCalls metric report are the
//! attempts the SDK made, retries included: under throttling they match
//! the simulator's own counter, call for call. The pacer is charged for
//! every attempt too, so the calls after a retried one wait for it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use connect_directory::{ConnectDirectory, ConnectSettings, Pace};
use connect_sim::Quota;
use scim_core::{DeprovisionMode, Directory, DirectoryError, PageRequest, UserId, audit};

#[tokio::test]
async fn every_attempt_is_counted_even_when_connect_throttles() {
    let s = support::stack(DeprovisionMode::Delete).await;
    let sdk = connect_directory::sdk_config_for_endpoint(&s.running.url()).await;
    let mut settings = ConnectSettings::new(s.instance.clone());
    // No client-side pacing: every call reaches the simulator's quota.
    settings.pace = Pace {
        rate: 0.0,
        ..Pace::CONNECT_DEFAULT
    };
    let directory = ConnectDirectory::new(&sdk, settings);
    s.running.sim.set_quota(Quota {
        rate: 0.001,
        burst: 1,
    });
    let before = s.running.sim.stats();
    let request = PageRequest {
        filter: None,
        start_index: 1,
        count: 10,
    };
    let ((), record) = audit::scope("attempts".to_owned(), async {
        for _ in 0..2 {
            let _ = directory.list_users(&request).await;
        }
    })
    .await;
    let after = s.running.sim.stats();
    let throttled: u64 = after.operations.values().map(|o| o.throttled).sum::<u64>()
        - before.operations.values().map(|o| o.throttled).sum::<u64>();
    assert!(throttled > 0, "the quota throttled nothing: {after:?}");
    assert_eq!(
        record.calls.len() as u64,
        after.total_calls() - before.total_calls(),
        "recorded {:?}",
        record.calls
    );
    // The SDK retries a throttled call (three attempts in all): each
    // attempt is in the record, not just the call.
    let retried = record.calls.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]);
    assert!(retried, "no retried attempts in {:?}", record.calls);
}

/// The pacer spends one turn per call sent: the end of a paginated walk
/// is not a call. With one turn of SearchUsers to spend, a lookup (one
/// page) still answers.
#[tokio::test]
async fn the_end_of_a_walk_spends_no_turn_of_the_pacer() {
    let s = support::stack_with(DeprovisionMode::Delete, |settings| {
        settings.pace = Pace {
            rate: 0.001,
            burst: 1.0,
            max_wait: std::time::Duration::ZERO,
        };
    })
    .await;
    let answer = s
        .send("GET", "/Users?filter=userName%20eq%20%22nobody%22", None)
        .await;
    assert_eq!(answer.status, axum::http::StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["totalResults"], 0);
    assert_eq!(s.running.sim.stats().calls("SearchUsers"), 1);
}

/// Connect counts an SDK retry against the API's quota, so the pacer does
/// too: after a call whose retries spent the bucket, the next call is
/// refused by the pacer (429 to the IdP) without reaching Connect. Charged
/// per call only, the bucket would still hold turns and the next call would
/// meet Connect's throttling again.
#[tokio::test]
async fn retries_spend_the_pacers_turns() {
    let s = support::stack(DeprovisionMode::Delete).await;
    let sdk = connect_directory::sdk_config_for_endpoint(&s.running.url()).await;
    let mut settings = ConnectSettings::new(s.instance.clone());
    settings.pace = Pace {
        rate: 0.001,
        burst: 3.0,
        max_wait: std::time::Duration::from_secs(1),
    };
    let directory = ConnectDirectory::new(&sdk, settings);
    s.running.sim.set_quota(Quota {
        rate: 0.001,
        burst: 1,
    });
    // A different id each time: a 404 is remembered.
    let nobody = |n: u8| UserId::new(format!("00000000-0000-4000-8000-0000000000{n:02}"));
    let describes = || s.running.sim.stats().calls("DescribeUser");
    let before = describes();
    // One turn: Connect's burst answers it (no such user).
    let first = directory.get_user(&nobody(1)).await;
    assert!(matches!(first, Err(DirectoryError::NotFound(_))), "{first:?}");
    assert_eq!(describes() - before, 1);
    // One turn taken, two charged: Connect throttles all three attempts.
    let second = directory.get_user(&nobody(2)).await;
    assert!(
        matches!(second, Err(DirectoryError::Throttled { .. })),
        "{second:?}"
    );
    assert_eq!(describes() - before, 4, "the SDK made three attempts");
    // The bucket is in debt: refused here, Connect never asked.
    let third = directory.get_user(&nobody(3)).await;
    assert!(
        matches!(third, Err(DirectoryError::Throttled { .. })),
        "{third:?}"
    );
    assert_eq!(describes() - before, 4, "the pacer refused the call");
}
