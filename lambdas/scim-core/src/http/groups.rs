//! `/Groups` (RFC 7644 §3.3–3.6). A group PATCH answers 204 (Microsoft
//! Entra ID expects it), or 200 with the group when the request names
//! `attributes` or `excludedAttributes` (RFC 7644 §3.5.2).

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use super::common::{ListParams, check_if_match, not_modified, resource, with_etag};
use super::{AppState, ScimJson};
use crate::audit;
use crate::directory::{Directory, DirectoryError, GroupPageRequest};
use crate::error::ScimError;
use crate::filter::GroupFilter;
use crate::group::{GroupId, GroupInput, GroupPatch, MemberChange, StoredGroup, check_rename};
use crate::patch::PatchRequest;
use crate::schema::GROUP_RESOURCE;

pub(crate) fn routes<D: Directory>() -> Router<AppState<D>> {
    Router::new()
        .route("/Groups", get(list::<D>).post(create::<D>))
        .route("/Groups/", get(list::<D>).post(create::<D>))
        .route("/Groups/.search", post(search::<D>))
        .route(
            "/Groups/{id}",
            get(read::<D>)
                .put(replace::<D>)
                .patch(patch::<D>)
                .delete(delete::<D>),
        )
}

type Answer = Result<Response, ScimError>;

fn group_id(path: Result<Path<String>, PathRejection>) -> Result<GroupId, ScimError> {
    let Path(id) = path.map_err(|_| ScimError::not_found("No such group"))?;
    audit::record_resource(Some(&id), None);
    Ok(GroupId::new(id))
}

/// The group as the request asked for it; its members are read again when
/// the answer includes them and `group` lacks them.
async fn respond<D: Directory>(
    state: &AppState<D>,
    headers: &HeaderMap,
    query: Option<&str>,
    status: StatusCode,
    group: StoredGroup<D::GroupHandle>,
) -> Answer {
    let projection = ListParams::from_query(query).projection(&GROUP_RESOURCE);
    let group = if projection.keeps("members") && group.members.is_none() {
        state.directory.get_group(&group.id, true).await?
    } else {
        group
    };
    Ok(resource(
        status,
        group.to_scim(&state.base_url(headers)),
        &projection,
        &GROUP_RESOURCE,
    ))
}

/// Groups `start_index..` (at most `count`) matching `filter`, projected,
/// and how many match in all.
pub(crate) async fn resources<D: Directory>(
    state: &AppState<D>,
    headers: &HeaderMap,
    params: &ListParams,
    filter: Option<GroupFilter>,
    (start_index, count): (usize, usize),
) -> Result<(usize, Vec<Value>), ScimError> {
    let projection = params.projection(&GROUP_RESOURCE);
    let request = GroupPageRequest {
        filter,
        start_index,
        count,
        members: projection.keeps("members"),
    };
    let page = state.directory.list_groups(&request).await?;
    let base = state.base_url(headers);
    let resources = page
        .groups
        .iter()
        .map(|g| {
            let mut json = g.to_scim(&base);
            projection.apply(&mut json, &GROUP_RESOURCE);
            json
        })
        .collect();
    Ok((page.total_results, resources))
}

async fn list_page<D: Directory>(state: &AppState<D>, headers: &HeaderMap, params: ListParams) -> Answer {
    let window = params.window()?;
    let filter = params.filter().map(GroupFilter::parse).transpose()?;
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

/// Stores the members, then the attributes (only externalId can change):
/// members are what a request is refused for (an unknown user, an eleventh
/// profile), and then nothing has changed.
async fn save<D: Directory>(
    state: &AppState<D>,
    current: StoredGroup<D::GroupHandle>,
    desired: crate::group::Group,
    members: &MemberChange,
) -> Result<StoredGroup<D::GroupHandle>, ScimError> {
    state.directory.check_group(&desired)?;
    let mut saved = current;
    if !members.is_empty() {
        state.directory.change_members(&saved, members).await?;
        saved.members = None;
    }
    if desired.external_id != saved.group.external_id {
        let members = saved.members.take();
        saved = state.directory.update_group(&saved, &desired).await?;
        saved.members = saved.members.take().or(members);
    }
    Ok(saved)
}

async fn create<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    ScimJson(body): ScimJson,
) -> Answer {
    let input = GroupInput::from_scim(&body)?;
    // Unknown members are refused before a group is made or linked.
    for member in input.members.iter().flatten() {
        match state.directory.get_user(member).await {
            Ok(_) => {}
            Err(DirectoryError::NotFound(_)) => {
                return Err(ScimError::invalid_value(format!(
                    "members must be existing users; there is no user {member}"
                )));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let stored = state.directory.create_group(&input.group).await?;
    audit::record_resource(Some(stored.id.as_str()), None);
    // A linked group keeps its own externalId unless the client sends one.
    let desired = crate::group::Group {
        display_name: stored.group.display_name.clone(),
        external_id: input
            .group
            .external_id
            .clone()
            .or(stored.group.external_id.clone()),
    };
    let change = MemberChange {
        add: input.members.unwrap_or_default(),
        remove: Vec::new(),
    };
    let saved = save(&state, stored, desired, &change).await?;
    respond(&state, &headers, q.as_deref(), StatusCode::CREATED, saved).await
}

async fn read<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Answer {
    let id = group_id(path)?;
    let projection = ListParams::from_query(q.as_deref()).projection(&GROUP_RESOURCE);
    let group = state
        .directory
        .get_group(&id, projection.keeps("members"))
        .await?;
    let version = group.version();
    if let Some(unchanged) = not_modified(&headers, &version) {
        return Ok(unchanged);
    }
    respond(&state, &headers, q.as_deref(), StatusCode::OK, group).await
}

async fn replace<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
    ScimJson(body): ScimJson,
) -> Answer {
    let id = group_id(path)?;
    let input = GroupInput::from_scim(&body)?;
    let current = state.directory.get_group(&id, true).await?;
    check_if_match(&headers, &current.version())?;
    check_rename(&current.group, &input.group)?;
    let before = current.member_ids();
    // PUT replaces: no members in the body means none (RFC 7644 §3.5.1).
    let change = MemberChange::between(&before, &input.members.unwrap_or_default());
    let saved = save(&state, current, input.group, &change).await?;
    respond(&state, &headers, q.as_deref(), StatusCode::OK, saved).await
}

async fn patch<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
    ScimJson(body): ScimJson,
) -> Answer {
    let id = group_id(path)?;
    let patch = GroupPatch::new(PatchRequest::parse(&body)?)?;
    let current = state.directory.get_group(&id, patch.needs_members()).await?;
    check_if_match(&headers, &current.version())?;
    let outcome = patch.apply(&current)?;
    let saved = save(&state, current, outcome.group, &outcome.members).await?;
    let params = ListParams::from_query(q.as_deref());
    if params.attributes.is_none() && params.excluded.is_none() {
        return Ok(with_etag(
            StatusCode::NO_CONTENT.into_response(),
            &saved.version(),
        ));
    }
    respond(&state, &headers, q.as_deref(), StatusCode::OK, saved).await
}

async fn delete<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = group_id(path)?;
    if headers.contains_key(header::IF_MATCH) {
        check_if_match(&headers, &state.directory.get_group(&id, false).await?.version())?;
    }
    state.directory.delete_group(&id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
