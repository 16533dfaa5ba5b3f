//! SCIM filters (RFC 7644 §3.4.2.2) parsed into the small set of queries the
//! directory can answer. The grammar is the `scim_v2` crate's; this module
//! decides, in one place, which parsed filters are supported. Everything
//! else is a 400 `invalidFilter` that names what is supported.
//!
//! Supported: a single term or an `and` of terms, each one of
//! `userName eq|sw|co "…"`, `externalId eq "…"`, `id eq "…"`,
//! `emails.value eq "…"` (also `emails eq`, `emails[value eq "…"]`,
//! `emails[type eq "work" and value eq "…"]`). Two IdP habits outside the
//! grammar are accepted: an unquoted value (`userName eq ann@example.com`)
//! and a sub-attribute after a value filter (`emails[type eq "work"].value
//! eq "…"`).

use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, Filter, ValFilter, ValuePath};

use crate::error::ScimError;
use crate::schema::{GROUP_URN, USER_URN};
use crate::user::{UserId, UserName};

/// How a text term compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMatch {
    /// `eq`
    Equals,
    /// `sw`
    StartsWith,
    /// `co`
    Contains,
}

/// One condition a directory can execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// `userName eq|sw|co "…"`, without regard to case.
    UserName(TextMatch, String),
    /// `externalId eq "…"` (case-exact, RFC 7643 §3.1).
    ExternalId(String),
    /// `id eq "…"`.
    Id(UserId),
    /// `emails.value eq "…"`, without regard to case.
    Email(String),
}

impl Term {
    /// Whether `user` satisfies the term (directories use this to check
    /// what an upstream search returned).
    pub fn matches<X>(&self, id: &UserId, user: &crate::user::User<X>) -> bool {
        let lower = |s: &str| s.to_lowercase();
        match self {
            Term::UserName(how, value) => {
                let (have, want) = (lower(user.user_name.as_str()), lower(value));
                match how {
                    TextMatch::Equals => have == want,
                    TextMatch::StartsWith => have.starts_with(&want),
                    TextMatch::Contains => have.contains(&want),
                }
            }
            Term::ExternalId(value) => user.external_id.as_deref() == Some(value.as_str()),
            Term::Id(value) => id == value,
            Term::Email(value) => user.email.as_deref().is_some_and(|e| lower(e) == lower(value)),
        }
    }
}

/// A conjunction of [`Term`]s (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFilter {
    /// All must hold.
    pub terms: Vec<Term>,
}

/// What the error message offers instead.
pub const SUPPORTED: &str = "supported filters: userName eq|sw|co \"value\", externalId eq \"value\", \
    id eq \"value\", emails.value eq \"value\", and an \"and\" of these";

impl UserFilter {
    /// A filter on one userName.
    pub fn user_name(name: &UserName) -> Self {
        Self {
            terms: vec![Term::UserName(TextMatch::Equals, name.as_str().to_owned())],
        }
    }

    /// Whether `user` satisfies every term.
    pub fn matches<X>(&self, id: &UserId, user: &crate::user::User<X>) -> bool {
        self.terms.iter().all(|t| t.matches(id, user))
    }

    /// Parses a `filter` query parameter.
    pub fn parse(raw: &str) -> Result<Self, ScimError> {
        let parsed = grammar(raw, normalise, SUPPORTED)?;
        let unsupported =
            || ScimError::invalid_filter(format!("The filter {raw:?} is not supported; {SUPPORTED}"));
        let mut terms = Vec::new();
        match &parsed {
            Filter::And(operands) => {
                for operand in operands.iter() {
                    terms.extend(terms_of(operand).ok_or_else(unsupported)?);
                }
            }
            single => terms.extend(terms_of(single).ok_or_else(unsupported)?),
        }
        Ok(Self { terms })
    }
}

/// `raw` parsed by the RFC grammar, else after `fix` rewrites an IdP habit
/// into RFC form; else 400 `invalidFilter` offering `supported`.
/// The longest filter accepted, in characters: far above any query an IdP
/// sends (`userName eq "…"` with a 128-character name is under 150), low
/// enough that a filter cannot be used to make the server parse megabytes.
pub const MAX_FILTER_CHARS: usize = 1_000;

fn grammar(raw: &str, fix: fn(&str) -> Option<String>, supported: &str) -> Result<Filter, ScimError> {
    if raw.chars().count() > MAX_FILTER_CHARS {
        return Err(ScimError::invalid_filter(format!(
            "The filter is longer than {MAX_FILTER_CHARS} characters"
        )));
    }
    match raw.parse::<Filter>() {
        Ok(f) => Ok(f),
        Err(first) => match fix(raw).map(|fixed| fixed.parse::<Filter>()) {
            Some(Ok(f)) => Ok(f),
            _ => Err(ScimError::invalid_filter(format!(
                "The filter {raw:?} is not valid SCIM: {first}; {supported}"
            ))),
        },
    }
}

/// Rewrites the two IdP habits outside the grammar into RFC form, or `None`.
fn normalise(raw: &str) -> Option<String> {
    let raw = raw.trim();
    // `attr[filter].sub op value` → `attr[filter and sub op value]`
    if let Some(close) = raw.find("].")
        && let Some(open) = raw[..close].find('[')
    {
        let (attr, inner) = (&raw[..open], &raw[open + 1..close]);
        let rest = &raw[close + 2..];
        return Some(format!(
            "{attr}[{inner} and {}]",
            quote_bare(rest).unwrap_or_else(|| rest.to_owned())
        ));
    }
    quote_bare(raw)
}

/// `userName eq ann@example.com` → `userName eq "ann@example.com"`.
fn quote_bare(raw: &str) -> Option<String> {
    let mut parts = raw.trim().splitn(3, char::is_whitespace);
    let (attr, op, value) = (parts.next()?, parts.next()?, parts.next()?.trim());
    let bare = !value.is_empty()
        && !value.starts_with('"')
        && !value.contains(char::is_whitespace)
        && !["true", "false", "null"].contains(&value.to_ascii_lowercase().as_str())
        && value.parse::<f64>().is_err();
    bare.then(|| format!("{attr} {op} {}", serde_json::Value::String(value.to_owned())))
}

fn is_core(path: &AttrPath, name: &str, sub: Option<&str>) -> bool {
    path.name.eq_ignore_ascii_case(name)
        && match (path.sub_attr.as_deref(), sub) {
            (None, None) => true,
            (Some(have), Some(want)) => have.eq_ignore_ascii_case(want),
            _ => false,
        }
        && path
            .uri
            .as_deref()
            .is_none_or(|u| u.eq_ignore_ascii_case(USER_URN))
}

fn term(path: &AttrPath, op: &CompareOp, value: &CompValue) -> Option<Term> {
    let CompValue::Str(value) = value else { return None };
    let value = value.clone();
    let text = match op {
        CompareOp::Eq => TextMatch::Equals,
        CompareOp::Sw => TextMatch::StartsWith,
        CompareOp::Co => TextMatch::Contains,
        _ => return None,
    };
    if is_core(path, "userName", None) {
        return UserName::new(value.clone())
            .ok()
            .map(|_| Term::UserName(text, value));
    }
    if text != TextMatch::Equals {
        return None;
    }
    if is_core(path, "externalId", None) {
        return Some(Term::ExternalId(value));
    }
    if is_core(path, "id", None) {
        return Some(Term::Id(UserId::new(value)));
    }
    if is_core(path, "emails", Some("value")) || is_core(path, "emails", None) {
        return Some(Term::Email(value));
    }
    None
}

/// `emails[value eq "x"]`, `emails[type eq "work" and value eq "x"]`.
fn email_value_path(vp: &ValuePath) -> Option<Vec<Term>> {
    if !is_core(&vp.attr, "emails", None) {
        return None;
    }
    let conditions: Vec<&ValFilter> = match vp.filter.as_ref() {
        ValFilter::And(items) => items.iter().collect(),
        single => vec![single],
    };
    let mut terms = Vec::new();
    for condition in conditions {
        let ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, CompValue::Str(value))) = condition
        else {
            return None;
        };
        match path.name.to_ascii_lowercase().as_str() {
            "value" => terms.push(Term::Email(value.clone())),
            // Connect keeps one work address: any type filter selects it.
            "type" if value.eq_ignore_ascii_case("work") => {}
            _ => return None,
        }
    }
    (!terms.is_empty()).then_some(terms)
}

fn terms_of(filter: &Filter) -> Option<Vec<Term>> {
    match filter {
        Filter::Attr(AttrExp::Comparison(path, op, value)) => term(path, op, value).map(|t| vec![t]),
        Filter::ValuePath(vp) => email_value_path(vp),
        _ => None,
    }
}

/// One condition on groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupTerm {
    /// `displayName eq|sw|co "…"`, without regard to case.
    DisplayName(TextMatch, String),
    /// `externalId eq "…"` (case-exact).
    ExternalId(String),
    /// `id eq "…"`.
    Id(String),
}

/// A conjunction of [`GroupTerm`]s (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupFilter {
    /// All must hold.
    pub terms: Vec<GroupTerm>,
}

/// What the error message offers instead, for groups.
pub const GROUP_SUPPORTED: &str = "supported group filters: displayName eq|sw|co \"value\", \
    externalId eq \"value\", id eq \"value\", and an \"and\" of these";

impl GroupFilter {
    /// Whether a group satisfies every term.
    pub fn matches(&self, id: &crate::group::GroupId, group: &crate::group::Group) -> bool {
        self.terms.iter().all(|t| match t {
            GroupTerm::DisplayName(how, value) => {
                let (have, want) = (group.display_name.to_lowercase(), value.to_lowercase());
                match how {
                    TextMatch::Equals => have == want,
                    TextMatch::StartsWith => have.starts_with(&want),
                    TextMatch::Contains => have.contains(&want),
                }
            }
            GroupTerm::ExternalId(value) => group.external_id.as_deref() == Some(value.as_str()),
            GroupTerm::Id(value) => id.as_str() == value,
        })
    }

    /// Parses a `filter` query parameter of a group list.
    pub fn parse(raw: &str) -> Result<Self, ScimError> {
        let parsed = grammar(raw, quote_bare, GROUP_SUPPORTED)?;
        let unsupported =
            || ScimError::invalid_filter(format!("The filter {raw:?} is not supported; {GROUP_SUPPORTED}"));
        let operands: Vec<&Filter> = match &parsed {
            Filter::And(operands) => operands.iter().collect(),
            single => vec![single],
        };
        let terms = operands
            .into_iter()
            .map(|f| group_term(f).ok_or_else(unsupported))
            .collect::<Result<_, _>>()?;
        Ok(Self { terms })
    }
}

fn group_term(filter: &Filter) -> Option<GroupTerm> {
    let Filter::Attr(AttrExp::Comparison(path, op, CompValue::Str(value))) = filter else {
        return None;
    };
    let is = |name: &str| {
        path.name.eq_ignore_ascii_case(name)
            && path.sub_attr.is_none()
            && path
                .uri
                .as_deref()
                .is_none_or(|u| u.eq_ignore_ascii_case(GROUP_URN))
    };
    let text = match op {
        CompareOp::Eq => TextMatch::Equals,
        CompareOp::Sw => TextMatch::StartsWith,
        CompareOp::Co => TextMatch::Contains,
        _ => return None,
    };
    if is("displayName") {
        return Some(GroupTerm::DisplayName(text, value.clone()));
    }
    if text != TextMatch::Equals {
        return None;
    }
    if is("externalId") {
        return Some(GroupTerm::ExternalId(value.clone()));
    }
    is("id").then(|| GroupTerm::Id(value.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ScimType;

    fn one(raw: &str) -> Term {
        let f = UserFilter::parse(raw).unwrap();
        assert_eq!(f.terms.len(), 1, "{raw}");
        f.terms.into_iter().next().unwrap()
    }

    #[test]
    fn user_name_in_its_spellings() {
        for raw in [
            r#"userName eq "ann@example.com""#,
            r#"USERNAME EQ "ann@example.com""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ann@example.com""#,
            r#"  userName eq "ann@example.com"  "#,
            "userName eq ann@example.com",
        ] {
            assert_eq!(
                one(raw),
                Term::UserName(TextMatch::Equals, "ann@example.com".into()),
                "{raw}"
            );
        }
        assert_eq!(
            one(r#"userName sw "ann""#),
            Term::UserName(TextMatch::StartsWith, "ann".into())
        );
        assert_eq!(
            one(r#"userName co "nn""#),
            Term::UserName(TextMatch::Contains, "nn".into())
        );
    }

    #[test]
    fn other_supported_terms() {
        assert_eq!(one(r#"externalId eq "E-1""#), Term::ExternalId("E-1".into()));
        assert_eq!(one(r#"id eq "abc""#), Term::Id(UserId::new("abc")));
        for raw in [
            r#"emails.value eq "a@x.com""#,
            r#"emails eq "a@x.com""#,
            r#"emails[value eq "a@x.com"]"#,
            r#"emails[type eq "work" and value eq "a@x.com"]"#,
            r#"emails[type eq "work"].value eq "a@x.com""#,
        ] {
            assert_eq!(one(raw), Term::Email("a@x.com".into()), "{raw}");
        }
        let both = UserFilter::parse(r#"userName eq "a" and externalId eq "b""#).unwrap();
        assert_eq!(both.terms.len(), 2);
    }

    #[test]
    fn everything_else_is_invalid_filter() {
        for raw in [
            r#"userName ne "a""#,
            r#"title eq "a""#,
            r#"userName eq 5"#,
            r#"userName eq "a" or userName eq "b""#,
            r#"not (userName eq "a")"#,
            r#"externalId sw "a""#,
            r#"emails[type eq "home"].value eq "a@x.com""#,
            "userName eq",
            "userName eq true",
            "((",
            "",
        ] {
            let err = UserFilter::parse(raw).unwrap_err();
            assert_eq!(err.scim_type(), Some(ScimType::InvalidFilter), "{raw}");
            assert!(err.detail().contains("supported"), "{raw}: {}", err.detail());
        }
    }

    #[test]
    fn a_filter_past_the_cap_is_refused_before_parsing() {
        let long = format!(r#"userName eq "{}""#, "a".repeat(MAX_FILTER_CHARS));
        for err in [
            UserFilter::parse(&long).unwrap_err(),
            GroupFilter::parse(&long).unwrap_err(),
        ] {
            assert_eq!(err.scim_type(), Some(ScimType::InvalidFilter));
            assert!(err.detail().contains("1000 characters"), "{}", err.detail());
        }
        let at_cap = format!(r#"userName eq "{}""#, "a".repeat(MAX_FILTER_CHARS - 14));
        assert_eq!(at_cap.chars().count(), MAX_FILTER_CHARS);
        assert!(UserFilter::parse(&at_cap).is_ok());
    }

    #[test]
    fn terms_check_users() {
        let mut user: crate::user::User = crate::user::User::new(UserName::new("Ann@Example.com").unwrap());
        user.external_id = Some("E-1".into());
        user.email = Some("Ann@Example.com".into());
        let id = UserId::new("u1");
        assert!(
            UserFilter::parse(r#"userName eq "ann@example.com""#)
                .unwrap()
                .matches(&id, &user)
        );
        assert!(
            UserFilter::parse(r#"emails.value eq "ANN@example.com""#)
                .unwrap()
                .matches(&id, &user)
        );
        assert!(
            !UserFilter::parse(r#"externalId eq "e-1""#)
                .unwrap()
                .matches(&id, &user)
        );
        assert!(
            UserFilter::parse(r#"id eq "u1" and userName sw "ann""#)
                .unwrap()
                .matches(&id, &user)
        );
    }

    #[test]
    fn group_filters() {
        let group = crate::group::Group {
            display_name: "Sales Agents".into(),
            external_id: Some("E".into()),
        };
        let id = crate::group::GroupId::new("g1");
        for raw in [
            r#"displayName eq "sales agents""#,
            r#"DISPLAYNAME eq "Sales Agents" and externalId eq "E""#,
            r#"displayName sw "sales""#,
            r#"urn:ietf:params:scim:schemas:core:2.0:Group:displayName co "AGENT""#,
            r#"id eq "g1""#,
        ] {
            assert!(GroupFilter::parse(raw).unwrap().matches(&id, &group), "{raw}");
        }
        assert!(
            !GroupFilter::parse(r#"externalId eq "e""#)
                .unwrap()
                .matches(&id, &group)
        );
        for raw in [
            r#"displayName ne "a""#,
            r#"members.value eq "u""#,
            r#"id sw "g""#,
            "((",
        ] {
            let err = GroupFilter::parse(raw).unwrap_err();
            assert_eq!(err.scim_type(), Some(ScimType::InvalidFilter), "{raw}");
        }
    }
}
