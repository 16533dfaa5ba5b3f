//! Reading SCIM JSON as leniently as IdPs need (names in any case, `null`
//! or `""` for absent) and no more: a wrong type is a 400 naming the path.

use serde_json::{Map, Value};

use crate::error::ScimError;
use crate::schema::member;

/// `object[name]` as a string; absent, `null` and `""` are `None`.
/// Messages name the attribute by `path` (`name.givenName`, say).
pub(crate) fn optional_string(
    object: &Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<Option<String>, ScimError> {
    match member(object, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ScimError::invalid_value(format!(
            "{path} must be a string, not {other}"
        ))),
    }
}

/// `value` as an object; `null` is `None`.
pub(crate) fn object<'a>(value: &'a Value, path: &str) -> Result<Option<&'a Map<String, Value>>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::Object(map) => Ok(Some(map)),
        other => Err(ScimError::invalid_value(format!(
            "{path} must be an object, not {other}"
        ))),
    }
}
