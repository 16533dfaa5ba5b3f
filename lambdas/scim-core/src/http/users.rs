//! `/Users`: Amazon Connect agents. What is theirs alone: an `active:
//! false` can delete the agent (the deprovisioning mode), `userName` never
//! changes, and a PATCH is applied to the user's JSON and read back through
//! the one User parser.

use serde_json::{Map, Value};

use super::resource::Resource;
use super::{AppState, DeprovisionMode};
use crate::audit;
use crate::directory::{Directory, DirectoryError, PageRequest};
use crate::error::ScimError;
use crate::filter::UserFilter;
use crate::patch::PatchRequest;
use crate::projection::Projection;
use crate::schema::ResourceSchema;
use crate::user::{StoredUser, User, UserExtension, UserId};

/// The `/Users` resource type.
pub(crate) struct Users;

impl<D: Directory> Resource<D> for Users {
    const SCHEMA: &'static ResourceSchema = <D::UserExtension as UserExtension>::RESOURCE;
    const NOT_FOUND: &'static str = "No such user";

    type Id = UserId;
    type Filter = UserFilter;
    type Stored = StoredUser<D::UserHandle, D::UserExtension>;
    type Replacement = User<D::UserExtension>;
    type Patch = PatchRequest;

    const ID: fn(String) -> UserId = UserId::new;
    const PARSE_FILTER: fn(&str) -> Result<UserFilter, ScimError> = UserFilter::parse;
    const PARSE_REPLACEMENT: fn(&Value) -> Result<User<D::UserExtension>, ScimError> = User::from_scim;
    const PARSE_PATCH: fn(&Value) -> Result<PatchRequest, ScimError> = PatchRequest::parse;
    const VERSION: fn(&Self::Stored) -> String = StoredUser::version;
    const TO_SCIM: fn(&Self::Stored, &str) -> Value = StoredUser::to_scim;

    async fn list(
        state: &AppState<D>,
        filter: Option<UserFilter>,
        (start_index, count): (usize, usize),
        _projection: &Projection,
    ) -> Result<(usize, Vec<Self::Stored>), ScimError> {
        let request = PageRequest {
            filter,
            start_index,
            count,
        };
        let page = state.directory.list_users(&request).await?;
        Ok((page.total_results, page.users))
    }

    async fn get(state: &AppState<D>, id: &UserId, _members: bool) -> Result<Self::Stored, ScimError> {
        Ok(state.directory.get_user(id).await?)
    }

    async fn delete(state: &AppState<D>, id: &UserId) -> Result<(), ScimError> {
        // Read first: the directory decides on the user as it is (it may
        // refuse one it does not manage), not on a bare id.
        let current = state.directory.get_user(id).await?;
        Ok(state.directory.delete_user(&current).await?)
    }

    async fn create(state: &AppState<D>, body: &Value) -> Result<Self::Stored, ScimError> {
        let user = state.directory.accept_user(User::from_scim(body)?)?;
        let mut stored = state.directory.create_user(&user).await?;
        audit::record_resource(stored.id.as_str());
        if user.active == Some(false) && state.config.deprovision == DeprovisionMode::Delete {
            // In delete mode an inactive agent has no place in Connect: the
            // answer describes the resource, which is gone, as later reads say.
            state.directory.delete_user(&stored).await?;
            stored.user.active = Some(false);
        }
        Ok(stored)
    }

    async fn replace(
        state: &AppState<D>,
        current: Self::Stored,
        desired: User<D::UserExtension>,
    ) -> Result<Self::Stored, ScimError> {
        let desired = state.directory.accept_user(desired)?;
        save(state, &current, desired).await
    }

    async fn patch(
        state: &AppState<D>,
        current: Self::Stored,
        request: PatchRequest,
    ) -> Result<Self::Stored, ScimError> {
        let mut document: Map<String, Value> = current.user.to_scim_attributes();
        document.insert("id".into(), current.id.as_str().into());
        request.apply(&mut document, <Self as Resource<D>>::SCHEMA)?;
        let desired = state
            .directory
            .accept_user(User::from_scim(&Value::Object(document))?)?;
        if desired == current.user {
            return Ok(current);
        }
        save(state, &current, desired).await
    }
}

/// Stores `desired` over `current`, applying the deprovisioning mode.
async fn save<D: Directory>(
    state: &AppState<D>,
    current: &StoredUser<D::UserHandle, D::UserExtension>,
    desired: User<D::UserExtension>,
) -> Result<StoredUser<D::UserHandle, D::UserExtension>, ScimError> {
    if desired.user_name != current.user.user_name {
        return Err(ScimError::mutability(
            "userName is immutable: Amazon Connect cannot rename a user",
        ));
    }
    if desired.active == Some(false) && state.config.deprovision == DeprovisionMode::Delete {
        match state.directory.delete_user(current).await {
            // Gone already (a retried call whose first answer was lost): done.
            Ok(()) | Err(DirectoryError::NotFound(_)) => {}
            Err(other) => return Err(other.into()),
        }
        return Ok(StoredUser {
            user: desired,
            ..current.clone()
        });
    }
    Ok(state.directory.update_user(current, &desired).await?)
}
