//! Phone settings between the SDK and the adapter.

use aws_sdk_connect::types::{PhoneType, UserPhoneConfig};
use scim_core::{DirectoryError, DirectoryResult};

use crate::{AgentSettings, PhoneKind};

/// Phone settings as SearchUsers (`millis`) or DescribeUser reports them.
pub(crate) fn phone_of(config: Option<&UserPhoneConfig>, millis: bool) -> Option<Phone> {
    let config = config?;
    let acw = i64::from(config.after_contact_work_time_limit());
    Some(Phone {
        phone_type: PhoneKind::of(config.phone_type()),
        auto_accept: config.auto_accept(),
        after_contact_work_seconds: if millis { acw / 1000 } else { acw },
        desk_phone_number: config
            .desk_phone_number()
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
    })
}

pub(crate) fn phone_config(phone: &Phone) -> DirectoryResult<UserPhoneConfig> {
    Ok(UserPhoneConfig::builder()
        .phone_type(PhoneType::from(phone.phone_type_to_send()?))
        .auto_accept(phone.auto_accept)
        .after_contact_work_time_limit(i32::try_from(phone.after_contact_work_seconds).unwrap_or(i32::MAX))
        .set_desk_phone_number(phone.desk_phone_number.clone())
        .build())
}

/// A desk phone rings its number, so Connect needs one: refused before any
/// call when missing (the single settings and the VOICE entry alike).
pub(crate) fn check_desk_number(kind: PhoneKind, number: Option<&str>) -> DirectoryResult<()> {
    if kind == PhoneKind::Desk && number.is_none() {
        return Err(DirectoryError::InvalidValue(
            "a DESK_PHONE agent needs a deskPhoneNumber (E.164, e.g. +12065550100)".to_owned(),
        ));
    }
    Ok(())
}

/// A user's phone settings, after-contact work in seconds. The phone type
/// can be unknown: since per-channel settings, a user read from Connect may
/// have no `PhoneConfig.PhoneType`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Phone {
    pub phone_type: Option<PhoneKind>,
    pub auto_accept: bool,
    pub after_contact_work_seconds: i64,
    pub desk_phone_number: Option<String>,
}

impl Phone {
    /// The settings a stored user reads back with, when known.
    pub(crate) fn of(agent: &AgentSettings) -> Option<Self> {
        let known = agent.phone_type.is_some()
            || agent.auto_accept.is_some()
            || agent.after_contact_work_time_limit.is_some();
        known.then(|| Phone {
            phone_type: agent.phone_type,
            auto_accept: agent.auto_accept.unwrap_or(false),
            after_contact_work_seconds: agent.after_contact_work_time_limit.unwrap_or(0),
            desk_phone_number: agent.desk_phone_number.clone(),
        })
    }

    /// The settings `agent` asks for over `current` (Connect's defaults for
    /// a new agent: soft phone, no auto-accept, no limit); an invalid value
    /// when a desk phone has no number.
    pub(crate) fn merged(agent: &AgentSettings, current: Option<&Phone>) -> Result<Self, DirectoryError> {
        let current = current.cloned().unwrap_or_else(|| Phone {
            phone_type: Some(PhoneKind::Soft),
            ..Phone::default()
        });
        let phone = Phone {
            phone_type: agent.phone_type.or(current.phone_type),
            auto_accept: agent.auto_accept.unwrap_or(current.auto_accept),
            after_contact_work_seconds: agent
                .after_contact_work_time_limit
                .unwrap_or(current.after_contact_work_seconds),
            desk_phone_number: agent.desk_phone_number.clone().or(current.desk_phone_number),
        };
        if let Some(kind) = phone.phone_type {
            check_desk_number(kind, phone.desk_phone_number.as_deref())?;
        }
        Ok(phone)
    }

    /// The phone type to send. `UserPhoneConfig.PhoneType` is required by
    /// the SDK this crate builds on (the current model makes it optional),
    /// so a change to an agent whose type Connect does not report needs the
    /// client to say which: a guessed type would be written back as if the
    /// admin had chosen it.
    pub(crate) fn phone_type_to_send(&self) -> Result<PhoneKind, DirectoryError> {
        self.phone_type.ok_or_else(|| {
            DirectoryError::InvalidValue(
                "this agent has no phone type in Amazon Connect (it uses per-channel settings); \
                 send phoneType (SOFT_PHONE or DESK_PHONE) with autoAccept, afterContactWorkTimeLimit \
                 or deskPhoneNumber"
                    .to_owned(),
            )
        })
    }
}
