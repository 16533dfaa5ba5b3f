//! Least privilege, end to end: what a leaked token still cannot do. SCIM
//! requests go through the real Router and adapter, over the real SDK, to the
//! simulator, and every assertion about Connect reads the simulator's state
//! and its call counters (a refusal must cost no write).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use connect_directory::Assignable;
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use support::{ENTERPRISE, PATCH_OP, Stack, assert_scim_error, stack, stack_with, writes_between};

const EXT: &str = "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User";

fn user_body(name: &str) -> Value {
    json!({"userName": name, "name": {"givenName": "Ann", "familyName": "Lee"}})
}

impl Stack {
    /// A user made in the console, as the instance's own administrator is:
    /// the Admin profile and no tags.
    async fn console_admin(&self) -> String {
        let made = self
            .console_users(&["instance.admin".to_owned()], "Admin", false)
            .await;
        self.settle().await;
        made[0].clone()
    }

    fn connect_user(&self, id: &str) -> connect_sim::wire::User {
        self.users().into_iter().find(|u| u.id == id).unwrap()
    }
}

#[tokio::test]
async fn admin_is_not_granted_by_default_by_any_route() {
    let s = stack(DeprovisionMode::Delete).await;
    let before = s.stats();
    // A group named Admin would link to the real Admin profile.
    let group = s
        .send(
            "POST",
            "/Groups",
            Some(json!({"displayName": "Admin", "members": []})),
        )
        .await;
    assert_scim_error(&group, 403, None);
    assert!(
        group.body["detail"]
            .as_str()
            .unwrap()
            .contains("ASSIGNABLE_SECURITY_PROFILES"),
        "{}",
        group.body
    );
    // The extension, and a department named like the profile.
    let mut chosen = user_body("chosen@example.com");
    chosen[EXT] = json!({"securityProfiles": ["Admin"]});
    assert_scim_error(&s.send("POST", "/Users", Some(chosen)).await, 403, None);
    let mut department = user_body("dept@example.com");
    department[ENTERPRISE] = json!({"department": "admin"});
    assert_scim_error(&s.send("POST", "/Users", Some(department)).await, 403, None);
    assert!(s.users().is_empty(), "a refused create made a user");
    assert_eq!(writes_between(&before, &s.stats()), Vec::<String>::new());

    // Groups are security profiles, so Admin's id is addressable as a group.
    let made = s.send("POST", "/Users", Some(user_body("ann@example.com"))).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.body["id"].as_str().unwrap();
    let admin = s.profile("Admin");
    let before = s.stats();
    let join = s.add_member(&admin, id, 403).await;
    assert_scim_error(&join, 403, None);
    assert_eq!(s.connect_user(id).security_profile_ids, [s.profile("Agent")]);
    assert_eq!(writes_between(&before, &s.stats()), Vec::<String>::new());
    // Nor by moving the agent there afterwards.
    let patch = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            Some(json!({"schemas": [PATCH_OP],
                "Operations": [{"op": "replace", "path": format!("{EXT}:securityProfiles"), "value": ["Admin"]}]})),
        )
        .await;
    assert_scim_error(&patch, 403, None);
    assert_eq!(s.connect_user(id).security_profile_ids, [s.profile("Agent")]);
}

#[tokio::test]
async fn an_explicit_list_is_the_whole_truth() {
    let s = stack_with(DeprovisionMode::Delete, |c| {
        c.assignable = Assignable::parse("Agent, Admin");
    })
    .await;
    s.group("Admin").await;
    let mut quality = user_body("qa@example.com");
    quality[EXT] = json!({"securityProfiles": ["QualityAnalyst"]});
    let refused = s.send("POST", "/Users", Some(quality)).await;
    assert_scim_error(&refused, 403, None);
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("allows only Agent, Admin"),
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn users_the_bridge_did_not_make_are_read_but_never_changed() {
    let s = stack(DeprovisionMode::Delete).await;
    let id = s.console_admin().await;
    let original = s.connect_user(&id);
    // Readable: an IdP that matches by userName finds it and learns why it
    // cannot take it over.
    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    assert_eq!(read.status, 200, "{}", read.body);

    let before = s.stats();
    let deactivate = json!({"schemas": [PATCH_OP],
        "Operations": [{"op": "replace", "path": "active", "value": false}]});
    let patch = s
        .send("PATCH", &format!("/Users/{id}"), Some(deactivate.clone()))
        .await;
    assert_scim_error(&patch, 403, None);
    assert!(
        patch.body["detail"]
            .as_str()
            .unwrap()
            .contains("scim:managed=true"),
        "{}",
        patch.body
    );
    let mut replacement = read.body.clone();
    replacement["displayName"] = json!("Taken Over");
    assert_scim_error(
        &s.send("PUT", &format!("/Users/{id}"), Some(replacement)).await,
        403,
        None,
    );
    assert_scim_error(&s.send("DELETE", &format!("/Users/{id}"), None).await, 403, None);
    // Nor through a group's members.
    let group = s.group("QualityAnalyst").await;
    let join = s.add_member(&group, &id, 403).await;
    assert_scim_error(&join, 403, None);
    let after = s.connect_user(&id);
    assert_eq!(after.security_profile_ids, original.security_profile_ids);
    assert_eq!(after.tags, original.tags);
    assert_eq!(after.identity_info, original.identity_info);
    assert_eq!(writes_between(&before, &s.stats()), Vec::<String>::new());

    // Adopted on purpose (the tag make adopt-user sets), it is the IdP's.
    s.client()
        .await
        .tag_resource()
        .resource_arn(&original.arn)
        .tags("scim:managed", "true")
        .send()
        .await
        .unwrap();
    let patch = s.send("PATCH", &format!("/Users/{id}"), Some(deactivate)).await;
    assert_eq!(patch.status, 200, "{}", patch.body);
    assert!(
        s.users().iter().all(|u| u.id != id),
        "DEPROVISION_MODE=delete deletes it"
    );
}

#[tokio::test]
async fn a_server_failure_names_a_request_id_and_no_aws_detail() {
    // A configuration error whose own text carries an ARN-like value.
    let s = stack_with(DeprovisionMode::Disable, |c| {
        c.disabled_security_profile = "arn:aws:iam::123456789012:role/Missing".to_owned();
    })
    .await;
    let mut body = user_body("off@example.com");
    body["active"] = json!(false);
    let answer = s.send("POST", "/Users", Some(body)).await;
    assert!(
        answer.status.is_server_error(),
        "{} {}",
        answer.status,
        answer.body
    );
    let detail = answer.body["detail"].as_str().unwrap();
    assert!(
        !detail.contains("123456789012") && !detail.contains("arn:"),
        "{detail}"
    );
    let request_id = answer.headers["x-request-id"].to_str().unwrap();
    assert!(detail.contains(request_id), "{detail} lacks {request_id}");
}

#[tokio::test]
async fn an_over_long_filter_is_refused_before_connect_is_asked() {
    let s = stack(DeprovisionMode::Delete).await;
    let before = s.stats();
    let long = "a".repeat(scim_core::filter::MAX_FILTER_CHARS);
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("filter", &format!("userName eq \"{long}\""))
        .finish();
    let answer = s.send("GET", &format!("/Users?{query}"), None).await;
    assert_scim_error(&answer, 400, Some("invalidFilter"));
    assert_eq!(s.stats().total_calls(), before.total_calls());
}
