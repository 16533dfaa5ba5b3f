//! What the Search* APIs see: per instance, a copy of the searchable
//! resources that lags behind writes.
//!
//! Connect's search is served from an index that is updated after a write
//! returns, so a resource created, changed or deleted a moment ago can be
//! missing, stale or still present in search results while Describe* and
//! List* already show the change. The simulator models that with a queue of
//! timestamped changes per instance, applied to the copy once they are older
//! than the search lag (at once when the lag is zero). The copy therefore
//! shows every resource as it was one lag ago.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use crate::wire::{QuickConnect, User};
use crate::world::Named;

/// A searchable resource, as indexed.
#[derive(Debug, Clone)]
pub(crate) enum Doc {
    /// A user and its creation sequence number (search order).
    User(u64, Box<User>),
    SecurityProfile(Named),
    HierarchyGroup(Named),
    QuickConnect(Box<QuickConnect>),
}

/// Which resource a change is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Key {
    User(u64),
    SecurityProfile(String),
    HierarchyGroup(String),
    QuickConnect(String),
}

#[derive(Debug)]
enum Change {
    Put(Doc),
    Remove(Key),
}

/// The search view of one instance. Resources keep their creation order.
#[derive(Debug, Default)]
pub(crate) struct SearchIndex {
    pub users: BTreeMap<u64, User>,
    pub security_profiles: Vec<Named>,
    pub hierarchy_groups: Vec<Named>,
    pub quick_connects: Vec<QuickConnect>,
    pending: VecDeque<(Instant, Change)>,
    lag: Duration,
}

impl SearchIndex {
    /// An index that already shows `seeded` (a fresh instance's resources
    /// are searchable from the start).
    pub(crate) fn new(lag: Duration, seeded: impl IntoIterator<Item = Doc>) -> Self {
        let mut index = Self {
            lag,
            ..Self::default()
        };
        for doc in seeded {
            index.apply(Change::Put(doc));
        }
        index
    }

    /// Changes the lag from now on; changes already applied stay applied.
    pub(crate) fn set_lag(&mut self, lag: Duration) {
        self.lag = lag;
        self.catch_up();
    }

    /// Records that `doc` is a resource's new state.
    pub(crate) fn put(&mut self, doc: Doc) {
        self.pending.push_back((Instant::now(), Change::Put(doc)));
        self.catch_up();
    }

    /// Records that a resource is gone.
    pub(crate) fn remove(&mut self, key: Key) {
        self.pending.push_back((Instant::now(), Change::Remove(key)));
        self.catch_up();
    }

    /// Applies every change at least one lag old; call before reading.
    pub(crate) fn catch_up(&mut self) {
        let now = Instant::now();
        while self
            .pending
            .front()
            .is_some_and(|(at, _)| now.saturating_duration_since(*at) >= self.lag)
        {
            if let Some((_, change)) = self.pending.pop_front() {
                self.apply(change);
            }
        }
    }

    fn apply(&mut self, change: Change) {
        match change {
            Change::Put(Doc::User(seq, user)) => {
                self.users.insert(seq, *user);
            }
            Change::Put(Doc::SecurityProfile(named)) => upsert(&mut self.security_profiles, named, |n| &n.id),
            Change::Put(Doc::HierarchyGroup(named)) => upsert(&mut self.hierarchy_groups, named, |n| &n.id),
            Change::Put(Doc::QuickConnect(qc)) => {
                upsert(&mut self.quick_connects, *qc, |q| &q.quick_connect_id);
            }
            Change::Remove(Key::User(seq)) => {
                self.users.remove(&seq);
            }
            Change::Remove(Key::SecurityProfile(id)) => self.security_profiles.retain(|n| n.id != id),
            Change::Remove(Key::HierarchyGroup(id)) => self.hierarchy_groups.retain(|n| n.id != id),
            Change::Remove(Key::QuickConnect(id)) => self.quick_connects.retain(|q| q.quick_connect_id != id),
        }
    }
}

/// Replaces the item with the same id in place (keeping its position), or
/// appends a new one.
fn upsert<T>(items: &mut Vec<T>, item: T, id: impl Fn(&T) -> &String) {
    match items.iter().position(|existing| id(existing) == id(&item)) {
        Some(i) => {
            if let Some(slot) = items.get_mut(i) {
                *slot = item;
            }
        }
        None => items.push(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Tags;

    fn named(id: &str, name: &str) -> Named {
        Named {
            id: id.into(),
            arn: format!("arn/{id}"),
            name: name.into(),
            parent: None,
            tags: Tags::new(),
            last_modified_time: 0.0,
            description: None,
            permissions: Vec::new(),
        }
    }

    fn names(index: &SearchIndex) -> Vec<&str> {
        index.security_profiles.iter().map(|n| n.name.as_str()).collect()
    }

    #[test]
    fn without_lag_changes_show_at_once() {
        let mut index = SearchIndex::new(Duration::ZERO, [Doc::SecurityProfile(named("a", "A"))]);
        index.put(Doc::SecurityProfile(named("b", "B")));
        index.put(Doc::SecurityProfile(named("a", "A2")));
        assert_eq!(names(&index), ["A2", "B"]);
        index.remove(Key::SecurityProfile("a".into()));
        assert_eq!(names(&index), ["B"]);
    }

    #[test]
    fn with_lag_the_index_shows_the_past() {
        let lag = Duration::from_millis(80);
        let mut index = SearchIndex::new(lag, [Doc::SecurityProfile(named("a", "A"))]);
        index.put(Doc::SecurityProfile(named("b", "B")));
        index.put(Doc::SecurityProfile(named("a", "A2")));
        index.remove(Key::SecurityProfile("a".into()));
        index.catch_up();
        assert_eq!(names(&index), ["A"], "seeded resources are searchable at once");
        std::thread::sleep(lag + Duration::from_millis(20));
        index.catch_up();
        assert_eq!(names(&index), ["B"]);
    }
}
