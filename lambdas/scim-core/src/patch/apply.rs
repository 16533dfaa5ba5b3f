//! Applying one resolved operation to the resource's JSON, key names
//! compared without case as SCIM requires.

use scim_v2::filter::ValFilter;
use serde_json::{Map, Value};

use super::target::{Container, Resolved, Target, resolve};
use super::value_filter::{equality_element, matches};
use super::{Op, Operation, parse_path};
use crate::error::{ScimError, ScimType};
use crate::schema::{AttrType, Attribute, Mutability, ResourceSchema, Schema, member};

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

/// Applies one operation; the schema decides what its path means.
pub(super) fn apply_operation(
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

/// Applies an operation to a multi-valued attribute: the whole list, one
/// sub-attribute of every element, or the elements a value filter selects.
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
    let touched: Vec<usize> = match (&target.filter, target.sub, op) {
        (None, None, Op::Remove) => {
            items.clear();
            Vec::new()
        }
        (None, None, Op::Replace) => {
            items = as_items(value);
            (0..items.len()).collect()
        }
        (None, None, Op::Add) => {
            let start = items.len();
            items.extend(as_items(value));
            (start..items.len()).collect()
        }
        (None, Some(sub), _) => set_in_every(&mut items, sub, op, &value),
        (Some(filter), sub, Op::Remove) => {
            remove_matching(&mut items, filter, sub);
            Vec::new()
        }
        (Some(filter), sub, _) => merge_into_matching(&mut items, filter, sub, op, value, raw)?,
    };
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

/// `emails.value`: sets (or removes) the sub-attribute in every element; an
/// add or replace on an empty list makes the first element. Returns the
/// elements touched.
fn set_in_every(items: &mut Vec<Value>, sub: &Attribute, op: Op, value: &Value) -> Vec<usize> {
    if items.is_empty() && op != Op::Remove {
        items.push(Value::Object(Map::new()));
    }
    let mut touched = Vec::new();
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
    touched
}

/// The indexes of the elements `filter` selects.
fn matching(items: &[Value], filter: &ValFilter) -> Vec<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, item)| item.as_object().is_some_and(|m| matches(filter, m)))
        .map(|(i, _)| i)
        .collect()
}

/// `remove` of `attr[filter]` (the elements) or `attr[filter].sub` (that
/// sub-attribute of each).
fn remove_matching(items: &mut Vec<Value>, filter: &ValFilter, sub: Option<&Attribute>) {
    let matching = matching(items, filter);
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
}

/// `add` or `replace` of `attr[filter]` or `attr[filter].sub`. When nothing
/// matches, a plain equality filter says what the new element looks like
/// (`emails[type eq "work"].value` makes a work email); any other filter is
/// `noTarget`. Returns the elements touched.
fn merge_into_matching(
    items: &mut Vec<Value>,
    filter: &ValFilter,
    sub: Option<&Attribute>,
    op: Op,
    value: Value,
    raw: &str,
) -> Result<Vec<usize>, ScimError> {
    let matching = matching(items, filter);
    if matching.is_empty() {
        let Some(mut element) = equality_element(filter) else {
            return Err(ScimError::bad_request(
                ScimType::NoTarget,
                format!("The filter in {raw:?} matched no value"),
            ));
        };
        merge_into(&mut element, sub, value, raw)?;
        items.push(Value::Object(element));
        return Ok(vec![items.len() - 1]);
    }
    let mut touched = Vec::new();
    for &i in &matching {
        if let Some(Value::Object(map)) = items.get_mut(i) {
            if sub.is_none() && op == Op::Replace {
                map.clear();
            }
            merge_into(map, sub, value.clone(), raw)?;
            touched.push(i);
        }
    }
    Ok(touched)
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
