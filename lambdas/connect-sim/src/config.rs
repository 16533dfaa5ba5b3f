//! Simulator settings, read from the environment by the binaries.

use std::time::Duration;

use crate::identity::IdentityType;

/// The instance id `make local` uses when `CONNECT_INSTANCE_ID` is unset.
pub const DEFAULT_INSTANCE_ID: &str = "00000000-0000-4000-8000-00000000c0de";

/// How the simulator behaves: identity, quotas, injected faults, paging
/// tokens and search lag.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Instances that exist at start, each seeded like a fresh Connect instance.
    pub instance_ids: Vec<String>,
    /// The identity management type of those instances (and of
    /// `Simulator::add_instance`'s).
    pub identity_type: IdentityType,
    /// How long a paging token stays valid. Connect does not document how
    /// long its tokens live; a client must not keep one around.
    pub token_ttl: Duration,
    /// How far Search* APIs lag behind writes: they see every resource as it
    /// was this long ago. Describe* and List* are always current.
    pub search_lag: Duration,
    /// Region written into ARNs and `LastModifiedRegion`.
    pub region: String,
    /// Account written into ARNs.
    pub account_id: String,
    /// Quotas per API, shared by every caller like Connect's per-account quotas.
    pub quota: Quota,
    /// Failure injection.
    pub faults: Faults,
}

/// A token bucket per API: `rate` requests per second, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    /// Sustained requests per second; `0` turns throttling off.
    pub rate: f64,
    /// Bucket size.
    pub burst: u32,
}

/// Injected failures, applied to every API call after the quota check.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Faults {
    /// Share of calls (0.0–1.0) answered with 500 InternalServiceException
    /// before they take effect.
    pub error_rate: f64,
    /// Share of successful calls whose answer is lost: the change is applied,
    /// then 500 InternalServiceException is answered (a timeout after commit).
    pub lost_response_rate: f64,
    /// Latency added before each call is answered.
    pub latency: Duration,
    /// Seed of the fault dice, so a failing run can be replayed.
    pub seed: u64,
}

impl Quota {
    /// Connect's default for most user-management APIs: 2 RPS, burst 5.
    pub const CONNECT_DEFAULT: Quota = Quota { rate: 2.0, burst: 5 };
    /// No throttling at all.
    pub const UNLIMITED: Quota = Quota { rate: 0.0, burst: 0 };
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            instance_ids: vec![DEFAULT_INSTANCE_ID.to_owned()],
            identity_type: IdentityType::Saml,
            token_ttl: Duration::from_secs(300),
            search_lag: Duration::ZERO,
            region: "us-east-1".to_owned(),
            account_id: "123456789012".to_owned(),
            quota: Quota::CONNECT_DEFAULT,
            faults: Faults::default(),
        }
    }
}

/// A setting that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{name}={value:?}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: &'static str,
}

impl SimConfig {
    /// A config without quotas or faults, for tests that are not about them.
    pub fn unthrottled() -> Self {
        Self {
            quota: Quota::UNLIMITED,
            ..Self::default()
        }
    }

    /// Reads `CONNECT_INSTANCE_ID`, `CONNECT_SIM_IDENTITY_TYPE` (`SAML`,
    /// `CONNECT_MANAGED` or `EXISTING_DIRECTORY`), `CONNECT_SIM_RATE`,
    /// `CONNECT_SIM_BURST`, `CONNECT_SIM_ERROR_RATE`,
    /// `CONNECT_SIM_LOST_RESPONSE_RATE`, `CONNECT_SIM_LATENCY_MS`,
    /// `CONNECT_SIM_SEED`, `CONNECT_SIM_TOKEN_TTL_SECS`,
    /// `CONNECT_SIM_SEARCH_LAG_MS` and `AWS_REGION`, each falling back to the
    /// default.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`SimConfig::from_env`], over any lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        if let Some(id) = get("CONNECT_INSTANCE_ID").filter(|v| !v.is_empty()) {
            if id.len() > 100 {
                return Err(ConfigError {
                    name: "CONNECT_INSTANCE_ID",
                    value: id,
                    reason: "at most 100 characters",
                });
            }
            config.instance_ids = vec![id];
        }
        if let Some(region) = get("AWS_REGION").filter(|v| !v.is_empty()) {
            config.region = region;
        }
        config.quota.rate = parse(&get, "CONNECT_SIM_RATE", config.quota.rate, |v: &f64| {
            v.is_finite() && *v >= 0.0
        })?;
        config.quota.burst = parse(&get, "CONNECT_SIM_BURST", config.quota.burst, |v: &u32| *v >= 1)?;
        config.faults.error_rate = parse(&get, "CONNECT_SIM_ERROR_RATE", 0.0, |v: &f64| {
            (0.0..=1.0).contains(v)
        })?;
        config.faults.lost_response_rate = parse(&get, "CONNECT_SIM_LOST_RESPONSE_RATE", 0.0, |v: &f64| {
            (0.0..=1.0).contains(v)
        })?;
        let latency_ms = parse(&get, "CONNECT_SIM_LATENCY_MS", 0u64, |v: &u64| *v <= 60_000)?;
        config.faults.latency = Duration::from_millis(latency_ms);
        config.faults.seed = parse(&get, "CONNECT_SIM_SEED", 0x5eed, |_: &u64| true)?;
        config.identity_type = parse(
            &get,
            "CONNECT_SIM_IDENTITY_TYPE",
            IdentityType::Saml,
            |_: &IdentityType| true,
        )?;
        let ttl_secs = parse(&get, "CONNECT_SIM_TOKEN_TTL_SECS", 300u64, |v: &u64| *v >= 1)?;
        config.token_ttl = Duration::from_secs(ttl_secs);
        let lag_ms = parse(&get, "CONNECT_SIM_SEARCH_LAG_MS", 0u64, |v: &u64| *v <= 3_600_000)?;
        config.search_lag = Duration::from_millis(lag_ms);
        Ok(config)
    }
}

fn parse<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    ok: impl Fn(&T) -> bool,
) -> Result<T, ConfigError> {
    let Some(raw) = get(name).filter(|v| !v.trim().is_empty()) else {
        return Ok(default);
    };
    match raw.trim().parse::<T>() {
        Ok(value) if ok(&value) => Ok(value),
        _ => Err(ConfigError {
            name,
            value: raw,
            reason: "not a valid value for this setting",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn defaults_match_connect_quotas() {
        let config = SimConfig::from_lookup(lookup(&[])).unwrap();
        assert_eq!(config.quota, Quota::CONNECT_DEFAULT);
        assert_eq!(config.instance_ids, vec![DEFAULT_INSTANCE_ID.to_owned()]);
        assert_eq!(config.identity_type, IdentityType::Saml);
        assert_eq!(config.token_ttl, Duration::from_secs(300));
        assert_eq!(config.search_lag, Duration::ZERO);
    }

    #[test]
    fn reads_every_knob() {
        let config = SimConfig::from_lookup(lookup(&[
            ("CONNECT_INSTANCE_ID", "abc"),
            ("CONNECT_SIM_RATE", "0"),
            ("CONNECT_SIM_BURST", "9"),
            ("CONNECT_SIM_ERROR_RATE", "0.05"),
            ("CONNECT_SIM_LOST_RESPONSE_RATE", "0.01"),
            ("CONNECT_SIM_LATENCY_MS", "20"),
            ("CONNECT_SIM_IDENTITY_TYPE", "CONNECT_MANAGED"),
            ("CONNECT_SIM_TOKEN_TTL_SECS", "5"),
            ("CONNECT_SIM_SEARCH_LAG_MS", "1500"),
        ]))
        .unwrap();
        assert_eq!(config.identity_type, IdentityType::ConnectManaged);
        assert_eq!(config.token_ttl, Duration::from_secs(5));
        assert_eq!(config.search_lag, Duration::from_millis(1500));
        assert_eq!(config.instance_ids, vec!["abc".to_owned()]);
        assert_eq!(config.quota, Quota { rate: 0.0, burst: 9 });
        assert_eq!(config.faults.error_rate, 0.05);
        assert_eq!(config.faults.lost_response_rate, 0.01);
        assert_eq!(config.faults.latency, Duration::from_millis(20));
    }

    #[test]
    fn rejects_nonsense() {
        assert!(SimConfig::from_lookup(lookup(&[("CONNECT_SIM_RATE", "-1")])).is_err());
        assert!(SimConfig::from_lookup(lookup(&[("CONNECT_SIM_BURST", "0")])).is_err());
        assert!(SimConfig::from_lookup(lookup(&[("CONNECT_SIM_ERROR_RATE", "2")])).is_err());
        assert!(SimConfig::from_lookup(lookup(&[("CONNECT_SIM_RATE", "fast")])).is_err());
        assert!(SimConfig::from_lookup(lookup(&[("CONNECT_SIM_IDENTITY_TYPE", "LDAP")])).is_err());
        assert!(SimConfig::from_lookup(lookup(&[("CONNECT_SIM_TOKEN_TTL_SECS", "0")])).is_err());
        assert!(SimConfig::from_lookup(lookup(&[("CONNECT_SIM_SEARCH_LAG_MS", "-5")])).is_err());
    }
}
