//! Predefined attribute and user proficiency shapes
//! (`CreatePredefinedAttribute`, `DescribePredefinedAttribute`,
//! `ListPredefinedAttributes`, `SearchPredefinedAttributes`, and the
//! `*UserProficiencies` calls).

use serde::{Deserialize, Serialize};

use super::SecurityProfileSearchCriteria;

/// `PredefinedAttributeValues`: a union whose only member is `StringList`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PredefinedAttributeValues {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string_list: Option<Vec<String>>,
}

/// `InputPredefinedAttributeConfiguration` (requests) and
/// `PredefinedAttributeConfiguration` (answers, which add `IsReadOnly`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PredefinedAttributeConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_value_validation_on_association: Option<bool>,
    /// Answers only; a request's is ignored (the input shape has no such member).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub is_read_only: Option<bool>,
}

/// `CreatePredefinedAttributeRequest` (the instance id travels in the path).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreatePredefinedAttributeRequest {
    pub name: Option<String>,
    pub values: Option<PredefinedAttributeValues>,
    pub purposes: Option<Vec<String>>,
    pub attribute_configuration: Option<PredefinedAttributeConfiguration>,
}

/// `PredefinedAttribute`: what `DescribePredefinedAttribute` and
/// `SearchPredefinedAttributes` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PredefinedAttribute {
    pub name: String,
    pub values: PredefinedAttributeValues,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    pub attribute_configuration: PredefinedAttributeConfiguration,
    /// Epoch seconds.
    pub last_modified_time: f64,
    pub last_modified_region: String,
}

impl PredefinedAttribute {
    /// The attribute's values (an attribute created without values has none).
    pub fn string_values(&self) -> &[String] {
        self.values.string_list.as_deref().unwrap_or_default()
    }
}

/// `PredefinedAttributeSummary` in `ListPredefinedAttributesResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PredefinedAttributeSummary {
    pub name: String,
    pub last_modified_time: f64,
    pub last_modified_region: String,
}

search_request! {
    /// `SearchPredefinedAttributesRequest`; `PredefinedAttributeSearchCriteria`
    /// has the members of `SecurityProfileSearchCriteria`.
    SearchPredefinedAttributesRequest {
        search_criteria: SecurityProfileSearchCriteria,
    }
}

/// `UserProficiency`; as read from a request every member may be missing
/// (the simulator refuses that itself, as Connect does).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserProficiencyInput {
    pub attribute_name: Option<String>,
    pub attribute_value: Option<String>,
    pub level: Option<f64>,
}

/// `UserProficiency` as a user holds it and `ListUserProficiencies` answers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserProficiency {
    pub attribute_name: String,
    pub attribute_value: String,
    pub level: f64,
}

/// Body of `AssociateUserProficiencies`, `UpdateUserProficiencies` and
/// (without levels) `DisassociateUserProficiencies`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserProficienciesRequest {
    pub user_proficiencies: Option<Vec<UserProficiencyInput>>,
}

/// `ListUserProficienciesResponse`: a page plus when the proficiencies last changed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserProficienciesResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    pub user_proficiency_list: Vec<UserProficiency>,
    pub last_modified_time: f64,
    pub last_modified_region: String,
}
