#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Wire fidelity: the real `aws-sdk-connect` client against the simulator
//! over HTTP. If the simulator's paths, bodies or error shapes drift from
//! Connect's model, the SDK fails to build requests or parse answers here.

use aws_sdk_connect::Client;
use aws_sdk_connect::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{
    ControlPlaneTagFilter, HierarchyGroupCondition, HierarchyGroupMatchType, PhoneType, StringComparisonType,
    StringCondition, TagCondition, UserIdentityInfo, UserPhoneConfig, UserSearchCriteria, UserSearchFilter,
};
use connect_sim::{DEFAULT_INSTANCE_ID, Faults, NamedKind, Quota, RunningSimulator, SimConfig};

const INSTANCE: &str = DEFAULT_INSTANCE_ID;

async fn start(config: SimConfig) -> (RunningSimulator, Client) {
    let running = connect_sim::spawn(&config, "127.0.0.1:0").await.expect("bind");
    let sdk = aws_sdk_connect::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(running.url())
        .credentials_provider(Credentials::new("AKIDSIM", "secret", None, None, "test"))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        // Tests look at single answers; the SDK must not hide them behind retries.
        .retry_config(aws_sdk_connect::config::retry::RetryConfig::disabled())
        .build();
    (running, Client::from_conf(sdk))
}

/// The default instance uses SAML, where `Email` is refused: the address
/// travels as `SecondaryEmail`.
fn identity(first: &str, last: &str, secondary_email: Option<&str>) -> UserIdentityInfo {
    UserIdentityInfo::builder()
        .first_name(first)
        .last_name(last)
        .set_secondary_email(secondary_email.map(str::to_owned))
        .build()
}

struct Ids {
    agent: String,
    admin: String,
    routing: String,
}

fn ids(running: &RunningSimulator) -> Ids {
    let sp = |name| {
        running
            .sim
            .named_id(INSTANCE, NamedKind::SecurityProfile, name)
            .expect("seeded profile")
    };
    Ids {
        agent: sp("Agent"),
        admin: sp("Admin"),
        routing: running
            .sim
            .named_id(INSTANCE, NamedKind::RoutingProfile, "Basic Routing Profile")
            .expect("seeded routing profile"),
    }
}

async fn create(client: &Client, ids: &Ids, username: &str) -> String {
    client
        .create_user()
        .instance_id(INSTANCE)
        .username(username)
        .identity_info(identity("Ann", username, Some("ann@example.com")))
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::SoftPhone)
                .build(),
        )
        .security_profile_ids(&ids.agent)
        .routing_profile_id(&ids.routing)
        .tags("scim:externalId", format!("ext-{username}"))
        .send()
        .await
        .expect("create user")
        .user_id
        .expect("user id")
}

#[tokio::test]
async fn a_fresh_instance_is_seeded() {
    let (_running, client) = start(SimConfig::unthrottled()).await;
    let profiles = client
        .list_security_profiles()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    let mut names: Vec<_> = profiles
        .security_profile_summary_list()
        .iter()
        .filter_map(|p| p.name())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"]);
    let routing = client
        .list_routing_profiles()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    assert_eq!(
        routing.routing_profile_summary_list()[0].name(),
        Some("Basic Routing Profile")
    );
    let groups = client
        .list_user_hierarchy_groups()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    assert!(groups.user_hierarchy_group_summary_list().is_empty());
}

#[tokio::test]
async fn create_describe_delete_round_trip() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let id = create(&client, &ids, "ann.lee@example.com").await;
    let user = client
        .describe_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(user.username(), Some("ann.lee@example.com"));
    assert_eq!(user.security_profile_ids(), std::slice::from_ref(&ids.agent));
    assert_eq!(user.routing_profile_id(), Some(ids.routing.as_str()));
    let info = user.identity_info().unwrap();
    assert_eq!(info.secondary_email(), Some("ann@example.com"));
    assert_eq!(info.email(), None);
    assert_eq!(
        user.tags().unwrap().get("scim:externalId").map(String::as_str),
        Some("ext-ann.lee@example.com")
    );
    assert!(user.arn().unwrap().ends_with(&format!("/agent/{id}")));
    assert!(user.last_modified_time().is_some());

    client
        .delete_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    let err = client
        .describe_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await
        .unwrap_err();
    assert!(err.as_service_error().unwrap().is_resource_not_found_exception());
    let err = client
        .delete_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn duplicate_usernames_are_refused_whatever_their_case() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    create(&client, &ids, "dup.user").await;
    let err = client
        .create_user()
        .instance_id(INSTANCE)
        .username("DUP.User")
        .identity_info(identity("A", "B", None))
        .security_profile_ids(&ids.agent)
        .routing_profile_id(&ids.routing)
        .send()
        .await
        .unwrap_err();
    assert!(err.as_service_error().unwrap().is_duplicate_resource_exception());
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 409);
    assert_eq!(running.sim.users(INSTANCE).len(), 1);
}

#[tokio::test]
async fn create_validates_like_connect() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let base = || {
        client
            .create_user()
            .instance_id(INSTANCE)
            .identity_info(identity("A", "B", None))
            .routing_profile_id(&ids.routing)
    };
    let cases = [
        (
            base().username("bad name").security_profile_ids(&ids.agent),
            "InvalidParameterException",
        ),
        (
            base().username("x@nodot").security_profile_ids(&ids.agent),
            "InvalidParameterException",
        ),
        (
            base().username("x".repeat(65)).security_profile_ids(&ids.agent),
            "InvalidParameterException",
        ),
        (
            base().username("ok").security_profile_ids("no-such-profile"),
            "ResourceNotFoundException",
        ),
        (
            base()
                .username("ok")
                .security_profile_ids(&ids.agent)
                .routing_profile_id("nope"),
            "ResourceNotFoundException",
        ),
        (
            base()
                .username("ok")
                .security_profile_ids(&ids.agent)
                .identity_info(
                    UserIdentityInfo::builder()
                        .first_name("A")
                        .last_name("B")
                        .mobile("555-0100")
                        .build(),
                ),
            "InvalidParameterException",
        ),
        (
            base()
                .username("ok")
                .security_profile_ids(&ids.agent)
                .identity_info(UserIdentityInfo::builder().first_name("OnlyFirst").build()),
            "InvalidParameterException",
        ),
        (
            base()
                .username("ok")
                .security_profile_ids(&ids.agent)
                .phone_config(
                    UserPhoneConfig::builder()
                        .phone_type(PhoneType::DeskPhone)
                        .build(),
                ),
            "InvalidParameterException",
        ),
        (
            base()
                .username("ok")
                .set_security_profile_ids(Some(vec![ids.agent.clone(); 11])),
            "InvalidParameterException",
        ),
        (
            base()
                .username("ok")
                .security_profile_ids(&ids.agent)
                .tags("aws:x", "y"),
            "InvalidParameterException",
        ),
    ];
    for (i, (request, code)) in cases.into_iter().enumerate() {
        let err = request.send().await.unwrap_err();
        assert_eq!(err.code(), Some(code), "case {i}: {err:?}");
    }
    assert!(
        running.sim.users(INSTANCE).is_empty(),
        "nothing is created by a refused call"
    );

    let err = client
        .describe_user()
        .instance_id("11111111-1111-1111-1111-111111111111")
        .user_id("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn updates_change_only_their_part() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let id = create(&client, &ids, "upd").await;
    client
        .update_user_identity_info()
        .instance_id(INSTANCE)
        .user_id(&id)
        .identity_info(identity("Bea", "Smith", Some("bea@example.com")))
        .send()
        .await
        .unwrap();
    client
        .update_user_security_profiles()
        .instance_id(INSTANCE)
        .user_id(&id)
        .security_profile_ids(&ids.admin)
        .security_profile_ids(&ids.agent)
        .send()
        .await
        .unwrap();
    client
        .update_user_phone_config()
        .instance_id(INSTANCE)
        .user_id(&id)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("+12065550100")
                .auto_accept(true)
                .after_contact_work_time_limit(30)
                .build(),
        )
        .send()
        .await
        .unwrap();
    // DescribeUser reports the after-contact work limit in seconds,
    // SearchUsers in milliseconds (as Connect documents).
    let described = client
        .describe_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    let phone = described.user().unwrap().phone_config().unwrap();
    assert_eq!(phone.after_contact_work_time_limit(), 30);
    let searched = client
        .search_users()
        .instance_id(INSTANCE)
        .search_criteria(
            UserSearchCriteria::builder()
                .string_condition(
                    StringCondition::builder()
                        .field_name("resourceId")
                        .value(&id)
                        .comparison_type(StringComparisonType::Exact)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let phone = searched.users()[0].phone_config().unwrap();
    assert_eq!(phone.after_contact_work_time_limit(), 30_000);
    let routing2 = running
        .sim
        .add_named(INSTANCE, NamedKind::RoutingProfile, "Sales Routing", None)
        .unwrap();
    client
        .update_user_routing_profile()
        .instance_id(INSTANCE)
        .user_id(&id)
        .routing_profile_id(&routing2)
        .send()
        .await
        .unwrap();
    let group = running
        .sim
        .add_named(INSTANCE, NamedKind::HierarchyGroup, "Team A", None)
        .unwrap();
    client
        .update_user_hierarchy()
        .instance_id(INSTANCE)
        .user_id(&id)
        .hierarchy_group_id(&group)
        .send()
        .await
        .unwrap();

    let user = client
        .describe_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(user.username(), Some("upd"));
    assert_eq!(user.identity_info().unwrap().first_name(), Some("Bea"));
    assert_eq!(
        user.security_profile_ids(),
        [ids.admin.clone(), ids.agent.clone()]
    );
    let phone = user.phone_config().unwrap();
    assert_eq!(phone.phone_type(), &PhoneType::DeskPhone);
    assert_eq!(phone.desk_phone_number(), Some("+12065550100"));
    assert_eq!(user.routing_profile_id(), Some(routing2.as_str()));
    assert_eq!(user.hierarchy_group_id(), Some(group.as_str()));

    // Refused updates leave the user as it was.
    let err = client
        .update_user_security_profiles()
        .instance_id(INSTANCE)
        .user_id(&id)
        .security_profile_ids("missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let err = client
        .update_user_identity_info()
        .instance_id(INSTANCE)
        .user_id(&id)
        .identity_info(identity("Bea", "Smith", Some("bea@@example")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
    let err = client
        .update_user_routing_profile()
        .instance_id(INSTANCE)
        .user_id("no-such-user")
        .routing_profile_id(&ids.routing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let stored = &running.sim.users(INSTANCE)[0];
    assert_eq!(
        stored.security_profile_ids,
        [ids.admin.clone(), ids.agent.clone()]
    );
    assert_eq!(
        stored.identity_info.secondary_email.as_deref(),
        Some("bea@example.com")
    );
}

fn string(field: &str, value: &str, comparison: StringComparisonType) -> UserSearchCriteria {
    UserSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name(field)
                .value(value)
                .comparison_type(comparison)
                .build(),
        )
        .build()
}

async fn search_names(
    client: &Client,
    criteria: Option<UserSearchCriteria>,
    filter: Option<UserSearchFilter>,
) -> Vec<String> {
    let out = client
        .search_users()
        .instance_id(INSTANCE)
        .set_search_criteria(criteria)
        .set_search_filter(filter)
        .send()
        .await
        .unwrap();
    assert_eq!(out.approximate_total_count(), Some(out.users().len() as i64));
    out.users()
        .iter()
        .filter_map(|u| u.username().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn search_users_conditions_and_filters() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    for name in ["alice", "alfred", "bob", "carol.alpha"] {
        create(&client, &ids, name).await;
    }
    let bob = running.sim.users(INSTANCE)[2].id.clone();
    client
        .update_user_security_profiles()
        .instance_id(INSTANCE)
        .user_id(&bob)
        .security_profile_ids(&ids.admin)
        .send()
        .await
        .unwrap();

    use StringComparisonType::*;
    assert_eq!(
        search_names(&client, Some(string("Username", "ALICE", Exact)), None).await,
        ["alice"]
    );
    assert_eq!(
        search_names(&client, Some(string("username", "al", StartsWith)), None).await,
        ["alice", "alfred"]
    );
    assert_eq!(
        search_names(&client, Some(string("Username", "alph", Contains)), None).await,
        ["carol.alpha"]
    );
    assert_eq!(
        search_names(&client, Some(string("resourceId", &bob, Exact)), None).await,
        ["bob"]
    );
    assert_eq!(
        search_names(
            &client,
            Some(string("SecurityProfileId", &ids.admin, Exact)),
            None
        )
        .await,
        ["bob"]
    );
    assert_eq!(
        search_names(
            &client,
            Some(string("RoutingProfileId", &ids.routing, Exact)),
            None
        )
        .await
        .len(),
        4
    );
    assert_eq!(
        search_names(&client, Some(string("LastName", "alfred", Exact)), None).await,
        ["alfred"]
    );

    let or = UserSearchCriteria::builder()
        .or_conditions(string("Username", "bob", Exact))
        .or_conditions(string("Username", "alice", Exact))
        .build();
    assert_eq!(search_names(&client, Some(or), None).await, ["alice", "bob"]);
    let and = UserSearchCriteria::builder()
        .and_conditions(string("Username", "al", StartsWith))
        .and_conditions(string("Username", "red", Contains))
        .build();
    assert_eq!(search_names(&client, Some(and), None).await, ["alfred"]);

    let tag = UserSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .tag_condition(
                    TagCondition::builder()
                        .tag_key("scim:externalId")
                        .tag_value("ext-bob")
                        .build(),
                )
                .build(),
        )
        .build();
    assert_eq!(search_names(&client, None, Some(tag)).await, ["bob"]);

    let err = client
        .search_users()
        .instance_id(INSTANCE)
        .search_criteria(string("Email", "x", Exact))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
    let err = client
        .search_users()
        .instance_id(INSTANCE)
        .max_results(501)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
}

#[tokio::test]
async fn hierarchy_conditions_follow_the_tree() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let parent = running
        .sim
        .add_named(INSTANCE, NamedKind::HierarchyGroup, "Region", None)
        .unwrap();
    let child = running
        .sim
        .add_named(INSTANCE, NamedKind::HierarchyGroup, "Team", Some(&parent))
        .unwrap();
    let id = create(&client, &ids, "placed").await;
    create(&client, &ids, "unplaced").await;
    client
        .update_user_hierarchy()
        .instance_id(INSTANCE)
        .user_id(&id)
        .hierarchy_group_id(&child)
        .send()
        .await
        .unwrap();
    let condition = |value: &str, kind| {
        UserSearchCriteria::builder()
            .hierarchy_group_condition(
                HierarchyGroupCondition::builder()
                    .value(value)
                    .hierarchy_group_match_type(kind)
                    .build(),
            )
            .build()
    };
    let exact_parent = condition(&parent, HierarchyGroupMatchType::Exact);
    assert!(search_names(&client, Some(exact_parent), None).await.is_empty());
    let with_children = condition(&parent, HierarchyGroupMatchType::WithChildGroups);
    assert_eq!(search_names(&client, Some(with_children), None).await, ["placed"]);
}

#[tokio::test]
async fn search_and_list_page_through_every_user_once() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    for i in 0..23 {
        create(&client, &ids, &format!("user{i:02}")).await;
    }
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .search_users()
            .instance_id(INSTANCE)
            .max_results(10)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        assert_eq!(page.approximate_total_count(), Some(23));
        seen.extend(
            page.users()
                .iter()
                .filter_map(|u| u.username().map(str::to_owned)),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let expected: Vec<String> = (0..23).map(|i| format!("user{i:02}")).collect();
    assert_eq!(seen, expected);

    let listed: Vec<String> = client
        .list_users()
        .instance_id(INSTANCE)
        .into_paginator()
        .page_size(7)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|u| u.username)
        .collect();
    assert_eq!(listed, expected);

    let err = client
        .list_users()
        .instance_id(INSTANCE)
        .next_token("garbage")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
}

#[tokio::test]
async fn tags_add_remove_and_list() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    let id = create(&client, &ids, "tagged").await;
    let arn = running.sim.users(INSTANCE)[0].arn.clone();
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags("scim:department", "Sales")
        .tags("scim:displayName", "Tag Ged")
        .send()
        .await
        .unwrap();
    client
        .untag_resource()
        .resource_arn(&arn)
        .tag_keys("scim:externalId")
        .tag_keys("scim:displayName")
        .send()
        .await
        .unwrap();
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    let tags = tags.tags().unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags["scim:department"], "Sales");

    let too_many: Vec<(String, String)> = (0..50).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    let err = client
        .tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(too_many.into_iter().collect()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"), "51 tags in all");

    let missing = arn.replace(&id, "00000000-0000-0000-0000-000000000000");
    let err = client
        .list_tags_for_resource()
        .resource_arn(&missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
}

#[tokio::test]
async fn quotas_throttle_per_api_and_are_counted() {
    let (running, client) = start(SimConfig {
        quota: Quota { rate: 0.5, burst: 5 },
        ..SimConfig::default()
    })
    .await;
    let mut throttled = 0;
    for _ in 0..8 {
        match client.list_security_profiles().instance_id(INSTANCE).send().await {
            Ok(_) => {}
            Err(err) => {
                assert!(err.as_service_error().unwrap().is_throttling_exception());
                assert_eq!(err.raw_response().unwrap().status().as_u16(), 429);
                throttled += 1;
            }
        }
    }
    assert_eq!(throttled, 3, "burst of 5, then the bucket is empty");
    // Other APIs have their own bucket.
    client
        .list_routing_profiles()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    let stats = running.sim.stats();
    let sp = stats.operations["ListSecurityProfiles"];
    assert_eq!((sp.calls, sp.throttled), (8, 3));
    assert_eq!(stats.calls("ListRoutingProfiles"), 1);
}

#[tokio::test]
async fn injected_faults_are_internal_service_exceptions() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    running.sim.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let err = client
        .list_users()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalServiceException"));
    assert_eq!(err.raw_response().unwrap().status().as_u16(), 500);
    assert_eq!(running.sim.stats().operations["ListUsers"].faulted, 1);
}

#[tokio::test]
async fn security_profiles_are_created_described_and_deleted_like_connect() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let created = client
        .create_security_profile()
        .instance_id(INSTANCE)
        .security_profile_name("Billing Agents")
        .description("Made by an IdP group")
        .tags("scim:group", "billing")
        .send()
        .await
        .unwrap();
    let id = created.security_profile_id().unwrap().to_owned();
    assert!(
        created
            .security_profile_arn()
            .unwrap()
            .ends_with(&format!("/security-profile/{id}"))
    );
    // Made with no permissions at all.
    assert_eq!(
        running
            .sim
            .security_profile_permissions(INSTANCE, "Billing Agents"),
        Some(vec![])
    );

    let described = client
        .describe_security_profile()
        .instance_id(INSTANCE)
        .security_profile_id(&id)
        .send()
        .await
        .unwrap();
    let profile = described.security_profile().unwrap();
    assert_eq!(profile.security_profile_name(), Some("Billing Agents"));
    assert_eq!(profile.description(), Some("Made by an IdP group"));
    assert_eq!(profile.organization_resource_id(), Some(INSTANCE));
    assert_eq!(profile.tags().unwrap()["scim:group"], "billing");
    let listed = client
        .list_security_profiles()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    assert!(
        listed
            .security_profile_summary_list()
            .iter()
            .any(|s| s.id() == Some(id.as_str()))
    );

    // Names are unique regardless of case; a name is required.
    let err = client
        .create_security_profile()
        .instance_id(INSTANCE)
        .security_profile_name("billing agents")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some("DuplicateResourceException"),
        "{:?}",
        err.message()
    );
    let err = client
        .create_security_profile()
        .instance_id(INSTANCE)
        .security_profile_name("x".repeat(128))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
    for bad in ["Sales & Billing", "Tier.1", ""] {
        let err = client
            .create_security_profile()
            .instance_id(INSTANCE)
            .security_profile_name(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some("InvalidParameterException"), "{bad:?}");
    }

    // A profile a user holds cannot be deleted; once nobody holds it, it can.
    let ids = ids(&running);
    let user = create(&client, &ids, "holder").await;
    client
        .update_user_security_profiles()
        .instance_id(INSTANCE)
        .user_id(&user)
        .security_profile_ids(&id)
        .send()
        .await
        .unwrap();
    let err = client
        .delete_security_profile()
        .instance_id(INSTANCE)
        .security_profile_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceInUseException"));
    client
        .update_user_security_profiles()
        .instance_id(INSTANCE)
        .user_id(&user)
        .security_profile_ids(&ids.agent)
        .send()
        .await
        .unwrap();
    client
        .delete_security_profile()
        .instance_id(INSTANCE)
        .security_profile_id(&id)
        .send()
        .await
        .unwrap();
    let err = client
        .describe_security_profile()
        .instance_id(INSTANCE)
        .security_profile_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let stats = running.sim.stats();
    assert_eq!(stats.calls("CreateSecurityProfile"), 6);
    assert_eq!(stats.calls("DeleteSecurityProfile"), 2);
    assert_eq!(stats.calls("DescribeSecurityProfile"), 2);
}

#[tokio::test]
async fn security_profiles_are_searched_with_their_tags() {
    use aws_sdk_connect::types::{SecurityProfileSearchCriteria, StringComparisonType, StringCondition};
    let (_running, client) = start(SimConfig::unthrottled()).await;
    client
        .create_security_profile()
        .instance_id(INSTANCE)
        .security_profile_name("Sales Agents")
        .tags("scim:externalId", "e-1")
        .send()
        .await
        .unwrap();
    let name = |value: &str, how: StringComparisonType| {
        SecurityProfileSearchCriteria::builder()
            .string_condition(
                StringCondition::builder()
                    .field_name("name")
                    .value(value)
                    .comparison_type(how)
                    .build(),
            )
            .build()
    };
    let found = client
        .search_security_profiles()
        .instance_id(INSTANCE)
        .search_criteria(name("sales agents", StringComparisonType::Exact))
        .send()
        .await
        .unwrap();
    assert_eq!(found.approximate_total_count(), Some(1));
    let profile = &found.security_profiles()[0];
    assert_eq!(profile.security_profile_name(), Some("Sales Agents"));
    assert_eq!(profile.tags().unwrap()["scim:externalId"], "e-1");

    let either = SecurityProfileSearchCriteria::builder()
        .or_conditions(name("Agent", StringComparisonType::Exact))
        .or_conditions(name("Admin", StringComparisonType::Exact))
        .build();
    let found = client
        .search_security_profiles()
        .instance_id(INSTANCE)
        .search_criteria(either)
        .send()
        .await
        .unwrap();
    assert_eq!(found.security_profiles().len(), 2);

    // Everything, two to a page: five seeded-or-made profiles, once each.
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .search_security_profiles()
            .instance_id(INSTANCE)
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        names.extend(
            page.security_profiles()
                .iter()
                .map(|p| p.security_profile_name().unwrap().to_owned()),
        );
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(names.len(), 5, "{names:?}");

    let bad = SecurityProfileSearchCriteria::builder()
        .string_condition(
            StringCondition::builder()
                .field_name("permissions")
                .value("x")
                .comparison_type(StringComparisonType::Exact)
                .build(),
        )
        .build();
    let err = client
        .search_security_profiles()
        .instance_id(INSTANCE)
        .search_criteria(bad)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
    let err = client
        .search_security_profiles()
        .instance_id(INSTANCE)
        .max_results(101)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
}

#[tokio::test]
async fn hierarchy_groups_are_created_and_described_with_their_path() {
    let (_running, client) = start(SimConfig::unthrottled()).await;
    let make = |name: &'static str, parent: Option<String>| {
        let client = client.clone();
        async move {
            client
                .create_user_hierarchy_group()
                .instance_id(INSTANCE)
                .name(name)
                .set_parent_group_id(parent)
                .send()
                .await
        }
    };
    let support = make("Support", None)
        .await
        .unwrap()
        .hierarchy_group_id()
        .unwrap()
        .to_owned();
    let tier = make("Tier 1", Some(support.clone()))
        .await
        .unwrap()
        .hierarchy_group_id()
        .unwrap()
        .to_owned();
    let err = make("tier 1", Some(support.clone())).await.unwrap_err();
    assert_eq!(err.code(), Some("DuplicateResourceException"));
    let err = make("Orphan", Some("00000000-0000-0000-0000-000000000000".into()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    let described = client
        .describe_user_hierarchy_group()
        .instance_id(INSTANCE)
        .hierarchy_group_id(&tier)
        .send()
        .await
        .unwrap();
    let group = described.hierarchy_group().unwrap();
    assert_eq!((group.name(), group.level_id()), (Some("Tier 1"), Some("2")));
    let path = group.hierarchy_path().unwrap();
    assert_eq!(path.level_one().unwrap().name(), Some("Support"));
    assert_eq!(path.level_two().unwrap().id(), Some(tier.as_str()));
    assert!(path.level_three().is_none());

    let found = client
        .search_user_hierarchy_groups()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    // First the instance's root group (LevelId 0, no path), then ours.
    let (root, groups) = found.user_hierarchy_groups().split_first().unwrap();
    assert_eq!((root.level_id(), root.name()), (Some("0"), Some("root")));
    let paths: Vec<(String, Option<String>)> = groups
        .iter()
        .map(|g| {
            let path = g.hierarchy_path().unwrap();
            (
                path.level_one().unwrap().name().unwrap().to_owned(),
                path.level_two().and_then(|l| l.name()).map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("Support".to_owned(), None),
            ("Support".to_owned(), Some("Tier 1".to_owned()))
        ]
    );

    // Five levels at most.
    let mut parent = tier;
    for name in ["L3", "L4", "L5"] {
        parent = make(name, Some(parent))
            .await
            .unwrap()
            .hierarchy_group_id()
            .unwrap()
            .to_owned();
    }
    assert_eq!(
        make("L6", Some(parent)).await.unwrap_err().code(),
        Some("InvalidParameterException")
    );
}
