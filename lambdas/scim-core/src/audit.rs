//! One structured audit event per SCIM operation.
//!
//! The HTTP layer opens a scope per request; the directory adapter records
//! each upstream call into it, and handlers record the resource they touched.
//! When the request ends, one `scim_audit` event carries it all. Headers are
//! never recorded, so the bearer token cannot leak into logs.

use std::future::Future;
use std::sync::{Arc, Mutex};

/// What one request did. No user name or email is ever recorded (IdPs use
/// email addresses as userNames): the resource id is what ties an event to
/// an agent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditRecord {
    /// The request's id: API Gateway's when it is behind one, else made up.
    pub request_id: String,
    /// Upstream (Connect) API calls, in order.
    pub calls: Vec<&'static str>,
    /// The resource id touched, when known.
    pub resource_id: Option<String>,
}

tokio::task_local! {
    static CURRENT: Arc<Mutex<AuditRecord>>;
}

fn with<T>(f: impl FnOnce(&mut AuditRecord) -> T) -> Option<T> {
    CURRENT
        .try_with(|record| record.lock().ok().map(|mut record| f(&mut record)))
        .ok()
        .flatten()
}

/// Records an upstream API call (no-op outside a request scope).
pub fn record_call(operation: &'static str) {
    with(|r| r.calls.push(operation));
}

/// Records the resource a request touched.
pub fn record_resource(id: &str) {
    with(|r| r.resource_id = Some(id.to_owned()));
}

/// The id of the request being served, inside a request scope.
pub fn request_id() -> Option<String> {
    with(|r| r.request_id.clone())
}

/// Runs `future` in a fresh scope for request `request_id` and returns its
/// output with the record.
pub async fn scope<F: Future>(request_id: String, future: F) -> (F::Output, AuditRecord) {
    let record = Arc::new(Mutex::new(AuditRecord {
        request_id,
        ..AuditRecord::default()
    }));
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
        assert_eq!(request_id(), None);
        let (seen, record) = scope("req-1".to_owned(), async {
            record_call("SearchUsers");
            record_call("DescribeUser");
            record_resource("id-1");
            request_id()
        })
        .await;
        assert_eq!(seen.as_deref(), Some("req-1"));
        assert_eq!(record.calls, ["SearchUsers", "DescribeUser"]);
        assert_eq!(record.resource_id.as_deref(), Some("id-1"));
    }
}
