//! The vocabulary of a schema (RFC 7643 §7): attribute characteristics,
//! the builders the tables are written with, and how an attribute or schema
//! is published.

use serde_json::{Value, json};

use super::{CanonicalValues, SCHEMA_URN};

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

    /// The name a resource is known by (a user's `userName`, a group's
    /// `displayName`): required, unique, and immutable because Amazon
    /// Connect cannot rename users or security profiles.
    pub(super) const fn unique_name(name: &'static str, description: &'static str) -> Self {
        Self {
            required: true,
            mutability: Mutability::Immutable,
            uniqueness: Uniqueness::Server,
            ..Self::string(name, description)
        }
    }

    /// The sub-attributes of a reference to a `target` resource (a user's
    /// `groups`, a group's `members`): `value`, the id (so case-exact);
    /// `$ref`, the URI; and `third` (a group's `display`, a member's
    /// `type`). All three share one mutability.
    pub(super) const fn reference(
        target: &'static [&'static str],
        value: &'static str,
        uri: &'static str,
        third: Attribute,
        mutability: Mutability,
    ) -> [Attribute; 3] {
        [
            Self {
                case_exact: true,
                mutability,
                ..Self::string("value", value)
            },
            Self {
                kind: AttrType::Reference,
                case_exact: true,
                mutability,
                reference_types: target,
                ..Self::string("$ref", uri)
            },
            Self { mutability, ..third },
        ]
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
    /// routing profiles), keyed by `{schema id}:{attribute}` or, for a
    /// sub-attribute, `{schema id}:{attribute}.{sub-attribute}`.
    pub fn to_json_with(&self, base_url: &str, canonical: &CanonicalValues) -> Value {
        let with_values = |json: &mut Value, key: String| {
            if let Some(values) = canonical.get(&key)
                && !values.is_empty()
            {
                json["canonicalValues"] = values.clone().into();
            }
        };
        let attributes: Vec<Value> = self
            .attributes
            .iter()
            .map(|a| {
                let mut json = a.to_json();
                with_values(&mut json, format!("{}:{}", self.id, a.name));
                if let Some(Value::Array(subs)) = json.get_mut("subAttributes") {
                    for (sub, attribute) in subs.iter_mut().zip(a.sub_attributes) {
                        with_values(sub, format!("{}:{}.{}", self.id, a.name, attribute.name));
                    }
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
