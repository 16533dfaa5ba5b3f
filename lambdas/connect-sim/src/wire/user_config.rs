//! Per-channel user settings (`UpdateUserConfig`, and the same `*Configs`
//! members of `CreateUserRequest`, `User` and `UserSearchSummary`).
//!
//! One struct per model shape serves requests and answers: every member is
//! optional as read, and the simulator checks the model's required members
//! itself, so what it stores (and answers) always has them.

use serde::{Deserialize, Serialize};

/// `AutoAcceptConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AutoAcceptConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_accept: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_first_callback_auto_accept: Option<bool>,
}

/// `AfterContactWorkConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AfterContactWorkConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_contact_work_time_limit: Option<i64>,
}

/// `AfterContactWorkConfigPerChannel`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AfterContactWorkConfigPerChannel {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_contact_work_config: Option<AfterContactWorkConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_first_callback_after_contact_work_config: Option<AfterContactWorkConfig>,
}

/// `PhoneNumberConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PhoneNumberConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// `PersistentConnectionConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PersistentConnectionConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent_connection: Option<bool>,
}

/// `VoiceEnhancementConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceEnhancementConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_enhancement_mode: Option<String>,
}

/// The five `*Configs` lists, as `UpdateUserConfigRequest` and
/// `CreateUserRequest` carry them (absent: not sent) and as a user holds
/// them (one entry per channel that has the setting, in channel order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChannelConfigs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_accept_configs: Option<Vec<AutoAcceptConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_contact_work_configs: Option<Vec<AfterContactWorkConfigPerChannel>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number_configs: Option<Vec<PhoneNumberConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent_connection_configs: Option<Vec<PersistentConnectionConfig>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice_enhancement_configs: Option<Vec<VoiceEnhancementConfig>>,
}
