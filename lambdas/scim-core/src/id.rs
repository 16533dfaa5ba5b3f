//! Server-assigned ids: opaque strings the directory hands out and a client
//! only stores and sends back (in a URL, a filter or a member list).

/// Declares an id newtype with `new`, `as_str` and `Display`. Users and
/// groups each get their own type, so a group id can never be passed where
/// a user id is meant.
macro_rules! resource_id {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id the directory handed out or a client sent back.
            /// Nothing is checked: an id that names nothing is the
            /// directory's 404 to give.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The id as a client sees it: the `id` attribute, a `value` in
            /// a reference, the last segment of `meta.location`.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

pub(crate) use resource_id;
