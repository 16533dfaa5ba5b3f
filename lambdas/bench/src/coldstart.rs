//! The handler binary as Lambda runs it, under a stand-in for the Lambda
//! Runtime API on loopback: time from process start to the first answered
//! invocation (a cold-start proxy: no download, no sandbox, just our
//! process's own start-up and first request), then peak RSS after a run of
//! invocations.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use connect_sim::DEFAULT_INSTANCE_ID;
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::BenchResult;
use crate::stack::{Bench, app, create, patch_body, user_body};

const EVENT_TEMPLATE: &str = include_str!("../../../tests/fixtures/lambda/apigw-rest-create-user.json");

/// An API Gateway REST proxy event for `method /scim/v2/<path>`.
fn event(method: &str, path: &str, query: Option<(&str, &str)>, body: Option<&Value>) -> BenchResult<Value> {
    let mut event: Value = serde_json::from_str(EVENT_TEMPLATE)?;
    event["httpMethod"] = json!(method);
    event["path"] = json!(format!("/scim/v2/{path}"));
    event["pathParameters"] = json!({"proxy": path});
    event["requestContext"]["httpMethod"] = json!(method);
    event["requestContext"]["path"] = json!(format!("/prod/scim/v2/{path}"));
    if let Some((key, value)) = query {
        event["queryStringParameters"] = json!({key: value});
        event["multiValueQueryStringParameters"] = json!({key: [value]});
    }
    event["body"] = body.map_or(Value::Null, |b| json!(b.to_string()));
    Ok(event)
}

/// What the stand-in runtime hands out and hears back.
struct Runtime {
    events: Mutex<std::vec::IntoIter<Value>>,
    answers: mpsc::UnboundedSender<(Instant, u16)>,
}

async fn next(State(runtime): State<Arc<Runtime>>) -> axum::response::Response {
    let event = runtime.events.lock().ok().and_then(|mut e| e.next());
    let Some(event) = event else {
        // No more work: hold the request as Lambda does between invocations.
        std::future::pending::<()>().await;
        return StatusCode::NO_CONTENT.into_response();
    };
    let mut headers = HeaderMap::new();
    let id = format!("bench-{}", uuid_like());
    headers.insert(
        "lambda-runtime-aws-request-id",
        HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("bench")),
    );
    headers.insert("lambda-runtime-deadline-ms", HeaderValue::from(deadline_ms()));
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        HeaderValue::from_static("arn:aws:lambda:us-east-1:123456789012:function:scim-handler"),
    );
    headers.insert(
        "lambda-runtime-trace-id",
        HeaderValue::from_static("Root=1-00000000-000000000000000000000000"),
    );
    (headers, event.to_string()).into_response()
}

fn uuid_like() -> u128 {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    u128::from(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

fn deadline_ms() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default();
    now + 25_000
}

async fn response(
    State(runtime): State<Arc<Runtime>>,
    UrlPath(_id): UrlPath<String>,
    body: String,
) -> StatusCode {
    let status = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v["statusCode"].as_u64())
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(0);
    let _ = runtime.answers.send((Instant::now(), status));
    StatusCode::ACCEPTED
}

async fn error(State(runtime): State<Arc<Runtime>>, body: String) -> StatusCode {
    eprintln!("bench start-up: the handler reported an error: {body}");
    let _ = runtime.answers.send((Instant::now(), 0));
    StatusCode::ACCEPTED
}

/// One run of the binary over `events`: the time to the first answer, every
/// answer's status, and the peak RSS at the end (kB).
async fn run_binary(
    handler: &Path,
    sim_url: &str,
    events: Vec<Value>,
) -> BenchResult<(Duration, Vec<u16>, u64)> {
    let expected = events.len();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let runtime = Arc::new(Runtime {
        events: Mutex::new(events.into_iter()),
        answers: tx,
    });
    let api = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(error))
        .with_state(runtime);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = AbortOnDrop(tokio::spawn(async move { axum::serve(listener, api).await }));

    let started = Instant::now();
    let mut child = tokio::process::Command::new(handler)
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "scim-handler")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/scim-handler")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH", "true")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_ENDPOINT_URL_CONNECT", sim_url)
        .env("CONNECT_INSTANCE_ID", DEFAULT_INSTANCE_ID)
        .env("CONNECT_RATE_LIMIT", "0")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let pid = child.id().ok_or("the handler exited at once")?;
    let mut statuses = Vec::with_capacity(expected);
    let mut first = None;
    while statuses.len() < expected {
        let (at, status) = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await?
            .ok_or("the runtime stand-in stopped")?;
        first.get_or_insert(at - started);
        statuses.push(status);
    }
    let peak_kb = std::fs::read_to_string(format!("/proc/{pid}/status"))?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0);
    child.kill().await?;
    drop(server);
    Ok((first.unwrap_or_default(), statuses, peak_kb))
}

pub async fn run(handler: &Path, runs: usize, invocations: usize) -> BenchResult<Value> {
    let bench = Bench::start().await?;
    let scim = app(bench.directory(), DeprovisionMode::Delete);
    let id = create(&scim, "cold.start@example.com", "Cold").await?;
    let sim_url = bench.running.url();

    // Start-up: the first request of a fresh process is a GET by id (one
    // DescribeUser), and separately a create (profile lookups + CreateUser).
    let mut get_first = Vec::new();
    let mut create_first = Vec::new();
    for run in 0..runs {
        let (t, statuses, _) = run_binary(
            handler,
            &sim_url,
            vec![event("GET", &format!("Users/{id}"), None, None)?],
        )
        .await?;
        check(&statuses, &[200])?;
        get_first.push(t);
        let body = user_body(&format!("cold.{run}@example.com"), "Cold");
        let (t, statuses, _) = run_binary(
            handler,
            &sim_url,
            vec![event("POST", "Users", None, Some(&body))?],
        )
        .await?;
        check(&statuses, &[201])?;
        create_first.push(t);
    }

    // Memory: one process through a long mixed run.
    let mut events = Vec::new();
    let mut want = Vec::new();
    for i in 0..invocations {
        let (e, status) = match i % 4 {
            0 => (
                event(
                    "POST",
                    "Users",
                    None,
                    Some(&user_body(&format!("rss.{i:05}@example.com"), "Rss")),
                )?,
                201,
            ),
            1 => (event("GET", &format!("Users/{id}"), None, None)?, 200),
            2 => (
                event(
                    "PATCH",
                    &format!("Users/{id}"),
                    None,
                    Some(&patch_body(
                        json!({"op": "Replace", "path": "name.givenName", "value": format!("R{i}")}),
                    )),
                )?,
                200,
            ),
            _ => (event("GET", "Users", Some(("count", "100")), None)?, 200),
        };
        events.push(e);
        want.push(status);
    }
    let (_, statuses, peak_kb) = run_binary(handler, &sim_url, events).await?;
    check(&statuses, &want)?;
    let median = |mut v: Vec<Duration>| {
        v.sort_unstable();
        v.get(v.len() / 2).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok(json!({
        "runs": runs,
        "start_to_first_get_ms": median(get_first),
        "start_to_first_create_ms": median(create_first),
        "invocations": invocations,
        "peak_rss_mb": peak_kb as f64 / 1024.0,
    }))
}

/// Stops the stand-in runtime (and the requests it holds) however a run ends.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn check(got: &[u16], want: &[u16]) -> BenchResult<()> {
    if got == want {
        Ok(())
    } else {
        Err(format!("the handler answered {got:?}, expected {want:?}").into())
    }
}
