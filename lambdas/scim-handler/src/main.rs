//! The SCIM handler Lambda: the scim-core Router over the Connect adapter,
//! behind API Gateway (whose Lambda authorizer has checked the token).
//!
//! Configuration comes from the environment: `CONNECT_INSTANCE_ID`,
//! `DEPROVISION_MODE`, `DEFAULT_SECURITY_PROFILE`, `DEFAULT_ROUTING_PROFILE`,
//! `DISABLED_SECURITY_PROFILE`, `SCIM_BASE_URL`, `METRICS_NAMESPACE`. The stack sets
//! `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH=true`, so routes see `/scim/v2/…`.

mod emf;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::HeaderValue;
use connect_directory::{ConnectDirectory, ConnectSettings};
use lambda_http::request::RequestContext;
use scim_core::{Auth, RequestId, ServerConfig};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Tells the core which API Gateway stage the client called, so
/// `meta.location` and `Location` carry it (`…/prod/scim/v2/Users/{id}`),
/// and API Gateway's request id, so the audit event and error bodies name
/// the id its access log has.
async fn from_gateway(mut request: Request) -> Request {
    let (stage, request_id) = match request.extensions().get::<RequestContext>() {
        Some(RequestContext::ApiGatewayV1(context)) => (context.stage.clone(), context.request_id.clone()),
        _ => (None, None),
    };
    if let Some(id) = request_id.filter(|id| !id.is_empty()) {
        request.extensions_mut().insert(RequestId(id));
    }
    if let Some(value) = stage
        .filter(|s| !s.is_empty() && s != "$default")
        .and_then(|s| HeaderValue::from_str(&format!("/{s}")).ok())
    {
        request.headers_mut().insert("x-forwarded-prefix", value);
    }
    request
}

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let namespace = std::env::var("METRICS_NAMESPACE")
        .ok()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| emf::DEFAULT_NAMESPACE.to_owned());
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                // CloudWatch stamps every line; a second timestamp only costs bytes.
                .without_time()
                .with_current_span(false)
                .with_filter(filter),
        )
        .with(
            emf::EmfLayer::new(namespace, std::io::stdout)
                .with_filter(Targets::new().with_target("scim_audit", tracing::Level::INFO)),
        )
        .init();
    // Clients are built once per execution environment, outside the handler.
    let sdk_config = sdk_config::from_env().await;
    let directory = Arc::new(ConnectDirectory::new(&sdk_config, ConnectSettings::from_env()?));
    let config = ServerConfig::from_env(Auth::Upstream)?;
    let app = scim_core::app(directory, config).layer(axum::middleware::map_request(from_gateway));
    lambda_http::run(app).await
}
