//! The `scim_core::Directory` over Amazon Connect: the only crate that calls
//! Connect.
//!
//! The client comes from the standard AWS configuration, so the same code
//! reaches Connect in Lambda and the simulator locally (through
//! `AWS_ENDPOINT_URL_CONNECT` or an explicit endpoint on the loader).
//! Lookups use SearchUsers, never ListUsers scans; profile names are
//! resolved through a cache.

mod bounded;
mod error;
mod groups;
mod identity;
mod limiter;
mod mapping;
mod names;
mod quick_connects;
mod recent;
mod search;
mod settings;

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Mutex;

use aws_sdk_connect::Client;
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::types::{PhoneType, UserPhoneConfig, UserSearchSummary};
use scim_core::schema::{CONNECT_URN, CanonicalValues};
use scim_core::{
    Directory, DirectoryError, DirectoryResult, Group, GroupId, GroupPageRequest, GroupRef, MemberChange,
    PageRequest, User, UserId, audit,
};
use time::OffsetDateTime;

pub use groups::ProfileHandle;
pub use identity::IdentityType;
pub use limiter::Pace;
pub use mapping::AgentHandle;
pub use settings::{
    ConnectSettings, DEFAULT_DISABLED_PROFILE, DepartmentRule, SettingsError, parse_department_map,
};

use bounded::BoundedMap;
use identity::Kept;
use limiter::Limiter;
use mapping::{Agent, TAG_CREATE_TOKEN};

/// A user as this adapter stores it: the core's user with its Connect handle.
pub type StoredUser = scim_core::StoredUser<AgentHandle>;
/// A group (a security profile) with its Connect handle.
pub type StoredGroup = scim_core::StoredGroup<ProfileHandle>;
/// A page of users with their Connect handles.
pub type UserPage = scim_core::UserPage<AgentHandle>;
/// A page of groups with their Connect handles.
pub type GroupPage = scim_core::GroupPage<ProfileHandle>;
use names::{NameCache, NameIndex};
use recent::{RecentGroups, RecentWrites};

/// The kinds of named instance resources the adapter resolves. Hierarchy
/// groups are named by their path (`Support/Tier 1`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum NamedKind {
    Security,
    Routing,
    Hierarchy,
}

/// Security profile ids and routing profile id for an active agent, and the
/// ids the client chose through the Connect extension.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Assignment {
    security: Vec<String>,
    routing: String,
    chosen_security: Option<Vec<String>>,
    chosen_routing: Option<String>,
    /// The group grants it counted: those of profiles that still exist.
    groups: Vec<String>,
}

/// Phone settings as SearchUsers (`millis`) or DescribeUser reports them.
fn phone_of(config: Option<&UserPhoneConfig>, millis: bool) -> Option<mapping::Phone> {
    let config = config?;
    let acw = i64::from(config.after_contact_work_time_limit());
    // A user configured per channel has no PhoneType; the SDK then fills in
    // a placeholder (`PhoneType::Unknown`), which must never be echoed back.
    let phone_type = match config.phone_type() {
        PhoneType::SoftPhone | PhoneType::DeskPhone => Some(config.phone_type().as_str().to_owned()),
        _ => None,
    };
    Some(mapping::Phone {
        phone_type,
        auto_accept: config.auto_accept(),
        after_contact_work_seconds: if millis { acw / 1000 } else { acw },
        desk_phone_number: config
            .desk_phone_number()
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
    })
}

fn phone_config(phone: &mapping::Phone) -> DirectoryResult<UserPhoneConfig> {
    Ok(UserPhoneConfig::builder()
        .phone_type(PhoneType::from(phone.phone_type_to_send()?))
        .auto_accept(phone.auto_accept)
        .after_contact_work_time_limit(i32::try_from(phone.after_contact_work_seconds).unwrap_or(i32::MAX))
        .set_desk_phone_number(phone.desk_phone_number.clone())
        .build())
}

/// The same ids, in any order.
pub(crate) fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a: Vec<&String> = a.iter().collect();
    let mut b: Vec<&String> = b.iter().collect();
    a.sort();
    b.sort();
    a.dedup();
    b.dedup();
    a == b
}

/// `a` and `b` name the same things, ignoring case and order.
fn same_names(a: Option<&[String]>, b: Option<&[String]>) -> bool {
    let norm = |v: Option<&[String]>| {
        let mut v: Vec<String> = v.unwrap_or_default().iter().map(|s| s.to_lowercase()).collect();
        v.sort();
        v
    };
    norm(a) == norm(b)
}

/// Security profiles a Connect user can hold.
const MAX_PROFILES: usize = 10;
/// SearchUsers page size used when walking to a SCIM window.
const SEARCH_PAGE: usize = 100;
/// Recently deleted ids remembered, so repeated DELETEs cost no Connect call.
const TOMBSTONES: usize = 4096;
/// How long a create whose name Connect says is taken waits for the search
/// index to show the user (Connect does not publish the index's lag).
const LAG_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);
const LAG_FIRST_WAIT: std::time::Duration = std::time::Duration::from_millis(250);
const LAG_MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// Amazon Connect as a SCIM user directory.
#[derive(Debug)]
pub struct ConnectDirectory {
    client: Client,
    settings: ConnectSettings,
    security_profiles: NameCache,
    hierarchy_groups: NameCache,
    routing_profiles: NameCache,
    tombstones: Mutex<BoundedMap<String, ()>>,
    limiter: Limiter,
    page_tokens: Mutex<search::PageTokens>,
    /// The instance's identity management type, learned once.
    identity: tokio::sync::OnceCell<IdentityType>,
    recent: RecentWrites,
    recent_groups: RecentGroups,
}

/// Connect user ids are UUIDs; anything else cannot exist.
fn plausible_id(id: &str) -> bool {
    id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

pub(crate) fn to_time(t: Option<&aws_smithy_types::DateTime>) -> Option<OffsetDateTime> {
    t.and_then(|t| OffsetDateTime::from_unix_timestamp_nanos(t.as_nanos()).ok())
}

pub(crate) fn agent_from_summary(s: &UserSearchSummary) -> Agent {
    Agent {
        id: s.id().unwrap_or_default().to_owned(),
        arn: s.arn().unwrap_or_default().to_owned(),
        username: s.username().unwrap_or_default().to_owned(),
        first_name: s.identity_info().and_then(|i| i.first_name()).map(str::to_owned),
        last_name: s.identity_info().and_then(|i| i.last_name()).map(str::to_owned),
        email: None,
        security_profile_ids: s.security_profile_ids().to_vec(),
        routing_profile_id: s.routing_profile_id().unwrap_or_default().to_owned(),
        tags: s
            .tags()
            .map(|t| t.clone().into_iter().collect())
            .unwrap_or_default(),
        last_modified: None,
        phone: phone_of(s.phone_config(), true),
        hierarchy_group_id: s.hierarchy_group_id().map(str::to_owned),
        kept: Kept::default(),
    }
}

impl ConnectDirectory {
    /// A directory over the Connect client built from `sdk_config`.
    pub fn new(sdk_config: &aws_config::SdkConfig, settings: ConnectSettings) -> Self {
        Self::from_client(Client::new(sdk_config), settings)
    }

    /// A directory over an existing client.
    pub fn from_client(client: Client, settings: ConnectSettings) -> Self {
        let ttl = settings.profile_cache_ttl;
        Self {
            client,
            security_profiles: NameCache::new(ttl),
            routing_profiles: NameCache::new(ttl),
            hierarchy_groups: NameCache::new(ttl),
            tombstones: Mutex::new(BoundedMap::new(TOMBSTONES)),
            limiter: Limiter::new(settings.pace),
            page_tokens: Mutex::new(search::PageTokens::default()),
            identity: tokio::sync::OnceCell::new(),
            recent: RecentWrites::default(),
            recent_groups: RecentGroups::default(),
            settings,
        }
    }

    /// The instance's identity management type: `CONNECT_IDENTITY_TYPE`
    /// when set, else what DescribeInstance says, read once per process
    /// (a cold start) and only when a write needs it.
    pub async fn identity_type(&self) -> DirectoryResult<IdentityType> {
        if let Some(configured) = self.settings.identity_type {
            return Ok(configured);
        }
        self.identity
            .get_or_try_init(|| async {
                let out = self
                    .call(
                        "DescribeInstance",
                        self.client
                            .describe_instance()
                            .instance_id(&self.settings.instance_id)
                            .send(),
                    )
                    .await?;
                let reported = out
                    .instance()
                    .and_then(|i| i.identity_management_type())
                    .map(|t| t.as_str().to_owned())
                    .unwrap_or_default();
                let identity: IdentityType = reported.parse().map_err(|e| {
                    DirectoryError::Internal(format!(
                        "DescribeInstance: {e}; set CONNECT_IDENTITY_TYPE to say which it is"
                    ))
                })?;
                tracing::info!(identity_type = %identity, "the instance's identity management type");
                Ok(identity)
            })
            .await
            .copied()
    }

    /// Runs one Connect call: records it for the audit line and maps its error.
    async fn call<T, E, R>(
        &self,
        operation: &'static str,
        request: impl Future<Output = Result<T, SdkError<E, R>>>,
    ) -> DirectoryResult<T>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        self.limiter.acquire(operation).await?;
        audit::record_call(operation);
        request.await.map_err(|e| error::map_sdk_error(operation, e))
    }

    fn buried(&self, id: &str) -> bool {
        !plausible_id(id)
            || self
                .tombstones
                .lock()
                .map(|t| t.get(&id.to_owned()).is_some())
                .unwrap_or(false)
    }

    fn bury(&self, id: &str) {
        if let Ok(mut t) = self.tombstones.lock() {
            t.insert(id.to_owned(), ());
        }
    }

    /// The user this very create request made, if it made one: after a
    /// DuplicateResourceException (the first answer was lost and the SDK
    /// retried) or a failure whose outcome is unknown. `taken`: Connect said
    /// the name is taken, so when the search index shows nobody of that name
    /// the user was made a moment ago and the index lags: look again, for
    /// up to [`LAG_BUDGET`], rather than call our own user a stranger.
    async fn find_own(
        &self,
        user: &User,
        create_token: &str,
        taken: bool,
    ) -> DirectoryResult<Option<StoredUser>> {
        let filter = scim_core::UserFilter::user_name(&user.user_name);
        let query = search::SearchQuery::new(Some(&filter));
        let mut wait = LAG_FIRST_WAIT;
        let started = std::time::Instant::now();
        loop {
            let page = self.search(&query, None, 10).await?;
            let own = page.users().iter().find(|s| {
                s.tags()
                    .and_then(|t| t.get(TAG_CREATE_TOKEN))
                    .is_some_and(|t| t == create_token)
            });
            if let Some(summary) = own {
                tracing::info!(user_name = %user.user_name, "the create was applied though its answer was lost");
                let own = agent_from_summary(summary).into_stored()?;
                let own = self.labelled(own).await?;
                self.recent.wrote(None, &own);
                return Ok(Some(own));
            }
            let stranger = page.users().iter().any(|s| {
                s.username()
                    .is_some_and(|n| n.eq_ignore_ascii_case(user.user_name.as_str()))
            });
            if !taken || stranger || started.elapsed() + wait > LAG_BUDGET {
                return Ok(None);
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(LAG_MAX_WAIT);
        }
    }

    /// `user` with its names filled in (see `with_names`).
    async fn labelled(&self, mut user: StoredUser) -> DirectoryResult<StoredUser> {
        self.with_names(std::slice::from_mut(&mut user)).await?;
        Ok(user)
    }

    /// The name index of `kind`, loaded again once when it lacks one of
    /// `ids` (the instance may have changed since the cache was filled).
    async fn index_knowing(
        &self,
        kind: NamedKind,
        ids: &[String],
    ) -> DirectoryResult<std::sync::Arc<NameIndex>> {
        let index = self.names(kind, false).await?;
        if ids.iter().all(|id| index.name(id).is_some()) {
            return Ok(index);
        }
        self.names(kind, true).await
    }

    /// Fills in what only names can say: each user's `groups` (the security
    /// profiles it holds, the disabled-agent one aside), the routing and
    /// security profiles the client chose, and the hierarchy group's path.
    /// An index is read only when some user needs it.
    async fn with_names(&self, users: &mut [StoredUser]) -> DirectoryResult<()> {
        if users.is_empty() {
            return Ok(());
        }
        let choices: Vec<(Option<String>, Option<Vec<String>>)> = users
            .iter()
            .map(|u| mapping::choices(&u.handle.tags.clone()))
            .collect();
        let hierarchy_ids: Vec<Option<String>> = users
            .iter()
            .map(|u| u.handle.hierarchy_group_id.clone())
            .collect();
        let mut wanted: Vec<String> = users
            .iter()
            .flat_map(|u| u.handle.security_profile_ids.clone())
            .collect();
        wanted.extend(choices.iter().flat_map(|(_, p)| p.clone().unwrap_or_default()));
        let security = self.index_knowing(NamedKind::Security, &wanted).await?;
        let routing_ids: Vec<String> = choices.iter().filter_map(|(r, _)| r.clone()).collect();
        let routing = match routing_ids.is_empty() {
            true => None,
            false => Some(self.index_knowing(NamedKind::Routing, &routing_ids).await?),
        };
        let wanted_paths: Vec<String> = hierarchy_ids.iter().flatten().cloned().collect();
        let hierarchy = match wanted_paths.is_empty() {
            true => None,
            false => Some(self.index_knowing(NamedKind::Hierarchy, &wanted_paths).await?),
        };
        for ((user, (chosen_routing, chosen_security)), hierarchy_id) in
            users.iter_mut().zip(choices).zip(hierarchy_ids)
        {
            user.groups = user
                .handle
                .security_profile_ids
                .clone()
                .into_iter()
                .filter_map(|id| {
                    let name = security.name(&id)?;
                    (!self.is_disabled_profile(name)).then(|| GroupRef {
                        value: GroupId::new(id.clone()),
                        display: name.to_owned(),
                    })
                })
                .collect();
            let agent = &mut user.user.agent;
            agent.routing_profile =
                chosen_routing.and_then(|id| routing.as_ref()?.name(&id).map(str::to_owned));
            agent.security_profiles = chosen_security.map(|ids| {
                ids.iter()
                    .filter_map(|id| security.name(id).map(str::to_owned))
                    .collect()
            });
            agent.hierarchy_group =
                hierarchy_id.and_then(|id| hierarchy.as_ref()?.name(&id).map(str::to_owned));
        }
        Ok(())
    }

    /// Writes a user's new tags and security profiles. Order matters for a
    /// failure midway: new tags (saved profiles, group grants) are written
    /// before the profiles change, and old ones removed only after, so a
    /// retry converges.
    async fn write_user(
        &self,
        user: &StoredUser,
        current_tags: &BTreeMap<String, String>,
        new_tags: &BTreeMap<String, String>,
        profiles: Option<&[String]>,
    ) -> DirectoryResult<()> {
        let arn = user.handle.arn.clone();
        let to_set: BTreeMap<String, String> = new_tags
            .iter()
            .filter(|(k, v)| current_tags.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let to_remove: Vec<String> = current_tags
            .keys()
            .filter(|k| !new_tags.contains_key(*k))
            .cloned()
            .collect();
        if !to_set.is_empty() {
            self.call(
                "TagResource",
                self.client
                    .tag_resource()
                    .resource_arn(&arn)
                    .set_tags(Some(to_set.into_iter().collect()))
                    .send(),
            )
            .await?;
        }
        if let Some(profiles) = profiles {
            self.call(
                "UpdateUserSecurityProfiles",
                self.client
                    .update_user_security_profiles()
                    .instance_id(&self.settings.instance_id)
                    .user_id(user.id.as_str())
                    .set_security_profile_ids(Some(profiles.to_vec()))
                    .send(),
            )
            .await?;
        }
        if !to_remove.is_empty() {
            self.call(
                "UntagResource",
                self.client
                    .untag_resource()
                    .resource_arn(&arn)
                    .set_tag_keys(Some(to_remove))
                    .send(),
            )
            .await?;
        }
        Ok(())
    }

    /// One page of security or routing profile names and ids.
    async fn names_page(
        &self,
        kind: NamedKind,
        token: Option<String>,
    ) -> DirectoryResult<(Vec<(String, String)>, Option<String>)> {
        let instance = &self.settings.instance_id;
        let pair = |name: Option<&str>, id: Option<&str>| Some((name?.to_owned(), id?.to_owned()));
        Ok(match kind {
            NamedKind::Security => {
                let request = self.client.list_security_profiles().instance_id(instance);
                let page = self
                    .call(
                        "ListSecurityProfiles",
                        request.max_results(1000).set_next_token(token).send(),
                    )
                    .await?;
                let pairs = page
                    .security_profile_summary_list()
                    .iter()
                    .filter_map(|p| pair(p.name(), p.id()));
                (pairs.collect(), page.next_token().map(str::to_owned))
            }
            NamedKind::Routing => {
                let request = self.client.list_routing_profiles().instance_id(instance);
                let page = self
                    .call(
                        "ListRoutingProfiles",
                        request.max_results(1000).set_next_token(token).send(),
                    )
                    .await?;
                let pairs = page
                    .routing_profile_summary_list()
                    .iter()
                    .filter_map(|p| pair(p.name(), p.id()));
                (pairs.collect(), page.next_token().map(str::to_owned))
            }
            NamedKind::Hierarchy => {
                let request = self.client.search_user_hierarchy_groups().instance_id(instance);
                let page = self
                    .call(
                        "SearchUserHierarchyGroups",
                        request.max_results(100).set_next_token(token).send(),
                    )
                    .await?;
                let pairs = page.user_hierarchy_groups().iter().filter_map(|g| {
                    let path = g.hierarchy_path().map(|p| {
                        [
                            p.level_one(),
                            p.level_two(),
                            p.level_three(),
                            p.level_four(),
                            p.level_five(),
                        ]
                        .into_iter()
                        .flatten()
                        .filter_map(|level| level.name())
                        .collect::<Vec<_>>()
                        .join("/")
                    });
                    let path = path.filter(|p| !p.is_empty()).or(g.name().map(str::to_owned));
                    // The root group ("LevelId": "0") "is the foundation for
                    // building levels on top of an instance. It is not
                    // user-definable, nor is it visible in the UI": never a
                    // name a client can choose.
                    if g.level_id() == Some("0") {
                        return None;
                    }
                    pair(path.as_deref(), g.id())
                });
                (pairs.collect(), page.next_token().map(str::to_owned))
            }
        })
    }

    /// The id an extension attribute's name stands for, looked up again
    /// once when unknown (the instance may have changed since the cache was
    /// filled). Unknown names are an invalid value that lists the valid ones.
    async fn chosen_id(&self, kind: NamedKind, attribute: &str, name: &str) -> DirectoryResult<String> {
        for refresh in [false, true] {
            let index = self.names(kind, refresh).await?;
            if let Some(id) = index.id(name)
                && !(matches!(kind, NamedKind::Security) && self.is_disabled_profile(name))
            {
                return Ok(id.to_owned());
            }
            if let NamedKind::Hierarchy = kind {
                // A bare name stands for the one group of that name, at any level.
                let leaf = |path: &str| {
                    path.rsplit('/')
                        .next()
                        .is_some_and(|l| l.eq_ignore_ascii_case(name))
                };
                let found: Vec<(&str, &str)> = index.entries().filter(|(path, _)| leaf(path)).collect();
                match found.as_slice() {
                    [(_, id)] => return Ok((*id).to_owned()),
                    [] => {}
                    many => {
                        let paths: Vec<&str> = many.iter().map(|(p, _)| *p).collect();
                        return Err(DirectoryError::InvalidValue(format!(
                            "{attribute} {name:?} names several hierarchy groups; use a path: {}",
                            paths.join(", ")
                        )));
                    }
                }
            }
        }
        let index = self.names(kind, false).await?;
        let mut valid: Vec<&str> = index
            .entries()
            .map(|(n, _)| n)
            .filter(|n| !(matches!(kind, NamedKind::Security) && self.is_disabled_profile(n)))
            .collect();
        valid.sort_unstable();
        Err(DirectoryError::InvalidValue(format!(
            "{attribute} {name:?} is not in the Amazon Connect instance; valid: {}",
            if valid.is_empty() {
                "none (create one in Connect first)".to_owned()
            } else {
                valid.join(", ")
            }
        )))
    }

    /// The cached name → id index of one kind, loaded (all pages) on first use.
    async fn names(&self, kind: NamedKind, refresh: bool) -> DirectoryResult<std::sync::Arc<NameIndex>> {
        let cache = match kind {
            NamedKind::Security => &self.security_profiles,
            NamedKind::Routing => &self.routing_profiles,
            NamedKind::Hierarchy => &self.hierarchy_groups,
        };
        cache
            .get(refresh, || async {
                let mut pairs = Vec::new();
                let mut token = None;
                loop {
                    let (page, next) = self.names_page(kind, token).await?;
                    pairs.extend(page);
                    token = next;
                    if token.is_none() {
                        return Ok(NameIndex::new(pairs));
                    }
                }
            })
            .await
    }

    /// What `user` holds while active: the security profiles the client
    /// chose (`amazonconnect:securityProfiles`), else its department's
    /// (`DEPARTMENT_MAP`, else the profile named like the department),
    /// together with `groups`, the ones its IdP groups grant, else the
    /// defaults; and the routing profile the client chose, else its
    /// department's, else the default. More than Connect's ten profiles is
    /// an invalid value.
    async fn assignment_for(&self, user: &User, groups: &[String]) -> DirectoryResult<Assignment> {
        let mut chosen_security = None;
        if let Some(names) = &user.agent.security_profiles {
            let mut ids = Vec::new();
            for name in names {
                ids.push(
                    self.chosen_id(NamedKind::Security, "securityProfiles", name)
                        .await?,
                );
            }
            chosen_security = Some(ids);
        }
        let chosen_routing = match &user.agent.routing_profile {
            Some(name) => Some(self.chosen_id(NamedKind::Routing, "routingProfile", name).await?),
            None => None,
        };
        // Profiles deleted since a group granted them are dropped.
        let security = self.index_knowing(NamedKind::Security, groups).await?;
        let groups: Vec<String> = groups
            .iter()
            .filter(|id| security.name(id).is_some())
            .cloned()
            .collect();
        let routing = self.names(NamedKind::Routing, false).await?;
        let resolve = |index: &NameIndex, name: &str, setting: &str| {
            index.id(name).map(str::to_owned).ok_or_else(|| {
                DirectoryError::Internal(format!(
                    "{setting} names {name:?}, which does not exist in the instance"
                ))
            })
        };
        let rule = user
            .department
            .as_deref()
            .and_then(|d| self.settings.department_rule(d));
        let mut security_ids = match (&chosen_security, rule, user.department.as_deref()) {
            (Some(chosen), _, _) => chosen.clone(),
            (None, Some(rule), _) => rule
                .security_profiles
                .iter()
                .map(|name| resolve(&security, name, "DEPARTMENT_MAP"))
                .collect::<Result<Vec<_>, _>>()?,
            (None, None, Some(department)) if security.id(department).is_some() => {
                vec![resolve(&security, department, "the department")?]
            }
            (None, None, _) => Vec::new(),
        };
        for id in &groups {
            if !security_ids.contains(id) {
                security_ids.push(id.clone());
            }
        }
        let known_groups = groups;
        if security_ids.is_empty() {
            if let Some(department) = &user.department
                && chosen_security.is_none()
            {
                tracing::warn!(
                    department = %department,
                    "no security profile is mapped to or named like the department; the default profiles are used"
                );
            }
            security_ids = self
                .settings
                .default_security_profiles
                .iter()
                .map(|name| resolve(&security, name, "DEFAULT_SECURITY_PROFILE"))
                .collect::<Result<Vec<_>, _>>()?;
        }
        if security_ids.len() > MAX_PROFILES {
            return Err(DirectoryError::InvalidValue(format!(
                "this would give the agent {} security profiles (its department's and its groups'); \
                 Amazon Connect allows at most {MAX_PROFILES}",
                security_ids.len()
            )));
        }
        let routing_id = match (&chosen_routing, rule.and_then(|r| r.routing_profile.as_deref())) {
            (Some(chosen), _) => chosen.clone(),
            (None, Some(name)) => resolve(&routing, name, "DEPARTMENT_MAP")?,
            (None, None) => resolve(
                &routing,
                &self.settings.routing_profile,
                "DEFAULT_ROUTING_PROFILE",
            )?,
        };
        Ok(Assignment {
            security: security_ids,
            routing: routing_id,
            chosen_security,
            chosen_routing,
            groups: known_groups,
        })
    }

    async fn disabled_profile_id(&self) -> DirectoryResult<String> {
        let name = &self.settings.disabled_security_profile;
        for refresh in [false, true] {
            if let Some(id) = self.names(NamedKind::Security, refresh).await?.id(name) {
                return Ok(id.to_owned());
            }
        }
        Err(DirectoryError::Internal(format!(
            "the security profile {name:?} (DISABLED_SECURITY_PROFILE) for disabled agents does not exist in the instance"
        )))
    }

    async fn search(
        &self,
        query: &search::SearchQuery,
        token: Option<String>,
        max: usize,
    ) -> DirectoryResult<aws_sdk_connect::operation::search_users::SearchUsersOutput> {
        self.call(
            "SearchUsers",
            self.client
                .search_users()
                .instance_id(&self.settings.instance_id)
                .set_search_criteria(query.criteria.clone())
                .set_search_filter(query.filter.clone())
                .max_results(i32::try_from(max).unwrap_or(100))
                .set_next_token(token)
                .send(),
        )
        .await
    }

    /// Every user a query finds, all pages of `page_size`.
    async fn search_all(
        &self,
        query: &search::SearchQuery,
        page_size: usize,
    ) -> DirectoryResult<Vec<StoredUser>> {
        let mut users = Vec::new();
        let mut token = None;
        loop {
            let page = self.search(query, token, page_size).await?;
            for summary in page.users() {
                users.push(agent_from_summary(summary).into_stored()?);
            }
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(self.recent.amend(query, users, true));
            }
        }
    }

    /// Users `start..start + count` of an unfiltered listing. Page tokens are
    /// remembered, so an IdP paging through (startIndex 1, 101, 201, …)
    /// costs one SearchUsers call per page instead of a walk from the start.
    async fn list_window(
        &self,
        query: &search::SearchQuery,
        start: usize,
        count: usize,
    ) -> DirectoryResult<UserPage> {
        let end = start.saturating_add(count);
        let resume = start - start % SEARCH_PAGE;
        let cached = self
            .page_tokens
            .lock()
            .ok()
            .and_then(|t| t.get(&query.key, resume));
        let (mut offset, mut token) = match cached {
            Some(token) => (resume, Some(token)),
            None => (0, None),
        };
        let mut users = Vec::new();
        let mut total = None;
        // Every id the walk met, when it began at the first page: then users
        // this process made that the index does not show yet can be told
        // apart and added at the end.
        let mut met: Option<std::collections::HashSet<String>> = token.is_none().then(Default::default);
        loop {
            let page = match self.search(query, token.clone(), SEARCH_PAGE).await {
                Err(DirectoryError::InvalidValue(_)) if token.is_some() && offset > 0 => {
                    // An expired token: forget it and walk from the start.
                    (offset, token) = (0, None);
                    met = Some(Default::default());
                    if let Ok(mut t) = self.page_tokens.lock() {
                        t.forget(&query.key);
                    }
                    continue;
                }
                other => other?,
            };
            total = total.or(page
                .approximate_total_count()
                .and_then(|n| usize::try_from(n).ok()));
            let mut window = Vec::new();
            for (i, summary) in page.users().iter().enumerate() {
                if let Some(met) = &mut met {
                    met.insert(summary.id().unwrap_or_default().to_owned());
                }
                if (start..end).contains(&(offset + i)) {
                    window.push(agent_from_summary(summary).into_stored()?);
                }
            }
            users.extend(self.recent.amend(query, window, false));
            offset += page.users().len();
            token = page.next_token().map(str::to_owned);
            match &token {
                None => {
                    // Walked to the end: the total is exact, and users this
                    // process made that the index does not show yet come
                    // last, as Connect lists users in creation order.
                    if let Some(met) = &met {
                        let unseen = self
                            .recent
                            .amend(query, Vec::new(), true)
                            .into_iter()
                            .filter(|u| !met.contains(u.id.as_str()));
                        for user in unseen {
                            if (start..end).contains(&offset) {
                                users.push(user);
                            }
                            offset += 1;
                        }
                    }
                    total = Some(offset);
                    break;
                }
                Some(next) => {
                    if let Ok(mut t) = self.page_tokens.lock() {
                        t.put(&query.key, offset, next.clone());
                    }
                }
            }
            if offset >= end || page.users().is_empty() {
                break;
            }
        }
        Ok(UserPage {
            total_results: total.unwrap_or(offset).max(users.len()),
            users,
        })
    }
}

/// The standard AWS SDK configuration, pointed at a Connect endpoint of our
/// own (the simulator) with throwaway credentials, so a developer's real
/// AWS credentials are never involved.
pub async fn sdk_config_for_endpoint(endpoint: &str) -> aws_config::SdkConfig {
    sdk_config::loader()
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_connect::config::Credentials::new(
            "local",
            "local",
            None,
            None,
            "simulator",
        ))
        .load()
        .await
}

impl Directory for ConnectDirectory {
    type UserHandle = AgentHandle;
    type GroupHandle = ProfileHandle;

    async fn create_user(&self, user: &User) -> DirectoryResult<StoredUser> {
        let identity = self.identity_type().await?;
        identity.check_user_name(user.user_name.as_str())?;
        let password = identity.password(user)?;
        let (first, last) = mapping::connect_names(user);
        let Assignment {
            security,
            routing,
            chosen_security,
            chosen_routing,
            ..
        } = self.assignment_for(user, &[]).await?;
        let hierarchy = match &user.agent.hierarchy_group {
            Some(name) => Some(
                self.chosen_id(NamedKind::Hierarchy, "hierarchyGroup", name)
                    .await?,
            ),
            None => None,
        };
        let phone = mapping::Phone::merged(&user.agent, None)?;
        let mut profiles = security;
        let mut saved = None;
        if !user.is_active() {
            saved = Some(profiles);
            profiles = vec![self.disabled_profile_id().await?];
        }
        // An idempotency key: if Connect applies the create but the answer is
        // lost, the SDK's retry meets DuplicateResourceException, and this
        // tag tells our own user from someone else's.
        let create_token = uuid::Uuid::new_v4().simple().to_string();
        let tags = mapping::with_choices(
            &mapping::desired_tags(user, &mapping::new_bookkeeping(&create_token), saved.as_deref())?,
            chosen_routing.as_deref(),
            chosen_security.as_deref(),
        );
        // Profiles and tags travel in the CreateUser call itself: a user is
        // either created whole or not at all.
        let answer = self
            .call(
                "CreateUser",
                self.client
                    .create_user()
                    .instance_id(&self.settings.instance_id)
                    .username(user.user_name.as_str())
                    .set_password(password)
                    .identity_info(identity.identity_info(
                        &first,
                        &last,
                        user.email.as_deref(),
                        &Kept::default(),
                    ))
                    .phone_config(phone_config(&phone)?)
                    .set_security_profile_ids(Some(profiles.clone()))
                    .routing_profile_id(&routing)
                    .set_hierarchy_group_id(hierarchy.clone())
                    .set_tags(Some(tags.clone().into_iter().collect()))
                    .send(),
            )
            .await;
        let out = match answer {
            Ok(out) => out,
            Err(DirectoryError::Conflict(_)) => {
                return match self.find_own(user, &create_token, true).await? {
                    Some(own) => Ok(own),
                    None => Err(DirectoryError::Conflict(format!(
                        "userName {:?} is already taken",
                        user.user_name.as_str()
                    ))),
                };
            }
            // The outcome is unknown (the create may have been applied):
            // settle it before answering, so a retry never meets a stranger.
            Err(unknown @ DirectoryError::Unavailable { .. }) => {
                return self.find_own(user, &create_token, false).await?.ok_or(unknown);
            }
            Err(other) => return Err(other),
        };
        Agent {
            id: out.user_id().unwrap_or_default().to_owned(),
            arn: out.user_arn().unwrap_or_default().to_owned(),
            username: user.user_name.as_str().to_owned(),
            first_name: Some(first),
            last_name: Some(last),
            email: Some(user.email.clone()),
            security_profile_ids: profiles,
            routing_profile_id: routing,
            tags,
            last_modified: Some(OffsetDateTime::now_utc()),
            phone: Some(phone),
            hierarchy_group_id: hierarchy,
            kept: Kept::default(),
        }
        .into_stored()
        .map(|u| self.labelled(u))?
        .await
        .inspect(|made| self.recent.wrote(None, made))
    }

    async fn get_user(&self, id: &UserId) -> DirectoryResult<StoredUser> {
        if self.buried(id.as_str()) {
            return Err(DirectoryError::NotFound(format!("No user {id}")));
        }
        let out = self
            .call(
                "DescribeUser",
                self.client
                    .describe_user()
                    .instance_id(&self.settings.instance_id)
                    .user_id(id.as_str())
                    .send(),
            )
            .await
            .inspect_err(|e| {
                if matches!(e, DirectoryError::NotFound(_)) {
                    self.bury(id.as_str());
                }
            })?;
        let user = out
            .user()
            .ok_or_else(|| DirectoryError::Internal("DescribeUser returned no user".to_owned()))?;
        let info = user.identity_info();
        let secondary = info.and_then(|i| i.secondary_email()).filter(|e| !e.is_empty());
        Agent {
            id: user.id().unwrap_or_default().to_owned(),
            arn: user.arn().unwrap_or_default().to_owned(),
            username: user.username().unwrap_or_default().to_owned(),
            first_name: info.and_then(|i| i.first_name()).map(str::to_owned),
            last_name: info.and_then(|i| i.last_name()).map(str::to_owned),
            // On SAML the SCIM email is kept as SecondaryEmail (Email is refused).
            email: Some(
                info.and_then(|i| i.email())
                    .filter(|e| !e.is_empty())
                    .or(secondary)
                    .map(str::to_owned),
            ),
            security_profile_ids: user.security_profile_ids().to_vec(),
            routing_profile_id: user.routing_profile_id().unwrap_or_default().to_owned(),
            tags: user
                .tags()
                .map(|t| t.clone().into_iter().collect())
                .unwrap_or_default(),
            last_modified: to_time(user.last_modified_time()),
            phone: phone_of(user.phone_config(), false),
            hierarchy_group_id: user.hierarchy_group_id().map(str::to_owned),
            kept: Kept {
                secondary_email: secondary.map(str::to_owned),
                mobile: info.and_then(|i| i.mobile()).map(str::to_owned),
            },
        }
        .into_stored()
        .map(|u| self.labelled(u))?
        .await
    }

    async fn list_users(&self, request: &PageRequest) -> DirectoryResult<UserPage> {
        let query = search::SearchQuery::new(request.filter.as_ref());
        let start = request.start_index.saturating_sub(1);
        if request.count == 0 {
            let page = self.search(&query, None, 1).await?;
            let total = page
                .approximate_total_count()
                .and_then(|n| usize::try_from(n).ok());
            return Ok(UserPage {
                total_results: total.unwrap_or(page.users().len()),
                users: Vec::new(),
            });
        }
        if let Some(filter) = &request.filter {
            search::SearchQuery::check(filter)?;
            // Filtered results are small (usually one user): read them all,
            // keep what really matches, and page through that.
            let mut matched = self.search_all(&query, SEARCH_PAGE).await?;
            matched.retain(|user| filter.matches(&user.id, &user.user));
            let total_results = matched.len();
            let mut users: Vec<StoredUser> = matched.into_iter().skip(start).take(request.count).collect();
            self.with_names(&mut users).await?;
            return Ok(UserPage { total_results, users });
        }
        let mut page = self.list_window(&query, start, request.count).await?;
        self.with_names(&mut page.users).await?;
        Ok(page)
    }

    async fn update_user(&self, current: &StoredUser, desired: &User) -> DirectoryResult<StoredUser> {
        let id = current.id.as_str();
        let arn = current.handle.arn.clone();
        let current_tags = current.handle.tags.clone();
        let current_profiles = current.handle.security_profile_ids.clone();
        let current_saved = mapping::saved_profiles(&current_tags);
        let department_changed = desired.department != current.user.department;
        let groups = mapping::group_profiles(&current_tags);
        let (want, have) = (&desired.agent, &current.user.agent);
        let choices_changed = !same_names(
            want.security_profiles.as_deref(),
            have.security_profiles.as_deref(),
        ) || !same_names(
            want.routing_profile.as_slice().into(),
            have.routing_profile.as_slice().into(),
        );

        let assignment = if department_changed || choices_changed {
            Some(self.assignment_for(desired, &groups).await?)
        } else {
            None
        };
        let reassigned = assignment.as_ref().map(|a| a.security.clone());

        // Which profiles to hold now, and which to keep for re-enabling.
        let (target, saved) = match (desired.is_active(), current_saved) {
            (false, Some(saved)) => (None, Some(reassigned.unwrap_or(saved))),
            (false, None) => (
                Some(vec![self.disabled_profile_id().await?]),
                Some(reassigned.unwrap_or_else(|| current_profiles.clone())),
            ),
            (true, Some(saved)) => {
                // Saved profiles deleted meanwhile are dropped (Connect would
                // refuse them); none left means the assignment decides.
                let known = self.index_knowing(NamedKind::Security, &saved).await?;
                let saved: Vec<String> = saved.into_iter().filter(|id| known.name(id).is_some()).collect();
                let restore = match reassigned {
                    Some(profiles) => profiles,
                    None if saved.is_empty() => self.assignment_for(desired, &groups).await?.security,
                    None => saved,
                };
                (Some(restore), None)
            }
            (true, None) => (reassigned, None),
        };
        let target = target.filter(|t| !same_set(t, &current_profiles));
        let current_routing = current.handle.routing_profile_id.clone();
        let (chosen_routing, chosen_security) = match &assignment {
            Some(a) => (a.chosen_routing.clone(), a.chosen_security.clone()),
            None => mapping::choices(&current_tags),
        };
        let routing = assignment.map(|a| a.routing).filter(|r| *r != current_routing);
        let current_hierarchy = current.handle.hierarchy_group_id.clone();
        let hierarchy = match &want.hierarchy_group {
            Some(name) => Some(
                self.chosen_id(NamedKind::Hierarchy, "hierarchyGroup", name)
                    .await?,
            ),
            None => None,
        }
        .filter(|h| Some(h) != current_hierarchy.as_ref());
        let current_phone = mapping::Phone::of(have);
        let wants_phone = want.phone_type.is_some()
            || want.auto_accept.is_some()
            || want.after_contact_work_time_limit.is_some()
            || want.desk_phone_number.is_some();
        let phone = match wants_phone {
            true => Some(mapping::Phone::merged(want, current_phone.as_ref())?),
            false => None,
        }
        .filter(|p| Some(p) != current_phone.as_ref());

        let bookkeeping = mapping::kept_bookkeeping(&current_tags);
        let new_tags = mapping::with_choices(
            &mapping::desired_tags(desired, &bookkeeping, saved.as_deref())?,
            chosen_routing.as_deref(),
            chosen_security.as_deref(),
        );
        let (mut first, mut last) = mapping::connect_names(desired);
        let mut email = desired.email.clone();
        let identity_changed = current.user.given_name.as_deref() != Some(first.as_str())
            || current.user.family_name.as_deref() != Some(last.as_str())
            || current.user.email != desired.email;
        let kept = current.handle.kept.clone();
        let identity = match identity_changed {
            true => Some(self.identity_type().await?),
            false => None,
        };
        match identity {
            Some(identity) if identity.owns_names() => {
                self.call(
                    "UpdateUserIdentityInfo",
                    self.client
                        .update_user_identity_info()
                        .instance_id(&self.settings.instance_id)
                        .user_id(id)
                        .identity_info(identity.identity_info(&first, &last, email.as_deref(), &kept))
                        .send(),
                )
                .await?;
            }
            Some(_) => {
                // The directory owns names and email: the user keeps what
                // Connect has, and reads back so.
                tracing::info!(user = %id, "names and email are managed in the instance's directory; not changed");
                first = current.user.given_name.clone().unwrap_or_default();
                last = current.user.family_name.clone().unwrap_or_default();
                email = current.user.email.clone();
            }
            None => {}
        }
        self.write_user(current, &current_tags, &new_tags, target.as_deref())
            .await?;
        if let Some(routing) = &routing {
            self.call(
                "UpdateUserRoutingProfile",
                self.client
                    .update_user_routing_profile()
                    .instance_id(&self.settings.instance_id)
                    .user_id(id)
                    .routing_profile_id(routing)
                    .send(),
            )
            .await?;
        }
        if let Some(hierarchy) = &hierarchy {
            self.call(
                "UpdateUserHierarchy",
                self.client
                    .update_user_hierarchy()
                    .instance_id(&self.settings.instance_id)
                    .user_id(id)
                    .hierarchy_group_id(hierarchy)
                    .send(),
            )
            .await?;
        }
        if let Some(phone) = &phone {
            self.call(
                "UpdateUserPhoneConfig",
                self.client
                    .update_user_phone_config()
                    .instance_id(&self.settings.instance_id)
                    .user_id(id)
                    .phone_config(phone_config(phone)?)
                    .send(),
            )
            .await?;
        }
        Agent {
            id: id.to_owned(),
            arn,
            username: current.user.user_name.as_str().to_owned(),
            first_name: Some(first),
            last_name: Some(last),
            email: Some(email),
            security_profile_ids: target.unwrap_or(current_profiles),
            routing_profile_id: routing.unwrap_or(current_routing),
            tags: new_tags,
            last_modified: Some(OffsetDateTime::now_utc()),
            phone: phone.or(current_phone),
            hierarchy_group_id: hierarchy.or(current_hierarchy),
            kept,
        }
        .into_stored()
        .map(|u| self.labelled(u))?
        .await
        .inspect(|updated| self.recent.wrote(Some(current), updated))
    }

    async fn delete_user(&self, id: &UserId) -> DirectoryResult<()> {
        if self.buried(id.as_str()) {
            return Err(DirectoryError::NotFound(format!("No user {id}")));
        }
        // The quick connects go first, although DeleteUser's documentation
        // says to delete them after: in this order every failure leaves the
        // user in place, so the IdP's retry (a DELETE, or a PATCH that reads
        // the user before deprovisioning it) finds it and finishes the job.
        // The other order strands them when the cleanup fails, because the
        // retry of a PATCH then meets a user that is already gone.
        self.delete_quick_connects_to(id.as_str()).await?;
        let result = self
            .call(
                "DeleteUser",
                self.client
                    .delete_user()
                    .instance_id(&self.settings.instance_id)
                    .user_id(id.as_str())
                    .send(),
            )
            .await;
        let result = match result {
            // Unknown outcome: settle it. Gone means the delete was applied.
            Err(unknown @ DirectoryError::Unavailable { .. }) => match self.get_user(id).await {
                Err(DirectoryError::NotFound(_)) => Ok(()),
                _ => Err(unknown),
            },
            other => other.map(|_| ()),
        };
        if matches!(result, Ok(()) | Err(DirectoryError::NotFound(_))) {
            self.bury(id.as_str());
            self.recent.deleted(id.as_str());
        }
        result
    }

    async fn canonical_values(&self) -> DirectoryResult<CanonicalValues> {
        let key = |name: &str| format!("{CONNECT_URN}:{name}");
        let sorted = |index: &NameIndex, keep: &dyn Fn(&str) -> bool| {
            let mut names: Vec<String> = index
                .entries()
                .map(|(n, _)| n)
                .filter(|n| keep(n))
                .map(str::to_owned)
                .collect();
            names.sort_unstable();
            names
        };
        let security = self.names(NamedKind::Security, false).await?;
        let routing = self.names(NamedKind::Routing, false).await?;
        let hierarchy = self.names(NamedKind::Hierarchy, false).await?;
        Ok(CanonicalValues::from([
            (
                key("securityProfiles"),
                sorted(&security, &|n| !self.is_disabled_profile(n)),
            ),
            (key("routingProfile"), sorted(&routing, &|_| true)),
            (key("hierarchyGroup"), sorted(&hierarchy, &|_| true)),
        ]))
    }

    async fn list_groups(&self, request: &GroupPageRequest) -> DirectoryResult<GroupPage> {
        self.groups_page(request).await
    }

    async fn get_group(&self, id: &GroupId, members: bool) -> DirectoryResult<StoredGroup> {
        self.group(id, members).await
    }

    async fn create_group(&self, group: &Group) -> DirectoryResult<StoredGroup> {
        self.create_or_link(group).await
    }

    async fn update_group(&self, current: &StoredGroup, desired: &Group) -> DirectoryResult<StoredGroup> {
        self.set_group_attributes(current, desired).await
    }

    fn check_group(&self, group: &Group) -> DirectoryResult<()> {
        if let Some(external_id) = &group.external_id {
            mapping::tag_value(external_id, "externalId")?;
        }
        Ok(())
    }

    async fn change_members(&self, group: &StoredGroup, change: &MemberChange) -> DirectoryResult<()> {
        self.change_group_members(group, change).await
    }

    async fn delete_group(&self, id: &GroupId) -> DirectoryResult<()> {
        self.remove_group(id).await
    }
}
