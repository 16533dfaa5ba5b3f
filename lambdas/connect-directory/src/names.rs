//! Name → id lookups for security and routing profiles, cached so that a
//! request does not re-list them (each list call spends Connect quota).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use scim_core::DirectoryResult;
use tokio::sync::Mutex;

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

/// A lazily loaded, time-limited [`NameIndex`]. Loads are single-flight:
/// concurrent requests wait for one list call instead of each making one.
#[derive(Debug)]
pub(crate) struct NameCache {
    ttl: Duration,
    slot: Mutex<Option<(Instant, Arc<NameIndex>)>>,
}

impl NameCache {
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
    pub(crate) async fn get<F, Fut>(&self, refresh: bool, load: F) -> DirectoryResult<Arc<NameIndex>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = DirectoryResult<NameIndex>>,
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
