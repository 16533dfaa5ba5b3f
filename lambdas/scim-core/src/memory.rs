//! An in-memory [`Directory`]: the twin the core's own tests and fuzz
//! targets run the Router against, and a starting point for anyone writing
//! another adapter. It keeps users in insertion order; ids are `id-<n>`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::directory::{Directory, DirectoryError, DirectoryResult, PageRequest, UserPage};
use crate::user::{StoredUser, User, UserId};

/// Users kept in a map, in the order they were created.
#[derive(Debug, Default)]
pub struct MemoryDirectory {
    users: Mutex<BTreeMap<u64, StoredUser>>,
}

impl MemoryDirectory {
    /// An empty directory.
    pub fn new() -> Self {
        Self::default()
    }

    fn users(&self) -> MutexGuard<'_, BTreeMap<u64, StoredUser>> {
        // A panic elsewhere cannot leave the map half-written: every
        // mutation below is a single insert or remove.
        self.users.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn key_of(users: &BTreeMap<u64, StoredUser>, id: &UserId) -> DirectoryResult<u64> {
        users
            .iter()
            .find(|(_, u)| &u.id == id)
            .map(|(k, _)| *k)
            .ok_or_else(|| DirectoryError::NotFound(format!("no user {}", id.as_str())))
    }
}

impl Directory for MemoryDirectory {
    async fn create_user(&self, user: &User) -> DirectoryResult<StoredUser> {
        let mut users = self.users();
        if users.values().any(|u| u.user.user_name == user.user_name) {
            return Err(DirectoryError::Conflict(format!(
                "userName {} is taken",
                user.user_name.as_str()
            )));
        }
        let n = users.keys().last().map_or(0, |k| k + 1);
        let stored = StoredUser {
            id: UserId::new(format!("id-{n}")),
            user: user.clone(),
            created: None,
            last_modified: None,
            directory_data: BTreeMap::new(),
        };
        users.insert(n, stored.clone());
        Ok(stored)
    }

    async fn get_user(&self, id: &UserId) -> DirectoryResult<StoredUser> {
        let users = self.users();
        let key = Self::key_of(&users, id)?;
        users
            .get(&key)
            .cloned()
            .ok_or_else(|| DirectoryError::NotFound(format!("no user {}", id.as_str())))
    }

    async fn list_users(&self, request: &PageRequest) -> DirectoryResult<UserPage> {
        let users = self.users();
        let matching: Vec<&StoredUser> = users
            .values()
            .filter(|u| request.filter.as_ref().is_none_or(|f| f.matches(&u.id, &u.user)))
            .collect();
        Ok(UserPage {
            total_results: matching.len(),
            users: matching
                .into_iter()
                .skip(request.start_index.saturating_sub(1))
                .take(request.count)
                .cloned()
                .collect(),
        })
    }

    async fn update_user(&self, current: &StoredUser, desired: &User) -> DirectoryResult<StoredUser> {
        let mut users = self.users();
        let key = Self::key_of(&users, &current.id)?;
        let mut updated = current.clone();
        updated.user = desired.clone();
        users.insert(key, updated.clone());
        Ok(updated)
    }

    async fn delete_user(&self, id: &UserId) -> DirectoryResult<()> {
        let mut users = self.users();
        let key = Self::key_of(&users, id)?;
        users.remove(&key);
        Ok(())
    }
}
