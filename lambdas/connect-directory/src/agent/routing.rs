//! The extension's routing attributes: `proficiencies` and `channelConfigs`.
//! Only shapes are checked here; which attributes, values, levels and
//! channels Amazon Connect accepts is the adapter's business
//! (`Directory::accept_user`).

use serde_json::{Map, Value, json};

use scim_core::ScimError;
use scim_core::schema::member;
use scim_core::user::boolean;

use super::{ContactChannel, PhoneKind, path};

/// One routing proficiency: a predefined attribute's value and a level,
/// e.g. `Language = Spanish` at 4.
#[derive(Debug, Clone, PartialEq)]
pub struct Proficiency {
    /// `attributeName`: the predefined attribute, e.g. `Language`.
    pub attribute_name: String,
    /// `attributeValue`: one of its values, e.g. `Spanish`.
    pub attribute_value: String,
    /// `level`, as the client sent it (the directory checks the range).
    pub level: f64,
}

// Levels are parsed from JSON numbers, which are never NaN, so equality is
// reflexive.
impl Eq for Proficiency {}

impl Proficiency {
    /// Reads a list in any form `proficiencies` takes (objects, or text like
    /// `"Language=Spanish:4; Skill=Billing:2"`), e.g. for a configuration
    /// file; `None` when blank.
    pub fn parse_list(value: &Value) -> Result<Option<Vec<Proficiency>>, ScimError> {
        proficiencies(Some(value))
    }

    /// `Name=Value:level`, the compact form (also accepted on input).
    pub fn compact(&self) -> String {
        format!("{}={}:{}", self.attribute_name, self.attribute_value, self.level)
    }

    /// Whether `other` names the same attribute value (whatever the level).
    pub fn same_key(&self, other: &Proficiency) -> bool {
        self.attribute_name.eq_ignore_ascii_case(&other.attribute_name)
            && self.attribute_value.eq_ignore_ascii_case(&other.attribute_value)
    }
}

/// The settings of one contact channel (`VOICE`, `CHAT`, `TASK`, `EMAIL`).
/// `None` leaves a setting as Connect has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelConfig {
    /// `channel`.
    pub channel: ContactChannel,
    /// `autoAccept`.
    pub auto_accept: Option<bool>,
    /// `afterContactWorkTimeLimit`, seconds.
    pub after_contact_work_time_limit: Option<i64>,
    /// `phoneType` (voice only).
    pub phone_type: Option<PhoneKind>,
    /// `deskPhoneNumber` (voice only).
    pub desk_phone_number: Option<String>,
}

impl ChannelConfig {
    /// `channel` with every setting left as Connect has it.
    pub fn new(channel: ContactChannel) -> Self {
        Self {
            channel,
            auto_accept: None,
            after_contact_work_time_limit: None,
            phone_type: None,
            desk_phone_number: None,
        }
    }

    /// `later`'s settings over these.
    fn merge(&mut self, later: ChannelConfig) {
        self.auto_accept = later.auto_accept.or(self.auto_accept);
        self.after_contact_work_time_limit = later
            .after_contact_work_time_limit
            .or(self.after_contact_work_time_limit);
        self.phone_type = later.phone_type.or(self.phone_type.take());
        self.desk_phone_number = later.desk_phone_number.or(self.desk_phone_number.take());
    }
}

/// `proficiencies`: a list of `{attributeName, attributeValue, level}`
/// objects, or the compact text IdP expressions produce most easily:
/// `"Language=Spanish:4; Skill=Billing:2"` (also as a list of such strings).
/// `null` or blank is unmanaged; an empty list is "none". A value named
/// twice takes the later level (a PATCH `add` appends, so what it adds wins).
pub(super) fn proficiencies(value: Option<&Value>) -> Result<Option<Vec<Proficiency>>, ScimError> {
    let mut out: Vec<Proficiency> = Vec::new();
    let mut push = |p: Proficiency| {
        match out.iter_mut().find(|held| held.same_key(&p)) {
            Some(held) => held.level = p.level,
            None => out.push(p),
        }
        Ok::<(), ScimError>(())
    };
    match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
        Some(Value::String(s)) => compact_list(s)?.into_iter().try_for_each(&mut push)?,
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(s) => compact_list(s)?.into_iter().try_for_each(&mut push)?,
                    Value::Object(map) => push(proficiency_object(map)?)?,
                    other => return Err(not_proficiencies(other)),
                }
            }
        }
        Some(Value::Object(map)) => push(proficiency_object(map)?)?,
        Some(other) => return Err(not_proficiencies(other)),
    }
    Ok(Some(out))
}

fn not_proficiencies(what: &Value) -> ScimError {
    ScimError::invalid_value(format!(
        "{} must be a list of {{\"attributeName\", \"attributeValue\", \"level\"}} objects or text like \"Language=Spanish:4\", not {what}",
        path("proficiencies")
    ))
}

/// The entries of compact text: separated by `;` or new lines, trimmed,
/// blanks dropped.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty())
}

/// A compact `entry` of `attribute` that is not in the `form` shown.
fn not_compact(attribute: &str, entry: &str, form: &str) -> ScimError {
    ScimError::invalid_value(format!("{}: {entry:?} is not {form}", path(attribute)))
}

/// `Name=Value:level` entries separated by `;` (or new lines).
fn compact_list(text: &str) -> Result<Vec<Proficiency>, ScimError> {
    entries(text)
        .map(|entry| {
            let bad = || {
                not_compact(
                    "proficiencies",
                    entry,
                    "Name=Value:level (e.g. Language=Spanish:4)",
                )
            };
            let (name, rest) = entry.split_once('=').ok_or_else(bad)?;
            let (value, level) = rest.rsplit_once(':').ok_or_else(bad)?;
            let level: f64 = level.trim().parse().map_err(|_| bad())?;
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() || value.is_empty() || !level.is_finite() {
                return Err(bad());
            }
            Ok(Proficiency {
                attribute_name: name.to_owned(),
                attribute_value: value.to_owned(),
                level,
            })
        })
        .collect()
}

fn proficiency_object(map: &Map<String, Value>) -> Result<Proficiency, ScimError> {
    let text = |name: &str| {
        member(map, name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                ScimError::invalid_value(format!(
                    "{}.{name} is required (a string) in {}",
                    path("proficiencies"),
                    Value::Object(map.clone())
                ))
            })
    };
    let level = member(map, "level");
    let level = match level {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok().filter(|l| l.is_finite()),
        _ => None,
    }
    .ok_or_else(|| {
        ScimError::invalid_value(format!(
            "{}.level must be a number, not {}",
            path("proficiencies"),
            level.unwrap_or(&Value::Null)
        ))
    })?;
    Ok(Proficiency {
        attribute_name: text("attributeName")?,
        attribute_value: text("attributeValue")?,
        level,
    })
}

/// `channelConfigs`: a list of `{channel, autoAccept,
/// afterContactWorkTimeLimit, phoneType, deskPhoneNumber}` objects, at most
/// one per channel. `null` or an empty list is unmanaged. A channel named
/// twice takes the later entry's settings over the earlier's (a PATCH `add`
/// appends, so what it adds wins).
pub(super) fn channel_configs(value: Option<&Value>) -> Result<Option<Vec<ChannelConfig>>, ScimError> {
    let not_configs = |other: &Value| {
        ScimError::invalid_value(format!(
            "{} must be a list of {{\"channel\", …}} objects or text like \"CHAT:autoAccept=true,afterContactWorkTimeLimit=30\", not {other}",
            path("channelConfigs")
        ))
    };
    let mut items: Vec<Value> = Vec::new();
    match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => items.extend(compact_channels(s)?),
        Some(Value::Array(list)) => {
            for item in list {
                match item {
                    Value::String(s) => items.extend(compact_channels(s)?),
                    Value::Object(_) => items.push(item.clone()),
                    other => return Err(not_configs(other)),
                }
            }
        }
        Some(one @ Value::Object(_)) => items.push(one.clone()),
        Some(other) => return Err(not_configs(other)),
    }
    let mut out: Vec<ChannelConfig> = Vec::new();
    for item in &items {
        let config = channel_config(item)?;
        match out.iter_mut().find(|c| c.channel == config.channel) {
            Some(held) => held.merge(config),
            None => out.push(config),
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// The compact text an IdP attribute holds most easily (Okta's custom
/// attributes are strings or string arrays): `CHANNEL:name=value,…` entries
/// separated by `;`, e.g.
/// `"CHAT:autoAccept=true,afterContactWorkTimeLimit=30; VOICE:phoneType=DESK_PHONE,deskPhoneNumber=+12065550100"`.
fn compact_channels(text: &str) -> Result<Vec<Value>, ScimError> {
    entries(text)
        .map(|entry| {
            let bad = || {
                not_compact(
                    "channelConfigs",
                    entry,
                    "CHANNEL:name=value,… (e.g. CHAT:autoAccept=true)",
                )
            };
            let (channel, settings) = entry.split_once(':').unwrap_or((entry, ""));
            let mut object = Map::new();
            object.insert("channel".into(), channel.trim().into());
            for setting in settings.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (name, value) = setting.split_once('=').ok_or_else(bad)?;
                object.insert(name.trim().to_owned(), value.trim().into());
            }
            if object.len() == 1 {
                return Err(bad());
            }
            Ok(Value::Object(object))
        })
        .collect()
}

fn channel_config(item: &Value) -> Result<ChannelConfig, ScimError> {
    let name = path("channelConfigs");
    let Value::Object(map) = item else {
        return Err(ScimError::invalid_value(format!(
            "{name} entries must be objects, not {item}"
        )));
    };
    let get = |key: &str| member(map, key).filter(|v| !v.is_null());
    let text = |key: &str| match get(key) {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(other) => Err(ScimError::invalid_value(format!(
            "{name}.{key} must be a string, not {other}"
        ))),
    };
    let channel = text("channel")?.ok_or_else(|| {
        ScimError::invalid_value(format!(
            "{name}.channel is required (VOICE, CHAT, TASK or EMAIL) in {item}"
        ))
    })?;
    let channel = ContactChannel::parse(&channel, &format!("{name}.channel"))?;
    Ok(ChannelConfig {
        channel,
        auto_accept: get("autoAccept")
            .map(|v| boolean(v, &format!("{name}.autoAccept")))
            .transpose()?,
        after_contact_work_time_limit: get("afterContactWorkTimeLimit")
            .map(|v| super::seconds(v, &format!("{name}.afterContactWorkTimeLimit")))
            .transpose()?,
        phone_type: text("phoneType")?.as_deref().map(PhoneKind::parse).transpose()?,
        desk_phone_number: text("deskPhoneNumber")?,
    })
}

/// The SCIM form of a proficiency list.
pub(super) fn proficiencies_to_scim(list: &[Proficiency]) -> Value {
    list.iter()
        .map(|p| {
            // Whole levels print as integers (the schema's type); others,
            // refused by Connect anyway, as they came.
            #[allow(clippy::cast_possible_truncation)]
            let level = match p.level.fract() == 0.0 && p.level.abs() < 1e15 {
                true => Value::from(p.level as i64),
                false => Value::from(p.level),
            };
            json!({
                "attributeName": p.attribute_name,
                "attributeValue": p.attribute_value,
                "level": level,
            })
        })
        .collect()
}

/// The SCIM form of channel settings (settings left as Connect has them
/// are omitted).
pub(super) fn channel_configs_to_scim(list: &[ChannelConfig]) -> Value {
    list.iter()
        .map(|c| {
            let mut out = Map::new();
            out.insert("channel".into(), c.channel.to_string().into());
            if let Some(v) = c.auto_accept {
                out.insert("autoAccept".into(), v.into());
            }
            if let Some(v) = c.after_contact_work_time_limit {
                out.insert("afterContactWorkTimeLimit".into(), v.into());
            }
            if let Some(v) = c.phone_type {
                out.insert("phoneType".into(), v.to_string().into());
            }
            if let Some(v) = &c.desk_phone_number {
                out.insert("deskPhoneNumber".into(), v.clone().into());
            }
            Value::Object(out)
        })
        .collect()
}
