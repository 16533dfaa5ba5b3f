//! What an instance's identity management type allows, in one place.
//!
//! Amazon Connect keeps users' identities in one of three ways, chosen when
//! the instance is made and reported by `DescribeInstance`
//! (`Instance.IdentityManagementType`). Each rule below quotes the API
//! reference it comes from.

use std::fmt;
use std::str::FromStr;

use aws_sdk_connect::types::{DirectoryType, UserIdentityInfo};
use scim_core::DirectoryError;
use unicode_normalization::UnicodeNormalization;

use crate::User;

/// `DirectoryType`: how an instance manages identities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityType {
    /// Users sign in through a SAML 2.0 IdP: how an IdP-provisioned contact
    /// center is set up, and the default assumption nowhere.
    Saml,
    /// Connect keeps the users and their passwords.
    ConnectManaged,
    /// An AWS Directory Service directory keeps them.
    ExistingDirectory,
}

impl IdentityType {
    /// CreateUser `Username`: "For instances not using SAML for identity
    /// management, the user name can include up to 20 characters. If you are
    /// using SAML for identity management, the user name can include up to
    /// 64 characters from `[a-zA-Z0-9_-.\@]+`." Checked before any call so the
    /// client hears why in SCIM terms.
    pub fn check_user_name(self, name: &str) -> Result<(), DirectoryError> {
        let length = name.chars().count();
        match self {
            Self::Saml => {
                let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@');
                if length > 64 || !name.chars().all(allowed) {
                    return Err(DirectoryError::InvalidValue(format!(
                        "userName {name:?} cannot be an Amazon Connect username on a SAML instance: \
                         up to 64 characters from a-z A-Z 0-9 _ - . @"
                    )));
                }
            }
            Self::ConnectManaged | Self::ExistingDirectory => {
                if length > 20 {
                    return Err(DirectoryError::InvalidValue(format!(
                        "userName {name:?} is {length} characters; an Amazon Connect instance with \
                         {self} identity management takes usernames of up to 20"
                    )));
                }
            }
        }
        Ok(())
    }

    /// CreateUser `Password`: "A password is required if you are using
    /// Amazon Connect for identity management. Otherwise, it is an error to
    /// include a password." The SCIM `password` is sent only where Connect
    /// takes one, and a CONNECT_MANAGED create without one is refused with
    /// what to do.
    pub fn password(self, user: &User) -> Result<Option<String>, DirectoryError> {
        match (self, &user.password) {
            (Self::ConnectManaged, Some(password)) => {
                if !is_connect_password(password.expose()) {
                    return Err(DirectoryError::InvalidValue(
                        "password must be 8 to 64 characters with a lower-case letter, an upper-case \
                         letter and a digit (Amazon Connect's rule)"
                            .to_owned(),
                    ));
                }
                Ok(Some(password.expose().to_owned()))
            }
            (Self::ConnectManaged, None) => Err(DirectoryError::InvalidValue(
                "this Amazon Connect instance manages its own users (CONNECT_MANAGED), so a new user \
                 needs a password: send the SCIM password attribute (Okta: enable Sync Password; \
                 Entra ID: map a password expression), or switch the instance to SAML"
                    .to_owned(),
            )),
            (Self::Saml | Self::ExistingDirectory, _) => Ok(None),
        }
    }

    /// Whether Connect keeps names and email for this instance: an existing
    /// directory owns them ("If you use an existing directory, you manage
    /// user names and emails in the directory", admin guide; the API model
    /// does not say so, so updates simply never send them).
    pub fn owns_names(self) -> bool {
        self != Self::ExistingDirectory
    }

    /// The full identity to send (names already in NFC, see `nfc`), from
    /// the SCIM email and what Connect holds
    /// besides (`kept`: the secondary email and mobile read last). Always
    /// the whole structure, so the outcome is the same whether Connect
    /// merges or replaces `IdentityInfo` (the model does not say which).
    ///
    /// `Email`: "If you are using SAML for identity management and include
    /// this parameter, an error is returned." So on SAML the SCIM email goes
    /// to `SecondaryEmail` ("the user receives email notifications ... to
    /// this email address").
    pub fn identity_info(
        self,
        first: &str,
        last: &str,
        email: Option<&str>,
        kept: &Kept,
    ) -> UserIdentityInfo {
        let (primary, secondary) = match self {
            Self::Saml => (None, email.map(str::to_owned)),
            Self::ConnectManaged | Self::ExistingDirectory => {
                (email.map(str::to_owned), kept.secondary_email.clone())
            }
        };
        UserIdentityInfo::builder()
            .first_name(first)
            .last_name(last)
            .set_email(primary)
            .set_secondary_email(secondary)
            .set_mobile(kept.mobile.clone())
            .build()
    }
}

// The spelling is the SDK's (`DirectoryType`), so the adapter writes none
// of its own; connect-sim spells the same names itself on purpose (it is the
// yardstick and shares no code with the adapter).
impl From<IdentityType> for DirectoryType {
    fn from(identity: IdentityType) -> Self {
        match identity {
            IdentityType::Saml => Self::Saml,
            IdentityType::ConnectManaged => Self::ConnectManaged,
            IdentityType::ExistingDirectory => Self::ExistingDirectory,
        }
    }
}

impl TryFrom<&DirectoryType> for IdentityType {
    type Error = String;

    /// A type this SDK does not know yet is an error, not a guess: each one
    /// changes what CreateUser accepts.
    fn try_from(reported: &DirectoryType) -> Result<Self, Self::Error> {
        match reported {
            DirectoryType::Saml => Ok(Self::Saml),
            DirectoryType::ConnectManaged => Ok(Self::ConnectManaged),
            DirectoryType::ExistingDirectory => Ok(Self::ExistingDirectory),
            other => Err(format!(
                "{:?} is not an identity management type: SAML, CONNECT_MANAGED or EXISTING_DIRECTORY",
                other.as_str()
            )),
        }
    }
}

impl fmt::Display for IdentityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(DirectoryType::from(*self).as_str())
    }
}

impl FromStr for IdentityType {
    type Err = String;

    /// Connect's spelling, ignoring ASCII case and surrounding blanks.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_from(&DirectoryType::from(s.trim().to_ascii_uppercase().as_str()))
    }
}

/// The parts of a user's identity the SCIM side does not manage but an
/// update must carry over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    /// `IdentityInfo.SecondaryEmail` as Connect holds it.
    pub secondary_email: Option<String>,
    /// `IdentityInfo.Mobile` as Connect holds it.
    pub mobile: Option<String>,
}

/// `FirstName`/`LastName`: "Inputs must be in Unicode Normalization Form C
/// (NFC). Text containing characters in a non-NFC form (for example,
/// decomposed characters or combining marks) are not accepted." IdPs send
/// decomposed text (macOS input, some HR feeds), so names are composed here.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// The model's `Password` pattern, `^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$`.
fn is_connect_password(password: &str) -> bool {
    let length = password.chars().count();
    (8..=64).contains(&length)
        && password.chars().any(|c| c.is_ascii_lowercase())
        && password.chars().any(|c| c.is_ascii_uppercase())
        && password.chars().any(|c| c.is_ascii_digit())
        && !password.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scim_core::{Password, UserName};

    fn user(name: &str, password: Option<&str>) -> User {
        let mut u = User::new(UserName::new(name).unwrap());
        u.password = password.map(Password::new);
        u
    }

    #[test]
    fn usernames_per_identity_type() {
        let long = "a".repeat(21);
        assert!(IdentityType::Saml.check_user_name(&long).is_ok());
        assert!(IdentityType::Saml.check_user_name("ann lee").is_err());
        assert!(IdentityType::Saml.check_user_name(&"a".repeat(65)).is_err());
        assert!(IdentityType::ConnectManaged.check_user_name(&long).is_err());
        assert!(IdentityType::ExistingDirectory.check_user_name(&long).is_err());
        assert!(IdentityType::ConnectManaged.check_user_name("ann").is_ok());
    }

    #[test]
    fn passwords_only_where_connect_takes_them() {
        let with = user("ann", Some("Secret123"));
        assert_eq!(IdentityType::Saml.password(&with).unwrap(), None);
        assert_eq!(IdentityType::ExistingDirectory.password(&with).unwrap(), None);
        assert_eq!(
            IdentityType::ConnectManaged.password(&with).unwrap().as_deref(),
            Some("Secret123")
        );
        let err = IdentityType::ConnectManaged
            .password(&user("ann", None))
            .unwrap_err();
        assert!(err.to_string().contains("needs a password"), "{err}");
        for weak in [
            "short1A",
            "alllower123",
            "ALLUPPER123",
            "NoDigitsHere",
            "Has Space1",
        ] {
            assert!(
                IdentityType::ConnectManaged
                    .password(&user("ann", Some(weak)))
                    .is_err(),
                "{weak}"
            );
        }
    }

    #[test]
    fn saml_never_sends_email() {
        let kept = Kept {
            secondary_email: Some("old@example.com".into()),
            mobile: Some("+12065550100".into()),
        };
        let info = IdentityType::Saml.identity_info("Ann", "Lee", Some("ann@example.com"), &kept);
        assert_eq!(info.email(), None);
        assert_eq!(info.secondary_email(), Some("ann@example.com"));
        assert_eq!(info.mobile(), Some("+12065550100"));
        let info = IdentityType::ConnectManaged.identity_info("Ann", "Lee", Some("ann@example.com"), &kept);
        assert_eq!(info.email(), Some("ann@example.com"));
        assert_eq!(info.secondary_email(), Some("old@example.com"));
    }

    #[test]
    fn names_are_composed() {
        assert_eq!(nfc("Jose\u{301}"), "Jos\u{e9}");
        assert_eq!(nfc("Nun\u{303}ez"), "Nu\u{f1}ez");
        assert_eq!(nfc("Ann"), "Ann");
    }

    #[test]
    fn parses_wire_values() {
        for t in [
            IdentityType::Saml,
            IdentityType::ConnectManaged,
            IdentityType::ExistingDirectory,
        ] {
            assert_eq!(t.to_string().parse::<IdentityType>().unwrap(), t);
        }
        assert_eq!(" saml ".parse::<IdentityType>(), Ok(IdentityType::Saml));
        assert!("ldap".parse::<IdentityType>().is_err());
    }
}
