//! Hostile input over HTTP: thousands of generated malformed requests (bad
//! JSON, wrong types, huge and deeply nested bodies, odd Content-Types, path
//! tricks in ids, unicode, garbage filters and PATCH operations) against the
//! whole stack. Every answer must be a SCIM answer: no panic, no 5xx, and
//! every 4xx a SCIM Error body whose status matches.
//!
//! HOSTILE_REQUESTS sets the count (default 10,000); HOSTILE_SEED the seed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{HeaderValue, Request, header};
use scim_core::DeprovisionMode;
use serde_json::{Value, json};
use tower::ServiceExt;

struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const IDS: &[&str] = &[
    "00000000-0000-0000-0000-000000000000",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e",
    "%00",
    "a%20b",
    "%C3%A9%E2%9C%93",
    "%F0%9F%98%80",
    ";drop",
    "x'--",
    "%25",
    ".search",
    "ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ",
];

const FILTERS: &[&str] = &[
    "userName eq \"a\"",
    "userName eq",
    "((((((((((((((((((((",
    "userName eq \"\\u0000\"",
    "emails[type eq \"work\"",
    "not not not not (userName pr)",
    "userName gt 5 or title lt true",
    "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
    "userName eq \"é✓😀\"",
    "externalId eq \"x\" and id eq \"y\" and emails.value eq \"z\"",
    "urn:bogus:userName eq \"a\"",
    "userName co \"\"",
    "\"\"",
];

const CONTENT_TYPES: &[Option<&str>] = &[
    Some("application/scim+json"),
    Some("application/json"),
    Some("application/json; charset=latin1"),
    Some("text/plain"),
    Some("application/xml"),
    Some("multipart/form-data; boundary=x"),
    Some(""),
    None,
];

fn deep(levels: usize, array: bool) -> String {
    let (open, close) = if array { ("[", "]") } else { ("{\"a\":", "}") };
    format!("{}1{}", open.repeat(levels), close.repeat(levels))
}

fn body(d: &mut Dice) -> Vec<u8> {
    let weird_values = [
        json!(null),
        json!(5),
        json!(-1.5e300),
        json!(true),
        json!([]),
        json!({}),
        json!("é✓😀\u{0}"),
        json!("x".repeat(2000)),
        json!([{"value": 5}]),
        json!({"givenName": ["a"]}),
    ];
    match d.below(14) {
        0 => b"{not json".to_vec(),
        1 => deep(d.pick(&[10, 200, 5000]).to_owned(), d.chance(50)).into_bytes(),
        2 => vec![0xff, 0xfe, 0x00, 0x80],
        3 => format!("{{\"userName\":\"{}\"}}", "a".repeat(300 * 1024)).into_bytes(),
        4 => b"".to_vec(),
        5 => b"[1,2,3]".to_vec(),
        6 => json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": d.pick(&["add", "Replace", "remove", "move", "", "REMOVE"]),
                                    "path": d.pick(&["", "[[[", "emails[type eq", "name.givenName.x", "urn:x:y", "id", "members[value eq \"x\"]", "userName", "active"]),
                                    "value": d.pick(&weird_values).clone()}]})
        .to_string()
        .into_bytes(),
        7 => json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": d.pick(&weird_values).clone()})
            .to_string()
            .into_bytes(),
        _ => {
            let mut user = serde_json::Map::new();
            for key in ["userName", "name", "emails", "active", "displayName", "externalId",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "id", "meta", "schemas"] {
                if d.chance(60) {
                    user.insert(key.to_owned(), d.pick(&weird_values).clone());
                }
            }
            if d.chance(50) {
                let name = d.pick(&["ok.user", "bad name", "é✓😀", "a@b", "", "x@y.com"]).to_string();
                user.insert("userName".into(), Value::String(format!("{name}{}", d.below(1000))));
            }
            Value::Object(user).to_string().into_bytes()
        }
    }
}

fn request(d: &mut Dice) -> Request<Body> {
    let id = *d.pick(IDS);
    let path = match d.below(10) {
        0 => "/scim/v2/Users".to_owned(),
        1 => format!("/scim/v2/Users/{id}"),
        2 => format!(
            "/scim/v2/Users?filter={}&startIndex={}&count={}",
            form_urlencoded::byte_serialize(d.pick(FILTERS).as_bytes()).collect::<String>(),
            d.pick(&["1", "0", "-5", "x", "99999999999999999999"]),
            d.pick(&["10", "-1", "0", "1e9", ""])
        ),
        3 => "/scim/v2/.search".to_owned(),
        4 => format!("/scim/v2/Schemas/{id}"),
        5 => format!("/scim/v2/{id}/{id}"),
        6 => format!(
            "/scim/v2/Users/{id}?attributes={}&excludedAttributes={}",
            d.pick(&["", ",,,", "name.x.y", "urn:a:b"]),
            d.pick(&["id", "schemas", "%%%"])
        ),
        7 => "/scim/v2/ServiceProviderConfig".to_owned(),
        8 => format!(
            "/scim/v2/Users/{}",
            "a".repeat(d.pick(&[1, 300, 9000]).to_owned())
        ),
        _ => format!("/{id}"),
    };
    let method = *d.pick(&[
        "GET", "POST", "PUT", "PATCH", "PATCH", "POST", "DELETE", "GET", "OPTIONS", "HEAD",
    ]);
    let mut builder = Request::builder()
        .method(method)
        .uri(&path)
        .header(header::HOST, "scim.example.com");
    if !d.chance(5) {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {}", support::TOKEN));
    } else {
        let options: [&[u8]; 4] = [b"Bearer", b"Basic x", b"Bearer \xe9\xff", b""];
        let value = *d.pick(&options);
        builder = builder.header(header::AUTHORIZATION, HeaderValue::from_bytes(value).unwrap());
    }
    if let Some(ct) = *d.pick(CONTENT_TYPES) {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    if d.chance(10) {
        builder = builder.header(header::IF_MATCH, *d.pick(&["*", "W/\"x\"", "garbage", "\"\""]));
    }
    builder.body(Body::from(body(d))).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_scim_4xx_never_5xx() {
    let count: usize = std::env::var("HOSTILE_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("HOSTILE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5c1a_11ed);
    let stack = support::stack(DeprovisionMode::Disable).await;
    let mut dice = Dice(seed | 1);
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for i in 0..count {
        let request = request(&mut dice);
        let described = format!("#{i} {} {}", request.method(), request.uri());
        let response = stack
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router never fails");
        let status = response.status();
        let is_head = described.contains(" HEAD ") || described.starts_with(&format!("#{i} HEAD"));
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        *statuses.entry(status.as_u16()).or_default() += 1;
        assert!(
            !status.is_server_error(),
            "{described} -> {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
        if status.is_client_error() && !is_head {
            let body: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{described} -> {status}, not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            });
            assert_eq!(
                body["schemas"],
                json!(["urn:ietf:params:scim:api:messages:2.0:Error"]),
                "{described}"
            );
            assert_eq!(body["status"], status.as_u16().to_string(), "{described}");
        }
    }
    println!("hostile requests: {count} sent, 0 panics, 0 5xx; statuses {statuses:?}");
}
