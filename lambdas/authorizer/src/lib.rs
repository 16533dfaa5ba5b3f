//! The API Gateway Lambda authorizer (TOKEN type) in front of the SCIM API.
//!
//! The decision is a pure function, [`decide`]: the presented bearer token
//! against the valid tokens (the secret's `AWSCURRENT` and `AWSPREVIOUS`
//! versions, so a rotation has an overlap window), compared in constant
//! time. The token is never logged or echoed, and malformed input never
//! panics. [`Authorizer`] adds a short-lived cache of the valid tokens and the
//! API Gateway response shape.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_lambda_events::apigw::{
    ApiGatewayCustomAuthorizerPolicy, ApiGatewayCustomAuthorizerRequest, ApiGatewayCustomAuthorizerResponse,
};
use aws_lambda_events::iam::{IamPolicyEffect, IamPolicyStatement};
use subtle::ConstantTimeEq;
use tokio::sync::Mutex;

/// What to tell API Gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The token is one of the valid ones; which one is logged, so an
    /// administrator sees when the IdP has switched to a rotated token.
    Allow(TokenStage),
    /// Missing, malformed or wrong: API Gateway answers 401.
    Deny,
}

/// Which valid token was presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenStage {
    /// The secret's `AWSCURRENT`.
    Current,
    /// The secret's `AWSPREVIOUS`: still accepted until `make retire-token`.
    Previous,
}

impl TokenStage {
    /// `current` or `previous`, as logged.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Previous => "previous",
        }
    }
}

/// The credentials of an `Authorization` header value: `Bearer <token>`,
/// scheme in any case, surrounding blanks ignored.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Whether `presented` (a whole `Authorization` header value) carries one of
/// `valid` (`AWSCURRENT` first, then `AWSPREVIOUS` when there is one). Every
/// valid token is compared, in constant time, whatever the outcome of the
/// others.
pub fn decide(presented: Option<&str>, valid: &[String]) -> Decision {
    let Some(token) = presented.and_then(bearer) else {
        return Decision::Deny;
    };
    let matches: Vec<bool> = valid
        .iter()
        .map(|candidate| !candidate.is_empty() && bool::from(candidate.as_bytes().ct_eq(token.as_bytes())))
        .collect();
    match matches.iter().position(|m| *m) {
        Some(0) => Decision::Allow(TokenStage::Current),
        Some(_) => Decision::Allow(TokenStage::Previous),
        None => Decision::Deny,
    }
}

/// Why the valid tokens could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the token secret could not be read: {0}")]
pub struct SecretError(pub String);

/// Where the valid tokens come from (Secrets Manager in Lambda).
pub trait TokenSource: Send + Sync {
    /// The currently valid tokens: `AWSCURRENT`, then `AWSPREVIOUS` if any.
    fn tokens(&self) -> impl Future<Output = Result<Vec<String>, SecretError>> + Send;
}

/// The authorizer: a token source behind a short-lived cache.
#[derive(Debug)]
pub struct Authorizer<S> {
    source: S,
    ttl: Duration,
    cache: Mutex<Option<(Instant, Arc<Vec<String>>)>>,
}

/// The authorizer's answer to API Gateway: a policy, or "Unauthorized".
#[derive(Debug, thiserror::Error)]
pub enum AuthorizerError {
    /// API Gateway turns exactly this message into a 401.
    #[error("Unauthorized")]
    Unauthorized,
    /// The secret could not be read; API Gateway answers 500.
    #[error(transparent)]
    Secret(#[from] SecretError),
}

impl<S: TokenSource> Authorizer<S> {
    /// Caches the valid tokens for `ttl` (a rotation is seen within it).
    pub fn new(source: S, ttl: Duration) -> Self {
        Self {
            source,
            ttl,
            cache: Mutex::new(None),
        }
    }

    async fn valid_tokens(&self) -> Result<Arc<Vec<String>>, SecretError> {
        let mut cache = self.cache.lock().await;
        if let Some((at, tokens)) = cache.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(tokens.clone());
        }
        let tokens = Arc::new(self.source.tokens().await?);
        *cache = Some((Instant::now(), tokens.clone()));
        Ok(tokens)
    }

    /// Handles one TOKEN authorizer event.
    pub async fn handle(
        &self,
        request: &ApiGatewayCustomAuthorizerRequest,
    ) -> Result<(ApiGatewayCustomAuthorizerResponse, TokenStage), AuthorizerError> {
        let tokens = self.valid_tokens().await?;
        match decide(request.authorization_token.as_deref(), &tokens) {
            Decision::Allow(stage) => Ok((allow(request.method_arn.as_deref().unwrap_or_default()), stage)),
            Decision::Deny => Err(AuthorizerError::Unauthorized),
        }
    }
}

/// The API's ARN for every method and path of the stage, so one cached
/// decision (API Gateway caches by token) serves every SCIM request.
fn stage_wildcard(method_arn: &str) -> String {
    // arn:aws:execute-api:region:account:apiId/stage/METHOD/path…
    let mut parts = method_arn.splitn(3, '/');
    match (parts.next(), parts.next()) {
        (Some(api), Some(stage)) if !api.is_empty() && !stage.is_empty() => format!("{api}/{stage}/*"),
        _ => method_arn.to_owned(),
    }
}

fn allow(method_arn: &str) -> ApiGatewayCustomAuthorizerResponse {
    let mut statement = IamPolicyStatement::default();
    statement.action = vec!["execute-api:Invoke".to_owned()];
    statement.effect = IamPolicyEffect::Allow;
    statement.resource = vec![stage_wildcard(method_arn)];
    let mut policy = ApiGatewayCustomAuthorizerPolicy::default();
    policy.version = Some("2012-10-17".to_owned());
    policy.statement = vec![statement];
    let mut response = ApiGatewayCustomAuthorizerResponse::default();
    response.principal_id = Some("scim-client".to_owned());
    response.policy_document = policy;
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn valid() -> Vec<String> {
        vec!["current-token".to_owned(), "previous-token".to_owned()]
    }

    #[test]
    fn every_branch_of_decide() {
        let current = Decision::Allow(TokenStage::Current);
        assert_eq!(decide(Some("Bearer current-token"), &valid()), current);
        assert_eq!(
            decide(Some("bearer previous-token"), &valid()),
            Decision::Allow(TokenStage::Previous),
            "overlap window"
        );
        assert_eq!(decide(Some("  BEARER   current-token  "), &valid()), current);
        for denied in [
            None,
            Some(""),
            Some("Bearer"),
            Some("Bearer "),
            Some("current-token"),
            Some("Basic current-token"),
            Some("Bearer current-tokenX"),
            Some("Bearer current-toke"),
            Some("Bearer \u{0}\u{ffff}"),
            Some("Bearer CURRENT-TOKEN"),
        ] {
            assert_eq!(decide(denied, &valid()), Decision::Deny, "{denied:?}");
        }
        assert_eq!(decide(Some("Bearer x"), &[]), Decision::Deny);
        assert_eq!(
            decide(Some("Bearer "), &[String::new()]),
            Decision::Deny,
            "an empty secret never matches"
        );
    }

    #[test]
    fn the_policy_covers_the_whole_stage() {
        assert_eq!(
            stage_wildcard("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/scim/v2/Users"),
            "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*"
        );
        assert_eq!(stage_wildcard("garbage"), "garbage");
        let json = serde_json::to_value(allow("arn:aws:execute-api:r:a:api/prod/GET/x")).unwrap();
        assert_eq!(json["policyDocument"]["Statement"][0]["Effect"], "Allow");
        assert_eq!(
            json["policyDocument"]["Statement"][0]["Resource"][0],
            "arn:aws:execute-api:r:a:api/prod/*"
        );
    }

    struct Counting(AtomicUsize, Result<Vec<String>, ()>);

    impl TokenSource for Counting {
        async fn tokens(&self) -> Result<Vec<String>, SecretError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            self.1.clone().map_err(|()| SecretError("boom".into()))
        }
    }

    fn event(header: Option<&str>) -> ApiGatewayCustomAuthorizerRequest {
        let mut e = ApiGatewayCustomAuthorizerRequest::default();
        e.type_ = Some("TOKEN".into());
        e.authorization_token = header.map(str::to_owned);
        e.method_arn = Some("arn:aws:execute-api:r:a:api/prod/GET/scim/v2/Users".into());
        e
    }

    #[tokio::test]
    async fn handle_caches_the_secret_and_never_echoes_the_token() {
        let authorizer = Authorizer::new(
            Counting(AtomicUsize::new(0), Ok(valid())),
            Duration::from_secs(60),
        );
        let (ok, stage) = authorizer
            .handle(&event(Some("Bearer current-token")))
            .await
            .unwrap();
        assert_eq!(stage, TokenStage::Current);
        assert!(!serde_json::to_string(&ok).unwrap().contains("current-token"));
        let err = authorizer.handle(&event(Some("Bearer wrong"))).await.unwrap_err();
        assert_eq!(err.to_string(), "Unauthorized");
        assert!(authorizer.handle(&event(None)).await.is_err());
        assert_eq!(
            authorizer.source.0.load(Ordering::SeqCst),
            1,
            "one secret read for three requests"
        );
    }

    #[tokio::test]
    async fn an_unreadable_secret_is_an_error_not_an_allow() {
        let authorizer = Authorizer::new(Counting(AtomicUsize::new(0), Err(())), Duration::from_secs(60));
        let err = authorizer
            .handle(&event(Some("Bearer current-token")))
            .await
            .unwrap_err();
        assert!(matches!(err, AuthorizerError::Secret(_)));
    }
}
