//! Security profiles and user hierarchy groups.

use aws_sdk_connect::error::ProvideErrorMetadata;
use connect_sim::SimConfig;

use crate::*;

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
