//! Recorded IdP traffic replayed over HTTP: every fixture under
//! scim-core/tests/fixtures/{entra,okta,entra-groups,okta-groups}/ runs
//! against a fresh stack (real
//! Router, real SDK, simulator), checking the SCIM answers and the state
//! Connect is left in. The format is described in that folder's README.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use aws_sdk_connect::types::{PredefinedAttributeValues, UserProficiency};
use connect_directory::ConnectSettings;
use connect_sim::{DEFAULT_INSTANCE_ID as INSTANCE, NamedKind, SEEDED_SECURITY_PROFILES};
use scim_core::DeprovisionMode;
use serde_json::{Map, Value};
use support::Stack;

const IDP_FOLDERS: [&str; 4] = ["entra", "okta", "entra-groups", "okta-groups"];

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scim-core/tests/fixtures");
    let mut files = Vec::new();
    for idp in IDP_FOLDERS {
        let dir = root.join(idp);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json")),
        );
    }
    files.sort();
    files
}

/// Replaces `${name}` with captured values, throughout a string.
fn substitute(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    out
}

fn substitute_json(value: &Value, vars: &HashMap<String, String>) -> Value {
    match value {
        Value::String(s) => Value::String(substitute(s, vars)),
        Value::Array(items) => Value::Array(items.iter().map(|v| substitute_json(v, vars)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (substitute(k, vars), substitute_json(v, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `expected` ⊆ `actual`: objects by member, arrays element-wise with
/// equal length; arrays at the `unordered` pointers in any order (each
/// expected element a subset of a different actual one); numbers by value.
fn subset(
    expected: &Value,
    actual: &Value,
    at: &str,
    unordered: &BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => subset(v, av, &format!("{at}/{k}"), unordered, problems),
                    None => problems.push(format!("{at}/{k} missing")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() && unordered.contains(at) => {
            let mut free: Vec<&Value> = a.iter().collect();
            for (i, ev) in e.iter().enumerate() {
                let found = free.iter().position(|av| {
                    let mut none = Vec::new();
                    subset(ev, av, at, unordered, &mut none);
                    none.is_empty()
                });
                match found {
                    Some(j) => {
                        free.remove(j);
                    }
                    None => problems.push(format!("{at}/{i}: no element matches {ev} in {actual}")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{at}/{i}"), unordered, problems);
            }
        }
        (e, a) if e == a => {}
        // Numbers by value: `4` matches `4.0` (a SCIM decimal may print either way).
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => {}
        (e, a) => problems.push(format!("{at}: expected {e}, got {a}")),
    }
}

fn profile_names(stack: &Stack, extra: &[String]) -> BTreeMap<String, String> {
    SEEDED_SECURITY_PROFILES
        .iter()
        .copied()
        .chain(["SCIM-Disabled"])
        .chain(extra.iter().map(String::as_str))
        .filter_map(|name| {
            let id = stack
                .running
                .sim
                .named_id(INSTANCE, NamedKind::SecurityProfile, name)?;
            Some((id, name.to_owned()))
        })
        .collect()
}

/// A `connect` check of a security profile: existence, id, holders
/// (Connect usernames, any order), permissions and a subset of its tags.
fn check_profile(stack: &Stack, expect: &Value, problems: &mut Vec<String>) {
    let name = expect["securityProfile"].as_str().unwrap_or_default();
    let sim = &stack.running.sim;
    let id = sim.named_id(INSTANCE, NamedKind::SecurityProfile, name);
    let exists = expect.get("exists").and_then(Value::as_bool).unwrap_or(true);
    let Some(id) = id else {
        if exists {
            problems.push(format!("Connect has no security profile {name:?}"));
        }
        return;
    };
    if !exists {
        problems.push(format!("Connect still has security profile {name:?}"));
        return;
    }
    if let Some(want) = expect.get("id").and_then(Value::as_str)
        && want != id
    {
        problems.push(format!("security profile {name:?} has id {id}, expected {want}"));
    }
    if let Some(want) = expect.get("members").and_then(Value::as_array) {
        let want: BTreeSet<&str> = want.iter().filter_map(Value::as_str).collect();
        let users = stack.users();
        let have: BTreeSet<&str> = users
            .iter()
            .filter(|u| u.security_profile_ids.contains(&id))
            .map(|u| u.username.as_str())
            .collect();
        if have != want {
            problems.push(format!("holders of {name:?}: expected {want:?}, got {have:?}"));
        }
    }
    if let Some(want) = expect.get("permissions").and_then(Value::as_array) {
        let want: Vec<String> = want.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        let have = sim.security_profile_permissions(INSTANCE, name);
        if have.as_ref() != Some(&want) {
            problems.push(format!(
                "permissions of {name:?}: expected {want:?}, got {have:?}"
            ));
        }
    }
    if let Some(tags) = expect.get("tags").and_then(Value::as_object) {
        let have = sim.security_profile_tags(INSTANCE, name).unwrap_or_default();
        for (k, v) in tags {
            if have.get(k).map(String::as_str) != v.as_str() {
                problems.push(format!(
                    "tag {k} of {name:?}: expected {v}, got {:?}",
                    have.get(k)
                ));
            }
        }
    }
}

/// `Name=Value:level` (a whole level prints without a fraction).
fn proficiency_text(p: &connect_sim::wire::UserProficiency) -> String {
    format!("{}={}:{}", p.attribute_name, p.attribute_value, p.level)
}

/// `"Name=Value:level"` as a fixture writes it.
fn parse_proficiency(text: &str) -> Option<(String, String, f32)> {
    let (name, rest) = text.split_once('=')?;
    let (value, level) = rest.rsplit_once(':')?;
    Some((
        name.trim().to_owned(),
        value.trim().to_owned(),
        level.trim().parse().ok()?,
    ))
}

/// A user's per-channel settings as the simulator holds them, in the
/// extension's spelling: channel → `autoAccept`, `afterContactWorkTimeLimit`,
/// `phoneType`, `deskPhoneNumber`.
fn channel_settings(user: &connect_sim::wire::User) -> BTreeMap<String, Map<String, Value>> {
    let configs = &user.channel_configs;
    let mut have: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut put = |channel: &Option<String>, key: &str, value: Value| {
        if let Some(channel) = channel {
            have.entry(channel.clone())
                .or_default()
                .insert(key.to_owned(), value);
        }
    };
    for c in configs.auto_accept_configs.iter().flatten() {
        if let Some(on) = c.auto_accept {
            put(&c.channel, "autoAccept", on.into());
        }
    }
    for c in configs.after_contact_work_configs.iter().flatten() {
        if let Some(limit) = c
            .after_contact_work_config
            .as_ref()
            .and_then(|a| a.after_contact_work_time_limit)
        {
            put(&c.channel, "afterContactWorkTimeLimit", limit.into());
        }
    }
    for c in configs.phone_number_configs.iter().flatten() {
        if let Some(kind) = &c.phone_type {
            put(&c.channel, "phoneType", kind.clone().into());
        }
        if let Some(number) = &c.phone_number {
            put(&c.channel, "deskPhoneNumber", number.clone().into());
        }
    }
    have
}

/// `proficiencies` (the exact set held, any order) and `channels` (a
/// subset per channel) of a `connect` user check.
fn check_routing(user: &connect_sim::wire::User, expect: &Value, problems: &mut Vec<String>) {
    if let Some(want) = expect.get("proficiencies").and_then(Value::as_array) {
        let want: BTreeSet<String> = want.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        let have: BTreeSet<String> = user.proficiencies.iter().map(proficiency_text).collect();
        if have != want {
            problems.push(format!("Connect proficiencies: expected {want:?}, got {have:?}"));
        }
    }
    if let Some(want) = expect.get("channels").and_then(Value::as_object) {
        let have = channel_settings(user);
        for (channel, settings) in want {
            match have.get(channel) {
                Some(held) => subset(
                    settings,
                    &Value::Object(held.clone()),
                    &format!("Connect channel {channel}"),
                    &BTreeSet::new(),
                    problems,
                ),
                None => problems.push(format!("Connect has no settings for channel {channel}")),
            }
        }
    }
}

/// A step's `console` action: what an administrator does in the Connect
/// console before the step's request, made with the real SDK client.
async fn console(stack: &Stack, action: &Value, problems: &mut Vec<String>) {
    let username = action["user"].as_str().unwrap_or_default();
    let Some(user) = stack.users().into_iter().find(|u| u.username == username) else {
        problems.push(format!("console: Connect has no user {username:?}"));
        return;
    };
    let grants: Vec<UserProficiency> = action["associateProficiencies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|text| {
            let (name, value, level) = parse_proficiency(text)
                .unwrap_or_else(|| panic!("console: {text:?} is not Name=Value:level"));
            UserProficiency::builder()
                .attribute_name(name)
                .attribute_value(value)
                .level(level)
                .build()
                .unwrap()
        })
        .collect();
    if grants.is_empty() {
        return;
    }
    let made = stack
        .client()
        .await
        .associate_user_proficiencies()
        .instance_id(&stack.instance)
        .user_id(&user.id)
        .set_user_proficiencies(Some(grants))
        .send()
        .await;
    if let Err(e) = made {
        problems.push(format!("console: AssociateUserProficiencies failed: {e:?}"));
    }
}

/// `setup.predefinedAttributes`: name → values, made as an administrator
/// does (CreatePredefinedAttribute through the real SDK client).
async fn seed_predefined_attributes(stack: &Stack, attributes: &Value) {
    let Some(attributes) = attributes.as_object().filter(|a| !a.is_empty()) else {
        return;
    };
    let client = stack.client().await;
    for (name, values) in attributes {
        let values: Vec<String> = values
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        client
            .create_predefined_attribute()
            .instance_id(&stack.instance)
            .name(name)
            .values(PredefinedAttributeValues::StringList(values))
            .send()
            .await
            .unwrap_or_else(|e| panic!("predefined attribute {name:?}: {e:?}"));
    }
}

fn check_connect(stack: &Stack, expect: &Value, extra: &[String], problems: &mut Vec<String>) {
    if let Value::Array(checks) = expect {
        for check in checks {
            check_connect(stack, check, extra, problems);
        }
        return;
    }
    if expect.get("securityProfile").is_some() {
        check_profile(stack, expect, problems);
        return;
    }
    let username = expect["user"].as_str().unwrap_or_default();
    let user = stack.users().into_iter().find(|u| u.username == username);
    let exists = expect.get("exists").and_then(Value::as_bool).unwrap_or(true);
    let Some(user) = user else {
        if exists {
            problems.push(format!("Connect has no user {username:?}"));
        }
        return;
    };
    if !exists {
        problems.push(format!("Connect still has user {username:?}"));
        return;
    }
    let info = &user.identity_info;
    // The instance is SAML, which refuses IdentityInfo.Email: the SCIM email
    // is the user's SecondaryEmail, and Email is never set.
    if info.email.is_some() {
        problems.push(format!(
            "Connect Email is set on a SAML instance: {:?}",
            info.email
        ));
    }
    for (key, actual) in [
        ("firstName", info.first_name.as_deref()),
        ("lastName", info.last_name.as_deref()),
        ("email", info.secondary_email.as_deref()),
    ] {
        if let Some(want) = expect.get(key) {
            let want = want.as_str();
            if want != actual {
                problems.push(format!("Connect {key}: expected {want:?}, got {actual:?}"));
            }
        }
    }
    if let Some(want) = expect.get("securityProfiles").and_then(Value::as_array) {
        // Names the fixture expects (any profile, made by a step or seeded)
        // are added to the seeded ones, so ids print as names.
        let mut names = profile_names(stack, extra);
        for name in want.iter().filter_map(Value::as_str) {
            if let Some(id) = stack
                .running
                .sim
                .named_id(INSTANCE, NamedKind::SecurityProfile, name)
            {
                names.insert(id, name.to_owned());
            }
        }
        let mut have: Vec<String> = user
            .security_profile_ids
            .iter()
            .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()))
            .collect();
        let mut want: Vec<String> = want.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        have.sort();
        want.sort();
        if have != want {
            problems.push(format!(
                "Connect security profiles: expected {want:?}, got {have:?}"
            ));
        }
    }
    if let Some(want) = expect.get("routingProfile").and_then(Value::as_str) {
        let id = stack
            .running
            .sim
            .named_id(INSTANCE, NamedKind::RoutingProfile, want);
        if id.as_deref() != Some(user.routing_profile_id.as_str()) {
            problems.push(format!("Connect routing profile is not {want:?}"));
        }
    }
    check_routing(&user, expect, problems);
    if let Some(tags) = expect.get("tags").and_then(Value::as_object) {
        for (k, v) in tags {
            let have = user.tags.get(k).map(String::as_str);
            if have != v.as_str() {
                problems.push(format!("Connect tag {k}: expected {v}, got {have:?}"));
            }
        }
    }
}

async fn replay(path: &Path) -> Vec<String> {
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Adapter settings: top-level `settings`, then `setup.settings`.
    let settings: Vec<(String, String)> = [&fixture["settings"], &fixture["setup"]["settings"]]
        .into_iter()
        .filter_map(Value::as_object)
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    let stack = support::stack_with(DeprovisionMode::Delete, |current| {
        let lookup = |name: &str| match name {
            "CONNECT_INSTANCE_ID" => Some(current.instance_id.clone()),
            other => settings
                .iter()
                .rev()
                .find(|(k, _)| k == other)
                .map(|(_, v)| v.clone()),
        };
        let mut wanted = ConnectSettings::from_lookup(lookup).unwrap();
        wanted.pace = current.pace;
        *current = wanted;
    })
    .await;
    let seeded: Vec<String> = fixture["setup"]["securityProfiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    for name in &seeded {
        stack
            .running
            .sim
            .add_named(INSTANCE, NamedKind::SecurityProfile, name, None)
            .unwrap();
    }
    if !seeded.is_empty() {
        stack.settle().await;
    }
    seed_predefined_attributes(&stack, &fixture["setup"]["predefinedAttributes"]).await;
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut problems = Vec::new();
    for (i, step) in fixture["steps"].as_array().into_iter().flatten().enumerate() {
        let request = &step["request"];
        let method = request["method"].as_str().unwrap_or("GET");
        let uri = substitute(request["path"].as_str().unwrap_or("/"), &vars);
        let body = request.get("body").map(|b| substitute_json(b, &vars));
        let headers: Vec<(String, String)> = request
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
                    .map(|(k, v)| (k.clone(), substitute(v.as_str().unwrap_or_default(), &vars)))
                    .collect()
            })
            .unwrap_or_default();
        let extra: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut step_problems = Vec::new();
        if let Some(action) = step.get("console") {
            console(&stack, &substitute_json(action, &vars), &mut step_problems).await;
        }
        let answer = stack.send_with(method, &uri, body, &extra).await;
        let expect = &step["expect"];
        if let Some(status) = expect.get("status").and_then(Value::as_u64)
            && u64::from(answer.status.as_u16()) != status
        {
            step_problems.push(format!(
                "status {} (expected {status}): {}",
                answer.status, answer.body
            ));
        }
        let unordered: BTreeSet<String> = expect
            .get("unordered")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        match expect.get("body") {
            Some(body) => subset(
                &substitute_json(body, &vars),
                &answer.body,
                "",
                &unordered,
                &mut step_problems,
            ),
            // 204 means no body at all.
            None if answer.status.as_u16() == 204 && !answer.body.is_null() => {
                step_problems.push(format!("204 with a body: {}", answer.body));
            }
            None => {}
        }
        for name in expect
            .get("absent")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(name) = name.as_str() else { continue };
            let present = if name.starts_with('/') {
                answer.body.pointer(name).is_some()
            } else {
                answer.body.get(name).is_some()
            };
            if present {
                step_problems.push(format!("{name} should be absent"));
            }
        }
        for (name, pointer) in step
            .get("capture")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            match answer.body.pointer(pointer.as_str().unwrap_or_default()) {
                Some(Value::String(s)) => {
                    vars.insert(name.clone(), s.clone());
                }
                Some(other) => {
                    vars.insert(name.clone(), other.to_string());
                }
                None => step_problems.push(format!("nothing to capture at {pointer}")),
            }
        }
        if let Some(connect) = step.get("connect") {
            check_connect(
                &stack,
                &substitute_json(connect, &vars),
                &seeded,
                &mut step_problems,
            );
        }
        problems.extend(
            step_problems
                .into_iter()
                .map(|p| format!("{} step {i} ({method} {uri}): {p}", path.display())),
        );
    }
    problems
}

#[tokio::test]
async fn recorded_idp_traffic_replays() {
    let files = fixture_files();
    assert!(!files.is_empty(), "no fixtures found");
    let mut problems = Vec::new();
    for file in &files {
        problems.extend(replay(file).await);
    }
    let counts = |idp: &str| {
        files
            .iter()
            .filter(|f| f.parent().is_some_and(|p| p.ends_with(idp)))
            .count()
    };
    println!(
        "replayed {} Entra ID and {} Okta fixtures, with {} and {} of groups",
        counts("entra"),
        counts("okta"),
        counts("entra-groups"),
        counts("okta-groups")
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
