//! SCIM errors (RFC 7644 §3.12): one type for the whole core, turned into an
//! `application/scim+json` Error body in exactly one place.

use std::fmt;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::schema::ERROR_URN;

/// The `scimType` values RFC 7644 §3.12 defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    /// The filter syntax or the filtered attribute is not supported.
    InvalidFilter,
    /// The query would return more results than allowed.
    TooMany,
    /// A value is not unique (e.g. `userName`).
    Uniqueness,
    /// The attempted change is not compatible with the attribute's mutability.
    Mutability,
    /// The request body is not valid SCIM.
    InvalidSyntax,
    /// The PATCH `path` is invalid or malformed.
    InvalidPath,
    /// The PATCH `path` filter matched nothing.
    NoTarget,
    /// A value is invalid for its attribute.
    InvalidValue,
    /// The protocol version is not supported.
    InvalidVers,
    /// The request carried sensitive data in the URL.
    Sensitive,
}

impl ScimType {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
        }
    }
}

/// A SCIM error answer: status, optional `scimType`, a human-readable detail,
/// and for 429/503 how long the client should wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    status: StatusCode,
    scim_type: Option<ScimType>,
    detail: String,
    retry_after: Option<Duration>,
}

impl ScimError {
    /// An error with any status.
    pub fn new(status: StatusCode, scim_type: Option<ScimType>, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
            retry_after: None,
        }
    }

    /// 400 with a `scimType`.
    pub fn bad_request(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, Some(scim_type), detail)
    }

    /// 400 `invalidValue`.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidValue, detail)
    }

    /// 400 `invalidSyntax`.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidSyntax, detail)
    }

    /// 400 `invalidPath`.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidPath, detail)
    }

    /// 400 `mutability`.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::Mutability, detail)
    }

    /// 400 `invalidFilter`.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidFilter, detail)
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, None, detail)
    }

    /// 403: the token is good, but this bridge may not do what was asked
    /// (RFC 7644 §3.12 defines no `scimType` for it).
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, None, detail)
    }

    /// 409 `uniqueness`.
    pub fn uniqueness(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, Some(ScimType::Uniqueness), detail)
    }

    /// 401: no or wrong credentials.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            None,
            "Authorization failure: a valid bearer token is required",
        )
    }

    /// 429 with `Retry-After`.
    pub fn too_many_requests(detail: impl Into<String>, retry_after: Duration) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, None, detail).with_retry_after(retry_after)
    }

    /// 503 with `Retry-After`.
    pub fn unavailable(detail: impl Into<String>, retry_after: Duration) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, None, detail).with_retry_after(retry_after)
    }

    /// Adds a `Retry-After` header (whole seconds, at least one).
    pub fn with_retry_after(mut self, retry_after: Duration) -> Self {
        self.retry_after = Some(retry_after);
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `scimType`, when there is one.
    pub fn scim_type(&self) -> Option<ScimType> {
        self.scim_type
    }

    /// The human-readable detail.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.status.as_u16())?;
        if let Some(t) = self.scim_type {
            write!(f, "{} ", t.as_str())?;
        }
        f.write_str(&self.detail)
    }
}

impl std::error::Error for ScimError {}

impl ScimError {
    /// What a client is told. A server-side failure's own detail can carry
    /// AWS error text (account ids, role ARNs): it goes to the log under the
    /// request id, and the client gets a generic sentence with that id.
    fn public_detail(&self) -> String {
        if !self.status.is_server_error() {
            return self.detail.clone();
        }
        let request_id = crate::audit::request_id().unwrap_or_else(|| "-".to_owned());
        tracing::error!(
            status = self.status.as_u16(),
            request_id = %request_id,
            detail = %self.detail,
            "request failed"
        );
        let what = match self.status {
            StatusCode::SERVICE_UNAVAILABLE => {
                "Amazon Connect is unavailable or busy; retry after the given delay"
            }
            StatusCode::BAD_GATEWAY => "Amazon Connect refused or failed the request",
            _ => "The request failed inside the provisioning service",
        };
        format!("{what} (request id {request_id}; the service log has the details)")
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [ERROR_URN],
            "status": self.status.as_u16().to_string(),
            "detail": self.public_detail(),
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = t.as_str().into();
        }
        let mut response = crate::http::scim_json(self.status, &body);
        if let Some(wait) = self.retry_after {
            let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"SCIM\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(err: ScimError) -> serde_json::Value {
        let response = err.into_response();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn server_errors_tell_the_client_a_request_id_not_the_aws_text() {
        let arn = "arn:aws:iam::123456789012:role/ScimHandlerRole";
        let failed = ScimError::new(
            StatusCode::BAD_GATEWAY,
            None,
            format!("CreateUser was denied for {arn}"),
        );
        let (body, _) = crate::audit::scope("req-7".to_owned(), body_of(failed)).await;
        let detail = body["detail"].as_str().unwrap();
        assert!(
            !detail.contains("123456789012") && !detail.contains("arn:"),
            "{detail}"
        );
        assert!(detail.contains("req-7"), "{detail}");
        assert_eq!(body["status"], "502");
    }

    #[tokio::test]
    async fn client_errors_keep_their_detail() {
        let body = body_of(ScimError::invalid_value("title is too long")).await;
        assert_eq!(body["detail"], "title is too long");
        assert_eq!(body["scimType"], "invalidValue");
    }
}
