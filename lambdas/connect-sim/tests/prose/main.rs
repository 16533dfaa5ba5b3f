#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Rules Connect's API reference states only in prose, each checked with the
//! real `aws-sdk-connect` client against the simulator over HTTP (and, where
//! the SDK cannot express a request or hides an answer's shape, with raw
//! restJson1 requests through the simulator's router).

#[path = "../support/mod.rs"]
mod support;

mod identity;
mod lag;
mod paging;
mod quick_connects;

// The prose modules call `.code()` on SDK errors.
use aws_sdk_connect::error::ProvideErrorMetadata;

pub use support::*;
