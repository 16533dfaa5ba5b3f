//! Per-channel user settings: `UpdateUserConfig`, CreateUser's `*Configs`
//! members, and how they live alongside the single `PhoneConfig`.
//!
//! A user holds an auto-accept and an after-contact-work setting for every
//! channel (our choice: a fresh user reads back `false` and `0` on each, as
//! `PhoneConfig` reads back for a user created without one), plus the
//! VOICE-only phone, persistent connection and voice enhancement settings
//! once something set them. `PhoneConfig` stays the VOICE view:
//! `UpdateUserConfig` on VOICE shows in it, and `UpdateUserPhoneConfig`
//! shows in the channel settings — its ACW limit on every channel, since
//! "the UpdateUserPhoneConfig API will always set the same ACW timeouts to
//! all channels the user handles" (UpdateUserPhoneConfig).

use crate::error::ConnectError;
use crate::validate;
use crate::wire::*;
use crate::world::{World, now};

/// The model's `Channel` enum, in the order a user's settings are listed.
pub(crate) const CHANNELS: [&str; 4] = ["VOICE", "CHAT", "TASK", "EMAIL"];
const VOICE: &str = "VOICE";
const VOICE_ENHANCEMENT_MODES: [&str; 3] = ["VOICE_ISOLATION", "NOISE_SUPPRESSION", "NONE"];
/// AfterContactWorkConfigs: "The minimum setting is 1 second, and the
/// maximum is 2,000,000 seconds (24 days). Enter 0 for an indefinite amount
/// of time" (the model's own bound is only `min: 0`).
const MAX_ACW_SECONDS: i64 = 2_000_000;

/// CreateUser: "Fields in PhoneConfig cannot be set simultaneously with
/// their corresponding channel-specific configuration parameters.
/// Specifically: PhoneConfig.AutoAccept conflicts with AutoAcceptConfigs;
/// PhoneConfig.AfterContactWorkTimeLimit conflicts with
/// AfterContactWorkConfigs; PhoneConfig.PhoneType and PhoneConfig.PhoneNumber
/// conflict with PhoneNumberConfigs; PhoneConfig.PersistentConnection
/// conflicts with PersistentConnectionConfigs." (`PhoneConfig.PhoneNumber` is
/// read as `DeskPhoneNumber`, the only number `UserPhoneConfig` has; a list
/// sent at all, even empty, counts as set.) VoiceEnhancementConfigs has no
/// `PhoneConfig` counterpart, so it conflicts with nothing.
pub(crate) fn check_no_conflict(
    phone: Option<&PhoneConfig>,
    configs: &ChannelConfigs,
) -> Result<(), ConnectError> {
    let Some(phone) = phone else {
        return Ok(());
    };
    let conflicts = [
        (
            "PhoneConfig.AutoAccept",
            phone.auto_accept.is_some(),
            "AutoAcceptConfigs",
            configs.auto_accept_configs.is_some(),
        ),
        (
            "PhoneConfig.AfterContactWorkTimeLimit",
            phone.after_contact_work_time_limit.is_some(),
            "AfterContactWorkConfigs",
            configs.after_contact_work_configs.is_some(),
        ),
        (
            "PhoneConfig.PhoneType and PhoneConfig.DeskPhoneNumber",
            phone.phone_type.is_some() || phone.desk_phone_number.is_some(),
            "PhoneNumberConfigs",
            configs.phone_number_configs.is_some(),
        ),
        (
            "PhoneConfig.PersistentConnection",
            phone.persistent_connection.is_some(),
            "PersistentConnectionConfigs",
            configs.persistent_connection_configs.is_some(),
        ),
    ];
    for (single, single_set, per_channel, per_channel_set) in conflicts {
        if single_set && per_channel_set {
            return Err(ConnectError::invalid(format!(
                "{single} cannot be set together with {per_channel}; use one or the other"
            )));
        }
    }
    Ok(())
}

/// A `Channel` member: required, one of [`CHANNELS`], and VOICE only where
/// the model's documentation says "Only VOICE is supported for this data type".
fn channel<'a>(value: Option<&'a String>, list: &str, voice_only: bool) -> Result<&'a str, ConnectError> {
    let channel = value
        .map(String::as_str)
        .ok_or_else(|| ConnectError::invalid(format!("{list}[].Channel is required")))?;
    if !CHANNELS.contains(&channel) {
        return Err(ConnectError::invalid(format!(
            "{list}[].Channel {channel:?} must be one of VOICE, CHAT, TASK, EMAIL"
        )));
    }
    if voice_only && channel != VOICE {
        return Err(ConnectError::invalid(format!(
            "{list}[].Channel must be VOICE: only VOICE is supported for this data type"
        )));
    }
    Ok(channel)
}

/// Each channel at most once per list (our choice: the model does not say
/// which of two entries would win).
fn once<'a>(seen: &mut Vec<&'a str>, channel: &'a str, list: &str) -> Result<(), ConnectError> {
    if seen.contains(&channel) {
        return Err(ConnectError::invalid(format!(
            "{list} lists channel {channel} more than once"
        )));
    }
    seen.push(channel);
    Ok(())
}

fn required<T>(value: Option<T>, member: &str) -> Result<T, ConnectError> {
    value.ok_or_else(|| ConnectError::invalid(format!("{member} is required")))
}

fn acw(config: Option<&AfterContactWorkConfig>) -> Result<(), ConnectError> {
    let limit = config.and_then(|c| c.after_contact_work_time_limit);
    if limit.is_some_and(|v| !(0..=MAX_ACW_SECONDS).contains(&v)) {
        return Err(ConnectError::invalid(
            "AfterContactWorkTimeLimit must be between 0 and 2000000 seconds",
        ));
    }
    Ok(())
}

/// The `*Configs` lists of a request, against the model (required members,
/// enums, E.164 numbers) and its documentation (VOICE-only settings, ACW
/// bounds, a desk phone needs its number).
pub(crate) fn check(configs: &ChannelConfigs) -> Result<(), ConnectError> {
    // AgentFirstCallback*: "This setting only applies to the VOICE channel."
    // Read as a refusal elsewhere (our reading: a setting that cannot apply
    // is more likely a caller's mistake than something to drop silently).
    let agent_first = |channel: &str, set: bool, member: &str| {
        if set && channel != VOICE {
            return Err(ConnectError::invalid(format!(
                "{member} only applies to the VOICE channel"
            )));
        }
        Ok(())
    };
    let mut seen = Vec::new();
    for c in configs.auto_accept_configs.iter().flatten() {
        let ch = channel(c.channel.as_ref(), "AutoAcceptConfigs", false)?;
        once(&mut seen, ch, "AutoAcceptConfigs")?;
        required(c.auto_accept, "AutoAcceptConfigs[].AutoAccept")?;
        agent_first(
            ch,
            c.agent_first_callback_auto_accept.is_some(),
            "AgentFirstCallbackAutoAccept",
        )?;
    }
    let mut seen = Vec::new();
    for c in configs.after_contact_work_configs.iter().flatten() {
        let ch = channel(c.channel.as_ref(), "AfterContactWorkConfigs", false)?;
        once(&mut seen, ch, "AfterContactWorkConfigs")?;
        acw(Some(required(
            c.after_contact_work_config.as_ref(),
            "AfterContactWorkConfigs[].AfterContactWorkConfig",
        )?))?;
        acw(c.agent_first_callback_after_contact_work_config.as_ref())?;
        agent_first(
            ch,
            c.agent_first_callback_after_contact_work_config.is_some(),
            "AgentFirstCallbackAfterContactWorkConfig",
        )?;
    }
    let mut seen = Vec::new();
    for c in configs.phone_number_configs.iter().flatten() {
        let ch = channel(c.channel.as_ref(), "PhoneNumberConfigs", true)?;
        once(&mut seen, ch, "PhoneNumberConfigs")?;
        let kind = required(c.phone_type.as_ref(), "PhoneNumberConfigs[].PhoneType")?;
        // The same rules as UserPhoneConfig's PhoneType and DeskPhoneNumber.
        validate::phone_config(&PhoneConfig {
            phone_type: Some(kind.clone()),
            desk_phone_number: c.phone_number.clone(),
            ..PhoneConfig::default()
        })?;
    }
    let mut seen = Vec::new();
    for c in configs.persistent_connection_configs.iter().flatten() {
        let ch = channel(c.channel.as_ref(), "PersistentConnectionConfigs", true)?;
        once(&mut seen, ch, "PersistentConnectionConfigs")?;
        required(
            c.persistent_connection,
            "PersistentConnectionConfigs[].PersistentConnection",
        )?;
    }
    let mut seen = Vec::new();
    for c in configs.voice_enhancement_configs.iter().flatten() {
        let ch = channel(c.channel.as_ref(), "VoiceEnhancementConfigs", true)?;
        once(&mut seen, ch, "VoiceEnhancementConfigs")?;
        let mode = required(
            c.voice_enhancement_mode.as_deref(),
            "VoiceEnhancementConfigs[].VoiceEnhancementMode",
        )?;
        if !VOICE_ENHANCEMENT_MODES.contains(&mode) {
            return Err(ConnectError::invalid(format!(
                "VoiceEnhancementMode {mode:?} must be one of VOICE_ISOLATION, NOISE_SUPPRESSION, NONE"
            )));
        }
    }
    Ok(())
}

/// A setting for one channel.
trait PerChannel: Clone {
    fn channel(&self) -> Option<&String>;
}

macro_rules! per_channel {
    ($($shape:ty),*) => {$(
        impl PerChannel for $shape {
            fn channel(&self) -> Option<&String> {
                self.channel.as_ref()
            }
        }
    )*};
}

per_channel!(
    AutoAcceptConfig,
    AfterContactWorkConfigPerChannel,
    PhoneNumberConfig,
    PersistentConnectionConfig,
    VoiceEnhancementConfig
);

fn order(channel: Option<&String>) -> usize {
    CHANNELS
        .iter()
        .position(|c| Some(*c) == channel.map(String::as_str))
        .unwrap_or(CHANNELS.len())
}

/// `current` with `update`'s entries in place of the same channels'.
fn merge_list<T: PerChannel>(current: &mut Option<Vec<T>>, update: Option<&Vec<T>>) {
    let Some(update) = update else {
        return;
    };
    let list = current.get_or_insert_with(Vec::new);
    for entry in update {
        list.retain(|held| held.channel() != entry.channel());
        list.push(entry.clone());
    }
    list.sort_by_key(|e| order(e.channel()));
}

/// Applies a checked request's lists to a user's settings: the channels a
/// list names change, every other setting stays.
pub(crate) fn merge(current: &mut ChannelConfigs, update: &ChannelConfigs) {
    merge_list(
        &mut current.auto_accept_configs,
        update.auto_accept_configs.as_ref(),
    );
    merge_list(
        &mut current.after_contact_work_configs,
        update.after_contact_work_configs.as_ref(),
    );
    merge_list(
        &mut current.phone_number_configs,
        update.phone_number_configs.as_ref(),
    );
    merge_list(
        &mut current.persistent_connection_configs,
        update.persistent_connection_configs.as_ref(),
    );
    merge_list(
        &mut current.voice_enhancement_configs,
        update.voice_enhancement_configs.as_ref(),
    );
    // An ACW setting sent without its limit (SDKs may drop a zero) is 0.
    for c in current.after_contact_work_configs.iter_mut().flatten() {
        let limit = &mut c
            .after_contact_work_config
            .get_or_insert_with(AfterContactWorkConfig::default)
            .after_contact_work_time_limit;
        limit.get_or_insert(0);
    }
}

/// The VOICE entry of a list.
fn voice<T: PerChannel>(list: &Option<Vec<T>>) -> Option<T> {
    list.iter()
        .flatten()
        .find(|e| e.channel().is_some_and(|c| c == VOICE))
        .cloned()
}

/// The channel settings `PhoneConfig` stands for: AutoAccept, PhoneType and
/// DeskPhoneNumber, PersistentConnection on VOICE; the ACW limit on every
/// channel (see the module documentation).
pub(crate) fn from_phone(phone: &PhoneConfig) -> ChannelConfigs {
    let voice = || Some(VOICE.to_owned());
    ChannelConfigs {
        auto_accept_configs: phone.auto_accept.map(|on| {
            vec![AutoAcceptConfig {
                channel: voice(),
                auto_accept: Some(on),
                agent_first_callback_auto_accept: None,
            }]
        }),
        after_contact_work_configs: phone.after_contact_work_time_limit.map(|limit| {
            CHANNELS
                .iter()
                .map(|c| AfterContactWorkConfigPerChannel {
                    channel: Some((*c).to_owned()),
                    after_contact_work_config: Some(AfterContactWorkConfig {
                        after_contact_work_time_limit: Some(limit),
                    }),
                    agent_first_callback_after_contact_work_config: None,
                })
                .collect()
        }),
        phone_number_configs: phone.phone_type.as_ref().map(|kind| {
            vec![PhoneNumberConfig {
                channel: voice(),
                phone_type: Some(kind.clone()),
                phone_number: phone.desk_phone_number.clone(),
            }]
        }),
        persistent_connection_configs: phone.persistent_connection.map(|on| {
            vec![PersistentConnectionConfig {
                channel: voice(),
                persistent_connection: Some(on),
            }]
        }),
        voice_enhancement_configs: None,
    }
}

/// A new user's settings: `false` and `0` on every channel, then what its
/// `PhoneConfig` stands for, then the request's own lists.
pub(crate) fn for_new_user(phone: &PhoneConfig, requested: &ChannelConfigs) -> ChannelConfigs {
    let mut configs = from_phone(&PhoneConfig {
        auto_accept: Some(false),
        after_contact_work_time_limit: Some(0),
        ..PhoneConfig::default()
    });
    let all_channels = ChannelConfigs {
        auto_accept_configs: Some(
            CHANNELS
                .iter()
                .map(|c| AutoAcceptConfig {
                    channel: Some((*c).to_owned()),
                    auto_accept: Some(false),
                    agent_first_callback_auto_accept: None,
                })
                .collect(),
        ),
        ..ChannelConfigs::default()
    };
    merge(&mut configs, &all_channels);
    merge(&mut configs, &from_phone(phone));
    merge(&mut configs, requested);
    configs
}

/// Shows the VOICE settings in `phone` (the `PhoneConfig` view).
pub(crate) fn voice_into_phone(configs: &ChannelConfigs, phone: &mut PhoneConfig) {
    if let Some(c) = voice(&configs.auto_accept_configs) {
        phone.auto_accept = c.auto_accept;
    }
    if let Some(c) = voice(&configs.after_contact_work_configs) {
        phone.after_contact_work_time_limit = c
            .after_contact_work_config
            .and_then(|a| a.after_contact_work_time_limit)
            .or(Some(0));
    }
    if let Some(c) = voice(&configs.phone_number_configs) {
        phone.phone_type = c.phone_type;
        phone.desk_phone_number = c.phone_number;
    }
    if let Some(c) = voice(&configs.persistent_connection_configs) {
        phone.persistent_connection = c.persistent_connection;
    }
}

fn is_empty(configs: &ChannelConfigs) -> bool {
    *configs == ChannelConfigs::default()
}

impl World {
    /// `UpdateUserConfig`: the channels each list names change; the rest stay.
    pub(crate) fn update_user_config(
        &mut self,
        instance_id: &str,
        user_id: &str,
        request: ChannelConfigs,
    ) -> Result<(), ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        instance.user(user_id)?;
        // Our choice (the model marks no list required): a request that
        // changes nothing is refused, so a caller cannot pay a call for it.
        if is_empty(&request) {
            return Err(ConnectError::invalid(
                "UpdateUserConfig needs at least one of AutoAcceptConfigs, AfterContactWorkConfigs, PhoneNumberConfigs, PersistentConnectionConfigs, VoiceEnhancementConfigs",
            ));
        }
        check(&request)?;
        let user = instance.user_mut(user_id)?;
        merge(&mut user.channel_configs, &request);
        voice_into_phone(&user.channel_configs, &mut user.phone_config);
        user.last_modified_time = now();
        instance.reindex_user(user_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(channel: &str, on: bool) -> AutoAcceptConfig {
        AutoAcceptConfig {
            channel: Some(channel.into()),
            auto_accept: Some(on),
            agent_first_callback_auto_accept: None,
        }
    }

    #[test]
    fn phone_config_and_its_channel_lists_conflict() {
        let phone = PhoneConfig {
            auto_accept: Some(true),
            ..PhoneConfig::default()
        };
        let lists = ChannelConfigs {
            auto_accept_configs: Some(vec![auto("CHAT", true)]),
            ..ChannelConfigs::default()
        };
        assert!(check_no_conflict(Some(&phone), &lists).is_err());
        assert!(check_no_conflict(None, &lists).is_ok());
        let soft = PhoneConfig {
            phone_type: Some("SOFT_PHONE".into()),
            ..PhoneConfig::default()
        };
        assert!(check_no_conflict(Some(&soft), &lists).is_ok());
        let numbers = ChannelConfigs {
            phone_number_configs: Some(Vec::new()),
            ..ChannelConfigs::default()
        };
        assert!(check_no_conflict(Some(&soft), &numbers).is_err());
    }

    #[test]
    fn lists_follow_the_model() {
        let ok = ChannelConfigs {
            auto_accept_configs: Some(vec![auto("VOICE", true), auto("CHAT", false)]),
            ..ChannelConfigs::default()
        };
        assert!(check(&ok).is_ok());
        for bad in [
            vec![auto("FAX", true)],
            vec![auto("CHAT", true), auto("CHAT", false)],
            vec![AutoAcceptConfig {
                auto_accept: None,
                ..auto("VOICE", true)
            }],
            vec![AutoAcceptConfig {
                agent_first_callback_auto_accept: Some(true),
                ..auto("CHAT", true)
            }],
        ] {
            let configs = ChannelConfigs {
                auto_accept_configs: Some(bad),
                ..ChannelConfigs::default()
            };
            assert!(check(&configs).is_err(), "{configs:?}");
        }
        let chat_phone = ChannelConfigs {
            phone_number_configs: Some(vec![PhoneNumberConfig {
                channel: Some("CHAT".into()),
                phone_type: Some("SOFT_PHONE".into()),
                phone_number: None,
            }]),
            ..ChannelConfigs::default()
        };
        assert!(check(&chat_phone).is_err());
    }

    #[test]
    fn a_new_user_has_every_channel_and_voice_shows_in_phone_config() {
        let phone = PhoneConfig::default();
        let requested = ChannelConfigs {
            auto_accept_configs: Some(vec![auto("CHAT", true)]),
            ..ChannelConfigs::default()
        };
        let configs = for_new_user(&phone, &requested);
        let auto: Vec<_> = configs
            .auto_accept_configs
            .iter()
            .flatten()
            .map(|c| (c.channel.clone().unwrap_or_default(), c.auto_accept))
            .collect();
        assert_eq!(auto.len(), 4);
        assert_eq!(auto[1], ("CHAT".to_owned(), Some(true)));
        assert_eq!(configs.after_contact_work_configs.iter().flatten().count(), 4);
        let mut view = PhoneConfig::default();
        merge(&mut configs.clone(), &ChannelConfigs::default());
        voice_into_phone(&configs, &mut view);
        assert_eq!(view.auto_accept, Some(false));
        assert_eq!(view.after_contact_work_time_limit, Some(0));
    }
}
