//! The published documents: which attributes of each schema this service
//! stores, with descriptions that say what each means in Amazon Connect.

use super::attribute::{AttrType, Attribute, Mutability, Returned, Schema, Uniqueness};
use super::{CONNECT_URN, ENTERPRISE_URN, GROUP_URN, USER_URN};

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

const PROFICIENCY_SUB_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        required: true,
        ..Attribute::string(
            "attributeName",
            "A predefined attribute of the instance, e.g. Language.",
        )
    },
    Attribute {
        required: true,
        ..Attribute::string(
            "attributeValue",
            "One of the predefined attribute's values, e.g. Spanish.",
        )
    },
    Attribute {
        // Connect's type is a float, but its valid values are the whole
        // numbers 1 to 5 ("The valid values are 1, 2, 3, 4 and 5").
        kind: AttrType::Integer,
        required: true,
        ..Attribute::string("level", "Proficiency level: 1, 2, 3, 4 or 5.")
    },
];

const CHANNEL_SUB_ATTRIBUTES: &[Attribute] = &[
    Attribute {
        required: true,
        canonical_values: &["VOICE", "CHAT", "TASK", "EMAIL"],
        case_exact: true,
        ..Attribute::string("channel", "VOICE, CHAT, TASK or EMAIL.")
    },
    Attribute {
        kind: AttrType::Boolean,
        ..Attribute::string(
            "autoAccept",
            "Whether contacts on this channel are accepted automatically.",
        )
    },
    Attribute {
        kind: AttrType::Integer,
        ..Attribute::string(
            "afterContactWorkTimeLimit",
            "After-contact work time limit on this channel in seconds, 0 (no limit) to 2000000.",
        )
    },
    Attribute {
        canonical_values: &["SOFT_PHONE", "DESK_PHONE"],
        case_exact: true,
        ..Attribute::string("phoneType", "VOICE only: SOFT_PHONE or DESK_PHONE.")
    },
    Attribute::string("deskPhoneNumber", "VOICE only: desk phone number in E.164 form."),
];

/// The attributes of the core User schema this service stores.
pub static USER_SCHEMA: Schema = Schema {
    id: USER_URN,
    name: "User",
    description: "An Amazon Connect agent.",
    attributes: &[
        Attribute::unique_name(
            "userName",
            "Amazon Connect Username: up to 64 characters from [a-zA-Z0-9_-.@], '@' only in an email form. Connect cannot rename a user, so it is immutable.",
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
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            sub_attributes: PROFICIENCY_SUB_ATTRIBUTES,
            ..Attribute::string(
                "proficiencies",
                "Routing proficiencies: {attributeName, attributeValue, level}, at most 10; text like \"Language=Spanish:4; Skill=Billing:2\" is accepted too. The bridge changes only the proficiencies it granted; unset, PROFICIENCY_MAP decides by department.",
            )
        },
        Attribute {
            kind: AttrType::Complex,
            multi_valued: true,
            sub_attributes: CHANNEL_SUB_ATTRIBUTES,
            ..Attribute::string(
                "channelConfigs",
                "Per-channel settings, one entry per channel; text like \"CHAT:autoAccept=true,afterContactWorkTimeLimit=30\" is accepted too. A VOICE entry is another spelling of phoneType, deskPhoneNumber, autoAccept and afterContactWorkTimeLimit and wins over them; reads show VOICE through those attributes only.",
            )
        },
    ],
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
