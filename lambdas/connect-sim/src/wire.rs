//! Request and response bodies exactly as Connect's restJson1 model names them.
//!
//! Unknown members are ignored (newer SDKs may send members this simulator
//! does not model); a member of the wrong JSON type is an
//! InvalidRequestException, as on Connect.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Declares a Search* request: `InstanceId` and the paging members every
/// Search* API shares, then the API's own members in the order given. (One
/// generic struct would rename them all in serde's messages about unreadable
/// bodies, which name the API's own shape.)
macro_rules! search_request {
    ($(#[$attr:meta])* $name:ident { $($member:ident: $ty:ty),* $(,)? }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Default, serde::Deserialize)]
        #[serde(rename_all = "PascalCase")]
        pub struct $name {
            pub instance_id: Option<String>,
            pub next_token: Option<String>,
            pub max_results: Option<i64>,
            $(pub $member: Option<$ty>,)*
        }

        impl crate::tokens::SearchPaging for $name {
            fn page(&self, operation: &'static str, query: u64) -> crate::tokens::PageRequest {
                crate::tokens::PageRequest {
                    operation,
                    query,
                    next_token: self.next_token.clone(),
                    max_results: self.max_results,
                }
            }
        }
    };
}

mod quick_connects;
mod routing_attributes;
mod user_config;
pub use quick_connects::*;
pub use routing_attributes::*;
pub use user_config::*;

/// `UserIdentityInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
}

/// `UserPhoneConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PhoneConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_accept: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_contact_work_time_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desk_phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent_connection: Option<bool>,
}

/// Tags as Connect carries them: a string map.
pub type Tags = BTreeMap<String, String>;

/// `CreateUserRequest` (the instance id travels in the path).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserRequest {
    pub username: Option<String>,
    pub password: Option<String>,
    pub identity_info: Option<IdentityInfo>,
    pub phone_config: Option<PhoneConfig>,
    pub directory_user_id: Option<String>,
    pub security_profile_ids: Option<Vec<String>>,
    pub routing_profile_id: Option<String>,
    pub hierarchy_group_id: Option<String>,
    pub tags: Option<Tags>,
    #[serde(flatten)]
    pub channel_configs: ChannelConfigs,
}

/// `CreateUserResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserResponse {
    pub user_id: String,
    pub user_arn: String,
}

/// A stored user; serialized it is Connect's `User` structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    pub id: String,
    pub arn: String,
    pub username: String,
    pub identity_info: IdentityInfo,
    pub phone_config: PhoneConfig,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory_user_id: Option<String>,
    pub security_profile_ids: Vec<String>,
    pub routing_profile_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hierarchy_group_id: Option<String>,
    #[serde(skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    #[serde(flatten)]
    pub channel_configs: ChannelConfigs,
    /// Epoch seconds, restJson1's default timestamp format.
    pub last_modified_time: f64,
    pub last_modified_region: String,
    /// Not part of `User`: ListUserProficiencies answers them (and
    /// SearchUsers' ListCondition reads them).
    #[serde(skip)]
    pub proficiencies: Vec<UserProficiency>,
}

/// `UserSummary` in `ListUsersResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserSummary {
    pub id: String,
    pub arn: String,
    pub username: String,
    pub last_modified_time: f64,
    pub last_modified_region: String,
}

/// `UserIdentityInfoLite`: search results carry names only, never email.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityInfoLite {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

/// `UserSearchSummary`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserSearchSummary {
    pub arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hierarchy_group_id: Option<String>,
    pub id: String,
    pub identity_info: IdentityInfoLite,
    pub phone_config: PhoneConfig,
    pub routing_profile_id: String,
    pub security_profile_ids: Vec<String>,
    #[serde(skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    pub username: String,
    #[serde(flatten)]
    pub channel_configs: ChannelConfigs,
}

search_request! {
    /// `SearchUsersRequest`.
    SearchUsersRequest {
        search_filter: UserSearchFilter,
        search_criteria: UserSearchCriteria,
    }
}

/// `UserSearchCriteria`: a tree of conditions.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserSearchCriteria {
    pub or_conditions: Option<Vec<UserSearchCriteria>>,
    pub and_conditions: Option<Vec<UserSearchCriteria>>,
    pub string_condition: Option<StringCondition>,
    pub list_condition: Option<ListCondition>,
    pub hierarchy_group_condition: Option<HierarchyGroupCondition>,
}

/// `StringCondition`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StringCondition {
    pub field_name: Option<String>,
    pub value: Option<String>,
    pub comparison_type: Option<String>,
}

/// `ListCondition` (proficiencies).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListCondition {
    pub target_list_type: Option<String>,
    pub conditions: Option<Vec<Condition>>,
}

/// `Condition`: one test on a proficiency's name, value or level.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Condition {
    pub string_condition: Option<StringCondition>,
    pub number_condition: Option<NumberCondition>,
}

/// `NumberCondition`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NumberCondition {
    pub field_name: Option<String>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub comparison_type: Option<String>,
}

/// `HierarchyGroupCondition`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HierarchyGroupCondition {
    pub value: Option<String>,
    pub hierarchy_group_match_type: Option<String>,
}

/// `UserSearchFilter`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserSearchFilter {
    pub tag_filter: Option<TagFilter>,
    pub user_attribute_filter: Option<UserAttributeFilter>,
}

/// `ControlPlaneTagFilter`: an OR of ANDs, an AND, or one condition.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagFilter {
    pub or_conditions: Option<Vec<Vec<TagCondition>>>,
    pub and_conditions: Option<Vec<TagCondition>>,
    pub tag_condition: Option<TagCondition>,
}

/// `ControlPlaneUserAttributeFilter`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAttributeFilter {
    pub or_conditions: Option<Vec<AttributeAndCondition>>,
    pub and_condition: Option<AttributeAndCondition>,
    pub tag_condition: Option<TagCondition>,
    pub hierarchy_group_condition: Option<HierarchyGroupCondition>,
}

/// `AttributeAndCondition`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeAndCondition {
    pub tag_conditions: Option<Vec<TagCondition>>,
    pub hierarchy_group_condition: Option<HierarchyGroupCondition>,
}

/// `TagCondition`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagCondition {
    pub tag_key: Option<String>,
    pub tag_value: Option<String>,
}

/// Body of `UpdateUserIdentityInfo`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateIdentityInfoRequest {
    pub identity_info: Option<IdentityInfo>,
}

/// Body of `UpdateUserSecurityProfiles`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateSecurityProfilesRequest {
    pub security_profile_ids: Option<Vec<String>>,
}

/// Body of `UpdateUserRoutingProfile`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateRoutingProfileRequest {
    pub routing_profile_id: Option<String>,
}

/// Body of `UpdateUserPhoneConfig`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdatePhoneConfigRequest {
    pub phone_config: Option<PhoneConfig>,
}

/// Body of `UpdateUserHierarchy`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateHierarchyRequest {
    pub hierarchy_group_id: Option<String>,
}

/// Body of `TagResource` (Connect spells these members in lower case).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TagResourceRequest {
    pub tags: Option<Tags>,
}

/// A named summary: security profiles, routing profiles, hierarchy groups.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Summary {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub last_modified_time: f64,
    pub last_modified_region: String,
}

/// `CreateSecurityProfileRequest` (the instance id travels in the path).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateSecurityProfileRequest {
    pub security_profile_name: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub tags: Option<Tags>,
    /// The access-control members below are not simulated (nothing stores
    /// them); they are read so the model's constraints on them hold.
    pub allowed_access_control_tags: Option<BTreeMap<String, String>>,
    pub tag_restricted_resources: Option<Vec<String>>,
    pub hierarchy_restricted_resources: Option<Vec<String>>,
    pub applications: Option<Vec<serde_json::Value>>,
    pub allowed_flow_modules: Option<Vec<serde_json::Value>>,
    #[serde(rename = "AllowedAIAgents")]
    pub allowed_ai_agents: Option<Vec<serde_json::Value>>,
}

/// `CreateSecurityProfileResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateSecurityProfileResponse {
    pub security_profile_id: String,
    pub security_profile_arn: String,
}

/// `SecurityProfile`, as `DescribeSecurityProfile` answers it: the members
/// of a `SecurityProfileSearchSummary`, then when it last changed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityProfile {
    #[serde(flatten)]
    pub summary: SecurityProfileSearchSummary,
    pub last_modified_time: f64,
    pub last_modified_region: String,
}

/// `CreateUserHierarchyGroupRequest` (the instance id travels in the path).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateHierarchyGroupRequest {
    pub name: Option<String>,
    pub parent_group_id: Option<String>,
    pub tags: Option<Tags>,
}

/// `CreateUserHierarchyGroupResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateHierarchyGroupResponse {
    pub hierarchy_group_id: String,
    pub hierarchy_group_arn: String,
}

/// `HierarchyGroupSummary` inside a `HierarchyPath`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HierarchyLevelGroup {
    pub id: String,
    pub arn: String,
    pub name: String,
}

/// `HierarchyGroup`, as `DescribeUserHierarchyGroup` answers it; the path
/// has `LevelOne` … `LevelFive`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct HierarchyGroup {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub level_id: String,
    pub hierarchy_path: BTreeMap<String, HierarchyLevelGroup>,
    pub tags: Tags,
    pub last_modified_time: f64,
    pub last_modified_region: String,
}

search_request! {
    /// `SearchSecurityProfilesRequest` and `SearchUserHierarchyGroupsRequest`
    /// (the same members; criteria on names).
    SearchNamedRequest {
        search_criteria: SecurityProfileSearchCriteria,
        search_filter: serde_json::Value,
    }
}

/// `SecurityProfileSearchCriteria`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityProfileSearchCriteria {
    pub or_conditions: Option<Vec<SecurityProfileSearchCriteria>>,
    pub and_conditions: Option<Vec<SecurityProfileSearchCriteria>>,
    pub string_condition: Option<StringCondition>,
}

/// `SecurityProfileSearchSummary`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityProfileSearchSummary {
    pub id: String,
    pub organization_resource_id: String,
    pub arn: String,
    pub security_profile_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub tags: Tags,
}

/// `Instance`, as `DescribeInstance` answers it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InstanceDescription {
    pub id: String,
    pub arn: String,
    /// `SAML`, `CONNECT_MANAGED` or `EXISTING_DIRECTORY`.
    pub identity_management_type: String,
    pub instance_alias: String,
    /// Epoch seconds.
    pub created_time: f64,
    pub service_role: String,
    pub instance_status: String,
    pub inbound_calls_enabled: bool,
    pub outbound_calls_enabled: bool,
    pub instance_access_url: String,
    pub tags: Tags,
}
