//! Predefined attributes and user proficiencies, through the real SDK.

use aws_sdk_connect::Client;
use aws_sdk_connect::error::ProvideErrorMetadata;
use aws_sdk_connect::types::{
    ListCondition, NumberComparisonType, NumberCondition, PredefinedAttributeValues, StringComparisonType,
    TargetListType, UserProficiency, UserProficiencyDisassociate, UserSearchCriteria,
};
use connect_sim::SimConfig;

use crate::support::{INVALID, NOT_FOUND, failure, is, string_condition};
use crate::*;

async fn attribute(client: &Client, name: &str, values: &[&str]) {
    client
        .create_predefined_attribute()
        .instance_id(INSTANCE)
        .name(name)
        .values(PredefinedAttributeValues::StringList(
            values.iter().map(|v| (*v).to_owned()).collect(),
        ))
        .send()
        .await
        .expect("create predefined attribute");
}

fn proficiency(name: &str, value: &str, level: f32) -> UserProficiency {
    UserProficiency::builder()
        .attribute_name(name)
        .attribute_value(value)
        .level(level)
        .build()
        .unwrap()
}

async fn held(client: &Client, user: &str) -> Vec<(String, String, f32)> {
    client
        .list_user_proficiencies()
        .instance_id(INSTANCE)
        .user_id(user)
        .send()
        .await
        .unwrap()
        .user_proficiency_list()
        .iter()
        .map(|p| {
            (
                p.attribute_name().to_owned(),
                p.attribute_value().to_owned(),
                p.level(),
            )
        })
        .collect()
}

#[tokio::test]
async fn predefined_attributes_round_trip() {
    let (_running, client) = start(SimConfig::unthrottled()).await;
    attribute(&client, "Language", &["English", "Spanish"]).await;
    let described = client
        .describe_predefined_attribute()
        .instance_id(INSTANCE)
        .name("Language")
        .send()
        .await
        .unwrap()
        .predefined_attribute
        .unwrap();
    assert_eq!(described.name(), Some("Language"));
    assert_eq!(
        described.values().unwrap().as_string_list().unwrap(),
        &["English".to_owned(), "Spanish".to_owned()]
    );
    assert!(described.last_modified_time().is_some());
    let listed = client
        .list_predefined_attributes()
        .instance_id(INSTANCE)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.predefined_attribute_summary_list()[0].name(),
        Some("Language")
    );
    let found = client
        .search_predefined_attributes()
        .instance_id(INSTANCE)
        .search_criteria(
            aws_sdk_connect::types::PredefinedAttributeSearchCriteria::builder()
                .string_condition(string_condition("name", "Lang", StringComparisonType::StartsWith))
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(found.predefined_attributes().len(), 1);
    assert_eq!(found.approximate_total_count(), Some(1));

    // Names are unique regardless of case; values and names follow the pattern.
    let dup = client
        .create_predefined_attribute()
        .instance_id(INSTANCE)
        .name("language")
        .values(PredefinedAttributeValues::StringList(vec!["x".into()]))
        .send()
        .await;
    assert!(is(&failure(dup), ("DuplicateResourceException", 409)));
    for (name, values) in [
        ("aws:reserved", vec!["x".to_owned()]),
        ("Skill", vec!["a;b".to_owned()]),
        ("Skill", vec!["same".to_owned(), "same".to_owned()]),
        ("Skill", (0..501).map(|i| format!("v{i}")).collect()),
    ] {
        let bad = client
            .create_predefined_attribute()
            .instance_id(INSTANCE)
            .name(name)
            .values(PredefinedAttributeValues::StringList(values))
            .send()
            .await;
        assert!(is(&failure(bad), INVALID), "{name}");
    }

    client
        .delete_predefined_attribute()
        .instance_id(INSTANCE)
        .name("Language")
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_predefined_attribute()
        .instance_id(INSTANCE)
        .name("Language")
        .send()
        .await;
    assert!(is(&failure(gone), NOT_FOUND));
    let gone = client
        .delete_predefined_attribute()
        .instance_id(INSTANCE)
        .name("Language")
        .send()
        .await;
    assert!(is(&failure(gone), NOT_FOUND));
}

#[tokio::test]
async fn proficiencies_associate_update_disassociate() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    attribute(&client, "Language", &["English", "Spanish"]).await;
    attribute(&client, "Technology", &["EC2"]).await;
    let user = create(&client, &ids, "prof.user").await;
    client
        .associate_user_proficiencies()
        .instance_id(INSTANCE)
        .user_id(&user)
        .user_proficiencies(proficiency("Language", "Spanish", 4.0))
        .user_proficiencies(proficiency("Technology", "EC2", 2.0))
        .send()
        .await
        .unwrap();
    assert_eq!(
        held(&client, &user).await,
        [
            ("Language".into(), "Spanish".into(), 4.0),
            ("Technology".into(), "EC2".into(), 2.0)
        ]
    );
    client
        .update_user_proficiencies()
        .instance_id(INSTANCE)
        .user_id(&user)
        .user_proficiencies(proficiency("Technology", "EC2", 5.0))
        .send()
        .await
        .unwrap();
    // SearchUsers' ListCondition on proficiencies: one proficiency meets every condition.
    let search = |value: &str, min: i32| {
        client
            .search_users()
            .instance_id(INSTANCE)
            .search_criteria(
                UserSearchCriteria::builder()
                    .list_condition(
                        ListCondition::builder()
                            .target_list_type(TargetListType::Proficiencies)
                            .conditions(
                                aws_sdk_connect::types::Condition::builder()
                                    .string_condition(string_condition(
                                        "name",
                                        "Technology",
                                        StringComparisonType::Exact,
                                    ))
                                    .build(),
                            )
                            .conditions(
                                aws_sdk_connect::types::Condition::builder()
                                    .string_condition(string_condition(
                                        "value",
                                        value,
                                        StringComparisonType::Exact,
                                    ))
                                    .build(),
                            )
                            .conditions(
                                aws_sdk_connect::types::Condition::builder()
                                    .number_condition(
                                        NumberCondition::builder()
                                            .field_name("limit")
                                            .min_value(min)
                                            .comparison_type(NumberComparisonType::GreaterOrEqual)
                                            .build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .send()
    };
    assert_eq!(search("EC2", 5).await.unwrap().users().len(), 1);
    assert_eq!(search("EC2", 6).await.unwrap().users().len(), 0);
    assert_eq!(search("S3", 1).await.unwrap().users().len(), 0);

    // An attribute a user holds cannot be deleted.
    let in_use = client
        .delete_predefined_attribute()
        .instance_id(INSTANCE)
        .name("Technology")
        .send()
        .await;
    assert!(is(&failure(in_use), ("ResourceInUseException", 409)));

    client
        .disassociate_user_proficiencies()
        .instance_id(INSTANCE)
        .user_id(&user)
        .user_proficiencies(
            UserProficiencyDisassociate::builder()
                .attribute_name("Technology")
                .attribute_value("EC2")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        held(&client, &user).await,
        [("Language".into(), "Spanish".into(), 4.0)]
    );
    let stats = running.sim.stats();
    for op in [
        "AssociateUserProficiencies",
        "UpdateUserProficiencies",
        "DisassociateUserProficiencies",
    ] {
        assert_eq!(stats.calls(op), 1, "{op}");
    }
}

#[tokio::test]
async fn proficiencies_are_refused_like_connect() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running);
    attribute(&client, "Language", &["English", "Spanish"]).await;
    let user = create(&client, &ids, "prof.refused").await;
    let associate = |p: Vec<UserProficiency>, user: &str| {
        client
            .associate_user_proficiencies()
            .instance_id(INSTANCE)
            .user_id(user)
            .set_user_proficiencies(Some(p))
            .send()
    };
    let cases = [
        (vec![proficiency("Skill", "Spanish", 3.0)], NOT_FOUND),
        (vec![proficiency("Language", "Klingon", 3.0)], INVALID),
        (vec![proficiency("Language", "Spanish", 0.0)], INVALID),
        (vec![proficiency("Language", "Spanish", 5.5)], INVALID),
        (vec![proficiency("Language", "Spanish", 2.5)], INVALID),
        (
            vec![
                proficiency("Language", "Spanish", 3.0),
                proficiency("Language", "Spanish", 4.0),
            ],
            INVALID,
        ),
        (Vec::new(), INVALID),
    ];
    for (i, (list, expected)) in cases.into_iter().enumerate() {
        let got = failure(associate(list, &user).await);
        assert!(is(&got, expected), "case {i}: {got:?}");
    }
    let err = associate(vec![proficiency("Language", "Spanish", 3.0)], "no-such-user")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    // The unknown-attribute refusal says what the instance has.
    let err = associate(vec![proficiency("Lang", "Spanish", 3.0)], &user)
        .await
        .unwrap_err();
    assert!(err.message().unwrap_or_default().contains("Language"), "{err:?}");
    // Update needs an associated proficiency.
    let update = client
        .update_user_proficiencies()
        .instance_id(INSTANCE)
        .user_id(&user)
        .user_proficiencies(proficiency("Language", "English", 3.0))
        .send()
        .await;
    assert!(is(&failure(update), INVALID));
    assert!(
        held(&client, &user).await.is_empty(),
        "nothing stored by a refused call"
    );

    // At most 10 per user.
    let values: Vec<String> = (0..11).map(|i| format!("v{i}")).collect();
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    attribute(&client, "Many", &refs).await;
    let ten: Vec<_> = values[..10].iter().map(|v| proficiency("Many", v, 1.0)).collect();
    associate(ten, &user).await.unwrap();
    let eleventh = associate(vec![proficiency("Many", "v10", 1.0)], &user).await;
    assert!(is(&failure(eleventh), INVALID));
    // Associating one the user has sets its level (a retry does no harm).
    associate(vec![proficiency("Many", "v0", 5.0)], &user)
        .await
        .unwrap();
    assert_eq!(held(&client, &user).await[0].2, 5.0);
}
