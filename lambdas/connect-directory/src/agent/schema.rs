//! The Amazon Connect extension's schema, published in `/Schemas` and used
//! by the core's parser, projection and PATCH engine through
//! [`CONNECT_USER_RESOURCE`].

use scim_core::schema::{
    AttrType, Attribute, ENTERPRISE_SCHEMA, IGNORED_USER_ATTRIBUTES, ResourceSchema, Schema, USER_RESOURCE,
    USER_SCHEMA,
};

/// The Amazon Connect agent extension: how an agent takes contacts.
pub const CONNECT_URN: &str = "urn:ietf:params:scim:schemas:extension:amazonconnect:2.0:User";

/// The User resource type this adapter serves: the core's, with the
/// Amazon Connect extension after the enterprise one.
pub static CONNECT_USER_RESOURCE: ResourceSchema = ResourceSchema {
    name: USER_RESOURCE.name,
    endpoint: USER_RESOURCE.endpoint,
    core: &USER_SCHEMA,
    extensions: &[&ENTERPRISE_SCHEMA, &CONNECT_SCHEMA],
    ignored: IGNORED_USER_ATTRIBUTES,
};

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
