//! How a group PATCH becomes a change of members. Entra ID and Okta add
//! and remove listed users; those operations need no read of the current
//! members (a costly user search in Connect) and become a delta. Anything
//! else on members is applied to the full list.

use scim_v2::filter::{AttrExp, CompValue, CompareOp, PatchPath, ValFilter};
use serde_json::{Map, Value, json};

use super::{Group, GroupInput, MemberChange, StoredGroup, check_rename, document, member_ids};
use crate::error::ScimError;
use crate::patch::{Op, Operation, PatchRequest};
use crate::schema::{GROUP_RESOURCE, GROUP_URN, member};
use crate::user::UserId;

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
    /// Reads a PatchOp body (see [`PatchRequest::parse`]) and classifies
    /// its operations.
    pub fn parse(body: &Value) -> Result<Self, ScimError> {
        Self::new(PatchRequest::parse(body)?)
    }

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
