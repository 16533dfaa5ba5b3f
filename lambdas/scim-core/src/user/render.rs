//! The User printer: the attributes a client set, the full representation
//! with `groups` and `meta`, and the ETag over what a client sees.

use serde_json::{Map, Value, json};

use super::{StoredUser, User, UserExtension};
use crate::meta;
use crate::schema::{ENTERPRISE_URN, GROUP_RESOURCE, USER_URN};

impl<X: UserExtension> User<X> {
    /// The SCIM representation of the stored attributes, without `meta`.
    pub fn to_scim_attributes(&self) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("userName".into(), self.user_name.as_str().into());
        if let Some(v) = &self.external_id {
            out.insert("externalId".into(), v.as_str().into());
        }
        let mut name = Map::new();
        if let Some(v) = &self.given_name {
            name.insert("givenName".into(), v.as_str().into());
        }
        if let Some(v) = &self.family_name {
            name.insert("familyName".into(), v.as_str().into());
        }
        if !name.is_empty() {
            out.insert("name".into(), Value::Object(name));
        }
        if let Some(v) = &self.display_name {
            out.insert("displayName".into(), v.as_str().into());
        }
        if let Some(v) = &self.email {
            out.insert("emails".into(), json!([{"value": v, "type": "work"}]));
        }
        if let Some(v) = self.active {
            out.insert("active".into(), v.into());
        }
        if let Some(v) = &self.department {
            out.insert(ENTERPRISE_URN.into(), json!({ "department": v }));
        }
        if let Some(schema) = X::EXTENSION_SCHEMA.filter(|_| !self.extension.is_empty()) {
            out.insert(schema.id.into(), Value::Object(self.extension.to_scim()));
        }
        out
    }
}

impl<H, X: UserExtension> StoredUser<H, X> {
    /// A weak entity tag over the attributes (RFC 7644 §3.14): it changes
    /// whenever anything a client can see, `meta` aside, changes.
    pub fn version(&self) -> String {
        let mut attributes = self.user.to_scim_attributes();
        attributes.insert("id".into(), self.id.as_str().into());
        // Group membership is part of what a reader sees, in a stable
        // order (directories report profiles in varying orders).
        let mut groups: Vec<&str> = self.groups.iter().map(|g| g.value.as_str()).collect();
        groups.sort_unstable();
        attributes.insert("groups".into(), groups.into());
        meta::weak_etag(&Value::Object(attributes))
    }

    /// The full SCIM representation, with `schemas`, `id` and `meta`.
    pub fn to_scim(&self, base_url: &str) -> Value {
        let mut out = Map::new();
        let mut schemas = vec![Value::from(USER_URN)];
        if self.user.department.is_some() {
            schemas.push(ENTERPRISE_URN.into());
        }
        if let Some(schema) = X::EXTENSION_SCHEMA.filter(|_| !self.user.extension.is_empty()) {
            schemas.push(schema.id.into());
        }
        out.insert("schemas".into(), Value::Array(schemas));
        out.insert("id".into(), self.id.as_str().into());
        out.extend(self.user.to_scim_attributes());
        if !self.groups.is_empty() {
            let groups = self.groups.iter().map(|g| {
                json!({
                    "value": g.value.as_str(),
                    "$ref": meta::location(base_url, &GROUP_RESOURCE, g.value.as_str()),
                    "display": g.display,
                })
            });
            out.insert("groups".into(), groups.collect());
        }
        let times = (self.created, self.last_modified);
        let meta = meta::meta(X::RESOURCE, self.location(base_url), self.version(), times);
        out.insert("meta".into(), meta);
        Value::Object(out)
    }

    /// `{base}/Users/{id}`.
    pub fn location(&self, base_url: &str) -> String {
        meta::location(base_url, X::RESOURCE, self.id.as_str())
    }
}
