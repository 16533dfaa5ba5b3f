//! The SCIM protocol surface, driven through the Router with an in-memory
//! directory twin: authentication, media types, error bodies, discovery.
//! (Connect-backed behaviour is tested in connect-directory's tests.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use scim_core::{Auth, BearerToken, DeprovisionMode, MemoryDirectory, ServerConfig};
use serde_json::{Value, json};
use tower::ServiceExt;

const TOKEN: &str = "local-token";

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

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, headers, body)
}

fn request(method: &str, uri: &str, content_type: Option<&str>, body: &str) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(Body::from(body.to_owned())).unwrap()
}

fn assert_error(
    status: StatusCode,
    headers: &axum::http::HeaderMap,
    body: &Value,
    expected: u16,
    scim_type: Option<&str>,
) {
    assert_eq!(status.as_u16(), expected, "{body}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/scim+json");
    assert_eq!(
        body["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );
    assert_eq!(body["status"], expected.to_string());
    assert_eq!(body["scimType"].as_str(), scim_type);
}

#[tokio::test]
async fn the_bearer_token_is_required() {
    let app = app();
    for auth in [None, Some("Bearer wrong"), Some("Basic bG9jYWw="), Some("Bearer")] {
        let mut builder = Request::builder().uri("/scim/v2/Users");
        if let Some(a) = auth {
            builder = builder.header(header::AUTHORIZATION, a);
        }
        let (status, headers, body) = send(&app, builder.body(Body::empty()).unwrap()).await;
        assert_error(status, &headers, &body, 401, None);
        assert!(headers.contains_key(header::WWW_AUTHENTICATE));
        assert!(!body.to_string().contains(TOKEN));
    }
    let (status, _, _) = send(&app, request("GET", "/scim/v2/Users", None, "")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn both_json_media_types_are_accepted_and_others_refused() {
    let app = app();
    let body = r#"{"userName":"a@example.com"}"#;
    for (i, ct) in [
        "application/scim+json",
        "application/json; charset=utf-8",
        "APPLICATION/SCIM+JSON",
    ]
    .into_iter()
    .enumerate()
    {
        let user = body.replace("a@", &format!("u{i}@"));
        let (status, headers, _) = send(&app, request("POST", "/scim/v2/Users", Some(ct), &user)).await;
        assert_eq!(status, StatusCode::CREATED, "{ct}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/scim+json");
    }
    let (status, headers, body) =
        send(&app, request("POST", "/scim/v2/Users", Some("text/plain"), body)).await;
    assert_error(status, &headers, &body, 415, None);
}

#[tokio::test]
async fn malformed_bodies_are_scim_errors() {
    let app = app();
    let cases = [
        ("{not json", 400, Some("invalidSyntax")),
        ("[]", 400, Some("invalidSyntax")),
        (r#"{"not":"a scim resource"}"#, 400, Some("invalidValue")),
        (r#"{"userName": 7}"#, 400, Some("invalidValue")),
        (
            r#"{"userName": "a", "active": "perhaps"}"#,
            400,
            Some("invalidValue"),
        ),
        (
            &format!("{}1{}", "[".repeat(200), "]".repeat(200)),
            400,
            Some("invalidSyntax"),
        ),
    ];
    for (body, expected, scim_type) in cases {
        let (status, headers, answer) = send(
            &app,
            request("POST", "/scim/v2/Users", Some("application/scim+json"), body),
        )
        .await;
        assert_error(status, &headers, &answer, expected, scim_type);
    }
    let huge = format!(
        r#"{{"userName":"a","displayName":"{}"}}"#,
        "x".repeat(scim_core::http::MAX_BODY_BYTES)
    );
    let (status, headers, answer) = send(
        &app,
        request("POST", "/scim/v2/Users", Some("application/json"), &huge),
    )
    .await;
    assert_error(status, &headers, &answer, 413, None);
}

#[tokio::test]
async fn filters_and_paging_parameters_are_checked() {
    let app = app();
    let (status, headers, body) = send(
        &app,
        request("GET", "/scim/v2/Users?filter=title%20eq%20%22x%22", None, ""),
    )
    .await;
    assert_error(status, &headers, &body, 400, Some("invalidFilter"));
    assert!(body["detail"].as_str().unwrap().contains("userName eq"));
    let (status, headers, body) = send(&app, request("GET", "/scim/v2/Users?count=lots", None, "")).await;
    assert_error(status, &headers, &body, 400, Some("invalidValue"));
    let (status, _, body) = send(
        &app,
        request("GET", "/scim/v2/Users?startIndex=-4&count=-1", None, ""),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (body["startIndex"].clone(), body["Resources"].clone()),
        (json!(1), json!([]))
    );
}

#[tokio::test]
async fn unknown_endpoints_and_methods() {
    let app = app();
    let (status, headers, body) = send(&app, request("GET", "/scim/v2/Nope", None, "")).await;
    assert_error(status, &headers, &body, 404, None);
    let (status, headers, body) = send(&app, request("GET", "/elsewhere", None, "")).await;
    assert_error(status, &headers, &body, 404, None);
    for path in [
        "/scim/v2/ServiceProviderConfig",
        "/scim/v2/Schemas",
        "/scim/v2/ResourceTypes",
    ] {
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            let (status, headers, body) = send(&app, request(method, path, None, "")).await;
            assert_error(status, &headers, &body, 405, None);
        }
    }
    let (status, headers, body) = send(&app, request("GET", "/scim/v2/Users/id-404", None, "")).await;
    assert_error(status, &headers, &body, 404, None);
}

#[tokio::test]
async fn discovery_publishes_what_is_supported() {
    let app = app();
    let (_, _, spc) = send(&app, request("GET", "/scim/v2/ServiceProviderConfig", None, "")).await;
    assert_eq!(spc["patch"]["supported"], true);
    assert_eq!(spc["bulk"]["supported"], false);
    assert_eq!(spc["filter"]["maxResults"], 100);
    let (_, _, types) = send(&app, request("GET", "/scim/v2/ResourceTypes", None, "")).await;
    assert_eq!(types["Resources"][0]["endpoint"], "/Users");
    let (status, _, user) = send(
        &app,
        request(
            "GET",
            "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
            None,
            "",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = user["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "userName",
            "name",
            "displayName",
            "emails",
            "password",
            "groups",
            "active"
        ]
    );
    assert_eq!(user["attributes"][4]["mutability"], "writeOnly");
    assert_eq!(user["attributes"][4]["returned"], "never");
    assert_eq!(user["attributes"][5]["mutability"], "readOnly");
    assert_eq!(types["Resources"][1]["endpoint"], "/Groups");
    let (status, _, group) = send(
        &app,
        request(
            "GET",
            "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group",
            None,
            "",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(group["attributes"][0]["name"], "displayName");
    assert_eq!(group["attributes"][1]["name"], "members");
    assert_eq!(user["attributes"][0]["mutability"], "immutable");
    let (status, headers, body) = send(&app, request("GET", "/scim/v2/Schemas/urn:nope", None, "")).await;
    assert_error(status, &headers, &body, 404, None);
}

#[tokio::test]
async fn delete_mode_create_of_an_inactive_user_leaves_nothing() {
    let app = app();
    let (status, _, body) = send(
        &app,
        request(
            "POST",
            "/scim/v2/Users",
            Some("application/scim+json"),
            r#"{"userName":"x","active":false}"#,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["active"], false);
    let (_, _, list) = send(&app, request("GET", "/scim/v2/Users", None, "")).await;
    assert_eq!(list["totalResults"], 0);
}

#[tokio::test]
async fn etags_and_preconditions() {
    let app = app();
    let (_, headers, created) = send(
        &app,
        request(
            "POST",
            "/scim/v2/Users",
            Some("application/scim+json"),
            r#"{"userName":"e"}"#,
        ),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    let version = created["meta"]["version"].as_str().unwrap().to_owned();
    assert_eq!(headers[header::ETAG], version.as_str());
    let uri = format!("/scim/v2/Users/{id}");

    let mut conditional = request("GET", &uri, None, "");
    conditional
        .headers_mut()
        .insert(header::IF_NONE_MATCH, version.parse().unwrap());
    let (status, headers, _) = send(&app, conditional).await;
    assert_eq!(
        (status, headers[header::ETAG].to_str().unwrap()),
        (StatusCode::NOT_MODIFIED, version.as_str())
    );

    for (if_match, expected) in [
        (r#"W/"0000000000000000""#, 412),
        (version.as_str(), 200),
        ("*", 200),
    ] {
        let mut put = request(
            "PUT",
            &uri,
            Some("application/scim+json"),
            r#"{"userName":"e","displayName":"x"}"#,
        );
        put.headers_mut()
            .insert(header::IF_MATCH, if_match.parse().unwrap());
        let (status, headers, body) = send(&app, put).await;
        if expected == 412 {
            assert_error(status, &headers, &body, 412, None);
        } else {
            assert_eq!(status.as_u16(), expected, "{if_match}: {body}");
        }
    }
    let (_, _, spc) = send(&app, request("GET", "/scim/v2/ServiceProviderConfig", None, "")).await;
    assert_eq!(spc["etag"]["supported"], true);
}
