//! `/ServiceProviderConfig`, `/Schemas` and `/ResourceTypes` (RFC 7644 §4),
//! rendered from the same tables the parser and PATCH engine use.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{AppState, scim_json};
use crate::error::ScimError;
use crate::schema::{self, LIST_URN, RESOURCE_TYPES};

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

pub(crate) async fn schemas<D>(State(state): State<AppState<D>>, headers: HeaderMap) -> Response {
    let base = state.base_url(&headers);
    list(schema::schemas().map(|s| s.to_json(&base)).collect())
}

pub(crate) async fn schema<D>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    let base = state.base_url(&headers);
    schema::schemas()
        .find(|s| s.id.eq_ignore_ascii_case(&id))
        .map(|s| scim_json(StatusCode::OK, &s.to_json(&base)))
        .ok_or_else(|| ScimError::not_found(format!("No schema {id}")))
}

pub(crate) async fn resource_types<D>(State(state): State<AppState<D>>, headers: HeaderMap) -> Response {
    let base = state.base_url(&headers);
    list(RESOURCE_TYPES.iter().map(|r| r.to_json(&base)).collect())
}

pub(crate) async fn resource_type<D>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    let base = state.base_url(&headers);
    RESOURCE_TYPES
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(&id))
        .map(|r| scim_json(StatusCode::OK, &r.to_json(&base)))
        .ok_or_else(|| ScimError::not_found(format!("No resource type {id}")))
}
