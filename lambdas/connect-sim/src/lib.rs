//! An Amazon Connect simulator for the user-management subset of the API.
//!
//! It speaks Connect's real REST (restJson1) wire protocol, so the real
//! `aws-sdk-connect` client, boto3 or the aws CLI can drive it by pointing
//! their endpoint at it (any signature is accepted). State lives in memory,
//! one set of users, profiles and tags per instance, seeded like a fresh
//! instance. Every API has its own token-bucket quota, like Connect's
//! per-account quotas, and answers 429 ThrottlingException past it; faults
//! (a share of 500 InternalServiceException, added latency) can be injected.
//! `GET /_sim/stats` counts calls per operation.
//!
//! Rules Connect states only in prose are enforced too, each quoting its
//! source: identity-type rules (`SAML`, `CONNECT_MANAGED`,
//! `EXISTING_DIRECTORY`), names in NFC, CONTAINS bounds, the root hierarchy
//! group, opaque query-bound expiring paging tokens, and a search index that
//! can lag behind writes (`SimConfig::search_lag`).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let running = connect_sim::spawn(&connect_sim::SimConfig::unthrottled(), "127.0.0.1:0").await?;
//! println!("Connect endpoint: {}", running.url());
//! # Ok(()) }
//! ```

mod config;
mod control;
mod error;
mod gate;
mod identity;
mod index;
mod predefined_attributes;
mod proficiencies;
mod profiles;
mod quick_connects;
mod routes;
mod search;
mod tokens;
mod user_config;
mod users;
mod validate;
pub mod wire;
mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use config::{ConfigError, DEFAULT_INSTANCE_ID, Faults, Quota, SimConfig};
pub use error::ConnectError;
pub use gate::{OpStats, Stats};
pub use identity::{IdentityType, UnknownIdentityType};
pub use world::{NamedKind, SEEDED_ROUTING_PROFILE, SEEDED_SECURITY_PROFILES};

use gate::Gate;
use world::{Named, World};

/// A simulated Connect account: cheap to clone, all clones share state.
#[derive(Debug, Clone)]
pub struct Simulator {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    world: Mutex<World>,
    gate: Gate,
}

impl Simulator {
    /// A simulator with the configured instances, each freshly seeded.
    pub fn new(config: &SimConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                world: Mutex::new(World::new(config)),
                gate: Gate::new(config.quota, config.faults),
            }),
        }
    }

    /// The HTTP surface: Connect's routes plus `/_sim/stats`, `/_sim/settings`
    /// and `PUT /_sim/instances/{id}`.
    pub fn router(&self) -> axum::Router {
        routes::router(self.clone())
    }

    /// Call and throttle counts per operation so far.
    pub fn stats(&self) -> Stats {
        self.inner.gate.stats()
    }

    /// Zeroes the counters.
    pub fn reset_stats(&self) {
        self.inner.gate.reset_stats();
    }

    /// Replaces the quota of every API (buckets start full).
    pub fn set_quota(&self, quota: Quota) {
        self.inner.gate.set_quota(quota);
    }

    /// Replaces the injected faults.
    pub fn set_faults(&self, faults: Faults) {
        self.inner.gate.set_faults(faults);
    }

    /// The quota and faults in force.
    pub fn settings(&self) -> (Quota, Faults) {
        self.inner.gate.settings()
    }

    /// Adds a freshly seeded instance of the configured identity type
    /// (no-op when it exists).
    pub fn add_instance(&self, instance_id: &str) {
        self.change(|w| w.add_instance(instance_id, w.identity_type));
    }

    /// Adds a freshly seeded instance of `identity_type` (no-op when it exists).
    pub fn add_instance_of(&self, instance_id: &str, identity_type: IdentityType) {
        self.change(|w| w.add_instance(instance_id, identity_type));
    }

    /// The identity management type of an instance; `None` when there is no
    /// such instance.
    pub fn identity_type(&self, instance_id: &str) -> Option<IdentityType> {
        self.world(|w| Ok(w.instance(instance_id)?.identity_type)).ok()
    }

    /// Makes Search* APIs see every resource as it was `lag` ago (zero: at
    /// once). Changes already visible stay visible.
    pub fn set_search_lag(&self, lag: Duration) {
        self.change(|w| w.set_search_lag(lag));
    }

    /// The search lag in force.
    pub fn search_lag(&self) -> Duration {
        self.world(|w| Ok(w.search_lag)).unwrap_or_default()
    }

    /// Adds a security profile, routing profile or hierarchy group and
    /// returns its id; `parent` places a hierarchy group under another.
    pub fn add_named(
        &self,
        instance_id: &str,
        kind: NamedKind,
        name: &str,
        parent: Option<&str>,
    ) -> Result<String, ConnectError> {
        self.world(|w| w.add_named(instance_id, kind, name, parent))
    }

    /// Adds a predefined attribute with string `values`, as an admin does in
    /// the console (not counted as a call).
    pub fn add_predefined_attribute(
        &self,
        instance_id: &str,
        name: &str,
        values: &[&str],
    ) -> Result<(), ConnectError> {
        let request = wire::CreatePredefinedAttributeRequest {
            name: Some(name.to_owned()),
            values: Some(wire::PredefinedAttributeValues {
                string_list: Some(values.iter().map(|v| (*v).to_owned()).collect()),
            }),
            purposes: None,
            attribute_configuration: None,
        };
        self.world(|w| w.create_predefined_attribute(instance_id, request))
    }

    /// The id of the named profile or group, looked up without counting a
    /// call. The root hierarchy group (LevelId 0) is not among them.
    pub fn named_id(&self, instance_id: &str, kind: NamedKind, name: &str) -> Option<String> {
        self.find_named(instance_id, kind, name, |n| n.id.clone())
    }

    /// The permissions of the named security profile, for test assertions
    /// (not counted as a call); `None` when there is no such profile.
    pub fn security_profile_permissions(&self, instance_id: &str, name: &str) -> Option<Vec<String>> {
        self.find_named(instance_id, NamedKind::SecurityProfile, name, |p| {
            p.permissions.clone()
        })
    }

    /// The tags of the named security profile, for test assertions (not
    /// counted as a call); `None` when there is no such profile.
    pub fn security_profile_tags(&self, instance_id: &str, name: &str) -> Option<wire::Tags> {
        self.find_named(instance_id, NamedKind::SecurityProfile, name, |p| p.tags.clone())
    }

    /// `read` of the resource of `kind` named `name`, without counting a call.
    fn find_named<T>(
        &self,
        instance_id: &str,
        kind: NamedKind,
        name: &str,
        read: impl FnOnce(&Named) -> T,
    ) -> Option<T> {
        self.world(|w| {
            Ok(w.instance(instance_id)?
                .named(kind)
                .iter()
                .find(|n| n.name == name)
                .map(read))
        })
        .ok()
        .flatten()
    }

    /// Every user of an instance, for test assertions (not counted as a call).
    pub fn users(&self, instance_id: &str) -> Vec<wire::User> {
        self.world(|w| Ok(w.instance(instance_id)?.users.values().cloned().collect()))
            .unwrap_or_default()
    }

    /// Every quick connect of an instance, for test assertions (not counted
    /// as a call).
    pub fn quick_connects(&self, instance_id: &str) -> Vec<wire::QuickConnect> {
        self.world(|w| Ok(w.instance(instance_id)?.quick_connects.clone()))
            .unwrap_or_default()
    }

    /// A Connect call that stores nothing: counted and admitted by the gate
    /// (latency, quota, injected faults), then `f` (a Search* call may catch
    /// its lagging index up, hence `&mut`).
    async fn read<T>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut World) -> Result<T, ConnectError>,
    ) -> Result<T, ConnectError> {
        self.inner.gate.admit(operation).await?;
        self.world(f)
    }

    /// A Connect call that changes state: admitted like a
    /// [`read`](Self::read), then `f`, whose answer may be lost (fault
    /// injection) after it took effect.
    async fn write<T>(
        &self,
        operation: &'static str,
        f: impl FnOnce(&mut World) -> Result<T, ConnectError>,
    ) -> Result<T, ConnectError> {
        let out = self.read(operation, f).await?;
        self.inner.gate.lose_response(operation)?;
        Ok(out)
    }

    /// A change made through the simulator's own API (not a Connect call).
    fn change(&self, f: impl FnOnce(&mut World)) {
        self.world(|w| {
            f(w);
            Ok(())
        })
        .unwrap_or(());
    }

    fn world<T>(&self, f: impl FnOnce(&mut World) -> Result<T, ConnectError>) -> Result<T, ConnectError> {
        let mut world = self
            .inner
            .world
            .lock()
            .map_err(|_| ConnectError::InternalService("simulator state is poisoned".to_owned()))?;
        f(&mut world)
    }
}

/// A simulator serving on a local port until dropped.
#[derive(Debug)]
pub struct RunningSimulator {
    /// The simulator, for assertions and knobs.
    pub sim: Simulator,
    /// Where it listens.
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl RunningSimulator {
    /// The endpoint URL to give an AWS SDK.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds `addr` (port 0 picks a free one) and serves a new simulator on it.
pub async fn spawn(config: &SimConfig, addr: &str) -> std::io::Result<RunningSimulator> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let sim = Simulator::new(config);
    let addr = listener.local_addr()?;
    let router = sim.router();
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router).await {
            tracing::error!(error = %e, "connect simulator stopped");
        }
    });
    Ok(RunningSimulator { sim, addr, task })
}
