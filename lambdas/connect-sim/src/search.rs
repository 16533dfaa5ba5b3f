//! SearchUsers: criteria and filters are checked once, up front, into a
//! small tree, then evaluated against each user.
//!
//! String comparisons ignore case, as Connect's search does; tag keys and
//! values compare exactly.

use crate::error::ConnectError;
use crate::wire::{
    AttributeAndCondition, HierarchyGroupCondition, SecurityProfileSearchCriteria, StringCondition,
    TagCondition, TagFilter, User, UserAttributeFilter, UserSearchCriteria, UserSearchFilter,
};
use crate::world::Instance;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Username,
    FirstName,
    LastName,
    ResourceId,
    RoutingProfileId,
    SecurityProfileId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    Exact,
    Contains,
    StartsWith,
}

#[derive(Debug)]
enum Node {
    All,
    Nothing,
    And(Vec<Node>),
    Or(Vec<Node>),
    Text(Field, Comparison, String),
    /// The user's group or, with children, any group beneath it.
    Hierarchy(Vec<String>),
    Tag(String, String),
}

/// A validated search, ready to run over an instance's users.
#[derive(Debug)]
pub(crate) struct Matcher {
    root: Node,
}

impl Matcher {
    pub(crate) fn new(
        instance: &Instance,
        criteria: Option<&UserSearchCriteria>,
        filter: Option<&UserSearchFilter>,
    ) -> Result<Self, ConnectError> {
        let criteria = match criteria {
            Some(c) => criteria_node(instance, c, 0)?,
            None => Node::All,
        };
        let filter = match filter {
            Some(f) => filter_node(instance, f)?,
            None => Node::All,
        };
        Ok(Self {
            root: Node::And(vec![criteria, filter]),
        })
    }

    pub(crate) fn matches(&self, user: &User) -> bool {
        eval(&self.root, user)
    }
}

fn eval(node: &Node, user: &User) -> bool {
    match node {
        Node::All => true,
        Node::Nothing => false,
        Node::And(nodes) => nodes.iter().all(|n| eval(n, user)),
        Node::Or(nodes) => nodes.iter().any(|n| eval(n, user)),
        Node::Text(field, comparison, value) => text_matches(user, *field, *comparison, value),
        Node::Hierarchy(groups) => user
            .hierarchy_group_id
            .as_ref()
            .is_some_and(|own| groups.contains(own)),
        Node::Tag(key, value) => user.tags.get(key) == Some(value),
    }
}

pub(crate) fn compare(haystack: &str, comparison: Comparison, needle: &str) -> bool {
    let haystack = haystack.to_lowercase();
    let needle = needle.to_lowercase();
    match comparison {
        Comparison::Exact => haystack == needle,
        Comparison::Contains => haystack.contains(&needle),
        Comparison::StartsWith => haystack.starts_with(&needle),
    }
}

fn text_matches(user: &User, field: Field, comparison: Comparison, value: &str) -> bool {
    let single = |s: Option<&str>| s.is_some_and(|s| compare(s, comparison, value));
    match field {
        Field::Username => single(Some(&user.username)),
        Field::FirstName => single(user.identity_info.first_name.as_deref()),
        Field::LastName => single(user.identity_info.last_name.as_deref()),
        Field::ResourceId => single(Some(&user.id)),
        Field::RoutingProfileId => single(Some(&user.routing_profile_id)),
        Field::SecurityProfileId => user
            .security_profile_ids
            .iter()
            .any(|id| compare(id, comparison, value)),
    }
}

/// Connect nests criteria a few levels deep at most; refuse runaway trees.
const MAX_DEPTH: usize = 8;

/// A validated SearchSecurityProfiles criteria tree.
#[derive(Debug)]
pub(crate) enum ProfileMatcher {
    All,
    And(Vec<ProfileMatcher>),
    Or(Vec<ProfileMatcher>),
    /// `name` (true) or `description` (false).
    Text(bool, Comparison, String),
}

impl ProfileMatcher {
    /// Checks `criteria` (exactly one member per level; StringCondition on
    /// `name` or `description`).
    pub(crate) fn new(
        criteria: Option<&SecurityProfileSearchCriteria>,
        depth: usize,
    ) -> Result<Self, ConnectError> {
        let Some(c) = criteria else { return Ok(Self::All) };
        if depth > MAX_DEPTH {
            return Err(ConnectError::invalid("SearchCriteria is nested too deeply"));
        }
        let set = [
            c.or_conditions.is_some(),
            c.and_conditions.is_some(),
            c.string_condition.is_some(),
        ];
        if set.iter().filter(|b| **b).count() > 1 {
            return Err(ConnectError::invalid(
                "SearchCriteria must contain exactly one of OrConditions, AndConditions or StringCondition",
            ));
        }
        let children = |list: &Vec<SecurityProfileSearchCriteria>| {
            list.iter()
                .map(|c| Self::new(Some(c), depth + 1))
                .collect::<Result<Vec<_>, _>>()
        };
        if let Some(list) = &c.or_conditions {
            return Ok(Self::Or(children(list)?));
        }
        if let Some(list) = &c.and_conditions {
            return Ok(Self::And(children(list)?));
        }
        let Some(s) = &c.string_condition else {
            return Ok(Self::All);
        };
        let name = match s.field_name.as_deref() {
            Some("name") => true,
            Some("description") => false,
            other => {
                return Err(ConnectError::invalid(format!(
                    "StringCondition.FieldName {:?} is not supported; use name or description",
                    other.unwrap_or_default()
                )));
            }
        };
        let (comparison, value) = comparison_of(s)?;
        Ok(Self::Text(name, comparison, value))
    }

    pub(crate) fn matches(&self, name: &str, description: Option<&str>) -> bool {
        match self {
            Self::All => true,
            Self::And(items) => items.iter().all(|m| m.matches(name, description)),
            Self::Or(items) => items.iter().any(|m| m.matches(name, description)),
            Self::Text(true, comparison, value) => compare(name, *comparison, value),
            Self::Text(false, comparison, value) => {
                description.is_some_and(|d| compare(d, *comparison, value))
            }
        }
    }
}

fn criteria_node(instance: &Instance, c: &UserSearchCriteria, depth: usize) -> Result<Node, ConnectError> {
    if depth > MAX_DEPTH {
        return Err(ConnectError::invalid("SearchCriteria is nested too deeply"));
    }
    let set = [
        c.or_conditions.is_some(),
        c.and_conditions.is_some(),
        c.string_condition.is_some(),
        c.list_condition.is_some(),
        c.hierarchy_group_condition.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if set > 1 {
        return Err(ConnectError::invalid(
            "SearchCriteria must contain exactly one of OrConditions, AndConditions, StringCondition, ListCondition or HierarchyGroupCondition",
        ));
    }
    let children = |list: &Vec<UserSearchCriteria>| -> Result<Vec<Node>, ConnectError> {
        list.iter()
            .map(|c| criteria_node(instance, c, depth + 1))
            .collect()
    };
    if let Some(list) = &c.or_conditions {
        return Ok(Node::Or(children(list)?));
    }
    if let Some(list) = &c.and_conditions {
        return Ok(Node::And(children(list)?));
    }
    if let Some(s) = &c.string_condition {
        return string_node(s);
    }
    if let Some(l) = &c.list_condition {
        if l.target_list_type.as_deref() != Some("PROFICIENCIES") {
            return Err(ConnectError::invalid(
                "ListCondition.TargetListType must be PROFICIENCIES",
            ));
        }
        // Simulated users have no proficiencies, so no user can satisfy one.
        return Ok(Node::Nothing);
    }
    if let Some(h) = &c.hierarchy_group_condition {
        return hierarchy_node(instance, h);
    }
    Ok(Node::All)
}

fn string_node(s: &StringCondition) -> Result<Node, ConnectError> {
    let field = match s.field_name.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("username") => Field::Username,
        Some("firstname") => Field::FirstName,
        Some("lastname") => Field::LastName,
        Some("resourceid") => Field::ResourceId,
        Some("routingprofileid") => Field::RoutingProfileId,
        Some("securityprofileid") => Field::SecurityProfileId,
        other => {
            return Err(ConnectError::invalid(format!(
                "StringCondition.FieldName {:?} is not supported; use Username, FirstName, LastName, RoutingProfileId, SecurityProfileId or resourceId",
                other.unwrap_or_default()
            )));
        }
    };
    let (comparison, value) = comparison_of(s)?;
    Ok(Node::Text(field, comparison, value))
}

/// A StringCondition's ComparisonType and Value, checked.
fn comparison_of(s: &StringCondition) -> Result<(Comparison, String), ConnectError> {
    let comparison = match s.comparison_type.as_deref() {
        Some("EXACT") => Comparison::Exact,
        Some("CONTAINS") => Comparison::Contains,
        Some("STARTS_WITH") => Comparison::StartsWith,
        other => {
            return Err(ConnectError::invalid(format!(
                "StringCondition.ComparisonType {:?} must be one of EXACT, CONTAINS, STARTS_WITH",
                other.unwrap_or_default()
            )));
        }
    };
    let value = s
        .value
        .clone()
        .ok_or_else(|| ConnectError::invalid("StringCondition.Value is required"))?;
    Ok((comparison, value))
}

fn hierarchy_node(instance: &Instance, h: &HierarchyGroupCondition) -> Result<Node, ConnectError> {
    let value = h
        .value
        .clone()
        .ok_or_else(|| ConnectError::invalid("HierarchyGroupCondition.Value is required"))?;
    match h.hierarchy_group_match_type.as_deref() {
        Some("EXACT") | None => Ok(Node::Hierarchy(vec![value])),
        Some("WITH_CHILD_GROUPS") => {
            // Every group whose path passes through `value`.
            let groups = instance
                .hierarchy_groups
                .iter()
                .filter(|g| instance.hierarchy_path(&g.id).contains(&value))
                .map(|g| g.id.clone())
                .collect();
            Ok(Node::Hierarchy(groups))
        }
        Some(other) => Err(ConnectError::invalid(format!(
            "HierarchyGroupMatchType {other:?} must be EXACT or WITH_CHILD_GROUPS"
        ))),
    }
}

fn tag_node(t: &TagCondition) -> Result<Node, ConnectError> {
    let key = t
        .tag_key
        .clone()
        .ok_or_else(|| ConnectError::invalid("TagCondition.TagKey is required"))?;
    Ok(Node::Tag(key, t.tag_value.clone().unwrap_or_default()))
}

fn tag_filter_node(f: &TagFilter) -> Result<Node, ConnectError> {
    let and = |list: &Vec<TagCondition>| -> Result<Node, ConnectError> {
        Ok(Node::And(list.iter().map(tag_node).collect::<Result<_, _>>()?))
    };
    match (&f.or_conditions, &f.and_conditions, &f.tag_condition) {
        (Some(or), None, None) => Ok(Node::Or(or.iter().map(and).collect::<Result<_, _>>()?)),
        (None, Some(list), None) => and(list),
        (None, None, Some(t)) => tag_node(t),
        (None, None, None) => Ok(Node::All),
        _ => Err(ConnectError::invalid(
            "TagFilter must contain exactly one of OrConditions, AndConditions or TagCondition",
        )),
    }
}

fn attribute_and(instance: &Instance, a: &AttributeAndCondition) -> Result<Node, ConnectError> {
    let mut nodes: Vec<Node> = a
        .tag_conditions
        .iter()
        .flatten()
        .map(tag_node)
        .collect::<Result<_, _>>()?;
    if let Some(h) = &a.hierarchy_group_condition {
        nodes.push(hierarchy_node(instance, h)?);
    }
    Ok(Node::And(nodes))
}

fn attribute_filter_node(instance: &Instance, f: &UserAttributeFilter) -> Result<Node, ConnectError> {
    match (
        &f.or_conditions,
        &f.and_condition,
        &f.tag_condition,
        &f.hierarchy_group_condition,
    ) {
        (Some(or), None, None, None) => Ok(Node::Or(
            or.iter()
                .map(|a| attribute_and(instance, a))
                .collect::<Result<_, _>>()?,
        )),
        (None, Some(a), None, None) => attribute_and(instance, a),
        (None, None, Some(t), None) => tag_node(t),
        (None, None, None, Some(h)) => hierarchy_node(instance, h),
        (None, None, None, None) => Ok(Node::All),
        _ => Err(ConnectError::invalid(
            "UserAttributeFilter must contain only one of OrConditions, AndCondition, TagCondition or HierarchyGroupCondition",
        )),
    }
}

fn filter_node(instance: &Instance, f: &UserSearchFilter) -> Result<Node, ConnectError> {
    match (&f.tag_filter, &f.user_attribute_filter) {
        (Some(_), Some(_)) => Err(ConnectError::AccessDenied(
            "SearchFilter can contain either TagFilter or UserAttributeFilter, not both".to_owned(),
        )),
        (Some(t), None) => tag_filter_node(t),
        (None, Some(a)) => attribute_filter_node(instance, a),
        (None, None) => Ok(Node::All),
    }
}
