//! The search index lags behind writes; Describe* and List* do not.

use std::time::Duration;

use aws_sdk_connect::types::{
    QuickConnectConfig, QuickConnectType, SecurityProfileSearchCriteria, StringComparisonType,
    UserHierarchyGroupSearchCriteria, UserQuickConnectConfig,
};
use connect_sim::SimConfig;
use serde_json::json;

use crate::*;

const LAG: Duration = Duration::from_millis(500);

/// Usernames and first names SearchUsers returns, with its total count.
async fn searched(client: &aws_sdk_connect::Client) -> (Vec<(String, String)>, i64) {
    let out = client
        .search_users()
        .instance_id(INSTANCE)
        .search_criteria(user_criteria("LastName", "Lag", StringComparisonType::Exact))
        .send()
        .await
        .unwrap();
    let users = out
        .users()
        .iter()
        .map(|u| {
            let first = u.identity_info().and_then(|i| i.first_name()).unwrap_or_default();
            (u.username().unwrap().to_owned(), first.to_owned())
        })
        .collect();
    (users, out.approximate_total_count().unwrap())
}

fn pair(username: &str, first: &str) -> (String, String) {
    (username.to_owned(), first.to_owned())
}

#[tokio::test]
async fn search_sees_users_as_they_were_one_lag_ago() {
    let (running, client) = start(SimConfig {
        search_lag: LAG,
        ..SimConfig::unthrottled()
    })
    .await;
    let ids = ids(&running.sim, INSTANCE);
    let id = saml_user(&client, &ids, "lagged", "Ann", "Lag").await;
    // Created within the lag: described and listed, not yet searchable.
    client
        .describe_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    let listed = client.list_users().instance_id(INSTANCE).send().await.unwrap();
    assert_eq!(listed.user_summary_list().len(), 1);
    assert_eq!(searched(&client).await, (vec![], 0));
    tokio::time::sleep(LAG).await;
    assert_eq!(searched(&client).await, (vec![pair("lagged", "Ann")], 1));

    // Updated within the lag: search shows the previous version.
    client
        .update_user_identity_info()
        .instance_id(INSTANCE)
        .user_id(&id)
        .identity_info(names("Bea", "Lag"))
        .send()
        .await
        .unwrap();
    let arn = running.sim.users(INSTANCE)[0].arn.clone();
    client
        .tag_resource()
        .resource_arn(&arn)
        .tags("team", "blue")
        .send()
        .await
        .unwrap();
    assert_eq!(searched(&client).await.0, [pair("lagged", "Ann")]);
    let by_tag = raw(
        &running.sim,
        "POST",
        "/search-users",
        Some(json!({"InstanceId": INSTANCE, "SearchFilter": {"TagFilter": {"TagCondition": {"TagKey": "team", "TagValue": "blue"}}}})),
    )
    .await;
    assert_eq!(by_tag.body["ApproximateTotalCount"], 0);
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags.tags().unwrap()["team"],
        "blue",
        "ListTagsForResource is current"
    );
    tokio::time::sleep(LAG).await;
    assert_eq!(searched(&client).await.0, [pair("lagged", "Bea")]);

    // Deleted within the lag: still found, as it was.
    client
        .delete_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(searched(&client).await, (vec![pair("lagged", "Bea")], 1));
    let described = client
        .describe_user()
        .instance_id(INSTANCE)
        .user_id(&id)
        .send()
        .await;
    assert!(is(&failure(described), NOT_FOUND));
    tokio::time::sleep(LAG).await;
    assert_eq!(searched(&client).await, (vec![], 0));
}

#[tokio::test]
async fn profiles_groups_and_quick_connects_lag_too() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running.sim, INSTANCE);
    let user = saml_user(&client, &ids, "target", "Tar", "Get").await;
    // The knob is live, through the API and the control route.
    let set = raw(
        &running.sim,
        "PUT",
        "/_sim/settings",
        Some(json!({"searchLagMs": 500})),
    )
    .await;
    assert_eq!(set.body["searchLagMs"], 500, "{set:?}");
    assert_eq!(running.sim.search_lag(), LAG);

    client
        .create_security_profile()
        .instance_id(INSTANCE)
        .security_profile_name("Lagging Profile")
        .send()
        .await
        .unwrap();
    client
        .create_user_hierarchy_group()
        .instance_id(INSTANCE)
        .name("Lagging Group")
        .send()
        .await
        .unwrap();
    client
        .create_quick_connect()
        .instance_id(INSTANCE)
        .name("Lagging QC")
        .quick_connect_config(
            QuickConnectConfig::builder()
                .quick_connect_type(QuickConnectType::User)
                .user_config(
                    UserQuickConnectConfig::builder()
                        .user_id(&user)
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
    let counts = || async {
        let profiles = client
            .search_security_profiles()
            .instance_id(INSTANCE)
            .search_criteria(
                SecurityProfileSearchCriteria::builder()
                    .string_condition(string_condition(
                        "name",
                        "Lagging",
                        StringComparisonType::StartsWith,
                    ))
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .approximate_total_count()
            .unwrap();
        let groups = client
            .search_user_hierarchy_groups()
            .instance_id(INSTANCE)
            .search_criteria(
                UserHierarchyGroupSearchCriteria::builder()
                    .string_condition(string_condition(
                        "name",
                        "Lagging",
                        StringComparisonType::StartsWith,
                    ))
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .approximate_total_count()
            .unwrap();
        let quick = client
            .search_quick_connects()
            .instance_id(INSTANCE)
            .send()
            .await
            .unwrap()
            .approximate_total_count()
            .unwrap();
        (profiles, groups, quick)
    };
    assert_eq!(counts().await, (0, 0, 0));
    let listed = client
        .list_quick_connects()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.quick_connect_summary_list().len(), 1, "List* is current");
    tokio::time::sleep(LAG).await;
    assert_eq!(counts().await, (1, 1, 1));

    raw(
        &running.sim,
        "PUT",
        "/_sim/settings",
        Some(json!({"searchLagMs": 0})),
    )
    .await;
    let qc = running.sim.quick_connects(INSTANCE)[0].quick_connect_id.clone();
    client
        .delete_quick_connect()
        .instance_id(INSTANCE)
        .quick_connect_id(&qc)
        .send()
        .await
        .unwrap();
    assert_eq!(counts().await, (1, 1, 0), "without lag, at once");
}
