//! A map that forgets its oldest entries past a capacity: what the adapter
//! remembers between requests (deleted ids, page tokens) must stay bounded.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

#[derive(Debug)]
pub(crate) struct BoundedMap<K, V> {
    capacity: usize,
    entries: HashMap<K, V>,
    order: VecDeque<K>,
}

impl<K: Eq + Hash + Clone, V> BoundedMap<K, V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.entries.get(key)
    }

    /// Inserts or replaces; a new key may push out the oldest one.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        if self.entries.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
            if self.order.len() > self.capacity
                && let Some(oldest) = self.order.pop_front()
            {
                self.entries.remove(&oldest);
            }
        }
    }

    /// The entries, oldest key first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.order.iter().filter_map(|k| Some((k, self.entries.get(k)?)))
    }

    /// Keeps only the keys `keep` accepts.
    pub(crate) fn retain(&mut self, keep: impl Fn(&K) -> bool) {
        self.entries.retain(|k, _| keep(k));
        self.order.retain(|k| keep(k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgets_the_oldest_past_capacity() {
        let mut map = BoundedMap::new(3);
        for i in 0..5 {
            map.insert(i, i * 10);
        }
        assert_eq!(map.get(&0), None);
        assert_eq!(map.get(&4), Some(&40));
        map.insert(4, 41);
        assert_eq!(
            map.get(&2),
            Some(&20),
            "replacing a key does not push anything out"
        );
        map.retain(|k| k % 2 == 0);
        assert_eq!((map.get(&3), map.get(&4)), (None, Some(&41)));
    }
}
