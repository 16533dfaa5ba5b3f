//! The PATCH engine (RFC 7644 §3.5.2), driven by the schema tables rather
//! than by per-IdP branches.
//!
//! Operations apply in order to the resource's JSON representation; the
//! result is then read back through the resource's one parser, so a PATCH
//! can never produce a state a PUT could not. Paths are parsed by the
//! `scim_v2` crate's RFC grammar.
//!
//! Choices where the RFC leaves room, each one what Entra ID and Okta need:
//! - `op` is case-insensitive (`"Replace"`), and an empty `path` is no path.
//! - A value filter that matches nothing on `add`/`replace` creates the
//!   element when the filter is a plain `eq` test (or an `and` of them), e.g.
//!   `emails[type eq "work"].value`; other filters answer `noTarget`.
//! - Attributes RFC 7643 defines but this service does not store (title,
//!   addresses, …) are accepted and ignored; unknown names are `invalidPath`.

mod apply;
mod target;
mod value_filter;

use scim_v2::filter::PatchPath;
use serde_json::{Map, Value};

use crate::error::{ScimError, ScimType};
use crate::schema::{PATCH_URN, ResourceSchema, member};

/// A POST or PUT body some of whose member names are filtered paths
/// (`emails[type eq "work"].value`, or an extension's
/// `urn:…:channelConfigs[channel eq "CHAT"].autoAccept`, as an IdP may send
/// a value it maps to such a path), with those members turned into the
/// attributes they name, exactly as a PATCH `add` of each would.
pub fn expand_filtered_members(
    root: &Map<String, Value>,
    schema: &ResourceSchema,
) -> Result<Map<String, Value>, ScimError> {
    let mut plain = Map::new();
    let mut operations = Vec::new();
    for (name, value) in root {
        if name.contains('[') {
            operations.push(serde_json::json!({"op": "add", "path": name, "value": value}));
            continue;
        }
        // Inside an extension's object too: `{"urn:…:User": {"a[b eq
        // \"c\"].d": v}}` is the member `urn:…:User:a[b eq "c"].d`.
        let Value::Object(extension) = value else {
            plain.insert(name.clone(), value.clone());
            continue;
        };
        let mut kept = Map::new();
        for (member, inner) in extension {
            if name.starts_with("urn:") && member.contains('[') {
                let path = format!("{name}:{member}");
                operations.push(serde_json::json!({"op": "add", "path": path, "value": inner}));
            } else {
                kept.insert(member.clone(), inner.clone());
            }
        }
        plain.insert(name.clone(), Value::Object(kept));
    }
    let body = serde_json::json!({"schemas": [PATCH_URN], "Operations": operations});
    PatchRequest::parse(&body)?.apply(&mut plain, schema)?;
    Ok(plain)
}

/// `add`, `replace` or `remove`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Adds values (appends to multi-valued attributes).
    Add,
    /// Replaces values.
    Replace,
    /// Removes values.
    Remove,
}

/// One PATCH operation, parsed.
#[derive(Debug, Clone)]
pub struct Operation {
    /// What to do.
    pub op: Op,
    /// Where; `None` means the value names its attributes.
    pub path: Option<PatchPath>,
    /// The raw path, for messages.
    pub raw_path: Option<String>,
    /// The value (required for add and replace).
    pub value: Option<Value>,
}

/// A parsed `PatchOp` request body.
#[derive(Debug, Clone)]
pub struct PatchRequest {
    /// The operations, in order.
    pub operations: Vec<Operation>,
}

impl PatchRequest {
    /// Reads a PatchOp body.
    pub fn parse(body: &Value) -> Result<Self, ScimError> {
        let Value::Object(root) = body else {
            return Err(ScimError::invalid_syntax("A PATCH body must be a JSON object"));
        };
        if let Some(schemas) = member(root, "schemas") {
            let ok = schemas.as_array().is_some_and(|s| {
                s.iter()
                    .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case(PATCH_URN)))
            });
            if !ok {
                return Err(ScimError::invalid_syntax(format!(
                    "schemas must contain {PATCH_URN}"
                )));
            }
        }
        let Some(Value::Array(raw_ops)) = member(root, "Operations") else {
            return Err(ScimError::invalid_syntax(
                "Operations must be an array of operations",
            ));
        };
        if raw_ops.is_empty() {
            return Err(ScimError::invalid_syntax("Operations must not be empty"));
        }
        let operations = raw_ops.iter().map(parse_operation).collect::<Result<_, _>>()?;
        Ok(Self { operations })
    }

    /// Applies every operation to `resource` (all or nothing: on error the
    /// caller discards the copy).
    pub fn apply(&self, resource: &mut Map<String, Value>, schema: &ResourceSchema) -> Result<(), ScimError> {
        for operation in &self.operations {
            apply::apply_operation(resource, schema, operation)?;
        }
        Ok(())
    }
}

fn parse_operation(raw: &Value) -> Result<Operation, ScimError> {
    let Value::Object(map) = raw else {
        return Err(ScimError::invalid_syntax("Each operation must be a JSON object"));
    };
    let op = match member(map, "op")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("add") => Op::Add,
        Some("replace") => Op::Replace,
        Some("remove") => Op::Remove,
        other => {
            return Err(ScimError::invalid_syntax(format!(
                "op must be add, replace or remove, not {}",
                other.unwrap_or("missing")
            )));
        }
    };
    let raw_path = match member(map, "path") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(other) => {
            return Err(ScimError::invalid_path(format!(
                "path must be a string, not {other}"
            )));
        }
    };
    let path = raw_path.as_deref().map(parse_path).transpose()?;
    let value = member(map, "value").cloned();
    if op != Op::Remove && value.is_none() {
        return Err(ScimError::invalid_syntax(
            "add and replace operations need a value",
        ));
    }
    if op == Op::Remove && path.is_none() {
        return Err(ScimError::bad_request(
            ScimType::NoTarget,
            "remove operations need a path",
        ));
    }
    Ok(Operation {
        op,
        path,
        raw_path,
        value,
    })
}

fn parse_path(raw: &str) -> Result<PatchPath, ScimError> {
    raw.parse::<PatchPath>()
        .map_err(|e| ScimError::invalid_path(format!("The path {raw:?} is not a valid SCIM path: {e}")))
}

#[cfg(test)]
mod tests;
