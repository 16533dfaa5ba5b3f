//! Tests of the Group parser, printer and PATCH classification.

use super::*;
use crate::patch::PatchRequest;

fn stored(members: Option<&[&str]>) -> StoredGroup {
    StoredGroup {
        id: GroupId::new("g1"),
        group: Group {
            display_name: "Sales".into(),
            external_id: None,
        },
        members: members.map(|m| {
            m.iter()
                .map(|v| Member {
                    value: UserId::new(*v),
                })
                .collect()
        }),
        created: None,
        last_modified: None,
        handle: (),
    }
}

fn patch(ops: Value) -> GroupPatch {
    let request = PatchRequest::parse(&json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": ops,
    }))
    .unwrap();
    GroupPatch::new(request).unwrap()
}

fn ids(v: &[&str]) -> Vec<UserId> {
    v.iter().map(|s| UserId::new(*s)).collect()
}

#[test]
fn entra_and_okta_member_shapes_need_no_member_read() {
    let p = patch(json!([
        {"op": "Add", "path": "members", "value": [{"$ref": null, "value": "u1"}, {"value": "u2"}]},
        {"op": "Remove", "path": "members", "value": [{"value": "u3"}]},
        {"op": "remove", "path": "members[value eq \"u4\"]"},
        {"op": "replace", "value": {"id": "g1", "displayName": "Sales"}},
    ]));
    assert!(!p.needs_members());
    let out = p.apply(&stored(None)).unwrap();
    assert_eq!(out.members.add, ids(&["u1", "u2"]));
    assert_eq!(out.members.remove, ids(&["u3", "u4"]));
    assert_eq!(out.group.display_name, "Sales");
}

#[test]
fn a_later_operation_wins_over_an_earlier_one() {
    let p = patch(json!([
        {"op": "add", "path": "members", "value": [{"value": "u1"}]},
        {"op": "remove", "path": "members[value eq \"u1\" or value eq \"u2\"]"},
    ]));
    let out = p.apply(&stored(None)).unwrap();
    assert!(out.members.add.is_empty());
    assert_eq!(out.members.remove, ids(&["u1", "u2"]));
}

#[test]
fn replace_and_remove_all_read_members_first() {
    let p = patch(json!([{"op": "replace", "path": "members", "value": [{"value": "u2"}, {"value": "u3"}]}]));
    assert!(p.needs_members());
    let out = p.apply(&stored(Some(&["u1", "u2"]))).unwrap();
    assert_eq!(out.members.add, ids(&["u3"]));
    assert_eq!(out.members.remove, ids(&["u1"]));
    let p = patch(json!([{"op": "remove", "path": "members"}]));
    let out = p.apply(&stored(Some(&["u1", "u2"]))).unwrap();
    assert_eq!(out.members.remove, ids(&["u1", "u2"]));
    let p = patch(json!([{"op": "add", "value": {"members": [{"value": "u9"}]}}]));
    assert!(p.needs_members());
    assert_eq!(p.apply(&stored(Some(&["u1"]))).unwrap().members.add, ids(&["u9"]));
}

#[test]
fn a_listed_removal_means_the_same_with_or_without_the_members() {
    // Entra's flag-off removal next to an operation that needs the
    // members: only the listed member leaves.
    let p = patch(json!([
        {"op": "Remove", "path": "members", "value": [{"value": "u1"}]},
        {"op": "add", "value": {"urn:ietf:params:scim:schemas:core:2.0:Group:members": [{"value": "u3"}]}},
    ]));
    assert!(p.needs_members());
    let out = p.apply(&stored(Some(&["u1", "u2"]))).unwrap();
    assert_eq!(out.members.remove, ids(&["u1"]));
    assert_eq!(out.members.add, ids(&["u3"]));
    let p = patch(json!([{"op": "remove", "path": "members[type eq \"User\" and value eq \"u2\"]"}]));
    assert_eq!(
        p.apply(&stored(Some(&["u1", "u2"]))).unwrap().members.remove,
        ids(&["u2"])
    );
}

#[test]
fn a_bad_member_list_is_refused_not_read_as_empty() {
    let p = patch(json!([
        {"op": "replace", "path": "members", "value": [{"value": "g1", "type": "Group"}]},
        {"op": "add", "path": "members", "value": [{"value": "u2"}]},
    ]));
    let err = p.apply(&stored(Some(&["u1"]))).unwrap_err();
    assert_eq!(err.status().as_u16(), 400);
}

#[test]
fn renames_are_refused_and_the_same_name_is_not_a_rename() {
    let p = patch(json!([{"op": "Replace", "path": "displayName", "value": "Support"}]));
    let err = p.apply(&stored(None)).unwrap_err();
    assert_eq!(err.scim_type(), Some(crate::error::ScimType::Mutability));
    let p = patch(json!([{"op": "replace", "path": "displayName", "value": "SALES"}]));
    assert!(p.apply(&stored(None)).is_ok());
    let p = patch(json!([{"op": "replace", "path": "externalId", "value": "e-1"}]));
    assert_eq!(
        p.apply(&stored(None)).unwrap().group.external_id.as_deref(),
        Some("e-1")
    );
}

#[test]
fn bodies_and_member_values_are_checked() {
    let input = GroupInput::from_scim(&json!({
        "schemas": [GROUP_URN, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "externalId": "e", "displayName": "Sales", "meta": {"resourceType": "Group"},
    }))
    .unwrap();
    assert_eq!(input.members, None);
    assert_eq!(input.group.external_id.as_deref(), Some("e"));
    for bad in [
        json!({}),
        json!({"displayName": " "}),
        json!({"displayName": 5}),
        json!({"displayName": "a", "members": "u1"}),
        json!({"displayName": "a", "members": [{"display": "x"}]}),
        json!({"displayName": "a", "members": [{"value": "g", "type": "Group"}]}),
    ] {
        assert_eq!(
            GroupInput::from_scim(&bad).unwrap_err().status().as_u16(),
            400,
            "{bad}"
        );
    }
}

#[test]
fn prints_members_with_references() {
    let json = stored(Some(&["u1"])).to_scim("https://h/scim/v2");
    assert_eq!(json["members"][0]["$ref"], "https://h/scim/v2/Users/u1");
    assert_eq!(json["meta"]["location"], "https://h/scim/v2/Groups/g1");
    assert!(stored(None).to_scim("x").get("members").is_none());
}
