//! One structured audit event per SCIM operation.
//!
//! The HTTP layer opens a scope per request; the directory adapter records
//! each upstream call into it, and handlers record the resource they touched.
//! When the request ends, one `scim_audit` event carries it all. Headers are
//! never recorded, so the bearer token cannot leak into logs.

use std::future::Future;
use std::sync::{Arc, Mutex};

/// What one request did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditRecord {
    /// Upstream (Connect) API calls, in order.
    pub calls: Vec<&'static str>,
    /// The resource id touched, when known.
    pub resource_id: Option<String>,
    /// The userName touched, when known.
    pub user_name: Option<String>,
}

tokio::task_local! {
    static CURRENT: Arc<Mutex<AuditRecord>>;
}

fn with(f: impl FnOnce(&mut AuditRecord)) {
    let _ = CURRENT.try_with(|record| {
        if let Ok(mut record) = record.lock() {
            f(&mut record);
        }
    });
}

/// Records an upstream API call (no-op outside a request scope).
pub fn record_call(operation: &'static str) {
    with(|r| r.calls.push(operation));
}

/// Records the resource a request touched.
pub fn record_resource(id: Option<&str>, user_name: Option<&str>) {
    with(|r| {
        if let Some(id) = id {
            r.resource_id = Some(id.to_owned());
        }
        if let Some(name) = user_name {
            r.user_name = Some(name.to_owned());
        }
    });
}

/// Runs `future` in a fresh scope and returns its output with the record.
pub async fn scope<F: Future>(future: F) -> (F::Output, AuditRecord) {
    let record = Arc::new(Mutex::new(AuditRecord::default()));
    let output = CURRENT.scope(record.clone(), future).await;
    let record = record.lock().map(|r| r.clone()).unwrap_or_default();
    (output, record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_inside_the_scope_only() {
        record_call("Outside");
        let ((), record) = scope(async {
            record_call("SearchUsers");
            record_call("DescribeUser");
            record_resource(Some("id-1"), Some("ann"));
        })
        .await;
        assert_eq!(record.calls, ["SearchUsers", "DescribeUser"]);
        assert_eq!(record.resource_id.as_deref(), Some("id-1"));
        assert_eq!(record.user_name.as_deref(), Some("ann"));
    }
}
