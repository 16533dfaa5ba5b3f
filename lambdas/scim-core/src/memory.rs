//! An in-memory [`Directory`]: the twin the core's own tests and fuzz
//! targets run the Router against, and a starting point for anyone writing
//! another adapter. It keeps users and groups in insertion order; ids are
//! `id-<n>` and `group-<n>`. Groups behave as the Connect adapter's do: a
//! POST of an existing name links to that group, and deleting a user takes
//! it out of every group.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::directory::{
    Directory, DirectoryError, DirectoryResult, GroupPage, GroupPageRequest, PageRequest, UserPage,
};
use crate::group::{Group, GroupId, GroupRef, Member, MemberChange, StoredGroup};
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
    groups: BTreeMap<u64, (StoredGroup, BTreeSet<UserId>)>,
    next_group: u64,
}

impl Users {
    fn group_key(&self, id: &GroupId) -> DirectoryResult<u64> {
        self.groups
            .iter()
            .find(|(_, (g, _))| &g.id == id)
            .map(|(k, _)| *k)
            .ok_or_else(|| DirectoryError::NotFound(format!("no group {id}")))
    }

    /// The group as stored, with its members when asked.
    fn group(&self, key: u64, members: bool) -> Option<StoredGroup> {
        let (group, ids) = self.groups.get(&key)?;
        let mut group = group.clone();
        group.members = members.then(|| {
            self.by_key
                .values()
                .filter(|u| ids.contains(&u.id))
                .map(|u| Member { value: u.id.clone() })
                .collect()
        });
        Some(group)
    }

    /// A user with its `groups` filled in.
    fn user(&self, user: &StoredUser) -> StoredUser {
        let mut user = user.clone();
        user.groups = self
            .groups
            .values()
            .filter(|(_, ids)| ids.contains(&user.id))
            .map(|(g, _)| GroupRef {
                value: g.id.clone(),
                display: g.group.display_name.clone(),
            })
            .collect();
        user
    }
}

/// The next key of a counter; keys are never handed out twice, so an id
/// a client still holds never names a newer resource.
fn take_next(counter: &mut u64) -> u64 {
    let n = *counter;
    *counter += 1;
    n
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
    type UserHandle = ();
    type UserExtension = crate::user::NoExtension;
    type GroupHandle = ();

    async fn create_user(&self, user: &User) -> DirectoryResult<StoredUser> {
        let mut guard = self.users();
        let users = &mut *guard;
        if users.by_key.values().any(|u| u.user.user_name == user.user_name) {
            return Err(DirectoryError::Conflict(format!(
                "userName {} is taken",
                user.user_name.as_str()
            )));
        }
        let n = take_next(&mut users.next);
        let stored = StoredUser {
            id: UserId::new(format!("id-{n}")),
            user: user.clone(),
            created: None,
            last_modified: None,
            handle: (),
            groups: Vec::new(),
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
            .map(|u| users.user(u))
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
                .map(|u| users.user(u))
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
        Ok(users.user(&updated))
    }

    async fn delete_user(&self, current: &StoredUser) -> DirectoryResult<()> {
        let id = &current.id;
        let mut users = self.users();
        let key = Self::key_of(&users.by_key, id)?;
        users.by_key.remove(&key);
        for (_, members) in users.groups.values_mut() {
            members.remove(id);
        }
        Ok(())
    }

    async fn list_groups(&self, request: &GroupPageRequest) -> DirectoryResult<GroupPage> {
        let users = self.users();
        let matching: Vec<u64> = users
            .groups
            .iter()
            .filter(|(_, (g, _))| request.filter.as_ref().is_none_or(|f| f.matches(&g.id, &g.group)))
            .map(|(k, _)| *k)
            .collect();
        Ok(GroupPage {
            total_results: matching.len(),
            groups: matching
                .iter()
                .skip(request.start_index.saturating_sub(1))
                .take(request.count)
                .filter_map(|k| users.group(*k, request.members))
                .collect(),
        })
    }

    async fn get_group(&self, id: &GroupId, members: bool) -> DirectoryResult<StoredGroup> {
        let users = self.users();
        let key = users.group_key(id)?;
        users
            .group(key, members)
            .ok_or_else(|| DirectoryError::NotFound(format!("no group {id}")))
    }

    async fn create_group(&self, group: &Group) -> DirectoryResult<StoredGroup> {
        let mut guard = self.users();
        let users = &mut *guard;
        if let Some((existing, _)) = users
            .groups
            .values()
            .find(|(g, _)| g.group.same_name(&group.display_name))
        {
            return Ok(existing.clone());
        }
        let n = take_next(&mut users.next_group);
        let stored = StoredGroup {
            id: GroupId::new(format!("group-{n}")),
            group: group.clone(),
            members: None,
            created: None,
            last_modified: None,
            handle: (),
        };
        users.groups.insert(n, (stored.clone(), BTreeSet::new()));
        Ok(stored)
    }

    async fn update_group(&self, current: &StoredGroup, desired: &Group) -> DirectoryResult<StoredGroup> {
        let mut users = self.users();
        let key = users.group_key(&current.id)?;
        let Some((stored, _)) = users.groups.get_mut(&key) else {
            return Err(DirectoryError::NotFound(format!("no group {}", current.id)));
        };
        stored.group.external_id = desired.external_id.clone();
        Ok(stored.clone())
    }

    async fn change_members(&self, group: &StoredGroup, change: &MemberChange) -> DirectoryResult<()> {
        let mut guard = self.users();
        let users = &mut *guard;
        let key = users.group_key(&group.id)?;
        let unknown: Vec<&str> = change
            .add
            .iter()
            .filter(|u| !users.by_key.values().any(|s| &s.id == *u))
            .map(UserId::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(DirectoryError::InvalidValue(format!(
                "members must be existing users; there is no user {}",
                unknown.join(", ")
            )));
        }
        if let Some((_, members)) = users.groups.get_mut(&key) {
            members.extend(change.add.iter().cloned());
            for user in &change.remove {
                members.remove(user);
            }
        }
        Ok(())
    }

    async fn delete_group(&self, id: &GroupId) -> DirectoryResult<()> {
        let mut users = self.users();
        let key = users.group_key(id)?;
        users.groups.remove(&key);
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
        directory.delete_user(&ann).await.unwrap();
        let bob = directory.create_user(&user("bob")).await.unwrap();
        assert_ne!(ann.id, bob.id);
        let cid = directory.create_user(&user("cid")).await.unwrap();
        let clash = directory.update_user(&cid, &user("BOB")).await.unwrap_err();
        assert!(matches!(clash, DirectoryError::Conflict(_)), "{clash:?}");
    }
}
