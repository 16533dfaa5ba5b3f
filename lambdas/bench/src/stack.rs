//! The measured stack: the simulator on loopback, the real Connect adapter
//! and SDK client, and the Router driven in-process.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use connect_directory::{ConnectDirectory, ConnectSettings, Pace};
use connect_sim::{DEFAULT_INSTANCE_ID, NamedKind, RunningSimulator, SimConfig, Stats};
use scim_core::{Auth, DeprovisionMode, ServerConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::BenchResult;

pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// A simulator with no throttling and no added latency, and the SDK
/// configuration pointing at it.
pub struct Bench {
    pub running: RunningSimulator,
    sdk: aws_config::SdkConfig,
}

impl Bench {
    pub async fn start() -> BenchResult<Self> {
        let running = connect_sim::spawn(&SimConfig::unthrottled(), "127.0.0.1:0").await?;
        running.sim.add_named(
            DEFAULT_INSTANCE_ID,
            NamedKind::SecurityProfile,
            "SCIM-Disabled",
            None,
        )?;
        // The predefined attributes routing-ready agents are measured with.
        for (name, values) in [
            ("Language", &["English", "Spanish", "French"][..]),
            ("Skill", &["Billing", "Returns"][..]),
        ] {
            running
                .sim
                .add_predefined_attribute(DEFAULT_INSTANCE_ID, name, values)?;
        }
        let sdk = connect_directory::sdk_config_for_endpoint(&running.url()).await;
        Ok(Self { running, sdk })
    }

    /// A fresh adapter (empty caches and page tokens), pacing off.
    pub fn directory(&self) -> Arc<ConnectDirectory> {
        self.directory_paced(Pace {
            rate: 0.0,
            ..Pace::CONNECT_DEFAULT
        })
    }

    /// A fresh adapter pacing its Connect calls at `pace`.
    pub fn directory_paced(&self, pace: Pace) -> Arc<ConnectDirectory> {
        let mut settings = ConnectSettings::new(DEFAULT_INSTANCE_ID);
        settings.pace = pace;
        Arc::new(ConnectDirectory::new(&self.sdk, settings))
    }

    pub fn stats(&self) -> Stats {
        self.running.sim.stats()
    }

    pub fn user_count(&self) -> usize {
        self.running.sim.users(DEFAULT_INSTANCE_ID).len()
    }
}

/// The Router over `directory`, as API Gateway's authorizer fronts it.
pub fn app(directory: Arc<ConnectDirectory>, deprovision: DeprovisionMode) -> Router {
    scim_core::app(
        directory,
        ServerConfig {
            auth: Auth::Upstream,
            deprovision,
            base_url: Some("https://scim.example.com/scim/v2".into()),
        },
    )
}

/// One SCIM request through the Router.
pub async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    body: Option<&Value>,
) -> BenchResult<(StatusCode, Value)> {
    let mut request = Request::builder()
        .method(method)
        .uri(format!("/scim/v2{uri}"))
        .header(header::HOST, "scim.example.com");
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/scim+json");
    }
    let request = request.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))?;
    let response = app.clone().oneshot(request).await?;
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok((status, value))
}

/// Like `send`, but anything other than `want` is an error.
pub async fn expect(
    app: &Router,
    want: StatusCode,
    method: &str,
    uri: &str,
    body: Option<&Value>,
) -> BenchResult<Value> {
    let (status, value) = send(app, method, uri, body).await?;
    if status != want {
        return Err(format!("{method} {uri}: {status} (wanted {want}): {value}").into());
    }
    Ok(value)
}

/// Creates `user_name` through the Router and returns its id.
pub async fn create(app: &Router, user_name: &str, given: &str) -> BenchResult<String> {
    let created = expect(
        app,
        StatusCode::CREATED,
        "POST",
        "/Users",
        Some(&user_body(user_name, given)),
    )
    .await?;
    created["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no id in {created}").into())
}

/// An Entra ID create body.
pub fn user_body(user_name: &str, given: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "userName": user_name,
        "externalId": format!("ext-{user_name}"),
        "active": true,
        "name": {"givenName": given, "familyName": "Bench"},
        "emails": [{"value": user_name, "type": "work", "primary": true}],
    })
}

/// An Entra ID PATCH body of one operation.
pub fn patch_body(op: Value) -> Value {
    json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [op]})
}

/// `userName eq "…"` as a query string.
pub fn lookup_uri(user_name: &str) -> String {
    format!(
        "/Users?filter=userName%20eq%20%22{}%22",
        user_name.replace('@', "%40")
    )
}

/// Connect calls between two snapshots, by operation.
pub fn delta(before: &Stats, after: &Stats) -> BTreeMap<String, u64> {
    after
        .operations
        .iter()
        .filter_map(|(op, s)| {
            let calls = s.calls - before.operations.get(op).map_or(0, |b| b.calls);
            (calls > 0).then(|| (op.clone(), calls))
        })
        .collect()
}
