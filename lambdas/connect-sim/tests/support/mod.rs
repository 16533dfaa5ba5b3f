//! Helpers shared by the test crates (`sdk`, `prose`): a simulator with a
//! real `aws-sdk-connect` client on it, seeded ids, request builders, and
//! raw restJson1 requests.

// Each test crate uses its own part of these.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use aws_sdk_connect::Client;
use aws_sdk_connect::config::http::HttpResponse;
use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::types::{StringComparisonType, StringCondition, UserIdentityInfo, UserSearchCriteria};
use connect_sim::{DEFAULT_INSTANCE_ID, NamedKind, RunningSimulator, SimConfig, Simulator};

pub const INSTANCE: &str = DEFAULT_INSTANCE_ID;

pub async fn start(config: SimConfig) -> (RunningSimulator, Client) {
    let running = connect_sim::spawn(&config, "127.0.0.1:0").await.expect("bind");
    let sdk = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(running.url())
        .credentials_provider(Credentials::new("AKIDSIM", "secret", None, None, "test"))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        // Tests look at single answers; the SDK must not hide them behind retries.
        .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
        .build();
    (running, Client::from_conf(sdk))
}

/// The seeded Agent and Admin security profiles and Basic Routing Profile
/// of an instance.
#[derive(Debug)]
pub struct Ids {
    pub agent: String,
    pub admin: String,
    pub routing: String,
}

pub fn ids(sim: &Simulator, instance: &str) -> Ids {
    let profile = |name| {
        sim.named_id(instance, NamedKind::SecurityProfile, name)
            .expect("seeded profile")
    };
    Ids {
        agent: profile("Agent"),
        admin: profile("Admin"),
        routing: sim
            .named_id(instance, NamedKind::RoutingProfile, "Basic Routing Profile")
            .expect("seeded routing profile"),
    }
}

pub fn names(first: &str, last: &str) -> UserIdentityInfo {
    UserIdentityInfo::builder()
        .first_name(first)
        .last_name(last)
        .build()
}

/// A CreateUser request with the required members set; callers add the rest.
pub fn create_user(
    client: &Client,
    ids: &Ids,
    instance: &str,
    username: &str,
) -> aws_sdk_connect::operation::create_user::builders::CreateUserFluentBuilder {
    client
        .create_user()
        .instance_id(instance)
        .username(username)
        .security_profile_ids(&ids.agent)
        .routing_profile_id(&ids.routing)
}

/// A SAML user on the default instance, named `first` `last`; its id.
pub async fn saml_user(client: &Client, ids: &Ids, username: &str, first: &str, last: &str) -> String {
    create_user(client, ids, INSTANCE, username)
        .identity_info(names(first, last))
        .send()
        .await
        .expect("create user")
        .user_id
        .expect("user id")
}

pub fn string_condition(field: &str, value: &str, how: StringComparisonType) -> StringCondition {
    StringCondition::builder()
        .field_name(field)
        .value(value)
        .comparison_type(how)
        .build()
}

pub fn user_criteria(field: &str, value: &str, how: StringComparisonType) -> UserSearchCriteria {
    UserSearchCriteria::builder()
        .string_condition(string_condition(field, value, how))
        .build()
}

/// The exception name and HTTP status of a failed call.
pub fn failure<E, R>(result: Result<R, SdkError<E, HttpResponse>>) -> (String, u16)
where
    E: ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    let err = result.expect_err("the call should fail");
    let status = err.raw_response().map_or(0, |r| r.status().as_u16());
    (err.code().unwrap_or_default().to_owned(), status)
}

pub const INVALID: (&str, u16) = ("InvalidParameterException", 400);
pub const NOT_FOUND: (&str, u16) = ("ResourceNotFoundException", 404);

pub fn is(actual: &(String, u16), expected: (&str, u16)) -> bool {
    actual.0 == expected.0 && actual.1 == expected.1
}

/// An answer to a raw request.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    /// The `x-amzn-ErrorType` header.
    pub error_type: Option<String>,
    pub body: serde_json::Value,
}

/// Sends a raw restJson1 request through the simulator's router (counted
/// and gated like any call).
pub async fn raw(sim: &Simulator, method: &str, path: &str, body: Option<serde_json::Value>) -> Raw {
    use tower::ServiceExt;
    let request = http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            body.map(|b| b.to_string()).unwrap_or_default(),
        ))
        .unwrap();
    let response = sim.router().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let error_type = response
        .headers()
        .get("x-amzn-ErrorType")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    Raw {
        status,
        error_type,
        body: serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
    }
}
