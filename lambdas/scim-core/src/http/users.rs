//! `/Users` (RFC 7644 §3.3–3.6) and the `/.search` endpoints.

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value};

use super::common::{ListParams, check_if_match, not_modified, resource};
use super::{AppState, DeprovisionMode, ScimJson};
use crate::audit;
use crate::directory::{Directory, DirectoryError, PageRequest};
use crate::error::ScimError;
use crate::filter::UserFilter;
use crate::patch::PatchRequest;
use crate::schema::USER_RESOURCE;
use crate::user::{StoredUser, User, UserId};

pub(crate) fn routes<D: Directory>() -> Router<AppState<D>> {
    Router::new()
        .route("/Users", get(list::<D>).post(create::<D>))
        .route("/Users/", get(list::<D>).post(create::<D>))
        .route("/Users/.search", post(search::<D>))
        .route(
            "/Users/{id}",
            get(read::<D>)
                .put(replace::<D>)
                .patch(patch::<D>)
                .delete(delete::<D>),
        )
}

type Answer = Result<Response, ScimError>;

fn user_id(path: Result<Path<String>, PathRejection>) -> Result<UserId, ScimError> {
    let Path(id) = path.map_err(|_| ScimError::not_found("No such user"))?;
    audit::record_resource(Some(&id), None);
    Ok(UserId::new(id))
}

/// A user as the request asked for it (`attributes`/`excludedAttributes`
/// from the query), with its ETag, and `Location` when created.
fn respond<D, H>(
    state: &AppState<D>,
    headers: &HeaderMap,
    query: Option<&str>,
    status: StatusCode,
    user: &StoredUser<H>,
) -> Response {
    let projection = ListParams::from_query(query).projection(&USER_RESOURCE);
    resource(
        status,
        user.to_scim(&state.base_url(headers)),
        &projection,
        &USER_RESOURCE,
    )
}

/// Users `start_index..` (at most `count`) matching `filter`, projected,
/// and how many match in all.
pub(crate) async fn resources<D: Directory>(
    state: &AppState<D>,
    headers: &HeaderMap,
    params: &ListParams,
    filter: Option<UserFilter>,
    (start_index, count): (usize, usize),
) -> Result<(usize, Vec<Value>), ScimError> {
    let request = PageRequest {
        filter,
        start_index,
        count,
    };
    let projection = params.projection(&USER_RESOURCE);
    let page = state.directory.list_users(&request).await?;
    let base = state.base_url(headers);
    let resources = page
        .users
        .iter()
        .map(|u| {
            let mut json = u.to_scim(&base);
            projection.apply(&mut json, &USER_RESOURCE);
            json
        })
        .collect();
    Ok((page.total_results, resources))
}

async fn list_page<D: Directory>(state: &AppState<D>, headers: &HeaderMap, params: ListParams) -> Answer {
    let window = params.window()?;
    let filter = params.filter().map(UserFilter::parse).transpose()?;
    let (total, found) = resources(state, headers, &params, filter, window).await?;
    Ok(ListParams::list_response(window.0, total, found))
}

async fn list<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Answer {
    list_page(&state, &headers, ListParams::from_query(q.as_deref())).await
}

async fn search<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    ScimJson(body): ScimJson,
) -> Answer {
    list_page(&state, &headers, ListParams::from_search(&body)?).await
}

async fn create<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    ScimJson(body): ScimJson,
) -> Answer {
    let user = User::from_scim(&body)?;
    audit::record_resource(None, Some(user.user_name.as_str()));
    let mut stored = state.directory.create_user(&user).await?;
    audit::record_resource(Some(stored.id.as_str()), None);
    if user.active == Some(false) && state.config.deprovision == DeprovisionMode::Delete {
        // In delete mode an inactive agent has no place in Connect: the
        // answer describes the resource, which is gone, as later reads say.
        state.directory.delete_user(&stored.id).await?;
        stored.user.active = Some(false);
    }
    Ok(respond(
        &state,
        &headers,
        q.as_deref(),
        StatusCode::CREATED,
        &stored,
    ))
}

async fn read<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Answer {
    let id = user_id(path)?;
    let user = state.directory.get_user(&id).await?;
    audit::record_resource(None, Some(user.user.user_name.as_str()));
    let version = user.version();
    if let Some(unchanged) = not_modified(&headers, &version) {
        return Ok(unchanged);
    }
    Ok(respond(&state, &headers, q.as_deref(), StatusCode::OK, &user))
}

/// The stored user a PUT or PATCH starts from, checked against `If-Match`.
async fn current_for_update<D: Directory>(
    state: &AppState<D>,
    headers: &HeaderMap,
    id: &UserId,
) -> Result<StoredUser<D::UserHandle>, ScimError> {
    let current = state.directory.get_user(id).await?;
    audit::record_resource(None, Some(current.user.user_name.as_str()));
    check_if_match(headers, &current.version())?;
    Ok(current)
}

/// Stores `desired` over `current`, applying the deprovisioning mode.
async fn save<D: Directory>(
    state: &AppState<D>,
    current: &StoredUser<D::UserHandle>,
    desired: User,
) -> Result<StoredUser<D::UserHandle>, ScimError> {
    if desired.user_name != current.user.user_name {
        return Err(ScimError::mutability(
            "userName is immutable: Amazon Connect cannot rename a user",
        ));
    }
    if desired.active == Some(false) && state.config.deprovision == DeprovisionMode::Delete {
        match state.directory.delete_user(&current.id).await {
            // Gone already (a retried call whose first answer was lost): done.
            Ok(()) | Err(DirectoryError::NotFound(_)) => {}
            Err(other) => return Err(other.into()),
        }
        return Ok(StoredUser {
            user: desired,
            ..current.clone()
        });
    }
    Ok(state.directory.update_user(current, &desired).await?)
}

async fn replace<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
    ScimJson(body): ScimJson,
) -> Answer {
    let id = user_id(path)?;
    let desired = User::from_scim(&body)?;
    let current = current_for_update(&state, &headers, &id).await?;
    let saved = save(&state, &current, desired).await?;
    Ok(respond(&state, &headers, q.as_deref(), StatusCode::OK, &saved))
}

async fn patch<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
    ScimJson(body): ScimJson,
) -> Answer {
    let id = user_id(path)?;
    let request = PatchRequest::parse(&body)?;
    let current = current_for_update(&state, &headers, &id).await?;
    let mut document: Map<String, Value> = current.user.to_scim_attributes();
    document.insert("id".into(), current.id.as_str().into());
    request.apply(&mut document, &USER_RESOURCE)?;
    let desired = User::from_scim(&Value::Object(document))?;
    let saved = if desired == current.user {
        current
    } else {
        save(&state, &current, desired).await?
    };
    Ok(respond(&state, &headers, q.as_deref(), StatusCode::OK, &saved))
}

async fn delete<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = user_id(path)?;
    if headers.contains_key(header::IF_MATCH) {
        check_if_match(&headers, &state.directory.get_user(&id).await?.version())?;
    }
    state.directory.delete_user(&id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
