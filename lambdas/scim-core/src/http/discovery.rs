//! `/ServiceProviderConfig`, `/Schemas` and `/ResourceTypes` (RFC 7644 §4),
//! rendered from the same tables the parser and PATCH engine use.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{AppState, scim_json};
use crate::directory::Directory;
use crate::error::ScimError;
use crate::schema::{self, CanonicalValues, LIST_URN, ResourceSchema};
use crate::user::UserExtension;

fn list(resources: Vec<Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_URN],
            "totalResults": resources.len(),
            "startIndex": 1,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    )
}

pub(crate) async fn service_provider_config<D>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
) -> Response {
    scim_json(
        StatusCode::OK,
        &schema::service_provider_config(&state.base_url(&headers)),
    )
}

/// The directory's User resource type (with its extension).
fn users<D: Directory>() -> &'static ResourceSchema {
    <D::UserExtension as UserExtension>::RESOURCE
}

/// The directory's run-time canonical values; without them (the directory
/// is throttled, say) the schemas are still served.
async fn canonical<D: Directory>(state: &AppState<D>) -> CanonicalValues {
    state.directory.canonical_values().await.unwrap_or_else(|err| {
        tracing::warn!(error = %err, "schemas served without the directory's canonical values");
        CanonicalValues::new()
    })
}

pub(crate) async fn schemas<D: Directory>(State(state): State<AppState<D>>, headers: HeaderMap) -> Response {
    let base = state.base_url(&headers);
    let canonical = canonical(&state).await;
    list(
        schema::schemas(users::<D>())
            .map(|s| s.to_json_with(&base, &canonical))
            .collect(),
    )
}

pub(crate) async fn schema<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    let base = state.base_url(&headers);
    let Some(found) = schema::schemas(users::<D>()).find(|s| s.id.eq_ignore_ascii_case(&id)) else {
        return Err(ScimError::not_found(format!("No schema {id}")));
    };
    let canonical = canonical(&state).await;
    Ok(scim_json(StatusCode::OK, &found.to_json_with(&base, &canonical)))
}

pub(crate) async fn resource_types<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
) -> Response {
    let base = state.base_url(&headers);
    list(
        schema::resource_types(users::<D>())
            .iter()
            .map(|r| r.to_json(&base))
            .collect(),
    )
}

pub(crate) async fn resource_type<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    let base = state.base_url(&headers);
    schema::resource_types(users::<D>())
        .into_iter()
        .find(|r| r.name.eq_ignore_ascii_case(&id))
        .map(|r| scim_json(StatusCode::OK, &r.to_json(&base)))
        .ok_or_else(|| ScimError::not_found(format!("No resource type {id}")))
}
