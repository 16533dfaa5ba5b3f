//! The User resource as a domain type, and its one parser and one printer.
//!
//! Parsing is lenient where IdPs are known to be sloppy (attribute names in
//! any case, `"True"` for `true`, `null` for absent, attributes we do not
//! store) and strict where a wrong value would reach Amazon Connect.

use std::fmt;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::error::ScimError;
use crate::group::GroupRef;
use crate::schema::{CONNECT_URN, ENTERPRISE_URN, GROUP_RESOURCE, USER_RESOURCE, USER_URN, member};

/// A SCIM `userName`: non-empty, compared without regard to case (RFC 7643
/// §4.1.1 makes it `caseExact: false`).
#[derive(Debug, Clone)]
pub struct UserName(String);

impl UserName {
    /// Refuses an empty or blank name.
    pub fn new(value: impl Into<String>) -> Result<Self, ScimError> {
        let value = value.into();
        if value.trim().is_empty() {
            return Err(ScimError::invalid_value("userName must not be empty"));
        }
        Ok(Self(value))
    }

    /// The name as the client spelled it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq for UserName {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_lowercase() == other.0.to_lowercase()
    }
}

impl Eq for UserName {}

impl fmt::Display for UserName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The server-assigned `id` (the Amazon Connect UserId).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(String);

impl UserId {
    /// Wraps a directory id.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The write-only SCIM `password` (RFC 7643 §4.1.1: "returned never").
/// Its `Debug` never shows the value, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps a password a client sent.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The password itself, for the one call that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// What a client can set on a User.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `userName`.
    pub user_name: UserName,
    /// `externalId`.
    pub external_id: Option<String>,
    /// `name.givenName`.
    pub given_name: Option<String>,
    /// `name.familyName`.
    pub family_name: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// The primary (or first) `emails[].value`.
    pub email: Option<String>,
    /// `active`; `None` when the client never said (kept that way, so a
    /// PATCH `remove` of `active` reads back without it).
    pub active: Option<bool>,
    /// Enterprise extension `department`.
    pub department: Option<String>,
    /// The Amazon Connect extension.
    pub agent: AgentSettings,
    /// `password`: write-only, used where the directory needs one to create
    /// a user, never stored in or returned from a representation.
    pub password: Option<Password>,
}

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

impl AgentSettings {
    /// Whether no setting is managed.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Reads the extension: `lookup(name)` finds an attribute under the
    /// extension's URN (as an object, or as a flat `urn:name` key).
    fn from_scim<'a>(lookup: impl Fn(&str) -> Option<&'a Value>) -> Result<Self, ScimError> {
        let path = |name: &str| format!("{CONNECT_URN}:{name}");
        let text = |name: &str| -> Result<Option<String>, ScimError> {
            match lookup(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
                Some(other) => Err(ScimError::invalid_value(format!(
                    "{} must be a string, not {other}",
                    path(name)
                ))),
            }
        };
        let security_profiles = match lookup("securityProfiles") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(vec![s.trim().to_owned()]),
            Some(Value::Array(items)) => {
                let mut names: Vec<String> = Vec::new();
                for item in items {
                    // Some clients send [{"value": "Agent"}] for multi-valued strings.
                    let name = match item {
                        Value::String(s) => Some(s.trim()),
                        Value::Object(map) => member(map, "value").and_then(Value::as_str).map(str::trim),
                        _ => None,
                    }
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| {
                        ScimError::invalid_value(format!(
                            "{} must be a list of security profile names, not {item}",
                            path("securityProfiles")
                        ))
                    })?;
                    if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                        names.push(name.to_owned());
                    }
                }
                if names.len() > 10 {
                    return Err(ScimError::invalid_value(format!(
                        "{} names {} security profiles; Amazon Connect allows at most 10",
                        path("securityProfiles"),
                        names.len()
                    )));
                }
                (!names.is_empty()).then_some(names)
            }
            Some(other) => {
                return Err(ScimError::invalid_value(format!(
                    "{} must be a list of security profile names, not {other}",
                    path("securityProfiles")
                )));
            }
        };
        let phone_type = text("phoneType")?
            .map(
                |t| match t.to_ascii_uppercase().replace(['-', ' '], "_").as_str() {
                    kind @ ("SOFT_PHONE" | "DESK_PHONE") => Ok(kind.to_owned()),
                    _ => Err(ScimError::invalid_value(format!(
                        "{} must be SOFT_PHONE or DESK_PHONE, not {t:?}",
                        path("phoneType")
                    ))),
                },
            )
            .transpose()?;
        let desk_phone_number = text("deskPhoneNumber")?;
        if let Some(number) = &desk_phone_number
            && !is_e164(number)
        {
            return Err(ScimError::invalid_value(format!(
                "{} must be an E.164 number such as +12065550100, not {number:?}",
                path("deskPhoneNumber")
            )));
        }
        let auto_accept = lookup("autoAccept")
            .filter(|v| !v.is_null())
            .map(|v| boolean(v, &path("autoAccept")))
            .transpose()?;
        let after_contact_work_time_limit = match lookup("afterContactWorkTimeLimit") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let n = match v {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) => s.trim().parse::<i64>().ok(),
                    _ => None,
                };
                match n {
                    Some(n) if (0..=MAX_AFTER_CONTACT_WORK).contains(&n) => Some(n),
                    _ => {
                        return Err(ScimError::invalid_value(format!(
                            "{} must be a whole number of seconds from 0 to {MAX_AFTER_CONTACT_WORK}, not {v}",
                            path("afterContactWorkTimeLimit")
                        )));
                    }
                }
            }
        };
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

    fn to_scim(&self) -> Map<String, Value> {
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

/// `+` and 2 to 15 digits, the first not 0 (Connect's pattern).
pub fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

impl User {
    /// Whether the user is active (unset counts as active).
    pub fn is_active(&self) -> bool {
        self.active != Some(false)
    }

    /// A user with only a `userName`.
    pub fn new(user_name: UserName) -> Self {
        Self {
            user_name,
            external_id: None,
            given_name: None,
            family_name: None,
            display_name: None,
            email: None,
            active: None,
            department: None,
            agent: AgentSettings::default(),
            password: None,
        }
    }
}

/// A user as the directory holds it. `H` is the directory's own handle on
/// it ([`crate::Directory::UserHandle`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUser<H = ()> {
    /// Opaque to the core: what the directory needs to remember between a
    /// read and the update that follows it (for Connect: the ARN, security
    /// profile ids and tags), so an update costs no second read.
    pub handle: H,
    /// The server-assigned id.
    pub id: UserId,
    /// The attributes.
    pub user: User,
    /// When it was created, where the directory knows.
    pub created: Option<OffsetDateTime>,
    /// When it last changed, where the directory knows.
    pub last_modified: Option<OffsetDateTime>,
    /// The groups the user belongs to (read-only; empty when unknown).
    pub groups: Vec<GroupRef>,
}

fn optional_string(object: &Map<String, Value>, name: &str, path: &str) -> Result<Option<String>, ScimError> {
    match member(object, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ScimError::invalid_value(format!(
            "{path} must be a string, not {other}"
        ))),
    }
}

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

fn object<'a>(value: &'a Value, path: &str) -> Result<Option<&'a Map<String, Value>>, ScimError> {
    match value {
        Value::Null => Ok(None),
        Value::Object(map) => Ok(Some(map)),
        other => Err(ScimError::invalid_value(format!(
            "{path} must be an object, not {other}"
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

impl User {
    /// Reads a User from a SCIM JSON representation (a POST or PUT body, or
    /// the outcome of a PATCH). Read-only and unknown attributes are ignored.
    pub fn from_scim(value: &Value) -> Result<Self, ScimError> {
        let Value::Object(root) = value else {
            return Err(ScimError::invalid_syntax("A User must be a JSON object"));
        };
        let user_name = match member(root, "userName") {
            Some(Value::String(s)) => UserName::new(s.clone())?,
            None | Some(Value::Null) => return Err(ScimError::invalid_value("userName is required")),
            Some(other) => {
                return Err(ScimError::invalid_value(format!(
                    "userName must be a string, not {other}"
                )));
            }
        };
        let mut user = User::new(user_name);
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
        // The extension as an object under its URN, or (some clients) as
        // URN-prefixed attribute names at the top level.
        let flat_department = format!("{ENTERPRISE_URN}:department");
        if let Some(enterprise) = member(root, ENTERPRISE_URN)
            .map(|v| object(v, ENTERPRISE_URN))
            .transpose()?
            .flatten()
        {
            user.department = optional_string(enterprise, "department", &flat_department)?;
        }
        if member(root, &flat_department).is_some() {
            user.department = optional_string(root, &flat_department, &flat_department)?;
        }
        let connect = member(root, CONNECT_URN)
            .map(|v| object(v, CONNECT_URN))
            .transpose()?
            .flatten();
        user.agent = AgentSettings::from_scim(|name| {
            member(root, &format!("{CONNECT_URN}:{name}")).or_else(|| connect.and_then(|c| member(c, name)))
        })?;
        Ok(user)
    }

    /// The SCIM representation of the stored attributes, without `meta`.
    pub fn to_scim_attributes(&self) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("userName".into(), self.user_name.as_str().into());
        if let Some(v) = &self.external_id {
            out.insert("externalId".into(), v.as_str().into());
        }
        let mut name = Map::new();
        if let Some(v) = &self.given_name {
            name.insert("givenName".into(), v.as_str().into());
        }
        if let Some(v) = &self.family_name {
            name.insert("familyName".into(), v.as_str().into());
        }
        if !name.is_empty() {
            out.insert("name".into(), Value::Object(name));
        }
        if let Some(v) = &self.display_name {
            out.insert("displayName".into(), v.as_str().into());
        }
        if let Some(v) = &self.email {
            out.insert("emails".into(), json!([{"value": v, "type": "work"}]));
        }
        if let Some(v) = self.active {
            out.insert("active".into(), v.into());
        }
        if let Some(v) = &self.department {
            out.insert(ENTERPRISE_URN.into(), json!({ "department": v }));
        }
        if !self.agent.is_empty() {
            out.insert(CONNECT_URN.into(), Value::Object(self.agent.to_scim()));
        }
        out
    }
}

fn timestamp(t: Option<OffsetDateTime>) -> Option<String> {
    t.and_then(|t| t.format(&Rfc3339).ok())
}

impl<H> StoredUser<H> {
    /// A weak entity tag over the attributes (RFC 7644 §3.14): it changes
    /// whenever anything a client can see, `meta` aside, changes.
    pub fn version(&self) -> String {
        // FNV-1a: stable across processes and releases, unlike std's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut attributes = self.user.to_scim_attributes();
        attributes.insert("id".into(), self.id.as_str().into());
        // Group membership is part of what a reader sees, in a stable
        // order (directories report profiles in varying orders).
        let mut groups: Vec<&str> = self.groups.iter().map(|g| g.value.as_str()).collect();
        groups.sort_unstable();
        attributes.insert("groups".into(), groups.into());
        for byte in Value::Object(attributes).to_string().bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("W/\"{hash:016x}\"")
    }

    /// The full SCIM representation, with `schemas`, `id` and `meta`.
    pub fn to_scim(&self, base_url: &str) -> Value {
        let mut out = Map::new();
        let mut schemas = vec![Value::from(USER_URN)];
        if self.user.department.is_some() {
            schemas.push(ENTERPRISE_URN.into());
        }
        if !self.user.agent.is_empty() {
            schemas.push(CONNECT_URN.into());
        }
        out.insert("schemas".into(), Value::Array(schemas));
        out.insert("id".into(), self.id.as_str().into());
        out.extend(self.user.to_scim_attributes());
        if !self.groups.is_empty() {
            let groups = format!("{base_url}{}", GROUP_RESOURCE.endpoint);
            out.insert(
                "groups".into(),
                self.groups
                    .iter()
                    .map(|g| {
                        json!({
                            "value": g.value.as_str(),
                            "$ref": format!("{groups}/{}", g.value),
                            "display": g.display,
                        })
                    })
                    .collect(),
            );
        }
        let mut meta = Map::new();
        meta.insert("resourceType".into(), USER_RESOURCE.name.into());
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

    /// `{base}/Users/{id}`.
    pub fn location(&self, base_url: &str) -> String {
        format!("{base_url}{}/{}", USER_RESOURCE.endpoint, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_compare_without_case() {
        assert_eq!(
            UserName::new("Ann@Example.com").unwrap(),
            UserName::new("ann@example.COM").unwrap()
        );
        assert!(UserName::new("  ").is_err());
    }

    #[test]
    fn parses_an_entra_style_create() {
        let body = json!({
            "schemas": [USER_URN, ENTERPRISE_URN],
            "externalId": "ann",
            "UserName": "ann@example.com",
            "active": "True",
            "displayName": "Ann Lee",
            "title": "Agent",
            "emails": [{"primary": true, "type": "work", "value": "ann@example.com"}],
            "name": {"formatted": "Ann Lee", "familyName": "Lee", "givenName": "Ann"},
            ENTERPRISE_URN: {"department": "Sales", "employeeNumber": "7"},
            "password": "ignored",
            "locale": null,
        });
        let user = User::from_scim(&body).unwrap();
        assert_eq!(user.user_name.as_str(), "ann@example.com");
        assert_eq!(user.external_id.as_deref(), Some("ann"));
        assert_eq!(user.given_name.as_deref(), Some("Ann"));
        assert_eq!(user.family_name.as_deref(), Some("Lee"));
        assert_eq!(user.email.as_deref(), Some("ann@example.com"));
        assert_eq!(user.department.as_deref(), Some("Sales"));
        assert_eq!(user.active, Some(true));
    }

    #[test]
    fn picks_the_primary_email() {
        let body = json!({"userName": "a", "emails": [
            {"value": "home@example.com", "type": "home"},
            {"value": "work@example.com", "type": "work", "primary": "true"},
        ]});
        assert_eq!(
            User::from_scim(&body).unwrap().email.as_deref(),
            Some("work@example.com")
        );
        let body = json!({"userName": "a", "emails": [{"value": "first@example.com"}, {"value": "second@example.com"}]});
        assert_eq!(
            User::from_scim(&body).unwrap().email.as_deref(),
            Some("first@example.com")
        );
    }

    #[test]
    fn wrong_types_are_invalid_values() {
        for body in [
            json!({}),
            json!({"userName": 5}),
            json!({"userName": ""}),
            json!({"userName": "a", "active": "maybe"}),
            json!({"userName": "a", "name": "Ann"}),
            json!({"userName": "a", "emails": "a@example.com"}),
            json!({"userName": "a", "displayName": ["x"]}),
        ] {
            let err = User::from_scim(&body).unwrap_err();
            assert_eq!(err.status().as_u16(), 400, "{body}");
        }
        assert!(User::from_scim(&json!([1])).is_err());
    }

    #[test]
    fn flat_extension_names_are_understood() {
        let body = json!({"userName": "a", format!("{ENTERPRISE_URN}:department"): "Support"});
        assert_eq!(
            User::from_scim(&body).unwrap().department.as_deref(),
            Some("Support")
        );
    }

    #[test]
    fn prints_what_it_parses() {
        let user = User::from_scim(&json!({
            "userName": "a", "externalId": "x", "displayName": "A B",
            "name": {"givenName": "A", "familyName": "B"},
            "emails": [{"value": "a@example.com"}], "active": false,
            ENTERPRISE_URN: {"department": "Sales"},
        }))
        .unwrap();
        let again = User::from_scim(&Value::Object(user.to_scim_attributes())).unwrap();
        assert_eq!(user, again);
        let stored = StoredUser {
            handle: (),
            id: UserId::new("u-1"),
            user,
            created: None,
            last_modified: None,
            groups: Vec::new(),
        };
        let json = stored.to_scim("https://h/scim/v2");
        assert_eq!(json["meta"]["location"], "https://h/scim/v2/Users/u-1");
        assert_eq!(json["schemas"][1], ENTERPRISE_URN);
        let version = stored.version();
        assert!(version.starts_with("W/\""));
        assert_eq!(json["meta"]["version"], version.as_str());
        let mut changed = stored.clone();
        changed.user.display_name = Some("Other".into());
        assert_ne!(changed.version(), version);
    }

    #[test]
    fn the_connect_extension_parses_checks_and_prints() {
        let user = User::from_scim(&json!({
            "userName": "a",
            CONNECT_URN: {
                "routingProfile": " Sales ",
                "securityProfiles": ["Agent", {"value": "QA"}, "agent"],
                "phoneType": "desk-phone",
                "deskPhoneNumber": "+12065550100",
                "autoAccept": "True",
                "afterContactWorkTimeLimit": "30",
            },
            format!("{CONNECT_URN}:hierarchyGroup"): "Support/Tier 1",
        }))
        .unwrap();
        let agent = &user.agent;
        assert_eq!(agent.routing_profile.as_deref(), Some("Sales"));
        assert_eq!(agent.security_profiles, Some(vec!["Agent".into(), "QA".into()]));
        assert_eq!(agent.hierarchy_group.as_deref(), Some("Support/Tier 1"));
        assert_eq!(agent.phone_type.as_deref(), Some("DESK_PHONE"));
        assert_eq!(
            (agent.auto_accept, agent.after_contact_work_time_limit),
            (Some(true), Some(30))
        );
        let again = User::from_scim(&Value::Object(user.to_scim_attributes())).unwrap();
        assert_eq!(again, user);
        for bad in [
            json!({"phoneType": "CELL"}),
            json!({"deskPhoneNumber": "+0123"}),
            json!({"deskPhoneNumber": "12065550100"}),
            json!({"afterContactWorkTimeLimit": -1}),
            json!({"afterContactWorkTimeLimit": 2_000_001}),
            json!({"afterContactWorkTimeLimit": 1.5}),
            json!({"securityProfiles": (0..11).map(|i| format!("p{i}")).collect::<Vec<_>>()}),
            json!({"securityProfiles": [5]}),
            json!({"routingProfile": ["x"]}),
            json!({"autoAccept": "maybe"}),
        ] {
            let err = User::from_scim(&json!({"userName": "a", CONNECT_URN: bad.clone()})).unwrap_err();
            assert_eq!(err.status().as_u16(), 400, "{bad}");
        }
        assert!(is_e164("+442071838750") && !is_e164("+1") && !is_e164("+1206555010012345"));
    }
}
