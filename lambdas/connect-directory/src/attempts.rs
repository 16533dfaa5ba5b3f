//! Every attempt the SDK makes, recorded where the SDK makes it: an
//! interceptor, so the retries of a throttled or failed call count too. The
//! audit line's `connect_calls` and the `ConnectCalls` metric read these, so
//! throttling shows in the numbers instead of hiding in them. Each retry is
//! also charged to the pacer's bucket for its API: Connect counts it against
//! the quota, so the calls after it wait (or are refused) for it.

use std::sync::Arc;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use scim_core::audit;

use crate::limiter::Limiter;

/// Every Connect operation this adapter calls: the names its calls are
/// recorded under, and (tested against `cdk/lib/connect-provisioner.ts`)
/// the actions its IAM role is granted.
pub const CONNECT_OPERATIONS: &[&str] = &[
    "CreateUser",
    "DescribeUser",
    "SearchUsers",
    "UpdateUserIdentityInfo",
    "UpdateUserSecurityProfiles",
    "UpdateUserRoutingProfile",
    "UpdateUserPhoneConfig",
    "UpdateUserHierarchy",
    "DeleteUser",
    "ListSecurityProfiles",
    "ListRoutingProfiles",
    "TagResource",
    "UntagResource",
    "SearchSecurityProfiles",
    "DescribeSecurityProfile",
    "SearchUserHierarchyGroups",
    "DescribeInstance",
    "SearchQuickConnects",
    "DeleteQuickConnect",
    // Routing-ready agents: proficiencies and per-channel settings.
    "SearchPredefinedAttributes",
    "AssociateUserProficiencies",
    "UpdateUserProficiencies",
    "DisassociateUserProficiencies",
    "UpdateUserConfig",
    // Read only when a proficiency write is refused.
    "ListUserProficiencies",
    // Only with GROUPS_CREATE_SECURITY_PROFILES.
    "CreateSecurityProfile",
    "DeleteSecurityProfile",
];

/// Records each attempt into the request's audit scope, and charges each
/// retry to the pacer (the first attempt took its turn before it was sent).
#[derive(Debug)]
pub(crate) struct RecordAttempts {
    pub(crate) limiter: Arc<Limiter>,
}

impl Intercept for RecordAttempts {
    fn name(&self) -> &'static str {
        "RecordAttempts"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let name = known(cfg.load::<Metadata>().map_or("", Metadata::name));
        audit::record_call(name);
        if cfg.load::<RequestAttempts>().is_some_and(|a| a.attempts() > 1) {
            self.limiter.charge(name);
        }
        Ok(())
    }
}

/// The operation's name as a `'static` string (the audit record keeps
/// those); a call this list lacks is recorded as `Other`.
fn known(name: &str) -> &'static str {
    CONNECT_OPERATIONS
        .iter()
        .find(|op| **op == name)
        .copied()
        .unwrap_or("Other")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation named at a call site in this crate's source is in
    /// the list (so it is recorded by name and granted by IAM).
    #[test]
    fn every_call_site_names_a_listed_operation() {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut files = Vec::new();
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if !path.ends_with("attempts.rs") {
                    files.push(path);
                }
            }
        }
        let mut named = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(path).unwrap();
            for marker in [".call(\n", "self.call(", "next_page(", "send_proficiencies!("] {
                for piece in text.split(marker).skip(1) {
                    if let Some(name) = piece
                        .trim_start()
                        .strip_prefix('"')
                        .and_then(|p| p.split('"').next())
                    {
                        named.push(name.to_owned());
                    }
                }
            }
        }
        assert!(named.len() > 20, "call sites found: {named:?}");
        for name in &named {
            assert!(
                CONNECT_OPERATIONS.contains(&name.as_str()),
                "{name} is not in CONNECT_OPERATIONS"
            );
        }
        for op in CONNECT_OPERATIONS {
            assert!(named.iter().any(|n| n == op), "{op} is listed but never called");
        }
    }

    /// The IAM role grants exactly these actions (the CDK lists them).
    #[test]
    fn the_stack_grants_exactly_the_operations_called() {
        let cdk =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cdk/lib/connect-provisioner.ts");
        let text = std::fs::read_to_string(cdk).unwrap();
        let mut granted: Vec<&str> = text
            .split("'connect:")
            .skip(1)
            .filter_map(|p| p.split('\'').next())
            .collect();
        granted.sort_unstable();
        granted.dedup();
        let mut called = CONNECT_OPERATIONS.to_vec();
        called.sort_unstable();
        assert_eq!(granted, called);
    }
}
