//! SCIM User ⇄ Amazon Connect user.
//!
//! | SCIM | Connect |
//! |---|---|
//! | `id` | UserId |
//! | `userName` | Username |
//! | `name.givenName` / `name.familyName` | IdentityInfo.FirstName / LastName (derived when absent: Connect requires both) |
//! | `emails[primary or first].value` | IdentityInfo.Email (mirrored in tags `scim:email`, so list pages need no DescribeUser, and `scim:emailKey`, lower case, for `emails.value eq` filters) |
//! | `enterprise:department` | picks SecurityProfileIds; the string itself in tag `scim:department` |
//! | `externalId`, `displayName`, `active` | tags `scim:externalId`, `scim:displayName`, `scim:active` |
//! | `meta.created` | tag `scim:created` |
//! | `meta.lastModified` | LastModifiedTime |
//! | `amazonconnect:phoneType`, `deskPhoneNumber`, `autoAccept`, `afterContactWorkTimeLimit` | PhoneConfig |
//! | `amazonconnect:hierarchyGroup` | HierarchyGroupId (read back as the group's path) |
//! | `amazonconnect:routingProfile` | RoutingProfileId; the choice in tag `scim:routingProfile` |
//! | `amazonconnect:securityProfiles` | the department's share of SecurityProfileIds; the choice in `scim:securityProfiles` tags |
//!
//! A disabled agent's own profiles are kept in `scim:savedProfiles` tags
//! while it holds the disabled profile. The profiles its IdP groups grant
//! are listed in `scim:groups` tags, so a department change keeps them.

use std::collections::BTreeMap;

use scim_core::{DirectoryError, UserId, UserName};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::identity::{Kept, nfc};
use crate::phone::Phone;
use crate::{AgentSettings, ChannelConfig, StoredUser, User};

pub(crate) const TAG_PREFIX: &str = "scim:";
pub(crate) const TAG_EXTERNAL_ID: &str = "scim:externalId";
pub(crate) const TAG_DISPLAY_NAME: &str = "scim:displayName";
pub(crate) const TAG_DEPARTMENT: &str = "scim:department";
pub(crate) const TAG_EMAIL: &str = "scim:email";
/// The email in lower case: tags compare exactly, SCIM emails do not.
pub(crate) const TAG_EMAIL_KEY: &str = "scim:emailKey";
pub(crate) const TAG_ACTIVE: &str = "scim:active";
pub(crate) const TAG_CREATED: &str = "scim:created";
pub(crate) const TAG_SAVED_PROFILES: &str = "scim:savedProfiles";
/// The security profiles a user holds through IdP groups.
pub(crate) const TAG_GROUPS: &str = "scim:groups";
/// The routing profile id the client chose (`amazonconnect:routingProfile`).
pub(crate) const TAG_ROUTING_CHOICE: &str = "scim:routingProfile";
/// The security profile ids the client chose (`amazonconnect:securityProfiles`).
pub(crate) const TAG_PROFILES_CHOICE: &str = "scim:securityProfiles";
/// On a user: the bridge manages it (made it, or it was adopted). On a
/// security profile: made by this bridge for an IdP group.
pub(crate) const TAG_MANAGED: &str = "scim:managed";
/// The idempotency key of the CreateUser call that made the user.
pub(crate) const TAG_CREATE_TOKEN: &str = "scim:createToken";

/// Connect's limit on a tag value.
pub(crate) const MAX_TAG_VALUE: usize = 256;
/// Profile ids per saved-profiles tag (5 × 36 + 4 commas fits in 256).
const IDS_PER_TAG: usize = 5;

/// What the adapter keeps of a Connect user between the read that found it
/// and the update that follows (the core carries it without looking), so an
/// update needs no second DescribeUser.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentHandle {
    /// The user's ARN: what TagResource and UntagResource address.
    pub(crate) arn: String,
    /// The security profiles the user holds.
    pub(crate) security_profile_ids: Vec<String>,
    /// The routing profile.
    pub(crate) routing_profile_id: String,
    /// The hierarchy group, if any.
    pub(crate) hierarchy_group_id: Option<String>,
    /// The identity SCIM does not manage, as DescribeUser reported it.
    pub(crate) kept: Kept,
    /// The bridge's own `scim:*` tags.
    pub(crate) tags: BTreeMap<String, String>,
}

/// An agent's email as far as a read knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum ReadEmail {
    /// Not read: SearchUsers never returns emails (the `scim:email` tag
    /// mirror stands in).
    #[default]
    Unread,
    /// What DescribeUser, or the write just made, says (`None`: no email).
    Read(Option<String>),
}

/// What Connect holds for one user, from DescribeUser or SearchUsers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Agent {
    pub id: String,
    pub arn: String,
    pub username: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: ReadEmail,
    pub security_profile_ids: Vec<String>,
    pub routing_profile_id: String,
    pub tags: BTreeMap<String, String>,
    pub last_modified: Option<OffsetDateTime>,
    pub phone: Option<Phone>,
    pub hierarchy_group_id: Option<String>,
    /// Per-channel settings, when Connect reports them.
    pub channels: Vec<ChannelConfig>,
    /// Read by DescribeUser only.
    pub kept: Kept,
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.filter(|s| !s.is_empty()).cloned()
}

impl Agent {
    /// The SCIM view of this Connect user.
    pub(crate) fn into_stored(self) -> Result<StoredUser, DirectoryError> {
        let user_name = UserName::new(self.username.clone())
            .map_err(|_| DirectoryError::Internal(format!("Connect user {} has no username", self.id)))?;
        let tag = |k: &str| non_empty(self.tags.get(k));
        let voice = self
            .channels
            .iter()
            .find(|c| c.channel == crate::ContactChannel::Voice);
        let others: Vec<ChannelConfig> = self
            .channels
            .iter()
            .filter(|c| c.channel != crate::ContactChannel::Voice)
            .cloned()
            .collect();
        let user = User {
            user_name,
            external_id: tag(TAG_EXTERNAL_ID),
            given_name: self.first_name.clone().filter(|s| !s.is_empty()),
            family_name: self.last_name.clone().filter(|s| !s.is_empty()),
            display_name: tag(TAG_DISPLAY_NAME),
            email: match &self.email {
                ReadEmail::Read(email) => email.clone().filter(|s| !s.is_empty()),
                ReadEmail::Unread => tag(TAG_EMAIL),
            },
            active: tag(TAG_ACTIVE).map(|v| v != "false"),
            department: tag(TAG_DEPARTMENT),
            // Names (routing, security profiles, hierarchy) are filled in by
            // the directory, which has the name indexes.
            extension: AgentSettings {
                // An agent set up per channel may have no PhoneConfig type:
                // its VOICE phone setting says it.
                phone_type: self
                    .phone
                    .as_ref()
                    .and_then(|p| p.phone_type)
                    .or_else(|| voice.and_then(|v| v.phone_type)),
                auto_accept: self.phone.as_ref().map(|p| p.auto_accept),
                after_contact_work_time_limit: self.phone.as_ref().map(|p| p.after_contact_work_seconds),
                desk_phone_number: self
                    .phone
                    .as_ref()
                    .and_then(|p| p.desk_phone_number.clone())
                    .or_else(|| voice.and_then(|v| v.desk_phone_number.clone())),
                // VOICE reads back through the single attributes above.
                channel_configs: Some(others).filter(|o| !o.is_empty()),
                // Only the client's own choice reads back (as with profiles).
                proficiencies: crate::proficiencies::granted(&self.tags)
                    .filter(|(_, from_map)| !from_map)
                    .map(|(list, _)| list),
                ..AgentSettings::default()
            },
            // Write-only: Connect never returns one.
            password: None,
        };
        let created = tag(TAG_CREATED).and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok());
        if self.arn.is_empty() {
            return Err(DirectoryError::Internal(format!(
                "Connect returned user {} without its ARN",
                self.id
            )));
        }
        let handle = AgentHandle {
            arn: self.arn,
            security_profile_ids: self.security_profile_ids,
            routing_profile_id: self.routing_profile_id,
            hierarchy_group_id: self.hierarchy_group_id,
            kept: self.kept,
            tags: self
                .tags
                .into_iter()
                .filter(|(k, _)| k.starts_with(TAG_PREFIX))
                .collect(),
        };
        Ok(StoredUser {
            id: UserId::new(self.id),
            user,
            // SearchUsers has no modification time; creation time is the best we know.
            last_modified: self.last_modified.or(created),
            created,
            handle,
            groups: Vec::new(),
        })
    }
}

/// `user` as it is after its tags became `tags` and (when given) its
/// security profiles `profiles`.
pub(crate) fn rewritten(
    user: &StoredUser,
    tags: &BTreeMap<String, String>,
    profiles: Option<&[String]>,
) -> StoredUser {
    let mut user = user.clone();
    user.handle.tags = tags.clone();
    if let Some(profiles) = profiles {
        user.handle.security_profile_ids = profiles.to_vec();
    }
    user
}

/// Whether `key` is one of the tags a list of ids under `list` is split into.
pub(crate) fn is_list_key(key: &str, list: &str) -> bool {
    key == list
        || key
            .strip_prefix(list)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|n| n.parse::<u32>().is_ok())
}

/// A list of ids kept in `list`, `list.2`, … tags, if any.
fn id_list(tags: &BTreeMap<String, String>, list: &str) -> Option<Vec<String>> {
    let mut ids = Vec::new();
    let mut found = false;
    for (k, v) in tags {
        if is_list_key(k, list) {
            found = true;
            ids.extend(v.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
        }
    }
    found.then_some(ids)
}

/// Writes `ids` as `list`, `list.2`, … tags (none when `ids` is empty,
/// unless `keep_empty`).
fn put_id_list(tags: &mut BTreeMap<String, String>, list: &str, ids: &[String], keep_empty: bool) {
    tags.retain(|k, _| !is_list_key(k, list));
    if ids.is_empty() && keep_empty {
        tags.insert(list.to_owned(), String::new());
    }
    for (i, chunk) in ids.chunks(IDS_PER_TAG).enumerate() {
        let key = if i == 0 {
            list.to_owned()
        } else {
            format!("{list}.{}", i + 1)
        };
        tags.insert(key, chunk.join(","));
    }
}

/// The profiles saved while disabled, if any.
pub(crate) fn saved_profiles(tags: &BTreeMap<String, String>) -> Option<Vec<String>> {
    id_list(tags, TAG_SAVED_PROFILES)
}

/// The profiles the user's IdP groups grant.
pub(crate) fn group_profiles(tags: &BTreeMap<String, String>) -> Vec<String> {
    id_list(tags, TAG_GROUPS).unwrap_or_default()
}

/// `tags` with the group-granted profiles set to `ids`.
pub(crate) fn with_group_profiles(
    tags: &BTreeMap<String, String>,
    ids: &[String],
) -> BTreeMap<String, String> {
    let mut tags = tags.clone();
    put_id_list(&mut tags, TAG_GROUPS, ids, false);
    tags
}

/// The client's routing and security profile choices (ids), from tags.
pub(crate) fn choices(tags: &BTreeMap<String, String>) -> (Option<String>, Option<Vec<String>>) {
    (
        tags.get(TAG_ROUTING_CHOICE).filter(|v| !v.is_empty()).cloned(),
        id_list(tags, TAG_PROFILES_CHOICE).filter(|ids| !ids.is_empty()),
    )
}

/// `tags` with the client's choices set to `routing` and `profiles`.
pub(crate) fn with_choices(
    tags: &BTreeMap<String, String>,
    routing: Option<&str>,
    profiles: Option<&[String]>,
) -> BTreeMap<String, String> {
    let mut tags = tags.clone();
    match routing {
        Some(id) => tags.insert(TAG_ROUTING_CHOICE.to_owned(), id.to_owned()),
        None => tags.remove(TAG_ROUTING_CHOICE),
    };
    put_id_list(
        &mut tags,
        TAG_PROFILES_CHOICE,
        profiles.unwrap_or_default(),
        false,
    );
    tags
}

/// `tags` with the saved profiles set to `ids`.
pub(crate) fn with_saved_profiles(
    tags: &BTreeMap<String, String>,
    ids: &[String],
) -> BTreeMap<String, String> {
    let mut tags = tags.clone();
    put_id_list(&mut tags, TAG_SAVED_PROFILES, ids, true);
    tags
}

/// First and last name for Connect, which requires both: the client's, else
/// split from displayName, else the userName's local part.
pub(crate) fn connect_names(user: &User) -> (String, String) {
    let fallback = || {
        if let Some(display) = user
            .display_name
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            return match display.rsplit_once(' ') {
                Some((first, last)) => (first.trim().to_owned(), last.trim().to_owned()),
                None => (display.to_owned(), display.to_owned()),
            };
        }
        let local = user
            .user_name
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned();
        (local.clone(), local)
    };
    let (first_fallback, last_fallback) = fallback();
    // Connect takes names in NFC only (see `identity::nfc`).
    (
        nfc(user.given_name.as_deref().unwrap_or(&first_fallback)),
        nfc(user.family_name.as_deref().unwrap_or(&last_fallback)),
    )
}

/// Tags about the Connect user rather than the SCIM attributes, written at
/// creation and carried unchanged by every update.
const BOOKKEEPING: [&str; 3] = [TAG_CREATED, TAG_CREATE_TOKEN, TAG_MANAGED];

/// The bookkeeping tags of a new user: its creation time, the idempotency
/// key of the CreateUser call, and the mark that the bridge manages it.
pub(crate) fn new_bookkeeping(create_token: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (TAG_MANAGED.to_owned(), "true".to_owned()),
        (TAG_CREATED.to_owned(), now_rfc3339()),
        (TAG_CREATE_TOKEN.to_owned(), create_token.to_owned()),
    ])
}

/// The bookkeeping tags an update carries over (a user made outside SCIM
/// gets its creation time from its first update), group grants included.
pub(crate) fn kept_bookkeeping(current: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut kept: BTreeMap<String, String> = current
        .iter()
        .filter(|(k, _)| BOOKKEEPING.contains(&k.as_str()) || is_list_key(k, TAG_GROUPS))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    kept.entry(TAG_CREATED.to_owned()).or_insert_with(now_rfc3339);
    kept
}

/// The scim:* tags that represent `user`, plus the `bookkeeping` tags as
/// they are; `saved` are the profiles to restore when re-enabled.
pub(crate) fn desired_tags(
    user: &User,
    bookkeeping: &BTreeMap<String, String>,
    saved: Option<&[String]>,
) -> Result<BTreeMap<String, String>, DirectoryError> {
    let mut tags = bookkeeping.clone();
    let mut put = |key: &str, value: Option<&str>, scim_name: &str| -> Result<(), DirectoryError> {
        if let Some(v) = value {
            tags.insert(key.to_owned(), tag_value(v, scim_name)?);
        }
        Ok(())
    };
    put(TAG_EXTERNAL_ID, user.external_id.as_deref(), "externalId")?;
    put(TAG_DISPLAY_NAME, user.display_name.as_deref(), "displayName")?;
    put(TAG_DEPARTMENT, user.department.as_deref(), "department")?;
    put(
        TAG_ACTIVE,
        user.active.map(|a| if a { "true" } else { "false" }),
        "active",
    )?;
    // The email mirror is an optimisation: skip it rather than fail when too long.
    if let Some(email) = user
        .email
        .as_deref()
        .filter(|e| e.chars().count() <= MAX_TAG_VALUE)
    {
        tags.insert(TAG_EMAIL.to_owned(), email.to_owned());
        tags.insert(TAG_EMAIL_KEY.to_owned(), email.to_lowercase());
    }
    if let Some(saved) = saved {
        put_id_list(&mut tags, TAG_SAVED_PROFILES, saved, true);
    }
    Ok(tags)
}

/// `value` as a tag value, refused when longer than a tag holds.
pub(crate) fn tag_value(value: &str, scim_name: &str) -> Result<String, DirectoryError> {
    if value.chars().count() > MAX_TAG_VALUE {
        return Err(DirectoryError::InvalidValue(format!(
            "{scim_name} is longer than {MAX_TAG_VALUE} characters, the most an Amazon Connect tag holds"
        )));
    }
    Ok(value.to_owned())
}

/// RFC 3339 now, for `scim:created`.
pub(crate) fn now_rfc3339() -> String {
    OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| OffsetDateTime::now_utc())
        .format(&Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> User {
        User::new(UserName::new(name).unwrap())
    }

    #[test]
    fn names_are_derived_when_missing() {
        let mut u = user("ann.lee@example.com");
        assert_eq!(connect_names(&u), ("ann.lee".into(), "ann.lee".into()));
        u.display_name = Some("Ann Marie Lee".into());
        assert_eq!(connect_names(&u), ("Ann Marie".into(), "Lee".into()));
        u.given_name = Some("Annie".into());
        assert_eq!(connect_names(&u), ("Annie".into(), "Lee".into()));
    }

    #[test]
    fn tags_round_trip_through_an_agent() {
        let mut u = user("ann");
        u.external_id = Some("e-1".into());
        u.display_name = Some("Ann".into());
        u.department = Some("Sales".into());
        u.email = Some("ann@example.com".into());
        u.active = Some(false);
        u.given_name = Some("Ann".into());
        u.family_name = Some("Lee".into());
        let saved: Vec<String> = (0..7).map(|i| format!("{i:0>36}")).collect();
        let tags = desired_tags(&u, &new_bookkeeping("token"), Some(&saved)).unwrap();
        assert!(tags.values().all(|v| v.len() <= MAX_TAG_VALUE));
        assert_eq!(saved_profiles(&tags), Some(saved));
        let agent = Agent {
            id: "id".into(),
            arn: "arn".into(),
            username: "ann".into(),
            first_name: Some("Ann".into()),
            last_name: Some("Lee".into()),
            email: ReadEmail::Unread,
            tags,
            ..Agent::default()
        };
        let stored = agent.into_stored().unwrap();
        assert_eq!(stored.user, u);
        assert!(stored.created.is_some());
        // Nine for the attributes and saved profiles, plus the create token
        // and the managed mark.
        assert_eq!(stored.handle.tags.clone().len(), 11);
        let kept = kept_bookkeeping(&stored.handle.tags.clone());
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            [TAG_CREATE_TOKEN, TAG_CREATED, TAG_MANAGED],
            "an update keeps the managed mark"
        );
        assert_eq!(
            kept[TAG_CREATE_TOKEN], "token",
            "an update carries the create token over"
        );
    }

    #[test]
    fn over_long_values_are_refused_before_any_call() {
        let mut u = user("ann");
        u.display_name = Some("x".repeat(257));
        assert!(matches!(
            desired_tags(&u, &BTreeMap::new(), None),
            Err(DirectoryError::InvalidValue(_))
        ));
    }
}
