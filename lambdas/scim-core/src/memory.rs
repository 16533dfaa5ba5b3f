//! An in-memory [`Directory`]: the twin the core's own tests and fuzz
//! targets run the Router against, and a starting point for anyone writing
//! another adapter. It keeps users in insertion order; ids are `id-<n>`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::directory::{Directory, DirectoryError, DirectoryResult, PageRequest, UserPage};
use crate::user::{StoredUser, User, UserId};

/// Users kept in a map, in the order they were created. Ids are never
/// handed out twice, even after a delete.
#[derive(Debug, Default)]
pub struct MemoryDirectory {
    users: Mutex<Users>,
}

#[derive(Debug, Default)]
struct Users {
    by_key: BTreeMap<u64, StoredUser>,
    next: u64,
}

impl MemoryDirectory {
    /// An empty directory.
    pub fn new() -> Self {
        Self::default()
    }

    fn users(&self) -> MutexGuard<'_, Users> {
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
        let mut guard = self.users();
        let users = &mut *guard;
        if users.by_key.values().any(|u| u.user.user_name == user.user_name) {
            return Err(DirectoryError::Conflict(format!(
                "userName {} is taken",
                user.user_name.as_str()
            )));
        }
        let n = users.next;
        users.next += 1;
        let stored = StoredUser {
            id: UserId::new(format!("id-{n}")),
            user: user.clone(),
            created: None,
            last_modified: None,
            directory_data: BTreeMap::new(),
        };
        users.by_key.insert(n, stored.clone());
        Ok(stored)
    }

    async fn get_user(&self, id: &UserId) -> DirectoryResult<StoredUser> {
        let users = self.users();
        let key = Self::key_of(&users.by_key, id)?;
        users
            .by_key
            .get(&key)
            .cloned()
            .ok_or_else(|| DirectoryError::NotFound(format!("no user {}", id.as_str())))
    }

    async fn list_users(&self, request: &PageRequest) -> DirectoryResult<UserPage> {
        let users = self.users();
        let matching: Vec<&StoredUser> = users
            .by_key
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
        let key = Self::key_of(&users.by_key, &current.id)?;
        if users
            .by_key
            .iter()
            .any(|(k, u)| *k != key && u.user.user_name == desired.user_name)
        {
            return Err(DirectoryError::Conflict(format!(
                "userName {} is taken",
                desired.user_name.as_str()
            )));
        }
        let mut updated = current.clone();
        updated.user = desired.clone();
        users.by_key.insert(key, updated.clone());
        Ok(updated)
    }

    async fn delete_user(&self, id: &UserId) -> DirectoryResult<()> {
        let mut users = self.users();
        let key = Self::key_of(&users.by_key, id)?;
        users.by_key.remove(&key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::UserName;

    fn user(name: &str) -> User {
        User::new(UserName::new(name).unwrap())
    }

    #[tokio::test]
    async fn ids_are_never_reused_and_names_stay_unique() {
        let directory = MemoryDirectory::new();
        let ann = directory.create_user(&user("ann")).await.unwrap();
        directory.delete_user(&ann.id).await.unwrap();
        let bob = directory.create_user(&user("bob")).await.unwrap();
        assert_ne!(ann.id, bob.id);
        let cid = directory.create_user(&user("cid")).await.unwrap();
        let clash = directory.update_user(&cid, &user("BOB")).await.unwrap_err();
        assert!(matches!(clash, DirectoryError::Conflict(_)), "{clash:?}");
    }
}
