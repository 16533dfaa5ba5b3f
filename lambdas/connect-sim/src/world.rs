//! In-memory Connect state: instances and what they hold, tags, and
//! DescribeInstance. Nothing here knows about HTTP. The operations live by
//! resource: `users`, `profiles` (security profiles, hierarchy groups),
//! `quick_connects`; the lagging search view in `index`.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::config::SimConfig;
use crate::error::ConnectError;
use crate::identity::IdentityType;
use crate::index::{Doc, Key, SearchIndex};
use crate::tokens::{Page, PageRequest, Tokens};
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
    pub identity_type: IdentityType,
    /// Epoch seconds.
    pub created_time: f64,
    /// Users in creation order: the order list and search pages use, so a
    /// paging client never sees a user twice while others are being created.
    pub users: BTreeMap<u64, User>,
    pub by_id: HashMap<String, u64>,
    /// Lower-cased usernames: Connect treats usernames case-insensitively.
    pub by_username: HashMap<String, u64>,
    pub security_profiles: Vec<Named>,
    pub routing_profiles: Vec<Named>,
    pub hierarchy_groups: Vec<Named>,
    /// The group with `"LevelId": "0"` (see `profiles`); kept apart from
    /// `hierarchy_groups` because only SearchUserHierarchyGroups shows it.
    pub root_group: Named,
    /// In creation order.
    pub quick_connects: Vec<QuickConnect>,
    /// In creation order (see `predefined_attributes`).
    pub predefined_attributes: Vec<PredefinedAttribute>,
    /// What the Search* APIs see.
    pub index: SearchIndex,
    pub next_seq: u64,
}

/// All instances of one simulated account and region.
#[derive(Debug)]
pub(crate) struct World {
    pub region: String,
    pub account_id: String,
    pub instances: HashMap<String, Instance>,
    /// The identity type `add_instance` gives new instances.
    pub identity_type: IdentityType,
    pub tokens: Tokens,
    pub search_lag: Duration,
}

pub(crate) fn now() -> f64 {
    // Connect reports milliseconds.
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    millis as f64 / 1000.0
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Named {
    /// A new resource of `kind` in the instance `instance_arn`, without
    /// tags, description or permissions; `parent` places a hierarchy group.
    pub(crate) fn new(instance_arn: &str, kind: NamedKind, name: String, parent: Option<String>) -> Self {
        let id = new_id();
        Self {
            arn: format!("{instance_arn}/{}/{id}", kind.arn_segment()),
            id,
            name,
            parent,
            tags: Tags::new(),
            last_modified_time: now(),
            description: None,
            permissions: Vec::new(),
        }
    }
}

/// The hierarchy group `group_id` and all its ancestors' ids in `groups`,
/// nearest first.
pub(crate) fn hierarchy_path(groups: &[Named], group_id: &str) -> Vec<String> {
    let mut path = Vec::new();
    let mut current = Some(group_id.to_owned());
    while let Some(id) = current {
        if path.contains(&id) || path.len() > 5 {
            break;
        }
        current = groups.iter().find(|g| g.id == id).and_then(|g| g.parent.clone());
        path.push(id);
    }
    path
}

impl Instance {
    fn new(id: &str, region: &str, account_id: &str, identity_type: IdentityType, lag: Duration) -> Self {
        let arn = format!("arn:aws:connect:{region}:{account_id}:instance/{id}");
        let stamp = now();
        // Everything a fresh instance holds dates from its creation.
        let named = |kind: NamedKind, name: &str| Named {
            last_modified_time: stamp,
            ..Named::new(&arn, kind, name.to_owned(), None)
        };
        let security_profiles: Vec<Named> = SEEDED_SECURITY_PROFILES
            .iter()
            .map(|name| named(NamedKind::SecurityProfile, name))
            .collect();
        let routing_profiles = vec![named(NamedKind::RoutingProfile, SEEDED_ROUTING_PROFILE)];
        let root_group = named(NamedKind::HierarchyGroup, "root");
        let index = SearchIndex::new(lag, security_profiles.iter().cloned().map(Doc::SecurityProfile));
        Self {
            arn,
            identity_type,
            created_time: stamp,
            users: BTreeMap::new(),
            by_id: HashMap::new(),
            by_username: HashMap::new(),
            security_profiles,
            routing_profiles,
            hierarchy_groups: Vec::new(),
            root_group,
            quick_connects: Vec::new(),
            predefined_attributes: Vec::new(),
            index,
            next_seq: 0,
        }
    }

    pub(crate) fn user(&self, user_id: &str) -> Result<&User, ConnectError> {
        self.by_id
            .get(user_id)
            .and_then(|seq| self.users.get(seq))
            .ok_or_else(|| user_not_found(user_id))
    }

    pub(crate) fn user_mut(&mut self, user_id: &str) -> Result<&mut User, ConnectError> {
        self.by_id
            .get(user_id)
            .and_then(|seq| self.users.get_mut(seq))
            .ok_or_else(|| user_not_found(user_id))
    }

    /// Tells the search index what the user `user_id` is now.
    pub(crate) fn reindex_user(&mut self, user_id: &str) {
        if let Some(seq) = self.by_id.get(user_id).copied() {
            self.reindex(Key::User(seq));
        }
    }

    /// The predefined attribute named exactly `name`.
    pub(crate) fn predefined_attribute(&self, name: &str) -> Option<&PredefinedAttribute> {
        self.predefined_attributes.iter().find(|a| a.name == name)
    }

    /// The named resources of one kind, in creation order.
    pub(crate) fn named(&self, kind: NamedKind) -> &[Named] {
        match kind {
            NamedKind::SecurityProfile => &self.security_profiles,
            NamedKind::RoutingProfile => &self.routing_profiles,
            NamedKind::HierarchyGroup => &self.hierarchy_groups,
        }
    }

    /// Adds a named resource of `kind` and tells the search index (routing
    /// profiles are not searchable); its id and ARN.
    pub(crate) fn insert_named(&mut self, kind: NamedKind, named: Named) -> (String, String) {
        let (id, arn) = (named.id.clone(), named.arn.clone());
        let key = kind.index_key(&id);
        self.named_mut(kind).push(named);
        if let Some(key) = key {
            self.reindex(key);
        }
        (id, arn)
    }

    fn named_mut(&mut self, kind: NamedKind) -> &mut Vec<Named> {
        match kind {
            NamedKind::SecurityProfile => &mut self.security_profiles,
            NamedKind::RoutingProfile => &mut self.routing_profiles,
            NamedKind::HierarchyGroup => &mut self.hierarchy_groups,
        }
    }

    /// Tells the search index what the resource `key` is now (or that it is gone).
    pub(crate) fn reindex(&mut self, key: Key) {
        let find = |list: &[Named], id: &str| list.iter().find(|n| n.id == id).cloned();
        let doc = match &key {
            Key::User(seq) => self.users.get(seq).map(|u| Doc::User(*seq, Box::new(u.clone()))),
            Key::SecurityProfile(id) => find(&self.security_profiles, id).map(Doc::SecurityProfile),
            Key::HierarchyGroup(id) => find(&self.hierarchy_groups, id).map(Doc::HierarchyGroup),
            Key::QuickConnect(id) => self
                .quick_connects
                .iter()
                .find(|q| &q.quick_connect_id == id)
                .map(|q| Doc::QuickConnect(Box::new(q.clone()))),
        };
        match doc {
            Some(doc) => self.index.put(doc),
            None => self.index.remove(key),
        }
    }

    /// Where the security profile `id` sits in this instance's list.
    pub(crate) fn security_profile_index(&self, id: &str) -> Result<usize, ConnectError> {
        self.security_profiles
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| ConnectError::not_found(format!("Security profile {id} not found")))
    }

    pub(crate) fn check_security_profiles(
        &self,
        ids: Option<&Vec<String>>,
    ) -> Result<Vec<String>, ConnectError> {
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

    pub(crate) fn check_routing_profile(&self, id: Option<&String>) -> Result<String, ConnectError> {
        let id = id.ok_or_else(|| ConnectError::invalid("RoutingProfileId is required"))?;
        if !self.routing_profiles.iter().any(|p| &p.id == id) {
            return Err(ConnectError::not_found(format!("Routing profile {id} not found")));
        }
        Ok(id.clone())
    }

    /// A group a user can be placed in, or a new group's parent.
    pub(crate) fn check_hierarchy_group(&self, id: Option<&String>) -> Result<Option<String>, ConnectError> {
        match id {
            None => Ok(None),
            // Our choice (the model does not say): the LevelId 0 group is
            // "the foundation for building levels", not a level, so no user
            // is placed in it and no group is created under it explicitly.
            Some(id) if *id == self.root_group.id => Err(ConnectError::invalid(
                "The root hierarchy group (LevelId 0) cannot be assigned to a user or used as a parent",
            )),
            Some(id) if self.hierarchy_groups.iter().any(|g| &g.id == id) => Ok(Some(id.clone())),
            Some(id) => Err(ConnectError::not_found(format!("Hierarchy group {id} not found"))),
        }
    }

    /// The tags of the resource `arn` names, and its search index key when
    /// it is searchable.
    fn tags_mut(&mut self, arn: &str) -> Result<(&mut Tags, Option<Key>), ConnectError> {
        let missing = || ConnectError::not_found(format!("Resource {arn} not found"));
        let rest = arn.strip_prefix(&self.arn).ok_or_else(missing)?;
        let mut parts = rest.trim_start_matches('/').splitn(2, '/');
        let (kind, id) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        let kind = match kind {
            "agent" => {
                let seq = *self.by_id.get(id).ok_or_else(missing)?;
                let user = self.users.get_mut(&seq).ok_or_else(missing)?;
                return Ok((&mut user.tags, Some(Key::User(seq))));
            }
            "transfer-destination" => {
                let qc = self
                    .quick_connects
                    .iter_mut()
                    .find(|q| q.quick_connect_id == id)
                    .ok_or_else(missing)?;
                return Ok((&mut qc.tags, Some(Key::QuickConnect(id.to_owned()))));
            }
            segment => NamedKind::ALL
                .into_iter()
                .find(|k| k.arn_segment() == segment)
                .ok_or_else(missing)?,
        };
        let key = kind.index_key(id);
        let tags = self
            .named_mut(kind)
            .iter_mut()
            .find(|n| n.id == id)
            .map(|n| &mut n.tags)
            .ok_or_else(missing)?;
        Ok((tags, key))
    }

    fn describe(&self, id: &str, account_id: &str) -> InstanceDescription {
        // Aliases match ^(?!d-)([\da-zA-Z]+)([-]*[\da-zA-Z])*$, at most 45 characters.
        let alnum: String = id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(32)
            .collect::<String>()
            .to_ascii_lowercase();
        let alias = if alnum.is_empty() {
            "sim".to_owned()
        } else {
            format!("sim-{alnum}")
        };
        InstanceDescription {
            id: id.to_owned(),
            arn: self.arn.clone(),
            identity_management_type: self.identity_type.as_str().to_owned(),
            instance_access_url: format!("https://{alias}.my.connect.aws/"),
            instance_alias: alias,
            created_time: self.created_time,
            service_role: format!(
                "arn:aws:iam::{account_id}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_{}",
                alnum.chars().take(20).collect::<String>()
            ),
            instance_status: "ACTIVE".to_owned(),
            inbound_calls_enabled: true,
            outbound_calls_enabled: true,
            tags: Tags::new(),
        }
    }
}

impl World {
    pub(crate) fn new(config: &SimConfig) -> Self {
        let mut world = Self {
            region: config.region.clone(),
            account_id: config.account_id.clone(),
            instances: HashMap::new(),
            identity_type: config.identity_type,
            tokens: Tokens::new(config.token_ttl),
            search_lag: config.search_lag,
        };
        for id in &config.instance_ids {
            world.add_instance(id, config.identity_type);
        }
        world
    }

    pub(crate) fn instance(&self, id: &str) -> Result<&Instance, ConnectError> {
        self.instances
            .get(id)
            .ok_or_else(|| validate::unknown_instance(id))
    }

    pub(crate) fn instance_mut(&mut self, id: &str) -> Result<&mut Instance, ConnectError> {
        self.instances
            .get_mut(id)
            .ok_or_else(|| validate::unknown_instance(id))
    }

    /// The instance a Search* request names (`InstanceId` travels in its
    /// body, so it may be missing) as its search index sees it now (pending
    /// changes older than the lag applied), with the token issuer for paging.
    pub(crate) fn search_view(&mut self, id: Option<&str>) -> Result<(&Instance, &Tokens), ConnectError> {
        let id = id.ok_or_else(|| ConnectError::invalid("InstanceId is required"))?;
        let instance = self
            .instances
            .get_mut(id)
            .ok_or_else(|| validate::unknown_instance(id))?;
        instance.index.catch_up();
        Ok((instance, &self.tokens))
    }

    /// Adds a freshly seeded instance (no-op when it exists).
    pub(crate) fn add_instance(&mut self, id: &str, identity_type: IdentityType) {
        if !self.instances.contains_key(id) {
            let instance = Instance::new(id, &self.region, &self.account_id, identity_type, self.search_lag);
            self.instances.insert(id.to_owned(), instance);
        }
    }

    pub(crate) fn set_search_lag(&mut self, lag: Duration) {
        self.search_lag = lag;
        for instance in self.instances.values_mut() {
            instance.index.set_lag(lag);
        }
    }

    /// `DescribeInstance`.
    pub(crate) fn describe_instance(&self, instance_id: &str) -> Result<InstanceDescription, ConnectError> {
        Ok(self
            .instance(instance_id)?
            .describe(instance_id, &self.account_id))
    }

    pub(crate) fn list_named(
        &self,
        instance_id: &str,
        kind: NamedKind,
        page: &PageRequest,
    ) -> Result<Page<Summary>, ConnectError> {
        let instance = self.instance(instance_id)?;
        let summaries: Vec<Summary> = instance
            .named(kind)
            .iter()
            .map(|n| Summary {
                id: n.id.clone(),
                arn: n.arn.clone(),
                name: n.name.clone(),
                last_modified_time: n.last_modified_time,
                last_modified_region: self.region.clone(),
            })
            .collect();
        self.tokens.list(&summaries, page)
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
        let instance = self.instance_for_arn(arn)?;
        let (current, key) = instance.tags_mut(arn)?;
        let mut merged = current.clone();
        merged.extend(tags);
        if merged.len() > validate::MAX_TAGS {
            return Err(ConnectError::invalid(format!(
                "A resource can have at most {} tags",
                validate::MAX_TAGS
            )));
        }
        *current = merged;
        if let Some(key) = key {
            instance.reindex(key);
        }
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
        let instance = self.instance_for_arn(arn)?;
        let (current, index_key) = instance.tags_mut(arn)?;
        for key in keys {
            current.remove(key);
        }
        if let Some(key) = index_key {
            instance.reindex(key);
        }
        Ok(())
    }

    pub(crate) fn list_tags(&mut self, arn: &str) -> Result<Tags, ConnectError> {
        Ok(self.instance_for_arn(arn)?.tags_mut(arn)?.0.clone())
    }
}

pub(crate) fn user_not_found(user_id: &str) -> ConnectError {
    ConnectError::not_found(format!("User {user_id} not found"))
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
    const ALL: [Self; 3] = [Self::SecurityProfile, Self::RoutingProfile, Self::HierarchyGroup];

    pub(crate) fn arn_segment(self) -> &'static str {
        match self {
            Self::SecurityProfile => "security-profile",
            Self::RoutingProfile => "routing-profile",
            Self::HierarchyGroup => "agent-group",
        }
    }

    /// The search index key of the resource `id` of this kind; `None` for
    /// routing profiles, which no Search* API covers.
    fn index_key(self, id: &str) -> Option<Key> {
        match self {
            Self::SecurityProfile => Some(Key::SecurityProfile(id.to_owned())),
            Self::RoutingProfile => None,
            Self::HierarchyGroup => Some(Key::HierarchyGroup(id.to_owned())),
        }
    }
}
