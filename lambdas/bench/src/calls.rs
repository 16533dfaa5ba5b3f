//! Connect API calls per SCIM operation, by how many users the instance
//! already holds. Each figure is the simulator's own count of the calls one
//! SCIM request caused (`/_sim/stats` before and after).

use std::collections::BTreeMap;

use axum::Router;
use axum::http::StatusCode;
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::BenchResult;
use crate::stack::{Bench, app, create, delta, expect, lookup_uri, patch_body};

/// The operations measured, in table order.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("create", "POST /Users (new user)"),
    ("lookup", "GET /Users?filter=userName eq"),
    ("get", "GET /Users/{id}"),
    ("patch", "PATCH one attribute"),
    ("deactivate", "PATCH active=false (delete mode)"),
    ("deactivate_disable", "PATCH active=false (disable mode)"),
    ("page", "GET one page of 100 (startIndex=1)"),
    ("page_next", "GET the next page while paging"),
    ("page_jump", "GET the last page, jumped to directly"),
    ("group", "group membership change"),
];

fn seed_name(i: usize) -> String {
    format!("seed.user{i:05}@example.com")
}

/// Adds users through the Router until the instance holds `size`.
async fn seed(bench: &Bench, app: &Router, size: usize) -> BenchResult<()> {
    let from = bench.user_count();
    let mut tasks = JoinSet::new();
    let workers = 8;
    for w in 0..workers {
        let app = app.clone();
        tasks.spawn(async move {
            for i in (from + w..size).step_by(workers) {
                create(&app, &seed_name(i), "Seed").await?;
            }
            BenchResult::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}

/// Runs `request` and returns the Connect calls it caused.
async fn counted<F, T>(bench: &Bench, request: F) -> BenchResult<(T, BTreeMap<String, u64>)>
where
    F: std::future::Future<Output = BenchResult<T>>,
{
    let before = bench.stats();
    let value = request.await?;
    Ok((value, delta(&before, &bench.stats())))
}

// One measurement after another, in the order the rows depend on (the
// user made first is read, changed, then deprovisioned): long, but a split
// would hide that order.
/// Calls per operation at one instance size.
async fn at_size(bench: &Bench, size: usize) -> BenchResult<BTreeMap<&'static str, Value>> {
    let directory = bench.directory();
    let delete_app = app(directory.clone(), DeprovisionMode::Delete);
    let disable_app = app(directory, DeprovisionMode::Disable);
    seed(bench, &delete_app, size).await?;
    // Warm the profile-name cache, as any running Lambda container has it.
    let warm = create(&delete_app, &format!("warm.{size}@example.com"), "Warm").await?;
    expect(
        &delete_app,
        StatusCode::NO_CONTENT,
        "DELETE",
        &format!("/Users/{warm}"),
        None,
    )
    .await?;

    let mut out = BTreeMap::new();
    let mut record = |op: &'static str, calls: BTreeMap<String, u64>| {
        out.insert(
            op,
            json!({"total": calls.values().sum::<u64>(), "by_operation": calls}),
        );
    };
    let name = format!("bench.{size}@example.com");
    let (id, calls) = counted(bench, create(&delete_app, &name, "Bench")).await?;
    record("create", calls);
    let existing = seed_name(size / 2);
    let (_, calls) = counted(
        bench,
        expect(&delete_app, StatusCode::OK, "GET", &lookup_uri(&existing), None),
    )
    .await?;
    record("lookup", calls);
    let user_uri = format!("/Users/{id}");
    let (_, calls) = counted(bench, expect(&delete_app, StatusCode::OK, "GET", &user_uri, None)).await?;
    record("get", calls);
    // A change, then deprovisioning (delete mode), in that order.
    let deactivate = patch_body(json!({"op": "Replace", "path": "active", "value": "False"}));
    let changed = patch_body(json!({"op": "Replace", "path": "name.givenName", "value": "Changed"}));
    for (row, body) in [("patch", &changed), ("deactivate", &deactivate)] {
        let (_, calls) = counted(
            bench,
            expect(&delete_app, StatusCode::OK, "PATCH", &user_uri, Some(body)),
        )
        .await?;
        record(row, calls);
    }
    let kept = create(&disable_app, &format!("kept.{size}@example.com"), "Kept").await?;
    let kept_uri = format!("/Users/{kept}");
    let (_, calls) = counted(
        bench,
        expect(
            &disable_app,
            StatusCode::OK,
            "PATCH",
            &kept_uri,
            Some(&deactivate),
        ),
    )
    .await?;
    record("deactivate_disable", calls);

    // Paging on an adapter that has not paged before.
    let pager = app(bench.directory(), DeprovisionMode::Delete);
    let (page, calls) = counted(
        bench,
        expect(
            &pager,
            StatusCode::OK,
            "GET",
            "/Users?startIndex=1&count=100",
            None,
        ),
    )
    .await?;
    record("page", calls);
    let total = page["totalResults"].as_u64().unwrap_or_default();
    let (_, calls) = counted(
        bench,
        expect(
            &pager,
            StatusCode::OK,
            "GET",
            "/Users?startIndex=101&count=100",
            None,
        ),
    )
    .await?;
    record("page_next", calls);
    let jumper = app(bench.directory(), DeprovisionMode::Delete);
    let last = total.saturating_sub(99).max(1);
    let (_, calls) = counted(
        bench,
        expect(
            &jumper,
            StatusCode::OK,
            "GET",
            &format!("/Users?startIndex={last}&count=100"),
            None,
        ),
    )
    .await?;
    record("page_jump", calls);
    out.insert("group", Value::Null);
    Ok(out)
}

/// Calls per operation at each size, the instance growing from one to the next.
pub async fn run(sizes: &[usize]) -> BenchResult<Value> {
    let bench = Bench::start().await?;
    let mut by_size = serde_json::Map::new();
    for &size in sizes {
        let started = std::time::Instant::now();
        let figures = at_size(&bench, size).await?;
        eprintln!(
            "bench calls: {size} users measured in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        by_size.insert(size.to_string(), json!(figures));
    }
    Ok(Value::Object(by_size))
}
