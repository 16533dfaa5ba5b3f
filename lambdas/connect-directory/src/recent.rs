//! Read-your-writes over a lagging search index.
//!
//! Connect's Search APIs read an index that trails writes by a few seconds
//! (DescribeUser does not). An IdP that creates a user and looks it up by
//! `userName` a moment later must find it, or it creates the user again.
//! So the adapter remembers what it wrote for a short while and reads every
//! search answer through that memory: users it changed are shown as it
//! left them, users it deleted are left out, and users it created that the
//! index does not show yet are added where the answer is complete.
//!
//! This memory is per process: another Lambda container sees the index as
//! it is. The README says what stays eventually consistent because of it.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{StoredGroup, StoredUser};

use crate::bounded::BoundedMap;
use crate::search::SearchQuery;

/// How long a write is trusted over the index. Connect does not publish its
/// index lag; it is seconds in practice, so a minute leaves a wide margin
/// while an edit made in the console meanwhile is hidden for at most that.
pub(crate) const TRUST: Duration = Duration::from_secs(60);
/// Writes remembered at most.
const CAPACITY: usize = 4096;

/// What identifies a version of a user in a search answer: what SearchUsers
/// reports (profiles, routing, hierarchy, tags, names).
type Fingerprint = String;

fn fingerprint(user: &StoredUser) -> Fingerprint {
    let handle = &user.handle;
    let mut profiles = handle.security_profile_ids.clone();
    profiles.sort();
    format!(
        "{profiles:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        handle.routing_profile_id,
        handle.hierarchy_group_id,
        user.handle.tags.clone(),
        user.user.given_name,
        user.user.family_name,
    )
}

#[derive(Debug)]
struct Write {
    at: Instant,
    /// The user as written; `None` once deleted.
    user: Option<StoredUser>,
    /// The versions this process wrote over while trusting its writes: an
    /// answer showing one of them is stale.
    superseded: Vec<Fingerprint>,
}

/// Recent writes by user id.
#[derive(Debug)]
pub(crate) struct RecentWrites {
    writes: Mutex<BoundedMap<String, Write>>,
    trust: Duration,
}

impl Default for RecentWrites {
    fn default() -> Self {
        Self::new(TRUST)
    }
}

impl RecentWrites {
    pub(crate) fn new(trust: Duration) -> Self {
        Self {
            writes: Mutex::new(BoundedMap::new(CAPACITY)),
            trust,
        }
    }

    /// `user` is now as given; `before` is what it was (`None`: it is new).
    pub(crate) fn wrote(&self, before: Option<&StoredUser>, user: &StoredUser) {
        self.put(user.id.as_str(), before, Some(user.clone()));
    }

    /// The user `id` is gone.
    pub(crate) fn deleted(&self, id: &str) {
        self.put(id, None, None);
    }

    fn put(&self, id: &str, before: Option<&StoredUser>, user: Option<StoredUser>) {
        let Ok(mut writes) = self.writes.lock() else {
            return;
        };
        let key = id.to_owned();
        let mut superseded: Vec<Fingerprint> = writes
            .get(&key)
            .filter(|w| w.at.elapsed() < self.trust)
            .map(|w| {
                let mut older = w.superseded.clone();
                older.extend(w.user.as_ref().map(fingerprint));
                older
            })
            .unwrap_or_default();
        superseded.extend(before.map(fingerprint));
        writes.insert(
            key,
            Write {
                at: Instant::now(),
                user,
                superseded,
            },
        );
    }

    /// What a search answered, seen through recent writes. `complete`: the
    /// answer holds every user the query selects (all pages were read), so
    /// users this process wrote that the answer lacks belong in it.
    ///
    /// A user the answer shows as this process left it, or in a version
    /// neither this process's nor one it wrote over (someone changed it
    /// since, say in the console), is taken as the answer has it and the
    /// memory of it dropped: only versions known to be older are replaced.
    pub(crate) fn amend(
        &self,
        query: &SearchQuery,
        found: Vec<StoredUser>,
        complete: bool,
    ) -> Vec<StoredUser> {
        let Ok(mut writes) = self.writes.lock() else {
            return found;
        };
        let trust = self.trust;
        let fresh = |w: &Write| w.at.elapsed() < trust;
        let mut seen = HashSet::new();
        let mut settled = Vec::new();
        let mut out = Vec::with_capacity(found.len());
        for user in found {
            let id = user.id.as_str().to_owned();
            seen.insert(id.clone());
            match writes.get(&id).filter(|w| fresh(w)) {
                None => out.push(user),
                Some(Write { user: None, .. }) => {}
                Some(Write {
                    user: Some(mine),
                    superseded,
                    ..
                }) => {
                    let shown = fingerprint(&user);
                    if superseded.contains(&shown) {
                        if query.admits(mine) {
                            out.push(mine.clone());
                        }
                    } else {
                        settled.push(id);
                        out.push(user);
                    }
                }
            }
        }
        if complete {
            for (id, write) in writes.iter() {
                if let Some(mine) = &write.user
                    && fresh(write)
                    && !seen.contains(id)
                    && query.admits(mine)
                {
                    out.push(mine.clone());
                }
            }
        }
        writes.retain(|id| !settled.contains(id));
        out
    }
}

/// The same for security profiles (groups), which every group listing reads
/// in full: made, re-tagged or deleted by this process a moment ago.
#[derive(Debug)]
pub(crate) struct RecentGroups {
    writes: Mutex<BoundedMap<String, (Instant, Option<StoredGroup>)>>,
    trust: Duration,
}

impl Default for RecentGroups {
    fn default() -> Self {
        Self {
            writes: Mutex::new(BoundedMap::new(CAPACITY)),
            trust: TRUST,
        }
    }
}

impl RecentGroups {
    /// `group` is now as given.
    pub(crate) fn wrote(&self, group: &StoredGroup) {
        self.put(group.id.as_str(), Some(group.clone()));
    }

    /// The group `id` is gone.
    pub(crate) fn deleted(&self, id: &str) {
        self.put(id, None);
    }

    fn put(&self, id: &str, group: Option<StoredGroup>) {
        if let Ok(mut writes) = self.writes.lock() {
            writes.insert(id.to_owned(), (Instant::now(), group));
        }
    }

    /// Every profile as a search listed it, seen through recent writes.
    pub(crate) fn amend(&self, found: Vec<StoredGroup>) -> Vec<StoredGroup> {
        let Ok(writes) = self.writes.lock() else {
            return found;
        };
        let fresh = |at: &Instant| at.elapsed() < self.trust;
        let mut seen = HashSet::new();
        let mut out: Vec<StoredGroup> = found
            .into_iter()
            .filter_map(|group| {
                seen.insert(group.id.as_str().to_owned());
                match writes
                    .get(&group.id.as_str().to_owned())
                    .filter(|(at, _)| fresh(at))
                {
                    None => Some(group),
                    Some((_, mine)) => mine.clone().map(|mine| StoredGroup {
                        // Only what this process wrote (tags) is newer.
                        group: mine.group,
                        handle: mine.handle,
                        ..group
                    }),
                }
            })
            .collect();
        for (id, (at, mine)) in writes.iter() {
            if let Some(mine) = mine
                && fresh(at)
                && !seen.contains(id)
            {
                out.push(StoredGroup {
                    members: None,
                    ..mine.clone()
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::User;
    use scim_core::{UserFilter, UserId, UserName};

    fn stored(id: &str, name: &str) -> StoredUser {
        StoredUser {
            handle: Default::default(),
            id: UserId::new(id),
            user: User::new(UserName::new(name).unwrap()),
            created: None,
            last_modified: None,
            groups: Vec::new(),
        }
    }

    #[test]
    fn own_writes_show_through_a_stale_answer() {
        let recent = RecentWrites::default();
        let filter = UserFilter::user_name(&UserName::new("ann").unwrap());
        let by_name = SearchQuery::new(Some(&filter));
        recent.wrote(None, &stored("1", "ann"));
        // The index does not have ann yet: a complete answer gains her.
        let seen = recent.amend(&by_name, Vec::new(), true);
        assert_eq!(seen.len(), 1);
        // A partial answer (one page of many) is not padded.
        assert!(recent.amend(&by_name, Vec::new(), false).is_empty());
        // Someone else's user the index returns is kept; a deleted one is not.
        let all = SearchQuery::new(None);
        recent.deleted("2");
        let seen = recent.amend(&all, vec![stored("2", "bob"), stored("3", "cy")], false);
        let ids: Vec<&str> = seen.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["3"]);
    }

    fn named(id: &str, given: &str) -> StoredUser {
        let mut user = stored(id, "ann");
        user.user.given_name = Some(given.to_owned());
        user
    }

    #[test]
    fn only_versions_known_to_be_older_are_replaced() {
        let recent = RecentWrites::default();
        let all = SearchQuery::new(None);
        let (v1, v2, v3) = (named("1", "A"), named("1", "B"), named("1", "C"));
        recent.wrote(Some(&v1), &v2);
        recent.wrote(Some(&v2), &v3);
        // The index trails by two writes: both are ours, so ours wins.
        let seen = recent.amend(&all, vec![v1.clone()], false);
        assert_eq!(seen[0].user.given_name.as_deref(), Some("C"));
        // A version we never wrote is someone else's, newer: it wins, and
        // the memory is dropped.
        let theirs = named("1", "Z");
        let seen = recent.amend(&all, vec![theirs], false);
        assert_eq!(seen[0].user.given_name.as_deref(), Some("Z"));
        let seen = recent.amend(&all, vec![v1], false);
        assert_eq!(seen[0].user.given_name.as_deref(), Some("A"), "forgotten");
    }

    #[test]
    fn trust_runs_out() {
        let recent = RecentWrites::new(Duration::ZERO);
        recent.deleted("2");
        let all = SearchQuery::new(None);
        assert_eq!(recent.amend(&all, vec![stored("2", "bob")], true).len(), 1);
    }
}
