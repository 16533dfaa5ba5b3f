//! Identity management types, names in NFC, and an optional PhoneType.

use aws_sdk_connect::types::{DirectoryType, InstanceStatus, PhoneType, UserIdentityInfo, UserPhoneConfig};
use connect_sim::{IdentityType, SimConfig};
use serde_json::json;

use crate::*;

const MANAGED: &str = "00000000-0000-4000-8000-0000000000cm";
const DIRECTORY: &str = "00000000-0000-4000-8000-0000000000ed";

#[tokio::test]
async fn describe_instance_reports_the_identity_type() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    running.sim.add_instance_of(MANAGED, IdentityType::ConnectManaged);
    for (instance, kind) in [
        (INSTANCE, DirectoryType::Saml),
        (MANAGED, DirectoryType::ConnectManaged),
    ] {
        let out = client
            .describe_instance()
            .instance_id(instance)
            .send()
            .await
            .unwrap();
        let described = out.instance().unwrap();
        assert_eq!(described.id(), Some(instance));
        assert_eq!(described.identity_management_type(), Some(&kind));
        assert_eq!(described.instance_status(), Some(&InstanceStatus::Active));
        assert!(
            described
                .arn()
                .unwrap()
                .ends_with(&format!(":instance/{instance}"))
        );
        assert!(described.created_time().unwrap().secs() > 1_700_000_000);
        assert!(described.instance_alias().unwrap().starts_with("sim-"));
        assert!(
            described
                .service_role()
                .unwrap()
                .starts_with("arn:aws:iam::123456789012:role/")
        );
        assert_eq!(described.inbound_calls_enabled(), Some(true));
        assert!(described.instance_access_url().unwrap().starts_with("https://"));
    }
    assert_eq!(
        running.sim.identity_type(MANAGED),
        Some(IdentityType::ConnectManaged)
    );
    let missing = client
        .describe_instance()
        .instance_id("11111111-1111-1111-1111-111111111111")
        .send()
        .await;
    assert!(is(&failure(missing), NOT_FOUND));
    assert_eq!(running.sim.stats().calls("DescribeInstance"), 3);
}

#[tokio::test]
async fn saml_refuses_email_password_and_directory_user_id() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running.sim, INSTANCE);
    let with_email = UserIdentityInfo::builder()
        .first_name("Ann")
        .last_name("Lee")
        .email("ann@example.com")
        .build();
    let refused = [
        create_user(&client, &ids, INSTANCE, "ann").identity_info(with_email.clone()),
        create_user(&client, &ids, INSTANCE, "ann")
            .identity_info(names("Ann", "Lee"))
            .password("Passw0rd!"),
        create_user(&client, &ids, INSTANCE, "ann")
            .identity_info(names("Ann", "Lee"))
            .directory_user_id("d-ann"),
        // FirstName and LastName are required.
        create_user(&client, &ids, INSTANCE, "ann")
            .identity_info(UserIdentityInfo::builder().first_name("Ann").build()),
        create_user(&client, &ids, INSTANCE, &"x".repeat(65)).identity_info(names("Ann", "Lee")),
    ];
    for (i, request) in refused.into_iter().enumerate() {
        assert!(is(&failure(request.send().await), INVALID), "case {i}");
    }
    assert!(running.sim.users(INSTANCE).is_empty());

    let secondary = UserIdentityInfo::builder()
        .first_name("Ann")
        .last_name("Lee")
        .secondary_email("ann@example.com")
        .build();
    let id = create_user(&client, &ids, INSTANCE, &"x".repeat(64))
        .identity_info(secondary)
        .send()
        .await
        .unwrap()
        .user_id
        .unwrap();
    let update = client
        .update_user_identity_info()
        .instance_id(INSTANCE)
        .user_id(&id)
        .identity_info(with_email)
        .send()
        .await;
    assert!(is(&failure(update), INVALID));
    let stored = &running.sim.users(INSTANCE)[0];
    assert_eq!(stored.identity_info.email, None);
    assert_eq!(
        stored.identity_info.secondary_email.as_deref(),
        Some("ann@example.com")
    );
}

#[tokio::test]
async fn connect_managed_needs_a_password_and_takes_email() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    running.sim.add_instance_of(MANAGED, IdentityType::ConnectManaged);
    let ids = ids(&running.sim, MANAGED);
    let with_email = |first: &str| {
        UserIdentityInfo::builder()
            .first_name(first)
            .last_name("Lee")
            .email("ann@example.com")
            .build()
    };
    let refused = [
        // No password, then passwords outside the model's pattern.
        create_user(&client, &ids, MANAGED, "ann").identity_info(with_email("Ann")),
        create_user(&client, &ids, MANAGED, "ann")
            .identity_info(with_email("Ann"))
            .password("password1"),
        create_user(&client, &ids, MANAGED, "ann")
            .identity_info(with_email("Ann"))
            .password("Pass w0rd"),
        create_user(&client, &ids, MANAGED, "ann")
            .identity_info(with_email("Ann"))
            .password("Pw0rd"),
        // Usernames: up to 20 characters, @ only in an email form.
        create_user(&client, &ids, MANAGED, &"x".repeat(21))
            .identity_info(with_email("Ann"))
            .password("Passw0rd"),
        create_user(&client, &ids, MANAGED, "ann@example")
            .identity_info(with_email("Ann"))
            .password("Passw0rd"),
        // Names are required.
        create_user(&client, &ids, MANAGED, "ann")
            .identity_info(UserIdentityInfo::builder().first_name("Ann").build())
            .password("Passw0rd"),
    ];
    for (i, request) in refused.into_iter().enumerate() {
        assert!(is(&failure(request.send().await), INVALID), "case {i}");
    }
    let id = create_user(&client, &ids, MANAGED, &"x".repeat(20))
        .identity_info(with_email("Ann"))
        .password("Passw0rd")
        .send()
        .await
        .unwrap()
        .user_id
        .unwrap();
    client
        .update_user_identity_info()
        .instance_id(MANAGED)
        .user_id(&id)
        .identity_info(with_email("Bea"))
        .send()
        .await
        .unwrap();
    let user = client
        .describe_user()
        .instance_id(MANAGED)
        .user_id(&id)
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    let info = user.identity_info().unwrap();
    assert_eq!(
        (info.first_name(), info.email()),
        (Some("Bea"), Some("ann@example.com"))
    );
}

#[tokio::test]
async fn existing_directory_owns_names_and_email() {
    let (running, client) = start(SimConfig {
        identity_type: IdentityType::ExistingDirectory,
        instance_ids: vec![DIRECTORY.to_owned()],
        ..SimConfig::unthrottled()
    })
    .await;
    let ids = ids(&running.sim, DIRECTORY);
    let refused = [
        create_user(&client, &ids, DIRECTORY, "ann").password("Passw0rd"),
        create_user(&client, &ids, DIRECTORY, &"x".repeat(21)),
    ];
    for (i, request) in refused.into_iter().enumerate() {
        assert!(is(&failure(request.send().await), INVALID), "case {i}");
    }
    // Names are not required on create.
    create_user(&client, &ids, DIRECTORY, "nameless")
        .send()
        .await
        .unwrap();
    let directory_info = UserIdentityInfo::builder()
        .first_name("Ann")
        .last_name("Lee")
        .email("ann@corp.example.com")
        .build();
    let id = create_user(&client, &ids, DIRECTORY, "ann")
        .identity_info(directory_info.clone())
        .directory_user_id("d-ann")
        .send()
        .await
        .unwrap()
        .user_id
        .unwrap();
    let update = |info: UserIdentityInfo| {
        client
            .update_user_identity_info()
            .instance_id(DIRECTORY)
            .user_id(&id)
            .identity_info(info)
            .send()
    };
    for changed in [
        names("Bea", "Lee"),
        names("Ann", "Smith"),
        UserIdentityInfo::builder()
            .first_name("Ann")
            .last_name("Lee")
            .email("other@corp.example.com")
            .build(),
    ] {
        assert!(is(&failure(update(changed).await), INVALID));
    }
    // The same values, or only what Connect owns, are accepted.
    update(directory_info).await.unwrap();
    update(
        UserIdentityInfo::builder()
            .secondary_email("ann@example.com")
            .mobile("+12065550100")
            .build(),
    )
    .await
    .unwrap();
    let stored = running
        .sim
        .users(DIRECTORY)
        .into_iter()
        .find(|u| u.id == id)
        .unwrap();
    let info = &stored.identity_info;
    assert_eq!(info.first_name.as_deref(), Some("Ann"));
    assert_eq!(info.email.as_deref(), Some("ann@corp.example.com"));
    assert_eq!(info.mobile.as_deref(), Some("+12065550100"));
    assert_eq!(stored.directory_user_id.as_deref(), Some("d-ann"));
}

#[tokio::test]
async fn names_must_be_in_nfc() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running.sim, INSTANCE);
    let decomposed = create_user(&client, &ids, INSTANCE, "renee")
        .identity_info(names("Rene\u{301}e", "Lee"))
        .send()
        .await;
    assert!(is(&failure(decomposed), INVALID));
    let id = saml_user(&client, &ids, "renee", "Ren\u{e9}e", "M\u{fc}ller").await;
    let combining = client
        .update_user_identity_info()
        .instance_id(INSTANCE)
        .user_id(&id)
        .identity_info(names("Ren\u{e9}e", "Mu\u{308}ller"))
        .send()
        .await;
    assert!(is(&failure(combining), INVALID));
    assert_eq!(
        running.sim.users(INSTANCE)[0].identity_info.last_name.as_deref(),
        Some("M\u{fc}ller")
    );
}

/// The SDK fills in SOFT_PHONE when PhoneType is missing (both ways), so
/// the wire shape is checked with raw requests.
#[tokio::test]
async fn phone_type_is_optional() {
    let (running, client) = start(SimConfig::unthrottled()).await;
    let ids = ids(&running.sim, INSTANCE);
    let id = saml_user(&client, &ids, "nophone", "No", "Phone").await;
    assert_eq!(running.sim.users(INSTANCE)[0].phone_config.phone_type, None);
    let described = raw(&running.sim, "GET", &format!("/users/{INSTANCE}/{id}"), None).await;
    assert_eq!(
        described.body["User"]["PhoneConfig"],
        json!({"AutoAccept": false, "AfterContactWorkTimeLimit": 0})
    );
    let searched = raw(
        &running.sim,
        "POST",
        "/search-users",
        Some(json!({"InstanceId": INSTANCE})),
    )
    .await;
    assert_eq!(
        searched.body["Users"][0]["PhoneConfig"],
        json!({"AutoAccept": false, "AfterContactWorkTimeLimit": 0})
    );

    let update = |config: serde_json::Value| {
        let sim = running.sim.clone();
        let path = format!("/users/{INSTANCE}/{id}/phone-config");
        async move { raw(&sim, "POST", &path, Some(json!({"PhoneConfig": config}))).await }
    };
    // Without PhoneType the user keeps the type it has: none, then a desk phone.
    assert_eq!(update(json!({"AutoAccept": true})).await.status, 200);
    assert_eq!(running.sim.users(INSTANCE)[0].phone_config.phone_type, None);
    client
        .update_user_phone_config()
        .instance_id(INSTANCE)
        .user_id(&id)
        .phone_config(
            UserPhoneConfig::builder()
                .phone_type(PhoneType::DeskPhone)
                .desk_phone_number("+12065550100")
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(update(json!({"AfterContactWorkTimeLimit": 30})).await.status, 200);
    let phone = running.sim.users(INSTANCE)[0].phone_config.clone();
    assert_eq!(phone.phone_type.as_deref(), Some("DESK_PHONE"));
    assert_eq!(phone.desk_phone_number.as_deref(), Some("+12065550100"));
    assert_eq!(phone.after_contact_work_time_limit, Some(30));
    // When present, PhoneType is one of the two, and a desk phone needs a number.
    for bad in [
        json!({"PhoneType": "CELL_PHONE"}),
        json!({"PhoneType": "DESK_PHONE", "DeskPhoneNumber": null, "AutoAccept": true}),
    ] {
        let answer = update(bad.clone()).await;
        assert_eq!(
            (answer.status, answer.error_type.as_deref()),
            (400, Some("InvalidParameterException")),
            "{bad}"
        );
    }
}
