//! The Amazon Connect extension end to end: routing profile, security
//! profiles, hierarchy group and phone settings written through SCIM and
//! read back from the simulator's state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use connect_directory::parse_department_map;
use connect_sim::{DEFAULT_INSTANCE_ID as INSTANCE, NamedKind};
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use support::{Answer, ENTERPRISE, Stack, assert_scim_error, stack, stack_with};

const EXT: &str = "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User";
const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn assert_invalid(answer: &Answer, mentions: &[&str]) {
    assert_scim_error(answer, 400, Some("invalidValue"));
    let detail = answer.body["detail"].as_str().unwrap();
    for m in mentions {
        assert!(detail.contains(m), "{detail:?} should mention {m:?}");
    }
}

fn patch(ops: Value) -> Option<Value> {
    Some(json!({"schemas": [PATCH_OP], "Operations": ops}))
}

/// An instance with a second routing profile and a two-level hierarchy.
async fn seed(s: &Stack) -> (String, String) {
    let sim = &s.running.sim;
    sim.add_named(INSTANCE, NamedKind::RoutingProfile, "Sales Routing", None)
        .unwrap();
    let support = sim
        .add_named(INSTANCE, NamedKind::HierarchyGroup, "Support", None)
        .unwrap();
    let tier = sim
        .add_named(INSTANCE, NamedKind::HierarchyGroup, "Tier 1", Some(&support))
        .unwrap();
    s.settle().await;
    (support, tier)
}

fn connect_user(s: &Stack, username: &str) -> connect_sim::wire::User {
    s.users().into_iter().find(|u| u.username == username).unwrap()
}

#[tokio::test]
async fn an_agent_is_created_and_changed_with_every_setting() {
    let s = stack(DeprovisionMode::Delete).await;
    let (_, tier) = seed(&s).await;
    let created = s
        .send(
            "POST",
            "/Users",
            Some(json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
                "userName": "ann",
                "name": {"givenName": "Ann", "familyName": "Lee"},
                EXT: {
                    "routingProfile": "sales routing",
                    "securityProfiles": ["QualityAnalyst", "Agent"],
                    "hierarchyGroup": "Tier 1",
                    "phoneType": "desk_phone",
                    "deskPhoneNumber": "+12065550100",
                    "autoAccept": true,
                    "afterContactWorkTimeLimit": 30,
                },
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let ext = &created.body[EXT];
    assert_eq!(ext["routingProfile"], "Sales Routing", "Connect's spelling");
    assert_eq!(ext["securityProfiles"], json!(["QualityAnalyst", "Agent"]));
    assert_eq!(ext["hierarchyGroup"], "Support/Tier 1", "read back as the path");
    assert_eq!(ext["phoneType"], "DESK_PHONE");
    assert_eq!(ext["afterContactWorkTimeLimit"], 30);

    let user = connect_user(&s, "ann");
    assert_eq!(
        user.routing_profile_id,
        s.running
            .sim
            .named_id(INSTANCE, NamedKind::RoutingProfile, "Sales Routing")
            .unwrap()
    );
    assert_eq!(
        user.security_profile_ids,
        [s.profile("QualityAnalyst"), s.profile("Agent")]
    );
    assert_eq!(user.hierarchy_group_id.as_deref(), Some(tier.as_str()));
    assert_eq!(user.phone_config.phone_type.as_deref(), Some("DESK_PHONE"));
    assert_eq!(
        user.phone_config.desk_phone_number.as_deref(),
        Some("+12065550100")
    );
    assert_eq!(user.phone_config.auto_accept, Some(true));
    assert_eq!(user.phone_config.after_contact_work_time_limit, Some(30));

    // Entra-style flat paths; a read through a list (SearchUsers, which
    // reports milliseconds) agrees with the read by id.
    let id = created.body["id"].as_str().unwrap();
    let changed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([
                {"op": "Replace", "path": format!("{EXT}:phoneType"), "value": "SOFT_PHONE"},
                {"op": "Replace", "path": format!("{EXT}:afterContactWorkTimeLimit"), "value": "120"},
                {"op": "Replace", "path": format!("{EXT}:hierarchyGroup"), "value": "Support"},
            ])),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let user = connect_user(&s, "ann");
    assert_eq!(user.phone_config.phone_type.as_deref(), Some("SOFT_PHONE"));
    assert_eq!(user.phone_config.after_contact_work_time_limit, Some(120));
    let listed = s.send("GET", "/Users?filter=userName+eq+%22ann%22", None).await;
    assert_eq!(listed.body["Resources"][0][EXT], changed.body[EXT]);
    assert_eq!(changed.body[EXT]["hierarchyGroup"], "Support");

    // Echoing what was read changes nothing in Connect.
    let before = s.stats();
    let put = s
        .send("PUT", &format!("/Users/{id}"), Some(changed.body.clone()))
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let calls = s.stats().since(&before);
    assert_eq!(calls.total_calls(), calls.calls("DescribeUser"), "{calls:?}");
}

#[tokio::test]
async fn unknown_names_and_impossible_settings_are_invalid_values_before_any_change() {
    // Names are cached (PROFILE_CACHE_SECONDS); this test changes the
    // hierarchy midway, so it reads them afresh.
    let s = stack_with(DeprovisionMode::Delete, |settings| {
        settings.profile_cache_ttl = std::time::Duration::ZERO;
    })
    .await;
    seed(&s).await;
    for (ext, mentions) in [
        (
            json!({"routingProfile": "Nope"}),
            vec!["routingProfile", "Basic Routing Profile", "Sales Routing"],
        ),
        (
            json!({"securityProfiles": ["Agent", "Nope"]}),
            vec!["securityProfiles", "CallCenterManager"],
        ),
        (
            json!({"securityProfiles": ["SCIM-Disabled"]}),
            vec!["securityProfiles"],
        ),
        (
            json!({"hierarchyGroup": "Nope"}),
            vec!["hierarchyGroup", "Support/Tier 1"],
        ),
        (json!({"phoneType": "DESK_PHONE"}), vec!["deskPhoneNumber"]),
        (json!({"deskPhoneNumber": "206-555-0100"}), vec!["E.164"]),
        (json!({"afterContactWorkTimeLimit": 2_000_001}), vec!["2000000"]),
        (json!({"phoneType": "CELL"}), vec!["SOFT_PHONE"]),
    ] {
        let answer = s
            .send("POST", "/Users", Some(json!({"userName": "bob", EXT: ext})))
            .await;
        assert_invalid(&answer, &mentions);
    }
    assert!(s.users().is_empty(), "nothing was created");

    // Two groups of one name are told apart by their path.
    let sales = s
        .running
        .sim
        .add_named(INSTANCE, NamedKind::HierarchyGroup, "Sales", None)
        .unwrap();
    s.running
        .sim
        .add_named(INSTANCE, NamedKind::HierarchyGroup, "Tier 1", Some(&sales))
        .unwrap();
    s.settle().await;
    let answer = s
        .send(
            "POST",
            "/Users",
            Some(json!({"userName": "bob", EXT: {"hierarchyGroup": "tier 1"}})),
        )
        .await;
    assert_invalid(&answer, &["Support/Tier 1", "Sales/Tier 1"]);
    let answer = s
        .send(
            "POST",
            "/Users",
            Some(json!({"userName": "bob", EXT: {"hierarchyGroup": "sales/tier 1"}})),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body[EXT]["hierarchyGroup"], "Sales/Tier 1");
}

#[tokio::test]
async fn chosen_profiles_win_over_the_department_until_removed() {
    let s = stack_with(DeprovisionMode::Delete, |settings| {
        settings.department_map = parse_department_map(
            r#"{"Support": {"securityProfiles": ["QualityAnalyst"], "routingProfile": "Sales Routing"}}"#,
        )
        .unwrap();
    })
    .await;
    seed(&s).await;
    s.running
        .sim
        .add_named(INSTANCE, NamedKind::SecurityProfile, "Supervisors", None)
        .unwrap();
    s.settle().await;
    let created = s
        .send(
            "POST",
            "/Users",
            Some(json!({
                "userName": "ann",
                ENTERPRISE: {"department": "Support"},
                EXT: {"securityProfiles": ["CallCenterManager"], "routingProfile": "Basic Routing Profile"},
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let basic = s
        .running
        .sim
        .named_id(INSTANCE, NamedKind::RoutingProfile, "Basic Routing Profile")
        .unwrap();
    let sales = s
        .running
        .sim
        .named_id(INSTANCE, NamedKind::RoutingProfile, "Sales Routing")
        .unwrap();
    let user = connect_user(&s, "ann");
    assert_eq!(user.security_profile_ids, [s.profile("CallCenterManager")]);
    assert_eq!(user.routing_profile_id, basic);

    // A group's profile comes on top of the chosen ones.
    let group = s
        .send("POST", "/Groups", Some(json!({"displayName": "Supervisors"})))
        .await;
    let gid = group.body["id"].as_str().unwrap();
    let add = patch(json!([{"op": "add", "path": "members", "value": [{"value": id}]}]));
    assert_eq!(s.send("PATCH", &format!("/Groups/{gid}"), add).await.status, 204);
    let user = connect_user(&s, "ann");
    assert_eq!(
        user.security_profile_ids,
        [s.profile("CallCenterManager"), s.profile("Supervisors")]
    );

    // Removing the choices hands the decision back to the department.
    let answer = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([
                {"op": "remove", "path": format!("{EXT}:securityProfiles")},
                {"op": "remove", "path": format!("{EXT}:routingProfile")},
            ])),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer.body[EXT].get("securityProfiles").is_none(),
        "{}",
        answer.body
    );
    let user = connect_user(&s, "ann");
    assert_eq!(
        user.security_profile_ids,
        [s.profile("QualityAnalyst"), s.profile("Supervisors")]
    );
    assert_eq!(user.routing_profile_id, sales);
    assert!(!user.tags.contains_key("scim:routingProfile"));
}

#[tokio::test]
async fn schemas_list_the_names_the_instance_accepts() {
    let s = stack(DeprovisionMode::Delete).await;
    seed(&s).await;
    let schema = s.send("GET", &format!("/Schemas/{EXT}"), None).await;
    assert_eq!(schema.status, 200);
    let attribute = |name: &str| {
        schema.body["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(
        attribute("routingProfile")["canonicalValues"],
        json!(["Basic Routing Profile", "Sales Routing"])
    );
    assert_eq!(
        attribute("hierarchyGroup")["canonicalValues"],
        json!(["Support", "Support/Tier 1"])
    );
    let profiles = attribute("securityProfiles")["canonicalValues"].clone();
    assert!(profiles.as_array().unwrap().contains(&json!("Agent")));
    assert!(!profiles.as_array().unwrap().contains(&json!("SCIM-Disabled")));
    // Only what may be granted is offered (ASSIGNABLE_SECURITY_PROFILES).
    assert!(
        !profiles.as_array().unwrap().contains(&json!("Admin")),
        "{profiles}"
    );
    assert_eq!(attribute("afterContactWorkTimeLimit")["type"], "integer");
    let types = s.send("GET", "/ResourceTypes/User", None).await;
    assert!(
        types.body["schemaExtensions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["schema"] == EXT)
    );
}
