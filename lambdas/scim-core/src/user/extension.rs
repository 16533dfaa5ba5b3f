//! A directory's own User extension (RFC 7643 §3.3): its schema and values
//! belong to the directory, not to the core. The core finds the extension's
//! object in a request (nested under its URN or as flat `urn:name` members),
//! hands it to [`UserExtension::from_scim`], and prints what
//! [`UserExtension::to_scim`] gives back. Amazon Connect's agent settings
//! are one (in `connect-directory`); a directory without one uses
//! [`NoExtension`].

use std::fmt::Debug;

use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::schema::{ResourceSchema, Schema, USER_RESOURCE};

/// The values of a directory's User extension, parsed and printed by the
/// directory itself.
pub trait UserExtension: Debug + Clone + Default + PartialEq + Eq + Send + Sync + 'static {
    /// The User resource type with this extension among its schema
    /// extensions: what `/Schemas`, `/ResourceTypes`, the parser, projection
    /// and the PATCH engine work from. It is [`USER_RESOURCE`] with one more
    /// extension: the same name (`User`), endpoint (`/Users`), core schema
    /// and ignored attributes (the Router, group member `$ref`s and metric
    /// names rely on the name and endpoint).
    const RESOURCE: &'static ResourceSchema;
    /// The extension's own schema (one of `RESOURCE`'s extensions), or
    /// `None` for no extension.
    const EXTENSION_SCHEMA: Option<&'static Schema>;

    /// Reads the extension: `lookup(name)` finds one of its attributes in
    /// the request (the flat `urn:name` member wins over the nested one).
    /// Only shapes are checked here; the values are the directory's to
    /// judge in `Directory::accept_user`.
    fn from_scim<'a>(lookup: &dyn Fn(&str) -> Option<&'a Value>) -> Result<Self, ScimError>;

    /// The extension's object: managed settings only.
    fn to_scim(&self) -> Map<String, Value>;

    /// Whether nothing is set (the extension is then left out of answers).
    fn is_empty(&self) -> bool {
        self == &Self::default()
    }
}

/// No User extension beyond the enterprise one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoExtension;

impl UserExtension for NoExtension {
    const RESOURCE: &'static ResourceSchema = &USER_RESOURCE;
    const EXTENSION_SCHEMA: Option<&'static Schema> = None;

    fn from_scim<'a>(_lookup: &dyn Fn(&str) -> Option<&'a Value>) -> Result<Self, ScimError> {
        Ok(Self)
    }

    fn to_scim(&self) -> Map<String, Value> {
        Map::new()
    }
}
