//! In-memory Connect state: instances, their users, profiles and tags, and
//! every operation's semantics. Nothing here knows about HTTP.

use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::ConnectError;
use crate::search;
use crate::validate;
use crate::wire::*;

/// Security profiles a fresh Connect instance has.
pub const SEEDED_SECURITY_PROFILES: [&str; 4] = ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"];
/// The routing profile a fresh Connect instance has.
pub const SEEDED_ROUTING_PROFILE: &str = "Basic Routing Profile";

/// A named resource: security profile, routing profile or hierarchy group.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub parent: Option<String>,
    pub tags: Tags,
    pub last_modified_time: f64,
    /// Security profiles only.
    pub description: Option<String>,
    /// Security profiles only.
    pub permissions: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Instance {
    pub arn: String,
    /// Users in creation order: the order list and search pages use, so a
    /// paging client never sees a user twice while others are being created.
    pub users: BTreeMap<u64, User>,
    pub by_id: HashMap<String, u64>,
    /// Lower-cased usernames: Connect treats usernames case-insensitively.
    pub by_username: HashMap<String, u64>,
    pub security_profiles: Vec<Named>,
    pub routing_profiles: Vec<Named>,
    pub hierarchy_groups: Vec<Named>,
    next_seq: u64,
}

/// All instances of one simulated account and region.
#[derive(Debug)]
pub(crate) struct World {
    pub region: String,
    pub account_id: String,
    pub instances: HashMap<String, Instance>,
}

pub(crate) fn now() -> f64 {
    // Connect reports milliseconds.
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    millis as f64 / 1000.0
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Opaque paging tokens: the offset, tagged so a token from another API is refused.
fn encode_token(kind: &str, offset: usize) -> String {
    format!("{kind}-{offset:x}")
}

fn decode_token(kind: &str, token: Option<&str>) -> Result<usize, ConnectError> {
    let Some(token) = token else { return Ok(0) };
    token
        .strip_prefix(kind)
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|hex| usize::from_str_radix(hex, 16).ok())
        .ok_or_else(|| ConnectError::invalid("The nextToken is not valid"))
}

fn page_size(value: Option<i64>, max: i64, default: usize) -> Result<usize, ConnectError> {
    match value {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(usize::try_from(n).unwrap_or(default)),
        Some(n) => Err(ConnectError::invalid(format!(
            "MaxResults {n} must be between 1 and {max}"
        ))),
    }
}

/// One page out of `items`, and the token for the next.
fn paginate<T: Clone>(
    items: &[T],
    kind: &str,
    token: Option<&str>,
    max_results: Option<i64>,
    max: i64,
) -> Result<(Vec<T>, Option<String>), ConnectError> {
    let offset = decode_token(kind, token)?;
    let size = page_size(max_results, max, 100)?;
    let end = offset.saturating_add(size).min(items.len());
    let page = items.get(offset..end).unwrap_or_default().to_vec();
    let next = (end < items.len()).then(|| encode_token(kind, end));
    Ok((page, next))
}

impl Instance {
    fn new(id: &str, region: &str, account_id: &str) -> Self {
        let arn = format!("arn:aws:connect:{region}:{account_id}:instance/{id}");
        let stamp = now();
        let named = |kind: &str, name: &str| {
            let id = new_id();
            Named {
                arn: format!("{arn}/{kind}/{id}"),
                id,
                name: name.to_owned(),
                parent: None,
                tags: Tags::new(),
                last_modified_time: stamp,
                description: None,
                permissions: Vec::new(),
            }
        };
        let security_profiles = SEEDED_SECURITY_PROFILES
            .iter()
            .map(|name| named("security-profile", name))
            .collect();
        let routing_profiles = vec![named("routing-profile", SEEDED_ROUTING_PROFILE)];
        Self {
            arn,
            users: BTreeMap::new(),
            by_id: HashMap::new(),
            by_username: HashMap::new(),
            security_profiles,
            routing_profiles,
            hierarchy_groups: Vec::new(),
            next_seq: 0,
        }
    }

    fn user(&self, user_id: &str) -> Result<&User, ConnectError> {
        self.by_id
            .get(user_id)
            .and_then(|seq| self.users.get(seq))
            .ok_or_else(|| ConnectError::not_found(format!("User {user_id} not found")))
    }

    fn user_mut(&mut self, user_id: &str) -> Result<&mut User, ConnectError> {
        let seq = *self
            .by_id
            .get(user_id)
            .ok_or_else(|| ConnectError::not_found(format!("User {user_id} not found")))?;
        self.users
            .get_mut(&seq)
            .ok_or_else(|| ConnectError::not_found(format!("User {user_id} not found")))
    }

    /// Where the security profile `id` sits in this instance's list.
    fn security_profile_index(&self, id: &str) -> Result<usize, ConnectError> {
        self.security_profiles
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| ConnectError::not_found(format!("Security profile {id} not found")))
    }

    fn check_security_profiles(&self, ids: Option<&Vec<String>>) -> Result<Vec<String>, ConnectError> {
        let ids = ids.ok_or_else(|| ConnectError::invalid("SecurityProfileIds is required"))?;
        if ids.is_empty() || ids.len() > 10 {
            return Err(ConnectError::invalid(
                "SecurityProfileIds must contain between 1 and 10 items",
            ));
        }
        for id in ids {
            self.security_profile_index(id)?;
        }
        let mut unique: Vec<String> = Vec::with_capacity(ids.len());
        for id in ids {
            if !unique.contains(id) {
                unique.push(id.clone());
            }
        }
        Ok(unique)
    }

    fn check_routing_profile(&self, id: Option<&String>) -> Result<String, ConnectError> {
        let id = id.ok_or_else(|| ConnectError::invalid("RoutingProfileId is required"))?;
        if !self.routing_profiles.iter().any(|p| &p.id == id) {
            return Err(ConnectError::not_found(format!("Routing profile {id} not found")));
        }
        Ok(id.clone())
    }

    pub(crate) fn check_hierarchy_group(&self, id: Option<&String>) -> Result<Option<String>, ConnectError> {
        match id {
            None => Ok(None),
            Some(id) if self.hierarchy_groups.iter().any(|g| &g.id == id) => Ok(Some(id.clone())),
            Some(id) => Err(ConnectError::not_found(format!("Hierarchy group {id} not found"))),
        }
    }

    /// The hierarchy group and all its ancestors' ids, nearest first.
    pub(crate) fn hierarchy_path(&self, group_id: &str) -> Vec<String> {
        let mut path = Vec::new();
        let mut current = Some(group_id.to_owned());
        while let Some(id) = current {
            if path.contains(&id) || path.len() > 5 {
                break;
            }
            current = self
                .hierarchy_groups
                .iter()
                .find(|g| g.id == id)
                .and_then(|g| g.parent.clone());
            path.push(id);
        }
        path
    }

    fn tags_mut(&mut self, arn: &str) -> Result<&mut Tags, ConnectError> {
        let missing = || ConnectError::not_found(format!("Resource {arn} not found"));
        let rest = arn.strip_prefix(&self.arn).ok_or_else(missing)?;
        let mut parts = rest.trim_start_matches('/').splitn(2, '/');
        let (kind, id) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        let list = match kind {
            "agent" => return Ok(&mut self.user_mut(id).map_err(|_| missing())?.tags),
            "security-profile" => &mut self.security_profiles,
            "routing-profile" => &mut self.routing_profiles,
            "agent-group" => &mut self.hierarchy_groups,
            _ => return Err(missing()),
        };
        list.iter_mut()
            .find(|n| n.id == id)
            .map(|n| &mut n.tags)
            .ok_or_else(missing)
    }
}

impl World {
    pub(crate) fn new(region: &str, account_id: &str, instance_ids: &[String]) -> Self {
        let instances = instance_ids
            .iter()
            .map(|id| (id.clone(), Instance::new(id, region, account_id)))
            .collect();
        Self {
            region: region.to_owned(),
            account_id: account_id.to_owned(),
            instances,
        }
    }

    pub(crate) fn instance(&self, id: &str) -> Result<&Instance, ConnectError> {
        self.instances
            .get(id)
            .ok_or_else(|| ConnectError::not_found(format!("Instance {id} not found")))
    }

    pub(crate) fn instance_mut(&mut self, id: &str) -> Result<&mut Instance, ConnectError> {
        self.instances
            .get_mut(id)
            .ok_or_else(|| ConnectError::not_found(format!("Instance {id} not found")))
    }

    pub(crate) fn add_instance(&mut self, id: &str) {
        let instance = Instance::new(id, &self.region, &self.account_id);
        self.instances.entry(id.to_owned()).or_insert(instance);
    }

    pub(crate) fn create_user(
        &mut self,
        instance_id: &str,
        request: CreateUserRequest,
    ) -> Result<CreateUserResponse, ConnectError> {
        let region = self.region.clone();
        let instance = self.instance_mut(instance_id)?;
        let username = request
            .username
            .ok_or_else(|| ConnectError::invalid("Username is required"))?;
        validate::username(&username)?;
        let identity_info = request.identity_info.unwrap_or_default();
        validate::identity_info(&identity_info)?;
        let phone_config = request.phone_config.unwrap_or_else(|| PhoneConfig {
            phone_type: Some("SOFT_PHONE".to_owned()),
            auto_accept: Some(false),
            after_contact_work_time_limit: Some(0),
            ..PhoneConfig::default()
        });
        validate::phone_config(&phone_config)?;
        let security_profile_ids = instance.check_security_profiles(request.security_profile_ids.as_ref())?;
        let routing_profile_id = instance.check_routing_profile(request.routing_profile_id.as_ref())?;
        let hierarchy_group_id = instance.check_hierarchy_group(request.hierarchy_group_id.as_ref())?;
        let tags = request.tags.unwrap_or_default();
        if !tags.is_empty() {
            validate::tags(&tags)?;
        }
        let key = username.to_lowercase();
        if instance.by_username.contains_key(&key) {
            return Err(ConnectError::DuplicateResource(format!(
                "User with username {username} already exists"
            )));
        }
        let id = new_id();
        let arn = format!("{}/agent/{id}", instance.arn);
        let seq = instance.next_seq;
        instance.next_seq += 1;
        instance.by_id.insert(id.clone(), seq);
        instance.by_username.insert(key, seq);
        instance.users.insert(
            seq,
            User {
                id: id.clone(),
                arn: arn.clone(),
                username,
                identity_info,
                phone_config,
                directory_user_id: request.directory_user_id,
                security_profile_ids,
                routing_profile_id,
                hierarchy_group_id,
                tags,
                last_modified_time: now(),
                last_modified_region: region,
            },
        );
        Ok(CreateUserResponse {
            user_id: id,
            user_arn: arn,
        })
    }

    pub(crate) fn describe_user(&self, instance_id: &str, user_id: &str) -> Result<User, ConnectError> {
        self.instance(instance_id)?.user(user_id).cloned()
    }

    pub(crate) fn delete_user(&mut self, instance_id: &str, user_id: &str) -> Result<(), ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        let seq = instance
            .by_id
            .remove(user_id)
            .ok_or_else(|| ConnectError::not_found(format!("User {user_id} not found")))?;
        if let Some(user) = instance.users.remove(&seq) {
            instance.by_username.remove(&user.username.to_lowercase());
        }
        Ok(())
    }

    /// Applies `change` to a user after checking it against the instance.
    pub(crate) fn update_user(
        &mut self,
        instance_id: &str,
        user_id: &str,
        change: UserChange,
    ) -> Result<(), ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        instance.user(user_id)?;
        let apply: Box<dyn FnOnce(&mut User)> = match change {
            UserChange::IdentityInfo(info) => {
                let info = info.ok_or_else(|| ConnectError::invalid("IdentityInfo is required"))?;
                validate::identity_info(&info)?;
                Box::new(move |u| u.identity_info = info)
            }
            UserChange::SecurityProfiles(ids) => {
                let ids = instance.check_security_profiles(ids.as_ref())?;
                Box::new(move |u| u.security_profile_ids = ids)
            }
            UserChange::RoutingProfile(id) => {
                let id = instance.check_routing_profile(id.as_ref())?;
                Box::new(move |u| u.routing_profile_id = id)
            }
            UserChange::PhoneConfig(config) => {
                let config = config.ok_or_else(|| ConnectError::invalid("PhoneConfig is required"))?;
                validate::phone_config(&config)?;
                Box::new(move |u| u.phone_config = config)
            }
            UserChange::Hierarchy(id) => {
                let id = instance.check_hierarchy_group(id.as_ref())?;
                Box::new(move |u| u.hierarchy_group_id = id)
            }
        };
        let user = instance.user_mut(user_id)?;
        apply(user);
        user.last_modified_time = now();
        Ok(())
    }

    pub(crate) fn list_users(
        &self,
        instance_id: &str,
        token: Option<&str>,
        max_results: Option<i64>,
    ) -> Result<ListUsersResponse, ConnectError> {
        let instance = self.instance(instance_id)?;
        let summaries: Vec<UserSummary> = instance
            .users
            .values()
            .map(|u| UserSummary {
                id: u.id.clone(),
                arn: u.arn.clone(),
                username: u.username.clone(),
                last_modified_time: u.last_modified_time,
                last_modified_region: u.last_modified_region.clone(),
            })
            .collect();
        let (page, next_token) = paginate(&summaries, "users", token, max_results, 1000)?;
        Ok(ListUsersResponse {
            user_summary_list: page,
            next_token,
        })
    }

    pub(crate) fn search_users(
        &self,
        request: SearchUsersRequest,
    ) -> Result<SearchUsersResponse, ConnectError> {
        let instance_id = request
            .instance_id
            .as_deref()
            .ok_or_else(|| ConnectError::invalid("InstanceId is required"))?;
        let instance = self.instance(instance_id)?;
        let matcher = search::Matcher::new(
            instance,
            request.search_criteria.as_ref(),
            request.search_filter.as_ref(),
        )?;
        if request
            .next_token
            .as_deref()
            .is_some_and(|t| t.is_empty() || t.len() > 2500)
        {
            return Err(ConnectError::invalid(
                "NextToken must be between 1 and 2500 characters",
            ));
        }
        let matches: Vec<&User> = instance.users.values().filter(|u| matcher.matches(u)).collect();
        let (page, next_token) = paginate(
            &matches,
            "search",
            request.next_token.as_deref(),
            request.max_results,
            500,
        )?;
        Ok(SearchUsersResponse {
            users: page.into_iter().map(search_summary).collect(),
            next_token,
            approximate_total_count: matches.len() as u64,
        })
    }

    pub(crate) fn list_named(
        &self,
        instance_id: &str,
        kind: NamedKind,
        token: Option<&str>,
        max_results: Option<i64>,
    ) -> Result<(Vec<Summary>, Option<String>), ConnectError> {
        let instance = self.instance(instance_id)?;
        let list = match kind {
            NamedKind::SecurityProfile => &instance.security_profiles,
            NamedKind::RoutingProfile => &instance.routing_profiles,
            NamedKind::HierarchyGroup => &instance.hierarchy_groups,
        };
        let summaries: Vec<Summary> = list
            .iter()
            .map(|n| Summary {
                id: n.id.clone(),
                arn: n.arn.clone(),
                name: n.name.clone(),
                last_modified_time: n.last_modified_time,
                last_modified_region: self.region.clone(),
            })
            .collect();
        paginate(&summaries, kind.token_kind(), token, max_results, 1000)
    }

    /// The instance whose ARN prefixes `arn`.
    fn instance_for_arn(&mut self, arn: &str) -> Result<&mut Instance, ConnectError> {
        self.instances
            .values_mut()
            .find(|i| arn.starts_with(&format!("{}/", i.arn)))
            .ok_or_else(|| ConnectError::not_found(format!("Resource {arn} not found")))
    }

    pub(crate) fn tag_resource(&mut self, arn: &str, tags: Option<Tags>) -> Result<(), ConnectError> {
        let tags = tags.ok_or_else(|| ConnectError::invalid("tags is required"))?;
        validate::tags(&tags)?;
        let current = self.instance_for_arn(arn)?.tags_mut(arn)?;
        let mut merged = current.clone();
        merged.extend(tags);
        if merged.len() > validate::MAX_TAGS {
            return Err(ConnectError::invalid(format!(
                "A resource can have at most {} tags",
                validate::MAX_TAGS
            )));
        }
        *current = merged;
        Ok(())
    }

    pub(crate) fn untag_resource(&mut self, arn: &str, keys: &[String]) -> Result<(), ConnectError> {
        if keys.is_empty() || keys.len() > 50 {
            return Err(ConnectError::invalid(
                "tagKeys must contain between 1 and 50 keys",
            ));
        }
        for key in keys {
            validate::tag_key(key)?;
        }
        let current = self.instance_for_arn(arn)?.tags_mut(arn)?;
        for key in keys {
            current.remove(key);
        }
        Ok(())
    }

    pub(crate) fn list_tags(&mut self, arn: &str) -> Result<Tags, ConnectError> {
        Ok(self.instance_for_arn(arn)?.tags_mut(arn)?.clone())
    }

    /// `CreateSecurityProfile`: names are unique in an instance regardless of
    /// case (as usernames are; Connect does not document it).
    pub(crate) fn create_security_profile(
        &mut self,
        instance_id: &str,
        request: CreateSecurityProfileRequest,
    ) -> Result<CreateSecurityProfileResponse, ConnectError> {
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
        if request
            .description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 250)
        {
            return Err(ConnectError::invalid(
                "Description must be at most 250 characters",
            ));
        }
        let permissions = request.permissions.unwrap_or_default();
        if permissions.len() > 500 {
            return Err(ConnectError::invalid("Permissions must have at most 500 items"));
        }
        let tags = request.tags.unwrap_or_default();
        if !tags.is_empty() {
            validate::tags(&tags)?;
        }
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
        let id = new_id();
        let arn = format!("{}/security-profile/{id}", instance.arn);
        instance.security_profiles.push(Named {
            id: id.clone(),
            arn: arn.clone(),
            name,
            parent: None,
            tags,
            last_modified_time: now(),
            description: request.description,
            permissions,
        });
        Ok(CreateSecurityProfileResponse {
            security_profile_id: id,
            security_profile_arn: arn,
        })
    }

    /// The instance and name criteria of a SearchSecurityProfiles or
    /// SearchUserHierarchyGroups request. (`SearchFilter`, a tag-based access
    /// filter, is refused: the adapter never sends one.)
    fn named_search<'a>(
        &'a self,
        request: &'a SearchNamedRequest,
    ) -> Result<(&'a str, &'a Instance, search::ProfileMatcher), ConnectError> {
        let instance_id = request
            .instance_id
            .as_deref()
            .ok_or_else(|| ConnectError::invalid("InstanceId is required"))?;
        let instance = self.instance(instance_id)?;
        if request.search_filter.is_some() {
            return Err(ConnectError::invalid(
                "SearchFilter is not supported by the simulator",
            ));
        }
        let matcher = search::ProfileMatcher::new(request.search_criteria.as_ref(), 0)?;
        Ok((instance_id, instance, matcher))
    }

    /// `SearchSecurityProfiles`: criteria on `name` and `description`, at
    /// most 100 per page.
    pub(crate) fn search_security_profiles(
        &self,
        request: SearchNamedRequest,
    ) -> Result<SearchSecurityProfilesResponse, ConnectError> {
        let (instance_id, instance, matcher) = self.named_search(&request)?;
        let matches: Vec<SecurityProfileSearchSummary> = instance
            .security_profiles
            .iter()
            .filter(|p| matcher.matches(&p.name, p.description.as_deref()))
            .map(|p| SecurityProfileSearchSummary {
                id: p.id.clone(),
                organization_resource_id: instance_id.to_owned(),
                arn: p.arn.clone(),
                security_profile_name: p.name.clone(),
                description: p.description.clone(),
                tags: p.tags.clone(),
            })
            .collect();
        let total = matches.len() as u64;
        let (page, next_token) = paginate(
            &matches,
            "security-profile-search",
            request.next_token.as_deref(),
            request.max_results,
            100,
        )?;
        Ok(SearchSecurityProfilesResponse {
            security_profiles: page,
            next_token,
            approximate_total_count: total,
        })
    }

    /// `CreateUserHierarchyGroup`: at most five levels; a name is unique
    /// among its siblings (regardless of case).
    pub(crate) fn create_hierarchy_group(
        &mut self,
        instance_id: &str,
        request: CreateHierarchyGroupRequest,
    ) -> Result<CreateHierarchyGroupResponse, ConnectError> {
        let name = request
            .name
            .filter(|n| !n.is_empty() && n.chars().count() <= 100)
            .ok_or_else(|| ConnectError::invalid("Name must be 1 to 100 characters"))?;
        let tags = request.tags.unwrap_or_default();
        if !tags.is_empty() {
            validate::tags(&tags)?;
        }
        let instance = self.instance_mut(instance_id)?;
        let parent = instance.check_hierarchy_group(request.parent_group_id.as_ref())?;
        if parent
            .as_deref()
            .is_some_and(|p| instance.hierarchy_path(p).len() >= 5)
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
        let id = new_id();
        let arn = format!("{}/agent-group/{id}", instance.arn);
        instance.hierarchy_groups.push(Named {
            id: id.clone(),
            arn: arn.clone(),
            name,
            parent,
            tags,
            last_modified_time: now(),
            description: None,
            permissions: Vec::new(),
        });
        Ok(CreateHierarchyGroupResponse {
            hierarchy_group_id: id,
            hierarchy_group_arn: arn,
        })
    }

    /// `DescribeUserHierarchyGroup`, with its path from the top level down.
    pub(crate) fn describe_hierarchy_group(
        &self,
        instance_id: &str,
        group_id: &str,
    ) -> Result<HierarchyGroup, ConnectError> {
        const LEVELS: [&str; 5] = ["LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive"];
        let instance = self.instance(instance_id)?;
        let find = |id: &str| instance.hierarchy_groups.iter().find(|g| g.id == id);
        let group = find(group_id)
            .ok_or_else(|| ConnectError::not_found(format!("Hierarchy group {group_id} not found")))?;
        let mut path: Vec<&Named> = instance
            .hierarchy_path(group_id)
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
        Ok(HierarchyGroup {
            id: group.id.clone(),
            arn: group.arn.clone(),
            name: group.name.clone(),
            level_id: path.len().to_string(),
            hierarchy_path,
            tags: group.tags.clone(),
            last_modified_time: group.last_modified_time,
            last_modified_region: self.region.clone(),
        })
    }

    /// `SearchUserHierarchyGroups`: every group with its path, criteria on
    /// `name`, at most 100 per page.
    pub(crate) fn search_hierarchy_groups(
        &self,
        request: SearchNamedRequest,
    ) -> Result<SearchHierarchyGroupsResponse, ConnectError> {
        let (instance_id, instance, matcher) = self.named_search(&request)?;
        let matches = instance
            .hierarchy_groups
            .iter()
            .filter(|g| matcher.matches(&g.name, None))
            .map(|g| self.describe_hierarchy_group(instance_id, &g.id))
            .collect::<Result<Vec<_>, _>>()?;
        let total = matches.len() as u64;
        let (page, next_token) = paginate(
            &matches,
            "hierarchy-search",
            request.next_token.as_deref(),
            request.max_results,
            100,
        )?;
        Ok(SearchHierarchyGroupsResponse {
            user_hierarchy_groups: page,
            next_token,
            approximate_total_count: total,
        })
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
            id: profile.id.clone(),
            organization_resource_id: instance_id.to_owned(),
            arn: profile.arn.clone(),
            security_profile_name: profile.name.clone(),
            description: profile.description.clone(),
            tags: profile.tags.clone(),
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
        let id = new_id();
        let named = Named {
            arn: format!("{}/{}/{id}", instance.arn, kind.arn_segment()),
            id: id.clone(),
            name: name.to_owned(),
            parent: parent.map(str::to_owned),
            tags: Tags::new(),
            last_modified_time: now(),
            description: None,
            permissions: Vec::new(),
        };
        match kind {
            NamedKind::SecurityProfile => instance.security_profiles.push(named),
            NamedKind::RoutingProfile => instance.routing_profiles.push(named),
            NamedKind::HierarchyGroup => instance.hierarchy_groups.push(named),
        }
        Ok(id)
    }
}

/// One of the `UpdateUser*` calls.
#[derive(Debug)]
pub(crate) enum UserChange {
    IdentityInfo(Option<IdentityInfo>),
    SecurityProfiles(Option<Vec<String>>),
    RoutingProfile(Option<String>),
    PhoneConfig(Option<PhoneConfig>),
    Hierarchy(Option<String>),
}

/// The kinds of named instance resources the simulator lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    /// `ListSecurityProfiles`.
    SecurityProfile,
    /// `ListRoutingProfiles`.
    RoutingProfile,
    /// `ListUserHierarchyGroups`.
    HierarchyGroup,
}

impl NamedKind {
    fn token_kind(self) -> &'static str {
        match self {
            Self::SecurityProfile => "sp",
            Self::RoutingProfile => "rp",
            Self::HierarchyGroup => "hg",
        }
    }

    fn arn_segment(self) -> &'static str {
        match self {
            Self::SecurityProfile => "security-profile",
            Self::RoutingProfile => "routing-profile",
            Self::HierarchyGroup => "agent-group",
        }
    }
}

fn search_summary(user: &User) -> UserSearchSummary {
    UserSearchSummary {
        arn: user.arn.clone(),
        directory_user_id: user.directory_user_id.clone(),
        hierarchy_group_id: user.hierarchy_group_id.clone(),
        id: user.id.clone(),
        identity_info: IdentityInfoLite {
            first_name: user.identity_info.first_name.clone(),
            last_name: user.identity_info.last_name.clone(),
        },
        // SearchUsers reports the after-contact work limit in milliseconds
        // (DescribeUser in seconds), as Connect documents.
        phone_config: PhoneConfig {
            after_contact_work_time_limit: user
                .phone_config
                .after_contact_work_time_limit
                .map(|s| s.saturating_mul(1000)),
            ..user.phone_config.clone()
        },
        routing_profile_id: user.routing_profile_id.clone(),
        security_profile_ids: user.security_profile_ids.clone(),
        tags: user.tags.clone(),
        username: user.username.clone(),
    }
}
