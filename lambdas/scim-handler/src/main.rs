//! The SCIM handler Lambda: the scim-core Router over the Connect adapter,
//! behind API Gateway (whose Lambda authorizer has checked the token).
//!
//! Configuration comes from the environment: `CONNECT_INSTANCE_ID`,
//! `DEPROVISION_MODE`, `DEFAULT_SECURITY_PROFILE`, `DEFAULT_ROUTING_PROFILE`,
//! `DISABLED_SECURITY_PROFILE`, `SCIM_BASE_URL`.

use std::sync::Arc;

use aws_config::BehaviorVersion;
use connect_directory::{ConnectDirectory, ConnectSettings};
use scim_core::{Auth, ServerConfig};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        // CloudWatch stamps every line; a second timestamp only costs bytes.
        .without_time()
        .with_current_span(false)
        .init();
    // Clients are built once per execution environment, outside the handler.
    let sdk_config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let directory = Arc::new(ConnectDirectory::new(&sdk_config, ConnectSettings::from_env()?));
    let config = ServerConfig::from_env(Auth::Upstream)?;
    lambda_http::run(scim_core::app(directory, config)).await
}
