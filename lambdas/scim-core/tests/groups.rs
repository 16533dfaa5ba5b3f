//! `/Groups` through the Router over the in-memory twin: the shapes Entra
//! ID and Okta send, and the answers they expect. (Groups as Connect
//! security profiles are tested in connect-directory's tests.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use scim_core::{Auth, BearerToken, DeprovisionMode, MemoryDirectory, ServerConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "local-token";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn app() -> Router {
    scim_core::app(
        Arc::new(MemoryDirectory::new()),
        ServerConfig {
            auth: Auth::Bearer(BearerToken::new(TOKEN).unwrap()),
            deprovision: DeprovisionMode::Delete,
            base_url: None,
        },
    )
}

/// Sends a request; the body is `Value::Null` when empty.
async fn send(app: &Router, method: &str, uri: &str, body: Option<Value>) -> (u16, Value) {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    if body.is_some() {
        builder = builder.header(header::CONTENT_TYPE, "application/scim+json");
    }
    let request = builder
        .body(Body::from(body.map(|b| b.to_string()).unwrap_or_default()))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn user(app: &Router, name: &str) -> String {
    let (status, body) = send(app, "POST", "/scim/v2/Users", Some(json!({"userName": name}))).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

fn patch(ops: Value) -> Option<Value> {
    Some(json!({"schemas": [PATCH_OP], "Operations": ops}))
}

fn member_ids(group: &Value) -> Vec<String> {
    let mut ids: Vec<String> = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn entra_creates_finds_and_fills_a_group() {
    let app = app();
    let (ann, bob) = (user(&app, "ann").await, user(&app, "bob").await);
    let lookup = "/scim/v2/Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22";
    let (status, found) = send(&app, "GET", lookup, None).await;
    assert_eq!((status, found["totalResults"].as_u64()), (200, Some(0)));

    let (status, created) = send(
        &app,
        "POST",
        "/scim/v2/Groups",
        Some(json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                        "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
            "externalId": "8aa1a0c0", "displayName": "Sales", "meta": {"resourceType": "Group"},
        })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["members"], json!([]));
    assert_eq!(created["externalId"], "8aa1a0c0");
    let id = created["id"].as_str().unwrap().to_owned();
    let uri = format!("/scim/v2/Groups/{id}");

    let (_, found) = send(&app, "GET", &lookup.replace("Sales", "sales"), None).await;
    assert_eq!(found["totalResults"], 1);
    assert!(found["Resources"][0].get("members").is_none(), "{found}");

    let add = patch(json!([{"op": "Add", "path": "members", "value": [
        {"$ref": null, "value": ann}, {"$ref": null, "value": bob}]}]));
    let (status, body) = send(&app, "PATCH", &uri, add).await;
    assert_eq!((status, body), (204, Value::Null));
    let (_, group) = send(&app, "GET", &uri, None).await;
    assert_eq!(member_ids(&group), {
        let mut v = vec![ann.clone(), bob.clone()];
        v.sort();
        v
    });
    assert_eq!(group["members"][0]["type"], "User");

    // Flag-off removal (values listed), then flag-on (a value filter).
    let remove = patch(json!([{"op": "Remove", "path": "members", "value": [{"value": ann}]}]));
    assert_eq!(send(&app, "PATCH", &uri, remove.clone()).await.0, 204);
    assert_eq!(
        send(&app, "PATCH", &uri, remove).await.0,
        204,
        "removing a non-member"
    );
    let (_, got) = send(&app, "GET", &format!("/scim/v2/Users/{bob}"), None).await;
    assert_eq!(got["groups"][0]["value"], id.as_str());
    assert_eq!(got["groups"][0]["display"], "Sales");
    let flag_on = patch(json!([{"op": "remove", "path": format!("members[value eq \"{bob}\"]")}]));
    assert_eq!(send(&app, "PATCH", &uri, flag_on).await.0, 204);
    let (_, group) = send(&app, "GET", &uri, None).await;
    assert_eq!(group["members"], json!([]));

    assert_eq!(send(&app, "DELETE", &uri, None).await.0, 204);
    assert_eq!(send(&app, "GET", &uri, None).await.0, 404);
}

#[tokio::test]
async fn okta_push_renames_replaces_and_links() {
    let app = app();
    let (ann, bob) = (user(&app, "ann").await, user(&app, "bob").await);
    let (status, created) = send(&app, "POST", "/scim/v2/Groups", Some(json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Test SCIMv2", "members": []}))).await;
    assert_eq!(status, 201);
    let id = created["id"].as_str().unwrap().to_owned();
    let uri = format!("/scim/v2/Groups/{id}");

    // The name update sent with every membership change: same name, no change.
    let same = patch(json!([{"op": "replace", "value": {"id": id, "displayName": "Test SCIMv2"}}]));
    assert_eq!(send(&app, "PATCH", &uri, same).await.0, 204);
    let rename = patch(json!([{"op": "replace", "value": {"id": id, "displayName": "Renamed"}}]));
    let (status, err) = send(&app, "PATCH", &uri, rename).await;
    assert_eq!(
        (status, err["scimType"].as_str()),
        (400, Some("mutability")),
        "{err}"
    );
    assert_eq!(err["status"], "400");

    let combined = patch(json!([
        {"op": "remove", "path": format!("members[value eq \"{bob}\"]")},
        {"op": "add", "path": "members", "value": [{"value": ann, "display": "ann"}]},
    ]));
    assert_eq!(send(&app, "PATCH", &uri, combined).await.0, 204);
    let full_push = patch(json!([{"op": "replace", "path": "members", "value": [{"value": bob}]}]));
    let (status, group) = send(&app, "PATCH", &format!("{uri}?attributes=members"), full_push).await;
    assert_eq!(status, 200, "attributes asks for the group back");
    assert_eq!(member_ids(&group), vec![bob.clone()]);

    // The AIW PUT: whole group, members replaced; a new name is refused.
    let (status, put) = send(
        &app,
        "PUT",
        &uri,
        Some(json!({"displayName": "Test SCIMv2", "members": [{"value": ann}]})),
    )
    .await;
    assert_eq!((status, member_ids(&put)), (200, vec![ann.clone()]));
    let (status, _) = send(&app, "PUT", &uri, Some(json!({"displayName": "Other"}))).await;
    assert_eq!(status, 400);

    // A POST of an existing name (any case) links to it.
    let (status, linked) = send(
        &app,
        "POST",
        "/scim/v2/Groups",
        Some(json!({"displayName": "test scimv2"})),
    )
    .await;
    assert_eq!((status, linked["id"].as_str()), (201, Some(id.as_str())));
    assert_eq!(member_ids(&linked), vec![ann.clone()]);

    // Import paging.
    let (_, page) = send(&app, "GET", "/scim/v2/Groups?startIndex=1&count=100", None).await;
    assert_eq!(
        (page["totalResults"].as_u64(), page["itemsPerPage"].as_u64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn bad_group_requests_are_scim_errors() {
    let app = app();
    let (_, created) = send(&app, "POST", "/scim/v2/Groups", Some(json!({"displayName": "G"}))).await;
    let uri = format!("/scim/v2/Groups/{}", created["id"].as_str().unwrap());
    let unknown_member = patch(json!([{"op": "add", "path": "members", "value": [{"value": "nobody"}]}]));
    for (method, uri, body, status, scim_type) in [
        (
            "POST",
            "/scim/v2/Groups",
            Some(json!({})),
            400,
            Some("invalidValue"),
        ),
        (
            "POST",
            "/scim/v2/Groups",
            Some(json!({"displayName": "x", "members": [{"value": "nobody"}]})),
            400,
            Some("invalidValue"),
        ),
        ("PATCH", uri.as_str(), unknown_member, 400, Some("invalidValue")),
        (
            "PATCH",
            uri.as_str(),
            patch(json!([{"op": "add", "path": "nickName", "value": "x"}])),
            400,
            Some("invalidPath"),
        ),
        (
            "PATCH",
            uri.as_str(),
            patch(json!([{"op": "remove", "path": "displayName"}])),
            400,
            Some("mutability"),
        ),
        (
            "GET",
            "/scim/v2/Groups?filter=members.value+eq+%22x%22",
            None,
            400,
            Some("invalidFilter"),
        ),
        ("GET", "/scim/v2/Groups/missing", None, 404, None),
        (
            "PATCH",
            "/scim/v2/Groups/missing",
            patch(json!([{"op": "add", "path": "members", "value": []}])),
            404,
            None,
        ),
        ("DELETE", "/scim/v2/Groups/missing", None, 404, None),
    ] {
        let (got, body) = send(&app, method, uri, body).await;
        assert_eq!(got, status, "{method} {uri}: {body}");
        assert_eq!(body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error");
        assert_eq!(body["status"], status.to_string());
        assert_eq!(body["scimType"].as_str(), scim_type, "{method} {uri}: {body}");
    }
}
