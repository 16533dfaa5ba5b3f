//! Connect's input constraints, written out by hand from its service model
//! and API reference. Rules that depend on the instance's identity
//! management type live in `identity`, which calls these.

use crate::error::ConnectError;
use crate::wire::{CreateSecurityProfileRequest, IdentityInfo, PhoneConfig, Tags};

/// A failed instance lookup. The model's `InstanceId` shape is 1 to 100
/// characters: an id outside that is malformed (400) rather than unknown (404).
pub fn unknown_instance(id: &str) -> ConnectError {
    if (1..=100).contains(&id.chars().count()) {
        ConnectError::not_found(format!("Instance {id} not found"))
    } else {
        ConnectError::invalid("InstanceId must be 1 to 100 characters")
    }
}

/// SAML instances: at most 64 characters from `[a-zA-Z0-9_-.@]`, and `@` only
/// in an email form (`testuser@example` is refused, `testuser@example.com` is not).
pub fn username(name: &str) -> Result<(), ConnectError> {
    if name.is_empty() || name.chars().count() > 64 {
        return Err(ConnectError::invalid(
            "Username must be between 1 and 64 characters for SAML instances",
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
    {
        return Err(ConnectError::invalid(
            "Username can only contain characters from [a-zA-Z0-9_-.@]",
        ));
    }
    if name.contains('@') && !is_email(name) {
        return Err(ConnectError::invalid(
            "Username can include @ only if used in an email format",
        ));
    }
    Ok(())
}

/// `[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}`, at most 265 characters.
pub fn is_email(value: &str) -> bool {
    if value.len() > 265 {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'));
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let tld_ok = (2..=63).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_alphabetic());
    local_ok && host_ok && tld_ok
}

/// E.164: `\+[1-9]\d{1,14}`.
pub fn is_e164(value: &str) -> bool {
    let Some(digits) = value.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) && !digits.starts_with('0')
}

/// SAML and CONNECT_MANAGED instances require first and last names; then
/// [`identity_format`].
pub fn identity_info(info: &IdentityInfo) -> Result<(), ConnectError> {
    let first = info.first_name.as_deref().unwrap_or_default();
    let last = info.last_name.as_deref().unwrap_or_default();
    if first.trim().is_empty() || last.trim().is_empty() {
        return Err(ConnectError::invalid(
            "IdentityInfo.FirstName and IdentityInfo.LastName are required",
        ));
    }
    identity_format(info)
}

/// The members' own constraints, whichever are present: lengths per the
/// model, names in NFC, email and E.164 forms.
pub fn identity_format(info: &IdentityInfo) -> Result<(), ConnectError> {
    let first = info.first_name.as_deref().unwrap_or_default();
    let last = info.last_name.as_deref().unwrap_or_default();
    // FirstName, LastName: "Inputs must be in Unicode Normalization Form C
    // (NFC). Text containing characters in a non-NFC form (for example,
    // decomposed characters or combining marks) are not accepted."
    for (field, value) in [("FirstName", first), ("LastName", last)] {
        if !unicode_normalization::is_nfc(value) {
            return Err(ConnectError::invalid(format!(
                "{field} must be in Unicode Normalization Form C (NFC)"
            )));
        }
    }
    if first.chars().count() > 255 {
        return Err(ConnectError::invalid("FirstName must be at most 255 characters"));
    }
    if last.chars().count() > 300 {
        return Err(ConnectError::invalid("LastName must be at most 300 characters"));
    }
    for (field, value) in [("Email", &info.email), ("SecondaryEmail", &info.secondary_email)] {
        if let Some(v) = value
            && !is_email(v)
        {
            return Err(ConnectError::invalid(format!(
                "{field} is not a valid email address"
            )));
        }
    }
    if let Some(mobile) = &info.mobile
        && !is_e164(mobile)
    {
        return Err(ConnectError::invalid(
            "Mobile must be in E.164 format, for example +12065550100",
        ));
    }
    Ok(())
}

/// PhoneType may be absent (the model marks no member of `UserPhoneConfig`
/// required); when present it is SOFT_PHONE or DESK_PHONE, and a desk phone
/// needs an E.164 number.
pub fn phone_config(config: &PhoneConfig) -> Result<(), ConnectError> {
    match config.phone_type.as_deref() {
        None | Some("SOFT_PHONE") => {}
        Some("DESK_PHONE") => {
            if config.desk_phone_number.is_none() {
                return Err(ConnectError::invalid(
                    "DeskPhoneNumber is required when PhoneType is DESK_PHONE",
                ));
            }
        }
        Some(other) => {
            return Err(ConnectError::invalid(format!(
                "PhoneType {other:?} is not one of SOFT_PHONE, DESK_PHONE"
            )));
        }
    }
    if let Some(number) = &config.desk_phone_number
        && !is_e164(number)
    {
        return Err(ConnectError::invalid("DeskPhoneNumber must be in E.164 format"));
    }
    if config
        .after_contact_work_time_limit
        .is_some_and(|v| !(0..=2_000_000).contains(&v))
    {
        return Err(ConnectError::invalid(
            "AfterContactWorkTimeLimit must be between 0 and 2000000 seconds",
        ));
    }
    Ok(())
}

/// `CreateSecurityProfileRequest`'s lists and maps, per the model:
/// `PermissionsList` at most 500 `SecurityProfilePermission`s of 1 to 128
/// characters; `AllowedAccessControlTags` at most 4 entries (keys 1 to 128,
/// values at most 256 characters); `TagRestrictedResourceList` at most 10 and
/// `HierarchyRestrictedResourceList` any number of names of 1 to 128
/// characters; `Applications` and `AllowedFlowModules` at most 10 items,
/// `AllowedAIAgents` at most 100.
pub fn security_profile_lists(request: &CreateSecurityProfileRequest) -> Result<(), ConnectError> {
    let names = |member: &str, list: &Option<Vec<String>>, max: usize| {
        let list = list.as_deref().unwrap_or_default();
        if list.len() > max {
            return Err(ConnectError::invalid(format!(
                "{member} must have at most {max} items"
            )));
        }
        if list.iter().any(|n| !(1..=128).contains(&n.chars().count())) {
            return Err(ConnectError::invalid(format!(
                "Each of {member} must be 1 to 128 characters"
            )));
        }
        Ok(())
    };
    names("Permissions", &request.permissions, 500)?;
    names("TagRestrictedResources", &request.tag_restricted_resources, 10)?;
    names(
        "HierarchyRestrictedResources",
        &request.hierarchy_restricted_resources,
        usize::MAX,
    )?;
    if let Some(tags) = &request.allowed_access_control_tags {
        let bad_entry = tags
            .iter()
            .any(|(k, v)| !(1..=128).contains(&k.chars().count()) || v.chars().count() > 256);
        if tags.len() > 4 || bad_entry {
            return Err(ConnectError::invalid(
                "AllowedAccessControlTags must have at most 4 entries, keys of 1 to 128 and values of at most 256 characters",
            ));
        }
    }
    for (member, list, max) in [
        ("Applications", &request.applications, 10),
        ("AllowedFlowModules", &request.allowed_flow_modules, 10),
        ("AllowedAIAgents", &request.allowed_ai_agents, 100),
    ] {
        if list.as_ref().is_some_and(|l| l.len() > max) {
            return Err(ConnectError::invalid(format!(
                "{member} must have at most {max} items"
            )));
        }
    }
    Ok(())
}

/// A string member of `min` to `max` characters, when present.
pub fn length(member: &str, value: Option<&str>, min: usize, max: usize) -> Result<(), ConnectError> {
    if value.is_none_or(|v| (min..=max).contains(&v.chars().count())) {
        return Ok(());
    }
    Err(ConnectError::invalid(if min == 0 {
        format!("{member} must be at most {max} characters")
    } else {
        format!("{member} must be {min} to {max} characters")
    }))
}

/// A Search* request's `NextToken`: 1 to 2500 characters when present.
pub fn next_token(token: Option<&str>) -> Result<(), ConnectError> {
    if token.is_some_and(|t| t.is_empty() || t.len() > 2500) {
        return Err(ConnectError::invalid(
            "NextToken must be between 1 and 2500 characters",
        ));
    }
    Ok(())
}

/// Maximum tags on one resource.
pub const MAX_TAGS: usize = 50;

/// A request's optional `Tags` (a TagMap: 1 to 50 entries when present; an
/// empty map is refused, not ignored), as the resource stores them.
pub fn optional_tags(tags: Option<Tags>) -> Result<Tags, ConnectError> {
    if let Some(tags) = &tags {
        self::tags(tags)?;
    }
    Ok(tags.unwrap_or_default())
}

/// Keys: 1–128 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, not starting with
/// `aws:`; values at most 256 characters; 1–50 tags per call.
pub fn tags(tags: &Tags) -> Result<(), ConnectError> {
    if tags.is_empty() || tags.len() > MAX_TAGS {
        return Err(ConnectError::invalid(
            "Tags must contain between 1 and 50 entries",
        ));
    }
    for (key, value) in tags {
        tag_key(key)?;
        if value.chars().count() > 256 {
            return Err(ConnectError::invalid(format!(
                "Tag value for key {key:?} must be at most 256 characters"
            )));
        }
    }
    Ok(())
}

/// One tag key, as [`tags`] checks it.
pub fn tag_key(key: &str) -> Result<(), ConnectError> {
    let length = key.chars().count();
    let allowed = |c: char| {
        c.is_alphabetic()
            || c.is_numeric()
            || c.is_whitespace()
            || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
    };
    if !(1..=128).contains(&length) || key.starts_with("aws:") || !key.chars().all(allowed) {
        return Err(ConnectError::invalid(format!("Tag key {key:?} is not valid")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_saml_rules() {
        for ok in ["testuser", "test.user@example.com", "a_b-c.d", &"x".repeat(64)] {
            assert!(username(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "testuser@example",
            "with space",
            "ünïcode",
            "a@b@c.com",
            &"x".repeat(65),
        ] {
            assert!(username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn e164() {
        assert!(is_e164("+12065550100"));
        assert!(!is_e164("12065550100"));
        assert!(!is_e164("+0123"));
        assert!(!is_e164("+1"));
        assert!(!is_e164("+1206555010012345"));
        assert!(!is_e164("+1 206 555 0100"));
    }

    #[test]
    fn identity_requires_names() {
        let mut info = IdentityInfo {
            first_name: Some("Ann".into()),
            last_name: Some("Lee".into()),
            ..Default::default()
        };
        assert!(identity_info(&info).is_ok());
        info.email = Some("not-an-email".into());
        assert!(identity_info(&info).is_err());
        info.email = Some("ann@example.com".into());
        info.mobile = Some("555-0100".into());
        assert!(identity_info(&info).is_err());
        info.mobile = None;
        info.last_name = None;
        assert!(identity_info(&info).is_err());
    }

    #[test]
    fn names_must_be_nfc() {
        let composed = IdentityInfo {
            first_name: Some("Ren\u{e9}e".into()),
            last_name: Some("M\u{fc}ller".into()),
            ..Default::default()
        };
        assert!(identity_info(&composed).is_ok());
        let decomposed = IdentityInfo {
            first_name: Some("Rene\u{301}e".into()),
            ..composed.clone()
        };
        assert!(identity_info(&decomposed).is_err());
        let combining = IdentityInfo {
            last_name: Some("Mu\u{308}ller".into()),
            ..composed
        };
        assert!(identity_format(&combining).is_err());
    }

    #[test]
    fn malformed_instance_ids_are_400_unknown_ones_404() {
        assert_eq!(unknown_instance("nope").status().as_u16(), 404);
        assert_eq!(unknown_instance("").status().as_u16(), 400);
        assert_eq!(unknown_instance(&"i".repeat(101)).status().as_u16(), 400);
    }

    #[test]
    fn security_profile_lists_follow_the_model() {
        let ok = CreateSecurityProfileRequest {
            permissions: Some(vec!["BasicAgentAccess".into()]),
            ..Default::default()
        };
        assert!(security_profile_lists(&ok).is_ok());
        let too_many = |n: usize| Some(vec![serde_json::json!({}); n]);
        for bad in [
            CreateSecurityProfileRequest {
                permissions: Some(vec![String::new()]),
                ..Default::default()
            },
            CreateSecurityProfileRequest {
                tag_restricted_resources: Some(vec!["User".into(); 11]),
                ..Default::default()
            },
            CreateSecurityProfileRequest {
                allowed_access_control_tags: Some((0..5).map(|i| (format!("k{i}"), "v".into())).collect()),
                ..Default::default()
            },
            CreateSecurityProfileRequest {
                applications: too_many(11),
                ..Default::default()
            },
            CreateSecurityProfileRequest {
                allowed_ai_agents: too_many(101),
                ..Default::default()
            },
        ] {
            assert!(security_profile_lists(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tag_rules() {
        let mut t = Tags::new();
        assert!(tags(&t).is_err());
        t.insert("scim:externalId".into(), "x".into());
        assert!(tags(&t).is_ok());
        t.insert("aws:reserved".into(), "x".into());
        assert!(tags(&t).is_err());
        assert!(tag_key("bad*key").is_err());
        assert!(tag_key(&"k".repeat(129)).is_err());
    }
}
