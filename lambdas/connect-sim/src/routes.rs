//! Connect's REST routes: method + path per operation, as in the service
//! model, with the member its answer travels in. Every operation takes the
//! same path through the simulator: read the request, pass the gate (call
//! count, latency, quota, injected faults), run on the state, answer. The
//! builders below are that path, one per kind of operation; the table in
//! [`router`] binds each Connect operation to one of them.

use std::collections::BTreeMap;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde::ser::{SerializeStruct, Serializer};

use crate::Simulator;
use crate::control;
use crate::error::ConnectError;
use crate::tokens::{self, Page, PageRequest, SearchPaging};
use crate::users::UserChange;
use crate::wire::*;
use crate::world::{NamedKind, World};

mod routing;

pub(crate) type Answer = Result<Response, ConnectError>;

pub(crate) fn router(sim: Simulator) -> Router {
    let groups: [fn(Router<Simulator>) -> Router<Simulator>; 7] = [
        users,
        user_updates,
        profiles_and_groups,
        quick_connects,
        instances_and_tags,
        routing::routes,
        control::routes,
    ];
    groups
        .into_iter()
        .fold(Router::new(), |router, add| add(router))
        .fallback(unknown_operation)
        .method_not_allowed_fallback(unknown_operation)
        .with_state(sim)
}

fn users(router: Router<Simulator>) -> Router<Simulator> {
    router
        .route("/users/{instance}", create("CreateUser", World::create_user))
        .route(
            "/users/{instance}/{user}",
            describe("DescribeUser", "User", World::describe_user)
                .merge(remove("DeleteUser", World::delete_user)),
        )
        .route(
            "/users-summary/{instance}",
            list("ListUsers", "UserSummaryList", |w, instance, page, _| {
                w.list_users(instance, page)
            }),
        )
        .route(
            "/search-users",
            search("SearchUsers", "Users", World::search_users),
        )
}

/// Security profiles, routing profiles and user hierarchy groups.
fn profiles_and_groups(router: Router<Simulator>) -> Router<Simulator> {
    router
        .route(
            "/security-profiles/{instance}",
            create("CreateSecurityProfile", World::create_security_profile),
        )
        .route(
            "/search-security-profiles",
            search(
                "SearchSecurityProfiles",
                "SecurityProfiles",
                World::search_security_profiles,
            ),
        )
        .route(
            "/search-user-hierarchy-groups",
            search(
                "SearchUserHierarchyGroups",
                "UserHierarchyGroups",
                World::search_hierarchy_groups,
            ),
        )
        .route(
            "/security-profiles/{instance}/{profile}",
            describe(
                "DescribeSecurityProfile",
                "SecurityProfile",
                World::describe_security_profile,
            )
            .merge(remove("DeleteSecurityProfile", World::delete_security_profile)),
        )
        .route(
            "/security-profiles-summary/{instance}",
            list_named(
                "ListSecurityProfiles",
                "SecurityProfileSummaryList",
                NamedKind::SecurityProfile,
            ),
        )
        .route(
            "/routing-profiles-summary/{instance}",
            list_named(
                "ListRoutingProfiles",
                "RoutingProfileSummaryList",
                NamedKind::RoutingProfile,
            ),
        )
        .route(
            "/user-hierarchy-groups/{instance}",
            create("CreateUserHierarchyGroup", World::create_hierarchy_group),
        )
        .route(
            "/user-hierarchy-groups/{instance}/{group}",
            describe(
                "DescribeUserHierarchyGroup",
                "HierarchyGroup",
                World::describe_hierarchy_group,
            ),
        )
        .route(
            "/user-hierarchy-groups-summary/{instance}",
            list_named(
                "ListUserHierarchyGroups",
                "UserHierarchyGroupSummaryList",
                NamedKind::HierarchyGroup,
            ),
        )
}

fn quick_connects(router: Router<Simulator>) -> Router<Simulator> {
    router
        .route(
            "/quick-connects/{instance}",
            create("CreateQuickConnect", World::create_quick_connect).merge(list(
                "ListQuickConnects",
                "QuickConnectSummaryList",
                |w, instance, page, q| w.list_quick_connects(instance, &query(q, "QuickConnectTypes"), page),
            )),
        )
        .route(
            "/quick-connects/{instance}/{quick_connect}",
            describe(
                "DescribeQuickConnect",
                "QuickConnect",
                World::describe_quick_connect,
            )
            .merge(remove("DeleteQuickConnect", World::delete_quick_connect)),
        )
        .route(
            "/search-quick-connects",
            search(
                "SearchQuickConnects",
                "QuickConnects",
                World::search_quick_connects,
            ),
        )
}

fn instances_and_tags(router: Router<Simulator>) -> Router<Simulator> {
    router
        .route("/instance/{instance}", get(describe_instance))
        .route(
            "/tags/{arn}",
            get(list_tags_for_resource)
                .post(tag_resource)
                .delete(untag_resource),
        )
}

/// UpdateUser*: `POST /users/{instance}/{user}/<part>`, one per part of a
/// user that changes on its own.
fn user_updates(mut router: Router<Simulator>) -> Router<Simulator> {
    let updates = [
        (
            "identity-info",
            update_user("UpdateUserIdentityInfo", UserChange::IdentityInfo),
        ),
        (
            "security-profiles",
            update_user("UpdateUserSecurityProfiles", UserChange::SecurityProfiles),
        ),
        (
            "routing-profile",
            update_user("UpdateUserRoutingProfile", UserChange::RoutingProfile),
        ),
        (
            "phone-config",
            update_user("UpdateUserPhoneConfig", UserChange::PhoneConfig),
        ),
        (
            "hierarchy",
            update_user("UpdateUserHierarchy", UserChange::Hierarchy),
        ),
    ];
    for (part, route) in updates {
        router = router.route(&format!("/users/{{instance}}/{{user}}/{part}"), route);
    }
    router
}

async fn unknown_operation() -> ConnectError {
    ConnectError::UnknownOperation("No operation is bound to this method and path".to_owned())
}

/// Create*: `PUT …/{instance}` with the request in the body; answers what
/// the operation returns (the new resource's id and ARN).
fn create<Req, Resp>(
    operation: &'static str,
    run: fn(&mut World, &str, Req) -> Result<Resp, ConnectError>,
) -> MethodRouter<Simulator>
where
    Req: DeserializeOwned + 'static,
    Resp: Serialize + 'static,
{
    put(
        move |State(sim): State<Simulator>, Path(instance): Path<String>, bytes: Bytes| async move {
            let created = sim.write(operation, |w| run(w, &instance, body(&bytes)?)).await?;
            ok_json(&created)
        },
    )
}

/// Describe*: `GET …/{instance}/{id}`; answers the resource under `member`.
fn describe<T: Serialize + 'static>(
    operation: &'static str,
    member: &'static str,
    run: fn(&World, &str, &str) -> Result<T, ConnectError>,
) -> MethodRouter<Simulator> {
    get(
        move |State(sim): State<Simulator>, Path((instance, id)): Path<(String, String)>| async move {
            let found = sim.read(operation, |w| run(w, &instance, &id)).await?;
            ok_member(member, &found)
        },
    )
}

/// Delete*: `DELETE …/{instance}/{id}`; answers an empty 200.
fn remove(
    operation: &'static str,
    run: fn(&mut World, &str, &str) -> Result<(), ConnectError>,
) -> MethodRouter<Simulator> {
    delete(
        move |State(sim): State<Simulator>, Path((instance, id)): Path<(String, String)>| async move {
            sim.write(operation, |w| run(w, &instance, &id)).await?;
            ok_empty()
        },
    )
}

/// UpdateUser*: `POST /users/{instance}/{user}/…` with the request in the
/// body, which `change` reads; answers an empty 200.
fn update_user<Req: DeserializeOwned + 'static>(
    operation: &'static str,
    change: fn(Req) -> UserChange,
) -> MethodRouter<Simulator> {
    post(
        move |State(sim): State<Simulator>, Path((instance, user)): Path<(String, String)>, bytes: Bytes| async move {
            sim.write(operation, |w| {
                w.update_user(&instance, &user, change(body(&bytes)?))
            })
            .await?;
            ok_empty()
        },
    )
}

/// What a List* operation runs: the instance, the paging members (bound to
/// the query string) and the raw query string for its own members.
trait ListFn<T>:
    Fn(&World, &str, &PageRequest, Option<&str>) -> Result<Page<T>, ConnectError> + Clone + Send + Sync + 'static
{
}

impl<T, F> ListFn<T> for F where
    F: Fn(&World, &str, &PageRequest, Option<&str>) -> Result<Page<T>, ConnectError>
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// List*: `GET …/{instance}?maxResults=…&nextToken=…`; answers one page.
fn list<T: Serialize + 'static>(
    operation: &'static str,
    member: &'static str,
    run: impl ListFn<T>,
) -> MethodRouter<Simulator> {
    list_answering(operation, member, run, ok_page)
}

/// ListSecurityProfiles, ListRoutingProfiles, ListUserHierarchyGroups. These
/// three have always answered with members in name order (`NextToken`
/// first, each summary's members alphabetically), as a JSON map orders
/// them; kept so, byte for byte.
fn list_named(operation: &'static str, member: &'static str, kind: NamedKind) -> MethodRouter<Simulator> {
    let run = move |w: &World, instance: &str, page: &PageRequest, _: Option<&str>| {
        w.list_named(instance, kind, page)
    };
    list_answering(operation, member, run, |member, page| {
        ok_json(&serde_json::to_value(Paged { member, page }).unwrap_or_default())
    })
}

fn list_answering<T: Serialize + 'static>(
    operation: &'static str,
    member: &'static str,
    run: impl ListFn<T>,
    answer: fn(&'static str, Page<T>) -> Answer,
) -> MethodRouter<Simulator> {
    get(
        move |State(sim): State<Simulator>, Path(instance): Path<String>, RawQuery(q): RawQuery| async move {
            let q = q.as_deref();
            let page = sim
                .read(operation, |w| {
                    run(w, &instance, &list_page(operation, &instance, q)?, q)
                })
                .await?;
            answer(member, page)
        },
    )
}

/// Search*: `POST /search-…` with the request (instance id included) in the
/// body; answers one page, bound to the body's query members.
fn search<Req, T>(
    operation: &'static str,
    member: &'static str,
    run: fn(&mut World, Req, PageRequest) -> Result<Page<T>, ConnectError>,
) -> MethodRouter<Simulator>
where
    Req: DeserializeOwned + SearchPaging + 'static,
    T: Serialize + 'static,
{
    post(move |State(sim): State<Simulator>, bytes: Bytes| async move {
        let page = sim
            .read(operation, |w| {
                let request: Req = body(&bytes)?;
                let page = request.page(operation, tokens::query_of_body(&bytes));
                run(w, request, page)
            })
            .await?;
        ok_page(member, page)
    })
}

/// `DescribeInstance`, whose model declares InvalidRequestException (not
/// InvalidParameterException) for malformed input.
async fn describe_instance(State(sim): State<Simulator>, Path(instance): Path<String>) -> Answer {
    let described = sim
        .read("DescribeInstance", |w| {
            w.describe_instance(&instance)
                .map_err(ConnectError::into_invalid_request)
        })
        .await?;
    ok_member("Instance", &described)
}

async fn tag_resource(State(sim): State<Simulator>, Path(arn): Path<String>, bytes: Bytes) -> Answer {
    sim.write("TagResource", |w| {
        let request: TagResourceRequest = body(&bytes)?;
        w.tag_resource(&arn, request.tags)
    })
    .await?;
    ok_empty()
}

async fn untag_resource(
    State(sim): State<Simulator>,
    Path(arn): Path<String>,
    RawQuery(q): RawQuery,
) -> Answer {
    let keys = query(q.as_deref(), "tagKeys");
    sim.write("UntagResource", |w| w.untag_resource(&arn, &keys))
        .await?;
    ok_empty()
}

async fn list_tags_for_resource(State(sim): State<Simulator>, Path(arn): Path<String>) -> Answer {
    let tags = sim.read("ListTagsForResource", |w| w.list_tags(&arn)).await?;
    ok_member("tags", &tags)
}

/// Reads a JSON body; an empty body is an empty structure, as the SDKs
/// treat it, and anything unreadable is an InvalidRequestException.
pub(crate) fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ConnectError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(bytes)
        .map_err(|e| ConnectError::InvalidRequest(format!("The request body could not be read: {e}")))
}

/// Every value of the query-string member `name`.
fn query(raw: Option<&str>, name: &str) -> Vec<String> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect()
}

/// The paging members of a List* call, bound to its query.
fn list_page(
    operation: &'static str,
    instance: &str,
    raw: Option<&str>,
) -> Result<PageRequest, ConnectError> {
    let max_results = query(raw, "maxResults")
        .first()
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| ConnectError::invalid("maxResults must be an integer"))
        })
        .transpose()?;
    Ok(PageRequest {
        operation,
        query: tokens::query_of_list(instance, raw),
        next_token: query(raw, "nextToken").pop(),
        max_results,
    })
}

fn ok_json<T: Serialize>(value: &T) -> Answer {
    Ok(Json(value).into_response())
}

fn ok_empty() -> Answer {
    Ok(StatusCode::OK.into_response())
}

/// `{"<member>": value}`: a Describe* answer, or ListTagsForResource's.
pub(crate) fn ok_member<T: Serialize>(member: &'static str, value: &T) -> Answer {
    ok_json(&BTreeMap::from([(member, value)]))
}

fn ok_page<T: Serialize>(member: &'static str, page: Page<T>) -> Answer {
    ok_json(&Paged { member, page })
}

/// A page on the wire: its items under `member`, then `NextToken` while
/// more remain, then (Search* only) `ApproximateTotalCount`.
struct Paged<T> {
    member: &'static str,
    page: Page<T>,
}

impl<T: Serialize> Serialize for Paged<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Page", 3)?;
        out.serialize_field(self.member, &self.page.items)?;
        if let Some(token) = &self.page.next_token {
            out.serialize_field("NextToken", token)?;
        }
        if let Some(total) = self.page.approximate_total_count {
            out.serialize_field("ApproximateTotalCount", &total)?;
        }
        out.end()
    }
}
