//! The port the core talks to: where users are really kept. The Amazon
//! Connect adapter implements it; so can an in-memory twin.

use std::future::Future;
use std::time::Duration;

use crate::error::ScimError;
use crate::filter::{GroupFilter, UserFilter};
use crate::group::{Group, GroupId, MemberChange, StoredGroup};
use crate::schema::CanonicalValues;
use crate::user::{NoExtension, StoredUser, User, UserExtension, UserId};

/// A page request: 1-based `start_index`, at most `count` users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Which users; `None` is all.
    pub filter: Option<UserFilter>,
    /// 1-based index of the first user wanted.
    pub start_index: usize,
    /// Most users wanted (0 asks only for the total).
    pub count: usize,
}

/// A page of users and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPage<H = (), X = NoExtension> {
    /// Users matching the filter, in all.
    pub total_results: usize,
    /// The requested window.
    pub users: Vec<StoredUser<H, X>>,
}

/// A page of groups wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPageRequest {
    /// Which groups; `None` is all.
    pub filter: Option<GroupFilter>,
    /// 1-based index of the first group wanted.
    pub start_index: usize,
    /// Most groups wanted (0 asks only for the total).
    pub count: usize,
    /// Whether to read each group's members.
    pub members: bool,
}

/// A page of groups and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPage<H = ()> {
    /// Groups matching the filter, in all.
    pub total_results: usize,
    /// The requested window.
    pub groups: Vec<StoredGroup<H>>,
}

/// Why a directory call failed, in terms the core can answer a client with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DirectoryError {
    /// No such user or group.
    #[error("not found: {0}")]
    NotFound(String),
    /// The userName is taken.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The directory refused a value; the message says which and why.
    #[error("invalid value: {0}")]
    InvalidValue(String),
    /// The filter is one the directory cannot answer correctly; the message
    /// says what it can.
    #[error("invalid filter: {0}")]
    InvalidFilter(String),
    /// The query would read more than the directory is willing to (RFC 7644
    /// `tooMany`); the message says how to narrow it.
    #[error("too many: {0}")]
    TooMany(String),
    /// The change is one the directory cannot make (e.g. renaming).
    #[error("not mutable: {0}")]
    Immutable(String),
    /// The change is outside what this bridge may do (a profile it may not
    /// grant, a user it does not manage); nothing was changed.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The directory's quota is used up; try again later.
    #[error("throttled")]
    Throttled {
        /// Suggested wait.
        retry_after: Duration,
    },
    /// The directory is failing or unreachable; try again later.
    #[error("unavailable: {message}")]
    Unavailable {
        /// What went wrong.
        message: String,
        /// Suggested wait.
        retry_after: Duration,
    },
    /// Anything else: misconfiguration, permissions, a bug.
    #[error("directory failure: {0}")]
    Internal(String),
}

impl From<DirectoryError> for ScimError {
    fn from(err: DirectoryError) -> Self {
        use axum::http::StatusCode;
        match err {
            DirectoryError::NotFound(m) => ScimError::not_found(m),
            DirectoryError::Conflict(m) => ScimError::uniqueness(m),
            DirectoryError::InvalidValue(m) => ScimError::invalid_value(m),
            DirectoryError::InvalidFilter(m) => ScimError::invalid_filter(m),
            DirectoryError::TooMany(m) => ScimError::bad_request(crate::ScimType::TooMany, m),
            DirectoryError::Immutable(m) => ScimError::mutability(m),
            DirectoryError::Forbidden(m) => ScimError::forbidden(m),
            DirectoryError::Throttled { retry_after } => ScimError::too_many_requests(
                "Amazon Connect is throttling requests; retry after the given delay",
                retry_after,
            ),
            DirectoryError::Unavailable { message, retry_after } => {
                ScimError::unavailable(format!("Amazon Connect is unavailable: {message}"), retry_after)
            }
            DirectoryError::Internal(m) => ScimError::new(
                StatusCode::BAD_GATEWAY,
                None,
                format!("Amazon Connect failed: {m}"),
            ),
        }
    }
}

/// Result of a directory call.
pub type DirectoryResult<T> = Result<T, DirectoryError>;

/// Where users live. Implementations must be safe to call concurrently.
pub trait Directory: Send + Sync + 'static {
    /// What the directory keeps of a user between a read and the update
    /// that follows it, so the update needs no second read. The core only
    /// carries it.
    type UserHandle: Clone + std::fmt::Debug + Send + Sync + 'static;

    /// The directory's own User extension: its schema, and how its values
    /// are read and printed ([`NoExtension`] for none).
    type UserExtension: UserExtension;

    /// What the directory keeps of a group between a read and an update.
    type GroupHandle: Clone + std::fmt::Debug + Send + Sync + 'static;

    /// Creates a user; `Conflict` when the userName is taken.
    fn create_user(
        &self,
        user: &User<Self::UserExtension>,
    ) -> impl Future<Output = DirectoryResult<StoredUser<Self::UserHandle, Self::UserExtension>>> + Send;

    /// One user by id; `NotFound` when there is none.
    fn get_user(
        &self,
        id: &UserId,
    ) -> impl Future<Output = DirectoryResult<StoredUser<Self::UserHandle, Self::UserExtension>>> + Send;

    /// A page of users.
    fn list_users(
        &self,
        request: &PageRequest,
    ) -> impl Future<Output = DirectoryResult<UserPage<Self::UserHandle, Self::UserExtension>>> + Send;

    /// Makes the stored user `current` look like `desired`, with as few calls
    /// as the change needs, and returns the result.
    fn update_user(
        &self,
        current: &StoredUser<Self::UserHandle, Self::UserExtension>,
        desired: &User<Self::UserExtension>,
    ) -> impl Future<Output = DirectoryResult<StoredUser<Self::UserHandle, Self::UserExtension>>> + Send;

    /// Deletes the user `current` (as read); `NotFound` when it is gone.
    /// The directory may refuse (`Forbidden`) a user it does not manage,
    /// which is why it gets the read user and not only the id.
    fn delete_user(
        &self,
        current: &StoredUser<Self::UserHandle, Self::UserExtension>,
    ) -> impl Future<Output = DirectoryResult<()>> + Send;

    /// A page of groups, in a stable order.
    fn list_groups(
        &self,
        request: &GroupPageRequest,
    ) -> impl Future<Output = DirectoryResult<GroupPage<Self::GroupHandle>>> + Send;

    /// One group by id, with its members when `members`; `NotFound` when
    /// there is none.
    fn get_group(
        &self,
        id: &GroupId,
        members: bool,
    ) -> impl Future<Output = DirectoryResult<StoredGroup<Self::GroupHandle>>> + Send;

    /// Creates a group, or links to the one already named so (ignoring
    /// case); `InvalidValue` when it can do neither.
    fn create_group(
        &self,
        group: &Group,
    ) -> impl Future<Output = DirectoryResult<StoredGroup<Self::GroupHandle>>> + Send;

    /// Stores `desired`'s attributes over `current`'s (the name never
    /// changes: the core refuses renames first).
    fn update_group(
        &self,
        current: &StoredGroup<Self::GroupHandle>,
        desired: &Group,
    ) -> impl Future<Output = DirectoryResult<StoredGroup<Self::GroupHandle>>> + Send;

    /// Checks and normalises what only the directory has rules for (for
    /// Amazon Connect: the limits of its extension's values), before
    /// anything changes: a refusal is a 400 and nothing is written. The
    /// user is accepted as it is by default.
    fn accept_user(&self, user: User<Self::UserExtension>) -> DirectoryResult<User<Self::UserExtension>> {
        Ok(user)
    }

    /// Checks attributes `update_group` would refuse (say, a value too long
    /// for the directory), so a request is refused before anything changes.
    /// Everything passes by default.
    fn check_group(&self, _group: &Group) -> DirectoryResult<()> {
        Ok(())
    }

    /// Adds and removes members. Every added user must exist
    /// (`InvalidValue` otherwise, before anything changes); removing a
    /// non-member or an unknown user changes nothing.
    fn change_members(
        &self,
        group: &StoredGroup<Self::GroupHandle>,
        change: &MemberChange,
    ) -> impl Future<Output = DirectoryResult<()>> + Send;

    /// Deletes a group: its members leave it first. `NotFound` when there
    /// is none.
    fn delete_group(&self, id: &GroupId) -> impl Future<Output = DirectoryResult<()>> + Send;

    /// Values attributes accept that only the directory knows (say, the
    /// names of an instance's routing profiles), published in `/Schemas` as
    /// `canonicalValues`, keyed by `{schema id}:{attribute}`. None by default.
    fn canonical_values(&self) -> impl Future<Output = DirectoryResult<CanonicalValues>> + Send {
        async { Ok(CanonicalValues::new()) }
    }
}
