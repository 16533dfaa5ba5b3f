//! In-process handler latency: requests through the Router and the Connect
//! adapter to the simulator on loopback, which answers with no added delay.
//! What is measured is our code plus the SDK's HTTP round trip.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use scim_core::DeprovisionMode;
use serde_json::{Value, json};

use crate::BenchResult;
use crate::stack::{Bench, app, create, expect, lookup_uri, patch_body, user_body};

/// p50 and p99 of `samples`, in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> Value {
    samples.sort_unstable();
    let at = |q: f64| {
        let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    json!({"p50": at(0.50), "p99": at(0.99), "samples": samples.len()})
}

/// Times `n` runs of `request`.
async fn time<F, Fut>(n: usize, mut request: F) -> BenchResult<Value>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = BenchResult<Value>>,
{
    // Warm up: connection pool, caches, allocator.
    for i in 0..20 {
        request(n + i).await?;
    }
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        request(i).await?;
        samples.push(started.elapsed());
    }
    Ok(percentiles(samples))
}

pub async fn run(users: usize, iterations: usize) -> BenchResult<Value> {
    let bench = Bench::start().await?;
    let app = app(bench.directory(), DeprovisionMode::Delete);
    let mut ids = Vec::new();
    for i in 0..users {
        ids.push(create(&app, &format!("lat.{i:04}@example.com"), "Lat").await?);
    }
    let ids = &ids;
    let app = &app;
    let n = iterations;
    let discovery = time(n, |_| {
        expect(app, StatusCode::OK, "GET", "/ServiceProviderConfig", None)
    })
    .await?;
    let get = time(n, |i| async move {
        expect(
            app,
            StatusCode::OK,
            "GET",
            &format!("/Users/{}", ids[i % ids.len()]),
            None,
        )
        .await
    })
    .await?;
    let lookup = time(n, |i| async move {
        expect(
            app,
            StatusCode::OK,
            "GET",
            &lookup_uri(&format!("lat.{:04}@example.com", i % users)),
            None,
        )
        .await
    })
    .await?;
    let patch = time(n, |i| async move {
        let body = patch_body(json!({"op": "Replace", "path": "name.givenName", "value": format!("Lat{i}")}));
        expect(
            app,
            StatusCode::OK,
            "PATCH",
            &format!("/Users/{}", ids[i % ids.len()]),
            Some(&body),
        )
        .await
    })
    .await?;
    let create = time(n, |i| async move {
        expect(
            app,
            StatusCode::CREATED,
            "POST",
            "/Users",
            Some(&user_body(&format!("new.{i:05}@example.com"), "New")),
        )
        .await
    })
    .await?;
    Ok(json!({
        "users": users,
        "discovery": discovery,
        "get": get,
        "lookup": lookup,
        "patch": patch,
        "create": create,
    }))
}
