//! SearchUsers criteria and filters, and paging through List* and Search*.

use aws_sdk_connect::Client;
use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{
    ControlPlaneTagFilter, HierarchyGroupCondition, HierarchyGroupMatchType, StringComparisonType,
    TagCondition, UserSearchCriteria, UserSearchFilter,
};
use connect_sim::{NamedKind, SimConfig};

use crate::*;

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
