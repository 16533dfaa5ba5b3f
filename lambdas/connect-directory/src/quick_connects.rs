//! Cleaning up after a deleted agent, as DeleteUser's documentation asks:
//! "After calling DeleteUser, call DeleteQuickConnect to delete any records
//! related to the deleted users. This will help you: Avoid dangling
//! resources that impact your service quotas. Remove deleted users so they
//! don't appear to agents as transfer options."

use aws_sdk_connect::types::QuickConnectType;
use scim_core::{DirectoryError, DirectoryResult};

use crate::ConnectDirectory;
use crate::Pages;

/// SearchQuickConnects' largest page.
const PAGE: i32 = 100;

impl ConnectDirectory {
    /// Deletes every quick connect that transfers to the user `id` and
    /// returns how many. Connect cannot search quick connects by the user
    /// they point at, so it reads them all (one SearchQuickConnects per
    /// hundred) and picks the USER ones that name `id`.
    pub(crate) async fn delete_quick_connects_to(&self, id: &str) -> DirectoryResult<usize> {
        let mut doomed = Vec::new();
        let request = self.client.search_quick_connects();
        let request = request.instance_id(&self.settings.instance_id);
        let mut pages = Pages::new(request.max_results(PAGE).into_paginator().send(), |p| {
            p.next_token()
        });
        while let Some(page) = self.next_page("SearchQuickConnects", &mut pages).await? {
            doomed.extend(page.quick_connects().iter().filter_map(|q| {
                let config = q.quick_connect_config()?;
                let to_user = *config.quick_connect_type() == QuickConnectType::User
                    && config.user_config().is_some_and(|u| u.user_id() == id);
                to_user.then(|| q.quick_connect_id().map(str::to_owned)).flatten()
            }));
        }
        for quick_connect in &doomed {
            let deleted = self
                .call(
                    "DeleteQuickConnect",
                    self.client
                        .delete_quick_connect()
                        .instance_id(&self.settings.instance_id)
                        .quick_connect_id(quick_connect)
                        .send(),
                )
                .await;
            match deleted {
                // Gone already (an admin, or a retry of this DELETE).
                Ok(_) | Err(DirectoryError::NotFound(_)) => {}
                Err(other) => return Err(other),
            }
        }
        if !doomed.is_empty() {
            tracing::info!(user = %id, quick_connects = doomed.len(), "deleted the quick connects to a deleted user");
        }
        Ok(doomed.len())
    }
}
