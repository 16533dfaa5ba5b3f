//! The Group resource (RFC 7643 §4.2) as a domain type, its parser and
//! printer, and how a group PATCH becomes a change of members.
//!
//! Members are users only (this service provisions agents; nested groups
//! are not a Connect concept). A group's attributes and its members are
//! kept apart: reading members can be costly (Connect lists them with a
//! user search), so a directory reads them only when the answer needs them.

use std::collections::BTreeSet;
use std::fmt;

use scim_v2::filter::{AttrExp, CompValue, CompareOp, PatchPath, ValFilter};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::ScimError;
use crate::patch::{Op, Operation, PatchRequest};
use crate::schema::{GROUP_RESOURCE, GROUP_URN, USER_RESOURCE, member};
use crate::user::UserId;

/// The server-assigned group `id` (for Connect, the security profile id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupId(String);

impl GroupId {
    /// Wraps a directory id.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
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

fn optional_string(object: &Map<String, Value>, name: &str) -> Result<Option<String>, ScimError> {
    match member(object, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ScimError::invalid_value(format!(
            "{name} must be a string, not {other}"
        ))),
    }
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
        if let Some(kind) = optional_string(map, "type")?
            && !kind.eq_ignore_ascii_case("User")
        {
            return Err(ScimError::invalid_value(format!(
                "members can only be users, not {kind} (Amazon Connect has no nested groups)"
            )));
        }
        match optional_string(map, "value")? {
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
            external_id: optional_string(root, "externalId")?,
        };
        let members = member(root, "members").map(member_ids).transpose()?;
        Ok(Self { group, members })
    }
}

fn timestamp(t: Option<OffsetDateTime>) -> Option<String> {
    t.and_then(|t| t.format(&Rfc3339).ok())
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
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in Value::Object(document(&self.group, &self.id, None))
            .to_string()
            .bytes()
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("W/\"{hash:016x}\"")
    }

    /// `{base}/Groups/{id}`.
    pub fn location(&self, base_url: &str) -> String {
        format!("{base_url}{}/{}", GROUP_RESOURCE.endpoint, self.id)
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
            let users = format!("{base_url}{}", USER_RESOURCE.endpoint);
            out.insert(
                "members".into(),
                members
                    .iter()
                    .map(|m| {
                        json!({
                            "value": m.value.as_str(),
                            "$ref": format!("{users}/{}", m.value),
                            "type": "User",
                        })
                    })
                    .collect(),
            );
        }
        let mut meta = Map::new();
        meta.insert("resourceType".into(), GROUP_RESOURCE.name.into());
        if let Some(t) = timestamp(self.created.or(self.last_modified)) {
            meta.insert("created".into(), t.into());
        }
        if let Some(t) = timestamp(self.last_modified) {
            meta.insert("lastModified".into(), t.into());
        }
        meta.insert("location".into(), self.location(base_url).into());
        meta.insert("version".into(), self.version().into());
        out.insert("meta".into(), Value::Object(meta));
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

/// A group PATCH: each operation with what it does to members.
#[derive(Debug, Clone)]
pub struct GroupPatch {
    operations: Vec<(Operation, MemberOp)>,
}

/// The outcome of a group PATCH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchOutcome {
    /// The attributes after the PATCH.
    pub group: Group,
    /// The member change.
    pub members: MemberChange,
}

fn is_members(name: &str, uri: Option<&str>) -> bool {
    name.eq_ignore_ascii_case("members") && uri.is_none_or(|u| u.eq_ignore_ascii_case(GROUP_URN))
}

/// The ids a `members[value eq "a" or value eq "b"]` filter names, if it
/// is only that.
fn value_filter_ids(filter: &ValFilter) -> Option<Vec<UserId>> {
    match filter {
        ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, CompValue::Str(v)))
            if path.name.eq_ignore_ascii_case("value") && path.sub_attr.is_none() =>
        {
            Some(vec![UserId::new(v.clone())])
        }
        ValFilter::Or(operands) => {
            let mut ids = Vec::new();
            for operand in operands.iter() {
                ids.extend(value_filter_ids(operand)?);
            }
            Some(ids)
        }
        _ => None,
    }
}

/// How one operation bears on members.
#[derive(Debug, Clone)]
enum MemberOp {
    /// It does not touch members.
    None,
    /// A plain add or remove of listed users.
    Add(Vec<UserId>),
    Remove(Vec<UserId>),
    /// Anything else on members (replace, remove all, other filters).
    NeedsMembers,
}

fn classify(operation: &Operation) -> Result<MemberOp, ScimError> {
    match (&operation.path, operation.op) {
        (None, _) => {
            let touches = operation
                .value
                .as_ref()
                .and_then(Value::as_object)
                .is_some_and(|m| {
                    m.keys().any(|k| {
                        let (uri, name) = match k.rsplit_once(':') {
                            Some((uri, name)) => (Some(uri), name),
                            None => (None, k.as_str()),
                        };
                        is_members(name, uri)
                    })
                });
            Ok(if touches {
                MemberOp::NeedsMembers
            } else {
                MemberOp::None
            })
        }
        (Some(PatchPath::Attr(path)), op) if is_members(&path.name, path.uri.as_deref()) => {
            match (op, &operation.value, &path.sub_attr) {
                (Op::Add, Some(value), None) => Ok(MemberOp::Add(member_ids(value)?)),
                // Entra's flag-off removal names the members in the value.
                (Op::Remove, Some(value), None) if !value.is_null() => {
                    Ok(MemberOp::Remove(member_ids(value)?))
                }
                _ => Ok(MemberOp::NeedsMembers),
            }
        }
        (Some(PatchPath::Value(vp)), Op::Remove)
            if is_members(&vp.attr.name, vp.attr.uri.as_deref()) && vp.sub_attr.is_none() =>
        {
            Ok(match value_filter_ids(&vp.filter) {
                Some(ids) => MemberOp::Remove(ids),
                None => MemberOp::NeedsMembers,
            })
        }
        (Some(PatchPath::Value(vp)), _) if is_members(&vp.attr.name, vp.attr.uri.as_deref()) => {
            Ok(MemberOp::NeedsMembers)
        }
        _ => Ok(MemberOp::None),
    }
}

impl GroupPatch {
    /// Classifies a parsed PATCH request's operations.
    pub fn new(request: PatchRequest) -> Result<Self, ScimError> {
        let operations = request
            .operations
            .into_iter()
            .map(|operation| {
                let kind = classify(&operation)?;
                Ok((operation, kind))
            })
            .collect::<Result<_, ScimError>>()?;
        Ok(Self { operations })
    }

    /// Whether applying it needs the group's current members: only plain
    /// adds and removes of listed users (Entra's and Okta's shapes) do not.
    pub fn needs_members(&self) -> bool {
        self.operations
            .iter()
            .any(|(_, kind)| matches!(kind, MemberOp::NeedsMembers))
    }

    /// Applies the operations in order to `current` (which has members when
    /// [`Self::needs_members`] says so). Plain adds and removes have the same
    /// meaning either way; without the members they become a delta.
    /// Renaming is refused: see [`check_rename`].
    pub fn apply<H>(&self, current: &StoredGroup<H>) -> Result<PatchOutcome, ScimError> {
        let with_members = self.needs_members();
        let before = current.member_ids();
        let mut doc = document(
            &current.group,
            &current.id,
            with_members.then_some(current.members.as_deref().unwrap_or_default()),
        );
        let mut delta = MemberChange::default();
        for (operation, kind) in &self.operations {
            match (kind, with_members) {
                (MemberOp::Add(ids), false) => delta.add(ids.clone()),
                (MemberOp::Remove(ids), false) => delta.remove(ids.clone()),
                (MemberOp::Add(ids), true) => {
                    let mut members = doc_members(&doc)?;
                    for id in ids {
                        if !members.contains(id) {
                            members.push(id.clone());
                        }
                    }
                    set_doc_members(&mut doc, &members);
                }
                (MemberOp::Remove(ids), true) => {
                    let mut members = doc_members(&doc)?;
                    members.retain(|m| !ids.contains(m));
                    set_doc_members(&mut doc, &members);
                }
                (MemberOp::None | MemberOp::NeedsMembers, _) => PatchRequest {
                    operations: vec![operation.clone()],
                }
                .apply(&mut doc, &GROUP_RESOURCE)?,
            }
        }
        let input = GroupInput::from_scim(&Value::Object(doc))?;
        check_rename(&current.group, &input.group)?;
        let members = match with_members {
            true => MemberChange::between(&before, &input.members.unwrap_or_default()),
            false => delta,
        };
        Ok(PatchOutcome {
            group: input.group,
            members,
        })
    }
}

/// The member ids in a PATCH document (a malformed list, left by an
/// earlier operation, is the client's error, not an empty group).
fn doc_members(doc: &Map<String, Value>) -> Result<Vec<UserId>, ScimError> {
    member(doc, "members").map_or(Ok(Vec::new()), member_ids)
}

fn set_doc_members(doc: &mut Map<String, Value>, members: &[UserId]) {
    doc.retain(|k, _| !k.eq_ignore_ascii_case("members"));
    doc.insert(
        "members".into(),
        members
            .iter()
            .map(|m| json!({"value": m.as_str(), "type": "User"}))
            .collect(),
    );
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
mod tests {
    use super::*;

    fn stored(members: Option<&[&str]>) -> StoredGroup {
        StoredGroup {
            id: GroupId::new("g1"),
            group: Group {
                display_name: "Sales".into(),
                external_id: None,
            },
            members: members.map(|m| {
                m.iter()
                    .map(|v| Member {
                        value: UserId::new(*v),
                    })
                    .collect()
            }),
            created: None,
            last_modified: None,
            handle: (),
        }
    }

    fn patch(ops: Value) -> GroupPatch {
        let request = PatchRequest::parse(&json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": ops,
        }))
        .unwrap();
        GroupPatch::new(request).unwrap()
    }

    fn ids(v: &[&str]) -> Vec<UserId> {
        v.iter().map(|s| UserId::new(*s)).collect()
    }

    #[test]
    fn entra_and_okta_member_shapes_need_no_member_read() {
        let p = patch(json!([
            {"op": "Add", "path": "members", "value": [{"$ref": null, "value": "u1"}, {"value": "u2"}]},
            {"op": "Remove", "path": "members", "value": [{"value": "u3"}]},
            {"op": "remove", "path": "members[value eq \"u4\"]"},
            {"op": "replace", "value": {"id": "g1", "displayName": "Sales"}},
        ]));
        assert!(!p.needs_members());
        let out = p.apply(&stored(None)).unwrap();
        assert_eq!(out.members.add, ids(&["u1", "u2"]));
        assert_eq!(out.members.remove, ids(&["u3", "u4"]));
        assert_eq!(out.group.display_name, "Sales");
    }

    #[test]
    fn a_later_operation_wins_over_an_earlier_one() {
        let p = patch(json!([
            {"op": "add", "path": "members", "value": [{"value": "u1"}]},
            {"op": "remove", "path": "members[value eq \"u1\" or value eq \"u2\"]"},
        ]));
        let out = p.apply(&stored(None)).unwrap();
        assert!(out.members.add.is_empty());
        assert_eq!(out.members.remove, ids(&["u1", "u2"]));
    }

    #[test]
    fn replace_and_remove_all_read_members_first() {
        let p =
            patch(json!([{"op": "replace", "path": "members", "value": [{"value": "u2"}, {"value": "u3"}]}]));
        assert!(p.needs_members());
        let out = p.apply(&stored(Some(&["u1", "u2"]))).unwrap();
        assert_eq!(out.members.add, ids(&["u3"]));
        assert_eq!(out.members.remove, ids(&["u1"]));
        let p = patch(json!([{"op": "remove", "path": "members"}]));
        let out = p.apply(&stored(Some(&["u1", "u2"]))).unwrap();
        assert_eq!(out.members.remove, ids(&["u1", "u2"]));
        let p = patch(json!([{"op": "add", "value": {"members": [{"value": "u9"}]}}]));
        assert!(p.needs_members());
        assert_eq!(p.apply(&stored(Some(&["u1"]))).unwrap().members.add, ids(&["u9"]));
    }

    #[test]
    fn a_listed_removal_means_the_same_with_or_without_the_members() {
        // Entra's flag-off removal next to an operation that needs the
        // members: only the listed member leaves.
        let p = patch(json!([
            {"op": "Remove", "path": "members", "value": [{"value": "u1"}]},
            {"op": "add", "value": {"urn:ietf:params:scim:schemas:core:2.0:Group:members": [{"value": "u3"}]}},
        ]));
        assert!(p.needs_members());
        let out = p.apply(&stored(Some(&["u1", "u2"]))).unwrap();
        assert_eq!(out.members.remove, ids(&["u1"]));
        assert_eq!(out.members.add, ids(&["u3"]));
        let p = patch(json!([{"op": "remove", "path": "members[type eq \"User\" and value eq \"u2\"]"}]));
        assert_eq!(
            p.apply(&stored(Some(&["u1", "u2"]))).unwrap().members.remove,
            ids(&["u2"])
        );
    }

    #[test]
    fn a_bad_member_list_is_refused_not_read_as_empty() {
        let p = patch(json!([
            {"op": "replace", "path": "members", "value": [{"value": "g1", "type": "Group"}]},
            {"op": "add", "path": "members", "value": [{"value": "u2"}]},
        ]));
        let err = p.apply(&stored(Some(&["u1"]))).unwrap_err();
        assert_eq!(err.status().as_u16(), 400);
    }

    #[test]
    fn renames_are_refused_and_the_same_name_is_not_a_rename() {
        let p = patch(json!([{"op": "Replace", "path": "displayName", "value": "Support"}]));
        let err = p.apply(&stored(None)).unwrap_err();
        assert_eq!(err.scim_type(), Some(crate::error::ScimType::Mutability));
        let p = patch(json!([{"op": "replace", "path": "displayName", "value": "SALES"}]));
        assert!(p.apply(&stored(None)).is_ok());
        let p = patch(json!([{"op": "replace", "path": "externalId", "value": "e-1"}]));
        assert_eq!(
            p.apply(&stored(None)).unwrap().group.external_id.as_deref(),
            Some("e-1")
        );
    }

    #[test]
    fn bodies_and_member_values_are_checked() {
        let input = GroupInput::from_scim(&json!({
            "schemas": [GROUP_URN, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
            "externalId": "e", "displayName": "Sales", "meta": {"resourceType": "Group"},
        }))
        .unwrap();
        assert_eq!(input.members, None);
        assert_eq!(input.group.external_id.as_deref(), Some("e"));
        for bad in [
            json!({}),
            json!({"displayName": " "}),
            json!({"displayName": 5}),
            json!({"displayName": "a", "members": "u1"}),
            json!({"displayName": "a", "members": [{"display": "x"}]}),
            json!({"displayName": "a", "members": [{"value": "g", "type": "Group"}]}),
        ] {
            assert_eq!(
                GroupInput::from_scim(&bad).unwrap_err().status().as_u16(),
                400,
                "{bad}"
            );
        }
    }

    #[test]
    fn prints_members_with_references() {
        let json = stored(Some(&["u1"])).to_scim("https://h/scim/v2");
        assert_eq!(json["members"][0]["$ref"], "https://h/scim/v2/Users/u1");
        assert_eq!(json["meta"]["location"], "https://h/scim/v2/Groups/g1");
        assert!(stored(None).to_scim("x").get("members").is_none());
    }
}
