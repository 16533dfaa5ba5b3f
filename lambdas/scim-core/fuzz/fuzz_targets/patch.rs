//! The PATCH engine: any JSON body either parses and applies or is refused
//! with a 400; whatever it produces, if it is a valid User, survives a
//! round trip through the SCIM representation unchanged.
//!
//! The User type carries a directory's own extension, declared here the way
//! a directory declares one: under the Amazon Connect URN (so the corpus,
//! seeded from Entra ID and Okta traffic, reaches it) with the shapes of
//! its multi-valued complex attributes. Its values are kept as sent; the
//! Connect adapter's own parser is tested in `connect-directory`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scim_core::patch::PatchRequest;
use scim_core::schema::{
    AttrType, Attribute, ENTERPRISE_SCHEMA, IGNORED_USER_ATTRIBUTES, ResourceSchema, Schema, USER_SCHEMA,
};
use scim_core::{ScimError, UserExtension, UserName};
use serde_json::{Map, Value};

static EXTENSION: Schema = Schema {
    id: "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User",
    name: "FuzzedExtension",
    description: "A directory's own extension, for fuzzing.",
    attributes: &[
        Attribute::string("routingProfile", "A string."),
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            sub_attributes: &[
                Attribute::string("attributeName", "A string."),
                Attribute::string("attributeValue", "A string."),
                Attribute {
                    kind: AttrType::Integer,
                    ..Attribute::string("level", "A number.")
                },
            ],
            ..Attribute::string("proficiencies", "Multi-valued complex.")
        },
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            sub_attributes: &[
                Attribute::string("channel", "A string."),
                Attribute {
                    kind: AttrType::Boolean,
                    ..Attribute::string("autoAccept", "A boolean.")
                },
            ],
            ..Attribute::string("channelConfigs", "Multi-valued complex.")
        },
    ],
};

static USERS: ResourceSchema = ResourceSchema {
    name: "User",
    endpoint: "/Users",
    core: &USER_SCHEMA,
    extensions: &[&ENTERPRISE_SCHEMA, &EXTENSION],
    ignored: IGNORED_USER_ATTRIBUTES,
};

/// The extension's attributes as sent (nulls left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Kept(Map<String, Value>);

impl UserExtension for Kept {
    const RESOURCE: &'static ResourceSchema = &USERS;
    const EXTENSION_SCHEMA: Option<&'static Schema> = Some(&EXTENSION);

    fn from_scim<'a>(lookup: &dyn Fn(&str) -> Option<&'a Value>) -> Result<Self, ScimError> {
        let mut kept = Map::new();
        for attribute in EXTENSION.attributes {
            if let Some(value) = lookup(attribute.name).filter(|v| !v.is_null()) {
                kept.insert(attribute.name.to_owned(), value.clone());
            }
        }
        Ok(Self(kept))
    }

    fn to_scim(&self) -> Map<String, Value> {
        self.0.clone()
    }
}

type User = scim_core::User<Kept>;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let request = match PatchRequest::parse(&body) {
        Ok(request) => request,
        Err(err) => {
            assert_eq!(err.status().as_u16(), 400, "{}", err.detail());
            return;
        }
    };
    let mut start: User = User::new(UserName::new("ada@example.com").unwrap());
    start.given_name = Some("Ada".into());
    start.family_name = Some("Lovelace".into());
    start.email = Some("ada@example.com".into());
    start.department = Some("Sales".into());
    start.active = Some(true);
    let mut document = start.to_scim_attributes();
    if let Err(err) = request.apply(&mut document, &USERS) {
        assert_eq!(err.status().as_u16(), 400, "{}", err.detail());
        return;
    }
    if let Ok(user) = User::from_scim(&Value::Object(document)) {
        let again = User::from_scim(&Value::Object(user.to_scim_attributes())).unwrap();
        assert_eq!(again, user);
    }
});
