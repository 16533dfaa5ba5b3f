//! The User parser: a POST or PUT body, or the outcome of a PATCH, read into
//! a [`User`].

use serde_json::{Map, Value};

use super::{Password, User, UserExtension, UserName};
use crate::error::ScimError;
use crate::json::{object, optional_string};
use crate::schema::{ENTERPRISE_URN, member};

/// Booleans, also as the strings `"True"`/`"False"` in any case (Entra ID
/// sends those in PATCH).
pub fn boolean(value: &Value, path: &str) -> Result<bool, ScimError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(ScimError::invalid_value(format!(
            "{path} must be a boolean, not {other}"
        ))),
    }
}

/// The email Connect keeps: the primary one, else the first with a value.
fn pick_email(emails: &Value) -> Result<Option<String>, ScimError> {
    let items: Vec<&Value> = match emails {
        Value::Null => return Ok(None),
        Value::Array(items) => items.iter().collect(),
        // Some clients send a single object where an array belongs.
        Value::Object(_) => vec![emails],
        other => {
            return Err(ScimError::invalid_value(format!(
                "emails must be an array, not {other}"
            )));
        }
    };
    let mut first = None;
    for item in items {
        let Some(entry) = object(item, "emails[]")? else {
            continue;
        };
        let Some(value) = optional_string(entry, "value", "emails.value")? else {
            continue;
        };
        let primary = member(entry, "primary")
            .filter(|v| !v.is_null())
            .map(|v| boolean(v, "emails.primary"))
            .transpose()?
            .unwrap_or(false);
        if primary {
            return Ok(Some(value));
        }
        first.get_or_insert(value);
    }
    Ok(first)
}

fn user_name(root: &Map<String, Value>) -> Result<UserName, ScimError> {
    match member(root, "userName") {
        Some(Value::String(s)) => UserName::new(s.clone()),
        None | Some(Value::Null) => Err(ScimError::invalid_value("userName is required")),
        Some(other) => Err(ScimError::invalid_value(format!(
            "userName must be a string, not {other}"
        ))),
    }
}

/// The enterprise extension's `department`, as an object under its URN or
/// (some clients) as a URN-prefixed attribute name at the top level, which
/// wins when both are sent.
fn department(root: &Map<String, Value>) -> Result<Option<String>, ScimError> {
    let flat = format!("{ENTERPRISE_URN}:department");
    let mut department = None;
    if let Some(enterprise) = member(root, ENTERPRISE_URN)
        .map(|v| object(v, ENTERPRISE_URN))
        .transpose()?
        .flatten()
    {
        department = optional_string(enterprise, "department", &flat)?;
    }
    if member(root, &flat).is_some() {
        department = optional_string(root, &flat, &flat)?;
    }
    Ok(department)
}

/// The directory's extension, nested or flat like the enterprise one.
fn extension<X: UserExtension>(root: &Map<String, Value>) -> Result<X, ScimError> {
    let Some(schema) = X::EXTENSION_SCHEMA else {
        return Ok(X::default());
    };
    let urn = schema.id;
    let nested = member(root, urn).map(|v| object(v, urn)).transpose()?.flatten();
    X::from_scim(&|name| {
        member(root, &format!("{urn}:{name}")).or_else(|| nested.and_then(|c| member(c, name)))
    })
}

impl<X: UserExtension> User<X> {
    /// Reads a User from a SCIM JSON representation (a POST or PUT body, or
    /// the outcome of a PATCH). Read-only and unknown attributes are ignored.
    pub fn from_scim(value: &Value) -> Result<Self, ScimError> {
        let Value::Object(root) = value else {
            return Err(ScimError::invalid_syntax("A User must be a JSON object"));
        };
        let nested = |v: &Value| v.as_object().is_some_and(|o| o.keys().any(|k| k.contains('[')));
        if root
            .iter()
            .any(|(k, v)| k.contains('[') || (k.starts_with("urn:") && nested(v)))
        {
            let expanded = crate::patch::expand_filtered_members(root, X::RESOURCE)?;
            return Self::from_scim(&Value::Object(expanded));
        }
        let mut user = User::new(user_name(root)?);
        user.external_id = optional_string(root, "externalId", "externalId")?;
        user.display_name = optional_string(root, "displayName", "displayName")?;
        if let Some(name) = member(root, "name")
            .map(|v| object(v, "name"))
            .transpose()?
            .flatten()
        {
            user.given_name = optional_string(name, "givenName", "name.givenName")?;
            user.family_name = optional_string(name, "familyName", "name.familyName")?;
        }
        if let Some(emails) = member(root, "emails") {
            user.email = pick_email(emails)?;
        }
        user.password = match member(root, "password") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(Password::new(s.clone())),
            // The value is never echoed, not even in an error.
            Some(_) => return Err(ScimError::invalid_value("password must be a string")),
        };
        if let Some(active) = member(root, "active").filter(|v| !v.is_null()) {
            user.active = Some(boolean(active, "active")?);
        }
        user.department = department(root)?;
        user.extension = extension(root)?;
        Ok(user)
    }
}
