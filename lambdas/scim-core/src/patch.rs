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

use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, PatchPath, ValFilter};
use serde_json::{Map, Value};

use crate::error::{ScimError, ScimType};
use crate::schema::{AttrType, Attribute, Mutability, PATCH_URN, ResourceSchema, Schema, member};

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
            apply_operation(resource, schema, operation)?;
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

/// Where a path points.
#[derive(Debug, Clone, Copy)]
enum Container {
    Core,
    Extension(&'static Schema),
}

#[derive(Debug)]
struct Target {
    container: Container,
    attr: &'static Attribute,
    sub: Option<&'static Attribute>,
    filter: Option<ValFilter>,
}

/// The result of resolving a path against the schema.
#[derive(Debug)]
enum Resolved {
    Target(Target),
    /// The whole extension object (path is just the extension URN).
    Extension(&'static Schema),
    /// An attribute we accept and drop.
    Ignored,
}

fn resolve(schema: &ResourceSchema, path: &PatchPath, raw: &str) -> Result<Resolved, ScimError> {
    if let Some(ext) = schema.extension(raw) {
        return Ok(Resolved::Extension(ext));
    }
    let (attr_path, filter, sub_after) = match path {
        PatchPath::Attr(a) => (a, None, None),
        PatchPath::Value(v) => (&v.attr, Some(v.filter.clone()), v.sub_attr.as_deref()),
    };
    let unknown = || {
        ScimError::invalid_path(format!(
            "The path {raw:?} names no attribute of the {} resource (see /Schemas)",
            schema.name
        ))
    };
    let (container, attr) = match attr_path.uri.as_deref() {
        None => (Container::Core, schema.core_attribute(&attr_path.name)),
        Some(uri) if uri.eq_ignore_ascii_case(schema.core.id) => {
            (Container::Core, schema.core_attribute(&attr_path.name))
        }
        Some(uri) => match schema.extension(uri) {
            Some(ext) => (Container::Extension(ext), ext.attribute(&attr_path.name)),
            None => return Err(unknown()),
        },
    };
    let Some(attr) = attr else {
        return if schema.is_ignored(&attr_path.name) {
            Ok(Resolved::Ignored)
        } else {
            Err(unknown())
        };
    };
    if filter.is_some() && !(attr.multi_valued && attr.kind == AttrType::Complex) {
        return Err(ScimError::invalid_path(format!(
            "{raw:?}: only multi-valued complex attributes take a value filter"
        )));
    }
    let sub_name = attr_path.sub_attr.as_deref().or(sub_after);
    let sub = match sub_name {
        None => None,
        Some(name) => match attr.sub_attribute(name) {
            Some(sub) => Some(sub),
            None if schema.is_ignored(name) => return Ok(Resolved::Ignored),
            None => return Err(unknown()),
        },
    };
    Ok(Resolved::Target(Target {
        container,
        attr,
        sub,
        filter,
    }))
}

fn container_mut(resource: &mut Map<String, Value>, container: Container) -> &mut Map<String, Value> {
    match container {
        Container::Core => resource,
        Container::Extension(ext) => {
            let key = existing_key(resource, ext.id).unwrap_or_else(|| ext.id.to_owned());
            ensure_object(resource.entry(key).or_insert(Value::Null))
        }
    }
}

/// Makes `slot` an object (keeping it when it is one) and returns it.
fn ensure_object(slot: &mut Value) -> &mut Map<String, Value> {
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    match slot {
        Value::Object(map) => map,
        _ => unreachable!("the slot was made an object just above"),
    }
}

fn existing_key(map: &Map<String, Value>, name: &str) -> Option<String> {
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

/// Sets `map[name]`, replacing any differently-cased spelling.
fn set(map: &mut Map<String, Value>, name: &str, value: Value) {
    if let Some(old) = existing_key(map, name) {
        map.remove(&old);
    }
    if !value.is_null() {
        map.insert(name.to_owned(), value);
    }
}

fn get_mut<'a>(map: &'a mut Map<String, Value>, name: &str) -> Option<&'a mut Value> {
    let key = existing_key(map, name)?;
    map.get_mut(&key)
}

fn apply_operation(
    resource: &mut Map<String, Value>,
    schema: &ResourceSchema,
    operation: &Operation,
) -> Result<(), ScimError> {
    let (Some(path), Some(raw)) = (&operation.path, &operation.raw_path) else {
        // Pathless add/replace: the value is an object of attribute → value.
        let Some(Value::Object(values)) = &operation.value else {
            return Err(ScimError::invalid_value(
                "Without a path, the value must be an object of attributes",
            ));
        };
        return apply_pathless(resource, schema, operation.op, values);
    };
    match resolve(schema, path, raw)? {
        Resolved::Ignored => Ok(()),
        Resolved::Extension(ext) => {
            if operation.op == Op::Remove {
                if let Some(key) = existing_key(resource, ext.id) {
                    resource.remove(&key);
                }
                return Ok(());
            }
            let Some(Value::Object(values)) = &operation.value else {
                return Err(ScimError::invalid_value(format!(
                    "The value for {raw:?} must be an object"
                )));
            };
            apply_extension_object(resource, schema, ext, operation.op, values)
        }
        Resolved::Target(target) => {
            apply_target(resource, &target, operation.op, operation.value.as_ref(), raw)
        }
    }
}

fn apply_pathless(
    resource: &mut Map<String, Value>,
    schema: &ResourceSchema,
    op: Op,
    values: &Map<String, Value>,
) -> Result<(), ScimError> {
    for (key, value) in values {
        if key.eq_ignore_ascii_case("schemas") {
            continue;
        }
        if let Some(ext) = schema.extension(key) {
            let Value::Object(inner) = value else {
                return Err(ScimError::invalid_value(format!(
                    "The value for {key:?} must be an object"
                )));
            };
            apply_extension_object(resource, schema, ext, op, inner)?;
            continue;
        }
        let path = parse_path(key)?;
        match resolve(schema, &path, key)? {
            Resolved::Ignored => {}
            Resolved::Extension(ext) => {
                let Value::Object(inner) = value else {
                    return Err(ScimError::invalid_value(format!(
                        "The value for {key:?} must be an object"
                    )));
                };
                apply_extension_object(resource, schema, ext, op, inner)?;
            }
            Resolved::Target(target) => {
                // Read-only attributes echoed back unchanged (Okta sends `id`) are harmless.
                let current = member(resource, target.attr.name);
                if target.attr.mutability == Mutability::ReadOnly && current == Some(value) {
                    continue;
                }
                apply_target(resource, &target, op, Some(value), key)?;
            }
        }
    }
    Ok(())
}

fn apply_extension_object(
    resource: &mut Map<String, Value>,
    schema: &ResourceSchema,
    ext: &'static Schema,
    op: Op,
    values: &Map<String, Value>,
) -> Result<(), ScimError> {
    for (name, value) in values {
        let Some(attr) = ext.attribute(name) else {
            if schema.is_ignored(name) || name.eq_ignore_ascii_case("schemas") {
                continue;
            }
            return Err(ScimError::invalid_path(format!(
                "{}:{name} is not an attribute of {}",
                ext.id, ext.id
            )));
        };
        let target = Target {
            container: Container::Extension(ext),
            attr,
            sub: None,
            filter: None,
        };
        apply_target(resource, &target, op, Some(value), name)?;
    }
    Ok(())
}

fn apply_target(
    resource: &mut Map<String, Value>,
    target: &Target,
    op: Op,
    value: Option<&Value>,
    raw: &str,
) -> Result<(), ScimError> {
    let attr = target.attr;
    match attr.mutability {
        Mutability::ReadOnly => {
            return Err(ScimError::mutability(format!("{} is read-only", attr.name)));
        }
        Mutability::Immutable if op == Op::Remove => {
            return Err(ScimError::mutability(format!("{} cannot be removed", attr.name)));
        }
        // Changing an immutable value is refused by the caller, which compares
        // the outcome with the stored resource; setting the same value is fine.
        Mutability::Immutable | Mutability::ReadWrite | Mutability::WriteOnly => {}
    }
    let container = container_mut(resource, target.container);
    let value = value.cloned().unwrap_or(Value::Null);
    if attr.multi_valued {
        return apply_multi(container, target, op, value, raw);
    }
    match (op, target.sub) {
        (Op::Remove, None) => set(container, attr.name, Value::Null),
        (Op::Remove, Some(sub)) => {
            if let Some(Value::Object(inner)) = get_mut(container, attr.name) {
                set(inner, sub.name, Value::Null);
            }
        }
        (_, Some(sub)) => {
            let slot = complex_slot(container, attr.name);
            set(slot, sub.name, value);
        }
        (_, None) if attr.kind == AttrType::Complex => {
            let Value::Object(values) = value else {
                if value.is_null() && op == Op::Replace {
                    set(container, attr.name, Value::Null);
                    return Ok(());
                }
                return Err(ScimError::invalid_value(format!(
                    "The value for {raw:?} must be an object"
                )));
            };
            // RFC 7644 §3.5.2.1/3: sub-attributes in the value replace or add;
            // the others are left unchanged.
            let slot = complex_slot(container, attr.name);
            for (name, v) in values {
                // Unknown sub-attributes (e.g. name.formatted) are accepted, not stored.
                if let Some(sub) = attr.sub_attribute(&name) {
                    set(slot, sub.name, v);
                }
            }
        }
        (_, None) => set(container, attr.name, value),
    }
    Ok(())
}

fn complex_slot<'a>(container: &'a mut Map<String, Value>, name: &str) -> &'a mut Map<String, Value> {
    let key = existing_key(container, name).unwrap_or_else(|| name.to_owned());
    ensure_object(container.entry(key).or_insert(Value::Null))
}

fn as_items(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        single => vec![single],
    }
}

fn apply_multi(
    container: &mut Map<String, Value>,
    target: &Target,
    op: Op,
    value: Value,
    raw: &str,
) -> Result<(), ScimError> {
    let attr = target.attr;
    let mut items: Vec<Value> = match get_mut(container, attr.name).map(Value::take) {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(single) => vec![single],
    };
    let mut touched: Vec<usize> = Vec::new();
    match (&target.filter, target.sub, op) {
        (None, None, Op::Remove) => items.clear(),
        (None, None, Op::Replace) => {
            items = as_items(value);
            touched = (0..items.len()).collect();
        }
        (None, None, Op::Add) => {
            let start = items.len();
            items.extend(as_items(value));
            touched = (start..items.len()).collect();
        }
        (None, Some(sub), _) => {
            if items.is_empty() && op != Op::Remove {
                items.push(Value::Object(Map::new()));
            }
            for (i, item) in items.iter_mut().enumerate() {
                if let Value::Object(map) = item {
                    set(
                        map,
                        sub.name,
                        if op == Op::Remove {
                            Value::Null
                        } else {
                            value.clone()
                        },
                    );
                    touched.push(i);
                }
            }
        }
        (Some(filter), sub, _) => {
            let matching: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(_, item)| item.as_object().is_some_and(|m| matches(filter, m)))
                .map(|(i, _)| i)
                .collect();
            if op == Op::Remove {
                match sub {
                    None => {
                        let mut i = 0;
                        items.retain(|_| {
                            let keep = !matching.contains(&i);
                            i += 1;
                            keep
                        });
                    }
                    Some(sub) => {
                        for &i in &matching {
                            if let Some(Value::Object(map)) = items.get_mut(i) {
                                set(map, sub.name, Value::Null);
                            }
                        }
                    }
                }
            } else if matching.is_empty() {
                let Some(mut element) = equality_element(filter) else {
                    return Err(ScimError::bad_request(
                        ScimType::NoTarget,
                        format!("The filter in {raw:?} matched no value"),
                    ));
                };
                merge_into(&mut element, sub, value, raw)?;
                items.push(Value::Object(element));
                touched.push(items.len() - 1);
            } else {
                for &i in &matching {
                    if let Some(Value::Object(map)) = items.get_mut(i) {
                        if sub.is_none() && op == Op::Replace {
                            map.clear();
                        }
                        merge_into(map, sub, value.clone(), raw)?;
                        touched.push(i);
                    }
                }
            }
        }
    }
    keep_one_primary(&mut items, &touched);
    set(
        container,
        attr.name,
        if items.is_empty() {
            Value::Null
        } else {
            Value::Array(items)
        },
    );
    Ok(())
}

fn merge_into(
    element: &mut Map<String, Value>,
    sub: Option<&Attribute>,
    value: Value,
    raw: &str,
) -> Result<(), ScimError> {
    match (sub, value) {
        (Some(sub), value) => set(element, sub.name, value),
        (None, Value::Object(values)) => {
            for (k, v) in values {
                set(element, &k, v);
            }
        }
        (None, _) => {
            return Err(ScimError::invalid_value(format!(
                "The value for {raw:?} must be an object"
            )));
        }
    }
    Ok(())
}

/// RFC 7643 §2.4: at most one `primary: true`; the newest one wins.
fn keep_one_primary(items: &mut [Value], touched: &[usize]) {
    let is_primary = |v: &Value| {
        v.as_object()
            .and_then(|m| member(m, "primary"))
            .is_some_and(|p| crate::user::boolean(p, "primary").unwrap_or(false))
    };
    let Some(&winner) = touched
        .iter()
        .rev()
        .find(|&&i| items.get(i).is_some_and(is_primary))
    else {
        return;
    };
    for (i, item) in items.iter_mut().enumerate() {
        if i != winner
            && is_primary(item)
            && let Value::Object(map) = item
        {
            set(map, "primary", Value::Bool(false));
        }
    }
}

/// The element a plain equality filter describes: `type eq "work"` → `{"type": "work"}`.
fn equality_element(filter: &ValFilter) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    let mut add = |f: &ValFilter| -> Option<()> {
        let ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, value)) = f else {
            return None;
        };
        let value = match value {
            CompValue::Str(s) => Value::String(s.clone()),
            CompValue::True => Value::Bool(true),
            CompValue::False => Value::Bool(false),
            CompValue::Number(n) => Value::Number(n.clone()),
            CompValue::Null => return None,
        };
        out.insert(path.name.clone(), value);
        Some(())
    };
    match filter {
        ValFilter::And(items) => {
            for item in items.iter() {
                add(item)?;
            }
        }
        single => add(single)?,
    }
    Some(out)
}

fn attr_value<'a>(element: &'a Map<String, Value>, path: &AttrPath) -> Option<&'a Value> {
    member(element, &path.name).filter(|v| !v.is_null())
}

/// Evaluates a value filter against one element of a multi-valued attribute.
fn matches(filter: &ValFilter, element: &Map<String, Value>) -> bool {
    match filter {
        ValFilter::Not(inner) => !matches(inner, element),
        ValFilter::And(items) => items.iter().all(|f| matches(f, element)),
        ValFilter::Or(items) => items.iter().any(|f| matches(f, element)),
        ValFilter::Attr(AttrExp::Present(path)) => {
            attr_value(element, path).is_some_and(|v| v.as_str() != Some(""))
        }
        ValFilter::Attr(AttrExp::Comparison(path, op, expected)) => {
            compare(attr_value(element, path), op, expected)
        }
    }
}

fn compare(actual: Option<&Value>, op: &CompareOp, expected: &CompValue) -> bool {
    let actual_bool = actual.and_then(|v| crate::user::boolean(v, "").ok());
    match (expected, op) {
        (CompValue::Null, CompareOp::Eq) => actual.is_none(),
        (CompValue::Null, CompareOp::Ne) => actual.is_some(),
        (CompValue::True | CompValue::False, CompareOp::Eq | CompareOp::Ne) => {
            let want = matches!(expected, CompValue::True);
            // An absent boolean is false (RFC 7643 §2.3.2 for `primary`).
            let equal = actual_bool.unwrap_or(false) == want;
            equal == (*op == CompareOp::Eq)
        }
        (CompValue::Str(want), _) => {
            let Some(have) = actual.and_then(Value::as_str) else {
                return *op == CompareOp::Ne;
            };
            // Sub-attributes of the multi-valued attributes we keep are caseExact: false.
            let (have, want) = (have.to_lowercase(), want.to_lowercase());
            match op {
                CompareOp::Eq => have == want,
                CompareOp::Ne => have != want,
                CompareOp::Co => have.contains(&want),
                CompareOp::Sw => have.starts_with(&want),
                CompareOp::Ew => have.ends_with(&want),
                CompareOp::Gt => have > want,
                CompareOp::Ge => have >= want,
                CompareOp::Lt => have < want,
                CompareOp::Le => have <= want,
            }
        }
        (CompValue::Number(want), op) => {
            let (Some(have), Some(want)) = (actual.and_then(Value::as_f64), want.as_f64()) else {
                return false;
            };
            match op {
                CompareOp::Eq => have == want,
                CompareOp::Ne => have != want,
                CompareOp::Gt => have > want,
                CompareOp::Ge => have >= want,
                CompareOp::Lt => have < want,
                CompareOp::Le => have <= want,
                CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
            }
        }
        (CompValue::Null | CompValue::True | CompValue::False, _) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ENTERPRISE_URN, USER_RESOURCE};
    use serde_json::json;

    fn patch(resource: Value, body: Value) -> Result<Value, ScimError> {
        let Value::Object(mut map) = resource else {
            panic!()
        };
        PatchRequest::parse(&body)?.apply(&mut map, &USER_RESOURCE)?;
        Ok(Value::Object(map))
    }

    fn ops(ops: Value) -> Value {
        json!({"schemas": [PATCH_URN], "Operations": ops})
    }

    fn ann() -> Value {
        json!({
            "userName": "ann", "active": true,
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "ann@work.com", "type": "work", "primary": true}],
        })
    }

    #[test]
    fn simple_and_sub_attribute_paths() {
        let out = patch(
            ann(),
            ops(json!([
                {"op": "Replace", "path": "displayName", "value": "Ann L"},
                {"op": "replace", "path": "name.givenName", "value": "Anne"},
                {"op": "remove", "path": "name.familyName"},
                {"op": "add", "path": "externalId", "value": "e-1"},
            ])),
        )
        .unwrap();
        assert_eq!(out["displayName"], "Ann L");
        assert_eq!(out["name"], json!({"givenName": "Anne"}));
        assert_eq!(out["externalId"], "e-1");
    }

    #[test]
    fn entra_flag_off_shapes() {
        let out = patch(ann(), ops(json!([
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "new@work.com"},
            {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Sales"},
            {"op": "Add", "path": "title", "value": "ignored"},
            {"op": "Replace", "path": "name.formatted", "value": "ignored"},
        ]))).unwrap();
        assert_eq!(out["active"], "False");
        assert_eq!(out["emails"][0]["value"], "new@work.com");
        assert_eq!(out[ENTERPRISE_URN]["department"], "Sales");
        assert!(out.get("title").is_none());
    }

    #[test]
    fn entra_flag_on_and_okta_pathless_values() {
        let out = patch(
            ann(),
            ops(json!([
                {"op": "replace", "value": {
                    "active": false,
                    "name.familyName": "Smith",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Support",
                    "emails[type eq \"work\"].value": "w@work.com",
                }},
            ])),
        )
        .unwrap();
        assert_eq!(out["active"], false);
        assert_eq!(out["name"]["familyName"], "Smith");
        assert_eq!(out["name"]["givenName"], "Ann");
        assert_eq!(out[ENTERPRISE_URN]["department"], "Support");
        assert_eq!(out["emails"][0]["value"], "w@work.com");

        let out = patch(
            ann(),
            ops(json!([{"op": "replace", "value": {ENTERPRISE_URN: {"department": "X"}, "id": null}}])),
        );
        assert_eq!(out.unwrap_err().scim_type(), Some(ScimType::Mutability));
    }

    #[test]
    fn filter_that_matches_nothing_creates_or_fails() {
        let out = patch(
            ann(),
            ops(json!([
                {"op": "replace", "path": "emails[type eq \"home\"].value", "value": "h@home.com"},
            ])),
        )
        .unwrap();
        assert_eq!(out["emails"][1], json!({"type": "home", "value": "h@home.com"}));
        let err = patch(
            ann(),
            ops(json!([
                {"op": "replace", "path": "emails[value co \"nomatch\"].value", "value": "x"},
            ])),
        )
        .unwrap_err();
        assert_eq!(err.scim_type(), Some(ScimType::NoTarget));
    }

    #[test]
    fn remove_filtered_values_and_whole_attributes() {
        let out = patch(
            ann(),
            ops(json!([{"op": "remove", "path": "emails[type eq \"WORK\"]"}])),
        )
        .unwrap();
        assert!(out.get("emails").is_none());
        let out = patch(ann(), ops(json!([{"op": "remove", "path": "name"}]))).unwrap();
        assert!(out.get("name").is_none());
    }

    #[test]
    fn add_appends_and_primary_stays_unique() {
        let out = patch(
            ann(),
            ops(json!([
                {"op": "add", "path": "emails", "value": [{"value": "b@x.com", "primary": true}]},
            ])),
        )
        .unwrap();
        assert_eq!(out["emails"][0]["primary"], false);
        assert_eq!(out["emails"][1]["primary"], true);
    }

    #[test]
    fn errors_carry_the_rfc_scim_types() {
        let cases = [
            (json!({"Operations": []}), ScimType::InvalidSyntax),
            (
                json!({"schemas": ["urn:wrong"], "Operations": [{"op": "add", "path": "a", "value": 1}]}),
                ScimType::InvalidSyntax,
            ),
            (
                ops(json!([{"op": "merge", "path": "displayName", "value": "x"}])),
                ScimType::InvalidSyntax,
            ),
            (
                ops(json!([{"op": "add", "path": "displayName"}])),
                ScimType::InvalidSyntax,
            ),
            (ops(json!([{"op": "remove"}])), ScimType::NoTarget),
            (
                ops(json!([{"op": "add", "path": "bogus", "value": "x"}])),
                ScimType::InvalidPath,
            ),
            (
                ops(json!([{"op": "add", "path": "name.bogus", "value": "x"}])),
                ScimType::InvalidPath,
            ),
            (
                ops(json!([{"op": "add", "path": "emails[type eq", "value": "x"}])),
                ScimType::InvalidPath,
            ),
            (
                ops(json!([{"op": "add", "path": "urn:x:y:z:attr", "value": "x"}])),
                ScimType::InvalidPath,
            ),
            (
                ops(json!([{"op": "replace", "path": "id", "value": "x"}])),
                ScimType::Mutability,
            ),
            (
                ops(json!([{"op": "remove", "path": "userName"}])),
                ScimType::Mutability,
            ),
            (
                ops(json!([{"op": "replace", "path": "displayName[type eq \"x\"]", "value": "x"}])),
                ScimType::InvalidPath,
            ),
            (
                ops(json!([{"op": "replace", "value": "not-an-object"}])),
                ScimType::InvalidValue,
            ),
        ];
        for (body, expected) in cases {
            let err = patch(ann(), body.clone()).unwrap_err();
            assert_eq!(err.scim_type(), Some(expected), "{body}: {err}");
        }
    }
}
