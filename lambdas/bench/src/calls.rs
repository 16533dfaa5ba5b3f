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
use crate::stack::{Bench, app, create, delta, expect, lookup_uri, patch_body, send};

/// The operations measured, in table order.
pub const OPERATIONS: &[(&str, &str)] = &[
    ("create", "POST /Users (new user)"),
    ("lookup", "GET /Users?filter=userName eq"),
    ("get", "GET /Users/{id}"),
    ("patch", "PATCH one attribute"),
    ("deactivate", "PATCH active=false (delete mode)"),
    ("deactivate_disable", "PATCH active=false (disable mode)"),
    ("filter_sw", "GET ?filter=userName sw (a page of 100)"),
    ("filter_co", "GET ?filter=userName co"),
    ("filter_and", "GET ?filter=userName sw … and externalId eq …"),
    ("filter_email", "GET ?filter=emails.value eq"),
    ("filter_external", "GET ?filter=externalId eq"),
    (
        "filter_narrowed",
        "GET ?filter=userName co (over 25 characters; tooMany past 500 candidates)",
    ),
    ("page", "GET one page of 100 (startIndex=1)"),
    ("page_next", "GET the next page while paging"),
    ("page_50", "GET page 50 (startIndex=4901), jumped to directly"),
    ("page_jump", "GET the last page, jumped to directly"),
    ("group", "group membership change (PATCH add one member)"),
    (
        "create_routing",
        "POST /Users with 2 proficiencies and a channel setting",
    ),
    ("proficiency_level", "PATCH one proficiency's level"),
    ("proficiency_swap", "PATCH removing one proficiency, adding one"),
    ("channel", "PATCH one channel setting"),
];

/// Seeded users share their first 31 characters, more than the 25 that
/// SearchUsers' CONTAINS takes, so a long `co` is a superset to narrow.
fn seed_name(i: usize) -> String {
    format!("seed.user.of.the.call.center.{i:05}@example.com")
}

/// The filtered reads measured: row and filter (each answers 200 but
/// `filter_narrowed`, which is 400 tooMany once more than 500 users match
/// its first 25 characters).
fn filters(size: usize) -> Vec<(&'static str, String)> {
    let known = seed_name(42.min(size - 1));
    vec![
        ("filter_sw", r#"userName sw "seed.user.of""#.to_owned()),
        ("filter_co", r#"userName co "center.0001""#.to_owned()),
        (
            "filter_and",
            format!(r#"userName sw "seed." and externalId eq "ext-{known}""#),
        ),
        ("filter_email", format!(r#"emails.value eq "{known}""#)),
        ("filter_external", format!(r#"externalId eq "ext-{known}""#)),
        (
            "filter_narrowed",
            r#"userName co "seed.user.of.the.call.center.0""#.to_owned(),
        ),
    ]
}

/// One result row: the calls an operation caused, their total and, where
/// given, the status it answered.
fn row(calls: BTreeMap<String, u64>, status: Option<StatusCode>) -> Value {
    let mut row = json!({"total": calls.values().sum::<u64>(), "by_operation": calls});
    if let Some(status) = status {
        row["status"] = json!(status.as_u16());
    }
    row
}

/// Calls (and the status) of each filtered read, on a warm adapter.
async fn filtered_reads(bench: &Bench, app: &Router, size: usize) -> BenchResult<Vec<(&'static str, Value)>> {
    let mut rows = Vec::new();
    for (name, filter) in filters(size) {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("filter", &filter)
            .append_pair("count", "100")
            .finish();
        let ((status, _), calls) = counted(bench, send(app, "GET", &format!("/Users?{query}"), None)).await?;
        if status != StatusCode::OK && !(name == "filter_narrowed" && status == StatusCode::BAD_REQUEST) {
            return Err(format!("{filter}: {status}").into());
        }
        rows.push((name, row(calls, Some(status))));
    }
    Ok(rows)
}

/// A PATCH adding one agent to a group linked to an existing profile.
async fn group_change(bench: &Bench, app: &Router, member: &str) -> BenchResult<BTreeMap<String, u64>> {
    let group = expect(
        app,
        StatusCode::CREATED,
        "POST",
        "/Groups",
        Some(&json!({"displayName": "QualityAnalyst", "members": []})),
    )
    .await?;
    let id = group["id"].as_str().unwrap_or_default().to_owned();
    let add = patch_body(json!({"op": "add", "path": "members", "value": [{"value": member}]}));
    let ((status, body), calls) =
        counted(bench, send(app, "PATCH", &format!("/Groups/{id}"), Some(&add))).await?;
    if !status.is_success() {
        return Err(format!("PATCH /Groups/{id}: {status}: {body}").into());
    }
    Ok(calls)
}

/// A routing-ready agent made, then one proficiency and one channel
/// setting changed: the rows create_routing, proficiency_level,
/// proficiency_swap and channel.
async fn routing_ready(
    bench: &Bench,
    app: &Router,
    size: usize,
) -> BenchResult<Vec<(&'static str, BTreeMap<String, u64>)>> {
    const EXT: &str = "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User";
    let body = json!({
        "userName": format!("routing.{size}@example.com"),
        "name": {"givenName": "Rosa", "familyName": "Ready"},
        EXT: {
            "proficiencies": "Language=Spanish:4; Skill=Billing:2",
            "channelConfigs": [{"channel": "CHAT", "autoAccept": true}],
        },
    });
    let (made, create_calls) = counted(
        bench,
        expect(app, StatusCode::CREATED, "POST", "/Users", Some(&body)),
    )
    .await?;
    let uri = format!("/Users/{}", made["id"].as_str().unwrap_or_default());
    let mut rows = vec![("create_routing", create_calls)];
    let language = format!("{EXT}:proficiencies[attributeName eq \"Language\"]");
    for (row, ops) in [
        (
            "proficiency_level",
            json!([{"op": "replace", "path": format!("{language}.level"), "value": 5}]),
        ),
        (
            "proficiency_swap",
            json!([
                {"op": "remove", "path": format!("{EXT}:proficiencies[attributeName eq \"Skill\"]")},
                {"op": "add", "path": format!("{EXT}:proficiencies"), "value": "Language=French:1"},
            ]),
        ),
        (
            "channel",
            json!([{"op": "replace", "path": format!("{EXT}:channelConfigs[channel eq \"TASK\"].autoAccept"), "value": true}]),
        ),
    ] {
        let body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": ops});
        let (_, calls) = counted(bench, expect(app, StatusCode::OK, "PATCH", &uri, Some(&body))).await?;
        rows.push((row, calls));
    }
    Ok(rows)
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

/// A GET that must answer 200: its body and the Connect calls it caused.
async fn counted_get(bench: &Bench, app: &Router, uri: &str) -> BenchResult<(Value, BTreeMap<String, u64>)> {
    counted(bench, expect(app, StatusCode::OK, "GET", uri, None)).await
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
        out.insert(op, row(calls, None));
    };
    let name = format!("bench.{size}@example.com");
    let (id, calls) = counted(bench, create(&delete_app, &name, "Bench")).await?;
    record("create", calls);
    let existing = seed_name(size / 2);
    let (_, calls) = counted_get(bench, &delete_app, &lookup_uri(&existing)).await?;
    record("lookup", calls);
    let user_uri = format!("/Users/{id}");
    let (_, calls) = counted_get(bench, &delete_app, &user_uri).await?;
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
    let (page, calls) = counted_get(bench, &pager, "/Users?startIndex=1&count=100").await?;
    record("page", calls);
    let total = page["totalResults"].as_u64().unwrap_or_default();
    let (_, calls) = counted_get(bench, &pager, "/Users?startIndex=101&count=100").await?;
    record("page_next", calls);
    let jumper = app(bench.directory(), DeprovisionMode::Delete);
    let last = total.saturating_sub(99).max(1);
    let (_, calls) = counted_get(bench, &jumper, &format!("/Users?startIndex={last}&count=100")).await?;
    record("page_jump", calls);
    let jumper = app(bench.directory(), DeprovisionMode::Delete);
    let (_, calls) = counted_get(bench, &jumper, "/Users?startIndex=4901&count=100").await?;
    record("page_50", calls);
    let member = create(&delete_app, &format!("member.{size}@example.com"), "Member").await?;
    record("group", group_change(bench, &delete_app, &member).await?);
    for (op, calls) in routing_ready(bench, &delete_app, size).await? {
        record(op, calls);
    }
    for (row, figure) in filtered_reads(bench, &delete_app, size).await? {
        out.insert(row, figure);
    }
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
