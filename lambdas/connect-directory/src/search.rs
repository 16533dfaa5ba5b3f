//! SCIM filters as SearchUsers queries, and remembered page tokens.

use aws_sdk_connect::types::{
    ControlPlaneTagFilter, StringComparisonType, StringCondition, TagCondition, UserSearchCriteria,
    UserSearchFilter,
};
use scim_core::{DirectoryError, Term, TextMatch, UserFilter};

use crate::StoredUser;
use crate::bounded::BoundedMap;
use crate::mapping::{TAG_EMAIL_KEY, TAG_EXTERNAL_ID};

/// `CONTAINS` takes 2 to 25 characters: "The name and description fields
/// support "contains" queries with a minimum of 2 characters and a maximum
/// of 25 characters. Any queries with character lengths outside of this
/// range will throw invalid results." (UserSearchCriteria.)
pub(crate) const CONTAINS_MIN: usize = 2;
/// See [`CONTAINS_MIN`].
pub(crate) const CONTAINS_MAX: usize = 25;

/// One SearchUsers query: string conditions (AND) and tag conditions (an OR
/// of ANDs), plus a key identifying it for the page-token cache and what it
/// asks, so a user known from this process's own writes can be tested
/// against it.
#[derive(Debug, Clone)]
pub(crate) struct SearchQuery {
    pub criteria: Option<UserSearchCriteria>,
    pub filter: Option<UserSearchFilter>,
    pub key: String,
    /// Whether Connect evaluates the whole query, so what it answers is
    /// exactly what matches (a window of it is a window of the answer).
    /// False when a term is searched as a superset (`userName co` longer
    /// than [`CONTAINS_MAX`]) and must be narrowed in memory.
    pub exact: bool,
    asks: Asks,
}

/// What a query selects, in terms a stored user can be tested against.
#[derive(Debug, Clone)]
enum Asks {
    All,
    Filter(UserFilter),
    Holders(Vec<String>),
    Ids(Vec<String>),
}

fn string(field: &str, value: &str, how: StringComparisonType) -> UserSearchCriteria {
    UserSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name(field)
                .value(value)
                .comparison_type(how)
                .build(),
        )
        .build()
}

fn tag(key: &str, value: &str) -> TagCondition {
    TagCondition::builder().tag_key(key).tag_value(value).build()
}

impl SearchQuery {
    /// The users who hold any of these security profiles.
    pub(crate) fn holders(profile_ids: &[&str]) -> Self {
        let asks = Asks::Holders(profile_ids.iter().map(|s| (*s).to_owned()).collect());
        Self::any_of("SecurityProfileId", profile_ids, asks)
    }

    /// The users with these ids.
    pub(crate) fn users(ids: &[&str]) -> Self {
        let asks = Asks::Ids(ids.iter().map(|s| (*s).to_owned()).collect());
        Self::any_of("resourceId", ids, asks)
    }

    /// Whether `user` is one this query selects.
    pub(crate) fn admits(&self, user: &StoredUser) -> bool {
        match &self.asks {
            Asks::All => true,
            Asks::Filter(filter) => filter.matches(&user.id, &user.user),
            Asks::Holders(profiles) => user
                .handle
                .security_profile_ids
                .iter()
                .any(|held| profiles.contains(held)),
            Asks::Ids(ids) => ids.iter().any(|id| id == user.id.as_str()),
        }
    }

    /// Refuses a filter SearchUsers cannot run: `userName co` with fewer
    /// than [`CONTAINS_MIN`] characters. (Longer than [`CONTAINS_MAX`] is
    /// run as its first 25 characters, a superset the caller narrows.)
    pub(crate) fn check(filter: &UserFilter) -> Result<(), DirectoryError> {
        for term in &filter.terms {
            if let Term::UserName(TextMatch::Contains, value) = term
                && value.chars().count() < CONTAINS_MIN
            {
                return Err(DirectoryError::InvalidFilter(format!(
                    "userName co {value:?}: Amazon Connect searches for text of at least {CONTAINS_MIN} \
                     characters; use sw or eq, or a longer value"
                )));
            }
        }
        Ok(())
    }

    /// Users whose `field` is exactly one of `values`.
    fn any_of(field: &str, values: &[&str], asks: Asks) -> Self {
        let mut conditions: Vec<UserSearchCriteria> = values
            .iter()
            .map(|v| string(field, v, StringComparisonType::Exact))
            .collect();
        let criteria = match conditions.len() {
            1 => conditions.pop(),
            _ => Some(
                UserSearchCriteria::builder()
                    .set_or_conditions(Some(conditions))
                    .build(),
            ),
        };
        Self {
            criteria,
            filter: None,
            key: format!("{field}|{}", values.join(",")),
            exact: true,
            asks,
        }
    }

    pub(crate) fn new(filter: Option<&UserFilter>) -> Self {
        let filter_of = filter;
        let mut exact = true;
        let mut strings = Vec::new();
        // Each entry: the alternatives one term accepts (one, today).
        let mut tags: Vec<Vec<TagCondition>> = Vec::new();
        for term in filter.map(|f| f.terms.as_slice()).unwrap_or_default() {
            match term {
                Term::UserName(TextMatch::Contains, value) => {
                    // A longer value is searched by its first characters;
                    // the caller keeps only what really contains all of it.
                    let window: String = value.chars().take(CONTAINS_MAX).collect();
                    exact &= window.len() == value.len();
                    strings.push(string("Username", &window, StringComparisonType::Contains));
                }
                Term::UserName(how, value) => strings.push(string(
                    "Username",
                    value,
                    match how {
                        TextMatch::StartsWith => StringComparisonType::StartsWith,
                        _ => StringComparisonType::Exact,
                    },
                )),
                Term::Id(id) => strings.push(string("resourceId", id.as_str(), StringComparisonType::Exact)),
                Term::ExternalId(value) => tags.push(vec![tag(TAG_EXTERNAL_ID, value)]),
                Term::Email(value) => tags.push(vec![tag(TAG_EMAIL_KEY, &value.to_lowercase())]),
            }
        }
        let criteria = match strings.len() {
            0 => None,
            1 => strings.pop(),
            _ => Some(
                UserSearchCriteria::builder()
                    .set_and_conditions(Some(strings))
                    .build(),
            ),
        };
        // The OR of ANDs: one AND list per combination of alternatives.
        let mut combinations: Vec<Vec<TagCondition>> = vec![Vec::new()];
        for alternatives in &tags {
            combinations = combinations
                .iter()
                .flat_map(|combo| {
                    alternatives.iter().map(move |alt| {
                        let mut next = combo.clone();
                        next.push(alt.clone());
                        next
                    })
                })
                .collect();
        }
        let filter = if tags.is_empty() {
            None
        } else {
            Some(
                UserSearchFilter::builder()
                    .tag_filter(
                        ControlPlaneTagFilter::builder()
                            .set_or_conditions(Some(combinations))
                            .build(),
                    )
                    .build(),
            )
        };
        let key = format!("{criteria:?}|{filter:?}");
        Self {
            criteria,
            filter,
            key,
            exact,
            asks: filter_of.map_or(Asks::All, |f| Asks::Filter(f.clone())),
        }
    }
}

/// NextTokens by (query, offset), bounded.
#[derive(Debug)]
pub(crate) struct PageTokens(BoundedMap<(String, usize), String>);

const MAX_TOKENS: usize = 512;

impl Default for PageTokens {
    fn default() -> Self {
        Self(BoundedMap::new(MAX_TOKENS))
    }
}

impl PageTokens {
    pub(crate) fn get(&self, key: &str, offset: usize) -> Option<String> {
        self.0.get(&(key.to_owned(), offset)).cloned()
    }

    pub(crate) fn put(&mut self, key: &str, offset: usize, token: String) {
        self.0.insert((key.to_owned(), offset), token);
    }

    pub(crate) fn forget(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_conditions() {
        let q = SearchQuery::new(None);
        assert!(q.criteria.is_none() && q.filter.is_none());
        let f = UserFilter::parse(r#"userName eq "a" and externalId eq "X" and emails.value eq "A@x.com""#)
            .unwrap();
        let q = SearchQuery::new(Some(&f));
        let criteria = q.criteria.unwrap();
        assert_eq!(
            criteria.string_condition().unwrap().field_name(),
            Some("Username")
        );
        let or = q.filter.unwrap().tag_filter().unwrap().or_conditions().to_vec();
        assert_eq!(or.len(), 1);
        assert_eq!(or[0].len(), 2, "externalId and the lower-case email key");
        assert_eq!(or[0][1].tag_value(), Some("a@x.com"));
        assert!(SearchQuery::new(Some(&f)).exact);
    }

    #[test]
    fn a_contains_past_connects_limit_is_a_superset_to_narrow() {
        let at = format!(r#"userName co "{}""#, "a".repeat(CONTAINS_MAX));
        assert!(SearchQuery::new(Some(&UserFilter::parse(&at).unwrap())).exact);
        let past = format!(r#"userName co "{}""#, "a".repeat(CONTAINS_MAX + 1));
        assert!(!SearchQuery::new(Some(&UserFilter::parse(&past).unwrap())).exact);
    }

    #[test]
    fn page_tokens_are_bounded() {
        let mut t = PageTokens::default();
        for i in 0..600 {
            t.put("q", i, format!("t{i}"));
        }
        assert_eq!(t.get("q", 599).as_deref(), Some("t599"));
        assert_eq!(t.get("q", 0), None);
        t.forget("q");
        assert_eq!(t.get("q", 599), None);
    }
}
