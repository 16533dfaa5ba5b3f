//! Tests of the published schema documents and the lookups.

use super::*;

#[test]
fn published_attributes_carry_every_characteristic() {
    for schema in schemas(&USER_RESOURCE) {
        let json = schema.to_json("http://x/scim/v2");
        for attr in json["attributes"].as_array().unwrap() {
            for key in [
                "name",
                "type",
                "multiValued",
                "description",
                "required",
                "mutability",
                "returned",
            ] {
                assert!(attr.get(key).is_some(), "{} lacks {key}", attr["name"]);
            }
            if attr["type"] == "string" {
                assert!(attr.get("caseExact").is_some() && attr.get("uniqueness").is_some());
            }
        }
    }
}

#[test]
fn lookups_ignore_case() {
    assert!(USER_RESOURCE.core_attribute("USERNAME").is_some());
    assert!(USER_RESOURCE.core_attribute("externalid").is_some());
    assert!(USER_RESOURCE.extension(&ENTERPRISE_URN.to_uppercase()).is_some());
    let name = USER_SCHEMA.attribute("name").unwrap();
    assert_eq!(name.sub_attribute("GIVENNAME").unwrap().name, "givenName");
    assert!(USER_RESOURCE.is_ignored("Title"));
}
