//! Quick connects, and DeleteUser leaving a user's quick connects to the caller.

use aws_sdk_connect::types::{
    ControlPlaneTagFilter, PhoneNumberQuickConnectConfig, QueueQuickConnectConfig, QuickConnectConfig,
    QuickConnectSearchCriteria, QuickConnectSearchFilter, QuickConnectType, StringComparisonType,
    TagCondition, UserQuickConnectConfig,
};
use connect_sim::SimConfig;

use crate::*;

fn to_user(user_id: &str) -> QuickConnectConfig {
    QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::User)
        .user_config(
            UserQuickConnectConfig::builder()
                .user_id(user_id)
                .contact_flow_id("transfer-to-agent")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn to_number(number: &str) -> QuickConnectConfig {
    QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::PhoneNumber)
        .phone_config(
            PhoneNumberQuickConnectConfig::builder()
                .phone_number(number)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn by_field(field: &str, value: &str, how: StringComparisonType) -> QuickConnectSearchCriteria {
    QuickConnectSearchCriteria::builder()
        .string_condition(string_condition(field, value, how))
        .build()
}

#[tokio::test]
async fn quick_connects_are_created_listed_searched_and_deleted() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running.sim, INSTANCE);
    let ann = saml_user(&client, &ids, "ann", "Ann", "Lee").await;
    let create = |name: &str, config: QuickConnectConfig| {
        client
            .create_quick_connect()
            .instance_id(INSTANCE)
            .name(name)
            .quick_connect_config(config)
    };
    let made = create("Ann Lee", to_user(&ann))
        .description("Transfer to Ann")
        .tags("scim:user", "ann")
        .send()
        .await
        .unwrap();
    let ann_qc = made.quick_connect_id().unwrap().to_owned();
    assert!(
        made.quick_connect_arn()
            .unwrap()
            .ends_with(&format!("/transfer-destination/{ann_qc}"))
    );
    create("Front desk", to_number("+12065550100"))
        .send()
        .await
        .unwrap();
    let queue = QuickConnectConfig::builder()
        .quick_connect_type(QuickConnectType::Queue)
        .queue_config(
            QueueQuickConnectConfig::builder()
                .queue_id("q-1")
                .contact_flow_id("transfer-to-queue")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    create("Sales queue", queue).send().await.unwrap();

    let refused = [
        (create("Ghost", to_user("no-such-user")), NOT_FOUND),
        (
            create("Ann Lee", to_user(&ann)),
            ("DuplicateResourceException", 409),
        ),
        (create(&"n".repeat(128), to_user(&ann)), INVALID),
        (
            create("Long", to_user(&ann)).description("d".repeat(251)),
            INVALID,
        ),
        (create("Bad number", to_number("206-555-0100")), INVALID),
        (
            create(
                "No config",
                QuickConnectConfig::builder()
                    .quick_connect_type(QuickConnectType::User)
                    .build()
                    .unwrap(),
            ),
            INVALID,
        ),
    ];
    for (i, (request, expected)) in refused.into_iter().enumerate() {
        let got = failure(request.send().await);
        assert!(is(&got, expected), "case {i}: {got:?}");
    }
    assert_eq!(running.sim.quick_connects(INSTANCE).len(), 3);

    let described = client
        .describe_quick_connect()
        .instance_id(INSTANCE)
        .quick_connect_id(&ann_qc)
        .send()
        .await
        .unwrap();
    let qc = described.quick_connect().unwrap();
    assert_eq!(
        (qc.name(), qc.description()),
        (Some("Ann Lee"), Some("Transfer to Ann"))
    );
    let config = qc.quick_connect_config().unwrap();
    assert_eq!(config.quick_connect_type(), &QuickConnectType::User);
    assert_eq!(config.user_config().unwrap().user_id(), ann);
    assert_eq!(qc.tags().unwrap()["scim:user"], "ann");

    let users_only = client
        .list_quick_connects()
        .instance_id(INSTANCE)
        .quick_connect_types(QuickConnectType::User)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = users_only
        .quick_connect_summary_list()
        .iter()
        .map(|s| (s.name().unwrap(), s.quick_connect_type().unwrap().as_str()))
        .collect();
    assert_eq!(names, [("Ann Lee", "USER")]);
    let all = client
        .list_quick_connects()
        .instance_id(INSTANCE)
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);

    let search = |criteria: Option<QuickConnectSearchCriteria>, filter: Option<QuickConnectSearchFilter>| {
        client
            .search_quick_connects()
            .instance_id(INSTANCE)
            .set_search_criteria(criteria)
            .set_search_filter(filter)
            .send()
    };
    let found = search(
        Some(by_field("name", "ann lee", StringComparisonType::Exact)),
        None,
    )
    .await
    .unwrap();
    assert_eq!(found.approximate_total_count(), Some(1));
    let full = &found.quick_connects()[0];
    assert_eq!(
        full.quick_connect_config()
            .unwrap()
            .user_config()
            .unwrap()
            .user_id(),
        ann,
        "search returns whole quick connects"
    );
    let found = search(
        Some(by_field("resourceID", &ann_qc, StringComparisonType::Exact)),
        None,
    )
    .await
    .unwrap();
    assert_eq!(found.quick_connects().len(), 1);
    let found = search(
        Some(by_field("description", "Ann", StringComparisonType::Contains)),
        None,
    )
    .await
    .unwrap();
    assert_eq!(found.quick_connects().len(), 1);
    let tagged = QuickConnectSearchFilter::builder()
        .tag_filter(
            ControlPlaneTagFilter::builder()
                .tag_condition(
                    TagCondition::builder()
                        .tag_key("scim:user")
                        .tag_value("ann")
                        .build(),
                )
                .build(),
        )
        .build();
    let found = search(None, Some(tagged)).await.unwrap();
    assert_eq!(
        found.quick_connects()[0].quick_connect_id(),
        Some(ann_qc.as_str())
    );
    let bad_field = search(
        Some(by_field("QuickConnectType", "USER", StringComparisonType::Exact)),
        None,
    )
    .await;
    assert!(is(&failure(bad_field), INVALID));
    let too_many = client
        .search_quick_connects()
        .instance_id(INSTANCE)
        .max_results(101)
        .send()
        .await;
    assert!(is(&failure(too_many), INVALID));

    // DeleteUser leaves the user's quick connect: deleting it is the caller's job.
    client
        .delete_user()
        .instance_id(INSTANCE)
        .user_id(&ann)
        .send()
        .await
        .unwrap();
    let left = running.sim.quick_connects(INSTANCE);
    assert_eq!(left.len(), 3);
    let dangling = left.iter().find(|q| q.quick_connect_id == ann_qc).unwrap();
    let user_config = dangling.quick_connect_config.user_config.as_ref().unwrap();
    assert_eq!(user_config.user_id.as_deref(), Some(ann.as_str()));
    client
        .delete_quick_connect()
        .instance_id(INSTANCE)
        .quick_connect_id(&ann_qc)
        .send()
        .await
        .unwrap();
    for result in [
        failure(
            client
                .describe_quick_connect()
                .instance_id(INSTANCE)
                .quick_connect_id(&ann_qc)
                .send()
                .await,
        ),
        failure(
            client
                .delete_quick_connect()
                .instance_id(INSTANCE)
                .quick_connect_id(&ann_qc)
                .send()
                .await,
        ),
    ] {
        assert!(is(&result, NOT_FOUND), "{result:?}");
    }

    let stats = running.sim.stats();
    for (operation, calls) in [
        ("CreateQuickConnect", 9),
        ("DescribeQuickConnect", 2),
        ("DeleteQuickConnect", 2),
        ("ListQuickConnects", 3),
        ("SearchQuickConnects", 6),
    ] {
        assert_eq!(stats.calls(operation), calls, "{operation}");
    }
}
