//! `POST /.search` (RFC 7644 §3.4.3): one query over every resource type,
//! groups first (their count is exact), then users. A filter one type cannot answer (say,
//! `userName eq`, which groups lack) matches none of that type; a filter
//! neither can answer is a 400.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::common::ListParams;
use super::groups::Groups;
use super::resource::resources;
use super::users::Users;
use super::{AppState, ScimJson};
use crate::directory::Directory;
use crate::error::ScimError;
use crate::filter::{GroupFilter, UserFilter};

pub(crate) async fn search_all<D: Directory>(
    State(state): State<AppState<D>>,
    headers: HeaderMap,
    ScimJson(body): ScimJson,
) -> Result<Response, ScimError> {
    let params = ListParams::from_search(&body)?;
    let (start_index, count) = params.window()?;
    // `None`: this type cannot match; `Some(None)`: no filter.
    let (user_filter, group_filter) = match params.filter() {
        None => (Some(None), Some(None)),
        Some(raw) => match (UserFilter::parse(raw), GroupFilter::parse(raw)) {
            (Err(err), Err(_)) => return Err(err),
            (u, g) => (u.ok().map(Some), g.ok().map(Some)),
        },
    };
    let (group_total, mut found) = match group_filter {
        Some(filter) => {
            resources::<D, Groups>(&state, &headers, &params, filter, (start_index, count)).await?
        }
        None => (0, Vec::new()),
    };
    let user_total = match user_filter {
        Some(filter) => {
            // The window continues into the users after the last group.
            let start = start_index.saturating_sub(group_total).max(1);
            let window = (start, count.saturating_sub(found.len()));
            let (total, users) = resources::<D, Users>(&state, &headers, &params, filter, window).await?;
            found.extend(users);
            total
        }
        None => 0,
    };
    Ok(ListParams::list_response(
        start_index,
        user_total + group_total,
        found,
    ))
}
