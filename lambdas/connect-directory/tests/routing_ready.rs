//! Routing-ready agents end to end: proficiencies and per-channel settings
//! written through SCIM, read back from Connect with the real SDK client,
//! and what each change costs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use aws_sdk_connect::types::{Channel, PredefinedAttributeValues};
use connect_directory::parse_proficiency_map;
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use support::{ENTERPRISE, PATCH_OP, Stack, assert_scim_error, stack, stack_with, writes_between};

const EXT: &str = "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User";

fn patch(ops: Value) -> Option<Value> {
    Some(json!({"schemas": [PATCH_OP], "Operations": ops}))
}

/// The instance's predefined attributes, made as an admin does.
async fn seed(s: &Stack) {
    let client = s.client().await;
    for (name, values) in [
        ("Language", &["English", "Spanish", "French"][..]),
        ("Skill", &["Billing", "Returns"][..]),
    ] {
        client
            .create_predefined_attribute()
            .instance_id(&s.instance)
            .name(name)
            .values(PredefinedAttributeValues::StringList(
                values.iter().map(|v| (*v).to_owned()).collect(),
            ))
            .send()
            .await
            .unwrap();
    }
}

/// What the agent holds in Connect, read with the SDK: `Name=Value:level`.
async fn held(s: &Stack, id: &str) -> Vec<String> {
    let out = s
        .client()
        .await
        .list_user_proficiencies()
        .instance_id(&s.instance)
        .user_id(id)
        .send()
        .await
        .unwrap();
    let mut held: Vec<String> = out
        .user_proficiency_list()
        .iter()
        .map(|p| format!("{}={}:{}", p.attribute_name(), p.attribute_value(), p.level()))
        .collect();
    held.sort();
    held
}

/// The `channelConfigs` entry of a SCIM user for `name`.
fn channel(user: &Value, name: &str) -> Value {
    user[EXT]["channelConfigs"]
        .as_array()
        .and_then(|list| list.iter().find(|c| c["channel"] == name))
        .cloned()
        .expect("the user lists that channel in channelConfigs")
}

/// A stack with the predefined attributes, and an agent `name` created with
/// `proficiencies` (as text); its id.
async fn agent_with(name: &str, proficiencies: &str) -> (Stack, String) {
    let s = stack(DeprovisionMode::Delete).await;
    seed(&s).await;
    let id = create(
        &s,
        json!({"userName": name, EXT: {"proficiencies": proficiencies}}),
    )
    .await;
    (s, id)
}

async fn create(s: &Stack, body: Value) -> String {
    let made = s.send("POST", "/Users", Some(body)).await;
    assert_eq!(made.status, 201, "{}", made.body);
    made.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_agent_is_created_routing_ready_and_kept_in_step() {
    let s = stack(DeprovisionMode::Delete).await;
    seed(&s).await;
    let before = s.stats();
    let id = create(
        &s,
        json!({
            "userName": "maria",
            "name": {"givenName": "Maria", "familyName": "Lopez"},
            EXT: {
                "proficiencies": [
                    {"attributeName": "language", "attributeValue": "spanish", "level": 4},
                    {"attributeName": "Skill", "attributeValue": "Billing", "level": 2},
                ],
                "channelConfigs": [
                    {"channel": "CHAT", "autoAccept": true, "afterContactWorkTimeLimit": 30},
                    {"channel": "VOICE", "phoneType": "DESK_PHONE", "deskPhoneNumber": "+12065550100"},
                ],
            },
        }),
    )
    .await;
    let cost = s.stats().since(&before);
    assert_eq!(
        writes_between(&before, &s.stats()),
        ["AssociateUserProficiencies", "CreateUser"],
        "a create with proficiencies is CreateUser plus one call"
    );
    assert_eq!(cost.calls("AssociateUserProficiencies"), 1);
    // Read back by the real SDK, in the instance's spelling, at exactly
    // those levels.
    assert_eq!(held(&s, &id).await, ["Language=Spanish:4", "Skill=Billing:2"]);
    let user = s
        .client()
        .await
        .describe_user()
        .instance_id(&s.instance)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    let user = user.user().unwrap();
    let chat_auto_accept = user
        .auto_accept_configs()
        .iter()
        .find(|c| *c.channel() == Channel::Chat)
        .map(|c| c.auto_accept());
    assert_eq!(chat_auto_accept, Some(true));
    let voice_phone = user
        .phone_number_configs()
        .iter()
        .find(|c| *c.channel() == Channel::Voice)
        .unwrap();
    assert_eq!(voice_phone.phone_number(), Some("+12065550100"));

    // The SCIM read shows what was chosen.
    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    assert_eq!(
        read.body[EXT]["proficiencies"],
        json!([
            {"attributeName": "Language", "attributeValue": "Spanish", "level": 4},
            {"attributeName": "Skill", "attributeValue": "Billing", "level": 2},
        ])
    );
    let chat = channel(&read.body, "CHAT");
    assert_eq!(
        (
            chat["channel"].as_str(),
            chat["autoAccept"].as_bool(),
            chat["afterContactWorkTimeLimit"].as_i64()
        ),
        (Some("CHAT"), Some(true), Some(30))
    );

    // VOICE reads back through the single attributes, never twice.
    assert_eq!(
        (
            read.body[EXT]["phoneType"].as_str(),
            read.body[EXT]["deskPhoneNumber"].as_str()
        ),
        (Some("DESK_PHONE"), Some("+12065550100"))
    );
    assert!(
        read.body[EXT]["channelConfigs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["channel"] != "VOICE")
    );

    // Echoing the read back writes nothing.
    let before = s.stats();
    let echoed = s
        .send("PUT", &format!("/Users/{id}"), Some(read.body.clone()))
        .await;
    assert_eq!(echoed.status, 200, "{}", echoed.body);
    assert!(writes_between(&before, &s.stats()).is_empty());

    // One level changed through a filtered path: one proficiency call (and
    // the tag that records it).
    let before = s.stats();
    let changed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([{"op": "replace",
                "path": format!("{EXT}:proficiencies[attributeName eq \"Language\"].level"), "value": 5}])),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        writes_between(&before, &s.stats()),
        ["TagResource", "UpdateUserProficiencies"]
    );
    assert_eq!(held(&s, &id).await, ["Language=Spanish:5", "Skill=Billing:2"]);

    // One removed, one added.
    let before = s.stats();
    let changed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([
                {"op": "remove", "path": format!("{EXT}:proficiencies[attributeName eq \"Skill\"]")},
                {"op": "add", "path": format!("{EXT}:proficiencies"),
                 "value": [{"attributeName": "Language", "attributeValue": "French", "level": 1}]},
            ])),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        writes_between(&before, &s.stats()),
        [
            "AssociateUserProficiencies",
            "DisassociateUserProficiencies",
            "TagResource"
        ]
    );
    assert_eq!(held(&s, &id).await, ["Language=French:1", "Language=Spanish:5"]);

    // One channel setting: one UpdateUserConfig, nothing else.
    let before = s.stats();
    let changed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([{"op": "replace",
                "path": format!("{EXT}:channelConfigs[channel eq \"TASK\"].autoAccept"), "value": true}])),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(writes_between(&before, &s.stats()), ["UpdateUserConfig"]);
    let task = channel(&changed.body, "TASK");
    assert_eq!(
        (task["channel"].as_str(), task["autoAccept"].as_bool()),
        (Some("TASK"), Some(true))
    );
    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    let chat = channel(&read.body, "CHAT");
    assert_eq!(
        chat["afterContactWorkTimeLimit"], 30,
        "other channels keep theirs"
    );
}

#[tokio::test]
async fn unknown_names_are_refused_before_anything_changes() {
    let s = stack(DeprovisionMode::Delete).await;
    seed(&s).await;
    let schema = s.send("GET", &format!("/Schemas/{EXT}"), None).await;
    let proficiencies = schema.body["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "proficiencies")
        .unwrap();
    assert_eq!(
        proficiencies["subAttributes"][0]["canonicalValues"],
        json!(["Language", "Skill"]),
        "/Schemas offers the instance's predefined attributes"
    );
    let before = s.stats();
    for (proficiencies, mentions) in [
        (json!("Lingo=Spanish:4"), "it has: Language, Skill"),
        (json!("Language=German:4"), "its values: English, Spanish, French"),
        (json!("Language=Spanish:6"), "levels are 1, 2, 3, 4 and 5"),
        (json!("Language=Spanish:2.5"), "levels are 1, 2, 3, 4 and 5"),
    ] {
        let answer = s
            .send(
                "POST",
                "/Users",
                Some(json!({"userName": "nobody", EXT: {"proficiencies": proficiencies}})),
            )
            .await;
        assert_scim_error(&answer, 400, Some("invalidValue"));
        let detail = answer.body["detail"].as_str().unwrap();
        assert!(detail.contains(mentions), "{detail}");
    }
    for channels in [
        json!([{"channel": "SMS", "autoAccept": true}]),
        json!([{"channel": "CHAT", "phoneType": "SOFT_PHONE"}]),
        json!([{"channel": "CHAT", "afterContactWorkTimeLimit": 2_000_001}]),
        json!([{"channel": "VOICE", "phoneType": "DESK_PHONE"}]),
    ] {
        let answer = s
            .send(
                "POST",
                "/Users",
                Some(json!({"userName": "nobody", EXT: {"channelConfigs": channels}})),
            )
            .await;
        assert_scim_error(&answer, 400, Some("invalidValue"));
    }
    assert!(writes_between(&before, &s.stats()).is_empty());
    assert!(s.users().iter().all(|u| u.username != "nobody"));
}

#[tokio::test]
async fn the_bridge_takes_back_only_what_it_granted() {
    let (s, id) = agent_with("li", "Language=English:3").await;
    // An admin adds one in the console.
    s.client()
        .await
        .associate_user_proficiencies()
        .instance_id(&s.instance)
        .user_id(&id)
        .user_proficiencies(
            aws_sdk_connect::types::UserProficiency::builder()
                .attribute_name("Skill")
                .attribute_value("Returns")
                .level(3.0)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let removed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([{"op": "remove", "path": format!("{EXT}:proficiencies")}])),
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(held(&s, &id).await, ["Skill=Returns:3"]);
    assert!(
        removed.body[EXT].get("proficiencies").is_none(),
        "{}",
        removed.body
    );
}

#[tokio::test]
async fn a_department_grants_proficiencies_by_proficiency_map() {
    let s = stack_with(DeprovisionMode::Delete, |settings| {
        settings.proficiency_map = parse_proficiency_map(
            r#"{"Spanish Support": "Language=Spanish:4; Skill=Billing:2",
                "Sales": [{"attributeName": "Language", "attributeValue": "English", "level": 3}]}"#,
        )
        .unwrap();
    })
    .await;
    seed(&s).await;
    let id = create(
        &s,
        json!({"userName": "ana", ENTERPRISE: {"department": "spanish support"}}),
    )
    .await;
    assert_eq!(held(&s, &id).await, ["Language=Spanish:4", "Skill=Billing:2"]);
    let read = s.send("GET", &format!("/Users/{id}"), None).await;
    assert!(
        read.body[EXT].get("proficiencies").is_none(),
        "the map's grants are not the client's choice: {}",
        read.body
    );
    // The read echoed with a new department swaps the map's share.
    let mut moved = read.body.clone();
    moved[ENTERPRISE]["department"] = json!("Sales");
    let answer = s.send("PUT", &format!("/Users/{id}"), Some(moved)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(held(&s, &id).await, ["Language=English:3"]);
    // The client's own choice wins over the map.
    let chosen = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(
                json!([{"op": "add", "path": format!("{EXT}:proficiencies"), "value": "Language=French:2"}]),
            ),
        )
        .await;
    assert_eq!(chosen.status, 200, "{}", chosen.body);
    assert_eq!(held(&s, &id).await, ["Language=French:2"]);
}

#[tokio::test]
async fn a_create_whose_proficiencies_fail_leaves_no_agent() {
    let s = stack(DeprovisionMode::Delete).await;
    seed(&s).await;
    // The catalogue is cached by a first create; then an attribute nobody
    // holds goes (Connect refuses to delete one in use).
    create(
        &s,
        json!({"userName": "first", EXT: {"proficiencies": "Language=English:1"}}),
    )
    .await;
    s.client()
        .await
        .delete_predefined_attribute()
        .instance_id(&s.instance)
        .name("Skill")
        .send()
        .await
        .unwrap();
    let answer = s
        .send(
            "POST",
            "/Users",
            Some(json!({"userName": "second", EXT: {"proficiencies": "Skill=Billing:1"}})),
        )
        .await;
    assert_scim_error(&answer, 400, Some("invalidValue"));
    assert!(
        s.users().iter().all(|u| u.username != "second"),
        "the half-made agent was taken back"
    );
    // The IdP's retry now finds the catalogue refreshed and a clear answer.
    let retry = s
        .send(
            "POST",
            "/Users",
            Some(json!({"userName": "second", EXT: {"proficiencies": "Skill=Billing:1"}})),
        )
        .await;
    assert_scim_error(&retry, 400, Some("invalidValue"));
    assert!(
        retry.body["detail"]
            .as_str()
            .unwrap()
            .contains("it has: Language")
    );
}

#[tokio::test]
async fn a_grant_removed_in_the_console_is_granted_again_on_the_next_change() {
    let (s, id) = agent_with("kim", "Language=Spanish:2").await;
    // An admin takes it away in the console; the bridge's record still has it.
    s.client()
        .await
        .disassociate_user_proficiencies()
        .instance_id(&s.instance)
        .user_id(&id)
        .user_proficiencies(
            aws_sdk_connect::types::UserProficiencyDisassociate::builder()
                .attribute_name("Language")
                .attribute_value("Spanish")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    // The IdP raises the level: UpdateUserProficiencies is refused ("must
    // first be associated"), so the bridge reads what the agent holds and
    // associates it instead.
    let before = s.stats();
    let changed = s
        .send(
            "PATCH",
            &format!("/Users/{id}"),
            patch(json!([{"op": "replace",
                "path": format!("{EXT}:proficiencies[attributeName eq \"Language\"].level"), "value": 4}])),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let cost = s.stats().since(&before);
    assert_eq!(
        (
            cost.calls("UpdateUserProficiencies"),
            cost.calls("ListUserProficiencies"),
            cost.calls("AssociateUserProficiencies")
        ),
        (1, 1, 1)
    );
    assert_eq!(held(&s, &id).await, ["Language=Spanish:4"]);
}
