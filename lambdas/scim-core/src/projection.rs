//! `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5), applied to a
//! resource's JSON just before it is sent.

use serde_json::{Map, Value};

use crate::schema::{COMMON_ATTRIBUTES, ResourceSchema, Returned};

/// One requested attribute: `[urn:]name[.sub]`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AttrRef {
    /// The extension URN, or `None` for the core schema.
    extension: Option<String>,
    /// Attribute name; `None` means the whole extension.
    name: Option<String>,
    sub: Option<String>,
}

/// Which attributes to return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Projection {
    only: Vec<AttrRef>,
    excluded: Vec<AttrRef>,
}

fn parse_list(raw: Option<&str>, schema: &ResourceSchema) -> Vec<AttrRef> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| parse_item(item, schema))
        .collect()
}

fn parse_item(item: &str, schema: &ResourceSchema) -> AttrRef {
    if let Some(ext) = schema.extension(item) {
        return AttrRef {
            extension: Some(ext.id.to_owned()),
            name: None,
            sub: None,
        };
    }
    let (urn, rest) = match item.rsplit_once(':') {
        Some((urn, rest)) => (Some(urn), rest),
        None => (None, item),
    };
    let extension = urn.and_then(|u| schema.extension(u)).map(|ext| ext.id.to_owned());
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub.to_owned())),
        None => (rest, None),
    };
    AttrRef {
        extension,
        name: Some(name.to_owned()),
        sub,
    }
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl Projection {
    /// Reads the two comma-separated parameters.
    pub fn parse(attributes: Option<&str>, excluded: Option<&str>, schema: &ResourceSchema) -> Self {
        Self {
            only: parse_list(attributes, schema),
            excluded: parse_list(excluded, schema),
        }
    }

    /// Whether the projection changes nothing.
    pub fn is_identity(&self) -> bool {
        self.only.is_empty() && self.excluded.is_empty()
    }

    /// Whether a core attribute of the resource (`members`, say) survives
    /// the projection, so a directory can skip reading what is not sent.
    pub fn keeps(&self, name: &str) -> bool {
        let names = |r: &AttrRef| r.extension.is_none() && r.name.as_deref().is_some_and(|n| same(n, name));
        if self.excluded.iter().any(|r| names(r) && r.sub.is_none()) {
            return false;
        }
        self.only.is_empty() || self.only.iter().any(names)
    }

    /// Trims `resource` in place.
    pub fn apply(&self, resource: &mut Value, schema: &ResourceSchema) {
        let Value::Object(map) = resource else { return };
        if !self.only.is_empty() {
            self.keep_only_requested(map, schema);
        }
        self.remove_excluded(map, schema);
        // An extension emptied by the projection is dropped with its URN.
        let empty: Vec<String> = schema
            .extensions
            .iter()
            .filter(|e| matches!(get_mut(map, e.id), Some(Value::Object(m)) if m.is_empty()))
            .map(|e| e.id.to_owned())
            .collect();
        for id in &empty {
            remove_key(map, id);
        }
        let present = map_keys_lower(map);
        if let Some(Value::Array(schemas)) = map.get_mut("schemas") {
            schemas.retain(|s| {
                s.as_str().is_none_or(|s| {
                    schema.extension(s).is_none() || present.contains(&s.to_ascii_lowercase())
                })
            });
        }
    }

    /// `attributes`: every top-level key not asked for goes, unless it is
    /// always returned; within what stays, only the sub-attributes asked for.
    fn keep_only_requested(&self, map: &mut Map<String, Value>, schema: &ResourceSchema) {
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            if always_returned(&key, schema) {
                continue;
            }
            let extension = schema.extension(&key).map(|e| e.id);
            let wanted: Vec<&AttrRef> = self
                .only
                .iter()
                .filter(|r| match (extension, &r.extension) {
                    (Some(ext), Some(r_ext)) => same(ext, r_ext),
                    (None, None) => r.name.as_deref().is_some_and(|n| same(n, &key)),
                    _ => false,
                })
                .collect();
            if wanted.is_empty() {
                map.remove(&key);
                continue;
            }
            if let Some(Value::Object(inner)) = map.get_mut(&key) {
                keep_only(inner, &wanted, extension.is_some());
            }
        }
    }

    /// `excludedAttributes`: drops each, except what is always returned.
    fn remove_excluded(&self, map: &mut Map<String, Value>, schema: &ResourceSchema) {
        for r in &self.excluded {
            match (&r.extension, &r.name) {
                (Some(ext), None) => remove_key(map, ext),
                (Some(ext), Some(name)) => {
                    if let Some(Value::Object(inner)) = get_mut(map, ext) {
                        remove_key(inner, name);
                    }
                }
                (None, Some(name)) if always_returned(name, schema) => {}
                (None, Some(name)) => match &r.sub {
                    None => remove_key(map, name),
                    Some(sub) => match get_mut(map, name) {
                        Some(Value::Object(inner)) => remove_key(inner, sub),
                        Some(Value::Array(items)) => {
                            for item in items.iter_mut() {
                                if let Value::Object(inner) = item {
                                    remove_key(inner, sub);
                                }
                            }
                        }
                        _ => {}
                    },
                },
                (None, None) => {}
            }
        }
    }
}

/// `schemas`, and attributes the schema returns whatever is asked (`id`).
fn always_returned(key: &str, schema: &ResourceSchema) -> bool {
    same(key, "schemas")
        || COMMON_ATTRIBUTES
            .iter()
            .chain(schema.core.attributes)
            .any(|a| same(a.name, key) && a.returned == Returned::Always)
}

fn map_keys_lower(map: &Map<String, Value>) -> Vec<String> {
    map.keys().map(|k| k.to_ascii_lowercase()).collect()
}

/// Within a complex (or extension) object keep only the requested
/// sub-attributes; a request for the whole attribute keeps everything.
fn keep_only(inner: &mut Map<String, Value>, wanted: &[&AttrRef], is_extension: bool) {
    let whole = wanted.iter().any(|r| {
        if is_extension {
            r.name.is_none()
        } else {
            r.sub.is_none()
        }
    });
    if whole {
        return;
    }
    let names: Vec<&str> = wanted
        .iter()
        .filter_map(|r| {
            if is_extension {
                r.name.as_deref()
            } else {
                r.sub.as_deref()
            }
        })
        .collect();
    inner.retain(|k, _| names.iter().any(|n| same(n, k)));
}

fn get_mut<'a>(map: &'a mut Map<String, Value>, name: &str) -> Option<&'a mut Value> {
    let key = map.keys().find(|k| same(k, name))?.clone();
    map.get_mut(&key)
}

fn remove_key(map: &mut Map<String, Value>, name: &str) {
    if let Some(key) = map.keys().find(|k| same(k, name)).cloned() {
        map.remove(&key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{ENTERPRISE_URN, USER_RESOURCE, USER_URN};
    use serde_json::json;

    fn user() -> Value {
        json!({
            "schemas": [USER_URN, ENTERPRISE_URN],
            "id": "1", "userName": "ann", "externalId": "e", "displayName": "Ann",
            "name": {"givenName": "Ann", "familyName": "Lee"},
            "emails": [{"value": "a@x.com", "type": "work"}],
            ENTERPRISE_URN: {"department": "Sales"},
            "meta": {"resourceType": "User"},
        })
    }

    fn project(attributes: Option<&str>, excluded: Option<&str>) -> Value {
        let mut v = user();
        Projection::parse(attributes, excluded, &USER_RESOURCE).apply(&mut v, &USER_RESOURCE);
        v
    }

    #[test]
    fn attributes_keeps_what_is_asked_and_what_is_always_returned() {
        assert_eq!(
            project(Some("externalId"), None),
            json!({"schemas": [USER_URN], "id": "1", "externalId": "e"})
        );
        let v = project(
            Some("name.givenName,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
            None,
        );
        assert_eq!(v["name"], json!({"givenName": "Ann"}));
        assert_eq!(v[ENTERPRISE_URN], json!({"department": "Sales"}));
        assert_eq!(v["schemas"], json!([USER_URN, ENTERPRISE_URN]));
        assert!(v.get("userName").is_none());
    }

    #[test]
    fn excluded_attributes_drop_what_is_asked_but_never_id() {
        let v = project(None, Some("displayName,ID,emails.type"));
        assert!(v.get("displayName").is_none());
        assert_eq!(v["id"], "1");
        assert_eq!(v["emails"], json!([{"value": "a@x.com"}]));
        let v = project(None, Some(ENTERPRISE_URN));
        assert!(v.get(ENTERPRISE_URN).is_none());
        assert_eq!(v["schemas"], json!([USER_URN]));
    }

    #[test]
    fn empty_parameters_change_nothing() {
        assert!(Projection::parse(Some(""), None, &USER_RESOURCE).is_identity());
        assert_eq!(project(None, None), user());
    }
}
