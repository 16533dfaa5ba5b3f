//! Routing proficiencies: which ones an agent should hold (the client's
//! `proficiencies`, else `PROFICIENCY_MAP` by department), checked against
//! the instance's predefined attributes, and the calls that get it there.
//!
//! The bridge owns only what it granted. What it granted is recorded in the
//! user's `scim:proficiencies` tags (DescribeUser and SearchUsers return
//! tags but not proficiencies, so every read and list shows them at no extra
//! call); a change associates, updates or disassociates only the difference
//! between that record and the wanted list, so proficiencies an admin gave
//! in the Connect console are never touched.

use std::collections::BTreeMap;

use aws_sdk_connect::types::{UserProficiency, UserProficiencyDisassociate};
use scim_core::{DirectoryError, DirectoryResult};

use crate::mapping::{TAG_PREFIX, is_list_key};
use crate::{ConnectDirectory, Pages, Proficiency, StoredUser, User};

/// The record of what the bridge granted, split over `scim:proficiencies`,
/// `scim:proficiencies.2`, … when longer than a tag value holds.
pub(crate) const TAG_PROFICIENCIES: &str = "scim:proficiencies";
/// Present (`true`) when the record came from `PROFICIENCY_MAP`, not from
/// the client's `proficiencies` (only the client's own choice reads back).
pub(crate) const TAG_PROFICIENCIES_FROM_MAP: &str = "scim:proficienciesFromMap";

/// Administrator Guide, "Assign proficiencies to agents": an agent can have
/// at most 10 proficiencies.
pub(crate) const MAX_PROFICIENCIES: usize = 10;

/// UserProficiency.Level: "The valid values are 1, 2, 3, 4 and 5."
pub(crate) const LEVELS: std::ops::RangeInclusive<f64> = 1.0..=5.0;

/// A tag value's limit (TagValue: max 256).
const CHUNK: usize = 256;

fn path() -> String {
    crate::agent::path("proficiencies")
}

/// Connect's rules that need no lookup: at most ten, whole levels 1 to 5.
/// `source` names where the list came from, for the message.
pub(crate) fn check(list: &[Proficiency], source: &str) -> DirectoryResult<()> {
    if list.len() > MAX_PROFICIENCIES {
        return Err(DirectoryError::InvalidValue(format!(
            "{source} names {} proficiencies; an Amazon Connect agent has at most {MAX_PROFICIENCIES}",
            list.len()
        )));
    }
    if let Some(p) = list
        .iter()
        .find(|p| !LEVELS.contains(&p.level) || p.level.fract() != 0.0)
    {
        return Err(DirectoryError::InvalidValue(format!(
            "{source}: level {} of {}={} is not valid; Amazon Connect levels are 1, 2, 3, 4 and 5",
            p.level, p.attribute_name, p.attribute_value
        )));
    }
    Ok(())
}

/// What the bridge granted, as recorded in `tags`, and whether it came from
/// `PROFICIENCY_MAP`. `None`: nothing recorded.
pub(crate) fn granted(tags: &BTreeMap<String, String>) -> Option<(Vec<Proficiency>, bool)> {
    let chunks: Vec<&String> = tags
        .iter()
        .filter(|(k, _)| is_list_key(k, TAG_PROFICIENCIES))
        .map(|(k, v)| (chunk_number(k), v))
        .collect::<BTreeMap<_, _>>()
        .into_values()
        .collect();
    // The first chunks that read as a whole record are it: a chunk a
    // shrinking record left behind (its UntagResource failed) is ignored.
    // A record we cannot read at all (edited by hand) counts as nothing
    // granted: the next change then only adds, never takes away what it
    // cannot name.
    let mut text = String::new();
    let rows: Vec<(String, String, f64)> = chunks.iter().find_map(|chunk| {
        text.push_str(chunk);
        serde_json::from_str(&text).ok()
    })?;
    let list = rows
        .into_iter()
        .map(|(name, value, level)| Proficiency {
            attribute_name: name,
            attribute_value: value,
            level,
        })
        .collect();
    let from_map = tags.get(TAG_PROFICIENCIES_FROM_MAP).is_some_and(|v| v == "true");
    Some((list, from_map))
}

fn chunk_number(key: &str) -> u32 {
    key.rsplit_once('.')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(1)
}

/// `tags` recording `list` as granted (`None`: no record).
pub(crate) fn with_granted(
    tags: &BTreeMap<String, String>,
    list: Option<&[Proficiency]>,
    from_map: bool,
) -> BTreeMap<String, String> {
    let mut tags: BTreeMap<String, String> = tags
        .iter()
        .filter(|(k, _)| !is_list_key(k, TAG_PROFICIENCIES) && k.as_str() != TAG_PROFICIENCIES_FROM_MAP)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let Some(list) = list else {
        return tags;
    };
    let rows: Vec<(&str, &str, f64)> = list
        .iter()
        .map(|p| (p.attribute_name.as_str(), p.attribute_value.as_str(), p.level))
        .collect();
    let text = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_owned());
    let chars: Vec<char> = text.chars().collect();
    for (i, chunk) in chars.chunks(CHUNK).enumerate() {
        let key = match i {
            0 => TAG_PROFICIENCIES.to_owned(),
            n => format!("{TAG_PROFICIENCIES}.{}", n + 1),
        };
        tags.insert(key, chunk.iter().collect());
    }
    if from_map {
        tags.insert(TAG_PROFICIENCIES_FROM_MAP.to_owned(), "true".to_owned());
    }
    debug_assert!(tags.keys().all(|k| k.starts_with(TAG_PREFIX)));
    tags
}

/// Whether two lists hold the same attribute values at the same levels
/// (names compared without case, order ignored).
pub(crate) fn same(a: &[Proficiency], b: &[Proficiency]) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|p| b.iter().any(|q| p.same_key(q) && p.level == q.level))
}

/// The calls that turn what the bridge `granted` into `wanted`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ProficiencyWrites {
    /// New attribute values: AssociateUserProficiencies.
    pub associate: Vec<Proficiency>,
    /// Held values at a new level: UpdateUserProficiencies.
    pub update: Vec<Proficiency>,
    /// Values granted before and no longer wanted:
    /// DisassociateUserProficiencies.
    pub disassociate: Vec<Proficiency>,
}

impl ProficiencyWrites {
    /// The difference between `granted` and `wanted` (pure).
    pub(crate) fn between(granted: &[Proficiency], wanted: &[Proficiency]) -> Self {
        let held = |p: &Proficiency| granted.iter().find(|g| g.same_key(p));
        Self {
            associate: wanted.iter().filter(|p| held(p).is_none()).cloned().collect(),
            update: wanted
                .iter()
                .filter(|p| held(p).is_some_and(|g| g.level != p.level))
                .cloned()
                .collect(),
            disassociate: granted
                .iter()
                .filter(|g| !wanted.iter().any(|p| p.same_key(g)))
                .cloned()
                .collect(),
        }
    }
}

/// The instance's predefined attributes and their values, as Connect spells
/// them.
#[derive(Debug, Default)]
pub(crate) struct Catalogue {
    attributes: Vec<(String, Vec<String>)>,
}

impl Catalogue {
    /// `p` in the instance's spelling, or what is wrong with it.
    fn resolve(&self, p: &Proficiency) -> Result<Proficiency, String> {
        let Some((name, values)) = self
            .attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(&p.attribute_name))
        else {
            let mut names: Vec<&str> = self.attributes.iter().map(|(n, _)| n.as_str()).collect();
            names.sort_unstable();
            return Err(format!(
                "attribute {:?} is not a predefined attribute of the Amazon Connect instance; it has: {}",
                p.attribute_name,
                listed(
                    &names,
                    "none (create one in Connect: Routing, Predefined attributes)"
                )
            ));
        };
        let Some(value) = values.iter().find(|v| v.eq_ignore_ascii_case(&p.attribute_value)) else {
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            return Err(format!(
                "{name} has no value {:?} in the Amazon Connect instance; its values: {}",
                p.attribute_value,
                listed(&values, "none")
            ));
        };
        Ok(Proficiency {
            attribute_name: name.clone(),
            attribute_value: value.clone(),
            level: p.level,
        })
    }
}

fn listed(items: &[&str], none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join(", ")
    }
}

/// What an update or create should leave granted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Wanted {
    /// In the instance's spelling.
    pub list: Vec<Proficiency>,
    /// Whether `PROFICIENCY_MAP` chose them (else the client did).
    pub from_map: bool,
    /// Whether a record is kept: the client chose (even none), or the map
    /// grants something. `false`: nothing granted, nothing recorded.
    pub recorded: bool,
}

/// The record `user` asks for before it is checked against the instance:
/// its own `proficiencies`, else its department's `PROFICIENCY_MAP` grant,
/// else none; with whether the map chose it.
pub(crate) fn asked<'a>(
    user: &'a User,
    map: &'a BTreeMap<String, Vec<Proficiency>>,
) -> Option<(&'a [Proficiency], bool)> {
    if let Some(list) = &user.extension.proficiencies {
        return Some((list, false));
    }
    user.department
        .as_deref()
        .and_then(|d| map.get(&d.to_lowercase()))
        .filter(|list| !list.is_empty())
        .map(|list| (list.as_slice(), true))
}

/// Which call sets levels: associating values the agent does not hold yet,
/// or updating the levels of those it holds.
#[derive(Debug, Clone, Copy)]
enum LevelWrite {
    Associate,
    Update,
}

/// Sends one of the three proficiency writes. They are distinct SDK
/// operations whose fluent builders share no trait but take the same inputs
/// (instance, user, list), so their shape is written once here. The
/// operation's name comes first and is a literal, so `attempts.rs`'s test
/// finds it at the call site, as it finds the name at every other call.
macro_rules! send_proficiencies {
    ($operation:literal, $bridge:expr, $builder:ident, $user_id:expr, $items:expr) => {
        $bridge
            .call(
                $operation,
                $bridge
                    .client
                    .$builder()
                    .instance_id(&$bridge.settings.instance_id)
                    .user_id($user_id)
                    .set_user_proficiencies(Some($items))
                    .send(),
            )
            .await
            .map(drop)
    };
}

impl ConnectDirectory {
    /// The predefined attributes, cached like the profile names (one
    /// SearchPredefinedAttributes call per 100 attributes, values included).
    async fn catalogue(&self, refresh: bool) -> DirectoryResult<std::sync::Arc<Catalogue>> {
        self.predefined_attributes
            .get(refresh, || async {
                let request = self
                    .client
                    .search_predefined_attributes()
                    .instance_id(&self.settings.instance_id);
                let mut pages = Pages::new(request.max_results(100).into_paginator().send(), |p| {
                    p.next_token()
                });
                let mut attributes = Vec::new();
                while let Some(page) = self.next_page("SearchPredefinedAttributes", &mut pages).await? {
                    attributes.extend(page.predefined_attributes().iter().filter_map(|a| {
                        let values = match a.values() {
                            Some(aws_sdk_connect::types::PredefinedAttributeValues::StringList(v)) => {
                                v.clone()
                            }
                            _ => Vec::new(),
                        };
                        Some((a.name()?.to_owned(), values))
                    }));
                }
                Ok(Catalogue { attributes })
            })
            .await
    }

    /// The instance's predefined attribute names, sorted, for `/Schemas`;
    /// none when they cannot be read (discovery must not fail on them).
    pub(crate) async fn predefined_attribute_names(&self) -> Vec<String> {
        let Ok(catalogue) = self.catalogue(false).await else {
            return Vec::new();
        };
        let mut names: Vec<String> = catalogue.attributes.iter().map(|(n, _)| n.clone()).collect();
        names.sort_unstable();
        names
    }

    /// Forgets the cached predefined attributes.
    pub(crate) async fn forget_predefined_attributes(&self) {
        self.predefined_attributes.invalidate().await;
    }

    /// `list` in the instance's spelling; an unknown attribute or value is
    /// an invalid value listing what the instance has (looked up again once,
    /// as the instance may have changed since the cache was filled).
    async fn resolved(&self, list: &[Proficiency], source: &str) -> DirectoryResult<Vec<Proficiency>> {
        check(list, source)?;
        let mut last = String::new();
        for refresh in [false, true] {
            let catalogue = self.catalogue(refresh).await?;
            match list.iter().map(|p| catalogue.resolve(p)).collect() {
                Ok(list) => return Ok(list),
                Err(message) => last = message,
            }
        }
        Err(DirectoryError::InvalidValue(format!("{source}: {last}")))
    }

    /// What `desired` should leave granted, when that differs from what the
    /// bridge granted `current` (`None`: no change, and no lookup made).
    pub(crate) async fn wanted_proficiencies(
        &self,
        current: Option<&StoredUser>,
        desired: &User,
    ) -> DirectoryResult<Option<Wanted>> {
        let wanted = asked(desired, &self.settings.proficiency_map);
        let granted = current.and_then(|c| granted(&c.handle.tags));
        let unchanged = match (&granted, wanted) {
            (None, None) => true,
            (Some((list, was_map)), Some((asked, from_map))) => same(list, asked) && *was_map == from_map,
            _ => false,
        };
        if unchanged {
            return Ok(None);
        }
        let (asked, from_map) = wanted.unwrap_or_default();
        let source = match from_map {
            true => format!(
                "PROFICIENCY_MAP[{:?}]",
                desired.department.as_deref().unwrap_or_default()
            ),
            false => path(),
        };
        Ok(Some(Wanted {
            list: self.resolved(asked, &source).await?,
            from_map,
            recorded: wanted.is_some(),
        }))
    }

    /// Makes the proficiency calls. Where Connect's behaviour is not
    /// documented (associating a value the user already holds, updating or
    /// disassociating one it does not), a refusal is met by reading what the
    /// user holds (ListUserProficiencies) and making the calls that fit it,
    /// so a retry after a lost answer, or after an admin's change in the
    /// console, still converges.
    pub(crate) async fn write_proficiencies(
        &self,
        user_id: &str,
        writes: &ProficiencyWrites,
    ) -> DirectoryResult<()> {
        if !writes.disassociate.is_empty()
            && let Err(refused) = self.disassociate(user_id, &writes.disassociate).await
        {
            let held = self
                .held_proficiencies(user_id)
                .await
                .map_err(|_| refused.clone())?;
            let still_held = writes
                .disassociate
                .iter()
                .any(|p| held.iter().any(|h| h.same_key(p)));
            if still_held {
                return Err(refused);
            }
        }
        for (list, write) in [
            (&writes.associate, LevelWrite::Associate),
            (&writes.update, LevelWrite::Update),
        ] {
            if list.is_empty() {
                continue;
            }
            let Err(refused) = self.set_levels(write, user_id, list).await else {
                continue;
            };
            if !matches!(
                refused,
                DirectoryError::InvalidValue(_) | DirectoryError::Conflict(_) | DirectoryError::NotFound(_)
            ) {
                return Err(refused);
            }
            // Split by what the agent really holds: update those, associate
            // the rest.
            let held = self
                .held_proficiencies(user_id)
                .await
                .map_err(|_| refused.clone())?;
            let (update, associate): (Vec<Proficiency>, Vec<Proficiency>) = list
                .iter()
                .cloned()
                .partition(|p| held.iter().any(|h| h.same_key(p)));
            for (part, write) in [(update, LevelWrite::Update), (associate, LevelWrite::Associate)] {
                if !part.is_empty() {
                    self.set_levels(write, user_id, &part)
                        .await
                        .map_err(|_| refused.clone())?;
                }
            }
        }
        Ok(())
    }

    async fn set_levels(
        &self,
        write: LevelWrite,
        user_id: &str,
        list: &[Proficiency],
    ) -> DirectoryResult<()> {
        let items: Vec<UserProficiency> = list.iter().map(to_sdk).collect::<DirectoryResult<_>>()?;
        match write {
            LevelWrite::Associate => {
                send_proficiencies!(
                    "AssociateUserProficiencies",
                    self,
                    associate_user_proficiencies,
                    user_id,
                    items
                )
            }
            LevelWrite::Update => {
                send_proficiencies!(
                    "UpdateUserProficiencies",
                    self,
                    update_user_proficiencies,
                    user_id,
                    items
                )
            }
        }
    }

    async fn disassociate(&self, user_id: &str, list: &[Proficiency]) -> DirectoryResult<()> {
        let items = list
            .iter()
            .map(|p| {
                UserProficiencyDisassociate::builder()
                    .attribute_name(&p.attribute_name)
                    .attribute_value(&p.attribute_value)
                    .build()
                    .map_err(|e| DirectoryError::Internal(e.to_string()))
            })
            .collect::<DirectoryResult<Vec<_>>>()?;
        send_proficiencies!(
            "DisassociateUserProficiencies",
            self,
            disassociate_user_proficiencies,
            user_id,
            items
        )
    }

    /// What the user holds in Connect (only read when a write was refused).
    async fn held_proficiencies(&self, user_id: &str) -> DirectoryResult<Vec<Proficiency>> {
        let request = self
            .client
            .list_user_proficiencies()
            .instance_id(&self.settings.instance_id)
            .user_id(user_id);
        let mut pages = Pages::new(request.max_results(100).into_paginator().send(), |p| {
            p.next_token()
        });
        let mut held = Vec::new();
        while let Some(page) = self.next_page("ListUserProficiencies", &mut pages).await? {
            held.extend(page.user_proficiency_list().iter().map(|p| Proficiency {
                attribute_name: p.attribute_name().to_owned(),
                attribute_value: p.attribute_value().to_owned(),
                level: f64::from(p.level()),
            }));
        }
        Ok(held)
    }
}

fn to_sdk(p: &Proficiency) -> DirectoryResult<UserProficiency> {
    // Levels are whole numbers 1 to 5 (checked), exact in an f32.
    #[allow(clippy::cast_possible_truncation)]
    let level = p.level as f32;
    UserProficiency::builder()
        .attribute_name(&p.attribute_name)
        .attribute_value(&p.attribute_value)
        .level(level)
        .build()
        .map_err(|e| DirectoryError::Internal(e.to_string()))
}

#[cfg(test)]
#[path = "proficiencies_tests.rs"]
mod tests;
