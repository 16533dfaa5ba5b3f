//! The AWS SDK configuration both Lambdas (and the local tools) use.
//!
//! The SDK crates are built without their default HTTPS client (rustls over
//! aws-lc-rs); this one is hyper + rustls over `ring`: the same protocol and
//! certificate handling in a smaller binary. Every SDK configuration must
//! carry it, or calls fail at run time, so it is built here and only here.

use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// HTTPS (and plain HTTP, for the simulator) with rustls over ring.
pub fn https_client() -> SharedHttpClient {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The standard chain (credentials, region and endpoints from the
/// environment, as Lambda provides them), with [`https_client`].
pub fn loader() -> aws_config::ConfigLoader {
    aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(https_client())
}

/// [`loader`], loaded.
pub async fn from_env() -> aws_config::SdkConfig {
    loader().load().await
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn every_configuration_carries_the_http_client() {
        // A region given, so loading does not probe the instance metadata service.
        let config = super::loader()
            .region(aws_config::Region::new("us-east-1"))
            .load()
            .await;
        assert!(config.http_client().is_some());
    }
}
