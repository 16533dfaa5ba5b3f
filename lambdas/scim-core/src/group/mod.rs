//! The Group resource (RFC 7643 §4.2) as a domain type, its parser and
//! printer, and how a group PATCH becomes a change of members.
//!
//! Members are users only (this service provisions agents; nested groups
//! are not a Connect concept). A group's attributes and its members are
//! kept apart: reading members can be costly (Connect lists them with a
//! user search), so a directory reads them only when the answer needs them.

mod patch;

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::error::ScimError;
use crate::json::optional_string;
use crate::meta;
use crate::schema::{GROUP_RESOURCE, GROUP_URN, USER_RESOURCE, member};
use crate::user::UserId;

pub use patch::{GroupPatch, PatchOutcome};

crate::id::resource_id! {
    /// The server-assigned group `id` (for Connect, the security profile id).
    GroupId
}

/// What a client can set on a Group, members aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `displayName` (required).
    pub display_name: String,
    /// `externalId`.
    pub external_id: Option<String>,
}

impl Group {
    /// Whether `other` names the same group (`displayName` is
    /// `caseExact: false`, RFC 7643 §4.2).
    pub fn same_name(&self, other: &str) -> bool {
        self.display_name.to_lowercase() == other.to_lowercase()
    }
}

/// One member: a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The user's id.
    pub value: UserId,
}

/// A reference from a user to a group it belongs to (the User's read-only
/// `groups` attribute).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    /// The group's id.
    pub value: GroupId,
    /// The group's displayName.
    pub display: String,
}

/// A group as the directory holds it. `H` is the directory's own handle on
/// it ([`crate::Directory::GroupHandle`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGroup<H = ()> {
    /// Opaque to the core: what the directory needs between a read and the
    /// update that follows it (for Connect: the profile's ARN and whether
    /// the bridge made it).
    pub handle: H,
    /// The server-assigned id.
    pub id: GroupId,
    /// The attributes.
    pub group: Group,
    /// The members, when they were read (`None`: not asked for).
    pub members: Option<Vec<Member>>,
    /// When it was created, where the directory knows.
    pub created: Option<OffsetDateTime>,
    /// When it last changed, where the directory knows.
    pub last_modified: Option<OffsetDateTime>,
}

/// A POST or PUT body: the attributes and, when the body has them, members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput {
    /// The attributes.
    pub group: Group,
    /// `members[].value`; `None` when the body has no `members`.
    pub members: Option<Vec<UserId>>,
}

/// `members[].value` of a body or PATCH value: an array of `{value, …}`
/// objects (Entra adds `"$ref": null`, Okta `display`), or one object.
pub fn member_ids(value: &Value) -> Result<Vec<UserId>, ScimError> {
    let items: Vec<&Value> = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) => items.iter().collect(),
        Value::Object(_) => vec![value],
        other => {
            return Err(ScimError::invalid_value(format!(
                "members must be an array of {{\"value\": userId}} objects, not {other}"
            )));
        }
    };
    let mut ids = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(ScimError::invalid_value(format!(
                "each member must be an object with a value, not {item}"
            )));
        };
        if let Some(kind) = optional_string(map, "type", "type")?
            && !kind.eq_ignore_ascii_case("User")
        {
            return Err(ScimError::invalid_value(format!(
                "members can only be users, not {kind} (Amazon Connect has no nested groups)"
            )));
        }
        match optional_string(map, "value", "value")? {
            Some(id) => {
                let id = UserId::new(id);
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            None => return Err(ScimError::invalid_value("each member needs a value (a user id)")),
        }
    }
    Ok(ids)
}

impl GroupInput {
    /// Reads a Group from a SCIM JSON representation (a POST or PUT body, or
    /// the outcome of a PATCH). Read-only and unknown attributes are ignored.
    pub fn from_scim(value: &Value) -> Result<Self, ScimError> {
        let Value::Object(root) = value else {
            return Err(ScimError::invalid_syntax("A Group must be a JSON object"));
        };
        let display_name = match member(root, "displayName") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            None | Some(Value::Null) | Some(Value::String(_)) => {
                return Err(ScimError::invalid_value("displayName is required"));
            }
            Some(other) => {
                return Err(ScimError::invalid_value(format!(
                    "displayName must be a string, not {other}"
                )));
            }
        };
        let group = Group {
            display_name,
            external_id: optional_string(root, "externalId", "externalId")?,
        };
        let members = member(root, "members").map(member_ids).transpose()?;
        Ok(Self { group, members })
    }
}

/// The attributes of a group as a PATCH document, members as given.
fn document(group: &Group, id: &GroupId, members: Option<&[Member]>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("id".into(), id.as_str().into());
    out.insert("displayName".into(), group.display_name.as_str().into());
    if let Some(v) = &group.external_id {
        out.insert("externalId".into(), v.as_str().into());
    }
    if let Some(members) = members {
        out.insert(
            "members".into(),
            members
                .iter()
                .map(|m| json!({"value": m.value.as_str(), "type": "User"}))
                .collect(),
        );
    }
    out
}

impl<H> StoredGroup<H> {
    /// The members' ids, when they were read (else none).
    pub fn member_ids(&self) -> Vec<UserId> {
        self.members.iter().flatten().map(|m| m.value.clone()).collect()
    }

    /// A weak entity tag over the attributes (members aside: reading them
    /// is costly and they change through other resources too).
    pub fn version(&self) -> String {
        meta::weak_etag(&Value::Object(document(&self.group, &self.id, None)))
    }

    /// `{base}/Groups/{id}`.
    pub fn location(&self, base_url: &str) -> String {
        meta::location(base_url, &GROUP_RESOURCE, self.id.as_str())
    }

    /// The full SCIM representation, with `schemas`, `id` and `meta`;
    /// `members` when they were read.
    pub fn to_scim(&self, base_url: &str) -> Value {
        let mut out = Map::new();
        out.insert("schemas".into(), json!([GROUP_URN]));
        out.insert("id".into(), self.id.as_str().into());
        if let Some(v) = &self.group.external_id {
            out.insert("externalId".into(), v.as_str().into());
        }
        out.insert("displayName".into(), self.group.display_name.as_str().into());
        if let Some(members) = &self.members {
            let members = members.iter().map(|m| {
                json!({
                    "value": m.value.as_str(),
                    "$ref": meta::location(base_url, &USER_RESOURCE, m.value.as_str()),
                    "type": "User",
                })
            });
            out.insert("members".into(), members.collect());
        }
        let times = (self.created, self.last_modified);
        let meta = meta::meta(&GROUP_RESOURCE, self.location(base_url), self.version(), times);
        out.insert("meta".into(), meta);
        Value::Object(out)
    }
}

/// Who joins and who leaves a group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberChange {
    /// Users to add (each must exist).
    pub add: Vec<UserId>,
    /// Users to remove (a non-member is no change).
    pub remove: Vec<UserId>,
}

impl MemberChange {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }

    /// The change that turns `current` into `desired`.
    pub fn between(current: &[UserId], desired: &[UserId]) -> Self {
        let have: BTreeSet<&str> = current.iter().map(UserId::as_str).collect();
        let want: BTreeSet<&str> = desired.iter().map(UserId::as_str).collect();
        Self {
            add: desired
                .iter()
                .filter(|u| !have.contains(u.as_str()))
                .cloned()
                .collect(),
            remove: current
                .iter()
                .filter(|u| !want.contains(u.as_str()))
                .cloned()
                .collect(),
        }
    }

    fn add(&mut self, ids: Vec<UserId>) {
        self.remove.retain(|u| !ids.contains(u));
        for id in ids {
            if !self.add.contains(&id) {
                self.add.push(id);
            }
        }
    }

    fn remove(&mut self, ids: Vec<UserId>) {
        self.add.retain(|u| !ids.contains(u));
        for id in ids {
            if !self.remove.contains(&id) {
                self.remove.push(id);
            }
        }
    }
}

/// Refuses a new `displayName`: Amazon Connect cannot rename a security
/// profile. The same name (in any case) is no change.
pub fn check_rename(current: &Group, desired: &Group) -> Result<(), ScimError> {
    if current.same_name(&desired.display_name) {
        return Ok(());
    }
    Err(ScimError::mutability(format!(
        "displayName is immutable: Amazon Connect cannot rename the security profile {:?} to {:?}; \
         create a group with the new name instead",
        current.display_name, desired.display_name
    )))
}

#[cfg(test)]
mod tests;
