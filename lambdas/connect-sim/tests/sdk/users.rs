//! Users: the seeded instance, create, describe, delete, validation and updates.

use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{
    PhoneType, StringComparisonType, StringCondition, UserIdentityInfo, UserPhoneConfig, UserSearchCriteria,
};
use connect_sim::{NamedKind, SimConfig};

use crate::*;

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
