//! Quick connect shapes (`CreateQuickConnect`, `DescribeQuickConnect`,
//! `ListQuickConnects`, `SearchQuickConnects`).

use serde::{Deserialize, Serialize};

use super::{SecurityProfileSearchCriteria, TagFilter, Tags};

/// `QuickConnect`: what `DescribeQuickConnect` and `SearchQuickConnects` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QuickConnect {
    #[serde(rename = "QuickConnectARN")]
    pub quick_connect_arn: String,
    pub quick_connect_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub quick_connect_config: QuickConnectConfig,
    #[serde(skip_serializing_if = "Tags::is_empty")]
    pub tags: Tags,
    /// Epoch seconds.
    pub last_modified_time: f64,
    pub last_modified_region: String,
}

/// `QuickConnectConfig`: the type and the one configuration it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QuickConnectConfig {
    /// `USER`, `QUEUE`, `PHONE_NUMBER` or `FLOW`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_connect_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_config: Option<UserQuickConnectConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_config: Option<QueueQuickConnectConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_config: Option<PhoneNumberQuickConnectConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow_config: Option<FlowQuickConnectConfig>,
}

/// `UserQuickConnectConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserQuickConnectConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_flow_id: Option<String>,
}

/// `QueueQuickConnectConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QueueQuickConnectConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_flow_id: Option<String>,
}

/// `PhoneNumberQuickConnectConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PhoneNumberQuickConnectConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// `FlowQuickConnectConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FlowQuickConnectConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_flow_id: Option<String>,
}

/// `CreateQuickConnectRequest` (the instance id travels in the path).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateQuickConnectRequest {
    pub name: Option<String>,
    pub description: Option<String>,
    pub quick_connect_config: Option<QuickConnectConfig>,
    pub tags: Option<Tags>,
}

/// `CreateQuickConnectResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateQuickConnectResponse {
    #[serde(rename = "QuickConnectARN")]
    pub quick_connect_arn: String,
    pub quick_connect_id: String,
}

/// `QuickConnectSummary` in `ListQuickConnectsResponse`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct QuickConnectSummary {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub quick_connect_type: String,
    pub last_modified_time: f64,
    pub last_modified_region: String,
}

search_request! {
    /// `SearchQuickConnectsRequest`; its criteria have the members of
    /// `SecurityProfileSearchCriteria`.
    SearchQuickConnectsRequest {
        search_criteria: SecurityProfileSearchCriteria,
        search_filter: QuickConnectSearchFilter,
    }
}

/// `QuickConnectSearchFilter`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct QuickConnectSearchFilter {
    pub tag_filter: Option<TagFilter>,
}
