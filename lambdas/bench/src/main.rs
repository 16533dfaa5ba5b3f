//! `make bench`: measures what users pay for. Connect API calls per SCIM
//! operation at growing instance sizes (Connect's quota is the real limit),
//! in-process latency, and the Lambda binary's start-up and peak memory.
//! Writes one JSON document (`BENCH_OUT`, default `target/bench/ours.json`);
//! `scripts/bench_report.py` prints the table, beside the original solution's
//! figures when they were measured in the same run.
//!
//! Settings: `BENCH_SIZES` (default `100,1000,10000`), `BENCH_HANDLER` (the
//! `scim-handler` binary, default `target/measure/scim-handler`, the
//! `measure` profile `make bench` builds),
//! `BENCH_ITERATIONS` (latency samples per operation, default 2000),
//! `BENCH_ONBOARD_USERS` (bulk onboarding, default 1000).

mod calls;
mod coldstart;
mod latency;
mod onboard;
mod stack;

use std::path::PathBuf;

use serde_json::json;

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn setting(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    let sizes: Vec<usize> = setting("BENCH_SIZES", "100,1000,10000")
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let handler = PathBuf::from(setting("BENCH_HANDLER", "target/measure/scim-handler"));
    let iterations: usize = setting("BENCH_ITERATIONS", "2000").parse()?;
    let out = PathBuf::from(setting("BENCH_OUT", "target/bench/ours.json"));

    eprintln!("bench: Connect calls per operation at {sizes:?} users");
    let calls = calls::run(&sizes).await?;
    eprintln!("bench: in-process latency, {iterations} samples per operation");
    let latency = latency::run(100, iterations).await?;
    eprintln!("bench: {} start-up and memory", handler.display());
    let process = coldstart::run(&handler, 5, 1000).await?;
    let users: usize = setting("BENCH_ONBOARD_USERS", "1000").parse()?;
    eprintln!("bench: bulk onboarding of {users} users");
    let clean = onboard::run(
        "Connect quotas, no faults",
        users,
        16,
        50.0,
        connect_sim::Faults::default(),
    )
    .await?;
    let faulty = onboard::run(
        "5 % 500s, 5 % answers lost after the change, +20 ms",
        users,
        16,
        50.0,
        connect_sim::Faults {
            error_rate: 0.05,
            lost_response_rate: 0.05,
            latency: std::time::Duration::from_millis(20),
            seed: 42,
        },
    )
    .await?;

    let report = json!({
        "solution": "this bridge",
        "operations": calls::OPERATIONS.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "calls": calls,
        "latency_ms": latency,
        "process": process,
        "onboarding": [clean, faulty],
    });
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, serde_json::to_string_pretty(&report)?)?;
    eprintln!("bench: wrote {}", out.display());
    Ok(())
}
