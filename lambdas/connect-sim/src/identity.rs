//! Identity management types and the user rules that differ between them.
//!
//! Connect's service model states these rules only in prose; each check
//! below quotes the sentence it enforces (from the model's documentation
//! of `CreateUser` and `UserIdentityInfo`).

use std::fmt;
use std::str::FromStr;

use crate::error::ConnectError;
use crate::validate;
use crate::wire::IdentityInfo;

// Written apart from connect-directory's IdentityType on purpose: the
// simulator is the yardstick the adapter is measured against, so it shares
// no code with it (the adapter takes its spelling from the SDK's DirectoryType).
/// How an instance manages its users' identities
/// (`Instance.IdentityManagementType`, chosen when the instance is created).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum IdentityType {
    /// `SAML`: users sign in through an identity provider. The default,
    /// because an IdP-provisioned contact center is set up this way.
    #[default]
    Saml,
    /// `CONNECT_MANAGED`: Connect stores the users and their passwords.
    ConnectManaged,
    /// `EXISTING_DIRECTORY`: users live in an AWS Directory Service directory.
    ExistingDirectory,
}

impl IdentityType {
    /// The name as Connect spells it: `SAML`, `CONNECT_MANAGED` or `EXISTING_DIRECTORY`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Saml => "SAML",
            Self::ConnectManaged => "CONNECT_MANAGED",
            Self::ExistingDirectory => "EXISTING_DIRECTORY",
        }
    }
}

impl fmt::Display for IdentityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no identity management type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not one of SAML, CONNECT_MANAGED, EXISTING_DIRECTORY")]
pub struct UnknownIdentityType(pub String);

impl FromStr for IdentityType {
    type Err = UnknownIdentityType;

    /// Connect's spelling, ignoring ASCII case and surrounding blanks.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Saml, Self::ConnectManaged, Self::ExistingDirectory]
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownIdentityType(s.to_owned()))
    }
}

/// The members of `CreateUser` whose rules depend on the identity type.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewUser<'a> {
    pub username: &'a str,
    pub password: Option<&'a str>,
    pub directory_user_id: Option<&'a str>,
    pub identity_info: &'a IdentityInfo,
}

/// `CreateUser`: username, password, directory id and identity info.
pub(crate) fn check_new_user(kind: IdentityType, user: NewUser<'_>) -> Result<(), ConnectError> {
    username(kind, user.username)?;
    password(kind, user.password)?;
    if kind == IdentityType::Saml && user.directory_user_id.is_some() {
        // CreateUser.DirectoryUserId: "If you are using SAML for identity
        // management and include this parameter, an error is returned."
        return Err(ConnectError::invalid(
            "DirectoryUserId cannot be used on an instance using SAML for identity management",
        ));
    }
    identity_info(kind, user.identity_info)
}

/// `UpdateUserIdentityInfo`: checks `new` against the user's `current`
/// identity and returns what to store.
pub(crate) fn updated_identity(
    kind: IdentityType,
    current: &IdentityInfo,
    new: IdentityInfo,
) -> Result<IdentityInfo, ConnectError> {
    if kind != IdentityType::ExistingDirectory {
        identity_info(kind, &new)?;
        return Ok(new);
    }
    // UserIdentityInfo: "For Connect Customer instances that are created with
    // the EXISTING_DIRECTORY identity management type, FirstName, LastName,
    // and Email cannot be updated from within Connect Customer because they
    // are managed by the directory." That sentence is in the model itself
    // (the UserIdentityInfo shape's documentation), not only in the admin
    // guide. Sending the values the user already has, or leaving them out,
    // changes nothing and is accepted; the directory's values are kept.
    let owned = [
        ("FirstName", &new.first_name, &current.first_name),
        ("LastName", &new.last_name, &current.last_name),
        ("Email", &new.email, &current.email),
    ];
    for (field, sent, stored) in owned {
        if sent.is_some() && sent != stored {
            return Err(ConnectError::invalid(format!(
                "{field} is managed by the directory on an EXISTING_DIRECTORY instance and cannot be updated"
            )));
        }
    }
    let merged = IdentityInfo {
        first_name: current.first_name.clone(),
        last_name: current.last_name.clone(),
        email: current.email.clone(),
        ..new
    };
    identity_info(kind, &merged)?;
    Ok(merged)
}

fn username(kind: IdentityType, name: &str) -> Result<(), ConnectError> {
    if kind == IdentityType::Saml {
        // "If you are using SAML for identity management, the user name can
        // include up to 64 characters from [a-zA-Z0-9_-.\@]+."
        return validate::username(name);
    }
    // CreateUser.Username: "For instances not using SAML for identity
    // management, the user name can include up to 20 characters."
    if name.is_empty() || name.chars().count() > 20 {
        return Err(ConnectError::invalid(format!(
            "Username must be between 1 and 20 characters for {kind} instances"
        )));
    }
    // "Username can include @ only if used in an email format."
    if name.contains('@') && !validate::is_email(name) {
        return Err(ConnectError::invalid(
            "Username can include @ only if used in an email format",
        ));
    }
    Ok(())
}

fn password(kind: IdentityType, password: Option<&str>) -> Result<(), ConnectError> {
    // CreateUser.Password: "A password is required if you are using Connect
    // Customer for identity management. Otherwise, it is an error to include
    // a password."
    match (kind, password) {
        (IdentityType::ConnectManaged, None) => Err(ConnectError::invalid(
            "Password is required on an instance using CONNECT_MANAGED identity management",
        )),
        (IdentityType::ConnectManaged, Some(p)) if !password_matches(p) => Err(ConnectError::invalid(
            "Password must be 8 to 64 characters without blanks, with a lower-case letter, an upper-case letter and a digit",
        )),
        (IdentityType::ConnectManaged, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => Err(ConnectError::invalid(format!(
            "Password cannot be used on an instance using {kind} identity management"
        ))),
    }
}

/// The model's pattern `^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$`:
/// the class `[a-zA-Z\d\S]` is every non-blank character, so 8 to 64 of
/// those with at least one ASCII lower-case letter, upper-case letter and digit.
pub(crate) fn password_matches(password: &str) -> bool {
    let length = password.chars().count();
    (8..=64).contains(&length)
        && password.chars().all(|c| !c.is_whitespace())
        && password.chars().any(|c| c.is_ascii_lowercase())
        && password.chars().any(|c| c.is_ascii_uppercase())
        && password.chars().any(|c| c.is_ascii_digit())
}

fn identity_info(kind: IdentityType, info: &IdentityInfo) -> Result<(), ConnectError> {
    match kind {
        IdentityType::Saml => {
            // UserIdentityInfo.Email: "If you are using SAML for identity
            // management and include this parameter, an error is returned."
            // (CreateUser's overview says Email is "required if you are using
            // Connect Customer or SAML"; the member's own sentence is the
            // precise one, and SecondaryEmail carries the address instead.)
            if info.email.is_some() {
                return Err(ConnectError::invalid(
                    "Email cannot be used on an instance using SAML for identity management; use SecondaryEmail",
                ));
            }
            // FirstName/LastName: "This is required if you are using Connect
            // Customer or SAML for identity management."
            validate::identity_info(info)
        }
        IdentityType::ConnectManaged => {
            // UserIdentityInfo: "If you are using Connect Customer for
            // identity management, the length constraints are 1-255 for
            // FirstName, and 1-256 for LastName."
            if info.last_name.as_deref().is_some_and(|l| l.chars().count() > 256) {
                return Err(ConnectError::invalid(
                    "LastName must be at most 256 characters on CONNECT_MANAGED instances",
                ));
            }
            validate::identity_info(info)
        }
        // Names are required only "if you are using Connect Customer or SAML".
        IdentityType::ExistingDirectory => validate::identity_format(info),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(first: &str, last: &str) -> IdentityInfo {
        IdentityInfo {
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            ..IdentityInfo::default()
        }
    }

    fn new_user<'a>(username: &'a str, password: Option<&'a str>, info: &'a IdentityInfo) -> NewUser<'a> {
        NewUser {
            username,
            password,
            directory_user_id: None,
            identity_info: info,
        }
    }

    #[test]
    fn names_parse_as_connect_spells_them() {
        for kind in [
            IdentityType::Saml,
            IdentityType::ConnectManaged,
            IdentityType::ExistingDirectory,
        ] {
            assert_eq!(kind.as_str().parse::<IdentityType>().unwrap(), kind);
        }
        assert_eq!("saml".parse::<IdentityType>().unwrap(), IdentityType::Saml);
        assert!("LDAP".parse::<IdentityType>().is_err());
        assert_eq!(IdentityType::default(), IdentityType::Saml);
    }

    #[test]
    fn password_pattern() {
        for ok in ["Passw0rd", "aB3!aB3!", &format!("aB3{}", "x".repeat(61))] {
            assert!(password_matches(ok), "{ok}");
        }
        for bad in [
            "Pass0rd",
            "password1",
            "PASSWORD1",
            "Password",
            "Pass w0rd",
            &format!("aB3{}", "x".repeat(62)),
        ] {
            assert!(!password_matches(bad), "{bad}");
        }
    }

    #[test]
    fn saml_refuses_email_password_and_directory_id() {
        let mut info = named("Ann", "Lee");
        assert!(check_new_user(IdentityType::Saml, new_user("ann", None, &info)).is_ok());
        assert!(check_new_user(IdentityType::Saml, new_user("ann", Some("Passw0rd"), &info)).is_err());
        let with_directory = NewUser {
            directory_user_id: Some("d-1"),
            ..new_user("ann", None, &info)
        };
        assert!(check_new_user(IdentityType::Saml, with_directory).is_err());
        info.secondary_email = Some("ann@example.com".into());
        assert!(check_new_user(IdentityType::Saml, new_user("ann", None, &info)).is_ok());
        info.email = Some("ann@example.com".into());
        assert!(check_new_user(IdentityType::Saml, new_user("ann", None, &info)).is_err());
    }

    #[test]
    fn connect_managed_needs_a_password_and_short_usernames() {
        let mut info = named("Ann", "Lee");
        info.email = Some("ann@example.com".into());
        let kind = IdentityType::ConnectManaged;
        assert!(check_new_user(kind, new_user("ann", Some("Passw0rd"), &info)).is_ok());
        assert!(check_new_user(kind, new_user("ann", None, &info)).is_err());
        assert!(check_new_user(kind, new_user("ann", Some("weak"), &info)).is_err());
        let long = "x".repeat(21);
        assert!(check_new_user(kind, new_user(&long, Some("Passw0rd"), &info)).is_err());
        assert!(check_new_user(kind, new_user("a@b", Some("Passw0rd"), &info)).is_err());
        let nameless = IdentityInfo::default();
        assert!(check_new_user(kind, new_user("ann", Some("Passw0rd"), &nameless)).is_err());
        let long_last = named("Ann", &"l".repeat(257));
        assert!(check_new_user(kind, new_user("ann", Some("Passw0rd"), &long_last)).is_err());
    }

    #[test]
    fn existing_directory_owns_names_and_email() {
        let kind = IdentityType::ExistingDirectory;
        let nameless = IdentityInfo::default();
        assert!(check_new_user(kind, new_user("ann", None, &nameless)).is_ok());
        assert!(check_new_user(kind, new_user("ann", Some("Passw0rd"), &nameless)).is_err());
        let current = IdentityInfo {
            email: Some("ann@example.com".into()),
            ..named("Ann", "Lee")
        };
        let same = current.clone();
        assert_eq!(updated_identity(kind, &current, same).unwrap(), current);
        let mobile_only = IdentityInfo {
            mobile: Some("+12065550100".into()),
            ..IdentityInfo::default()
        };
        let merged = updated_identity(kind, &current, mobile_only).unwrap();
        assert_eq!(merged.first_name.as_deref(), Some("Ann"));
        assert_eq!(merged.mobile.as_deref(), Some("+12065550100"));
        for changed in [
            named("Bea", "Lee"),
            named("Ann", "Smith"),
            IdentityInfo {
                email: Some("other@example.com".into()),
                ..IdentityInfo::default()
            },
        ] {
            assert!(updated_identity(kind, &current, changed).is_err());
        }
    }
}
