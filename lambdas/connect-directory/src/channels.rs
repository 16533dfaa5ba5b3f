//! Per-channel settings (`channelConfigs`): auto-accept and after-contact
//! work for VOICE, CHAT, TASK and EMAIL, and the VOICE phone, through
//! CreateUser's `*Configs` members and UpdateUserConfig.
//!
//! How they live beside the single `phoneType`, `deskPhoneNumber`,
//! `autoAccept` and `afterContactWorkTimeLimit` (Connect's `PhoneConfig`,
//! the VOICE view):
//! - CreateUser: "Fields in PhoneConfig cannot be set simultaneously with
//!   their corresponding channel-specific configuration parameters." A
//!   create with `channelConfigs` therefore sends no `PhoneConfig`: the
//!   single attributes become VOICE entries (the after-contact limit every
//!   channel's, as `PhoneConfig`'s is), and an entry the client wrote for a
//!   channel wins over them.
//! - Updates: a changed entry is one UpdateUserConfig; a changed single
//!   attribute stays UpdateUserPhoneConfig, which "will always set the same
//!   ACW timeouts to all channels the user handles" — so when the agent's
//!   channels hold different limits, the single attributes are written as
//!   the VOICE entry with UpdateUserConfig instead, never resetting what
//!   someone set per channel. Where both change in one request, the
//!   per-channel entry is written last and wins.

use aws_sdk_connect::types::{
    AfterContactWorkConfig, AfterContactWorkConfigPerChannel, AutoAcceptConfig, Channel, PhoneNumberConfig,
    PhoneType,
};
use scim_core::{DirectoryError, DirectoryResult};

use crate::agent::rules;
use crate::phone::{Phone, check_desk_number};
use crate::{ChannelConfig, ContactChannel, PhoneKind};

const VOICE: ContactChannel = ContactChannel::Voice;

fn path(name: &str) -> String {
    crate::agent::path(&format!("channelConfigs.{name}"))
}

/// `list` checked against Connect's rules: phone settings on VOICE only, an
/// E.164 number, an after-contact limit in range (channels and phone types
/// are known once parsed).
pub(crate) fn accept(list: &[ChannelConfig]) -> DirectoryResult<()> {
    for c in list {
        if c.channel != VOICE && (c.phone_type.is_some() || c.desk_phone_number.is_some()) {
            return Err(DirectoryError::InvalidValue(format!(
                "{} and deskPhoneNumber are VOICE settings, not {}",
                path("phoneType"),
                c.channel
            )));
        }
        if let Some(number) = &c.desk_phone_number {
            rules::check_e164(number, &path("deskPhoneNumber"))?;
        }
        if let Some(seconds) = c.after_contact_work_time_limit {
            rules::check_after_contact_work(seconds, &path("afterContactWorkTimeLimit"))?;
        }
    }
    Ok(())
}

/// An agent's per-channel settings as DescribeUser or SearchUsers reports
/// them (limits in seconds in both), in channel order; empty when Connect
/// reports none.
pub(crate) fn read(
    auto_accept: &[AutoAcceptConfig],
    after_contact_work: &[AfterContactWorkConfigPerChannel],
    phones: &[PhoneNumberConfig],
) -> Vec<ChannelConfig> {
    let mut out: Vec<ChannelConfig> = Vec::new();
    let known = ContactChannel::of;
    for c in auto_accept {
        if let Some(name) = known(c.channel()) {
            entry(&mut out, name).auto_accept = Some(c.auto_accept());
        }
    }
    for c in after_contact_work {
        if let (Some(name), Some(limit)) = (known(c.channel()), c.after_contact_work_config()) {
            entry(&mut out, name).after_contact_work_time_limit =
                Some(i64::from(limit.after_contact_work_time_limit()));
        }
    }
    for c in phones {
        if let Some(name) = known(c.channel()) {
            let e = entry(&mut out, name);
            e.phone_type = PhoneKind::of(c.phone_type());
            e.desk_phone_number = c.phone_number().filter(|n| !n.is_empty()).map(str::to_owned);
        }
    }
    out.sort_by_key(|c| c.channel);
    out
}

/// The entry for `channel` in `list`, added when missing.
fn entry(list: &mut Vec<ChannelConfig>, channel: ContactChannel) -> &mut ChannelConfig {
    let i = match list.iter().position(|c| c.channel == channel) {
        Some(i) => i,
        None => {
            list.push(ChannelConfig::new(channel));
            list.len() - 1
        }
    };
    &mut list[i]
}

/// Settings to write per channel: one UpdateUserConfig, or CreateUser's
/// `*Configs` members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChannelWrites {
    pub auto_accept: Vec<(ContactChannel, bool)>,
    pub after_contact_work: Vec<(ContactChannel, i64)>,
    /// The VOICE phone: type and desk number.
    pub phone: Option<(PhoneKind, Option<String>)>,
}

impl ChannelWrites {
    pub(crate) fn is_empty(&self) -> bool {
        self.auto_accept.is_empty() && self.after_contact_work.is_empty() && self.phone.is_none()
    }

    fn set_auto_accept(&mut self, channel: ContactChannel, on: bool) {
        self.auto_accept.retain(|(c, _)| *c != channel);
        self.auto_accept.push((channel, on));
    }

    fn set_after_contact_work(&mut self, channel: ContactChannel, seconds: i64) {
        self.after_contact_work.retain(|(c, _)| *c != channel);
        self.after_contact_work.push((channel, seconds));
    }

    /// What the client's entries change over `current` (entries echoed
    /// unchanged write nothing). A desk phone needs a number.
    pub(crate) fn between(current: &[ChannelConfig], desired: &[ChannelConfig]) -> DirectoryResult<Self> {
        let mut writes = Self::default();
        for want in desired {
            let have = current.iter().find(|c| c.channel == want.channel);
            if let Some(on) = want
                .auto_accept
                .filter(|on| have.and_then(|c| c.auto_accept) != Some(*on))
            {
                writes.set_auto_accept(want.channel, on);
            }
            if let Some(limit) = want
                .after_contact_work_time_limit
                .filter(|l| have.and_then(|c| c.after_contact_work_time_limit) != Some(*l))
            {
                writes.set_after_contact_work(want.channel, limit);
            }
            let held_type = have.and_then(|c| c.phone_type);
            let held_number = have.and_then(|c| c.desk_phone_number.clone());
            let type_changes = want.phone_type.is_some() && want.phone_type != held_type;
            let number_changes = want.desk_phone_number.is_some() && want.desk_phone_number != held_number;
            if type_changes || number_changes {
                let kind = want.phone_type.or(held_type).unwrap_or_default();
                writes.phone = Some(voice_phone(kind, want.desk_phone_number.clone().or(held_number))?);
            }
        }
        Ok(writes)
    }

    /// The single attributes' `phone` as VOICE settings (its after-contact
    /// limit every channel's when `all_channels`).
    pub(crate) fn from_phone(phone: &Phone, all_channels: bool) -> DirectoryResult<Self> {
        let mut writes = Self::default();
        writes.set_auto_accept(VOICE, phone.auto_accept);
        let channels: &[ContactChannel] = if all_channels {
            &ContactChannel::ALL
        } else {
            &[VOICE]
        };
        for c in channels {
            writes.set_after_contact_work(*c, phone.after_contact_work_seconds);
        }
        let kind = phone.phone_type_to_send()?;
        writes.phone = Some(voice_phone(kind, phone.desk_phone_number.clone())?);
        Ok(writes)
    }

    /// `self`, then `later` written over it.
    pub(crate) fn then(mut self, later: &ChannelWrites) -> Self {
        for (c, on) in &later.auto_accept {
            self.set_auto_accept(*c, *on);
        }
        for (c, limit) in &later.after_contact_work {
            self.set_after_contact_work(*c, *limit);
        }
        if later.phone.is_some() {
            self.phone.clone_from(&later.phone);
        }
        self
    }

    /// `current` as it is after these writes.
    pub(crate) fn applied(&self, current: &[ChannelConfig]) -> Vec<ChannelConfig> {
        let mut out = current.to_vec();
        for (c, on) in &self.auto_accept {
            entry(&mut out, *c).auto_accept = Some(*on);
        }
        for (c, limit) in &self.after_contact_work {
            entry(&mut out, *c).after_contact_work_time_limit = Some(*limit);
        }
        if let Some((kind, number)) = &self.phone {
            let voice = entry(&mut out, VOICE);
            voice.phone_type = Some(*kind);
            voice.desk_phone_number.clone_from(number);
        }
        out.sort_by_key(|c| c.channel);
        out
    }

    /// The three `*Configs` lists, `None` where nothing is written.
    #[allow(clippy::type_complexity)]
    pub(crate) fn lists(
        &self,
    ) -> DirectoryResult<(
        Option<Vec<AutoAcceptConfig>>,
        Option<Vec<AfterContactWorkConfigPerChannel>>,
        Option<Vec<PhoneNumberConfig>>,
    )> {
        let built =
            |e: aws_smithy_types::error::operation::BuildError| DirectoryError::Internal(e.to_string());
        let auto_accept = self
            .auto_accept
            .iter()
            .map(|(c, on)| {
                AutoAcceptConfig::builder()
                    .channel(Channel::from(*c))
                    .auto_accept(*on)
                    .build()
                    .map_err(built)
            })
            .collect::<DirectoryResult<Vec<_>>>()?;
        let after_contact_work = self
            .after_contact_work
            .iter()
            .map(|(c, limit)| {
                let limit = i32::try_from(*limit).unwrap_or(i32::MAX);
                AfterContactWorkConfigPerChannel::builder()
                    .channel(Channel::from(*c))
                    .after_contact_work_config(
                        AfterContactWorkConfig::builder()
                            .after_contact_work_time_limit(limit)
                            .build(),
                    )
                    .build()
                    .map_err(built)
            })
            .collect::<DirectoryResult<Vec<_>>>()?;
        let phone = self
            .phone
            .as_ref()
            .map(|(kind, number)| {
                PhoneNumberConfig::builder()
                    .channel(Channel::Voice)
                    .phone_type(PhoneType::from(*kind))
                    .set_phone_number(number.clone())
                    .build()
                    .map_err(built)
            })
            .transpose()?;
        Ok((
            (!auto_accept.is_empty()).then_some(auto_accept),
            (!after_contact_work.is_empty()).then_some(after_contact_work),
            phone.map(|p| vec![p]),
        ))
    }
}

/// The VOICE phone to write; a desk phone needs its number.
fn voice_phone(kind: PhoneKind, number: Option<String>) -> DirectoryResult<(PhoneKind, Option<String>)> {
    check_desk_number(kind, number.as_deref())?;
    Ok((kind, number))
}

/// Whether the agent's channels hold after-contact limits that differ from
/// one another: UpdateUserPhoneConfig would reset them all to one.
pub(crate) fn limits_differ(current: &[ChannelConfig]) -> bool {
    let mut limits = current.iter().filter_map(|c| c.after_contact_work_time_limit);
    limits.next().is_some_and(|first| limits.any(|l| l != first))
}

/// How a new agent's channels read back before anything sets them (our
/// reading: the reference states no defaults; only a POST's answer relies on
/// it, every later read comes from Connect): no auto-accept and no
/// after-contact limit on every channel, a soft phone on VOICE.
pub(crate) fn new_agent_defaults() -> Vec<ChannelConfig> {
    ContactChannel::ALL
        .into_iter()
        .map(|c| ChannelConfig {
            channel: c,
            auto_accept: Some(false),
            after_contact_work_time_limit: Some(0),
            phone_type: (c == VOICE).then_some(PhoneKind::Soft),
            desk_phone_number: None,
        })
        .collect()
}

/// `list` (the channels other than VOICE, as reads show them) with the VOICE
/// entry the single settings `phone` stand for, when there is a list.
pub(crate) fn with_voice(list: &[ChannelConfig], phone: Option<&Phone>) -> Vec<ChannelConfig> {
    let mut out: Vec<ChannelConfig> = list.iter().filter(|c| c.channel != VOICE).cloned().collect();
    if let (false, Some(phone)) = (out.is_empty(), phone) {
        out.insert(
            0,
            ChannelConfig {
                channel: VOICE,
                auto_accept: Some(phone.auto_accept),
                after_contact_work_time_limit: Some(phone.after_contact_work_seconds),
                phone_type: phone.phone_type,
                desk_phone_number: phone.desk_phone_number.clone(),
            },
        );
    }
    out
}

/// The `PhoneConfig` view of `list`: its VOICE settings.
pub(crate) fn voice_view(list: &[ChannelConfig]) -> Option<Phone> {
    let voice = list.iter().find(|c| c.channel == VOICE)?;
    Some(Phone {
        phone_type: voice.phone_type,
        auto_accept: voice.auto_accept.unwrap_or(false),
        after_contact_work_seconds: voice.after_contact_work_time_limit.unwrap_or(0),
        desk_phone_number: voice.desk_phone_number.clone(),
    })
}

/// A new agent's lists: the single attributes' `phone` as VOICE settings
/// (when the client gave any), then the client's entries over them.
pub(crate) fn for_create(phone: Option<&Phone>, desired: &[ChannelConfig]) -> DirectoryResult<ChannelWrites> {
    let base = match phone {
        Some(phone) => ChannelWrites::from_phone(phone, true)?,
        None => ChannelWrites::default(),
    };
    let entries = ChannelWrites::between(&[], desired)?;
    let mut writes = base.then(&entries);
    // A desk phone's number may come from the single attribute while the
    // entry changes only the type (or the other way round).
    if let (Some((kind, number)), Some(phone)) = (&mut writes.phone, phone)
        && number.is_none()
    {
        number.clone_from(&phone.desk_phone_number);
        voice_phone(*kind, number.clone())?;
    }
    if writes.phone.is_none() {
        writes.phone = Some((PhoneKind::Soft, None));
    }
    Ok(writes)
}

#[cfg(test)]
mod tests {
    use super::*;

    use ContactChannel::{Chat, Task, Voice};

    fn entry(channel: ContactChannel) -> ChannelConfig {
        ChannelConfig::new(channel)
    }

    fn all(auto_accept: bool, limit: i64) -> Vec<ChannelConfig> {
        ContactChannel::ALL
            .into_iter()
            .map(|c| ChannelConfig {
                auto_accept: Some(auto_accept),
                after_contact_work_time_limit: Some(limit),
                phone_type: (c == VOICE).then_some(PhoneKind::Soft),
                ..entry(c)
            })
            .collect()
    }

    #[test]
    fn only_what_an_entry_changes_is_written() {
        let current = all(false, 0);
        let echo = current.clone();
        assert!(ChannelWrites::between(&current, &echo).unwrap().is_empty());
        let chat = ChannelConfig {
            auto_accept: Some(true),
            after_contact_work_time_limit: Some(0),
            ..entry(Chat)
        };
        let writes = ChannelWrites::between(&current, &[chat]).unwrap();
        assert_eq!(
            writes,
            ChannelWrites {
                auto_accept: vec![(Chat, true)],
                ..ChannelWrites::default()
            }
        );
        let after = writes.applied(&current);
        assert_eq!(after[1].auto_accept, Some(true));
        assert_eq!(after[0].auto_accept, Some(false), "VOICE untouched");
        let desk = ChannelConfig {
            phone_type: Some(PhoneKind::Desk),
            ..entry(Voice)
        };
        assert!(ChannelWrites::between(&current, std::slice::from_ref(&desk)).is_err());
        let desk = ChannelConfig {
            desk_phone_number: Some("+12065550100".into()),
            ..desk
        };
        let writes = ChannelWrites::between(&current, &[desk]).unwrap();
        assert_eq!(writes.phone, Some((PhoneKind::Desk, Some("+12065550100".into()))));
    }

    #[test]
    fn a_create_sends_the_single_settings_as_voice_and_entries_win() {
        let phone = Phone {
            phone_type: Some(PhoneKind::Soft),
            auto_accept: true,
            after_contact_work_seconds: 30,
            desk_phone_number: None,
        };
        let chat = ChannelConfig {
            after_contact_work_time_limit: Some(60),
            ..entry(Chat)
        };
        let writes = for_create(Some(&phone), &[chat]).unwrap();
        assert_eq!(writes.auto_accept, vec![(Voice, true)]);
        assert!(writes.after_contact_work.contains(&(Chat, 60)));
        assert!(writes.after_contact_work.contains(&(Task, 30)));
        assert_eq!(writes.phone, Some((PhoneKind::Soft, None)));
        let (aa, acw, phones) = writes.lists().unwrap();
        assert_eq!(
            (aa.unwrap().len(), acw.unwrap().len(), phones.unwrap().len()),
            (1, 4, 1)
        );
    }

    #[test]
    fn unequal_limits_are_noticed() {
        let mut current = all(false, 0);
        assert!(!limits_differ(&current));
        current[2].after_contact_work_time_limit = Some(45);
        assert!(limits_differ(&current));
    }

    #[test]
    fn entries_are_checked_against_connects_rules() {
        let ok = ChannelConfig {
            phone_type: Some(PhoneKind::Desk),
            desk_phone_number: Some("+12065550100".into()),
            ..entry(Voice)
        };
        accept(&[ok]).unwrap();
        for bad in [
            ChannelConfig {
                phone_type: Some(PhoneKind::Soft),
                ..entry(Chat)
            },
            ChannelConfig {
                after_contact_work_time_limit: Some(-1),
                ..entry(Chat)
            },
            ChannelConfig {
                desk_phone_number: Some("555".into()),
                ..entry(Voice)
            },
        ] {
            assert!(accept(std::slice::from_ref(&bad)).is_err(), "{bad:?}");
        }
    }
}
