//! Tests of the Amazon Connect extension as the core's User parser and
//! printer and its PATCH engine see it.

use scim_core::patch::PatchRequest;
use scim_core::schema::PATCH_URN;
use serde_json::{Value, json};

use super::*;
use crate::User;

#[test]
fn the_connect_extension_parses_and_prints() {
    let user = User::from_scim(&json!({
        "userName": "a",
        CONNECT_URN: {
            "routingProfile": " Sales ",
            "securityProfiles": ["Agent", {"value": "QA"}, "agent"],
            "phoneType": "desk-phone",
            "deskPhoneNumber": "+12065550100",
            "autoAccept": "True",
            "afterContactWorkTimeLimit": "30",
        },
        format!("{CONNECT_URN}:hierarchyGroup"): "Support/Tier 1",
    }))
    .unwrap();
    let agent = &user.extension;
    assert_eq!(agent.routing_profile.as_deref(), Some("Sales"));
    assert_eq!(agent.security_profiles, Some(vec!["Agent".into(), "QA".into()]));
    assert_eq!(agent.hierarchy_group.as_deref(), Some("Support/Tier 1"));
    // The phone type is read in any spelling; the other values are the
    // directory's to check (accept_user).
    assert_eq!(agent.phone_type, Some(PhoneKind::Desk));
    assert_eq!(
        (agent.auto_accept, agent.after_contact_work_time_limit),
        (Some(true), Some(30))
    );
    let again = User::from_scim(&Value::Object(user.to_scim_attributes())).unwrap();
    assert_eq!(again, user);
    for bad in [
        json!({"afterContactWorkTimeLimit": 1.5}),
        json!({"securityProfiles": [5]}),
        json!({"phoneType": 1}),
        json!({"routingProfile": ["x"]}),
        json!({"autoAccept": "maybe"}),
    ] {
        let err = User::from_scim(&json!({"userName": "a", CONNECT_URN: bad.clone()})).unwrap_err();
        assert_eq!(err.status().as_u16(), 400, "{bad}");
    }
}

#[test]
fn proficiencies_and_channel_configs_parse_and_print() {
    let user = User::from_scim(&json!({
        "userName": "a",
        CONNECT_URN: {
            "proficiencies": [
                {"attributeName": "Language", "attributeValue": "Spanish", "level": 4},
                {"AttributeName": " Skill ", "attributeValue": "Billing", "level": "2.0"},
            ],
            "channelConfigs": [
                {"channel": "CHAT", "autoAccept": "true", "afterContactWorkTimeLimit": 30},
                {"channel": "VOICE", "phoneType": "DESK_PHONE", "deskPhoneNumber": "+12065550100"},
            ],
        },
    }))
    .unwrap();
    let agent = &user.extension;
    let proficiencies = agent.proficiencies.as_deref().unwrap();
    assert_eq!(
        proficiencies.iter().map(Proficiency::compact).collect::<Vec<_>>(),
        ["Language=Spanish:4", "Skill=Billing:2"]
    );
    let channels = agent.channel_configs.as_deref().unwrap();
    assert_eq!(channels[0].channel, ContactChannel::Chat);
    assert_eq!(
        (channels[0].auto_accept, channels[0].after_contact_work_time_limit),
        (Some(true), Some(30))
    );
    assert_eq!(channels[1].desk_phone_number.as_deref(), Some("+12065550100"));
    let printed = user.to_scim_attributes();
    assert_eq!(
        printed[CONNECT_URN]["proficiencies"][0],
        json!({"attributeName": "Language", "attributeValue": "Spanish", "level": 4})
    );
    let again = User::from_scim(&Value::Object(printed)).unwrap();
    assert_eq!(again, user);
}

#[test]
fn proficiencies_take_the_compact_text_idp_expressions_make() {
    let parse = |value: Value| {
        User::from_scim(&json!({"userName": "a", CONNECT_URN: {"proficiencies": value}}))
            .map(|u| u.extension.proficiencies)
    };
    let list = parse(json!("Language=Spanish:4; Skill = Billing : 2"))
        .unwrap()
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!((list[1].attribute_name.as_str(), list[1].level), ("Skill", 2.0));
    assert_eq!(
        parse(json!(["Language=Spanish:4", "Language=French:3"]))
            .unwrap()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(parse(json!([])).unwrap(), Some(vec![]), "an empty list is none");
    assert_eq!(parse(json!("")).unwrap(), None, "blank is unmanaged");
    let twice = parse(json!("Language=Spanish:4; language=SPANISH:2"))
        .unwrap()
        .unwrap();
    assert_eq!(twice.len(), 1);
    assert_eq!(twice[0].level, 2.0, "the later level wins");
    for bad in [
        json!("Language"),
        json!("Language=Spanish"),
        json!("Language=Spanish:high"),
        json!([{"attributeName": "Language", "attributeValue": "Spanish"}]),
        json!([{"attributeName": "Language", "level": 3}]),
        json!(4),
    ] {
        let err = parse(bad.clone()).unwrap_err();
        assert_eq!(err.status().as_u16(), 400, "{bad}");
        assert!(err.to_string().contains("proficiencies"), "{bad}: {err}");
    }
}

#[test]
fn channel_configs_merge_entries_for_one_channel() {
    let parse = |value: Value| {
        User::from_scim(&json!({"userName": "a", CONNECT_URN: {"channelConfigs": value}}))
            .map(|u| u.extension.channel_configs)
    };
    assert_eq!(parse(json!([])).unwrap(), None);
    let merged = parse(json!([
        {"channel": "CHAT", "autoAccept": false, "afterContactWorkTimeLimit": 5},
        {"channel": "chat", "autoAccept": true},
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(merged.len(), 1, "a channel named twice is one entry");
    assert_eq!(
        (merged[0].auto_accept, merged[0].after_contact_work_time_limit),
        (Some(true), Some(5)),
        "the later entry's settings win"
    );
    let compact = parse(json!([
        "CHAT:autoAccept=true,afterContactWorkTimeLimit=30; VOICE:phoneType=DESK_PHONE,deskPhoneNumber=+12065550100",
        "TASK:autoAccept=False",
    ]))
    .unwrap()
    .unwrap();
    assert_eq!(compact.len(), 3);
    assert_eq!(
        (compact[0].auto_accept, compact[0].after_contact_work_time_limit),
        (Some(true), Some(30))
    );
    assert_eq!(compact[1].desk_phone_number.as_deref(), Some("+12065550100"));
    assert_eq!(compact[2].auto_accept, Some(false));
    for bad in [
        json!("CHAT"),
        json!("CHAT:autoAccept"),
        json!("CHAT:autoAccept=perhaps"),
        json!([{"autoAccept": true}]),
        json!([{"channel": "CHAT", "autoAccept": "sometimes"}]),
        json!([{"channel": "CHAT", "afterContactWorkTimeLimit": 1.5}]),
        json!(7),
    ] {
        let err = parse(bad.clone()).unwrap_err();
        assert_eq!(err.status().as_u16(), 400, "{bad}");
    }
}

#[test]
fn members_named_by_filtered_paths_are_the_attributes_they_name() {
    let user = User::from_scim(&json!({
        "userName": "a",
        "emails[type eq \"work\"].value": "a@example.com",
        format!("{CONNECT_URN}:channelConfigs[channel eq \"CHAT\"].autoAccept"): "True",
        format!("{CONNECT_URN}:proficiencies[attributeName eq \"Language\" and attributeValue eq \"Spanish\"].level"): 4,
    }))
    .unwrap();
    let nested = User::from_scim(&json!({
        "userName": "a",
        CONNECT_URN: {"channelConfigs[channel eq \"CHAT\"].autoAccept": "True", "routingProfile": "Sales"},
    }))
    .unwrap();
    assert_eq!(
        nested.extension.channel_configs.as_deref().unwrap()[0].auto_accept,
        Some(true),
        "a filtered member inside the extension's object"
    );
    assert_eq!(nested.extension.routing_profile.as_deref(), Some("Sales"));
    assert_eq!(user.email.as_deref(), Some("a@example.com"));
    let chat = &user.extension.channel_configs.as_deref().unwrap()[0];
    assert_eq!(
        (chat.channel, chat.auto_accept),
        (ContactChannel::Chat, Some(true))
    );
    assert_eq!(
        user.extension.proficiencies.as_deref().unwrap()[0].compact(),
        "Language=Spanish:4"
    );
}

#[test]
fn extension_lists_take_filtered_paths() {
    let urn = CONNECT_URN;
    let agent = json!({
        "userName": "ann",
        urn: {
            "proficiencies": [
                {"attributeName": "Language", "attributeValue": "Spanish", "level": 2.0},
                {"attributeName": "Skill", "attributeValue": "Billing", "level": 3.0},
            ],
            "channelConfigs": [{"channel": "VOICE", "autoAccept": false}],
        },
    });
    let Value::Object(mut out) = agent else { panic!() };
    let body = json!({"schemas": [PATCH_URN], "Operations": json!([
        {"op": "replace", "path": format!("{urn}:proficiencies[attributeName eq \"Language\"].level"), "value": 4},
        {"op": "remove", "path": format!("{urn}:proficiencies[attributeName eq \"Skill\"]")},
        {"op": "add", "path": format!("{urn}:proficiencies"), "value": [{"attributeName": "Language", "attributeValue": "French", "level": 1}]},
        {"op": "replace", "path": format!("{urn}:channelConfigs[channel eq \"CHAT\"].autoAccept"), "value": true},
        {"op": "replace", "path": format!("{urn}:channelConfigs[channel eq \"VOICE\"].autoAccept"), "value": true},
    ])});
    PatchRequest::parse(&body)
        .unwrap()
        .apply(&mut out, &CONNECT_USER_RESOURCE)
        .unwrap();
    assert_eq!(
        out[urn]["proficiencies"],
        json!([
            {"attributeName": "Language", "attributeValue": "Spanish", "level": 4},
            {"attributeName": "Language", "attributeValue": "French", "level": 1},
        ])
    );
    assert_eq!(
        out[urn]["channelConfigs"],
        json!([
            {"channel": "VOICE", "autoAccept": true},
            {"channel": "CHAT", "autoAccept": true},
        ])
    );
}

#[test]
fn the_user_resource_type_is_the_cores_with_the_connect_extension() {
    use scim_core::schema::USER_RESOURCE;
    let ours = <AgentSettings as UserExtension>::RESOURCE;
    assert_eq!(
        (ours.name, ours.endpoint),
        (USER_RESOURCE.name, USER_RESOURCE.endpoint)
    );
    assert!(std::ptr::eq(ours.core, USER_RESOURCE.core));
    let declared = ours
        .extension(CONNECT_URN)
        .expect("the Connect extension is declared");
    assert!(std::ptr::eq(declared, &CONNECT_SCHEMA));
    assert!(std::ptr::eq(
        <AgentSettings as UserExtension>::EXTENSION_SCHEMA.unwrap(),
        &CONNECT_SCHEMA
    ));
    for ext in USER_RESOURCE.extensions {
        assert!(ours.extension(ext.id).is_some(), "{} kept", ext.id);
    }
}

/// The CDK app checks the same limits at synth (cdk/lib/config.ts, in
/// TypeScript, so it cannot import these); this keeps the two copies equal.
#[test]
fn the_cdk_checks_the_same_connect_limits() {
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cdk/lib/config.ts");
    let text = std::fs::read_to_string(config).unwrap();
    let constant = |name: &str| -> f64 {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("const {name} = ")))
            .unwrap_or_else(|| panic!("config.ts has no const {name}"));
        line.trim_end_matches(';')
            .rsplit(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    let as_f64 = |n: usize| f64::from(u32::try_from(n).unwrap());
    assert_eq!(
        constant("MAX_SECURITY_PROFILES"),
        as_f64(crate::agent::rules::MAX_PROFILES)
    );
    assert_eq!(
        constant("MAX_PROFICIENCIES"),
        as_f64(crate::proficiencies::MAX_PROFICIENCIES)
    );
    assert_eq!(constant("MIN_LEVEL"), *crate::proficiencies::LEVELS.start());
    assert_eq!(constant("MAX_LEVEL"), *crate::proficiencies::LEVELS.end());
}

#[test]
fn phone_types_are_read_in_any_spelling_and_printed_in_connects() {
    for (sent, kind) in [
        ("desk-phone", PhoneKind::Desk),
        ("DESK_PHONE", PhoneKind::Desk),
        ("soft phone", PhoneKind::Soft),
        ("Soft_Phone", PhoneKind::Soft),
    ] {
        assert_eq!(PhoneKind::parse(sent).unwrap(), kind, "{sent}");
    }
    assert_eq!(PhoneKind::Desk.to_string(), "DESK_PHONE");
    assert_eq!(PhoneKind::Soft.to_string(), "SOFT_PHONE");
    let refused = PhoneKind::parse("CELL").unwrap_err();
    assert_eq!(refused.status().as_u16(), 400);
    assert_eq!(refused.scim_type(), Some(scim_core::ScimType::InvalidValue));
    let says = "must be SOFT_PHONE or DESK_PHONE, not \"CELL\"";
    assert!(refused.detail().contains(says), "{}", refused.detail());
}

#[test]
fn channels_are_read_in_any_case_and_printed_in_connects() {
    let field = path("channelConfigs.channel");
    for (sent, channel) in [
        ("voice", ContactChannel::Voice),
        ("Chat", ContactChannel::Chat),
        ("TASK", ContactChannel::Task),
        ("email", ContactChannel::Email),
    ] {
        assert_eq!(ContactChannel::parse(sent, &field).unwrap(), channel, "{sent}");
        assert_eq!(channel.to_string(), sent.to_ascii_uppercase());
    }
    let refused = ContactChannel::parse("SMS", &field).unwrap_err();
    assert_eq!(refused.scim_type(), Some(scim_core::ScimType::InvalidValue));
    let says = "\"SMS\" is not a channel; Amazon Connect's are VOICE, CHAT, TASK, EMAIL";
    assert!(refused.detail().contains(says), "{}", refused.detail());
}
