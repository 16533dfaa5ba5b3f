//! CloudWatch metrics from the audit event, in the embedded metric format
//! (EMF): one JSON line per SCIM operation that CloudWatch Logs turns into
//! metrics, with no API call and no extra permission.
//!
//! The core logs one `scim_audit` event per request; this tracing layer
//! reads its fields and writes the matching EMF document. Metrics (namespace
//! from `METRICS_NAMESPACE`), each per `Operation` and in aggregate:
//! `Requests`, `ClientErrors` (4xx but 429), `Throttled` (429),
//! `ServerErrors` (5xx), `ConnectCalls`, and `Latency` in milliseconds.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};

/// The metric namespace when `METRICS_NAMESPACE` is unset.
pub const DEFAULT_NAMESPACE: &str = "ScimConnect";

/// Writes an EMF line for every `scim_audit` event.
#[derive(Debug)]
pub struct EmfLayer<W> {
    namespace: String,
    writer: W,
}

impl<W> EmfLayer<W> {
    /// A layer writing to `writer` under `namespace`.
    pub fn new(namespace: impl Into<String>, writer: W) -> Self {
        Self {
            namespace: namespace.into(),
            writer,
        }
    }
}

/// The audit event fields metrics are made of.
#[derive(Debug, Default, PartialEq)]
struct Outcome {
    operation: String,
    status: u64,
    connect_calls: u64,
    duration_ms: f64,
}

impl Visit for Outcome {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "operation" {
            value.clone_into(&mut self.operation);
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "status" => self.status = value,
            "connect_call_count" => self.connect_calls = value,
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.record_u64(field, u64::try_from(value).unwrap_or_default());
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "duration_ms" {
            self.duration_ms = value;
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

/// The EMF document for one operation.
fn document(namespace: &str, outcome: &Outcome, timestamp_ms: u128) -> Value {
    let count = |hit: bool| u8::from(hit);
    let status = outcome.status;
    let metric = |name: &str, unit: &str| json!({ "Name": name, "Unit": unit });
    json!({
        "_aws": {
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [{
                "Namespace": namespace,
                // Per operation, and (the empty set) across all of them,
                // which is what the stack's alarms watch.
                "Dimensions": [["Operation"], []],
                "Metrics": [
                    metric("Requests", "Count"),
                    metric("ClientErrors", "Count"),
                    metric("Throttled", "Count"),
                    metric("ServerErrors", "Count"),
                    metric("ConnectCalls", "Count"),
                    metric("Latency", "Milliseconds"),
                ],
            }],
        },
        "Operation": if outcome.operation.is_empty() { "Other" } else { &outcome.operation },
        "Requests": 1,
        "ClientErrors": count((400..500).contains(&status) && status != 429),
        "Throttled": count(status == 429),
        "ServerErrors": count(status >= 500),
        "ConnectCalls": outcome.connect_calls,
        "Latency": outcome.duration_ms,
    })
}

impl<S, W> Layer<S> for EmfLayer<W>
where
    S: Subscriber,
    W: for<'a> MakeWriter<'a> + 'static,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() != "scim_audit" {
            return;
        }
        let mut outcome = Outcome::default();
        event.record(&mut outcome);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        let line = document(&self.namespace, &outcome, now).to_string();
        // A metric line lost to a broken stdout is not worth failing a request.
        let _ = writeln!(self.writer.make_writer(), "{line}");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::layer::SubscriberExt;

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Buffer {
            self.clone()
        }
    }

    fn emitted(emit: impl FnOnce()) -> Vec<Value> {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::registry().with(EmfLayer::new("Test", buffer.clone()));
        tracing::subscriber::with_default(subscriber, emit);
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn an_audit_event_becomes_one_emf_document() {
        let lines = emitted(|| {
            tracing::info!(
                target: "scim_audit",
                operation = "CreateUser",
                method = "POST",
                status = 429_u16,
                connect_calls = "CreateUser",
                connect_call_count = 1_usize,
                duration_ms = 12.5_f64,
                "scim operation"
            );
            tracing::info!(target: "other", status = 500_u16, "not an audit event");
        });
        assert_eq!(lines.len(), 1, "{lines:?}");
        let doc = &lines[0];
        let directive = &doc["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "Test");
        assert_eq!(directive["Dimensions"], json!([["Operation"], []]));
        assert!(doc["_aws"]["Timestamp"].as_u64().unwrap() > 1_700_000_000_000);
        // Every declared metric is a member of the root, as EMF requires.
        for metric in directive["Metrics"].as_array().unwrap() {
            let name = metric["Name"].as_str().unwrap();
            assert!(doc[name].is_number(), "{name} missing from {doc}");
        }
        assert_eq!(doc["Operation"], "CreateUser");
        assert_eq!(
            (
                &doc["Requests"],
                &doc["Throttled"],
                &doc["ClientErrors"],
                &doc["ServerErrors"]
            ),
            (&json!(1), &json!(1), &json!(0), &json!(0))
        );
        assert_eq!(doc["ConnectCalls"], 1);
        assert_eq!(doc["Latency"], 12.5);
    }

    #[test]
    fn statuses_fall_in_exactly_one_error_class() {
        for (status, client, throttled, server) in [
            (200, 0, 0, 0),
            (404, 1, 0, 0),
            (429, 0, 1, 0),
            (503, 0, 0, 1),
            (502, 0, 0, 1),
        ] {
            let outcome = Outcome {
                operation: "GetUser".into(),
                status,
                connect_calls: 0,
                duration_ms: 1.0,
            };
            let doc = document("N", &outcome, 0);
            assert_eq!(
                (&doc["ClientErrors"], &doc["Throttled"], &doc["ServerErrors"]),
                (&json!(client), &json!(throttled), &json!(server)),
                "status {status}"
            );
        }
    }
}
