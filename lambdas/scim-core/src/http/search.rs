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
    let (users, groups) = match params.filter() {
        None => (Scope::Listed(None), Scope::Listed(None)),
        Some(raw) => match (UserFilter::parse(raw), GroupFilter::parse(raw)) {
            (Err(err), Err(_)) => return Err(err),
            (u, g) => (Scope::from(u), Scope::from(g)),
        },
    };
    let (group_total, mut found) = match groups {
        Scope::Listed(filter) => {
            resources::<D, Groups>(&state, &headers, &params, filter, (start_index, count)).await?
        }
        Scope::CannotMatch => (0, Vec::new()),
    };
    let user_total = match users {
        Scope::Listed(filter) => {
            // The window continues into the users after the last group.
            let start = start_index.saturating_sub(group_total).max(1);
            let window = (start, count.saturating_sub(found.len()));
            let (total, users) = resources::<D, Users>(&state, &headers, &params, filter, window).await?;
            found.extend(users);
            total
        }
        Scope::CannotMatch => 0,
    };
    Ok(ListParams::list_response(
        start_index,
        user_total + group_total,
        found,
    ))
}

/// What one resource type contributes to a search.
enum Scope<F> {
    /// Listed through the type's own handler: unfiltered (`None`) or with
    /// the filter parsed for it.
    Listed(Option<F>),
    /// The filter names what this type lacks, so none of it matches and
    /// the directory is not asked.
    CannotMatch,
}

impl<F> From<Result<F, ScimError>> for Scope<F> {
    fn from(parsed: Result<F, ScimError>) -> Self {
        parsed.map_or(Self::CannotMatch, |filter| Self::Listed(Some(filter)))
    }
}
