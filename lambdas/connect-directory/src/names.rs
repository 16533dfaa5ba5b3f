//! Name → id lookups for security and routing profiles, cached so that a
//! request does not re-list them (each list call spends Connect quota).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use scim_core::schema::CanonicalValues;

use scim_core::{DirectoryError, DirectoryResult, GroupId, GroupRef};

use tokio::sync::Mutex;

use crate::Pages;
use crate::{ConnectDirectory, StoredUser, mapping};

/// Names (compared without case) to ids, and back.
#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    by_name: HashMap<String, String>,
    by_id: HashMap<String, String>,
}

impl NameIndex {
    pub(crate) fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut index = Self::default();
        for (name, id) in pairs {
            index.by_name.insert(name.to_lowercase(), id.clone());
            index.by_id.insert(id, name);
        }
        index
    }

    pub(crate) fn id(&self, name: &str) -> Option<&str> {
        self.by_name.get(&name.to_lowercase()).map(String::as_str)
    }

    /// Every (name, id), names as Connect spells them.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_id.iter().map(|(id, name)| (name.as_str(), id.as_str()))
    }

    /// The name as Connect spells it.
    pub(crate) fn name(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(String::as_str)
    }
}

/// A lazily loaded, time-limited [`NameIndex`] (or other instance catalogue). Loads are single-flight:
/// concurrent requests wait for one list call instead of each making one.
#[derive(Debug)]
pub(crate) struct NameCache<T = NameIndex> {
    ttl: Duration,
    slot: Mutex<Option<(Instant, Arc<T>)>>,
}

impl<T> NameCache<T> {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            slot: Mutex::new(None),
        }
    }

    /// Forgets the index, so the next use loads it again.
    pub(crate) async fn invalidate(&self) {
        *self.slot.lock().await = None;
    }

    /// The cached index, loading it with `load` when absent, stale or
    /// `refresh` is asked for.
    pub(crate) async fn get<F, Fut>(&self, refresh: bool, load: F) -> DirectoryResult<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = DirectoryResult<T>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some((at, index)) = slot.as_ref()
            && !refresh
            && at.elapsed() < self.ttl
        {
            return Ok(index.clone());
        }
        let index = Arc::new(load().await?);
        *slot = Some((Instant::now(), index.clone()));
        Ok(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn loads_once_until_refresh() {
        let cache = NameCache::new(Duration::from_secs(60));
        let loads = AtomicUsize::new(0);
        let load = || async {
            loads.fetch_add(1, Ordering::SeqCst);
            Ok(NameIndex::new([("Agent".to_owned(), "id-1".to_owned())]))
        };
        assert_eq!(cache.get(false, load).await.unwrap().id("agent"), Some("id-1"));
        assert_eq!(cache.get(false, load).await.unwrap().name("id-1"), Some("Agent"));
        cache.get(false, load).await.unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        cache.get(true, load).await.unwrap();
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }
}

/// The kinds of named instance resources the adapter resolves. Hierarchy
/// groups are named by their path (`Support/Tier 1`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum NamedKind {
    Security,
    Routing,
    Hierarchy,
}

impl ConnectDirectory {
    /// `user` with its names filled in (see `with_names`).
    pub(crate) async fn labelled(&self, mut user: StoredUser) -> DirectoryResult<StoredUser> {
        self.with_names(std::slice::from_mut(&mut user)).await?;
        Ok(user)
    }

    /// The name index of `kind`, loaded again once when it lacks one of
    /// `ids` (the instance may have changed since the cache was filled).
    pub(crate) async fn index_knowing(
        &self,
        kind: NamedKind,
        ids: &[String],
    ) -> DirectoryResult<std::sync::Arc<NameIndex>> {
        let index = self.names(kind, false).await?;
        if ids.iter().all(|id| index.name(id).is_some()) {
            return Ok(index);
        }
        self.names(kind, true).await
    }

    /// Fills in what only names can say: each user's `groups` (the security
    /// profiles it holds, the disabled-agent one aside), the routing and
    /// security profiles the client chose, and the hierarchy group's path.
    /// An index is read only when some user needs it.
    pub(crate) async fn with_names(&self, users: &mut [StoredUser]) -> DirectoryResult<()> {
        if users.is_empty() {
            return Ok(());
        }
        let choices: Vec<(Option<String>, Option<Vec<String>>)> = users
            .iter()
            .map(|u| mapping::choices(&u.handle.tags.clone()))
            .collect();
        let hierarchy_ids: Vec<Option<String>> = users
            .iter()
            .map(|u| u.handle.hierarchy_group_id.clone())
            .collect();
        let mut wanted: Vec<String> = users
            .iter()
            .flat_map(|u| u.handle.security_profile_ids.clone())
            .collect();
        wanted.extend(choices.iter().flat_map(|(_, p)| p.clone().unwrap_or_default()));
        let security = self.index_knowing(NamedKind::Security, &wanted).await?;
        let routing_ids: Vec<String> = choices.iter().filter_map(|(r, _)| r.clone()).collect();
        let routing = match routing_ids.is_empty() {
            true => None,
            false => Some(self.index_knowing(NamedKind::Routing, &routing_ids).await?),
        };
        let wanted_paths: Vec<String> = hierarchy_ids.iter().flatten().cloned().collect();
        let hierarchy = match wanted_paths.is_empty() {
            true => None,
            false => Some(self.index_knowing(NamedKind::Hierarchy, &wanted_paths).await?),
        };
        for ((user, (chosen_routing, chosen_security)), hierarchy_id) in
            users.iter_mut().zip(choices).zip(hierarchy_ids)
        {
            user.groups = user
                .handle
                .security_profile_ids
                .clone()
                .into_iter()
                .filter_map(|id| {
                    let name = security.name(&id)?;
                    (!self.is_disabled_profile(name)).then(|| GroupRef {
                        value: GroupId::new(id.clone()),
                        display: name.to_owned(),
                    })
                })
                .collect();
            let agent = &mut user.user.extension;
            agent.routing_profile =
                chosen_routing.and_then(|id| routing.as_ref()?.name(&id).map(str::to_owned));
            agent.security_profiles = chosen_security.map(|ids| {
                ids.iter()
                    .filter_map(|id| security.name(id).map(str::to_owned))
                    .collect()
            });
            agent.hierarchy_group =
                hierarchy_id.and_then(|id| hierarchy.as_ref()?.name(&id).map(str::to_owned));
        }
        Ok(())
    }

    /// Every name and id of one kind, read through the SDK's paginator (one
    /// paced call per page).
    async fn load_names(&self, kind: NamedKind) -> DirectoryResult<NameIndex> {
        let instance = &self.settings.instance_id;
        let pair = |name: Option<&str>, id: Option<&str>| Some((name?.to_owned(), id?.to_owned()));
        let mut pairs = Vec::new();
        match kind {
            NamedKind::Security => {
                let request = self.client.list_security_profiles().instance_id(instance);
                let mut pages = Pages::new(request.max_results(1000).into_paginator().send(), |p| {
                    p.next_token()
                });
                while let Some(page) = self.next_page("ListSecurityProfiles", &mut pages).await? {
                    let list = page.security_profile_summary_list();
                    pairs.extend(list.iter().filter_map(|p| pair(p.name(), p.id())));
                }
            }
            NamedKind::Routing => {
                let request = self.client.list_routing_profiles().instance_id(instance);
                let mut pages = Pages::new(request.max_results(1000).into_paginator().send(), |p| {
                    p.next_token()
                });
                while let Some(page) = self.next_page("ListRoutingProfiles", &mut pages).await? {
                    let list = page.routing_profile_summary_list();
                    pairs.extend(list.iter().filter_map(|p| pair(p.name(), p.id())));
                }
            }
            NamedKind::Hierarchy => {
                let request = self.client.search_user_hierarchy_groups().instance_id(instance);
                let mut pages = Pages::new(request.max_results(100).into_paginator().send(), |p| {
                    p.next_token()
                });
                while let Some(page) = self.next_page("SearchUserHierarchyGroups", &mut pages).await? {
                    pairs.extend(page.user_hierarchy_groups().iter().filter_map(|g| {
                        // The root group ("LevelId": "0") "is the foundation
                        // for building levels on top of an instance. It is not
                        // user-definable, nor is it visible in the UI": never
                        // a name a client can choose.
                        if g.level_id() == Some("0") {
                            return None;
                        }
                        pair(hierarchy_path(g).as_deref(), g.id())
                    }));
                }
            }
        }
        Ok(NameIndex::new(pairs))
    }

    /// The id an extension attribute's name stands for, looked up again
    /// once when unknown (the instance may have changed since the cache was
    /// filled). Unknown names are an invalid value that lists the valid ones.
    pub(crate) async fn chosen_id(
        &self,
        kind: NamedKind,
        attribute: &str,
        name: &str,
    ) -> DirectoryResult<String> {
        for refresh in [false, true] {
            let index = self.names(kind, refresh).await?;
            if let Some(id) = index.id(name)
                && !(matches!(kind, NamedKind::Security) && self.is_disabled_profile(name))
            {
                return Ok(id.to_owned());
            }
            if let NamedKind::Hierarchy = kind {
                // A bare name stands for the one group of that name, at any level.
                let leaf = |path: &str| {
                    path.rsplit('/')
                        .next()
                        .is_some_and(|l| l.eq_ignore_ascii_case(name))
                };
                let found: Vec<(&str, &str)> = index.entries().filter(|(path, _)| leaf(path)).collect();
                match found.as_slice() {
                    [(_, id)] => return Ok((*id).to_owned()),
                    [] => {}
                    many => {
                        let paths: Vec<&str> = many.iter().map(|(p, _)| *p).collect();
                        return Err(DirectoryError::InvalidValue(format!(
                            "{attribute} {name:?} names several hierarchy groups; use a path: {}",
                            paths.join(", ")
                        )));
                    }
                }
            }
        }
        let index = self.names(kind, false).await?;
        let mut valid: Vec<&str> = index
            .entries()
            .map(|(n, _)| n)
            .filter(|n| !(matches!(kind, NamedKind::Security) && self.is_disabled_profile(n)))
            .collect();
        valid.sort_unstable();
        Err(DirectoryError::InvalidValue(format!(
            "{attribute} {name:?} is not in the Amazon Connect instance; valid: {}",
            if valid.is_empty() {
                "none (create one in Connect first)".to_owned()
            } else {
                valid.join(", ")
            }
        )))
    }

    /// The cached name → id index of one kind, loaded (all pages) on first use.
    pub(crate) async fn names(
        &self,
        kind: NamedKind,
        refresh: bool,
    ) -> DirectoryResult<std::sync::Arc<NameIndex>> {
        let cache = match kind {
            NamedKind::Security => &self.security_profiles,
            NamedKind::Routing => &self.routing_profiles,
            NamedKind::Hierarchy => &self.hierarchy_groups,
        };
        cache.get(refresh, || self.load_names(kind)).await
    }

    pub(crate) async fn canonical(&self) -> DirectoryResult<CanonicalValues> {
        let key = crate::agent::path;
        let sorted = |index: &NameIndex, keep: &dyn Fn(&str) -> bool| {
            let mut names: Vec<String> = index
                .entries()
                .map(|(n, _)| n)
                .filter(|n| keep(n))
                .map(str::to_owned)
                .collect();
            names.sort_unstable();
            names
        };
        let security = self.names(NamedKind::Security, false).await?;
        let routing = self.names(NamedKind::Routing, false).await?;
        let hierarchy = self.names(NamedKind::Hierarchy, false).await?;
        Ok(CanonicalValues::from([
            (
                key("securityProfiles"),
                // What a client may choose: not the disabled agents' profile,
                // nor one ASSIGNABLE_SECURITY_PROFILES withholds.
                sorted(&security, &|n| {
                    !self.is_disabled_profile(n) && self.settings.assignable.allows(n)
                }),
            ),
            (key("routingProfile"), sorted(&routing, &|_| true)),
            (key("hierarchyGroup"), sorted(&hierarchy, &|_| true)),
            (
                key("proficiencies.attributeName"),
                self.predefined_attribute_names().await,
            ),
        ]))
    }
}

/// A hierarchy group's name as a client gives it: its path from the top
/// level (`Support/Tier 1`), else its own name.
fn hierarchy_path(group: &aws_sdk_connect::types::HierarchyGroup) -> Option<String> {
    let path = group.hierarchy_path().map(|p| {
        [
            p.level_one(),
            p.level_two(),
            p.level_three(),
            p.level_four(),
            p.level_five(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|level| level.name())
        .collect::<Vec<_>>()
        .join("/")
    });
    path.filter(|p| !p.is_empty()).or(group.name().map(str::to_owned))
}
