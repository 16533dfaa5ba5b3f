//! Amazon Connect's rules for the extension's values, applied before
//! anything changes (`Directory::accept_user`): each written once, here,
//! with the API reference beside it.

use super::path;
use crate::User;
use scim_core::{DirectoryError, DirectoryResult};

/// "SecurityProfileIds … Maximum number of 10 items" (CreateUser,
/// UpdateUserSecurityProfiles).
pub(crate) const MAX_PROFILES: usize = 10;

/// "AfterContactWorkTimeLimit … Minimum value of 0" and the console's
/// ceiling of 2,000,000 seconds (the model states no maximum; Connect
/// refuses larger values).
pub(crate) const MAX_AFTER_CONTACT_WORK: i64 = 2_000_000;

/// `user` with its extension values checked against Connect's rules.
pub(crate) fn accept(mut user: User) -> DirectoryResult<User> {
    let agent = &mut user.extension;
    if let Some(names) = &agent.security_profiles
        && names.len() > MAX_PROFILES
    {
        return Err(DirectoryError::InvalidValue(format!(
            "{} names {} security profiles; Amazon Connect allows at most {MAX_PROFILES}",
            path("securityProfiles"),
            names.len()
        )));
    }
    if let Some(number) = &agent.desk_phone_number {
        check_e164(number, &path("deskPhoneNumber"))?;
    }
    if let Some(seconds) = agent.after_contact_work_time_limit {
        check_after_contact_work(seconds, &path("afterContactWorkTimeLimit"))?;
    }
    if let Some(mut list) = agent.channel_configs.take() {
        crate::channels::accept(&list)?;
        // The VOICE entry is another spelling of the single settings
        // (Connect's PhoneConfig is the VOICE view), and wins where both are
        // sent: one source for each setting, so no two mapped IdP attributes
        // can undo each other's write on every sync. Reads show VOICE
        // through the single attributes only.
        if let Some(i) = list
            .iter()
            .position(|c| c.channel == crate::ContactChannel::Voice)
        {
            let voice = list.remove(i);
            agent.auto_accept = voice.auto_accept.or(agent.auto_accept);
            agent.after_contact_work_time_limit = voice
                .after_contact_work_time_limit
                .or(agent.after_contact_work_time_limit);
            agent.phone_type = voice.phone_type.or(agent.phone_type.take());
            agent.desk_phone_number = voice.desk_phone_number.or(agent.desk_phone_number.take());
        }
        agent.channel_configs = (!list.is_empty()).then_some(list);
    }
    if let Some(list) = &agent.proficiencies {
        crate::proficiencies::check(list, &path("proficiencies"))?;
    }
    Ok(user)
}

/// An invalid value unless `number` is E.164; `name` is the attribute.
pub(crate) fn check_e164(number: &str, name: &str) -> DirectoryResult<()> {
    if is_e164(number) {
        return Ok(());
    }
    Err(DirectoryError::InvalidValue(format!(
        "{name} must be an E.164 number such as +12065550100, not {number:?}"
    )))
}

/// An invalid value unless `seconds` is an after-contact work limit Connect
/// takes; `name` is the attribute.
pub(crate) fn check_after_contact_work(seconds: i64, name: &str) -> DirectoryResult<()> {
    if (0..=MAX_AFTER_CONTACT_WORK).contains(&seconds) {
        return Ok(());
    }
    Err(DirectoryError::InvalidValue(format!(
        "{name} must be a whole number of seconds from 0 to {MAX_AFTER_CONTACT_WORK}, not {seconds}"
    )))
}

/// `DeskPhoneNumber`: "The phone number for the user's desk phone", which
/// Connect takes in E.164: `+` and 2 to 15 digits, the first not 0.
fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

#[cfg(test)]
mod tests {
    use crate::AgentSettings;
    use scim_core::UserName;

    use super::*;

    fn with(agent: AgentSettings) -> User {
        let mut user = User::new(UserName::new("a").unwrap());
        user.extension = agent;
        user
    }

    #[test]
    fn values_connect_refuses_are_refused_first() {
        let eleven: Vec<String> = (0..=MAX_PROFILES).map(|i| format!("p{i}")).collect();
        for (bad, says) in [
            (
                AgentSettings {
                    desk_phone_number: Some("+0123".into()),
                    ..AgentSettings::default()
                },
                "E.164",
            ),
            (
                AgentSettings {
                    desk_phone_number: Some("12065550100".into()),
                    ..AgentSettings::default()
                },
                "E.164",
            ),
            (
                AgentSettings {
                    after_contact_work_time_limit: Some(-1),
                    ..AgentSettings::default()
                },
                "2000000",
            ),
            (
                AgentSettings {
                    after_contact_work_time_limit: Some(MAX_AFTER_CONTACT_WORK + 1),
                    ..AgentSettings::default()
                },
                "2000000",
            ),
            (
                AgentSettings {
                    security_profiles: Some(eleven),
                    ..AgentSettings::default()
                },
                "at most 10",
            ),
        ] {
            let err = accept(with(bad.clone())).unwrap_err();
            assert!(
                matches!(&err, DirectoryError::InvalidValue(m) if m.contains(says)),
                "{bad:?}: {err:?}"
            );
        }
        assert!(is_e164("+442071838750") && !is_e164("+1") && !is_e164("+1206555010012345"));
    }
}
