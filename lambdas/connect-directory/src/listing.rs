//! Listing and searching users: SearchUsers pages, windows and filters.

use scim_core::{DirectoryError, DirectoryResult, PageRequest};

use crate::Pages;
use crate::users::agent_from_summary;
use crate::{ConnectDirectory, StoredUser, UserPage, search};

/// SearchUsers page size used when walking to a SCIM window: the model's
/// `MaxResult100` ceiling. Equal to scim-core's `MAX_RESULTS` by
/// coincidence; a window of any size is served by walking these pages.
const SEARCH_PAGE: usize = 100;

/// The most users a filter Connect cannot evaluate whole (`userName co` of
/// more than 25 characters) may make the adapter read to narrow in memory:
/// five SearchUsers pages. Past it the answer is 400 `tooMany`.
pub const MAX_NARROWED_USERS: usize = 5 * SEARCH_PAGE;

impl ConnectDirectory {
    pub(crate) async fn search(
        &self,
        query: &search::SearchQuery,
        token: Option<String>,
        max: usize,
    ) -> DirectoryResult<aws_sdk_connect::operation::search_users::SearchUsersOutput> {
        self.call(
            "SearchUsers",
            self.client
                .search_users()
                .instance_id(&self.settings.instance_id)
                .set_search_criteria(query.criteria.clone())
                .set_search_filter(query.filter.clone())
                .max_results(i32::try_from(max).unwrap_or(100))
                .set_next_token(token)
                .send(),
        )
        .await
    }

    /// Every user a query finds, all pages of `page_size`.
    pub(crate) async fn search_all(
        &self,
        query: &search::SearchQuery,
        page_size: usize,
    ) -> DirectoryResult<Vec<StoredUser>> {
        let (users, _) = self.search_pages(query, page_size, usize::MAX).await?;
        Ok(self.recent.amend(query, users, true))
    }

    /// The users on the first `most` pages of `page_size` a query finds,
    /// and whether they are all it finds (no page follows the last read).
    async fn search_pages(
        &self,
        query: &search::SearchQuery,
        page_size: usize,
        most: usize,
    ) -> DirectoryResult<(Vec<StoredUser>, bool)> {
        let mut users = Vec::new();
        let request = self.client.search_users().instance_id(&self.settings.instance_id);
        let request = request
            .set_search_criteria(query.criteria.clone())
            .set_search_filter(query.filter.clone());
        let max = i32::try_from(page_size).unwrap_or(100);
        let mut pages = Pages::new(request.max_results(max).into_paginator().send(), |p| {
            p.next_token()
        });
        for _ in 0..most {
            let Some(page) = self.next_page("SearchUsers", &mut pages).await? else {
                break;
            };
            for summary in page.users() {
                users.push(agent_from_summary(summary).into_stored()?);
            }
        }
        Ok((users, !pages.more))
    }

    /// Users `start..start + count` of an unfiltered listing. Page tokens are
    /// remembered, so an IdP paging through (startIndex 1, 101, 201, …)
    /// costs one SearchUsers call per page instead of a walk from the start.
    /// The loop is written out rather than an SDK paginator because it
    /// starts at a remembered token and begins again when Connect says the
    /// token expired, which a paginator cannot do; that is also why it runs
    /// to about 80 lines.
    pub(crate) async fn list_window(
        &self,
        query: &search::SearchQuery,
        start: usize,
        count: usize,
    ) -> DirectoryResult<UserPage> {
        let end = start.saturating_add(count);
        let resume = start - start % SEARCH_PAGE;
        let cached = self
            .page_tokens
            .lock()
            .ok()
            .and_then(|t| t.get(&query.key, resume));
        let (mut offset, mut token) = match cached {
            Some(token) => (resume, Some(token)),
            None => (0, None),
        };
        let mut users = Vec::new();
        let mut total = None;
        // Users the index still shows but this process deleted (or changed
        // out of the query) a moment ago: not answered, nor counted.
        let mut hidden = 0;
        // Every id the walk met, when it began at the first page: then users
        // this process made that the index does not show yet can be told
        // apart and added at the end.
        let mut met: Option<std::collections::HashSet<String>> = token.is_none().then(Default::default);
        loop {
            let page = match self.search(query, token.clone(), SEARCH_PAGE).await {
                Err(DirectoryError::InvalidValue(_)) if token.is_some() && offset > 0 => {
                    // An expired token: forget it and walk from the start.
                    (offset, token) = (0, None);
                    met = Some(Default::default());
                    if let Ok(mut t) = self.page_tokens.lock() {
                        t.forget(&query.key);
                    }
                    continue;
                }
                other => other?,
            };
            total = total.or(page
                .approximate_total_count()
                .and_then(|n| usize::try_from(n).ok()));
            let mut window = Vec::new();
            for (i, summary) in page.users().iter().enumerate() {
                if let Some(met) = &mut met {
                    met.insert(summary.id().unwrap_or_default().to_owned());
                }
                if (start..end).contains(&(offset + i)) {
                    window.push(agent_from_summary(summary).into_stored()?);
                }
            }
            let shown = window.len();
            let window = self.recent.amend(query, window, false);
            hidden += shown.saturating_sub(window.len());
            users.extend(window);
            offset += page.users().len();
            token = page.next_token().map(str::to_owned);
            match &token {
                None => {
                    // Walked to the end: the total is exact, and users this
                    // process made that the index does not show yet come
                    // last, as Connect lists users in creation order.
                    if let Some(met) = &met {
                        offset = self.append_unseen(query, met, start..end, offset, &mut users);
                    }
                    total = Some(offset);
                    break;
                }
                Some(next) => {
                    if let Ok(mut t) = self.page_tokens.lock() {
                        t.put(&query.key, offset, next.clone());
                    }
                }
            }
            if offset >= end || page.users().is_empty() {
                break;
            }
        }
        Ok(UserPage {
            total_results: total.unwrap_or(offset).saturating_sub(hidden).max(users.len()),
            users,
        })
    }

    pub(crate) async fn users_page(&self, request: &PageRequest) -> DirectoryResult<UserPage> {
        let query = search::SearchQuery::new(request.filter.as_ref());
        let start = request.start_index.saturating_sub(1);
        if request.count == 0 {
            let page = self.search(&query, None, 1).await?;
            let total = page
                .approximate_total_count()
                .and_then(|n| usize::try_from(n).ok());
            return Ok(UserPage {
                total_results: total.unwrap_or(page.users().len()),
                users: Vec::new(),
            });
        }
        if let Some(filter) = &request.filter {
            search::SearchQuery::check(filter)?;
            if !query.exact {
                let matched = self.narrowed(&query, filter).await?;
                let total_results = matched.len();
                let mut users: Vec<StoredUser> =
                    matched.into_iter().skip(start).take(request.count).collect();
                self.with_names(&mut users).await?;
                return Ok(UserPage { total_results, users });
            }
        }
        // Connect evaluates the whole filter (or there is none): a page costs
        // the SearchUsers pages under its window, whatever the directory's size.
        let mut page = self.list_window(&query, start, request.count).await?;
        if let Some(filter) = &request.filter {
            // A safety net that should keep everything: where Connect's
            // comparisons are looser than SCIM's, only matches are answered.
            let found = page.users.len();
            page.users.retain(|user| filter.matches(&user.id, &user.user));
            page.total_results = page.total_results.saturating_sub(found - page.users.len());
        }
        self.with_names(&mut page.users).await?;
        Ok(page)
    }

    /// Every user matching a filter Connect can only answer a superset of,
    /// read at most [`MAX_NARROWED_USERS`] deep; more is `tooMany` rather
    /// than a walk of the whole directory (or a silently partial list).
    async fn narrowed(
        &self,
        query: &search::SearchQuery,
        filter: &scim_core::UserFilter,
    ) -> DirectoryResult<Vec<StoredUser>> {
        let (users, complete) = self
            .search_pages(query, SEARCH_PAGE, MAX_NARROWED_USERS / SEARCH_PAGE)
            .await?;
        if complete {
            let mut users = self.recent.amend(query, users, true);
            users.retain(|user| filter.matches(&user.id, &user.user));
            return Ok(users);
        }
        Err(DirectoryError::TooMany(format!(
            "Amazon Connect searches userName co by its first {} characters, and more than \
             {MAX_NARROWED_USERS} users match those; use a shorter co (Connect then evaluates it whole), \
             or sw, eq, externalId, emails or id, which Connect evaluates itself",
            search::CONTAINS_MAX
        )))
    }

    /// After a walk to the end: users this process made that the index does
    /// not show yet (not `met`), appended at `offset` where the window wants
    /// them. Returns the offset after them.
    fn append_unseen(
        &self,
        query: &search::SearchQuery,
        met: &std::collections::HashSet<String>,
        window: std::ops::Range<usize>,
        mut offset: usize,
        users: &mut Vec<StoredUser>,
    ) -> usize {
        let unseen = self.recent.amend(query, Vec::new(), true);
        for user in unseen.into_iter().filter(|u| !met.contains(u.id.as_str())) {
            if window.contains(&offset) {
                users.push(user);
            }
            offset += 1;
        }
        offset
    }
}
