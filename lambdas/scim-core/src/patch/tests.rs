//! Tests of the PATCH engine over the User schema: the shapes Entra ID and
//! Okta send, and the RFC error types.

use super::*;
use crate::schema::{AttrType, Attribute, ENTERPRISE_URN, ResourceSchema, USER_RESOURCE};
use serde_json::json;

fn patch(resource: Value, body: Value) -> Result<Value, ScimError> {
    let Value::Object(mut map) = resource else {
        panic!()
    };
    PatchRequest::parse(&body)?.apply(&mut map, &USER_RESOURCE)?;
    Ok(Value::Object(map))
}

fn ops(ops: Value) -> Value {
    json!({"schemas": [PATCH_URN], "Operations": ops})
}

fn ann() -> Value {
    json!({
        "userName": "ann", "active": true,
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"value": "ann@work.com", "type": "work", "primary": true}],
    })
}

#[test]
fn simple_and_sub_attribute_paths() {
    let out = patch(
        ann(),
        ops(json!([
            {"op": "Replace", "path": "displayName", "value": "Ann L"},
            {"op": "replace", "path": "name.givenName", "value": "Anne"},
            {"op": "remove", "path": "name.familyName"},
            {"op": "add", "path": "externalId", "value": "e-1"},
        ])),
    )
    .unwrap();
    assert_eq!(out["displayName"], "Ann L");
    assert_eq!(out["name"], json!({"givenName": "Anne"}));
    assert_eq!(out["externalId"], "e-1");
}

#[test]
fn entra_flag_off_shapes() {
    let out = patch(ann(), ops(json!([
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Add", "path": "emails[type eq \"work\"].value", "value": "new@work.com"},
        {"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Sales"},
        {"op": "Add", "path": "title", "value": "ignored"},
        {"op": "Replace", "path": "name.formatted", "value": "ignored"},
    ]))).unwrap();
    assert_eq!(out["active"], "False");
    assert_eq!(out["emails"][0]["value"], "new@work.com");
    assert_eq!(out[ENTERPRISE_URN]["department"], "Sales");
    assert!(out.get("title").is_none());
}

#[test]
fn entra_flag_on_and_okta_pathless_values() {
    let out = patch(
        ann(),
        ops(json!([
            {"op": "replace", "value": {
                "active": false,
                "name.familyName": "Smith",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Support",
                "emails[type eq \"work\"].value": "w@work.com",
            }},
        ])),
    )
    .unwrap();
    assert_eq!(out["active"], false);
    assert_eq!(out["name"]["familyName"], "Smith");
    assert_eq!(out["name"]["givenName"], "Ann");
    assert_eq!(out[ENTERPRISE_URN]["department"], "Support");
    assert_eq!(out["emails"][0]["value"], "w@work.com");

    let out = patch(
        ann(),
        ops(json!([{"op": "replace", "value": {ENTERPRISE_URN: {"department": "X"}, "id": null}}])),
    );
    assert_eq!(out.unwrap_err().scim_type(), Some(ScimType::Mutability));
}

#[test]
fn filter_that_matches_nothing_creates_or_fails() {
    let out = patch(
        ann(),
        ops(json!([
            {"op": "replace", "path": "emails[type eq \"home\"].value", "value": "h@home.com"},
        ])),
    )
    .unwrap();
    assert_eq!(out["emails"][1], json!({"type": "home", "value": "h@home.com"}));
    let err = patch(
        ann(),
        ops(json!([
            {"op": "replace", "path": "emails[value co \"nomatch\"].value", "value": "x"},
        ])),
    )
    .unwrap_err();
    assert_eq!(err.scim_type(), Some(ScimType::NoTarget));
}

#[test]
fn remove_filtered_values_and_whole_attributes() {
    let out = patch(
        ann(),
        ops(json!([{"op": "remove", "path": "emails[type eq \"WORK\"]"}])),
    )
    .unwrap();
    assert!(out.get("emails").is_none());
    let out = patch(ann(), ops(json!([{"op": "remove", "path": "name"}]))).unwrap();
    assert!(out.get("name").is_none());
}

#[test]
fn add_appends_and_primary_stays_unique() {
    let out = patch(
        ann(),
        ops(json!([
            {"op": "add", "path": "emails", "value": [{"value": "b@x.com", "primary": true}]},
        ])),
    )
    .unwrap();
    assert_eq!(out["emails"][0]["primary"], false);
    assert_eq!(out["emails"][1]["primary"], true);
}

#[test]
fn errors_carry_the_rfc_scim_types() {
    let cases = [
        (json!({"Operations": []}), ScimType::InvalidSyntax),
        (
            json!({"schemas": ["urn:wrong"], "Operations": [{"op": "add", "path": "a", "value": 1}]}),
            ScimType::InvalidSyntax,
        ),
        (
            ops(json!([{"op": "merge", "path": "displayName", "value": "x"}])),
            ScimType::InvalidSyntax,
        ),
        (
            ops(json!([{"op": "add", "path": "displayName"}])),
            ScimType::InvalidSyntax,
        ),
        (ops(json!([{"op": "remove"}])), ScimType::NoTarget),
        (
            ops(json!([{"op": "add", "path": "bogus", "value": "x"}])),
            ScimType::InvalidPath,
        ),
        (
            ops(json!([{"op": "add", "path": "name.bogus", "value": "x"}])),
            ScimType::InvalidPath,
        ),
        (
            ops(json!([{"op": "add", "path": "emails[type eq", "value": "x"}])),
            ScimType::InvalidPath,
        ),
        (
            ops(json!([{"op": "add", "path": "urn:x:y:z:attr", "value": "x"}])),
            ScimType::InvalidPath,
        ),
        (
            ops(json!([{"op": "replace", "path": "id", "value": "x"}])),
            ScimType::Mutability,
        ),
        (
            ops(json!([{"op": "remove", "path": "userName"}])),
            ScimType::Mutability,
        ),
        (
            ops(json!([{"op": "replace", "path": "displayName[type eq \"x\"]", "value": "x"}])),
            ScimType::InvalidPath,
        ),
        (
            ops(json!([{"op": "replace", "value": "not-an-object"}])),
            ScimType::InvalidValue,
        ),
    ];
    for (body, expected) in cases {
        let err = patch(ann(), body.clone()).unwrap_err();
        assert_eq!(err.scim_type(), Some(expected), "{body}: {err}");
    }
}

/// A directory's own extension, as a directory would declare it: two
/// multi-valued complex attributes.
static TEST_EXTENSION: crate::schema::Schema = crate::schema::Schema {
    id: "urn:example:params:scim:schemas:extension:test:2.0:User",
    name: "TestUser",
    description: "A directory's own extension.",
    attributes: &[
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            sub_attributes: &[
                Attribute::string("name", "Skill name."),
                Attribute::string("value", "Skill value."),
                Attribute {
                    kind: AttrType::Integer,
                    ..Attribute::string("level", "Level.")
                },
            ],
            ..Attribute::string("skills", "Skills.")
        },
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            sub_attributes: &[
                Attribute::string("channel", "Channel."),
                Attribute {
                    kind: AttrType::Boolean,
                    ..Attribute::string("autoAccept", "Auto-accept.")
                },
            ],
            ..Attribute::string("channels", "Channels.")
        },
    ],
};

static TEST_USERS: ResourceSchema = ResourceSchema {
    extensions: &[&crate::schema::ENTERPRISE_SCHEMA, &TEST_EXTENSION],
    name: "User",
    endpoint: "/Users",
    core: &crate::schema::USER_SCHEMA,
    ignored: crate::schema::IGNORED_USER_ATTRIBUTES,
};

#[test]
fn extension_lists_take_filtered_paths() {
    let urn = TEST_EXTENSION.id;
    let Value::Object(mut map) = json!({
        "userName": "ann",
        urn: {
            "skills": [
                {"name": "Language", "value": "Spanish", "level": 2},
                {"name": "Skill", "value": "Billing", "level": 3},
            ],
            "channels": [{"channel": "VOICE", "autoAccept": false}],
        },
    }) else {
        panic!()
    };
    let body = ops(json!([
        {"op": "replace", "path": format!("{urn}:skills[name eq \"Language\"].level"), "value": 4},
        {"op": "remove", "path": format!("{urn}:skills[name eq \"Skill\"]")},
        {"op": "add", "path": format!("{urn}:skills"), "value": [{"name": "Language", "value": "French", "level": 1}]},
        {"op": "replace", "path": format!("{urn}:channels[channel eq \"CHAT\"].autoAccept"), "value": true},
        {"op": "replace", "path": format!("{urn}:channels[channel eq \"VOICE\"].autoAccept"), "value": true},
    ]));
    PatchRequest::parse(&body)
        .unwrap()
        .apply(&mut map, &TEST_USERS)
        .unwrap();
    assert_eq!(
        map[urn]["skills"],
        json!([
            {"name": "Language", "value": "Spanish", "level": 4},
            {"name": "Language", "value": "French", "level": 1},
        ])
    );
    assert_eq!(
        map[urn]["channels"],
        json!([
            {"channel": "VOICE", "autoAccept": true},
            {"channel": "CHAT", "autoAccept": true},
        ])
    );
    let unknown = ops(json!([{"op": "add", "path": format!("{urn}:skills"), "value": []}]));
    assert!(
        PatchRequest::parse(&unknown)
            .unwrap()
            .apply(&mut map, &USER_RESOURCE)
            .is_err(),
        "an extension the resource type does not declare is not a path"
    );
}
