//! The whole stack for tests: the real Router and Connect adapter, the real
//! SDK client, and a simulator on a loopback port.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use connect_directory::{ConnectDirectory, ConnectSettings, Pace};
use connect_sim::{
    DEFAULT_INSTANCE_ID as INSTANCE, IdentityType, NamedKind, RunningSimulator, SimConfig, Stats,
};
use scim_core::{Auth, BearerToken, DeprovisionMode, ServerConfig};
use serde_json::Value;
use tower::ServiceExt;

pub const TOKEN: &str = "test-token-0123456789";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The search index lag every stack runs with, so the adapter's
/// read-your-writes paths are exercised, not just written.
pub const SEARCH_LAG: std::time::Duration = std::time::Duration::from_millis(1000);

pub struct Stack {
    pub running: RunningSimulator,
    pub app: Router,
    /// The instance the adapter provisions into.
    pub instance: String,
}

pub async fn stack(mode: DeprovisionMode) -> Stack {
    stack_with(mode, |_| {}).await
}

/// A stack whose adapter settings `configure` adjusts.
pub async fn stack_with(mode: DeprovisionMode, configure: impl FnOnce(&mut ConnectSettings)) -> Stack {
    stack_on(IdentityType::Saml, mode, configure).await
}

/// A stack over an instance of the given identity management type (the
/// simulator's default instance is SAML; others get their own instance).
pub async fn stack_on(
    identity: IdentityType,
    mode: DeprovisionMode,
    configure: impl FnOnce(&mut ConnectSettings),
) -> Stack {
    let config = SimConfig {
        search_lag: SEARCH_LAG,
        ..SimConfig::unthrottled()
    };
    let running = connect_sim::spawn(&config, "127.0.0.1:0").await.unwrap();
    let instance = match identity {
        IdentityType::Saml => INSTANCE.to_owned(),
        other => {
            let id = "11111111-2222-4333-8444-555555555555".to_owned();
            running.sim.add_instance_of(&id, other);
            id
        }
    };
    running
        .sim
        .add_named(&instance, NamedKind::SecurityProfile, "SCIM-Disabled", None)
        .unwrap();
    let sdk = connect_directory::sdk_config_for_endpoint(&running.url()).await;
    let mut settings = ConnectSettings::new(instance.clone());
    settings.pace = Pace {
        rate: 0.0,
        ..Pace::CONNECT_DEFAULT
    };
    configure(&mut settings);
    let directory = Arc::new(ConnectDirectory::new(&sdk, settings));
    let app = scim_core::app(
        directory,
        ServerConfig {
            auth: Auth::Bearer(BearerToken::new(TOKEN).unwrap()),
            deprovision: mode,
            base_url: None,
        },
    );
    Stack {
        running,
        app,
        instance,
    }
}

/// A SCIM Error (RFC 7644 §3.12): the status, also as a string in the
/// body, and the scimType.
pub fn assert_scim_error(answer: &Answer, status: u16, scim_type: Option<&str>) {
    assert_eq!(answer.status.as_u16(), status, "{}", answer.body);
    assert_eq!(
        answer.body["schemas"],
        serde_json::json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );
    assert_eq!(answer.body["status"], status.to_string());
    assert_eq!(answer.body["scimType"].as_str(), scim_type, "{}", answer.body);
}

/// A PatchOp body adding `users` to a group's members, in the shape Entra
/// ID sends ("Add", each value with a null `$ref`).
pub fn members_added(users: &[&str]) -> Option<Value> {
    let values: Vec<Value> = users
        .iter()
        .map(|id| serde_json::json!({"$ref": null, "value": id}))
        .collect();
    Some(serde_json::json!({"schemas": [PATCH_OP],
        "Operations": [{"op": "Add", "path": "members", "value": values}]}))
}

/// The Connect calls made between two snapshots that change something
/// (every operation but Describe*, List* and Search*).
pub fn writes_between(before: &Stats, after: &Stats) -> Vec<String> {
    after
        .since(before)
        .operations
        .into_keys()
        .filter(|op| {
            !["Describe", "List", "Search"]
                .iter()
                .any(|read| op.starts_with(read))
        })
        .collect()
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl Stack {
    pub async fn send(&self, method: &str, uri: &str, body: Option<Value>) -> Answer {
        self.send_with(method, uri, body, &[]).await
    }

    /// Like `send`, with extra request headers.
    pub async fn send_with(
        &self,
        method: &str,
        uri: &str,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("/scim/v2{uri}"))
            .header(header::HOST, "scim.example.com")
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
        if body.is_some() && !extra.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
            request = request.header(header::CONTENT_TYPE, "application/scim+json");
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        let request = request
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        if !bytes.is_empty() {
            assert_eq!(headers[header::CONTENT_TYPE], "application/scim+json");
        }
        Answer {
            status,
            headers,
            body,
        }
    }

    pub fn users(&self) -> Vec<connect_sim::wire::User> {
        self.running.sim.users(&self.instance)
    }

    pub fn profile(&self, name: &str) -> String {
        self.running
            .sim
            .named_id(&self.instance, NamedKind::SecurityProfile, name)
            .unwrap()
    }

    /// Waits until the search index shows what was just made directly in
    /// the simulator (as an admin's console changes reach it).
    pub async fn settle(&self) {
        tokio::time::sleep(SEARCH_LAG + std::time::Duration::from_millis(100)).await;
    }

    /// The real SDK client on the simulator, to set up what an admin would
    /// make in the console.
    pub async fn client(&self) -> aws_sdk_connect::Client {
        let sdk = connect_directory::sdk_config_for_endpoint(&self.running.url()).await;
        aws_sdk_connect::Client::new(&sdk)
    }

    /// Makes users straight in Connect, as an administrator does in the
    /// console (no search-index wait): each with `profile` and the basic
    /// routing profile, tagged `scim:managed=true` when `managed` (adopted).
    /// Returns their ids.
    pub async fn console_users(&self, names: &[String], profile: &str, managed: bool) -> Vec<String> {
        let client = self.client().await;
        let routing = self
            .running
            .sim
            .named_id(&self.instance, NamedKind::RoutingProfile, "Basic Routing Profile")
            .unwrap();
        let mut ids = Vec::new();
        for name in names {
            let identity = aws_sdk_connect::types::UserIdentityInfo::builder()
                .first_name("Con")
                .last_name("Sole");
            let phone = aws_sdk_connect::types::UserPhoneConfig::builder()
                .phone_type(aws_sdk_connect::types::PhoneType::SoftPhone);
            let request = client
                .create_user()
                .instance_id(&self.instance)
                .username(name)
                .identity_info(identity.build())
                .phone_config(phone.build())
                .security_profile_ids(self.profile(profile))
                .routing_profile_id(&routing);
            let request = if managed {
                request.tags("scim:managed", "true")
            } else {
                request
            };
            ids.push(request.send().await.unwrap().user_id().unwrap().to_owned());
        }
        ids
    }

    /// POSTs a group with no members (linked to the security profile of
    /// that name, or making it where allowed), expects 201 and returns its id.
    pub async fn group(&self, name: &str) -> String {
        let answer = self
            .send(
                "POST",
                "/Groups",
                Some(serde_json::json!({"displayName": name, "members": []})),
            )
            .await;
        assert_eq!(
            answer.status, 201,
            "POST /Groups {name:?} did not make the group: {}",
            answer.body
        );
        answer.body["id"].as_str().unwrap().to_owned()
    }

    /// PATCHes the group `group` to add the user `user` as a member, expects
    /// `status` (204 when it joins, a SCIM error status when refused) and
    /// returns the answer for further checks.
    pub async fn add_member(&self, group: &str, user: &str, status: u16) -> Answer {
        let answer = self
            .send("PATCH", &format!("/Groups/{group}"), members_added(&[user]))
            .await;
        assert_eq!(
            answer.status.as_u16(),
            status,
            "PATCH /Groups/{group} adding member {user}: {}",
            answer.body
        );
        answer
    }

    pub fn stats(&self) -> Stats {
        self.running.sim.stats()
    }
}
