//! What every resource carries beside its attributes (RFC 7643 §3.1): where
//! it lives, its `meta` block and a weak entity tag.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::schema::ResourceSchema;

/// `{base}/Users/{id}` or `{base}/Groups/{id}`: `meta.location`, a `$ref`,
/// and the `Location` header of a 201.
pub(crate) fn location(base_url: &str, resource: &ResourceSchema, id: &str) -> String {
    format!("{base_url}{}/{id}", resource.endpoint)
}

/// A weak entity tag (RFC 7644 §3.14) over what a client can see, so it
/// changes whenever that does. FNV-1a: stable across processes and
/// releases, unlike std's hasher, so a tag survives a Lambda cold start.
pub(crate) fn weak_etag(seen: &Value) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seen.to_string().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("W/\"{hash:016x}\"")
}

/// The `meta` block. The timestamps (created, last modified) appear only
/// where the directory knows them; `created` falls back to `lastModified`.
pub(crate) fn meta(
    resource: &ResourceSchema,
    location: String,
    version: String,
    (created, last_modified): (Option<OffsetDateTime>, Option<OffsetDateTime>),
) -> Value {
    let timestamp = |t: Option<OffsetDateTime>| t.and_then(|t| t.format(&Rfc3339).ok());
    let mut meta = Map::new();
    meta.insert("resourceType".into(), resource.name.into());
    if let Some(t) = timestamp(created.or(last_modified)) {
        meta.insert("created".into(), t.into());
    }
    if let Some(t) = timestamp(last_modified) {
        meta.insert("lastModified".into(), t.into());
    }
    meta.insert("location".into(), location.into());
    meta.insert("version".into(), version.into());
    Value::Object(meta)
}
