//! Value filters (`emails[type eq "work"]`) evaluated against the elements
//! of a multi-valued attribute.

use scim_v2::filter::{AttrExp, AttrPath, CompValue, CompareOp, ValFilter};
use serde_json::{Map, Value};

use crate::schema::member;

/// The element a plain equality filter describes: `type eq "work"` → `{"type": "work"}`.
pub(super) fn equality_element(filter: &ValFilter) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    let mut add = |f: &ValFilter| -> Option<()> {
        let ValFilter::Attr(AttrExp::Comparison(path, CompareOp::Eq, value)) = f else {
            return None;
        };
        let value = match value {
            CompValue::Str(s) => Value::String(s.clone()),
            CompValue::True => Value::Bool(true),
            CompValue::False => Value::Bool(false),
            CompValue::Number(n) => Value::Number(n.clone()),
            CompValue::Null => return None,
        };
        out.insert(path.name.clone(), value);
        Some(())
    };
    match filter {
        ValFilter::And(items) => {
            for item in items.iter() {
                add(item)?;
            }
        }
        single => add(single)?,
    }
    Some(out)
}

fn attr_value<'a>(element: &'a Map<String, Value>, path: &AttrPath) -> Option<&'a Value> {
    member(element, &path.name).filter(|v| !v.is_null())
}

/// Evaluates a value filter against one element of a multi-valued attribute.
pub(super) fn matches(filter: &ValFilter, element: &Map<String, Value>) -> bool {
    match filter {
        ValFilter::Not(inner) => !matches(inner, element),
        ValFilter::And(items) => items.iter().all(|f| matches(f, element)),
        ValFilter::Or(items) => items.iter().any(|f| matches(f, element)),
        ValFilter::Attr(AttrExp::Present(path)) => {
            attr_value(element, path).is_some_and(|v| v.as_str() != Some(""))
        }
        ValFilter::Attr(AttrExp::Comparison(path, op, expected)) => {
            compare(attr_value(element, path), op, expected)
        }
    }
}

fn compare(actual: Option<&Value>, op: &CompareOp, expected: &CompValue) -> bool {
    let actual_bool = actual.and_then(|v| crate::user::boolean(v, "").ok());
    match (expected, op) {
        (CompValue::Null, CompareOp::Eq) => actual.is_none(),
        (CompValue::Null, CompareOp::Ne) => actual.is_some(),
        (CompValue::True | CompValue::False, CompareOp::Eq | CompareOp::Ne) => {
            let want = matches!(expected, CompValue::True);
            // An absent boolean is false (RFC 7643 §2.3.2 for `primary`).
            let equal = actual_bool.unwrap_or(false) == want;
            equal == (*op == CompareOp::Eq)
        }
        (CompValue::Str(want), _) => {
            let Some(have) = actual.and_then(Value::as_str) else {
                return *op == CompareOp::Ne;
            };
            // Sub-attributes of the multi-valued attributes we keep are caseExact: false.
            let (have, want) = (have.to_lowercase(), want.to_lowercase());
            match op {
                CompareOp::Eq => have == want,
                CompareOp::Ne => have != want,
                CompareOp::Co => have.contains(&want),
                CompareOp::Sw => have.starts_with(&want),
                CompareOp::Ew => have.ends_with(&want),
                CompareOp::Gt => have > want,
                CompareOp::Ge => have >= want,
                CompareOp::Lt => have < want,
                CompareOp::Le => have <= want,
            }
        }
        (CompValue::Number(want), op) => {
            let (Some(have), Some(want)) = (actual.and_then(Value::as_f64), want.as_f64()) else {
                return false;
            };
            match op {
                CompareOp::Eq => have == want,
                CompareOp::Ne => have != want,
                CompareOp::Gt => have > want,
                CompareOp::Ge => have >= want,
                CompareOp::Lt => have < want,
                CompareOp::Le => have <= want,
                CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
            }
        }
        (CompValue::Null | CompValue::True | CompValue::False, _) => false,
    }
}
