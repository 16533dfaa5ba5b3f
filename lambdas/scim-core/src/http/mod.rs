//! The HTTP surface: one axum Router, served by the Lambda through
//! `lambda_http` and locally through `axum::serve`.

mod auth;
mod body;
mod common;
mod discovery;
mod groups;
mod resource;
mod search;
mod users;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

pub use auth::BearerToken;
pub use body::{MAX_BODY_BYTES, ScimJson};

use crate::directory::Directory;
use crate::error::ScimError;
use crate::schema::{GROUP_RESOURCE, ResourceSchema, USER_RESOURCE};

/// The SCIM media type (RFC 7644 §3.1).
pub const SCIM_MEDIA_TYPE: &str = "application/scim+json";

/// Where SCIM is mounted.
pub const BASE_PATH: &str = "/scim/v2";

/// Who checks the bearer token.
#[derive(Debug, Clone)]
pub enum Auth {
    /// This server does, in constant time (local mode).
    Bearer(BearerToken),
    /// Something in front of it already did (API Gateway's Lambda authorizer).
    Upstream,
}

/// What an IdP's `active: false` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeprovisionMode {
    /// Remove the user from the directory (the original solution's behaviour).
    Delete,
    /// Keep the user, disabled: the directory stores `active: false`.
    Disable,
}

impl DeprovisionMode {
    /// Parses `DEPROVISION_MODE` (`delete`, the default, or `disable`).
    pub fn parse(value: &str) -> Result<Self, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "delete" => Ok(Self::Delete),
            "disable" => Ok(Self::Disable),
            other => Err(format!(
                "DEPROVISION_MODE={other:?} must be \"delete\" or \"disable\""
            )),
        }
    }
}

impl ServerConfig {
    /// Reads `DEPROVISION_MODE` and `SCIM_BASE_URL` from the environment,
    /// as both the Lambda and `make local` do.
    pub fn from_env(auth: Auth) -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Ok(Self {
            auth,
            deprovision: DeprovisionMode::parse(&var("DEPROVISION_MODE").unwrap_or_default())?,
            base_url: var("SCIM_BASE_URL"),
        })
    }
}

/// Server settings that are not the directory's business.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Token checking.
    pub auth: Auth,
    /// What `active: false` does.
    pub deprovision: DeprovisionMode,
    /// Public base URL (ending in `/scim/v2`) for `meta.location`; when
    /// unset it is derived from the request's `Host` and
    /// `X-Forwarded-Proto` headers.
    pub base_url: Option<String>,
}

pub(crate) struct AppState<D> {
    pub directory: Arc<D>,
    pub config: Arc<ServerConfig>,
}

impl<D> Clone for AppState<D> {
    fn clone(&self) -> Self {
        Self {
            directory: self.directory.clone(),
            config: self.config.clone(),
        }
    }
}

impl<D> AppState<D> {
    /// The base URL clients reach SCIM at.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(base) = &self.config.base_url {
            return base.trim_end_matches('/').to_owned();
        }
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let proto = match header("x-forwarded-proto") {
            Some("https") => "https",
            _ => "http",
        };
        let host = header(header::HOST.as_str()).unwrap_or("localhost");
        // API Gateway's stage (`/prod`), set by the Lambda entry point.
        let prefix = header("x-forwarded-prefix")
            .map(|p| p.trim_end_matches('/'))
            .filter(|p| is_path_prefix(p))
            .unwrap_or("");
        format!("{proto}://{host}{prefix}{BASE_PATH}")
    }
}

/// `/a/b`: path segments of unreserved characters only.
fn is_path_prefix(prefix: &str) -> bool {
    prefix.strip_prefix('/').is_some_and(|rest| {
        rest.split('/').all(|segment| {
            !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
        })
    })
}

/// The SCIM Router: `/scim/v2/...` over `directory`.
pub fn app<D: Directory>(directory: Arc<D>, config: ServerConfig) -> Router {
    let auth = config.auth.clone();
    let state = AppState {
        directory,
        config: Arc::new(config),
    };
    let scim = Router::new()
        .merge(resource::routes::<D, users::Users>())
        .merge(resource::routes::<D, groups::Groups>())
        .route("/.search", axum::routing::post(search::search_all::<D>))
        .route(
            "/ServiceProviderConfig",
            get(discovery::service_provider_config::<D>),
        )
        .route("/Schemas", get(discovery::schemas::<D>))
        .route("/Schemas/{id}", get(discovery::schema::<D>))
        .route("/ResourceTypes", get(discovery::resource_types::<D>))
        .route("/ResourceTypes/{id}", get(discovery::resource_type::<D>))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    let scim = match auth {
        Auth::Bearer(token) => scim.layer(middleware::from_fn_with_state(
            Arc::new(token),
            auth::require_bearer,
        )),
        Auth::Upstream => scim,
    };
    Router::new()
        .nest(BASE_PATH, scim)
        .fallback(not_found)
        .layer(middleware::from_fn(audit))
}

async fn not_found() -> ScimError {
    ScimError::not_found("No such SCIM endpoint")
}

async fn method_not_allowed() -> ScimError {
    ScimError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        None,
        "Method not allowed on this endpoint",
    )
}

/// A JSON body with the SCIM media type.
pub(crate) fn scim_json(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_MEDIA_TYPE));
    response
}

/// The request's id, for the audit event, 5xx bodies and `X-Request-Id`:
/// the Lambda entry point sets API Gateway's (so it matches the access
/// log); without it one is made up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Logs one `scim_audit` event per request: operation, resource, upstream
/// calls, outcome and duration. The path's query is left out (it can carry
/// user names), and no header, user name or email is ever logged.
async fn audit(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let (mut response, record) = crate::audit::scope(request_id, next.run(request)).await;
    let status = response.status().as_u16();
    let operation = operation_name(&method, &path);
    tracing::info!(
        target: "scim_audit",
        operation = &*operation,
        method = %method,
        path = %path,
        status,
        request_id = %record.request_id,
        resource_id = record.resource_id.as_deref().unwrap_or(""),
        connect_calls = %record.calls.join(","),
        connect_call_count = record.calls.len(),
        duration_ms = started.elapsed().as_secs_f64() * 1000.0,
        "scim operation"
    );
    if let Ok(value) = HeaderValue::from_str(&record.request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// The SCIM operation a request asks for, named for dashboards and
/// metrics (the path holds ids, so it cannot be a metric dimension).
fn operation_name(method: &Method, path: &str) -> Cow<'static, str> {
    let Some(rest) = path.strip_prefix(BASE_PATH) else {
        return "Other".into();
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match (method.as_str(), segments.as_slice()) {
        ("POST", [".search"]) => "Search".into(),
        ("GET", ["ServiceProviderConfig" | "Schemas" | "ResourceTypes", ..]) => "Discovery".into(),
        // Only endpoints matter here, which every User resource type shares.
        (method, [endpoint, rest @ ..]) => [&USER_RESOURCE, &GROUP_RESOURCE]
            .into_iter()
            .find(|r| r.endpoint.strip_prefix('/') == Some(*endpoint))
            .and_then(|r| resource_operation(method, rest, r))
            .map_or("Other".into(), Cow::Owned),
        _ => "Other".into(),
    }
}

/// `CreateUser`, `ListGroups`…: the verb, then the resource type, plural
/// where the operation spans many. `rest` is the path after the endpoint.
fn resource_operation(method: &str, rest: &[&str], resource: &ResourceSchema) -> Option<String> {
    let (verb, many) = match (method, rest) {
        ("POST", [".search"]) => ("Search", true),
        ("POST", []) => ("Create", false),
        ("GET", []) => ("List", true),
        ("GET", [_]) => ("Get", false),
        ("PUT", [_]) => ("Replace", false),
        ("PATCH", [_]) => ("Patch", false),
        ("DELETE", [_]) => ("Delete", false),
        _ => return None,
    };
    let noun = if many {
        resource.endpoint.trim_start_matches('/')
    } else {
        resource.name
    };
    Some(format!("{verb}{noun}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_named_without_ids() {
        let name = |m: Method, p: &str| operation_name(&m, p);
        assert_eq!(name(Method::POST, "/scim/v2/Users"), "CreateUser");
        assert_eq!(name(Method::GET, "/scim/v2/Users"), "ListUsers");
        assert_eq!(name(Method::GET, "/scim/v2/Users/"), "ListUsers");
        assert_eq!(name(Method::GET, "/scim/v2/Users/abc"), "GetUser");
        assert_eq!(name(Method::PATCH, "/scim/v2/Users/abc"), "PatchUser");
        assert_eq!(name(Method::PUT, "/scim/v2/Users/abc"), "ReplaceUser");
        assert_eq!(name(Method::DELETE, "/scim/v2/Users/abc"), "DeleteUser");
        assert_eq!(name(Method::POST, "/scim/v2/Users/.search"), "SearchUsers");
        assert_eq!(name(Method::POST, "/scim/v2/.search"), "Search");
        assert_eq!(name(Method::GET, "/scim/v2/Schemas/urn:x"), "Discovery");
        assert_eq!(name(Method::DELETE, "/scim/v2/Users"), "Other");
        assert_eq!(name(Method::PATCH, "/scim/v2/Groups/g"), "PatchGroup");
        assert_eq!(name(Method::GET, "/scim/v2/Groups"), "ListGroups");
        assert_eq!(name(Method::GET, "/elsewhere"), "Other");
    }

    #[test]
    fn base_url_follows_the_forwarded_headers() {
        let state = AppState {
            directory: Arc::new(()),
            config: Arc::new(ServerConfig {
                auth: Auth::Upstream,
                deprovision: DeprovisionMode::Delete,
                base_url: None,
            }),
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            header::HOST,
            HeaderValue::from_static("abc.execute-api.us-east-1.amazonaws.com"),
        );
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        headers.insert("x-forwarded-prefix", HeaderValue::from_static("/prod"));
        assert_eq!(
            state.base_url(&headers),
            "https://abc.execute-api.us-east-1.amazonaws.com/prod/scim/v2"
        );
        headers.insert("x-forwarded-prefix", HeaderValue::from_static("/evil\"\"@x"));
        assert_eq!(
            state.base_url(&headers),
            "https://abc.execute-api.us-east-1.amazonaws.com/scim/v2"
        );
        headers.insert("x-forwarded-proto", HeaderValue::from_static("javascript"));
        assert!(state.base_url(&headers).starts_with("http://"));
    }
}
