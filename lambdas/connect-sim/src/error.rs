//! Connect's error shapes on the wire.
//!
//! restJson1 errors carry their type in the `x-amzn-ErrorType` header and a
//! `{"Message": …}` body; the AWS SDKs read either. Status codes are the ones
//! Connect's service model gives each exception.

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An exception Amazon Connect answers with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// 400: a parameter is malformed or violates a constraint.
    #[error("InvalidParameterException: {0}")]
    InvalidParameter(String),
    /// 400: the request itself cannot be read.
    #[error("InvalidRequestException: {0}")]
    InvalidRequest(String),
    /// 403: Connect refuses the combination (e.g. two search filter kinds).
    #[error("AccessDeniedException: {0}")]
    AccessDenied(String),
    /// 404: the instance, user or profile does not exist.
    #[error("ResourceNotFoundException: {0}")]
    ResourceNotFound(String),
    /// 409: a user with that username already exists.
    #[error("DuplicateResourceException: {0}")]
    DuplicateResource(String),
    /// 429: a resource limit (e.g. tags per resource) is reached.
    #[error("LimitExceededException: {0}")]
    LimitExceeded(String),
    /// 429: the per-API request quota is used up.
    #[error("ThrottlingException: {0}")]
    Throttling(String),
    /// 409: the resource is still referenced (e.g. a security profile users hold).
    #[error("ResourceInUseException: {0}")]
    ResourceInUse(String),
    /// 500: injected or genuine service failure.
    #[error("InternalServiceException: {0}")]
    InternalService(String),
    /// 404: no operation is bound to this method and path.
    #[error("UnknownOperationException: {0}")]
    UnknownOperation(String),
}

impl ConnectError {
    /// The exception name as Connect spells it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidParameter(_) => "InvalidParameterException",
            Self::InvalidRequest(_) => "InvalidRequestException",
            Self::AccessDenied(_) => "AccessDeniedException",
            Self::ResourceNotFound(_) => "ResourceNotFoundException",
            Self::DuplicateResource(_) => "DuplicateResourceException",
            Self::ResourceInUse(_) => "ResourceInUseException",
            Self::LimitExceeded(_) => "LimitExceededException",
            Self::Throttling(_) => "ThrottlingException",
            Self::InternalService(_) => "InternalServiceException",
            Self::UnknownOperation(_) => "UnknownOperationException",
        }
    }

    /// The HTTP status Connect's model binds to the exception.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidParameter(_) | Self::InvalidRequest(_) => StatusCode::BAD_REQUEST,
            Self::AccessDenied(_) => StatusCode::FORBIDDEN,
            Self::ResourceNotFound(_) | Self::UnknownOperation(_) => StatusCode::NOT_FOUND,
            Self::DuplicateResource(_) | Self::ResourceInUse(_) => StatusCode::CONFLICT,
            Self::LimitExceeded(_) | Self::Throttling(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::InternalService(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> &str {
        match self {
            Self::InvalidParameter(m)
            | Self::InvalidRequest(m)
            | Self::AccessDenied(m)
            | Self::ResourceNotFound(m)
            | Self::DuplicateResource(m)
            | Self::ResourceInUse(m)
            | Self::LimitExceeded(m)
            | Self::Throttling(m)
            | Self::InternalService(m)
            | Self::UnknownOperation(m) => m,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidParameter(message.into())
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::ResourceNotFound(message.into())
    }

    /// The refusal as an operation whose model declares no
    /// InvalidParameterException names it (`DescribeInstance` declares only
    /// InvalidRequestException for malformed input).
    pub(crate) fn into_invalid_request(self) -> Self {
        match self {
            Self::InvalidParameter(m) => Self::InvalidRequest(m),
            other => other,
        }
    }
}

impl IntoResponse for ConnectError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(json!({ "Message": self.message() }))).into_response();
        response
            .headers_mut()
            .insert("x-amzn-ErrorType", HeaderValue::from_static(self.code()));
        response
    }
}
