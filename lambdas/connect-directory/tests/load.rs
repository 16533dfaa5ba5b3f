//! IdP-like load against Connect's default quotas, then with injected faults:
//! onboard N users with concurrency (honouring Retry-After as Entra ID and
//! Okta do), update them all, deprovision a third. The simulator's own state
//! (not the adapter under test) then proves every user exists exactly once
//! with the right profile and attributes, and every deprovision happened.
//!
//! Small in `make test` (LOAD_USERS, default 24); `make bench` runs it large.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use connect_directory::Pace;
use connect_sim::{DEFAULT_INSTANCE_ID as INSTANCE, Faults, Quota};
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use support::{Answer, Stack};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One IdP request, retried as an IdP does: after 429/503, wait Retry-After.
async fn idp(stack: &Stack, method: &str, uri: &str, body: Option<Value>, retries: &mut u32) -> Answer {
    for _ in 0..30 {
        let answer = stack.send(method, uri, body.clone()).await;
        if !matches!(
            answer.status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        ) {
            return answer;
        }
        *retries += 1;
        let wait = answer
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(1);
        tokio::time::sleep(Duration::from_secs(wait.min(5))).await;
    }
    panic!("{method} {uri} never got past 429/503");
}

fn user_name(i: usize) -> String {
    format!("load.user{i:05}@example.com")
}

fn lookup_uri(name: &str) -> String {
    format!("/Users?filter=userName%20eq%20%22{}%22", name.replace('@', "%40"))
}

/// Entra's create: look up, POST when absent; a 409 is answered by looking up again.
async fn onboard(stack: &Stack, i: usize, retries: &mut u32) -> String {
    let name = user_name(i);
    let found = idp(stack, "GET", &lookup_uri(&name), None, retries).await;
    if let Some(id) = found.body["Resources"][0]["id"].as_str() {
        return id.to_owned();
    }
    let department = ["Sales", "QualityAnalyst", "CallCenterManager"][i % 3];
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", support::ENTERPRISE],
        "userName": name, "externalId": format!("ext-{i}"), "active": true,
        "name": {"givenName": "Load", "familyName": format!("User{i}")},
        "emails": [{"value": name, "type": "work", "primary": true}],
        support::ENTERPRISE: {"department": department},
    });
    let created = idp(stack, "POST", "/Users", Some(body), retries).await;
    match created.status {
        StatusCode::CREATED => created.body["id"].as_str().unwrap().to_owned(),
        StatusCode::CONFLICT => {
            let again = idp(stack, "GET", &lookup_uri(&name), None, retries).await;
            again.body["Resources"][0]["id"].as_str().unwrap().to_owned()
        }
        other => panic!("create {name}: {other} {}", created.body),
    }
}

async fn patch(stack: &Stack, id: &str, op: Value, retries: &mut u32) {
    let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [op]});
    let answer = idp(stack, "PATCH", &format!("/Users/{id}"), Some(body), retries).await;
    assert_eq!(answer.status, StatusCode::OK, "PATCH {id}: {}", answer.body);
}

/// Runs `job(i)` for every i with at most `concurrency` at once.
async fn fan_out<F, Fut, T>(stack: &Arc<Stack>, n: usize, concurrency: usize, job: F) -> (Vec<T>, u32)
where
    F: Fn(Arc<Stack>, usize) -> Fut,
    Fut: std::future::Future<Output = (T, u32)> + Send + 'static,
    T: Send + 'static,
{
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut set = JoinSet::new();
    for i in 0..n {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let fut = job(stack.clone(), i);
        set.spawn(async move {
            let out = fut.await;
            drop(permit);
            (i, out)
        });
    }
    let mut results: Vec<Option<T>> = (0..n).map(|_| None).collect();
    let mut retries = 0;
    while let Some(joined) = set.join_next().await {
        let (i, (value, r)) = joined.unwrap();
        results[i] = Some(value);
        retries += r;
    }
    (results.into_iter().map(Option::unwrap).collect(), retries)
}

struct Report {
    users: usize,
    concurrency: usize,
    creates_per_second: f64,
    retries: u32,
}

async fn run(faults: Faults) -> Report {
    let n = setting("LOAD_USERS", 24);
    let concurrency = setting("LOAD_CONCURRENCY", 4);
    let quota = Quota {
        rate: setting("LOAD_RATE", 2) as f64,
        burst: 5,
    };
    let stack = Arc::new(
        support::stack_with(DeprovisionMode::Delete, |settings| {
            settings.pace = Pace {
                rate: quota.rate,
                burst: 5.0,
                ..Pace::CONNECT_DEFAULT
            };
        })
        .await,
    );
    stack.running.sim.set_quota(quota);
    stack.running.sim.set_faults(faults);

    let started = Instant::now();
    let (ids, mut retries) = fan_out(&stack, n, concurrency, |s, i| async move {
        let mut r = 0;
        let id = onboard(&s, i, &mut r).await;
        (id, r)
    })
    .await;
    let creates_per_second = n as f64 / started.elapsed().as_secs_f64();

    let ids = Arc::new(ids);
    let (_, r) = fan_out(&stack, n, concurrency, |s, i| {
        let ids = ids.clone();
        async move {
            let mut r = 0;
            let op = json!({"op": "replace", "path": "displayName", "value": format!("Updated {i}")});
            patch(&s, &ids[i], op, &mut r).await;
            ((), r)
        }
    })
    .await;
    retries += r;
    let (_, r) = fan_out(&stack, n, concurrency, |s, i| {
        let ids = ids.clone();
        async move {
            let mut r = 0;
            if i % 3 == 0 {
                patch(
                    &s,
                    &ids[i],
                    json!({"op": "Replace", "path": "active", "value": "False"}),
                    &mut r,
                )
                .await;
            }
            ((), r)
        }
    })
    .await;
    retries += r;

    // Invariants, read from the simulator itself.
    stack.running.sim.set_faults(Faults::default());
    let users = stack.running.sim.users(INSTANCE);
    let mut by_name: BTreeMap<String, Vec<&connect_sim::wire::User>> = BTreeMap::new();
    for u in &users {
        by_name.entry(u.username.clone()).or_default().push(u);
    }
    for i in 0..n {
        let name = user_name(i);
        let found = by_name.get(&name).map_or(0, Vec::len);
        if i % 3 == 0 {
            assert_eq!(found, 0, "{name} was deprovisioned but still exists");
            continue;
        }
        assert_eq!(found, 1, "{name} exists {found} times");
        let u = by_name[&name][0];
        assert_eq!(u.id, ids[i], "{name}: the id the IdP holds is the Connect user");
        let want_profile = match i % 3 {
            1 => stack.profile("QualityAnalyst"),
            _ => stack.profile("CallCenterManager"),
        };
        assert_eq!(u.security_profile_ids, [want_profile], "{name}");
        assert_eq!(
            u.tags.get("scim:displayName").map(String::as_str),
            Some(format!("Updated {i}").as_str())
        );
        assert_eq!(u.identity_info.secondary_email.as_deref(), Some(name.as_str()));
    }
    assert_eq!(users.len(), n - n.div_ceil(3), "no stray users");
    Report {
        users: n,
        concurrency,
        creates_per_second,
        retries,
    }
}

fn print(label: &str, report: &Report, quota: f64) {
    println!(
        "load [{label}]: {} users, concurrency {}, {:.2} creates/s = {:.2} x the CreateUser quota, {} client retries, lost 0, duplicated 0",
        report.users,
        report.concurrency,
        report.creates_per_second,
        report.creates_per_second / quota,
        report.retries
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_at_connect_quotas_loses_and_duplicates_nothing() {
    let report = run(Faults::default()).await;
    print("quota", &report, setting("LOAD_RATE", 2) as f64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onboarding_through_faults_loses_and_duplicates_nothing() {
    let report = run(Faults {
        error_rate: 0.05,
        lost_response_rate: 0.05,
        latency: Duration::from_millis(20),
        seed: 42,
    })
    .await;
    print(
        "5% 500s + 5% lost answers + 20 ms",
        &report,
        setting("LOAD_RATE", 2) as f64,
    );
}
