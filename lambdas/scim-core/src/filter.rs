//! SCIM filters (RFC 7644 §3.4.2.2) parsed into the small set of queries the
//! directory can answer. The grammar is the `scim_v2` crate's; this module
//! decides, in one place, which parsed filters are supported. Everything
//! else is a 400 `invalidFilter` that names what is supported.

use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, Filter};

use crate::error::ScimError;
use crate::schema::USER_URN;
use crate::user::UserName;

/// A filter the directory can execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserFilter {
    /// `userName eq "…"`, compared without case.
    UserNameEq(UserName),
}

/// What the error message offers instead.
pub const SUPPORTED: &str = "supported filters: userName eq \"value\"";

impl UserFilter {
    /// Parses a `filter` query parameter.
    pub fn parse(raw: &str) -> Result<Self, ScimError> {
        let parsed: Filter = raw.parse().map_err(|e| {
            ScimError::invalid_filter(format!("The filter {raw:?} is not valid SCIM: {e}; {SUPPORTED}"))
        })?;
        match parsed {
            Filter::Attr(AttrExp::Comparison(path, CompareOp::Eq, CompValue::Str(value)))
                if is_core_attr(&path, "userName") =>
            {
                Ok(Self::UserNameEq(UserName::new(value)?))
            }
            other => Err(ScimError::invalid_filter(format!(
                "The filter {other} is not supported; {SUPPORTED}"
            ))),
        }
    }
}

fn is_core_attr(path: &AttrPath, name: &str) -> bool {
    path.sub_attr.is_none()
        && path.name.eq_ignore_ascii_case(name)
        && path
            .uri
            .as_deref()
            .is_none_or(|u| u.eq_ignore_ascii_case(USER_URN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ScimType;

    #[test]
    fn user_name_eq_in_its_spellings() {
        for raw in [
            r#"userName eq "ann@example.com""#,
            r#"USERNAME EQ "ANN@example.com""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ann@example.com""#,
            r#"  userName eq "ann@example.com"  "#,
        ] {
            let UserFilter::UserNameEq(name) = UserFilter::parse(raw).unwrap();
            assert_eq!(name, UserName::new("ann@example.com").unwrap(), "{raw}");
        }
    }

    #[test]
    fn everything_else_is_invalid_filter() {
        for raw in [
            r#"userName ne "a""#,
            r#"title eq "a""#,
            r#"userName eq 5"#,
            r#"userName eq "a" or userName eq "b""#,
            "userName eq",
            "((",
            "",
        ] {
            let err = UserFilter::parse(raw).unwrap_err();
            assert_eq!(err.scim_type(), Some(ScimType::InvalidFilter), "{raw}");
            assert!(err.detail().contains("supported"), "{raw}: {}", err.detail());
        }
    }
}
