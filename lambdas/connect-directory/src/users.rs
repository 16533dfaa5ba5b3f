//! Creating, reading and deleting one agent.

use aws_sdk_connect::types::UserSearchSummary;
use scim_core::{DirectoryError, DirectoryResult, UserId};
use time::OffsetDateTime;

use crate::assignment::Assignment;
use crate::boundary;
use crate::channels;
use crate::channels::ChannelWrites;
use crate::identity::Kept;
use crate::mapping::{self, Agent, ReadEmail, TAG_CREATE_TOKEN};
use crate::names::NamedKind;
use crate::phone::{Phone, phone_config, phone_of};
use crate::proficiencies::{self, ProficiencyWrites};
use crate::{ConnectDirectory, StoredUser, User, plausible_id, search, to_time};

/// What a create sends: the agent (as it reads back once made), its
/// `PhoneConfig` or per-channel lists, and the proficiencies to grant.
struct NewAgent {
    agent: Agent,
    phone: Option<Phone>,
    channel_writes: Option<ChannelWrites>,
    proficiencies: Vec<crate::Proficiency>,
}

/// How long a create whose name Connect says is taken waits for the search
/// index to show the user (Connect does not publish the index's lag).
const LAG_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);
const LAG_FIRST_WAIT: std::time::Duration = std::time::Duration::from_millis(250);
const LAG_MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

pub(crate) fn agent_from_summary(s: &UserSearchSummary) -> Agent {
    Agent {
        id: s.id().unwrap_or_default().to_owned(),
        arn: s.arn().unwrap_or_default().to_owned(),
        username: s.username().unwrap_or_default().to_owned(),
        first_name: s.identity_info().and_then(|i| i.first_name()).map(str::to_owned),
        last_name: s.identity_info().and_then(|i| i.last_name()).map(str::to_owned),
        email: ReadEmail::Unread,
        security_profile_ids: s.security_profile_ids().to_vec(),
        routing_profile_id: s.routing_profile_id().unwrap_or_default().to_owned(),
        tags: s
            .tags()
            .map(|t| t.clone().into_iter().collect())
            .unwrap_or_default(),
        last_modified: None,
        phone: phone_of(s.phone_config(), true),
        hierarchy_group_id: s.hierarchy_group_id().map(str::to_owned),
        channels: channels::read(
            s.auto_accept_configs(),
            s.after_contact_work_configs(),
            s.phone_number_configs(),
        ),
        kept: Kept::default(),
    }
}

impl ConnectDirectory {
    pub(crate) fn buried(&self, id: &str) -> bool {
        !plausible_id(id)
            || self
                .tombstones
                .lock()
                .map(|t| t.get(&id.to_owned()).is_some())
                .unwrap_or(false)
    }

    pub(crate) fn bury(&self, id: &str) {
        if let Ok(mut t) = self.tombstones.lock() {
            t.insert(id.to_owned(), ());
        }
    }

    /// The user this very create request made, if it made one: after a
    /// DuplicateResourceException (the first answer was lost and the SDK
    /// retried) or a failure whose outcome is unknown. `taken`: Connect said
    /// the name is taken, so when the search index shows nobody of that name
    /// the user was made a moment ago and the index lags: look again, for
    /// up to [`LAG_BUDGET`], rather than call our own user a stranger.
    pub(crate) async fn find_own(
        &self,
        user: &User,
        create_token: &str,
        taken: bool,
    ) -> DirectoryResult<Option<StoredUser>> {
        let filter = scim_core::UserFilter::user_name(&user.user_name);
        let query = search::SearchQuery::new(Some(&filter));
        let mut wait = LAG_FIRST_WAIT;
        let started = std::time::Instant::now();
        loop {
            let page = self.search(&query, None, 10).await?;
            let own = page.users().iter().find(|s| {
                s.tags()
                    .and_then(|t| t.get(TAG_CREATE_TOKEN))
                    .is_some_and(|t| t == create_token)
            });
            if let Some(summary) = own {
                tracing::info!(user_name = %user.user_name, "the create was applied though its answer was lost");
                let own = agent_from_summary(summary).into_stored()?;
                let own = self.labelled(own).await?;
                self.recent.wrote(None, &own);
                return Ok(Some(own));
            }
            let stranger = page.users().iter().any(|s| {
                s.username()
                    .is_some_and(|n| n.eq_ignore_ascii_case(user.user_name.as_str()))
            });
            if !taken || stranger || started.elapsed() + wait > LAG_BUDGET {
                return Ok(None);
            }
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(LAG_MAX_WAIT);
        }
    }

    /// The agent a create makes (before Connect gives it an id): its
    /// profiles, routing, hierarchy group, phone, channel settings and tags,
    /// and the proficiencies to grant once it exists.
    async fn new_agent(&self, user: &User, create_token: &str) -> DirectoryResult<NewAgent> {
        let (first, last) = mapping::connect_names(user);
        let Assignment {
            security,
            routing,
            chosen_security,
            chosen_routing,
            ..
        } = self.assignment_for(user, &[]).await?;
        let hierarchy = match &user.extension.hierarchy_group {
            Some(name) => Some(
                self.chosen_id(NamedKind::Hierarchy, "hierarchyGroup", name)
                    .await?,
            ),
            None => None,
        };
        let phone = Phone::merged(&user.extension, None)?;
        // With channelConfigs, CreateUser carries no PhoneConfig ("Fields in
        // PhoneConfig cannot be set simultaneously with their corresponding
        // channel-specific configuration parameters"): see `channels`.
        let channel_writes = match &user.extension.channel_configs {
            Some(list) => {
                let single = &user.extension;
                let asked = single.phone_type.is_some()
                    || single.auto_accept.is_some()
                    || single.after_contact_work_time_limit.is_some()
                    || single.desk_phone_number.is_some();
                Some(channels::for_create(asked.then_some(&phone), list)?)
            }
            None => None,
        };
        let granted = self.wanted_proficiencies(None, user).await?;
        let (profiles, saved) = match user.is_active() {
            true => (security, None),
            false => (vec![self.disabled_profile_id().await?], Some(security)),
        };
        let tags = mapping::with_choices(
            &mapping::desired_tags(user, &mapping::new_bookkeeping(create_token), saved.as_deref())?,
            chosen_routing.as_deref(),
            chosen_security.as_deref(),
        );
        let record = granted.as_ref().filter(|w| w.recorded);
        let tags = proficiencies::with_granted(
            &tags,
            record.map(|w| w.list.as_slice()),
            record.is_some_and(|w| w.from_map),
        );
        // How the new agent reads back: Connect's defaults (our reading of
        // a new user: no auto-accept, no limit, on every channel; only the
        // POST's answer depends on it), then what the create sets.
        let writes = match &channel_writes {
            Some(writes) => writes.clone(),
            None => ChannelWrites::from_phone(&phone, true)?,
        };
        let channels_after = writes.applied(&channels::new_agent_defaults());
        let agent = Agent {
            username: user.user_name.as_str().to_owned(),
            first_name: Some(first),
            last_name: Some(last),
            email: ReadEmail::Read(user.email.clone()),
            security_profile_ids: profiles,
            routing_profile_id: routing,
            tags,
            last_modified: Some(OffsetDateTime::now_utc()),
            phone: Some(channels::voice_view(&channels_after).unwrap_or(phone.clone())),
            hierarchy_group_id: hierarchy,
            channels: channels_after,
            ..Agent::default()
        };
        Ok(NewAgent {
            agent,
            phone: channel_writes.is_none().then_some(phone),
            channel_writes,
            proficiencies: granted.map(|w| w.list).unwrap_or_default(),
        })
    }

    /// Creates the agent whole: one CreateUser call (profiles, tags and
    /// channel settings travel in it), then, when it has proficiencies, one
    /// AssociateUserProficiencies. If that fails the agent is deleted again,
    /// so a user is either created whole or not at all and the IdP's retry
    /// starts clean.
    pub(crate) async fn create(&self, user: &User) -> DirectoryResult<StoredUser> {
        let identity = self.identity_type().await?;
        identity.check_user_name(user.user_name.as_str())?;
        let password = identity.password(user)?;
        // An idempotency key: if Connect applies the create but the answer is
        // lost, the SDK's retry meets DuplicateResourceException, and this
        // tag tells our own user from someone else's.
        let create_token = uuid::Uuid::new_v4().simple().to_string();
        let NewAgent {
            mut agent,
            phone,
            channel_writes,
            proficiencies,
        } = self.new_agent(user, &create_token).await?;
        let (first, last) = (agent.first_name.clone(), agent.last_name.clone());
        let info = identity.identity_info(
            first.as_deref().unwrap_or_default(),
            last.as_deref().unwrap_or_default(),
            user.email.as_deref(),
            &Kept::default(),
        );
        let phone = phone.as_ref().map(phone_config).transpose()?;
        let (auto_accept, after_contact_work, phones) = match &channel_writes {
            Some(writes) => writes.lists()?,
            None => (None, None, None),
        };
        let request = self.client.create_user().instance_id(&self.settings.instance_id);
        let request = request
            .username(user.user_name.as_str())
            .set_password(password)
            .identity_info(info)
            .set_phone_config(phone)
            .set_auto_accept_configs(auto_accept)
            .set_after_contact_work_configs(after_contact_work)
            .set_phone_number_configs(phones)
            .set_security_profile_ids(Some(agent.security_profile_ids.clone()))
            .routing_profile_id(&agent.routing_profile_id)
            .set_hierarchy_group_id(agent.hierarchy_group_id.clone())
            .set_tags(Some(agent.tags.clone().into_iter().collect()));
        let made = match self.call("CreateUser", request.send()).await {
            Ok(out) => {
                agent.id = out.user_id().unwrap_or_default().to_owned();
                agent.arn = out.user_arn().unwrap_or_default().to_owned();
                self.labelled(agent.into_stored()?).await?
            }
            Err(DirectoryError::Conflict(_)) => match self.find_own(user, &create_token, true).await? {
                Some(own) => own,
                None => {
                    return Err(DirectoryError::Conflict(format!(
                        "userName {:?} is already taken in Amazon Connect; if that user should be \
                         provisioned from the IdP, adopt it (make adopt-user, README \"Managed users\") \
                         and let the IdP match it by userName",
                        user.user_name.as_str()
                    )));
                }
            },
            // The outcome is unknown (the create may have been applied):
            // settle it before answering, so a retry never meets a stranger.
            Err(unknown @ DirectoryError::Unavailable { .. }) => {
                self.find_own(user, &create_token, false).await?.ok_or(unknown)?
            }
            Err(other) => return Err(other),
        };
        self.grant_at_create(&made, proficiencies).await?;
        self.recent.wrote(None, &made);
        Ok(made)
    }

    /// The new agent's proficiencies, or the agent taken back.
    async fn grant_at_create(&self, made: &StoredUser, list: Vec<crate::Proficiency>) -> DirectoryResult<()> {
        if list.is_empty() {
            return Ok(());
        }
        let writes = ProficiencyWrites {
            associate: list,
            ..ProficiencyWrites::default()
        };
        let Err(refused) = self.write_proficiencies(made.id.as_str(), &writes).await else {
            return Ok(());
        };
        if let Err(undo) = self.delete(made).await {
            tracing::error!(
                user = %made.id,
                error = %undo,
                "a create whose proficiencies failed could not be taken back; the agent exists \
                 without them: delete it in Connect, or send its proficiencies again"
            );
        }
        // Most likely the instance changed under the cached catalogue (an
        // attribute or value deleted): look again next time, and answer as
        // the invalid value it now is rather than "not found".
        self.forget_predefined_attributes().await;
        Err(match refused {
            DirectoryError::NotFound(detail) | DirectoryError::Conflict(detail) => {
                DirectoryError::InvalidValue(format!(
                    "{}: Amazon Connect refused the proficiencies: {detail}",
                    "proficiencies"
                ))
            }
            other => other,
        })
    }

    pub(crate) async fn read(&self, id: &UserId) -> DirectoryResult<StoredUser> {
        if self.buried(id.as_str()) {
            return Err(DirectoryError::NotFound(format!("No user {id}")));
        }
        let out = self
            .call(
                "DescribeUser",
                self.client
                    .describe_user()
                    .instance_id(&self.settings.instance_id)
                    .user_id(id.as_str())
                    .send(),
            )
            .await
            .inspect_err(|e| {
                if matches!(e, DirectoryError::NotFound(_)) {
                    self.bury(id.as_str());
                }
            })?;
        let user = out
            .user()
            .ok_or_else(|| DirectoryError::Internal("DescribeUser returned no user".to_owned()))?;
        let info = user.identity_info();
        let secondary = info.and_then(|i| i.secondary_email()).filter(|e| !e.is_empty());
        Agent {
            id: user.id().unwrap_or_default().to_owned(),
            arn: user.arn().unwrap_or_default().to_owned(),
            username: user.username().unwrap_or_default().to_owned(),
            first_name: info.and_then(|i| i.first_name()).map(str::to_owned),
            last_name: info.and_then(|i| i.last_name()).map(str::to_owned),
            // On SAML the SCIM email is kept as SecondaryEmail (Email is refused).
            email: ReadEmail::Read(
                info.and_then(|i| i.email())
                    .filter(|e| !e.is_empty())
                    .or(secondary)
                    .map(str::to_owned),
            ),
            security_profile_ids: user.security_profile_ids().to_vec(),
            routing_profile_id: user.routing_profile_id().unwrap_or_default().to_owned(),
            tags: user
                .tags()
                .map(|t| t.clone().into_iter().collect())
                .unwrap_or_default(),
            last_modified: to_time(user.last_modified_time()),
            phone: phone_of(user.phone_config(), false),
            hierarchy_group_id: user.hierarchy_group_id().map(str::to_owned),
            channels: channels::read(
                user.auto_accept_configs(),
                user.after_contact_work_configs(),
                user.phone_number_configs(),
            ),
            kept: Kept {
                secondary_email: secondary.map(str::to_owned),
                mobile: info.and_then(|i| i.mobile()).map(str::to_owned),
            },
        }
        .into_stored()
        .map(|u| self.labelled(u))?
        .await
    }

    pub(crate) async fn delete(&self, current: &StoredUser) -> DirectoryResult<()> {
        let id = &current.id;
        if self.buried(id.as_str()) {
            return Err(DirectoryError::NotFound(format!("No user {id}")));
        }
        boundary::require_managed(current, "delete")?;
        // The quick connects go first, although DeleteUser's documentation
        // says to delete them after: in this order every failure leaves the
        // user in place, so the IdP's retry (a DELETE, or a PATCH that reads
        // the user before deprovisioning it) finds it and finishes the job.
        // The other order strands them when the cleanup fails, because the
        // retry of a PATCH then meets a user that is already gone.
        self.delete_quick_connects_to(id.as_str()).await?;
        let result = self
            .call(
                "DeleteUser",
                self.client
                    .delete_user()
                    .instance_id(&self.settings.instance_id)
                    .user_id(id.as_str())
                    .send(),
            )
            .await;
        let result = match result {
            // Unknown outcome: settle it. Gone means the delete was applied.
            Err(unknown @ DirectoryError::Unavailable { .. }) => match self.read(id).await {
                Err(DirectoryError::NotFound(_)) => Ok(()),
                _ => Err(unknown),
            },
            other => other.map(|_| ()),
        };
        if matches!(result, Ok(()) | Err(DirectoryError::NotFound(_))) {
            self.bury(id.as_str());
            self.recent.deleted(id.as_str());
        }
        result
    }
}
