//! Updating an agent in three steps: look up only what the change needs
//! ([`Facts`]), decide what to write ([`plan`], pure and tested by tables),
//! then make the calls ([`ConnectDirectory::apply`], in a fixed order).

use std::collections::BTreeMap;

use scim_core::DirectoryResult;
use time::OffsetDateTime;

use crate::assignment::{Assignment, same_names, same_set};
use crate::channels::{self, ChannelWrites};
use crate::identity::IdentityType;
use crate::mapping::{self, Agent, ReadEmail};
use crate::names::NamedKind;
use crate::phone::{Phone, phone_config};
use crate::proficiencies::{self, ProficiencyWrites, Wanted};
use crate::{ConnectDirectory, StoredUser, User};

/// What an update had to look up, each only when the change asks for it, so
/// an unchanged echo costs no Connect call.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// Profiles for the new department or extension choices.
    pub assignment: Option<Assignment>,
    /// The disabled-agent profile, when the agent is being disabled.
    pub disabled_profile: Option<String>,
    /// When re-enabling: the saved profiles that still exist.
    pub saved_known: Option<Vec<String>>,
    /// When re-enabling with nothing saved left and nothing reassigned.
    pub restore: Option<Vec<String>>,
    /// The hierarchy group the client named.
    pub hierarchy: Option<String>,
    /// The instance's identity type, when names or email change.
    pub identity: Option<IdentityType>,
    /// The proficiencies to leave granted, when they change.
    pub proficiencies: Option<Wanted>,
}

/// Names and email to send with UpdateUserIdentityInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdentityWrite {
    pub identity: IdentityType,
    pub first: String,
    pub last: String,
    pub email: Option<String>,
}

/// Tag and profile writes, shared with group membership changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TagWrites {
    pub set: BTreeMap<String, String>,
    pub profiles: Option<Vec<String>>,
    pub remove: Vec<String>,
}

impl TagWrites {
    /// The writes that turn `current` tags into `new` and (when given) the
    /// profiles into `profiles`.
    pub(crate) fn between(
        current: &BTreeMap<String, String>,
        new: &BTreeMap<String, String>,
        profiles: Option<&[String]>,
    ) -> Self {
        TagWrites {
            set: new
                .iter()
                .filter(|(k, v)| current.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            profiles: profiles.map(<[String]>::to_vec),
            remove: current
                .keys()
                .filter(|k| !new.contains_key(*k))
                .cloned()
                .collect(),
        }
    }
}

/// The Connect calls an update makes, and the agent they leave.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub identity: Option<IdentityWrite>,
    pub tags: TagWrites,
    pub routing: Option<String>,
    pub hierarchy: Option<String>,
    pub phone: Option<Phone>,
    /// Per-channel settings: one UpdateUserConfig.
    pub channels: ChannelWrites,
    pub proficiencies: ProficiencyWrites,
    /// The agent as Connect holds it after the calls.
    pub after: Agent,
}

impl Plan {
    /// The operations, in the order [`ConnectDirectory::apply`] makes them.
    pub(crate) fn calls(&self) -> Vec<&'static str> {
        let mut calls = Vec::new();
        let mut add = |yes: bool, name| {
            if yes {
                calls.push(name);
            }
        };
        add(self.identity.is_some(), "UpdateUserIdentityInfo");
        let p = &self.proficiencies;
        add(!p.disassociate.is_empty(), "DisassociateUserProficiencies");
        add(!p.associate.is_empty(), "AssociateUserProficiencies");
        add(!p.update.is_empty(), "UpdateUserProficiencies");
        add(!self.tags.set.is_empty(), "TagResource");
        add(self.tags.profiles.is_some(), "UpdateUserSecurityProfiles");
        add(!self.tags.remove.is_empty(), "UntagResource");
        add(self.routing.is_some(), "UpdateUserRoutingProfile");
        add(self.hierarchy.is_some(), "UpdateUserHierarchy");
        add(self.phone.is_some(), "UpdateUserPhoneConfig");
        add(!self.channels.is_empty(), "UpdateUserConfig");
        calls
    }
}

/// Whether the department or the extension's profile choices change.
fn reassigns(current: &User, desired: &User) -> bool {
    let (want, have) = (&desired.extension, &current.extension);
    desired.department != current.department
        || !same_names(
            want.security_profiles.as_deref(),
            have.security_profiles.as_deref(),
        )
        || !same_names(
            want.routing_profile.as_slice().into(),
            have.routing_profile.as_slice().into(),
        )
}

/// Whether the names or the email Connect keeps change.
fn renames(current: &User, desired: &User) -> bool {
    let (first, last) = mapping::connect_names(desired);
    current.given_name.as_deref() != Some(first.as_str())
        || current.family_name.as_deref() != Some(last.as_str())
        || current.email != desired.email
}

/// The phone settings to write, if they change.
fn phone_change(current: &User, desired: &User) -> DirectoryResult<Option<Phone>> {
    let want = &desired.extension;
    let current_phone = Phone::of(&current.extension);
    let asked = want.phone_type.is_some()
        || want.auto_accept.is_some()
        || want.after_contact_work_time_limit.is_some()
        || want.desk_phone_number.is_some();
    if !asked {
        return Ok(None);
    }
    let phone = Phone::merged(want, current_phone.as_ref())?;
    Ok((Some(&phone) != current_phone.as_ref()).then_some(phone))
}

/// Phone and per-channel writes, and the channels they leave. The single
/// settings go through UpdateUserPhoneConfig unless the agent's channels
/// hold different after-contact limits, which that call would reset to one
/// (then they are the VOICE entry of the UpdateUserConfig); the client's
/// entries are written after them and win.
fn phone_and_channels(
    current: &User,
    desired: &User,
) -> DirectoryResult<(Option<Phone>, ChannelWrites, Vec<crate::ChannelConfig>)> {
    let phone = phone_change(current, desired)?;
    let held = channels::with_voice(
        current.extension.channel_configs.as_deref().unwrap_or_default(),
        Phone::of(&current.extension).as_ref(),
    );
    let entries = match &desired.extension.channel_configs {
        Some(list) => ChannelWrites::between(&held, list)?,
        None => ChannelWrites::default(),
    };
    let (phone, writes) = match phone {
        Some(p) if channels::limits_differ(&held) => {
            (None, ChannelWrites::from_phone(&p, false)?.then(&entries))
        }
        other => (other, entries),
    };
    let mut after = held;
    if let Some(p) = phone.as_ref().filter(|_| !after.is_empty()) {
        after = ChannelWrites::from_phone(p, true)?.applied(&after);
    }
    let after = writes.applied(&after);
    Ok((phone, writes, after))
}

/// The proficiency calls, and the record of what the bridge then granted.
fn proficiency_change(
    current: &StoredUser,
    facts: &Facts,
) -> (ProficiencyWrites, Option<(Vec<crate::Proficiency>, bool)>) {
    let granted = proficiencies::granted(&current.handle.tags);
    let Some(wanted) = &facts.proficiencies else {
        return (ProficiencyWrites::default(), granted);
    };
    let before = granted
        .as_ref()
        .map(|(list, _)| list.as_slice())
        .unwrap_or_default();
    let writes = ProficiencyWrites::between(before, &wanted.list);
    (
        writes,
        wanted.recorded.then(|| (wanted.list.clone(), wanted.from_map)),
    )
}

/// Which profiles to hold now (`None`: unchanged) and which to keep for
/// re-enabling (`None`: none).
fn profiles(
    current: &StoredUser,
    desired: &User,
    facts: &Facts,
) -> (Option<Vec<String>>, Option<Vec<String>>) {
    let held = &current.handle.security_profile_ids;
    let reassigned = facts.assignment.as_ref().map(|a| a.security.clone());
    let saved = mapping::saved_profiles(&current.handle.tags);
    let (target, saved) = match (desired.is_active(), saved) {
        // Disabled already: only what re-enabling restores may change.
        (false, Some(saved)) => (None, Some(reassigned.unwrap_or(saved))),
        (false, None) => (
            facts.disabled_profile.clone().map(|p| vec![p]),
            Some(reassigned.unwrap_or_else(|| held.clone())),
        ),
        // Re-enabling: saved profiles deleted meanwhile are dropped (Connect
        // would refuse them); none left means the assignment decides.
        (true, Some(_)) => {
            let known = facts.saved_known.clone().unwrap_or_default();
            let restore = match reassigned {
                Some(profiles) => Some(profiles),
                None if known.is_empty() => facts.restore.clone(),
                None => Some(known),
            };
            (restore, None)
        }
        (true, None) => (reassigned, None),
    };
    (target.filter(|t| !same_set(t, held)), saved)
}

/// What to write to make `current` look like `desired`, given what was
/// looked up. Pure: no Connect call is made here. About 80 lines on
/// purpose: each setting's decision is a few lines, and reading them in one
/// place, in the order `apply` makes the calls, is what the table test in
/// `update_tests.rs` checks.
pub(crate) fn plan(current: &StoredUser, desired: &User, facts: &Facts) -> DirectoryResult<Plan> {
    let handle = &current.handle;
    let (target, saved) = profiles(current, desired, facts);
    let (chosen_routing, chosen_security) = match &facts.assignment {
        Some(a) => (a.chosen_routing.clone(), a.chosen_security.clone()),
        None => mapping::choices(&handle.tags),
    };
    let routing = (facts.assignment.as_ref())
        .map(|a| a.routing.clone())
        .filter(|r| *r != handle.routing_profile_id);
    let hierarchy = facts
        .hierarchy
        .clone()
        .filter(|h| Some(h) != handle.hierarchy_group_id.as_ref());
    let (phone, channel_writes, channels_after) = phone_and_channels(&current.user, desired)?;
    let (proficiency_writes, granted) = proficiency_change(current, facts);
    let new_tags = proficiencies::with_granted(
        &mapping::with_choices(
            &mapping::desired_tags(
                desired,
                &mapping::kept_bookkeeping(&handle.tags),
                saved.as_deref(),
            )?,
            chosen_routing.as_deref(),
            chosen_security.as_deref(),
        ),
        granted.as_ref().map(|(list, _)| list.as_slice()),
        granted.as_ref().is_some_and(|(_, from_map)| *from_map),
    );
    let (first, last) = mapping::connect_names(desired);
    let identity = match facts.identity {
        Some(identity) if identity.owns_names() => Some(IdentityWrite {
            identity,
            first: first.clone(),
            last: last.clone(),
            email: desired.email.clone(),
        }),
        _ => None,
    };
    // When the instance's directory owns names and email, the user keeps
    // what Connect has, and reads back so.
    let (first, last, email) = match &identity {
        Some(write) => (write.first.clone(), write.last.clone(), write.email.clone()),
        None if facts.identity.is_some() => (
            current.user.given_name.clone().unwrap_or_default(),
            current.user.family_name.clone().unwrap_or_default(),
            current.user.email.clone(),
        ),
        None => (first, last, desired.email.clone()),
    };
    let after = Agent {
        id: current.id.as_str().to_owned(),
        arn: handle.arn.clone(),
        username: current.user.user_name.as_str().to_owned(),
        first_name: Some(first),
        last_name: Some(last),
        email: ReadEmail::Read(email),
        security_profile_ids: target
            .clone()
            .unwrap_or_else(|| handle.security_profile_ids.clone()),
        routing_profile_id: routing
            .clone()
            .unwrap_or_else(|| handle.routing_profile_id.clone()),
        tags: new_tags.clone(),
        last_modified: Some(OffsetDateTime::now_utc()),
        phone: channels::voice_view(&channels_after)
            .or_else(|| phone.clone())
            .or_else(|| Phone::of(&current.user.extension)),
        hierarchy_group_id: hierarchy.clone().or_else(|| handle.hierarchy_group_id.clone()),
        channels: channels_after,
        kept: handle.kept.clone(),
    };
    Ok(Plan {
        identity,
        tags: TagWrites::between(&handle.tags, &new_tags, target.as_deref()),
        routing,
        hierarchy,
        phone,
        channels: channel_writes,
        proficiencies: proficiency_writes,
        after,
    })
}

impl ConnectDirectory {
    /// Looks up what updating `current` to `desired` needs, and nothing else.
    async fn facts(&self, current: &StoredUser, desired: &User) -> DirectoryResult<Facts> {
        let tags = &current.handle.tags;
        let groups = mapping::group_profiles(tags);
        let saved = mapping::saved_profiles(tags);
        let mut facts = Facts::default();
        if reassigns(&current.user, desired) {
            facts.assignment = Some(self.assignment_for(desired, &groups).await?);
        }
        if !desired.is_active() && saved.is_none() {
            facts.disabled_profile = Some(self.disabled_profile_id().await?);
        }
        if let Some(saved) = saved.filter(|_| desired.is_active()) {
            let index = self.index_knowing(NamedKind::Security, &saved).await?;
            let known: Vec<String> = saved.into_iter().filter(|id| index.name(id).is_some()).collect();
            if known.is_empty() && facts.assignment.is_none() {
                facts.restore = Some(self.assignment_for(desired, &groups).await?.security);
            }
            facts.saved_known = Some(known);
        }
        if let Some(name) = &desired.extension.hierarchy_group {
            facts.hierarchy = Some(
                self.chosen_id(NamedKind::Hierarchy, "hierarchyGroup", name)
                    .await?,
            );
        }
        facts.proficiencies = self.wanted_proficiencies(Some(current), desired).await?;
        if renames(&current.user, desired) {
            facts.identity = Some(self.identity_type().await?);
            if !facts.identity.is_some_and(IdentityType::owns_names) {
                tracing::info!(user = %current.id, "names and email are managed in the instance's directory; not changed");
            }
        }
        Ok(facts)
    }

    /// Makes `current` look like `desired`: looks up, plans, applies.
    pub(crate) async fn update(&self, current: &StoredUser, desired: &User) -> DirectoryResult<StoredUser> {
        // What the plan would refuse (a user the bridge does not manage, a
        // desk phone without a number, a tag value too long) is refused
        // before any lookup spends a call.
        crate::boundary::require_managed(current, "change")?;
        phone_and_channels(&current.user, desired)?;
        mapping::desired_tags(desired, &BTreeMap::new(), None)?;
        let facts = self.facts(current, desired).await?;
        let plan = plan(current, desired, &facts)?;
        tracing::debug!(user = %current.id, calls = ?plan.calls(), "update planned");
        self.apply(current, &plan).await?;
        plan.after
            .into_stored()
            .map(|u| self.labelled(u))?
            .await
            .inspect(|updated| self.recent.wrote(Some(current), updated))
    }

    /// Makes the plan's calls, in the order [`Plan::calls`] lists.
    async fn apply(&self, current: &StoredUser, plan: &Plan) -> DirectoryResult<()> {
        let (instance, id) = (&self.settings.instance_id, current.id.as_str());
        if let Some(write) = &plan.identity {
            let info = write.identity.identity_info(
                &write.first,
                &write.last,
                write.email.as_deref(),
                &current.handle.kept,
            );
            let request = self.client.update_user_identity_info().instance_id(instance);
            self.call(
                "UpdateUserIdentityInfo",
                request.user_id(id).identity_info(info).send(),
            )
            .await?;
        }
        // Before the tags: the record of what was granted is written only
        // once the grants are made, so a retry after a failure redoes them.
        self.write_proficiencies(id, &plan.proficiencies).await?;
        self.write_tags(current, &plan.tags).await?;
        if let Some(routing) = &plan.routing {
            let request = self.client.update_user_routing_profile().instance_id(instance);
            self.call(
                "UpdateUserRoutingProfile",
                request.user_id(id).routing_profile_id(routing).send(),
            )
            .await?;
        }
        if let Some(hierarchy) = &plan.hierarchy {
            let request = self.client.update_user_hierarchy().instance_id(instance);
            self.call(
                "UpdateUserHierarchy",
                request.user_id(id).hierarchy_group_id(hierarchy).send(),
            )
            .await?;
        }
        if let Some(phone) = &plan.phone {
            let request = self.client.update_user_phone_config().instance_id(instance);
            self.call(
                "UpdateUserPhoneConfig",
                request.user_id(id).phone_config(phone_config(phone)?).send(),
            )
            .await?;
        }
        if !plan.channels.is_empty() {
            let (auto_accept, after_contact_work, phones) = plan.channels.lists()?;
            let request = self.client.update_user_config().instance_id(instance).user_id(id);
            self.call(
                "UpdateUserConfig",
                request
                    .set_auto_accept_configs(auto_accept)
                    .set_after_contact_work_configs(after_contact_work)
                    .set_phone_number_configs(phones)
                    .send(),
            )
            .await?;
        }
        Ok(())
    }

    /// Writes a user's new tags and security profiles. Order matters for a
    /// failure midway: new tags (saved profiles, group grants) are written
    /// before the profiles change, and old ones removed only after, so a
    /// retry converges.
    pub(crate) async fn write_tags(&self, user: &StoredUser, writes: &TagWrites) -> DirectoryResult<()> {
        let arn = &user.handle.arn;
        if !writes.set.is_empty() {
            let tags = writes.set.clone().into_iter().collect();
            self.call(
                "TagResource",
                self.client
                    .tag_resource()
                    .resource_arn(arn)
                    .set_tags(Some(tags))
                    .send(),
            )
            .await?;
        }
        if let Some(profiles) = &writes.profiles {
            let request = self.client.update_user_security_profiles();
            let request = request
                .instance_id(&self.settings.instance_id)
                .user_id(user.id.as_str());
            self.call(
                "UpdateUserSecurityProfiles",
                request.set_security_profile_ids(Some(profiles.clone())).send(),
            )
            .await?;
        }
        if !writes.remove.is_empty() {
            let request = self.client.untag_resource().resource_arn(arn);
            self.call(
                "UntagResource",
                request.set_tag_keys(Some(writes.remove.clone())).send(),
            )
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
