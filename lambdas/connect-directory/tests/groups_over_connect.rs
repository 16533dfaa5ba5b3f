//! /Groups end to end: SCIM requests through the real Router and Connect
//! adapter, over the real SDK to the simulator. Every assertion about
//! Connect reads the simulator's state: which security profiles exist, with
//! which tags, and which profiles each user holds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;

use connect_directory::parse_department_map;
use connect_sim::{DEFAULT_INSTANCE_ID as INSTANCE, NamedKind};
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use support::{ENTERPRISE, PATCH_OP, Stack, assert_scim_error, members_added, stack, stack_with};

fn patch(ops: Value) -> Option<Value> {
    Some(json!({"schemas": [PATCH_OP], "Operations": ops}))
}

fn remove(id: &str) -> Option<Value> {
    patch(json!([{"op": "remove", "path": format!("members[value eq \"{id}\"]")}]))
}

impl Stack {
    async fn seed(&self, names: &[&str]) {
        for name in names {
            self.running
                .sim
                .add_named(INSTANCE, NamedKind::SecurityProfile, name, None)
                .unwrap();
        }
        self.settle().await;
    }

    async fn user(&self, name: &str, department: Option<&str>) -> String {
        let mut body = json!({"userName": name, "name": {"givenName": "A", "familyName": "B"}});
        if let Some(d) = department {
            body[ENTERPRISE] = json!({"department": d});
        }
        let answer = self.send("POST", "/Users", Some(body)).await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        answer.body["id"].as_str().unwrap().to_owned()
    }

    /// The names of the security profiles a Connect user holds.
    fn held(&self, user_id: &str) -> BTreeSet<String> {
        let user = self.users().into_iter().find(|u| u.id == user_id).unwrap();
        let names = [
            "Admin",
            "Agent",
            "CallCenterManager",
            "QualityAnalyst",
            "SCIM-Disabled",
        ]
        .into_iter()
        .chain(GROUPS)
        .filter(|n| {
            self.running
                .sim
                .named_id(INSTANCE, NamedKind::SecurityProfile, n)
                .is_some()
        });
        names
            .filter(|n| user.security_profile_ids.contains(&self.profile(n)))
            .map(str::to_owned)
            .collect()
    }
}

const GROUPS: [&str; 4] = ["Sales Agents", "Billing", "Supervisors", "Night Shift"];

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn an_agent_holds_the_union_of_its_department_and_groups() {
    let s = stack_with(DeprovisionMode::Delete, |settings| {
        settings.department_map =
            parse_department_map(r#"{"Support": ["Agent", "QualityAnalyst"]}"#).unwrap();
    })
    .await;
    s.seed(&GROUPS).await;
    let ann = s.user("ann", Some("Support")).await;
    let (sales, billing, supervisors) = (
        s.group("Sales Agents").await,
        s.group("billing").await,
        s.group("Supervisors").await,
    );
    assert_eq!(
        billing,
        s.profile("Billing"),
        "a POST links to the profile of that name"
    );
    for group in [&sales, &billing, &supervisors] {
        s.add_member(group, &ann, 204).await;
    }
    assert_eq!(
        s.held(&ann),
        set(&[
            "Agent",
            "QualityAnalyst",
            "Sales Agents",
            "Billing",
            "Supervisors"
        ])
    );

    // A group whose profile the department also grants.
    let qa = s.group("QualityAnalyst").await;
    s.add_member(&qa, &ann, 204).await;
    assert_eq!(
        s.send("PATCH", &format!("/Groups/{qa}"), remove(&ann))
            .await
            .status,
        204
    );
    assert!(
        s.held(&ann).contains("QualityAnalyst"),
        "the department still grants it"
    );

    // Leaving one group removes only what that group alone granted.
    assert_eq!(
        s.send("PATCH", &format!("/Groups/{billing}"), remove(&ann))
            .await
            .status,
        204
    );
    assert_eq!(
        s.held(&ann),
        set(&["Agent", "QualityAnalyst", "Sales Agents", "Supervisors"])
    );

    // A department change swaps the department's profiles, not the groups'.
    let moved =
        patch(json!([{"op": "replace", "path": format!("{ENTERPRISE}:department"), "value": "Elsewhere"}]));
    let answer = s.send("PATCH", &format!("/Users/{ann}"), moved).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(s.held(&ann), set(&["Sales Agents", "Supervisors"]));
    let groups: BTreeSet<String> = answer.body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["display"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(groups, set(&["Sales Agents", "Supervisors"]), "the User's groups");

    // Leaving every group falls back to the default profile, never to none.
    for group in [&sales, &supervisors] {
        assert_eq!(
            s.send("PATCH", &format!("/Groups/{group}"), remove(&ann))
                .await
                .status,
            204
        );
    }
    assert_eq!(s.held(&ann), set(&["Agent"]));
}

#[tokio::test]
async fn entra_links_fills_and_reads_groups() {
    let s = stack(DeprovisionMode::Delete).await;
    s.seed(&["Sales Agents"]).await;
    let (ann, bob) = (s.user("ann", None).await, s.user("bob", None).await);

    let lookup = "/Groups?excludedAttributes=members&filter=displayName+eq+%22sales+agents%22";
    let found = s.send("GET", lookup, None).await;
    assert_eq!(found.body["totalResults"], 1, "{}", found.body);
    assert!(found.body["Resources"][0].get("members").is_none());
    let created = s
        .send(
            "POST",
            "/Groups",
            Some(json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
                            "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                "externalId": "8aa1a0c0-c4c3", "displayName": "Sales Agents",
                "meta": {"resourceType": "Group"},
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(id, s.profile("Sales Agents"), "the group is the security profile");
    assert_eq!(created.body["members"], json!([]));
    let tags = s
        .running
        .sim
        .security_profile_tags(INSTANCE, "Sales Agents")
        .unwrap();
    assert_eq!(tags["scim:externalId"], "8aa1a0c0-c4c3");
    assert!(
        !tags.contains_key("scim:managed"),
        "linked, not made by the bridge"
    );

    // Adding a user that does not exist changes nothing, even for the others.
    let answer = s
        .send(
            "PATCH",
            &format!("/Groups/{id}"),
            members_added(&[&ann, "00000000-0000-0000-0000-000000000000"]),
        )
        .await;
    assert_scim_error(&answer, 400, Some("invalidValue"));
    assert_eq!(s.held(&ann), set(&["Agent"]));

    let answer = s
        .send("PATCH", &format!("/Groups/{id}"), members_added(&[&ann, &bob]))
        .await;
    assert_eq!((answer.status.as_u16(), &answer.body), (204, &Value::Null));
    let group = s.send("GET", &format!("/Groups/{id}"), None).await;
    let members: BTreeSet<String> = group.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(members, set(&[&ann, &bob]));
    assert_eq!(
        group.body["members"][0]["$ref"],
        format!(
            "http://scim.example.com/scim/v2/Users/{}",
            group.body["members"][0]["value"].as_str().unwrap()
        )
    );
    assert!(group.body["meta"]["lastModified"].is_string());
    // Agent was the default for users with neither a department nor groups.
    assert_eq!(s.held(&ann), set(&["Sales Agents"]));

    // Flag-off removal: the values listed.
    let off = patch(json!([{"op": "Remove", "path": "members", "value": [{"value": bob}]}]));
    assert_eq!(
        s.send("PATCH", &format!("/Groups/{id}"), off.clone())
            .await
            .status,
        204
    );
    assert_eq!(
        s.send("PATCH", &format!("/Groups/{id}"), off).await.status,
        204,
        "a non-member"
    );
    assert_eq!(s.held(&bob), set(&["Agent"]));

    // A renamed Entra group cannot rename the profile.
    let rename = patch(json!([{"op": "Replace", "path": "displayName", "value": "Sales Team"}]));
    assert_scim_error(
        &s.send("PATCH", &format!("/Groups/{id}"), rename).await,
        400,
        Some("mutability"),
    );

    // The disabled-agent profile is never a group.
    let all = s.send("GET", "/Groups?startIndex=1&count=100", None).await;
    let names: Vec<&str> = all.body["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(all.body["totalResults"], names.len());
    assert!(
        names.contains(&"Sales Agents") && !names.contains(&"SCIM-Disabled"),
        "{names:?}"
    );
    let refused = s
        .send("POST", "/Groups", Some(json!({"displayName": "scim-disabled"})))
        .await;
    assert_scim_error(&refused, 400, Some("invalidValue"));

    // Deleting a group an administrator made takes it away from everyone
    // and keeps the profile.
    assert_eq!(s.send("DELETE", &format!("/Groups/{id}"), None).await.status, 204);
    assert_eq!(s.held(&ann), set(&["Agent"]));
    assert!(
        s.running
            .sim
            .named_id(INSTANCE, NamedKind::SecurityProfile, "Sales Agents")
            .is_some()
    );
}

#[tokio::test]
async fn groups_create_profiles_only_when_allowed() {
    let s = stack(DeprovisionMode::Delete).await;
    let refused = s
        .send("POST", "/Groups", Some(json!({"displayName": "Night Shift"})))
        .await;
    assert_scim_error(&refused, 400, Some("invalidValue"));
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("GROUPS_CREATE_SECURITY_PROFILES")
    );
    assert!(
        s.running
            .sim
            .named_id(INSTANCE, NamedKind::SecurityProfile, "Night Shift")
            .is_none()
    );

    let s = stack_with(DeprovisionMode::Delete, |settings| settings.create_groups = true).await;
    let ann = s.user("ann", None).await;
    let made = s
        .send(
            "POST",
            "/Groups",
            Some(json!({"displayName": "Night Shift", "externalId": "okta-1", "members": [{"value": ann}]})),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.body["id"].as_str().unwrap().to_owned();
    assert_eq!(made.body["members"][0]["value"], ann.as_str());
    assert_eq!(
        s.running
            .sim
            .security_profile_permissions(INSTANCE, "Night Shift"),
        Some(vec![]),
        "made with no permissions"
    );
    let tags = s
        .running
        .sim
        .security_profile_tags(INSTANCE, "Night Shift")
        .unwrap();
    assert_eq!(
        (tags["scim:managed"].as_str(), tags["scim:externalId"].as_str()),
        ("true", "okta-1")
    );
    assert_eq!(s.held(&ann), set(&["Night Shift"]));

    // Names Connect refuses are invalid values, not failures.
    let bad = s
        .send("POST", "/Groups", Some(json!({"displayName": "Sales & Support"})))
        .await;
    assert_scim_error(&bad, 400, Some("invalidValue"));

    // Deleting a group the bridge made deletes its profile.
    assert_eq!(s.send("DELETE", &format!("/Groups/{id}"), None).await.status, 204);
    assert!(
        s.running
            .sim
            .named_id(INSTANCE, NamedKind::SecurityProfile, "Night Shift")
            .is_none()
    );
    assert_eq!(s.held(&ann), set(&["Agent"]));
    assert_scim_error(&s.send("GET", &format!("/Groups/{id}"), None).await, 404, None);
}

#[tokio::test]
async fn ten_profiles_is_the_most_and_an_eleventh_changes_nothing() {
    let s = stack(DeprovisionMode::Delete).await;
    let names: Vec<String> = (1..=11).map(|i| format!("Team {i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    s.seed(&refs).await;
    let ann = s.user("ann", None).await;
    let mut ids = Vec::new();
    for name in &refs {
        ids.push(s.group(name).await);
    }
    for id in &ids[..10] {
        s.add_member(id, &ann, 204).await;
    }
    // A page of more than ten groups reads members in two searches; an agent
    // in groups of both is listed once in each.
    let page = s.send("GET", "/Groups?startIndex=1&count=100", None).await;
    let groups = page.body["Resources"].as_array().unwrap();
    assert!(groups.len() > 10, "{}", page.body);
    for group in groups {
        let members = group["members"].as_array().unwrap();
        let in_team =
            group["displayName"].as_str().unwrap().starts_with("Team ") && group["displayName"] != "Team 11";
        assert_eq!(members.len(), usize::from(in_team), "{group}");
    }
    let answer = s.add_member(&ids[10], &ann, 400).await;
    assert_scim_error(&answer, 400, Some("invalidValue"));
    assert!(
        answer.body["detail"].as_str().unwrap().contains("at most 10"),
        "{}",
        answer.body
    );
    let user = s.users().into_iter().find(|u| u.id == ann).unwrap();
    assert_eq!(user.security_profile_ids.len(), 10);
    assert!(!user.security_profile_ids.contains(&ids[10]));
}

#[tokio::test]
async fn a_disabled_agent_keeps_its_group_changes_for_when_it_returns() {
    let s = stack(DeprovisionMode::Disable).await;
    s.seed(&["Supervisors"]).await;
    let ann = s.user("ann", None).await;
    let supervisors = s.group("Supervisors").await;
    let off = patch(json!([{"op": "replace", "path": "active", "value": false}]));
    assert_eq!(s.send("PATCH", &format!("/Users/{ann}"), off).await.status, 200);
    assert_eq!(s.held(&ann), set(&["SCIM-Disabled"]));

    // Joining while disabled grants nothing now ...
    s.add_member(&supervisors, &ann, 204).await;
    assert_eq!(s.held(&ann), set(&["SCIM-Disabled"]));
    // ... and everything on return.
    let on = patch(json!([{"op": "replace", "path": "active", "value": true}]));
    let answer = s.send("PATCH", &format!("/Users/{ann}"), on).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(s.held(&ann), set(&["Supervisors"]));
}

#[tokio::test]
async fn okta_full_push_and_put_replace_the_members() {
    let s = stack(DeprovisionMode::Delete).await;
    s.seed(&["Billing"]).await;
    let (ann, bob) = (s.user("ann", None).await, s.user("bob", None).await);
    let id = s.group("Billing").await;
    let uri = format!("/Groups/{id}");
    let push = patch(json!([
        {"op": "replace", "value": {"id": id, "displayName": "Billing"}},
        {"op": "replace", "path": "members", "value": [{"value": ann, "display": "ann"}]},
    ]));
    assert_eq!(s.send("PATCH", &uri, push).await.status, 204);
    assert_eq!((s.held(&ann), s.held(&bob)), (set(&["Billing"]), set(&["Agent"])));
    let put = s
        .send(
            "PUT",
            &uri,
            Some(json!({"displayName": "Billing", "members": [{"value": bob}]})),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["members"].as_array().unwrap().len(), 1);
    assert_eq!((s.held(&ann), s.held(&bob)), (set(&["Agent"]), set(&["Billing"])));
    let answer = s
        .send("PATCH", &format!("{uri}?attributes=displayName"), remove(&bob))
        .await;
    assert_eq!(answer.status, 200, "attributes asks for the group back");
    assert_eq!(answer.body["displayName"], "Billing");
    assert!(answer.body.get("members").is_none());
}

#[tokio::test]
async fn a_group_takes_away_only_what_it_granted() {
    let s = stack_with(DeprovisionMode::Delete, |settings| {
        settings.department_map = parse_department_map(r#"{"Billing": ["Agent", "Billing"]}"#).unwrap();
    })
    .await;
    s.seed(&["Billing"]).await;
    let (ann, bob) = (s.user("ann", Some("Billing")).await, s.user("bob", None).await);
    // Someone given the profile in Connect, outside SCIM.
    let outsider = s
        .running
        .sim
        .users(INSTANCE)
        .into_iter()
        .find(|u| u.id == bob)
        .unwrap();
    let connect =
        aws_sdk_connect::Client::new(&connect_directory::sdk_config_for_endpoint(&s.running.url()).await);
    connect
        .update_user_security_profiles()
        .instance_id(INSTANCE)
        .user_id(&outsider.id)
        .security_profile_ids(s.profile("QualityAnalyst"))
        .security_profile_ids(s.profile("Billing"))
        .send()
        .await
        .unwrap();
    // Changed outside SCIM: members are read from the search index, which
    // shows the change once it has caught up.
    s.settle().await;
    let billing = s.group("Billing").await;
    let listed = s.send("GET", &format!("/Groups/{billing}"), None).await;
    assert_eq!(
        listed.body["members"].as_array().unwrap().len(),
        2,
        "both hold it"
    );

    // Okta's full push of nobody, then Okta's unlink-and-delete: neither
    // touches what the group never granted.
    let push = patch(json!([{"op": "replace", "path": "members", "value": []}]));
    assert_eq!(
        s.send("PATCH", &format!("/Groups/{billing}"), push).await.status,
        204
    );
    assert_eq!(
        s.send("DELETE", &format!("/Groups/{billing}"), None).await.status,
        204
    );
    assert_eq!(s.held(&ann), set(&["Agent", "Billing"]));
    assert_eq!(s.held(&bob), set(&["QualityAnalyst", "Billing"]));
}

#[tokio::test]
async fn an_agent_returns_even_when_a_group_profile_was_deleted_meanwhile() {
    let s = stack_with(DeprovisionMode::Disable, |settings| settings.create_groups = true).await;
    let ann = s.user("ann", None).await;
    let made = s
        .send("POST", "/Groups", Some(json!({"displayName": "Night Shift"})))
        .await;
    let night = made.body["id"].as_str().unwrap().to_owned();
    s.add_member(&night, &ann, 204).await;
    let off = patch(json!([{"op": "replace", "path": "active", "value": false}]));
    assert_eq!(s.send("PATCH", &format!("/Users/{ann}"), off).await.status, 200);
    // The disabled agent does not hold the profile, so deleting the group
    // deletes it while the agent's tags still name it.
    assert_eq!(
        s.send("DELETE", &format!("/Groups/{night}"), None).await.status,
        204
    );
    assert!(
        s.running
            .sim
            .named_id(INSTANCE, NamedKind::SecurityProfile, "Night Shift")
            .is_none()
    );
    let on = patch(json!([{"op": "replace", "path": "active", "value": true}]));
    let answer = s.send("PATCH", &format!("/Users/{ann}"), on).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(s.held(&ann), set(&["Agent"]));
}

#[tokio::test]
async fn a_post_with_an_unknown_member_makes_no_group() {
    let s = stack_with(DeprovisionMode::Delete, |settings| settings.create_groups = true).await;
    let answer = s
        .send(
            "POST",
            "/Groups",
            Some(json!({"displayName": "Night Shift", "members": [{"value": "00000000-0000-0000-0000-000000000000"}]})),
        )
        .await;
    assert_scim_error(&answer, 400, Some("invalidValue"));
    assert!(
        s.running
            .sim
            .named_id(INSTANCE, NamedKind::SecurityProfile, "Night Shift")
            .is_none()
    );
}

#[tokio::test]
async fn a_patch_refused_for_its_external_id_changes_no_member() {
    let s = stack(DeprovisionMode::Delete).await;
    s.seed(&["Billing"]).await;
    let ann = s.user("ann", None).await;
    let billing = s.group("Billing").await;
    let both = patch(json!([
        {"op": "add", "path": "members", "value": [{"value": ann}]},
        {"op": "replace", "path": "externalId", "value": "x".repeat(257)},
    ]));
    let answer = s.send("PATCH", &format!("/Groups/{billing}"), both).await;
    assert_scim_error(&answer, 400, Some("invalidValue"));
    assert_eq!(s.held(&ann), set(&["Agent"]));
}
