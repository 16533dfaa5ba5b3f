//! What `/Users` and `/Groups` share: list and search parameters, list
//! responses, and entity tags (RFC 7644 §3.4.2, §3.14).

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::scim_json;
use crate::error::ScimError;
use crate::projection::Projection;
use crate::schema::{LIST_URN, MAX_RESULTS, ResourceSchema, member};

/// Whether an `If-Match`/`If-None-Match` list names `version` (weak
/// comparison, RFC 7232 §2.3.2; `*` names any).
fn names_version(header: &str, version: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    header
        .split(',')
        .any(|tag| tag.trim() == "*" || opaque(tag) == opaque(version))
}

/// 304 with the ETag when `If-None-Match` names the current version.
pub(crate) fn not_modified(headers: &HeaderMap, version: &str) -> Option<Response> {
    let known = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    names_version(known, version).then(|| with_etag(StatusCode::NOT_MODIFIED.into_response(), version))
}

/// 412 unless `If-Match` is absent or names the current version.
pub(crate) fn check_if_match(headers: &HeaderMap, version: &str) -> Result<(), ScimError> {
    let Some(wanted) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    if names_version(wanted, version) {
        return Ok(());
    }
    Err(ScimError::new(
        StatusCode::PRECONDITION_FAILED,
        None,
        format!("preconditionFailed: the resource has changed; its version is now {version}"),
    ))
}

/// A resource's JSON as the request asked for it (`projection`), with its
/// ETag, and `Location` when created.
pub(crate) fn resource(
    status: StatusCode,
    mut json: Value,
    projection: &Projection,
    schema: &ResourceSchema,
) -> Response {
    // Headers repeat meta.version and meta.location, which the projection may drop.
    let meta = json["meta"].clone();
    projection.apply(&mut json, schema);
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

pub(crate) fn with_etag(mut response: Response, version: &str) -> Response {
    if let Ok(etag) = HeaderValue::from_str(version) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// Query parameters of a list or search, whatever their case.
#[derive(Debug, Default)]
pub(crate) struct ListParams {
    /// `filter`, as sent.
    pub filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
    /// `attributes`, as sent.
    pub attributes: Option<String>,
    /// `excludedAttributes`, as sent.
    pub excluded: Option<String>,
}

impl ListParams {
    pub(crate) fn from_query(raw: Option<&str>) -> Self {
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
    pub(crate) fn from_search(body: &Value) -> Result<Self, ScimError> {
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

    /// `startIndex` (1-based, at least 1) and `count` (0 to
    /// [`MAX_RESULTS`]), checked.
    pub(crate) fn window(&self) -> Result<(usize, usize), ScimError> {
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
        Ok((
            usize::try_from(start_index).unwrap_or(usize::MAX),
            usize::try_from(count).unwrap_or(0),
        ))
    }

    /// The filter, unless absent or blank.
    pub(crate) fn filter(&self) -> Option<&str> {
        self.filter.as_deref().filter(|f| !f.trim().is_empty())
    }

    /// `attributes` and `excludedAttributes` over `schema`.
    pub(crate) fn projection(&self, schema: &ResourceSchema) -> Projection {
        Projection::parse(self.attributes.as_deref(), self.excluded.as_deref(), schema)
    }

    /// A ListResponse over already projected resources.
    pub(crate) fn list_response(start_index: usize, total: usize, resources: Vec<Value>) -> Response {
        scim_json(
            StatusCode::OK,
            &json!({
                "schemas": [LIST_URN],
                "totalResults": total,
                "startIndex": start_index,
                "itemsPerPage": resources.len(),
                "Resources": resources,
            }),
        )
    }
}
