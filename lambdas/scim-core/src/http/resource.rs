//! The one shape of `/Users` and `/Groups` (RFC 7644 §3.3–3.6): the routes,
//! the id path segment, `If-Match`/`If-None-Match`, list and search paging,
//! projection and the answer are written here once. What differs between
//! the two resource types is a [`Resource`].

use std::convert::Infallible;
use std::future::Future;

use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use super::common::{ListParams, check_if_match, not_modified, resource, with_etag};
use super::{AppState, ScimJson};
use crate::audit;
use crate::directory::Directory;
use crate::error::ScimError;
use crate::projection::Projection;
use crate::schema::ResourceSchema;

type Answer = Result<Response, ScimError>;

/// What one resource type brings to the shared handlers: its types, how the
/// directory reads, lists, creates and changes one, and how it prints.
/// Parsing a body always comes before any directory call, so a malformed
/// request costs Amazon Connect nothing.
pub(crate) trait Resource<D: Directory>: 'static {
    /// The resource type: its endpoint, and the schemas projection and
    /// PATCH work from.
    const SCHEMA: &'static ResourceSchema;
    /// The 404 detail for an id path segment that cannot be decoded.
    const NOT_FOUND: &'static str;
    /// Whether a PATCH answers 204 unless the query names `attributes` or
    /// `excludedAttributes` (RFC 7644 §3.5.2 allows either; Microsoft Entra
    /// ID expects 204 for groups).
    const PATCH_ANSWERS_NO_CONTENT: bool = false;
    /// Whether a PUT needs the current members (it replaces the list, so
    /// the change is computed against it).
    const REPLACE_READS_MEMBERS: bool = false;

    /// The server-assigned id.
    type Id: Send + Sync;
    /// A parsed `filter`.
    type Filter: Send;
    /// The resource as the directory holds it.
    type Stored: Send;
    /// A parsed PUT body.
    type Replacement: Send;
    /// A parsed PATCH body.
    type Patch: Send;

    // Function pointers, so an implementation names the resource type's
    // own parser or printer rather than wrapping each in a method.
    /// Wraps the id from the path.
    const ID: fn(String) -> Self::Id;
    /// Parses a `filter`; what the directory cannot answer is a 400.
    const PARSE_FILTER: fn(&str) -> Result<Self::Filter, ScimError>;
    /// Parses a PUT body.
    const PARSE_REPLACEMENT: fn(&Value) -> Result<Self::Replacement, ScimError>;
    /// Parses a PATCH body.
    const PARSE_PATCH: fn(&Value) -> Result<Self::Patch, ScimError>;
    /// The ETag (`meta.version`).
    const VERSION: fn(&Self::Stored) -> String;
    /// The full representation, before projection.
    const TO_SCIM: fn(&Self::Stored, &str) -> Value;

    /// A window (1-based start, most wanted) of those matching `filter`,
    /// and how many match in all. `projection` says what will be sent, so
    /// the directory can skip reading the rest.
    fn list(
        state: &AppState<D>,
        filter: Option<Self::Filter>,
        window: (usize, usize),
        projection: &Projection,
    ) -> impl Future<Output = Result<(usize, Vec<Self::Stored>), ScimError>> + Send;
    /// One by id. `members`: whether a group's members are needed (reading
    /// them costs a user search in Connect); a user has nothing to skip.
    fn get(
        state: &AppState<D>,
        id: &Self::Id,
        members: bool,
    ) -> impl Future<Output = Result<Self::Stored, ScimError>> + Send;
    /// Reads again what `projection` sends but `stored` lacks.
    fn complete(
        _state: &AppState<D>,
        stored: Self::Stored,
        _projection: &Projection,
    ) -> impl Future<Output = Result<Self::Stored, ScimError>> + Send {
        async { Ok(stored) }
    }
    /// Deletes one by id.
    fn delete(state: &AppState<D>, id: &Self::Id) -> impl Future<Output = Result<(), ScimError>> + Send;

    /// Creates one from a POST body.
    fn create(
        state: &AppState<D>,
        body: &Value,
    ) -> impl Future<Output = Result<Self::Stored, ScimError>> + Send;
    /// Stores `desired` over `current` (already checked against `If-Match`).
    fn replace(
        state: &AppState<D>,
        current: Self::Stored,
        desired: Self::Replacement,
    ) -> impl Future<Output = Result<Self::Stored, ScimError>> + Send;
    /// Whether applying `patch` needs the current members.
    fn patch_reads_members(_patch: &Self::Patch) -> bool {
        false
    }
    /// Applies `patch` to `current` (already checked against `If-Match`)
    /// and stores the outcome.
    fn patch(
        state: &AppState<D>,
        current: Self::Stored,
        patch: Self::Patch,
    ) -> impl Future<Output = Result<Self::Stored, ScimError>> + Send;
}

/// `{endpoint}`, `{endpoint}/`, `{endpoint}/.search` and `{endpoint}/{id}`.
pub(crate) fn routes<D: Directory, R: Resource<D>>() -> Router<AppState<D>> {
    let endpoint = R::SCHEMA.endpoint;
    let collection = || get(list::<D, R>).post(create::<D, R>);
    Router::new()
        .route(endpoint, collection())
        .route(&format!("{endpoint}/"), collection())
        .route(&format!("{endpoint}/.search"), post(search::<D, R>))
        .route(
            &format!("{endpoint}/{{id}}"),
            get(read::<D, R>)
                .put(replace::<D, R>)
                .patch(patch::<D, R>)
                .delete(delete::<D, R>),
        )
}

/// What every handler here reads besides a body: the state, the headers
/// (preconditions, the base URL), the query (paging, projection) and, on
/// `{endpoint}/{id}`, the id. Reading it never fails: the id is decoded
/// when a handler asks for it.
struct Exchange<D> {
    state: AppState<D>,
    headers: HeaderMap,
    query: Option<String>,
    raw_id: Option<String>,
}

impl<D: Directory> FromRequestParts<AppState<D>> for Exchange<D> {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<D>) -> Result<Self, Infallible> {
        let id = Path::<String>::from_request_parts(parts, state).await.ok();
        Ok(Self {
            state: state.clone(),
            headers: parts.headers.clone(),
            query: parts.uri.query().map(str::to_owned),
            raw_id: id.map(|Path(id)| id),
        })
    }
}

impl<D: Directory> Exchange<D> {
    /// The id in the path. One axum cannot decode names no resource: 404.
    fn id<R: Resource<D>>(&self) -> Result<R::Id, ScimError> {
        let id = self
            .raw_id
            .clone()
            .ok_or_else(|| ScimError::not_found(R::NOT_FOUND))?;
        audit::record_resource(&id);
        Ok(R::ID(id))
    }

    fn params(&self) -> ListParams {
        ListParams::from_query(self.query.as_deref())
    }

    /// The stored resource a PUT or PATCH starts from, checked against
    /// `If-Match`.
    async fn current<R: Resource<D>>(&self, id: &R::Id, members: bool) -> Result<R::Stored, ScimError> {
        let current = R::get(&self.state, id, members).await?;
        check_if_match(&self.headers, &R::VERSION(&current))?;
        Ok(current)
    }

    /// The resource as the request asked for it (`attributes` and
    /// `excludedAttributes` from the query), with its ETag, and `Location`
    /// when created.
    async fn respond<R: Resource<D>>(&self, status: StatusCode, stored: R::Stored) -> Answer {
        let projection = self.params().projection(R::SCHEMA);
        let stored = R::complete(&self.state, stored, &projection).await?;
        let json = R::TO_SCIM(&stored, &self.state.base_url(&self.headers));
        Ok(resource(status, json, &projection, R::SCHEMA))
    }

    /// A list or search answer.
    async fn list_page<R: Resource<D>>(&self, params: ListParams) -> Answer {
        let window = params.window()?;
        let filter = params.filter().map(R::PARSE_FILTER).transpose()?;
        let (total, found) = resources::<D, R>(&self.state, &self.headers, &params, filter, window).await?;
        Ok(ListParams::list_response(window.0, total, found))
    }
}

/// Resources `start_index..` (at most `count`) matching `filter`, projected,
/// and how many match in all.
pub(crate) async fn resources<D: Directory, R: Resource<D>>(
    state: &AppState<D>,
    headers: &HeaderMap,
    params: &ListParams,
    filter: Option<R::Filter>,
    window: (usize, usize),
) -> Result<(usize, Vec<Value>), ScimError> {
    let projection = params.projection(R::SCHEMA);
    let (total, page) = R::list(state, filter, window, &projection).await?;
    let base = state.base_url(headers);
    let resources = page
        .iter()
        .map(|stored| {
            let mut json = R::TO_SCIM(stored, &base);
            projection.apply(&mut json, R::SCHEMA);
            json
        })
        .collect();
    Ok((total, resources))
}

async fn list<D: Directory, R: Resource<D>>(exchange: Exchange<D>) -> Answer {
    exchange.list_page::<R>(exchange.params()).await
}

async fn search<D: Directory, R: Resource<D>>(exchange: Exchange<D>, ScimJson(body): ScimJson) -> Answer {
    exchange.list_page::<R>(ListParams::from_search(&body)?).await
}

async fn create<D: Directory, R: Resource<D>>(exchange: Exchange<D>, ScimJson(body): ScimJson) -> Answer {
    let stored = R::create(&exchange.state, &body).await?;
    exchange.respond::<R>(StatusCode::CREATED, stored).await
}

async fn read<D: Directory, R: Resource<D>>(exchange: Exchange<D>) -> Answer {
    let id = exchange.id::<R>()?;
    let projection = exchange.params().projection(R::SCHEMA);
    let stored = R::get(&exchange.state, &id, projection.keeps("members")).await?;
    if let Some(unchanged) = not_modified(&exchange.headers, &R::VERSION(&stored)) {
        return Ok(unchanged);
    }
    exchange.respond::<R>(StatusCode::OK, stored).await
}

async fn replace<D: Directory, R: Resource<D>>(exchange: Exchange<D>, ScimJson(body): ScimJson) -> Answer {
    let id = exchange.id::<R>()?;
    let desired = R::PARSE_REPLACEMENT(&body)?;
    let current = exchange.current::<R>(&id, R::REPLACE_READS_MEMBERS).await?;
    let saved = R::replace(&exchange.state, current, desired).await?;
    exchange.respond::<R>(StatusCode::OK, saved).await
}

async fn patch<D: Directory, R: Resource<D>>(exchange: Exchange<D>, ScimJson(body): ScimJson) -> Answer {
    let id = exchange.id::<R>()?;
    let patch = R::PARSE_PATCH(&body)?;
    let current = exchange.current::<R>(&id, R::patch_reads_members(&patch)).await?;
    let saved = R::patch(&exchange.state, current, patch).await?;
    let params = exchange.params();
    if R::PATCH_ANSWERS_NO_CONTENT && params.attributes.is_none() && params.excluded.is_none() {
        return Ok(with_etag(
            StatusCode::NO_CONTENT.into_response(),
            &R::VERSION(&saved),
        ));
    }
    exchange.respond::<R>(StatusCode::OK, saved).await
}

async fn delete<D: Directory, R: Resource<D>>(exchange: Exchange<D>) -> Answer {
    let id = exchange.id::<R>()?;
    // Read only to check the precondition, so members are not needed.
    if exchange.headers.contains_key(header::IF_MATCH) {
        let stored = R::get(&exchange.state, &id, false).await?;
        check_if_match(&exchange.headers, &R::VERSION(&stored))?;
    }
    R::delete(&exchange.state, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
