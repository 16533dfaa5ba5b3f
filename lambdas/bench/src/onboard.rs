//! Bulk onboarding as an IdP runs it: for each user a lookup by userName,
//! then a create (a 409 is answered by looking up again), `concurrency` at a
//! time, retrying a second after a 429/503. The simulator enforces a
//! CreateUser quota (scaled up from Connect's 2/s to keep the run short: the
//! ratio is what counts) and the adapter paces itself at the same rate. The
//! simulator's own user list then shows every user exactly once.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use connect_directory::Pace;
use connect_sim::{DEFAULT_INSTANCE_ID, Faults, Quota};
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::BenchResult;
use crate::stack::{Bench, app, lookup_uri, send, user_body};

/// One IdP request, retried after 429/503 (IdPs wait `Retry-After`; a
/// second keeps the run short).
async fn idp(
    app: &Router,
    method: &str,
    uri: &str,
    body: Option<&Value>,
    retries: &mut u32,
) -> BenchResult<(StatusCode, Value)> {
    for _ in 0..50 {
        let (status, value) = send(app, method, uri, body).await?;
        if status != StatusCode::TOO_MANY_REQUESTS && status != StatusCode::SERVICE_UNAVAILABLE {
            return Ok((status, value));
        }
        *retries += 1;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Err(format!("{method} {uri}: still refused after 50 tries").into())
}

async fn onboard(app: &Router, name: &str, retries: &mut u32) -> BenchResult<String> {
    let lookup = lookup_uri(name);
    for _ in 0..5 {
        let (_, found) = idp(app, "GET", &lookup, None, retries).await?;
        if let Some(id) = found["Resources"][0]["id"].as_str() {
            return Ok(id.to_owned());
        }
        let (status, created) = idp(app, "POST", "/Users", Some(&user_body(name, "Bulk")), retries).await?;
        match status {
            StatusCode::CREATED => return Ok(created["id"].as_str().unwrap_or_default().to_owned()),
            StatusCode::CONFLICT => continue,
            other => return Err(format!("POST {name}: {other} {created}").into()),
        }
    }
    Err(format!("{name}: no answer settled").into())
}

pub async fn run(
    label: &str,
    users: usize,
    concurrency: usize,
    rate: f64,
    faults: Faults,
) -> BenchResult<Value> {
    let bench = Bench::start().await?;
    bench.running.sim.set_quota(Quota { rate, burst: 5 });
    bench.running.sim.set_faults(faults);
    let app = app(
        bench.directory_paced(Pace {
            rate,
            burst: 5.0,
            ..Pace::CONNECT_DEFAULT
        }),
        DeprovisionMode::Delete,
    );
    let gate = Arc::new(Semaphore::new(concurrency));
    let mut tasks = JoinSet::new();
    let started = Instant::now();
    for i in 0..users {
        let (app, gate) = (app.clone(), gate.clone());
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await?;
            let name = format!("bulk.user{i:05}@example.com");
            let mut retries = 0;
            let id = onboard(&app, &name, &mut retries).await?;
            BenchResult::Ok((name, id, retries))
        });
    }
    let mut ids = BTreeMap::new();
    let mut retries = 0;
    while let Some(done) = tasks.join_next().await {
        let (name, id, r) = done??;
        ids.insert(name, id);
        retries += r;
    }
    let elapsed = started.elapsed().as_secs_f64();
    bench.running.sim.set_faults(Faults::default());

    // What Connect holds, by the simulator's own account.
    let mut held: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for user in bench.running.sim.users(DEFAULT_INSTANCE_ID) {
        held.entry(user.username).or_default().push(user.id);
    }
    let lost = ids
        .iter()
        .filter(|(name, id)| held.get(*name).is_none_or(|h| !h.contains(id)))
        .count();
    let duplicated = held.values().filter(|h| h.len() > 1).count();
    let ratio = users as f64 / elapsed / rate;
    eprintln!(
        "bench onboarding [{label}]: {users} users in {elapsed:.1} s, {ratio:.2} x quota, {retries} IdP retries, lost {lost}, duplicated {duplicated}"
    );
    if lost > 0 || duplicated > 0 {
        return Err(format!("onboarding [{label}]: lost {lost}, duplicated {duplicated}").into());
    }
    Ok(json!({
        "label": label,
        "users": users,
        "concurrency": concurrency,
        "quota_per_second": rate,
        "seconds": elapsed,
        "ratio": ratio,
        "idp_retries": retries,
        "lost": lost,
        "duplicated": duplicated,
    }))
}
