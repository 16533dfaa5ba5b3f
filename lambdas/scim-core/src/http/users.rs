//! `/Users` (RFC 7644 §3.3–3.6) and the `/.search` endpoints.

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use super::{AppState, DeprovisionMode, ScimJson, scim_json};
use crate::audit;
use crate::directory::{Directory, DirectoryError, PageRequest};
use crate::error::ScimError;
use crate::filter::UserFilter;
use crate::patch::PatchRequest;
use crate::projection::Projection;
use crate::schema::{LIST_URN, MAX_RESULTS, USER_RESOURCE, member};
use crate::user::{StoredUser, User, UserId};

pub(crate) fn routes<D: Directory>() -> Router<AppState<D>> {
    Router::new()
        .route("/Users", get(list::<D>).post(create::<D>))
        .route("/Users/", get(list::<D>).post(create::<D>))
        .route("/Users/.search", post(search::<D>))
        .route("/.search", post(search::<D>))
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

/// Whether an `If-Match`/`If-None-Match` list names `version` (weak
/// comparison, RFC 7232 §2.3.2; `*` names any).
fn names_version(header: &str, version: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    header
        .split(',')
        .any(|tag| tag.trim() == "*" || opaque(tag) == opaque(version))
}

/// 412 unless `If-Match` is absent or names the current version.
fn check_if_match(headers: &HeaderMap, current: &StoredUser) -> Result<(), ScimError> {
    let Some(wanted) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let version = current.version();
    if names_version(wanted, &version) {
        return Ok(());
    }
    Err(ScimError::new(
        StatusCode::PRECONDITION_FAILED,
        None,
        format!("preconditionFailed: the resource has changed; its version is now {version}"),
    ))
}

fn with_etag(mut response: Response, version: &str) -> Response {
    if let Ok(etag) = HeaderValue::from_str(version) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// A user as the request asked for it (`attributes`/`excludedAttributes`
/// from the query), with its ETag, and `Location` when created.
fn respond<D>(
    state: &AppState<D>,
    headers: &HeaderMap,
    query: Option<&str>,
    status: StatusCode,
    user: &StoredUser,
) -> Response {
    let projection = ListParams::from_query(query).projection();
    resource(status, user, &state.base_url(headers), &projection)
}

fn resource(status: StatusCode, user: &StoredUser, base: &str, projection: &Projection) -> Response {
    let mut json = user.to_scim(base);
    // Headers repeat meta.version and meta.location, which the projection may drop.
    let meta = json["meta"].clone();
    projection.apply(&mut json, &USER_RESOURCE);
    let mut response = with_etag(
        scim_json(status, &json),
        meta["version"].as_str().unwrap_or_default(),
    );
    if status == StatusCode::CREATED
        && let Some(Ok(location)) = meta["location"].as_str().map(HeaderValue::from_str)
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Query parameters of a list or search, whatever their case.
#[derive(Debug, Default)]
struct ListParams {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    excluded: Option<String>,
}

impl ListParams {
    fn from_query(raw: Option<&str>) -> Self {
        let mut params = Self::default();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            let slot = match key.to_ascii_lowercase().as_str() {
                "filter" => &mut params.filter,
                "startindex" => &mut params.start_index,
                "count" => &mut params.count,
                "attributes" => &mut params.attributes,
                "excludedattributes" => &mut params.excluded,
                _ => continue,
            };
            *slot = Some(value.into_owned());
        }
        params
    }

    /// A SearchRequest body (RFC 7644 §3.4.3).
    fn from_search(body: &Value) -> Result<Self, ScimError> {
        let Value::Object(map) = body else {
            return Err(ScimError::invalid_syntax("A SearchRequest must be a JSON object"));
        };
        let text = |name: &str| -> Result<Option<String>, ScimError> {
            match member(map, name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Number(n)) => Ok(Some(n.to_string())),
                Some(Value::Array(items)) => Ok(Some(
                    items
                        .iter()
                        .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| bad(name)))
                        .collect::<Result<Vec<_>, _>>()?
                        .join(","),
                )),
                Some(_) => Err(bad(name)),
            }
        };
        fn bad(name: &str) -> ScimError {
            ScimError::invalid_value(format!("{name} has the wrong type"))
        }
        Ok(Self {
            filter: text("filter")?,
            start_index: text("startIndex")?,
            count: text("count")?,
            attributes: text("attributes")?,
            excluded: text("excludedAttributes")?,
        })
    }

    fn page_request(&self) -> Result<PageRequest, ScimError> {
        let number = |name: &str, raw: &Option<String>| -> Result<Option<i64>, ScimError> {
            raw.as_deref()
                .map(|v| {
                    v.trim().parse::<i64>().map_err(|_| {
                        ScimError::invalid_value(format!("{name} must be an integer, not {v:?}"))
                    })
                })
                .transpose()
        };
        // RFC 7644 §3.4.2.4: startIndex below 1 means 1, a negative count means 0.
        let start_index = number("startIndex", &self.start_index)?.unwrap_or(1).max(1);
        let count =
            number("count", &self.count)?.map_or(MAX_RESULTS as i64, |c| c.clamp(0, MAX_RESULTS as i64));
        let filter = self
            .filter
            .as_deref()
            .filter(|f| !f.trim().is_empty())
            .map(UserFilter::parse)
            .transpose()?;
        Ok(PageRequest {
            filter,
            start_index: usize::try_from(start_index).unwrap_or(usize::MAX),
            count: usize::try_from(count).unwrap_or(0),
        })
    }

    fn projection(&self) -> Projection {
        Projection::parse(
            self.attributes.as_deref(),
            self.excluded.as_deref(),
            &USER_RESOURCE,
        )
    }
}

async fn list_page<D: Directory>(state: &AppState<D>, headers: &HeaderMap, params: ListParams) -> Answer {
    let request = params.page_request()?;
    let projection = params.projection();
    let page = state.directory.list_users(&request).await?;
    let base = state.base_url(headers);
    let resources: Vec<Value> = page
        .users
        .iter()
        .map(|u| {
            let mut json = u.to_scim(&base);
            projection.apply(&mut json, &USER_RESOURCE);
            json
        })
        .collect();
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_URN],
            "totalResults": page.total_results,
            "startIndex": request.start_index,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    ))
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
    if let Some(known) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok())
        && names_version(known, &version)
    {
        return Ok(with_etag(StatusCode::NOT_MODIFIED.into_response(), &version));
    }
    Ok(respond(&state, &headers, q.as_deref(), StatusCode::OK, &user))
}

/// The stored user a PUT or PATCH starts from, checked against `If-Match`.
async fn current_for_update<D: Directory>(
    state: &AppState<D>,
    headers: &HeaderMap,
    id: &UserId,
) -> Result<StoredUser, ScimError> {
    let current = state.directory.get_user(id).await?;
    audit::record_resource(None, Some(current.user.user_name.as_str()));
    check_if_match(headers, &current)?;
    Ok(current)
}

/// Stores `desired` over `current`, applying the deprovisioning mode.
async fn save<D: Directory>(
    state: &AppState<D>,
    current: &StoredUser,
    desired: User,
) -> Result<StoredUser, ScimError> {
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
        check_if_match(&headers, &state.directory.get_user(&id).await?)?;
    }
    state.directory.delete_user(&id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
