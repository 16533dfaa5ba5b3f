//! Tests of the User parser and printer.

use serde_json::{Value, json};

use super::*;
use crate::schema::{ENTERPRISE_URN, USER_URN};

/// The core's own User, without a directory's extension.
type User = super::User;

#[test]
fn user_names_compare_without_case() {
    assert_eq!(
        UserName::new("Ann@Example.com").unwrap(),
        UserName::new("ann@example.COM").unwrap()
    );
    assert!(UserName::new("  ").is_err());
}

#[test]
fn parses_an_entra_style_create() {
    let body = json!({
        "schemas": [USER_URN, ENTERPRISE_URN],
        "externalId": "ann",
        "UserName": "ann@example.com",
        "active": "True",
        "displayName": "Ann Lee",
        "title": "Agent",
        "emails": [{"primary": true, "type": "work", "value": "ann@example.com"}],
        "name": {"formatted": "Ann Lee", "familyName": "Lee", "givenName": "Ann"},
        ENTERPRISE_URN: {"department": "Sales", "employeeNumber": "7"},
        "password": "ignored",
        "locale": null,
    });
    let user = User::from_scim(&body).unwrap();
    assert_eq!(user.user_name.as_str(), "ann@example.com");
    assert_eq!(user.external_id.as_deref(), Some("ann"));
    assert_eq!(user.given_name.as_deref(), Some("Ann"));
    assert_eq!(user.family_name.as_deref(), Some("Lee"));
    assert_eq!(user.email.as_deref(), Some("ann@example.com"));
    assert_eq!(user.department.as_deref(), Some("Sales"));
    assert_eq!(user.active, Some(true));
}

#[test]
fn picks_the_primary_email() {
    let body = json!({"userName": "a", "emails": [
        {"value": "home@example.com", "type": "home"},
        {"value": "work@example.com", "type": "work", "primary": "true"},
    ]});
    assert_eq!(
        User::from_scim(&body).unwrap().email.as_deref(),
        Some("work@example.com")
    );
    let body =
        json!({"userName": "a", "emails": [{"value": "first@example.com"}, {"value": "second@example.com"}]});
    assert_eq!(
        User::from_scim(&body).unwrap().email.as_deref(),
        Some("first@example.com")
    );
}

#[test]
fn wrong_types_are_invalid_values() {
    for body in [
        json!({}),
        json!({"userName": 5}),
        json!({"userName": ""}),
        json!({"userName": "a", "active": "maybe"}),
        json!({"userName": "a", "name": "Ann"}),
        json!({"userName": "a", "emails": "a@example.com"}),
        json!({"userName": "a", "displayName": ["x"]}),
    ] {
        let err = User::from_scim(&body).unwrap_err();
        assert_eq!(err.status().as_u16(), 400, "{body}");
    }
    assert!(User::from_scim(&json!([1])).is_err());
}

#[test]
fn flat_extension_names_are_understood() {
    let body = json!({"userName": "a", format!("{ENTERPRISE_URN}:department"): "Support"});
    assert_eq!(
        User::from_scim(&body).unwrap().department.as_deref(),
        Some("Support")
    );
}

#[test]
fn prints_what_it_parses() {
    let user = User::from_scim(&json!({
        "userName": "a", "externalId": "x", "displayName": "A B",
        "name": {"givenName": "A", "familyName": "B"},
        "emails": [{"value": "a@example.com"}], "active": false,
        ENTERPRISE_URN: {"department": "Sales"},
    }))
    .unwrap();
    let again = User::from_scim(&Value::Object(user.to_scim_attributes())).unwrap();
    assert_eq!(user, again);
    let stored = StoredUser {
        handle: (),
        id: UserId::new("u-1"),
        user,
        created: None,
        last_modified: None,
        groups: Vec::new(),
    };
    let json = stored.to_scim("https://h/scim/v2");
    assert_eq!(json["meta"]["location"], "https://h/scim/v2/Users/u-1");
    assert_eq!(json["schemas"][1], ENTERPRISE_URN);
    let version = stored.version();
    assert!(version.starts_with("W/\""));
    assert_eq!(json["meta"]["version"], version.as_str());
    let mut changed = stored.clone();
    changed.user.display_name = Some("Other".into());
    assert_ne!(changed.version(), version);
}
