//! Bearer-token check for local mode (in AWS, the Lambda authorizer does it).

use std::fmt;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::error::ScimError;

/// The token clients must present. Its `Debug` never shows it.
#[derive(Clone)]
pub struct BearerToken(Arc<str>);

impl BearerToken {
    /// Refuses an empty token.
    pub fn new(token: impl Into<String>) -> Result<Self, &'static str> {
        let token = token.into();
        if token.trim().is_empty() {
            return Err("the bearer token must not be empty");
        }
        Ok(Self(token.into()))
    }

    /// Whether `presented` is the token, compared in constant time for equal
    /// lengths (the length itself is not secret).
    pub fn matches(&self, presented: &str) -> bool {
        bool::from(self.0.as_bytes().ct_eq(presented.as_bytes()))
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

/// The credentials of `Authorization: Bearer <token>` (scheme in any case).
pub(crate) fn bearer(value: &str) -> Option<&str> {
    let (scheme, credentials) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| credentials.trim())
}

pub(crate) async fn require_bearer(
    State(token): State<Arc<BearerToken>>,
    request: Request,
    next: Next,
) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer);
    match presented {
        Some(p) if token.matches(p) => next.run(request).await,
        _ => ScimError::unauthorized().into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison_and_redaction() {
        let token = BearerToken::new("s3cret-token").unwrap();
        assert!(token.matches("s3cret-token"));
        assert!(!token.matches("s3cret-tokeN"));
        assert!(!token.matches("s3cret"));
        assert!(!token.matches(""));
        assert!(!format!("{token:?}").contains("s3cret"));
        assert!(BearerToken::new(" ").is_err());
    }

    #[test]
    fn bearer_scheme_parsing() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer   abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer"), None);
    }
}
