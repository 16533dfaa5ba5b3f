#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The adapter follows the instance it is given, against a simulator that
//! fails the way Connect's API reference says Connect fails: the three
//! identity management types, names in NFC, a lagging search index, users
//! without a phone type, the hierarchy's root group, CONTAINS limits and
//! quick connects left behind by a deleted user.

mod support;

use aws_sdk_connect::types::{QuickConnectConfig, QuickConnectType, UserQuickConnectConfig};
use axum::http::StatusCode;
use connect_sim::{IdentityType, NamedKind};
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use support::{Stack, assert_scim_error, stack, stack_on};

const EXT: &str = "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn person(user_name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"value": "ann.lee@example.com", "type": "work", "primary": true}],
    })
}

fn patch(ops: Value) -> Option<Value> {
    Some(json!({"schemas": [PATCH_OP], "Operations": ops}))
}

fn connect_user(s: &Stack, username: &str) -> Option<connect_sim::wire::User> {
    s.users().into_iter().find(|u| u.username == username)
}

#[tokio::test]
async fn saml_instances_get_the_email_as_secondary_email_and_names_in_nfc() {
    let s = stack(DeprovisionMode::Delete).await;
    let mut body = person("ann.lee@example.com");
    // Decomposed text, as macOS input and some HR feeds send it.
    body["name"] = json!({"givenName": "Jose\u{301}", "familyName": "Nun\u{303}ez"});
    // A password is not Connect's to keep on SAML: ignored, never returned.
    body["password"] = json!("Secret123");
    let created = s.send("POST", "/Users", Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(created.body.get("password").is_none());
    let id = created.body["id"].as_str().unwrap().to_owned();
    let agent = connect_user(&s, "ann.lee@example.com").unwrap();
    assert_eq!(agent.identity_info.email, None, "SAML refuses IdentityInfo.Email");
    assert_eq!(
        agent.identity_info.secondary_email.as_deref(),
        Some("ann.lee@example.com")
    );
    assert_eq!(agent.identity_info.first_name.as_deref(), Some("Jos\u{e9}"));
    assert_eq!(agent.identity_info.last_name.as_deref(), Some("Nu\u{f1}ez"));

    // The email reads back, is filterable, and changes as SecondaryEmail.
    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    assert_eq!(read.body["emails"][0]["value"], "ann.lee@example.com");
    let found = s
        .send(
            "GET",
            "/Users?filter=emails.value%20eq%20%22ANN.LEE%40example.com%22",
            None,
        )
        .await;
    assert_eq!(found.body["totalResults"], 1, "{}", found.body);
    let changed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "ann@new.example.com"}])),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let agent = connect_user(&s, "ann.lee@example.com").unwrap();
    assert_eq!(agent.identity_info.email, None);
    assert_eq!(
        agent.identity_info.secondary_email.as_deref(),
        Some("ann@new.example.com")
    );
    // Same names again, decomposed: nothing to change, no identity call.
    let before = s.stats();
    let same = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([{"op": "replace", "path": "name.givenName", "value": "Jose\u{301}"}])),
        )
        .await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    assert_eq!(s.stats().since(&before).calls("UpdateUserIdentityInfo"), 0);
}

#[tokio::test]
async fn connect_managed_instances_need_a_password_and_keep_email() {
    let s = stack_on(IdentityType::ConnectManaged, DeprovisionMode::Delete, |_| {}).await;
    // No password: a clear 400 and no user.
    let refused = s.send("POST", "/Users", Some(person("ann"))).await;
    assert_scim_error(&refused, 400, Some("invalidValue"));
    assert!(
        refused.body["detail"].as_str().unwrap().contains("password"),
        "{}",
        refused.body
    );
    assert!(s.users().is_empty());
    // Longer than CONNECT_MANAGED's 20 characters: refused before any call.
    let mut long = person("a.very.long.username.indeed");
    long["password"] = json!("Secret123");
    assert_scim_error(
        &s.send("POST", "/Users", Some(long)).await,
        400,
        Some("invalidValue"),
    );
    // A weak password is refused with Connect's rule, and never echoed.
    let mut weak = person("ann");
    weak["password"] = json!("weakpass");
    let refused = s.send("POST", "/Users", Some(weak)).await;
    assert_scim_error(&refused, 400, Some("invalidValue"));
    assert!(!refused.body.to_string().contains("weakpass"));

    let mut good = person("ann");
    good["password"] = json!("Secret123");
    let created = s.send("POST", "/Users", Some(good)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(created.body.get("password").is_none());
    let agent = connect_user(&s, "ann").unwrap();
    assert_eq!(agent.identity_info.email.as_deref(), Some("ann.lee@example.com"));
    let id = created.body["id"].as_str().unwrap();
    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    assert_eq!(read.body["emails"][0]["value"], "ann.lee@example.com");
    assert!(read.body.get("password").is_none());
}

#[tokio::test]
async fn existing_directory_instances_keep_the_directorys_names() {
    let s = stack_on(IdentityType::ExistingDirectory, DeprovisionMode::Delete, |_| {}).await;
    let created = s.send("POST", "/Users", Some(person("ann"))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().unwrap();
    let before = s.stats();
    let renamed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([
                {"op": "replace", "path": "name.familyName", "value": "Smith"},
                {"op": "replace", "path": "displayName", "value": "Ann Smith"}
            ])),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let calls = s.stats().since(&before);
    assert_eq!(
        calls.calls("UpdateUserIdentityInfo"),
        0,
        "the directory owns names"
    );
    assert_eq!(
        renamed.body["name"]["familyName"], "Lee",
        "reads back as Connect has it"
    );
    assert_eq!(
        renamed.body["displayName"], "Ann Smith",
        "what SCIM keeps still changes"
    );
    assert_eq!(
        connect_user(&s, "ann")
            .unwrap()
            .identity_info
            .last_name
            .as_deref(),
        Some("Lee")
    );
}

#[tokio::test]
async fn a_created_user_is_found_by_user_name_at_once_despite_the_index_lag() {
    let s = stack(DeprovisionMode::Delete).await;
    let created = s
        .send("POST", "/Users", Some(person("ann.lee@example.com")))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    // The index does not show the user yet (1 s lag) ...
    let before = s.stats();
    let found = s
        .send(
            "GET",
            "/Users?filter=userName%20eq%20%22Ann.Lee%40example.com%22",
            None,
        )
        .await;
    assert_eq!(found.body["totalResults"], 1, "{}", found.body);
    assert_eq!(found.body["Resources"][0]["id"], id.as_str());
    assert_eq!(s.stats().since(&before).calls("SearchUsers"), 1);
    // ... and a retried POST is a conflict, never a second user.
    let again = s
        .send("POST", "/Users", Some(person("ann.lee@example.com")))
        .await;
    assert_scim_error(&again, 409, Some("uniqueness"));
    assert_eq!(s.users().len(), 1);
    // An unfiltered listing shows it too, and a delete hides it at once.
    let all = s.send("GET", "/Users", None).await;
    assert_eq!(all.body["totalResults"], 1, "{}", all.body);
    assert_eq!(s.send("DELETE", &format!("/Users/{id}"), None).await.status, 204);
    let gone = s
        .send(
            "GET",
            "/Users?filter=userName%20eq%20%22ann.lee%40example.com%22",
            None,
        )
        .await;
    assert_eq!(gone.body["totalResults"], 0, "{}", gone.body);
}

#[tokio::test]
async fn deleting_an_agent_deletes_the_quick_connects_to_it() {
    let s = stack(DeprovisionMode::Delete).await;
    let ann = s.send("POST", "/Users", Some(person("ann"))).await;
    let bob = s.send("POST", "/Users", Some(person("bob"))).await;
    let (ann, bob) = (ann.body["id"].as_str().unwrap(), bob.body["id"].as_str().unwrap());
    let client = s.client().await;
    for (name, user) in [
        ("Transfer to Ann", ann),
        ("Ann again", ann),
        ("Transfer to Bob", bob),
    ] {
        client
            .create_quick_connect()
            .instance_id(&s.instance)
            .name(name)
            .quick_connect_config(
                QuickConnectConfig::builder()
                    .quick_connect_type(QuickConnectType::User)
                    .user_config(
                        UserQuickConnectConfig::builder()
                            .user_id(user)
                            .contact_flow_id("00000000-0000-4000-8000-00000000f10e")
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .unwrap();
    }
    s.settle().await;
    let before = s.stats();
    assert_eq!(s.send("DELETE", &format!("/Users/{ann}"), None).await.status, 204);
    let calls = s.stats().since(&before);
    assert_eq!(calls.calls("DeleteQuickConnect"), 2);
    assert_eq!(calls.calls("SearchQuickConnects"), 1);
    let left: Vec<String> = s
        .running
        .sim
        .quick_connects(&s.instance)
        .into_iter()
        .map(|q| q.name)
        .collect();
    assert_eq!(left, ["Transfer to Bob"]);
    // Disable mode keeps the agent, so its quick connects stay.
    let d = stack(DeprovisionMode::Disable).await;
    let carl = d.send("POST", "/Users", Some(person("carl"))).await;
    let carl = carl.body["id"].as_str().unwrap();
    let off = d
        .send(
            "PATCH",
            &format!("/Users/{carl}"),
            patch(json!([{"op": "replace", "path": "active", "value": false}])),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK);
    assert_eq!(d.stats().calls("SearchQuickConnects"), 0);
}

#[tokio::test]
async fn a_user_without_a_phone_type_is_not_rewritten_by_an_echo() {
    let s = stack(DeprovisionMode::Delete).await;
    // Made in Connect with per-channel settings: no PhoneConfig, so no
    // PhoneType. (The Rust SDK always sends a PhoneConfig, so this request
    // goes to the simulator's wire surface as another client would send it.)
    let routing = s
        .running
        .sim
        .named_id(&s.instance, NamedKind::RoutingProfile, "Basic Routing Profile")
        .unwrap();
    let body = json!({
        "Username": "chat.agent",
        "IdentityInfo": {"FirstName": "Chat", "LastName": "Agent"},
        "SecurityProfileIds": [s.profile("Agent")],
        "RoutingProfileId": routing,
        // Adopted: the bridge changes only users it manages.
        "Tags": {"scim:managed": "true"},
    });
    let request = axum::http::Request::builder()
        .method("PUT")
        .uri(format!("/users/{}", s.instance))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let answer = tower::ServiceExt::oneshot(s.running.sim.router(), request)
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let made: Value = serde_json::from_slice(
        &axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .unwrap(),
    )
    .unwrap();
    let id = made["UserId"].as_str().unwrap();
    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    // aws-sdk-connect 1.220 reads a missing PhoneType as SOFT_PHONE (its
    // builder's default), so the adapter cannot see the difference; what it
    // guarantees is that a read echoed back writes nothing.
    let before = s.stats();
    let echoed = s
        .send("PUT", &format!("/Users/{id}"), Some(read.body.clone()))
        .await;
    assert_eq!(echoed.status, StatusCode::OK, "{}", echoed.body);
    let patched = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([{"op": "add", "value": {EXT: read.body[EXT].clone()}}])),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(s.stats().since(&before).calls("UpdateUserPhoneConfig"), 0);
    assert_eq!(
        connect_user(&s, "chat.agent").unwrap().phone_config.phone_type,
        None
    );
    // A phone setting the client does change is written, with its type.
    let typed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([{"op": "add", "value": {EXT: {"autoAccept": true, "phoneType": "DESK_PHONE", "deskPhoneNumber": "+12065550100"}}}])),
        )
        .await;
    assert_eq!(typed.status, StatusCode::OK, "{}", typed.body);
    let phone = connect_user(&s, "chat.agent").unwrap().phone_config;
    assert_eq!(
        (phone.phone_type.as_deref(), phone.auto_accept),
        (Some("DESK_PHONE"), Some(true))
    );
}

#[tokio::test]
async fn the_hierarchy_root_is_never_offered_or_chosen() {
    let s = stack(DeprovisionMode::Delete).await;
    s.running
        .sim
        .add_named(&s.instance, NamedKind::HierarchyGroup, "Support", None)
        .unwrap();
    s.settle().await;
    let schema = s.send("GET", &format!("/Schemas/{EXT}"), None).await;
    let hierarchy = schema.body["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "hierarchyGroup")
        .unwrap()
        .clone();
    assert_eq!(hierarchy["canonicalValues"], json!(["Support"]));
    let mut body = person("ann");
    body[EXT] = json!({"hierarchyGroup": "root"});
    let refused = s.send("POST", "/Users", Some(body)).await;
    assert_scim_error(&refused, 400, Some("invalidValue"));
    assert!(s.users().is_empty());
}

#[tokio::test]
async fn contains_filters_run_within_connects_limits() {
    let s = stack(DeprovisionMode::Delete).await;
    let long = "agent.with.a.rather.long.name.example@example.com";
    for name in [long, "other.agent@example.com"] {
        assert_eq!(
            s.send("POST", "/Users", Some(person(name))).await.status,
            StatusCode::CREATED
        );
    }
    s.settle().await;
    // One character: Connect searches 2 to 25; a clear 400, not a wrong list.
    let short = s.send("GET", "/Users?filter=userName%20co%20%22a%22", None).await;
    assert_scim_error(&short, 400, Some("invalidFilter"));
    // Over 25: searched by its first 25, narrowed to what really matches.
    let value = "with.a.rather.long.name.example@";
    let q = format!(
        "/Users?filter=userName%20co%20%22{}%22",
        value.replace('@', "%40")
    );
    let found = s.send("GET", &q, None).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert_eq!(found.body["totalResults"], 1, "{}", found.body);
    assert_eq!(found.body["Resources"][0]["userName"], long);
    // A near miss past the 25th character is not a match.
    let miss = "with.a.rather.long.name.examplX";
    let none = s
        .send(
            "GET",
            &format!("/Users?filter=userName%20co%20%22{miss}%22"),
            None,
        )
        .await;
    assert_eq!(none.body["totalResults"], 0, "{}", none.body);
}
