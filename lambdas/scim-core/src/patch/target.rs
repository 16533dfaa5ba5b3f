//! Where a PATCH path points: resolved against the resource's schema
//! tables, so an unknown name is `invalidPath` and an attribute the service
//! accepts but does not store is quietly dropped.

use scim_v2::filter::{PatchPath, ValFilter};

use crate::error::ScimError;
use crate::schema::{AttrType, Attribute, ResourceSchema, Schema};

/// Where a path points.
#[derive(Debug, Clone, Copy)]
pub(super) enum Container {
    /// Top-level attributes: the common ones and the core schema's.
    Core,
    /// The object under an extension's URN.
    Extension(&'static Schema),
}

/// An attribute a path names: `attr`, `attr.sub`, `attr[filter]` or
/// `attr[filter].sub`.
#[derive(Debug)]
pub(super) struct Target {
    pub container: Container,
    pub attr: &'static Attribute,
    pub sub: Option<&'static Attribute>,
    pub filter: Option<ValFilter>,
}

/// The result of resolving a path against the schema.
#[derive(Debug)]
pub(super) enum Resolved {
    /// An attribute this service stores.
    Target(Target),
    /// The whole extension object (path is just the extension URN).
    Extension(&'static Schema),
    /// An attribute we accept and drop.
    Ignored,
}

pub(super) fn resolve(schema: &ResourceSchema, path: &PatchPath, raw: &str) -> Result<Resolved, ScimError> {
    if let Some(ext) = schema.extension(raw) {
        return Ok(Resolved::Extension(ext));
    }
    let (attr_path, filter, sub_after) = match path {
        PatchPath::Attr(a) => (a, None, None),
        PatchPath::Value(v) => (&v.attr, Some(v.filter.clone()), v.sub_attr.as_deref()),
    };
    let unknown = || {
        ScimError::invalid_path(format!(
            "The path {raw:?} names no attribute of the {} resource (see /Schemas)",
            schema.name
        ))
    };
    let (container, attr) = match attr_path.uri.as_deref() {
        None => (Container::Core, schema.core_attribute(&attr_path.name)),
        Some(uri) if uri.eq_ignore_ascii_case(schema.core.id) => {
            (Container::Core, schema.core_attribute(&attr_path.name))
        }
        Some(uri) => match schema.extension(uri) {
            Some(ext) => (Container::Extension(ext), ext.attribute(&attr_path.name)),
            None => return Err(unknown()),
        },
    };
    let Some(attr) = attr else {
        return if schema.is_ignored(&attr_path.name) {
            Ok(Resolved::Ignored)
        } else {
            Err(unknown())
        };
    };
    if filter.is_some() && !(attr.multi_valued && attr.kind == AttrType::Complex) {
        return Err(ScimError::invalid_path(format!(
            "{raw:?}: only multi-valued complex attributes take a value filter"
        )));
    }
    let sub_name = attr_path.sub_attr.as_deref().or(sub_after);
    let sub = match sub_name {
        None => None,
        Some(name) => match attr.sub_attribute(name) {
            Some(sub) => Some(sub),
            None if schema.is_ignored(name) => return Ok(Resolved::Ignored),
            None => return Err(unknown()),
        },
    };
    Ok(Resolved::Target(Target {
        container,
        attr,
        sub,
        filter,
    }))
}
