//! `/Groups`: Amazon Connect security profiles, whose members are the
//! agents holding them. What is theirs alone: members are read only when
//! the answer or the change needs them, a POST of an existing name links
//! to that profile, renames are refused, and a PATCH answers 204 (Microsoft
//! Entra ID expects it) unless the query names attributes.

use serde_json::Value;

use super::AppState;
use super::resource::Resource;
use crate::audit;
use crate::directory::{Directory, DirectoryError, GroupPageRequest};
use crate::error::ScimError;
use crate::filter::GroupFilter;
use crate::group::{Group, GroupId, GroupInput, GroupPatch, MemberChange, StoredGroup, check_rename};
use crate::projection::Projection;
use crate::schema::{GROUP_RESOURCE, ResourceSchema};

/// The `/Groups` resource type.
pub(crate) struct Groups;

impl<D: Directory> Resource<D> for Groups {
    const SCHEMA: &'static ResourceSchema = &GROUP_RESOURCE;
    const NOT_FOUND: &'static str = "No such group";
    const PATCH_ANSWERS_NO_CONTENT: bool = true;
    const REPLACE_READS_MEMBERS: bool = true;

    type Id = GroupId;
    type Filter = GroupFilter;
    type Stored = StoredGroup<D::GroupHandle>;
    type Replacement = GroupInput;
    type Patch = GroupPatch;

    const ID: fn(String) -> GroupId = GroupId::new;
    const PARSE_FILTER: fn(&str) -> Result<GroupFilter, ScimError> = GroupFilter::parse;
    const PARSE_REPLACEMENT: fn(&Value) -> Result<GroupInput, ScimError> = GroupInput::from_scim;
    const PARSE_PATCH: fn(&Value) -> Result<GroupPatch, ScimError> = GroupPatch::parse;
    const VERSION: fn(&Self::Stored) -> String = StoredGroup::version;
    const TO_SCIM: fn(&Self::Stored, &str) -> Value = StoredGroup::to_scim;

    async fn list(
        state: &AppState<D>,
        filter: Option<GroupFilter>,
        (start_index, count): (usize, usize),
        projection: &Projection,
    ) -> Result<(usize, Vec<Self::Stored>), ScimError> {
        let request = GroupPageRequest {
            filter,
            start_index,
            count,
            members: projection.keeps("members"),
        };
        let page = state.directory.list_groups(&request).await?;
        Ok((page.total_results, page.groups))
    }

    async fn get(state: &AppState<D>, id: &GroupId, members: bool) -> Result<Self::Stored, ScimError> {
        Ok(state.directory.get_group(id, members).await?)
    }

    /// The members are read again when the answer includes them and the
    /// group at hand lacks them (a save drops them once they change).
    async fn complete(
        state: &AppState<D>,
        group: Self::Stored,
        projection: &Projection,
    ) -> Result<Self::Stored, ScimError> {
        if projection.keeps("members") && group.members.is_none() {
            return Ok(state.directory.get_group(&group.id, true).await?);
        }
        Ok(group)
    }

    async fn delete(state: &AppState<D>, id: &GroupId) -> Result<(), ScimError> {
        Ok(state.directory.delete_group(id).await?)
    }

    async fn create(state: &AppState<D>, body: &Value) -> Result<Self::Stored, ScimError> {
        let input = GroupInput::from_scim(body)?;
        // Unknown members are refused before a group is made or linked.
        for member in input.members.iter().flatten() {
            match state.directory.get_user(member).await {
                Ok(_) => {}
                Err(DirectoryError::NotFound(_)) => {
                    return Err(ScimError::invalid_value(format!(
                        "members must be existing users; there is no user {member}"
                    )));
                }
                Err(other) => return Err(other.into()),
            }
        }
        let stored = state.directory.create_group(&input.group).await?;
        audit::record_resource(stored.id.as_str());
        // A linked group keeps its own externalId unless the client sends one.
        let desired = Group {
            display_name: stored.group.display_name.clone(),
            external_id: input
                .group
                .external_id
                .clone()
                .or(stored.group.external_id.clone()),
        };
        let change = MemberChange {
            add: input.members.unwrap_or_default(),
            remove: Vec::new(),
        };
        save(state, stored, desired, &change).await
    }

    async fn replace(
        state: &AppState<D>,
        current: Self::Stored,
        input: GroupInput,
    ) -> Result<Self::Stored, ScimError> {
        check_rename(&current.group, &input.group)?;
        let before = current.member_ids();
        // PUT replaces: no members in the body means none (RFC 7644 §3.5.1).
        let change = MemberChange::between(&before, &input.members.unwrap_or_default());
        save(state, current, input.group, &change).await
    }

    fn patch_reads_members(patch: &GroupPatch) -> bool {
        patch.needs_members()
    }

    async fn patch(
        state: &AppState<D>,
        current: Self::Stored,
        patch: GroupPatch,
    ) -> Result<Self::Stored, ScimError> {
        let outcome = patch.apply(&current)?;
        save(state, current, outcome.group, &outcome.members).await
    }
}

/// Stores the members, then the attributes (only externalId can change):
/// members are what a request is refused for (an unknown user, a member the
/// directory cannot take), and then nothing has changed.
async fn save<D: Directory>(
    state: &AppState<D>,
    current: StoredGroup<D::GroupHandle>,
    desired: Group,
    members: &MemberChange,
) -> Result<StoredGroup<D::GroupHandle>, ScimError> {
    state.directory.check_group(&desired)?;
    let mut saved = current;
    if !members.is_empty() {
        state.directory.change_members(&saved, members).await?;
        saved.members = None;
    }
    if desired.external_id != saved.group.external_id {
        let members = saved.members.take();
        saved = state.directory.update_group(&saved, &desired).await?;
        saved.members = saved.members.take().or(members);
    }
    Ok(saved)
}
