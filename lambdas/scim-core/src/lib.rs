//! SCIM 2.0 (RFC 7643/7644) for the Amazon Connect provisioning bridge.
//!
//! This crate knows SCIM, not AWS: resources and their schemas, the filter
//! and PATCH semantics, SCIM errors and the axum [`http::app`] Router. Users
//! are kept by whatever implements [`directory::Directory`]; the
//! `connect-directory` crate implements it over Amazon Connect.
//!
//! Arrows point inwards: the Lambda and local binaries depend on this crate
//! and on the adapter; this crate depends on neither.
//!
//! Where to look:
//! - [`user`], [`group`]: the resources, each with its one parser and printer.
//! - [`schema`]: the tables `/Schemas` publishes and the parser and PATCH
//!   engine obey; [`patch`] and [`filter`] work from them. A directory adds
//!   its own User extension (Amazon Connect's agent settings) through
//!   `Directory::UserExtension` ([`user::UserExtension`]): its schema, parse
//!   and print live with the directory.
//! - [`http`]: the Router. `/Users` and `/Groups` share one set of handlers
//!   and differ only in what each plugs into them (`http/users.rs`,
//!   `http/groups.rs`).
//! - [`directory`]: the port, and `memory`, its in-memory twin for tests and
//!   fuzzing (built only with the `memory` feature, so no binary carries it).

#![warn(missing_docs)]

pub mod audit;
pub mod directory;
pub mod error;
pub mod filter;
pub mod group;
pub mod http;
mod id;
mod json;
#[cfg(any(test, feature = "memory"))]
pub mod memory;
mod meta;
pub mod patch;
pub mod projection;
pub mod schema;
pub mod user;

pub use directory::{
    Directory, DirectoryError, DirectoryResult, GroupPage, GroupPageRequest, PageRequest, UserPage,
};
pub use error::{ScimError, ScimType};
pub use filter::{GroupFilter, GroupTerm, Term, TextMatch, UserFilter};
pub use group::{Group, GroupId, GroupInput, GroupRef, Member, MemberChange, StoredGroup};
pub use http::{Auth, BearerToken, DeprovisionMode, RequestId, ServerConfig, app};
#[cfg(any(test, feature = "memory"))]
pub use memory::MemoryDirectory;
pub use user::{NoExtension, Password, StoredUser, User, UserExtension, UserId, UserName};
