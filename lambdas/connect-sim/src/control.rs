//! The simulator's own routes under `/_sim`: call counters, runtime knobs
//! and instances added from outside the process. Not Connect operations:
//! they pass no gate and are not counted.

use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde::{Deserialize, Serialize};

use crate::Simulator;
use crate::config::{Faults, Quota};
use crate::error::ConnectError;
use crate::identity::IdentityType;
use crate::routes::{Answer, body, ok_member};

pub(crate) fn routes(router: Router<Simulator>) -> Router<Simulator> {
    router
        .route("/_sim/stats", get(stats).delete(reset_stats))
        .route("/_sim/settings", get(settings).put(update_settings))
        .route("/_sim/instances/{instance}", put(add_instance))
}

async fn stats(State(sim): State<Simulator>) -> Response {
    Json(sim.stats()).into_response()
}

async fn reset_stats(State(sim): State<Simulator>) -> StatusCode {
    sim.reset_stats();
    StatusCode::NO_CONTENT
}

/// `PUT /_sim/instances/{id}`, optionally with `{"identityType": "CONNECT_MANAGED"}`:
/// adds a freshly seeded instance (of the configured type by default) for
/// clients outside the process, and describes it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewInstance {
    identity_type: Option<String>,
}

async fn add_instance(State(sim): State<Simulator>, Path(instance): Path<String>, bytes: Bytes) -> Answer {
    let new: NewInstance = body(&bytes)?;
    if instance.is_empty() || instance.len() > 100 {
        return Err(ConnectError::invalid("An instance id has 1 to 100 characters"));
    }
    match new.identity_type {
        Some(kind) => {
            let kind: IdentityType = kind.parse().map_err(|e| ConnectError::invalid(format!("{e}")))?;
            sim.add_instance_of(&instance, kind);
        }
        None => sim.add_instance(&instance),
    }
    let described = sim.world(|w| w.describe_instance(&instance))?;
    ok_member("Instance", &described)
}

/// Runtime knobs: `PUT /_sim/settings` with any of these members.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Settings {
    rate: Option<f64>,
    burst: Option<u32>,
    error_rate: Option<f64>,
    lost_response_rate: Option<f64>,
    latency_ms: Option<u64>,
    search_lag_ms: Option<u64>,
}

async fn settings(State(sim): State<Simulator>) -> Response {
    let (quota, faults) = sim.settings();
    Json(Settings {
        rate: Some(quota.rate),
        burst: Some(quota.burst),
        error_rate: Some(faults.error_rate),
        lost_response_rate: Some(faults.lost_response_rate),
        latency_ms: Some(millis(faults.latency)),
        search_lag_ms: Some(millis(sim.search_lag())),
    })
    .into_response()
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

async fn update_settings(State(sim): State<Simulator>, bytes: Bytes) -> Answer {
    let new: Settings = body(&bytes)?;
    let (quota, faults) = sim.settings();
    let quota = Quota {
        rate: new.rate.unwrap_or(quota.rate),
        burst: new.burst.unwrap_or(quota.burst),
    };
    let faults = Faults {
        error_rate: new.error_rate.unwrap_or(faults.error_rate),
        lost_response_rate: new.lost_response_rate.unwrap_or(faults.lost_response_rate),
        latency: new.latency_ms.map_or(faults.latency, Duration::from_millis),
        seed: faults.seed,
    };
    let valid = quota.rate.is_finite()
        && quota.rate >= 0.0
        && (quota.burst >= 1 || quota.rate == 0.0)
        && (0.0..=1.0).contains(&faults.error_rate)
        && (0.0..=1.0).contains(&faults.lost_response_rate)
        && new.search_lag_ms.is_none_or(|lag| lag <= 3_600_000);
    if !valid {
        return Err(ConnectError::invalid(
            "rate must be >= 0, burst >= 1, errorRate within 0..1, searchLagMs at most 3600000",
        ));
    }
    sim.set_quota(quota);
    sim.set_faults(faults);
    if let Some(lag) = new.search_lag_ms {
        sim.set_search_lag(Duration::from_millis(lag));
    }
    Ok(settings(State(sim)).await)
}
