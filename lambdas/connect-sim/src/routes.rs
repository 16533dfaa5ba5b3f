//! Connect's REST routes (method + path per operation, as in the service
//! model) and the simulator's own `/_sim` control routes.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::Simulator;
use crate::config::{Faults, Quota};
use crate::error::ConnectError;
use crate::identity::IdentityType;
use crate::tokens::{self, PageRequest};
use crate::users::UserChange;
use crate::wire::*;
use crate::world::NamedKind;

type Answer = Result<Response, ConnectError>;

pub(crate) fn router(sim: Simulator) -> Router {
    Router::new()
        .route("/users/{instance}", put(create_user))
        .route("/users/{instance}/{user}", get(describe_user).delete(delete_user))
        .route(
            "/users/{instance}/{user}/identity-info",
            post(update_identity_info),
        )
        .route(
            "/users/{instance}/{user}/security-profiles",
            post(update_security_profiles),
        )
        .route(
            "/users/{instance}/{user}/routing-profile",
            post(update_routing_profile),
        )
        .route("/users/{instance}/{user}/phone-config", post(update_phone_config))
        .route("/users/{instance}/{user}/hierarchy", post(update_hierarchy))
        .route("/users-summary/{instance}", get(list_users))
        .route("/search-users", post(search_users))
        .route("/security-profiles/{instance}", put(create_security_profile))
        .route("/search-security-profiles", post(search_security_profiles))
        .route("/search-user-hierarchy-groups", post(search_hierarchy_groups))
        .route(
            "/security-profiles/{instance}/{profile}",
            get(describe_security_profile).delete(delete_security_profile),
        )
        .route(
            "/security-profiles-summary/{instance}",
            get(list_security_profiles),
        )
        .route("/routing-profiles-summary/{instance}", get(list_routing_profiles))
        .route("/user-hierarchy-groups/{instance}", put(create_hierarchy_group))
        .route(
            "/user-hierarchy-groups/{instance}/{group}",
            get(describe_hierarchy_group),
        )
        .route(
            "/user-hierarchy-groups-summary/{instance}",
            get(list_hierarchy_groups),
        )
        .route("/instance/{instance}", get(describe_instance))
        .route(
            "/quick-connects/{instance}",
            put(create_quick_connect).get(list_quick_connects),
        )
        .route(
            "/quick-connects/{instance}/{quick_connect}",
            get(describe_quick_connect).delete(delete_quick_connect),
        )
        .route("/search-quick-connects", post(search_quick_connects))
        .route(
            "/tags/{arn}",
            get(list_tags_for_resource)
                .post(tag_resource)
                .delete(untag_resource),
        )
        .route("/_sim/stats", get(stats).delete(reset_stats))
        .route("/_sim/settings", get(settings).put(update_settings))
        .route("/_sim/instances/{instance}", put(add_instance))
        .fallback(unknown_operation)
        .method_not_allowed_fallback(unknown_operation)
        .with_state(sim)
}

async fn unknown_operation() -> ConnectError {
    ConnectError::UnknownOperation("No operation is bound to this method and path".to_owned())
}

/// Reads a JSON body; an empty body is an empty structure, as the SDKs
/// treat it, and anything unreadable is an InvalidRequestException.
fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ConnectError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(bytes)
        .map_err(|e| ConnectError::InvalidRequest(format!("The request body could not be read: {e}")))
}

fn query(raw: Option<&str>, name: &str) -> Vec<String> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

fn max_results(raw: Option<&str>) -> Result<Option<i64>, ConnectError> {
    query(raw, "maxResults")
        .first()
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| ConnectError::invalid("maxResults must be an integer"))
        })
        .transpose()
}

/// The paging members of a List* call, bound to its query.
fn list_page(
    operation: &'static str,
    instance: &str,
    raw: Option<&str>,
) -> Result<PageRequest, ConnectError> {
    Ok(PageRequest {
        operation,
        query: tokens::query_of_list(instance, raw),
        next_token: query(raw, "nextToken").pop(),
        max_results: max_results(raw)?,
    })
}

fn ok_json<T: Serialize>(value: &T) -> Answer {
    Ok(Json(value).into_response())
}

fn ok_empty() -> Answer {
    Ok(StatusCode::OK.into_response())
}

async fn create_user(State(sim): State<Simulator>, Path(instance): Path<String>, bytes: Bytes) -> Answer {
    sim.admit("CreateUser").await?;
    let request: CreateUserRequest = body(&bytes)?;
    ok_json(&sim.commit("CreateUser", |w| w.create_user(&instance, request))?)
}

async fn describe_user(
    State(sim): State<Simulator>,
    Path((instance, user)): Path<(String, String)>,
) -> Answer {
    sim.admit("DescribeUser").await?;
    let user = sim.world(|w| w.describe_user(&instance, &user))?;
    ok_json(&DescribeUserResponse { user })
}

async fn delete_user(State(sim): State<Simulator>, Path((instance, user)): Path<(String, String)>) -> Answer {
    sim.admit("DeleteUser").await?;
    sim.commit("DeleteUser", |w| w.delete_user(&instance, &user))?;
    ok_empty()
}

async fn update(
    sim: &Simulator,
    operation: &'static str,
    instance: &str,
    user: &str,
    change: UserChange,
) -> Answer {
    sim.commit(operation, |w| w.update_user(instance, user, change))?;
    ok_empty()
}

async fn update_identity_info(
    State(sim): State<Simulator>,
    Path((instance, user)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    sim.admit("UpdateUserIdentityInfo").await?;
    let request: UpdateIdentityInfoRequest = body(&bytes)?;
    update(
        &sim,
        "UpdateUserIdentityInfo",
        &instance,
        &user,
        UserChange::IdentityInfo(request.identity_info),
    )
    .await
}

async fn update_security_profiles(
    State(sim): State<Simulator>,
    Path((instance, user)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    sim.admit("UpdateUserSecurityProfiles").await?;
    let request: UpdateSecurityProfilesRequest = body(&bytes)?;
    let change = UserChange::SecurityProfiles(request.security_profile_ids);
    update(&sim, "UpdateUserSecurityProfiles", &instance, &user, change).await
}

async fn update_routing_profile(
    State(sim): State<Simulator>,
    Path((instance, user)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    sim.admit("UpdateUserRoutingProfile").await?;
    let request: UpdateRoutingProfileRequest = body(&bytes)?;
    let change = UserChange::RoutingProfile(request.routing_profile_id);
    update(&sim, "UpdateUserRoutingProfile", &instance, &user, change).await
}

async fn update_phone_config(
    State(sim): State<Simulator>,
    Path((instance, user)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    sim.admit("UpdateUserPhoneConfig").await?;
    let request: UpdatePhoneConfigRequest = body(&bytes)?;
    update(
        &sim,
        "UpdateUserPhoneConfig",
        &instance,
        &user,
        UserChange::PhoneConfig(request.phone_config),
    )
    .await
}

async fn update_hierarchy(
    State(sim): State<Simulator>,
    Path((instance, user)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    sim.admit("UpdateUserHierarchy").await?;
    let request: UpdateHierarchyRequest = body(&bytes)?;
    update(
        &sim,
        "UpdateUserHierarchy",
        &instance,
        &user,
        UserChange::Hierarchy(request.hierarchy_group_id),
    )
    .await
}

async fn list_users(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    sim.admit("ListUsers").await?;
    let page = list_page("ListUsers", &instance, q.as_deref())?;
    ok_json(&sim.world(|w| w.list_users(&instance, &page))?)
}

async fn search_users(State(sim): State<Simulator>, bytes: Bytes) -> Answer {
    sim.admit("SearchUsers").await?;
    let request: SearchUsersRequest = body(&bytes)?;
    let query = tokens::query_of_body(&bytes);
    ok_json(&sim.world(|w| w.search_users(request, query))?)
}

async fn search_security_profiles(State(sim): State<Simulator>, bytes: Bytes) -> Answer {
    sim.admit("SearchSecurityProfiles").await?;
    let request: SearchNamedRequest = body(&bytes)?;
    let query = tokens::query_of_body(&bytes);
    ok_json(&sim.world(|w| w.search_security_profiles(request, query))?)
}

async fn search_hierarchy_groups(State(sim): State<Simulator>, bytes: Bytes) -> Answer {
    sim.admit("SearchUserHierarchyGroups").await?;
    let request: SearchNamedRequest = body(&bytes)?;
    let query = tokens::query_of_body(&bytes);
    ok_json(&sim.world(|w| w.search_hierarchy_groups(request, query))?)
}

async fn list_named(
    sim: &Simulator,
    operation: &'static str,
    instance: &str,
    kind: NamedKind,
    list_key: &str,
    q: Option<&str>,
) -> Answer {
    let page = list_page(operation, instance, q)?;
    let (page, next) = sim.world(|w| w.list_named(instance, kind, &page))?;
    let mut out = serde_json::Map::new();
    out.insert(
        list_key.to_owned(),
        serde_json::to_value(page).unwrap_or_default(),
    );
    if let Some(next) = next {
        out.insert("NextToken".to_owned(), next.into());
    }
    ok_json(&out)
}

async fn create_security_profile(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    bytes: Bytes,
) -> Answer {
    sim.admit("CreateSecurityProfile").await?;
    let request: CreateSecurityProfileRequest = body(&bytes)?;
    ok_json(&sim.commit("CreateSecurityProfile", |w| {
        w.create_security_profile(&instance, request)
    })?)
}

async fn describe_security_profile(
    State(sim): State<Simulator>,
    Path((instance, profile)): Path<(String, String)>,
) -> Answer {
    sim.admit("DescribeSecurityProfile").await?;
    let security_profile = sim.world(|w| w.describe_security_profile(&instance, &profile))?;
    ok_json(&DescribeSecurityProfileResponse { security_profile })
}

async fn delete_security_profile(
    State(sim): State<Simulator>,
    Path((instance, profile)): Path<(String, String)>,
) -> Answer {
    sim.admit("DeleteSecurityProfile").await?;
    sim.commit("DeleteSecurityProfile", |w| {
        w.delete_security_profile(&instance, &profile)
    })?;
    ok_empty()
}

async fn list_security_profiles(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    sim.admit("ListSecurityProfiles").await?;
    let key = "SecurityProfileSummaryList";
    let kind = NamedKind::SecurityProfile;
    list_named(&sim, "ListSecurityProfiles", &instance, kind, key, q.as_deref()).await
}

async fn list_routing_profiles(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    sim.admit("ListRoutingProfiles").await?;
    let key = "RoutingProfileSummaryList";
    let kind = NamedKind::RoutingProfile;
    list_named(&sim, "ListRoutingProfiles", &instance, kind, key, q.as_deref()).await
}

async fn create_hierarchy_group(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    bytes: Bytes,
) -> Answer {
    sim.admit("CreateUserHierarchyGroup").await?;
    let request: CreateHierarchyGroupRequest = body(&bytes)?;
    ok_json(&sim.commit("CreateUserHierarchyGroup", |w| {
        w.create_hierarchy_group(&instance, request)
    })?)
}

async fn describe_hierarchy_group(
    State(sim): State<Simulator>,
    Path((instance, group)): Path<(String, String)>,
) -> Answer {
    sim.admit("DescribeUserHierarchyGroup").await?;
    let hierarchy_group = sim.world(|w| w.describe_hierarchy_group(&instance, &group))?;
    ok_json(&DescribeHierarchyGroupResponse { hierarchy_group })
}

async fn list_hierarchy_groups(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    sim.admit("ListUserHierarchyGroups").await?;
    let key = "UserHierarchyGroupSummaryList";
    let kind = NamedKind::HierarchyGroup;
    list_named(
        &sim,
        "ListUserHierarchyGroups",
        &instance,
        kind,
        key,
        q.as_deref(),
    )
    .await
}

async fn describe_instance(State(sim): State<Simulator>, Path(instance): Path<String>) -> Answer {
    sim.admit("DescribeInstance").await?;
    let instance = sim
        .world(|w| w.describe_instance(&instance))
        .map_err(ConnectError::into_invalid_request)?;
    ok_json(&DescribeInstanceResponse { instance })
}

async fn create_quick_connect(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    bytes: Bytes,
) -> Answer {
    sim.admit("CreateQuickConnect").await?;
    let request: CreateQuickConnectRequest = body(&bytes)?;
    ok_json(&sim.commit("CreateQuickConnect", |w| {
        w.create_quick_connect(&instance, request)
    })?)
}

async fn describe_quick_connect(
    State(sim): State<Simulator>,
    Path((instance, id)): Path<(String, String)>,
) -> Answer {
    sim.admit("DescribeQuickConnect").await?;
    let quick_connect = sim.world(|w| w.describe_quick_connect(&instance, &id))?;
    ok_json(&DescribeQuickConnectResponse { quick_connect })
}

async fn delete_quick_connect(
    State(sim): State<Simulator>,
    Path((instance, id)): Path<(String, String)>,
) -> Answer {
    sim.admit("DeleteQuickConnect").await?;
    sim.commit("DeleteQuickConnect", |w| w.delete_quick_connect(&instance, &id))?;
    ok_empty()
}

async fn list_quick_connects(
    State(sim): State<Simulator>,
    Path(instance): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    sim.admit("ListQuickConnects").await?;
    let page = list_page("ListQuickConnects", &instance, q.as_deref())?;
    let types = query(q.as_deref(), "QuickConnectTypes");
    ok_json(&sim.world(|w| w.list_quick_connects(&instance, &types, &page))?)
}

async fn search_quick_connects(State(sim): State<Simulator>, bytes: Bytes) -> Answer {
    sim.admit("SearchQuickConnects").await?;
    let request: SearchQuickConnectsRequest = body(&bytes)?;
    let query = tokens::query_of_body(&bytes);
    ok_json(&sim.world(|w| w.search_quick_connects(request, query))?)
}

async fn tag_resource(State(sim): State<Simulator>, Path(arn): Path<String>, bytes: Bytes) -> Answer {
    sim.admit("TagResource").await?;
    let request: TagResourceRequest = body(&bytes)?;
    sim.commit("TagResource", |w| w.tag_resource(&arn, request.tags))?;
    ok_empty()
}

async fn untag_resource(
    State(sim): State<Simulator>,
    Path(arn): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    sim.admit("UntagResource").await?;
    let keys = query(q.as_deref(), "tagKeys");
    sim.commit("UntagResource", |w| w.untag_resource(&arn, &keys))?;
    ok_empty()
}

async fn list_tags_for_resource(State(sim): State<Simulator>, Path(arn): Path<String>) -> Answer {
    sim.admit("ListTagsForResource").await?;
    let tags = sim.world(|w| w.list_tags(&arn))?;
    ok_json(&ListTagsResponse { tags })
}

async fn stats(State(sim): State<Simulator>) -> Response {
    Json(sim.stats()).into_response()
}

async fn reset_stats(State(sim): State<Simulator>) -> StatusCode {
    sim.reset_stats();
    StatusCode::NO_CONTENT
}

/// `PUT /_sim/instances/{id}`, optionally with `{"identityType": "CONNECT_MANAGED"}`:
/// adds a freshly seeded instance (of the configured type by default) for
/// clients outside the process, and describes it.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewInstance {
    identity_type: Option<String>,
}

async fn add_instance(State(sim): State<Simulator>, Path(instance): Path<String>, bytes: Bytes) -> Answer {
    let new: NewInstance = body(&bytes)?;
    if instance.is_empty() || instance.len() > 100 {
        return Err(ConnectError::invalid("An instance id has 1 to 100 characters"));
    }
    match new.identity_type {
        Some(kind) => {
            let kind: IdentityType = kind.parse().map_err(|e| ConnectError::invalid(format!("{e}")))?;
            sim.add_instance_of(&instance, kind);
        }
        None => sim.add_instance(&instance),
    }
    let instance = sim.world(|w| w.describe_instance(&instance))?;
    ok_json(&DescribeInstanceResponse { instance })
}

/// Runtime knobs: `PUT /_sim/settings` with any of these members.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Settings {
    rate: Option<f64>,
    burst: Option<u32>,
    error_rate: Option<f64>,
    lost_response_rate: Option<f64>,
    latency_ms: Option<u64>,
    search_lag_ms: Option<u64>,
}

async fn settings(State(sim): State<Simulator>) -> Response {
    let (quota, faults) = sim.settings();
    Json(Settings {
        rate: Some(quota.rate),
        burst: Some(quota.burst),
        error_rate: Some(faults.error_rate),
        lost_response_rate: Some(faults.lost_response_rate),
        latency_ms: Some(u64::try_from(faults.latency.as_millis()).unwrap_or(u64::MAX)),
        search_lag_ms: Some(u64::try_from(sim.search_lag().as_millis()).unwrap_or(u64::MAX)),
    })
    .into_response()
}

async fn update_settings(State(sim): State<Simulator>, bytes: Bytes) -> Answer {
    let new: Settings = body(&bytes)?;
    let (quota, faults) = sim.settings();
    let quota = Quota {
        rate: new.rate.unwrap_or(quota.rate),
        burst: new.burst.unwrap_or(quota.burst),
    };
    let faults = Faults {
        error_rate: new.error_rate.unwrap_or(faults.error_rate),
        lost_response_rate: new.lost_response_rate.unwrap_or(faults.lost_response_rate),
        latency: new
            .latency_ms
            .map_or(faults.latency, std::time::Duration::from_millis),
        seed: faults.seed,
    };
    let valid = quota.rate.is_finite()
        && quota.rate >= 0.0
        && (quota.burst >= 1 || quota.rate == 0.0)
        && (0.0..=1.0).contains(&faults.error_rate)
        && (0.0..=1.0).contains(&faults.lost_response_rate)
        && new.search_lag_ms.is_none_or(|lag| lag <= 3_600_000);
    if !valid {
        return Err(ConnectError::invalid(
            "rate must be >= 0, burst >= 1, errorRate within 0..1, searchLagMs at most 3600000",
        ));
    }
    sim.set_quota(quota);
    sim.set_faults(faults);
    if let Some(lag) = new.search_lag_ms {
        sim.set_search_lag(std::time::Duration::from_millis(lag));
    }
    Ok(settings(State(sim)).await)
}
