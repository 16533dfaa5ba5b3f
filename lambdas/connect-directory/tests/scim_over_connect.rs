//! End to end: SCIM requests through the real Router, the Connect adapter
//! and the real `aws-sdk-connect` client, over HTTP to the simulator; every
//! assertion about Connect reads the simulator's state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::{StatusCode, header};
use connect_sim::{DEFAULT_INSTANCE_ID as INSTANCE, Faults, NamedKind};
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use support::{Answer, ENTERPRISE, assert_scim_error, stack};

fn ann(department: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "userName": "ann.lee@example.com",
        "externalId": "ann-ext",
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "displayName": "Ann Lee",
        "emails": [{"value": "ann.lee@example.com", "type": "work", "primary": true}],
        "active": true,
        ENTERPRISE: {"department": department},
    })
}

#[tokio::test]
async fn create_find_and_deprovision_an_agent() {
    let s = stack(DeprovisionMode::Delete).await;
    let created = s.send("POST", "/Users", Some(ann("Sales"))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let location = format!("http://scim.example.com/scim/v2/Users/{id}");
    assert_eq!(created.headers[header::LOCATION], location.as_str());
    assert_eq!(created.body["meta"]["location"], location.as_str());
    assert_eq!(created.body["meta"]["resourceType"], "User");
    assert_eq!(created.body[ENTERPRISE]["department"], "Sales");

    // Connect holds the agent: the SCIM id is its UserId; "Sales" names no
    // security profile, so the default Agent profile is given.
    let users = s.users();
    assert_eq!(users.len(), 1);
    let agent = &users[0];
    assert_eq!(agent.id, id);
    assert_eq!(agent.username, "ann.lee@example.com");
    assert_eq!(agent.security_profile_ids, [s.profile("Agent")]);
    let basic = s
        .running
        .sim
        .named_id(INSTANCE, NamedKind::RoutingProfile, "Basic Routing Profile")
        .unwrap();
    assert_eq!(agent.routing_profile_id, basic);
    assert_eq!(
        agent.identity_info.secondary_email.as_deref(),
        Some("ann.lee@example.com")
    );
    assert_eq!(agent.identity_info.first_name.as_deref(), Some("Ann"));
    assert_eq!(agent.phone_config.phone_type.as_deref(), Some("SOFT_PHONE"));
    assert_eq!(agent.tags["scim:externalId"], "ann-ext");

    // Found by userName, whatever the case; an unknown name is an empty 200.
    let found = s
        .send(
            "GET",
            "/Users?filter=userName%20eq%20%22ANN.LEE%40example.com%22",
            None,
        )
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.body["totalResults"], 1);
    assert_eq!(found.body["Resources"][0]["id"], id.as_str());
    assert_eq!(
        found.body["Resources"][0]["emails"][0]["value"],
        "ann.lee@example.com"
    );
    let none = s
        .send("GET", "/Users?filter=userName%20eq%20%22nobody%22", None)
        .await;
    assert_eq!(
        (none.status, none.body["totalResults"].clone()),
        (StatusCode::OK, json!(0))
    );
    assert_eq!(none.body["Resources"], json!([]));

    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body["displayName"], "Ann Lee");

    // active=false in the default delete mode removes the Connect user; the
    // PATCH still answers with the final resource.
    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": false}]});
    let patched = s.send("PATCH", &format!("/Users/{id}"), Some(patch)).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.body["active"], false);
    assert!(s.users().is_empty());
    assert_scim_error(&s.send("GET", &format!("/Users/{id}"), None).await, 404, None);
}

#[tokio::test]
async fn department_names_the_security_profile() {
    let s = stack(DeprovisionMode::Delete).await;
    let created = s.send("POST", "/Users", Some(ann("qualityanalyst"))).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(s.users()[0].security_profile_ids, [s.profile("QualityAnalyst")]);
    let id = created.body["id"].as_str().unwrap();
    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": format!("{ENTERPRISE}:department"), "value": "CallCenterManager"}]});
    let before = s.stats();
    let patched = s.send("PATCH", &format!("/Users/{id}"), Some(patch)).await;
    assert_eq!(patched.status, StatusCode::OK);
    assert_eq!(
        s.users()[0].security_profile_ids,
        [s.profile("CallCenterManager")]
    );
    assert_eq!(s.users()[0].tags["scim:department"], "CallCenterManager");
    let calls = s.stats().since(&before);
    assert_eq!(calls.calls("DescribeUser"), 1);
    assert_eq!(calls.calls("UpdateUserSecurityProfiles"), 1);
    assert_eq!(calls.calls("TagResource"), 1);
    assert_eq!(
        calls.calls("UpdateUserIdentityInfo"),
        0,
        "names and email did not change"
    );
}

#[tokio::test]
async fn refused_creates_leave_nothing_behind() {
    let s = stack(DeprovisionMode::Delete).await;
    assert_eq!(
        s.send("POST", "/Users", Some(ann("Sales"))).await.status,
        StatusCode::CREATED
    );
    let mut dup = ann("Sales");
    dup["userName"] = "ANN.LEE@EXAMPLE.COM".into();
    assert_scim_error(
        &s.send("POST", "/Users", Some(dup)).await,
        409,
        Some("uniqueness"),
    );

    let mut bad_email = ann("Sales");
    bad_email["userName"] = "bob".into();
    bad_email["emails"] = json!([{"value": "not-an-email", "type": "work"}]);
    let answer = s.send("POST", "/Users", Some(bad_email)).await;
    assert_scim_error(&answer, 400, Some("invalidValue"));
    assert!(
        answer.body["detail"].as_str().unwrap().contains("Email"),
        "{}",
        answer.body
    );

    let mut bad_name = ann("Sales");
    bad_name["userName"] = "bob smith".into();
    assert_scim_error(
        &s.send("POST", "/Users", Some(bad_name)).await,
        400,
        Some("invalidValue"),
    );

    let mut long = ann("Sales");
    long["userName"] = "carol".into();
    long["displayName"] = "x".repeat(300).into();
    assert_scim_error(
        &s.send("POST", "/Users", Some(long)).await,
        400,
        Some("invalidValue"),
    );

    assert_scim_error(
        &s.send("POST", "/Users", Some(json!({"emails": []}))).await,
        400,
        Some("invalidValue"),
    );
    assert_eq!(s.users().len(), 1);
}

#[tokio::test]
async fn patch_and_put_change_only_what_they_say() {
    let s = stack(DeprovisionMode::Delete).await;
    let id = s.send("POST", "/Users", Some(ann("Sales"))).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = s.stats();
    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "name.givenName", "value": "Anne"}]});
    let patched = s.send("PATCH", &format!("/Users/{id}"), Some(patch)).await;
    assert_eq!(
        patched.body["name"],
        json!({"givenName": "Anne", "familyName": "Lee"})
    );
    let calls = s.stats().since(&before);
    assert_eq!(
        calls.total_calls(),
        2,
        "DescribeUser + UpdateUserIdentityInfo: {calls:?}"
    );
    assert_eq!(s.users()[0].identity_info.first_name.as_deref(), Some("Anne"));

    // PUT replaces: what the body omits (displayName, externalId) is cleared.
    let put = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": id,
        "userName": "ann.lee@example.com", "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"value": "ann@new.example.com", "type": "work"}]});
    let replaced = s.send("PUT", &format!("/Users/{id}"), Some(put)).await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    assert!(replaced.body.get("displayName").is_none());
    let agent = &s.users()[0];
    assert!(!agent.tags.contains_key("scim:displayName"));
    assert!(!agent.tags.contains_key("scim:externalId"));
    assert_eq!(
        agent.identity_info.secondary_email.as_deref(),
        Some("ann@new.example.com")
    );
    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    assert_eq!(read.body["emails"][0]["value"], "ann@new.example.com");

    // Connect cannot rename a user.
    let rename = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "userName", "value": "someone.else"}]});
    assert_scim_error(
        &s.send("PATCH", &format!("/Users/{id}"), Some(rename)).await,
        400,
        Some("mutability"),
    );
    // A no-op PATCH makes no write.
    let before = s.stats();
    let same = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "userName", "value": "ANN.LEE@example.com"}]});
    assert_eq!(
        s.send("PATCH", &format!("/Users/{id}"), Some(same)).await.status,
        StatusCode::OK
    );
    assert_eq!(s.stats().since(&before).total_calls(), 1);
}

#[tokio::test]
async fn disable_mode_keeps_the_agent_and_restores_its_profiles() {
    let s = stack(DeprovisionMode::Disable).await;
    let id = s.send("POST", "/Users", Some(ann("Sales"))).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Give the agent profiles of its own, as an admin might in Connect.
    let own = vec![s.profile("Agent"), s.profile("QualityAnalyst")];
    let sdk = connect_directory::sdk_config_for_endpoint(&s.running.url()).await;
    aws_sdk_connect::Client::new(&sdk)
        .update_user_security_profiles()
        .instance_id(INSTANCE)
        .user_id(&id)
        .set_security_profile_ids(Some(own.clone()))
        .send()
        .await
        .unwrap();

    let off = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}]});
    let answer = s.send("PATCH", &format!("/Users/{id}"), Some(off)).await;
    assert_eq!(answer.body["active"], false);
    let agent = &s.users()[0];
    assert_eq!(agent.security_profile_ids, [s.profile("SCIM-Disabled")]);
    assert_eq!(
        s.send("GET", &format!("/Users/{id}"), None).await.body["active"],
        false
    );

    let on = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"active": true}}]});
    assert_eq!(
        s.send("PATCH", &format!("/Users/{id}"), Some(on)).await.body["active"],
        true
    );
    let agent = &s.users()[0];
    assert_eq!(agent.security_profile_ids, own, "exactly the profiles it had");
    assert!(!agent.tags.keys().any(|k| k.starts_with("scim:savedProfiles")));

    // Created inactive: a disabled agent from the start.
    let mut bob = ann("Sales");
    bob["userName"] = "bob".into();
    bob["active"] = false.into();
    let created = s.send("POST", "/Users", Some(bob)).await;
    assert_eq!(created.body["active"], false);
    let bob = s.users().into_iter().find(|u| u.username == "bob").unwrap();
    assert_eq!(bob.security_profile_ids, [s.profile("SCIM-Disabled")]);

    // DELETE always deletes; a second DELETE is a 404 that costs no Connect call.
    assert_eq!(
        s.send("DELETE", &format!("/Users/{id}"), None).await.status,
        StatusCode::NO_CONTENT
    );
    let before = s.stats();
    assert_scim_error(&s.send("DELETE", &format!("/Users/{id}"), None).await, 404, None);
    assert_scim_error(&s.send("GET", "/Users/not-a-connect-id", None).await, 404, None);
    assert_eq!(s.stats().since(&before).total_calls(), 0);
}

#[tokio::test]
async fn lists_page_through_users_in_a_stable_order() {
    let s = stack(DeprovisionMode::Delete).await;
    for i in 0..5 {
        let mut u = ann("Sales");
        u["userName"] = format!("user{i}").into();
        assert_eq!(
            s.send("POST", "/Users", Some(u)).await.status,
            StatusCode::CREATED
        );
    }
    let page = s.send("GET", "/Users?startIndex=2&count=2", None).await;
    assert_eq!(page.body["totalResults"], 5);
    assert_eq!(page.body["startIndex"], 2);
    assert_eq!(page.body["itemsPerPage"], 2);
    let names: Vec<&str> = page.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["user1", "user2"]);
    // A total alone is the search index's count, which trails creates.
    s.settle().await;
    let total_only = s.send("GET", "/Users?count=0", None).await;
    assert_eq!(
        (
            total_only.body["totalResults"].clone(),
            total_only.body["Resources"].clone()
        ),
        (json!(5), json!([]))
    );
    let projected = s.send("GET", "/Users?attributes=userName&count=1", None).await;
    let first = &projected.body["Resources"][0];
    assert!(first.get("userName").is_some() && first.get("id").is_some() && first.get("emails").is_none());
}

#[tokio::test]
async fn connect_failures_become_retryable_scim_errors() {
    let s = stack(DeprovisionMode::Delete).await;
    s.running.sim.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let answer = s.send("POST", "/Users", Some(ann("Sales"))).await;
    assert_scim_error(&answer, 503, None);
    assert!(answer.headers.contains_key(header::RETRY_AFTER));
    s.running.sim.set_faults(Faults::default());
    assert!(s.users().is_empty());
}

#[tokio::test]
async fn connect_throttling_becomes_429_with_retry_after() {
    let s = stack(DeprovisionMode::Delete).await;
    s.running.sim.set_quota(connect_sim::Quota {
        rate: 0.001,
        burst: 1,
    });
    // The first call spends the bucket; the SDK's retries then meet the empty bucket.
    let _ = s.send("GET", "/Users", None).await;
    let answer = s.send("GET", "/Users", None).await;
    assert_scim_error(&answer, 429, None);
    assert!(answer.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn filters_beyond_user_name() {
    let s = stack(DeprovisionMode::Delete).await;
    for (name, ext, email) in [
        ("ann", "E-1", "Ann@Example.com"),
        ("anna", "E-2", "anna@example.com"),
        ("bob", "E-3", "bob@example.com"),
    ] {
        let body = json!({"userName": name, "externalId": ext, "emails": [{"value": email}],
            "name": {"givenName": "G", "familyName": "F"}});
        assert_eq!(
            s.send("POST", "/Users", Some(body)).await.status,
            StatusCode::CREATED
        );
    }
    let names = |answer: &Answer| -> Vec<String> {
        answer.body["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["userName"].as_str().unwrap().to_owned())
            .collect()
    };
    let q = |f: &str| {
        format!(
            "/Users?filter={}",
            form_urlencoded::byte_serialize(f.as_bytes()).collect::<String>()
        )
    };
    let before = s.stats();
    assert_eq!(
        names(&s.send("GET", &q(r#"externalId eq "E-2""#), None).await),
        ["anna"]
    );
    assert_eq!(
        s.stats().since(&before).total_calls(),
        1,
        "one SearchUsers with a tag filter"
    );
    assert!(
        names(&s.send("GET", &q(r#"externalId eq "e-2""#), None).await).is_empty(),
        "externalId is case-exact"
    );
    assert_eq!(
        names(
            &s.send("GET", &q(r#"emails.value eq "ann@example.com""#), None)
                .await
        ),
        ["ann"]
    );
    assert_eq!(
        names(
            &s.send(
                "GET",
                &q(r#"emails[type eq "work"].value eq "bob@example.com""#),
                None
            )
            .await
        ),
        ["bob"]
    );
    assert_eq!(
        names(&s.send("GET", &q(r#"userName sw "an""#), None).await),
        ["ann", "anna"]
    );
    assert_eq!(
        names(
            &s.send("GET", &q(r#"userName co "nn" and externalId eq "E-1""#), None)
                .await
        ),
        ["ann"]
    );
    assert_eq!(names(&s.send("GET", &q("userName eq bob"), None).await), ["bob"]);
    let id = s.users()[2].id.clone();
    assert_eq!(
        names(&s.send("GET", &q(&format!(r#"id eq "{id}""#)), None).await),
        ["bob"]
    );
    let bad = s.send("GET", &q(r#"title eq "x""#), None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["scimType"], "invalidFilter");
}

#[tokio::test]
async fn paging_costs_one_search_per_page() {
    let s = stack(DeprovisionMode::Delete).await;
    // 250 agents created straight in Connect, as if they pre-dated the bridge.
    let names: Vec<String> = (0..250).map(|i| format!("agent{i:03}")).collect();
    s.console_users(&names, "Agent", false).await;
    // Made outside the bridge: listed once the search index has them.
    s.settle().await;
    let mut seen = Vec::new();
    let mut searches = Vec::new();
    for start in [1, 101, 201] {
        let before = s.stats();
        let page = s
            .send("GET", &format!("/Users?startIndex={start}&count=100"), None)
            .await;
        searches.push(s.stats().since(&before).calls("SearchUsers"));
        assert_eq!(page.body["totalResults"], 250);
        seen.extend(
            page.body["Resources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["userName"].as_str().unwrap().to_owned()),
        );
    }
    let expected: Vec<String> = (0..250).map(|i| format!("agent{i:03}")).collect();
    assert_eq!(seen, expected, "every user once, in a stable order");
    assert_eq!(searches, [1, 1, 1], "page tokens are reused");
}

#[tokio::test]
async fn department_map_sets_profiles_and_routing() {
    let s = support::stack_with(DeprovisionMode::Delete, |settings| {
        settings.department_map = connect_directory::parse_department_map(
            r#"{"Sales": {"securityProfiles": ["Agent", "QualityAnalyst"], "routingProfile": "Sales Queue"},
                "Support": "CallCenterManager"}"#,
        )
        .unwrap();
    })
    .await;
    let sales_queue = s
        .running
        .sim
        .add_named(INSTANCE, NamedKind::RoutingProfile, "Sales Queue", None)
        .unwrap();
    let created = s.send("POST", "/Users", Some(ann("sales"))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let agent = &s.users()[0];
    assert_eq!(
        agent.security_profile_ids,
        [s.profile("Agent"), s.profile("QualityAnalyst")]
    );
    assert_eq!(agent.routing_profile_id, sales_queue);

    let id = created.body["id"].as_str().unwrap();
    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": format!("{ENTERPRISE}:department"), "value": "Support"}]});
    let before = s.stats();
    assert_eq!(
        s.send("PATCH", &format!("/Users/{id}"), Some(patch)).await.status,
        StatusCode::OK
    );
    let agent = &s.users()[0];
    assert_eq!(agent.security_profile_ids, [s.profile("CallCenterManager")]);
    let basic = s
        .running
        .sim
        .named_id(INSTANCE, NamedKind::RoutingProfile, "Basic Routing Profile")
        .unwrap();
    assert_eq!(agent.routing_profile_id, basic);
    assert_eq!(s.stats().since(&before).calls("UpdateUserRoutingProfile"), 1);
}

#[tokio::test]
async fn etags_guard_updates() {
    let s = stack(DeprovisionMode::Delete).await;
    let created = s.send("POST", "/Users", Some(ann("Sales"))).await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let version = created.body["meta"]["version"].as_str().unwrap().to_owned();
    assert_eq!(created.headers[header::ETAG], version.as_str());

    let read = s
        .send_with(
            "GET",
            &format!("/Users/{id}"),
            None,
            &[("If-None-Match", &version)],
        )
        .await;
    assert_eq!(read.status, StatusCode::NOT_MODIFIED);

    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "displayName", "value": "Ann L."}]});
    let updated = s
        .send_with(
            "PATCH",
            &format!("/Users/{id}"),
            Some(patch.clone()),
            &[("If-Match", &version)],
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_ne!(updated.body["meta"]["version"], version.as_str());
    let stale = s
        .send_with(
            "PATCH",
            &format!("/Users/{id}"),
            Some(patch),
            &[("If-Match", &version)],
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.body["status"], "412");
    let stale_delete = s
        .send_with("DELETE", &format!("/Users/{id}"), None, &[("If-Match", &version)])
        .await;
    assert_eq!(stale_delete.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(s.users().len(), 1, "nothing changed by refused requests");
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_still_one_user_and_a_201() {
    let s = stack(DeprovisionMode::Delete).await;
    // Connect applies every change, then the answer is lost (a timeout after commit).
    s.running.sim.set_faults(Faults {
        lost_response_rate: 1.0,
        ..Faults::default()
    });
    let created = s.send("POST", "/Users", Some(ann("Sales"))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(s.users().len(), 1);
    assert_eq!(created.body["id"], s.users()[0].id.as_str());
    assert!(s.stats().calls("CreateUser") >= 2, "the SDK retried the create");

    // Someone else's user with the same name is still a conflict.
    s.running.sim.set_faults(Faults::default());
    let again = s.send("POST", "/Users", Some(ann("Sales"))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // A deprovision whose DeleteUser answer is lost still completes.
    s.running.sim.set_faults(Faults {
        lost_response_rate: 1.0,
        ..Faults::default()
    });
    let id = created.body["id"].as_str().unwrap();
    let off = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": false}]});
    let answer = s.send("PATCH", &format!("/Users/{id}"), Some(off)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(s.users().is_empty());
}
