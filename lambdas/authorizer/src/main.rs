//! Lambda entry point of the authorizer: reads `TOKEN_SECRET_ARN` and
//! `TOKEN_CACHE_SECONDS` (default 60), builds the Secrets Manager client once,
//! and answers API Gateway TOKEN authorizer events.

use std::time::Duration;

use authorizer::{Authorizer, SecretError, TokenSource};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerRequest;
use aws_sdk_secretsmanager::Client;
use lambda_runtime::{Error, LambdaEvent, service_fn};

/// The secret's AWSCURRENT and (when there is one) AWSPREVIOUS versions.
struct SecretsManager {
    client: Client,
    secret_id: String,
}

impl TokenSource for SecretsManager {
    async fn tokens(&self) -> Result<Vec<String>, SecretError> {
        let mut tokens = Vec::with_capacity(2);
        for stage in ["AWSCURRENT", "AWSPREVIOUS"] {
            let result = self
                .client
                .get_secret_value()
                .secret_id(&self.secret_id)
                .version_stage(stage)
                .send()
                .await;
            match result {
                Ok(out) => tokens.extend(out.secret_string().map(str::to_owned)),
                // No previous version until the first rotation.
                Err(e)
                    if stage == "AWSPREVIOUS"
                        && e.as_service_error()
                            .is_some_and(|s| s.is_resource_not_found_exception()) => {}
                Err(e) => {
                    let detail = aws_sdk_secretsmanager::error::DisplayErrorContext(&e).to_string();
                    return Err(SecretError(format!("{stage}: {detail}")));
                }
            }
        }
        Ok(tokens)
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt()
        .json()
        .without_time()
        .with_current_span(false)
        .init();
    let secret_id = std::env::var("TOKEN_SECRET_ARN").map_err(|_| "TOKEN_SECRET_ARN is required")?;
    let ttl = std::env::var("TOKEN_CACHE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(60), Duration::from_secs);
    let sdk_config = sdk_config::from_env().await;
    let authorizer = Authorizer::new(
        SecretsManager {
            client: Client::new(&sdk_config),
            secret_id,
        },
        ttl,
    );
    let authorizer = &authorizer;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayCustomAuthorizerRequest>| async move {
            let answer = authorizer.handle(&event.payload).await;
            // Only the outcome and which token (current or previous) are
            // logged: never the token or the header.
            match &answer {
                Ok((_, stage)) => {
                    tracing::info!(outcome = "allow", token = stage.as_str(), "authorizer decision")
                }
                Err(e) => tracing::info!(outcome = %e, "authorizer decision"),
            }
            // API Gateway answers 401 for exactly the message "Unauthorized".
            answer
                .map(|(response, _)| response)
                .map_err(|e| -> Error { Box::new(e) })
        },
    ))
    .await
}
