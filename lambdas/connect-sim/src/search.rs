//! SearchUsers: criteria and filters are checked once, up front, into a
//! small tree, then evaluated against each user.
//!
//! String comparisons ignore case, as Connect's search does; tag keys and
//! values compare exactly.

use crate::error::ConnectError;
use crate::wire::{
    AttributeAndCondition, Condition, HierarchyGroupCondition, ListCondition, NumberCondition,
    SecurityProfileSearchCriteria, StringCondition, TagCondition, TagFilter, Tags, User, UserAttributeFilter,
    UserProficiency, UserSearchCriteria, UserSearchFilter,
};
use crate::world::{Named, hierarchy_path};

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

/// A validated condition tree; `L` is what one condition tests.
#[derive(Debug)]
enum Tree<L> {
    All,
    And(Vec<Tree<L>>),
    Or(Vec<Tree<L>>),
    Leaf(L),
}

impl<L> Tree<L> {
    fn matches(&self, leaf: &impl Fn(&L) -> bool) -> bool {
        match self {
            Self::All => true,
            Self::And(items) => items.iter().all(|t| t.matches(leaf)),
            Self::Or(items) => items.iter().any(|t| t.matches(leaf)),
            Self::Leaf(l) => leaf(l),
        }
    }
}

/// One condition of SearchUsers' criteria or filter.
#[derive(Debug)]
enum UserTest {
    Text(Field, Comparison, String),
    /// The user's group or, with children, any group beneath it.
    Hierarchy(Vec<String>),
    Tag(String, String),
    /// Some proficiency of the user passes every test.
    Proficiency(Vec<ProficiencyTest>),
}

/// One `Condition` of a proficiency `ListCondition`.
#[derive(Debug)]
enum ProficiencyTest {
    Name(Comparison, String),
    Value(Comparison, String),
    /// The level is within `min..=max`, ends excluded when the flags say so.
    Level {
        min: f64,
        max: f64,
        open_min: bool,
        open_max: bool,
        negate: bool,
    },
}

impl ProficiencyTest {
    fn passes(&self, p: &UserProficiency) -> bool {
        match self {
            Self::Name(how, value) => compare(&p.attribute_name, *how, value),
            Self::Value(how, value) => compare(&p.attribute_value, *how, value),
            Self::Level {
                min,
                max,
                open_min,
                open_max,
                negate,
            } => {
                let above = if *open_min {
                    p.level > *min
                } else {
                    p.level >= *min
                };
                let below = if *open_max {
                    p.level < *max
                } else {
                    p.level <= *max
                };
                (above && below) != *negate
            }
        }
    }
}

impl UserTest {
    fn matches_tags(&self, tags: &Tags) -> bool {
        matches!(self, Self::Tag(key, value) if tags.get(key) == Some(value))
    }
}

type Node = Tree<UserTest>;

/// A validated search, ready to run over an instance's users.
#[derive(Debug)]
pub(crate) struct Matcher {
    root: Node,
}

impl Matcher {
    /// `groups` are the hierarchy groups the search sees (for
    /// `WITH_CHILD_GROUPS`).
    pub(crate) fn new(
        groups: &[Named],
        criteria: Option<&UserSearchCriteria>,
        filter: Option<&UserSearchFilter>,
    ) -> Result<Self, ConnectError> {
        let criteria = match criteria {
            Some(c) => criteria_node(groups, c, 0)?,
            None => Node::All,
        };
        let filter = match filter {
            Some(f) => filter_node(groups, f)?,
            None => Node::All,
        };
        Ok(Self {
            root: Node::And(vec![criteria, filter]),
        })
    }

    pub(crate) fn matches(&self, user: &User) -> bool {
        self.root.matches(&|test: &UserTest| match test {
            UserTest::Text(field, comparison, value) => text_matches(user, *field, *comparison, value),
            UserTest::Hierarchy(groups) => user
                .hierarchy_group_id
                .as_ref()
                .is_some_and(|own| groups.contains(own)),
            UserTest::Tag(..) => test.matches_tags(&user.tags),
            UserTest::Proficiency(tests) => user
                .proficiencies
                .iter()
                .any(|p| tests.iter().all(|t| t.passes(p))),
        })
    }
}

/// A validated tag filter (`ControlPlaneTagFilter`) for resources other
/// than users.
#[derive(Debug)]
pub(crate) struct TagMatcher(Node);

impl TagMatcher {
    pub(crate) fn new(filter: Option<&TagFilter>) -> Result<Self, ConnectError> {
        Ok(Self(match filter {
            Some(f) => tag_filter_node(f)?,
            None => Node::All,
        }))
    }

    pub(crate) fn matches(&self, tags: &Tags) -> bool {
        self.0.matches(&|test: &UserTest| test.matches_tags(tags))
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

/// One level of a criteria tree (`UserSearchCriteria`,
/// `SecurityProfileSearchCriteria`): at most [`MAX_DEPTH`] deep, with at most
/// one member set (`set` says which; `members` names them for the refusal).
/// Its `OrConditions` or `AndConditions`, when set, are the level's node,
/// each child built by `child` one level deeper; `None` leaves the level's
/// own condition to the caller.
fn branch<C, L>(
    depth: usize,
    set: &[bool],
    members: &str,
    or: Option<&Vec<C>>,
    and: Option<&Vec<C>>,
    child: impl Fn(&C, usize) -> Result<Tree<L>, ConnectError>,
) -> Result<Option<Tree<L>>, ConnectError> {
    if depth > MAX_DEPTH {
        return Err(ConnectError::invalid("SearchCriteria is nested too deeply"));
    }
    if set.iter().filter(|b| **b).count() > 1 {
        return Err(ConnectError::invalid(format!(
            "SearchCriteria must contain exactly one of {members}"
        )));
    }
    let children = |list: &Vec<C>| -> Result<Vec<Tree<L>>, ConnectError> {
        list.iter().map(|c| child(c, depth + 1)).collect()
    };
    if let Some(list) = or {
        return Ok(Some(Tree::Or(children(list)?)));
    }
    if let Some(list) = and {
        return Ok(Some(Tree::And(children(list)?)));
    }
    Ok(None)
}

/// A text field of a named resource (security profile, hierarchy group,
/// quick connect) that search criteria can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NamedField {
    Name,
    Description,
    ResourceId,
}

/// What one Search* API over named resources accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NamedSearch {
    /// `FieldName` spellings and the fields they compare.
    pub fields: &'static [(&'static str, NamedField)],
    /// Whether the documented 2–25 character bound on CONTAINS applies.
    pub bounded_contains: bool,
}

/// A validated criteria tree of SearchSecurityProfiles,
/// SearchUserHierarchyGroups or SearchQuickConnects.
#[derive(Debug)]
pub(crate) struct ProfileMatcher(Tree<(NamedField, Comparison, String)>);

impl ProfileMatcher {
    /// Checks `criteria` (exactly one member per level; StringCondition on
    /// one of `search.fields`).
    pub(crate) fn new(
        criteria: Option<&SecurityProfileSearchCriteria>,
        search: NamedSearch,
    ) -> Result<Self, ConnectError> {
        Ok(Self(match criteria {
            Some(c) => named_node(c, search, 0)?,
            None => Tree::All,
        }))
    }

    pub(crate) fn matches(&self, id: &str, name: &str, description: Option<&str>) -> bool {
        self.0.matches(&|(field, comparison, value)| {
            let text = match field {
                NamedField::Name => Some(name),
                NamedField::Description => description,
                NamedField::ResourceId => Some(id),
            };
            text.is_some_and(|t| compare(t, *comparison, value))
        })
    }
}

fn named_node(
    c: &SecurityProfileSearchCriteria,
    search: NamedSearch,
    depth: usize,
) -> Result<Tree<(NamedField, Comparison, String)>, ConnectError> {
    let set = [
        c.or_conditions.is_some(),
        c.and_conditions.is_some(),
        c.string_condition.is_some(),
    ];
    let members = "OrConditions, AndConditions or StringCondition";
    let (or, and) = (c.or_conditions.as_ref(), c.and_conditions.as_ref());
    if let Some(node) = branch(depth, &set, members, or, and, |c, depth| {
        named_node(c, search, depth)
    })? {
        return Ok(node);
    }
    let Some(s) = &c.string_condition else {
        return Ok(Tree::All);
    };
    let field = search
        .fields
        .iter()
        .find(|(spelling, _)| Some(*spelling) == s.field_name.as_deref())
        .map(|(_, field)| *field)
        .ok_or_else(|| {
            let known: Vec<&str> = search.fields.iter().map(|(spelling, _)| *spelling).collect();
            ConnectError::invalid(format!(
                "StringCondition.FieldName {:?} is not supported; use one of {}",
                s.field_name.as_deref().unwrap_or_default(),
                known.join(", ")
            ))
        })?;
    let (comparison, value) = comparison_of(s, search.bounded_contains)?;
    Ok(Tree::Leaf((field, comparison, value)))
}

fn criteria_node(groups: &[Named], c: &UserSearchCriteria, depth: usize) -> Result<Node, ConnectError> {
    let set = [
        c.or_conditions.is_some(),
        c.and_conditions.is_some(),
        c.string_condition.is_some(),
        c.list_condition.is_some(),
        c.hierarchy_group_condition.is_some(),
    ];
    let members = "OrConditions, AndConditions, StringCondition, ListCondition or HierarchyGroupCondition";
    let (or, and) = (c.or_conditions.as_ref(), c.and_conditions.as_ref());
    if let Some(node) = branch(depth, &set, members, or, and, |c, depth| {
        criteria_node(groups, c, depth)
    })? {
        return Ok(node);
    }
    if let Some(s) = &c.string_condition {
        return string_node(s);
    }
    if let Some(l) = &c.list_condition {
        return list_node(l);
    }
    if let Some(h) = &c.hierarchy_group_condition {
        return hierarchy_node(groups, h);
    }
    Ok(Node::All)
}

/// ListCondition: "A list of Condition objects which would be applied
/// together with an AND condition", read as: one proficiency meets them all
/// (a name, a value and a level describe one proficiency). Condition's
/// StringCondition: "The currently supported values for FieldName are name
/// and value"; NumberCondition: "The currently supported value for FieldName
/// is limit" (the level).
fn list_node(l: &ListCondition) -> Result<Node, ConnectError> {
    if l.target_list_type.as_deref() != Some("PROFICIENCIES") {
        return Err(ConnectError::invalid(
            "ListCondition.TargetListType must be PROFICIENCIES",
        ));
    }
    let tests = l
        .conditions
        .iter()
        .flatten()
        .map(proficiency_test)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Node::Leaf(UserTest::Proficiency(tests)))
}

fn proficiency_test(c: &Condition) -> Result<ProficiencyTest, ConnectError> {
    match (&c.string_condition, &c.number_condition) {
        (Some(s), None) => {
            let (how, value) = comparison_of(s, true)?;
            match s.field_name.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("name") => Ok(ProficiencyTest::Name(how, value)),
                Some("value") => Ok(ProficiencyTest::Value(how, value)),
                _ => Err(ConnectError::invalid(
                    "Condition.StringCondition.FieldName must be name or value",
                )),
            }
        }
        (None, Some(n)) => level_test(n),
        _ => Err(ConnectError::invalid(
            "A Condition must contain exactly one of StringCondition or NumberCondition",
        )),
    }
}

/// NumberCondition: GREATER_OR_EQUAL and GREATER compare with MinValue,
/// LESSER_OR_EQUAL and LESSER with MaxValue, RANGE needs both, EQUAL and
/// NOT_EQUAL compare with MinValue (our reading: the model does not say
/// which value each comparison uses).
fn level_test(n: &NumberCondition) -> Result<ProficiencyTest, ConnectError> {
    if n.field_name.as_deref().map(str::to_ascii_lowercase).as_deref() != Some("limit") {
        return Err(ConnectError::invalid(
            "Condition.NumberCondition.FieldName must be limit",
        ));
    }
    let need = |v: Option<i64>, member: &str| {
        v.map(|v| v as f64).ok_or_else(|| {
            ConnectError::invalid(format!(
                "NumberCondition.{member} is required for ComparisonType {}",
                n.comparison_type.as_deref().unwrap_or_default()
            ))
        })
    };
    let (lo, hi) = (f64::NEG_INFINITY, f64::INFINITY);
    let test = |min, max, open_min, open_max, negate| ProficiencyTest::Level {
        min,
        max,
        open_min,
        open_max,
        negate,
    };
    Ok(match n.comparison_type.as_deref() {
        Some("GREATER_OR_EQUAL") => test(need(n.min_value, "MinValue")?, hi, false, false, false),
        Some("GREATER") => test(need(n.min_value, "MinValue")?, hi, true, false, false),
        Some("LESSER_OR_EQUAL") => test(lo, need(n.max_value, "MaxValue")?, false, false, false),
        Some("LESSER") => test(lo, need(n.max_value, "MaxValue")?, false, true, false),
        Some("RANGE") => test(
            need(n.min_value, "MinValue")?,
            need(n.max_value, "MaxValue")?,
            false,
            false,
            false,
        ),
        Some(kind @ ("EQUAL" | "NOT_EQUAL")) => {
            let v = need(n.min_value, "MinValue")?;
            test(v, v, false, false, kind == "NOT_EQUAL")
        }
        other => {
            return Err(ConnectError::invalid(format!(
                "NumberCondition.ComparisonType {:?} must be one of GREATER_OR_EQUAL, GREATER, LESSER_OR_EQUAL, LESSER, EQUAL, NOT_EQUAL, RANGE",
                other.unwrap_or_default()
            )));
        }
    })
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
    let (comparison, value) = comparison_of(s, true)?;
    Ok(Node::Leaf(UserTest::Text(field, comparison, value)))
}

/// A StringCondition's ComparisonType and Value, checked; `bounded_contains`
/// applies the documented length bound to CONTAINS values.
fn comparison_of(s: &StringCondition, bounded_contains: bool) -> Result<(Comparison, String), ConnectError> {
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
    // SearchUsers.SearchCriteria: "The name and description fields support
    // "contains" queries with a minimum of 2 characters and a maximum of 25
    // characters. Any queries with character lengths outside of this range
    // will throw invalid results." SearchSecurityProfiles.SearchCriteria: "The
    // name field support "contains" queries with a minimum of 2 characters
    // and maximum of 25 characters." Users have no name or description
    // field, so the bound is read as applying to every CONTAINS condition;
    // "invalid results" is answered as InvalidParameterException. The same
    // bound is applied to SearchUserHierarchyGroups (whose model says
    // nothing), but not to SearchQuickConnects.
    if bounded_contains && comparison == Comparison::Contains && !(2..=25).contains(&value.chars().count()) {
        return Err(ConnectError::invalid(
            "A CONTAINS StringCondition.Value must be between 2 and 25 characters",
        ));
    }
    Ok((comparison, value))
}

fn hierarchy_node(groups: &[Named], h: &HierarchyGroupCondition) -> Result<Node, ConnectError> {
    let value = h
        .value
        .clone()
        .ok_or_else(|| ConnectError::invalid("HierarchyGroupCondition.Value is required"))?;
    match h.hierarchy_group_match_type.as_deref() {
        Some("EXACT") | None => Ok(Node::Leaf(UserTest::Hierarchy(vec![value]))),
        Some("WITH_CHILD_GROUPS") => {
            // Every group whose path passes through `value`.
            let below = groups
                .iter()
                .filter(|g| hierarchy_path(groups, &g.id).contains(&value))
                .map(|g| g.id.clone())
                .collect();
            Ok(Node::Leaf(UserTest::Hierarchy(below)))
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
    Ok(Node::Leaf(UserTest::Tag(
        key,
        t.tag_value.clone().unwrap_or_default(),
    )))
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

fn attribute_and(groups: &[Named], a: &AttributeAndCondition) -> Result<Node, ConnectError> {
    let mut nodes: Vec<Node> = a
        .tag_conditions
        .iter()
        .flatten()
        .map(tag_node)
        .collect::<Result<_, _>>()?;
    if let Some(h) = &a.hierarchy_group_condition {
        nodes.push(hierarchy_node(groups, h)?);
    }
    Ok(Node::And(nodes))
}

fn attribute_filter_node(groups: &[Named], f: &UserAttributeFilter) -> Result<Node, ConnectError> {
    match (
        &f.or_conditions,
        &f.and_condition,
        &f.tag_condition,
        &f.hierarchy_group_condition,
    ) {
        (Some(or), None, None, None) => Ok(Node::Or(
            or.iter()
                .map(|a| attribute_and(groups, a))
                .collect::<Result<_, _>>()?,
        )),
        (None, Some(a), None, None) => attribute_and(groups, a),
        (None, None, Some(t), None) => tag_node(t),
        (None, None, None, Some(h)) => hierarchy_node(groups, h),
        (None, None, None, None) => Ok(Node::All),
        _ => Err(ConnectError::invalid(
            "UserAttributeFilter must contain only one of OrConditions, AndCondition, TagCondition or HierarchyGroupCondition",
        )),
    }
}

fn filter_node(groups: &[Named], f: &UserSearchFilter) -> Result<Node, ConnectError> {
    match (&f.tag_filter, &f.user_attribute_filter) {
        (Some(_), Some(_)) => Err(ConnectError::AccessDenied(
            "SearchFilter can contain either TagFilter or UserAttributeFilter, not both".to_owned(),
        )),
        (Some(t), None) => tag_filter_node(t),
        (None, Some(a)) => attribute_filter_node(groups, a),
        (None, None) => Ok(Node::All),
    }
}
