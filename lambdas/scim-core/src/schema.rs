//! Schema definitions as data (RFC 7643 §7). The same tables drive
//! `/Schemas`, `/ResourceTypes`, request parsing and the PATCH engine, so
//! what is published is exactly what is understood.

use serde_json::{Map, Value, json};

/// Core User schema.
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The Amazon Connect agent extension: how an agent takes contacts.
pub const CONNECT_URN: &str = "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User";
/// Core Group schema.
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// Enterprise User extension.
pub const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// Error message.
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// List response message.
pub const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// PATCH request message.
pub const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// Schema resource.
pub const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
/// ResourceType resource.
pub const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
/// ServiceProviderConfig resource.
pub const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

/// An attribute's data type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    /// JSON string.
    String,
    /// JSON boolean.
    Boolean,
    /// JSON integer.
    Integer,
    /// JSON object of sub-attributes.
    Complex,
    /// xsd:dateTime string.
    DateTime,
    /// URI string.
    Reference,
}

/// When an attribute may change (RFC 7643 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    /// Set by the server only.
    ReadOnly,
    /// Set at creation and updated freely.
    ReadWrite,
    /// Set at creation, never changed after.
    Immutable,
    /// Written by clients, never read back (`password`).
    WriteOnly,
}

/// When an attribute is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// In every answer, whatever `attributes` asks.
    Always,
    /// Unless excluded.
    Default,
    /// Never (`password`).
    Never,
}

/// How unique a value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uniqueness {
    /// No constraint.
    None,
    /// Unique within this service provider.
    Server,
}

/// One attribute definition.
#[derive(Debug, Clone, Copy)]
pub struct Attribute {
    /// Name, compared case-insensitively.
    pub name: &'static str,
    /// Data type.
    pub kind: AttrType,
    /// Whether the value is a JSON array.
    pub multi_valued: bool,
    /// Published description.
    pub description: &'static str,
    /// Whether a resource must carry it.
    pub required: bool,
    /// Whether string comparison respects case.
    pub case_exact: bool,
    /// Mutability.
    pub mutability: Mutability,
    /// When returned.
    pub returned: Returned,
    /// Uniqueness.
    pub uniqueness: Uniqueness,
    /// Suggested values (e.g. `work`, `home`).
    pub canonical_values: &'static [&'static str],
    /// For references, what they point at.
    pub reference_types: &'static [&'static str],
    /// Sub-attributes of a complex attribute.
    pub sub_attributes: &'static [Attribute],
}

impl Attribute {
    /// A single-valued, optional, read-write, case-insensitive string.
    pub const fn string(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            kind: AttrType::String,
            multi_valued: false,
            description,
            required: false,
            case_exact: false,
            mutability: Mutability::ReadWrite,
            returned: Returned::Default,
            uniqueness: Uniqueness::None,
            canonical_values: &[],
            reference_types: &[],
            sub_attributes: &[],
        }
    }

    /// A sub-attribute by name, ignoring case.
    pub fn sub_attribute(&self, name: &str) -> Option<&'static Attribute> {
        self.sub_attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    fn to_json(self) -> Value {
        let mut out = json!({
            "name": self.name,
            "type": match self.kind {
                AttrType::String => "string",
                AttrType::Boolean => "boolean",
                AttrType::Integer => "integer",
                AttrType::Complex => "complex",
                AttrType::DateTime => "dateTime",
                AttrType::Reference => "reference",
            },
            "multiValued": self.multi_valued,
            "description": self.description,
            "required": self.required,
            "mutability": match self.mutability {
                Mutability::ReadOnly => "readOnly",
                Mutability::ReadWrite => "readWrite",
                Mutability::Immutable => "immutable",
                Mutability::WriteOnly => "writeOnly",
            },
            "returned": match self.returned {
                Returned::Always => "always",
                Returned::Default => "default",
                Returned::Never => "never",
            },
        });
        if matches!(
            self.kind,
            AttrType::String | AttrType::Reference | AttrType::DateTime
        ) {
            out["caseExact"] = self.case_exact.into();
            out["uniqueness"] = match self.uniqueness {
                Uniqueness::None => "none",
                Uniqueness::Server => "server",
            }
            .into();
        }
        if !self.canonical_values.is_empty() {
            out["canonicalValues"] = self.canonical_values.into();
        }
        if !self.reference_types.is_empty() {
            out["referenceTypes"] = self.reference_types.into();
        }
        if !self.sub_attributes.is_empty() {
            out["subAttributes"] = self.sub_attributes.iter().map(|a| a.to_json()).collect();
        }
        out
    }
}

/// A schema: an id and its attributes.
#[derive(Debug)]
pub struct Schema {
    /// The schema URN.
    pub id: &'static str,
    /// Short name.
    pub name: &'static str,
    /// Published description.
    pub description: &'static str,
    /// Attributes this service stores and returns.
    pub attributes: &'static [Attribute],
}

impl Schema {
    /// An attribute by name, ignoring case.
    pub fn attribute(&self, name: &str) -> Option<&'static Attribute> {
        self.attributes.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// The `/Schemas/{id}` representation.
    pub fn to_json(&self, base_url: &str) -> Value {
        self.to_json_with(base_url, &CanonicalValues::new())
    }

    /// The `/Schemas/{id}` representation, with `canonicalValues` the
    /// directory knows only at run time (e.g. the names of an instance's
    /// routing profiles), keyed by `{schema id}:{attribute}`.
    pub fn to_json_with(&self, base_url: &str, canonical: &CanonicalValues) -> Value {
        let attributes: Vec<Value> = self
            .attributes
            .iter()
            .map(|a| {
                let mut json = a.to_json();
                if let Some(values) = canonical.get(&format!("{}:{}", self.id, a.name))
                    && !values.is_empty()
                {
                    json["canonicalValues"] = values.clone().into();
                }
                json
            })
            .collect();
        json!({
            "schemas": [SCHEMA_URN],
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "attributes": attributes,
            "meta": {
                "resourceType": "Schema",
                "location": format!("{base_url}/Schemas/{}", self.id),
            },
        })
    }
}

const EMAIL_SUB_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        required: true,
        ..Attribute::string(
            "value",
            "Amazon Connect Email. Connect keeps one address: the primary one, else the first.",
        )
    },
    Attribute {
        canonical_values: &["work"],
        ..Attribute::string("type", "Always \"work\": Connect keeps a single work address.")
    },
];

const NAME_SUB_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        required: true,
        ..Attribute::string(
            "givenName",
            "Amazon Connect FirstName (required by Connect; when a client omits it, it is derived from displayName or userName).",
        )
    },
    Attribute {
        required: true,
        ..Attribute::string(
            "familyName",
            "Amazon Connect LastName (required by Connect; when a client omits it, it is derived from displayName or userName).",
        )
    },
];

/// The attributes of the core User schema this service stores.
pub static USER_SCHEMA: Schema = Schema {
    id: USER_URN,
    name: "User",
    description: "An Amazon Connect agent.",
    attributes: &[
        Attribute {
            required: true,
            mutability: Mutability::Immutable,
            uniqueness: Uniqueness::Server,
            ..Attribute::string(
                "userName",
                "Amazon Connect Username: up to 64 characters from [a-zA-Z0-9_-.@], '@' only in an email form. Connect cannot rename a user, so it is immutable.",
            )
        },
        Attribute {
            kind: AttrType::Complex,
            required: true,
            sub_attributes: NAME_SUB_ATTRIBUTES,
            ..Attribute::string(
                "name",
                "The agent's name (Amazon Connect FirstName and LastName).",
            )
        },
        Attribute::string("displayName", "Display name, kept in a Connect user tag."),
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            sub_attributes: EMAIL_SUB_ATTRIBUTES,
            ..Attribute::string("emails", "Amazon Connect Email.")
        },
        Attribute {
            case_exact: true,
            mutability: Mutability::WriteOnly,
            returned: Returned::Never,
            ..Attribute::string(
                "password",
                "Used only to create a user on a CONNECT_MANAGED instance, which needs one; never returned, never logged, ignored elsewhere.",
            )
        },
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            mutability: Mutability::ReadOnly,
            sub_attributes: GROUP_REF_SUB_ATTRIBUTES,
            ..Attribute::string(
                "groups",
                "The groups (security profiles) the agent holds; change them through /Groups.",
            )
        },
        Attribute {
            kind: AttrType::Boolean,
            ..Attribute::string(
                "active",
                "false deprovisions the agent: DEPROVISION_MODE=delete removes the Connect user, disable keeps it with a permission-less security profile until active is true again.",
            )
        },
    ],
};

const GROUP_REF_SUB_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        case_exact: true,
        mutability: Mutability::ReadOnly,
        ..Attribute::string("value", "The group's id (an Amazon Connect security profile id).")
    },
    Attribute {
        kind: AttrType::Reference,
        case_exact: true,
        mutability: Mutability::ReadOnly,
        reference_types: &["Group"],
        ..Attribute::string("$ref", "The group's URI.")
    },
    Attribute {
        mutability: Mutability::ReadOnly,
        ..Attribute::string(
            "display",
            "The group's displayName (the security profile's name).",
        )
    },
];

const MEMBER_SUB_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        case_exact: true,
        mutability: Mutability::Immutable,
        ..Attribute::string("value", "The member's id: a User id (an Amazon Connect UserId).")
    },
    Attribute {
        kind: AttrType::Reference,
        case_exact: true,
        mutability: Mutability::Immutable,
        reference_types: &["User"],
        ..Attribute::string("$ref", "The member's URI.")
    },
    Attribute {
        mutability: Mutability::Immutable,
        canonical_values: &["User"],
        ..Attribute::string("type", "Always \"User\": Amazon Connect has no nested groups.")
    },
];

/// The attributes of the core Group schema this service stores.
pub static GROUP_SCHEMA: Schema = Schema {
    id: GROUP_URN,
    name: "Group",
    description: "An Amazon Connect security profile; its members are the agents who hold it.",
    attributes: &[
        Attribute {
            required: true,
            mutability: Mutability::Immutable,
            uniqueness: Uniqueness::Server,
            ..Attribute::string(
                "displayName",
                "The security profile's name, unique regardless of case. Amazon Connect cannot rename a security profile, so it is immutable.",
            )
        },
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            sub_attributes: MEMBER_SUB_ATTRIBUTES,
            ..Attribute::string(
                "members",
                "The agents who hold the security profile. Adding a user grants it; removing one takes it away unless the user's department also grants it.",
            )
        },
    ],
};

/// The attributes of the enterprise extension this service stores.
pub static ENTERPRISE_SCHEMA: Schema = Schema {
    id: ENTERPRISE_URN,
    name: "EnterpriseUser",
    description: "Enterprise User extension.",
    attributes: &[Attribute::string(
        "department",
        "Chooses the agent's Amazon Connect security profile (same name, else the default profile); the string itself is kept in a Connect user tag.",
    )],
};

/// The Amazon Connect agent extension. Every attribute is optional: one a
/// client never sets is left as Connect has it (the department mapping and
/// defaults decide the profiles). Names are checked against the instance;
/// `/Schemas` lists the valid ones as `canonicalValues`.
pub static CONNECT_SCHEMA: Schema = Schema {
    id: CONNECT_URN,
    name: "AmazonConnectUser",
    description: "How the agent takes contacts in Amazon Connect.",
    attributes: &[
        Attribute::string(
            "routingProfile",
            "Routing profile, by name. Set, it wins over DEPARTMENT_MAP and DEFAULT_ROUTING_PROFILE; removed, they decide again.",
        ),
        Attribute {
            multi_valued: true,
            ..Attribute::string(
                "securityProfiles",
                "Security profiles, by name (1 to 10). Set, they replace the department's; the agent also holds its groups' profiles (see groups).",
            )
        },
        Attribute::string(
            "hierarchyGroup",
            "Agent hierarchy group, by name (when unique) or path (\"Support/Tier 1\"); read back as the path.",
        ),
        Attribute {
            canonical_values: &["SOFT_PHONE", "DESK_PHONE"],
            case_exact: true,
            ..Attribute::string(
                "phoneType",
                "SOFT_PHONE or DESK_PHONE (a desk phone needs deskPhoneNumber).",
            )
        },
        Attribute::string(
            "deskPhoneNumber",
            "Desk phone number in E.164 form, e.g. +12065550100.",
        ),
        Attribute {
            kind: AttrType::Boolean,
            ..Attribute::string(
                "autoAccept",
                "Whether incoming contacts are accepted automatically.",
            )
        },
        Attribute {
            kind: AttrType::Integer,
            ..Attribute::string(
                "afterContactWorkTimeLimit",
                "After-contact work time limit in seconds, 0 (no limit) to 2000000.",
            )
        },
    ],
};

/// Run-time `canonicalValues`, keyed by `{schema id}:{attribute}`.
pub type CanonicalValues = std::collections::BTreeMap<String, Vec<String>>;

/// Common attributes every resource has (RFC 7643 §3.1), outside any schema.
pub static COMMON_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        case_exact: true,
        mutability: Mutability::ReadOnly,
        returned: Returned::Always,
        uniqueness: Uniqueness::Server,
        ..Attribute::string(
            "id",
            "The Amazon Connect id: a UserId for users, a SecurityProfileId for groups.",
        )
    },
    Attribute {
        case_exact: true,
        ..Attribute::string("externalId", "The client's identifier, kept in a Connect tag.")
    },
    Attribute {
        kind: AttrType::Complex,
        mutability: Mutability::ReadOnly,
        ..Attribute::string("meta", "Resource metadata.")
    },
];

/// RFC 7643 User attributes that IdPs send by default but Amazon Connect has
/// no place for. They are accepted and ignored (never published), so a
/// default Entra ID or Okta attribute mapping works the first time.
pub static IGNORED_USER_ATTRIBUTES: &[&str] = &[
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "phoneNumbers",
    "ims",
    "photos",
    "addresses",
    "entitlements",
    "roles",
    "x509Certificates",
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "manager",
    "formatted",
    "display",
    "primary",
    "middleName",
    "honorificPrefix",
    "honorificSuffix",
];

/// A resource type's schemas, as the parser and PATCH engine see them.
#[derive(Debug)]
pub struct ResourceSchema {
    /// Name, e.g. `User`.
    pub name: &'static str,
    /// Endpoint relative to the base URL, e.g. `/Users`.
    pub endpoint: &'static str,
    /// Core schema (attributes at the top level).
    pub core: &'static Schema,
    /// Extensions (attributes under their URN).
    pub extensions: &'static [&'static Schema],
    /// Attribute names accepted and dropped.
    pub ignored: &'static [&'static str],
}

impl ResourceSchema {
    /// Whether `name` is accepted but not stored.
    pub fn is_ignored(&self, name: &str) -> bool {
        self.ignored.iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// The extension with this URN, ignoring case.
    pub fn extension(&self, urn: &str) -> Option<&'static Schema> {
        self.extensions
            .iter()
            .copied()
            .find(|s| s.id.eq_ignore_ascii_case(urn))
    }

    /// A top-level attribute: common ones first, then the core schema's.
    pub fn core_attribute(&self, name: &str) -> Option<&'static Attribute> {
        COMMON_ATTRIBUTES
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .or_else(|| self.core.attribute(name))
    }

    /// The `/ResourceTypes/{name}` representation.
    pub fn to_json(&self, base_url: &str) -> Value {
        json!({
            "schemas": [RESOURCE_TYPE_URN],
            "id": self.name,
            "name": self.name,
            "endpoint": self.endpoint,
            "description": self.core.description,
            "schema": self.core.id,
            "schemaExtensions": self.extensions.iter().map(|s| json!({"schema": s.id, "required": false})).collect::<Vec<_>>(),
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{base_url}/ResourceTypes/{}", self.name),
            },
        })
    }
}

/// The User resource type.
pub static USER_RESOURCE: ResourceSchema = ResourceSchema {
    name: "User",
    endpoint: "/Users",
    core: &USER_SCHEMA,
    extensions: &[&ENTERPRISE_SCHEMA, &CONNECT_SCHEMA],
    ignored: IGNORED_USER_ATTRIBUTES,
};

/// The Group resource type.
pub static GROUP_RESOURCE: ResourceSchema = ResourceSchema {
    name: "Group",
    endpoint: "/Groups",
    core: &GROUP_SCHEMA,
    extensions: &[],
    ignored: &[],
};

/// Every resource type served.
pub static RESOURCE_TYPES: &[&ResourceSchema] = &[&USER_RESOURCE, &GROUP_RESOURCE];

/// Every schema published.
pub fn schemas() -> impl Iterator<Item = &'static Schema> {
    RESOURCE_TYPES
        .iter()
        .flat_map(|r| std::iter::once(r.core).chain(r.extensions.iter().copied()))
}

/// List paging limits, published in `/ServiceProviderConfig`.
pub const MAX_RESULTS: usize = 100;

/// The `/ServiceProviderConfig` representation: only what is really supported.
pub fn service_provider_config(base_url: &str) -> Value {
    json!({
        "schemas": [SPC_URN],
        "documentationUri": "https://github.com/aws-samples/amazon-connect-scim-user-management",
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "Authentication with the bearer token kept in AWS Secrets Manager.",
            "primary": true,
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base_url}/ServiceProviderConfig"),
        },
    })
}

/// An object's member by name, ignoring case (SCIM names are case-insensitive).
pub fn member<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_attributes_carry_every_characteristic() {
        for schema in schemas() {
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
}
