//! Search criteria bounds, the root hierarchy group, and paging tokens.

use std::time::Duration;

use aws_sdk_connect::types::{
    QuickConnectConfig, QuickConnectType, SecurityProfileSearchCriteria, StringComparisonType,
    UserHierarchyGroupSearchCriteria, UserQuickConnectConfig,
};
use connect_sim::{NamedKind, SimConfig};
use serde_json::json;

use crate::*;

#[tokio::test]
async fn contains_takes_2_to_25_characters() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running.sim, INSTANCE);
    saml_user(&client, &ids, "carol.alpha", "Carol", "Alpha").await;
    use StringComparisonType::{Contains, StartsWith};
    let search = |field: &str, value: String, how: StringComparisonType| {
        client
            .search_users()
            .instance_id(INSTANCE)
            .search_criteria(user_criteria(field, &value, how))
            .send()
    };
    for value in ["a".to_owned(), "a".repeat(26), String::new()] {
        assert!(is(&failure(search("Username", value, Contains).await), INVALID));
    }
    for value in ["al".to_owned(), "a".repeat(25)] {
        search("Username", value, Contains).await.unwrap();
    }
    // Only CONTAINS is bounded.
    let found = search("FirstName", "c".to_owned(), StartsWith).await.unwrap();
    assert_eq!(found.users().len(), 1);

    let profile = |value: &str| {
        SecurityProfileSearchCriteria::builder()
            .string_condition(string_condition("name", value, Contains))
            .build()
    };
    let short = client
        .search_security_profiles()
        .instance_id(INSTANCE)
        .search_criteria(profile("A"))
        .send()
        .await;
    assert!(is(&failure(short), INVALID));
    let found = client
        .search_security_profiles()
        .instance_id(INSTANCE)
        .search_criteria(profile("ge"))
        .send()
        .await
        .unwrap();
    assert_eq!(found.security_profiles().len(), 2, "Agent, CallCenterManager");
    let long = client
        .search_user_hierarchy_groups()
        .instance_id(INSTANCE)
        .search_criteria(
            UserHierarchyGroupSearchCriteria::builder()
                .string_condition(string_condition("name", &"g".repeat(26), Contains))
                .build(),
        )
        .send()
        .await;
    assert!(is(&failure(long), INVALID));
}

#[tokio::test]
async fn the_root_hierarchy_group_is_only_searchable() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running.sim, INSTANCE);
    let found = client
        .search_user_hierarchy_groups()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    assert_eq!(found.approximate_total_count(), Some(1));
    let root = &found.user_hierarchy_groups()[0];
    assert_eq!((root.level_id(), root.name()), (Some("0"), Some("root")));
    let root_id = root.id().unwrap().to_owned();
    assert!(root.arn().unwrap().ends_with(&format!("/agent-group/{root_id}")));
    let path = root.hierarchy_path().unwrap();
    assert!(path.level_one().is_none());

    let listed = client
        .list_user_hierarchy_groups()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    assert!(listed.user_hierarchy_group_summary_list().is_empty());
    assert_eq!(
        running.sim.named_id(INSTANCE, NamedKind::HierarchyGroup, "root"),
        None
    );

    // Our choices: no user is placed in it, no group is created under it.
    let user = saml_user(&client, &ids, "placed", "Pla", "Ced").await;
    let assigned = client
        .update_user_hierarchy()
        .instance_id(INSTANCE)
        .user_id(&user)
        .hierarchy_group_id(&root_id)
        .send()
        .await;
    assert!(is(&failure(assigned), INVALID));
    let created = create_user(&client, &ids, INSTANCE, "rooted")
        .identity_info(names("Ro", "Oted"))
        .hierarchy_group_id(&root_id)
        .send()
        .await;
    assert!(is(&failure(created), INVALID));
    let child = client
        .create_user_hierarchy_group()
        .instance_id(INSTANCE)
        .name("Under root")
        .parent_group_id(&root_id)
        .send()
        .await;
    assert!(is(&failure(child), INVALID));
    let top = client
        .create_user_hierarchy_group()
        .instance_id(INSTANCE)
        .name("Top")
        .send()
        .await
        .unwrap();
    let found = client
        .search_user_hierarchy_groups()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    let levels: Vec<_> = found
        .user_hierarchy_groups()
        .iter()
        .map(|g| (g.level_id().unwrap(), g.id().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [("0", root_id.as_str()), ("1", top.hierarchy_group_id().unwrap())]
    );
}

const EXPIRED: &str = "The nextToken is not valid or has expired";

#[tokio::test]
async fn next_tokens_are_bound_to_the_query_that_made_them() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running.sim, INSTANCE);
    for i in 0..5 {
        saml_user(&client, &ids, &format!("pager{i}"), "Pa", "Ger").await;
    }
    let all = user_criteria("LastName", "Ger", StringComparisonType::Exact);
    let first = client
        .search_users()
        .instance_id(INSTANCE)
        .search_criteria(all.clone())
        .max_results(2)
        .send()
        .await
        .unwrap();
    let token = first.next_token().unwrap().to_owned();
    assert!(
        !token.contains("pager") && !token.contains("SearchUsers"),
        "opaque: {token}"
    );
    // Same query, another page size: fine.
    let second = client
        .search_users()
        .instance_id(INSTANCE)
        .search_criteria(all)
        .max_results(3)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.users().len(), 3);
    assert_eq!(second.users()[0].username(), Some("pager2"));
    // Other criteria, another API, or an edited token: refused.
    let other = client
        .search_users()
        .instance_id(INSTANCE)
        .search_criteria(user_criteria("LastName", "ger", StringComparisonType::Exact))
        .next_token(&token)
        .send()
        .await;
    let err = other.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameterException"));
    assert_eq!(err.message(), Some(EXPIRED));
    let listed = client
        .list_users()
        .instance_id(INSTANCE)
        .next_token(&token)
        .send()
        .await;
    assert!(is(&failure(listed), INVALID));
    let mut edited = token.clone().into_bytes();
    let last = edited.len() - 2;
    edited[last] = if edited[last] == b'A' { b'B' } else { b'A' };
    let edited = String::from_utf8(edited).unwrap();
    let tampered = client
        .search_users()
        .instance_id(INSTANCE)
        .search_criteria(user_criteria("LastName", "Ger", StringComparisonType::Exact))
        .next_token(edited)
        .send()
        .await;
    assert!(is(&failure(tampered), INVALID));

    // List* tokens are bound to the instance and their query-string filters.
    let page = client
        .list_users()
        .instance_id(INSTANCE)
        .max_results(2)
        .send()
        .await
        .unwrap();
    let list_token = page.next_token().unwrap().to_owned();
    running.sim.add_instance("other");
    let elsewhere = client
        .list_users()
        .instance_id("other")
        .next_token(&list_token)
        .send()
        .await;
    assert!(is(&failure(elsewhere), INVALID));
    let profiles = client
        .list_security_profiles()
        .instance_id(INSTANCE)
        .next_token(&list_token)
        .send()
        .await;
    assert!(is(&failure(profiles), INVALID));
    let users = running.sim.users(INSTANCE);
    for (i, user) in users.iter().enumerate() {
        client
            .create_quick_connect()
            .instance_id(INSTANCE)
            .name(format!("qc{i}"))
            .quick_connect_config(
                QuickConnectConfig::builder()
                    .quick_connect_type(QuickConnectType::User)
                    .user_config(
                        UserQuickConnectConfig::builder()
                            .user_id(&user.id)
                            .contact_flow_id("flow")
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
    let page = client
        .list_quick_connects()
        .instance_id(INSTANCE)
        .quick_connect_types(QuickConnectType::User)
        .max_results(2)
        .send()
        .await
        .unwrap();
    let qc_token = page.next_token().unwrap().to_owned();
    let unfiltered = client
        .list_quick_connects()
        .instance_id(INSTANCE)
        .next_token(&qc_token)
        .send()
        .await;
    assert!(is(&failure(unfiltered), INVALID));
    client
        .list_quick_connects()
        .instance_id(INSTANCE)
        .quick_connect_types(QuickConnectType::User)
        .next_token(&qc_token)
        .send()
        .await
        .unwrap();
    // The paginators page through with tokens as they are meant to be used.
    let listed = client
        .list_users()
        .instance_id(INSTANCE)
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(listed.len(), 5);
}

#[tokio::test]
async fn next_tokens_expire() {
    let (running, client) = start(SimConfig {
        token_ttl: Duration::from_millis(300),
        ..SimConfig::unthrottled()
    })
    .await;
    let ids = ids(&running.sim, INSTANCE);
    for i in 0..3 {
        saml_user(&client, &ids, &format!("old{i}"), "O", "Ld").await;
    }
    let page = client
        .list_users()
        .instance_id(INSTANCE)
        .max_results(1)
        .send()
        .await
        .unwrap();
    let token = page.next_token().unwrap().to_owned();
    let body = json!({"InstanceId": INSTANCE, "MaxResults": 1});
    let search = raw(&running.sim, "POST", "/search-users", Some(body)).await;
    let search_token = search.body["NextToken"].as_str().unwrap().to_owned();
    client
        .list_users()
        .instance_id(INSTANCE)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let late = client
        .list_users()
        .instance_id(INSTANCE)
        .next_token(&token)
        .send()
        .await;
    assert!(is(&failure(late), INVALID));
    let late = raw(
        &running.sim,
        "POST",
        "/search-users",
        Some(json!({"InstanceId": INSTANCE, "NextToken": search_token})),
    )
    .await;
    assert_eq!(late.error_type.as_deref(), Some("InvalidParameterException"));
    assert_eq!(late.body["Message"], EXPIRED);
}
