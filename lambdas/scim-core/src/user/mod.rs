//! The User resource as a domain type, and its one parser and one printer.
//!
//! Parsing is lenient where IdPs are known to be sloppy (attribute names in
//! any case, `"True"` for `true`, `null` for absent, attributes we do not
//! store) and strict where a wrong value would reach Amazon Connect.
//!
//! The parser is in `parse`, the printer and the ETag in `render`, and the
//! hook for a directory's own extension (Amazon Connect's agent settings)
//! in `extension`.

mod extension;
mod parse;
mod render;

use std::fmt;

use time::OffsetDateTime;

use crate::error::ScimError;
use crate::group::GroupRef;

pub use extension::{NoExtension, UserExtension};
pub use parse::boolean;

/// A SCIM `userName`: non-empty, compared without regard to case (RFC 7643
/// §4.1.1 makes it `caseExact: false`).
#[derive(Debug, Clone)]
pub struct UserName(String);

impl UserName {
    /// Refuses an empty or blank name.
    pub fn new(value: impl Into<String>) -> Result<Self, ScimError> {
        let value = value.into();
        if value.trim().is_empty() {
            return Err(ScimError::invalid_value("userName must not be empty"));
        }
        Ok(Self(value))
    }

    /// The name as the client spelled it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for UserName {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_lowercase() == other.0.to_lowercase()
    }
}

impl Eq for UserName {}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

crate::id::resource_id! {
    /// The server-assigned `id` (the Amazon Connect UserId).
    UserId
}

/// The write-only SCIM `password` (RFC 7643 §4.1.1: "returned never").
/// Its `Debug` never shows the value, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps a password a client sent.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The password itself, for the one call that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// What a client can set on a User. `X` is the directory's own extension
/// ([`crate::Directory::UserExtension`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User<X = NoExtension> {
    /// `userName`.
    pub user_name: UserName,
    /// `externalId`.
    pub external_id: Option<String>,
    /// `name.givenName`.
    pub given_name: Option<String>,
    /// `name.familyName`.
    pub family_name: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// The primary (or first) `emails[].value`.
    pub email: Option<String>,
    /// `active`; `None` when the client never said (kept that way, so a
    /// PATCH `remove` of `active` reads back without it).
    pub active: Option<bool>,
    /// Enterprise extension `department`.
    pub department: Option<String>,
    /// The directory's extension (for Amazon Connect: how the agent takes
    /// contacts).
    pub extension: X,
    /// `password`: write-only, used where the directory needs one to create
    /// a user, never stored in or returned from a representation.
    pub password: Option<Password>,
}

impl<X: Default> User<X> {
    /// Whether the user is active (unset counts as active).
    pub fn is_active(&self) -> bool {
        self.active != Some(false)
    }

    /// A user with only a `userName`.
    pub fn new(user_name: UserName) -> Self {
        Self {
            user_name,
            external_id: None,
            given_name: None,
            family_name: None,
            display_name: None,
            email: None,
            active: None,
            department: None,
            extension: X::default(),
            password: None,
        }
    }
}

/// A user as the directory holds it. `H` is the directory's own handle on
/// it ([`crate::Directory::UserHandle`]), `X` its User extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUser<H = (), X = NoExtension> {
    /// Opaque to the core: what the directory needs to remember between a
    /// read and the update that follows it (for Connect: the ARN, security
    /// profile ids and tags), so an update costs no second read.
    pub handle: H,
    /// The server-assigned id.
    pub id: UserId,
    /// The attributes.
    pub user: User<X>,
    /// When it was created, where the directory knows.
    pub created: Option<OffsetDateTime>,
    /// When it last changed, where the directory knows.
    pub last_modified: Option<OffsetDateTime>,
    /// The groups the user belongs to (read-only; empty when unknown).
    pub groups: Vec<GroupRef>,
}

#[cfg(test)]
mod tests;
