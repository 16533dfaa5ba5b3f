//! The published documents: which attributes of each schema this service
//! stores, with descriptions that say what each means in Amazon Connect.

use super::attribute::{AttrType, Attribute, Mutability, Returned, Schema, Uniqueness};
use super::{ENTERPRISE_URN, GROUP_URN, USER_URN};

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
        Attribute::unique_name(
            "userName",
            "The user's name in the directory (for Amazon Connect, its Username; the instance's rules for it are checked before anything changes). Immutable: Connect cannot rename a user.",
        ),
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

const GROUP_REF_SUB_ATTRIBUTES: &[Attribute] = &Attribute::reference(
    &["Group"],
    "The group's id (an Amazon Connect security profile id).",
    "The group's URI.",
    Attribute::string(
        "display",
        "The group's displayName (the security profile's name).",
    ),
    Mutability::ReadOnly,
);

const MEMBER_SUB_ATTRIBUTES: &[Attribute] = &Attribute::reference(
    &["User"],
    "The member's id: a User id (an Amazon Connect UserId).",
    "The member's URI.",
    Attribute {
        canonical_values: &["User"],
        ..Attribute::string("type", "Always \"User\": Amazon Connect has no nested groups.")
    },
    Mutability::Immutable,
);

/// The attributes of the core Group schema this service stores.
pub static GROUP_SCHEMA: Schema = Schema {
    id: GROUP_URN,
    name: "Group",
    description: "An Amazon Connect security profile; its members are the agents who hold it.",
    attributes: &[
        Attribute::unique_name(
            "displayName",
            "The security profile's name, unique regardless of case. Amazon Connect cannot rename a security profile, so it is immutable.",
        ),
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
