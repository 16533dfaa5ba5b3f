//! IdP groups as Amazon Connect security profiles.
//!
//! | SCIM Group | Connect |
//! |---|---|
//! | `id` | SecurityProfileId |
//! | `displayName` | SecurityProfileName (cannot change) |
//! | `externalId` | profile tag `scim:externalId` |
//! | `members` | the users who hold the profile (SearchUsers on SecurityProfileId) |
//!
//! Joining a group grants its profile; leaving takes it away unless the
//! user's department grants it too. The profiles a user holds through
//! groups are listed in the user's `scim:groups` tags, so every change
//! recomputes the user's profiles as their department's plus their groups'
//! (never empty, at most ten). The disabled-agent profile is never a group.

use std::collections::BTreeMap;

use scim_core::{
    Directory, DirectoryError, DirectoryResult, Group, GroupId, GroupPageRequest, Member, MemberChange,
    UserId,
};

use crate::Pages;
use crate::mapping::{self, TAG_EXTERNAL_ID, TAG_MANAGED};
use crate::update::TagWrites;
use crate::{ConnectDirectory, GroupPage, StoredGroup, StoredUser, plausible_id, search};

/// What the adapter keeps of a security profile between a read and an
/// update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileHandle {
    /// The profile's ARN: what TagResource addresses.
    pub(crate) arn: String,
    /// Whether the bridge made it (tagged `scim:managed`), so may delete it.
    pub(crate) managed: bool,
}

/// SearchUsers page size for members.
const MEMBER_PAGE: usize = 500;
/// Conditions ORed in one SearchUsers call (users by id, holders by profile).
const PER_SEARCH: usize = 10;
/// SearchSecurityProfiles page size (Connect's maximum).
const PROFILE_PAGE: i32 = 100;

/// A profile's description when the bridge makes it.
const CREATED_DESCRIPTION: &str = "Created by SCIM provisioning for an identity-provider group";

fn group_of(
    id: &str,
    arn: &str,
    name: &str,
    tags: Option<&std::collections::HashMap<String, String>>,
) -> StoredGroup {
    let tag = |k: &str| tags.and_then(|t| t.get(k)).filter(|v| !v.is_empty()).cloned();
    let handle = ProfileHandle {
        arn: arn.to_owned(),
        managed: tag(TAG_MANAGED).as_deref() == Some("true"),
    };
    StoredGroup {
        id: GroupId::new(id),
        group: Group {
            display_name: name.to_owned(),
            external_id: tag(TAG_EXTERNAL_ID),
        },
        members: None,
        created: None,
        last_modified: None,
        handle,
    }
}

/// One user's new state after a membership change.
struct Regrant {
    user: StoredUser,
    tags: BTreeMap<String, String>,
    profiles: Option<Vec<String>>,
}

impl Regrant {
    /// Whether it writes anything.
    fn changes(&self) -> bool {
        self.profiles.is_some() || self.tags != self.user.handle.tags.clone()
    }
}

impl ConnectDirectory {
    /// Whether `name` is the disabled-agent profile, which is never a group.
    pub(crate) fn is_disabled_profile(&self, name: &str) -> bool {
        name.eq_ignore_ascii_case(&self.settings.disabled_security_profile)
    }

    /// Every security profile of the instance, as groups, in Connect's order
    /// (one SearchSecurityProfiles call per 100), the disabled-agent
    /// profile included.
    async fn every_profile(&self) -> DirectoryResult<Vec<StoredGroup>> {
        let mut groups = Vec::new();
        let request = self.client.search_security_profiles();
        let request = request.instance_id(&self.settings.instance_id);
        let mut pages = Pages::new(request.max_results(PROFILE_PAGE).into_paginator().send(), |p| {
            p.next_token()
        });
        while let Some(page) = self.next_page("SearchSecurityProfiles", &mut pages).await? {
            groups.extend(page.security_profiles().iter().filter_map(|p| {
                Some(group_of(
                    p.id()?,
                    p.arn().unwrap_or_default(),
                    p.security_profile_name()?,
                    p.tags(),
                ))
            }));
        }
        Ok(self.recent_groups.amend(groups))
    }

    /// The users who hold each of `profile_ids`: one SearchUsers (per 500
    /// holders) for up to ten profiles, however many groups a page lists.
    async fn holders_of(&self, profile_ids: &[&str]) -> DirectoryResult<BTreeMap<String, Vec<Member>>> {
        let mut members: BTreeMap<String, Vec<Member>> = profile_ids
            .iter()
            .map(|id| ((*id).to_owned(), Vec::new()))
            .collect();
        for chunk in profile_ids.chunks(PER_SEARCH) {
            for user in self
                .search_all(&search::SearchQuery::holders(chunk), MEMBER_PAGE)
                .await?
            {
                // Only this chunk's profiles: a holder of profiles in two
                // chunks is found by both searches.
                let held = user.handle.security_profile_ids.clone();
                for held in held.iter().filter(|h| chunk.contains(&h.as_str())) {
                    if let Some(list) = members.get_mut(held) {
                        list.push(Member {
                            value: user.id.clone(),
                        });
                    }
                }
            }
        }
        Ok(members)
    }

    /// The users who hold a profile.
    async fn holders(&self, profile_id: &str) -> DirectoryResult<Vec<Member>> {
        Ok(self
            .holders_of(&[profile_id])
            .await?
            .remove(profile_id)
            .unwrap_or_default())
    }

    /// The users with these ids that exist, read ten to a SearchUsers call,
    /// with their names filled in.
    async fn read_users(&self, ids: &[UserId]) -> DirectoryResult<Vec<StoredUser>> {
        let plausible: Vec<&str> = ids
            .iter()
            .map(UserId::as_str)
            .filter(|id| plausible_id(id))
            .collect();
        let mut users = Vec::new();
        for chunk in plausible.chunks(PER_SEARCH) {
            users.extend(
                self.search_all(&search::SearchQuery::users(chunk), MEMBER_PAGE)
                    .await?,
            );
        }
        self.with_names(&mut users).await?;
        Ok(users)
    }

    pub(crate) async fn groups_page(&self, request: &GroupPageRequest) -> DirectoryResult<GroupPage> {
        let matching: Vec<StoredGroup> = self
            .every_profile()
            .await?
            .into_iter()
            .filter(|g| !self.is_disabled_profile(&g.group.display_name))
            .filter(|g| request.filter.as_ref().is_none_or(|f| f.matches(&g.id, &g.group)))
            .collect();
        let total_results = matching.len();
        let mut groups: Vec<StoredGroup> = matching
            .into_iter()
            .skip(request.start_index.saturating_sub(1))
            .take(request.count)
            .collect();
        if request.members {
            let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
            let mut holders = self.holders_of(&ids).await?;
            for group in &mut groups {
                group.members = Some(holders.remove(group.id.as_str()).unwrap_or_default());
            }
        }
        Ok(GroupPage {
            total_results,
            groups,
        })
    }

    pub(crate) async fn group(&self, id: &GroupId, members: bool) -> DirectoryResult<StoredGroup> {
        let missing = || DirectoryError::NotFound(format!("No group {id}"));
        if !plausible_id(id.as_str()) {
            return Err(missing());
        }
        let out = self
            .call(
                "DescribeSecurityProfile",
                self.client
                    .describe_security_profile()
                    .instance_id(&self.settings.instance_id)
                    .security_profile_id(id.as_str())
                    .send(),
            )
            .await?;
        let profile = out.security_profile().ok_or_else(missing)?;
        let name = profile.security_profile_name().unwrap_or_default();
        if self.is_disabled_profile(name) {
            return Err(missing());
        }
        let mut group = group_of(
            id.as_str(),
            profile.arn().unwrap_or_default(),
            name,
            profile.tags(),
        );
        group.last_modified = crate::to_time(profile.last_modified_time());
        if members {
            group.members = Some(self.holders(id.as_str()).await?);
        }
        Ok(group)
    }

    /// Links to the profile named like the group, else (when allowed)
    /// creates one with no permissions.
    pub(crate) async fn create_or_link(&self, group: &Group) -> DirectoryResult<StoredGroup> {
        // A group grants its profile to every member: `Admin` as a group
        // name must not be a way round ASSIGNABLE_SECURITY_PROFILES.
        self.settings.assignable.check(&group.display_name)?;
        match self.linked(group).await? {
            Some(found) => Ok(found),
            None => self.create_profile(group).await,
        }
    }

    /// The existing profile named like the group; `None` when there is none
    /// and the bridge may create it; an invalid value when it may not.
    async fn linked(&self, group: &Group) -> DirectoryResult<Option<StoredGroup>> {
        let profiles = self.every_profile().await?;
        if let Some(found) = profiles.iter().find(|p| group.same_name(&p.group.display_name)) {
            if self.is_disabled_profile(&found.group.display_name) {
                return Err(DirectoryError::InvalidValue(format!(
                    "{:?} is the security profile disabled agents hold (DISABLED_SECURITY_PROFILE); it cannot be a group",
                    found.group.display_name
                )));
            }
            return Ok(Some(found.clone()));
        }
        if self.settings.create_groups {
            return Ok(None);
        }
        let names: Vec<&str> = profiles
            .iter()
            .map(|p| p.group.display_name.as_str())
            .filter(|n| !self.is_disabled_profile(n))
            .collect();
        Err(DirectoryError::InvalidValue(format!(
            "No Amazon Connect security profile is named {:?}. Create it in Connect and the group links to it, \
             or set GROUPS_CREATE_SECURITY_PROFILES=true to have it created with no permissions. \
             Security profiles: {}",
            group.display_name,
            names.join(", ")
        )))
    }

    /// Creates a security profile with no permissions for the group, tagged
    /// as the bridge's own (so deleting the group may delete it).
    async fn create_profile(&self, group: &Group) -> DirectoryResult<StoredGroup> {
        let mut tags = BTreeMap::from([(TAG_MANAGED.to_owned(), "true".to_owned())]);
        if let Some(external_id) = &group.external_id {
            tags.insert(
                TAG_EXTERNAL_ID.to_owned(),
                mapping::tag_value(external_id, "externalId")?,
            );
        }
        let created = self
            .call(
                "CreateSecurityProfile",
                self.client
                    .create_security_profile()
                    .instance_id(&self.settings.instance_id)
                    .security_profile_name(&group.display_name)
                    .description(CREATED_DESCRIPTION)
                    .set_tags(Some(tags.clone().into_iter().collect()))
                    .send(),
            )
            .await;
        let out = match created {
            Ok(out) => out,
            // Made meanwhile (a concurrent or retried POST): link to it.
            Err(DirectoryError::Conflict(_)) => {
                return self
                    .every_profile()
                    .await?
                    .into_iter()
                    .find(|p| group.same_name(&p.group.display_name))
                    .ok_or_else(|| {
                        DirectoryError::Conflict(format!(
                            "the group {:?} is being created",
                            group.display_name
                        ))
                    });
            }
            Err(DirectoryError::InvalidValue(message)) => {
                return Err(DirectoryError::InvalidValue(format!(
                    "Amazon Connect cannot name a security profile {:?} ({message}): names take 1 to 127 \
                     letters, digits, spaces and _ @ -",
                    group.display_name
                )));
            }
            Err(other) => return Err(other),
        };
        self.security_profiles.invalidate().await;
        let tags: std::collections::HashMap<String, String> = tags.into_iter().collect();
        let mut made = group_of(
            out.security_profile_id().unwrap_or_default(),
            out.security_profile_arn().unwrap_or_default(),
            &group.display_name,
            Some(&tags),
        );
        // Nobody holds a profile made just now.
        made.members = Some(Vec::new());
        made.last_modified = Some(time::OffsetDateTime::now_utc());
        self.recent_groups.wrote(&made);
        Ok(made)
    }

    /// Keeps `externalId` in the profile's tags.
    pub(crate) async fn set_group_attributes(
        &self,
        current: &StoredGroup,
        desired: &Group,
    ) -> DirectoryResult<StoredGroup> {
        self.settings.assignable.check(&current.group.display_name)?;
        let arn = current.handle.arn.clone();
        match &desired.external_id {
            Some(external_id) => {
                let value = mapping::tag_value(external_id, "externalId")?;
                self.call(
                    "TagResource",
                    self.client
                        .tag_resource()
                        .resource_arn(&arn)
                        .tags(TAG_EXTERNAL_ID, value)
                        .send(),
                )
                .await?;
            }
            None => {
                self.call(
                    "UntagResource",
                    self.client
                        .untag_resource()
                        .resource_arn(&arn)
                        .tag_keys(TAG_EXTERNAL_ID)
                        .send(),
                )
                .await?;
            }
        }
        let mut updated = current.clone();
        updated.group.external_id = desired.external_id.clone();
        self.recent_groups.wrote(&updated);
        Ok(updated)
    }

    /// The new state of one user joining (`join`) or leaving a group;
    /// `None` for a user leaving a group that never granted it the profile
    /// (it holds the profile through its department, or was given it in
    /// Connect): nothing of it is the group's to take away.
    async fn regrant(&self, user: StoredUser, profile: &str, join: bool) -> DirectoryResult<Option<Regrant>> {
        let tags = user.handle.tags.clone();
        let mut groups = mapping::group_profiles(&tags);
        if !join && !groups.iter().any(|g| g == profile) {
            return Ok(None);
        }
        crate::boundary::require_managed(&user, "change the groups of")?;
        if join {
            if !groups.iter().any(|g| g == profile) {
                groups.push(profile.to_owned());
            }
        } else {
            groups.retain(|g| g != profile);
        }
        let assignment = self
            .assignment_for(&user.user, &groups)
            .await
            .map_err(|e| match e {
                DirectoryError::InvalidValue(m) => {
                    DirectoryError::InvalidValue(format!("{}: {m}", user.user.user_name))
                }
                other => other,
            })?;
        let security = assignment.security;
        // Grants of profiles deleted since leave the tags too.
        let with_groups = mapping::with_group_profiles(&tags, &assignment.groups);
        // A disabled agent keeps holding the disabled profile; what changes
        // is what re-enabling restores.
        let (tags, profiles) = match mapping::saved_profiles(&tags) {
            Some(_) => (mapping::with_saved_profiles(&with_groups, &security), None),
            None => {
                let held = user.handle.security_profile_ids.clone();
                (
                    with_groups,
                    Some(security).filter(|s| !crate::assignment::same_set(s, &held)),
                )
            }
        };
        Ok(Some(Regrant { user, tags, profiles }))
    }

    /// Adds and removes members: every user is read and every new profile
    /// set checked before the first change is made.
    pub(crate) async fn change_group_members(
        &self,
        group: &StoredGroup,
        change: &MemberChange,
    ) -> DirectoryResult<()> {
        let added = self.read_users(&change.add).await?;
        let found: std::collections::HashSet<&UserId> = added.iter().map(|u| &u.id).collect();
        let missed: Vec<UserId> = change
            .add
            .iter()
            .filter(|id| !found.contains(id))
            .cloned()
            .collect();
        let removed = self.read_users(&change.remove).await?;
        self.apply_members(group.id.as_str(), added, missed, removed)
            .await
    }

    /// Grants `profile` to `added` (and to `missed`, ids a search did not
    /// find) and takes it from `removed`, users read by search. Whoever the
    /// search says needs a change is read again by id and planned from that
    /// read, since a search index can lag a change made a moment ago (say,
    /// by the previous group's PATCH). Converged users cost no further call.
    async fn apply_members(
        &self,
        profile: &str,
        added: Vec<StoredUser>,
        missed: Vec<UserId>,
        removed: Vec<StoredUser>,
    ) -> DirectoryResult<()> {
        let mut plans = Vec::new();
        let mut unknown = Vec::new();
        let searched = added
            .into_iter()
            .map(|u| (u, true))
            .chain(removed.into_iter().map(|u| (u, false)));
        let mut reread: Vec<(UserId, bool)> = missed.into_iter().map(|id| (id, true)).collect();
        for (user, join) in searched {
            let id = user.id.clone();
            if self
                .regrant(user, profile, join)
                .await?
                .is_some_and(|plan| plan.changes())
            {
                reread.push((id, join));
            }
        }
        for (id, join) in reread {
            match self.get_user(&id).await {
                Ok(user) => plans.extend(self.regrant(user, profile, join).await?),
                Err(DirectoryError::NotFound(_)) if join => unknown.push(id),
                // Removing someone who is gone already changes nothing.
                Err(DirectoryError::NotFound(_)) => {}
                Err(other) => return Err(other),
            }
        }
        let unknown: Vec<&str> = unknown.iter().map(UserId::as_str).collect();
        if !unknown.is_empty() {
            return Err(DirectoryError::InvalidValue(format!(
                "members must be existing users; there is no user {}",
                unknown.join(", ")
            )));
        }
        for plan in plans {
            let current = plan.user.handle.tags.clone();
            self.write_tags(
                &plan.user,
                &TagWrites::between(&current, &plan.tags, plan.profiles.as_deref()),
            )
            .await?;
            let written = mapping::rewritten(&plan.user, &plan.tags, plan.profiles.as_deref());
            self.recent.wrote(Some(&plan.user), &written);
        }
        Ok(())
    }

    /// Takes every holder out of the group; deletes the profile when the
    /// bridge made it and nobody holds it any more.
    pub(crate) async fn remove_group(&self, id: &GroupId) -> DirectoryResult<()> {
        let group = self.group(id, false).await?;
        let mut holders = self
            .search_all(&search::SearchQuery::holders(&[id.as_str()]), MEMBER_PAGE)
            .await?;
        self.with_names(&mut holders).await?;
        self.apply_members(id.as_str(), Vec::new(), Vec::new(), holders)
            .await?;
        if !self.settings.create_groups {
            tracing::info!(group = %id, "GROUPS_CREATE_SECURITY_PROFILES is off: the grants were removed, the profile is kept");
            return Ok(());
        }
        if !group.handle.managed {
            tracing::info!(group = %id, "the security profile was made outside SCIM: its grants were removed, the profile is kept");
            return Ok(());
        }
        let deleted = self
            .call(
                "DeleteSecurityProfile",
                self.client
                    .delete_security_profile()
                    .instance_id(&self.settings.instance_id)
                    .security_profile_id(id.as_str())
                    .send(),
            )
            .await;
        match deleted {
            Ok(_) | Err(DirectoryError::NotFound(_)) => {
                self.security_profiles.invalidate().await;
                self.recent_groups.deleted(id.as_str());
                Ok(())
            }
            // Still held through a department: the grants are gone, the profile stays.
            Err(DirectoryError::Conflict(message)) => {
                tracing::warn!(group = %id, %message, "the security profile is still held and was kept");
                Ok(())
            }
            Err(other) => Err(other),
        }
    }
}
