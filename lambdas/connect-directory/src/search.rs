//! SCIM filters as SearchUsers queries, and remembered page tokens.

use aws_sdk_connect::types::{
    ControlPlaneTagFilter, StringComparisonType, StringCondition, TagCondition, UserSearchCriteria,
    UserSearchFilter,
};
use scim_core::{Term, TextMatch, UserFilter};

use crate::bounded::BoundedMap;
use crate::mapping::{TAG_EMAIL_KEY, TAG_EXTERNAL_ID};

/// One SearchUsers query: string conditions (AND) and tag conditions (an OR
/// of ANDs), plus a key identifying it for the page-token cache.
#[derive(Debug, Clone)]
pub(crate) struct SearchQuery {
    pub criteria: Option<UserSearchCriteria>,
    pub filter: Option<UserSearchFilter>,
    pub key: String,
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
        Self::any_of("SecurityProfileId", profile_ids)
    }

    /// The users with these ids.
    pub(crate) fn users(ids: &[&str]) -> Self {
        Self::any_of("resourceId", ids)
    }

    /// Users whose `field` is exactly one of `values`.
    fn any_of(field: &str, values: &[&str]) -> Self {
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
        }
    }

    pub(crate) fn new(filter: Option<&UserFilter>) -> Self {
        let mut strings = Vec::new();
        // Each entry: the alternatives one term accepts (one, today).
        let mut tags: Vec<Vec<TagCondition>> = Vec::new();
        for term in filter.map(|f| f.terms.as_slice()).unwrap_or_default() {
            match term {
                Term::UserName(how, value) => strings.push(string(
                    "Username",
                    value,
                    match how {
                        TextMatch::Equals => StringComparisonType::Exact,
                        TextMatch::StartsWith => StringComparisonType::StartsWith,
                        TextMatch::Contains => StringComparisonType::Contains,
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
