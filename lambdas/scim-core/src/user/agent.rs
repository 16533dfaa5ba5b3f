//! The Amazon Connect extension of a User: how the agent takes contacts.
//! Values are checked here against Connect's rules that need no call
//! (E.164, the profile cap, the ACW range), so a bad one is a 400 before
//! anything reaches Connect.

use serde_json::{Map, Value};

use super::boolean;
use crate::error::ScimError;
use crate::schema::{CONNECT_URN, member};

/// The Amazon Connect extension's attributes. `None` means the client does
/// not manage that setting (the directory keeps what it has, or decides by
/// department and defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentSettings {
    /// `routingProfile`: a routing profile name.
    pub routing_profile: Option<String>,
    /// `securityProfiles`: security profile names (1 to 10).
    pub security_profiles: Option<Vec<String>>,
    /// `hierarchyGroup`: a hierarchy group name or path (`A/B`).
    pub hierarchy_group: Option<String>,
    /// `phoneType`: `SOFT_PHONE` or `DESK_PHONE`.
    pub phone_type: Option<String>,
    /// `deskPhoneNumber`, E.164.
    pub desk_phone_number: Option<String>,
    /// `autoAccept`.
    pub auto_accept: Option<bool>,
    /// `afterContactWorkTimeLimit`, seconds.
    pub after_contact_work_time_limit: Option<i64>,
}

/// Connect's most after-contact work time, in seconds.
pub const MAX_AFTER_CONTACT_WORK: i64 = 2_000_000;

/// Connect's most security profiles per user.
const MAX_SECURITY_PROFILES: usize = 10;

/// The full name of an extension attribute, for messages.
fn path(name: &str) -> String {
    format!("{CONNECT_URN}:{name}")
}

impl AgentSettings {
    /// Whether no setting is managed.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Reads the extension: `lookup(name)` finds an attribute under the
    /// extension's URN (as an object, or as a flat `urn:name` key).
    pub(super) fn from_scim<'a>(lookup: impl Fn(&str) -> Option<&'a Value>) -> Result<Self, ScimError> {
        let text = |name: &str| text(lookup(name), name);
        let security_profiles = security_profiles(lookup("securityProfiles"))?;
        let phone_type = text("phoneType")?.map(phone_type).transpose()?;
        let desk_phone_number = text("deskPhoneNumber")?.map(desk_phone_number).transpose()?;
        let auto_accept = lookup("autoAccept")
            .filter(|v| !v.is_null())
            .map(|v| boolean(v, &path("autoAccept")))
            .transpose()?;
        let after_contact_work_time_limit = lookup("afterContactWorkTimeLimit")
            .filter(|v| !v.is_null())
            .map(after_contact_work)
            .transpose()?;
        Ok(Self {
            routing_profile: text("routingProfile")?,
            security_profiles,
            hierarchy_group: text("hierarchyGroup")?,
            phone_type,
            desk_phone_number,
            auto_accept,
            after_contact_work_time_limit,
        })
    }

    /// The extension object, managed settings only.
    pub(super) fn to_scim(&self) -> Map<String, Value> {
        let mut out = Map::new();
        let mut put = |name: &str, value: Option<Value>| {
            if let Some(v) = value {
                out.insert(name.to_owned(), v);
            }
        };
        put("routingProfile", self.routing_profile.clone().map(Value::from));
        put(
            "securityProfiles",
            self.security_profiles.clone().map(Value::from),
        );
        put("hierarchyGroup", self.hierarchy_group.clone().map(Value::from));
        put("phoneType", self.phone_type.clone().map(Value::from));
        put("deskPhoneNumber", self.desk_phone_number.clone().map(Value::from));
        put("autoAccept", self.auto_accept.map(Value::from));
        put(
            "afterContactWorkTimeLimit",
            self.after_contact_work_time_limit.map(Value::from),
        );
        out
    }
}

/// A trimmed string setting; blank means unmanaged.
fn text(value: Option<&Value>, name: &str) -> Result<Option<String>, ScimError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(other) => Err(ScimError::invalid_value(format!(
            "{} must be a string, not {other}",
            path(name)
        ))),
    }
}

/// `securityProfiles`: one name or a list (of names, or of `{"value": name}`
/// objects, as some clients send multi-valued strings), without repeats in
/// any case, at most [`MAX_SECURITY_PROFILES`].
fn security_profiles(value: Option<&Value>) -> Result<Option<Vec<String>>, ScimError> {
    let not_names = |what: &Value| {
        ScimError::invalid_value(format!(
            "{} must be a list of security profile names, not {what}",
            path("securityProfiles")
        ))
    };
    let items = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => return Ok(Some(vec![s.trim().to_owned()])),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(not_names(other)),
    };
    let mut names: Vec<String> = Vec::new();
    for item in items {
        let name = match item {
            Value::String(s) => Some(s.trim()),
            Value::Object(map) => member(map, "value").and_then(Value::as_str).map(str::trim),
            _ => None,
        }
        .filter(|s| !s.is_empty())
        .ok_or_else(|| not_names(item))?;
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.to_owned());
        }
    }
    if names.len() > MAX_SECURITY_PROFILES {
        return Err(ScimError::invalid_value(format!(
            "{} names {} security profiles; Amazon Connect allows at most {MAX_SECURITY_PROFILES}",
            path("securityProfiles"),
            names.len()
        )));
    }
    Ok((!names.is_empty()).then_some(names))
}

/// `phoneType` in Connect's spelling, whatever case and separator the
/// client used (`desk-phone` is `DESK_PHONE`).
fn phone_type(value: String) -> Result<String, ScimError> {
    match value.to_ascii_uppercase().replace(['-', ' '], "_").as_str() {
        kind @ ("SOFT_PHONE" | "DESK_PHONE") => Ok(kind.to_owned()),
        _ => Err(ScimError::invalid_value(format!(
            "{} must be SOFT_PHONE or DESK_PHONE, not {value:?}",
            path("phoneType")
        ))),
    }
}

fn desk_phone_number(number: String) -> Result<String, ScimError> {
    if is_e164(&number) {
        return Ok(number);
    }
    Err(ScimError::invalid_value(format!(
        "{} must be an E.164 number such as +12065550100, not {number:?}",
        path("deskPhoneNumber")
    )))
}

/// `afterContactWorkTimeLimit`: whole seconds, as a number or a numeric
/// string, within Connect's range.
fn after_contact_work(value: &Value) -> Result<i64, ScimError> {
    let seconds = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match seconds {
        Some(n) if (0..=MAX_AFTER_CONTACT_WORK).contains(&n) => Ok(n),
        _ => Err(ScimError::invalid_value(format!(
            "{} must be a whole number of seconds from 0 to {MAX_AFTER_CONTACT_WORK}, not {value}",
            path("afterContactWorkTimeLimit")
        ))),
    }
}

/// `+` and 2 to 15 digits, the first not 0 (Connect's pattern).
pub fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0')
    })
}
