//! Security profiles and user hierarchy groups: create, describe, delete,
//! search, and the root hierarchy group.

use crate::error::ConnectError;
use crate::index::Key;
use crate::search::{NamedField, NamedSearch, ProfileMatcher};
use crate::tokens::{Page, PageRequest, Tokens};
use crate::validate;
use crate::wire::*;
use crate::world::{Instance, Named, NamedKind, World, hierarchy_path};

/// SearchSecurityProfiles and SearchUserHierarchyGroups compare `name` and
/// `description`, with the documented CONTAINS bound.
const NAMED_SEARCH: NamedSearch = NamedSearch {
    fields: &[
        ("name", NamedField::Name),
        ("description", NamedField::Description),
    ],
    bounded_contains: true,
};

const LEVELS: [&str; 5] = ["LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive"];

/// A hierarchy group with its path from the top level down, resolved within `groups`.
fn hierarchy_view(groups: &[Named], group: &Named, region: &str) -> HierarchyGroup {
    let find = |id: &str| groups.iter().find(|g| g.id == id);
    let mut path: Vec<&Named> = hierarchy_path(groups, &group.id)
        .iter()
        .filter_map(|id| find(id))
        .collect();
    path.reverse();
    let hierarchy_path = LEVELS
        .iter()
        .zip(&path)
        .map(|(level, g)| {
            (
                (*level).to_owned(),
                HierarchyLevelGroup {
                    id: g.id.clone(),
                    arn: g.arn.clone(),
                    name: g.name.clone(),
                },
            )
        })
        .collect();
    HierarchyGroup {
        id: group.id.clone(),
        arn: group.arn.clone(),
        name: group.name.clone(),
        level_id: path.len().to_string(),
        hierarchy_path,
        tags: group.tags.clone(),
        last_modified_time: group.last_modified_time,
        last_modified_region: region.to_owned(),
    }
}

/// SearchUserHierarchyGroups: "The UserHierarchyGroup with "LevelId": "0"
/// is the foundation for building levels on top of an instance. It is not
/// user-definable, nor is it visible in the UI." Here it is named `root`,
/// has an empty path, exists from the instance's creation and is never
/// listed by ListUserHierarchyGroups (which is what the UI shows).
fn root_view(root: &Named, region: &str) -> HierarchyGroup {
    // Within no groups, its path resolves to nothing: LevelId 0.
    hierarchy_view(&[], root, region)
}

fn profile_summary(profile: &Named, instance_id: &str) -> SecurityProfileSearchSummary {
    SecurityProfileSearchSummary {
        id: profile.id.clone(),
        organization_resource_id: instance_id.to_owned(),
        arn: profile.arn.clone(),
        security_profile_name: profile.name.clone(),
        description: profile.description.clone(),
        tags: profile.tags.clone(),
    }
}

impl World {
    /// `CreateSecurityProfile`: names are unique in an instance regardless of
    /// case (as usernames are; Connect does not document it).
    pub(crate) fn create_security_profile(
        &mut self,
        instance_id: &str,
        request: CreateSecurityProfileRequest,
    ) -> Result<CreateSecurityProfileResponse, ConnectError> {
        validate::security_profile_lists(&request)?;
        let name = request
            .security_profile_name
            .ok_or_else(|| ConnectError::invalid("SecurityProfileName is required"))?;
        // The model's pattern: ^[ a-zA-Z0-9_@-]+$, 1 to 127 characters.
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '@' | '-');
        if name.is_empty() || name.chars().count() > 127 || !name.chars().all(allowed) {
            return Err(ConnectError::invalid(
                "SecurityProfileName must be 1 to 127 of: letters, digits, space, _ @ -",
            ));
        }
        validate::length("Description", request.description.as_deref(), 0, 250)?;
        let permissions = request.permissions.unwrap_or_default();
        let tags = validate::optional_tags(request.tags)?;
        let instance = self.instance_mut(instance_id)?;
        if instance
            .security_profiles
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&name))
        {
            return Err(ConnectError::DuplicateResource(format!(
                "A security profile named {name} already exists"
            )));
        }
        let profile = Named {
            tags,
            description: request.description,
            permissions,
            ..Named::new(&instance.arn, NamedKind::SecurityProfile, name, None)
        };
        let (security_profile_id, security_profile_arn) =
            instance.insert_named(NamedKind::SecurityProfile, profile);
        Ok(CreateSecurityProfileResponse {
            security_profile_id,
            security_profile_arn,
        })
    }

    /// The search view and name criteria of a SearchSecurityProfiles or
    /// SearchUserHierarchyGroups request. (`SearchFilter`, a tag-based access
    /// filter, is refused: the adapter never sends one.)
    fn named_search<'a>(
        &'a mut self,
        request: &SearchNamedRequest,
    ) -> Result<(&'a Instance, &'a Tokens, ProfileMatcher), ConnectError> {
        let (instance, tokens) = self.search_view(request.instance_id.as_deref())?;
        if request.search_filter.is_some() {
            return Err(ConnectError::invalid(
                "SearchFilter is not supported by the simulator",
            ));
        }
        let matcher = ProfileMatcher::new(request.search_criteria.as_ref(), NAMED_SEARCH)?;
        Ok((instance, tokens, matcher))
    }

    /// `SearchSecurityProfiles`: criteria on `name` and `description`, at
    /// most 100 per page.
    pub(crate) fn search_security_profiles(
        &mut self,
        request: SearchNamedRequest,
        page: PageRequest,
    ) -> Result<Page<SecurityProfileSearchSummary>, ConnectError> {
        let (instance, tokens, matcher) = self.named_search(&request)?;
        let instance_id = request.instance_id.unwrap_or_default();
        let matches: Vec<SecurityProfileSearchSummary> = instance
            .index
            .security_profiles
            .iter()
            .filter(|p| matcher.matches(&p.id, &p.name, p.description.as_deref()))
            .map(|p| profile_summary(p, &instance_id))
            .collect();
        tokens.search(&matches, &page, 100)
    }

    /// `CreateUserHierarchyGroup`: at most five levels; a name is unique
    /// among its siblings (regardless of case).
    pub(crate) fn create_hierarchy_group(
        &mut self,
        instance_id: &str,
        request: CreateHierarchyGroupRequest,
    ) -> Result<CreateHierarchyGroupResponse, ConnectError> {
        let name = request.name.unwrap_or_default();
        validate::length("Name", Some(&name), 1, 100)?;
        let tags = validate::optional_tags(request.tags)?;
        let instance = self.instance_mut(instance_id)?;
        let parent = instance.check_hierarchy_group(request.parent_group_id.as_ref())?;
        if parent
            .as_deref()
            .is_some_and(|p| hierarchy_path(&instance.hierarchy_groups, p).len() >= 5)
        {
            return Err(ConnectError::invalid("A hierarchy has at most five levels"));
        }
        if instance
            .hierarchy_groups
            .iter()
            .any(|g| g.parent == parent && g.name.eq_ignore_ascii_case(&name))
        {
            return Err(ConnectError::DuplicateResource(format!(
                "A hierarchy group named {name} already exists at that level"
            )));
        }
        let group = Named {
            tags,
            ..Named::new(&instance.arn, NamedKind::HierarchyGroup, name, parent)
        };
        let (hierarchy_group_id, hierarchy_group_arn) =
            instance.insert_named(NamedKind::HierarchyGroup, group);
        Ok(CreateHierarchyGroupResponse {
            hierarchy_group_id,
            hierarchy_group_arn,
        })
    }

    /// `DescribeUserHierarchyGroup`, with its path from the top level down.
    /// The root group can be described too (our choice: search shows it, so
    /// its id is a real group's id; the model does not say).
    pub(crate) fn describe_hierarchy_group(
        &self,
        instance_id: &str,
        group_id: &str,
    ) -> Result<HierarchyGroup, ConnectError> {
        let instance = self.instance(instance_id)?;
        if instance.root_group.id == group_id {
            return Ok(root_view(&instance.root_group, &self.region));
        }
        let group = instance
            .hierarchy_groups
            .iter()
            .find(|g| g.id == group_id)
            .ok_or_else(|| ConnectError::not_found(format!("Hierarchy group {group_id} not found")))?;
        Ok(hierarchy_view(&instance.hierarchy_groups, group, &self.region))
    }

    /// `SearchUserHierarchyGroups`: the root group, then every group with
    /// its path; criteria on `name`, at most 100 per page.
    pub(crate) fn search_hierarchy_groups(
        &mut self,
        request: SearchNamedRequest,
        page: PageRequest,
    ) -> Result<Page<HierarchyGroup>, ConnectError> {
        let region = self.region.clone();
        let (instance, tokens, matcher) = self.named_search(&request)?;
        let groups = &instance.index.hierarchy_groups;
        let root = &instance.root_group;
        let matches: Vec<HierarchyGroup> = std::iter::once(root_view(root, &region))
            .filter(|_| matcher.matches(&root.id, &root.name, None))
            .chain(
                groups
                    .iter()
                    .filter(|g| matcher.matches(&g.id, &g.name, None))
                    .map(|g| hierarchy_view(groups, g, &region)),
            )
            .collect();
        tokens.search(&matches, &page, 100)
    }

    /// `DescribeSecurityProfile`.
    pub(crate) fn describe_security_profile(
        &self,
        instance_id: &str,
        profile_id: &str,
    ) -> Result<SecurityProfile, ConnectError> {
        let instance = self.instance(instance_id)?;
        let profile = &instance.security_profiles[instance.security_profile_index(profile_id)?];
        Ok(SecurityProfile {
            summary: profile_summary(profile, instance_id),
            last_modified_time: profile.last_modified_time,
            last_modified_region: self.region.clone(),
        })
    }

    /// `DeleteSecurityProfile`: refused while any user holds the profile.
    pub(crate) fn delete_security_profile(
        &mut self,
        instance_id: &str,
        profile_id: &str,
    ) -> Result<(), ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        let index = instance.security_profile_index(profile_id)?;
        if instance
            .users
            .values()
            .any(|u| u.security_profile_ids.iter().any(|id| id == profile_id))
        {
            return Err(ConnectError::ResourceInUse(format!(
                "Security profile {profile_id} is assigned to users"
            )));
        }
        instance.security_profiles.remove(index);
        instance.reindex(Key::SecurityProfile(profile_id.to_owned()));
        Ok(())
    }

    /// Adds a named resource (tests seed extra profiles and hierarchy groups).
    pub(crate) fn add_named(
        &mut self,
        instance_id: &str,
        kind: NamedKind,
        name: &str,
        parent: Option<&str>,
    ) -> Result<String, ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        let named = Named::new(&instance.arn, kind, name.to_owned(), parent.map(str::to_owned));
        Ok(instance.insert_named(kind, named).0)
    }
}
