//! Paging tokens: opaque, bound to the query that made them, and short-lived.
//!
//! Connect documents `NextToken` only as "The token for the next set of
//! results. Use the value returned in the previous response in the next
//! request to retrieve the next set of results." A client that keeps a token
//! around, edits it, or sends it with other criteria is relying on something
//! Connect never promised, so the simulator refuses all three. How long a real
//! token lives is not documented; `SimConfig::token_ttl` stands in for it.
//!
//! A token carries the operation, a hash of the request's query members
//! (everything but the token and the page size), the offset and the issue
//! time, sealed with a keyed hash under a random per-simulator secret. That
//! keyed hash is std's SipHash: enough to catch tampering in a test double,
//! not a cryptographic MAC.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::ConnectError;

/// The message every refused token gets.
const INVALID: &str = "The nextToken is not valid or has expired";

/// Issues and redeems the paging tokens of one simulator.
#[derive(Debug)]
pub(crate) struct Tokens {
    secret: u128,
    ttl: Duration,
}

/// One paged call: which operation, which query, where to start, how many.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageRequest {
    pub operation: &'static str,
    /// [`query_of_body`] or [`query_of_list`] of the request.
    pub query: u64,
    pub next_token: Option<String>,
    pub max_results: Option<i64>,
}

/// A Search* request: it pages by its own `NextToken` and `MaxResults`.
pub(crate) trait SearchPaging {
    /// The paging members, bound to `operation` and the request's `query`.
    fn page(&self, operation: &'static str, query: u64) -> PageRequest;
}

/// One page of a List* or Search* answer; the route that answers it names
/// the member the items travel in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
    /// Search* answers only: how many matched in all.
    pub approximate_total_count: Option<u64>,
}

impl<T> Page<T> {
    pub(crate) fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_token: self.next_token,
            approximate_total_count: self.approximate_total_count,
        }
    }
}

impl Tokens {
    /// A fresh random secret; tokens live `ttl`.
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            secret: uuid::Uuid::new_v4().as_u128(),
            ttl,
        }
    }

    /// One page of `items` (at most `max` per page, `default` when the
    /// caller does not say) and the token for the next.
    fn page<T: Clone>(
        &self,
        items: &[T],
        request: &PageRequest,
        max: i64,
        default: usize,
    ) -> Result<(Vec<T>, Option<String>), ConnectError> {
        let size = match request.max_results {
            None => default,
            Some(n) if (1..=max).contains(&n) => usize::try_from(n).unwrap_or(default),
            Some(n) => {
                return Err(ConnectError::invalid(format!(
                    "MaxResults {n} must be between 1 and {max}"
                )));
            }
        };
        let offset = match request.next_token.as_deref() {
            None => 0,
            Some(token) => self.redeem(request.operation, request.query, token)?,
        };
        let end = offset.saturating_add(size).min(items.len());
        let page = items.get(offset..end).unwrap_or_default().to_vec();
        let next = (end < items.len()).then(|| self.issue(request.operation, request.query, end));
        Ok((page, next))
    }

    /// A List* page: at most 1000 items, 100 when the caller does not say.
    pub(crate) fn list<T: Clone>(&self, items: &[T], request: &PageRequest) -> Result<Page<T>, ConnectError> {
        self.list_up_to(items, request, 1000)
    }

    /// A List* page of an operation whose `MaxResults` stops at `max`
    /// (`MaxResult100` in the model): 100 when the caller does not say.
    pub(crate) fn list_up_to<T: Clone>(
        &self,
        items: &[T],
        request: &PageRequest,
        max: i64,
    ) -> Result<Page<T>, ConnectError> {
        let (items, next_token) = self.page(items, request, max, 100)?;
        Ok(Page {
            items,
            next_token,
            approximate_total_count: None,
        })
    }

    /// A Search* page: at most `max` of `matches`, 100 when the caller does
    /// not say, and how many matched.
    pub(crate) fn search<T: Clone>(
        &self,
        matches: &[T],
        request: &PageRequest,
        max: i64,
    ) -> Result<Page<T>, ConnectError> {
        let (items, next_token) = self.page(matches, request, max, 100)?;
        Ok(Page {
            items,
            next_token,
            approximate_total_count: Some(matches.len() as u64),
        })
    }

    fn issue(&self, operation: &str, query: u64, offset: usize) -> String {
        let payload = format!("{operation}|{query:016x}|{offset:x}|{:x}", now_millis());
        let sealed = format!("{payload}|{:016x}", self.seal(&payload));
        base64url_encode(sealed.as_bytes())
    }

    fn redeem(&self, operation: &str, query: u64, token: &str) -> Result<usize, ConnectError> {
        let invalid = || ConnectError::invalid(INVALID);
        let bytes = base64url_decode(token).ok_or_else(invalid)?;
        let sealed = String::from_utf8(bytes).map_err(|_| invalid())?;
        let (payload, seal) = sealed.rsplit_once('|').ok_or_else(invalid)?;
        if u64::from_str_radix(seal, 16).ok() != Some(self.seal(payload)) {
            return Err(invalid());
        }
        let mut fields = payload.split('|');
        let (Some(op), Some(hash), Some(offset), Some(issued), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err(invalid());
        };
        let same_query = op == operation && u64::from_str_radix(hash, 16).ok() == Some(query);
        let issued = u64::from_str_radix(issued, 16).map_err(|_| invalid())?;
        let ttl = u64::try_from(self.ttl.as_millis()).unwrap_or(u64::MAX);
        let fresh = now_millis().saturating_sub(issued) <= ttl;
        if !same_query || !fresh {
            return Err(invalid());
        }
        usize::from_str_radix(offset, 16).map_err(|_| invalid())
    }

    fn seal(&self, payload: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.secret.hash(&mut hasher);
        payload.hash(&mut hasher);
        self.secret.hash(&mut hasher);
        hasher.finish()
    }
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}

/// The query of a Search* body: every member but `NextToken` and
/// `MaxResults`, key order ignored. A body that is not JSON hashes as
/// itself (it never gets this far: the handler refuses it first).
pub(crate) fn query_of_body(body: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut members)) => {
            members.remove("NextToken");
            members.remove("MaxResults");
            hash_json(&serde_json::Value::Object(members), &mut hasher);
        }
        Ok(other) => hash_json(&other, &mut hasher),
        Err(_) => body.hash(&mut hasher),
    }
    hasher.finish()
}

/// The query of a List* call: the instance and every query-string pair but
/// `nextToken` and `maxResults`, order ignored.
pub(crate) fn query_of_list(instance_id: &str, raw_query: Option<&str>) -> u64 {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k != "nextToken" && k != "maxResults")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let mut hasher = DefaultHasher::new();
    instance_id.hash(&mut hasher);
    pairs.hash(&mut hasher);
    hasher.finish()
}

fn hash_json(value: &serde_json::Value, hasher: &mut DefaultHasher) {
    use serde_json::Value;
    match value {
        Value::Null => 0u8.hash(hasher),
        Value::Bool(b) => (1u8, b).hash(hasher),
        Value::Number(n) => (2u8, n.to_string()).hash(hasher),
        Value::String(s) => (3u8, s).hash(hasher),
        Value::Array(items) => {
            (4u8, items.len()).hash(hasher);
            for item in items {
                hash_json(item, hasher);
            }
        }
        Value::Object(members) => {
            (5u8, members.len()).hash(hasher);
            let mut sorted: Vec<_> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (key, item) in sorted {
                key.hash(hasher);
                hash_json(item, hasher);
            }
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url: tokens travel in query strings as well as bodies.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            let index = (n >> (18 - 6 * i)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut bits = 0u32;
    let mut count = 0u32;
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|a| *a == c)?;
        bits = (bits << 6) | u32::try_from(value).ok()?;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(token: Option<String>, query: u64) -> PageRequest {
        PageRequest {
            operation: "SearchUsers",
            query,
            next_token: token,
            max_results: Some(2),
        }
    }

    #[test]
    fn base64url_round_trips() {
        for text in ["", "a", "ab", "abc", "abcd", "SearchUsers|00ff|a|18c"] {
            let encoded = base64url_encode(text.as_bytes());
            assert!(encoded.bytes().all(|b| ALPHABET.contains(&b)), "{encoded}");
            assert_eq!(base64url_decode(&encoded).unwrap(), text.as_bytes());
        }
        assert!(base64url_decode("a+b=").is_none());
    }

    #[test]
    fn a_token_pages_on_only_for_its_own_query() {
        let tokens = Tokens::new(Duration::from_secs(60));
        let items = [1, 2, 3, 4, 5];
        let (page, next) = tokens.page(&items, &request(None, 7), 100, 10).unwrap();
        assert_eq!(page, [1, 2]);
        let next = next.unwrap();
        let (page, _) = tokens
            .page(&items, &request(Some(next.clone()), 7), 100, 10)
            .unwrap();
        assert_eq!(page, [3, 4]);
        let err = tokens
            .page(&items, &request(Some(next.clone()), 8), 100, 10)
            .unwrap_err();
        assert_eq!(err, ConnectError::invalid(INVALID));
        let other_op = PageRequest {
            operation: "ListUsers",
            ..request(Some(next), 7)
        };
        assert!(tokens.page(&items, &other_op, 100, 10).is_err());
    }

    #[test]
    fn tampered_foreign_and_expired_tokens_are_refused() {
        let tokens = Tokens::new(Duration::from_secs(60));
        let good = tokens.issue("SearchUsers", 7, 2);
        let forged = base64url_encode(b"SearchUsers|0000000000000007|2|0|0000000000000000");
        let foreign = Tokens::new(Duration::from_secs(60)).issue("SearchUsers", 7, 2);
        for bad in [forged, foreign, "garbage".to_owned(), format!("{good}A")] {
            assert!(tokens.redeem("SearchUsers", 7, &bad).is_err(), "{bad}");
        }
        assert_eq!(tokens.redeem("SearchUsers", 7, &good).unwrap(), 2);
        let short = Tokens {
            ttl: Duration::ZERO,
            ..tokens
        };
        let token = short.issue("SearchUsers", 7, 2);
        std::thread::sleep(Duration::from_millis(5));
        assert!(short.redeem("SearchUsers", 7, &token).is_err());
    }

    #[test]
    fn queries_ignore_paging_members_and_key_order() {
        let a = query_of_body(br#"{"InstanceId":"i","SearchCriteria":{"A":1,"B":2},"MaxResults":5}"#);
        let b = query_of_body(br#"{"SearchCriteria":{"B":2,"A":1},"NextToken":"x","InstanceId":"i"}"#);
        let c = query_of_body(br#"{"InstanceId":"j","SearchCriteria":{"A":1,"B":2}}"#);
        assert_eq!(a, b);
        assert_ne!(a, c);
        let l1 = query_of_list(
            "i",
            Some("maxResults=5&QuickConnectTypes=USER&QuickConnectTypes=QUEUE"),
        );
        let l2 = query_of_list(
            "i",
            Some("QuickConnectTypes=QUEUE&nextToken=x&QuickConnectTypes=USER"),
        );
        assert_eq!(l1, l2);
        assert_ne!(l1, query_of_list("i", Some("QuickConnectTypes=USER")));
        assert_ne!(
            l1,
            query_of_list("j", Some("QuickConnectTypes=USER&QuickConnectTypes=QUEUE"))
        );
    }
}
