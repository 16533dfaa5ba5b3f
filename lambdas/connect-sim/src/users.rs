//! Users: CreateUser, DescribeUser, DeleteUser, the UpdateUser* calls,
//! ListUsers and SearchUsers.

use crate::error::ConnectError;
use crate::identity::{self, NewUser};
use crate::index::Key;
use crate::search;
use crate::tokens::{Page, PageRequest};
use crate::user_config;
use crate::validate;
use crate::wire::*;
use crate::world::{World, new_id, now, user_not_found};

impl World {
    pub(crate) fn create_user(
        &mut self,
        instance_id: &str,
        request: CreateUserRequest,
    ) -> Result<CreateUserResponse, ConnectError> {
        let region = self.region.clone();
        let instance = self.instance_mut(instance_id)?;
        let username = request
            .username
            .ok_or_else(|| ConnectError::invalid("Username is required"))?;
        let identity_info = request.identity_info.unwrap_or_default();
        user_config::check_no_conflict(request.phone_config.as_ref(), &request.channel_configs)?;
        user_config::check(&request.channel_configs)?;
        identity::check_new_user(
            instance.identity_type,
            NewUser {
                username: &username,
                password: request.password.as_deref(),
                directory_user_id: request.directory_user_id.as_deref(),
                identity_info: &identity_info,
            },
        )?;
        // CreateUser.PhoneConfig: "This parameter is optional. If not
        // provided, the user can be configured using channel-specific
        // parameters". Such a user reads back with the defaults and no
        // PhoneType.
        let mut phone_config = request.phone_config.unwrap_or_else(|| PhoneConfig {
            auto_accept: Some(false),
            after_contact_work_time_limit: Some(0),
            ..PhoneConfig::default()
        });
        validate::phone_config(&phone_config)?;
        let channel_configs = user_config::for_new_user(&phone_config, &request.channel_configs);
        // PhoneConfig shows the VOICE settings the request's lists set.
        user_config::voice_into_phone(&request.channel_configs, &mut phone_config);
        let security_profile_ids = instance.check_security_profiles(request.security_profile_ids.as_ref())?;
        let routing_profile_id = instance.check_routing_profile(request.routing_profile_id.as_ref())?;
        let hierarchy_group_id = instance.check_hierarchy_group(request.hierarchy_group_id.as_ref())?;
        let tags = validate::optional_tags(request.tags)?;
        let key = username.to_lowercase();
        if instance.by_username.contains_key(&key) {
            return Err(ConnectError::DuplicateResource(format!(
                "User with username {username} already exists"
            )));
        }
        let id = new_id();
        let arn = format!("{}/agent/{id}", instance.arn);
        let seq = instance.next_seq;
        instance.next_seq += 1;
        instance.by_id.insert(id.clone(), seq);
        instance.by_username.insert(key, seq);
        instance.users.insert(
            seq,
            User {
                id: id.clone(),
                arn: arn.clone(),
                username,
                identity_info,
                phone_config,
                directory_user_id: request.directory_user_id,
                security_profile_ids,
                routing_profile_id,
                hierarchy_group_id,
                tags,
                channel_configs,
                last_modified_time: now(),
                last_modified_region: region,
                proficiencies: Vec::new(),
            },
        );
        instance.reindex(Key::User(seq));
        Ok(CreateUserResponse {
            user_id: id,
            user_arn: arn,
        })
    }

    pub(crate) fn describe_user(&self, instance_id: &str, user_id: &str) -> Result<User, ConnectError> {
        self.instance(instance_id)?.user(user_id).cloned()
    }

    /// `DeleteUser`. The user's quick connects stay: DeleteUser's
    /// documentation leaves them to the caller ("After calling DeleteUser,
    /// call DeleteQuickConnect to delete any records related to the deleted
    /// users").
    pub(crate) fn delete_user(&mut self, instance_id: &str, user_id: &str) -> Result<(), ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        let seq = instance
            .by_id
            .remove(user_id)
            .ok_or_else(|| user_not_found(user_id))?;
        if let Some(user) = instance.users.remove(&seq) {
            instance.by_username.remove(&user.username.to_lowercase());
        }
        instance.reindex(Key::User(seq));
        Ok(())
    }

    /// Applies `change` to a user after checking it against the instance.
    pub(crate) fn update_user(
        &mut self,
        instance_id: &str,
        user_id: &str,
        change: UserChange,
    ) -> Result<(), ConnectError> {
        let instance = self.instance_mut(instance_id)?;
        let current = instance.user(user_id)?;
        let apply: Box<dyn FnOnce(&mut User)> = match change {
            UserChange::IdentityInfo(UpdateIdentityInfoRequest { identity_info }) => {
                let info = identity_info.ok_or_else(|| ConnectError::invalid("IdentityInfo is required"))?;
                let info = identity::updated_identity(instance.identity_type, &current.identity_info, info)?;
                Box::new(move |u| u.identity_info = info)
            }
            UserChange::SecurityProfiles(UpdateSecurityProfilesRequest { security_profile_ids }) => {
                let ids = instance.check_security_profiles(security_profile_ids.as_ref())?;
                Box::new(move |u| u.security_profile_ids = ids)
            }
            UserChange::RoutingProfile(UpdateRoutingProfileRequest { routing_profile_id }) => {
                let id = instance.check_routing_profile(routing_profile_id.as_ref())?;
                Box::new(move |u| u.routing_profile_id = id)
            }
            UserChange::PhoneConfig(UpdatePhoneConfigRequest { phone_config }) => {
                let mut config =
                    phone_config.ok_or_else(|| ConnectError::invalid("PhoneConfig is required"))?;
                // PhoneType is optional; without it the user keeps the type
                // (and desk number) it has, which may be none.
                if config.phone_type.is_none() {
                    config.phone_type = current.phone_config.phone_type.clone();
                    if config.desk_phone_number.is_none() {
                        config.desk_phone_number = current.phone_config.desk_phone_number.clone();
                    }
                }
                validate::phone_config(&config)?;
                let channels = user_config::from_phone(&config);
                Box::new(move |u| {
                    u.phone_config = config;
                    user_config::merge(&mut u.channel_configs, &channels);
                })
            }
            UserChange::Hierarchy(UpdateHierarchyRequest { hierarchy_group_id }) => {
                let id = instance.check_hierarchy_group(hierarchy_group_id.as_ref())?;
                Box::new(move |u| u.hierarchy_group_id = id)
            }
        };
        let user = instance.user_mut(user_id)?;
        apply(user);
        user.last_modified_time = now();
        instance.reindex_user(user_id);
        Ok(())
    }

    pub(crate) fn list_users(
        &self,
        instance_id: &str,
        page: &PageRequest,
    ) -> Result<Page<UserSummary>, ConnectError> {
        let instance = self.instance(instance_id)?;
        let summaries: Vec<UserSummary> = instance
            .users
            .values()
            .map(|u| UserSummary {
                id: u.id.clone(),
                arn: u.arn.clone(),
                username: u.username.clone(),
                last_modified_time: u.last_modified_time,
                last_modified_region: u.last_modified_region.clone(),
            })
            .collect();
        self.tokens.list(&summaries, page)
    }

    /// `SearchUsers`, over the search index: at most 500 per page.
    pub(crate) fn search_users(
        &mut self,
        request: SearchUsersRequest,
        page: PageRequest,
    ) -> Result<Page<UserSearchSummary>, ConnectError> {
        let (instance, tokens) = self.search_view(request.instance_id.as_deref())?;
        let index = &instance.index;
        let matcher = search::Matcher::new(
            &index.hierarchy_groups,
            request.search_criteria.as_ref(),
            request.search_filter.as_ref(),
        )?;
        validate::next_token(request.next_token.as_deref())?;
        let matches: Vec<&User> = index.users.values().filter(|u| matcher.matches(u)).collect();
        Ok(tokens.search(&matches, &page, 500)?.map(search_summary))
    }
}

/// One of the `UpdateUser*` calls, with its request.
#[derive(Debug)]
pub(crate) enum UserChange {
    IdentityInfo(UpdateIdentityInfoRequest),
    SecurityProfiles(UpdateSecurityProfilesRequest),
    RoutingProfile(UpdateRoutingProfileRequest),
    PhoneConfig(UpdatePhoneConfigRequest),
    Hierarchy(UpdateHierarchyRequest),
}

fn search_summary(user: &User) -> UserSearchSummary {
    UserSearchSummary {
        arn: user.arn.clone(),
        directory_user_id: user.directory_user_id.clone(),
        hierarchy_group_id: user.hierarchy_group_id.clone(),
        id: user.id.clone(),
        identity_info: IdentityInfoLite {
            first_name: user.identity_info.first_name.clone(),
            last_name: user.identity_info.last_name.clone(),
        },
        // SearchUsers reports the after-contact work limit in milliseconds
        // (DescribeUser in seconds), as Connect documents.
        phone_config: PhoneConfig {
            after_contact_work_time_limit: user
                .phone_config
                .after_contact_work_time_limit
                .map(|s| s.saturating_mul(1000)),
            ..user.phone_config.clone()
        },
        routing_profile_id: user.routing_profile_id.clone(),
        security_profile_ids: user.security_profile_ids.clone(),
        tags: user.tags.clone(),
        username: user.username.clone(),
        // The per-channel ACW limits stay in seconds: only UserPhoneConfig
        // documents milliseconds in SearchUsers answers.
        channel_configs: user.channel_configs.clone(),
    }
}
