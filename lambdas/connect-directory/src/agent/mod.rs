//! The Amazon Connect extension of a User: how the agent takes contacts.
//! The core finds the extension's object in a request and hands it here
//! ([`UserExtension`]); this module reads its shapes (a string, a list of
//! names, a boolean, a whole number, proficiencies, channel settings) as
//! leniently as IdPs need, parses the two closed sets Connect defines (a
//! [`PhoneKind`], a [`ContactChannel`]) in any spelling, and prints it.
//! Connect's rules for the other values (the profile cap, E.164, the
//! after-contact-work range) are in `rules`, applied through
//! `Directory::accept_user` before anything changes. The schema published
//! for it is in `schema`.
//!
//! A new Connect setting goes here (a field, its parse and print), in
//! `schema` (its attribute), in `rules` when Connect limits its values, and
//! in the adapter code that reads or writes it; the core does not change.

mod routing;
pub(crate) mod rules;
mod schema;

use std::fmt;

use aws_sdk_connect::types::{Channel, PhoneType};
use serde_json::{Map, Value};

use scim_core::schema::{ResourceSchema, Schema, member};
use scim_core::user::boolean;
use scim_core::{ScimError, UserExtension};

pub use routing::{ChannelConfig, Proficiency};
pub use schema::{CONNECT_SCHEMA, CONNECT_URN, CONNECT_USER_RESOURCE};

/// The full name of an extension attribute (`urn:…:User:name`), for
/// messages and canonical-value keys.
pub(crate) fn path(name: &str) -> String {
    format!("{CONNECT_URN}:{name}")
}

/// The Amazon Connect extension's attributes. `None` means the client does
/// not manage that setting (the directory keeps what it has, or decides by
/// department and defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentSettings {
    /// `proficiencies`: routing proficiencies (`Some(vec![])`: none).
    pub proficiencies: Option<Vec<Proficiency>>,
    /// `channelConfigs`: per-channel settings, one entry per channel.
    pub channel_configs: Option<Vec<ChannelConfig>>,
    /// `routingProfile`: a routing profile name.
    pub routing_profile: Option<String>,
    /// `securityProfiles`: security profile names, without repeats.
    pub security_profiles: Option<Vec<String>>,
    /// `hierarchyGroup`: a hierarchy group name or path (`A/B`).
    pub hierarchy_group: Option<String>,
    /// `phoneType`.
    pub phone_type: Option<PhoneKind>,
    /// `deskPhoneNumber`, as the client sent it (the directory checks it).
    pub desk_phone_number: Option<String>,
    /// `autoAccept`.
    pub auto_accept: Option<bool>,
    /// `afterContactWorkTimeLimit`, seconds.
    pub after_contact_work_time_limit: Option<i64>,
}

impl UserExtension for AgentSettings {
    const RESOURCE: &'static ResourceSchema = &CONNECT_USER_RESOURCE;
    const EXTENSION_SCHEMA: Option<&'static Schema> = Some(&CONNECT_SCHEMA);

    fn from_scim<'a>(lookup: &dyn Fn(&str) -> Option<&'a Value>) -> Result<Self, ScimError> {
        let text = |name: &str| text(lookup(name), name);
        let security_profiles = security_profiles(lookup("securityProfiles"))?;
        let phone_type = text("phoneType")?.as_deref().map(PhoneKind::parse).transpose()?;
        let desk_phone_number = text("deskPhoneNumber")?;
        let auto_accept = lookup("autoAccept")
            .filter(|v| !v.is_null())
            .map(|v| boolean(v, &path("autoAccept")))
            .transpose()?;
        let after_contact_work_time_limit = lookup("afterContactWorkTimeLimit")
            .filter(|v| !v.is_null())
            .map(|v| seconds(v, &path("afterContactWorkTimeLimit")))
            .transpose()?;
        Ok(Self {
            routing_profile: text("routingProfile")?,
            security_profiles,
            hierarchy_group: text("hierarchyGroup")?,
            phone_type,
            desk_phone_number,
            auto_accept,
            after_contact_work_time_limit,
            proficiencies: routing::proficiencies(lookup("proficiencies"))?,
            channel_configs: routing::channel_configs(lookup("channelConfigs"))?,
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
        put("phoneType", self.phone_type.map(|k| Value::from(k.to_string())));
        put("deskPhoneNumber", self.desk_phone_number.clone().map(Value::from));
        put("autoAccept", self.auto_accept.map(Value::from));
        put(
            "afterContactWorkTimeLimit",
            self.after_contact_work_time_limit.map(Value::from),
        );
        put(
            "proficiencies",
            self.proficiencies.as_deref().map(routing::proficiencies_to_scim),
        );
        put(
            "channelConfigs",
            self.channel_configs
                .as_deref()
                .map(routing::channel_configs_to_scim),
        );
        out
    }
}

/// `PhoneType`: how an agent takes voice contacts. Connect's spelling is the
/// SDK's ([`PhoneType`]); the adapter writes none of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PhoneKind {
    /// `SOFT_PHONE`: in the browser, Connect's default for a new agent.
    #[default]
    Soft,
    /// `DESK_PHONE`: calls ring `deskPhoneNumber`.
    Desk,
}

impl PhoneKind {
    /// "SOFT_PHONE | DESK_PHONE", whatever case and separator the client
    /// used (`desk-phone` is `DESK_PHONE`).
    pub fn parse(text: &str) -> Result<Self, ScimError> {
        let spelled = text.to_ascii_uppercase().replace(['-', ' '], "_");
        Self::of(&PhoneType::from(spelled.as_str())).ok_or_else(|| {
            ScimError::invalid_value(format!(
                "{} must be SOFT_PHONE or DESK_PHONE, not {text:?}",
                path("phoneType")
            ))
        })
    }

    /// The kind Connect reports, when it is one: a user configured per
    /// channel has no PhoneType, and the SDK then fills in a placeholder
    /// that must never be echoed back.
    pub(crate) fn of(reported: &PhoneType) -> Option<Self> {
        match reported {
            PhoneType::SoftPhone => Some(Self::Soft),
            PhoneType::DeskPhone => Some(Self::Desk),
            _ => None,
        }
    }
}

impl From<PhoneKind> for PhoneType {
    fn from(kind: PhoneKind) -> Self {
        match kind {
            PhoneKind::Soft => Self::SoftPhone,
            PhoneKind::Desk => Self::DeskPhone,
        }
    }
}

impl fmt::Display for PhoneKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(PhoneType::from(*self).as_str())
    }
}

/// The model's `Channel`: a contact channel an agent takes. Connect's
/// spelling is the SDK's ([`Channel`]); the order is the one an agent's
/// settings are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContactChannel {
    /// `VOICE`: its settings are also Connect's `PhoneConfig`.
    Voice,
    /// `CHAT`.
    Chat,
    /// `TASK`.
    Task,
    /// `EMAIL`.
    Email,
}

impl ContactChannel {
    /// Every channel, in listing order.
    pub const ALL: [Self; 4] = [Self::Voice, Self::Chat, Self::Task, Self::Email];

    /// A channel named in any case; `field` is the attribute, for the message.
    pub fn parse(text: &str, field: &str) -> Result<Self, ScimError> {
        Self::of(&Channel::from(text.to_ascii_uppercase().as_str())).ok_or_else(|| {
            ScimError::invalid_value(format!(
                "{field} {text:?} is not a channel; Amazon Connect's are VOICE, CHAT, TASK, EMAIL"
            ))
        })
    }

    /// The channel Connect reports, when it is one the bridge manages.
    pub(crate) fn of(reported: &Channel) -> Option<Self> {
        Self::ALL.into_iter().find(|c| Channel::from(*c) == *reported)
    }
}

impl From<ContactChannel> for Channel {
    fn from(channel: ContactChannel) -> Self {
        match channel {
            ContactChannel::Voice => Self::Voice,
            ContactChannel::Chat => Self::Chat,
            ContactChannel::Task => Self::Task,
            ContactChannel::Email => Self::Email,
        }
    }
}

impl fmt::Display for ContactChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Channel::from(*self).as_str())
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
/// any case.
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
    Ok((!names.is_empty()).then_some(names))
}

/// A time limit: whole seconds, as a number or a numeric string; `name` is
/// the attribute's full path, for the message.
pub(crate) fn seconds(value: &Value, name: &str) -> Result<i64, ScimError> {
    let seconds = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match seconds {
        Some(n) => Ok(n),
        None => Err(ScimError::invalid_value(format!(
            "{name} must be a whole number of seconds, not {value}"
        ))),
    }
}

#[cfg(test)]
mod tests;
