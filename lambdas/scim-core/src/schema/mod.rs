//! Schema definitions as data (RFC 7643 §7). The same tables drive
//! `/Schemas`, `/ResourceTypes`, request parsing and the PATCH engine, so
//! what is published is exactly what is understood.

mod attribute;
mod tables;

use serde_json::{Map, Value, json};

pub use attribute::{AttrType, Attribute, Mutability, Returned, Schema, Uniqueness};
pub use tables::{COMMON_ATTRIBUTES, ENTERPRISE_SCHEMA, GROUP_SCHEMA, IGNORED_USER_ATTRIBUTES, USER_SCHEMA};

/// Core User schema.
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Core Group schema.
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Enterprise User extension.
pub const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// Error message.
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// List response message.
pub const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// PATCH request message.
pub const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// Schema resource.
pub const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
/// ResourceType resource.
pub const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
/// ServiceProviderConfig resource.
pub const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// Run-time `canonicalValues`, keyed by `{schema id}:{attribute}`.
pub type CanonicalValues = std::collections::BTreeMap<String, Vec<String>>;

/// A resource type's schemas, as the parser and PATCH engine see them.
#[derive(Debug)]
pub struct ResourceSchema {
    /// Name, e.g. `User`.
    pub name: &'static str,
    /// Endpoint relative to the base URL, e.g. `/Users`.
    pub endpoint: &'static str,
    /// Core schema (attributes at the top level).
    pub core: &'static Schema,
    /// Extensions (attributes under their URN).
    pub extensions: &'static [&'static Schema],
    /// Attribute names accepted and dropped.
    pub ignored: &'static [&'static str],
}

impl ResourceSchema {
    /// Whether `name` is accepted but not stored.
    pub fn is_ignored(&self, name: &str) -> bool {
        self.ignored.iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// The extension with this URN, ignoring case.
    pub fn extension(&self, urn: &str) -> Option<&'static Schema> {
        self.extensions
            .iter()
            .copied()
            .find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// A top-level attribute: common ones first, then the core schema's.
    pub fn core_attribute(&self, name: &str) -> Option<&'static Attribute> {
        COMMON_ATTRIBUTES
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .or_else(|| self.core.attribute(name))
    }

    /// The `/ResourceTypes/{name}` representation.
    pub fn to_json(&self, base_url: &str) -> Value {
        json!({
            "schemas": [RESOURCE_TYPE_URN],
            "id": self.name,
            "name": self.name,
            "endpoint": self.endpoint,
            "description": self.core.description,
            "schema": self.core.id,
            "schemaExtensions": self.extensions.iter().map(|s| json!({"schema": s.id, "required": false})).collect::<Vec<_>>(),
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{base_url}/ResourceTypes/{}", self.name),
            },
        })
    }
}

/// The User resource type, with the enterprise extension only. A directory
/// with its own extension publishes its own User resource type
/// ([`crate::user::UserExtension::RESOURCE`]): the same name, endpoint,
/// core schema and ignored attributes, and its extension after this one.
pub static USER_RESOURCE: ResourceSchema = ResourceSchema {
    name: "User",
    endpoint: "/Users",
    core: &USER_SCHEMA,
    extensions: &[&ENTERPRISE_SCHEMA],
    ignored: IGNORED_USER_ATTRIBUTES,
};

/// The Group resource type.
pub static GROUP_RESOURCE: ResourceSchema = ResourceSchema {
    name: "Group",
    endpoint: "/Groups",
    core: &GROUP_SCHEMA,
    extensions: &[],
    ignored: &[],
};

/// Every resource type served, given the directory's User resource type.
pub fn resource_types(user: &'static ResourceSchema) -> [&'static ResourceSchema; 2] {
    [user, &GROUP_RESOURCE]
}

/// Every schema published, given the directory's User resource type.
pub fn schemas(user: &'static ResourceSchema) -> impl Iterator<Item = &'static Schema> {
    resource_types(user)
        .into_iter()
        .flat_map(|r| std::iter::once(r.core).chain(r.extensions.iter().copied()))
}

/// The most resources one list response holds (`count` is capped to it),
/// published in `/ServiceProviderConfig` as `filter.maxResults`. A SCIM
/// choice, independent of any directory's own page size.
pub const MAX_RESULTS: usize = 100;

/// The `/ServiceProviderConfig` representation: only what is really supported.
pub fn service_provider_config(base_url: &str) -> Value {
    json!({
        "schemas": [SPC_URN],
        "documentationUri": "https://github.com/aws-samples/amazon-connect-scim-user-management",
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "Authentication with the bearer token kept in AWS Secrets Manager.",
            "primary": true,
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base_url}/ServiceProviderConfig"),
        },
    })
}

/// An object's member by name, ignoring case (SCIM names are case-insensitive).
pub fn member<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests;
