//! Predefined attributes: the name–value pairs an instance routes on, and
//! the only names and values a user's proficiencies may use.
//!
//! Rules from the Administrator Guide ("Create predefined attributes for
//! routing contacts to agents"), beyond the model's lengths:
//! - "You can create up to 500 values per attribute."
//! - "The pattern for predefined attribute name and value is
//!   ^(?!(aws:|connect:))[\p{L}\p{Z}\p{N}_.:/=+-@']+$. For example, it can
//!   contain any letter, numeric value, whitespace, or _.:/=+-@' special
//!   characters, but can't start with aws: or connect:." (The sentence is
//!   followed: `+-@` is read as three characters, not as a range.)
//! - "You cannot create duplicate predefined attribute names or values. In
//!   addition, case sensitivity does not allow you to use duplicate names."
//! - "An attribute can only be deleted if it not associated with any agent."

use crate::error::ConnectError;
use crate::search::{NamedField, NamedSearch, ProfileMatcher};
use crate::tokens::{Page, PageRequest};
use crate::validate;
use crate::wire::*;
use crate::world::{World, now};

/// SearchPredefinedAttributes: the model names no `FieldName`s for
/// `PredefinedAttributeSearchCriteria`; `name` is the one field an attribute
/// has to search on (our choice), with no CONTAINS bound stated.
const PREDEFINED_ATTRIBUTE_SEARCH: NamedSearch = NamedSearch {
    fields: &[("name", NamedField::Name)],
    bounded_contains: false,
};

/// A predefined attribute name or value, per the Administrator Guide's pattern.
pub(crate) fn check_name(member: &str, value: &str) -> Result<(), ConnectError> {
    validate::length(member, Some(value), 1, 100)?;
    let allowed = |c: char| {
        c.is_alphabetic()
            || c.is_numeric()
            || c.is_whitespace()
            || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@' | '\'')
    };
    let reserved = value.starts_with("aws:") || value.starts_with("connect:");
    if reserved || !value.chars().all(allowed) {
        return Err(ConnectError::invalid(format!(
            "{member} may contain letters, numbers, whitespace and _.:/=+-@' only, and cannot start with aws: or connect:"
        )));
    }
    Ok(())
}

fn check_values(values: Option<&PredefinedAttributeValues>) -> Result<(), ConnectError> {
    let list = values.and_then(|v| v.string_list.as_deref()).unwrap_or_default();
    if list.len() > 500 {
        return Err(ConnectError::invalid(
            "Values.StringList must have at most 500 values",
        ));
    }
    for (i, value) in list.iter().enumerate() {
        check_name("Values.StringList[]", value)?;
        if list[..i].contains(value) {
            return Err(ConnectError::invalid(format!(
                "Values.StringList lists {value:?} more than once"
            )));
        }
    }
    Ok(())
}

fn check_purposes(purposes: Option<&Vec<String>>) -> Result<(), ConnectError> {
    let purposes = purposes.map(Vec::as_slice).unwrap_or_default();
    if purposes.len() > 10 {
        return Err(ConnectError::invalid("Purposes must have at most 10 items"));
    }
    for purpose in purposes {
        validate::length("Purposes[]", Some(purpose), 1, 100)?;
    }
    Ok(())
}

fn not_found(name: &str) -> ConnectError {
    ConnectError::not_found(format!("Predefined attribute {name} not found"))
}

impl World {
    /// `CreatePredefinedAttribute`: answers an empty body.
    pub(crate) fn create_predefined_attribute(
        &mut self,
        instance_id: &str,
        request: CreatePredefinedAttributeRequest,
    ) -> Result<(), ConnectError> {
        let name = request
            .name
            .ok_or_else(|| ConnectError::invalid("Name is required"))?;
        check_name("Name", &name)?;
        check_values(request.values.as_ref())?;
        check_purposes(request.purposes.as_ref())?;
        let region = self.region.clone();
        let instance = self.instance_mut(instance_id)?;
        if instance
            .predefined_attributes
            .iter()
            .any(|a| a.name.to_lowercase() == name.to_lowercase())
        {
            return Err(ConnectError::DuplicateResource(format!(
                "A predefined attribute named {name} already exists"
            )));
        }
        let configuration = request.attribute_configuration.unwrap_or_default();
        instance.predefined_attributes.push(PredefinedAttribute {
            name,
            values: request.values.unwrap_or_default(),
            purposes: request.purposes.unwrap_or_default(),
            attribute_configuration: PredefinedAttributeConfiguration {
                enable_value_validation_on_association: Some(
                    configuration
                        .enable_value_validation_on_association
                        .unwrap_or(false),
                ),
                is_read_only: Some(false),
            },
            last_modified_time: now(),
            last_modified_region: region,
        });
        Ok(())
    }

    /// `DescribePredefinedAttribute`: names are matched exactly.
    pub(crate) fn describe_predefined_attribute(
        &self,
        instance_id: &str,
        name: &str,
    ) -> Result<PredefinedAttribute, ConnectError> {
        validate::length("Name", Some(name), 1, 100)?;
        self.instance(instance_id)?
            .predefined_attribute(name)
            .cloned()
            .ok_or_else(|| not_found(name))
    }

    /// `DeletePredefinedAttribute`: refused while a user holds a proficiency in it.
    pub(crate) fn delete_predefined_attribute(
        &mut self,
        instance_id: &str,
        name: &str,
    ) -> Result<(), ConnectError> {
        validate::length("Name", Some(name), 1, 100)?;
        let instance = self.instance_mut(instance_id)?;
        let position = instance
            .predefined_attributes
            .iter()
            .position(|a| a.name == name)
            .ok_or_else(|| not_found(name))?;
        if instance
            .users
            .values()
            .any(|u| u.proficiencies.iter().any(|p| p.attribute_name == name))
        {
            return Err(ConnectError::ResourceInUse(format!(
                "Predefined attribute {name} is associated with users as a proficiency"
            )));
        }
        instance.predefined_attributes.remove(position);
        Ok(())
    }

    /// `ListPredefinedAttributes`: at most 100 per page, in creation order.
    pub(crate) fn list_predefined_attributes(
        &self,
        instance_id: &str,
        page: &PageRequest,
    ) -> Result<Page<PredefinedAttributeSummary>, ConnectError> {
        let summaries: Vec<PredefinedAttributeSummary> = self
            .instance(instance_id)?
            .predefined_attributes
            .iter()
            .map(|a| PredefinedAttributeSummary {
                name: a.name.clone(),
                last_modified_time: a.last_modified_time,
                last_modified_region: a.last_modified_region.clone(),
            })
            .collect();
        self.tokens.list_up_to(&summaries, page, 100)
    }

    /// `SearchPredefinedAttributes`: criteria on `name`, at most 100 per
    /// page. Served from the live state: the search lag is not simulated
    /// for predefined attributes.
    pub(crate) fn search_predefined_attributes(
        &mut self,
        request: SearchPredefinedAttributesRequest,
        page: PageRequest,
    ) -> Result<Page<PredefinedAttribute>, ConnectError> {
        let (instance, tokens) = self.search_view(request.instance_id.as_deref())?;
        let matcher = ProfileMatcher::new(request.search_criteria.as_ref(), PREDEFINED_ATTRIBUTE_SEARCH)?;
        validate::next_token(request.next_token.as_deref())?;
        let matches: Vec<PredefinedAttribute> = instance
            .predefined_attributes
            .iter()
            .filter(|a| matcher.matches(&a.name, &a.name, None))
            .cloned()
            .collect();
        tokens.search(&matches, &page, 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_documented_pattern() {
        for ok in ["Language", "Técnico 2", "a_b.c:d/e=f+g-h@i'j", &"x".repeat(100)] {
            assert!(check_name("Name", ok).is_ok(), "{ok}");
        }
        for bad in ["", "aws:x", "connect:lang", "semi;colon", "a*b", &"x".repeat(101)] {
            assert!(check_name("Name", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_are_bounded_and_unique() {
        let values = |list: Vec<String>| PredefinedAttributeValues {
            string_list: Some(list),
        };
        assert!(check_values(Some(&values(vec!["English".into(), "Spanish".into()]))).is_ok());
        assert!(check_values(Some(&values(vec!["English".into(); 2]))).is_err());
        assert!(check_values(Some(&values((0..501).map(|i| format!("v{i}")).collect()))).is_err());
        assert!(check_values(Some(&values(vec![String::new()]))).is_err());
        assert!(check_values(None).is_ok());
    }
}
