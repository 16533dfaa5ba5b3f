//! What the bridge may touch, so a leaked token cannot take an instance
//! over: only users it manages, and only the security profiles it may grant.
//!
//! - **Managed users** carry the tag `scim:managed` = `true`, set by the
//!   CreateUser call that made them. Everyone else (the instance's own
//!   administrators, users made in the console) can be read but is never
//!   changed or deleted: the answer is 403 and Connect is not called. An
//!   administrator adopts an existing user on purpose by adding the tag
//!   (`make adopt-user`, README "Managed users"). The handler's IAM role
//!   carries the same condition (`aws:ResourceTag/scim:managed`), so the
//!   code is not the only wall.
//! - **Assignable profiles** (`ASSIGNABLE_SECURITY_PROFILES`): what groups,
//!   departments, the defaults and the Connect extension may grant. By
//!   default every profile but `Admin`.

use scim_core::{DirectoryError, DirectoryResult};

use crate::StoredUser;
use crate::mapping::TAG_MANAGED;

/// The profile withheld when `ASSIGNABLE_SECURITY_PROFILES` is unset.
pub const WITHHELD_BY_DEFAULT: &str = "Admin";

/// Which security profiles the bridge may grant, by name (any case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignable {
    /// `*`: every profile, `Admin` included.
    Any,
    /// Unset: every profile except these.
    AllBut(Vec<String>),
    /// A list: only these.
    Only(Vec<String>),
}

impl Default for Assignable {
    fn default() -> Self {
        Self::AllBut(vec![WITHHELD_BY_DEFAULT.to_owned()])
    }
}

impl Assignable {
    /// Parses `ASSIGNABLE_SECURITY_PROFILES`: `*`, or comma-separated names.
    pub fn parse(value: &str) -> Self {
        let names = crate::settings::names_list(value);
        match names.as_slice() {
            [] => Self::default(),
            [star] if star == "*" => Self::Any,
            _ => Self::Only(names),
        }
    }

    /// Whether the profile called `name` may be granted.
    pub fn allows(&self, name: &str) -> bool {
        let listed = |names: &[String]| names.iter().any(|n| n.eq_ignore_ascii_case(name));
        match self {
            Self::Any => true,
            Self::AllBut(withheld) => !listed(withheld),
            Self::Only(allowed) => listed(allowed),
        }
    }

    /// The refusal for granting `name`, or nothing when it may be granted.
    pub(crate) fn check(&self, name: &str) -> DirectoryResult<()> {
        if self.allows(name) {
            return Ok(());
        }
        let rule = match self {
            Self::Only(allowed) => format!("it allows only {}", allowed.join(", ")),
            _ => format!("by default every profile but {WITHHELD_BY_DEFAULT} may be granted"),
        };
        Err(DirectoryError::Forbidden(format!(
            "this bridge may not grant the security profile {name:?} (ASSIGNABLE_SECURITY_PROFILES: {rule})"
        )))
    }
}

/// Whether the bridge manages `user` (made it, or an administrator adopted it).
pub(crate) fn is_managed(user: &StoredUser) -> bool {
    user.handle.tags.get(TAG_MANAGED).is_some_and(|v| v == "true")
}

/// Refuses any change to a user the bridge does not manage.
pub(crate) fn require_managed(user: &StoredUser, change: &str) -> DirectoryResult<()> {
    if is_managed(user) {
        return Ok(());
    }
    Err(DirectoryError::Forbidden(format!(
        "the Connect user {:?} was not created by this bridge, so it will not {change} it; \
         to hand it over, tag it {TAG_MANAGED}=true (make adopt-user, README \"Managed users\")",
        user.user.user_name.as_str()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_is_withheld_unless_named_or_starred() {
        let default = Assignable::parse("");
        assert!(default.allows("Agent") && default.allows("CallCenterManager"));
        assert!(!default.allows("Admin") && !default.allows("ADMIN"));
        let star = Assignable::parse(" * ");
        assert!(star.allows("Admin"));
        let only = Assignable::parse("Agent, QualityAnalyst");
        assert!(only.allows("agent") && only.allows("QualityAnalyst"));
        assert!(!only.allows("Admin") && !only.allows("CallCenterManager"));
        let refusal = only.check("CallCenterManager").unwrap_err();
        assert!(
            matches!(&refusal, DirectoryError::Forbidden(m) if m.contains("allows only Agent, QualityAnalyst")),
            "{refusal:?}"
        );
    }
}
