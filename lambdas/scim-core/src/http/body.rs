//! Request bodies: SCIM or plain JSON, bounded in size, and every failure a
//! SCIM error rather than axum's plain-text rejections.

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde_json::Value;

use crate::error::ScimError;

/// Largest request body accepted (a User is a few KiB; a big group PATCH
/// stays well below this).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A JSON request body sent as `application/scim+json` or `application/json`.
#[derive(Debug)]
pub struct ScimJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for ScimJson {
    type Rejection = ScimError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, ScimError> {
        if let Some(content_type) = request.headers().get(header::CONTENT_TYPE) {
            let essence = content_type
                .to_str()
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if essence != super::SCIM_MEDIA_TYPE && essence != "application/json" {
                return Err(ScimError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    None,
                    format!(
                        "Content-Type must be {} or application/json",
                        super::SCIM_MEDIA_TYPE
                    ),
                ));
            }
        }
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| {
                ScimError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    None,
                    format!("The request body is larger than {MAX_BODY_BYTES} bytes"),
                )
            })?;
        serde_json::from_slice(&bytes)
            .map(ScimJson)
            .map_err(|e| ScimError::invalid_syntax(format!("The request body is not valid JSON: {e}")))
    }
}
