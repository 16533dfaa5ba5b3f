//! Adapter settings, read from the environment the same way by the Lambda
//! and by `make local`.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::agent::rules::MAX_PROFILES;
use crate::boundary::Assignable;

use crate::Proficiency;
use serde::Deserialize;

use crate::identity::IdentityType;
use crate::limiter::Pace;

/// How SCIM users map onto one Amazon Connect instance.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectSettings {
    /// `CONNECT_INSTANCE_ID`: the instance users are provisioned into.
    pub instance_id: String,
    /// `DEFAULT_SECURITY_PROFILE`: profile(s) given when the department names
    /// none (comma-separated names).
    pub default_security_profiles: Vec<String>,
    /// `DEFAULT_ROUTING_PROFILE`: the routing profile every agent gets.
    pub routing_profile: String,
    /// `DISABLED_SECURITY_PROFILE`: the permission-less profile a disabled
    /// agent holds instead of its own.
    pub disabled_security_profile: String,
    /// How long profile name → id lookups are cached.
    pub profile_cache_ttl: Duration,
    /// `DEPARTMENT_MAP`: department (any case) → what it grants.
    pub department_map: BTreeMap<String, DepartmentRule>,
    /// `PROFICIENCY_MAP`: department (any case) → the routing proficiencies
    /// its agents get when the client sends no `proficiencies`.
    pub proficiency_map: BTreeMap<String, Vec<Proficiency>>,
    /// `CONNECT_RATE_LIMIT` / `CONNECT_RATE_BURST`: client-side pacing per
    /// Connect API (default Connect's quota, 2 RPS burst 5; 0 turns it off).
    pub pace: Pace,
    /// `GROUPS_CREATE_SECURITY_PROFILES`: whether a POST /Groups of a name
    /// no security profile has creates one (with no permissions). Off by
    /// default: groups link to profiles an administrator made.
    pub create_groups: bool,
    /// `CONNECT_IDENTITY_TYPE`: the instance's identity management type, when
    /// given; otherwise it is read once per process with DescribeInstance.
    pub identity_type: Option<IdentityType>,
    /// `ASSIGNABLE_SECURITY_PROFILES`: the profiles the bridge may grant
    /// (`*` for all; unset: all but `Admin`).
    pub assignable: Assignable,
}

/// What one department grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartmentRule {
    /// Security profile names (1 to 10).
    pub security_profiles: Vec<String>,
    /// Routing profile name; `None` keeps `DEFAULT_ROUTING_PROFILE`.
    pub routing_profile: Option<String>,
}

/// `DEPARTMENT_MAP` entries: a profile name, a list of names, or an object.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RuleSpec {
    One(String),
    Many(Vec<String>),
    Full {
        #[serde(rename = "securityProfiles")]
        security_profiles: Vec<String>,
        #[serde(rename = "routingProfile", default)]
        routing_profile: Option<String>,
    },
}

/// Parses `DEPARTMENT_MAP`, e.g.
/// `{"Sales": "Agent", "Support": ["Agent", "QualityAnalyst"],
///   "Billing": {"securityProfiles": ["Agent"], "routingProfile": "Billing"}}`.
pub fn parse_department_map(json: &str) -> Result<BTreeMap<String, DepartmentRule>, SettingsError> {
    let specs: BTreeMap<String, RuleSpec> = serde_json::from_str(json).map_err(|e| {
        SettingsError(format!(
            "DEPARTMENT_MAP is not a JSON object of department rules: {e}"
        ))
    })?;
    specs
        .into_iter()
        .map(|(department, spec)| {
            let (security_profiles, routing_profile) = match spec {
                RuleSpec::One(name) => (vec![name], None),
                RuleSpec::Many(names) => (names, None),
                RuleSpec::Full {
                    security_profiles,
                    routing_profile,
                } => (security_profiles, routing_profile),
            };
            if security_profiles.is_empty() || security_profiles.len() > MAX_PROFILES {
                return Err(SettingsError(format!(
                    "DEPARTMENT_MAP[{department:?}] must name 1 to {MAX_PROFILES} security profiles (Connect's limit)"
                )));
            }
            Ok((
                department.to_lowercase(),
                DepartmentRule {
                    security_profiles,
                    routing_profile,
                },
            ))
        })
        .collect()
}

/// A comma-separated list of names, blanks dropped.
pub(crate) fn names_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses `PROFICIENCY_MAP`: department → proficiencies, each in any form
/// the `proficiencies` attribute takes, e.g.
/// `{"Spanish Support": "Language=Spanish:4; Skill=Billing:2",
///   "Sales": [{"attributeName": "Language", "attributeValue": "English", "level": 3}]}`.
/// Connect's rules that need no lookup (at most 10, levels 1 to 5) are
/// checked here; names are checked against the instance on first use and by
/// `make check-instance`.
pub fn parse_proficiency_map(json: &str) -> Result<BTreeMap<String, Vec<Proficiency>>, SettingsError> {
    let specs: BTreeMap<String, serde_json::Value> = serde_json::from_str(json).map_err(|e| {
        SettingsError(format!(
            "PROFICIENCY_MAP is not a JSON object of department → proficiencies: {e}"
        ))
    })?;
    specs
        .into_iter()
        .map(|(department, spec)| {
            let setting = format!("PROFICIENCY_MAP[{department:?}]");
            let list = Proficiency::parse_list(&spec)
                .map_err(|e| SettingsError(format!("{setting}: {}", e.detail())))?
                .unwrap_or_default();
            crate::proficiencies::check(&list, &setting).map_err(|e| SettingsError(e.to_string()))?;
            Ok((department.to_lowercase(), list))
        })
        .collect()
}

/// The security profile disabled agents hold, when not configured.
pub const DEFAULT_DISABLED_PROFILE: &str = "SCIM-Disabled";

/// A setting that is missing or malformed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SettingsError(String);

impl ConnectSettings {
    /// The `DEPARTMENT_MAP` rule for a department, ignoring case.
    pub fn department_rule(&self, department: &str) -> Option<&DepartmentRule> {
        self.department_map.get(&department.to_lowercase())
    }

    /// Defaults for everything but the instance.
    pub fn new(instance_id: impl Into<String>) -> Self {
        Self {
            instance_id: instance_id.into(),
            default_security_profiles: vec!["Agent".to_owned()],
            routing_profile: "Basic Routing Profile".to_owned(),
            disabled_security_profile: DEFAULT_DISABLED_PROFILE.to_owned(),
            profile_cache_ttl: Duration::from_secs(300),
            pace: Pace::CONNECT_DEFAULT,
            department_map: BTreeMap::new(),
            proficiency_map: BTreeMap::new(),
            create_groups: false,
            identity_type: None,
            assignable: Assignable::default(),
        }
    }

    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through any lookup.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let get = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let instance_id = get("CONNECT_INSTANCE_ID")
            .ok_or_else(|| SettingsError("CONNECT_INSTANCE_ID is required".to_owned()))?;
        let mut settings = Self::new(instance_id);
        if let Some(v) = get("DEFAULT_SECURITY_PROFILE") {
            let names = names_list(&v);
            if names.is_empty() || names.len() > MAX_PROFILES {
                return Err(SettingsError(format!(
                    "DEFAULT_SECURITY_PROFILE must name 1 to {MAX_PROFILES} security profiles"
                )));
            }
            settings.default_security_profiles = names;
        }
        if let Some(v) = get("DEFAULT_ROUTING_PROFILE") {
            settings.routing_profile = v;
        }
        if let Some(v) = get("DEPARTMENT_MAP") {
            settings.department_map = parse_department_map(&v)?;
        }
        if let Some(v) = get("PROFICIENCY_MAP") {
            settings.proficiency_map = parse_proficiency_map(&v)?;
        }
        if let Some(v) = get("DISABLED_SECURITY_PROFILE") {
            settings.disabled_security_profile = v;
        }
        if let Some(v) = get("PROFILE_CACHE_SECONDS") {
            let secs: u64 = v
                .parse()
                .map_err(|_| SettingsError(format!("PROFILE_CACHE_SECONDS={v:?} is not a number")))?;
            settings.profile_cache_ttl = Duration::from_secs(secs);
        }
        let number = |name: &str, v: String| -> Result<f64, SettingsError> {
            v.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| SettingsError(format!("{name}={v:?} is not a non-negative number")))
        };
        if let Some(v) = get("CONNECT_RATE_LIMIT") {
            settings.pace.rate = number("CONNECT_RATE_LIMIT", v)?;
        }
        if let Some(v) = get("CONNECT_RATE_BURST") {
            settings.pace.burst = number("CONNECT_RATE_BURST", v)?.max(1.0);
        }
        if let Some(v) = get("GROUPS_CREATE_SECURITY_PROFILES") {
            settings.create_groups = match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => true,
                "false" | "0" | "no" | "off" => false,
                _ => {
                    return Err(SettingsError(format!(
                        "GROUPS_CREATE_SECURITY_PROFILES={v:?} must be true or false"
                    )));
                }
            };
        }
        if let Some(v) = get("CONNECT_IDENTITY_TYPE") {
            settings.identity_type = Some(
                v.parse()
                    .map_err(|e| SettingsError(format!("CONNECT_IDENTITY_TYPE: {e}")))?,
            );
        }
        if let Some(v) = get("ASSIGNABLE_SECURITY_PROFILES") {
            settings.assignable = Assignable::parse(&v);
        }
        settings.check_grants()?;
        Ok(settings)
    }

    /// Every profile the configuration itself grants must be assignable:
    /// found at start-up, not on some agent's first create.
    fn check_grants(&self) -> Result<(), SettingsError> {
        let named = self
            .default_security_profiles
            .iter()
            .map(|p| ("DEFAULT_SECURITY_PROFILE", p))
            .chain(
                self.department_map
                    .values()
                    .flat_map(|rule| rule.security_profiles.iter().map(|p| ("DEPARTMENT_MAP", p))),
            );
        for (setting, profile) in named {
            if !self.assignable.allows(profile) {
                return Err(SettingsError(format!(
                    "{setting} grants {profile:?}, which ASSIGNABLE_SECURITY_PROFILES does not allow \
                     (unset, it allows every profile but Admin; `*` allows all)"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_defaults() {
        let s =
            ConnectSettings::from_lookup(|n| (n == "CONNECT_INSTANCE_ID").then(|| "i-1".to_owned())).unwrap();
        assert_eq!(s, ConnectSettings::new("i-1"));
        let s = ConnectSettings::from_lookup(|n| match n {
            "CONNECT_INSTANCE_ID" => Some("i".into()),
            "DEFAULT_SECURITY_PROFILE" => Some("Agent, QualityAnalyst".into()),
            "DEFAULT_ROUTING_PROFILE" => Some("Sales".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.default_security_profiles, ["Agent", "QualityAnalyst"]);
        assert_eq!(s.routing_profile, "Sales");
        assert!(!s.create_groups);
        assert!(ConnectSettings::from_lookup(|_| None).is_err());
        let with = |v: &'static str| {
            ConnectSettings::from_lookup(move |n| match n {
                "CONNECT_INSTANCE_ID" => Some("i".into()),
                "GROUPS_CREATE_SECURITY_PROFILES" => Some(v.into()),
                _ => None,
            })
        };
        assert!(with("TRUE").unwrap().create_groups);
        assert!(!with("false").unwrap().create_groups);
        assert!(with("maybe").is_err());
    }

    #[test]
    fn configured_grants_must_be_assignable() {
        let with = |pairs: &'static [(&'static str, &'static str)]| {
            ConnectSettings::from_lookup(move |n| {
                pairs
                    .iter()
                    .chain(&[("CONNECT_INSTANCE_ID", "i")])
                    .find(|(k, _)| *k == n)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        let refused = with(&[("DEFAULT_SECURITY_PROFILE", "Admin")]).unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("DEFAULT_SECURITY_PROFILE grants \"Admin\""),
            "{refused}"
        );
        assert!(with(&[("DEPARTMENT_MAP", r#"{"IT": ["Agent", "admin"]}"#)]).is_err());
        assert!(
            with(&[
                ("DEFAULT_SECURITY_PROFILE", "Admin"),
                ("ASSIGNABLE_SECURITY_PROFILES", "*")
            ])
            .is_ok()
        );
        assert!(with(&[("ASSIGNABLE_SECURITY_PROFILES", "QualityAnalyst")]).is_err());
        let only = with(&[("ASSIGNABLE_SECURITY_PROFILES", "Agent,QualityAnalyst")]).unwrap();
        assert_eq!(only.assignable, Assignable::parse("Agent, QualityAnalyst"));
    }

    #[test]
    fn department_map_forms() {
        let map = parse_department_map(
            r#"{"Sales": "Agent", "Support": ["Agent", "QualityAnalyst"],
                "Billing": {"securityProfiles": ["Agent"], "routingProfile": "Billing Queue"}}"#,
        )
        .unwrap();
        assert_eq!(map["sales"].security_profiles, ["Agent"]);
        assert_eq!(map["support"].security_profiles.len(), 2);
        assert_eq!(map["billing"].routing_profile.as_deref(), Some("Billing Queue"));
        assert!(parse_department_map(r#"{"X": []}"#).is_err());
        assert!(parse_department_map("[1]").is_err());
        assert!(parse_department_map(r#"{"X": 5}"#).is_err());
    }
}
