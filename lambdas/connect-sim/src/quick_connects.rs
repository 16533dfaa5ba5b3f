//! Quick connects: the transfer destinations agents pick from.
//!
//! They matter to user provisioning because of DeleteUser's documentation:
//! "After calling DeleteUser, call DeleteQuickConnect to delete any records
//! related to the deleted users. [...] Remove deleted users so they don't
//! appear to agents as transfer options." DeleteUser therefore leaves a
//! user's quick connects in place; removing them is the caller's job.

use crate::error::ConnectError;
use crate::index::Key;
use crate::search::{NamedField, NamedSearch, ProfileMatcher, TagMatcher};
use crate::tokens::{Page, PageRequest};
use crate::validate;
use crate::wire::*;
use crate::world::{World, new_id, now};

/// QuickConnectSearchCriteria.StringCondition: "The currently supported
/// values for FieldName are name, description, and resourceID." The model
/// states no CONTAINS bound for this API.
const QUICK_CONNECT_SEARCH: NamedSearch = NamedSearch {
    fields: &[
        ("name", NamedField::Name),
        ("description", NamedField::Description),
        ("resourceID", NamedField::ResourceId),
    ],
    bounded_contains: false,
};

/// `QuickConnectType` values.
const TYPES: [&str; 4] = ["USER", "QUEUE", "PHONE_NUMBER", "FLOW"];

fn required<'a>(value: Option<&'a String>, member: &str) -> Result<&'a str, ConnectError> {
    value
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ConnectError::invalid(format!("{member} is required")))
}

/// `ContactFlowId`: at most 500 characters. The simulator has no flows, so
/// any id is taken to name one of the right type.
fn contact_flow(value: Option<&String>, member: &str) -> Result<(), ConnectError> {
    let id = required(value, member)?;
    if id.chars().count() > 500 {
        return Err(ConnectError::invalid(format!(
            "{member} must be at most 500 characters"
        )));
    }
    Ok(())
}

/// Checks a `QuickConnectConfig` on its own and returns its type.
fn check_config(config: &QuickConnectConfig) -> Result<&str, ConnectError> {
    let kind = required(
        config.quick_connect_type.as_ref(),
        "QuickConnectConfig.QuickConnectType",
    )?;
    if !TYPES.contains(&kind) {
        return Err(ConnectError::invalid(format!(
            "QuickConnectType {kind:?} must be one of USER, QUEUE, PHONE_NUMBER, FLOW"
        )));
    }
    // "The user configuration. This is required only if QuickConnectType is
    // USER." (and likewise QueueConfig for QUEUE, PhoneConfig for
    // PHONE_NUMBER). A configuration of another type is refused: our choice,
    // the model does not say.
    let present = [
        ("USER", "UserConfig", config.user_config.is_some()),
        ("QUEUE", "QueueConfig", config.queue_config.is_some()),
        ("PHONE_NUMBER", "PhoneConfig", config.phone_config.is_some()),
        ("FLOW", "FlowConfig", config.flow_config.is_some()),
    ];
    for (of, member, is_present) in present {
        if of == kind && !is_present {
            return Err(ConnectError::invalid(format!(
                "QuickConnectConfig.{member} is required when QuickConnectType is {kind}"
            )));
        }
        if of != kind && is_present {
            return Err(ConnectError::invalid(format!(
                "QuickConnectConfig.{member} cannot be used when QuickConnectType is {kind}"
            )));
        }
    }
    if let Some(user) = &config.user_config {
        required(user.user_id.as_ref(), "UserConfig.UserId")?;
        contact_flow(user.contact_flow_id.as_ref(), "UserConfig.ContactFlowId")?;
    }
    if let Some(queue) = &config.queue_config {
        // The simulator has no queues: any id is taken to name one.
        required(queue.queue_id.as_ref(), "QueueConfig.QueueId")?;
        contact_flow(queue.contact_flow_id.as_ref(), "QueueConfig.ContactFlowId")?;
    }
    if let Some(phone) = &config.phone_config {
        let number = required(phone.phone_number.as_ref(), "PhoneConfig.PhoneNumber")?;
        if !validate::is_e164(number) {
            return Err(ConnectError::invalid(
                "PhoneConfig.PhoneNumber must be in E.164 format",
            ));
        }
    }
    if let Some(flow) = &config.flow_config {
        contact_flow(flow.contact_flow_id.as_ref(), "FlowConfig.ContactFlowId")?;
    }
    Ok(kind)
}

impl World {
    /// `CreateQuickConnect`: name 1–127 characters and unique in the
    /// instance ("A unique name of the quick connect."; compared exactly,
    /// the model does not say whether case matters), description 1–250.
    pub(crate) fn create_quick_connect(
        &mut self,
        instance_id: &str,
        request: CreateQuickConnectRequest,
    ) -> Result<CreateQuickConnectResponse, ConnectError> {
        let name = request.name.unwrap_or_default();
        validate::length("Name", Some(&name), 1, 127)?;
        validate::length("Description", request.description.as_deref(), 1, 250)?;
        let config = request
            .quick_connect_config
            .ok_or_else(|| ConnectError::invalid("QuickConnectConfig is required"))?;
        check_config(&config)?;
        let tags = validate::optional_tags(request.tags)?;
        let region = self.region.clone();
        let instance = self.instance_mut(instance_id)?;
        if let Some(user_id) = config.user_config.as_ref().and_then(|u| u.user_id.as_ref()) {
            instance.user(user_id)?;
        }
        if instance.quick_connects.iter().any(|q| q.name == name) {
            return Err(ConnectError::DuplicateResource(format!(
                "A quick connect named {name} already exists"
            )));
        }
        let id = new_id();
        let arn = format!("{}/transfer-destination/{id}", instance.arn);
        instance.quick_connects.push(QuickConnect {
            quick_connect_arn: arn.clone(),
            quick_connect_id: id.clone(),
            name,
            description: request.description,
            quick_connect_config: config,
            tags,
            last_modified_time: now(),
            last_modified_region: region,
        });
        instance.reindex(Key::QuickConnect(id.clone()));
        Ok(CreateQuickConnectResponse {
            quick_connect_arn: arn,
            quick_connect_id: id,
        })
    }

    /// `DescribeQuickConnect`.
    pub(crate) fn describe_quick_connect(
        &self,
        instance_id: &str,
        id: &str,
    ) -> Result<QuickConnect, ConnectError> {
        self.instance(instance_id)?
            .quick_connects
            .iter()
            .find(|q| q.quick_connect_id == id)
            .cloned()
            .ok_or_else(|| ConnectError::not_found(format!("Quick connect {id} not found")))
    }

    /// `DeleteQuickConnect`.
    pub(crate) fn delete_quick_connect(&mut self, instance_id: &str, id: &str) -> Result<(), ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        let position = instance
            .quick_connects
            .iter()
            .position(|q| q.quick_connect_id == id)
            .ok_or_else(|| ConnectError::not_found(format!("Quick connect {id} not found")))?;
        instance.quick_connects.remove(position);
        instance.reindex(Key::QuickConnect(id.to_owned()));
        Ok(())
    }

    /// `ListQuickConnects`: `types` filters (at most 4, each a
    /// `QuickConnectType`); "The default MaxResult size is 100."
    pub(crate) fn list_quick_connects(
        &self,
        instance_id: &str,
        types: &[String],
        page: &PageRequest,
    ) -> Result<Page<QuickConnectSummary>, ConnectError> {
        if types.len() > 4 {
            return Err(ConnectError::invalid(
                "QuickConnectTypes must have at most 4 items",
            ));
        }
        if let Some(bad) = types.iter().find(|t| !TYPES.contains(&t.as_str())) {
            return Err(ConnectError::invalid(format!(
                "QuickConnectTypes item {bad:?} must be one of USER, QUEUE, PHONE_NUMBER, FLOW"
            )));
        }
        let summaries: Vec<QuickConnectSummary> = self
            .instance(instance_id)?
            .quick_connects
            .iter()
            .filter_map(|q| {
                let kind = q
                    .quick_connect_config
                    .quick_connect_type
                    .clone()
                    .unwrap_or_default();
                (types.is_empty() || types.contains(&kind)).then(|| QuickConnectSummary {
                    id: q.quick_connect_id.clone(),
                    arn: q.quick_connect_arn.clone(),
                    name: q.name.clone(),
                    quick_connect_type: kind,
                    last_modified_time: q.last_modified_time,
                    last_modified_region: q.last_modified_region.clone(),
                })
            })
            .collect();
        self.tokens.list(&summaries, page)
    }

    /// `SearchQuickConnects`, over the search index: criteria on `name`,
    /// `description` and `resourceID`, a tag filter, at most 100 per page.
    pub(crate) fn search_quick_connects(
        &mut self,
        request: SearchQuickConnectsRequest,
        page: PageRequest,
    ) -> Result<Page<QuickConnect>, ConnectError> {
        let (instance, tokens) = self.search_view(request.instance_id.as_deref())?;
        let matcher = ProfileMatcher::new(request.search_criteria.as_ref(), QUICK_CONNECT_SEARCH)?;
        let tags = TagMatcher::new(request.search_filter.as_ref().and_then(|f| f.tag_filter.as_ref()))?;
        validate::next_token(request.next_token.as_deref())?;
        let matches: Vec<QuickConnect> = instance
            .index
            .quick_connects
            .iter()
            .filter(|q| matcher.matches(&q.quick_connect_id, &q.name, q.description.as_deref()))
            .filter(|q| tags.matches(&q.tags))
            .cloned()
            .collect();
        tokens.search(&matches, &page, 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(kind: &str) -> QuickConnectConfig {
        QuickConnectConfig {
            quick_connect_type: Some(kind.into()),
            ..QuickConnectConfig::default()
        }
    }

    #[test]
    fn each_type_needs_its_own_configuration() {
        let user = QuickConnectConfig {
            user_config: Some(UserQuickConnectConfig {
                user_id: Some("u".into()),
                contact_flow_id: Some("f".into()),
            }),
            ..config("USER")
        };
        assert_eq!(check_config(&user).unwrap(), "USER");
        let phone = QuickConnectConfig {
            phone_config: Some(PhoneNumberQuickConnectConfig {
                phone_number: Some("+12065550100".into()),
            }),
            ..config("PHONE_NUMBER")
        };
        assert!(check_config(&phone).is_ok());
        for bad in [
            config("USER"),
            config("QUEUE"),
            config("OTHER"),
            QuickConnectConfig::default(),
            QuickConnectConfig {
                phone_config: phone.phone_config.clone(),
                ..user.clone()
            },
            QuickConnectConfig {
                phone_config: Some(PhoneNumberQuickConnectConfig {
                    phone_number: Some("206-555-0100".into()),
                }),
                ..config("PHONE_NUMBER")
            },
            QuickConnectConfig {
                user_config: Some(UserQuickConnectConfig {
                    user_id: Some("u".into()),
                    contact_flow_id: None,
                }),
                ..config("USER")
            },
        ] {
            assert!(check_config(&bad).is_err(), "{bad:?}");
        }
    }
}
