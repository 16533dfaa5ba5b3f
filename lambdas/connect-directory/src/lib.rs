//! The `scim_core::Directory` over Amazon Connect: the only crate that calls
//! Connect.
//!
//! The client comes from the standard AWS configuration, so the same code
//! reaches Connect in Lambda and the simulator locally (through
//! `AWS_ENDPOINT_URL_CONNECT` or an explicit endpoint on the loader).
//! Lookups use SearchUsers, never ListUsers scans; profile names are
//! resolved through a cache.

// Where things live: `agent` is the Amazon Connect User extension (its
// schema, parse and print, and Connect's rules for its values in
// `agent::rules`); `users` creates, reads and deletes one agent; `update`
// plans and applies a change; `listing` pages and filters; `assignment`
// decides profiles; `boundary` says which users and profiles the bridge
// may touch; `names` resolves profile and hierarchy names; `groups`
// is /Groups over security profiles; `identity` holds the instance's
// identity-type rules; `mapping` and `phone` translate SCIM ⇄ Connect.
mod agent;
mod assignment;
mod attempts;
mod boundary;
mod bounded;
mod channels;
mod error;
mod groups;
mod identity;
mod limiter;
mod listing;
mod mapping;
mod names;
mod phone;
mod proficiencies;
mod quick_connects;
mod recent;
mod search;
mod settings;
mod update;
mod users;

use std::future::Future;
use std::sync::Mutex;

use aws_sdk_connect::Client;
use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use scim_core::schema::CanonicalValues;
use scim_core::{
    Directory, DirectoryError, DirectoryResult, Group, GroupId, GroupPageRequest, MemberChange, PageRequest,
    UserId,
};
use time::OffsetDateTime;

pub use agent::{
    AgentSettings, CONNECT_SCHEMA, CONNECT_URN, CONNECT_USER_RESOURCE, ChannelConfig, ContactChannel,
    PhoneKind, Proficiency,
};
pub use attempts::CONNECT_OPERATIONS;
pub use boundary::Assignable;
pub use groups::ProfileHandle;
pub use identity::IdentityType;
pub use limiter::Pace;
pub use listing::MAX_NARROWED_USERS;
pub use mapping::AgentHandle;
pub use settings::{
    ConnectSettings, DEFAULT_DISABLED_PROFILE, DepartmentRule, SettingsError, parse_department_map,
    parse_proficiency_map,
};

use bounded::BoundedMap;
use limiter::Limiter;

/// The instance as [`ConnectDirectory::instance_report`] found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceReport {
    /// `ACTIVE`, `CREATION_IN_PROGRESS`, `CREATION_FAILED`.
    pub status: String,
    /// The instance's alias (`-` when none).
    pub alias: String,
    /// `SAML`, `CONNECT_MANAGED` or `EXISTING_DIRECTORY`.
    pub identity_type: String,
    /// Whether `DISABLED_SECURITY_PROFILE` exists in the instance.
    pub has_disabled_profile: bool,
}

/// A user as this adapter sees it: the core's `scim_core::User` with the
/// Amazon Connect extension (`User<AgentSettings>`, not the core's default
/// `User<NoExtension>`).
pub type User = scim_core::User<AgentSettings>;
/// A user as this adapter stores it: the core's user with its Connect handle.
pub type StoredUser = scim_core::StoredUser<AgentHandle, AgentSettings>;
/// A group (a security profile) with its Connect handle.
pub type StoredGroup = scim_core::StoredGroup<ProfileHandle>;
/// A page of users with their Connect handles.
pub type UserPage = scim_core::UserPage<AgentHandle, AgentSettings>;
/// A page of groups with their Connect handles.
pub type GroupPage = scim_core::GroupPage<ProfileHandle>;
use names::NameCache;
use recent::{RecentGroups, RecentWrites};

/// Recently deleted ids remembered, so repeated DELETEs cost no Connect call.
const TOMBSTONES: usize = 4096;

/// Amazon Connect as a SCIM user directory.
#[derive(Debug)]
pub struct ConnectDirectory {
    client: Client,
    settings: ConnectSettings,
    security_profiles: NameCache,
    hierarchy_groups: NameCache,
    routing_profiles: NameCache,
    predefined_attributes: NameCache<proficiencies::Catalogue>,
    tombstones: Mutex<BoundedMap<String, ()>>,
    limiter: std::sync::Arc<Limiter>,
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

impl ConnectDirectory {
    /// A directory over the Connect client built from `sdk_config`.
    pub fn new(sdk_config: &aws_config::SdkConfig, settings: ConnectSettings) -> Self {
        Self::from_client(Client::new(sdk_config), settings)
    }

    /// A directory over an existing client.
    pub fn from_client(client: Client, settings: ConnectSettings) -> Self {
        let ttl = settings.profile_cache_ttl;
        let limiter = std::sync::Arc::new(Limiter::new(settings.pace));
        let attempts = attempts::RecordAttempts {
            limiter: limiter.clone(),
        };
        let config = client.config().to_builder().interceptor(attempts);
        Self {
            client: Client::from_conf(config.build()),
            security_profiles: NameCache::new(ttl),
            routing_profiles: NameCache::new(ttl),
            hierarchy_groups: NameCache::new(ttl),
            predefined_attributes: NameCache::new(ttl),
            tombstones: Mutex::new(BoundedMap::new(TOMBSTONES)),
            limiter,
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
                let instance = self.describe_instance().await?;
                let identity = instance
                    .identity_management_type()
                    .ok_or_else(|| "no IdentityManagementType".to_owned())
                    .and_then(IdentityType::try_from)
                    .map_err(|e| {
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

    /// What `make local` tells an admin before serving a Connect outside
    /// the process: the instance's status, alias and identity type
    /// (DescribeInstance) and whether the disabled agents' profile exists
    /// (the security profile names, read fresh).
    pub async fn instance_report(&self) -> DirectoryResult<InstanceReport> {
        let instance = self.describe_instance().await?;
        let names = self.names(names::NamedKind::Security, true).await?;
        Ok(InstanceReport {
            status: instance.instance_status().map_or("?", |s| s.as_str()).to_owned(),
            alias: instance.instance_alias().unwrap_or("-").to_owned(),
            identity_type: instance
                .identity_management_type()
                .map_or("?", |t| t.as_str())
                .to_owned(),
            has_disabled_profile: names.id(&self.settings.disabled_security_profile).is_some(),
        })
    }

    async fn describe_instance(&self) -> DirectoryResult<aws_sdk_connect::types::Instance> {
        let out = self
            .call(
                "DescribeInstance",
                self.client
                    .describe_instance()
                    .instance_id(&self.settings.instance_id)
                    .send(),
            )
            .await?;
        out.instance
            .ok_or_else(|| DirectoryError::Internal("DescribeInstance returned no instance".to_owned()))
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
        // The first attempt waits for its turn here (an interceptor cannot
        // wait); `RecordAttempts` records every attempt and charges each
        // retry to the same bucket, so retries spend the quota they use.
        // Not a custom `RetryStrategy` (whose `YesAfterDelay` can wait
        // before the first attempt): the orchestrator asks it again after
        // every delay through an immutable ConfigBag, so a reserved turn
        // would be taken twice, and a turn past the budget must reach the
        // client as a 429 with Retry-After, which an orchestrator error
        // does not carry.
        self.limiter.acquire(operation).await?;
        request.await.map_err(|e| error::map_sdk_error(operation, e))
    }

    /// The next page of a paginator, paced like any call; `None` after the
    /// last. The page that carries no NextToken ends the walk here, so the
    /// end costs no extra turn of the pacer (the paginator would send
    /// nothing for it, but asking it would still spend one).
    async fn next_page<T, E, R>(
        &self,
        operation: &'static str,
        pages: &mut Pages<T, E, R>,
    ) -> DirectoryResult<Option<T>>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        if !pages.more {
            return Ok(None);
        }
        let stream = &mut pages.stream;
        let page = self
            .call(operation, async { stream.next().await.transpose() })
            .await?;
        pages.more = page
            .as_ref()
            .and_then(|p| (pages.token)(p))
            .is_some_and(|t| !t.is_empty());
        Ok(page)
    }
}

/// An SDK paginator and whether another page follows.
pub(crate) struct Pages<T, E, R> {
    stream: aws_smithy_async::future::pagination_stream::PaginationStream<Result<T, SdkError<E, R>>>,
    token: fn(&T) -> Option<&str>,
    more: bool,
}

impl<T, E, R> Pages<T, E, R> {
    /// `stream`, whose pages carry their NextToken where `token` says.
    pub(crate) fn new(
        stream: aws_smithy_async::future::pagination_stream::PaginationStream<Result<T, SdkError<E, R>>>,
        token: fn(&T) -> Option<&str>,
    ) -> Self {
        Self {
            stream,
            token,
            more: true,
        }
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
    type UserExtension = AgentSettings;
    type GroupHandle = ProfileHandle;

    async fn create_user(&self, user: &User) -> DirectoryResult<StoredUser> {
        self.create(user).await
    }

    async fn get_user(&self, id: &UserId) -> DirectoryResult<StoredUser> {
        self.read(id).await
    }

    async fn list_users(&self, request: &PageRequest) -> DirectoryResult<UserPage> {
        self.users_page(request).await
    }

    async fn update_user(&self, current: &StoredUser, desired: &User) -> DirectoryResult<StoredUser> {
        self.update(current, desired).await
    }

    async fn delete_user(&self, current: &StoredUser) -> DirectoryResult<()> {
        self.delete(current).await
    }

    async fn canonical_values(&self) -> DirectoryResult<CanonicalValues> {
        self.canonical().await
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

    fn accept_user(&self, user: User) -> DirectoryResult<User> {
        agent::rules::accept(user)
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
