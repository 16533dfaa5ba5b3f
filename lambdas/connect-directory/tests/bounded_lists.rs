//! Lists and filters cost one page of Connect calls, never the whole
//! directory: filters Connect evaluates are paged like an unfiltered list,
//! and one it can only answer a superset of is narrowed over a bounded read
//! or refused with `tooMany`. Counts are the simulator's own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use connect_directory::MAX_NARROWED_USERS;
use scim_core::DeprovisionMode;
use support::{Stack, assert_scim_error, stack};

/// 26 characters, one more than SearchUsers' CONTAINS takes.
const LONG_PREFIX: &str = "contact.center.agent.team.";

impl Stack {
    /// `count` users made straight in Connect (adopted, as an IdP's would be),
    /// named `{prefix}{i:04}@example.com`.
    async fn seed(&self, prefix: &str, count: usize) {
        let names: Vec<String> = (0..count)
            .map(|i| format!("{prefix}{i:04}@example.com"))
            .collect();
        self.console_users(&names, "Agent", true).await;
        self.settle().await;
    }

    /// GETs `uri` and returns the body with the SearchUsers calls it cost.
    async fn searched(&self, uri: &str) -> (support::Answer, u64) {
        let before = self.stats();
        let answer = self.send("GET", uri, None).await;
        (answer, self.stats().since(&before).calls("SearchUsers"))
    }
}

fn filter(raw: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("filter", raw)
        .finish()
}

#[tokio::test]
async fn a_filter_connect_evaluates_costs_one_page_like_no_filter() {
    let s = stack(DeprovisionMode::Delete).await;
    s.seed("seed.", 350).await;
    s.seed("other.", 20).await;
    // Warm the profile names, as a running Lambda has them.
    s.send("GET", "/Users?count=1", None).await;
    let uri = format!("/Users?{}&count=10", filter(r#"userName sw "seed.""#));
    let (first, calls) = s.searched(&uri).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["totalResults"], 350);
    assert_eq!(first.body["Resources"].as_array().unwrap().len(), 10);
    assert_eq!(calls, 1, "one SearchUsers for a page of a 350-user answer");
    // Paging on through the filtered answer: one call a page, remembered tokens.
    for start in [101, 201, 301] {
        let uri = format!(
            "/Users?{}&startIndex={start}&count=100",
            filter(r#"userName sw "seed.""#)
        );
        let (page, calls) = s.searched(&uri).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let names: Vec<&str> = page.body["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["userName"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), if start == 301 { 50 } else { 100 });
        assert!(names.iter().all(|n| n.starts_with("seed.")), "{names:?}");
        assert_eq!(calls, 1, "startIndex {start}");
    }
    // An and of terms Connect evaluates, a short co: the same one page.
    for raw in [
        r#"userName sw "seed." and userName co "0349""#,
        r#"userName co "d.01""#,
    ] {
        let (answer, calls) = s.searched(&format!("/Users?{}", filter(raw))).await;
        assert_eq!(answer.status, 200, "{raw}: {}", answer.body);
        assert_eq!(calls, 1, "{raw}");
        assert!(
            answer.body["totalResults"].as_u64().unwrap() >= 1,
            "{raw}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn a_filter_connect_cannot_evaluate_whole_is_narrowed_within_a_bound() {
    let s = stack(DeprovisionMode::Delete).await;
    s.seed(LONG_PREFIX, 3).await;
    s.send("GET", "/Users?count=1", None).await;
    // 27 characters: Connect searches the first 25, the adapter checks all.
    let raw = format!(r#"userName co "{LONG_PREFIX}0""#);
    let (answer, calls) = s.searched(&format!("/Users?{}", filter(&raw))).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["totalResults"], 3);
    assert_eq!(calls, 1);
    let raw = format!(r#"userName co "{LONG_PREFIX}9""#);
    let (none, _) = s.searched(&format!("/Users?{}", filter(&raw))).await;
    assert_eq!(none.body["totalResults"], 0, "{}", none.body);
}

#[tokio::test]
async fn past_the_bound_the_answer_is_too_many_in_a_bounded_number_of_calls() {
    let s = stack(DeprovisionMode::Delete).await;
    s.seed(LONG_PREFIX, MAX_NARROWED_USERS + 1).await;
    s.send("GET", "/Users?count=1", None).await;
    let raw = format!(r#"userName co "{LONG_PREFIX}00""#);
    let (answer, calls) = s.searched(&format!("/Users?{}", filter(&raw))).await;
    assert_scim_error(&answer, 400, Some("tooMany"));
    assert!(
        answer.body["detail"].as_str().unwrap().contains("sw, eq"),
        "{}",
        answer.body
    );
    assert_eq!(calls as usize, MAX_NARROWED_USERS / 100);
    // The same users by a filter Connect evaluates: one page.
    let (ok, calls) = s
        .searched(&format!(
            "/Users?{}&count=5",
            filter(&format!(r#"userName sw "{LONG_PREFIX}""#))
        ))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        ok.body["totalResults"].as_u64().unwrap() as usize,
        MAX_NARROWED_USERS + 1
    );
    assert_eq!(calls, 1);
}
