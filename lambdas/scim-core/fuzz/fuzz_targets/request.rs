//! Request decoding through the whole Router (authentication, media types,
//! bodies, query strings, ids, filters, PATCH) over an in-memory directory:
//! no input makes it panic or answer 5xx, and every refusal is a SCIM Error.
//!
//! Input layout: first byte picks the method, then the request target up to
//! the first newline, the Content-Type up to the next, then the body.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use libfuzzer_sys::fuzz_target;
use scim_core::{
    Auth, BearerToken, DeprovisionMode, Directory, Group, MemberChange, MemoryDirectory, ServerConfig, User,
    UserId, UserName,
};
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "fuzz-token";
const METHODS: [&str; 6] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().build().unwrap())
}

/// A fresh Router per input, over a directory holding three users
/// (`id-0` … `id-2`) and a group, so reads, updates and deletes of existing
/// resources are reached and every input behaves the same whenever it is
/// replayed.
async fn router() -> Router {
    let directory = MemoryDirectory::new();
    for name in ["ann@example.com", "bob@example.com", "cid@example.com"] {
        let mut user = User::new(UserName::new(name).unwrap());
        user.given_name = Some("Seed".into());
        user.family_name = Some("User".into());
        directory.create_user(&user).await.unwrap();
    }
    // One group (`group-0`) holding `id-0`, so group reads and PATCHes of
    // existing members are reached too.
    let group = Group {
        display_name: "Sales".into(),
        external_id: None,
    };
    let group = directory.create_group(&group).await.unwrap();
    let change = MemberChange {
        add: vec![UserId::new("id-0")],
        remove: Vec::new(),
    };
    directory.change_members(&group, &change).await.unwrap();
    scim_core::app(
        Arc::new(directory),
        ServerConfig {
            auth: Auth::Bearer(BearerToken::new(TOKEN).unwrap()),
            deprovision: DeprovisionMode::Delete,
            base_url: None,
        },
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(3, |b| *b == b'\n');
    let target = parts.next().unwrap_or_default();
    let content_type = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default().to_vec();
    let Ok(target) = std::str::from_utf8(target) else {
        return;
    };
    let uri = format!("/scim/v2/{}", target.trim_start_matches('/'));
    let mut builder = Request::builder()
        .method(METHODS[usize::from(selector) % METHODS.len()])
        .uri(uri.as_str());
    // Every eighth input goes without the token, to keep the 401 path in play.
    if selector % 8 != 7 {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    }
    if !content_type.is_empty() {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    // Inputs that are not a valid request line are the HTTP layer's to refuse.
    let Ok(request) = builder.body(Body::from(body)) else {
        return;
    };
    runtime().block_on(async {
        let response = router().await.oneshot(request).await.unwrap();
        let status = response.status();
        assert!(!status.is_server_error(), "{uri}: {status}");
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        if status.is_client_error() {
            let error: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(
                error["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
                "{uri}: {error}"
            );
            assert_eq!(error["status"], status.as_str(), "{uri}: {error}");
        }
    });
});
