//! User proficiencies: AssociateUserProficiencies, UpdateUserProficiencies,
//! DisassociateUserProficiencies and ListUserProficiencies.
//!
//! What Connect documents, beyond the model's shapes:
//! - UserProficiency.AttributeName: "You must use name of predefined
//!   attribute present in the Connect Customer instance." AttributeValue:
//!   "You must use value of predefined attribute present in the Connect
//!   Customer instance." Which exception says so is not documented; here an
//!   unknown attribute is ResourceNotFoundException (it names a resource
//!   DescribePredefinedAttribute would not find) and an unknown value of a
//!   known attribute InvalidParameterException. Both messages list what the
//!   instance has.
//! - Level: "The valid values are 1, 2, 3, 4 and 5." The model's float
//!   range is 1.0–5.0; a level between the steps is refused.
//! - UpdateUserProficiencies: "Proficiencies must first be associated to the
//!   user. You can do this using AssociateUserProficiencies API."
//! - Administrator Guide, "Assign proficiencies to agents": an agent has at
//!   most 10 proficiencies. AssociateUserProficiencies declares no
//!   LimitExceededException, so going past it is InvalidParameterException.
//!
//! Our choices, where the reference is silent: associating a proficiency the
//! user already has sets its level, and disassociating one the user does not
//! have changes nothing (both so a retried call after a lost answer does the
//! same thing); one request may not name the same attribute value twice,
//! nor be empty.

use crate::error::ConnectError;
use crate::tokens::{PageRequest, Tokens};
use crate::validate;
use crate::wire::*;
use crate::world::{Instance, World, now};

/// Proficiencies one user can hold.
pub(crate) const MAX_PER_USER: usize = 10;

/// Which of the three changes a request makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProficiencyChange {
    Associate,
    Update,
    Disassociate,
}

/// A proficiency as checked: name, value and (not for Disassociate) level.
type Checked = (String, String, f64);

/// Checks a request's `UserProficiencies` on their own and against the
/// instance's predefined attributes.
fn check(
    instance: &Instance,
    list: Option<Vec<UserProficiencyInput>>,
    change: ProficiencyChange,
) -> Result<Vec<Checked>, ConnectError> {
    let list = list.ok_or_else(|| ConnectError::invalid("UserProficiencies is required"))?;
    if list.is_empty() {
        return Err(ConnectError::invalid(
            "UserProficiencies must contain at least one proficiency",
        ));
    }
    let mut checked: Vec<Checked> = Vec::with_capacity(list.len());
    for p in list {
        let name = p
            .attribute_name
            .ok_or_else(|| ConnectError::invalid("UserProficiencies[].AttributeName is required"))?;
        let value = p
            .attribute_value
            .ok_or_else(|| ConnectError::invalid("UserProficiencies[].AttributeValue is required"))?;
        validate::length("UserProficiencies[].AttributeName", Some(&name), 1, 100)?;
        validate::length("UserProficiencies[].AttributeValue", Some(&value), 1, 100)?;
        let level = match change {
            ProficiencyChange::Disassociate => 0.0,
            _ => level(p.level)?,
        };
        if checked.iter().any(|(n, v, _)| *n == name && *v == value) {
            return Err(ConnectError::invalid(format!(
                "UserProficiencies lists {name}={value} more than once"
            )));
        }
        if change != ProficiencyChange::Disassociate {
            known(instance, &name, &value)?;
        }
        checked.push((name, value, level));
    }
    Ok(checked)
}

fn level(level: Option<f64>) -> Result<f64, ConnectError> {
    let level = level.ok_or_else(|| ConnectError::invalid("UserProficiencies[].Level is required"))?;
    if !(1.0..=5.0).contains(&level) || level.fract() != 0.0 {
        return Err(ConnectError::invalid(format!(
            "Level {level} is not valid: the valid values are 1, 2, 3, 4 and 5"
        )));
    }
    Ok(level)
}

/// The attribute exists and has the value.
fn known(instance: &Instance, name: &str, value: &str) -> Result<(), ConnectError> {
    let Some(attribute) = instance.predefined_attribute(name) else {
        let names: Vec<&str> = instance
            .predefined_attributes
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        return Err(ConnectError::not_found(format!(
            "Predefined attribute {name} not found; the instance has: {}",
            listing(&names)
        )));
    };
    let values = attribute.string_values();
    if !values.iter().any(|v| v == value) {
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        return Err(ConnectError::invalid(format!(
            "{value} is not a value of predefined attribute {name}; its values are: {}",
            listing(&values)
        )));
    }
    Ok(())
}

fn listing(items: &[&str]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}

impl World {
    /// One of the three `*UserProficiencies` changes.
    pub(crate) fn change_proficiencies(
        &mut self,
        instance_id: &str,
        user_id: &str,
        change: ProficiencyChange,
        request: UserProficienciesRequest,
    ) -> Result<(), ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        let held = instance.user(user_id)?.proficiencies.clone();
        let requested = check(instance, request.user_proficiencies, change)?;
        let position = |held: &[UserProficiency], name: &str, value: &str| {
            held.iter()
                .position(|p| p.attribute_name == name && p.attribute_value == value)
        };
        let mut next = held;
        for (name, value, level) in requested {
            match (change, position(&next, &name, &value)) {
                (ProficiencyChange::Disassociate, Some(i)) => {
                    next.remove(i);
                }
                (ProficiencyChange::Disassociate, None) => {}
                (_, Some(i)) => {
                    if let Some(p) = next.get_mut(i) {
                        p.level = level;
                    }
                }
                (ProficiencyChange::Update, None) => {
                    return Err(ConnectError::invalid(format!(
                        "The user has no proficiency {name}={value}: proficiencies must first be associated to the user (AssociateUserProficiencies)"
                    )));
                }
                (_, None) => next.push(UserProficiency {
                    attribute_name: name,
                    attribute_value: value,
                    level,
                }),
            }
        }
        if next.len() > MAX_PER_USER {
            return Err(ConnectError::invalid(format!(
                "A user can have at most {MAX_PER_USER} proficiencies"
            )));
        }
        let user = instance.user_mut(user_id)?;
        user.proficiencies = next;
        user.last_modified_time = now();
        instance.reindex_user(user_id);
        Ok(())
    }

    /// `ListUserProficiencies`: in association order, at most 100 per page.
    pub(crate) fn list_user_proficiencies(
        &self,
        instance_id: &str,
        user_id: &str,
        page: &PageRequest,
    ) -> Result<ListUserProficienciesResponse, ConnectError> {
        let user = self.instance(instance_id)?.user(user_id)?;
        let page = Tokens::list_up_to(&self.tokens, &user.proficiencies, page, 100)?;
        Ok(ListUserProficienciesResponse {
            next_token: page.next_token,
            user_proficiency_list: page.items,
            last_modified_time: user.last_modified_time,
            last_modified_region: user.last_modified_region.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_whole_steps_from_one_to_five() {
        for ok in [1.0, 2.0, 5.0] {
            assert_eq!(level(Some(ok)).unwrap(), ok);
        }
        for bad in [Some(0.0), Some(0.5), Some(2.5), Some(5.5), Some(f64::NAN), None] {
            assert!(level(bad).is_err(), "{bad:?}");
        }
    }
}
